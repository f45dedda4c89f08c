"""A local process pool fed over pipes, with no thread in the main process.

The standard library's :class:`~concurrent.futures.ProcessPoolExecutor` moves every task and
result through threads of the main process (a feeder and a manager), which on a machine of two
cores take a core's time from the workers, and hands a worker its next task only once its
manager thread has run. Here each worker has two pipes of its own: the main process writes a
chunk of sources to a worker while the worker still works on the chunk before it (the worker
never waits for work), and reads whatever results are ready with one
:func:`multiprocessing.connection.wait`. A thread in each *worker* reads its pipe, so that the
main process writing a chunk and the worker writing its results can never block each other,
whatever the pipes' capacity.

With ``share``, the main process is one of the workers: it runs a chunk itself whenever no
worker has a result waiting, and starts one worker process fewer. On two cores that takes
the main process's idle time, one fork, and the pickling of half the results off the run.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import functools
import pickle
import queue
import signal
import threading
import traceback
from collections.abc import Callable, Generator, Iterator
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection, wait
from typing import Any

__all__ = ["run_pool"]

_DEPTH = 2
"""Chunks a worker holds at once: the one it works on, and the next, already in its pipe."""


class _RemoteError(Exception):
    """A worker's traceback, as the cause of the error it raised (as the executor does)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return f'\n"""\n{self.text}"""'


def _read_tasks(tasks: Connection, inbox: queue.SimpleQueue[bytes]) -> None:
    """The worker's reader thread: every chunk into ``inbox`` as it comes; ``b""`` ends."""
    try:
        while data := tasks.recv_bytes():
            inbox.put(data)
    except (EOFError, OSError):
        pass  # the main process is gone or has closed its end: stop the worker
    inbox.put(b"")


def _serve(
    run: Callable[[Any], Any], tasks: Connection, results: Connection, others: list[Connection]
) -> None:
    """A worker's loop: a chunk in, ``run(chunk)`` out, until the main process says stop."""
    # Ctrl-C is the main process's to handle: it stops the pool; workers must not each print
    # a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for end in others:  # the main process's ends, inherited by a fork: EOF must mean it
        end.close()
    inbox: queue.SimpleQueue[bytes] = queue.SimpleQueue()
    threading.Thread(target=_read_tasks, args=(tasks, inbox), daemon=True).start()
    while data := inbox.get():
        try:
            reply = pickle.dumps((True, run(pickle.loads(data))), pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # a bug in the work: the main process raises it
            text = "".join(traceback.format_exception(exc))
            try:
                reply = pickle.dumps((False, (exc, text)), pickle.HIGHEST_PROTOCOL)
            except Exception:  # an exception that does not pickle: its text still does
                reply = pickle.dumps((False, (RuntimeError(repr(exc)), text)))
        try:
            results.send_bytes(reply)
        except OSError:  # the main process is gone (killed): nobody to tell, end quietly
            return


class _Worker:
    __slots__ = ("chunks", "process", "results", "tasks")

    def __init__(self, process: Any, tasks: Connection, results: Connection) -> None:
        self.process = process
        self.tasks = tasks
        self.results = results
        self.chunks: collections.deque[int] = collections.deque()  # numbers, oldest first


def run_pool(
    run: Callable[[Any], Any],
    chunks: Iterator[Any],
    jobs: int,
    context: Any,
    *,
    share: bool = False,
) -> Generator[Any, None, None]:
    """``run(chunk)`` for every chunk, in ``jobs`` worker processes; the values in order.

    ``run`` and the chunks must pickle (a worker started by a fork inherits ``run``). At most
    :data:`_DEPTH` chunks per worker are in flight and at most ``4 * jobs`` chunks between
    the oldest not yet yielded and the newest sent, so memory stays flat however long the
    iterator. The workers are stopped when the generator ends, is closed or raises.

    With ``share``, the calling process is one of the ``jobs`` (at least 2): it runs chunks
    itself between feeding ``jobs - 1`` worker processes. Only for work that cannot crash,
    hang or bloat the caller: a worker process is what isolates native code.

    Raises:
        BrokenProcessPool: A worker died (killed, or out of memory).
        Exception: What ``run`` raised in a worker, with the worker's traceback as its cause
            (raised directly when the main process ran the chunk).
        ValueError: ``share`` with fewer than 2 jobs.
    """
    if share and jobs < 2:
        raise ValueError(f"a shared pool needs at least 2 jobs, not {jobs}")
    workers: list[_Worker] = []
    ours: list[Connection] = []  # the main process's ends, closed in every worker
    # Not daemons, so that work run in a worker may start a pool of its own (as it could in
    # the standard library's pool); a pool the caller never closed is stopped at exit,
    # before multiprocessing joins its children.
    stop_at_exit = functools.partial(_terminate, workers)
    atexit.register(stop_at_exit)
    try:
        for _ in range(jobs - 1 if share else jobs):
            task_out, task_in = context.Pipe(duplex=False)  # (reader, writer)
            result_out, result_in = context.Pipe(duplex=False)
            ours += [task_in, result_out]
            process = context.Process(target=_serve, args=(run, task_out, result_in, ours))
            process.start()
            task_out.close()
            result_in.close()
            workers.append(_Worker(process, task_in, result_out))
        yield from _drive(workers, chunks, jobs, run if share else None)
    except BaseException:  # an interrupt, an error, or the caller closing the generator
        _terminate(workers)
        raise
    finally:
        atexit.unregister(stop_at_exit)
        for worker in workers:
            with contextlib.suppress(OSError):
                worker.tasks.send_bytes(b"")  # stop, after the chunks already sent
            worker.tasks.close()
            worker.results.close()
        for worker in workers:
            worker.process.join(5)


def _terminate(workers: list[_Worker]) -> None:
    for worker in workers:
        with contextlib.suppress(Exception):
            worker.process.terminate()


def _broken(worker: _Worker) -> BrokenProcessPool:
    worker.process.join(1)  # reap it, for its exit code
    return BrokenProcessPool(
        f"a worker process ended abruptly (exit code {worker.process.exitcode}) "
        "while processing its chunk"
    )


def _drive(
    workers: list[_Worker],
    chunks: Iterator[Any],
    jobs: int,
    run: Callable[[Any], Any] | None,
) -> Generator[Any, None, None]:
    """Feed the workers and yield the values in order; ``run``: the main process works too."""
    sent = 0  # chunks sent so far; the next one's number
    done: dict[int, Any] = {}  # values that came back before an older chunk's
    following = 0  # the number of the next value to yield
    window = 4 * jobs
    exhausted = False
    by_results = {worker.results: worker for worker in workers}
    while True:
        for worker in workers:  # each worker gets work up to its depth, within the window
            while not exhausted and len(worker.chunks) < _DEPTH and sent - following < window:
                chunk = next(chunks, None)
                if chunk is None:
                    exhausted = True
                    break
                try:
                    worker.tasks.send_bytes(pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL))
                except OSError as exc:  # its reading end closed: the worker is gone
                    raise _broken(worker) from exc
                worker.chunks.append(sent)
                sent += 1
        busy = [worker.results for worker in workers if worker.chunks]
        if run is not None and not exhausted and sent - following < window:
            ready = wait(busy, 0) if busy else []
            if not ready:  # every worker has its next chunk: the main process takes one
                chunk = next(chunks, None)
                if chunk is None:
                    exhausted = True
                    continue
                done[sent] = run(chunk)
                sent += 1
        elif busy:
            ready = wait(busy)
        else:
            return
        for ready_end in ready:
            worker = by_results[ready_end]  # type: ignore[index]
            number = worker.chunks.popleft()
            try:
                ok, value = pickle.loads(worker.results.recv_bytes())
            except (EOFError, OSError) as exc:
                raise _broken(worker) from exc
            if not ok:
                error, text = value
                raise error from _RemoteError(text)
            done[number] = value
        while following in done:
            yield done.pop(following)
            following += 1
