"""Findings and the check result, shaped after frictionless' validation reports."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import attrs

from gov_disclosure.rules.definitions import RULES_BY_ID, SEVERITIES, TABLE_NAMES, Rule, Severity
from gov_disclosure.serialization.pickling import compact_pickle

__all__ = ["CheckResult", "Finding", "finding", "fingerprint", "invalid_document"]

Number = int | Decimal


def fingerprint(rule: str, key: str) -> str:
    """A stable id for a finding: the same rule at the same place gives the same value."""
    return hashlib.sha256(f"{rule}\x00{key}".encode()).hexdigest()[:16]


def _json_number(value: Number | None) -> int | str | None:
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def fmt(value: Number) -> str:
    """A number as printed in a message (a Decimal without exponent)."""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def where(location: dict[str, str]) -> tuple[str, str]:
    """A finding's location in Chinese and in English (``表三 （七）总计 / 自然人``)."""
    row, column = location.get("row"), location.get("column")
    place = f"{row} / {column}" if row and column else (row or column or "")
    zh = f"{location.get('table', '')} {place}".strip()
    en = f"{location.get('table_en', '')} {place}".strip()
    return zh, en


def message(rule: Rule, location: dict[str, str], values: dict[str, Any]) -> dict[str, str]:
    """A rule's message filled in, prefixed with the location, in Chinese and English."""
    where_zh, where_en = where(location)
    zh, en = rule.message["zh"].format_map(values), rule.message["en"].format_map(values)
    if not where_zh:  # a finding about the whole report or its text
        return {"zh": zh, "en": en}
    return {"zh": f"{where_zh}: {zh}", "en": f"{where_en}: {en}"}


@compact_pickle
@attrs.frozen(kw_only=True)
class Finding:
    """One thing the checker found.

    Attributes:
        rule: The rule id (format-spec.md §8 or a plausibility rule).
        severity: ``error``, ``inconsistency``, ``warning`` or ``info``.
        addresses: The cells involved, the stated side first. Cells of last year's report
            are prefixed ``previous:``.
        stated: What the report states (for a sum: the total); ``None`` when blank.
        computed: What the other cells add up to.
        difference: ``stated - computed`` (``None`` when not assessable).
        message: The message in Chinese and English (``{"zh": ..., "en": ...}``).
        location: Table, row and column labels (Chinese), ``table_en`` in English.
        assessable: ``False`` when a blank total or an unread cell made the identity
            impossible to check.
        missing: Blank cells among the items (counted as 0, listed so a reader can judge).
        unread: Cells the identity needs that a parser could not read; never counted as 0,
            so the identity is not assessable.
        ocr: Cells of the finding read from a scanned page by OCR: a misreading is possible,
            so the message says so and the finding is not, by itself, the agency's error.
        fingerprint: Stable id of the rule at this place, for baselines and suppressions.
    """

    rule: str
    severity: Severity
    addresses: tuple[str, ...]
    stated: Number | None = None
    computed: Number | None = None
    difference: Number | None = None
    message: dict[str, str]
    location: dict[str, str] = attrs.field(factory=dict)
    assessable: bool = True
    missing: tuple[str, ...] = ()
    unread: tuple[str, ...] = ()
    fingerprint: str
    ocr: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        """The location in Chinese labels, e.g. ``表三 （七）总计 / 自然人``."""
        return where(self.location)[0]

    def to_dict(self) -> dict[str, Any]:
        """The finding as JSON data."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "addresses": list(self.addresses),
            "stated": _json_number(self.stated),
            "computed": _json_number(self.computed),
            "difference": _json_number(self.difference),
            "message": dict(self.message),
            "location": dict(self.location),
            "assessable": self.assessable,
            "missing": list(self.missing),
            "unread": list(self.unread),
            "ocr": list(self.ocr),
            "fingerprint": self.fingerprint,
        }

    def summary(self) -> str:
        """One line in Chinese: ``表三 （七）总计 / 自然人: 写明 20，各项合计 26，相差 -6``."""
        return self.message["zh"]


def finding(
    rule_id: str,
    addresses: Sequence[str] = (),
    *,
    location: dict[str, str] | None = None,
    key: str | None = None,
    values: dict[str, Any] | None = None,
    **fields: Any,
) -> Finding:
    """A finding of a rule: its severity, its message filled in, its fingerprint.

    The one place findings are made, as jsonschema's ``iter_errors`` adds the context to
    what each keyword reports.

    Args:
        rule_id: The rule.
        addresses: The cells involved, the stated side first.
        location: Table, row and column labels: the message's prefix.
        key: What makes the finding's place unique, for its fingerprint (default: the
            addresses joined by ``/``, or ``report`` for a finding about the whole report).
        values: The message's placeholders (numbers are printed without exponent).
        **fields: Any other :class:`Finding` field (``stated``, ``computed``,
            ``difference``, ``missing``, ``unread``, ``assessable``; ``severity`` or
            ``message`` for the notes that say an identity could not be assessed).
    """
    rule = RULES_BY_ID[rule_id]
    place = location or {}
    if "message" not in fields:
        shown = {
            k: fmt(v) if isinstance(v, (int, Decimal)) else v for k, v in (values or {}).items()
        }
        fields["message"] = message(rule, place, shown)
    if "severity" not in fields:
        fields["severity"] = rule.severity
    if key is None:
        key = "/".join(addresses) or "report"
    return Finding(
        rule=rule_id,
        addresses=tuple(addresses),
        location=place,
        fingerprint=fingerprint(rule_id, key),
        **fields,
    )


def invalid_document(detail: str) -> Finding:
    """The ``document.invalid`` finding of an input that gave no report.

    Args:
        detail: Why (``x.json: $.year: expected an integer``), the finding's message in
            both languages.
    """
    return finding("document.invalid", values={"detail": detail})


_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}
_TABLE_ORDER = [zh for zh, _ in TABLE_NAMES.values()]


@compact_pickle
@attrs.frozen
class CheckResult(Sequence[Finding]):
    """The findings of one check, with counts and filters.

    Attributes:
        findings: Every finding, in rule order then template order.
        edition: The report's edition.
        layout: ``standard`` or ``hybrid``.
        identities: How many identities (勾稽关系 instances) applied to the report.
        not_assessable: Identities that could not be assessed, by cause: ``unread`` (a cell
            nobody read) and ``blank_total`` (a blank total whose parts are filled).
        unread: The report's unread cells (address -> reason).
        compared: ``(previous year, year)`` when a previous report was given.
    """

    findings: tuple[Finding, ...]
    edition: str = ""
    layout: str = "standard"
    identities: int = 0
    not_assessable: dict[str, int] = attrs.Factory(dict)
    unread: dict[str, str] = attrs.Factory(dict)
    compared: tuple[int, int] | None = None

    @property
    def assessed(self) -> int:
        """Identities that were evaluated (the rest were not assessable)."""
        return self.identities - sum(self.not_assessable.values())

    @property
    def complete(self) -> bool:
        """Whether every cell was read (no unread cell in the report)."""
        return not self.unread

    @property
    def unread_by_table(self) -> dict[str, int]:
        """Unread cells per table (``表二``, ``表三``, ``表四``), tables without any left out."""
        counts: dict[str, int] = {}
        for address in self.unread:
            table = TABLE_NAMES[address.partition(".")[0]][0]
            counts[table] = counts.get(table, 0) + 1
        return {t: counts[t] for t in sorted(counts, key=_TABLE_ORDER.index)}

    @property
    def verdict(self) -> str:
        """``ok`` or ``not ok``, with the unread cells when there are any.

        E.g. ``ok, 19 cells unread (表二 19)``: a report with unread cells is never a bare ok.
        """
        head = "ok" if self.ok else "not ok"
        if not self.unread:
            return head
        tables = ", ".join(f"{t} {n}" for t, n in self.unread_by_table.items())
        noun = "cell" if len(self.unread) == 1 else "cells"
        return f"{head}, {len(self.unread)} {noun} unread ({tables})"

    @property
    def ok(self) -> bool:
        """No ``error`` and no ``inconsistency``."""
        return not any(f.severity in ("error", "inconsistency") for f in self.findings)

    @property
    def counts(self) -> dict[str, int]:
        """Number of findings by severity (every severity present, zeros included)."""
        counts: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    def filter(
        self,
        *,
        rule: str | Iterable[str] | None = None,
        severity: str | Iterable[str] | None = None,
        at_least: str | None = None,
    ) -> list[Finding]:
        """Findings of the given rule(s) and/or severity(ies), or at least as serious as one.

        Args:
            rule: A rule id or several.
            severity: A severity or several.
            at_least: Keep findings at or above this severity (``inconsistency`` keeps
                errors and inconsistencies).
        """
        rules = {rule} if isinstance(rule, str) else set(rule) if rule is not None else None
        severities = (
            {severity} if isinstance(severity, str) else set(severity) if severity else None
        )
        if at_least is not None and at_least not in _RANK:
            raise ValueError(f"unknown severity {at_least!r}; expected one of {SEVERITIES}")
        return [
            f
            for f in self.findings
            if (rules is None or f.rule in rules)
            and (severities is None or f.severity in severities)
            and (at_least is None or _RANK[f.severity] <= _RANK[at_least])
        ]

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON data."""
        return {
            "ok": self.ok,
            "edition": self.edition,
            "layout": self.layout,
            "counts": self.counts,
            "identities": {
                "total": self.identities,
                "assessed": self.assessed,
                "not_assessable": dict(self.not_assessable),
            },
            "unread": dict(self.unread),
            "unread_by_table": self.unread_by_table,
            "compared": list(self.compared) if self.compared else None,
            "findings": [f.to_dict() for f in self.findings],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The result as a JSON string."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def summary(self) -> str:
        """A human summary: one line per finding, then the totals."""
        lines = [f"[{f.severity}] {f.rule}: {f.summary()}" for f in self.findings]
        counts = self.counts
        totals = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES)
        lines.append(f"{self.verdict}: {totals}")
        lines.append(self.coverage())
        return "\n".join(lines)

    def coverage(self) -> str:
        """What was checked: ``18 of 20 identities assessed; 2 not assessable (2 unread)``."""
        line = f"{self.assessed} of {self.identities} identities assessed"
        causes = {k: v for k, v in self.not_assessable.items() if v}
        if causes:
            why = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in causes.items())
            line += f"; {sum(causes.values())} not assessable ({why})"
        return line

    # Sequence protocol: a result behaves like its list of findings.
    def __len__(self) -> int:
        return len(self.findings)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __getitem__(self, index: Any) -> Any:
        return self.findings[index]
