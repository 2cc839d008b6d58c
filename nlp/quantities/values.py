"""Read the value of a matched quantity: numbers, ranges, fractions, money with 角/分, shares."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from nlp.quantities.grammar import ROUND_WORDS
from nlp.quantities.numerals import DIGITS, FOLD, SECTION_WORDS, Reading, exact, fraction_value, read_numeral
from nlp.quantities.numerals import UNITS as PLACE_VALUES
from nlp.quantities.quantity import Quantity
from nlp.quantities.units import (CURRENCIES, CURRENCY_CODES, MONEY_FRACTIONS, MONEY_FRACTIONS_WITH_FEN, MULTIPLIERS,
                                  PERCENT_SCALE, SUBUNITS, UNITS)

ROUND_PLACES = {"百": Decimal(100), "千": Decimal(1000), "万": Decimal(10_000), "亿": Decimal(10) ** 8}
#: The generic 元 that takes the currency named before the amount (港币两千九百六十元).
_YUAN = ("元", "圆", "块钱", "块")
#: The factors of a place (十/百/千) and of a section word (万/亿/万亿) written after a number.
_PLACE_FACTORS = tuple(Decimal(factor) for factor in PLACE_VALUES.values())
_SECTION_FACTORS = tuple(SECTION_WORDS.values())
# A price before 分/毛/角 alone makes them money (每度加价8分, 收费3毛, 面值5角), not a score or a name.
_PRICE_BEFORE = re.compile(r"(?:价|收费|面值|每度|每千瓦时|每斤|每公斤|每吨|每立方米?|每平方米|每人|每户|每次)(?:为|是|仅|只|约|达|上涨|上调|下调|降低|提高|加|降|涨)?$")
_MONEY_CONTEXT = re.compile(r"(预算|经费|资金|金额|投资|收入|支出|费用?|拨款|采购|决算|成本)[^，,。；;]{0,6}$")
# A denominator written as places alone: 百, 千, 万, 十万, 百万, 千万, 亿, 十亿, 百万万 … (never 十, never 十十).
_PLACE_DENOMINATOR = re.compile("[百千]|[十百千]?[万亿]+")


def number_quantity(match: re.Match[str], g: dict[str, Any], norm: str) -> Quantity | None:
    """Build the quantity of a plain number (possibly a range, money with 角/分, a percent-like unit)."""
    num, unit = g["num"], g["unit"] or ""
    million = unit in ("m", "M") and in_millions(g)
    if million:
        unit = ""  # $3.5M, US$2m: millions of the currency
    if g["unit_half"]:
        unit = "个" + g["unit_half"]  # 两个半小时 = 2.5 个小时
    folded_num = fold_numeral(num)
    if folded_num in ROUND_PLACES and (norm[match.start("num") - 1:match.start("num")] in tuple(ROUND_WORDS)
                                        or g["more"]):
        reading: Reading | None = Reading(ROUND_PLACES[folded_num])  # 上千元, 近万人, 千余人, 万余元
    else:
        reading = Reading(Decimal("0.5"), precision=1) if num == "半" else read_numeral(num)
    if reading is None and folded_num in ("几", "数") and g["mult"]:
        reading = Reading(Decimal(1), approximate=True)  # 几个亿, 数万: read as their least value, as 几万
    if unit == "折" and reading is None or unit == "折" and len(fold_numeral(num)) == 2 and reading is not None \
            and reading.upper is not None:
        reading = _digit_by_digit(num)  # 八五折, 九九折: digits read one by one
    if reading is None:
        return None
    value, multiplier, precision, upper = reading.value, reading.multiplier, reading.precision, reading.upper
    bounds: tuple[Decimal, Decimal, Decimal, int] | None = None
    high = read_numeral(g["num2"]) if g["num2"] else None
    if g["mult"]:
        place = multiplier if g["more"] and multiplier in _PLACE_FACTORS else Decimal(1)  # 3千多万 = 3千万 or more
        if g["num2"] and g["ge"] and multiplier != 1 and not (g["more"] or g["more3"] or g["gehalf"] or g["unit1"]):
            bounds = _own_lower_bound(reading, high, MULTIPLIERS[g["mult"].translate(FOLD)])
            if bounds is None:
                return None
        elif multiplier != place or (g["gehalf"] and (upper is not None or reading.approximate or precision)):
            return None
        multiplier = place * MULTIPLIERS[g["mult"].translate(FOLD)]
        if g["gehalf"]:
            value, precision = value + Decimal("0.5"), max(precision, 1)  # 两个半亿 = 2.5亿
    if g["num2"]:
        if upper is not None:
            return None
        if bounds is None:
            bounds = _range(reading, high, g["num2"], g["unit1"] or "", unit)
            if bounds is None:
                return None
            if g["mult"]:
                if bounds[2] != 1:
                    return None
                bounds = bounds[:2] + (multiplier,) + bounds[3:]  # 一到两个亿 = 1亿–2亿: the 亿 after 个 is both bounds'
        value, upper, multiplier, precision = bounds
        if g["more"] or g["more2"] or g["more3"] or (high is not None and high.approximate):
            # 1000到2000多元, 几十到几百元: the upper bound is the most the vague bound can mean (3000, 1000).
            upper = _vague_top(upper, leading=fold_numeral(g["num2"])[:1] in ("几", "数"))
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
    priced = unit in ("分", "毛", "角") and not g["code"] and bool(
        _PRICE_BEFORE.search(norm, max(0, match.start() - 8), match.start()))
    if unit == "分" and priced and not (g["num2"] or g["mult"]):
        kind, base, multiplier = "money", "元", multiplier * SUBUNITS["分"]  # 每度加价8分: 0.08 元, not a score
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
            if multiplier != 1 or precision or fen is None and not priced:  # 三角 needs its 分: 长三角三省 is a region
                return None
            if fen is not None:
                value, precision = value + fen.value / 10, 1  # (收费3毛, 面值5角: a price needs none)
        else:
            if precision and (g["jiao"] or g["fen"] or g["fen_bare"] or g["cent"] or g["sen"]):
                return None  # 12.5元5角: decimals and 角 both, which cannot be read safely
            value, multiplier, precision = _subunits(g, value, multiplier, precision)
    if g["cur2"] and kind == "money":
        after_base, after_currency = CURRENCIES[g["cur2"]]
        if currency != after_currency and (unit not in _YUAN or g["code"]):
            return None  # 100美元人民币, 港币2000元人民币: two currencies
        currency, base = after_currency, after_base  # 三万元欧元: the 元 of the currency named after it
    factor = PERCENT_SCALE.get(unit, Decimal(1)) if kind == "percent" else Decimal(1)
    if unit in MONEY_FRACTIONS:
        multiplier *= MONEY_FRACTIONS[unit]  # 五毛钱 = 5 × 0.1 元, as 5万元 is 5 × 10000 元
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
        elif has_mult or has_section(num + (g["num2"] or "")):
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


def _vague_top(least: Decimal, leading: bool) -> Decimal:
    """Return the top of a vague amount: 几百 (100) → 1000; 2000多 → 3000; 十几 → 20; 2.5万多 → 2.6万."""
    if leading:
        return least * 10
    exponent = least.normalize().as_tuple().exponent
    return exact(least + Decimal(10) ** (exponent if isinstance(exponent, int) else 0))


def _own_lower_bound(low: Reading, high: Reading | None,
                     section: Decimal) -> tuple[Decimal, Decimal, Decimal, int] | None:
    """Return the bounds of 五千万到一个亿: the lower bound keeps its own 万, the 亿 after 个 is the upper's."""
    if high is None or high.multiplier != 1 or high.upper is not None or high.approximate or low.approximate:
        return None
    if low.total >= high.total * section:
        return None
    return low.total, exact(high.total * section), Decimal(1), max(low.precision, high.precision)


def _range(low: Reading, high: Reading | None, text: str, unit1: str,
           unit: str) -> tuple[Decimal, Decimal, Decimal, int] | None:
    """Return (lower, upper, multiplier, precision) of a range; the lower bound takes the upper's 万/亿 and place.

    ``high`` is the reading of the upper bound written as ``text``. 两到三万 = 2万–3万; 两到三千 = 2000–3000;
    一百二十到一百五十万 = 120万–150万; 从8500到3万 = 8500–30000.
    """
    if high is not None and unit1 in MONEY_FRACTIONS and unit in _YUAN and low.multiplier == high.multiplier == 1 \
            and high.upper is None and not low.approximate and low.upper is None:
        # 5角到1元, 五毛到一块钱: the lower bound in 元, as the upper is written.
        yuan = exact(low.value * MONEY_FRACTIONS[unit1])
        return (yuan, high.value, Decimal(1), max(_decimals(yuan), high.precision)) if yuan < high.value else None
    if high is None or high.upper is not None or (unit1 and not same_unit(unit1, unit)):
        return None
    precision = max(low.precision, high.precision)
    if low.multiplier != 1 or unit1:
        if low.multiplier == high.multiplier:
            return low.value, high.value, high.multiplier, precision
        if not unit1 and low.multiplier in _PLACE_FACTORS and high.multiplier / low.multiplier in _SECTION_FACTORS:
            # 5千至8千万 = 5千万–8千万: the lower bound shares the 万 after its place, as 五千至八千万 does.
            return low.value, high.value, high.multiplier, precision
        return low.total, high.total, Decimal(1), precision  # 3元-5万元: a bound with its unit keeps its own scale
    folded = fold_numeral(text)
    if low.value < 10 and len(folded) >= 2 and (folded[0] in DIGITS or folded[0].isdigit()) and \
            folded[1] in "十百千" and all(ch in "十百千万亿" for ch in folded[1:]):
        if low.value != low.value.to_integral_value() and high.multiplier == 1:
            return None  # 1.5到三千: 1500 or 1.5, which cannot be told
        # 两到三千, 两~3百: a single digit takes the upper bound's place (1.5~二十万 keeps its own).
        place = read_numeral("一" + folded[1:]) if low.value == low.value.to_integral_value() else None
        if place is not None and low.value * place.value < high.value:
            return low.value * place.value, high.value, high.multiplier, precision
    if low.value < high.value:
        return low.value, high.value, high.multiplier, precision
    return low.value, high.total, Decimal(1), precision


def same_unit(first: str, second: str) -> bool:
    """Return whether two units of a range are one scale (元 and 元; not 角 and 元, ‰ and %, 成 and %)."""
    return first == second or (UNITS.get(first) == UNITS.get(second) and PERCENT_SCALE.get(first) == PERCENT_SCALE.get(
        second) and MONEY_FRACTIONS.get(first) == MONEY_FRACTIONS.get(second))


def fraction_quantity(g: dict[str, Any]) -> Quantity | None:
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
        latin = numer_text[-1] in "MGT" or numer_text[-1] in "kK" and numer_text[-2:-1].isspace()
        if latin and not (place_only and denominator == 100):
            return None  # 百分之3.2M: millions of percent; no other share is written so
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
        if g["mult"]:
            # 百分之五十多万: the 万 after 多 multiplies the numerator, as in 百分之五十万.
            factor = SECTION_WORDS.get(g["mult"].translate(FOLD))
            if factor is None or g["num2"]:
                return None
            numerator *= factor
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
    folded = fold_numeral(num)
    if not folded or any(ch not in DIGITS and not ch.isdigit() for ch in folded):
        return None
    return Reading(Decimal("".join(str(DIGITS[ch]) if ch in DIGITS else ch for ch in folded)))


def fold_numeral(num: str) -> str:
    return "".join(num.split()).translate(FOLD)


_PLACE_CHARS = frozenset("十百千万亿拾佰仟萬億")


def in_millions(g: dict[str, Any]) -> bool:
    """Return whether m/M after an amount with a currency sign or code is "million" ($3.5M), not metres."""
    return g["unit"] in ("m", "M") and g["code"] in CURRENCY_CODES


def only_places(num: str) -> bool:
    """Return whether a numeral is places alone (千, 千万, 百亿): a round number after 上/近/逾."""
    if num[:1] not in _PLACE_CHARS:
        return False
    folded = fold_numeral(num)
    return bool(folded) and all(ch in "十百千万亿" for ch in folded)


def has_section(num: str) -> bool:
    return any(ch in "万亿兆" for ch in fold_numeral(num))


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
