"""Excel export: typed sheets read back by openpyxl and pandas; blank, 0 and unread apart."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import gov_disclosure as gd
from gov_disclosure.cli import main
from gov_disclosure.export import CELL_COLUMNS, FINDING_COLUMNS, METRIC_COLUMNS, cell_rows
from gov_disclosure.xlsx import XlsxWorkbook

openpyxl = pytest.importorskip("openpyxl")


def _folder(tmp_path: Path, sample: gd.Report) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.json").write_text(gd.dumps(sample), encoding="utf-8")
    fee = gd.with_cell(sample, "proactive_disclosure.fees.amount_wan_yuan", Decimal("12.3456"))
    unread = gd.from_dict(
        {
            **gd.to_dict(gd.with_cell(fee, "requests.carried_over.total", None)),
            "unread": {"requests.carried_over.total": "illegible"},
        }
    )
    (folder / "b.json").write_text(gd.dumps(unread), encoding="utf-8")
    return folder


def _rows(sheet: object) -> list[dict[str, object]]:
    values = list(sheet.iter_rows(values_only=True))  # type: ignore[attr-defined]
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_one_workbook_holds_a_sheet_per_table_typed(tmp_path: Path, sample: gd.Report) -> None:
    out = tmp_path / "dataset.xlsx"
    assert main(["export", str(_folder(tmp_path, sample)), "-o", str(out), "--jobs", "1"]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["表二", "表三", "表四", "findings", "metrics"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert (
            sheet.auto_filter.ref
            == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        )
    per_table = {t: _rows(book[t]) for t in ("表二", "表三", "表四")}
    assert sum(len(r) for r in per_table.values()) == 2 * len(gd.cells(sample))
    assert list(per_table["表三"][0]) == list(CELL_COLUMNS)
    cells = {(r["file"][-6:], r["address"]): r for rows in per_table.values() for r in rows}
    received = cells[("a.json", "requests.new_received.total")]
    assert received["value"] == 116 and type(received["value"]) is int
    assert received["year"] == 2023 and type(received["year"]) is int
    zero_fee = cells[("a.json", "proactive_disclosure.fees.amount_wan_yuan")]
    assert zero_fee["value"] == 0 and zero_fee["status"] == "value"
    fee = cells[("b.json", "proactive_disclosure.fees.amount_wan_yuan")]
    assert Decimal(repr(fee["value"])) == Decimal("12.3456")  # a number, the exact digits
    blank = cells[("a.json", "requests.outcomes.withheld.state_secret.total")]
    unread = cells[("b.json", "requests.carried_over.total")]
    assert blank["value"] is None and blank["status"] == "blank"
    assert unread["value"] is None and unread["status"] == "unread"
    assert unread["unread_reason"] == "illegible"
    metrics = {m["file"][-6:]: m for m in _rows(book["metrics"])}
    assert list(metrics["a.json"]) == list(METRIC_COLUMNS)
    assert metrics["a.json"]["requests_concluded_share"] == pytest.approx(0.9328)
    assert metrics["b.json"]["requests_concluded_share"] is None  # unread: missing, not 0
    assert metrics["a.json"]["low_sample"] is False
    findings = _rows(book["findings"])
    assert findings and list(findings[0]) == list(FINDING_COLUMNS)
    assert all(isinstance(f["assessable"], bool) for f in findings)


def test_pandas_reads_the_sheets_with_numbers_as_numbers(tmp_path: Path, sample: gd.Report) -> None:
    pd = pytest.importorskip("pandas")
    out = tmp_path / "dataset.xlsx"
    assert main(["export", str(_folder(tmp_path, sample)), "-o", str(out), "--jobs", "1"]) == 0
    sheets = pd.read_excel(out, sheet_name=None, dtype={"edition": str})
    table3 = sheets["表三"]
    assert str(table3["year"].dtype).startswith("int")
    assert str(table3["value"].dtype) == "float64"  # blank and unread cells are NaN, not 0
    assert table3["value"].isna().sum() == (table3["status"] != "value").sum()
    assert set(table3["edition"]) == {"2021"}


def test_separate_files_and_the_findings_elsewhere(tmp_path: Path, sample: gd.Report) -> None:
    folder = _folder(tmp_path, sample)
    cells, findings = tmp_path / "cells.xlsx", tmp_path / "findings.csv"
    argv = ["export", str(folder), "-o", str(cells), "--findings", str(findings)]
    assert main([*argv, "--jobs", "1"]) == 0
    assert openpyxl.load_workbook(cells).sheetnames == ["表二", "表三", "表四", "metrics"]
    assert findings.read_text(encoding="utf-8").startswith("file,agency")
    metrics = tmp_path / "metrics.xlsx"
    argv = ["export", str(folder), "-o", str(tmp_path / "c.csv"), "--metrics", str(metrics)]
    assert main([*argv, "--jobs", "1"]) == 0
    assert openpyxl.load_workbook(metrics).sheetnames == ["metrics"]


def test_formulas_and_control_characters_are_neutralised(tmp_path: Path, sample: gd.Report) -> None:
    report = gd.from_dict(
        {**gd.to_dict(sample), "agency": {"name": '=HYPERLINK("http://x")\x01机关'}}
    )
    out = tmp_path / "x.xlsx"
    with out.open("wb") as binary:
        book = XlsxWorkbook(binary, ("cells",))
        book["cells"].write(cell_rows(report, file="@evil"))
        book.close()
    sheet = openpyxl.load_workbook(out)["表三"]
    row = _rows(sheet)[0]
    assert row["agency"] == '\'=HYPERLINK("http://x")\ufffd机关'
    assert row["file"] == "'@evil"
    assert all(c.data_type != "f" for line in sheet.iter_rows() for c in line)
