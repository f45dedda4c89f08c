"""Parsers: published reports (text, HTML, Markdown, PDF, DOCX) into the model.

Every input kind has an extractor that produces rows and lines; one shared reader
(:mod:`gov_disclosure.parsing.assemble`) recognises the tables, maps labels to canonical
keys and reads the cells, reporting what it could not read as diagnostics.
"""

from gov_disclosure.parsing.api import (
    detect_kind,
    embedded_page_images,
    parse,
    parse_document,
    parse_pages,
    parse_text,
    saved_page_images,
)
from gov_disclosure.parsing.document import Diagnostic, Document, Line, ParseResult, Provenance, Row
from gov_disclosure.parsing.metadata import detect_edition

__all__ = [
    "Diagnostic",
    "Document",
    "Line",
    "ParseResult",
    "Provenance",
    "Row",
    "detect_edition",
    "detect_kind",
    "embedded_page_images",
    "parse",
    "parse_document",
    "parse_pages",
    "parse_text",
    "saved_page_images",
]
