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

from nlp.normalize import MappedText
from nlp.quantities.numerals import chinese_integer
from nlp.quantities.quantity import Quantity
from nlp.quantities.units import (APPROX_MORE, MULTIPLIERS, NOT_AFTER_CHINESE, PERIODS, PREFIX_COMPARATORS,
                                  SUFFIX_COMPARATORS, UNITS)


def _alternation(words: Iterable[str]) -> str:
    """Return a regex alternation of ``words``, longest first so that 万元 wins over 万."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CHINESE = r"[零〇一二两三四五六七八九十百千]+"

QUANTITY = re.compile(
    rf"""
    (?P<freq>每\s?(?P<period>{_alternation(PERIODS)})\s?)?            # 每季度 1 次: a frequency
    (?P<prefix>{_alternation(PREFIX_COMPARATORS)})?\s?                # ≥, 超过, 约 …
    (?P<num>{_ARABIC}|{_CHINESE})                                      # the number as written
    (?:\s?(?P<sep>[-~—至到])\s?(?P<num2>{_ARABIC}))?                   # a range: 3-5, 3至5
    \s?(?P<more>{_alternation(APPROX_MORE)})?                          # 30余, 30多
    \s?(?P<mult>万亿|亿|万)?                                           # 万/亿 multiplier
    \s?(?P<more2>{_alternation(APPROX_MORE)})?                         # 2万余
    \s?(?P<unit>{_alternation(UNITS)})?                                # unit or counter word
    \s?(?P<suffix>{_alternation(SUFFIX_COMPARATORS)})?                 # 以上, 左右 …
    """,
    re.VERBOSE,
)

# Numbers that are part of a name, not a measurement.
_NAME_AFTER = re.compile(r"^\s?(?:热线|政务服务便民热线|平台|工程|行动|战略|计划|系统|号|年|月|日|届|周年|版)")
_NAME_NUMERALS = re.compile(
    r"一件事|一本账|一张网|一张图|一网|一体|一批|一系列|一些|一线|一把手|两山|两张清单|两委|三化|三会一课|"
    r"四下基层|百千万|十四五|十五五|十三五|双授权|一站式|一窗|一次性|一号|一码")
# A counter word that is really the first character of a word (二支部, 三个人).
_WORD_AFTER_UNIT = re.compile(r"^(?:支部|批次|期间|项目|个人|条例|条件|部门|家庭|名单|台账|份额|场所|类型|级别|处理|间隙|本级|门户|"
                              r"套餐|所属|处室|届次|人员|人才|人民|户籍|户外|位置|张贴|单位|家长)")
_ORDINAL_LIST = re.compile(r"第[零〇一二两三四五六七八九十\d]+[、,，]$")
_MONEY_CONTEXT = re.compile(r"(预算|经费|资金|金额|投资|收入|支出|费用?|拨款|采购|决算|成本)[^，,。；;]{0,6}$")


def extract(text: str, mapped: MappedText | None = None) -> list[Quantity]:
    """Return the quantities stated in ``text``, in order, with spans into ``text``.

    >>> [(q.surface, str(q.normalized), q.unit, q.comparator) for q in extract("接口调用超8.6亿次，预算3541.07万元")]
    [('超8.6亿次', '860000000', '次', '>'), ('3541.07万元', '35410700', '元', '=')]
    """
    mapped = mapped or MappedText(text)
    norm = mapped.text
    found: list[Quantity] = []
    for match in QUANTITY.finditer(norm):
        quantity = _quantity(match, norm)
        if quantity is None:
            continue
        start, end = mapped.original_span(quantity.start, quantity.end)
        quantity.surface, quantity.start, quantity.end = text[start:end], start, end
        found.append(quantity)
    return found


def _quantity(match: re.Match[str], norm: str) -> Quantity | None:
    num, unit, mult = match.group("num"), match.group("unit") or "", match.group("mult") or ""
    start, end = match.start(), match.end()
    before = norm[max(0, start - 12):start]
    after = norm[end:end + 8]
    chinese = not num[0].isdigit()
    if not _acceptable(match, chinese, before, after):
        return None
    value = _value(num)
    if value is None:
        return None
    kind, base = UNITS.get(unit, ("", ""))
    if not unit:
        if match.group("prefix") and not mult:
            kind, base = "other", ""
        elif mult:
            kind, base = ("money", "元") if _MONEY_CONTEXT.search(norm[max(0, start - 16):start]) else ("count", "")
        else:
            return None
    if match.group("freq"):
        kind = "frequency"
    comparator = "="
    if match.group("prefix"):
        comparator = PREFIX_COMPARATORS[match.group("prefix")]
    if match.group("more") or match.group("more2"):
        comparator = ">"
    if match.group("suffix"):
        comparator = SUFFIX_COMPARATORS[match.group("suffix")]
    upper = _value(match.group("num2")) if match.group("num2") else None
    if upper is not None:
        comparator = "range"
    # Trim what the pattern swallowed but does not belong to the quantity.
    while end > start and norm[end - 1].isspace():
        end -= 1
    lead = match.start("prefix") if match.group("prefix") else match.start("num")
    if match.group("freq"):
        lead = match.start("freq")
    decimals = num.split(".")[1] if "." in num else ""
    return Quantity(surface=norm[lead:end], start=lead, end=end, value=value,
                    multiplier=MULTIPLIERS.get(mult, Decimal(1)), unit=unit, base_unit=base, kind=kind,
                    comparator=comparator, upper=upper, precision=len(decimals))


def _acceptable(match: re.Match[str], chinese: bool, before: str, after: str) -> bool:
    """Return False for numbers that are names, ordinals, dates, years or list markers."""
    num, unit = match.group("num"), match.group("unit") or ""
    lead = before.rstrip()
    if lead.endswith(("第", "×", "*", "x", "X", "〔", "[", "【")) or (lead.endswith("(") and not unit):
        return False
    if _NAME_AFTER.match(after) and not unit:
        return False
    if match.start("num") == match.start() and before[-1:].isascii() and before[-1:].isalpha():
        return False  # a number right after a Latin letter is part of a code or name: PM2.5, P2P, A3P
    if unit in ("G", "T", "M") and re.fullmatch(r"\d", num):
        return False  # 5G, 4G: a technology, not a volume
    if chinese:
        if not unit or unit in NOT_AFTER_CHINESE or num in ("一", "十", "百", "千"):
            return False
        if lead.endswith(("“", "\"", "《", "「")):
            return False  # a quoted name: “两张清单”
        if _WORD_AFTER_UNIT.match(unit + after) or _ORDINAL_LIST.search(lead):
            return False
        window = before[-3:] + match.group(0) + after[:3]
        if _NAME_NUMERALS.search(window):
            return False
    elif re.fullmatch(r"(19|20)\d\d", num) and not unit and not match.group("mult"):
        return False
    return True


def _value(text: str | None) -> Decimal | None:
    """Return the exact value of an Arabic or Chinese numeral.

    >>> _value("1,272.04"), _value("三千六百"), _value("两")
    (Decimal('1272.04'), Decimal('3600'), Decimal('2'))
    """
    if not text:
        return None
    if text[0].isdigit():
        try:
            return Decimal(text.replace(",", ""))
        except InvalidOperation:
            return None
    try:
        return Decimal(chinese_integer(text))
    except ValueError:
        return None
