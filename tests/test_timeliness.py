"""Timeliness (issue 29 #1): the publication date, where the parsers find it, and its rules."""

from __future__ import annotations

import datetime
import json

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure.cli import main
from gov_disclosure.strategies import reports, reports_breaking

from .conftest import REPO

REPORTS = REPO / "tests" / "corpus" / "reports"


@pytest.mark.parametrize(
    ("file", "published", "note", "location"),
    [
        # the crawler header's 发布时间 line
        ("pingtan-2019.txt", datetime.date(2020, 1, 20), "发布时间", "line 2"),
        ("pingtan-2022.txt", datetime.date(2023, 2, 20), "发布时间", "line 2"),
        # the signature date closing the report (落款)
        ("shuyang-county-2025.txt", datetime.date(2026, 1, 23), "落款", "line 189"),
        # ... not the page header's "today" widget (2025年12月30日 星期二)
        ("shuyang-fgj-2023.html", datetime.date(2024, 1, 17), "落款", "(line 1203)"),
    ],
)
def test_the_parsers_find_the_publication_date_and_say_where(
    file: str, published: datetime.date, note: str, location: str
) -> None:
    result = gd.parse(REPORTS / file)
    assert result.report.published == published
    assert result.published_from is not None
    assert result.published_from.note == note
    assert result.published_from.location.endswith(location)
    [said] = [d for d in result.diagnostics if d.code == "published"]
    assert published.isoformat() in said.message and said.severity == "info"


@pytest.mark.parametrize(
    "file", ["liuzhou-gov-office-2023.txt", "shanghai-stcsm-2024.md", "hongze-district-2024.pdf"]
)
def test_a_report_that_prints_no_date_has_none(file: str) -> None:
    result = gd.parse(REPORTS / file)
    assert result.report.published is None and result.published_from is None
    assert not [d for d in result.diagnostics if d.code == "published"]


def _seed_text(ending: str, *, head: str = "") -> str:
    seed = (REPO / "src/gov_disclosure/samples/liuzhou-2023.txt").read_text(encoding="utf-8")
    return head + seed.rstrip().removesuffix("—2—").rstrip() + "\n" + ending + "\n"


@pytest.mark.parametrize(
    ("ending", "head", "expected", "note"),
    [
        ("柳州市人民政府办公室\n二〇二四年一月十七日", "", datetime.date(2024, 1, 17), "落款"),
        ("柳州市人民政府办公室\n2024年3月31日", "", datetime.date(2024, 3, 31), "落款"),
        ("", "成文日期：2024年4月2日\n", datetime.date(2024, 4, 2), "成文日期"),
        # both printed: the publication date wins over the signature
        (
            "",
            "成文日期：2024-01-10\n发布日期：2024-01-25\n",
            datetime.date(2024, 1, 25),
            "发布日期",
        ),
    ],
)
def test_dates_in_the_text(ending: str, head: str, expected: datetime.date, note: str) -> None:
    result = gd.parse_text(_seed_text(ending, head=head))
    assert result.report.published == expected
    assert result.published_from is not None and result.published_from.note == note


@pytest.mark.parametrize(
    "ending",
    [
        "柳州市人民政府办公室\n2023年6月30日",  # inside the report's own year: not a publication
        "柳州市人民政府办公室\n2024年2月30日",  # no such day
        "对成文日期、发布日期等要素进行规范标注，2024年1月17日完成。",  # prose, no label
        f"柳州市人民政府办公室\n{datetime.date.today().year + 1}年1月5日",  # in the future
    ],
)
def test_what_is_not_a_publication_date(ending: str) -> None:
    assert gd.parse_text(_seed_text(ending)).report.published is None


def test_a_late_report_draws_a_warning_with_the_days() -> None:
    sample = gd.samples.load()  # 2023: the deadline is 2024-03-31
    on_time = attrs.evolve(sample, published=datetime.date(2024, 3, 31))
    assert not [f for f in gd.check(on_time).findings if f.rule.startswith("timeliness")]
    late = attrs.evolve(sample, published=datetime.date(2024, 4, 10))
    [finding] = [f for f in gd.check(late).findings if f.rule.startswith("timeliness")]
    assert (finding.rule, finding.severity) == ("timeliness.late_publication", "warning")
    assert finding.addresses == ("published",)
    assert "2024-04-10" in finding.message["zh"] and "逾期10天" in finding.message["zh"]
    assert "10 day(s) after the deadline of 2024-03-31" in finding.message["en"]
    assert gd.check(late).ok  # a warning: the report itself is consistent


def test_an_unknown_date_is_said_only_when_asked() -> None:
    sample = gd.samples.load()
    assert sample.published is None
    assert "timeliness.date_unknown" not in {f.rule for f in gd.check(sample).findings}
    [finding] = gd.check(sample, select=["timeliness.date_unknown"]).findings
    assert finding.severity == "info" and "2024-03-31" in finding.message["en"]
    dated = attrs.evolve(sample, published=datetime.date(2024, 1, 5))
    assert gd.check(dated, select=["timeliness.date_unknown"]).findings == ()


def test_rules_json_marks_the_rule_that_runs_only_when_selected() -> None:
    rules = {r["id"]: r for r in gd.load_rules("2021")["rules"]}
    assert rules["timeliness.date_unknown"]["default"] is False
    assert rules["timeliness.late_publication"]["default"] is True
    assert "timeliness" in gd.load_rules("2019")["semantics"]


@settings(max_examples=40, deadline=None)
@given(reports_breaking("timeliness.late_publication"))
def test_late_reports_break_exactly_the_timeliness_rule(report: gd.Report) -> None:
    assert {f.rule for f in gd.check(report).findings} == {"timeliness.late_publication"}


@settings(max_examples=40, deadline=None)
@given(reports(), st.data())
def test_the_date_survives_json_and_xml(report: gd.Report, data: st.DataObject) -> None:
    day = data.draw(st.dates(datetime.date(2019, 1, 1), datetime.date(2100, 12, 31)))
    dated = attrs.evolve(report, published=day)
    assert gd.loads(gd.dumps(dated)).published == day
    assert gd.from_xml(gd.to_xml(dated)).published == day


def test_check_command_line(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    late = attrs.evolve(gd.samples.load(), published=datetime.date(2024, 5, 1))
    path = tmp_path / "late.json"
    path.write_text(gd.dumps(late), encoding="utf-8")
    assert main(["check", str(path), "--json", "--select", "timeliness.late_publication"]) == 0
    [line] = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [f["rule"] for f in line["findings"]] == ["timeliness.late_publication"]


def test_select_and_ignore_on_the_command_line(
    tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "undated.json"
    path.write_text(gd.dumps(gd.samples.load()), encoding="utf-8")
    assert main(["check", str(path), "--json", "--select", "timeliness.date_unknown"]) == 0
    [line] = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [f["rule"] for f in line["findings"]] == ["timeliness.date_unknown"]
    # the same through the worker pool, and --ignore
    assert (
        main(
            [
                "check",
                str(path),
                str(path),
                "--json",
                "--jobs",
                "2",
                "--ignore",
                "narrative.fees_not_reported",
            ]
        )
        == 0
    )
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [f["rule"] for x in lines for f in x["findings"]] == []
    with pytest.raises(SystemExit) as exit_info:
        main(["check", str(path), "--select", "timeliness.nope"])
    assert exit_info.value.code == 2
    assert "unknown rule id(s): timeliness.nope" in capsys.readouterr().err
