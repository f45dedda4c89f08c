"""Reading a document file like any input: a regular file within a size limit.

The one file reader of :mod:`gov_disclosure.serialization` (JSON and XML documents) and of
the files read beside them (baselines); it imports nothing of the formats, so every format
module can use it.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

from gov_disclosure.errors import DocumentError, Problem

__all__ = ["MAX_DOCUMENT_BYTES", "read_bytes"]


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
