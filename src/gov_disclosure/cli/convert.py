"""``gov-disclosure convert``: a report between JSON and XML."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gov_disclosure.cli.common import (
    EXIT_FAIL,
    EXIT_OK,
    RunState,
    UsageError,
    load_input,
    needs_output_for_json,
    print_problems,
    print_written,
    write_output,
)
from gov_disclosure.errors import DocumentError

__all__ = ["cmd_convert"]


def _output_kind(args: argparse.Namespace) -> str:
    if args.to:
        return str(args.to)
    if args.output and args.output != "-":
        suffix = Path(args.output).suffix.lower()
        if suffix in (".json", ".xml"):
            return suffix[1:]
        raise UsageError(
            "cannot tell the output format: give --to json|xml or an -o FILE.json/.xml"
        )
    # no hint: the other format than the input's (an XML input becomes JSON, else XML)
    return "json" if str(getattr(args, "input", "")).lower().endswith(".xml") else "xml"


def cmd_convert(args: argparse.Namespace, state: RunState) -> int:
    """Convert a report document between JSON and XML."""
    kind = _output_kind(args)
    needs_output_for_json(args, args.output)
    report = load_input(args.input)
    if report is None:
        return EXIT_FAIL
    if kind == "xml":
        from gov_disclosure.serialization.xml_format import to_xml

        try:
            out = to_xml(report)
        except DocumentError as exc:
            print_problems(sys.stderr, args.input, exc.problems)
            return EXIT_FAIL
    else:
        from gov_disclosure.serialization.json_format import dumps

        out = (dumps(report, indent=2) + "\n").encode("utf-8")
    write_output(args.output, out)
    print_written(args, file=args.input, output=args.output, to=kind, bytes=len(out))
    return EXIT_OK
