"""Parquet export: typed columns read back by pyarrow and DuckDB; blank and unread apart."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import gov_disclosure as gd
from gov_disclosure.cli import main

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def _folder(tmp_path: Path, sample: gd.Report) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.json").write_text(gd.dumps(sample), encoding="utf-8")
    unread = gd.from_dict(
        {
            **gd.to_dict(gd.with_cell(sample, "requests.carried_over.total", None)),
            "unread": {"requests.carried_over.total": "illegible"},
        }
    )
    (folder / "b.json").write_text(gd.dumps(unread), encoding="utf-8")
    inconsistent = gd.with_cell(sample, "requests.outcomes.total.total", 1)
    (folder / "c.json").write_text(gd.dumps(inconsistent), encoding="utf-8")
    return folder


def test_parquet_tables_have_the_documented_types(tmp_path: Path, sample: gd.Report) -> None:
    folder = _folder(tmp_path, sample)
    cells, findings, metrics = (tmp_path / f"{n}.parquet" for n in ("c", "f", "m"))
    argv = ["export", str(folder), "-o", str(cells), "--findings", str(findings)]
    assert main([*argv, "--metrics", str(metrics), "--jobs", "1"]) == 0
    table = pq.read_table(cells)
    assert table.num_rows == 3 * len(gd.cells(sample))
    assert table.schema.field("count").type == pa.int64()
    assert table.schema.field("amount").type == pa.decimal128(38, 12)
    assert table.schema.field("year").type == pa.int32()
    rows = {(r["file"][-6:], r["address"]): r for r in table.to_pylist()}
    assert rows[("a.json", "requests.new_received.total")]["count"] == 116
    fee = rows[("a.json", "proactive_disclosure.fees.amount_wan_yuan")]
    assert fee["amount"] == Decimal("0") and fee["count"] is None
    blank = rows[("a.json", "requests.outcomes.withheld.state_secret.total")]
    unread = rows[("b.json", "requests.carried_over.total")]
    assert blank["count"] is None and blank["status"] == "blank"
    assert unread["count"] is None and unread["status"] == "unread"
    assert unread["unread_reason"] == "illegible"
    found = pq.read_table(findings).to_pylist()
    assert {f["rule"] for f in found if f["severity"] == "inconsistency"} >= {
        "requests.outcomes_total"
    }
    assert all(isinstance(f["addresses"], list) for f in found)
    by_file = {m["file"][-6:]: m for m in pq.read_table(metrics).to_pylist()}
    assert by_file["a.json"]["requests_concluded_share"] == Decimal("0.9328")
    assert by_file["b.json"]["requests_concluded_share"] is None  # unread: missing, not 0


def test_duckdb_reads_the_export(tmp_path: Path, sample: gd.Report) -> None:
    duckdb = pytest.importorskip("duckdb")
    folder = _folder(tmp_path, sample)
    cells = tmp_path / "cells.parquet"
    assert main(["export", str(folder), "-o", str(cells), "--jobs", "1"]) == 0
    con = duckdb.connect()
    total, unread, blank = con.execute(
        "select count(*), count(*) filter (where status = 'unread'), "
        "count(*) filter (where status = 'blank') from read_parquet(?)",
        [str(cells)],
    ).fetchone()
    assert total == 3 * len(gd.cells(sample)) and unread == 1
    # the unread cell held a value in the sample: the blanks are the sample's own, three times
    assert blank == 3 * sum(1 for c in gd.cells(sample) if c.value is None)
    described = con.execute(
        "describe select count, amount, year from read_parquet(?)", [str(cells)]
    ).fetchall()
    kinds = {row[0]: row[1] for row in described}
    assert kinds == {"count": "BIGINT", "amount": "DECIMAL(38,12)", "year": "INTEGER"}
