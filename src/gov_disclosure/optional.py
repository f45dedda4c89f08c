"""Importing the optional dependencies (extras) with a clear error when one is missing."""

from __future__ import annotations

import importlib
from types import ModuleType

from gov_disclosure.errors import GovDisclosureError

__all__ = ["MissingDependencyError", "require"]


class MissingDependencyError(GovDisclosureError, ImportError):
    """An optional dependency needed for this input or output is not installed."""


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
            f"{purpose} needs the optional dependency {module}: "
            f"pip install 'gov-disclosure[{extra}]'"
        ) from None
