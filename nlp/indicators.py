"""Read indicator rows from indicator tables, judge each target, link narrative numbers to rows.

A row's target and actual cells are parsed as quantities (a bare number takes
its unit from the other cell or from the header, as in ``金额（万元）``);
frequencies are compared per year (每季度1次 = 每年4次); the target's
comparator decides the direction (``≤0次`` is met by ``0次``, ``>10000路`` by
``37897``). Each narrative quantity is linked to the row it reports on when
the metric and the row name share words and the values or units agree.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from nlp.document import Report, Table
from nlp.quantities import Quantity, extract_quantities
from nlp.quantities.units import PERIODS

DIMENSIONS = {"数量": "数量", "质量": "质量", "时效": "时效", "成本": "成本", "经济效益": "经济效益", "社会效益": "社会效益",
              "生态效益": "生态效益", "可持续影响": "可持续影响", "满意度": "满意度"}
# Indicators where less is better: a plain target is a ceiling.
_LOWER_IS_BETTER = re.compile(r"时间|时长|时限|耗时|投诉(?!处理)|事故|故障(?!修复率)|差错|超时|成本|费用|支出|损失|次数.*(事故|事件)")
_QUALITATIVE_MET = re.compile(r"^(达标|达到|完成|已完成|按时完成|按期完成|全部完成|是|有效|良好|优|优秀|合格|符合|正常|稳定|提升|有所提升|明显提升|无)$")
_HEADER_UNIT = re.compile(r"[（(]\s*(万元|元|亿元|%|个|人|次|小时|天)\s*[）)]")


@dataclass
class IndicatorRow:
    """One row of an indicator table, with its parsed values and status."""

    id: str
    table: str
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    analysis: str = ""
    score: str | None = None
    target_quantity: Quantity | None = None
    actual_quantity: Quantity | None = None
    status: str = "not_comparable"
    rule: str = ""
    dimension: str | None = None
    links: list[tuple[str, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "table": self.table, "level1": self.level1, "level2": self.level2, "name": self.name,
                "target": self.target, "actual": self.actual, "analysis": self.analysis, "score": self.score,
                "target_quantity": self.target_quantity.to_dict() if self.target_quantity else None,
                "actual_quantity": self.actual_quantity.to_dict() if self.actual_quantity else None,
                "status": self.status, "rule": self.rule, "dimension": self.dimension}


@dataclass
class Link:
    """Narrative linked to the indicator row it gives evidence for.

    ``kind`` says how sure the link is: ``same_measure`` (the quantity states the
    row's measure: same unit, same cumulative/new sense, and the row's value or
    its very name), ``candidate`` (related words only, lower score) or
    ``paragraph`` (the paragraph speaks of the indicator, with or without a
    number; ``quantity`` is None).
    """

    paragraph: str
    quantity: int | None
    indicator: str
    score: float
    surface: str
    start: int
    end: int
    kind: str = "same_measure"

    def to_dict(self) -> dict[str, Any]:
        return {"paragraph": self.paragraph, "quantity": self.quantity, "indicator": self.indicator,
                "score": round(self.score, 3), "surface": self.surface, "start": self.start, "end": self.end,
                "kind": self.kind}


def rows_of(table: Table) -> list[IndicatorRow]:
    """Return the indicator rows of an indicator table."""
    header = table.header

    def column(*names: str) -> int | None:
        return next((i for i, h in enumerate(header) if any(n in h for n in names)), None)

    c1, c2 = column("一级"), column("二级")
    cn = column("三级", "指标名称", "具体指标") if column("三级", "指标名称", "具体指标") is not None else column("指标")
    ct = column("指标值", "目标值", "预期值", "计划值", "年度目标", "预期目标")
    ca = column("实际完成", "完成值", "实际值")
    cx = column("分析", "原因", "说明", "备注")
    cs = column("得分", "评分")
    unit_hint = {i: m.group(1) for i, h in enumerate(header) if (m := _HEADER_UNIT.search(h))}
    out = []

    def cell(row: list[str], index: int | None) -> str:
        return row[index] if index is not None and index < len(row) else ""

    for number, row in enumerate(table.rows, start=1):
        indicator = IndicatorRow(
            id=f"{table.id}.r{number:02d}", table=table.id, level1=cell(row, c1), level2=cell(row, c2),
            name=cell(row, cn), target=cell(row, ct), actual=cell(row, ca), analysis=cell(row, cx),
            score=cell(row, cs) or None)
        indicator.dimension = next((v for k, v in DIMENSIONS.items() if k in indicator.level2), None)
        indicator.target_quantity = parse_cell(indicator.target, unit_hint.get(ct or -1))
        indicator.actual_quantity = parse_cell(indicator.actual, unit_hint.get(ca or -1))
        _borrow_unit(indicator)
        indicator.status, indicator.rule = judge(indicator)
        out.append(indicator)
    return out


def parse_cell(text: str, unit_hint: str | None = None) -> Quantity | None:
    """Return the quantity a table cell states; a bare number takes ``unit_hint`` (from ``金额（万元）``).

    >>> parse_cell("3541.07", "万元").normalized
    Decimal('35410700')
    """
    if not text:
        return None
    found = extract_quantities(text)
    if found:
        return found[0]
    match = re.fullmatch(r"\s*(\d[\d,]*(?:\.\d+)?)\s*", text)
    if match is None:
        return None
    if unit_hint:
        found = extract_quantities(match.group(1) + unit_hint)
        if found:
            quantity = found[0]
            quantity.surface, quantity.end = text.strip(), len(text.strip())
            return quantity
    value = Decimal(match.group(1).replace(",", ""))
    decimals = match.group(1).split(".")[1] if "." in match.group(1) else ""
    return Quantity(text.strip(), 0, len(text.strip()), value, Decimal(1), "", "", "other", precision=len(decimals))


def _borrow_unit(row: IndicatorRow) -> None:
    # "37897" under a target ">10000路" is 37897路.
    target, actual = row.target_quantity, row.actual_quantity
    if target and actual and not actual.unit and target.unit:
        actual.unit, actual.base_unit, actual.kind = target.unit, target.base_unit, target.kind
    if target and actual and not target.unit and actual.unit:
        target.unit, target.base_unit, target.kind = actual.unit, actual.base_unit, actual.kind


def per_year(quantity: Quantity) -> Decimal | None:
    """Return how many times a year a frequency means (每季度1次 → 4)."""
    match = re.search(r"每\s?(半年|季度|年|季|月|周|日|天)", quantity.surface)
    if match is None:
        return None
    return quantity.normalized * PERIODS[match.group(1)]


def judge(row: IndicatorRow) -> tuple[str, str]:
    """Return (status, rule) for an indicator row."""
    target, actual = row.target_quantity, row.actual_quantity
    if target is None or actual is None:
        if row.target and row.actual and _QUALITATIVE_MET.match(row.actual.strip()) and \
                (row.target.strip() == row.actual.strip() or _QUALITATIVE_MET.match(row.target.strip())):
            return "met", f"qualitative: actual {row.actual!r} meets {row.target!r}"
        return "not_comparable", "target or actual is not a number"
    t_value, a_value = target.normalized, actual.normalized
    t_year, a_year = per_year(target), per_year(actual)
    if t_year is not None or a_year is not None:
        if t_year is None or a_year is None:
            return "not_comparable", "only one side is a frequency"
        t_value, a_value = t_year, a_year
        unit_rule = "frequencies compared per year"
    elif target.base_unit != actual.base_unit and target.base_unit and actual.base_unit:
        return "not_comparable", f"units differ ({target.unit} vs {actual.unit})"
    else:
        unit_rule = f"compared in {target.base_unit or 'the same unit'}"
    comparator = target.comparator
    if comparator == "=":
        comparator = "<=" if _LOWER_IS_BETTER.search(row.name) else ">="
    if comparator == "range" and target.upper_normalized is not None:
        upper = target.upper_normalized
        met = t_value <= a_value <= upper
        return ("met" if met else "not_met"), f"actual {a_value} within {t_value}–{upper}: {met}; {unit_rule}"
    if comparator == "~":
        comparator = ">="
    tests = {">=": a_value >= t_value, ">": a_value > t_value, "<=": a_value <= t_value, "<": a_value < t_value}
    met = tests[comparator]
    return ("met" if met else "not_met"), f"actual {a_value} {comparator} target {t_value}: {met}; {unit_rule}"


class IndicatorStage:
    """Pipeline stage: indicator rows with status, and links from narrative quantities to rows."""

    def __call__(self, report: Report) -> Report:
        rows: list[IndicatorRow] = []
        for table in report.tables:
            if table.kind == "indicator":
                rows += rows_of(table)
        report.indicators = rows
        report.links = link(report, rows)
        report.stages["indicators"] = "1"
        return report


@functools.lru_cache(maxsize=4096)
def _chars(text: str) -> frozenset[str]:
    return frozenset(ch for ch in text if "\u4e00" <= ch <= "\u9fff" and ch not in "的和与及等数个率量次")


def similarity(a: str, b: str) -> float:
    """Return the Dice overlap of two metric names, on characters and on words.

    >>> round(similarity("话务接通率", "接通率"), 2)
    0.67
    """
    ca, cb = _chars(a), _chars(b)
    if not ca or not cb:
        return 0.0
    return 2 * len(ca & cb) / (len(ca) + len(cb))


_NAME_FILLER = re.compile(r"建设|完成|开展|实现|数量|个数|次数|数$|量$|情况|工作|指标|的")
_CUMULATIVE = re.compile(r"累计|总计|共计|总量|累积|全市共|现有")
_NEW = re.compile(r"新增|新建|新开|本年|年度|当年|全年")


def _name_core(text: str) -> str:
    return _NAME_FILLER.sub("", re.sub(r"[\s“”\"（）()、]", "", text))


def _plain_name(text: str) -> str:
    """Return a name without spaces, quotes, brackets and a trailing 数/数量 (专题库建设 stays 专题库建设)."""
    return re.sub(r"(?:数量|个数|数)$", "", re.sub(r"[\s“”\"（）()、的]", "", text))


def _sense(text: str) -> str | None:
    """Return "cumulative" or "new" when the words say which count is meant (累计… / 新增…)."""
    if _CUMULATIVE.search(text):
        return "cumulative"
    if re.search(r"新增|新建|新开", text):
        return "new"
    return None


def link(report: Report, rows: list[IndicatorRow], threshold: float = 0.4) -> list[Link]:
    """Link narrative quantities to the indicator rows they state, and tag paragraphs with the rows they speak of.

    A quantity links as ``same_measure`` only when it can be the row's figure:
    same unit and kind (a rate is not a count), the same cumulative/new sense,
    and either the row's value with a related name or the row's very name;
    otherwise a related name makes at most a ``candidate`` with a lower score.
    """
    links: list[Link] = []
    if not rows:
        return links
    for paragraph in report.paragraphs:
        tagged: dict[str, Link] = {}
        for index, quantity in enumerate(paragraph.quantities):
            context = paragraph.text[max(0, quantity.start - 20):quantity.start]
            best: tuple[float, str, IndicatorRow] | None = None
            for row in rows:
                score, kind = _link_score(quantity, row, context)
                if score >= threshold and (best is None or score > best[0]):
                    best = (score, kind, row)
            if best is not None:
                score, kind, row = best
                links.append(Link(paragraph.id, index, row.id, score, quantity.surface,
                                  paragraph.start + quantity.start, paragraph.start + quantity.end, kind))
                if kind == "same_measure" and row.id not in tagged:
                    tagged[row.id] = Link(paragraph.id, None, row.id, score, quantity.surface,
                                          paragraph.start + quantity.start, paragraph.start + quantity.end, "paragraph")
        for row in rows:
            if row.id in tagged:
                continue
            mention = _mention(paragraph.text, row)
            if mention is not None:
                start, end, score = mention
                tagged[row.id] = Link(paragraph.id, None, row.id, score, paragraph.text[start:end],
                                      paragraph.start + start, paragraph.start + end, "paragraph")
        links += tagged.values()
    return links


def _mention(text: str, row: IndicatorRow) -> tuple[int, int, float] | None:
    """Return where ``text`` names the indicator of ``row`` (its name, or its name without filler words)."""
    name = re.sub(r"\s+", "", row.name)
    if len(name) >= 3 and name in text:
        start = text.index(name)
        return start, start + len(name), 1.0
    core = _name_core(name)
    if len(core) >= 4 and core in text:
        start = text.index(core)
        return start, start + len(core), 0.8
    # The name's words in one sentence of the paragraph (遥感影像数据更新次数 → 遥感影像 … 更新).
    words = _content_words(name)
    if len(words) < 2:
        return None
    for sentence in re.finditer(r"[^。；;！？\n]+", text):
        found = [w for w in words if w in sentence.group(0)]
        if len(found) >= (len(words) if len(words) <= 3 else -(-3 * len(words) // 4)):
            first = min(sentence.start() + sentence.group(0).index(w) for w in found)
            last = max(sentence.start() + sentence.group(0).index(w) + len(w) for w in found)
            return first, last, round(0.5 + 0.3 * len(found) / len(words), 3)
    return None


@functools.lru_cache(maxsize=1024)
def _content_words(name: str) -> tuple[str, ...]:
    """Return the words of an indicator name that say what it counts (no 数/率/次数, 全市, 完成 …)."""
    from nlp.segmentation import Segmenter

    skip = {"全市", "全年", "年度", "完成", "开展", "实现", "建设", "数量", "次数", "个数", "情况", "工作", "比例", "平台",
            "系统", "数据", "信息", "服务", "管理", "发生", "使用", "时间"}
    return tuple(dict.fromkeys(w for w in Segmenter(bigrams=False).words(name)
                               if len(w) >= 2 and w not in skip and not w[0].isdigit()))


def _link_score(quantity: Quantity, row: IndicatorRow, context: str = "") -> tuple[float, str]:
    """Return (score, kind) of the link from a narrative quantity to an indicator row."""
    name_score = similarity(quantity.metric, row.name)
    if name_score < 0.3:
        return 0.0, ""
    same_name = bool(_plain_name(quantity.metric)) and _plain_name(quantity.metric) == _plain_name(row.name)
    sides = [side for side in (row.actual_quantity, row.target_quantity) if side is not None]
    units_agree = any(side.base_unit == quantity.base_unit and side.kind == quantity.kind for side in sides)
    value_agrees = any(units_agree and side.normalized == quantity.normalized for side in sides)
    sense_q, sense_r = _sense(context + quantity.metric), _sense(row.name)
    same_sense = (sense_q == sense_r or (sense_q is None and sense_r != "cumulative" and not _CUMULATIVE.search(context))
                  or (value_agrees and None in (sense_q, sense_r)))
    round_value = quantity.normalized in (0, 1, 100) or quantity.kind == "percent" and quantity.normalized == 100
    strong_name = name_score >= (0.7 if round_value else 0.5)
    if units_agree and same_sense and (same_name or (value_agrees and strong_name)):
        return min(1.0, 0.6 + 0.4 * name_score), "same_measure"
    return round(0.5 * name_score + (0.1 if units_agree else 0.0), 3), "candidate"
