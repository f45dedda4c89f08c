"""XSD (XML Schema 1.0) generated from the model classes, one per edition.

Element names are the canonical keys, in template order; a blank cell is an absent element
(``minOccurs="0"``); nested rows and tables are always present. Every element carries its
Chinese label (``xml:lang="zh"``) and English description in ``xs:documentation``.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from typing import Any

from lxml import etree

from gov_disclosure.model.fields import (
    MAX_COUNT,
    MONEY_DIGITS,
    MONEY_PLACES,
    YEAR_RANGE,
    FieldInfo,
    info,
)
from gov_disclosure.model.introspection import resolved_fields, union_members
from gov_disclosure.model.layouts import unread_addresses
from gov_disclosure.model.report import report_class
from gov_disclosure.model.unread import UNREAD_REASONS
from gov_disclosure.schemas.shipped import shipped_file
from gov_disclosure.serialization.xml_security import make_parser

__all__ = ["generate_xsd", "xml_namespace", "xml_schema", "xsd_text"]

XS = "http://www.w3.org/2001/XMLSchema"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Simple types shared by every edition: name -> (base, facets)
_SIMPLE_TYPES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "Count": ("xs:nonNegativeInteger", [("maxInclusive", str(MAX_COUNT))]),
    "SignedCount": (
        "xs:integer",
        [("minInclusive", str(-MAX_COUNT)), ("maxInclusive", str(MAX_COUNT))],
    ),
    "Money": (
        "xs:decimal",
        [("pattern", rf"[0-9]{{1,{MONEY_DIGITS}}}(\.[0-9]{{1,{MONEY_PLACES}}})?")],
    ),
    "Year": (
        "xs:integer",
        [("minInclusive", str(YEAR_RANGE[0])), ("maxInclusive", str(YEAR_RANGE[1]))],
    ),
    "Date": ("xs:date", [("pattern", "[0-9]{4}-[0-9]{2}-[0-9]{2}")]),
    "Text": ("xs:string", []),
    "NonEmptyText": ("xs:string", [("pattern", r"[\s\S]*\S[\s\S]*")]),
}

_KIND_TYPE = {
    "count": "Count",
    "signed": "SignedCount",
    "money": "Money",
    "year": "Year",
    "date": "Date",
}


def xml_namespace(edition: str) -> str:
    """The XML namespace of an edition; it names the edition and never changes."""
    report_class(edition)
    return f"urn:gov-disclosure:report:{edition}"


def _documentation(parent: etree._Element, fi: FieldInfo) -> None:
    annotation = etree.SubElement(parent, f"{{{XS}}}annotation")
    zh = etree.SubElement(annotation, f"{{{XS}}}documentation")
    zh.set(XML_LANG, "zh")
    zh.text = fi.label + (f"（{fi.caption}）" if fi.caption else "")
    en = etree.SubElement(annotation, f"{{{XS}}}documentation")
    en.set(XML_LANG, "en")
    en.text = fi.en


class _Generator:
    def __init__(self, schema: etree._Element) -> None:
        self.schema = schema
        self.types: dict[str, etree._Element] = {}

    def type_name(self, tp: Any) -> str:
        members = union_members(tp)
        names = [str((typing.get_origin(m) or m).__name__) for m in members]
        name = "Or".join(names)
        if name not in self.types:
            complex_type = etree.Element(f"{{{XS}}}complexType", name=name)
            self.types[name] = complex_type  # reserve before recursing
            if len(members) == 1:
                self.content(etree.SubElement(complex_type, f"{{{XS}}}sequence"), tp)
            else:
                choice = etree.SubElement(complex_type, f"{{{XS}}}choice")
                for member in members:
                    self.content(etree.SubElement(choice, f"{{{XS}}}sequence"), member)
        return name

    def content(self, sequence: etree._Element, tp: Any) -> None:
        for attribute, ftype in resolved_fields(tp):
            fi = info(attribute)
            element = etree.SubElement(sequence, f"{{{XS}}}element", name=attribute.name)
            if not fi.required or fi.is_cell:
                element.set("minOccurs", "0")
            _documentation(element, fi)
            _ELEMENT_TYPES[fi.kind](self, element, fi, ftype)


_ElementType = Callable[[_Generator, etree._Element, FieldInfo, Any], None]


def _named_type(name: str) -> _ElementType:
    """An element of one of the schema's named simple types (``Count``, ``Money``...)."""

    def typed(generator: _Generator, element: etree._Element, fi: FieldInfo, ftype: Any) -> None:
        element.set("type", name)

    return typed


def _group_type(generator: _Generator, element: etree._Element, fi: FieldInfo, ftype: Any) -> None:
    element.set("type", generator.type_name(ftype))


def _choice_type(generator: _Generator, element: etree._Element, fi: FieldInfo, ftype: Any) -> None:
    simple = etree.SubElement(element, f"{{{XS}}}simpleType")
    restriction = etree.SubElement(simple, f"{{{XS}}}restriction", base="xs:string")
    for member in union_members(ftype):
        for value in typing.get_args(member):
            etree.SubElement(restriction, f"{{{XS}}}enumeration", value=value)


def _text_type(generator: _Generator, element: etree._Element, fi: FieldInfo, ftype: Any) -> None:
    element.set("type", "NonEmptyText" if fi.required else "Text")


def _marks_type(generator: _Generator, element: etree._Element, fi: FieldInfo, ftype: Any) -> None:
    element.set("type", fi.kind.capitalize())  # Unread, Ocr: a <cell> per mark
    unique = etree.SubElement(element, f"{{{XS}}}unique", name=f"{fi.kind}Address")
    etree.SubElement(unique, f"{{{XS}}}selector", xpath="gd:cell")
    etree.SubElement(unique, f"{{{XS}}}field", xpath="@address")


_ELEMENT_TYPES: dict[str, _ElementType] = {
    **{kind: _named_type(name) for kind, name in _KIND_TYPE.items()},
    "group": _group_type,
    "choice": _choice_type,
    "text": _text_type,
    "unit": _text_type,
    "unread": _marks_type,
    "ocr": _marks_type,
}
"""How a field's element is typed in the XSD, by field kind."""


def generate_xsd(edition: str) -> etree._ElementTree:
    """Generate the XSD of an edition from the model classes."""
    cls = report_class(edition)
    namespace = xml_namespace(edition)
    schema = etree.Element(
        f"{{{XS}}}schema",
        nsmap={"xs": XS, "gd": namespace, None: namespace},  # type: ignore[dict-item]
        targetNamespace=namespace,
        elementFormDefault="qualified",
        version=edition,
    )
    annotation = etree.SubElement(schema, f"{{{XS}}}annotation")
    doc = etree.SubElement(annotation, f"{{{XS}}}documentation")
    doc.set(XML_LANG, "en")
    doc.text = (
        f"Government information disclosure annual report (政府信息公开工作年度报告), template "
        f"edition {edition}. Generated from the gov_disclosure model; do not edit. A blank "
        "cell is an absent element, never 0. Arithmetic rules are in rules.json."
    )
    root = etree.SubElement(schema, f"{{{XS}}}element", name="report")
    gen = _Generator(schema)
    root.set("type", gen.type_name(cls))
    for name in sorted(gen.types):
        schema.append(gen.types[name])
    schema.append(_unread_type())
    schema.append(_ocr_type())
    simple_types = {
        **_SIMPLE_TYPES,
        "UnreadAddress": ("xs:string", [("enumeration", a) for a in unread_addresses(edition)]),
        "UnreadReason": ("xs:string", [("enumeration", r) for r in sorted(UNREAD_REASONS)]),
        "Confidence": (
            "xs:decimal",
            [("minInclusive", "0"), ("maxInclusive", "1"), ("fractionDigits", "3")],
        ),
    }
    for name, (base, facets) in simple_types.items():
        simple = etree.SubElement(schema, f"{{{XS}}}simpleType", name=name)
        restriction = etree.SubElement(simple, f"{{{XS}}}restriction", base=base)
        for facet, value in facets:
            etree.SubElement(restriction, f"{{{XS}}}{facet}", value=value)
    return etree.ElementTree(schema)


def _unread_type() -> etree._Element:
    """``<unread><cell address="..." reason="..."/>...</unread>``: cells a parser could not read.

    The model also requires each named cell to be absent (an unread cell holds no value).
    """
    complex_type = etree.Element(f"{{{XS}}}complexType", name="Unread")
    sequence = etree.SubElement(complex_type, f"{{{XS}}}sequence")
    cell = etree.SubElement(
        sequence, f"{{{XS}}}element", name="cell", minOccurs="0", maxOccurs="unbounded"
    )
    _documentation(
        cell, FieldInfo("未能识别的单元格", "one unread cell: its address and the reason", "unread")
    )
    cell_type = etree.SubElement(cell, f"{{{XS}}}complexType")
    for name, type_name in (("address", "UnreadAddress"), ("reason", "UnreadReason")):
        etree.SubElement(cell_type, f"{{{XS}}}attribute", name=name, type=type_name, use="required")
    return complex_type


def _ocr_type() -> etree._Element:
    """``<ocr><cell address="..." confidence="0.97"/>...</ocr>``: cells read by OCR."""
    complex_type = etree.Element(f"{{{XS}}}complexType", name="Ocr")
    sequence = etree.SubElement(complex_type, f"{{{XS}}}sequence")
    cell = etree.SubElement(
        sequence, f"{{{XS}}}element", name="cell", minOccurs="0", maxOccurs="unbounded"
    )
    _documentation(
        cell,
        FieldInfo(
            "OCR识别的单元格", "one cell read by OCR: its address and the OCR confidence", "ocr"
        ),
    )
    cell_type = etree.SubElement(cell, f"{{{XS}}}complexType")
    for name, type_name in (("address", "UnreadAddress"), ("confidence", "Confidence")):
        etree.SubElement(cell_type, f"{{{XS}}}attribute", name=name, type=type_name, use="required")
    return complex_type


def xsd_text(edition: str) -> str:
    """The XSD file's exact text (what is committed under ``schemas/``)."""
    tree = generate_xsd(edition)
    body: bytes = etree.tostring(tree, pretty_print=True, xml_declaration=True, encoding="UTF-8")
    return body.decode("utf-8")


@functools.cache
def xml_schema(edition: str) -> etree.XMLSchema:
    """The shipped XSD of an edition as a compiled :class:`lxml.etree.XMLSchema`.

    Raises:
        GovDisclosureError: if the schema file is missing from the installation.
    """
    data = shipped_file(edition, "report.xsd")
    return etree.XMLSchema(etree.fromstring(data, make_parser()))
