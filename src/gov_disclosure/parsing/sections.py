"""The text parts of a report (一 overview, 五 problems, 六 other matters), found by their headings.

A heading is recognised by its words; when a report numbers its parts differently (an
inserted part), by its words at the start of a line whatever its number. Page footers and
trailing page chrome (附件下载, 打印本页, 关闭窗口 ...) are dropped.
"""

from __future__ import annotations

import re

__all__ = ["extract_sections", "misnumbered_headings", "reflow"]

_SECTION_PATTERNS = {
    "overview": r"一、[^\n。]{0,12}?总体情况",
    "table2": r"二、[^\n。]{0,12}?主动公开[^\n。]{0,8}?情况",
    "table3": r"三、[^\n。]{0,6}?收到和处理[^\n。]{0,14}?情况",
    "table4": r"四、[^\n。]{0,16}?行政法?复议[^\n。]{0,14}?情况",
    "problems": r"五、[^\n。]{0,16}?(?:存在的)?主要问题(?:及|和)?(?:改进|整改)?(?:情况|措施)?",
    "other": r"六、其他需要报告的事项",
}
# When a report numbers its parts differently (an inserted part: 七、其他需要报告的事项), a
# heading is recognised by its words at the start of a line, whatever its number.
_ANY_NUMBER = r"(?m)^[ \t]*(?:[一二三四五六七八九十]+\s*、|第[一二三四五六七八九十]+部分\s*)"
_SECTION_FALLBACKS = {
    "overview": _ANY_NUMBER + r"[^\n。]{0,12}?总体情况",
    "problems": _ANY_NUMBER
    + r"[^\n。]{0,16}?(?:存在的)?主要问题(?:及|和)?(?:改进|整改)?(?:情况|措施)?",
    "other": _ANY_NUMBER + r"其他需要报告的事项",
    # a report that restarts its numbering for the tables (一、主动公开政府信息情况): the
    # template's own heading words, whole, at the start of a line
    "table2": _ANY_NUMBER + r"主动公开政府信息情况[ \t]*$",
    "table3": _ANY_NUMBER + r"收到和处理政府信息公开申请情况",
    "table4": _ANY_NUMBER + r"政府信息公开行政复议、?行政诉讼情况",
}
# Part 五 whose heading a converter lost: its first sub-heading, after the last table
_PROBLEMS_UNHEADED = re.compile(r"(?m)^(?=[ \t]*[（(]一[）)]\s*(?:存在的)?主要问题)")
_TABLES = ("table2", "table3", "table4")

_PAGE_CHROME = re.compile(
    r"^[\s【\[]*(附件下载|附件[:：]|打印本页|打印|关闭窗口|关闭|分享到|扫一扫|返回顶部|相关链接|"
    r"字体[:：]?|【?[大中小]】?|收藏|上一篇|下一篇|浏览次数)"
)
_TRAILING_CHROME = re.compile(r"\s+(?:附件下载|打印本页|关闭窗口)\s*$")


# The template's six parts, in order: (number, the words of the heading), from the patterns
# above (each is the number, "、", then the words)
_HEADING_WORDS = tuple(
    (pattern[0], pattern.removeprefix(f"{pattern[0]}、")) for pattern in _SECTION_PATTERNS.values()
)
_NUMBERED = r"(?m)^[ \t]*(?P<number>[一二三四五六七八九十]+)\s*、[ \t]*"


def misnumbered_headings(text: str) -> list[tuple[str, str, int, bool]]:
    """Part headings numbered otherwise than the template, or out of its order.

    Returns ``(printed heading, the template's number, line, out of order)`` for each heading
    at the start of a line whose number is not the template's (``三、主动公开政府信息情况``
    where 二 belongs: an inserted part, or numbering restarted for the tables), and for each
    that comes before a part the template puts ahead of it (``out of order``).
    """
    found: list[tuple[int, str, str, str]] = []  # (offset, expected, printed number, heading)
    for expected, words in _HEADING_WORDS:
        match = re.search(_NUMBERED + words, text)
        if match:
            found.append((match.start(), expected, match.group("number"), match.group(0)))
    found.sort()
    problems = []
    for index, (offset, expected, number, heading) in enumerate(found):
        later = [e for _, e, _, _ in found[index + 1 :]]
        out_of_order = any(_RANK.index(e) < _RANK.index(expected) for e in later)
        if number != expected or out_of_order:
            line = text.count("\n", 0, offset) + 1
            problems.append((heading.strip(), expected, line, out_of_order))
    return problems


_RANK = [expected for expected, _ in _HEADING_WORDS]


def extract_sections(text: str) -> dict[str, str | None]:
    """Section name (``overview``, ``table2``..., ``problems``, ``other``) -> its body text."""
    found: list[tuple[int, int, str]] = []
    for name, pattern in _SECTION_PATTERNS.items():
        match = re.search(pattern, text)
        if match is None and name in _SECTION_FALLBACKS:
            match = re.search(_SECTION_FALLBACKS[name], text)
        if match:
            found.append((match.start(), match.end(), name))
    if "problems" not in {name for _, _, name in found}:
        after = max((start for start, _, name in found if name in _TABLES), default=None)
        match = _PROBLEMS_UNHEADED.search(text, after) if after is not None else None
        if match:
            found.append((match.start(), match.end(), "problems"))
    found.sort()
    out: dict[str, str | None] = {}
    for i, (_, end, name) in enumerate(found):
        stop = found[i + 1][0] if i + 1 < len(found) else len(text)
        body = text[end:stop]
        body = re.sub(r"[—\-–－]\s*\d+\s*[—\-–－]", "", body)  # page footers
        lines = [ln.strip() for ln in body.splitlines() if ln.strip()]
        while lines and _PAGE_CHROME.search(lines[-1]):  # 附件下载, 打印本页, 关闭窗口...
            lines.pop()
        if lines:  # chrome run on to the last line of text: "…情况。 附件下载"
            lines[-1] = _TRAILING_CHROME.sub("", lines[-1])
        out[name] = "\n".join(lines) or None
    return out


# a line that starts a paragraph of its own: a heading or a numbered point
_PARAGRAPH_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]|第[一二三四五六七八九十]+(?:部分|章|节)|"
    r"[一二三四五六七八九十]是)"
)
_PARAGRAPH_END = "。！？；：!?;:"
_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
# a space a PDF's text layer puts between a digit and a Chinese character (2024 年)
_SPACE_BESIDE_CJK = re.compile(rf"(?<=[\d{_CJK[1:-1]}]) (?={_CJK})|(?<={_CJK}) (?=[\d])")


def reflow(text: str) -> str:
    """Prose laid out in lines (a PDF's visual lines) joined back into its paragraphs.

    A line is joined to the one before unless that one ends a sentence (。！？；：) or the
    line starts a heading or a numbered point (一、 （一） 1. 一是); Chinese text is joined
    without a space, and the single spaces a text layer puts beside Chinese characters
    (``2024 年``) are removed.
    """
    paragraphs: list[str] = []
    heading = False  # the last paragraph is a short heading line (（一）主要问题): ended
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        starts = bool(_PARAGRAPH_START.match(line))
        if (
            paragraphs
            and not heading
            and not starts
            and not paragraphs[-1].endswith(tuple(_PARAGRAPH_END))
        ):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
            heading = starts and len(line) <= 30 and not line.endswith(tuple(_PARAGRAPH_END))
    return "\n".join(_SPACE_BESIDE_CJK.sub("", p) for p in paragraphs)
