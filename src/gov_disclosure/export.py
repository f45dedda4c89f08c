"""Tidy dataset export: one row per cell, and one row per finding.

The cells table has a fixed column order and documented types (see :data:`CELL_COLUMNS`), so
that researchers can concatenate the exports of thousands of reports. Blank cells are empty
fields, never 0; the ``status`` column tells a blank cell from one a parser could not read.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from gov_disclosure.columns import (
    _TEXT_COLUMNS,
    CELL_COLUMNS,
    FINDING_COLUMNS,
    FORMULA_LEADS,
    METRIC_COLUMNS,
    SCORE_COLUMNS,
    SEPARATOR,
    TABLES,
    number_field,
    safe_text,
)
from gov_disclosure.model.addressing import cells
from gov_disclosure.model.report import Report
from gov_disclosure.rules.definitions import TABLE_NAMES
from gov_disclosure.rules.results import Finding
from gov_disclosure.scoring import Mode, Score, ScoringPack
from gov_disclosure.serialization.files import encodable

if TYPE_CHECKING:
    from gov_disclosure.sources import Source

__all__ = [
    "CELL_COLUMNS",
    "FINDING_COLUMNS",
    "FORMULA_LEADS",
    "METRIC_COLUMNS",
    "SCORE_COLUMNS",
    "TABLE_SUFFIXES",
    "cell_rows",
    "finding_rows",
    "metric_row",
    "open_table",
    "open_workbook",
    "safe_text",
    "score_row",
    "write_csv",
    "write_jsonl",
]


def cell_rows(report: Report, *, file: str = "") -> Iterator[dict[str, Any]]:
    """One dict per cell of the report, in template order (keys: :data:`CELL_COLUMNS`)."""
    ocr = report.ocr
    file = encodable(file)  # a name that is not UTF-8, as every table format can carry it
    for cell in cells(report):
        table = TABLE_NAMES[cell.address.partition(".")[0]][0]
        yield {
            "file": file,
            "agency": report.agency.name,
            "year": report.year,
            "edition": report.format,
            "address": cell.address,
            "table": table,
            "row_label": " / ".join(cell.labels[1:-1]),
            "column_label": cell.labels[-1],
            "value": number_field(cell.value),
            "status": cell.status,
            "unread_reason": cell.unread,
            "read_by": "ocr" if cell.address in ocr else None,
            "ocr_confidence": ocr.get(cell.address),
        }


def finding_rows(
    report: Report, findings: Iterable[Finding], *, file: str = ""
) -> Iterator[dict[str, Any]]:
    """One dict per finding (keys: :data:`FINDING_COLUMNS`)."""
    file = encodable(file)
    for finding in findings:
        yield {
            "file": file,
            "agency": report.agency.name,
            "year": report.year,
            "rule": finding.rule,
            "severity": finding.severity,
            "address": finding.addresses[0] if finding.addresses else "",
            "addresses": " ".join(finding.addresses),
            "stated": number_field(finding.stated),
            "computed": number_field(finding.computed),
            "difference": number_field(finding.difference),
            "assessable": finding.assessable,
            "unread": " ".join(finding.unread),
            "ocr": " ".join(finding.ocr),
            "message_zh": finding.message["zh"],
            "message_en": finding.message["en"],
        }


def write_csv(
    rows: Iterable[dict[str, Any]], out: IO[str], columns: Iterable[str], *, header: bool = True
) -> int:
    """Write rows as CSV (UTF-8 text stream; ``None`` as an empty field). Returns the count.

    Safe to open in a spreadsheet: a text field that starts like a formula (``=``, ``+``,
    ``-``, ``@``, TAB, CR) gets a leading ``'``, which spreadsheets hide and treat as "text";
    numeric columns are never changed. Any field holding CR or LF is quoted, so every reader
    (``csv``, pandas, DuckDB) sees the same rows.
    """
    names = list(columns)
    # CRLF as the writer's terminator makes it quote a bare CR too; each line then ends "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def emit(values: list[Any]) -> None:
        writer.writerow(values)
        out.write(buffer.getvalue()[:-2] + "\n")
        buffer.seek(0)
        buffer.truncate()

    if header:
        emit(names)
    count = 0
    for row in rows:
        values = []
        for name in names:
            value = row.get(name)
            if value is None:
                value = ""
            elif isinstance(value, str) and name in _TEXT_COLUMNS:
                value = safe_text(value)
            values.append(value)
        emit(values)
        count += 1
    return count


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """Write rows as JSON Lines (``null`` for blank). Returns the count."""
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


TABLE_SUFFIXES = (".csv", ".jsonl", ".parquet", ".xlsx")
"""File endings the tables are written in (case-insensitive)."""


class _TextTable:
    def __init__(self, out: IO[str], table: str, jsonl: bool) -> None:
        self.out, self.columns, self.jsonl, self.rows = out, TABLES[table], jsonl, 0
        self.closed = False

    def prepare(self, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        return list(rows)  # text holds every value

    def commit(self, rows: list[dict[str, Any]]) -> int:
        if self.jsonl:
            count = write_jsonl(rows, self.out)
        else:
            count = write_csv(rows, self.out, self.columns, header=self.rows == 0)
        self.rows += count
        return count

    def write(self, rows: Iterable[dict[str, Any]]) -> int:
        return self.commit(self.prepare(rows))

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            if self.rows == 0 and not self.jsonl:
                write_csv([], self.out, self.columns)  # the header alone


@contextlib.contextmanager
def open_table(
    path: str, table: str, *, excel: bool = False, partition_by: Sequence[str] = ()
) -> Iterator[Any]:
    """Open a tidy table for writing, in the format its ending names, atomically.

    Args:
        path: ``….csv``, ``….jsonl``, ``….parquet`` (extra ``parquet``) or ``….xlsx`` (extra
            ``xlsx``: a workbook with this table alone; see :func:`open_workbook`).
        table: A name of :data:`~gov_disclosure.columns.TABLES` (``cells``, ``findings``, ...).
        excel: Start a CSV file with a byte-order mark (Excel on Chinese Windows).
        partition_by: For Parquet: write a Hive-partitioned dataset, a folder at ``path``
            (:class:`~gov_disclosure.parquet.PartitionedParquet`), by these columns
            (``year``, ``edition``).

    Yields:
        An object whose ``write(rows)`` adds rows and returns how many; ``prepare(rows)``
        checks rows without writing them and ``commit(prepared)`` writes them (so that a
        report is written to every table or to none); ``close()`` finishes the file, and is
        called on leaving the block if the caller has not (close every table inside the
        block: then a failure in any leaves every output as it was).
    """
    from gov_disclosure.atomic import atomic_open, atomic_open_binary

    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        with open_workbook(path, (table,)) as book:
            yield book[table]
        return
    if suffix == ".parquet" and partition_by:
        from gov_disclosure.atomic import atomic_folder
        from gov_disclosure.parquet import PartitionedParquet

        with atomic_folder(path) as folder:
            dataset = PartitionedParquet(folder, table, partition_by)
            with _discarded_on_error(dataset):
                yield dataset
            dataset.close()
        return
    if suffix == ".parquet":
        from gov_disclosure.parquet import ParquetTable

        with atomic_open_binary(path) as binary:
            parquet = ParquetTable(binary, table)
            with _discarded_on_error(parquet):
                yield parquet
            parquet.close()
        return
    with atomic_open(path) as text:
        if excel and suffix == ".csv":
            text.write("\ufeff")
        writer = _TextTable(text, table, jsonl=suffix == ".jsonl")
        yield writer
        writer.close()


@contextlib.contextmanager
def _discarded_on_error(output: Any) -> Iterator[None]:
    """Discard ``output`` (a Parquet writer) if the block raises, before its file goes."""
    try:
        yield
    except BaseException:
        output.discard()
        raise


@contextlib.contextmanager
def open_workbook(path: str, tables: Sequence[str]) -> Iterator[Any]:
    """Open an Excel workbook (extra ``xlsx``) holding several tidy tables, atomically.

    Yields:
        A :class:`~gov_disclosure.xlsx.XlsxWorkbook`: ``book["cells"]`` is written like the
        tables of :func:`open_table`; the workbook is saved when every table is closed (or
        on leaving the block).
    """
    from gov_disclosure.atomic import atomic_open_binary
    from gov_disclosure.xlsx import XlsxWorkbook

    with atomic_open_binary(path) as binary:
        book = XlsxWorkbook(binary, tables)
        yield book
        book.close()


def metric_row(report: Report, *, file: str = "") -> dict[str, Any]:
    """The report's indicators as one row of the metrics table (:data:`METRIC_COLUMNS`)."""
    from gov_disclosure.indicators import metrics

    return {
        "file": encodable(file),
        "agency": report.agency.name,
        "year": report.year,
        "edition": report.format,
        **metrics(report).to_dict(),
    }


def score_row(
    report: Report | None, score: Score, *, file: str = "", error: str = ""
) -> dict[str, Any]:
    """A report's score as one row of the scores table (:data:`SCORE_COLUMNS`).

    Args:
        report: The report scored, or ``None`` for a file that is not a valid report (its
            score from :func:`~gov_disclosure.scoring.invalid_score`).
        score: The :class:`~gov_disclosure.scoring.Score`.
        file: The source file.
        error: Why the file is not a valid report.
    """
    deducted = sum((d.points for d in score.deductions), Decimal(0))
    return {
        "file": encodable(file),
        "agency": report.agency.name if report is not None else None,
        "year": report.year if report is not None else None,
        "edition": report.format if report is not None else None,
        "status": "scored" if report is not None else "invalid",
        "pack": score.pack,
        "item": score.item,
        "mode": score.mode,
        "points": number_field(score.points),
        "score": number_field(score.score),
        "deducted": number_field(deducted),
        "deductions": SEPARATOR.join(f"{d.rule}:{d.finding}:{d.points}" for d in score.deductions),
        "not_deducted": SEPARATOR.join(f"{d.rule}:{d.finding}" for d in score.not_deducted),
        "not_assessable": SEPARATOR.join(score.not_assessable),
        "error": encodable(error) or None,
    }


def export_one(
    path: Source,
    pack: ScoringPack | None = None,
    mode: Mode | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any], dict[str, Any] | None]:
    """Cell rows, finding rows, the metrics row and the score row of one file.

    The file is a report document, a published report to parse, or a JSON Lines line (its
    bytes, or a :class:`~gov_disclosure.sources.LineRef`). The score row is
    ``None`` unless a scoring ``pack`` is given; the pack's rules are then checked too
    (``timeliness.date_unknown``, off by default, among them), but the finding rows stay
    those of the default rule set.
    """
    from gov_disclosure.rules import check
    from gov_disclosure.rules.definitions import DEFAULT_RULES
    from gov_disclosure.sources import load_any, source_name

    report = load_any(path)
    name = source_name(path)
    scored = None
    if pack is None:
        findings = check(report).findings
    else:
        from gov_disclosure.scoring import score_result

        result = check(report, select=sorted(DEFAULT_RULES | pack.rule_ids))
        findings = tuple(f for f in result.findings if f.rule in DEFAULT_RULES)
        scored = score_row(report, score_result(result, pack, mode=mode), file=name)
    return (
        list(cell_rows(report, file=name)),
        list(finding_rows(report, findings, file=name)),
        metric_row(report, file=name),
        scored,
    )
