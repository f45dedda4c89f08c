"""The rule set (勾稽关系 and plausibility checks) as data.

Rules are declared once in :data:`RULES`. Arithmetic identities are *instantiated* from the
model's template layout: every applicant row, every column, every table-4 block. The result
is a :class:`RuleSet` per edition with one :class:`Layout` per table-3 shape (the 2021
edition also has the hybrid layout with a single （六）其他处理 row). The same data is
exported to ``schemas/<edition>/rules.json`` for programs in other languages
(:func:`export_rules`).

An identity says ``sum(w * left) == sum(w * right)``. Blank leaves count as 0; a *derived*
cell (the stated total of a sum) is never imputed: when it is blank the identity is not
assessable.
"""

from __future__ import annotations

import functools
import json
from typing import Any, Literal

import attrs

from gov_disclosure.model.addressing import cells
from gov_disclosure.model.fields import info
from gov_disclosure.model.report import EDITIONS, Report2019, Report2021, template_report
from gov_disclosure.model.tables import APPLICANT_COLUMNS, ApplicantRow
from gov_disclosure.rules.prose import export_prose

__all__ = [
    "BLANK_SHARE",
    "CROSS_YEAR_RULES",
    "DEFAULT_RULES",
    "RULES",
    "RULES_FORMAT_VERSION",
    "SEVERITIES",
    "Identity",
    "Layout",
    "Rule",
    "RuleSet",
    "Severity",
    "Term",
    "export_rules",
    "render_rules",
    "rule_set",
]

Severity = Literal["error", "inconsistency", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "inconsistency", "warning", "info")
"""Severities from most to least serious."""

RULES_FORMAT_VERSION = "1.1"

BLANK_SHARE = 0.5
"""``plausibility.blank_share`` fires when more than this share of a table's read cells is
blank. Measured on the corpus's nine real reports: seven leave at most 1 of table 3's 175
cells blank, two leave 71 % and 90 % blank (zeros not printed), so one half separates them
with a wide margin either side."""
"""Version of the ``rules.json`` file format (not of the rules)."""

TABLE_NAMES = {
    "proactive_disclosure": ("表二", "table 2"),
    "requests": ("表三", "table 3"),
    "review_litigation": ("表四", "table 4"),
}


@attrs.frozen(kw_only=True)
class Rule:
    """A rule's identity and wording.

    Attributes:
        id: Stable rule id (format-spec.md §8), e.g. ``requests.balance``.
        severity: ``error``, ``inconsistency``, ``warning`` or ``info``.
        scope: Where one finding points: ``column``, ``row``, ``block``, ``table``,
            ``report`` or ``cross_year``.
        kind: ``identity`` (evaluated from :class:`Identity` instances) or the name of a
            built-in check (``blank_total``, ``all_blank_table``, ``regulations_by_level``,
            ``outdated_edition``, ``hybrid_edition``, ``invalid_document``,
            ``parts_not_reported``, ``timeliness``, ``sentence_reuse``, ``split_cell``,
            ``blank_share``, and the prose
            checks ``text_claim``, ``text_bound``, ``part_missing``, ``problems_missing``,
            ``fees_not_reported``, ``text_repeated``).
        title: Short title, ``{"zh": ..., "en": ...}``.
        message: Message templates with ``{placeholders}`` (see the docs' rule reference).
        editions: Editions the rule applies to.
        default: Whether the rule runs when ``select=`` is not given. A rule that is not a
            default one runs only when selected by name: ``timeliness.date_unknown`` says
            what a scoring pack could not assess, which a report's own author has no use for;
            ``plausibility.blank_share`` is for a completeness review (many agencies leave
            nil cells blank, which the identities count as 0).
    """

    id: str
    severity: Severity
    scope: str
    kind: str
    title: dict[str, str]
    message: dict[str, str]
    editions: tuple[str, ...] = ("2021", "2019")
    default: bool = True


_SUM_MESSAGE = {
    "zh": "写明 {stated}，各项合计 {computed}，相差 {difference}",
    "en": "stated {stated}, the items add up to {computed} (difference {difference})",
}

# a total printed over blank parts: the breakdown is missing, which is not an arithmetic error
_PARTS_MESSAGE = {
    "zh": "合计为 {stated}，但各分项均未填写（未分项填报）",
    "en": "the total is {stated} but none of its parts is reported (the breakdown is "
    "missing; not an arithmetic error)",
}

RULES: tuple[Rule, ...] = (
    Rule(
        id="requests.balance",
        severity="inconsistency",
        scope="column",
        kind="identity",
        title={
            "zh": "一+二 = （七）总计+四",
            "en": "received + carried over = concluded + carried forward",
        },
        message={
            "zh": "一、本年新收与二、上年结转之和为 {stated}，"
            "（七）总计与四、结转下年度继续办理之和为 "
            "{computed}，相差 {difference}",
            "en": "new + carried over = {stated}, but concluded + carried forward = {computed} "
            "(difference {difference})",
        },
    ),
    Rule(
        id="requests.outcomes_total",
        severity="inconsistency",
        scope="column",
        kind="identity",
        title={
            "zh": "（七）总计 = 各项办理结果之和",
            "en": "total concluded = sum of the outcome rows",
        },
        message=_SUM_MESSAGE,
    ),
    Rule(
        id="requests.applicant_total",
        severity="inconsistency",
        scope="row",
        kind="identity",
        title={"zh": "总计 = 各类申请人之和", "en": "row total = sum of the applicant columns"},
        message=_SUM_MESSAGE,
    ),
    Rule(
        id="review_litigation.block_total",
        severity="inconsistency",
        scope="block",
        kind="identity",
        title={
            "zh": "总计 = 维持+纠正+其他+尚未审结",
            "en": "block total = upheld + corrected + other + pending",
        },
        message=_SUM_MESSAGE,
    ),
    *(  # one per table of sums: requests (rows and columns), review and litigation blocks
        Rule(
            id=f"{table}.parts_not_reported",
            severity="warning",
            scope=scope,
            kind="parts_not_reported",
            title={"zh": "只填写合计，未分项填报", "en": "total stated, its parts not reported"},
            message=_PARTS_MESSAGE,
        )
        for table, scope in (("requests", "row"), ("review_litigation", "block"))
    ),
    Rule(
        id="cross_year.carry_over",
        severity="inconsistency",
        scope="cross_year",
        kind="identity",
        title={
            "zh": "本年上年结转 = 上年结转下年度",
            "en": "carried over = last year's carried forward",
        },
        message={
            "zh": "二、上年结转 {stated}，上年报告四、结转下年度继续办理 {computed}，"
            "相差 {difference}"
            "（机构调整后可能合理不符）",
            "en": "carried over {stated}, but last year's report carried forward {computed} "
            "(difference {difference}; may legitimately differ after a reorganisation)",
        },
    ),
    Rule(
        id="cross_year.documents_in_force",
        severity="warning",
        scope="cross_year",
        kind="identity",
        title={
            "zh": "现行有效件数 ≈ 上年现行有效 + 本年制发 − 本年废止",
            "en": "in force ≈ last year's in force + issued − repealed",
        },
        message={
            "zh": "现行有效件数 {stated}，上年现行有效件数 + 本年制发 − 本年废止 = "
            "{computed}，相差 "
            "{difference}（文件也可能自然失效）",
            "en": "in force {stated}, last year's in force + issued − repealed = {computed} "
            "(difference {difference}; documents also lapse without repeal)",
        },
        editions=("2021",),
    ),
    Rule(
        id="cross_year.agency_mismatch",
        severity="warning",
        scope="cross_year",
        kind="agency_mismatch",
        title={"zh": "上年报告的发布机关名称不同", "en": "last year's report names another body"},
        message={
            "zh": "本年报告发布机关为“{agency}”，上年报告为“{previous_agency}”，请确认是同一机关",
            "en": "this report is by '{agency}' but last year's is by '{previous_agency}'; "
            "make sure they are the same body",
        },
    ),
    Rule(
        id="cross_year.text_repeated",
        severity="warning",
        scope="cross_year",
        kind="text_repeated",
        title={"zh": "文字部分与上年雷同", "en": "text copied from last year's report"},
        message={
            "zh": "{section}与上年报告相似度 {similarity}（阈值 {threshold}），"
            "最长相同段落 {shared_length} 字：“{shared}”",
            "en": "{section_en} is {similarity} similar to last year's (threshold {threshold}); "
            "the longest shared passage has {shared_length} characters: “{shared}”",
        },
    ),
    Rule(
        id="cross_year.sentences_reused",
        severity="warning",
        scope="cross_year",
        kind="sentence_reuse",
        title={"zh": "正文大量沿用上年语句", "en": "most sentences reused from last year"},
        message={
            "zh": "正文{share}（按字数计，{matched}/{sentences}句，不含{excluded}句套话）"
            "与上年报告语句相同（阈值 {threshold}）；4字片段相似度 {resemblance}。"
            "例：“{example}”",
            "en": "{share} of the text (by length: {matched} of {sentences} sentences, "
            "{excluded} boilerplate sentence(s) left out) repeats last year's sentences "
            "(threshold {threshold}); 4-gram resemblance {resemblance}. For example: "
            "“{example}”",
        },
    ),
    Rule(
        id="text.table_mismatch",
        severity="warning",
        scope="text",
        kind="text_claim",
        title={"zh": "文字与表格数字不符", "en": "the text states another figure than the table"},
        message={
            "zh": "{section}写明“{phrase}”（{stated}），表中为 {computed}，相差 {difference}；"
            "原句：“{quote}”",
            "en": "{section_en} states “{phrase}” ({stated}), but the table holds {computed} "
            "(difference {difference}); sentence: “{quote}”",
        },
    ),
    Rule(
        id="text.not_assessed",
        severity="info",
        scope="text",
        kind="text_bound",
        title={
            "zh": "文字部分超出核对范围，未全部与表格核对",
            "en": "text beyond the comparison's bounds, not compared in full with the tables",
        },
        message={
            "zh": "{section}{reason}，这部分文字中的数字未与表格核对",
            "en": "{section_en}: {reason_en}; the figures in that text were not compared with "
            "the tables",
        },
    ),
    Rule(
        id="narrative.part_missing",
        severity="warning",
        scope="report",
        kind="part_missing",
        title={"zh": "缺少报告的必备部分", "en": "a required part of the report is missing"},
        message={
            "zh": "未找到{part}",
            "en": "{part_en} is missing",
        },
    ),
    Rule(
        id="narrative.problems_missing",
        severity="warning",
        scope="report",
        kind="problems_missing",
        title={
            "zh": "未说明存在的主要问题及改进情况",
            "en": "problems and improvements not stated",
        },
        message={
            "zh": "五、存在的主要问题及改进情况{reason_zh}，未能说明问题和改进措施",
            "en": "part 5 (problems and improvements) {reason_en}: it does not state a problem "
            "and a measure",
        },
    ),
    Rule(
        id="narrative.fees_not_reported",
        severity="warning",
        scope="report",
        kind="fees_not_reported",
        title={"zh": "未报告信息处理费收取情况", "en": "information-processing fees not reported"},
        message={
            "zh": "六、其他需要报告的事项未报告信息处理费的收取情况"
            "（国办公开办函〔2021〕30号要求）",
            "en": "part 6 (other matters) does not report the information-processing fees "
            "(信息处理费) collected, as the 2021 notice requires",
        },
        editions=("2021",),
    ),
    Rule(
        id="format.outdated_edition",
        severity="warning",
        scope="report",
        kind="outdated_edition",
        title={"zh": "使用了旧版（2019）格式", "en": "legacy 2019 layout used"},
        message={
            "zh": "{year}年度报告使用了国办公开办函〔2019〕60号的旧版表格格式，"
            "2021年起应使用〔2021〕30号格式",
            "en": "the {year} report uses the 2019 table layout; reports for 2021 onward use the "
            "2021 edition",
        },
        editions=("2019",),
    ),
    Rule(
        id="format.hybrid_edition",
        severity="warning",
        scope="report",
        kind="hybrid_edition",
        title={"zh": "混合格式：（六）其他处理未分项", "en": "hybrid layout: single （六） row"},
        message={
            "zh": "表二为2021年版格式，但表三（六）其他处理只有一行、未按2021年版分为三项",
            "en": "table 2 follows the 2021 edition but table 3 has a single （六）其他处理 row "
            "instead of its three 2021 sub-rows",
        },
        editions=("2021",),
    ),
    Rule(
        id="timeliness.late_publication",
        severity="warning",
        scope="report",
        kind="timeliness",
        title={"zh": "年度报告逾期发布", "en": "annual report published late"},
        message={
            "zh": "{year}年度报告发布日期为{published}，晚于《条例》第五十条规定的"
            "{deadline}（逾期{days}天）",
            "en": "the {year} report was published on {published}, {days} day(s) after the "
            "deadline of {deadline} (Regulations, Art. 50)",
        },
    ),
    Rule(
        id="timeliness.date_unknown",
        severity="info",
        scope="report",
        kind="timeliness",
        title={"zh": "未注明发布日期", "en": "no publication date"},
        message={
            "zh": "未找到{year}年度报告的发布日期，无法核验是否在{deadline}前发布",
            "en": "no publication date for the {year} report: whether it was published by "
            "{deadline} cannot be assessed",
        },
        default=False,
    ),
    Rule(
        id="plausibility.blank_total",
        severity="warning",
        scope="row",
        kind="blank_total",
        title={"zh": "合计为空但分项有数", "en": "blank total with filled parts"},
        message={
            "zh": "合计栏为空，但分项合计为 {computed}；{rule_zh}无法核验",
            "en": "the total is blank although its parts add up to {computed}; {rule_en} cannot "
            "be assessed",
        },
    ),
    Rule(
        id="plausibility.all_blank_table",
        severity="warning",
        scope="table",
        kind="all_blank_table",
        title={"zh": "整表为空", "en": "table entirely blank"},
        message={
            "zh": "整张表格所有单元格均为空（未填写任何数字，包括0）",
            "en": "every cell of the table is blank (not even zeros were printed)",
        },
    ),
    Rule(
        id="plausibility.blank_share",
        severity="warning",
        scope="table",
        kind="blank_share",
        title={"zh": "表格大部分单元格为空", "en": "most cells of a table blank"},
        message={
            "zh": "已读取的 {read} 个单元格中有 {blank} 个为空"
            "（{share}，超过 {threshold}）：没有的数字应填写 0，空白无法与未填报区分",
            "en": "{blank} of the {read} cells read are blank ({share}, more than "
            "{threshold}): a figure that is nil should be printed as 0; a blank cannot be told "
            "from one not reported",
        },
        # off by default: the identities count a blank as 0, and many agencies (the built-in
        # sample among them) leave nil cells blank; a completeness review selects it
        default=False,
    ),
    Rule(
        id="plausibility.regulations_by_level",
        severity="warning",
        scope="row",
        kind="regulations_by_level",
        title={"zh": "该层级机关不能制定规章", "en": "this level of body cannot make 规章"},
        message={
            "zh": "{level_zh}机关报告了规章 {stated} 件；"
            "只有国务院部门、省级政府和设区的市级政府可以制定规章",
            "en": "a {level} body reports {stated} 规章 (rules); only State Council departments, "
            "provincial governments and cities with districts make them",
        },
    ),
    Rule(
        id="plausibility.split_cell",
        severity="info",
        scope="row",
        kind="split_cell",
        title={"zh": "疑似拆格", "en": "a number possibly split across two cells"},
        message={
            "zh": "{cells}：相邻两格 {first} 和 {second} 若合为一格 {merged}，"
            "{rule_zh}即可成立（仅供核对原件，数值未改动）",
            "en": "{cells}: the adjacent cells {first} and {second} read as one cell "
            "{merged} would make “{rule_en}” hold (a hint for the reviewer; no value was "
            "changed)",
        },
    ),
    Rule(
        id="document.invalid",
        severity="error",
        scope="report",
        kind="invalid_document",
        title={"zh": "文件不是有效的年度报告", "en": "not a valid report document"},
        message={"zh": "{detail}", "en": "{detail}"},
    ),
)
"""Every rule, in the order findings are reported."""

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

CROSS_YEAR_RULES: frozenset[str] = frozenset(r.id for r in RULES if r.scope == "cross_year")
"""The rules that compare a report with last year's (``check(previous=...)``)."""

DEFAULT_RULES: frozenset[str] = frozenset(r.id for r in RULES if r.default)
"""The rules that run when ``select=`` is not given. To run one that is off by default
beside them: ``check(report, select=DEFAULT_RULES | {"plausibility.blank_share"})``
(``check --extend-select`` on the command line)."""


@attrs.frozen
class Term:
    """One weighted cell of an identity.

    Attributes:
        cell: Canonical cell address.
        weight: +1 or −1.
        previous: The cell is read from last year's report.
    """

    cell: str
    weight: int = 1
    previous: bool = False

    def to_json(self) -> dict[str, Any]:
        """The term as JSON data."""
        data: dict[str, Any] = {"cell": self.cell, "weight": self.weight}
        if self.previous:
            data["report"] = "previous"
        return data


@attrs.frozen(kw_only=True)
class Identity:
    """One instance of an identity rule: ``sum(left) == sum(right)``.

    Attributes:
        rule: The rule id.
        key: The instance's stable key within the rule (e.g. the column key).
        left: The stated side (for a sum: the total).
        right: The computed side (for a sum: the items).
        location: Chinese and English location: ``{"table": ..., "row": ..., "column": ...}``.
        tolerance: Allowed absolute difference (0 for counts).
    """

    rule: str
    key: str
    left: tuple[Term, ...]
    right: tuple[Term, ...]
    location: dict[str, str]
    tolerance: int = 0

    def to_json(self) -> dict[str, Any]:
        """The identity as JSON data."""
        return {
            "rule": self.rule,
            "key": self.key,
            "left": [t.to_json() for t in self.left],
            "right": [t.to_json() for t in self.right],
            "location": self.location,
            "tolerance": self.tolerance,
        }


@attrs.frozen(kw_only=True)
class Layout:
    """The identities of one table layout, and the cells that are never imputed."""

    name: str
    identities: tuple[Identity, ...]
    derived_cells: frozenset[str]
    cells: tuple[str, ...]


@attrs.frozen(kw_only=True)
class RuleSet:
    """The rules of one edition, with one :class:`Layout` per table-3 shape."""

    edition: str
    rules: tuple[Rule, ...]
    layouts: dict[str, Layout]

    def layout_for(self, report: Report2021 | Report2019) -> Layout:
        """The layout a report uses (``hybrid`` for a 2021 hybrid report)."""
        return self.layouts["hybrid" if report.is_hybrid else "standard"]


# --- instantiating identities from the template -------------------------------------------

ORG_COLUMNS = APPLICANT_COLUMNS[:-1]


CellLayout = tuple[tuple[str, tuple[str, ...]], ...]


def _row_labels(layout: CellLayout) -> dict[str, tuple[str, ...]]:
    """Row address -> labels, for every applicant row of a layout."""
    rows: dict[str, tuple[str, ...]] = {}
    for address, labels in layout:
        if address.startswith("requests.") and address.endswith(".total"):
            rows[address[: -len(".total")]] = labels[:-1]
    return rows


def _location(table: str, row: str | None = None, column: str | None = None) -> dict[str, str]:
    zh, en = TABLE_NAMES[table]
    loc = {"table": zh, "table_en": en}
    if row is not None:
        loc["row"] = row
    if column is not None:
        loc["column"] = column
    return loc


# Column labels from the model's metadata (自然人 … 总计).
_COLUMN_LABELS = {a.name: info(a).label for a in attrs.fields(ApplicantRow)}


def _table3_identities(layout: CellLayout) -> list[Identity]:
    rows = _row_labels(layout)
    identities: list[Identity] = []
    for row, labels in rows.items():
        identities.append(
            Identity(
                rule="requests.applicant_total",
                key=row,
                left=(Term(f"{row}.total"),),
                right=tuple(Term(f"{row}.{c}") for c in ORG_COLUMNS),
                location=_location("requests", row=labels[-1], column="总计"),
            )
        )
    leaves = [
        r for r in rows if r.startswith("requests.outcomes.") and r != "requests.outcomes.total"
    ]
    for column in APPLICANT_COLUMNS:
        label = _COLUMN_LABELS[column]
        identities.append(
            Identity(
                rule="requests.outcomes_total",
                key=column,
                left=(Term(f"requests.outcomes.total.{column}"),),
                right=tuple(Term(f"{r}.{column}") for r in leaves),
                location=_location("requests", row="（七）总计", column=label),
            )
        )
        identities.append(
            Identity(
                rule="requests.balance",
                key=column,
                left=(
                    Term(f"requests.new_received.{column}"),
                    Term(f"requests.carried_over.{column}"),
                ),
                right=(
                    Term(f"requests.outcomes.total.{column}"),
                    Term(f"requests.carried_forward.{column}"),
                ),
                location=_location("requests", row="一+二 = （七）+四", column=label),
            )
        )
    return identities


def _table4_identities(layout: CellLayout) -> list[Identity]:
    blocks: dict[str, tuple[str, list[str]]] = {}
    for address, labels in layout:
        if address.startswith("review_litigation."):
            block, _, column = address.rpartition(".")
            blocks.setdefault(block, (labels[-2], []))[1].append(column)
    return [
        Identity(
            rule="review_litigation.block_total",
            key=block,
            left=(Term(f"{block}.total"),),
            right=tuple(Term(f"{block}.{c}") for c in columns if c != "total"),
            location=_location("review_litigation", row=label, column="总计"),
        )
        for block, (label, columns) in blocks.items()
    ]


def _cross_year_identities(edition: str) -> list[Identity]:
    identities = [
        Identity(
            rule="cross_year.carry_over",
            key=column,
            left=(Term(f"requests.carried_over.{column}"),),
            right=(Term(f"requests.carried_forward.{column}", previous=True),),
            location=_location(
                "requests", row="二、上年结转政府信息公开申请数量", column=_COLUMN_LABELS[column]
            ),
        )
        for column in APPLICANT_COLUMNS
    ]
    if edition == "2021":
        for row, label in (("regulations", "规章"), ("normative_documents", "行政规范性文件")):
            base = f"proactive_disclosure.{row}"
            identities.append(
                Identity(
                    rule="cross_year.documents_in_force",
                    key=row,
                    left=(Term(f"{base}.in_force"),),
                    right=(
                        Term(f"{base}.in_force", previous=True),
                        Term(f"{base}.issued"),
                        Term(f"{base}.repealed", weight=-1),
                    ),
                    location=_location("proactive_disclosure", row=label, column="现行有效件数"),
                )
            )
    return identities


SUM_RULES = frozenset(
    {"requests.applicant_total", "requests.outcomes_total", "review_litigation.block_total"}
)


def _layout(name: str, edition: str) -> Layout:
    template = template_report(edition, hybrid=name == "hybrid")
    layout: CellLayout = tuple((c.address, c.labels) for c in cells(template))
    identities = [
        *_table3_identities(layout),
        *_table4_identities(layout),
        *_cross_year_identities(edition),
    ]
    derived = frozenset(i.left[0].cell for i in identities if i.rule in SUM_RULES)
    return Layout(
        name=name,
        identities=tuple(identities),
        derived_cells=derived,
        cells=tuple(address for address, _ in layout),
    )


@functools.cache
def rule_set(edition: str) -> RuleSet:
    """The rule set of an edition (built once from the model).

    Raises:
        ValueError: for an unknown edition.
    """
    if edition not in EDITIONS:
        raise ValueError(
            f"unknown template edition {edition!r}; expected one of {sorted(EDITIONS)}"
        )
    names = ("standard", "hybrid") if edition == "2021" else ("standard",)
    layouts = {name: _layout(name, edition) for name in names}
    rules = tuple(r for r in RULES if edition in r.editions)
    return RuleSet(edition=edition, rules=rules, layouts=layouts)


def export_rules(edition: str) -> dict[str, Any]:
    """The rule set of an edition as language-neutral JSON data (``rules.json``)."""
    rs = rule_set(edition)
    return {
        "format_version": RULES_FORMAT_VERSION,
        "edition": edition,
        "semantics": {
            "identity": "sum(weight * value of left terms) == sum(weight * value of right terms), "
            "within tolerance",
            "blank": "a blank (null/absent) cell counts as 0, except a derived cell: if any "
            "derived cell of an identity is blank the identity is not assessable",
            "layout": "use layout 'hybrid' for a 2021 report whose requests.outcomes.other is a "
            "single applicant row, otherwise 'standard'",
            "previous": "terms with report 'previous' are read from the same body's report for "
            "the previous year; rules with scope cross_year apply only when it is given",
            "unread": "a report's 'unread' object names cells a parser could not read (address "
            "-> reason). An unread cell is never counted, not even as 0: an identity with an "
            "unread term, or with a blank derived term one of whose parts is unread, is not "
            "assessable (an info finding naming the unread cells, never an inconsistency). A "
            "table with an unread cell is not 'all blank'. Terms read from the previous report "
            "follow the previous report's 'unread' object",
            "severities": list(SEVERITIES),
            "text": "rules of kind text_claim, text_bound, part_missing, problems_missing, "
            "fees_not_reported and text_repeated read the report's text parts, as described "
            "in the 'text' object; a report with no text part at all is not assessed by them. "
            "A figure is compared only with cells holding a read value (never a blank or "
            "unread cell)",
            "timeliness": "rules of kind timeliness read the report's 'published' date: "
            "late_publication when it falls after 31 March of the year after the report's "
            "year (the Regulations, Art. 50), date_unknown when there is none",
            "default": "a rule whose 'default' is false runs only when it is selected by name",
            "blank_share": "a rule of kind blank_share counts, per table, the cells read (not "
            "unread) and the blank ones among them; it fires when blank > read * "
            f"{BLANK_SHARE} and the table is not all blank (all_blank_table says that)",
        },
        "rules": [
            {
                "id": r.id,
                "severity": r.severity,
                "scope": r.scope,
                "kind": r.kind,
                "title": r.title,
                "message": r.message,
                "default": r.default,
            }
            for r in rs.rules
        ],
        "text": export_prose(),
        "layouts": {
            name: {
                "derived_cells": sorted(layout.derived_cells),
                "identities": [i.to_json() for i in layout.identities],
            }
            for name, layout in rs.layouts.items()
        },
    }


def render_rules(edition: str) -> str:
    """The ``rules.json`` file's exact text."""
    return json.dumps(export_rules(edition), ensure_ascii=False, indent=2) + "\n"
