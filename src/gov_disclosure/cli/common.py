"""Parts every command shares: inputs, outputs, errors, summaries, progress, workers."""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import attrs

from gov_disclosure.atomic import atomic_write
from gov_disclosure.errors import DocumentError, Problem
from gov_disclosure.model.report import Report
from gov_disclosure.serialization.documents import load_document

__all__ = [
    "EXIT_FAIL",
    "EXIT_OK",
    "EXIT_UNREADABLE",
    "MAX_INPUT_BYTES",
    "Progress",
    "RunState",
    "read_input",
    "write_output",
]


EXIT_OK = 0


EXIT_FAIL = 1


EXIT_UNREADABLE = 2


class InputError(Exception):
    """A file could not be read at all (missing, unreadable)."""


@attrs.define
class RunState:
    """What a command gathers as it runs, read when it ends.

    :func:`~gov_disclosure.cli.app.main` makes one per command and passes it with the parsed
    arguments, which stay as the user gave them.

    Attributes:
        folder_errors: Folders among the inputs that could not be read (the exit status is
            then at least 2).
        retries: Work a distributed engine ran again after a worker died (listed on stderr
            when the executor closes).
    """

    folder_errors: int = 0
    retries: list[Any] = attrs.Factory(list)


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
                raise InputError("-: cannot read: standard input is closed")
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            path = Path(name)
            if not path.exists():
                raise InputError(f"{name}: cannot read: No such file or directory")
            if not path.is_file():
                raise InputError(f"{name}: cannot read: not a regular file")
            with path.open("rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:  # an embedded NUL in the name
        raise InputError(f"{name!r}: cannot read: {exc}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: cannot read: larger than {MAX_INPUT_BYTES} bytes")
    return data


def collect(
    state: RunState, names: Sequence[str], suffixes: Sequence[str], *, jsonl: bool = False
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
        print_error(message)
    state.folder_errors += len(errors)
    return files


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def shown(text: str) -> str:
    """Human output with control characters escaped (as backslash-x and two hex digits).

    Names and cell text come from untrusted documents and must not drive the terminal.
    """
    return _CONTROL.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


def located(name: str, message: str) -> str:
    """``name: message``, without repeating a name the message already starts with."""
    return message if message.startswith(f"{name}:") else f"{name}: {message}"


def location_of(problem: Problem) -> str | None:
    """The printed location (table, row, column) of the cell a problem is about, if any."""
    from gov_disclosure.model.layouts import printed_location

    return printed_location(problem.address) if problem.address else None


def _with_location(problem: Problem) -> str:
    """A problem, with the cell's printed location when its path names a cell."""
    where = location_of(problem)
    return f"{problem} ({where})" if where else str(problem)


def print_problems(out: TextIO, name: str, problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(shown(f"{name}: {_with_location(problem)}"), file=out)


def total_items(files: Sequence[str]) -> int | None:
    """Items a batch will yield: unknown when a .jsonl file holds many reports."""
    return None if any(f.lower().endswith(".jsonl") for f in files) else len(files)


def wants_summary(args: argparse.Namespace, inputs: int) -> bool:
    """The summary line: with --summary, or for several inputs unless --quiet; not with --json."""
    return not args.json and (bool(args.summary) or (inputs > 1 and not args.quiet))


def needs_output_for_json(args: argparse.Namespace, output: str | None) -> None:
    if args.json and output in (None, "-"):
        raise UsageError(
            "--json describes what was written: give -o (the document would go to stdout)"
        )


def print_written(args: argparse.Namespace, **fields: object) -> None:
    """With --json, the one JSON object a single-document command prints."""
    if args.json:
        print(json.dumps(fields, ensure_ascii=False))


class UsageError(Exception):
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
            raise InputError(f"{name}: cannot write: {exc.strerror or exc}") from None


def published(name: str) -> bool:
    """Whether a file's name says it is a published report (parsed), not a document."""
    from gov_disclosure.batch import DOCUMENT_SUFFIXES, PUBLISHED_SUFFIXES

    suffix = Path(name).suffix.lower()
    return name != "-" and suffix in PUBLISHED_SUFFIXES and suffix not in DOCUMENT_SUFFIXES


def load_input(name: str) -> Report | None:
    """The one report a command reads; ``None`` (problems on stderr) when it is invalid.

    A JSON or XML document is loaded; a published report (``.pdf``, ``.txt``, ``.docx``...)
    is parsed on the fly, as ``check`` does: one rule for every command that takes a report.
    """
    if published(name):
        from gov_disclosure.errors import ParseError
        from gov_disclosure.parsing import parse

        try:
            return parse(name).report
        except ParseError as exc:
            if exc.unreadable:
                raise InputError(str(exc)) from None
            print(shown(f"gov-disclosure: {located(name, str(exc))}"), file=sys.stderr)
            return None
    try:
        return load_document(read_input(name), name)
    except DocumentError as exc:
        print_problems(sys.stderr, name, exc.problems)
        return None


def add_single_io(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", metavar="IN", help="input document (JSON or XML); - for stdin")
    p.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")


def add_file_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", metavar="FILE", help="a report document; - for stdin")
    p.add_argument(
        "--sample",
        action="append",
        metavar="NAME",
        help="also use a built-in sample report (e.g. liuzhou-2023); repeatable",
    )


SEVERITY_RANK = {"error": 0, "inconsistency": 1, "warning": 2, "info": 3}


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


def add_jobs_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help="worker processes (default: all cores; at most 4 per core); with --scheduler, "
        "chunks in flight (default: two per worker thread)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the work on a Dask cluster (e.g. tcp://10.0.0.1:8786; extra 'dask')",
    )


@contextlib.contextmanager
def open_executor(args: argparse.Namespace, state: RunState) -> Iterator[Any]:
    """The executor of ``--scheduler`` (a Dask client's), or ``None`` for local processes.

    ``state.retries`` collects the work the engine ran again after a worker died; it is
    listed on stderr when the block ends.
    """
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
        raise InputError(f"{args.scheduler}: cannot reach the scheduler: {exc}") from None
    with client:
        yield client.get_executor()
    for retry in state.retries:
        print_error(retry.describe())


def common_options() -> argparse.ArgumentParser:
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


def print_error(message: str) -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        print(shown(f"gov-disclosure: {message}"), file=sys.stderr)


def refused(path: str, exc: DocumentError) -> int:
    """An options file (baseline, pack, phrases) that cannot be used: its problems, exit 2.

    One line each on standard error, the file named once.
    """
    for problem in exc.problems:
        print(shown(f"gov-disclosure: {located(path, str(problem))}"), file=sys.stderr)
    return EXIT_UNREADABLE


def scoring_pack(spec: str) -> Any:
    """``--score``/``--pack``: the default pack, or a pack file (DocumentError if invalid)."""
    from gov_disclosure.scoring import default_pack, load_pack

    return default_pack() if spec == "default" else load_pack(spec)


def check_table_output(output: str) -> None:
    """A tidy table's output path, checked before any work: its ending, its extra, its folder.

    Raises:
        UsageError: for an ending that is not a table format (``.xls`` named as such).
        InputError: for a folder that does not exist.
        MissingDependencyError: for Parquet or XLSX without its extra.
    """
    from gov_disclosure.export import TABLE_SUFFIXES
    from gov_disclosure.optional import require

    suffix = Path(output).suffix.lower()
    if suffix == ".xls":
        raise UsageError(f"{output}: write .xlsx (Excel 2007 and later), not .xls")
    if suffix not in TABLE_SUFFIXES:
        raise UsageError(f"{output}: the ending must be .csv, .jsonl, .parquet or .xlsx")
    if suffix == ".parquet":
        require("pyarrow", "parquet", "writing Parquet")
    elif suffix == ".xlsx":
        require("openpyxl", "xlsx", "writing Excel workbooks")
    if not Path(output).parent.is_dir():
        raise InputError(f"{output}: cannot write: No such file or directory")


def run_on(
    args: argparse.Namespace,
    state: RunState,
    func: Any,
    sources: Any,
    progress: Progress,
    executor: Any,
    *,
    share: bool = False,
) -> Any:
    """Run ``func`` over the sources as the command's options say.

    :func:`~gov_disclosure.batch.run_parallel` with ``--jobs``, the progress bar, the
    executor (``--scheduler``) and the run's retry list: a generator of results in input
    order. ``share``: the sources are report documents only, which the main process may
    load and check itself (see ``run_parallel``).
    """
    from gov_disclosure.batch import run_parallel

    return run_parallel(
        func,
        sources,
        jobs=args.jobs,
        progress=progress.step,
        executor=executor,
        retries=state.retries,
        share=share,
    )
