"""Reading a document file like any input: a regular file within a size limit.

The one file reader of :mod:`gov_disclosure.serialization` (JSON and XML documents) and of
the files read beside them (baselines); it imports nothing of the formats, so every format
module can use it.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from os import PathLike

from gov_disclosure.errors import DocumentError, Problem

__all__ = ["MAX_DOCUMENT_BYTES", "encodable", "read_bytes", "read_span"]


def encodable(text: str) -> str:
    r"""``text`` as UTF-8 can carry it: each lone surrogate as a backslash escape.

    A file name whose bytes are not UTF-8 (GBK, from a Windows share) reaches Python with
    lone surrogates (``surrogateescape``), and a JSON document may spell one (``\ud800``);
    neither can be written as UTF-8. They are written as ``errors="backslashreplace"``
    writes them (``\udcb9``), which a CSV shows as it is and JSON reads as the same
    character. Text without one is returned as it is.
    """
    try:
        text.encode("utf-8")  # refuses a surrogate code point, as check_unicode's test does
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


def read_bytes(path: str | PathLike[str]) -> bytes:
    """The bytes of a document file: a regular file of at most :data:`MAX_DOCUMENT_BYTES`.

    Raises:
        DocumentError: if the file is missing, not a regular file (a FIFO or a device could
            block for ever), too large or unreadable.
    """
    where = str(path)
    with _open_regular(path, where) as (fd, status):
        if status.st_size > MAX_DOCUMENT_BYTES:
            raise _cannot_read(where, f"larger than {MAX_DOCUMENT_BYTES} bytes")
        return _read_to_end(fd, status.st_size, where)


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
    with _open_regular(path, where) as (fd, status):
        if (status.st_size, status.st_mtime_ns) != stamp:
            raise _cannot_read(where, "the file changed after its lines were listed")
        if not 0 <= start <= stop:
            raise _cannot_read(where, "not a span of the file")
        # checked before reading: ``stop`` bounds the allocation by the file's own size
        if stop > status.st_size:
            raise _cannot_read(where, _SHORTER)
        os.lseek(fd, start, os.SEEK_SET)
        blocks: list[bytes] = []
        left = stop - start
        while left > 0 and (block := os.read(fd, left)):
            blocks.append(block)
            left -= len(block)
        if left:  # truncated while read
            raise _cannot_read(where, _SHORTER)
        return b"".join(blocks)


@contextlib.contextmanager
def _open_regular(path: str | PathLike[str], where: str) -> Iterator[tuple[int, os.stat_result]]:
    """An open descriptor of a regular file and its ``fstat``; closed when the block ends.

    One open and one fstat of the descriptor: nothing can swap the file between the check
    and the read, and opening without blocking keeps a FIFO from hanging the open. Errors of
    the system become :class:`DocumentError` (unreadable) at ``where``.
    """
    fd = -1
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC | _BINARY)
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):  # a FIFO or a device could block for ever
            raise _cannot_read(where, "not a regular file")
        yield fd, status
    except DocumentError:
        raise  # a ValueError too: not to be wrapped in itself below
    except OSError as exc:
        raise _cannot_read(where, str(exc.strerror or exc)) from None
    except ValueError as exc:  # an embedded NUL in the name
        raise _cannot_read(repr(where), str(exc)) from None
    finally:
        if fd >= 0:
            os.close(fd)


_SHORTER = "the file is shorter than when it was listed"


def _cannot_read(where: str, reason: str) -> DocumentError:
    return DocumentError([Problem(where, f"cannot read: {reason}")], unreadable=True)


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
            raise _cannot_read(name, f"larger than {MAX_DOCUMENT_BYTES} bytes")
    return b"".join(blocks)


MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
"""Largest report document file read (a complete report is about 20 kB)."""
