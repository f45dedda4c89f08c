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

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from gov_disclosure.errors import DocumentError, Problem
from gov_disclosure.rules.results import Finding

__all__ = ["BASELINE_VERSION", "Baseline", "baseline_document"]

BASELINE_VERSION = 1


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
        name = str(path)
        try:
            data: Any = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise DocumentError(
                [Problem("$", f"cannot read: {exc.strerror or exc}")], source=name
            ) from None
        except ValueError as exc:
            raise DocumentError([Problem("$", f"not JSON: {exc}")], source=name) from None
        if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
            raise DocumentError(
                [Problem("$.version", f"expected a baseline of version {BASELINE_VERSION}")],
                source=name,
            )
        entries = data.get("accepted")
        if not isinstance(entries, list):
            raise DocumentError([Problem("$.accepted", "expected a list")], source=name)
        accepted: dict[tuple[str, int, str], str] = {}
        for i, entry in enumerate(entries):
            try:
                key = (str(entry["agency"]), int(entry["year"]), str(entry["fingerprint"]))
                accepted[key] = str(entry.get("note") or "")
            except (TypeError, KeyError, ValueError):
                raise DocumentError(
                    [Problem(f"$.accepted[{i}]", "expected agency, year and fingerprint")],
                    source=name,
                ) from None
        return cls(accepted)

    def note(self, agency: str, year: int, finding: Finding) -> str | None:
        """The reviewer's note if the finding is accepted (``""`` without one), else None."""
        return self.accepted.get((agency, year, finding.fingerprint))


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
