"""Recover a report's structure from the lines a reader returned.

Real extractions break sentences at every visual line and page, repeat page
headers and numbers, and flatten tables into tab-separated lines. This stage
drops the page furniture, sets contents pages aside, puts flattened tables back
together, re-joins paragraphs, recognises the heading hierarchy (一、 > （一） >
1. > （1） by order of first appearance, and headings the layout sets apart)
and reads the metadata the report states about itself (:mod:`nlp.metadata`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from nlp.document import Paragraph, Report, Section, Table
from nlp.headings import (COLON_END, ITEM, NUMBERING, NUMBERING_BY_STYLE, TERMINAL, Layout, contents_lines,
                          heading_of, numbering_of)
from nlp.metadata import DATE, read_metadata
from nlp.normalize import join_lines, squeeze
from nlp.readers.raw import Line, RawDocument, RawTable
from nlp.tables import indicator_grid, is_text_table_line, split_cells, stitch

__all__ = ["NUMBERING", "NUMBERING_BY_STYLE", "heading_of", "numbering_of", "recover"]

_TERMINAL = TERMINAL
_COLON_END = COLON_END
_FIELD = re.compile(r"^(?P<key>[\u4e00-\u9fff（）()]{2,14})\s*[：:]\s*(?P<value>\S.{0,40})$")
_VALUE_TAIL = re.compile(r"\s*单位\s*[：:]\s*\S{1,4}$")
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~─\s]*\d{1,4}[-—–－~─\s]*|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|[Pp]age\s*\d+(?:\s*of\s*\d+)?)$")
_PUNCT = re.compile(r"[，。；：！？、,.;:!?]")


@dataclass
class _Block:
    lines: list[Line]
    text: str
    kind: str = "paragraph"  # paragraph | heading | field | title | contents | anchor
    style: str | None = None
    numbering: str | None = None
    heading: str | None = None
    tables: list[RawTable] = field(default_factory=list)


@dataclass
class _Context:
    """What the whole document says about its lines: indents, layout, contents entries."""

    indent: bool
    layout: Layout
    contents: set[int] = field(default_factory=set)  # ids of the lines of contents pages
    pitch: dict[int | None, float] = field(default_factory=dict)  # usual line pitch of each page
    spacing: bool = False  # paragraphs are set apart by vertical space


def recover(raw: RawDocument, report: Report) -> Report:
    """Fill ``report`` with the text, sections, paragraphs, tables and metadata of ``raw``."""
    drop = _furniture(raw.lines)
    report.furniture = [{"page": raw.lines[i].page, "text": raw.lines[i].text} for i in sorted(drop)]
    contents = {id(raw.lines[i]) for i in contents_lines(raw.lines) if i not in drop}
    lines = _keep(raw.lines, drop, raw.tables)
    lines, text_tables = _lift_text_tables(lines, raw.tables)
    tables = stitch(sorted(raw.tables + text_tables, key=lambda t: t.position))
    pitch = _pitches(lines)
    context = _Context(_uses_indent(lines), Layout.of(lines), contents, pitch, _uses_spacing(lines, pitch))
    blocks = _blocks(lines, context)
    _attach_tables(blocks, tables)
    _resolve(blocks, context)
    report.metadata.fields.update(raw.fields)
    report.ocr_pages = [{"page": p.page, "ocr": True, "confidence": p.confidence} for p in raw.pages if p.reader == "ocr"]
    _build(blocks, report)
    read_metadata(report, _cover(lines, context))
    return report


def _cover(lines: list[Line], context: _Context) -> list[str]:
    """The lines of the first page set apart from body text (title, body, date of a cover)."""
    if not lines:
        return []
    first = lines[0].page
    return [squeeze(line.text) for line in lines if line.page == first and context.layout.display(line)
            and id(line) not in context.contents][:8]


def _keep(lines: list[Line], drop: set[int], tables: list[RawTable]) -> list[Line]:
    """Return the lines not in ``drop``, moving table positions to match."""
    for table in tables:
        table.position -= sum(1 for i in drop if i < table.position)
    return [line for i, line in enumerate(lines) if i not in drop]


def _furniture(lines: list[Line]) -> set[int]:
    """Return the indices of page numbers and headers/footers repeated at the edges of pages."""
    by_page: dict[int | None, list[int]] = {}
    for i, line in enumerate(lines):
        by_page.setdefault(line.page, []).append(i)
    edges: set[int] = set()
    for indices in by_page.values():
        edges.update(indices[:2] + indices[-2:])
    drop = {i for i in edges if _PAGE_NUMBER.match(lines[i].text.strip()) and lines[i].page is not None}
    drop |= {i for i, line in enumerate(lines) if line.hard_break is False and line.page is None
             and _PAGE_NUMBER.match(line.text.strip())}
    pages = [p for p in by_page if p is not None]
    if len(pages) >= 2:
        shapes: Counter[str] = Counter()
        for indices in by_page.values():
            for i in {indices[0], indices[-1]}:
                shapes[_shape(lines[i].text)] += 1
        # The same short line at the edge of most pages is a running header or footer.
        common = {s for s, n in shapes.items() if n >= max(2, (len(pages) - 1) // 2) and len(s) < 60}
        for indices in by_page.values():
            drop.update(i for i in (indices[0], indices[-1]) if _shape(lines[i].text) in common)
    return drop


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", squeeze(text))


def _lift_text_tables(lines: list[Line], others: list[RawTable]) -> tuple[list[Line], list[RawTable]]:
    """Take flattened tables (tab or | delimited runs of lines) out of the line list."""
    lifted: set[int] = set()
    tables: list[RawTable] = []
    i = 0
    while i < len(lines):
        cells = split_cells(lines[i].text) if is_text_table_line(lines[i].text) else []
        if sum(1 for c in cells if c) < 3:
            i += 1
            continue
        rows: list[list[str]] = []
        pages: list[int] = []
        position = i - len(lifted)
        while i < len(lines) and (is_text_table_line(lines[i].text) or "\t" in lines[i].text):
            rows.append(split_cells(lines[i].text))
            page = lines[i].page
            if page is not None and page not in pages:
                pages.append(page)
            lifted.add(i)
            i += 1
        tables.append(RawTable(rows=rows, page=pages[0] if pages else None, pages=pages, position=position,
                               origin="text"))
    return _keep(lines, lifted, others), tables


def _uses_indent(lines: list[Line]) -> bool:
    """Return True when the file marks paragraph starts with a first-line indent."""
    known = [line for line in lines if line.indented is not None and not line.hard_break]
    if len(known) < 5:
        return False
    after_end = [nxt.indented for prev, nxt in zip(known, known[1:])
                 if _TERMINAL.search(prev.text) and prev.full is False]
    return len(after_end) >= 2 and sum(bool(x) for x in after_end) >= 0.6 * len(after_end)


def _blocks(lines: list[Line], context: _Context) -> list[_Block]:
    blocks: list[_Block] = []
    for line in lines:
        text = squeeze(line.text)
        if not text:
            continue
        prev = blocks[-1] if blocks else None
        if prev is not None and _continues(prev, line, text, context):
            prev.lines.append(line)
            prev.text = join_lines(prev.text, text)
            if prev.kind == "heading" and heading_of(prev.text, line.heading_level) is None:
                prev.kind = "paragraph"  # it went on: a numbered paragraph, not a heading
            continue
        blocks.append(_start(line, text, first=not blocks, context=context))
    return blocks


def _resolve(blocks: list[_Block], context: _Context) -> None:
    """Decide which blocks are headings: numbered lines that stand alone, lines the layout sets apart."""
    for block in blocks:
        if block.kind == "heading":
            found = heading_of(block.text, block.lines[0].heading_level)
            if found is None:  # grew into a paragraph after joining
                block.kind = "paragraph"
            else:
                block.style, block.numbering, block.heading = found
    _lists_stay_paragraphs(blocks)
    _empty_headings_are_items(blocks)
    _lists_stay_paragraphs(blocks)  # the siblings of an item found empty are items too
    for i, block in enumerate(blocks):
        if block.kind == "paragraph" and _set_apart(block, context.layout) and _body_follows(blocks, i):
            block.kind, block.style, block.heading = "heading", "display", block.text
    for block in blocks:
        if block.kind == "paragraph":
            number = numbering_of(block.text)
            item = ITEM.match(block.text)
            block.numbering = number[1] if number else (item.group(0).rstrip("，,：:") if item else None)


def _lists_stay_paragraphs(blocks: list[_Block]) -> None:
    """Numbered blocks side by side with the same numbering form one list: if any is a paragraph, all are.

    "（二）领导或者主持本级人民代表大会代表的选举；" between two long items is an
    item, not a heading: headings have body text between them, items do not.
    """
    text_blocks = [b for b in blocks if b.kind in ("paragraph", "heading")]
    i = 0
    while i < len(text_blocks):
        style = _style(text_blocks[i].text)
        j = i + 1
        while style is not None and j < len(text_blocks) and _style(text_blocks[j].text) == style \
                and not (text_blocks[j - 1].tables and text_blocks[j - 1].kind == "heading"):
            j += 1
        run = text_blocks[i:j]
        # Headings have body text under them; three or more side by side, or items closed by a
        # full stop, are the entries of a list ("1.办公室" "2.法律政策研究室" …).
        bare = len(run) >= 3 or (len(run) >= 2 and any(re.search(r"[。.]$", b.text) for b in run))
        if len(run) >= 2 and (bare or any(b.kind == "paragraph" for b in run)):
            for block in run:
                if block.kind == "heading" and block.lines and block.lines[0].heading_level is None:
                    block.kind = "paragraph"
                    _take_rest(blocks, block)
        i = j


def _empty_headings_are_items(blocks: list[_Block]) -> None:
    """A numbered heading with nothing under it, the next block a heading of its level or above, is an item.

    "（二）下属事业单位" / "1.清风苑杂志社" / "2.国家检察官学院江苏分院" / "（三）派出机构": the
    units' names are entries of a list, not sections without a word in them.
    """
    rank: dict[str, int] = {}
    for block in blocks:
        if block.kind == "heading" and block.style:
            rank.setdefault(block.style, len(rank))
    text_blocks = [b for b in blocks if b.kind in ("paragraph", "heading")]
    for block, nxt in zip(text_blocks, text_blocks[1:]):
        if block.kind != "heading" or block.tables or block.style in (None, "part", "display") \
                or not block.lines or block.lines[0].heading_level is not None:
            continue
        if nxt.kind == "heading" and nxt.style in rank and rank[nxt.style] <= rank[block.style]:
            block.kind = "paragraph"


def _take_rest(blocks: list[_Block], item: _Block) -> None:
    """A list item first taken for a heading keeps the unnumbered line that finishes its sentence.

    "5、…行政单位离退休" / "（项）。主要用于：…": the item stopped short of the edge only
    because its next word did not fit.
    """
    index = next(i for i, b in enumerate(blocks) if b is item)
    nxt = blocks[index + 1] if index + 1 < len(blocks) else None
    if nxt is None or nxt.kind != "paragraph" or item.tables or not nxt.lines or not item.lines:
        return
    if _TERMINAL.search(item.text) or _COLON_END.search(item.text) or numbering_of(nxt.text) or ITEM.match(nxt.text):
        return
    if nxt.lines[0].indented or item.lines[-1].page != nxt.lines[0].page:
        return
    item.lines += nxt.lines
    item.text = join_lines(item.text, nxt.text)
    item.tables += nxt.tables
    del blocks[index + 1]


def _set_apart(block: _Block, layout: Layout) -> bool:
    """A short unnumbered line (or two) in a larger font, bold or centred: a heading by its layout."""
    text = block.text
    if not block.lines or block.tables or len(text) > 40 or len(text) < 2 or numbering_of(text) or ITEM.match(text):
        return False
    if re.search(r"[，。；：,;:！？!?]", text) or DATE.search(text) or _PAGE_NUMBER.match(text):
        return False
    if re.search(r"图$|^图\s*\d*\s*[：:]?|^表\s*\d", text):  # a figure's or table's caption
        return False
    return all(layout.display(line) for line in block.lines) or all(layout.bold(line) for line in block.lines)


def _body_follows(blocks: list[_Block], i: int) -> bool:
    """The block after ``i`` is body text (a paragraph of some length) or a numbered heading."""
    for nxt in blocks[i + 1:i + 2]:
        if nxt.kind == "heading" and nxt.numbering is not None:
            return True
        return nxt.kind == "paragraph" and len(nxt.text) >= 15 and not nxt.tables
    return False


def _style(text: str) -> str | None:
    found = numbering_of(text)
    return found[0] if found else None


def _start(line: Line, text: str, first: bool, context: _Context) -> _Block:
    if id(line) in context.contents:
        return _Block([line], text, kind="contents")
    if first and len(text) <= 40 and not _PUNCT.search(text) and \
            (context.layout.display(line) or not heading_of(text, line.heading_level)):
        return _Block([line], text, kind="title")
    if heading_of(text, line.heading_level):
        return _Block([line], text, kind="heading")
    field_match = _FIELD.match(text)
    if field_match and not _PUNCT.search(_VALUE_TAIL.sub("", field_match.group("value"))):
        return _Block([line], text, kind="field")
    return _Block([line], text)


def _continues(prev: _Block, line: Line, text: str, context: _Context) -> bool:
    """Return True when ``line`` goes on with the block ``prev``."""
    last = prev.lines[-1]
    layout = context.layout
    if id(line) in context.contents or prev.kind in ("contents", "field") or last.hard_break \
            or line.heading_level is not None:
        return False
    if prev.kind == "title":
        return _title_goes_on(prev, line, text, layout)
    shown, was_shown = layout.display(line), layout.display(last)
    # A full line that has not ended its sentence goes on, whatever glyphs the next line is set in.
    mid_sentence = last.full is True and not _TERMINAL.search(prev.text) and prev.kind != "heading"
    # A full-width heading line whose last words wrapped onto a centred line ("…决算情况" / "说明").
    wrapped_title = prev.kind == "heading" and last.full is True and layout.centred(line) \
        and numbering_of(text) is None and not _PUNCT.search(text) and len(prev.text) + len(text) <= 60
    if wrapped_title:
        return True
    if shown != was_shown and not (mid_sentence and not line.indented and numbering_of(text) is None):
        # A line set apart from the text around it (a heading, a title) stands on its own.
        if (shown and len(text) <= 40) or (was_shown and len(prev.text) <= 60):
            return False
    elif shown and last.box and line.box and abs(last.box[2] - line.box[2]) < 0.5 and line.page == last.page \
            and not _TERMINAL.search(prev.text) and numbering_of(text) is None and len(prev.text) + len(text) <= 60:
        return True  # a heading set over two lines
    if prev.kind == "heading":
        # A numbered first line that runs to the right edge and goes on unbroken is a paragraph's start.
        runs_on = last.full is True or (layout.reaches_right(last) and not line.indented and not shown
                                        and not _TERMINAL.search(prev.text) and numbering_of(text) is None)
        if not runs_on or heading_of(prev.text) is None or (context.indent and line.indented):
            return False
    if _spaced(last, line, context):
        return False  # a wider gap than the lines' pitch: the paragraph ended
    if context.spacing and last.full and _close_below(last, line, context) and not shown \
            and numbering_of(text) is None and not ITEM.match(text):
        return True  # paragraphs are set apart by space, and none stands between these lines
    indent = context.indent
    wrapped = indent and last.full is True and not line.indented
    if not indent and last.full and re.search(r"[；;]$", prev.text) and not layout.display(line):
        # Without indents a clause ending at the right edge says nothing: the list item numbers do.
        return numbering_of(text) is None and not ITEM.match(text)
    if _TERMINAL.search(prev.text) or _COLON_END.search(prev.text):
        # Over a page break a paragraph whose last line reaches the edge goes on, unless the next
        # line is indented, numbered or a heading.
        wrapped = wrapped or (last.full is True and line.page != last.page and line.indented is False and not shown)
        return wrapped and numbering_of(text) is None and not ITEM.match(text)
    if re.match(r"^\d+[.．]\d", text):  # a decimal cut by the break: "2.84亿元"
        return True
    if numbering_of(text) or ITEM.match(text):
        return False
    if indent and line.indented and last.full is False:
        return False
    if line.blank_before and len(prev.text) <= 30 and not _PUNCT.search(prev.text):
        return False  # a short unpunctuated line on its own: a caption or title
    return True


def _spaced(last: Line, line: Line, context: _Context) -> bool:
    """The gap above ``line`` is clearly wider than the usual distance between lines of its page."""
    top, before = line.top, last.top
    pitch = context.pitch.get(line.page)
    if top is None or before is None or pitch is None or line.page != last.page:
        return False
    return top - before > 1.4 * pitch


def _close_below(last: Line, line: Line, context: _Context) -> bool:
    top, before = line.top, last.top
    pitch = context.pitch.get(line.page)
    return None not in (top, before, pitch) and line.page == last.page and 0 < top - before <= 1.15 * pitch  # type: ignore[operator]


def _uses_spacing(lines: list[Line], pitch: dict[int | None, float]) -> bool:
    """Return True when the file sets paragraphs apart by space: most lines that stop short are followed by a gap."""
    ends = spaced = 0
    for a, b in zip(lines, lines[1:]):
        p = pitch.get(a.page)
        if a.full is False and a.page == b.page and p is not None and a.top is not None and b.top is not None \
                and len(a.text) > 8:
            ends += 1
            spaced += b.top - a.top > 1.4 * p
    return ends >= 5 and spaced >= 0.6 * ends


def _pitches(lines: list[Line]) -> dict[int | None, float]:
    """The usual distance from one line's top to the next's, page by page (where readers give ``top``)."""
    steps: dict[int | None, list[float]] = {}
    for a, b in zip(lines, lines[1:]):
        ta, tb = a.top, b.top
        if ta is not None and tb is not None and a.page == b.page and tb > ta:
            steps.setdefault(a.page, []).append(tb - ta)
    return {page: sorted(s)[len(s) // 2] for page, s in steps.items() if len(s) >= 4}


def _title_goes_on(prev: _Block, line: Line, text: str, layout: Layout) -> bool:
    """A cover title set over several lines ("上海市普陀区财政局" / "2024年度部门决算") is one title."""
    last = prev.lines[-1]
    if not (layout.display(line) and layout.display(last)) or line.page != last.page:
        return False
    if _PUNCT.search(text) or numbering_of(text) or DATE.search(text) or re.fullmatch(r"目\s*录", text):
        return False
    return len(prev.lines) < 4 and len(prev.text) + len(text) <= 60


def _attach_tables(blocks: list[_Block], tables: list[RawTable]) -> None:
    """Hang each table on the block it follows (line positions become block positions)."""
    if not tables:
        return
    starts, count = [], 0
    for block in blocks:
        starts.append(count)
        count += len(block.lines)
    for table in tables:
        index = max((i for i, s in enumerate(starts) if s < table.position), default=-1)
        if index < 0:
            blocks.insert(0, _Block([], "", kind="anchor"))
            starts.insert(0, 0)
            index = 0
        blocks[index].tables.append(table)


def _build(blocks: list[_Block], report: Report) -> None:
    parts: list[str] = []
    offset = 0
    stack: list[tuple[str, Section]] = []
    front = True

    def add(text: str) -> tuple[int, int]:
        nonlocal offset
        start = offset
        parts.append(text)
        offset += len(text) + 1
        return start, start + len(text)

    for block in blocks:
        page = block.lines[0].page if block.lines else None
        if block.kind == "title" and report.metadata.title is None:
            report.metadata.title = block.text
            add(block.text)
        elif block.kind == "field" and front:
            match = _FIELD.match(block.text)
            assert match is not None
            report.metadata.fields[match.group("key")] = match.group("value").strip()
            add(block.text)
        elif block.kind == "contents":
            add(block.text)
        elif block.kind == "heading":
            front = False
            style = block.style or "h"
            if style == "display":  # set apart by layout: a top-level part of the report
                while stack and stack[-1][0] != "part":
                    stack.pop()
            while stack and style in [s for s, _ in stack] and stack[-1][0] != style:
                stack.pop()
            if stack and stack[-1][0] == style:
                stack.pop()
            start, end = add(block.text)
            section = Section(id=f"s{len(report.sections) + 1:03d}", heading=block.heading or block.text,
                              level=len(stack) + 1, numbering=block.numbering, page=page, start=start, end=end,
                              parent=stack[-1][1].id if stack else None)
            report.sections.append(section)
            stack.append((style, section))
        elif block.kind != "anchor":
            if block.kind == "paragraph" and _is_caption(block):
                add(block.text)
            else:
                start, end = add(block.text)
                report.paragraphs.append(Paragraph(
                    id=f"p{len(report.paragraphs) + 1:04d}", text=block.text,
                    section=stack[-1][1].id if stack else None,
                    section_path=[s.heading for _, s in stack], page=page, start=start, end=end,
                    numbering=block.numbering))
        for raw in block.tables:
            report.tables.append(_table(raw, block, stack, len(report.tables) + 1))
    report.text = "\n".join(parts)


def _is_caption(block: _Block) -> bool:
    """A short title over a table; a sentence leading into it ("…单位包括：") stays a paragraph."""
    return bool(block.tables) and len(block.text) <= 60 and not re.search(r"[，。；]", block.text) \
        and not _COLON_END.search(block.text)


def _table(raw: RawTable, block: _Block, stack: list[tuple[str, Section]], number: int) -> Table:
    grid = indicator_grid(raw.rows, flattened=raw.origin == "text")
    if grid is not None:
        header, rows, kind = grid[0], grid[1], "indicator"
    else:
        width = max(len(r) for r in raw.rows)
        padded = [[squeeze(c) for c in r] + [""] * (width - len(r)) for r in raw.rows]
        header, rows, kind = padded[0], padded[1:], "other"
    return Table(id=f"t{number:02d}", kind=kind, header=header, rows=rows,
                 caption=block.text if _is_caption(block) else None,
                 section=stack[-1][1].id if stack else None, page=raw.page, pages=list(raw.pages) or
                 ([raw.page] if raw.page else []), origin=raw.origin)
