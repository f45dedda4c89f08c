"""The record ``parse -o DIR --resume`` keeps of the outputs it has written."""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

from gov_disclosure.errors import DocumentError, Problem

__all__ = ["MANIFEST_NAME", "Manifest", "file_digest"]

MANIFEST_NAME = ".gov-disclosure-manifest.jsonl"
"""The record ``parse -o DIR`` keeps in ``DIR``: one JSON line per output written."""


def file_digest(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes (hex), read in 1 MiB blocks."""
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(functools.partial(handle.read, 1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Manifest:
    """What earlier runs wrote to an output folder: output name -> SHA-256 of its source.

    A line is appended after each output is in place (outputs are written atomically), so
    an interrupted run leaves a true record of what it finished; a torn last line is
    ignored. ``parse --resume`` skips an input whose output exists and whose source's hash
    is the recorded one: a changed source is parsed again.
    """

    MAX_BYTES = 256 * 1024 * 1024
    """Largest manifest read (a line is about 200 bytes: a million outputs)."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.path = self.folder / MANIFEST_NAME
        self.done: dict[str, str] = {}
        if not os.path.lexists(self.path):
            return
        # read like an input: a regular file in the folder itself, never through a symlink
        # (a FIFO would block, /dev/zero would fill memory, a link could point anywhere)
        if self.path.is_symlink() or not self.path.is_file():
            raise DocumentError(
                [Problem(str(self.path), "cannot read: not a regular file (a link or a device)")],
                unreadable=True,
            )
        if self.path.stat().st_size > self.MAX_BYTES:
            raise DocumentError(
                [Problem(str(self.path), f"cannot read: larger than {self.MAX_BYTES} bytes")],
                unreadable=True,
            )
        for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            if len(line) > 10_000:
                continue  # no manifest line is this long
            try:
                entry = json.loads(line)
                output, digest = entry["output"], entry["sha256"]
            except (ValueError, KeyError, TypeError, RecursionError):
                continue  # a line torn by an interruption
            if isinstance(output, str) and isinstance(digest, str):
                self.done[output] = digest

    def is_current(self, output: str, digest: str) -> bool:
        """Whether ``output`` exists and was made from a source with this digest."""
        return self.done.get(output) == digest and (self.folder / output).is_file()

    def record(self, source: str, output: str, digest: str) -> None:
        """Note that ``output`` was written from ``source`` (appended at once)."""
        line = json.dumps({"source": source, "output": output, "sha256": digest})
        # O_NOFOLLOW: a manifest replaced by a symlink is refused, never appended through
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.path, flags, 0o666)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        self.done[output] = digest
