"""Importing the optional dependencies (extras) with a clear error when one is missing."""

from __future__ import annotations

import importlib
from types import ModuleType

from gov_disclosure.errors import GovDisclosureError

__all__ = ["MissingDependencyError", "available", "install_hint", "require"]


class MissingDependencyError(GovDisclosureError, ImportError):
    """An optional dependency needed for this input or output is not installed.

    The input cannot be used as given here: the command line exits 2.
    """

    unreadable = True


def install_hint(extra: str) -> str:
    """The command that installs an extra, for how this package was installed.

    From a clone (``pip install .`` or ``-e .``: pip records a local folder), the clone's own
    ``pip install '.[extra]'``; from the package index, ``pip install 'gov-disclosure[extra]'``.
    """
    import json
    from importlib import metadata

    try:
        recorded = metadata.distribution("gov-disclosure").read_text("direct_url.json")
        folder = json.loads(recorded or "{}").get("url", "") if recorded else ""
    except (metadata.PackageNotFoundError, ValueError, AttributeError):
        folder = ""
    if folder.startswith("file://"):
        return f"pip install '{folder.removeprefix('file://')}[{extra}]'"
    return f"pip install 'gov-disclosure[{extra}]'"


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import an optional dependency or say which extra installs it.

    Args:
        module: The module to import (``pdfplumber``, ``docx``).
        extra: The package extra that provides it (``pdf``, ``docx``).
        purpose: What it is needed for, for the message (``reading PDF``).

    Raises:
        MissingDependencyError: naming the ``pip install`` command.
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            f"{purpose} needs the optional dependency {module}: {install_hint(extra)}"
        ) from None


def available(module: str) -> bool:
    """Whether an optional dependency can be imported (without importing it)."""
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False
