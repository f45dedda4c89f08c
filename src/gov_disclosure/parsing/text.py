"""Plain-text inputs: one cell per tab-indented line (page text), and glued crawler text.

* **Cell lines** (the seed): every table cell is a line starting with a tab, a row ends at an
  empty line, and a line without a tab inside a row continues the previous cell (wrapped
  header labels such as ``商业`` / ``企业``).
* **Glued text**: HTML tables flattened without separators (``规章000行政规范性文件693665``).
  Row labels are located in template order with patterns that tolerate stray spaces inside
  labels; the digits after each label form one run that the shared reader splits with the
  identities.
"""

from __future__ import annotations

import re
import unicodedata

from gov_disclosure.parsing.document import Diagnostic, Document, Line, Row
from gov_disclosure.parsing.glued import RunTooLongError, adds_up_only_with_blanks
from gov_disclosure.parsing.labels import normalize, table2_rows, table3_rows
from gov_disclosure.parsing.tables.cells import short
from gov_disclosure.parsing.values import ANNOTATION_PATTERN, PAGE_FOOTER_PATTERN

__all__ = ["extract_text", "label_pattern"]

_CRAWLER_RULE = re.compile(r"^=+\s*正文\s*=+\s*$", re.MULTILINE)
# An annotation after a value (22（其中修订16件）, 3（含转办1件）) stays in the value's run; an
# ordinal (（三）不予公开) does not look like one.
_ANNOTATION = ANNOTATION_PATTERN
_RUN = re.compile(rf"(?:[\s\d.,+\-元]|{_ANNOTATION})*")

_SEPARATORS = "[.．、。,，]"
_PUNCT_CLASS = {
    ".": _SEPARATORS,
    "、": _SEPARATORS,
    ",": _SEPARATORS,
    "，": _SEPARATORS,
    "(": "[(（]",
    ")": "[)）]",
    ":": "[:：]",
}
_QUOTES = "“”\"‘’'"


def label_pattern(label: str) -> str:
    """A regex for a label that tolerates whitespace, quotes and punctuation variants."""
    parts = []
    for char in unicodedata.normalize("NFKC", label):
        if char.isspace():
            continue
        if char in _QUOTES:
            parts.append(f"[{re.escape(_QUOTES)}]?")
        else:
            parts.append(_PUNCT_CLASS.get(char, re.escape(char)))
    return r"\s*".join(parts)


def _split_crawler_header(
    text: str,
) -> tuple[str | None, str, tuple[str, str] | None]:
    """``(title, body, publication line)`` of crawler text with a metadata header."""
    match = _CRAWLER_RULE.search(text)
    if not match:
        return None, text, None
    header, body = text[: match.start()], text[match.end() :]
    # keep the file's line numbers in diagnostics: the header becomes empty lines
    body = "\n" * text.count("\n", 0, match.end()) + body
    title = re.search(r"^标题[:：]\s*(.+)$", header, re.MULTILINE)
    published = re.search(r"^(?:发布时间|发布日期)[:：].*$", header, re.MULTILINE)
    found = None
    if published:
        line = header.count("\n", 0, published.start()) + 1
        found = (published.group(0).strip(), f"line {line}")
    return (title.group(1).strip() if title else None), body, found


_PAGE_FOOTER = re.compile(rf"{PAGE_FOOTER_PATTERN}|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?")


def _cell_line_items(text: str) -> list[Row | Line]:
    items: list[Row | Line] = []
    cells: list[list[str]] = []  # each cell as its lines: joined once, never re-concatenated
    start = 0

    def close(lineno: int) -> None:
        nonlocal cells
        if cells:
            items.append(Row(tuple("\n".join(c) for c in cells), f"lines {start}-{lineno}"))
        cells = []

    lines = text.splitlines()
    for lineno, line in enumerate(lines, start=1):
        if line.startswith("\t"):
            if not cells:
                start = lineno
            cells.append([line[1:]])
        elif not line.strip():
            close(lineno - 1)
        elif cells and _PAGE_FOOTER.fullmatch(line.strip()):
            continue  # page chrome (- 3 -, 第3页) amid a row's cells: part of no cell
        elif cells:
            cells[-1].append(line.strip())
        else:
            items.append(Line(line, f"line {lineno}"))
    close(len(lines))
    return items


def _where(text: str, position: int) -> str:
    """A character offset as ``line L, column C`` (1-based) for diagnostics."""
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return f"line {line}, column {column}"


def _region(text: str, pattern: str, start: int = 0) -> int | None:
    match = re.compile(pattern).search(text, start)
    return match.start() if match else None


# Tables are found by their own headings, whatever their number: some reports insert a part
# (三、主动公开…, 四、收到和处理…, 五、…行政复议…) or number them （一） or 第二部分.
_NUMERAL = "[一二三四五六七八九十]+"
# A heading carries a number; the overview's prose names the same parts without one
# ("本报告包括主动公开政府信息情况、收到和处理…"), so numbered headings are searched first.
_NUMBER = rf"(?:{_NUMERAL}\s*[、.．]|[(（]\s*{_NUMERAL}\s*[)）]|第{_NUMERAL}部分)\s*"
_TABLE2 = _NUMBER + r"(?:行政机关)?主动公开政府信息(?:的)?(?:情况)?"
_TABLE3 = _NUMBER + r"收到和处理政府信息公开申请(?:的)?(?:情况)?"
_TABLE4 = (
    _NUMBER + r"(?:因)?政府信息公开(?:工作)?(?:被申请)?行政法?复议\s*[、和及与]?\s*"
    r"(?:提起)?行政诉讼(?:的)?(?:情况)?"
)
_TEXT_SECTION = _NUMBER + r"[^\n]{0,16}?(?:存在的主要问题|其他需要报告的事项)"


def _heading(text: str, pattern: str, start: int = 0) -> int | None:
    """A table's heading: numbered if the report numbers it, else its words alone."""
    found = _region(text, pattern, start)
    if found is None:
        found = _region(text, pattern.removeprefix(_NUMBER), start)
    return found


def _glued_items(text: str, notes: list[Diagnostic], dropped: list[str]) -> list[Row | Line]:
    """The tables' rows of glued text; ``dropped`` receives where blank cells print nothing.

    In glued text a row can be split into columns only if each of its cells printed at least
    one digit. A row label followed by fewer digits than its row has cells (a table-2 label
    with none, a table-3 row with fewer than 7, a table 4 with 1 to 14) shows that this
    text drops blank cells: any run may then hide blanks, and a split that puts a digit in
    every cell is no longer proof (:attr:`Document.dropped_blanks`).
    """
    items: list[Row | Line] = []
    t2 = _heading(text, _TABLE2) or _region(text, r"第二十条第[(（]一[)）]项")
    t3 = _heading(text, _TABLE3, t2 or 0)
    t4 = _heading(text, _TABLE4, t3 or 0)
    end = _region(text, _TEXT_SECTION, t4 or t3 or 0)
    bounds = [b for b in (t2, t3, t4, end, len(text)) if b is not None]
    if t2 is not None:
        stop = min(b for b in bounds if b > t2)
        items.append(Line("二、主动公开政府信息情况", _where(text, t2)))
        items.extend(_glued_table2(text, t2, stop, notes, dropped))
    if t3 is not None:
        stop = min(b for b in bounds if b > t3)
        items.append(Line("三、收到和处理政府信息公开申请情况", _where(text, t3)))
        rows = _glued_table3(text, t3, stop)
        group = normalize(_TABLE3_GROUP)  # a heading over rows, not a row of cells
        for row in rows:
            if isinstance(row, Row) and normalize(row.cells[0]) != group:
                evidence = _table3_dropped_blanks(row.cells[1])
                if evidence:
                    dropped.append(f"{row.cells[0]!r} at {row.location} {evidence}")
        items.extend(rows)
    if t4 is not None:
        stop = min(b for b in bounds if b > t4)
        items.append(Line("四、政府信息公开行政复议、行政诉讼情况", _where(text, t4)))
        table4 = _glued_table4(text, t4, stop)
        digits = sum(c.isdigit() for r in table4 for c in r.cells[0])
        if 0 < digits < 15:  # none at all: a part 4 in words (本年度无…), not a table
            dropped.append(f"table 4 at {_where(text, t4)} prints {digits} digits for 15 cells")
        items.extend(table4)
    return items


def _run_between(text: str, start: int, stop: int, run: re.Pattern[str] = _RUN) -> str:
    """The value text after a label: up to the next label, cut at the first non-value char."""
    match = run.match(text, start, stop)
    return match.group(0) if match else ""


def _rows_from_labels(
    text: str, found: list[tuple[int, int, str]], stop: int, run: re.Pattern[str] = _RUN
) -> list[Row | Line]:
    """Rows ``(label, run)`` from label positions.

    A run ends where the next label starts, so the ordinal of the next sub-item
    (``…0000000`` + ``2.重复申请``) is not taken as a digit.
    """
    rows: list[Row | Line] = []
    for i, (begin, end, label) in enumerate(found):
        limit = found[i + 1][0] if i + 1 < len(found) else stop
        rows.append(Row((label, _run_between(text, end, limit, run)), _where(text, begin)))
    return rows


# Table 2 prints units: after a label (政府集中采购（元）) and after values (3个 3443000元), and
# the 2019 signed column as a sign or a word (16减12, 35-15, 增3).
_LABEL_UNIT = r"(?:\s*[(（]\s*(?:单位\s*[:：]?\s*)?(?:万元|元|件|个|项|条)\s*[)）])?"
_TABLE2_RUN = re.compile(
    rf"(?:[\s.,+\-]|增加|减少|[增减]|\d+\s*(?:万元|元|件|个|项|条)?|{_ANNOTATION})*"
)
_MONEY_HEADER = re.compile(r"金额\s*[(（][^)）\d]{0,6}[)）]")
# What may follow a table-2 row's values inside the table: the next row's label (the run ends
# there), a column header or a sub-table caption, a note, a line break or the block's end.
# Anything else (余份, 。, 的) means the label and its number were a sentence, not a row.
_AFTER_ROW = re.compile(r"\s*(?:$|第二十条|信息内容|本年|上一年|采购|单位|[(（]单位|注\s*[:：])")


def _glued_table2(
    text: str, start: int, stop: int, notes: list[Diagnostic], dropped: list[str]
) -> list[Row | Line]:
    labels = sorted(
        {r.label for e in ("2021", "2019") for r in table2_rows(e)}, key=len, reverse=True
    )
    pattern = re.compile("|".join(f"(?:{label_pattern(label)}{_LABEL_UNIT})" for label in labels))
    found = [(m.start(), m.end(), m.group(0)) for m in pattern.finditer(text, start, stop)]
    items: list[Row | Line] = []
    previous = start
    for i, (begin, end, label) in enumerate(found):
        limit = found[i + 1][0] if i + 1 < len(found) else stop
        run = _run_between(text, end, limit, _TABLE2_RUN)
        # a column header with a unit between two rows (本年收费金额（单位：元）) is kept
        header = _MONEY_HEADER.search(text, previous, begin)
        if header:
            items.append(Line(header.group(0), _where(text, header.start())))
        previous = begin
        if not run.strip():
            if _AFTER_ROW.match(text, end, limit):  # a row printed empty, not a sentence
                dropped.append(f"{label!r} at {_where(text, begin)} prints no digits")
            continue
        after = end + len(run)
        # a row's values end at a label, a header, a line break or the block's end
        if after < limit and "\n" not in run and not _AFTER_ROW.match(text, after, limit):
            # a label met in prose ("制发规范性文件500余份") is never a row
            notes.append(
                Diagnostic(
                    code="prose_mention",
                    severity="info",
                    message=f"{short(label + run.strip())} followed by "
                    f"{text[after : min(after + 4, limit)]!r} is a sentence, not a table-2 "
                    "row: its figure is not a cell",
                    location=_where(text, begin),
                )
            )
            continue
        items.append(Row((label, run), _where(text, begin)))
    return items


_TABLE3_GROUP = "三、本年度办理结果"


def _table3_dropped_blanks(run: str) -> str | None:
    """How a table-3 row's run shows that blank cells print nothing, if it does."""
    digits = sum(c.isdigit() for c in run)
    if digits < 7:
        return f"prints {digits} digits for 7 cells"
    run = re.sub(r"\s+", "", run)
    try:
        if re.fullmatch("[0-9]+", run) and adds_up_only_with_blanks(run):
            return f"prints {run}, which adds up only if some of its 7 cells print nothing"
    except RunTooLongError:
        pass  # too long to tell: the row's own reader says so
    return None


def _glued_table3(text: str, start: int, stop: int) -> list[Row | Line]:
    found: list[tuple[int, int, str]] = []
    position = start
    targets: list[str] = []
    for row in table3_rows(False):
        if row.key == "requests.outcomes.other.correction_overdue":
            targets.append("（六）其他处理")
        targets.append(row.label)
    # the row-group label is searched too, so that a repeated one ends the previous run
    for label in [*targets[:2], _TABLE3_GROUP, *targets[2:]]:
        match = re.compile(label_pattern(label)).search(text, position, stop)
        if match is None:
            continue
        found.append((match.start(), match.end(), match.group(0)))
        position = match.end()
    rows = _rows_from_labels(text, found, stop)
    other = normalize("（六）其他处理")
    # （六）其他处理 is a group heading unless digits follow it (the single 2019/hybrid row)
    return [
        r
        for r in rows
        if isinstance(r, Row) and (normalize(r.cells[0]) != other or r.cells[1].strip())
    ]


_TABLE4_WORDS = re.compile(
    "|".join(
        label_pattern(w)
        for w in (
            "未经复议直接起诉",
            "复议后起诉",
            "行政复议",
            "行政诉讼",
            "结果维持",
            "结果纠正",
            "其他结果",
            "尚未审结",
            "总计",
            "情况",
        )
    )
)


_PROSE_NUMBER = re.compile(r"\d+\s*(?:年|月|日|号|件|个|次|人|%|％)")


def _glued_table4(text: str, start: int, stop: int) -> list[Row]:
    body = text[start:stop]
    heading = re.match(_TABLE4, body) or re.match(_TABLE4.removeprefix(_NUMBER), body)
    if heading:
        body = body[heading.end() :]
    # prose inside the table block ("2023年，没有…"): its dates and counts are not cells
    body = _PROSE_NUMBER.sub(" ", body)
    body = _TABLE4_WORDS.sub(" ", body)
    run = " ".join(re.findall(r"\d+", body))
    return [Row((run,), _where(text, start))] if run else []


def extract_text(text: str) -> Document:
    """Extract rows and lines from report text (cell-per-line or glued layout)."""
    title, body, published = _split_crawler_header(text)
    lines = body.splitlines()
    tabbed = sum(1 for line in lines if line.startswith("\t"))
    notes: list[Diagnostic] = []
    dropped: list[str] = []
    items = _cell_line_items(body) if tabbed >= 20 else _glued_items(body, notes, dropped)
    return Document(
        "text",
        tuple(items),
        body,
        title,
        diagnostics=tuple(notes),
        published=published,
        glued=tabbed < 20,
        dropped_blanks=dropped[0] if dropped else None,
    )
