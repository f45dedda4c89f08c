"""Indicators: formulas as data, missing when a cell is blank or unread, in the export."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import gov_disclosure as gd
from gov_disclosure.cli import main
from gov_disclosure.indicators import INDICATORS

from .conftest import expected_report


def test_indicators_of_a_complete_report() -> None:
    report = expected_report("pingtan-2025")
    m = gd.metrics(report)
    outcomes = report.requests.outcomes
    # (33 + 38) / 148, read from the report's own cells
    assert outcomes.granted.total == 33 and outcomes.partially_granted.total == 38
    assert m["disclosure_rate"] == Decimal("0.4797")
    assert m["review_correction_rate"] == Decimal("0.0833")  # 3 corrected of 36 reviews
    assert m["litigation_loss_rate"] == Decimal("0.3333")  # 3 of 9 lawsuits
    assert m.concluded == 148 and not m.low_sample
    assert set(m.values) == {i.name for i in INDICATORS}


def test_blank_and_unread_cells_make_an_indicator_missing_never_zero(sample: gd.Report) -> None:
    m = gd.metrics(sample)
    # the seed prints the withheld rows blank: the rate is unknown, not 0
    assert m["withheld_rate"] is None
    assert "requests.outcomes.withheld.state_secret.total" in m.missing["withheld_rate"]
    assert m["requests_concluded_share"] == Decimal("0.9328")  # 111 / (116 + 3)
    unread = gd.from_dict(
        {
            **gd.to_dict(gd.with_cell(sample, "requests.carried_over.total", None)),
            "unread": {"requests.carried_over.total": "illegible"},
        }
    )
    m = gd.metrics(unread)
    assert m["requests_concluded_share"] is None
    assert m.missing["requests_concluded_share"] == ("requests.carried_over.total",)


def test_a_zero_denominator_and_a_small_sample() -> None:
    m = gd.metrics(expected_report("pingtan-2019"))
    assert m["review_correction_rate"] is None and "review_correction_rate" not in m.missing
    assert m.concluded == 23 and m.low_sample


def test_export_writes_one_metrics_row_per_report(tmp_path: Path, sample: gd.Report) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.json").write_text(gd.dumps(sample), encoding="utf-8")
    out = tmp_path / "metrics.csv"
    assert (
        main(
            [
                "export",
                str(tmp_path),
                "-o",
                str(tmp_path / "c.csv"),
                "--metrics",
                str(out),
                "--jobs",
                "1",
            ]
        )
        == 0
    )
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 2
    assert rows[0]["requests_concluded_share"] == "0.9328"
    assert rows[0]["withheld_rate"] == ""  # missing, not 0
    assert rows[0]["concluded"] == "111" and rows[0]["low_sample"] == "False"
