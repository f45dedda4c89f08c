"""Compare two reports: every changed cell, the indicators, the text parts, cross-year findings.

:func:`diff` takes any two reports (typically one body's reports for consecutive years, or two
versions of one report). A cell's state (value, blank, unread, or absent from the other
edition) is compared, not just its value: a cell that went from ``0`` to blank, or became
unread, is a change. The cross-year rules run when the second report is for the year after
the first.
"""

from __future__ import annotations

import decimal
import difflib
import re
from decimal import Decimal
from typing import Any, Literal

import attrs

from gov_disclosure.indicators import INDICATORS, metrics
from gov_disclosure.model.addressing import cells
from gov_disclosure.model.report import Report, Report2019, Report2021
from gov_disclosure.rules.definitions import CROSS_YEAR_RULES
from gov_disclosure.rules.engine import check
from gov_disclosure.rules.prose import SECTIONS, longest_shared, similarity
from gov_disclosure.rules.results import Finding

__all__ = [
    "REDLINE_LIMIT",
    "CellChange",
    "IndicatorChange",
    "ReportDiff",
    "SectionComparison",
    "diff",
    "redline",
]

Number = int | Decimal

REDLINE_LIMIT = 6_000
"""Tokens of each text a redline compares (a text part is a few thousand characters): the
matcher's cost grows with the product of the two lengths, so longer texts are not redlined."""

# a token: a digit run with its separators (2,023.5), a Latin word, white space, else one
# character (each CJK character is a word of its own)
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[A-Za-z]+|\s+|.", re.DOTALL)

RedlineOp = Literal["equal", "delete", "insert"]


def redline(old: str, new: str) -> tuple[tuple[RedlineOp, str], ...] | None:
    """A word-level redline of two texts: ``(op, text)`` pieces in reading order.

    CJK characters and digit runs are the tokens (:mod:`difflib` on the token lists); a
    replaced passage is a deletion followed by an insertion. ``None`` when either text has
    more than :data:`REDLINE_LIMIT` tokens.
    """
    if old == new:  # most text parts of consecutive reports, on a corpus site
        return (("equal", old),) if old else ()
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    if max(len(a), len(b)) > REDLINE_LIMIT:
        return None
    # the shared head and tail are found in linear time; the matcher sees only the middle
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    pieces: list[tuple[RedlineOp, str]] = []
    if head:
        pieces.append(("equal", "".join(a[:head])))
    middle_a, middle_b = a[head : len(a) - tail], b[head : len(b) - tail]
    matcher = difflib.SequenceMatcher(None, middle_a, middle_b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("equal", "".join(middle_a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("delete", "".join(middle_a[i1:i2])))
        if j2 > j1:
            pieces.append(("insert", "".join(middle_b[j1:j2])))
    if tail:
        pieces.append(("equal", "".join(a[len(a) - tail :])))
    merged: list[tuple[RedlineOp, str]] = []
    for op, text in pieces:  # the head or tail next to an equal run of the middle
        if merged and merged[-1][0] == op == "equal":
            merged[-1] = ("equal", merged[-1][1] + text)
        else:
            merged.append((op, text))
    return tuple(merged)


# Exact differences: an amount has at most 36 digits (model.fields.MONEY_DIGITS/PLACES), past
# the default context's 28, which would round the cents of 1000000000000000000000000000000.01
_EXACT = decimal.Context(prec=80)


def _difference(new: Any, old: Any) -> Any:
    """``new - old``, exact for amounts of any size the model holds."""
    if isinstance(new, Decimal) or isinstance(old, Decimal):
        return _EXACT.subtract(Decimal(new), Decimal(old))
    return new - old


def _json(value: Any) -> Any:
    return format(value, "f") if isinstance(value, Decimal) else value


@attrs.frozen
class CellChange:
    """One cell that differs.

    Attributes:
        address: Canonical address.
        labels: Its labels, table heading first (from whichever report has it).
        old: The first report's value (``None`` when blank, unread or absent).
        new: The second report's value.
        old_status: ``value``, ``blank``, ``unread`` or ``absent`` (not in that edition).
        new_status: The same for the second report.
        change: ``new - old`` when both are values, else ``None``.
    """

    address: str
    labels: tuple[str, ...]
    old: Number | None
    new: Number | None
    old_status: str
    new_status: str
    change: Number | None

    def to_dict(self) -> dict[str, Any]:
        """The change as JSON data (decimals as strings)."""
        return {
            "address": self.address,
            "labels": list(self.labels),
            "old": _json(self.old),
            "new": _json(self.new),
            "old_status": self.old_status,
            "new_status": self.new_status,
            "change": _json(self.change),
        }


@attrs.frozen
class IndicatorChange:
    """One indicator in both reports (``None`` where it cannot be computed)."""

    name: str
    old: Decimal | None
    new: Decimal | None

    @property
    def change(self) -> Decimal | None:
        """``new - old``, or ``None`` when either is missing."""
        return None if self.old is None or self.new is None else _difference(self.new, self.old)

    def to_dict(self) -> dict[str, Any]:
        """The indicator as JSON data."""
        return {
            "name": self.name,
            "old": _json(self.old),
            "new": _json(self.new),
            "change": _json(self.change),
        }


@attrs.frozen
class SectionComparison:
    """One text part in both reports.

    Attributes:
        name: Report field (``overview``, ``problems_and_improvements``, ``other_matters``).
        heading: Its Chinese heading.
        similarity: Resemblance 0..1 (:func:`gov_disclosure.rules.prose.similarity`), or
            ``None`` when either report lacks the part.
        shared: The longest passage both texts share ('' when none).
    """

    name: str
    heading: str
    similarity: float | None
    shared: str

    def to_dict(self) -> dict[str, Any]:
        """The comparison as JSON data (similarity rounded to 4 places)."""
        return {
            "name": self.name,
            "heading": self.heading,
            "similarity": None if self.similarity is None else round(self.similarity, 4),
            "shared": self.shared,
        }


@attrs.frozen
class ReportDiff:
    """What changed between two reports.

    Attributes:
        old: The first report.
        new: The second report.
        cells: Every cell whose state or value differs, in template order.
        indicators: Every indicator of :data:`~gov_disclosure.indicators.INDICATORS`.
        sections: The three text parts.
        findings: Findings of the cross-year rules (the second report checked against the
            first), empty unless the second report is for the following year.
        cross_year: Whether the cross-year rules ran.
    """

    old: Report
    new: Report
    cells: tuple[CellChange, ...]
    indicators: tuple[IndicatorChange, ...]
    sections: tuple[SectionComparison, ...]
    findings: tuple[Finding, ...]
    cross_year: bool

    def to_dict(self) -> dict[str, Any]:
        """The diff as JSON data."""
        return {
            "old": _side(self.old),
            "new": _side(self.new),
            "cells": [c.to_dict() for c in self.cells],
            "indicators": [i.to_dict() for i in self.indicators],
            "sections": [s.to_dict() for s in self.sections],
            "cross_year": self.cross_year,
            "findings": [f.to_dict() for f in self.findings],
        }

    def to_text(self, lang: str = "zh") -> str:
        """A plain-text summary, one line per change (Chinese labels).

        Args:
            lang: The language of the findings' messages (``zh`` or ``en``).
        """
        lines = [
            f"{_title(self.old)} → {_title(self.new)}",
            f"单元格变化 Changed cells: {len(self.cells)}",
        ]
        for c in self.cells:
            old = _shown(c.old, c.old_status)
            new = _shown(c.new, c.new_status)
            delta = f" ({_signed(c.change)})" if c.change is not None else ""
            lines.append(f"  {' / '.join(c.labels[1:])} [{c.address}]: {old} → {new}{delta}")
        lines.append("指标 Indicators:")
        for i in self.indicators:
            delta = f" ({_signed(i.change)})" if i.change is not None else ""
            lines.append(f"  {i.name}: {_shown(i.old, 'value')} → {_shown(i.new, 'value')}{delta}")
        lines.append("文字部分相似度 Text similarity:")
        for s in self.sections:
            score = "—" if s.similarity is None else f"{s.similarity:.2f}"
            lines.append(f"  {s.heading}: {score}")
        if self.cross_year:
            lines.append(f"跨年度核验 Cross-year findings: {len(self.findings)}")
            lines.extend(
                f"  [{f.severity}] {f.rule} {f.message.get(lang, f.message['zh'])}"
                for f in self.findings
            )
        return "\n".join(lines) + "\n"


def _side(report: Report) -> dict[str, Any]:
    return {"agency": report.agency.name, "year": report.year, "format": report.format}


def _title(report: Report) -> str:
    return f"{report.agency.name} {report.year} ({report.format})"


def _shown(value: Any, status: str) -> str:
    if status == "value":
        return "—" if value is None else str(_json(value))
    return {"blank": "(空 blank)", "unread": "(未识别 unread)", "absent": "(无此栏 absent)"}[status]


def _signed(value: Number) -> str:
    text = str(_json(value))
    return text if text.startswith("-") else f"+{text}"


def diff(old: Report, new: Report) -> ReportDiff:
    """Compare two reports.

    Args:
        old: The earlier report (or the first version).
        new: The later report (or the second version).

    Returns:
        A :class:`ReportDiff`.

    Raises:
        TypeError: if either argument is not a report.

    Example:
        >>> import attrs, gov_disclosure as gd
        >>> this = gd.samples.load()
        >>> last = gd.with_cell(attrs.evolve(this, year=2022), "requests.new_received.total", 100)
        >>> [(c.address, c.old, c.new) for c in gd.diff(last, this).cells]
        [('requests.new_received.total', 100, 116)]
    """
    for which, report in (("old", old), ("new", new)):
        if not isinstance(report, (Report2021, Report2019)):
            raise TypeError(
                f"diff() takes a Report2021 or Report2019 as {which}, got {type(report).__name__}"
            )
    before = {c.address: c for c in cells(old)}
    after = {c.address: c for c in cells(new)}
    order = list(after) + [a for a in before if a not in after]
    changes = []
    for address in order:
        b, a = before.get(address), after.get(address)
        old_status = b.status if b is not None else "absent"
        new_status = a.status if a is not None else "absent"
        old_value = b.value if b is not None else None
        new_value = a.value if a is not None else None
        if old_status == new_status and old_value == new_value:
            continue
        both = old_status == new_status == "value"
        changes.append(
            CellChange(
                address=address,
                labels=(a or b).labels,  # type: ignore[union-attr]
                old=old_value,
                new=new_value,
                old_status=old_status,
                new_status=new_status,
                change=_difference(new_value, old_value) if both else None,
            )
        )
    m_old, m_new = metrics(old), metrics(new)
    indicators = tuple(
        IndicatorChange(i.name, m_old.values[i.name], m_new.values[i.name]) for i in INDICATORS
    )
    sections = []
    for name, (heading, _) in SECTIONS.items():
        a_text, b_text = getattr(old, name), getattr(new, name)
        if a_text is None or b_text is None:
            sections.append(SectionComparison(name, heading, None, ""))
        else:
            sections.append(
                SectionComparison(
                    name, heading, similarity(a_text, b_text), longest_shared(a_text, b_text)
                )
            )
    cross_year = new.year == old.year + 1
    findings: tuple[Finding, ...] = ()
    if cross_year:
        findings = check(new, previous=old, select=CROSS_YEAR_RULES).findings
    return ReportDiff(
        old=old,
        new=new,
        cells=tuple(changes),
        indicators=indicators,
        sections=tuple(sections),
        findings=findings,
        cross_year=cross_year,
    )
