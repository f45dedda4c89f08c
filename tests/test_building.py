"""Building a report in code (issue 27): constructors with defaults, flat mappings of cells."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import gov_disclosure as gd
from gov_disclosure.cli import main
from gov_disclosure.strategies import reports, with_unread

PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_the_newcomers_three_attempts_work() -> None:
    report = gd.Report2021(year=2024, agency=gd.Agency(name="x"), requests=gd.Requests())
    assert isinstance(report.requests.outcomes.other, gd.OtherOutcomes)  # the edition's shape
    assert gd.check(report).counts["error"] == 0
    legacy = gd.Report2019(year=2020, agency=gd.Agency(name="x"), requests=gd.Requests())
    assert isinstance(legacy.requests.outcomes.other, gd.ApplicantRow)
    outcomes = gd.Outcomes(granted=gd.ApplicantRow(natural_person=3, total=3))
    built = gd.Report2021(
        year=2024, agency=gd.Agency(name="x"), requests=gd.Requests(outcomes=outcomes)
    )
    assert built.requests.outcomes.granted.total == 3
    assert gd.loads(gd.dumps(built)) == built
    for cls in (gd.Requests, gd.Outcomes, gd.ReviewLitigation, gd.Withheld, gd.NotProcessed):
        assert all(
            c is None for c in attrs.astuple(cls(), recurse=True) if not isinstance(c, tuple)
        )


def test_a_wrong_shape_is_refused_naming_the_edition_and_the_field() -> None:
    wrong = gd.Requests(outcomes=gd.Outcomes(other=gd.OtherOutcomes()))
    with pytest.raises(TypeError, match=r"requests\.outcomes\.other \(edition 2019\)"):
        gd.Report2019(year=2020, agency=gd.Agency(name="x"), requests=wrong)


def test_new_report_from_addresses_and_printed_locations() -> None:
    report = gd.new_report(
        "2021",
        year=2024,
        agency="某县人民政府",
        cells={
            ("表三", "一、本年新收政府信息公开申请数量", "自然人"): 5,
            ("表三", "一、本年新收政府信息公开申请数量", "总计"): 5,
            ("表三", "1.属于国家秘密", "自然人"): 0,  # a nested row by its own label
            "proactive_disclosure.fees.amount_wan_yuan": Decimal("0.5"),
        },
    )
    assert report.requests.new_received.natural_person == 5
    assert report.requests.new_received.total == 5
    assert report.requests.outcomes.withheld.state_secret.natural_person == 0
    assert report.proactive_disclosure.fees.amount_wan_yuan == Decimal("0.5")
    hybrid = gd.new_report("2021", year=2024, agency="x", hybrid=True)
    assert hybrid.is_hybrid
    with pytest.raises(gd.AddressError, match="nope"):
        gd.new_report("2021", year=2024, agency="x", cells={("表三", "nope", "自然人"): 1})
    with pytest.raises(gd.AddressError, match="三、本年度办理结果"):  # a group, not a row
        gd.new_report(
            "2021", year=2024, agency="x", cells={("表三", "三、本年度办理结果", "自然人"): 1}
        )
    with pytest.raises(gd.CellValueError, match=r"requests\.new_received\.total"):
        gd.new_report("2021", year=2024, agency="x", cells={"requests.new_received.total": -1})


@PROPS
@given(reports(hybrid=None) | with_unread())
def test_cells_and_with_cells_round_trip(report: gd.Report) -> None:
    values = {c.address: c.value for c in gd.cells(report)}
    blank = gd.new_report(
        report.format, year=report.year, agency=report.agency, hybrid=report.is_hybrid
    )
    rebuilt = gd.with_cells(attrs.evolve(blank, **_text(report)), values)
    assert gd.cells(rebuilt) == [attrs.evolve(c, unread=None) for c in gd.cells(report)]
    # setting a cell states what it holds: its unread mark is cleared
    marked = gd.with_cells(report, {a: None for a in report.unread})
    assert marked.unread == {}
    assert attrs.evolve(marked, unread=report.unread) == report


def _text(report: gd.Report) -> dict[str, object]:
    names = (
        "overview",
        "problems_and_improvements",
        "other_matters",
        "scope",
        "published",
        "source",
    )
    return {n: getattr(report, n) for n in names}


def test_a_dataframe_of_cells_becomes_a_report() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "address": ["requests.new_received.natural_person", "requests.new_received.total"],
            "value": [7, 7],
        }
    )
    report = gd.new_report(
        "2021",
        year=2024,
        agency="x",
        cells=zip(frame["address"], frame["value"].map(int), strict=True),
    )
    assert report.requests.new_received.total == 7


# --- publishing: PDF by Chromium, and by LibreOffice from the DOCX ------------------------------


def _seed_cells() -> dict[str, object]:
    return {c.address: c.value for c in gd.cells(gd.samples.load())}


def test_render_to_pdf_and_parse_it_back(tmp_path: Path) -> None:
    from gov_disclosure.rendering.pdf import chromium_path

    if chromium_path() is None:
        pytest.skip("headless Chromium is not installed")
    source = tmp_path / "seed.json"
    source.write_text(gd.dumps(gd.samples.load()), encoding="utf-8")
    target = tmp_path / "seed.pdf"
    assert main(["render", str(source), "-o", str(target), "--quiet"]) == 0
    parsed = gd.parse(target)
    assert parsed.report.unread == {}
    assert {c.address: c.value for c in gd.cells(parsed.report)} == _seed_cells()


def test_pdf_without_chromium_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.delenv("GOV_DISCLOSURE_CHROMIUM", raising=False)
    source = tmp_path / "seed.json"
    source.write_text(gd.dumps(gd.samples.load()), encoding="utf-8")
    assert main(["render", str(source), "-o", str(tmp_path / "x.pdf")]) == 2
    assert "apt-get install chromium" in capsys.readouterr().err


def test_docx_through_libreoffice_pdf_parses_back(tmp_path: Path) -> None:

    from gov_disclosure.parsing.legacy import soffice_path
    from gov_disclosure.rendering import to_docx

    soffice = soffice_path()
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    from .conftest import libreoffice

    (tmp_path / "seed.docx").write_bytes(to_docx(gd.samples.load()))
    parsed = gd.parse(libreoffice(tmp_path / "seed.docx", "pdf", tmp_path))
    assert {c.address: c.value for c in gd.cells(parsed.report)} == _seed_cells()


# --- the figures in the official wording ------------------------------------------------------


@PROPS
@given(reports(hybrid=None) | with_unread())
def test_described_figures_never_contradict_the_tables(report: gd.Report) -> None:
    import re

    text = gd.describe(report)
    written = attrs.evolve(report, overview=text, other_matters=gd.describe_fees(0))
    result = gd.check(written)
    assert not result.filter(rule="text.table_mismatch"), text
    assert not result.filter(rule="narrative.fees_not_reported")
    values = {c.value for c in gd.cells(report) if c.status == "value"}
    rl = report.review_litigation
    if rl.litigation_direct.total is not None and rl.litigation_after_review.total is not None:
        values.add(rl.litigation_direct.total + rl.litigation_after_review.total)
    assert {int(n) for n in re.findall(r"\d+", text)} <= values  # never a figure of its own
    assert gd.describe(report, lang="en")


def test_describe_leaves_out_blank_and_unread_figures() -> None:
    seed = gd.samples.load()
    blank = gd.with_cell(seed, "requests.carried_over.total", None)
    assert "上年结转" not in gd.describe(blank)
    unread = attrs.evolve(blank, unread={"requests.carried_over.total": "illegible"})
    assert "上年结转" not in gd.describe(unread)
    assert "收到政府信息公开申请116件" in gd.describe(seed)
    assert gd.describe_fees(Decimal("120.5")) == "本年度收取信息处理费120.5元。"
    with pytest.raises(ValueError):
        gd.describe_fees(-1)


def test_the_checker_reads_every_described_figure() -> None:
    # described, then the tables changed: each stated figure is found and compared
    seed = gd.samples.load()
    text = gd.describe(seed)
    changed = seed
    for address in (
        "requests.new_received.total",
        "requests.carried_over.total",
        "requests.outcomes.total.total",
        "requests.carried_forward.total",
        "review_litigation.administrative_review.total",
        "review_litigation.litigation_direct.total",
        "proactive_disclosure.regulations.issued",
        "proactive_disclosure.regulations.in_force",
        "proactive_disclosure.normative_documents.issued",
        "proactive_disclosure.normative_documents.repealed",
        "proactive_disclosure.normative_documents.in_force",
    ):
        changed = gd.with_cell(changed, address, (gd.get_cell(seed, address) or 0) + 1000)
    mismatches = gd.check(attrs.evolve(changed, overview=text)).filter(rule="text.table_mismatch")
    assert len(mismatches) == 11
