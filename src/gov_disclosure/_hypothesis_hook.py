"""Hypothesis entry point: registers report types for ``st.from_type``.

Kept apart from :mod:`gov_disclosure.strategies` because Hypothesis runs entry points while
it is being imported: this module must not import the strategies at load time.
"""

from __future__ import annotations

from typing import Any


def setup() -> None:
    """Register ``Report2021`` and ``Report2019``: ``st.from_type`` draws consistent reports."""
    from hypothesis import strategies as st

    from gov_disclosure.model.report import Report2019, Report2021

    def lazy(edition: str) -> Any:
        def build() -> Any:
            from gov_disclosure.strategies import reports

            return reports(edition)

        return st.deferred(build)

    st.register_type_strategy(Report2021, lazy("2021"))
    st.register_type_strategy(Report2019, lazy("2019"))
