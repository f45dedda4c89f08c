"""Table 4 (行政复议、行政诉讼情况): 15 cells in three blocks of five."""

from __future__ import annotations

import re

from gov_disclosure.parsing.document import Provenance
from gov_disclosure.parsing.glued import RunTooLongError, table4_candidates
from gov_disclosure.parsing.labels import normalize, table4_blocks
from gov_disclosure.parsing.tables.cells import CellReader, fit_values, may_add_up, short

__all__ = ["BLOCK_COLUMNS", "block_of", "blocks_in", "read_table4"]

BLOCK_COLUMNS = ("upheld", "corrected", "other", "pending", "total")

_BLOCK_CONTEXT = (
    ("未经复议直接起诉", "review_litigation.litigation_direct"),
    ("复议后起诉", "review_litigation.litigation_after_review"),
    ("行政复议", "review_litigation.administrative_review"),
)


def blocks_in(text: str) -> list[str]:
    """The table-4 blocks a text names (复议后起诉 is not also 行政复议)."""
    norm = normalize(text)
    found = []
    for needle, key in _BLOCK_CONTEXT:
        if needle in norm:
            found.append(key)
            norm = norm.replace(needle, "")
    return found


def block_of(text: str) -> str | None:
    """The one table-4 block a text names, or ``None`` (none, or several: a header row)."""
    blocks = blocks_in(text)
    return blocks[0] if len(blocks) == 1 else None


def read_table4(reader: CellReader, rows: list[tuple[str | None, list[str], str]]) -> None:
    """Read table 4 from its rows: ``(block or None, values, location)``.

    A row of 15 values is the whole table; a row of 5 belongs to the block it names (or the
    block heading before it).
    """
    blocks = [b.key for b in table4_blocks()]
    every = [f"{b}.{c}" for b in blocks for c in BLOCK_COLUMNS]
    for block, values, location in rows:
        edges = not reader.cell_per_line
        count = 15 if block is None else 5
        printed, values = values, fit_values(values, count, edges=edges)
        if len(values) == count < len(printed) and not may_add_up(values, 5):
            # trimmed empty edge cells that leave a block not adding up may be cells, and a
            # value a stray one
            values = printed
        if block is None and len(values) == 15:
            for i, raw in enumerate(values):
                reader.set_cell(f"{blocks[i // 5]}.{BLOCK_COLUMNS[i % 5]}", raw, location)
        elif block is not None and len(values) == 5:
            for column, raw in zip(BLOCK_COLUMNS, values, strict=True):
                reader.set_cell(f"{block}.{column}", raw, location)
        elif block is None and len(values) == 1 and reader.glued:
            _split_table4(reader, values[0], location, blocks)
        else:
            # the cells it may have held are unread, never blank (those read elsewhere stay)
            reader.diag(
                "value_count",
                "warning",
                f"table 4 row with {len(values)} values for "
                f"{15 if block is None else 5} cells; its cells left unread",
                every if block is None else [f"{block}.{c}" for c in BLOCK_COLUMNS],
                location,
            )
    missing = [a for a in every if a not in reader.cells]
    if len(missing) == 15:
        reader.diag("table_not_found", "warning", "table 4 not found; cells left unread", missing)
    elif missing and rows:
        named = {a for d in reader.diagnostics for a in d.addresses}
        if any(a not in named for a in missing):
            reader.diag(
                "row_not_found",
                "warning",
                "table 4 cells not found in the rows read; left unread",
                [a for a in missing if a not in named],
            )


def _split_table4(reader: CellReader, run: str, location: str, blocks: list[str]) -> None:
    digits = re.sub(r"\s+", "", run)
    addresses = [f"{b}.{c}" for b in blocks for c in BLOCK_COLUMNS]
    if reader.hides_blanks(run, addresses, location):
        return
    try:
        found = table4_candidates(digits) if digits.isdigit() else []
    except RunTooLongError as exc:
        reader.diag(
            "too_long",
            "warning",
            f"table 4 digits: {exc}; cells left unread",
            addresses,
            location,
        )
        return
    if len(found) == 1:
        for address, number in zip(addresses, found[0], strict=True):
            reader.cells[address] = number
            reader.provenance[address] = Provenance(run, location, "split of a glued run")
        return
    code = "ambiguous" if found else "unsplittable"
    reader.diag(
        code,
        "warning",
        f"table 4 digits {short(run)}: {len(found)} valid splits; cells left unread",
        addresses,
        location,
    )
