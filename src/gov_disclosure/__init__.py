"""gov_disclosure: the reference SDK for 政府信息公开工作年度报告.

Typed model of both template editions, JSON and XML with their schemas, the invariant
checker, parsers and renderers. Quick start::

    import gov_disclosure as gd

    report = gd.samples.load("liuzhou-2023")
    assert gd.loads(gd.dumps(report)) == report
    print(gd.get_cell(report, "requests.new_received.total"))  # 116

Attributes are imported lazily (PEP 562) so that ``import gov_disclosure`` (and the pytest
plugin that lives in this package) stays cheap; every name in ``__all__`` is public API.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_LAZY: dict[str, str] = {
    # model
    "Agency": "gov_disclosure.model",
    "ApplicantRow": "gov_disclosure.model",
    "Cell": "gov_disclosure.model",
    "DecisionsRow": "gov_disclosure.model",
    "DocumentsRow2019": "gov_disclosure.model",
    "DocumentsRow2021": "gov_disclosure.model",
    "EDITIONS": "gov_disclosure.model",
    "FeesRow2019": "gov_disclosure.model",
    "FeesRow2021": "gov_disclosure.model",
    "ItemsRow2019": "gov_disclosure.model",
    "NotProcessed": "gov_disclosure.model",
    "OtherOutcomes": "gov_disclosure.model",
    "Outcomes": "gov_disclosure.model",
    "ProactiveDisclosure2019": "gov_disclosure.model",
    "ProactiveDisclosure2021": "gov_disclosure.model",
    "ProcurementRow2019": "gov_disclosure.model",
    "Report": "gov_disclosure.model",
    "Report2019": "gov_disclosure.model",
    "Report2021": "gov_disclosure.model",
    "Requests": "gov_disclosure.model",
    "ReviewBlock": "gov_disclosure.model",
    "ReviewLitigation": "gov_disclosure.model",
    "UnableToProvide": "gov_disclosure.model",
    "Withheld": "gov_disclosure.model",
    "cell": "gov_disclosure.model",
    "cells": "gov_disclosure.model",
    "UNREAD_REASONS": "gov_disclosure.model",
    "get_cell": "gov_disclosure.model",
    "report_class": "gov_disclosure.model",
    "with_cell": "gov_disclosure.model",
    "new_report": "gov_disclosure.model.building",
    "describe": "gov_disclosure.rendering.wording",
    "describe_fees": "gov_disclosure.rendering.wording",
    "with_cells": "gov_disclosure.model.building",
    # errors
    "AddressError": "gov_disclosure.errors",
    "CellValueError": "gov_disclosure.errors",
    "DocumentError": "gov_disclosure.errors",
    "GovDisclosureError": "gov_disclosure.errors",
    "ParseError": "gov_disclosure.errors",
    "Problem": "gov_disclosure.errors",
    "ReportMismatchError": "gov_disclosure.errors",
    "UnknownSampleError": "gov_disclosure.errors",
    "UnsafeXMLError": "gov_disclosure.errors",
    # serialisation and schemas
    "dumps": "gov_disclosure.serialization",
    "loads": "gov_disclosure.serialization",
    "to_dict": "gov_disclosure.serialization",
    "from_dict": "gov_disclosure.serialization",
    "to_xml": "gov_disclosure.serialization",
    "from_xml": "gov_disclosure.serialization",
    "read_document": "gov_disclosure.serialization",
    "json_schema": "gov_disclosure.schemas",
    "load_rules": "gov_disclosure.schemas",
    # parsing
    "parse": "gov_disclosure.parsing",
    "parse_pages": "gov_disclosure.parsing",
    "parse_text": "gov_disclosure.parsing",
    "ParseResult": "gov_disclosure.parsing",
    "Diagnostic": "gov_disclosure.parsing",
    # checker
    "CheckResult": "gov_disclosure.rules",
    "Finding": "gov_disclosure.rules",
    "check": "gov_disclosure.rules",
    "check_series": "gov_disclosure.rules",
    "derive_totals": "gov_disclosure.rules",
    "validate_json": "gov_disclosure.schemas",
    # indicators
    "Metrics": "gov_disclosure.indicators",
    "metrics": "gov_disclosure.indicators",
    # comparing two reports
    "ReportDiff": "gov_disclosure.comparison",
    "diff": "gov_disclosure.comparison",
    # scoring packs
    "Score": "gov_disclosure.scoring",
    "ScoringPack": "gov_disclosure.scoring",
    "score": "gov_disclosure.scoring",
    # roll-ups across a hierarchy
    "RollUp": "gov_disclosure.rollups",
    "roll_up": "gov_disclosure.rollups",
}

_SUBMODULES = frozenset(
    {
        "samples",
        "model",
        "serialization",
        "schemas",
        "rules",
        "parsing",
        "rendering",
        "export",
        "batch",
        "site",
        "scoring",
        "rollups",
    }
)

__all__ = sorted([*_LAZY, *_SUBMODULES, "__version__"])


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        module = importlib.import_module(f"gov_disclosure.{name}")
        globals()[name] = module
        return module
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'gov_disclosure' has no attribute {name!r}")
    value = getattr(importlib.import_module(target), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # pragma: no cover
    from gov_disclosure import (
        batch,
        export,
        model,
        parsing,
        rendering,
        rollups,
        rules,
        samples,
        schemas,
        scoring,
        serialization,
    )
    from gov_disclosure.comparison import ReportDiff, diff
    from gov_disclosure.errors import (
        AddressError,
        CellValueError,
        DocumentError,
        GovDisclosureError,
        ParseError,
        Problem,
        ReportMismatchError,
        UnknownSampleError,
        UnsafeXMLError,
    )
    from gov_disclosure.indicators import Metrics, metrics
    from gov_disclosure.model import (
        EDITIONS,
        UNREAD_REASONS,
        Agency,
        ApplicantRow,
        Cell,
        DecisionsRow,
        DocumentsRow2019,
        DocumentsRow2021,
        FeesRow2019,
        FeesRow2021,
        ItemsRow2019,
        NotProcessed,
        OtherOutcomes,
        Outcomes,
        ProactiveDisclosure2019,
        ProactiveDisclosure2021,
        ProcurementRow2019,
        Report,
        Report2019,
        Report2021,
        Requests,
        ReviewBlock,
        ReviewLitigation,
        UnableToProvide,
        Withheld,
        cell,
        cells,
        get_cell,
        report_class,
        with_cell,
    )
    from gov_disclosure.model.building import new_report, with_cells
    from gov_disclosure.parsing import Diagnostic, ParseResult, parse, parse_pages, parse_text
    from gov_disclosure.rendering.wording import describe, describe_fees
    from gov_disclosure.rollups import RollUp, roll_up
    from gov_disclosure.rules import CheckResult, Finding, check, check_series, derive_totals
    from gov_disclosure.schemas import json_schema, load_rules, validate_json
    from gov_disclosure.scoring import Score, ScoringPack, score
    from gov_disclosure.serialization import (
        dumps,
        from_dict,
        from_xml,
        loads,
        read_document,
        to_dict,
        to_xml,
    )
