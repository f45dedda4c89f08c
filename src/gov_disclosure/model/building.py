"""Building a report in code from a flat mapping of cells (the vendors' side of the model).

A platform that writes reports holds its figures as rows of (cell, value). Two functions turn
them into a report in one pass:

* :func:`new_report` builds a report of an edition with its cells set;
* :func:`with_cells` sets many cells of a report at once (each row object rebuilt once).

A cell is named by its canonical address (``requests.new_received.total``) or by where it is
printed, as the docs and messages write it: ``("表三", "一、本年新收政府信息公开申请数量",
"自然人")``, the table then the row and column labels (a nested row may be given by its
own label alone, when that names one row). ``gd.cells(report)`` and :func:`with_cells`
round-trip.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar, Union

import attrs

from gov_disclosure.errors import AddressError, CellValueError
from gov_disclosure.model.addressing import CellValue, cells, with_cell
from gov_disclosure.model.report import Agency, Report, report_class

__all__ = ["CellKey", "address_of", "new_report", "with_cells"]

T = TypeVar("T")

CellKey = Union[str, tuple[str, ...]]  # noqa: UP007
"""A canonical address, or ``(table, row labels..., column label)`` as printed."""

_TABLES = {"proactive_disclosure": "表二", "requests": "表三", "review_litigation": "表四"}


@functools.cache
def _printed(edition: str, hybrid: bool) -> dict[tuple[str, ...], str]:
    """Printed keys -> addresses for a layout.

    The full label path, and every shorter tail (row and column at least) that names one cell.
    """
    from gov_disclosure.model.report import template_report

    full: dict[tuple[str, ...], str] = {}
    tails: dict[tuple[str, ...], set[str]] = {}
    for cell in cells(template_report(edition, hybrid=hybrid)):
        table = _TABLES[cell.address.partition(".")[0]]
        labels = tuple(cell.labels[1:])
        key = (table, *labels)
        full[key] = cell.address
        for start in range(1, len(labels) - 1):
            tail = (table, *labels[start:])
            tails.setdefault(tail, set()).add(cell.address)
    for key, found in tails.items():
        if len(found) == 1 and key not in full:
            full[key] = next(iter(found))
    return full


def address_of(report: Report, key: CellKey) -> str:
    """The canonical address a key names in this report's layout.

    Raises:
        AddressError: for a key that names no cell (or several) of this layout.
    """
    if isinstance(key, str):
        return key  # checked when the cell is set
    if not isinstance(key, tuple) or not all(isinstance(part, str) for part in key):
        raise AddressError(f"a cell key is an address or a tuple of labels, not {key!r}")
    address = _printed(report.format, report.is_hybrid).get(key)
    if address is None:
        raise AddressError(
            f"{key!r} names no cell of a {report.format} report "
            f"(e.g. ('表三', '一、本年新收政府信息公开申请数量', '自然人'))"
        )
    return address


def with_cells(
    report: T, mapping: Mapping[CellKey, CellValue] | Iterable[tuple[CellKey, CellValue]]
) -> T:
    """A copy of ``report`` with many cells set, in one pass.

    Each row object is rebuilt once (not once per cell); the unread marks of the cells set
    are cleared, as :func:`~gov_disclosure.with_cell` does.

    Args:
        report: A :class:`~gov_disclosure.Report2021` or :class:`~gov_disclosure.Report2019`.
        mapping: Cell key -> value (``int``, ``Decimal`` or ``None`` for blank), or pairs.

    Raises:
        AddressError: naming a key that is not a cell of the report.
        CellValueError: naming the cell whose value is not allowed (a negative count...).
    """
    items = mapping.items() if isinstance(mapping, Mapping) else mapping
    values: dict[str, CellValue] = {}
    for key, value in items:
        values[address_of(report, key)] = value  # type: ignore[arg-type]  # T is a Report
    if not values:
        return report
    # group the changes by parent object path, deepest first, and rebuild each parent once
    changes: dict[tuple[str, ...], dict[str, Any]] = {}
    for address, value in values.items():
        with_cell(report, address, value)  # validates the address and the value alone
        *parents, leaf = address.split(".")
        changes.setdefault(tuple(parents), {})[leaf] = value
    for depth in range(max(len(p) for p in changes), 0, -1):  # deepest first, up to the root
        for path in [p for p in changes if len(p) == depth]:
            obj: Any = report
            for part in path:
                obj = getattr(obj, part)
            try:
                rebuilt = attrs.evolve(obj, **changes[path])
            except ValueError as exc:  # a combination the row refuses
                address = ".".join(path)
                raise CellValueError(f"{address}: {exc}", address=address) from None
            changes.setdefault(path[:-1], {})[path[-1]] = rebuilt
    root = dict(changes.get((), {}))
    unread = getattr(report, "unread", None)
    if unread and any(a in unread for a in values):
        root["unread"] = {a: r for a, r in unread.items() if a not in values}
    result: T = attrs.evolve(report, **root)  # type: ignore[misc]
    return result


def new_report(
    edition: str,
    *,
    year: int,
    agency: Agency | str,
    cells: Mapping[CellKey, CellValue] | Iterable[tuple[CellKey, CellValue]] | None = None,
    hybrid: bool = False,
) -> Report:
    """A report of an edition with these cells set (every other cell blank).

    Args:
        edition: ``"2021"`` or ``"2019"``.
        year: The report year.
        agency: The publishing body: its name or an :class:`~gov_disclosure.Agency`.
        cells: Cell key -> value (see :func:`with_cells`).
        hybrid: A 2021 report whose （六）其他处理 is one row.

    Raises:
        ValueError: for an unknown edition or year, or ``hybrid`` outside the 2021 edition.
        AddressError: naming a key that is not a cell of the edition.
        CellValueError: naming a cell whose value is not allowed.
    """
    from gov_disclosure.model.tables import ApplicantRow, Outcomes, Requests

    cls = report_class(edition)
    if hybrid and edition != "2021":
        raise ValueError("only the 2021 edition has a hybrid layout")
    body = Agency(name=agency) if isinstance(agency, str) else agency
    requests: Any = Requests(outcomes=Outcomes(other=ApplicantRow())) if hybrid else Requests()
    report: Report = cls(year=year, agency=body, requests=requests)
    return with_cells(report, cells or {})
