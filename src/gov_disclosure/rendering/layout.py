"""The official table layout as data: header cells with their spans, labels verbatim.

Every renderer (HTML, Markdown, plain text, DOCX) draws this one grid, so the merged header
cells are decided in one place. Labels come from the model's field metadata.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from gov_disclosure.model.fields import info
from gov_disclosure.model.report import Report
from gov_disclosure.model.tables import ApplicantRow

__all__ = ["UNREAD_MARK", "GridCell", "Table", "format_value", "tables"]

UNREAD_MARK = "?"
"""What an unread cell prints (a blank cell prints nothing, a zero prints 0)."""

TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@attrs.frozen
class GridCell:
    """One printed cell.

    Attributes:
        text: What is printed (empty for a blank cell).
        rowspan: Rows the cell covers.
        colspan: Columns the cell covers.
        address: The canonical address for a value cell, ``None`` for labels.
        header: Whether it is a header or label cell.
        unread: For a cell a parser could not read: the reason code; it prints
            :data:`UNREAD_MARK`, never blank.
        ocr: For a cell read from a scanned page by OCR: the OCR confidence (0-1).
    """

    text: str
    rowspan: int = 1
    colspan: int = 1
    address: str | None = None
    header: bool = True
    unread: str | None = None
    ocr: float | None = None


@attrs.frozen
class Table:
    """A table: its section heading, its column count and its rows of cells."""

    key: str
    heading: str
    columns: int
    rows: tuple[tuple[GridCell, ...], ...]


def format_value(value: Any) -> str:
    """A cell value as printed: blank for ``None``, decimals as written, signed ``change``."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _value(obj: Any, name: str, address: str) -> GridCell:
    return GridCell(format_value(getattr(obj, name)), address=address, header=False)


def _label(obj_type: type, name: str) -> str:
    return info(attrs.fields_dict(obj_type)[name]).label


def _table2(report: Report) -> Table:
    pd = report.proactive_disclosure
    width = 4
    rows: list[tuple[GridCell, ...]] = []
    caption = None
    for attribute in attrs.fields(type(pd)):
        fi = info(attribute)
        row_obj = getattr(pd, attribute.name)
        columns = [a for a in attrs.fields(type(row_obj)) if info(a).is_cell]
        if fi.caption != caption:
            caption = fi.caption
            rows.append((GridCell(caption or "", colspan=width),))
            header = [GridCell("信息内容")]
            header += [GridCell(info(a).label) for a in columns]
            if len(columns) < width - 1:
                last = header[-1]
                header[-1] = GridCell(last.text, colspan=width - len(columns))
            rows.append(tuple(header))
        cells = [GridCell(fi.label)]
        for i, column in enumerate(columns):
            address = f"proactive_disclosure.{attribute.name}.{column.name}"
            cell = _value(row_obj, column.name, address)
            if i == len(columns) - 1 and len(columns) < width - 1:
                cell = attrs.evolve(cell, colspan=width - len(columns))
            if column.name == "amount" and getattr(row_obj, "amount_unit", None) and cell.text:
                cell = attrs.evolve(cell, text=cell.text + str(row_obj.amount_unit))
            cells.append(cell)
        rows.append(tuple(cells))
    return Table("proactive_disclosure", "二、主动公开政府信息情况", width, tuple(rows))


def _applicant_cells(row: ApplicantRow, address: str) -> list[GridCell]:
    return [_value(row, a.name, f"{address}.{a.name}") for a in attrs.fields(ApplicantRow)]


def _table3(report: Report) -> Table:
    rq = report.requests
    outcomes = rq.outcomes
    rows: list[tuple[GridCell, ...]] = [
        (
            GridCell(TABLE3_NOTE, rowspan=3, colspan=3),
            GridCell("申请人情况", colspan=7),
        ),
        (
            GridCell("自然人", rowspan=2),
            GridCell("法人或其他组织", colspan=5),
            GridCell("总计", rowspan=2),
        ),
        tuple(GridCell(_label(ApplicantRow, a.name)) for a in attrs.fields(ApplicantRow)[1:6]),
    ]

    def full_row(name: str) -> tuple[GridCell, ...]:
        label = _label(type(rq), name)
        return (
            GridCell(label, colspan=3),
            *_applicant_cells(getattr(rq, name), f"requests.{name}"),
        )

    rows.append(full_row("new_received"))
    rows.append(full_row("carried_over"))
    outcome_rows: list[list[GridCell]] = []
    for attribute in attrs.fields(type(outcomes)):
        value = getattr(outcomes, attribute.name)
        label = info(attribute).label
        address = f"requests.outcomes.{attribute.name}"
        if isinstance(value, ApplicantRow):
            outcome_rows.append([GridCell(label, colspan=2), *_applicant_cells(value, address)])
            continue
        subs = attrs.fields(type(value))
        for i, sub in enumerate(subs):
            cells = [GridCell(label, rowspan=len(subs))] if i == 0 else []
            cells.append(GridCell(info(sub).label))
            cells += _applicant_cells(getattr(value, sub.name), f"{address}.{sub.name}")
            outcome_rows.append(cells)
    outcome_rows[0].insert(0, GridCell(_label(type(rq), "outcomes"), rowspan=len(outcome_rows)))
    rows.extend(tuple(r) for r in outcome_rows)
    rows.append(full_row("carried_forward"))
    return Table("requests", "三、收到和处理政府信息公开申请情况", 10, tuple(rows))


def _table4(report: Report) -> Table:
    rl = report.review_litigation
    blocks = attrs.fields(type(rl))
    columns = attrs.fields(type(rl.administrative_review))
    column_labels = [GridCell(info(c).label) for c in columns]
    rows: list[tuple[GridCell, ...]] = [
        (GridCell(info(blocks[0]).label, colspan=5), GridCell("行政诉讼", colspan=10)),
        (
            *(attrs.evolve(c, rowspan=2) for c in column_labels),
            GridCell(info(blocks[1]).label, colspan=5),
            GridCell(info(blocks[2]).label, colspan=5),
        ),
        tuple(column_labels * 2),
    ]
    values = [
        _value(getattr(rl, b.name), c.name, f"review_litigation.{b.name}.{c.name}")
        for b in blocks
        for c in columns
    ]
    rows.append(tuple(values))
    return Table("review_litigation", "四、政府信息公开行政复议、行政诉讼情况", 15, tuple(rows))


def _mark(table: Table, unread: dict[str, str], ocr: dict[str, float]) -> Table:
    def marked(c: GridCell) -> GridCell:
        address = c.address
        if address is None or (address not in unread and address not in ocr):
            return c
        if address in unread:
            c = attrs.evolve(c, text=UNREAD_MARK, unread=unread[address])
        return attrs.evolve(c, ocr=ocr.get(address))

    rows = tuple(tuple(marked(c) for c in row) for row in table.rows)
    return attrs.evolve(table, rows=rows)


def tables(report: Report) -> tuple[Table, Table, Table]:
    """The three statistical tables of a report in the official layout.

    Cells a parser could not read print :data:`UNREAD_MARK` and carry their reason; cells
    read by OCR carry their confidence.
    """
    t2, t3, t4 = _table2(report), _table3(report), _table4(report)
    if report.unread or report.ocr:
        return (
            _mark(t2, report.unread, report.ocr),
            _mark(t3, report.unread, report.ocr),
            _mark(t4, report.unread, report.ocr),
        )
    return t2, t3, t4
