"""``gov-disclosure check``: the identities (勾稽关系), plausibility and prose."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from gov_disclosure.cli.common import (
    EXIT_FAIL,
    EXIT_OK,
    EXIT_UNREADABLE,
    SEVERITY_RANK,
    InputError,
    Progress,
    RunState,
    UsageError,
    collect,
    located,
    open_executor,
    print_problems,
    read_input,
    refused,
    run_on,
    scoring_pack,
    shown,
    total_items,
    wants_summary,
    write_output,
)
from gov_disclosure.errors import DocumentError, GovDisclosureError
from gov_disclosure.model.report import Report
from gov_disclosure.serialization.documents import load_document

if TYPE_CHECKING:  # pragma: no cover
    from gov_disclosure.rules.results import CheckResult, Finding


__all__ = ["cmd_check"]


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
    print(shown(f"== {name}: {meta.agency} {meta.year} (edition {meta.edition}) {verdict}"))
    if only is not None:  # --quiet: the findings that fail, nothing else
        for finding in only:
            print(shown(f"  {finding.severity:<13} {finding.rule:<32} {finding.message[lang]}"))
        return
    if result.compared:
        print(f"  compared with the report for {result.compared[0]}")
    print(f"  {result.coverage()}")
    for finding in result.findings:
        line = f"  {finding.severity:<13} {finding.rule:<32} {finding.message[lang]}"
        if finding.fingerprint in notes:  # accepted in the baseline: listed, not failing
            note = notes[finding.fingerprint]
            line += f"  [accepted{': ' + note if note else ''}]"
        print(shown(line))


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
    score: Any = None,
) -> None:
    """Print one file's outcome: its findings, or why it could not be read (``errors``).

    ``score`` (a :class:`~gov_disclosure.scoring.Score`, with ``--score``) is printed after it.
    """
    scored = {"score": score.to_dict()} if score is not None else {}
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
                    {
                        "file": name,
                        "ok": False,
                        "readable": readable,
                        "findings": findings,
                        **scored,
                    },
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
                    **scored,
                },
                ensure_ascii=False,
            )
        )
        return
    if errors and not readable:  # one line on standard error, as every command says it
        for message in errors:
            print(shown(f"gov-disclosure: {located(name, message)}"), file=sys.stderr)
    elif errors:
        print(shown(f"== {name}: invalid"))
        for message in errors:
            print(shown(f"  {message}"))
    else:
        assert report is not None and result is not None
        if not (args.quiet and result.ok and not result.findings):
            _print_result(name, report, result, args.lang, notes or {})
    if score is not None and not args.quiet:
        _print_score(score, args.lang)


def _print_score(score: Any, lang: str) -> None:
    """The score line and one line per deduction, each naming the finding that cost it."""
    capped = sum(1 for d in score.deductions if not d.points)  # listed, past the rule's cap
    past_cap = f" ({capped} past a cap, costing nothing)" if capped else ""
    print(
        shown(
            f"  score {score.score} of {score.points} ({score.pack}, {score.mode}): "
            f"{len(score.deductions)} deduction(s){past_cap}, {len(score.not_deducted)} "
            f"uncertain not deducted, {len(score.not_assessable)} not assessable"
        )
    )
    for d in score.deductions:
        print(shown(f"    -{d.points} {d.rule} [{d.finding}, {d.reason}] {d.message[lang]}"))
    for d in score.not_deducted:
        print(shown(f"    not deducted ({d.reason}): {d.rule} [{d.finding}] {d.message[lang]}"))


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
    return _FailOn(SEVERITY_RANK[severity], "unread" in words, text)


def cmd_check(args: argparse.Namespace, state: RunState) -> int:
    """Check reports for arithmetic identities and plausibility."""
    import functools

    from gov_disclosure.batch import (
        DOCUMENT_SUFFIXES,
        FileResult,
        check_files,
        check_one,
        iter_sources,
    )
    from gov_disclosure.rules import check

    previous: Report | None = None
    if args.previous:
        try:
            previous = load_document(read_input(args.previous), args.previous)
        except DocumentError as exc:
            print_problems(sys.stderr, args.previous, exc.problems)
            return EXIT_UNREADABLE
    boilerplate: tuple[str, ...] = ()
    if args.boilerplate:
        try:
            boilerplate = _phrases(args.boilerplate)
        except DocumentError as exc:
            return refused(args.boilerplate, exc)
    from gov_disclosure.rules.definitions import DEFAULT_RULES

    pack = None
    extra = set(args.extend_select)  # run beside the default rules (or --select's)
    if args.score:
        try:
            pack = scoring_pack(args.score)
        except DocumentError as exc:
            return refused(args.score, exc)
        extra |= pack.rule_ids  # the pack's rules too (timeliness.date_unknown is off)
    select = args.select
    if extra:
        select = tuple(sorted(set(select or DEFAULT_RULES) | extra))
    scores: list[Any] = []

    def scored(
        result: CheckResult | None, error: str | None = None, *, certain: bool = True
    ) -> Any:
        if pack is None:
            return None
        from gov_disclosure.scoring import invalid_score, score_result

        if result is None:
            value = invalid_score(pack, error or "", mode=args.score_mode, certain=certain)
        else:
            value = score_result(result, pack, mode=args.score_mode)
        scores.append(value.score)
        return value

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
            return refused(args.baseline, exc)
    to_accept: list[tuple[str, int, Finding, str]] = []
    accepted = 0
    totals = dict.fromkeys(SEVERITY_RANK, 0)
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
        failing_findings = [f for f in open_findings if SEVERITY_RANK[f.severity] <= threshold]
        fails = bool(failing_findings) or (fail_unread and bool(result.unread))
        failing += fails
        score = scored(result)
        if args.quiet and not args.json:  # --quiet: only what fails --fail-on
            if fails:
                _print_result(name, meta, result, args.lang, notes, only=failing_findings)
            return
        _emit_check(args, name, meta, result, notes=notes, score=score)

    # what every check of this run is given, in this process or in the workers
    options: dict[str, Any] = {
        "similarity_threshold": similarity,
        "boilerplate": boilerplate,
        "select": select,
        "ignore": args.ignore,
    }

    def in_process(name: str, report: Report) -> None:
        meta = _Checked(report.agency.name, report.year, report.format)
        report_one(name, meta, check(report, previous=previous, **options))

    for sample in args.sample or ():
        from gov_disclosure import samples

        try:
            report = samples.load(sample)
        except GovDisclosureError as exc:
            raise UsageError(str(exc)) from None
        in_process(f"sample:{sample}", report)
    if "-" in args.files:
        try:
            in_process("-", load_document(read_input("-"), "-"))
        except DocumentError as exc:
            invalid += 1
            errors = [str(p) for p in exc.problems]
            _emit_check(args, "-", None, None, errors, readable=True, score=scored(None, errors[0]))
    files = collect(state, [f for f in args.files if f != "-"], DOCUMENT_SUFFIXES, jsonl=True)
    if args.series and any(f.lower().endswith(".jsonl") for f in files):
        raise UsageError("--series takes report files, not .jsonl (each report's own file)")
    if not files and not args.sample and "-" not in args.files:
        folders = [f for f in args.files if Path(f).is_dir()]
        if folders:
            raise InputError(
                f"{folders[0]}: no .json/.xml report documents found (published reports: "
                "run `gov-disclosure parse` first)"
            )
        raise UsageError("give at least one FILE, folder or --sample NAME")
    progress = Progress(total_items(files), "check", quiet=args.quiet)

    def consume(item: FileResult) -> None:
        nonlocal unreadable, invalid
        if item.error is not None:
            if item.unreadable:
                unreadable += 1
            else:
                invalid += 1
            _emit_check(
                args,
                item.file,
                None,
                None,
                [item.error],
                readable=not item.unreadable,
                # a file we could not open may be sound: uncertain, deducted in strict mode
                score=scored(None, item.error, certain=not item.unreadable),
            )
            return
        value = item.value
        report_one(item.file, _Checked(value.agency, value.year, value.edition), value.result)

    with open_executor(args, state) as executor:
        if args.series:
            for item in check_files(
                files,
                jobs=args.jobs,
                series=True,
                previous=previous,
                progress=progress.step,
                executor=executor,
                retries=state.retries,
                **options,
            ):
                consume(item)
        else:  # streamed: printed as they come, whatever the number of reports (.jsonl lines)
            worker = functools.partial(check_one, previous=previous, **options)
            sources = iter_sources(files, by_reference=executor is not None)
            stream = run_on(args, state, worker, sources, progress, executor)
            with contextlib.closing(stream):
                for item in stream:
                    consume(item)
    progress.close()
    if wants_summary(args, checked + invalid + unreadable):  # the rule of every command
        counts = ", ".join(f"{totals[s]} {s}" for s in SEVERITY_RANK)
        in_baseline = f", {accepted} accepted in the baseline" if baseline else ""
        if pack is not None and scores:
            mean = sum(scores) / len(scores)
            in_baseline += f"; score mean {mean:.2f} of {pack.points} ({pack.id}@{pack.version})"
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


def _similarity(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}")
    return value


def _rule_ids(text: str) -> tuple[str, ...]:
    """``--select``/``--ignore``: comma-separated rule ids, each one we know."""
    from gov_disclosure.rules.definitions import RULES_BY_ID

    ids = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    unknown = [i for i in ids if i not in RULES_BY_ID]
    if not ids or unknown:
        shown = ", ".join(unknown) if unknown else repr(text)
        raise argparse.ArgumentTypeError(
            f"unknown rule id(s): {shown} (`gov-disclosure schema --to rules` lists them)"
        )
    return ids


def _phrases(path: str) -> tuple[str, ...]:
    """``--boilerplate FILE``: one phrase a line (UTF-8); blank lines and ``#`` lines skipped.

    At most :data:`MAX_PHRASES` phrases of at most :data:`MAX_PHRASE_CHARS` characters.

    Raises:
        DocumentError: for a file that cannot be read or is not UTF-8 text.
    """
    from gov_disclosure.errors import Problem
    from gov_disclosure.serialization.documents import read_bytes

    data = read_bytes(path)  # a regular file within the size limit
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError([Problem(f"byte {exc.start}", "not UTF-8 text")], source=path) from None
    phrases: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        phrase = line.strip()
        if not phrase or phrase.startswith("#"):
            continue
        # each phrase is searched for in every sentence: a bounded list keeps that bounded
        if len(phrase) > MAX_PHRASE_CHARS or len(phrases) == MAX_PHRASES:
            raise DocumentError(
                [
                    Problem(
                        f"line {number}",
                        f"at most {MAX_PHRASES} phrases of at most {MAX_PHRASE_CHARS} characters",
                    )
                ],
                source=path,
            )
        phrases.append(phrase)
    return tuple(phrases)


MAX_PHRASES = 1_000
MAX_PHRASE_CHARS = 200
