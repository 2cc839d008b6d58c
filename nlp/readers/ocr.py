"""Read scanned PDF pages by OCR (the optional extra: ``pip install -e ".[ocr]"``).

RapidOCR runs PaddleOCR's PP-OCR detection and recognition models (shipped
inside its wheel) on onnxruntime, offline. A page is rendered with pypdfium2
at :data:`DPI`, recognised, and each recognised box becomes a positioned
piece in PDF points, so :mod:`nlp.readers.lines` turns the page into the same
lines (with ``indented``/``full``) the text layer would have given and
structure recovery re-joins paragraphs as usual. A page is OCR'd when it has
no usable text layer (``auto``), always (``always``) or never (``never``).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.errors import CorruptFileError
from nlp.messages import Message
from nlp.readers.lines import Piece, group_lines, mark_layout
from nlp.readers.raw import Line, PageRecord, RawDocument

MODES = ("auto", "always", "never")
#: Rendering resolution: 200 dpi reads 10.5 pt Chinese body text reliably at about a page per few seconds.
DPI = int(os.environ.get("NLP_OCR_DPI", "200"))
#: A page whose mean recognition confidence is below this is warned about.
LOW_CONFIDENCE = 0.80
#: Recognised boxes below this confidence are dropped as noise (stamps, specks, signatures).
MIN_BOX_SCORE = 0.5
#: A gap between two recognised boxes on one line wider than this many font sizes separates table cells
#: (OCR returns a line of running text as one box, so a gap is rare inside text).
TAB_GAP = 1.2
#: Seconds added to a running per-file time limit for each page OCR'd (about 4 s a page measured on 2 cores).
PAGE_SECONDS = float(os.environ.get("NLP_OCR_PAGE_SECONDS", "15"))


def available() -> bool:
    """Return True when the OCR extra (rapidocr, onnxruntime, pypdfium2) is installed."""
    return all(importlib.util.find_spec(name) is not None for name in ("rapidocr", "onnxruntime", "pypdfium2"))


def advice() -> Message | None:
    """The advice for a scan with no text at all: install the extra when it is missing (None: the usual advice)."""
    return None if available() else Message("advice.install_ocr")


def mode_from_env() -> str:
    """The OCR mode in force: ``$NLP_OCR`` (set by the CLI's ``--ocr`` for worker processes too), else auto."""
    mode = os.environ.get("NLP_OCR", "auto").strip().lower()
    return mode if mode in MODES else "auto"


@functools.lru_cache(maxsize=1)
def engine() -> Any:
    """The process's OCR engine (loading the models takes about half a second; done once)."""
    import logging

    from rapidocr import RapidOCR

    engine = RapidOCR(params={"Global.log_level": "error", "Global.use_cls": False})
    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return engine


@dataclass
class OcrPage:
    """The lines OCR read from one page and how sure it was."""

    page: int
    lines: list[Line] = field(default_factory=list)
    confidence: float = 0.0
    boxes: int = 0


def recognise(image: Any, page: int, scale: float) -> OcrPage:
    """OCR one page image (an RGB array); ``scale`` turns pixels into PDF points."""
    output = engine()(image)
    boxes = getattr(output, "boxes", None)
    texts = getattr(output, "txts", None) or ()
    scores = getattr(output, "scores", None) or ()
    result = OcrPage(page=page)
    if boxes is None or not len(texts):
        return result
    pieces: list[Piece] = []
    kept: list[float] = []
    for box, text, score in zip(boxes, texts, scores):
        if not text or not text.strip() or float(score) < MIN_BOX_SCORE:
            continue
        xs = [float(p[0]) * scale for p in box]
        ys = [float(p[1]) * scale for p in box]
        height = max(ys) - min(ys)
        # A detection box hugs the glyphs: its height is about the font size.
        pieces.append(Piece(text.strip(), left=min(xs), top=min(ys), right=max(xs), bottom=max(ys),
                            size=height))
        kept.append(float(score))
    result.lines = group_lines(pieces, page=page, tab_gap=TAB_GAP)
    result.confidence = statistics.fmean(kept) if kept else 0.0
    result.boxes = len(kept)
    return result


def ocr_pdf_pages(path: Path, pages: list[int], dpi: int = DPI) -> list[OcrPage]:
    """Render and OCR the given 1-based pages of a PDF, in order."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:
        raise CorruptFileError(path, Message("error.pdf_unparseable", detail=f"{type(exc).__name__}: {exc}")) from exc
    out: list[OcrPage] = []
    try:
        for number in pages:
            _extend_time_limit(PAGE_SECONDS)
            page = pdf[number - 1]
            try:
                if not _has_image(page):
                    out.append(OcrPage(page=number))  # drawn without text or images: nothing to read
                    continue
                bitmap = page.render(scale=dpi / 72)
                image = bitmap.to_numpy()
                if image.ndim == 3 and image.shape[2] == 4:
                    image = image[:, :, :3]
                out.append(recognise(image, number, 72 / dpi))
            except CorruptFileError:
                raise
            except Exception as exc:
                raise CorruptFileError(path, Message("error.ocr_failed", page=number,
                                                     detail=f"{type(exc).__name__}: {exc}")) from exc
            finally:
                page.close()
    finally:
        pdf.close()
    return out


def _has_image(page: Any) -> bool:
    import pypdfium2.raw as pdfium_c

    return next(iter(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4)), None) is not None


def _extend_time_limit(seconds: float) -> None:
    """Give a running per-file time limit (batch's SIGALRM timer) ``seconds`` more for one OCR'd page.

    OCR takes seconds a page where a text layer takes milliseconds, so a fixed
    limit would cut any long scan; the limit grows with the pages OCR'd.
    """
    import signal
    import threading

    if not hasattr(signal, "getitimer") or threading.current_thread() is not threading.main_thread():
        return
    remaining, interval = signal.getitimer(signal.ITIMER_REAL)
    if remaining > 0:
        signal.setitimer(signal.ITIMER_REAL, remaining + seconds, interval)


def ocr_pages(path: Path, doc: RawDocument, without_text: list[int], mode: str | None = None) -> list[int]:
    """OCR the pages of ``doc`` the mode calls for and put their lines in place.

    ``without_text`` are the 1-based pages with no usable text layer. Returns the
    pages still without text (all of them when OCR is off or not installed).
    """
    mode = mode or mode_from_env()
    if mode == "never" or not available():
        return without_text
    pages = list(range(1, doc.page_count + 1)) if mode == "always" else list(without_text)
    if not pages:
        return without_text
    results = ocr_pdf_pages(path, pages)
    read = [r for r in results if r.lines]
    # The scanned pages' own text column (their margins need not match the text pages').
    mark_layout([line for r in read for line in r.lines])
    for result in read:
        _replace_page(doc, result.page, result.lines, drop_tables=mode == "always")
    if read:
        confidence = statistics.fmean(r.confidence for r in read)
        doc.warnings.append(str(Message("warning.ocr_pages", pages=_ranges([r.page for r in read]),
                                        confidence=confidence)))
        for r in read:
            if r.confidence < LOW_CONFIDENCE:
                doc.warnings.append(str(Message("warning.ocr_low_confidence", page=r.page, confidence=r.confidence)))
    for r in read:
        record = next((p for p in doc.pages if p.page == r.page), None)
        if record is None:
            record = PageRecord(page=r.page, reader="ocr")
            doc.pages.append(record)
            doc.pages.sort(key=lambda p: p.page)
        record.reader, record.no_text, record.detail = "ocr", False, None
        record.lines, record.confidence = len(r.lines), round(r.confidence, 4)
    done = {r.page for r in read}
    return [p for p in without_text if p not in done]


def _replace_page(doc: RawDocument, page: int, lines: list[Line], drop_tables: bool) -> None:
    """Put ``lines`` in place of page ``page``'s lines, keeping table positions right."""
    old = [i for i, line in enumerate(doc.lines) if line.page == page]
    if drop_tables:
        doc.tables = [t for t in doc.tables if t.page != page]
    # Where the page's lines go: where its old lines were, else before the first line of a later page.
    at = old[0] if old else next((i for i, line in enumerate(doc.lines) if (line.page or 0) > page), len(doc.lines))
    for table in doc.tables:
        before = sum(1 for i in old if i < table.position)
        table.position -= before
        if (table.page or 0) > page:
            table.position += len(lines)
        elif table.page == page and table.position > at:
            table.position = at + len(lines)
    keep = [line for line in doc.lines if line.page != page]
    doc.lines = keep[:at] + lines + keep[at:]


def _ranges(numbers: list[int]) -> str:
    out, start, prev = [], numbers[0], numbers[0]
    for n in numbers[1:] + [0]:
        if n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = n
    return ", ".join(out)
