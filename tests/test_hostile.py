"""Hostile input: the library's own errors only, bounded time and memory, never a traceback.

The worst reproducers live in tests/hostile/ (see its README); a bounded Hypothesis fuzz
feeds mutated corpus files and generated hostile structures to every entry point.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import gov_disclosure as gd
from gov_disclosure.cli import main
from gov_disclosure.parsing.document import Row
from gov_disclosure.parsing.docx import extract_docx
from gov_disclosure.serialization.xml_security import RefusingResolver, parse_untrusted_xml
from gov_disclosure.strategies import reports

from .conftest import REPO, REPORTS, parse_or_refused

HOSTILE = REPO / "tests" / "hostile"
MANIFEST = json.loads((HOSTILE / "manifest.json").read_text(encoding="utf-8"))
FUZZ = settings(
    max_examples=120,
    deadline=5000,  # the time bound per input, in milliseconds
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# A child process with a memory and time bound runs each reproducer: a regression that
# hangs or exhausts memory fails this test instead of the machine.
_RUNNER = textwrap.dedent(
    """
    import json, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    import gov_disclosure as gd
    path, entry = sys.argv[1], sys.argv[2]
    data = open(path, "rb").read()
    try:
        if entry == "from_xml":
            gd.from_xml(data)
        elif entry == "loads":
            gd.loads(data)
        else:
            gd.parse(path)
        print(json.dumps({"outcome": "ok"}))
    except gd.GovDisclosureError as exc:
        print(json.dumps({"outcome": type(exc).__name__, "message": str(exc)[:2000]}))
    """
)


@pytest.mark.parametrize("case", MANIFEST["cases"], ids=lambda c: c["file"])
def test_hostile_reproducer(case: dict[str, str]) -> None:
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER, str(HOSTILE / case["file"]), case["entry"]],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    elapsed = time.monotonic() - start
    assert done.returncode == 0, done.stderr[-2000:]
    outcome = json.loads(done.stdout)
    assert outcome["outcome"] == case["expect"], outcome
    assert elapsed < 15
    assert len(outcome.get("message", "")) < 2000


# --- XML: no file is ever opened ---------------------------------------------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "fifo"
    os.mkfifo(path)
    return path


_OPEN_FIFO = textwrap.dedent(
    """
    import sys
    from lxml import etree
    from gov_disclosure.serialization.xml_security import RefusingResolver, parse_untrusted_xml
    fifo, mode = sys.argv[1], sys.argv[2]
    decl = '<?xml version="1.0" encoding="{enc}"?>'
    body = '<!DOCTYPE r [<!ENTITY % p SYSTEM "file://' + fifo + '"> %p;]><r/>'
    try:
        if mode == "loading-parser":
            # worst case: even a parser that loads DTDs opens nothing with our resolver
            loading = etree.XMLParser(load_dtd=True, resolve_entities=True, no_network=True)
            loading.resolvers.add(RefusingResolver())
            etree.fromstring((decl.format(enc="UTF-8") + body).encode(), loading)
        else:
            enc = {"utf-16-le": "UTF-16", "utf-16-be": "UTF-16", "utf-32-le": "UTF-32",
                   "utf-32-be": "UTF-32", "utf-8": "UTF-8"}[mode]
            parse_untrusted_xml((decl.format(enc=enc) + body).encode(mode))
    except Exception as exc:
        print(type(exc).__name__)
    print("returned")
    """
)


@pytest.mark.parametrize(
    "mode", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-8", "loading-parser"]
)
def test_external_entities_never_open_a_file(fifo: Path, mode: str) -> None:
    # Opening a FIFO for reading blocks until a writer comes: a parser that opens it hangs.
    done = subprocess.run(
        [sys.executable, "-c", _OPEN_FIFO, str(fifo), mode],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "returned" in done.stdout
    if mode != "loading-parser":
        assert "UnsafeXMLError" in done.stdout


def test_the_resolver_answers_nothing_for_any_resource(tmp_path: Path) -> None:
    secret = tmp_path / "secret.dtd"
    secret.write_text('<!ENTITY leak "SECRET">', encoding="utf-8")
    parser = etree.XMLParser(load_dtd=True, resolve_entities=True, no_network=True)
    parser.resolvers.add(RefusingResolver())
    doc = f'<!DOCTYPE r SYSTEM "file://{secret}"><r>x</r>'.encode()
    root = etree.fromstring(doc, parser)
    assert b"SECRET" not in etree.tostring(root)


@pytest.mark.parametrize(
    ("document", "error"),
    [
        (b'<?xml version="1.0" encoding="EBCDIC-CP-US"?><r/>', gd.UnsafeXMLError),
        (b'<?xml version="1.0" encoding="UTF-16"?><r/>', gd.UnsafeXMLError),  # no BOM, 8-bit
        (b"\x4c\x6f\xa7\x94", gd.UnsafeXMLError),  # EBCDIC "<?xm"
        (b"\xef\xbb\xbf<!DOCTYPE r><r/>", gd.UnsafeXMLError),
        (b"<!-- <a> --><!DOCTYPE r><r/>", gd.UnsafeXMLError),  # after a comment too
        (b"<r>\x00</r>", gd.DocumentError),
        ("<r>\ud800</r>", gd.DocumentError),
    ],
)
def test_xml_refusals(document: bytes | str, error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_untrusted_xml(document)


def test_xml_text_input_with_bom_is_xml_not_a_file_name(sample: gd.Report) -> None:
    text = "\ufeff" + gd.to_xml(sample).decode("utf-8")
    assert gd.from_xml(text) == sample
    gb = gd.to_xml(sample).decode().replace("UTF-8", "GB18030", 1).encode("gb18030")
    assert gd.from_xml(gb) == sample  # a declared Chinese encoding on the allow-list


# --- bare Python exceptions become the library's errors (or TypeError for a wrong type) -----------


def test_every_public_entry_point_raises_library_errors(sample: gd.Report) -> None:
    with pytest.raises(TypeError):
        gd.from_xml(None)  # type: ignore[arg-type]
    with pytest.raises(gd.DocumentError):
        gd.from_xml("report\x00.xml")
    assert gd.validate_json({"format": []})
    assert gd.validate_json({"format": {"a": 1}})
    with pytest.raises(TypeError):
        gd.check({})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown input kind"):
        gd.parse(b"x", kind="bogus")
    with pytest.raises(gd.ReportMismatchError, match="previous report is for 2023"):
        gd.check(sample, previous=sample)
    with pytest.raises(gd.ReportMismatchError, match="two reports for 2023"):
        gd.check_series([sample, sample])
    with pytest.raises(gd.UnknownSampleError):
        gd.samples.load("nope")
    with pytest.raises(gd.CellValueError, match=r"requests\.new_received\.total"):
        gd.with_cell(sample, "requests.new_received.total", "9")  # type: ignore[arg-type]
    with pytest.raises(gd.ParseError, match="no such file"):
        gd.parse("report.pdf")
    with pytest.raises(gd.ParseError, match="lone surrogate"):
        gd.parse_text("\ud800")
    with pytest.raises(gd.ParseError):
        gd.parse("x" * 300)  # a str is a path: a name too long is a ParseError, not OSError
    for error in (gd.ReportMismatchError, gd.UnknownSampleError, gd.CellValueError):
        assert issubclass(error, gd.GovDisclosureError)


def test_counts_are_limited_everywhere(sample: gd.Report) -> None:
    big = 2**53
    with pytest.raises(ValueError, match="9007199254740991"):
        gd.with_cell(sample, "requests.new_received.total", big)
    assert (
        gd.get_cell(
            gd.with_cell(sample, "requests.new_received.total", big - 1),
            "requests.new_received.total",
        )
        == big - 1
    )
    xml = gd.to_xml(gd.with_cell(sample, "requests.new_received.total", 7)).replace(
        b"<total>7</total>", f"<total>{'9' * 5000}</total>".encode(), 1
    )
    with pytest.raises(gd.DocumentError):
        gd.from_xml(xml)
    schema_count = gd.json_schema("2021")["$defs"]["ApplicantRow"]["properties"]["total"]
    assert schema_count["maximum"] == big - 1


# --- the command line --------------------------------------------------------------------------


def _script() -> str:
    return str(Path(sys.executable).parent / "gov-disclosure")


def test_cli_with_stdin_closed_and_stdout_full(tmp_path: Path) -> None:
    closed = subprocess.run(
        [_script(), "check", "-"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=lambda: os.close(0),
    )
    assert closed.returncode == 2
    assert closed.stderr.strip() == "gov-disclosure: -: cannot read: standard input is closed"
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [_script(), "check", "--sample", "liuzhou-2023"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert done.returncode == 2
    assert done.stderr.strip() == "gov-disclosure: output: cannot write: No space left on device"


def test_cli_refuses_fifos(tmp_path: Path, fifo: Path) -> None:
    done = subprocess.run(
        [_script(), "check", str(fifo)], capture_output=True, text=True, timeout=30, check=False
    )
    # one line on standard error, as every command reports an unreadable input
    assert done.returncode == 2 and "not a regular file" in done.stderr


def test_unreadable_subfolder_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ok").mkdir()
    gd_json = gd.dumps(gd.samples.load())
    (tmp_path / "ok" / "a.json").write_text(gd_json, encoding="utf-8")
    (tmp_path / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path: Any) -> Any:  # chmod cannot lock root out: refuse as the system would
        if os.fspath(path) == str(tmp_path / "locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert main(["check", str(tmp_path)]) == 2
    assert (
        f"{tmp_path / 'locked'}: cannot read folder: Permission denied" in capsys.readouterr().err
    )


def test_cli_jobs_are_capped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from gov_disclosure.batch import max_jobs

    assert main(["check", "--sample", "liuzhou-2023", "--jobs", "100000"]) == 0
    assert f"using {max_jobs()}" in capsys.readouterr().err


def test_cli_escapes_control_characters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = attrs.evolve(gd.samples.load(), agency=gd.Agency(name="柳州\x1b[2J\r机关"))
    path = tmp_path / "r.json"
    path.write_text(gd.dumps(report), encoding="utf-8")
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\r" not in out and "柳州\\x1b[2J\\x0d机关" in out


def test_failed_outputs_leave_existing_files_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.xml"
    target.write_text("precious", encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "2021"}', encoding="utf-8")
    assert main(["convert", str(bad), "-o", str(target)]) == 1
    assert target.read_text(encoding="utf-8") == "precious"
    assert main(["convert", str(bad), "-o", str(tmp_path / "missing" / "x.xml")]) == 1
    assert (
        main(["export", str(REPO / "conformance/2021/valid"), "-o", str(tmp_path / "no" / "c.csv")])
        == 2
    )
    assert "no/c.csv: cannot write: No such file or directory" in capsys.readouterr().err
    assert not list(tmp_path.glob(".*.part"))  # no temporary file left behind


def test_parse_outputs_get_distinct_names(tmp_path: Path) -> None:
    for suffix in (".txt", ".md"):
        (tmp_path / f"report{suffix}").write_bytes(
            (REPORTS / "liuzhou-gov-office-2023.txt").read_bytes()
        )
    out = tmp_path / "out"
    assert (
        main(
            [
                "parse",
                str(tmp_path / "report.txt"),
                str(tmp_path / "report.md"),
                "-o",
                str(out),
                "--quiet",
                "--kind",
                "text",
            ]
        )
        == 0
    )
    written = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert written == ["report.md.json", "report.txt.json"]  # and the resume manifest
    assert main(["parse", str(tmp_path), "-o", str(tmp_path / "report.txt"), "--quiet"]) == 2


def _sample_copies(folder: Path, count: int) -> Path:
    """A folder of ``count`` copies of the sample document (a batch big enough to take time)."""
    folder.mkdir()
    text = gd.dumps(gd.samples.load())
    for i in range(count):
        (folder / f"r{i:04d}.json").write_text(text, encoding="utf-8")
    return folder


def test_ctrl_c_stops_workers_and_exits_130(tmp_path: Path) -> None:
    folder = _sample_copies(tmp_path / "in", 3000)
    for attempt in range(4):
        process = subprocess.Popen(
            [_script(), "export", str(folder), "-o", str(tmp_path / "cells.csv"), "--jobs", "2"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        time.sleep(1.0 + 0.2 * attempt)
        os.killpg(
            process.pid, signal.SIGINT
        )  # Ctrl-C reaches the whole process group, as on a terminal
        _, err = process.communicate(timeout=30)
        assert process.returncode == 130, err[-2000:]
        assert "Traceback" not in err
        assert not (tmp_path / "cells.csv").exists()
        assert not list(tmp_path.glob(".cells.csv.*"))
        # the pool's fork server and resource tracker end when they see the main process
        # gone (their pipe closes): give them a moment, the workers themselves are killed
        for _ in range(50):
            leftover = subprocess.run(
                ["pgrep", "-g", str(process.pid)], capture_output=True, check=False
            ).stdout.strip()
            if not leftover:
                break
            time.sleep(0.1)
        assert leftover == b"", "worker processes outlived the interrupt"


# --- the standing fuzz suite -------------------------------------------------------------------

_CORPUS = sorted(p for p in REPORTS.iterdir() if p.suffix in (".txt", ".md", ".html"))


def _mutate(data: bytes, cuts: list[tuple[int, int, bytes]]) -> bytes:
    out = bytearray(data)
    for position, length, insert in cuts:
        at = position % (len(out) + 1)
        out[at : at + length] = insert
    return bytes(out)


_INSERTS = st.sampled_from(
    [
        b"",
        b"\x00",
        b"\xff\xfe",
        "▯".encode(),
        b"9" * 200,
        b'<td rowspan="65534" colspan="1000">',
        b"<!DOCTYPE x>",
        "（一）予以公开".encode(),
        b"\n\t",
        b"-",
        "\ud800".encode("utf-8", "surrogatepass"),
    ]
) | st.binary(max_size=30)


@FUZZ
@given(
    st.sampled_from(_CORPUS),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 50), _INSERTS), max_size=6),
)
def test_fuzz_parse_mutated_corpus(path: Path, cuts: list[tuple[int, int, bytes]]) -> None:
    result = parse_or_refused(_mutate(path.read_bytes(), cuts), kind=None, name=path.name)
    if result is None:
        return
    report = result.report
    assert gd.loads(gd.dumps(report)) == report
    assert gd.from_xml(gd.to_xml(report)) == report  # a parsed report goes to every format
    gd.check(report)


# What a page or a converter leaves in a report's text: labels and markers of the template,
# separators, markup and numbers, printed where they do not belong.
_REPORT_TOKENS = st.sampled_from(
    [
        "\n", "\t", " ", "|", "|---|", "<td>", "</td>", "<tr>", "</tr>", "<th>",
        '<td colspan="3">', '<td rowspan="9">', "<table>", "</table>", "<br>", "&nbsp;",
        "0", "12", "-", "—", "１２", "1,234", "\u3000", "合计", "总计", "其中", "（一）",
        "二、", "三、", "四、", "五、", "本年新收", "上年结转", "自然人", "商业企业", "维持",
        "纠正", "行政许可", "万元", "2019", "2021年",
    ]
)  # fmt: skip
_EDITS = st.lists(
    st.tuples(
        st.sampled_from(["insert", "delete", "copy", "drop_line", "double_line", "swap_lines"]),
        st.integers(0, 10**6),
        st.integers(0, 10**6),
        _REPORT_TOKENS,
    ),
    min_size=1,
    max_size=6,
)


def _edit(text: str, edits: list[tuple[str, int, int, str]]) -> str:
    for how, at, other, token in edits:
        i, j = at % (len(text) + 1), other % (len(text) + 1)
        lines = text.split("\n")
        k, m = at % len(lines), other % len(lines)
        if how == "insert":
            text = text[:i] + token + text[i:]
        elif how == "delete":
            text = text[:i] + text[i + other % 40 + 1 :]
        elif how == "copy":  # a piece of the page printed again elsewhere
            text = text[:i] + text[min(i, j) : max(i, j)][:500] + text[i:]
        elif how == "drop_line":
            text = "\n".join(lines[:k] + lines[k + 1 :])
        elif how == "double_line":
            text = "\n".join(lines[: k + 1] + lines[k:])
        else:
            lines[k], lines[m] = lines[m], lines[k]
            text = "\n".join(lines)
    return text


@settings(FUZZ, max_examples=40)  # drawing and rendering a report is most of the cost
@given(
    reports(hybrid=None),
    st.sampled_from(["text", "markdown", "html", "docx"]),
    st.sampled_from([None, "2019", "2021"]),
    _EDITS,
)
def test_fuzz_edited_renderings_never_fail_inside_the_parser(
    report: gd.Report, kind: str, edition: str | None, edits: list[tuple[str, int, int, str]]
) -> None:
    # the catch-all in parsing.api turns an unforeseen exception into "cannot parse this":
    # the promise holds, but a report is lost to a bug (three were found this way)
    from gov_disclosure.rendering import to_docx, to_html, to_markdown, to_text

    options: dict[str, Any] = {"kind": kind, "edition": edition, "year": 2023, "agency": "某县"}
    if kind == "docx":
        data: bytes | str = _docx_with(
            lambda body: _edit(body.decode(), edits).encode(), to_docx(report)
        )
    else:
        render = {"text": to_text, "markdown": to_markdown, "html": to_html}[kind]
        data = _edit(render(report), edits)
    result = parse_or_refused(data, **options)
    if result is not None:
        assert gd.from_xml(gd.to_xml(result.report)) == result.report


@settings(FUZZ, max_examples=60)
@given(st.lists(st.text(max_size=40) | st.sampled_from(["//[", "%00", "..", "/", "a/../../b"])))
def test_fuzz_saved_page_pictures_never_escape_or_raise(
    tmp_path_factory: pytest.TempPathFactory, sources: list[str]
) -> None:
    # a saved page names its pictures: whatever it names, only files of its folder come back
    pytest.importorskip("PIL", reason="the ocr extra is not installed")
    from xml.sax.saxutils import quoteattr

    from gov_disclosure.parsing import saved_page_images

    folder = tmp_path_factory.mktemp("saved")
    page = folder / "page.html"
    page.write_text("".join(f"<img src={quoteattr(s)}>" for s in sources), encoding="utf-8")
    try:
        found = saved_page_images(page)
    except gd.ParseError:  # a page without any element: nothing to read
        assert not sources or all(not s.strip() for s in sources)
        return
    for path in found:
        assert Path(path).resolve().is_relative_to(folder.resolve())


@FUZZ
@given(
    st.sampled_from(
        [
            "2021/valid/liuzhou-2023.json",
            "2021/valid/hongze-2024-hybrid.json",
            "2019/valid/pingtan-2019.json",
        ]
    ),
    st.lists(st.tuples(st.integers(0, 10**5), st.integers(0, 20), _INSERTS), max_size=4),
)
def test_fuzz_json_and_xml_documents(name: str, cuts: list[tuple[int, int, bytes]]) -> None:
    data = (REPO / "conformance" / name).read_bytes()
    for document in (_mutate(data, cuts), _mutate(gd.to_xml(gd.loads(data)), cuts)):
        try:
            report = gd.serialization.load_document(document, "fuzz")
        except gd.DocumentError:
            continue
        assert gd.loads(gd.dumps(report)) == report
        gd.check(report)
        gd.to_xml(report)
        try:
            parsed = json.loads(document)
        except (ValueError, RecursionError):
            continue
        gd.validate_json(parsed)


@FUZZ
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=20,
    )
)
def test_fuzz_generated_json_structures(value: Any) -> None:
    for document in (
        {"format": "2021", "requests": value},
        {"format": "2019", "year": value},
        value,
    ):
        with contextlib.suppress(gd.DocumentError):
            gd.from_dict(document)
        assert isinstance(gd.validate_json(document), list)


def test_fuzz_cli_commands_never_trace(tmp_path: Path) -> None:
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\xff\xfe{\x00")
    for argv in (
        ["check", str(junk)],
        ["validate", str(junk)],
        ["convert", str(junk), "--to", "xml"],
        ["render", str(junk), "--to", "html"],
        ["export", str(junk), "-o", str(tmp_path / "c.csv")],
        ["parse", str(junk)],
        ["check", str(tmp_path / "missing.json")],
    ):
        done = subprocess.run(
            [_script(), *argv], capture_output=True, text=True, check=False, timeout=60
        )
        assert done.returncode in (1, 2), (argv, done.stderr)
        assert "Traceback" not in done.stderr, (argv, done.stderr)


# --- part 2: decompression bombs, span and page limits ------------------------------------------


def _pdf_file(objects: list[bytes]) -> bytes:
    """A PDF of these objects (numbered from 1, the first the catalog) with its xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _pdf(
    pages: int = 1, content: bytes = b"BT /F1 12 Tf 72 720 Td (x) Tj ET", flate: bool = False
) -> bytes:
    """A minimal PDF: ``pages`` pages sharing one content stream."""
    import zlib

    kids = " ".join(f"{3 + i} 0 R" for i in range(pages)).encode()
    content_id = 3 + pages
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> >>"
    objects += [page % (content_id, content_id + 1)] * pages
    data = zlib.compress(content, 9) if flate else content
    flate_key = b" /Filter /FlateDecode" if flate else b""
    objects.append(b"<< /Length %d%s >>\nstream\n" % (len(data), flate_key) + data + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return _pdf_file(objects)


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("100k pages", lambda: _pdf(100_000), "100000 pages; the limit is 200"),
        ("flate bomb", lambda: _pdf(1, b" " * (256 << 20), flate=True), "inflates past"),
        (
            "100k text operators",
            lambda: _pdf(1, b"BT /F1 12 Tf " + b"72 720 Td (x) Tj " * 100_000 + b"ET"),
            "text operators",
        ),
    ],
)
def test_pdf_limits_apply_before_the_work(name: str, make: Any, message: str) -> None:
    data = make()
    start = time.monotonic()
    with pytest.raises(gd.ParseError, match=message):
        gd.parse(data, kind="pdf")
    assert time.monotonic() - start < 10, name


@functools.cache
def _sample_docx() -> bytes:
    from gov_disclosure.rendering import to_docx

    return to_docx(gd.samples.load())


def _docx_with(replace: Any, docx: bytes | None = None) -> bytes:
    """``docx`` (the sample's by default) with ``replace`` applied to its document.xml."""
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(docx or _sample_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rebuilt:
        for member in source.infolist():
            body = source.read(member)
            if member.filename == "word/document.xml":
                body = replace(body)
            rebuilt.writestr(member, body)
    return out.getvalue()


def test_a_tall_vertical_merge_in_docx_costs_one_step_a_row() -> None:
    # python-docx finds the text of a merge's continuation by walking up the rows, each step
    # a search of the row above: a label merged over 5,000 rows took 24 s, then failed with
    # a RecursionError. Each row now takes the text from the row above's resolved cell.
    import copy
    import io

    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "行政许可"
    table.cell(0, 1).text, table.cell(1, 1).text = "1", "2"
    tr = table.rows[1]._tr
    for _ in range(5_000):
        tr.addnext(copy.deepcopy(tr))
    out = io.BytesIO()
    document.save(out)
    start = time.monotonic()
    rows = extract_docx(out.getvalue()).items
    assert time.monotonic() - start < 10
    assert len(rows) == 5_002
    assert all(isinstance(row, Row) and row.cells[0] == "行政许可" for row in rows)


def test_docx_spans_are_clamped_and_bombs_refused() -> None:
    huge = _docx_with(
        lambda b: b.replace(b'<w:gridSpan w:val="4"/>', b'<w:gridSpan w:val="1000000000"/>')
    )
    assert gd.parse(huge, kind="docx").report.year == 2023  # no MemoryError: clamped to 64
    bare = _docx_with(lambda b: b.replace(b'<w:gridSpan w:val="4"/>', b"<w:gridSpan/>"))
    assert gd.parse(bare, kind="docx").report.year == 2023  # no InvalidXmlError
    row = b'<w:tr><w:tc><w:tcPr><w:gridSpan w:val="1000"/></w:tcPr><w:p/></w:tc></w:tr>'
    rows = _docx_with(lambda b: b.replace(b"</w:tbl>", row * 20_000 + b"</w:tbl>", 1))
    start = time.monotonic()
    with pytest.raises(gd.ParseError, match="cells; not a report layout"):
        gd.parse(rows, kind="docx")
    assert time.monotonic() - start < 10
    import io
    import zipfile

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<x/>" + b" " * (100 << 20))
    with pytest.raises(gd.ParseError, match="unpacks to"):
        gd.parse(bomb.getvalue(), kind="docx")


def _damaged_docx(damage: str) -> bytes:
    """The sample's DOCX with word/document.xml damaged in its deflate data, or marked as
    compressed by an unknown method or encrypted (in its local header and the directory)."""
    import io
    import struct
    import zipfile

    data = bytearray(_docx_with(lambda b: b))
    name = b"word/document.xml"
    local = data.find(b"PK\x03\x04")
    while data[local + 30 : local + 30 + len(name)] != name:
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.find(b"PK\x01\x02", central + 4)
    if damage == "deflate":
        # a back reference further back than the data: zlib.error, before any CRC check
        start = local + 30 + len(name) + struct.unpack_from("<H", data, local + 28)[0]
        data[start : start + 8] = b"\x05\xc0\x81\x00\x00\x00\x00\x00"
    elif damage == "method":
        struct.pack_into("<H", data, local + 8, 99)
        struct.pack_into("<H", data, central + 10, 99)
    else:  # encrypted
        flags = struct.unpack_from("<H", data, central + 8)[0] | 1
        struct.pack_into("<H", data, local + 6, flags)
        struct.pack_into("<H", data, central + 8, flags)
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).namelist()  # still a zip
    return bytes(data)


@pytest.mark.parametrize("damage", ["deflate", "method", "encrypted"])
@pytest.mark.parametrize("kind", ["docx", None])
def test_a_damaged_docx_member_is_unreadable_input(damage: str, kind: str | None) -> None:
    # found by fuzzing: zlib.error escaped from a damaged member (and, by reading the code,
    # NotImplementedError from an unknown method, RuntimeError from an encrypted member)
    with pytest.raises(gd.ParseError, match="unreadable DOCX"):
        gd.parse(_damaged_docx(damage), kind=kind, name="x.docx")


@settings(FUZZ, max_examples=40)
@given(
    st.booleans(),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 50), _INSERTS), max_size=6),
)
def test_fuzz_parse_mutated_docx(inside: bool, cuts: list[tuple[int, int, bytes]]) -> None:
    # the archive's bytes themselves, or its document.xml before it is zipped again
    data = _docx_with(lambda b: _mutate(b, cuts)) if inside else _mutate(_sample_docx(), cuts)
    result = parse_or_refused(data, kind=None, name="fuzz.docx")
    if result is None:
        return
    assert gd.from_xml(gd.to_xml(result.report)) == result.report
    gd.check(result.report)


def test_xml_with_huge_structures_fails_fast_with_a_short_message(sample: gd.Report) -> None:
    xml = gd.to_xml(sample)
    attributes = b" ".join(b'a%d="1"' % i for i in range(200_000))
    start = time.monotonic()
    with pytest.raises(gd.DocumentError) as info:
        gd.from_xml(xml.replace(b"<year>", b"<year " + attributes + b">", 1))
    assert time.monotonic() - start < 5
    assert len(str(info.value)) < 1000
    with pytest.raises(gd.DocumentError, match="more than 5000 elements"):
        gd.from_xml(xml.replace(b"</report>", b"<x/>" * 100_000 + b"</report>"))
    problems = [gd.Problem(f"$.p{i}", "x" * 1000) for i in range(10_000)]
    error = gd.DocumentError(problems)
    assert len(error.problems) == 101 and error.problems[-1].message == "... and 9900 more problems"
    assert len(error.problems[0].message) == 500


def test_export_memory_stays_flat(tmp_path: Path) -> None:
    folder = _sample_copies(tmp_path / "in", 1500)
    code = textwrap.dedent(
        f"""
        import sys
        from gov_disclosure.cli import main
        status = main(["export", {str(folder)!r}, "-o", {str(tmp_path / "c.csv")!r}, "--jobs", "2"])
        # VmHWM is this process's own peak (ru_maxrss would include the forking parent's)
        peak = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0]
        print(peak.split()[1])
        sys.exit(status)
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    peak_kib = int(done.stdout.split()[-1])
    assert peak_kib < 200 * 1024, peak_kib  # 300,000 rows written; the main process stays small
    assert sum(1 for _ in (tmp_path / "c.csv").open(encoding="utf-8")) == 1500 * 200 + 1


def test_hostile_numbers_keep_their_path() -> None:
    data = (HOSTILE / "json-5000-digit-count.json").read_bytes()
    with pytest.raises(gd.DocumentError) as info:
        gd.loads(data)
    assert info.value.problems[0].path == "$.requests.new_received.total"


@pytest.mark.skipif(not __import__("shutil").which("node"), reason="node is not installed")
def test_money_pattern_in_an_ecma_262_engine() -> None:
    """The JSON Schema's pattern, run by JavaScript's RegExp (the dialect JSON Schema names)."""
    pattern = gd.json_schema("2021")["$defs"]["FeesRow2021"]["properties"]["amount_wan_yuan"][
        "pattern"
    ]
    script = (
        "const re = new RegExp(process.argv[1]);"
        "console.log(JSON.stringify(['1', '1.5', '1\\n', '1.5\\n', '-1', '1e3', ' 1'].map(s => re.test(s))));"
    )
    done = subprocess.run(
        ["node", "-e", script, pattern], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == [True, True, False, False, False, False, False]


def _pdf_with_font_file(font_file: bytes) -> bytes:
    """A one-page PDF whose Type 1 font embeds ``font_file`` (Flate-compressed)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length 33 >>\nstream\nBT /F1 12 Tf 72 720 Td (x) Tj ET\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Bomb /FontDescriptor 6 0 R >>",
        b"<< /Type /FontDescriptor /FontName /Bomb /Flags 32 /FontBBox [0 0 1 1] /ItalicAngle 0 "
        b"/Ascent 1 /Descent 0 /CapHeight 1 /StemV 1 /FontFile 7 0 R >>",
        b"<< /Length %d /Filter /FlateDecode /Length1 10 /Length2 0 /Length3 0 >>\nstream\n"
        % len(font_file)
        + font_file
        + b"\nendstream",
    ]
    return _pdf_file(objects)


def test_pdf_font_stream_bombs_are_refused() -> None:
    import zlib

    compressor = zlib.compressobj(9)
    bomb = b"".join(compressor.compress(b" " * (1 << 20)) for _ in range(64)) + compressor.flush()
    assert len(bomb) < 200_000  # 64 MiB of font data in a small file
    with pytest.raises(gd.ParseError, match="inflates past"):
        gd.parse(_pdf_with_font_file(bomb), kind="pdf")
    small = zlib.compress(b" " * 1000)
    with pytest.raises(gd.ParseError, match="no statistical tables"):  # read, just not a report
        gd.parse(_pdf_with_font_file(small), kind="pdf")


def test_a_jsonl_line_longer_than_a_document_is_skipped_in_bounded_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gov_disclosure.batch import iter_sources
    from gov_disclosure.serialization import documents

    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 1000)
    line = gd.dumps(gd.samples.load()).encode()[:900] + b"\n"  # short enough: read (invalid)
    path = tmp_path / "r.jsonl"
    path.write_bytes(line + b"x" * 5000 + b"\n" + b"\n" + b"y" * 1500)
    sources = list(iter_sources([str(path)]))
    assert [s[0].rsplit(":", 1)[1] for s in sources] == ["1", "2", "4"]  # 3 is empty
    assert sources[0][1] == line and sources[1][1] is None and sources[2][1] is None
    with pytest.raises(gd.DocumentError, match="line longer than 1000 bytes"):
        gd.batch.load_any(sources[1])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_jsonl_is_not_opened(tmp_path: Path) -> None:
    from gov_disclosure.batch import iter_sources

    fifo = tmp_path / "r.jsonl"
    os.mkfifo(fifo)
    assert list(iter_sources([str(fifo)])) == [str(fifo)]  # passed on, never opened


# --- part 3: images and scanned pages (issue 24) -----------------------------------------------


def _png_header(width: int, height: int, idat: bytes = b"") -> bytes:
    """A PNG whose header claims ``width`` × ``height`` pixels (the body may be anything)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def _tiff_pages(count: int) -> bytes:
    import io

    from PIL import Image

    pages = [Image.new("L", (2, 2), 255) for _ in range(count)]
    out = io.BytesIO()
    pages[0].save(out, "TIFF", save_all=True, append_images=pages[1:])
    return out.getvalue()


def _truncated_png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (400, 300), (255, 255, 255)).save(out, "PNG")
    return out.getvalue()[: len(out.getvalue()) // 2]


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("50k x 50k PNG", lambda: _png_header(50_000, 50_000), "pixels; the limit is"),
        (
            "PNG decompression bomb",
            lambda: _png_header(12_000, 12_000, __import__("zlib").compress(b"\0" * 1_000_000)),
            "pixels; the limit is",
        ),
        ("truncated PNG", _truncated_png, "unreadable image"),
        ("300-page TIFF", lambda: _tiff_pages(300), "300 pages; the limit is 200"),
        ("1,000-page image PDF", lambda: _pdf(1_000, b""), "1000 pages; the limit is 200"),
        ("huge scanned page", lambda: _huge_page_pdf(), "pixels at 150 dpi; the limit is"),
    ],
)
def test_image_limits_apply_before_the_work(name: str, make: Any, message: str) -> None:
    pytest.importorskip("PIL")
    from gov_disclosure.parsing.ocr import ocr_available

    if not ocr_available():
        pytest.skip("the ocr extra is not installed")
    data = make()
    start = time.monotonic()
    with pytest.raises(gd.ParseError, match=message) as caught:
        gd.parse(data, name="hostile.input")
    assert str(caught.value).startswith("hostile.input: "), name  # the file's name
    assert time.monotonic() - start < 5, name


def _huge_page_pdf() -> bytes:
    """One page of 14,400 × 14,400 points without text: 900 million pixels at 150 dpi."""
    return _pdf(1, b"").replace(b"/MediaBox [0 0 612 792]", b"/MediaBox [0 0 14400 14400]")


def test_a_hanging_libreoffice_is_killed_at_the_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gov_disclosure.parsing.legacy import convert_to_docx

    fake = tmp_path / "soffice"
    marker = f"3{os.getpid() % 1000:03d}.5"  # a sleep no other process on the machine runs
    fake.write_text(f"#!/bin/sh\nsleep {marker} &\nsleep {marker}\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    start = time.monotonic()
    with pytest.raises(gd.ParseError, match="did not finish converting it in 1 s"):
        convert_to_docx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc", name="x.doc", timeout=1)
    assert time.monotonic() - start < 5
    # the whole process group is gone, the child's own children too
    if shutil.which("pgrep") is None:
        return
    leftover = ["?"]
    for _ in range(40):  # SIGKILL is delivered at once, but the kernel takes a moment
        leftover = subprocess.run(
            ["pgrep", "-f", f"sleep {marker}"], capture_output=True, text=True, check=False
        ).stdout.split()
        if not leftover:
            break
        time.sleep(0.05)
    assert leftover == []


def test_libreoffice_runs_under_the_memory_limit_in_its_own_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gov_disclosure.parsing.legacy import CONVERT_MEMORY, convert_to_docx

    seen = tmp_path / "seen"
    fake = tmp_path / "soffice"
    # what the child sees: its address-space limit (KiB), and whether it leads its session
    fake.write_text(
        f"#!/bin/sh\nulimit -v > {seen}\nps -o sid= -p $$ >> {seen}\necho $$ >> {seen}\n",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(gd.ParseError, match="LibreOffice could not convert it"):
        convert_to_docx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc", name="x.doc", timeout=10)
    lines = seen.read_text(encoding="utf-8").split()
    assert lines[0] == str(CONVERT_MEMORY // 1024)
    if shutil.which("ps") is not None and len(lines) == 3:
        assert lines[1] == lines[2]  # the session id is its own pid: a new session


# --- part 3: prose checks at scale (issue 25 #1) ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "bounded"),
    [
        ("one claim repeated 6,000 times", "行政复议1件" * 6000 + "。", True),
        ("a comma-grouped digit run", "行政复议1件1" + ",000" * 20000 + "x。", True),
        (
            "11,000 comma-separated claims",
            "，".join(["收到政府信息公开申请3件"] * 11000) + "。",
            True,
        ),
        (
            "an 800 KB text part",
            ("共收到政府信息公开申请120件，办结111件。" * 40000)[:800_000],
            True,
        ),
        ("a long part of short sentences", "本年度工作有序开展。" * 9000, False),
    ],
)
def test_prose_checks_are_linear_and_say_what_they_skipped(
    name: str, text: str, bounded: bool
) -> None:
    report = attrs.evolve(gd.samples.load(), overview=text)
    start = time.monotonic()
    result = gd.check(report)
    assert time.monotonic() - start < 1.0, name  # was 13-30 s
    skipped = result.filter(rule="text.not_assessed")
    assert bool(skipped) == bounded, name
    if bounded:
        assert not skipped[0].assessable
        assert "not compared" in skipped[0].message["en"]


def test_a_claim_in_a_normal_sentence_is_still_found_next_to_a_long_one() -> None:
    text = "无关内容" * 1000 + "共收到申请3件。" + "本年度共收到政府信息公开申请120件。"
    report = attrs.evolve(gd.samples.load(), overview=text)
    result = gd.check(report)
    assert [f.stated for f in result.filter(rule="text.table_mismatch")] == [120]
    assert result.filter(rule="text.not_assessed")  # the 4,001-character sentence


# --- part 3: CSV safe in a spreadsheet, and the same rows in every reader (issue 25 #2) ----------

_NASTY = st.text(
    alphabet=st.sampled_from(list("=+-@\t\r\n\",;'a政府 1")), min_size=1, max_size=12
).filter(lambda s: s.strip() != "")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(_NASTY, min_size=1, max_size=4))
def test_csv_export_reads_back_the_same_rows_in_csv_pandas_and_duckdb(names: list[str]) -> None:
    import csv
    import io

    import duckdb
    import pandas as pd

    from gov_disclosure.export import CELL_COLUMNS, cell_rows, safe_text, write_csv

    seed = gd.samples.load()
    reports = [attrs.evolve(seed, agency=gd.Agency(name=n)) for n in names]
    rows = [r for report in reports for r in cell_rows(report, file=report.agency.name)]
    out = io.StringIO()
    assert write_csv(rows, out, CELL_COLUMNS) == len(rows)
    text = out.getvalue()
    expected = [
        [
            "" if row[c] is None else safe_text(row[c]) if isinstance(row[c], str) else str(row[c])
            for c in CELL_COLUMNS
        ]
        for row in rows
    ]
    # no text field starts like a formula
    assert not [v for row in expected for v in row[:4] if v.startswith(("=", "+", "@", "\t", "\r"))]
    read = list(csv.reader(io.StringIO(text, newline="")))
    assert read[0] == list(CELL_COLUMNS) and read[1:] == expected
    frame = pd.read_csv(io.StringIO(text, newline=""), dtype=str, keep_default_na=False)
    assert frame.values.tolist() == expected
    with duckdb.connect() as db:
        path = Path(os.environ.get("TMPDIR", "/tmp")) / f"gd-csv-{os.getpid()}.csv"
        path.write_text(text, encoding="utf-8", newline="")
        try:
            got = db.execute(
                f"SELECT * FROM read_csv('{path}', header=true, all_varchar=true, quote='\"', "
                "escape='\"', delim=',', new_line='\\n', strict_mode=true)"
            ).fetchall()
        finally:
            path.unlink()
    assert [["" if v is None else v for v in row] for row in got] == expected


# --- part 3: rendering and human output (issue 25 #5, #6, #7) ------------------------------------


def test_docx_rendering_escapes_control_characters_and_bounds_long_text() -> None:
    pytest.importorskip("docx")
    from gov_disclosure.rendering import to_docx

    hostile = attrs.evolve(
        gd.samples.load(),
        agency=gd.Agency(name="某局\x1b[2J\x00"),
        overview="\n".join(f"第{i}行" for i in range(40_000)),
    )
    start = time.monotonic()
    data = to_docx(hostile)  # was an lxml ValueError, and 13 s
    assert time.monotonic() - start < 4
    parsed = gd.parse(data, kind="docx", year=2023, agency="某局")
    assert parsed.report.requests.new_received.total == 116
    import io

    import docx

    title = docx.Document(io.BytesIO(data)).paragraphs[0].text
    assert title.startswith("某局\\x1b[2J\\x00")


def test_markdown_rendering_shows_markup_literally() -> None:
    from gov_disclosure.rendering import to_markdown

    report = attrs.evolve(
        gd.samples.load(),
        agency=gd.Agency(name="<script>alert(1)</script>"),
        overview='<img src=x onerror="alert(1)"> [点此](javascript:alert(1)) <javascript:alert(1)> &lt;b&gt;',
    )
    markdown = to_markdown(report)
    import re

    for raw in ("<script>", "<img", "](javascript:", "<javascript:", "&lt;"):
        assert not re.search(r"(?<!\\)" + re.escape(raw), markdown), raw
    assert "\\<script\\>" in markdown and "\\[点此\\]\\(javascript:alert\\(1\\)\\)" in markdown


def test_human_output_to_a_terminal_escapes_control_sequences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = gd.samples.load()
    evil = "某局\x1b]0;owned\x07\x1b[2J"
    old = attrs.evolve(seed, year=2022, agency=gd.Agency(name=evil), overview="旧\x1b[31m文")
    new = attrs.evolve(seed, agency=gd.Agency(name=evil), overview="新\x1b[31m文")
    (tmp_path / "old.json").write_text(gd.dumps(old), encoding="utf-8")
    (tmp_path / "new.json").write_text(gd.dumps(new), encoding="utf-8")
    for argv in (
        ["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json")],
        ["render", str(tmp_path / "new.json"), "--to", "text"],
        ["render", str(tmp_path / "new.json"), "--to", "markdown"],
    ):
        main(argv)
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\x07" not in out, argv
        assert "\\x1b" in out, argv
    # a file keeps the text as it is: it is data, not a terminal
    main(["render", str(tmp_path / "new.json"), "--to", "text", "-o", str(tmp_path / "r.txt")])
    assert "\x1b" in (tmp_path / "r.txt").read_text(encoding="utf-8")


# --- part 3: baseline and manifest files read like inputs (issue 25 #4) --------------------------


def _refused_option_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    name: str,
    write: Any,
    message: str,
) -> None:
    """``command`` (a command and its option) given a hostile option file: exit 2, fast."""
    report = tmp_path / "r.json"
    report.write_text(gd.dumps(gd.samples.load()), encoding="utf-8")
    option_file = tmp_path / "option.json"
    write(option_file)
    start = time.monotonic()
    assert main([command[0], str(report), command[1], str(option_file)]) == 2, name
    assert time.monotonic() - start < 5, name
    assert re.search(message, capsys.readouterr().err), name


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(
    ("name", "write", "message"),
    [
        ("FIFO", lambda p: _fifo(p), "not a regular file"),
        ("symlink to /dev/zero", lambda p: p.symlink_to("/dev/zero"), "not a regular file"),
        ("100k-deep", lambda p: p.write_text("[" * 100_000 + "]" * 100_000), "nested too deeply"),
        (
            "Infinity year",
            lambda p: p.write_text(
                '{"version": 1, "accepted": [{"agency": "x", "year": Infinity, "fingerprint": "0123456789abcdef"}]}'
            ),
            "Infinity",
        ),
        (
            "version true",
            lambda p: p.write_text('{"version": true, "accepted": []}'),
            r"\$\.version",
        ),
        (
            "year 2023.9",
            lambda p: p.write_text(
                '{"version": 1, "accepted": [{"agency": "x", "year": 2023.9, "fingerprint": "0123456789abcdef"}]}'
            ),
            r"\$\.accepted\[0\]\.year",
        ),
        (
            "bad fingerprint",
            lambda p: p.write_text(
                '{"version": 1, "accepted": [{"agency": "x", "year": 2023, "fingerprint": "zz"}]}'
            ),
            "fingerprint",
        ),
    ],
)
def test_a_hostile_baseline_is_refused_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, write: Any, message: str
) -> None:
    _refused_option_file(tmp_path, capsys, ["check", "--baseline"], name, write, message)


@pytest.mark.parametrize(
    ("name", "write", "message"),
    [
        ("FIFO", lambda p: _fifo(p), "not a regular file"),
        ("symlink to /dev/zero", lambda p: p.symlink_to("/dev/zero"), "not a regular file"),
        ("100k-deep", lambda p: p.write_text("[" * 100_000 + "]" * 100_000), "nested too deeply"),
        ("NaN", lambda p: p.write_text('{"format_version": NaN, "parents": []}'), "NaN"),
        ("GBK", lambda p: p.write_bytes('{"parents": "政府"}'.encode("gbk")), "not a hierarchy"),
        (
            "too many children",
            lambda p: p.write_text(
                json.dumps(
                    {
                        "format_version": 1,
                        "parents": [{"name": "A", "children": [str(i) for i in range(100_001)]}],
                    }
                )
            ),
            r"\$\.parents\[0\]\.children",
        ),
        (
            "a child its own parent by alias",
            lambda p: p.write_text(
                json.dumps(
                    {
                        "format_version": 1,
                        "parents": [{"name": "A", "aliases": ["B"], "children": ["B"]}],
                    }
                )
            ),
            "not its own child",
        ),
    ],
)
def test_a_hostile_hierarchy_is_refused_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, write: Any, message: str
) -> None:
    _refused_option_file(tmp_path, capsys, ["rollup", "--hierarchy"], name, write, message)


def test_the_baseline_schema_is_shipped_and_matches_the_code() -> None:
    from gov_disclosure.baseline import BASELINE_SCHEMA

    shipped = json.loads((REPO / "schemas" / "baseline.schema.json").read_text(encoding="utf-8"))
    assert shipped == BASELINE_SCHEMA


@pytest.mark.parametrize("kind", ["fifo", "symlink outside", "symlink to /dev/zero"])
def test_a_hostile_manifest_is_refused_and_never_written_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    source = REPORTS / "liuzhou-gov-office-2023.txt"
    out = tmp_path / "out"
    out.mkdir()
    manifest = out / ".gov-disclosure-manifest.jsonl"
    outside = tmp_path / "outside.jsonl"
    outside.write_text("", encoding="utf-8")
    if kind == "fifo":
        os.mkfifo(manifest)
    elif kind == "symlink outside":
        manifest.symlink_to(outside)
    else:
        manifest.symlink_to("/dev/zero")
    start = time.monotonic()
    assert main(["parse", str(source), "-o", str(out), "--resume"]) == 2
    assert main(["parse", str(source), "-o", str(out)]) == 2
    assert time.monotonic() - start < 10
    assert outside.read_text(encoding="utf-8") == ""  # never appended to
    assert "not a regular file" in capsys.readouterr().err


# --- part 3: the fuzz suite over the new surfaces ---------------------------------------------

# the new surfaces cost milliseconds an example (a DOCX, a Parquet file): fewer examples
FUZZ_SLOW = settings(FUZZ, max_examples=30)

_JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


@FUZZ_SLOW
@given(
    document=st.fixed_dictionaries(
        {
            "version": _JSONISH | st.just(1),
            "accepted": st.lists(
                st.fixed_dictionaries(
                    {"agency": _JSONISH, "year": _JSONISH, "fingerprint": _JSONISH}
                ),
                max_size=3,
            )
            | _JSONISH,
        }
    )
    | _JSONISH
)
def test_fuzz_baseline_files(tmp_path_factory: pytest.TempPathFactory, document: Any) -> None:
    from gov_disclosure.baseline import Baseline

    path = tmp_path_factory.mktemp("baseline") / "b.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    try:
        baseline = Baseline.load(path)
    except gd.DocumentError as exc:
        assert exc.unreadable and exc.problems
        return
    for (agency, year, fingerprint), note in baseline.accepted.items():
        assert isinstance(agency, str) and type(year) is int and len(fingerprint) == 16
        assert isinstance(note, str)


@FUZZ_SLOW
@given(lines=st.lists(st.text(max_size=80) | _JSONISH.map(json.dumps), max_size=20))
def test_fuzz_manifest_lines(tmp_path_factory: pytest.TempPathFactory, lines: list[str]) -> None:
    from gov_disclosure.batch import MANIFEST_NAME, Manifest

    folder = tmp_path_factory.mktemp("manifest")
    (folder / MANIFEST_NAME).write_text("\n".join(lines), encoding="utf-8", errors="replace")
    manifest = Manifest(folder)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in manifest.done.items())


@FUZZ_SLOW
@given(
    name=st.text(min_size=1, max_size=30).filter(lambda s: s.strip() != ""),
    prose=st.text(max_size=400),
)
def test_fuzz_rendering_and_prose_checks(name: str, prose: str) -> None:
    from gov_disclosure.rendering import to_markdown, to_text

    try:
        report = attrs.evolve(gd.samples.load(), agency=gd.Agency(name=name), overview=prose)
    except ValueError:
        return  # the model refuses it (a lone surrogate): nothing to render
    to_markdown(report)
    to_text(report)
    gd.check(report)


@settings(FUZZ, max_examples=8)  # a DOCX of the seed takes 0.7 s to write
@given(
    name=st.text(min_size=1, max_size=30).filter(lambda s: s.strip() != ""),
    prose=st.text(max_size=400),
)
def test_fuzz_docx_rendering(name: str, prose: str) -> None:
    pytest.importorskip("docx")
    from gov_disclosure.rendering import to_docx

    try:
        report = attrs.evolve(gd.samples.load(), agency=gd.Agency(name=name), overview=prose)
    except ValueError:
        return  # the model refuses it (a lone surrogate): nothing to render
    assert to_docx(report)[:2] == b"PK"


@FUZZ_SLOW
@given(
    digits=st.integers(1, 24),
    places=st.integers(0, 12),
    seed=st.integers(0, 10**6),
)
def test_fuzz_parquet_money_values(
    tmp_path_factory: pytest.TempPathFactory, digits: int, places: int, seed: int
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    import random
    from decimal import Decimal

    from gov_disclosure.export import cell_rows, open_table

    rng = random.Random(seed)
    text = str(rng.randint(10 ** (digits - 1), 10**digits - 1)) if digits > 1 else "7"
    if places:
        text += "." + "".join(rng.choice("0123456789") for _ in range(places))
    value = Decimal(text)
    fee = "proactive_disclosure.fees.amount_wan_yuan"
    report = gd.with_cell(gd.samples.load(), fee, value)
    path = tmp_path_factory.mktemp("parquet") / "cells.parquet"
    with open_table(str(path), "cells") as table:
        table.write(cell_rows(report))
        table.close()
    rows = pq.read_table(path).to_pylist()
    assert next(r["amount"] for r in rows if r["address"] == fee) == value


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="no /proc here")
def test_a_document_longer_than_its_size_says_is_still_read_within_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A regular file whose ``st_size`` under-states it (0 for /proc files; a file that grows
    while read) is read to its end, and refused once past the limit, never without bound."""
    from gov_disclosure.serialization import files

    status = files.read_bytes("/proc/self/status")  # st_size 0: read to its end all the same
    assert os.stat("/proc/self/status").st_size == 0 and b"VmRSS" in status
    monkeypatch.setattr(files, "MAX_DOCUMENT_BYTES", 100)
    with pytest.raises(gd.DocumentError, match="larger than 100 bytes") as caught:
        files.read_bytes("/proc/self/status")
    assert caught.value.unreadable


def test_a_spanned_label_cell_is_matched_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # The reproducer's colspan="1000" label cells made 22,000 fuzzy label matches (1.7 s):
    # counted here rather than timed, each distinct label of a row is tried once
    from gov_disclosure.parsing import labels
    from gov_disclosure.parsing.tables import table3

    calls: list[str] = []
    real = labels.match_row

    def counting(label: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(label)
        return real(label, *args, **kwargs)

    monkeypatch.setattr(table3, "match_row", counting)
    result = gd.parse(HOSTILE / "html-colspan-label-cells.html")
    assert result.report.requests.new_received.natural_person == 23  # the table still read
    assert 0 < len(calls) <= table3.MAX_LABEL_CELLS * 48  # 48 rows in the document
    assert len(calls) == len(set(calls)) or len(calls) < 100


def test_a_row_of_many_distinct_labels_tries_a_bounded_number() -> None:
    from gov_disclosure.parsing.tables import table3

    labels = [f"第{i}项其他事项说明" for i in range(5000)]
    assert table3.match_table3(labels, None) is None
    # the rightmost labels are tried: a row label beside its values is still found
    assert table3.match_table3([*labels, "（一）予以公开"], None) is not None
