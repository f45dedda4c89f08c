"""Reading one printed cell: numbers, blank markers, annotations and units (format-spec.md §7)."""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation

import attrs

from gov_disclosure.model.fields import MAX_COUNT
from gov_disclosure.serialization.leaves import MONEY_RE

__all__ = [
    "ANNOTATION_PATTERN",
    "BLANK_MARKERS",
    "NOT_APPLICABLE",
    "PAGE_FOOTER_PATTERN",
    "CellReading",
    "is_value_text",
    "read_cell",
]

ANNOTATION_PATTERN = r"[(（](?:其中|含|包括|另有|注)[^()（）\n]{0,30}[)）]"
"""An annotation after a value (``22（其中修订16件）``, ``3（含转办1件）``); an ordinal such as
``（三）不予公开`` does not look like one."""

PAGE_FOOTER_PATTERN = r"[-—–－]\s*\d+\s*[-—–－]"
"""A page footer (``- 3 -``): a cell holding one reads as blank, and in cell-per-line text a
line holding one amid a row is part of no cell."""

NOT_APPLICABLE = frozenset({"/", "／", "\\", "不适用", "不涉及"})
"""Printed markers that say a cell does not apply to this body: read as blank, with the
diagnostic ``not_applicable`` (kept apart from a dash or 无, ``blank_marker``)."""

BLANK_MARKERS = frozenset({"-", "—", "–", "－", "——", "无", *NOT_APPLICABLE})
"""Printed markers that mean an empty cell; read as blank with a diagnostic."""

_INT = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^\d+\.\d+$")
_MONEY = MONEY_RE  # the same plain decimal notation the JSON format requires
_ANNOTATED = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*[(（](.*)[)）]$")
_UNIT = re.compile(r"^(\d+(?:\.\d+)?)\s*(万元|元|件|个|条|项|次)$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+$")
_FOOTER = re.compile(rf"^{PAGE_FOOTER_PATTERN}$")
# Digits on a line below other digits or below an empty first line, as only cell-per-line
# text keeps them (the grid extractors fold a cell's lines into one): a page number or a stray
# line under the value, or the cell's own value, and no telling which. Joined, they would make
# a number nobody printed (214 and 13 are not 21413); under a blank cell, a value or nothing.
_TWO_LINES = re.compile(r"(?:\d|\A)[^\S\n]*\n\s*\d")
_TWO_LINES_DETAIL = "digits on a line below the cell's first line: a page number, or the value"
# digits broken by spaces join (a number wrapped in a narrow cell), but not after a lone 0: no
# number starts with 0, so "0 28 0" is several cells' values in one, never 280
_NUMBERS_AFTER_ZERO = re.compile(r"\A\s*0\s+\d")
# the 2019 本年增/减 column written in words: 减12 is -12, 增3 (增加3) is +3
_SIGN_WORD = re.compile(r"^(增加|减少|增|减)(\d+)$")


@attrs.frozen
class CellReading:
    """What a printed cell says.

    Attributes:
        value: The number (``int`` or ``Decimal``), or ``None`` for a blank.
        raw: The text as printed.
        code: ``None`` for a plain number or an empty cell; otherwise the diagnostic code
            (``blank_marker``, ``not_applicable``, ``annotation``, ``unit``,
            ``thousands_separator``,
            ``illegible``).
        detail: The annotation, the unit or the reason.
    """

    value: int | Decimal | None
    raw: str
    code: str | None = None
    detail: str | None = None


def _clean(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).replace("\u00a0", " ")
    return re.sub(r"\s+", "", text)


def _is_smudge(text: str) -> bool:
    """A short run of digits and symbols with at least one symbol: ``▯``, ``1□``, ``�``.

    Bad scans and crawlers leave such glyphs where a number was printed; they take a value's
    place in the row (so the columns stay aligned) and the cell is read as ``illegible``.
    """
    if len(text) > 6:
        return False
    glyphs = [c for c in text if not c.isdigit()]
    # symbols (▯ □ ■ ● ※), the replacement character and question marks; not ordinary
    # punctuation, which label fragments carry ("1." "（")
    return bool(glyphs) and all(
        unicodedata.category(c)[0] == "S" or c in "\ufffd?？*＊" for c in glyphs
    )


def is_value_text(raw: str) -> bool:
    """Whether a cell looks like a value (number, blank marker, smudged number), not a label."""
    if len(raw) <= 64:  # cells repeat ("0", "116"): cached, bounded
        return _is_value_text_short(raw)
    return _is_value_text(raw)


def _is_value_text(raw: str) -> bool:
    text = _clean(raw)
    if not text or text in BLANK_MARKERS or _is_smudge(text):
        return True
    return bool(
        _INT.match(text)
        or _DECIMAL.match(text)
        or _ANNOTATED.match(text)
        or _UNIT.match(text)
        or _THOUSANDS.match(text)
        or _SIGN_WORD.match(text)
    )


_is_value_text_short = functools.lru_cache(maxsize=4096)(_is_value_text)


def read_cell(raw: str, *, money: bool = False, signed: bool = False) -> CellReading:
    """Read one printed cell.

    Args:
        raw: The cell text.
        money: The cell holds a decimal amount.
        signed: A sign is allowed (the 2019 ``本年增/减`` column).
    """
    if _TWO_LINES.search(raw):
        return CellReading(None, raw, "illegible", _TWO_LINES_DETAIL)
    text = _clean(raw)
    if not text:
        return CellReading(None, raw)
    if _NUMBERS_AFTER_ZERO.match(unicodedata.normalize("NFKC", raw)):
        return CellReading(None, raw, "illegible", "several numbers in one cell")
    if text in NOT_APPLICABLE:
        return CellReading(
            None, raw, "not_applicable", f"{text!r} printed: not applicable, read as blank"
        )
    if text in BLANK_MARKERS or _FOOTER.match(text):
        return CellReading(None, raw, "blank_marker", f"{text!r} read as a blank cell")
    unit = None
    annotation = None
    word = _SIGN_WORD.match(text)
    if word:
        sign = "-" if word.group(1).startswith("减") else "+"
        number = sign + word.group(2)
        return _number(number, raw, money, signed, "sign_word", f"{text} = {number}")
    match = _ANNOTATED.match(text)
    if match:
        text, annotation = match.group(1), match.group(2)
    match = _UNIT.match(text)
    if match:
        text, unit = match.group(1), match.group(2)
    if _THOUSANDS.match(text):
        return _number(text.replace(",", ""), raw, money, signed, "thousands_separator", text)
    code, detail = (
        ("annotation", annotation) if annotation else ("unit", unit) if unit else (None, None)
    )
    return _number(text, raw, money, signed, code, detail)


def _number(
    text: str, raw: str, money: bool, signed: bool, code: str | None, detail: str | None
) -> CellReading:
    if money:
        try:
            value = Decimal(text)
        except InvalidOperation:
            return CellReading(None, raw, "illegible", "not a decimal number")
        if not value.is_finite() or value < 0 or not _MONEY.fullmatch(text):
            return CellReading(None, raw, "illegible", "not a non-negative decimal")
        return CellReading(value, raw, code, detail)
    if not _INT.match(text):
        return CellReading(None, raw, "illegible", "not a whole number")
    if text[0] in "+-" and not signed:
        return CellReading(None, raw, "illegible", "a sign is not allowed in this cell")
    if len(text.lstrip("+-").lstrip("0")) > len(str(MAX_COUNT)) or abs(int(text)) > MAX_COUNT:
        # no body counts that many: digits of several cells run together (an OCR box over
        # a rule, a lost separator), and the report could not hold it anyway
        return CellReading(None, raw, "illegible", f"larger than the largest count ({MAX_COUNT})")
    return CellReading(int(text), raw, code, detail)
