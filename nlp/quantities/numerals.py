"""Read numerals: Arabic, Chinese, financial and mixed, exactly (``Decimal`` throughout).

One grammar for every way a report writes a number:

- Arabic with thousands commas and decimals (``1,272.04``, ``.5``), ``k`` for thousands (``15k``);
- Chinese positional numerals with 万/亿/兆 sections anywhere (一万二千三百四十五,
  一千二百三十四万五千, 两亿零五百万, 四万万, 三百五十一万亿), 零/〇 placeholders, abbreviated
  tails (三千六 = 3600, 九万四 = 94000), 点 decimals (十五点七), digit by digit (二〇二四);
- financial numerals (壹贰叁肆伍陆柒捌玖拾佰仟) and the traditional forms of 万亿点两;
- mixed (3万4000, 5亿1万4千6百, 1.5万亿, 1千零20);
- approximate digits (二十几万, 数十亿: 几/数 read as their least value) and two neighbouring
  digits before a place (八九亿, 四五千: a range).

:func:`chinese_integer` reads the part below 万; it is read here rather than with cn2an,
whose import compiles its patterns for every mode and costs a third of a second, which a
single ``tag`` run cannot afford. ``tests/test_quantities.py`` checks it against cn2an on
every numeral from 0 to 9999; ``tests/test_numerals.py`` checks the whole grammar.
"""

from __future__ import annotations

import re
from decimal import Context, Decimal, InvalidOperation, localcontext
from typing import NamedTuple

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
#: Section words: each multiplies everything before it that is smaller than itself.
SECTIONS = {"万": Decimal(10) ** 4, "亿": Decimal(10) ** 8, "兆": Decimal(10) ** 12}

#: Financial and traditional characters, folded to the everyday simplified ones.
FOLD = str.maketrans({
    "壹": "一", "贰": "二", "貳": "二", "弍": "二", "叁": "三", "參": "三", "叄": "三", "肆": "四", "伍": "五",
    "陆": "六", "陸": "六", "柒": "七", "捌": "八", "玖": "九", "拾": "十", "佰": "百", "陌": "百", "仟": "千",
    "阡": "千", "萬": "万", "億": "亿", "點": "点", "兩": "两", "俩": "两", "倆": "两", "仨": "三", "幾": "几", "〇": "零",
    "负": "-", "負": "-", "−": "-",
})

# Character classes for the pattern that finds numerals in text (grammar.py embeds NUMERAL).
CN_DIGITS = "零〇一二三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖几幾"
LIANG = "两兩俩倆仨"  # 仨 (three) is colloquial as 俩 (two) is
PLACES = "十拾百佰千仟"
BIGS = "万萬亿億兆"
POINTS = "点點"
#: Thousands are grouped by commas; a full-width comma groups them only in a number that has decimals
#: or an ASCII comma as well (82，225.00, 233,333，333,434.34); elsewhere it separates two numbers.
ARABIC = (r"\d{1,3}(?:[,，]\d{3}(?!\d))+\.\d+|\d{1,3}(?:，\d{3}(?!\d))*(?:,\d{3}(?!\d))+(?:[,，]\d{3}(?!\d))*(?:\.\d+)?"
          r"|\d+(?:\.\d+)?|(?<![\d.])\.\d+")
_CN = CN_DIGITS + LIANG + PLACES + BIGS
#: 千/兆 that begin a unit rather than end a numeral: 3千克 and 三千克 are 3 kg, 200兆瓦 is 200 MW (not
#: 3000 g or 2×10¹⁴ W). 千 is the unit's after a digit, 万/亿 or a place (3千克, 1.2万千米), or after
#: a lone Chinese digit (三千克), or after the last digit of a numeral whose places have come down past
#: 千 (三十五千伏, 四百五十二千米: no numeral has 千 after 十 or 百); 一万三千克 keeps its 千 (13000 g).
_KILO_UNIT = (
    rf"(?<=[\d万萬亿億十百拾佰])千(?:克|米|瓦|焦|帕|伏|卡|赫|字节|比特|兆字节|兆比特)"
    rf"|(?<=(?<![{_CN}\d.点點])[{CN_DIGITS}{LIANG}])千(?:克|米|瓦|焦|帕|伏|卡|赫|字节|比特|兆字节|兆比特)"
    rf"|(?<=[十百拾佰零〇][一二三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖])千(?:克|米|瓦|焦|帕|伏|卡|赫|字节|比特|兆字节|兆比特)"
    r"|兆(?:瓦|字节|兆字节|比特|赫|帕|焦|伏|[A-Za-z])"
)
#: One numeral as written, read atomically (no backtracking into it), so matching stays linear.
NUMERAL = (
    rf"(?>(?:{ARABIC}|[{CN_DIGITS}{LIANG}{PLACES}]|数(?=[十百千万亿]))"
    rf"(?:(?<!\d)[{CN_DIGITS}]|(?!{_KILO_UNIT})[{PLACES}{BIGS}]|[{LIANG}](?=[{CN_DIGITS}]?[{PLACES}{BIGS}])"  # 两 inside only before a place
    rf"|(?<=[{PLACES}{BIGS}零〇])(?:{ARABIC})"                                   # 3万4000, 1千零20
    rf"|(?<=[{_CN}])[{POINTS}.](?=[{CN_DIGITS}{LIANG}])"                         # 十五点七, 五十.五
    rf"|(?<=\d)[kK](?![A-Za-z])|(?<=\d)[wW](?=元|块|人民币|[-~—–至到]\d+(?:\.\d+)?[wW](?:元|块))|(?<=\d)w(?=左右|上下|以上|以下|多|余)|(?<=\d)\s?M(?=元|美元|港元|欧元|英镑)"  # 15k, 1.2w元, 2.5M元, 30w上下
    rf"|(?<=\d)[MGT](?=个百分点)"                                               # 15M个百分点
    rf"|(?<=\d)\s?(?:thousand|million|billion|trillion)(?![A-Za-z]))*)"      # $1.5 billion
)


_PLAIN_ARABIC = re.compile(ARABIC)
# A full stop between Chinese numerals is their decimal point (五十.五 = 五十点五).
_CHINESE_POINT = re.compile(r"(?<=[^\d.])\.(?=[^\d.])")
#: Latin letters for thousands, 万 and millions after Arabic digits: 15k, 1.2w元, 2.5M元.
_LATIN_FACTORS = {"k": Decimal(1000), "K": Decimal(1000), "w": Decimal(10_000), "W": Decimal(10_000),
                  "M": Decimal(10) ** 6, "G": Decimal(10) ** 9, "T": Decimal(10) ** 12}
#: English scale words after Arabic digits: $1.5 billion.
_SCALE_WORDS = {"thousand": Decimal(1000), "million": Decimal(10) ** 6, "billion": Decimal(10) ** 9,
                "trillion": Decimal(10) ** 12}
# Two neighbouring Chinese digits side by side (三四, 五六): a range, never a two-digit number.
_DIGIT_PAIR = re.compile("(?<![一二两三四五六七八九])([一二两三四五六七八九])([一二两三四五六七八九])(?![一二两三四五六七八九])")
# 三千五六百, 一百二三十: a numeral, then two neighbouring digits before a lower place (a range).
_TAIL_RANGE = re.compile("(.*[十百千])([一二两三四五六七八九])([一二两三四五六七八九])([十百千])")
_ARABIC_WITH_MULTIPLIER = re.compile(rf"({ARABIC})(万亿|亿|万)?")
SECTION_WORDS = {"万": Decimal(10) ** 4, "亿": Decimal(10) ** 8, "万亿": Decimal(10) ** 12}


class Reading(NamedTuple):
    """What a numeral says: ``value`` × ``multiplier`` (the trailing 万/亿/k), exactly.

    ``upper`` is set for two neighbouring digits (八九亿: 8 to 9, multiplier 亿); ``approximate``
    when 几/数 stand for a digit (the value is then the least one meant).
    """

    value: Decimal
    multiplier: Decimal = Decimal(1)
    precision: int = 0
    approximate: bool = False
    upper: Decimal | None = None

    @property
    def total(self) -> Decimal:
        return exact(self.value * self.multiplier)


def chinese_integer(text: str) -> int:
    """Return the value of a Chinese numeral below 万, or raise ValueError if it is not one.

    Positional (三千六百), abbreviated (三千六 = 3600, 二百五 = 250), with
    zeros (一千零五, 一百零十) and digit by digit (二〇二四):

    >>> [chinese_integer(s) for s in ("三千六百", "三千六", "一千零五", "十五", "两", "二〇二四", "一百零十")]
    [3600, 3600, 1005, 15, 2, 2024, 110]
    >>> chinese_integer("五十六七")
    Traceback (most recent call last):
    ...
    ValueError: not a Chinese numeral: '五十六七'
    """
    if not text or any(ch not in DIGITS and ch not in UNITS for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if all(ch in DIGITS for ch in text):
        return int("".join(str(DIGITS[ch]) for ch in text))
    total, digit, smallest, zero = 0, -1, 10_000, False
    for position, ch in enumerate(text):
        if ch in UNITS:
            unit = UNITS[ch]
            if digit < 0 and unit == 10 and (position == 0 or zero):
                digit = 1  # 十五, 一百零十
            if digit < 0 or unit >= smallest:
                raise ValueError(f"not a Chinese numeral: {text!r}")
            total, digit, smallest, zero = total + digit * unit, -1, unit, False
        elif DIGITS[ch] == 0:
            # A zero stands for skipped places, between 百/千 and a digit (一千零五, 一百零五, 一百零十).
            if digit >= 0 or zero or position == 0 or smallest < 100 or position + 1 == len(text) or (
                    text[position + 1] not in DIGITS and text[position + 1] != "十"):
                raise ValueError(f"not a Chinese numeral: {text!r}")
            zero = True
        elif digit >= 0:
            raise ValueError(f"not a Chinese numeral: {text!r}")
        else:
            digit = DIGITS[ch]
    if digit >= 0:
        # A last digit straight after 百 or 千 is the next place down (三千六 = 3600).
        total += digit * (smallest // 10 if smallest > 10 and not zero and text[-2] in UNITS else 1)
    return total


def read_numeral(text: str) -> Reading | None:
    """Return what a numeral (as matched by :data:`NUMERAL`, spaces allowed) says, or None if it is not one.

    >>> r = read_numeral("一万二千三百四十五"); r.value, r.multiplier
    (Decimal('12345'), Decimal('1'))
    >>> r = read_numeral("3541.07万"); r.value, r.multiplier, r.precision
    (Decimal('3541.07'), Decimal('10000'), 2)
    >>> [read_numeral(s).total for s in ("两亿零五百万", "1.5万亿", "四万万", "5亿1万4千6百", "九万四")]
    [Decimal('205000000'), Decimal('1500000000000'), Decimal('400000000'), Decimal('500014600'), Decimal('94000')]
    >>> read_numeral("十五点七").value, read_numeral("壹仟贰佰叁拾肆").value, read_numeral("15k").total
    (Decimal('15.7'), Decimal('1234'), Decimal('15000'))
    >>> r = read_numeral("八九亿"); r.value, r.upper, r.multiplier
    (Decimal('8'), Decimal('9'), Decimal('100000000'))
    >>> r = read_numeral("五十六七"); r.value, r.upper
    (Decimal('56'), Decimal('57'))
    >>> read_numeral("五十七六") is None
    True
    """
    plain = _ARABIC_WITH_MULTIPLIER.fullmatch(text)
    if plain:
        # The common case, read at once: 2384.56, 12,720,400, 202.58万.
        number = plain.group(1)
        return Reading(Decimal(number.replace(",", "").replace("，", "")), SECTION_WORDS.get(plain.group(2) or "", Decimal(1)),
                       len(number.partition(".")[2]))
    text = _CHINESE_POINT.sub("点", "".join(text.split()).translate(FOLD))
    if not text or text.startswith("-") or len(text) > 60:
        return None
    if "点" in text:
        # 十五点七, 两千万点五五四四, 一点五万: decimals are digits read one by one, then the multiplier.
        left, _, right = text.partition("点")
        digits = right.rstrip("".join(SECTIONS))
        tail = right[len(digits):]
        if not left or not digits or any(ch not in DIGITS for ch in digits) or "点" in right:
            return None
        base = read_numeral(left)
        if base is None or base.approximate or base.upper is not None or base.precision or (tail and base.multiplier != 1):
            return None
        fraction = Decimal("0." + "".join(str(DIGITS[ch]) for ch in digits))
        if tail:
            return Reading(base.value + fraction, _section_factor(tail), len(digits))
        return Reading(base.total + fraction, precision=len(digits))
    scale = next((word for word in _SCALE_WORDS if text.endswith(word)), None)
    if scale:
        inner = read_numeral(text[:-len(scale)])
        if inner is None or inner.multiplier != 1 or not text[0].isdigit():
            return None
        return Reading(inner.value, _SCALE_WORDS[scale], inner.precision, inner.approximate)
    if text[-1] in _LATIN_FACTORS:
        inner = read_numeral(text[:-1])
        if inner is None or inner.multiplier != 1 or not text[0].isdigit():
            return None
        return Reading(inner.value, _LATIN_FACTORS[text[-1]], inner.precision, inner.approximate)
    # The trailing section words are the multiplier when what precedes them has none of its own.
    cut = len(text)
    while cut > 0 and text[cut - 1] in SECTIONS:
        cut -= 1
    head, tail = text[:cut], text[cut:]
    if head and tail and not any(ch in SECTIONS for ch in head) and len(tail) <= 3:
        mantissa = _plain(head)
        if mantissa is not None:
            return Reading(mantissa.value, mantissa.multiplier * _section_factor(tail), mantissa.precision,
                           mantissa.approximate,
                           mantissa.upper)
    return _sections(text)


def _section_factor(words: str) -> Decimal:
    factor = Decimal(1)
    for ch in words:
        factor *= SECTIONS[ch]
    return factor


def _plain(text: str) -> Reading | None:
    """Read a numeral without section words: Arabic, Chinese below 万 (点 decimals allowed), or 4千6百."""
    if text.startswith("数"):
        # 数十, 数百: "several tens", read as its least value.
        inner = _plain("一" + text[1:]) if text[1:2] in ("十", "百", "千") else None
        return None if inner is None else Reading(inner.value, precision=0, approximate=True)
    if text[0].isdigit() or text[0] == ".":
        number = _arabic_prefix(text)
        if number is None:
            return None
        if len(number) == len(text):
            value = _decimal(number)
            if value is None:
                return None
            return Reading(value, precision=len(number.partition(".")[2]))
        return _mixed(text)
    if any(ch.isdigit() for ch in text):
        return _mixed(text)
    approximate = "几" in text
    if approximate:
        # 二十几 = 20+, 几十 = 10+, 一百零几 = 100+: 几 stands for its least value.
        text = text.replace("零几", "").replace("几", "一" if text.index("几") + 1 < len(text) and
                                                text[text.index("几") + 1] in UNITS else "")
        if not text or "几" in text:
            return None
    if len(text) == 2 and all(ch in DIGITS and DIGITS[ch] > 0 for ch in text):
        # Two digits side by side are a range (八九, 三五) or a code, never 89.
        low, high = DIGITS[text[0]], DIGITS[text[1]]
        return Reading(Decimal(low), upper=Decimal(high)) if _neighbours(low, high) else None
    if len(text) == 3 and text[0] in DIGITS and text[1] in DIGITS and text[2] in UNITS and \
            _neighbours(DIGITS[text[0]], DIGITS[text[1]]):
        # 四五千, 三五百: two neighbouring digits before a place are a range.
        unit = UNITS[text[2]]
        return Reading(Decimal(DIGITS[text[0]] * unit), upper=Decimal(DIGITS[text[1]] * unit))
    if len(text) >= 3 and text[-3] in UNITS and text[-2] in DIGITS and text[-1] in DIGITS and \
            DIGITS[text[-1]] - DIGITS[text[-2]] == 1 and DIGITS[text[-2]] > 0:
        # 十五六 = 15–16, 三千五六 = 3500–3600: the last place given twice is a range.
        try:
            return Reading(Decimal(chinese_integer(text[:-1])), upper=Decimal(chinese_integer(text[:-2] + text[-1])))
        except ValueError:
            return None
    tail = _TAIL_RANGE.fullmatch(text)
    if tail and not approximate:
        head, first, second, place = tail.groups()
        try:
            start = chinese_integer(head)
        except ValueError:
            return None
        if UNITS[head[-1]] <= UNITS[place] or not _neighbours(DIGITS[first], DIGITS[second]):
            return None
        return Reading(Decimal(start + DIGITS[first] * UNITS[place]),
                       upper=Decimal(start + DIGITS[second] * UNITS[place]))
    try:
        return Reading(Decimal(chinese_integer(text)), approximate=approximate)
    except ValueError:
        return None


def _neighbours(low: int, high: int) -> bool:
    """Return whether two digits side by side make a range: neighbours (八九, 两三) or 三五, never 一三 or 五七."""
    return 0 < low and (high - low == 1 or (low, high) == (3, 5))


def _sections(text: str) -> Reading | None:
    """Read a numeral with 万/亿/兆 sections anywhere, each multiplying what is smaller before it."""
    if not any(ch in SECTIONS for ch in text):
        return _plain(text)
    pairs = list(_DIGIT_PAIR.finditer(text))
    if len(pairs) == 1:
        # 一万两三千 = 12000–13000, 三万五六 = 35000–36000, 一亿三四千万: read once with each digit of the pair.
        pair = pairs[0]
        low_digit, high_digit = pair.group(1), pair.group(2)
        if not _neighbours(DIGITS[low_digit], DIGITS[high_digit]):
            return None
        low = _sections(text[:pair.start()] + low_digit + text[pair.end():])
        high = _sections(text[:pair.start()] + high_digit + text[pair.end():])
        if low is None or high is None or low.upper is not None or high.upper is not None or low.approximate \
                or high.approximate or high.total <= low.total:
            return None
        return Reading(low.total, upper=high.total)
    if pairs:
        return None
    total, last, section_text = Decimal(0), Decimal(0), ""
    approximate = False
    after_section = False
    for ch in text + "$":
        if ch not in SECTIONS and ch != "$":
            section_text += ch
            continue
        if ch == "$" and not section_text:
            break
        zero = section_text.startswith("零")
        if zero:
            if not after_section:
                return None
            section_text = section_text[1:]
        section: Reading | None
        if ch == "$" and after_section and not zero and len(section_text) == 1 and (
                section_text in DIGITS or section_text.isdigit()):
            # 九万四 = 94000, 1万2 = 12000: a lone digit after a section word is the next place down.
            section = Reading(Decimal(DIGITS.get(section_text, section_text)) * last / 10)
        elif section_text:
            if section_text in ("几", "数") and not after_section:
                section = Reading(Decimal(1), approximate=True)  # 几万, 数亿: read as their least value
            elif section_text in UNITS and not after_section:
                section = Reading(Decimal(UNITS[section_text]))  # 百亿, 千万: a place alone before a section word
            else:
                section = _plain(section_text)
            if section is None or section.upper is not None or (section.precision and after_section):
                return None  # decimals only in the first section (1.5万3千), never after a section word
            approximate = approximate or section.approximate
        else:
            section = None  # 四万万: a section word right after another
        if ch == "$":
            total += section.total if section is not None else Decimal(0)
            break
        factor = SECTIONS[ch]
        value = section.total if section is not None else Decimal(0)
        if section is None and not after_section:
            return None
        place = factor
        if after_section and factor >= last:
            if section is not None and (len(section_text) == 1 and not zero or zero and factor == last):
                return None  # 一万二万, 一万零四万: no numeral (一万零四亿 is one)
            total = (total + value) * factor  # 四万万, 三百五十一万亿, 一万五千亿, 一万零四亿
            if section is None:
                place = last * factor  # 一万亿零四亿: 万亿 is one section word, 亿 after it adds
        elif after_section:
            total += value * factor
        else:
            total = value * factor
        last, section_text, after_section = place, "", True
    return Reading(exact(total), approximate=approximate)


def _mixed(text: str) -> Reading | None:
    """Read Arabic digits with Chinese places: 4千6百, 1千零20, 3千5 (= 3500, as 三千五)."""
    total, i, smallest = Decimal(0), 0, 10_000
    pending: Decimal | None = None
    tail_digit = False  # a lone Arabic digit right after 千/百 (3千5 = 3500, as 三千五)
    while i < len(text):
        ch = text[i]
        if ch.isdigit() or ch == ".":
            if pending is not None:
                return None
            number = _arabic_prefix(text[i:])
            if number is None:
                return None
            pending = _decimal(number)
            if pending is None:
                return None
            tail_digit = len(number) == 1 and i > 0 and text[i - 1] in ("千", "百")
            i += len(number)
        elif ch in UNITS:
            unit = UNITS[ch]
            if pending is not None and i + 1 == len(text) and smallest == 10_000 and unit > 10:
                # 3千, 25千, 1.5千, 1,200千元: the place multiplies the number, as 万 does.
                return Reading(pending, Decimal(unit), _decimals(text[:i]))
            if pending is None or unit >= smallest or pending >= 10:
                return None
            total, pending, smallest = total + pending * unit, None, unit
            i += 1
        elif ch == "零" and pending is None and smallest < 10_000:
            i += 1
        elif ch in DIGITS and pending is None:
            pending = Decimal(DIGITS[ch])
            i += 1
        else:
            return None
    if pending is not None:
        total += pending * (smallest // 10 if tail_digit else 1)
    return Reading(exact(total))


def _decimals(number: str) -> int:
    return len(number.partition(".")[2])


def _arabic_prefix(text: str) -> str | None:
    match = _PLAIN_ARABIC.match(text)
    return match.group() if match else None


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None


_WIDE = Context(prec=200)


def exact(value: Decimal) -> Decimal:
    """Return ``value`` without exponent notation or trailing zeros beyond its integer part.

    >>> exact(Decimal("1.50")), exact(Decimal("2E+3"))
    (Decimal('1.5'), Decimal('2000'))
    """
    if value == value.to_integral_value():
        return value.quantize(Decimal(1), context=_WIDE)
    return value.normalize()

#: Significant digits of a fraction's decimal value (1/3 → 0.33333333333333333333).
FRACTION_DIGITS = 20


def fraction_value(numerator: Decimal, denominator: Decimal) -> Decimal:
    """Return numerator / denominator to :data:`FRACTION_DIGITS` significant digits (exact when it terminates).

    >>> fraction_value(Decimal(1), Decimal(3)), fraction_value(Decimal(5), Decimal(16))
    (Decimal('0.33333333333333333333'), Decimal('0.3125'))
    """
    with localcontext() as context:
        context.prec = FRACTION_DIGITS
        return exact(numerator / denominator)
