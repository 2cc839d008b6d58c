"""Read PDF reports one page at a time: PDFium for text and ruling lines, pdfplumber's table algorithm.

Text comes back as visual lines with their position, so that
:mod:`nlp.structure` can tell a first-line indent from a wrapped line. PDFium
(pypdfium2) gives the characters in content order with their boxes and fonts,
and the page's path objects give the ruling lines; pdfplumber's table
algorithm runs on that geometry (:mod:`nlp.readers.pdf_tables`) without
pdfminer. A page PDFium cannot read is opened with pdfplumber instead, and a
page neither can read is named in a warning while the others are kept.

The reader of earlier versions (pdfplumber only) stays available for
comparison: ``NLP_PDF_READER=pdfplumber`` or ``read_pdf(path, reader="pdfplumber")``.
"""

from __future__ import annotations

import os
import re
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any

from nlp.errors import CorruptFileError, EncryptedFileError, NoTextLayerError, ReportError
from nlp.messages import Message, render
from nlp.readers.raw import Line, PageRecord, RawDocument, RawTable, page_ranges

_CID = re.compile(r"\(cid:\d+\)")
#: Environment variable that chooses the reader: "pdfium" (default) or "pdfplumber".
READER_ENV = "NLP_PDF_READER"
READERS = ("pdfium", "pdfplumber")
_BOLD_FACE = re.compile(r"bold|heavy|black|hei|黑", re.IGNORECASE)


def read_pdf(path: Path, max_pages: int | None = None, reader: str | None = None) -> RawDocument:
    """Return the lines and tables of a PDF, or raise a named error.

    ``reader`` (or the environment variable ``NLP_PDF_READER``) chooses
    "pdfium" (the default) or "pdfplumber" (the earlier, slower reader).
    """
    choice = (reader or os.environ.get(READER_ENV) or "pdfium").strip().lower()
    if choice == "pdfplumber":
        return read_pdf_pdfplumber(path, max_pages)
    return read_pdf_pdfium(path, max_pages)


def read_pdf_pdfium(path: Path, max_pages: int | None = None) -> RawDocument:
    """Read with PDFium page by page; pages it cannot read go to pdfplumber, pages neither can read are named."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pr

    repaired = False
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in (pr.FPDF_ERR_PASSWORD, pr.FPDF_ERR_SECURITY):
            raise EncryptedFileError(path, Message("error.pdf_encrypted")) from exc
        detail = _detail(exc)
        pdf = _open_repaired(path)
        if pdf is None:
            try:
                doc = read_pdf_pdfplumber(path, max_pages, tolerant=True)
            except CorruptFileError as other:
                raise CorruptFileError(path, Message("error.pdf_unparseable",
                                                     detail=f"{detail}; {render(other.problem)}")) from exc
            doc.warnings.insert(0, str(Message("warning.pdf_opened_by_fallback", detail=detail)))
            return doc
        repaired = True
    doc = RawDocument(format="pdf", lines=[])
    fallback = _Fallback(path)
    widths: dict[int, float] = {}
    try:
        doc.page_count = len(pdf)
        if max_pages is not None and doc.page_count > max_pages:
            from nlp.errors import LimitExceededError

            raise LimitExceededError(path, Message("error.page_count_limit", pages=doc.page_count, limit=max_pages),
                                     Message("advice.max_pages"))
        for index in range(doc.page_count):
            number = index + 1
            started = time.process_time()
            record: PageRecord | None = None
            try:
                page = pdf[index]
            except Exception as exc:  # PDFium could not load the page object
                record = fallback.read(index, number, doc, _detail(exc))
            else:
                try:
                    width = page.get_width() if page.get_rotation() in (0, 180) else page.get_height()
                    widths[number] = float(width)
                    try:
                        record = _read_pdfium_page(page, number, doc, whole=repaired)
                    except _GlyphsMissing:
                        # PDFium lacks the glyphs of an unembedded font here and drops text: pdfminer
                        # reads the characters' codes without drawing them. Nothing is lost, so no warning;
                        # where pdfminer cannot read the page, PDFium's text is better than none.
                        record = fallback.read(index, number, doc, str(Message("detail.pdf_glyphs_missing")))
                        record.quiet = record.reader == "pdfplumber"
                        if not record.quiet:
                            record = _read_pdfium_page(page, number, doc, whole=True)
                except Exception as exc:  # a page PDFium reads only in part: try pdfminer's parser
                    record = fallback.read(index, number, doc, _detail(exc))
                finally:
                    page.close()
            if repaired and record.reader == "pdfium" and record.no_text:
                # In a file cut short, a page without text is a page whose content was lost.
                record = PageRecord(page=number, reader="none", detail=str(Message("detail.pdf_page_lost")))
            record.seconds = time.process_time() - started
            doc.pages.append(record)
    finally:
        fallback.close()
        pdf.close()
    _mark_page_layout(doc.lines, widths)
    if repaired:
        doc.warnings.insert(0, str(Message("warning.pdf_repaired")))
    _finish(path, doc)
    return doc


_OBJECT = re.compile(rb"(?<!\d)(\d{1,7})\s+(\d{1,5})\s+obj\b")
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_CATALOG = re.compile(rb"(\d{1,7})\s+(\d{1,5})\s+obj\s*<<(?:(?!endobj).){0,600}?/Type\s*/Catalog", re.S)


def _open_repaired(path: Path) -> Any:
    """Open a PDF whose trailer is lost (a file cut short), or return None.

    PDFium rebuilds a broken cross-reference table by scanning the objects, but
    it needs a trailer to find the document's catalog. First a trailer naming
    the catalog found in the file is added; when that does not open (the page
    tree was lost), a new catalog and page tree list the page objects found, in
    the order the file holds them.
    """
    import pypdfium2 as pdfium

    try:
        data = path.read_bytes()
    except OSError:
        return None
    objects = list(_OBJECT.finditer(data))
    if not objects:
        return None
    size = max(int(m.group(1)) for m in objects) + 1
    close = b"\nendstream\nendobj\n"
    catalogs = list(_CATALOG.finditer(data))
    if catalogs:
        root = catalogs[-1]
        tail = close + b"trailer\n<< /Size %d /Root %s %s R >>\nstartxref\n0\n%%%%EOF\n" % (
            size, root.group(1), root.group(2))
        try:
            return pdfium.PdfDocument(data + tail)
        except pdfium.PdfiumError:
            pass
    pages = []
    for match in objects:
        body = data[match.end():match.end() + 4000]
        end = body.find(b"endobj")
        if _PAGE.search(body[:end if end >= 0 else len(body)]):
            pages.append(b"%s %s R" % (match.group(1), match.group(2)))
    if not pages:
        return None
    tail = close + (b"%d 0 obj\n<< /Type /Catalog /Pages %d 0 R >>\nendobj\n"
                    b"%d 0 obj\n<< /Type /Pages /Kids [%s] /Count %d >>\nendobj\n"
                    b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n0\n%%%%EOF\n"
                    % (size, size + 1, size + 1, b" ".join(pages), len(pages), size + 2, size))
    try:
        return pdfium.PdfDocument(data + tail)
    except pdfium.PdfiumError:
        return None


def _detail(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class _Fallback:
    """pdfplumber, opened once and only when a page needs it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pdf: Any = None
        self.error: str | None = None

    def read(self, index: int, number: int, doc: RawDocument, why: str) -> PageRecord:
        if self.pdf is None and self.error is None:
            try:
                import pdfplumber

                self.pdf = pdfplumber.open(self.path)
            except Exception as exc:  # pdfminer raises many unrelated types for broken files
                self.error = _detail(exc)
        if self.pdf is None:
            return PageRecord(page=number, reader="none", detail=f"{why}; pdfplumber: {self.error}")
        try:
            page = self.pdf.pages[index]
        except Exception as exc:
            return PageRecord(page=number, reader="none", detail=f"{why}; pdfplumber: {_detail(exc)}")
        before_lines, before_tables = len(doc.lines), len(doc.tables)
        try:
            usable = _read_page(page, number, doc)
        except Exception as exc:
            del doc.lines[before_lines:]
            del doc.tables[before_tables:]
            return PageRecord(page=number, reader="none", detail=f"{why}; pdfplumber: {_detail(exc)}")
        finally:
            page.close()
        return PageRecord(page=number, reader="pdfplumber", lines=len(doc.lines) - before_lines,
                          tables=len(doc.tables) - before_tables, no_text=not usable, detail=why)

    def close(self) -> None:
        if self.pdf is not None:
            try:
                self.pdf.close()
            except Exception:  # closing a broken file must not hide what was read
                pass


class _GlyphsMissing(Exception):
    """PDFium cannot give the page's whole text on this machine (see ``glyphs_missing``)."""


def _read_pdfium_page(page: Any, number: int, doc: RawDocument, whole: bool = False) -> PageRecord:
    """Append one page's lines and tables to ``doc`` and return its record.

    Raises ``_GlyphsMissing`` (having appended nothing) when PDFium lacks the glyphs of the page's
    text, unless ``whole`` asks for what PDFium reads in any case."""
    from nlp.readers.pdfium import font_size, glyphs_missing, group_lines, line_text, page_geometry

    geometry = page_geometry(page)
    try:
        if not whole and glyphs_missing(page, geometry.textpage, geometry.chars):
            raise _GlyphsMissing
        solid = [c for c in geometry.chars if not c.text.isspace()]
        private = sum(1 for c in solid if 0xE000 <= ord(c.text[0]) <= 0xF8FF)
        if solid and geometry.unmapped + private > 0.3 * len(solid):
            return PageRecord(page=number, reader="pdfium", chars=len(solid), no_text=True)
        found = []
        if geometry.edges and solid:
            from nlp.readers.pdf_tables import find_tables

            found = find_tables(geometry.chars, geometry.edges, geometry.width, geometry.height)
        taken: set[int] = set()
        for table in found:
            taken |= table.taken
        items: list[tuple[float, Line | RawTable]] = []
        for table in found:
            items.append((table.bbox[1], RawTable(rows=table.rows, page=number, pages=[number], origin="pdf",
                                                  bbox=table.bbox, columns=table.columns)))
        rest = [c for c in geometry.chars if c.index not in taken] if taken else geometry.chars
        lines = 0
        for chars in group_lines(rest):
            text = line_text(chars)
            if not text:
                continue
            ink = [c for c in chars if not c.text.isspace()]
            # An ideograph's advance is the font size; a line without one asks PDFium.
            sizes = sorted(c.size for c in ink if 0x4E00 <= ord(c.text[0]) <= 0x9FFF)
            size = float(sizes[len(sizes) // 2]) if sizes else font_size(geometry.textpage, ink[len(ink) // 2])
            top = float(statistics.median(c.top for c in ink))
            line = Line(text, page=number, box=(min(c.x0 for c in ink), max(c.x1 for c in ink), size),
                        top=round(top, 1), bold=_bold(geometry.textpage, ink))
            items.append((top, line))
            lines += 1
        _place(items, doc)
        return PageRecord(page=number, reader="pdfium", lines=lines, tables=len(found), chars=len(solid),
                          no_text=not items)
    finally:
        geometry.textpage.close()


def _bold(textpage: Any, ink: list[Any]) -> bool:
    """Return True when most of the line is set bold: by weight, by a forced-bold flag, or in a bold or heiti face."""
    from nlp.readers.pdfium import font_name, font_weight

    import pypdfium2.raw as pr

    sample = ink if len(ink) <= 7 else [ink[i * len(ink) // 7] for i in range(7)]
    if sum(1 for c in sample if font_weight(textpage, c) >= 600) * 2 > len(sample):
        return True
    # Word and WPS embolden CJK faces without a bold variant by stroking the glyphs as well as filling them.
    stroked = 0
    for c in sample:
        obj = pr.FPDFText_GetTextObject(textpage.raw, c.index)
        if obj and pr.FPDFTextObj_GetTextRenderMode(obj) in (pr.FPDF_TEXTRENDERMODE_FILL_STROKE,
                                                            pr.FPDF_TEXTRENDERMODE_FILL_STROKE_CLIP):
            stroked += 1
    if stroked * 2 > len(sample):
        return True
    name, flags = font_name(textpage, ink[len(ink) // 2].index)
    return bool(flags & 0x40000) or bool(_BOLD_FACE.search(name.split("+")[-1]))


def _mark_page_layout(lines: list[Line], widths: dict[int, float]) -> None:
    """Set ``indented``, ``full`` and ``centred`` from the text column of pages of the same width."""
    groups: dict[int, list[Line]] = {}
    for line in lines:
        if line.box is not None:
            groups.setdefault(round(widths.get(line.page or 0, 0.0)), []).append(line)
    for group in groups.values():
        # The column's left edge: where most lines start (wrapped lines of running text).
        starts = Counter(round(line.box[0]) for line in group if line.box is not None)
        left = float(min(x for x, n in starts.items() if n >= max(starts.values()) * 0.6))
        rights = sorted(line.box[1] for line in group if line.box is not None)
        # The right edge of the column: most lines of running text reach it, a
        # few overhang it with punctuation, short last lines stop before it.
        right = statistics.median(rights[len(rights) // 2:])
        middle = (left + right) / 2
        for line in group:
            assert line.box is not None
            x0, x1, size = line.box
            line.indented = x0 - left > 1.2 * size
            line.full = right - x1 < 1.5 * size
            line.centred = (not line.full and x0 - left > 2 * size and abs((x0 + x1) / 2 - middle) < 1.5 * size)


def _finish(path: Path, doc: RawDocument) -> None:
    """Warn about pages without text or read by the fallback; raise when nothing at all was read."""
    unreadable = [r for r in doc.pages if r.reader == "none"]
    fallen = [r for r in doc.pages if r.reader == "pdfplumber" and not r.quiet]
    garbled = [r.page for r in doc.pages if r.reader != "none" and r.no_text]
    if doc.page_count == 0:
        raise CorruptFileError(path, Message("error.pdf_no_pages"))
    if unreadable and len(unreadable) == len(doc.pages):
        raise CorruptFileError(path, Message("error.pdf_nothing_readable", pages=doc.page_count,
                                             detail=unreadable[0].detail or ""))
    if unreadable:
        doc.warnings.append(str(Message("warning.pdf_pages_unreadable", pages=page_ranges([r.page for r in unreadable]),
                                        detail=unreadable[0].detail or "")))
    if fallen:
        doc.warnings.append(str(Message("warning.pdf_pages_fallback", pages=page_ranges([r.page for r in fallen]),
                                        detail=fallen[0].detail or "")))
    from nlp.readers import ocr  # pages without usable text are read by OCR (the ocr extra; --ocr)

    garbled = ocr.ocr_pages(path, doc, garbled)
    if garbled:
        doc.warnings.append(str(Message("warning.pages_without_text", pages=page_ranges(garbled))))
    if not any(line.text.strip() for line in doc.lines) and not doc.tables:
        raise NoTextLayerError(path, Message("error.pdf_no_text_layer", pages=doc.page_count), ocr.advice())


def read_pdf_pdfplumber(path: Path, max_pages: int | None = None, tolerant: bool = False) -> RawDocument:
    """Read with pdfplumber only (the earlier reader); ``tolerant`` keeps the pages that can be read."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(path)
    except PDFPasswordIncorrect as exc:
        raise EncryptedFileError(path, Message("error.pdf_encrypted")) from exc
    except Exception as exc:  # pdfminer raises many unrelated types for broken files
        if _is_password_error(exc):
            raise EncryptedFileError(path, Message("error.pdf_encrypted")) from exc
        raise CorruptFileError(path, Message("error.pdf_unparseable", detail=f"{type(exc).__name__}: {exc}")) from exc
    doc = RawDocument(format="pdf", lines=[])
    try:
        pages = pdf.pages
        doc.page_count = len(pages)
        if max_pages is not None and doc.page_count > max_pages:
            from nlp.errors import LimitExceededError

            raise LimitExceededError(path, Message("error.page_count_limit", pages=doc.page_count, limit=max_pages),
                                     Message("advice.max_pages"))
        garbled = []
        for number, page in enumerate(pages, start=1):
            before_lines, before_tables = len(doc.lines), len(doc.tables)
            try:
                usable = _read_page(page, number, doc)
                doc.pages.append(PageRecord(page=number, reader="pdfplumber", lines=len(doc.lines) - before_lines,
                                            tables=len(doc.tables) - before_tables, no_text=not usable))
                if not usable:
                    garbled.append(number)
            except PDFPasswordIncorrect:
                raise
            except Exception as exc:
                if not tolerant:
                    raise CorruptFileError(path, Message("error.pdf_page_unreadable", page=number, detail=f"{type(exc).__name__}: {exc}")) from exc
                del doc.lines[before_lines:]
                del doc.tables[before_tables:]
                doc.pages.append(PageRecord(page=number, reader="none", detail=_detail(exc)))
            finally:
                page.close()
    except PDFPasswordIncorrect as exc:
        raise EncryptedFileError(path, Message("error.pdf_encrypted")) from exc
    except ReportError:
        raise
    except Exception as exc:  # the page tree itself is broken
        raise CorruptFileError(path, Message("error.pdf_unparseable", detail=_detail(exc))) from exc
    finally:
        try:
            pdf.close()
        except Exception:  # closing a broken file must not hide what was read
            pass
    _mark_layout(doc.lines)
    if tolerant:
        _finish(path, doc)
        return doc
    if garbled:
        doc.warnings.append(str(Message("warning.pages_without_text", pages=page_ranges(garbled))))
    if not any(line.text.strip() for line in doc.lines) and not doc.tables:
        if doc.page_count == 0:
            raise CorruptFileError(path, Message("error.pdf_no_pages"))
        raise NoTextLayerError(path, Message("error.pdf_no_text_layer", pages=doc.page_count))
    return doc


def _is_password_error(exc: BaseException) -> bool:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if "Password" in type(cur).__name__ or "Encrypt" in type(cur).__name__:
            return True
        cur = cur.__cause__ or cur.__context__ or (cur.args[0] if cur.args and isinstance(cur.args[0], BaseException) else None)
    return False


def _read_page(page: Any, number: int, doc: RawDocument) -> bool:
    """Append the page's lines and tables to ``doc``; return False when the page has no usable text."""
    if _has_doubled_chars(page.chars):
        page = page.dedupe_chars()  # fake bold prints each character twice
    # Ruled tables need ruling lines; pages without any skip the costly table search.
    found = page.find_tables() if (page.objects.get("line") or page.objects.get("rect") or page.objects.get("curve")) else []
    boxes = [t.bbox for t in found]
    items: list[tuple[float, Any]] = []
    for table in found:
        rows = [[_cell(c) for c in row] for row in table.extract()]
        if any(any(c for c in row) for row in rows):
            items.append((table.bbox[1], RawTable(rows=rows, page=number, pages=[number], origin="pdf")))
    text_page = page.filter(lambda obj: not _inside(obj, boxes)) if boxes else page
    lines = text_page.extract_text_lines(layout=False, strip=True, return_chars=True)
    text = "".join(line["text"] for line in lines)
    if text and len("".join(_CID.findall(text))) > 0.3 * len(text):
        return False
    for line in lines:
        clean = _CID.sub("", line["text"]).strip()
        if not clean:
            continue
        sizes = sorted(c.get("size", 10.0) for c in line["chars"])
        box = (float(line["x0"]), float(line["x1"]), float(sizes[len(sizes) // 2]) if sizes else 10.0)
        items.append((line["top"], Line(clean, page=number, box=box)))
    _place(items, doc)
    return bool(items)


def _has_doubled_chars(chars: list[dict[str, Any]]) -> bool:
    """Return True when characters are printed twice at (nearly) the same place, as fake bold does."""
    seen = {(c["text"], round(c["x0"]), round(c["top"])) for c in chars}
    return len(seen) < len(chars)


def _mark_layout(lines: list[Line]) -> None:
    """Set ``indented`` and ``full`` from the text column of the whole document."""
    boxes = [line.box for line in lines if line.box is not None]
    if not boxes:
        return
    left = min(b[0] for b in boxes)
    rights = sorted(b[1] for b in boxes)
    # The right edge of the column: most lines of running text reach it, a
    # few overhang it with punctuation, short last lines stop before it.
    right = statistics.median(rights[len(rights) // 2:])
    for line in lines:
        if line.box is not None:
            x0, x1, size = line.box
            line.indented = x0 - left > 1.2 * size
            line.full = right - x1 < 1.5 * size


def _cell(value: str | None) -> str:
    # Line breaks inside a cell are wrapping, not content.
    return re.sub(r"\s*\n\s*", "", value).strip() if value else ""


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
    y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _place(items: list[tuple[float, Line | RawTable]], doc: RawDocument) -> None:
    """Add a page's lines and tables to the document from the top of the page down."""
    items.sort(key=lambda item: item[0])
    for _, item in items:
        if isinstance(item, RawTable):
            item.position = len(doc.lines)
            doc.tables.append(item)
        else:
            doc.lines.append(item)

