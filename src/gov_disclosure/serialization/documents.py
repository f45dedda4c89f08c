"""Load a report document whose format (JSON or XML) is told from its content."""

from __future__ import annotations

from os import PathLike

from gov_disclosure.model.report import Report
from gov_disclosure.serialization.files import MAX_DOCUMENT_BYTES, read_bytes

__all__ = ["MAX_DOCUMENT_BYTES", "load_document", "looks_like_xml", "read_bytes", "read_document"]


def looks_like_xml(data: bytes) -> bool:
    """Whether a document is XML rather than JSON, by its first significant character.

    The encoding is told the way the JSON decoder tells it (a BOM, or the zero bytes of
    UTF-16/32 without one), so UTF-16 JSON with a BOM is JSON and UTF-16 XML is XML: one
    detector for :func:`load_document` and every command.
    """
    import json

    encoding = json.detect_encoding(data[:4])
    prefix = data[: 256 - (min(len(data), 256) % 4)]  # whole UTF-32 units
    return prefix.decode(encoding, "ignore").lstrip("\ufeff \t\r\n")[:1] == "<"


def load_document(data: bytes, name: str | None = None) -> Report:
    """Load a JSON or XML report from bytes.

    Raises:
        DocumentError: if the document is not a valid report (with every problem's location).
    """
    if looks_like_xml(data):
        from gov_disclosure.serialization.xml_format import from_xml

        return from_xml(data, name=name)
    from gov_disclosure.serialization.json_format import loads

    return loads(data, source=name)


def read_document(path: str | PathLike[str]) -> Report:
    """Read and load a JSON or XML report file.

    Raises:
        DocumentError: if the file cannot be read (missing, not a regular file, too large)
            or is not a valid report.
    """
    return load_document(read_bytes(path), str(path))
