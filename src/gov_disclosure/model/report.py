"""The whole report: metadata, text sections and the three tables (format-spec.md §3).

There is one class per template edition, :class:`Report2021` and :class:`Report2019`, both
built from the generic :class:`ReportBase`. The edition is a property of the class (``format``),
not a field that could disagree with the tables.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar, Generic, Literal, TypeVar, Union

import attrs

from gov_disclosure.model.fields import Model, choice, group, ocr_marks, text, unread_marks
from gov_disclosure.model.fields import date as date_field
from gov_disclosure.model.fields import year as year_field
from gov_disclosure.model.proactive import ProactiveDisclosure2019, ProactiveDisclosure2021
from gov_disclosure.model.tables import (
    ApplicantRow,
    OtherOutcomes,
    Outcomes,
    Requests,
    ReviewLitigation,
)
from gov_disclosure.model.unread import check_ocr, check_unread

__all__ = [
    "EDITIONS",
    "Agency",
    "Edition",
    "Report",
    "Report2019",
    "Report2021",
    "ReportBase",
    "report_class",
    "template_report",
]

Edition = Literal["2021", "2019"]
"""A template edition key (format-spec.md §2)."""

Level = Literal["national", "provincial", "prefectural", "county", "township"]
Kind = Literal["government", "department"]
Scope = Literal["agency", "jurisdiction"]

PD = TypeVar("PD", ProactiveDisclosure2021, ProactiveDisclosure2019)
OT = TypeVar("OT")


@attrs.frozen(kw_only=True, repr=False)
class Agency(Model):
    """The body that publishes the report."""

    name: str = text("机关名称", "name of the publishing body", required=True)
    region: str | None = text("行政区划", "administrative region")
    level: Level | None = choice(
        "层级",
        "administrative level",
        ("national", "provincial", "prefectural", "county", "township"),
    )
    kind: Kind | None = choice("机关类型", "government or department", ("government", "department"))


def _default_table(attribute: str) -> Any:
    """Default for an edition-specific table: the blank table of the concrete class."""
    return attrs.Factory(lambda self: type(self).blank_tables()[attribute], takes_self=True)


def _check_edition_table(instance: ReportBase[Any, Any], name: str, value: object) -> None:
    expected = type(instance).table_types()[name]
    edition = f"(edition {instance.format})"
    if not isinstance(value, expected):
        names = " or ".join(t.__name__ for t in expected)
        raise TypeError(
            f"{type(instance).__name__}.{name} {edition}: expected {names}, "
            f"got {type(value).__name__}"
        )
    if name == "requests":
        assert isinstance(value, Requests)
        other = value.outcomes.other
        allowed = type(instance).other_outcome_types
        if not isinstance(other, allowed):
            names = " or ".join(t.__name__ for t in allowed)
            raise TypeError(
                f"{type(instance).__name__}.requests.outcomes.other {edition}: （六）其他处理 is "
                f"{names} in this edition, got {type(other).__name__}"
            )


def _shaped(instance: ReportBase[Any, Any], requests: object) -> object:
    """Table 3 with the edition's （六）其他处理 where it was built without one (Requests())."""
    if not isinstance(requests, Requests) or not isinstance(requests.outcomes, Outcomes):
        return requests
    if requests.outcomes.other is not None:
        return requests
    other = type(instance).blank_tables()["requests"].outcomes.other
    return attrs.evolve(requests, outcomes=attrs.evolve(requests.outcomes, other=other))


@attrs.frozen(kw_only=True, repr=False)
class ReportBase(Model, Generic[PD, OT]):
    """Fields shared by both editions; use :class:`Report2021` or :class:`Report2019`.

    Attributes:
        format: The template edition key (a class attribute).
    """

    format: ClassVar[str]
    other_outcome_types: ClassVar[tuple[type, ...]]

    year: int = year_field("报告年度", "report year (the calendar year reported on)")
    agency: Agency = group(Agency, "发布机关", "publishing body", required=True)
    scope: Scope | None = choice(
        "统计范围", "the body itself or its whole jurisdiction", ("agency", "jurisdiction")
    )
    published: datetime.date | None = date_field("发布日期", "publication date")
    source: str | None = text("来源", "URL of the published report")
    overview: str | None = text("一、总体情况", "section 1: overview")
    proactive_disclosure: PD = group(
        None,
        "二、主动公开政府信息情况",
        "section 2: proactive disclosure (table 2)",
        default=_default_table("proactive_disclosure"),
    )
    requests: Requests[OT] = group(
        None,
        "三、收到和处理政府信息公开申请情况",
        "section 3: requests received and handled (table 3)",
        default=_default_table("requests"),
    )
    review_litigation: ReviewLitigation = group(
        ReviewLitigation,
        "四、政府信息公开行政复议、行政诉讼情况",
        "section 4: administrative review and litigation (table 4)",
    )
    problems_and_improvements: str | None = text(
        "五、存在的主要问题及改进情况", "section 5: problems and improvements"
    )
    other_matters: str | None = text("六、其他需要报告的事项", "section 6: other matters")
    unread: dict[str, str] = unread_marks(
        "未能识别的单元格", "cells a parser could not read: cell address -> reason code"
    )
    ocr: dict[str, float] = ocr_marks(
        "OCR识别的单元格",
        "cells read from a scanned page by OCR: cell address -> the OCR confidence (0-1); a "
        "misreading is possible, so findings that use them say so",
    )

    def __attrs_post_init__(self) -> None:
        shaped = _shaped(self, self.requests)
        if shaped is not self.requests:  # frozen: the one place a value is set after __init__
            object.__setattr__(self, "requests", shaped)
        for name in ("proactive_disclosure", "requests"):
            _check_edition_table(self, name, getattr(self, name))
        if self.unread:
            check_unread(self)
        if self.ocr:
            check_ocr(self)

    @classmethod
    def table_types(cls) -> dict[str, tuple[type, ...]]:
        """The classes the edition-specific tables must be instances of."""
        raise NotImplementedError

    @classmethod
    def blank_tables(cls) -> dict[str, Any]:
        """Blank (all ``None``) edition-specific tables, used as defaults."""
        raise NotImplementedError

    @property
    def edition(self) -> str:
        """The template edition (``"2021"`` or ``"2019"``): the JSON key ``format``."""
        return self.format

    @property
    def is_hybrid(self) -> bool:
        """A 2021 report whose （六）其他处理 is a single row (format-spec.md §2)."""
        return self.format == "2021" and isinstance(self.requests.outcomes.other, ApplicantRow)


@attrs.frozen(kw_only=True, repr=False)
class Report2021(ReportBase[ProactiveDisclosure2021, Union[OtherOutcomes, ApplicantRow]]):  # noqa: UP007
    """A report in the current template, 国办公开办函〔2021〕30号.

    ``requests.outcomes.other`` is :class:`OtherOutcomes` (three sub-rows) or, for the hybrid
    layout, a single :class:`ApplicantRow`, exactly as published.
    """

    format: ClassVar[str] = "2021"
    other_outcome_types: ClassVar[tuple[type, ...]] = (OtherOutcomes, ApplicantRow)

    @classmethod
    def table_types(cls) -> dict[str, tuple[type, ...]]:  # noqa: D102
        return {"proactive_disclosure": (ProactiveDisclosure2021,), "requests": (Requests,)}

    @classmethod
    def blank_tables(cls) -> dict[str, Any]:  # noqa: D102
        return {
            "proactive_disclosure": ProactiveDisclosure2021(),
            "requests": Requests(outcomes=Outcomes(other=OtherOutcomes())),
        }


@attrs.frozen(kw_only=True, repr=False)
class Report2019(ReportBase[ProactiveDisclosure2019, ApplicantRow]):
    """A report in the legacy template, 国办公开办函〔2019〕60号 (report years 2019–2020)."""

    format: ClassVar[str] = "2019"
    other_outcome_types: ClassVar[tuple[type, ...]] = (ApplicantRow,)

    @classmethod
    def table_types(cls) -> dict[str, tuple[type, ...]]:  # noqa: D102
        return {"proactive_disclosure": (ProactiveDisclosure2019,), "requests": (Requests,)}

    @classmethod
    def blank_tables(cls) -> dict[str, Any]:  # noqa: D102
        return {
            "proactive_disclosure": ProactiveDisclosure2019(),
            "requests": Requests(outcomes=Outcomes(other=ApplicantRow())),
        }


Report = Union[Report2021, Report2019]  # noqa: UP007
"""Either edition of the report."""

EDITIONS: dict[str, type[Report2021] | type[Report2019]] = {
    "2021": Report2021,
    "2019": Report2019,
}
"""Report class by edition key."""


def report_class(edition: str) -> type[Report2021] | type[Report2019]:
    """Return the report class of an edition key (``"2021"`` or ``"2019"``).

    Raises:
        ValueError: for an unknown edition.
    """
    try:
        return EDITIONS[edition]
    except KeyError:
        raise ValueError(
            f"unknown template edition {edition!r}; expected one of {sorted(EDITIONS)}"
        ) from None


def template_report(edition: str, *, hybrid: bool = False) -> Report2021 | Report2019:
    """A blank report of a layout (its cells are the layout's cells).

    Args:
        edition: ``"2021"`` or ``"2019"``.
        hybrid: The 2021 hybrid layout, with a single （六）其他处理 row.
    """
    agency = Agency(name="template")
    if hybrid:
        requests = Requests(outcomes=Outcomes(other=ApplicantRow()))
        return Report2021(year=2021, agency=agency, requests=requests)
    return report_class(edition)(year=2021, agency=agency)
