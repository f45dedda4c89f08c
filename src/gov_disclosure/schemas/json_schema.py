"""JSON Schema (draft 2020-12) generated from the model classes, and validation against it.

The committed files under ``schemas/<edition>/report.schema.json`` are this module's output;
a test regenerates them and fails on drift. At run time the shipped files are loaded with
:mod:`importlib.resources` and resolved through an offline :class:`referencing.Registry`:
nothing is ever fetched.
"""

from __future__ import annotations

import functools
import json
import typing
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

import jsonschema
import referencing
from referencing.jsonschema import DRAFT202012

from gov_disclosure.errors import DocumentError, Problem
from gov_disclosure.model.fields import MAX_COUNT, YEAR_RANGE, FieldInfo, info
from gov_disclosure.model.introspection import resolved_fields, union_members
from gov_disclosure.model.layouts import unread_addresses
from gov_disclosure.model.report import EDITIONS, report_class
from gov_disclosure.model.unread import UNREAD_REASONS
from gov_disclosure.schemas.shipped import shipped_file
from gov_disclosure.serialization.leaves import MONEY_PATTERN, exact_number

__all__ = [
    "SCHEMA_DIALECT",
    "generate_json_schema",
    "json_path",
    "json_schema",
    "json_schema_id",
    "registry",
    "schema_problems",
    "strict_json",
    "strict_validator",
    "validate_json",
]

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

EDITION_TITLES = {
    "2021": "政府信息公开工作年度报告（国办公开办函〔2021〕30号格式）",
    "2019": "政府信息公开工作年度报告（国办公开办函〔2019〕60号格式，试行）",
}


def json_schema_id(edition: str) -> str:
    """The immutable ``$id`` of an edition's report schema (names the edition, not the package)."""
    report_class(edition)
    return f"urn:gov-disclosure:schema:{edition}:report"


def _def_name(tp: Any) -> str:
    cls = typing.get_origin(tp) or tp
    return str(cls.__name__)


def _text_schema(fi: FieldInfo, tp: Any) -> dict[str, Any]:
    if fi.required:
        return {"type": "string", "pattern": r"\S"}
    return {"type": ["string", "null"]}


def _choice_schema(fi: FieldInfo, tp: Any) -> dict[str, Any]:
    values = [v for m in union_members(tp) for v in typing.get_args(m)]
    return {"enum": [*values, None]}


_LEAF_SCHEMAS: dict[str, Callable[[FieldInfo, Any], dict[str, Any]]] = {
    "count": lambda fi, tp: {"type": ["integer", "null"], "minimum": 0, "maximum": MAX_COUNT},
    "signed": lambda fi, tp: {
        "type": ["integer", "null"],
        "minimum": -MAX_COUNT,
        "maximum": MAX_COUNT,
    },
    "money": lambda fi, tp: {"type": ["string", "null"], "pattern": MONEY_PATTERN},
    "text": _text_schema,
    "unit": _text_schema,
    "year": lambda fi, tp: {
        "type": "integer",
        "minimum": YEAR_RANGE[0],
        "maximum": YEAR_RANGE[1],
    },
    "date": lambda fi, tp: {
        "type": ["string", "null"],
        "format": "date",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}(?!\n)$",
    },
    "choice": _choice_schema,
    "unread": lambda fi, tp: {"$ref": "#/$defs/Unread"},
    "ocr": lambda fi, tp: {"$ref": "#/$defs/Ocr"},
}
"""The schema of a leaf field, by kind (every kind but ``group``, which is a ``$ref``)."""


def _leaf_schema(fi: FieldInfo, tp: Any) -> dict[str, Any]:
    return _LEAF_SCHEMAS[fi.kind](fi, tp)


class _Generator:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def ref(self, tp: Any) -> dict[str, Any]:
        members = union_members(tp)
        if len(members) > 1:
            return {"oneOf": [self.ref(m) for m in members]}
        name = _def_name(tp)
        if name not in self.defs:
            self.defs[name] = {}  # reserve the name before recursing
            self.defs[name] = self.object_schema(tp)
        return {"$ref": f"#/$defs/{name}"}

    def object_schema(self, tp: Any, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        cls = typing.get_origin(tp) or tp
        properties: dict[str, Any] = dict(extra or {})
        required: list[str] = list(extra or {})
        for attribute, ftype in resolved_fields(tp):
            fi = info(attribute)
            annotation: dict[str, Any] = {"title": fi.label, "description": fi.en}
            if fi.caption:
                annotation["x-caption"] = fi.caption
            body = self.ref(ftype) if fi.kind == "group" else _leaf_schema(fi, ftype)
            properties[attribute.name] = {**annotation, **body}
            if fi.required:
                required.append(attribute.name)
        doc = (cls.__doc__ or "").strip().splitlines()
        return {
            "type": "object",
            "description": doc[0] if doc else cls.__name__,
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }


def _null_cell(address: str) -> dict[str, Any]:
    """A schema requiring the cell at ``address`` to be present and null."""
    *path, leaf = address.split(".")
    # "type": "object" beside every "required": strict validators (Ajv) refuse it without
    schema: dict[str, Any] = {
        "type": "object",
        "required": [leaf],
        "properties": {leaf: {"type": "null"}},
    }
    for part in reversed(path):
        schema = {"type": "object", "required": [part], "properties": {part: schema}}
    return schema


def generate_json_schema(edition: str) -> dict[str, Any]:
    """Generate the JSON Schema of an edition from the model classes.

    Args:
        edition: ``"2021"`` or ``"2019"``.

    Returns:
        The schema as a JSON-ready dict (``$defs`` sorted by name, properties in template
        order).
    """
    cls = report_class(edition)
    gen = _Generator()
    fmt = {"format": {"title": "格式版本", "description": "template edition", "const": edition}}
    root = gen.object_schema(cls, fmt)
    addresses = unread_addresses(cls.format)
    gen.defs["Unread"] = {
        "type": "object",
        "description": "Cells a parser could not read (cell address -> reason). An unread cell "
        "is null in the tables; it is not blank and not 0. Absent or empty for a report built "
        "by hand.",
        "propertyNames": {"enum": addresses},
        "additionalProperties": {"enum": sorted(UNREAD_REASONS)},
    }
    gen.defs["Ocr"] = {
        "type": "object",
        "description": "Cells read from a scanned page by OCR (cell address -> the OCR "
        "confidence, 0 to 1). Such a cell may hold a value, be blank or be unread; a "
        "misreading is possible. Absent or empty unless OCR ran.",
        "propertyNames": {"enum": addresses},
        # at most 3 decimals (loads checks it; multipleOf 0.001 is unreliable in floating point)
        "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1},
    }
    # An unread cell holds no value: for each address, if it is marked, its cell is null
    # (and present, so a mark names a cell of the document's own table-3 layout).
    root["allOf"] = [
        {
            "if": {
                "type": "object",
                "required": ["unread"],
                "properties": {
                    "unread": {"type": "object", "required": [a], "properties": {a: {}}}
                },
            },
            "then": _null_cell(a),
        }
        for a in addresses
    ]
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": json_schema_id(edition),
        "title": EDITION_TITLES[edition],
        **root,
        "description": (
            f"Government information disclosure annual report, template edition {edition}. "
            "Keys are the canonical keys of the gov_disclosure format; null marks a blank "
            "cell (never the same as 0); money cells are decimal strings."
        ),
        "$defs": dict(sorted(gen.defs.items())),
    }


def render_json_schema(edition: str) -> str:
    """The schema file's exact text (what is committed under ``schemas/``)."""
    return json.dumps(generate_json_schema(edition), ensure_ascii=False, indent=2) + "\n"


@functools.cache
def json_schema(edition: str) -> dict[str, Any]:
    """The shipped JSON Schema of an edition, loaded from the installed package.

    Raises:
        GovDisclosureError: if the schema files are missing from the installation.
    """
    schema: dict[str, Any] = json.loads(shipped_file(edition, "report.schema.json"))
    return schema


@functools.cache
def registry() -> referencing.Registry[Any]:
    """An offline registry holding every shipped schema under its ``$id``."""
    resources_ = [
        (json_schema_id(e), DRAFT202012.create_resource(json_schema(e))) for e in EDITIONS
    ]
    return referencing.Registry().with_resources(resources_)


def _is_integer(checker: Any, instance: object) -> bool:
    """JSON Schema's integer: no fractional part, whether written 116, 116.0 or read exactly.

    ``loads`` reads numbers written with a point as :class:`~decimal.Decimal`, so that
    ``115.99999999999999999`` stays a non-integer instead of rounding to the float 116.0.
    """
    if isinstance(instance, bool):
        return False
    if isinstance(instance, int):
        return True
    if isinstance(instance, float):
        return instance.is_integer()
    if isinstance(instance, Decimal):
        return instance.is_finite() and instance == instance.to_integral_value()
    return False


@functools.cache
def _validator(edition: str) -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(json_schema(edition))
    exact = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        cls, type_checker=cls.TYPE_CHECKER.redefine("integer", _is_integer)
    )
    validator: jsonschema.protocols.Validator = exact(
        json_schema(edition), registry=registry(), format_checker=cls.FORMAT_CHECKER
    )
    return validator


def json_path(parts: Iterable[Any]) -> str:
    """A JSON path (``$.rules[2].cap``) from a validation error's ``absolute_path``."""
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _json_path(error: jsonschema.ValidationError) -> str:
    return json_path(error.absolute_path)


def _is_int(checker: Any, instance: object) -> bool:  # 2023, never 2023.9, 2023.0 nor true
    return type(instance) is int


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def strict_json(data: bytes, *, source: str, refusal: str) -> Any:
    """A file of one of our JSON formats (a baseline, a scoring pack), parsed strictly.

    ``NaN``/``Infinity`` are refused and fractions are read exactly (``Decimal``).

    Raises:
        DocumentError: ``"{refusal}: why"`` at ``$`` (unreadable), for text that is not JSON
            or is nested too deeply.
    """
    try:
        return json.loads(data, parse_constant=_no_constant, parse_float=exact_number)
    except (ValueError, RecursionError) as exc:
        message = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise DocumentError(
            [Problem("$", f"{refusal}: {message}")], source=source, unreadable=True
        ) from None


def schema_problems(validator: jsonschema.protocols.Validator, data: Any) -> list[Problem]:
    """What ``data`` breaks of a :func:`strict_validator`'s schema, by JSON path, sorted."""
    problems = [Problem(json_path(e.absolute_path), e.message) for e in validator.iter_errors(data)]
    return sorted(problems, key=lambda p: p.path)


def strict_validator(schema: dict[str, Any]) -> jsonschema.protocols.Validator:
    """A Draft 2020-12 validator for a file format of ours (a baseline, a scoring pack).

    Its ``integer`` is a JSON integer only (never ``2.0`` nor ``true``).
    """
    cls = jsonschema.Draft202012Validator
    strict = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        cls, type_checker=cls.TYPE_CHECKER.redefine("integer", _is_int)
    )
    validator: jsonschema.protocols.Validator = strict(schema)
    return validator


def validate_json(document: Any) -> list[Problem]:
    """Validate JSON data (already parsed) against the schema of its edition.

    Args:
        document: JSON data: the output of ``json.loads``, or of a decoder that reads numbers
            exactly (``parse_float=Decimal``, as :func:`~gov_disclosure.loads` and the command
            line do; then a count written ``115.99999999999999999`` is refused, not rounded).

    Returns:
        Schema problems, each with its JSON path, sorted by path; empty when valid.
    """
    if not isinstance(document, dict):
        return [Problem("$", "expected a report object")]
    edition = document.get("format")
    if not isinstance(edition, str) or edition not in EDITIONS:
        return [Problem("$.format", f"expected one of {sorted(EDITIONS)}, got {edition!r}")]
    fast = _fast_validator(str(edition))
    try:
        if fast is not None and fast.is_valid(document):
            return []
    except (ValueError, TypeError):  # a value it cannot take (a Decimal): the reference decides
        pass
    # python-jsonschema is the reference: it decides, and words every problem
    errors = _validator(str(edition)).iter_errors(document)
    problems = [Problem(_json_path(e), e.message, address=_address(e)) for e in errors]
    return sorted(problems, key=lambda p: p.path)


def _address(error: jsonschema.ValidationError) -> str | None:
    """The report field a validation error is about (a report has no arrays)."""
    parts = list(error.absolute_path)
    return ".".join(map(str, parts)) if parts else None


@functools.cache
def _fast_validator(edition: str) -> Any | None:
    """jsonschema-rs (the ``fast`` extra) for the common case, a valid document.

    It only ever answers "valid": a document it refuses is validated again by
    python-jsonschema, so the problems (paths and messages) are the same with or without the
    extra. ``GOV_DISCLOSURE_VALIDATOR=python`` turns it off.
    """
    import os

    if os.environ.get("GOV_DISCLOSURE_VALIDATOR") == "python":
        return None
    try:
        import jsonschema_rs
    except ImportError:
        return None
    try:
        return jsonschema_rs.validator_for(json_schema(edition), validate_formats=True)
    except Exception:  # a jsonschema-rs that cannot compile it: use the reference
        return None
