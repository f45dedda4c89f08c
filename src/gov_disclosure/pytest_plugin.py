"""pytest plugin: fixtures for projects that test against gov_disclosure.

Registered through the ``pytest11`` entry point, so it is active wherever gov_disclosure is
installed. Importing this module is cheap: the library itself is imported only when a fixture
runs.

Fixtures:
    ``disclosure_sample``: the built-in sample report.
    ``disclosure_report_factory``: builds consistent reports with overrides.
    ``disclosure_assert``: asserts a report checks clean, listing the findings otherwise.
    ``disclosure_report`` / ``disclosure_report_file``: parametrised over the report files of
    the folder named by the ``disclosure_reports_dir`` ini option or the
    ``--disclosure-reports`` command-line option.

Marker:
    ``@pytest.mark.disclosure_edition("2019")`` sets the factory's default edition.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # pragma: no cover
    from gov_disclosure.model.report import Report
    from gov_disclosure.rules.results import CheckResult

__all__ = [
    "disclosure_assert",
    "disclosure_report",
    "disclosure_report_factory",
    "disclosure_report_file",
    "disclosure_sample",
]

_INI = "disclosure_reports_dir"
_FILE_FIXTURES = ("disclosure_report", "disclosure_report_file")


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the reports-folder option (command line and ini)."""
    group = parser.getgroup("gov_disclosure", "government disclosure reports")
    group.addoption(
        "--disclosure-reports",
        action="store",
        default=None,
        metavar="DIR",
        help="folder of report files (.json, .xml) for the disclosure_report fixture",
    )
    parser.addini(
        _INI,
        help="folder (relative to the rootdir) of report files for the disclosure_report fixture",
        default=None,
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the plugin's marker."""
    config.addinivalue_line(
        "markers",
        "disclosure_edition(edition): default template edition ('2021' or '2019') for the "
        "disclosure_report_factory fixture in this test",
    )


def _reports_dir(config: pytest.Config) -> Path | None:
    option = config.getoption("--disclosure-reports")
    if option:
        return Path(option)
    ini = config.getini(_INI)
    if ini:
        return Path(config.rootpath) / str(ini)
    return None


@pytest.hookimpl(hookwrapper=True)  # the old-style wrapper: every pytest the plugin may meet
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A report that failed its check shows its findings, not a traceback of fixture values."""
    outcome = yield
    report = outcome.get_result()
    excinfo = call.excinfo
    if report.failed and excinfo is not None:
        error = excinfo.value
        # by name: importing gov_disclosure.testing here would make the plugin heavy
        if type(error).__name__ == "ReportAssertionError" and isinstance(error, AssertionError):
            report.longrepr = f"{item.nodeid}\n{error}"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise ``disclosure_report`` and ``disclosure_report_file`` over the folder."""
    if not any(name in metafunc.fixturenames for name in _FILE_FIXTURES):
        return
    folder = _reports_dir(metafunc.config)
    if folder is None:
        files: list[Any] = [
            pytest.param(None, marks=pytest.mark.skip(reason=f"no {_INI} configured"))
        ]
    else:
        from gov_disclosure.batch import DOCUMENT_SUFFIXES, collect_files

        found = [Path(p) for p in collect_files([str(folder)], DOCUMENT_SUFFIXES)]
        found = [p for p in found if p.is_file()]  # a missing folder is passed through as is
        files = [pytest.param(p, id=str(p.relative_to(folder))) for p in found]
        if not files:
            files = [
                pytest.param(None, marks=pytest.mark.skip(reason=f"no report files in {folder}"))
            ]
    metafunc.parametrize("disclosure_report_file", files, indirect=True)


@pytest.fixture
def disclosure_report_file(request: pytest.FixtureRequest) -> Path:
    """One report file from the configured folder (the test runs once per file)."""
    path: Path = request.param
    return path


@pytest.fixture
def disclosure_report(disclosure_report_file: Path) -> Report:
    """The report loaded from ``disclosure_report_file``."""
    from gov_disclosure.serialization.documents import read_document

    return read_document(disclosure_report_file)


@pytest.fixture
def disclosure_sample() -> Report:
    """The built-in sample report (柳州市人民政府办公室 2023)."""
    from gov_disclosure import samples

    return samples.load("liuzhou-2023")


@pytest.fixture
def disclosure_report_factory(request: pytest.FixtureRequest) -> Callable[..., Report]:
    """A factory for consistent reports: ``factory(overrides=None, *, edition=None, **options)``.

    Cells are given by canonical address (``{"requests.new_received.natural_person": 5}``),
    as a nested mapping, or as keywords with ``__`` for dots; every total not given is
    derived from the leaves. See :func:`gov_disclosure.testing.make_report`.
    """
    from gov_disclosure.testing import make_report

    marker = request.node.get_closest_marker("disclosure_edition")
    default_edition = str(marker.args[0]) if marker and marker.args else "2021"

    def factory(overrides: Any = None, *, edition: str | None = None, **kwargs: Any) -> Report:
        return make_report(edition or default_edition, overrides, **kwargs)

    return factory


@pytest.fixture
def disclosure_assert() -> Callable[..., CheckResult]:
    """``disclosure_assert(report, previous=None, fail_on="inconsistency", ignore=())``.

    Fails the test with every finding at or above ``fail_on`` (rule id, severity, cells and
    message); returns the check result otherwise.
    """
    from gov_disclosure.testing import assert_report_clean

    def disclosure_assert(report: Any, *args: Any, **kwargs: Any) -> CheckResult:
        __tracebackhide__ = True  # the failure is the findings, not this helper's source
        # an AssertionError (ReportAssertionError), raised once: pytest.raises(AssertionError)
        # catches it, and pytest prints the findings once, as for pandas.testing's helpers
        return assert_report_clean(report, *args, **kwargs)

    return disclosure_assert
