"""Reading a document file like any input: a regular file within a size limit.

The one file reader of :mod:`gov_disclosure.serialization` (JSON and XML documents) and of
the files read beside them (baselines); it imports nothing of the formats, so every format
module can use it.
"""

from __future__ import annotations

import os
import stat
from os import PathLike

from gov_disclosure.errors import DocumentError, Problem

__all__ = ["MAX_DOCUMENT_BYTES", "read_bytes", "read_span"]

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


def read_bytes(path: str | PathLike[str]) -> bytes:
    """The bytes of a document file: a regular file of at most :data:`MAX_DOCUMENT_BYTES`.

    Raises:
        DocumentError: if the file is missing, not a regular file (a FIFO or a device could
            block for ever), too large or unreadable.
    """
    # one open and one fstat of the descriptor: nothing can swap the file between the
    # check and the read, and opening without blocking keeps a FIFO from hanging the open
    fd = -1
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC | _BINARY)
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):  # a FIFO or a device could block for ever
            raise DocumentError(
                [Problem(str(path), "cannot read: not a regular file")], unreadable=True
            )
        if status.st_size > MAX_DOCUMENT_BYTES:
            raise DocumentError(
                [Problem(str(path), f"cannot read: larger than {MAX_DOCUMENT_BYTES} bytes")],
                unreadable=True,
            )
        return _read_to_end(fd, status.st_size, str(path))
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
    finally:
        if fd >= 0:
            os.close(fd)


def read_span(
    path: str, start: int, stop: int, stamp: tuple[int, int], *, name: str | None = None
) -> bytes:
    """Bytes ``start`` to ``stop`` of a file, if it is still the file that was listed.

    ``stamp`` is the file's size and modification time (ns) when its parts were listed (see
    :func:`gov_disclosure.sources.iter_sources`): a file changed since then is refused rather
    than read at offsets that no longer hold what was listed. ``name`` is where problems
    are reported (``file.jsonl:N``; the path by default).

    Raises:
        DocumentError: if the file is missing, not a regular file, has changed, is shorter
            than ``stop`` or unreadable (all ``unreadable``).
    """
    where = name or path
    fd = -1
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC | _BINARY)
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise DocumentError(
                [Problem(where, "cannot read: not a regular file")], unreadable=True
            )
        if (status.st_size, status.st_mtime_ns) != stamp:
            raise DocumentError(
                [Problem(where, "cannot read: the file changed after its lines were listed")],
                unreadable=True,
            )
        if not 0 <= start <= stop:
            raise DocumentError(
                [Problem(where, "cannot read: not a span of the file")], unreadable=True
            )
        if stop > status.st_size:
            raise DocumentError(
                [Problem(where, "cannot read: the file is shorter than when it was listed")],
                unreadable=True,
            )
        os.lseek(fd, start, os.SEEK_SET)
        blocks: list[bytes] = []
        left = stop - start
        while left > 0 and (block := os.read(fd, left)):
            blocks.append(block)
            left -= len(block)
        if left:
            raise DocumentError(
                [Problem(where, "cannot read: the file is shorter than when it was listed")],
                unreadable=True,
            )
        return b"".join(blocks)
    except DocumentError:
        raise
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise DocumentError([Problem(where, f"cannot read: {reason}")], unreadable=True) from None
    finally:
        if fd >= 0:
            os.close(fd)


def _read_to_end(fd: int, expected: int, name: str) -> bytes:
    """An open file to its end, refused past the limit (a file growing while read).

    The first read asks for the size ``fstat`` gave and one byte more: a file that has not
    changed is read in one call, and the next finds its end.
    """
    blocks: list[bytes] = []
    size = 0
    want = expected + 1
    while block := os.read(fd, want):
        want = 1 << 16
        blocks.append(block)
        size += len(block)
        if size > MAX_DOCUMENT_BYTES:
            raise DocumentError(
                [Problem(name, f"cannot read: larger than {MAX_DOCUMENT_BYTES} bytes")],
                unreadable=True,
            )
    return b"".join(blocks)


MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
"""Largest report document file read (a complete report is about 20 kB)."""
