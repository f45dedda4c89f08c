"""Scanned and legacy documents: real round trips through real tools (issue 24).

* Legacy: the project's DOCX rendering converted by LibreOffice to .doc, .rtf and .odt, then
  parsed: every cell identical to the source report.
* Scans: reports rendered to HTML, printed to PDF by headless Chromium, rasterised, degraded
  (noise, JPEG, a 0.5° rotation) and packed as an image-only PDF or PNG pages, then read by
  OCR: every cell right or unread, and any wrong value inside a finding marked as OCR.

The tests that need a tool skip, with the reason, where it is not installed.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import attrs
import pytest

import gov_disclosure as gd
from gov_disclosure import scanning
from gov_disclosure.model.tables import APPLICANT_COLUMNS
from gov_disclosure.parsing import detect_kind
from gov_disclosure.parsing.legacy import legacy_kind, soffice_path
from gov_disclosure.rendering import to_docx

from .conftest import libreoffice

SOFFICE = soffice_path()
CHROMIUM = scanning.chromium_path()
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def _ocr_ready() -> bool:
    from gov_disclosure.parsing.ocr import ocr_available

    return ocr_available()


needs_ocr = pytest.mark.skipif(not _ocr_ready(), reason="the ocr extra is not installed")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")


def _values(report: gd.Report) -> dict[str, Any]:
    return {c.address: c.value for c in gd.cells(report)}


# --- legacy word-processor files ------------------------------------------------------------


def test_legacy_files_are_recognised_by_signature_never_as_text() -> None:
    assert legacy_kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100) == "doc"
    assert detect_kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "x.wps") == "doc"
    assert detect_kind(b"{\\rtf1\\ansi x}", "report.doc") == "rtf"
    # a ".doc" that is really a web page (common on portals) is read as HTML
    assert detect_kind(b"<html><body><table></table></body></html>", "report.doc") == "html"
    assert detect_kind(b"\x89PNG\r\n\x1a\n" + b"\0" * 30, "scan.png") == "image"
    with pytest.raises(gd.ParseError, match="not an image"):
        detect_kind(b"plain text", "scan.png")


def test_a_legacy_file_without_libreoffice_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(gd.ParseError, match="needs LibreOffice") as caught:
        gd.parse(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, name="report.doc")
    assert caught.value.unreadable  # exit 2: the input cannot be used as given here
    assert "libreoffice-writer-nogui" in str(caught.value)


@pytest.fixture(scope="module")
def legacy_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("legacy")
    source = folder / "seed.docx"
    source.write_bytes(to_docx(gd.samples.load()))
    out = {}
    for suffix in ("doc", "rtf", "odt"):
        out[suffix] = libreoffice(source, suffix, folder)
    return out


@needs_soffice
@pytest.mark.parametrize("suffix", ["doc", "rtf", "odt"])
def test_legacy_files_parse_to_the_seed_cells(legacy_files: dict[str, Path], suffix: str) -> None:
    result = gd.parse(legacy_files[suffix])
    assert result.kind == suffix
    assert result.report.unread == {}
    assert _values(result.report) == _values(gd.samples.load())


@needs_soffice
def test_a_damaged_legacy_file_is_a_parse_error_with_its_name() -> None:
    junk = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 20
    with pytest.raises(gd.ParseError, match=r"bad\.doc: .*(LibreOffice|no statistical)"):
        gd.parse(junk, name="bad.doc")


# --- OCR: trust and provenance, without the engine -------------------------------------------


def test_doubtful_ocr_numbers_are_never_read() -> None:
    from gov_disclosure.parsing.ocr import MIN_CONFIDENCE, _doubt

    assert _doubt("12", 0.99) is None
    assert _doubt("12", MIN_CONFIDENCE - 0.01) is not None  # a number read with low confidence
    for misread in ("1O", "l", "|", "S", "2B", "0.", "1,"):
        assert _doubt(misread, 0.99) is not None, misread
    assert _doubt("其他", 0.2) is None  # a label, not a number
    assert _doubt("", None) is None


def test_findings_on_ocr_cells_say_so_and_exports_name_them() -> None:
    seed = gd.samples.load()
    report = gd.with_cell(seed, "requests.new_received.total", 117)
    report = attrs.evolve(report, ocr={"requests.new_received.total": 0.71})
    finding = next(f for f in gd.check(report) if f.rule == "requests.applicant_total")
    assert finding.ocr == ("requests.new_received.total",)
    assert "OCR" in finding.message["zh"] and "misreading is possible" in finding.message["en"]
    assert finding.to_dict()["ocr"] == ["requests.new_received.total"]
    # the same finding without OCR marks is the agency's own: no caveat
    plain = next(f for f in gd.check(attrs.evolve(report, ocr={})) if f.rule == finding.rule)
    assert plain.ocr == () and "OCR" not in plain.message["zh"]
    rows = {r["address"]: r for r in gd.export.cell_rows(report)}
    assert rows["requests.new_received.total"]["read_by"] == "ocr"
    assert rows["requests.new_received.total"]["ocr_confidence"] == 0.71
    assert rows["requests.carried_over.total"]["read_by"] is None
    html = gd.rendering.to_html(report)
    assert 'class="gd-value gd-ocr' in html or "gd-ocr" in html


def test_check_json_names_the_ocr_cells_of_each_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the command line's JSON is where an evaluator reads findings: the OCR caveat must be
    # there as data, not only inside the message
    from gov_disclosure.cli import main

    report = gd.with_cell(gd.samples.load(), "requests.new_received.total", 117)
    report = attrs.evolve(report, ocr={"requests.new_received.total": 0.71})
    path = tmp_path / "scanned.json"
    path.write_text(gd.dumps(report), encoding="utf-8")
    assert main(["check", str(path), "--json"]) == 1
    [record] = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    finding = next(f for f in record["findings"] if f["rule"] == "requests.applicant_total")
    assert finding["ocr"] == ["requests.new_received.total"]
    expected = next(f for f in gd.check(report) if f.rule == "requests.applicant_total")
    assert {k: v for k, v in finding.items() if k not in ("accepted", "note")} == (
        expected.to_dict()
    )


# --- OCR round trips through Chromium --------------------------------------------------------


def _assert_right_unread_or_flagged(parsed: gd.ParseResult, source: gd.Report) -> None:
    """Every cell right or unread; a wrong one only inside a finding marked as OCR."""
    report = parsed.report
    wrong = [
        c.address
        for c in gd.cells(report)
        if c.status != "unread" and c.value != gd.get_cell(source, c.address)
    ]
    flagged = {a for f in gd.check(report) if f.ocr for a in f.addresses}
    assert not [a for a in wrong if a not in flagged], wrong
    assert all(a in report.ocr for a in wrong)


@pytest.fixture(scope="module")
def seed_pages() -> list[Any]:
    if CHROMIUM is None or not _ocr_ready():
        pytest.skip("needs headless Chromium and the ocr extra")
    return scanning.rasterise(scanning.print_pdf(gd.samples.load()))


@needs_ocr
@needs_chromium
def test_an_image_only_pdf_of_the_seed_parses_to_the_seed_cells(seed_pages: list[Any]) -> None:
    seed = gd.samples.load()
    result = gd.parse(scanning.image_pdf(seed_pages), name="scan.pdf")
    assert result.kind == "pdf" and result.ocr_pages == len(seed_pages)
    wrong = {
        a: (v, gd.get_cell(seed, a))
        for a, v in _values(result.report).items()
        if a not in result.report.unread and v != gd.get_cell(seed, a)
    }
    assert wrong == {}
    # every cell of the three tables came from the scan, and says so
    assert set(result.report.ocr) >= {c.address for c in gd.cells(seed) if c.value is not None}
    assert result.diagnostics[0].code == "ocr"
    with pytest.raises(gd.ParseError, match="scanned PDF without a text layer") as caught:
        gd.parse(scanning.image_pdf(seed_pages[:1]), ocr="never")
    assert caught.value.unreadable


@needs_ocr
@needs_chromium
def test_a_png_page_is_read_by_ocr(seed_pages: list[Any]) -> None:
    seed = gd.samples.load()
    # page 2 holds table 2 and the first rows of table 3; the page names no year or body
    result = gd.parse(scanning.png(seed_pages[1]), year=2023, agency="柳州市人民政府办公室")
    assert result.kind == "image"
    got = {a: v for a, v in _values(result.report).items() if a.startswith("proactive_")}
    assert got == {a: v for a, v in _values(seed).items() if a.startswith("proactive_")}
    assert result.report.requests.new_received.total == 116


@needs_ocr
@needs_chromium
def test_a_degraded_scan_is_right_unread_or_flagged(seed_pages: list[Any]) -> None:
    settings = scanning.DEGRADATIONS["all"]
    damaged = [scanning.degrade(p, seed=i, **settings) for i, p in enumerate(seed_pages)]
    result = gd.parse(scanning.image_pdf(damaged), name="damaged.pdf")
    _assert_right_unread_or_flagged(result, gd.samples.load())


@needs_ocr
@needs_chromium
def test_a_scanned_row_that_lost_a_cell_is_unread_not_shifted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the scan's ruling lines become pdfplumber cells as a PDF's do: a row printed without
    # the cell of 116 ends short of the table's right rule, and its values are not in their
    # columns (read as they stood, 116 went to 商业企业 and 自然人 was blank)
    from gov_disclosure.rendering import html

    to_html = html.to_html

    def without_a_cell(report: gd.Report, **options: Any) -> str:
        page = to_html(report, **options)
        cell = re.search(r'<td id="gd-requests-new_received-natural_person"[^>]*>116</td>', page)
        assert cell is not None
        return page[: cell.start()] + page[cell.end() :]

    monkeypatch.setattr(html, "to_html", without_a_cell)
    seed = gd.samples.load()
    page = scanning.rasterise(scanning.print_pdf(seed))[1]  # table 2 and table 3's first rows
    result = gd.parse(scanning.png(page), year=2023, agency="柳州市人民政府办公室")
    row = [c for c in gd.cells(result.report) if c.address.startswith("requests.new_received.")]
    assert [(c.value, c.unread) for c in row] == [(None, "value_count")] * 7
    wrong = [
        c
        for c in gd.cells(result.report)
        if not c.unread and c.value != gd.get_cell(seed, c.address)
    ]
    assert wrong == []


@needs_ocr
@needs_chromium
def test_digits_of_two_cells_in_one_ocr_box_are_read_cell_by_cell(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # large counts in columns narrowed by two extra cells: the text detector takes 7668 and
    # 4951960 on both sides of a rule for one box, recognised as one number (7668495196…,
    # and the report then failed to build); each cell is now read on its own crop
    from gov_disclosure.rendering import html

    base = "requests.outcomes.not_processed.confirmation_or_reissue"
    row = [7668, 4951960, 5105090, 4387630, 6152650, 8510]
    report = gd.samples.load()
    for column, value in zip(APPLICANT_COLUMNS, [*row, sum(row)], strict=True):
        report = gd.with_cell(report, f"{base}.{column}", value)
    to_html = html.to_html

    def narrowed(report: gd.Report, **options: Any) -> str:
        page = to_html(report, **options)
        cell = '<td id="gd-requests-new_received-total"'
        end = page.index("</td>", page.index(cell)) + len("</td>")
        return page[:end] + "<td></td>" * 2 + page[end:]

    monkeypatch.setattr(html, "to_html", narrowed)
    pages = scanning.rasterise(scanning.print_pdf(report))
    result = gd.parse(scanning.image_pdf(pages), name="narrowed.pdf")
    read = [gd.get_cell(result.report, f"{base}.{c}") for c in APPLICANT_COLUMNS]
    assert read == [*row, sum(row)]
    assert all(f"{base}.{c}" in result.report.ocr for c in APPLICANT_COLUMNS)


@needs_soffice
def test_libreoffice_html_export_parses_to_the_seed_cells() -> None:
    # class R of issue 23: table 4 exported with a phantom grid column, 总计 spanning two
    from tests.corpus.synthetic import office_html

    result = gd.parse(office_html(gd.samples.load()), kind="html")
    assert result.report.unread == {}
    assert _values(result.report) == _values(gd.samples.load())


@needs_ocr
@needs_chromium
def test_a_folder_of_scans_and_legacy_files_parses_in_the_pool(
    seed_pages: list[Any], tmp_path: Path
) -> None:
    # batch parse picks up images and legacy files, and runs OCR in the worker processes
    from gov_disclosure.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    page = seed_pages[1]
    import cv2
    import numpy as np

    # a 2-page TIFF, written by OpenCV (Pillow 13's TIFF writer fails on some machines)
    bgr = cv2.cvtColor(np.asarray(page), cv2.COLOR_RGB2BGR)
    assert cv2.imwritemulti(str(folder / "page.tiff"), [bgr, bgr])
    (folder / "scan.png").write_bytes(scanning.png(page))
    out = tmp_path / "out"
    argv = ["parse", str(folder), "-o", str(out), "--jobs", "2", "--year", "2023"]
    assert main([*argv, "--agency", "柳州市人民政府办公室", "--quiet"]) == 0
    for name in ("page.json", "scan.json"):
        report = gd.loads((out / name).read_text(encoding="utf-8"))
        assert report.proactive_disclosure == gd.samples.load().proactive_disclosure
        assert report.ocr  # the cells say they were read by OCR


@needs_ocr
@needs_chromium
def test_a_report_published_as_page_images_is_read_as_one_document(
    tmp_path: Path, seed_pages: list[Any]
) -> None:
    # portals publish scans as one image a page; table 3 runs from page 2 onto page 3
    from gov_disclosure.cli import main

    seed = gd.samples.load()
    files = []
    for number, page in enumerate(seed_pages[1:3], start=2):
        files.append(tmp_path / f"page{number}.png")
        files[-1].write_bytes(scanning.png(page))
    options = {"year": 2023, "agency": "柳州市人民政府办公室"}
    alone = gd.parse(files[1], **options).report  # type: ignore[arg-type]
    assert alone.unread  # one page alone cannot give a table that began on the page before
    # a web page saved with its pictures (pages given one by one take the same path)
    page = tmp_path / "saved.html"
    page.write_text("".join(f'<img src="{f.name}">' for f in files), encoding="utf-8")
    out, notes = tmp_path / "report.json", tmp_path / "diagnostics.jsonl"
    argv = ["parse", "--pages", str(page), "-o", str(out), "--diagnostics", str(notes)]
    assert main([*argv, "--year", "2023", "--agency", options["agency"], "--quiet"]) == 0
    report = gd.loads(out.read_bytes())
    assert report.proactive_disclosure == seed.proactive_disclosure
    assert report.requests == seed.requests  # table 4, on page 4, was not given
    assert {a.partition(".")[0] for a in report.unread} == {"review_litigation"}
    assert {c.address for c in gd.cells(report) if c.value is not None} <= set(report.ocr)
    [line] = notes.read_text(encoding="utf-8").splitlines()
    ocr = json.loads(line)["diagnostics"][0]
    assert ocr["code"] == "ocr" and f"page 2: {files[1].resolve()}" in ocr["message"]


@needs_ocr
def test_a_saved_web_page_gives_its_page_images_in_order_and_nothing_else(
    tmp_path: Path,
) -> None:
    from PIL import Image

    from gov_disclosure.cli import main
    from gov_disclosure.parsing import saved_page_images

    saved = tmp_path / "saved"
    (saved / "report_files").mkdir(parents=True)
    for name, size in (("p2.png", (800, 1100)), ("p1.jpg", (800, 1100)), ("logo.png", (120, 40))):
        Image.new("RGB", size, "white").save(saved / "report_files" / name)
    Image.new("RGB", (800, 1100), "white").save(tmp_path / "outside.png")
    (saved / "report_files" / "notes.png").write_text("not an image", encoding="utf-8")
    (saved / "report_files" / "link.png").symlink_to(tmp_path / "outside.png")
    page = saved / "report.html"
    page.write_text(
        '<html><body><img src="report_files/logo.png"><p>某县2023年政府信息公开工作年度报告</p>'
        '<img src="report_files/p1.jpg"><img src="https://example.org/p.png">'
        '<img src="../outside.png"><img src="report_files/link.png">'
        '<img src="report_files/notes.png"><img src="report_files/missing.png">'
        '<img src="report_files/%00.png"><img src="/etc/passwd"><img src="//[">'
        '<img src="report_files/%70%32.png"><img src="report_files/p2.png"></body></html>',
        encoding="utf-8",
    )
    # in the page's order, each once; no logo, URL, file outside the folder or non-image
    assert saved_page_images(page) == [
        str((saved / "report_files" / n).resolve()) for n in ("p1.jpg", "p2.png")
    ]
    empty = saved / "empty.html"
    empty.write_text('<html><body><img src="report_files/logo.png"></body></html>', "utf-8")
    assert main(["parse", "--pages", str(empty), "--quiet"]) == 2  # nothing to read


def _picture(size: tuple[int, int], shade: int, kind: str = "PNG") -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (shade, shade, shade)).save(out, kind)
    return out.getvalue()


def _pasted_scans(path: Path) -> tuple[bytes, bytes]:
    """A Word file of two page pictures between a seal, a repeat and a GIF; the two pages."""
    import io

    import docx

    first, second = _picture((800, 1100), 250), _picture((800, 1100), 240, "JPEG")
    document = docx.Document()
    document.add_paragraph("某县2023年政府信息公开工作年度报告")
    document.add_picture(io.BytesIO(_picture((120, 40), 0)))  # a seal or a logo
    for blob in (first, second, first):  # the same picture twice is one part, one page
        document.add_picture(io.BytesIO(blob))
    document.add_picture(io.BytesIO(_picture((800, 1100), 230, "GIF")))  # not a page format
    document.save(path)
    return first, second


@needs_ocr
def test_a_word_file_of_pasted_scans_gives_its_pictures_in_order(tmp_path: Path) -> None:
    import docx

    from gov_disclosure.cli import main
    from gov_disclosure.parsing import embedded_page_images

    path = tmp_path / "scan.docx"
    first, second = _pasted_scans(path)
    assert embedded_page_images(path) == [first, second]
    assert embedded_page_images(path.read_bytes()) == [first, second]
    with pytest.raises(gd.ParseError, match=r"the DOCX shows 5 picture\(s\).*--pages FILE.docx"):
        gd.parse(path, kind="docx")
    plain = tmp_path / "plain.docx"
    docx.Document().save(plain)
    assert main(["parse", "--pages", str(plain), "--quiet"]) == 2  # no picture to read


@needs_ocr
@needs_soffice
@pytest.mark.parametrize("to", ["doc", "odt"])
def test_a_legacy_file_of_pasted_scans_gives_its_pictures_too(tmp_path: Path, to: str) -> None:
    import docx
    from PIL import Image

    from gov_disclosure.parsing import embedded_page_images

    document = docx.Document()
    document.add_picture(io.BytesIO(_picture((120, 40), 0)))  # a seal
    for shade in (250, 240, 250):  # the first page pasted twice
        document.add_picture(io.BytesIO(_picture((800, 1100), shade)))
    document.save(tmp_path / "scan.docx")
    legacy = libreoffice(tmp_path / "scan.docx", to, tmp_path)
    pages = embedded_page_images(legacy)  # converted back by LibreOffice, as parse does
    shades = [Image.open(io.BytesIO(p)).convert("L").getpixel((400, 500)) for p in pages]
    assert shades == [250, 240]


def test_page_images_are_checked_before_any_page_is_read(tmp_path: Path) -> None:
    # a file that is not an image, or too many files, is refused before any OCR
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 30
    with pytest.raises(gd.ParseError, match="page file 2: not an image"):
        gd.parse_pages([png, b"%PDF-1.7 ..."])
    with pytest.raises(gd.ParseError, match="cannot read: no such file") as missing:
        gd.parse_pages([png, tmp_path / "missing.png"])
    assert missing.value.unreadable
    with pytest.raises(gd.ParseError, match="201 page files; the limit is 200"):
        gd.parse_pages([png] * 201)
    with pytest.raises(TypeError, match="for one file, use parse"):
        gd.parse_pages(png)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one page"):
        gd.parse_pages([])
    from gov_disclosure.cli import main

    for argv in ([str(tmp_path)], ["-"], ["a.png", "--ocr", "never"], ["a.png", "--resume"]):
        with pytest.raises(SystemExit) as usage:
            main(["parse", "--pages", *argv, "--quiet"])
        assert usage.value.code == 2


@needs_ocr
@needs_chromium
def test_a_2019_report_with_large_counts_survives_a_degraded_scan() -> None:
    # the legacy edition, counts up to a million, zeros and blanks: right, unread or flagged
    from gov_disclosure.testing import make_report

    source = make_report(
        "2019",
        {
            "requests.new_received.natural_person": 693957,
            "requests.new_received.commercial_enterprise": 0,
            "requests.outcomes.granted.natural_person": 690001,
            "requests.outcomes.not_processed.duplicate.natural_person": 3956,
            "requests.outcomes.granted.commercial_enterprise": 0,
            "proactive_disclosure.licensing.prior_year_items": 396,
            "proactive_disclosure.licensing.change": -12,
            "proactive_disclosure.licensing.decisions": 181,
            "review_litigation.administrative_review.upheld": 7,
        },
        agency="某县人民政府",
    )
    pages = scanning.rasterise(scanning.print_pdf(source))
    damaged = [
        scanning.degrade(p, seed=i, **scanning.DEGRADATIONS["all"]) for i, p in enumerate(pages)
    ]
    result = gd.parse(scanning.image_pdf(damaged), name="legacy-scan.pdf")
    assert result.report.format == "2019"
    _assert_right_unread_or_flagged(result, source)
    read = [c for c in gd.cells(result.report) if c.status == "value"]
    assert len(read) >= 0.9 * len([c for c in gd.cells(source) if c.value is not None])


def test_text_is_detected_at_0_8_but_never_on_fewer_pixels_than_measured() -> None:
    from gov_disclosure.parsing.ocr import DET_SCALE, detection_scale

    assert detection_scale((1754, 1240)) == DET_SCALE == 0.8  # A4 at 150 dpi: the measurement
    assert detection_scale((3508, 2480)) == DET_SCALE  # 300 dpi
    assert detection_scale((1123, 794)) == 1.0  # 96 dpi: detected at full size
    assert detection_scale((1400, 1100)) * 1100 == pytest.approx(992)  # in between
