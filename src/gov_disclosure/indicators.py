"""Indicators that evaluators compute from a report: disclosure rate, review correction rate...

Each indicator is data: a numerator and a denominator, each a sum of cells named by address
patterns (``*`` is one address part), with its formula in Chinese and English. An indicator
is missing (``None``) when any cell it needs is blank or unread (a blank is not a zero) or
when its denominator is 0. ``low_sample`` flags reports with fewer than 30 concluded
requests, whose rates say little.
"""

from __future__ import annotations

import fnmatch
import functools
from decimal import Decimal
from typing import Any

import attrs

from gov_disclosure.model.addressing import cell_values, cells
from gov_disclosure.model.report import Report, template_report

__all__ = ["INDICATORS", "LOW_SAMPLE", "Indicator", "Metrics", "metrics"]

LOW_SAMPLE = 30
"""Below this many concluded requests (办理结果总计), ``Metrics.low_sample`` is true."""


@attrs.frozen
class Indicator:
    """One indicator: ``sum(numerator cells) / sum(denominator cells)``.

    Attributes:
        name: The key (``disclosure_rate``).
        zh: The Chinese name and formula.
        en: The English name and formula.
        numerator: Address patterns of the cells added up above the line.
        denominator: Address patterns of the cells added up below the line.
    """

    name: str
    zh: str
    en: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]


_OUT = "requests.outcomes"
INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "disclosure_rate",
        "实质公开率 =（予以公开 + 部分公开）÷ 办理结果总计",
        "disclosure rate = (granted + partially granted) / requests concluded",
        (f"{_OUT}.granted.total", f"{_OUT}.partially_granted.total"),
        (f"{_OUT}.total.total",),
    ),
    Indicator(
        "withheld_rate",
        "不予公开率 = 不予公开各项之和 ÷ 办理结果总计",
        "withheld rate = all grounds of withholding / requests concluded",
        (f"{_OUT}.withheld.*.total",),
        (f"{_OUT}.total.total",),
    ),
    Indicator(
        "unable_rate",
        "无法提供率 = 无法提供各项之和 ÷ 办理结果总计",
        "unable rate = all unable-to-provide rows / requests concluded",
        (f"{_OUT}.unable_to_provide.*.total",),
        (f"{_OUT}.total.total",),
    ),
    Indicator(
        "not_processed_rate",
        "不予处理率 = 不予处理各项之和 ÷ 办理结果总计",
        "not-processed rate = all not-processed rows / requests concluded",
        (f"{_OUT}.not_processed.*.total",),
        (f"{_OUT}.total.total",),
    ),
    Indicator(
        "review_correction_rate",
        "复议纠错率 = 行政复议结果纠正 ÷ 行政复议总计",
        "review correction rate = reviews corrected / reviews in total",
        ("review_litigation.administrative_review.corrected",),
        ("review_litigation.administrative_review.total",),
    ),
    Indicator(
        "litigation_loss_rate",
        "诉讼败诉率 =（未经复议直接起诉 + 复议后起诉）结果纠正 ÷ 两类诉讼总计",
        "litigation loss rate = lawsuits corrected (direct and after review) / lawsuits in total",
        (
            "review_litigation.litigation_direct.corrected",
            "review_litigation.litigation_after_review.corrected",
        ),
        (
            "review_litigation.litigation_direct.total",
            "review_litigation.litigation_after_review.total",
        ),
    ),
    Indicator(
        "requests_concluded_share",
        "办结率 = 办理结果总计 ÷（本年新收 + 上年结转）",
        "share concluded = requests concluded / (received this year + carried over)",
        (f"{_OUT}.total.total",),
        ("requests.new_received.total", "requests.carried_over.total"),
    ),
)


@attrs.frozen
class Metrics:
    """A report's indicators (``None`` where they cannot be computed) and its sample size.

    Attributes:
        values: Indicator name -> ratio as a ``Decimal`` rounded to 4 places, or ``None``.
        concluded: Requests concluded (办理结果总计), or ``None`` when blank or unread.
        low_sample: Fewer than :data:`LOW_SAMPLE` concluded requests (or unknown).
        missing: Indicator name -> the blank or unread cells that made it missing.
    """

    values: dict[str, Decimal | None]
    concluded: int | None
    low_sample: bool
    missing: dict[str, tuple[str, ...]] = attrs.field(factory=dict)

    def __getitem__(self, name: str) -> Decimal | None:
        return self.values[name]

    def to_dict(self) -> dict[str, Any]:
        """Plain data: each indicator as a string decimal (or ``None``), plus the flags."""
        return {
            **{k: None if v is None else format(v, "f") for k, v in self.values.items()},
            "concluded": self.concluded,
            "low_sample": self.low_sample,
        }


@functools.cache
def _addresses(edition: str, hybrid: bool, patterns: tuple[str, ...]) -> tuple[str, ...]:
    every = [c.address for c in cells(template_report(edition, hybrid=hybrid))]
    return tuple(a for a in every if any(fnmatch.fnmatchcase(a, p) for p in patterns))


def metrics(report: Report) -> Metrics:
    """Compute the indicators of :data:`INDICATORS` for a report.

    Example:
        >>> import gov_disclosure as gd
        >>> gd.metrics(gd.samples.load())["requests_concluded_share"]
        Decimal('0.9328')
    """
    values = cell_values(report)
    unread = report.unread
    out: dict[str, Decimal | None] = {}
    missing: dict[str, tuple[str, ...]] = {}
    for indicator in INDICATORS:
        sums = []
        gaps: list[str] = []
        for patterns in (indicator.numerator, indicator.denominator):
            addresses = _addresses(report.format, report.is_hybrid, patterns)
            gaps += [a for a in addresses if values.get(a) is None or a in unread]
            sums.append(sum(values.get(a) or 0 for a in addresses))
        if gaps or not sums[1]:
            out[indicator.name] = None
            if gaps:
                missing[indicator.name] = tuple(gaps)
            continue
        ratio = Decimal(sums[0]) / Decimal(sums[1])
        out[indicator.name] = ratio.quantize(Decimal("0.0001"))
    total = values.get(f"{_OUT}.total.total")
    concluded = total if type(total) is int and f"{_OUT}.total.total" not in unread else None
    return Metrics(
        out,
        concluded=concluded,
        low_sample=concluded is None or concluded < LOW_SAMPLE,
        missing=missing,
    )
