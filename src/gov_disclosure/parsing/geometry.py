"""The geometric reader shared by the PDF and OCR paths: ruled tables and text in page order.

A page is words with positions (PDF characters, or OCR text boxes) and ruling lines (PDF
line and rectangle objects, or lines found in a scan's pixels). pdfplumber's table algorithm
turns the ruling lines into cells and tables; each word belongs to the cell holding its
centre; the words outside every table become lines of text. Rows and lines come out in
reading order, top to bottom, as :class:`~gov_disclosure.parsing.document.Row` and
:class:`~gov_disclosure.parsing.document.Line` items.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Any

import attrs

from gov_disclosure.parsing.document import SPANNED, Line, Row, misfit_rows

__all__ = [
    "Word",
    "inside",
    "item_texts",
    "order_items",
    "page_items",
    "ruled_rows",
    "table_cells",
]

BBox = tuple[float, float, float, float]


@attrs.frozen
class Word:
    """A piece of text with its box (``x0``, ``top``, ``x1``, ``bottom``) and confidence.

    ``confidence`` is the OCR engine's (0-1) for a recognised text box, ``None`` for text
    taken from a PDF's text layer.
    """

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float | None = None


def inside(box: BBox, tables: Sequence[BBox]) -> bool:
    """Whether a box's centre lies in one of the tables' boxes.

    By the centre: prose set in a frame (which pdfplumber reports as a one-column table)
    pokes a little out of it, and must not be read twice, as a line and as a row.
    """
    x = (box[0] + box[2]) / 2
    y = (box[1] + box[3]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in tables)


def order_items(placed: list[tuple[float, int, Row | Line]]) -> list[Row | Line]:
    """Items by their top (a table's rows by their order in it), ties in insertion order."""
    return [item for _, _, item in sorted(placed, key=lambda p: (p[0], p[1]))]


def item_texts(items: Sequence[Row | Line]) -> list[str]:
    """The plain text of items in reading order (the text parts are cut from it).

    A row is its non-empty cells, separated by spaces.
    """
    return [
        item.text if isinstance(item, Line) else " ".join(c for c in item.cells if c)
        for item in items
    ]


def table_cells(edges: list[dict[str, Any]], tolerance: float) -> list[list[BBox]]:
    """The tables (each a list of cell boxes) that ruling lines form, by pdfplumber's algorithm.

    Args:
        edges: pdfplumber edge dicts (``orientation`` ``h``/``v``, ``x0``, ``x1``, ``top``,
            ``bottom``, ``width``, ``height``).
        tolerance: How far apart (in the edges' unit) two lines may be and still be one, and
            a line may stop short of the line it meets.
    """
    from pdfplumber import table as plumber

    merged = plumber.merge_edges(edges, tolerance, tolerance, tolerance, tolerance)
    points = plumber.edges_to_intersections(merged, tolerance, tolerance)
    return plumber.cells_to_tables(plumber.intersections_to_cells(points))


def page_items(
    words: Sequence[Word],
    tables: Sequence[Sequence[BBox]],
    number: int,
    *,
    lines_tolerance: float,
) -> tuple[list[Row | Line], dict[str, tuple[float | None, ...]]]:
    """The rows of a page's tables and the lines of its other text, in reading order.

    Args:
        words: The page's words.
        tables: The page's tables, each as its cell boxes (:func:`table_cells`).
        number: The page number, for locations.
        lines_tolerance: How far apart (vertically) two words may sit on one line.

    Returns:
        The items, and for every item whose words carry a confidence (OCR), its location ->
        the lowest confidence of each cell's words (one for a line; ``None`` for an empty
        cell).
    """
    from pdfplumber.table import Table

    # the page is only read by Table.extract(), which reads PDF characters; rows need cells
    found = [Table(None, list(cells)) for cells in tables if cells]  # type: ignore[arg-type]
    boxes = [t.bbox for t in found]
    placed: list[tuple[float, int, Row | Line]] = []
    confidence: dict[str, tuple[float | None, ...]] = {}
    outside = [w for w in words if not inside((w.x0, w.top, w.x1, w.bottom), boxes)]
    for k, (text, top, lowest) in enumerate(_lines(outside, lines_tolerance), start=1):
        location = f"page {number} line {k}"
        placed.append((top, len(placed), Line(text, location)))
        if lowest is not None:
            confidence[location] = (lowest,)
    for t, table in enumerate(found, start=1):
        rows = [row.cells for row in table.rows]
        read = [_row_texts(cells, words) for cells in rows]
        structure = ruled_rows(rows, [texts for texts, _ in read])
        for r, ((texts, each), (keep, short, wide)) in enumerate(
            zip(read, structure, strict=True), start=1
        ):
            location = f"page {number} table {t} row {r}"
            row = Row(tuple(texts[j] for j in keep), location, short=short, wide=wide)
            placed.append((table.bbox[1] + r * 0.001, len(placed), row))
            lowest_each = tuple(each[j] for j in keep)
            if any(c is not None for c in lowest_each):
                confidence[location] = lowest_each
    return order_items(placed), confidence


def ruled_rows(
    rows: Sequence[Sequence[BBox | None]], texts: Sequence[Sequence[str]]
) -> list[tuple[tuple[int, ...], bool, bool]]:
    """Which grid positions of each row of a ruled table are its cells, and how it fits.

    pdfplumber's table grid gives ``None`` both for a position that a merged cell covers
    and for one where the row has no cell at all. A position that a cell to its left covers
    is part of that cell (a value spanning two grid columns is one value, as in HTML), and
    is dropped; one that a cell above covers (a label over rows) is an empty cell. One that
    no cell covers, at a row's right end, is a cell the row was printed without: the row
    ends short of the table's right rule, its values are not in their columns, and it is
    :attr:`Row.short` when narrower than the header (:func:`misfit_rows`). A row with more
    cells than the header (a stray cell printed beyond it) is :attr:`Row.wide`.

    Args:
        rows: Each row's cell boxes by grid position (``None`` where the row has none).
        texts: Each row's cell texts by grid position.

    Returns:
        For each row, the positions that are its cells, whether it is short, and whether it
        is wide.
    """
    boxes = [b for row in rows for b in row if b is not None]
    xs = sorted({b[0] for b in boxes})
    cover = _Cover(xs, boxes)
    marked: list[list[str]] = []
    kept: list[list[int]] = []
    for row, row_texts in zip(rows, texts, strict=True):
        cells: list[str] = []
        keep: list[int] = []
        left: BBox | None = None  # the row's last cell so far
        for j, (box, text) in enumerate(zip(row, row_texts, strict=True)):
            if box is None and left is not None and j < len(xs) and left[2] > xs[j] + 1:
                cells.append(SPANNED)
                continue
            if box is not None:
                left = box
            cells.append(text if box is not None else "")
            keep.append(j)
        lost = _lost_cells(row, cover)
        marked.append(cells[: len(cells) - lost] if lost else cells)
        kept.append(keep[: len(keep) - lost] if lost else keep)
    short, wide = misfit_rows(marked)
    return [(tuple(keep), r in short, r in wide) for r, keep in enumerate(kept)]


class _Cover:
    """Which cells of a table cover each grid column, to find one at a point in log time."""

    def __init__(self, xs: list[float], boxes: list[BBox]) -> None:
        columns: list[list[BBox]] = [[] for _ in xs]
        for box in boxes:  # the cells of a grid do not overlap: a column has one per row
            first = bisect.bisect_left(xs, box[0] - 1)
            for j in range(first, bisect.bisect_left(xs, box[2] - 1)):
                columns[j].append(box)
        self.columns = [sorted(c, key=lambda b: b[1]) for c in columns]
        self.tops = [[b[1] for b in c] for c in self.columns]

    def covered(self, j: int, y: float) -> bool:
        """Whether a cell covers grid column ``j`` at height ``y``."""
        k = bisect.bisect_right(self.tops[j], y) - 1
        return k >= 0 and y < self.columns[j][k][3]


def _lost_cells(row: Sequence[BBox | None], cover: _Cover) -> int:
    """How many positions at the row's right end no cell of the table covers.

    They are not cells of the row, blank or otherwise.
    """
    found = [b for b in row if b is not None]
    if not found:
        return 0
    middle = (found[-1][1] + found[-1][3]) / 2  # a label to the left may span rows
    count = 0
    for j in range(len(row) - 1, -1, -1):
        if row[j] is not None or j >= len(cover.columns) or cover.covered(j, middle):
            break  # a cell of the row, or one to its left or above spanning to here
        count += 1
    return count


def _row_texts(
    cells: Sequence[BBox | None], words: Sequence[Word]
) -> tuple[tuple[str, ...], tuple[float | None, ...]]:
    """Each cell's text (its words by line, then left to right) and lowest confidence."""
    texts: list[str] = []
    lowest_each: list[float | None] = []
    for cell in cells:
        lowest: float | None = None
        if cell is None:
            texts.append("")
            lowest_each.append(None)
            continue
        x0, top, x1, bottom = cell
        held = [
            w
            for w in words
            if x0 <= (w.x0 + w.x1) / 2 < x1 and top <= (w.top + w.bottom) / 2 < bottom
        ]
        held.sort(key=lambda w: (round(w.top), w.x0))
        texts.append(re.sub(r"\s+", " ", " ".join(w.text for w in held)).strip())
        for w in held:
            if w.confidence is not None:
                lowest = w.confidence if lowest is None else min(lowest, w.confidence)
        lowest_each.append(lowest)
    return tuple(texts), tuple(lowest_each)


def _lines(words: Sequence[Word], tolerance: float) -> list[tuple[str, float, float | None]]:
    """Words grouped into lines (vertical overlap within ``tolerance``), left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and abs(word.top - lines[-1][0].top) <= tolerance:
            lines[-1].append(word)
        else:
            lines.append([word])
    out = []
    for group in lines:
        group.sort(key=lambda w: w.x0)
        known = [w.confidence for w in group if w.confidence is not None]
        out.append(
            (" ".join(w.text for w in group).strip(), group[0].top, min(known) if known else None)
        )
    return out
