"""Find quantities in text with regular expressions built from the unit tables.

Matching runs on NFKC-normalised text with converter residue undone
(:class:`nlp.normalize.MappedText`); spans are mapped back to the text given.
Years, dates, document numbers, ordinals, phone numbers and numbers inside
names (12345热线, 百千万工程, 一网通办, 7×24小时) are not quantities.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from decimal import Decimal

from nlp.normalize import _SPACE_NEAR_CJK, MappedText
from nlp.quantities.numerals import (CN_DIGITS, DIGITS, FOLD, LIANG, NUMERAL, PLACES, Reading, fraction_value,
                                     read_numeral)
from nlp.quantities.quantity import Quantity
from nlp.quantities.tables import AMOUNT_HEADER, column_header, table_unit
from nlp.quantities.units import (APPROX_ABOUT, APPROX_MORE, CURRENCIES, CURRENCY_CODES, MEASURES, MONEY_FRACTIONS,
                                  MONEY_FRACTIONS_WITH_FEN, MULTIPLIERS, NAMES_BEFORE, NOT_AFTER_CHINESE,
                                  ONLY_AFTER_CHINESE, PERCENT_SCALE, PERIODS,
                                  PREFIX_COMPARATORS, SUBUNITS, SUFFIX_COMPARATORS, UNITS)


def _alternation(words: Iterable[str]) -> str:
    """Return a regex matching any of ``words``, the longest first (万元 wins over 万), as a trie.

    >>> _alternation(["个", "个月", "个工作日", "元"])
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


_SIGN = r"(?:(?<![0-9A-Za-z.\-%‰‱])[-−]|(?<!正)[负負])"  # 10%-20%-30%: a dash after a percent is no sign; 正负5% no -5 %
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
_ROUND_WORDS = "上近逾超过破"
# 上 as a word of its own before the place (上万人), not the end of another word (以上, 线上, 网上, 马上).
_SHANG = re.compile(r"(?<![以线网之马向晚早会路北加于台身手面])上$")
# Measures that 半 alone may precede (半公斤, 半米): the Chinese ones of two characters or more, and 米/斤/吨/升.
_HALF_UNITS = [u for u in MEASURES if not u.isascii() and (len(u) > 1 or u in "米斤吨升")]

QUANTITY = re.compile(
    rf"""
    (?P<freq>每\s?(?P<period>{_alternation(PERIODS)})\s?)?            # 每季度 1 次: a frequency
    (?P<prefix>{_alternation(PREFIX_COMPARATORS)})?\s?                # ≥, 超过, 约 …
    (?P<code>(?<![A-Za-z]){_alternation(CURRENCY_CODES)}|{_alternation(NAMES_BEFORE)})?\s?  # $20, ¥300, USD, 港币
    (?P<sign>{_SIGN})?                                                  # 负3.9%, -22.2%
    (?:
      (?=\d+(?:\s\d+)?/)(?:(?P<awhole>\d+)\s)?(?<![\d/.])(?P<anum>\d+)/(?P<aden>\d+)(?![\d/.])   # 1/3
    | (?P<num>{NUMERAL}|{_PLACE_ONLY}(?=分之|分百)|{_ROUND}[万亿萬億]|[万亿萬億](?=[余多]))  # the number as written; 上万, 万余
      (?:又(?P<den2>{NUMERAL})(?=分之))?                                # 三百五又三分之一
      (?:(?:分之|(?<=百)分(?=百(?![{_CN_MORE}])))(?P<fsign>{_SIGN})?(?P<numer>{NUMERAL})  # 三分之一, 16分之5, 百分之十五, 百分百
         (?:又(?P<inden>{NUMERAL})分之(?P<innum>{NUMERAL}))?)?            # 百分之三十三又三分之一
    | (?P<half_only>半)(?=成|个?亿|{_alternation(_HALF_UNITS)})        # 半成, 半公斤, 半个亿
    )
    (?:(?P<unit1>{_alternation(UNITS)})?(?:\(含\))?\s?(?P<sep>--|——|[-~—–−―〜至到])\s?(?P<sign2>{_SIGN})?(?P<num2>{NUMERAL})(?!分之))?
                                                                        # a range: 3-5, 3至5, 1万元--5万元
    \s?(?:(?P<more>{_alternation(APPROX_MORE)})|(?P<about>{_alternation(APPROX_ABOUT)}))?  # 30余, 30多, 十来
    \s?(?:(?P<ge>个(?=[多余半]?(?:亿|万亿)))(?:(?P<more3>[多余])|(?P<gehalf>半))?)?(?P<mult>{_MULT}|{_DOZEN})?  # 万/亿 after 余/多; 两个(多)亿; 十打
    \s?(?P<more2>{_alternation(APPROX_MORE)})?                         # 2万余
    \s?(?P<unit>{_alternation(UNITS)})?                                # unit or counter word
    (?P<half>半)?                                                       # 两米半, 三成半
    (?:(?<=个半)(?P<unit_half>{_alternation(u[1:] for u in UNITS if u.startswith("个") and len(u) > 1)}))?  # 两个半小时
    (?:(?<=[元块圆钱])零?(?P<jiao>{_DIGIT})[角毛])?                        # 123元1角1分, 十块八毛五, 五元零五分
    (?:(?<=[元块圆角毛钱])零?(?P<fen>{_DIGIT})分(?![钟之])|(?<=[角毛])(?P<fen_bare>{_DIGIT})(?![\d{"".join(DIGITS)}十百千万分]))?
    (?:(?<=美元)又?(?P<cent>{NUMERAL})美分|(?<=日元)(?P<sen>{NUMERAL})(?:日本)?[銭钱])?  # 两美元又三美分, 10日元5日本銭
    (?:(?<=[斤])零?(?P<liang>[一二三四五六七八九1-9])两)?                # 三斤二两 = 3.2 斤
    (?:(?<=[成块米])(?P<tenth>[一二三四五六七八九1-9](?:(?<=米.)[零〇一二三四五六七八九\d])?)  # 七成六, 十二块五, 一米七五
       (?![\d{"".join(DIGITS)}十百千万个角毛分块米]))?
    整?(?P<cur2>(?<=[元圆钱块整])(?:{_alternation(NAMES_BEFORE)}))?   # 8亿元人民币, 三万元欧元, 一千元整人民币
    (?:\(含\))?                                                          # 50万元（含）以上
    \s?(?P<suffix>{_alternation(SUFFIX_COMPARATORS)})?                 # 以上, 左右 …
    """,
    re.VERBOSE,
)

# Every character a quantity can start with: the scan jumps from one to the next (in C), and the
# full pattern is tried only there.
_STARTS = re.compile(
    "[\\d" + re.escape("".join(sorted({".", "-", "−", "负", "負", "半"} | set(CN_DIGITS + LIANG + PLACES + "百千万亿佰仟萬億"))))
    + "]|数(?=[十百千万亿])|" + _alternation([*PREFIX_COMPARATORS, *CURRENCY_CODES, *NAMES_BEFORE, "每"]))

# Numbers that are part of a name, not a measurement.
_NAME_AFTER = re.compile(r"^\s?(?:热线|政务服务便民热线|平台|工程|行动|战略|计划|系统|号|年|月|日|届|周年|版)")
_NAME_NUMERALS = re.compile(
    r"一件事|一本账|一张网|一张图|一网|一体|一批|一系列|一些|一线|一把手|两山|两张清单|两委|三化|三会一课|"
    r"四下基层|百千万|十四五|十五五|十三五|双授权|一站式|一窗|一次性|一号|一码|十万火急|一成不变|七折八扣|一波三折")
# A counter word that is really the first character of a word (二支部, 三个人).
_WORD_AFTER_UNIT = re.compile(
    r"^(?:支部|期间|项目|个人|条例|条件|部门|家庭|名单|台账|份额|场所|类型|级别|处理|间隙|本级|门户|套餐|所属|处室|届次|人员|"
    r"人才|人民(?!币)|户籍|户外|位置|张贴|单位|家长|起来|起草|方面|方案|方式|方法|方向|米粒|年级|年度|年代|年底|年初|年末|年中|"
    r"年份|年限|年报|年薪|年会|年检|年货|对接|对象|对比|对于|对标|对口|对话|对外|对应|对照|对策|对待|成本|成员|成果|成功|"
    r"成效|成绩|成熟|成立|成为|折合|折旧|折算|折扣|单元|"
    # 元 that begins a word: 二元结构, 三元里, 2024元旦, 3元件, 一元复始, 四元数
    r"元(?:旦|素|件|器件|宵|年|首|老|气|化|论|组(?!合)|里|悖论|催化|复始|及第|数|帅|勋|音|代|朝|月|宝|凶|结构|[一二]次|函数|方程|对立))")
# A Chinese numeral and counter before a place-name character (五台山, 三门峡) are a name.
_PLACE_NAME = re.compile(r"^[山岭峰湖江河寺庙塔桥街巷村镇关沟峡岛]")
# Units that end the word only before punctuation or a few words (三成, 八折, 二两).
_ALONE = {"成": re.compile(r"^(?:$|[\s\d,.;:!?，。；：、）)”]|[以左上下多的和或至到优是来用在被将已])"),
          "折": re.compile(r"^(?!合|旧|算|叠|射|线|返|腾|损|服|中|痕|页|扣|价|现|成|抵|子|戏|扇|纸|尺|弯|断|磨|桂|光|角)"),
          "两": re.compile(r"^(?:$|[\s\d,.;:!?，。；：、）)”]|[的重左])")}
_ROUND_PLACES = {"百": Decimal(100), "千": Decimal(1000), "万": Decimal(10_000), "亿": Decimal(10) ** 8}
#: The generic 元 that takes the currency named before the amount (港币两千九百六十元).
_YUAN = ("元", "圆", "块钱", "块")
#: Units after which 一 is the number one (一公里, 一美元), not the word "a" (一个, 一批); a word that
#: begins with the unit's characters (一元化, 一米阳光) is not one.
_MEASURED = re.compile(
    "(?!元化|元论|元素|元首|元旦|元宵|元年|元气|元老|升级|升高|升温|升至|米阳光|米线|两个|克服|吨位)"
    + _alternation([u for u in [*MEASURES, *CURRENCIES, *MONEY_FRACTIONS, "成", "折"] if not u.isascii() and u not in ("方", "码", "两", "寸", "尺", "丈")]
                   + ["%", "‰", "‱", "个百分点", "個百分點"]))
_ORDINAL_LIST = re.compile(r"第[零〇一二两三四五六七八九十\d]+[、,，]$")
_MONEY_CONTEXT = re.compile(r"(预算|经费|资金|金额|投资|收入|支出|费用?|拨款|采购|决算|成本)[^，,。；;]{0,6}$")
# A run of ASCII that is an address or code: a number in it is not a quantity (…?q=30%25%2020%).
_CODE_RUN = re.compile(r"://|www\.|[?&][A-Za-z_]+=")
_ASCII_RUN = re.compile(r"[!-~]+")
_ONE_DIGIT = re.compile(r"\d")
# What stands before the last piece of a number spaced out: a lone digit (1 5 %) or a decimal point (15. 5%).
_SPACED_PIECE = re.compile(r"(?:(?<![\d.,])\d\s|\d\s?\.\s?)$")
# The last pieces of a number split by a space: 12 345元, 2 500 万元 (a group of three), 1. 5亿元, 1 .5亿元.
_SPLIT_GROUP = re.compile(r"\d[ \u00a0]$")
_SPLIT_POINT = re.compile(r"\d\s?\.\s?$")
_THREE_DIGITS = re.compile(r"\.|\d{3}(?![\d])")
# 点 alone before the number (点五%), and a decimal tail or digit spaced off after it (百分之 45 .5, 百分之1 5).
_LONE_POINT = re.compile(r"(?:^|[^\u4e00-\u9fff])[点點]$")
_SPLIT_TAIL = re.compile(r"\s?[.．点點]\s?[\d零〇一二三四五六七八九]|\s[.．\d]")
_SPLIT_TAIL_START = (" ", "\t", "\u00a0", "\u3000", ".", "．", "点", "點")
# A list number before the amount: "1. 500万元用于…" at the start of a line or after a stop.
_LIST_MARKER = re.compile(r"(?:^|[\n。；;：:，,、）)])\s*\d{1,2}\.\s?$")
# A denominator written as places alone: 百, 千, 万, 十万, 百万, 千万, 亿, 十亿, 百万万 … (never 十, never 十十).
_PLACE_DENOMINATOR = re.compile("[百千]|[十百千]?[万亿]+")
# A digit and a comma right before an Arabic number: the number is a piece of a longer one.
_AFTER_DIGIT_COMMA = re.compile(r"\d[,，]$")
_YEAR = re.compile(r"(19|20)\d\d")
# 负增长 right before a percent: the growth is negative (负增长5% = -5 %).
_NEGATIVE_GROWTH = re.compile(r"负增长(?:了|为|达|率为?|幅度?为?|幅度?达)?$")


def extract(text: str, mapped: MappedText | None = None) -> list[Quantity]:
    """Return the quantities stated in ``text``, in order, with spans into ``text``.

    >>> [(q.surface, str(q.normalized), q.unit, q.comparator) for q in extract("接口调用超8.6亿次，预算3541.07万元")]
    [('超8.6亿次', '860000000', '次', '>'), ('3541.07万元', '35410700', '元', '=')]
    """
    mapped = mapped or MappedText(text)
    if _SPACE_NEAR_CJK.search(mapped.text):
        # Numerals and units are matched without layout spaces (三千 八百, 13625.99 万元).
        mapped = MappedText(text, drop_spaces=True)
    norm = mapped.text
    codes = _code_runs(norm)
    found: list[Quantity] = []
    position = 0
    while True:
        candidate = _STARTS.search(norm, position)
        if candidate is None:
            break
        match = QUANTITY.match(norm, candidate.start())
        if match is None:
            position = candidate.start() + 1
            continue
        position = match.end() if match.end() > match.start() else match.start() + 1
        if _spaced_tenth(match, mapped, mapped.original_span(match.start(), match.end())[1]):
            # "新建道路 500米 520米 10 10": Arabic digits after a layout space are the next cell, not tenths
            # (一米七五, 七成 六).
            shortened = QUANTITY.match(norm, match.start(), match.start("tenth"))
            if shortened is None:
                continue
            match = shortened
            position = max(match.end(), match.start() + 1)
        quantity = _quantity(match, norm, codes)
        if quantity is None and match.group("unit1") and match.group("unit") and \
                not _same_unit(match.group("unit1"), match.group("unit")):
            # 上调0.25个百分点至4.5%: two quantities of two units, not a range; each is read alone.
            retry = QUANTITY.match(norm, match.start(), match.start("sep"))
            if retry is not None:
                position = match.end("sep")  # the dash is no sign of the next one (2个百分点-4.5%)
                match, quantity = retry, _quantity(retry, norm, codes)
        if quantity is None and match.group("code") and match.group("unit"):
            # $300两笔: the amount after a currency sign, without a unit that is no unit here.
            retry = QUANTITY.match(norm, match.start(), match.start("unit"))
            if retry is not None and retry.group("code"):
                match, quantity = retry, _quantity(retry, norm, codes)
                position = max(match.end(), match.start() + 1)
        if quantity is None:
            shorter = _shorter(match, norm, codes)
            if shorter is None:
                num = match.group("num") or ""
                if num[:1] in ("零", "〇") and num[1:2] not in ("零", "〇"):
                    position = match.start("num") + 1  # 找零3角: no numeral begins with 零, the amount after it may
                continue
            match, quantity = shorter
            position = max(match.end(), match.start() + 1)
        start, end = mapped.original_span(quantity.start, quantity.end)
        quantity.surface, quantity.start, quantity.end = text[start:end], start, end
        found.append(quantity)
    return found


def _spaced_tenth(match: re.Match[str], mapped: MappedText, end: int) -> bool:
    """Return whether the tenths after 米/块/成 are Arabic digits that a space parts from the unit in the text given."""
    tenth = match.group("tenth")
    if not tenth or not tenth.isascii():
        return False
    low = mapped.original_span(match.start("tenth") - 1, match.start("tenth"))[0]
    return any(ch.isspace() for ch in mapped.original[low:end])


def _shorter(match: re.Match[str], norm: str, codes: list[tuple[int, int]]) -> tuple[re.Match[str], Quantity] | None:
    """Read a numeral that does not parse as a whole without its last character (百分之七十百分位)."""
    group = "numer" if match.group("numer") else "num" if match.group("num") else None
    if group is None or len(match.group(group)) < 2 or match.group(group).isascii() or \
            match.group(group)[-1] in "万亿兆萬億" or read_numeral(match.group(group)) is not None:
        return None  # (一万二万元: a section word at the end multiplies the whole, which does not parse)
    retry = QUANTITY.match(norm, match.start(), match.end(group) - 1)
    if retry is None or not retry.group(group):
        return None
    quantity = _quantity(retry, norm, codes)
    return None if quantity is None else (retry, quantity)


def _quantity(match: re.Match[str], norm: str, codes: list[tuple[int, int]]) -> Quantity | None:
    g = match.groupdict()
    if g["code"] and g["unit"] and UNITS.get(g["unit"], ("", ""))[0] not in ("money", "") and not _million(g):
        # 人民币12个月, 日元3个月: a currency named before a number of another kind is not its unit.
        retry = QUANTITY.match(norm, match.end("code"))
        return None if retry is None or retry.group("code") else _quantity(retry, norm, codes)
    if g["about"] and not (g["unit"] or g["mult"] or g["ge"]):
        # 来 is "about" only before a unit (十来个, 三十来岁); 300万来自 ends at 万.
        retry = QUANTITY.match(norm, match.start(), match.start("about"))
        return None if retry is None or retry.group("about") else _quantity(retry, norm, codes)
    # The numeral before 分之 is the denominator; before 又, the whole part.
    g["whole"] = g["den"] = None
    if g["numer"]:
        g["whole"], g["den"], g["num"] = (g["num"], g["den2"], None) if g["den2"] else (None, g["num"], None)
    elif g["half_only"]:
        g["num"] = "半"
    unit = g["unit"] or ""
    cell_comparator = None
    if not (unit or g["mult"] or g["code"] or g["prefix"] or g["den"] or g["anum"] or g["ge"]
            or _has_section(g["num2"] or "")) and (g["num"] or "").isascii() and not ("k" in g["num"].lower() or "w" in g["num"]):
        cell = _unit_cell(match, norm)
        if cell is None:
            return None  # a bare Arabic number: a year, a list number, a code
        unit, cell_comparator, g["mult"] = cell
        g["unit"] = unit
    start, end = match.start(), match.end()
    # Trim what the pattern swallowed but does not belong to the quantity.
    while end > start and norm[end - 1].isspace():
        end -= 1
    before = norm[max(0, start - 12):start]
    after = norm[end:end + 8]
    if not _acceptable(match, g, before, after, codes):
        return None
    quantity = _fraction(g) if g["den"] or g["anum"] else _number(match, g, norm)
    if quantity is None:
        return None
    if quantity.kind == "percent" and not (g["sign"] or g["fsign"]) and "负增长" in before \
            and _NEGATIVE_GROWTH.search(before):
        # 负增长5%: a growth of -5 %.
        quantity.value, quantity.upper = -quantity.value, None if quantity.upper is None else -quantity.upper
        if quantity.upper is not None:
            quantity.value, quantity.upper = quantity.upper, quantity.value
    comparator = "="
    if g["prefix"]:
        comparator = PREFIX_COMPARATORS[g["prefix"]]
    if g["more"] or g["more2"] or g["more3"]:
        comparator = ">"
    if g["about"]:
        comparator = "~"
    if g["suffix"]:
        comparator = SUFFIX_COMPARATORS[g["suffix"]]
    if cell_comparator:
        comparator = cell_comparator
    if quantity.upper is not None:
        comparator = "range"
    elif quantity.comparator == ">" and comparator == "=":
        comparator = ">"  # 二十几万, 数十亿: at least the value read
    if g["freq"] and quantity.kind == "count":
        quantity.kind = "frequency"  # 每季度1次; 每月300元 stays money
    shang = bool(g["num"]) and _place_only(g["num"]) and _SHANG.search(norm, 0, match.start("num"))
    if shang:
        comparator = ">="  # 上万人: ten thousand or more
    quantity.comparator = comparator
    lead = match.start("freq") if g["freq"] else match.start("prefix") if g["prefix"] else match.start("code") \
        if g["code"] else match.start("sign") if g["sign"] else match.start("awhole") if g["awhole"] else \
        match.start("anum") if g["anum"] else match.start("half_only") if g["half_only"] else match.start("num")
    lead -= 1 if shang else 0
    quantity.surface, quantity.start, quantity.end = norm[lead:end], lead, end
    return quantity


def _number(match: re.Match[str], g: dict[str, Any], norm: str) -> Quantity | None:
    """Build the quantity of a plain number (possibly a range, money with 角/分, a percent-like unit)."""
    num, unit = g["num"], g["unit"] or ""
    million = unit in ("m", "M") and _million(g)
    if million:
        unit = ""  # $3.5M, US$2m: millions of the currency
    if g["unit_half"]:
        unit = "个" + g["unit_half"]  # 两个半小时 = 2.5 个小时
    folded_num = _folded(num)
    if folded_num in _ROUND_PLACES and (norm[match.start("num") - 1:match.start("num")] in tuple(_ROUND_WORDS)
                                        or g["more"]):
        reading: Reading | None = Reading(_ROUND_PLACES[folded_num])  # 上千元, 近万人, 千余人, 万余元
    else:
        reading = Reading(Decimal("0.5"), precision=1) if num == "半" else read_numeral(num)
    if reading is None and folded_num in ("几", "数") and g["mult"]:
        reading = Reading(Decimal(1), approximate=True)  # 几个亿, 数万: read as their least value, as 几万
    if unit == "折" and reading is None or unit == "折" and len(_folded(num)) == 2 and reading is not None \
            and reading.upper is not None:
        reading = _digit_by_digit(num)  # 八五折, 九九折: digits read one by one
    if reading is None:
        return None
    value, multiplier, precision, upper = reading.value, reading.multiplier, reading.precision, reading.upper
    if g["mult"]:
        if multiplier != 1 or (g["gehalf"] and (upper is not None or reading.approximate or precision)):
            return None
        multiplier = MULTIPLIERS[g["mult"].translate(FOLD)]
        if g["gehalf"]:
            value, precision = value + Decimal("0.5"), max(precision, 1)  # 两个半亿 = 2.5亿
    if g["num2"]:
        if upper is not None:
            return None
        bounds = _range(reading, g["num2"], g["unit1"] or "", unit)
        if bounds is None:
            return None
        value, upper, multiplier, precision = bounds
        if g["sign2"]:
            if not g["sign"]:
                return None  # 3至-5: no safe reading
            value, upper = -upper, -value  # 负1.2至负1.5亿元: -1.5亿 to -1.2亿
        elif g["sign"]:
            value = -value  # -5%至5%
    elif g["sign"]:
        value = -value
    if million:
        if multiplier != 1:
            return None
        multiplier = Decimal(10) ** 6
    if upper is not None and any(g[part] for part in ("half", "tenth", "jiao", "fen", "fen_bare", "cent", "sen", "liang")):
        return None  # 三成至五成半, 10-12元5角: which bound the 半 or 角 belongs to is not safe to say
    kind, base = UNITS.get(unit, ("", ""))
    if unit == "块" and (g["jiao"] or g["fen"] or g["fen_bare"] or g["tenth"]):
        kind, base = "money", "元"  # 三块五毛, 十二块五: 块 is 元
    currency = None
    if g["code"]:
        code_base, currency = CURRENCY_CODES.get(g["code"]) or CURRENCIES.get(g["code"], ("元", "CNY"))
        if not unit:
            unit, kind, base = g["code"], "money", code_base
        elif kind == "money" and unit in _YUAN:
            base = code_base  # 港币2000元, 新台币177.1亿元: the 元 of the currency named before
    if kind == "money":
        named = CURRENCIES.get(unit) or CURRENCY_CODES.get(unit)
        if named and not (g["code"] and unit in _YUAN):
            if g["code"] and unit != g["code"] and named[1] and currency and named[1] != currency:
                return None  # 港币2000元人民币, $100欧元: two currencies named
            currency = named[1] or None
        currency = currency or ("CNY" if base == "元" else None)
        if unit in MONEY_FRACTIONS_WITH_FEN:
            # 三毛五 = 3.5 毛 = 0.35 元: the 分 is a tenth of the 毛.
            fen = _digit_by_digit(g["fen"] or (g["fen_bare"] if unit == "毛" else None) or "")
            if fen is None or multiplier != 1 or precision:  # 三角 needs its 分: 长三角三省 is a region
                return None
            value, precision = value + fen.value / 10, 1
        else:
            if precision and (g["jiao"] or g["fen"] or g["fen_bare"] or g["cent"] or g["sen"]):
                return None  # 12.5元5角: decimals and 角 both, which cannot be read safely
            value, multiplier, precision = _subunits(g, value, multiplier, precision)
    if g["cur2"] and kind == "money":
        after_base, after_currency = CURRENCIES[g["cur2"]]
        if currency != after_currency and (unit not in _YUAN or g["code"]):
            return None  # 100美元人民币, 港币2000元人民币: two currencies
        currency, base = after_currency, after_base  # 三万元欧元: the 元 of the currency named after it
    factor = PERCENT_SCALE.get(unit, Decimal(1)) if kind == "percent" else MONEY_FRACTIONS.get(unit, Decimal(1))
    if unit == "斤" and g["liang"]:
        # 三斤二两 = 3.2 斤: ten 两 make a 斤.
        if multiplier != 1 or precision or g["half"]:
            return None
        liang = _digit_by_digit(g["liang"])
        value, precision = value + (liang.value if liang else Decimal(0)) / 10, 1
    elif unit in ("块", "米") and g["tenth"] and kind in ("money", "length"):
        # 十二块五 = 12.5 元, 一米七五 = 1.75 米: the digits after the unit are its decimals.
        if multiplier != 1 or precision:
            return None
        digits = _digit_by_digit(g["tenth"])
        value = value + (digits.value if digits else Decimal(0)) / 10 ** len(g["tenth"])
        precision = len(g["tenth"])
    elif unit in ("成", "折"):
        value, upper, factor, precision = _tenths(g, unit, value, upper, factor, precision)
        if factor == 0:
            return None
    elif g["half"]:
        value, precision = value + Decimal("0.5"), max(precision, 1)
    if not unit:
        has_mult = multiplier != 1 or reading.multiplier != 1
        if g["prefix"] and not has_mult and num[0].isdigit():
            kind, base = "other", ""
        elif has_mult or _has_section(num + (g["num2"] or "")):
            kind, base = ("money", "元") if _MONEY_CONTEXT.search(norm[max(0, match.start() - 16):match.start()]) \
                else ("count", "")
        else:
            return None
        if kind == "money":
            currency = currency or "CNY"
    quantity = Quantity(surface="", start=0, end=0, value=value, multiplier=multiplier, unit=unit, base_unit=base,
                        kind=kind, upper=upper, precision=precision, factor=factor, currency=currency)
    if reading.approximate:
        quantity.comparator = ">"
    return quantity


def _range(low: Reading, text: str, unit1: str, unit: str) -> tuple[Decimal, Decimal, Decimal, int] | None:
    """Return (lower, upper, multiplier, precision) of a range; the lower bound takes the upper's 万/亿 and place.

    两到三万 = 2万–3万; 两到三千 = 2000–3000; 一百二十到一百五十万 = 120万–150万; 从8500到3万 = 8500–30000.
    """
    high = read_numeral(text)
    if high is None or high.upper is not None or (unit1 and not _same_unit(unit1, unit)):
        return None
    precision = max(low.precision, high.precision)
    if low.multiplier != 1 or unit1:
        if low.multiplier == high.multiplier:
            return low.value, high.value, high.multiplier, precision
        return low.total, high.total, Decimal(1), precision  # 3元-5万元: a bound with its unit keeps its own scale
    folded = _folded(text)
    if low.value < 10 and len(folded) >= 2 and (folded[0] in DIGITS or folded[0].isdigit()) and \
            folded[1] in "十百千" and all(ch in "十百千万亿" for ch in folded[1:]):
        if low.value != low.value.to_integral_value() and high.multiplier == 1:
            return None  # 1.5到三千: 1500 or 1.5, which cannot be told
        # 两到三千, 两~3百: a single digit takes the upper bound's place (1.5~二十万 keeps its own).
        place = read_numeral("一" + folded[1:]) if low.value == low.value.to_integral_value() else None
        if place is not None and low.value * place.value < high.value:
            return low.value * place.value, high.value, high.multiplier, precision
    if low.value <= high.value:
        return low.value, high.value, high.multiplier, precision
    return low.value, high.total, Decimal(1), precision


def _same_unit(first: str, second: str) -> bool:
    """Return whether two units of a range are one scale (元 and 元; not 角 and 元, ‰ and %, 成 and %)."""
    return first == second or (UNITS.get(first) == UNITS.get(second) and PERCENT_SCALE.get(first) == PERCENT_SCALE.get(
        second) and MONEY_FRACTIONS.get(first) == MONEY_FRACTIONS.get(second))


def _fraction(g: dict[str, Any]) -> Quantity | None:
    """Build the quantity of a fraction: 三分之一, 16分之5, 1/3, 三百五又三分之一; 百分之十五 is a percent."""
    if g["anum"]:
        numerator, denominator = Decimal(g["anum"]), Decimal(g["aden"])
        whole = Decimal(g["awhole"]) if g["awhole"] else None
        place_only = False
    else:
        den_text = g["den"].translate(FOLD)
        # 百/千/万分之 and 十万/百万/千万分之 (parts per 10^5 …): percent-like; 十分之一 is a fraction.
        place_only = bool(_PLACE_DENOMINATOR.fullmatch(den_text))
        if place_only:
            denominator = Decimal(1)
            for ch in den_text:
                denominator *= {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 10 ** 8}[ch]
        else:
            den = read_numeral(den_text)
            if den is None or den.upper is not None or den.approximate:
                return None
            denominator = den.total
        numer_text = g["numer"].translate(FOLD)
        numer = Reading(Decimal(100)) if numer_text == "百" and denominator == 100 else read_numeral(numer_text)
        if numer is None or numer.upper is not None or numer.approximate:
            return None
        numerator = numer.total
        whole = None
        if g["whole"]:
            whole_reading = read_numeral(g["whole"])
            if whole_reading is None or whole_reading.upper is not None:
                return None
            whole = whole_reading.total
        if g["fsign"]:
            numerator = -numerator
    if denominator == 0 or (whole is not None and place_only):
        return None
    if g["sign2"]:
        return None
    sign = -1 if g["sign"] else 1
    if whole is not None:
        # 负一又二分之一 = -(1 + 1/2); 负3分之负157 = 157/3.
        numerator = whole * denominator + numerator
    numerator *= sign
    unit = g["unit"] or ""
    if g["inden"] and not (place_only and not unit and not g["num2"]):
        return None
    if place_only and not unit:
        # 百分之十五 = 15 %, 千分之五 = 0.5 %, 万分之三 = 0.03 %: in percent, the unit as written.
        written = {100: "%"}.get(int(denominator), g["den"].translate(FOLD) + "分之")
        if g["inden"]:
            # 百分之三十三又三分之一 = 100/3 %: kept exact as numerator 100 of 300.
            inner_den, inner_num = read_numeral(g["inden"]), read_numeral(g["innum"])
            if inner_den is None or inner_num is None or inner_den.upper is not None or inner_num.upper is not None \
                    or inner_den.approximate or inner_num.approximate or inner_den.total == 0 or numerator < 0 or g["sign"]:
                return None
            top = numerator * inner_den.total + inner_num.total
            return Quantity("", 0, 0, fraction_value(top, inner_den.total), Decimal(1), written, "%", "percent",
                            factor=Decimal(100) / denominator, numerator=top, denominator=denominator * inner_den.total)
        upper = None
        if g["num2"]:
            # 百分之五至十 = 5 % to 10 %: the upper bound shares the 百分之.
            high = read_numeral(g["num2"])
            if high is None or high.upper is not None or high.approximate or high.total <= numerator:
                return None
            upper = high.total
        return Quantity("", 0, 0, numerator, Decimal(1), written, "%", "percent", factor=Decimal(100) / denominator,
                        precision=_decimals(numerator), numerator=numerator, denominator=denominator, upper=upper)
    if place_only:
        return None
    kind, base = UNITS.get(unit, ("fraction", "")) if unit else ("fraction", "")
    if kind == "percent" or g["mult"] or g["num2"]:
        return None
    currency = CURRENCIES[unit][1] if unit in CURRENCIES else None
    return Quantity("", 0, 0, fraction_value(numerator, denominator), Decimal(1), unit, base, kind,
                    numerator=numerator, denominator=denominator, currency=currency, precision=0)


def _subunits(g: dict[str, Any], value: Decimal, multiplier: Decimal, precision: int) -> tuple[Decimal, Decimal, int]:
    """Add 角/分 (and 美分) to an amount: 123元1角1分 = 123.11元."""
    parts = [(g["jiao"], SUBUNITS["角"]), (g["fen"] or g["fen_bare"], SUBUNITS["分"]),
             (g["cent"], SUBUNITS["美分"]), (g["sen"], SUBUNITS["銭"])]
    extra = Decimal(0)
    for text, size in parts:
        if text:
            reading = read_numeral(text)
            if reading is None:
                continue
            extra += reading.total * size
            precision = max(precision, 2 if size < Decimal("0.1") else 1)
    if not extra:
        return value, multiplier, precision
    return value * multiplier + extra, Decimal(1), precision


def _tenths(g: dict[str, Any], unit: str, value: Decimal, upper: Decimal | None, factor: Decimal,
            precision: int) -> tuple[Decimal, Decimal | None, Decimal, int]:
    """Read 三成半 (35 %), 七成六 (76 %), 八折 (80 %), 75折 (75 %); factor 0 when it is no such share."""
    if g["half"]:
        value, precision = value + Decimal("0.5"), max(precision, 1)
    if g["tenth"]:
        tenth = _digit_by_digit(g["tenth"])
        value, precision = value + (tenth.value if tenth else Decimal(0)) / 10, max(precision, 1)
    if g["mult"] or value <= 0:
        return value, upper, Decimal(0), precision
    if unit == "折" and value >= 10:
        if value >= 100 or value != value.to_integral_value():
            return value, upper, Decimal(0), precision
        return value, upper, Decimal(1), precision  # 75折 = 75 %
    if value > 10 or (upper is not None and upper > 10):
        return value, upper, Decimal(0), precision
    return value, upper, factor, precision


def _digit_by_digit(num: str) -> Reading | None:
    folded = _folded(num)
    if not folded or any(ch not in DIGITS and not ch.isdigit() for ch in folded):
        return None
    return Reading(Decimal("".join(str(DIGITS[ch]) if ch in DIGITS else ch for ch in folded)))


def _folded(num: str) -> str:
    return "".join(num.split()).translate(FOLD)


_PLACE_CHARS = frozenset("十百千万亿拾佰仟萬億")


def _million(g: dict[str, Any]) -> bool:
    """Return whether m/M after an amount with a currency sign or code is "million" ($3.5M), not metres."""
    return g["unit"] in ("m", "M") and g["code"] in CURRENCY_CODES


def _place_only(num: str) -> bool:
    """Return whether a numeral is places alone (千, 千万, 百亿): a round number after 上/近/逾."""
    if num[:1] not in _PLACE_CHARS:
        return False
    folded = _folded(num)
    return bool(folded) and all(ch in "十百千万亿" for ch in folded)


def _has_section(num: str) -> bool:
    return any(ch in "万亿兆" for ch in _folded(num))


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _acceptable(match: re.Match[str], g: dict[str, Any], before: str, after: str, codes: list[tuple[int, int]]) -> bool:
    """Return False for numbers that are names, ordinals, dates, years, codes or list markers."""
    num = g["num"] or g["den"] or g["anum"] or ""
    unit = g["unit"] or ""
    chinese = not num[:1].isdigit() and num[:1] != "."
    lead = before.rstrip()
    if lead.endswith(("第", "×", "*", "x", "X", "〔", "[", "【")) or (lead.endswith("(") and not unit):
        return False
    if (not unit or unit == "年") and _NAME_AFTER.match(after):
        return False  # 12345热线; 三年行动: a name
    if not (g["freq"] or g["prefix"] or g["code"] or g["sign"]
            or g["whole"] or g["awhole"]) and before[-1:].isascii() and before[-1:].isalpha():
        return False  # a number right after a Latin letter is part of a code or name: PM2.5, P2P, A3P
    if not unit and after[:1].isascii() and after[:1].isalpha():
        return False  # $3.5bn, 5A级: Latin letters the table does not know run on from the number
    if num[-1:] in ("k", "K") and _ONE_DIGIT.fullmatch(num[:-1]) and not g["code"]:
        return False  # 4K电视, 8K超高清: a resolution (or 5K跑, a distance), not thousands
    if unit in ("G", "T", "M", "g") and _ONE_DIGIT.fullmatch(num) and not g["code"]:
        return False  # 5G, 4G: a technology, not a volume
    if g["sign"] and UNITS.get(unit, ("", ""))[0] == "other":
        return False  # -2.5 M: no data volume or frequency is negative (a million, perhaps: not read)
    if unit in ("G", "T", "M", "P") and after[:1] in ("元", "美", "港", "欧"):
        return False  # 2.5M元: a million (not read), not a data volume
    if unit[-1:].isascii() and unit[-1:].isalpha() and after[:1].isascii() and after[:1].isalpha():
        return False  # 5min, 3mg: a Latin unit runs on into a word the table does not know
    if (before[-1:] in ("点", "點") and _LONE_POINT.search(before)) or (
            after[:1] in _SPLIT_TAIL_START and _ends_with_digits(match) and _SPLIT_TAIL.match(after)):
        return False  # 点五%, 百分之 45 .5: a decimal point apart from its number, which cannot be read safely
    if num[:1].isdigit() or num[:1] == ".":
        if before[-1:] in (" ", "\u00a0", ".") and (_SPLIT_GROUP.search(before) and _THREE_DIGITS.match(num) or (
                _SPLIT_POINT.search(before) and not _LIST_MARKER.search(before))):
            return False  # 12 345元, 1. 5亿元: the end of a number split by a space, which cannot be read safely
    if UNITS.get(unit, ("", ""))[0] == "percent" and num[:1].isdigit() and _SPACED_PIECE.search(before):
        return False  # 7 2 折, 1 5 %, 15. 5%: digits spaced out, which cannot be read safely
    if unit in _ALONE and not _ALONE[unit].match(after):
        return False
    if unit in ("方", "成", "折", "起", "米", "两", "元", "单") and _WORD_AFTER_UNIT.match(unit + after):
        return False
    if codes and any(low <= match.start() < high for low, high in codes):
        return False
    if unit in ONLY_AFTER_CHINESE and (not chinese or g["mult"] or _has_section(num)):
        return False
    if chinese:
        if not (unit or g["den"] or g["mult"] or _has_section(num + (g["num2"] or ""))) \
                or unit in NOT_AFTER_CHINESE or (_folded(g["num"] or "") in ("一", "百", "千") and not (g["num2"] or g["tenth"] or g["half"] or g["jiao"] or g["fen"] or g["ge"] or (
                    _folded(g["num"] or "") != "一" and g["more"]) or (
                    _folded(g["num"] or "") != "一" and unit and g["num"] and _round_word_before(match)) or (
                    _folded(g["num"] or "") == "一" and _MEASURED.match(unit + after)))):
            return False
        if _place_only(num) and lead.endswith("上") and not _SHANG.search(lead):
            return False  # 以上万元, 线上千人: 上 ends another word
        if (_folded(num)[:1] in ("百", "千") or _folded(num) in _ROUND_PLACES) and not (unit or g["den"]):
            return False  # 千万不要, 百万: a place alone is a number only before a unit (百亿元, 千万元)
        if lead.endswith(("“", "\"", "《", "「")):
            return False  # a quoted name: “两张清单”
        if unit and (_WORD_AFTER_UNIT.match(unit + after) or _PLACE_NAME.match(after)) or _ORDINAL_LIST.search(lead):
            return False
        lead3 = before[-3:]
        window = lead3 + match.group(0) + after[:3]
        if any(name.start() < len(lead3) + len(match.group(0)) and name.end() > len(lead3)
               for name in _NAME_NUMERALS.finditer(window)):
            return False  # a name that takes in the numeral (十四五, 一网通办), not one next to it
        if g["num"] in ("拾", "佰", "仟") or (unit == "两" and _folded(num) == "两") or (unit == "折" and _folded(num) == "十"):
            return False  # 拾起, 两两, 十折: words, not numbers
        if len(_folded(num)) >= 3 and all(ch in DIGITS for ch in _folded(num)):
            return False  # 二〇二四: a year or a code, read digit by digit
    elif _YEAR.fullmatch(num) and not unit and not g["mult"]:
        return False
    elif before[-1:] in (",", "，") and _AFTER_DIGIT_COMMA.search(before) and match.start("num") == match.start() and (
            before.endswith(",") or num.startswith("0")):
        return False  # 1，000% or 5,5%: a group or a decimal comma cut off, not a number of its own
    return True


def _ends_with_digits(match: re.Match[str]) -> bool:
    """Return whether the match ends with the digits of its number (no unit, no sign after them)."""
    text = match.group(0).rstrip()
    return bool(text) and (text[-1].isdigit() or text[-1] in DIGITS)


def _round_word_before(match: re.Match[str]) -> bool:
    """Return whether 上/近/逾/超/过/破 stand right before the numeral (上千元, 近千家), 上 as a word of its own."""
    before = match.string[:match.start("num")]
    return before[-1:] in _ROUND_WORDS[1:] or bool(_SHANG.search(before))


def _code_runs(norm: str) -> list[tuple[int, int]]:
    """Return the spans of the runs of ASCII in ``norm`` that are addresses or code."""
    if not _CODE_RUN.search(norm):
        return []
    return [run.span() for run in _ASCII_RUN.finditer(norm) if _CODE_RUN.search(run.group())]


# A table read as text whose unit and comparator stand in cells of their own: | ≧ | 735 | 人次 | 735 | 10 |.
# The number alone in its cell takes the unit of the next cell, or, after such a pair, the unit of the
# cell before it (the actual after the target); the comparator is a cell before the number.
_CELL_UNIT_AFTER = re.compile(rf"\s*\|\s*(?P<unit>{_alternation(UNITS)})\s*\|")
_CELL_UNIT_BEFORE = re.compile(rf"\|\s*\d[\d.]*\s*\|\s*(?P<unit>{_alternation(UNITS)})\s*\|\s*$")
_CELL_COMPARATOR = re.compile(r"\|\s*(?P<cmp>≥|≤|≧|≦|>=|<=|>|<|=|═)\s*\|\s*$")


def _unit_cell(match: re.Match[str], norm: str) -> tuple[str, str | None, str | None] | None:
    """Return (unit, comparator, 万/亿) of a number alone in a table cell whose unit stands in a cell of its own."""
    start, end = match.start(), match.end()
    before = norm[max(0, start - 24):start]
    if not before.rstrip(" ").endswith("|") or not re.match(r"\s*\|", norm[end:end + 4]):
        return None
    after = _CELL_UNIT_AFTER.match(norm, end)
    unit_before = None if after else _CELL_UNIT_BEFORE.search(before)
    found = after or unit_before
    if found is None:
        # | 年度资金总额 | 808.1 | 692.98 | under 全年预算数 and 全年执行数 in a table stated in 万元.
        header = column_header(norm, start)
        unit = table_unit(norm, start) if header and AMOUNT_HEADER.search(header) else None
        return (unit[-1], None, unit[:-1] or None) if unit else None
    if UNITS[found.group("unit")][0] in ("duration", "score") and not after:
        return None
    comparator = _CELL_COMPARATOR.search(before) if after else None
    return found.group("unit"), (PREFIX_COMPARATORS.get(comparator.group("cmp"), "=") if comparator else None), None
