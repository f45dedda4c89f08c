"""Hypothesis strategies for reports (optional extra ``hypothesis``).

* :func:`arbitrary_reports` draws any valid model instance: every cell blank, zero or a
  count, money with up to six decimals, Chinese text with quotes and newlines. Totals need not
  add up.
* :func:`reports` draws *consistent* reports: leaves are drawn and every total is derived
  through the rule set, so the checker finds no inconsistency.
* :func:`reports_breaking` draws reports that violate exactly one rule.
* :func:`with_unread` marks some cells of drawn reports as unread, as a parser leaves them.

The strategies are built from the model's field metadata, so they follow the model when it
changes. ``st.from_type(Report2021)`` works once Hypothesis loads this package's entry point.
"""

from __future__ import annotations

import datetime
import functools
import string
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

import attrs
from hypothesis import strategies as st

from gov_disclosure.model.addressing import cells, get_cell, with_cell
from gov_disclosure.model.fields import YEAR_RANGE, FieldInfo, info
from gov_disclosure.model.introspection import resolved_fields, union_members
from gov_disclosure.model.report import EDITIONS, Report, report_class
from gov_disclosure.model.tables import (
    APPLICANT_COLUMNS,
    ApplicantRow,
    NotProcessed,
    OtherOutcomes,
    Outcomes,
    Requests,
    ReviewBlock,
    ReviewLitigation,
    UnableToProvide,
    Withheld,
)
from gov_disclosure.model.unread import UNREAD_REASONS
from gov_disclosure.rules.prose import PROBLEMS_MIN_CHARS

__all__ = [
    "BREAKABLE_RULES",
    "arbitrary_reports",
    "cell_values",
    "report_texts",
    "reports",
    "reports_breaking",
    "with_ocr",
    "with_unread",
]

_CJK = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 200)) + "政府信息公开申请办理结果总计"
_PUNCT = "，。、；：？！“”‘’（）《》【】—…·"
TEXT_ALPHABET = _CJK + _PUNCT + string.ascii_letters + string.digits + " \n\t\"'<>&{}[]\\/"
"""Characters used for text sections: Chinese, full-width punctuation, quotes, markup and
JSON metacharacters, newlines and tabs (all of them legal in XML 1.0)."""


def report_texts(*, max_size: int = 80) -> st.SearchStrategy[str]:
    """Text for the report's prose sections."""
    return st.text(alphabet=TEXT_ALPHABET, max_size=max_size)


def counts(*, max_value: int = 10**7) -> st.SearchStrategy[int]:
    """Non-negative counts, biased to small numbers but reaching the millions (行政处罚 3985758)."""
    return st.one_of(st.integers(0, 20), st.integers(0, 999), st.integers(0, max_value))


def money() -> st.SearchStrategy[Decimal]:
    """Non-negative decimals with 0 to 6 places, as published (``24252.311082``)."""
    return st.integers(0, 6).flatmap(
        lambda places: st.decimals(
            min_value=0,
            max_value=10**9,
            places=places,
            allow_nan=False,
            allow_infinity=False,
        )
    )


_CELL_VALUES: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
    "count": lambda: st.none() | st.just(0) | counts(),
    "signed": lambda: st.none() | st.integers(-(10**5), 10**5),
    "money": lambda: st.none() | money(),
}
"""Values of each cell kind (:data:`~gov_disclosure.model.fields.CELL_KINDS`)."""


def cell_values(fi: FieldInfo) -> st.SearchStrategy[Any]:
    """Values for one cell kind, blanks included (``None`` is never the same as ``0``).

    Raises:
        ValueError: if the field is not a cell.
    """
    values = _CELL_VALUES.get(fi.kind)
    if values is None:
        raise ValueError(f"not a cell kind: {fi.kind}")
    return values()


def _field_strategy(attribute: attrs.Attribute[Any], ftype: Any) -> st.SearchStrategy[Any]:
    fi = info(attribute)
    if fi.is_cell:
        return cell_values(fi)
    if fi.kind == "group":
        return st.one_of([_instances(m) for m in union_members(ftype)])
    if fi.kind == "unit":  # units printed with amounts (采购总金额 251000元)
        return st.sampled_from([None, "元", "万元"])
    if fi.kind == "text":
        if fi.required:
            return report_texts(max_size=20).filter(lambda s: s.strip() != "")
        return st.none() | report_texts()
    if fi.kind == "year":
        return st.integers(*YEAR_RANGE)
    if fi.kind == "date":
        return st.none() | st.dates(datetime.date(2019, 1, 1), datetime.date(2100, 12, 31))
    if fi.kind == "choice":
        values = [v for m in union_members(ftype) for v in typing.get_args(m)]
        return st.none() | st.sampled_from(values)
    if fi.kind in ("unread", "ocr"):  # none in a report built by hand: see with_unread()
        return st.just({})
    raise AssertionError(fi.kind)  # pragma: no cover


@functools.cache
def _instances(tp: Any, skip: frozenset[str] = frozenset()) -> st.SearchStrategy[Any]:
    """Instances of a model class; ``skip`` leaves fields to their (blank) defaults."""
    cls = typing.get_origin(tp) or tp
    fields = {a.name: _field_strategy(a, t) for a, t in resolved_fields(tp) if a.name not in skip}
    return st.builds(cls, **fields)


@functools.cache
def arbitrary_reports(edition: str | None = None) -> st.SearchStrategy[Report]:
    """Any valid report of an edition (both editions when ``edition`` is ``None``).

    Totals are drawn like any other cell, so most drawn reports are *inconsistent*; use
    :func:`reports` for consistent ones.
    """
    editions = sorted(EDITIONS) if edition is None else [edition]
    return st.one_of([_instances(cast(Any, report_class(e))) for e in editions])


# --- consistent reports ---------------------------------------------------------------------

_ORG_COLUMNS = APPLICANT_COLUMNS[:-1]


# Strategies built once: Hypothesis validates a strategy object on each new instance, which
# cost more than the draws themselves when it was rebuilt for each of ~500 cells a report.
_LEAF = st.one_of(
    st.none(), st.just(0), st.integers(0, 9), st.integers(0, 300), st.integers(0, 10**6)
)
_BLANK_OR_ZERO = st.sampled_from([None, 0])
_SHARE = st.floats(0, 1)


def _leaf_counts() -> st.SearchStrategy[int | None]:
    """A leaf cell: often blank (zero rows are usually left blank), mostly small."""
    return _LEAF


def _total(draw: st.DrawFn, parts: typing.Iterable[int | None], blank: bool) -> int | None:
    """A derived total: the sum of its parts; blank (if allowed) only where all parts are."""
    values = [p for p in parts if p is not None]
    if not values:
        return draw(_BLANK_OR_ZERO) if blank else 0
    return sum(values)


def _row(draw: st.DrawFn, cells: dict[str, int | None], blank: bool) -> ApplicantRow:
    return ApplicantRow(**cells, total=_total(draw, cells.values(), blank))


def _blank_zero(draw: st.DrawFn, value: int) -> int | None:
    """A leaf worth 0 may be printed as 0 or left blank (blank leaves count as 0)."""
    return draw(_BLANK_OR_ZERO) if value == 0 else value


@functools.cache
def _outcome_leaf_rows(single_other: bool) -> tuple[str, ...]:
    """Addresses (within ``requests``) of the outcome rows that are leaves."""
    template: Outcomes[Any] = Outcomes(other=ApplicantRow() if single_other else OtherOutcomes())
    rows = []
    for cell in cells(Requests(outcomes=template)):
        row = cell.address.rpartition(".")[0]
        if row.startswith("outcomes.") and row != "outcomes.total" and row not in rows:
            rows.append(row)
    return tuple(rows)


@st.composite
def _consistent_requests(
    draw: st.DrawFn, *, single_other: bool, blank_totals: bool
) -> Requests[Any]:
    # Draw every outcome leaf row, column by column.
    leaves = {
        row: {column: draw(_leaf_counts()) for column in _ORG_COLUMNS}
        for row in _outcome_leaf_rows(single_other)
    }
    concluded: dict[str, int | None] = {}
    carried_over: dict[str, int | None] = {}
    carried_forward: dict[str, int | None] = {}
    new_received: dict[str, int | None] = {}
    for column in _ORG_COLUMNS:
        concluded[column] = _total(draw, (row[column] for row in leaves.values()), blank_totals)
        forward = draw(_leaf_counts())
        carried_forward[column] = forward
        available = (concluded[column] or 0) + (forward or 0)
        over = min(available, int(draw(_SHARE) * (available + 1)))
        carried_over[column] = _blank_zero(draw, over)
        new_received[column] = _blank_zero(draw, available - over)
    rows = {address: _row(draw, values, blank_totals) for address, values in leaves.items()}

    def group(prefix: str, cls: type) -> Any:
        return cls(**{a.name: rows[f"{prefix}.{a.name}"] for a in attrs.fields(cls)})

    other: ApplicantRow | OtherOutcomes = (
        rows["outcomes.other"] if single_other else group("outcomes.other", OtherOutcomes)
    )
    outcomes = Outcomes(
        granted=rows["outcomes.granted"],
        partially_granted=rows["outcomes.partially_granted"],
        withheld=group("outcomes.withheld", Withheld),
        unable_to_provide=group("outcomes.unable_to_provide", UnableToProvide),
        not_processed=group("outcomes.not_processed", NotProcessed),
        other=other,
        # the grand total sums the row totals too: blank only if every one of them is
        total=_row(draw, concluded, blank_totals and all(r.total is None for r in rows.values())),
    )
    return Requests(
        new_received=_row(draw, new_received, blank_totals),
        carried_over=_row(draw, carried_over, blank_totals),
        outcomes=outcomes,
        carried_forward=_row(draw, carried_forward, blank_totals),
    )


@st.composite
def _consistent_review(draw: st.DrawFn, *, blank_totals: bool) -> ReviewLitigation:
    blocks = {}
    for attribute in attrs.fields(ReviewLitigation):
        parts = {c: draw(_leaf_counts()) for c in ("upheld", "corrected", "other", "pending")}
        total = _total(draw, parts.values(), blank_totals)
        blocks[attribute.name] = ReviewBlock(**parts, total=total)
    return ReviewLitigation(**blocks)


def _has_value(table: Any) -> bool:
    return any(c.value is not None for c in cells(table))


@st.composite
def _reports(draw: st.DrawFn, edition: str, hybrid: bool | None, blank_totals: bool) -> Report:
    skip = frozenset({"requests", "review_litigation"})
    base = draw(_instances(cast(Any, report_class(edition)), skip))
    single_other = edition == "2019" or (hybrid if hybrid is not None else False)
    requests = draw(_consistent_requests(single_other=single_other, blank_totals=blank_totals))
    review = draw(_consistent_review(blank_totals=blank_totals))
    # Keep the report free of plausibility warnings, so that tests can expect *no* finding.
    assume_filled = [base.proactive_disclosure, requests, review]
    if not all(_has_value(t) for t in assume_filled):
        requests = (
            attrs.evolve(requests, new_received=ApplicantRow(natural_person=0, total=0))
            if not _has_value(requests)
            else requests
        )
        review = (
            ReviewLitigation(administrative_review=ReviewBlock(total=0))
            if not _has_value(review)
            else review
        )
    pd = base.proactive_disclosure
    if not _has_value(pd):
        pd = attrs.evolve(pd, licensing=attrs.evolve(pd.licensing, decisions=0))
    agency = base.agency
    if agency.level in ("county", "township"):
        agency = attrs.evolve(agency, level=None)
    year = base.year
    if edition == "2019":
        year = draw(st.integers(2019, 2020))
    # published on time (by 31 March of the next year: 条例第五十条), or no date
    published = draw(
        st.none() | st.dates(datetime.date(year + 1, 1, 1), datetime.date(year + 1, 3, 31))
    )
    report: Report = attrs.evolve(
        base,
        year=year,
        published=published,
        agency=agency,
        proactive_disclosure=pd,
        requests=requests,
        review_litigation=review,
        **draw(_adequate_texts(edition)),
    )
    return report


# Text with no figure a claim could read (件 and 起 are not in the alphabet) and enough
# letters to state a problem and a measure.
_LETTERS = st.text(alphabet=_CJK, min_size=PROBLEMS_MIN_CHARS, max_size=PROBLEMS_MIN_CHARS + 40)


@st.composite
def _adequate_texts(draw: st.DrawFn, edition: str) -> dict[str, str | None]:
    """No text part at all (a tables-only report), or all three, each adequate."""
    if draw(st.booleans()):
        return dict.fromkeys(("overview", "problems_and_improvements", "other_matters"))
    other = draw(report_texts())
    if edition == "2021":  # part 六 reports the information-processing fees
        other += "。本年度未收取信息处理费。"
    return {
        "overview": draw(report_texts()),
        "problems_and_improvements": draw(_LETTERS) + draw(report_texts()),
        "other_matters": other,
    }


def reports(
    edition: str | None = None, *, hybrid: bool | None = False, blank_totals: bool = True
) -> st.SearchStrategy[Report]:
    """Consistent reports: every identity holds and no plausibility or prose warning fires.

    The text parts are either all absent (a tables-only report) or all present and adequate
    (part 五 long enough, part 六 of a 2021 report reports the fees, no figure in the text).

    Leaves are drawn (blank, zero, small or large counts) and every total is derived from
    them; a total is blank only when all its parts are blank.

    Args:
        edition: ``"2021"``, ``"2019"`` or ``None`` for both.
        hybrid: For 2021: ``False`` (three （六） sub-rows), ``True`` (the hybrid single row,
            which the checker flags with the ``format.hybrid_edition`` warning).
        blank_totals: Whether a total whose parts are all blank may itself be blank (as
            published reports often print it); ``False`` prints 0 there.
    """
    editions = sorted(EDITIONS) if edition is None else [report_class(edition).format]
    return st.one_of([_reports(e, hybrid if e == "2021" else None, blank_totals) for e in editions])


def _bump(report: Report, addresses: typing.Iterable[str]) -> Report:
    for address in addresses:
        value = get_cell(report, address)
        report = with_cell(report, address, (value or 0) + 1)
    return report


# Each perturbation breaks exactly one rule of a consistent report and keeps every other
# identity true (see the docs' strategies page for why each set of cells works).
_BREAKERS: dict[str, tuple[str, ...]] = {
    "requests.applicant_total": (
        "requests.outcomes.granted.natural_person",
        "requests.outcomes.total.natural_person",
        "requests.new_received.natural_person",
    ),
    "requests.outcomes_total": (
        "requests.outcomes.granted.natural_person",
        "requests.outcomes.granted.total",
    ),
    "requests.balance": (
        "requests.new_received.natural_person",
        "requests.new_received.total",
    ),
    "review_litigation.block_total": ("review_litigation.administrative_review.upheld",),
}

BREAKABLE_RULES: tuple[str, ...] = (
    *_BREAKERS,
    "format.outdated_edition",
    "format.hybrid_edition",
    "timeliness.late_publication",
)
"""Rule ids :func:`reports_breaking` supports: every single-report rule of format-spec.md §8."""


def reports_breaking(rule_id: str) -> st.SearchStrategy[Report]:
    """Reports that violate exactly the rule ``rule_id`` and nothing else.

    Raises:
        ValueError: for a rule that cannot be broken in a single report (the cross-year
            rules need two reports) or an unknown rule.
    """
    if rule_id in _BREAKERS:
        cells_to_bump = _BREAKERS[rule_id]
        # Totals are printed (never blank) so that a bumped part breaks the identity instead
        # of making it not assessable.
        return reports(blank_totals=False).map(lambda r: _bump(r, cells_to_bump))
    if rule_id == "format.hybrid_edition":
        return reports("2021", hybrid=True)
    if rule_id == "timeliness.late_publication":  # after 31 March of the next year
        return (
            reports()
            .filter(lambda r: r.year < 2099)
            .flatmap(
                lambda r: st.dates(
                    datetime.date(r.year + 1, 4, 1), datetime.date(r.year + 2, 12, 31)
                ).map(lambda day: attrs.evolve(r, published=day))
            )
        )
    if rule_id == "format.outdated_edition":
        return st.builds(
            lambda r, year: attrs.evolve(r, year=year), reports("2019"), st.integers(2021, 2030)
        )
    raise ValueError(
        f"cannot generate reports breaking {rule_id!r}; supported: {', '.join(BREAKABLE_RULES)}"
    )


@st.composite
def _marked(draw: st.DrawFn, base: st.SearchStrategy[Report], max_cells: int) -> Report:
    report = draw(base)
    addresses = [c.address for c in cells(report)]
    chosen = draw(st.lists(st.sampled_from(addresses), max_size=max_cells, unique=True))
    marks = {a: draw(st.sampled_from(sorted(UNREAD_REASONS))) for a in chosen}
    for address in chosen:
        report = with_cell(report, address, None)
    marked: Report = attrs.evolve(report, unread=marks)
    return marked


def with_unread(
    base: st.SearchStrategy[Report] | None = None, *, max_cells: int = 30
) -> st.SearchStrategy[Report]:
    """Reports with some cells marked unread (their values removed), as a parser leaves them.

    Args:
        base: The reports to mark (default: :func:`arbitrary_reports`).
        max_cells: The most cells marked in one report.
    """
    return _marked(base if base is not None else arbitrary_reports(), max_cells)


@st.composite
def _ocr_marked(draw: st.DrawFn, base: st.SearchStrategy[Report], max_cells: int) -> Report:
    report = draw(base)
    addresses = [c.address for c in cells(report)]
    chosen = draw(st.lists(st.sampled_from(addresses), max_size=max_cells, unique=True))
    confidence = st.integers(0, 1000).map(lambda n: n / 1000)
    marked: Report = attrs.evolve(report, ocr={a: draw(confidence) for a in chosen})
    return marked


def with_ocr(
    base: st.SearchStrategy[Report] | None = None, *, max_cells: int = 60
) -> st.SearchStrategy[Report]:
    """Reports with some cells marked as read by OCR (any confidence from 0 to 1).

    Args:
        base: The reports to mark (default: :func:`with_unread`, so unread marks too).
        max_cells: The most cells marked in one report.
    """
    return _ocr_marked(base if base is not None else with_unread(), max_cells)
