"""PDF inputs (optional extra ``pdf``: pdfplumber).

pdfplumber finds the ruled tables of each page; their cells (merged cells as one cell, the
rest ``None``) become rows, so vertically merged labels, values centred beside their labels
and tables continued on the next page read like any other grid. Text outside the tables
becomes lines, in reading order with the tables; page footers (``- 3 -``) are only lines.
"""

from __future__ import annotations

import io
import re
from typing import Any

from gov_disclosure.errors import ParseError
from gov_disclosure.optional import require
from gov_disclosure.parsing.document import Document, Line, Row

__all__ = ["extract_pdf"]

MAX_PAGES = 200


def _inside(line: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    x0, top, x1, bottom = line["x0"], line["top"], line["x1"], line["bottom"]
    return any(
        bx0 - 1 <= x0 and x1 <= bx1 + 1 and btop - 1 <= top and bottom <= bbottom + 1
        for bx0, btop, bx1, bbottom in boxes
    )


def extract_pdf(data: bytes, *, name: str | None = None) -> Document:
    """Extract rows (ruled tables) and lines (other text) from a PDF."""
    pdfplumber: Any = require("pdfplumber", "pdf", "reading PDF")
    items: list[Row | Line] = []
    texts: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise ParseError(f"{len(pdf.pages)} pages; the limit is {MAX_PAGES}", location=name)
            for number, page in enumerate(pdf.pages, start=1):
                tables = page.find_tables()
                boxes = [t.bbox for t in tables]
                placed: list[tuple[float, int, Row | Line]] = []
                for line in page.extract_text_lines():
                    if not _inside(line, boxes):
                        text = line["text"]
                        placed.append((line["top"], len(placed), Line(text, f"page {number}")))
                        texts.append(text)
                for t, table in enumerate(tables, start=1):
                    for r, cells in enumerate(table.extract(), start=1):
                        row = tuple(re.sub(r"\s+", " ", c or "").strip() for c in cells)
                        location = f"page {number} table {t} row {r}"
                        placed.append((table.bbox[1] + r * 0.001, len(placed), Row(row, location)))
                        texts.append(" ".join(c for c in row if c))
                items.extend(item for _, _, item in sorted(placed, key=lambda p: (p[0], p[1])))
    except ParseError:
        raise
    except Exception as exc:  # pdfminer raises many types on damaged files
        raise ParseError(f"unreadable PDF: {type(exc).__name__}: {exc}", location=name) from None
    return Document("pdf", tuple(items), "\n".join(texts))
