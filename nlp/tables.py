"""Recover tables: flattened text tables, page-split PDF tables, indicator headers.

An indicator table (一级/二级/三级指标, 年度指标值, 实际完成值, 完成情况分析) is
the report's own statement of its targets. Text extraction flattens it into
tab-separated lines whose cells wrap onto further lines and pages; this module
puts the fragments back into one row per indicator, with the columns of the
header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.normalize import squeeze
from nlp.readers.raw import RawTable

# Header cells, by the role of their column. Order matters: the first
# pattern that matches a cell names its role.
HEADER_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("level1", re.compile(r"^一级(指标)?$")),
    ("level2", re.compile(r"^二级(指标)?$")),
    ("name", re.compile(r"^(三级(指标)?|指标名称|绩效指标|具体指标|指标)$")),
    ("target", re.compile(r"(年度)?(指标值|目标值|预期值|计划值|预期目标|年度目标)(（.*）)?$")),
    ("actual", re.compile(r"(实际完成值|实际完成|完成值|实际值|全年完成值|实际完成情况)(（.*）)?$")),
    ("weight", re.compile(r"^(分值|权重)$")),
    ("score", re.compile(r"^(得分|自评得分|评分)$")),
    ("analysis", re.compile(r"(完成情况分析|偏差原因|原因分析|偏差原因分析|未完成原因|备注|说明)")),
)

# A cell that states a target or an achieved value: an optional comparator,
# a number (or 每X N次), then a short unit.
_VALUE_CELL = re.compile(
    r"""^
    (?:[≥≤><=＞＜≧≦]|不低于|不少于|不高于|不超过|大于|小于|至少|达到|超过)?  # comparator
    (?:每(?:年|季度|季|月|周|日|天|半年))?                                  # period of a frequency
    [\d.,，]*\d                                                               # the number
    (?:[%％‰]|[\u4e00-\u9fff]{0,4}|[A-Za-z]{0,3})?                            # unit
    $""",
    re.VERBOSE,
)
# Qualitative values that indicator tables use in place of numbers.
_QUALITATIVE = re.compile(r"^(达标|达到|完成|已完成|按时完成|按期完成|是|否|有效|良好|优|优秀|合格|提升|有所提升|明显提升|稳定|正常|无|符合|基本完成)$")
_TEXT_TABLE_LINE = re.compile(r"\t.*\t")


def is_value_cell(cell: str) -> bool:
    """Return True for a cell that states a target or achieved value.

    >>> [is_value_cell(c) for c in ("每季度1次", "≤1小时", "37897", "运维系统数", "按时完成")]
    [True, True, True, False, True]
    """
    cell = squeeze(cell)
    return bool(cell) and len(cell) <= 16 and bool(_VALUE_CELL.match(cell) or _QUALITATIVE.match(cell))


def header_roles(row: list[str]) -> dict[str, int]:
    """Return the column index of each role the row's cells name (empty if not a header)."""
    roles: dict[str, int] = {}
    for index, cell in enumerate(row):
        cell = squeeze(cell).replace(" ", "")
        for role, pattern in HEADER_ROLES:
            if role not in roles and pattern.search(cell):
                roles[role] = index
                break
    return roles if ("name" in roles and ("target" in roles or "actual" in roles)) else {}


def is_text_table_line(text: str) -> bool:
    """Return True for a line of a flattened table (two or more tabs, or a |-delimited row)."""
    stripped = text.strip()
    return bool(_TEXT_TABLE_LINE.search(text)) or (stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3)


def split_cells(text: str) -> list[str]:
    """Split a flattened table line into cells (tab- or |-delimited)."""
    stripped = text.strip()
    if stripped.startswith("|") and stripped.endswith("|"):
        return [squeeze(c) for c in stripped[1:-1].split("|")]
    return [squeeze(c) for c in text.rstrip("\n").split("\t")]


def stitch(tables: list[RawTable]) -> list[RawTable]:
    """Join tables that a page break split in two, dropping a repeated header and re-joining a split cell.

    Two PDF tables are one when nothing but page furniture stands between them,
    they are on consecutive pages, and their columns agree: the same number, or
    (where the reader measured them) the column boundaries of one are among
    those of the other, as when a continuation merges some columns.
    """
    out: list[RawTable] = []
    for table in tables:
        prev = out[-1] if out else None
        if prev is not None and _continues(prev, table):
            rows = _aligned(prev, table)
            header = 0
            while header < min(2, len(rows), len(prev.rows)) and _same_row(rows[header], prev.rows[header]):
                header += 1
            rows = rows[header:]
            if rows and prev.rows and _split_cell(prev.rows[-1], rows[0]):
                prev.rows[-1] = [a + b for a, b in zip(prev.rows[-1], rows[0])]
                rows = rows[1:]
            prev.rows.extend(rows)
            prev.pages.append(table.page)  # type: ignore[arg-type]
            prev.last_bbox = table.bbox
            continue
        out.append(table)
    return out


def _continues(prev: RawTable, table: RawTable) -> bool:
    if not (prev.origin == "pdf" and table.origin == "pdf" and prev.position == table.position
            and prev.page is not None and table.page == (prev.pages[-1] if prev.pages else prev.page) + 1
            and prev.rows and table.rows):
        return False
    if len(prev.rows[0]) == len(table.rows[0]):
        return True
    return _column_map(prev, table) is not None


def _column_map(prev: RawTable, table: RawTable) -> list[int] | None:
    """Return, for each column of ``table``, the column of ``prev`` it starts in (None if the edges disagree)."""
    if not prev.columns or not table.columns:
        return None
    mine, theirs = prev.columns, table.columns
    if abs(mine[0] - theirs[0]) > 3 or abs(mine[-1] - theirs[-1]) > 3:
        return None
    index = []
    for x in theirs[:-1]:
        near = [i for i, y in enumerate(mine[:-1]) if abs(x - y) <= 3]
        if not near:
            return None
        index.append(near[0])
    return index


def _aligned(prev: RawTable, table: RawTable) -> list[list[str]]:
    """Return the rows of ``table`` in the columns of ``prev``."""
    width = len(prev.rows[0])
    if len(table.rows[0]) == width:
        return [list(r) for r in table.rows]
    index = _column_map(prev, table)
    assert index is not None
    out = []
    for row in table.rows:
        cells = [""] * width
        for j, cell in enumerate(row):
            if j < len(index) and cell:
                cells[index[j]] = (cells[index[j]] + cell) if cells[index[j]] else cell
        out.append(cells)
    return out


def _same_row(a: list[str], b: list[str]) -> bool:
    return any(a) and [squeeze(x or "") for x in a] == [squeeze(x or "") for x in b]


def _split_cell(last: list[str], first: list[str]) -> bool:
    """Return True when ``first`` (top of the next page) finishes cells of ``last`` (bottom of the page before).

    It does when every cell it fills is filled in ``last`` too, it leaves a
    cell of ``last``'s empty, and what it holds is words, not values.
    """
    if len(last) != len(first):
        return False
    filled = [i for i, cell in enumerate(first) if cell]
    if not filled or any(not last[i] for i in filled):
        return False
    if not any(last[i] and not first[i] for i in range(len(first))):
        return False
    return not any(re.search(r"\d", first[i]) and is_value_cell(first[i]) for i in filled)


@dataclass
class _Row:
    cells: list[str]
    own: set[int]


def indicator_grid(rows: list[list[str]], flattened: bool) -> tuple[list[str], list[list[str]]] | None:
    """Return (header, data rows) of an indicator table, or None if ``rows`` is not one.

    ``flattened`` rows come from text, where empty cells may have collapsed
    and wrapped cells continue on later lines; grid rows come from PDF or DOCX.
    """
    start = next((i for i, row in enumerate(rows[:4]) if header_roles(row)), None)
    if start is None:
        return None
    header = [squeeze(c).replace(" ", "") for c in rows[start]]
    roles = header_roles(rows[start])
    width = len(header)
    built: list[_Row] = []
    for raw in rows[start + 1:]:
        cells = [squeeze(c) for c in raw]
        if not any(cells) or header_roles(cells):
            continue
        row = _place(cells, roles, width, flattened, built[-1] if built else None)
        if row is not None:
            built.append(row)
    # An unnamed column is the vertical "绩效指标" label of merged cells, not data.
    keep = [i for i, h in enumerate(header) if h]
    _fill_down(built, roles)
    return [header[i] for i in keep], [[r.cells[i] for i in keep] for r in built]


def _place(cells: list[str], roles: dict[str, int], width: int, flattened: bool, prev: _Row | None) -> _Row | None:
    """Return a new row for ``cells``, or None after merging them into ``prev`` as a continuation."""
    anchor = roles.get("target", roles.get("actual", 0))
    pair = _value_pair(cells) if flattened else None
    if flattened and pair is not None:
        offset = anchor - pair
    elif flattened:
        offset = width - len(cells) if cells and cells[-1] else 0
    else:
        offset = 0
    placed: dict[int, str] = {}
    for index, cell in enumerate(cells):
        column = index + offset
        if cell and 0 <= column < width:
            placed[column] = cell
    is_new = pair is not None if flattened else any(roles.get(r) in placed for r in ("target", "actual"))
    if is_new or prev is None:
        row = _Row(cells=[""] * width, own=set(placed))
        for column, cell in placed.items():
            row.cells[column] = cell
        return row
    for column, cell in placed.items():
        # A fragment continues a cell the previous row wrote itself; fragments
        # of columns it left empty belong to a merged label column and are dropped.
        if column in prev.own:
            prev.cells[column] = prev.cells[column] + cell
    return None


def _value_pair(cells: list[str]) -> int | None:
    for i in range(1, len(cells) - 1):
        if cells[i - 1] and not is_value_cell(cells[i - 1]) and is_value_cell(cells[i]) and is_value_cell(cells[i + 1]):
            return i
    return None


def _fill_down(rows: list[_Row], roles: dict[str, int]) -> None:
    # Merged level cells are stated once; every row below inherits them.
    l1, l2 = roles.get("level1"), roles.get("level2")
    last1 = last2 = ""
    for row in rows:
        if l1 is not None:
            if row.cells[l1] and row.cells[l1] != last1:
                last1, last2 = row.cells[l1], ""
            row.cells[l1] = row.cells[l1] or last1
        if l2 is not None:
            last2 = row.cells[l2] or last2
            row.cells[l2] = last2
