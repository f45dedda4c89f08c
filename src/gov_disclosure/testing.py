"""Helpers for projects that test against gov_disclosure (used by the pytest plugin).

* :func:`make_report` builds a consistent report from leaf values given by canonical address
  or as a nested mapping; every total not given explicitly is derived.
* :func:`assert_report_clean` fails with a readable list of findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gov_disclosure.model.addressing import with_cell
from gov_disclosure.model.report import Agency, Report, report_class
from gov_disclosure.model.tables import ApplicantRow, Outcomes, Requests
from gov_disclosure.rules.definitions import SEVERITIES
from gov_disclosure.rules.derive import derive_totals
from gov_disclosure.rules.engine import check
from gov_disclosure.rules.results import CheckResult

__all__ = [
    "ReportAssertionError",
    "assert_report_clean",
    "flatten_overrides",
    "make_report",
]

DEFAULT_AGENCY = "测试县人民政府"


class ReportAssertionError(AssertionError):
    """A report did not check clean; ``result`` holds the findings."""

    def __init__(self, message: str, result: CheckResult) -> None:
        super().__init__(message)
        self.result = result


def flatten_overrides(mapping: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"requests": {"new_received": {"total": 3}}}`` -> ``{"requests.new_received.total": 3}``.

    Dotted keys may be mixed with nesting: ``{"requests.new_received": {"total": 3}}``.
    """
    flat: dict[str, Any] = {}
    for key, value in mapping.items():
        address = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten_overrides(value, address + "."))
        else:
            flat[address] = value
    return flat


def make_report(
    edition: str = "2021",
    overrides: Mapping[str, Any] | None = None,
    *,
    hybrid: bool = False,
    year: int | None = None,
    agency: Agency | str | None = None,
    base: Report | None = None,
    derive: bool = True,
    **cells: Any,
) -> Report:
    """Build a consistent report: set the given cells, derive every other total.

    Args:
        edition: ``"2021"`` or ``"2019"`` (ignored when ``base`` is given).
        overrides: Cell values by canonical address, or as a nested mapping.
        hybrid: A 2021 report with a single （六）其他处理 row.
        year: Report year (default 2023 for 2021, 2020 for 2019).
        agency: The publishing body (a name or an :class:`Agency`).
        base: Start from this report instead of a blank one.
        derive: Derive totals not given explicitly (``False`` keeps exactly what is set,
            for deliberately inconsistent reports).
        **cells: More cell values by address, with ``__`` for dots
            (``requests__new_received__natural_person=5``).

    Returns:
        The report. Cells set explicitly keep their values, so setting a total yourself
        can make the report inconsistent on purpose.

    Raises:
        AddressError: for an address that is not a cell of the edition.
        ValueError: for a bad value, or leaves that cannot balance.
    """
    values = flatten_overrides(overrides or {})
    values.update({k.replace("__", "."): v for k, v in cells.items()})
    if base is None:
        cls = report_class(edition)
        name = agency if isinstance(agency, Agency) else Agency(name=agency or DEFAULT_AGENCY)
        kwargs: dict[str, Any] = {
            "year": year if year is not None else (2023 if edition == "2021" else 2020),
            "agency": name,
        }
        if hybrid:
            kwargs["requests"] = Requests(outcomes=Outcomes(other=ApplicantRow()))
        report: Report = cls(**kwargs)
    else:
        report = base
    for address, value in values.items():
        report = with_cell(report, address, value)
    if derive:
        report = derive_totals(report, keep=values)
    return report


def assert_report_clean(
    report: Report,
    previous: Report | None = None,
    *,
    fail_on: str = "inconsistency",
    ignore: Iterable[str] = (),
) -> CheckResult:
    """Check a report and fail with a readable message if anything is at or above ``fail_on``.

    Args:
        report: The report to check.
        previous: Last year's report, for the cross-year rules.
        fail_on: ``error``, ``inconsistency`` (default), ``warning`` or ``info``.
        ignore: Rule ids to leave out.

    Returns:
        The check result, when it passes.

    Raises:
        ReportAssertionError: listing every finding at or above ``fail_on`` with its rule id,
            severity, cells and message.
    """
    __tracebackhide__ = True  # pytest: show the caller's line, not this helper's source
    if fail_on not in SEVERITIES:
        raise ValueError(f"fail_on must be one of {SEVERITIES}, got {fail_on!r}")
    result = check(report, previous=previous, ignore=ignore)
    failing = result.filter(at_least=fail_on)
    if failing:
        lines = [
            f"{report.agency.name} {report.year} (edition {report.format}): "
            f"{len(failing)} finding(s) at or above {fail_on}:"
        ]
        for finding in failing:
            lines.append(f"  [{finding.severity}] {finding.rule}: {finding.message['en']}")
            lines.append(f"      {finding.message['zh']}")
            lines.append(f"      cells: {', '.join(finding.addresses)}")
        raise ReportAssertionError("\n".join(lines), result)
    return result
