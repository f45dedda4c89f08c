"""HTML inputs: government pages, including Word-exported HTML.

Tables become grids with ``rowspan``/``colspan`` expanded (a row-spanning cell is repeated
in every row it covers, a column-spanning one is printed once). Cell text is the element's
whole text, so labels split over ``<span>``s, ``<o:p>`` and ``&nbsp;`` read as printed.
Text outside tables becomes lines. The HTML parser never touches the network.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from lxml import etree

from gov_disclosure.errors import ParseError
from gov_disclosure.parsing.document import SPANNED, Document, Line, Row, misfit_rows
from gov_disclosure.parsing.values import is_value_text

__all__ = ["extract_html", "image_sources", "table_grid"]

MAX_COLSPAN = 1000
"""HTML's own limit on ``colspan`` (larger values are clamped, as browsers do)."""

MAX_ROWSPAN = 65534
"""HTML's own limit on ``rowspan``; a span is also clipped to the table's last row."""

MAX_GRID_CELLS = 250_000
"""Budget of expanded grid cells per document (a complete report has about 400)."""


_DECLARED = re.compile(rb"<meta[^>]{0,200}charset|<\?xml[^>]{0,100}encoding", re.IGNORECASE)


def _encoding(data: bytes) -> str | None:
    """The encoding of a page that does not declare one, or ``None`` to let libxml2 decide.

    Saved pages often lose the charset their server sent; libxml2 then assumes Latin-1 and
    turns Chinese into mojibake. Undeclared pages are UTF-8 when they decode as UTF-8 and
    otherwise GB18030 (the government sites' other encoding) when they decode as that.
    """
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or _DECLARED.search(
        data[:4096]
    ):
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def _parser(encoding: str | None = None) -> Any:
    # etree's parser, not lxml.html's: no per-element class lookup (three times faster)
    return etree.HTMLParser(
        encoding=encoding,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
        remove_blank_text=False,
        default_doctype=False,
    )  # type: ignore[call-arg]


def _text(element: Any) -> str:
    text = "".join(str(t) for t in element.itertext())
    return re.sub(r"[ \t\r\n\u00a0\u3000]+", " ", text).strip()


def _span(element: etree._Element, name: str, limit: int) -> int:
    value = str(element.get(name, "1")).strip()[:6]  # more digits are over any limit anyway
    return max(1, min(limit, int(value))) if value.isdigit() else 1


class _Budget:
    """Expanded grid cells left for the document; a span bomb runs out of it, not of memory."""

    def __init__(self) -> None:
        self.left = MAX_GRID_CELLS

    def spend(self, cells: int) -> None:
        self.left -= cells
        if self.left < 0:
            raise ParseError(
                f"the tables expand to more than {MAX_GRID_CELLS} cells (rowspan/colspan); "
                "not a report layout"
            )


def table_grid(
    table: etree._Element, budget: _Budget | None = None, *, mark_spans: bool = False
) -> list[list[str]]:
    """The table as a grid of cell texts, row-spanning cells repeated down their span.

    Spans are clamped to HTML's limits and to the table's own rows, and the expanded grid
    is charged to ``budget``. With ``mark_spans``, the positions a value cell spans to its
    right hold :data:`SPANNED` (a value spread over two grid columns is one value).

    Raises:
        ParseError: when the expansion exceeds the budget.
    """
    budget = budget or _Budget()
    grid: dict[tuple[int, int], str] = {}
    rows = [tr for tr in table.iter("tr") if _owner_table(tr) is table]
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            text = _text(cell)
            # A label spanning columns fills them all: an empty position after it would look
            # like an empty value cell, and trimming it would shift the row's values.
            fill = text if text and not is_value_text(text) else ""
            rowspan = min(_span(cell, "rowspan", MAX_ROWSPAN), len(rows) - r)
            colspan = _span(cell, "colspan", MAX_COLSPAN)
            budget.spend(rowspan * colspan)
            for dr in range(rowspan):
                for dc in range(colspan):
                    # A row-spanning cell is repeated (it labels each row it covers); a
                    # column-spanning value is printed once, so that one value spread over
                    # several columns stays one value.
                    spanned = SPANNED if mark_spans and not fill else ""
                    grid.setdefault((r + dr, c + dc), text if dc == 0 else fill or spanned)
            c += colspan
    if not grid:
        return []
    height = min(max(r for r, _ in grid) + 1, len(rows))
    widths = [0] * height
    for r, c in grid:
        if r < height:
            widths[r] = max(widths[r], c + 1)
    # Rows are not padded to the table's width: a row that lost cells (a converter dropped
    # its empty ones) stays short, so the reader sees too few values and leaves it unread
    # instead of taking the values as the first columns.
    return [[grid.get((r, c), "") for c in range(widths[r])] for r in range(height)]


def _walk(root: etree._Element) -> Any:
    """Every element with its path (``/html/body/div[3]/table``), in document order.

    Paths are built as the walk goes, counting same-tag siblings, so the cost is linear in
    the document (``getpath`` per element is quadratic in the number of siblings).
    """
    stack: list[tuple[etree._Element, str]] = [(root, f"/{root.tag}")]
    while stack:
        element, path = stack.pop()
        yield element, path
        counts: dict[str, int] = {}
        totals: dict[str, int] = {}
        children = [c for c in element if isinstance(c.tag, str)]
        for child in children:
            totals[str(child.tag)] = totals.get(str(child.tag), 0) + 1
        named = []
        for child in children:
            tag = str(child.tag)
            counts[tag] = counts.get(tag, 0) + 1
            suffix = f"[{counts[tag]}]" if totals[tag] > 1 else ""
            named.append((child, f"{path}/{tag}{suffix}"))
        stack.extend(reversed(named))


def _owner_table(element: etree._Element) -> etree._Element | None:
    for ancestor in element.iterancestors():
        if ancestor.tag == "table":
            return ancestor
    return None


def _root(data: bytes) -> Any:
    try:
        root: Any = etree.fromstring(data, parser=_parser(_encoding(data)))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ParseError(f"unreadable HTML: {exc}") from None
    if root is None:
        raise ParseError("empty HTML document")
    return root


def image_sources(data: bytes, limit: int | None = None) -> list[str]:
    """The ``src`` of every picture (``<img>``) of a page, in document order.

    Args:
        data: The page.
        limit: Return at most this many (the first ones).

    Raises:
        ParseError: for a page that cannot be read as HTML.
    """
    sources = (str(img.get("src", "")).strip() for img in _root(data).iter("img"))
    return list(itertools.islice((s for s in sources if s), limit))


def extract_html(data: bytes) -> Document:
    """Extract rows (from every table) and lines (text outside tables) in document order."""
    root = _root(data)
    for bad in root.xpath("//script|//style|//noscript"):
        parent = bad.getparent()
        if parent is not None:
            parent.remove(bad)
    title_el = root.find(".//title")
    title = _text(title_el) if title_el is not None else None
    items: list[Row | Line] = []
    texts: list[str] = []
    tables_seen = 0
    budget = _Budget()
    for element, path in _walk(root):
        tag = element.tag.lower()
        if tag == "table":
            if _owner_table(element) is not None:
                continue
            tables_seen += 1
            grid = table_grid(element, budget, mark_spans=True)
            short, wide = misfit_rows(grid)
            for r, spanned in enumerate(grid, start=1):
                location = f"{path} (table {tables_seen}) row {r}"
                # a value spanning columns is one cell (本年增/减 under a 2-column header, a
                # 总计 over a phantom grid column of Word's HTML export)
                cells = [c for c in spanned if c != SPANNED]
                items.append(Row(tuple(cells), location, short=r - 1 in short, wide=r - 1 in wide))
                texts.append(" ".join(dict.fromkeys(c for c in cells if c)))
        elif (
            tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li") and _owner_table(element) is None
        ):
            text = _text(element)
            if text:
                items.append(Line(text, f"{path} (line {element.sourceline})"))
                texts.append(text)
    images = int(root.xpath("count(//img)"))
    return Document("html", tuple(items), "\n".join(texts), title, images=images)
