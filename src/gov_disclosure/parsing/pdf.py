"""PDF inputs (optional extra ``pdf``: pdfplumber).

pdfplumber finds the ruled tables of each page; their cells (merged cells as one cell, the
rest ``None``) become rows, so vertically merged labels, values centred beside their labels
and tables continued on the next page read like any other grid. A grid position that no
cell covers is not a blank cell: a row without it is short (:attr:`Row.short`). Text
outside the tables becomes lines, in reading order with the tables; page footers
(``- 3 -``) are only lines.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import zlib
from collections.abc import Iterator
from typing import Any

import attrs

from gov_disclosure.errors import ParseError
from gov_disclosure.optional import install_hint, require
from gov_disclosure.parsing.document import Diagnostic, Document, Line, Row
from gov_disclosure.parsing.geometry import inside, item_texts, order_items, ruled_rows
from gov_disclosure.parsing.images import MAX_PIXELS
from gov_disclosure.parsing.ocr import DPI, ocr_available, ocr_page, ocr_summary

__all__ = ["MIN_TEXT_CHARS", "extract_pdf", "page_image"]

MAX_PAGES = 200
"""Most pages read; the count is checked before any page is built."""

MAX_PAGE_CONTENT = 8 * 1024 * 1024
"""Most bytes of decoded content stream per page (a report page has a few tens of kB); a
compressed stream that inflates past it (a decompression bomb) is refused before pdfminer
inflates it in full."""


MAX_TEXT_OPERATORS = 30_000
"""Most text-showing operators (``Tj``, ``TJ``, ``'``, ``"``) per page: a dense report page
has a few thousand; each costs pdfminer work, so the bound keeps a page to seconds."""

_TEXT_OPERATOR = re.compile(rb"(?:\bT[jJ]|['\"])(?=[\s\[(<])")


MAX_STREAM_BYTES = 32 * 1024 * 1024
"""Most bytes any one stream (a font, a content stream) may inflate to."""


@contextlib.contextmanager
def _bounded_streams(name: str | None) -> Iterator[None]:
    """Bound every stream pdfminer inflates (fonts too), for the duration of one extraction.

    pdfminer inflates a stream in full with ``zlib.decompress``: a 1 MB stream can become
    1 GB. Each Flate stream is first inflated up to the limit, and refused past it.
    """
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream

    original = PDFStream.decode

    def decode(stream: Any) -> None:
        raw = stream.rawdata
        flate = any(f in LITERALS_FLATE_DECODE for f, _ in stream.get_filters())
        if raw is not None and not stream.decipher and flate:
            with contextlib.suppress(zlib.error):  # pdfminer handles damaged streams
                probe = zlib.decompressobj().decompress(raw, MAX_STREAM_BYTES + 1)
                if len(probe) > MAX_STREAM_BYTES:
                    raise ParseError(
                        f"a stream inflates past {MAX_STREAM_BYTES} bytes (a decompression bomb?)",
                        location=name,
                    )
        original(stream)

    PDFStream.decode = decode  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        PDFStream.decode = original  # type: ignore[method-assign]


def _page_count(pdf: Any) -> int:
    from pdfminer.pdftypes import resolve1

    pages = resolve1(pdf.doc.catalog.get("Pages"))
    count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
    return count if isinstance(count, int) else 0


def _check_content(page: Any, number: int, name: str | None) -> None:
    """Refuse a page whose content streams inflate past :data:`MAX_PAGE_CONTENT`."""
    from pdfminer.pdftypes import resolve1

    contents = resolve1(page.page_obj.attrs.get("Contents"))
    streams = contents if isinstance(contents, list) else [contents]
    total = operators = 0
    for stream in (resolve1(s) for s in streams):
        raw = getattr(stream, "rawdata", None)
        if raw is None:
            continue
        filters = stream.get_filters() if hasattr(stream, "get_filters") else []
        content = raw
        if any(str(f[0]).strip("/'") in ("FlateDecode", "Fl") for f in filters if f[0]):
            try:
                content = zlib.decompressobj().decompress(raw, MAX_PAGE_CONTENT + 1)
            except zlib.error:
                continue  # pdfminer reports a damaged stream its own way
        total += len(content)
        operators += len(_TEXT_OPERATOR.findall(content))
        if total > MAX_PAGE_CONTENT:
            raise ParseError(
                f"page {number}: its content inflates past {MAX_PAGE_CONTENT} bytes; "
                "not a report page",
                location=name,
            )
        if operators > MAX_TEXT_OPERATORS:
            raise ParseError(
                f"page {number}: more than {MAX_TEXT_OPERATORS} text operators; not a report page",
                location=name,
            )


MIN_TEXT_CHARS = 20
"""A page with fewer characters in its text layer is a scan (``ocr="auto"`` reads it by OCR)."""


@attrs.define
class _Pages:
    """What the pages gave: items, text, and what OCR read."""

    items: list[Row | Line] = attrs.Factory(list)
    texts: list[str] = attrs.Factory(list)
    notes: list[Diagnostic] = attrs.Factory(list)
    ocr: dict[str, float] = attrs.Factory(dict)
    ocr_pages: int = 0
    scans: list[int] = attrs.Factory(list)  # pages without a text layer left unread


def extract_pdf(data: bytes, *, name: str | None = None, ocr: str = "auto") -> Document:
    """Extract rows (ruled tables) and lines (other text) from a PDF.

    Args:
        data: The PDF.
        name: A name for messages.
        ocr: ``auto`` reads pages without a text layer by OCR (extra ``ocr``), ``always``
            every page, ``never`` none.

    Raises:
        ParseError: for a damaged or hostile PDF, and for a scanned PDF (no page has a text
            layer) that OCR cannot read (``ocr="never"`` or the extra not installed).
    """
    pdfplumber: Any = require("pdfplumber", "pdf", "reading PDF")
    # pdfminer warns on every odd font descriptor; the diagnostics are ours to give
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages = _Pages()
    try:
        with _bounded_streams(name):
            _extract_pages(pdfplumber, data, name, pages, ocr)
    except ParseError:
        raise
    except Exception as exc:  # pdfminer raises many types on damaged files
        raise ParseError(f"unreadable PDF: {type(exc).__name__}: {exc}", location=name) from None
    if pages.scans and not pages.items:
        how = (
            "ocr='never' was asked"
            if ocr == "never"
            else f"install the ocr extra: {install_hint('ocr')}"
        )
        raise ParseError(
            f"a scanned PDF without a text layer ({len(pages.scans)} image page(s)): reading it "
            f"needs OCR; {how}",
            location=name,
            unreadable=True,
        )
    for number in pages.scans:
        pages.notes.append(
            Diagnostic(
                code="ocr",
                severity="warning",
                message=f"page {number} has no text layer and was not read by OCR",
                location=f"page {number}",
            )
        )
    if pages.ocr_pages:
        pages.notes.insert(0, ocr_summary(pages.ocr_pages))
    return Document(
        "pdf",
        tuple(pages.items),
        "\n".join(pages.texts),
        diagnostics=tuple(pages.notes),
        ocr=pages.ocr,
        ocr_pages=pages.ocr_pages,
    )


def _extract_pages(pdfplumber: Any, data: bytes, name: str | None, pages: _Pages, ocr: str) -> None:
    # Not ``with``: pdfplumber's close() builds every page first (100k pages: a minute).
    pdf = pdfplumber.open(io.BytesIO(data))
    count = _page_count(pdf)  # before pdf.pages builds every page
    if count > MAX_PAGES:
        raise ParseError(f"{count} pages; the limit is {MAX_PAGES}", location=name)
    raster: Any = None
    for number, page in enumerate(pdf.pages, start=1):
        if number > MAX_PAGES:
            raise ParseError(f"more than {MAX_PAGES} pages", location=name)
        _check_content(page, number, name)
        scanned = len(page.chars) < MIN_TEXT_CHARS
        if ocr == "always" or (scanned and ocr == "auto" and ocr_available()):
            if raster is None:
                raster = _rasteriser(data, name)
            image = page_image(raster, number - 1, name)
            items, lowest, notes = ocr_page(image, number)
            pages.items.extend(items)
            pages.texts.extend(item_texts(items))
            pages.ocr.update(lowest)
            pages.notes.extend(notes)
            pages.ocr_pages += 1
        elif scanned:
            pages.scans.append(number)
        else:
            pages.items.extend(_read_page(page, number, pages.texts))
        page.close()


def _rasteriser(data: bytes, name: str | None) -> Any:
    pdfium: Any = require("pypdfium2", "ocr", "reading scanned PDF pages (OCR)")
    try:
        return pdfium.PdfDocument(data)
    except Exception as exc:  # pdfium's own error type
        raise ParseError(f"unreadable PDF: {exc}", location=name) from None


def page_image(raster: Any, index: int, name: str | None, dpi: int = DPI) -> Any:
    """Page ``index`` of a pypdfium2 document as a Pillow image at ``dpi``, within the budget.

    Raises:
        ParseError: for a page whose image would exceed :data:`~.images.MAX_PIXELS`.
    """
    page = raster[index]
    width, height = page.get_size()  # points
    pixels = (width * dpi / 72) * (height * dpi / 72)
    if pixels > MAX_PIXELS:
        raise ParseError(
            f"page {index + 1} is {width:.0f} × {height:.0f} points: {pixels:.0f} pixels at "
            f"{dpi} dpi; the limit is {MAX_PIXELS}",
            location=name,
        )
    return page.render(scale=dpi / 72).to_pil()


def _read_page(page: Any, number: int, texts: list[str]) -> list[Row | Line]:
    """The rows (ruled tables) and lines (other text) of one page, top to bottom."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    placed: list[tuple[float, int, Row | Line]] = []
    # y_tolerance 5 (not 3): Latin digits set in a fallback font sit a little off the CJK
    # baseline, and "柳州市…2023年…报告" would otherwise split into two lines.
    for line in page.extract_text_lines(y_tolerance=5):
        if not inside((line["x0"], line["top"], line["x1"], line["bottom"]), boxes):
            text = line["text"]
            placed.append((line["top"], len(placed), Line(text, f"page {number}")))
    for t, table in enumerate(tables, start=1):
        rows = [row.cells for row in table.rows]
        grid = [[re.sub(r"\s+", " ", c or "").strip() for c in row] for row in table.extract()]
        for r, (cells, (keep, short, wide)) in enumerate(
            zip(grid, ruled_rows(rows, grid), strict=True), start=1
        ):
            location = f"page {number} table {t} row {r}"
            row = Row(tuple(cells[j] for j in keep), location, short=short, wide=wide)
            placed.append((table.bbox[1] + r * 0.001, len(placed), row))
    ordered = order_items(placed)
    # the plain text in reading order too: the sections are cut from it by their headings
    texts.extend(item_texts(ordered))
    return ordered
