"""What a report says about itself: its template edition, year, publishing body and level.

The edition is told from the labels (never from the year); the year and the body from the
title (or the statistics period). A body's administrative level and kind are what its name
proves, and only that is filled in: ``…县人民政府`` is a county government, ``…镇人民政府``
a township government, ``…县…局`` a county department. A name ending in ``市人民政府`` may be
a province-level, prefecture-level or county-level city, so its level stays blank (the four
municipalities directly under the central government excepted).
"""

from __future__ import annotations

import re

from gov_disclosure.parsing.document import Document
from gov_disclosure.parsing.labels import normalize

__all__ = ["detect_edition", "edition_of_normalized", "find_title", "infer_agency"]

_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")

# A department's name ends with one of these (the working bodies of a government).
_DEPARTMENT = re.compile(
    r"(局|委员会|委|厅|办公室|办公厅|部|署|院|中心|所|站|队|处|办|管理委员会|分局)$"
)
_GOVERNMENT = re.compile(r"(人民政府|街道办事处)$")

# The last administrative unit named in front of a department word, and its level.
# 区 counts only in "…区人民政府…": 社区, 开发区, 实验区, 新区 prove nothing.
_UNIT_LEVEL: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(镇|乡)(人民政府)?|街道办事处"), "township"),
    (re.compile(r"(自治县|县|旗)(人民政府)?|区人民政府"), "county"),
    (re.compile(r"(自治区|省)(人民政府)?"), "provincial"),
)


def _level_of_government(name: str) -> str | None:
    base = name.removesuffix("人民政府").removesuffix("街道办事处")
    if name.endswith("街道办事处") or base.endswith(("镇", "乡")):
        return "township"
    if base.endswith(("县", "旗", "区")) and not base.endswith("自治区"):
        return "county"
    if base.endswith(("省", "自治区")) or base in _MUNICIPALITIES:
        return "provincial"
    return None  # a city: province-, prefecture- or county-level


def _level_of_department(name: str) -> str | None:
    if name.startswith(_MUNICIPALITIES) and not re.search(r"[县旗区镇乡]", name[3:]):
        # a municipality's own department (a district one names its 区)
        return "provincial"
    best: tuple[int, str] | None = None
    for pattern, level in _UNIT_LEVEL:
        for match in pattern.finditer(name):
            # the unit must stand before the department words, not inside them (区 in 社区)
            if match.start() > 0 and (best is None or match.start() > best[0]):
                best = (match.start(), level)
    if best is None:
        return None
    return best[1]  # "…市…局" alone proves nothing about the city


def infer_agency(name: str) -> tuple[str | None, str | None]:
    """``(level, kind)`` proven by a publishing body's name, each ``None`` when unproven.

    >>> infer_agency("沭阳县人民政府")
    ('county', 'government')
    >>> infer_agency("沭阳县发展和改革局")
    ('county', 'department')
    >>> infer_agency("柳州市人民政府办公室")
    (None, 'department')
    """
    compact = re.sub(r"\s+", "", name)
    if _GOVERNMENT.search(compact):
        return _level_of_government(compact), "government"
    if _DEPARTMENT.search(compact):
        return _level_of_department(compact), "department"
    return None, None


_SIGNALS_2019 = (
    "本年新制作数量",
    "上一年项目数量",
    "第二十条第(九)项",
    "采购总金额",
    "本年新公开数量",
)
_SIGNALS_2021 = ("本年制发件数", "现行有效件数", "本年收费金额(单位:万元)", "本年废止件数")

_TITLE_AGENCY_FIRST = re.compile(
    r"(?P<agency>[\u4e00-\u9fff（）()·]{2,40}?)(?P<year>2\d{3})年度?(?:政府信息公开|政务公开)"
    r"(?:工作)?(?:年度)?报告"
)
_TITLE_YEAR_FIRST = re.compile(
    r"(?P<year>2\d{3})年度?(?P<agency>[\u4e00-\u9fff（）()·]{2,30}?)(?:政府信息公开|政务公开)"
    r"(?:工作)?(?:年度)?报告"
)
_STAT_PERIOD = re.compile(r"(20\d{2})年1月1日")


def detect_edition(text: str) -> str | None:
    """The template edition from the labels in a report's text (never from the year)."""
    return edition_of_normalized(normalize(text))


def edition_of_normalized(norm: str) -> str | None:
    """:func:`detect_edition` of text already passed through ``normalize``."""
    score_2019 = sum(s in norm for s in _SIGNALS_2019)
    score_2021 = sum(s in norm for s in _SIGNALS_2021)
    if not score_2019 and not score_2021:
        return None
    return "2019" if score_2019 > score_2021 else "2021"


def find_title(doc: Document) -> tuple[str | None, int | None]:
    """``(agency, year)`` from the title, or from the first 4,000 characters of text."""
    candidates = [doc.title] if doc.title else []
    candidates.append(doc.text[:4000])
    for text in candidates:
        compact = re.sub(r"\s+", "", text or "")
        matches = [m for p in (_TITLE_AGENCY_FIRST, _TITLE_YEAR_FIRST) if (m := p.search(compact))]
        if matches:
            match = min(matches, key=lambda m: m.start())
            return match.group("agency").strip("（）()"), int(match.group("year"))
    period = _STAT_PERIOD.search(re.sub(r"\s+", "", doc.text))
    return None, int(period.group(1)) if period else None
