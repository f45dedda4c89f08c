"""What a report says about itself: its template edition, year, publishing body and level.

The edition is told from the labels (never from the year); the year and the body from the
title (or the statistics period). A body's administrative level and kind are what its name
proves, and only that is filled in: ``…县人民政府`` is a county government, ``…镇人民政府``
a township government, ``…县…局`` a county department. A name ending in ``市人民政府`` may be
a province-level, prefecture-level or county-level city, so its level stays blank (the four
municipalities directly under the central government excepted).
"""

from __future__ import annotations

import datetime
import re

from gov_disclosure.parsing.document import Document, Line, Provenance
from gov_disclosure.parsing.labels import normalize

__all__ = [
    "detect_edition",
    "edition_of_normalized",
    "find_publication_date",
    "find_title",
    "infer_agency",
]

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
# What prose puts before a report's title (现将…2023年政府信息公开工作年度报告向社会公布), and
# a body naming itself (我局, 本机关): neither is a name.
_LEAD_IN = re.compile(r"^(?:现将|特将|兹将|现把)")
_SELF_REFERENCE = re.compile(
    r"^[本我](?:机关|单位|部门|局|委|办|院|厅|署|中心|区|市|县|镇|乡|街道|级|站|所|会|司|处)$"
)


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


def _agency_named(pieces: list[str]) -> str | None:
    """The body a title phrase names, from its agency part as printed (split at white space).

    ``None`` for prose (``现将``), a self-reference (``我局``), and a part that runs over white
    space: ``首页 政务公开 平潭综合实验区`` (a breadcrumb before the title) and ``柳州市 人民政府
    办公室`` cannot be told apart, and a wrong name is worse than none. A letter-spaced name
    (``柳 州 市 人 民 政 府``) is one name.
    """
    if len(pieces) > 1 and any(len(piece) > 1 for piece in pieces):
        return None
    name = _LEAD_IN.sub("", "".join(pieces).strip("（）()")).strip("（）()")
    if len(name) < 2 or _SELF_REFERENCE.match(name):
        return None
    return name


def _pieces(text: str) -> tuple[str, list[int]]:
    """``text`` without white space, and for each of its characters the piece it was in."""
    parts = text.split()
    owner = [i for i, part in enumerate(parts) for _ in part]
    return "".join(parts), owner


def find_title(doc: Document) -> tuple[str | None, int | None]:
    """``(agency, year)`` from the title, or from the first 4,000 characters of text.

    The first title phrase that names a body (see :func:`_agency_named`) gives both: prose
    that only refers to the report (``现将2023年政府信息公开工作年度报告向社会公布``,
    ``我局2023年…``) names none, nor does a title run together with the page's breadcrumb. A
    wrong publishing body would be worse than none, which the caller then asks for
    (``agency=``); the first phrase's year is kept.
    """
    candidates = [doc.title] if doc.title else []
    candidates.append(doc.text[:4000])
    year: int | None = None
    for text in candidates:
        compact, owner = _pieces(text or "")
        matches = sorted(
            (m for p in (_TITLE_AGENCY_FIRST, _TITLE_YEAR_FIRST) for m in p.finditer(compact)),
            key=lambda m: m.start(),
        )
        for match in matches:
            start, end = match.span("agency")
            pieces: dict[int, str] = {}
            for i in range(start, end):
                pieces[owner[i]] = pieces.get(owner[i], "") + compact[i]
            agency = _agency_named(list(pieces.values()))
            if agency is not None:
                return agency, int(match.group("year"))
            year = year or int(match.group("year"))
    if year is not None:
        return None, year
    period = _STAT_PERIOD.search(re.sub(r"\s+", "", doc.text))
    return None, int(period.group(1)) if period else None


# --- the publication date ----------------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9})
_DATE = (
    r"(?P<y>\d{4}|[〇○零O一二三四五六七八九]{4})\s*[-年./]\s*"
    r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*[-月./]\s*"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日?"
)
# a labelled line: 发布日期：2024-01-17, 成文日期: 2024年1月17日 (a colon: never the prose
# "对成文日期、发布日期等要素进行标注")
_LABELLED = re.compile(r"(?P<label>发布日期|发布时间|成文日期|印发日期)\s*[:：]\s*" + _DATE)
_SIGNATURE = re.compile(r"^\s*" + _DATE + r"\s*$")
_SIGNATURE_LINES = 6  # the signature date is among the last non-empty lines


def _cn_number(text: str) -> int:
    """An Arabic or Chinese-numeral number: 2024, 二〇二四 (digit by digit), 十七, 二十三."""
    if text.isdigit():
        return int(text)
    if len(text) == 4 and "十" not in text:  # a year, digit by digit
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    tens, _, units = text.partition("十")
    if "十" not in text:
        return _CN_DIGITS[text]
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def _date(match: re.Match[str], year: int) -> datetime.date | None:
    """The date a match names, if it is a real date a report of ``year`` can be published on.

    Publication falls after the year's end (a date in the year's last month is allowed: a
    report signed on 31 December) and not after today: a page's "today" widget or a date in
    the prose is not a publication date.
    """
    try:
        found = datetime.date(
            _cn_number(match.group("y")), _cn_number(match.group("m")), _cn_number(match.group("d"))
        )
    except (KeyError, ValueError):
        return None
    if not datetime.date(year, 12, 1) <= found <= datetime.date.today():
        return None
    return found


def find_publication_date(doc: Document, year: int) -> tuple[datetime.date, Provenance] | None:
    """The report's publication date and where it was found, or ``None``.

    In order of trust: a metadata line (a crawler header's ``发布时间``), a labelled line in
    the text (``发布日期：``, ``成文日期：``), the signature date closing the report (``落款``:
    a line that is only a date, among the last lines; Chinese numerals too). The signature
    date is when the report was signed: it was published then or later.
    """
    if doc.published is not None:
        raw, location = doc.published
        match = _LABELLED.search(raw)
        if match and (found := _date(match, year)):
            return found, Provenance(raw, location, match.group("label"))
    dated = [(m, day) for m in _LABELLED.finditer(doc.text) if (day := _date(m, year))]
    # 发布 (publication) before 成文 (signature) when both are printed
    dated.sort(key=lambda pair: not pair[0].group("label").startswith("发布"))
    if dated:
        match, found = dated[0]
        line = doc.text.count("\n", 0, match.start()) + 1
        where = _location(doc, match.group(0), f"text line {line}")
        return found, Provenance(match.group(0), where, match.group("label"))
    lines = doc.text.splitlines()
    tail = [i for i, text in enumerate(lines) if text.strip()][-_SIGNATURE_LINES:]
    for index in reversed(tail):
        match = _SIGNATURE.match(lines[index].replace("\u3000", " "))
        if match and (found := _date(match, year)):
            raw = lines[index].strip()
            return found, Provenance(raw, _location(doc, raw, f"text line {index + 1}"), "落款")
    return None


def _location(doc: Document, raw: str, fallback: str) -> str:
    """Where the extractor saw ``raw`` (its last line holding it), else ``fallback``."""
    for item in reversed(doc.items):
        if isinstance(item, Line) and raw in item.text:
            return item.location
    return fallback
