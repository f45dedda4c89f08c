"""DOCX rendering (optional extra ``docx``: python-docx), merged header cells included."""

from __future__ import annotations

import io
from typing import Any

from gov_disclosure.model.report import Report
from gov_disclosure.optional import require
from gov_disclosure.rendering.layout import Table, tables

__all__ = ["to_docx"]


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
            target.text = cell.text
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan


def to_docx(report: Report) -> bytes:
    """Render a report as a Word document (bytes of a ``.docx`` file)."""
    docx: Any = require("docx", "docx", "writing DOCX")
    document = docx.Document()
    document.add_heading(f"{report.agency.name}{report.year}年政府信息公开工作年度报告", level=1)
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
            for line in body.splitlines():
                if line.strip():
                    document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
