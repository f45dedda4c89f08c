"""The scanner: walks a document's rows and lines in reading order and routes each to a table.

It keeps track of the table being read, the last row-group label (it decides between rows
whose ordinal labels repeat) and the last table-4 block heading. Tables are recognised by
their own labels and column headers, never by a section number.
"""

from __future__ import annotations

import re

import attrs

from gov_disclosure.parsing.document import Line, Row
from gov_disclosure.parsing.labels import RowLabel, match_row, normalize
from gov_disclosure.parsing.tables.cells import CellReader
from gov_disclosure.parsing.tables.table2 import read_table2_row
from gov_disclosure.parsing.tables.table3 import Table3Row, fragment_candidates, match_table3
from gov_disclosure.parsing.tables.table4 import block_of, blocks_in
from gov_disclosure.parsing.values import ANNOTATION_PATTERN, is_value_text

__all__ = ["Scanner"]

# a unit printed after a row label or in a column header, on normalised text: (单位:万元)
_LABEL_UNIT = re.compile(r"\((?:单位:?)?(万元|元|件|个|项|条)\)$")
_HEADER_UNIT = re.compile(r"金额\)?\(?(?:单位:?)?(万元|元)\)")


def _section_of(norm: str) -> str | None:
    """Which table a (normalised) heading or header text opens, if any."""
    if "主动公开政府信息情况" in norm or norm.startswith("第二十条第"):
        return "table2"
    if "收到和处理政府信息公开申请" in norm or "申请人情况" in norm:
        return "table3"
    if ("行政复议" in norm or "行政法复议" in norm) and "行政诉讼" in norm:
        return "table4"
    if re.match(r"^五.", norm) or "存在的主要问题" in norm:
        return "after"
    return None


# a glued 2019 decisions row whose 本年增/减 cell is signed: 2648-18538, 16减12
_SIGNED_RUN = re.compile(r"\d+(?:\.\d+)?\s*(?:增加|减少|[增减+\-])\s*\d+(?:\.\d+)?")
# digits with annotations among them: 22（其中修订16件）5310, a converter's 22 / （其中…） 55
_ANNOTATED_RUN = re.compile(rf"[\d\s]*\d[\d\s]*(?:{ANNOTATION_PATTERN}[\d\s]*)+")


def _is_values(cell: str) -> bool:
    """A value, several values separated by spaces (``3个 3443000元``), or a signed run.

    A signed run is a glued 2019 decisions row whose 本年增/减 cell has a sign (``16减12``).
    """
    return (
        is_value_text(cell)
        or all(is_value_text(t) for t in cell.split())
        or _SIGNED_RUN.fullmatch(cell.strip()) is not None
        or _ANNOTATED_RUN.fullmatch(cell.strip()) is not None
    )


def _row_labels(cells: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Split a row into its label cells and the value cells after the last label."""
    last_label = -1
    for i, cell in enumerate(cells):
        if cell.strip() and not _is_values(cell):
            last_label = i
    labels = [c for c in cells[: last_label + 1] if c.strip()]
    return labels, list(cells[last_label + 1 :])


@attrs.define
class Scanner:
    """Walks the rows and lines in reading order, keeping track of where it is.

    ``section`` is the table being read, ``group`` the last row-group label seen (it decides
    between rows whose ordinal labels repeat), ``block`` the last table-4 block heading.
    """

    reader: CellReader
    t2_rows: tuple[RowLabel, ...]
    groups: tuple[str, ...]
    section: str | None = None
    group: str | None = None
    block: str | None = None
    t3: list[Table3Row] = attrs.Factory(list)
    t4: list[tuple[str | None, list[str], str]] = attrs.Factory(list)

    def table2_row(self, label: str) -> tuple[RowLabel | None, str | None]:
        """The table-2 row a label names, and the money unit it prints, if any.

        Prose that merely starts with a row label names no row; ``政府集中采购（元）`` names
        the procurement row and the unit 元.
        """
        norm = normalize(label)
        unit_match = _LABEL_UNIT.search(norm)
        if unit_match:
            norm = norm[: unit_match.start()]
        row, how = match_row(norm, self.t2_rows)
        if row is not None and how == "prefix" and len(norm) > len(row.norm) + 2:
            return None, None  # prose that merely starts with a row label
        unit = unit_match.group(1) if unit_match else None
        return row, unit if unit in ("元", "万元") else None

    def money_header(self, norm: str) -> None:
        """A table-2 column header (normalised) naming an amount sets the amounts' unit."""
        if "金额" in norm:
            match = _HEADER_UNIT.search(norm)
            self.reader.money_unit = match.group(1) if match else None

    def line(self, item: Line) -> None:
        """Take a line of text: a heading, a block heading or a loose ``行政许可 97`` row."""
        norm = normalize(item.text)  # once per line: prose lines are long
        opened = _section_of(norm)
        if opened:
            self.section = opened
        elif self.section == "table4":  # a block heading (行政复议 / 未经复议直接起诉 ...)
            self.block = block_of(item.text) if blocks_in(item.text) else self.block
        if self.section == "table2":  # loose "行政许可 97" lines next to a table
            self.money_header(norm)
            match = re.match(r"^(\D+?)([\d.]+)$", norm)
            row, unit = self.table2_row(match.group(1)) if match else (None, None)
            if match and row is not None:
                read_table2_row(self.reader, row.key, [match.group(2)], item.location, unit=unit)
        self.group = next((g for g in self.groups if norm.endswith(g)), self.group)

    def row(self, item: Row) -> None:
        """Route a printed row to table 2, 3 or 4 by its labels and the table being read."""
        labels, values = _row_labels(item.cells)
        if item.short:  # only the printed values count, and they must fill the row
            values = [v for v in values if v.strip()]
        has_values = any(v.strip() for v in values)
        joined = " ".join(labels)
        norm_joined = normalize(joined)
        opened = _section_of(norm_joined) if labels else None
        if opened and not has_values:
            self.section = opened
        for label in labels:
            if normalize(label) in self.groups:
                self.group = normalize(label)
        in_table2 = labels and self.section in (None, "table2")
        row2, unit = self.table2_row(labels[0]) if in_table2 else (None, None)
        if row2 is not None and (values or item.short):  # a short row printed none: unread
            self.section = "table2"
            read_table2_row(self.reader, row2.key, values, item.location, unit=unit, wide=item.wide)
            return
        if in_table2 and not has_values:
            self.money_header(norm_joined)
        if not has_values and len(values) < 7:  # a header, caption or group label
            if self.section == "table4" and labels:
                # a heading naming one block owns the short row after it; a header naming
                # several proves nothing about a short row's block
                self.block = block_of(joined) if blocks_in(joined) else self.block
            elif self.section == "table3" and labels:
                row3 = match_table3(labels, self.group)
                if row3 is not None:
                    self.reader.labels_without_values.add(row3.key.removeprefix("requests."))
            return
        row3 = match_table3(labels, self.group) if labels else None
        if row3 is None and labels and normalize(labels[-1]).endswith("其他处理"):
            # （六）其他处理 with values of its own: the single row of 2019 and the hybrid
            row3 = RowLabel(
                "requests.outcomes.other", labels[-1], normalize(labels[-1]), "其他处理"
            )
        if row3 is not None:
            self.section = "table3"
            self.t3.append(Table3Row(row3.key.removeprefix("requests."), values, item.location))
            return
        if not has_values and "行政诉讼" in norm_joined and "行政复议" in norm_joined:
            return  # table 4's top header (行政复议 | 行政诉讼) over empty grid cells
        block = block_of(joined) if labels else None
        filled = sum(1 for v in values if v.strip())
        if self.section == "table4" or block is not None or filled >= 15:
            self.section = "table4"
            # a short row (one block's five cells) belongs to the block named before it
            if block is None and 4 <= len(values) <= 6:
                block = self.block
            self.t4.append((block, values, item.location))
            return
        if self.section == "table3" and not labels:
            self.t3.append(Table3Row(None, values, item.location))
            return
        if self.section == "table3" and labels and (filled or len(values) >= 7):
            # a converter cut the label: a fragment (行政机关不再处理其政府信息公), perhaps
            # spread over the first cells (缴纳费用、 | 行政机关不再处理其政)
            candidates = fragment_candidates(labels, self.reader.edition == "2019")
            if candidates:
                self.t3.append(Table3Row(None, values, item.location, candidates))
                return
        if labels:
            self.reader.diag(
                "unmatched_row",
                "info",
                f"row {joined!r} matches no template row",
                (),
                item.location,
            )
