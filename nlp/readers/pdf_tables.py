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

#: A page with more ruling edges than this is a drawing (a chart's grid, a map), not a table.
MAX_EDGES = 6_000
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


def _finder(geometry: _Geometry) -> Any:
    """Return pdfplumber's ``TableFinder`` for ``geometry``, with its two quadratic steps done in n log n.

    Intersections and cells are the same as pdfplumber's (the same points, the
    same smallest cells); only the search for them is indexed.
    """
    from pdfplumber.table import Table, TableFinder, TableSettings

    class Finder(TableFinder):
        def __init__(self, page: Any) -> None:
            self.page = page
            self.settings = TableSettings.resolve({})
            self.edges = self.get_edges()
            self.intersections = _intersections(self.edges, self.settings.intersection_x_tolerance,
                                                self.settings.intersection_y_tolerance)
            self.cells = _cells(self.intersections)
            self.tables = [Table(self.page, group) for group in _cells_to_tables(self.cells)]

    return Finder(geometry)


def _intersections(edges: list[dict[str, Any]], x_tol: float, y_tol: float) -> dict[tuple[float, float], dict[str, list[Any]]]:
    """pdfplumber's ``edges_to_intersections``, with the horizontal edges searched by their y."""
    v_edges = sorted((e for e in edges if e["orientation"] == "v"), key=lambda e: (e["x0"], e["top"]))
    h_edges = sorted((e for e in edges if e["orientation"] == "h"), key=lambda e: (e["top"], e["x0"]))
    tops = [h["top"] for h in h_edges]
    out: dict[tuple[float, float], dict[str, list[Any]]] = {}
    for v in v_edges:
        lo = bisect.bisect_left(tops, v["top"] - y_tol)
        hi = bisect.bisect_right(tops, v["bottom"] + y_tol)
        for h in h_edges[lo:hi]:
            if h["x0"] - x_tol <= v["x0"] <= h["x1"] + x_tol:
                vertex = (v["x0"], h["top"])
                if vertex not in out:
                    out[vertex] = {"v": [], "h": []}
                out[vertex]["v"].append(v)
                out[vertex]["h"].append(h)
    return out


def _cells(intersections: dict[tuple[float, float], dict[str, list[Any]]]) -> list[tuple[float, float, float, float]]:
    """pdfplumber's ``intersections_to_cells``, with the points below and right of a point looked up, not searched."""
    def boxes(edges: list[dict[str, Any]]) -> frozenset[tuple[float, float, float, float]]:
        return frozenset((e["x0"], e["top"], e["x1"], e["bottom"]) for e in edges)

    vset = {p: boxes(d["v"]) for p, d in intersections.items()}
    hset = {p: boxes(d["h"]) for p, d in intersections.items()}

    def connects(p1: tuple[float, float], p2: tuple[float, float]) -> bool:
        if p1[0] == p2[0] and not vset[p1].isdisjoint(vset[p2]):
            return True
        return p1[1] == p2[1] and not hset[p1].isdisjoint(hset[p2])

    points = sorted(intersections)
    by_x: dict[float, list[tuple[float, float]]] = {}
    by_y: dict[float, list[tuple[float, float]]] = {}
    for pt in points:  # sorted by (x, y): each list is in the order pdfplumber scans it
        by_x.setdefault(pt[0], []).append(pt)
    for pt in sorted(points, key=lambda p: (p[1], p[0])):
        by_y.setdefault(pt[1], []).append(pt)
    cells = []
    for pt in points:
        column, row = by_x[pt[0]], by_y[pt[1]]
        below = column[bisect.bisect_right(column, pt):]
        right = row[bisect.bisect_right(row, pt[0], key=lambda p: p[0]):]
        found = None
        for below_pt in below:
            if not connects(pt, below_pt):
                continue
            for right_pt in right:
                if not connects(pt, right_pt):
                    continue
                corner = (right_pt[0], below_pt[1])
                if corner in intersections and connects(corner, right_pt) and connects(corner, below_pt):
                    found = (pt[0], pt[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _cells_to_tables(cells: list[tuple[float, float, float, float]]) -> list[list[tuple[float, float, float, float]]]:
    """pdfplumber's ``cells_to_tables``: cells sharing a corner form one table (a union-find, not repeated scans)."""
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[float, float], int] = {}
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            j = owner.setdefault(corner, i)
            if j != i:
                parent[root(i)] = root(j)
    groups: dict[int, list[tuple[float, float, float, float]]] = {}
    for i, cell in enumerate(cells):
        groups.setdefault(root(i), []).append(cell)
    tables = sorted(groups.values(), key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


def find_tables(chars: list[Char], edges: list[dict[str, Any]], width: float, height: float) -> list[FoundTable]:
    """Return the tables the edges rule, with the text of their cells."""
    edges = [e for e in edges if e["x1"] >= -1 and e["x0"] <= width + 1 and e["bottom"] >= -1 and e["top"] <= height + 1]
    h = sum(1 for e in edges if e["orientation"] == "h")
    if h < 2 or len(edges) - h < 2 or len(edges) > MAX_EDGES:
        return []
    finder = _finder(_Geometry(edges, width, height))
    closing = _closing_edges(finder.tables, edges)
    if closing:
        finder = _finder(_Geometry(edges + closing, width, height))
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
