"""The pattern of a quantity as written: sign, numeral, range, approximation, 万/亿, unit, comparators.

One regular expression (``QUANTITY``) built from the unit tables, and the characters a quantity
can start with (``STARTS``), so that the scan tries it only there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from nlp.quantities.numerals import ARABIC, CN_DIGITS, DIGITS, LIANG, NUMERAL, PLACES
from nlp.quantities.units import (APPROX_ABOUT, APPROX_MORE, COUNTERS, CURRENCY_CODES, MEASURES, NAMES_BEFORE, PERIODS,
                                  PREFIX_COMPARATORS, SUFFIX_COMPARATORS, UNITS)

def alternation(words: Iterable[str]) -> str:
    """Return a regex matching any of ``words``, the longest first (万元 wins over 万), as a trie.

    >>> alternation(["个", "个月", "个工作日", "元"])
    '(?:个(?:工作日|月)?|元)'
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie(trie)


def _trie(node: dict[str, dict]) -> str:
    branches = []
    for ch, child in sorted(node.items()):
        if not ch:
            continue
        # Follow a chain of single children as one literal.
        literal = re.escape(ch)
        while len(child) == 1 and "" not in child:
            (ch, child), = child.items()
            literal += re.escape(ch)
        rest = _trie(child) if any(child) else ""
        if rest and "" in child:
            rest += "?"
        branches.append(literal + rest)
    branches.sort(key=lambda b: (-len(b), b))
    return "(?:" + "|".join(branches) + ")" if len(branches) > 1 or branches and "" in node else "".join(branches)


# What parts the bounds of a range: 3-5, 3--5, 3——5, 3~~5, 3至5, 3到5 (a dash, tilde or wave, once or twice).
RANGE_SEP = r"(?:——|—{3}|--|~~|[-~—–−―〜─‒至到])"
# A minus sign: the hyphen, the minus, and the hyphen and en dash that PDFs and word processors put for it (增长–3%);
# 10%-20%-30%: a dash after a percent is no sign; 正负5% no -5 %.
# After 为/是/： a dash spaced off the number is its sign too (变动率为 - 4.2%); 零下 is below zero (零下18摄氏度).
_SIGN = (r"(?:(?<![0-9A-Za-z.\-‐–%‰‱])[-−‐–]|(?<!正)[负負]|(?<=[为是：:])[-−‐–]\s|(?<=[为是：:]\s)[-−‐–]\s"
         r"|零下(?=\s?[\d一二三四五六七八九十]))")
_DIGIT = r"[零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖\d]"
_MULT = r"万亿|萬億|亿|億|万|萬"
_PLACE_ONLY = r"[百千万亿佰仟萬億]{1,4}"
# What may continue a Chinese numeral: 百分百 ends before none of these.
_CN_MORE = CN_DIGITS + LIANG + PLACES + "万亿萬億点點之分"
# 打 (a dozen) after a numeral, not the verb that begins a word (一打开, 三打白骨精, 打造, 打通).
_DOZEN = (r"打(?![开算造击通印破工卡电扫包假捞球响赢败出入进拼动磨听牌扮折断分成法量压理扰发交针架斗猎字乱湿探招的了过着"
          r"下上起到得完好掉死伤在给中这那车靶仗气水油药桩黑白私非传拐恶零〇一二两三四五六七八九十百千几\d])")
# 上千, 近万, 逾百, 超亿: a place alone after these words is a round number (上万人 = 10000 or more).
_ROUND = r"(?<=[上近逾超过破])"
ROUND_WORDS = "上近逾超过破"
# 上 as a word of its own before the place (上万人), not the end of another word (以上, 线上, 网上, 马上).
SHANG = re.compile(r"(?<![以线网之马向晚早会路北加于台身手面])上$")
# Measures that 半 alone may precede (半公斤, 半米): the Chinese ones of two characters or more, and 米/斤/吨/升.
_HALF_UNITS = [u for u in MEASURES if not u.isascii() and (len(u) > 1 or u in "米斤吨升")]
# What a digit counts when it comes right before it (一瓶, 一根): 三毛五一根 ends at 五, 两块二毛一瓶 at 毛.
_COUNT_AFTER = alternation([*COUNTERS, *(u for u in MEASURES if not u.isascii()),
                            "根", "碗", "杯", "包", "盒", "粒", "颗"])

QUANTITY = re.compile(
    rf"""
    (?P<freq>每\s?(?P<period>{alternation(PERIODS)})\s?)?            # 每季度 1 次: a frequency
    (?P<prefix>{alternation(PREFIX_COMPARATORS)})?\s?                # ≥, 超过, 约 …
    (?P<code>(?<![A-Za-z]){alternation(CURRENCY_CODES)}|{alternation(NAMES_BEFORE)})?\s?  # $20, ¥300, USD, 港币
    (?P<sign>{_SIGN})?                                                  # 负3.9%, -22.2%
    (?:
      (?=\d+(?:\s\d+)?/)(?:(?P<awhole>\d+)\s)?(?<![\d/.])(?P<anum>\d+)/(?P<aden>\d+)(?![\d/.])   # 1/3
    | (?P<num>{NUMERAL}|{_PLACE_ONLY}(?=分之|分百)|{_ROUND}[万亿萬億]|[万亿萬億](?=[余多]))  # the number as written; 上万, 万余
      (?:又(?P<den2>{NUMERAL})(?=分之))?                                # 三百五又三分之一
      (?:(?:分之|(?<=百)分(?=百(?![{_CN_MORE}])))(?P<fsign>{_SIGN})?(?P<numer>(?:{ARABIC})(?:[MGT]|\s+[kKMGT])(?![A-Za-z\d])|{NUMERAL})  # 三分之一, 百分之十五, 百分百, 百分之3.2M, 百分之15 k
         (?:又(?P<inden>{NUMERAL})分之(?P<innum>{NUMERAL}))?)?            # 百分之三十三又三分之一
    | (?P<half_only>半)(?=成|个?亿|{alternation(_HALF_UNITS)}|(?<=(?<![上下])半)(?:个月|个?小时|天))  # 半成, 半公斤, 半个亿, 半个月
    )
    (?:(?P<more1>[多余](?={RANGE_SEP}))?(?P<unit1>{alternation(UNITS)})?(?:\(含\))?\s?(?P<sep>{RANGE_SEP})\s?(?P<sign2>{_SIGN})?(?P<num2>{NUMERAL})(?!分之))?
                                                                        # a range: 3-5, 3至5, 1万元--5万元
    \s?(?:(?P<more>{alternation(APPROX_MORE)})|(?P<about>{alternation(APPROX_ABOUT)}))?  # 30余, 30多, 十来
    \s?(?:(?P<ge>个(?=[多余半]?(?:亿|万亿)))(?:(?P<more3>[多余])|(?P<gehalf>半))?)?(?P<mult>{_MULT}|{_DOZEN})?  # 万/亿 after 余/多; 两个(多)亿; 十打
    \s?(?P<more2>{alternation(APPROX_MORE)})?                         # 2万余
    \s?(?P<unit>{alternation(UNITS)})?                                # unit or counter word
    (?P<half>半)?                                                       # 两米半, 三成半
    (?:(?<=个半)(?P<unit_half>{alternation(u[1:] for u in UNITS if u.startswith("个") and len(u) > 1)}))?  # 两个半小时
    (?:(?<=[元块圆钱])零?(?P<jiao>{_DIGIT})[角毛])?                        # 123元1角1分, 十块八毛五, 五元零五分
    (?:(?<=[元块圆角毛钱])零?(?P<fen>{_DIGIT})分(?![钟之])|(?<=[角毛])(?P<fen_bare>{_DIGIT})(?![\d十百千万分]|{_COUNT_AFTER}|[{"".join(DIGITS)}](?!{_COUNT_AFTER})))?
    (?:(?<=美元)又?(?P<cent>{NUMERAL})美分|(?<=日元)(?P<sen>{NUMERAL})(?:日本)?[銭钱])?  # 两美元又三美分, 10日元5日本銭
    (?:(?<=[斤])零?(?P<liang>[一二三四五六七八九1-9])两)?                # 三斤二两 = 3.2 斤
    (?:(?<=[成块米])(?P<tenth>[一二三四五六七八九壹贰叁肆伍陆柒捌玖1-9](?:(?<=米.)[零〇一二三四五六七八九\d])?)  # 七成六, 十二块五, 一米七五
       (?![\d{"".join(DIGITS)}十百千万个角毛分块米]))?
    整?(?P<cur2>(?<=[元圆钱块整])(?:{alternation(NAMES_BEFORE)}))?   # 8亿元人民币, 三万元欧元, 一千元整人民币
    (?:\((?P<excl>不)?含\))?                                              # 50万元（含）以上, 100万元（不含）以上
    \s?(?P<suffix>{alternation(SUFFIX_COMPARATORS)})?                 # 以上, 左右 …
    """,
    re.VERBOSE,
)

# Every character a quantity can start with: the scan jumps from one to the next (in C), and the
# full pattern is tried only there.
STARTS = re.compile(
    "[\\d" + re.escape("".join(sorted({".", "-", "−", "‐", "–", "负", "負", "半"} | set(CN_DIGITS + LIANG + PLACES + "百千万亿佰仟萬億"))))
    + "]|数(?=[十百千万亿])|" + alternation([*PREFIX_COMPARATORS, *CURRENCY_CODES, *NAMES_BEFORE, "每"]))
