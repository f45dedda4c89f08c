"""Parquet tables for analysts (extra ``parquet``): typed columns, written in batches.

The schemas are fixed and documented (:func:`schema_for`, docs/export.md): counts are 64-bit
integers, money is ``decimal128(38, 12)``, years are 32-bit integers, and a cell's ``status``
(``value``, ``blank``, ``unread``) keeps a blank apart from an unread cell, both of which hold
null values. Rows are buffered and written as record batches, so memory stays flat whatever
the number of reports.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

from gov_disclosure.columns import SEPARATOR
from gov_disclosure.indicators import INDICATORS
from gov_disclosure.optional import require

__all__ = [
    "PARTITION_COLUMNS",
    "ParquetTable",
    "PartitionedParquet",
    "partitioning",
    "record_batch",
    "schema_for",
]

_BATCH_ROWS = 20_000
_MONEY = (38, 12)


def _pa() -> Any:
    return require("pyarrow", "parquet", "writing Parquet")


@functools.cache
def _schemas() -> dict[str, Any]:  # built once: it needs pyarrow
    pa = _pa()
    money = pa.decimal128(*_MONEY)
    common = [
        pa.field("file", pa.string()),
        pa.field("agency", pa.string()),
        pa.field("year", pa.int32()),
    ]
    cells = pa.schema(
        [
            *common,
            pa.field("edition", pa.string()),
            pa.field("address", pa.string()),
            pa.field("table", pa.string()),
            pa.field("row_label", pa.string()),
            pa.field("column_label", pa.string()),
            pa.field("count", pa.int64()),  # count and signed cells
            pa.field("amount", money),  # money cells
            pa.field("status", pa.string()),
            pa.field("unread_reason", pa.string()),
            pa.field("read_by", pa.string()),
            pa.field("ocr_confidence", pa.float64()),
        ]
    )
    findings = pa.schema(
        [
            *common,
            pa.field("rule", pa.string()),
            pa.field("severity", pa.string()),
            pa.field("address", pa.string()),
            pa.field("addresses", pa.list_(pa.string())),
            pa.field("stated", money),
            pa.field("computed", money),
            pa.field("difference", money),
            pa.field("assessable", pa.bool_()),
            pa.field("unread", pa.list_(pa.string())),
            pa.field("ocr", pa.list_(pa.string())),
            pa.field("message_zh", pa.string()),
            pa.field("message_en", pa.string()),
        ]
    )
    metrics = pa.schema(
        [
            *common,
            pa.field("edition", pa.string()),
            # a rate of two counts (each <= 2**53) fits 16 digits before the point
            *[pa.field(i.name, pa.decimal128(22, 4)) for i in INDICATORS],
            pa.field("concluded", pa.int64()),
            pa.field("low_sample", pa.bool_()),
        ]
    )
    scores = pa.schema(
        [
            *common,
            pa.field("edition", pa.string()),
            pa.field("status", pa.string()),
            pa.field("pack", pa.string()),
            pa.field("item", pa.string()),
            pa.field("mode", pa.string()),
            *[pa.field(n, money) for n in ("points", "score", "deducted")],
            *[pa.field(n, pa.list_(pa.string())) for n in _SCORE_LISTS],
            pa.field("error", pa.string()),
        ]
    )
    rollups = pa.schema(
        [
            pa.field("parent", pa.string()),
            pa.field("year", pa.int32()),
            *[pa.field(n, pa.string()) for n in ("report", "edition", "address", "table")],
            pa.field("parent_value", money),
            pa.field("parent_status", pa.string()),
            pa.field("children_sum", money),
            pa.field("counted", pa.int32()),
            *[pa.field(n, pa.list_(pa.string())) for n in _ROLLUP_LISTS],
            pa.field("difference", money),
        ]
    )
    return {
        "cells": cells,
        "findings": findings,
        "metrics": metrics,
        "scores": scores,
        "rollups": rollups,
    }


_ROLLUP_LISTS = ("unread", "ocr")


_SCORE_LISTS = ("deductions", "not_deducted", "not_assessable")


def schema_for(table: str) -> Any:
    """The ``pyarrow.Schema`` of ``cells``, ``findings``, ``metrics``, ``scores`` or ``rollups``."""
    return _schemas()[table]


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    number = Decimal(str(value))
    if number.as_tuple().exponent < -_MONEY[1]:  # type: ignore[operator]
        raise ValueError(f"{value}: more than {_MONEY[1]} decimal places")
    return number


def _split(text: Any) -> list[str]:
    return str(text).split() if text else []


def _names(text: Any) -> list[str]:
    """A list column written as text (names separated by ``SEPARATOR``) as a list."""
    return str(text).split(SEPARATOR) if text else []


def _typed(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A row of the tidy tables (export.py) with the Parquet columns' types."""
    if table == "cells":
        value = row["value"]
        typed = {k: v for k, v in row.items() if k != "value"}
        typed["count"] = value if isinstance(value, int) else None
        typed["amount"] = _decimal(value) if isinstance(value, str) else None
        return typed
    if table == "findings":
        return {
            **row,
            "addresses": _split(row["addresses"]),
            "unread": _split(row["unread"]),
            "ocr": _split(row["ocr"]),
            "stated": _decimal(row["stated"]),
            "computed": _decimal(row["computed"]),
            "difference": _decimal(row["difference"]),
        }
    if table == "scores":
        return {
            **row,
            **{n: _decimal(row[n]) for n in ("points", "score", "deducted")},
            **{n: _names(row[n]) for n in _SCORE_LISTS},
        }
    if table == "rollups":
        return {
            **row,
            **{n: _decimal(row[n]) for n in ("parent_value", "children_sum", "difference")},
            **{n: _names(row[n]) for n in _ROLLUP_LISTS},
        }
    return {**row, **{i.name: _decimal(row[i.name]) for i in INDICATORS}}


def record_batch(table: str, rows: Iterable[dict[str, Any]]) -> Any:
    """Rows of a tidy table as one typed ``pyarrow.RecordBatch`` (for :meth:`ParquetTable.append`).

    Built where the rows are made (a batch worker), so that the process writing the file
    only appends batches.

    Raises:
        ValueError: naming the value a column cannot hold.
    """
    pa = _pa()
    try:
        typed = [_typed(table, row) for row in rows]
        return pa.RecordBatch.from_pylist(typed, schema=schema_for(table))
    except (pa.ArrowException, ArithmeticError, ValueError, TypeError) as exc:
        raise ValueError(f"a value does not fit the Parquet {table} table: {exc}") from None


class ParquetTable:
    """Write rows of one tidy table to a Parquet file in record batches.

    Args:
        out: A binary file object (the CLI passes an atomic temporary file) or a path.
        table: ``cells``, ``findings``, ``metrics``, ``scores`` or ``rollups``.
        drop: Columns not written (a partitioned dataset keeps them in its folder names).
    """

    def __init__(self, out: IO[bytes] | str, table: str, drop: Iterable[str] = ()) -> None:
        pa = _pa()
        pq = require("pyarrow.parquet", "parquet", "writing Parquet")
        self._pa = pa
        self._table = table
        dropped = set(drop)
        full = schema_for(table)
        self._schema = pa.schema([f for f in full if f.name not in dropped])
        self._drop = dropped
        self._writer = pq.ParquetWriter(out, self._schema, compression="zstd")
        self._buffer: list[dict[str, Any]] = []
        self._batches: list[Any] = []
        self._batched = 0
        self._closed = False

    def prepare(self, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Rows typed for the columns, each value checked to fit (nothing is written yet).

        Raises:
            ValueError: naming the value a column cannot hold (the model's limits make this
                an input that bypassed it).
        """
        typed = []
        try:
            for row in rows:
                values = _typed(self._table, row)
                for column in self._drop:
                    values.pop(column, None)
                typed.append(values)
            self._pa.RecordBatch.from_pylist(typed, schema=self._schema)
        except (self._pa.ArrowException, ArithmeticError, ValueError, TypeError) as exc:
            message = f"a value does not fit the Parquet {self._table} table: {exc}"
            raise ValueError(message) from None
        return typed

    def commit(self, typed: list[dict[str, Any]]) -> int:
        """Add rows from :meth:`prepare`; returns how many."""
        for values in typed:
            self._buffer.append(values)
            if len(self._buffer) >= _BATCH_ROWS:
                self._flush()
        return len(typed)

    def write(self, rows: Iterable[dict[str, Any]]) -> int:
        """Add rows; returns how many."""
        return self.commit(self.prepare(rows))

    def append(self, batch: Any) -> int:
        """Add a batch from :func:`record_batch` (same table, no dropped columns).

        Batches are gathered into row groups of about 20,000 rows. Returns the batch's rows.
        """
        self._batches.append(batch)
        self._batched += batch.num_rows
        if self._batched >= _BATCH_ROWS:
            self._flush()
        elif len(self._batches) >= 256:
            # many small batches (a metrics row each) cost far more than their rows: one
            # batch of them all keeps memory to the rows themselves
            gathered = self._pa.Table.from_batches(self._batches, schema=self._schema)
            self._batches = gathered.combine_chunks().to_batches()
        return int(batch.num_rows)

    def _flush(self) -> None:
        if self._batches:
            gathered = self._pa.Table.from_batches(self._batches, schema=self._schema)
            self._writer.write_table(gathered.combine_chunks())
            self._batches, self._batched = [], 0
        if self._buffer:
            batch = self._pa.RecordBatch.from_pylist(self._buffer, schema=self._schema)
            self._writer.write_batch(batch)
            self._buffer = []

    def close(self) -> None:
        """Write what is buffered and the file footer (once)."""
        if not self._closed:
            self._closed = True
            self._flush()
            self._writer.close()

    def discard(self) -> None:
        """Give the file up, unfinished: for an output that is being thrown away.

        The writer is closed now, while its file is still open: left to the garbage
        collector, it would write its footer into a file already closed, and Python would
        print "Exception ignored ... write to closed file" after the run's own error.
        """
        if not self._closed:
            self._closed = True
            self._buffer, self._batches = [], []
            with contextlib.suppress(Exception):
                self._writer.close()


PARTITION_COLUMNS = ("year", "edition")
"""Columns a Parquet dataset may be partitioned by (``export --partition-by``)."""


class PartitionedParquet:
    """Write rows of one tidy table as a Hive-partitioned Parquet dataset (a folder).

    Each partition is a folder ``column=value`` per partition column, holding
    ``part-0.parquet``; the partition columns are in the folder names, not in the files.
    Read it back with the partition columns' types::

        pyarrow.dataset.dataset(path, format="parquet", partitioning=partitioning(table))

    A table without one of the columns (``findings`` has no ``edition``) is partitioned by
    the others. One writer is open per partition seen (years × editions: a few dozen).

    Args:
        folder: The dataset's folder (created; the CLI passes a temporary one it renames).
        table: ``cells``, ``findings``, ``metrics``, ``scores`` or ``rollups``.
        by: Partition columns, from :data:`PARTITION_COLUMNS`.
    """

    def __init__(self, folder: str, table: str, by: Iterable[str]) -> None:
        self._folder = folder
        self._table = table
        names = set(schema_for(table).names)
        self.by = tuple(c for c in by if c in names)
        self._writers: dict[tuple[Any, ...], ParquetTable] = {}

    def prepare(self, rows: Iterable[dict[str, Any]]) -> list[tuple[tuple[Any, ...], Any]]:
        """Rows with their partition, each checked to fit (see :meth:`ParquetTable.prepare`)."""
        out = []
        for row in rows:
            key = tuple(row[c] for c in self.by)
            for value in key:
                _partition_value(value)
            out.append((key, self._writer(key).prepare((row,))))
        return out

    def commit(self, prepared: list[tuple[tuple[Any, ...], Any]]) -> int:
        """Add rows from :meth:`prepare`; returns how many."""
        for key, typed in prepared:
            self._writer(key).commit(typed)
        return len(prepared)

    def write(self, rows: Iterable[dict[str, Any]]) -> int:
        """Add rows; returns how many."""
        return self.commit(self.prepare(rows))

    def _writer(self, key: tuple[Any, ...]) -> ParquetTable:
        writer = self._writers.get(key)
        if writer is None:
            parts = [f"{c}={_partition_value(v)}" for c, v in zip(self.by, key, strict=True)]
            where = os.path.join(self._folder, *parts)
            os.makedirs(where, exist_ok=True)
            writer = ParquetTable(os.path.join(where, "part-0.parquet"), self._table, self.by)
            self._writers[key] = writer
        return writer

    def close(self) -> None:
        """Close every partition's file (once)."""
        for writer in self._writers.values():
            writer.close()

    def discard(self) -> None:
        """Give every partition's file up, unfinished (see :meth:`ParquetTable.discard`)."""
        for writer in self._writers.values():
            writer.discard()


def _partition_value(value: Any) -> str:
    text = "__HIVE_DEFAULT_PARTITION__" if value is None else str(value)
    if not text or "/" in text or "\\" in text or text in (".", ".."):
        raise ValueError(f"cannot partition by {value!r}")
    return text


def partitioning(table: str, by: Iterable[str] = PARTITION_COLUMNS) -> Any:
    """The ``pyarrow.dataset`` partitioning that reads a dataset back with typed columns."""
    ds = require("pyarrow.dataset", "parquet", "reading Parquet")
    names = set(schema_for(table).names)
    fields = [schema_for(table).field(c) for c in by if c in names]
    return ds.partitioning(_pa().schema(fields), flavor="hive")
