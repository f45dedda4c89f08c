"""``gov-disclosure check``: the identities (勾稽关系), plausibility and prose."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

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
    from gov_disclosure.baseline import Baseline
    from gov_disclosure.batch import FileResult
    from gov_disclosure.rules.results import CheckResult, Finding
    from gov_disclosure.scoring import Mode, Score, ScoringPack


__all__ = ["cmd_check"]


@attrs.frozen
class _Checked:
    """What the check output prints about one report."""

    agency: str
    year: int
    edition: str


@attrs.frozen
class _Outcome:
    """One checked report, as the run judged it.

    Attributes:
        name: The input's name (``file.jsonl:LINE`` for a line).
        meta: The report's body, year and edition.
        result: Its check result.
        notes: Fingerprint -> reviewer's note, for the findings the baseline accepts.
        failing: The findings that fail ``--fail-on`` (those not accepted).
        fails: Whether the report fails ``--fail-on`` (failing findings, or unread cells
            with ``--fail-on ...,unread``).
        score: Its score with ``--score``, else ``None``.
    """

    name: str
    meta: _Checked
    result: CheckResult
    notes: dict[str, str]
    failing: tuple[Finding, ...]
    fails: bool
    score: Score | None


class _Reporter(Protocol):
    """How a check run prints: chosen once, from ``--json`` (as jsonschema's CLI does)."""

    def checked(self, outcome: _Outcome) -> None:
        """A report was checked."""

    def failed(
        self, name: str, errors: Sequence[str], *, unreadable: bool, score: Score | None
    ) -> None:
        """An input gave no report: it could not be read, or is not a valid document."""


@attrs.frozen
class _TextReporter:
    """Lines for people: a header per report, a line per finding; problems on stderr."""

    lang: str
    quiet: bool

    def checked(self, outcome: _Outcome) -> None:
        if self.quiet:  # only what fails --fail-on: the header and its failing findings
            if outcome.fails:
                self._header(outcome)
                for finding in outcome.failing:
                    print(shown(self._line(finding)))
            return
        self._header(outcome)
        result = outcome.result
        if result.compared:
            print(f"  compared with the report for {result.compared[0]}")
        print(f"  {result.coverage()}")
        for finding in result.findings:
            line = self._line(finding)
            if finding.fingerprint in outcome.notes:  # accepted: listed, not failing
                note = outcome.notes[finding.fingerprint]
                line += f"  [accepted{': ' + note if note else ''}]"
            print(shown(line))
        if outcome.score is not None:
            self._score(outcome.score)

    def failed(
        self, name: str, errors: Sequence[str], *, unreadable: bool, score: Score | None
    ) -> None:
        if unreadable:  # one line on standard error, as every command says it
            for message in errors:
                print(shown(f"gov-disclosure: {located(name, message)}"), file=sys.stderr)
        else:
            print(shown(f"== {name}: invalid"))
            for message in errors:
                print(shown(f"  {message}"))
        if score is not None and not self.quiet:
            self._score(score)

    def _header(self, outcome: _Outcome) -> None:
        result, meta = outcome.result, outcome.meta
        verdict = result.verdict.replace("not ok", "NOT OK", 1)
        open_failing = [
            f
            for f in result.findings
            if f.fingerprint not in outcome.notes and f.severity in ("error", "inconsistency")
        ]
        if outcome.notes and not result.ok and not open_failing:  # every failing one accepted
            accepted = f"ok ({len(outcome.notes)} accepted in the baseline)"
            verdict = verdict.replace("NOT OK", accepted, 1)
        header = f"== {outcome.name}: {meta.agency} {meta.year} (edition {meta.edition})"
        print(shown(f"{header} {verdict}"))

    def _line(self, finding: Finding) -> str:
        return f"  {finding.severity:<13} {finding.rule:<32} {finding.message[self.lang]}"

    def _score(self, score: Score) -> None:
        """The score line and one line per deduction, each naming the finding that cost it."""
        capped = sum(1 for d in score.deductions if not d.points)  # past the rule's cap
        past_cap = f" ({capped} past a cap, costing nothing)" if capped else ""
        print(
            shown(
                f"  score {score.score} of {score.points} ({score.pack}, {score.mode}): "
                f"{len(score.deductions)} deduction(s){past_cap}, {len(score.not_deducted)} "
                f"uncertain not deducted, {len(score.not_assessable)} not assessable"
            )
        )
        lang = self.lang
        for d in score.deductions:
            print(shown(f"    -{d.points} {d.rule} [{d.finding}, {d.reason}] {d.message[lang]}"))
        for d in score.not_deducted:
            print(shown(f"    not deducted ({d.reason}): {d.rule} [{d.finding}] {d.message[lang]}"))


class _JsonReporter:
    """One JSON object per input on stdout, every finding as :meth:`Finding.to_dict` gives it."""

    def checked(self, outcome: _Outcome) -> None:
        result, meta, notes = outcome.result, outcome.meta, outcome.notes
        record: dict[str, Any] = {
            "file": outcome.name,
            "ok": result.ok,
            "agency": meta.agency,
            "year": meta.year,
            "edition": meta.edition,
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
                f.to_dict() | {"accepted": f.fingerprint in notes, "note": notes.get(f.fingerprint)}
                for f in result.findings
            ],
        }
        self._print(record, outcome.score)

    def failed(
        self, name: str, errors: Sequence[str], *, unreadable: bool, score: Score | None
    ) -> None:
        from gov_disclosure.rules.results import invalid_document

        findings = [invalid_document(message).to_dict() for message in errors]
        self._print(
            {"file": name, "ok": False, "readable": not unreadable, "findings": findings}, score
        )

    @staticmethod
    def _print(record: dict[str, Any], score: Score | None) -> None:
        if score is not None:
            record["score"] = score.to_dict()
        print(json.dumps(record, ensure_ascii=False))


@attrs.define
class _Tally:
    """A check run's counts: the Totals line and the exit code."""

    checked: int = 0
    failing: int = 0
    invalid: int = 0
    unreadable: int = 0
    incomplete: int = 0  # reports with unread cells
    unread_cells: int = 0
    accepted: int = 0  # findings the baseline accepts
    totals: dict[str, int] = attrs.Factory(lambda: dict.fromkeys(SEVERITY_RANK, 0))
    scores: list[Decimal] = attrs.Factory(list)

    def add(self, outcome: _Outcome) -> None:
        result = outcome.result
        self.checked += 1
        for severity, count in result.counts.items():
            self.totals[severity] += count
        self.incomplete += bool(result.unread)
        self.unread_cells += len(result.unread)
        self.accepted += len(outcome.notes)
        self.failing += outcome.fails
        self._scored(outcome.score)

    def add_failed(self, *, unreadable: bool, score: Score | None) -> None:
        if unreadable:
            self.unreadable += 1
        else:
            self.invalid += 1
        self._scored(score)

    def _scored(self, score: Score | None) -> None:
        if score is not None:
            self.scores.append(score.score)

    @property
    def inputs(self) -> int:
        return self.checked + self.invalid + self.unreadable

    def line(self, fail_on: _FailOn, baseline: bool, pack: ScoringPack | None) -> str:
        """The ``Totals:`` line."""
        counts = ", ".join(f"{self.totals[s]} {s}" for s in SEVERITY_RANK)
        extra = f", {self.accepted} accepted in the baseline" if baseline else ""
        if pack is not None and self.scores:
            mean = sum(self.scores) / len(self.scores)
            extra += f"; score mean {mean:.2f} of {pack.points} ({pack.id}@{pack.version})"
        return (
            f"Totals: {self.checked} file(s), {self.failing} failing at --fail-on {fail_on}, "
            f"{self.invalid} invalid, {self.unreadable} unreadable, {self.incomplete} with "
            f"unread cells ({self.unread_cells} cells){extra}; {counts}"
        )

    def exit_code(self) -> int:
        if self.unreadable:
            return EXIT_UNREADABLE
        return EXIT_FAIL if self.failing or self.invalid else EXIT_OK


@attrs.define
class _Run:
    """One check run: each report judged, scored, counted and handed to the reporter.

    A report fails ``--fail-on`` by its findings that the baseline does not accept.
    """

    reporter: _Reporter
    fail_on: _FailOn
    baseline: Baseline | None = None
    pack: ScoringPack | None = None
    score_mode: Mode | None = None
    keep_for_baseline: bool = False  # --write-baseline
    tally: _Tally = attrs.Factory(_Tally)
    to_accept: list[tuple[str, int, Finding, str]] = attrs.Factory(list)

    def checked(self, name: str, meta: _Checked, result: CheckResult) -> None:
        notes: dict[str, str] = {}
        for finding in result.findings:
            note = self.baseline.note(meta.agency, meta.year, finding) if self.baseline else None
            if note is not None:
                notes[finding.fingerprint] = note
            # kept with its note for --write-baseline (only then: a national run's findings
            # would otherwise all sit in memory)
            if self.keep_for_baseline and finding.severity != "info":
                self.to_accept.append((meta.agency, meta.year, finding, note or ""))
        failing = tuple(
            f
            for f in result.findings
            if f.fingerprint not in notes and SEVERITY_RANK[f.severity] <= self.fail_on.threshold
        )
        fails = bool(failing) or (self.fail_on.unread and bool(result.unread))
        score = None
        if self.pack is not None:
            from gov_disclosure.scoring import score_result

            score = score_result(result, self.pack, mode=self.score_mode)
        outcome = _Outcome(name, meta, result, notes, failing, fails, score)
        self.tally.add(outcome)
        self.reporter.checked(outcome)

    def failed(self, name: str, errors: Sequence[str], *, unreadable: bool) -> None:
        """An input that gave no report (``unreadable``: it could not be opened at all)."""
        score = None
        if self.pack is not None:
            from gov_disclosure.scoring import invalid_score

            # a file we could not open may be sound: uncertain, deducted in strict mode
            certain = not unreadable
            score = invalid_score(self.pack, errors[0], mode=self.score_mode, certain=certain)
        self.tally.add_failed(unreadable=unreadable, score=score)
        self.reporter.failed(name, errors, unreadable=unreadable, score=score)

    def file_result(self, item: FileResult) -> None:
        """A batch's result for one input."""
        if item.error is not None:
            self.failed(item.file, [item.error], unreadable=item.unreadable)
            return
        value = item.value
        self.checked(item.file, _Checked(value.agency, value.year, value.edition), value.result)


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

    from gov_disclosure.batch import DOCUMENT_SUFFIXES, check_files, check_one, iter_sources
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
    reporter: _Reporter = _JsonReporter() if args.json else _TextReporter(args.lang, args.quiet)
    run = _Run(
        reporter,
        args.fail_on,
        baseline=baseline,
        pack=pack,
        score_mode=args.score_mode,
        keep_for_baseline=bool(args.write_baseline),
    )
    # what every check of this run is given, in this process or in the workers
    options: dict[str, Any] = {
        "similarity_threshold": similarity,
        "boilerplate": boilerplate,
        "select": select,
        "ignore": args.ignore,
    }

    def in_process(name: str, report: Report) -> None:
        meta = _Checked(report.agency.name, report.year, report.format)
        run.checked(name, meta, check(report, previous=previous, **options))

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
            run.failed("-", [str(p) for p in exc.problems], unreadable=False)
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
                run.file_result(item)
        else:  # streamed: printed as they come, whatever the number of reports (.jsonl lines)
            worker = functools.partial(check_one, previous=previous, **options)
            sources = iter_sources(files, by_reference=True)
            # only report documents are collected: the main process may check some itself
            stream = run_on(args, state, worker, sources, progress, executor, share=True)
            with contextlib.closing(stream):
                for item in stream:
                    run.file_result(item)
    progress.close()
    if wants_summary(args, run.tally.inputs):  # the rule of every command
        # the pack's id and version are the pack file's: escaped like every name
        print(shown(run.tally.line(args.fail_on, baseline is not None, pack)))
    if args.write_baseline:
        from gov_disclosure.baseline import baseline_document

        document = baseline_document(run.to_accept)
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        write_output(args.write_baseline, text.encode("utf-8"))
    return run.tally.exit_code()


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
