"""Read one PDF page with PDFium (pypdfium2): characters, ruling lines, lines of text.

PDFium returns the characters of a page in the order the content stream draws
them, each with its box and font; that order keeps a line whole where a
position sort would pull digits set in another font out of it. Ruling lines
and rectangles come from the page's path objects. Everything here is in
display coordinates: x from the left edge, ``top`` from the top edge of the
page as it is shown (after the page's /Rotate).

Characters PDFium makes up (line breaks, spaces it guesses from gaps, which it
puts at every CJK/digit boundary) are left out; a space is written only where
the source has one or where a visible gap separates two non-CJK characters
(two numbers) or is wider than a character.
"""

from __future__ import annotations

import bisect
import ctypes
import heapq
import re
import statistics
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pr


class Char:
    """One character of the text layer, in display coordinates."""

    __slots__ = ("text", "x0", "x1", "top", "bottom", "size", "weight", "index")
    #: ``weight`` is -1 until asked for (:func:`font_weight`): most characters never need it.

    def __init__(self, text: str, x0: float, x1: float, top: float, bottom: float, size: float, weight: int,
                 index: int) -> None:
        self.text = text
        self.x0 = x0
        self.x1 = x1
        self.top = top
        self.bottom = bottom
        self.size = size
        self.weight = weight
        self.index = index

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Char({self.text!r}, {self.x0:.1f}-{self.x1:.1f}, {self.top:.1f}-{self.bottom:.1f})"


@dataclass
class PageGeometry:
    """What PDFium gives for one page: characters (content order), edges, size, fonts."""

    chars: list[Char]
    edges: list[dict[str, Any]]
    width: float
    height: float
    #: Characters whose font has no usable Unicode map.
    unmapped: int
    #: Font name of a character index (filled on demand by :func:`font_name`).
    textpage: Any = None


def is_cjk(ch: str) -> bool:
    """Return True for a CJK ideograph or CJK/full-width punctuation."""
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or 0x3000 <= o <= 0x303F \
        or 0x20000 <= o <= 0x2FA1F


class _Transform:
    """Map PDF user space (origin bottom left) to display space (origin top left, after /Rotate)."""

    def __init__(self, left: float, bottom: float, right: float, top: float, rotation: int) -> None:
        self.left, self.bottom = left, bottom
        self.w, self.h = right - left, top - bottom
        self.rotation = rotation % 360
        if self.rotation in (90, 270):
            self.width, self.height = self.h, self.w
        else:
            self.width, self.height = self.w, self.h

    def point(self, x: float, y: float) -> tuple[float, float]:
        x -= self.left
        y -= self.bottom
        r = self.rotation
        if r == 0:
            return x, self.h - y
        if r == 90:
            return y, x
        if r == 180:
            return self.w - x, y
        return self.h - y, self.w - x

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """Return (x0, x1, top, bottom) in display space of a user-space box."""
        ax, ay = self.point(left, bottom)
        bx, by = self.point(right, top)
        return min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)


def _transform(page: Any) -> _Transform:
    left, bottom, right, top = page.get_cropbox()
    return _Transform(left, bottom, right, top, page.get_rotation())


def page_geometry(page: Any, with_edges: bool = True) -> PageGeometry:
    """Return the characters and ruling edges of a pypdfium2 ``PdfPage``."""
    tf = _transform(page)
    textpage = page.get_textpage()
    tp = textpage.raw
    count = pr.FPDFText_CountChars(tp)
    text = textpage.get_text_range(0, count) if count > 0 else ""
    if len(text) != count:  # surrogate pairs or a short read: take the characters one by one
        text = "".join(chr(pr.FPDFText_GetUnicode(tp, i)) for i in range(count))
    rect = pr.FS_RECTF()
    rect_p = ctypes.byref(rect)
    chars: list[Char] = []
    seen: set[tuple[str, int, int]] = set()
    unmapped = 0
    is_generated, loose_box = pr.FPDFText_IsGenerated, pr.FPDFText_GetLooseCharBox
    map_error = pr.FPDFText_HasUnicodeMapError
    point = tf.point
    for i, ch in enumerate(text):
        if ch in "\r\n\x02\ufffe" or is_generated(tp, i):
            continue
        if not loose_box(tp, i, rect_p):
            continue
        ax, ay = point(rect.left, rect.bottom)
        bx, by = point(rect.right, rect.top)
        x0, x1 = (ax, bx) if ax <= bx else (bx, ax)
        top, bottom = (ay, by) if ay <= by else (by, ay)
        if not ch.isspace():
            key = (ch, round(x0), round(top))
            if key in seen:  # fake bold prints each character twice at almost the same place
                continue
            seen.add(key)
            if map_error(tp, i) == 1:
                unmapped += 1
        # The font size: the advance of an ideograph is one em; else the font's line height.
        size = x1 - x0 if 0x4E00 <= ord(ch) <= 0x9FFF else bottom - top
        chars.append(Char(ch, x0, x1, top, bottom, size, -1, i))
    edges = _edges(page, tf) if with_edges else []
    return PageGeometry(chars=chars, edges=edges, width=tf.width, height=tf.height, unmapped=unmapped,
                        textpage=textpage)


def font_weight(textpage: Any, char: Char) -> int:
    """Return the weight of ``char``'s font (400 regular, 700 bold; -1 unknown)."""
    if char.weight == -1:
        char.weight = int(pr.FPDFText_GetFontWeight(textpage.raw, char.index))
    return char.weight


def font_size(textpage: Any, char: Char) -> float:
    """Return the size ``char`` is set in (its font size times the scale of its text matrix)."""
    size = float(pr.FPDFText_GetFontSize(textpage.raw, char.index))
    m = pr.FS_MATRIX()
    if pr.FPDFText_GetMatrix(textpage.raw, char.index, ctypes.byref(m)):
        size *= abs(m.a * m.d - m.b * m.c) ** 0.5
    return size if size > 0 else char.size


def font_name(textpage: Any, index: int) -> tuple[str, int]:
    """Return the font name and PDFium's font flags of the character at ``index``."""
    flags = ctypes.c_int(0)
    buffer = ctypes.create_string_buffer(128)
    n = pr.FPDFText_GetFontInfo(textpage.raw, index, buffer, 128, ctypes.byref(flags))
    name = buffer.raw[:max(0, min(n, 128) - 1)].decode("utf-8", "replace") if n else ""
    return name, flags.value


#: Pages drawn with more objects than this are not searched for ruled tables.
MAX_OBJECTS = 40_000
_SUBSET = re.compile(rb"[A-Z]{6}\+")
#: How many of a page's ideographs have their boxes looked at before its text objects are searched (``glyphs_missing``).
_SAMPLE = 32


# -- ruling lines ----------------------------------------------------------------------------------

def _drawn_objects(page: Any) -> Iterator[tuple[Any, int, tuple[float, ...]]]:
    """Yield (object, its type, the matrix from its parent to the page) for every object the page draws,
    those inside form XObjects (to 8 levels) included, in content order; none on a page of more than
    ``MAX_OBJECTS`` objects (a drawing: a map, a chart)."""

    def walk(obj: Any, parent: tuple[float, ...], depth: int) -> Iterator[tuple[Any, int, tuple[float, ...]]]:
        kind = pr.FPDFPageObj_GetType(obj)
        if kind == pr.FPDF_PAGEOBJ_FORM and depth < 8:
            matrix = _compose(_matrix(obj), parent)
            for i in range(pr.FPDFFormObj_CountObjects(obj)):
                yield from walk(pr.FPDFFormObj_GetObject(obj, i), matrix, depth + 1)
        else:
            yield obj, kind, parent

    raw = page.raw
    count = pr.FPDFPage_CountObjects(raw)
    if count > MAX_OBJECTS:
        return
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for i in range(count):
        yield from walk(pr.FPDFPage_GetObject(raw, i), identity, 0)


def _edges(page: Any, tf: _Transform) -> list[dict[str, Any]]:
    """Return the horizontal and vertical edges drawn by the page's visible path objects (none on a
    drawing: its text is read, its lines are not)."""
    out: list[dict[str, Any]] = []
    for obj, kind, parent in _drawn_objects(page):
        if kind == pr.FPDF_PAGEOBJ_PATH:
            _path_edges(obj, parent, tf, out)
    return out


def glyphs_missing(page: Any, textpage: Any, chars: list[Char]) -> bool:
    """Whether PDFium lacks the glyphs of text drawn on the page, so that its text is incomplete.

    A font the file does not embed is drawn with one of this machine's fonts; where the machine
    has none for the script (a CJK font, on a system without one), PDFium gives the text
    zero-height boxes and leaves out text objects whose boxes come out empty (a cell's one
    character wrapped to a line of its own). A text object in such a font with visible text and
    no height is that sign; spaces, which have no height anywhere, are not. Only text in fonts
    the file does not embed is measured (most files embed all of theirs: the check costs them a
    font lookup per text object), and only where a sample of the page's ideographs (``chars``,
    from ``page_geometry``) holds one with a zero-height box.
    """
    ideographs = [c.index for c in chars if 0x4E00 <= ord(c.text[0]) <= 0x9FFF]
    step = max(1, len(ideographs) // _SAMPLE)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    sides = [ctypes.byref(v) for v in (left, right, bottom, top)]
    if not any(pr.FPDFText_GetCharBox(textpage.raw, i, *sides) and top.value - bottom.value < 0.01
               for i in ideographs[::step]):
        return False
    box = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(v) for v in box]
    system: dict[int | None, bool] = {}
    for obj, kind, _ in _drawn_objects(page):
        if kind != pr.FPDF_PAGEOBJ_TEXT:
            continue
        font = pr.FPDFTextObj_GetFont(obj)
        key = ctypes.cast(font, ctypes.c_void_p).value
        if key not in system:
            system[key] = _system_font(font)
        if not system[key] or not pr.FPDFPageObj_GetBounds(obj, *refs):
            continue
        if box[3].value - box[1].value >= 0.01:
            continue
        size = pr.FPDFTextObj_GetText(obj, textpage.raw, None, 0)
        if size <= 2:
            continue
        buffer = (ctypes.c_ushort * size)()
        pr.FPDFTextObj_GetText(obj, textpage.raw, buffer, size)
        if bytes(buffer).decode("utf-16-le", "replace").replace("\x00", "").strip():
            return True
    return False


def _system_font(font: Any) -> bool:
    """Whether a font is one the file names but does not embed (宋体, STSong-Light).

    A subset's name (``ABCDEF+…``) marks a font that was embedded: without its program the
    file is damaged, and no other reader draws it either.
    """
    if not font or pr.FPDFFont_GetIsEmbedded(font) != 0:
        return False
    size = pr.FPDFFont_GetBaseFontName(font, None, 0)
    name = ctypes.create_string_buffer(max(size, 1))
    if size:
        pr.FPDFFont_GetBaseFontName(font, name, size)
    return not _SUBSET.match(name.value)


def _compose(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    """Return the matrix applying ``m`` first, then ``n`` (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _matrix(obj: Any) -> tuple[float, ...]:
    m = pr.FS_MATRIX()
    if not pr.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _white(getter: Any, obj: Any) -> bool:
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if not getter(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
        return False
    return a.value == 0 or min(r.value, g.value, b.value) >= 245


def _path_edges(obj: Any, parent: tuple[float, ...], tf: _Transform, out: list[dict[str, Any]]) -> None:
    fill, stroke = ctypes.c_int(0), ctypes.c_int(0)
    if not pr.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        return
    filled, stroked = fill.value != pr.FPDF_FILLMODE_NONE, bool(stroke.value)
    # Invisible paths draw nothing; white boxes on white paper rule nothing either.
    if filled and _white(pr.FPDFPageObj_GetFillColor, obj):
        filled = False
    if stroked and _white(pr.FPDFPageObj_GetStrokeColor, obj):
        stroked = False
    if not (filled or stroked):
        return
    a, b, c, d, e, f = _compose(_matrix(obj), parent)
    x = ctypes.c_float()
    y = ctypes.c_float()
    xp, yp = ctypes.byref(x), ctypes.byref(y)
    start: tuple[float, float] | None = None
    prev: tuple[float, float] | None = None
    for s in range(pr.FPDFPath_CountSegments(obj)):
        seg = pr.FPDFPath_GetPathSegment(obj, s)
        if not seg or not pr.FPDFPathSegment_GetPoint(seg, xp, yp):
            continue
        px, py = x.value, y.value
        here = tf.point(a * px + c * py + e, b * px + d * py + f)
        kind = pr.FPDFPathSegment_GetType(seg)
        if kind == pr.FPDF_SEGMENT_MOVETO:
            start = prev = here
            continue
        if kind == pr.FPDF_SEGMENT_LINETO and prev is not None:
            _add_edge(prev, here, out)
        prev = here
        if pr.FPDFPathSegment_GetClose(seg) and start is not None:
            _add_edge(here, start, out)
            prev = start


def _add_edge(p: tuple[float, float], q: tuple[float, float], out: list[dict[str, Any]]) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y0 - y1) < 0.5 and abs(x0 - x1) >= 0.5:
        left, right = min(x0, x1), max(x0, x1)
        y = (y0 + y1) / 2
        out.append({"x0": left, "x1": right, "top": y, "bottom": y, "width": right - left, "height": 0.0,
                    "orientation": "h", "object_type": "line"})
    elif abs(x0 - x1) < 0.5 and abs(y0 - y1) >= 0.5:
        top, bottom = min(y0, y1), max(y0, y1)
        xm = (x0 + x1) / 2
        out.append({"x0": xm, "x1": xm, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top,
                    "orientation": "v", "object_type": "line"})


# -- lines of text ------------------------------------------------------------------------------------

def group_lines(chars: list[Char]) -> list[list[Char]]:
    """Return the visual lines of ``chars``: content-order runs, then runs on one baseline joined left to right."""
    runs: list[list[Char]] = []
    cur: list[Char] = []
    band = (0.0, 0.0)
    last: Char | None = None
    for ch in chars:
        if ch.text.isspace():
            if cur:
                cur.append(ch)
            continue
        mid = (ch.top + ch.bottom) / 2
        if cur and last is not None and band[0] <= mid <= band[1] and ch.x0 >= last.x0 - 0.5 * max(ch.size, 1.0):
            cur.append(ch)
            band = (min(band[0], ch.top) if ch.size >= last.size else band[0],
                    max(band[1], ch.bottom) if ch.size >= last.size else band[1])
        else:
            if cur:
                runs.append(cur)
            cur = [ch]
            band = (ch.top, ch.bottom)
        last = ch
    if cur:
        runs.append(cur)
    # Runs drawn apart but standing on one line (a label, then its value; quotes of a fallback font
    # drawn after the rest of their line) become one line.
    info = []
    for run in runs:
        solid = [c for c in run if not c.text.isspace()]
        info.append((statistics.median(c.top for c in solid), statistics.median(c.bottom for c in solid),
                     min(c.x0 for c in solid), max(c.x1 for c in solid), run))
    info.sort(key=lambda r: (r[0], r[2]))
    lines: list[list[tuple[float, float, float, float, list[Char]]]] = []
    woven: set[int] = set()
    for item in info:
        top, bottom, x0, x1, run = item
        placed = False
        for number in range(len(lines) - 1, max(len(lines) - 4, -1), -1):
            group = lines[number]
            gtop = statistics.median(g[0] for g in group)
            gbottom = statistics.median(g[1] for g in group)
            overlap = min(bottom, gbottom) - max(top, gtop)
            if overlap <= 0.6 * min(bottom - top, gbottom - gtop):
                continue
            apart = all(x0 >= g[3] - 1 or x1 <= g[2] + 1 for g in group)
            if apart or _fits_between(run, group):
                group.append(item)
                if not apart:
                    woven.add(number)
                placed = True
                break
        if not placed:
            lines.append([item])
    out = []
    for number, group in enumerate(lines):
        group.sort(key=lambda g: g[2])
        if number in woven:
            # Each run keeps its own (content) order; runs are interleaved by position.
            out.append(list(heapq.merge(*(g[4] for g in group), key=lambda c: c.x0)))
            continue
        merged: list[Char] = []
        for g in group:
            merged.extend(g[4])
        out.append(merged)
    return out


def _fits_between(run: list[Char], group: list[tuple[float, float, float, float, list[Char]]]) -> bool:
    """Tell whether every character of ``run`` stands in a gap of the line ``group`` (covers no glyph of it)."""
    spans = sorted((c.x0, c.x1) for g in group for c in g[4] if not c.text.isspace())
    starts = [s[0] for s in spans]
    for ch in run:
        if ch.text.isspace():
            continue
        width = ch.x1 - ch.x0
        at = bisect.bisect_left(starts, ch.x1)
        # Spans starting before ch.x1 and ending after ch.x0 cover part of it; look back a few.
        for a, b in spans[max(at - 3, 0):at]:
            covered = min(b, ch.x1) - max(a, ch.x0)
            if covered > 0.3 * max(min(width, b - a), 0.1):
                return False
    return True


def line_text(chars: list[Char]) -> str:
    """Return the text of a line's characters with the spaces the source has or its gaps call for."""
    return _joined(chars, _line_space)


def cell_text(chars: list[Char]) -> str:
    """Return the text of a table cell: its characters in content order, wrapped lines joined."""
    return _joined(chars, _cell_space)


def _joined(chars: list[Char], space: Callable[[Char, Char, bool], bool]) -> str:
    """Join characters in content order, with a space where ``space(prev, ch, source_had_one)`` says."""
    parts: list[str] = []
    prev: Char | None = None
    pending_space = False
    for ch in chars:
        if ch.text.isspace():
            pending_space = prev is not None
            continue
        if prev is not None and space(prev, ch, pending_space):
            parts.append(" ")
        parts.append(ch.text)
        prev = ch
        pending_space = False
    return "".join(parts).strip()


def _line_space(prev: Char, ch: Char, pending_space: bool) -> bool:
    gap = ch.x0 - prev.x1
    size = max(min(ch.size, prev.size), 1.0)
    if ch.top > prev.bottom - 0.3 * size and ch.x0 < prev.x0:
        return False  # wrapped inside a cell: a line break is not content
    return pending_space or gap > 1.0 * size or (gap > 0.25 * size and not is_cjk(prev.text[-1])
                                                 and not is_cjk(ch.text[0]))


def _cell_space(prev: Char, ch: Char, pending_space: bool) -> bool:
    same_line = ch.top < prev.bottom - 0.3 * max(prev.size, 1.0)
    gap = ch.x0 - prev.x1
    size = max(min(ch.size, prev.size), 1.0)
    return same_line and (gap > 1.0 * size or (pending_space and not (is_cjk(prev.text) or is_cjk(ch.text)))
                          or (gap > 0.25 * size and not is_cjk(prev.text) and not is_cjk(ch.text)))


def open_document(path: Any) -> Any:
    """Open a PDF with PDFium (raises ``pdfium.PdfiumError``)."""
    return pdfium.PdfDocument(str(path))
