"""``gov-disclosure rollup``: children's reports missing, and their sums beside the parent's."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from typing import TYPE_CHECKING

from gov_disclosure.cli.common import (
    EXIT_FAIL,
    EXIT_OK,
    EXIT_UNREADABLE,
    InputError,
    Progress,
    UsageError,
    check_table_output,
    collect,
    located,
    open_executor,
    refused,
    run_on,
    shown,
    total_items,
)
from gov_disclosure.errors import DocumentError

if TYPE_CHECKING:
    from gov_disclosure.model.report import Report
    from gov_disclosure.rollups import RollUp

__all__ = ["cmd_rollup"]

_SHOWN_DIFFERENCES = 5  # a summary's differing cells listed per parent and year in text


def cmd_rollup(args: argparse.Namespace) -> int:
    """Roll reports up a hierarchy: per parent and year, missing children and sums."""
    from gov_disclosure.batch import DOCUMENT_SUFFIXES, PUBLISHED_SUFFIXES
    from gov_disclosure.rollups import derive_hierarchy, iter_roll_up, load_hierarchy, rollup_rows

    if bool(args.hierarchy) == bool(args.derive):
        raise UsageError("give --hierarchy FILE or --derive (one of them)")
    hierarchy = None
    if args.hierarchy:
        try:
            hierarchy = load_hierarchy(args.hierarchy)
        except DocumentError as exc:
            return refused(args.hierarchy, exc)
    if args.output:
        check_table_output(args.output)
    suffixes = DOCUMENT_SUFFIXES + (PUBLISHED_SUFFIXES if args.parse else ())
    files = collect(args, args.files, suffixes, jsonl=True)
    if not files:
        raise UsageError("no input files found")
    reports, failed, unreadable = _load(args, files)
    if hierarchy is None:
        hierarchy = derive_hierarchy(reports)
        if not hierarchy.parents and not args.quiet:
            print(
                "gov-disclosure: no parent derived: --derive needs agency.region, .level and "
                ".kind in the reports (parse --level, or a --hierarchy file)",
                file=sys.stderr,
            )
    rollups = iter_roll_up(reports, hierarchy, years=args.year and [args.year])
    try:
        with contextlib.ExitStack() as stack:
            table = None
            if args.output:
                from gov_disclosure.export import open_table

                table = stack.enter_context(open_table(args.output, "rollups"))
            for r in rollups:  # one at a time: a roll-up holds a row per cell
                if table is not None:
                    table.write(rollup_rows([r]))
                if args.json:
                    print(json.dumps(r.to_dict(), ensure_ascii=False))
                elif not args.quiet:
                    print(shown(_text(r)))
    except OSError as exc:
        raise InputError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    if args.folder_errors or unreadable:
        return EXIT_UNREADABLE
    return EXIT_FAIL if failed else EXIT_OK


def _load(args: argparse.Namespace, files: list[str]) -> tuple[list[Report], int, int]:
    """Every report of the inputs (loaded in the worker pool); failures go to stderr."""
    from gov_disclosure.batch import iter_sources
    from gov_disclosure.sources import load_any

    reports: list[Report] = []
    failed = unreadable = 0
    progress = Progress(total_items(files), "rollup", quiet=args.quiet)
    with contextlib.ExitStack() as stack:
        stack.callback(progress.close)
        executor = stack.enter_context(open_executor(args))
        results = stack.enter_context(
            contextlib.closing(run_on(args, load_any, iter_sources(files), progress, executor))
        )
        for item in results:
            if item.error is None:
                reports.append(item.value)
                continue
            failed += 1
            unreadable += item.unreadable
            progress.write(shown(located(item.file, item.error)))
    return reports, failed, unreadable


def _text(r: RollUp) -> str:
    children = len(r.reported) + len(r.missing)
    lines = [
        f"{r.parent} {r.year} ({r.report}; edition {r.edition or '-'}): "
        f"{len(r.reported)} of {children} children reported"
        + ("" if r.parent_reported else "; no report of the parent itself")
    ]
    if r.missing:
        lines.append(f"  missing: {', '.join(r.missing)}")
    if r.duplicated:
        lines.append(
            f"  more than one report for the year (the first is used): {', '.join(r.duplicated)}"
        )
    if r.other_edition:
        lines.append(f"  another template edition, not summed: {', '.join(r.other_edition)}")
    if r.report == "summary":
        differing = r.differences
        lines.append(f"  {len(differing)} cell(s) of the summary differ from the children's sum")
        for c in differing[:_SHOWN_DIFFERENCES]:
            caveat = f" (read by OCR: {', '.join(c.ocr)})" if c.ocr else ""
            lines.append(
                f"    {c.address}: {c.parent} vs {c.children_sum} ({c.counted} children){caveat}"
            )
        if len(differing) > _SHOWN_DIFFERENCES:
            lines.append(f"    … {len(differing) - _SHOWN_DIFFERENCES} more (--json, -o)")
    elif r.report == "unstated" and r.parent_reported:
        lines.append(
            "  the children's sums are not compared: state in the hierarchy file whether "
            "this report is the parent's own or a summary"
        )
    unknown = sum(1 for c in r.cells if c.unread)
    if unknown:
        lines.append(f"  {unknown} cell(s) without a children's sum: a child's cell was not read")
    return "\n".join(lines)
