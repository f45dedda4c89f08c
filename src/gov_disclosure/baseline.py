"""Baselines: findings a reviewer has accepted, so that later runs report only new ones.

A baseline is a JSON file of accepted findings. A finding is matched by three things only:

- the publishing body's name and the report year (which report), and
- the finding's ``fingerprint``: the first 16 hex digits of SHA-256 over the rule id and the
  finding's place in the template (its row, column or block key), nothing else.

So a baseline survives moving or renaming files, parsing the report again and new versions
of this library (rule ids and template places are stable), and it never accepts a finding
of another rule, place or report. The figures are not part of the match: an accepted
inconsistency stays accepted if its figures change, until the reviewer removes it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from gov_disclosure.errors import DocumentError
from gov_disclosure.rules.results import Finding

__all__ = ["BASELINE_SCHEMA", "BASELINE_VERSION", "Baseline", "baseline_document"]

BASELINE_VERSION = 1

BASELINE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": f"urn:gov-disclosure:schema:baseline:{BASELINE_VERSION}",
    "title": "gov_disclosure baseline: findings a reviewer accepted",
    "type": "object",
    "required": ["version", "accepted"],
    "properties": {
        "version": {"const": BASELINE_VERSION},
        "accepted": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["agency", "year", "fingerprint"],
                "properties": {
                    "agency": {"type": "string", "minLength": 1, "maxLength": 500},
                    "year": {"type": "integer", "minimum": 2000, "maximum": 2200},
                    "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
                    "note": {"type": ["string", "null"], "maxLength": 10000},
                    "rule": {"type": "string"},
                    "severity": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
}
"""The baseline file's JSON Schema (also ``schemas/baseline.schema.json``): a file that does
not satisfy it is refused whole, with the path of each problem; nothing of it is applied."""


@attrs.frozen
class Baseline:
    """Accepted findings: ``(agency, year, fingerprint)`` -> the reviewer's note."""

    accepted: dict[tuple[str, int, str], str] = attrs.field(factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> Baseline:
        """Read a baseline file.

        Raises:
            DocumentError: for a file that is not a baseline, with the place of the problem.
        """
        from gov_disclosure.schemas.json_schema import schema_problems, strict_json
        from gov_disclosure.serialization.documents import read_bytes

        name = str(path)
        data = read_bytes(path)  # a regular file within the size limit (no FIFO, no device)
        document = strict_json(data, source=name, refusal="not JSON")
        problems = schema_problems(_validator(), document)
        if problems:
            raise DocumentError(problems, source=name, unreadable=True)
        accepted = {
            (e["agency"], int(e["year"]), e["fingerprint"]): e.get("note") or ""
            for e in document["accepted"]
        }
        return cls(accepted)

    def note(self, agency: str, year: int, finding: Finding) -> str | None:
        """The reviewer's note if the finding is accepted (``""`` without one), else None."""
        return self.accepted.get((agency, year, finding.fingerprint))


@functools.cache
def _validator() -> Any:
    from gov_disclosure.schemas.json_schema import strict_validator

    return strict_validator(BASELINE_SCHEMA)


def baseline_document(findings: Iterable[tuple[str, int, Finding, str]]) -> dict[str, Any]:
    """A baseline accepting these ``(agency, year, finding, note)``, ready for ``json.dump``.

    Each entry also keeps the rule, severity and message, for the reviewer who edits the
    file and writes a ``note``; only agency, year and fingerprint are matched.
    """
    entries = [
        {
            "agency": agency,
            "year": year,
            "fingerprint": finding.fingerprint,
            "rule": finding.rule,
            "severity": finding.severity,
            "message": finding.message["zh"],
            "note": note,
        }
        for agency, year, finding, note in findings
    ]
    return {"version": BASELINE_VERSION, "accepted": entries}
