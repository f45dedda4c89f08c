"""The report's prose, as data: figures the text states, required content, copied text.

Three kinds of check read the text parts (一 overview, 五 problems, 六 other matters):

* **claims** (``text.table_mismatch``): a sentence such as ``共收到政府信息公开申请120件``
  states a figure a table also holds. Each :class:`ClaimPattern` ties a label-aware pattern
  to canonical cells; a claim is only taken when it is unambiguous (see :data:`SKIP_CONTEXT`),
  and only compared with cells that hold a read value (never a blank or unread cell).
* **required content** (``narrative.*``): part 五 must state problems and measures, part 六
  of a 2021 report must report the information-processing fees, no text part may be missing.
  A report without any text (tables only, e.g. built by a platform) is not assessed for them.
* **copied text** (``cross_year.text_repeated``): a text part near-identical to last year's,
  measured by :func:`similarity` (character 4-gram resemblance) with the longest shared
  passage (:func:`longest_shared`).

Everything here is data or a pure function of the text; the engine turns the results into
findings. The patterns are exported to ``rules.json`` (``text`` object) for other languages.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator

import attrs

__all__ = [
    "BOILERPLATE",
    "CLAIMS",
    "DEFAULT_SENTENCE_REUSE",
    "DEFAULT_SIMILARITY",
    "FEES_TERMS",
    "PROBLEMS_MIN_CHARS",
    "SECTIONS",
    "SENTENCE_MIN_CHARS",
    "SIMILARITY_MIN_CHARS",
    "Claim",
    "ClaimPattern",
    "SentenceReuse",
    "compact",
    "export_prose",
    "extract_claims",
    "letters",
    "longest_shared",
    "resemblance",
    "sentence_reuse",
    "similarity",
]

SECTIONS: dict[str, tuple[str, str]] = {
    "overview": ("一、总体情况", "part 1 (overview)"),
    "problems_and_improvements": (
        "五、存在的主要问题及改进情况",
        "part 5 (problems and improvements)",
    ),
    "other_matters": ("六、其他需要报告的事项", "part 6 (other matters)"),
}
"""The text parts: report field -> (Chinese heading, English name)."""

CLAIM_SECTIONS = ("overview", "other_matters")
"""Parts whose figures are compared with the tables (part 五 talks of plans, not results)."""

MAX_TEXT = 100_000
"""Characters of one text part read by the prose checks (a bound on their cost); past it, the
rest of the part is not compared with the tables, and an info finding says so."""

MAX_SENTENCE = 2_000
"""Characters of one sentence matched for claims: a report's sentences are a few hundred
characters; a longer one (a list run together, a converter's lost punctuation, hostile input)
is not compared with the tables, and an info finding says so."""

MAX_CLAIMS = 200
"""Figures taken from one text part: past it the rest is not compared (an info finding)."""

PROBLEMS_MIN_CHARS = 40
"""Part 五 shorter than this (letters and digits, no spaces or punctuation) cannot state both
a problem and a measure."""

EMPTY_ANSWERS = frozenset({"无", "暂无", "无问题", "没有", "无其他需要报告的事项", "略"})
"""Texts that state nothing (compared after :func:`compact`)."""

FEES_TERMS = re.compile(r"信息处理费|处理费|收费|收取费用|费用")
"""How part 六 mentions the information-processing fees (2021 notice, 国办公开办函〔2021〕30号)."""

DEFAULT_SIMILARITY = 0.8
"""Resemblance at or above which a text part counts as copied from last year's."""

SIMILARITY_MIN_CHARS = 50
"""Text parts shorter than this (after :func:`compact`) are not compared across years: "无"
is the same every year without being copied."""

# bounded repeats: a comma-grouped run of any length is tried in linear time (no claim has
# more than 15 digits), and a plain digit run from its first digit only
_NUMBER = (
    r"(?<![\d.])(?P<n>\d{1,3}(?:,\d{3}){1,4}(?![\d,])|\d{1,15}(?!\d))\s*(?:件|起)"
    r"(?!次|\(次\)|余|多|以上|左右)"
)
_GAP = r"[^,。;:\d]{0,16}?"  # words between a label and its number, within one clause


@attrs.frozen
class ClaimPattern:
    """A kind of figure the text states, and the cells that hold it.

    Attributes:
        id: Stable id of the claim kind (``received``, ``concluded`` ...).
        label: What the figure is, ``{"zh": ..., "en": ...}``.
        patterns: Regular expressions (Python syntax, on NFKC text without whitespace) with
            a named group ``n``, the number.
        cells: Per edition, the cells whose sum the figure states.
        alternatives: Per edition, other sums a writer may mean by the same words (e.g. the
            requests received including those carried over); a figure equal to any of them
            is not a mismatch.
        triggers: Words one of which a sentence must contain for the patterns to be tried
            (a cheap filter; every pattern contains one of them). Found longest first and
            without overlap, so a claim lists the longer words that contain its own (结转
            for 转).
        examples: Phrases the patterns read (documentation, and tested).
    """

    id: str
    label: dict[str, str]
    patterns: tuple[str, ...]
    cells: dict[str, tuple[str, ...]]
    alternatives: dict[str, tuple[tuple[str, ...], ...]] = attrs.field(factory=dict)
    triggers: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()


_RECEIVED = ("requests.new_received.total",)
_BOTH_EDITIONS = ("2021", "2019")


def _same(*cells: str) -> dict[str, tuple[str, ...]]:
    return dict.fromkeys(_BOTH_EDITIONS, cells)


CLAIMS: tuple[ClaimPattern, ...] = (
    ClaimPattern(
        id="received",
        label={"zh": "收到政府信息公开申请", "en": "requests received"},
        patterns=(
            # "公开" among the words: 政府信息公开申请, not 行政许可申请
            rf"(?:收到|受理|接收|接到|新收)(?={_GAP}公开){_GAP}(?:申请|依申请信息公开|依申请公开)"
            rf"{_GAP}{_NUMBER}",
            rf"(?:收到|受理|接收|接到|新收)(?:各类|了)?{_NUMBER}(?:政府信息公开|信息公开)?申请",
            # the table's own label in a sentence: 本年新收…N件 (no 公开 or 申请 needed)
            rf"本年度?新收{_GAP}{_NUMBER}",
        ),
        cells=_same(*_RECEIVED),
        alternatives=dict.fromkeys(_BOTH_EDITIONS, ((*_RECEIVED, "requests.carried_over.total"),)),
        triggers=("收到", "受理", "接收", "接到", "新收"),
        examples=(
            "共收到政府信息公开申请120件",
            "本年度共收到70件申请",
            "收到依申请信息公开26件",
            "本年新收116件",
        ),
    ),
    ClaimPattern(
        id="carried_over",
        label={"zh": "上年结转申请", "en": "requests carried over"},
        patterns=(rf"(?:上一?年度?结转|结转上一?年度?){_GAP}{_NUMBER}",),
        cells=_same("requests.carried_over.total"),
        triggers=("结转",),
        examples=("上年结转3件", "上年结转政府信息公开申请2件"),
    ),
    ClaimPattern(
        id="concluded",
        label={"zh": "办结申请", "en": "requests concluded"},
        patterns=(
            rf"办结(?!率|的){_GAP}{_NUMBER}",
            # the table's （七）总计 named in a sentence
            rf"办理结果总计{_GAP}{_NUMBER}",
            # 共答复…N件: the replies given (答复率, 答复期限 are not counts)
            rf"(?:共|累计|全部|均已|已)答复(?!率|期限|时限|时间){_GAP}{_NUMBER}",
        ),
        cells=_same("requests.outcomes.total.total"),
        triggers=("办结", "办理结果总计", "答复"),
        examples=("办结111件", "共办结148件", "办理结果总计95件", "共答复申请人120件"),
    ),
    ClaimPattern(
        id="carried_forward",
        label={"zh": "结转下年度继续办理", "en": "requests carried forward"},
        patterns=(
            rf"(?:结转|转入|转)(?:至|到)?(?:下一?年度?|\d{{4}}年度?){_GAP}{_NUMBER}",
            rf"{_NUMBER}(?:申请)?(?:结转|转入|转)(?:至|到)?下一?年度?",
        ),
        cells=_same("requests.carried_forward.total"),
        triggers=("结转", "转入", "转至", "转到", "转下"),
        examples=("结转下年度继续办理8件", "结转至2026年6件", "1件结转下年度继续办理"),
    ),
    ClaimPattern(
        id="administrative_review",
        label={"zh": "行政复议", "en": "administrative reviews"},
        patterns=(
            rf"行政复议(?:案件|申请)?(?:数量|数|共|为|有)*{_NUMBER}",
            rf"{_NUMBER}[^,。;:\d]{{0,14}}?行政复议(?!和|及|与|、)",
        ),
        cells=_same("review_litigation.administrative_review.total"),
        triggers=("行政复议",),
        examples=("行政复议7件", "有1件涉及政府信息公开工作的行政复议"),
    ),
    ClaimPattern(
        id="litigation",
        label={"zh": "行政诉讼", "en": "lawsuits"},
        patterns=(
            rf"行政诉讼(?:案件)?(?:数量|数|共|为|有)*{_NUMBER}",
            rf"{_NUMBER}[^,。;:\d]{{0,14}}?行政诉讼(?!和|及|与|、)",
        ),
        cells=_same(
            "review_litigation.litigation_direct.total",
            "review_litigation.litigation_after_review.total",
        ),
        triggers=("行政诉讼",),
        examples=("行政诉讼9起", "行政诉讼数为0件"),
    ),
    ClaimPattern(
        id="regulations_issued",
        label={"zh": "制发规章", "en": "规章 issued"},
        patterns=(rf"(?:制发|制定|出台|印发|新制作|主动公开)(?:的)?规章{_NUMBER}",),
        cells={
            "2021": ("proactive_disclosure.regulations.issued",),
            "2019": ("proactive_disclosure.regulations.made",),
        },
        triggers=("规章",),
        examples=("主动公开规章13件", "制发规章2件"),
    ),
    ClaimPattern(
        id="regulations_in_force",
        label={"zh": "现行有效规章", "en": "规章 in force"},
        patterns=(rf"现行有效(?:的)?规章{_NUMBER}",),
        cells={"2021": ("proactive_disclosure.regulations.in_force",)},
        triggers=("规章",),
        examples=("现行有效规章5件",),
    ),
    ClaimPattern(
        id="normative_issued",
        label={"zh": "制发行政规范性文件", "en": "normative documents issued"},
        patterns=(rf"(?:制发|制定|出台|印发|新制作)(?:的)?(?:行政)?规范性文件{_NUMBER}",),
        cells={
            "2021": ("proactive_disclosure.normative_documents.issued",),
            "2019": ("proactive_disclosure.normative_documents.made",),
        },
        triggers=("规范性文件",),
        examples=("制发行政规范性文件62件",),
    ),
    ClaimPattern(
        id="normative_repealed",
        label={"zh": "废止行政规范性文件", "en": "normative documents repealed"},
        patterns=(rf"废止(?:的)?(?:行政)?规范性文件{_NUMBER}",),
        cells={"2021": ("proactive_disclosure.normative_documents.repealed",)},
        triggers=("规范性文件",),
        examples=("废止行政规范性文件2件",),
    ),
    ClaimPattern(
        id="normative_in_force",
        label={"zh": "现行有效行政规范性文件", "en": "normative documents in force"},
        patterns=(rf"现行有效(?:的)?(?:行政)?规范性文件{_NUMBER}",),
        cells={"2021": ("proactive_disclosure.normative_documents.in_force",)},
        triggers=("规范性文件",),
        examples=("现行有效行政规范性文件698件",),
    ),
)
"""Every kind of figure compared with the tables. Fees are not among them: the
information-processing fees (信息处理费) that part 六 reports are in no table (table 2's
行政事业性收费 are the body's administrative charges)."""

SKIP_CONTEXT = re.compile(
    r"其中|同比|较上年|比上年|较去年|比去年|较\d{4}年|增长|下降|减少|增加|上升|%|百分之|占比|"
    r"(?:申请|案件)中|历年|累计至|将|力争|计划|预计|目标|约|近|超过|逾|"
    r"各(?:部门|单位|乡镇|街道|县|区|镇|级)|下属|所属|县直|区直|市直|部门共|其他(?:单位|部门)|"
    r"复议和|复议及|复议、|诉讼和|诉讼及|诉讼、|和行政|及行政|、行政|"
    r"信访|举报|投诉|来电|来信|热线|12345|咨询|留言|诉求|建议|提案|网络问政"
)
"""Words that make a figure unsafe to compare when they precede it in its clause: a part
(其中, 申请中), a change (同比, 增长), a share, a plan, an estimate, other bodies, several
kinds of case at once, or requests of another kind (信访, 热线, 提案 ...)."""

REGION_WIDE = re.compile(r"全(?:省|市|区|县|州|盟|旗|镇|乡)")
"""Figures for a whole region: not compared in a department's report (``agency.kind`` is
``department``) unless its ``scope`` is ``jurisdiction``."""

_SENTENCE = re.compile(r"[^。;!?]+[。;!?]?")
_CLAUSE_BREAK = re.compile(r"[,;:]")
_RANGE = re.compile(r"\d\s*[-~至到]$")


def compact(text: str) -> str:
    """NFKC text without whitespace: the form claims are matched in.

    Line breaks inside a sentence (PDF layout) disappear, full-width digits and punctuation
    become ASCII (``，`` -> ``,``; ``。`` stays).
    """
    text = text[:MAX_TEXT]
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _SPACE.sub("", text)


_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[\W_]+")
_NUMBER_RUN = re.compile(r"\d+(?:\.\d+)?")


def letters(text: str) -> int:
    """How many letters and digits a text has (no spaces, no punctuation)."""
    return len(_NON_WORD.sub("", text[:MAX_TEXT]))


@attrs.frozen
class Claim:
    """A figure stated in the text.

    Attributes:
        pattern: The :class:`ClaimPattern` it matched.
        section: The report field it is in (``overview`` ...).
        value: The number stated.
        quote: The sentence, as matched (compact form).
        phrase: The matched phrase within it.
    """

    pattern: ClaimPattern
    section: str
    value: int
    quote: str
    phrase: str


def extract_claims(
    text: str,
    section: str,
    *,
    region_wide: bool = True,
    skipped: list[tuple[str, str]] | None = None,
) -> Iterator[Claim]:
    """The unambiguous figures a text part states, in time linear in the text.

    Args:
        text: The text of one part.
        section: Its report field (``overview``, ``other_matters`` ...).
        region_wide: Whether figures for a whole region (全区, 全县 ...) are about the
            reporting body.
        skipped: Where to note, as ``(zh, en)``, what was not read past a bound
            (:data:`MAX_TEXT`, :data:`MAX_SENTENCE`, :data:`MAX_CLAIMS`).

    Yields:
        One :class:`Claim` per figure, in text order, each phrase at most once.
    """
    notes = skipped if skipped is not None else []
    if len(text) > MAX_TEXT:
        notes.append(
            (
                f"共 {len(text)} 字，仅核对了前 {MAX_TEXT} 字",
                f"only the first {MAX_TEXT:,} of its {len(text):,} characters were read",
            )
        )
        text = text[:MAX_TEXT]
    done = 0
    long_sentences = claims = 0
    # Only sentences with a count in them (a digit, then 件 or 起) and a claim's trigger word
    # can hold a claim: most of a report's prose is never normalised or matched.
    for at in _counts(text):
        if at < done:
            continue
        start = max(text.rfind(end, done, at) for end in _SENTENCE_ENDS) + 1 or done
        found = _SENTENCE_END.search(text, at)
        done = found.end() if found else len(text)
        sentence = text[start:done]
        if len(sentence) > MAX_SENTENCE:
            long_sentences += 1
            continue
        if _triggers().search(sentence):
            for claim in _sentence_claims(compact(sentence), section, region_wide):
                claims += 1
                if claims > MAX_CLAIMS:
                    notes.append(
                        (
                            f"数字超过 {MAX_CLAIMS} 处，仅核对了前 {MAX_CLAIMS} 处",
                            f"only its first {MAX_CLAIMS} figures were compared",
                        )
                    )
                    return
                yield claim
    if long_sentences:
        notes.append(
            (
                f"有 {long_sentences} 个句子超过 {MAX_SENTENCE} 字，未核对",
                f"{long_sentences} sentence(s) longer than {MAX_SENTENCE:,} characters were "
                "not read",
            )
        )


def _counts(text: str) -> list[int]:
    """Positions of 件 and 起 that follow a digit (white space between allowed), in order.

    ``str.find`` for the two characters, then a look back: a regular expression trying
    every position of the text cost as much as all the rest.
    """
    found = []
    for unit in _UNITS:
        at = text.find(unit)
        while at != -1:
            back = at - 1
            while back >= 0 and text[back].isspace():
                back -= 1
            if back >= 0 and text[back].isdecimal():
                found.append(back)
            at = text.find(unit, at + 1)
    return sorted(found)


_UNITS = ("件", "起")
_SENTENCE_ENDS = "。;；!！?？"
_SENTENCE_END = re.compile(f"[{_SENTENCE_ENDS}]")


@functools.cache
def _triggers() -> re.Pattern[str]:
    words = sorted({w for c in CLAIMS for w in c.triggers}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


@attrs.frozen
class _Context:
    """Where a sentence's clause breaks, skip words and region words are (found once)."""

    breaks: list[int]
    skips: list[tuple[int, int]]
    region: int

    @classmethod
    def of(cls, sentence: str) -> _Context:
        region = REGION_WIDE.search(sentence)
        return cls(
            [m.end() for m in _CLAUSE_BREAK.finditer(sentence)],
            [m.span() for m in SKIP_CONTEXT.finditer(sentence)],
            region.end() if region else len(sentence) + 1,
        )


def _sentence_claims(sentence: str, section: str, region_wide: bool) -> Iterator[Claim]:
    present = set(_triggers().findall(sentence))
    context = _Context.of(sentence)
    taken: list[tuple[int, int]] = []  # sorted, non-overlapping: one phrase, one claim
    for pattern in CLAIMS:
        if present.isdisjoint(pattern.triggers):
            continue
        for regex in _compiled(pattern.patterns):
            for match in regex.finditer(sentence):
                span = match.span()
                if _overlaps(taken, span):
                    continue
                if not _unambiguous(sentence, match, region_wide, context):
                    continue
                bisect.insort(taken, span)
                yield Claim(
                    pattern=pattern,
                    section=section,
                    value=int(match.group("n").replace(",", "")),
                    quote=sentence,
                    phrase=match.group(),
                )


@functools.cache
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(source) for source in patterns)


def _overlaps(taken: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    """Whether ``span`` overlaps one of the sorted, non-overlapping ``taken`` spans."""
    at = bisect.bisect_left(taken, span)
    return (at < len(taken) and taken[at][0] < span[1]) or (at > 0 and taken[at - 1][1] > span[0])


def _unambiguous(sentence: str, match: re.Match[str], region_wide: bool, context: _Context) -> bool:
    start, end = match.span()
    # the clause: from the last break before the match; a skip word inside it, before the
    # match's end, makes the figure unsafe (skip words do not overlap: sorted by both ends)
    breaks = context.breaks
    clause_start = (
        breaks[bisect.bisect_right(breaks, start) - 1] if breaks and breaks[0] <= start else 0
    )
    at = bisect.bisect_left(context.skips, (clause_start, -1))
    if at < len(context.skips) and context.skips[at][1] <= end:
        return False
    number = match.start("n")
    if _RANGE.search(sentence, max(0, number - 3), number):
        return False  # 10-12件, 10至12件
    return region_wide or context.region > end


def _grams(text: str, n: int = 4) -> set[str]:
    return {text[i : i + n] for i in range(len(text) - n + 1)}


def comparable(text: str) -> str:
    """Text reduced for comparison across years: letters only, every digit run as ``#``.

    Years and counts change each year without the text being rewritten.
    """
    # a report's text is reduced several times (each cross-year rule, the diff, next year's
    # pair): remembered, up to a size that keeps the cache small whatever the input
    if len(text) <= _CACHED_TEXT:
        return _comparable_cached(text)
    return _comparable(text)


_CACHED_TEXT = 20_000


@functools.lru_cache(maxsize=256)
def _comparable_cached(text: str) -> str:
    return _comparable(text)


def _comparable(text: str) -> str:
    kept = unicodedata.normalize("NFKC", text[:MAX_TEXT])
    # every number becomes one 0 (a word character, kept), then the 0s become #
    return _NON_WORD.sub("", _NUMBER_RUN.sub("0", kept)).replace("0", "#")


def similarity(a: str, b: str) -> float:
    """Resemblance of two texts: Jaccard index of their character 4-gram sets.

    Both texts are reduced by :func:`comparable` first. 1.0 is identical (up to figures,
    spacing and punctuation), 0.0 shares no four characters in a row.
    """
    return resemblance(comparable(a), comparable(b))


def resemblance(a: str, b: str) -> float:
    """:func:`similarity` of two texts already reduced by :func:`comparable`."""
    ga, gb = _grams(a), _grams(b)
    if not ga or not gb:
        return 1.0 if a == b else 0.0
    return len(ga & gb) / len(ga | gb)


# --- reuse measured by sentence ----------------------------------------------------------------

BOILERPLATE: tuple[str, ...] = (
    "以习近平新时代中国特色社会主义思想为指导",
    "中华人民共和国政府信息公开条例",
    "政府信息公开条例",
    "国务院办公厅政府信息公开",
    "本报告所列数据的统计期限",
    "本报告中所列数据的统计期限",
    "统计期限自",
    "本报告电子版",
    "如对本报告有疑问",
    "如对本年度报告有任何疑问",
    "编制本报告",
    "本报告由",
    "特此报告",
    "现公布",
)
"""Phrases every report carries (the political formula, the 条例 citations, the template's
fixed sentences): a sentence containing one is left out of the reuse measure, this year's and
last year's. Compared in :func:`comparable` form; extend it with ``check(boilerplate=...)``."""

DEFAULT_SENTENCE_REUSE = 0.5
"""Share of this year's text (by length, sentence by sentence) found in last year's report at
or above which ``cross_year.sentences_reused`` fires: an index's "more than half repeated"."""

SENTENCE_MIN_CHARS = 6
"""Sentences shorter than this (in :func:`comparable` form) are not counted: "无。" says nothing."""

_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")


@attrs.frozen
class SentenceReuse:
    """How much of this year's text repeats last year's, sentence by sentence.

    Attributes:
        share: Matched characters over counted characters (0 when nothing was counted).
        matched: This year's sentences found in last year's text, as printed.
        sentences: Sentences counted (boilerplate and very short ones left out).
        excluded: Sentences left out as boilerplate.
        chars: Characters counted (in :func:`comparable` form).
    """

    share: float
    matched: tuple[str, ...]
    sentences: int
    excluded: int
    chars: int


def sentence_reuse(
    text: str, previous: str, *, boilerplate: Iterable[str] = BOILERPLATE
) -> SentenceReuse:
    """The length-weighted share of ``text``'s sentences that are also ``previous``'s.

    Sentences are compared in :func:`comparable` form (numbers folded to ``#``: a changed
    count does not make a sentence new); a sentence holding a boilerplate phrase is left out
    of both sides.

    Args:
        text: This year's text (one part, or all parts joined).
        previous: Last year's.
        boilerplate: Phrases whose sentences are left out (default :data:`BOILERPLATE`).
    """
    phrases = [f for f in (comparable(b) for b in boilerplate) if f]

    def counted(source: str) -> list[tuple[str, str]]:
        kept = []
        for sentence in _SENTENCE_END.split(source[:MAX_TEXT]):
            folded = comparable(sentence)
            if len(folded) >= SENTENCE_MIN_CHARS:
                kept.append((sentence.strip(), folded))
        return kept

    before = {f for _, f in counted(previous) if not any(p in f for p in phrases)}
    matched: list[str] = []
    total = hit = sentences = excluded = 0
    for sentence, folded in counted(text):
        if any(p in folded for p in phrases):
            excluded += 1
            continue
        sentences += 1
        total += len(folded)
        if folded in before:
            hit += len(folded)
            matched.append(sentence)
    return SentenceReuse(hit / total if total else 0.0, tuple(matched), sentences, excluded, total)


LONGEST_SHARED_LIMIT = 20_000
"""Characters of each text searched for the longest shared passage (a bound on its cost)."""


def longest_shared(a: str, b: str) -> str:
    """The longest passage the two texts share, in :func:`compact` form.

    Linear time (a suffix automaton of ``a``), on the first
    :data:`LONGEST_SHARED_LIMIT` characters of each text.
    """
    a = compact(a)[:LONGEST_SHARED_LIMIT]
    b = compact(b)[:LONGEST_SHARED_LIMIT]
    if not a or not b:
        return ""
    # a text copied whole (last year's report republished): found by C-speed search
    if len(a) <= len(b) and a in b:
        return a
    if b in a:
        return b
    # suffix automaton of a: transitions, suffix links, lengths
    trans: list[dict[str, int]] = [{}]
    link = [-1]
    length = [0]
    last = 0
    for ch in a:
        cur = len(trans)
        trans.append({})
        length.append(length[last] + 1)
        link.append(0)
        p = last
        while p != -1 and ch not in trans[p]:
            trans[p][ch] = cur
            p = link[p]
        if p != -1:
            q = trans[p][ch]
            if length[p] + 1 == length[q]:
                link[cur] = q
            else:
                clone = len(trans)
                trans.append(dict(trans[q]))
                length.append(length[p] + 1)
                link.append(link[q])
                while p != -1 and trans[p].get(ch) == q:
                    trans[p][ch] = clone
                    p = link[p]
                link[q] = clone
                link[cur] = clone
        last = cur
    # walk b through it, keeping the longest match
    state, current, best, best_end = 0, 0, 0, 0
    for i, ch in enumerate(b):
        while state and ch not in trans[state]:
            state = link[state]
            current = length[state]
        if ch in trans[state]:
            state = trans[state][ch]
            current += 1
        if current > best:
            best, best_end = current, i + 1
    return b[best_end - best : best_end]


def export_prose() -> dict[str, object]:
    """The prose checks' data for ``rules.json`` (patterns in Python regular-expression syntax)."""
    return {
        "sections": {k: {"zh": zh, "en": en} for k, (zh, en) in SECTIONS.items()},
        "claim_sections": list(CLAIM_SECTIONS),
        "text_form": "NFKC, whitespace removed; sentences end at 。;!? ; clauses at , ; :. "
        "Only sentences with a digit followed by 件 or 起 and one of a claim's triggers "
        "(found longest first, without overlap) are matched",
        "claims": [
            {
                "id": c.id,
                "label": c.label,
                "patterns": list(c.patterns),
                "cells": {e: list(v) for e, v in c.cells.items()},
                "alternatives": {e: [list(alt) for alt in v] for e, v in c.alternatives.items()},
            }
            for c in CLAIMS
        ],
        "skip_context": SKIP_CONTEXT.pattern,
        "region_wide": REGION_WIDE.pattern,
        "problems_min_chars": PROBLEMS_MIN_CHARS,
        "empty_answers": sorted(EMPTY_ANSWERS),
        "fees_terms": FEES_TERMS.pattern,
        "similarity": {
            "measure": "Jaccard index of character 4-gram sets, on the text reduced to letters "
            "and digits with every digit run replaced by '#'",
            "default_threshold": DEFAULT_SIMILARITY,
            "min_chars": SIMILARITY_MIN_CHARS,
        },
        "sentence_reuse": {
            "measure": "sentences end at 。！？!?；; or a line break; each is reduced as for "
            "'similarity'; a sentence holding a boilerplate phrase (reduced the same way) is "
            "left out on both sides, as is one shorter than min_chars; the share is the "
            "length of this year's sentences also found among last year's over the length "
            "of all this year's sentences counted (all text parts together)",
            "default_threshold": DEFAULT_SENTENCE_REUSE,
            "min_chars": SENTENCE_MIN_CHARS,
            "boilerplate": list(BOILERPLATE),
        },
        "max_text": MAX_TEXT,
    }
