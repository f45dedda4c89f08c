"""Serialisation formats: JSON (cattrs) and XML (lxml).

Names are imported on first use (PEP 562): ``loads`` never imports lxml or jsonschema.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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

_LAZY = {
    "make_converter": "converter",
    "load_document": "documents",
    "read_document": "documents",
    "dumps": "json_format",
    "from_dict": "json_format",
    "loads": "json_format",
    "to_dict": "json_format",
    "from_xml": "xml_format",
    "to_xml": "xml_format",
    "make_parser": "xml_security",
    "parse_untrusted_xml": "xml_security",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:
    from gov_disclosure.serialization.converter import make_converter
    from gov_disclosure.serialization.documents import load_document, read_document
    from gov_disclosure.serialization.json_format import dumps, from_dict, loads, to_dict
    from gov_disclosure.serialization.xml_format import from_xml, to_xml
    from gov_disclosure.serialization.xml_security import make_parser, parse_untrusted_xml
