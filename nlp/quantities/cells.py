"""Read the unit and comparator of a bare number from the cells beside it in a table read as text."""

from __future__ import annotations

import re

from nlp.quantities.grammar import alternation
from nlp.quantities.tables import AMOUNT_HEADER, column_header, table_unit
from nlp.quantities.units import PREFIX_COMPARATORS, UNITS

# A table read as text whose unit and comparator stand in cells of their own: | ≧ | 735 | 人次 | 735 | 10 |.
# The number alone in its cell takes the unit of the next cell, or, after such a pair, the unit of the
# cell before it (the actual after the target); the comparator is a cell before the number.
_CELL_UNIT_AFTER = re.compile(rf"\s*\|\s*(?P<unit>{alternation(UNITS)})\s*\|")
_CELL_UNIT_BEFORE = re.compile(rf"\|\s*\d[\d.]*\s*\|\s*(?P<unit>{alternation(UNITS)})\s*\|\s*$")
_CELL_COMPARATOR = re.compile(r"\|\s*(?P<cmp>≥|≤|≧|≦|>=|<=|>|<|=|═)\s*\|\s*$")


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
    comparator = _CELL_COMPARATOR.search(before) if after else None
    return found.group("unit"), (PREFIX_COMPARATORS.get(comparator.group("cmp"), "=") if comparator else None), None


# The 申报表 template's note of a bound before the value (its ** may be gone in the normalised text) (种植数量(≥**株)>=17600株, 成活率(≥**%)>=85,
# 补助成本(≤**元/株)≤28.40/株): the value that follows is in the note's unit.
_PLACEHOLDER = re.compile(rf"[（(]\s?(?:≥|≤|≧|≦|>=|<=|>|<|=)\s?\**\s?(?P<unit>{alternation(UNITS)})(?:/[^）)]{{1,4}})?\s?[）)]\s?"
                          r"(?:≥|≤|≧|≦|>=|<=|>|<|=)?\s?$")


def placeholder_unit(norm: str, start: int) -> str | None:
    """Return the unit of the template's placeholder just before a bare number at ``start``, or None."""
    found = _PLACEHOLDER.search(norm, max(0, start - 20), start)
    return found.group("unit") if found else None
