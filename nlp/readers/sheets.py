"""Cut a spreadsheet's sheets into the lines, fields and tables of a report.

A 项目支出绩效自评表 is a form laid out on a sheet: a title, label/value cells
(项目名称 | X | 主管部门 | Y), a funding grid, long text cells (年度总体目标,
偏差原因, 存在问题) and the indicator table (一级/二级/三级指标, 年度指标值,
实际完成值 …) somewhere below. Each sheet is cut into:

* label/value cells → metadata fields (``RawDocument.fields``) and a
  ``标签：值`` line each;
* long text cells → paragraphs (``标签：正文``);
* a lone short cell (a title, a caption) → a line;
* runs of rows with several cells → tables, a new table starting at every
  indicator header row so the header is the table's first row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from nlp.errors import EmptyFileError
from nlp.messages import Message
from nlp.readers.raw import Line, RawDocument, RawTable
from nlp.tables import header_roles, is_value_cell


_LABEL_SUFFIX = re.compile(
    r"(名称|部门|单位|负责人|联系人|电话|手机|总额|资金|金额|日期|年度|时间|期限|地址|编号|代码|类型|类别|属性|级次|"
    r"等级|得分|总分|分值|来源|依据|周期|地点|邮箱|职务|对象|范围|方式|科室|处室|填报人|审核人|评价人)[：:]?$")


_LONG_PUNCT = re.compile(r"[。；;！？!?]")


_STATED = re.compile(r"^([\u4e00-\u9fff（）()]{2,14})\s*[：:]\s*(\S.{0,60})$")


_TOTAL = re.compile(r"^(总分|合计|总计|自评得分|得分合计|自评总分)$")


_DEFAULT_SHEET = re.compile(r"^(sheet|工作表)\s*\d+$", re.IGNORECASE)


@dataclass
class Sheet:
    """One sheet's used range as text, merged cells filled with their top-left value."""

    name: str
    cells: list[list[str]]
    #: Merged ranges as (first row, last row + 1, first column, last column + 1) in ``cells`` coordinates.
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)

    def origin(self, row: int, col: int) -> tuple[int, int]:
        """Return the top-left cell of the merged range holding (row, col), or the cell itself."""
        for r0, r1, c0, c1 in self.merged:
            if r0 <= row < r1 and c0 <= col < c1:
                return r0, c0
        return row, col

    def span(self, row: int, col: int) -> tuple[int, int, int, int] | None:
        for rng in self.merged:
            if rng[0] <= row < rng[1] and rng[2] <= col < rng[3]:
                return rng
        return None


def sheet_from_grid(name: str, grid: dict[tuple[int, int], str], merged: list[tuple[int, int, int, int]]) -> Sheet:
    """Cut ``grid`` to its used range and fill merged cells."""
    if not grid:
        return Sheet(name, [])
    rows = [r for r, _ in grid]
    cols = [c for _, c in grid]
    top, left = min(rows), min(cols)
    bottom, right = max(rows) + 1, max(cols) + 1
    # A merged range whose top-left cell holds a value widens the used range to its extent.
    for r0, r1, c0, c1 in merged:
        if (r0, c0) in grid:
            bottom, right = max(bottom, r1), max(right, c1)
    cells = [[grid.get((r, c), "") for c in range(left, right)] for r in range(top, bottom)]
    local = []
    for r0, r1, c0, c1 in merged:
        r0, r1, c0, c1 = max(r0, top) - top, min(r1, bottom) - top, max(c0, left) - left, min(c1, right) - left
        if r0 >= r1 or c0 >= c1:
            continue
        local.append((r0, r1, c0, c1))
        value = cells[r0][c0]
        for r in range(r0, r1):
            for c in range(c0, c1):
                cells[r][c] = value
    return Sheet(name, cells, local)


def _is_long(text: str) -> bool:
    return len(text) >= 40 or (len(text) >= 12 and bool(_LONG_PUNCT.search(text)))


def _is_label(text: str) -> bool:
    text = text.strip()
    return (0 < len(text) <= 16 and not re.search(r"\d", text) and not is_value_cell(text)
            and bool(_LABEL_SUFFIX.search(text)))


def build(path: Path, sheets: list[Sheet], fmt: str) -> RawDocument:
    """Return the raw document of a workbook's sheets (one page per sheet)."""
    doc = RawDocument(format=fmt, lines=[])
    named = len([s for s in sheets if s.cells]) > 1
    for number, sheet in enumerate(sheets, start=1):
        if not sheet.cells:
            continue
        if named and doc.lines and not _DEFAULT_SHEET.match(sheet.name.strip()):
            doc.lines.append(Line(sheet.name.strip(), page=number, hard_break=True, heading_level=1))
        _read_sheet(sheet, number, doc)
    doc.page_count = max(1, len(sheets))
    if not any(line.text for line in doc.lines if line.heading_level is None) and not doc.tables:
        raise EmptyFileError(path, Message("error.excel_no_cells"))
    return doc


def _distinct(sheet: Sheet, r: int) -> list[tuple[int, str]]:
    """The row's own cells: non-empty cells that start their merged range (or are not merged) in this row."""
    out: list[tuple[int, str]] = []
    for c, text in enumerate(sheet.cells[r]):
        if not text:
            continue
        r0, c0 = sheet.origin(r, c)
        if (r0, c0) == (r, c):
            out.append((c, text))
    return out


def _header_row(sheet: Sheet, r: int) -> list[str] | None:
    """Return row ``r`` as an indicator header (a vertical label column blanked), or None."""
    row = list(sheet.cells[r])
    for c in range(len(row)):
        span = sheet.span(r, c)
        # A label merged down past the header over the data rows ("绩效指标") names no column.
        if span is not None and span[1] - 1 > r + 1 and span[0] <= r:
            row[c] = ""
    return row if header_roles(row) else None


class _Run:
    """Rows gathered for one table."""

    def __init__(self, position: int, indicator: bool) -> None:
        self.rows: list[list[str]] = []
        self.position = position
        self.indicator = indicator


def _read_sheet(sheet: Sheet, page: int, doc: RawDocument) -> None:
    run: _Run | None = None

    def close() -> None:
        nonlocal run
        if run is not None and run.rows:
            if len(run.rows) == 1 and not run.indicator:
                cells = [c for i, c in enumerate(run.rows[0]) if c and (i == 0 or c != run.rows[0][i - 1])]
                doc.lines.insert(run.position, Line(" ".join(cells), page=page, hard_break=True))
                _shift(doc, run.position)
            else:
                doc.tables.append(RawTable(rows=run.rows, page=page, pages=[page], position=run.position,
                                           origin=doc.format))
        run = None

    skip: set[int] = set()
    for r, row in enumerate(sheet.cells):
        if r in skip:
            continue
        own = _distinct(sheet, r)
        if not any(row):
            close()
            continue
        header = _header_row(sheet, r)
        if header is not None:
            close()
            combined = _subheader(sheet, r, header)
            if combined is not None:
                header = combined
                skip.add(r + 1)
            run = _Run(len(doc.lines), indicator=True)
            run.rows.append(header)
            continue
        longs = [(c, t) for c, t in own if _is_long(t)]
        if run is not None and run.indicator:
            if own and _TOTAL.match(own[0][1]):
                names = run.rows[0]
                close()
                parts = []
                for c, text in own[1:]:
                    name = names[c] if c < len(names) and names[c] else ""
                    doc.fields.setdefault(f"{own[0][1]}（{name}）" if name else own[0][1], text)
                    parts.append(f"{name}{text}" if name else text)
                doc.lines.append(Line(f"{own[0][1]}：{'，'.join(parts)}", page=page, hard_break=True))
                continue
            if longs and len(own) <= 2:
                close()
            else:
                run.rows.append(list(row))
                continue
        if not own:
            # Only the continuation of cells merged from above: nothing new to say.
            if run is not None:
                run.rows.append(list(row))
            continue
        if longs and run is not None and len(run.rows) >= 2 and len(own) - len(longs) >= 2:
            run.rows.append(list(row))  # a remark column of a table (检查意见, 说明): the row stays in it
            _row_fields(own, run.rows[0], doc)
            continue
        if longs:
            if run is not None and run.rows and _names_columns(sheet, r, longs):
                run.rows.pop()  # the row above names the long cells' columns: it goes into their labels
            close()
            _long_cells(sheet, r, own, page, doc)
            continue
        stated = [_STATED.match(t) for _, t in own]
        if all(stated):
            close()
            for (_, text), match in zip(own, stated):
                assert match is not None
                doc.fields.setdefault(match.group(1), match.group(2).strip())
                doc.lines.append(Line(text, page=page, hard_break=True))
            continue
        pairs = _pairs(own)
        if pairs is not None:
            close()
            for key, value in pairs:
                doc.fields.setdefault(key, value)
                doc.lines.append(Line(f"{key}：{value}", page=page, hard_break=True))
            continue
        if len(own) == 1 and len({c for c in row if c}) == 1:
            close()
            doc.lines.append(Line(own[0][1], page=page, hard_break=True))
            continue
        if run is None:
            run = _Run(len(doc.lines), indicator=False)
        run.rows.append(list(row))
        _row_fields(own, run.rows[0] if len(run.rows) > 1 else [], doc)
    close()


def _subheader(sheet: Sheet, r: int, header: list[str]) -> list[str] | None:
    """Return a two-row header as one row: 指标值 merged over 年度指标值 | 实际完成值 in the row below."""
    if r + 1 >= len(sheet.cells):
        return None
    below = _distinct(sheet, r + 1)
    if not below:
        return None
    names = dict(below)
    for c in names:
        span = sheet.span(r, c)
        if span is None or span[3] - span[2] < 2 or span[1] != r + 1:
            return None  # not a sub-heading under a heading merged across columns
    for c, text in enumerate(sheet.cells[r + 1]):
        if c in names or not text:
            continue
        span = sheet.span(r + 1, c)
        if span is None or span[0] > r:
            return None  # a cell of its own: the row below is data
    combined = [names.get(c, cell) for c, cell in enumerate(header)]
    return combined if header_roles(combined) else None


def _shift(doc: RawDocument, position: int) -> None:
    for table in doc.tables:
        if table.position > position:
            table.position += 1


def _pairs(own: list[tuple[int, str]]) -> list[tuple[str, str]] | None:
    """Return the row as (label, value) pairs when it is one, e.g. 项目名称 | X | 主管部门 | Y."""
    if len(own) < 2 or len(own) % 2:
        return None
    texts = [t for _, t in own]
    labels, values = texts[0::2], texts[1::2]
    if all(_is_label(k) for k in labels) and not any(_is_label(v) or _STATED.match(v) for v in values):
        return [(k.rstrip("：:"), v) for k, v in zip(labels, values)]
    return None


def _row_fields(own: list[tuple[int, str]], names: list[str], doc: RawDocument) -> None:
    """A label cell followed by values in a table row (年度资金总额 | 4300.00 | 4210.35 …) gives fields.

    The label alone names the first value; each value is also named by its
    column header when the table has one (年度资金总额（全年执行数）).
    """
    for index, ((_, key), (_, value)) in enumerate(zip(own, own[1:])):
        if not (_is_label(key) and not _is_label(value) and is_value_cell(value)):
            continue
        key = key.rstrip("：:")
        doc.fields.setdefault(key, value)
        for c, text in own[index + 1:]:
            if not is_value_cell(text):
                break
            name = names[c] if c < len(names) else ""
            if name and name != key:
                doc.fields.setdefault(f"{key}（{name}）", text)
        break


def _long_cells(sheet: Sheet, r: int, own: list[tuple[int, str]], page: int, doc: RawDocument) -> None:
    """Write each long cell of row ``r`` as a paragraph named by its row label and column header."""
    row_label = ""
    for c, text in own:
        if not _is_long(text):
            row_label = text
            continue
        names: list[str] = []
        # The label of a merged block to the left (年度总体目标 spanning two rows).
        left = next((sheet.cells[r][k] for k in range(c - 1, -1, -1) if sheet.cells[r][k]
                     and not _is_long(sheet.cells[r][k])), "")
        for name in (row_label or left, _column_header(sheet, r, c)):
            if name and name not in names:
                names.append(name.rstrip("：:"))
        label = names[0] + (f"（{names[1]}）" if len(names) > 1 else "") if names else ""
        doc.lines.append(Line(f"{label}：{text}" if label else text, page=page, hard_break=True))
        row_label = ""


def _names_columns(sheet: Sheet, r: int, longs: list[tuple[int, str]]) -> bool:
    """True when every cell of row ``r - 1`` labels row ``r``'s long cells (年度总体目标 | 预期目标 | 实际完成情况)."""
    if r == 0:
        return False
    spans = [sheet.span(r, c) or (r, r + 1, c, c + 1) for c, _ in longs]
    for c, text in _distinct(sheet, r - 1):
        if _is_long(text):
            return False
        below = sheet.span(r - 1, c)
        if below is not None and below[1] > r:
            continue  # a label merged down beside the long cells
        if not any(c0 <= c < c1 for _, _, c0, c1 in spans):
            return False
    return True


def _column_header(sheet: Sheet, r: int, c: int) -> str:
    """The short cell right above a long cell when the row above names the columns."""
    if r == 0:
        return ""
    above = sheet.cells[r - 1][c]
    span = sheet.span(r, c)
    if span is not None and span[0] < r:
        return ""
    if len(_distinct(sheet, r - 1)) < 2:
        return ""  # a lone line above (a title, a field) names no column
    return above if above and not _is_long(above) and not is_value_cell(above) else ""
