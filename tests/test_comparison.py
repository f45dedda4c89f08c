"""gd.diff and `gov-disclosure diff`: changed cells, indicators, text similarity (issue 15)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import attrs
import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure.cli import main
from gov_disclosure.rendering.comparison import diff_to_html
from gov_disclosure.strategies import arbitrary_reports

from .conftest import FEES_REPORTED, seed_last_year


def _pair(sample: gd.Report) -> tuple[gd.Report, gd.Report]:
    """Last year's report (2022) and this year's (the seed), carried over consistently."""
    this = attrs.evolve(sample, other_matters=FEES_REPORTED)
    last = seed_last_year(
        this, requests__new_received__natural_person=100, requests__new_received__total=100
    )
    return last, this


def test_changed_cells_with_old_new_and_change(sample: gd.Report) -> None:
    last, this = _pair(sample)
    result = gd.diff(last, this)
    changed = {c.address: (c.old, c.new, c.change) for c in result.cells}
    assert changed["requests.new_received.total"] == (100, 116, 16)
    assert changed["requests.carried_forward.total"] == (3, 8, 5)
    assert "requests.carried_over.total" not in changed  # same in both
    assert len(result.cells) == 6
    assert result.cells[0].labels[0].startswith("二、")  # template order, table 2 first


def test_blank_unread_and_absent_are_changes_of_state(sample: gd.Report) -> None:
    granted = "requests.outcomes.granted.natural_person"
    blank = gd.with_cell(sample, granted, None)
    unread = attrs.evolve(blank, unread={granted: "illegible"})
    [change] = [c for c in gd.diff(blank, unread).cells]
    assert (change.old_status, change.new_status, change.change) == ("blank", "unread", None)
    zero = gd.with_cell(sample, "requests.outcomes.withheld.state_secret.total", 0)
    [change] = gd.diff(sample, zero).cells  # blank -> 0 is a change, not "no change"
    assert (change.old, change.new, change.old_status) == (None, 0, "blank")
    legacy = gd.read_document(
        Path(__file__).parent.parent / "conformance/2019/valid/pingtan-2019.json"
    )
    statuses = {(c.old_status, c.new_status) for c in gd.diff(legacy, sample).cells}
    assert ("absent", "value") in statuses and ("value", "absent") in statuses


def test_indicators_and_text_similarity(sample: gd.Report) -> None:
    last, this = _pair(sample)
    last = attrs.evolve(last, overview="另一段文字，" * 20)
    result = gd.diff(last, this)
    [concluded] = [i for i in result.indicators if i.name == "requests_concluded_share"]
    assert concluded.new == Decimal("0.9328") and concluded.change is not None
    sections = {s.name: s for s in result.sections}
    assert sections["problems_and_improvements"].similarity == 1.0
    assert sections["problems_and_improvements"].shared  # the longest shared passage
    assert sections["overview"].similarity is not None and sections["overview"].similarity < 0.1


def test_cross_year_findings_only_for_consecutive_years(sample: gd.Report) -> None:
    last, this = _pair(sample)
    result = gd.diff(last, this)
    assert result.cross_year
    # parts 一 and 五 are word for word last year's: copied text (by part, and by sentence
    # over the whole text); the carry-over holds
    assert [(f.rule, f.addresses[0]) for f in result.findings] == [
        ("cross_year.text_repeated", "overview"),
        ("cross_year.text_repeated", "problems_and_improvements"),
        ("cross_year.sentences_reused", "overview"),
    ]
    broken = gd.with_cell(last, "requests.carried_forward.total", 4)
    assert "cross_year.carry_over" in [f.rule for f in gd.diff(broken, this).findings]
    versions = gd.diff(this, gd.with_cell(this, "requests.new_received.total", 117))
    assert not versions.cross_year and versions.findings == ()


def test_diff_refuses_what_is_not_a_report(sample: gd.Report) -> None:
    with pytest.raises(TypeError, match="as new, got dict"):
        gd.diff(sample, gd.to_dict(sample))  # type: ignore[arg-type]


def test_to_dict_and_to_text(sample: gd.Report) -> None:
    last, this = _pair(sample)
    data = json.loads(json.dumps(gd.diff(last, this).to_dict()))
    assert data["old"]["year"] == 2022 and data["new"]["year"] == 2023
    [received] = [c for c in data["cells"] if c["address"] == "requests.new_received.total"]
    assert received == {
        "address": "requests.new_received.total",
        "labels": [
            "三、收到和处理政府信息公开申请情况",
            "一、本年新收政府信息公开申请数量",
            "总计",
        ],
        "old": 100,
        "new": 116,
        "old_status": "value",
        "new_status": "value",
        "change": 16,
    }
    text = gd.diff(last, this).to_text()
    assert "[requests.new_received.total]: 100 → 116 (+16)" in text
    assert "cross_year.text_repeated" in text


@settings(max_examples=30, deadline=None)
@given(arbitrary_reports("2021"), st.data())
def test_a_report_has_no_diff_with_itself_and_one_per_changed_cell(
    report: gd.Report, data: st.DataObject
) -> None:
    assert gd.diff(report, report).cells == ()
    address = data.draw(
        st.sampled_from([c.address for c in gd.cells(report) if c.info.kind == "count"])
    )
    old = gd.get_cell(report, address)
    changed = gd.with_cell(report, address, (old or 0) + 1)
    [change] = gd.diff(report, changed).cells
    assert change.address == address and change.new == (old or 0) + 1


def test_html_page_marks_changed_cells_on_both_sides(sample: gd.Report) -> None:
    last, this = _pair(sample)
    page = lxml.html.fromstring(diff_to_html(gd.diff(last, this)))
    marked = page.xpath('//td[contains(@class, "gd-changed")]')
    # 6 changed cells, each marked in the old and in the new report
    assert len(marked) == 12
    assert {td.get("data-address") for td in marked} == {
        c.address for c in gd.diff(last, this).cells
    }
    assert len(page.xpath('//tr[@class="gd-changed-row"]')) == 6
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids))  # the two reports' cells keep distinct ids
    [title] = page.xpath(
        '//td[@data-address="requests.new_received.total" and @id="new-gd-requests-new_received-total"]/@title'
    )
    assert "100 → 116" in title


def test_cli_diff_text_json_and_html(sample: gd.Report, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    last, this = _pair(sample)
    old, new = tmp_path / "2022.json", tmp_path / "2023.json"
    old.write_text(gd.dumps(last), encoding="utf-8")
    new.write_text(gd.dumps(this), encoding="utf-8")
    assert main(["diff", str(old), str(new)]) == 0
    assert "100 → 116 (+16)" in capsys.readouterr().out
    assert main(["diff", str(old), str(new), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["cells"]) == 6 and data["cross_year"] is True
    assert main(["diff", str(old), str(new), "-o", str(tmp_path / "d.html"), "--json"]) == 0
    written = json.loads(capsys.readouterr().out)
    assert written["to"] == "html" and written["cells"] == 6
    assert "gd-side-by-side" in (tmp_path / "d.html").read_text(encoding="utf-8")
    assert main(["diff", str(old), str(tmp_path / "missing.json")]) == 2


def test_money_differences_are_exact() -> None:
    # issue 25 #10: 28-digit decimal rounding lost the cents of large amounts
    from decimal import Decimal

    fee = "proactive_disclosure.fees.amount_wan_yuan"
    old = gd.with_cell(gd.samples.load(), fee, Decimal("0.000000000001"))
    new = gd.with_cell(
        attrs.evolve(old, year=2024), fee, Decimal("100000000000000000000002.020000000002")
    )
    change = next(c for c in gd.diff(old, new).cells if c.address == fee)
    assert change.change == Decimal("100000000000000000000002.020000000001")


def test_redline_tokens_are_cjk_characters_and_digit_runs() -> None:
    from gov_disclosure.comparison import redline

    pieces = redline(
        "2022年共受理申请95件，均按时答复。", "2023年共受理申请116件，均在法定期限内答复。"
    )
    assert pieces == (
        ("delete", "2022"),
        ("insert", "2023"),
        ("equal", "年共受理申请"),
        ("delete", "95"),
        ("insert", "116"),
        ("equal", "件，均"),
        ("delete", "按时"),
        ("insert", "在法定期限内"),
        ("equal", "答复。"),
    )
    # the pieces rebuild both texts
    old = "".join(t for op, t in pieces if op != "insert")
    new = "".join(t for op, t in pieces if op != "delete")
    assert (old, new) == (
        "2022年共受理申请95件，均按时答复。",
        "2023年共受理申请116件，均在法定期限内答复。",
    )


def test_redline_is_bounded() -> None:
    from gov_disclosure.comparison import REDLINE_LIMIT, redline

    assert redline("字" * (REDLINE_LIMIT + 1), "字") is None


def test_the_diff_page_redlines_each_text_part_and_escapes_it() -> None:
    from gov_disclosure.rendering.comparison import diff_to_html

    this = gd.samples.load()
    last = attrs.evolve(
        this,
        year=2022,
        overview="<b>旧</b>文字：本年共受理申请95件。",
        other_matters=None,
    )
    this = attrs.evolve(this, overview="<b>旧</b>文字：本年共受理申请116件，全部按时答复。")
    html = diff_to_html(gd.diff(last, this))
    assert '<p class="gd-redline" data-part="overview">' in html
    assert "<del>95</del><ins>116</ins>" in html
    assert "<ins>，全部按时答复</ins>" in html
    assert "&lt;b&gt;旧&lt;/b&gt;" in html and "<b>旧</b>" not in html
    assert "2022年报告无此部分" in html  # part 六 only in this year's report
    assert (
        "gd-redline" not in diff_to_html(gd.diff(last, this), redlines=False).split("</style>")[1]
    )


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="年月日申请件12３,. 公开\n", max_size=60),
    st.text(alphabet="年月日申请件12３,. 公开\n", max_size=60),
)
def test_a_redline_rebuilds_both_texts(old: str, new: str) -> None:
    from gov_disclosure.comparison import redline

    pieces = redline(old, new)
    assert pieces is not None
    assert "".join(t for op, t in pieces if op != "insert") == old
    assert "".join(t for op, t in pieces if op != "delete") == new
    assert all(text for _, text in pieces)  # no empty piece
