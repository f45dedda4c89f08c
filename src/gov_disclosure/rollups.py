"""Roll-ups across a hierarchy: missing children's reports, and children's sums beside a parent's.

An evaluator of a city looks at its districts and departments together. Given the reports of
a year and a **hierarchy** (which body is the parent of which), a roll-up says for each
parent:

- which children published no report for the year (``missing``);
- for every cell of tables 2, 3 and 4, the sum of the children's figures beside the parent's
  own figure (:class:`CellRollUp`).

A parent's report is one of two things, and only the user can say which (``report`` in the
hierarchy file): its **own** report (本机关) — the children's sum is then shown beside it,
never compared — or a **summary** (全市/全区汇总) of the area — then each cell where the
summary differs from the children's sum is listed as a difference. A difference is an
*info* comparison, never an inconsistency: a summary may rightly cover bodies that publish
no report of their own.

Blank is not zero and unread is not blank here too: a children's sum adds the printed
figures (a blank child counts as nothing printed, as the identities count it); it is blank
when every child is blank, and unknown (``None``, with the children named) when any child's
cell was not read. Cells read by OCR are named, since a misreading is possible.

A hierarchy is a JSON file validated by :data:`HIERARCHY_SCHEMA` (shipped as
``schemas/hierarchy.schema.json``), or derived from the reports' ``agency.region``,
``agency.level`` and ``agency.kind`` (:func:`derive_hierarchy`).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import attrs

from gov_disclosure.errors import DocumentError, Problem
from gov_disclosure.model.addressing import cells
from gov_disclosure.model.report import Report

__all__ = [
    "HIERARCHY_SCHEMA",
    "HIERARCHY_VERSION",
    "Body",
    "CellRollUp",
    "Hierarchy",
    "Parent",
    "RollUp",
    "derive_hierarchy",
    "hierarchy_from_data",
    "iter_roll_up",
    "load_for_rollup",
    "load_hierarchy",
    "normalized",
    "region_of",
    "roll_up",
    "rollup_rows",
    "tables_only",
]

HIERARCHY_VERSION = 1
"""The version of the hierarchy file format (``format_version``)."""

ReportKind = Literal["own", "summary", "unstated"]

_NAME = {"type": "string", "minLength": 1, "maxLength": 500}
_ALIASES = {
    "type": "array",
    "items": _NAME,
    "maxItems": 100,
    "uniqueItems": True,
    "description": "other names the body's reports print (a former name, a misprint)",
}
_BODY = {
    "oneOf": [
        _NAME,
        {
            "type": "object",
            "required": ["name"],
            "additionalProperties": False,
            "properties": {"name": _NAME, "aliases": _ALIASES},
        },
    ]
}

HIERARCHY_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": f"urn:gov-disclosure:schema:hierarchy:{HIERARCHY_VERSION}",
    "title": "gov_disclosure hierarchy: which body is the parent of which, for roll-ups",
    "type": "object",
    "required": ["format_version", "parents"],
    "additionalProperties": False,
    "properties": {
        "format_version": {"const": HIERARCHY_VERSION},
        "title": {"type": "string", "maxLength": 2000},
        "parents": {
            "type": "array",
            "maxItems": 100_000,
            "items": {
                "type": "object",
                "required": ["name", "children"],
                "additionalProperties": False,
                "properties": {
                    "name": _NAME,
                    "aliases": _ALIASES,
                    "report": {
                        "enum": ["own", "summary"],
                        "description": "the parent's report is its own (本机关) or a summary "
                        "of its area (全市/全区汇总)",
                    },
                    "children": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 100_000,
                        "items": _BODY,
                    },
                },
            },
        },
    },
}
"""The hierarchy file's JSON Schema (also ``schemas/hierarchy.schema.json``)."""


@attrs.frozen
class Body:
    """A body of the hierarchy: its name, and other names its reports print.

    Attributes:
        name: The name shown in the roll-up.
        aliases: Other names that are the same body (a former name, a misprint such as
            沐阳县 for 沭阳县); matched like the name.
    """

    name: str
    aliases: tuple[str, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        """Its names as matched (see :func:`normalized`)."""
        return tuple(normalized(n) for n in (self.name, *self.aliases))


@attrs.frozen
class Parent:
    """A parent body, its children, and what its own report is.

    Attributes:
        body: The parent.
        children: The children.
        report: ``own``, ``summary`` or ``unstated`` (then nothing is compared).
    """

    body: Body
    children: tuple[Body, ...]
    report: ReportKind = "unstated"

    @property
    def name(self) -> str:
        """The parent's name."""
        return self.body.name


@attrs.frozen
class Hierarchy:
    """Parents with their children (a child may be the parent of others)."""

    parents: tuple[Parent, ...]


def normalized(name: str) -> str:
    """A body's name for matching: NFKC (full-width brackets, digits), no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


def hierarchy_from_data(data: Any, *, source: str | None = None) -> Hierarchy:
    """A hierarchy from JSON-shaped data, validated against :data:`HIERARCHY_SCHEMA`.

    Raises:
        DocumentError: with the JSON path of each problem; also for a parent listed twice or
            a body that is its own child.
    """
    from gov_disclosure.schemas.json_schema import schema_problems, strict_validator

    problems = schema_problems(strict_validator(HIERARCHY_SCHEMA), data)
    parents = [] if problems else [_parent(entry) for entry in data["parents"]]
    seen: dict[str, int] = {}
    for i, parent in enumerate(parents):
        for key in parent.body.keys:
            if key in seen and seen[key] != i:
                message = f"{parent.name!r} is listed as a parent at $.parents[{seen[key]}] too"
                problems.append(Problem(f"$.parents[{i}].name", message))
            seen.setdefault(key, i)
        if set(parent.body.keys) & {k for c in parent.children for k in c.keys}:
            problems.append(Problem(f"$.parents[{i}]", "a body is not its own child"))
    if problems:
        raise DocumentError(problems, source=source)
    return Hierarchy(tuple(parents))


def _body(data: Any) -> Body:
    if isinstance(data, str):
        return Body(data)
    return Body(data["name"], tuple(data.get("aliases", ())))


def _parent(entry: dict[str, Any]) -> Parent:
    body = Body(entry["name"], tuple(entry.get("aliases", ())))
    children = tuple(_body(c) for c in entry["children"])
    return Parent(body, children, entry.get("report", "unstated"))


def load_hierarchy(path: str | Path) -> Hierarchy:
    """Read a hierarchy file (JSON).

    Raises:
        DocumentError: for a file that is not a valid hierarchy, with the place of each problem.
    """
    from gov_disclosure.schemas.json_schema import strict_json
    from gov_disclosure.serialization.documents import read_bytes

    name = str(path)
    data = strict_json(read_bytes(path), source=name, refusal="not a hierarchy file")
    return hierarchy_from_data(data, source=name)


_BELOW = {"national": "provincial", "provincial": "prefectural", "prefectural": "county"}
_BELOW["county"] = "township"


# a chain of place names, each ending in an administrative suffix: 淮安市洪泽区人民政府 →
# 淮安市洪泽区 (a name of at most 8 characters before each suffix; 州 before 市 is a name's:
# 柳州市)
_SUFFIX = "自治区|自治州|自治县|地区|省|市|区|县|旗|州(?!市)|盟|乡|镇"
_PLACES = re.compile(rf"(?:[^省市区县旗盟乡镇\s]{{1,8}}?(?:{_SUFFIX}))+")


def region_of(agency: Any) -> str | None:
    """The agency's region: ``agency.region``, else the place names its name starts with.

    ``沭阳县发展和改革局`` → ``沭阳县``; ``淮安市洪泽区人民政府`` → ``淮安市洪泽区``; ``None`` when
    the name does not start with a place name.
    """
    if agency.region:
        return normalized(agency.region)
    match = _PLACES.match(normalized(agency.name))
    return match.group() if match else None


def derive_hierarchy(reports: Iterable[Report]) -> Hierarchy:
    """A hierarchy from the reports' own ``agency`` fields, where they say enough.

    A government (``kind`` ``government``) of level L in region R is the parent of the
    departments of level L in R and of the governments of the next level down whose region
    starts with R (``柳州市`` → ``柳州市柳北区``). The region is ``agency.region``, else the
    place names the body's name starts with (:func:`region_of`). Reports without a region,
    level or kind take no part. Every parent's report is ``unstated``: the children's sums
    are shown, never compared, until a hierarchy file says which reports are summaries.

    Each body's region is found once and the children are looked up by level and region (a
    sorted list for the prefixes), so a national corpus costs n log n, not n².
    """
    bodies: dict[str, tuple[Any, str]] = {}
    for report in reports:
        agency = report.agency
        region = region_of(agency)
        if region and agency.level and agency.kind:
            bodies.setdefault(normalized(agency.name), (agency, region))
    departments: dict[tuple[str, str], list[str]] = {}
    governments: dict[str, list[tuple[str, str]]] = {}  # level -> sorted (region, name)
    for agency, region in bodies.values():
        if agency.kind == "department":
            departments.setdefault((agency.level, region), []).append(agency.name)
        elif agency.kind == "government":
            governments.setdefault(agency.level, []).append((region, agency.name))
    for entries in governments.values():
        entries.sort()
    parents = []
    for agency, region in bodies.values():
        if agency.kind != "government":
            continue
        children = list(departments.get((agency.level, region), ()))
        below = governments.get(_BELOW.get(agency.level, ""), [])
        for other, name in below[bisect.bisect_left(below, (region,)) :]:
            if not other.startswith(region):
                break
            if other != region:
                children.append(name)
        if children:
            parents.append(Parent(Body(agency.name), tuple(map(Body, sorted(children)))))
    return Hierarchy(tuple(sorted(parents, key=lambda p: p.name)))


@attrs.frozen
class CellRollUp:
    """One cell of a roll-up: the parent's figure beside its children's sum.

    Attributes:
        address: The canonical cell address.
        parent: The parent's figure (``None``: blank, unread, or no parent report).
        parent_status: ``value``, ``blank``, ``unread`` or ``missing`` (no parent report).
        children_sum: The children's sum; ``None`` when every child is blank or any is unread.
        counted: How many children's figures were added (printed figures).
        unread: Children whose cell was not read (the sum is then unknown).
        ocr: Children whose figure was read by OCR (a misreading is possible).
        difference: ``parent − children_sum`` where the parent's report is a summary and
            both are known; ``None`` otherwise.
    """

    address: str
    parent: Decimal | int | None
    parent_status: str
    children_sum: Decimal | int | None
    counted: int
    unread: tuple[str, ...] = ()
    ocr: tuple[str, ...] = ()
    difference: Decimal | int | None = None


@attrs.frozen
class RollUp:
    """A parent's roll-up for one year.

    Attributes:
        parent: The parent's name.
        year: The report year.
        report: What the parent's report is (``own``, ``summary``, ``unstated``).
        edition: The template edition summed (the parent's, else the first child's).
        reported: Children with a report for the year (as the hierarchy names them).
        missing: Children without one.
        other_edition: Children whose report is of another template edition (not summed).
        parent_reported: Whether the parent's own report for the year is in the set.
        cells: One entry per cell of tables 2, 3 and 4, in template order.
        duplicated: Bodies (the parent or children) with more than one report for the year,
            under their names and aliases: the first in input order is used.
    """

    parent: str
    year: int
    report: ReportKind
    edition: str
    reported: tuple[str, ...]
    missing: tuple[str, ...]
    other_edition: tuple[str, ...]
    parent_reported: bool
    cells: tuple[CellRollUp, ...]
    duplicated: tuple[str, ...] = ()

    @property
    def differences(self) -> tuple[CellRollUp, ...]:
        """Cells where a summary report differs from its children's sum."""
        return tuple(c for c in self.cells if c.difference)

    def to_dict(self) -> dict[str, Any]:
        """As JSON data (money as strings: exact decimals)."""

        def number(value: Decimal | int | None) -> Any:
            return str(value) if isinstance(value, Decimal) else value

        return {
            "parent": self.parent,
            "year": self.year,
            "report": self.report,
            "edition": self.edition,
            "parent_reported": self.parent_reported,
            "reported": list(self.reported),
            "missing": list(self.missing),
            "other_edition": list(self.other_edition),
            "duplicated": list(self.duplicated),
            "differences": len(self.differences),
            "cells": [
                {
                    "address": c.address,
                    "parent": number(c.parent),
                    "parent_status": c.parent_status,
                    "children_sum": number(c.children_sum),
                    "counted": c.counted,
                    "unread": list(c.unread),
                    "ocr": list(c.ocr),
                    "difference": number(c.difference),
                }
                for c in self.cells
            ],
        }


def tables_only(report: Report) -> Report:
    """The report without its text parts: all a roll-up reads, in a fraction of the memory.

    A batch of a city's reports is held in memory for its roll-up; their prose (often
    most of a report's size) is dropped where they are loaded.
    """
    from gov_disclosure.rules.prose import SECTIONS

    return attrs.evolve(report, **dict.fromkeys(SECTIONS, None))  # type: ignore[arg-type]


def load_for_rollup(source: Any) -> Report:
    """A worker's task: load (or parse) one input, keep its tables (:func:`tables_only`)."""
    from gov_disclosure.sources import load_any

    return tables_only(load_any(source))


def _cells_of(report: Report) -> dict[str, Any]:
    return {c.address: c for c in cells(report)}


def _find(body: Body, found: dict[str, list[Report]]) -> list[Report]:
    """The body's reports of the year, under its name or any alias (the first is used)."""
    reports: list[Report] = []
    for key in dict.fromkeys(body.keys):
        reports += found.get(key, ())
    return reports


def _one_parent(parent: Parent, year: int, found: dict[str, list[Report]]) -> RollUp:
    own_reports = _find(parent.body, found)
    child_reports = [(child.name, _find(child, found)) for child in parent.children]
    duplicated = tuple(
        name for name, those in ((parent.name, own_reports), *child_reports) if len(those) > 1
    )
    own = own_reports[0] if own_reports else None
    children = [(name, those[0] if those else None) for name, those in child_reports]
    reported = [(n, r) for n, r in children if r is not None]
    edition = own.format if own is not None else reported[0][1].format if reported else ""
    summed = [(n, r) for n, r in reported if r.format == edition]
    child_cells = [(n, _cells_of(r), r.ocr) for n, r in summed]
    own_cells = _cells_of(own) if own is not None else {}
    addresses = list(own_cells) if own is not None else list(child_cells[0][1]) if summed else []
    rows = []
    for address in addresses:
        total: Decimal | int = 0
        counted = 0
        unread, ocr = [], []
        for name, those, read_by_ocr in child_cells:
            cell = those.get(address)
            if cell is None:  # a hybrid report's （六） row: not the same cell
                unread.append(name)
                continue
            if cell.unread is not None:
                unread.append(name)
            elif cell.value is not None:
                total += cell.value
                counted += 1
                if address in read_by_ocr:
                    ocr.append(name)
        known = not unread and counted > 0
        mine = own_cells.get(address)
        status = "missing" if mine is None else mine.status
        value = mine.value if mine is not None else None
        difference = None
        if parent.report == "summary" and known and status == "value":
            difference = value - total  # type: ignore[operator]
        rows.append(
            CellRollUp(
                address,
                value,
                status,
                total if known else None,
                counted,
                tuple(unread),
                tuple(ocr),
                difference,
            )
        )
    return RollUp(
        parent=parent.name,
        year=year,
        report=parent.report,
        edition=edition,
        reported=tuple(n for n, _ in reported),
        missing=tuple(n for n, r in children if r is None),
        other_edition=tuple(n for n, r in reported if r.format != edition),
        parent_reported=own is not None,
        cells=tuple(rows),
        duplicated=duplicated,
    )


def roll_up(
    reports: Iterable[Report], hierarchy: Hierarchy, *, years: Sequence[int] | None = None
) -> list[RollUp]:
    """Roll the reports up the hierarchy, one :class:`RollUp` per parent and year.

    Args:
        reports: The reports (any years; a body's first report of a year is used, and the
            bodies with more than one are named in :attr:`RollUp.duplicated`).
        hierarchy: Who is whose parent (:func:`load_hierarchy`, :func:`derive_hierarchy`).
        years: The years to roll up (default: every year of the reports).

    Returns:
        Roll-ups by parent (hierarchy order), then year.
    """
    return list(iter_roll_up(reports, hierarchy, years=years))


def iter_roll_up(
    reports: Iterable[Report], hierarchy: Hierarchy, *, years: Sequence[int] | None = None
) -> Iterator[RollUp]:
    """:func:`roll_up`, one roll-up at a time (memory: the reports and one roll-up)."""
    by_year: dict[int, dict[str, list[Report]]] = {}
    for report in reports:
        key = normalized(report.agency.name)
        by_year.setdefault(report.year, {}).setdefault(key, []).append(report)
    chosen = sorted(by_year) if years is None else sorted(set(years))
    for parent in hierarchy.parents:
        for year in chosen:
            yield _one_parent(parent, year, by_year.get(year, {}))


def rollup_rows(rollups: Iterable[RollUp]) -> Iterator[dict[str, Any]]:
    """The roll-ups as rows of the roll-ups table (:data:`~gov_disclosure.columns.ROLLUP_COLUMNS`).

    Money as exact decimal strings, lists of children separated by ``"; "`` (as the export's
    other list columns of names).
    """
    from gov_disclosure.columns import SEPARATOR, number_field
    from gov_disclosure.rules.definitions import TABLE_NAMES

    for r in rollups:
        for c in r.cells:
            yield {
                "parent": r.parent,
                "year": r.year,
                "report": r.report,
                "edition": r.edition,
                "address": c.address,
                "table": TABLE_NAMES[c.address.partition(".")[0]][0],
                "parent_value": number_field(c.parent),
                "parent_status": c.parent_status,
                "children_sum": number_field(c.children_sum),
                "counted": c.counted,
                "unread": SEPARATOR.join(c.unread),
                "ocr": SEPARATOR.join(c.ocr),
                "difference": number_field(c.difference),
            }
