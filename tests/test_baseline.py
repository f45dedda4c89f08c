"""Baselines: accepted findings are listed with their note and never fail a run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import gov_disclosure as gd
from gov_disclosure.cli import main


def _inconsistent(folder: Path, sample: gd.Report, name: str = "a.json") -> Path:
    path = folder / name
    path.write_text(gd.dumps(gd.with_cell(sample, "requests.outcomes.total.total", 1)), "utf-8")
    return path


def test_write_then_accept_then_a_new_finding_fails(
    tmp_path: Path, sample: gd.Report, capsys: pytest.CaptureFixture[str]
) -> None:
    report = _inconsistent(tmp_path, sample)
    baseline = tmp_path / "baseline.json"
    assert main(["check", str(report), "--write-baseline", str(baseline)]) == 1
    document = json.loads(baseline.read_text(encoding="utf-8"))
    rules = {entry["rule"] for entry in document["accepted"]}
    assert "requests.outcomes_total" in rules
    for entry in document["accepted"]:  # the reviewer's notes
        entry["note"] = "已向发布机关核实"
    baseline.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()

    # accepted: still listed, with the note, and the run passes
    assert main(["check", str(report), "--baseline", str(baseline), "--summary"]) == 0
    out = capsys.readouterr().out
    assert "[accepted: 已向发布机关核实]" in out and "accepted in the baseline" in out

    # moved and renamed, the same findings stay accepted
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    renamed = moved / "renamed.json"
    renamed.write_bytes(report.read_bytes())
    assert main(["check", str(renamed), "--baseline", str(baseline), "--json"]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert all(f["accepted"] for f in findings if f["severity"] != "info")

    # a new finding in the same report fails; the accepted ones do not
    worse = gd.with_cell(
        gd.loads(report.read_text(encoding="utf-8")), "requests.new_received.total", 999
    )
    report.write_text(gd.dumps(worse), encoding="utf-8")
    assert main(["check", str(report), "--baseline", str(baseline), "--json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    new = [f for f in findings if not f["accepted"] and f["severity"] == "inconsistency"]
    assert new and all(f["rule"] != "requests.outcomes_total" for f in new)


def test_a_baseline_never_accepts_another_report(tmp_path: Path, sample: gd.Report) -> None:
    report = _inconsistent(tmp_path, sample)
    baseline = tmp_path / "baseline.json"
    main(["check", str(report), "--write-baseline", str(baseline)])
    other = gd.with_cell(sample, "requests.outcomes.total.total", 1)
    other = gd.from_dict({**gd.to_dict(other), "year": 2024})  # the same body, next year
    path = tmp_path / "other.json"
    path.write_text(gd.dumps(other), encoding="utf-8")
    assert main(["check", str(path), "--baseline", str(baseline)]) == 1


def test_a_bad_baseline_is_an_error_with_its_place(
    tmp_path: Path, sample: gd.Report, capsys: pytest.CaptureFixture[str]
) -> None:
    report = _inconsistent(tmp_path, sample)
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 1, "accepted": [{"agency": "x"}]}', encoding="utf-8")
    assert main(["check", str(report), "--baseline", str(bad)]) == 2
    assert "$.accepted[0]" in capsys.readouterr().err


def test_a_report_whose_failures_are_all_accepted_says_ok(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # issue 26 §2 #7: the header said NOT OK while the exit code was 0
    report = tmp_path / "bad.json"
    report.write_text(
        gd.dumps(gd.with_cell(gd.samples.load(), "requests.new_received.total", 1)),
        encoding="utf-8",
    )
    baseline = tmp_path / "baseline.json"
    assert main(["check", str(report), "--write-baseline", str(baseline)]) == 1
    capsys.readouterr()
    assert main(["check", str(report), "--baseline", str(baseline)]) == 0
    assert "accepted in the baseline" in capsys.readouterr().out.splitlines()[0]
    assert main(["check", str(report), "--baseline", str(tmp_path / "missing.json")]) == 2
    err = capsys.readouterr().err
    assert err.count("missing.json") == 1 and "$" not in err
