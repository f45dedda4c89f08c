"""The evaluators' site at scale (issue 28): 10,000 reports -> the site, time and memory.

Run: ``pip install '.[site,parquet]'`` then ``python benchmarks/site.py [--reports N]``.

The reports are the seed's, spread over ``N / 5`` bodies of every administrative level and
five years (so that every agency page has trends, diffs and cross-year findings), with a
few cells varied per report (different indicators) and one report in ten inconsistent.
The site is built by the real command line in a fresh process (``gov-disclosure site``),
from one JSON Lines file, on ``--jobs`` workers; then built again over the same folder,
the case of one changed report (a full rebuild, see docs/site.md). Peak memory is the
largest resident set of the main process and of any worker: run at two sizes
(``--reports 2000`` and the default 10000) to see that it does not grow with the corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
from pathlib import Path

from scale import _cli

import gov_disclosure as gd

_LEVELS = ("provincial", "prefectural", "county", "township")


def _reports(count: int, seed: int = 28) -> list[str]:
    rng = random.Random(seed)
    base = gd.to_dict(gd.samples.load())
    lines = []
    for i in range(count):
        body = json.loads(json.dumps(base))
        body["year"] = 2019 + i % 5
        body["agency"] = {
            "name": f"第{i // 5}号县人民政府办公室",
            "level": _LEVELS[(i // 5) % len(_LEVELS)],
            "kind": "government",
        }
        outcomes = body["requests"]["outcomes"]
        granted = rng.randint(0, 8)  # moved between granted and withheld: totals still hold
        outcomes["granted"]["natural_person"] = granted
        outcomes["granted"]["total"] = granted
        outcomes["partially_granted"]["natural_person"] += 8 - granted
        outcomes["partially_granted"]["total"] += 8 - granted
        if i % 10 == 3:
            outcomes["total"]["total"] += 1  # an inconsistency
        lines.append(json.dumps(body, ensure_ascii=False))
    return lines


def _size(folder: Path) -> tuple[int, int]:
    files = size = 0
    for where, _, names in os.walk(folder):
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(where, name))
    return files, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    n = args.reports
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "reports.jsonl"
        jsonl.write_text("\n".join(_reports(n)) + "\n", encoding="utf-8")
        out = Path(tmp) / "site"
        argv = ("site", str(jsonl), "-o", str(out), "--jobs", str(args.jobs), "--quiet")
        first = _cli(*argv)
        files, size = _size(out)
        again = _cli(*argv)
    target = "pass" if n < 10_000 or first[0] <= 120 else "short"
    print(
        f"{n:,} reports, {args.jobs} workers: site in {first[0]:.1f} s (target 120 s for "
        f"10,000: {target}); peak RSS main {first[1]} MiB, largest worker {first[2]} MiB"
    )
    print(
        f"{files:,} files, {size / 1e6:,.0f} MB; rebuilt over the same folder in {again[0]:.1f} s"
    )


if __name__ == "__main__":
    main()
