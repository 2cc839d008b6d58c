"""Read PDF reports with pdfplumber, one page at a time.

Text comes back as visual lines with their position, so that
:mod:`nlp.structure` can tell a first-line indent from a wrapped line. Ruled
tables found by ``find_tables`` are kept as tables and their area is left out
of the text. Pages are closed as soon as they are read so memory stays flat on
long files.
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path
from typing import Any

from nlp.errors import CorruptFileError, EncryptedFileError, NoTextLayerError
from nlp.messages import Message
from nlp.readers.raw import Line, RawDocument, RawTable

_CID = re.compile(r"\(cid:\d+\)")


def read_pdf(path: Path, max_pages: int | None = None, ocr: str | None = None) -> RawDocument:
    """Return the lines and tables of a PDF, or raise a named error.

    ``ocr`` ("auto", "always", "never"; default ``$NLP_OCR`` or auto) says which
    pages are read by OCR when the OCR extra is installed (:mod:`nlp.readers.ocr`).
    """
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
            try:
                if not _read_page(page, number, doc):
                    garbled.append(number)
            except Exception as exc:
                raise CorruptFileError(path, Message("error.pdf_page_unreadable", page=number, detail=f"{type(exc).__name__}: {exc}")) from exc
            finally:
                page.close()
    except PDFPasswordIncorrect as exc:
        raise EncryptedFileError(path, Message("error.pdf_encrypted")) from exc
    finally:
        pdf.close()
    _mark_layout(doc.lines)
    from nlp.readers import ocr as _ocr

    garbled = _ocr.ocr_pages(path, doc, garbled, ocr)
    if garbled:
        doc.warnings.append(str(Message("warning.pages_without_text", pages=_ranges(garbled))))
    if not any(line.text.strip() for line in doc.lines) and not doc.tables:
        if doc.page_count == 0:
            raise CorruptFileError(path, Message("error.pdf_no_pages"))
        raise NoTextLayerError(path, Message("error.pdf_no_text_layer", pages=doc.page_count),
                               None if _ocr.available() else Message("advice.install_ocr"))
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
    if not lines:
        return bool(items)
    for line in lines:
        clean = _CID.sub("", line["text"]).strip()
        if not clean:
            continue
        sizes = sorted(c.get("size", 10.0) for c in line["chars"])
        box = (float(line["x0"]), float(line["x1"]), float(sizes[len(sizes) // 2]) if sizes else 10.0)
        items.append((line["top"], Line(clean, page=number, box=box)))
    items.sort(key=lambda item: item[0])
    for _, item in items:
        if isinstance(item, RawTable):
            item.position = len(doc.lines)
            doc.tables.append(item)
        else:
            doc.lines.append(item)
    return True


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


def _ranges(numbers: list[int]) -> str:
    out, start, prev = [], numbers[0], numbers[0]
    for n in numbers[1:] + [0]:
        if n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = n
    return ", ".join(out)
