"""The invariant checker: rules as data, one engine, findings."""

from gov_disclosure.rules.definitions import (
    RULES,
    SEVERITIES,
    Identity,
    Layout,
    Rule,
    RuleSet,
    Severity,
    Term,
    export_rules,
    render_rules,
    rule_set,
)
from gov_disclosure.rules.derive import derive_totals
from gov_disclosure.rules.engine import check, check_series, compiled_source
from gov_disclosure.rules.results import CheckResult, Finding

__all__ = [
    "RULES",
    "SEVERITIES",
    "CheckResult",
    "Finding",
    "Identity",
    "Layout",
    "Rule",
    "RuleSet",
    "Severity",
    "Term",
    "check",
    "check_series",
    "compiled_source",
    "derive_totals",
    "export_rules",
    "render_rules",
    "rule_set",
]
