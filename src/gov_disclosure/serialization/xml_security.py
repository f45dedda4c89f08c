"""The one hardened lxml parser factory used for every XML input.

Untrusted XML is refused, not sanitised, when it uses a feature a report never needs:

* any document type declaration (``<!DOCTYPE``), which is where external entities (XXE),
  entity expansion bombs ("billion laughs") and external DTDs live;
* network access and DTD loading are switched off in the parser as a second line of defence,
  entities are never resolved and ``huge_tree`` stays off (libxml2's depth and size limits);
* input larger than :data:`MAX_XML_BYTES`.

XInclude is never processed (``xinclude()`` is not called), so an ``xi:include`` element is an
unknown element that schema validation rejects.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from gov_disclosure.errors import DocumentError, Problem, UnsafeXMLError

__all__ = ["MAX_XML_BYTES", "make_parser", "parse_untrusted_xml"]

MAX_XML_BYTES = 8 * 1024 * 1024
"""Largest XML document accepted. A complete report is about 20 kB."""

_DOCTYPE = re.compile(rb"<!\s*DOCTYPE|<!\s*ENTITY", re.IGNORECASE)


def make_parser(*, encoding: str | None = None) -> etree.XMLParser:
    """A new parser with every dangerous feature off (parsers are not thread-safe: one per use).

    Args:
        encoding: Override the document's declared encoding (used for ``str`` input).
    """
    return etree.XMLParser(
        encoding=encoding,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def _scan_forbidden(data: bytes) -> bool:
    """Whether the document declares a DOCTYPE or entity (checked in UTF-16/32 text too)."""
    if _DOCTYPE.search(data):
        return True
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] == b"\x00\x00\xfe\xff":
        for encoding in ("utf-32", "utf-16"):
            try:
                return bool(_DOCTYPE.search(data.decode(encoding).encode("utf-8")))
            except UnicodeDecodeError:
                continue
    return False


_REFUSED_DTD = (
    "document type declarations (DOCTYPE/ENTITY) are not allowed: external entities, "
    "entity expansion and DTDs are refused"
)


def parse_untrusted_xml(document: bytes | str, *, source: str | None = None) -> etree._Element:
    """Parse untrusted XML with the hardened parser and return the root element.

    Args:
        document: The XML as bytes (any declared encoding) or text.
        source: A name for error messages.

    Raises:
        UnsafeXMLError: for a DOCTYPE/ENTITY declaration or oversized input.
        DocumentError: for XML that is not well-formed, with line and column.
    """
    # str input is parsed as UTF-8 bytes with the encoding forced, whatever it declares.
    data = document.encode("utf-8") if isinstance(document, str) else bytes(document)
    if len(data) > MAX_XML_BYTES:
        raise UnsafeXMLError(
            [Problem("$", f"document is {len(data)} bytes; the limit is {MAX_XML_BYTES}")],
            source=source,
        )
    if _scan_forbidden(data):
        raise UnsafeXMLError([Problem("prolog", _REFUSED_DTD)], source=source)
    parser = make_parser(encoding="utf-8" if isinstance(document, str) else None)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        raise DocumentError(
            [Problem(f"line {line}, column {column}", f"not well-formed XML: {exc.msg}")],
            source=source,
        ) from None
    except (ValueError, LookupError) as exc:  # e.g. an unknown declared encoding
        raise DocumentError([Problem("$", f"unreadable XML: {exc}")], source=source) from None
    docinfo: Any = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:  # defence in depth
        raise UnsafeXMLError([Problem("prolog", _REFUSED_DTD)], source=source)
    return root
