"""Type introspection of the model classes: unions, generics, resolved field types.

What the serialisers, schema generators and parsers need to walk the model generically,
kept apart from cell addresses (:mod:`gov_disclosure.model.addressing`), which use it too.
"""

from __future__ import annotations

import inspect
import sys
import types
import typing
from collections.abc import Iterable
from typing import Any, TypeVar, Union

import attrs

__all__ = [
    "is_model_class",
    "is_model_union",
    "only_checks_class",
    "resolved_fields",
    "union_members",
]


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


_INSTANCE_OF = type(attrs.validators.instance_of(object))


def only_checks_class(attribute: attrs.Attribute[Any], classes: Iterable[type]) -> bool:
    """Whether a group field's validator is none, or only a class check ``classes`` pass.

    What a reader that builds a group's object from the group's own class may skip: the
    object is then of one of ``classes`` by construction.
    """
    check = attribute.validator
    if check is None:
        return True
    expected = getattr(check, "type", None)
    return (
        isinstance(check, _INSTANCE_OF)
        and isinstance(expected, type)
        and all(issubclass(cls, expected) for cls in classes)
    )
