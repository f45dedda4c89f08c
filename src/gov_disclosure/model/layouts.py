"""The cells of each layout, and where each is printed: tables derived from the model.

This module sits above :mod:`~gov_disclosure.model.report` and
:mod:`~gov_disclosure.model.addressing` (it walks blank template reports), so that neither
of those imports the other.
"""

from __future__ import annotations

import functools

from gov_disclosure.model.addressing import cells
from gov_disclosure.model.report import template_report

__all__ = ["cell_addresses", "printed_location", "unread_addresses"]


@functools.cache
def cell_addresses(edition: str, hybrid: bool) -> frozenset[str]:
    """Every cell address of an edition's standard or hybrid table-3 layout."""
    return frozenset(c.address for c in cells(template_report(edition, hybrid=hybrid)))


def unread_addresses(edition: str) -> list[str]:
    """Cell addresses an unread mark may name in an edition, sorted.

    The 2021 edition has both table-3 layouts (standard and hybrid).
    """
    layouts = (False, True) if edition == "2021" else (False,)
    return sorted(set().union(*(cell_addresses(edition, h) for h in layouts)))


@functools.cache
def _printed_labels() -> dict[str, str]:
    tables = {"proactive_disclosure": "表二", "requests": "表三", "review_litigation": "表四"}
    out: dict[str, str] = {}
    for edition, hybrid in (("2021", False), ("2021", True), ("2019", False)):
        for c in cells(template_report(edition, hybrid=hybrid)):
            table = tables[c.address.partition(".")[0]]
            out.setdefault(c.address, f"{table} {' / '.join(c.labels[1:])}")
    return out


def printed_location(address: str) -> str | None:
    """Where a cell is printed, in the report's own words.

    ``requests.new_received.total`` -> ``表三 一、本年新收政府信息公开申请数量 / 总计``;
    ``None`` for an address that is not a cell of either edition.
    """
    return _printed_labels().get(address)
