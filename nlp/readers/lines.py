"""Turn positioned pieces of text into the visual lines every reader returns.

OCR gives one box per run of recognised text and OFD one text object per run
or per character; both know where each piece sits on its page. This module
groups the pieces of one page into visual lines (top to bottom, left to
right), joins them with a tab where a wide gap says the line is a row of a
table without rules, and marks each line ``indented``/``full`` against the
document's text column, as the PDF reader does.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from nlp.readers.raw import Line

_WORD_END = re.compile(r"[A-Za-z0-9%.,]$")
_WORD_START = re.compile(r"^[A-Za-z0-9(]")


@dataclass
class Piece:
    """A run of text and where it sits on its page (points, origin at the top left)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    #: Font size in points; the box's height when the source does not say.
    size: float = 0.0

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 0.1)

    @property
    def font(self) -> float:
        return self.size or self.height


def group_lines(pieces: list[Piece], page: int | None, tab_gap: float = 2.5) -> list[Line]:
    """Return the visual lines of one page's pieces, top to bottom.

    Pieces whose vertical middles fall inside one another's height share a
    line. Within a line a gap wider than ``tab_gap`` font sizes becomes a tab
    (cells of a table drawn without rules); a gap between two Latin words or
    numbers a space; Chinese text joins directly.

    >>> lines = group_lines([Piece("年度", 10, 10, 30, 22, 12), Piece("目标", 31, 11, 51, 23, 12),
    ...                      Piece("指标", 10, 40, 30, 52, 12), Piece("95%", 120, 40, 140, 52, 12)], page=1)
    >>> [line.text for line in lines]
    ['年度目标', '指标\\t95%']
    >>> lines[0].box
    (10.0, 51.0, 12.0)
    """
    rows: list[list[Piece]] = []
    for piece in sorted((p for p in pieces if p.text.strip()), key=lambda p: (p.top + p.bottom) / 2):
        middle = (piece.top + piece.bottom) / 2
        if rows:
            row = rows[-1]
            top = statistics.median(p.top for p in row)
            bottom = statistics.median(p.bottom for p in row)
            row_middle = (top + bottom) / 2
            if top <= middle <= bottom or piece.top <= row_middle <= piece.bottom:
                row.append(piece)
                continue
        rows.append([piece])
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda p: p.left)
        size = statistics.median(p.font for p in row)
        text = row[0].text.strip()
        for prev, piece in zip(row, row[1:]):
            gap = piece.left - prev.right
            part = piece.text.strip()
            if gap > tab_gap * size:
                text += "\t" + part
            elif gap > 0.25 * size and _WORD_END.search(text) and _WORD_START.search(part):
                text += " " + part
            else:
                text += part
        lines.append(Line(text, page=page, box=(float(row[0].left), float(max(p.right for p in row)), float(size)),
                          top=float(min(p.top for p in row))))
    return lines


def mark_layout(lines: list[Line]) -> None:
    """Set ``indented`` and ``full`` of positioned lines from the text column of the whole document.

    >>> lines = [Line("x" * 40, box=(72, 500, 12)), Line("x" * 10, box=(72, 200, 12)),
    ...          Line("x" * 38, box=(96, 500, 12))]
    >>> mark_layout(lines)
    >>> [(line.indented, line.full) for line in lines]
    [(False, True), (False, False), (True, True)]
    """
    boxes = [line.box for line in lines if line.box is not None and "\t" not in line.text]
    if not boxes:
        return
    lefts = sorted(b[0] for b in boxes)
    # The column's left edge: where the bulk of lines start (a stray line
    # further left, such as a page number in the margin, does not move it).
    left = lefts[len(lefts) // 10]
    rights = sorted(b[1] for b in boxes)
    # The right edge: most lines of running text reach it, a few overhang it
    # with punctuation, short last lines stop before it.
    right = statistics.median(rights[len(rights) // 2:])
    middle = (left + right) / 2
    for line in lines:
        if line.box is not None:
            x0, x1, size = line.box
            line.indented = x0 - left > 1.2 * size
            line.full = right - x1 < 1.5 * size
            line.centred = not line.full and x0 - left > 2 * size and abs((x0 + x1) / 2 - middle) < 1.5 * size
