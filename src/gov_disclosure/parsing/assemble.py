"""The shared pipeline: from an input's rows and lines to the report (one for all input kinds).

1. recognise the tables by their headings, labels and column headers
   (:mod:`gov_disclosure.parsing.tables.scanner`);
2. map printed labels to canonical rows (:mod:`gov_disclosure.parsing.labels`);
3. read the cells with one reader per table (:mod:`~gov_disclosure.parsing.tables.table2`,
   :mod:`~gov_disclosure.parsing.tables.table3`, :mod:`~gov_disclosure.parsing.tables.table4`),
   splitting glued digit runs with the identities (:mod:`gov_disclosure.parsing.glued`);
4. take the year, body and edition (:mod:`gov_disclosure.parsing.metadata`) and the text
   parts (:mod:`gov_disclosure.parsing.sections`), and build the report.

Anything not read is left empty and named in a diagnostic; nothing is guessed.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, cast

from gov_disclosure.errors import DocumentError, ParseError
from gov_disclosure.model.report import Agency, Report2019, Report2021, report_class
from gov_disclosure.model.tables import ApplicantRow, Outcomes, Requests
from gov_disclosure.model.unread import UNREAD_REASONS
from gov_disclosure.parsing.document import Document, Line, ParseResult, Provenance
from gov_disclosure.parsing.labels import normalize, table2_rows, table3_groups
from gov_disclosure.parsing.metadata import (
    detect_edition,
    edition_of_normalized,
    find_publication_date,
    find_title,
    infer_agency,
)
from gov_disclosure.parsing.sections import extract_sections, misnumbered_headings, reflow
from gov_disclosure.parsing.tables.cells import CellReader
from gov_disclosure.parsing.tables.scanner import Scanner
from gov_disclosure.parsing.tables.table2 import decide_by_text, table2_layout
from gov_disclosure.parsing.tables.table3 import read_table3, settle_other_rows
from gov_disclosure.parsing.tables.table4 import read_table4
from gov_disclosure.serialization.json_format import from_dict, to_dict
from gov_disclosure.serialization.xml_format import NOT_XML_TEXT

__all__ = ["assemble", "detect_edition"]

_LEGACY = ("指标名称", "计量单位", "历年累计")


def _no_tables(doc: Document) -> str:
    """Why a document gave no report, with a hint where it shows pictures instead."""
    message = "no statistical tables of an annual report were found"
    if doc.images:
        message += (
            f"; the {doc.kind.upper()} shows {doc.images} picture(s): if they are the report "
            "scanned, one a page, read them with parse --pages (parse_pages)"
        )
        if doc.kind == "html":
            message += ", or the page saved with its pictures with parse --pages PAGE.html"
        elif doc.kind == "docx":
            message += ", or the Word file itself with parse --pages FILE.docx"
    return message


def assemble(
    doc: Document,
    *,
    year: int | None = None,
    agency: str | None = None,
    edition: str | None = None,
    source: str | None = None,
    level: str | None = None,
    kind: str | None = None,
) -> ParseResult:
    """Turn an extracted document into a :class:`ParseResult`.

    The agency's level and kind are taken from ``level``/``kind`` when given, otherwise from
    what its name proves (:func:`~gov_disclosure.parsing.metadata.infer_agency`).

    Raises:
        ParseError: for a pre-2019 report, a document without any of the three tables, or one
            whose year or publishing body cannot be found (pass ``year``/``agency``).
    """
    norm_text = normalize(doc.text)
    has_table3 = "本年新收政府信息公开申请数量" in norm_text or "本年度办理结果" in norm_text
    if all(s in norm_text for s in _LEGACY) and not has_table3:
        raise ParseError(
            "this is a pre-2019 report (统计表 with 指标名称/计量单位/历年累计); only the 2019 "
            "and 2021 template editions are supported",
            location=source,
        )
    detected = edition_of_normalized(norm_text)
    edition = edition or detected
    if edition is None and not has_table3:
        raise ParseError(_no_tables(doc), location=source)
    reader = CellReader(doc, edition or "2021", diagnostics=list(doc.diagnostics))
    if edition is None:
        reader.diag("edition", "warning", "edition could not be told from the labels; 2021 assumed")

    scanner = Scanner(reader, table2_rows(reader.edition), table3_groups())
    for item in doc.items:
        if isinstance(item, Line):
            scanner.line(item)
        else:
            scanner.row(item)
    t3, t4 = settle_other_rows(scanner.t3, reader.edition), scanner.t4

    if not t3 and not t4 and not any(a.startswith("proactive_disclosure.") for a in reader.cells):
        raise ParseError(_no_tables(doc), location=source)
    read_table3(reader, t3)
    read_table4(reader, t4)
    sections = extract_sections(doc.text)
    for heading, expected, line, out_of_order in misnumbered_headings(doc.text):
        reader.diag(
            "heading_order",
            "warning" if out_of_order else "info",
            f"part heading {heading!r} comes before a part the template puts ahead of it "
            f"(the template makes it part {expected})"
            if out_of_order
            else f"part heading {heading!r} is numbered otherwise than the template, which "
            f"makes it part {expected} (an inserted part, or numbering restarted)",
            location=f"text line {line}",
        )
    found_agency, found_year = find_title(doc)
    decide_by_text(
        reader,
        {"overview": sections.get("overview"), "other_matters": sections.get("other")},
        region_wide=infer_agency(agency or found_agency or "")[1] != "department",
    )
    for key, columns in table2_layout(reader.edition).items():
        prefix = f"proactive_disclosure.{key}."
        read = any(a.startswith(prefix) for a in reader.cells)
        named = any(a.startswith(prefix) for d in reader.diagnostics for a in d.addresses)
        if not read and not named:
            found = any(a.startswith("proactive_disclosure.") for a in reader.cells)
            reader.diag(
                "row_not_found" if found else "table_not_found",
                "warning",
                f"table 2 row {key} not found; cells left unread"
                if found
                else "table 2 not found; cells left unread",
                [f"{prefix}{c}" for c, _ in columns],
            )

    _flag_blank_totals(reader)
    year = year or found_year
    agency = agency or found_agency
    if year is None:
        raise ParseError("cannot find the report year; pass year=", location=source)
    if not agency:
        raise ParseError("cannot find the publishing body's name; pass agency=", location=source)
    hybrid = reader.edition == "2021" and any(o.key == "outcomes.other" for o in t3)
    if hybrid:
        reader.diag(
            "hybrid",
            "info",
            "2021 table 2 with a single （六）其他处理 row: modelled as a hybrid 2021 report",
        )
    inferred_level, inferred_kind = infer_agency(agency)
    published = find_publication_date(doc, year)
    if published is not None:
        reader.diag(
            "published",
            "info",
            f"publication date {published[0].isoformat()} ({published[1].note}): "
            f"{published[1].raw}",
            location=published[1].location,
        )
    report = _build(
        reader,
        year=year,
        agency=Agency(  # values checked by Agency's validators
            name=agency,
            level=cast(Any, level or inferred_level),
            kind=cast(Any, kind or inferred_kind),
        ),
        hybrid=hybrid,
        sections=sections,
        source=source,
        published=published[0] if published else None,
    )
    return ParseResult(
        report=report,
        diagnostics=tuple(reader.diagnostics),
        provenance=dict(sorted(reader.provenance.items())),
        kind=doc.kind,
        ocr_pages=doc.ocr_pages,
        published_from=published[1] if published else None,
    )


def _flag_blank_totals(reader: CellReader) -> None:
    """Name every blank 总计 in a row whose other cells hold values.

    It may have been lost in conversion; the parser never fills it in.
    """
    rows: dict[str, list[str]] = {}
    for address in reader.cells:
        if address.startswith(("requests.", "review_litigation.")):
            row, _, column = address.rpartition(".")
            rows.setdefault(row, []).append(column)
    for row, columns in rows.items():
        total = f"{row}.total"
        others = [reader.cells.get(f"{row}.{c}") for c in columns if c != "total"]
        if reader.cells.get(total) is None and any(v not in (None, 0) for v in others):
            reader.diag(
                "blank_total",
                "warning",
                "the total cell is blank (or was lost) although the row has values; left blank",
                [total],
                reader.provenance.get(f"{row}.{columns[0]}", Provenance("", "")).location,
            )


def _unread_marks(reader: CellReader, data: dict[str, Any]) -> dict[str, str]:
    """Cells a diagnostic says were not read and that hold no value: address -> reason.

    The first diagnostic naming a cell gives the reason.
    """
    marks: dict[str, str] = {}
    for diagnostic in reader.diagnostics:
        if diagnostic.code not in UNREAD_REASONS:
            continue
        for address in diagnostic.addresses:
            if address in marks or reader.cells.get(address) is not None:
                continue
            node: Any = data
            for part in address.split("."):
                node = node.get(part, _ABSENT) if isinstance(node, dict) else _ABSENT
            if node is None:  # a cell of this layout, left empty
                marks[address] = diagnostic.code
    return marks


_ABSENT = object()


def _ocr_marks(reader: CellReader, data: dict[str, Any]) -> dict[str, float]:
    """Cells read from an OCR'd row or line: address -> the row's lowest OCR confidence.

    A value, a blank and an unread cell alike: all three came from a scanned page.
    """
    scores = reader.doc.ocr
    if not scores:
        return {}
    found: dict[str, float] = {}
    located = [(a, p.location) for a, p in reader.provenance.items()]
    located += [(a, d.location) for d in reader.diagnostics if d.location for a in d.addresses]
    for address, location in located:
        score = scores.get(location)
        if score is None or address in found:
            continue
        node: Any = data
        for part in address.split("."):
            node = node.get(part, _ABSENT) if isinstance(node, dict) else _ABSENT
        if node is not _ABSENT and not isinstance(node, dict):  # a cell of this layout
            found[address] = round(float(score), 3)
    return dict(sorted(found.items()))


def _remove_control_characters(reader: CellReader, data: dict[str, Any], prefix: str) -> None:
    """Remove from the text read what XML 1.0 cannot carry, saying where.

    Control characters in a published page or file are debris of its making (a font's
    private codes, a converter's markers), never a report's words; left in, the report could
    be written as JSON but not as XML, Word or a spreadsheet.
    """
    for key, value in data.items():
        if isinstance(value, dict):
            if key not in ("unread", "ocr"):  # marks the parser made, not text it read
                _remove_control_characters(reader, value, f"{prefix}{key}.")
        elif isinstance(value, str) and (found := NOT_XML_TEXT.findall(value)):
            shown = ", ".join(sorted({f"U+{ord(c):04X}" for c in found})[:5])
            data[key] = NOT_XML_TEXT.sub("", value) or None
            reader.diag(
                "control_character",
                "info",
                f"{len(found)} character(s) no document format can carry removed from "
                f"{prefix}{key} ({shown})",
            )


def _build(
    reader: CellReader,
    *,
    year: int,
    agency: Agency,
    hybrid: bool,
    sections: dict[str, str | None],
    source: str | None,
    published: datetime.date | None = None,
) -> Report2021 | Report2019:
    cls = report_class(reader.edition)
    kwargs: dict[str, Any] = {}
    if hybrid:
        kwargs["requests"] = Requests(outcomes=Outcomes(other=ApplicantRow()))
    blank = cls(year=year, agency=agency, **kwargs)
    data = to_dict(blank)
    for address, value in reader.cells.items():
        node = data
        parts = address.split(".")
        try:
            for part in parts[:-1]:
                node = node[part]
        except (KeyError, TypeError):
            reader.diag(
                "unmatched_row", "warning", f"{address} is not a cell of this layout", [address]
            )
            continue
        if parts[-1] not in node:
            continue
        node[parts[-1]] = format(value, "f") if isinstance(value, Decimal) else value
    data["unread"] = _unread_marks(reader, data)
    data["ocr"] = _ocr_marks(reader, data)
    if published is not None:
        data["published"] = published.isoformat()
    laid_out = reader.doc.kind in ("pdf", "image")  # visual lines, not paragraphs
    for key, name in (
        ("overview", "overview"),
        ("problems_and_improvements", "problems"),
        ("other_matters", "other"),
    ):
        text = sections.get(name)
        data[key] = reflow(text) or None if laid_out and text else text
    _remove_control_characters(reader, data, "")
    try:
        return from_dict(data, source=source)
    except DocumentError as exc:  # e.g. a negative count printed in a table
        raise ParseError(
            f"the values read do not form a valid report: {exc}", location=source
        ) from None
