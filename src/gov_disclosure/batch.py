"""Batch work over many files: load, check and parse in parallel, failures kept per file.

Results come back in input order whatever the number of worker processes. Cross-year checks
run as a second pass over the pairs found among the inputs (same agency name, consecutive
years), so the first pass never has to ship whole reports between processes.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import itertools
import os
import signal
from collections.abc import Callable, Generator, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import attrs

from gov_disclosure.errors import GovDisclosureError
from gov_disclosure.model.report import Report

__all__ = [
    "DOCUMENT_SUFFIXES",
    "PUBLISHED_SUFFIXES",
    "FileResult",
    "check_files",
    "collect_files",
    "load_any",
    "max_jobs",
    "run_all",
    "run_parallel",
]

DOCUMENT_SUFFIXES = (".json", ".xml")
"""Report documents in this library's formats."""

PUBLISHED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")
"""Published reports, read with the parsers."""

T = TypeVar("T")
R = TypeVar("R")


def collect_files(
    names: Iterable[str], suffixes: Sequence[str], *, errors: list[str] | None = None
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
            out.append(name)
            continue
        found: list[str] = []

        def failed(exc: OSError) -> None:
            if errors is not None:
                errors.append(f"{exc.filename}: cannot read folder: {exc.strerror or exc}")

        for folder, _, filenames in os.walk(path, onerror=failed):
            found.extend(
                os.path.join(folder, f)
                for f in filenames
                if os.path.splitext(f)[1].lower() in suffixes
                and os.path.isfile(os.path.join(folder, f))
            )
        out.extend(sorted(found, key=lambda f: Path(f).parts))
    return out


def load_any(path: str) -> Report:
    """Load a report document (JSON/XML) or parse a published report (other endings).

    Raises:
        GovDisclosureError: when the file cannot be read or understood.
    """
    if Path(path).suffix.lower() in DOCUMENT_SUFFIXES:
        from gov_disclosure.serialization.documents import read_document

        return read_document(path)
    from gov_disclosure.parsing import parse

    return parse(path).report


@attrs.frozen
class FileResult:
    """The outcome for one file: a value, or the error that stopped it.

    Attributes:
        file: The input file.
        value: What the work returned.
        error: Why it failed (one line with the file's location), or ``None``.
        unreadable: The file could not be read at all (rather than read and found invalid).
    """

    file: str
    value: Any = None
    error: str | None = None
    unreadable: bool = False


def _safe(func: Callable[[str], Any], path: str) -> FileResult:
    try:
        return FileResult(path, func(path))
    except GovDisclosureError as exc:
        return FileResult(path, error=str(exc), unreadable=exc.unreadable)
    except OSError as exc:
        return FileResult(
            path, error=f"{path}: cannot read: {exc.strerror or exc}", unreadable=True
        )


class _Safe:
    """A picklable wrapper that turns library errors into per-file failures."""

    def __init__(self, func: Callable[[str], Any]) -> None:
        self.func = func

    def __call__(self, path: str) -> FileResult:
        return _safe(self.func, path)


def max_jobs() -> int:
    """The most worker processes a batch starts: four per core."""
    return 4 * (os.cpu_count() or 1)


def _ignore_sigint() -> None:
    # Ctrl-C is the main process's to handle: it stops the pool; workers must not each
    # print a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool at once: cancel what is queued and end the workers (no orphans)."""
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(5)


def run_parallel(
    func: Callable[[str], Any],
    files: Sequence[str],
    *,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> Generator[FileResult, None, None]:
    """Apply ``func`` to every file, in ``jobs`` processes (all cores by default).

    ``func`` must be a module-level function (it is sent to worker processes). Yields one
    :class:`FileResult` per file in input order; errors of the library's own types become
    failed results instead of stopping the run. ``jobs`` is capped at :func:`max_jobs`.

    Consume it inside ``contextlib.closing(...)`` (or use :func:`run_all`): an interrupt
    (Ctrl-C) raised in the caller's loop then closes the generator, which stops the workers
    at once; otherwise they would run on until the interpreter exits.
    """
    jobs = min(jobs or os.cpu_count() or 1, max_jobs(), max(1, len(files)))
    safe = _Safe(func)
    if jobs <= 1 or len(files) < 2:
        for path in files:
            result = safe(path)
            if progress:
                progress(path)
            yield result
        return
    chunk = max(1, min(64, len(files) // (jobs * 4)))
    batches = (list(files[i : i + chunk]) for i in range(0, len(files), chunk))
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_sigint)
    # At most a few chunks per worker are in flight: results are written out as they come
    # and memory stays flat whatever the number of files (pool.map would queue them all).
    window: collections.deque[Future[list[FileResult]]] = collections.deque()
    try:
        for batch in itertools.chain(batches, [None]):
            if batch is not None:
                window.append(pool.submit(_run_chunk, safe, batch))
                if len(window) < 2 * jobs:
                    continue
            while window and (batch is None or len(window) >= 2 * jobs):
                for result in window.popleft().result():
                    if progress:
                        progress(result.file)
                    yield result
    except BaseException:  # an interrupt, an error, or the caller closing the generator
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _run_chunk(safe: _Safe, paths: list[str]) -> list[FileResult]:
    """One worker task: several files, so that small files do not pay a round trip each."""
    return [safe(path) for path in paths]


def run_all(
    func: Callable[[str], Any],
    files: Sequence[str],
    *,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[FileResult]:
    """:func:`run_parallel` collected into a list; the workers are stopped on any interrupt."""
    with contextlib.closing(run_parallel(func, files, jobs=jobs, progress=progress)) as results:
        return list(results)


@attrs.frozen
class CheckedFile:
    """What a worker sends back for one checked file."""

    agency: str
    year: int
    edition: str
    result: Any  # CheckResult


def check_one(path: str, previous: Report | None = None) -> CheckedFile:
    """Load (or parse) and check one file, against ``previous`` when given.

    Raises:
        ReportMismatchError: if ``previous`` is not the report of the year before.
    """
    from gov_disclosure.rules import check

    report = load_any(path)
    return CheckedFile(report.agency.name, report.year, report.format, check(report, previous))


def check_pair(pair: str) -> Any:
    """Cross-year findings of two files, given as ``current`` NUL ``previous``."""
    from gov_disclosure.rules import check

    current, previous = pair.split("\x00")
    result = check(load_any(current), previous=load_any(previous), select=_CROSS_YEAR)
    return result


_CROSS_YEAR = (
    "cross_year.carry_over",
    "cross_year.documents_in_force",
    "cross_year.agency_mismatch",
)


def check_files(
    files: Sequence[str],
    *,
    jobs: int | None = None,
    series: bool = False,
    previous: Report | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[FileResult]:
    """Check many files; with ``series``, also each against the same body's previous year.

    Returns:
        One :class:`FileResult` per file, in input order; ``value`` is a
        :class:`CheckedFile` whose ``result`` includes the cross-year findings.
    """
    worker = functools.partial(check_one, previous=previous)  # picklable, with its report
    results = run_all(worker, files, jobs=jobs, progress=progress)
    if not series:
        return results
    by_body = {(r.value.agency, r.value.year): r.file for r in results if r.value is not None}
    pairs = {
        r.file: by_body[(r.value.agency, r.value.year - 1)]
        for r in results
        if r.value is not None and (r.value.agency, r.value.year - 1) in by_body
    }
    cross = {
        pair.file.split("\x00")[0]: pair
        for pair in run_all(
            check_pair, [f"{cur}\x00{prev}" for cur, prev in pairs.items()], jobs=jobs
        )
    }
    merged = []
    for item in results:
        extra = cross.get(item.file)
        if extra is not None and extra.value is not None:
            base = item.value.result
            combined = attrs.evolve(
                base,
                findings=base.findings + extra.value.findings,
                compared=extra.value.compared,
            )
            item = attrs.evolve(item, value=attrs.evolve(item.value, result=combined))
        merged.append(item)
    return merged
