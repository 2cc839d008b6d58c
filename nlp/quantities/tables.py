"""Tables read as text: the cells of a row joined by "|", rows parted by empty cells.

A table copied out of a web page or a PDF often arrives as one line::

    资金投入情况 (万元) | 全年预算数(A) | 全年执行数(B) | 预算执行率 | |||| 年度资金总额: | 808.1 | 692.98 | 86% | ||||

Its first row without values is the header: a value's column header says what the value is
(预算数 and 执行数 amounts, a 执行率, a 目标值 or a 实际完成值), and a unit stated for the whole table
(（万元）, 单位：万元) is the unit of its bare numbers.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

# Between two rows: one or more empty cells (| |, ||||).
_ROW_BREAK = re.compile(r"\|(?:[ \t]*\|)+")
# A value outside brackets: a digit (the notes of a header, 预算执行率(B/A×100%), are not values).
_VALUE = re.compile(r"\d")
_NOTE = re.compile(r"[（(][^（()）]*[）)]")
#: A column of amounts: budgets, spending, funds (a 执行率, 分值 or 指标 column is none).
AMOUNT_HEADER = re.compile(r"^(?!.*(?:率|比例|分值|得分|权重|指标)).*(?:预算|执行数|决算|资金|金额|拨款|支出|收入|结转|结余|投资|经费)")
# A money unit stated for the whole table.
_TABLE_UNIT = re.compile(r"(?:单位\s?[:：]\s?|[（(]\s?)(?P<unit>万元|亿元|元)\s?(?:[）)]|\s|\||$)")


@lru_cache(maxsize=16)
def _tables(norm: str) -> tuple[tuple[tuple[tuple[int, int], ...], ...], ...]:
    """Return the tables of ``norm``: runs of lines with cells, each a tuple of rows of (start, end) cell spans.

    Rows are parted by empty cells (one line holding a whole table) or by line breaks (a row a line,
    as in Markdown; its |---| line is no row).
    """
    tables: list[tuple[tuple[tuple[int, int], ...], ...]] = []
    rows: list[tuple[tuple[int, int], ...]] = []
    offset = 0
    for line in norm.split("\n"):
        if "|" not in line:
            if rows:
                tables.append(tuple(rows))
                rows = []
            offset += len(line) + 1
            continue
        position = 0
        for piece in [*_ROW_BREAK.finditer(line), None]:
            end = piece.start() if piece else len(line)
            cells = []
            low = position
            for part in line[position:end].split("|"):
                if part.strip(" \t-:："):
                    cells.append((offset + low, offset + low + len(part)))
                low += len(part) + 1
            if cells:
                rows.append(tuple(cells))
            position = piece.end() if piece else len(line)
        offset += len(line) + 1
    if rows:
        tables.append(tuple(rows))
    return tuple(tables)


_Row = tuple[tuple[int, int], ...]


@lru_cache(maxsize=16)
def _layout(norm: str) -> tuple[list[int], list[tuple[tuple[_Row, ...], _Row | None, list[int]]]]:
    """Return the start of each table, and each table with its header row and the start of each of its rows."""
    tables = _tables(norm)
    return [table[0][0][0] for table in tables], [(table, _header(norm, table), [row[0][0] for row in table])
                                                  for table in tables]


def _header(norm: str, table: tuple[_Row, ...]) -> _Row | None:
    """Return the first row of ``table`` with three cells or more and no value in them."""
    for row in table:
        if len(row) >= 3 and not any(_VALUE.search(_NOTE.sub("", norm[a:b])) for a, b in row):
            return row
    return None


def _table_at(norm: str, position: int) -> tuple[tuple[_Row, ...], _Row | None, list[int]] | None:
    starts, tables = _layout(norm)
    index = bisect.bisect_right(starts, position) - 1
    if index < 0 or position > tables[index][0][-1][-1][1]:
        return None
    return tables[index]


def column_header(norm: str, position: int) -> str | None:
    r"""Return the header of the column the cell at ``position`` stands in, or None when it cannot be told.

    The header is the first row of the table with no value in it; a row shorter than the header lost its
    first cells to cells spanning rows (一级指标 | 二级指标 on the first row of a group only), so rows are
    matched to the header from the right.

    >>> text = "项目 | 预算数 | 执行数 | |||| 培训经费 | 12.5 | 11.8 | ||||"
    >>> column_header(text, text.index("11.8"))
    '执行数'
    >>> text = "| 项目 | 预算数 | 执行数 |\n|---|---|---|\n| 培训经费 | 12.5 | 11.8 |"
    >>> column_header(text, text.index("12.5"))
    '预算数'
    """
    if "|" not in norm:
        return None
    found = _table_at(norm, position)
    if found is None:
        return None
    table, header, starts = found
    if header is None:
        return None
    row = table[max(0, bisect.bisect_right(starts, position) - 1)]
    if row is not header and row[0][0] <= position <= row[-1][1]:
        for index, (a, b) in enumerate(row):
            if a <= position <= b:
                column = index + len(header) - len(row)
                if row[0][0] < header[0][0] or not 0 <= column < len(header) or len(row) > len(header) or \
                        len(header) - len(row) > (2 if len(row) >= 3 else 1) or len(row) < 2:
                    return None
                a, b = header[column]
                return norm[a:b].strip()
    return None


def table_unit(norm: str, position: int) -> str | None:
    """Return the money unit stated for the table (（万元）, 单位：万元) before ``position``, or None.

    >>> text = "资金（万元） | 预算数 | 执行数 | 执行率 | | 培训经费 | 12.5 | 11.8 | 94.4% |"
    >>> table_unit(text, text.index("12.5")), table_unit("项目 | 预算数 | 执行数 | | 培训 | 12.5 | 11.8 |", 22)
    ('万元', None)
    """
    located = _table_at(norm, position)
    if located is None:
        return None
    # The unit is stated in the line before the table or in its cells up to the header.
    first = norm.rfind("\n", 0, located[0][0][0][0])
    low = norm.rfind("\n", 0, first) + 1 if first > 0 else 0
    table, header, _ = located
    high = min(position, (header or table[0])[-1][1] + 1)
    found = None
    for found in _TABLE_UNIT.finditer(norm, low, high):
        pass
    return found.group("unit") if found else None
