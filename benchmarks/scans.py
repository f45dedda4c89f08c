"""Scanned and legacy documents: OCR speed per page, memory, and round-trip accuracy.

Run: ``.venv/bin/python benchmarks/scans.py [--quick] [--reports N] [--dpi 120 150]``

Needs the ``ocr`` extra, Chromium and (for the .doc row) LibreOffice. For each report (the
seed and random consistent reports of both editions with zeros, blanks and large counts):
render to HTML, print with Chromium, rasterise, damage (``gov_disclosure.scanning``), pack
as an image-only PDF, parse, and count every cell of the three tables as

* right: the value (or blank) of the source report;
* unread: named in ``report.unread`` (never a guess);
* wrong, flagged: a wrong value inside a finding marked as OCR (an identity caught it);
* wrong, silent: a wrong value no finding names (the target is 0).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import time
from collections.abc import Iterator
from typing import Any

import gov_disclosure as gd
from gov_disclosure import scanning
from gov_disclosure.parsing import ocr
from gov_disclosure.testing import make_report


def random_reports(count: int, seed: int = 7) -> Iterator[gd.Report]:
    """Consistent reports with zeros, blanks and counts up to a million (both editions).

    Each applicant column of table 3 is either left blank throughout or receives many
    requests (so that the outcomes, drawn smaller, always leave a carry-forward >= 0).
    """
    rng = random.Random(seed)
    for index in range(count):
        edition = ("2021", "2019")[index % 2]
        blank = make_report(edition)
        active = {
            c
            for c in ("natural_person", "commercial_enterprise", "other_org")
            if rng.random() < 0.8
        }
        values: dict[str, Any] = {}
        for cell in gd.cells(blank):
            address = cell.address
            if ".total" in address or "carried_forward" in address or cell.info.kind != "count":
                continue
            column = address.rpartition(".")[2]
            if address.startswith("requests."):
                if column not in active:
                    continue
                if address.startswith("requests.new_received."):
                    values[address] = rng.randint(1000, 10**6)
                    continue
            values[address] = rng.choice([None, 0, 0, rng.randint(1, 9), rng.randint(10, 99)])
            if not address.startswith("requests."):
                values[address] = rng.choice([values[address], rng.randint(100, 10**6)])
        yield make_report(edition, values, agency="某县人民政府")


def tally(parsed: gd.ParseResult, source: gd.Report) -> dict[str, int]:
    """Each cell of the tables: right, unread, wrong but flagged by an OCR finding, or silent."""
    flagged = {a for f in gd.check(parsed.report) if f.ocr for a in f.addresses}
    counts = {"right": 0, "unread": 0, "wrong_flagged": 0, "wrong_silent": 0}
    for cell in gd.cells(parsed.report):
        if cell.status == "unread":
            counts["unread"] += 1
        elif cell.value == gd.get_cell(source, cell.address):
            counts["right"] += 1
        elif cell.address in flagged:
            counts["wrong_flagged"] += 1
        else:
            counts["wrong_silent"] += 1
    return counts


def ocr_speed(pages: list[Any], dpis: list[int]) -> dict[int, float]:
    """Seconds per page (best of the pages' mean over two runs) at each DPI, one thread."""
    ocr.engine()  # loaded once per process, as in a batch worker
    out = {}
    for dpi in dpis:
        scaled = [p.resize((p.width * dpi // 150, p.height * dpi // 150)) for p in pages]
        best = float("inf")
        for _ in range(2):
            start = time.perf_counter()
            for number, page in enumerate(scaled, start=1):
                ocr.ocr_page(page, number)
            best = min(best, (time.perf_counter() - start) / len(scaled))
        out[dpi] = best
    return out


def legacy_seconds() -> float | None:
    """Seconds to parse the seed as a .doc (LibreOffice conversion included)."""
    import subprocess
    import tempfile
    from pathlib import Path

    from gov_disclosure.parsing.legacy import soffice_path
    from gov_disclosure.rendering import to_docx

    soffice = soffice_path()
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "seed.docx"
        source.write_bytes(to_docx(gd.samples.load()))
        subprocess.run(
            [soffice, "--headless", "--convert-to", "doc", "--outdir", folder, str(source)],
            check=True,
            capture_output=True,
        )
        data = (Path(folder) / "seed.doc").read_bytes()
    start = time.perf_counter()
    gd.parse(data, name="seed.doc")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the seed only, two damages")
    parser.add_argument("--reports", type=int, default=4, help="random reports besides the seed")
    parser.add_argument("--dpi", type=int, nargs="*", default=[120, 150])
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    seed = gd.samples.load()
    sources = [seed, *random_reports(0 if args.quick else args.reports)]
    damages = ["clean", "all"] if args.quick else list(scanning.DEGRADATIONS)
    results: dict[str, Any] = {}
    pages_by_report = [scanning.rasterise(scanning.print_pdf(r)) for r in sources]
    results["seconds_per_page"] = ocr_speed(pages_by_report[0], args.dpi)
    for damage in damages:
        total = {"right": 0, "unread": 0, "wrong_flagged": 0, "wrong_silent": 0}
        for index, (source, pages) in enumerate(zip(sources, pages_by_report, strict=True)):
            settings = scanning.DEGRADATIONS[damage]
            damaged = [
                scanning.degrade(p, seed=index * 100 + i, **settings) for i, p in enumerate(pages)
            ]
            parsed = gd.parse(scanning.image_pdf(damaged), name=f"{damage}-{index}.pdf")
            for key, value in tally(parsed, source).items():
                total[key] += value
        results[damage] = total
    results["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["legacy_doc_seconds"] = legacy_seconds()
    if args.json:
        print(json.dumps(results))
        return
    for dpi, seconds in results["seconds_per_page"].items():
        print(f"OCR at {dpi} dpi: {seconds:.2f} s/page (one core; target <= 3 s)")
    print(f"{'damage':>8}  {'cells':>6}  {'right':>7}  {'unread':>7}  {'flagged':>7}  silent")
    for damage in damages:
        t = results[damage]
        cells = sum(t.values())
        print(
            f"{damage:>8}  {cells:>6}  {t['right'] / cells:7.1%}  {t['unread'] / cells:7.1%}  "
            f"{t['wrong_flagged']:>7}  {t['wrong_silent']}"
        )
    print(f"peak memory: {results['peak_rss_mib']:.0f} MiB (target <= 1536 MiB per worker)")
    if results["legacy_doc_seconds"] is not None:
        print(f".doc through LibreOffice: {results['legacy_doc_seconds']:.2f} s")


if __name__ == "__main__":
    main()
