"""Load a report document whose format (JSON or XML) is told from its content."""

from __future__ import annotations

from os import PathLike
from pathlib import Path

from gov_disclosure.errors import DocumentError, Problem
from gov_disclosure.model.report import Report

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


def read_bytes(path: str | PathLike[str]) -> bytes:
    """The bytes of a document file: a regular file of at most :data:`MAX_DOCUMENT_BYTES`.

    Raises:
        DocumentError: if the file is missing, not a regular file (a FIFO or a device could
            block for ever), too large or unreadable.
    """
    file = Path(path)
    try:
        if not file.is_file():  # a FIFO or a device could block for ever
            reason = "No such file or directory" if not file.exists() else "not a regular file"
            raise DocumentError([Problem(str(path), f"cannot read: {reason}")], unreadable=True)
        if file.stat().st_size > MAX_DOCUMENT_BYTES:
            raise DocumentError(
                [Problem(str(path), f"cannot read: larger than {MAX_DOCUMENT_BYTES} bytes")],
                unreadable=True,
            )
        return file.read_bytes()
    except DocumentError:
        raise  # a ValueError too: not to be wrapped in itself below
    except OSError as exc:
        raise DocumentError(
            [Problem(str(path), f"cannot read: {exc.strerror or exc}")], unreadable=True
        ) from None
    except ValueError as exc:  # an embedded NUL in the name
        raise DocumentError(
            [Problem(repr(str(path)), f"cannot read: {exc}")], unreadable=True
        ) from None


MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
"""Largest report document file read (a complete report is about 20 kB)."""
