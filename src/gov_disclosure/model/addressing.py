"""Cell addresses: dotted paths from the report root to one cell (format-spec.md §3).

``requests.outcomes.withheld.state_secret.natural_person`` names one cell of table 3. The
functions here list a report's cells in template order with their Chinese labels, and read
or replace one cell by address. Everything is derived from the classes' field metadata.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Literal, TypeVar, Union

import attrs

from gov_disclosure.errors import AddressError, CellValueError
from gov_disclosure.model.fields import FieldInfo, info
from gov_disclosure.model.introspection import (
    resolved_fields,
    union_members,
)

__all__ = [
    "Cell",
    "CellStatus",
    "cell",
    "cell_values",
    "cells",
    "get_cell",
    "iter_cell_fields",
    "with_cell",
]

T = TypeVar("T")

CellValue = Union[int, Decimal, None]  # noqa: UP007
CellStatus = Literal["value", "blank", "unread"]


@attrs.frozen
class Cell:
    """One cell of a report.

    Attributes:
        address: The dotted canonical address.
        labels: The Chinese labels from the section down to the column, e.g.
            ``("三、收到和处理政府信息公开申请情况", "（七）总计", "自然人")``.
        value: The value; ``None`` is a blank or an unread cell.
        info: The field's metadata (kind, English description).
        unread: Why a parser could not read the cell (a code of
            :data:`~gov_disclosure.model.unread.UNREAD_REASONS`), or ``None`` when it was read.
    """

    address: str
    labels: tuple[str, ...]
    value: CellValue
    info: FieldInfo
    unread: str | None = None

    @property
    def status(self) -> CellStatus:
        """``value``, ``blank`` (nothing printed) or ``unread`` (not read by a parser)."""
        if self.unread is not None:
            return "unread"
        return "blank" if self.value is None else "value"


def iter_cell_fields(
    tp: Any, prefix: str = "", labels: tuple[str, ...] = ()
) -> Iterator[tuple[str, tuple[str, ...], FieldInfo]]:
    """The template layout of a class: every cell's address, labels and metadata.

    Where a field's type is a union (the 2021 ``outcomes.other``), the first member, the
    template's own layout, is used.
    """
    for attribute, ftype in resolved_fields(tp):
        fi = info(attribute)
        address = f"{prefix}{attribute.name}"
        if fi.is_cell:
            yield address, (*labels, fi.label), fi
        elif fi.kind == "group":
            member = union_members(ftype)[0]
            yield from iter_cell_fields(member, address + ".", (*labels, fi.label))


@functools.cache
def _plan(cls: Any) -> tuple[tuple[str, FieldInfo, bool], ...]:
    """A class's cells and groups, in field order: (name, field info, is a cell)."""
    return tuple(
        (a.name, info(a), info(a).is_cell)
        for a in attrs.fields(cls)
        if info(a).is_cell or info(a).kind == "group"
    )


def _walk(obj: Any, prefix: str, labels: tuple[str, ...], unread: dict[str, str]) -> Iterator[Cell]:
    for name, fi, is_cell in _plan(obj.__class__):
        value = getattr(obj, name)
        address = prefix + name
        if is_cell:
            yield Cell(address, (*labels, fi.label), value, fi, unread.get(address))
        else:
            yield from _walk(value, address + ".", (*labels, fi.label), unread)


def _values(obj: Any, prefix: str, out: dict[str, CellValue]) -> None:
    for name, _, is_cell in _plan(obj.__class__):
        value = getattr(obj, name)
        if is_cell:
            out[prefix + name] = value
        else:
            _values(value, f"{prefix}{name}.", out)


def cell_values(report: Any) -> dict[str, CellValue]:
    """Every cell's value by address, in template order (``None`` for blank and unread).

    The values of :func:`cells` without the labels and statuses, at a fraction of the cost
    (for code that sums cells: indicators, comparisons).
    """
    out: dict[str, CellValue] = {}
    _values(report, "", out)
    return out


def cells(report: Any) -> list[Cell]:
    """Every cell of a report in template order (tables 2, 3 and 4).

    A hybrid 2021 report lists its single （六）其他处理 row as ``requests.outcomes.other.*``.
    Each :class:`Cell` knows its :attr:`~Cell.status`: value, blank or unread.
    """
    return list(_walk(report, "", (), getattr(report, "unread", {})))


def cell(report: Any, address: str) -> Cell:
    """The one cell at ``address``, with its labels and status.

    Raises:
        AddressError: if the address does not name a cell of this report.
    """
    chain = _resolve(report, address)
    labels = tuple(info(attribute).label for _, attribute in chain)
    obj, attribute = chain[-1]
    unread = getattr(report, "unread", {}).get(address)
    return Cell(address, labels, getattr(obj, attribute.name), info(attribute), unread)


def _resolve(report: Any, address: str) -> list[tuple[Any, attrs.Attribute[Any]]]:
    """The chain of (object, attribute) pairs an address walks through."""
    if not isinstance(address, str) or not address:
        raise AddressError(f"invalid cell address {address!r}")
    chain: list[tuple[Any, attrs.Attribute[Any]]] = []
    obj = report
    parts = address.split(".")
    for depth, part in enumerate(parts):
        if not attrs.has(type(obj)):
            break
        attribute = attrs.fields_dict(type(obj)).get(part)
        if attribute is None:
            break
        chain.append((obj, attribute))
        fi = info(attribute)
        if depth == len(parts) - 1:
            if fi.is_cell:
                return chain
            break
        obj = getattr(obj, part)
    raise AddressError(
        f"{address!r} is not a cell address of a {type(report).__name__} "
        f"(edition {getattr(report, 'format', '?')})"
    )


def get_cell(report: Any, address: str) -> CellValue:
    """Return the value of the cell at ``address`` (``None`` for a blank or unread cell).

    Use :func:`cell` to tell a blank cell from an unread one.

    Raises:
        AddressError: if the address does not name a cell of this report.
    """
    chain = _resolve(report, address)
    obj, attribute = chain[-1]
    value: CellValue = getattr(obj, attribute.name)
    return value


def with_cell(report: T, address: str, value: CellValue) -> T:
    """Return a copy of ``report`` with one cell replaced.

    Setting a cell (to a value or to blank) states what it holds, so an unread mark on that
    cell is cleared.

    Raises:
        AddressError: if the address does not name a cell of this report.
        ValueError: if the value is not allowed in that cell (e.g. a negative count).
    """
    chain = _resolve(report, address)
    new_value: Any = value
    try:
        for obj, attribute in reversed(chain[1:]):
            new_value = attrs.evolve(obj, **{attribute.name: new_value})
        root, attribute = chain[0]
        changes: dict[str, Any] = {attribute.name: new_value}
        unread = getattr(root, "unread", None)
        if unread and address in unread:
            changes["unread"] = {a: r for a, r in unread.items() if a != address}
        result: T = attrs.evolve(root, **changes)
    except ValueError as exc:
        raise CellValueError(f"{address}: {exc}", address=address) from None
    return result
