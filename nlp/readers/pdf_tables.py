"""Find ruled tables in PDFium's page geometry with pdfplumber's table algorithm, without pdfminer.

pdfplumber's ``TableFinder`` merges edges, finds their intersections, the
cells they enclose and the tables the cells form; it reads only ``edges`` and
``bbox`` from the page it is given, so the edges PDFium found in the page's
path objects can stand in for pdfminer's. Cell text is taken from PDFium's
characters (content order), each character going to the one cell its centre
falls in. A "table" of one column, or whose cells hold sentences, is a box
drawn round text: it is given back as text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from nlp.readers.pdfium import Char, cell_text

_SENTENCE = re.compile(r"[。；！？]|，.*，")


@dataclass
class FoundTable:
    """A table kept from a page: its box, cell texts by row, and the characters it took."""

    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    rows: list[list[str]]
    #: x of the column boundaries, left to right (to match a table continued on the next page).
    columns: list[float]
    taken: set[int] = field(default_factory=set)


class _Geometry:
    """The part of a pdfplumber page that ``TableFinder`` reads."""

    def __init__(self, edges: list[dict[str, Any]], width: float, height: float) -> None:
        self.edges = edges
        self.bbox = (0.0, 0.0, width, height)
        self.chars: list[dict[str, Any]] = []


def find_tables(chars: list[Char], edges: list[dict[str, Any]], width: float, height: float) -> list[FoundTable]:
    """Return the tables the edges rule, with the text of their cells."""
    from pdfplumber.table import TableFinder

    edges = [e for e in edges if e["x1"] >= -1 and e["x0"] <= width + 1 and e["bottom"] >= -1 and e["top"] <= height + 1]
    h = sum(1 for e in edges if e["orientation"] == "h")
    if h < 2 or len(edges) - h < 2:
        return []
    finder = TableFinder(_Geometry(edges, width, height), {})  # type: ignore[arg-type]
    closing = _closing_edges(finder.tables, edges)
    if closing:
        finder = TableFinder(_Geometry(edges + closing, width, height), {})  # type: ignore[arg-type]
    out: list[FoundTable] = []
    for table in finder.tables:
        found = _fill(table, chars)
        if found is not None:
            out.append(found)
    return out


def _closing_edges(tables: list[Any], edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the borders a page break left open: a table whose column rules run on below its last
    (or above its first) horizontal rule has a row there, cut by the edge of the page."""
    out: list[dict[str, Any]] = []
    for table in tables:
        x0, top, x1, bottom = table.bbox
        rules = [e for e in edges if e["orientation"] == "v" and x0 - 3 <= e["x0"] <= x1 + 3
                 and e["top"] <= bottom and e["bottom"] >= top]
        below = [e["bottom"] for e in rules if e["bottom"] > bottom + 5]
        above = [e["top"] for e in rules if e["top"] < top - 5]
        for ys, y in ((below, max(below, default=0.0)), (above, min(above, default=0.0))):
            if len(ys) >= 2:
                out.append({"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0,
                            "orientation": "h", "object_type": "line"})
    return out


def _fill(table: Any, chars: list[Char]) -> FoundTable | None:
    x0, top, x1, bottom = table.bbox
    rows = table.rows
    if not rows:
        return None
    grid: list[list[tuple[float, float, float, float] | None]] = [list(r.cells) for r in rows]
    width = max(len(r) for r in grid)
    row_tops = [r.bbox[1] for r in rows]
    xs = sorted({cell[0] for row in grid for cell in row if cell is not None})
    buckets: dict[tuple[int, int], list[Char]] = {}
    taken: set[int] = set()
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        if not (x0 <= cx <= x1 and top <= cy <= bottom):
            continue
        r = bisect.bisect_right(row_tops, cy) - 1
        place = None
        while r >= 0 and place is None:
            for c, cell in enumerate(grid[r]):
                if cell is not None and cell[0] <= cx <= cell[2] and cell[1] <= cy <= cell[3]:
                    place = (r, c)
                    break
            r -= 1  # a cell merged over rows is listed in its first row only
        if place is None:
            # A slot with no cell of its own (a border the generator left open,
            # as on the first row of a table continued from the previous page):
            # the row and column it falls in.
            r = max(0, bisect.bisect_right(row_tops, cy) - 1)
            c = max(0, min(width - 1, bisect.bisect_right(xs, cx) - 1))
            place = (r, c)
        buckets.setdefault(place, []).append(ch)
        taken.add(ch.index)
    if not taken:
        return None
    texts = [["" for _ in range(width)] for _ in grid]
    for (r, c), cell_chars in buckets.items():
        cell_chars.sort(key=lambda ch: ch.index)
        texts[r][c] = cell_text(cell_chars)
    used_columns = {c for row in texts for c, text in enumerate(row) if text}
    filled = [text for row in texts for text in row if text]
    # One column, or cells that hold sentences: a box drawn round text.
    if len(used_columns) < 2:
        return None
    sentences = sum(1 for text in filled if len(text) >= 30 and _SENTENCE.search(text))
    if sentences >= 0.5 * len(filled):
        return None
    columns = sorted({round(cell[0], 1) for row in grid for cell in row if cell is not None} | {round(x1, 1)})
    return FoundTable(bbox=(x0, top, x1, bottom), rows=texts, columns=columns, taken=taken)
