"""DOCX rendering (optional extra ``docx``: python-docx), merged header cells included."""

from __future__ import annotations

import io
from typing import Any

from gov_disclosure.model.report import Report
from gov_disclosure.optional import require
from gov_disclosure.rendering.layout import Table, tables
from gov_disclosure.serialization.xml_format import NOT_XML_TEXT

__all__ = ["MAX_PARAGRAPHS", "to_docx"]

MAX_PARAGRAPHS = 500
"""Paragraphs written for one text part; the lines past it go into the last paragraph as line
breaks (python-docx's ``add_paragraph`` costs about 0.3 ms each: 40,000 lines took 13 s)."""


def _xml_safe(text: str) -> str:
    # characters XML 1.0 cannot hold (Word's document.xml is XML): shown as \xNN, as the
    # command line shows them, never a crash in lxml
    return NOT_XML_TEXT.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _table(document: Any, table: Table) -> None:
    grid = document.add_table(rows=len(table.rows), cols=table.columns)
    grid.style = "Table Grid"
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            target = grid.cell(r, c)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(grid.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
            target.text = _xml_safe(cell.text)
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan


def to_docx(report: Report) -> bytes:
    """Render a report as a Word document (bytes of a ``.docx`` file)."""
    docx: Any = require("docx", "docx", "writing DOCX")
    document = docx.Document()
    title = f"{report.agency.name}{report.year}年政府信息公开工作年度报告"
    document.add_heading(_xml_safe(title), level=1)
    t2, t3, t4 = tables(report)
    sections: list[tuple[str, str | Table]] = [
        ("一、总体情况", report.overview or ""),
        (t2.heading, t2),
        (t3.heading, t3),
        (t4.heading, t4),
        ("五、存在的主要问题及改进情况", report.problems_and_improvements or ""),
        ("六、其他需要报告的事项", report.other_matters or ""),
    ]
    for heading, body in sections:
        document.add_heading(heading, level=2)
        if isinstance(body, Table):
            _table(document, body)
        else:
            lines = [_xml_safe(line) for line in body.splitlines() if line.strip()]
            for line in lines[: MAX_PARAGRAPHS - 1]:
                document.add_paragraph(line)
            if len(lines) >= MAX_PARAGRAPHS:  # the rest in one paragraph, a line break each
                document.add_paragraph("\n".join(lines[MAX_PARAGRAPHS - 1 :]))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
