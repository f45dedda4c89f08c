"""Splitting runs of digits glued together without separators (crawler text of HTML tables).

A run like ``640020470`` holds seven cells of a table-3 row. Every split into non-negative
integers (no leading zeros) is enumerated; the table's identities choose among them. When
more than one split survives, the cells are left unset and the caller reports them as
``ambiguous``: the parser never guesses.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence

__all__ = [
    "MAX_COMBINATIONS",
    "digit_splits",
    "row_candidates",
    "solve_columns",
    "table4_candidates",
]

MAX_COMBINATIONS = 200_000
"""Cap on the combinations :func:`solve_columns` tries before giving up (as ambiguous)."""


def digit_splits(digits: str, parts: int) -> Iterator[tuple[int, ...]]:
    """Every way to cut ``digits`` into ``parts`` integers without leading zeros."""
    if parts == 0:
        if not digits:
            yield ()
        return
    if len(digits) < parts:
        return
    if parts == 1:
        if digits == "0" or not digits.startswith("0"):
            yield (int(digits),)
        return
    longest = 1 if digits[0] == "0" else len(digits) - parts + 1
    for size in range(1, longest + 1):
        head = int(digits[:size])
        for tail in digit_splits(digits[size:], parts - 1):
            yield (head, *tail)


def row_candidates(digits: str, items: int = 6) -> list[tuple[int, ...]]:
    """Splits of a table-3 run into ``items`` cells and their total, where the total adds up."""
    return [s for s in digit_splits(digits, items + 1) if sum(s[:-1]) == s[-1]]


def table4_candidates(digits: str) -> list[tuple[int, ...]]:
    """Splits of a table-4 run into three blocks of four results and their total."""
    out: list[tuple[int, ...]] = []

    def blocks(rest: str, done: tuple[int, ...]) -> None:
        if len(done) == 15:
            if not rest:
                out.append(done)
            return
        for block in digit_splits_prefix(rest, 5):
            values, used = block
            if sum(values[:4]) == values[4]:
                blocks(rest[used:], done + values)

    blocks(digits, ())
    return out


def digit_splits_prefix(digits: str, parts: int) -> Iterator[tuple[tuple[int, ...], int]]:
    """Splits of a *prefix* of ``digits`` into ``parts`` integers, with the length used."""
    if parts == 0:
        yield (), 0
        return
    if not digits:
        return
    longest = 1 if digits[0] == "0" else len(digits)
    for size in range(1, longest + 1):
        head = int(digits[:size])
        for tail, used in digit_splits_prefix(digits[size:], parts - 1):
            yield (head, *tail), size + used


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
