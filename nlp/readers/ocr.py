"""Read scanned PDF pages by OCR (the optional extra: ``pip install -e ".[ocr]"``).

RapidOCR runs PaddleOCR's PP-OCR detection and recognition models (shipped
inside its wheel) on onnxruntime, offline. A page is rendered with pypdfium2
at :data:`DPI`, recognised, and each recognised box becomes a positioned
piece in PDF points, so :mod:`nlp.readers.lines` turns the page into the same
lines (with ``indented``/``full``) the text layer would have given and
structure recovery re-joins paragraphs as usual. A page is OCR'd when it has
no usable text layer (``auto``), always (``always``) or never (``never``).

OCR takes seconds a page, so whoever runs it may follow it page by page: a
callback given to :func:`ocr_pages` (or set for a block with
:func:`page_progress`, which is how a batch worker reports to its parent) is
told ``(done, total, page)`` when a file's OCR starts (``0, total, 0``) and
after each page. A callback that fails is ignored: progress never fails a file.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import statistics
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.errors import CorruptFileError, NlpError
from nlp.messages import Message
from nlp.readers.lines import Piece, group_lines, mark_layout
from nlp.readers.raw import Line, PageRecord, RawDocument, RawTable, page_ranges

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
#: A page without images is OCR'd only when it draws at least this many paths (text converted to outlines).
OUTLINE_PATHS = 200
#: Seconds added to a running per-file time limit for each page OCR'd (about 4 s a page measured on 2 cores).
PAGE_SECONDS = float(os.environ.get("NLP_OCR_PAGE_SECONDS", "15"))


#: Told ``(pages done, pages to OCR, page just read)`` as a file's pages are OCR'd (``0, total, 0`` at the start).
PageCallback = Callable[[int, int, int], None]

_page_callback: ContextVar[PageCallback | None] = ContextVar("nlp_ocr_page_progress", default=None)


@contextlib.contextmanager
def page_progress(callback: PageCallback | None) -> Iterator[None]:
    """Within the block (this thread and context), OCR tells ``callback`` of every page it reads."""
    token = _page_callback.set(callback)
    try:
        yield
    finally:
        _page_callback.reset(token)


def _tell(callback: PageCallback | None, done: int, total: int, page: int) -> None:
    """Call a progress callback; its failure is ignored (progress never fails a file)."""
    if callback is None:
        return
    try:
        callback(done, total, page)
    except NlpError:
        raise  # a per-file time limit expiring during the call belongs to the file
    except Exception:
        pass


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

    params: dict[str, Any] = {"Global.log_level": "error", "Global.use_cls": False}
    threads = os.environ.get("NLP_OCR_THREADS", "").strip()
    if threads.isdigit() and int(threads) > 0:
        # One thread per worker keeps parallel batch workers from fighting over the cores.
        params["EngineConfig.onnxruntime.intra_op_num_threads"] = int(threads)
    engine = RapidOCR(params=params)
    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return engine


@dataclass
class OcrPage:
    """The lines OCR read from one page and how sure it was."""

    page: int
    lines: list[Line] = field(default_factory=list)
    tables: list[RawTable] = field(default_factory=list)
    confidence: float = 0.0
    boxes: int = 0


def recognise(image: Any, page: int, scale: float) -> OcrPage:
    """OCR one page image (an RGB array); ``scale`` turns pixels into PDF points.

    Ruling lines found in the image rule tables as a PDF's path objects do: the
    recognised characters inside their cells become the table's cells (the PDF
    reader's table algorithm, :func:`nlp.readers.pdf_tables.find_tables`), the
    rest become lines.
    """
    output = engine()(image, return_word_box=True, return_single_char_box=True)
    boxes = getattr(output, "boxes", None)
    texts = getattr(output, "txts", None) or ()
    scores = getattr(output, "scores", None) or ()
    words = getattr(output, "word_results", None) or ()
    result = OcrPage(page=page)
    if boxes is None or not len(texts):
        return result
    kept: list[tuple[Any, str, float, Any]] = []
    for index, (box, text, score) in enumerate(zip(boxes, texts, scores)):
        if text and text.strip() and float(score) >= MIN_BOX_SCORE:
            kept.append((box, text.strip(), float(score), words[index] if index < len(words) else None))
    chars = _chars(kept, scale)
    tables = _tables(image, chars, scale) if chars else []
    taken = set().union(*(t.taken for t in tables)) if tables else set()
    pieces: list[Piece] = []
    for number, (box, text, _, _) in enumerate(kept):
        own = [ch for ch in chars if ch.line == number]
        if own and all(ch.index in taken for ch in own):
            continue
        if own and any(ch.index in taken for ch in own):
            # Part of the box lies in a table: the rest stays text.
            rest = [ch for ch in own if ch.index not in taken]
            pieces.append(Piece("".join(ch.text for ch in rest), left=min(ch.x0 for ch in rest),
                                top=min(ch.top for ch in rest), right=max(ch.x1 for ch in rest),
                                bottom=max(ch.bottom for ch in rest), size=max(ch.bottom - ch.top for ch in rest)))
            continue
        xs = [float(p[0]) * scale for p in box]
        ys = [float(p[1]) * scale for p in box]
        # A detection box hugs the glyphs: its height is about the font size.
        pieces.append(Piece(text, left=min(xs), top=min(ys), right=max(xs), bottom=max(ys), size=max(ys) - min(ys)))
    result.lines = group_lines(pieces, page=page, tab_gap=TAB_GAP)
    for found in tables:
        position = sum(1 for line in result.lines if (line.top or 0) < found.bbox[1])
        result.tables.append(RawTable(rows=found.rows, page=page, pages=[page], position=position, origin="ocr",
                                      bbox=found.bbox, columns=found.columns))
    result.confidence = statistics.fmean(score for _, _, score, _ in kept) if kept else 0.0
    result.boxes = len(kept)
    return result


class _OcrChar:
    """A recognised character with its box in points (the shape the PDF table algorithm reads)."""

    __slots__ = ("text", "x0", "x1", "top", "bottom", "size", "weight", "index", "line")

    def __init__(self, text: str, box: Any, scale: float, index: int, line: int) -> None:
        xs = [float(p[0]) * scale for p in box]
        ys = [float(p[1]) * scale for p in box]
        self.text, self.x0, self.x1, self.top, self.bottom = text, min(xs), max(xs), min(ys), max(ys)
        self.size, self.weight, self.index, self.line = self.bottom - self.top, 400, index, line


def _chars(kept: list[tuple[Any, str, float, Any]], scale: float) -> list[_OcrChar]:
    chars: list[_OcrChar] = []
    for number, (_, _, _, word) in enumerate(kept):
        for item in word or ():
            try:
                text, _, box = item
            except (TypeError, ValueError):
                continue
            if text and str(text).strip():
                chars.append(_OcrChar(str(text), box, scale, len(chars), number))
    return chars


def _tables(image: Any, chars: list[_OcrChar], scale: float) -> list[Any]:
    """Tables ruled by the lines drawn in the image."""
    edges = rules(image, scale)
    if not edges:
        return []
    from nlp.readers.pdf_tables import find_tables

    height, width = image.shape[:2]
    return find_tables(chars, edges, width * scale, height * scale)  # type: ignore[arg-type]


def rules(image: Any, scale: float) -> list[dict[str, Any]]:
    """Return the horizontal and vertical ruling lines drawn in a page image, as edges in points.

    Dark pixels opened with a long thin kernel keep only lines longer than
    1/25 of the page width (horizontal) or 1/60 of its height (vertical);
    each connected run is one edge.
    """
    import cv2
    import numpy as np

    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    dark = (gray < 160).astype(np.uint8) * 255
    height, width = dark.shape
    edges: list[dict[str, Any]] = []
    for orientation, kernel in (("h", (max(20, width // 25), 1)), ("v", (1, max(20, height // 60)))):
        opened = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        count, _, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
        for x, y, w, h, _ in stats[1:count]:
            x0, top, x1, bottom = x * scale, y * scale, (x + w) * scale, (y + h) * scale
            if orientation == "h":
                top = bottom = (top + bottom) / 2
            else:
                x0 = x1 = (x0 + x1) / 2
            edges.append({"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0,
                          "height": bottom - top, "orientation": orientation, "object_type": "line"})
    return edges


def ocr_pdf_pages(path: Path, pages: list[int], dpi: int = DPI, always: bool = False,
                  progress: PageCallback | None = None) -> list[OcrPage]:
    """Render and OCR the given 1-based pages of a PDF, in order (pages that cannot show text are skipped
    unless ``always``). ``progress`` (default: the one set by :func:`page_progress`) is told of each page."""
    import pypdfium2 as pdfium

    progress = progress or _page_callback.get()

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:
        raise CorruptFileError(path, Message("error.pdf_unparseable", detail=f"{type(exc).__name__}: {exc}")) from exc
    out: list[OcrPage] = []
    try:
        _tell(progress, 0, len(pages), 0)
        for done, number in enumerate(pages, 1):
            _extend_time_limit(PAGE_SECONDS)
            page = pdf[number - 1]
            try:
                if not always and not _may_show_text(page):
                    out.append(OcrPage(page=number))  # drawn without text or images: nothing to read
                else:
                    bitmap = page.render(scale=dpi / 72)
                    image = bitmap.to_numpy()
                    if image.ndim == 3 and image.shape[2] == 4:
                        image = image[:, :, :3]
                    out.append(recognise(image, number, 72 / dpi))
            except NlpError:
                raise  # named errors, and a per-file time limit expiring, are not "OCR failed"
            except Exception as exc:
                raise CorruptFileError(path, Message("error.ocr_failed", page=number,
                                                     detail=f"{type(exc).__name__}: {exc}")) from exc
            finally:
                page.close()
            _tell(progress, done, len(pages), number)
    finally:
        pdf.close()
    return out


def _may_show_text(page: Any) -> bool:
    """True when a page without a text layer may still show text: an image (a scan), or many paths
    (text converted to outlines). A page of a few ruled boxes or nothing at all is not worth OCR."""
    import pypdfium2.raw as pdfium_c

    paths = 0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH), max_depth=4):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            return True
        paths += 1
        if paths >= OUTLINE_PATHS:
            return True
    return False


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


def ocr_pages(path: Path, doc: RawDocument, without_text: list[int], mode: str | None = None,
              progress: PageCallback | None = None) -> list[int]:
    """OCR the pages of ``doc`` the mode calls for and put their lines in place.

    ``without_text`` are the 1-based pages with no usable text layer. Returns the
    pages still without text (all of them when OCR is off or not installed).
    ``progress`` (default: the one set by :func:`page_progress`) is told of each page OCR'd.
    """
    mode = mode or mode_from_env()
    if mode == "never" or not available():
        return without_text
    pages = list(range(1, doc.page_count + 1)) if mode == "always" else list(without_text)
    if not pages:
        return without_text
    results = ocr_pdf_pages(path, pages, always=mode == "always", progress=progress)
    read = [r for r in results if r.lines]
    # The scanned pages' own text column (their margins need not match the text pages').
    mark_layout([line for r in read for line in r.lines])
    for result in read:
        _replace_page(doc, result.page, result.lines, result.tables, drop_tables=mode == "always")
    if read:
        confidence = statistics.fmean(r.confidence for r in read)
        doc.warnings.append(str(Message("warning.ocr_pages", pages=page_ranges([r.page for r in read]),
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
        record.lines, record.tables, record.confidence = len(r.lines), len(r.tables), round(r.confidence, 4)
    done = {r.page for r in read}
    return [p for p in without_text if p not in done]


def _replace_page(doc: RawDocument, page: int, lines: list[Line], tables: list[RawTable], drop_tables: bool) -> None:
    """Put ``lines`` (and ``tables``, positioned among them) in place of page ``page``'s lines."""
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
    for table in tables:
        table.position += at
    doc.tables = sorted(doc.tables + tables, key=lambda t: (t.position, t.page or 0))

