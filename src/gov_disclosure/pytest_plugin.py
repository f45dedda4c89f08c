"""pytest plugin: fixtures for projects that test against gov_disclosure.

Registered through the ``pytest11`` entry point. Importing this module is cheap: the package
``__init__`` is lazy, and the library is only imported when a fixture is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # pragma: no cover
    from gov_disclosure.model.report import Report

__all__ = ["disclosure_sample"]


@pytest.fixture
def disclosure_sample() -> Report:
    """The built-in sample report (柳州市人民政府办公室 2023)."""
    from gov_disclosure import samples

    return samples.load("liuzhou-2023")
