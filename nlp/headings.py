"""Tell headings from paragraphs: section numbers, page layout, contents pages.

A numbered line is a heading only when it says one short thing on a line of
its own; a run of numbered items side by side (（一）…；（二）…；) is a list,
whatever the length of each item. A line without a number is a heading when
the page sets it apart: a larger font, bold, or centred in the text column.
Contents pages (目录) are recognised so their entries do not become the outline.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from nlp.normalize import squeeze
from nlp.readers.raw import Line

_CN = "一二三四五六七八九十百零〇"
# Numbering styles of headings, most specific first: (style, pattern).
NUMBERING: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(rf"^第[{_CN}\d]+(?:部分|章|节)\s*")),
    ("cn", re.compile(rf"^[{_CN}]{{1,3}}\s*[、.．]\s*")),
    ("cn-paren", re.compile(rf"^[（(]\s*[{_CN}]{{1,3}}\s*[)）]\s*[、.．]?\s*")),
    ("arabic", re.compile(r"^\d{1,2}\s*(?:[、]|[.．](?!\d+[%％万亿个项件元次])\s*)")),
    ("arabic-paren", re.compile(r"^[（(]\s*\d{1,2}\s*[)）]\s*")),
    ("circled", re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]\s*")),
)
NUMBERING_BY_STYLE = dict(NUMBERING)
# "一是 … 二是 …" open paragraphs of a list; they number paragraphs, not sections.
ITEM = re.compile(rf"^(?:[{_CN}]{{1,3}}是|其[{_CN}]{{1,2}}是|首先|其次|再次|最后)[，,：:]?")
TERMINAL = re.compile(r"[。！？；!?;…]['\"”’）)」』】]*$")
COLON_END = re.compile(r"[：:]$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CONTENTS = re.compile(r"^目\s*录$")
_AMOUNT = re.compile(r"\d(?:[\d,.]*\d)?\s*(?:万元|亿元|千元|元|%|％|个|件|项|人|次|辆|台|套|宗|场)|\d[\d,]*\.\d{2}(?!\d)")
_LEADER_DOTS = re.compile(r"[.．·…]{2,}.*$")
_LEADER = re.compile(r"(?:[.．·…\s]{3,}|\s)\d{1,3}$")


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
    """Return (style, numbering, title) if ``text`` reads as a heading line, else None.

    A numbered line is a heading when what follows the number is short and
    says one thing; a numbered line that goes on to report, or an item that
    ends a clause of a list (；), is a paragraph.

    >>> heading_of("1.提高政治站位，全面从严治党取得新成效。")
    ('arabic', '1.', '提高政治站位，全面从严治党取得新成效')
    >>> heading_of("（3）数字资源梳理服务：完成了两个部门的职能清单及数字资源清单服务；") is None
    True
    >>> heading_of("（二）领导或者主持本级人民代表大会代表的选举；") is None
    True
    """
    found = numbering_of(text)
    if found is None:
        if docx_level is not None and len(text) <= 60:
            return f"h{docx_level}", None, text.strip()
        return None
    style, marker = found
    title = NUMBERING_BY_STYLE[style].sub("", text.strip(), count=1).strip()
    if re.search(r"[；;]$", title):
        return None
    body = TERMINAL.sub("", COLON_END.sub("", title))
    if not body or len(body) > 40 or re.search(r"[。；;！？]", body) or re.search(r"[：:].{4,}", body):
        return None
    if len(_CJK.findall(body)) < 2:  # "6. 2 0.21%": a decimal split by a space, not a section
        return None
    if _AMOUNT.search(body):  # "（2）公务用车运行维护费预算支出183.6万元": it reports, it does not title
        return None
    return style, marker, body


@dataclass
class Layout:
    """What the page geometry says about lines: the body font size and each page's text column."""

    body_size: float | None = None
    columns: dict[int | None, tuple[float, float]] = field(default_factory=dict)

    @classmethod
    def of(cls, lines: list[Line]) -> Layout:
        sized = [(line.box[2], len(line.text)) for line in lines if line.box is not None]
        if not sized:
            return cls()
        weights: dict[float, int] = {}
        for size, count in sized:
            weights[round(size, 1)] = weights.get(round(size, 1), 0) + count
        body = max(weights, key=lambda s: weights[s])
        by_page: dict[int | None, list[tuple[float, float, float]]] = {}
        for line in lines:
            if line.box is not None:
                by_page.setdefault(line.page, []).append(line.box)
        columns = {}
        for page, boxes in by_page.items():
            body_boxes = [b for b in boxes if abs(b[2] - body) <= 0.5] or boxes
            left = min(b[0] for b in body_boxes)
            rights = sorted(b[1] for b in body_boxes)
            columns[page] = (left, statistics.median(rights[len(rights) // 2:]))
        return cls(body, columns)

    def larger(self, line: Line) -> bool:
        """The line is set in a font clearly larger than the body text."""
        return bool(line.box and self.body_size and line.box[2] >= self.body_size * 1.15)

    def centred(self, line: Line) -> bool:
        """The line stands in the middle of its page's text column, clear of both edges."""
        given = line.centred
        if given is not None:
            return bool(given)
        if line.box is None or line.page not in self.columns:
            return False
        left, right = self.columns[line.page]
        x0, x1, size = line.box
        if right - left < 10 * size or x1 - x0 > 0.8 * (right - left):
            return False
        return x0 - left > 2.5 * size and right - x1 > 2.5 * size and \
            abs((x0 + x1) / 2 - (left + right) / 2) <= 1.5 * size

    def reaches_right(self, line: Line, chars: float = 3.0) -> bool:
        """The line runs to within ``chars`` characters of its column's right edge (ragged right included)."""
        if line.box is None or line.page not in self.columns:
            return bool(line.full)
        return self.columns[line.page][1] - line.box[1] < chars * line.box[2]

    def display(self, line: Line) -> bool:
        """The line is set apart from body text by its size or position (a title or heading line)."""
        if len(_CJK.findall(line.text)) < 2:  # stray quote marks or digits a reader set on a line of their own
            return False
        return self.centred(line) or self.larger(line)

    def bold(self, line: Line) -> bool:
        return bool(line.bold)


def contents_lines(lines: list[Line]) -> set[int]:
    """Return the indices of a table of contents' lines: the 目录 line and its entries.

    Entries run from the 目录 line to the line that repeats the first entry
    (where the report itself starts), or to the first line of body text.
    """
    found: set[int] = set()
    for start, line in enumerate(lines):
        if not _CONTENTS.match(squeeze(line.text)):
            continue
        entries: list[int] = []
        first: str | None = None
        for i in range(start + 1, min(len(lines), start + 80)):
            text = squeeze(lines[i].text)
            key = _entry_key(text)
            if first is not None and key == first:
                break
            if _body_like(text) and not _LEADER.search(lines[i].text.strip()):
                break
            page, start_page = lines[i].page, line.page
            if page is not None and start_page is not None and page > start_page + 2:
                break
            dotted = sum(1 for k in entries if _LEADER_DOTS.search(lines[k].text) or _LEADER.search(lines[k].text.strip()))
            if entries and dotted > len(entries) // 2 and lines[i].page != lines[entries[-1]].page \
                    and not (_LEADER_DOTS.search(lines[i].text) or _LEADER.search(lines[i].text.strip())):
                break  # entries with leaders ended on the page before
            if first is None and key:
                first = key
            entries.append(i)
        if len(entries) >= 2:
            found.add(start)
            found.update(entries)
    # Lines with dot leaders and a page number are contents entries wherever they stand.
    found.update(i for i, line in enumerate(lines) if re.search(r"[.．·…]{4,}\s*\d{1,3}$", line.text.strip()))
    return found


def _entry_key(text: str) -> str:
    return re.sub(r"[\s.．·…]+", "", _LEADER.sub("", _LEADER_DOTS.sub("", text)))


def _body_like(text: str) -> bool:
    text = _LEADER_DOTS.sub("", text)
    return len(text) > 45 or bool(re.search(r"[。；].", text))
