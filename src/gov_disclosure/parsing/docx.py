"""Word (DOCX) inputs (optional extra ``docx``: python-docx).

Paragraphs become lines and tables rows, in body order. python-docx repeats a merged cell
in every grid position it covers; a horizontal repeat is blanked so that one value spread
over several columns stays one value, as in the HTML grid.
"""

from __future__ import annotations

import io
import re
from typing import Any

from gov_disclosure.errors import ParseError
from gov_disclosure.optional import require
from gov_disclosure.parsing.document import Document, Line, Row

__all__ = ["extract_docx"]


def _clean(text: str) -> str:
    return re.sub(r"[ \t\r\n\u00a0\u3000]+", " ", text).strip()


def extract_docx(data: bytes, *, name: str | None = None) -> Document:
    """Extract rows and lines from a Word document."""
    docx: Any = require("docx", "docx", "reading DOCX")
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx/zipfile/lxml raise many types on damaged files
        raise ParseError(f"unreadable DOCX: {type(exc).__name__}: {exc}", location=name) from None
    items: list[Row | Line] = []
    texts: list[str] = []
    tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = _clean(block.text)
            if text:
                items.append(Line(text, f"paragraph {len(items) + 1}"))
                texts.append(text)
        elif isinstance(block, Table):
            tables += 1
            for r, row in enumerate(block.rows, start=1):
                # python-docx repeats a horizontally merged cell; print it once (as HTML does)
                row_cells = row.cells
                cells = tuple(
                    "" if i and cell._tc is row_cells[i - 1]._tc else _clean(cell.text)
                    for i, cell in enumerate(row_cells)
                )
                items.append(Row(cells, f"table {tables} row {r}"))
                texts.append(" ".join(dict.fromkeys(c for c in cells if c)))
    return Document("docx", tuple(items), "\n".join(texts))
