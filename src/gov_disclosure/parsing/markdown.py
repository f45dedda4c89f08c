"""Markdown inputs, including converter output (PDF-to-Markdown, OCR).

Table lines become rows (separator lines dropped); headings and other lines become lines.
Fragmented or wrong header rows are harmless: the shared reader matches rows by their labels,
places unlabelled value rows by template order only where the count fits, and reads table 4
blocks by the heading in front of them.
"""

from __future__ import annotations

import re

import attrs

from gov_disclosure.parsing.document import Document, Line, Row, misfit_rows

__all__ = ["extract_markdown"]

_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _cells(line: str) -> tuple[str, ...]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return tuple(cell.strip() for cell in body.split("|"))


def extract_markdown(text: str) -> Document:
    """Extract rows and lines from Markdown text.

    A row with values narrower than the header row above it in its table is
    :attr:`~gov_disclosure.parsing.document.Row.short`: the converter dropped cells, and
    which ones nothing tells (a row may omit trailing cells in GitHub's Markdown, a converter
    may lose one in the middle), so only a row whose printed values fill it is read.
    """
    items: list[Row | Line] = []
    plain: list[str] = []
    table: list[Row] = []  # the rows of the table being read, marked short when it ends

    def end_table() -> None:
        grid = [list(row.cells) for row in table]
        short, wide = misfit_rows(grid)
        items.extend(
            attrs.evolve(row, short=i in short, wide=i in wide) if i in short or i in wide else row
            for i, row in enumerate(table)
        )
        table.clear()

    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("|"):
            if _SEPARATOR.match(stripped):
                continue
            cells = _cells(stripped)
            table.append(Row(cells, f"line {lineno}"))
            plain.append(" ".join(cells))
        else:
            end_table()
            heading = stripped.lstrip("#").strip()
            items.append(Line(heading, f"line {lineno}"))
            plain.append(heading)
    end_table()
    return Document("markdown", tuple(items), "\n".join(plain))
