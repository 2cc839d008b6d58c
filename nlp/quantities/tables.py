"""Tables read as text: the cells of a row joined by "|", rows parted by empty cells.

A table copied out of a web page or a PDF often arrives as one line::

    资金投入情况 (万元) | 全年预算数(A) | 全年执行数(B) | 预算执行率 | |||| 年度资金总额: | 808.1 | 692.98 | 86% | ||||

Its first row without values is the header: a value's column header says what the value is
(预算数 and 执行数 amounts, a 执行率, a 目标值 or a 实际完成值), and a unit stated for the whole table
(（万元）, 单位：万元) is the unit of its bare numbers.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Between two rows: one or more empty cells (| |, ||||).
_ROW_BREAK = re.compile(r"\|(?:[ \t]*\|)+")
# A value outside brackets: a digit (the notes of a header, 预算执行率(B/A×100%), are not values).
_VALUE = re.compile(r"\d")
_NOTE = re.compile(r"[（(][^（()）]*[）)]")
# A money unit stated for the whole table.
_TABLE_UNIT = re.compile(r"(?:单位\s?[:：]\s?|[（(]\s?)(?P<unit>万元|亿元|元)\s?(?:[）)]|\s|\||$)")


@lru_cache(maxsize=16)
def _rows(line: str) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Return the rows of ``line`` as (start, end) spans of their cells, offsets into ``line``."""
    rows = []
    position = 0
    for piece in [*_ROW_BREAK.finditer(line), None]:
        end = piece.start() if piece else len(line)
        cells = []
        low = position
        for part in line[position:end].split("|"):
            if part.strip():
                cells.append((low, low + len(part)))
            low += len(part) + 1
        if cells:
            rows.append(tuple(cells))
        position = piece.end() if piece else len(line)
    return tuple(rows)


def _line(norm: str, position: int) -> tuple[int, str]:
    start = norm.rfind("\n", 0, position) + 1
    end = norm.find("\n", position)
    return start, norm[start:end if end >= 0 else len(norm)]


def column_header(norm: str, position: int) -> str | None:
    """Return the header of the column the cell at ``position`` stands in, or None when it cannot be told.

    The header is the first row of the line with no value in it; a row shorter than the header lost its
    first cells to cells spanning rows (一级指标 | 二级指标 on the first row of a group only), so rows are
    matched to the header from the right.

    >>> text = "项目 | 预算数 | 执行数 | |||| 培训经费 | 12.5 | 11.8 | ||||"
    >>> column_header(text, text.index("11.8"))
    '执行数'
    """
    if "|" not in norm:
        return None
    offset, line = _line(norm, position)
    rows = _rows(line)
    spot = position - offset
    header = None
    for row in rows:
        texts = [_NOTE.sub("", line[a:b]) for a, b in row]
        if len(row) >= 3 and not any(_VALUE.search(text) for text in texts):
            header = row
            break
    if header is None:
        return None
    for row in rows:
        if row is header or row[0][0] > spot or row[-1][1] < spot:
            continue
        for index, (a, b) in enumerate(row):
            if a <= spot <= b:
                column = index + len(header) - len(row)
                if row[0][0] < header[0][0] or not 0 <= column < len(header) or len(row) > len(header):
                    return None
                a, b = header[column]
                return line[a:b].strip()
    return None


def table_unit(norm: str, position: int) -> str | None:
    """Return the money unit stated for the table (（万元）, 单位：万元) before ``position`` on its line."""
    offset, line = _line(norm, position)
    found = None
    for found in _TABLE_UNIT.finditer(line, 0, position - offset):
        pass
    return found.group("unit") if found else None
