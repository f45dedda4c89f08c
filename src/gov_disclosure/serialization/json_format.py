"""JSON: ``dumps`` and ``loads`` for reports of either edition.

The document is an object whose first key, ``format``, names the edition; every other key is
a canonical key of format-spec.md. Blank cells are ``null``, money cells are strings.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from typing import Any, NoReturn

import attrs

from gov_disclosure.errors import DocumentError, Problem
from gov_disclosure.model.report import EDITIONS, Report
from gov_disclosure.serialization import generated
from gov_disclosure.serialization.leaves import describe, exact_number, ocr_hook, unread_hook

__all__ = ["dumps", "from_dict", "loads", "to_dict"]


def to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON data (``format`` first, then the canonical keys)."""
    data: dict[str, Any] = {"format": report.format}
    data.update(generated.unstructure(report))
    for key in ("unread", "ocr"):
        if not data[key]:
            del data[key]  # a report built by hand: the keys are optional and left out
    return data


def dumps(report: Report, *, indent: int | None = None) -> str:
    """Serialise a report to a JSON string.

    Args:
        report: A :class:`~gov_disclosure.Report2021` or :class:`~gov_disclosure.Report2019`.
        indent: Indentation passed to :func:`json.dumps` (e.g. ``2`` for people to read);
            ``None``, the default, writes one compact line (no spaces after ``,`` and ``:``)
            with a C encoder: msgspec's when the ``fast`` extra is installed, else the
            standard library's. Both write the same text.

    Returns:
        The JSON text, with Chinese characters unescaped.
    """
    data = to_dict(report)
    if indent is not None:
        return json.dumps(data, ensure_ascii=False, indent=indent)
    return _compact_encoder()(data)


# No circular check: ``to_dict`` builds a fresh tree of dicts, which cannot hold a cycle.
_STDLIB_ENCODER = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":"))


def _stdlib_encode(data: dict[str, Any]) -> str:
    return _STDLIB_ENCODER.encode(data)


@functools.cache
def _compact_encoder() -> Callable[[dict[str, Any]], str]:
    """The compact encoder: msgspec's (the ``fast`` extra), 3x the standard library's speed.

    Its output is the same text (tested on generated reports); a value it cannot encode (a
    lone surrogate in a report built by hand) goes to the standard library's, which decides.
    ``GOV_DISCLOSURE_JSON_ENCODER=stdlib`` turns it off.
    """
    if os.environ.get("GOV_DISCLOSURE_JSON_ENCODER") == "stdlib":
        return _stdlib_encode
    try:
        import msgspec
    except ImportError:
        return _stdlib_encode
    encode = msgspec.json.Encoder().encode

    def fast_encode(data: dict[str, Any]) -> str:
        try:
            return encode(data).decode("utf-8")
        except (msgspec.EncodeError, UnicodeError):
            return _stdlib_encode(data)

    return fast_encode


class _DuplicateKeyError(ValueError):
    pass


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(f"duplicate key {describe(key)}")
            seen.add(key)
    return result


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a valid JSON number")


def _fail(problem: Problem, source: str | None) -> NoReturn:
    raise DocumentError([problem], source=source)


# One decoder for every call: json.loads would build a new one per call when given hooks.
# Integers stay with the C scanner's own int(): a parse_int hook would cost a Python call per
# number (20% of loads). Counts above 2**53 - 1 are refused with their path by the structure
# hooks; a number past CPython's 4,300-digit limit fails here, without a path.
# Numbers written with a point or an exponent are read exactly (Decimal): a count written
# 115.99999999999999999 is not the float 116.0 but a non-integer, and refused.
_DECODER = json.JSONDecoder(
    object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant, parse_float=exact_number
)


class _HugeNumber(float):
    """A JSON number too long for ``int()``; only ever refused (``describe`` names its size)."""

    def __repr__(self) -> str:
        return "a number of more than 4300 digits"


def _parse_int(text: str) -> int | float:
    return int(text) if len(text) < 4300 else _HugeNumber("inf")


_HUGE_DECODER = json.JSONDecoder(
    object_pairs_hook=_reject_duplicates,
    parse_constant=_reject_constant,
    parse_int=_parse_int,
    parse_float=exact_number,
)


def from_dict(data: object, *, source: str | None = None) -> Report:
    """Build a report from plain JSON data (the inverse of :func:`to_dict`).

    Raises:
        DocumentError: listing every problem with its JSON path.
    """
    return _from_dict(data, source, decoded=False)


def _from_dict(data: object, source: str | None, *, decoded: bool) -> Report:
    """:func:`from_dict`; ``decoded``: the data comes straight from the JSON decoder."""
    if not isinstance(data, dict):
        _fail(Problem("$", f"expected a report object, got {describe(data)}"), source)
    edition = data.get("format")
    cls = EDITIONS.get(edition) if isinstance(edition, str) else None
    if cls is None:
        if "format" not in data:
            _fail(Problem("$", "missing required key(s): format"), source)
        _fail(
            Problem(
                "$.format",
                f"expected one of {sorted(EDITIONS)}, got {describe(edition)}",
                address="format",
            ),
            source,
        )
    body = dict(data)
    del body["format"]
    # The unread and OCR marks name cells of the whole report: they are checked once the
    # tables are.
    if "unread" not in body and "ocr" not in body:
        return _structure(body, cls, source, decoded)
    marks = {key: body.pop(key) for key in ("unread", "ocr") if key in body}
    report = _structure(body, cls, source, decoded)
    hooks: dict[str, Any] = {"unread": unread_hook, "ocr": ocr_hook}
    for key, hook in hooks.items():
        if key not in marks:
            continue
        try:
            changes: dict[str, Any] = {key: hook(marks[key], None)}
            report = attrs.evolve(report, **changes)
        except ValueError as exc:
            message = str(exc).removeprefix(f"{cls.__name__}.{key}")
            raise DocumentError(
                [Problem(f"$.{key}", message.lstrip(": "), address=key)], source=source
            ) from None
    return report


def _structure(body: dict[str, Any], cls: Any, source: str | None, decoded: bool) -> Report:
    try:  # Declined covers the model's own refusals too (a check of the report's __init__)
        report: Report = generated.structure(body, cls, decoded=decoded)
    except generated.Declined:
        pass
    else:
        return report
    # The detailed converter is the reference: it either explains the failure with paths or
    # accepts what the fast path declined (e.g. an integral ``1.0``). cattrs is imported here,
    # on the first document that needs it.
    from cattrs.errors import BaseValidationError

    from gov_disclosure.serialization.converter import default_converter, problems_from_exception

    try:
        report = default_converter(detailed=True).structure(body, cls)
    except BaseValidationError as exc:
        problems = problems_from_exception(exc) or [Problem("$", "not a valid report")]
        raise DocumentError(problems, source=source) from None
    except (ValueError, TypeError) as exc:
        raise DocumentError([Problem("$", str(exc))], source=source) from None
    return report


def loads(document: str | bytes | bytearray, *, source: str | None = None) -> Report:
    """Parse a JSON document into a report.

    Args:
        document: JSON text (``str``) or UTF-8/16/32 encoded bytes.
        source: A name for the document (file name) used in error messages.

    Returns:
        The report. Its blank rows (every cell ``null``) are one shared object per class,
        as frozen objects may be: compare rows with ``==``, not ``is``.

    Raises:
        DocumentError: if the text is not JSON or not a valid report; the error lists every
            problem with its JSON path, e.g.
            ``$.requests.outcomes.total.natural_person: expected an integer from 0 to
            9007199254740991 or null, got -3``.
    """
    try:
        if isinstance(document, (bytes, bytearray)):
            # what json.loads does with bytes: UTF-8/16/32 told from the first bytes
            document = bytes(document).decode(json.detect_encoding(document), "surrogatepass")
        data = _DECODER.decode(document)
    except json.JSONDecodeError as exc:
        _fail(
            Problem(
                f"line {exc.lineno}, column {exc.colno}",
                f"not valid JSON: {exc.msg}",
                line=exc.lineno,
                column=exc.colno,
            ),
            source,
        )
    except UnicodeDecodeError as exc:
        _fail(Problem(f"byte {exc.start}", f"not valid UTF-8/16/32 text: {exc.reason}"), source)
    except RecursionError:
        _fail(Problem("$", "document is nested too deeply"), source)
    except (ValueError, TypeError) as exc:
        if "digits" not in str(exc):
            _fail(Problem("$", str(exc)), source)
        # CPython's int() limit (4,300 digits): decode again, on this failure path only, with
        # huge numbers kept as markers, so that the structure hooks name the cell's path.
        data = _HUGE_DECODER.decode(str(document))  # decoded to str above
    return _from_dict(data, source, decoded=True)
