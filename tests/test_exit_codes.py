"""One table of exit codes, the same for every command, through the real console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

import gov_disclosure as gd
from gov_disclosure.cli import main

from .conftest import REPO, REPORTS

SCRIPT = str(Path(sys.executable).parent / "gov-disclosure")


def _run(*argv: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SCRIPT, *argv],
        input=stdin.decode() if stdin else None,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("docs")
    # the seed's part 六 says only "无": with the fees reported it draws no finding at all
    sample = attrs.evolve(gd.samples.load(), other_matters="本年度未收取信息处理费。")
    good = folder / "good.json"
    good.write_text(gd.dumps(sample), encoding="utf-8")
    invalid = folder / "invalid.json"  # "total":"116": read, but not a valid report
    text = gd.dumps(sample)
    assert '"total":116' in text
    invalid.write_text(text.replace('"total":116', '"total":"116"', 1), encoding="utf-8")
    inconsistent = folder / "inconsistent.json"
    inconsistent.write_text(
        gd.dumps(gd.with_cell(sample, "requests.outcomes.total.total", 1)), encoding="utf-8"
    )
    notes = folder / "notes.txt"
    notes.write_text("只是一段文字，没有表格。", encoding="utf-8")
    return {
        "good": good,
        "invalid": invalid,
        "inconsistent": inconsistent,
        "notes": notes,
        "missing": folder / "missing.json",
        "out": folder,
    }


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["validate", "{good}"], 0),
        (["validate", "{invalid}"], 1),
        (["validate", "{missing}"], 2),
        (["check", "{good}"], 0),
        (["check", "{invalid}"], 1),
        (["check", "{inconsistent}"], 1),
        (["check", "{missing}"], 2),
        (["convert", "{good}", "--to", "xml"], 0),
        (["convert", "{invalid}", "--to", "xml"], 1),
        (["convert", "{missing}", "--to", "xml"], 2),
        (["render", "{good}", "--to", "html"], 0),
        (["render", "{invalid}", "--to", "html"], 1),
        (["render", "{missing}", "--to", "html"], 2),
        (["export", "{good}", "-o", "{out}/c.csv"], 0),
        (["export", "{invalid}", "-o", "{out}/c.csv"], 1),
        (["export", "{missing}", "-o", "{out}/c.csv"], 2),
        (["export", "{good}", "-o", "{out}/c.xls"], 2),
        (["parse", str(REPORTS / "liuzhou-gov-office-2023.txt"), "--quiet"], 0),
        (["parse", "{notes}", "--quiet"], 1),
        (["parse", "{missing}", "--quiet"], 2),
        (["schema", "--edition", "2019"], 0),
        (["check", "--no-such-option"], 2),
        (["check", "{good}", "--fail-on", "bogus"], 2),
    ],
)
def test_exit_code(files: dict[str, Path], argv: list[str], code: int) -> None:
    done = _run(*(a.format(**files) for a in argv))
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    if (
        code == 2
        and argv[0] in ("validate", "check", "convert", "render", "export", "parse")
        and "{missing}" in argv
    ):
        assert "No such file or directory" in (done.stderr + done.stdout) or "no such file" in (
            done.stderr + done.stdout
        )


def test_invalid_value_is_reported_with_its_printed_location(files: dict[str, Path]) -> None:
    done = _run("validate", str(files["invalid"]))
    assert "$.requests.new_received.total" in done.stderr
    assert "表三 一、本年新收政府信息公开申请数量 / 总计" in done.stderr


def test_usage_errors_show_the_sub_command_usage() -> None:
    done = _run("export", str(REPO / "README.md"))
    assert done.returncode == 2 and done.stderr.startswith("usage: gov-disclosure export")


def test_stdin_is_dash_everywhere(files: dict[str, Path]) -> None:
    data = files["good"].read_bytes()
    assert _run("validate", "-", stdin=data).returncode == 0
    assert _run("check", "-", stdin=data).returncode == 0
    assert _run("convert", "-", "--to", "xml", stdin=data).stdout.startswith("<?xml")
    assert "<table" in _run("render", "-", "--to", "html", stdin=data).stdout
    text = (REPORTS / "liuzhou-gov-office-2023.txt").read_bytes()
    assert '"format": "2021"' in _run("parse", "-", "--quiet", stdin=text).stdout


def test_python_dash_m_is_the_same_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gov_disclosure", "check", "--sample", "liuzhou-2023"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and "ok" in done.stdout


def test_export_formats_follow_the_ending_case_insensitively(files: dict[str, Path]) -> None:
    out = files["out"]
    assert _run("export", str(files["good"]), "-o", str(out / "C.JSONL")).returncode == 0
    assert (out / "C.JSONL").read_text(encoding="utf-8").startswith('{"file"')
    assert _run("export", str(files["good"]), "-o", str(out / "c.txt")).returncode == 2
    assert _run("export", str(files["good"]), "-o", str(out / "x.csv"), "--excel").returncode == 0
    assert (out / "x.csv").read_bytes().startswith(b"\xef\xbb\xbffile,agency")
    assert _run("export", str(files["good"]), "-o", str(out / "c.xls")).returncode == 2
    assert not (out / "c.xls").exists()


def test_progress_bar_on_a_terminal_keeps_messages_on_their_own_lines(tmp_path: Path) -> None:
    import fcntl
    import os
    import pty
    import struct
    import termios

    main_fd, child_fd = pty.openpty()
    fcntl.ioctl(child_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
    process = subprocess.Popen(
        [SCRIPT, "parse", str(REPORTS), "-o", str(tmp_path / "out"), "--jobs", "2"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=child_fd,
    )
    os.close(child_fd)
    chunks = []
    while True:  # read as it is written: a full pty buffer would block the command
        try:
            chunk = os.read(main_fd, 65536)
        except OSError:  # EIO: every writer has closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main_fd)
    done = subprocess.CompletedProcess(process.args, process.wait(timeout=120))
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert done.returncode == 1  # the pre-2019 report in the corpus is not a supported report
    assert "file/s" in screen  # a tqdm bar was drawn
    lines = [line.split("\r")[-1] for line in screen.replace("\r\n", "\n").split("\n")]
    messages = [line for line in lines if "pingtan-2018-legacy.txt:" in line]
    assert messages and all("file/s" not in line for line in messages)


def test_no_progress_bar_when_not_on_a_terminal(tmp_path: Path) -> None:
    done = _run("parse", str(REPORTS), "-o", str(tmp_path / "out"), "--quiet")
    assert "file/s" not in done.stderr and "\r" not in done.stderr


def test_validate_json_output(files: dict[str, Path]) -> None:
    done = _run("validate", "--json", str(files["good"]), str(files["invalid"]))
    assert done.returncode == 1
    good, bad = (__import__("json").loads(line) for line in done.stdout.splitlines())
    assert good == {
        "file": str(files["good"]),
        "valid": True,
        "edition": "2021",
        "agency": "柳州市人民政府办公室",
        "year": 2023,
        "problems": [],
    }
    assert bad["valid"] is False
    assert bad["problems"][0]["path"] == "$.requests.new_received.total"
    assert bad["problems"][0]["location"] == "表三 一、本年新收政府信息公开申请数量 / 总计"


COMMANDS = ["validate", "check", "parse", "export", "render", "convert", "schema"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_takes_the_common_options(command: str) -> None:
    shown = _run(command, "--help").stdout
    for option in ("--json", "--quiet", "--summary", "--lang"):
        assert option in shown, (command, option)


def test_json_output_on_every_command(files: dict[str, Path], tmp_path: Path) -> None:
    import json

    good, seed = str(files["good"]), str(REPORTS / "liuzhou-gov-office-2023.txt")

    def one(*argv: str) -> dict[str, object]:
        done = _run(*argv, "--json")
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        assert len(lines) == 1, lines
        data: dict[str, object] = json.loads(lines[0])
        return data

    assert one("validate", good)["valid"] is True
    assert one("check", good)["ok"] is True
    parsed = one("parse", seed, "-o", str(tmp_path / "parsed"))
    assert parsed["ok"] is True and parsed["year"] == 2023 and parsed["unread"] == {}
    assert Path(str(parsed["output"])).is_file()
    exported = one("export", good, "-o", str(tmp_path / "cells.csv"))
    assert exported["cells"] == 200 and exported["failed"] == 0
    rendered = one("render", good, "-o", str(tmp_path / "r.html"))
    assert rendered["to"] == "html" and Path(str(rendered["output"])).is_file()
    converted = one("convert", good, "-o", str(tmp_path / "r.xml"))
    assert converted["to"] == "xml"
    schema = one("schema", "--to", "xsd")
    assert schema["kind"] == "xsd" and str(schema["content"]).startswith("<?xml")
    # a command that writes a document to stdout cannot also print JSON there
    done = _run("convert", good, "--to", "xml", "--json")
    assert done.returncode == 2 and "give -o" in done.stderr


def test_quiet_prints_only_what_went_wrong(files: dict[str, Path], tmp_path: Path) -> None:
    good, inconsistent = str(files["good"]), str(files["inconsistent"])
    done = _run("check", good, inconsistent, "--quiet")
    assert done.returncode == 1
    assert "inconsistent" in done.stdout and "good.json" not in done.stdout
    assert "Totals" not in done.stdout
    done = _run("validate", good, good, "--quiet")
    assert done.returncode == 0 and not done.stdout and not done.stderr
    done = _run("export", good, "-o", str(tmp_path / "c.csv"), "--quiet")
    assert done.returncode == 0 and not done.stderr


def test_summary_and_lang_mean_the_same_everywhere(files: dict[str, Path]) -> None:
    good, inconsistent = str(files["good"]), str(files["inconsistent"])
    assert "Summary: 1 document(s): 1 valid" in _run("validate", good, "--summary").stderr
    english = _run("check", inconsistent, "--lang", "en").stdout
    chinese = _run("check", inconsistent).stdout
    assert english != chinese and "不等于" not in english


def test_a_missing_extra_exits_2_with_the_hint_for_this_installation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # issue 26 §2 #9: it exited 1 (invalid) and named the package index from a clone
    import sys

    from gov_disclosure.optional import install_hint

    monkeypatch.setitem(sys.modules, "pdfplumber", None)  # import_module raises ImportError
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert main(["parse", str(pdf)]) == 2
    err = capsys.readouterr().err
    assert install_hint("pdf") in err and "[pdf]" in err


# --- file names that are not UTF-8 --------------------------------------------------------------


@pytest.fixture
def gbk_named(tmp_path: Path) -> Path:
    """A folder whose report files are named in GBK, as on a Windows share: the file system
    gives their names to Python with lone surrogates (surrogateescape)."""
    if sys.platform == "darwin":
        pytest.skip("macOS file systems refuse names that are not UTF-8")
    folder = tmp_path / "reports"
    folder.mkdir()
    sample = (REPO / "conformance" / "2021" / "valid" / "liuzhou-2023.json").read_bytes()
    name = "柳州2023.json".encode("gbk")
    try:
        with open(os.fsencode(folder) + b"/" + name, "wb") as handle:
            handle.write(sample)
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    text = (REPORTS / "liuzhou-gov-office-2023.txt").read_bytes()
    with open(os.fsencode(folder) + b"/" + "柳州.txt".encode("gbk"), "wb") as handle:
        handle.write(text)
    return folder


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "{json}"],
        ["check", "{json}", "--json"],
        ["validate", "{json}"],
        ["validate", "{json}", "--json"],
        ["export", "{json}", "-o", "{out}/cells.csv"],
        ["export", "{json}", "-o", "{out}/cells.jsonl"],
        ["export", "{json}", "-o", "{out}/cells.parquet"],
        ["export", "{json}", "-o", "{out}/cells.xlsx"],
        ["parse", "{txt}", "-o", "{out}/parsed"],
        ["parse", "{txt}", "-o", "{out}/parsed-json", "--json"],
        ["site", "{folder}", "-o", "{out}/site"],
    ],
)
def test_file_names_that_are_not_utf8_never_crash_an_output(
    gbk_named: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
) -> None:
    # capsys' streams are strict UTF-8, as a terminal's are in a UTF-8 locale
    names = sorted(os.listdir(gbk_named))
    json_file = next(str(gbk_named / n) for n in names if n.endswith(".json"))
    txt_file = next(str(gbk_named / n) for n in names if n.endswith(".txt"))
    out = tmp_path / "out"
    out.mkdir()
    filled = [a.format(json=json_file, txt=txt_file, folder=gbk_named, out=out) for a in argv]
    if argv[0] in ("export", "check") and "--jobs" not in filled:
        filled += ["--jobs", "1"]
    if argv[0] == "site":
        pytest.importorskip("vl_convert")
    assert sys.stdout.errors == "strict"
    code = main(filled)
    assert sys.stdout.errors == "strict"  # the caller's stream as it was
    captured = capsys.readouterr()
    assert code == 0, captured.err
    shown = captured.out + captured.err
    if argv[0] in ("check", "validate"):  # the name, its GBK bytes escaped
        assert "\\udcc1\\udcf8\\udcd6\\udcdd2023.json" in shown
    for written in out.rglob("*"):
        if written.suffix in (".csv", ".jsonl", ".json", ".html"):
            written.read_bytes().decode("utf-8")  # every file written is UTF-8


@pytest.mark.parametrize("command", ["validate", "check"])
def test_a_lone_surrogate_in_a_document_key_is_printed_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    # found by fuzzing the command line: an unknown key spelled with \ud800 went into a
    # problem's message, and printing it with --json raised UnicodeEncodeError
    data = json.loads((REPO / "conformance" / "2021" / "valid" / "liuzhou-2023.json").read_text())
    data["agency"]["na\ud800me"] = "x"
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data), encoding="ascii")  # the key as a \ud800 escape
    for extra in ([], ["--json"]):
        code = main([command, str(path), *extra])
        captured = capsys.readouterr()
        assert code == 1, captured.err
        assert "na\\ud800me" in captured.out + captured.err
        if extra:
            printed = json.loads(captured.out.splitlines()[0])
            assert "na\ud800me" in json.dumps(printed, ensure_ascii=False)
