"""PDF inputs (optional extra ``pdf``: pdfplumber).

pdfplumber finds the ruled tables of each page; their cells (merged cells as one cell, the
rest ``None``) become rows, so vertically merged labels, values centred beside their labels
and tables continued on the next page read like any other grid. Text outside the tables
becomes lines, in reading order with the tables; page footers (``- 3 -``) are only lines.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import zlib
from collections.abc import Iterator
from typing import Any

from gov_disclosure.errors import ParseError
from gov_disclosure.optional import require
from gov_disclosure.parsing.document import Document, Line, Row

__all__ = ["extract_pdf"]

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


def _inside(line: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    # By the line's centre: prose set in a frame (which pdfplumber reports as a one-column
    # table) pokes a little out of it, and must not be read twice, as a line and as a row.
    x = (line["x0"] + line["x1"]) / 2
    y = (line["top"] + line["bottom"]) / 2
    return any(bx0 <= x <= bx1 and btop <= y <= bbottom for bx0, btop, bx1, bbottom in boxes)


def extract_pdf(data: bytes, *, name: str | None = None) -> Document:
    """Extract rows (ruled tables) and lines (other text) from a PDF."""
    pdfplumber: Any = require("pdfplumber", "pdf", "reading PDF")
    # pdfminer warns on every odd font descriptor; the diagnostics are ours to give
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    items: list[Row | Line] = []
    texts: list[str] = []
    try:
        with _bounded_streams(name):
            _extract_pages(pdfplumber, data, name, items, texts)
    except ParseError:
        raise
    except Exception as exc:  # pdfminer raises many types on damaged files
        raise ParseError(f"unreadable PDF: {type(exc).__name__}: {exc}", location=name) from None
    return Document("pdf", tuple(items), "\n".join(texts))


def _extract_pages(
    pdfplumber: Any, data: bytes, name: str | None, items: list[Row | Line], texts: list[str]
) -> None:
    # Not ``with``: pdfplumber's close() builds every page first (100k pages: a minute).
    pdf = pdfplumber.open(io.BytesIO(data))
    count = _page_count(pdf)  # before pdf.pages builds every page
    if count > MAX_PAGES:
        raise ParseError(f"{count} pages; the limit is {MAX_PAGES}", location=name)
    for number, page in enumerate(pdf.pages, start=1):
        if number > MAX_PAGES:
            raise ParseError(f"more than {MAX_PAGES} pages", location=name)
        _check_content(page, number, name)
        items.extend(_read_page(page, number, texts))
        page.close()


def _read_page(page: Any, number: int, texts: list[str]) -> list[Row | Line]:
    """The rows (ruled tables) and lines (other text) of one page, top to bottom."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    placed: list[tuple[float, int, Row | Line]] = []
    # y_tolerance 5 (not 3): Latin digits set in a fallback font sit a little off the CJK
    # baseline, and "柳州市…2023年…报告" would otherwise split into two lines.
    for line in page.extract_text_lines(y_tolerance=5):
        if not _inside(line, boxes):
            text = line["text"]
            placed.append((line["top"], len(placed), Line(text, f"page {number}")))
    for t, table in enumerate(tables, start=1):
        for r, cells in enumerate(table.extract(), start=1):
            row = tuple(re.sub(r"\s+", " ", c or "").strip() for c in cells)
            location = f"page {number} table {t} row {r}"
            placed.append((table.bbox[1] + r * 0.001, len(placed), Row(row, location)))
    ordered = [item for _, _, item in sorted(placed, key=lambda p: (p[0], p[1]))]
    # the plain text in reading order too: the sections are cut from it by their headings
    texts.extend(
        item.text if isinstance(item, Line) else " ".join(c for c in item.cells if c)
        for item in ordered
    )
    return ordered
