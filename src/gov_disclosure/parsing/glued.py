"""Splitting runs of digits glued together without separators (crawler text of HTML tables).

A run like ``640020470`` holds seven cells of a table-3 row. The splits into non-negative
integers (no leading zeros) that satisfy the row's identity are enumerated; the table's
column identities then choose among them. When more than one split survives, the cells are
left unread and the caller reports them as ``ambiguous``: the parser never guesses.

Identities may *choose between* splits, never *veto the only one*: a run that can be cut in
exactly one way (``2000000`` into seven cells) is read as printed even when it does not add
up, and the checker reports the publication error. Unless it would add up with fewer cells
(:func:`adds_up_only_with_blanks`): that shows a text that may print nothing for a blank cell,
and then no run is split at all.

Every search here has a bounded cost: runs longer than :data:`MAX_RUN_DIGITS` and searches
that exceed :data:`MAX_STEPS` raise :class:`RunTooLongError`, which the reader turns into cells
unread with reason ``too_long``. The items of a row never exceed its total, which prunes
the search to the lengths a real table can have.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from gov_disclosure.model.fields import MAX_COUNT

__all__ = [
    "MAX_COMBINATIONS",
    "MAX_RUN_DIGITS",
    "MAX_STEPS",
    "RunTooLongError",
    "adds_up_only_with_blanks",
    "digit_splits",
    "row_candidates",
    "solve_columns",
    "table4_candidates",
]

MAX_COMBINATIONS = 200_000
"""Cap on the combinations :func:`solve_columns` tries before giving up (as ambiguous)."""

MAX_RUN_DIGITS = 120
"""Longest glued run split at all: 15 table-4 cells of 8 digits. Longer runs are ``too_long``."""

MAX_STEPS = 50_000
"""Work budget of one split search (search steps): at most about 60 ms on this machine."""


_COUNT_DIGITS = len(str(MAX_COUNT))


class RunTooLongError(Exception):
    """A glued run is too long (or its search too large) to split within the bounds."""


class _Budget:
    __slots__ = ("left",)

    def __init__(self) -> None:
        self.left = MAX_STEPS

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise RunTooLongError("the split search exceeded its work budget")


def _check_length(digits: str) -> None:
    if len(digits) > MAX_RUN_DIGITS:
        raise RunTooLongError(f"a run of {len(digits)} digits (the limit is {MAX_RUN_DIGITS})")


def _count(digits: str) -> bool:
    """Whether these digits can be one cell: a count the model holds (:data:`MAX_COUNT`)."""
    return len(digits) <= _COUNT_DIGITS and int(digits) <= MAX_COUNT


def _head_lengths(digits: str, start: int, parts: int) -> range:
    """Lengths the next number may take: one for a leading zero, else leave a digit per part."""
    if digits[start] == "0":
        return range(1, 2)
    return range(1, len(digits) - start - parts + 2)


def digit_splits(digits: str, parts: int, *, limit: int = 2) -> list[tuple[int, ...]]:
    """Up to ``limit`` ways to cut ``digits`` into ``parts`` integers without leading zeros.

    ``limit`` is enough to tell "exactly one" from "several".

    Raises:
        RunTooLongError: for a run longer than :data:`MAX_RUN_DIGITS` or a search over budget.
    """
    _check_length(digits)
    budget = _Budget()
    out: list[tuple[int, ...]] = []

    def walk(start: int, left: int, done: tuple[int, ...]) -> None:
        budget.spend()
        if len(out) >= limit:
            return
        remaining = len(digits) - start
        if left == 0:
            if remaining == 0:
                out.append(done)
            return
        if remaining < left:
            return
        if left == 1:
            if (digits[start] != "0" or remaining == 1) and _count(digits[start:]):
                out.append((*done, int(digits[start:])))
            return
        for size in _head_lengths(digits, start, left):
            if not _count(digits[start : start + size]):
                break  # longer heads are larger still
            walk(start + size, left - 1, (*done, int(digits[start : start + size])))

    walk(0, parts, ())
    return out


def _sum_splits(
    digits: str, start: int, end: int, parts: int, total: int, budget: _Budget
) -> list[tuple[int, ...]]:
    """Splits of ``digits[start:end]`` into ``parts`` integers adding up to ``total``."""
    out: list[tuple[int, ...]] = []
    width = len(str(total))  # no item exceeds the total

    def walk(pos: int, left: int, rest: int, done: tuple[int, ...]) -> None:
        budget.spend()
        remaining = end - pos
        if left == 0:
            if remaining == 0 and rest == 0:
                out.append(done)
            return
        if remaining < left or remaining > left * width:
            return
        if left == 1:
            if (digits[pos] != "0" or remaining == 1) and int(digits[pos:end]) == rest:
                out.append((*done, rest))
            return
        longest = 1 if digits[pos] == "0" else min(width, remaining - left + 1)
        for size in range(1, longest + 1):
            value = int(digits[pos : pos + size])
            if value > rest:
                break
            walk(pos + size, left - 1, rest - value, (*done, value))

    walk(start, parts, total, ())
    return out


def _block_candidates(
    digits: str, start: int, items: int, budget: _Budget, *, to_end: bool = False
) -> list[tuple[tuple[int, ...], int]]:
    """Blocks at ``start``: ``items`` numbers then their total, with the length each uses.

    With ``to_end`` the total must end the run (a table-3 row is a whole run).
    """
    out: list[tuple[tuple[int, ...], int]] = []
    for end_items in range(start + items, len(digits)):
        sizes = [len(digits) - end_items] if to_end else range(1, len(digits) - end_items + 1)
        for size in sizes:
            budget.spend()
            printed = digits[end_items : end_items + size]
            if (printed[0] == "0" and size > 1) or not _count(printed):
                break  # a leading zero, or more than any count: so are the longer ones
            total = int(printed)
            if end_items - start > items * len(str(total)):
                continue  # the items would need more digits than the total allows
            for split in _sum_splits(digits, start, end_items, items, total, budget):
                out.append(((*split, total), end_items + size - start))
    return out


def row_candidates(digits: str, items: int = 6) -> list[tuple[int, ...]]:
    """Splits of a table-3 run into ``items`` cells and their total.

    The splits whose items add up to the total; if the run can be cut in exactly one way
    whatever the sums, that one split (the identities never veto the only reading).

    Raises:
        RunTooLongError: for a run beyond the bounds.
    """
    _check_length(digits)
    raw = digit_splits(digits, items + 1)
    if len(raw) == 1:
        return raw
    return [block for block, _ in _block_candidates(digits, 0, items, _Budget(), to_end=True)]


def adds_up_only_with_blanks(digits: str, items: int = 6) -> bool:
    """Whether a table-3 run adds up only if some of its cells printed nothing.

    No split into ``items`` cells and their total adds up, but a split into fewer cells
    does (``3008184``: 3, 0, 0, 8, 1, 8, 4 does not; 3, 0, 0, 81 and 84 do). Either the
    agency's row does not add up or the text dropped blank cells, and nothing in the run
    tells which: the text may not be split as if every cell printed a digit.

    Raises:
        RunTooLongError: for a run beyond the bounds.
    """
    _check_length(digits)
    budget = _Budget()
    if _block_candidates(digits, 0, items, budget, to_end=True):
        return False
    fewer = range(1, items)
    return any(_block_candidates(digits, 0, n, budget, to_end=True) for n in fewer)


def table4_candidates(digits: str) -> list[tuple[int, ...]]:
    """Splits of a table-4 run into three blocks of four results and their total.

    As for :func:`row_candidates`, a run with exactly one possible cut is read as printed.

    Raises:
        RunTooLongError: for a run beyond the bounds.
    """
    _check_length(digits)
    raw = digit_splits(digits, 15)
    if len(raw) == 1:
        return raw
    budget = _Budget()
    out: list[tuple[int, ...]] = []

    def blocks(start: int, done: tuple[int, ...]) -> None:
        budget.spend()
        if len(done) == 15:
            if start == len(digits):
                out.append(done)
            return
        for block, used in _block_candidates(digits, start, 4, budget):
            blocks(start + used, done + block)

    blocks(0, ())
    return out


def solve_columns(
    candidates: dict[str, Sequence[tuple[int, ...]]],
    check: Callable[[dict[str, tuple[int, ...]]], bool],
) -> tuple[dict[str, tuple[int, ...]], set[str]]:
    """Choose one split per row so that the column identities hold.

    Args:
        candidates: Row key -> the splits that satisfy the row's own identity.
        check: Whether a full choice satisfies every column identity.

    Returns:
        ``(decided, ambiguous)``: rows whose value is the same in every valid choice, and
        rows that differ between valid choices (or could not be decided at all).
    """
    fixed = {k: v[0] for k, v in candidates.items() if len(v) == 1}
    open_rows = [k for k, v in candidates.items() if len(v) > 1]
    if not open_rows:
        # Every row has one split: keep the printed values even where a column does not add
        # up (that is the checker's finding to make, not the parser's).
        return fixed, set()
    total = 1
    for key in open_rows:
        total *= len(candidates[key])
    if total > MAX_COMBINATIONS:
        return fixed, set(open_rows)
    solutions = []
    for combo in itertools.product(*(candidates[k] for k in open_rows)):
        choice = dict(fixed)
        choice.update(zip(open_rows, combo, strict=True))
        if check(choice):
            solutions.append(combo)
    if not solutions:
        return fixed, set(open_rows)
    decided = dict(fixed)
    ambiguous = set()
    for i, key in enumerate(open_rows):
        values = {s[i] for s in solutions}
        if len(values) == 1:
            decided[key] = solutions[0][i]
        else:
            ambiguous.add(key)
    return decided, ambiguous
