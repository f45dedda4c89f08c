"""Scoring packs: how an evaluator turns findings into points, as a versioned data file.

Evaluators (第三方评估, transparency indexes) score the annual-report item of their index
with deductions and caps. A pack says it as data: the item and its points, and for each of
its rules the finding ids it consumes, the deduction per finding and the cap. Every point
deducted is traced to the finding that cost it; what could not be assessed costs nothing
and is listed apart.

Two modes:

- ``conservative`` (the default): only failures deduct. A finding that is *uncertain* (it
  involves a cell read by OCR or not read at all, or its rule is one the pack lists as
  ``uncertain``, such as ``timeliness.date_unknown``) never deducts.
- ``strict``: uncertain findings deduct too.

A finding that is not assessable (an identity over unread cells or a blank total) never
deducts, in either mode.

Packs are JSON (or TOML, on Python 3.11+) files validated by :data:`PACK_SCHEMA` (shipped as
``schemas/scoring-pack.schema.json``). The default pack (:func:`default_pack`) uses only this
library's rule ids.
"""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import attrs

from gov_disclosure.errors import DocumentError, Problem
from gov_disclosure.model.report import Report
from gov_disclosure.rules.results import CheckResult, Finding

__all__ = [
    "PACK_SCHEMA",
    "PACK_VERSION",
    "Deduction",
    "PackRule",
    "Score",
    "ScoringPack",
    "default_pack",
    "invalid_score",
    "load_pack",
    "pack_from_data",
    "score",
    "score_result",
]

PACK_VERSION = 1
"""The version of the pack file format (``format_version`` in a pack)."""

Mode = Literal["conservative", "strict"]

_TEXT = {
    "type": "object",
    "required": ["zh", "en"],
    "properties": {"zh": {"type": "string"}, "en": {"type": "string"}},
    "additionalProperties": False,
}
_POINTS = {"type": "number", "minimum": 0, "maximum": 1000}
_RULE_IDS = {
    "type": "array",
    "items": {"type": "string", "pattern": r"^[a-z_]+\.[a-z_]+$"},
    "uniqueItems": True,
}

PACK_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": f"urn:gov-disclosure:schema:scoring-pack:{PACK_VERSION}",
    "title": "gov_disclosure scoring pack: points, deductions and caps over rule ids",
    "type": "object",
    "required": ["format_version", "id", "version", "item", "points", "rules"],
    "additionalProperties": False,
    "properties": {
        "format_version": {"const": PACK_VERSION},
        "id": {"type": "string", "minLength": 1, "maxLength": 200},
        "version": {"type": "string", "minLength": 1, "maxLength": 50},
        "title": _TEXT,
        "source": {"type": "string", "maxLength": 2000},
        "item": {"type": "string", "minLength": 1, "maxLength": 200},
        "points": _POINTS,
        "mode": {"enum": ["conservative", "strict"]},
        "rules": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "findings", "deduction"],
                "additionalProperties": False,
                "properties": {
                    # no ':', ';' or space: the scores table writes "rule:finding:points; ..."
                    "id": {"type": "string", "pattern": r"^[^:;\s]{1,200}$"},
                    "title": _TEXT,
                    "findings": {**_RULE_IDS, "minItems": 1},
                    "uncertain": _RULE_IDS,
                    "deduction": _POINTS,
                    "cap": _POINTS,
                },
            },
        },
    },
}
"""The pack file's JSON Schema (also ``schemas/scoring-pack.schema.json``)."""


@attrs.frozen
class PackRule:
    """One deduction rule of a pack.

    Attributes:
        id: The pack's name for it (``late``, ``data_anomaly``).
        findings: The finding (rule) ids it consumes.
        deduction: Points deducted per finding.
        cap: The most it deducts in all (``None``: no cap but the item's points).
        uncertain: Finding ids that only say the item could not be assessed for sure
            (deducted in ``strict`` mode only).
        title: ``{"zh", "en"}``.
    """

    id: str
    findings: frozenset[str]
    deduction: Decimal
    cap: Decimal | None = None
    uncertain: frozenset[str] = frozenset()
    title: dict[str, str] | None = None


@attrs.frozen
class ScoringPack:
    """A versioned scoring pack (see the module's description).

    Attributes:
        id: The pack's identifier.
        version: Its version (a string the pack's author chooses).
        item: The index item it scores (``annual_report``).
        points: What the item is worth.
        rules: Its deduction rules, in order.
        mode: The default mode, ``conservative`` or ``strict``.
        title: ``{"zh", "en"}``.
        source: Where the pack's rules come from (a citation).
    """

    id: str
    version: str
    item: str
    points: Decimal
    rules: tuple[PackRule, ...]
    mode: Mode = "conservative"
    title: dict[str, str] | None = None
    source: str | None = None

    @property
    def rule_ids(self) -> frozenset[str]:
        """Every finding id the pack consumes (to select when checking)."""
        return frozenset().union(*(r.findings | r.uncertain for r in self.rules))


@attrs.frozen
class Deduction:
    """Points one finding cost (or would cost in strict mode), and why.

    Attributes:
        rule: The pack rule (``late``).
        finding: The finding's rule id.
        fingerprint: The finding's fingerprint (its place in the template).
        points: Points deducted (0 once the pack rule's cap is reached).
        reason: ``failure`` or ``uncertain``.
        message: The finding's message.
    """

    rule: str
    finding: str
    fingerprint: str
    points: Decimal
    reason: Literal["failure", "uncertain"]
    message: dict[str, str]


@attrs.frozen
class Score:
    """A report's score under a pack, every deduction traced to its finding.

    Attributes:
        pack: ``"id@version"`` of the pack.
        item: The item scored.
        points: What the item is worth.
        score: What the report gets (never below 0).
        mode: The mode used.
        deductions: What cost points, in pack-rule order.
        not_deducted: Uncertain findings that cost nothing in conservative mode.
        not_assessable: Findings the pack consumes that could not be assessed (never cost).
    """

    pack: str
    item: str
    points: Decimal
    score: Decimal
    mode: Mode
    deductions: tuple[Deduction, ...] = ()
    not_deducted: tuple[Deduction, ...] = ()
    not_assessable: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """As JSON data (points as strings: exact decimals)."""

        def row(d: Deduction) -> dict[str, Any]:
            return {
                "rule": d.rule,
                "finding": d.finding,
                "fingerprint": d.fingerprint,
                "points": str(d.points),
                "reason": d.reason,
                "message": d.message,
            }

        return {
            "pack": self.pack,
            "item": self.item,
            "points": str(self.points),
            "score": str(self.score),
            "mode": self.mode,
            "deductions": [row(d) for d in self.deductions],
            "not_deducted": [row(d) for d in self.not_deducted],
            "not_assessable": list(self.not_assessable),
        }


@functools.cache
def _validator() -> Any:
    from gov_disclosure.schemas.json_schema import strict_validator

    return strict_validator(PACK_SCHEMA)


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def pack_from_data(data: Any, *, source: str | None = None) -> ScoringPack:
    """A pack from JSON-shaped data, validated against :data:`PACK_SCHEMA`.

    Raises:
        DocumentError: with the JSON path of each problem; also for a finding id that is
            not a rule of this library.
    """
    from gov_disclosure.rules.definitions import RULES_BY_ID
    from gov_disclosure.schemas.json_schema import schema_problems

    problems = schema_problems(_validator(), data)
    if not problems:
        for i, rule in enumerate(data["rules"]):
            for key in ("findings", "uncertain"):
                for j, rule_id in enumerate(rule.get(key, ())):
                    if rule_id not in RULES_BY_ID:
                        problems.append(
                            Problem(f"$.rules[{i}].{key}[{j}]", f"{rule_id!r} is not a rule id")
                        )
    if problems:
        raise DocumentError(sorted(problems, key=lambda p: p.path), source=source)
    return ScoringPack(
        id=data["id"],
        version=data["version"],
        item=data["item"],
        points=_decimal(data["points"]),
        mode=data.get("mode", "conservative"),
        title=data.get("title"),
        source=data.get("source"),
        rules=tuple(
            PackRule(
                id=r["id"],
                findings=frozenset(r["findings"]),
                deduction=_decimal(r["deduction"]),
                cap=_decimal(r["cap"]) if "cap" in r else None,
                uncertain=frozenset(r.get("uncertain", ())),
                title=r.get("title"),
            )
            for r in data["rules"]
        ),
    )


def load_pack(path: str | Path) -> ScoringPack:
    """Read a pack file: ``.json``, or ``.toml`` (Python 3.11+).

    Raises:
        DocumentError: for a file that is not a valid pack, with the place of each problem.
    """
    from gov_disclosure.schemas.json_schema import strict_json
    from gov_disclosure.serialization.documents import read_bytes

    name = str(path)
    raw = read_bytes(path)  # a regular file within the size limit
    if not name.lower().endswith(".toml"):
        return pack_from_data(strict_json(raw, source=name, refusal="not a pack file"), source=name)
    try:
        import importlib

        tomllib: Any = importlib.import_module("tomllib")  # Python 3.11+
        data: Any = tomllib.loads(raw.decode("utf-8"))
    except ImportError:
        raise DocumentError(
            [Problem("$", "TOML packs need Python 3.11 or later: use the JSON form")],
            source=name,
            unreadable=True,
        ) from None
    except (ValueError, RecursionError) as exc:  # TOMLDecodeError, UnicodeDecodeError
        raise DocumentError(
            [Problem("$", f"not a pack file: {exc}")], source=name, unreadable=True
        ) from None
    return pack_from_data(data, source=name)


@functools.cache
def default_pack() -> ScoringPack:
    """The pack shipped with the library (``default.json``), built from our rule ids only.

    The annual-report item is worth 2.0 points, after a public provincial index: the report
    invalid or missing −2.0, published after 31 March −1.0 (a missing date: uncertain), its
    text largely repeated from last year −0.5, a data anomaly (a failing identity or a
    figure of the text that the tables contradict) −0.5.
    """
    text = resources.files(__package__).joinpath("packs/default.json").read_bytes()
    data = json.loads(text, parse_float=Decimal)
    return pack_from_data(data, source="gov_disclosure default pack")


def _uncertain(finding: Finding, rule: PackRule) -> bool:
    return finding.rule in rule.uncertain or bool(finding.ocr) or bool(finding.unread)


def score_result(
    result: CheckResult, pack: ScoringPack | None = None, *, mode: Mode | None = None
) -> Score:
    """Score a check result under a pack.

    Args:
        result: The report's check result, with the pack's rules selected (see
            :func:`score`, which runs the check for you).
        pack: The pack (default: :func:`default_pack`).
        mode: ``conservative`` or ``strict`` (default: the pack's).

    Returns:
        The :class:`Score`, every deduction traced to its finding.
    """
    return _score(result, pack or default_pack(), mode, doubtful=False)


def _score(result: CheckResult, pack: ScoringPack, mode: Mode | None, *, doubtful: bool) -> Score:
    """``score_result``; ``doubtful``: every finding is uncertain (see :func:`invalid_score`)."""
    chosen: Mode = mode or pack.mode
    deductions: list[Deduction] = []
    waived: list[Deduction] = []
    not_assessable: list[str] = []
    total = Decimal(0)
    for rule in pack.rules:
        spent = Decimal(0)
        for finding in result.findings:
            if finding.rule not in rule.findings and finding.rule not in rule.uncertain:
                continue
            if not finding.assessable:
                not_assessable.append(f"{finding.rule}:{finding.fingerprint}")
                continue
            reason: Literal["failure", "uncertain"] = (
                "uncertain" if doubtful or _uncertain(finding, rule) else "failure"
            )
            room = rule.deduction if rule.cap is None else max(Decimal(0), rule.cap - spent)
            points = min(rule.deduction, room)
            entry = Deduction(
                rule.id, finding.rule, finding.fingerprint, points, reason, finding.message
            )
            if reason == "uncertain" and chosen == "conservative":
                waived.append(attrs.evolve(entry, points=Decimal(0)))
                continue
            spent += points
            deductions.append(entry)
        total += spent
    final = max(pack.points - total, Decimal(0))  # "0.0" when all is deducted, as points print
    return Score(
        pack=f"{pack.id}@{pack.version}",
        item=pack.item,
        points=pack.points,
        score=final,
        mode=chosen,
        deductions=tuple(deductions),
        not_deducted=tuple(waived),
        not_assessable=tuple(not_assessable),
    )


def score(
    report: Report,
    pack: ScoringPack | None = None,
    *,
    previous: Report | None = None,
    mode: Mode | None = None,
) -> Score:
    """Check a report with the rules a pack consumes and score it.

    Args:
        report: The report.
        pack: The pack (default: :func:`default_pack`).
        previous: Last year's report (the pack's cross-year rules, e.g. repeated text).
        mode: ``conservative`` or ``strict`` (default: the pack's).

    Returns:
        The :class:`Score`.
    """
    from gov_disclosure.rules import check

    pack = pack or default_pack()
    result = check(report, previous, select=pack.rule_ids)
    return score_result(result, pack, mode=mode)


def invalid_score(
    pack: ScoringPack | None, message: str, *, mode: Mode | None = None, certain: bool = True
) -> Score:
    """The score of a file that gave no report (the pack's ``document.invalid``).

    Args:
        pack: The pack (default: :func:`default_pack`).
        message: Why the file gave no report (the finding's message).
        mode: ``conservative`` or ``strict`` (default: the pack's).
        certain: ``False`` when the fault may be the reader's rather than the report's (a
            published report the parsers could not read, a file that could not be opened):
            the deduction is then *uncertain*, made in strict mode only.
    """
    from gov_disclosure.rules.results import invalid_document

    result = CheckResult((invalid_document(message),), edition="", layout="")
    return _score(result, pack or default_pack(), mode, doubtful=not certain)
