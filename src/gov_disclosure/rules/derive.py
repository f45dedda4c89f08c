"""Derive a report's totals from its leaves, using the rule set's sum identities.

Report generators (and test factories) fill in the leaves and let the library compute every
total, so that the published tables satisfy the 勾稽关系 by construction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from gov_disclosure.model.addressing import cells, with_cell
from gov_disclosure.model.report import Report2019, Report2021
from gov_disclosure.model.tables import APPLICANT_COLUMNS
from gov_disclosure.rules.definitions import SUM_RULES, rule_set

__all__ = ["derive_totals"]

R = TypeVar("R", bound=Report2021 | Report2019)


def _sum(values: Iterable[Any]) -> Any:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def derive_totals(report: R, *, keep: Iterable[str] = (), balance: bool = True) -> R:
    """Return a copy of ``report`` whose totals are computed from their parts.

    Every cell that is the total of a sum identity (row totals of table 3, （七）总计 and the
    table-4 block totals) is set to the sum of its parts; it stays blank when all its parts
    are blank. With ``balance``, ``四、结转下年度继续办理`` is then set per column so that
    一 + 二 = （七） + 四 holds (or, when the carried-forward cell is kept, 一 is).

    Unread cells are never used: a total with an unread part (or an unread total) is left as
    it is, and so is every total and balance that depends on it.

    Args:
        report: A report of either edition.
        keep: Addresses that must not be changed (values set on purpose).
        balance: Also solve the balance identity.

    Raises:
        ValueError: if the balance cannot hold with non-negative counts (more requests
            concluded than received and carried over).
    """
    kept = set(keep)
    layout = rule_set(report.format).layout_for(report)
    values: dict[str, Any] = {c.address: c.value for c in cells(report)}
    sums = [i for i in layout.identities if i.rule in SUM_RULES]
    # unread cells, and every total that would be computed from one, are unknown
    unknown = set(report.unread)
    for _ in range(3):
        for identity in sums:
            if any(t.cell in unknown for t in identity.right):
                unknown.add(identity.left[0].cell)

    def derive_sums() -> None:
        for _ in range(3):  # totals of totals settle in at most three passes
            changed = False
            for identity in sums:
                target = identity.left[0].cell
                if target in kept or target in unknown:
                    continue
                value = _sum(values[t.cell] for t in identity.right)
                if values[target] != value:
                    values[target] = value
                    changed = True
            if not changed:
                return

    derive_sums()
    if balance:
        for column in APPLICANT_COLUMNS[:-1]:
            new = f"requests.new_received.{column}"
            over = f"requests.carried_over.{column}"
            concluded = f"requests.outcomes.total.{column}"
            forward = f"requests.carried_forward.{column}"
            if all(values[a] is None for a in (new, over, concluded, forward)):
                continue
            if unknown.intersection((new, over, concluded, forward)):
                continue
            n, o, c, f = (values[a] or 0 for a in (new, over, concluded, forward))
            target, value = (new, c + f - o) if forward in kept else (forward, n + o - c)
            if target in kept:
                continue
            if value < 0:
                raise ValueError(
                    f"cannot balance column {column}: received {n} + carried over {o} is less "
                    f"than concluded {c}" + (f" + carried forward {f}" if forward in kept else "")
                )
            values[target] = value
        derive_sums()
    result = report
    for cell in cells(report):
        if values[cell.address] != cell.value:
            result = with_cell(result, cell.address, values[cell.address])
    return result
