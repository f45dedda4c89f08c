"""The pytest plugin, exercised as a downstream project would use it (pytester)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import gov_disclosure as gd
from gov_disclosure.testing import (
    ReportAssertionError,
    assert_report_clean,
    flatten_overrides,
    make_report,
)

pytest_plugins = ["pytester"]

DOWNSTREAM_TESTS = """
import pytest
import gov_disclosure as gd


def test_sample(disclosure_sample):
    assert disclosure_sample.requests.new_received.total == 116


def test_factory_by_address_nesting_and_keywords(disclosure_report_factory, disclosure_assert):
    report = disclosure_report_factory(
        overrides={
            "requests.new_received.natural_person": 10,
            "requests": {"outcomes": {"granted": {"natural_person": 7}}},
        },
        review_litigation__administrative_review__upheld=2,
    )
    assert report.requests.outcomes.total.natural_person == 7
    assert report.requests.carried_forward.natural_person == 3
    assert report.review_litigation.administrative_review.total == 2
    disclosure_assert(report)


@pytest.mark.disclosure_edition("2019")
def test_marker_sets_the_edition(disclosure_report_factory, disclosure_assert):
    report = disclosure_report_factory({"requests.outcomes.other.natural_person": 1,
                                        "requests.new_received.natural_person": 1})
    assert report.format == "2019"
    disclosure_assert(report)


def test_hybrid(disclosure_report_factory, disclosure_assert):
    report = disclosure_report_factory(hybrid=True)
    assert report.is_hybrid
    disclosure_assert(report)  # the hybrid warning is below the default threshold


def test_folder_reports(disclosure_report, disclosure_report_file, disclosure_assert):
    assert disclosure_report_file.suffix in (".json", ".xml")
    disclosure_assert(disclosure_report)
"""

BROKEN_TEST = """
def test_broken(disclosure_report_factory, disclosure_assert):
    report = disclosure_report_factory(
        {"requests.outcomes.granted.natural_person": 5,
         "requests.new_received.natural_person": 5,
         "requests.outcomes.total.natural_person": 4},
    )
    disclosure_assert(report)
"""


@pytest.fixture
def downstream(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini("[pytest]\ndisclosure_reports_dir = reports\n")
    reports = pytester.mkdir("reports")
    sample = gd.samples.load()
    (reports / "liuzhou.json").write_text(gd.dumps(sample), encoding="utf-8")
    (reports / "nested").mkdir()
    (reports / "nested" / "liuzhou.xml").write_bytes(gd.to_xml(sample))
    (reports / "notes.txt").write_text("not a report", encoding="utf-8")
    return pytester


def test_downstream_project_uses_every_fixture(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(test_downstream=DOWNSTREAM_TESTS)
    result = downstream.runpytest_subprocess("-v")
    result.assert_outcomes(passed=6)
    result.stdout.fnmatch_lines(
        [
            "*test_folder_reports?liuzhou.json?*PASSED*",
            "*test_folder_reports?nested/liuzhou.xml?*PASSED*",
        ]
    )


def test_broken_report_fails_with_the_rule_id(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(test_broken=BROKEN_TEST)
    result = downstream.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*requests.outcomes_total*", "*cells: requests.outcomes.total.natural_person*"]
    )


def test_folder_fixture_is_skipped_without_configuration(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_f(disclosure_report):\n    pass\n")
    result = pytester.runpytest_subprocess("-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*no disclosure_reports_dir configured*"])


def test_command_line_option_and_marker_help(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--markers")
    result.stdout.fnmatch_lines(["*disclosure_edition(edition)*"])
    result = pytester.runpytest_subprocess("--help")
    result.stdout.fnmatch_lines(["*--disclosure-reports=DIR*"])


def test_plugin_import_is_light() -> None:
    code = (
        "import sys, gov_disclosure.pytest_plugin\n"
        "print(sorted(m for m in ('lxml', 'cattrs', 'jsonschema', 'referencing') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- the helpers behind the fixtures -------------------------------------------------------


def test_flatten_overrides() -> None:
    assert flatten_overrides({"a": {"b": 1, "c.d": 2}, "e.f": 3}) == {
        "a.b": 1,
        "a.c.d": 2,
        "e.f": 3,
    }


def test_make_report_keeps_explicit_values_and_derives_the_rest() -> None:
    report = make_report(
        "2021",
        {"requests.new_received.natural_person": 3, "requests.outcomes.granted.natural_person": 1},
    )
    assert report.requests.new_received.total == 3
    assert report.requests.carried_forward.natural_person == 2
    assert gd.check(report).ok
    inconsistent = make_report(
        "2021",
        {
            "requests.outcomes.granted.natural_person": 1,
            "requests.outcomes.total.natural_person": 5,
            "requests.new_received.natural_person": 5,
        },
    )
    assert inconsistent.requests.outcomes.total.natural_person == 5  # kept as given
    assert "requests.outcomes_total" in {
        f.rule for f in gd.check(inconsistent).filter(severity="inconsistency")
    }


def test_make_report_refuses_unbalanceable_leaves() -> None:
    with pytest.raises(ValueError, match="cannot balance column natural_person"):
        make_report("2021", {"requests.outcomes.granted.natural_person": 1})


def test_assert_report_clean_messages() -> None:
    bad = make_report(
        "2021",
        {
            "review_litigation.administrative_review.upheld": 2,
            "review_litigation.administrative_review.total": 1,
        },
    )
    with pytest.raises(ReportAssertionError) as info:
        assert_report_clean(bad)
    assert "review_litigation.block_total" in str(info.value)
    assert info.value.result.counts["inconsistency"] == 1
    hybrid = make_report(
        "2021",
        hybrid=True,
        overrides={
            "requests.new_received.natural_person": 1,
            "requests.outcomes.other.natural_person": 1,
        },
    )
    assert assert_report_clean(hybrid).ok
    with pytest.raises(ReportAssertionError, match=r"format\.hybrid_edition"):
        assert_report_clean(hybrid, fail_on="warning")
    with pytest.raises(ValueError):
        assert_report_clean(hybrid, fail_on="fatal")


def test_docs_example_runs_verbatim_with_default_settings(pytester: pytest.Pytester) -> None:
    """The complete example of docs/testing.md, as published, in a throw-away project."""
    import re

    from .conftest import REPO

    page = (REPO / "docs" / "testing.md").read_text(encoding="utf-8")
    ini = re.search(r"```ini\n(.*?)```", page, re.S)
    example = re.search(r"`tests/test_reports.py`:\n\n```python\n(.*?)```", page, re.S)
    assert ini and example
    pytester.makefile(".ini", pytest=ini.group(1))
    pytester.makepyfile(
        mygenerator="import gov_disclosure as gd\n\n"
        "def render_report(report):\n    return gd.rendering.to_html(report)\n"
    )
    reports = pytester.mkdir("tests").joinpath("reports")
    reports.mkdir()
    reports.joinpath("sample.json").write_text(gd.dumps(gd.samples.load()), encoding="utf-8")
    pytester.path.joinpath("tests", "test_reports.py").write_text(
        example.group(1), encoding="utf-8"
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "tests")
    result.assert_outcomes(passed=6)  # one published file: six tests


def test_failure_output_shows_findings_not_helper_source(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import gov_disclosure as gd

        def test_broken(disclosure_sample, disclosure_assert):
            broken = gd.with_cell(disclosure_sample, "requests.outcomes.total.total", 1)
            disclosure_assert(broken)
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "requests.applicant_total" in out
    assert "def assert_report_clean" not in out  # the helper's frames are hidden
    assert "Report2021(" not in out  # no whole-report repr


CAUGHT_TEST = """
import pytest

def test_caught(disclosure_report_factory, disclosure_assert):
    report = disclosure_report_factory(
        {"requests.new_received.natural_person": 5, "requests.outcomes.granted.natural_person": 5,
         "requests.outcomes.total.natural_person": 4},
    )
    with pytest.raises(AssertionError, match="requests.outcomes_total"):
        disclosure_assert(report)
"""


def test_disclosure_assert_raises_an_assertion_error_once(downstream: pytest.Pytester) -> None:
    # issue 26 #11: it raised pytest's Failed, and pytest printed the findings twice
    downstream.makepyfile(test_caught=CAUGHT_TEST, test_broken=BROKEN_TEST)
    result = downstream.runpytest_subprocess()
    result.assert_outcomes(passed=1, failed=1)
    output = result.stdout.str()
    assert "During handling of the above exception" not in output
    # once in the failure's report (the short summary repeats it in full where CI is set)
    failures = output.split("short test summary info")[0]
    assert failures.count("cells: requests.outcomes.total.natural_person") == 1
