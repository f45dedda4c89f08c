"""Scoring packs (issue 29 #2): points, deductions and caps as data, every deduction traced."""

from __future__ import annotations

import datetime
import json
import sys
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import gov_disclosure as gd
from gov_disclosure.cli import main
from gov_disclosure.scoring import (
    PACK_SCHEMA,
    default_pack,
    load_pack,
    pack_from_data,
    score_result,
)

from .conftest import REPO, expected_names

REPORTS = REPO / "tests" / "corpus" / "reports"
LATE = datetime.date(2024, 5, 1)  # the sample is for 2023: due by 2024-03-31


def _broken(report: gd.Report) -> gd.Report:
    """Two failing identities (a data anomaly twice)."""
    report = gd.with_cell(report, "review_litigation.administrative_review.upheld", 3)
    return gd.with_cell(report, "review_litigation.litigation_direct.upheld", 3)


def test_the_default_pack_is_valid_and_uses_only_our_rule_ids() -> None:
    pack = default_pack()
    assert (pack.item, pack.points, pack.mode) == ("annual_report", Decimal("2.0"), "conservative")
    rules = {r.id for r in gd.rules.RULES}
    assert pack.rule_ids <= rules
    shipped = json.loads((REPO / "schemas" / "scoring-pack.schema.json").read_text("utf-8"))
    assert shipped == PACK_SCHEMA  # the committed schema is the one the code validates with


def test_a_clean_dated_report_keeps_every_point() -> None:
    report = attrs.evolve(gd.samples.load(), published=datetime.date(2024, 1, 20))
    result = gd.score(report)
    assert result.score == result.points == Decimal("2.0")
    assert result.deductions == () and result.not_deducted == ()


def test_each_deduction_is_traced_to_its_finding_and_capped() -> None:
    report = attrs.evolve(_broken(gd.samples.load()), published=LATE)
    result = gd.score(report)
    assert [(d.rule, d.finding, d.points, d.reason) for d in result.deductions] == [
        ("late", "timeliness.late_publication", Decimal("1.0"), "failure"),
        ("data_anomaly", "review_litigation.block_total", Decimal("0.5"), "failure"),
        # the second anomaly is listed, but the rule's cap (0.5) is reached
        ("data_anomaly", "review_litigation.block_total", Decimal("0"), "failure"),
    ]
    assert result.score == Decimal("0.5")
    check = gd.check(report, select=default_pack().rule_ids)
    assert {d.fingerprint for d in result.deductions} <= {f.fingerprint for f in check.findings}
    assert all(d.message["zh"] and d.message["en"] for d in result.deductions)


def test_uncertain_findings_deduct_only_in_strict_mode() -> None:
    undated = gd.samples.load()  # no publication date: timeliness.date_unknown
    conservative = gd.score(undated)
    assert conservative.score == Decimal("2.0")
    [waived] = conservative.not_deducted
    assert (waived.finding, waived.reason, waived.points) == (
        "timeliness.date_unknown",
        "uncertain",
        Decimal("0"),
    )
    strict = gd.score(undated, mode="strict")
    assert strict.score == Decimal("1.0") and strict.deductions[0].reason == "uncertain"


def test_a_finding_on_ocr_read_cells_never_deducts_in_conservative_mode() -> None:
    report = _broken(gd.samples.load())
    report = attrs.evolve(
        report,
        published=datetime.date(2024, 1, 20),
        ocr={"review_litigation.administrative_review.upheld": 0.71},
    )
    result = gd.score(report)
    reasons = {(d.finding, d.reason) for d in (*result.deductions, *result.not_deducted)}
    assert ("review_litigation.block_total", "uncertain") in reasons  # the OCR'd block
    assert ("review_litigation.block_total", "failure") in reasons  # the litigation block
    assert result.score == Decimal("1.5")
    assert gd.score(report, mode="strict").score == Decimal("1.5")  # capped at 0.5 anyway


def test_not_assessable_findings_cost_nothing() -> None:
    report = gd.with_cell(gd.samples.load(), "requests.outcomes.total.total", None)
    report = attrs.evolve(
        report,
        published=datetime.date(2024, 1, 20),
        unread={"requests.outcomes.total.total": "illegible"},
    )
    result = gd.score(report)
    assert result.not_assessable and result.score == Decimal("2.0")


def test_an_invalid_document_loses_the_item() -> None:
    from gov_disclosure.scoring import invalid_score

    result = invalid_score(default_pack(), "not valid JSON")
    assert result.score == Decimal("0") and result.deductions[0].finding == "document.invalid"


@pytest.mark.parametrize("name", expected_names())
def test_the_default_pack_scores_the_corpus_with_every_deduction_explained(name: str) -> None:
    from .conftest import expected_report

    report = expected_report(name)
    result = gd.score(report)
    lost = sum((d.points for d in result.deductions), Decimal(0))
    assert result.score == max(Decimal(0), result.points - lost)
    pack_rules = {r.id: r for r in default_pack().rules}
    for d in (*result.deductions, *result.not_deducted):
        rule = pack_rules[d.rule]
        assert d.finding in rule.findings | rule.uncertain and d.message["en"]


def test_a_pack_is_refused_with_the_place_of_each_problem(tmp_path: Path) -> None:
    data = json.loads((REPO / "src/gov_disclosure/scoring/packs/default.json").read_text("utf-8"))
    data["rules"][1]["deduction"] = -1
    data["rules"][2]["findings"] = ["cross_year.nope"]
    with pytest.raises(gd.DocumentError) as info:
        pack_from_data(data)
    assert [p.path for p in info.value.problems] == ["$.rules[1].deduction"]
    data["rules"][1]["deduction"] = 1
    with pytest.raises(gd.DocumentError, match="is not a rule id"):
        pack_from_data(data)
    path = tmp_path / "pack.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(gd.DocumentError, match="not a pack file"):
        load_pack(path)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="TOML packs need tomllib (3.11+)")
def test_a_toml_pack(tmp_path: Path) -> None:
    path = tmp_path / "pack.toml"
    path.write_text(
        """format_version = 1
id = "my-index"
version = "1"
item = "annual_report"
points = 10
mode = "strict"

[[rules]]
id = "late"
findings = ["timeliness.late_publication"]
uncertain = ["timeliness.date_unknown"]
deduction = 4
cap = 4
""",
        encoding="utf-8",
    )
    pack = load_pack(path)
    assert pack.points == 10 and pack.mode == "strict"
    assert gd.score(gd.samples.load(), pack).score == Decimal("6")  # strict: undated costs 4


def test_score_result_takes_any_check_result() -> None:
    result = gd.check(attrs.evolve(gd.samples.load(), published=LATE))
    assert score_result(result).score == Decimal("1.0")


def test_check_score_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    late = tmp_path / "late.json"
    late.write_text(gd.dumps(attrs.evolve(gd.samples.load(), published=LATE)), encoding="utf-8")
    junk = tmp_path / "junk.json"
    junk.write_text("{", encoding="utf-8")
    assert main(["check", str(late), str(junk), "--json", "--score", "default"]) == 1
    lines = {Path(x["file"]).name: x for x in map(json.loads, capsys.readouterr().out.splitlines())}
    assert lines["late.json"]["score"]["score"] == "1.0"
    assert lines["late.json"]["score"]["deductions"][0]["finding"] == "timeliness.late_publication"
    assert lines["junk.json"]["score"]["score"] == "0.0"
    assert main(["check", str(late), "--score", "default", "--score-mode", "strict"]) == 0
    out = capsys.readouterr().out
    assert "score 1.0 of 2.0 (gov-disclosure-default@2026.1, strict)" in out
    assert "-1.0 late [timeliness.late_publication, failure]" in out
    bad = tmp_path / "bad.json"
    bad.write_text('{"format_version": 1}', encoding="utf-8")
    assert main(["check", str(late), "--score", str(bad)]) == 2
    assert "bad.json" in capsys.readouterr().err


def test_pack_and_baseline_files_share_one_strict_json_reader() -> None:
    from gov_disclosure.schemas.json_schema import schema_problems, strict_json, strict_validator

    assert strict_json(b'{"points": 2.10}', source="p.json", refusal="x") == {
        "points": Decimal("2.10")
    }
    for text, why in (
        (b'{"points": NaN}', "NaN is not a JSON number"),
        (b"[" * 100_000, "nested too deeply"),
    ):
        with pytest.raises(gd.DocumentError) as info:
            strict_json(text, source="p.json", refusal="not a pack file")
        [problem] = info.value.problems
        assert problem.path == "$" and problem.message == f"not a pack file: {why}"
        assert info.value.unreadable
    validator = strict_validator(PACK_SCHEMA)
    bad = {"format_version": 1, "id": "", "version": "1", "item": "x", "points": 2.0, "rules": []}
    assert [p.path for p in schema_problems(validator, bad)] == ["$.id", "$.rules"]


def test_a_file_the_reader_may_have_failed_deducts_only_in_strict_mode() -> None:
    from gov_disclosure.scoring import invalid_score

    doubtful = invalid_score(default_pack(), "no statistical tables found", certain=False)
    assert doubtful.score == Decimal("2.0") and not doubtful.deductions
    assert [d.finding for d in doubtful.not_deducted] == ["document.invalid"]
    strict = invalid_score(default_pack(), "x", certain=False, mode="strict")
    assert strict.score == Decimal("0.0") and strict.deductions[0].reason == "uncertain"


def _export_scores(tmp_path: Path, *extra: str) -> dict[str, dict[str, str]]:
    import csv

    late = tmp_path / "in" / "late.json"
    late.parent.mkdir()
    late.write_text(gd.dumps(attrs.evolve(gd.samples.load(), published=LATE)), encoding="utf-8")
    (tmp_path / "in" / "junk.json").write_text("{", encoding="utf-8")
    (tmp_path / "in" / "memo.txt").write_text("会议纪要：今天开会。", encoding="utf-8")
    (tmp_path / "in" / "undated.json").write_text(gd.dumps(gd.samples.load()), encoding="utf-8")
    args = ["export", str(tmp_path / "in"), "--parse", "-o", str(tmp_path / "cells.csv")]
    args += ["--findings", str(tmp_path / "findings.csv"), "--scores", str(tmp_path / "s.csv")]
    assert main([*args, *extra]) == 1  # two files gave no report
    with (tmp_path / "s.csv").open(encoding="utf-8") as f:
        return {Path(row["file"]).name: row for row in csv.DictReader(f)}


def test_export_scores_one_row_per_file_every_deduction_named(tmp_path: Path) -> None:
    rows = _export_scores(tmp_path)
    assert set(rows) == {"late.json", "junk.json", "memo.txt", "undated.json"}
    late = rows["late.json"]
    assert (late["status"], late["score"], late["deducted"]) == ("scored", "1.0", "1.0")
    assert late["deductions"] == "late:timeliness.late_publication:1.0"
    assert late["agency"] and late["year"] == "2023" and late["edition"] == "2021"
    junk = rows["junk.json"]  # a report document that is not valid: the item is lost
    assert (junk["status"], junk["score"]) == ("invalid", "0.0")
    assert "not valid JSON" in junk["error"]
    memo = rows["memo.txt"]  # our parsers found no report: perhaps ours is the fault
    assert (memo["score"], memo["deductions"]) == ("2.0", "")
    assert memo["not_deducted"] == "invalid:document.invalid"
    assert rows["undated.json"]["not_deducted"] == "late:timeliness.date_unknown"
    # the pack's rules run for the score, but the findings table keeps the default rule set
    findings = (tmp_path / "findings.csv").read_text(encoding="utf-8")
    assert "timeliness.late_publication" in findings and "date_unknown" not in findings


def test_export_scores_strict_mode_and_a_pack_file(tmp_path: Path) -> None:
    pack = tmp_path / "pack.json"
    data = json.loads((REPO / "src/gov_disclosure/scoring/packs/default.json").read_text("utf-8"))
    pack.write_text(json.dumps({**data, "id": "mine", "points": 10}), encoding="utf-8")
    rows = _export_scores(tmp_path, "--pack", str(pack), "--score-mode", "strict")
    assert rows["undated.json"]["pack"] == "mine@2026.1"
    assert rows["undated.json"]["score"] == "9.0"  # strict: an unknown date costs the 1.0
    assert rows["memo.txt"]["score"] == "8.0" and rows["memo.txt"]["mode"] == "strict"


def test_export_pack_options_need_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "r.json"
    report.write_text(gd.dumps(gd.samples.load()), encoding="utf-8")
    out = str(tmp_path / "c.csv")
    with pytest.raises(SystemExit) as info:
        main(["export", str(report), "-o", out, "--pack", "x"])
    assert info.value.code == 2
    assert "--scores" in capsys.readouterr().err


def test_export_scores_as_parquet_keeps_lists_and_exact_points(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    late = tmp_path / "late.json"
    late.write_text(gd.dumps(attrs.evolve(gd.samples.load(), published=LATE)), encoding="utf-8")
    out = tmp_path / "s.parquet"
    assert main(["export", str(late), "-o", str(tmp_path / "c.csv"), "--scores", str(out)]) == 0
    (row,) = pq.read_table(out).to_pylist()
    assert row["score"] == Decimal("1.0") and row["deductions"] == [
        "late:timeliness.late_publication:1.0"
    ]
    assert row["not_deducted"] == [] and row["year"] == 2023


@pytest.mark.parametrize("rule_id", ["data anomaly", "late:1", "a;b", ""])
def test_a_pack_rule_id_cannot_break_the_scores_table_lists(rule_id: str) -> None:
    data = json.loads((REPO / "src/gov_disclosure/scoring/packs/default.json").read_text("utf-8"))
    data["rules"][0]["id"] = rule_id
    with pytest.raises(gd.DocumentError) as info:
        pack_from_data(data)
    assert [p.path for p in info.value.problems] == ["$.rules[0].id"]
    data["rules"][0]["id"] = "数据异常"  # any other character is fine
    assert pack_from_data(data).rules[0].id == "数据异常"


def test_check_series_score_names_the_deductions_past_a_cap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = gd.samples.load()
    (tmp_path / "a2023.json").write_text(
        gd.dumps(attrs.evolve(seed, published=datetime.date(2024, 1, 10))), encoding="utf-8"
    )
    last = attrs.evolve(seed, year=2022, published=datetime.date(2023, 1, 10))
    (tmp_path / "a2022.json").write_text(gd.dumps(last), encoding="utf-8")
    main(["check", str(tmp_path), "--series", "--score", "default", "--lang", "en"])
    out = capsys.readouterr().out
    # text copied from last year and carry-over broken: each pack rule deducts once, to its cap
    assert "score 1.0 of 2.0" in out and "past a cap, costing nothing" in out
    assert "-0.5 repeated [cross_year." in out and "-0.5 data_anomaly [cross_year.carry_over" in out


def test_a_pack_id_is_escaped_in_the_totals_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a pack file is the user's: its id reaches the terminal only escaped, as names do
    pack = tmp_path / "pack.json"
    data = json.loads((REPO / "src/gov_disclosure/scoring/packs/default.json").read_text("utf-8"))
    pack.write_text(json.dumps({**data, "id": "mine\x1b[2J"}), encoding="utf-8")
    report = tmp_path / "r.json"
    report.write_text(gd.dumps(gd.samples.load()), encoding="utf-8")
    main(["check", str(report), "--score", str(pack), "--summary"])
    out = capsys.readouterr().out
    assert "\x1b" not in out
    [totals] = [line for line in out.splitlines() if line.startswith("Totals:")]
    assert "mine\\x1b[2J@" in totals
