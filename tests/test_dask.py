"""Batches on a real Dask cluster (separate worker processes): the same results as locally."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import gov_disclosure as gd
from gov_disclosure.batch import check_files, export_files, parse_files
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


def test_parse_and_export_files_on_a_cluster(cluster: object) -> None:
    files = [str(REPORTS / "pingtan-2021.txt"), str(REPORTS / "liuzhou-gov-office-2023.txt")]
    with distributed.Client(cluster) as client:
        executor = client.get_executor()
        with contextlib.closing(parse_files(files, executor=executor)) as parsed:
            reports = [r.value.report for r in parsed]
        with contextlib.closing(export_files(files, executor=executor)) as exported:
            rows = [len(r.value[0]) for r in exported]
    assert reports == [gd.parse(f).report for f in files]
    assert rows == [len(gd.cells(r)) for r in reports]


def test_cli_scheduler_gives_the_local_output(
    cluster: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _documents(tmp_path)
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    assert main(["check", *files, "--json", "--scheduler", address]) == 1
    remote = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert main(["check", *files, "--json", "--jobs", "1"]) == 1
    local = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert remote == local
