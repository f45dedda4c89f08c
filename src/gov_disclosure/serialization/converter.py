"""The dedicated cattrs converter for the JSON format.

Every field gets a strict structure hook chosen from its metadata kind (never cattrs' lenient
defaults: ``int("3")`` or ``int(2.7)`` would turn bad data into numbers). Unknown keys are
rejected, required keys enforced, and failures are collected per field so that
:func:`gov_disclosure.loads` can report every problem with its JSON path.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from gov_disclosure.errors import Problem
from gov_disclosure.model.addressing import resolved_fields, union_members
from gov_disclosure.model.fields import MAX_COUNT, YEAR_RANGE, FieldInfo, info
from gov_disclosure.model.unread import UNREAD_REASONS

__all__ = [
    "MONEY_PATTERN",
    "MONEY_RE",
    "describe",
    "make_converter",
    "problems_from_exception",
]

MONEY_PATTERN = r"^[0-9]+(\.[0-9]+)?(?!\n)$"
"""Money cells as JSON strings: plain decimal notation, no sign, no exponent.

ECMA-262 (JSON Schema) reads ``$`` as the end of the string, but Python's ``re`` (and so
python-jsonschema) also lets ``$`` match before a final newline: ``(?!\n)`` closes that gap in
both dialects (``\\Z`` would be a literal ``Z`` in ECMA-262). Python code uses :data:`MONEY_RE`.
"""

MONEY_RE = re.compile(r"[0-9]+(\.[0-9]+)?")
"""The money pattern for Python's ``re.fullmatch`` (no newline slips through)."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_IDENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def describe(value: object) -> str:
    """A short JSON-ish rendering of a bad value for error messages."""
    if type(value) is int and value.bit_length() > 200:  # json.dumps of it is slow and long
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"
    if isinstance(value, float) and type(value) is not float:  # the decoder's huge-number marker
        return repr(value)
    try:
        shown = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _as_int(value: object) -> int | None:
    """An integer from JSON: ints, and integral floats (JSON Schema calls ``1.0`` an integer).

    A float is taken only where it is exact (``1e23`` is not 10**23 as a float): above
    :data:`MAX_COUNT` it is refused rather than stored as the float's nearest integer.
    """
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer() and abs(value) <= MAX_COUNT:
        return int(value)
    return None


def _count_hook(value: object, _: object) -> int | None:
    if value is None or (type(value) is int and 0 <= value <= MAX_COUNT):
        return value  # the common case, kept first: this hook runs for ~200 cells per report
    number = _as_int(value)
    if number is None or not 0 <= number <= MAX_COUNT:
        raise ValueError(
            f"expected an integer from 0 to {MAX_COUNT} or null, got {describe(value)}"
        )
    return number


def _signed_hook(value: object, _: object) -> int | None:
    if value is None:
        return None
    number = _as_int(value)
    if number is None or not -MAX_COUNT <= number <= MAX_COUNT:
        raise ValueError(
            f"expected an integer from {-MAX_COUNT} to {MAX_COUNT} or null, got {describe(value)}"
        )
    return number


def _money_hook(value: object, _: object) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, str) or not MONEY_RE.fullmatch(value):
        raise ValueError(
            f'expected a decimal number as a string (e.g. "96171.6") or null, got {describe(value)}'
        )
    return Decimal(value)


def _check_unicode(value: str) -> str:
    # JSON "\\ud800" decodes to a lone surrogate, which no UTF encoding can write back out
    if not value.isascii() and _SURROGATE.search(value):
        raise ValueError("text holds a lone surrogate (\\ud800-\\udfff), which is not Unicode text")
    return value


def _text_hook(value: object, _: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected a string or null, got {describe(value)}")
    return _check_unicode(value)


def _required_text_hook(value: object, _: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected a non-empty string, got {describe(value)}")
    return _check_unicode(value)


def unread_hook(value: object, _: object) -> dict[str, str]:
    """The unread map: addresses are checked against the layout by the model itself."""
    if type(value) is not dict:
        raise ValueError(f"expected an object of cell address -> reason, got {describe(value)}")
    for address, reason in value.items():
        if not isinstance(reason, str) or reason not in UNREAD_REASONS:
            raise ValueError(
                f"unread[{describe(address)}]: expected a reason among {sorted(UNREAD_REASONS)}, "
                f"got {describe(reason)}"
            )
    return dict(value)


def _date_hook(value: object, _: object) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, str) and _DATE_RE.match(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f'expected a date as "YYYY-MM-DD" or null, got {describe(value)}')


def _year_hook(value: object, _: object) -> int:
    number = _as_int(value)
    low, high = YEAR_RANGE
    if number is None or not low <= number <= high:
        raise ValueError(f"expected a report year from {low} to {high}, got {describe(value)}")
    return number


def _choice_hook(tp: Any) -> Callable[[object, object], str | None]:
    allowed = tuple(a for m in union_members(tp) for a in typing.get_args(m))

    def hook(value: object, _: object) -> str | None:
        if value is None:
            return None
        if value not in allowed:
            raise ValueError(f"expected one of {list(allowed)} or null, got {describe(value)}")
        assert isinstance(value, str)
        return value

    return hook


def _field_hook(fi: FieldInfo, tp: Any) -> Callable[[object, object], Any] | None:
    """The strict structure hook for a leaf field, or ``None`` for nested groups."""
    if fi.kind == "count":
        return _count_hook
    if fi.kind == "signed":
        return _signed_hook
    if fi.kind == "money":
        return _money_hook
    if fi.kind in ("text", "unit"):
        return _required_text_hook if fi.required else _text_hook
    if fi.kind == "date":
        return _date_hook
    if fi.kind == "year":
        return _year_hook
    if fi.kind == "choice":
        return _choice_hook(tp)
    if fi.kind == "unread":
        return unread_hook
    return None


def _count_row_hook(cls: Any, keys: frozenset[str]) -> Callable[[Any, Any], Any]:
    """Fast path for rows made only of count cells (most of a report).

    The attrs validators check every value (an ``int`` >= 0 or ``None``); anything unusual,
    even a JSON ``1.0``, fails here and :func:`~gov_disclosure.loads` retries with the
    detailed converter, which is the reference behaviour.
    """
    size = len(keys)

    def structure(value: Any, _: Any) -> Any:
        # As many keys as fields, and __init__ refuses any other keyword: so exactly the
        # fields are present (cheaper than comparing the key sets).
        if type(value) is not dict or len(value) != size:
            raise ValueError("not a plain count row")
        return cls(**value)

    return structure


def _is_model_class(tp: Any) -> bool:
    return attrs.has(typing.get_origin(tp) or tp)


def _is_union_of_model_classes(tp: Any) -> bool:
    members = union_members(tp)
    return len(members) > 1 and all(_is_model_class(m) for m in members)


def make_converter(*, detailed: bool = True) -> cattrs.Converter:
    """Build the converter for the JSON format (a new instance, never cattrs' global one).

    Args:
        detailed: Collect every error with its path (slower). Without it the first error
            stops structuring; :func:`gov_disclosure.loads` uses the fast converter first and
            re-runs the detailed one only to explain a failure.

    Returns:
        A converter whose ``structure`` expects plain JSON data (as ``json.loads`` returns
        it) and whose ``unstructure`` produces it. Report classes are (un)structured without
        the ``format`` key; :mod:`gov_disclosure.serialization.json_format` adds it.
    """
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed)

    def structure_factory(tp: Any) -> Callable[[Any, Any], Any]:
        fields = resolved_fields(tp)
        if not detailed and all(info(a).kind == "count" for a, _ in fields):
            return _count_row_hook(tp, frozenset(a.name for a, _ in fields))
        overrides: dict[str, Any] = {}
        for attribute, ftype in fields:
            hook = _field_hook(info(attribute), ftype)
            if hook is not None:
                overrides[attribute.name] = override(struct_hook=hook)
        base = make_dict_structure_fn(tp, conv, _cattrs_forbid_extra_keys=True, **overrides)
        required = frozenset(a.name for a, _ in fields if info(a).required)

        def structure(value: Any, _: Any) -> Any:
            if type(value) is not dict:
                raise ValueError(f"expected an object, got {describe(value)}")
            if value.keys() >= required:  # the common case, without building a set
                return base(value, tp)
            missing = required.difference(value)
            # Report the missing keys together with whatever else is wrong in this object.
            errors: list[Exception] = [
                ValueError(f"missing required key(s): {', '.join(sorted(missing))}")
            ]
            try:
                base(value, tp)
            except ClassValidationError as exc:
                errors.extend(exc.exceptions)
            except (ValueError, TypeError) as exc:
                errors.append(exc)
            raise ClassValidationError(f"While structuring {tp!r}", errors, tp)

        return structure

    def union_factory(tp: Any) -> Callable[[Any, Any], Any]:
        members = union_members(tp)
        keys = [frozenset(a.name for a in attrs.fields(typing.get_origin(m) or m)) for m in members]

        def structure(value: Any, _: Any) -> Any:
            if isinstance(value, dict) and value:
                fits = [m for m, k in zip(members, keys, strict=True) if k.issuperset(value)]
                if len(fits) == 1:
                    return conv.structure(value, fits[0])
            options = " or ".join("{" + ", ".join(sorted(k)) + "}" for k in keys)
            raise ValueError(f"expected an object with the keys of {options}")

        return structure

    conv.register_structure_hook_factory(_is_union_of_model_classes, union_factory)
    conv.register_structure_hook_factory(_is_model_class, structure_factory)

    def unstructure_factory(tp: Any) -> Callable[[Any], Any]:
        return make_dict_unstructure_fn(tp, conv)

    conv.register_unstructure_hook_factory(_is_model_class, unstructure_factory)
    conv.register_unstructure_hook(Decimal, lambda d: format(d, "f"))
    conv.register_unstructure_hook(dict, lambda d: dict(sorted(d.items())))
    conv.register_unstructure_hook(datetime.date, lambda d: d.isoformat())
    return conv


@functools.cache
def default_converter(*, detailed: bool = False) -> cattrs.Converter:
    """The library's shared JSON converters (each built once)."""
    return make_converter(detailed=detailed)


def _join(path: str, key: str) -> str:
    return (
        f"{path}.{key}"
        if _IDENT_RE.match(key)
        else f"{path}[{json.dumps(key, ensure_ascii=False)}]"
    )


def problems_from_exception(exc: BaseException, path: str = "$") -> list[Problem]:
    """Flatten a cattrs structuring error into problems with JSON paths."""
    if isinstance(exc, ClassValidationError):
        with_notes, without = exc.group_exceptions()
        out: list[Problem] = []
        for sub, note in with_notes:
            out.extend(problems_from_exception(sub, _join(path, str(note.name))))
        for sub in without:
            out.extend(problems_from_exception(sub, path))
        return out
    if isinstance(exc, IterableValidationError):  # pragma: no cover - the model has no lists
        return [p for sub in exc.exceptions for p in problems_from_exception(sub, path)]
    if isinstance(exc, ForbiddenExtraKeysError):
        return [Problem(_join(path, key), "unknown key") for key in sorted(exc.extra_fields)]
    if isinstance(exc, (ValueError, TypeError)):
        return [Problem(path, str(exc))]
    return [Problem(path, f"{type(exc).__name__}: {exc}")]
