"""Table 2, 二、主动公开政府信息情况, one class set per edition (format-spec.md §4).

Table 2 has no arithmetic identities; its rows are grouped in blocks captioned by the items of
Regulation art. 20. The caption is kept as field metadata so renderers and parsers can print
and recognise the blocks.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

import attrs

from gov_disclosure.model.fields import Model, count, group, money, signed, text

__all__ = [
    "DecisionsRow",
    "DocumentsRow2019",
    "DocumentsRow2021",
    "FeesRow2019",
    "FeesRow2021",
    "ItemsRow2019",
    "ProactiveDisclosure2019",
    "ProactiveDisclosure2021",
    "ProcurementRow2019",
]

ITEM_1 = "第二十条第（一）项"
ITEM_5 = "第二十条第（五）项"
ITEM_6 = "第二十条第（六）项"
ITEM_8 = "第二十条第（八）项"
ITEM_9 = "第二十条第（九）项"


# --- edition 2021 ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False)
class DocumentsRow2021(Model):
    """规章 / 行政规范性文件 in the 2021 edition."""

    issued: int | None = count("本年制发件数", "issued this year")
    repealed: int | None = count("本年废止件数", "repealed this year")
    in_force: int | None = count("现行有效件数", "currently in force")


@attrs.frozen(kw_only=True, repr=False)
class DecisionsRow(Model):
    """行政许可 / 行政处罚 / 行政强制 in the 2021 edition."""

    decisions: int | None = count("本年处理决定数量", "decisions this year")


@attrs.frozen(kw_only=True, repr=False)
class FeesRow2021(Model):
    """行政事业性收费 in the 2021 edition."""

    amount_wan_yuan: Decimal | None = money(
        "本年收费金额（单位：万元）", "fees collected this year, in 10,000 yuan"
    )


@attrs.frozen(kw_only=True, repr=False)
class ProactiveDisclosure2021(Model):
    """Table 2 of the 2021 edition."""

    edition: ClassVar[str] = "2021"

    regulations: DocumentsRow2021 = group(DocumentsRow2021, "规章", "rules", caption=ITEM_1)
    normative_documents: DocumentsRow2021 = group(
        DocumentsRow2021, "行政规范性文件", "normative documents", caption=ITEM_1
    )
    licensing: DecisionsRow = group(DecisionsRow, "行政许可", "licensing", caption=ITEM_5)
    penalties: DecisionsRow = group(DecisionsRow, "行政处罚", "penalties", caption=ITEM_6)
    coercive_measures: DecisionsRow = group(
        DecisionsRow, "行政强制", "coercive measures", caption=ITEM_6
    )
    fees: FeesRow2021 = group(FeesRow2021, "行政事业性收费", "administrative fees", caption=ITEM_8)


# --- edition 2019 ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False)
class DocumentsRow2019(Model):
    """规章 / 规范性文件 in the 2019 edition."""

    made: int | None = count("本年新制作数量", "made this year")
    published: int | None = count("本年新公开数量", "published this year")
    total_published: int | None = count("对外公开总数量", "total published")


@attrs.frozen(kw_only=True, repr=False)
class ItemsRow2019(Model):
    """行政许可 / 其他对外管理服务事项 / 行政处罚 / 行政强制 in the 2019 edition."""

    prior_year_items: int | None = count("上一年项目数量", "items in the prior year")
    change: int | None = signed("本年增/减", "change this year (signed)")
    decisions: int | None = count("处理决定数量", "decisions")


@attrs.frozen(kw_only=True, repr=False)
class FeesRow2019(Model):
    """行政事业性收费 in the 2019 edition."""

    prior_year_items: int | None = count("上一年项目数量", "items in the prior year")
    change: int | None = signed("本年增/减", "change this year (signed)")


@attrs.frozen(kw_only=True, repr=False)
class ProcurementRow2019(Model):
    """政府集中采购 in the 2019 edition. The unit of ``amount`` is not printed in the header."""

    projects: int | None = count("采购项目数量", "procurement projects")
    amount: Decimal | None = money("采购总金额", "total procurement amount")
    amount_unit: str | None = text(
        "金额单位", "unit printed with the amount (e.g. 元)", kind="unit"
    )


@attrs.frozen(kw_only=True, repr=False)
class ProactiveDisclosure2019(Model):
    """Table 2 of the 2019 edition."""

    edition: ClassVar[str] = "2019"

    regulations: DocumentsRow2019 = group(DocumentsRow2019, "规章", "rules", caption=ITEM_1)
    normative_documents: DocumentsRow2019 = group(
        DocumentsRow2019, "规范性文件", "normative documents", caption=ITEM_1
    )
    licensing: ItemsRow2019 = group(ItemsRow2019, "行政许可", "licensing", caption=ITEM_5)
    other_services: ItemsRow2019 = group(
        ItemsRow2019, "其他对外管理服务事项", "other external management services", caption=ITEM_5
    )
    penalties: ItemsRow2019 = group(ItemsRow2019, "行政处罚", "penalties", caption=ITEM_6)
    coercive_measures: ItemsRow2019 = group(
        ItemsRow2019, "行政强制", "coercive measures", caption=ITEM_6
    )
    fees: FeesRow2019 = group(FeesRow2019, "行政事业性收费", "administrative fees", caption=ITEM_8)
    procurement: ProcurementRow2019 = group(
        ProcurementRow2019, "政府集中采购", "centralised government procurement", caption=ITEM_9
    )
