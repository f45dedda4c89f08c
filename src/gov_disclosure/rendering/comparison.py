"""A diff of two reports as one HTML page: the changes listed, the reports side by side.

Changed cells are highlighted (class ``gd-changed``, the old and new values as tooltip) in
both reports' tables; the page also lists every changed cell, the indicators, the text
parts' similarity and the cross-year findings. Print CSS keeps the two columns on paper.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from gov_disclosure.model.report import Report
from gov_disclosure.rendering.html import CSS, _findings_list, _paragraphs, _table
from gov_disclosure.rendering.layout import tables
from gov_disclosure.rules.prose import SECTIONS

if TYPE_CHECKING:
    from gov_disclosure.comparison import CellChange, ReportDiff

__all__ = ["DIFF_CSS", "diff_to_html"]

DIFF_CSS = """
.gd-diff { font-family: "SimSun", "Songti SC", serif; margin: 1em; }
.gd-diff h1 { text-align: center; font-size: 1.3em; }
.gd-diff table.gd-list { border-collapse: collapse; margin: 0.5em 0 1.5em; }
.gd-diff table.gd-list th, .gd-diff table.gd-list td { border: 1px solid #888;
  padding: 0.15em 0.4em; }
.gd-diff td.gd-num { text-align: right; font-variant-numeric: tabular-nums; }
.gd-side-by-side { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5em; }
.gd-side-by-side .gd-report { max-width: none; font-size: 0.8em; }
.gd-report .gd-changed, .gd-diff .gd-changed { background: #cce8ff; outline: 2px solid #0060c0; }
.gd-diff .gd-up { color: #006000; } .gd-diff .gd-down { color: #a00000; }
.gd-redline { line-height: 1.8; white-space: pre-wrap; max-width: 60em; }
.gd-redline .gd-same { background: #ececec; }
.gd-redline del { background: #ffd6d6; color: #900000; text-decoration: line-through; }
.gd-redline ins { background: #d6f5d6; color: #005000; text-decoration: underline; }
@media print { .gd-side-by-side { grid-template-columns: 1fr 1fr; }
  .gd-report .gd-changed { outline: none; } }
"""


def _value(value: Any, status: str) -> str:
    if status == "value":
        return escape(
            ""
            if value is None
            else format(value, "f")
            if not isinstance(value, int)
            else str(value)
        )
    return {"blank": "（空）", "unread": "?", "absent": "—"}[status]


def _delta(value: Any) -> str:
    if value is None:
        return ""
    text = format(value, "f") if not isinstance(value, int) else str(value)
    up = not text.startswith("-") and text.strip("0.") != ""
    cls = "gd-up" if up else "gd-down" if text.startswith("-") else ""
    return f'<span class="{cls}">{escape(text if not up else "+" + text)}</span>'


def _tooltip(change: CellChange) -> str:
    old, new = _value(change.old, change.old_status), _value(change.new, change.new_status)
    return f"{' / '.join(change.labels[1:])}: {old} → {new}"


def _side(report: Report, changed: dict[str, str], side: str) -> str:
    t2, t3, t4 = tables(report)
    title = f"{report.agency.name}{report.year}年"
    return "\n".join(
        [
            f'<div class="gd-report gd-{side}" data-year="{report.year}">',
            f"<h2>{escape(title)}</h2>",
            "<h3>一、总体情况</h3>",
            _paragraphs(report.overview),
            f"<h3>{escape(t2.heading)}</h3>",
            _table(t2, {}, changed, f"{side}-"),
            f"<h3>{escape(t3.heading)}</h3>",
            _table(t3, {}, changed, f"{side}-"),
            f"<h3>{escape(t4.heading)}</h3>",
            _table(t4, {}, changed, f"{side}-"),
            "<h3>五、存在的主要问题及改进情况</h3>",
            _paragraphs(report.problems_and_improvements),
            "<h3>六、其他需要报告的事项</h3>",
            _paragraphs(report.other_matters),
            "</div>",
        ]
    )


def _redlines(old: Report, new: Report) -> str:
    """Each text part as a redline: shared passages shaded, deletions and insertions marked."""
    from gov_disclosure.comparison import redline

    parts = []
    for name, (heading, _) in SECTIONS.items():
        before, after = getattr(old, name), getattr(new, name)
        parts.append(f"<h3>{escape(heading)}</h3>")
        if not before or not after:
            missing = old.year if not before else new.year
            parts.append(f"<p>{missing}年报告无此部分 (not in the {missing} report)</p>")
            continue
        pieces = redline(before, after)
        if pieces is None:
            parts.append("<p>文字过长，未逐字对照 (too long to redline)</p>")
            continue
        tags = {
            "equal": ('<span class="gd-same">', "</span>"),
            "delete": ("<del>", "</del>"),
            "insert": ("<ins>", "</ins>"),
        }
        marked = "".join(f"{tags[op][0]}{escape(text)}{tags[op][1]}" for op, text in pieces)
        parts.append(f'<p class="gd-redline" data-part="{name}">{marked}</p>')
    return "\n".join(parts)


def _both(old: Report, new: Report, changed: dict[str, str]) -> str:
    return (
        f'<div class="gd-side-by-side">\n{_side(old, changed, "old")}\n'
        f"{_side(new, changed, 'new')}\n</div>"
    )


def diff_to_html(
    result: ReportDiff,
    *,
    standalone: bool = True,
    side_by_side: bool = True,
    new_page: str = "",
    redlines: bool = True,
) -> str:
    """An HTML page for a :class:`~gov_disclosure.comparison.ReportDiff`.

    Args:
        result: The diff.
        standalone: A whole page (with ``<head>`` and CSS); ``False`` for a ``<div>``
            fragment to embed (include :data:`~gov_disclosure.rendering.html.CSS` and
            :data:`DIFF_CSS` yourself).
        side_by_side: Show both reports' tables, changed cells highlighted, under the
            lists; ``False`` for the lists alone (where the reports have pages of their own).
        new_page: Without the tables, the URL of the new report's page, which the
            findings' cell links then point into.
        redlines: Show each text part as a word-level redline (``<del>``/``<ins>``,
            shared passages shaded; :func:`gov_disclosure.comparison.redline`).
    """
    old, new = result.old, result.new
    changed = {c.address: _tooltip(c) for c in result.cells}
    rows = "".join(
        f'<tr class="gd-changed-row" data-address="{escape(c.address)}">'
        f"<td>{escape(' / '.join(c.labels[1:]))}</td><td><code>{escape(c.address)}</code></td>"
        f'<td class="gd-num">{_value(c.old, c.old_status)}</td>'
        f'<td class="gd-num">{_value(c.new, c.new_status)}</td>'
        f'<td class="gd-num">{_delta(c.change)}</td></tr>'
        for c in result.cells
    )
    indicators = "".join(
        f"<tr><td>{escape(i.name)}</td>"
        f'<td class="gd-num">{_value(i.old, "value") if i.old is not None else "—"}</td>'
        f'<td class="gd-num">{_value(i.new, "value") if i.new is not None else "—"}</td>'
        f'<td class="gd-num">{_delta(i.change)}</td></tr>'
        for i in result.indicators
    )
    sections = "".join(
        f'<tr><td>{escape(s.heading)}</td><td class="gd-num">'
        f"{'—' if s.similarity is None else f'{s.similarity:.2f}'}</td>"
        f"<td>{escape(s.shared[:80])}{'…' if len(s.shared) > 80 else ''}</td></tr>"
        for s in result.sections
    )
    title = f"{old.agency.name} {old.year} → {new.agency.name} {new.year}"
    redline_html = (
        f'<h2>文字对照 Text redline</h2>\n<div class="gd-redlines">{_redlines(old, new)}</div>'
        if redlines
        else ""
    )
    if result.cross_year:  # the new report's findings: linked into its tables, here or there
        where = ("new-", "") if side_by_side else ("", new_page)
        findings = _findings_list(list(result.findings), {}, *where)
    else:
        findings = (
            "<p>两份报告不是相邻年度，未做跨年度核验 (not consecutive years: no cross-year "
            "rules)</p>"
        )
    body = f"""<div class="gd-diff">
<h1>{escape(title)}</h1>
<h2>单元格变化 Changed cells ({len(result.cells)})</h2>
<table class="gd-list gd-changes"><tr><th>栏目 Cell</th><th>地址 Address</th>
<th>{old.year}</th><th>{new.year}</th><th>变化 Change</th></tr>{rows}</table>
<h2>指标 Indicators</h2>
<table class="gd-list gd-indicators"><tr><th>指标</th><th>{old.year}</th><th>{new.year}</th>
<th>变化 Change</th></tr>{indicators}</table>
<h2>文字部分相似度 Text similarity</h2>
<table class="gd-list gd-sections"><tr><th>部分 Part</th><th>相似度 Similarity</th>
<th>最长相同段落 Longest shared passage</th></tr>{sections}</table>
{redline_html}
{findings}
{_both(old, new, changed) if side_by_side else ""}
</div>"""
    if not standalone:
        return body
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}{DIFF_CSS}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )
