"""Read Excel workbooks (XLSX with openpyxl, XLS with xlrd) into sheets of cell text.

Each visible sheet's used range is read with merged cells filled in, within limits on cells
and unpacked size, and :func:`nlp.readers.sheets.build` cuts the sheets into lines, fields and
tables. Numbers are written as the cell shows them: a cell formatted ``0.00`` holding
4210.349999 gives ``4210.35``, ``0.0%`` gives ``95.0%``.
"""

from __future__ import annotations

import datetime as _dt
import re
import zipfile
from pathlib import Path
from typing import Any

from nlp.errors import CorruptFileError, EncryptedFileError, LimitExceededError
from nlp.messages import Message
from nlp.normalize import squeeze
from nlp.readers.raw import RawDocument
from nlp.readers.sheets import Sheet, build, sheet_from_grid


#: Cells read from one workbook at most (a sheet formatted down to row 1,048,576 is cut by its used range first).
MAX_CELLS = 2_000_000


#: Uncompressed size of an XLSX's parts at most (openpyxl's normal mode holds the whole workbook in memory).
MAX_UNPACKED = 400 * 1024 * 1024


#: Worksheets unpacking to more than this are counted in streaming mode first (normal mode holds every cell).
PRECOUNT_ABOVE = 16 * 1024 * 1024


#: An XLSX part that unpacks to more than this many times its packed size is a zip bomb.
MAX_RATIO = 200


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
            sheets.append(sheet_from_grid(str(ws.title), grid, merged))
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
            sheets.append(sheet_from_grid(sh.name, grid, [tuple(m) for m in sh.merged_cells]))  # type: ignore[misc]
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
