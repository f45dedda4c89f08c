"""The parser of the ``gov-disclosure`` command and its entry points."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence

from gov_disclosure.cli.check import _fail_on, _rule_ids, _similarity, cmd_check
from gov_disclosure.cli.common import (
    EXIT_OK,
    EXIT_UNREADABLE,
    InputError,
    RunState,
    UsageError,
    add_file_arguments,
    add_jobs_argument,
    add_single_io,
    common_options,
    print_error,
)
from gov_disclosure.cli.convert import cmd_convert
from gov_disclosure.cli.diff import cmd_diff
from gov_disclosure.cli.export import _partition_columns, cmd_export
from gov_disclosure.cli.parse import cmd_parse
from gov_disclosure.cli.render import cmd_render
from gov_disclosure.cli.rollup import cmd_rollup
from gov_disclosure.cli.schema import cmd_schema
from gov_disclosure.cli.site import cmd_site
from gov_disclosure.cli.validate import cmd_validate
from gov_disclosure.errors import GovDisclosureError
from gov_disclosure.model.report import EDITIONS
from gov_disclosure.parsing.document import KINDS

__all__ = ["EXIT_INTERRUPTED", "build_parser", "console", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``gov-disclosure`` command."""
    parser = argparse.ArgumentParser(
        prog="gov-disclosure",
        description="Tools for 政府信息公开工作年度报告: validate, check, parse, export, schema, "
        "render, convert and diff reports, roll them up a hierarchy, and build a corpus site.",
    )
    from gov_disclosure import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = common_options()

    p = sub.add_parser(
        "validate",
        parents=[common],
        help="validate report documents (JSON or XML) against the format",
        description="Validate report documents (JSON or XML, detected from content). "
        "Problems go to stderr; exit 1 if any document is invalid, 2 if one cannot be read.",
    )
    add_file_arguments(p)
    p.set_defaults(func=cmd_validate, subparser=p)

    p = sub.add_parser(
        "check",
        parents=[common],
        help="check reports' arithmetic identities (勾稽关系) and plausibility",
        description="Check report documents (JSON or XML). Prints a table of findings per "
        "file and a totals line (or JSON lines with --json). Exit 0 when nothing is at or "
        "above --fail-on, 1 when something is or a document is invalid, 2 when an input "
        "cannot be read.",
    )
    add_file_arguments(p)
    p.add_argument("--previous", metavar="FILE", help="last year's report of the same body")
    p.add_argument(
        "--series",
        action="store_true",
        help="also check each report against the same body's report for the year before "
        "among the inputs",
    )
    p.add_argument(
        "--fail-on",
        type=_fail_on,
        default=_fail_on("inconsistency"),
        metavar="LEVEL[,unread]",
        help="lowest severity that makes the exit status 1: error, inconsistency (default) or "
        "warning; add ',unread' (or give 'unread' alone) to also fail on reports with cells "
        "a parser could not read",
    )
    p.add_argument(
        "--baseline",
        metavar="FILE",
        help="findings accepted by a reviewer (a file written by --write-baseline): listed "
        "with their note, never failing",
    )
    p.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="write every finding (warnings and above) as a baseline, keeping the notes of "
        "those --baseline accepted",
    )
    p.add_argument(
        "--similarity-threshold",
        type=_similarity,
        metavar="X",
        help="resemblance (0 to 1) at or above which a text part counts as copied from last "
        "year's report (cross_year.text_repeated; default 0.8)",
    )
    p.add_argument(
        "--select",
        type=_rule_ids,
        metavar="RULES",
        help="report only these rule ids (comma-separated)",
    )
    p.add_argument(
        "--extend-select",
        type=_rule_ids,
        default=(),
        metavar="RULES",
        help="also run these rule ids (comma-separated), beside the default ones or --select's: "
        "the way to run a rule that is off by default (timeliness.date_unknown, "
        "plausibility.blank_share)",
    )
    p.add_argument(
        "--ignore",
        type=_rule_ids,
        default=(),
        metavar="RULES",
        help="drop findings of these rule ids (comma-separated)",
    )
    p.add_argument(
        "--boilerplate",
        metavar="FILE",
        help="more phrases (one a line) whose sentences the sentence-reuse measure leaves out "
        "(cross_year.sentences_reused), beside the shipped list",
    )
    p.add_argument(
        "--score",
        metavar="PACK",
        help="score each report with a scoring pack (a .json/.toml file, or 'default'); "
        "every deduction is traced to its finding",
    )
    p.add_argument(
        "--score-mode",
        choices=["conservative", "strict"],
        help="with --score: deduct only on failures (conservative), or also on uncertain "
        "findings (strict); default: the pack's",
    )
    add_jobs_argument(p)
    p.set_defaults(func=cmd_check, subparser=p)

    p = sub.add_parser(
        "parse",
        parents=[common],
        help="parse published reports (text, HTML, Markdown, PDF, Word, scans) into the model",
        description="Parse published reports into the model. One file: the report goes to "
        "stdout; several files or folders: written to -o DIR. Diagnostics go to stderr. "
        "Exit 1 if a file is not a report of a supported edition or --check finds an "
        "inconsistency, 2 if a file cannot be read.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="report files or folders")
    p.add_argument("--to", choices=["json", "xml"], default="json", help="output format")
    p.add_argument(
        "-o",
        "--output",
        "--output-dir",
        dest="output_dir",
        metavar="DIR",
        help="the folder to write one output file per input to; for one input, a file "
        "(report.json, or .xml with --to xml); FILE.jsonl: one report per line",
    )
    p.add_argument(
        "--kind",
        choices=KINDS,
        help="input kind (default: detected)",
    )
    p.add_argument("--check", action="store_true", help="also run the checker on each result")
    p.add_argument(
        "--pages",
        action="store_true",
        help="the FILEs are the page images (PNG, JPEG, TIFF) of one report, in the order "
        "given: read by OCR as one document (extra ocr)",
    )
    p.add_argument(
        "--ocr",
        choices=["never", "auto", "always"],
        default="auto",
        help="read scanned PDF pages and images by OCR (extra ocr): auto (default) reads the "
        "pages without a text layer, always every PDF page, never none",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="skip inputs whose output in -o DIR exists and was made from the same bytes "
        "(SHA-256, recorded in DIR/.gov-disclosure-manifest.jsonl)",
    )
    p.add_argument("--year", type=int, help="the report year, when the document does not say")
    p.add_argument("--agency", help="the publishing body, when the document does not say")
    p.add_argument(
        "--level",
        choices=["national", "provincial", "prefectural", "county", "township"],
        help="the body's administrative level, when its name does not prove it",
    )
    p.add_argument(
        "--diagnostics",
        metavar="FILE",
        help="write every file's diagnostics and unread cells as JSON Lines (one per input)",
    )
    add_jobs_argument(p)
    p.set_defaults(func=cmd_parse, subparser=p)

    p = sub.add_parser(
        "export",
        parents=[common],
        help="export reports as tidy tables: one row per cell (CSV, JSON Lines, Parquet, XLSX)",
        description="Export many reports as one tidy table with a row per cell, and "
        "optionally a table of the checker's findings. The format follows the file ending "
        "(.csv, .jsonl, .parquet or .xlsx; an .xlsx workbook also holds the findings and "
        "metrics sheets unless --findings/--metrics send them elsewhere). Folders are searched "
        "recursively for .json and .xml documents "
        "(and published reports with --parse).",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="report files or folders")
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="CELLS",
        help="cells.csv, .jsonl, .parquet or .xlsx",
    )
    p.add_argument(
        "--findings", metavar="FILE", help="also write findings (.csv, .jsonl, .parquet, .xlsx)"
    )
    p.add_argument(
        "--metrics",
        metavar="FILE",
        help="also write each report's indicators, one row per report "
        "(.csv, .jsonl, .parquet, .xlsx)",
    )
    p.add_argument("--parse", action="store_true", help="also take published reports from folders")
    p.add_argument(
        "--excel",
        action="store_true",
        help="start CSV files with a byte-order mark, so that Excel on Chinese Windows reads "
        "them as UTF-8",
    )
    p.add_argument(
        "--partition-by",
        type=_partition_columns,
        default=(),
        metavar="COLUMNS",
        help="write each .parquet output as a Hive-partitioned dataset (a folder of "
        "column=value folders) by these comma-separated columns: year, edition",
    )
    p.add_argument(
        "--scores",
        metavar="FILE",
        help="also write each file's score under a scoring pack, one row per file, every "
        "deduction named (.csv, .jsonl, .parquet, .xlsx)",
    )
    p.add_argument(
        "--pack",
        default="default",
        metavar="PACK",
        help="with --scores: the scoring pack (a .json/.toml file, or 'default', the default)",
    )
    p.add_argument(
        "--score-mode",
        choices=["conservative", "strict"],
        help="with --scores: deduct only on failures (conservative), or also on uncertain "
        "findings (strict); default: the pack's",
    )
    add_jobs_argument(p)
    p.set_defaults(func=cmd_export, subparser=p)

    p = sub.add_parser(
        "rollup",
        parents=[common],
        help="roll reports up a hierarchy: children's reports missing, and their sums beside "
        "the parent's",
        description="For each parent body and year: which children published no report, and "
        "for every cell of tables 2-4 the children's sum beside the parent's figure. Where the "
        "hierarchy file says the parent's report is a summary (全市/全区汇总), the cells that "
        "differ from the children's sum are listed (info, never an inconsistency). Exit 1 if "
        "a file gave no report, 2 if one could not be read.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="report files or folders")
    p.add_argument(
        "--hierarchy",
        metavar="FILE",
        help="a hierarchy file (JSON, schemas/hierarchy.schema.json): parents, their "
        "children, and whether each parent's report is its own or a summary",
    )
    p.add_argument(
        "--derive",
        action="store_true",
        help="derive the hierarchy from the reports' agency region, level and kind instead",
    )
    p.add_argument("--year", type=int, metavar="Y", help="roll up this year only")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the roll-ups table, one row per parent, year and cell "
        "(.csv, .jsonl, .parquet, .xlsx)",
    )
    p.add_argument("--parse", action="store_true", help="also take published reports from folders")
    add_jobs_argument(p)
    p.set_defaults(func=cmd_rollup, subparser=p)

    p = sub.add_parser(
        "schema",
        parents=[common],
        help="print the JSON Schema, XSD or rule set of an edition",
        description="Print a shipped file of a template edition: the JSON Schema, the XSD "
        "or the rule set (rules.json).",
    )
    p.add_argument("--edition", choices=sorted(EDITIONS), default="2021")
    p.add_argument(
        "--to",
        "--kind",  # the name before 0.2; --kind elsewhere means the input kind
        dest="to",
        choices=["json", "xsd", "rules"],
        default="json",
        help="json (JSON Schema, default), xsd or rules",
    )
    p.set_defaults(func=cmd_schema, subparser=p)

    p = sub.add_parser(
        "render",
        parents=[common],
        help="render a report in the official layout (HTML, Markdown, text, DOCX, PDF)",
        description="Render a report document (JSON or XML) in the official table layout. "
        "Unread cells print '?'. With --check, HTML marks the checker's findings on their "
        "cells and lists them at the top of the page.",
    )
    add_single_io(p)
    p.add_argument(
        "--to",
        choices=["html", "markdown", "text", "docx", "pdf"],
        help="output format (pdf: printed by headless Chromium)",
    )
    p.add_argument("--check", action="store_true", help="mark and list the checker's findings")
    p.set_defaults(func=cmd_render, subparser=p)

    p = sub.add_parser(
        "convert",
        parents=[common],
        help="convert a report between JSON and XML",
        description="Convert a report document between JSON and XML. The input format is "
        "detected from its content; the output format from -o's extension or --to.",
    )
    add_single_io(p)
    p.add_argument("--to", choices=["json", "xml"], help="output format")
    p.set_defaults(func=cmd_convert, subparser=p)

    p = sub.add_parser(
        "diff",
        parents=[common],
        help="compare two reports (last year's and this year's, or two versions)",
        description="Compare two report documents (JSON or XML): every changed cell with "
        "old, new and change, the indicators, the text parts' similarity and, for "
        "consecutive years, the cross-year rules' findings. Output as text (default), JSON "
        "or an HTML page with the reports side by side, from --to or -o's extension. "
        "--json alone prints the diff as one JSON object.",
    )
    p.add_argument("old", metavar="OLD", help="the earlier report (or first version)")
    p.add_argument("new", metavar="NEW", help="the later report (or second version)")
    p.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
    p.add_argument("--to", choices=["text", "json", "html"], help="output format")
    p.set_defaults(func=cmd_diff, subparser=p)

    p = sub.add_parser(
        "site",
        parents=[common],
        help="build a static site of a corpus: index, report, agency and diff pages, charts",
        description="Build a static site (a folder that opens offline or on any static host) "
        "of many reports: an index of every report, sortable and filterable; a page per "
        "report with its findings; a page per agency with its years, trends and cross-year "
        "findings; the diff of consecutive years; an overview with charts; the findings; "
        "and the dataset (CSV, Parquet and XLSX when their extras are installed). Needs the "
        "'site' extra. Exit 1 if an input failed, 2 if one could not be read.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="report files or folders")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="the site's folder")
    p.add_argument("--parse", action="store_true", help="also take published reports from folders")
    add_jobs_argument(p)
    p.set_defaults(func=cmd_site, subparser=p)
    return parser


EXIT_INTERRUPTED = 130


def _quiet_stdout() -> None:
    """After a failed write to stdout, keep the interpreter's exit flush from failing again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = open(os.devnull, "w")  # noqa: SIM115 - lives until the process exits
        os.dup2(devnull.fileno(), 1)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Every error is one line on stderr; exit codes: 0 ok, 1 invalid or failing at
    ``--fail-on``, 2 unreadable input or bad usage, 130 interrupted.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    with _escaping_surrogates():
        return _run(parser, args)


@contextlib.contextmanager
def _escaping_surrogates() -> Iterator[None]:
    r"""Standard output and error write a lone surrogate as a backslash escape while we run.

    A file name that is not UTF-8 (GBK, from a Windows share) reaches Python with lone
    surrogates; in a UTF-8 locale the streams are strict and printing that name would raise.
    ``backslashreplace`` prints ``\udcb9``, which text shows as it is and JSON reads back as
    the same character. The caller's settings are restored on the way out.
    """
    changed = []
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", None) == "strict":
            with contextlib.suppress(Exception):  # a stream that cannot change: as it was
                reconfigure(errors="backslashreplace")
                changed.append(reconfigure)
    try:
        yield
    finally:
        for reconfigure in changed:
            with contextlib.suppress(Exception):
                reconfigure(errors="strict")


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    func: Callable[[argparse.Namespace, RunState], int] = args.func
    state = RunState()
    try:
        status = func(args, state)
        if sys.stdout is not None:
            sys.stdout.flush()
        if state.folder_errors:
            status = max(status, EXIT_UNREADABLE)
        return status
    except InputError as exc:
        print_error(str(exc).removeprefix("gov-disclosure: "))
        return EXIT_UNREADABLE
    except UsageError as exc:
        getattr(args, "subparser", parser).error(str(exc))  # the sub-command's usage
    except GovDisclosureError as exc:
        print_error(str(exc))
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        # Outputs are atomic: the temporary files were removed on the way out, nothing
        # half-written is left. Workers were stopped by the batch runner.
        print_error("interrupted")
        global _interrupted  # read by console() alone
        _interrupted = True
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. piped into head: the reader has what it wanted
        _quiet_stdout()
        return EXIT_OK
    except OSError as exc:  # e.g. stdout on a full disk
        _quiet_stdout()
        where = f"{exc.filename}: " if exc.filename else "output: "
        print_error(f"{where}cannot write: {exc.strerror or exc}")
        return EXIT_UNREADABLE
    return EXIT_UNREADABLE  # pragma: no cover - parser.error exits


_interrupted = False


def console() -> None:
    """The ``gov-disclosure`` console script: :func:`main`, then exit with its status.

    After an interrupt the process ends at once (``os._exit``): a worker killed while
    writing its result can leave ``concurrent.futures``' exit handler waiting for ever on the
    result pipe, and there is nothing left to flush or clean up.
    """
    status = main()
    if _interrupted:
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        os._exit(status)
    sys.exit(status)
