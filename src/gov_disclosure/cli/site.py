"""``gov-disclosure site``: the static site of a corpus, for evaluators."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gov_disclosure.cli.common import (
    EXIT_FAIL,
    EXIT_OK,
    EXIT_UNREADABLE,
    InputError,
    Progress,
    RunState,
    UsageError,
    open_executor,
    shown,
)

__all__ = ["cmd_site"]


def cmd_site(args: argparse.Namespace, state: RunState) -> int:
    """Build the site of the reports named on the command line into ``-o DIR``."""
    from gov_disclosure.optional import require
    from gov_disclosure.site import build

    require("vl_convert", "site", "drawing the site's charts")
    output = Path(args.output)
    if output.exists() and not output.is_dir():
        raise UsageError(f"{args.output}: not a folder")
    if not output.parent.is_dir():
        raise InputError(f"{args.output}: cannot write: No such file or directory")
    progress = Progress(None, "site", quiet=args.quiet)
    try:
        with open_executor(args, state) as executor:
            summary = build(
                args.files,
                args.output,
                parse=args.parse,
                jobs=args.jobs,
                executor=executor,
                progress=progress.step,
                retries=state.retries,
            )
    except OSError as exc:
        raise InputError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    finally:
        progress.close()
    for message in summary.failed:
        print(shown(message), file=sys.stderr)
    if args.json:
        print(
            json.dumps(
                {
                    "folder": summary.folder,
                    "reports": summary.reports,
                    "agencies": summary.agencies,
                    "failed": len(summary.failed),
                    "unreadable": summary.unreadable,
                    "files": summary.files,
                    "bytes": summary.size,
                    "seconds": round(summary.seconds, 2),
                },
                ensure_ascii=False,
            )
        )
    elif not args.quiet:
        print(summary.describe(), file=sys.stderr)
    if summary.reports == 0 and not summary.failed:
        raise UsageError("no input files found")
    return EXIT_UNREADABLE if summary.unreadable else EXIT_FAIL if summary.failed else EXIT_OK
