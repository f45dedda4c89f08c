"""Hypothesis strategies for reports (optional extra ``hypothesis``).

* :func:`arbitrary_reports` draws any valid model instance: every cell blank, zero or a
  count, money with up to six decimals, Chinese text with quotes and newlines. Totals need not
  add up.
* :func:`reports` draws *consistent* reports: leaves are drawn and every total is derived
  through the rule set, so the checker finds no inconsistency.
* :func:`reports_breaking` draws reports that violate exactly one rule.

The strategies are built from the model's field metadata, so they follow the model when it
changes. ``st.from_type(Report2021)`` works once Hypothesis loads this package's entry point.
"""

from __future__ import annotations

import datetime
import functools
import string
import typing
from decimal import Decimal
from typing import Any, cast

import attrs
from hypothesis import strategies as st

from gov_disclosure.model.addressing import resolved_fields, union_members
from gov_disclosure.model.fields import YEAR_RANGE, FieldInfo, info
from gov_disclosure.model.report import EDITIONS, Report, report_class

__all__ = [
    "arbitrary_reports",
    "cell_values",
    "report_texts",
]

_CJK = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 200)) + "政府信息公开申请办理结果总计"
_PUNCT = "，。、；：？！“”‘’（）《》【】—…·"
TEXT_ALPHABET = _CJK + _PUNCT + string.ascii_letters + string.digits + " \n\t\"'<>&{}[]\\/"
"""Characters used for text sections: Chinese, full-width punctuation, quotes, markup and
JSON metacharacters, newlines and tabs (all of them legal in XML 1.0)."""


def report_texts(*, max_size: int = 80) -> st.SearchStrategy[str]:
    """Text for the report's prose sections."""
    return st.text(alphabet=TEXT_ALPHABET, max_size=max_size)


def counts(*, max_value: int = 10**7) -> st.SearchStrategy[int]:
    """Non-negative counts, biased to small numbers but reaching the millions (行政处罚 3985758)."""
    return st.one_of(st.integers(0, 20), st.integers(0, 999), st.integers(0, max_value))


def money() -> st.SearchStrategy[Decimal]:
    """Non-negative decimals with 0 to 6 places, as published (``24252.311082``)."""
    return st.integers(0, 6).flatmap(
        lambda places: st.decimals(
            min_value=0,
            max_value=10**9,
            places=places,
            allow_nan=False,
            allow_infinity=False,
        )
    )


def cell_values(fi: FieldInfo) -> st.SearchStrategy[Any]:
    """Values for one cell kind, blanks included (``None`` is never the same as ``0``)."""
    if fi.kind == "count":
        return st.none() | st.just(0) | counts()
    if fi.kind == "signed":
        return st.none() | st.integers(-(10**5), 10**5)
    if fi.kind == "money":
        return st.none() | money()
    raise ValueError(f"not a cell kind: {fi.kind}")  # pragma: no cover


def _field_strategy(attribute: attrs.Attribute[Any], ftype: Any) -> st.SearchStrategy[Any]:
    fi = info(attribute)
    if fi.is_cell:
        return cell_values(fi)
    if fi.kind == "group":
        return st.one_of([_instances(m) for m in union_members(ftype)])
    if fi.kind in ("text", "unit"):
        if fi.required:
            return report_texts(max_size=20).filter(lambda s: s.strip() != "")
        return st.none() | report_texts()
    if fi.kind == "year":
        return st.integers(*YEAR_RANGE)
    if fi.kind == "date":
        return st.none() | st.dates(datetime.date(2019, 1, 1), datetime.date(2100, 12, 31))
    if fi.kind == "choice":
        values = [v for m in union_members(ftype) for v in typing.get_args(m)]
        return st.none() | st.sampled_from(values)
    raise AssertionError(fi.kind)  # pragma: no cover


@functools.cache
def _instances(tp: Any) -> st.SearchStrategy[Any]:
    cls = typing.get_origin(tp) or tp
    fields = {a.name: _field_strategy(a, t) for a, t in resolved_fields(tp)}
    return st.builds(cls, **fields)


@functools.cache
def arbitrary_reports(edition: str | None = None) -> st.SearchStrategy[Report]:
    """Any valid report of an edition (both editions when ``edition`` is ``None``).

    Totals are drawn like any other cell, so most drawn reports are *inconsistent*; use
    :func:`reports` for consistent ones.
    """
    editions = sorted(EDITIONS) if edition is None else [edition]
    return st.one_of([_instances(cast(Any, report_class(e))) for e in editions])


def _hypothesis_setup_hook() -> None:
    """Entry point for Hypothesis: ``st.from_type(Report2021)`` draws consistent reports."""
    from gov_disclosure.model.report import Report2019, Report2021

    # deferred: building the strategies (and their large reprs) waits until first use
    st.register_type_strategy(Report2021, st.deferred(lambda: arbitrary_reports("2021")))
    st.register_type_strategy(Report2019, st.deferred(lambda: arbitrary_reports("2019")))
