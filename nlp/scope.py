"""Say what a number belongs to: its line item, year, fund and stage, so that only like is compared with like.

A quantity's *measure* is its metric plus its :class:`Scope`:

- ``item``: the line item or 科目 it is stated for — a 类/款/项 chain
  (“一般公共服务支出（类）统计信息事务（款）统计管理（项）”) or quoted subject in
  the sentence before it, else the list item that opens its paragraph
  (``（一）因公出国（境）费0万元``), else the table row it stands in;
- ``year``: the year it is stated for (2024年, 上年 → the report year − 1);
  numbers with no year of their own take the report's year;
- ``fund``: the fund scope named before it (财政拨款, 一般公共预算, 政府性基金,
  国有资本经营, 其他资金, 收支总计);
- ``stage``: which figure of a budget it is (年初预算, 调整预算, 预算, 执行,
  决算), when the metric says so.

Two quantities measure the same thing only when all of these agree; values of
different items or years are never compared.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from nlp.document import Paragraph, Report
from nlp.quantities import Quantity

_SENTENCE_END = "。；;！？!?\n"
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s?年(?!\d)(?:度)?")
_PRIOR = re.compile(r"上年|上一年度?|去年|上年度|前一年")
_CURRENT = re.compile(r"本年度?|当年|今年|全年")
# A year inside a comparison names the base of a change, not the number after it.
_COMPARED = re.compile(r"(?:比|较|与|同比|相比|对比)\s?$")
_FUNDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("收支总计", re.compile(r"收支(?:预算)?总计|收入、支出(?:预算)?总计|收、支(?:预算)?总计|预算总计|收支总预算")),
    ("一般公共预算", re.compile(r"一般公共预算")),
    ("政府性基金", re.compile(r"政府性基金")),
    ("国有资本经营", re.compile(r"国有资本经营")),
    ("财政拨款", re.compile(r"财政拨款|财政补助")),
    ("其他资金", re.compile(r"其他资金|其他收入|事业收入|经营收入|上年结转|结余")),
)
_STAGES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("年初预算", re.compile(r"年初预算|预算批复|批复预算|年初批复")),
    ("调整预算", re.compile(r"调整预算|全年预算|调整后预算")),
    ("执行", re.compile(r"执行数|执行总额|预算执行|实际执行|实际支出")),
    ("决算", re.compile(r"决算")),
    ("预算", re.compile(r"预算")),
)
_CHAIN = re.compile(r"(?:[\u4e00-\u9fff、（）()]{2,30}?[（(]\d{0,3}类[）)])?(?:[\u4e00-\u9fff、（）()]{2,30}?[（(]\d{0,3}款[）)])?"
                    r"[\u4e00-\u9fff、（）()]{2,30}?[（(]\d{0,3}(?:项|款|类)[）)]")
_QUOTED = re.compile(r"[“\"]([^”\"]{2,60})[”\"]")
_LIST_HEAD = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）.、．]\s?、?)+")
_ITEM_END = re.compile(r"[：:，,。；;]|\d|[（(](?:类|款|项)[）)]$")
_LINE_ITEM = re.compile(r"(?:费|支出|经费|资金|收入|科目|拨款|项目|补助|补贴|保险|公积金|资产|运行)(?:预算|决算|安排)?(?:数)?$")
_GENERIC_ITEM = re.compile(r"^(?:其中|此外|同时|另外|主要|具体|包括|基本情况|收入|支出|预算|决算|情况|说明)")
_YEAR_WORDS = re.compile(r"(?:19|20)\d{2}\s?年(?:度|初|底|末)?|上年度?|上一年度?|去年|本年度?|当年|今年|全年")
_FUND_WORDS = re.compile("|".join(p.pattern for _, p in _FUNDS))
_FILLER = re.compile(r"本部门|本单位|部门|单位|我局|本局|安排的?|的|为|是|共|合计|总额|总数|数$|额$|[“”\"（）()、]")


@dataclass(frozen=True)
class Scope:
    """What a number is stated for, beside its metric."""

    item: str | None = None
    section: str | None = None
    year: int | None = None
    fund: tuple[str, ...] = ()
    stage: str | None = None
    unit: str = ""
    table: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item, "section": self.section, "year": self.year, "fund": list(self.fund), "stage": self.stage,
                "unit": self.unit, "table": self.table}


def report_year(report: Report) -> int | None:
    """Return the year the report is about: its metadata year, else the year its title or first lines name most."""
    title = _YEAR.search(report.metadata.title or "")
    if title:
        return int(title.group(1))
    if report.metadata.year:
        return report.metadata.year
    for head in (report.text[:200],):
        found = _YEAR.search(head)
        if found:
            return int(found.group(1))
    years = Counter(int(m.group(1)) for m in _YEAR.finditer(report.text[:3000]))
    return years.most_common(1)[0][0] if years else None


def sentence_bounds(text: str, position: int) -> tuple[int, int]:
    """Return the start and end of the sentence around ``position``."""
    start = max((text.rfind(ch, 0, position) for ch in _SENTENCE_END), default=-1) + 1
    ends = [i for i in (text.find(ch, position) for ch in _SENTENCE_END) if i >= 0]
    return start, (min(ends) + 1 if ends else len(text))


def year_of(text: str, position: int, default: int | None) -> int | None:
    """Return the year the number at ``position`` is stated for: the last year named before it in its sentence."""
    start, _ = sentence_bounds(text, position)
    before = text[start:position]
    best: tuple[int, int | None] | None = None
    for match in _YEAR.finditer(before):
        if _COMPARED.search(before[:match.start()]):
            continue
        best = (match.start(), int(match.group(1)))
    for match in _PRIOR.finditer(before):
        if _COMPARED.search(before[:match.start()]) or re.match(r"[^，,]{0,12}(?:相比|增加|减少|增长|下降|持平)",
                                                               before[match.end():]):
            continue
        if best is None or match.start() > best[0]:
            best = (match.start(), default - 1 if default else None)
    if best is None:
        return default
    return best[1]


def fund_of(context: str) -> tuple[str, ...]:
    """Return the fund scopes named in ``context`` (the number's sentence up to it and its metric)."""
    return tuple(sorted(name for name, pattern in _FUNDS if pattern.search(context)))


def stage_of(context: str) -> str | None:
    """Return which budget figure ``context`` names (年初预算, 调整预算, 执行, 决算, 预算), if any."""
    return next((name for name, pattern in _STAGES if pattern.search(context)), None)


def _clean_item(text: str) -> str | None:
    text = re.sub(r"\s+", "", text).strip("“”\"：:，,、")
    text = re.sub(r"[（(]\d{0,3}(?:类|款|项)[）)]", "/", text).strip("/")
    if len(text) < 2 or _GENERIC_ITEM.match(text):
        return None
    return text


def paragraph_item(paragraph: Paragraph) -> str | None:
    """Return the line item a numbered paragraph is about (``3.人大事务（款）人大会议（项）支出…`` → 人大事务/人大会议)."""
    text = paragraph.text
    head = _LIST_HEAD.match(text)
    if head is None and not paragraph.numbering:
        return None
    rest = text[head.end() if head else 0:]
    chain = _CHAIN.match(rest) or _CHAIN.match(rest.lstrip("“\""))
    if chain:
        return _clean_item(chain.group(0))
    quoted = re.match(r"[“\"]([^”\"]{2,60})[”\"]", rest)
    if quoted:
        return _clean_item(quoted.group(1))
    if re.match(r"^[一二三四五六七八九十]是", text):
        return None  # "一是…二是…" open topics of a narrative, not line items
    end = _ITEM_END.search(rest)
    phrase = rest[:end.start()] if end else rest[:30]
    # A list item names a line item when it is a short name of spending or income (因公出国（境）费, 基本支出).
    if len(phrase) > 24 or not _LINE_ITEM.search(phrase):
        return None
    return _clean_item(phrase)


def item_of(paragraph: Paragraph, position: int, paragraph_default: str | None) -> str | None:
    """Return the line item the number at ``position`` belongs to.

    The nearest 类/款/项 chain or quoted subject before it in its sentence wins;
    else the paragraph's own list item.
    """
    text = paragraph.text
    start, _ = sentence_bounds(text, position)
    before = text[start:position]
    found: str | None = None
    for match in _CHAIN.finditer(before):
        found = _clean_item(match.group(0))
    for match in _QUOTED.finditer(before):
        if re.search(r"[（(]\d{0,3}(?:类|款|项)[）)]", match.group(1)):
            found = _clean_item(match.group(1))
    return found or paragraph_default


def metric_core(metric: str) -> str:
    """Return the metric without years, funds, stage-neutral filler and item codes: what is counted."""
    core = _YEAR_WORDS.sub("", metric)
    core = _FUND_WORDS.sub("", core)
    core = _FILLER.sub("", core)
    return core


@dataclass
class Measured:
    """A quantity with where it stands and what it is stated for."""

    quantity: Quantity
    paragraph: Paragraph | None
    scope: Scope
    core: str
    context: str
    cell: tuple[str, Any, Any] | None = None  # (table id, row, column) for a table cell
    page: int | None = None


def _stated_years(text: str) -> list[int]:
    return [int(m.group(1)) for m in _YEAR.finditer(text) if not _COMPARED.search(text[:m.start()])]


_SUBLIST = re.compile(r"其中|包括|分别为|具体为")


def measure_paragraph(paragraph: Paragraph, year: int | None) -> list[Measured]:
    """Return every quantity of ``paragraph`` with its scope.

    In a line item's paragraph ("…（项）”25.77万元。2023年…执行数为60.13万元，2024年预算安排25.77万元")
    a figure with no year of its own is the latest year the paragraph states; parts
    listed after 其中/包括 are sub-items of their own.
    """
    default_item = paragraph_item(paragraph)
    default_year = year
    if default_item:
        stated = _stated_years(paragraph.text)
        if stated and (year is None or max(stated) > year):
            default_year = max(stated)
    out = []
    for quantity in paragraph.quantities:
        start, _ = sentence_bounds(paragraph.text, quantity.start)
        cut = max(paragraph.text.rfind(ch, start, quantity.start) for ch in "，,：:；;")
        context = paragraph.text[max(start, cut + 1):quantity.start]
        core = metric_core(quantity.metric)
        item = item_of(paragraph, quantity.start, default_item)
        since = paragraph.text.rfind("。", 0, quantity.start) + 1
        listing = None
        for listing in _SUBLIST.finditer(paragraph.text, since, quantity.start):
            pass
        if item == default_item and listing is not None:
            # A part of a listing is known by its whole and its own name (共有车辆8辆，其中：…其他用车8辆).
            whole = next((q for q in reversed(paragraph.quantities) if q.end <= listing.start()), None)
            parent = metric_core(whole.metric) if whole is not None else ""
            item = f"{default_item or ''}›{parent}›{core}"
        scope = Scope(item=item, section=paragraph.section if item else None,
                      year=year_of(paragraph.text, quantity.start, default_year),
                      fund=fund_of(context + quantity.metric),
                      stage=stage_of(context + quantity.metric),
                      unit=quantity.base_unit)
        out.append(Measured(quantity, paragraph, scope, core, context, page=paragraph.page))
    return out


def word_start(text: str, start: int) -> int:
    """Return ``start`` moved back to the beginning of the word it falls in (jieba's tokens of our segmenter).

    A metric cut out of its sentence by characters may begin inside a word
    ("火墙成功拦截…" of "防火墙成功拦截…"); findings and links show it from the word's start.
    """
    from nlp.segmentation import _tokenizer

    low = max(0, start - 12)
    position = low
    for word in _tokenizer().lcut(text[low:start + 12], HMM=False):
        if position <= start < position + len(word):
            return position if position < start and re.fullmatch(r"[\u4e00-\u9fff]+", word) else start
        position += len(word)
    return start


def display_metric(m: Measured) -> str:
    """Return the metric of ``m`` as a reader should see it: whole words, or the line item when it has none."""
    q, paragraph = m.quantity, m.paragraph
    if m.scope.item and "›" not in m.scope.item and (not q.metric or _GENERIC_ONLY.fullmatch(metric_core(q.metric))
                                                     or re.search(r"[（(]\d{0,3}[类款项][）)]", q.metric)):
        return m.scope.item
    if not q.metric or paragraph is None:
        return q.metric or (m.scope.item or "")
    text, metric = paragraph.text, q.metric
    # The phrase may be the words before the number and the counted noun after it (…拦截 6008 万次网络攻击行为).
    head = next((metric[:k] for k in range(len(metric), 1, -1) if text.rfind(metric[:k], 0, q.start) >= 0), "")
    if not head:
        return metric
    at = text.rfind(head, 0, q.start)
    shown = text[word_start(text, at):at] + metric
    tail = metric[len(head):]
    if tail:
        after = text.find(tail, q.end)
        if after >= 0:
            shown += text[after + len(tail):word_end(text, after + len(tail))]
    return shown


def word_end(text: str, end: int) -> int:
    """Return ``end`` moved forward to the end of the word it falls in."""
    from nlp.segmentation import _tokenizer

    low = max(0, end - 12)
    position = low
    for word in _tokenizer().lcut(text[low:end + 12], HMM=False):
        if position < end < position + len(word) and re.fullmatch(r"[\u4e00-\u9fff]+", word):
            return position + len(word)
        position += len(word)
    return end


_GENERIC_ONLY = re.compile(r"(?:预算|决算|执行数?|安排|支出|收入|拨款|科目|年初|全年|调整|完成|总计|批复|数|额|当年|资金|经费)*")


# --- table cells as quantities -----------------------------------------------------------------

_NUMBER_CELL = re.compile(r"^\s*-?\d{1,3}(?:,\d{3})*(?:\.\d+)?\s*$|^\s*-?\d+(?:\.\d+)?\s*$")
_CODE_CELL = re.compile(r"^\s*\d{3}(?:\d{2}){0,2}\s*$|^\s*\d{2}\s*$")
_TABLE_UNIT = re.compile(r"单位[:：]\s*(万元|元|亿元)")
_ROW_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])\s*")
_MULTIPLIERS = {"元": 1, "万元": 10000, "亿元": 100000000}


@dataclass
class Cell:
    """A numeric table cell read as a quantity: its row's item (and 类/款/项 chain) and its column's label."""

    table: str
    row: int
    column: int
    text: str
    value: Any  # Decimal as written
    decimals: int
    item: str
    chain: tuple[str, ...]
    label: str
    page: int | None


def row_label(text: str) -> str:
    """Return a row's name without its list numbering and spaces (一、基本支出 → 基本支出)."""
    return _ROW_NUMBERING.sub("", re.sub(r"\s+", "", text)).strip("：:")


def table_unit(table: Any) -> str | None:
    """Return the money unit a table states (单位：万元), if it does."""
    for text in [table.caption or "", *table.header]:
        found = _TABLE_UNIT.search(text or "")
        if found:
            return found.group(1)
    return None


def table_cells(table: Any) -> list[Cell]:
    """Return every numeric cell of a table with its row item and column label.

    Column labels join the header cells above (header rows and leading rows
    without numbers); a row's item is the text cell nearest to the left of the
    number; where the table has 类/款/项 code columns, the row also gets the
    chain of names of its class, 款 and 项.
    """
    from decimal import Decimal

    rows = [list(table.header)] + [list(r) for r in table.rows]
    width = max((len(r) for r in rows), default=0)
    labels = [""] * width
    body_start = 0
    for index, row in enumerate(rows):
        if any(_NUMBER_CELL.match(c or "") and not _CODE_CELL.match(c or "") for c in row):
            body_start = index
            break
        for column, cell in enumerate(row):
            text = re.sub(r"\s+", "", cell or "")
            if text and text not in labels[column]:
                labels[column] += text
    else:
        return []
    out: list[Cell] = []
    names: dict[str, str] = {}
    for index, row in enumerate(rows[body_start:], start=body_start):
        codes = [c.strip() for c in row[:3] if _CODE_CELL.match(c or "")]
        text_cells = [(i, row_label(c)) for i, c in enumerate(row) if c and not _NUMBER_CELL.match(c)
                      and not _CODE_CELL.match(c)]
        chain: tuple[str, ...] = ()
        if codes and text_cells:
            code = "".join(codes)
            names[code] = text_cells[0][1]
            chain = tuple(names.get(code[:k], "") for k in range(3, len(code) + 1, 2))
        for column, cell in enumerate(row):
            if not cell or not _NUMBER_CELL.match(cell) or _CODE_CELL.match(cell) and column < 3:
                continue
            left = [name for i, name in text_cells if i < column]
            if not left:
                continue
            number = cell.strip().replace(",", "")
            out.append(Cell(table.id, index - 1, column, cell.strip(), Decimal(number),
                            len(number.split(".")[1]) if "." in number else 0, left[-1], chain,
                            labels[column] if column < len(labels) else "", table.page))
    return out
