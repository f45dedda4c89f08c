"""Cell addresses: dotted paths from the report root to one cell (format-spec.md §3).

``requests.outcomes.withheld.state_secret.natural_person`` names one cell of table 3. The
functions here list a report's cells in template order with their Chinese labels, and read
or replace one cell by address. Everything is derived from the classes' field metadata.
"""

from __future__ import annotations

import functools
import inspect
import sys
import types
import typing
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Literal, TypeVar, Union

import attrs

from gov_disclosure.errors import AddressError, CellValueError
from gov_disclosure.model.fields import FieldInfo, info

__all__ = [
    "Cell",
    "CellStatus",
    "cell",
    "cell_values",
    "cells",
    "get_cell",
    "is_model_class",
    "is_model_union",
    "iter_cell_fields",
    "resolved_fields",
    "union_members",
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


def union_members(tp: Any) -> tuple[Any, ...]:
    """The members of a union type, or ``(tp,)`` for any other type."""
    if typing.get_origin(tp) in (Union, types.UnionType):
        return typing.get_args(tp)
    return (tp,)


def is_model_class(tp: Any) -> bool:
    """Whether ``tp`` is a model class (an attrs class, or a parametrised one)."""
    return attrs.has(typing.get_origin(tp) or tp)


def is_model_union(tp: Any) -> bool:
    """Whether ``tp`` is a union of model classes (the 2021 （六）其他处理)."""
    members = union_members(tp)
    return len(members) > 1 and all(is_model_class(m) for m in members)


def _substitute(tp: Any, mapping: dict[Any, Any]) -> Any:
    if isinstance(tp, TypeVar):
        return mapping.get(tp, tp)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is None or not args:
        return tp
    new_args = tuple(_substitute(a, mapping) for a in args)
    if origin in (Union, types.UnionType):
        return Union[new_args]  # noqa: UP007
    return origin[new_args]


def _typevar_mapping(cls: type, alias: Any) -> dict[Any, Any]:
    """Map the type variables of ``cls`` (and its generic bases) to concrete types."""
    mapping: dict[Any, Any] = {}
    if alias is not cls:
        mapping.update(zip(cls.__parameters__, typing.get_args(alias), strict=True))  # type: ignore[attr-defined]
    for base in getattr(cls, "__orig_bases__", ()):
        base_origin = typing.get_origin(base)
        if base_origin is not None and hasattr(base_origin, "__parameters__"):
            args = tuple(_substitute(a, mapping) for a in typing.get_args(base))
            mapping.update(zip(base_origin.__parameters__, args, strict=True))
    return mapping


_RESOLVED: dict[Any, tuple[tuple[attrs.Attribute[Any], Any], ...]] = {}
_EVALUATED: dict[tuple[str, str], Any] = {}


def _field_types(cls: type) -> dict[str, Any]:
    """The evaluated annotations of the attrs fields of ``cls`` (``typing.get_type_hints``).

    Each annotation string is evaluated once per module, not once per field: the model's
    124 annotations are 33 strings, and compiling each (what ``get_type_hints`` does) was a
    tenth of the first ``loads`` in a fresh interpreter.
    """
    names = {a.name for a in attrs.fields(cls)}
    found: dict[str, Any] = {}
    for base in reversed(cls.__mro__):  # a subclass's annotation overrides its base's
        for name, annotation in inspect.get_annotations(base).items():
            if name not in names:
                continue
            if isinstance(annotation, str):
                key = (base.__module__, annotation)
                if key not in _EVALUATED:
                    namespace = vars(sys.modules[base.__module__])
                    _EVALUATED[key] = eval(annotation, namespace)  # our own source
                annotation = _EVALUATED[key]
            found[name] = annotation
    return found


def resolved_fields(tp: Any) -> tuple[tuple[attrs.Attribute[Any], Any], ...]:
    """The attrs fields of a class or generic alias, with type variables resolved.

    Args:
        tp: An attrs class (``Report2021``) or a parametrised generic (``Outcomes[ApplicantRow]``).

    Returns:
        ``(attribute, type)`` pairs in declaration (template) order.
    """
    cached = _RESOLVED.get(tp)
    if cached is None:
        cls = typing.get_origin(tp) or tp
        hints = _field_types(cls)
        mapping = _typevar_mapping(cls, tp)
        cached = tuple((a, _substitute(hints[a.name], mapping)) for a in attrs.fields(cls))
        _RESOLVED[tp] = cached
    return cached


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
