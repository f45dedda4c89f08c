"""Shared test helpers: the corpus copied from the project's shared reference material."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest

import gov_disclosure as gd

CORPUS = Path(__file__).parent / "corpus"
REPORTS = CORPUS / "reports"
EXPECTED = CORPUS / "expected"
REPO = Path(__file__).parent.parent

# Keys of the expected files that describe the source rather than the report.
EXPECTED_META_KEYS = ("source_file", "hybrid", "unknown", "ambiguous", "violations", "notes")


def parse_or_refused(data: bytes | str, **options: Any) -> gd.ParseResult | None:
    """``gd.parse`` (``parse_text`` for a string), or ``None`` where the input is refused.

    A refusal must be the parser's own: the catch-all that turns an unforeseen exception
    into ``ParseError("cannot parse this ...")`` keeps the library's promise to callers, but
    in a test it is a bug that a bare ``except gd.ParseError`` would hide.
    """
    from gov_disclosure.parsing import parse_text

    try:
        if isinstance(data, str):
            return parse_text(data, **options)
        return gd.parse(data, **options)
    except gd.ParseError as exc:
        if "cannot parse this" in str(exc):
            raise AssertionError(f"an internal error, caught as a refusal: {exc}") from exc
        return None


def expected_names() -> list[str]:
    return sorted(p.stem for p in EXPECTED.glob("*.json"))


def load_expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))
    return data


def expected_report(name: str) -> gd.Report:
    """The hand-read expected values of a corpus file, as a report.

    Cells lost in conversion (``unknown``) and glued runs with several splits
    (``ambiguous``) are marked unread, as a parser leaves them: they are not blanks, so no
    identity is computed with them. A lost 总计 stays blank (the parser flags a blank total).
    """
    data = load_expected(name)
    body = {k: v for k, v in data.items() if k not in EXPECTED_META_KEYS}
    unread = {a: "value_count" for a in data.get("unknown", []) if not a.endswith(".total")}
    unread |= {a: "ambiguous" for a in data.get("ambiguous", [])}
    if unread:
        body["unread"] = unread
    return gd.from_dict(body, source=f"expected/{name}.json")


@pytest.fixture(scope="session")
def sample() -> gd.Report:
    return gd.samples.load("liuzhou-2023")


FEES_REPORTED = "本年度未收取信息处理费。"
"""A part 六 that reports the fees: the seed with it draws no finding at all."""


def seed_last_year(report: gd.Report, **cells: int) -> gd.Report:
    """The seed-based ``report`` as last year's: carried forward and documents in force
    agree with it (the cross-year identities hold); ``cells`` (address with ``__`` for
    ``.``) change more cells."""
    previous = attrs.evolve(report, year=report.year - 1)
    changes = {
        "requests.carried_forward.natural_person": 3,
        "requests.carried_forward.total": 3,
        "proactive_disclosure.regulations.in_force": 6,
        "proactive_disclosure.normative_documents.in_force": 302,
        **{k.replace("__", "."): v for k, v in cells.items()},
    }
    for address, value in changes.items():
        previous = gd.with_cell(previous, address, value)
    return previous


def libreoffice(source: Path, to: str, outdir: Path) -> Path:
    """Convert a file with LibreOffice headless into ``outdir``; returns the converted path.

    Raises ``ParseError`` when LibreOffice is missing or fails.
    """
    from gov_disclosure.parsing.legacy import convert

    target = outdir / f"{source.stem}.{to.split(':')[0]}"
    target.write_bytes(convert(source.read_bytes(), source.suffix, to, timeout=180))
    return target
