"""Where batch work comes from: file kinds, folders, sources, loading.

Folders are listed to files; a ``.jsonl`` file is expanded into its lines, by value or by
reference (:class:`LineRef`). Shared by :mod:`gov_disclosure.batch` (the parallel runs)
and :mod:`gov_disclosure.export` (the tidy tables of one source), so that neither imports
the other.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Literal, NamedTuple, overload

from gov_disclosure.errors import DocumentError, Problem
from gov_disclosure.model.report import Report

__all__ = [
    "DOCUMENT_SUFFIXES",
    "PUBLISHED_SUFFIXES",
    "LineRef",
    "Source",
    "iter_sources",
    "load_any",
    "read_lines",
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


class LineRef(NamedTuple):
    """A line of a JSON Lines file by where it is, for the worker that loads it to read.

    What :func:`iter_sources` yields with ``by_reference=True``: on a cluster a report's
    bytes then go from the file to the worker, never through the client and the scheduler.
    """

    name: str
    """``file.jsonl:N``, as the line is reported."""
    path: str
    start: int
    """Offset of the line's first byte in the file."""
    stop: int
    """Offset just past the line's last byte (its newline included)."""
    stamp: tuple[int, int]
    """The file's size and modification time (ns) when the line was listed: a worker refuses
    to read a file that has changed since."""


Source = str | tuple[str, bytes | None] | LineRef
"""A unit of batch work: a file path, ``(name, document bytes)`` (a line of a .jsonl;
``None`` for a line longer than a document may be), or a :class:`LineRef` to such a line."""

_LIST_BUFFER = 1024 * 1024
"""Buffer size for reading JSON Lines files line by line."""

_SPAN_BYTES = 64 * 1024 * 1024
"""Most bytes :func:`read_lines` reads in one go for consecutive lines of a file."""


@overload
def iter_sources(
    files: Iterable[str | os.PathLike[str]], *, by_reference: Literal[False] = False
) -> Iterator[str | tuple[str, bytes | None]]: ...
@overload
def iter_sources(
    files: Iterable[str | os.PathLike[str]], *, by_reference: bool
) -> Iterator[Source]: ...
def iter_sources(
    files: Iterable[str | os.PathLike[str]], *, by_reference: bool = False
) -> Iterator[Source]:
    """The files, with every ``.jsonl`` file expanded into its lines, read as they are used.

    A line is named ``file.jsonl:N`` (1-based); empty lines are skipped. Nothing is read
    ahead, so a file of a million reports is never held in memory, and a line is read at
    most :data:`~gov_disclosure.serialization.documents.MAX_DOCUMENT_BYTES` at a time: a
    longer one is skipped in bounded reads and passed on as ``(name, None)``. A ``.jsonl``
    file that is not a regular file (a FIFO could block for ever) or cannot be opened is
    passed on as a path, so that it fails like any unreadable file. Paths may be
    :class:`os.PathLike`; they are passed on as strings.

    With ``by_reference``, a line is passed on as a :class:`LineRef`, for workers that see
    the same files (a Dask cluster on a shared file system, as for the paths of a folder):
    :func:`load_any` and :func:`read_lines` read it where it runs.
    """
    from gov_disclosure.serialization.documents import MAX_DOCUMENT_BYTES

    limit = MAX_DOCUMENT_BYTES
    for given in files:
        path = os.fspath(given)
        # the string test first: a folder's paths are many, and a Path each costs
        if (
            path[-6:].lower() != ".jsonl"
            or Path(path).suffix.lower() != ".jsonl"
            or not Path(path).is_file()
        ):
            yield path
            continue
        try:
            # a large buffer: readline over 8 KiB buffers costs 4x as much on 10 kB lines
            handle = open(path, "rb", buffering=_LIST_BUFFER)  # noqa: SIM115 - closed below
        except OSError:
            yield path  # the worker reports why it cannot be read, as for any file
            continue
        with handle:
            status = os.fstat(handle.fileno())
            stamp = (status.st_size, status.st_mtime_ns)
            number = end = 0
            while line := handle.readline(limit + 1):
                number += 1
                start, end = end, end + len(line)
                if len(line) > limit and not line.endswith(b"\n"):
                    while (rest := handle.readline(limit + 1)) and not rest.endswith(b"\n"):
                        end += len(rest)  # the rest of a line too long to be a report
                    end += len(rest)
                    yield (f"{path}:{number}", None)
                elif line.isspace():  # (strip would copy every line)
                    continue
                elif by_reference:
                    yield LineRef(f"{path}:{number}", path, start, end, stamp)
                else:
                    yield (f"{path}:{number}", line)


def read_lines(sources: Sequence[Source]) -> list[Source]:
    """The sources with their :class:`LineRef` read: ``(name, bytes)`` for each line.

    Consecutive lines of a file are read in one go (at most 64 MiB at a time). A line that
    cannot be read (the file gone or changed, a span past its end or longer than a document
    may be) stays a reference, for :func:`load_any` to report why.
    """
    from gov_disclosure.errors import GovDisclosureError
    from gov_disclosure.serialization.documents import MAX_DOCUMENT_BYTES
    from gov_disclosure.serialization.files import read_span

    resolved: list[Source] = []
    run: list[LineRef] = []

    def flush() -> None:
        if not run:
            return
        try:
            data = read_span(run[0].path, run[0].start, run[-1].stop, run[0].stamp)
        except GovDisclosureError:
            for ref in run:  # one by one: a bad reference must not take its neighbours along
                try:
                    resolved.append((ref.name, read_span(ref.path, ref.start, ref.stop, ref.stamp)))
                except GovDisclosureError:
                    resolved.append(ref)
        else:
            base = run[0].start
            resolved.extend((ref.name, data[ref.start - base : ref.stop - base]) for ref in run)
        run.clear()

    for source in sources:
        if isinstance(source, LineRef) and not (
            0 <= source.start <= source.stop <= source.start + MAX_DOCUMENT_BYTES
        ):
            flush()
            resolved.append(source)  # never read: load_any says what is wrong with it
        elif isinstance(source, LineRef):
            if run and (
                source.path != run[0].path
                or source.stamp != run[0].stamp
                or source.start < run[-1].stop
                or source.stop - run[0].start > _SPAN_BYTES
            ):
                flush()
            run.append(source)
        else:
            flush()
            resolved.append(source)
    flush()
    return resolved


def collect_files(
    names: Iterable[str | os.PathLike[str]],
    suffixes: Sequence[str],
    *,
    errors: list[str] | None = None,
) -> list[str]:
    """Files as given; folders expanded recursively (sorted) to files with those endings.

    Args:
        names: Files, folders, or ``-``.
        suffixes: The endings to take from folders (lower case, with the dot).
        errors: Receives a message per folder that could not be read (instead of skipping
            it silently).
    """
    out: list[str] = []
    for name in names:
        path = Path(name)
        if not path.is_dir():
            out.append(os.fspath(name))
            continue
        top = os.fspath(path)
        found = _files_under(top, suffixes, errors)
        # sorted as Path.parts would sort them (a folder's files and subfolders by name),
        # without a Path per file: every path here starts with ``top``
        out.extend(sorted(found, key=lambda f: f[len(top) :].split(os.sep)))
    return out


def _files_under(top: str, suffixes: Sequence[str], errors: list[str] | None) -> list[str]:
    """Files under ``top`` with those endings, as ``os.walk`` finds them.

    Symbolic links to folders are not followed; a file is tested with what the folder
    listing says (no ``stat`` per file unless it is a symbolic link).
    """
    found: list[str] = []
    folders = [top]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            if errors is not None:
                errors.append(f"{exc.filename}: cannot read folder: {exc.strerror or exc}")
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif os.path.splitext(entry.name)[1].lower() in suffixes and entry.is_file():
                    found.append(entry.path)
            except OSError:
                continue  # gone since it was listed
    return found


def _too_long(name: str) -> DocumentError:
    from gov_disclosure.serialization.documents import MAX_DOCUMENT_BYTES

    message = f"cannot read: a line longer than {MAX_DOCUMENT_BYTES} bytes"
    return DocumentError([Problem(name, message)], unreadable=True)


def source_name(source: Source) -> str:
    """The name a source is reported under."""
    return source if isinstance(source, str) else source[0]


def load_any(path: Source) -> Report:
    """Load a report document (JSON/XML, or a JSON Lines line) or parse a published report.

    Raises:
        GovDisclosureError: when the file cannot be read or understood.
    """
    if isinstance(path, LineRef):
        from gov_disclosure.serialization.documents import MAX_DOCUMENT_BYTES, load_document
        from gov_disclosure.serialization.files import read_span

        if path.stop - path.start > MAX_DOCUMENT_BYTES:
            raise _too_long(path.name)
        line = read_span(path.path, path.start, path.stop, path.stamp, name=path.name)
        return load_document(line, path.name)
    if not isinstance(path, str):
        from gov_disclosure.serialization.documents import load_document

        name, data = path
        if data is None:
            raise _too_long(name)
        return load_document(data, name)
    if Path(path).suffix.lower() in DOCUMENT_SUFFIXES:
        from gov_disclosure.serialization.documents import read_document

        return read_document(path)
    from gov_disclosure.parsing import parse

    return parse(path).report
