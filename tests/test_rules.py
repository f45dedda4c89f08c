"""The invariant checker: rules as data, the engine, findings, cross-year, the check CLI."""

from __future__ import annotations

import contextlib
import importlib
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure.cli import main
from gov_disclosure.rules import RULES, export_rules, render_rules, rule_set
from gov_disclosure.rules.definitions import DEFAULT_RULES
from gov_disclosure.rules.results import invalid_document
from gov_disclosure.strategies import BREAKABLE_RULES, reports, reports_breaking

from .conftest import REPO, expected_names, expected_report, load_expected

BLANK = DEFAULT_RULES | {"plausibility.blank_share"}

PROPS = settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow], deadline=None)

FORMAT_RULE_IDS = {
    "requests.balance",
    "requests.outcomes_total",
    "requests.applicant_total",
    "review_litigation.block_total",
    "cross_year.carry_over",
    "cross_year.documents_in_force",
    "format.outdated_edition",
    "format.hybrid_edition",
}


def test_every_format_rule_id_is_defined() -> None:
    assert {r.id for r in RULES} >= FORMAT_RULE_IDS
    for rule in RULES:
        assert set(rule.title) == {"zh", "en"} and set(rule.message) == {"zh", "en"}
        assert rule.severity in ("error", "inconsistency", "warning", "info")


def test_the_seed_balances_and_only_its_fees_are_not_reported(sample: gd.Report) -> None:
    result = gd.check(sample)
    assert result.ok
    # every identity holds; part 六 says only "无", not what fees were collected
    assert [f.rule for f in result] == ["narrative.fees_not_reported"]
    assert result.counts == {"error": 0, "inconsistency": 0, "warning": 1, "info": 0}


@pytest.mark.parametrize("name", expected_names())
def test_corpus_violations_are_found_and_nothing_else(name: str) -> None:
    expected = load_expected(name)
    result = gd.check(expected_report(name))
    found = {(f.rule, f.addresses[0]) for f in result.filter(severity="inconsistency")}
    wanted = {
        (v["rule"], v["address"]) if isinstance(v, dict) else (v, None)
        for v in expected["violations"]
    }
    assert {rule for rule, _ in found} == {rule for rule, _ in wanted}
    if expected.get("hybrid"):
        assert [f.rule for f in result.filter(severity="warning")] == ["format.hybrid_edition"]


def _pingtan_2020_like(sample: gd.Report) -> gd.Report:
    """平潭 2020: the outcome leaves add up to 27 but （七）总计 says 21; balance still holds.

    Part 六 reports the fees, so the identities' findings are the only ones.
    """
    sample = attrs.evolve(sample, other_matters="本年度未收取信息处理费。")
    report = gd.with_cell(sample, "requests.outcomes.granted.natural_person", 8)
    return gd.with_cell(report, "requests.outcomes.granted.total", 8)


def test_outcomes_total_catches_the_pingtan_2020_error(sample: gd.Report) -> None:
    result = gd.check(_pingtan_2020_like(sample))
    assert {f.rule for f in result.filter(severity="inconsistency")} == {"requests.outcomes_total"}
    finding = result.filter(rule="requests.outcomes_total")[0]
    assert finding.addresses[0] == "requests.outcomes.total.natural_person"
    assert (finding.stated, finding.computed, finding.difference) == (111, 117, -6)
    assert finding.summary() == "表三 （七）总计 / 自然人: 写明 111，各项合计 117，相差 -6"
    assert "requests.outcomes.granted.natural_person" in finding.addresses
    assert "stated 111, the items add up to 117" in finding.message["en"]


def test_block_total_catches_the_hongze_2023_error(sample: gd.Report) -> None:
    """洪泽区 2023: 行政复议 10/1/0/0 with 总计 0."""
    report = sample
    for column, value in (
        ("upheld", 10),
        ("corrected", 1),
        ("other", 0),
        ("pending", 0),
        ("total", 0),
    ):
        report = gd.with_cell(report, f"review_litigation.administrative_review.{column}", value)
    result = gd.check(report)
    [finding] = result.filter(severity="inconsistency")
    assert finding.rule == "review_litigation.block_total"
    assert finding.addresses == tuple(
        f"review_litigation.administrative_review.{c}"
        for c in ("total", "upheld", "corrected", "other", "pending")
    )
    assert (finding.stated, finding.computed, finding.difference) == (0, 11, -11)
    assert finding.where == "表四 行政复议 / 总计"


def test_each_column_and_row_is_its_own_finding(sample: gd.Report) -> None:
    report = gd.with_cell(sample, "requests.carried_forward.natural_person", 9)
    result = gd.check(report)
    rules = sorted((f.rule, f.addresses[0]) for f in result.filter(severity="inconsistency"))
    assert rules == [
        ("requests.applicant_total", "requests.carried_forward.total"),
        ("requests.balance", "requests.new_received.natural_person"),
    ]


def test_blank_total_is_never_imputed(sample: gd.Report) -> None:
    report = gd.with_cell(sample, "requests.outcomes.total.natural_person", None)
    result = gd.check(report)
    assert result.ok  # nothing can be said to be inconsistent
    warning = result.filter(rule="plausibility.blank_total")
    assert [f.addresses[0] for f in warning] == ["requests.outcomes.total.natural_person"]
    assert warning[0].assessable is False and warning[0].computed == 111
    infos = result.filter(severity="info")
    assert {f.rule for f in infos} == {"requests.balance", "requests.applicant_total"}
    assert all(not f.assessable and f.difference is None for f in infos)


def test_blank_leaves_count_as_zero(sample: gd.Report) -> None:
    # the seed leaves every zero cell blank and still checks clean
    assert gd.get_cell(sample, "requests.outcomes.withheld.state_secret.natural_person") is None
    report = gd.with_cell(sample, "requests.outcomes.withheld.state_secret.natural_person", 0)
    report = gd.with_cell(report, "requests.outcomes.withheld.state_secret.total", 0)
    assert gd.check(report).findings == gd.check(sample).findings


@pytest.mark.parametrize("name", expected_names())
def test_blank_share_fires_on_the_corpus_reports_that_print_no_zeros(name: str) -> None:
    # the measured basis of BLANK_SHARE: real reports leave <= 1 of 175 table-3 cells blank,
    # or 71 % and more (liuzhou, shuyang-fgj; and the synthetic grids made after liuzhou)
    report = expected_report(name)
    fired = gd.check(report, select=BLANK).filter(rule="plausibility.blank_share")
    sparse = {"liuzhou-gov-office-2023", "shuyang-fgj-2023", "synthetic-grid-2019"}
    sparse |= {"synthetic-grid-2021", "synthetic-office-html-2021"}
    assert [f.addresses for f in fired] == ([("requests",)] if name in sparse else [])


def test_blank_share_counts_only_read_cells_and_leaves_all_blank_tables_alone(
    sample: gd.Report,
) -> None:
    assert not gd.check(sample).filter(rule="plausibility.blank_share")  # off by default
    [finding] = gd.check(sample, select=BLANK).filter(rule="plausibility.blank_share")
    assert finding.severity == "warning" and finding.location["table"] == "表三"
    assert "157 of the 175 cells read are blank (90%, more than 50%)" in finding.message["en"]
    blanks = [c.address for c in gd.cells(sample) if c.address.startswith("requests.")]
    blanks = [a for a in blanks if gd.get_cell(sample, a) is None]
    # the blank cells unread instead: the few read cells are figures, nothing to say
    unread = attrs.evolve(sample, unread=dict.fromkeys(blanks, "illegible"))
    assert not gd.check(unread, select=BLANK).filter(rule="plausibility.blank_share")
    # 18 of the 36 read cells blank, half (not more): no finding; 19 of 37: a finding
    half = attrs.evolve(sample, unread=dict.fromkeys(blanks[: 157 - 18], "illegible"))
    assert not gd.check(half, select=BLANK).filter(rule="plausibility.blank_share")
    more = attrs.evolve(sample, unread=dict.fromkeys(blanks[: 157 - 19], "illegible"))
    assert gd.check(more, select=BLANK).filter(rule="plausibility.blank_share")
    blank = gd.Report2021(year=2023, agency=gd.Agency(name="某镇人民政府"))
    assert not gd.check(blank, select=BLANK).filter(rule="plausibility.blank_share")


def test_extend_select_runs_a_rule_that_is_off_by_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "r.json"
    path.write_text(gd.dumps(gd.samples.load()), encoding="utf-8")
    assert main(["check", str(path), "--json", "--extend-select", "plausibility.blank_share"]) == 0
    rules = [f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert rules == ["narrative.fees_not_reported", "plausibility.blank_share"]
    args = ["check", str(path), "--json", "--select", "requests.balance"]
    assert main([*args, "--extend-select", "plausibility.blank_share"]) == 0
    rules = [f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert rules == ["plausibility.blank_share"]


def test_plausibility_all_blank_table_and_level(sample: gd.Report) -> None:
    blank = gd.Report2021(year=2023, agency=gd.Agency(name="某镇人民政府", level="township"))
    result = gd.check(blank)
    assert [f.addresses for f in result.filter(rule="plausibility.all_blank_table")] == [
        ("proactive_disclosure",),
        ("requests",),
        ("review_litigation",),
    ]
    town = attrs.evolve(sample, agency=gd.Agency(name="某镇人民政府", level="township"))
    [finding] = gd.check(town).filter(rule="plausibility.regulations_by_level")
    assert finding.stated == 5
    assert "乡镇级" in finding.message["zh"]
    city = attrs.evolve(sample, agency=gd.Agency(name="某市人民政府", level="prefectural"))
    assert not gd.check(city).filter(rule="plausibility.regulations_by_level")


def test_outdated_and_hybrid_edition_warnings() -> None:
    legacy = attrs.evolve(expected_report("pingtan-2019"), year=2023)
    assert [f.rule for f in gd.check(legacy)] == ["format.outdated_edition"]
    hybrid = expected_report("hongze-district-2024")
    [finding] = gd.check(hybrid)
    assert finding.rule == "format.hybrid_edition" and finding.severity == "warning"


def test_cross_year_carry_over_and_series() -> None:
    r2021, r2022 = expected_report("pingtan-2021"), expected_report("pingtan-2022")
    # 2021's 行政规范性文件 run is ambiguous (unread): the in-force identity is not assessable
    checked = gd.check(r2022, previous=r2021)
    assert [f for f in checked.findings if f.assessable] == []
    [unread] = checked.filter(rule="cross_year.documents_in_force")
    assert unread.unread == ("previous:proactive_disclosure.normative_documents.in_force",)
    # last year's cell is named as last year's, not as this year's cell of the same label
    assert "单元格 （上年）行政规范性文件 / 现行有效件数 未能识别" in unread.message["zh"]
    broken = gd.with_cell(r2021, "requests.carried_forward.natural_person", 3)
    broken = gd.with_cell(broken, "requests.carried_forward.total", 3)
    result = gd.check(r2022, previous=broken)
    finding, total = result.filter(rule="cross_year.carry_over")
    assert total.addresses[0] == "requests.carried_over.total"
    assert finding.addresses == (
        "requests.carried_over.natural_person",
        "previous:requests.carried_forward.natural_person",
    )
    assert (finding.stated, finding.computed) == (1, 3)
    series = gd.check_series(
        [expected_report("pingtan-2025"), expected_report("pingtan-2024"), r2022, r2021]
    )
    assert [r.year for r, _ in series] == [2021, 2022, 2024, 2025]
    assert all(res.ok for _, res in series)
    with pytest.raises(ValueError, match="previous report is for 2021"):
        gd.check(expected_report("pingtan-2024"), previous=r2021)


def test_documents_in_force_warning() -> None:
    r2024, r2025 = expected_report("pingtan-2024"), expected_report("pingtan-2025")
    r2024 = gd.with_cell(r2024, "proactive_disclosure.regulations.in_force", 3)
    r2025 = gd.with_cell(r2025, "proactive_disclosure.regulations.issued", 1)
    r2025 = gd.with_cell(r2025, "proactive_disclosure.regulations.in_force", 10)
    found = gd.check(r2025, previous=r2024).filter(rule="cross_year.documents_in_force")
    [finding] = [f for f in found if f.assessable]  # 行政规范性文件: ambiguous, not assessable
    assert finding.severity == "warning"
    assert (finding.stated, finding.computed) == (10, 4)


def test_select_and_ignore(sample: gd.Report) -> None:
    report = _pingtan_2020_like(
        gd.with_cell(sample, "review_litigation.litigation_direct.total", 3)
    )
    assert {f.rule for f in gd.check(report, select=["review_litigation.block_total"])} == {
        "review_litigation.block_total"
    }
    assert {f.rule for f in gd.check(report, ignore=["review_litigation.block_total"])} == {
        "requests.outcomes_total"
    }


def test_fingerprints_are_stable_and_distinct(sample: gd.Report) -> None:
    report = _pingtan_2020_like(sample)
    first = gd.check(report)
    again = gd.check(gd.with_cell(report, "requests.outcomes.granted.natural_person", 9))
    assert first[0].fingerprint == again[0].fingerprint  # same rule at the same place
    prints = [f.fingerprint for f in gd.check(gd.Report2021(year=2023, agency=gd.Agency(name="x")))]
    assert len(prints) == len(set(prints))


def test_result_to_dict_and_summary(sample: gd.Report) -> None:
    result = gd.check(_pingtan_2020_like(sample))
    data = json.loads(result.to_json())
    assert data["ok"] is False and data["counts"]["inconsistency"] == 2  # 自然人 and 总计 columns
    finding = data["findings"][0]
    assert set(finding) >= {
        "rule",
        "severity",
        "addresses",
        "stated",
        "computed",
        "difference",
        "message",
        "fingerprint",
    }
    assert finding["message"]["zh"].startswith("表三 （七）总计 / 自然人")
    assert result.summary().splitlines()[-2].startswith("not ok: 0 error, 2 inconsistency")
    assert result.summary().splitlines()[-1] == "42 of 42 identities assessed"
    assert len(result) == 2 and result[0].rule == "requests.outcomes_total"
    assert result.filter(at_least="inconsistency") == list(result)
    with pytest.raises(ValueError):
        result.filter(at_least="fatal")


# --- properties ----------------------------------------------------------------------------


@PROPS
@given(reports())
def test_consistent_reports_have_no_findings(report: gd.Report) -> None:
    result = gd.check(report)
    assert result.findings == (), result.summary()


def _identity_cells(report: gd.Report) -> list[str]:
    layout = rule_set(report.format).layout_for(report)
    return sorted(
        {
            t.cell
            for i in layout.identities
            for t in (*i.left, *i.right)
            if not t.previous and not i.rule.startswith("cross_year")
        }
    )


@PROPS
@given(reports(), st.data())
def test_changing_any_identity_cell_is_caught_at_that_cell(
    report: gd.Report, data: st.DataObject
) -> None:
    address = data.draw(st.sampled_from(_identity_cells(report)))
    old = gd.get_cell(report, address) or 0
    new = data.draw(st.integers(0, 10**6).filter(lambda v: v != old))
    result = gd.check(gd.with_cell(report, address, new))
    # an inconsistency, or (a total filled over parts all left blank) the warning that the
    # parts were not reported: a blank part is never read as 0
    hits = [
        f
        for f in result.findings
        if address in f.addresses
        and (f.severity == "inconsistency" or f.rule.endswith(".parts_not_reported"))
    ]
    assert hits, (address, old, new, result.summary())


@pytest.mark.parametrize("rule", BREAKABLE_RULES)
def test_reports_breaking_break_exactly_that_rule(rule: str) -> None:
    @settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(reports_breaking(rule))
    def run(report: gd.Report) -> None:
        assert {f.rule for f in gd.check(report)} == {rule}

    run()


# --- the exported rule file ---------------------------------------------------------------


@pytest.mark.parametrize("edition", ["2021", "2019"])
def test_committed_rules_json_matches_the_rule_set(edition: str) -> None:
    assert (REPO / "schemas" / edition / "rules.json").read_text(encoding="utf-8") == render_rules(
        edition
    )


def _evaluate_exported(rules: dict[str, Any], document: dict[str, Any]) -> set[tuple[str, str]]:
    """An independent evaluator of rules.json, as a JavaScript or Java program would write it."""

    def cell(address: str) -> Any:
        node: Any = document
        for part in address.split("."):
            node = node[part]
        return node

    other = document["requests"]["outcomes"]["other"]
    layout = rules["layouts"][
        "hybrid" if "natural_person" in other and rules["edition"] == "2021" else "standard"
    ]
    derived = set(layout["derived_cells"])
    failures = set()
    for identity in layout["identities"]:
        terms = identity["left"] + identity["right"]
        if any(t.get("report") == "previous" for t in terms):
            continue
        values = [cell(t["cell"]) for t in terms]
        if all(v is None for v in values):
            continue
        blank_derived = [
            t["cell"]
            for t, v in zip(terms, values, strict=True)
            if v is None and t["cell"] in derived
        ]
        if blank_derived:
            continue
        left = sum(t["weight"] * (cell(t["cell"]) or 0) for t in identity["left"])
        right = sum(t["weight"] * (cell(t["cell"]) or 0) for t in identity["right"])
        if abs(left - right) > identity["tolerance"]:
            failures.add((identity["rule"], identity["left"][0]["cell"]))
    return failures


@PROPS
@given(st.one_of(reports(), *[reports_breaking(r) for r in BREAKABLE_RULES[:4]]))
def test_rules_json_evaluated_independently_agrees_with_the_engine(report: gd.Report) -> None:
    exported = json.loads(
        (REPO / "schemas" / report.format / "rules.json").read_text(encoding="utf-8")
    )
    independent = _evaluate_exported(exported, json.loads(gd.dumps(report)))
    engine = {(f.rule, f.addresses[0]) for f in gd.check(report).filter(severity="inconsistency")}
    assert independent == engine


def test_rules_json_shape() -> None:
    data = export_rules("2021")
    assert data["edition"] == "2021" and set(data["layouts"]) == {"standard", "hybrid"}
    assert len(data["layouts"]["standard"]["identities"]) == 25 + 7 + 7 + 3 + 7 + 2
    assert set(export_rules("2019")["layouts"]) == {"standard"}


# --- CLI ------------------------------------------------------------------------------------


def _write(tmp_path: Path, name: str, report: gd.Report) -> Path:
    path = tmp_path / name
    path.write_text(gd.dumps(report), encoding="utf-8")
    return path


def test_check_cli_exit_codes(
    tmp_path: Path, sample: gd.Report, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _write(tmp_path, "good.json", sample)
    bad = _write(tmp_path, "bad.json", _pingtan_2020_like(sample))
    assert main(["check", str(good)]) == 0
    assert main(["check", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "表三 （七）总计 / 自然人: 写明 111，各项合计 117" in out
    assert "Totals: 2 file(s), 1 failing" in out
    assert main(["check", str(tmp_path / "missing.json")]) == 2
    (tmp_path / "junk.json").write_text("{", encoding="utf-8")
    assert main(["check", str(tmp_path / "junk.json")]) == 1  # read, but not a valid report


def test_check_cli_fail_on_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hybrid = _write(tmp_path, "hybrid.json", expected_report("hongze-district-2024"))
    assert main(["check", str(hybrid)]) == 0
    assert main(["check", str(hybrid), "--fail-on", "warning"]) == 1
    capsys.readouterr()
    assert main(["check", str(hybrid), "--json"]) == 0
    line = json.loads(capsys.readouterr().out)
    assert line["file"] == str(hybrid) and line["ok"] is True
    assert line["findings"][0]["rule"] == "format.hybrid_edition"
    assert set(line["findings"][0]["message"]) == {"zh", "en"}


def test_check_cli_previous_and_series(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r2021 = expected_report("pingtan-2021")
    broken = gd.with_cell(
        gd.with_cell(r2021, "requests.carried_forward.natural_person", 3),
        "requests.carried_forward.total",
        3,
    )
    prev = _write(tmp_path, "2021.json", broken)
    cur = _write(tmp_path, "2022.json", expected_report("pingtan-2022"))
    assert main(["check", str(cur)]) == 0
    assert main(["check", str(cur), "--previous", str(prev)]) == 1
    # in worker processes; a report of another year is an error, not silently unchecked
    other = _write(tmp_path, "2024.json", expected_report("pingtan-2024"))
    capsys.readouterr()
    assert (
        main(["check", str(cur), str(other), "--previous", str(prev), "--jobs", "2", "--json"]) == 2
    )
    lines = {r["file"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assessed = [f for f in lines[str(cur)]["findings"] if f["assessable"]]
    assert [f["rule"] for f in assessed] == ["cross_year.carry_over"] * 2
    assert lines[str(cur)]["compared"] == [2021, 2022]
    assert lines[str(other)]["readable"] is False
    assert "the previous report is for 2021" in lines[str(other)]["findings"][0]["message"]["en"]
    assert main(["check", str(prev), str(cur), "--series"]) == 1
    assert "cross_year.carry_over" in capsys.readouterr().out


def test_main_job_on_the_sample(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--sample", "liuzhou-2023"]) == 0
    assert "柳州市人民政府办公室 2023 (edition 2021) ok" in capsys.readouterr().out


def test_check_cli_json_reports_unreadable_files_as_document_invalid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "junk.json").write_text("{", encoding="utf-8")
    assert main(["check", str(tmp_path), "--json", "--jobs", "1"]) == 1
    [line] = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert line["readable"] is True and line["ok"] is False
    assert [f["rule"] for f in line["findings"]] == ["document.invalid"]
    assert "not valid JSON" in line["findings"][0]["message"]["en"]
    # the same record as any finding: a consumer reads every one with the same keys
    assert line["findings"][0] == invalid_document(line["findings"][0]["message"]["en"]).to_dict()
    assert set(line["findings"][0]) == set(gd.check(gd.samples.load()).findings[0].to_dict())


def test_check_cli_quiet_prints_only_the_failing_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = gd.with_cell(gd.samples.load(), "requests.new_received.total", 117)
    (tmp_path / "a.json").write_text(gd.dumps(broken), encoding="utf-8")
    (tmp_path / "b.json").write_text(gd.dumps(gd.samples.load()), encoding="utf-8")
    (tmp_path / "c.json").write_text("{", encoding="utf-8")
    assert main(["check", str(tmp_path), "--quiet", "--jobs", "1"]) == 1
    out = capsys.readouterr().out.splitlines()
    # a.json: its header and the failing findings only (no coverage line, no warnings);
    # b.json passes and prints nothing; c.json is invalid and says so
    invalid = out.index(f"== {tmp_path / 'c.json'}: invalid")
    assert out[0].startswith(f"== {tmp_path / 'a.json'}:") and "NOT OK" in out[0]
    assert invalid > 1 and all(line.split()[0] == "inconsistency" for line in out[1:invalid])
    assert "not valid JSON" in out[-1]
    assert not any("b.json" in line for line in out)


_ANY_REPORT = st.one_of(reports(hybrid=None), *[reports_breaking(r) for r in BREAKABLE_RULES])


def _scribbled(report: gd.Report, data: st.DataObject, *, unread: bool) -> gd.Report:
    """A report with some totals blanked (the never-imputed case), some cells changed
    (identities broken) and, if ``unread``, some cells marked as not read."""
    addresses = [c.address for c in gd.cells(report)]
    for address in data.draw(st.lists(st.sampled_from(addresses), max_size=3)):
        if address.endswith(".total"):
            report = gd.with_cell(report, address, None)
    counts = [c.address for c in gd.cells(report) if c.info.kind in ("count", "signed")]
    for address in data.draw(st.lists(st.sampled_from(counts), max_size=2)):
        report = gd.with_cell(report, address, data.draw(st.none() | st.integers(0, 50)))
    if unread:
        marks = {
            a: data.draw(st.sampled_from(sorted(gd.model.UNREAD_REASONS)))
            for a in data.draw(st.lists(st.sampled_from(addresses), max_size=4))
        }
        for address in marks:
            report = gd.with_cell(report, address, None)
        report = attrs.evolve(report, unread=marks)
    return report


@settings(PROPS, max_examples=200)
@given(_ANY_REPORT, st.data())
def test_the_compiled_checker_equals_the_reference_engine(
    report: gd.Report, data: st.DataObject
) -> None:
    engine = importlib.import_module("gov_disclosure.rules.engine")
    report = _scribbled(report, data, unread=data.draw(st.booleans()))
    previous = None
    if data.draw(st.booleans()):  # last year's report, of either edition and layout
        other = data.draw(_ANY_REPORT)
        with contextlib.suppress(ValueError):  # a year its edition's template never had
            other = attrs.evolve(other, year=report.year - 1, agency=report.agency)
            previous = _scribbled(other, data, unread=data.draw(st.booleans()))
    event(f"previous report: {previous is not None}; unread: {bool(report.unread)}")
    ids = sorted(r.id for r in RULES)
    select = data.draw(st.none() | st.lists(st.sampled_from(ids), max_size=6))
    ignore = data.draw(st.lists(st.sampled_from(ids), max_size=3))
    compiled = gd.check(report, previous, select=select, ignore=ignore)
    reference = engine._check(
        report, previous, select, ignore, engine.DEFAULT_SIMILARITY, reference=True
    )
    assert compiled == reference


def test_the_compiled_source_is_inspectable() -> None:
    source = gd.rules.compiled_source("2021")
    assert source.startswith("def screen_2021_standard(r):")
    # each parent object is read once, each cell into a local of its own
    assert source.count("= r.requests\n") == 1
    assert source.count("= r.proactive_disclosure\n") == 1
    layout = rule_set("2021").layouts["standard"]
    assert all(f"    c{i} = " in source for i in range(len(layout.cells)))
    hybrid = gd.rules.compiled_source("2021", "hybrid", previous=("2019", "standard"))
    assert hybrid.startswith("def screen_2021_hybrid_2019_standard(r):")


def _review_block(total: int | None, **parts: int | None) -> gd.Report:
    report = gd.with_cell(gd.samples.load(), "review_litigation.administrative_review.total", total)
    for name in ("upheld", "corrected", "other", "pending"):
        address = f"review_litigation.administrative_review.{name}"
        report = gd.with_cell(report, address, parts.get(name))
    return report


def test_a_total_over_blank_parts_is_a_missing_breakdown_not_an_arithmetic_error() -> None:
    [finding] = [
        f
        for f in gd.check(_review_block(5)).findings
        if f.severity != "info" and f.rule.startswith("review_litigation")
    ]
    assert (finding.rule, finding.severity) == ("review_litigation.parts_not_reported", "warning")
    assert finding.stated == 5 and finding.difference is None
    assert len(finding.missing) == 4  # every part named as blank
    assert (
        "未分项填报" in finding.message["zh"] and "not an arithmetic error" in finding.message["en"]
    )
    # some parts printed: the arithmetic is checked as before
    rules = {f.rule for f in gd.check(_review_block(5, upheld=2)).findings}
    assert "review_litigation.block_total" in rules
    assert "review_litigation.parts_not_reported" not in rules
    # a printed 0 is a reported part
    rules = {f.rule for f in gd.check(_review_block(5, upheld=0)).findings}
    assert "review_litigation.block_total" in rules


def test_a_requests_row_total_over_blank_applicant_columns() -> None:
    # the peers' case: 总计 3278 with every applicant column blank
    report = gd.samples.load()
    row = "requests.outcomes.granted"
    for cell in gd.cells(report):
        if cell.address.startswith(row + ".") and not cell.address.endswith(".total"):
            report = gd.with_cell(report, cell.address, None)
    report = gd.with_cell(report, f"{row}.total", 3278)
    by_rule = {f.rule: f for f in gd.check(report).findings if f.addresses[0] == f"{row}.total"}
    assert "requests.parts_not_reported" in by_rule
    assert "requests.applicant_total" not in by_rule


def _twelve_granted() -> gd.Report:
    """The seed with 12 requests granted (and 10 more received): consistent."""
    report = gd.with_cell(gd.samples.load(), "requests.outcomes.granted.natural_person", 12)
    report = gd.with_cell(report, "requests.new_received.natural_person", 126)
    return gd.derive_totals(report)


def test_a_number_split_across_two_cells_gets_a_hint_and_keeps_its_values() -> None:
    consistent = _twelve_granted()
    assert not [f for f in gd.check(consistent).findings if f.severity == "inconsistency"]
    # "12" printed as 1 | 2 in two neighbouring cells of the row
    split = gd.with_cell(consistent, "requests.outcomes.granted.natural_person", 1)
    split = gd.with_cell(split, "requests.outcomes.granted.commercial_enterprise", 2)
    result = gd.check(split)
    [hint] = [f for f in result.findings if f.rule == "plausibility.split_cell"]
    assert hint.severity == "info"
    assert hint.addresses == (
        "requests.outcomes.granted.natural_person",
        "requests.outcomes.granted.commercial_enterprise",
    )
    assert "合为一格 12" in hint.message["zh"] and "no value was changed" in hint.message["en"]
    assert any(f.severity == "inconsistency" for f in result.findings)  # still reported
    assert gd.get_cell(split, "requests.outcomes.granted.natural_person") == 1


def test_no_split_hint_where_merging_does_not_help() -> None:
    report = gd.with_cell(_twelve_granted(), "requests.outcomes.granted.natural_person", 5)
    report = gd.with_cell(report, "requests.outcomes.granted.commercial_enterprise", 2)
    assert "plausibility.split_cell" not in {f.rule for f in gd.check(report).findings}


def test_no_split_hint_over_an_identity_with_an_unread_cell() -> None:
    split = gd.with_cell(_twelve_granted(), "requests.outcomes.granted.natural_person", 1)
    split = gd.with_cell(split, "requests.outcomes.granted.commercial_enterprise", 2)
    # the commercial-enterprise column's total was not read: the merge would satisfy its
    # column only by counting that cell as 0
    unread = "requests.outcomes.total.commercial_enterprise"
    split = attrs.evolve(gd.with_cell(split, unread, None), unread={unread: "illegible"})
    assert "plausibility.split_cell" not in {f.rule for f in gd.check(split).findings}
