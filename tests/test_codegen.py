"""Generated code can be read: inspect.getsource, tracebacks (gov_disclosure.codegen)."""

from __future__ import annotations

import inspect
import pickle
import traceback

import pytest

import gov_disclosure as gd
from gov_disclosure.codegen import compile_source, identifier
from gov_disclosure.model.report import report_class
from gov_disclosure.rules import engine
from gov_disclosure.serialization import generated, pickling


def test_every_generated_function_has_its_source_and_a_descriptive_name() -> None:
    report = gd.samples.load()
    pickle.loads(pickle.dumps(gd.check(report)))  # builds the unpickling builders
    functions = {
        "structure_Report2021": generated._structurer(report_class("2021"), True),
        "unstructure_Report2021": generated._unstructurer(report_class("2021")),
        "screen_2021_standard": engine._program("2021", "standard", None).run,
        "read_cells": engine._make_getter(["requests.new.total"]),
        "build_CheckResult": pickling._builder(type(gd.check(report))),
    }
    for name, function in functions.items():
        assert function.__name__ == name
        source = inspect.getsource(function)
        assert source.startswith(f"def {name}(")
        assert "gov_disclosure generated" in function.__code__.co_filename


def test_the_compiled_checker_source_is_the_one_inspect_reads() -> None:
    program = engine._program("2021", "standard", None)
    assert inspect.getsource(program.run) == program.source


def test_a_traceback_through_generated_code_shows_its_lines() -> None:
    namespace = compile_source("def explode(x):\n    return 1 // x\n", "test", {})
    with pytest.raises(ZeroDivisionError) as raised:
        namespace["explode"](0)
    text = "".join(traceback.format_exception(raised.value))
    assert "return 1 // x" in text and "<gov_disclosure generated test #" in text


def test_each_compilation_gets_a_file_name_of_its_own() -> None:
    first = compile_source("def f():\n    return 1\n", "same", {})["f"]
    second = compile_source("def f():\n    return 2\n", "same", {})["f"]
    assert first.__code__.co_filename != second.__code__.co_filename
    assert "return 1" in inspect.getsource(first) and "return 2" in inspect.getsource(second)


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("structure", "ApplicantRow"), "structure_ApplicantRow"),
        (("screen", "2021", "hybrid"), "screen_2021_hybrid"),
        (("2021",), "_2021"),
        (("class",), "_class"),
        (("build", "a-b c"), "build_a_b_c"),
    ],
)
def test_identifiers_are_valid_python_names(parts: tuple[str, ...], expected: str) -> None:
    assert identifier(*parts) == expected
    assert expected.isidentifier()
