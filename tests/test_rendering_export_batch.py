"""Rendering, the tidy export and batch work over folders."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import gov_disclosure as gd
from gov_disclosure.cli import main
from gov_disclosure.export import CELL_COLUMNS, FINDING_COLUMNS, cell_rows
from gov_disclosure.rendering import CSS, tables, to_html, to_markdown, to_text
from gov_disclosure.strategies import (
    BREAKABLE_RULES,
    arbitrary_reports,
    reports,
    reports_breaking,
    with_ocr,
    with_unread,
)

from .conftest import REPORTS, expected_names, expected_report


def _spans(html: str, table: str) -> list[tuple[str, int, int]]:
    root = etree.HTML(html)
    found = root.xpath(f"//table[@data-table='{table}']//th")
    return [(th.text or "", int(th.get("rowspan", 1)), int(th.get("colspan", 1))) for th in found]


def test_table3_header_cells_carry_the_official_spans(sample: gd.Report) -> None:
    spans = _spans(to_html(sample), "requests")
    assert spans[:5] == [
        ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3),
        ("申请人情况", 1, 7),
        ("自然人", 2, 1),
        ("法人或其他组织", 1, 5),
        ("总计", 2, 1),
    ]
    labels = dict((t, (r, c)) for t, r, c in spans)
    assert labels["三、本年度办理结果"] == (22, 1)
    assert labels["（三）不予公开"] == (8, 1)
    assert labels["（四）无法提供"] == (3, 1)
    assert labels["（五）不予处理"] == (5, 1)
    assert labels["（六）其他处理"] == (3, 1)
    assert labels["一、本年新收政府信息公开申请数量"] == (1, 3)
    assert labels["（七）总计"] == (1, 2)


def test_hybrid_and_table4_spans() -> None:
    hybrid = to_html(expected_report("hongze-district-2024"))
    labels = {t: (r, c) for t, r, c in _spans(hybrid, "requests")}
    assert labels["三、本年度办理结果"] == (20, 1)
    assert labels["（六）其他处理"] == (1, 2)
    table4 = _spans(hybrid, "review_litigation")
    assert table4[:2] == [("行政复议", 1, 5), ("行政诉讼", 1, 10)]
    assert ("未经复议直接起诉", 1, 5) in table4 and ("复议后起诉", 1, 5) in table4
    assert table4[2] == ("结果维持", 2, 1)


def test_every_row_of_the_grid_is_as_wide_as_the_table(sample: gd.Report) -> None:
    for report in (
        sample,
        expected_report("pingtan-2019"),
        expected_report("hongze-district-2024"),
    ):
        for table in tables(report):
            covered: dict[tuple[int, int], bool] = {}
            for r, row in enumerate(table.rows):
                c = 0
                for cell in row:
                    while (r, c) in covered:
                        c += 1
                    for dr in range(cell.rowspan):
                        for dc in range(cell.colspan):
                            assert (r + dr, c + dc) not in covered
                            covered[(r + dr, c + dc)] = True
                    c += cell.colspan
            assert len(covered) == table.columns * len(table.rows), table.key


def test_blank_cells_render_empty_and_zero_as_0(sample: gd.Report) -> None:
    root = etree.HTML(to_html(sample))
    blank = root.xpath(
        "//td[@data-address='requests.outcomes.withheld.state_secret.natural_person']"
    )[0]
    zero = root.xpath("//td[@data-address='review_litigation.administrative_review.upheld']")[0]
    assert (blank.text or "") == "" and zero.text == "0"


def test_findings_are_marked_with_tooltips(sample: gd.Report) -> None:
    broken = gd.with_cell(sample, "requests.outcomes.total.natural_person", 100)
    page = to_html(broken, findings=gd.check(broken).findings)
    root = etree.HTML(page)
    cell = root.xpath("//td[@data-address='requests.outcomes.total.natural_person']")[0]
    assert "gd-finding" in cell.get("class") and "gd-finding-inconsistency" in cell.get("class")
    assert "requests.outcomes_total" in cell.get("title")
    assert "@media print" in page and CSS in page
    fragment = to_html(sample, standalone=False)
    assert fragment.startswith('<div class="gd-report"') and "<html" not in fragment


def test_markdown_and_text_carry_every_label(sample: gd.Report) -> None:
    md = to_markdown(sample)
    text = to_text(sample)
    for cell in gd.cells(sample):
        for label in cell.labels[1:]:
            assert label in md and label in text


# --- export --------------------------------------------------------------------------------


def test_cell_rows_have_labels_and_blank_stays_blank(sample: gd.Report) -> None:
    rows = {r["address"]: r for r in cell_rows(sample, file="x.json")}
    assert len(rows) == 200
    row = rows["requests.outcomes.withheld.state_secret.natural_person"]
    assert row["table"] == "表三"
    assert row["row_label"] == "三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密"
    assert row["column_label"] == "自然人"
    assert row["value"] is None
    assert rows["proactive_disclosure.fees.amount_wan_yuan"]["value"] == "0"
    assert set(row) == set(CELL_COLUMNS)


def _write_corpus(folder: Path) -> list[str]:
    names = []
    for name in expected_names():
        path = folder / f"{name}.json"
        path.write_text(gd.dumps(expected_report(name)), encoding="utf-8")
        names.append(name)
    return names


def test_export_corpus_opens_in_pandas_with_documented_dtypes(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    names = _write_corpus(tmp_path)
    out = tmp_path / "cells.csv"
    findings = tmp_path / "findings.csv"
    assert (
        main(["export", str(tmp_path), "-o", str(out), "--findings", str(findings), "--jobs", "1"])
        == 0
    )
    frame = pd.read_csv(
        out, dtype={"year": "Int64", "value": "Float64"}, keep_default_na=False, na_values=[""]
    )
    assert list(frame.columns) == list(CELL_COLUMNS)
    expected_rows = sum(len(gd.cells(expected_report(n))) for n in names)
    assert len(frame) == expected_rows
    assert str(frame["year"].dtype) == "Int64" and str(frame["value"].dtype) == "Float64"
    seed = frame[
        (frame.agency == "柳州市人民政府办公室") & (frame.address == "requests.new_received.total")
    ]
    assert seed.value.iloc[0] == 116
    blank = frame[
        (frame.agency == "柳州市人民政府办公室")
        & (frame.address == "requests.outcomes.withheld.state_secret.total")
    ]
    assert blank.value.isna().iloc[0]  # blank, not 0
    found = pd.read_csv(findings, keep_default_na=False)
    assert list(found.columns) == list(FINDING_COLUMNS)
    assert set(found[found.unread == ""].rule) == {
        "format.hybrid_edition",
        "plausibility.blank_total",
        "requests.balance",
    }
    # the synthetic grids' lost row is unread: its identities are listed, never computed
    unread = found[found.unread != ""]
    assert set(unread.rule) == {"requests.applicant_total", "requests.outcomes_total"}
    assert (unread.severity == "info").all()


def test_export_jsonl(tmp_path: Path, sample: gd.Report) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.json").write_text(gd.dumps(sample), encoding="utf-8")
    out = tmp_path / "cells.jsonl"
    assert main(["export", str(tmp_path / "in"), "-o", str(out), "--jobs", "1"]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 200 and lines[0]["address"] == "proactive_disclosure.regulations.issued"


def test_export_counts_findings_only_where_it_writes_them(
    tmp_path: Path, sample: gd.Report, capsys: pytest.CaptureFixture[str]
) -> None:
    # "0 findings" after an export without --findings read as a clean bill of health
    broken = gd.with_cell(sample, "review_litigation.administrative_review.upheld", 3)
    (tmp_path / "a.json").write_text(gd.dumps(broken), encoding="utf-8")
    cells, findings = tmp_path / "cells.csv", tmp_path / "findings.csv"
    assert main(["export", str(tmp_path / "a.json"), "-o", str(cells)]) == 0
    assert capsys.readouterr().err.endswith("1 of 1 report(s): 200 cells; 0 failed\n")
    assert main(["export", str(tmp_path / "a.json"), "-o", str(cells), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] is None
    argv = ["export", str(tmp_path / "a.json"), "-o", str(cells), "--findings", str(findings)]
    assert main(argv) == 0
    written = len(findings.read_text(encoding="utf-8").splitlines()) - 1
    assert written >= 1
    assert capsys.readouterr().err.endswith(f"200 cells, {written} findings; 0 failed\n")


# --- batch ---------------------------------------------------------------------------------


def test_batch_check_of_a_thousand_files_in_parallel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = gd.samples.load()
    broken = gd.with_cell(sample, "review_litigation.administrative_review.upheld", 3)
    for i in range(1000):
        folder = tmp_path / f"d{i % 10}"
        folder.mkdir(exist_ok=True)
        report = broken if i % 100 == 7 else sample
        report = gd.with_cell(report, "proactive_disclosure.licensing.decisions", i)
        (folder / f"r{i:04d}.json").write_text(gd.dumps(report, indent=None), encoding="utf-8")
    (tmp_path / "d0" / "junk.json").write_text("{not json", encoding="utf-8")
    code = main(["check", str(tmp_path), "--jobs", "2"])
    out = capsys.readouterr().out
    assert code == 1  # one invalid file; the run still checked every other file
    assert (
        "Totals: 1000 file(s), 10 failing at --fail-on inconsistency, 1 invalid, 0 unreadable, 0 with unread cells (0 cells); 0 error, 10 inconsistency"
        in out
    )
    assert "junk.json: invalid" in out


def _twenty_files(tmp_path: Path) -> list[str]:
    sample = gd.samples.load()
    broken = gd.with_cell(sample, "review_litigation.administrative_review.upheld", 3)
    for i in range(20):
        report = broken if i == 7 else sample
        (tmp_path / f"r{i:02d}.json").write_text(gd.dumps(report, indent=None), encoding="utf-8")
    from gov_disclosure import batch

    return batch.collect_files([tmp_path], (".json",))


def test_a_batch_beside_a_python_thread_forks(tmp_path: Path) -> None:
    import threading

    from gov_disclosure import batch

    files = _twenty_files(tmp_path)
    stop = threading.Event()
    holder = threading.Thread(target=stop.wait, args=(30,), daemon=True)  # a progress monitor
    holder.start()
    try:
        if batch.runner._native_threads() == 0:  # an earlier test may have loaded the OCR engine
            assert batch.runner._pool_context().get_start_method() == "fork"
        results = batch.check_files(files, jobs=2)
    finally:
        stop.set()
        holder.join()
    assert [r.file for r in results if not r.value.result.ok] == [files[7]]


def test_a_batch_beside_native_threads_runs_from_a_fork_server(tmp_path: Path) -> None:
    from gov_disclosure import batch
    from gov_disclosure.parsing import ocr

    if not ocr.ocr_available():
        pytest.skip("the ocr extra (ONNX Runtime's native threads) is not installed")
    ocr.engine()  # ONNX Runtime and OpenCV start threads of their own
    if batch.runner._native_threads() == 0:
        pytest.skip("the OCR engine started no native thread on this machine")
    assert batch.runner._pool_context().get_start_method() == "forkserver"
    files = _twenty_files(tmp_path)
    results = batch.check_files(files, jobs=2)
    assert [r.file for r in results if not r.value.result.ok] == [files[7]]


def _pid_of(source: str) -> int:
    import os
    import time

    time.sleep(0.0005)  # long enough for a worker's results not to be ready at once
    return os.getpid()


@pytest.mark.parametrize("share", [False, True])
def test_only_a_shared_run_works_in_the_calling_process(share: bool) -> None:
    import os

    from gov_disclosure import batch

    names = [f"r{i:03d}.json" for i in range(600)]
    results = batch.run_all(_pid_of, names, jobs=2, share=share)
    assert [r.file for r in results] == names
    pids = {r.value for r in results}
    assert (os.getpid() in pids) is share
    assert len(pids) == 2  # two processes worked, whichever they were


def test_only_report_documents_are_shared_with_the_calling_process() -> None:
    # loading a document is pure Python and the hardened XML parser; parsing a published
    # report runs native code (PDFium, OCR, LibreOffice) that a worker process isolates
    from gov_disclosure.batch.jobs import _documents_only

    assert _documents_only(["a.json", "b.XML", Path("c.jsonl")])
    assert not _documents_only(["a.json", "b.pdf"])
    assert not _documents_only(["a.json", "report.txt"])
    assert not _documents_only(iter(["a.json"]))  # not known before it is consumed


def test_batch_series_across_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r2021 = gd.with_cell(
        expected_report("pingtan-2021"), "requests.carried_forward.natural_person", 4
    )
    r2021 = gd.with_cell(r2021, "requests.carried_forward.total", 4)
    for report in (
        r2021,
        expected_report("pingtan-2022"),
        expected_report("pingtan-2024"),
        expected_report("pingtan-2025"),
    ):
        (tmp_path / f"{report.year}.xml").write_bytes(gd.to_xml(report))
    assert main(["check", str(tmp_path), "--series", "--jobs", "2", "--json"]) == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_year = {line["year"]: line for line in lines}
    assessed = [f for f in by_year[2022]["findings"] if f["assessable"]]
    assert {f["rule"] for f in assessed} == {"cross_year.carry_over"}
    assert by_year[2025]["ok"] and not [f for f in by_year[2025]["findings"] if f["assessable"]]


def test_parse_resume_skips_what_is_written_and_redoes_what_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json
    import shutil

    from gov_disclosure.batch import MANIFEST_NAME

    from .conftest import REPORTS

    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for name in ("pingtan-2021.txt", "pingtan-2022.txt", "liuzhou-gov-office-2023.txt"):
        shutil.copy(REPORTS / name, folder / name)
    argv = ["parse", str(folder), "-o", str(out), "--jobs", "1", "--quiet", "--json"]
    assert main(argv) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3
    assert len((out / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()) == 3

    def resumed() -> list[str]:
        assert main([*argv, "--resume"]) == 0
        return sorted(
            Path(json.loads(line)["file"]).name for line in capsys.readouterr().out.splitlines()
        )

    assert resumed() == []  # everything is written and unchanged
    changed = folder / "pingtan-2022.txt"
    changed.write_bytes(changed.read_bytes() + b"\n")  # new bytes: parsed again
    (out / "pingtan-2021.json").unlink()  # a lost output: parsed again
    assert resumed() == ["pingtan-2021.txt", "pingtan-2022.txt"]
    assert resumed() == []
    # a torn last line (an interrupted run) is ignored
    with (out / MANIFEST_NAME).open("a", encoding="utf-8") as handle:
        handle.write('{"source": "x", "outp')
    assert resumed() == []
    with pytest.raises(SystemExit) as exit_:  # --resume needs -o DIR: a usage error
        main(["parse", str(folder / "pingtan-2021.txt"), "--resume"])
    assert exit_.value.code == 2


def test_json_lines_in_and_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json
    import shutil

    from .conftest import REPORTS

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("pingtan-2021.txt", "pingtan-2022.txt", "liuzhou-gov-office-2023.txt"):
        shutil.copy(REPORTS / name, folder / name)
    lines = tmp_path / "reports.jsonl"
    assert main(["parse", str(folder), "-o", str(lines), "--jobs", "1", "--quiet"]) == 0
    reports = [gd.loads(line) for line in lines.read_text(encoding="utf-8").splitlines()]
    assert sorted(r.year for r in reports) == [2021, 2022, 2023]
    capsys.readouterr()

    assert main(["validate", str(lines), "--summary"]) == 0
    assert "Summary: 3 document(s): 3 valid" in capsys.readouterr().err
    # a broken line fails alone, named by its line number
    broken = tmp_path / "broken.jsonl"
    text = lines.read_text(encoding="utf-8").splitlines()
    broken.write_text("\n".join([text[0], '{"format": "2021"}', "", text[2]]) + "\n", "utf-8")
    assert main(["check", str(broken), "--json", "--jobs", "2"]) == 1
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["file"].rsplit(":", 1)[1] for o in out] == ["1", "2", "4"]
    assert [o["ok"] for o in out] == [True, False, True]
    cells = tmp_path / "cells.csv"
    assert main(["export", str(lines), "-o", str(cells), "--quiet"]) == 0
    assert len(cells.read_text(encoding="utf-8").splitlines()) == 1 + sum(
        len(gd.cells(r)) for r in reports
    )
    with pytest.raises(SystemExit):  # --series pairs report files, not lines
        main(["check", str(lines), "--series"])


def test_html_groups_not_assessable_findings_and_lists_unread_cells_by_label() -> None:
    # issue 26 §2 #6: one unread row made a dozen near-identical info findings on top
    import re

    import attrs

    from gov_disclosure.rendering import to_html

    report = gd.samples.load()
    granted = "requests.outcomes.granted"
    for column in ("natural_person", "total"):
        report = gd.with_cell(report, f"{granted}.{column}", None)
    report = attrs.evolve(
        report, unread={f"{granted}.natural_person": "illegible", f"{granted}.total": "illegible"}
    )
    result = gd.check(report)
    not_assessed = [f for f in result.findings if not f.assessable]
    assert len(not_assessed) >= 2
    page = to_html(report, findings=result.findings)
    assert f"{len(not_assessed)} identities not assessed" in page
    assert 'class="gd-finding-info"' not in page  # neither listed one by one nor highlighted
    labels = re.findall(r'<li><a href="#gd-[^"]*" title="([^"]*)">([^<]*)</a>', page)
    assert labels[0] == (
        f"{granted}.natural_person",
        "表三 三、本年度办理结果 / （一）予以公开 / 自然人",
    )
    assert [a for a, _ in labels] == [f"{granted}.natural_person", f"{granted}.total"]


def test_cluster_chunks_grow_for_cheap_work_and_keep_every_thread_busy() -> None:
    from gov_disclosure.batch import CLUSTER_CHUNK
    from gov_disclosure.batch.runner import _cluster_chunks

    class Client:
        def __init__(self, workers: int, threads: int) -> None:
            self.info = {"workers": {f"w{i}": {"nthreads": threads} for i in range(workers)}}

        def scheduler_info(self) -> dict[str, object]:
            return self.info

    # two single-thread workers, 20,000 reports: the largest chunks, four per thread at least
    assert _cluster_chunks(Client(2, 1), 20_000, None) == (CLUSTER_CHUNK, 8)
    # a hundred 8-thread workers: chunks shrink, never below 64 (a task's round trip through
    # the scheduler must stay small beside its work), two in flight per thread
    assert _cluster_chunks(Client(100, 8), 20_000, None) == (64, 1600)
    assert _cluster_chunks(Client(10, 4), 40_000, None) == (250, 80)
    # a stream of unknown length; --jobs sets the chunks in flight
    assert _cluster_chunks(Client(2, 1), None, 3) == (CLUSTER_CHUNK, 3)


# --- results across processes ----------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(reports(), *[reports_breaking(r) for r in BREAKABLE_RULES[:6]]))
def test_check_results_pickle_compactly_and_come_back_equal(report: gd.Report) -> None:
    from gov_disclosure.batch import CheckedFile, FileResult

    result = gd.check(report)
    sent = FileResult("r.json", CheckedFile(report.agency.name, report.year, report.format, result))
    data = pickle.dumps(sent, protocol=pickle.HIGHEST_PROTOCOL)
    back = pickle.loads(data)
    assert back == sent and back.value.result.findings == result.findings
    assert back.value.result.verdict == result.verdict
    # field values only: no field names travel with each result
    assert b"severity" not in data and b"not_assessable" not in data
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        back.value.result.identities = 0  # type: ignore[misc]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(arbitrary_reports(), with_unread(reports()), with_ocr(reports(hybrid=None))))
def test_reports_pickle_as_field_values_and_come_back_equal(report: gd.Report) -> None:
    # a batch of parse or export sends reports between processes (Model.__reduce__)
    data = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
    back = pickle.loads(data)
    assert back == report and type(back) is type(report)
    assert back.unread == report.unread and back.ocr == report.ocr
    if not report.unread and not report.ocr:  # (their keys are addresses, which name fields)
        assert b"new_received" not in data and b"natural_person" not in data
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        back.year = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    "name",
    sorted(
        p.name
        for p in REPORTS.iterdir()
        if p.suffix in (".txt", ".md", ".html") and "legacy" not in p.name
    ),
)
def test_parse_results_pickle_compactly_and_come_back_equal(name: str) -> None:
    parsed = gd.parse(REPORTS / name)
    data = pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)
    back = pickle.loads(data)
    assert back == parsed and back.provenance == parsed.provenance
    assert type(back.provenance) is dict and list(back.provenance) == list(parsed.provenance)
    assert back.diagnostics == parsed.diagnostics and back.published_from == parsed.published_from
    assert b"location" not in data and b"severity" not in data
    # the provenance travels packed: each distinct one once, rebuilt once and shared
    rebuilt = {id(p) for p in back.provenance.values()}
    assert len(rebuilt) == len(set(parsed.provenance.values())) <= len(parsed.provenance)


@attrs.frozen
class _Base:
    a: int
    b: tuple[str, ...] = ()


@attrs.define(frozen=True, slots=False)
class _Subclass(_Base):
    c: list[int] = attrs.Factory(list)


def test_compact_pickling_keeps_a_subclass_and_its_own_fields() -> None:
    from gov_disclosure.serialization.pickling import compact_pickle

    compact_pickle(_Base)
    for value in (_Base(1, ("x",)), _Subclass(2, (), [3])):
        back = pickle.loads(pickle.dumps(value))
        assert back == value and type(back) is type(value)
    with pytest.raises(TypeError, match="not an attrs class"):
        compact_pickle(int)


def test_local_chunks_taper_so_that_the_workers_finish_together() -> None:
    from gov_disclosure.batch.runner import _tapering_chunks

    def sizes(files: int, jobs: int) -> list[int]:
        chunks = list(_tapering_chunks(iter(range(files)), files, jobs))
        assert [item for chunk in chunks for item in chunk] == list(range(files))  # in order
        return [len(chunk) for chunk in chunks]

    # 2,000 cheap reports on two workers: chunks of 64 while a worker has 256 or more to go
    plan = sizes(2000, 2)
    assert plan[:20] == [64] * 20 and max(plan) == 64
    assert plan == sorted(plan, reverse=True) and plan[-8:] == [1] * 8
    # 200 PDFs on two workers: 25 a chunk at first (not all the way), one a chunk at the end
    plan = sizes(200, 2)
    assert plan[0] == 25 and plan[-1] == 1 and sum(plan[-8:]) == 8
    assert sizes(3, 2) == [1, 1, 1]
    # more sources than said (a list that grew): none is lost
    chunks = list(_tapering_chunks(iter(range(10)), 5, 2))
    assert [item for chunk in chunks for item in chunk] == list(range(10))
