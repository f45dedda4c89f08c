"""Rendered HTML in a real browser: headless Chromium prints it, our PDF parser reads it back.

Chromium comes from the Debian package (`.ci/run` installs it, and a CJK font, when missing).
The tests are skipped only when no Chromium can be found.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import attrs
import pytest

import gov_disclosure as gd
from gov_disclosure.rendering import to_html

from .conftest import FEES_REPORTED, REPO, seed_last_year

pytest.importorskip("pdfplumber")
CHROMIUM = next(
    (p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p),
    None,
)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")


def _chromium(tmp_path: Path, *args: str) -> None:
    assert CHROMIUM is not None
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            *args,
        ],
        capture_output=True,
        check=True,
        timeout=120,
    )


def _print_to_pdf(tmp_path: Path, html: str) -> Path:
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    return pdf


def test_printed_report_parses_back_to_the_same_cells(tmp_path: Path) -> None:
    document = REPO / "conformance/2021/inconsistent/outcome-leaves-exceed-total.json"
    report = gd.read_document(document)
    html = to_html(report, findings=gd.check(report).findings)
    parsed = gd.parse(_print_to_pdf(tmp_path, html)).report
    assert (parsed.agency.name, parsed.year, parsed.format) == (report.agency.name, 2023, "2021")
    assert [(c.address, c.value) for c in gd.cells(parsed)] == [
        (c.address, c.value) for c in gd.cells(report)
    ]
    assert {f.rule for f in gd.check(parsed).filter(severity="inconsistency")} == {
        "requests.outcomes_total"
    }


def test_unread_cells_survive_print_and_parse(tmp_path: Path) -> None:
    sample = gd.samples.load()
    address = "requests.outcomes.granted.natural_person"
    report = attrs.evolve(gd.with_cell(sample, address, None), unread={address: "illegible"})
    parsed = gd.parse(_print_to_pdf(tmp_path, to_html(report))).report
    assert parsed.unread == {address: "illegible"}  # printed "?", read back as illegible
    assert gd.check(parsed).ok


def test_a_table_running_onto_the_next_page_parses_back_whole(tmp_path: Path) -> None:
    # a generated report whose table 3 breaks under the group label （五）不予处理: the first
    # row on the new page (信访举报投诉类申请) had no ruled top edge and was read as loose
    # text (row_not_found) until the header rows became a <thead>, repeated on every page
    report = gd.loads((REPO / "tests/data/table-3-across-a-page-break.json").read_bytes())
    page = to_html(report)
    assert page.count("<thead>") == 3 and "</thead><tbody>" in page
    parsed = gd.parse(_print_to_pdf(tmp_path, page)).report
    assert parsed.unread == {}
    assert [(c.address, c.value) for c in gd.cells(parsed)] == [
        (c.address, c.value) for c in gd.cells(report)
    ]


_NEW_RECEIVED = re.compile(r'<td id="gd-requests-new_received-([a-z_]+)"[^>]*>([^<]*)</td>')


@pytest.mark.parametrize("damage", ["cell_lost", "cells_merged"])
def test_a_printed_row_that_lost_a_cell_is_unread_not_shifted(tmp_path: Path, damage: str) -> None:
    # a PDF table row printed with a cell too few ends short of the table's right rule, and
    # one with two cells merged has a cell spanning two columns: pdfplumber leaves None at
    # those grid positions, which read as blank cells put 116 in the wrong column (a lost
    # cell) or made 商业企业 blank (merged into 自然人's 116)
    sample = gd.samples.load()
    page = to_html(sample)
    first, second = list(_NEW_RECEIVED.finditer(page))[:2]
    if damage == "cell_lost":
        page = page[: first.start()] + page[first.end() :]
    else:
        merged = first.group().replace("<td ", '<td colspan="2" ', 1)
        page = page[: first.start()] + merged + page[second.end() :]
    result = gd.parse(_print_to_pdf(tmp_path, page))
    row = [c for c in gd.cells(result.report) if c.address.startswith("requests.new_received.")]
    assert [(c.value, c.unread) for c in row] == [(None, "value_count")] * 7
    truth = {c.address: c.value for c in gd.cells(sample)}
    wrong = [c for c in gd.cells(result.report) if not c.unread and c.value != truth[c.address]]
    assert wrong == []


def test_a_printed_table2_row_with_a_stray_cell_is_unread_not_shifted(tmp_path: Path) -> None:
    # 规章 printed blank, 1, 5 and a stray 7 after its last cell: the table's grid grows a
    # column, the row is wider than its header, and its empty first cell trimmed as a
    # converter's read 1, 5, 7
    report = gd.with_cell(gd.samples.load(), "proactive_disclosure.regulations.issued", None)
    page = to_html(report)
    end = page.index("</tr>", page.index('id="gd-proactive_disclosure-regulations-in_force"'))
    page = page[:end] + "<td>7</td>" + page[end:]
    result = gd.parse(_print_to_pdf(tmp_path, page))
    row = [c for c in gd.cells(result.report) if ".regulations." in c.address]
    assert [(c.value, c.unread) for c in row] == [(None, "value_count")] * 3
    truth = {c.address: c.value for c in gd.cells(report)}
    wrong = [c for c in gd.cells(result.report) if not c.unread and c.value != truth[c.address]]
    assert wrong == []


def _png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """Rows of RGBA pixels of an 8-bit non-interlaced PNG (what Chromium writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = channels = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6)
            channels = 4 if color == 6 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[x] = (line[x] + pred) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, channels, rows


def test_findings_list_is_visible_in_a_screenshot(tmp_path: Path) -> None:
    report = gd.read_document(
        REPO / "conformance/2021/inconsistent/outcome-leaves-exceed-total.json"
    )
    page = tmp_path / "report.html"
    page.write_text(to_html(report, findings=gd.check(report).findings), encoding="utf-8")
    shot = tmp_path / "shot.png"
    _chromium(tmp_path, "--window-size=1000,700", f"--screenshot={shot}", page.as_uri())
    width, channels, rows = _png_pixels(shot)
    # the findings box has a 2px #c00 border: it must be painted in the first screen
    red = 0
    for row in rows:
        for x in range(0, width * channels, channels):
            r, g, b = row[x], row[x + 1], row[x + 2]
            red += r > 180 and g < 40 and b < 40
    assert red > 500, red


def test_diff_page_shows_both_reports_side_by_side_with_changes_highlighted(
    tmp_path: Path,
) -> None:
    from gov_disclosure.rendering.comparison import diff_to_html

    this = attrs.evolve(gd.samples.load(), other_matters=FEES_REPORTED)
    last = seed_last_year(
        this, requests__new_received__natural_person=100, requests__new_received__total=100
    )
    html = diff_to_html(gd.diff(last, this))
    page = tmp_path / "diff.html"
    page.write_text(html, encoding="utf-8")
    shot = tmp_path / "diff.png"
    _chromium(tmp_path, "--window-size=1400,4000", f"--screenshot={shot}", page.as_uri())
    width, channels, rows = _png_pixels(shot)
    # changed cells: a 2px #0060c0 outline, in the left (2022) and the right (2023) column
    halves = [0, 0]
    for row in rows:
        for x in range(0, width * channels, channels):
            r, g, b = row[x], row[x + 1], row[x + 2]
            if r < 30 and 70 < g < 120 and b > 160:
                halves[x // channels >= width // 2] += 1
    assert halves[0] > 200 and halves[1] > 200, halves
    # printed, the page keeps both years' figures and the list of changes
    import pdfplumber

    with pdfplumber.open(_print_to_pdf(tmp_path, html)) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert "单元格变化" in text and "2022" in text and "2023" in text
    assert "+16" in text  # 100 → 116 new requests


def test_diff_page_redlines_the_text_in_chromium(tmp_path: Path) -> None:
    from gov_disclosure.rendering.comparison import diff_to_html

    reports = REPO / "tests" / "corpus" / "reports"
    last = gd.parse(reports / "pingtan-2021.txt").report
    this = gd.parse(reports / "pingtan-2022.txt").report
    html = diff_to_html(gd.diff(last, this), side_by_side=False)
    page = tmp_path / "redline.html"
    page.write_text(html, encoding="utf-8")
    shot = tmp_path / "redline.png"
    _chromium(tmp_path, "--window-size=1200,6000", f"--screenshot={shot}", page.as_uri())
    width, channels, rows = _png_pixels(shot)
    shaded = {"deleted": 0, "inserted": 0, "same": 0}
    for row in rows:
        for x in range(0, width * channels, channels):
            rgb = (row[x], row[x + 1], row[x + 2])
            if rgb == (0xFF, 0xD6, 0xD6):
                shaded["deleted"] += 1
            elif rgb == (0xD6, 0xF5, 0xD6):
                shaded["inserted"] += 1
            elif rgb == (0xEC, 0xEC, 0xEC):
                shaded["same"] += 1
    # deletions, insertions and the passages both years share are all on screen
    assert min(shaded.values()) > 1000, shaded
    import pdfplumber

    with pdfplumber.open(_print_to_pdf(tmp_path, html)) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert "文字对照" in text and "Text redline" in text
