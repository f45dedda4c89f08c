"""Compiling generated code so that people and tools can read it.

The library generates straight-line Python at first use (structuring and unstructuring per
model class, the compiled checker per layout, the cell getters, the unpickling builders).
As attrs does for the methods it writes (``_make._linecache_and_compile``), each source is
kept in :mod:`linecache` under a unique file name: tracebacks show its lines, ``pdb`` steps
through it and :func:`inspect.getsource` returns it.
"""

from __future__ import annotations

import itertools
import keyword
import linecache
import re
from typing import Any

__all__ = ["compile_source", "identifier"]

_SERIAL = itertools.count(1)


def compile_source(source: str, what: str, namespace: dict[str, Any]) -> dict[str, Any]:
    """Run generated ``source`` in ``namespace``, its text kept for tracebacks and inspect.

    Args:
        source: Python source defining one or more functions.
        what: What the source is (``structuring Report2021``), part of its file name.
        namespace: The globals the source runs in; its definitions are added to it.

    Returns:
        ``namespace``.
    """
    filename = f"<gov_disclosure generated {what} #{next(_SERIAL)}>"
    # mtime None: linecache.checkcache never drops an entry with no file behind it
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    exec(compile(source, filename, "exec"), namespace)  # our own source, never from data
    return namespace


def identifier(*parts: str) -> str:
    """A Python identifier made of ``parts`` (``structure``, ``ApplicantRow``)."""
    name = "_".join(re.sub(r"\W", "_", part) for part in parts if part)
    if not name or name[0].isdigit() or keyword.iskeyword(name):
        name = f"_{name}"
    return name
