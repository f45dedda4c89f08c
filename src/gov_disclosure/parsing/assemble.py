"""The shared reader: from an input's rows and lines to the report (one pipeline for all kinds).

1. recognise the tables (section headings, row labels);
2. map printed labels to canonical rows (:mod:`gov_disclosure.parsing.labels`);
3. read cells (:mod:`gov_disclosure.parsing.values`), splitting glued digit runs with the
   identities (:mod:`gov_disclosure.parsing.glued`) and placing unlabelled rows by template
   order only where the count fits exactly.

Anything not read is left blank and named in a diagnostic; nothing is guessed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

import attrs

from gov_disclosure.errors import DocumentError, ParseError
from gov_disclosure.model.fields import info
from gov_disclosure.model.report import Agency, Report2019, Report2021, report_class
from gov_disclosure.model.tables import APPLICANT_COLUMNS, ApplicantRow, Outcomes, Requests
from gov_disclosure.model.unread import UNREAD_REASONS
from gov_disclosure.parsing.document import (
    Diagnostic,
    Document,
    Line,
    ParseResult,
    Provenance,
    Row,
    Severity,
)
from gov_disclosure.parsing.glued import (
    RunTooLongError,
    digit_splits,
    row_candidates,
    solve_columns,
    table4_candidates,
)
from gov_disclosure.parsing.labels import (
    RowLabel,
    match_row,
    normalize,
    table2_rows,
    table3_groups,
    table3_rows,
    table4_blocks,
)
from gov_disclosure.parsing.metadata import infer_agency
from gov_disclosure.parsing.values import is_value_text, read_cell
from gov_disclosure.serialization.json_format import from_dict, to_dict

__all__ = ["assemble", "detect_edition"]

_BLOCK_COLUMNS = ("upheld", "corrected", "other", "pending", "total")

_SIGNALS_2019 = (
    "本年新制作数量",
    "上一年项目数量",
    "第二十条第(九)项",
    "采购总金额",
    "本年新公开数量",
)
_SIGNALS_2021 = ("本年制发件数", "现行有效件数", "本年收费金额(单位:万元)", "本年废止件数")
_LEGACY = ("指标名称", "计量单位", "历年累计")

_TITLE_AGENCY_FIRST = re.compile(
    r"(?P<agency>[\u4e00-\u9fff（）()·]{2,40}?)(?P<year>2\d{3})年度?(?:政府信息公开|政务公开)"
    r"(?:工作)?(?:年度)?报告"
)
_TITLE_YEAR_FIRST = re.compile(
    r"(?P<year>2\d{3})年度?(?P<agency>[\u4e00-\u9fff（）()·]{2,30}?)(?:政府信息公开|政务公开)"
    r"(?:工作)?(?:年度)?报告"
)
_STAT_PERIOD = re.compile(r"(20\d{2})年1月1日")

_SECTION_PATTERNS = {
    "overview": r"一、[^\n。]{0,12}?总体情况",
    "table2": r"二、[^\n。]{0,12}?主动公开[^\n。]{0,8}?情况",
    "table3": r"三、[^\n。]{0,6}?收到和处理[^\n。]{0,14}?情况",
    "table4": r"四、[^\n。]{0,16}?行政法?复议[^\n。]{0,14}?情况",
    "problems": r"五、[^\n。]{0,16}?(?:存在的)?主要问题(?:及|和)?(?:改进|整改)?(?:情况|措施)?",
    "other": r"六、其他需要报告的事项",
}
# When a report numbers its parts differently (an inserted part: 七、其他需要报告的事项), a
# heading is recognised by its words at the start of a line, whatever its number.
_ANY_NUMBER = r"(?m)^[ \t]*(?:[一二三四五六七八九十]+\s*、|第[一二三四五六七八九十]+部分\s*)"
_SECTION_FALLBACKS = {
    "overview": _ANY_NUMBER + r"[^\n。]{0,12}?总体情况",
    "problems": _ANY_NUMBER
    + r"[^\n。]{0,16}?(?:存在的)?主要问题(?:及|和)?(?:改进|整改)?(?:情况|措施)?",
    "other": _ANY_NUMBER + r"其他需要报告的事项",
}


def detect_edition(text: str) -> str | None:
    """The template edition from the labels in a report's text (never from the year)."""
    norm = normalize(text)
    score_2019 = sum(s in norm for s in _SIGNALS_2019)
    score_2021 = sum(s in norm for s in _SIGNALS_2021)
    if not score_2019 and not score_2021:
        return None
    return "2019" if score_2019 > score_2021 else "2021"


def _section_of(text: str) -> str | None:
    """Which table a heading or header text opens, if any."""
    norm = normalize(text)
    if "主动公开政府信息情况" in norm or norm.startswith("第二十条第"):
        return "table2"
    if "收到和处理政府信息公开申请" in norm or "申请人情况" in norm:
        return "table3"
    if ("行政复议" in norm or "行政法复议" in norm) and "行政诉讼" in norm:
        return "table4"
    if re.match(r"^五.", norm) or "存在的主要问题" in norm:
        return "after"
    return None


@functools.cache
def _table2_layout(edition: str) -> dict[str, list[tuple[str, str]]]:
    """Table-2 row key -> its cells' (column key, kind), from the model."""
    blank = report_class(edition).blank_tables()["proactive_disclosure"]
    return {
        row.name: [
            (a.name, info(a).kind)
            for a in attrs.fields(type(getattr(blank, row.name)))
            if info(a).is_cell
        ]
        for row in attrs.fields(type(blank))
    }


@attrs.define
class _T3Obs:
    key: str | None
    values: list[str]
    location: str


@attrs.define
class _Reader:
    doc: Document
    edition: str
    diagnostics: list[Diagnostic] = attrs.Factory(list)
    provenance: dict[str, Provenance] = attrs.Factory(dict)
    cells: dict[str, Any] = attrs.Factory(dict)
    # table-3 row keys whose label was printed with no value after it
    labels_without_values: set[str] = attrs.Factory(set)

    @property
    def glued(self) -> bool:
        """Whether one value may be a run of glued cells (crawler text only).

        In a grid (HTML, Markdown, PDF, DOCX) one printed value is one cell: a row that has
        one value for several cells lost cells, and splitting the number would put its
        digits in other columns.
        """
        return self.doc.kind == "text"

    def diag(
        self,
        code: str,
        severity: Severity,
        message: str,
        addresses: tuple[str, ...] | list[str] = (),
        location: str | None = None,
    ) -> None:
        self.diagnostics.append(
            Diagnostic(
                code=code,
                severity=severity,
                message=message,
                addresses=tuple(addresses),
                location=location,
            )
        )

    # --- cells ------------------------------------------------------------------------------

    def set_cell(self, address: str, raw: str, location: str, *, kind: str = "count") -> None:
        reading = read_cell(raw, money=kind == "money", signed=kind == "signed")
        if reading.code == "illegible":
            self.diag(
                "illegible",
                "warning",
                f"cannot read {raw!r}: {reading.detail}",
                [address],
                location,
            )
            return
        if reading.code is not None:
            self.diag(reading.code, "info", f"{raw!r}: {reading.detail}", [address], location)
        self.cells[address] = reading.value
        self.provenance[address] = Provenance(raw, location, reading.detail)

    # --- table 2 ----------------------------------------------------------------------------

    def table2_layout(self) -> dict[str, list[tuple[str, str]]]:
        return _table2_layout(self.edition)

    def read_table2_row(self, key: str, values: list[str], location: str) -> None:
        columns = self.table2_layout()[key]
        base = f"proactive_disclosure.{key}"
        values = _fit(values, len(columns))
        if len(values) == len(columns):
            for (column, kind), raw in zip(columns, values, strict=True):
                self._unit_aware(f"{base}.{column}", raw, location, kind)
            return
        if len(values) == 1 and len(columns) > 1 and self.glued:
            self.split_table2(base, columns, values[0], location)
            return
        self.diag(
            "value_count",
            "warning",
            f"{len(values)} values for {len(columns)} cells; row left blank",
            [f"{base}.{c}" for c, _ in columns],
            location,
        )

    def _unit_aware(self, address: str, raw: str, location: str, kind: str) -> None:
        if address.endswith(".amount"):  # 2019 procurement: the unit is printed in the cell
            match = re.search(r"(万元|元)\s*$", raw)
            if match:
                self.cells[address.replace(".amount", ".amount_unit")] = match.group(1)
        self.set_cell(address, raw, location, kind=kind)

    def split_table2(
        self, base: str, columns: list[tuple[str, str]], run: str, location: str
    ) -> None:
        compact = re.sub(r"\s+", "", run)
        unit = re.search(r"(万元|元)$", compact)
        if unit:
            self.cells[f"{base}.amount_unit"] = unit.group(1)
            compact = compact[: unit.start()]
        addresses = [f"{base}.{c}" for c, _ in columns]
        if not re.fullmatch(r"\d+(\.\d+)?", compact):
            self.diag("illegible", "warning", f"cannot read {run!r}", addresses, location)
            return
        head, _, decimals = compact.partition(".")
        try:
            splits = digit_splits(head, len(columns))
        except RunTooLongError as exc:
            self.diag(
                "too_long",
                "warning",
                f"glued digits: {exc}; cells left unread",
                addresses,
                location,
            )
            return
        if len(splits) == 1:
            for (column, kind), value in zip(columns, splits[0], strict=True):
                text = str(value)
                if decimals and column == columns[-1][0]:
                    text += "." + decimals
                self.set_cell(f"{base}.{column}", text, location, kind=kind)
                self.provenance[f"{base}.{column}"] = Provenance(
                    run, location, "split of a glued run"
                )
            return
        self.diag(
            "ambiguous",
            "warning",
            f"glued digits {_short(run)} admit several splits and no identity decides; "
            "cells left unread",
            addresses,
            location,
        )

    # --- table 3 ----------------------------------------------------------------------------

    def read_table3(self, observations: list[_T3Obs]) -> None:
        single = any(o.key == "outcomes.other" for o in observations) or self.edition == "2019"
        rows = table3_rows(single)
        order = [r.key.removeprefix("requests.") for r in rows]
        placed = self.place_by_order(observations, order)
        glued: dict[str, tuple[str, str]] = {}
        for key, obs in placed.items():
            values = _fit(obs.values, 7)
            base = f"requests.{key}"
            if len(values) == 7:
                for column, raw in zip(APPLICANT_COLUMNS, values, strict=True):
                    self.set_cell(f"{base}.{column}", raw, obs.location)
            elif (
                self.glued
                and len(values) == 1
                and re.fullmatch(r"[\d\s]+", values[0])
                and values[0].strip()
            ):
                glued[key] = (re.sub(r"\s+", "", values[0]), obs.location)
            else:
                self.diag(
                    "value_count",
                    "warning",
                    f"{len(values)} values for the 7 cells of the row; row left blank",
                    [f"{base}.{c}" for c in APPLICANT_COLUMNS],
                    obs.location,
                )
        for key in order:
            if key not in placed:
                code, message = (
                    ("no_values", "row label found without values; cells left unread")
                    if key in self.labels_without_values
                    else ("row_not_found", "row not found in the source; cells left unread")
                    if observations
                    else ("table_not_found", "table 3 not found; cells left unread")
                )
                self.diag(
                    code, "warning", message, [f"requests.{key}.{c}" for c in APPLICANT_COLUMNS]
                )
        if glued:
            self.solve_glued_table3(glued, order)

    def place_by_order(self, observations: list[_T3Obs], order: list[str]) -> dict[str, _T3Obs]:
        """Place the table-3 rows: labelled ones by label, unlabelled ones by order.

        Labelled rows anchor at their template place; unlabelled rows fill the gaps between
        anchors in order, but only where their number equals the gap's.
        """
        placed: dict[str, _T3Obs] = {}
        pending: list[_T3Obs] = []
        position = 0
        for obs in [*observations, _T3Obs("__end__", [], "")]:
            if obs.key is None:
                pending.append(obs)
                continue
            index = len(order) if obs.key == "__end__" else order.index(obs.key)
            gap = [k for k in order[position:index] if k not in placed]
            if pending:
                if len(pending) == len(gap):
                    for key, unlabelled in zip(gap, pending, strict=True):
                        placed[key] = unlabelled
                        self.diag(
                            "placed_by_order",
                            "info",
                            "row printed without its label; placed by template order",
                            [f"requests.{key}.{c}" for c in APPLICANT_COLUMNS],
                            unlabelled.location,
                        )
                else:
                    for unlabelled in pending:
                        self.diag(
                            "unmatched_row",
                            "warning",
                            f"row of values without a label ({' '.join(unlabelled.values)}) "
                            f"cannot be placed: {len(pending)} such rows for {len(gap)} places",
                            (),
                            unlabelled.location,
                        )
                pending = []
            if obs.key != "__end__":
                if obs.key in placed:
                    self.diag(
                        "duplicate_row",
                        "warning",
                        f"row {obs.key} printed twice; first kept",
                        (),
                        obs.location,
                    )
                else:
                    placed[obs.key] = obs
                position = max(position, index + 1)
        return placed

    def solve_glued_table3(self, glued: dict[str, tuple[str, str]], order: list[str]) -> None:
        candidates: dict[str, Sequence[tuple[int, ...]]] = {}
        for key, (digits, location) in glued.items():
            try:
                found = row_candidates(digits)
            except RunTooLongError as exc:
                self.diag(
                    "too_long",
                    "warning",
                    f"glued digits {_short(digits)}: {exc}; row left unread",
                    [f"requests.{key}.{c}" for c in APPLICANT_COLUMNS],
                    location,
                )
                continue
            if not found:
                self.diag(
                    "unsplittable",
                    "warning",
                    f"glued digits {_short(digits)}: no split adds up to the row total; "
                    "row left unread",
                    [f"requests.{key}.{c}" for c in APPLICANT_COLUMNS],
                    location,
                )
                continue
            candidates[key] = found
        leaves = [k for k in order if k.startswith("outcomes.") and k != "outcomes.total"]

        def value(choice: dict[str, tuple[int, ...]], key: str, column: int) -> int:
            if key in choice:
                return choice[key][column]
            cell = self.cells.get(f"requests.{key}.{APPLICANT_COLUMNS[column]}")
            return cell if isinstance(cell, int) else 0

        def check(choice: dict[str, tuple[int, ...]]) -> bool:
            for column in range(7):
                total = value(choice, "outcomes.total", column)
                if sum(value(choice, k, column) for k in leaves) != total:
                    return False
                if value(choice, "new_received", column) + value(
                    choice, "carried_over", column
                ) != (total + value(choice, "carried_forward", column)):
                    return False
            return True

        decided, ambiguous = solve_columns(candidates, check)
        for key, split in decided.items():
            digits, location = glued[key]
            for column, number in zip(APPLICANT_COLUMNS, split, strict=True):
                address = f"requests.{key}.{column}"
                self.cells[address] = number
                self.provenance[address] = Provenance(digits, location, "split of a glued run")
        for key in sorted(ambiguous):
            digits, location = glued[key]
            self.diag(
                "ambiguous",
                "warning",
                f"glued digits {_short(digits)}: {len(candidates[key])} splits fit the row and "
                "the column identities do not single one out; row left unread",
                [f"requests.{key}.{c}" for c in APPLICANT_COLUMNS],
                location,
            )

    # --- table 4 ----------------------------------------------------------------------------

    def read_table4(self, rows: list[tuple[str | None, list[str], str]]) -> None:
        blocks = [b.key for b in table4_blocks()]
        for block, values, location in rows:
            values = _fit(values, 15) if block is None else _fit(values, 5)
            if block is None and len(values) == 15:
                for i, raw in enumerate(values):
                    self.set_cell(f"{blocks[i // 5]}.{_BLOCK_COLUMNS[i % 5]}", raw, location)
            elif block is not None and len(values) == 5:
                for column, raw in zip(_BLOCK_COLUMNS, values, strict=True):
                    self.set_cell(f"{block}.{column}", raw, location)
            elif block is None and len(values) == 1 and self.glued:
                self.split_table4(values[0], location, blocks)
            else:
                self.diag(
                    "value_count",
                    "warning",
                    f"table 4 row with {len(values)} values ignored",
                    (),
                    location,
                )
        missing = [
            f"{b}.{c}" for b in blocks for c in _BLOCK_COLUMNS if f"{b}.{c}" not in self.cells
        ]
        if missing and len(missing) == 15:
            self.diag("table_not_found", "warning", "table 4 not found; cells left unread", missing)

    def split_table4(self, run: str, location: str, blocks: list[str]) -> None:
        digits = re.sub(r"\s+", "", run)
        addresses = [f"{b}.{c}" for b in blocks for c in _BLOCK_COLUMNS]
        try:
            found = table4_candidates(digits) if digits.isdigit() else []
        except RunTooLongError as exc:
            self.diag(
                "too_long",
                "warning",
                f"table 4 digits: {exc}; cells left unread",
                addresses,
                location,
            )
            return
        if len(found) == 1:
            for address, number in zip(addresses, found[0], strict=True):
                self.cells[address] = number
                self.provenance[address] = Provenance(run, location, "split of a glued run")
            return
        code = "ambiguous" if found else "unsplittable"
        self.diag(
            code,
            "warning",
            f"table 4 digits {_short(run)}: {len(found)} valid splits; cells left unread",
            addresses,
            location,
        )


def _short(text: str) -> str:
    """Printed text for a message, never huge."""
    text = text.strip()
    return repr(text) if len(text) <= 40 else repr(text[:37] + "...") + f" ({len(text)} characters)"


_SPACES = re.compile(r"[\s\u3000]+")


def _fit(values: list[str], count: int) -> list[str]:
    """Trim a row's values to ``count`` cells where the extra ones are layout artefacts.

    Artefacts are empty cells before or after the values (converters) and a value repeated
    over a colspan. One value holding exactly ``count`` space-separated tokens
    (``72 0 0``, ``0　28　0``) is ``count`` cells: spaces are cell boundaries (no published
    number has a space inside), so such a run is never glued together and re-split.
    """
    non_empty = [v for v in values if v.strip()]
    if len(non_empty) == 1 and count > 1:
        tokens = _SPACES.split(non_empty[0].strip())
        if len(tokens) == count and all(is_value_text(t) for t in tokens):
            return tokens
    values = list(values)
    # trailing first: a column span leaves empty cells after its value
    while len(values) > count and not values[-1].strip():
        values = values[:-1]
    while len(values) > count and not values[0].strip():
        values = values[1:]
    if len(values) > count:
        collapsed = [v for i, v in enumerate(values) if i == 0 or v != values[i - 1]]
        if len(collapsed) == count:
            return collapsed
    return values


def _row_labels(cells: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Split a row into its label cells and the value cells after the last label."""
    last_label = -1
    for i, cell in enumerate(cells):
        if cell.strip() and not is_value_text(cell):
            last_label = i
    labels = [c for c in cells[: last_label + 1] if c.strip()]
    return labels, list(cells[last_label + 1 :])


_BLOCK_CONTEXT = (
    ("未经复议直接起诉", "review_litigation.litigation_direct"),
    ("复议后起诉", "review_litigation.litigation_after_review"),
    ("行政复议", "review_litigation.administrative_review"),
)


def _blocks_in(text: str) -> list[str]:
    """The table-4 blocks a text names (复议后起诉 is not also 行政复议)."""
    norm = normalize(text)
    found = []
    for needle, key in _BLOCK_CONTEXT:
        if needle in norm:
            found.append(key)
            norm = norm.replace(needle, "")
    return found


def _block_of(text: str) -> str | None:
    """The one table-4 block a text names, or ``None`` (none, or several: a header row)."""
    blocks = _blocks_in(text)
    return blocks[0] if len(blocks) == 1 else None


_HEADER_WORDS = frozenset(
    normalize(w)
    for w in (
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
        "法人或其他组织",
        "申请人情况",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
    )
)


def _match_table3(labels: list[str], group: str | None) -> RowLabel | None:
    rows = table3_rows(False)
    for label in reversed(labels):
        if normalize(label) in _HEADER_WORDS:
            continue  # a column header, not a row label
        row, _ = match_row(label, rows, group=group)
        if row is not None:
            return row
    return None


def _find_title(doc: Document) -> tuple[str | None, int | None]:
    candidates = [doc.title] if doc.title else []
    candidates.append(doc.text[:4000])
    for text in candidates:
        compact = re.sub(r"\s+", "", text or "")
        matches = [m for p in (_TITLE_AGENCY_FIRST, _TITLE_YEAR_FIRST) if (m := p.search(compact))]
        if matches:
            match = min(matches, key=lambda m: m.start())
            return match.group("agency").strip("（）()"), int(match.group("year"))
    period = _STAT_PERIOD.search(re.sub(r"\s+", "", doc.text))
    return None, int(period.group(1)) if period else None


_PAGE_CHROME = re.compile(
    r"^[\s【\[]*(附件下载|附件[:：]|打印本页|打印|关闭窗口|关闭|分享到|扫一扫|返回顶部|相关链接|"
    r"字体[:：]?|【?[大中小]】?|收藏|上一篇|下一篇|浏览次数)"
)


def _sections(text: str) -> dict[str, str | None]:
    found: list[tuple[int, int, str]] = []
    for name, pattern in _SECTION_PATTERNS.items():
        match = re.search(pattern, text)
        if match is None and name in _SECTION_FALLBACKS:
            match = re.search(_SECTION_FALLBACKS[name], text)
        if match:
            found.append((match.start(), match.end(), name))
    found.sort()
    out: dict[str, str | None] = {}
    for i, (_, end, name) in enumerate(found):
        stop = found[i + 1][0] if i + 1 < len(found) else len(text)
        body = text[end:stop]
        body = re.sub(r"[—\-–－]\s*\d+\s*[—\-–－]", "", body)  # page footers
        lines = [ln.strip() for ln in body.splitlines() if ln.strip()]
        while lines and _PAGE_CHROME.search(lines[-1]):  # 附件下载, 打印本页, 关闭窗口...
            lines.pop()
        out[name] = "\n".join(lines) or None
    return out


@attrs.define
class _Scanner:
    """Walks the rows and lines in reading order, keeping track of where it is.

    ``section`` is the table being read, ``group`` the last row-group label seen (it decides
    between rows whose ordinal labels repeat), ``block`` the last table-4 block heading.
    """

    reader: _Reader
    t2_rows: tuple[RowLabel, ...]
    groups: tuple[str, ...]
    section: str | None = None
    group: str | None = None
    block: str | None = None
    t3: list[_T3Obs] = attrs.Factory(list)
    t4: list[tuple[str | None, list[str], str]] = attrs.Factory(list)

    def table2_row(self, label: str) -> RowLabel | None:
        row, how = match_row(label, self.t2_rows)
        if row is not None and how == "prefix" and len(normalize(label)) > len(row.norm) + 2:
            return None  # prose that merely starts with a row label
        return row

    def line(self, item: Line) -> None:
        opened = _section_of(item.text)
        if opened:
            self.section = opened
        elif self.section == "table4":  # a block heading (行政复议 / 未经复议直接起诉 ...)
            self.block = _block_of(item.text) if _blocks_in(item.text) else self.block
        norm = normalize(item.text)
        if self.section == "table2":  # loose "行政许可 97" lines next to a table
            match = re.match(r"^(\D+?)([\d.]+)$", norm)
            row = self.table2_row(match.group(1)) if match else None
            if match and row is not None:
                self.reader.read_table2_row(row.key, [match.group(2)], item.location)
        self.group = next((g for g in self.groups if norm.endswith(g)), self.group)

    def row(self, item: Row) -> None:
        labels, values = _row_labels(item.cells)
        has_values = any(v.strip() for v in values)
        joined = " ".join(labels)
        opened = _section_of(joined) if labels else None
        if opened and not has_values:
            self.section = opened
        for label in labels:
            if normalize(label) in self.groups:
                self.group = normalize(label)
        row2 = self.table2_row(labels[0]) if labels and self.section in (None, "table2") else None
        if row2 is not None and values:
            self.section = "table2"
            self.reader.read_table2_row(row2.key, values, item.location)
            return
        if not has_values and len(values) < 7:  # a header, caption or group label
            if self.section == "table4" and labels:
                # a heading naming one block owns the short row after it; a header naming
                # several proves nothing about a short row's block
                self.block = _block_of(joined) if _blocks_in(joined) else self.block
            elif self.section == "table3" and labels:
                row3 = _match_table3(labels, self.group)
                if row3 is not None:
                    self.reader.labels_without_values.add(row3.key.removeprefix("requests."))
            return
        row3 = _match_table3(labels, self.group) if labels else None
        if row3 is None and labels and normalize(labels[-1]).endswith("其他处理"):
            # （六）其他处理 with values of its own: the single row of 2019 and the hybrid
            row3 = RowLabel(
                "requests.outcomes.other", labels[-1], normalize(labels[-1]), "其他处理"
            )
        if row3 is not None:
            self.section = "table3"
            self.t3.append(_T3Obs(row3.key.removeprefix("requests."), values, item.location))
            return
        block = _block_of(joined) if labels else None
        filled = sum(1 for v in values if v.strip())
        if self.section == "table4" or block is not None or filled >= 15:
            self.section = "table4"
            # a short row (one block's five cells) belongs to the block named before it
            if block is None and 4 <= len(values) <= 6:
                block = self.block
            self.t4.append((block, values, item.location))
            return
        if self.section == "table3" and not labels:
            self.t3.append(_T3Obs(None, values, item.location))
            return
        if labels:
            self.reader.diag(
                "unmatched_row",
                "info",
                f"row {joined!r} matches no template row",
                (),
                item.location,
            )


def assemble(
    doc: Document,
    *,
    year: int | None = None,
    agency: str | None = None,
    edition: str | None = None,
    source: str | None = None,
    level: str | None = None,
    kind: str | None = None,
) -> ParseResult:
    """Turn an extracted document into a :class:`ParseResult`.

    The agency's level and kind are taken from ``level``/``kind`` when given, otherwise from
    what its name proves (:func:`~gov_disclosure.parsing.metadata.infer_agency`).

    Raises:
        ParseError: for a pre-2019 report, a document without any of the three tables, or one
            whose year or publishing body cannot be found (pass ``year``/``agency``).
    """
    norm_text = normalize(doc.text)
    has_table3 = "本年新收政府信息公开申请数量" in norm_text or "本年度办理结果" in norm_text
    if all(s in norm_text for s in _LEGACY) and not has_table3:
        raise ParseError(
            "this is a pre-2019 report (统计表 with 指标名称/计量单位/历年累计); only the 2019 "
            "and 2021 template editions are supported",
            location=source,
        )
    detected = detect_edition(doc.text)
    edition = edition or detected
    if edition is None and not has_table3:
        raise ParseError("no statistical tables of an annual report were found", location=source)
    reader = _Reader(doc, edition or "2021")
    if edition is None:
        reader.diag("edition", "warning", "edition could not be told from the labels; 2021 assumed")

    scanner = _Scanner(reader, table2_rows(reader.edition), table3_groups())
    for item in doc.items:
        if isinstance(item, Line):
            scanner.line(item)
        else:
            scanner.row(item)
    t3, t4 = scanner.t3, scanner.t4

    if not t3 and not t4 and not any(a.startswith("proactive_disclosure.") for a in reader.cells):
        raise ParseError("no statistical tables of an annual report were found", location=source)
    reader.read_table3(t3)
    reader.read_table4(t4)
    for key, columns in reader.table2_layout().items():
        prefix = f"proactive_disclosure.{key}."
        read = any(a.startswith(prefix) for a in reader.cells)
        named = any(a.startswith(prefix) for d in reader.diagnostics for a in d.addresses)
        if not read and not named:
            found = any(a.startswith("proactive_disclosure.") for a in reader.cells)
            reader.diag(
                "row_not_found" if found else "table_not_found",
                "warning",
                f"table 2 row {key} not found; cells left unread"
                if found
                else "table 2 not found; cells left unread",
                [f"{prefix}{c}" for c, _ in columns],
            )

    _flag_blank_totals(reader)
    found_agency, found_year = _find_title(doc)
    year = year or found_year
    agency = agency or found_agency
    if year is None:
        raise ParseError("cannot find the report year; pass year=", location=source)
    if not agency:
        raise ParseError("cannot find the publishing body's name; pass agency=", location=source)
    hybrid = reader.edition == "2021" and any(o.key == "outcomes.other" for o in t3)
    if hybrid:
        reader.diag(
            "hybrid",
            "info",
            "2021 table 2 with a single （六）其他处理 row: modelled as a hybrid 2021 report",
        )
    sections = _sections(doc.text)
    inferred_level, inferred_kind = infer_agency(agency)
    report = _build(
        reader,
        year=year,
        agency=Agency(  # values checked by Agency's validators
            name=agency,
            level=cast(Any, level or inferred_level),
            kind=cast(Any, kind or inferred_kind),
        ),
        hybrid=hybrid,
        sections=sections,
        source=source,
    )
    return ParseResult(
        report=report,
        diagnostics=tuple(reader.diagnostics),
        provenance=dict(sorted(reader.provenance.items())),
        kind=doc.kind,
    )


def _flag_blank_totals(reader: _Reader) -> None:
    """Name every blank 总计 in a row whose other cells hold values.

    It may have been lost in conversion; the parser never fills it in.
    """
    rows: dict[str, list[str]] = {}
    for address in reader.cells:
        if address.startswith(("requests.", "review_litigation.")):
            row, _, column = address.rpartition(".")
            rows.setdefault(row, []).append(column)
    for row, columns in rows.items():
        total = f"{row}.total"
        others = [reader.cells.get(f"{row}.{c}") for c in columns if c != "total"]
        if reader.cells.get(total) is None and any(v not in (None, 0) for v in others):
            reader.diag(
                "blank_total",
                "warning",
                "the total cell is blank (or was lost) although the row has values; left blank",
                [total],
                reader.provenance.get(f"{row}.{columns[0]}", Provenance("", "")).location,
            )


def _unread_marks(reader: _Reader, data: dict[str, Any]) -> dict[str, str]:
    """Cells a diagnostic says were not read and that hold no value: address -> reason.

    The first diagnostic naming a cell gives the reason.
    """
    marks: dict[str, str] = {}
    for diagnostic in reader.diagnostics:
        if diagnostic.code not in UNREAD_REASONS:
            continue
        for address in diagnostic.addresses:
            if address in marks or reader.cells.get(address) is not None:
                continue
            node: Any = data
            for part in address.split("."):
                node = node.get(part, _ABSENT) if isinstance(node, dict) else _ABSENT
            if node is None:  # a cell of this layout, left empty
                marks[address] = diagnostic.code
    return marks


_ABSENT = object()


def _build(
    reader: _Reader,
    *,
    year: int,
    agency: Agency,
    hybrid: bool,
    sections: dict[str, str | None],
    source: str | None,
) -> Report2021 | Report2019:
    cls = report_class(reader.edition)
    kwargs: dict[str, Any] = {}
    if hybrid:
        kwargs["requests"] = Requests(outcomes=Outcomes(other=ApplicantRow()))
    blank = cls(year=year, agency=agency, **kwargs)
    data = to_dict(blank)
    for address, value in reader.cells.items():
        node = data
        parts = address.split(".")
        try:
            for part in parts[:-1]:
                node = node[part]
        except (KeyError, TypeError):
            reader.diag(
                "unmatched_row", "warning", f"{address} is not a cell of this layout", [address]
            )
            continue
        if parts[-1] not in node:
            continue
        node[parts[-1]] = format(value, "f") if isinstance(value, Decimal) else value
    data["unread"] = _unread_marks(reader, data)
    data["overview"] = sections.get("overview")
    data["problems_and_improvements"] = sections.get("problems")
    data["other_matters"] = sections.get("other")
    try:
        return from_dict(data, source=source)
    except DocumentError as exc:  # e.g. a negative count printed in a table
        raise ParseError(
            f"the values read do not form a valid report: {exc}", location=source
        ) from None
