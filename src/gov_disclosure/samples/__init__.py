"""Built-in sample reports shipped with the package.

``liuzhou-2023`` is the report of 柳州市人民政府办公室 for 2023, the project's seed: every cell
as published (blank cells stay blank), the three text sections, and the page text it was read
from (:func:`source_text`).
"""

from __future__ import annotations

from importlib import resources

from gov_disclosure.errors import UnknownSampleError
from gov_disclosure.model.report import Report
from gov_disclosure.serialization.json_format import loads

__all__ = ["load", "names", "source_text"]

_SAMPLES = {"liuzhou-2023": "liuzhou-2023"}


def names() -> list[str]:
    """The names of the built-in samples."""
    return sorted(_SAMPLES)


def _file(name: str, suffix: str) -> str:
    if name not in _SAMPLES:
        raise UnknownSampleError(f"no built-in sample {name!r}; available: {', '.join(names())}")
    path = resources.files(__name__) / f"{_SAMPLES[name]}{suffix}"
    return path.read_text(encoding="utf-8")


def load(name: str = "liuzhou-2023") -> Report:
    """Load a built-in sample report.

    Raises:
        UnknownSampleError: for an unknown sample name (a ``KeyError`` too).
    """
    return loads(_file(name, ".json"), source=f"sample:{name}")


def source_text(name: str = "liuzhou-2023") -> str:
    """The published text the sample was read from (input for the text parser)."""
    return _file(name, ".txt")
