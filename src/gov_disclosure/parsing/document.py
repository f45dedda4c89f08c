"""The shapes shared by every parser: the item stream, diagnostics and the result."""

from __future__ import annotations

from typing import Any, Literal

import attrs

from gov_disclosure.model.report import Report
from gov_disclosure.parsing.values import is_value_text
from gov_disclosure.serialization.pickling import compact_pickle, from_fields, reduce_to_fields

__all__ = [
    "KINDS",
    "SPANNED",
    "Diagnostic",
    "Document",
    "Line",
    "ParseResult",
    "Provenance",
    "Row",
    "Severity",
    "misfit_rows",
    "short_rows",
]

KINDS = ("text", "markdown", "html", "pdf", "docx", "doc", "rtf", "odt", "docm", "image")
"""Input kinds the parsers understand (``doc``, ``rtf``, ``odt`` and ``docm`` through
LibreOffice, ``image`` and image-only PDF pages by OCR)."""

Severity = Literal["error", "warning", "info"]


@attrs.frozen
class Row:
    """One table row as printed: its cells' text, and where it was found."""

    cells: tuple[str, ...]
    location: str
    short: bool = False
    """The row is narrower than the header row above it: a converter dropped cells, so the
    positions of its values prove nothing and only a row whose every value cell is printed
    may be read."""
    wide: bool = False
    """The row is wider than the header row above it: a cell too many, a converter's empty
    cell or a stray one, and nothing says where. Its cells are trimmed only where every such
    reading gives the same ones (:func:`~gov_disclosure.parsing.tables.cells.fit_values`):
    with the row's last cell as the stray one, trimming an empty first cell would shift all
    its values."""


SPANNED = "\x00"
"""In a grid from :func:`~gov_disclosure.parsing.html.table_grid` with ``mark_spans``: a
position that a value cell to its left spans (``colspan``), not a cell of its own."""


def misfit_rows(grid: list[list[str]]) -> tuple[set[int], set[int]]:
    """Indexes of the rows with values narrower, and of those wider, than the header above.

    A narrower row is :attr:`Row.short`: a converter dropped some of its cells (an HTML
    table's empty ones, a Markdown row's), so the positions of its values prove nothing. A
    wider one is :attr:`Row.wide`: it holds a cell too many (a converter's empty cell, or a
    stray value), and nothing says which.

    A header row is one without values and with at least two labels; its trailing empty
    cells do not count (converters add them), and the widest one so far is the table's
    width. A row with values keeps its empty cells: a blank cell at the end of a row is still
    a cell.

    Returns:
        The short rows and the wide rows.
    """
    short: set[int] = set()
    wide: set[int] = set()
    reference: int | None = None
    for r, cells in enumerate(grid):
        filled = [c for c in cells if c and c != SPANNED]
        if len(filled) >= 2 and not any(is_value_text(c) for c in filled):
            # a header; a group label over rows (三、本年度办理结果 | （六）其他处理) is one
            # too, and narrower: it never narrows the table
            width = max(i for i, c in enumerate(cells) if c and c != SPANNED) + 1
            reference = max(width, reference or 0)
            continue
        # a row label with values, or with empty cells only: a cell lost from those is
        # lost from a row whose cells all printed blank as much as from one with values
        if filled and reference is not None:
            if len(cells) < reference:
                short.add(r)
            elif len(cells) > reference:
                wide.add(r)
    return short, wide


def short_rows(grid: list[list[str]]) -> set[int]:
    """Indexes of the rows with values that are narrower than the header row above them.

    Such a row is :attr:`Row.short` (see :func:`misfit_rows`, which also gives the wide ones).
    """
    return misfit_rows(grid)[0]


@attrs.frozen
class Line:
    """A line of running text (headings, prose) between tables."""

    text: str
    location: str


@attrs.frozen
class Document:
    """What an input-specific extractor hands to the shared reader.

    Attributes:
        kind: ``text``, ``html``, ``markdown``, ``pdf`` or ``docx``.
        items: Rows and lines in reading order.
        text: The plain text of the whole document (title, sections, edition signals).
        title: A title found in metadata (crawler header, HTML ``<title>``), if any.
        diagnostics: What the extractor itself noticed (a label met in prose, a page it
            could not read); they come first in the result's diagnostics.
        ocr: The items read by OCR: location -> the lowest confidence of its words (0-1).
        ocr_pages: How many pages were read by OCR.
        published: A publication date line found in metadata (a crawler header's
            ``发布时间``): ``(raw text, location)``.
        glued: The tables are glued crawler text, where one run of digits may hold several
            cells (and only there: in cell-per-line text or a grid, one value is one cell).
        dropped_blanks: Glued text only: where the text shows that a blank cell prints
            nothing (a row label followed by fewer digits than the row has cells). A run of
            digits may then hide blank cells anywhere, so no run is split into columns.
        images: How many pictures a web page or Word document shows. Without tables, they
            are likely the report scanned, one picture a page (see ``parse_pages``).
    """

    kind: str
    items: tuple[Row | Line, ...]
    text: str
    title: str | None = None
    diagnostics: tuple[Diagnostic, ...] = attrs.field(default=(), kw_only=True)
    ocr: dict[str, float] = attrs.field(factory=dict, kw_only=True)
    ocr_pages: int = attrs.field(default=0, kw_only=True)
    published: tuple[str, str] | None = attrs.field(default=None, kw_only=True)
    glued: bool = attrs.field(default=False, kw_only=True)
    dropped_blanks: str | None = attrs.field(default=None, kw_only=True)
    images: int = attrs.field(default=0, kw_only=True)


@compact_pickle
@attrs.frozen(kw_only=True)
class Diagnostic:
    """Something the parser could not read as printed, or read with a caveat.

    Attributes:
        code: A stable code. The codes of
            :data:`~gov_disclosure.model.unread.UNREAD_REASONS` (``ambiguous``,
            ``unsplittable``, ``too_long``, ``value_count``, ``no_values``, ``row_not_found``,
            ``table_not_found``, ``illegible``, ``conflicting``) leave the cells they name
            unread; the others are ``blank_marker``, ``not_applicable``, ``annotation``, ``unit``,
            ``thousands_separator``, ``sign_word``, ``prose_mention``, ``placed_by_order``,
            ``label_match``, ``unmatched_row``, ``duplicate_row``, ``blank_total``,
            ``hybrid``, ``edition``, ``metadata``, ``section``, ``control_character``.
        severity: ``error``, ``warning`` or ``info``.
        message: What happened, in English.
        addresses: The cells concerned (empty when it is not about cells).
        location: Where in the source (line, page, table row, HTML path).
    """

    code: str
    severity: Severity
    message: str
    addresses: tuple[str, ...] = ()
    location: str | None = None

    def __str__(self) -> str:
        where = f" [{self.location}]" if self.location else ""
        cells = f" ({', '.join(self.addresses)})" if self.addresses else ""
        return f"{self.severity}: {self.code}: {self.message}{cells}{where}"


@compact_pickle
@attrs.frozen
class Provenance:
    """Where a cell's value came from: the raw printed text and its location."""

    raw: str
    location: str
    note: str | None = None


@attrs.frozen(kw_only=True)
class ParseResult:
    """The outcome of parsing one published report.

    Attributes:
        report: The report; cells the parser could not read hold no value and are named in
            ``report.unread`` with the reason, and in a diagnostic.
        diagnostics: Everything worth knowing about the reading, in order.
        provenance: Cell address -> the raw text it was read from.
        kind: The input kind that was parsed.
        ocr_pages: How many pages were read by OCR (the cells are in ``report.ocr``).
        published_from: Where ``report.published`` was found: the raw text, its location,
            and as ``note`` which kind of date it is (``发布日期`` or ``成文日期`` from a
            labelled line or header, or ``落款`` for the signature date at the end).
    """

    report: Report
    diagnostics: tuple[Diagnostic, ...]
    provenance: dict[str, Provenance]
    kind: str
    ocr_pages: int = 0
    published_from: Provenance | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its field values, the provenance packed (see :class:`_PackedProvenance`)."""
        rebuild, (cls, values) = reduce_to_fields(self)
        at = _PROVENANCE_FIELD
        packed = (*values[:at], _PackedProvenance(values[at]), *values[at + 1 :])
        return rebuild, (cls, packed)

    @property
    def unread(self) -> list[str]:
        """The cells the parser could not read (``report.unread``), sorted."""
        return sorted(self.report.unread)

    def to_dict(self) -> dict[str, Any]:
        """The diagnostics and what was not read, as JSON data (``parse --diagnostics``)."""
        return {
            "kind": self.kind,
            "edition": self.report.format,
            "year": self.report.year,
            "agency": self.report.agency.name,
            "unread": dict(sorted(self.report.unread.items())),
            "ocr_pages": self.ocr_pages,
            "ocr": dict(self.report.ocr),
            "diagnostics": [attrs.asdict(d, recurse=False) for d in self.diagnostics],
            "by_code": self.by_code(),
        }

    def by_code(self) -> dict[str, int]:
        """Number of diagnostics per code."""
        counts: dict[str, int] = {}
        for d in self.diagnostics:
            counts[d.code] = counts.get(d.code, 0) + 1
        return counts


_PROVENANCE_FIELD = [f.name for f in attrs.fields(ParseResult)].index("provenance")


class _PackedProvenance:
    """A parse result's provenance as it crosses processes (a batch's workers, a cluster).

    Pickled as a mapping, its 200-odd :class:`Provenance` objects cost a Python call each to
    pickle and to rebuild, and a batch ``parse`` on two workers spent a fifth of its CPU
    there. Packed, the addresses and the distinct provenances (a row's cells often share
    one) travel as tuples, and each distinct one is rebuilt once: on the seed, 124 -> 30 µs
    to pickle and 101 -> 35 µs to unpickle. Rebuilt, it is a plain ``dict`` again.
    """

    __slots__ = ("mapping",)

    def __init__(self, mapping: dict[str, Provenance]) -> None:
        self.mapping = mapping

    def __reduce__(self) -> tuple[Any, ...]:
        distinct: dict[tuple[str, str, str | None], int] = {}
        positions = [
            distinct.setdefault((p.raw, p.location, p.note), len(distinct))
            for p in self.mapping.values()
        ]
        return _unpack_provenance, (tuple(self.mapping), tuple(distinct), positions)


def _unpack_provenance(
    addresses: tuple[str, ...],
    distinct: tuple[tuple[str, str, str | None], ...],
    positions: list[int],
) -> dict[str, Provenance]:
    made = [from_fields(Provenance, values) for values in distinct]
    return dict(zip(addresses, [made[i] for i in positions], strict=True))
