"""Scanned pages and images read by OCR (optional extra ``ocr``), offline.

The engine is RapidOCR on ONNX Runtime: PP-OCRv4 Chinese detection and recognition models
ship inside the ``rapidocr-onnxruntime`` wheel, so nothing is downloaded at run time. It is
loaded once per process (:func:`engine`); batch workers each load their own.

A page image is

1. straightened: the long horizontal rules of its tables give the skew, and a page scanned a
   little askew (about 0.5°) is rotated back so that rows stay rows;
2. searched for ruling lines (OpenCV morphology; OpenCV comes with the engine), which become
   the edges that pdfplumber's table algorithm turns into cells, as on a PDF page;
3. read by OCR: text boxes with their positions and confidences become
   :class:`~gov_disclosure.parsing.geometry.Word` objects, placed in the cells by the shared
   geometric reader (:func:`~gov_disclosure.parsing.geometry.page_items`).

Trust: a table cell whose OCR text is not a clean number but looks like a misread one
(``1O``, ``l``, ``|``, ``S``, stray punctuation), or a number read with a confidence below
:data:`MIN_CONFIDENCE`, is replaced by an illegible mark, so the cell is unread
``illegible`` and never mapped to digits by a guess; the OCR text is kept in an ``ocr``
diagnostic. Every row read by OCR is listed in ``Document.ocr`` with its lowest confidence,
and the cells read from it are marked in ``report.ocr`` (see :mod:`gov_disclosure.model`).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs

from gov_disclosure.errors import ParseError
from gov_disclosure.optional import require
from gov_disclosure.parsing.document import Diagnostic, Document, Line, Row
from gov_disclosure.parsing.geometry import Word, item_texts, page_items, table_cells
from gov_disclosure.parsing.values import BLANK_MARKERS, is_value_text

__all__ = [
    "DET_SCALE",
    "DPI",
    "MIN_CONFIDENCE",
    "detection_scale",
    "engine",
    "extract_image",
    "extract_page_images",
    "ocr_available",
    "ocr_page",
    "ocr_summary",
]

DPI = 150
"""Resolution PDF pages are rasterised at for OCR (measured: see docs/parsing.md)."""

DET_SCALE = 0.8
"""Scale of the page image text is *detected* on (recognition reads the full page's crops).

Measured on the seed and random reports, clean and damaged (benchmarks/scans.py): at 0.8 the
cells read are the same as at full size (no wrong value) and the prose as close to the source,
in 2.7 s a page instead of 3.2 s; at 0.6 a misreading appears. An image whose short side is
under 1,240 pixels (an A4 page under 150 dpi) is scaled less, so that the detector never sees
fewer pixels than it did in that measurement."""

_DET_MIN_SIDE = 992  # pixels: the short side of an A4 page at 150 dpi, times DET_SCALE

MIN_CONFIDENCE = 0.6
"""Lowest OCR confidence at which a number in a table cell is read (measured: docs)."""

_MAX_SKEW = 3.0  # degrees: a larger angle is a layout (a rotated table), not a scan's skew
# characters OCR confuses with digits; a cell of digits and these is a misread number
_CONFUSABLE = re.compile(r"^[\doOlIi|SsBZz.,，。:：;'`\"\s\-—_]*$")


def ocr_available() -> bool:
    """Whether the ``ocr`` extra (RapidOCR, ONNX Runtime, pypdfium2) is installed."""
    try:
        require("rapidocr_onnxruntime", "ocr", "OCR")
        require("pypdfium2", "ocr", "OCR")
    except ImportError:
        return False
    return True


@functools.cache
def engine() -> Any:
    """The OCR engine, loaded once per process (the models come inside the wheel)."""
    rapidocr = require("rapidocr_onnxruntime", "ocr", "reading scanned pages (OCR)")
    import logging

    logging.getLogger("RapidOCR").setLevel(logging.ERROR)  # it logs every call at INFO
    # one thread: batch workers are the parallelism; ONNX Runtime would take every core.
    # No angle classifier: pages are upright (a turned page is a layout we do not read).
    # one line at a time: batches pad every line to the widest, measured 1.7x slower
    return rapidocr.RapidOCR(
        intra_op_num_threads=1, inter_op_num_threads=1, use_cls=False, rec_batch_num=1
    )


def _deskewed(gray: Any) -> Any:
    """The page turned so that its long horizontal rules are level (small angles only)."""
    import cv2
    import numpy as np

    height, width = gray.shape
    binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, width // 30), 1))
    rules = cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel)
    contours, _ = cv2.findContours(rules, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    angles = []
    for contour in contours:  # each long rule: the angle of the line through its pixels
        if cv2.boundingRect(contour)[2] < width // 4:
            continue
        vx, vy, _, _ = cv2.fitLine(contour, cv2.DIST_L2, 0, 0.01, 0.01).ravel().tolist()
        angle = math.degrees(math.atan2(vy, vx))
        angle = angle - 180 if angle > 90 else angle + 180 if angle < -90 else angle
        if abs(angle) < _MAX_SKEW:
            angles.append(angle)
    if not angles:
        return gray
    angle = float(np.median(angles))
    if abs(angle) < 0.05:
        return gray
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)


def _ruling_edges(gray: Any) -> list[dict[str, Any]]:
    """The page's ruling lines as pdfplumber edges (pixels)."""
    import cv2

    height, width = gray.shape
    binary = cv2.adaptiveThreshold(
        255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -2
    )
    edges: list[dict[str, Any]] = []
    for orientation, size in (("h", (max(20, width // 40), 1)), ("v", (1, max(20, height // 60)))):
        mask = cv2.morphologyEx(
            binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size)
        )
        # close small gaps a scan leaves in a rule
        close = (9, 1) if orientation == "h" else (1, 9)
        mask = cv2.morphologyEx(
            mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, close)
        )
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            x, y, w, h = cv2.boundingRect(contour)
            if orientation == "h":
                middle = y + h / 2
                edges.append(_edge("h", x, middle, x + w, middle))
            else:
                middle = x + w / 2
                edges.append(_edge("v", middle, y, middle, y + h))
    return edges


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict[str, Any]:
    return {
        "orientation": orientation,
        "x0": float(x0),
        "x1": float(x1),
        "top": float(top),
        "bottom": float(bottom),
        "width": float(x1 - x0),
        "height": float(bottom - top),
        "object_type": "line",
    }


def _words(gray: Any) -> list[Word]:
    """The OCR engine's text boxes as words with positions and confidences.

    Text is detected on the page scaled by :data:`DET_SCALE` and recognised on crops of the
    full page (RapidOCR's own steps, with the detector's input made smaller).
    """
    import cv2
    import numpy as np

    ocr = engine()
    page = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    if not all(hasattr(ocr, a) for a in ("text_det", "sorted_boxes", "get_crop_img_list")):
        return _boxes_to_words(ocr(page)[0])  # a RapidOCR without these steps: its own call
    scale = detection_scale(gray.shape)
    small = page
    if scale < 1.0:
        small = cv2.resize(page, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    boxes, _ = ocr.text_det(small)
    if boxes is None or len(boxes) == 0:
        return []
    boxes = ocr.sorted_boxes(np.asarray(boxes, dtype=np.float32) / scale)
    texts, _ = ocr.text_rec(ocr.get_crop_img_list(page, list(boxes)))
    kept = [
        (box.tolist(), text, score)
        for box, (text, score) in zip(boxes, texts, strict=True)
        if score >= ocr.text_score  # RapidOCR's own filter (0.5)
    ]
    return _boxes_to_words(kept)


def detection_scale(shape: tuple[int, ...]) -> float:
    """The scale a page image of this (height, width) is detected at.

    :data:`DET_SCALE`, or more for an image whose short side is under 1,240 pixels: the
    detector never sees fewer pixels than in the measurement.
    """
    return min(1.0, max(DET_SCALE, _DET_MIN_SIDE / max(1, min(shape[:2]))))


def _boxes_to_words(result: Any) -> list[Word]:
    words = []
    for box, text, score in result or ():
        xs = [p[0] for p in box]
        ys = [p[1] for p in box]
        words.append(Word(text, min(xs), min(ys), max(xs), max(ys), float(score)))
    return words


_INSET = 4  # pixels kept clear of a cell's rules when looking for ink in it
_INK = 110  # grey level below which a pixel is ink
_MIN_INK = 6  # ink pixels that make a mark (fewer are noise)


def _within_cells(
    gray: Any, words: list[Word], tables: list[list[tuple[float, float, float, float]]]
) -> list[Word]:
    """The words, less those with digits whose box holds ink in two cells of a table.

    The detector may take digits close to a rule on both sides of it for one text box
    (``7668`` and ``495196`` in two narrow cells, recognised as ``7668495196``): such a box
    is no cell's value. Without it, each cell it touched is read on its own crop
    (:func:`_cell_words`). A box's margin past a rule holds no ink and does not count.
    """
    kept = []
    for w in words:
        if any(c.isdigit() for c in w.text):
            inked = 0
            for cells in tables:
                for x0, top, x1, bottom in cells:
                    left, right = max(w.x0, x0 + _INSET), min(w.x1, x1 - _INSET)
                    high, low = max(w.top, top + _INSET), min(w.bottom, bottom - _INSET)
                    if right - left < 1 or low - high < 1:
                        continue
                    part = gray[int(high) : int(low), int(left) : int(right)]
                    inked += int((part < _INK).sum()) >= _MIN_INK
            if inked > 1:
                continue
        kept.append(w)
    return kept


def _cell_words(
    gray: Any, tables: list[list[tuple[float, float, float, float]]], words: list[Word]
) -> list[Word]:
    """Words for the table cells the page's text detection found nothing in, but which hold ink.

    The detector misses small isolated marks (a lone ``0`` against a rule) and drops what it
    reads with low confidence; a cell with ink is never taken for blank. Each such cell is
    read by recognition alone, on its own crop; a crop it cannot read is an illegible mark.
    A cell without ink is blank.
    """
    import cv2

    centres = [((w.x0 + w.x1) / 2, (w.top + w.bottom) / 2) for w in words]
    boxes: list[tuple[float, float, float, float]] = []
    crops: list[Any] = []
    for cells in tables:
        for x0, top, x1, bottom in cells:
            if any(x0 <= x < x1 and top <= y < bottom for x, y in centres):
                continue
            crop = gray[
                int(top) + _INSET : int(bottom) - _INSET, int(x0) + _INSET : int(x1) - _INSET
            ]
            if crop.size == 0 or int((crop < _INK).sum()) < _MIN_INK:
                continue  # blank: no ink between the rules
            boxes.append((x0, top, x1, bottom))
            crops.append(cv2.cvtColor(_tight(crop), cv2.COLOR_GRAY2BGR))
    if not crops:
        return []
    results, _ = engine().text_rec(crops)
    found = []
    for (x0, top, x1, bottom), (text, score) in zip(boxes, results, strict=True):
        text = text.strip() or "\u25af"  # ink that reads as nothing: illegible
        found.append(
            Word(text, x0 + _INSET, top + _INSET, x1 - _INSET, bottom - _INSET, float(score))
        )
    return found


def _tight(crop: Any) -> Any:
    """The crop cut to its ink, with a margin: recognition reads a line of text, not a cell."""
    import numpy as np

    ys, xs = np.nonzero(crop < _INK)
    margin = 6
    top, bottom = max(0, ys.min() - margin), min(crop.shape[0], ys.max() + margin + 1)
    left, right = max(0, xs.min() - margin), min(crop.shape[1], xs.max() + margin + 1)
    return crop[top:bottom, left:right]


def _trusted(
    items: list[Row | Line], confidence: dict[str, tuple[float | None, ...]]
) -> tuple[list[Row | Line], list[Diagnostic]]:
    """Rows whose doubtful numbers are replaced by an illegible mark, and what was replaced."""
    notes: list[Diagnostic] = []
    out: list[Row | Line] = []
    for item in items:
        scores = confidence.get(item.location)
        if not isinstance(item, Row) or scores is None:
            out.append(item)
            continue
        cells = []
        for text, score in zip(item.cells, scores, strict=True):
            doubt = _doubt(text, score)
            if doubt is not None:
                notes.append(
                    Diagnostic(
                        code="ocr",
                        severity="warning",
                        message=f"OCR read {text!r} {doubt}; the cell is left unread "
                        "(illegible), never guessed",
                        location=item.location,
                    )
                )
                text = "\u25af"  # an illegible mark: the cell keeps its place, unread
            cells.append(text)
        out.append(attrs.evolve(item, cells=tuple(cells)))
    return out, notes


def _doubt(text: str, score: float | None) -> str | None:
    """Why an OCR'd cell's number cannot be trusted, or None when it can (or is no number)."""
    clean = text.strip()
    if not clean:
        return None
    if is_value_text(clean):  # a number, a blank marker (/, —) or a smudge
        if score is not None and score < MIN_CONFIDENCE:
            return f"with confidence {score:.2f} (below {MIN_CONFIDENCE})"
        if not any(c.isdigit() for c in clean) and clean not in BLANK_MARKERS:
            return "as a mark where a number belongs"
        return None
    if _CONFUSABLE.match(clean):  # 1O, l, S: a misread number (or a rule's remnant)
        return "where a number belongs, with letters or marks OCR confuses with digits"
    return None


def ocr_page(
    image: Any, number: int
) -> tuple[list[Row | Line], dict[str, float], list[Diagnostic]]:
    """Read one page image (a Pillow image) by OCR.

    Returns:
        The page's rows and lines in reading order, each item's lowest OCR confidence by
        location, and the diagnostics (cells left unread).
    """
    import numpy as np

    gray = _deskewed(np.asarray(image.convert("L")))
    tables = table_cells(_ruling_edges(gray), tolerance=6)
    words = _within_cells(gray, _words(gray), tables)
    words += _cell_words(gray, tables, words)
    items, confidence = page_items(words, tables, number, lines_tolerance=8)
    items, notes = _trusted(items, confidence)
    lowest = {
        location: min(s for s in scores if s is not None) for location, scores in confidence.items()
    }
    return items, lowest, notes


def ocr_summary(pages: int, origins: Sequence[tuple[str, int, int]] = ()) -> Diagnostic:
    """The diagnostic that opens the diagnostics of a document read (partly) by OCR.

    ``origins`` names the file of each run of pages (name, first page, last page) when a
    report came as several files.
    """
    where = "; ".join(
        f"page {first}: {name}" if first == last else f"pages {first}-{last}: {name}"
        for name, first, last in origins
    )
    return Diagnostic(
        code="ocr",
        severity="info",
        message=f"{pages} page(s) read by OCR: every value read from them is marked as such "
        "(report.ocr), since a misreading is possible" + (f" ({where})" if where else ""),
    )


def _document(
    kind: str,
    pages: Iterable[tuple[int, Any]],
    name: str | None,
    origins: Sequence[tuple[str, int, int]] = (),
) -> Document:
    items: list[Row | Line] = []
    confidence: dict[str, float] = {}
    notes: list[Diagnostic] = []
    count = 0
    for number, image in pages:
        count += 1
        page_rows, page_confidence, page_notes = ocr_page(image, number)
        items.extend(page_rows)
        confidence.update(page_confidence)
        notes.extend(page_notes)
    if not count:
        raise ParseError("no pages to read", location=name)
    notes.insert(0, ocr_summary(count, origins))  # filled as the pages were read
    return Document(
        kind,
        tuple(items),
        "\n".join(item_texts(items)),
        diagnostics=tuple(notes),
        ocr=confidence,
        ocr_pages=count,
    )


def extract_image(data: bytes, *, name: str | None = None, ocr: str = "auto") -> Document:
    """Read a PNG, JPEG or (multi-page) TIFF by OCR.

    Raises:
        ParseError: with ``ocr="never"``, for an image over the pixel or page budget, and for
            an unreadable image.
        MissingDependencyError: without the ``ocr`` extra.
    """
    from gov_disclosure.parsing.images import image_pages

    if ocr == "never":
        raise ParseError("an image can only be read by OCR, and ocr='never'", location=name)
    engine()  # the missing-extra error before any work
    return _document("image", enumerate(image_pages(data, name=name), start=1), name)


def extract_page_images(files: Iterable[tuple[str, bytes]], *, name: str | None = None) -> Document:
    """Read one report published as several image files (its pages, in order) by OCR.

    ``files`` gives each file's name and bytes; it is read one file at a time, as the pages
    are needed. A multi-page TIFF among them gives all its pages in turn.

    Raises:
        ParseError: for a file that is not an image, over the pixel budget or unreadable,
            and when the files hold more than :data:`~gov_disclosure.parsing.images.MAX_IMAGE_PAGES`
            pages in all.
        MissingDependencyError: without the ``ocr`` extra.
    """
    from gov_disclosure.parsing.images import MAX_IMAGE_PAGES, image_kind, image_pages

    engine()
    origins: list[tuple[str, int, int]] = []

    def pages() -> Iterator[tuple[int, Any]]:
        number = 0
        for file, data in files:
            if image_kind(data) is None:
                raise ParseError("not an image (PNG, JPEG or TIFF)", location=file)
            first = number + 1
            for image in image_pages(data, name=file):
                number += 1
                if number > MAX_IMAGE_PAGES:
                    raise ParseError(
                        f"more than {MAX_IMAGE_PAGES} pages in all; the limit is {MAX_IMAGE_PAGES}",
                        location=file,
                    )
                yield number, image
            origins.append((file, first, number))

    return _document("image", pages(), name, origins)
