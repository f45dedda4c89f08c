"""Reuse measured by sentence, boilerplate left out (issue 29 #3)."""

from __future__ import annotations

import attrs
import pytest

import gov_disclosure as gd
from gov_disclosure.rules.prose import BOILERPLATE, sentence_reuse

from .conftest import REPO

REPORTS = REPO / "tests" / "corpus" / "reports"

LAST_YEAR = (
    "2022年，我区以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》。"
    "全年主动公开政府信息1200条，其中政策文件86件。"
    "我区完善了政务公开目录，优化了依申请公开办理流程。"
    "全年共受理政府信息公开申请95件，均在法定期限内答复。"
    "加强政策解读，发布图文解读35篇。"
)


def _this_year(copied: int) -> str:
    """This year's text: the first ``copied`` sentences of last year's (figures changed)."""
    sentences = [s + "。" for s in LAST_YEAR.replace("2022", "2023").split("。") if s]
    new = [
        "今年重点推进基层政务公开标准化规范化建设，编制完成乡镇公开事项清单。",
        "开展政务公开培训三次，覆盖全区各部门和乡镇街道工作人员。",
        "建成政策文件库并实现按主题检索。",
    ]
    return "".join(sentences[:copied] + new[: 5 - copied])


def test_the_share_is_length_weighted_figures_folded_and_boilerplate_left_out() -> None:
    reuse = sentence_reuse(_this_year(5), LAST_YEAR)
    # every sentence repeated with new figures; the one with the political formula left out
    assert reuse.share == 1.0 and reuse.excluded == 1 and reuse.sentences == 4
    partial = sentence_reuse(_this_year(2), LAST_YEAR)
    assert 0 < partial.share < 0.5 and len(partial.matched) == 1
    # a user's own boilerplate: that sentence no longer counts on either side
    mine = sentence_reuse(_this_year(5), LAST_YEAR, boilerplate=(*BOILERPLATE, "加强政策解读"))
    assert mine.sentences == 3 and mine.excluded == 2


def _pair(copied: int) -> tuple[gd.Report, gd.Report]:
    # only part 一 differs between the two years (the sample's other parts left out)
    sample = attrs.evolve(gd.samples.load(), problems_and_improvements=None, other_matters=None)
    before = attrs.evolve(sample, year=2022, overview=LAST_YEAR)
    return attrs.evolve(sample, overview=_this_year(copied)), before


def test_a_report_reusing_most_sentences_draws_the_warning() -> None:
    report, before = _pair(5)
    [finding] = [
        f for f in gd.check(report, before).findings if f.rule == "cross_year.sentences_reused"
    ]
    assert finding.severity == "warning"
    assert "100%" in finding.message["zh"] and "4-gram resemblance" in finding.message["en"]
    assert "boilerplate sentence(s) left out" in finding.message["en"]
    report, before = _pair(2)
    assert "cross_year.sentences_reused" not in {f.rule for f in gd.check(report, before).findings}


def test_check_takes_extra_boilerplate() -> None:
    report, before = _pair(5)
    extra = ["主动公开政府信息", "政务公开目录", "政府信息公开申请", "加强政策解读"]
    rules = {f.rule for f in gd.check(report, before, boilerplate=extra).findings}
    assert "cross_year.sentences_reused" not in rules  # nothing left to compare


@pytest.mark.parametrize(("now", "before"), [("2022", "2021"), ("2025", "2024")])
def test_consecutive_corpus_reports_are_not_flagged(now: str, before: str) -> None:
    current = gd.parse(REPORTS / f"pingtan-{now}.txt").report
    previous = gd.parse(REPORTS / f"pingtan-{before}.txt").report
    rules = {f.rule for f in gd.check(current, previous).findings}
    assert "cross_year.sentences_reused" not in rules


def test_rules_json_carries_the_measure_and_the_boilerplate() -> None:
    reuse = gd.load_rules("2021")["text"]["sentence_reuse"]
    assert reuse["boilerplate"] == list(BOILERPLATE) and reuse["default_threshold"] == 0.5


def test_boilerplate_file_on_the_command_line(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from gov_disclosure.cli import main

    report, before = _pair(5)
    (tmp_path / "this.json").write_text(gd.dumps(report), encoding="utf-8")
    (tmp_path / "last.json").write_text(gd.dumps(before), encoding="utf-8")
    phrases = tmp_path / "phrases.txt"
    phrases.write_text(
        "# our province's fixed sentences\n主动公开政府信息\n政务公开目录\n\n"
        "政府信息公开申请\n加强政策解读\n",
        encoding="utf-8",
    )
    argv = ["check", str(tmp_path / "this.json"), "--previous", str(tmp_path / "last.json")]
    main([*argv, "--json"])
    [line] = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert "cross_year.sentences_reused" in {f["rule"] for f in line["findings"]}
    main([*argv, "--json", "--boilerplate", str(phrases)])
    [line] = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert "cross_year.sentences_reused" not in {f["rule"] for f in line["findings"]}
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\xfa")
    assert main([*argv, "--boilerplate", str(tmp_path / "bad.txt")]) == 2
    assert "not UTF-8 text" in capsys.readouterr().err


def test_a_boilerplate_file_is_bounded(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    from gov_disclosure.cli import main

    path = tmp_path / "r.json"
    path.write_text(gd.dumps(gd.samples.load()), encoding="utf-8")
    many = tmp_path / "many.txt"
    many.write_text("\n".join(f"短语{i}" for i in range(1_001)), encoding="utf-8")
    assert main(["check", str(path), "--boilerplate", str(many)]) == 2
    assert "line 1001: at most 1000 phrases of at most 200 characters" in capsys.readouterr().err
    long = tmp_path / "long.txt"
    long.write_text("字" * 201, encoding="utf-8")
    assert main(["check", str(path), "--boilerplate", str(long)]) == 2
    assert "line 1: at most 1000 phrases" in capsys.readouterr().err
