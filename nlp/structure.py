"""Recover a report's structure from the lines a reader returned.

Real extractions break sentences at every visual line and page, repeat page
headers and numbers, and flatten tables into tab-separated lines. This stage
drops the page furniture, puts flattened tables back together, re-joins
paragraphs, recognises the heading hierarchy (一、 > （一） > 1. > （1） by order
of first appearance) and reads the metadata the report states about itself.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from nlp.document import Metadata, Paragraph, Report, Section, Table
from nlp.normalize import join_lines, squeeze
from nlp.readers.raw import Line, RawDocument, RawTable
from nlp.tables import indicator_grid, is_text_table_line, split_cells, stitch

_CN = "一二三四五六七八九十百零〇"
# Numbering styles of headings, most specific first: (style, pattern).
NUMBERING: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(rf"^第[{_CN}\d]+(?:部分|章|节)\s*")),
    ("cn", re.compile(rf"^[{_CN}]{{1,3}}\s*[、.．]\s*")),
    ("cn-paren", re.compile(rf"^[（(]\s*[{_CN}]{{1,3}}\s*[)）]\s*")),
    ("arabic", re.compile(r"^\d{1,2}\s*(?:[、]|[.．](?!\d+[%％万亿个项件元次])\s*)")),
    ("arabic-paren", re.compile(r"^[（(]\s*\d{1,2}\s*[)）]\s*")),
    ("circled", re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]\s*")),
)
# "一是 … 二是 …" open paragraphs of a list; they number paragraphs, not sections.
ITEM = re.compile(rf"^(?:[{_CN}]{{1,3}}是|其[{_CN}]{{1,2}}是|首先|其次|再次|最后)[，,：:]?")
_TERMINAL = re.compile(r"[。！？；!?;…]['\"”’）)」』】]*$")
_COLON_END = re.compile(r"[：:]$")
_FIELD = re.compile(r"^(?P<key>[\u4e00-\u9fff（）()]{2,14})\s*[：:]\s*(?P<value>\S.{0,40})$")
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~\s]*\d{1,4}[-—–－~\s]*|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|[Pp]age\s*\d+(?:\s*of\s*\d+)?)$")
_PUNCT = re.compile(r"[，。；：！？、,.;:!?]")
_SCORE = re.compile(r"自评(?:总?得分|总分|分数|结果|结论)?(?:为|是|[：:])?\s*(\d{1,3}(?:\.\d{1,2})?)\s*分")
_YEAR = re.compile(r"(20\d{2})\s*年度")
_DATE = re.compile(r"(20\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
DEPARTMENT_KEYS = ("部门名称", "单位名称", "部门（单位）名称", "部门(单位)名称", "预算部门", "预算单位", "项目单位", "主管部门")
YEAR_KEYS = ("评价年度", "所属年度", "年度", "自评年度")
DATE_KEYS = ("填报日期", "报告日期", "日期")


@dataclass
class _Block:
    lines: list[Line]
    text: str
    kind: str = "paragraph"  # paragraph | heading | field | title | caption
    style: str | None = None
    numbering: str | None = None
    heading: str | None = None
    tables: list[RawTable] = field(default_factory=list)


def numbering_of(text: str) -> tuple[str, str] | None:
    """Return (style, marker) when ``text`` opens with a section number.

    >>> numbering_of("（二）年度总体工作和重点工作任务")
    ('cn-paren', '（二）')
    >>> numbering_of("2.84亿元") is None
    True
    """
    for style, pattern in NUMBERING:
        match = pattern.match(text)
        if match:
            return style, match.group(0).strip()
    return None


def heading_of(text: str, docx_level: int | None = None) -> tuple[str, str | None, str] | None:
    """Return (style, numbering, title) if ``text`` is a heading line, else None.

    A numbered line is a heading when what follows the number is short and
    says one thing; a numbered line that goes on to report is a paragraph.

    >>> heading_of("1.提高政治站位，全面从严治党取得新成效。")
    ('arabic', '1.', '提高政治站位，全面从严治党取得新成效')
    >>> heading_of("（3）数字资源梳理服务：完成了两个部门的职能清单及数字资源清单服务；") is None
    True
    """
    found = numbering_of(text)
    if found is None:
        if docx_level is not None and len(text) <= 60:
            return f"h{docx_level}", None, text.strip()
        return None
    style, marker = found
    title = text[len(text) - len(text.lstrip()):].strip()
    title = NUMBERING_BY_STYLE[style].sub("", title, count=1).strip()
    body = _TERMINAL.sub("", _COLON_END.sub("", title))
    if not body or len(body) > 40 or re.search(r"[。；;！？]", body) or re.search(r"[：:].{4,}", body):
        return None
    return style, marker, body


NUMBERING_BY_STYLE = dict(NUMBERING)


def recover(raw: RawDocument, report: Report) -> Report:
    """Fill ``report`` with the text, sections, paragraphs, tables and metadata of ``raw``."""
    drop = _furniture(raw.lines)
    report.furniture = [{"page": raw.lines[i].page, "text": raw.lines[i].text} for i in sorted(drop)]
    lines = _keep(raw.lines, drop, raw.tables)
    lines, text_tables = _lift_text_tables(lines, raw.tables)
    tables = stitch(sorted(raw.tables + text_tables, key=lambda t: t.position))
    blocks = _blocks(lines, _uses_indent(lines))
    _attach_tables(blocks, tables)
    _build(blocks, report)
    return report


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


def _blocks(lines: list[Line], indent: bool) -> list[_Block]:
    blocks: list[_Block] = []
    for line in lines:
        text = squeeze(line.text)
        if not text:
            continue
        prev = blocks[-1] if blocks else None
        if prev is not None and _continues(prev, line, text, indent):
            prev.lines.append(line)
            prev.text = join_lines(prev.text, text)
            if prev.kind == "heading" and heading_of(prev.text, line.heading_level) is None:
                prev.kind = "paragraph"  # it went on: a numbered paragraph, not a heading
            continue
        blocks.append(_start(line, text, first=not blocks))
    for block in blocks:
        if block.kind == "heading":
            found = heading_of(block.text, block.lines[0].heading_level)
            if found is None:  # grew into a paragraph after joining
                block.kind = "paragraph"
            else:
                block.style, block.numbering, block.heading = found
    for block, nxt in zip(blocks, blocks[1:]):
        # A short numbered line followed by a numbered paragraph of the same
        # style is an item of a list, not a heading with no content.
        if block.kind == "heading" and nxt.kind == "paragraph" and block.style == _style(nxt.text):
            block.kind = "paragraph"
    for block in blocks:
        if block.kind == "paragraph":
            number = numbering_of(block.text)
            item = ITEM.match(block.text)
            block.numbering = number[1] if number else (item.group(0).rstrip("，,：:") if item else None)
    return blocks


def _style(text: str) -> str | None:
    found = numbering_of(text)
    return found[0] if found else None


def _start(line: Line, text: str, first: bool) -> _Block:
    if heading_of(text, line.heading_level):
        return _Block([line], text, kind="heading")
    if _FIELD.match(text) and not _PUNCT.search(_FIELD.match(text).group("value")):  # type: ignore[union-attr]
        return _Block([line], text, kind="field")
    if first and len(text) <= 40 and not _PUNCT.search(text):
        return _Block([line], text, kind="title")
    return _Block([line], text)


def _continues(prev: _Block, line: Line, text: str, indent: bool) -> bool:
    """Return True when ``line`` goes on with the paragraph ``prev``."""
    last = prev.lines[-1]
    if last.hard_break or prev.kind in ("field", "title") or line.heading_level is not None:
        return False
    if prev.kind == "heading" and (last.full is not True or heading_of(prev.text) is None):
        return False
    wrapped = indent and last.full is True and not line.indented
    if _TERMINAL.search(prev.text) or _COLON_END.search(prev.text):
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
        elif block.kind == "heading":
            front = False
            style = block.style or "h"
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
    _metadata(report)


def _is_caption(block: _Block) -> bool:
    return bool(block.tables) and len(block.text) <= 60 and not re.search(r"[，。；]", block.text)


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


def _metadata(report: Report) -> None:
    meta: Metadata = report.metadata
    fields = meta.fields
    meta.department = next((fields[k] for k in DEPARTMENT_KEYS if fields.get(k)), None)
    if meta.department is None and meta.title:
        match = re.match(r"^(.{2,30}?(?:局|委员会|委|办公室|中心|政府|厅|院|所|站|队))", meta.title)
        meta.department = match.group(1) if match else None
    date_text = next((fields[k] for k in DATE_KEYS if fields.get(k)), None)
    match = _DATE.search(date_text or "")
    if match:
        meta.filled_date = f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3)):02d}"
    year_text = next((fields[k] for k in YEAR_KEYS if fields.get(k)), None)
    year = re.search(r"20\d{2}", year_text or "") or _YEAR.search(meta.title or "")
    if year:
        meta.year = int(year.group(1) if year.lastindex else year.group(0))
    else:
        years = Counter(int(y) for y in _YEAR.findall(report.text[:20000]))
        if years:
            meta.year = years.most_common(1)[0][0]
        elif meta.filled_date:
            meta.year = int(meta.filled_date[:4]) - 1
    for paragraph in report.paragraphs:
        match = _SCORE.search(paragraph.text)
        if match:
            from decimal import Decimal

            meta.score = Decimal(match.group(1))
            break
