"""``gov-disclosure diff``: two reports side by side."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from gov_disclosure.cli.common import (
    EXIT_FAIL,
    EXIT_OK,
    RunState,
    load_input,
    print_written,
    shown,
    write_output,
)

__all__ = ["cmd_diff"]


_DIFF_SUFFIXES = {".html": "html", ".htm": "html", ".json": "json", ".txt": "text"}


def cmd_diff(args: argparse.Namespace, state: RunState) -> int:
    """Compare two report documents: changed cells, indicators, text, cross-year findings."""
    kind = args.to
    if kind is None:
        suffix = Path(args.output).suffix.lower() if args.output not in (None, "-") else ""
        kind = _DIFF_SUFFIXES.get(suffix, "text")
    old = load_input(args.old)
    new = load_input(args.new)
    if old is None or new is None:
        return EXIT_FAIL
    from gov_disclosure.comparison import diff

    result = diff(old, new)
    if kind == "html":
        from gov_disclosure.rendering.comparison import diff_to_html

        out = diff_to_html(result).encode("utf-8")
    elif kind == "json":
        out = (json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    else:
        text = result.to_text(lang=args.lang)
        out = (shown(text) if args.output in (None, "-") else text).encode("utf-8")
    if args.json and args.output in (None, "-"):
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return EXIT_OK
    write_output(args.output, out)
    print_written(
        args,
        old=args.old,
        new=args.new,
        output=args.output,
        to=kind,
        cells=len(result.cells),
        findings=len(result.findings),
    )
    return EXIT_OK
