"""Writing output files atomically: a temporary file in the target's folder, then a rename.

An interrupted or failed run never leaves a half-written file, and never truncates the file
it was going to replace: either the old file is still there, or the new one is complete.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = ["atomic_folder", "atomic_open", "atomic_open_binary", "atomic_write"]


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str]) -> Iterator[IO[str]]:
    """Open ``path`` for writing UTF-8 text through a temporary file, renamed on success.

    Line ends are written as given; a lone surrogate as a backslash escape (see
    :func:`gov_disclosure.serialization.files.encodable`). If the block raises (or the
    process is interrupted), the temporary file is removed and ``path`` is left untouched.

    Raises:
        OSError: if the folder does not exist or cannot be written.
    """
    with _atomic(Path(path), "w") as handle:
        assert isinstance(handle, io.TextIOBase)
        yield handle


@contextlib.contextmanager
def atomic_open_binary(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """Like :func:`atomic_open`, for bytes."""
    with _atomic(Path(path), "wb") as handle:
        assert not isinstance(handle, io.TextIOBase)
        yield handle  # type: ignore[misc]


@contextlib.contextmanager
def _atomic(path: Path, mode: str) -> Iterator[IO[str] | IO[bytes]]:
    folder = path.parent if str(path.parent) else Path(".")
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    try:
        if mode == "wb":
            handle: IO[str] | IO[bytes] = os.fdopen(fd, "wb")
        else:
            # a lone surrogate (a file name that is not UTF-8) as an escape, never a crash
            handle = os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace", newline="")
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):  # keep the usual permissions, not mkstemp's 0600
            os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


@contextlib.contextmanager
def atomic_folder(path: str | os.PathLike[str]) -> Iterator[str]:
    """A temporary folder beside ``path``, renamed to ``path`` when the block succeeds.

    What was at ``path`` (a folder or a file) is replaced only then; on an error the
    temporary folder is removed and ``path`` is left as it was.
    """
    import shutil

    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    temp = tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    try:
        yield temp
        os.chmod(temp, 0o777 & ~_umask())
        old = None
        if target.is_dir() and not target.is_symlink():
            old = tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=folder)
            os.replace(target, os.path.join(old, "previous"))
        elif target.exists() or target.is_symlink():
            target.unlink()
        os.replace(temp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write bytes to ``path`` atomically (see :func:`atomic_open`)."""
    with _atomic(Path(path), "wb") as handle:
        handle.write(data)  # type: ignore[arg-type]
