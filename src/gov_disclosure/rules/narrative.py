"""Findings about the report's prose: figures vs tables, required content, copied text.

The data (claim patterns, thresholds) is in :mod:`gov_disclosure.rules.prose`; this module
evaluates it and builds :class:`~gov_disclosure.rules.results.Finding` objects with the
rules' wording. :func:`gov_disclosure.check` calls :func:`prose_findings`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from gov_disclosure.model.addressing import cell, cells, get_cell
from gov_disclosure.model.report import Report
from gov_disclosure.rules.definitions import RULES, TABLE_NAMES
from gov_disclosure.rules.prose import (
    BOILERPLATE,
    CLAIM_SECTIONS,
    DEFAULT_SENTENCE_REUSE,
    EMPTY_ANSWERS,
    FEES_TERMS,
    PROBLEMS_MIN_CHARS,
    SECTIONS,
    SIMILARITY_MIN_CHARS,
    Claim,
    compact,
    comparable,
    extract_claims,
    letters,
    longest_shared,
    resemblance,
    sentence_reuse,
)
from gov_disclosure.rules.results import Finding, finding

__all__ = ["has_text", "prose_findings"]

_QUOTE = 120  # characters of a sentence quoted in a message
_SHARED = 60  # characters of the longest shared passage quoted


def has_text(report: Report) -> bool:
    """Whether the report carries any text part (else the prose rules do not apply)."""
    return any(getattr(report, name) is not None for name in SECTIONS)


class _Text(NamedTuple):
    """What a prose check is given: the report, last year's, and the run's settings."""

    report: Report
    previous: Report | None
    rules: frozenset[str]
    threshold: float
    boilerplate: Sequence[str]

    @property
    def previous_text(self) -> Report | None:
        """Last year's report when it has text to compare with."""
        return self.previous if self.previous is not None and has_text(self.previous) else None


def prose_findings(
    report: Report,
    previous: Report | None,
    rules: frozenset[str],
    threshold: float,
    boilerplate: Sequence[str] = (),
) -> list[Finding]:
    """The findings of the prose rules in ``rules`` for a report (and last year's).

    Each rule's ``kind`` names its check in :data:`_CHECKS`; a rule not in ``rules`` costs
    nothing. ``boilerplate`` extends :data:`~gov_disclosure.rules.prose.BOILERPLATE` for the
    sentence-reuse measure.
    """
    if not has_text(report):
        return []
    text = _Text(report, previous, rules, threshold, boilerplate)
    findings: list[Finding] = []
    for check in _checks(rules):
        findings.extend(check(text))
    return findings


@functools.lru_cache(maxsize=64)
def _checks(rules: frozenset[str]) -> tuple[Callable[[_Text], Iterable[Finding]], ...]:
    """The checks of the rules in ``rules`` (a run selects its rules once: cached)."""
    chosen = (_CHECKS.get(rule.kind) for rule in RULES if rule.id in rules)
    return tuple(dict.fromkeys(check for check in chosen if check is not None))


def _joined(report: Report) -> str:
    return "\n".join(t for t in (getattr(report, n) for n in SECTIONS) if t)


def _sentences_reused(given: _Text) -> list[Finding]:
    report, previous = given.report, given.previous_text
    if previous is None:
        return []
    now, before = _joined(report), _joined(previous)
    reuse = sentence_reuse(now, before, boilerplate=(*BOILERPLATE, *given.boilerplate))
    if reuse.chars < SIMILARITY_MIN_CHARS or reuse.share < DEFAULT_SENTENCE_REUSE:
        return []
    example = max(reuse.matched, key=len)
    shown = example if len(example) <= _QUOTE else example[:_QUOTE] + "…"
    return [
        finding(
            "cross_year.sentences_reused",
            tuple(n for n in SECTIONS if getattr(report, n)),
            key="text",
            values={
                "share": f"{reuse.share:.0%}",
                "matched": len(reuse.matched),
                "sentences": reuse.sentences,
                "excluded": reuse.excluded,
                "threshold": f"{DEFAULT_SENTENCE_REUSE:.0%}",
                "resemblance": f"{resemblance(comparable(now), comparable(before)):.2f}",
                "example": shown,
            },
        )
    ]


# --- text vs table -------------------------------------------------------------------------


def _sum(report: Report, addresses: Sequence[str]) -> int | None:
    """The sum of cells that all hold a read value, else ``None`` (never from a blank)."""
    total = 0
    for address in addresses:
        if address in report.unread:
            return None
        value = get_cell(report, address)
        if not isinstance(value, int):
            return None
        total += value
    return total


def _region_wide(report: Report) -> bool:
    """Whether 全区/全县 figures are about the reporting body itself."""
    return report.scope == "jurisdiction" or report.agency.kind != "department"


def _claim_findings(given: _Text) -> list[Finding]:
    report, bounds = given.report, "text.not_assessed" in given.rules
    findings = []
    seen: set[str] = set()
    for section in CLAIM_SECTIONS:
        text = getattr(report, section)
        if not text:
            continue
        skipped: list[tuple[str, str]] = []
        claims = extract_claims(text, section, region_wide=_region_wide(report), skipped=skipped)
        for claim in claims:
            found = _compare(report, claim)
            if found is not None and found.fingerprint not in seen:
                seen.add(found.fingerprint)
                findings.append(found)
        if skipped and bounds:
            heading, heading_en = SECTIONS[section]
            values = {
                "section": heading,
                "section_en": heading_en,
                "reason": "；".join(zh for zh, _ in skipped),
                "reason_en": "; ".join(en for _, en in skipped),
            }
            findings.append(
                finding(
                    "text.not_assessed",
                    (),
                    location={"section": heading},
                    key=f"{section}/bounds",
                    values=values,
                    assessable=False,
                )
            )
    return findings


def _compare(report: Report, claim: Claim) -> Finding | None:
    addresses = claim.pattern.cells.get(report.format)
    if not addresses:
        return None
    computed = _sum(report, addresses)
    if computed is None:
        return None  # a blank or unread cell: nothing to compare with
    if claim.value == computed:
        return None
    for alternative in claim.pattern.alternatives.get(report.format, ()):
        if _sum(report, alternative) == claim.value:
            return None
    table = addresses[0].partition(".")[0]
    zh, en = TABLE_NAMES[table]
    row = "、".join(" ".join(cell(report, a).labels[1:]) for a in addresses)
    heading, heading_en = SECTIONS[claim.section]
    location = {"table": zh, "table_en": en, "row": row, "section": heading}
    difference = claim.value - computed
    quote = _excerpt(claim.quote, claim.phrase)
    values = {
        "section": heading,
        "section_en": heading_en,
        "phrase": claim.phrase,
        "quote": quote,
        "stated": claim.value,  # the factory prints numbers
        "computed": computed,
        "difference": difference,
    }
    return finding(
        "text.table_mismatch",
        addresses,
        location=location,
        key=f"{claim.section}/{claim.pattern.id}/{claim.value}",
        values=values,
        stated=claim.value,
        computed=computed,
        difference=difference,
    )


def _excerpt(sentence: str, phrase: str) -> str:
    if len(sentence) <= _QUOTE:
        return sentence
    at = max(0, sentence.find(phrase) - (_QUOTE - len(phrase)) // 2)
    cut = sentence[at : at + _QUOTE]
    return ("…" if at else "") + cut + ("…" if at + _QUOTE < len(sentence) else "")


# --- required content ----------------------------------------------------------------------

_TABLE_PARTS = {
    "proactive_disclosure": ("二、主动公开政府信息情况", "part 2 (table 2)"),
    "requests": ("三、收到和处理政府信息公开申请情况", "part 3 (table 3)"),
    "review_litigation": ("四、政府信息公开行政复议、行政诉讼情况", "part 4 (table 4)"),
}


def _missing_parts(given: _Text) -> list[Finding]:
    report = given.report
    findings = []
    for name in ("overview", "other_matters"):  # part 五 has its own rule
        if getattr(report, name) is None:
            zh, en = SECTIONS[name]
            findings.append(
                finding(
                    "narrative.part_missing", (name,), key=name, values={"part": zh, "part_en": en}
                )
            )
    if report.unread:
        every = [c.address for c in cells(report)]
        for table, (zh, en) in _TABLE_PARTS.items():
            # the parser found the table nowhere: every one of its cells unread for that
            prefix = table + "."
            if all(
                report.unread.get(a) == "table_not_found" for a in every if a.startswith(prefix)
            ):
                findings.append(
                    finding(
                        "narrative.part_missing",
                        (table,),
                        key=table,
                        values={"part": zh, "part_en": en},
                    )
                )
    return findings


def _problems_missing(given: _Text) -> list[Finding]:
    text = given.report.problems_and_improvements
    count = letters(text) if text is not None else 0
    if text is None or not count:
        reason = ("缺失或为空", "is missing or empty")
    elif count < 20 and compact(text).rstrip("。.") in EMPTY_ANSWERS:
        reason = (f"仅写“{compact(text)}”", f"only says “{compact(text)}”")
    elif count < PROBLEMS_MIN_CHARS:
        reason = (f"仅 {count} 字", f"has only {count} characters")
    else:
        return []
    return [
        finding(
            "narrative.problems_missing",
            ("problems_and_improvements",),
            key="problems_and_improvements",
            values={"reason_zh": reason[0], "reason_en": reason[1]},
        )
    ]


def _fees_not_reported(given: _Text) -> list[Finding]:
    text = given.report.other_matters
    # the words as printed, or broken by a line end (信息处理\n费)
    if text is None or FEES_TERMS.search(text) or FEES_TERMS.search(compact(text)):
        return []  # a missing part 六 is narrative.part_missing
    return [finding("narrative.fees_not_reported", ("other_matters",), key="other_matters")]


# --- copied text ---------------------------------------------------------------------------


def _repeated(given: _Text) -> list[Finding]:
    report, previous, threshold = given.report, given.previous_text, given.threshold
    if previous is None:
        return []
    findings = []
    for name, (zh, en) in SECTIONS.items():
        now, before = getattr(report, name), getattr(previous, name)
        if not now or not before:
            continue
        reduced_now, reduced_before = comparable(now), comparable(before)
        if min(len(reduced_now), len(reduced_before)) < SIMILARITY_MIN_CHARS:
            continue
        score = resemblance(reduced_now, reduced_before)
        if score < threshold:
            continue
        shared = longest_shared(now, before)
        shown = shared if len(shared) <= _SHARED else shared[:_SHARED] + "…"
        findings.append(
            finding(
                "cross_year.text_repeated",
                (name, f"previous:{name}"),
                location={"section": zh},
                key=name,
                values={
                    "section": zh,
                    "section_en": en,
                    "similarity": f"{score:.2f}",
                    "threshold": f"{threshold:.2f}",
                    "shared_length": len(shared),
                    "shared": shown,
                },
            )
        )
    return findings


_CHECKS: dict[str, Callable[[_Text], Iterable[Finding]]] = {
    "text_claim": _claim_findings,  # text.not_assessed (text_bound) comes with its claims
    "part_missing": _missing_parts,
    "problems_missing": _problems_missing,
    "fees_not_reported": _fees_not_reported,
    "text_repeated": _repeated,
    "sentence_reuse": _sentences_reused,
}
"""The prose checks, by the ``kind`` of the rule each reports."""
