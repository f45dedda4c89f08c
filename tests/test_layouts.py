"""Real-layout classes (shifted numbering, spaced cells, prose in tables, chrome, ...)."""

from __future__ import annotations

from decimal import Decimal

import attrs

import gov_disclosure as gd
from gov_disclosure.model.tables import APPLICANT_COLUMNS
from gov_disclosure.parsing.values import read_cell


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
