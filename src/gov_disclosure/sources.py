"""Where batch work comes from: file kinds, sources (files and JSON Lines lines), loading.

Shared by :mod:`gov_disclosure.batch` (the parallel runs) and :mod:`gov_disclosure.export`
(the tidy tables of one source), so that neither imports the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from gov_disclosure.errors import DocumentError, Problem
from gov_disclosure.model.report import Report

__all__ = [
    "DOCUMENT_SUFFIXES",
    "PUBLISHED_SUFFIXES",
    "Source",
    "iter_sources",
    "load_any",
    "source_name",
]

DOCUMENT_SUFFIXES = (".json", ".xml")
"""Report documents in this library's formats."""

PUBLISHED_SUFFIXES = (
    ".txt",
    ".md",
    ".markdown",
    ".html",
    ".htm",
    ".pdf",
    ".docx",
    ".doc",
    ".wps",
    ".rtf",
    ".odt",
    ".docm",
    ".png",
    ".jpg",
    ".jpeg",
    ".tif",
    ".tiff",
)
"""Published reports, read with the parsers (legacy word-processor files through LibreOffice,
images by OCR)."""

Source = str | tuple[str, bytes | None]
"""A unit of batch work: a file path, or ``(name, document bytes)`` (a line of a .jsonl;
``None`` for a line longer than a document may be)."""


def iter_sources(files: Iterable[str]) -> Iterator[Source]:
    """The files, with every ``.jsonl`` file expanded into its lines, read as they are used.

    A line is named ``file.jsonl:N`` (1-based); empty lines are skipped. Nothing is read
    ahead, so a file of a million reports is never held in memory, and a line is read at
    most :data:`~gov_disclosure.serialization.documents.MAX_DOCUMENT_BYTES` at a time: a
    longer one is skipped in bounded reads and passed on as ``(name, None)``. A ``.jsonl``
    file that is not a regular file (a FIFO could block for ever) or cannot be opened is
    passed on as a path, so that it fails like any unreadable file.
    """
    from gov_disclosure.serialization.documents import MAX_DOCUMENT_BYTES

    limit = MAX_DOCUMENT_BYTES
    for path in files:
        if Path(path).suffix.lower() != ".jsonl" or not Path(path).is_file():
            yield path
            continue
        try:
            handle = open(path, "rb")  # noqa: SIM115 - closed below, after the last line
        except OSError:
            yield path  # the worker reports why it cannot be read, as for any file
            continue
        with handle:
            number = 0
            while line := handle.readline(limit + 1):
                number += 1
                if len(line) > limit and not line.endswith(b"\n"):
                    while (rest := handle.readline(limit + 1)) and not rest.endswith(b"\n"):
                        pass  # the rest of a line too long to be a report
                    yield (f"{path}:{number}", None)
                elif line.strip():
                    yield (f"{path}:{number}", line)


def source_name(source: Source) -> str:
    """The name a source is reported under."""
    return source if isinstance(source, str) else source[0]


def load_any(path: Source) -> Report:
    """Load a report document (JSON/XML, or a JSON Lines line) or parse a published report.

    Raises:
        GovDisclosureError: when the file cannot be read or understood.
    """
    if not isinstance(path, str):
        from gov_disclosure.serialization.documents import MAX_DOCUMENT_BYTES, load_document

        name, data = path
        if data is None:
            raise DocumentError(
                [Problem(name, f"cannot read: a line longer than {MAX_DOCUMENT_BYTES} bytes")],
                unreadable=True,
            )
        return load_document(data, name)
    if Path(path).suffix.lower() in DOCUMENT_SUFFIXES:
        from gov_disclosure.serialization.documents import read_document

        return read_document(path)
    from gov_disclosure.parsing import parse

    return parse(path).report
