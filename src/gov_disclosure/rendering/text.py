"""Plain-text and Markdown rendering in the official layout.

Plain text follows the page-text convention of published reports (and of the seed): one
cell per tab-indented line, an empty line between rows, a blank cell as an empty cell line;
a merged cell is printed once. Markdown cannot merge cells: a row-spanning label is
repeated in each row, a column-spanning cell is followed by empty cells.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from gov_disclosure.model.report import Report
from gov_disclosure.rendering.layout import Table, tables

__all__ = ["to_markdown", "to_text"]


def _title(report: Report) -> str:
    return f"{report.agency.name}{report.year}年政府信息公开工作年度报告"


def _sections(
    report: Report, render_table: dict[str, str], escape: Callable[[str], str] = str
) -> list[tuple[str, str]]:
    t2, t3, t4 = tables(report)
    return [
        ("一、总体情况", escape(report.overview or "")),
        (t2.heading, render_table["proactive_disclosure"]),
        (t3.heading, render_table["requests"]),
        (t4.heading, render_table["review_litigation"]),
        ("五、存在的主要问题及改进情况", escape(report.problems_and_improvements or "")),
        ("六、其他需要报告的事项", escape(report.other_matters or "")),
    ]


def _text_table(table: Table) -> str:
    rows = []
    for row in table.rows:
        rows.append("\n".join("\t" + cell.text.replace("\n", " ") for cell in row))
    return "\n\n".join(rows)


def to_text(report: Report) -> str:
    """Render a report as plain text, one table cell per tab-indented line."""
    rendered = {t.key: _text_table(t) for t in tables(report)}
    parts = [report.agency.name, f"{report.year}年政府信息公开工作年度报告", ""]
    for heading, body in _sections(report, rendered):
        parts += [heading, "", body, ""]
    return "\n".join(parts)


def _expand(table: Table) -> list[list[str]]:
    """The grid with spans expanded (row spans repeated, column spans blank)."""
    grid: dict[tuple[int, int], str] = {}
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in grid:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    grid[(r + dr, c + dc)] = cell.text if dc == 0 else ""
            c += cell.colspan
    width = table.columns
    return [[grid.get((r, c), "") for c in range(width)] for r in range(len(table.rows))]


# CommonMark: a backslash before ASCII punctuation makes it literal. Escaping these keeps
# names and prose from becoming HTML (<script>, <img onerror=...>), links ([x](javascript:...)),
# autolinks (<javascript:...>), entities (&lt;) or emphasis.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|&~])")


def _md_text(text: str) -> str:
    """Report text as Markdown that shows it literally."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_cell(text: str) -> str:
    return _md_text(text).replace("\n", " ")


def _markdown_table(table: Table) -> str:
    grid = _expand(table)
    lines = ["| " + " | ".join(_md_cell(c) for c in grid[0]) + " |"]
    lines.append("|" + "---|" * table.columns)
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in grid[1:]]
    return "\n".join(lines)


def to_markdown(report: Report) -> str:
    """Render a report as Markdown (merged header cells repeated, blank cells empty)."""
    rendered = {t.key: _markdown_table(t) for t in tables(report)}
    parts = [f"# {_md_text(_title(report))}", ""]
    for heading, body in _sections(report, rendered, escape=_md_text):
        parts += [f"## {heading}", "", body, ""]
    return "\n".join(parts)
