"""The ``gov-disclosure`` command line.

Exit codes follow one convention for every sub-command: 0 success, 1 the input was read but
fails (invalid document, findings at or above the threshold), 2 the input could not be read
or the command line is wrong.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import attrs

from gov_disclosure.atomic import atomic_write
from gov_disclosure.errors import DocumentError, GovDisclosureError, Problem
from gov_disclosure.model.report import EDITIONS, Report
from gov_disclosure.parsing.document import KINDS
from gov_disclosure.serialization.documents import load_document, looks_like_xml

if TYPE_CHECKING:  # pragma: no cover
    from gov_disclosure.rules.results import CheckResult, Finding

__all__ = ["console", "main"]

EXIT_OK = 0
EXIT_FAIL = 1
EXIT_UNREADABLE = 2


class _InputError(Exception):
    """A file could not be read at all (missing, unreadable)."""


MAX_INPUT_BYTES = 32 * 1024 * 1024
"""Largest file or standard input read by a command (a report document is about 20 kB)."""


def read_input(name: str) -> bytes:
    """The bytes of a file argument; ``-`` is standard input.

    Only regular files are read (a FIFO or a device could block for ever), up to
    :data:`MAX_INPUT_BYTES`.
    """
    try:
        if name == "-":
            if sys.stdin is None:
                raise _InputError("-: cannot read: standard input is closed")
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            path = Path(name)
            if not path.exists():
                raise _InputError(f"{name}: cannot read: No such file or directory")
            if not path.is_file():
                raise _InputError(f"{name}: cannot read: not a regular file")
            with path.open("rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise _InputError(f"{name}: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:  # an embedded NUL in the name
        raise _InputError(f"{name!r}: cannot read: {exc}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise _InputError(f"{name}: cannot read: larger than {MAX_INPUT_BYTES} bytes")
    return data


def _collect(
    args: argparse.Namespace, names: Sequence[str], suffixes: Sequence[str], *, jsonl: bool = False
) -> list[str]:
    """The input files, folders expanded; a folder that cannot be read is reported (exit 2).

    With ``jsonl``, ``.jsonl`` files named on the command line are inputs too (never those
    found in folders: they may be earlier exports).
    """
    from gov_disclosure.batch import collect_files

    errors: list[str] = []
    named_jsonl = [n for n in names if jsonl and n.lower().endswith(".jsonl")]
    files = collect_files([n for n in names if n not in named_jsonl], suffixes, errors=errors)
    files += named_jsonl
    for message in errors:
        _error(message)
    args.folder_errors = len(errors)
    return files


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _shown(text: str) -> str:
    """Human output with control characters escaped (as backslash-x and two hex digits).

    Names and cell text come from untrusted documents and must not drive the terminal.
    """
    return _CONTROL.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


def _located(name: str, message: str) -> str:
    """``name: message``, without repeating a name the message already starts with."""
    return message if message.startswith(f"{name}:") else f"{name}: {message}"


_ADDRESS_IN_PATH = re.compile(r"^\$\.([A-Za-z_.]+)$|\(([A-Za-z_.]+)\)$")


def _location_of(problem: Problem) -> str | None:
    """The printed location of the cell a problem's path names (JSON path or XML address)."""
    from gov_disclosure.model.addressing import printed_location

    match = _ADDRESS_IN_PATH.search(problem.path)
    return printed_location(match.group(1) or match.group(2)) if match else None


def _with_location(problem: Problem) -> str:
    """A problem, with the cell's printed location when its path names a cell."""
    where = _location_of(problem)
    return f"{problem} ({where})" if where else str(problem)


def _print_problems(out: TextIO, name: str, problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(_shown(f"{name}: {_with_location(problem)}"), file=out)


def _schema_problems(data: bytes) -> list[Problem]:
    from gov_disclosure.schemas import validate_json

    try:
        document = json.loads(data, parse_float=Decimal)  # exact, as loads() reads it
    except (ValueError, RecursionError):
        return []  # loads() reports the syntax error with its position
    return validate_json(document)


def _inputs(args: argparse.Namespace) -> Iterator[tuple[str, bytes | None]]:
    """(name, bytes) for every input, read as used (bytes ``None``: unreadable).

    Files come first (a ``.jsonl`` file line by line), then the built-in samples.
    """
    from gov_disclosure import samples
    from gov_disclosure.batch import DOCUMENT_SUFFIXES, iter_sources
    from gov_disclosure.serialization.json_format import dumps

    files = _collect(args, args.files, DOCUMENT_SUFFIXES, jsonl=True)
    loaded = []
    for sample in args.sample or ():
        try:
            loaded.append((f"sample:{sample}", dumps(samples.load(sample)).encode("utf-8")))
        except GovDisclosureError as exc:
            raise _UsageError(str(exc)) from None
    if not files and not loaded:
        raise _UsageError("give at least one FILE or --sample NAME")
    for source in iter_sources(files):
        if not isinstance(source, str):
            if source[1] is None:  # a line longer than any report
                print(_shown(f"{source[0]}: cannot read: line too long"), file=sys.stderr)
            yield source
            continue
        try:
            yield (source, read_input(source))
        except _InputError as exc:
            print(exc, file=sys.stderr)
            yield (source, None)
    yield from loaded


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate JSON or XML report documents."""
    status = EXIT_OK
    tally = {"valid": 0, "invalid": 0, "unreadable": 0}
    for name, data in _inputs(args):
        if data is None:
            status = max(status, EXIT_UNREADABLE)
            tally["unreadable"] += 1
            continue
        try:
            if _published(name):  # validate checks documents; a report is parsed first
                raise DocumentError(
                    [
                        Problem(
                            name,
                            "a published report, not a JSON/XML document: run "
                            "`gov-disclosure parse` first",
                        )
                    ]
                )
            report = load_document(data, name)
            problems = [] if looks_like_xml(data) else _schema_problems(data)
        except DocumentError as exc:
            report, problems = None, exc.problems
        if problems:
            status = max(status, EXIT_FAIL)
        tally["invalid" if problems else "valid"] += 1
        if args.json:
            print(json.dumps(_validation_json(name, report, problems), ensure_ascii=False))
        elif problems:
            _print_problems(sys.stderr, name, problems)
            print(_shown(f"{name}: invalid"), file=sys.stdout)
        elif report is not None and not args.quiet:
            print(
                _shown(
                    f"{name}: valid (edition {report.edition}, {report.agency.name}, {report.year})"
                )
            )
    inputs = sum(tally.values())
    if _wants_summary(args, inputs):
        print(
            f"Summary: {inputs} document(s): {tally['valid']} valid, "
            f"{tally['invalid']} invalid, {tally['unreadable']} unreadable",
            file=sys.stderr,
        )
    return status


def _total(files: Sequence[str]) -> int | None:
    """Items a batch will yield: unknown when a .jsonl file holds many reports."""
    return None if any(f.lower().endswith(".jsonl") for f in files) else len(files)


def _wants_summary(args: argparse.Namespace, inputs: int) -> bool:
    """The summary line: with --summary, or for several inputs unless --quiet; not with --json."""
    return not args.json and (bool(args.summary) or (inputs > 1 and not args.quiet))


def _needs_output_for_json(args: argparse.Namespace, output: str | None) -> None:
    if args.json and output in (None, "-"):
        raise _UsageError(
            "--json describes what was written: give -o (the document would go to stdout)"
        )


def _print_written(args: argparse.Namespace, **fields: object) -> None:
    """With --json, the one JSON object a single-document command prints."""
    if args.json:
        print(json.dumps(fields, ensure_ascii=False))


def _validation_json(
    name: str, report: Report | None, problems: Sequence[Problem]
) -> dict[str, object]:
    def located(problem: Problem) -> dict[str, object]:
        return {"path": problem.path, "message": problem.message, "location": _location_of(problem)}

    valid = not problems and report is not None
    return {
        "file": name,
        "valid": valid,
        "edition": report.edition if valid and report else None,
        "agency": report.agency.name if valid and report else None,
        "year": report.year if valid and report else None,
        "problems": [located(p) for p in problems],
    }


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema, the XSD or the rule set of an edition (the shipped files)."""
    from gov_disclosure.schemas import shipped_file

    name = {"json": "report.schema.json", "xsd": "report.xsd", "rules": "rules.json"}[args.to]
    content = shipped_file(args.edition, name).decode("utf-8")
    if args.json:  # the file as a JSON string, with what it is
        _print_written(args, edition=args.edition, kind=args.to, file=name, content=content)
    else:
        sys.stdout.write(content)
    return EXIT_OK


def _output_kind(args: argparse.Namespace) -> str:
    if args.to:
        return str(args.to)
    if args.output and args.output != "-":
        suffix = Path(args.output).suffix.lower()
        if suffix in (".json", ".xml"):
            return suffix[1:]
        raise _UsageError(
            "cannot tell the output format: give --to json|xml or an -o FILE.json/.xml"
        )
    # no hint: the other format than the input's (an XML input becomes JSON, else XML)
    return "json" if str(getattr(args, "input", "")).lower().endswith(".xml") else "xml"


class _UsageError(Exception):
    """The command line is incomplete or contradictory."""


def write_output(name: str | None, data: bytes) -> None:
    """Write bytes to a file (atomically), or to standard output for ``None`` or ``-``."""
    if name is None or name == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        try:
            atomic_write(name, data)
        except OSError as exc:
            raise _InputError(f"{name}: cannot write: {exc.strerror or exc}") from None


def _published(name: str) -> bool:
    """Whether a file's name says it is a published report (parsed), not a document."""
    from gov_disclosure.batch import DOCUMENT_SUFFIXES, PUBLISHED_SUFFIXES

    suffix = Path(name).suffix.lower()
    return name != "-" and suffix in PUBLISHED_SUFFIXES and suffix not in DOCUMENT_SUFFIXES


def _load_input(name: str) -> Report | None:
    """The one report a command reads; ``None`` (problems on stderr) when it is invalid.

    A JSON or XML document is loaded; a published report (``.pdf``, ``.txt``, ``.docx``...)
    is parsed on the fly, as ``check`` does: one rule for every command that takes a report.
    """
    if _published(name):
        from gov_disclosure.errors import ParseError
        from gov_disclosure.parsing import parse

        try:
            return parse(name).report
        except ParseError as exc:
            if exc.unreadable:
                raise _InputError(str(exc)) from None
            print(_shown(f"gov-disclosure: {_located(name, str(exc))}"), file=sys.stderr)
            return None
    try:
        return load_document(read_input(name), name)
    except DocumentError as exc:
        _print_problems(sys.stderr, name, exc.problems)
        return None


def cmd_convert(args: argparse.Namespace) -> int:
    """Convert a report document between JSON and XML."""
    kind = _output_kind(args)
    _needs_output_for_json(args, args.output)
    report = _load_input(args.input)
    if report is None:
        return EXIT_FAIL
    if kind == "xml":
        from gov_disclosure.serialization.xml_format import to_xml

        try:
            out = to_xml(report)
        except DocumentError as exc:
            _print_problems(sys.stderr, args.input, exc.problems)
            return EXIT_FAIL
    else:
        from gov_disclosure.serialization.json_format import dumps

        out = (dumps(report, indent=2) + "\n").encode("utf-8")
    write_output(args.output, out)
    _print_written(args, file=args.input, output=args.output, to=kind, bytes=len(out))
    return EXIT_OK


_RENDER_SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".txt": "text",
    ".docx": "docx",
    ".pdf": "pdf",
}


def cmd_render(args: argparse.Namespace) -> int:
    """Render a report document in the official layout (HTML, Markdown, text, DOCX)."""
    kind = args.to
    if kind is None and args.output and args.output != "-":
        kind = _RENDER_SUFFIXES.get(Path(args.output).suffix.lower())
    if kind is None and args.output in (None, "-"):
        kind = "html"  # the official layout, on standard output
    if kind is None:
        raise _UsageError(
            "cannot tell the output format: give --to html|markdown|text|docx|pdf or an -o FILE "
            "ending in .html, .md, .txt, .docx or .pdf"
        )
    _needs_output_for_json(args, args.output)
    report = _load_input(args.input)
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
            human = _shown(human)
        out = human.encode("utf-8")
    elif kind == "pdf":
        if args.output in (None, "-"):
            raise _UsageError("PDF output needs -o FILE.pdf")
        out = rendering.to_pdf(report, findings=findings)
    else:
        if args.output in (None, "-"):
            raise _UsageError("DOCX output needs -o FILE.docx")
        out = rendering.to_docx(report)
    write_output(args.output, out)
    _print_written(
        args, file=args.input, output=args.output, to=kind, bytes=len(out), findings=len(findings)
    )
    return EXIT_OK


_DIFF_SUFFIXES = {".html": "html", ".htm": "html", ".json": "json", ".txt": "text"}


def cmd_diff(args: argparse.Namespace) -> int:
    """Compare two report documents: changed cells, indicators, text, cross-year findings."""
    kind = args.to
    if kind is None:
        suffix = Path(args.output).suffix.lower() if args.output not in (None, "-") else ""
        kind = _DIFF_SUFFIXES.get(suffix, "text")
    old = _load_input(args.old)
    new = _load_input(args.new)
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
        out = (_shown(text) if args.output in (None, "-") else text).encode("utf-8")
    if args.json and args.output in (None, "-"):
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return EXIT_OK
    write_output(args.output, out)
    _print_written(
        args,
        old=args.old,
        new=args.new,
        output=args.output,
        to=kind,
        cells=len(result.cells),
        findings=len(result.findings),
    )
    return EXIT_OK


def _add_single_io(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", metavar="IN", help="input document (JSON or XML); - for stdin")
    p.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")


def _add_file_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", metavar="FILE", help="a report document; - for stdin")
    p.add_argument(
        "--sample",
        action="append",
        metavar="NAME",
        help="also use a built-in sample report (e.g. liuzhou-2023); repeatable",
    )


_SEVERITY_RANK = {"error": 0, "inconsistency": 1, "warning": 2, "info": 3}


@attrs.frozen
class _Checked:
    """What the check output prints about one report."""

    agency: str
    year: int
    edition: str


def _print_result(
    name: str,
    meta: _Checked,
    result: CheckResult,
    lang: str,
    notes: dict[str, str],
    only: Sequence[Finding] | None = None,
) -> None:
    verdict = result.verdict.replace("not ok", "NOT OK", 1)
    open_failing = [
        f
        for f in result.findings
        if f.fingerprint not in notes and f.severity in ("error", "inconsistency")
    ]
    if notes and not result.ok and not open_failing:  # every failing finding accepted
        verdict = verdict.replace("NOT OK", f"ok ({len(notes)} accepted in the baseline)", 1)
    print(_shown(f"== {name}: {meta.agency} {meta.year} (edition {meta.edition}) {verdict}"))
    if only is not None:  # --quiet: the findings that fail, nothing else
        for finding in only:
            print(_shown(f"  {finding.severity:<13} {finding.rule:<32} {finding.message[lang]}"))
        return
    if result.compared:
        print(f"  compared with the report for {result.compared[0]}")
    print(f"  {result.coverage()}")
    for finding in result.findings:
        line = f"  {finding.severity:<13} {finding.rule:<32} {finding.message[lang]}"
        if finding.fingerprint in notes:  # accepted in the baseline: listed, not failing
            note = notes[finding.fingerprint]
            line += f"  [accepted{': ' + note if note else ''}]"
        print(_shown(line))


def _finding_json(finding: Finding) -> dict[str, object]:
    data = finding.to_dict()
    keys = ("rule", "severity", "addresses", "stated", "computed", "difference", "message")
    return {k: data[k] for k in keys} | {
        "location": data["location"],
        "assessable": data["assessable"],
        "unread": data["unread"],
        "fingerprint": data["fingerprint"],
    }


def _emit_check(
    args: argparse.Namespace,
    name: str,
    report: _Checked | None,
    result: CheckResult | None,
    errors: Sequence[str] = (),
    *,
    readable: bool = False,
    notes: dict[str, str] | None = None,
) -> None:
    """Print one file's outcome: its findings, or why it could not be read (``errors``)."""
    if args.json:
        if errors:
            findings: list[dict[str, object]] = [
                {
                    "rule": "document.invalid",
                    "severity": "error",
                    "addresses": [],
                    "stated": None,
                    "computed": None,
                    "difference": None,
                    "message": {"zh": message, "en": message},
                }
                for message in errors
            ]
            print(
                json.dumps(
                    {"file": name, "ok": False, "readable": readable, "findings": findings},
                    ensure_ascii=False,
                )
            )
            return
        assert report is not None and result is not None
        print(
            json.dumps(
                {
                    "file": name,
                    "ok": result.ok,
                    "agency": report.agency,
                    "year": report.year,
                    "edition": report.edition,
                    "counts": result.counts,
                    "identities": {
                        "total": result.identities,
                        "assessed": result.assessed,
                        "not_assessable": result.not_assessable,
                    },
                    "unread": result.unread,
                    "unread_by_table": result.unread_by_table,
                    "compared": list(result.compared) if result.compared else None,
                    "findings": [
                        _finding_json(f)
                        | {
                            "accepted": f.fingerprint in (notes or {}),
                            "note": (notes or {}).get(f.fingerprint),
                        }
                        for f in result.findings
                    ],
                },
                ensure_ascii=False,
            )
        )
    elif errors and not readable:  # one line on standard error, as every command says it
        for message in errors:
            print(_shown(f"gov-disclosure: {_located(name, message)}"), file=sys.stderr)
    elif errors:
        print(_shown(f"== {name}: invalid"))
        for message in errors:
            print(_shown(f"  {message}"))
    else:
        assert report is not None and result is not None
        if not (args.quiet and result.ok and not result.findings):
            _print_result(name, report, result, args.lang, notes or {})


@attrs.frozen
class _FailOn:
    """``--fail-on``: the lowest failing severity, and whether unread cells fail a report."""

    threshold: int
    unread: bool
    text: str

    def __str__(self) -> str:
        return self.text


def _fail_on(text: str) -> _FailOn:
    """Parse ``--fail-on``: a severity, ``unread``, or both (``inconsistency,unread``)."""
    words = [w.strip() for w in text.split(",") if w.strip()]
    severities = [w for w in words if w in ("error", "inconsistency", "warning")]
    if not words or len(severities) > 1 or any(w not in (*severities, "unread") for w in words):
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected error, inconsistency or warning, optionally with ',unread'"
        )
    severity = severities[0] if severities else "inconsistency"
    return _FailOn(_SEVERITY_RANK[severity], "unread" in words, text)


def cmd_check(args: argparse.Namespace) -> int:
    """Check reports for arithmetic identities and plausibility."""
    import functools

    from gov_disclosure.batch import (
        DOCUMENT_SUFFIXES,
        FileResult,
        check_files,
        check_one,
        iter_sources,
        run_parallel,
    )
    from gov_disclosure.rules import check

    previous: Report | None = None
    if args.previous:
        try:
            previous = load_document(read_input(args.previous), args.previous)
        except DocumentError as exc:
            _print_problems(sys.stderr, args.previous, exc.problems)
            return EXIT_UNREADABLE
    threshold, fail_unread = args.fail_on.threshold, args.fail_on.unread
    from gov_disclosure.rules.prose import DEFAULT_SIMILARITY

    similarity: float = args.similarity_threshold
    if similarity is None:
        similarity = DEFAULT_SIMILARITY
    baseline = None
    if args.baseline:
        from gov_disclosure.baseline import Baseline

        try:
            baseline = Baseline.load(args.baseline)
        except DocumentError as exc:
            for problem in exc.problems:  # one line each, the file named once
                line = _located(args.baseline, str(problem))
                print(_shown(f"gov-disclosure: {line}"), file=sys.stderr)
            return EXIT_UNREADABLE
    to_accept: list[tuple[str, int, Finding, str]] = []
    accepted = 0
    totals = dict.fromkeys(_SEVERITY_RANK, 0)
    failing = checked = unreadable = invalid = incomplete = unread_cells = 0

    def report_one(name: str, meta: _Checked, result: CheckResult) -> None:
        nonlocal failing, checked, incomplete, unread_cells, accepted
        checked += 1
        for severity, count in result.counts.items():
            totals[severity] += count
        incomplete += bool(result.unread)
        unread_cells += len(result.unread)
        notes = {}
        for finding in result.findings:
            note = baseline.note(meta.agency, meta.year, finding) if baseline else None
            if note is not None:
                notes[finding.fingerprint] = note
            # kept with its note for --write-baseline (only then: a national run's findings
            # would otherwise all sit in memory)
            if args.write_baseline and finding.severity != "info":
                to_accept.append((meta.agency, meta.year, finding, note or ""))
        accepted += len(notes)
        open_findings = [f for f in result.findings if f.fingerprint not in notes]
        failing_findings = [f for f in open_findings if _SEVERITY_RANK[f.severity] <= threshold]
        fails = bool(failing_findings) or (fail_unread and bool(result.unread))
        failing += fails
        if args.quiet and not args.json:  # --quiet: only what fails --fail-on
            if fails:
                _print_result(name, meta, result, args.lang, notes, only=failing_findings)
            return
        _emit_check(args, name, meta, result, notes=notes)

    def in_process(name: str, report: Report) -> None:
        meta = _Checked(report.agency.name, report.year, report.format)
        report_one(name, meta, check(report, previous=previous, similarity_threshold=similarity))

    for sample in args.sample or ():
        from gov_disclosure import samples

        try:
            report = samples.load(sample)
        except GovDisclosureError as exc:
            raise _UsageError(str(exc)) from None
        in_process(f"sample:{sample}", report)
    if "-" in args.files:
        try:
            in_process("-", load_document(read_input("-"), "-"))
        except DocumentError as exc:
            invalid += 1
            _emit_check(args, "-", None, None, [str(p) for p in exc.problems], readable=True)
    files = _collect(args, [f for f in args.files if f != "-"], DOCUMENT_SUFFIXES, jsonl=True)
    if args.series and any(f.lower().endswith(".jsonl") for f in files):
        raise _UsageError("--series takes report files, not .jsonl (each report's own file)")
    if not files and not args.sample and "-" not in args.files:
        folders = [f for f in args.files if Path(f).is_dir()]
        if folders:
            raise _InputError(
                f"{folders[0]}: no .json/.xml report documents found (published reports: "
                "run `gov-disclosure parse` first)"
            )
        raise _UsageError("give at least one FILE, folder or --sample NAME")
    progress = Progress(_total(files), "check", quiet=args.quiet)

    def consume(item: FileResult) -> None:
        nonlocal unreadable, invalid
        if item.error is not None:
            if item.unreadable:
                unreadable += 1
            else:
                invalid += 1
            _emit_check(args, item.file, None, None, [item.error], readable=not item.unreadable)
            return
        value = item.value
        report_one(item.file, _Checked(value.agency, value.year, value.edition), value.result)

    with _executor(args) as executor:
        if args.series:
            for item in check_files(
                files,
                jobs=args.jobs,
                series=True,
                previous=previous,
                progress=progress.step,
                executor=executor,
                similarity_threshold=similarity,
                retries=args.retries,
            ):
                consume(item)
        else:  # streamed: printed as they come, whatever the number of reports (.jsonl lines)
            worker = functools.partial(
                check_one, previous=previous, similarity_threshold=similarity
            )
            stream = run_parallel(
                worker,
                iter_sources(files),
                jobs=args.jobs,
                progress=progress.step,
                executor=executor,
                retries=args.retries,
            )
            with contextlib.closing(stream):
                for item in stream:
                    consume(item)
    progress.close()
    if _wants_summary(args, checked + invalid + unreadable):  # the rule of every command
        counts = ", ".join(f"{totals[s]} {s}" for s in _SEVERITY_RANK)
        in_baseline = f", {accepted} accepted in the baseline" if baseline else ""
        print(
            f"Totals: {checked} file(s), {failing} failing at --fail-on {args.fail_on}, "
            f"{invalid} invalid, {unreadable} unreadable, {incomplete} with unread cells "
            f"({unread_cells} cells){in_baseline}; {counts}"
        )
    if args.write_baseline:
        from gov_disclosure.baseline import baseline_document

        document = baseline_document(to_accept)
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        write_output(args.write_baseline, text.encode("utf-8"))
    if unreadable:
        return EXIT_UNREADABLE
    return EXIT_FAIL if failing or invalid else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Export many reports as one tidy table of cells (and one of findings)."""
    from gov_disclosure.batch import DOCUMENT_SUFFIXES, PUBLISHED_SUFFIXES
    from gov_disclosure.export import TABLE_SUFFIXES

    suffixes = DOCUMENT_SUFFIXES + (PUBLISHED_SUFFIXES if args.parse else ())
    files = _collect(args, args.files, suffixes, jsonl=True)
    if not files:
        raise _UsageError("no input files found")
    for output in filter(None, (args.output, args.findings, args.metrics)):
        suffix = Path(output).suffix.lower()
        if suffix in (".xlsx", ".xls"):
            raise _UsageError(
                f"{output}: Excel workbooks are not written; use .csv (with --excel for a CSV "
                "that Excel on Chinese Windows opens correctly), .jsonl or .parquet"
            )
        if suffix not in TABLE_SUFFIXES:
            raise _UsageError(f"{output}: the ending must be .csv, .jsonl or .parquet")
        if suffix == ".parquet":
            from gov_disclosure.optional import require

            require("pyarrow", "parquet", "writing Parquet")
        elif args.partition_by:
            raise _UsageError(f"{output}: --partition-by writes Parquet datasets (.parquet)")
        if not Path(output).parent.is_dir():
            raise _InputError(f"{output}: cannot write: No such file or directory")
    progress = Progress(_total(files), "export", quiet=args.quiet)
    try:
        failed, unreadable, cell_count, finding_count, items = _export_to(args, files, progress)
    except OSError as exc:  # the outputs (written atomically) are left as they were
        raise _InputError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
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
                },
                ensure_ascii=False,
            )
        )
    elif not args.quiet:
        print(
            f"Exported {items - failed} of {items} report(s): {cell_count} cells, "
            f"{finding_count} findings; {failed} failed",
            file=sys.stderr,
        )
    return EXIT_UNREADABLE if unreadable else EXIT_FAIL if failed else EXIT_OK


def _export_to(
    args: argparse.Namespace, files: list[str], progress: Progress
) -> tuple[int, int, int, int, int]:
    from gov_disclosure.batch import iter_sources, run_parallel
    from gov_disclosure.export import export_one, open_table

    failed = unreadable = cell_count = finding_count = items = 0
    with contextlib.ExitStack() as stack:
        # Excel on Chinese Windows reads a CSV with a byte-order mark as UTF-8, not GBK
        options = {"excel": args.excel, "partition_by": args.partition_by}
        cells_out = stack.enter_context(open_table(args.output, "cells", **options))
        findings_out = (
            stack.enter_context(open_table(args.findings, "findings", **options))
            if args.findings
            else None
        )
        metrics_out = (
            stack.enter_context(open_table(args.metrics, "metrics", **options))
            if args.metrics
            else None
        )
        stack.callback(progress.close)
        executor = stack.enter_context(_executor(args))
        results = stack.enter_context(
            contextlib.closing(
                run_parallel(
                    export_one,
                    iter_sources(files),
                    jobs=args.jobs,
                    progress=progress.step,
                    executor=executor,
                    retries=args.retries,
                )
            )
        )
        for item in results:
            items += 1
            error = item.error
            if error is None:
                cell_rows, finding_rows, metrics_row = item.value
                try:  # a report goes to every table or to none
                    ready = [
                        (out, out.prepare(rows))
                        for out, rows in (
                            (cells_out, cell_rows),
                            (findings_out, finding_rows),
                            (metrics_out, [metrics_row]),
                        )
                        if out is not None
                    ]
                except ValueError as exc:
                    error = f"cannot export: {exc}"
            if error is not None:
                failed += 1
                unreadable += item.unreadable
                progress.write(_shown(_located(item.file, error)))
                continue
            counts = [out.commit(prepared) for out, prepared in ready]
            cell_count += counts[0]
            finding_count += counts[1] if findings_out is not None else 0
        # every table finished before any is renamed into place: a failure here leaves all
        # the outputs as they were
        failures: list[BaseException] = []
        for out in (cells_out, findings_out, metrics_out):
            if out is not None:
                try:  # close every table even when one fails: none left half-written
                    out.close()
                except Exception as exc:
                    failures.append(exc)
        if failures:
            raise failures[0]
    return failed, unreadable, cell_count, finding_count, items


class Progress:
    """A tqdm progress bar on stderr: shown only on a terminal and for several items.

    Messages go through :meth:`write`, which prints them above the bar (never on its line).
    """

    def __init__(self, total: int | None, label: str, *, quiet: bool = False) -> None:
        from tqdm import tqdm

        self.bar = tqdm(
            total=total,
            desc=label,
            unit="file",
            file=sys.stderr,
            disable=quiet or (total is not None and total <= 1) or not sys.stderr.isatty(),
            dynamic_ncols=True,
            leave=False,
        )

    def step(self, name: str) -> None:
        """Count one item done."""
        self.bar.set_postfix_str(name[-40:], refresh=False)
        self.bar.update(1)

    def write(self, message: str) -> None:
        """Print a line on stderr above the bar."""
        if self.bar.disable:
            print(message, file=sys.stderr)
        else:
            self.bar.write(message, file=sys.stderr)

    def close(self) -> None:
        """Remove the bar."""
        self.bar.close()


def _output_names(files: Sequence[str], to: str) -> dict[str, str]:
    """A distinct output file name per input: ``stem.json``, or ``name.pdf.json`` on a clash.

    Raises:
        _UsageError: if two inputs would still write the same output.
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
            raise _UsageError(
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


def cmd_parse(args: argparse.Namespace) -> int:
    """Parse published reports into the model."""
    import functools

    from gov_disclosure.atomic import atomic_open
    from gov_disclosure.batch import (
        PUBLISHED_SUFFIXES,
        FileResult,
        Manifest,
        file_digest,
        run_parallel,
    )
    from gov_disclosure.parsing import parse
    from gov_disclosure.serialization.json_format import dumps
    from gov_disclosure.serialization.xml_format import to_xml

    files = _collect(args, args.files, PUBLISHED_SUFFIXES)
    if not files:
        raise _UsageError("give at least one FILE")
    if len(files) > 1 and not args.output_dir:
        raise _UsageError("with several files, give -o DIR")
    _needs_output_for_json(args, args.output_dir)
    lines_out = args.output_dir if (args.output_dir or "").lower().endswith(".jsonl") else None
    if lines_out is not None:
        if args.to != "json" or args.resume:
            raise _UsageError("-o FILE.jsonl writes JSON lines: not with --to xml or --resume")
        if not Path(lines_out).parent.is_dir():
            raise _InputError(f"{lines_out}: cannot write: No such file or directory")
    out_dir = Path(args.output_dir) if args.output_dir and lines_out is None else None
    targets = _output_names(files, args.to)
    stdin = read_input("-") if "-" in files else b""  # read once, parsed in this process
    if out_dir:
        if out_dir.exists() and not out_dir.is_dir():
            raise _InputError(f"{out_dir}: not a folder (-o takes a folder for parse)")
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _InputError(f"{out_dir}: cannot create: {exc.strerror or exc}") from None
    if args.resume and out_dir is None:
        raise _UsageError("--resume needs -o DIR (it skips inputs already written there)")
    manifest = Manifest(out_dir) if out_dir is not None else None
    digests: dict[str, str] = {}
    skipped = 0
    if manifest is not None:
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
    worker = functools.partial(
        parse, kind=args.kind, year=args.year, agency=args.agency, level=args.level, ocr=args.ocr
    )
    from_stdin = [FileResult("-", *_parse_stdin(stdin, args)) for name in files if name == "-"]
    rest = [f for f in files if f != "-"]
    with contextlib.ExitStack() as stack:
        executor = stack.enter_context(_executor(args))
        parsed = run_parallel(
            worker,
            rest,
            jobs=args.jobs,
            progress=progress.step,
            executor=executor,
            retries=args.retries,
        )
        stack.enter_context(contextlib.closing(parsed))
        # one report per line, written as they come (the file appears complete, or not at all)
        lines = stack.enter_context(atomic_open(lines_out)) if lines_out is not None else None
        for item in itertools.chain(from_stdin, parsed):
            name = item.file
            if item.error is not None:
                progress.write(_shown(_located(name, item.error)))
                failed += 1
                status = max(status, EXIT_UNREADABLE if item.unreadable else EXIT_FAIL)
                _print_written(
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
                    progress.write(_shown(f"{name}: {diagnostic}"))
            output = str(out_dir / targets[name]) if out_dir is not None else None
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
                            _shown(
                                f"{name}: [{finding.severity}] {finding.rule}: "
                                f"{finding.message[args.lang]}"
                            )
                        )
                    progress.write(
                        _shown(f"{name}: check: {checked.verdict}; {checked.coverage()}")
                    )
                checked_ok += checked.ok
                checked_not_ok += not checked.ok
                if not checked.ok and status == EXIT_OK:
                    status = EXIT_FAIL
            report = result.report
            _print_written(
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
    if _wants_summary(args, len(files)):
        by_code = ", ".join(f"{c}: {n}" for c, n in sorted(codes.items())) or "none"
        checks = f"; check: {checked_ok} ok, {checked_not_ok} not ok" if args.check else ""
        where = f" to {out_dir}" if out_dir is not None else ""
        resumed = f", {skipped} skipped (already written)" if args.resume else ""
        scanned = (
            f"; read by OCR: {ocr_pages} page(s), {ocr_cells} cell(s)" if ocr_pages else ""
        )
        print(
            f"Summary: {len(files)} file(s), {failed} failed, {written} written{where}{resumed}; "
            f"{cells_read} cells read, {unread_cells} unread in {incomplete} file(s){checks}"
            f"{scanned}; diagnostics by code: {by_code}",
            file=sys.stderr,
        )
    return status


def _jobs(text: str) -> int:
    from gov_disclosure.batch import max_jobs

    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("at least 1")
    if jobs > max_jobs():
        print(
            f"gov-disclosure: --jobs {jobs} is more than {max_jobs()} (4 per core); "
            f"using {max_jobs()}",
            file=sys.stderr,
        )
        return max_jobs()
    return jobs


def _add_jobs_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help="worker processes (default: all cores; at most 4 per core); with --scheduler, "
        "chunks of 64 files in flight",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the work on a Dask cluster (e.g. tcp://10.0.0.1:8786; extra 'dask')",
    )


@contextlib.contextmanager
def _executor(args: argparse.Namespace) -> Iterator[Any]:
    """The executor of ``--scheduler`` (a Dask client's), or ``None`` for local processes.

    ``args.retries`` collects the work the engine ran again after a worker died; it is
    listed on stderr when the block ends.
    """
    args.retries = []
    if not getattr(args, "scheduler", None):
        yield None
        return
    from gov_disclosure.optional import require

    distributed = require("distributed", "dask", "running on a Dask cluster")
    import dask

    try:
        # The client keeps its last N messages to the scheduler as a developer log
        # (distributed.admin.low-level-log-length, 1,000): with chunks of report bytes that
        # held up to ~400 MB. A short log keeps the client's memory flat.
        with dask.config.set({"distributed.admin.low-level-log-length": 16}):
            client = distributed.Client(args.scheduler, timeout="30s")
    except (OSError, TimeoutError) as exc:
        raise _InputError(f"{args.scheduler}: cannot reach the scheduler: {exc}") from None
    with client:
        yield client.get_executor()
    for retry in args.retries:
        _error(retry.describe())


def _common_options() -> argparse.ArgumentParser:
    """Options every command takes, with one meaning everywhere (docs/cli.md)."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("options of every command")
    group.add_argument(
        "--json",
        action="store_true",
        help="machine-readable output on stdout: one JSON object per input (per command for "
        "export and schema); a command that writes a document needs -o with it",
    )
    group.add_argument(
        "--quiet",
        action="store_true",
        help="print only what went wrong: no progress, no per-file successes or diagnostics, "
        "no summary (unless --summary)",
    )
    group.add_argument(
        "--summary",
        action="store_true",
        help="print the summary line even for a single input",
    )
    group.add_argument(
        "--lang",
        choices=["zh", "en"],
        default="zh",
        help="language of the checker's messages (default zh)",
    )
    return common


def _partition_columns(text: str) -> tuple[str, ...]:
    columns = tuple(c.strip() for c in text.split(",") if c.strip())
    allowed = ("year", "edition")
    wrong = [c for c in columns if c not in allowed]
    if wrong or not columns or len(set(columns)) != len(columns):
        raise argparse.ArgumentTypeError(
            f"expected comma-separated columns from {', '.join(allowed)}, got {text!r}"
        )
    return columns


def _similarity(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``gov-disclosure`` command."""
    parser = argparse.ArgumentParser(
        prog="gov-disclosure",
        description="Tools for 政府信息公开工作年度报告: validate, check, parse, export, schema, "
        "render, convert and diff reports.",
    )
    from gov_disclosure import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = _common_options()

    p = sub.add_parser(
        "validate",
        parents=[common],
        help="validate report documents (JSON or XML) against the format",
        description="Validate report documents (JSON or XML, detected from content). "
        "Problems go to stderr; exit 1 if any document is invalid, 2 if one cannot be read.",
    )
    _add_file_arguments(p)
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
    _add_file_arguments(p)
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
    _add_jobs_argument(p)
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
        help="the folder to write one output file per input to",
    )
    p.add_argument(
        "--kind",
        choices=KINDS,
        help="input kind (default: detected)",
    )
    p.add_argument("--check", action="store_true", help="also run the checker on each result")
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
    _add_jobs_argument(p)
    p.set_defaults(func=cmd_parse, subparser=p)

    p = sub.add_parser(
        "export",
        parents=[common],
        help="export reports as a tidy table: one row per cell (CSV, JSON Lines or Parquet)",
        description="Export many reports as one tidy table with a row per cell, and "
        "optionally a table of the checker's findings. The format follows the file ending "
        "(.csv or .jsonl). Folders are searched recursively for .json and .xml documents "
        "(and published reports with --parse).",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="report files or folders")
    p.add_argument(
        "-o", "--output", required=True, metavar="CELLS", help="cells.csv, .jsonl or .parquet"
    )
    p.add_argument(
        "--findings", metavar="FILE", help="also write findings (.csv, .jsonl, .parquet)"
    )
    p.add_argument(
        "--metrics",
        metavar="FILE",
        help="also write each report's indicators, one row per report (.csv, .jsonl, .parquet)",
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
    _add_jobs_argument(p)
    p.set_defaults(func=cmd_export, subparser=p)

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
    _add_single_io(p)
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
    _add_single_io(p)
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
    return parser


EXIT_INTERRUPTED = 130


def _error(message: str) -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        print(_shown(f"gov-disclosure: {message}"), file=sys.stderr)


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
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        status = func(args)
        if sys.stdout is not None:
            sys.stdout.flush()
        if getattr(args, "folder_errors", 0):
            status = max(status, EXIT_UNREADABLE)
        return status
    except _InputError as exc:
        _error(str(exc).removeprefix("gov-disclosure: "))
        return EXIT_UNREADABLE
    except _UsageError as exc:
        getattr(args, "subparser", parser).error(str(exc))  # the sub-command's usage
    except GovDisclosureError as exc:
        _error(str(exc))
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        # Outputs are atomic: the temporary files were removed on the way out, nothing
        # half-written is left. Workers were stopped by the batch runner.
        _error("interrupted")
        global _interrupted  # read by console() alone
        _interrupted = True
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. piped into head: the reader has what it wanted
        _quiet_stdout()
        return EXIT_OK
    except OSError as exc:  # e.g. stdout on a full disk
        _quiet_stdout()
        where = f"{exc.filename}: " if exc.filename else "output: "
        _error(f"{where}cannot write: {exc.strerror or exc}")
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


if __name__ == "__main__":  # pragma: no cover
    console()
