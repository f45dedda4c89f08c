"""The typed model: keys and labels of FORMAT.md §4–§6, validation, cell addressing."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

import gov_disclosure as gd
from gov_disclosure.model import iter_cell_fields

# Transcribed from FORMAT.md independently of the code: (key, exact label).
APPLICANT_COLUMNS = [
    ("natural_person", "自然人"),
    ("commercial_enterprise", "商业企业"),
    ("research_institution", "科研机构"),
    ("social_welfare_org", "社会公益组织"),
    ("legal_service_org", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
]
TABLE3_ROWS = [
    ("new_received", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("outcomes", "三、本年度办理结果"),
    ("outcomes.granted", "（一）予以公开"),
    ("outcomes.partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("outcomes.withheld", "（三）不予公开"),
    ("outcomes.withheld.state_secret", "1.属于国家秘密"),
    ("outcomes.withheld.prohibited_by_law", "2.其他法律行政法规禁止公开"),
    ("outcomes.withheld.security_and_stability", "3.危及“三安全一稳定”"),
    ("outcomes.withheld.third_party_rights", "4.保护第三方合法权益"),
    ("outcomes.withheld.internal_affairs", "5.属于三类内部事务信息"),
    ("outcomes.withheld.process_information", "6.属于四类过程性信息"),
    ("outcomes.withheld.enforcement_case_files", "7.属于行政执法案卷"),
    ("outcomes.withheld.administrative_inquiry", "8.属于行政查询事项"),
    ("outcomes.unable_to_provide", "（四）无法提供"),
    ("outcomes.unable_to_provide.not_held", "1.本机关不掌握相关政府信息"),
    ("outcomes.unable_to_provide.requires_creation", "2.没有现成信息需要另行制作"),
    ("outcomes.unable_to_provide.unclear_after_correction", "3.补正后申请内容仍不明确"),
    ("outcomes.not_processed", "（五）不予处理"),
    ("outcomes.not_processed.petition_or_complaint", "1.信访举报投诉类申请"),
    ("outcomes.not_processed.duplicate", "2.重复申请"),
    ("outcomes.not_processed.publication", "3.要求提供公开出版物"),
    ("outcomes.not_processed.excessive_repetition", "4.无正当理由大量反复申请"),
    ("outcomes.not_processed.confirmation_or_reissue", "5.要求行政机关确认或重新出具已获取信息"),
    ("outcomes.other", "（六）其他处理"),
    (
        "outcomes.other.correction_overdue",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        "outcomes.other.fee_unpaid",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("outcomes.other.other", "3.其他"),
    ("outcomes.total", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
]
TABLE2_2021 = {
    "regulations": (
        "规章",
        [("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")],
    ),
    "normative_documents": (
        "行政规范性文件",
        [("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")],
    ),
    "licensing": ("行政许可", [("decisions", "本年处理决定数量")]),
    "penalties": ("行政处罚", [("decisions", "本年处理决定数量")]),
    "coercive_measures": ("行政强制", [("decisions", "本年处理决定数量")]),
    "fees": ("行政事业性收费", [("amount_wan_yuan", "本年收费金额（单位：万元）")]),
}
_ITEMS = [
    ("prior_year_items", "上一年项目数量"),
    ("change", "本年增/减"),
    ("decisions", "处理决定数量"),
]
TABLE2_2019 = {
    "regulations": (
        "规章",
        [
            ("made", "本年新制作数量"),
            ("published", "本年新公开数量"),
            ("total_published", "对外公开总数量"),
        ],
    ),
    "normative_documents": (
        "规范性文件",
        [
            ("made", "本年新制作数量"),
            ("published", "本年新公开数量"),
            ("total_published", "对外公开总数量"),
        ],
    ),
    "licensing": ("行政许可", _ITEMS),
    "other_services": ("其他对外管理服务事项", _ITEMS),
    "penalties": ("行政处罚", _ITEMS),
    "coercive_measures": ("行政强制", _ITEMS),
    "fees": ("行政事业性收费", _ITEMS[:2]),
    "procurement": ("政府集中采购", [("projects", "采购项目数量"), ("amount", "采购总金额")]),
}
TABLE4_BLOCKS = [
    ("administrative_review", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_review", "复议后起诉"),
]
TABLE4_COLUMNS = [
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
]


def _labels(edition: str) -> dict[str, tuple[str, ...]]:
    return {a: labels for a, labels, _ in iter_cell_fields(gd.report_class(edition))}


def _group_label(cls: type, dotted: str) -> str:
    obj: object = gd.report_class("2021").blank_tables()["requests"]
    parts = dotted.split(".")
    for part in parts[:-1]:
        obj = getattr(obj, part)
    attribute = attrs.fields_dict(type(obj))[parts[-1]]
    return gd.model.info(attribute).label


@pytest.mark.parametrize("edition", ["2021", "2019"])
def test_table3_rows_and_columns_have_exact_labels(edition: str) -> None:
    labels = _labels(edition)
    for key, label in TABLE3_ROWS:
        if edition == "2019" and key.startswith("outcomes.other."):
            continue
        assert _group_label(gd.Requests, key) == label
        if key in (
            "outcomes",
            "outcomes.withheld",
            "outcomes.unable_to_provide",
            "outcomes.not_processed",
        ):
            continue
        if key == "outcomes.other" and edition == "2021":
            continue
        for column, column_label in APPLICANT_COLUMNS:
            address = f"requests.{key}.{column}"
            assert labels[address][-1] == column_label
            assert labels[address][-2] == label
            assert labels[address][0] == "三、收到和处理政府信息公开申请情况"


@pytest.mark.parametrize(("edition", "table"), [("2021", TABLE2_2021), ("2019", TABLE2_2019)])
def test_table2_keys_and_labels(
    edition: str, table: dict[str, tuple[str, list[tuple[str, str]]]]
) -> None:
    labels = _labels(edition)
    expected = {}
    for row, (row_label, columns) in table.items():
        for column, column_label in columns:
            expected[f"proactive_disclosure.{row}.{column}"] = (
                "二、主动公开政府信息情况",
                row_label,
                column_label,
            )
    actual = {a: lab for a, lab in labels.items() if a.startswith("proactive_disclosure.")}
    assert actual == expected


@pytest.mark.parametrize("edition", ["2021", "2019"])
def test_table4_keys_and_labels(edition: str) -> None:
    labels = _labels(edition)
    actual = {a: lab for a, lab in labels.items() if a.startswith("review_litigation.")}
    expected = {
        f"review_litigation.{b}.{c}": ("四、政府信息公开行政复议、行政诉讼情况", bl, cl)
        for b, bl in TABLE4_BLOCKS
        for c, cl in TABLE4_COLUMNS
    }
    assert actual == expected


def test_cell_counts_per_edition_and_hybrid() -> None:
    agency = gd.Agency(name="某县人民政府")
    assert len(gd.cells(gd.Report2021(year=2023, agency=agency))) == 10 + 25 * 7 + 15
    assert len(gd.cells(gd.Report2019(year=2020, agency=agency))) == 22 + 23 * 7 + 15
    hybrid = gd.Report2021(
        year=2024,
        agency=agency,
        requests=gd.Requests(outcomes=gd.Outcomes(other=gd.ApplicantRow())),
    )
    assert hybrid.is_hybrid
    assert len(gd.cells(hybrid)) == 10 + 23 * 7 + 15


def test_blank_is_not_zero() -> None:
    blank = gd.ApplicantRow()
    zero = gd.ApplicantRow(natural_person=0)
    assert blank.natural_person is None
    assert blank != zero


@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (lambda: gd.ApplicantRow(total=-1), "ApplicantRow.total"),
        (lambda: gd.ReviewBlock(pending=-2), "ReviewBlock.pending"),
        (lambda: gd.DocumentsRow2021(issued=-1), "DocumentsRow2021.issued"),
        (lambda: gd.FeesRow2021(amount_wan_yuan=Decimal("-1")), "FeesRow2021.amount_wan_yuan"),
        (lambda: gd.ApplicantRow(total=True), "ApplicantRow.total"),
        (lambda: gd.ApplicantRow(total=1.0), "ApplicantRow.total"),
        (lambda: gd.FeesRow2021(amount_wan_yuan=1.5), "FeesRow2021.amount_wan_yuan"),
        (lambda: gd.Agency(name=""), "Agency.name"),
        (lambda: gd.Agency(name="x", level="city"), "Agency.level"),
        (lambda: gd.Report2021(year=2018, agency=gd.Agency(name="x")), "Report2021.year"),
    ],
)
def test_invalid_values_are_rejected_naming_the_field(factory: object, field: str) -> None:
    with pytest.raises(ValueError, match=field.replace(".", r"\.")):
        factory()  # type: ignore[operator]


def test_signed_change_accepts_negative_values() -> None:
    assert gd.ItemsRow2019(change=-3).change == -3


def test_editions_refuse_each_others_tables() -> None:
    agency = gd.Agency(name="x")
    with pytest.raises(TypeError, match="proactive_disclosure"):
        gd.Report2021(year=2023, agency=agency, proactive_disclosure=gd.ProactiveDisclosure2019())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"outcomes\.other"):
        gd.Report2019(
            year=2020,
            agency=agency,
            requests=gd.Requests(outcomes=gd.Outcomes(other=gd.OtherOutcomes())),  # type: ignore[arg-type]
        )


def test_models_are_frozen(sample: gd.Report) -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        sample.year = 2000  # type: ignore[misc]


def test_cells_in_template_order_with_labels(sample: gd.Report) -> None:
    cells = gd.cells(sample)
    addresses = [c.address for c in cells]
    assert addresses[0] == "proactive_disclosure.regulations.issued"
    assert addresses.index("requests.new_received.natural_person") < addresses.index(
        "requests.outcomes.granted.natural_person"
    )
    assert addresses[-1] == "review_litigation.litigation_after_review.total"
    by_address = {c.address: c for c in cells}
    cell = by_address["requests.outcomes.withheld.state_secret.natural_person"]
    assert cell.labels == (
        "三、收到和处理政府信息公开申请情况",
        "三、本年度办理结果",
        "（三）不予公开",
        "1.属于国家秘密",
        "自然人",
    )
    assert cell.value is None
    assert by_address["requests.new_received.total"].value == 116


def test_get_and_with_cell(sample: gd.Report) -> None:
    address = "requests.outcomes.other.other.natural_person"
    assert gd.get_cell(sample, address) == 3
    changed = gd.with_cell(sample, address, 4)
    assert gd.get_cell(changed, address) == 4
    assert gd.get_cell(sample, address) == 3  # the original is untouched
    assert changed != sample
    assert gd.with_cell(changed, address, 3) == sample
    blanked = gd.with_cell(sample, address, None)
    assert gd.get_cell(blanked, address) is None


@pytest.mark.parametrize(
    "address",
    [
        "",
        "requests",
        "requests.outcomes.total",
        "requests.nope.total",
        "year",
        "agency.name",
        "requests.new_received.total.x",
        "proactive_disclosure.procurement.amount",
    ],
)
def test_bad_addresses_raise_address_error(sample: gd.Report, address: str) -> None:
    with pytest.raises(gd.AddressError):
        gd.get_cell(sample, address)
    with pytest.raises(gd.AddressError):
        gd.with_cell(sample, address, 1)


def test_with_cell_validates_the_value(sample: gd.Report) -> None:
    with pytest.raises(ValueError, match="natural_person"):
        gd.with_cell(sample, "requests.new_received.natural_person", -1)


def _model_classes() -> list[type]:
    import typing

    from gov_disclosure.model.introspection import is_model_class, resolved_fields, union_members

    found: list[type] = []

    def walk(tp: object) -> None:
        cls = typing.get_origin(tp) or tp
        assert isinstance(cls, type)
        if cls in found:
            return
        found.append(cls)
        for _, ftype in resolved_fields(tp):
            for member in union_members(ftype):
                if is_model_class(member):
                    walk(member)

    walk(gd.Report2021)
    walk(gd.Report2019)
    return found


def test_field_types_are_what_typing_get_type_hints_gives() -> None:
    # resolved_fields evaluates each annotation string once per module (a cold-start
    # saving); the types must be exactly typing's
    import typing

    from gov_disclosure.model.introspection import _field_types

    classes = _model_classes()
    assert len(classes) > 15
    for cls in classes:
        hints = typing.get_type_hints(cls)
        assert _field_types(cls) == {a.name: hints[a.name] for a in attrs.fields(cls)}, cls


def test_repr_is_attrs_format_and_classes_stay_slotted(sample: gd.Report) -> None:
    # the classes share one __repr__ (repr=False spares attrs compiling one per class at
    # import); it must write what attrs' own does
    row = sample.requests.new_received
    assert repr(row) == (
        "ApplicantRow(natural_person=116, commercial_enterprise=None, research_institution=None, "
        "social_welfare_org=None, legal_service_org=None, other_org=None, total=116)"
    )
    assert repr(sample.agency) == (
        "Agency(name='柳州市人民政府办公室', region='广西壮族自治区柳州市', "
        "level='prefectural', kind='department')"
    )
    assert repr(sample).startswith("Report2021(year=2023, agency=Agency(name=")
    for cls in _model_classes():
        assert "__repr__" not in vars(cls), cls  # no per-class repr was generated
        assert "__slots__" in vars(cls) and cls.__dictoffset__ == 0, cls  # no instance dict
