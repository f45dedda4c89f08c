"""``gov-disclosure render``: a report in the official layout."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from gov_disclosure.cli.common import (
    EXIT_FAIL,
    EXIT_OK,
    RunState,
    UsageError,
    load_input,
    needs_output_for_json,
    print_written,
    shown,
    write_output,
)

if TYPE_CHECKING:  # pragma: no cover
    from gov_disclosure.rules.results import Finding


__all__ = ["cmd_render"]


_RENDER_SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".txt": "text",
    ".docx": "docx",
    ".pdf": "pdf",
}


def cmd_render(args: argparse.Namespace, state: RunState) -> int:
    """Render a report document in the official layout (HTML, Markdown, text, DOCX)."""
    kind = args.to
    if kind is None and args.output and args.output != "-":
        kind = _RENDER_SUFFIXES.get(Path(args.output).suffix.lower())
    if kind is None and args.output in (None, "-"):
        kind = "html"  # the official layout, on standard output
    if kind is None:
        raise UsageError(
            "cannot tell the output format: give --to html|markdown|text|docx|pdf or an -o FILE "
            "ending in .html, .md, .txt, .docx or .pdf"
        )
    needs_output_for_json(args, args.output)
    report = load_input(args.input)
    if report is None:
        return EXIT_FAIL
    findings: tuple[Finding, ...] = ()
    if args.check:
        from gov_disclosure.rules import check

        findings = check(report).findings
    from gov_disclosure import rendering

    if kind == "html":
        out = rendering.to_html(report, findings=findings).encode("utf-8")
    elif kind in ("markdown", "text"):
        human = rendering.to_markdown(report) if kind == "markdown" else rendering.to_text(report)
        if args.output in (None, "-"):  # a terminal: names and prose must not drive it
            human = shown(human)
        out = human.encode("utf-8")
    elif kind == "pdf":
        if args.output in (None, "-"):
            raise UsageError("PDF output needs -o FILE.pdf")
        out = rendering.to_pdf(report, findings=findings)
    else:
        if args.output in (None, "-"):
            raise UsageError("DOCX output needs -o FILE.docx")
        out = rendering.to_docx(report)
    write_output(args.output, out)
    print_written(
        args, file=args.input, output=args.output, to=kind, bytes=len(out), findings=len(findings)
    )
    return EXIT_OK
