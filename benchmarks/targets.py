"""Issue 30's table in one run: every performance target with its figure and pass/short.

Run: ``pip install -e '.[bench,dask]'`` then ``python benchmarks/targets.py [--quick]``.

Each row comes from the benchmark that owns it, run in a fresh process one after the other
(so that they do not share the cores):

- ``anchors.py --json``: ``check`` (identities only) against straight-line code, ``loads``
  against pydantic v2, ``from_xml`` against lxml parsing plus XSD validation;
- ``bench.py --only batch_check --json``: a batch ``check`` of JSON files on two workers
  against one (measured in turns), beside the machine's ceiling in the same run (two
  independent load+check loops against one);
- ``scale.py --only-check --cluster-workers N --json``: ``check --scheduler`` on a
  ``LocalCluster`` of ``N`` single-thread workers against the local pool of ``N`` workers,
  for JSON Lines and for a folder (``N`` is ``--jobs``, 2 by default).

The table is Markdown, ready for ``docs/performance.md``. The targets are the constants of
those scripts, so a target changed there changes here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from anchors import TARGETS, versions  # noqa: E402  (the scripts beside this one)
from bench import BATCH_TARGET  # noqa: E402
from scale import CLUSTER_TARGET  # noqa: E402


def _run(script: str, *argv: str) -> Any:
    """The JSON a benchmark script prints with ``--json``."""
    done = subprocess.run(
        [sys.executable, str(HERE / script), *argv, "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{script} {' '.join(argv)}: exit {done.returncode}\n{done.stderr}")
    return json.loads(done.stdout)


def rows(quick: bool, reports: int, jobs: int, cluster: bool) -> list[tuple[str, str, str, bool]]:
    """(row, figure, target, met) for each of the issue's rows, measured now."""
    table = []
    anchors = _run("anchors.py", *(["--quick"] if quick else []))
    for name, label in (
        ("check", "`check` of a report without text vs straight-line code"),
        ("loads", "`loads` vs pydantic v2 `model_validate_json`"),
        ("from_xml", "`from_xml` vs lxml parse + XSD"),
    ):
        anchor, limit = TARGETS[name]
        ours, theirs = anchors[name]["ours"], anchors[name][anchor]
        ratio = ours / theirs
        figure = f"{ratio:.2f}× ({ours:,.1f} µs vs {theirs:,.1f} µs)"
        table.append((label, figure, f"≤ {limit}×", ratio <= limit))
    # 2,000 files even when quick: on fewer, starting the pool weighs on the ratio
    batch = _run("bench.py", "--only", "batch_check", "--batch-files", "2000")
    one, two = batch["batch_check_1_core"], batch["batch_check_2_cores"]
    limit = batch["two_process_ceiling"]  # two independent loops against one, this run
    table.append(
        (
            "batch `check`, 2 workers vs 1 (`bench.py`)",
            f"{two / one:.2f}× ({two:,.0f}/s vs {one:,.0f}/s; the machine's ceiling {limit:.2f}×)",
            f"≥ {BATCH_TARGET}×",
            two / one >= BATCH_TARGET,
        )
    )
    if cluster:
        scale = _run(
            "scale.py",
            *("--reports", str(reports), "--jobs", str(jobs), "--only-check"),
            *("--cluster-workers", str(jobs)),
        )
        for what, ratio in scale["ratios"].items():
            pool = scale["rows"][what]["reports_per_s"]
            on = scale["rows"][f"{what} on LocalCluster({jobs})"]["reports_per_s"]
            table.append(
                (
                    f"`{what}` on a {jobs}-worker `LocalCluster` vs the local pool",
                    f"{ratio:.2f}× ({on:,.0f}/s vs {pool:,.0f}/s)",
                    f"≥ {CLUSTER_TARGET}×",
                    ratio >= CLUSTER_TARGET,
                )
            )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a shorter run of anchors.py")
    parser.add_argument(
        "--reports",
        type=int,
        default=100_000,
        help="reports of the cluster rows (on fewer, connecting weighs on the ratio)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="workers of the pool and cluster")
    parser.add_argument("--no-cluster", action="store_true", help="skip the Dask rows")
    args = parser.parse_args()
    table = rows(args.quick, args.reports, args.jobs, not args.no_cluster)
    print("| measured | now | target | |")
    print("|---|---|---|---|")
    for label, figure, target, met in table:
        print(f"| {label} | {figure} | {target} | {'pass' if met else 'short'} |")
    print(f"\nAnchors: {versions()}")


if __name__ == "__main__":
    main()
