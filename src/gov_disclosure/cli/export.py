"""``gov-disclosure export``: tidy tables of cells, findings and indicators."""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import sys
from pathlib import Path
from typing import Any

from gov_disclosure.cli.common import (
    EXIT_FAIL,
    EXIT_OK,
    EXIT_UNREADABLE,
    InputError,
    Progress,
    RunState,
    UsageError,
    check_table_output,
    collect,
    located,
    open_executor,
    refused,
    run_on,
    scoring_pack,
    shown,
    total_items,
)
from gov_disclosure.errors import DocumentError

__all__ = ["cmd_export"]


def cmd_export(args: argparse.Namespace, state: RunState) -> int:
    """Export many reports as one tidy table of cells (and one of findings)."""
    from gov_disclosure.batch import DOCUMENT_SUFFIXES, PUBLISHED_SUFFIXES

    suffixes = DOCUMENT_SUFFIXES + (PUBLISHED_SUFFIXES if args.parse else ())
    files = collect(state, args.files, suffixes, jsonl=True)
    if not files:
        raise UsageError("no input files found")
    pack = None
    if args.scores:
        try:
            pack = scoring_pack(args.pack)
        except DocumentError as exc:
            return refused(args.pack, exc)
    elif args.pack != "default" or args.score_mode:
        raise UsageError("--pack and --score-mode go with --scores FILE")
    outputs = (args.output, args.findings, args.metrics, args.scores)
    for output in filter(None, outputs):
        check_table_output(output)
        if Path(output).suffix.lower() != ".parquet" and args.partition_by:
            raise UsageError(f"{output}: --partition-by writes Parquet datasets (.parquet)")
    progress = Progress(total_items(files), "export", quiet=args.quiet)
    try:
        failed, unreadable, cell_count, finding_count, items = _export_to(
            args, state, files, progress, pack
        )
    except OSError as exc:  # the outputs (written atomically) are left as they were
        raise InputError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    if args.json:
        print(
            json.dumps(
                {
                    "files": len(files),
                    "reports": items,
                    "exported": items - failed,
                    "failed": failed,
                    "unreadable": unreadable,
                    "cells": cell_count,
                    "findings": finding_count,
                    "output": args.output,
                    "findings_output": args.findings,
                    "scores_output": args.scores,
                },
                ensure_ascii=False,
            )
        )
    elif not args.quiet:
        # findings are counted only where a table of them was written
        findings = "" if finding_count is None else f", {finding_count} findings"
        print(
            f"Exported {items - failed} of {items} report(s): {cell_count} cells"
            f"{findings}; {failed} failed",
            file=sys.stderr,
        )
    return EXIT_UNREADABLE if unreadable else EXIT_FAIL if failed else EXIT_OK


def _export_to(
    args: argparse.Namespace, state: RunState, files: list[str], progress: Progress, pack: Any
) -> tuple[int, int, int, int | None, int]:
    """Failed, unreadable, cells, findings (``None`` with no findings table) and reports."""
    from gov_disclosure.batch import PUBLISHED_SUFFIXES, iter_sources
    from gov_disclosure.export import export_one, open_table, open_workbook, score_row

    failed = unreadable = cell_count = finding_count = items = 0
    with contextlib.ExitStack() as stack:
        # Excel on Chinese Windows reads a CSV with a byte-order mark as UTF-8, not GBK
        options = {"excel": args.excel, "partition_by": args.partition_by}
        if args.output.lower().endswith(".xlsx"):
            # one workbook: the findings and metrics sheets too, unless sent elsewhere
            tables = ["cells"] + [t for t in ("findings", "metrics") if not getattr(args, t)]
            book = stack.enter_context(open_workbook(args.output, tables))
            cells_out = book["cells"]
            findings_out = None if args.findings else book["findings"]
            metrics_out = None if args.metrics else book["metrics"]
        else:
            cells_out = stack.enter_context(open_table(args.output, "cells", **options))
            findings_out = metrics_out = None
        if args.findings:
            findings_out = stack.enter_context(open_table(args.findings, "findings", **options))
        if args.metrics:
            metrics_out = stack.enter_context(open_table(args.metrics, "metrics", **options))
        scores_out = None
        if args.scores:
            scores_out = stack.enter_context(open_table(args.scores, "scores", **options))
        stack.callback(progress.close)
        executor = stack.enter_context(open_executor(args, state))
        worker = export_one
        if pack is not None:
            worker = functools.partial(export_one, pack=pack, mode=args.score_mode)
        results = stack.enter_context(
            contextlib.closing(
                run_on(
                    args,
                    state,
                    worker,
                    iter_sources(files, by_reference=True),
                    progress,
                    executor,
                    share=not args.parse,  # documents only: see run_parallel
                )
            )
        )
        for item in results:
            items += 1
            error = item.error
            if error is None:
                cell_rows, finding_rows, metrics_row, scored = item.value
                try:  # a report goes to every table or to none
                    ready = [
                        (out, out.prepare(rows))
                        for out, rows in (
                            (cells_out, cell_rows),
                            (findings_out, finding_rows),
                            (metrics_out, [metrics_row]),
                            (scores_out, [scored]),
                        )
                        if out is not None
                    ]
                except ValueError as exc:
                    error = f"cannot export: {exc}"
            if error is not None:
                failed += 1
                unreadable += item.unreadable
                progress.write(shown(located(item.file, error)))
                if scores_out is not None and item.error is not None:
                    # the pack's document.invalid, as check --score gives it; uncertain when
                    # the fault may be ours (a published report our parsers could not read)
                    from gov_disclosure.scoring import invalid_score

                    published = Path(item.file).suffix.lower() in PUBLISHED_SUFFIXES
                    certain = not (item.unreadable or published)
                    invalid = invalid_score(pack, error, mode=args.score_mode, certain=certain)
                    row = score_row(None, invalid, file=item.file, error=error)
                    scores_out.commit(scores_out.prepare([row]))
                continue
            counts = [out.commit(prepared) for out, prepared in ready]
            cell_count += counts[0]
            finding_count += counts[1] if findings_out is not None else 0
        # every table finished before any is renamed into place: a failure here leaves all
        # the outputs as they were
        failures: list[BaseException] = []
        for out in (cells_out, findings_out, metrics_out, scores_out):
            if out is not None:
                try:  # close every table even when one fails: none left half-written
                    out.close()
                except Exception as exc:
                    failures.append(exc)
        if failures:
            raise failures[0]
    return failed, unreadable, cell_count, None if findings_out is None else finding_count, items


def _partition_columns(text: str) -> tuple[str, ...]:
    columns = tuple(c.strip() for c in text.split(",") if c.strip())
    allowed = ("year", "edition")
    wrong = [c for c in columns if c not in allowed]
    if wrong or not columns or len(set(columns)) != len(columns):
        raise argparse.ArgumentTypeError(
            f"expected comma-separated columns from {', '.join(allowed)}, got {text!r}"
        )
    return columns
