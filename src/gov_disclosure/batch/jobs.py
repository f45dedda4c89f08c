"""The batch jobs: check, parse and export many files, and cross-year pairs.

Cross-year checks run as a second pass over the pairs found among the inputs (same agency
name, consecutive years), so the first pass never has to ship whole reports between
processes.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Generator, Iterable, Sequence
from concurrent.futures import Executor
from typing import Any

import attrs

from gov_disclosure.batch.runner import FileResult, Retry, run_all, run_parallel
from gov_disclosure.export import export_one
from gov_disclosure.model.report import Report
from gov_disclosure.serialization.pickling import compact_pickle
from gov_disclosure.sources import DOCUMENT_SUFFIXES, Source, iter_sources, load_any

__all__ = ["CheckedFile", "check_files", "check_one", "check_pair", "export_files", "parse_files"]


def _documents_only(files: Iterable[str | os.PathLike[str]]) -> bool:
    """Whether every file is a report document, which the main process may load itself.

    Loading a document is pure Python and the hardened lxml parser, of bounded cost; a
    published report is parsed by native code that only a worker process isolates.
    """
    return isinstance(files, Sequence) and all(
        os.path.splitext(os.fspath(f))[1].lower() in (*DOCUMENT_SUFFIXES, ".jsonl") for f in files
    )


@compact_pickle
@attrs.frozen
class CheckedFile:
    """What a worker sends back for one checked file."""

    agency: str
    year: int
    edition: str
    result: Any  # CheckResult


def check_one(
    path: Source,
    previous: Report | None = None,
    similarity_threshold: float | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    boilerplate: Sequence[str] = (),
) -> CheckedFile:
    """Load (or parse) and check one file, against ``previous`` when given.

    ``similarity_threshold``, ``select``, ``ignore`` and ``boilerplate`` go to
    :func:`~gov_disclosure.check` (``None``: its default).

    Raises:
        ReportMismatchError: if ``previous`` is not the report of the year before.
    """
    from gov_disclosure.rules import check

    report = load_any(path)
    result = check(
        report,
        previous,
        select=select,
        ignore=ignore,
        similarity_threshold=_threshold(similarity_threshold),
        boilerplate=boilerplate,
    )
    return CheckedFile(report.agency.name, report.year, report.format, result)


def check_pair(
    pair: str,
    similarity_threshold: float | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    boilerplate: Sequence[str] = (),
) -> Any:
    """Cross-year findings of two files, given as ``current`` NUL ``previous``."""
    from gov_disclosure.rules import check
    from gov_disclosure.rules.definitions import CROSS_YEAR_RULES

    current, previous = pair.split("\x00")
    return check(
        load_any(current),
        previous=load_any(previous),
        select=CROSS_YEAR_RULES if select is None else CROSS_YEAR_RULES & set(select),
        ignore=ignore,
        similarity_threshold=_threshold(similarity_threshold),
        boilerplate=boilerplate,
    )


def _threshold(value: float | None) -> float:
    from gov_disclosure.rules.prose import DEFAULT_SIMILARITY

    return DEFAULT_SIMILARITY if value is None else value


def check_files(
    files: Sequence[str | os.PathLike[str]],
    *,
    jobs: int | None = None,
    series: bool = False,
    previous: Report | None = None,
    progress: Callable[[str], None] | None = None,
    executor: Executor | None = None,
    similarity_threshold: float | None = None,
    retries: list[Retry] | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    boilerplate: Sequence[str] = (),
) -> list[FileResult]:
    """Check many files; with ``series``, also each against the same body's previous year.

    ``executor`` runs the work on another engine (see :func:`run_parallel`), e.g. a Dask
    cluster, and ``retries`` receives what it ran again. ``similarity_threshold``,
    ``select``, ``ignore`` and ``boilerplate`` go to :func:`~gov_disclosure.check`.

    Returns:
        One :class:`FileResult` per file, in input order; ``value`` is a
        :class:`CheckedFile` whose ``result`` includes the cross-year findings.
    """
    chosen = None if select is None else tuple(select)  # picklable, iterable twice
    dropped = tuple(ignore)
    worker = functools.partial(  # picklable, with its report
        check_one,
        previous=previous,
        similarity_threshold=similarity_threshold,
        select=chosen,
        ignore=dropped,
        boilerplate=tuple(boilerplate),
    )
    share = _documents_only(files)
    results = run_all(
        worker,
        files,
        jobs=jobs,
        progress=progress,
        executor=executor,
        retries=retries,
        share=share,
    )
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
            functools.partial(
                check_pair,
                similarity_threshold=similarity_threshold,
                select=chosen,
                ignore=dropped,
                boilerplate=tuple(boilerplate),
            ),
            [f"{cur}\x00{prev}" for cur, prev in pairs.items()],
            jobs=jobs,
            executor=executor,
            retries=retries,
            share=share,
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


def parse_files(
    files: Iterable[str | os.PathLike[str]],
    *,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
    executor: Executor | None = None,
    retries: list[Retry] | None = None,
    **options: Any,
) -> Generator[FileResult, None, None]:
    """Parse many published reports; yields a :class:`FileResult` per file, in input order.

    ``value`` is the :class:`~gov_disclosure.parsing.ParseResult`; ``options`` go to
    :func:`~gov_disclosure.parsing.parse` (``kind``, ``year``, ``agency``, ``level``).
    Consume it inside ``contextlib.closing(...)`` (see :func:`run_parallel`, also for
    ``retries``).
    """
    from gov_disclosure.parsing import parse

    worker = functools.partial(parse, **options)
    return run_parallel(
        worker, files, jobs=jobs, progress=progress, executor=executor, retries=retries
    )


def export_files(
    files: Iterable[str | os.PathLike[str]],
    *,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
    executor: Executor | None = None,
    retries: list[Retry] | None = None,
) -> Generator[FileResult, None, None]:
    """Tidy rows of many reports (``.jsonl`` files line by line), in input order.

    ``value`` is ``(cell rows, finding rows, metrics row, score row)`` as
    :func:`~gov_disclosure.export.export_one` returns them. The lines of a ``.jsonl`` file
    go to the workers as :class:`LineRef` references, read where they run (a cluster's
    workers must see the same files).
    """
    return run_parallel(
        export_one,
        iter_sources(files, by_reference=True),
        jobs=jobs,
        progress=progress,
        executor=executor,
        retries=retries,
        share=_documents_only(files),
    )
