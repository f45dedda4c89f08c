"""Running a function over many sources: a local process pool or any executor (Dask).

Results come back in input order whatever the number of workers; errors of the library's
own types become per-file results. Work goes in chunks (amortising a round trip), a few
chunks per worker in flight (memory stays flat), and on a Dask cluster the chunks a dying
worker took with it are run again and reported.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import itertools
import multiprocessing
import os
import pickle
import threading
import time
import uuid
from collections.abc import Callable, Generator, Iterable, Iterator, Sized
from concurrent.futures import Executor, Future
from typing import Any

import attrs

from gov_disclosure.batch.pool import run_pool
from gov_disclosure.errors import GovDisclosureError
from gov_disclosure.serialization.pickling import compact_pickle
from gov_disclosure.sources import Source, read_lines, source_name

__all__ = ["CLUSTER_CHUNK", "FileResult", "Retry", "max_jobs", "run_all", "run_parallel"]


@compact_pickle
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


@attrs.frozen
class Retry:
    """Work a distributed engine ran again because a worker died.

    Attributes:
        first: The first file of the chunk (chunks hold up to 64 files, up to
            :data:`CLUSTER_CHUNK` on a Dask cluster; in input order).
        files: How many files the chunk held.
        worker: The address of the worker that died (``""`` when the engine did not say).
        gave_up: The engine gave up on the chunk (Dask's ``KilledWorker``: its worker died
            more often than ``distributed.scheduler.allowed-failures``); its files were then
            run one by one, so that only a file that kills its worker fails.
    """

    first: str
    files: int
    worker: str = ""
    gave_up: bool = False

    def describe(self) -> str:
        """One line for a summary."""
        what = f"{self.files} file(s) from {self.first}"
        if self.gave_up:
            return f"{what}: the engine gave up after workers died; run again one by one"
        by = f" ({self.worker})" if self.worker else ""
        return f"{what}: run again by the engine after a worker died{by}"


def _safe(func: Callable[[Any], Any], source: Source) -> FileResult:
    name = source_name(source)
    try:
        return FileResult(name, func(source))
    except GovDisclosureError as exc:
        problems: list[Any] = list(getattr(exc, "problems", ()))
        if exc.unreadable and len(problems) == 1:  # one line: "x.json: cannot read: ..."
            return FileResult(name, error=str(problems[0]), unreadable=True)
        return FileResult(name, error=str(exc), unreadable=exc.unreadable)
    except OSError as exc:
        return FileResult(
            name, error=f"{name}: cannot read: {exc.strerror or exc}", unreadable=True
        )


class _Safe:
    """A picklable wrapper that turns library errors into per-file failures."""

    def __init__(self, func: Callable[[str], Any]) -> None:
        self.func = func

    def __call__(self, source: Source) -> FileResult:
        return _safe(self.func, source)


def max_jobs() -> int:
    """The most worker processes a batch starts: four per core."""
    return 4 * (os.cpu_count() or 1)


def _native_threads() -> int:
    """Threads of this process that Python did not start (Linux tells; elsewhere 0)."""
    try:
        tasks = len(os.listdir("/proc/self/task"))
    except OSError:
        return 0
    return max(0, tasks - threading.active_count())


def _fork_safe() -> bool:
    """Whether this process can be forked: no thread that Python did not start.

    CPython makes its own threads' state safe in a forked child (the GIL, the import lock,
    logging's locks), so a progress bar's monitor thread is harmless. Native thread pools are
    not: after the OCR engine (ONNX Runtime, OpenCV) has started its threads, a forked worker
    can hang for ever on a lock that no thread of its own will release. A thread ending a
    moment ago can still be listed until the kernel has reaped it, hence the short retry.
    """
    for _ in range(20):
        if _native_threads() == 0:
            return True
        time.sleep(0.001)
    return False


def _pool_context() -> multiprocessing.context.BaseContext:
    """How pool workers start: forked, unless native threads make a fork unsafe.

    Then workers start from a fork server instead: a fresh interpreter that has imported the
    library once (``spawn``-like, so the caller's script needs the
    ``if __name__ == "__main__":`` guard, as it always does on macOS and Windows).
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and _fork_safe():
        return multiprocessing.get_context("fork")
    if "forkserver" not in methods:
        return multiprocessing.get_context()
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["gov_disclosure.batch"])
    return context


def _chunks(sources: Iterator[Source], size: int) -> Iterator[list[Source]]:
    """``sources`` in lists of ``size`` (the last shorter), taken as they are needed."""
    return iter(lambda: list(itertools.islice(sources, size)), [])


def _tapering_chunks(sources: Iterator[Source], size: int, jobs: int) -> Iterator[list[Source]]:
    """``size`` sources in chunks of a quarter of each worker's share of what is left.

    Up to 64, down to one source at the end, so that the workers finish together: with
    chunks of one size, the last worker still busy had a whole chunk to itself (25 files
    when 200 PDFs, a second or more each, go to two workers).
    """
    left = size
    while left > 0:
        chunk = list(itertools.islice(sources, max(1, min(64, left // (4 * jobs)))))
        if not chunk:
            return
        left -= len(chunk)
        yield chunk
    yield from _chunks(sources, 64)  # more than ``size`` after all (a list grown meanwhile)


def _as_source(item: Source | os.PathLike[str]) -> Source:
    """A path given as :class:`os.PathLike` as its string, the way sources are named."""
    if isinstance(item, str):  # the common case, without the ABC check of os.PathLike
        return item
    return os.fspath(item) if isinstance(item, os.PathLike) else item


def run_parallel(
    func: Callable[[Any], Any],
    files: Iterable[Source | os.PathLike[str]],
    *,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
    executor: Executor | None = None,
    retries: list[Retry] | None = None,
    share: bool = False,
) -> Generator[FileResult, None, None]:
    """Apply ``func`` to every file, in ``jobs`` processes (all cores by default).

    ``func`` must be a module-level function (it is sent to worker processes). Yields one
    :class:`FileResult` per file in input order; errors of the library's own types become
    failed results instead of stopping the run. ``jobs`` is capped at :func:`max_jobs`.
    ``files`` may be an iterator (e.g. :func:`iter_sources` over JSON Lines): it is consumed
    as the work goes, so memory stays flat.

    ``executor`` runs the work elsewhere: any :class:`concurrent.futures.Executor`, e.g. a
    Dask cluster's ``distributed.Client(address).get_executor()``. Work is shipped in chunks
    of up to 64 sources (paths, the bytes of JSON Lines lines or :class:`LineRef` references
    to them; up to :data:`CLUSTER_CHUNK` on a Dask cluster, four chunks per worker thread at
    least), ``jobs`` chunks in flight
    (default 8; on a Dask cluster two per worker thread); the executor is the caller's and
    is not shut down. Results come
    back in input order, the same as a local run. On a Dask cluster a worker that dies is
    replaced and its chunks run again by the scheduler; when the scheduler gives up on a
    chunk (``KilledWorker``) its files are run one by one, so that only a file that kills
    its worker fails. ``retries``, a list, receives a :class:`Retry` for each such chunk
    when the run ends.

    ``share`` makes the calling process one of the ``jobs``: it runs chunks itself between
    feeding the others, and one worker process fewer starts (on two cores, 5 % faster for
    ``check`` of report documents). Only for work that cannot crash, hang or bloat the
    caller, such as loading and checking report documents: parsing published reports runs
    native code (PDFium, OCR, LibreOffice) that only a worker process isolates.

    Consume it inside ``contextlib.closing(...)`` (or use :func:`run_all`): an interrupt
    (Ctrl-C) raised in the caller's loop then closes the generator, which stops the workers
    at once; otherwise they would run on until the interpreter exits.
    """
    size = len(files) if isinstance(files, Sized) else None
    sources: Iterator[Source] = (_as_source(f) for f in files)
    safe = _Safe(func)
    if executor is not None:  # the caller's: never shut down here
        chunk, slots = 64, jobs or 8
        client = _dask_client(executor)
        if client is not None:
            chunk, slots = _cluster_chunks(client, size, jobs)
        yield from _windowed(executor, safe, sources, chunk, slots, progress, retries)
        return
    jobs = min(jobs or os.cpu_count() or 1, max_jobs(), max(1, size if size is not None else 2))
    if jobs <= 1 or (size is not None and size < 2):
        # consecutive JSON Lines references read in one go, as a worker reads its chunk;
        # each file still yielded (and the progress told) as soon as it is done
        for batch in _chunks(sources, 64):
            for source in read_lines(batch):
                result = safe(source)
                if progress:
                    progress(result.file)
                yield result
        return
    batches = _chunks(sources, 64) if size is None else _tapering_chunks(sources, size, jobs)
    work = functools.partial(_run_chunk, safe)
    pool = run_pool(work, batches, jobs, _pool_context(), share=share)
    with contextlib.closing(pool) as values:
        for results in values:
            for result in results:
                if progress:
                    progress(result.file)
                yield result


def _windowed(
    executor: Executor,
    safe: _Safe,
    files: Iterable[Source],
    chunk: int,
    slots: int,
    progress: Callable[[str], None] | None,
    retries: list[Retry] | None = None,
) -> Generator[FileResult, None, None]:
    """Chunks of ``files`` through ``executor``, at most ``slots`` in flight, in order.

    Results are handed on as they come and memory stays flat whatever the number of files
    (``executor.map`` would queue them all). On a Dask cluster each chunk gets a task key of
    ours, kept with its first file's name, to tell at the end which chunks the scheduler ran
    again after a worker died.
    """
    source = iter(files)
    batches = _chunks(source, chunk)
    window: collections.deque[tuple[Future[list[FileResult]], list[Source]]] = collections.deque()
    client = _dask_client(executor)
    run = uuid.uuid4().hex[:12]
    chunks: dict[str, tuple[str, int]] = {}  # task key -> (first file, count)
    try:
        for number, batch in enumerate(itertools.chain(batches, [None])):
            if batch is not None:
                if client is not None:  # a key of ours, to find the chunk in the events
                    key = f"gov-disclosure-chunk-{run}-{number}"
                    chunks[key] = (source_name(batch[0]), len(batch))
                    submit: Any = executor.submit  # Dask's takes the task's key
                    future = submit(_run_chunk_packed, safe, _Chunk(batch), key=key)
                else:
                    future = executor.submit(_run_chunk, safe, batch)
                window.append((future, batch))
                if len(window) < slots:
                    continue
            while window and (batch is None or len(window) >= slots):
                future, sources = window.popleft()
                for result in _chunk_results(executor, safe, future, sources, client, retries):
                    if progress:
                        progress(result.file)
                    yield result
    finally:
        for future, _ in window:  # an interrupt or an error: drop what is queued
            future.cancel()
    if client is not None and retries is not None:
        retries.extend(_engine_retries(client, chunks))


CLUSTER_CHUNK = 512
"""Most sources in one task on a Dask cluster: a task costs the scheduler milliseconds."""


def _cluster_chunks(client: Any, size: int | None, jobs: int | None) -> tuple[int, int]:
    """Chunk size and chunks in flight for a Dask cluster.

    Each task makes a round trip through the scheduler (about 3 ms measured on a
    ``LocalCluster``): chunks of 64 cheap reports spent a third of the time there. Chunks
    grow up to :data:`CLUSTER_CHUNK`, but shrink (not below 64) to give every worker thread
    four of them when the number of sources is known; two chunks per thread are in flight,
    so that a cluster of many machines is kept busy (``jobs`` overrides).
    """
    try:
        workers = client.scheduler_info().get("workers", {}).values()
        threads = sum(int(w.get("nthreads", 1)) for w in workers) or 1
    except Exception:  # a client that cannot tell: the defaults of any executor
        threads = 4
    chunk = CLUSTER_CHUNK
    if size is not None:
        chunk = max(64, min(CLUSTER_CHUNK, size // (4 * threads)))
    return chunk, jobs or max(8, 2 * threads)


def _dask_client(executor: Executor) -> Any:
    """The Dask client behind a ``Client.get_executor()`` executor, else ``None``."""
    if type(executor).__module__.startswith("distributed."):
        return getattr(executor, "_client", None)  # ClientExecutor keeps it there
    return None


def _chunk_results(
    executor: Executor,
    safe: _Safe,
    future: Future[list[FileResult]],
    sources: list[Source],
    client: Any,
    retries: list[Retry] | None,
) -> list[FileResult]:
    try:
        value: Any = future.result()
        if client is not None:
            # packed by _run_chunk_packed on the cluster the caller chose: trusted as Dask is
            value = pickle.loads(value)
        results: list[FileResult] = value
        return results
    except Exception as exc:
        # our own errors are per-file results: this is the engine losing the work (Dask's
        # KilledWorker). Run the files one by one: only a file that kills its worker fails.
        if client is None or isinstance(exc, GovDisclosureError):
            raise
        if retries is not None:
            retries.append(Retry(source_name(sources[0]), len(sources), gave_up=True))
        results = []
        for single in sources:
            try:
                results.extend(executor.submit(_run_chunk, safe, [single]).result())
            except Exception as again:
                results.append(
                    FileResult(
                        source_name(single),
                        error=f"{source_name(single)}: the worker processing it died "
                        f"({type(again).__name__})",
                    )
                )
        return results


def _engine_retries(client: Any, chunks: dict[str, tuple[str, int]]) -> list[Retry]:
    """Chunks a Dask scheduler ran again: those its 'remove-worker' events interrupted."""
    try:
        events = client.get_events("all")
    except Exception:  # not a Dask client after all, or the scheduler is gone
        return []
    found: dict[str, Retry] = {}
    for _, event in events:
        if not isinstance(event, dict) or event.get("action") != "remove-worker":
            continue
        if event.get("expected", True):
            continue  # a worker retired on purpose hands its work over cleanly
        for key in event.get("processing-tasks", ()):
            if key in chunks and key not in found:
                first, count = chunks[key]
                found[key] = Retry(first, count, worker=str(event.get("worker", "")))
    return list(found.values())


def _run_chunk(safe: _Safe, paths: list[Source]) -> list[FileResult]:
    """One worker task: several files, so that small files do not pay a round trip each."""
    return [safe(path) for path in read_lines(paths)]


class _Chunk:
    """A Dask task's sources, opaque to Dask.

    Dask walks a task's arguments looking for futures to wait on: item by item through a
    list, and into every tuple (a :class:`~gov_disclosure.sources.LineRef` is one), thousands
    of calls per chunk of 512 in the client.
    """

    __slots__ = ("sources",)

    def __init__(self, sources: list[Source]) -> None:
        self.sources = sources

    def __reduce__(self) -> tuple[type[_Chunk], tuple[list[Source]]]:
        return (_Chunk, (self.sources,))


def _run_chunk_packed(safe: _Safe, chunk: _Chunk) -> bytes:
    """A chunk on a Dask cluster: its results as one pickle.

    Dask would serialise a list of results item by item (msgpack, with one pickle per
    result). Measured on a 2-worker ``LocalCluster``: 80 chunks of 512 results took half the
    time to send and a third less client CPU; ``check`` of 40,000 reports, about 8 % less
    worker CPU.
    """
    return pickle.dumps(_run_chunk(safe, chunk.sources), protocol=pickle.HIGHEST_PROTOCOL)


def run_all(
    func: Callable[[Any], Any],
    files: Iterable[Source | os.PathLike[str]],
    *,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
    executor: Executor | None = None,
    retries: list[Retry] | None = None,
    share: bool = False,
) -> list[FileResult]:
    """:func:`run_parallel` collected into a list; the workers are stopped on any interrupt."""
    work = run_parallel(
        func,
        files,
        jobs=jobs,
        progress=progress,
        executor=executor,
        retries=retries,
        share=share,
    )
    with contextlib.closing(work) as results:
        return list(results)
