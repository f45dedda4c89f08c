"""``gov-disclosure validate``: report documents against the format."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence

from gov_disclosure.cli.common import (
    EXIT_FAIL,
    EXIT_OK,
    EXIT_UNREADABLE,
    InputError,
    RunState,
    UsageError,
    collect,
    location_of,
    print_problems,
    published,
    read_input,
    shown,
    wants_summary,
)
from gov_disclosure.errors import DocumentError, GovDisclosureError, Problem
from gov_disclosure.model.report import Report
from gov_disclosure.serialization.documents import load_document, looks_like_xml
from gov_disclosure.serialization.leaves import exact_number

__all__ = ["cmd_validate"]


def _schema_problems(data: bytes) -> list[Problem]:
    from gov_disclosure.schemas import validate_json

    try:
        document = json.loads(data, parse_float=exact_number)  # exact, as loads() reads it
    except (ValueError, RecursionError):
        return []  # loads() reports the syntax error with its position
    return validate_json(document)


def _inputs(args: argparse.Namespace, state: RunState) -> Iterator[tuple[str, bytes | None]]:
    """(name, bytes) for every input, read as used (bytes ``None``: unreadable).

    Files come first (a ``.jsonl`` file line by line), then the built-in samples.
    """
    from gov_disclosure import samples
    from gov_disclosure.batch import DOCUMENT_SUFFIXES, iter_sources
    from gov_disclosure.serialization.json_format import dumps

    files = collect(state, args.files, DOCUMENT_SUFFIXES, jsonl=True)
    loaded = []
    for sample in args.sample or ():
        try:
            loaded.append((f"sample:{sample}", dumps(samples.load(sample)).encode("utf-8")))
        except GovDisclosureError as exc:
            raise UsageError(str(exc)) from None
    if not files and not loaded:
        raise UsageError("give at least one FILE or --sample NAME")
    for source in iter_sources(files):
        if not isinstance(source, str):
            if source[1] is None:  # a line longer than any report
                print(shown(f"{source[0]}: cannot read: line too long"), file=sys.stderr)
            yield source
            continue
        try:
            yield (source, read_input(source))
        except InputError as exc:
            print(exc, file=sys.stderr)
            yield (source, None)
    yield from loaded


def cmd_validate(args: argparse.Namespace, state: RunState) -> int:
    """Validate JSON or XML report documents."""
    status = EXIT_OK
    tally = {"valid": 0, "invalid": 0, "unreadable": 0}
    for name, data in _inputs(args, state):
        if data is None:
            status = max(status, EXIT_UNREADABLE)
            tally["unreadable"] += 1
            continue
        try:
            if published(name):  # validate checks documents; a report is parsed first
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
            print_problems(sys.stderr, name, problems)
            print(shown(f"{name}: invalid"), file=sys.stdout)
        elif report is not None and not args.quiet:
            print(
                shown(
                    f"{name}: valid (edition {report.edition}, {report.agency.name}, {report.year})"
                )
            )
    inputs = sum(tally.values())
    if wants_summary(args, inputs):
        print(
            f"Summary: {inputs} document(s): {tally['valid']} valid, "
            f"{tally['invalid']} invalid, {tally['unreadable']} unreadable",
            file=sys.stderr,
        )
    return status


def _validation_json(
    name: str, report: Report | None, problems: Sequence[Problem]
) -> dict[str, object]:
    def located(problem: Problem) -> dict[str, object]:
        return {
            "path": problem.path,
            "message": problem.message,
            "address": problem.address,
            "line": problem.line,
            "column": problem.column,
            "location": location_of(problem),
        }

    valid = not problems and report is not None
    return {
        "file": name,
        "valid": valid,
        "edition": report.edition if valid and report else None,
        "agency": report.agency.name if valid and report else None,
        "year": report.year if valid and report else None,
        "problems": [located(p) for p in problems],
    }
