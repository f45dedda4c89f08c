"""Table 2 (主动公开政府信息情况): one row per template row, its cells by the model's layout."""

from __future__ import annotations

import functools
import re
from decimal import Decimal

import attrs

from gov_disclosure.model.fields import info
from gov_disclosure.model.report import report_class
from gov_disclosure.parsing.document import Provenance
from gov_disclosure.parsing.glued import RunTooLongError, digit_splits
from gov_disclosure.parsing.tables.cells import CellReader, fit_values, printed_tokens, short
from gov_disclosure.parsing.values import ANNOTATION_PATTERN
from gov_disclosure.serialization.leaves import MONEY_RE

__all__ = ["decide_by_text", "read_table2_row", "table2_layout"]


@functools.cache
def table2_layout(edition: str) -> dict[str, list[tuple[str, str]]]:
    """Table-2 row key -> its cells' (column key, kind), from the model."""
    blank = report_class(edition).blank_tables()["proactive_disclosure"]
    return {
        row.name: [
            (a.name, info(a).kind)
            for a in attrs.fields(type(getattr(blank, row.name)))
            if info(a).is_cell
        ]
        for row in attrs.fields(type(blank))
    }


_MONEY_UNIT = re.compile(r"(万元|元)\s*$")
_COUNT_UNIT = re.compile(r"\d\s*(件|个|项|条|次)\s*$")
# The 2019 本年增/减 column: a sign or a word before its digits is a cell boundary.
_SIGN = re.compile(r"增加|减少|[增减+\-]")
_SIGN_SPACE = re.compile(r"(增加|减少|[增减])\s+(?=\d)")
_SPACES = re.compile(r"[\s\u3000]+")
_ANNOTATION = re.compile(ANNOTATION_PATTERN)
# what an annotation says of the figure it follows: 其中修订 is an issued (制发) figure,
# 含自然失效 a repealed (废止) one
_ANNOTATION_COLUMNS = (
    (re.compile("修订|制发|新制"), ("issued", "made")),
    (re.compile("失效|废止"), ("repealed",)),
)


def read_table2_row(
    reader: CellReader,
    key: str,
    values: list[str],
    location: str,
    *,
    unit: str | None = None,
    wide: bool = False,
) -> None:
    """Read one printed table-2 row (``key``) into its cells.

    The values are the row's cells when their number fits the layout; one glued run is split
    only in crawler text and only when a single split exists; otherwise the row is left unread.

    Args:
        reader: The cell reader.
        key: The row key (``fees``).
        values: The printed value cells.
        location: Where the row was printed.
        unit: The money unit the row's label or column header prints (``元``, ``万元``), for
            amounts printed without one.
        wide: The row is wider than its header (see :func:`fit_values`).
    """
    unit = unit or reader.money_unit
    columns = table2_layout(reader.edition)[key]
    base = f"proactive_disclosure.{key}"
    if any(kind == "signed" for _, kind in columns):  # 减 12 is one cell: 减12
        values = [_SIGN_SPACE.sub(r"\1", v) for v in values]
    if not _first_printing(reader, key, values, [f"{base}.{c}" for c, _ in columns], location):
        return
    if len(values) == 1 and len(columns) > 1 and _ANNOTATION.search(values[0]):
        _annotated_run(reader, base, columns, values[0], location, unit)
        return
    values = fit_values(values, len(columns), edges=not reader.cell_per_line, wide=wide)
    if len(values) == len(columns):
        misfit = [
            raw
            for (_, kind), raw in zip(columns, values, strict=True)
            if (_COUNT_UNIT if kind == "money" else _MONEY_UNIT).search(raw)
        ]
        if misfit:  # an amount in a count column: the row's columns are not the template's
            reader.diag(
                "illegible",
                "warning",
                f"{misfit[0].strip()!r}: the unit does not fit its column; row left unread",
                [f"{base}.{c}" for c, _ in columns],
                location,
            )
            return
        for (column, kind), raw in zip(columns, values, strict=True):
            _unit_aware(reader, f"{base}.{column}", raw, location, kind, unit)
        return
    if len(values) == 1 and len(columns) > 1 and reader.glued:
        _split_table2(reader, base, columns, values[0], location, unit)
        return
    reader.diag(
        "value_count",
        "warning",
        f"{len(values)} values for {len(columns)} cells; row left unread",
        [f"{base}.{c}" for c, _ in columns],
        location,
    )


def _first_printing(
    reader: CellReader, key: str, values: list[str], addresses: list[str], location: str
) -> bool:
    """Whether this is the row's first printing in table 2 (the one to read).

    A row printed again with the same values is noted and skipped. Printed again with other
    values, neither printing proves the cells: whatever the first one gave (values, or an
    ambiguous run) is withdrawn and the cells are unread ``conflicting``.
    """
    printed = (printed_tokens(values), location)
    first = reader.table2_printed.get(key)
    if first is None:
        reader.table2_printed[key] = printed
        return True
    if not reader.printed_again(key, first, printed, addresses):
        for address in addresses:
            reader.cells.pop(address, None)
            reader.provenance.pop(address, None)
        if key == "procurement":
            reader.cells.pop(f"proactive_disclosure.{key}.amount_unit", None)
    return False


def _unit_aware(
    reader: CellReader, address: str, raw: str, location: str, kind: str, unit: str | None
) -> None:
    """Read a cell with its money unit (the row's units fit their columns).

    The 2019 procurement amount keeps its unit in
    ``amount_unit``; the 2021 fee amount is in 万元 by the template, so an amount printed in
    元 is converted exactly (2450元 is 0.245万元) and the conversion is named.
    """
    if kind != "money":
        reader.set_cell(address, raw, location, kind=kind)
        return
    money = _MONEY_UNIT.search(raw)
    unit = money.group(1) if money else unit
    if address.endswith(".amount"):  # 2019 procurement: the unit has a cell of its own
        if unit:
            reader.cells[address.replace(".amount", ".amount_unit")] = unit
        reader.set_cell(address, raw, location, kind=kind)
        return
    reader.set_cell(address, raw, location, kind=kind)
    value = reader.cells.get(address)
    if unit == "元" and isinstance(value, Decimal) and address.endswith("_wan_yuan"):
        converted = (value / 10_000).normalize()
        text = format(converted, "f")
        if not MONEY_RE.fullmatch(text):  # past the model's places: not a value to hold
            del reader.cells[address]
            reader.provenance.pop(address, None)
            reader.diag(
                "illegible",
                "warning",
                f"{raw.strip()!r} in 万元 ({text}) has more decimal places than an amount may",
                [address],
                location,
            )
            return
        reader.cells[address] = Decimal(text)
        reader.provenance[address] = Provenance(raw, location, f"{value}元 = {text}万元")
        reader.diag(
            "unit",
            "info",
            f"{raw.strip()!r} is printed in 元; read as {text} 万元 (the template's unit)",
            [address],
            location,
        )


def _split_table2(
    reader: CellReader,
    base: str,
    columns: list[tuple[str, str]],
    run: str,
    location: str,
    context_unit: str | None,
) -> None:
    if reader.hides_blanks(run, [f"{base}.{c}" for c, _ in columns], location):
        return
    compact = re.sub(r"\s+", "", run)
    unit = _MONEY_UNIT.search(compact)
    if unit:
        compact = compact[: unit.start()]
    if (unit or context_unit) and any(c == "amount" for c, _ in columns):
        reader.cells[f"{base}.amount_unit"] = unit.group(1) if unit else context_unit
    addresses = [f"{base}.{c}" for c, _ in columns]
    signed = next((i for i, (_, kind) in enumerate(columns) if kind == "signed"), None)
    signs = list(_SIGN.finditer(compact))
    if (
        signed is not None
        and len(signs) == 1
        and 0 < signs[0].start() < signs[0].end() < len(compact)
    ):
        # 16减12, 2648-18538: the sign starts the 本年增/减 cell, so the digits before it
        # are the cells before that column and the digits after it the rest
        word = signs[0]
        sign = "-" if word.group() in ("减", "减少", "-") else ""
        head, tail = compact[: word.start()], compact[word.end() :]
        _split_part(reader, base, columns[:signed], head, run, location, "")
        _split_part(reader, base, columns[signed:], tail, run, location, sign)
        return
    if not re.fullmatch(r"\d+(\.\d+)?", compact):
        reader.diag("illegible", "warning", f"cannot read {run!r}", addresses, location)
        return
    _split_part(reader, base, columns, compact, run, location, "")


def _annotated_run(
    reader: CellReader,
    base: str,
    columns: list[tuple[str, str]],
    run: str,
    location: str,
    unit: str | None,
) -> None:
    """Read one printed run holding annotations (``22（其中修订16件）5310``).

    A converter may also have put them between the values (``22`` / ``（其中修订16件） 55``).
    The value is the number before an annotation, never its digits glued to the
    annotation's; an annotation ends the cell it follows. Spaces and annotations cut the
    run into tokens: as many tokens as cells are the cells; fewer (glued digits, crawler
    text only) are split where exactly one reading exists, the annotation's meaning (修订:
    issued, 失效: repealed) placing its cell when the row is otherwise short of values. A cell
    on which every remaining reading agrees is read; the others stay unread.
    """
    addresses = [f"{base}.{c}" for c, _ in columns]
    tokens: list[str] = []
    ends: dict[int, str] = {}  # token index -> the annotation that follows it
    position = 0
    for match in _ANNOTATION.finditer(run):
        chunk = run[position : match.start()].strip()
        tokens += _SPACES.split(chunk) if chunk else []
        if tokens:
            ends[len(tokens) - 1] = match.group()
        position = match.end()
    rest = run[position:].strip()
    tokens += _SPACES.split(rest) if rest else []
    for note in dict.fromkeys(ends.values()):
        reader.diag("annotation", "info", f"{note} kept as a note, not a value", (), location)
    if len(tokens) == len(columns) and all(t.isdigit() for t in tokens):
        for (column, kind), token in zip(columns, tokens, strict=True):
            _unit_aware(reader, f"{base}.{column}", token, location, kind, unit)
        return
    if not reader.glued or not all(t.isdigit() for t in tokens) or not tokens:
        reader.diag(
            "value_count",
            "warning",
            f"{short(run)}: {len(tokens)} values for {len(columns)} cells; row left unread",
            addresses,
            location,
        )
        return
    if reader.hides_blanks("".join(tokens), addresses, location):
        return
    names = [c for c, _ in columns]
    fixed = {}
    for index, note in ends.items():
        for pattern, targets in _ANNOTATION_COLUMNS:
            target = next((names.index(t) for t in targets if t in names), None)
            if pattern.search(note) and target is not None:
                fixed[index] = target
    readings = _readings(tokens, len(columns), fixed)
    if readings is None:
        reader.diag(
            "ambiguous",
            "warning",
            f"glued digits {short(run)} admit more than {_MAX_READINGS} splits around the "
            "annotation; row left unread",
            addresses,
            location,
        )
        return
    if not readings:
        reader.diag("unsplittable", "warning", f"cannot split {short(run)}", addresses, location)
        return
    unsure = []
    for i, ((_, kind), address) in enumerate(zip(columns, addresses, strict=True)):
        values = {reading[i] for reading in readings}
        if len(values) == 1:
            reader.set_cell(address, str(values.pop()), location, kind=kind)
            reader.provenance[address] = Provenance(run, location, "an annotation ends its cell")
        else:
            unsure.append(address)
    if unsure:
        reader.diag(
            "ambiguous",
            "warning",
            f"glued digits {short(run)} admit several splits around the annotation; "
            "those cells left unread",
            unsure,
            location,
        )


_MAX_TEXT_SPLITS = 1000
"""Most splits of a glued row the report's text is compared with; past it, none is chosen."""

_MAX_READINGS = 50
"""Most readings of an annotated run enumerated; past it the run is not read at all."""


def _readings(tokens: list[str], cells: int, fixed: dict[int, int]) -> list[tuple[int, ...]] | None:
    """Every way to read ``tokens`` as ``cells`` values, in order.

    Each token is one cell or more; ``fixed`` maps a token's index to its last cell's column.

    Returns:
        The readings, or ``None`` when there are more than :data:`_MAX_READINGS` (or a
        token's run is too long to split): cells on which part of the readings agree are
        not proven, so no cell may be read from an incomplete list.
    """
    out: list[tuple[int, ...]] = []
    complete = True

    def place(index: int, start: int, done: tuple[int, ...]) -> None:
        nonlocal complete
        if not complete:
            return
        if index == len(tokens):
            if start == cells:
                out.append(done)
                complete = len(out) <= _MAX_READINGS
            return
        left = len(tokens) - index - 1  # tokens after this one need a cell each
        for width in range(1, cells - start - left + 1):
            if index in fixed and start + width - 1 != fixed[index]:
                continue
            try:
                splits = digit_splits(tokens[index], width, limit=_MAX_READINGS + 1)
            except RunTooLongError:
                complete = False
                return
            if len(splits) > _MAX_READINGS:
                complete = False
                return
            for split in splits:
                place(index + 1, start + width, (*done, *split))

    place(0, 0, ())
    return out if complete else None


def _split_part(
    reader: CellReader,
    base: str,
    columns: list[tuple[str, str]],
    digits: str,
    run: str,
    location: str,
    sign: str,
) -> None:
    """Split ``digits`` (a decimal point only in the last cell) into ``columns``, if proven.

    ``sign`` (``-`` or empty) is the sign printed before the first of these cells.
    """
    addresses = [f"{base}.{c}" for c, _ in columns]
    if not re.fullmatch(r"\d+(\.\d+)?", digits):
        reader.diag("illegible", "warning", f"cannot read {run!r}", addresses, location)
        return
    head, _, decimals = digits.partition(".")
    try:
        splits = digit_splits(head, len(columns))
    except RunTooLongError as exc:
        reader.diag(
            "too_long",
            "warning",
            f"glued digits: {exc}; cells left unread",
            addresses,
            location,
        )
        return
    if len(splits) > 1 and not sign and not decimals:
        reader.undecided.append((base, tuple(c for c, _ in columns), head, location))
    if len(splits) == 1:
        note = "split of a glued run" if len(columns) > 1 else "a sign is a cell boundary"
        for i, ((column, kind), value) in enumerate(zip(columns, splits[0], strict=True)):
            text = (sign if i == 0 else "") + str(value)
            if decimals and column == columns[-1][0]:
                text += "." + decimals
            reader.set_cell(f"{base}.{column}", text, location, kind=kind)
            if f"{base}.{column}" in reader.cells:
                reader.provenance[f"{base}.{column}"] = Provenance(run, location, note)
        return
    reader.diag(
        "ambiguous" if splits else "unsplittable",
        "warning",
        f"glued digits {short(run)} admit several splits and no identity decides; cells left unread"
        if splits
        else f"glued digits {short(run)} are too few for {len(columns)} cells; left unread",
        addresses,
        location,
    )


def decide_by_text(reader: CellReader, texts: dict[str, str | None], *, region_wide: bool) -> None:
    """Read the ambiguous glued table-2 runs that the report's own text decides.

    A sentence of the text parts that states the figure of exactly such a cell
    (``本年制发规范性文件7件``, found by the claim patterns of ``text.table_mismatch``, with
    its skip rules: no 其中, 同比, 约, 全市...) keeps the splits that agree with it; when
    exactly one remains, its values are read and a ``decided_by_text`` diagnostic names the
    sentence. Two sentences stating different figures for one cell decide nothing; nothing
    from another report or year is ever used.

    Args:
        reader: The reader, after the tables were scanned.
        texts: The report's text parts (``overview``, ``other``...).
        region_wide: Whether figures for a whole region (全区...) are the body's own.
    """
    if not reader.undecided:
        return
    from gov_disclosure.rules.prose import extract_claims

    stated: dict[str, set[int]] = {}
    quotes: dict[str, str] = {}
    for section, text in texts.items():
        for claim in extract_claims(text or "", section, region_wide=region_wide):
            cells = claim.pattern.cells.get(reader.edition, ())
            if len(cells) == 1:
                stated.setdefault(cells[0], set()).add(claim.value)
                quotes.setdefault(cells[0], claim.quote)
    for base, columns, digits, location in reader.undecided:
        addresses = [f"{base}.{c}" for c in columns]
        claims = {a: stated[a] for a in addresses if a in stated}
        if not claims or any(len(v) != 1 for v in claims.values()):
            continue  # the text says nothing of this row, or says two things
        try:
            splits = digit_splits(digits, len(columns), limit=_MAX_TEXT_SPLITS + 1)
        except RunTooLongError:
            continue
        if len(splits) > _MAX_TEXT_SPLITS:
            continue  # one split agreeing among the first ones proves nothing of the rest
        agreeing = [
            s
            for s in splits
            if all(s[addresses.index(a)] in values for a, values in claims.items())
        ]
        if len(agreeing) != 1 or any(a in reader.cells for a in addresses):
            continue
        sentence = "; ".join(dict.fromkeys(quotes[a] for a in claims))
        for address, value in zip(addresses, agreeing[0], strict=True):
            reader.cells[address] = value
            reader.provenance[address] = Provenance(
                digits, location, f"split decided by the text: {sentence}"
            )
        reader.diag(
            "decided_by_text",
            "info",
            f"glued digits {short(digits)} admit {len(splits)} splits; the text's "
            f"“{sentence if len(sentence) <= 60 else sentence[:59] + '…'}” leaves one: "
            f"{' / '.join(map(str, agreeing[0]))}",
            addresses,
            location,
        )
