"""Read the unit and comparator of a bare number from the cells beside it in a table read as text."""

from __future__ import annotations

import functools
import re

from nlp.quantities.grammar import alternation
from nlp.quantities.tables import AMOUNT_HEADER, column_header, table_unit
from nlp.quantities.units import PREFIX_COMPARATORS, UNITS

# A table read as text whose unit and comparator stand in cells of their own: | ≧ | 735 | 人次 | 735 | 10 |.
# The number alone in its cell takes the unit of the next cell, or, after such a pair, the unit of the
# cell before it (the actual after the target); the comparator is a cell before the number.
_CELL_UNIT_AFTER = re.compile(rf"\s*\|\s*(?P<unit>{alternation(UNITS)})\s*\|")
_CELL_UNIT_BEFORE = re.compile(rf"\|\s*\d[\d.]*\s*\|\s*(?P<unit>{alternation(UNITS)})\s*\|\s*$")
CELL_COMPARATOR = re.compile(r"\|\s*(?P<cmp>≥|≤|≧|≦|>=|<=|>|<|=|═)\s*\|\s*$")


def unit_cell(match: re.Match[str], norm: str) -> tuple[str, str | None, str | None] | None:
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
    comparator = CELL_COMPARATOR.search(before) if after else None
    return found.group("unit"), (PREFIX_COMPARATORS.get(comparator.group("cmp"), "=") if comparator else None), None


# The 申报表 template's note of a bound before the value (种植数量(≥**株)>=17600株, 成活率(≥**%)>=85,
# 补助成本(≤**元/株)≤28.40/株; its ** may be gone in the normalised text): the value is in the note's unit.
_PLACEHOLDER = re.compile(rf"[（(]\s?(?:≥|≤|≧|≦|>=|<=|>|<|=)\s?\**\s?(?P<unit>{alternation(UNITS)})"
                          r"(?:/[^）)]{1,4})?\s?[）)]\s?(?:≥|≤|≧|≦|>=|<=|>|<|=)?\s?$")


def placeholder_unit(norm: str, start: int) -> str | None:
    """Return the unit of the template's placeholder just before a bare number at ``start``, or None."""
    if ")" not in norm[max(0, start - 4):start] and "）" not in norm[max(0, start - 4):start]:
        return None
    found = _PLACEHOLDER.search(norm, max(0, start - 20), start)
    return found.group("unit") if found else None


# The funds block of a 项目支出绩效自评表 set with spaces: "项目资金(万元) 年初预算数 全年预算数 全年执行数 分值 执行率
# 得分 年度资金总额 43.2 43.2 37.24 10 86% 9 其中:当年财政拨款 43.2 43.2 37.24". The values after a funds row's name
# stand in the header's columns in order: the amounts in the header's unit, then the score, the rate, the score got.
_FUNDS_NAME = re.compile(r"(?:项目)?(?:年度)?资金总额|年度金额|(?:当年)?财政拨款|上年结转资金?|其他资金|自筹资金|"
                         r"(?:中央|省级?|市级?|县级?|地方)(?:财政)?(?:补助|资金)")
# From the row's name to the value: the values of the columns before it.
_FUNDS_BEFORE = re.compile(r"[:：]?\s?\|?\s?(?P<before>(?:\d[\d.,]*+%?\s?\|?\s?(?=[\s\d|])\s?)*)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_FUNDS_HEADER = re.compile(r"[（(]\s?(?P<mult>万|亿)?元")  # (万元), and (万元 whose bracket the page lost
_FUNDS_COLUMN = re.compile(r"(?:年初|全年)?(?:预算数|执行数)|分值|执行率|得分")


@functools.lru_cache(maxsize=4096)
def funds_cell(norm: str, start: int) -> tuple[str, str, str | None] | None:
    """Return (row, column, 万/亿 of the header's 元) of a value in a funds row set with spaces, or None."""
    window = norm[max(0, start - 60):start]
    if not ("资金" in window or "拨款" in window or "金额" in window or "补助" in window):
        return None  # (most bare numbers: no funds row's name near)
    name = before = None
    for name in _FUNDS_NAME.finditer(norm, max(0, start - 60), start):
        if _CJK.search(norm, name.end(), start):
            continue  # words between: another row's name, or a heading
        before = _FUNDS_BEFORE.fullmatch(norm, name.end(), start)
        if before is not None:
            break
    if name is None or before is None:
        return None
    header = norm[max(0, start - 400):name.start()]
    unit = None
    for unit in _FUNDS_HEADER.finditer(header):
        pass
    if unit is None:
        return None
    # The column names follow the unit (项目资金(万元) 年初预算数 …) or come just before it (… 得分 (万元)).
    columns = _FUNDS_COLUMN.findall(re.sub(r"\s", "", header[max(0, unit.start() - 60):])) or [""]
    index = len(before.group("before").replace("|", " ").split())
    if index >= len(columns):
        return None
    return name.group(), columns[index], unit.group("mult")


def funds_row_unit(norm: str, start: int) -> tuple[str, None, str | None] | None:
    """Return (元, None, 万/亿) of a bare amount in a funds row set with spaces, or None."""
    cell = funds_cell(norm, start)
    if cell is None or cell[1] and not cell[1].endswith("数"):
        return None
    return "元", None, cell[2]


# A rate's target and result set with spaces without their % ("指标1工程完工率 100 100 10 10"): two values up to 100
# after the rate's name, then its weight and score.
_RATE_ROW_FIRST = (re.compile(r"(?:率|满意度)\s?$"), re.compile(r"\s\d{1,3}(?:\.\d+)?\s\d{1,2}(?:\.\d+)?\s\d{1,2}(?!\d)"))
_RATE_ROW_SECOND = (re.compile(r"(?:率|满意度)\s?\d{1,3}(?:\.\d+)?\s$"), re.compile(r"\s\d{1,2}(?:\.\d+)?\s\d{1,2}(?!\d)"))


def rate_row_unit(norm: str, start: int, end: int) -> tuple[str, None, None] | None:
    """Return (%, None, None) of a bare rate in a row set with spaces whose % was left out, or None."""
    if "率" not in norm[max(0, start - 24):start] and "满意度" not in norm[max(0, start - 24):start]:
        return None
    try:
        if float(norm[start:end]) > 100:
            return None
    except ValueError:
        return None
    for before, after in (_RATE_ROW_FIRST, _RATE_ROW_SECOND):
        if before.search(norm, max(0, start - 24), start) and after.match(norm, end):
            return "%", None, None
    return None


# A label that states its unit in brackets, then the value after a colon or a value word: 金额（元）：1,234.50,
# 国家标准项目数量(项),目标值2,完成值2. Only colons, value words and the label's earlier values stand between.
_LABEL_UNIT = re.compile(rf"[（(]\s?(?:单位\s?[:：]\s?)?(?P<mult>万|亿)?(?P<unit>{alternation(UNITS)})\s?[）)]")
_LABEL_REST = re.compile(r"(?:\s|[:：,，、|≥≤≧≦<>=]|(?:年度)?(?:目标|指标|计划|预期|实际完成|完成|实际)值|为|\d[\d.,]*(?=[\s,，、]))*")
_LABEL_LINK = re.compile(r"[:：为]|值")


def _unit_label(norm: str, start: int) -> re.Match[str] | None:
    low = max(0, start - 48)
    close = max(norm.rfind(")", low, start), norm.rfind("）", low, start))
    if close < 0 or start - close > 31:
        return None  # (most bare numbers: no bracket just before them)
    opening = max(norm.rfind("(", max(low, close - 12), close), norm.rfind("（", max(low, close - 12), close))
    rest = norm[close + 1:start]
    if opening < 0 or "\n" in rest or not _LABEL_REST.fullmatch(rest) or not (
            _LABEL_LINK.search(rest) or not rest.strip() and norm[start:start + 1] in "≥≤≧≦<>="):
        return None  # (a colon, a value word or a bound's sign leads from the label to the value)
    found = _LABEL_UNIT.fullmatch(norm, opening, close + 1)
    if found is None or UNITS[found.group("unit")][0] == "score" or found.group("unit") in ("年", "月", "日"):
        return None  # a value under (年) or (月) is as often a year or a month
    return found


# A unit stated for a block (单位：万元), then an amount after its label and a colon: 单位：万元 | 全年预算数：460.5.
_DECIMAL_AMOUNT = re.compile(r"[-−‐–]?\d[\d,]*\.\d")
_UNIT_STATEMENT = re.compile(r"单位\s?[:：]\s?(?P<mult>万|亿)?元")
_AMOUNT_LABEL = re.compile(r"(?:预算数?|执行数|决算数?|金额|资金|拨款|支出|收入|合计|总额|总计|差额|增减额)\s?[:：]?\s?$")


def label_unit(norm: str, start: int) -> tuple[str, None, str | None] | None:
    """Return (unit, None, 万/亿) of a bare number after a label that states its unit in brackets, or None."""
    found = _unit_label(norm, start)
    if found is not None:
        return found.group("unit"), None, found.group("mult")
    label = _AMOUNT_LABEL.search(norm, max(0, start - 8), start)
    if label is None or not re.search(r"[:：]", label.group()) and not _DECIMAL_AMOUNT.match(norm, start):
        return None  # (预算 5.00 in a row of cells; 预算 2023 may be a year)
    stated = None
    for stated in _UNIT_STATEMENT.finditer(norm, max(0, start - 60), start):
        pass
    if stated is None or re.search(r"[。\n]", norm[stated.end():start]):
        return None
    return "元", None, stated.group("mult")


def label_start(norm: str, start: int, unit: str) -> int | None:
    """Return where the bracketed unit of the label before a number in ``unit`` begins, or None."""
    found = _unit_label(norm, start)
    return found.start() if found is not None and found.group("unit") == unit else None


# A list of values after 分别/各/依次 whose unit is written once, after the last: 收、支总计各是4125.49,4143.91万元,
# 分别增长5.2、3.1和2.4个百分点. A bare value of the list takes the last one's unit and 万/亿.
_LIST_CUE = re.compile(r"分别|各|依次")
_LIST_AFTER = re.compile(rf"(?:\s?[、,，]\s?\d[\d.]*)*\s?[、,，和及与]\s?\d[\d.]*\s?(?P<mult>万亿|亿|万)?"
                         rf"(?P<unit>{alternation(UNITS)})")
_LIST_BEFORE = re.compile(r"(?:\d[\d.]*\s?[、,，]\s?)*$")  # the list's values before this one


def list_unit(norm: str, start: int, end: int) -> tuple[str, None, str | None] | None:
    """Return (unit, None, 万/亿) of a bare value in a list after 分别/各/依次 whose last value has the unit, or None."""
    window = norm[max(0, start - 30):start]
    if "分别" not in window and "各" not in window and "依次" not in window:
        return None
    clause = re.split(r"[。；;：:！？!?\n|]", window)[-1]
    cue = None
    for cue in _LIST_CUE.finditer(clause):
        pass
    if cue is None:
        return None
    between = clause[cue.end():]
    between = between[:_LIST_BEFORE.search(between).start()]  # type: ignore[union-attr]
    if len(between) > 6 or re.search(r"[\d、,，]", between):
        return None  # 分别 governs another phrase (分别在3个乡镇开展…)
    found = _LIST_AFTER.match(norm, end)
    if found is None or found.group("unit") in ("年", "对") or UNITS[found.group("unit")][0] == "score":
        return None
    return found.group("unit"), None, found.group("mult")
