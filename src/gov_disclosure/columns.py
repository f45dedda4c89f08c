"""The columns of the tidy tables (cells, findings, metrics) and their documented types.

One definition read by every writer: CSV and JSON Lines (:mod:`gov_disclosure.export`),
Parquet (:mod:`gov_disclosure.parquet`) and Excel (:mod:`gov_disclosure.xlsx`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

__all__ = [
    "CELL_COLUMNS",
    "FINDING_COLUMNS",
    "FORMULA_LEADS",
    "METRIC_COLUMNS",
    "ROLLUP_COLUMNS",
    "SCORE_COLUMNS",
    "SEPARATOR",
    "TABLES",
    "number_field",
    "safe_text",
]

CELL_COLUMNS: dict[str, str] = {
    "file": "string: the source file (empty when not from a file)",
    "agency": "string: the publishing body",
    "year": "integer: the report year",
    "edition": "string: template edition, '2021' or '2019'",
    "address": "string: canonical cell address",
    "table": "string: 表二, 表三 or 表四",
    "row_label": "string: the Chinese row label",
    "column_label": "string: the Chinese column label",
    "value": "decimal or empty: the cell value; empty for a blank or an unread cell (not 0)",
    "status": "string: value, blank (nothing printed) or unread (a parser could not read it)",
    "unread_reason": "string or empty: why the cell was not read (see UNREAD_REASONS)",
    "read_by": "string: 'ocr' for a cell read from a scanned page by OCR, else empty",
    "ocr_confidence": "decimal or empty: the OCR confidence (0-1) of a cell read by OCR",
}
"""Columns of the cells table and their types (pandas: ``dtype={'year': 'Int64', ...}``)."""

METRIC_COLUMNS: dict[str, str] = {
    "file": "string: the source file",
    "agency": "string: the publishing body",
    "year": "integer: the report year",
    "edition": "string: template edition",
    "disclosure_rate": "decimal or empty: (granted + partially granted) / concluded",
    "withheld_rate": "decimal or empty: withheld / concluded",
    "unable_rate": "decimal or empty: unable to provide / concluded",
    "not_processed_rate": "decimal or empty: not processed / concluded",
    "review_correction_rate": "decimal or empty: reviews corrected / reviews",
    "litigation_loss_rate": "decimal or empty: lawsuits corrected / lawsuits (both kinds)",
    "requests_concluded_share": "decimal or empty: concluded / (received + carried over)",
    "concluded": "integer or empty: requests concluded (办理结果总计)",
    "low_sample": "boolean: fewer than 30 concluded requests (or unknown)",
}
"""Columns of the metrics table: one row per report (docs/reference/rules.md#indicators)."""

FINDING_COLUMNS: dict[str, str] = {
    "file": "string: the source file",
    "agency": "string: the publishing body",
    "year": "integer: the report year",
    "rule": "string: rule id",
    "severity": "string: error, inconsistency, warning or info",
    "address": "string: the first (stated) cell of the finding",
    "addresses": "string: every cell involved, separated by spaces",
    "stated": "decimal or empty",
    "computed": "decimal or empty",
    "difference": "decimal or empty",
    "assessable": "boolean: false when a blank total or an unread cell prevented the check",
    "unread": "string: unread cells the finding needed, separated by spaces",
    "ocr": "string: cells of the finding read by OCR (a misreading is possible), by spaces",
    "message_zh": "string",
    "message_en": "string",
}
"""Columns of the findings table and their types."""

SCORE_COLUMNS: dict[str, str] = {
    "file": "string: the source file",
    "agency": "string: the publishing body (empty for a file that is not a valid report)",
    "year": "integer or empty: the report year",
    "edition": "string: template edition (empty for a file that is not a valid report)",
    "status": "string: scored, or invalid (not a valid report: the pack's document.invalid)",
    "pack": "string: the scoring pack, id@version",
    "item": "string: the index item the pack scores",
    "mode": "string: conservative or strict",
    "points": "decimal: what the item is worth",
    "score": "decimal: what the report gets (points less deductions, never below 0)",
    "deducted": "decimal: the points deducted in all (each pack rule within its cap)",
    "deductions": "string: each deduction as rule:finding:points, separated by '; '",
    "not_deducted": "string: uncertain findings that cost nothing (conservative mode), "
    "as rule:finding, separated by '; '",
    "not_assessable": "string: findings the pack consumes that could not be assessed, "
    "as finding:fingerprint, separated by '; '",
    "error": "string or empty: why the file is not a valid report",
}
"""Columns of the scores table: one row per file under one scoring pack (docs/auditing.md)."""

ROLLUP_COLUMNS: dict[str, str] = {
    "parent": "string: the parent body",
    "year": "integer: the report year",
    "report": "string: the parent's report is own, summary or unstated",
    "edition": "string: the template edition summed",
    "address": "string: canonical cell address",
    "table": "string: 表二, 表三 or 表四",
    "parent_value": "decimal or empty: the parent's figure",
    "parent_status": "string: value, blank, unread, or missing (no parent report)",
    "children_sum": "decimal or empty: the children's sum; empty when every child is blank "
    "or any is unread",
    "counted": "integer: children whose printed figure was added",
    "unread": "string: children whose cell was not read, separated by '; '",
    "ocr": "string: children whose figure was read by OCR, separated by '; '",
    "difference": "decimal or empty: parent - children_sum, for a summary report only",
}
"""Columns of the roll-ups table: one row per parent, year and cell (docs/auditing.md)."""

SEPARATOR = "; "
"""What separates the entries of a list of names in a text column (scores, roll-ups) in CSV
and JSON Lines; Parquet holds such a column as a list of strings."""

TABLES: dict[str, dict[str, str]] = {
    "cells": CELL_COLUMNS,
    "findings": FINDING_COLUMNS,
    "metrics": METRIC_COLUMNS,
    "scores": SCORE_COLUMNS,
    "rollups": ROLLUP_COLUMNS,
}
"""Every tidy table by name, with its columns."""


FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
"""A text field starting with one of these is a formula to a spreadsheet (OWASP "CSV
injection"): the CSV writer prefixes it with ``'`` (text columns only, never numbers)."""


def _text_columns() -> frozenset[str]:
    return frozenset(n for t in TABLES.values() for n, d in t.items() if d.startswith("string"))


_TEXT_COLUMNS = _text_columns()


def safe_text(value: str) -> str:
    """A text field as a spreadsheet shows it: ``'=1+1`` for ``=1+1`` (see FORMULA_LEADS)."""
    return "'" + value if value.startswith(FORMULA_LEADS) else value


def number_field(value: Any) -> str | int | None:
    """A number as the tables hold it: an integer, a decimal as exact text, else empty."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return value if isinstance(value, int) and not isinstance(value, bool) else None
