"""Field factories that attach the format's metadata to every attrs field.

The metadata is the single source of truth for everything derived from the model: JSON
Schema and XSD generators, cell addresses and their Chinese labels, renderers, the tidy
export and the parsers' label tables all read :func:`info` instead of keeping their own lists.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Collection
from typing import Any, Literal

import attrs

from gov_disclosure.serialization.pickling import reduce_to_fields

__all__ = [
    "FieldInfo",
    "FieldKind",
    "Model",
    "choice",
    "count",
    "date",
    "group",
    "info",
    "money",
    "ocr_marks",
    "signed",
    "text",
    "unread_marks",
    "year",
]

FieldKind = Literal[
    "count", "signed", "money", "text", "unit", "year", "date", "choice", "group", "unread", "ocr"
]
"""What a field holds.

``count``, ``signed`` and ``money`` are *cells* of the statistical tables; ``group`` is a
nested table, block or row; ``unread`` is the report's map of cells a parser could not read,
``ocr`` its map of cells read by OCR; the others are metadata or text.
"""

CELL_KINDS: frozenset[str] = frozenset({"count", "signed", "money"})


class Model:
    """The base of the model classes: one ``__repr__`` and one ``__reduce__`` for all of them.

    It writes what attrs' own would (``ApplicantRow(natural_person=1, ...)``). The classes
    are declared with ``repr=False``: attrs compiles a ``__repr__`` per class otherwise,
    2 to 5 ms of a fresh interpreter's first ``loads``.
    """

    __slots__ = ()

    # a batch sends parsed reports between processes: pickled as their field values
    __reduce__ = reduce_to_fields

    def __repr__(self) -> str:
        cls: Any = type(self)
        names = _REPR_NAMES.get(cls)
        if names is None:
            names = _REPR_NAMES[cls] = tuple(a.name for a in attrs.fields(cls) if a.repr)
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{cls.__qualname__.rsplit('>.', 1)[-1]}({shown})"


_REPR_NAMES: dict[type, tuple[str, ...]] = {}

_META_KEY = "gov_disclosure"


@attrs.frozen
class FieldInfo:
    """The format's description of one field.

    Attributes:
        label: The exact Chinese label printed in the template (format-spec.md), or a Chinese
            description for fields the template has no label for.
        en: A short English description.
        kind: What the field holds (see :data:`FieldKind`).
        required: Whether a JSON document must contain the key. Cells are always required
            (``null`` marks a blank); optional metadata may be left out.
        caption: For table-2 rows: the regulation item that heads the block
            (``第二十条第（一）项``).
    """

    label: str
    en: str
    kind: FieldKind
    required: bool = True
    caption: str | None = None

    @property
    def is_cell(self) -> bool:
        """Whether the field is a cell of a statistical table."""
        return self.kind in CELL_KINDS


def info(attribute: attrs.Attribute[Any]) -> FieldInfo:
    """Return the format metadata of a model field.

    Raises:
        KeyError: if the attribute was not declared with one of this module's factories.
    """
    meta = attribute.metadata[_META_KEY]
    assert isinstance(meta, FieldInfo)
    return meta


def _meta(fi: FieldInfo) -> dict[str, FieldInfo]:
    return {_META_KEY: fi}


def _short(value: object) -> str:
    """A bad value for a message, never huge (a 5,000-digit count stays one line)."""
    if type(value) is int and abs(value) > MAX_COUNT:
        # str() of a huge int is slow and may raise past 4,300 digits: estimate instead
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _check_count(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if type(value) is not int or not 0 <= value <= MAX_COUNT:  # bool excluded on purpose
        raise ValueError(
            f"{type(instance).__name__}.{attribute.name}: expected an integer from 0 to "
            f"{MAX_COUNT} or None, got {_short(value)}"
        )


def _check_signed(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if type(value) is not int or not -MAX_COUNT <= value <= MAX_COUNT:
        raise ValueError(
            f"{type(instance).__name__}.{attribute.name}: expected an integer from "
            f"{-MAX_COUNT} to {MAX_COUNT} or None, got {_short(value)}"
        )


MONEY_DIGITS = 24
"""Most digits before the decimal point of a money cell (a national budget has 14)."""

MONEY_PLACES = 12
"""Most decimal places of a money cell (published fees have up to 6). With
:data:`MONEY_DIGITS`, every amount fits a 128-bit decimal (Parquet ``decimal128(38, 12)``),
sums of amounts too; the JSON Schema, the XSD and the export hold the same limit."""


def _check_money(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, decimal.Decimal) or not value.is_finite() or value < 0:
        raise ValueError(
            f"{type(instance).__name__}.{attribute.name}: expected a finite non-negative "
            f"decimal.Decimal or None, got {value!r}"
        )
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if places > MONEY_PLACES or (value and value.adjusted() >= MONEY_DIGITS):
        raise ValueError(
            f"{type(instance).__name__}.{attribute.name}: an amount has at most {MONEY_DIGITS} "
            f"digits before the decimal point and {MONEY_PLACES} after it, got {value}"
        )


def _check_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise ValueError(
            f"{type(instance).__name__}.{attribute.name}: expected a string or None, got {value!r}"
        )


MAX_COUNT = 2**53 - 1
"""Largest count the model accepts: every JSON consumer (JavaScript too) reads it exactly."""


def count(label: str, en: str) -> Any:
    """A non-negative integer cell; ``None`` is a blank cell, distinct from ``0``."""
    return attrs.field(
        default=None, validator=_check_count, metadata=_meta(FieldInfo(label, en, "count"))
    )


def signed(label: str, en: str) -> Any:
    """A signed integer cell (only the 2019 ``本年增/减`` column)."""
    return attrs.field(
        default=None, validator=_check_signed, metadata=_meta(FieldInfo(label, en, "signed"))
    )


def money(label: str, en: str) -> Any:
    """A decimal cell, kept as :class:`decimal.Decimal` (never a float)."""
    return attrs.field(
        default=None, validator=_check_money, metadata=_meta(FieldInfo(label, en, "money"))
    )


def _check_required_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(
            f"{type(instance).__name__}.{attribute.name}: expected a non-empty string, "
            f"got {value!r}"
        )


def text(
    label: str, en: str, *, kind: Literal["text", "unit"] = "text", required: bool = False
) -> Any:
    """Free text (a report section, a name, a unit).

    Optional text is ``None`` when absent; required text has no default and may not be empty.
    """
    fi = FieldInfo(label, en, kind, required=required)
    if required:
        return attrs.field(validator=_check_required_text, metadata=_meta(fi))
    return attrs.field(default=None, validator=_check_text, metadata=_meta(fi))


def group(
    cls: type[Any] | None,
    label: str,
    en: str,
    *,
    caption: str | None = None,
    default: Any = None,
    required: bool = False,
) -> Any:
    """A nested table, block or row.

    Args:
        cls: The class the value must be an instance of, or ``None`` when the type is generic
            and checked elsewhere. It is also the default factory unless ``default`` is given.
        label: The Chinese label of the row or block.
        en: English description.
        caption: Block caption for table-2 rows.
        default: An explicit default (an :class:`attrs.Factory`); by default a blank ``cls()``.
        required: No default at all: the caller must pass a value.
    """
    if required:
        default = attrs.NOTHING
    elif default is None and cls is not None:
        default = attrs.Factory(cls)
    validator = attrs.validators.instance_of(cls) if cls is not None else None
    return attrs.field(
        default=default,
        validator=validator,
        metadata=_meta(FieldInfo(label, en, "group", caption=caption)),
    )


def choice(label: str, en: str, values: Collection[str]) -> Any:
    """An optional value from a closed list (the list is the field's ``Literal`` type)."""
    allowed = frozenset(values)

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and value not in allowed:
            raise ValueError(
                f"{type(instance).__name__}.{attribute.name}: expected one of "
                f"{sorted(allowed)} or None, got {value!r}"
            )

    return attrs.field(
        default=None, validator=check, metadata=_meta(FieldInfo(label, en, "choice", False))
    )


def _check_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (
        not isinstance(value, datetime.date) or isinstance(value, datetime.datetime)
    ):
        raise ValueError(
            f"{type(instance).__name__}.{attribute.name}: expected a datetime.date or None, "
            f"got {value!r}"
        )


def date(label: str, en: str) -> Any:
    """An optional calendar date."""
    return attrs.field(
        default=None, validator=_check_date, metadata=_meta(FieldInfo(label, en, "date", False))
    )


YEAR_RANGE = (2019, 2100)
"""Report years the model accepts: the 2019 template is the oldest in scope (format-spec.md §2)."""


def _check_year(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    low, high = YEAR_RANGE
    if type(value) is not int or not low <= value <= high:
        raise ValueError(
            f"{type(instance).__name__}.{attribute.name}: expected a report year from {low} "
            f"to {high}, got {value!r}"
        )


def year(label: str, en: str) -> Any:
    """The (required) report year."""
    return attrs.field(validator=_check_year, metadata=_meta(FieldInfo(label, en, "year")))


def _check_unread(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValueError(
            f"{type(instance).__name__}.{attribute.name}: expected a dict of cell address -> "
            f"reason code, got {_short(value)}"
        )


def _check_ocr(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and type(v) is float and 0.0 <= v <= 1.0 and round(v, 3) == v
        for k, v in value.items()
    ):
        raise ValueError(
            f"{type(instance).__name__}.{attribute.name}: expected a dict of cell address -> "
            f"OCR confidence (a float from 0 to 1 with at most 3 decimals), got {_short(value)}"
        )


def _marks(label: str, en: str, kind: FieldKind, validator: Any) -> Any:
    # a dict takes part in equality but not in hashing (it is not hashable)
    return attrs.field(
        factory=dict,
        validator=validator,
        hash=False,
        metadata=_meta(FieldInfo(label, en, kind, required=False)),
    )


def ocr_marks(label: str, en: str) -> Any:
    """The report's map of cells read by OCR (address -> confidence); empty unless OCR ran."""
    return _marks(label, en, "ocr", _check_ocr)


def unread_marks(label: str, en: str) -> Any:
    """The report's map of unread cells (address -> reason); empty for a report built by hand."""
    return _marks(label, en, "unread", _check_unread)
