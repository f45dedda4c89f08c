"""``gov-disclosure parse``: published reports into the model."""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import sys
from collections.abc import Sequence
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
    collect,
    located,
    needs_output_for_json,
    open_executor,
    print_written,
    read_input,
    run_on,
    shown,
    wants_summary,
    write_output,
)
from gov_disclosure.errors import GovDisclosureError

__all__ = ["cmd_parse"]


def _output_names(files: Sequence[str], to: str) -> dict[str, str]:
    """A distinct output file name per input: ``stem.json``, or ``name.pdf.json`` on a clash.

    Raises:
        UsageError: if two inputs would still write the same output.
    """
    by_stem: dict[str, int] = {}
    for name in files:
        by_stem[Path(name).stem] = by_stem.get(Path(name).stem, 0) + 1
    out = {
        name: f"{Path(name).stem}.{to}"
        if by_stem[Path(name).stem] == 1
        else f"{Path(name).name}.{to}"
        for name in files
    }
    seen: dict[str, str] = {}
    for name, target in out.items():
        if target in seen:
            raise UsageError(
                f"{seen[target]} and {name} would both be written to {target}; "
                "parse them into different folders"
            )
        seen[target] = name
    return out


def _parse_stdin(data: bytes, args: argparse.Namespace) -> tuple[object, str | None, bool]:
    from gov_disclosure.parsing import parse

    try:
        result = parse(
            data,
            kind=args.kind,
            name="-",
            year=args.year,
            agency=args.agency,
            level=args.level,
            ocr=getattr(args, "ocr", "auto"),
        )
        return result, None, False
    except GovDisclosureError as exc:
        return None, str(exc), exc.unreadable


def _folder_exists(output: str) -> None:
    """Refuse an output file whose folder is not there, before any input is parsed."""
    if not Path(output).absolute().parent.is_dir():
        raise InputError(f"{output}: cannot write: No such file or directory")


def _one_output(args: argparse.Namespace, files: list[str]) -> str | None:
    """``-o`` when it names one report's file (``.json``/``.xml``, not a folder), else ``None``.

    Raises:
        UsageError: if that file would take several reports, or the other format.
    """
    name = args.output_dir or ""
    suffix = Path(name).suffix.lower()
    if suffix not in (".json", ".xml") or Path(name).is_dir():
        return None
    if len(files) > 1:
        raise UsageError(f"-o {name} writes one report: give one FILE, or -o DIR for several")
    if suffix != f".{args.to}":
        raise UsageError(
            f"-o {name}: the output is {args.to.upper()} (--to {args.to}); "
            f"name a .{args.to} file, or give --to {suffix[1:]}"
        )
    _folder_exists(name)
    return name


def _page_files(args: argparse.Namespace) -> tuple[str, tuple[str | bytes, ...]]:
    """``parse --pages``: the report's name and its page files, in order.

    The FILEs themselves, named after the first; or the page images a saved web page shows,
    or a Word file holds, named after that file.

    Raises:
        UsageError: for a folder, standard input, ``--resume``, ``--ocr never`` or a
            ``--kind`` other than ``image``.
    """
    if "-" in args.files or any(Path(f).is_dir() for f in args.files):
        raise UsageError("--pages takes the page files in order, not a folder or -")
    if args.resume or args.ocr == "never" or args.kind not in (None, "image"):
        raise UsageError("--pages reads images by OCR: not with --resume, --ocr never or --kind")
    [first, *rest] = args.files
    suffix = Path(first).suffix.lower()
    word = (".docx", ".doc", ".wps", ".rtf", ".odt", ".docm")
    if rest or suffix not in (".html", ".htm", *word):
        return first, tuple(args.files)
    # a saved web page (the pictures saved beside it), or a Word file of pasted scans
    from gov_disclosure.parsing import embedded_page_images, saved_page_images

    try:
        pages: Any = embedded_page_images(first) if suffix in word else saved_page_images(first)
    except GovDisclosureError as exc:
        raise InputError(str(exc)) from None
    if not pages:
        where = "in it" if suffix in word else "saved beside it"
        raise InputError(f"{first}: no page images {where} (PNG, JPEG, TIFF)")
    return first, tuple(pages)


def _parse_pages_of(first: str, *, pages: tuple[str | bytes, ...], **options: Any) -> object:
    """The worker of ``parse --pages``: every page, named after the first."""
    from gov_disclosure.parsing import parse_pages

    return parse_pages(pages, name=first, **options)


def cmd_parse(args: argparse.Namespace, state: RunState) -> int:
    """Parse published reports into the model."""
    import functools

    from gov_disclosure.atomic import atomic_open
    from gov_disclosure.batch import (
        PUBLISHED_SUFFIXES,
        FileResult,
        Manifest,
        file_digest,
    )
    from gov_disclosure.parsing import parse
    from gov_disclosure.serialization.json_format import dumps
    from gov_disclosure.serialization.xml_format import to_xml

    # one report from many files: the rest goes as for one input, by the report's name
    named, pages = _page_files(args) if args.pages else ("", ())
    files = [named] if pages else collect(state, args.files, PUBLISHED_SUFFIXES)
    if not files:
        folders = [f for f in args.files if Path(f).is_dir()]
        if folders:
            raise InputError(f"{folders[0]}: no published reports found (text, HTML, PDF, Word...)")
        raise UsageError("give at least one FILE")
    if len(files) > 1 and not args.output_dir:
        raise UsageError("with several files, give -o DIR")
    needs_output_for_json(args, args.output_dir)
    lines_out = args.output_dir if (args.output_dir or "").lower().endswith(".jsonl") else None
    if lines_out is not None:
        if args.to != "json" or args.resume:
            raise UsageError("-o FILE.jsonl writes JSON lines: not with --to xml or --resume")
        _folder_exists(lines_out)
    # -o report.json (or .xml) for one input: that file, not a folder named like a file
    one_out = _one_output(args, files) if lines_out is None else None
    out_dir = (
        Path(args.output_dir) if args.output_dir and lines_out is None and one_out is None else None
    )
    targets = _output_names(files, args.to)
    stdin = read_input("-") if "-" in files else b""  # read once, parsed in this process
    if out_dir:
        if out_dir.exists() and not out_dir.is_dir():
            raise InputError(f"{out_dir}: not a folder (-o takes a folder for parse)")
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{out_dir}: cannot create: {exc.strerror or exc}") from None
    if args.resume and out_dir is None:
        raise UsageError("--resume needs -o DIR (it skips inputs already written there)")
    manifest = Manifest(out_dir) if out_dir is not None else None
    digests: dict[str, str] = {}
    skipped = 0
    if manifest is not None and not pages:  # a page's bytes are not the report's
        for name in files:
            if name != "-":
                with contextlib.suppress(OSError):  # unreadable: parse() says why
                    digests[name] = file_digest(name)
        if args.resume:
            current = [
                n for n in files if n in digests and manifest.is_current(targets[n], digests[n])
            ]
            skipped = len(current)
            files = [n for n in files if n not in set(current)]
    progress = Progress(len(files), "parse", quiet=args.quiet)
    status = EXIT_OK
    cells_read = unread_cells = incomplete = failed = written = 0
    ocr_pages = ocr_cells = 0
    checked_ok = checked_not_ok = 0
    codes: dict[str, int] = {}
    diagnostics: list[str] = []
    options = {"year": args.year, "agency": args.agency, "level": args.level}
    worker: Any = (
        functools.partial(_parse_pages_of, pages=pages, **options)
        if pages
        else functools.partial(parse, kind=args.kind, ocr=args.ocr, **options)
    )
    from_stdin = [FileResult("-", *_parse_stdin(stdin, args)) for name in files if name == "-"]
    rest = [f for f in files if f != "-"]
    with contextlib.ExitStack() as stack:
        executor = stack.enter_context(open_executor(args, state))
        parsed = run_on(args, state, worker, rest, progress, executor)
        stack.enter_context(contextlib.closing(parsed))
        # one report per line, written as they come (the file appears complete, or not at all)
        lines = stack.enter_context(atomic_open(lines_out)) if lines_out is not None else None
        for item in itertools.chain(from_stdin, parsed):
            name = item.file
            if item.error is not None:
                progress.write(shown(located(name, item.error)))
                failed += 1
                status = max(status, EXIT_UNREADABLE if item.unreadable else EXIT_FAIL)
                print_written(
                    args, file=name, ok=False, readable=not item.unreadable, error=item.error
                )
                continue
            result = item.value
            cells_read += len(result.provenance)
            unread_cells += len(result.report.unread)
            ocr_pages += result.ocr_pages
            ocr_cells += len(result.report.ocr)
            incomplete += bool(result.report.unread)
            for code, count in result.by_code().items():
                codes[code] = codes.get(code, 0) + count
            if args.diagnostics:
                diagnostics.append(
                    json.dumps({"file": name, **result.to_dict()}, ensure_ascii=False)
                )
            if not args.quiet:
                for diagnostic in result.diagnostics:
                    progress.write(shown(f"{name}: {diagnostic}"))
            output = str(out_dir / targets[name]) if out_dir is not None else one_out
            if lines is not None:
                lines.write(dumps(result.report) + "\n")
                output = f"{lines_out}:{written + 1}"
                written += 1
            else:
                body = (
                    to_xml(result.report)
                    if args.to == "xml"
                    else (dumps(result.report, indent=2) + "\n").encode("utf-8")
                )
                write_output(output, body)
                written += output is not None
            if manifest is not None and name in digests:
                manifest.record(name, targets[name], digests[name])
            checked = None
            if args.check:
                from gov_disclosure.rules import check

                checked = check(result.report)
                if not args.quiet or not checked.ok:
                    for finding in checked.findings:
                        progress.write(
                            shown(
                                f"{name}: [{finding.severity}] {finding.rule}: "
                                f"{finding.message[args.lang]}"
                            )
                        )
                    progress.write(shown(f"{name}: check: {checked.verdict}; {checked.coverage()}"))
                checked_ok += checked.ok
                checked_not_ok += not checked.ok
                if not checked.ok and status == EXIT_OK:
                    status = EXIT_FAIL
            report = result.report
            print_written(
                args,
                file=name,
                ok=True,
                output=output,
                edition=report.edition,
                agency=report.agency.name,
                year=report.year,
                cells_read=len(result.provenance),
                unread=dict(report.unread),
                diagnostics=result.by_code(),
                check=None
                if checked is None
                else {"ok": checked.ok, "verdict": checked.verdict, "counts": checked.counts},
            )
    progress.close()
    if args.diagnostics:
        write_output(args.diagnostics, "".join(d + "\n" for d in diagnostics).encode("utf-8"))
    if wants_summary(args, len(files)):
        by_code = ", ".join(f"{c}: {n}" for c, n in sorted(codes.items())) or "none"
        checks = f"; check: {checked_ok} ok, {checked_not_ok} not ok" if args.check else ""
        where = f" to {out_dir or one_out}" if out_dir or one_out else ""
        resumed = f", {skipped} skipped (already written)" if args.resume else ""
        scanned = f"; read by OCR: {ocr_pages} page(s), {ocr_cells} cell(s)" if ocr_pages else ""
        print(
            f"Summary: {len(files)} file(s), {failed} failed, {written} written{where}{resumed}; "
            f"{cells_read} cells read, {unread_cells} unread in {incomplete} file(s){checks}"
            f"{scanned}; diagnostics by code: {by_code}",
            file=sys.stderr,
        )
    return status
