"""Serialisation formats: JSON (cattrs) and XML (lxml)."""

from gov_disclosure.serialization.converter import make_converter
from gov_disclosure.serialization.documents import load_document, read_document
from gov_disclosure.serialization.json_format import dumps, from_dict, loads, to_dict
from gov_disclosure.serialization.xml_format import from_xml, to_xml
from gov_disclosure.serialization.xml_security import make_parser, parse_untrusted_xml

__all__ = [
    "dumps",
    "from_dict",
    "from_xml",
    "load_document",
    "loads",
    "make_converter",
    "make_parser",
    "parse_untrusted_xml",
    "read_document",
    "to_dict",
    "to_xml",
]
