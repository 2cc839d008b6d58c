"""Find quantities in text with regular expressions built from the unit tables.

Matching runs on NFKC-normalised text with converter residue undone
(:class:`nlp.normalize.MappedText`); spans are mapped back to the text given.
Years, dates, document numbers, ordinals, phone numbers and numbers inside
names (12345热线, 百千万工程, 一网通办, 7×24小时) are not quantities.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from nlp.normalize import _SPACE_NEAR_CJK, MappedText
from nlp.quantities.numerals import DIGITS, FOLD, NUMERAL, Reading, fraction_value, read_numeral
from nlp.quantities.quantity import Quantity
from nlp.quantities.units import (APPROX_MORE, CURRENCIES, CURRENCY_CODES, MULTIPLIERS, NOT_AFTER_CHINESE,
                                  PERCENT_SCALE, PERIODS, PREFIX_COMPARATORS, SUBUNITS, SUFFIX_COMPARATORS, UNITS)


def _alternation(words: Iterable[str]) -> str:
    """Return a regex alternation of ``words``, longest first so that 万元 wins over 万."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_SIGN = r"(?:(?<![0-9A-Za-z.\-])[-−]|[负負])"
_DIGIT = r"[零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖\d]"
_MULT = r"万亿|萬億|亿|億|万|萬"
_PLACE_ONLY = r"[百千万亿佰仟萬億]{1,4}"

QUANTITY = re.compile(
    rf"""
    (?P<freq>每\s?(?P<period>{_alternation(PERIODS)})\s?)?            # 每季度 1 次: a frequency
    (?P<prefix>{_alternation(PREFIX_COMPARATORS)})?\s?                # ≥, 超过, 约 …
    (?P<code>(?<![A-Za-z]){_alternation(CURRENCY_CODES)}|人民币)?\s?   # $20, ¥300, USD, 人民币
    (?P<sign>{_SIGN})?                                                  # 负3.9%, -22.2%
    (?:
      (?:(?P<whole>{NUMERAL})又)?(?P<den>{NUMERAL}|{_PLACE_ONLY})分之(?P<fsign>{_SIGN})?(?P<numer>{NUMERAL})
                                                                        # 三分之一, 16分之5, 百分之十五
    | (?:(?P<awhole>\d+)\s)?(?<![\d/.])(?P<anum>\d+)/(?P<aden>\d+)(?![\d/.])   # 1/3
    | (?P<num>{NUMERAL}|半(?=成))                                       # the number as written
    )
    (?:(?P<unit1>{_alternation(UNITS)})?(?:\(含\))?\s?(?P<sep>--|——|[-~—–至到])\s?(?P<num2>{NUMERAL}))?
                                                                        # a range: 3-5, 3至5, 1万元--5万元
    \s?(?P<more>{_alternation(APPROX_MORE)})?                          # 30余, 30多
    \s?(?P<mult>{_MULT})?                                              # 万/亿 multiplier after 余/多
    \s?(?P<more2>{_alternation(APPROX_MORE)})?                         # 2万余
    \s?(?P<unit>{_alternation(UNITS)})?                                # unit or counter word
    (?P<half>半)?                                                       # 两米半, 三成半
    (?:(?<=[元块圆])(?P<jiao>{_DIGIT})[角毛])?(?:(?<=[元块圆角毛])(?P<fen>{_DIGIT})分(?![钟之]))?  # 123元1角1分
    (?:(?<=美元)又?(?P<cent>{NUMERAL})美分)?                            # 两美元又三美分
    (?:(?<=[成块])(?P<tenth>[一二三四五六七八九1-9])(?![\d{"".join(DIGITS)}十百千万个角毛分块]))?  # 七成六, 十二块五
    整?(?P<cur2>人民币)?
    \s?(?P<suffix>{_alternation(SUFFIX_COMPARATORS)})?                 # 以上, 左右 …
    """,
    re.VERBOSE,
)

# Numbers that are part of a name, not a measurement.
_NAME_AFTER = re.compile(r"^\s?(?:热线|政务服务便民热线|平台|工程|行动|战略|计划|系统|号|年|月|日|届|周年|版)")
_NAME_NUMERALS = re.compile(
    r"一件事|一本账|一张网|一张图|一网|一体|一批|一系列|一些|一线|一把手|两山|两张清单|两委|三化|三会一课|"
    r"四下基层|百千万|十四五|十五五|十三五|双授权|一站式|一窗|一次性|一号|一码|十万火急|一成不变|七折八扣|一波三折")
# A counter word that is really the first character of a word (二支部, 三个人).
_WORD_AFTER_UNIT = re.compile(r"^(?:支部|期间|项目|个人|条例|条件|部门|家庭|名单|台账|份额|场所|类型|级别|处理|间隙|本级|门户|"
                              r"套餐|所属|处室|届次|人员|人才|人民|户籍|户外|位置|张贴|单位|家长|起来|起草|方面|方案|方式|方法|"
                              r"方向|米粒|成本|成员|成果|成功|成效|成绩|成熟|成立|成为|折合|折旧|折算|折扣|两天|两年|两个)")
# A Chinese numeral and counter before a place-name character (五台山, 三门峡) are a name.
_PLACE_NAME = re.compile(r"^[山岭峰湖江河寺庙塔桥街巷村镇关沟峡岛]")
# Units that end the word only before punctuation or a few words (三成, 八折, 二两).
_ALONE = {"成": re.compile(r"^(?:$|[\s\d,.;:!?，。；：、）)”]|[以左上下多的和或至到优是来用在被将已])"),
          "折": re.compile(r"^(?!合|旧|算|叠|射|线|返|腾|损|服|中|痕|页|扣|价|现|成|抵)"),
          "两": re.compile(r"^(?:$|[\s\d,.;:!?，。；：、）)”]|[的重左])")}
_ORDINAL_LIST = re.compile(r"第[零〇一二两三四五六七八九十\d]+[、,，]$")
_MONEY_CONTEXT = re.compile(r"(预算|经费|资金|金额|投资|收入|支出|费用?|拨款|采购|决算|成本)[^，,。；;]{0,6}$")
# A run of ASCII that is an address or code: a number in it is not a quantity (…?q=30%25%2020%).
_CODE_RUN = re.compile(r"://|www\.|[?&][A-Za-z_]+=")


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
    found: list[Quantity] = []
    position = 0
    while True:
        match = QUANTITY.search(norm, position)
        if match is None:
            break
        position = match.end() if match.end() > match.start() else match.start() + 1
        quantity = _quantity(match, norm)
        if quantity is None:
            shorter = _shorter(match, norm)
            if shorter is None:
                continue
            match, quantity = shorter
            position = max(match.end(), match.start() + 1)
        start, end = mapped.original_span(quantity.start, quantity.end)
        quantity.surface, quantity.start, quantity.end = text[start:end], start, end
        found.append(quantity)
    return found


def _shorter(match: re.Match[str], norm: str) -> tuple[re.Match[str], Quantity] | None:
    """Read a numeral that does not parse as a whole without its last character (百分之七十百分位)."""
    group = "numer" if match.group("numer") else "num" if match.group("num") else None
    if group is None or len(match.group(group)) < 2 or read_numeral(match.group(group)) is not None:
        return None
    retry = QUANTITY.match(norm, match.start(), match.end(group) - 1)
    if retry is None or not retry.group(group):
        return None
    quantity = _quantity(retry, norm)
    return None if quantity is None else (retry, quantity)


def _quantity(match: re.Match[str], norm: str) -> Quantity | None:
    unit = match.group("unit") or ""
    start, end = match.start(), match.end()
    # Trim what the pattern swallowed but does not belong to the quantity.
    while end > start and norm[end - 1].isspace():
        end -= 1
    before = norm[max(0, start - 12):start]
    after = norm[end:end + 8]
    if not _acceptable(match, before, after, norm):
        return None
    quantity = _fraction(match) if match.group("den") or match.group("anum") else _number(match, norm)
    if quantity is None:
        return None
    comparator = "="
    if match.group("prefix"):
        comparator = PREFIX_COMPARATORS[match.group("prefix")]
    if match.group("more") or match.group("more2"):
        comparator = ">"
    if match.group("suffix"):
        comparator = SUFFIX_COMPARATORS[match.group("suffix")]
    if quantity.upper is not None:
        comparator = "range"
    elif quantity.comparator == ">" and comparator == "=":
        comparator = ">"  # 二十几万, 数十亿: at least the value read
    if match.group("freq"):
        quantity.kind = "frequency"
    quantity.comparator = comparator
    lead = next(match.start(g) for g in ("freq", "prefix", "code", "sign", "whole", "den", "awhole", "anum", "num")
                if match.group(g))
    quantity.surface, quantity.start, quantity.end = norm[lead:end], lead, end
    return quantity


def _number(match: re.Match[str], norm: str) -> Quantity | None:
    """Build the quantity of a plain number (possibly a range, money with 角/分, a percent-like unit)."""
    num, unit = match.group("num"), match.group("unit") or ""
    reading = Reading(Decimal("0.5"), precision=1) if num == "半" else read_numeral(num)
    if unit == "折" and reading is None or unit == "折" and len(_folded(num)) == 2 and reading is not None \
            and reading.upper is not None:
        reading = _digit_by_digit(num)  # 八五折, 九九折: digits read one by one
    if reading is None:
        return None
    value, multiplier, precision, upper = reading.value, reading.multiplier, reading.precision, reading.upper
    if match.group("mult"):
        if multiplier != 1:
            return None
        multiplier = MULTIPLIERS[match.group("mult").translate(FOLD)]
    if match.group("num2"):
        if upper is not None:
            return None
        bounds = _range(reading, match.group("num2"), match.group("unit1") or "", unit)
        if bounds is None:
            return None
        value, upper, multiplier, precision = bounds
    if match.group("sign"):
        value = -value
    kind, base = UNITS.get(unit, ("", ""))
    if unit == "块" and (match.group("jiao") or match.group("fen") or match.group("tenth")):
        kind, base = "money", "元"  # 三块五毛, 十二块五: 块 is 元
    currency = None
    if match.group("code"):
        code_base, currency = CURRENCY_CODES.get(match.group("code"), ("元", "CNY"))
        if not unit:
            unit, kind, base = match.group("code"), "money", code_base
    if kind == "money":
        currency = CURRENCIES[unit][1] if unit in CURRENCIES else currency or ("CNY" if base == "元" else None)
        value, multiplier, precision = _subunits(match, value, multiplier, precision)
    if match.group("cur2") and kind == "money":
        currency = "CNY"
    factor = PERCENT_SCALE.get(unit, Decimal(1)) if kind == "percent" else Decimal(1)
    if unit == "块" and match.group("tenth") and kind == "money":
        tenth = _digit_by_digit(match.group("tenth"))
        value, precision = value + (tenth.value if tenth else Decimal(0)) / 10, max(precision, 1)
    elif unit in ("成", "折"):
        value, upper, factor, precision = _tenths(match, unit, value, upper, factor, precision)
        if factor == 0:
            return None
    elif match.group("half"):
        value, precision = value + Decimal("0.5"), max(precision, 1)
    if not unit:
        has_mult = multiplier != 1 or reading.multiplier != 1
        if match.group("prefix") and not has_mult and num[0].isdigit():
            kind, base = "other", ""
        elif has_mult or _has_section(num + (match.group("num2") or "")):
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
    if high is None or high.upper is not None or (unit1 and unit1 != unit):
        return None
    precision = max(low.precision, high.precision)
    if low.multiplier != 1:
        if low.multiplier == high.multiplier:
            return low.value, high.value, high.multiplier, precision
        return low.total, high.total, Decimal(1), precision
    folded = _folded(text)
    if low.value < 10 and low.value == low.value.to_integral_value() and len(folded) >= 2 and \
            (folded[0] in DIGITS or folded[0].isdigit()) and folded[1] in "十百千" and all(ch in "十百千万亿" for ch in folded[1:]):
        # 两到三千, 两~3百: a single digit takes the upper bound's place.
        place = read_numeral("一" + folded[1:])
        if place is not None:
            return low.value * place.value, high.value, high.multiplier, precision
    if low.value <= high.value:
        return low.value, high.value, high.multiplier, precision
    return low.value, high.total, Decimal(1), precision


def _fraction(match: re.Match[str]) -> Quantity | None:
    """Build the quantity of a fraction: 三分之一, 16分之5, 1/3, 三百五又三分之一; 百分之十五 is a percent."""
    if match.group("anum"):
        numerator, denominator = Decimal(match.group("anum")), Decimal(match.group("aden"))
        whole = Decimal(match.group("awhole")) if match.group("awhole") else None
        place_only = False
    else:
        den_text = match.group("den").translate(FOLD)
        place_only = all(ch in "百千万亿" for ch in den_text)
        if place_only:
            denominator = Decimal(1)
            for ch in den_text:
                denominator *= {"百": 100, "千": 1000, "万": 10_000, "亿": 10 ** 8}[ch]
        else:
            den = read_numeral(den_text)
            if den is None or den.upper is not None or den.approximate:
                return None
            denominator = den.total
        numer_text = match.group("numer").translate(FOLD)
        numer = Reading(Decimal(100)) if numer_text == "百" and denominator == 100 else read_numeral(numer_text)
        if numer is None or numer.upper is not None or numer.approximate:
            return None
        numerator = numer.total
        whole = None
        if match.group("whole"):
            whole_reading = read_numeral(match.group("whole"))
            if whole_reading is None or whole_reading.upper is not None:
                return None
            whole = whole_reading.total
        if match.group("fsign"):
            numerator = -numerator
    if denominator == 0 or (whole is not None and place_only):
        return None
    sign = -1 if match.group("sign") else 1
    if whole is not None:
        # 负一又二分之一 = -(1 + 1/2); 负3分之负157 = 157/3.
        numerator = whole * denominator + numerator
    numerator *= sign
    unit = match.group("unit") or ""
    if place_only and not unit:
        # 百分之十五 = 15 %, 千分之五 = 0.5 %, 万分之三 = 0.03 %: in percent, the unit as written.
        written = {100: "%"}.get(int(denominator), match.group("den").translate(FOLD) + "分之")
        return Quantity("", 0, 0, numerator, Decimal(1), written, "%", "percent", factor=Decimal(100) / denominator,
                        precision=_decimals(numerator), numerator=numerator, denominator=denominator)
    if place_only:
        return None
    kind, base = UNITS.get(unit, ("fraction", "")) if unit else ("fraction", "")
    if kind == "percent" or match.group("mult") or match.group("num2"):
        return None
    currency = CURRENCIES[unit][1] if unit in CURRENCIES else None
    return Quantity("", 0, 0, fraction_value(numerator, denominator), Decimal(1), unit, base, kind,
                    numerator=numerator, denominator=denominator, currency=currency, precision=0)


def _subunits(match: re.Match[str], value: Decimal, multiplier: Decimal, precision: int) -> tuple[Decimal, Decimal, int]:
    """Add 角/分 (and 美分) to an amount: 123元1角1分 = 123.11元."""
    parts = [(match.group("jiao"), SUBUNITS["角"]), (match.group("fen"), SUBUNITS["分"]),
             (match.group("cent"), SUBUNITS["美分"])]
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


def _tenths(match: re.Match[str], unit: str, value: Decimal, upper: Decimal | None, factor: Decimal,
            precision: int) -> tuple[Decimal, Decimal | None, Decimal, int]:
    """Read 三成半 (35 %), 七成六 (76 %), 八折 (80 %), 75折 (75 %); factor 0 when it is no such share."""
    if match.group("half"):
        value, precision = value + Decimal("0.5"), max(precision, 1)
    if match.group("tenth"):
        tenth = _digit_by_digit(match.group("tenth"))
        value, precision = value + (tenth.value if tenth else Decimal(0)) / 10, max(precision, 1)
    if match.group("mult") or value <= 0:
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


def _has_section(num: str) -> bool:
    return any(ch in "万亿兆" for ch in _folded(num))


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _acceptable(match: re.Match[str], before: str, after: str, norm: str) -> bool:
    """Return False for numbers that are names, ordinals, dates, years, codes or list markers."""
    num = match.group("num") or match.group("den") or match.group("anum") or ""
    unit = match.group("unit") or ""
    chinese = not num[:1].isdigit() and num[:1] != "."
    lead = before.rstrip()
    if lead.endswith(("第", "×", "*", "x", "X", "〔", "[", "【")) or (lead.endswith("(") and not unit):
        return False
    if _NAME_AFTER.match(after) and not unit:
        return False
    first = next(match.start(g) for g in ("freq", "prefix", "code", "sign", "whole", "den", "awhole", "anum", "num")
                 if match.group(g))
    if first == match.start("num" if match.group("num") else "den" if match.group("den") else "anum") and \
            before[-1:].isascii() and before[-1:].isalpha() and not match.group("code"):
        return False  # a number right after a Latin letter is part of a code or name: PM2.5, P2P, A3P
    if unit in ("G", "T", "M") and re.fullmatch(r"\d", num):
        return False  # 5G, 4G: a technology, not a volume
    if unit[-1:].isascii() and unit[-1:].isalpha() and after[:1].isascii() and after[:1].isalpha():
        return False  # 5min, 3mg: a Latin unit runs on into a word the table does not know
    if unit in _ALONE and not _ALONE[unit].match(after):
        return False
    if unit and _WORD_AFTER_UNIT.match(unit + after) and unit in ("方", "成", "折", "起", "米", "两"):
        return False
    if _in_code(norm, match.start(), match.end()):
        return False
    if chinese:
        if not (unit or match.group("den") or match.group("mult") or _has_section(num + (match.group("num2") or ""))) \
                or unit in NOT_AFTER_CHINESE or (_folded(match.group("num") or "") in ("一", "百", "千") and not match.group("num2")):
            return False
        if lead.endswith(("“", "\"", "《", "「")):
            return False  # a quoted name: “两张清单”
        if unit and (_WORD_AFTER_UNIT.match(unit + after) or _PLACE_NAME.match(after)) or _ORDINAL_LIST.search(lead):
            return False
        window = before[-3:] + match.group(0) + after[:3]
        if _NAME_NUMERALS.search(window):
            return False
        if match.group("num") in ("拾", "佰", "仟") or (unit == "两" and _folded(num) == "两") or (unit == "折" and _folded(num) == "十"):
            return False  # 拾起, 两两, 十折: words, not numbers
        if len(_folded(num)) >= 3 and all(ch in DIGITS for ch in _folded(num)):
            return False  # 二〇二四: a year or a code, read digit by digit
    elif re.fullmatch(r"(19|20)\d\d", num) and not unit and not match.group("mult"):
        return False
    return True


def _in_code(norm: str, start: int, end: int) -> bool:
    """Return True when ``norm[start:end]`` lies in a run of ASCII that is an address or code."""
    if not (norm[start:end].isascii() or any(ch in "%=&/" for ch in norm[start:end])):
        return False
    low = start
    while low > 0 and start - low < 200 and "!" <= norm[low - 1] <= "~":
        low -= 1
    high = end
    while high < len(norm) and high - end < 200 and "!" <= norm[high] <= "~":
        high += 1
    return bool(_CODE_RUN.search(norm, low, high))
