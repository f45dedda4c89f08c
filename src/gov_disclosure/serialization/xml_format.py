"""XML: ``to_xml`` and ``from_xml`` for reports of either edition.

The root element is ``report`` in the edition's namespace (``urn:gov-disclosure:report:2021``);
child elements are the canonical keys in template order. A blank cell is an absent element;
money keeps its exact decimal text. Reading validates against the shipped XSD first, then
builds the model straight from the tree: the classes' validators check the values, except in
rows of counts and amounts, whose every check the XSD has made with the same bounds. What
the XSD lets through and the model refuses is explained by the JSON converter, so both
formats share one set of value rules.
"""

from __future__ import annotations

import datetime
import functools
import re
import typing
from collections.abc import Callable
from decimal import Decimal
from html import escape
from os import PathLike
from typing import Any, NamedTuple

import attrs
from lxml import etree

from gov_disclosure.errors import DocumentError, Problem
from gov_disclosure.model.fields import info
from gov_disclosure.model.introspection import only_checks_class, resolved_fields, union_members
from gov_disclosure.model.report import EDITIONS, Report
from gov_disclosure.schemas.xsd import xml_namespace, xml_schema
from gov_disclosure.serialization.files import read_bytes
from gov_disclosure.serialization.json_format import from_dict
from gov_disclosure.serialization.pickling import from_fields
from gov_disclosure.serialization.xml_security import parse_untrusted_xml

__all__ = ["NOT_XML_TEXT", "from_xml", "to_xml"]

NOT_XML_TEXT = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""A character XML 1.0 cannot carry: a control character other than tab, LF and CR, a
surrogate, U+FFFE or U+FFFF. :func:`to_xml` refuses text holding one; the parsers remove
them from what they read (with a ``control_character`` diagnostic)."""

_NAMESPACE_EDITIONS = {xml_namespace(e): e for e in EDITIONS}


def _text_of(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str):
        return value
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


_PLANS: dict[Any, tuple[tuple[str, str, bool, Any], ...]] = {}

_Reader = Callable[[Any], Any]  # an element, or its text (see _readers)


def _plan(tp: Any) -> tuple[tuple[str, str, bool, Any], ...]:
    """(name, kind, required, type) per field: the metadata lookups done once per class."""
    plan = _PLANS.get(tp)
    if plan is None:
        plan = tuple((a.name, info(a).kind, info(a).required, t) for a, t in resolved_fields(tp))
        _PLANS[tp] = plan
    return plan


def _escape(text: str) -> str:
    # Text content only (never attribute values): &, <, > and CR, which a parser would
    # otherwise normalise away.
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


# the attribute a mark's <cell> carries besides its address
_MARK_ATTRIBUTE = {"unread": "reason", "ocr": "confidence"}


def _write(out: list[str], obj: Any, path: str, depth: int, pretty: bool) -> None:
    pad = "  " * depth if pretty else ""
    newline = "\n" if pretty else ""
    for name, kind, _, _ in _plan(type(obj)):
        value = getattr(obj, name)
        if value is None:
            continue  # blank cell or absent optional metadata
        if kind in _MARK_ATTRIBUTE:  # <unread>/<ocr>: a <cell> per marked cell
            if value:
                attribute = _MARK_ATTRIBUTE[kind]
                out.append(f"{pad}<{name}>{newline}")
                out.extend(
                    f'{pad}  <cell address="{escape(a, quote=True)}" '
                    f'{attribute}="{escape(str(v), quote=True)}"/>{newline}'
                    for a, v in sorted(value.items())
                )
                out.append(f"{pad}</{name}>{newline}")
            continue
        if kind == "group":
            inner: list[str] = []
            _write(inner, value, f"{path}{name}.", depth + 1, pretty)
            if inner:
                out.append(f"{pad}<{name}>{newline}")
                out.extend(inner)
                out.append(f"{pad}</{name}>{newline}")
            else:
                out.append(f"{pad}<{name}/>{newline}")
            continue
        if type(value) is int:
            out.append(f"{pad}<{name}>{value}</{name}>{newline}")
            continue
        text = _text_of(value)
        bad = NOT_XML_TEXT.search(text)
        if bad:
            raise DocumentError(
                [
                    Problem(
                        f"{path}{name}",
                        f"character U+{ord(bad.group()):04X} at offset {bad.start()} cannot "
                        "be represented in XML 1.0",
                    )
                ]
            )
        out.append(f"{pad}<{name}>{_escape(text)}</{name}>{newline}")


def to_xml(report: Report, *, pretty: bool = True) -> bytes:
    """Serialise a report to XML (UTF-8, with an XML declaration).

    Args:
        report: A report of either edition.
        pretty: Indent the output (``False`` for the most compact form).

    Raises:
        DocumentError: if a text field holds a character XML 1.0 cannot carry (e.g. U+0000
            or another control character); the problem names the field.
    """
    # Written as text from the field plan: five times faster than building an lxml tree, and
    # every output is checked against the XSD by the test suite.
    newline = "\n" if pretty else ""
    out = [
        "<?xml version='1.0' encoding='UTF-8'?>\n",
        f'<report xmlns="{xml_namespace(report.format)}">{newline}',
    ]
    _write(out, report, "", 1, pretty)
    out.append("</report>\n")
    return "".join(out).encode("utf-8")


@attrs.frozen
class _Node:
    """How to read the element of one class: built once per class and namespace.

    Attributes:
        blank: The data of an element with no children (required cells as ``None``).
        by_tag: Qualified child tag -> (key, whether the readers take the element rather
            than its text, the reader of its JSON-shaped data, the reader of its model
            value): chosen once, by the field's kind.
        alternatives: For the 2021 （六）其他处理: the sub-row node and the single-row node.
        cls: The class built.
        trusted: How the class is built from its field values without its validators, where
            it can be (see :func:`_trusted_defaults`).
    """

    blank: dict[str, None]
    by_tag: dict[str, tuple[str, bool, _Reader, _Reader]]
    alternatives: tuple[_Node, _Node] | None = None
    cls: Any = None
    trusted: _Trusted | None = None


class _Trusted(NamedTuple):
    """A class built from its field values (:func:`from_fields`), its validators not run."""

    defaults: list[Any]
    """A blank object's field values, in field order."""
    positions: dict[str, int]
    """Key -> index in ``defaults``."""
    empty: Any
    """The object of an element with no children: one, shared (frozen objects may be)."""


_NODES: dict[tuple[Any, str], _Node] = {}


def _node(tp: Any, ns: str) -> _Node:
    node = _NODES.get((tp, ns))
    if node is None:
        members = union_members(tp)
        if len(members) > 1:
            first, second = (_node(m, ns) for m in members[:2])
            node = _Node({}, {}, (first, second))
        else:
            plan = _plan(tp)
            blank = {n: None for n, kind, required, _ in plan if required and kind != "group"}
            by_tag = {f"{{{ns}}}{n}": (n, *_readers(kind, ftype, ns)) for n, kind, _, ftype in plan}
            cls = typing.get_origin(tp) or tp
            defaults = _trusted_defaults(cls, plan, ns)
            trusted = None
            if defaults is not None:
                positions = {n: i for i, (n, *_) in enumerate(plan)}
                trusted = _Trusted(defaults, positions, from_fields(cls, defaults.copy()))
            node = _Node(blank, by_tag, cls=cls, trusted=trusted)
        _NODES[(tp, ns)] = node
    return node


_XSD_ENFORCED_KINDS = frozenset({"count", "signed", "money"})
"""Field kinds whose validator checks nothing the XSD has not: a whole number, or an amount
of at most ``MONEY_DIGITS`` and ``MONEY_PLACES`` digits, within the bounds the XSD generator
takes from the same constants."""


def _trusted_defaults(cls: Any, plan: tuple[tuple[str, str, bool, Any], ...], ns: str) -> Any:
    """A blank ``cls``'s field values in field order, if a schema-valid element needs no check.

    That is a class whose fields are all of :data:`_XSD_ENFORCED_KINDS` or groups of such
    classes, with no converter and no ``__attrs_post_init__``: its objects are then built
    from their field values (:func:`from_fields`) without running the validators again (20
    of the 170 µs of ``from_xml`` on the sample). A group's object is built from its own
    node, so it is of the field's class. Any other class is built through its ``__init__``.
    A blank group is a blank object of its class, shared: such objects hold only numbers and
    ``None``.
    """
    fields = attrs.fields(cls)
    if hasattr(cls, "__attrs_post_init__") or [f.name for f in fields] != [p[0] for p in plan]:
        return None
    defaults: list[Any] = []
    for field, (_, kind, _, ftype) in zip(fields, plan, strict=True):
        if field.converter is not None:
            return None
        if kind in _XSD_ENFORCED_KINDS and field.default is None:
            defaults.append(None)
            continue
        if kind != "group":
            return None
        sub = _node(ftype, ns)
        nodes = sub.alternatives or (sub,)
        if any(n.trusted is None for n in nodes) or not only_checks_class(
            field, (n.cls for n in nodes)
        ):
            return None
        default = field.default
        if isinstance(default, attrs.Factory) and not default.takes_self:  # type: ignore[arg-type]
            default = default.factory()
            if type(default) not in {n.cls for n in nodes}:
                return None
        elif default is not None:
            return None
        defaults.append(default)
    return defaults


def _readers(kind: str, ftype: Any, ns: str) -> tuple[bool, _Reader, _Reader]:
    """How a field's element is read, chosen once by the field's kind.

    Returns:
        Whether the readers take the element (rather than its text), the reader of its
        JSON-shaped data, and the reader of the model's value.
    """
    if kind == "group":  # a nested class: its own node, read recursively
        sub = _node(ftype, ns)
        return True, functools.partial(_read, sub), functools.partial(_build, sub)
    return kind in _MARK_ATTRIBUTE, _DATA_READERS[kind], _VALUE_READERS[kind]


def _unread_marks(element: etree._Element) -> dict[str | None, str | None]:
    return {cell.get("address"): cell.get("reason") for cell in element}


def _ocr_marks(element: etree._Element) -> dict[str | None, float]:
    return {cell.get("address"): float(cell.get("confidence") or "") for cell in element}


# Leaves are read from their text with the builtins themselves: a call of a C function per
# element, where a Python function per element made from_xml 5 % slower than an if-chain.
_DATA_READERS: dict[str, _Reader] = {
    "count": int,
    "signed": int,
    "year": int,
    "money": str.strip,  # a string, as JSON has it
    "date": str.strip,
    "text": str,
    "unit": str,
    "choice": str,
    "unread": _unread_marks,
    "ocr": _ocr_marks,
}
"""A leaf element as the JSON reader takes it, by field kind (``group``: :func:`_readers`)."""

_VALUE_READERS: dict[str, _Reader] = _DATA_READERS | {
    "money": Decimal,  # the XSD's decimal, surrounding white space allowed as Decimal allows
    "date": lambda text: datetime.date.fromisoformat(text.strip()),
}
"""A leaf element as the model's value, by field kind: the classes' validators check it."""


def _alternative(element: etree._Element, node: _Node) -> _Node:
    """For the 2021 （六）其他处理: the node of its three sub-rows or of its single row."""
    if node.alternatives is None:
        return node
    first = next(iter(element), None)
    sub_rows, single = node.alternatives
    return sub_rows if first is not None and first.tag in sub_rows.by_tag else single


def _read(node: _Node, element: etree._Element) -> dict[str, Any]:
    """The JSON-shaped data of a (schema-valid) element.

    The cost grows with the elements present, not with the fields: a report is mostly blank.
    """
    node = _alternative(element, node)
    data: dict[str, Any] = dict(node.blank)
    by_tag = node.by_tag
    for child in element:
        name, whole, read, _ = by_tag[child.tag]
        data[name] = read(child) if whole else read(child.text or "")
    return data


def _build(node: _Node, element: etree._Element) -> Any:
    """The model object of a schema-valid element, built straight from the tree.

    The XSD has checked every value's form; the classes' validators check them again as they
    are built, except where they could find nothing the XSD has not (see
    :func:`_trusted_defaults`). Absent elements are blank cells (the classes' defaults).
    """
    node = _alternative(element, node)
    by_tag = node.by_tag
    trusted = node.trusted
    if trusted is not None:  # see _trusted_defaults
        if not len(element):  # a blank row (<state_secret/>)
            return trusted.empty
        fields = trusted.defaults.copy()
        positions = trusted.positions
        for child in element:
            name, whole, _, build = by_tag[child.tag]
            fields[positions[name]] = build(child) if whole else build(child.text or "")
        return from_fields(node.cls, fields)
    values: dict[str, Any] = {}
    for child in element:
        name, whole, _, build = by_tag[child.tag]
        values[name] = build(child) if whole else build(child.text or "")
    return node.cls(**values)


def _address_of(root: etree._Element, xpath: str | None) -> str:
    """The canonical address of the element an lxml schema error points at."""
    if not xpath:
        return ""
    try:
        found = root.getroottree().xpath(xpath)
    except etree.XPathError:
        return ""
    if not isinstance(found, list) or not found or not isinstance(found[0], etree._Element):
        return ""
    element = found[0]
    names = [str(e.tag).rpartition("}")[2] for e in (element, *element.iterancestors())]
    return ".".join(reversed(names[:-1]))  # without the root element


def _load_bytes(source: bytes | str | PathLike[str]) -> tuple[bytes | str, str | None]:
    """The document and, for a path, its name.

    A ``str`` starting with ``<`` (after a BOM or white space) is XML text; any other ``str``
    is a path.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), None
    if isinstance(source, str) and source.lstrip("\ufeff \t\r\n").startswith("<"):
        return source, None
    if not isinstance(source, (str, PathLike)):
        raise TypeError(f"from_xml() takes bytes, str or a path, got {type(source).__name__}")
    name = str(source)
    return read_bytes(name), name


MAX_ELEMENTS = 5_000
"""Most elements in a report document (a complete report has about 250, plus unread marks)."""


# elements + a million per attribute: above MAX_ELEMENTS when either needs a closer look
_SHAPE = etree.XPath("count(//*) + 1000000 * count(//@*)")


def _check_shape(root: etree._Element, name: str | None) -> None:
    """Cheap structural bounds before the XSD, which would report every excess one by one.

    Only ``<cell>`` (an unread or OCR mark) carries attributes, two of them.
    """
    # one XPath in C answers the common case (few elements, no attribute at all) in half the
    # time of the loop, which finds and words the problem otherwise
    shape = _SHAPE(root)
    if isinstance(shape, float) and shape <= MAX_ELEMENTS:
        return
    for count, element in enumerate(root.iter(), start=1):
        attributes = len(element.attrib)
        if count > MAX_ELEMENTS or (
            attributes and (attributes > 2 or not str(element.tag).endswith("}cell"))
        ):
            where = f"line {element.sourceline}"
            message = (
                f"more than {MAX_ELEMENTS} elements; not a report"
                if count > MAX_ELEMENTS
                else f"element {etree.QName(element).localname} has {attributes} attribute(s); "
                "the format has none here"
            )
            line = _source_line(element)
            raise DocumentError([Problem(where, message, line=line)], source=name)


def _source_line(element: etree._Element) -> int | None:
    line: object = element.sourceline  # lxml's stubs do not type it
    return line if isinstance(line, int) else None


def from_xml(source: bytes | str | PathLike[str], *, name: str | None = None) -> Report:
    """Parse and validate an XML report.

    Args:
        source: XML bytes, XML text, or a path to an XML file.
        name: A name for error messages (defaults to the path, if any).

    Returns:
        The report. Its blank rows (elements with no children) are one shared object per
        class, as frozen objects may be: compare rows with ``==``, not ``is``.

    Raises:
        UnsafeXMLError: for DTDs, entities or oversized input.
        DocumentError: for malformed or schema-invalid XML; every problem has its line,
            column and, where the schema error points into the report, the canonical address.
    """
    document, path = _load_bytes(source)
    name = name or path
    root = parse_untrusted_xml(document, source=name)
    qname = etree.QName(root.tag)
    edition = _NAMESPACE_EDITIONS.get(qname.namespace or "")
    if qname.localname != "report" or edition is None:
        expected = " or ".join(f"{{{ns}}}report" for ns in _NAMESPACE_EDITIONS)
        raise DocumentError(
            [
                Problem(
                    f"line {root.sourceline}",
                    f"root element is {root.tag}; expected {expected}",
                    line=_source_line(root),
                )
            ],
            source=name,
        )
    _check_shape(root, name)
    schema = xml_schema(edition)
    if not schema.validate(root):
        problems = []
        for error in schema.error_log:  # type: ignore[attr-defined]
            address = _address_of(root, error.path)
            where = f"line {error.line}, column {error.column}"
            problems.append(
                Problem(
                    f"{where} ({address})" if address else where,
                    error.message,
                    address=address or None,
                    line=error.line or None,
                    column=error.column or None,  # libxml2 says 0 when it does not know
                )
            )
        raise DocumentError(problems, source=name)
    node = _node(EDITIONS[edition], xml_namespace(edition))
    try:
        report: Report = _build(node, root)
    except (ValueError, TypeError, ArithmeticError):
        # what the XSD lets through but the model refuses (a table of the other edition, a
        # mark on a filled cell): the JSON reader explains it with paths
        data = _read(node, root)
        data["format"] = edition
        return from_dict(data, source=name)
    return report
