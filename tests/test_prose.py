"""The prose rules: text vs table, required content, copied text (issue 15)."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure.rules.prose import (
    CLAIMS,
    compact,
    comparable,
    extract_claims,
    longest_shared,
    resemblance,
    similarity,
)
from gov_disclosure.strategies import reports

from .conftest import FEES_REPORTED, REPORTS, expected_names, expected_report, seed_last_year

FEES = FEES_REPORTED
PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture
def clean(sample: gd.Report) -> gd.Report:
    """The seed with part 六 reporting the fees: no finding at all."""
    return attrs.evolve(sample, other_matters=FEES)


def _rules(report: gd.Report, previous: gd.Report | None = None) -> list[str]:
    return [f.rule for f in gd.check(report, previous=previous)]


def _source(name: str) -> gd.Report:
    [path] = [p for p in REPORTS.iterdir() if p.stem == name]
    return gd.parse(path).report


# --- text vs table -----------------------------------------------------------------------


def test_the_overview_that_says_120_while_table_3_says_116(clean: gd.Report) -> None:
    report = attrs.evolve(
        clean, overview="2023年，我办共收到政府信息公开申请120件。" + clean.overview
    )
    [finding] = gd.check(report).findings
    assert finding.rule == "text.table_mismatch" and finding.severity == "warning"
    assert finding.addresses == ("requests.new_received.total",)
    assert (finding.stated, finding.computed, finding.difference) == (120, 116, 4)
    assert "收到政府信息公开申请120件" in finding.message["zh"]  # the sentence is quoted
    assert "一、本年新收政府信息公开申请数量" in finding.message["zh"]  # the cell is named
    assert finding.location["section"] == "一、总体情况"
    assert gd.check(report).ok  # a warning


@pytest.mark.parametrize(
    ("sentence", "claim", "value"),
    [
        ("共收到政府信息公开申请120件", "received", 120),
        ("本年度全区共收到70件申请", "received", 70),
        ("全年受理政府信息公开申请 749 件", "received", 749),
        ("共收到依申请信息公开26件", "received", 26),
        ("上年结转3件", "carried_over", 3),
        ("上年结转政府信息公开申请 2 件", "carried_over", 2),
        ("办结111件", "concluded", 111),
        ("结转下年度继续办理8件", "carried_forward", 8),
        ("结转至2026年6件", "carried_forward", 6),
        ("1件结转下年度继续办理", "carried_forward", 1),
        ("行政复议7件", "administrative_review", 7),
        ("有 1 件涉及政府信息公开工作的行政复议", "administrative_review", 1),
        ("行政诉讼9起", "litigation", 9),
        ("主动公开规章13件", "regulations_issued", 13),
        ("现行有效行政规范性文件698件", "normative_in_force", 698),
        ("共收到政府信息公开申请１２０件", "received", 120),  # full-width digits
        ("共收到政府信息公开\n申请1,200件", "received", 1200),  # a PDF line break
        ("同比增长20%，收到政府信息公开申请120件", "received", 120),  # 同比 in another clause
        # the peers' phrasings (issue 29 #6)
        ("本年新收116件", "received", 116),
        ("本年度新收各类请求9件", "received", 9),
        ("办理结果总计95件", "concluded", 95),
        ("共答复申请人120件", "concluded", 120),
        ("均已答复30件", "concluded", 30),
    ],
)
def test_claims_are_read(sentence: str, claim: str, value: int) -> None:
    [found] = list(extract_claims(sentence + "。", "overview"))
    assert (found.pattern.id, found.value) == (claim, value)


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_every_documented_example_is_read_as_its_claim(claim: object) -> None:
    assert isinstance(claim, type(CLAIMS[0])) and claim.examples
    for example in claim.examples:
        [found] = list(extract_claims(example + "。", "overview"))
        assert found.pattern is claim, example


@pytest.mark.parametrize(
    "sentence",
    [
        "其中自然人申请741件",  # a part
        "收到政府信息公开申请较上年增加12件",  # a change
        "收到政府信息公开申请约120件",  # an estimate
        "收到政府信息公开申请120余件",
        "收到政府信息公开申请100-120件",  # a range
        "全县各部门共收到政府信息公开申请900件",  # other bodies
        "办结率100%",
        "所有办结的信息公开申请中同意公开答复9件",  # 办结 as an adjective
        "全县共办理行政复议、行政诉讼案件74件",  # two kinds at once
        "12345热线共受理群众来电662738件（次）",  # another kind of request
        "受理行政许可申请300件",  # not 信息公开
        "力争办结申请100件",  # a plan
        "2023年度",  # a year
        "依法答复率100%",  # a rate, no count
        "答复期限内办理20件",  # a time limit
        "其中已答复申请人30件",  # a part
    ],
)
def test_ambiguous_figures_are_skipped(sentence: str) -> None:
    assert list(extract_claims(sentence + "。", "overview")) == []


def test_region_wide_figures_are_skipped_for_a_department() -> None:
    text = "2023年，全市共收到政府信息公开申请900件。"
    assert [c.value for c in extract_claims(text, "overview", region_wide=True)] == [900]
    assert list(extract_claims(text, "overview", region_wide=False)) == []


def test_a_department_is_not_compared_with_region_wide_figures(clean: gd.Report) -> None:
    # 柳州市人民政府办公室 is a department: 全市 figures are about the whole city
    report = attrs.evolve(clean, overview="全市共收到政府信息公开申请900件。")
    assert _rules(report) == []
    government = attrs.evolve(report, agency=gd.Agency(name="柳州市人民政府"))
    assert _rules(government) == ["text.table_mismatch"]


def test_blank_and_unread_cells_are_never_compared(clean: gd.Report) -> None:
    text = "上年结转政府信息公开申请5件。"
    report = attrs.evolve(clean, overview=text)
    assert _rules(report) == ["text.table_mismatch"]  # the table says 3
    blank = gd.with_cell(report, "requests.carried_over.total", None)
    assert "text.table_mismatch" not in _rules(blank)
    unread = attrs.evolve(
        gd.with_cell(report, "requests.carried_over.total", None),
        unread={"requests.carried_over.total": "illegible"},
    )
    assert "text.table_mismatch" not in _rules(unread)


def test_received_may_count_the_carried_over_requests(clean: gd.Report) -> None:
    # 116 new + 3 carried over: "收到119件" is what the body handled, not a mismatch
    report = attrs.evolve(clean, overview="共收到政府信息公开申请119件。")
    assert _rules(report) == []


def test_litigation_adds_both_blocks(clean: gd.Report) -> None:
    report = gd.with_cell(clean, "review_litigation.litigation_direct.total", 2)
    report = gd.with_cell(report, "review_litigation.litigation_direct.upheld", 2)
    report = gd.with_cell(report, "review_litigation.litigation_after_review.total", 1)
    report = gd.with_cell(report, "review_litigation.litigation_after_review.pending", 1)
    assert _rules(attrs.evolve(report, overview="行政诉讼3件。")) == []
    [finding] = gd.check(attrs.evolve(report, overview="行政诉讼2件。"))
    assert finding.addresses == (
        "review_litigation.litigation_direct.total",
        "review_litigation.litigation_after_review.total",
    )
    assert (finding.stated, finding.computed) == (2, 3)


@pytest.mark.parametrize("name", [n for n in expected_names() if not n.startswith("synthetic")])
def test_no_false_text_finding_on_the_corpus(name: str) -> None:
    findings = gd.check(_source(name)).filter(rule="text.table_mismatch")
    if name == "hongze-district-2024":
        # the corpus README: "Prose (17 requests) disagrees with the table (95)"
        [finding] = findings
        assert (finding.stated, finding.computed) == (17, 95)
        assert "受理政府信息公开申请17件" in finding.message["zh"]
    else:
        assert findings == [], [f.message["zh"] for f in findings]


def test_corpus_figures_that_agree_are_read() -> None:
    # 平潭 2025 states five figures, all equal to its tables
    report = _source("pingtan-2025")
    claims = list(extract_claims(report.overview or "", "overview"))
    assert [(c.pattern.id, c.value) for c in claims] == [
        ("received", 154),
        ("concluded", 148),
        ("carried_forward", 6),
        ("administrative_review", 36),
        ("litigation", 9),
    ]


_STATEMENTS = {
    "received": "本年共收到政府信息公开申请{}件。",
    "carried_over": "上年结转{}件。",
    "concluded": "办结{}件。",
    "carried_forward": "结转下年度继续办理{}件。",
    "administrative_review": "行政复议{}件。",
    "litigation": "行政诉讼{}件。",
}


def _statements(report: gd.Report, shift: int = 0) -> str:
    out = []
    for claim in CLAIMS:
        if claim.id not in _STATEMENTS:
            continue
        values = [gd.get_cell(report, a) for a in claim.cells[report.format]]
        if all(isinstance(v, int) for v in values):
            out.append(_STATEMENTS[claim.id].format(sum(values) + shift))
    return "".join(out)


@PROPS
@given(reports())
def test_a_text_stating_its_own_table_values_gives_no_text_finding(report: gd.Report) -> None:
    stated = attrs.evolve(report, overview=_statements(report) + (report.overview or ""))
    assert not gd.check(stated).filter(rule="text.table_mismatch")


@PROPS
@given(reports(), st.integers(1, 50))
def test_a_text_stating_other_values_is_caught(report: gd.Report, shift: int) -> None:
    text = _statements(report, shift)
    stated = attrs.evolve(report, overview=text, other_matters=report.other_matters or FEES)
    found = gd.check(stated).filter(rule="text.table_mismatch")
    # every statement is off by `shift`; "received" may still equal new + carried over
    expected = len(list(extract_claims(text, "overview")))
    if gd.get_cell(report, "requests.carried_over.total") == shift:
        assert len(found) in (expected, expected - 1)
    else:
        assert len(found) == expected


# --- required content ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (None, "缺失或为空"),
        ("", "缺失或为空"),
        ("无。", "仅写"),
        ("暂无", "仅写"),
        ("加强培训。", "仅 4 字"),
    ],
)
def test_problems_missing(clean: gd.Report, text: str | None, reason: str) -> None:
    [finding] = gd.check(attrs.evolve(clean, problems_and_improvements=text))
    assert finding.rule == "narrative.problems_missing"
    assert reason in finding.message["zh"]
    assert finding.addresses == ("problems_and_improvements",)


def test_fees_not_reported_in_2021_only(clean: gd.Report, sample: gd.Report) -> None:
    assert _rules(sample) == ["narrative.fees_not_reported"]  # the seed's 六 is 无
    for text in ("2023年度未发生收费情况。", "全年收取信息处理费0元。", "无收取信息处理费情况"):
        assert _rules(attrs.evolve(clean, other_matters=text)) == []
    legacy = attrs.evolve(
        expected_report("pingtan-2019"),
        overview="x",
        problems_and_improvements="加" * 50,
        other_matters="无",
    )
    assert "narrative.fees_not_reported" not in _rules(legacy)  # the 2019 notice asks no fees


def test_part_missing(clean: gd.Report) -> None:
    [finding] = gd.check(attrs.evolve(clean, overview=None))
    assert finding.rule == "narrative.part_missing" and "一、总体情况" in finding.message["zh"]
    assert _rules(attrs.evolve(clean, other_matters=None)) == ["narrative.part_missing"]
    # table 4 not found in the document: every cell unread, reason table_not_found
    unread = {
        c.address: "table_not_found" for c in gd.cells(clean) if c.address.startswith("review")
    }
    report = clean
    for address in unread:
        report = gd.with_cell(report, address, None)
    report = attrs.evolve(report, unread=unread)
    missing = gd.check(report).filter(rule="narrative.part_missing")
    assert [f.addresses for f in missing] == [("review_litigation",)]
    # table 3 likewise (its layout, not the hybrid one's cells too)
    requests = {
        c.address: "table_not_found" for c in gd.cells(clean) if c.address.startswith("requests.")
    }
    report = clean
    for address in requests:
        report = gd.with_cell(report, address, None)
    missing = gd.check(attrs.evolve(report, unread=requests)).filter(rule="narrative.part_missing")
    assert [f.addresses for f in missing] == [("requests",)]


def test_a_tables_only_report_is_not_assessed_for_prose(clean: gd.Report) -> None:
    tables_only = attrs.evolve(
        clean, overview=None, problems_and_improvements=None, other_matters=None
    )
    assert _rules(tables_only) == []


@pytest.mark.parametrize("name", [n for n in expected_names() if not n.startswith("synthetic")])
def test_required_content_on_the_corpus(name: str) -> None:
    found = {f.rule for f in gd.check(_source(name)) if f.rule.startswith("narrative.")}
    # only 柳州's part 六 ("无") leaves the fees unreported; every corpus report has 一, 五, 六
    assert found == ({"narrative.fees_not_reported"} if name.startswith("liuzhou") else set())


# --- copied text ---------------------------------------------------------------------------


_last_year = seed_last_year


def test_text_repeated_from_last_year(clean: gd.Report) -> None:
    previous = _last_year(clean)
    previous = attrs.evolve(
        previous,
        problems_and_improvements=(clean.problems_and_improvements or "").replace("2023", "2022"),
        overview="2022年，我办……" + "另一段完全不同的文字。" * 3,
    )
    [finding] = gd.check(clean, previous=previous)
    assert finding.rule == "cross_year.text_repeated"
    assert finding.addresses == ("problems_and_improvements", "previous:problems_and_improvements")
    assert "相似度 1.00" in finding.message["zh"]  # years are not what makes a text new
    assert "最长相同段落" in finding.message["zh"]
    assert gd.check(clean, previous=previous, similarity_threshold=1.01).findings == ()


def test_real_consecutive_reports_are_not_copies() -> None:
    for old, new in (("pingtan-2021", "pingtan-2022"), ("pingtan-2024", "pingtan-2025")):
        result = gd.check(_source(new), previous=_source(old))
        assert not result.filter(rule="cross_year.text_repeated"), new


def test_short_parts_are_not_compared(clean: gd.Report) -> None:
    previous = attrs.evolve(_last_year(clean), overview="x", problems_and_improvements="y" * 45)
    now = attrs.evolve(clean, problems_and_improvements="y" * 45)
    # part 六 is the same short sentence both years, part 五 short too
    assert "cross_year.text_repeated" not in [f.rule for f in gd.check(now, previous=previous)]


@given(st.text(alphabet="ab", max_size=30), st.text(alphabet="ab", max_size=30))
def test_longest_shared_is_the_longest_common_substring(a: str, b: str) -> None:
    shared = longest_shared(a, b)
    assert shared in a and shared in b
    best = max(
        (len(a[i:j]) for i in range(len(a)) for j in range(i, len(a) + 1) if a[i:j] in b),
        default=0,
    )
    assert len(shared) == best


@given(st.text(max_size=200), st.text(max_size=200))
def test_similarity_is_symmetric_and_bounded(a: str, b: str) -> None:
    assert similarity(a, b) == similarity(b, a)
    assert 0.0 <= similarity(a, b) <= 1.0
    assert similarity(a, a) == 1.0
    assert resemblance(comparable(a), comparable(b)) == similarity(a, b)


@given(st.text(max_size=300))
def test_claims_never_crash_and_quote_their_sentence(text: str) -> None:
    for claim in extract_claims(text, "overview"):
        assert claim.phrase in claim.quote and claim.quote in compact(text)


def test_huge_text_has_a_bounded_cost(clean: gd.Report) -> None:
    text = "共收到政府信息公开申请116件。" * 200_000  # 3 MB of claims
    result = gd.check(attrs.evolve(clean, overview=text), previous=_last_year(clean))
    assert not result.filter(rule="text.table_mismatch")


@pytest.mark.parametrize(
    ("sentence", "cell"),
    [
        ("本年新收{}件。", "requests.new_received.total"),
        ("办理结果总计{}件。", "requests.outcomes.total.total"),
        ("全年共答复申请人{}件。", "requests.outcomes.total.total"),
    ],
)
def test_the_peers_phrasings_catch_a_cell_off_by_one(
    clean: gd.Report, sentence: str, cell: str
) -> None:
    value = gd.get_cell(clean, cell)
    agrees = attrs.evolve(clean, overview=sentence.format(value) + clean.overview)
    assert "text.table_mismatch" not in _rules(agrees)
    report = gd.with_cell(agrees, cell, value + 1)
    mismatches = [f for f in gd.check(report).findings if f.rule == "text.table_mismatch"]
    assert [f.addresses for f in mismatches] == [(cell,)]
