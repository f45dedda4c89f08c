"""Excel workbooks of the tidy tables (extra ``xlsx``): typed cells, one sheet per table.

The columns are those of :mod:`gov_disclosure.export`, typed by their documented types:
counts and years are numbers, money and rates are numbers written with their exact decimal
digits (Excel keeps 15 significant digits, more than any amount in 万元 needs), booleans are
booleans, and a blank or an unread cell is an empty cell whose ``status`` says which. The
cells table has one sheet per statistical table (表二, 表三, 表四); findings and metrics have
a sheet each. Every sheet has a frozen header row and an autofilter.

Text that a spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@``, TAB, CR first)
gets a leading ``'`` as in the CSV export (:data:`~gov_disclosure.columns.FORMULA_LEADS`), and
characters XML cannot hold (control characters in hostile prose) are replaced by U+FFFD.

Rows are streamed (openpyxl's write-only mode): memory stays flat whatever the number of
reports, up to Excel's limit of 1,048,576 rows a sheet, past which a row is refused with a
:class:`ValueError` naming the limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

from gov_disclosure.columns import TABLES, safe_text
from gov_disclosure.optional import require
from gov_disclosure.rules.definitions import TABLE_NAMES

__all__ = ["MAX_ROWS", "SHEETS", "XlsxWorkbook"]

MAX_ROWS = 1_048_576
"""Rows an Excel sheet holds (the header included)."""

SHEETS: dict[str, tuple[str, ...]] = {
    "cells": tuple(name for name, _ in TABLE_NAMES.values()),
    "findings": ("findings",),
    "metrics": ("metrics",),
    "scores": ("scores",),
    "rollups": ("rollups",),
}
"""The sheets each tidy table is written to (cells: one per statistical table)."""


def _openpyxl() -> Any:
    return require("openpyxl", "xlsx", "writing Excel workbooks")


def _typed(kind: str, value: Any) -> Any:
    """A value of a tidy row as the spreadsheet cell holds it (kind: the documented type)."""
    if value is None or value == "":
        return None
    if kind.startswith("decimal"):  # a count stays an integer, money keeps its digits
        return value if type(value) is int else Decimal(str(value))
    if kind.startswith("integer"):
        return int(value)
    if kind.startswith("boolean"):
        return bool(value)
    if kind.startswith("string") and isinstance(value, str):
        return _clean(safe_text(value))
    return value


def _clean(text: str) -> str:
    illegal = require("openpyxl.cell.cell", "xlsx", "writing Excel workbooks")
    return str(illegal.ILLEGAL_CHARACTERS_RE.sub("\ufffd", text))


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Sheet:
    def __init__(self, book: Any, title: str, columns: Sequence[str]) -> None:
        openpyxl = _openpyxl()
        self.sheet = book.create_sheet(title)
        self.sheet.freeze_panes = "A2"
        self.columns = columns
        self.rows = 1
        header = []
        for name in columns:
            cell = openpyxl.cell.WriteOnlyCell(self.sheet, value=name)
            cell.font = openpyxl.styles.Font(bold=True)
            header.append(cell)
        self.sheet.append(header)

    def append(self, values: list[Any]) -> None:
        self.sheet.append(values)
        self.rows += 1

    def finish(self) -> None:
        last = _column_letter(len(self.columns))
        self.sheet.auto_filter.ref = f"A1:{last}{self.rows}"


class _Table:
    """One tidy table of a workbook: ``prepare``/``commit``/``write``/``close`` as in export."""

    def __init__(self, book: XlsxWorkbook, table: str) -> None:
        self._book = book
        self._table = table
        self._columns = TABLES[table]
        self._sheets = {
            title: _Sheet(book.book, title, list(self._columns)) for title in SHEETS[table]
        }

    def _sheet_of(self, row: dict[str, Any]) -> _Sheet:
        if self._table == "cells":
            return self._sheets[row["table"]]
        return next(iter(self._sheets.values()))

    def prepare(self, rows: Iterable[dict[str, Any]]) -> list[tuple[_Sheet, list[Any]]]:
        """Rows typed for the sheet, each checked to fit (nothing is written yet).

        Raises:
            ValueError: a value the column's type cannot hold, or a sheet past Excel's rows.
        """
        prepared = []
        added: dict[int, int] = {}
        for row in rows:
            sheet = self._sheet_of(row)
            added[id(sheet)] = added.get(id(sheet), 0) + 1
            if sheet.rows + added[id(sheet)] > MAX_ROWS:
                raise ValueError(f"an Excel sheet holds at most {MAX_ROWS:,} rows")
            try:
                values = [_typed(kind, row.get(name)) for name, kind in self._columns.items()]
            except (ArithmeticError, TypeError, ValueError) as exc:
                raise ValueError(f"a value does not fit the {self._table} sheet: {exc}") from None
            prepared.append((sheet, values))
        return prepared

    def commit(self, prepared: list[tuple[_Sheet, list[Any]]]) -> int:
        """Add rows from :meth:`prepare`; returns how many."""
        for sheet, values in prepared:
            sheet.append(values)
        return len(prepared)

    def write(self, rows: Iterable[dict[str, Any]]) -> int:
        """Add rows; returns how many."""
        return self.commit(self.prepare(rows))

    def finish(self) -> None:
        for sheet in self._sheets.values():
            sheet.finish()

    def close(self) -> None:
        """Finish this table; the workbook is saved when its last table is closed."""
        self._book.closed(self)


class XlsxWorkbook:
    """A workbook holding one or more tidy tables, saved when the last one is closed.

    Args:
        out: A binary file object (the CLI passes an atomic temporary file) or a path.
        tables: ``cells``, ``findings`` and/or ``metrics``, in sheet order.

    Example::

        with open("dataset.xlsx", "wb") as out:
            book = XlsxWorkbook(out, ("cells", "findings"))
            book["cells"].write(gd.export.cell_rows(report))
            book["findings"].write(gd.export.finding_rows(report, gd.check(report)))
            book.close()
    """

    def __init__(self, out: IO[bytes] | str, tables: Sequence[str]) -> None:
        openpyxl = _openpyxl()
        self._out = out
        self.book = openpyxl.Workbook(write_only=True)
        self._tables = {table: _Table(self, table) for table in tables}
        self._open = set(self._tables)
        self._saved = False

    def __getitem__(self, table: str) -> _Table:
        return self._tables[table]

    def closed(self, table: _Table) -> None:
        """Called by a table's ``close``: saves the workbook once every table is closed."""
        self._open.discard(next(k for k, v in self._tables.items() if v is table))
        if not self._open:
            self.close()

    def close(self) -> None:
        """Finish every sheet and save the workbook (once)."""
        if self._saved:
            return
        self._saved = True
        for table in self._tables.values():
            table.finish()
        self.book.save(self._out)
