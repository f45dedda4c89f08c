"""Parquet export: typed columns read back by pyarrow and DuckDB; blank and unread apart."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs
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


def test_partitioned_dataset_reads_back_with_pyarrow_and_duckdb(
    tmp_path: Path, sample: gd.Report
) -> None:
    import pyarrow.dataset as ds

    from gov_disclosure.parquet import partitioning

    folder = tmp_path / "in"
    folder.mkdir()
    for year in (2022, 2023):
        report = attrs.evolve(sample, year=year)
        (folder / f"{year}.json").write_text(gd.dumps(report), encoding="utf-8")
    legacy = gd.read_document(
        Path(__file__).parent.parent / "conformance/2019/valid/pingtan-2019.json"
    )
    (folder / "2019.json").write_text(gd.dumps(legacy), encoding="utf-8")
    cells, findings = tmp_path / "cells.parquet", tmp_path / "findings.parquet"
    argv = ["export", str(folder), "-o", str(cells), "--findings", str(findings)]
    assert main([*argv, "--partition-by", "year,edition", "--jobs", "1"]) == 0
    parts = sorted(p.relative_to(cells).as_posix() for p in cells.rglob("*.parquet"))
    assert parts == [
        "year=2019/edition=2019/part-0.parquet",
        "year=2022/edition=2021/part-0.parquet",
        "year=2023/edition=2021/part-0.parquet",
    ]
    # the partition columns live in the folder names, typed by the documented schema
    table = ds.dataset(cells, format="parquet", partitioning=partitioning("cells")).to_table()
    assert table.schema.field("year").type == pa.int32()
    assert table.schema.field("edition").type == pa.string()
    assert table.num_rows == 2 * len(gd.cells(sample)) + len(gd.cells(legacy))
    rows = [r for r in table.to_pylist() if r["address"] == "requests.new_received.total"]
    assert {(r["year"], r["edition"], r["count"]) for r in rows} >= {(2023, "2021", 116)}
    # findings have no edition column: partitioned by year alone (2019 has no finding)
    assert sorted(p.parent.name for p in findings.rglob("*.parquet")) == [
        "year=2022",
        "year=2023",
    ]
    duckdb = pytest.importorskip("duckdb")
    count = duckdb.sql(
        f"select count(*) from read_parquet('{cells.as_posix()}/**/*.parquet', "
        "hive_partitioning = true) where year = 2023 and edition = '2021'"
    ).fetchall()
    assert count == [(len(gd.cells(sample)),)]


def test_partitioning_is_atomic_and_replaces_the_old_dataset(
    tmp_path: Path, sample: gd.Report
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.json").write_text(gd.dumps(sample), encoding="utf-8")
    out = tmp_path / "cells.parquet"
    argv = ["export", str(folder), "-o", str(out), "--partition-by", "year", "--jobs", "1"]
    assert main(argv) == 0
    (folder / "a.json").write_text(gd.dumps(attrs.evolve(sample, year=2024)), encoding="utf-8")
    assert main(argv) == 0
    assert [p.name for p in out.iterdir()] == ["year=2024"]  # not 2023 and 2024
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers
    with pytest.raises(SystemExit) as refused:  # a usage error: CSV has no partitions
        main(["export", str(folder), "-o", str(tmp_path / "c.csv"), "--partition-by", "year"])
    assert refused.value.code == 2
