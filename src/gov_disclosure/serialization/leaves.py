"""The leaf values of the JSON format: their checks and the messages that explain a refusal.

Shared by the reference converter (cattrs) and the generated fast path, and free of cattrs so
that reading a valid document never imports it.
"""

from __future__ import annotations

import datetime
import json
import re
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from gov_disclosure.model.fields import MAX_COUNT, MONEY_DIGITS, MONEY_PLACES, YEAR_RANGE
from gov_disclosure.model.introspection import union_members
from gov_disclosure.model.unread import UNREAD_REASONS

__all__ = [
    "MONEY_PATTERN",
    "MONEY_RE",
    "SURROGATE_RE",
    "check_unicode",
    "choice_hook",
    "choices_of",
    "count_hook",
    "date_hook",
    "describe",
    "exact_number",
    "money_hook",
    "ocr_hook",
    "required_text_hook",
    "signed_hook",
    "text_hook",
    "unread_hook",
    "year_hook",
]

MONEY_PATTERN = rf"^[0-9]{{1,{MONEY_DIGITS}}}(\.[0-9]{{1,{MONEY_PLACES}}})?(?!\n)$"
"""Money cells as JSON strings: plain decimal notation, no sign, no exponent.

ECMA-262 (JSON Schema) reads ``$`` as the end of the string, but Python's ``re`` (and so
python-jsonschema) also lets ``$`` match before a final newline: ``(?!\n)`` closes that gap in
both dialects (``\\Z`` would be a literal ``Z`` in ECMA-262). Python code uses :data:`MONEY_RE`.
"""

MONEY_RE = re.compile(rf"[0-9]{{1,{MONEY_DIGITS}}}(\.[0-9]{{1,{MONEY_PLACES}}})?")
"""The money pattern for Python's ``re.fullmatch`` (no newline slips through)."""

SURROGATE_RE = re.compile("[\ud800-\udfff]")
_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def exact_number(text: str) -> Decimal:
    """A JSON number written with a point or an exponent, read exactly (``parse_float``).

    Every reader of our JSON formats takes such numbers as :class:`~decimal.Decimal`, so that
    ``115.99999999999999999`` stays a non-integer rather than becoming the float ``116.0``.

    Raises:
        ValueError: for an exponent past what ``Decimal`` holds (``1e99999999999999999999``),
            which ``Decimal`` itself refuses with ``decimal.InvalidOperation``: no report,
            baseline or scoring pack has a use for such a number.
    """
    try:
        return Decimal(text)
    except ArithmeticError:  # decimal.InvalidOperation
        shown = text if len(text) <= 40 else f"{text[:37]}..."
        raise ValueError(f"the number {shown} is out of range") from None


def describe(value: object) -> str:
    """A short JSON-ish rendering of a bad value for error messages."""
    if type(value) is int and value.bit_length() > 200:  # json.dumps of it is slow and long
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"
    if isinstance(value, float) and type(value) is not float:  # the decoder's huge-number marker
        return repr(value)
    if isinstance(value, Decimal):  # a number written with a point, read exactly
        text = str(value)
        return text if len(text) <= 60 else f"a number of {len(text)} characters"
    try:
        shown = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _as_int(value: object) -> int | None:
    """An integer from JSON: ints, and integral floats (JSON Schema calls ``1.0`` an integer).

    A float is taken only where it is exact (``1e23`` is not 10**23 as a float): above
    :data:`MAX_COUNT` it is refused rather than stored as the float's nearest integer.
    """
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer() and abs(value) <= MAX_COUNT:
        return int(value)
    # JSON text is read with exact decimals: 116.0 is an integer, 115.99999999999999999 not
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value) if abs(value) <= MAX_COUNT else None
    return None


def count_hook(value: object, _: object) -> int | None:
    """A count cell: an integer from 0 to 2**53-1, or null."""
    if value is None or (type(value) is int and 0 <= value <= MAX_COUNT):
        return value  # the common case, kept first: this hook runs for ~200 cells per report
    number = _as_int(value)
    if number is None or not 0 <= number <= MAX_COUNT:
        raise ValueError(
            f"expected an integer from 0 to {MAX_COUNT} or null, got {describe(value)}"
        )
    return number


def signed_hook(value: object, _: object) -> int | None:
    """A signed cell (2019 本年增/减): an integer within ±(2**53-1), or null."""
    if value is None:
        return None
    number = _as_int(value)
    if number is None or not -MAX_COUNT <= number <= MAX_COUNT:
        raise ValueError(
            f"expected an integer from {-MAX_COUNT} to {MAX_COUNT} or null, got {describe(value)}"
        )
    return number


def money_hook(value: object, _: object) -> Decimal | None:
    """A money cell: a plain decimal string, or null."""
    if value is None:
        return None
    if not isinstance(value, str) or not MONEY_RE.fullmatch(value):
        raise ValueError(
            f'expected a decimal number as a string (e.g. "96171.6", at most {MONEY_DIGITS} '
            f"digits before the point and {MONEY_PLACES} after it) or null, got "
            f"{describe(value)}"
        )
    return Decimal(value)


def check_unicode(value: str) -> str:
    """The text itself; a lone surrogate (U+D800 to U+DFFF) is refused with ValueError."""
    # JSON "\\ud800" decodes to a lone surrogate, which no UTF encoding can write back out.
    # Encoding to UTF-32 refuses any surrogate code point in one pass in C: a fifth of the
    # time of SURROGATE_RE.search on Chinese prose (0.8 against 4.7 µs for 1,668 characters).
    if not value.isascii():
        try:
            value.encode("utf-32-le")
        except UnicodeEncodeError:
            raise ValueError(
                "text holds a lone surrogate (\\ud800-\\udfff), which is not Unicode text"
            ) from None
    return value


def text_hook(value: object, _: object) -> str | None:
    """Optional text: a string of Unicode text, or null."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected a string or null, got {describe(value)}")
    return check_unicode(value)


def required_text_hook(value: object, _: object) -> str:
    """Required text: a non-empty string of Unicode text."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected a non-empty string, got {describe(value)}")
    return check_unicode(value)


def unread_hook(value: object, _: object) -> dict[str, str]:
    """The unread map: addresses are checked against the layout by the model itself."""
    if type(value) is not dict:
        raise ValueError(f"expected an object of cell address -> reason, got {describe(value)}")
    for address, reason in value.items():
        if not isinstance(reason, str) or reason not in UNREAD_REASONS:
            raise ValueError(
                f"unread[{describe(address)}]: expected a reason among {sorted(UNREAD_REASONS)}, "
                f"got {describe(reason)}"
            )
    return dict(value)


def ocr_hook(value: object, _: object) -> dict[str, float]:
    """The OCR map: address -> confidence from 0 to 1 (addresses checked by the model)."""
    if type(value) is not dict:
        raise ValueError(f"expected an object of cell address -> confidence, got {describe(value)}")
    marks: dict[str, float] = {}
    for address, confidence in value.items():
        if (
            type(confidence) not in (int, float, Decimal)
            or not 0 <= confidence <= 1
            or Decimal(str(confidence)) != Decimal(str(confidence)).quantize(Decimal("0.001"))
        ):
            raise ValueError(
                f"ocr[{describe(address)}]: expected a confidence from 0 to 1 with at most 3 "
                f"decimals, got {describe(confidence)}"
            )
        marks[address] = float(confidence)
    return marks


def date_hook(value: object, _: object) -> datetime.date | None:
    """A ``YYYY-MM-DD`` string as a date (or null)."""
    if value is None:
        return None
    if isinstance(value, str) and _DATE_RE.match(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f'expected a date as "YYYY-MM-DD" or null, got {describe(value)}')


def year_hook(value: object, _: object) -> int:
    """The report year, in the model's range."""
    number = _as_int(value)
    low, high = YEAR_RANGE
    if number is None or not low <= number <= high:
        raise ValueError(f"expected a report year from {low} to {high}, got {describe(value)}")
    return number


def choices_of(tp: Any) -> tuple[str, ...]:
    """The values a ``Literal`` (or optional ``Literal``) field type allows."""
    return tuple(a for m in union_members(tp) for a in typing.get_args(m))


def choice_hook(tp: Any) -> Callable[[object, object], str | None]:
    """The hook of a field whose type is a ``Literal`` of allowed strings."""
    allowed = choices_of(tp)

    def hook(value: object, _: object) -> str | None:
        if value is None:
            return None
        if value not in allowed:
            raise ValueError(f"expected one of {list(allowed)} or null, got {describe(value)}")
        assert isinstance(value, str)
        return value

    return hook
