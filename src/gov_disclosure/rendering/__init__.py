"""Rendering reports in the official layout: HTML, Markdown, plain text, DOCX and PDF."""

from gov_disclosure.rendering.docx import to_docx
from gov_disclosure.rendering.html import CSS, to_html
from gov_disclosure.rendering.layout import GridCell, Table, tables
from gov_disclosure.rendering.pdf import to_pdf
from gov_disclosure.rendering.text import to_markdown, to_text

__all__ = [
    "CSS",
    "GridCell",
    "Table",
    "tables",
    "to_docx",
    "to_html",
    "to_markdown",
    "to_pdf",
    "to_text",
]
