"""Straight-line structuring and unstructuring code, generated per model class at first use.

The cattrs converter (:mod:`gov_disclosure.serialization.converter`) is the reference: it
explains every failure with its JSON path. Valid documents, the common case, take this
faster path instead: one generated function per class converts what JSON cannot carry as is
and calls the class's ``__init__`` (whose validators check every value), like the code attrs
and cattrs generate themselves, without cattrs' dispatch; a class of counts and groups (every
row) is built with its validators' checks inline instead, and on the decoder's output its
blank instance is shared. Anything unusual -- a wrong type, an unknown key, even a JSON
``1.0`` that the reference accepts as an integer -- raises :class:`Declined`, and
:func:`gov_disclosure.loads` hands the document to the reference.
"""

from __future__ import annotations

import datetime
import functools
import types
import typing
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

import attrs

from gov_disclosure.codegen import compile_source, identifier
from gov_disclosure.model.fields import MAX_COUNT, info
from gov_disclosure.model.introspection import (
    is_model_class,
    is_model_union,
    only_checks_class,
    resolved_fields,
    union_members,
)
from gov_disclosure.serialization.leaves import (
    check_unicode,
    date_hook,
    money_hook,
    ocr_hook,
    unread_hook,
)

__all__ = ["Declined", "structure", "unstructure"]


class Declined(Exception):  # noqa: N818 - not an error: a hand-over
    """The fast path does not take this document; the reference converter decides."""


_TAKEN_AS_IS = None
_TEXT = "check_text({v}) if type({v}) is str else {v}"

_STRUCTURE_CALLS: dict[str, str | None] = {
    "count": _TAKEN_AS_IS,  # the validators check counts, years and choices as they are
    "signed": _TAKEN_AS_IS,
    "year": _TAKEN_AS_IS,
    "choice": _TAKEN_AS_IS,
    "money": "money({v}, None)",
    "date": "date_hook({v}, None)",
    "unread": "unread_hook({v}, None)",
    "ocr": "ocr_hook({v}, None)",
    "text": _TEXT,
    "unit": _TEXT,
}
"""The generated code converting a JSON value ``{v}`` of each field kind into the model's
(``None``: none needed); a group calls its class's own function."""

_MARKS = "dict(sorted({v}.items()))"
_PLAIN = "{v}"

_UNSTRUCTURE_EXPRESSIONS: dict[str, str] = {
    "count": _PLAIN,
    "signed": _PLAIN,
    "year": _PLAIN,
    "choice": _PLAIN,
    "text": _PLAIN,
    "unit": _PLAIN,
    "money": "None if {v} is None else format({v}, 'f')",
    "date": "None if {v} is None else {v}.isoformat()",
    "unread": _MARKS,
    "ocr": _MARKS,
}
"""The generated expression giving a model value ``{v}`` of each field kind as JSON data (a
group calls its class's own function)."""


class _Builder:
    """Generates the structuring functions of one class and of the classes it contains.

    Each function hands the object to the class's attrs ``__init__``, whose validators make
    the value checks (the same as the JSON hooks': an ``int`` in range, a ``str``, a value of
    the choice list), after converting what JSON cannot carry as is: nested objects, money
    strings to ``Decimal``, dates; text is checked for lone surrogates. Unknown or missing
    keys make ``__init__`` raise, and the reference converter takes over. Classes of counts
    and groups make the same checks inline (:meth:`_inline`); with ``share_blanks``, their
    blank instances are shared.
    """

    def __init__(self, *, share_blanks: bool = False) -> None:
        self.share_blanks = share_blanks
        self.names: dict[Any, str] = {}
        self.sources: list[str] = []
        self.blanks: dict[str, dict[str, Any]] = {}  # function -> JSON of a blank instance
        self.namespace: dict[str, Any] = {
            "Declined": Declined,
            "money": money_hook,
            "check_text": check_unicode,
            "date_hook": date_hook,
            "unread_hook": unread_hook,
            "ocr_hook": ocr_hook,
            "dict": dict,
            "new": object.__new__,
            "MAX_COUNT": MAX_COUNT,
        }

    def function(self, tp: Any) -> str:
        """The name of the structuring function of ``tp`` (generated on first request)."""
        if tp in self.names:
            return self.names[tp]
        name = _function_name("structure", tp, self.names.values())
        self.names[tp] = name
        if is_model_union(tp):
            self._union(name, union_members(tp))
        else:
            self._model(name, tp)
        return name

    def _union(self, name: str, members: tuple[Any, ...]) -> None:
        branches: list[tuple[str, str]] = []
        for member in members:
            cls = typing.get_origin(member) or member
            key_name = f"{name}_k{len(branches)}"
            self.namespace[key_name] = frozenset(a.name for a in attrs.fields(cls))
            branches.append((key_name, self.function(member)))
        lines = [
            f"def {name}(d):",
            "    if type(d) is not dict or not d:",
            "        raise Declined",
        ]
        lines.append("    if " + " + ".join(f"(d.keys() <= {k})" for k, _ in branches) + " != 1:")
        lines.append("        raise Declined")
        for key_name, function in branches:
            lines.append(f"    if d.keys() <= {key_name}:")
            lines.append(f"        return {function}(d)")
        self.sources.append("\n".join(lines))

    def _model(self, name: str, tp: Any) -> None:
        """Convert what JSON cannot carry as is, then call ``__init__`` (its validators check).

        Classes of counts and groups get a constructor with the checks inline instead
        (:meth:`_inline`).
        """
        self.namespace[f"{name}_cls"] = typing.get_origin(tp) or tp
        if self._inline(name, tp):
            return
        transforms: list[str] = []
        arguments: list[str] = []  # keyword arguments, when every key is required
        for attribute, ftype in resolved_fields(tp):
            key = attribute.name
            kind = info(attribute).kind if attribute.metadata else "group"
            arguments.append(f"{key}=d[{key!r}]")
            if is_model_class(ftype) or is_model_union(ftype):
                call: str | None = f"{self.function(ftype)}({{v}})"
            else:
                call = _STRUCTURE_CALLS[kind]
            if call is None:
                continue
            arguments[-1] = f"{key}=({call.format(v=f'd[{key!r}]')})"
            transforms += [
                f"    v = d.get({key!r}, d)",
                "    if v is not d:",
                f"        d[{key!r}] = {call.format(v='v')}",
            ]
        fields = resolved_fields(tp)
        required = frozenset(a.name for a, _ in fields if a.metadata and info(a).required)
        lines = [f"def {name}(d):", "    if type(d) is not dict:", "        raise Declined"]
        # required keys (JSON null allowed) must be present; unknown keys make __init__ raise
        if len(required) == len(fields):  # with no unknown key, as many keys as fields
            lines += [f"    if len(d) != {len(fields)}:", "        raise Declined"]
            if transforms:
                # as many keys as fields: a missing key (KeyError) is the only way an unknown
                # one can be there, so each value is read by its key, without copying ``d``
                lines.append(f"    return {name}_cls({', '.join(arguments)})")
                self.sources.append("\n".join(lines))
                return
        elif required:
            self.namespace[f"{name}_required"] = required
            lines += [f"    if not d.keys() >= {name}_required:", "        raise Declined"]
        if transforms:  # a copy: the caller's data is never changed
            lines += ["    d = dict(d)", *transforms]
        lines.append(f"    return {name}_cls(**d)")
        self.sources.append("\n".join(lines))

    def _inline(self, name: str, tp: Any) -> bool:
        """A constructor with the validators' checks inline, for a class of counts and groups.

        Such a class (every row, tables 2-4) has every key required, fields of the kinds
        :data:`_INLINE_CHECKS` knows or of model classes, no converter and no
        ``__attrs_post_init__``. Its function tests each count with one expression, builds
        each group with the group's own function (so of the field's class), and sets the
        slots through their descriptors: half the time of ``__init__`` with its keyword
        arguments and a validator call per field (0.6 against 1.3 µs for a row of seven).
        Whatever the checks refuse is declined, and the reference converter explains it.

        Returns:
            Whether the function was generated (else the class takes ``__init__``).
        """
        cls = self.namespace[f"{name}_cls"]
        if hasattr(cls, "__attrs_post_init__"):
            return False
        fields = resolved_fields(tp)
        steps: list[str] = []
        blank: dict[str, Any] | None = {}  # the JSON of the blank instance, if it has one
        for i, (attribute, ftype) in enumerate(fields):
            slot = getattr(cls, attribute.name, None)
            if (
                attribute.converter is not None
                or not attribute.metadata
                or not info(attribute).required
                or not isinstance(slot, types.MemberDescriptorType)
            ):
                return False
            key, kind, setter = attribute.name, info(attribute).kind, f"{name}_set{i}"
            if kind in _INLINE_CHECKS:
                steps += [
                    f"    v = d[{key!r}]",
                    f"    if {_INLINE_CHECKS[kind]}:",
                    "        raise Declined",
                    f"    {setter}(o, v)",
                ]
                if blank is not None:
                    blank[key] = None
            elif (is_model_class(ftype) or is_model_union(ftype)) and only_checks_class(
                attribute, (typing.get_origin(m) or m for m in union_members(ftype))
            ):
                group = self.function(ftype)
                steps.append(f"    {setter}(o, {group}(d[{key!r}]))")
                if blank is not None and group in self.blanks:
                    blank[key] = self.blanks[group]
                else:
                    blank = None  # e.g. a union: no one blank instance
            else:
                return False
            self.namespace[setter] = slot.__set__
        lines = [f"def {name}(d):"]
        if blank is not None and self.share_blanks:
            # Blank rows are common (16 of the sample's 34): they share one instance, as
            # frozen objects may. A dict comparison in C, which fails at the first filled
            # cell: 0.1 against 0.6 µs for building a row of seven. (Zero rows cannot share
            # one this way: False == 0, and a count refuses a bool.)
            self.blanks[name] = blank
            self.namespace[f"{name}_blank_d"] = ()  # never equal, until compile() builds it
            lines += [f"    if d == {name}_blank_d:", f"        return {name}_blank"]
        lines += [
            f"    if type(d) is not dict or len(d) != {len(fields)}:",
            "        raise Declined",  # a missing key (KeyError) is declined by structure()
            f"    o = new({name}_cls)",
            *steps,
            "    return o",
        ]
        self.sources.append("\n".join(lines))
        return True

    def compile(self) -> dict[str, Any]:
        source = "\n\n".join(self.sources) + "\n"
        namespace = compile_source(source, "structuring", self.namespace)
        for name, blank in self.blanks.items():  # a group's own groups come first
            namespace[f"{name}_blank"] = namespace[name](blank)
            namespace[f"{name}_blank_d"] = blank
        return namespace


_INLINE_CHECKS: dict[str, str] = {
    "count": "v is not None and (type(v) is not int or not 0 <= v <= MAX_COUNT)",
    "signed": "v is not None and (type(v) is not int or not -MAX_COUNT <= v <= MAX_COUNT)",
}
"""What the model's validators of a kind refuse, as one expression on ``v`` (the same test
as ``_check_count`` and ``_check_signed``; ``bool`` is refused, as there)."""


def _function_name(verb: str, tp: Any, taken: Iterable[str]) -> str:
    """``structure_ApplicantRow``; a union ``structure_A_or_B``; unique in its source."""
    members = union_members(tp) if is_model_union(tp) else (tp,)
    kinds = "_or_".join(getattr(typing.get_origin(m) or m, "__name__", "type") for m in members)
    base = identifier(verb, kinds)
    used = set(taken)
    name, n = base, 1
    while name in used:
        n += 1
        name = f"{base}_{n}"
    return name


@functools.cache
def _structurer(cls: type, decoded: bool) -> Callable[[dict[str, Any]], Any]:
    builder = _Builder(share_blanks=decoded)
    name = builder.function(cls)
    function: Callable[[dict[str, Any]], Any] = builder.compile()[name]
    return function


def structure(data: dict[str, Any], cls: type, *, decoded: bool = False) -> Any:
    """Build a report of class ``cls`` from its JSON body (without ``format``).

    Args:
        data: The body.
        cls: The report class of its edition.
        decoded: Whether ``data`` comes straight from the JSON decoder. Its values are then
            JSON's own types, whose ``==`` is honest, and a blank row (every cell null) is
            recognised by comparing its dict and shares one instance; any other Python
            object could claim to equal ``None``.

    Raises:
        Declined: for anything the fast path does not take (the reference decides).
    """
    try:
        return _structurer(cls, decoded)(data)
    except Declined:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise Declined from exc


# --- unstructuring ---------------------------------------------------------------------------


class _Unbuilder:
    def __init__(self) -> None:
        self.names: dict[Any, str] = {}
        self.sources: list[str] = []
        self.namespace: dict[str, Any] = {"Decimal": Decimal, "date": datetime.date}

    def function(self, tp: Any) -> str:
        if tp in self.names:
            return self.names[tp]
        name = _function_name("unstructure", tp, self.names.values())
        self.names[tp] = name
        if is_model_union(tp):
            lines = [f"def {name}(o):"]
            for i, member in enumerate(union_members(tp)):
                cls_name = f"{name}_c{i}"
                self.namespace[cls_name] = typing.get_origin(member) or member
                lines.append(f"    if type(o) is {cls_name}:")
                lines.append(f"        return {self.function(member)}(o)")
            lines.append("    raise TypeError(type(o))")
            self.sources.append("\n".join(lines))
            return name
        items = []
        for attribute, ftype in resolved_fields(tp):
            key = attribute.name
            kind = info(attribute).kind if attribute.metadata else "group"
            if is_model_class(ftype) or is_model_union(ftype):
                items.append(f"{key!r}: {self.function(ftype)}(o.{key})")
            else:
                items.append(f"{key!r}: " + _UNSTRUCTURE_EXPRESSIONS[kind].format(v=f"o.{key}"))
        self.sources.append(f"def {name}(o):\n    return {{" + ", ".join(items) + "}")
        return name


@functools.cache
def _unstructurer(cls: type) -> Callable[[Any], dict[str, Any]]:
    builder = _Unbuilder()
    name = builder.function(cls)
    source = "\n\n".join(builder.sources) + "\n"
    compile_source(source, f"unstructuring {cls.__name__}", builder.namespace)
    function: Callable[[Any], dict[str, Any]] = builder.namespace[name]
    return function


def unstructure(report: Any) -> dict[str, Any]:
    """The report as plain JSON data, in field order (without ``format``)."""
    cls: Any = type(report)
    return _unstructurer(cls)(report)
