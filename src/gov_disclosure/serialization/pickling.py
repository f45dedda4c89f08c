"""Compact pickling for the frozen attrs classes that cross process boundaries.

A batch sends one result per file from its workers (check results, findings, parsed
reports) and the main process unpickles them all, on the cores the workers need. attrs
pickles a slotted class through a ``__getstate__``/``__setstate__`` pair that builds and
walks a dict per object in Python; :func:`compact_pickle` sends the field values as one
tuple and sets the slots directly, without the class's validators (the values come from an
instance that passed them). Measured on a check result with one finding: 3.2 µs to pickle
and 4.1 µs to unpickle, from 6.3 and 5.8 µs (docs/performance.md).

Pickles are for processes running the same version of the library (a pool's workers, a Dask
cluster), never a storage format: the documents are JSON and XML.
"""

from __future__ import annotations

import functools
import operator
import types
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import attrs

from gov_disclosure.codegen import compile_source, identifier

__all__ = ["compact_pickle", "from_fields", "reduce_to_fields"]

T = TypeVar("T", bound=type)

_READERS: dict[type, Callable[[Any], Any]] = {}
_BUILDERS: dict[type, Callable[[Sequence[Any]], Any]] = {}


def _reader(cls: type) -> Callable[[Any], Any]:
    """A function reading an instance's field values as a tuple, in field order."""
    names = tuple(field.name for field in attrs.fields(cls))
    read: Callable[[Any], Any] = operator.attrgetter(*names)
    if len(names) == 1:  # attrgetter of one name gives the value, not a 1-tuple
        read = functools.partial(_one_value, read)
    _READERS[cls] = read
    return read


def _one_value(read: Callable[[Any], Any], obj: Any) -> tuple[Any]:
    return (read(obj),)


def _builder(cls: type) -> Callable[[Sequence[Any]], Any]:
    """A function building an instance of ``cls`` from its field values, generated once.

    Straight-line code, one setter call per field (as attrs generates ``__init__``): half
    the time of a loop over the setters, which the many small objects of a parse result
    (a provenance per cell) pay on every unpickling.
    """
    names = [field.name for field in attrs.fields(cls)]
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls}
    function = identifier("build", cls.__name__)
    lines = [f"def {function}(values):", "    obj = new(cls)"]
    if names:
        values = ", ".join(f"v{i}" for i in range(len(names)))
        lines.append(f"    {values}, = values")
    for i, name in enumerate(names):
        slot = getattr(cls, name, None)
        # a slot's member descriptor sets the value past the frozen __setattr__;
        # a subclass without slots keeps the field in its __dict__
        if isinstance(slot, types.MemberDescriptorType):
            scope[f"set{i}"] = slot.__set__
        else:
            scope[f"set{i}"] = functools.partial(_set_attribute, name)
        lines.append(f"    set{i}(obj, v{i})")
    lines.append("    return obj")
    compile_source("\n".join(lines) + "\n", f"unpickling {cls.__name__}", scope)
    build: Callable[[Sequence[Any]], Any] = scope[function]
    _BUILDERS[cls] = build
    return build


def _set_attribute(name: str, obj: Any, value: Any) -> None:
    object.__setattr__(obj, name, value)


def from_fields(cls: type, values: Sequence[Any]) -> Any:
    """An instance of ``cls`` with its fields set to ``values`` (in field order).

    What :func:`reduce_to_fields` pickles an instance as, and how ``from_xml`` builds rows
    from a list of their values; the values are not validated again (they come from an
    instance that passed its validators, or from a schema-valid document).
    """
    try:
        build = _BUILDERS[cls]
    except KeyError:
        build = _builder(cls)
    return build(values)


def reduce_to_fields(self: Any) -> tuple[Any, ...]:
    """``__reduce__`` for a frozen attrs class: rebuilt from the tuple of its field values.

    What :func:`compact_pickle` installs; a base class shared by attrs classes (the model's
    ``Model``) takes it as its ``__reduce__`` directly.
    """
    cls = type(self)  # a subclass's own fields included
    try:
        read = _READERS[cls]
    except KeyError:
        read = _reader(cls)
    return from_fields, (cls, read(self))


def compact_pickle(cls: T) -> T:
    """Class decorator: pickle a frozen attrs class as the tuple of its field values.

    Apply it above ``@attrs.frozen``; subclasses inherit it.

    Raises:
        TypeError: if ``cls`` is not an attrs class.
    """
    if not attrs.has(cast(type, cls)):  # (cast: has() would narrow T away)
        raise TypeError(f"{cls.__qualname__} is not an attrs class")
    setattr(cls, "__reduce__", reduce_to_fields)  # noqa: B010 (added after attrs built the class)
    return cls
