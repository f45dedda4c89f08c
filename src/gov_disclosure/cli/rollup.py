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
    RunState,
    UsageError,
    check_table_output,
    collect,
    located,
    open_executor,
    refused,
    run_on,
    shown,
    total_items,
    wants_summary,
)
from gov_disclosure.errors import DocumentError

if TYPE_CHECKING:
    from gov_disclosure.model.report import Report
    from gov_disclosure.rollups import RollUp

__all__ = ["cmd_rollup"]

_SHOWN_DIFFERENCES = 5  # a summary's differing cells listed per parent and year in text


def cmd_rollup(args: argparse.Namespace, state: RunState) -> int:
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
    files = collect(state, args.files, suffixes, jsonl=True)
    if not files:
        raise UsageError("no input files found")
    reports, failed, unreadable = _load(args, state, files)
    if hierarchy is None:
        hierarchy = derive_hierarchy(reports)
        if not hierarchy.parents and not args.quiet:
            print(
                "gov-disclosure: no parent derived: --derive needs agency.region, .level and "
                ".kind in the reports (parse --level, or a --hierarchy file)",
                file=sys.stderr,
            )
    rollups = iter_roll_up(reports, hierarchy, years=args.year and [args.year])
    totals = _Totals()
    try:
        with contextlib.ExitStack() as stack:
            table = None
            if args.output:
                from gov_disclosure.export import open_table

                table = stack.enter_context(open_table(args.output, "rollups"))
            for r in rollups:  # one at a time: a roll-up holds a row per cell
                if table is not None:
                    table.write(rollup_rows([r]))
                totals.add(r)
                if args.json:
                    print(json.dumps(r.to_dict(), ensure_ascii=False))
                elif not args.quiet:
                    print(shown(_text(r, args.lang)))
    except OSError as exc:
        raise InputError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    if wants_summary(args, len(files)):
        print(totals.line(len(reports), failed + unreadable))
    if state.folder_errors or unreadable:
        return EXIT_UNREADABLE
    return EXIT_FAIL if failed else EXIT_OK


class _Totals:
    """What the summary line counts, as the roll-ups go by."""

    def __init__(self) -> None:
        self.rollups = self.missing = self.differing = 0
        self.parents: set[str] = set()

    def add(self, r: RollUp) -> None:
        self.rollups += 1
        self.parents.add(r.parent)
        self.missing += len(r.missing)
        self.differing += len(r.differences)

    def line(self, reports: int, failed: int) -> str:
        return (
            f"Totals: {reports} report(s) read, {failed} failed; {len(self.parents)} parent(s), "
            f"{self.rollups} roll-up(s); {self.missing} children's report(s) missing; "
            f"{self.differing} summary cell(s) differing from the children's sum"
        )


def _load(
    args: argparse.Namespace, state: RunState, files: list[str]
) -> tuple[list[Report], int, int]:
    """Every report of the inputs (loaded in the worker pool); failures go to stderr."""
    from gov_disclosure.batch import iter_sources
    from gov_disclosure.rollups import load_for_rollup

    reports: list[Report] = []
    failed = unreadable = 0
    progress = Progress(total_items(files), "rollup", quiet=args.quiet)
    with contextlib.ExitStack() as stack:
        stack.callback(progress.close)
        executor = stack.enter_context(open_executor(args, state))
        work = run_on(
            args,
            state,
            load_for_rollup,
            iter_sources(files, by_reference=True),
            progress,
            executor,
            share=not args.parse,  # documents only: see run_parallel
        )
        results = stack.enter_context(contextlib.closing(work))
        for item in results:
            if item.error is None:
                reports.append(item.value)
                continue
            failed += 1
            unreadable += item.unreadable
            progress.write(shown(located(item.file, item.error)))
    return reports, failed, unreadable


_WORDS: dict[str, dict[str, str]] = {
    "head": {
        "en": "{parent} {year} ({report}; edition {edition}): {reported} of {children} "
        "children reported",
        "zh": "{parent} {year}年（{report}；{edition}版）："
        "{children} 个下级机关中 {reported} 个已发布报告",
    },
    "no_parent": {"en": "; no report of the parent itself", "zh": "；本级机关报告未见"},
    "missing": {"en": "  missing: {names}", "zh": "  未见报告：{names}"},
    "duplicated": {
        "en": "  more than one report for the year (the first is used): {names}",
        "zh": "  同一年度有多份报告（采用第一份）：{names}",
    },
    "other_edition": {
        "en": "  another template edition, not summed: {names}",
        "zh": "  模板版本不同，未计入合计：{names}",
    },
    "differing": {
        "en": "  {count} cell(s) of the summary differ from the children's sum",
        "zh": "  汇总报告中有 {count} 个单元格与下级合计不一致",
    },
    "cell": {
        "en": "    {address}: {parent} vs {total} ({counted} children){caveat}",
        "zh": "    {address}：汇总 {parent}，下级合计 {total}（{counted} 个机关）{caveat}",
    },
    "ocr": {"en": " (read by OCR: {names})", "zh": "（OCR 识别：{names}）"},
    "more": {"en": "    … {count} more (--json, -o)", "zh": "    …… 另有 {count} 个（--json、-o）"},
    "unstated": {
        "en": "  the children's sums are not compared: state in the hierarchy file whether "
        "this report is the parent's own or a summary",
        "zh": "  未与下级合计比较：请在层级文件中注明该报告是本机关报告还是汇总报告",
    },
    "unknown": {
        "en": "  {count} cell(s) without a children's sum: a child's cell was not read",
        "zh": "  {count} 个单元格无法合计：有下级机关的该单元格未读取",
    },
}
_REPORT_ZH = {"own": "本机关报告", "summary": "汇总报告", "unstated": "未注明"}


def _text(r: RollUp, lang: str = "en") -> str:
    """A roll-up as the command prints it, in English or Chinese (``--lang``)."""

    def say(key: str, **values: object) -> str:
        return _WORDS[key][lang].format(**values)

    sep = "、" if lang == "zh" else ", "
    report = _REPORT_ZH[r.report] if lang == "zh" else r.report
    head = say(
        "head",
        parent=r.parent,
        year=r.year,
        report=report,
        edition=r.edition or "-",
        reported=len(r.reported),
        children=len(r.reported) + len(r.missing),
    )
    lines = [head + ("" if r.parent_reported else say("no_parent"))]
    for key in ("missing", "duplicated", "other_edition"):
        names = getattr(r, key)
        if names:
            lines.append(say(key, names=sep.join(names)))
    if r.report == "summary":
        differing = r.differences
        lines.append(say("differing", count=len(differing)))
        for c in differing[:_SHOWN_DIFFERENCES]:
            caveat = say("ocr", names=sep.join(c.ocr)) if c.ocr else ""
            lines.append(
                say(
                    "cell",
                    address=c.address,
                    parent=c.parent,
                    total=c.children_sum,
                    counted=c.counted,
                    caveat=caveat,
                )
            )
        if len(differing) > _SHOWN_DIFFERENCES:
            lines.append(say("more", count=len(differing) - _SHOWN_DIFFERENCES))
    elif r.report == "unstated" and r.parent_reported:
        lines.append(say("unstated"))
    unknown = sum(1 for c in r.cells if c.unread)
    if unknown:
        lines.append(say("unknown", count=unknown))
    return "\n".join(lines)
