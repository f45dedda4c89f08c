"""The cell reader shared by the three table readers: values, provenance and diagnostics.

A cell is set only from a printed value that :func:`~gov_disclosure.parsing.values.read_cell`
reads; everything else is named in a diagnostic and left empty.
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from gov_disclosure.parsing.document import Diagnostic, Document, Provenance, Severity
from gov_disclosure.parsing.values import is_value_text, read_cell

__all__ = ["CellReader", "fit_values", "may_add_up", "printed_tokens", "short"]


@attrs.define
class CellReader:
    """What has been read so far: cells, their provenance and the diagnostics."""

    doc: Document
    edition: str
    diagnostics: list[Diagnostic] = attrs.Factory(list)
    provenance: dict[str, Provenance] = attrs.Factory(dict)
    cells: dict[str, Any] = attrs.Factory(dict)
    # table-3 row keys whose label was printed with no value after it
    labels_without_values: set[str] = attrs.Factory(set)
    # the money unit the last table-2 column header printed (采购总金额（元）), if any
    money_unit: str | None = None
    # table-2 row key -> (its printed values, where): a row is read from its first printing
    table2_printed: dict[str, tuple[tuple[str, ...], str]] = attrs.Factory(dict)
    # glued table-2 runs with several splits: (row base, column keys, digits, where); the
    # report's own text may decide them (:func:`~.table2.decide_by_text`)
    undecided: list[tuple[str, tuple[str, ...], str, str]] = attrs.Factory(list)

    @property
    def glued(self) -> bool:
        """Whether one value may be a run of glued cells (glued crawler text only).

        In a grid (HTML, Markdown, PDF, DOCX) and in cell-per-line text one printed value is
        one cell: a row that has one value for several cells lost cells, and splitting the
        number would put its digits in other columns.
        """
        return self.doc.glued

    @property
    def cell_per_line(self) -> bool:
        """Whether every printed cell is a line of its own, an empty one too.

        There, unlike in a grid, an empty value at a row's edge is one of its cells, never a
        converter's artefact: a row with a value too many is unread, not trimmed.
        """
        return self.doc.kind == "text" and not self.doc.glued

    def hides_blanks(self, run: str, addresses: list[str], location: str) -> bool:
        """Whether a glued run may hide blank cells, so that it must not be split (and say so).

        It may when the text drops blank cells elsewhere (:attr:`Document.dropped_blanks`):
        its digits could then belong to fewer cells than the row has, in any columns. Only a
        run of exactly one ``0`` per cell cannot hide a blank, as no number starts with 0.
        """
        evidence = self.doc.dropped_blanks
        if evidence is None or re.sub(r"\s+", "", run) == "0" * len(addresses):
            return False
        self.diag(
            "ambiguous",
            "warning",
            f"glued digits {short(run)}: this text prints nothing for a blank cell "
            f"({evidence}), so the digits may belong to any of the row's cells; "
            "row left unread",
            addresses,
            location,
        )
        return True

    def diag(  # noqa: D102 - records a Diagnostic with these fields
        self,
        code: str,
        severity: Severity,
        message: str,
        addresses: tuple[str, ...] | list[str] = (),
        location: str | None = None,
    ) -> None:
        self.diagnostics.append(
            Diagnostic(
                code=code,
                severity=severity,
                message=message,
                addresses=tuple(addresses),
                location=location,
            )
        )

    def printed_again(
        self,
        key: str,
        first: tuple[tuple[str, ...], str],
        again: tuple[tuple[str, ...], str],
        addresses: tuple[str, ...] | list[str],
    ) -> bool:
        """Note a row printed a second time in its table; whether both printings agree.

        ``first`` and ``again`` are each ``(the row's tokens, where)`` (see
        :func:`printed_tokens`). The same values again are noted (``duplicate_row``, info)
        and the row is read once. Other values prove neither printing: the row's cells are
        named ``conflicting``, and the caller leaves them unread.
        """
        (tokens, where), (tokens_again, location) = first, again
        if tokens == tokens_again:
            self.diag(
                "duplicate_row", "info", f"row {key} printed again (as at {where})", (), location
            )
            return True
        self.diag(
            "conflicting",
            "warning",
            f"row {key} is printed twice with different values ({' '.join(tokens)!r} at "
            f"{where}, {' '.join(tokens_again)!r} here); cells left unread",
            addresses,
            location,
        )
        return False

    # --- cells ------------------------------------------------------------------------------

    def set_cell(self, address: str, raw: str, location: str, *, kind: str = "count") -> None:
        """Read one printed value into ``address``; an illegible one is named, not set."""
        reading = read_cell(raw, money=kind == "money", signed=kind == "signed")
        if reading.code == "illegible":
            self.diag(
                "illegible",
                "warning",
                f"cannot read {raw!r}: {reading.detail}",
                [address],
                location,
            )
            return
        if reading.code is not None:
            self.diag(reading.code, "info", f"{raw!r}: {reading.detail}", [address], location)
        self.cells[address] = reading.value
        self.provenance[address] = Provenance(raw, location, reading.detail)


def short(text: str) -> str:
    """Printed text for a message, never huge."""
    text = text.strip()
    return repr(text) if len(text) <= 40 else repr(text[:37] + "...") + f" ({len(text)} characters)"


_SPACES = re.compile(r"[\s\u3000]+")


def printed_tokens(values: list[str]) -> tuple[str, ...]:
    """A row's values as printed, token by token (spaces and empty cells aside)."""
    return tuple(t for v in values for t in _SPACES.split(v.strip()) if t)


def may_add_up(values: list[str], width: int) -> bool:
    """Whether each run of ``width`` printed values may satisfy its identity (items = total).

    A table-3 row (seven values) and a table-4 block (five) end with their total. Blank
    items count 0; an unreadable cell or a blank total cannot tell, and may.
    """
    for start in range(0, len(values) - width + 1, width):
        readings = [read_cell(v) for v in values[start : start + width]]
        total = readings[-1].value
        if any(r.code == "illegible" for r in readings) or not isinstance(total, int):
            continue
        if sum(r.value for r in readings[:-1] if isinstance(r.value, int)) != total:
            return False
    return True


def fit_values(
    values: list[str], count: int, *, edges: bool = True, wide: bool = False
) -> list[str]:
    """Trim a row's values to ``count`` cells where the extra ones are layout artefacts.

    Artefacts are empty cells before or after the values (converters; not with ``edges``
    false, for cell-per-line text, where an empty line is a cell) and, in a row of one
    cell, its value printed in every cell the template's span covers (``24.5 24.5 24.5``).
    In a row of several cells, equal neighbours are never taken for one (``3 3 1 2`` for
    three cells could be 3, 1, 2 or 3, 3, 1): the row is left to the caller, unread. In a
    row printed with fewer values than cells, one value holding exactly ``count``
    space-separated tokens (``72 0 0``, ``0　28　0``) is ``count`` cells: the spaces are the
    boundaries the layout lost, so such a run is never glued together and re-split. In a row
    that printed all its cells a value with a space is one cell (``213 15`` beside a blank
    cell is not 213 and 15): :func:`read_cell` reads it as a number wrapped in its cell, or
    unread.

    A ``wide`` row (:attr:`~gov_disclosure.parsing.document.Row.wide`) holds a cell too many
    that may be a stray value at its end as much as an empty artefact at its start: it is
    trimmed only where every such reading gives the same cells.
    """
    if wide and len(values) > count:
        return _fit_wide(values, count)
    non_empty = [v for v in values if v.strip()]
    # a line break inside a value comes from cell-per-line text, under the cell's first line
    # (a page number?): no cell boundary, and the reader leaves such a cell unread
    if (
        len(non_empty) == 1
        and count > 1
        and len(values) < count  # a row printed with all its cells has its boundaries
        and "\n" not in non_empty[0].strip()
    ):
        tokens = _SPACES.split(non_empty[0].strip())
        if len(tokens) == count and all(is_value_text(t) for t in tokens):
            return tokens
    values = list(values)
    # trailing first: a column span leaves empty cells after its value
    while edges and len(values) > count and not values[-1].strip():
        values = values[:-1]
    while edges and len(values) > count and not values[0].strip():
        values = values[1:]
    # in cell-per-line text an empty line is a cell, and a value beside it one too many:
    # there only a value printed on every line of the span is the row's
    spanned = edges or len(non_empty) == len(values)
    if count == 1 and len(values) > 1 and len(set(non_empty)) == 1 and spanned:
        return non_empty[:1]
    return values


def _fit_wide(values: list[str], count: int) -> list[str]:
    """:func:`fit_values` for a row wider than its header; ``values`` when nothing decides.

    The cells too many are empty cells at the start (a converter's) or any cells at the end
    (a converter's empty ones, or stray values). A row of one cell has its value anywhere in
    the template's span: it is read unless its only value may be the stray last cell.
    """
    non_empty = [v for v in values if v.strip()]
    if count == 1:
        if not non_empty:
            return [""]
        if len(set(non_empty)) == 1 and (len(non_empty) > 1 or not values[-1].strip()):
            return non_empty[:1]
        return values
    readings = {
        tuple(values[start : start + count])
        for start in range(len(values) - count + 1)
        if not any(v.strip() for v in values[:start])
    }
    if len(readings) == 1 and not any(v.strip() for v in values[count:]):
        return values[:count]
    return values
