"""Tables 3 and 4, shared by both template editions (format-spec.md §5, §6).

The only difference between the editions is ``outcomes.other``: three sub-rows in
``"2021"``, one applicant row in ``"2019"`` (and in the 2021 *hybrid*). :class:`Outcomes` and
:class:`Requests` are generic in that row's type so each edition gets exact static types from
one definition.
"""

from __future__ import annotations

from typing import Generic, TypeVar

import attrs

from gov_disclosure.model.fields import Model, count, group

__all__ = [
    "APPLICANT_COLUMNS",
    "ApplicantRow",
    "NotProcessed",
    "OtherOutcomes",
    "Outcomes",
    "Requests",
    "ReviewBlock",
    "ReviewLitigation",
    "UnableToProvide",
    "Withheld",
]

OtherT = TypeVar("OtherT", covariant=True)  # frozen classes: a hybrid row set is a valid 2021 one


@attrs.frozen(kw_only=True, repr=False)
class ApplicantRow(Model):
    """One row of table 3: a count per applicant type and the row total."""

    natural_person: int | None = count("自然人", "natural persons")
    commercial_enterprise: int | None = count("商业企业", "commercial enterprises")
    research_institution: int | None = count("科研机构", "research institutions")
    social_welfare_org: int | None = count("社会公益组织", "social welfare organisations")
    legal_service_org: int | None = count("法律服务机构", "legal service organisations")
    other_org: int | None = count("其他", "other organisations")
    total: int | None = count("总计", "total")


APPLICANT_COLUMNS: tuple[str, ...] = tuple(a.name for a in attrs.fields(ApplicantRow))
"""Table-3 column keys in template order; the last one, ``total``, is the row total."""


@attrs.frozen(kw_only=True, repr=False)
class Withheld(Model):
    """（三）不予公开: the eight grounds for withholding."""

    state_secret: ApplicantRow = group(ApplicantRow, "1.属于国家秘密", "state secret")
    prohibited_by_law: ApplicantRow = group(
        ApplicantRow, "2.其他法律行政法规禁止公开", "prohibited by other laws and regulations"
    )
    security_and_stability: ApplicantRow = group(
        ApplicantRow, "3.危及“三安全一稳定”", "endangers security or stability"
    )
    third_party_rights: ApplicantRow = group(
        ApplicantRow, "4.保护第三方合法权益", "protects third-party rights"
    )
    internal_affairs: ApplicantRow = group(
        ApplicantRow, "5.属于三类内部事务信息", "internal affairs information"
    )
    process_information: ApplicantRow = group(
        ApplicantRow, "6.属于四类过程性信息", "process information"
    )
    enforcement_case_files: ApplicantRow = group(
        ApplicantRow, "7.属于行政执法案卷", "administrative enforcement case files"
    )
    administrative_inquiry: ApplicantRow = group(
        ApplicantRow, "8.属于行政查询事项", "administrative inquiry matters"
    )


@attrs.frozen(kw_only=True, repr=False)
class UnableToProvide(Model):
    """（四）无法提供."""

    not_held: ApplicantRow = group(
        ApplicantRow, "1.本机关不掌握相关政府信息", "information not held by this body"
    )
    requires_creation: ApplicantRow = group(
        ApplicantRow, "2.没有现成信息需要另行制作", "would have to be newly created"
    )
    unclear_after_correction: ApplicantRow = group(
        ApplicantRow, "3.补正后申请内容仍不明确", "still unclear after correction"
    )


@attrs.frozen(kw_only=True, repr=False)
class NotProcessed(Model):
    """（五）不予处理."""

    petition_or_complaint: ApplicantRow = group(
        ApplicantRow, "1.信访举报投诉类申请", "petitions, reports and complaints"
    )
    duplicate: ApplicantRow = group(ApplicantRow, "2.重复申请", "duplicate requests")
    publication: ApplicantRow = group(
        ApplicantRow, "3.要求提供公开出版物", "requests for published material"
    )
    excessive_repetition: ApplicantRow = group(
        ApplicantRow, "4.无正当理由大量反复申请", "excessive repeated requests"
    )
    confirmation_or_reissue: ApplicantRow = group(
        ApplicantRow,
        "5.要求行政机关确认或重新出具已获取信息",
        "requests to confirm or reissue information already obtained",
    )


@attrs.frozen(kw_only=True, repr=False)
class OtherOutcomes(Model):
    """（六）其他处理 with the three sub-rows of the 2021 edition."""

    correction_overdue: ApplicantRow = group(
        ApplicantRow,
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "applicant did not correct the request in time",
    )
    fee_unpaid: ApplicantRow = group(
        ApplicantRow,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "applicant did not pay the fee in time",
    )
    other: ApplicantRow = group(ApplicantRow, "3.其他", "other")


@attrs.frozen(kw_only=True, repr=False)
class Outcomes(Model, Generic[OtherT]):
    """三、本年度办理结果: every concluded request in exactly one result row."""

    granted: ApplicantRow = group(ApplicantRow, "（一）予以公开", "granted")
    partially_granted: ApplicantRow = group(
        ApplicantRow,
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "partially granted",
    )
    withheld: Withheld = group(Withheld, "（三）不予公开", "withheld")
    unable_to_provide: UnableToProvide = group(
        UnableToProvide, "（四）无法提供", "unable to provide"
    )
    not_processed: NotProcessed = group(NotProcessed, "（五）不予处理", "not processed")
    # The edition decides the type; Report classes check it and supply the default.
    other: OtherT = group(None, "（六）其他处理", "other handling")
    total: ApplicantRow = group(ApplicantRow, "（七）总计", "total concluded")


@attrs.frozen(kw_only=True, repr=False)
class Requests(Model, Generic[OtherT]):
    """Table 3, 三、收到和处理政府信息公开申请情况."""

    new_received: ApplicantRow = group(
        ApplicantRow, "一、本年新收政府信息公开申请数量", "new requests received this year"
    )
    carried_over: ApplicantRow = group(
        ApplicantRow, "二、上年结转政府信息公开申请数量", "requests carried over from last year"
    )
    # built without a shape (Requests()), （六）其他处理 is None until a report gives its
    # edition's: three sub-rows (2021) or one row (2019, and the 2021 hybrid)
    outcomes: Outcomes[OtherT] = group(
        None, "三、本年度办理结果", "outcomes this year", default=attrs.Factory(lambda: Outcomes())
    )
    carried_forward: ApplicantRow = group(
        ApplicantRow, "四、结转下年度继续办理", "requests carried forward to next year"
    )


@attrs.frozen(kw_only=True, repr=False)
class ReviewBlock(Model):
    """One block of table 4: results of reviews or lawsuits."""

    upheld: int | None = count("结果维持", "upheld")
    corrected: int | None = count("结果纠正", "corrected")
    other: int | None = count("其他结果", "other result")
    pending: int | None = count("尚未审结", "pending")
    total: int | None = count("总计", "total")


@attrs.frozen(kw_only=True, repr=False)
class ReviewLitigation(Model):
    """Table 4, 四、政府信息公开行政复议、行政诉讼情况."""

    administrative_review: ReviewBlock = group(ReviewBlock, "行政复议", "administrative review")
    litigation_direct: ReviewBlock = group(
        ReviewBlock, "未经复议直接起诉", "lawsuits filed without prior review"
    )
    litigation_after_review: ReviewBlock = group(
        ReviewBlock, "复议后起诉", "lawsuits filed after review"
    )
