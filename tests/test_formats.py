"""The formats beyond PDF/DOCX/text: Excel 自评表 (XLSX, XLS), saved web pages, OFD, legacy Word, scans (OCR)."""

from __future__ import annotations

import difflib
import gzip
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from nlp.errors import (CorruptFileError, EmptyFileError, EncryptedFileError, LimitExceededError,
                        NoTextLayerError, UnsupportedFormatError)
from nlp.indicators import rows_of
from nlp.pipeline import read_report
from nlp.readers import read_raw, sniff
from tests import formatgen as gen
from tests.conftest import EXAMPLES, SHARED

EXAMPLE = EXAMPLES / "jiangling-zsj-2024-self-evaluation"
REAL_WORKBOOKS = sorted((SHARED / "real-docs").glob("04[2-5]-*.xls*")) if (SHARED / "real-docs").is_dir() else []


# --- Excel -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["xlsx", "xls"])
def selfeval(request, tmp_path_factory) -> tuple[str, Path]:
    folder = tmp_path_factory.mktemp("selfeval")
    if request.param == "xlsx":
        return "xlsx", gen.write_selfeval_xlsx(folder / "自评表.xlsx")
    pytest.importorskip("xlwt")
    return "xls", gen.write_selfeval_xls(folder / "自评表.xls")


def test_selfeval_indicator_rows_as_written(selfeval):
    kind, path = selfeval
    report = read_report(path)
    assert report.format == kind
    indicator_tables = [t for t in report.tables if t.kind == "indicator"]
    assert len(indicator_tables) == 1
    rows = rows_of(indicator_tables[0])
    got = [(r.level1, r.level2, r.name, r.target, r.actual) for r in rows]
    want = [(l1, l2, name, target, gen.expected_actual(actual, fmt))
            for l1, l2, name, target, actual, fmt, *_ in gen.INDICATORS]
    assert got == want
    assert rows[-1].analysis == gen.INDICATORS[-1][-1]


def test_selfeval_metadata_and_paragraphs(selfeval, validate):
    _, path = selfeval
    report = read_report(path)
    validate(report.to_dict())
    fields = report.metadata.fields
    assert fields["项目名称"] == gen.PROJECT
    assert fields["主管部门"] == gen.DEPARTMENT
    assert report.metadata.department == gen.DEPARTMENT
    # Numbers keep the precision the cell shows: 4210.349999999 formatted 0.00.
    assert fields["年度资金总额（全年执行数）"] == gen.EXPECTED_FUNDS[2] == "4210.35"
    assert fields["年度资金总额（执行率）"] == "97.92%"
    assert fields["填报人"] == "李晓梅"
    assert report.metadata.filled_date == "2025-03-10"
    assert report.metadata.title == "项目支出绩效自评表"
    texts = [p.text for p in report.paragraphs]
    for long_text in (gen.GOAL_PLAN, gen.GOAL_DONE, gen.DEVIATION, gen.PROBLEMS):
        assert sum(long_text in t for t in texts) == 1, long_text
    assert any(t.startswith("偏差原因分析：") for t in texts)
    assert "4210.349999" not in report.text


def test_xlsx_sheets_and_hidden_sheet(tmp_path):
    report = read_report(gen.write_selfeval_xlsx(tmp_path / "book.xlsx"))
    assert report.page_count == 2  # the hidden sheet is not read
    assert "不应读出的隐藏工作表" not in report.text
    funds = [t for t in report.tables if t.header[:2] == ["支出项目", "金额（万元）"]]
    assert funds and funds[0].rows == [["坐席服务费", "3120.5"], ["系统运维费", "1089.85"]] and funds[0].page == 2
    assert [s.heading for s in report.sections][:1] == ["资金明细"]


def test_two_row_indicator_header(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    for c, name in enumerate(["一级指标", "二级指标", "三级指标"], start=1):
        ws.cell(row=1, column=c, value=name)
        ws.merge_cells(start_row=1, start_column=c, end_row=2, end_column=c)
    ws.cell(row=1, column=4, value="绩效指标值")
    ws.merge_cells(start_row=1, start_column=4, end_row=1, end_column=5)
    ws.cell(row=2, column=4, value="年度指标值")
    ws.cell(row=2, column=5, value="实际完成值")
    for l1, l2, name, target, actual, fmt, *_ in gen.INDICATORS:
        ws.append([l1, l2, name, target, actual])
        if fmt:
            ws.cell(row=ws.max_row, column=5).number_format = fmt
    path = tmp_path / "two-row.xlsx"
    book.save(path)
    tables = [t for t in read_report(path).tables if t.kind == "indicator"]
    assert len(tables) == 1 and tables[0].header == ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"]
    assert [(r.name, r.target, r.actual) for r in rows_of(tables[0])] == [
        (name, target, gen.expected_actual(actual, fmt)) for _, _, name, target, actual, fmt, *_ in gen.INDICATORS]


@pytest.mark.parametrize("value,fmt,shown", [
    (4210.349999999, "0.00", "4210.35"), (0.98624, "0.00%", "98.62%"), (1234567.891, "#,##0.00", "1,234,567.89"),
    (12.0, "0.0#", "12.0"), (12.345, "0.0#", "12.35"), (3, "General", "3"), (0.1 + 0.2, "General", "0.3"),
    (-5.5, "0.00;[Red]-0.00", "-5.50"), (42.0, '0"万元"', "42万元"), (1e-7, "General", "1e-07"),
])
def test_number_formats(value, fmt, shown):
    from nlp.readers.excel import format_number

    assert format_number(value, fmt) == shown


@pytest.mark.skipif(not REAL_WORKBOOKS, reason="../shared/real-docs is not available")
@pytest.mark.parametrize("path", REAL_WORKBOOKS, ids=lambda p: p.name[:3])
def test_real_workbooks_read_to_tables(path, validate):
    raw, _ = read_raw(path)
    report = read_report(path)
    validate(report.to_dict())
    assert report.format == path.suffix.lstrip(".")
    assert raw.tables, "every real workbook holds grids"
    assert all(len(t.rows) >= 2 for t in raw.tables)
    assert report.page_count >= 1 and report.metadata.title
    # No cell text is lost: every table cell and every line of the raw read is in the report.
    assert len(report.tables) == len(raw.tables)


# --- Web pages ----------------------------------------------------------------------------------------

NAVIGATION = ["网站首页", "政务公开", "办事服务", "互动交流", "当前位置", "首页", "分享到", "微信", "打印本页", "关闭窗口",
              "主办单位", "承办单位", "网站标识码", "ICP备", "统计代码", "无障碍", "English", "字体"]


def test_gb2312_page_article_only(tmp_path, validate):
    path, paragraphs = gen.write_gb2312_page(tmp_path / "report.htm")
    assert sniff(path, path.read_bytes()[:2048]) == "html"
    report = read_report(path)
    validate(report.to_dict())
    assert report.format == "html"
    texts = [p.text for p in report.paragraphs]
    for paragraph in paragraphs:
        assert paragraph in texts, paragraph  # whole: the source line break inside the first one is gone
    for text in texts:
        assert not any(word in text for word in NAVIGATION), text
    assert not any(word in report.text for word in ("当前位置", "ICP备", "分享到", "统计代码"))
    assert report.metadata.title == "2024年度政务服务热线运维项目绩效自评报告"
    assert report.metadata.fields["来源"] == gen.DEPARTMENT and report.metadata.fields["发布日期"] == "2025-03-20"
    assert [s.heading for s in report.sections] == ["项目基本情况", "绩效目标完成情况", "偏差原因分析"]
    tables = [t for t in report.tables if t.kind == "indicator"]
    assert len(tables) == 1
    rows = rows_of(tables[0])
    assert [(r.name, r.target, r.actual) for r in rows] == [
        (name, target, gen.expected_actual(actual, fmt)) for _, _, name, target, actual, fmt, *_ in gen.INDICATORS]


def test_mhtml_and_utf8_pages(tmp_path):
    import quopri

    path, paragraphs = gen.write_gb2312_page(tmp_path / "report.htm")
    html = path.read_bytes().decode("gb18030").replace("charset=gb2312", "charset=utf-8")
    body = quopri.encodestring(html.encode("utf-8")).decode("ascii")
    mhtml = tmp_path / "report.mhtml"
    mhtml.write_text(
        'From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype="text/html";\r\n'
        '\tboundary="----MultipartBoundary--abc"\r\n\r\n------MultipartBoundary--abc\r\nContent-Type: text/html\r\n'
        "Content-ID: <frame-1>\r\nContent-Transfer-Encoding: quoted-printable\r\n"
        f"Content-Location: https://example.org/a.html\r\n\r\n{body}\r\n------MultipartBoundary--abc--\r\n",
        encoding="ascii")
    utf8 = tmp_path / "saved.txt"  # a page saved under a text name is still read as a page
    utf8.write_bytes(html.encode("utf-8"))
    resaved = tmp_path / "resaved.html"  # re-saved as UTF-8, still declaring gb2312
    resaved.write_bytes(path.read_bytes().decode("gb18030").encode("utf-8"))
    for page in (mhtml, utf8, resaved):
        report = read_report(page)
        assert report.format == "html"
        texts = [p.text for p in report.paragraphs]
        assert all(p in texts for p in paragraphs)
        assert any(t.kind == "indicator" for t in report.tables)


def test_table_layout_page(tmp_path):
    path, paragraphs = gen.write_table_layout_page(tmp_path / "old.htm")
    report = read_report(path)
    assert report.metadata.title == "2024年度项目支出绩效自评报告"
    assert [p.text for p in report.paragraphs] == paragraphs
    assert not any(word in report.text for word in ("通知公告", "位置", "版权所有", "ICP", "机构概况"))


def test_page_without_article_is_empty(tmp_path):
    path = tmp_path / "nav.html"
    path.write_text('<html><head><meta charset="utf-8"><script>x()</script></head><body><div class="nav">'
                    '<a href="/">首页</a></div></body></html>', encoding="utf-8")
    with pytest.raises(EmptyFileError):
        read_report(path)


# --- OFD ----------------------------------------------------------------------------------------------

OFD_PARAGRAPHS = [gen.GOAL_PLAN, gen.GOAL_DONE + gen.GOAL_PLAN, gen.DEVIATION, gen.PROBLEMS + gen.DEVIATION,
                  gen.GOAL_DONE]


@pytest.mark.parametrize("per_char", [False, True], ids=["runs", "per-char"])
def test_ofd_text_in_order(tmp_path, per_char, validate):
    pages = gen.layout_ofd_pages(OFD_PARAGRAPHS, lines_per_page=4)
    path = gen.write_ofd(tmp_path / "report.ofd", pages, per_char=per_char)
    assert sniff(path, path.read_bytes()[:2048]) == "ofd"
    raw, _ = read_raw(path)
    assert raw.page_count == len(pages) >= 3
    assert all(line.box is not None and line.indented is not None for line in raw.lines)
    report = read_report(path)
    validate(report.to_dict())
    assert report.format == "ofd"
    assert report.metadata.title == "绩效自评报告"
    # Paragraphs come back whole, in order, across line wraps and page breaks.
    assert [p.text for p in report.paragraphs] == OFD_PARAGRAPHS
    assert report.paragraphs[-1].page == len(pages)


def test_ofd_columns_become_a_table(tmp_path):
    rows = [("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值")] + [
        (l1, l2, name, target, gen.expected_actual(actual, fmt)) for l1, l2, name, target, actual, fmt, *_ in gen.INDICATORS]
    runs = [(15.0 + 42 * c, 40.0 + 8 * r, 3.5, cell) for r, row in enumerate(rows) for c, cell in enumerate(row)]
    path = gen.write_ofd(tmp_path / "table.ofd", [[(60.0, 25.0, 6.0, "绩效指标完成情况表")] + runs])
    report = read_report(path)
    tables = [t for t in report.tables if t.kind == "indicator"]
    assert tables and [(r.name, r.actual) for r in rows_of(tables[0])] == [(r[2], r[4]) for r in rows[1:]]


def _ofd_with(tmp_path: Path, name: str, replace: dict[str, bytes | None]) -> Path:
    source = gen.write_ofd(tmp_path / "base.ofd", gen.layout_ofd_pages([gen.GOAL_PLAN]))
    out = tmp_path / name
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename in replace:
                continue
            dst.writestr(item, src.read(item))
        for part, data in replace.items():
            if data is not None:
                dst.writestr(part, data)
    return out


def test_ofd_errors(tmp_path):
    with pytest.raises(EncryptedFileError):
        read_report(_ofd_with(tmp_path, "enc.ofd", {"Doc_0/Encryptions.xml": b"<Encryptions/>"}))
    with pytest.raises(CorruptFileError):
        read_report(_ofd_with(tmp_path, "missing.ofd", {"Doc_0/Document.xml": None}))
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016">&b;</ofd:OFD>')
    with pytest.raises(CorruptFileError):
        read_report(_ofd_with(tmp_path, "bomb.ofd", {"OFD.xml": bomb}))
    blank = gen.write_ofd(tmp_path / "blank.ofd", [[]])
    with pytest.raises(EmptyFileError):
        read_report(blank)
    scan = _ofd_with(tmp_path, "scan.ofd", {"Doc_0/Pages/Page_0/Content.xml": (
        f'<ofd:Page xmlns:ofd="{gen.OFD_NS}"><ofd:Content><ofd:Layer ID="1"><ofd:ImageObject ID="2" '
        'ResourceID="9" Boundary="0 0 210 297"/></ofd:Layer></ofd:Content></ofd:Page>').encode()})
    with pytest.raises(NoTextLayerError):
        read_report(scan)
    with pytest.raises(LimitExceededError):
        read_raw(gen.write_ofd(tmp_path / "long.ofd", gen.layout_ofd_pages(OFD_PARAGRAPHS, lines_per_page=3)),
                 max_pages=2)


# --- Excel errors and sniffing ----------------------------------------------------------------------------


def test_workbook_errors(tmp_path, monkeypatch):
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet")
    with pytest.raises(CorruptFileError):
        read_report(broken)
    encrypted = tmp_path / "secret.xlsx"  # an encrypted OOXML file is an OLE container with an EncryptedPackage
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le"))
    with pytest.raises(EncryptedFileError):
        read_report(encrypted)
    bad_xls = tmp_path / "bad.xls"
    bad_xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x01" * 600)
    with pytest.raises(CorruptFileError):
        read_report(bad_xls)
    import openpyxl

    empty = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(empty)
    with pytest.raises(EmptyFileError):
        read_report(empty)
    from nlp.readers import excel

    monkeypatch.setattr(excel, "MAX_CELLS", 20)
    with pytest.raises(LimitExceededError):
        read_report(gen.write_selfeval_xlsx(tmp_path / "big.xlsx"))
    monkeypatch.setattr(excel, "PRECOUNT_ABOVE", 0)  # the streaming count refuses it before the normal load
    monkeypatch.setattr(openpyxl, "load_workbook", _refuse_normal_mode(openpyxl.load_workbook))
    with pytest.raises(LimitExceededError):
        read_report(tmp_path / "big.xlsx")


def _refuse_normal_mode(load):
    def guarded(*args, **kwargs):
        assert kwargs.get("read_only"), "a workbook over the cell limit was loaded in normal mode"
        return load(*args, **kwargs)

    return guarded


def test_sniffing_by_content_then_name(tmp_path):
    xlsx = gen.write_selfeval_xlsx(tmp_path / "a.xlsx")
    renamed = tmp_path / "export.bin"
    shutil.copy(xlsx, renamed)
    assert sniff(renamed, renamed.read_bytes()[:2048]) == "xlsx"
    ofd = gen.write_ofd(tmp_path / "a.zip", gen.layout_ofd_pages([gen.GOAL_PLAN]))
    assert sniff(ofd, ofd.read_bytes()[:2048]) == "ofd"
    doc = tmp_path / "old.xls"  # a Word document misnamed .xls
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le"))
    assert sniff(doc, doc.read_bytes()[:2048]) == "legacy"
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(CorruptFileError):
        read_report(fake)


# --- Legacy Word/WPS ---------------------------------------------------------------------------------------


def test_doc_without_libreoffice_names_the_fix(tmp_path, monkeypatch):
    from nlp.readers import legacy

    monkeypatch.setattr(legacy, "converter", lambda: None)
    doc = tmp_path / "old.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le"))
    with pytest.raises(UnsupportedFormatError) as info:
        read_report(doc)
    assert "LibreOffice" in str(info.value) and "DOCX" in str(info.value)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_doc_reads_like_its_docx(tmp_path, validate):
    from nlp.readers.legacy import convert_to_docx

    # Make the .doc from the DOCX with LibreOffice itself (the reverse of what the reader does).
    work = tmp_path / "make"
    work.mkdir()
    source = EXAMPLE.with_suffix(".docx")
    import subprocess

    subprocess.run(["soffice", f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(work), str(source)],
                   check=True, capture_output=True, timeout=180)
    doc = work / (source.stem + ".doc")
    assert doc.read_bytes().startswith(b"\xd0\xcf\x11\xe0")
    a, b = read_report(source), read_report(doc)
    assert b.format == "doc"
    validate(b.to_dict())
    assert [p.text for p in b.paragraphs] == [p.text for p in a.paragraphs]
    assert [(t.kind, t.header, t.rows) for t in b.tables] == [(t.kind, t.header, t.rows) for t in a.tables]
    # The same document with the FIB's fEncrypted flag set is refused as encrypted, before any conversion.
    data = bytearray(doc.read_bytes())
    import io

    from xlrd.compdoc import CompDoc

    fib = bytes(CompDoc(bytes(data), logfile=io.StringIO()).get_named_stream("WordDocument")[:64])
    at = data.find(fib)
    data[at + 0x0B] |= 0x01
    locked = tmp_path / "locked.doc"
    locked.write_bytes(bytes(data))
    with pytest.raises(EncryptedFileError):
        read_report(locked)
    wps = tmp_path / "same.wps"
    shutil.copy(doc, wps)
    assert read_report(wps).format == "wps"
    (tmp_path / "c").mkdir()
    with pytest.raises(CorruptFileError):
        convert_to_docx(tmp_path / "x.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, tmp_path / "c")


# --- OCR ----------------------------------------------------------------------------------------------------


def _blank_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.rect(100, 100, 200, 300, fill=1)
    c.showPage()
    c.save()
    return path


def test_scan_without_ocr_says_how_to_install(tmp_path, monkeypatch):
    from nlp.readers import ocr

    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(NoTextLayerError) as info:
        read_report(_blank_pdf(tmp_path / "scan.pdf"))
    assert "govreport-nlp[ocr]" in str(info.value)


def test_ocr_never_leaves_a_scan_unread(tmp_path, monkeypatch):
    monkeypatch.setenv("NLP_OCR", "never")
    with pytest.raises(NoTextLayerError):
        read_report(_blank_pdf(tmp_path / "scan.pdf"))


def scan_of(pdf: Path, out: Path, pages: list[int], dpi: int = 200) -> Path:
    """An image-only PDF made by rendering ``pages`` of a text PDF (what a scanner gives, without the noise)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    images = [document[p - 1].render(scale=dpi / 72, grayscale=True).to_pil() for p in pages]
    document.close()
    images[0].save(out, save_all=True, append_images=images[1:], resolution=dpi)
    return out


def _drawable(pdf: Path, page: int) -> bool:
    """Whether PDFium has the glyphs of the page's text on this machine (else its render is blank)."""
    import pypdfium2 as pdfium

    from nlp.readers.pdfium import glyphs_missing, page_geometry

    document = pdfium.PdfDocument(str(pdf))
    try:
        loaded = document[page - 1]
        geometry = page_geometry(loaded, with_edges=False)
        return not glyphs_missing(loaded, geometry.textpage, geometry.chars)
    finally:
        document.close()


def test_ocr_reads_a_scan_back(tmp_path, validate):
    from nlp.readers import ocr

    if not ocr.available():
        pytest.skip("the ocr extra (rapidocr, onnxruntime, pypdfium2) is not installed")
    import pdfplumber

    from nlp.document import Report
    from nlp.pipeline import sha256_file
    from nlp.structure import recover

    source = EXAMPLE.with_suffix(".pdf")
    if not _drawable(source, 2):
        pytest.skip("this machine has no CJK font to draw the example's unembedded STSong-Light "
                    "(apt-get install fonts-wqy-zenhei)")
    scan = scan_of(source, tmp_path / "scan.pdf", [2])  # paragraphs, then the ruled indicator table
    with pdfplumber.open(source) as pdf:
        layer = re.sub(r"\s", "", pdf.pages[1].extract_text())
    raw, _ = read_raw(scan)
    assert [(p.page, p.reader) for p in raw.pages] == [(1, "ocr")] and raw.pages[0].confidence > 0.9
    read = re.sub(r"\s", "", "".join(line.text for line in raw.lines)
                  + "".join("".join(row) for t in raw.tables for row in t.rows))
    assert difflib.SequenceMatcher(None, layer, read, autojunk=False).ratio() >= 0.95
    report = recover(raw, Report(source=str(scan), sha256=sha256_file(scan), format=raw.format,
                                 page_count=raw.page_count, text="", warnings=list(raw.warnings)))
    assert any("文字识别" in w for w in report.warnings)
    data = report.to_dict()
    validate(data)
    assert [(p["page"], p["ocr"]) for p in data["ocr_pages"]] == [(1, True)] and data["ocr_pages"][0]["confidence"] > 0.9
    text_report = read_report(source)
    # Paragraphs wrapped over several lines come back whole.
    original = [p.text for p in text_report.paragraphs if p.page == 2]
    got = [p.text for p in report.paragraphs]
    whole = [p for p in original if max(difflib.SequenceMatcher(None, p, g).ratio() for g in got) >= 0.9]
    assert len(original) >= 5 and len(whole) >= 0.9 * len(original)
    # The ruled table drawn in the image is a table again, its rows those of the text layer's table.
    want = rows_of(next(t for t in text_report.tables if t.kind == "indicator"))
    tables = [t for t in report.tables if t.kind == "indicator"]
    assert len(tables) == 1 and tables[0].origin == "ocr"
    rows = rows_of(tables[0])
    assert len(rows) >= 8
    for row, expected in zip(rows, want):
        assert (row.target, row.actual) == (expected.target, expected.actual)
        assert difflib.SequenceMatcher(None, row.name, expected.name).ratio() >= 0.8


# --- Batch over a mixed archive -------------------------------------------------------------------------------


def test_batch_on_every_format(tmp_path, monkeypatch):
    import csv
    import json

    from nlp.batching import BatchOptions, run_batch

    archive = tmp_path / "archive"
    (archive / "表格").mkdir(parents=True)
    (archive / "网页").mkdir()
    gen.write_selfeval_xlsx(archive / "表格" / "自评表.xlsx")
    # A .doc LibreOffice cannot convert (CorruptFileError), or that needs it where it is absent (Unsupported).
    (archive / "旧文档.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
                                      + "WordDocument".encode("utf-16-le"))
    try:
        gen.write_selfeval_xls(archive / "表格" / "自评表.xls")
    except ImportError:
        pass
    gen.write_gb2312_page(archive / "网页" / "报告.htm")
    gen.write_ofd(archive / "报告.ofd", gen.layout_ofd_pages(OFD_PARAGRAPHS))
    for suffix in (".pdf", ".docx", ".txt"):
        shutil.copy(EXAMPLE.with_suffix(suffix), archive / f"example{suffix}")
    (archive / "表格" / "损坏.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    _blank_pdf(archive / "扫描件.pdf")
    files = sorted(p.relative_to(archive).as_posix() for p in archive.rglob("*") if p.is_file())
    out = tmp_path / "out"
    monkeypatch.setenv("NLP_OCR", "never")  # the scan is listed as such; OCR has its own test
    summary = run_batch(archive, out, jobs=1, options=BatchOptions(classify=False))
    assert summary.files == len(files)
    with gzip.open(out / "reports.jsonl.gz", "rt", encoding="utf-8") as handle:
        done = {json.loads(line)["source"] for line in handle}
    with (out / "errors.csv").open(encoding="utf-8-sig", newline="") as handle:
        errors = {row["file"]: row["class"] for row in csv.DictReader(handle)}
    assert sorted(done | set(errors)) == files and not done & set(errors)
    assert {"表格/自评表.xlsx", "网页/报告.htm", "报告.ofd", "example.pdf", "example.docx"} <= done
    assert errors["表格/损坏.xlsx"] == "CorruptFileError"
    assert errors["扫描件.pdf"] == "NoTextLayerError"
    assert errors["旧文档.doc"] in ("UnsupportedFormatError", "CorruptFileError")


def test_ocr_pages_extend_a_running_time_limit():
    import signal

    from nlp.readers.ocr import _extend_time_limit

    previous = signal.signal(signal.SIGALRM, lambda *_: None)
    try:
        signal.setitimer(signal.ITIMER_REAL, 100.0)
        _extend_time_limit(15)
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 110
        signal.setitimer(signal.ITIMER_REAL, 0)
        _extend_time_limit(15)  # no limit running: none is started
        assert signal.getitimer(signal.ITIMER_REAL)[0] == 0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
