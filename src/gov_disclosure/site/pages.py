"""The site's HTML: one page shell (CSS, script, Content-Security-Policy) and the tables.

Every page is self-contained: one inline ``<style>`` and at most one inline ``<script>``,
both allowed by their SHA-256 hashes in a ``Content-Security-Policy`` that forbids
everything else (no network, no other script, no plugins, no forms, no ``<base>``). Charts
are ``data:`` images. Every text from a report (names, prose, file names) is escaped.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from gov_disclosure.rendering.comparison import DIFF_CSS
from gov_disclosure.rendering.html import CSS

__all__ = ["PAGE_ROWS", "Column", "page", "table_pages"]

PAGE_ROWS = 2000
"""Rows of a long table per page (the index and the findings): each page stays light."""

SITE_CSS = """
body { font-family: "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;
  margin: 0 1.5em 2em; color: #222; }
nav.gd-nav { padding: 0.6em 0; border-bottom: 1px solid #ccc; margin-bottom: 1em; }
nav.gd-nav a { margin-right: 1.2em; }
table.gd-sortable, table.gd-data, table.gd-list { border-collapse: collapse; font-size: 0.9em; }
table.gd-sortable th, table.gd-sortable td, table.gd-data th, table.gd-data td {
  border: 1px solid #bbb; padding: 0.15em 0.4em; }
table.gd-sortable th { background: #f0f0f0; cursor: pointer; position: sticky; top: 0; }
table.gd-sortable th[aria-sort="ascending"]::after { content: " ▲"; }
table.gd-sortable th[aria-sort="descending"]::after { content: " ▼"; }
td.gd-n { text-align: right; font-variant-numeric: tabular-nums; }
tr.gd-bad td.gd-verdict { color: #a00; font-weight: bold; }
.gd-filters { margin: 0.5em 0 1em; } .gd-filters label { margin-right: 1em; }
.gd-charts { display: flex; flex-wrap: wrap; gap: 1.5em; }
figure.gd-chart { margin: 0; max-width: 100%; }
figure.gd-chart img { max-width: 100%; height: auto; border: 1px solid #eee; }
figure.gd-chart figcaption { font-weight: bold; margin: 0.3em 0; }
span[lang="en"] { color: #555; }
.gd-pages a, .gd-pages strong { margin-right: 0.6em; }
"""

SCRIPT = """(function () {
  var table = document.querySelector("table.gd-sortable");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById("gd-filter-text");
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  var count = document.getElementById("gd-count");
  function apply() {
    var query = text ? text.value.trim().toLowerCase() : "";
    var shown = 0;
    rows.forEach(function (row) {
      var keep = !query || row.textContent.toLowerCase().indexOf(query) >= 0;
      selects.forEach(function (select) {
        var name = "data-" + select.getAttribute("data-filter");
        if (select.value && row.getAttribute(name) !== select.value) { keep = false; }
      });
      row.hidden = !keep;
      if (keep) { shown += 1; }
    });
    if (count) { count.textContent = String(shown); }
  }
  if (text) { text.addEventListener("input", apply); }
  selects.forEach(function (select) { select.addEventListener("change", apply); });
  function key(row, index) {
    var cell = row.cells[index];
    var value = cell.getAttribute("data-sort");
    if (value === null) { value = cell.textContent; }
    var number = parseFloat(value);
    return isNaN(number) ? value : number;
  }
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  heads.forEach(function (head, index) {
    head.tabIndex = 0;
    function sort() {
      var ascending = head.getAttribute("aria-sort") !== "ascending";
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      head.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = key(a, index), y = key(b, index);
        if (typeof x !== typeof y) { x = typeof x === "number" ? -Infinity : 0; y = 0; }
        return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
      });
      rows.forEach(function (row) { body.appendChild(row); });
    }
    head.addEventListener("click", sort);
    head.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { sort(); }
    });
  });
})();
"""

STYLE = CSS + DIFF_CSS + SITE_CSS


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@functools.cache
def policy(script: bool) -> str:
    """The Content-Security-Policy of a page: only its own inline style and script."""
    scripts = _hash(SCRIPT) if script else "'none'"
    return (
        "default-src 'none'; img-src data:; "
        f"style-src {_hash(STYLE)}; script-src {scripts}; "
        "base-uri 'none'; form-action 'none'; object-src 'none'"
    )


def page(title: str, body: str, *, depth: int, script: bool = False) -> str:
    """A whole page: the shell around ``body`` (``depth``: folders below the site's root)."""
    up = "../" * depth
    nav = (
        f'<nav class="gd-nav"><a href="{up}index.html">报告 Reports</a>'
        f'<a href="{up}overview.html">概览 Overview</a>'
        f'<a href="{up}findings.html">核验结果 Findings</a>'
        f'<a href="{up}data.html">数据下载 Data</a></nav>'
    )
    tail = f"<script>{SCRIPT}</script>\n" if script else ""
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy(script)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"{nav}\n{body}\n{tail}</body>\n</html>\n"
    )


class Column:
    """A column of a sortable table.

    Args:
        zh: The Chinese heading.
        en: The English heading.
        numeric: Right-aligned, sorted as a number.
    """

    def __init__(self, zh: str, en: str, *, numeric: bool = False) -> None:
        self.zh, self.en, self.numeric = zh, en, numeric

    def head(self) -> str:
        """The ``<th>``."""
        return f'<th scope="col">{escape(self.zh)}<br><span lang="en">{escape(self.en)}</span></th>'


def cell(value: Any, *, link: str | None = None, numeric: bool = False) -> str:
    """A ``<td>``: ``None`` as an empty cell sorted last, numbers right-aligned."""
    if value is None:
        return '<td data-sort=""></td>'
    text = f"{value:.4f}" if isinstance(value, float) else str(value)
    shown = f'<a href="{escape(link)}">{escape(text)}</a>' if link else escape(text)
    return f'<td class="gd-n">{shown}</td>' if numeric else f"<td>{shown}</td>"


def _filters(filters: dict[str, tuple[str, Sequence[str]]], shown: int) -> str:
    parts = [
        '<div class="gd-filters"><label>筛选 Filter <input id="gd-filter-text" type="search" '
        'placeholder="机关、规则… agency, rule…"></label>'
    ]
    for name, (label, options) in filters.items():
        choices = "".join(f'<option value="{escape(o)}">{escape(o)}</option>' for o in options)
        parts.append(
            f'<label>{escape(label)} <select data-filter="{escape(name)}">'
            f'<option value="">全部 all</option>{choices}</select></label>'
        )
    parts.append(f'<span>显示 shown: <output id="gd-count">{shown}</output></span></div>')
    return "".join(parts)


def table_pages(
    name: str,
    heading: str,
    columns: Sequence[Column],
    rows: Iterable[tuple[dict[str, str], str]],
    *,
    filters: dict[str, tuple[str, Sequence[str]]],
    intro: str = "",
) -> Iterable[tuple[str, str]]:
    """The pages of a long sortable table: ``(file name, html)``, ``PAGE_ROWS`` rows each.

    Args:
        name: The first page's file stem (``index`` gives ``index.html``, ``index-2.html``…).
        heading: The pages' ``<h1>``.
        columns: The columns.
        rows: ``(data attributes, "<td>…</td>…")`` per row; the attributes are what the
            filters select on.
        filters: Attribute name -> (label, choices) for the filter menus.
        intro: HTML placed under the heading of every page.
    """
    head = "<thead><tr>" + "".join(c.head() for c in columns) + "</tr></thead>"
    chunks: list[list[str]] = []
    current: list[str] = []
    total = 0
    for attributes, cells in rows:
        attrs = "".join(f' data-{k}="{escape(v)}"' for k, v in attributes.items())
        current.append(f"<tr{attrs}>{cells}</tr>")
        total += 1
        if len(current) == PAGE_ROWS:
            chunks.append(current)
            current = []
    if current or not chunks:
        chunks.append(current)
    files = [f"{name}.html" if i == 0 else f"{name}-{i + 1}.html" for i in range(len(chunks))]
    for index, chunk in enumerate(chunks):
        pager = ""
        if len(chunks) > 1:
            links = " ".join(
                f"<strong>{i + 1}</strong>" if i == index else f'<a href="{f}">{i + 1}</a>'
                for i, f in enumerate(files)
            )
            pager = f'<p class="gd-pages">第 page {links}（共 {total} 行 rows）</p>'
        body = (
            f"<h1>{escape(heading)}</h1>{intro}{_filters(filters, len(chunk))}{pager}"
            f'<table class="gd-sortable">{head}<tbody>{"".join(chunk)}</tbody></table>{pager}'
        )
        yield files[index], page(heading, body, depth=0, script=True)
