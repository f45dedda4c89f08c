"""Batches on a real Dask cluster (separate worker processes): the same results as locally."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import gov_disclosure as gd
from gov_disclosure.batch import Retry, check_files, export_files, parse_files
from gov_disclosure.cli import main

from .conftest import REPORTS

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local


def _documents(folder: Path) -> list[str]:
    sample = gd.samples.load()
    names = []
    for i in range(6):
        report = gd.with_cell(sample, "requests.outcomes.total.total", 111 + (i % 2))
        path = folder / f"r{i}.json"
        path.write_text(gd.dumps(report), encoding="utf-8")
        names.append(str(path))
    (folder / "bad.json").write_text('{"format": "2021"}', encoding="utf-8")
    return [*names, str(folder / "bad.json")]


def _summary(results: list[gd.batch.FileResult]) -> list[tuple[str, object]]:
    return [(r.file, r.error or [f.rule for f in r.value.result.findings]) for r in results]


def test_check_files_on_a_cluster_equals_a_local_run(cluster: object, tmp_path: Path) -> None:
    files = _documents(tmp_path)
    with distributed.Client(cluster) as client:
        remote = check_files(files, executor=client.get_executor())
    local = check_files(files, jobs=1)
    assert _summary(remote) == _summary(local)
    assert [r.value.result for r in remote if r.value] == [r.value.result for r in local if r.value]
    assert any(r.error for r in remote)  # a failing file does not stop the batch


def test_parse_and_export_files_on_a_cluster(cluster: object, tmp_path: Path) -> None:
    files = [str(REPORTS / "pingtan-2021.txt"), str(REPORTS / "liuzhou-gov-office-2023.txt")]
    lines = tmp_path / "reports.jsonl"  # its lines go to the workers by reference
    lines.write_text(
        "".join(gd.dumps(gd.parse(f).report, indent=None) + "\n" for f in files), "utf-8"
    )
    with distributed.Client(cluster) as client:
        executor = client.get_executor()
        with contextlib.closing(parse_files(files, executor=executor)) as parsed:
            reports = [r.value.report for r in parsed]
        with contextlib.closing(export_files([*files, lines], executor=executor)) as exported:
            remote = [(r.file, r.value) for r in exported]
    assert reports == [gd.parse(f).report for f in files]
    assert [len(value[0]) for _, value in remote] == [len(gd.cells(r)) for r in reports] * 2
    with contextlib.closing(export_files([*files, lines], jobs=1)) as exported:
        assert remote == [(r.file, r.value) for r in exported]  # the same as a local run


def test_cli_scheduler_gives_the_local_output(
    cluster: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _documents(tmp_path)
    # and JSON Lines, whose lines go to the workers by reference (file, offsets, stamp)
    lines = tmp_path / "reports.jsonl"
    lines.write_text(
        "".join(json.dumps(json.loads(Path(f).read_text("utf-8"))) + "\n" for f in files),
        encoding="utf-8",
    )
    files.append(str(lines))
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    assert main(["check", *files, "--json", "--scheduler", address]) == 1
    remote = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert main(["check", *files, "--json", "--jobs", "1"]) == 1
    local = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert remote == local
    assert len(local) == 2 * len(files) - 2  # every file, then every line of the .jsonl


def _kill_the_busy_worker(client: Any, done: threading.Event) -> None:
    """Kill (SIGKILL) the first worker seen processing a task, as an OOM killer would."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not done.is_set():
        busy = [address for address, keys in client.processing().items() if keys]
        if busy:
            time.sleep(0.3)  # well inside the chunk's several seconds
            pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            return
        time.sleep(0.05)


def _parse_while_killing(local: Any, files: list[str]) -> tuple[list[Any], list[Retry]]:
    retries: list[Retry] = []
    done = threading.Event()
    with distributed.Client(local) as client:
        killer = threading.Thread(target=_kill_the_busy_worker, args=(client, done))
        killer.start()
        try:
            work = parse_files(files, executor=client.get_executor(), retries=retries)
            with contextlib.closing(work) as parsed:
                results = list(parsed)
        finally:
            done.set()
            killer.join()
    return results, retries


# one chunk of several seconds: the PDF parsed eight times
PDFS = [str(REPORTS / "hongze-district-2024.pdf")] * 8


def test_a_chunk_whose_worker_dies_is_run_again_and_reported() -> None:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        results, retries = _parse_while_killing(local, PDFS)
    expected = gd.parse(PDFS[0]).report
    assert [r.value.report for r in results] == [expected] * len(PDFS)  # nothing lost
    [retry] = retries
    assert (retry.first, retry.files, retry.gave_up) == (PDFS[0], len(PDFS), False)
    assert retry.worker.startswith("tcp://")
    assert "run again by the engine after a worker died" in retry.describe()


def test_when_the_engine_gives_up_the_files_run_one_by_one() -> None:
    import dask

    # the scheduler gives up on a task at its first worker death (KilledWorker)
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as local,
    ):
        results, retries = _parse_while_killing(local, PDFS)
    assert [r.error for r in results] == [None] * len(PDFS)
    assert [r.value.report.year for r in results] == [2024] * len(PDFS)
    assert [r.gave_up for r in retries if r.gave_up] == [True]


def test_the_cli_summary_lists_what_the_engine_ran_again(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        done = threading.Event()
        with distributed.Client(local) as watcher:
            killer = threading.Thread(target=_kill_the_busy_worker, args=(watcher, done))
            killer.start()
            try:
                status = main(["check", *PDFS, "--quiet", "--scheduler", local.scheduler_address])
            finally:
                done.set()
                killer.join()
    assert status == 0
    err = capsys.readouterr().err
    assert f"8 file(s) from {PDFS[0]}: run again by the engine after a worker died" in err


def test_the_site_built_on_a_cluster_equals_a_local_build(cluster: object, tmp_path: Path) -> None:
    pytest.importorskip("vl_convert")
    inputs = tmp_path / "in"
    inputs.mkdir()
    _documents(inputs)
    with distributed.Client(cluster) as client:
        remote = gd.site.build(
            [str(inputs)], str(tmp_path / "remote"), executor=client.get_executor()
        )
    local = gd.site.build([str(inputs)], str(tmp_path / "local"), jobs=1)
    assert (remote.reports, remote.agencies, len(remote.failed)) == (6, 1, 1)
    assert (local.reports, local.agencies, remote.files) == (6, 1, local.files)
    for name in ("index.html", "findings.html", "data/cells.csv", "data/findings.csv"):
        assert (tmp_path / "remote" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
