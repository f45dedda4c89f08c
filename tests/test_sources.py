"""Batch sources: JSON Lines lines by value and by reference (:mod:`gov_disclosure.sources`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure import sources
from gov_disclosure.batch import check_one, run_all
from gov_disclosure.serialization import documents, files
from gov_disclosure.sources import LineRef, iter_sources, load_any, read_lines


def _by_value(path: Path) -> list[object]:
    return list(iter_sources([str(path)]))


def _by_reference(path: Path) -> list[object]:
    return list(iter_sources([str(path)], by_reference=True))


# a line's body: no newline inside; may be blank (skipped) or end in "\r"
_BODIES = st.lists(
    st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")) | st.sampled_from([b"", b"  "]),
    max_size=12,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bodies=_BODIES, crlf=st.booleans(), final_newline=st.booleans())
def test_references_point_at_the_bytes_read_by_value(
    tmp_path: Path, bodies: list[bytes], crlf: bool, final_newline: bool
) -> None:
    end = b"\r\n" if crlf else b"\n"
    data = end.join(bodies) + (end if final_newline and bodies else b"")
    path = tmp_path / "lines.jsonl"
    path.write_bytes(data)
    by_value = _by_value(path)
    refs = _by_reference(path)
    assert all(isinstance(ref, LineRef) for ref in refs)
    assert [ref[0] for ref in refs] == [name for name, _ in by_value]
    assert [data[ref.start : ref.stop] for ref in refs] == [line for _, line in by_value]
    assert read_lines(refs) == by_value


def test_offsets_stay_right_after_a_line_too_long_to_be_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 1000)
    report = gd.dumps(gd.samples.load()).encode()
    path = tmp_path / "r.jsonl"
    path.write_bytes(b"{}\n" + b"x" * 5000 + b"\n" + b"[1]\r\n" + b"y" * 1500)
    refs = _by_reference(path)
    assert refs[1] == (f"{path}:2", None)  # refused where it is listed, as by value
    assert read_lines(refs) == _by_value(path)
    assert [r for r in read_lines(refs)] == [
        (f"{path}:1", b"{}\n"),
        (f"{path}:2", None),
        (f"{path}:3", b"[1]\r\n"),
        (f"{path}:4", None),
    ]
    assert len(report) > 1000  # the sample itself would be too long here


def test_consecutive_lines_of_a_file_are_read_in_one_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_bytes(b"".join(b'{"n": %d}\n' % i for i in range(10)))
    second.write_bytes(b'{"n": "b"}\n')
    work = [*_by_reference(first)[:6], str(tmp_path / "x.json"), *_by_reference(first)[6:]]
    work += _by_reference(second)
    spans: list[tuple[str, int, int]] = []
    read_span = files.read_span

    def counting(path: str, start: int, stop: int, *args: object, **kwargs: object) -> bytes:
        spans.append((Path(path).name, start, stop))
        return read_span(path, start, stop, *args, **kwargs)

    monkeypatch.setattr(files, "read_span", counting)
    resolved = read_lines(work)
    expected = [*_by_value(first)[:6], str(tmp_path / "x.json"), *_by_value(first)[6:]]
    assert resolved == [*expected, *_by_value(second)]
    assert [name for name, _, _ in spans] == ["a.jsonl", "a.jsonl", "b.jsonl"]  # split by x.json
    spans.clear()
    monkeypatch.setattr(sources, "_SPAN_BYTES", 25)  # two lines of 9 bytes a read
    assert read_lines(_by_reference(first)) == _by_value(first)
    assert len(spans) == 5


@pytest.mark.parametrize("change", ["rewritten", "appended", "truncated", "removed"])
def test_a_file_changed_after_its_lines_were_listed_is_refused(tmp_path: Path, change: str) -> None:
    report = gd.dumps(gd.samples.load())
    path = tmp_path / "r.jsonl"
    path.write_text(f"{report}\n{report}\n", encoding="utf-8")
    refs = _by_reference(path)
    stat = path.stat()
    if change == "rewritten":  # same size, new content: only the time tells
        altered = gd.dumps(gd.with_cell(gd.samples.load(), "requests.outcomes.total.total", 999))
        path.write_text(f"{altered}\n{report}\n", encoding="utf-8")
        assert path.stat().st_size == stat.st_size
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    elif change == "appended":
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"{report}\n")
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # only the size tells
    elif change == "truncated":
        path.write_text(report[:100], encoding="utf-8")
    else:
        path.unlink()
    with pytest.raises(gd.DocumentError) as raised:
        load_any(refs[0])
    assert raised.value.unreadable
    assert raised.value.problems[0].path == f"{path}:1"
    assert read_lines(refs) == refs  # left as references, for load_any to say why
    results = run_all(check_one, refs, jobs=1)
    assert all(r.unreadable and r.value is None for r in results)
    assert [r.file for r in results] == [f"{path}:1", f"{path}:2"]
    assert "cannot read" in (results[0].error or "")


def test_a_reference_to_something_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    ref = LineRef(f"{tmp_path}:1", str(tmp_path), 0, 10, (0, 0))
    with pytest.raises(gd.DocumentError, match="not a regular file"):
        load_any(ref)


def test_a_pool_given_references_checks_what_it_would_check_given_bytes(tmp_path: Path) -> None:
    sample = gd.samples.load()
    path = tmp_path / "r.jsonl"
    lines = [
        gd.dumps(gd.with_cell(sample, "requests.outcomes.total.total", 100 + i)) for i in range(40)
    ]
    lines[7] = '{"format": "2021"}'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    by_reference = run_all(check_one, _by_reference(path), jobs=2)
    by_value = run_all(check_one, _by_value(path), jobs=2)
    assert [(r.file, r.error) for r in by_reference] == [(r.file, r.error) for r in by_value]
    assert [r.value.result for r in by_reference if r.value] == [
        r.value.result for r in by_value if r.value
    ]
    assert by_value[7].error and not by_value[7].unreadable  # read, and found invalid


def test_references_run_inline_are_read_a_chunk_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the commands send every .jsonl line by reference, whatever --jobs: run inline, the
    # lines are still read in one read per chunk, not one per line
    from gov_disclosure.serialization import files

    sample = gd.dumps(gd.samples.load())
    path = tmp_path / "r.jsonl"
    path.write_text((sample + "\n") * 100, encoding="utf-8")
    reads: list[tuple[int, int]] = []
    real = files.read_span

    def counting(name: str, start: int, stop: int, *args: Any) -> bytes:
        reads.append((start, stop))
        return real(name, start, stop, *args)

    monkeypatch.setattr(files, "read_span", counting)
    results = run_all(check_one, _by_reference(path), jobs=1)
    assert [r.file for r in results] == [f"{path}:{n}" for n in range(1, 101)]
    assert all(r.value.result.ok for r in results)
    assert len(reads) == 2  # chunks of 64 lines


def _walked(top: Path, suffixes: tuple[str, ...]) -> list[str]:
    """What ``collect_files`` found before it listed folders itself: os.walk, isfile, parts."""
    found = [
        os.path.join(folder, f)
        for folder, _, names in os.walk(top)
        for f in names
        if os.path.splitext(f)[1].lower() in suffixes and os.path.isfile(os.path.join(folder, f))
    ]
    return sorted(found, key=lambda f: Path(f).parts)


def test_a_folder_is_listed_as_os_walk_lists_it_in_path_order(tmp_path: Path) -> None:
    from gov_disclosure.batch import collect_files

    for name in ["a/y.json", "a-b/x.json", "a/b/z.JSON", "b.json", "c.txt", "d.json/e.json"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}", encoding="utf-8")
    (tmp_path / "linked.json").symlink_to(tmp_path / "b.json")  # a file through a link: taken
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)  # never followed
    (tmp_path / "gone.json").symlink_to(tmp_path / "missing.json")  # a broken link: left out
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.json")  # not a regular file: left out
    found = collect_files([str(tmp_path)], (".json",))
    assert found == _walked(tmp_path, (".json",))
    assert [Path(f).relative_to(tmp_path).as_posix() for f in found] == [
        "a/b/z.JSON",
        "a/y.json",
        "a-b/x.json",  # by path parts ("a" < "a-b"), not as strings ("a-" < "a/")
        "b.json",
        "d.json/e.json",
        "linked.json",
    ]


def test_a_hostile_reference_is_refused_without_reading_past_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 1000)
    path = tmp_path / "r.jsonl"
    path.write_bytes(b"{}\n" * 10)
    status = path.stat()
    stamp = (status.st_size, status.st_mtime_ns)

    def ref(start: int, stop: int) -> LineRef:
        return LineRef("r.jsonl:1", str(path), start, stop, stamp)

    cases = {
        ref(0, 10**12): "a line longer than 1000 bytes",  # never allocated
        ref(20, 40): "shorter than when it was listed",  # past the end
        ref(-5, 3): "not a span of the file",
        ref(6, 3): "not a span of the file",
    }
    for bad, message in cases.items():
        with pytest.raises(gd.DocumentError, match=message) as raised:
            load_any(bad)
        assert raised.value.unreadable
        assert read_lines([ref(0, 3), bad]) == [("r.jsonl:1", b"{}\n"), bad]


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    spans=st.lists(
        st.tuples(st.integers(-(2**40), 2**40), st.integers(-(2**40), 2**40)), max_size=6
    ),
    right_stamp=st.booleans(),
)
def test_any_references_are_read_or_refused_never_crash(
    tmp_path: Path, spans: list[tuple[int, int]], right_stamp: bool
) -> None:
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'{"a": 1}\n' * 4)
    status = path.stat()
    stamp = (status.st_size, status.st_mtime_ns) if right_stamp else (0, 0)
    refs = [LineRef(f"r.jsonl:{i}", str(path), a, b, stamp) for i, (a, b) in enumerate(spans)]
    resolved = read_lines(refs)
    assert [s[0] for s in resolved] == [r.name for r in refs]
    for ref, got in zip(refs, resolved, strict=True):
        if isinstance(got, LineRef):  # left for load_any, which refuses it with a reason
            with pytest.raises(gd.GovDisclosureError):
                load_any(got)
        else:
            assert got[1] == path.read_bytes()[ref.start : ref.stop]


@pytest.mark.parametrize("jobs", [1, 2])
def test_paths_may_be_given_as_path_objects(tmp_path: Path, jobs: int) -> None:
    from gov_disclosure.batch import check_files, collect_files, export_files

    report = tmp_path / "r.json"
    report.write_text(gd.dumps(gd.samples.load()), encoding="utf-8")
    lines = tmp_path / "r.jsonl"
    lines.write_text(gd.dumps(gd.samples.load(), indent=None) + "\n", encoding="utf-8")
    assert collect_files([report, tmp_path], (".json",)) == [str(report), str(report)]
    assert list(iter_sources([report])) == [str(report)]
    assert [source[0] for source in iter_sources([lines])] == [f"{lines}:1"]
    checked = check_files([report, tmp_path / "missing.json"], jobs=jobs)
    assert [r.file for r in checked] == [str(report), str(tmp_path / "missing.json")]
    assert checked[0].error is None and checked[1].unreadable
    exported = list(export_files([report, lines], jobs=jobs))
    assert [r.file for r in exported] == [str(report), f"{lines}:1"]
    assert all(r.error is None for r in exported)


def test_a_run_inline_yields_each_file_as_soon_as_it_is_done(tmp_path: Path) -> None:
    # reading a chunk's lines in one go must not hold a slow file's result back until the
    # chunk's 63 others are done (a progress bar on scans, one job)
    from gov_disclosure.batch import run_parallel

    path = tmp_path / "r.jsonl"
    path.write_text((gd.dumps(gd.samples.load()) + "\n") * 10, encoding="utf-8")
    done: list[str] = []

    def work(source: Any) -> int:
        done.append(source[0] if isinstance(source, tuple) else str(source))
        return len(done)

    results = run_parallel(work, _by_reference(path), jobs=1)
    first = next(results)
    assert first.value == 1 and len(done) == 1  # nothing else was run before it came back
    results.close()
