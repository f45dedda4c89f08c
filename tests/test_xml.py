"""XML: round trips, the XSD, hardened parsing, and the convert command."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

import gov_disclosure as gd
from gov_disclosure.cli import main
from gov_disclosure.schemas.xsd import xml_namespace, xml_schema
from gov_disclosure.serialization.xml_security import MAX_XML_BYTES
from gov_disclosure.strategies import arbitrary_reports, with_ocr, with_unread

from .conftest import REPO, expected_names, expected_report

SLOW = settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)


@SLOW
@given(arbitrary_reports())
def test_json_model_xml_model_json_is_identity(report: gd.Report) -> None:
    text = gd.dumps(report)
    via_xml = gd.from_xml(gd.to_xml(gd.loads(text)))
    assert via_xml == report
    assert gd.dumps(via_xml) == text


@pytest.mark.parametrize("name", expected_names())
def test_corpus_reports_round_trip_through_xml(name: str) -> None:
    report = expected_report(name)
    assert gd.from_xml(gd.to_xml(report, pretty=False)) == report


def test_blank_cells_are_absent_elements_and_zero_is_written(sample: gd.Report) -> None:
    root = etree.fromstring(gd.to_xml(sample))
    ns = {"r": xml_namespace("2021")}
    assert root.tag == "{urn:gov-disclosure:report:2021}report"
    row = root.find("r:requests/r:new_received", ns)
    assert row is not None
    assert [etree.QName(c).localname for c in row] == ["natural_person", "total"]
    assert (
        root.findtext("r:review_litigation/r:administrative_review/r:upheld", namespaces=ns) == "0"
    )
    assert root.findtext("r:proactive_disclosure/r:fees/r:amount_wan_yuan", namespaces=ns) == "0"


@pytest.mark.parametrize(
    "blank_row",
    [
        b"<state_secret/>",
        b"<state_secret>\n  </state_secret>",
        b"<state_secret><!-- none --><?pi x?></state_secret>",  # removed by the parser
    ],
)
def test_blank_rows_share_one_instance_and_a_filled_one_is_its_own(
    sample: gd.Report, blank_row: bytes
) -> None:
    document = gd.to_xml(sample).replace(b"<state_secret/>", blank_row)
    assert blank_row in document
    read = gd.from_xml(document)
    withheld = read.requests.outcomes.withheld
    assert withheld.state_secret is withheld.prohibited_by_law  # frozen: one object
    assert withheld.state_secret == gd.ApplicantRow() and read == sample
    filled = gd.with_cell(sample, "requests.outcomes.withheld.state_secret.total", 0)
    withheld = gd.from_xml(gd.to_xml(filled)).requests.outcomes.withheld
    assert withheld.state_secret.total == 0 and withheld.prohibited_by_law.total is None


def test_money_keeps_its_exact_text() -> None:
    report = gd.with_cell(
        expected_report("pingtan-2021"),
        "proactive_disclosure.fees.amount_wan_yuan",
        Decimal("24252.311080"),
    )
    xml = gd.to_xml(report)
    assert b"<amount_wan_yuan>24252.311080</amount_wan_yuan>" in xml
    assert str(gd.from_xml(xml).proactive_disclosure.fees.amount_wan_yuan) == "24252.311080"


def test_output_has_declaration_and_is_utf8(sample: gd.Report) -> None:
    xml = gd.to_xml(sample, pretty=False)
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert "柳州市人民政府办公室".encode() in xml
    assert b"\n  <" not in xml
    assert b"\n  <" in gd.to_xml(sample)


@pytest.mark.parametrize("name", expected_names())
def test_xsd_accepts_every_generated_document(name: str) -> None:
    report = expected_report(name)
    # validated with a schema compiled straight from the committed file, as an outside user would
    schema = etree.XMLSchema(etree.parse(str(REPO / "schemas" / report.format / "report.xsd")))
    assert schema.validate(etree.fromstring(gd.to_xml(report))), schema.error_log


def test_xsd_documents_every_element_with_its_chinese_label() -> None:
    xsd = etree.parse(str(REPO / "schemas" / "2021" / "report.xsd"))
    ns = {"xs": "http://www.w3.org/2001/XMLSchema"}
    elements = xsd.findall(".//xs:element", ns)
    assert elements
    for element in elements:
        if element.get("name") == "report":
            continue
        labels = element.xpath("xs:annotation/xs:documentation[@xml:lang='zh']", namespaces=ns)
        assert len(labels) == 1 and labels[0].text, element.get("name")
    state_secret = xsd.find(
        ".//xs:complexType[@name='Withheld']/xs:sequence/xs:element[@name='state_secret']", ns
    )
    assert state_secret is not None
    assert (
        state_secret.findtext("xs:annotation/xs:documentation", namespaces=ns) == "1.属于国家秘密"
    )
    count = xsd.find(".//xs:simpleType[@name='Count']/xs:restriction", ns)
    assert count is not None and count.get("base") == "xs:nonNegativeInteger"


def test_schema_errors_have_line_column_and_address(sample: gd.Report) -> None:
    xml = gd.to_xml(sample).replace(b"<total>116</total>", b"<total>-1</total>", 1)
    with pytest.raises(gd.DocumentError) as info:
        gd.from_xml(xml, name="bad.xml")
    [problem] = info.value.problems
    assert problem.path.startswith("line ")
    assert "(requests.new_received.total)" in problem.path
    assert "bad.xml" in str(info.value)


def test_element_order_is_enforced(sample: gd.Report) -> None:
    root = etree.fromstring(gd.to_xml(sample))
    root.insert(0, root[1])  # agency before year
    with pytest.raises(gd.DocumentError):
        gd.from_xml(etree.tostring(root))


def test_wrong_namespace_or_root_is_refused() -> None:
    with pytest.raises(gd.DocumentError, match="expected"):
        gd.from_xml(b"<report xmlns='urn:other'/>")
    with pytest.raises(gd.DocumentError, match="expected"):
        gd.from_xml(b"<rapport xmlns='urn:gov-disclosure:report:2021'/>")


def test_2019_report_round_trips_with_signed_change() -> None:
    report = gd.with_cell(
        expected_report("pingtan-2019"), "proactive_disclosure.licensing.change", -2
    )
    assert gd.from_xml(gd.to_xml(report)) == report
    assert b"<change>-2</change>" in gd.to_xml(report)


def test_illegal_xml_characters_are_refused_naming_the_field(sample: gd.Report) -> None:
    import attrs

    bad = attrs.evolve(sample, overview="第一段\x00第二段")
    with pytest.raises(gd.DocumentError) as info:
        gd.to_xml(bad)
    assert info.value.problems[0].path == "overview"
    assert "U+0000" in info.value.problems[0].message


def test_carriage_returns_and_markup_survive(sample: gd.Report) -> None:
    import attrs

    text = '行一\r\n行二 <b>&amp;</b> "引号" ‘单引号’\t]]>'
    report = attrs.evolve(sample, other_matters=text)
    assert gd.from_xml(gd.to_xml(report)).other_matters == text


# --- hardened parsing ---------------------------------------------------------------------


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    return path


def _assert_refused(
    xml: bytes | str, *, secret_text: str = "TOP-SECRET-CONTENT"
) -> gd.DocumentError:
    with pytest.raises(gd.DocumentError) as info:
        gd.from_xml(xml)
    assert secret_text not in str(info.value)
    return info.value


def test_xxe_local_file_is_refused(secret: Path) -> None:
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<report xmlns="urn:gov-disclosure:report:2021"><year>2023</year>'
        "<agency><name>&x;</name></agency></report>"
    )
    error = _assert_refused(xml)
    assert isinstance(error, gd.UnsafeXMLError)


def test_xxe_network_is_refused() -> None:
    xml = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1:9/evil">]>'
        '<report xmlns="urn:gov-disclosure:report:2021"><agency><name>&x;</name></agency></report>'
    )
    assert isinstance(_assert_refused(xml), gd.UnsafeXMLError)


def test_billion_laughs_is_refused() -> None:
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    xml = f'<?xml version="1.0"?><!DOCTYPE r [{entities}]><report xmlns="urn:gov-disclosure:report:2021">&a9;</report>'
    assert isinstance(_assert_refused(xml), gd.UnsafeXMLError)


def test_external_dtd_is_refused(secret: Path) -> None:
    xml = f'<?xml version="1.0"?><!DOCTYPE report SYSTEM "file://{secret}"><report/>'
    assert isinstance(_assert_refused(xml), gd.UnsafeXMLError)


def test_utf16_doctype_is_refused(secret: Path) -> None:
    xml = f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]><report>&x;</report>'
    assert isinstance(_assert_refused(xml.encode("utf-16")), gd.UnsafeXMLError)


@pytest.mark.parametrize(
    "prolog",
    [
        b"",
        b"\xef\xbb\xbf",  # a UTF-8 byte-order mark
        b'<?xml version="1.0" encoding="UTF-8"?>\n',
        "<!-- 注释：中文，多字节 --><?pi 中?>\n".encode(),
        b"<!--" + "长".encode() * 5000 + b"-->",  # a prolog longer than any head we might read
    ],
)
def test_a_doctype_in_utf8_bytes_is_refused_after_any_prolog(secret: Path, prolog: bytes) -> None:
    # UTF-8 bytes go to libxml2 as they are; the DTD check reads them without decoding
    xml = (
        prolog + f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]><report>&x;</report>'.encode()
    )
    assert isinstance(_assert_refused(xml), gd.UnsafeXMLError)


@pytest.mark.parametrize(
    "bad",
    [
        b"\xff",  # never UTF-8
        b"\xc0\xbc",  # an overlong "<"
        b"\xed\xa0\x80",  # a surrogate (U+D800) encoded as UTF-8
        b"\xf4\x90\x80\x80",  # past U+10FFFF
        b"\xe4\xb8",  # a character cut short
    ],
)
def test_bytes_that_are_not_utf8_are_refused_with_their_line(sample: gd.Report, bad: bytes) -> None:
    xml = gd.to_xml(sample).replace(b"<other_matters>", b"<other_matters>" + bad, 1)
    error = _assert_refused(xml)
    assert not isinstance(error, gd.UnsafeXMLError)
    (problem,) = error.problems
    assert problem.line is not None and problem.line > 1
    assert "encoding" in problem.message


def test_utf8_bytes_read_as_their_text(sample: gd.Report) -> None:
    xml = gd.to_xml(sample)
    assert gd.from_xml(xml) == gd.from_xml(xml.decode("utf-8")) == sample
    assert gd.from_xml(b"\xef\xbb\xbf" + xml) == sample
    declared_gbk = xml.decode("utf-8").replace("encoding='UTF-8'", "encoding='GBK'", 1)
    assert declared_gbk != xml.decode("utf-8")
    assert gd.from_xml(declared_gbk.encode("gb18030")) == sample


def test_xinclude_is_never_processed(secret: Path, sample: gd.Report) -> None:
    xml = gd.to_xml(sample).replace(
        b"<other_matters>",
        f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://{secret}" parse="text"/><other_matters>'.encode(),
    )
    error = _assert_refused(xml)
    assert "include" in str(error)


def test_oversized_input_is_refused() -> None:
    xml = b"<report>" + b" " * (MAX_XML_BYTES + 1) + b"</report>"
    error = _assert_refused(xml)
    assert isinstance(error, gd.UnsafeXMLError)
    assert "limit" in str(error)


@pytest.mark.parametrize(
    "junk",
    [
        b"",
        b"<",
        b"not xml",
        b"\xff\xfe\x00\x00garbage",
        b"<?xml version='1.0' encoding='klingon'?><a/>",
        "<report>未闭合",
        b"<a>" * 300 + b"</a>" * 300,
    ],
)
def test_junk_xml_raises_document_error(junk: bytes | str) -> None:
    with pytest.raises(gd.DocumentError):
        gd.from_xml(junk)


def test_from_xml_reads_a_path(tmp_path: Path, sample: gd.Report) -> None:
    path = tmp_path / "r.xml"
    path.write_bytes(gd.to_xml(sample))
    assert gd.from_xml(path) == sample
    assert gd.from_xml(str(path)) == sample
    with pytest.raises(gd.DocumentError, match="cannot read"):
        gd.from_xml(tmp_path / "missing.xml")


def test_shipped_xsd_equals_the_generator() -> None:
    from gov_disclosure.schemas.xsd import xsd_text

    for edition in ("2021", "2019"):
        assert (REPO / "schemas" / edition / "report.xsd").read_text(encoding="utf-8") == xsd_text(
            edition
        )
        assert isinstance(xml_schema(edition), etree.XMLSchema)


# --- CLI ----------------------------------------------------------------------------------


def test_convert_json_to_xml_and_back(tmp_path: Path, sample: gd.Report) -> None:
    src = tmp_path / "r.json"
    src.write_text(gd.dumps(sample), encoding="utf-8")
    assert main(["convert", str(src), "-o", str(tmp_path / "r.xml")]) == 0
    assert gd.from_xml(tmp_path / "r.xml") == sample
    assert main(["convert", str(tmp_path / "r.xml"), "-o", str(tmp_path / "back.json")]) == 0
    assert json.loads((tmp_path / "back.json").read_text(encoding="utf-8")) == json.loads(
        gd.dumps(sample)
    )


def test_convert_needs_a_target_format_it_can_tell(tmp_path: Path, sample: gd.Report) -> None:
    src = tmp_path / "r.json"
    src.write_text(gd.dumps(sample), encoding="utf-8")
    with pytest.raises(SystemExit) as info:  # -o names no format
        main(["convert", str(src), "-o", str(tmp_path / "r.out")])
    assert info.value.code == 2
    # without -o or --to: the other format than the input's (issue 26 §2 #4)
    assert main(["convert", str(src), "-o", "-"]) == 0


def test_validate_accepts_xml_and_reports_xml_errors(
    tmp_path: Path, sample: gd.Report, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.xml"
    good.write_bytes(gd.to_xml(sample))
    bad = tmp_path / "bad.xml"
    bad.write_bytes(gd.to_xml(sample).replace(b"<total>116</total>", b"<total>x</total>", 1))
    assert main(["validate", str(good)]) == 0
    assert main(["validate", str(good), str(bad)]) == 1
    err = capsys.readouterr().err
    assert "requests.new_received.total" in err


_NS = "urn:gov-disclosure:report:2021"


def _shape_problem(xml: str) -> str:
    with pytest.raises(gd.DocumentError) as caught:
        gd.from_xml(xml)
    assert len(caught.value.problems) == 1  # bounded before the XSD lists every excess
    problem = caught.value.problems[0]
    return f"{problem.path}: {problem.message}"


def test_too_many_elements_are_refused_before_the_schema() -> None:
    xml = f'<report xmlns="{_NS}">' + "<x/>\n" * 6000 + "</report>"
    # the root is element 1: the 5001st is the 5000th <x/>, on line 5000
    assert _shape_problem(xml) == "line 5000: more than 5000 elements; not a report"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            '<agency name="x"/>',
            "line 1: element agency has 1 attribute(s); the format has none here",
        ),
        (
            '<unread><cell address="year" reason="r" extra="e"/></unread>',
            "line 1: element cell has 3 attribute(s); the format has none here",
        ),
    ],
)
def test_unexpected_attributes_are_refused_with_their_line(body: str, expected: str) -> None:
    assert _shape_problem(f'<report xmlns="{_NS}">{body}</report>') == expected


def test_unread_marks_pass_the_shape_check(sample: gd.Report) -> None:
    # marks are the one place attributes occur: the fast XPath path hands them to the loop
    blank = attrs.evolve(sample.requests.new_received, total=None)
    marked = attrs.evolve(
        sample,
        requests=attrs.evolve(sample.requests, new_received=blank),
        unread={"requests.new_received.total": "ambiguous"},
    )
    assert b"<cell " in gd.to_xml(marked)
    assert gd.from_xml(gd.to_xml(marked)) == marked


@SLOW
@given(arbitrary_reports() | with_unread() | with_ocr())
def test_both_xml_readers_give_the_report_back(report: gd.Report) -> None:
    # from_xml builds the model straight from the tree; when the model refuses what the XSD
    # let through, the JSON-shaped reader explains why: the two must agree on every report
    from gov_disclosure.serialization.json_format import from_dict
    from gov_disclosure.serialization.xml_format import _build, _node, _read
    from gov_disclosure.serialization.xml_security import parse_untrusted_xml

    root = parse_untrusted_xml(gd.to_xml(report))
    node = _node(type(report), xml_namespace(report.format))
    assert _build(node, root) == report
    assert from_dict({**_read(node, root), "format": report.format}) == report


def test_a_hostile_tag_never_becomes_an_unbounded_address(sample: gd.Report) -> None:
    # the XSD names the element it refuses; a tag longer than any of the model's keys is the
    # document's, not a field of the model, and is dropped from the problem's address
    tag = "x" * 5000
    xml = gd.to_xml(sample).replace(b"<year>", f"<{tag}/><year>".encode(), 1)
    with pytest.raises(gd.DocumentError) as info:
        gd.from_xml(xml)
    assert info.value.problems
    for problem in info.value.problems:
        assert len(problem.path) <= 200 and len(problem.address or "") <= 200


_COUNT = "<natural_person>116</natural_person>"
_MONEY = "<amount_wan_yuan>0</amount_wan_yuan>"
_MAX = str(2**53 - 1)


@pytest.mark.parametrize(
    ("original", "text", "value"),
    [
        (_COUNT, _MAX, 2**53 - 1),
        (_COUNT, " +007\n", 7),
        (_COUNT, "0", 0),
        (_COUNT, str(2**53), None),
        (_COUNT, "-1", None),
        (_COUNT, "1.0", None),
        (_COUNT, "\u0663", None),  # an Arabic-Indic digit: int() reads it, the XSD does not
        (_MONEY, "9" * 24, Decimal("9" * 24)),
        (_MONEY, " 0." + "5" * 12 + " ", Decimal("0." + "5" * 12)),
        (_MONEY, "1.50", Decimal("1.50")),
        (_MONEY, "9" * 25, None),
        (_MONEY, "0." + "5" * 13, None),
        (_MONEY, "-1", None),
        (_MONEY, "1e3", None),
        (_MONEY, "NaN", None),
    ],
)
def test_cells_built_without_their_validators_hold_what_the_validators_hold(
    sample: gd.Report, original: str, text: str, value: object
) -> None:
    # rows of counts and amounts are built from a schema-valid tree without running their
    # validators again: what the XSD accepts must be what the validators accept (value), and
    # what it refuses (None) never reaches the model
    from gov_disclosure.serialization.json_format import from_dict
    from gov_disclosure.serialization.xml_format import _node, _read
    from gov_disclosure.serialization.xml_security import parse_untrusted_xml

    tag = original[1 : original.index(">")]
    xml = gd.to_xml(sample).replace(original.encode(), f"<{tag}>{text}</{tag}>".encode(), 1)
    if value is None:
        with pytest.raises(gd.DocumentError, match=tag):
            gd.from_xml(xml)
        return
    report = gd.from_xml(xml)
    address = "requests.new_received" if tag == "natural_person" else "proactive_disclosure.fees"
    assert gd.get_cell(report, f"{address}.{tag}") == value
    node = _node(type(report), xml_namespace(report.format))
    validated = from_dict({**_read(node, parse_untrusted_xml(xml)), "format": report.format})
    assert validated == report


@pytest.mark.parametrize(
    ("text", "value"),
    [(f"-{_MAX}", -(2**53 - 1)), (f" +{_MAX} ", 2**53 - 1), (f"-{2**53}", None), ("-1.5", None)],
)
def test_a_signed_change_built_without_its_validator_holds_its_bounds(
    text: str, value: int | None
) -> None:
    report = gd.with_cell(
        expected_report("pingtan-2019"), "proactive_disclosure.licensing.change", -2
    )
    xml = gd.to_xml(report).replace(b"<change>-2</change>", f"<change>{text}</change>".encode())
    if value is None:
        with pytest.raises(gd.DocumentError, match="change"):
            gd.from_xml(xml)
    else:
        read = gd.from_xml(xml)
        assert gd.get_cell(read, "proactive_disclosure.licensing.change") == value
        assert gd.loads(gd.dumps(read)) == read  # the validating reader takes it too


def test_rows_are_built_without_validators_only_where_the_xsd_checks_everything() -> None:
    # the classes built from their field values are those of counts, amounts and groups of
    # them; a class with text, marks or a post-init check keeps its __init__
    from gov_disclosure.serialization.xml_format import _node

    for edition, cls in gd.model.report.EDITIONS.items():
        _node(cls, xml_namespace(edition))
    from gov_disclosure.serialization.xml_format import _NODES

    trusted = {node.cls.__name__ for node in _NODES.values() if node.trusted is not None}
    assert {"ApplicantRow", "Outcomes", "Requests", "FeesRow2021", "ReviewLitigation"} <= trusted
    assert not trusted & {"Agency", "Report2021", "Report2019"}
