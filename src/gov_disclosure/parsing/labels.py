"""Label normalisation and matching (format-spec.md §7), with tables built from the model.

Every label the parsers recognise comes from the model's field metadata; aliases are added
here only for wording the template itself does not print (old or local variants).
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from typing import Any

import attrs

from gov_disclosure.model.addressing import cells
from gov_disclosure.model.fields import info
from gov_disclosure.model.report import Report2019, Report2021
from gov_disclosure.model.tables import ApplicantRow, Outcomes, Requests, ReviewLitigation

__all__ = [
    "RowLabel",
    "match_row",
    "normalize",
    "strip_ordinal",
    "table2_rows",
    "table3_rows",
    "table4_blocks",
]

_FOLD = str.maketrans(
    {
        "、": ".",
        "，": ".",
        ",": ".",
        "．": ".",
        "。": ".",
        "“": "",
        "”": "",
        '"': "",
        "‘": "",
        "’": "",
        "'": "",
        "「": "",
        "」": "",
        "：": ":",
    }
)
_SPACE = re.compile(r"\s+")
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+\.|\([一二三四五六七八九十]+\)|\d+\.)")


def normalize(text: str) -> str:
    """Normalise a label for matching: NFKC, no whitespace, folded punctuation and quotes.

    NFKC also maps the Kangxi radicals of PDF text layers (``⼀`` U+2F00) to ``一`` and
    full-width brackets to ASCII ones.
    """
    if len(text) <= _CACHED_LENGTH:  # labels and cells repeat: a document has few distinct
        return _normalize_short(text)
    return _normalize(text)


_CACHED_LENGTH = 200


def _normalize(text: str) -> str:
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _SPACE.sub("", text).translate(_FOLD)


# bounded: at most 4,096 strings of at most 200 characters, whatever the input
_normalize_short = functools.lru_cache(maxsize=4096)(_normalize)


def strip_ordinal(label: str) -> str:
    """A normalised label without its leading ordinal (``1.``, ``(三)``, ``一.``)."""
    return _ORDINAL.sub("", label, count=1)


@attrs.frozen
class RowLabel:
    """A template row the parsers look for.

    Attributes:
        key: The row's address (``requests.outcomes.withheld.state_secret``) or table-2 row
            key (``normative_documents``).
        label: The exact label as printed.
        norm: The normalised label.
        core: The normalised label without its ordinal.
        group: The normalised label of the group the row sits in (``(三)不予公开``), if any.
    """

    key: str
    label: str
    norm: str
    core: str
    group: str | None = None


# Wording seen in published reports that the template does not print.
TABLE2_ALIASES = {
    "2021": {"normative_documents": ("规范性文件",)},
    "2019": {"normative_documents": ("行政规范性文件",)},
}


@functools.cache
def table2_rows(edition: str) -> tuple[RowLabel, ...]:
    """Table-2 row labels of an edition, with aliases, longest first (so 行政规范性文件 wins)."""
    cls = Report2021 if edition == "2021" else Report2019
    pd_type = cls.blank_tables()["proactive_disclosure"]
    rows = []
    for attribute in attrs.fields(type(pd_type)):
        fi = info(attribute)
        labels = (fi.label, *TABLE2_ALIASES.get(edition, {}).get(attribute.name, ()))
        for label in labels:
            norm = normalize(label)
            rows.append(RowLabel(attribute.name, label, norm, norm))
    return tuple(sorted(rows, key=lambda r: -len(r.norm)))


@functools.cache
def table3_rows(single_other: bool) -> tuple[RowLabel, ...]:
    """Table-3 applicant rows in template order (groups are not rows)."""
    template = Requests(outcomes=Outcomes(other=ApplicantRow() if single_other else _other()))
    rows: list[RowLabel] = []
    seen: set[str] = set()
    for cell in cells(_Wrapper(requests=template)):
        row = cell.address.rpartition(".")[0]
        if row in seen:
            continue
        seen.add(row)
        labels = cell.labels[1:-1]  # without the section and the column
        norm = normalize(labels[-1])
        group = normalize(labels[-2]) if len(labels) >= 2 and "outcomes" in row else None
        rows.append(RowLabel(row, labels[-1], norm, strip_ordinal(norm), group))
    return tuple(rows)


def _other() -> Any:
    from gov_disclosure.model.tables import OtherOutcomes

    return OtherOutcomes()


@attrs.frozen(kw_only=True)
class _Wrapper:
    """Lets :func:`cells` walk a lone table with the report's labels."""

    requests: Requests[Any] = attrs.field(
        metadata=attrs.fields_dict(Report2021)["requests"].metadata
    )


@functools.cache
def table3_groups() -> tuple[str, ...]:
    """Normalised labels of table 3's row groups (三、本年度办理结果, （三）不予公开 ...)."""
    groups = {normalize("三、本年度办理结果")}
    for row in table3_rows(False):
        if row.group:
            groups.add(row.group)
    return tuple(sorted(groups, key=len, reverse=True))


@functools.cache
def table4_blocks() -> tuple[RowLabel, ...]:
    """Table-4 blocks in template order."""
    return tuple(
        RowLabel(f"review_litigation.{a.name}", info(a).label, normalize(info(a).label), "")
        for a in attrs.fields(ReviewLitigation)
    )


def match_row(
    label: str, rows: tuple[RowLabel, ...], *, group: str | None = None
) -> tuple[RowLabel | None, str]:
    """Find the template row a printed label names.

    Tries, in order: the exact normalised label; the label without its ordinal; a truncated
    label (a prefix of at least 5 characters) or a label with extra text appended; and a
    close match (similarity ≥ 0.8, for typos such as 其他法律行政止公开). Where a row's
    ordinal label is ambiguous (``3.其他``), the group context decides.

    Returns:
        ``(row, how)`` where ``how`` is ``exact``, ``core``, ``prefix``, ``fuzzy`` or ``none``.
    """
    norm = normalize(label)
    if not norm:
        return None, "none"
    core = strip_ordinal(norm)

    def pick(candidates: list[RowLabel]) -> RowLabel | None:
        if len(candidates) > 1 and group is not None:
            in_group = [c for c in candidates if c.group == group]
            if in_group:
                candidates = in_group
        return candidates[0] if len(candidates) == 1 else None

    found = pick([r for r in rows if r.norm == norm])
    if found is not None:
        return found, "exact"
    found = pick([r for r in rows if core and r.core == core])
    if found is not None:
        return found, "core"
    if len(core) >= 5:
        found = pick(
            [
                r
                for r in rows
                if r.core.startswith(core) or (len(r.core) >= 4 and core.startswith(r.core))
            ]
        )
        if found is not None:
            return found, "prefix"
    if len(core) >= 4:
        best: list[tuple[float, int]] = []
        size = len(core)
        for i, row in enumerate(rows):
            # cheap upper bounds first: most rows are nowhere near. The lengths' bound is
            # SequenceMatcher.real_quick_ratio, before building a matcher (which indexes
            # the row's label: most of a fuzzy match's cost)
            other = len(row.core)
            if 2.0 * min(size, other) / (size + other) < 0.8:  # difflib's own arithmetic
                continue
            matcher = difflib.SequenceMatcher(None, core, row.core)
            if matcher.quick_ratio() >= 0.8:
                best.append((matcher.ratio(), i))
        best.sort(reverse=True)
        if best and best[0][0] >= 0.8 and (len(best) == 1 or best[1][0] < best[0][0]):
            return rows[best[0][1]], "fuzzy"
    return None, "none"
