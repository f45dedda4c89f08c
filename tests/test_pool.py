"""The local process pool (``gov_disclosure.batch.pool``): order, errors, dying workers, big
messages, and no worker left behind."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

from gov_disclosure.batch.pool import run_pool

pytestmark = pytest.mark.timeout(60)  # a deadlock fails with its stack, not CI's budget

FORK = multiprocessing.get_context("fork")


def _echo(chunk: list[int]) -> list[int]:
    # uneven costs, so that chunks finish out of order
    time.sleep(0.002 * (chunk[0] % 3))
    return [n * 2 for n in chunk]


def _chunks(count: int, size: int = 3) -> Iterator[list[int]]:
    return (list(range(i * size, (i + 1) * size)) for i in range(count))


def _alive(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        alive.append(pid)
    return alive


def _children() -> list[int]:
    return [p.pid for p in multiprocessing.active_children() if p.pid is not None]


def test_values_come_back_in_order_from_every_worker() -> None:
    values = list(run_pool(_echo, _chunks(200), 3, FORK))
    assert values == [[n * 2 for n in chunk] for chunk in _chunks(200)]
    assert _children() == []  # the workers were told to stop and joined


def test_a_fork_server_runs_the_same() -> None:
    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork server on this platform")
    context = multiprocessing.get_context("forkserver")
    assert list(run_pool(_echo, _chunks(20), 2, context)) == [
        [n * 2 for n in chunk] for chunk in _chunks(20)
    ]


def _big(chunk: bytes) -> bytes:
    return chunk * 2


def test_messages_larger_than_a_pipe_do_not_block_either_side() -> None:
    # 1 MiB chunks and 2 MiB results: a pipe holds 64 KiB, so the main process writing the
    # next chunk and the worker writing its results would wait on each other for ever if the
    # worker did not read its pipe in a thread of its own
    chunks = (bytes([i]) * (1 << 20) for i in range(12))
    values = list(run_pool(_big, chunks, 2, FORK))
    assert [v[:1] for v in values] == [bytes([i]) for i in range(12)]
    assert all(len(v) == 2 << 20 for v in values)


def _fail_on_five(chunk: list[int]) -> list[int]:
    if 5 in chunk:
        raise ValueError(f"no fives: {chunk}")
    return chunk


def test_an_error_in_a_worker_is_raised_with_its_traceback() -> None:
    with pytest.raises(ValueError, match="no fives") as caught:
        list(run_pool(_fail_on_five, _chunks(10, size=1), 2, FORK))
    assert "_fail_on_five" in str(caught.value.__cause__)  # the worker's traceback
    time.sleep(0.1)
    assert _children() == []


class _UnpicklableError(Exception):
    def __reduce__(self) -> Any:
        raise TypeError("cannot pickle this")


def _raise_unpicklable(chunk: list[int]) -> list[int]:
    raise _UnpicklableError("odd")


def test_an_error_that_does_not_pickle_still_reaches_the_caller() -> None:
    with pytest.raises(RuntimeError, match="_UnpicklableError") as caught:
        list(run_pool(_raise_unpicklable, _chunks(3), 2, FORK))
    assert "_raise_unpicklable" in str(caught.value.__cause__)


def _die_on_seven(chunk: list[int]) -> list[int]:
    if 7 in chunk:
        os._exit(9)  # as the kernel's OOM killer would leave it: no goodbye
    return chunk


def test_a_worker_that_dies_breaks_the_pool_and_the_others_are_stopped() -> None:
    with pytest.raises(BrokenProcessPool, match="exit code 9"):
        list(run_pool(_die_on_seven, _chunks(20, size=1), 2, FORK))
    time.sleep(0.1)
    assert _children() == []


def _slow(chunk: list[int]) -> list[int]:
    time.sleep(0.05)
    return chunk


def test_closing_the_generator_early_stops_the_workers() -> None:
    values = run_pool(_slow, _chunks(1000), 2, FORK)
    assert next(values) == [0, 1, 2]
    workers = _children()
    assert len(workers) == 2
    values.close()
    assert _gone(workers)


@pytest.mark.parametrize("share", [False, True])
def test_memory_stays_bounded_when_the_first_chunk_is_slow(share: bool) -> None:
    sent: list[int] = []

    def chunks() -> Iterator[list[int]]:
        for i in range(100):
            sent.append(i)
            yield [i]

    values = run_pool(_slow_first, chunks(), 2, FORK, share=share)
    assert next(values) == [0]
    # while chunk 0 slept, the other worker finished chunks, but the pool took no more than
    # its window (4 chunks per worker) from the iterator
    assert len(sent) <= 4 * 2 + 1
    assert list(values) == [[i] for i in range(1, 100)]


def _slow_first(chunk: list[int]) -> list[int]:
    if chunk == [0]:
        time.sleep(0.3)
    return chunk


def _nested(chunk: list[int]) -> list[int]:
    # work that runs a pool of its own, as a worker of the standard library's pool could
    return [sum(v) for v in run_pool(_echo, iter([chunk]), 2, FORK)]


def test_work_in_a_worker_may_start_a_pool_of_its_own() -> None:
    assert list(run_pool(_nested, _chunks(4), 2, FORK)) == [
        [sum(n * 2 for n in chunk)] for chunk in _chunks(4)
    ]


# A script that starts a pool of two slow workers, takes one value, prints the workers' pids
# and then ends as the test says.
_POOL_THEN = """
import multiprocessing, os, signal, sys
sys.path.insert(0, sys.argv[1])
from test_pool import _slow, _chunks
from gov_disclosure.batch.pool import run_pool
values = run_pool(_slow, _chunks(1000), 2, multiprocessing.get_context("fork"))
next(values)
print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
"""


def _workers_after(ending: str) -> tuple[subprocess.CompletedProcess[str], list[int]]:
    """Run the script above ending with ``ending``; its result, and its workers' pids."""
    done = subprocess.run(
        [sys.executable, "-c", _POOL_THEN + ending, str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    pids = [int(p) for p in done.stdout.split()]
    assert len(pids) == 2, done.stderr[-2000:]
    return done, pids


def _gone(pids: list[int]) -> bool:
    deadline = time.monotonic() + 5  # a worker ends after the chunk it is on (50 ms)
    while _alive(pids) and time.monotonic() < deadline:
        time.sleep(0.01)
    return _alive(pids) == []


def test_a_pool_left_open_is_stopped_when_the_interpreter_exits() -> None:
    # the interpreter exits with the generator suspended and never closed
    done, pids = _workers_after("")
    assert done.returncode == 0, done.stderr[-2000:]
    assert _gone(pids)


def test_workers_end_quietly_when_the_main_process_is_killed() -> None:
    done, pids = _workers_after("os.kill(os.getpid(), signal.SIGKILL)  # no cleanup at all")
    assert _gone(pids)
    assert "Traceback" not in done.stderr


# --- share: the main process is one of the workers ---------------------------------------------


def _whose(chunk: list[int]) -> tuple[list[int], int]:
    time.sleep(0.002)  # long enough for the worker's results not to be ready at once
    return [n * 2 for n in chunk], os.getpid()


def test_a_shared_pool_runs_chunks_in_the_main_process_and_one_worker_fewer() -> None:
    values = list(run_pool(_whose, _chunks(200), 3, FORK, share=True))
    assert [v for v, _ in values] == [[n * 2 for n in chunk] for chunk in _chunks(200)]
    pids = {pid for _, pid in values}
    assert os.getpid() in pids  # the main process took its share
    assert len(pids) == 3  # and two worker processes took theirs
    assert _children() == []


def test_an_error_in_the_main_process_share_is_raised_and_the_worker_stopped() -> None:
    with pytest.raises(ValueError, match="no fives"):
        list(run_pool(_fail_on_five, _chunks(40, size=1), 2, FORK, share=True))
    time.sleep(0.1)
    assert _children() == []


def _die_in_a_worker(chunk: list[int]) -> list[int]:
    if os.getpid() != _MAIN:
        os._exit(9)
    return chunk


_MAIN = os.getpid()


def test_a_worker_of_a_shared_pool_that_dies_breaks_the_pool() -> None:
    with pytest.raises(BrokenProcessPool, match="exit code 9"):
        list(run_pool(_die_in_a_worker, _chunks(20, size=1), 2, FORK, share=True))


def test_a_shared_pool_needs_two_jobs() -> None:
    with pytest.raises(ValueError, match="at least 2 jobs"):
        list(run_pool(_echo, _chunks(3), 1, FORK, share=True))
