"""JSON: round trips, the sample, precise errors, and agreement with the JSON Schema."""

from __future__ import annotations

import importlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure.model.layouts import unread_addresses
from gov_disclosure.strategies import arbitrary_reports, with_ocr, with_unread

from .conftest import expected_names, expected_report, load_expected

SLOW = settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)


@SLOW
@given(arbitrary_reports() | with_unread() | with_ocr())
def test_json_round_trip_is_identity(report: gd.Report) -> None:
    text = gd.dumps(report)
    back = gd.loads(text)
    assert back == report
    assert type(back) is type(report)
    # blanks stay blank and zeros stay zero, cell by cell
    assert [(c.address, c.value, c.status) for c in gd.cells(back)] == [
        (c.address, c.value, c.status) for c in gd.cells(report)
    ]
    assert gd.dumps(back) == text


@SLOW
@given(arbitrary_reports() | with_unread() | with_ocr())
def test_every_dumped_document_validates_against_the_schema(report: gd.Report) -> None:
    assert gd.validate_json(json.loads(gd.dumps(report))) == []


def _paths(node: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(_paths(value, (*prefix, key)))
    return out


JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.integers(2017, 2102),
    st.floats(allow_nan=False, allow_infinity=False),
    st.just(1.0),
    st.sampled_from([2**53 - 1, 2**53, 10**20, 1e23, -(2**53)]),
    st.sampled_from(
        [
            "1\n",
            "0.5\n",
            "illegible",
            "ambiguous",
            "",
            " ",
            "0",
            "12.50",
            "1e3",
            "-1",
            "2024-01-17",
            "2024-13-01",
            "agency",
            "jurisdiction",
            "county",
            "government",
            "x",
        ]
    ),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["total", "x"]), st.integers(0, 3), max_size=2),
)


@st.composite
def mutated_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid document with one random change: a value replaced, a key removed or added."""
    report = draw(arbitrary_reports() | with_unread(max_cells=3))
    doc: dict[str, Any] = json.loads(gd.dumps(report))
    action = draw(st.sampled_from(["replace", "delete", "add", "mark"]))
    if action == "mark":  # an unread mark on any address of either layout, any reason
        addresses = [*unread_addresses(doc["format"]), "requests", "bogus"]
        doc.setdefault("unread", {})[draw(st.sampled_from(addresses))] = draw(
            st.sampled_from(["illegible", "too_long", "bogus"]) | JSON_VALUES
        )
        return doc
    path = draw(st.sampled_from(_paths(doc)[1:]))
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    if action == "replace":
        parent[path[-1]] = draw(JSON_VALUES)
    elif action == "delete":
        del parent[path[-1]]
    else:
        parent[draw(st.sampled_from(["bogus", "总计"]))] = draw(JSON_VALUES)
    return doc


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(mutated_documents())
def test_loads_accepts_exactly_what_the_schema_accepts(document: dict[str, Any]) -> None:
    schema_ok = gd.validate_json(document) == []
    try:
        gd.from_dict(document)
    except gd.DocumentError:
        loads_ok = False
    else:
        loads_ok = True
    assert schema_ok == loads_ok


def test_sample_values_equal_the_seed(sample: gd.Report) -> None:
    assert isinstance(sample, gd.Report2021)
    assert sample.year == 2023
    assert sample.agency.name == "柳州市人民政府办公室"
    # table 2
    assert sample.proactive_disclosure.regulations == gd.DocumentsRow2021(
        issued=0, repealed=1, in_force=5
    )
    assert sample.proactive_disclosure.normative_documents.in_force == 310
    assert sample.proactive_disclosure.fees.amount_wan_yuan == Decimal("0")
    # table 3: 116 + 3 = 111 + 8, only 自然人 and 总计 filled
    rq = sample.requests
    assert rq.new_received == gd.ApplicantRow(natural_person=116, total=116)
    assert rq.carried_over == gd.ApplicantRow(natural_person=3, total=3)
    assert rq.outcomes.granted.total == 2
    assert rq.outcomes.partially_granted.total == 6
    assert rq.outcomes.unable_to_provide.not_held.total == 68
    assert isinstance(rq.outcomes.other, gd.OtherOutcomes)
    assert rq.outcomes.other.correction_overdue.total == 32
    assert rq.outcomes.other.other.total == 3
    assert rq.outcomes.total == gd.ApplicantRow(natural_person=111, total=111)
    assert rq.carried_forward == gd.ApplicantRow(natural_person=8, total=8)
    assert rq.outcomes.withheld.state_secret == gd.ApplicantRow()  # blank, not zero
    # table 4: 15 printed zeros
    assert all(
        getattr(block, col) == 0
        for block in (
            sample.review_litigation.administrative_review,
            sample.review_litigation.litigation_direct,
            sample.review_litigation.litigation_after_review,
        )
        for col in ("upheld", "corrected", "other", "pending", "total")
    )
    assert sample.overview is not None and sample.overview.startswith(
        "2023年，柳州市人民政府办公室"
    )
    assert (
        sample.problems_and_improvements is not None
        and "薄弱环节" in sample.problems_and_improvements
    )
    assert sample.other_matters == "无"


def test_sample_equals_the_hand_read_expected_cells(sample: gd.Report) -> None:
    expected = expected_report("liuzhou-gov-office-2023")
    assert [(c.address, c.value) for c in gd.cells(sample)] == [
        (c.address, c.value) for c in gd.cells(expected)
    ]


@pytest.mark.parametrize("name", expected_names())
def test_every_corpus_expected_file_loads_and_round_trips(name: str) -> None:
    report = expected_report(name)
    data = load_expected(name)
    assert report.is_hybrid == bool(data.get("hybrid"))
    assert gd.loads(gd.dumps(report)) == report


def test_money_is_a_string_with_precision_kept() -> None:
    report = expected_report("pingtan-2021")
    doc = json.loads(gd.dumps(report))
    assert doc["proactive_disclosure"]["fees"]["amount_wan_yuan"] == "24252.311082"
    assert doc["format"] == "2021"
    assert next(iter(doc)) == "format"


def test_hybrid_is_told_apart_by_its_keys() -> None:
    report = expected_report("hongze-district-2024")
    doc = json.loads(gd.dumps(report))
    assert set(doc["requests"]["outcomes"]["other"]) == {
        "natural_person",
        "commercial_enterprise",
        "research_institution",
        "social_welfare_org",
        "legal_service_org",
        "other_org",
        "total",
    }
    assert gd.loads(gd.dumps(report)).is_hybrid


def _sample_doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(gd.dumps(gd.samples.load()))
    return doc


def _mutate(path: str, value: Any, *, delete: bool = False) -> str:
    doc = _sample_doc()
    parts = path.split(".")
    target = doc
    for part in parts[:-1]:
        target = target[part]
    if delete:
        del target[parts[-1]]
    else:
        target[parts[-1]] = value
    return json.dumps(doc, ensure_ascii=False)


MALFORMED = [
    # (document, expected path, fragment of the message)
    (
        _mutate("requests.outcomes.total.natural_person", -3),
        "$.requests.outcomes.total.natural_person",
        "expected an integer from 0 to 9007199254740991 or null, got -3",
    ),
    (_mutate("requests.new_received.total", "116"), "$.requests.new_received.total", 'got "116"'),
    (_mutate("requests.new_received.total", 2.5), "$.requests.new_received.total", "got 2.5"),
    (_mutate("requests.new_received.total", True), "$.requests.new_received.total", "got true"),
    (
        _mutate("proactive_disclosure.fees.amount_wan_yuan", 96171.6),
        "$.proactive_disclosure.fees.amount_wan_yuan",
        "decimal number as a string",
    ),
    (
        _mutate("proactive_disclosure.fees.amount_wan_yuan", "1e5"),
        "$.proactive_disclosure.fees.amount_wan_yuan",
        'got "1e5"',
    ),
    (_mutate("requests.carried_over.bogus", 1), "$.requests.carried_over.bogus", "unknown key"),
    (
        _mutate("requests.carried_over", None, delete=True),
        "$.requests",
        "missing required key(s): carried_over",
    ),
    (_mutate("format", "2018"), "$.format", "expected one of"),
    (_mutate("format", None, delete=True), "$", "missing required key(s): format"),
    (_mutate("year", 2018), "$.year", "report year"),
    (_mutate("agency.name", ""), "$.agency.name", "non-empty string"),
    (_mutate("agency.level", "city"), "$.agency.level", "expected one of"),
    (_mutate("published", "2024-02-30"), "$.published", "YYYY-MM-DD"),
    (
        _mutate("requests.outcomes.other", {"natural_person": 1, "fee_unpaid": {}}),
        "$.requests.outcomes.other",
        "expected an object with the keys of",
    ),
    (_mutate("review_litigation", []), "$.review_litigation", "expected an object"),
    (_mutate("overview", 7), "$.overview", "expected a string"),
    ("[1, 2]", "$", "expected a report object"),
    ('{"format": "2021",', "line 1, column 19", "not valid JSON"),
    ('{"format": "2021", "format": "2021"}', "$", "duplicate key"),
    ('{"format": NaN}', "$", "NaN is not a valid JSON number"),
    (b"\xff\xfe\x00garbage", "", ""),
    ("", "line 1, column 1", "not valid JSON"),
]


@pytest.mark.parametrize(("document", "path", "fragment"), MALFORMED)
def test_malformed_documents_report_path_and_reason(
    document: str | bytes, path: str, fragment: str
) -> None:
    with pytest.raises(gd.DocumentError) as info:
        gd.loads(document, source="doc.json")
    problems = info.value.problems
    assert problems
    assert any(p.path.startswith(path) and fragment in p.message for p in problems), problems
    assert str(info.value).startswith("doc.json: invalid report document")


def test_all_problems_are_reported_at_once() -> None:
    doc = _sample_doc()
    doc["requests"]["outcomes"]["total"]["natural_person"] = -3
    doc["requests"]["carried_forward"]["total"] = "x"
    doc["review_litigation"]["administrative_review"]["bogus"] = 0
    del doc["requests"]["carried_over"]
    with pytest.raises(gd.DocumentError) as info:
        gd.from_dict(doc)
    paths = sorted(p.path for p in info.value.problems)
    assert paths == [
        "$.requests",
        "$.requests.carried_forward.total",
        "$.requests.outcomes.total.natural_person",
        "$.review_litigation.administrative_review.bogus",
    ]


def test_integral_floats_are_integers_as_in_json_schema() -> None:
    doc = _sample_doc()
    doc["requests"]["new_received"]["total"] = 116.0
    assert gd.validate_json(doc) == []
    report = gd.from_dict(doc)
    assert report.requests.new_received.total == 116
    assert type(report.requests.new_received.total) is int


@given(st.binary(max_size=200) | st.text(max_size=200))
@settings(max_examples=200)
def test_junk_never_raises_anything_but_document_error(junk: bytes | str) -> None:
    with pytest.raises(gd.DocumentError):
        gd.loads(junk)


def test_deeply_nested_json_is_refused_cleanly() -> None:
    with pytest.raises(gd.DocumentError):
        gd.loads("[" * 100000 + "]" * 100000)


def test_huge_integer_literal_is_refused_cleanly() -> None:
    doc = gd.dumps(gd.samples.load())
    assert '"total":116' in doc
    doc = doc.replace('"total":116', '"total":' + "9" * 5000, 1)
    with pytest.raises(gd.DocumentError):
        gd.loads(doc)


@pytest.mark.parametrize("number", ["1e99999999999999999999999", "-1.5e-999999999999999999999"])
def test_a_number_past_decimals_range_is_refused_by_every_json_reader(
    sample: gd.Report, number: str, tmp_path: Path
) -> None:
    # decimal.Decimal refuses such exponents with InvalidOperation, which escaped loads, the
    # validate command and the readers of baselines, hierarchies and scoring packs
    from gov_disclosure.cli import main
    from gov_disclosure.schemas.json_schema import strict_json

    text = gd.dumps(sample).replace('"total":116', f'"total":{number}', 1)
    with pytest.raises(gd.DocumentError, match="out of range"):
        gd.loads(text)
    path = tmp_path / "report.json"
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    with pytest.raises(gd.DocumentError, match=r"not a pack file: the number .* out of range"):
        strict_json(f'{{"points": {number}}}'.encode(), source="p.json", refusal="not a pack file")


def test_validate_json_reports_paths() -> None:
    doc = _sample_doc()
    doc["requests"]["new_received"]["total"] = -1
    doc["extra"] = 1
    problems = gd.validate_json(doc)
    assert [p.path for p in problems] == ["$", "$.requests.new_received.total"]
    assert gd.validate_json([]) == [gd.Problem("$", "expected a report object")]
    assert gd.validate_json({"format": "1999"})[0].path == "$.format"


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(mutated_documents())
def test_the_fast_validator_agrees_with_the_reference(document: dict[str, Any]) -> None:
    # the fast extra (jsonschema-rs) only ever answers "valid": it must never say so of a
    # document python-jsonschema refuses, or the problems would be lost
    pytest.importorskip("jsonschema_rs")
    module = importlib.import_module("gov_disclosure.schemas.json_schema")
    edition = document.get("format")
    if edition not in ("2021", "2019"):
        return  # refused before any schema is applied (validate_json checks the edition)
    fast = module._fast_validator(edition)
    assert fast is not None
    reference = not list(module._validator(edition).iter_errors(document))
    assert fast.is_valid(document) == reference


@SLOW
@given(arbitrary_reports() | with_unread() | with_ocr())
def test_the_fast_encoder_writes_the_same_text_as_the_standard_library(report: gd.Report) -> None:
    # dumps() takes msgspec's encoder when the fast extra is installed: the text must not
    # depend on which extras a machine has
    pytest.importorskip("msgspec")
    module = importlib.import_module("gov_disclosure.serialization.json_format")
    data = module.to_dict(report)
    assert module._compact_encoder() is not module._stdlib_encode
    assert gd.dumps(report) == module._stdlib_encode(data)
    assert module._stdlib_encode(data) == json.dumps(
        data, ensure_ascii=False, separators=(",", ":")
    )


def test_dumps_writes_one_compact_line_and_indents_on_request(sample: gd.Report) -> None:
    text = gd.dumps(sample)
    assert text.startswith('{"format":"2021","year":2023,') and "\n" not in text
    assert "柳州市人民政府办公室" in text  # unescaped
    indented = gd.dumps(sample, indent=2)
    assert indented.startswith('{\n  "format": "2021",\n  "year": 2023,')
    assert json.loads(indented) == json.loads(text)


def test_the_fast_encoder_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    module = importlib.import_module("gov_disclosure.serialization.json_format")
    monkeypatch.setenv("GOV_DISCLOSURE_JSON_ENCODER", "stdlib")
    module._compact_encoder.cache_clear()
    try:
        assert module._compact_encoder() is module._stdlib_encode
    finally:
        monkeypatch.undo()
        module._compact_encoder.cache_clear()


def test_validate_json_gives_the_same_problems_with_and_without_the_fast_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = importlib.import_module("gov_disclosure.schemas.json_schema")
    bad = json.loads(_mutate("requests.new_received.total", "116"))
    bad["published"] = "2023-02-30"
    with_fast = gd.validate_json(bad)
    monkeypatch.setattr(module, "_fast_validator", lambda edition: None)
    assert gd.validate_json(bad) == with_fast
    assert [p.path for p in with_fast] == ["$.published", "$.requests.new_received.total"]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(mutated_documents())
def test_the_generated_fast_path_agrees_with_the_reference_converter(
    document: dict[str, Any],
) -> None:
    # the generated structuring code may decline a document, never accept a different one
    from gov_disclosure.model.report import EDITIONS
    from gov_disclosure.serialization import generated
    from gov_disclosure.serialization.converter import default_converter

    edition = document.get("format")
    cls = EDITIONS.get(edition) if isinstance(edition, str) else None
    if cls is None:
        return
    body = {k: v for k, v in document.items() if k not in ("format", "unread")}
    snapshot = json.dumps(body, sort_keys=True, default=str)
    try:
        reference = default_converter(detailed=True).structure(body, cls)
    except Exception:  # any refusal: the fast path must have declined too
        reference = None
    for decoded in (False, True):  # with and without blank rows shared (JSON's own types)
        try:
            fast = generated.structure(body, cls, decoded=decoded)
        except generated.Declined:
            fast = None
        assert json.dumps(body, sort_keys=True, default=str) == snapshot  # input unchanged
        if fast is not None:
            assert fast == reference


def test_a_count_written_as_a_near_integer_float_is_refused_not_rounded() -> None:
    # issue 25 #8: 115.99999999999999999 is the float 116.0, but not an integer
    text = gd.dumps(gd.samples.load()).replace(
        '"new_received":{"natural_person":116',
        '"new_received":{"natural_person":115.99999999999999999',
    )
    with pytest.raises(gd.DocumentError, match=r"natural_person: .*115\.99999999999999999"):
        gd.loads(text)
    assert gd.validate_json(json.loads(text, parse_float=Decimal))  # schema and loads agree
    exact = text.replace("115.99999999999999999", "116.0")  # an integer, as JSON Schema says
    assert gd.loads(exact).requests.new_received.natural_person == 116
    assert gd.validate_json(json.loads(exact, parse_float=Decimal)) == []


def test_missing_keys_are_named_once_without_internal_exception_names() -> None:
    # issue 26 #10: "$.year: KeyError: 'year'" on top of "missing required key(s)"
    with pytest.raises(gd.DocumentError) as caught:
        gd.loads('{"format":"2021"}')
    assert [str(p) for p in caught.value.problems] == [
        "$: missing required key(s): agency, proactive_disclosure, requests, review_litigation, year"
    ]
    assert "KeyError" not in str(caught.value)


# counts the sample states (a blank cell has no element in XML)
_SAMPLE_CELLS = [
    c.address for c in gd.cells(gd.samples.load()) if c.info.kind == "count" and c.value is not None
]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(_SAMPLE_CELLS))
def test_a_bad_cell_is_named_by_its_address_in_json_the_schema_and_xml(address: str) -> None:
    # the address is a field of the problem, set where the reader knows it, not recovered
    # from the printed path: the command line prints the cell's table, row and column from it
    from lxml import etree

    from gov_disclosure.cli.common import location_of
    from gov_disclosure.model.layouts import printed_location

    doc = _sample_doc()
    *parents, leaf = address.split(".")
    node = doc
    for key in parents:
        node = node[key]
    node[leaf] = -1
    with pytest.raises(gd.DocumentError) as loaded:
        gd.loads(json.dumps(doc))
    [schema] = gd.validate_json(doc)
    root = etree.fromstring(gd.to_xml(gd.samples.load()))
    element = root
    for key in address.split("."):
        element = element.find(f"{{{etree.QName(root).namespace}}}{key}")
    element.text = "-1"
    xml = etree.tostring(root)
    with pytest.raises(gd.DocumentError) as from_xml:
        gd.from_xml(xml)
    [json_problem], [xml_problem] = loaded.value.problems, from_xml.value.problems
    assert json_problem.address == xml_problem.address == address
    assert json_problem.path == f"$.{address}"
    # JSON Schema reports a value under a choice of layouts (oneOf) at the choice
    assert schema.address is not None and f"{address}.".startswith(f"{schema.address}.")
    assert schema.path == f"$.{schema.address}"
    [line] = [n for n, text in enumerate(xml.splitlines(), start=1) if b">-1<" in text]
    assert xml_problem.line == line
    assert location_of(xml_problem) == location_of(json_problem) == printed_location(address)
    assert location_of(json_problem) is not None


def test_problems_outside_any_field_have_no_address_and_syntax_errors_a_position() -> None:
    with pytest.raises(gd.DocumentError) as info:
        gd.loads('{\n  "format": "2021",\n  oops}')
    [problem] = info.value.problems
    assert (problem.line, problem.column, problem.address) == (3, 3, None)
    doc = _sample_doc()
    doc["extra"] = 1  # the document's key, not the model's: no address
    with pytest.raises(gd.DocumentError) as info:
        gd.loads(json.dumps(doc))
    assert [(p.path, p.address) for p in info.value.problems] == [("$.extra", None)]


@pytest.mark.parametrize(
    ("address", "value", "accepted"),
    [
        ("requests.new_received.natural_person", 2**53 - 1, True),
        ("requests.new_received.natural_person", 0, True),
        ("requests.new_received.natural_person", 1.0, True),  # integral: the reference's
        ("requests.new_received.natural_person", 2**53, False),
        ("requests.new_received.natural_person", -1, False),
        ("requests.new_received.natural_person", True, False),
        ("requests.new_received.natural_person", "1", False),
        ("review_litigation.litigation_direct.total", 2**53 - 1, True),
        ("review_litigation.litigation_direct.total", -(2**53), False),
        ("proactive_disclosure.licensing.change", -(2**53 - 1), True),  # signed (2019)
        ("proactive_disclosure.licensing.change", 2**53 - 1, True),
        ("proactive_disclosure.licensing.change", -(2**53), False),
        ("proactive_disclosure.licensing.change", False, False),
    ],
)
def test_rows_built_with_their_checks_inline_accept_what_the_validators_accept(
    sample: gd.Report, address: str, value: object, accepted: bool
) -> None:
    # rows are built by generated code that makes the validators' checks itself: at each
    # bound it must accept what __init__ accepts, and leave the rest to the reference
    # converter, which names the cell
    report = sample
    if address.endswith("change"):  # a 2019 cell (read there; unread in the hand-read file)
        report = gd.with_cell(expected_report("pingtan-2019"), address, -2)
    document = gd.to_dict(report)
    parent = document
    *path, key = address.split(".")
    for part in path:
        parent = parent[part]
    parent[key] = value
    text = json.dumps(document, ensure_ascii=False)
    if not accepted:
        with pytest.raises(gd.DocumentError) as info:
            gd.loads(text)
        assert [p.address for p in info.value.problems] == [address]
        return
    read = gd.loads(text)
    assert gd.get_cell(read, address) == value and type(gd.get_cell(read, address)) is int
    assert gd.from_xml(gd.to_xml(read)) == read


def test_blank_rows_read_from_json_share_one_instance(sample: gd.Report) -> None:
    # a row whose every cell is null is built once and shared (frozen objects may be)
    read = gd.loads(gd.dumps(sample))
    withheld = read.requests.outcomes.withheld
    assert withheld.state_secret is withheld.prohibited_by_law
    assert withheld.state_secret == gd.ApplicantRow()
    assert read == sample
    # a row with one cell filled, or a whole group of blank rows, is told apart
    changed = gd.loads(
        gd.dumps(gd.with_cell(sample, "requests.outcomes.withheld.state_secret.total", 0))
    )
    assert changed.requests.outcomes.withheld.state_secret.total == 0
    assert changed.requests.outcomes.withheld.prohibited_by_law.total is None


@pytest.mark.parametrize("value", [False, 0.0, "null"])
def test_a_blank_row_is_recognised_by_null_alone(sample: gd.Report, value: object) -> None:
    # JSON false, 0.0 and "null" are not null: each is refused, or read as itself
    document = gd.to_dict(sample)
    row = document["requests"]["outcomes"]["withheld"]["state_secret"]
    row.update(dict.fromkeys(row, value))
    if value == 0.0 and value is not False:  # an integral number, as JSON Schema says
        assert gd.loads(json.dumps(document)).requests.outcomes.withheld.state_secret.total == 0
        return
    with pytest.raises(gd.DocumentError) as info:
        gd.loads(json.dumps(document))
    assert "requests.outcomes.withheld.state_secret.total" in {
        p.address for p in info.value.problems
    }


def test_from_dict_does_not_trust_an_object_claiming_to_equal_null(sample: gd.Report) -> None:
    # from_dict takes Python data, whose == may say anything: a blank row is not recognised
    # by comparison there, and a cell that is not an int or None is refused
    class EqualToEverything:
        def __eq__(self, other: object) -> bool:
            return True

        __hash__ = object.__hash__

    document = gd.to_dict(sample)
    row = document["requests"]["outcomes"]["withheld"]["state_secret"]
    row["total"] = EqualToEverything()
    with pytest.raises(gd.DocumentError) as info:
        gd.from_dict(document)
    assert [p.address for p in info.value.problems] == [
        "requests.outcomes.withheld.state_secret.total"
    ]


@pytest.mark.parametrize(
    ("escaped", "refused"),
    [
        ("\\u4e2d\\ud800\\u6587", True),  # a lone high surrogate among Chinese text
        ("\\udfff", True),
        ("\\ude00\\ud83d", True),  # the pair's halves in the wrong order
        ("\\u4e2d\\ud83d\\ude00", False),  # a pair: one character past U+FFFF
        ("\\u4e2d\\u6587\\uffff", False),
    ],
)
def test_text_with_a_lone_surrogate_is_refused_naming_its_field(
    sample: gd.Report, escaped: str, refused: bool
) -> None:
    text = gd.dumps(sample).replace('"other_matters":"无"', f'"other_matters":"{escaped}"')
    assert escaped in text
    if refused:
        with pytest.raises(gd.DocumentError, match="lone surrogate") as info:
            gd.loads(text)
        assert [p.address for p in info.value.problems] == ["other_matters"]
    else:
        assert gd.loads(text).other_matters == json.loads(f'"{escaped}"')
