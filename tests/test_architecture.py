"""The architecture: no import circles, one finding factory, a check for every rule kind."""

from __future__ import annotations

import ast

from .conftest import REPO

SRC = REPO / "src" / "gov_disclosure"


def _graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports, at any level (function-level imports too)."""
    modules = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "gov_disclosure"
            ):
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    graph[name].add(sub if sub in modules else str(node.module))
            elif isinstance(node, ast.Import):
                graph[name].update(
                    a.name for a in node.names if a.name.startswith("gov_disclosure")
                )
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_the_import_graph_has_no_circles() -> None:
    graph = _graph()
    assert "gov_disclosure.cli.check" in graph  # the command line is a package
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _calls(name: str) -> dict[str, int]:
    """Module file -> how many times it calls ``name(...)`` (a plain name or an attribute)."""
    found: dict[str, int] = {}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if called == name:
                    key = str(path.relative_to(SRC))
                    found[key] = found.get(key, 0) + 1
    return found


def test_findings_are_made_by_one_factory() -> None:
    # severity, message and fingerprint are filled in one place (style notes 2.5): a check
    # says what it found, results.finding() makes the Finding
    assert _calls("Finding") == {"rules/results.py": 1}
    assert set(_calls("finding")) >= {"rules/engine.py", "rules/narrative.py"}


def test_the_factory_fills_in_severity_message_and_fingerprint() -> None:
    from decimal import Decimal

    from gov_disclosure.rules.definitions import RULES_BY_ID
    from gov_disclosure.rules.results import finding, fingerprint

    location = {"table": "表三", "table_en": "table 3", "row": "（七）总计", "column": "总计"}
    values = {"stated": Decimal("1E+2"), "computed": 99, "difference": Decimal("1")}
    made = finding("requests.applicant_total", ("a.b", "a.c"), location=location, values=values)
    assert made.severity == RULES_BY_ID["requests.applicant_total"].severity
    assert made.fingerprint == fingerprint("requests.applicant_total", "a.b/a.c")
    assert made.message["zh"].startswith("表三 （七）总计 / 总计: ") and "100" in made.message["zh"]
    assert "1E+2" not in made.message["en"] and made.message["en"].startswith("table 3 ")
    whole = finding("format.outdated_edition", values={"year": 2023})
    assert whole.fingerprint == fingerprint("format.outdated_edition", "report")
    assert whole.location == {} and whole.addresses == ()
    note = finding(
        "requests.applicant_total", key="k", severity="info", message={"zh": "z", "en": "e"}
    )
    assert (note.severity, note.message, note.fingerprint) == (
        "info",
        {"zh": "z", "en": "e"},
        fingerprint("requests.applicant_total", "k"),
    )


def test_every_rule_kind_has_a_place_that_checks_it() -> None:
    # a new kind of rule fails here until a check reports it (style notes 2.5): the prose
    # checks are a table keyed by kind; the engine evaluates the identities and the rules
    # about the whole report; two kinds come with another's check or outside check()
    from gov_disclosure.rules.definitions import RULES
    from gov_disclosure.rules.narrative import _CHECKS

    engine = {
        "identity",
        "parts_not_reported",
        "blank_total",
        "split_cell",
        "agency_mismatch",
        "timeliness",
        "outdated_edition",
        "hybrid_edition",
        "all_blank_table",
        "blank_share",
        "regulations_by_level",
    }
    elsewhere = {"text_bound": "with text_claim", "invalid_document": "an input with no report"}
    kinds = {rule.kind for rule in RULES}
    assert kinds == set(_CHECKS) | engine | set(elsewhere)
    assert not set(_CHECKS) & engine
