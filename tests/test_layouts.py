"""Real-layout classes (shifted numbering, spaced cells, prose in tables, chrome, ...)."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure.model.tables import APPLICANT_COLUMNS
from gov_disclosure.parsing.glued import digit_splits
from gov_disclosure.parsing.values import read_cell
from gov_disclosure.rendering import to_markdown


def _filled(report: gd.Report) -> gd.Report:
    """The report with every blank count printed as 0 (a spaced layout cannot show blanks)."""
    for cell in gd.cells(report):
        if cell.value is None and cell.info.kind == "count":
            report = gd.with_cell(report, cell.address, 0)
    return report


def _spaced_text(report: gd.Report, separator: str = " ") -> str:
    """The report as crawler text with one line per row and spaces between cells, its parts
    numbered as in reports that insert a part 二、基本情况 (so the tables are 三, 四, 五)."""
    lines = [
        f"{report.agency.name}{report.year}年政府信息公开工作年度报告",
        "一、总体情况",
        "概述。",
        "二、基本情况",
        "本机关概况。",
    ]
    lines.append("三、主动公开政府信息情况")
    pd = report.proactive_disclosure
    for attribute in attrs.fields(type(pd)):
        row = getattr(pd, attribute.name)
        label = gd.model.info(attribute).label
        values = [getattr(row, a.name) for a in attrs.fields(type(row)) if gd.model.info(a).is_cell]
        lines.append(label + " " + separator.join("" if v is None else str(v) for v in values))
    lines.append("四、收到和处理政府信息公开申请情况（含本机关及下属单位）")
    for cell_row in sorted(
        {
            c.address.rpartition(".")[0]
            for c in gd.cells(report)
            if c.address.startswith("requests.")
        },
        key=[c.address.rpartition(".")[0] for c in gd.cells(report)].index,
    ):
        label = gd.cell(report, f"{cell_row}.total").labels[-2]
        values = [gd.get_cell(report, f"{cell_row}.{c}") for c in APPLICANT_COLUMNS]
        lines.append(label + " " + separator.join(str(v) for v in values))
    lines.append("五、因政府信息公开工作被申请行政复议、提起行政诉讼情况")
    rl = report.review_litigation
    values = [
        getattr(getattr(rl, b.name), c.name)
        for b in attrs.fields(type(rl))
        for c in attrs.fields(gd.ReviewBlock)
    ]
    lines.append("行政复议 行政诉讼 " + separator.join(str(v) for v in values))
    lines += [
        "六、存在的主要问题及改进情况",
        "问题与改进。",
        "七、其他需要报告的事项",
        "无。",
        "附件下载 打印本页 关闭窗口",
    ]
    return "\n".join(lines) + "\n"


def test_shifted_numbering_spaced_cells_and_chrome() -> None:
    report = _filled(gd.samples.load())
    for separator in (" ", "\u3000", "  "):
        result = gd.parse_text(_spaced_text(report, separator))
        parsed = result.report
        assert parsed.unread == {}, result.diagnostics
        assert [(c.address, c.value) for c in gd.cells(parsed)] == [
            (c.address, c.value) for c in gd.cells(report)
        ]
        assert parsed.other_matters == "无。"  # the page chrome after it is dropped
        assert gd.check(parsed).ok


def test_a_spaced_row_with_the_wrong_count_is_never_aligned_by_guess() -> None:
    report = _filled(gd.samples.load())
    text = _spaced_text(report).replace("（一）予以公开 2 0 0 0 0 0 2", "（一）予以公开 2 0 0 2")
    parsed = gd.parse_text(text).report
    granted = [a for a in parsed.unread if a.startswith("requests.outcomes.granted.")]
    assert len(granted) == 7  # four values for seven cells: the row is unread, not shifted
    assert all(gd.get_cell(parsed, a) is None for a in granted)


def test_prose_inside_the_table_4_block_is_not_a_cell() -> None:
    report = _filled(gd.samples.load())
    text = _spaced_text(report).replace(
        "五、因政府信息公开工作被申请行政复议、提起行政诉讼情况\n行政复议 行政诉讼 "
        + " ".join(["0"] * 15),
        "五、因政府信息公开工作被申请行政复议、提起行政诉讼情况2023年，没有政府信息公开行政复议及行政诉讼情况。"
        "行政复议行政诉讼" + "0" * 15,
    )
    parsed = gd.parse_text(text).report
    assert parsed.review_litigation.administrative_review.total == 0
    assert not [a for a in parsed.unread if a.startswith("review_litigation.")]


def test_the_only_split_of_a_run_is_read_even_when_it_does_not_add_up() -> None:
    report = _filled(gd.samples.load())
    text = _spaced_text(report).replace(
        "一、本年新收政府信息公开申请数量 116 0 0 0 0 0 116",
        "一、本年新收政府信息公开申请数量 2000000",
    )
    parsed = gd.parse_text(text).report
    assert parsed.requests.new_received == gd.ApplicantRow(
        natural_person=2,
        commercial_enterprise=0,
        research_institution=0,
        social_welfare_org=0,
        legal_service_org=0,
        other_org=0,
        total=0,
    )  # read as printed: the publication error is the checker's to report
    assert gd.check(parsed).filter(rule="requests.applicant_total")


def test_annotated_and_unit_cells() -> None:
    reading = read_cell("22（其中修订16件）")
    assert (reading.value, reading.code, reading.detail) == (22, "annotation", "其中修订16件")
    assert read_cell("3（含转办1件）").value == 3
    assert read_cell("6675809元", money=True).value == 6675809
    assert read_cell("3个").value == 3


def _table2_text(lines: list[str], edition: str) -> str:
    return "\n".join(
        [
            f"某县人民政府{edition}年政府信息公开工作年度报告",
            "二、主动公开政府信息情况",
            *lines,
            "三、收到和处理政府信息公开申请情况",
        ]
    )


def _table2_cells(lines: list[str], edition: str, kind: str = "text") -> dict[str, object]:
    if kind == "html":
        rows = "".join(
            "<tr>" + "".join(f"<td>{c}</td>" for c in line.split(" ")) + "</tr>" for line in lines
        )
        text = (
            "<html><body><h1>某县人民政府2021年政府信息公开工作年度报告</h1>"
            f"<h2>二、主动公开政府信息情况</h2><table>{rows}</table></body></html>"
        )
    else:
        text = _table2_text(lines, edition)
    report = gd.parse_text(text, kind=kind, edition=edition).report
    found: dict[str, object] = {
        c.address.removeprefix("proactive_disclosure."): c.value
        for c in gd.cells(report)
        if c.address.startswith("proactive_disclosure.") and c.value is not None
    }
    procurement = getattr(report.proactive_disclosure, "procurement", None)
    unit = getattr(procurement, "amount_unit", None)
    if unit is not None:  # not a cell: the unit of the 2019 amount
        found["procurement.amount_unit"] = unit
    return found


@pytest.mark.parametrize(
    ("row", "read"),
    [
        # a one-cell row's value printed in each cell of the template's span: one value
        ("行政事业性收费 24.5 24.5 24.5", {"fees.amount_wan_yuan": Decimal("24.5")}),
        ("行政事业性收费 24.5 24.5 3", {}),
        # equal neighbours in a row of several cells are never taken for one: 3 3 1 2 for
        # three cells could be 3, 1, 2 or 3, 3, 1
        ("规章 3 3 1 2", {}),
        (
            "规章 3 1 2",
            {"regulations.issued": 3, "regulations.repealed": 1, "regulations.in_force": 2},
        ),
    ],
)
def test_extra_values_in_a_table_2_row_are_never_guessed_away(
    row: str, read: dict[str, object]
) -> None:
    text = "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in line.split(" ")) + "</tr>"
        for line in [row, "行政许可 72"]
    )
    html = (
        "<html><body><h1>某县人民政府2021年政府信息公开工作年度报告</h1>"
        f"<h2>二、主动公开政府信息情况</h2><table>{text}</table></body></html>"
    )
    result = gd.parse_text(html, kind="html", edition="2021")
    base = "proactive_disclosure." + row.partition(" ")[0].replace("规章", "regulations")
    base = base.replace("行政事业性收费", "fees")
    found = {
        c.address.removeprefix("proactive_disclosure."): c.value
        for c in gd.cells(result.report)
        if c.address.startswith(base) and c.value is not None
    }
    assert found == read
    if not read:
        unread = {a for a in result.report.unread if a.startswith(base)}
        assert unread and {result.report.unread[a] for a in unread} == {"value_count"}
        (diagnostic,) = [d for d in result.diagnostics if d.code == "value_count"]
        assert "row left unread" in diagnostic.message


@pytest.mark.parametrize(
    ("printed", "read"),
    [("1.23456789元", Decimal("0.000123456789")), ("1.2345678901元", None)],
)
def test_a_fee_in_yuan_is_read_in_wan_yuan_only_within_the_places_an_amount_has(
    printed: str, read: Decimal | None
) -> None:
    # 万元 has four more places than 元: past MONEY_PLACES (12) the cell is unread, not rounded
    text = _table2_text(["行政许可 72", f"行政事业性收费 {printed}"], "2021")
    result = gd.parse_text(text, kind="text", edition="2021")
    fee = "proactive_disclosure.fees.amount_wan_yuan"
    assert gd.get_cell(result.report, fee) == read
    codes = {d.code: d.message for d in result.diagnostics if fee in d.addresses}
    if read is None:
        assert result.report.unread[fee] == "illegible"
        assert "0.00012345678901" in codes["illegible"]
    else:
        assert fee not in result.report.unread and "illegible" not in codes


def test_units_in_table_2_labels_headers_and_cells() -> None:
    for kind in ("text", "html"):
        # a count unit after the label, and after the value
        assert _table2_cells(["行政许可（件） 72"], "2021", kind) == {"licensing.decisions": 72}
        assert _table2_cells(["行政许可 72件"], "2021", kind) == {"licensing.decisions": 72}
        # the 2021 fee is in 万元 by the template: an amount printed in 元 is converted exactly
        fee = "fees.amount_wan_yuan"
        assert _table2_cells(
            ["信息内容 本年收费金额（单位：元）", "行政事业性收费 2450"], "2021", kind
        ) == {fee: Decimal("0.245")}
        assert _table2_cells(["行政事业性收费 2450元"], "2021", kind) == {fee: Decimal("0.245")}
        assert _table2_cells(["行政事业性收费 24.5万元"], "2021", kind) == {fee: Decimal("24.5")}
        assert _table2_cells(["行政事业性收费（万元） 2.5"], "2021", kind) == {fee: Decimal("2.5")}
        # 2019 procurement keeps its unit; units on both cells
        assert _table2_cells(["政府集中采购 3个 3443000元"], "2019", kind) == {
            "procurement.projects": 3,
            "procurement.amount": Decimal("3443000"),
            "procurement.amount_unit": "元",
        }
        assert _table2_cells(
            ["信息内容 采购项目数量 采购总金额（万元）", "政府集中采购 3 344.3"], "2019", kind
        ) == {
            "procurement.projects": 3,
            "procurement.amount": Decimal("344.3"),
            "procurement.amount_unit": "万元",
        }
        # a money amount in a count column is a value from another column: not read
        assert _table2_cells(["规章 1 1 1", "政府集中采购 3443000元 3"], "2019", kind) == {
            "regulations.made": 1,
            "regulations.published": 1,
            "regulations.total_published": 1,
        }


def test_a_label_with_a_unit_and_a_glued_run_is_found_but_not_guessed() -> None:
    text = _table2_text(["信息内容 采购项目数量 采购总金额", "政府集中采购（元）6675809"], "2019")
    result = gd.parse_text(text, edition="2019")
    assert result.report.unread["proactive_disclosure.procurement.projects"] == "ambiguous"
    assert result.report.proactive_disclosure.procurement.amount_unit == "元"


def test_html_without_a_declared_charset_is_read_as_utf8_or_gb18030() -> None:
    page = (
        "<html><body><h1>某县人民政府2021年政府信息公开工作年度报告</h1>"
        "<h2>二、主动公开政府信息情况</h2><table><tr><td>行政许可</td><td>72</td></tr>"
        "</table></body></html>"
    )
    for encoding in ("utf-8", "gb18030"):
        result = gd.parse(page.encode(encoding), kind="html", edition="2021")
        assert result.report.agency.name == "某县人民政府"
        assert result.report.proactive_disclosure.licensing.decisions == 72


# --- class P: a prose mention is never a table row ------------------------------------------


def test_a_prose_mention_never_fills_an_ambiguous_row() -> None:
    text = _table2_text(
        [
            "本年度制发规范性文件500余份，办理行政许可12件。",
            "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数"
            "规章000行政规范性文件2159165行政许可2293",
        ],
        "2021",
    )
    result = gd.parse_text(text, edition="2021")
    report = result.report
    row = report.proactive_disclosure.normative_documents
    assert (row.issued, row.repealed, row.in_force) == (None, None, None)
    assert report.unread["proactive_disclosure.normative_documents.issued"] == "ambiguous"
    assert report.proactive_disclosure.licensing.decisions == 2293
    prose = [d for d in result.diagnostics if d.code == "prose_mention"]
    assert [d.message.split(" followed")[0] for d in prose] == ["'规范性文件500'", "'行政许可12件'"]


def _docx_cells(lines: list[list[str]]) -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("某县人民政府2019年政府信息公开工作年度报告")
    document.add_paragraph("二、主动公开政府信息情况")
    table = document.add_table(rows=len(lines), cols=max(len(x) for x in lines))
    table.style = "Table Grid"  # ruled, as published tables are (the PDF reader needs rules)
    for r, line in enumerate(lines):
        for c, text in enumerate(line):
            table.cell(r, c).text = text
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_row_printed_twice_with_other_values_is_conflicting() -> None:
    for kind in ("text", "html"):
        cells = _table2_cells(["行政许可 72", "规章 1 1 1", "行政许可 73"], "2021", kind)
        assert "licensing.decisions" not in cells
        assert cells["regulations.issued"] == 1
        # the same printing twice (a page that repeats its table) is read once
        cells = _table2_cells(["行政许可 72", "行政许可 72"], "2021", kind)
        assert cells == {"licensing.decisions": 72}
    report = gd.parse_text(
        _table2_text(["规章 1 1 1", "行政许可 72", "行政许可 73"], "2021"), edition="2021"
    ).report
    assert report.unread["proactive_disclosure.licensing.decisions"] == "conflicting"


# --- classes Q and N: the 2019 本年增/减 column as a word or a sign --------------------------


def test_sign_words_are_signed_cells() -> None:
    assert read_cell("减12", signed=True).value == -12
    assert read_cell("增3", signed=True).value == 3
    assert read_cell("增加3", signed=True).value == 3
    assert read_cell("减少 3", signed=True).value == -3
    assert read_cell("减12").code == "illegible"  # a sign only where the column has one
    for kind in ("text", "html"):
        assert _table2_cells(["行政事业性收费 16 减12"], "2019", kind) == {
            "fees.prior_year_items": 16,
            "fees.change": -12,
        }
    # glued: the word is a cell boundary (was read as 1 / 6)
    assert _table2_cells(["行政事业性收费16减12"], "2019") == {
        "fees.prior_year_items": 16,
        "fees.change": -12,
    }
    assert _table2_cells(["行政事业性收费35-15", "行政许可396增0181"], "2019") == {
        "fees.prior_year_items": 35,
        "fees.change": -15,
        "licensing.prior_year_items": 396,
        "licensing.change": 0,
        "licensing.decisions": 181,
    }


def test_a_sign_proves_the_cell_before_it_and_leaves_an_ambiguous_rest_unread() -> None:
    result = gd.parse_text(_table2_text(["行政处罚2648-18538"], "2019"), edition="2019")
    penalties = result.report.proactive_disclosure.penalties
    assert penalties.prior_year_items == 2648
    assert (penalties.change, penalties.decisions) == (None, None)
    assert result.report.unread["proactive_disclosure.penalties.change"] == "ambiguous"
    assert "proactive_disclosure.penalties.prior_year_items" not in result.report.unread


def _signed_report() -> gd.Report:
    report = gd.from_dict(
        {
            "format": "2019",
            "year": 2019,
            "agency": {"name": "某县人民政府"},
            "proactive_disclosure": {"fees": {"prior_year_items": 16, "change": -12}},
        }
    )
    return report


def test_sign_words_in_docx_and_pdf_grids(tmp_path: object) -> None:
    import shutil
    from pathlib import Path

    data = _docx_cells(
        [
            ["信息内容", "上一年项目数量", "本年增/减"],
            ["行政事业性收费", "16", "减12"],
        ]
    )
    fees = gd.parse(data, kind="docx", edition="2019").report.proactive_disclosure.fees
    assert (fees.prior_year_items, fees.change) == (16, -12)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        import pytest

        pytest.skip("LibreOffice is not installed: the PDF of this table cannot be made")
    from .conftest import libreoffice

    folder = Path(str(tmp_path))
    (folder / "t.docx").write_bytes(data)
    pdf = libreoffice(folder / "t.docx", "pdf", folder)
    fees = gd.parse(pdf, edition="2019").report.proactive_disclosure.fees
    assert (fees.prior_year_items, fees.change) == (16, -12)


_T2_LABELS = (
    "规章",
    "行政规范性文件",
    "规范性文件",
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政事业性收费",
)


@st.composite
def _prose(draw: st.DrawFn) -> str:
    """Sentences naming every table-2 label with a number, as overviews and notes do."""
    sentences = []
    for label in draw(st.permutations(_T2_LABELS)):
        verb = draw(st.sampled_from(["本年制发", "办理", "共", "清理", ""]))
        number = draw(st.integers(0, 99999))
        tail = draw(st.sampled_from(["余份", "件", "项", "起", "万元", "个"]))
        end = draw(st.sampled_from(["。", "，", "；", "、"]))
        sentences.append(f"{verb}{label}{number}{tail}{end}")
    return "".join(sentences)[:-1] + "。"


def _ambiguous_run(draw: st.DrawFn) -> str:
    run = str(draw(st.integers(100, 10**7)))
    assume(len(digit_splits(run, 3)) > 1)
    return run


@given(data=st.data())
@settings(max_examples=60, deadline=None)
def test_no_table_2_cell_takes_a_value_from_outside_its_table(data: st.DataObject) -> None:
    draw = data.draw
    regulations, normative = _ambiguous_run(draw), _ambiguous_run(draw)
    licensing = draw(st.integers(0, 9999))
    before, between, after = draw(_prose()), draw(_prose()), draw(_prose())
    text = "\n".join(
        [
            "某县人民政府2023年政府信息公开工作年度报告",
            "一、总体情况",
            "（一）主动公开政府信息情况",  # the overview repeats the table's heading
            before,
            "二、主动公开政府信息情况",
            between,
            "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数"
            f"规章{regulations}行政规范性文件{normative}"
            f"第二十条第（五）项信息内容本年处理决定数量行政许可{licensing}",
            after,
            "三、收到和处理政府信息公开申请情况",
        ]
    )
    report = gd.parse_text(text, edition="2021").report
    pd = report.proactive_disclosure
    for row in ("regulations", "normative_documents"):
        for column in ("issued", "repealed", "in_force"):
            assert getattr(getattr(pd, row), column) is None
            assert report.unread[f"proactive_disclosure.{row}.{column}"] == "ambiguous"
    assert pd.licensing.decisions == licensing
    # rows the table does not print are not found, whatever the prose says of them
    for row in ("penalties", "coercive_measures"):
        assert getattr(pd, row).decisions is None
    assert pd.fees.amount_wan_yuan is None


# --- class M: value cells that span columns (HTML) -------------------------------------------


def _html_rows(rows: list[list[tuple[str, int]]], edition: str = "2019") -> str:
    body = "".join(
        "<tr>" + "".join(f'<td colspan="{span}">{text}</td>' for text, span in row) + "</tr>"
        for row in rows
    )
    return (
        f"<html><body><h1>某县人民政府{edition}年政府信息公开工作年度报告</h1>"
        f"<h2>二、主动公开政府信息情况</h2><table>{body}</table></body></html>"
    )


def test_a_markdown_row_narrower_than_its_header_is_read_only_if_its_values_fill_it() -> None:
    # the converter dropped the 116 under 自然人: the row's blank cells no longer say which
    # columns they are (before, the natural person was read blank). A row narrower than its
    # header is read only when its printed values fill it, and these two do not.
    markdown = to_markdown(gd.samples.load())
    line = next(x for x in markdown.split("\n") if x.startswith("| 一、本年新收"))
    assert line.count("| 116 |") == 2
    result = gd.parse_text(
        markdown.replace(line, line.replace("|  |  | 116 |", "|  |  |", 1)), kind="markdown"
    )
    row = [c for c in gd.cells(result.report) if c.address.startswith("requests.new_received.")]
    assert [(c.value, c.unread) for c in row] == [(None, "value_count")] * 7
    # a row that keeps all its cells is read as before
    assert result.report.requests.carried_over.natural_person == 3


def test_a_markdown_row_that_lost_its_only_value_is_unread_not_blank() -> None:
    # | 行政许可 | 0 |  |  | lost the 0: its label and empty cells, narrower than the table,
    # looked like a row printed blank (found by the grid property test)
    markdown = to_markdown(gd.samples.load())
    assert markdown.count("| 行政许可 | 0 |  |  |") == 1
    result = gd.parse_text(markdown.replace("| 行政许可 | 0 |", "| 行政许可 |"), kind="markdown")
    assert result.report.unread["proactive_disclosure.licensing.decisions"] == "value_count"
    assert result.report.proactive_disclosure.penalties.decisions == 0  # its neighbour, whole


def test_a_grid_row_with_a_stray_value_is_trimmed_only_if_it_then_adds_up() -> None:
    # a converter's empty edge cells are trimmed (the corpus has them), but a stray 5 after
    # the seven empty cells of 1.属于国家秘密 made the last six and the 5 the row: a total
    # of 5 over blank items. A trimmed row of table 3 is read only if it adds up.
    markdown = to_markdown(gd.samples.load())
    row = "| 1.属于国家秘密 |  |  |  |  |  |  |  |"
    assert markdown.count(row) == 1
    result = gd.parse_text(markdown.replace(row, row + " 5 |"), kind="markdown")
    cells = [c for c in gd.cells(result.report) if ".state_secret." in c.address]
    assert [(c.value, c.unread) for c in cells] == [(None, "value_count")] * 7
    # an empty cell too many is still a converter's, and the row adds up: read
    result = gd.parse_text(markdown.replace(row, row + "  |"), kind="markdown")
    assert result.report.requests.outcomes.withheld.state_secret.total is None
    assert "requests.outcomes.withheld.state_secret.total" not in result.report.unread


def test_a_table2_row_wider_than_its_header_is_trimmed_only_where_every_reading_agrees() -> None:
    # | 规章 |  | 1 | 5 | 7 |: the empty first cell trimmed as a converter's read 1, 5, 7 for
    # a row of a blank, 1 and 5 beside a stray 7 (29 in 172 damaged HTML pages read a wrong
    # table-2 cell so). A row wider than its header has a cell too many, and nothing says
    # which: it is trimmed only where every reading gives the same cells.
    markdown = to_markdown(gd.samples.load())
    row = "| 规章 | 0 | 1 | 5 |"
    assert markdown.count(row) == 1

    def regulations(line: str) -> list[tuple[int | None, str | None]]:
        result = gd.parse_text(markdown.replace(row, line), kind="markdown")
        cells = [c for c in gd.cells(result.report) if ".regulations." in c.address]
        return [(c.value, c.unread) for c in cells]

    unread = [(None, "value_count")] * 3
    assert regulations("| 规章 |  | 1 | 5 | 7 |") == unread  # a stray 7, or an empty artefact?
    assert regulations("| 规章 | 0 | 1 | 5 | 7 |") == unread  # four values for three cells
    assert regulations("| 规章 |  | 1 | 5 |  |") == unread  # blank, 1, 5 or 1, 5, blank
    assert regulations("| 规章 | 0 | 1 | 5 |  |") == [(0, None), (1, None), (5, None)]
    assert regulations("| 规章 |  |  |  |  |") == [(None, None)] * 3
    # a row of one cell has its value anywhere in the template's span, unless it may be the
    # stray last cell
    licensing = "| 行政许可 | 0 |  |  |"
    assert markdown.count(licensing) == 1

    def decisions(line: str) -> tuple[int | None, str | None]:
        result = gd.parse_text(markdown.replace(licensing, line), kind="markdown")
        return (
            result.report.proactive_disclosure.licensing.decisions,
            result.report.unread.get("proactive_disclosure.licensing.decisions"),
        )

    assert decisions("| 行政许可 |  | 7 |  |  |") == (7, None)
    assert decisions("| 行政许可 | 7 | 7 |  | 7 |") == (7, None)
    assert decisions("| 行政许可 |  |  |  | 7 |") == (None, "value_count")
    assert decisions("| 行政许可 | 0 |  |  | 7 |") == (None, "value_count")


def test_a_value_spanning_two_columns_is_one_value() -> None:
    page = _html_rows(
        [
            [("信息内容", 1), ("本年新制作数量", 1), ("本年新公开数量", 2), ("对外公开总数量", 1)],
            [("规章", 1), ("13", 1), ("13", 2), ("524", 1)],
            # the header and the data put the colspan on different cells
            [("信息内容", 1), ("上一年项目数量", 1), ("本年增/减", 2), ("处理决定数量", 1)],
            [("行政许可", 1), ("0", 2), ("0", 1), ("7", 1)],
            [("行政事业性收费", 1), ("3", 2), ("减1", 2)],
            [("政府集中采购", 1), ("6", 2), ("251000元", 2)],
        ]
    )
    result = gd.parse_text(page, kind="html", edition="2019")
    pd = result.report.proactive_disclosure
    assert (pd.regulations.made, pd.regulations.published, pd.regulations.total_published) == (
        13,
        13,
        524,
    )
    assert (pd.licensing.prior_year_items, pd.licensing.change, pd.licensing.decisions) == (0, 0, 7)
    assert (pd.fees.prior_year_items, pd.fees.change) == (3, -1)
    assert (pd.procurement.projects, pd.procurement.amount) == (6, Decimal("251000"))
    assert not [d for d in result.diagnostics if d.code == "value_count"]


def test_libreoffice_html_with_a_phantom_grid_column_reads_table_4() -> None:
    # class R: the committed export (tests/corpus/synthetic.py makes it with LibreOffice)
    from .conftest import REPORTS

    result = gd.parse(REPORTS / "synthetic-office-html-2021.html")
    seed = gd.samples.load()
    assert result.report.review_litigation == seed.review_litigation
    assert result.report.unread == {}


# --- class K: annotated values ------------------------------------------------------------------


def test_an_annotated_value_is_the_number_before_its_annotation() -> None:
    def normative(lines: list[str], kind: str = "text") -> dict[str, object]:
        cells = _table2_cells(lines, "2021", kind)
        return {k.partition(".")[2]: v for k, v in cells.items() if k.startswith("normative")}

    # in a table cell, and in crawler text with spaces
    row = "行政规范性文件 22（其中修订16件） 55（含自然失效29件） 310"
    for kind in ("text", "html"):
        assert normative(["规章 0 0 0", row], kind) == {
            "issued": 22,
            "repealed": 55,
            "in_force": 310,
        }
    # a converter put each annotation on the line after its value
    split = ["规章 0 0 0", "行政规范性文件 22", "（其中修订16件） 55", "（含自然失效29件） 310"]
    assert normative(split) == {"issued": 22, "repealed": 55, "in_force": 310}
    # glued: the annotation ends its cell (never 2216); 其中修订 places it as the issued figure
    glued = ["规章000行政规范性文件22（其中修订16件）53行政许可3"]
    assert normative(glued) == {"issued": 22, "repealed": 5, "in_force": 3}
    result = gd.parse_text(
        _table2_text(["规章000行政规范性文件22（其中修订16件）5310行政许可3"], "2021"),
        edition="2021",
    )
    docs = result.report.proactive_disclosure.normative_documents
    assert docs.issued == 22 and (docs.repealed, docs.in_force) == (None, None)
    assert result.report.unread["proactive_disclosure.normative_documents.repealed"] == "ambiguous"
    assert any(d.code == "annotation" and "其中修订16件" in d.message for d in result.diagnostics)


# --- class O: splits decided by the report's own text -------------------------------------------


def _decided(overview: str) -> gd.ParseResult:
    text = "\n".join(
        [
            "某县人民政府2021年政府信息公开工作年度报告",
            "一、总体情况",
            overview,
            "二、主动公开政府信息情况",
            "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章015行政规范性文件102310",
            "三、收到和处理政府信息公开申请情况",
        ]
    )
    return gd.parse_text(text, edition="2021")


def test_the_report_text_decides_a_glued_split_only_when_it_leaves_one() -> None:
    result = _decided("本年制发行政规范性文件10件，现行有效行政规范性文件310件。")
    docs = result.report.proactive_disclosure.normative_documents
    assert (docs.issued, docs.repealed, docs.in_force) == (10, 2, 310)
    decided = [d for d in result.diagnostics if d.code == "decided_by_text"]
    assert decided and "本年制发行政规范性文件10件" in decided[0].message
    assert "decided by the text" in (
        result.provenance["proactive_disclosure.normative_documents.repealed"].note or ""
    )
    for overview in (
        "本年制发行政规范性文件10件。",  # 10 leaves 10/2/310 and 10/23/10: two splits
        "本年制发行政规范性文件10件，现行有效行政规范性文件310件；又制发行政规范性文件1件。",  # two figures
        "现行有效行政规范性文件约310件。",  # 约: an estimate, never a figure to decide with
        "全年无相关情况。",
    ):
        report = _decided(overview).report
        assert report.proactive_disclosure.normative_documents.issued is None, overview
        assert report.unread["proactive_disclosure.normative_documents.issued"] == "ambiguous"


def test_the_text_decides_nothing_from_part_of_the_splits(monkeypatch: pytest.MonkeyPatch) -> None:
    # "102310" has 7 splits into three cells; were only the first few compared with the
    # text, the one agreeing among them would prove nothing of the others
    from gov_disclosure.parsing.glued import digit_splits
    from gov_disclosure.parsing.tables import table2

    assert len(digit_splits("102310", 3, limit=100)) == 7
    overview = "本年制发行政规范性文件10件，现行有效行政规范性文件310件。"
    monkeypatch.setattr(table2, "_MAX_TEXT_SPLITS", 6)
    report = _decided(overview).report
    assert report.proactive_disclosure.normative_documents.issued is None
    monkeypatch.setattr(table2, "_MAX_TEXT_SPLITS", 7)
    assert _decided(overview).report.proactive_disclosure.normative_documents.issued == 10


def test_an_annotated_run_with_too_many_readings_is_not_read_at_all() -> None:
    # 25 glued digits and an annotation that places no cell: the readings past the first
    # fifty could start 12, 123, ...: none of the cells is proven (it used to read 1)
    result = gd.parse_text(
        _table2_text(["规章000行政规范性文件1234567891234567891234567（其中）行政许可3"], "2021"),
        edition="2021",
    )
    addresses = [
        f"proactive_disclosure.normative_documents.{c}" for c in ("issued", "repealed", "in_force")
    ]
    assert [gd.get_cell(result.report, a) for a in addresses] == [None] * 3
    assert [result.report.unread[a] for a in addresses] == ["ambiguous"] * 3
    assert any("more than 50 splits" in d.message for d in result.diagnostics)
    assert result.report.proactive_disclosure.licensing.decisions == 3


# --- class L: label fragments ---------------------------------------------------------------------


def test_a_label_fragment_places_a_row_only_where_one_place_is_left() -> None:
    from tests.corpus.synthetic import fragments_markdown

    report = _filled(gd.samples.load())
    report = gd.with_cell(report, "requests.outcomes.other.fee_unpaid.natural_person", 1)
    result = gd.parse_text(fragments_markdown(report), kind="markdown")
    other = result.report.requests.outcomes.other
    assert other == report.requests.outcomes.other
    assert sum(d.code == "label_fragment" for d in result.diagnostics) == 2
    # without the second row, the fragment fits (六)1 and (六)2: neither is read
    lost = gd.parse_text(fragments_markdown(report, drop_second=True), kind="markdown").report
    for key in ("correction_overdue", "fee_unpaid"):
        assert getattr(lost.requests.outcomes.other, key).natural_person is None
        assert f"requests.outcomes.other.{key}.natural_person" in lost.unread
