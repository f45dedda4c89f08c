"""Building the site: two streamed passes over the reports, then the corpus pages.

1. **Reports** (in the batch pool, or on a Dask cluster): each input is loaded (or parsed),
   checked, and saved as ``reports/<id>.json``; the worker returns a small summary (agency,
   year, verdict, counts, indicators) and the report's rows for the dataset tables, which the
   main process appends to the files as they arrive. No report stays in memory.
2. **Agencies** (in the pool too): each body's reports are loaded again from the saved JSON,
   in year order, and checked against the year before (the cross-year rules); the worker
   writes each report's page, the diff page of each pair of consecutive years and the
   agency's page with its trend charts.
3. **Corpus pages** (main process, from the summaries): the index, the overview charts, the
   findings and the data page.

File names inside the site are derived from hashes (of the source's name, of the agency's
name), never from the names themselves: a hostile name cannot reach outside the folder.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any, cast

import attrs

from gov_disclosure.columns import CELL_COLUMNS, FINDING_COLUMNS, METRIC_COLUMNS
from gov_disclosure.export import cell_rows, finding_rows, metric_row, open_workbook, write_csv
from gov_disclosure.indicators import INDICATORS
from gov_disclosure.model.unread import UNREAD_REASONS
from gov_disclosure.site import charts
from gov_disclosure.site.pages import Column, cell, page, table_pages
from gov_disclosure.sources import Source, iter_sources, load_any, source_name

__all__ = ["SiteSummary", "agency_id", "build", "report_id"]

_SEVERITIES = ("error", "inconsistency", "warning", "info")
_LEVELS = {
    "national": "国家级",
    "provincial": "省级",
    "prefectural": "市级",
    "county": "县级",
    "township": "乡镇级",
    None: "未注明",
}
_KINDS = {"government": "政府", "department": "部门", None: "未注明"}
# the main figures of a report: (key, address, Chinese, English)
_FIGURES = (
    ("new_requests", "requests.new_received.total", "新收申请", "new requests"),
    ("concluded", "requests.outcomes.total.total", "办结", "concluded"),
    ("reviews", "review_litigation.administrative_review.total", "行政复议", "reviews"),
    ("lawsuits", "review_litigation.litigation_direct.total", "直接起诉", "lawsuits"),
)
_RATES = {i.name: i for i in INDICATORS}
_TREND_RATES = ("disclosure_rate", "requests_concluded_share", "review_correction_rate")
_RATE_NAMES = {
    "disclosure_rate": ("实质公开率", "disclosure rate"),
    "withheld_rate": ("不予公开率", "withheld rate"),
    "unable_rate": ("无法提供率", "unable rate"),
    "not_processed_rate": ("不予处理率", "not processed rate"),
    "review_correction_rate": ("复议纠错率", "review correction rate"),
    "litigation_loss_rate": ("诉讼败诉率", "litigation loss rate"),
    "requests_concluded_share": ("办结率", "concluded share"),
}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def report_id(name: str) -> str:
    """The file stem of a report's pages, from the name of its source."""
    return "r" + _digest(name)


def agency_id(name: str) -> str:
    """The file stem of an agency's page, from the agency's name."""
    return "a" + _digest(name.strip())


@attrs.frozen
class SiteSummary:
    """What :func:`build` wrote.

    Attributes:
        folder: The site's folder.
        reports: Reports on the site.
        agencies: Agencies (one page each).
        failed: One message per input that could not be read (with its location).
        unreadable: How many of those could not be read at all (missing, not a report file).
        files: Files written.
        size: Their total size in bytes.
        seconds: Wall time of the build.
    """

    folder: str
    reports: int
    agencies: int
    failed: tuple[str, ...]
    unreadable: int
    files: int
    size: int
    seconds: float

    def describe(self) -> str:
        """One line for a summary."""
        return (
            f"Site {self.folder}: {self.reports} report(s), {self.agencies} agencies, "
            f"{len(self.failed)} failed; {self.files} files, {self.size / 1e6:.1f} MB in "
            f"{self.seconds:.1f} s"
        )


def _write(path: Path, text: str) -> None:
    # a file name that is not UTF-8 (lone surrogates) as an escape, as every output writes it
    path.write_text(text, encoding="utf-8", errors="backslashreplace")


# ---------------------------------------------------------------- pass 1: reports


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def first_pass(
    out: str, source: Source
) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    """Load (or parse) one input, check it, save its JSON.

    Returns:
        Its summary, its dataset rows encoded (:func:`encode`), its findings' rows and its
        metrics row (for the findings page and the workbook).
    """
    from gov_disclosure.indicators import metrics
    from gov_disclosure.model.addressing import get_cell
    from gov_disclosure.rules import check
    from gov_disclosure.serialization import dumps

    report = load_any(source)
    name = source_name(source)
    rid = report_id(name)
    result = check(report)
    Path(out, "reports", f"{rid}.json").write_text(dumps(report), encoding="utf-8")
    unread_reasons = Counter(report.unread.values())
    figures = {}
    for key, address, _, _ in _FIGURES:
        try:
            value = get_cell(report, address)
        except KeyError:
            value = None
        figures[key] = None if address in report.unread or value is None else int(value)
    summary = {
        "id": rid,
        "file": name,
        "agency": report.agency.name,
        "agency_id": agency_id(report.agency.name),
        "level": report.agency.level,
        "kind": report.agency.kind,
        "year": report.year,
        "edition": report.format,
        "ok": result.ok,
        "verdict": result.verdict,
        "counts": result.counts,
        "unread": len(report.unread),
        "unread_reasons": dict(unread_reasons),
        "ocr": len(report.ocr),
        "rules": sorted({f.rule for f in result.findings if f.severity != "info"}),
        "rates": {k: _float(v) for k, v in metrics(report).values.items()},
        "figures": figures,
    }
    cells = list(cell_rows(report, file=name))
    findings = list(finding_rows(report, result.findings, file=name))
    metrics_row = metric_row(report, file=name)
    encoded = encode({"cells": cells, "findings": findings, "metrics": [metrics_row]})
    return summary, encoded, findings, metrics_row


# ---------------------------------------------------------------- pass 2: agencies


def _report_page(
    report: Any,
    summary: dict[str, Any],
    findings: Sequence[Any],
    previous: dict[str, Any] | None,
) -> str:
    from gov_disclosure.rendering.html import to_html

    links = [f'<a href="../agencies/{summary["agency_id"]}.html">本机关各年度 All years</a>']
    if previous is not None:
        links.append(
            f'<a href="../diffs/{previous["id"]}--{summary["id"]}.html">'
            f"与{previous['year']}年对比 Diff with {previous['year']}</a>"
        )
    else:
        links.append("<span>无上一年度报告 No previous year on the site</span>")
    links.append(f'<a href="{summary["id"]}.json" download>JSON</a>')
    head = (
        f'<p class="gd-links">{" · ".join(links)}</p>'
        f"<p>来源 Source: <code>{escape(summary['file'])}</code> · "
        f"结论 Verdict: <strong>{escape(summary['verdict'])}</strong></p>"
    )
    body = head + to_html(report, standalone=False, findings=findings)
    title = f"{report.agency.name} {report.year}"
    return page(title, body, depth=1)


def _trend_figures(years: list[dict[str, Any]]) -> str:
    """The indicators over the years, as one chart (the counts are in the table above)."""
    rates = [
        {"year": str(s["year"]), "indicator": _RATE_NAMES[k][0], "value": s["rates"][k]}
        for s in years
        for k in _TREND_RATES
        if s["rates"].get(k) is not None
    ]
    out = []
    if len({r["year"] for r in rates}) > 1:  # a trend needs two years
        spec = charts.line_chart(
            "主要指标趋势",
            rates,
            x=("year", "年度"),
            y=("value", "比率"),
            color=("indicator", "指标"),
        )
        rows = [(r["year"], r["indicator"], r["value"]) for r in rates]
        columns = [("年度", "year"), ("指标", "indicator"), ("比率", "ratio")]
        out.append(charts.figure(spec, english="Indicators by year", columns=columns, rows=rows))
    return f'<div class="gd-charts">{"".join(out)}</div>' if out else ""


def agency_pass(
    out: str, group: tuple[str, list[dict[str, Any]]]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Write one agency's report pages, diff pages and agency page.

    Returns:
        The cross-year findings as rows of the findings table: encoded, and as they are.
    """
    from gov_disclosure.comparison import diff
    from gov_disclosure.rendering.comparison import diff_to_html
    from gov_disclosure.rules import check
    from gov_disclosure.serialization.documents import read_document

    _, years = group
    root = Path(out)
    by_year: dict[int, dict[str, Any]] = {}
    cross_rows: list[dict[str, Any]] = []
    similarity_rows: list[str] = []
    cross_items: list[str] = []
    loaded: dict[int, Any] = {}  # year -> report: last year's is all the next one needs
    for summary in years:  # in year order; of two reports for one year, the later wins
        report = read_document(str(root / "reports" / f"{summary['id']}.json"))
        previous = by_year.get(summary["year"] - 1)
        prior = loaded.get(summary["year"] - 1)
        findings = list(check(report).findings)
        changes = diff(prior, report) if prior is not None else None
        if changes is not None:  # its findings are the cross-year rules' (checked once)
            findings += changes.findings
        page_html = _report_page(report, summary, findings, previous)
        _write(root / "reports" / f"{summary['id']}.html", page_html)
        if changes is not None and previous is not None:
            # the lists only: both reports have their own pages, linked from here
            body = diff_to_html(
                changes,
                standalone=False,
                side_by_side=False,
                new_page=f"../reports/{summary['id']}.html",  # the cells the findings name
            )
            links = (
                f'<p class="gd-links"><a href="../reports/{previous["id"]}.html">'
                f'{previous["year"]}年报告 report</a> · <a href="../reports/{summary["id"]}.html">'
                f'{report.year}年报告 report</a> · <a href="../agencies/{summary["agency_id"]}'
                '.html">本机关各年度 All years</a></p>'
            )
            body = links + body
            title = f"{report.agency.name} {previous['year']} → {report.year}"
            _write(
                root / "diffs" / f"{previous['id']}--{summary['id']}.html",
                page(title, body, depth=1),
            )
            for section in changes.sections:
                score = "—" if section.similarity is None else f"{section.similarity:.2f}"
                similarity_rows.append(
                    f"<tr><td>{previous['year']} → {report.year}</td>"
                    f"<td>{escape(section.heading)}</td><td class='gd-n'>{score}</td></tr>"
                )
            cross = list(changes.findings)
            cross_rows.extend(finding_rows(report, cross, file=summary["file"]))
            for f in cross:
                cross_items.append(
                    f"<li>[{escape(f.severity)}] {report.year} <code>{escape(f.rule)}</code> "
                    f'{escape(f.message["zh"])}<br><span lang="en">{escape(f.message["en"])}'
                    "</span></li>"
                )
        by_year[summary["year"]] = summary
        loaded = {y: r for y, r in loaded.items() if y >= summary["year"] - 1}
        loaded[summary["year"]] = report
    _write(
        root / "agencies" / f"{years[0]['agency_id']}.html",
        _agency_page(years, list(by_year.values()), similarity_rows, cross_items),
    )
    return encode({"findings": cross_rows}), cross_rows


def _agency_page(
    years: list[dict[str, Any]],
    latest: list[dict[str, Any]],
    similarity: list[str],
    cross: list[str],
) -> str:
    """An agency's page: every report; trends from one report a year (the last listed)."""
    name = years[0]["agency"]
    columns = [Column("年度", "year", numeric=True), Column("来源", "source")]
    columns += [Column("版本", "edition")]
    columns += [Column("结论", "verdict")]
    columns += [Column(zh, en, numeric=True) for _, _, zh, en in _FIGURES]
    columns += [Column(*_RATE_NAMES[k], numeric=True) for k in _TREND_RATES]
    head = "".join(c.head() for c in columns)
    rows = []
    for s in years:
        cells = [
            cell(s["year"], link=f"../reports/{s['id']}.html", numeric=True),
            cell(Path(s["file"]).name),
            cell(s["edition"]),
            cell(s["verdict"]),
            *(cell(s["figures"][key], numeric=True) for key, *_ in _FIGURES),
            *(cell(s["rates"].get(k), numeric=True) for k in _TREND_RATES),
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    body = [
        f"<h1>{escape(name)}</h1>",
        f"<table class='gd-data'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody>"
        "</table>",
        "<h2>趋势 Trends</h2>",
        _trend_figures(latest) or "<p>无可计算的指标 No indicator could be computed.</p>",
        "<h2>跨年度核验 Cross-year findings</h2>",
        f"<ol>{''.join(cross)}</ol>" if cross else "<p>无 None (or no consecutive years).</p>",
        "<h2>相邻年度文字相似度 Text similarity of consecutive years</h2>",
        (
            "<table class='gd-data'><tr><th>年度 Years</th><th>部分 Part</th>"
            f"<th>相似度 Similarity</th></tr>{''.join(similarity)}</table>"
            if similarity
            else "<p>无相邻年度 No consecutive years on the site.</p>"
        ),
    ]
    return page(name, "\n".join(body), depth=1)


# ---------------------------------------------------------------- corpus pages


def _index_rows(summaries: Iterable[dict[str, Any]]) -> Iterator[tuple[dict[str, str], str]]:
    for s in summaries:
        attributes = {
            "verdict": "ok" if s["ok"] else "not ok",
            "edition": s["edition"],
            "level": _LEVELS.get(s["level"], "未注明"),
            "year": str(s["year"]),
        }
        cells = [
            cell(s["agency"], link=f"reports/{s['id']}.html"),
            cell(_LEVELS.get(s["level"], "未注明")),
            cell(_KINDS.get(s["kind"], "未注明")),
            cell(s["year"], numeric=True),
            cell(s["edition"]),
            f'<td class="gd-verdict">{escape(s["verdict"])}</td>',
            *(cell(s["counts"][sev], numeric=True) for sev in _SEVERITIES),
            cell(s["unread"], numeric=True),
            *(cell(s["figures"][key], numeric=True) for key, *_ in _FIGURES),
            cell(s["rates"].get("disclosure_rate"), numeric=True),
            cell("各年度 years", link=f"agencies/{s['agency_id']}.html"),
        ]
        yield attributes, "".join(cells)


_INDEX_COLUMNS = [
    Column("机关", "agency"),
    Column("层级", "level"),
    Column("类型", "kind"),
    Column("年度", "year", numeric=True),
    Column("版本", "edition"),
    Column("结论", "verdict"),
    Column("错误", "errors", numeric=True),
    Column("不一致", "inconsistencies", numeric=True),
    Column("警告", "warnings", numeric=True),
    Column("提示", "info", numeric=True),
    Column("未识别", "unread", numeric=True),
    *(Column(zh, en, numeric=True) for _, _, zh, en in _FIGURES),
    Column("实质公开率", "disclosure rate", numeric=True),
    Column("机关页", "agency page"),
]


def _finding_page_rows(spool: Path, ids: dict[str, str]) -> Iterator[tuple[dict[str, str], str]]:
    with spool.open(encoding="utf-8") as lines:
        for line in lines:
            f = json.loads(line)
            rid = ids.get(f["file"])
            link = f"reports/{rid}.html" if rid else None
            cells = [
                cell(f["agency"], link=link),
                cell(f["year"], numeric=True),
                cell(f["rule"]),
                cell(f["severity"]),
                cell(f["address"]),
                cell(f["message_zh"]),
            ]
            yield {"rule": f["rule"], "severity": f["severity"]}, "".join(cells)


def _overview(summaries: list[dict[str, Any]], rule_counts: Counter[str]) -> str:
    figures = []
    by_year = Counter((str(s["year"]), s["edition"]) for s in summaries)
    values = [{"year": y, "edition": e, "n": n} for (y, e), n in sorted(by_year.items())]
    figures.append(
        charts.figure(
            charts.bar_chart(
                "各年度报告数",
                values,
                x=("year", "年度"),
                y=("n", "报告数"),
                color=("edition", "模板版本"),
            ),
            english="Reports by year and template edition",
            columns=[("年度", "year"), ("版本", "edition"), ("报告数", "reports")],
            rows=[(v["year"], v["edition"], v["n"]) for v in values],
        )
    )
    verdicts = Counter(
        ("通过" if s["ok"] else "未通过") + ("，有未识别单元格" if s["unread"] else "")
        for s in summaries
    )
    values = [{"verdict": k, "n": n} for k, n in sorted(verdicts.items())]
    figures.append(
        charts.figure(
            charts.bar_chart("核验结论", values, x=("verdict", "结论"), y=("n", "报告数")),
            english="Verdicts (ok / not ok, with or without unread cells)",
            columns=[("结论", "verdict"), ("报告数", "reports")],
            rows=[(v["verdict"], v["n"]) for v in values],
        )
    )
    top = rule_counts.most_common(15)
    if top:
        values = [{"rule": r, "n": n} for r, n in top]
        figures.append(
            charts.figure(
                charts.bar_chart(
                    "最常违反的规则", values, x=("rule", "规则"), y=("n", "报告数"), horizontal=True
                ),
                english="Rules most often broken (reports with a warning or worse)",
                columns=[("规则", "rule"), ("报告数", "reports")],
                rows=[(v["rule"], v["n"]) for v in values],
            )
        )
    reasons: Counter[str] = Counter()
    for s in summaries:
        reasons.update(s["unread_reasons"])
    if reasons:
        values = [
            {"reason": f"{UNREAD_REASONS.get(r, (r, r))[0]} ({r})", "n": n}
            for r, n in reasons.most_common()
        ]
        figures.append(
            charts.figure(
                charts.bar_chart(
                    "未识别单元格（按原因）",
                    values,
                    x=("reason", "原因"),
                    y=("n", "单元格数"),
                    horizontal=True,
                ),
                english="Unread cells by reason",
                columns=[("原因", "reason"), ("单元格数", "cells")],
                rows=[(v["reason"], v["n"]) for v in values],
            )
        )
    for name in ("disclosure_rate", "review_correction_rate", "litigation_loss_rate"):
        zh, en = _RATE_NAMES[name]
        points = [
            {"value": s["rates"][name], "level": _LEVELS.get(s["level"], "未注明")}
            for s in summaries
            if s["rates"].get(name) is not None
        ]
        if not points:
            continue
        # binned here: the chart gets a few dozen bars, never one point per report
        bins: Counter[tuple[str, str]] = Counter()
        groups: dict[str, list[float]] = defaultdict(list)
        for p in points:
            bins[(_bin(p["value"]), p["level"])] += 1
            groups[p["level"]].append(p["value"])
        # every bin on the axis, in order, empty ones too: a histogram shows its gaps
        edges = [f"{i / 20:.2f}" for i in range(20)] + ["≥1"]
        first = min(groups)
        values = [
            {"bin": b, "level": lv, "n": bins[(b, lv)]}
            for b in edges
            for lv in sorted(groups)
            if bins[(b, lv)] or lv == first
        ]
        stats = [("全部 all", [p["value"] for p in points]), *sorted(groups.items())]
        figures.append(
            charts.figure(
                charts.bar_chart(
                    f"{zh}分布（按层级）",
                    values,
                    x=("bin", f"{zh}（区间下限，宽0.05）"),
                    y=("n", "报告数"),
                    color=("level", "层级"),
                ),
                english=f"Distribution of the {en}, by administrative level "
                f"({len(points)} reports)",
                columns=[
                    ("层级", "level"),
                    ("报告数", "n"),
                    ("下四分位", "Q1"),
                    ("中位数", "median"),
                    ("上四分位", "Q3"),
                ],
                rows=[(g, len(v), *_quartiles(v)) for g, v in stats],
            )
        )
    body = (
        f"<h1>概览 Overview</h1><p>{len(summaries)} 份报告 reports · "
        f"{len({s['agency_id'] for s in summaries})} 个机关 agencies</p>"
        f'<div class="gd-charts">{"".join(figures)}</div>'
    )
    return page("概览 Overview", body, depth=0)


def _bin(value: float) -> str:
    """The 0.05-wide bin of a rate, by its lower edge (a rate of 1 or more: "≥1")."""
    return "≥1" if value >= 1 else f"{int(value * 20) / 20:.2f}"


def _quartiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, median, q3 = statistics.quantiles(values, n=4)
    return q1, median, q3


def _data_page(files: list[tuple[str, str]]) -> str:
    items = "".join(
        f'<li><a href="data/{escape(name)}" download>{escape(name)}</a> — {escape(what)}</li>'
        for name, what in files
    )
    body = (
        "<h1>数据下载 Data</h1>"
        f"<ul>{items}</ul><p>每份报告的 JSON 在其页面上 (the JSON of each report is linked from "
        "its page). 列的含义见文档 (the columns are described in docs/export.md).</p>"
    )
    return page("数据下载 Data", body, depth=0)


# ---------------------------------------------------------------- the build


_TABLES = {"cells": CELL_COLUMNS, "findings": FINDING_COLUMNS, "metrics": METRIC_COLUMNS}


@functools.cache
def _parquet() -> bool:
    from gov_disclosure.optional import available

    return available("pyarrow")


def encode(tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Rows of the tidy tables encoded where they are made (a worker).

    The CSV text, and a typed Arrow batch for Parquet when pyarrow is installed: the main
    process only appends them to the files.
    """
    encoded: dict[str, Any] = {}
    for table, rows in tables.items():
        buffer = io.StringIO()
        write_csv(rows, buffer, _TABLES[table], header=False)
        encoded[f"{table}.csv"] = buffer.getvalue()
        if _parquet():
            from gov_disclosure.parquet import record_batch

            encoded[f"{table}.parquet"] = record_batch(table, rows)
    return encoded


class _Dataset:
    """The dataset files of the site: CSV always, Parquet and XLSX with their extras."""

    def __init__(self, folder: Path, stack: contextlib.ExitStack) -> None:
        from gov_disclosure.atomic import atomic_open, atomic_open_binary
        from gov_disclosure.optional import available

        self.files = [
            ("cells.csv", "每个单元格一行 one row per cell"),
            ("findings.csv", "每个核验结果一行 one row per finding"),
            ("metrics.csv", "每份报告一行指标 one row of indicators per report"),
        ]
        self.text: dict[str, Any] = {}
        for table, columns in _TABLES.items():
            handle = stack.enter_context(atomic_open(folder / f"{table}.csv"))
            write_csv([], handle, columns)  # the header
            self.text[f"{table}.csv"] = handle
        self.parquet: dict[str, Any] = {}
        if _parquet():
            from gov_disclosure.parquet import ParquetTable

            for table in _TABLES:
                binary = stack.enter_context(atomic_open_binary(folder / f"{table}.parquet"))
                self.parquet[f"{table}.parquet"] = ParquetTable(binary, table)
                self.files.append((f"{table}.parquet", f"{table}: Parquet, typed columns"))
        self.book: Any = None
        if available("openpyxl"):
            # the cells of a large corpus exceed a sheet's 1,048,576 rows: they stay CSV/Parquet
            self.book = stack.enter_context(
                open_workbook(str(folder / "dataset.xlsx"), ("findings", "metrics"))
            )
            self.files.append(("dataset.xlsx", "Excel: findings and metrics sheets"))

    def add(
        self, encoded: dict[str, Any], findings: list[dict[str, Any]], metrics: list[Any]
    ) -> None:
        for name, value in encoded.items():
            if name in self.text:
                self.text[name].write(value)
            elif name in self.parquet:
                self.parquet[name].append(value)
        if self.book is not None:
            self.book["findings"].write(findings)
            self.book["metrics"].write(metrics)

    def close(self) -> None:
        for table in self.parquet.values():
            table.close()
        if self.book is not None:
            self.book.close()


def build(
    inputs: Iterable[str],
    out: str,
    *,
    parse: bool = False,
    jobs: int | None = None,
    executor: Executor | None = None,
    progress: Callable[[str], None] | None = None,
    retries: list[Any] | None = None,
) -> SiteSummary:
    """Build the static site of a corpus of reports into the folder ``out``.

    Args:
        inputs: Report documents (JSON, XML, JSON Lines) and folders of JSON and XML
            documents; published reports too (and in folders) when ``parse`` is true. JSON
            Lines files are read when named, never found in folders, where they may be
            earlier exports or a ``parse -o`` run's manifest.
        out: The site's folder (created; existing site files in it are replaced).
        parse: Take published reports (PDF, Word, HTML, text...) from folders and parse them.
        jobs: Worker processes (all cores by default).
        executor: Run the work elsewhere, e.g. on a Dask cluster (see
            :func:`gov_disclosure.batch.run_parallel`).
        progress: Called with each input's name as it is done.
        retries: Receives the work a distributed engine ran again (see ``run_parallel``).

    Returns:
        What was written (:class:`SiteSummary`); inputs that could not be read are listed
        in ``failed`` and left out of the site.
    """
    from gov_disclosure.batch import collect_files, run_parallel
    from gov_disclosure.sources import DOCUMENT_SUFFIXES, PUBLISHED_SUFFIXES

    start = time.perf_counter()
    root = Path(out)
    for folder in ("reports", "agencies", "diffs", "data"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    suffixes = DOCUMENT_SUFFIXES + (PUBLISHED_SUFFIXES if parse else ())
    errors: list[str] = []
    files = collect_files(inputs, suffixes, errors=errors)
    summaries: list[dict[str, Any]] = []
    failed: list[str] = list(errors)
    unreadable = len(errors)
    rule_counts: Counter[str] = Counter()
    with contextlib.ExitStack() as stack:
        dataset = _Dataset(root / "data", stack)
        spool_handle, spool_name = tempfile.mkstemp(prefix=".findings.", dir=root)
        spool = Path(spool_name)
        stack.callback(lambda: spool.unlink(missing_ok=True))
        writer = stack.enter_context(
            os.fdopen(spool_handle, "w", encoding="utf-8", errors="backslashreplace")
        )
        results = stack.enter_context(
            contextlib.closing(
                run_parallel(
                    functools.partial(first_pass, str(root)),
                    iter_sources(files, by_reference=True),
                    jobs=jobs,
                    executor=executor,
                    progress=progress,
                    retries=retries,
                )
            )
        )
        for item in results:
            if item.error is not None:
                failed.append(item.error)
                unreadable += item.unreadable
                continue
            summary, encoded, findings_rows, metrics_row = item.value
            summaries.append(summary)
            rule_counts.update(summary["rules"])
            dataset.add(encoded, findings_rows, [metrics_row])
            for row in findings_rows:
                writer.write(json.dumps(row, ensure_ascii=False) + "\n")
        summaries.sort(key=lambda s: (s["agency"], s["year"], s["file"]))
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for s in summaries:
            groups[s["agency_id"]].append(s)
        agency_results = stack.enter_context(
            contextlib.closing(
                run_parallel(
                    functools.partial(agency_pass, str(root)),
                    cast(list[Source], list(groups.items())),  # named by agency id
                    jobs=jobs,
                    executor=executor,
                )
            )
        )
        for item in agency_results:
            if item.error is not None:
                failed.append(item.error)
                continue
            encoded, cross_rows = item.value
            dataset.add(encoded, cross_rows, [])
            for row in cross_rows:
                writer.write(json.dumps(row, ensure_ascii=False) + "\n")
        writer.flush()
        ids = {s["file"]: s["id"] for s in summaries}
        _write_corpus_pages(root, summaries, rule_counts, spool, ids, dataset.files)
        dataset.close()
    files_written = size = 0
    for folder, _, names in os.walk(root):
        for name in names:
            files_written += 1
            size += os.path.getsize(os.path.join(folder, name))
    return SiteSummary(
        folder=str(root),
        reports=len(summaries),
        agencies=len(groups),
        failed=tuple(failed),
        unreadable=unreadable,
        files=files_written,
        size=size,
        seconds=time.perf_counter() - start,
    )


def _write_corpus_pages(
    root: Path,
    summaries: list[dict[str, Any]],
    rule_counts: Counter[str],
    spool: Path,
    ids: dict[str, str],
    data_files: list[tuple[str, str]],
) -> None:
    options: dict[str, tuple[str, Sequence[str]]] = {
        "verdict": ("结论 verdict", ["ok", "not ok"]),
        "edition": ("版本 edition", sorted({s["edition"] for s in summaries})),
        "level": ("层级 level", sorted({_LEVELS.get(s["level"], "未注明") for s in summaries})),
        "year": ("年度 year", sorted({str(s["year"]) for s in summaries})),
    }
    for name, html in table_pages(
        "index",
        "政府信息公开工作年度报告 Annual reports",
        _INDEX_COLUMNS,
        _index_rows(summaries),
        filters=options,
        intro=f"<p>{len(summaries)} 份报告 reports</p>",
    ):
        _write(root / name, html)
    rules = sorted(rule_counts) or []
    severities = list(_SEVERITIES)
    with spool.open(encoding="utf-8") as lines:
        all_rules = sorted({json.loads(line)["rule"] for line in lines} | set(rules))
    columns = [
        Column("机关", "agency"),
        Column("年度", "year", numeric=True),
        Column("规则", "rule"),
        Column("严重程度", "severity"),
        Column("单元格", "cell"),
        Column("说明", "message"),
    ]
    for name, html in table_pages(
        "findings",
        "核验结果 Findings",
        columns,
        _finding_page_rows(spool, ids),
        filters={"rule": ("规则 rule", all_rules), "severity": ("严重程度 severity", severities)},
    ):
        _write(root / name, html)
    _write(root / "overview.html", _overview(summaries, rule_counts))
    _write(root / "data.html", _data_page(data_files))
