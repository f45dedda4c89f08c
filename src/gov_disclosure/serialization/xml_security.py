"""The one hardened lxml parser factory used for every XML input.

Untrusted XML is refused, not sanitised, when it uses a feature a report never needs:

* any document type declaration (``<!DOCTYPE``) in the prolog, which is where external
  entities (XXE), entity expansion bombs ("billion laughs") and external DTDs live. The
  document's encoding is found here first (the way libxml2 detects encodings), the document
  decoded unless it is UTF-8 already, and handed to libxml2 as UTF-8 with that encoding
  forced, so a declaration in UTF-16/32 without a BOM or UTF-7 cannot slip past the check;
  encodings outside a short allow-list are refused;
* network access and DTD loading are switched off in the parser as a second line of defence,
  a resolver answers every external resource with nothing (no file is ever opened), entities
  are never resolved and ``huge_tree`` stays off (libxml2's depth and size limits);
* input larger than :data:`MAX_XML_BYTES`.

XInclude is never processed (``xinclude()`` is not called), so an ``xi:include`` element is an
unknown element that schema validation rejects.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from gov_disclosure.errors import DocumentError, Problem, UnsafeXMLError

__all__ = ["MAX_XML_BYTES", "RefusingResolver", "make_parser", "parse_untrusted_xml"]

MAX_XML_BYTES = 8 * 1024 * 1024
"""Largest XML document accepted. A complete report is about 20 kB."""

_ACCEPTED_ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-16": "utf-16",
    "utf-32": "utf-32",
    "us-ascii": "ascii",
    "ascii": "ascii",
    "iso-8859-1": "latin-1",
    "latin1": "latin-1",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5",
}
"""Declared encodings accepted, and the codec that decodes each. UTF-7, EBCDIC and the rest
are refused: a pre-check cannot see a DOCTYPE written in them the way libxml2 would read it."""

# Byte-order marks and the first bytes of "<?xm" without a BOM, as libxml2 detects them
# (XML 1.0 appendix F). UTF-32 first: its LE BOM starts with the UTF-16 LE one.
_SIGNATURES: tuple[tuple[bytes, str, int], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be", 4),
    (b"\xff\xfe\x00\x00", "utf-32-le", 4),
    (b"\xef\xbb\xbf", "utf-8", 3),
    (b"\xfe\xff", "utf-16-be", 2),
    (b"\xff\xfe", "utf-16-le", 2),
    (b"\x00\x00\x00\x3c", "utf-32-be", 0),
    (b"\x3c\x00\x00\x00", "utf-32-le", 0),
    (b"\x00\x3c\x00\x3f", "utf-16-be", 0),
    (b"\x3c\x00\x3f\x00", "utf-16-le", 0),
    (b"\x4c\x6f\xa7\x94", "ebcdic", 0),
)

_DECLARATION = re.compile(r"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_REFUSED_DTD = (
    "document type declarations (DOCTYPE/ENTITY) are not allowed: external entities, "
    "entity expansion and DTDs are refused"
)


class RefusingResolver(etree.Resolver):
    """Second line of defence: any external resource libxml2 asks for resolves to nothing.

    No file, FIFO or URL is ever opened, whatever the document says.
    """

    def resolve(self, system_url: str, public_id: str, context: Any = None) -> Any:  # noqa: D102
        return self.resolve_string("", context, base_url=None)


def make_parser(*, encoding: str | None = None) -> etree.XMLParser:
    """A new parser with every dangerous feature off (parsers are not thread-safe: one per use).

    Args:
        encoding: Override the document's declared encoding (used for ``str`` input).
    """
    parser = etree.XMLParser(
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
    parser.resolvers.add(RefusingResolver())
    return parser


def _encoding(data: bytes, source: str | None) -> tuple[str, bytes]:
    """The codec libxml2 would read the document in, and its bytes after any BOM; or refused."""
    for signature, codec, skip in _SIGNATURES:
        if data.startswith(signature):
            if codec == "ebcdic":
                raise UnsafeXMLError(
                    [Problem("byte 0", "EBCDIC-encoded XML is not accepted")], source=source
                )
            body, bom = data[skip:], skip > 0
            break
    else:
        codec, body, bom = "", data, False
    if not codec or codec == "utf-8":
        head = body[:200].decode("latin-1")
        match = _DECLARATION.match(head)
        declared = match.group(1).lower() if match else "utf-8"
        if declared not in _ACCEPTED_ENCODINGS or (not bom and declared in ("utf-16", "utf-32")):
            raise UnsafeXMLError(
                [
                    Problem(
                        "prolog",
                        f"encoding {declared!r} is not accepted: use UTF-8, or UTF-16/32 with "
                        "a byte-order mark",
                    )
                ],
                source=source,
            )
        codec = "utf-8" if bom else _ACCEPTED_ENCODINGS[declared]
    return codec, body


def _decode(data: bytes, codec: str, body: bytes, source: str | None) -> str:
    """The document's ``body`` (after any BOM) as text, or refused with the byte at fault."""
    try:
        return body.decode(codec)
    except UnicodeDecodeError as exc:
        raise DocumentError(
            [
                Problem(
                    f"byte {exc.start + (len(data) - len(body))}",
                    f"not valid {codec}: {exc.reason}",
                )
            ],
            source=source,
        ) from None


def _prolog_declares_dtd(text: str) -> bool:
    """Whether the prolog (what precedes the root element) holds a ``<!DOCTYPE`` or ``<!ENTITY``.

    Comments and processing instructions are skipped, so ``<!DOCTYPE`` inside the document's
    text or a CDATA section is not mistaken for one; after the root element starts, a DOCTYPE
    is not well-formed anyway.
    """
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t\r\n\ufeff":
            i += 1
        if text.startswith("<?", i):
            end = text.find("?>", i + 2)
        elif text.startswith("<!--", i):
            end = text.find("-->", i + 4)
        else:
            return text.startswith("<!", i)  # a declaration; anything else is the root element
        if end < 0:
            return False  # unterminated: the parser reports it
        i = end + 2
    return False


def parse_untrusted_xml(document: bytes | str, *, source: str | None = None) -> etree._Element:
    """Parse untrusted XML with the hardened parser and return the root element.

    The document is decoded here (any BOM, UTF-16/32 without one, a declared encoding from a
    short allow-list), checked for a DOCTYPE in its prolog, and handed to libxml2 as UTF-8
    with the encoding forced, so libxml2 never reads it in an encoding the check did not see.

    Args:
        document: The XML as bytes (any accepted encoding) or text.
        source: A name for error messages.

    Raises:
        UnsafeXMLError: for a DOCTYPE/ENTITY declaration, an encoding that is not accepted, or
            oversized input.
        DocumentError: for XML that is not well-formed, with line and column.
        TypeError: for input that is neither ``bytes`` nor ``str``.
    """
    if isinstance(document, str):
        text = document
        size = len(document)
    elif isinstance(document, (bytes, bytearray, memoryview)):
        data = bytes(document)
        size = len(data)
        if size > MAX_XML_BYTES:
            raise UnsafeXMLError(
                [Problem("$", f"document is {size} bytes; the limit is {MAX_XML_BYTES}")],
                source=source,
            )
        codec, body = _encoding(data, source)
        if codec == "utf-8":
            # libxml2 reads UTF-8 as it is (forced below) and refuses any byte that is not,
            # with its line and column: no round trip through str (9 µs of a 190 µs from_xml).
            # The prolog's markup is ASCII, which no byte of a multi-byte UTF-8 character is,
            # so the DTD check reads the bytes as Latin-1 and sees every declaration.
            if _prolog_declares_dtd(body.decode("latin-1")):
                raise UnsafeXMLError([Problem("prolog", _REFUSED_DTD)], source=source)
            return _parse_utf8(body, source)
        text = _decode(data, codec, body, source)
    else:
        raise TypeError(f"XML must be bytes or str, got {type(document).__name__}")
    if size > MAX_XML_BYTES:
        raise UnsafeXMLError(
            [Problem("$", f"document is {size} characters; the limit is {MAX_XML_BYTES}")],
            source=source,
        )
    if _prolog_declares_dtd(text):
        raise UnsafeXMLError([Problem("prolog", _REFUSED_DTD)], source=source)
    try:
        utf8 = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise DocumentError(
            [Problem(f"character {exc.start}", "a lone surrogate is not XML text")], source=source
        ) from None
    return _parse_utf8(utf8, source)


def _parse_utf8(utf8: bytes, source: str | None) -> etree._Element:
    """The root element of a document in UTF-8 whose prolog has been checked."""
    parser = make_parser(encoding="utf-8")
    try:
        root = etree.fromstring(utf8, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        raise DocumentError(
            [
                Problem(
                    f"line {line}, column {column}",
                    f"not well-formed XML: {exc.msg}",
                    line=line,
                    column=column,
                )
            ],
            source=source,
        ) from None
    except (ValueError, LookupError) as exc:
        raise DocumentError([Problem("$", f"unreadable XML: {exc}")], source=source) from None
    docinfo: Any = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:  # defence in depth
        raise UnsafeXMLError([Problem("prolog", _REFUSED_DTD)], source=source)
    return root
