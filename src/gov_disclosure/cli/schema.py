"""``gov-disclosure schema``: print the JSON Schema, XSD or rule set of an edition."""

from __future__ import annotations

import argparse
import sys

from gov_disclosure.cli.common import EXIT_OK, RunState, print_written

__all__ = ["cmd_schema"]


def cmd_schema(args: argparse.Namespace, state: RunState) -> int:
    """Print the JSON Schema, the XSD or the rule set of an edition (the shipped files)."""
    from gov_disclosure.schemas import shipped_file

    name = {"json": "report.schema.json", "xsd": "report.xsd", "rules": "rules.json"}[args.to]
    content = shipped_file(args.edition, name).decode("utf-8")
    if args.json:  # the file as a JSON string, with what it is
        print_written(args, edition=args.edition, kind=args.to, file=name, content=content)
    else:
        sys.stdout.write(content)
    return EXIT_OK
