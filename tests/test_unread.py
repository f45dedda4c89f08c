"""Unread is not blank: cells a parser could not read, through every format, check and output."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure.export import cell_rows, finding_rows
from gov_disclosure.rendering import tables, to_html, to_markdown, to_text
from gov_disclosure.strategies import arbitrary_reports, reports, with_ocr, with_unread

from .conftest import REPO

PROPS = settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
GRANTED = "requests.outcomes.granted"


def _smudged_text() -> str:
    """The seed with the two values of （一）予以公开 replaced by a smudged glyph."""
    lines = (REPO / "src/gov_disclosure/samples/liuzhou-2023.txt").read_text("utf-8").split("\n")
    start = lines.index("\t（一）予以公开")
    assert lines[start + 1] == "\t2" and lines[start + 7] == "\t2"
    lines[start + 1] = lines[start + 7] = "\t▯"
    return "\n".join(lines)


def _marked(report: gd.Report, marks: dict[str, str]) -> gd.Report:
    for address in marks:
        report = gd.with_cell(report, address, None)
    return attrs.evolve(report, unread=marks)


# --- the model -------------------------------------------------------------------------------


def test_a_report_built_by_hand_has_no_unread_cells(sample: gd.Report) -> None:
    assert sample.unread == {}
    assert {c.status for c in gd.cells(sample)} == {"value", "blank"}
    assert "unread" not in gd.to_dict(sample)  # the key is optional and left out


def test_cells_know_their_status(sample: gd.Report) -> None:
    report = _marked(sample, {f"{GRANTED}.natural_person": "illegible"})
    by_address = {c.address: c for c in gd.cells(report)}
    assert by_address[f"{GRANTED}.natural_person"].status == "unread"
    assert by_address[f"{GRANTED}.natural_person"].unread == "illegible"
    assert by_address[f"{GRANTED}.natural_person"].value is None
    assert by_address["requests.outcomes.withheld.state_secret.total"].status == "blank"
    assert by_address[f"{GRANTED}.total"].status == "value"
    one = gd.cell(report, f"{GRANTED}.natural_person")
    assert one.status == "unread" and one.labels[-2:] == ("（一）予以公开", "自然人")
    assert gd.get_cell(report, f"{GRANTED}.natural_person") is None


def test_with_cell_clears_the_unread_mark(sample: gd.Report) -> None:
    report = _marked(
        sample, {f"{GRANTED}.natural_person": "illegible", f"{GRANTED}.total": "illegible"}
    )
    fixed = gd.with_cell(report, f"{GRANTED}.natural_person", 2)
    assert fixed.unread == {f"{GRANTED}.total": "illegible"}
    blanked = gd.with_cell(fixed, f"{GRANTED}.total", None)  # stating blank is stating too
    assert blanked.unread == {}


@pytest.mark.parametrize(
    ("marks", "message"),
    [
        ({"requests.new_received.total": "illegible"}, "an unread cell holds no value"),
        ({"requests.bogus": "illegible"}, "is not a cell address"),
        ({"requests.outcomes.other.natural_person": "illegible"}, "is not a cell address"),
        ({f"{GRANTED}.total": "smudged"}, "unknown reason"),
        ({f"{GRANTED}.total": 3}, "expected a dict of cell address -> reason code"),
    ],
)
def test_unread_marks_are_validated(sample: gd.Report, marks: dict[str, str], message: str) -> None:
    base = gd.with_cell(sample, f"{GRANTED}.total", None)
    with pytest.raises(ValueError, match=message):
        attrs.evolve(base, unread=marks)


def test_hybrid_reports_mark_their_single_row() -> None:
    report = gd.Report2021(
        year=2024,
        agency=gd.Agency(name="某区人民政府"),
        requests=gd.Requests(outcomes=gd.Outcomes(other=gd.ApplicantRow())),
        unread={"requests.outcomes.other.natural_person": "ambiguous"},
    )
    assert report.is_hybrid and gd.loads(gd.dumps(report)) == report


# --- formats ---------------------------------------------------------------------------------


@PROPS
@given(with_unread() | with_ocr())
def test_unread_marks_round_trip_through_json_and_xml(report: gd.Report) -> None:
    assert gd.loads(gd.dumps(report)) == report
    assert gd.from_xml(gd.to_xml(report)) == report
    assert gd.validate_json(json.loads(gd.dumps(report))) == []


def test_unread_marks_in_xml_are_unique_and_validated(sample: gd.Report) -> None:
    report = _marked(sample, {f"{GRANTED}.total": "illegible"})
    xml = gd.to_xml(report)
    assert b'<cell address="requests.outcomes.granted.total" reason="illegible"/>' in xml
    twice = xml.replace(
        b"</unread>",
        b'  <cell address="requests.outcomes.granted.total" reason="ambiguous"/>\n  </unread>',
    )
    with pytest.raises(gd.DocumentError, match="Duplicate key-sequence"):
        gd.from_xml(twice)
    filled = xml.replace(
        b'address="requests.outcomes.granted.total"', b'address="requests.new_received.total"'
    )
    with pytest.raises(gd.DocumentError, match="an unread cell holds no value"):
        gd.from_xml(filled)
    bogus = xml.replace(b'reason="illegible"', b'reason="smudged"')
    with pytest.raises(gd.DocumentError, match="smudged"):
        gd.from_xml(bogus)


def test_json_errors_on_unread_marks_point_at_unread(sample: gd.Report) -> None:
    doc = gd.to_dict(sample)
    doc["unread"] = {"requests.new_received.total": "illegible"}
    with pytest.raises(gd.DocumentError) as info:
        gd.from_dict(doc)
    assert info.value.problems[0].path == "$.unread"
    assert gd.validate_json(doc)  # the schema refuses it too
    doc["unread"] = None
    with pytest.raises(gd.DocumentError):
        gd.from_dict(doc)
    assert gd.validate_json(doc)


# --- the checker -----------------------------------------------------------------------------


@PROPS
@given(reports(blank_totals=False), st.data())
def test_unread_cells_never_cause_an_inconsistency(report: gd.Report, data: st.DataObject) -> None:
    addresses = [c.address for c in gd.cells(report)]
    chosen = data.draw(st.lists(st.sampled_from(addresses), min_size=1, max_size=40, unique=True))
    marked = _marked(report, dict.fromkeys(chosen, "illegible"))
    result = gd.check(marked)
    assert result.ok
    assert not result.filter(severity=["inconsistency", "warning"])
    for finding in result:
        # no finding states a number computed with an unread cell
        assert finding.unread and not finding.assessable
        assert finding.stated is None and finding.computed is None
        assert set(finding.unread) <= set(chosen)
    assert result.unread == dict.fromkeys(chosen, "illegible")
    assert result.assessed + result.not_assessable["unread"] == result.identities


def test_an_unread_cell_is_not_assessable_while_others_are_still_checked(sample: gd.Report) -> None:
    broken = gd.with_cell(sample, "requests.outcomes.total.total", 100)  # 111 -> 100: error
    marked = _marked(broken, {f"{GRANTED}.natural_person": "illegible"})
    result = gd.check(marked)
    rules = {(f.rule, f.addresses[0], f.severity) for f in result}
    assert ("requests.applicant_total", "requests.outcomes.total.total", "inconsistency") in rules
    assert ("requests.outcomes_total", "requests.outcomes.total.natural_person", "info") in rules
    assert not any(f.severity == "inconsistency" and f.unread for f in result)


def test_blank_total_with_an_unread_part_is_not_counted_as_zero(sample: gd.Report) -> None:
    # 商业企业 column: every cell blank, so its blank （七）总计 counts as 0 in the balance.
    # With one of its parts unread, the total is unknown and the balance not assessable.
    report = _marked(sample, {f"{GRANTED}.commercial_enterprise": "ambiguous"})
    balance = [f for f in gd.check(report) if f.rule == "requests.balance"]
    assert len(balance) == 1 and balance[0].location["column"] == "商业企业"
    assert balance[0].unread == (f"{GRANTED}.commercial_enterprise",)


def test_a_table_not_found_is_not_an_all_blank_table(sample: gd.Report) -> None:
    addresses = [c.address for c in gd.cells(sample) if c.address.startswith("review_litigation.")]
    report = _marked(sample, dict.fromkeys(addresses, "table_not_found"))
    result = gd.check(report)
    assert not result.filter(rule="plausibility.all_blank_table")
    assert result.unread_by_table == {"表四": 15}
    assert result.verdict == "ok, 15 cells unread (表四 15)"
    blank = attrs.evolve(report, unread={})  # the same table left blank by the publisher
    assert gd.check(blank).filter(rule="plausibility.all_blank_table")


def test_cross_year_rules_respect_the_previous_reports_unread_cells(sample: gd.Report) -> None:
    previous = attrs.evolve(sample, year=2022)
    previous = _marked(previous, {"requests.carried_forward.natural_person": "illegible"})
    current = gd.with_cell(sample, "requests.carried_over.natural_person", 5)
    current = gd.with_cell(current, "requests.carried_over.total", 5)
    result = gd.check(current, previous=previous, select=["cross_year.carry_over"])
    natural = [f for f in result if f.location.get("column") == "自然人"]
    assert natural and natural[0].severity == "info"
    assert natural[0].unread == ("previous:requests.carried_forward.natural_person",)
    assert result.compared == (2022, 2023)


def test_result_counts_and_json(sample: gd.Report) -> None:
    report = _marked(
        sample, {f"{GRANTED}.natural_person": "illegible", f"{GRANTED}.total": "illegible"}
    )
    result = gd.check(report)
    assert result.verdict == "ok, 2 cells unread (表三 2)"
    assert result.not_assessable == {"unread": 3, "blank_total": 0}
    assert result.coverage() == "39 of 42 identities assessed; 3 not assessable (3 unread)"
    data = result.to_dict()
    assert data["identities"] == {
        "total": 42,
        "assessed": 39,
        "not_assessable": {"unread": 3, "blank_total": 0},
    }
    assert data["unread"] == {
        f"{GRANTED}.natural_person": "illegible",
        f"{GRANTED}.total": "illegible",
    }
    assert not gd.check(sample).unread and gd.check(sample).verdict == "ok"


def test_derive_totals_never_uses_unread_cells(sample: gd.Report) -> None:
    report = _marked(sample, {f"{GRANTED}.natural_person": "illegible"})
    report = gd.with_cell(report, "requests.outcomes.total.natural_person", None)
    derived = gd.derive_totals(report)
    assert derived.unread == report.unread
    assert gd.get_cell(derived, "requests.outcomes.total.natural_person") is None  # unknown
    assert gd.get_cell(derived, "requests.carried_forward.natural_person") == 8  # left as is
    # a total whose parts were all read is derived as usual
    assert gd.get_cell(derived, "requests.outcomes.partially_granted.total") == 6


# --- outputs ---------------------------------------------------------------------------------


def test_export_and_rendering_tell_unread_from_blank(sample: gd.Report) -> None:
    report = _marked(sample, {f"{GRANTED}.natural_person": "illegible"})
    rows = {r["address"]: r for r in cell_rows(report)}
    assert rows[f"{GRANTED}.natural_person"]["status"] == "unread"
    assert rows[f"{GRANTED}.natural_person"]["unread_reason"] == "illegible"
    assert rows[f"{GRANTED}.commercial_enterprise"]["status"] == "blank"
    assert rows[f"{GRANTED}.total"]["status"] == "value"
    checked = gd.check(report, ignore=["narrative.fees_not_reported"])  # the seed's 六 is 无
    findings = list(finding_rows(report, checked.findings))
    assert findings and all(f["assessable"] is False and f["unread"] for f in findings)
    t3 = tables(report)[1]
    [cell] = [c for row in t3.rows for c in row if c.address == f"{GRANTED}.natural_person"]
    assert cell.text == "?" and cell.unread == "illegible"
    html = to_html(report)
    assert 'data-unread="illegible"' in html and "Unread cells (1)" in html
    assert "| ? |" in to_markdown(report)
    assert "\t?" in to_text(report)


# --- the parser and the whole pipeline through the real console script -------------------------


def test_the_parser_marks_smudged_cells_unread() -> None:
    result = gd.parse(_smudged_text().encode("utf-8"), kind="text")
    assert result.report.unread == {
        f"{GRANTED}.natural_person": "illegible",
        f"{GRANTED}.total": "illegible",
    }
    assert [d.code for d in result.diagnostics if d.addresses and d.severity == "warning"] == [
        "illegible"
    ] * 2
    data = result.to_dict()
    assert data["unread"] == result.report.unread
    assert {d["code"] for d in data["diagnostics"]} >= {"illegible"}


def test_a_row_label_without_values_is_no_values() -> None:
    text = _smudged_text().replace("\t▯\n", "", 2)  # the label stays, the row's values go
    lines = text.split("\n")
    start = lines.index("\t（一）予以公开")
    del lines[start + 1 : start + 6]  # the five blank cells too: nothing follows the label
    result = gd.parse("\n".join(lines).encode("utf-8"), kind="text")
    assert set(result.report.unread.values()) <= {"no_values", "value_count"}
    assert f"{GRANTED}.total" in result.report.unread


def _cli() -> list[str]:
    script = shutil.which("gov-disclosure", path=str(Path(sys.executable).parent))
    assert script, "the console script is installed with the package"
    return [script]


def test_smudged_sample_pipeline_end_to_end(tmp_path: Path) -> None:
    source = tmp_path / "smudged.txt"
    source.write_text(_smudged_text(), encoding="utf-8")
    parsed = subprocess.run(
        [*_cli(), "parse", str(source), "--to", "json", "--diagnostics", str(tmp_path / "d.jsonl")],
        capture_output=True,
        check=True,
    )
    document = json.loads(parsed.stdout)
    assert document["unread"] == {
        f"{GRANTED}.natural_person": "illegible",
        f"{GRANTED}.total": "illegible",
    }
    diagnostics = json.loads((tmp_path / "d.jsonl").read_text("utf-8"))
    assert diagnostics["file"] == str(source) and diagnostics["unread"] == document["unread"]
    # check from stdin: no inconsistency, the unread cells named, never a bare ok
    checked = subprocess.run(
        [*_cli(), "check", "--json", "-"], input=parsed.stdout, capture_output=True, check=False
    )
    assert checked.returncode == 0, checked.stderr
    result = json.loads(checked.stdout)
    assert result["counts"]["inconsistency"] == 0
    assert result["unread"] == document["unread"] and result["unread_by_table"] == {"表三": 2}
    assert result["identities"]["not_assessable"]["unread"] == 3
    assert all(f["stated"] is None and f["computed"] is None for f in result["findings"])
    (tmp_path / "smudged.json").write_bytes(parsed.stdout)
    human = subprocess.run(
        [*_cli(), "check", str(tmp_path / "smudged.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "ok, 2 cells unread (表三 2)" in human.stdout
    assert "39 of 42 identities assessed; 3 not assessable (3 unread)" in human.stdout
    strict = subprocess.run(
        [*_cli(), "check", str(tmp_path / "smudged.json"), "--fail-on", "inconsistency,unread"],
        capture_output=True,
        check=False,
    )
    assert strict.returncode == 1
    # export: the two cells are unread, not blank
    subprocess.run(
        [*_cli(), "export", str(tmp_path / "smudged.json"), "-o", str(tmp_path / "cells.csv")],
        capture_output=True,
        check=True,
    )
    rows = {
        r["address"]: r
        for r in csv.DictReader(io.StringIO((tmp_path / "cells.csv").read_text("utf-8")))
    }
    assert rows[f"{GRANTED}.natural_person"]["status"] == "unread"
    assert rows[f"{GRANTED}.natural_person"]["value"] == ""
    assert rows[f"{GRANTED}.commercial_enterprise"]["status"] == "blank"
    # render: the HTML shows them
    subprocess.run(
        [
            *_cli(),
            "render",
            str(tmp_path / "smudged.json"),
            "--check",
            "-o",
            str(tmp_path / "r.html"),
        ],
        capture_output=True,
        check=True,
    )
    html = (tmp_path / "r.html").read_text("utf-8")
    assert html.count('data-unread="illegible"') == 2
    assert 'id="gd-requests-outcomes-granted-total"' in html


@PROPS
@given(arbitrary_reports())
def test_hand_built_reports_export_no_unread_status(report: gd.Report) -> None:
    assert {r["status"] for r in cell_rows(report)} <= {"value", "blank"}


def test_ocr_marks_are_validated(sample: gd.Report) -> None:
    report = attrs.evolve(sample, ocr={f"{GRANTED}.total": 0.87})
    xml = gd.to_xml(report)
    assert b'<cell address="requests.outcomes.granted.total" confidence="0.87"/>' in xml
    assert gd.from_xml(xml) == report
    assert gd.loads(gd.dumps(report)).ocr == {f"{GRANTED}.total": 0.87}
    with pytest.raises(gd.DocumentError, match="confidence"):
        gd.from_xml(xml.replace(b'confidence="0.87"', b'confidence="1.5"'))
    data = gd.to_dict(report)
    with pytest.raises(gd.DocumentError, match=r"\$\.ocr"):
        gd.from_dict({**data, "ocr": {"requests.nope": 0.5}})
    with pytest.raises(gd.DocumentError, match="confidence from 0 to 1"):
        gd.from_dict({**data, "ocr": {f"{GRANTED}.total": "high"}})
    assert gd.validate_json({**data, "ocr": {f"{GRANTED}.total": 2}}) != []
