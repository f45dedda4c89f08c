"""The columns of the tidy tables (cells, findings, metrics) and their documented types.

One definition read by every writer: CSV and JSON Lines (:mod:`gov_disclosure.export`),
Parquet (:mod:`gov_disclosure.parquet`) and Excel (:mod:`gov_disclosure.xlsx`).
"""

from __future__ import annotations

__all__ = ["CELL_COLUMNS", "FINDING_COLUMNS", "FORMULA_LEADS", "METRIC_COLUMNS", "safe_text"]

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


FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
"""A text field starting with one of these is a formula to a spreadsheet (OWASP "CSV
injection"): the CSV writer prefixes it with ``'`` (text columns only, never numbers)."""


def _text_columns() -> frozenset[str]:
    tables = (CELL_COLUMNS, METRIC_COLUMNS, FINDING_COLUMNS)
    return frozenset(n for t in tables for n, d in t.items() if d.startswith("string"))


_TEXT_COLUMNS = _text_columns()


def safe_text(value: str) -> str:
    """A text field as a spreadsheet shows it: ``'=1+1`` for ``=1+1`` (see FORMULA_LEADS)."""
    return "'" + value if value.startswith(FORMULA_LEADS) else value
