"""HTML rendering: a standalone page with print CSS, or a fragment for embedding.

Findings from the checker can be marked: every cell a finding names gets the class
``gd-finding`` (``gd-finding-<severity>``) and the findings' messages as its tooltip.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from html import escape

from gov_disclosure.model.addressing import cells
from gov_disclosure.model.layouts import printed_location
from gov_disclosure.model.report import Report
from gov_disclosure.model.unread import UNREAD_REASONS
from gov_disclosure.rendering.layout import Table, tables
from gov_disclosure.rules.results import Finding

__all__ = ["CSS", "to_html"]

CSS = """
.gd-report { font-family: "SimSun", "Songti SC", serif; max-width: 60em; margin: auto; }
.gd-report h1 { text-align: center; font-size: 1.4em; }
.gd-report table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1.5em; }
.gd-report th, .gd-report td { border: 1px solid #000; padding: 0.2em 0.4em; text-align: center; }
.gd-report td.gd-value { text-align: right; font-variant-numeric: tabular-nums; }
.gd-report .gd-finding { background: #ffe0e0; outline: 2px solid #c00; }
.gd-report .gd-finding-warning { background: #fff4d0; outline-color: #c90; }
.gd-report .gd-finding-info { background: #e8f0ff; outline-color: #36c; }
.gd-report .gd-findings { border: 2px solid #c00; padding: 0.5em 1em; margin: 1em 0; }
.gd-report .gd-unread { background: repeating-linear-gradient(45deg, #eee, #eee 4px, #fff 4px,
  #fff 8px); color: #a00; font-weight: bold; }
.gd-report .gd-ocr { text-decoration: underline dotted #36c; }
@page { size: A4; margin: 15mm 12mm; }
@media print { .gd-report { max-width: none; } .gd-report table { page-break-inside: auto; }
  .gd-report tr { page-break-inside: avoid; } .gd-report .gd-finding { outline: none; } }
"""

_RANK = {"error": 0, "inconsistency": 1, "warning": 2, "info": 3}


def _paragraphs(text: str | None) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in (text or "").splitlines() if line.strip())


def _anchor(address: str) -> str:
    return "gd-" + address.replace(".", "-")


def _findings_list(
    findings: list[Finding], unread: dict[str, str], id_prefix: str = "", page: str = ""
) -> str:
    """The findings and unread cells as a visible list linking to the cells (kept in print).

    ``id_prefix``: that of the cells' ids (:func:`_table`) when two reports share a page;
    ``page``: the URL of the page holding the cells, when it is another page.
    Identities not assessable because of unread cells are one line, not one finding each
    (an unread row makes a dozen); the unread cells are listed by printed label.
    """
    if not findings and not unread:
        return ""
    not_assessed = [f for f in findings if not f.assessable and f.unread]
    findings = [f for f in findings if f.assessable or not f.unread]
    out = ['<section class="gd-findings">', "<h2>核验结果 Findings</h2>"]
    if not_assessed:
        out.append(
            f'<p class="gd-not-assessed">{len(not_assessed)} 项勾稽关系因下列未能识别的单元格'
            f'无法核验 / <span lang="en">{len(not_assessed)} identities not assessed because of '
            "the unread cells below</span></p>"
        )
    if findings:
        out.append("<ol>")
        for f in findings:
            links = " ".join(
                f'<a href="{escape(page)}#{id_prefix}{_anchor(a)}">{escape(a)}</a>'
                for a in f.addresses[:3]
                if not a.startswith("previous:") and a.count(".") >= 2
            )
            out.append(
                f'<li class="gd-finding-{f.severity}">'
                f"<strong>[{f.severity}] {escape(f.rule)}</strong> "
                f'{escape(f.message["zh"])}<br><span lang="en">{escape(f.message["en"])}</span>'
                f"{' — ' + links if links else ''}</li>"
            )
        out.append("</ol>")
    if unread:
        out.append(f"<h3>未能识别的单元格 Unread cells ({len(unread)})</h3><ul>")
        order = _template_order()
        for address in sorted(unread, key=lambda a: order.get(a, len(order))):
            reason = unread[address]
            zh, en = UNREAD_REASONS.get(reason, (reason, reason))
            where = printed_location(address) or address
            out.append(
                f'<li><a href="{escape(page)}#{id_prefix}{_anchor(address)}" '
                f'title="{escape(address)}">'
                f"{escape(where)}</a>: {escape(zh)} / {escape(en)}</li>"
            )
        out.append("</ul>")
    out.append("</section>")
    return "".join(out)


@functools.cache
def _template_order() -> dict[str, int]:
    """Every cell address of both editions -> its place in template order."""
    from gov_disclosure.model.report import template_report

    order: dict[str, int] = {}
    for edition, hybrid in (("2021", False), ("2021", True), ("2019", False)):
        for c in cells(template_report(edition, hybrid=hybrid)):
            order.setdefault(c.address, len(order))
    return order


def _table(
    table: Table,
    marks: dict[str, list[Finding]],
    changed: dict[str, str] | None = None,
    id_prefix: str = "",
) -> str:
    """A table as HTML; ``changed`` marks cells (address -> tooltip) with ``gd-changed``.

    ``id_prefix`` keeps the cells' ids unique when two reports share a page.
    """
    out = [f'<table class="gd-table" data-table="{table.key}">']
    # the header rows above the first value are a <thead>: a printer repeats it on every
    # page the table runs onto, which gives the rows continued there the ruled top edge a
    # PDF reader needs to find them as a table (without it, the first row under a group
    # label spanning the page break came out as loose text, and its cells were not read)
    head = next((i for i, row in enumerate(table.rows) if not all(c.header for c in row)), 0)
    if head:
        out.append("<thead>")
    for number, row in enumerate(table.rows):
        if head and number == head:
            out.append("</thead><tbody>")
        out.append("<tr>")
        for cell in row:
            tag = "th" if cell.header else "td"
            attrs = []
            if cell.rowspan > 1:
                attrs.append(f'rowspan="{cell.rowspan}"')
            if cell.colspan > 1:
                attrs.append(f'colspan="{cell.colspan}"')
            classes = [] if cell.header else ["gd-value"]
            if cell.unread:
                classes.append("gd-unread")
                zh, en = UNREAD_REASONS.get(cell.unread, (cell.unread, cell.unread))
                attrs.append(f'data-unread="{escape(cell.unread)}"')
            if cell.ocr is not None:  # read from a scan: a misreading is possible
                classes.append("gd-ocr")
                attrs.append(f'data-ocr="{cell.ocr}"')
            if cell.address:
                attrs.append(f'id="{id_prefix}{_anchor(cell.address)}"')
                attrs.append(f'data-address="{escape(cell.address)}"')
                found = marks.get(cell.address)
                change = changed.get(cell.address) if changed else None
                if change is not None:
                    classes.append("gd-changed")
                    attrs.append(f'title="{escape(change)}"')
                elif found:
                    worst = min(found, key=lambda f: _RANK[f.severity]).severity
                    classes += ["gd-finding", f"gd-finding-{worst}"]
                    tip = "\n".join(f"[{f.rule}] {f.message['zh']}" for f in found)
                    attrs.append(f'title="{escape(tip)}"')
                elif cell.unread:
                    attrs.append(f'title="{escape(f"未能识别 unread: {zh} / {en}")}"')
                elif cell.ocr is not None:
                    tip = f"OCR识别，置信度 {cell.ocr:.2f} / read by OCR, confidence {cell.ocr:.2f}"
                    attrs.append(f'title="{escape(tip)}"')
            if classes:
                attrs.append(f'class="{" ".join(classes)}"')
            joined = (" " + " ".join(attrs)) if attrs else ""
            out.append(f"<{tag}{joined}>{escape(cell.text)}</{tag}>")
        out.append("</tr>")
    if head:
        out.append("</tbody>")
    out.append("</table>")
    return "".join(out)


def to_html(report: Report, *, standalone: bool = True, findings: Iterable[Finding] = ()) -> str:
    """Render a report in the official layout as HTML.

    Args:
        report: The report.
        standalone: A whole page (with ``<head>``, print CSS); ``False`` for a ``<div>``
            fragment to embed (include :data:`CSS` yourself).
        findings: Checker findings to mark on the cells they name; they are also listed,
            with links to their cells, at the top of the page (visible in print too), with
            the report's unread cells.
    """
    findings = list(findings)
    marks: dict[str, list[Finding]] = {}
    for finding in findings:
        if not finding.assessable and finding.unread:
            continue  # not assessed: the unread cells are marked themselves
        for address in finding.addresses:
            marks.setdefault(address.removeprefix("previous:"), []).append(finding)
    t2, t3, t4 = tables(report)
    title = f"{report.agency.name}{report.year}年政府信息公开工作年度报告"
    body = [
        f'<div class="gd-report" data-edition="{report.format}">',
        f"<h1>{escape(title)}</h1>",
        _findings_list(findings, report.unread),
        "<h2>一、总体情况</h2>",
        _paragraphs(report.overview),
        f"<h2>{escape(t2.heading)}</h2>",
        _table(t2, marks),
        f"<h2>{escape(t3.heading)}</h2>",
        _table(t3, marks),
        f"<h2>{escape(t4.heading)}</h2>",
        _table(t4, marks),
        "<h2>五、存在的主要问题及改进情况</h2>",
        _paragraphs(report.problems_and_improvements),
        "<h2>六、其他需要报告的事项</h2>",
        _paragraphs(report.other_matters),
        "</div>",
    ]
    fragment = "\n".join(body)
    if not standalone:
        return fragment
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"{fragment}\n</body>\n</html>\n"
    )
