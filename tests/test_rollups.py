"""Roll-ups across a hierarchy (issue 29 #5): missing children, children's sums, summaries."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure.cli import main
from gov_disclosure.model.addressing import cells
from gov_disclosure.rollups import (
    HIERARCHY_SCHEMA,
    derive_hierarchy,
    hierarchy_from_data,
    load_hierarchy,
    roll_up,
)
from gov_disclosure.strategies import reports

from .conftest import REPO

REPORTS = REPO / "tests" / "corpus" / "reports"
NEW = "requests.new_received.natural_person"
NOT_HELD = "requests.outcomes.unable_to_provide.not_held.natural_person"


def _body(report: gd.Report, name: str, **agency: object) -> gd.Report:
    return attrs.evolve(report, agency=attrs.evolve(report.agency, name=name, **agency))


def _city(report: str = "summary") -> gd.rollups.Hierarchy:
    return hierarchy_from_data(
        {
            "format_version": 1,
            "parents": [
                {
                    "name": "某市人民政府",
                    "report": report,
                    "children": [
                        "甲区人民政府",
                        {"name": "乙区人民政府", "aliases": ["乙区政府"]},
                        "丙区人民政府",
                    ],
                }
            ],
        }
    )


def test_a_summary_is_compared_with_its_childrens_sum_cell_by_cell() -> None:
    seed = gd.samples.load()
    a, b = _body(seed, "甲区人民政府"), _body(seed, "乙区政府")  # b prints an alias
    summary = gd.with_cells(_body(seed, "某市人民政府"), {c.address: c.value for c in cells(seed)})
    doubled = {c.address: c.value * 2 for c in cells(seed) if c.value is not None}
    summary = gd.with_cells(summary, {**doubled, NEW: doubled[NEW] + 7})
    (r,) = roll_up([a, b, summary], _city())
    assert r.reported == ("甲区人民政府", "乙区人民政府") and r.missing == ("丙区人民政府",)
    assert r.parent_reported and r.edition == "2021" and len(r.cells) == len(cells(seed))
    (different,) = r.differences  # the summary is the children's sum, but for one cell
    assert different.address == NEW and different.difference == 7
    assert different.counted == 2 and different.children_sum == doubled[NEW]


def test_an_own_report_is_shown_beside_the_sum_never_compared() -> None:
    seed = gd.samples.load()
    own = gd.with_cell(_body(seed, "某市人民政府"), NEW, 1)
    (r,) = roll_up([own, _body(seed, "甲区人民政府")], _city("own"))
    assert not r.differences and r.report == "own"
    by = {c.address: c for c in r.cells}
    assert by[NEW].parent == 1 and by[NEW].children_sum == gd.get_cell(seed, NEW)


def test_blank_is_not_zero_and_unread_is_not_blank_in_a_sum() -> None:
    seed = gd.with_cells(gd.samples.load(), {NEW: None, NOT_HELD: 4})
    blank_a = _body(seed, "甲区人民政府")
    unread_b = gd.with_cell(_body(seed, "乙区人民政府"), NOT_HELD, None)
    unread_b = attrs.evolve(unread_b, unread={NOT_HELD: "illegible"})
    ocr_c = attrs.evolve(_body(seed, "丙区人民政府"), ocr={NOT_HELD: 0.71})
    (r,) = roll_up([blank_a, unread_b, ocr_c], _city())
    by = {c.address: c for c in r.cells}
    assert by[NEW].children_sum is None and by[NEW].counted == 0  # every child blank
    assert by[NOT_HELD].children_sum is None and by[NOT_HELD].unread == ("乙区人民政府",)
    assert by[NOT_HELD].ocr == ("丙区人民政府",) and by[NOT_HELD].difference is None
    assert not r.parent_reported and {c.parent_status for c in r.cells} == {"missing"}


def test_children_of_another_edition_are_named_not_summed() -> None:
    seed = gd.samples.load()
    old = gd.Report2019(agency=gd.Agency(name="乙区人民政府"), year=seed.year)
    (r,) = roll_up([_body(seed, "甲区人民政府"), old], _city())
    assert r.other_edition == ("乙区人民政府",) and r.edition == "2021"
    by = {c.address: c for c in r.cells}
    assert by[NEW].counted == 1 and by[NEW].children_sum == gd.get_cell(seed, NEW)


@settings(max_examples=30, deadline=None)
@given(st.lists(reports(edition="2021"), min_size=1, max_size=3))
def test_a_childrens_sum_is_the_sum_of_their_printed_figures(drawn: list[gd.Report]) -> None:
    names = [f"{i}区人民政府" for i in range(len(drawn))]
    children = [_body(attrs.evolve(r, year=2023), n) for r, n in zip(drawn, names, strict=True)]
    hierarchy = hierarchy_from_data(
        {"format_version": 1, "parents": [{"name": "市人民政府", "children": names}]}
    )
    (r,) = roll_up(children, hierarchy)
    for rolled in r.cells:
        figures = [gd.get_cell(c, rolled.address) for c in children]
        printed = [f for f in figures if f is not None]
        assert rolled.counted == len(printed)
        assert rolled.children_sum == (sum(printed) if printed else None)


def test_the_corpus_county_and_its_department_across_years_with_a_misprinted_name() -> None:
    county = gd.parse(REPORTS / "shuyang-county-2025.txt").report  # prints 沐阳县 for 沭阳县
    department = gd.parse(REPORTS / "shuyang-fgj-2023.html").report
    assert county.agency.name == "沐阳县人民政府"
    hierarchy = hierarchy_from_data(
        {
            "format_version": 1,
            "parents": [
                {
                    "name": "沭阳县人民政府",
                    "aliases": ["沐阳县人民政府"],
                    "report": "own",
                    "children": ["沭阳县发展和改革局"],
                }
            ],
        }
    )
    by_year = {r.year: r for r in roll_up([county, department], hierarchy)}
    assert sorted(by_year) == [2023, 2025]
    assert by_year[2023].reported == ("沭阳县发展和改革局",) and not by_year[2023].parent_reported
    assert by_year[2025].missing == ("沭阳县发展和改革局",) and by_year[2025].parent_reported
    cell = {c.address: c for c in by_year[2023].cells}[NEW]
    assert cell.children_sum == gd.get_cell(department, NEW) and cell.parent_status == "missing"
    # derived from names and levels, the misprint is not guessed away: no parent found
    assert derive_hierarchy([county, department]).parents == ()


def test_a_hierarchy_derived_from_names_levels_and_kinds() -> None:
    seed = attrs.evolve(gd.samples.load(), agency=gd.Agency(name="-"))  # no region: from names
    city = _body(seed, "柳州市人民政府", level="prefectural", kind="government")
    district = _body(seed, "柳州市柳北区人民政府", level="county", kind="government")
    bureau = _body(seed, "柳州市教育局", level="prefectural", kind="department")
    district_bureau = _body(seed, "柳州市柳北区教育局", level="county", kind="department")
    other = _body(seed, "南宁市教育局", level="prefectural", kind="department")
    parents = derive_hierarchy([city, district, bureau, district_bureau, other]).parents
    assert {p.name: [c.name for c in p.children] for p in parents} == {
        "柳州市人民政府": ["柳州市教育局", "柳州市柳北区人民政府"],
        "柳州市柳北区人民政府": ["柳州市柳北区教育局"],
    }
    assert {p.report for p in parents} == {"unstated"}
    # a region stated in the report wins over the name's
    moved = _body(other, "南宁市教育局", region="柳州市")
    (city_parent,) = derive_hierarchy([city, district, bureau, moved]).parents
    assert "南宁市教育局" in [c.name for c in city_parent.children]


@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        ({"format_version": 1, "parents": [{"name": "A"}]}, "$.parents[0]", "children"),
        (
            {"format_version": 1, "parents": [{"name": "A", "children": ["B"], "report": "x"}]},
            "$.parents[0].report",
            "is not one of",
        ),
        (
            {"format_version": 1, "parents": [{"name": "A", "children": ["A "]}]},
            "$.parents[0]",
            "not its own child",
        ),
        (
            {
                "format_version": 1,
                "parents": [
                    {"name": "A", "children": ["B"]},
                    {"name": "Ｃ", "aliases": ["A"], "children": ["D"]},
                ],
            },
            "$.parents[1].name",
            "listed as a parent",
        ),
    ],
)
def test_a_hierarchy_file_is_refused_with_the_place_of_each_problem(
    data: dict[str, object], path: str, message: str
) -> None:
    with pytest.raises(gd.DocumentError) as info:
        hierarchy_from_data(data)
    assert [p.path for p in info.value.problems] == [path]
    assert message in str(info.value.problems[0])


def test_the_hierarchy_schema_is_shipped_and_matches_the_code(tmp_path: Path) -> None:
    shipped = json.loads((REPO / "schemas" / "hierarchy.schema.json").read_text("utf-8"))
    assert shipped == HIERARCHY_SCHEMA
    path = tmp_path / "h.json"
    path.write_text('{"format_version": 1, "parents": [', encoding="utf-8")
    with pytest.raises(gd.DocumentError, match="not a hierarchy file"):
        load_hierarchy(path)


def _city_folder(tmp_path: Path) -> tuple[Path, Path]:
    seed = gd.samples.load()
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("甲区人民政府", "乙区人民政府"):
        (folder / f"{name}.json").write_text(gd.dumps(_body(seed, name)), encoding="utf-8")
    doubled = {c.address: c.value * 2 for c in cells(seed) if c.value is not None}
    summary = gd.with_cells(_body(seed, "某市人民政府"), {**doubled, NEW: 999})
    (folder / "city.json").write_text(gd.dumps(summary), encoding="utf-8")
    hierarchy = tmp_path / "h.json"
    parents = [
        {
            "name": "某市人民政府",
            "report": "summary",
            "children": ["甲区人民政府", "乙区人民政府", "丙区人民政府"],
        }
    ]
    hierarchy.write_text(json.dumps({"format_version": 1, "parents": parents}), encoding="utf-8")
    return folder, hierarchy


def test_rollup_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, hierarchy = _city_folder(tmp_path)
    out = tmp_path / "rollups.csv"
    args = ["rollup", str(folder), "--hierarchy", str(hierarchy), "--lang", "en"]
    assert main([*args, "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "某市人民政府 2023 (summary; edition 2021): 2 of 3 children reported" in text
    assert "missing: 丙区人民政府" in text
    assert "1 cell(s) of the summary differ from the children's sum" in text
    assert f"{NEW}: 999 vs {2 * gd.get_cell(gd.samples.load(), NEW)} (2 children)" in text
    with out.open(encoding="utf-8") as f:
        rows = {row["address"]: row for row in csv.DictReader(f)}
    assert rows[NEW]["parent_value"] == "999" and rows[NEW]["table"] == "表三"
    assert rows[NEW]["difference"] == str(999 - 2 * gd.get_cell(gd.samples.load(), NEW))
    assert main(["rollup", str(folder), "--hierarchy", str(hierarchy), "--json"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["missing"] == ["丙区人民政府"]


def test_rollup_writes_parquet_with_exact_decimals(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    folder, hierarchy = _city_folder(tmp_path)
    out = tmp_path / "rollups.parquet"
    assert main(["rollup", str(folder), "--hierarchy", str(hierarchy), "-o", str(out)]) == 0
    rows = {r["address"]: r for r in pq.read_table(out).to_pylist()}
    assert rows[NEW]["parent_value"] == Decimal(999) and rows[NEW]["unread"] == []


def test_rollup_options_are_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, hierarchy = _city_folder(tmp_path)
    for wrong in ([], ["--hierarchy", str(hierarchy), "--derive"]):
        with pytest.raises(SystemExit) as info:
            main(["rollup", str(folder), *wrong])
        assert info.value.code == 2
    bad = tmp_path / "bad.json"
    bad.write_text('{"format_version": 2, "parents": []}', encoding="utf-8")
    assert main(["rollup", str(folder), "--hierarchy", str(bad)]) == 2
    assert "bad.json" in capsys.readouterr().err
    assert main(["rollup", str(folder), "--derive"]) == 0  # the names say no level: none
    assert "no parent derived" in capsys.readouterr().err


def test_a_body_with_two_reports_for_a_year_is_named_and_its_first_used() -> None:
    seed = gd.samples.load()
    first = _body(seed, "甲区人民政府")
    second = gd.with_cell(_body(seed, "甲区人民政府"), NEW, 1)
    by_alias = gd.with_cell(_body(seed, "乙区政府"), NEW, 2)  # 乙区 under its alias, and name
    by_name = gd.with_cell(_body(seed, "乙区人民政府"), NEW, 3)
    (r,) = roll_up([first, second, by_name, by_alias], _city("own"))
    assert r.duplicated == ("甲区人民政府", "乙区人民政府")
    cell = {c.address: c for c in r.cells}[NEW]
    assert cell.children_sum == gd.get_cell(seed, NEW) + 3  # 甲区's first, 乙区's by name
    assert r.to_dict()["duplicated"] == ["甲区人民政府", "乙区人民政府"]


def test_rollup_speaks_chinese_and_sums_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, hierarchy = _city_folder(tmp_path)
    args = ["rollup", str(folder), "--hierarchy", str(hierarchy), "--lang", "zh"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "某市人民政府 2023年（汇总报告；2021版）：3 个下级机关中 2 个已发布报告" in out
    assert "未见报告：丙区人民政府" in out and "汇总报告中有 1 个单元格与下级合计不一致" in out
    assert f"{NEW}：汇总 999，下级合计" in out
    assert "Totals: 3 report(s) read, 0 failed; 1 parent(s), 1 roll-up(s); 1 children's" in out
    assert main([*args, "--quiet"]) == 0 and capsys.readouterr().out == ""
    assert main([*args, "--json"]) == 0
    assert all(line.startswith("{") for line in capsys.readouterr().out.splitlines())


def test_a_rollup_holds_the_reports_tables_not_their_prose(tmp_path: Path) -> None:
    from gov_disclosure.rollups import load_for_rollup

    seed = gd.samples.load()
    path = tmp_path / "r.json"
    path.write_text(gd.dumps(seed), encoding="utf-8")
    light = load_for_rollup(str(path))
    assert light.overview is None and light.other_matters is None
    assert gd.cells(light) == gd.cells(seed) and light.agency == seed.agency
