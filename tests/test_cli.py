"""The gov-disclosure command line."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

import gov_disclosure as gd
from gov_disclosure.cli import main


@pytest.fixture
def sample_json(tmp_path: Path) -> Path:
    path = tmp_path / "liuzhou.json"
    path.write_text(gd.dumps(gd.samples.load()), encoding="utf-8")
    return path


def test_validate_accepts_the_sample(sample_json: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(sample_json)]) == 0
    out = capsys.readouterr().out
    assert "valid (edition 2021, 柳州市人民政府办公室, 2023)" in out


def test_validate_reports_problems_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads(gd.dumps(gd.samples.load()))
    doc["requests"]["outcomes"]["total"]["natural_person"] = -3
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "$.requests.outcomes.total.natural_person: expected an integer from 0 to" in err
    assert (
        "(表三 三、本年度办理结果 / （七）总计 / 自然人)" in err
    )  # the cell's printed place, from its address
    assert main(["validate", str(bad), "--json"]) == 1
    [record] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    [problem] = record["problems"]
    assert problem["address"] == "requests.outcomes.total.natural_person"
    assert problem["location"] == "表三 三、本年度办理结果 / （七）总计 / 自然人"
    assert (problem["line"], problem["column"]) == (None, None)  # JSON problems have a path


def test_validate_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_validate_reads_stdin(
    sample_json: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(sample_json.read_bytes()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["validate", "-"]) == 0
    assert "-: valid" in capsys.readouterr().out


@pytest.mark.parametrize("edition", ["2021", "2019"])
def test_schema_prints_the_edition_schema(edition: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--edition", edition]) == 0
    assert json.loads(capsys.readouterr().out) == gd.json_schema(edition)


def test_console_script_is_installed_and_has_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gov_disclosure.cli", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "validate" in result.stdout
    for command in ("validate", "schema"):
        sub = subprocess.run(
            [sys.executable, "-m", "gov_disclosure.cli", command, "--help"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert sub.returncode == 0 and "usage:" in sub.stdout


def test_bad_command_line_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["schema", "--edition", "1999"])
    assert info.value.code == 2


def test_validate_builtin_sample(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--sample", "liuzhou-2023"]) == 0
    assert "sample:liuzhou-2023: valid" in capsys.readouterr().out


def test_validate_unknown_sample_or_nothing_is_a_usage_error() -> None:
    for argv in (["validate", "--sample", "nowhere-1999"], ["validate"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2


def test_utf16_json_with_a_bom_is_json_for_every_command(tmp_path: Path) -> None:
    # issue 25 #9: every command said "not well-formed XML" while gd.loads read it
    report = gd.samples.load()
    path = tmp_path / "utf16.json"
    path.write_bytes(gd.dumps(report).encode("utf-16"))
    assert main(["validate", str(path)]) == 0
    assert main(["check", str(path), "--quiet"]) == 0
    out = tmp_path / "out.xml"
    assert main(["convert", str(path), "-o", str(out)]) == 0
    assert gd.from_xml(out.read_bytes()) == report
    xml16 = tmp_path / "utf16.xml"
    xml16.write_bytes(gd.to_xml(report).decode().replace("UTF-8", "UTF-16").encode("utf-16"))
    assert main(["validate", str(xml16)]) == 0


def test_render_and_convert_have_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # issue 26 #4: render FILE without -o/--to is HTML on stdout; convert, the other format
    source = tmp_path / "r.json"
    source.write_text(gd.dumps(gd.samples.load()), encoding="utf-8")
    assert main(["render", str(source)]) == 0
    assert capsys.readouterr().out.lstrip().startswith("<!DOCTYPE html>")
    assert main(["convert", str(source)]) == 0
    xml = capsys.readouterr().out
    assert xml.startswith("<?xml")
    (tmp_path / "r.xml").write_text(xml, encoding="utf-8")
    assert main(["convert", str(tmp_path / "r.xml")]) == 0
    assert gd.loads(capsys.readouterr().out) == gd.samples.load()


def test_diff_speaks_the_language_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # issue 26 #8: diff --lang en printed Chinese findings
    old = gd.with_cell(gd.samples.load(), "requests.carried_forward.total", 9)
    old = attrs.evolve(old, year=2022)
    (tmp_path / "old.json").write_text(gd.dumps(old), encoding="utf-8")
    (tmp_path / "new.json").write_text(gd.dumps(gd.samples.load()), encoding="utf-8")
    main(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "--lang", "en"])
    out = capsys.readouterr().out
    assert "cross_year.carry_over" in out and "carried over" in out


def test_check_quiet_summary_and_unreadable_inputs_follow_the_shared_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # issue 26 §2 #1, #2
    seed = gd.samples.load()
    ok, broken = tmp_path / "ok.json", tmp_path / "broken.json"
    ok.write_text(gd.dumps(seed), encoding="utf-8")
    broken.write_text(
        gd.dumps(gd.with_cell(seed, "requests.new_received.total", 1)), encoding="utf-8"
    )
    assert main(["check", str(ok), str(broken), "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "ok.json" not in out  # nothing for a report that does not fail
    assert "requests.applicant_total" in out and "narrative.fees_not_reported" not in out
    assert "Totals" not in out
    assert main(["check", str(ok), "--summary"]) == 0
    assert "Totals: 1 file(s)" in capsys.readouterr().out
    assert main(["check", str(tmp_path / "missing.json")]) == 2
    captured = capsys.readouterr()
    assert (
        captured.err.strip()
        == f"gov-disclosure: {tmp_path / 'missing.json'}: cannot read: No such file or directory"
    )
    assert captured.out == ""


def test_top_level_help_names_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    # issue 26 §2 #12: the description listed 4 of 8 commands
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    description = out.split("positional arguments")[0]
    for command in ("validate", "check", "parse", "export", "schema", "render", "convert", "diff"):
        assert command in description, command


def test_one_rule_for_published_reports_in_every_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # issue 26 §2 #3: check parsed published files, render/diff/convert said "not valid JSON"
    from .conftest import REPORTS

    seed_text = REPORTS / "liuzhou-gov-office-2023.txt"
    assert main(["render", str(seed_text), "--to", "text"]) == 0
    assert "116" in capsys.readouterr().out
    assert main(["convert", str(seed_text), "--to", "json"]) == 0
    assert gd.loads(capsys.readouterr().out).requests.new_received.total == 116
    assert main(["diff", str(seed_text), str(seed_text)]) == 0
    capsys.readouterr()
    assert main(["validate", str(seed_text)]) == 1
    assert "run `gov-disclosure parse` first" in capsys.readouterr().err
    folder = tmp_path / "published"
    folder.mkdir()
    (folder / "r.txt").write_bytes(seed_text.read_bytes())
    assert main(["check", str(folder)]) == 2
    assert "no .json/.xml report documents found" in capsys.readouterr().err
