"""Find quantities in text with regular expressions built from the unit tables.

Matching runs on NFKC-normalised text with converter residue undone
(:class:`nlp.normalize.MappedText`); spans are mapped back to the text given.
Years, dates, document numbers, ordinals, phone numbers and numbers inside
names (12345热线, 百千万工程, 一网通办, 7×24小时) are not quantities.

The pattern is :mod:`.grammar`; :mod:`.guards` decide whether a match is a quantity, :mod:`.values`
reads its value and :mod:`.cells` the unit of a bare number in a table; this module runs the scan.
"""

from __future__ import annotations

import re

from nlp.normalize import _SPACE_NEAR_CJK, MappedText
from nlp.quantities.cells import funds_row_unit, label_unit, list_unit, placeholder_unit, rate_row_unit, unit_cell
from nlp.quantities.grammar import QUANTITY, RANGE_SEP, SHANG, STARTS
from nlp.quantities.guards import DASH_AFTER_VALUE, acceptable, code_runs
from nlp.quantities.numerals import read_numeral
from nlp.quantities.quantity import Quantity
from nlp.quantities.units import PREFIX_COMPARATORS, SUFFIX_COMPARATORS, UNITS
from nlp.quantities.values import fraction_quantity, has_section, in_millions, number_quantity, only_places, same_unit


# 负增长 right before a percent: the growth is negative (负增长5% = -5 %).
_NEGATIVE_GROWTH = re.compile(r"负增长(?:了|为|达|率为?|幅度?为?|幅度?达)?$")


# The unit an amount is given per, after a slash: 元/人, 公斤/亩, 元/人*月, 元/户·月, 元/平方米/月.
_PER_UNIT = r"(?:人次|人|户|亩|月|年|天|日|次|台|套|只|头|件|株|棵|床|平方米|㎡|公里|公顷|吨|千克|公斤|小时|分钟|秒|课时|学期|批次)"
_PER = re.compile(rf"(?:/{_PER_UNIT}){{1,2}}(?:[*·˙×x]{_PER_UNIT})?(?![均度份\d])")


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
    codes = code_runs(norm)
    found: list[Quantity] = []
    position = 0
    while True:
        candidate = STARTS.search(norm, position)
        if candidate is None:
            break
        match = QUANTITY.match(norm, candidate.start())
        if match is None:
            position = candidate.start() + 1
            continue
        position = match.end() if match.end() > match.start() else match.start() + 1
        if _spaced_tenth(match, mapped):
            # "新建道路 500米 520米 10 10": Arabic digits after a layout space are the next cell, not tenths
            # (一米七五, 七成 六).
            shortened = QUANTITY.match(norm, match.start(), match.start("tenth"))
            if shortened is None:
                continue
            match = shortened
            position = max(match.end(), match.start() + 1)
        if _cell_dash(match, mapped):
            # "拨款 99 99 99 - 100% -": a dash spaced off between numbers of a row is an empty cell, no range.
            position = match.start("num2")
            match = QUANTITY.match(norm, match.start(), match.start("sep"))
            if match is None:
                continue
        quantity = _quantity(match, norm, codes)
        if quantity is None and match.group("unit1") and \
                not (match.group("unit") and same_unit(match.group("unit1"), match.group("unit"))):
            # 上调0.25个百分点至4.5%: two quantities of two units, not a range; each is read alone
            # (98% - 10: the number after the dash has no unit).
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
    return _amounts_of_a_sum(_joined_shares(found, text), text)


def _amounts_of_a_sum(found: list[Quantity], text: str) -> list[Quantity]:
    """Read a bare 万/亿 number as money when it is a part of a sum of money before it in its sentence.

    "投资1170万元，其中870万用于设备", "预算1170.00万，其中…870.00万，…70.00万": the parts of a sum of money are
    money, and so is a bare 万 after money written in bare 万; 人口1200万 and 经费5万元，服务群众3万 stay counts.
    """
    money: Quantity | None = None
    for quantity in found:
        between = text[money.end:quantity.start] if money is not None else ""
        if re.search(r"[。；;！？!?\n]", between):
            money, between = None, ""
        if quantity.kind == "money" and quantity.base_unit == "元" and quantity.unit in ("", "元"):
            money = quantity
        elif money is not None and quantity.kind == "count" and not quantity.unit and quantity.normalized >= 10_000 \
                and (not money.unit or re.search(r"其中|合计|共计|总计", between)):
            quantity.kind, quantity.base_unit, quantity.currency = "money", "元", "CNY"
            money = quantity
    return found


def _joined_shares(found: list[Quantity], text: str) -> list[Quantity]:
    """Join 百分之五到百分之八 (千分之三至千分之五): two shares that a range dash or 至/到 alone parts are one range."""
    joined: list[Quantity] = []
    for quantity in found:
        low = joined[-1] if joined else None
        if low is not None and low.kind == quantity.kind == "percent" and low.denominator is not None and \
                quantity.denominator == low.denominator and (low.unit, low.factor) == (quantity.unit, quantity.factor) and \
                low.upper is None and quantity.upper is None and low.comparator == quantity.comparator == "=" and \
                low.value < quantity.value and re.fullmatch(rf"\s?{RANGE_SEP}\s?", text[low.end:quantity.start]):
            low.surface, low.end = text[low.start:quantity.end], quantity.end
            low.upper, low.comparator, low.precision = quantity.value, "range", max(low.precision, quantity.precision)
            continue
        joined.append(quantity)
    return joined


def _spaced_tenth(match: re.Match[str], mapped: MappedText) -> bool:
    """Return whether the tenths after 米/块/成 are Arabic digits that a space parts from the unit in the text given."""
    tenth = match.group("tenth")
    if not tenth or not tenth.isascii():
        return False
    low = mapped.original_span(match.start("tenth") - 1, match.start("tenth"))[0]
    end = mapped.original_span(match.start(), match.end())[1]
    if not any(ch.isspace() for ch in mapped.original[low:end]):
        return False
    # "3 成 5": a share set apart on both sides is text spaced out character by character (35 %).
    unit_at = mapped.original_span(match.start("unit"), match.end("unit"))[0]
    number_end = mapped.original_span(match.end("num") - 1, match.end("num"))[1] if match.group("num") else unit_at
    return match.group("unit") != "成" or not mapped.original[number_end:unit_at].isspace()


def _cell_dash(match: re.Match[str], mapped: MappedText) -> bool:
    """Return whether the dash of a range is a cell of its own in a row of table cells put in one line.

    That is a dash with a space on each side, after a number that a space parts from the one before
    (99 99 - 100%) or before another such dash (99 - 100% -).
    """
    sep = match.group("sep")
    if not sep or sep in "至到":
        return False
    low, high = mapped.original_span(match.start("sep"), match.end("sep"))
    text = mapped.original
    if not (text[low - 1:low].isspace() and text[high:high + 1].isspace()):
        return False
    start, end = mapped.original_span(match.start(), match.end())
    return re.search(r"\d\s+$", text[max(0, start - 12):start]) is not None or \
        re.match(r"\s+[-—–]", text[end:end + 3]) is not None


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
    if g["code"] and g["unit"] and UNITS.get(g["unit"], ("", ""))[0] not in ("money", "") and not in_millions(g):
        # 人民币12个月, 日元3个月: a currency named before a number of another kind is not its unit.
        retry = QUANTITY.match(norm, match.end("code"))
        return None if retry is None or retry.group("code") else _quantity(retry, norm, codes)
    if g["sign"] in ("-", "−", "‐", "–") and DASH_AFTER_VALUE.search(norm, max(0, match.start() - 12), match.start()):
        # 百分之五-百分之十: the dash after a value parts a range; what follows it is read without a sign.
        retry = QUANTITY.match(norm, match.start("sign") + 1)
        return None if retry is None or retry.group("sign") else _quantity(retry, norm, codes)
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
    if not (unit or g["mult"] or g["code"]) and (g["num"] or "").isascii():
        unit = g["unit"] = placeholder_unit(norm, match.start()) or ""
        if not unit and g["prefix"] and not (g["den"] or g["anum"]):
            # 资金执行率（%）：目标值≥90: a bound after a label that states its unit.
            label = label_unit(norm, match.start())
            if label is not None:
                unit, _, g["mult"] = label
                g["unit"] = unit
    if not (unit or g["mult"] or g["code"] or g["prefix"] or g["den"] or g["anum"] or g["ge"]
            or has_section(g["num2"] or "")) and (g["num"] or "").isascii() and not ("k" in g["num"].lower() or "w" in g["num"]):
        cell = unit_cell(match, norm)
        if cell is None:
            cell = funds_row_unit(norm, match.start()) or rate_row_unit(norm, match.start("num"), match.end("num")) \
                or label_unit(norm, match.start()) or list_unit(norm, match.start(), match.end())
            # The row's cells are set apart by spaces: a space before or after is no split number.
            g["spaced_cells"] = cell is not None
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
    if not acceptable(match, g, before, after, codes):
        return None
    quantity = fraction_quantity(g) if g["den"] or g["anum"] else number_quantity(match, g, norm)
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
        if g["excl"]:
            comparator = {">=": ">", "<=": "<"}.get(comparator, comparator)  # 100万元（不含）以上: more than
    if cell_comparator:
        comparator = cell_comparator
    if quantity.upper is not None:
        comparator = "range"
    elif quantity.comparator == ">" and comparator == "=":
        comparator = ">"  # 二十几万, 数十亿: at least the value read
    if g["freq"] and quantity.kind == "count":
        quantity.kind = "frequency"  # 每季度1次; 每月300元 stays money
    shang = bool(g["num"]) and only_places(g["num"]) and SHANG.search(norm, 0, match.start("num"))
    if shang:
        comparator = ">="  # 上万人: ten thousand or more
    quantity.comparator = comparator
    per = _PER.match(norm, end) if quantity.unit and quantity.kind != "percent" else None
    if per:
        # 4000元/人, 1600元/亩, 530元/人*月: an amount for each person, mu or month is a rate of its own unit.
        quantity.unit += per.group()
        quantity.base_unit += per.group()
        end = per.end()
    lead = match.start("freq") if g["freq"] else match.start("prefix") if g["prefix"] else match.start("code") \
        if g["code"] else match.start("sign") if g["sign"] else match.start("awhole") if g["awhole"] else \
        match.start("anum") if g["anum"] else match.start("half_only") if g["half_only"] else match.start("num")
    lead -= 1 if shang else 0
    quantity.surface, quantity.start, quantity.end = norm[lead:end], lead, end
    return quantity
