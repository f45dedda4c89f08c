"""Write the synthetic real-layout fixtures (``reports/synthetic-*``) and their expected files.

Each fixture prints a known report in a layout class seen in real published reports (issue
12, classes A–J), so the expected values are the report's own, not the parser's output::

    python tests/corpus/synthetic.py        # rewrites reports/synthetic-* and expected/

The files are committed; ``test_parsing`` parses them like the real corpus.
"""

from __future__ import annotations

import contextlib
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

import gov_disclosure as gd
from gov_disclosure.model.tables import APPLICANT_COLUMNS
from gov_disclosure.rendering import to_html

CORPUS = Path(__file__).parent
LOST_ROW = "requests.outcomes.unable_to_provide.not_held"
CHROME = ["附件下载：", "【打印本页】 【关闭窗口】", "分享到："]


def _values(report: gd.Report, prefix: str) -> list[Any]:
    return [c.value for c in gd.cells(report) if c.address.startswith(prefix)]


def _printed(value: Any) -> str:
    return "" if value is None else format(value, "f") if isinstance(value, Decimal) else str(value)


def _table2_lines(report: gd.Report, sep: str) -> list[str]:
    pd = report.proactive_disclosure
    lines = [
        "信息内容 本年制发件数 本年废止件数 现行有效件数"
        if report.format == "2021"
        else "信息内容 本年新制作数量 本年新公开数量 对外公开总数量"
    ]
    for attribute in attrs.fields(type(pd)):
        label = gd.model.info(attribute).label
        row = getattr(pd, attribute.name)
        cells = [a for a in attrs.fields(type(row)) if gd.model.info(a).is_cell]
        values = [_printed(getattr(row, a.name)) for a in cells]
        if attribute.name == "fees" and report.format == "2021":
            # class F: the header prints the amount in 元, the cell too
            lines.append("信息内容 本年收费金额（单位：元）")
            values = [f"{Decimal(values[0]) * 10_000:f}元"]
        elif attribute.name == "procurement":
            lines.append("信息内容 采购项目数量 采购总金额")
            values = [f"{values[0]}个", f"{values[1]}{row.amount_unit}"]
        elif attribute.name == "licensing":
            label += "（件）"  # class F: a count unit after the label
        lines.append(label + " " + sep.join(values))
    return lines


def _requests_lines(report: gd.Report) -> list[str]:
    lines = []
    rows = dict.fromkeys(c.address.rpartition(".")[0] for c in gd.cells(report))
    for row in [r for r in rows if r.startswith("requests.")]:
        label = gd.cell(report, f"{row}.total").labels[-2]
        values = [_printed(gd.get_cell(report, f"{row}.{c}")) for c in APPLICANT_COLUMNS]
        if row == "requests.new_received":
            values[0] += "（含转办1件）"  # class G: an annotated cell
        sep = "\u3000" if row.endswith("granted") else " "  # class E: ideographic spaces
        lines.append(label + " " + sep.join(values))
    return lines


def shifted_text(report: gd.Report) -> str:
    """Classes A, B, C, E, F, G, J: an inserted part shifts the numbering, heading variants,
    prose inside the table-4 block, space-separated cells, units, annotations, page chrome."""
    year = report.year
    lines = [
        f"{report.agency.name}{year}年政府信息公开工作年度报告",
        "一、总体情况",
        f"{year}年，本机关认真贯彻落实《条例》。",
        "二、机构设置情况",
        "本机关设政务公开办公室。",
        "三、主动公开政府信息情况",  # B: table 2 with 情况
        *_table2_lines(report, " "),
        "四、收到和处理政府信息公开申请情况（含本机关及所属单位）",  # B: extra words
        *_requests_lines(report),
        "五、因政府信息公开工作被申请行政复议、提起行政诉讼情况",  # B: table-4 variant
        f"{year}年，本机关因政府信息公开被申请行政复议、提起行政诉讼情况如下。",  # C
        "行政复议 行政诉讼",
        " ".join(_printed(v) for v in _values(report, "review_litigation.")),
        "六、存在的主要问题及改进情况",
        "一是公开质量有待提高；下一步将加强培训，提升答复质量。",
        "七、其他需要报告的事项",
        "本年度未收取信息处理费。",
        *CHROME,  # J
    ]
    return "\n".join(lines) + "\n"


def _glued_table2(report: gd.Report, printed: dict[str, str] | None = None) -> str:
    """Table 2 as crawler text of a flattened HTML table: captions, labels and digits glued.

    ``printed`` overrides the printed run of a row (``{"fees": "16减12"}``).
    """
    printed = printed or {}
    pd = report.proactive_disclosure
    header = (
        "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数"
        if report.format == "2021"
        else "第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量"
    )
    out = [header]
    for attribute in attrs.fields(type(pd)):
        row = getattr(pd, attribute.name)
        cells = [a for a in attrs.fields(type(row)) if gd.model.info(a).is_cell]
        run = "".join(_printed(getattr(row, a.name)) for a in cells)
        out.append(gd.model.info(attribute).label + printed.get(attribute.name, run))
    return "".join(out)


def _spaced_rest(report: gd.Report) -> list[str]:
    """Tables 3 and 4 and the text parts after table 2, space separated (as shifted_text)."""
    lines = shifted_text(report).splitlines()
    return lines[lines.index(next(x for x in lines if x.startswith("四、收到和处理"))) :]


# Class P: the figures of table 2 told in the overview, under a subheading that repeats the
# table's heading, and in a note after the table; the table's own 行政规范性文件 row is glued
# and ambiguous, so only prose could have "filled" it.
PROSE_MENTIONS = (
    "（一）主动公开政府信息情况",
    "本年度制发规章3件，制发规范性文件500余份，行政规范性文件清理20件；办理行政许可12件，"
    "行政处罚7起、行政强制2起，收取行政事业性收费0.5万元。",
)
PROSE_NOTE = "注：另有行政许可事项12项，已于门户网站公开。"


def prose_mentions_text(report: gd.Report) -> str:
    """Class P: prose that names every table-2 row with a number, around an ambiguous row."""
    lines = [
        f"{report.agency.name}{report.year}年政府信息公开工作年度报告",
        "一、总体情况",
        *PROSE_MENTIONS,
        "二、主动公开政府信息情况",
        _glued_table2(report) + PROSE_NOTE,
        *_spaced_rest(report),
    ]
    return "\n".join(lines) + "\n"


# Classes Q and N: the 2019 本年增/减 column written as a word (16减12, 3增5) or as a sign
# inside a glued run (2648-18538, 12+625); the sign is a cell boundary.
SIGNED_RUNS = {
    "licensing": "396增0181",  # 增0: the word proves 396; 0181 for two cells: 0 and 181
    "penalties": "2648-18538",  # 2648 proven; 18538 for two cells has several splits
    "coercive_measures": "12+625",  # 12 proven; 625 ambiguous
    "fees": "16减12",  # both proven: 16 and -12
    # the other rows are printed with spaces between cells (glued, they would be ambiguous)
    "normative_documents": "89 89 89",
    "other_services": "10 0 153",
    "procurement": "1357 5394432.52元",
}


def signed_text(report: gd.Report) -> str:
    """Classes Q and N: crawler text of a 2019 table 2 with signed runs."""
    lines = [
        f"{report.agency.name}{report.year}年政府信息公开工作年度报告",
        "一、总体情况",
        f"{report.year}年，本机关认真贯彻落实《条例》。",
        "二、主动公开政府信息情况",
        _glued_table2(report, SIGNED_RUNS),
        *_spaced_rest(report),
    ]
    return "\n".join(lines) + "\n"


def decided_text(report: gd.Report) -> str:
    """Class O: a glued table-2 row with several splits, and an overview that states two of
    its figures (exactly one split agrees with them)."""
    docs = report.proactive_disclosure.normative_documents
    assert isinstance(docs, gd.model.proactive.DocumentsRow2021)
    lines = [
        f"{report.agency.name}{report.year}年政府信息公开工作年度报告",
        "一、总体情况",
        f"本年度制发行政规范性文件{docs.issued}件，现行有效行政规范性文件{docs.in_force}件。"
        "其中，本年度修订规章1件。",  # 其中: a part, never a figure to decide with
        "二、主动公开政府信息情况",
        _glued_table2(report),
        *_spaced_rest(report),
    ]
    return "\n".join(lines) + "\n"


def fragments_markdown(report: gd.Report, *, drop_second: bool = False) -> str:
    """Class L: a PDF-to-Markdown conversion that cut two long labels of （六）其他处理: one row
    labelled by a fragment, one whose label is split over two cells, with a page footer and a
    loose label line between them. ``drop_second`` loses the second row altogether."""
    from gov_disclosure.rendering import to_markdown

    out = []
    for line in to_markdown(report).splitlines():
        values = "|".join(line.split("|")[4:])
        if "1.申请人无正当理由" in line:
            out += [
                "| 行政机关不再处理其政府信息公 |" + values,
                "— 5 —",
                "申请人逾期未按收费通知要求",
            ]
        elif "2.申请人逾期未按收费" in line:
            if not drop_second:
                out.append("| 缴纳费用、 | 行政机关不再处理其政 |" + values)
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def annotated_text(report: gd.Report) -> str:
    """Class K: table-2 values with annotations, glued in crawler text and split by a
    converter over the following lines."""
    docs = report.proactive_disclosure.normative_documents
    regs = report.proactive_disclosure.regulations
    assert isinstance(docs, gd.model.proactive.DocumentsRow2021)
    lines = shifted_text(report).splitlines()
    start = lines.index("三、主动公开政府信息情况") + 1
    end = lines.index(next(x for x in lines if x.startswith("四、收到和处理")))
    table = [
        "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数"
        f"规章{regs.issued}（其中修订0件）{regs.repealed}{regs.in_force}",  # glued, placed by 修订
        f"行政规范性文件 {docs.issued}",  # a converter's lines
        f"（其中修订3件） {docs.repealed}",
        f"（含自然失效1件） {docs.in_force}",
        *[
            x
            for x in lines[start:end]
            if not x.startswith(("规章", "行政规范性文件", "信息内容 本年制发"))
        ],
    ]
    return "\n".join([*lines[:start], *table, *lines[end:]]) + "\n"


def spanning_html(report: gd.Report) -> str:
    """Class M: a portal's 2019 table 2 whose value cells span columns (the header and the
    data put the colspan on different cells)."""
    pd = report.proactive_disclosure
    assert isinstance(pd, gd.model.proactive.ProactiveDisclosure2019)

    def row(*cells: tuple[object, int]) -> str:
        return "<tr>" + "".join(f'<td colspan="{s}">{_printed(t)}</td>' for t, s in cells) + "</tr>"

    decisions = [
        row(("信息内容", 1), ("上一年项目数量", 1), ("本年增/减", 2), ("处理决定数量", 1))
    ] + [
        row((label, 1), (r.prior_year_items, 2), (r.change, 1), (r.decisions, 1))
        for label, r in (
            ("行政许可", pd.licensing),
            ("其他对外管理服务事项", pd.other_services),
            ("行政处罚", pd.penalties),
            ("行政强制", pd.coercive_measures),
        )
    ]
    rows = [
        row(("信息内容", 1), ("本年新制作数量", 1), ("本年新公开数量", 2), ("对外公开总数量", 1)),
        *[
            row((label, 1), (r.made, 1), (r.published, 2), (r.total_published, 1))
            for label, r in (("规章", pd.regulations), ("规范性文件", pd.normative_documents))
        ],
        *decisions,
        row(("信息内容", 1), ("上一年项目数量", 2), ("本年增/减", 2)),
        row(("行政事业性收费", 1), (pd.fees.prior_year_items, 2), (pd.fees.change, 2)),
        row(("信息内容", 1), ("采购项目数量", 2), ("采购总金额", 2)),
        row(
            ("政府集中采购", 1),
            (pd.procurement.projects, 2),
            (f"{_printed(pd.procurement.amount)}{pd.procurement.amount_unit}", 2),
        ),
    ]
    text = shifted_text(report)
    head, _, rest = text.partition("三、主动公开政府信息情况\n")
    rest = rest[rest.index("四、收到和处理") :]
    paragraphs = "".join(f"<p>{x}</p>" for x in head.splitlines())
    after = ""
    for line in rest.splitlines():  # tables 3 and 4 as grids, a cell per printed value
        cells = line.split(" ")
        if len(cells) > 1 and not line.startswith(("五、", "六、", "七、", "2019年")):
            after += "<table><tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr></table>"
        else:
            after += f"<p>{line}</p>"
    return (
        f"<html><body>{paragraphs}<h2>三、主动公开政府信息情况</h2><table>{''.join(rows)}</table>"
        f"{after}</body></html>"
    )


def grid_html(report: gd.Report) -> str:
    """Class I (and F, G, H in a grid): the renderer's grid (group labels with rowspan sharing
    the first data row's ``<tr>``, label colspans of different widths) with ``&nbsp;`` blanks,
    a count with its unit, an annotated cell and one row whose blank cells a converter
    dropped. The title and headings use the shifted numbering (class A)."""
    html = to_html(report)
    html = html.replace("<h2>二、", "<h2>三、").replace("<h2>三、收到", "<h2>四、收到")
    html = re.sub(r"<h2>四、([^<]*行政复议)", r"<h2>五、因政府信息公开工作被申请\1", html)
    # blanks printed as &nbsp; (class I)
    html = re.sub(r'(class="gd-value")></td>', r"\1>&nbsp;</td>", html)

    def cell(address: str, text: str) -> None:
        nonlocal html
        pattern = rf'(data-address="{re.escape(address)}" class="gd-value">)[^<]*(</td>)'
        html, count = re.subn(pattern, rf"\g<1>{text}\g<2>", html)
        assert count == 1, address

    rows = dict.fromkeys(c.address.rpartition(".")[0] for c in gd.cells(report))
    first = next(r for r in rows if r.startswith("requests."))
    cell(f"{first}.natural_person", f"{report.requests.new_received.natural_person}件")  # F
    granted = report.requests.outcomes.granted.natural_person
    cell("requests.outcomes.granted.natural_person", f"{granted}（其中部分为转办）")  # G
    # H: the row "1.本机关不掌握相关政府信息" lost its blank (&nbsp;) cells in conversion
    for column in APPLICANT_COLUMNS:
        address = f"{LOST_ROW}.{column}"
        if gd.get_cell(report, address) is None:
            td = rf'<td id="[^"]*" data-address="{re.escape(address)}"[^>]*>&nbsp;</td>'
            html = re.sub(td, "", html)
    return html


def _expected(
    report: gd.Report, source: str, unknown: list[str], notes: str, ambiguous: tuple[str, ...] = ()
) -> dict[str, Any]:
    data = gd.to_dict(report)
    body = {
        k: data[k]
        for k in (
            "format",
            "year",
            "agency",
            "proactive_disclosure",
            "requests",
            "review_litigation",
        )
    }
    for address in [*unknown, *ambiguous]:
        node = body
        *parents, leaf = address.split(".")
        for part in parents:
            node = node[part]
        node[leaf] = None
    return {
        "source_file": f"reports/{source}",
        **body,
        "unknown": unknown,
        "ambiguous": list(ambiguous),
        "violations": [],
        "notes": notes,
    }


def _filled(report: gd.Report) -> gd.Report:
    """Every blank count printed as 0 (a space-separated layout cannot show a blank)."""
    for c in gd.cells(report):
        if c.value is None and c.info.kind in ("count", "signed"):
            report = gd.with_cell(report, c.address, 0)
    return report


def fixtures() -> dict[str, tuple[str, dict[str, Any]]]:
    """File name -> (content, expected)."""
    seed = gd.samples.load("liuzhou-2023")
    legacy = gd.from_dict(
        {
            k: v
            for k, v in json.loads(
                (CORPUS / "expected/pingtan-2019.json").read_text("utf-8")
            ).items()
            if k in ("format", "year", "agency", "requests", "review_litigation")
        }
        | {
            "proactive_disclosure": {
                "regulations": {"made": 0, "published": 0, "total_published": 0},
                "normative_documents": {"made": 89, "published": 89, "total_published": 89},
                "licensing": {"prior_year_items": 396, "change": 0, "decisions": 181},
                "other_services": {"prior_year_items": 10, "change": 0, "decisions": 153},
                "penalties": {"prior_year_items": 264, "change": -8, "decisions": 430},
                "coercive_measures": {"prior_year_items": 12, "change": 6, "decisions": 25},
                "fees": {"prior_year_items": 3, "change": 5},
                "procurement": {"projects": 1357, "amount": "5394432.52", "amount_unit": "元"},
            }
        }
    )
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    legacy_full = legacy
    for name, report in (("2021", _filled(seed)), ("2019", _filled(legacy))):
        source = f"synthetic-shifted-{name}.txt"
        out[source] = (
            shifted_text(report),
            _expected(
                report,
                source,
                [],
                "Synthetic (tests/corpus/synthetic.py): an inserted part shifts the numbering, "
                "heading variants, prose in the table-4 block, space and U+3000 separated cells, "
                "units after labels and values, an annotated cell, page chrome after part 七.",
            ),
        )
    # the 2019 grid prints the organisation columns of table 3 blank and its 总计 column
    # blank throughout (class I); the not-held row has values, so it loses cells (class H)
    for c in gd.cells(legacy):
        column = c.address.rpartition(".")[2]
        if c.address.startswith("requests.") and column not in ("natural_person",):
            legacy = gd.with_cell(legacy, c.address, None)
    legacy = gd.with_cell(legacy, f"{LOST_ROW}.natural_person", 4)
    for name, report in (("2021", seed), ("2019", legacy)):
        source = f"synthetic-grid-{name}.html"
        lost = [f"{LOST_ROW}.{c}" for c in APPLICANT_COLUMNS]
        printed = [a for a in lost if gd.get_cell(report, a) is not None]
        out[source] = (
            grid_html(report),
            _expected(
                report,
                source,
                printed,
                "Synthetic (tests/corpus/synthetic.py): a rendered grid with &nbsp; blanks, group "
                "labels sharing the first row, a unit and an annotation in cells, and a row whose "
                "blank cells were dropped (its printed values cannot be placed: unknown).",
            ),
        )
    prose = _filled(seed)
    prose = gd.with_cell(prose, "proactive_disclosure.regulations.issued", 3)
    prose = gd.with_cell(prose, "proactive_disclosure.regulations.in_force", 8)
    source = "synthetic-prose-mentions-2021.txt"
    out[source] = (
        prose_mentions_text(prose),
        _expected(
            prose,
            source,
            [],
            "Synthetic (tests/corpus/synthetic.py), class P: the overview repeats the table-2 "
            "heading as a subheading and tells every table-2 figure in prose (规范性文件500余份); "
            "a note after the table names 行政许可 with a number. The table's own 行政规范性文件 "
            "run 102310 has several splits: ambiguous, never filled from the prose.",
            tuple(
                f"proactive_disclosure.normative_documents.{c}"
                for c in ("issued", "repealed", "in_force")
            ),
        ),
    )
    signed = _filled(legacy_full)
    for address, value in {
        "licensing.prior_year_items": 396,
        "licensing.change": 0,
        "licensing.decisions": 181,
        "penalties.prior_year_items": 2648,
        "penalties.change": -18,
        "penalties.decisions": 538,
        "coercive_measures.prior_year_items": 12,
        "coercive_measures.change": 6,
        "coercive_measures.decisions": 25,
        "fees.prior_year_items": 16,
        "fees.change": -12,
    }.items():
        signed = gd.with_cell(signed, f"proactive_disclosure.{address}", value)
    source = "synthetic-signed-2019.txt"
    ambiguous = tuple(
        f"proactive_disclosure.{r}.{c}"
        for r in ("penalties", "coercive_measures")
        for c in ("change", "decisions")
    )
    out[source] = (
        signed_text(signed),
        _expected(
            signed,
            source,
            [],
            "Synthetic (tests/corpus/synthetic.py), classes Q and N: the 2019 本年增/减 column "
            "printed as a word (16减12, 396增0181) or a sign (2648-18538, 12+625) inside glued "
            "runs. The sign is a cell boundary: the cell before it is proven, and the digits "
            "after it are split only when one split exists (18538 and 625 have several).",
            ambiguous,
        ),
    )
    source = "synthetic-decided-by-text-2021.txt"
    out[source] = (
        decided_text(_filled(seed)),
        _expected(
            _filled(seed),
            source,
            [],
            "Synthetic (tests/corpus/synthetic.py), class O: 行政规范性文件102310 has several "
            "splits; the overview states 制发10件 and 现行有效310件, which leave one (10/2/310).",
        ),
    )
    source = "synthetic-fragments-2021.md"
    fragments = _filled(seed)
    out[source] = (
        fragments_markdown(fragments),
        _expected(
            fragments,
            source,
            [],
            "Synthetic (tests/corpus/synthetic.py), class L: a PDF-to-Markdown conversion cut "
            "two labels of （六）其他处理 (a fragment 行政机关不再处理其政府信息公, and 缴纳费用、 | "
            "行政机关不再处理其政 over two cells), with a page footer and a loose label line "
            "between them; the order of the rows around them leaves one place for each.",
        ),
    )
    source = "synthetic-annotated-2021.txt"
    filled = _filled(seed)
    out[source] = (
        annotated_text(filled),
        _expected(
            filled,
            source,
            [],
            "Synthetic (tests/corpus/synthetic.py), class K: table-2 values annotated "
            "(（其中修订3件）, （含自然失效1件）), glued in crawler text (规章0（其中修订0件）15: the "
            "annotation ends its cell and 修订 places it) and split over lines by a converter.",
        ),
    )
    source = "synthetic-spanning-2019.html"
    spanned = _filled(legacy_full)
    out[source] = (
        spanning_html(spanned),
        _expected(
            spanned,
            source,
            [],
            "Synthetic (tests/corpus/synthetic.py), class M: a portal's 2019 table 2 whose value "
            "cells span two columns (本年新公开数量, 本年增/减, 上一年项目数量, 采购总金额), the "
            "header and the data putting the colspan on different cells.",
        ),
    )
    return out


OFFICE_HTML = "synthetic-office-html-2021.html"


def office_html(report: gd.Report) -> bytes:
    """Class R: LibreOffice's HTML export of the project's DOCX rendering.

    Word's table 4 (行政复议 over 5 columns, 行政诉讼 over 10) comes out with 16 grid columns,
    and 总计 and the value under it span two.

    Raises:
        RuntimeError: when LibreOffice is not installed (the committed file stays).
    """
    from gov_disclosure.parsing.legacy import convert, soffice_path
    from gov_disclosure.rendering import to_docx

    if soffice_path() is None:
        raise RuntimeError("LibreOffice is not installed")
    return convert(to_docx(report), ".docx", "html", timeout=120)


def main() -> None:
    for source, (content, expected) in fixtures().items():
        (CORPUS / "reports" / source).write_text(content, encoding="utf-8")
        stem = source.rsplit(".", 1)[0]
        (CORPUS / "expected" / f"{stem}.json").write_text(
            json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    seed = gd.samples.load()
    with contextlib.suppress(RuntimeError):  # without LibreOffice the committed export stays
        (CORPUS / "reports" / OFFICE_HTML).write_bytes(office_html(seed))
    expected = _expected(
        seed,
        OFFICE_HTML,
        [],
        "LibreOffice's HTML export (soffice --convert-to html) of the project's DOCX rendering "
        "of the seed (tests/corpus/synthetic.py, class R): table 4 gets a phantom grid column "
        "and its 总计 spans two columns.",
    )
    (CORPUS / "expected" / "synthetic-office-html-2021.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
