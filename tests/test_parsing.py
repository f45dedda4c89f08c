"""Parsers: the real corpus, generated variations of the real layouts, junk input, the CLI."""

from __future__ import annotations

import io
import json
import random
import re
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure.cli import main
from gov_disclosure.parsing import detect_edition, detect_kind, parse, parse_text
from gov_disclosure.parsing.glued import (
    adds_up_only_with_blanks,
    row_candidates,
    table4_candidates,
)
from gov_disclosure.parsing.labels import match_row, normalize, table3_rows
from gov_disclosure.parsing.tables.cells import fit_values
from gov_disclosure.parsing.values import is_value_text, read_cell
from gov_disclosure.rendering import to_docx, to_html, to_markdown, to_text
from gov_disclosure.strategies import reports

from .conftest import (
    REPO,
    REPORTS,
    expected_names,
    expected_report,
    load_expected,
    parse_or_refused,
)

VARIATIONS = settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)


def _source(name: str) -> Path:
    return REPORTS / Path(load_expected(name)["source_file"]).name


@pytest.mark.parametrize("name", expected_names())
def test_corpus_file_parses_to_the_expected_cells(name: str) -> None:
    expected = load_expected(name)
    result = parse(_source(name))
    report = result.report
    assert report.format == expected["format"]
    assert report.year == expected["year"]
    assert report.agency.name == expected["agency"]["name"]
    assert report.is_hybrid == bool(expected.get("hybrid"))
    wanted = {c.address: c.value for c in gd.cells(expected_report(name))}
    got = {c.address: c.value for c in gd.cells(report)}
    assert got == wanted
    # cells the source does not give are unset *and* named: unread, or a blank total the
    # parser flags (a 总计 printed empty in a row with values stays blank, never imputed)
    unread = set(result.unread)
    flagged = {a for d in result.diagnostics if d.code == "blank_total" for a in d.addresses}
    for address in expected["unknown"] + expected["ambiguous"]:
        assert got[address] is None
        assert address in unread | flagged, address
    for address in expected["ambiguous"]:
        assert result.report.unread[address] == "ambiguous"
    assert not unread & flagged
    assert not [d for d in result.diagnostics if d.severity == "error"]


def test_provenance_keeps_the_raw_text() -> None:
    result = parse(_source("pingtan-2021"))
    assert (
        result.provenance["proactive_disclosure.fees.amount_wan_yuan"].raw.strip() == "24252.311082"
    )
    assert (
        result.provenance["requests.outcomes.granted.natural_person"].note == "split of a glued run"
    )
    seed = parse(_source("liuzhou-gov-office-2023"))
    assert seed.provenance["requests.new_received.total"].raw == "116"
    assert seed.provenance["requests.new_received.total"].location.startswith("lines ")


def test_ambiguous_glued_cells_are_never_guessed() -> None:
    result = parse(_source("pingtan-2019"))
    ambiguous = [d for d in result.diagnostics if d.code == "ambiguous"]
    assert {a for d in ambiguous for a in d.addresses} == set(
        load_expected("pingtan-2019")["ambiguous"]
    )
    assert result.report.proactive_disclosure.procurement.amount is None
    assert result.report.proactive_disclosure.procurement.amount_unit == "元"


def test_unlabelled_rows_are_placed_by_order_with_a_diagnostic() -> None:
    result = parse(_source("shanghai-stcsm-2024"))
    placed = [d for d in result.diagnostics if d.code == "placed_by_order"]
    assert len(placed) == 10
    assert result.report.requests.outcomes.unable_to_provide.not_held.total == 4
    assert "requests.carried_forward.total" not in result.unread  # printed empty: blank
    assert any(
        d.code == "blank_total" and d.addresses == ("requests.carried_forward.total",)
        for d in result.diagnostics
    )


def test_sections_and_title_are_extracted() -> None:
    result = parse(_source("liuzhou-gov-office-2023"))
    sample = gd.samples.load()
    assert result.report.overview == sample.overview
    assert result.report.problems_and_improvements == sample.problems_and_improvements
    assert result.report.other_matters == "无"
    assert parse(_source("shuyang-fgj-2023")).report.problems_and_improvements


def test_pdf_prose_set_in_frames_is_read_once_in_reading_order() -> None:
    # the 洪泽 PDF frames parts 五 and 六 in boxes that pdfplumber reports as tables
    report = parse(_source("hongze-district-2024")).report
    problems = report.problems_and_improvements or ""
    assert problems.startswith("2024年，全区政府信息公开工作虽取得一定成绩")  # reflowed
    assert problems.count("对照上") == 1  # not twice
    assert "总计" not in problems and "0 0 0" not in problems  # no table rows
    assert problems.endswith("思想认识和业务工作水平。")
    assert report.other_matters is not None and "信息处理费0元" in report.other_matters


def test_sections_of_a_report_that_renumbers_its_parts() -> None:
    # 上海市科委: parts 二…六 of its own inside 一, the tables numbered 一 to 三, and the
    # heading of part 五 lost in conversion (it starts at （一）主要问题)
    report = parse(_source("shanghai-stcsm-2024")).report
    overview = report.overview or ""
    assert overview.endswith("303855 次，点赞量 136888 次。")
    assert "（七）总计" not in overview and "主要问题" not in overview
    problems = report.problems_and_improvements or ""
    assert problems.startswith("（一）主要问题") and "（二）改进情况" in problems
    assert report.other_matters is not None and "未发生政府信息公开收费事项" in report.other_matters


def test_page_chrome_run_on_to_the_last_line_is_dropped() -> None:
    assert parse(_source("pingtan-2021")).report.other_matters == "2021年，无收取信息处理费情况。"


def test_pre_2019_reports_are_refused() -> None:
    with pytest.raises(gd.ParseError, match="pre-2019"):
        parse(REPORTS / "pingtan-2018-legacy.txt")


def test_parsed_corpus_checks_ok() -> None:
    # none of the corpus files breaks an identity (corpus README): neither do the parsed reports
    for name in expected_names():
        assert gd.check(parse(_source(name)).report).ok, name


# --- units ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value", "code"),
    [
        ("", None, None),
        ("&nbsp;".replace("&nbsp;", "\u00a0"), None, None),
        ("-", None, "blank_marker"),
        ("—", None, "blank_marker"),
        ("/", None, "not_applicable"),
        ("不适用", None, "not_applicable"),
        ("无", None, "blank_marker"),
        ("- 4 -", None, "blank_marker"),
        ("22（其中修订16件）", 22, "annotation"),
        ("1,234", 1234, "thousands_separator"),
        ("12件", 12, "unit"),
        ("0", 0, None),
        ("abc", None, "illegible"),
        ("-3", None, "illegible"),
        ("2069 21", 206921, None),  # a number wrapped in a narrow cell
        ("0 28 0", None, "illegible"),  # no number starts with 0: several cells' values
        ("99999999999999999999", None, "illegible"),  # more than any count (2**53 - 1)
    ],
)
def test_read_cell(raw: str, value: object, code: str | None) -> None:
    reading = read_cell(raw)
    assert (reading.value, reading.code) == (value, code)


def test_read_cell_signed_and_money() -> None:
    assert read_cell("+2", signed=True).value == 2
    assert read_cell("-1", signed=True).value == -1
    assert read_cell("251000元", money=True).value == Decimal("251000")
    assert read_cell("251000元", money=True).detail == "元"
    assert read_cell("24252.311082", money=True).value == Decimal("24252.311082")
    assert read_cell("22（其中修订16件）").detail == "其中修订16件"


@pytest.mark.parametrize("glued", [False, True])
def test_a_count_larger_than_the_format_holds_is_unread_not_a_failed_parse(glued: bool) -> None:
    # the report cannot hold it (the JSON Schema's 2**53 - 1), and building one failed: the
    # whole document was a ParseError for one cell
    big = "9" * 20
    if glued:  # six zeros and the total: the run's only split
        text = _source("pingtan-2021").read_text(encoding="utf-8")
        text = text.replace("640020470", "000000" + big)
    else:
        text = gd.samples.source_text().replace("\t116\n", f"\t{big}\n", 1)
    result = parse(text.encode(), name="big.txt")
    unread = result.report.unread
    if glued:
        assert unread["requests.new_received.total"] == "unsplittable"
    else:
        assert unread == {"requests.new_received.natural_person": "illegible"}
        assert result.report.requests.new_received.total == 116


def test_a_cell_per_line_row_with_a_value_too_many_is_unread_not_trimmed() -> None:
    # in cell-per-line text an empty line is a cell: a stray 5 among the seven empty cells
    # of 1.属于国家秘密 made eight, the edge ones were trimmed as if a converter had added
    # them, and 5 was read in one of the columns
    text = gd.samples.source_text()
    row = "\t1.属于国家秘密\n" + "\t\n" * 7
    assert text.count(row) == 1
    stray = text.replace(row, "\t1.属于国家秘密\n" + "\t\n" * 3 + "\t5\n" + "\t\n" * 4)
    result = gd.parse_text(stray)
    cells = [c for c in gd.cells(result.report) if ".state_secret." in c.address]
    assert [(c.value, c.unread) for c in cells] == [(None, "value_count")] * 7


def test_a_cell_per_line_one_cell_row_with_a_value_beside_an_empty_line_is_unread() -> None:
    # 行政处罚 printed blank (an empty line) with a stray 11 beside it read 11: a row of one
    # cell takes its value from any of the cells its span covers, but in cell-per-line text
    # an empty line is a cell, and two cells for one is a value too many
    text = gd.samples.source_text()
    row = "\t行政处罚\n\t0\n"
    assert text.count(row) == 1
    for stray in ("\t行政处罚\n\t11\n\t\n", "\t行政处罚\n\t\n\t11\n"):
        result = gd.parse_text(text.replace(row, stray))
        assert result.report.proactive_disclosure.penalties.decisions is None
        assert result.report.unread["proactive_disclosure.penalties.decisions"] == "value_count"
    # the value printed in each cell of its span is still the value
    result = gd.parse_text(text.replace(row, "\t行政处罚\n\t7\n\t7\n"))
    assert result.report.proactive_disclosure.penalties.decisions == 7


def test_spaces_split_a_value_only_where_the_row_lacks_cells() -> None:
    # one value of three numbers where a row of three cells printed one value: three cells
    assert fit_values(["72 0 0"], 3) == ["72", "0", "0"]
    # a row that printed all its cells keeps them: 213 15 beside a blank 采购总金额 is one
    # number with a space in it (it read 213 projects and 15 元)
    assert fit_values(["213 15", ""], 2) == ["213 15", ""]


def test_glued_splitting() -> None:
    assert row_candidates("5000005") == [(5, 0, 0, 0, 0, 0, 5)]
    assert (2, 7, 0, 0, 20, 1, 30) in row_candidates("270020130")
    assert len(row_candidates("270020130")) == 2
    assert table4_candidates("10203120001200000") == [
        (1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0)
    ]
    assert table4_candidates("123") == []
    # a row that adds up only with fewer cells than it has shows that blanks print nothing
    assert adds_up_only_with_blanks("3008184")  # 3, 0, 0, 81 and 84, two cells blank
    assert adds_up_only_with_blanks("1212226")  # 12 + 12 + 2 = 26
    assert not adds_up_only_with_blanks("5000005")  # adds up with a digit in every cell
    assert not adds_up_only_with_blanks("2000000")  # adds up in no reading: the agency's
    assert not adds_up_only_with_blanks("270020130")  # two seven-cell splits add up


@pytest.mark.parametrize(
    ("run", "code", "values"),
    [
        # the page's own run: one split; then one with several, and one past MAX_RUN_DIGITS
        ("10203120001200000", None, (1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0)),
        ("011121421111103402202042", "ambiguous", None),
        ("1" * 121, "too_long", None),
    ],
)
def test_a_glued_table_4_is_split_only_when_one_split_is_valid(
    run: str, code: str | None, values: tuple[int, ...] | None
) -> None:
    # pingtan-2021 prints table 4 as one run of digits; never a guessed split
    text = _source("pingtan-2021").read_text(encoding="utf-8")
    assert text.count("10203120001200000") == 1
    result = parse(text.replace("10203120001200000", run).encode(), name="pingtan-2021.txt")
    addresses = [c.address for c in gd.cells(result.report) if c.address.startswith("review_")]
    assert len(addresses) == 15
    if values is not None:
        assert tuple(gd.get_cell(result.report, a) for a in addresses) == values
        assert not set(addresses) & set(result.unread)
        return
    assert {result.report.unread.get(a) for a in addresses} == {code}
    assert all(gd.get_cell(result.report, a) is None for a in addresses)
    (diagnostic,) = [
        d for d in result.diagnostics if d.code == code and addresses[0] in d.addresses
    ]
    assert list(diagnostic.addresses) == addresses and diagnostic.severity == "warning"
    assert (run[:12] if code == "ambiguous" else "a run of 121 digits") in diagnostic.message


@pytest.mark.parametrize(
    ("run", "code"),
    [("640020470", None), ("123456789", "unsplittable"), ("1" * 130, "too_long")],
)
def test_a_glued_table_3_row_is_left_unread_when_no_split_fits(run: str, code: str | None) -> None:
    # pingtan-2021's 本年新收 row is one run of digits: split when the row's total allows
    # exactly one reading, otherwise every cell unread with the reason, never a guess
    text = _source("pingtan-2021").read_text(encoding="utf-8")
    assert text.count("640020470") == 1
    result = parse(text.replace("640020470", run).encode(), name="pingtan-2021.txt")
    row = [c for c in gd.cells(result.report) if c.address.startswith("requests.new_received.")]
    if code is None:
        assert [c.value for c in row] == [64, 0, 0, 2, 0, 4, 70]
        return
    assert [(c.value, c.unread) for c in row] == [(None, code)] * 7
    (diagnostic,) = [d for d in result.diagnostics if row[0].address in d.addresses]
    assert diagnostic.code == code and diagnostic.severity == "warning"
    assert list(diagnostic.addresses) == [c.address for c in row]


def test_glued_rows_are_decided_together_only_where_every_valid_choice_agrees() -> None:
    from gov_disclosure.parsing.glued import MAX_COMBINATIONS, solve_columns

    one, two = (1, 1), (2, 0)
    candidates = {"a": [one, two], "b": [one, two], "c": [(5, 5)]}
    # a + b == 3 in the first column: either (1,2) or (2,1), so neither row is decided;
    # the row with one split is kept whatever the columns say (the checker's finding)
    assert solve_columns(candidates, lambda c: c["a"][0] + c["b"][0] == 3) == (
        {"c": (5, 5)},
        {"a", "b"},
    )
    # a fixed by a second column: b follows from the first
    decided, ambiguous = solve_columns(
        candidates, lambda c: c["a"] == two and c["a"][0] + c["b"][0] == 3
    )
    assert decided == {"a": two, "b": one, "c": (5, 5)} and not ambiguous
    # no choice satisfies the columns: nothing guessed
    assert solve_columns(candidates, lambda c: False) == ({"c": (5, 5)}, {"a", "b"})
    # past the bound on combinations: not searched at all, all open rows undecided
    many = {f"r{i}": [one, two] for i in range(MAX_COMBINATIONS.bit_length() + 1)}
    calls: list[int] = []
    decided, ambiguous = solve_columns(many, lambda c: bool(calls.append(1)) or True)
    assert decided == {} and ambiguous == set(many) and not calls


@pytest.mark.parametrize(
    ("old", "new", "evidence"),
    [
        (None, None, None),
        # a part 4 without digits is words (本年度无…), not a table that dropped its cells
        ("10203120001200000", "", None),
        # a table-3 row printed without digits, a table-2 row likewise, a short table 4
        ("1.属于国家秘密0000000", "1.属于国家秘密", "'1.属于国家秘密'"),
        ("行政强制42", "行政强制", "'行政强制'"),
        ("10203120001200000", "1020312", "table 4"),
        # the row itself: 1/2/1/2/2/2/6 does not add up, 12 + 12 + 2 = 26 with four blanks does
        ("1212219", "1212226", "adds up only if some of its 7 cells print nothing"),
    ],
)
def test_glued_text_that_prints_nothing_for_a_blank_cell_is_never_split(
    old: str | None, new: str | None, evidence: str | None
) -> None:
    # 1212219 has one split into seven cells, 1/2/1/2/2/1/9, but a text that drops blank
    # cells could as well have printed 12 and 12 and 21 with other cells blank
    text = _source("pingtan-2021").read_text(encoding="utf-8").replace("640020470", "1212219")
    if old is not None and new is not None:
        assert text.count(old) == 1
        text = text.replace(old, new)
    result = parse(text.encode(), name="pingtan-2021.txt")
    report = result.report
    row = [c for c in gd.cells(report) if c.address.startswith("requests.new_received.")]
    if evidence is None:  # every row prints a digit per cell: the only split is read
        assert [c.value for c in row] == [1, 2, 1, 2, 2, 1, 9]
        return
    assert [(c.value, c.unread) for c in row] == [(None, "ambiguous")] * 7
    (diagnostic,) = [d for d in result.diagnostics if row[0].address in d.addresses]
    assert "prints nothing for a blank cell" in diagnostic.message
    assert evidence in diagnostic.message
    # every glued run of several cells is refused: table 2, table 4...
    assert report.unread["proactive_disclosure.normative_documents.issued"] == "ambiguous"
    if old != "10203120001200000":
        assert report.unread["review_litigation.administrative_review.upheld"] == "ambiguous"
    # ...but one 0 per cell hides no blank (no number starts with 0), nor does a single cell
    assert report.proactive_disclosure.regulations.issued == 0
    assert report.requests.outcomes.withheld.prohibited_by_law.total == 0
    assert report.proactive_disclosure.licensing.decisions == 2293


def test_page_number_under_a_cell_in_cell_line_text_is_not_part_of_its_value() -> None:
    # cell-per-line text: a line without a tab continues the cell above it (a wrapped
    # label); a line of digits under a value or a blank cell is a page number or the cell's
    # value, and no telling which, so the cell is unread (21413 and 13 are never read)
    lines = to_text(gd.samples.load()).split("\n")
    at = lines.index("\t一、本年新收政府信息公开申请数量")
    assert lines[at + 1 : at + 3] == ["\t116", "\t"]
    lines[at + 2 : at + 2] = ["13"]  # under 116 (natural persons)
    lines[at + 4 : at + 4] = ["13"]  # under the blank commercial-enterprise cell
    result = parse_text("\n".join(lines))
    new = "requests.new_received"
    for column in ("natural_person", "commercial_enterprise"):
        assert gd.get_cell(result.report, f"{new}.{column}") is None
        assert result.report.unread[f"{new}.{column}"] == "illegible"
    assert result.report.requests.new_received.total == 116  # the other cells are read
    assert read_cell("214\n件").value == 214  # a unit on the next line is still the unit


def _cell_lines_2019(label: str, cells: list[str]) -> str:
    """The 2019 conformance report as cell-per-line text, one table-2 row's lines replaced."""
    report = gd.loads((REPO / "conformance/2019/valid/pingtan-2019.json").read_bytes())
    lines = to_text(report).split("\n")
    at = lines.index(f"\t{label}") + 1
    lines[at : lines.index("", at)] = cells
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("label", "cells", "expected"),
    [
        # the blank amount's line lost: one value for two cells is not split (was 50 and 4)
        ("政府集中采购", ["\t504万元"], {"projects": "value_count", "amount": "value_count"}),
        # a page number under a value is not a second cell (was 15 and 3)
        ("政府集中采购", ["\t15", "3", "\t"], {"projects": "illegible", "amount": None}),
        # page chrome amid a row's blank cells is part of no cell (was blank, 2, blank)
        ("规章", ["\t", "- 2 -", "\t", "\t"], {"made": None, "published": None}),
        ("规章", ["\t7", "第 2 页", "\t", "\t"], {"made": 7, "published": None}),
    ],
)
def test_cell_line_text_never_splits_or_joins_a_value_across_lines(
    label: str, cells: list[str], expected: dict[str, object]
) -> None:
    result = parse_text(_cell_lines_2019(label, cells))
    row = "procurement" if label == "政府集中采购" else "regulations"
    for column, want in expected.items():
        address = f"proactive_disclosure.{row}.{column}"
        value, reason = gd.get_cell(result.report, address), result.report.unread.get(address)
        if isinstance(want, str):  # unread, with this reason
            assert (value, reason) == (None, want), address
        else:
            assert (value, reason) == (want, None), address


def test_a_glued_row_is_chosen_by_the_identities_that_need_no_unread_cell() -> None:
    # 本年新收 0212311230 splits two ways that add up (…3/1/12/30 and …3/11/2/30); the
    # column identity 新收 + 结转 = 总计 + 结转下年 chooses the first. The other identity needs
    # 予以公开, which is unread (an annotation in a glued run): it was taken as 0, failed for
    # every choice, and left the row undecided; it now takes no part in the choice.
    body = ""
    values = {
        "requests.new_received": "0212311230",
        "requests.carried_over": "0002215",
        "requests.outcomes.granted": "0（含转办1件）2125313 35",
        "requests.outcomes.total": "0212531335",
    }
    for row in table3_rows(False):
        if row.key == "requests.outcomes.other.correction_overdue":
            body += "（六）其他处理"
        if row.key == "requests.outcomes.granted":
            body += "三、本年度办理结果"
        body += row.label + values.get(row.key, "0000000")
    text = "\n".join(
        [
            "某县人民政府2023年政府信息公开工作年度报告",
            "三、收到和处理政府信息公开申请情况",
            body,
            "四、政府信息公开行政复议、行政诉讼情况" + "0" * 15,
            "五、政府信息公开工作存在的主要问题及改进情况",
        ]
    )
    result = parse_text(text, edition="2021")
    assert attrs.astuple(result.report.requests.new_received) == (0, 2, 12, 3, 1, 12, 30)
    assert result.report.unread["requests.outcomes.granted.natural_person"] == "value_count"


def test_label_matching_variants() -> None:
    rows = table3_rows(False)
    for label, key in [
        ("（四）无 法提供", None),
        ("2.其他法律行政止公开", "requests.outcomes.withheld.prohibited_by_law"),
        ("5.要求行政机关确认或重新出具", "requests.outcomes.not_processed.confirmation_or_reissue"),
        ('3、危及"三安全一稳定"', "requests.outcomes.withheld.security_and_stability"),
        ("⼀、本年新收政府信息公开申请数量", "requests.new_received"),
        ("1．本机关不掌握相关政府信息", "requests.outcomes.unable_to_provide.not_held"),
    ]:
        row, _ = match_row(label, rows)
        assert (row.key if row else None) == key, label
    assert normalize("（ 一 ） 予以公开") == "(一)予以公开"


def test_edition_detection_uses_labels_not_years() -> None:
    assert detect_edition("本年新制作数量 上一年项目数量 2023年") == "2019"
    assert detect_edition("本年制发件数 现行有效件数 2019年") == "2021"
    assert detect_edition("没有表格") is None


def test_kind_detection() -> None:
    assert detect_kind(b"%PDF-1.7 ...") == "pdf"
    assert detect_kind(b"<html><body><table></table></body></html>") == "html"
    assert detect_kind(b"| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n") == "markdown"
    assert detect_kind("纯文本".encode()) == "text"
    with pytest.raises(gd.ParseError):
        detect_kind(b"PK\x03\x04 not a word file", "x.zip")


# --- generated variations of the real layouts ------------------------------------------------

AGENCIES = st.sampled_from(
    ["某县人民政府", "某市生态环境局", "某区人民政府办公室", "某省科学技术厅"]
)


def _agency(report: gd.Report, name: str) -> gd.Report:
    return attrs.evolve(report, agency=gd.Agency(name=name))


def _same_cells(parsed: gd.Report, report: gd.Report) -> None:
    assert parsed.format == report.format and parsed.is_hybrid == report.is_hybrid
    assert parsed.year == report.year and parsed.agency.name == report.agency.name
    assert [(c.address, c.value) for c in gd.cells(parsed)] == [
        (c.address, c.value) for c in gd.cells(report)
    ]


LABEL_VARIANTS = [
    ("1.", "1、"),
    ("2.", "2．"),
    ("（一）", "(一)"),
    ("“三安全一稳定”", '"三安全一稳定"'),
    ("结果维持", "结 果\n维持"),
    ("（四）无法提供", "（四）无\n法提供"),
    ("一、", "⼀、"),
]


@VARIATIONS
@given(reports(hybrid=None), AGENCIES, st.randoms(use_true_random=False), st.booleans())
def test_cell_line_text_variations_parse_to_the_same_cells(
    report: gd.Report, agency: str, rnd: random.Random, footers: bool
) -> None:
    report = _agency(report, agency)
    lines = to_text(report).split("\n")
    out = []
    for line in lines:
        # values keep their dots (a money cell with its unit, 1619761.56976万元, is a value)
        is_label = any("\u4e00" <= ch <= "\u9fff" for ch in line) and not is_value_text(line)
        if line.startswith("\t") and is_label and rnd.random() < 0.3:
            for old, new in LABEL_VARIANTS:
                line = line.replace(old, new)
        out.append(line)
        if footers and line == "" and rnd.random() < 0.1:
            out += [f"- {rnd.randint(1, 9)} -", ""]  # a page footer between rows
    _same_cells(parse_text("\n".join(out)).report, report)


@VARIATIONS
@given(reports(hybrid=None), AGENCIES)
def test_html_markdown_and_docx_renderings_parse_back(report: gd.Report, agency: str) -> None:
    report = _agency(report, agency)
    _same_cells(parse(to_html(report).encode(), kind="html").report, report)
    _same_cells(parse_text(to_markdown(report), kind="markdown").report, report)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports(hybrid=None), AGENCIES)
def test_docx_rendering_parses_back(report: gd.Report, agency: str) -> None:
    report = _agency(report, agency)
    _same_cells(parse(to_docx(report), kind="docx").report, report)


def _docx_row_damaged(report: gd.Report, label: str, damage: str) -> bytes:
    """``to_docx(report)`` with the table row labelled ``label`` damaged in its XML."""
    import copy
    import io

    import docx

    document = docx.Document(io.BytesIO(to_docx(report)))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    tr = next(r._tr for t in document.tables for r in t.rows if r.cells[0].text == label)
    cells = tr.findall(f"{w}tc")
    if damage == "stray":  # a cell printed after the row's last one, holding 7
        stray = copy.deepcopy(cells[-1])
        for text in stray.iter(f"{w}t"):
            text.text = "7"
        tr.append(stray)
    else:  # the row's second cell lost
        tr.remove(cells[1])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_docx_row_wider_or_narrower_than_its_header_is_not_read_shifted() -> None:
    # 规章 with a blank first cell and a stray 7 after its last read 1, 5, 7; 行政许可 that
    # lost its only cell read blank. Word rows are measured against the header as HTML's are.
    report = gd.with_cell(gd.samples.load(), "proactive_disclosure.regulations.issued", None)
    result = parse(_docx_row_damaged(report, "规章", "stray"), kind="docx")
    row = [c for c in gd.cells(result.report) if ".regulations." in c.address]
    assert [(c.value, c.unread) for c in row] == [(None, "value_count")] * 3
    _assert_no_wrong_cell(result.report, report)
    result = parse(_docx_row_damaged(report, "行政许可", "lost"), kind="docx")
    assert result.report.unread["proactive_disclosure.licensing.decisions"] == "value_count"
    _assert_no_wrong_cell(result.report, report)


def test_a_2021_table3_read_as_2019_names_its_extra_rows_instead_of_failing() -> None:
    # edition="2019" on a 2021 report failed the whole parse with an internal ValueError
    # ('outcomes.other.correction_overdue' is not in list): the 2021 rows of 其他处理 are
    # not cells of the 2019 table, and say so
    result = gd.parse_text(gd.samples.source_text(), edition="2019")
    unmatched = [d.message for d in result.diagnostics if d.code == "unmatched_row"]
    assert any(
        "'outcomes.other.correction_overdue' is not a row of the 2019" in m for m in unmatched
    )
    assert result.report.unread["requests.outcomes.other.total"] == "row_not_found"
    assert result.report.requests.new_received.total == 116  # the rest of the table, read


def test_a_2021_other_row_that_lost_its_label_is_placed_by_order_not_taken_for_2019s() -> None:
    # | 三、本年度办理结果 | （六）其他处理 |  | 32 | ... without 1.申请人无正当理由逾期不补正 looked
    # like the single 其他处理 row of 2019 beside the 2021 rows, and failed the whole parse
    sample = gd.samples.load()
    markdown = to_markdown(sample)
    line = next(x for x in markdown.split("\n") if "逾期不补正" in x)
    cells = line.split("|")
    cells = ["  " if "逾期不补正" in c else c for c in cells]
    result = gd.parse_text(markdown.replace(line, "|".join(cells)), kind="markdown")
    assert not [d for d in result.diagnostics if d.code == "hybrid"]
    other = result.report.requests.outcomes.other
    assert other.correction_overdue == sample.requests.outcomes.other.correction_overdue
    _assert_no_wrong_cell(result.report, sample)


def test_a_docx_table_whose_row_lost_a_cell_above_a_vertical_merge_still_parses() -> None:
    # python-docx raises when a cell continuing a vertical merge has no cell above it at its
    # grid offset: one damaged header row failed the whole document ("unreadable DOCX
    # table"); the continuation now shows its own, empty, text
    import io

    import docx

    sample = gd.samples.load()
    document = docx.Document(io.BytesIO(to_docx(sample)))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    header = document.tables[1].rows[1]._tr  # table 3's second header row
    header.remove(header.findall(f"{w}tc")[1])
    out = io.BytesIO()
    document.save(out)
    result = parse(out.getvalue(), kind="docx")
    _assert_no_wrong_cell(result.report, sample)
    assert result.report.requests.new_received.total == 116


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    reports(hybrid=None),
    st.sampled_from(["text", "markdown", "html"]),
    st.sampled_from([None, "2019", "2021"]),
)
def test_a_rendering_read_with_any_edition_never_fails_inside_the_parser(
    report: gd.Report, kind: str, edition: str | None
) -> None:
    # an edition given by the caller may be the wrong one: its rows are then named, never
    # an internal error dressed as "cannot parse this input" (the whole report lost)
    report = _agency(report, "某县人民政府")
    render = {"text": to_text, "markdown": to_markdown, "html": to_html}[kind]
    result = parse_text(render(report), kind=kind, edition=edition)  # type: ignore[arg-type]
    assert result.report.year == report.year


def _assert_no_wrong_cell(
    parsed: gd.Report, report: gd.Report, *, blank_as_zero: bool = False
) -> None:
    """Every cell of ``parsed`` holds ``report``'s value (a blank too) or is named unread.

    With ``blank_as_zero`` the report's blank numbers were printed as 0.
    """
    numbers = ("count", "signed", "money")
    truth = {
        c.address: 0 if blank_as_zero and c.value is None and c.info.kind in numbers else c.value
        for c in gd.cells(report)
    }
    wrong = [
        (c.address, c.value, truth[c.address])
        for c in gd.cells(parsed)
        if c.address not in parsed.unread and c.value != truth[c.address]
    ]
    assert not wrong


def _perturb(text: str, rnd: random.Random, how: str) -> str:
    """``text`` (cell-per-line) with one thing done to its tables that converters and pages do."""
    lines = text.split("\n")
    start = lines.index("二、主动公开政府信息情况")
    end = next(i for i, line in enumerate(lines) if line.startswith("五、"))
    values = [i for i in range(start, end) if re.fullmatch(r"\t[\d.]*", lines[i])]
    labels = [i for i in range(start, end) if lines[i].startswith("\t") and i not in values]
    rows = [i for i in range(start, end) if lines[i] == "" and lines[i + 1].startswith("\t")]
    at = rnd.choice(values)
    if how == "drop_value":  # a cell's line lost
        del lines[at]
    elif how == "drop_label":  # a label torn off
        del lines[rnd.choice(labels)]
    elif how == "page_number":  # a page break inside a row
        lines.insert(at + 1, str(rnd.randint(1, 40)))
    elif how == "footer":
        lines.insert(at + 1, f"- {rnd.randint(1, 40)} -")
    elif how == "merge" and re.fullmatch(r"\t[\d.]*", lines[at + 1]):  # two cells as one
        lines[at : at + 2] = [lines[at] + lines[at + 1][1:]]
    elif how == "repeat":  # a row printed twice
        row = rnd.choice(rows)
        stop = lines.index("", row + 1)
        lines[stop:stop] = lines[row:stop]
    return "\n".join(lines)


@VARIATIONS
@given(
    reports(hybrid=None),
    st.randoms(use_true_random=False),
    st.lists(
        st.sampled_from(["drop_value", "drop_label", "page_number", "footer", "merge", "repeat"]),
        min_size=1,
        max_size=3,
    ),
)
def test_a_damaged_rendering_reads_no_cell_wrongly(
    report: gd.Report, rnd: random.Random, damage: list[str]
) -> None:
    # a wrong value is worse than none: whatever was lost, every cell read (a blank too) is
    # the report's, and every other cell is named unread
    text = to_text(_agency(report, "某县人民政府"))
    for how in damage:
        text = _perturb(text, rnd, how)
    result = parse_or_refused(text)
    if result is None:
        return  # a damage that leaves no table to read
    _assert_no_wrong_cell(result.report, report)


@VARIATIONS
@given(reports(hybrid=None), st.randoms(use_true_random=False), st.booleans())
def test_glued_text_reads_no_cell_wrongly(
    report: gd.Report, rnd: random.Random, blanks_as_zero: bool
) -> None:
    # crawler text: the tables flattened without separators, a space left between two cells
    # here and there, every blank printed as 0 (as pingtan's are) or as nothing at all; a run
    # is split only where one reading is proven, whatever is left open stays unread
    text = to_text(_agency(report, "某县人民政府"))
    head, _, rest = text.partition("二、主动公开政府信息情况\n")
    tables, _, tail = rest.partition("\n五、")
    glued = ""
    for line in tables.split("\n"):
        cell = "0" if line == "\t" and blanks_as_zero else line.strip()
        if cell.isdigit() and glued[-1:].isdigit() and rnd.random() < 0.3:
            glued += " "
        glued += cell
    parsed = parse_text(f"{head}二、主动公开政府信息情况{glued}\n五、{tail}").report
    _assert_no_wrong_cell(parsed, report, blank_as_zero=blanks_as_zero)


_TD = re.compile(r"<td[^>]*>[^<]*</td>")
_TR = re.compile(r"<tr>.*?</tr>")


def _damage_html(page: str, rnd: random.Random, how: str) -> str:
    """An HTML rendering with one thing done to its tables that converters do."""
    rows = [m for m in _TR.finditer(page) if "<td" in m.group()]
    row = rnd.choice(rows)
    if how == "drop_cell":
        cell = rnd.choice(list(_TD.finditer(page)))
        return page[: cell.start()] + page[cell.end() :]
    if how == "empty_edge":  # a phantom column's empty cell, before or after the row
        edge = ("<tr>", "<tr><td></td>") if rnd.random() < 0.5 else ("</tr>", "<td></td></tr>")
        new = row.group().replace(*edge, 1)
    elif how == "repeat":
        new = row.group() * 2
    elif how == "drop_row":
        new = ""
    else:  # a header cell lost
        header = rnd.choice(list(re.finditer(r"<th[^>]*>[^<]*</th>", page)))
        return page[: header.start()] + page[header.end() :]
    return page[: row.start()] + new + page[row.end() :]


def _damage_markdown(text: str, rnd: random.Random, how: str) -> str:
    """A Markdown rendering with one thing done to its table lines."""
    lines = text.split("\n")
    rows = [i for i, line in enumerate(lines) if re.match(r"\| .*\| \d", line)]
    if not rows:  # a report without a figure: no row to damage
        return text
    at = rnd.choice(rows)
    cells = lines[at].split("|")
    if how == "drop_cell":
        del cells[rnd.randrange(1, len(cells) - 1)]
        lines[at] = "|".join(cells)
    elif how == "empty_edge":
        lines[at] = lines[at] + "  |" if rnd.random() < 0.5 else "|  " + lines[at]
    elif how == "repeat":
        lines.insert(at, lines[at])
    elif how == "drop_row":
        del lines[at]
    return "\n".join(lines)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    reports(hybrid=None),
    st.randoms(use_true_random=False),
    st.sampled_from(["html", "markdown"]),
    # one damage: a cell dropped and an empty one added to the same row, or a row and its
    # header both losing a cell, make a shifted row of the right width that no reader can tell
    st.sampled_from(["drop_cell", "empty_edge", "repeat", "drop_row", "drop_header"]),
)
def test_a_damaged_grid_reads_no_cell_wrongly(
    report: gd.Report, rnd: random.Random, kind: str, damage: str
) -> None:
    # as for cell-per-line text: what a converter lost is unread, never read shifted
    report = _agency(report, "某县人民政府")
    page = to_html(report) if kind == "html" else to_markdown(report)
    page = (
        _damage_html(page, rnd, damage) if kind == "html" else _damage_markdown(page, rnd, damage)
    )
    result = parse_or_refused(page, kind=kind)
    if result is None:
        return
    _assert_no_wrong_cell(result.report, report)


def test_zeros_printed_as_blank_markers_read_as_blank() -> None:
    text = to_text(gd.samples.load()).replace("\t\n\t\n", "\t-\n\t-\n", 3)
    result = parse_text(text)
    assert result.by_code().get("blank_marker")
    _same_cells(result.report, gd.samples.load())


# --- junk ------------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_junk_raises_only_parse_error(junk: bytes) -> None:
    parse_or_refused(junk)


def test_an_error_inside_the_parser_is_a_parse_error_that_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the promise holds (only the library's own error, with a location), and the message
    # tells an evaluator that the file is not at fault
    import gov_disclosure.parsing.api as api

    def broken(*args: object, **kwargs: object) -> None:
        raise IndexError("list index out of range")

    monkeypatch.setattr(api, "assemble", broken)
    with pytest.raises(gd.ParseError) as info:
        parse(REPORTS / "liuzhou-gov-office-2023.txt")
    assert info.value.location == str(REPORTS / "liuzhou-gov-office-2023.txt")
    assert "an error inside gov_disclosure (IndexError: list index out of range)" in str(info.value)
    assert "please report it with the file" in str(info.value)
    assert isinstance(info.value.__cause__, IndexError)


@pytest.mark.parametrize("kind", [None, "text", "markdown", "html", "pdf", "docx"])
def test_empty_and_tableless_input(kind: str | None) -> None:
    with pytest.raises(gd.ParseError):
        parse(b"", kind=kind)
    without_tables = "\n".join(
        line
        for line in (REPORTS / "liuzhou-gov-office-2023.txt")
        .read_text(encoding="utf-8")
        .splitlines()
        if not line.startswith("\t")
    )
    with pytest.raises(gd.ParseError):
        parse(without_tables.encode(), kind=kind)


def _tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1 × 1, 8-bit grey
    pixels = zlib.compress(b"\0\0")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_a_page_or_word_file_of_pictures_says_how_to_read_them() -> None:
    # a report scanned and shown as pictures, one a page: the error says what to do
    page = "<html><body><p>某县2023年政府信息公开工作年度报告</p>" + '<img src="p.jpg">' * 3
    with pytest.raises(gd.ParseError, match=r"the HTML shows 3 picture\(s\).*parse --pages"):
        parse_text(page + "</body></html>", kind="html")
    import docx

    document = docx.Document()
    document.add_paragraph("某县2023年政府信息公开工作年度报告")
    document.add_picture(io.BytesIO(_tiny_png()))
    document.add_picture(io.BytesIO(_tiny_png()))
    data = io.BytesIO()
    document.save(data)
    with pytest.raises(gd.ParseError, match=r"the DOCX shows 2 picture\(s\)"):
        parse(data.getvalue(), kind="docx")
    with pytest.raises(gd.ParseError) as plain:  # no picture, no hint
        parse_text("<html><body><p>某县2023年报告</p></body></html>", kind="html")
    assert "picture" not in str(plain.value)


def test_truncated_pdf_and_docx() -> None:
    pdf = (REPORTS / "hongze-district-2024.pdf").read_bytes()
    with pytest.raises(gd.ParseError):
        parse(pdf[: len(pdf) // 3])
    docx = to_docx(gd.samples.load())
    with pytest.raises(gd.ParseError):
        parse(docx[: len(docx) // 2], kind="docx")


def test_missing_year_or_agency_can_be_given(tmp_path: Path) -> None:
    text = to_text(gd.samples.load()).split("\n", 2)[2]  # drop the title lines
    text = text.replace("2023年", "")
    with pytest.raises(gd.ParseError, match="year"):
        parse_text(text)
    report = parse_text(text, year=2023, agency="柳州市人民政府办公室").report
    assert report.year == 2023


@pytest.mark.parametrize(
    ("in_prose", "agency"),
    [
        ("柳州市人民政府办公室", "柳州市人民政府办公室"),  # never "现将柳州市人民政府办公室"
        ("我局", None),  # a body naming itself: no name
        ("本机关", None),
        ("", None),  # 现将2023年政府信息公开工作年度报告: no body at all
    ],
)
def test_a_title_phrase_in_prose_names_the_body_only_when_it_gives_a_name(
    in_prose: str, agency: str | None
) -> None:
    # without its title line, the seed's first title phrase is in its opening sentence:
    # 现将柳州市人民政府办公室2023年政府信息公开工作年度报告向社会公布
    lines = gd.samples.source_text().split("\n")
    assert lines[0].strip() == "柳州市人民政府办公室"
    text = "\n".join(lines[1:])
    assert text.count("现将柳州市人民政府办公室2023年") == 1
    text = text.replace("现将柳州市人民政府办公室2023年", f"现将{in_prose}2023年")
    if agency is not None:
        result = parse_text(text)
        assert (result.report.agency.name, result.report.year) == (agency, 2023)
        return
    with pytest.raises(gd.ParseError, match="publishing body"):
        parse_text(text)
    report = parse_text(text, agency="柳州市人民政府办公室").report
    assert report.year == 2023  # the phrase's year is kept


@pytest.mark.parametrize(
    ("above", "title", "agency"),
    [
        ("首页\n政务公开\n政府信息公开年报\n", "柳州市人民政府办公室", None),  # a breadcrumb
        ("当前位置：首页 政务公开 ", "柳州市人民政府办公室", None),
        ("", "柳州市 人民政府办公室", None),  # the same shape: not told apart
        ("", "柳 州 市 人 民 政 府 办 公 室", "柳州市人民政府办公室"),  # letter-spaced
        ("", "柳州市人民政府办公室", "柳州市人民政府办公室"),
    ],
)
def test_a_title_run_together_with_what_precedes_it_names_no_body(
    above: str, title: str, agency: str | None
) -> None:
    # text extraction joins lines: a name may be split by white space, or follow the
    # page's breadcrumb, and the two cannot be told apart. The seed's opening sentence
    # names the body too, so it is made to name none here.
    text = gd.samples.source_text()
    assert text.startswith(" 柳州市人民政府办公室\n") and text.count("现将柳州市") == 1
    text = above + text.replace("柳州市人民政府办公室", title, 1)
    without = text.replace("现将柳州市人民政府办公室2023年", "现将2023年")
    if agency is None:
        with pytest.raises(gd.ParseError, match="publishing body"):
            parse_text(without)
    else:
        assert parse_text(without).report.agency.name == agency
    # with the sentence naming it, that is where the name comes from
    assert parse_text(text).report.agency.name == "柳州市人民政府办公室"


@pytest.mark.parametrize("again", ["3", "4"])
def test_a_table_3_row_printed_twice_is_read_only_if_both_printings_agree(again: str) -> None:
    # as in table 2: the same values are read once; other values prove neither printing
    text = gd.samples.source_text()
    row = "\t二、上年结转政府信息公开申请数量\n\t3\n\t\n\t\n\t\n\t\n\t\n\t3\n"
    assert text.count(row) == 1
    text = text.replace(row, row + "\n" + row.replace("\t3\n", f"\t{again}\n"))
    result = parse_text(text)
    carried = [c for c in gd.cells(result.report) if c.address.startswith("requests.carried_over.")]
    codes = {d.code for d in result.diagnostics if "carried_over" in d.message}
    if again == "3":
        assert (carried[0].value, carried[-1].value) == (3, 3) and codes == {"duplicate_row"}
        return
    assert [(c.value, c.unread) for c in carried] == [(None, "conflicting")] * 7
    assert codes == {"conflicting"}
    # the checker computes nothing with them: the balance identity is not assessable
    assert "requests.carried_over.total" in gd.check(result.report).unread


# --- CLI -------------------------------------------------------------------------------------


def test_parse_cli_one_file_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(_source("pingtan-2021"))]) == 0
    captured = capsys.readouterr()
    parsed = gd.loads(captured.out)
    assert [c.value for c in gd.cells(parsed)] == [
        c.value for c in gd.cells(expected_report("pingtan-2021"))
    ]
    assert "ambiguous" in captured.err


def test_parse_cli_one_file_to_a_named_file(tmp_path: Path) -> None:
    # -o report.json made a folder called report.json, with the report inside it
    source = str(_source("pingtan-2021"))
    out = tmp_path / "report.json"
    assert main(["parse", source, "-o", str(out), "--quiet"]) == 0
    assert out.is_file() and not (tmp_path / ".gov-disclosure-manifest.jsonl").exists()
    assert gd.loads(out.read_bytes()) == parse(source).report
    xml = tmp_path / "report.xml"
    assert main(["parse", source, "-o", str(xml), "--to", "xml", "--quiet"]) == 0
    assert gd.from_xml(xml.read_bytes()) == parse(source).report
    folder = tmp_path / "kept.json"  # a folder that exists keeps being one
    folder.mkdir()
    assert main(["parse", source, "-o", str(folder), "--quiet"]) == 0
    assert (folder / "pingtan-2021.json").is_file()
    for argv in (
        [source, source.replace("2021", "2022"), "-o", str(out)],  # two reports, one file
        [source, "-o", str(xml)],  # JSON into a .xml file
        [source, "-o", str(out), "--resume"],
    ):
        with pytest.raises(SystemExit) as usage:
            main(["parse", *argv, "--quiet"])
        assert usage.value.code == 2
    assert main(["parse", source, "-o", str(tmp_path / "no" / "r.json"), "--quiet"]) == 2


def test_parse_cli_folder_to_dir_with_summary_and_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("liuzhou-gov-office-2023.txt", "shuyang-fgj-2023.html", "pingtan-2018-legacy.txt"):
        (folder / name).write_bytes((REPORTS / name).read_bytes())
    out = tmp_path / "out"
    # the pre-2019 report is read but not a supported report: exit 1
    assert (
        main(
            ["parse", str(folder), "-o", str(out), "--to", "xml", "--check", "--quiet", "--summary"]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "Summary: 3 file(s), 1 failed" in err and "pre-2019" in err
    assert (
        gd.from_xml(out / "liuzhou-gov-office-2023.xml")
        == parse(folder / "liuzhou-gov-office-2023.txt").report
    )


def test_missing_optional_dependency_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from gov_disclosure.optional import MissingDependencyError, install_hint

    monkeypatch.setitem(sys.modules, "pdfplumber", None)  # makes the import fail
    pdf = (REPORTS / "hongze-district-2024.pdf").read_bytes()
    with pytest.raises(MissingDependencyError, match=r"\[pdf\]") as caught:
        parse(pdf)
    assert install_hint("pdf") in str(caught.value)  # for how this package was installed


@pytest.mark.parametrize(
    ("name", "level", "kind"),
    [
        ("沭阳县人民政府", "county", "government"),
        ("沭阳县发展和改革局", "county", "department"),
        ("某县某镇人民政府", "township", "government"),
        ("淮安市洪泽区人民政府", "county", "government"),
        ("福建省人民政府", "provincial", "government"),
        ("上海市科学技术委员会", "provincial", "department"),
        ("柳州市人民政府办公室", None, "department"),  # a city's level is not in its name
        ("平潭综合实验区管理委员会", None, "department"),  # 实验区 is not a district
        ("某社区服务中心", None, "department"),
        ("政府信息公开", None, None),
    ],
)
def test_agency_level_and_kind_only_where_the_name_proves_them(
    name: str, level: str | None, kind: str | None
) -> None:
    from gov_disclosure.parsing.metadata import infer_agency

    assert infer_agency(name) == (level, kind)


def test_parsed_reports_carry_the_inferred_level_so_level_rules_fire() -> None:
    report = attrs.evolve(gd.samples.load(), agency=gd.Agency(name="某县人民政府"))
    report = gd.with_cell(report, "proactive_disclosure.regulations.issued", 2)
    parsed = parse_text(to_text(report)).report
    assert (parsed.agency.level, parsed.agency.kind) == ("county", "government")
    assert gd.check(parsed).filter(rule="plausibility.regulations_by_level")
    city = parse_text(gd.samples.source_text()).report
    assert city.agency.level is None and city.agency.kind == "department"
    assert parse_text(gd.samples.source_text(), year=2024).report.year == 2024
    with pytest.raises(ValueError, match="unknown level"):
        parse(REPORTS / "liuzhou-gov-office-2023.txt", level="city")
    forced = parse(REPORTS / "liuzhou-gov-office-2023.txt", level="prefectural").report
    assert forced.agency.level == "prefectural"


def test_parse_cli_overrides(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "parse",
                str(REPORTS / "liuzhou-gov-office-2023.txt"),
                "--quiet",
                "--level",
                "prefectural",
                "--agency",
                "柳州市政府办",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["agency"] == {
        "name": "柳州市政府办",
        "region": None,
        "level": "prefectural",
        "kind": "department",
    }


def test_pdf_prose_is_reflowed_into_paragraphs() -> None:
    # issue 26 §2 #5: every visual line break was kept (…中国特\\n色社会主义…, 2024 年)
    from gov_disclosure.parsing.sections import reflow

    overview = parse(REPORTS / "hongze-district-2024.pdf").report.overview or ""
    assert "中国特色社会主义思想" in overview and "2024年，淮安市" in overview
    assert "\n（一）主动公开情况。" in overview  # a numbered point keeps its own paragraph
    assert reflow("第一行没有结束\n接着写完。\n一、标题\n2024 年 共 3 件。") == (
        "第一行没有结束接着写完。\n一、标题\n2024年共3件。"
    )


def test_part_headings_numbered_or_placed_otherwise_than_the_template() -> None:
    from gov_disclosure.parsing.sections import misnumbered_headings

    seed = (REPO / "src/gov_disclosure/samples/liuzhou-2023.txt").read_text(encoding="utf-8")
    assert misnumbered_headings(seed) == []  # the seed follows the template
    assert not [d for d in gd.parse_text(seed).diagnostics if d.code == "heading_order"]
    # 三、主动公开… where 二 belongs: numbered otherwise (info)
    renumbered = seed.replace(" 二、主动公开政府信息情况", "三、主动公开政府信息情况")
    [(heading, expected, line, out_of_order)] = misnumbered_headings(renumbered)
    assert (heading, expected, line, out_of_order) == ("三、主动公开政府信息情况", "二", 15, False)
    # part 五 printed before part 四: out of order (a warning)
    lines = seed.split("\n")
    start, end = (
        lines.index("四、政府信息公开行政复议、行政诉讼情况"),
        lines.index("五、存在的主要问题及改进情况"),
    )
    swapped = "\n".join(lines[:start] + lines[end : end + 5] + lines[start:end] + lines[end + 5 :])
    diagnostics = [d for d in gd.parse_text(swapped).diagnostics if d.code == "heading_order"]
    assert [d.severity for d in diagnostics] == ["warning"]
    assert "五、存在的主要问题" in diagnostics[0].message


def test_control_characters_are_removed_from_parsed_text_and_said() -> None:
    # debris of extraction (a font's private codes) in prose and in the title: the parsed
    # report must still go to XML (which cannot carry them), and the diagnostic says so
    data = (REPORTS / "liuzhou-gov-office-2023.txt").read_text(encoding="utf-8")
    at = data.index("2023年，")
    data = data[: at + 5] + "\x15\x1f" + data[at + 5 :]
    result = gd.parse(data.encode("utf-8"), kind="text")
    report = result.report
    assert report.overview is not None and report.overview.startswith("2023年，柳州市")
    assert "\x15" not in report.overview and "\x1f" not in report.overview
    (said,) = [d for d in result.diagnostics if d.code == "control_character"]
    assert said.severity == "info" and "overview" in said.message
    assert "U+0015" in said.message and "U+001F" in said.message
    assert gd.from_xml(gd.to_xml(report)) == report
