"""Scale figures (issue 16): many generated reports through ``check`` and ``export``.

Run: ``pip install '.[parquet,dask]'`` then ``python benchmarks/scale.py [--reports N]``.

Each path runs the real command line in a fresh process on this machine's cores and reports
throughput and peak memory (the largest resident set of the main process and of any worker):

- ``check`` of one JSON Lines file, and of a folder of JSON files;
- ``export`` of the JSON Lines file to CSV and to Parquet;
- ``check`` of the JSON Lines file and of the folder on a ``distributed.LocalCluster`` of
  1, 2 and 4 single-thread workers (``--cluster-workers``), beside the local pool.

The check rows on a ``LocalCluster`` of ``--jobs`` workers are compared with the local pool
(issue 30: at least ``CLUSTER_TARGET`` of its rate); ``--json`` prints the figures.

Run it at two sizes (``--reports 20000`` and the default 100000): flat memory means the
peaks do not grow with the number of reports.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import gov_disclosure as gd

# VmHWM (this process's own peak, reset by exec) rather than ru_maxrss, which Linux carries
# over from the parent across fork and exec; the workers' peak is the children's ru_maxrss.
_RUN = """
import re, resource, sys
from gov_disclosure.cli import main
status = main(sys.argv[1:])
# workers started from the fork server (after pyarrow's or OCR's native threads) are its
# children: stop it so that they count among this process's waited-for descendants
import multiprocessing.forkserver as forkserver
getattr(forkserver._forkserver, "_stop", lambda: None)()
status_text = open("/proc/self/status").read()
own = int(re.search(r"VmHWM:\\s+(\\d+)", status_text).group(1))
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"PEAK {own} {workers}", file=sys.stderr)
"""


def _reports(count: int) -> list[str]:
    """``count`` distinct consistent reports as JSON lines (years and bodies vary)."""
    sample = gd.samples.load()
    base = gd.to_dict(sample)
    lines = []
    for i in range(count):
        body = dict(base)
        body["year"] = 2021 + i % 5
        body["agency"] = {"name": f"第{i}号县人民政府办公室"}
        lines.append(json.dumps(body, ensure_ascii=False))
    return lines


def _cli(*argv: str) -> tuple[float, int, int]:
    """Seconds, and peak RSS (MiB) of the main process and of the largest worker."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _RUN, *argv], capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    peak = [line for line in done.stderr.splitlines() if line.startswith("PEAK")]
    if done.returncode not in (0, 1) or not peak:
        raise SystemExit(f"{argv}: exit {done.returncode}\n{done.stderr[-2000:]}")
    _, own, workers = peak[-1].split()
    return elapsed, int(own) // 1024, int(workers) // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-cluster", action="store_true", help="skip the Dask path")
    parser.add_argument(
        "--cluster-workers", default="1,2,4", help="LocalCluster sizes, comma-separated"
    )
    parser.add_argument(
        "--tuned-workers",
        action="store_true",
        help="also run the check rows on clusters whose workers run without Dask's profiler "
        "and without the nanny's MALLOC_TRIM_THRESHOLD_ (TUNED_WORKERS; docs/scale.md)",
    )
    parser.add_argument("--only-check", action="store_true", help="skip the export rows")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    n = args.reports
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "folder"
        folder.mkdir()
        lines = _reports(n)
        jsonl = Path(tmp) / "reports.jsonl"
        jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
        for i, line in enumerate(lines):
            (folder / f"r{i:06d}.json").write_text(line, encoding="utf-8")
        del lines
        jobs = ["--jobs", str(args.jobs), "--quiet"]
        paths = {
            "check .jsonl": ("check", str(jsonl), *jobs),
            "check folder": ("check", str(folder), *jobs),
            "export .jsonl -> csv": ("export", str(jsonl), "-o", f"{tmp}/c.csv", *jobs),
            "export .jsonl -> parquet": ("export", str(jsonl), "-o", f"{tmp}/c.parquet", *jobs),
        }
        results = {}
        for name, argv in paths.items():
            if args.only_check and name.startswith("export"):
                continue
            results[name] = _cli(*argv)
        if not args.no_cluster:
            import dask
            import distributed

            sizes = [int(w) for w in args.cluster_workers.split(",")]
            settings = [("", {})] + ([(", tuned", TUNED_WORKERS)] if args.tuned_workers else [])
            for size, (label, config) in itertools.product(sizes, settings):
                with (
                    dask.config.set(config),
                    distributed.LocalCluster(
                        n_workers=size, threads_per_worker=1, processes=True, dashboard_address=None
                    ) as cluster,
                ):
                    for what, where in (("check .jsonl", jsonl), ("check folder", folder)):
                        results[f"{what} on LocalCluster({size}{label})"] = _cli(
                            "check", str(where), "--quiet", "--scheduler", cluster.scheduler_address
                        )
    ratios = _cluster_ratios(results, args.jobs)
    if args.json:
        rows = {
            name: {
                "reports_per_s": n / seconds,
                "seconds": seconds,
                "main_mib": own,
                "worker_mib": workers,
            }
            for name, (seconds, own, workers) in results.items()
        }
        print(json.dumps({"reports": n, "jobs": args.jobs, "rows": rows, "ratios": ratios}))
        return
    print(f"{n:,} reports, {args.jobs} local workers")
    for name, (seconds, own, workers) in results.items():
        print(
            f"{name:>40}: {n / seconds:8,.0f} reports/s ({seconds:6.1f} s); "
            f"peak RSS main {own} MiB, largest worker {workers} MiB"
        )
    for what, ratio in ratios.items():
        mark = "pass" if ratio >= CLUSTER_TARGET else "short"
        print(
            f"{what:>40}: LocalCluster({args.jobs}) at {ratio:.2f}x of the local pool "
            f"(target >= {CLUSTER_TARGET}x: {mark})"
        )
    for what, ratio in _cluster_ratios(results, args.jobs, ", tuned").items():
        print(f"{what:>40}: LocalCluster({args.jobs}, tuned) at {ratio:.2f}x of the local pool")


TUNED_WORKERS: dict[str, object] = {
    "distributed.worker.profile.enabled": False,
    "distributed.nanny.pre-spawn-environ": {
        "OMP_NUM_THREADS": 1,
        "MKL_NUM_THREADS": 1,
        "OPENBLAS_NUM_THREADS": 1,
    },
}
"""A deployment's settings for batch checking (docs/scale.md): no statistical profiler
sampling every task every 10 ms, and glibc's own malloc trimming instead of the nanny's
``MALLOC_TRIM_THRESHOLD_=65536`` (its other variables kept)."""

CLUSTER_TARGET = 0.9
"""Issue 30: ``check --scheduler`` on a LocalCluster of as many workers as the local pool."""


def _cluster_ratios(
    results: dict[str, tuple[float, int, int]], jobs: int, label: str = ""
) -> dict[str, float]:
    """Each check path's rate on a ``LocalCluster(jobs)`` over its rate on the local pool."""
    ratios = {}
    for what in ("check .jsonl", "check folder"):
        cluster = results.get(f"{what} on LocalCluster({jobs}{label})")
        if cluster and what in results:
            ratios[what] = results[what][0] / cluster[0]  # seconds: pool over cluster
    return ratios


if __name__ == "__main__":
    main()
