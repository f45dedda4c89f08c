"""The unread state: cells a parser could not read, kept apart from blank cells.

A cell is in exactly one of three states, and every format, check, export and rendering
keeps them apart:

* **value**: a number was printed and read (``0`` is a value);
* **blank**: the report printed nothing in the cell (``None``);
* **unread**: the parser could not prove what the cell holds. The value is ``None`` and the
  report's :attr:`~gov_disclosure.model.ReportBase.unread` mapping names the cell with a
  reason code from :data:`UNREAD_REASONS`.

A report built by hand has no unread cells. The checker never computes with an unread cell:
an identity that needs one is not assessable.
"""

from __future__ import annotations

from typing import Any, Literal

from gov_disclosure.errors import AddressError
from gov_disclosure.model.addressing import get_cell

__all__ = [
    "UNREAD_REASONS",
    "UnreadReason",
    "check_ocr",
    "check_unread",
]

UnreadReason = Literal[
    "ambiguous",
    "unsplittable",
    "too_long",
    "value_count",
    "no_values",
    "row_not_found",
    "table_not_found",
    "illegible",
    "conflicting",
]
"""Why a cell was not read (stable codes, also in the schemas)."""

UNREAD_REASONS: dict[str, tuple[str, str]] = {
    "ambiguous": (
        "粘连数字有多种拆分，勾稽关系无法唯一确定",
        "glued digits admit several splits and the identities do not single one out",
    ),
    "unsplittable": (
        "粘连数字无法拆分为符合勾稽关系的数值",
        "glued digits admit no split that fits the row",
    ),
    "too_long": (
        "粘连数字过长，超出拆分的计算上限",
        "a glued digit run longer than the splitter's work bound",
    ),
    "value_count": (
        "该行数值个数与栏目数不符，无法确定各数值所属栏目",
        "the row has a different number of values than cells; columns cannot be proven",
    ),
    "no_values": ("找到行标签，但该行没有数值", "the row label is present but no values follow"),
    "row_not_found": ("表格中未找到该行", "the row was not found in the table"),
    "table_not_found": ("未找到该表格", "the table was not found in the document"),
    "illegible": ("单元格内容不是可识别的数值", "the cell holds glyphs that are not a number"),
    "conflicting": (
        "同一行在表中印出多次且数值不一致，无法确定",
        "the row is printed more than once in its table, with different values",
    ),
}
"""Reason code -> (Chinese, English) description."""


def _is_cell(report: Any, address: object) -> bool:
    """Whether ``address`` names a cell of this report's own layout (hybrid or not)."""
    if not isinstance(address, str):
        return False
    try:
        get_cell(report, address)
    except AddressError:
        return False
    return True


def check_unread(report: Any) -> None:
    """Validate a report's unread marks (called when a report is built).

    Raises:
        ValueError: for an address that is not a cell of the report's layout, an unknown
            reason, or an unread cell that holds a value.
    """
    name = type(report).__name__
    for address, reason in report.unread.items():
        if not _is_cell(report, address):
            raise ValueError(
                f"{name}.unread: {address!r} is not a cell address of this report's layout"
            )
        if reason not in UNREAD_REASONS:
            raise ValueError(
                f"{name}.unread[{address!r}]: unknown reason {reason!r}; expected one of "
                f"{sorted(UNREAD_REASONS)}"
            )
        if get_cell(report, address) is not None:
            raise ValueError(
                f"{name}.unread[{address!r}]: an unread cell holds no value, but it holds "
                f"{get_cell(report, address)!r}"
            )


def check_ocr(report: Any) -> None:
    """Validate a report's OCR marks: every address is a cell of the report's layout.

    A cell read by OCR may hold a value, be blank (OCR saw nothing there) or be unread
    (OCR's reading was not trusted): all three came from a scanned page.

    Raises:
        ValueError: for an address that is not a cell of the report's layout.
    """
    for address in report.ocr:
        if not _is_cell(report, address):
            raise ValueError(
                f"{type(report).__name__}.ocr: {address!r} is not a cell address of this "
                "report's layout"
            )
