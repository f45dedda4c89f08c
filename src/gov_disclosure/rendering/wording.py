"""The tables' figures in the official wording: the sentences a report's text states.

Platforms that write reports put the same figures in the text as in the tables
(收到政府信息公开申请N件，办结N件…). :func:`describe` writes them from the report itself, so
the text can never contradict the tables: a clause is written only when every cell it
states holds a read value (never a blank or unread cell), and the sentences are worded so
that the checker's own claim patterns (``text.table_mismatch``) read exactly these figures.
:func:`describe_fees` writes part 六's sentence on the information-processing fees
(信息处理费), from the facts the platform holds, in the wording
``narrative.fees_not_reported`` looks for.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from gov_disclosure.model.addressing import get_cell
from gov_disclosure.model.report import Report

__all__ = ["describe", "describe_fees"]

# (cells summed, Chinese clause, English clause); {n} is the sum
_CLAUSES: dict[str, list[tuple[tuple[str, ...], str, str]]] = {
    "requests": [
        (
            ("requests.new_received.total",),
            "本年度共收到政府信息公开申请{n}件",
            "{n} requests for government information received this year",
        ),
        (
            ("requests.carried_over.total",),
            "上年结转政府信息公开申请{n}件",
            "{n} carried over from last year",
        ),
        (("requests.outcomes.total.total",), "办结{n}件", "{n} concluded"),
        (
            ("requests.carried_forward.total",),
            "结转下年度继续办理{n}件",
            "{n} carried forward to next year",
        ),
    ],
    "review": [
        (
            ("review_litigation.administrative_review.total",),
            "因政府信息公开工作被申请行政复议{n}件",
            "{n} administrative reviews about information disclosure",
        ),
        (
            (
                "review_litigation.litigation_direct.total",
                "review_litigation.litigation_after_review.total",
            ),
            "被提起行政诉讼{n}件",
            "{n} lawsuits",
        ),
    ],
}

_PROACTIVE: dict[str, list[tuple[tuple[str, ...], str, str]]] = {
    "2021": [
        (("proactive_disclosure.regulations.issued",), "本年制发规章{n}件", "{n} 规章 issued"),
        (
            ("proactive_disclosure.regulations.in_force",),
            "现行有效规章{n}件",
            "{n} 规章 in force",
        ),
        (
            ("proactive_disclosure.normative_documents.issued",),
            "制发行政规范性文件{n}件",
            "{n} normative documents issued",
        ),
        (
            ("proactive_disclosure.normative_documents.repealed",),
            "废止行政规范性文件{n}件",
            "{n} repealed",
        ),
        (
            ("proactive_disclosure.normative_documents.in_force",),
            "现行有效行政规范性文件{n}件",
            "{n} in force",
        ),
    ],
    "2019": [
        (("proactive_disclosure.regulations.made",), "本年新制作规章{n}件", "{n} 规章 made"),
        (
            ("proactive_disclosure.normative_documents.made",),
            "新制作规范性文件{n}件",
            "{n} normative documents made",
        ),
    ],
}


def _sum(report: Report, addresses: Sequence[str]) -> int | None:
    total = 0
    for address in addresses:
        value = get_cell(report, address)
        if address in report.unread or not isinstance(value, int):
            return None  # a blank or unread cell: the clause is left out
        total += value
    return total


def _sentence(report: Report, clauses: list[tuple[tuple[str, ...], str, str]], lang: str) -> str:
    parts = []
    for cells, zh, en in clauses:
        value = _sum(report, cells)
        if value is not None:
            parts.append((zh if lang == "zh" else en).format(n=value))
    if not parts:
        return ""
    if lang == "zh":
        return "，".join(parts) + "。"
    return parts[0][0].upper() + parts[0][1:] + "".join(f"; {p}" for p in parts[1:]) + "."


def describe(report: Report, *, lang: str = "zh") -> str:
    """The sentences that state the tables' figures, as reports' text usually does.

    Args:
        report: The report.
        lang: ``zh`` (the official wording) or ``en``.

    Returns:
        One sentence each for table 2, table 3 and table 4, leaving out every figure whose
        cells are blank or unread (an empty string when nothing can be stated).

    Raises:
        ValueError: for a ``lang`` other than ``zh`` and ``en``.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang is 'zh' or 'en', not {lang!r}")
    sentences = [
        _sentence(report, _PROACTIVE[report.format], lang),
        _sentence(report, _CLAUSES["requests"], lang),
        _sentence(report, _CLAUSES["review"], lang),
    ]
    return ("" if lang == "zh" else " ").join(s for s in sentences if s)


def describe_fees(amount_yuan: int | Decimal | None, *, lang: str = "zh") -> str:
    """Part 六's sentence on the information-processing fees (信息处理费) collected.

    Args:
        amount_yuan: The fees collected this year in 元; ``0`` or ``None``: none.
        lang: ``zh`` or ``en``.

    Raises:
        ValueError: for a negative amount or an unknown ``lang``.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang is 'zh' or 'en', not {lang!r}")
    if amount_yuan is not None and amount_yuan < 0:
        raise ValueError(f"fees collected cannot be negative, got {amount_yuan}")
    if amount_yuan is None or amount_yuan == 0:
        if lang == "zh":
            return "本年度未收取信息处理费。"
        return "No information-processing fees (信息处理费) were collected this year."
    amount = format(Decimal(amount_yuan), "f")
    if lang == "zh":
        return f"本年度收取信息处理费{amount}元。"
    return f"Information-processing fees (信息处理费) of {amount} yuan were collected this year."
