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
from gov_disclosure.model.fields import FieldInfo, info
from gov_disclosure.model.introspection import (
    is_model_class,
    is_model_union,
    resolved_fields,
    union_members,
)
from gov_disclosure.serialization.leaves import (
    MONEY_PATTERN,
    MONEY_RE,
    choice_hook,
    count_hook,
    date_hook,
    describe,
    money_hook,
    ocr_hook,
    required_text_hook,
    signed_hook,
    text_hook,
    unread_hook,
    year_hook,
)

_IDENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

__all__ = [
    "MONEY_PATTERN",
    "MONEY_RE",
    "describe",
    "make_converter",
    "problems_from_exception",
]


_Hook = Callable[[object, object], Any]


def _text_field_hook(fi: FieldInfo, tp: Any) -> _Hook:
    return required_text_hook if fi.required else text_hook


_FIELD_HOOKS: dict[str, Callable[[FieldInfo, Any], _Hook | None]] = {
    "count": lambda fi, tp: count_hook,
    "signed": lambda fi, tp: signed_hook,
    "money": lambda fi, tp: money_hook,
    "text": _text_field_hook,
    "unit": _text_field_hook,
    "date": lambda fi, tp: date_hook,
    "year": lambda fi, tp: year_hook,
    "choice": lambda fi, tp: choice_hook(tp),
    "unread": lambda fi, tp: unread_hook,
    "ocr": lambda fi, tp: ocr_hook,
    "group": lambda fi, tp: None,  # nested: structured by its own class's hook
}
"""The strict structure hook of a field, by kind."""


def _field_hook(fi: FieldInfo, tp: Any) -> _Hook | None:
    """The strict structure hook for a leaf field, or ``None`` for nested groups."""
    return _FIELD_HOOKS[fi.kind](fi, tp)


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

    conv.register_structure_hook_factory(is_model_union, union_factory)
    conv.register_structure_hook_factory(is_model_class, structure_factory)

    def unstructure_factory(tp: Any) -> Callable[[Any], Any]:
        return make_dict_unstructure_fn(tp, conv)

    conv.register_unstructure_hook_factory(is_model_class, unstructure_factory)
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


def problems_from_exception(
    exc: BaseException, path: str = "$", keys: tuple[str, ...] = ()
) -> list[Problem]:
    """Flatten a cattrs structuring error into problems with JSON paths.

    ``keys`` are the model's field names down to ``path``: each problem's
    :attr:`~gov_disclosure.errors.Problem.address`.
    """
    address = ".".join(keys) or None
    if isinstance(exc, ClassValidationError):
        with_notes, without = exc.group_exceptions()
        out: list[Problem] = []
        for sub, note in with_notes:
            name = str(note.name)
            out.extend(problems_from_exception(sub, _join(path, name), (*keys, name)))
        for sub in without:
            out.extend(problems_from_exception(sub, path, keys))
        return out
    if isinstance(exc, IterableValidationError):  # pragma: no cover - the model has no lists
        return [p for sub in exc.exceptions for p in problems_from_exception(sub, path, keys)]
    if isinstance(exc, ForbiddenExtraKeysError):  # the document's keys, not the model's
        return [Problem(_join(path, key), "unknown key") for key in sorted(exc.extra_fields)]
    if isinstance(exc, (ValueError, TypeError)):
        return [Problem(path, str(exc), address=address)]
    if isinstance(exc, KeyError):  # a required key, named once by the object's own problem
        return []
    return [Problem(path, f"{type(exc).__name__}: {exc}", address=address)]
