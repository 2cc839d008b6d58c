"""Read Excel workbooks (XLSX with openpyxl, XLS with xlrd) into lines and tables.

A 项目支出绩效自评表 is a form laid out on a sheet: a title, label/value cells
(项目名称 | X | 主管部门 | Y), a funding grid, long text cells (年度总体目标,
偏差原因, 存在问题) and the indicator table (一级/二级/三级指标, 年度指标值,
实际完成值 …) somewhere below. Each visible sheet's used range is read with
merged cells filled in, then cut into:

* label/value cells → metadata fields (``RawDocument.fields``) and a
  ``标签：值`` line each;
* long text cells → paragraphs (``标签：正文``);
* a lone short cell (a title, a caption) → a line;
* runs of rows with several cells → tables, a new table starting at every
  indicator header row so the header is the table's first row.

Numbers are written as the cell shows them: a cell formatted ``0.00`` holding
4210.349999 gives ``4210.35``, ``0.0%`` gives ``95.0%``.
"""

from __future__ import annotations

import datetime as _dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.errors import CorruptFileError, EmptyFileError, EncryptedFileError, LimitExceededError
from nlp.messages import Message
from nlp.normalize import squeeze
from nlp.readers.raw import Line, RawDocument, RawTable
from nlp.tables import header_roles, is_value_cell

#: Cells read from one workbook at most (a sheet formatted down to row 1,048,576 is cut by its used range first).
MAX_CELLS = 2_000_000
#: Uncompressed size of an XLSX's parts at most (openpyxl's normal mode holds the whole workbook in memory).
MAX_UNPACKED = 400 * 1024 * 1024
#: Worksheets unpacking to more than this are counted in streaming mode first (normal mode holds every cell).
PRECOUNT_ABOVE = 16 * 1024 * 1024
#: An XLSX part that unpacks to more than this many times its packed size is a zip bomb.
MAX_RATIO = 200

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


# --- cell values as shown ---------------------------------------------------------------------------


def format_number(value: float | int, number_format: str | None) -> str:
    """Return ``value`` as a cell with ``number_format`` shows it.

    >>> format_number(4210.349999999, "0.00"), format_number(0.9512, "0.0%"), format_number(12345.5, "#,##0.00")
    ('4210.35', '95.1%', '12,345.50')
    >>> format_number(0.1 + 0.2, "General"), format_number(100.0, "General"), format_number(3.5, '0.0#"万元"')
    ('0.3', '100', '3.5万元')
    """
    fmt = (number_format or "General").split(";")[0]
    literal = "".join(re.findall(r'"([^"]*)"', fmt))
    core = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.', "", fmt).strip()
    if not re.search(r"[0#?]", core):
        if float(value).is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(float(value), ".15g")
    percent = "%" in core
    number = float(value) * (100 if percent else 1)
    decimals = re.search(r"\.([0#?]+)", core)
    places = len(decimals.group(1)) if decimals else 0
    required = decimals.group(1).count("0") if decimals else 0
    grouping = "," in core.split(".")[0] and re.search(r"[0#],[0#]", core) is not None
    text = f"{number:,.{places}f}" if grouping else f"{number:.{places}f}"
    if places > required:  # '#' places are shown only when not zero
        whole, _, frac = text.partition(".")
        frac = frac.rstrip("0")
        frac = frac + "0" * max(0, required - len(frac))
        text = whole + ("." + frac if frac else "")
    return text + ("%" if percent else "") + literal


def _format_date(value: _dt.datetime | _dt.date | _dt.time) -> str:
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value.isoformat(timespec="minutes")


def _clean(text: str) -> str:
    """Cell text on one line: wrapped lines inside a cell are joined, indentation dropped."""
    parts = [p.strip() for p in re.split(r"\s*\n\s*", text.replace("\r", "\n").replace("\u3000", " ")) if p.strip()]
    out = ""
    for part in parts:
        out = out + (" " if out and re.search(r"[A-Za-z0-9]$", out) and re.match(r"[A-Za-z0-9]", part) else "") + part
    return squeeze(out) if out else ""


# --- XLSX ------------------------------------------------------------------------------------------


def read_xlsx(path: Path) -> RawDocument:
    """Return the lines and tables of an XLSX workbook's visible sheets."""
    import openpyxl

    if _check_package(path) > PRECOUNT_ABOVE:
        _precount(path)
    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise CorruptFileError(path, Message("error.excel_damaged", detail=f"{type(exc).__name__}: {exc}")) from exc
    except Exception as exc:  # lxml and openpyxl raise many types for broken parts
        raise CorruptFileError(path, Message("error.excel_damaged", detail=f"{type(exc).__name__}: {exc}")) from exc
    sheets: list[Sheet] = []
    cells = 0
    try:
        for ws in workbook.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            grid: dict[tuple[int, int], str] = {}
            for row in ws.iter_rows():
                for cell in row:
                    value = cell.value
                    if value is None or value == "":
                        continue
                    cells += 1
                    if cells > MAX_CELLS:
                        raise LimitExceededError(path, Message("error.excel_too_many_cells", limit=MAX_CELLS),
                                                 Message("advice.limit"))
                    grid[(cell.row - 1, cell.column - 1)] = _value_text(value, cell.number_format)
            merged = [(r.min_row - 1, r.max_row, r.min_col - 1, r.max_col) for r in ws.merged_cells.ranges]
            sheets.append(_sheet(str(ws.title), grid, merged))
    finally:
        close = getattr(workbook, "close", None)
        if close is not None:
            close()
    return build(path, sheets, "xlsx")


def _precount(path: Path) -> None:
    """Count a big workbook's cells in openpyxl's streaming mode before the normal mode holds them all."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise CorruptFileError(path, Message("error.excel_damaged", detail=f"{type(exc).__name__}: {exc}")) from exc
    cells = 0
    try:
        for ws in workbook.worksheets:
            for row in ws.iter_rows(values_only=True):
                cells += sum(1 for value in row if value is not None and value != "")
                if cells > MAX_CELLS:
                    raise LimitExceededError(path, Message("error.excel_too_many_cells", limit=MAX_CELLS),
                                             Message("advice.limit"))
    finally:
        workbook.close()


def _check_package(path: Path) -> int:
    """Refuse archives that unpack too far; return the unpacked size of the worksheets."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise CorruptFileError(path, Message("error.damaged_zip")) from exc
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED:
        raise LimitExceededError(path, Message("error.unpacked_too_large", size=unpacked, limit=MAX_UNPACKED),
                                 Message("advice.limit"))
    if any(i.compress_size and i.file_size / i.compress_size > MAX_RATIO and i.file_size > 10 * 1024 * 1024
           for i in infos):
        raise LimitExceededError(path, Message("error.zip_bomb"), Message("advice.corrupt"))
    return sum(i.file_size for i in infos if i.filename.startswith("xl/worksheets/"))


def _value_text(value: Any, number_format: str | None) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return format_number(value, number_format)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return _format_date(value)
    if isinstance(value, _dt.timedelta):
        return str(value)
    text = str(value)
    return "" if text.startswith("#") and text.endswith(("!", "?", "A")) and len(text) <= 8 else _clean(text)


def _sheet(name: str, grid: dict[tuple[int, int], str], merged: list[tuple[int, int, int, int]]) -> Sheet:
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


# --- XLS -------------------------------------------------------------------------------------------


def read_xls(path: Path, data: bytes) -> RawDocument:
    """Return the lines and tables of an Excel 97-2003 (.xls) workbook's visible sheets."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise EncryptedFileError(path, Message("error.excel_encrypted")) from exc
        raise CorruptFileError(path, Message("error.excel_damaged", detail=str(exc))) from exc
    except Exception as exc:  # xlrd raises assertion and struct errors on damaged streams
        raise CorruptFileError(path, Message("error.excel_damaged", detail=f"{type(exc).__name__}: {exc}")) from exc
    sheets: list[Sheet] = []
    cells = 0
    try:
        for index in range(book.nsheets):
            sh = book.sheet_by_index(index)
            if getattr(sh, "visibility", 0) != 0:
                continue
            grid: dict[tuple[int, int], str] = {}
            for r in range(sh.nrows):
                for c in range(sh.ncols):
                    cell = sh.cell(r, c)
                    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                        continue
                    cells += 1
                    if cells > MAX_CELLS:
                        raise LimitExceededError(path, Message("error.excel_too_many_cells", limit=MAX_CELLS),
                                                 Message("advice.limit"))
                    text = _xls_text(book, cell)
                    if text:
                        grid[(r, c)] = text
            sheets.append(_sheet(sh.name, grid, [tuple(m) for m in sh.merged_cells]))  # type: ignore[misc]
            book.unload_sheet(index)
    except (LimitExceededError, CorruptFileError):
        raise
    except Exception as exc:
        raise CorruptFileError(path, Message("error.excel_damaged", detail=f"{type(exc).__name__}: {exc}")) from exc
    finally:
        book.release_resources()
    return build(path, sheets, "xls")


def _xls_text(book: Any, cell: Any) -> str:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_TEXT:
        return _clean(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    fmt = None
    xf = book.xf_list[cell.xf_index] if cell.xf_index is not None and cell.xf_index < len(book.xf_list) else None
    if xf is not None and xf.format_key in book.format_map:
        fmt = book.format_map[xf.format_key].format_str
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return _format_date(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
        except Exception:
            return format_number(cell.value, None)
    return format_number(cell.value, fmt)


# --- sheets to lines and tables ------------------------------------------------------------------------


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
