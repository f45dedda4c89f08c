"""Word (DOCX) inputs (optional extra ``docx``: python-docx).

Paragraphs become lines and tables rows, in body order. python-docx repeats a merged cell
in every grid position it covers; a horizontal repeat is dropped, so that one value spread
over several columns stays one value.
"""

from __future__ import annotations

import io
import lzma
import re
import struct
import zipfile
import zlib
from typing import Any

from gov_disclosure.errors import ParseError
from gov_disclosure.optional import require
from gov_disclosure.parsing.document import SPANNED, Document, Line, Row, misfit_rows

__all__ = ["MAX_DOCX_CELLS", "MAX_DOCX_UNZIPPED", "ZIP_ERRORS", "embedded_images", "extract_docx"]

MAX_DOCX_UNZIPPED = 64 * 1024 * 1024
"""Budget of uncompressed bytes in a DOCX (declared sizes; zipfile never inflates a member
past its declared size). A report is well under 1 MB; a zip bomb is refused before reading."""

MAX_DOCX_CELLS = 250_000
"""Budget of table cells (``w:tc`` times their ``gridSpan``), as for HTML grids."""

ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,  # a bad header, directory or CRC
    EOFError,  # a member cut short
    zlib.error,  # damaged deflate data
    lzma.LZMAError,
    NotImplementedError,  # a compression method zipfile does not know
    RuntimeError,  # an encrypted member
    struct.error,
    KeyError,  # a member the archive does not hold
    OSError,  # damaged bzip2 data, among others
    ValueError,
)
"""What :mod:`zipfile` raises on a damaged or hostile archive, read as unreadable input."""

MAX_GRID_SPAN = 64
"""Word's own limit on table columns: larger ``gridSpan`` values are clamped."""

_GRID_SPAN = re.compile(rb"<w:gridSpan\b[^>]*/>")
_SPAN_VALUE = re.compile(rb'w:val="\s*(\d{1,9})\s*"')


def _clamp_span(match: re.Match[bytes]) -> bytes:
    value = _SPAN_VALUE.search(match.group())
    span = min(MAX_GRID_SPAN, max(1, int(value.group(1)))) if value else 1
    return b'<w:gridSpan w:val="%d"/>' % span


def _defused(data: bytes, name: str | None) -> bytes:
    """The DOCX with its size checked and every ``gridSpan`` clamped (a valid value, too).

    Raises:
        ParseError: for a zip bomb or a table larger than :data:`MAX_DOCX_CELLS`.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except ZIP_ERRORS as exc:
        raise ParseError(f"unreadable DOCX: {exc}", location=name) from None
    declared = sum(m.file_size for m in members)
    if declared > MAX_DOCX_UNZIPPED or len(members) > 10_000:
        raise ParseError(
            f"the DOCX unpacks to {declared} bytes in {len(members)} parts; the limit is "
            f"{MAX_DOCX_UNZIPPED} bytes",
            location=name,
        )
    out = io.BytesIO()
    try:
        with archive, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rebuilt:
            for member in members:
                body = archive.read(member)
                if member.filename.startswith("word/") and member.filename.endswith(".xml"):
                    body = _GRID_SPAN.sub(_clamp_span, body)
                    spans = [int(v) for v in re.findall(rb'<w:gridSpan w:val="(\d+)"/>', body)]
                    cells = body.count(b"<w:tc>") + body.count(b"<w:tc ") + sum(spans) - len(spans)
                    if cells > MAX_DOCX_CELLS:
                        raise ParseError(
                            f"the tables have more than {MAX_DOCX_CELLS} cells; "
                            "not a report layout",
                            location=name,
                        )
                rebuilt.writestr(member, body)
    except ZIP_ERRORS as exc:
        raise ParseError(f"unreadable DOCX: {exc}", location=name) from None
    return out.getvalue()


def _clean(text: str) -> str:
    return re.sub(r"[ \t\r\n\u00a0\u3000]+", " ", text).strip()


def _open_docx(data: bytes, name: str | None) -> Any:
    """The python-docx document of a DOCX, its budgets checked (:func:`_defused`).

    Raises:
        ParseError: for a file that cannot be read as DOCX, or over its budgets.
    """
    docx: Any = require("docx", "docx", "reading DOCX")
    data = _defused(data, name)
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx/zipfile/lxml raise many types on damaged files
        raise ParseError(f"unreadable DOCX: {type(exc).__name__}: {exc}", location=name) from None


_PICTURES = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "v": "urn:schemas-microsoft-com:vml",
}


def _picture_ids(document: Any) -> list[str]:
    """The relationship ids of the pictures the body shows, in order, repeats included.

    DrawingML pictures (``a:blip``), and VML ones (``v:imagedata``) in files of older Word
    versions.
    """
    from lxml import etree

    found: Any = etree._Element.xpath(
        document.element.body, ".//a:blip/@r:embed | .//v:imagedata/@r:id", namespaces=_PICTURES
    )
    return [str(i) for i in found]


def extract_docx(data: bytes, *, name: str | None = None) -> Document:
    """Extract rows and lines from a Word document."""
    document = _open_docx(data, name)
    items: list[Row | Line] = []
    texts: list[str] = []
    try:
        _read_blocks(document, items, texts)
    except (ValueError, KeyError, IndexError, AttributeError, MemoryError) as exc:
        # python-docx on a damaged table (a w:tc without a grid, an invalid attribute...)
        raise ParseError(
            f"unreadable DOCX table: {type(exc).__name__}: {exc}", location=name
        ) from None
    images = len(_picture_ids(document))
    return Document("docx", tuple(items), "\n".join(texts), images=images)


def embedded_images(data: bytes, *, name: str | None = None) -> list[bytes]:
    """The pictures of a Word document's body, in the order it shows them, each once.

    Raises:
        ParseError: for a file that cannot be read as DOCX (or over its budgets).
        MissingDependencyError: without the ``docx`` extra.
    """
    document = _open_docx(data, name)
    try:
        parts = document.part.related_parts
        ids = dict.fromkeys(_picture_ids(document))
        blobs = [getattr(parts.get(i), "blob", None) for i in ids]
    except Exception as exc:  # python-docx/lxml on a damaged package
        raise ParseError(f"unreadable DOCX: {type(exc).__name__}: {exc}", location=name) from None
    return [blob for blob in blobs if isinstance(blob, bytes)]


def _read_blocks(document: Any, items: list[Row | Line], texts: list[str]) -> None:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = _clean(block.text)
            if text:
                items.append(Line(text, f"paragraph {len(items) + 1}"))
                texts.append(text)
        elif isinstance(block, Table):
            tables += 1
            grid = _table_grid(block)
            # a row that lost a cell, or has one beyond the header, as in an HTML table
            short, wide = misfit_rows(grid)
            for r, positions in enumerate(grid):
                cells = tuple(c for c in positions if c != SPANNED)
                location = f"table {tables} row {r + 1}"
                items.append(Row(cells, location, short=r in short, wide=r in wide))
                texts.append(" ".join(dict.fromkeys(c for c in cells if c)))


def _table_grid(table: Any) -> list[list[str]]:
    """A Word table's rows by layout-grid position, each cell's text where it starts.

    A cell spanning columns (``gridSpan``) is one cell, and one value: its other positions
    hold :data:`SPANNED` (a 总计 spanning a phantom grid column that LibreOffice adds is still
    the 15th value of table 4, not two). A cell continuing a vertical merge shows the text
    of the cell it continues (a label over rows), found in the row above at the same grid
    offset, once per row: a tall merge costs no more than its rows. A continuation with no
    cell above it (a damaged table; python-docx raises there) shows its own text, empty.
    """
    from docx.table import _Cell

    grid: list[list[str]] = []
    above: dict[int, tuple[Any, str]] = {}  # grid offset -> the cell shown there, its text
    for tr in table._tbl.tr_lst:
        here: dict[int, tuple[Any, str]] = {}
        positions: list[str] = []
        offset = tr.grid_before
        for tc in tr.tc_lst:
            span = tc.grid_span
            shown = above.get(offset) if tc.vMerge == "continue" else None
            if shown is None:
                shown = (tc, _clean(_Cell(tc, table).text))
            for k in range(span):
                here[offset + k] = shown
            positions += [shown[1], *[SPANNED] * (span - 1)]
            offset += span
        grid.append(positions)
        above = here
    return grid
