"""``parse()``: detect the input kind, extract, assemble."""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import urllib.parse
import warnings
from collections.abc import Iterator, Sequence
from os import PathLike
from pathlib import Path
from typing import Any, BinaryIO

import attrs

from gov_disclosure.errors import GovDisclosureError, ParseError
from gov_disclosure.parsing.assemble import assemble
from gov_disclosure.parsing.document import KINDS, Document, ParseResult

__all__ = [
    "KINDS",
    "MAX_INPUT_BYTES",
    "OCR_MODES",
    "detect_kind",
    "embedded_page_images",
    "parse",
    "parse_document",
    "parse_pages",
    "parse_text",
    "saved_page_images",
]

OCR_MODES = ("never", "auto", "always")
"""``parse(ocr=...)``: never OCR, OCR pages without a text layer (default), OCR every page."""


LEVELS = ("national", "provincial", "prefectural", "county", "township")
"""Administrative levels (the model's ``Agency.level``)."""

MAX_INPUT_BYTES = 32 * 1024 * 1024
"""Largest input parsed (a report PDF is rarely over 5 MB)."""
_SUFFIXES = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".doc": "doc",
    ".wps": "doc",
    ".rtf": "rtf",
    ".odt": "odt",
    ".docm": "docm",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
}


def decode_text(data: bytes) -> str:
    """Decode report text: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def detect_kind(data: bytes, name: str | None = None) -> str:
    """The input kind from the content (magic bytes, markup), the file name as a hint."""
    if data.startswith(b"%PDF"):
        return "pdf"
    from gov_disclosure.parsing.images import image_kind
    from gov_disclosure.parsing.legacy import legacy_kind

    if image_kind(data) is not None:
        return "image"
    legacy = legacy_kind(data, name)
    if legacy is not None:
        return legacy
    if data.startswith(b"PK\x03\x04"):
        if b"word/" in data[:4096] or (name or "").lower().endswith(".docx"):
            return "docx"
        raise ParseError("a ZIP archive that is not a Word document", location=name)
    head = decode_text(data[:8192]).lower()
    if "<html" in head or "<!doctype html" in head or "<table" in head or "<body" in head:
        return "html"
    hinted = _SUFFIXES.get(Path(name).suffix.lower()) if name else None
    if hinted in ("pdf", "docx", "image"):
        what = "an image" if hinted == "image" else f"a {hinted.upper()} file"
        raise ParseError(f"the file is named {name} but is not {what}", location=name)
    lines = decode_text(data).splitlines()
    if (
        sum(1 for line in lines if line.lstrip().startswith("|") and line.rstrip().endswith("|"))
        >= 3
    ):
        return "markdown"
    return hinted if hinted in ("markdown", "html") else "text"


def _extract(data: bytes, kind: str, name: str | None, ocr: str = "auto") -> Document:
    if kind == "text":
        from gov_disclosure.parsing.text import extract_text

        return extract_text(decode_text(data))
    if kind == "markdown":
        from gov_disclosure.parsing.markdown import extract_markdown

        return extract_markdown(decode_text(data))
    if kind == "html":
        from gov_disclosure.parsing.html import extract_html

        return extract_html(data)
    if kind == "pdf":
        from gov_disclosure.parsing.pdf import extract_pdf

        return extract_pdf(data, name=name, ocr=ocr)
    if kind == "docx":
        from gov_disclosure.parsing.docx import extract_docx

        return extract_docx(data, name=name)
    if kind in ("doc", "rtf", "odt", "docm"):
        from gov_disclosure.parsing.docx import extract_docx
        from gov_disclosure.parsing.legacy import convert_to_docx

        converted = convert_to_docx(data, kind, name=name)
        return attrs.evolve(extract_docx(converted, name=name), kind=kind)
    if kind == "image":
        from gov_disclosure.parsing.ocr import extract_image

        return extract_image(data, name=name, ocr=ocr)
    raise ValueError(f"unknown input kind {kind!r}; expected one of {KINDS}")


def _within_limit(size: int, name: str | None, *, unreadable: bool = False) -> None:
    """Refuse an input over :data:`MAX_INPUT_BYTES` (unreadable: a file not even read)."""
    if size > MAX_INPUT_BYTES:
        raise ParseError(
            f"input is {size} bytes; the limit is {MAX_INPUT_BYTES}",
            location=name,
            unreadable=unreadable,
        )


def _read_path(path: Path, name: str, *, head: int | None = None) -> bytes:
    """The bytes of a regular file, or its first ``head`` bytes.

    FIFOs and devices are refused: reading one could block for ever.
    """
    try:
        if not path.is_file():
            reason = "no such file" if not path.exists() else "not a regular file"
            raise ParseError(f"cannot read: {reason}", location=name, unreadable=True)
        if head is not None:
            with path.open("rb") as file:
                return file.read(head)
        _within_limit(path.stat().st_size, name, unreadable=True)
        return path.read_bytes()
    except ParseError:
        raise
    except OSError as exc:
        raise ParseError(
            f"cannot read: {exc.strerror or exc}", location=name, unreadable=True
        ) from None
    except ValueError as exc:  # e.g. an embedded NUL in the path
        raise ParseError(f"cannot read: {exc}", location=name, unreadable=True) from None


def parse(
    source: str | bytes | PathLike[str],
    *,
    kind: str | None = None,
    name: str | None = None,
    year: int | None = None,
    agency: str | None = None,
    edition: str | None = None,
    level: str | None = None,
    ocr: str = "auto",
) -> ParseResult:
    """Parse a published report into the model.

    Args:
        source: A path (``str`` or ``PathLike``) or the file's bytes. A ``str`` is always a
            path, never report text: use :func:`parse_text` for text.
        kind: ``text``, ``markdown``, ``html``, ``pdf`` or ``docx``; detected when omitted.
        name: A name for messages (defaults to the path).
        year: The report year, when the document does not state it findably.
        agency: The publishing body, likewise.
        edition: Force the template edition instead of detecting it from the labels.
        level: The agency's administrative level, when its name does not prove it.
        ocr: ``auto`` (default) reads PDF pages without a text layer, and images, by OCR
            (extra ``ocr``); ``always`` reads every PDF page by OCR; ``never`` reads none.

    Returns:
        The :class:`ParseResult`: the report, diagnostics, unread cells and provenance.

    Raises:
        ParseError: for a file that cannot be read, and for input that is not a report of a
            supported edition (pre-2019 reports, documents without the tables, unreadable
            PDFs...), with a location.
        TypeError: for a source that is not a path or bytes.
        ValueError: for an unknown ``kind``.
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown input kind {kind!r}; expected one of {KINDS}")
    if level is not None and level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {LEVELS}")
    if ocr not in OCR_MODES:
        raise ValueError(f"unknown ocr mode {ocr!r}; expected one of {OCR_MODES}")
    if isinstance(source, (str, PathLike)):
        name = name or str(source)
        data = _read_path(Path(source), name)
    elif isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        raise TypeError(f"parse() takes a path or bytes, got {type(source).__name__}")
    return _parse_bytes(
        data, kind=kind, name=name, year=year, agency=agency, edition=edition, level=level, ocr=ocr
    )


def parse_text(
    text: str,
    *,
    kind: str = "text",
    name: str | None = None,
    year: int | None = None,
    agency: str | None = None,
    edition: str | None = None,
) -> ParseResult:
    """Parse a published report given as text (page text, HTML or Markdown source).

    Args:
        text: The report's text.
        kind: ``text`` (default), ``markdown`` or ``html``.
        name: A name for messages.
        year: The report year, when the document does not state it findably.
        agency: The publishing body, likewise.
        edition: Force the template edition instead of detecting it from the labels.

    Raises:
        ParseError: as for :func:`parse`, and for text that is not Unicode (lone surrogates).
        TypeError: for a ``text`` that is not a ``str``.
        ValueError: for a kind that is not a text kind.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_text() takes a str, got {type(text).__name__}")
    if kind not in ("text", "markdown", "html"):
        raise ValueError(f"parse_text() takes kind text, markdown or html, not {kind!r}")
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ParseError(
            f"character {exc.start} is a lone surrogate, not Unicode text", location=name
        ) from None
    return _parse_bytes(data, kind=kind, name=name, year=year, agency=agency, edition=edition)


def _parse_bytes(
    data: bytes,
    *,
    kind: str | None,
    name: str | None,
    year: int | None,
    agency: str | None,
    edition: str | None,
    level: str | None = None,
    ocr: str = "auto",
) -> ParseResult:
    if not data.strip():
        raise ParseError("empty input", location=name)
    _within_limit(len(data), name)
    kind = kind or detect_kind(data, name)
    with _errors_inside(kind, name):
        document = _extract(data, kind, name, ocr)
        return assemble(
            document, year=year, agency=agency, edition=edition, source=name, level=level
        )


@contextlib.contextmanager
def _errors_inside(kind: str, name: str | None) -> Iterator[None]:
    """Any exception but the library's own, raised inside, as a :class:`ParseError`."""
    try:
        yield
    except GovDisclosureError:
        raise
    except (
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        RecursionError,
        OSError,
        MemoryError,
    ) as exc:
        # A bug or an input we did not foresee: still the library's own error, with a
        # location, and saying so: an evaluator must not file it as the agency's fault.
        raise ParseError(
            f"cannot parse this {kind} input: an error inside gov_disclosure "
            f"({type(exc).__name__}: {str(exc)[:200]}); please report it with the file",
            location=name,
        ) from exc


def _image_head(page: str | bytes | PathLike[str], name: str) -> None:
    """Refuse a page file that is not there or not an image, from its first bytes."""
    from gov_disclosure.parsing.images import image_kind

    if isinstance(page, (str, PathLike)):
        head = _read_path(Path(page), name, head=16)
    else:
        head = bytes(page[:16])
    if image_kind(head) is None:
        raise ParseError("not an image (PNG, JPEG or TIFF)", location=name)


def parse_pages(
    pages: Sequence[str | bytes | PathLike[str]],
    *,
    name: str | None = None,
    year: int | None = None,
    agency: str | None = None,
    edition: str | None = None,
    level: str | None = None,
) -> ParseResult:
    """Parse one report published as several page images (PNG, JPEG, TIFF), by OCR.

    Portals often publish a scanned report as one image a page. The pages are read in the
    order given (name files so that they sort, or pass them in order: ``page10.png`` sorts
    before ``page2.png``), one file at a time, and assembled as one document, so that a
    table running over a page break is read whole. The ``ocr`` diagnostic names the file
    of every page; every cell read is marked as read by OCR (``report.ocr``).

    Args:
        pages: The page files in order: paths, or each file's bytes. A multi-page TIFF
            gives all its pages in turn.
        name: A name for messages (defaults to the first file's path).
        year: The report year, when the pages do not state it findably.
        agency: The publishing body, likewise.
        edition: Force the template edition instead of detecting it from the labels.
        level: The agency's administrative level, when its name does not prove it.

    Returns:
        The :class:`ParseResult`, as :func:`parse` gives it.

    Raises:
        ParseError: for a file that cannot be read or is not an image, more than 200 pages in
            all, and pages that are not a report of a supported edition, with a location.
        MissingDependencyError: without the ``ocr`` extra.
        TypeError: for a page that is not a path or bytes.
        ValueError: for no pages, or an unknown ``level``.
    """
    if isinstance(pages, (str, bytes, PathLike)):
        raise TypeError("parse_pages() takes a sequence of pages; for one file, use parse()")
    if not pages:
        raise ValueError("parse_pages() needs at least one page")
    if level is not None and level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {LEVELS}")
    names = []
    for number, page in enumerate(pages, start=1):
        if isinstance(page, (str, PathLike)):
            names.append(str(page))
        elif isinstance(page, (bytes, bytearray, memoryview)):
            names.append(f"page file {number}")
        else:
            raise TypeError(f"a page is a path or bytes, got {type(page).__name__}")
    name = name or names[0]
    from gov_disclosure.parsing.images import MAX_IMAGE_PAGES
    from gov_disclosure.parsing.ocr import extract_page_images

    if len(pages) > MAX_IMAGE_PAGES:
        raise ParseError(
            f"{len(pages)} page files; the limit is {MAX_IMAGE_PAGES} pages", location=name
        )
    for page, file in zip(pages, names, strict=True):  # every file an image, before any OCR
        _image_head(page, file)

    def files() -> Iterator[tuple[str, bytes]]:  # read one at a time, as pages are needed
        for page, file in zip(pages, names, strict=True):
            if isinstance(page, (str, PathLike)):
                yield file, _read_path(Path(page), file)
            else:
                data = bytes(page)
                _within_limit(len(data), file)
                yield file, data

    with _errors_inside("image", name):
        document = extract_page_images(files(), name=name)
        return assemble(
            document, year=year, agency=agency, edition=edition, source=name, level=level
        )


def _page_like(file: BinaryIO) -> bool:
    """Whether a picture may be a page: PNG, JPEG or TIFF, and not a logo or an icon.

    Only the header is read (Pillow decodes no pixel to tell the size). A picture far too
    large to read is a page all the same: :func:`parse_pages` refuses it with its name.
    """
    from gov_disclosure.optional import require
    from gov_disclosure.parsing.images import MIN_PAGE_SIDE, image_kind

    pil: Any = require("PIL.Image", "ocr", "reading images")
    if image_kind(file.read(16)) is None:
        return False
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pil.DecompressionBombWarning)
            with pil.open(file) as image:
                return bool(min(image.size) >= MIN_PAGE_SIDE)
    except pil.DecompressionBombError:
        return True
    except (OSError, ValueError, SyntaxError, EOFError):
        return False  # not readable as an image


def embedded_page_images(source: str | bytes | PathLike[str]) -> list[bytes]:
    """The page images of a Word document that holds its report as pictures.

    A scan pasted into Word, one picture a page: the pictures of the body in the order the
    document shows them, each once, PNG, JPEG or TIFF by signature and at least 400 pixels
    on each side (not logos or seals), at most 201 (for :func:`parse_pages` to refuse). Pass
    them to :func:`parse_pages`. A legacy file (``.doc``, ``.wps``, ``.rtf``, ``.odt``,
    ``.docm``) is converted to DOCX by LibreOffice first, as :func:`parse` does.

    Raises:
        ParseError: for a file that cannot be read as DOCX (or converted to it).
        MissingDependencyError: without the ``docx`` and ``ocr`` extras, or LibreOffice for
            a legacy file.
    """
    from gov_disclosure.optional import require
    from gov_disclosure.parsing.docx import embedded_images
    from gov_disclosure.parsing.images import MAX_IMAGE_PAGES
    from gov_disclosure.parsing.legacy import convert_to_docx, legacy_kind

    require("PIL.Image", "ocr", "reading images")
    if isinstance(source, (str, PathLike)):
        name: str | None = str(source)
        data = _read_path(Path(source), str(source))
    else:
        name, data = None, bytes(source)
    legacy = legacy_kind(data, name)
    if legacy is not None:
        data = convert_to_docx(data, legacy, name=name)
    # each picture once, by its bytes too: a converted file repeats a picture's part
    pictures = dict.fromkeys(embedded_images(data, name=name))
    pages = [blob for blob in pictures if _page_like(io.BytesIO(blob))]
    return pages[: MAX_IMAGE_PAGES + 1]


def saved_page_images(page: str | os.PathLike[str]) -> list[str]:
    """The page images of a saved web page, in the order the page shows them.

    A portal that publishes a scanned report as pictures, saved with its pictures (a
    browser's "save page, complete"), leaves them in the page's folder or below it. The
    pictures named by ``<img src>`` are taken when they are files there (never a URL with a
    scheme or a host, and never outside that folder, through ``..`` or a link), PNG, JPEG or
    TIFF by signature, and at least ``images.MIN_PAGE_SIDE`` (400) pixels on each side, so
    not logos or icons. Each is taken once, among the page's first
    ``images.MAX_PAGE_SOURCES`` (2,000) pictures, and at most 201 of them, for
    :func:`parse_pages` to refuse. Pass them to :func:`parse_pages`.

    Raises:
        ParseError: for a page that cannot be read.
        MissingDependencyError: without the ``ocr`` extra (Pillow reads the sizes).
    """
    from gov_disclosure.optional import require
    from gov_disclosure.parsing.html import image_sources
    from gov_disclosure.parsing.images import MAX_IMAGE_PAGES, MAX_PAGE_SOURCES

    require("PIL.Image", "ocr", "reading images")
    name = os.fspath(page)
    folder = Path(name).resolve().parent
    try:
        sources = image_sources(_read_path(Path(name), name), limit=MAX_PAGE_SOURCES)
    except ParseError as exc:
        raise ParseError(str(exc), location=name) if exc.location is None else exc from None
    found: list[str] = []
    for src in dict.fromkeys(sources):
        try:
            split = urllib.parse.urlsplit(src)
            if split.scheme or split.netloc or not split.path or "\\" in split.path:
                continue
            path = (folder / urllib.parse.unquote(split.path)).resolve()
            if not path.is_relative_to(folder) or not path.is_file() or str(path) in found:
                continue
            with path.open("rb") as file:
                if not _page_like(file):
                    continue
        except (OSError, ValueError):
            continue  # not a URL ("//["), or no such file (a NUL in its name...)
        found.append(str(path))
        if len(found) > MAX_IMAGE_PAGES:
            break
    return found


def parse_document(document: Document, **options: object) -> ParseResult:
    """Assemble a report from an already extracted :class:`Document` (for custom extractors)."""
    return assemble(document, **options)  # type: ignore[arg-type]
