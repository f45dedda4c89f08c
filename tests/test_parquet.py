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


# --- hostile values (issue 25 #3) -----------------------------------------------------------


def test_the_model_schemas_and_parquet_hold_one_money_limit(sample: gd.Report) -> None:
    data = gd.to_dict(sample)
    fee = "proactive_disclosure.fees.amount_wan_yuan"
    for bad in ("1" * 25, "1." + "1" * 13, "1" * 31 + ".01"):
        document = {**data, "proactive_disclosure": {**data["proactive_disclosure"]}}
        document["proactive_disclosure"]["fees"] = {"amount_wan_yuan": bad}
        with pytest.raises(gd.DocumentError, match="amount_wan_yuan"):
            gd.from_dict(document)
        assert gd.validate_json(document) != []
    widest = gd.with_cell(sample, fee, Decimal("9" * 24 + "." + "9" * 12))
    assert gd.from_xml(gd.to_xml(widest)) == widest


def test_the_widest_values_export_to_parquet_and_read_back(
    tmp_path: Path, sample: gd.Report
) -> None:
    from gov_disclosure.model.fields import MAX_COUNT

    report = gd.with_cell(
        sample, "proactive_disclosure.fees.amount_wan_yuan", Decimal("9" * 24 + "." + "9" * 12)
    )
    # a correction rate of MAX_COUNT (corrected / 1 review): far past the old decimal(9, 4)
    report = gd.with_cell(report, "review_litigation.administrative_review.corrected", MAX_COUNT)
    report = gd.with_cell(report, "review_litigation.administrative_review.total", 1)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "wide.json").write_text(gd.dumps(report), encoding="utf-8")
    out = [tmp_path / f"{t}.parquet" for t in ("cells", "findings", "metrics")]
    argv = ["export", str(folder), "-o", str(out[0]), "--findings", str(out[1])]
    assert main([*argv, "--metrics", str(out[2]), "--jobs", "1"]) == 0
    cells = pq.read_table(out[0]).to_pylist()
    fee = next(r for r in cells if r["address"].endswith("amount_wan_yuan"))
    assert fee["amount"] == Decimal("9" * 24 + "." + "9" * 12)
    metrics = pq.read_table(out[2]).to_pylist()
    assert metrics[0]["review_correction_rate"] == Decimal(MAX_COUNT)


def test_outputs_are_replaced_together_or_not_at_all(
    tmp_path: Path, sample: gd.Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gov_disclosure import parquet

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.json").write_text(gd.dumps(sample), encoding="utf-8")
    out = [tmp_path / f"{t}.parquet" for t in ("cells", "findings", "metrics")]
    for path in out:
        path.write_bytes(b"old")
    original = parquet.ParquetTable.close

    def failing_close(self: parquet.ParquetTable) -> None:
        original(self)
        if self._table == "cells":  # the last to leave its block: the others had renamed
            raise OSError(28, "No space left on device")  # e.g. the footer's flush

    monkeypatch.setattr(parquet.ParquetTable, "close", failing_close)
    argv = ["export", str(folder), "-o", str(out[0]), "--findings", str(out[1])]
    assert main([*argv, "--metrics", str(out[2]), "--jobs", "1"]) == 2
    assert [p.read_bytes() for p in out] == [b"old"] * 3  # none replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["in", *[p.name for p in out]])


@pytest.mark.parametrize("partition_by", [None, ("year",)])
def test_an_export_abandoned_midway_leaves_nothing_and_prints_nothing(
    tmp_path: Path, sample: gd.Report, partition_by: tuple[str, ...] | None
) -> None:
    # an unexpected error inside the block: the output is thrown away, and the Parquet
    # writer is closed before its file is, not by the garbage collector afterwards (which
    # printed "Exception ignored ... write to closed file" after the run's own error)
    import gc
    import sys

    from gov_disclosure.export import cell_rows, open_table

    def export_and_fail() -> None:
        with open_table(str(tmp_path / "c.parquet"), "cells", partition_by=partition_by) as out:
            out.write(list(cell_rows(sample)))
            raise RuntimeError("midway")

    ignored: list[object] = []
    hook = sys.unraisablehook
    sys.unraisablehook = ignored.append
    try:
        with pytest.raises(RuntimeError, match="midway"):
            export_and_fail()
        gc.collect()  # the writer, unreachable now, is finalised here
    finally:
        sys.unraisablehook = hook
    assert ignored == []
    assert list(tmp_path.iterdir()) == []
