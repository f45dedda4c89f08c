"""Table 3 (收到和处理政府信息公开申请情况): rows by label, unlabelled rows by template order."""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from gov_disclosure.model.tables import APPLICANT_COLUMNS
from gov_disclosure.parsing.document import Provenance
from gov_disclosure.parsing.glued import RunTooLongError, row_candidates, solve_columns
from gov_disclosure.parsing.labels import (
    RowLabel,
    match_row,
    normalize,
    strip_ordinal,
    table3_rows,
)
from gov_disclosure.parsing.tables.cells import (
    CellReader,
    fit_values,
    may_add_up,
    printed_tokens,
    short,
)

__all__ = [
    "Table3Row",
    "fragment_candidates",
    "match_table3",
    "read_table3",
    "settle_other_rows",
]


@attrs.define
class Table3Row:
    """A printed table-3 row: its row key (``None`` when unlabelled) and values."""

    key: str | None
    values: list[str]
    location: str
    candidates: tuple[str, ...] = ()
    """For a row labelled by a fragment (``行政机关不再处理其政府信息公``): the rows whose
    label holds it; the order of the rows placed around it must leave exactly one."""


def fragment_candidates(labels: list[str], single: bool = False) -> tuple[str, ...]:
    """The table-3 rows whose label holds the text of these label cells, in template order.

    The cells are joined (a converter may spread one label over several) and must hold four
    characters or more.
    """
    core = strip_ordinal(normalize("".join(labels)))
    if len(core) < 4:
        return ()
    return tuple(r.key.removeprefix("requests.") for r in table3_rows(single) if core in r.core)


_HEADER_WORDS = frozenset(
    normalize(w)
    for w in (
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
        "法人或其他组织",
        "申请人情况",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
    )
)


MAX_LABEL_CELLS = 8
"""Most distinct label cells of one row tried against table 3's labels, nearest the values
first. The template prints at most three (group, sub-group, row); a row with more is not one
of its rows, and each try may cost a fuzzy match against every row label."""


def match_table3(labels: list[str], group: str | None) -> RowLabel | None:
    """The table-3 row a row's label cells name (column headers skipped), if any.

    A cell spanning several columns repeats its text in each (HTML ``colspan``, a merged
    cell of a PDF or Word table): each text is tried once.
    """
    rows = table3_rows(False)
    tried: set[str] = set()
    for label in reversed(labels):
        if label in tried:
            continue
        if len(tried) == MAX_LABEL_CELLS:
            break
        tried.add(label)
        if normalize(label) in _HEADER_WORDS:
            continue  # a column header, not a row label
        row, _ = match_row(label, rows, group=group)
        if row is not None:
            return row
    return None


def settle_other_rows(observations: list[Table3Row], edition: str) -> list[Table3Row]:
    """The printed table-3 rows, with a lone （六）其他处理 row told from a 2021 one.

    A row labelled （六）其他处理 with values of its own is the single row of the 2019 table
    (and of a hybrid 2021 report). Beside the 2021 rows of 其他处理 (1.申请人无正当理由逾期不补正
    ...) it is one of them whose own label a converter lost: unlabelled, placed by order.
    """
    if edition == "2019" or not any(
        (o.key or "").startswith("outcomes.other.") for o in observations
    ):
        return observations
    return [attrs.evolve(o, key=None) if o.key == "outcomes.other" else o for o in observations]


def read_table3(reader: CellReader, observations: list[Table3Row]) -> None:
    """Read the printed table-3 rows, then split glued runs with the column identities.

    Rows not printed, or printed without values, are named with the reason.
    """
    single = any(o.key == "outcomes.other" for o in observations) or reader.edition == "2019"
    rows = table3_rows(single)
    order = [r.key.removeprefix("requests.") for r in rows]
    placed, conflicting = _place_by_order(reader, observations, order)
    glued: dict[str, tuple[str, str]] = {}
    for key, obs in placed.items():
        values = fit_values(obs.values, 7, edges=not reader.cell_per_line)
        base = f"requests.{key}"
        if len(values) == 7 and len(obs.values) > 7 and not may_add_up(values, 7):
            reader.diag(
                "value_count",
                "warning",
                f"{len(obs.values)} values for the 7 cells of the row, and without its empty "
                "edge cells the row does not add up: they may be cells, and a value a stray "
                "one; row left unread",
                [f"{base}.{c}" for c in APPLICANT_COLUMNS],
                obs.location,
            )
        elif len(values) == 7:
            for column, raw in zip(APPLICANT_COLUMNS, values, strict=True):
                reader.set_cell(f"{base}.{column}", raw, obs.location)
        elif (
            reader.glued
            and len(values) == 1
            and re.fullmatch(r"[\d\s]+", values[0])
            and values[0].strip()
        ):
            addresses = [f"{base}.{c}" for c in APPLICANT_COLUMNS]
            if not reader.hides_blanks(values[0], addresses, obs.location):
                glued[key] = (re.sub(r"\s+", "", values[0]), obs.location)
        else:
            reader.diag(
                "value_count",
                "warning",
                f"{len(values)} values for the 7 cells of the row; row left unread",
                [f"{base}.{c}" for c in APPLICANT_COLUMNS],
                obs.location,
            )
    for key in order:
        if key not in placed and key not in conflicting:
            code, message = (
                ("no_values", "row label found without values; cells left unread")
                if key in reader.labels_without_values
                else ("row_not_found", "row not found in the source; cells left unread")
                if observations
                else ("table_not_found", "table 3 not found; cells left unread")
            )
            reader.diag(
                code, "warning", message, [f"requests.{key}.{c}" for c in APPLICANT_COLUMNS]
            )
    if glued:
        _solve_glued(reader, glued, order)


def _place_fragments(pending: list[Table3Row], gap: list[str]) -> dict[str, Table3Row] | None:
    """Place rows labelled by fragments (and the unlabelled rows among them) in a gap.

    As many rows as places: in order, each fragment row on one of its candidates. Fewer:
    only fragment rows, each with exactly one candidate left in the gap. Else ``None``.
    """
    if not any(p.candidates for p in pending):
        return None
    if len(pending) == len(gap):
        if all(
            not p.candidates or key in p.candidates for key, p in zip(gap, pending, strict=True)
        ):
            return dict(zip(gap, pending, strict=True))
        return None
    if any(not p.candidates for p in pending):
        return None
    out: dict[str, Table3Row] = {}
    for row in pending:
        left = [k for k in gap if k in row.candidates and k not in out]
        if len(left) != 1:
            return None
        out[left[0]] = row
    return out


def _place_by_order(
    reader: CellReader, observations: list[Table3Row], order: list[str]
) -> tuple[dict[str, Table3Row], set[str]]:
    """Place the table-3 rows: labelled ones by label, unlabelled ones by order.

    Labelled rows anchor at their template place; unlabelled rows fill the gaps between
    anchors in order, but only where their number equals the gap's. A row printed again
    with the same values is read once; printed again with other values, neither printing
    proves its cells, and they are left unread (``conflicting``), as in table 2.

    Returns:
        The rows placed, by key, and the keys printed with conflicting values.
    """
    placed: dict[str, Table3Row] = {}
    conflicting: set[str] = set()
    pending: list[Table3Row] = []
    position = 0
    for obs in [*observations, Table3Row("__end__", [], "")]:
        if obs.key is None:
            pending.append(obs)
            continue
        if obs.key != "__end__" and obs.key not in order:
            # a 2021 row of 其他处理 in a report of the 2019 edition (given, or told by its
            # other tables): not a cell of this edition
            reader.diag(
                "unmatched_row",
                "warning",
                f"row {obs.key!r} is not a row of the {reader.edition} edition's table 3",
                (),
                obs.location,
            )
            continue
        index = len(order) if obs.key == "__end__" else order.index(obs.key)
        gap = [k for k in order[position:index] if k not in placed]
        if pending:
            by_fragment = _place_fragments(pending, gap)
            if by_fragment is not None:
                for key, row in by_fragment.items():
                    placed[key] = row
                    reader.diag(
                        "label_fragment",
                        "info",
                        "row labelled by a fragment of its label; placed where the rows "
                        "around it leave one place",
                        [f"requests.{key}.{c}" for c in APPLICANT_COLUMNS],
                        row.location,
                    )
            elif len(pending) == len(gap) and not any(p.candidates for p in pending):
                for key, unlabelled in zip(gap, pending, strict=True):
                    placed[key] = unlabelled
                    reader.diag(
                        "placed_by_order",
                        "info",
                        "row printed without its label; placed by template order",
                        [f"requests.{key}.{c}" for c in APPLICANT_COLUMNS],
                        unlabelled.location,
                    )
            else:
                for unlabelled in pending:
                    reader.diag(
                        "unmatched_row",
                        "warning",
                        f"row of values without a label ({' '.join(unlabelled.values)}) "
                        f"cannot be placed: {len(pending)} such rows for {len(gap)} places",
                        (),
                        unlabelled.location,
                    )
            pending = []
        if obs.key != "__end__":
            first = placed.get(obs.key)
            if first is None:
                placed[obs.key] = obs
            elif not reader.printed_again(
                obs.key,
                (printed_tokens(first.values), first.location),
                (printed_tokens(obs.values), obs.location),
                [f"requests.{obs.key}.{c}" for c in APPLICANT_COLUMNS],
            ):
                conflicting.add(obs.key)
            position = max(position, index + 1)
    for key in conflicting:  # neither printing proves the cells
        del placed[key]
    return placed, conflicting


def _solve_glued(reader: CellReader, glued: dict[str, tuple[str, str]], order: list[str]) -> None:
    candidates: dict[str, Sequence[tuple[int, ...]]] = {}
    for key, (digits, location) in glued.items():
        try:
            found = row_candidates(digits)
        except RunTooLongError as exc:
            reader.diag(
                "too_long",
                "warning",
                f"glued digits {short(digits)}: {exc}; row left unread",
                [f"requests.{key}.{c}" for c in APPLICANT_COLUMNS],
                location,
            )
            continue
        if not found:
            reader.diag(
                "unsplittable",
                "warning",
                f"glued digits {short(digits)}: no split into counts (each at most 2**53 - 1) "
                "adds up to the row total; row left unread",
                [f"requests.{key}.{c}" for c in APPLICANT_COLUMNS],
                location,
            )
            continue
        candidates[key] = found
    leaves = [k for k in order if k.startswith("outcomes.") and k != "outcomes.total"]

    def value(choice: dict[str, tuple[int, ...]], key: str, column: int) -> int | None:
        """A cell for the column identities: ``None`` when nobody read it (blank counts 0)."""
        if key in choice:
            return choice[key][column]
        address = f"requests.{key}.{APPLICANT_COLUMNS[column]}"
        if address not in reader.cells:
            return None
        cell = reader.cells[address]
        return cell if isinstance(cell, int) else 0

    def holds(left: list[int | None], right: list[int | None]) -> bool:
        """An identity that needs an unread cell cannot choose a split: it holds."""
        if None in left or None in right:
            return True
        return sum(v for v in left if v is not None) == sum(v for v in right if v is not None)

    def check(choice: dict[str, tuple[int, ...]]) -> bool:
        for column in range(7):
            total = value(choice, "outcomes.total", column)
            if not holds([value(choice, k, column) for k in leaves], [total]):
                return False
            received = [value(choice, k, column) for k in ("new_received", "carried_over")]
            if not holds(received, [total, value(choice, "carried_forward", column)]):
                return False
        return True

    decided, ambiguous = solve_columns(candidates, check)
    for key, split in decided.items():
        digits, location = glued[key]
        for column, number in zip(APPLICANT_COLUMNS, split, strict=True):
            address = f"requests.{key}.{column}"
            reader.cells[address] = number
            reader.provenance[address] = Provenance(digits, location, "split of a glued run")
    for key in sorted(ambiguous):
        digits, location = glued[key]
        reader.diag(
            "ambiguous",
            "warning",
            f"glued digits {short(digits)}: {len(candidates[key])} splits fit the row and "
            "the column identities do not single one out; row left unread",
            [f"requests.{key}.{c}" for c in APPLICANT_COLUMNS],
            location,
        )
