"""Check a report's numbers the way an auditor would, and record findings with severity and evidence.

Every number is first given its measure (:mod:`nlp.scope`): metric, line item,
year, fund scope, budget stage and unit. Then:

- conflict: the same measure with the same scope stated with two values
  (``conflict.same_measure``), or a narrative figure against the indicator
  table's (``conflict.narrative_vs_table``, at any distance in the report); a
  tenfold gap or a value given as "超…"/"约…" is worth a question (warning); a
  gap within the rounding of the less precise figure is ``info``;
- arithmetic: a change (比上年增加/减少 X, Y%) against the base the text states
  (the prior-year value, in brackets or in the same sentence) or else the
  current value minus the change (``change.amount_mismatch``,
  ``change.percent_mismatch``, ``change.direction``, ``change.negative_base``);
  parts listed after 其中/包括 against their total (``total.parts_sum``);
  shares (占…%) and completion rates (完成…的%) against their whole
  (``share.mismatch``); tolerance comes from the precision the figures are
  stated in, and a gap that only rounding explains is ``info``. Policy rates
  (统一压减10%) are not changes;
- unmet: an indicator row that misses its target (``target.unmet``), with the
  explanation the report gives — the row's own 偏差原因 cell or a narrative
  sentence naming the indicator with 原因/由于/因/受…影响, quoted.

Figures that add up are never flagged.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from nlp.document import Paragraph, Report
from nlp.indicators import IndicatorRow, similarity
from nlp.messages import t
from nlp.quantities import Quantity
from nlp.scope import (_MULTIPLIERS, Cell, Measured, Scope, display_metric, measure_paragraph, metric_core, report_year,
                       row_label, sentence_bounds, table_cells, table_unit)

SEVERITIES = ("error", "warning", "info")
_TOTAL = re.compile(r"合计|总计|总额|共计|总数|总量|总和")
_RATE = re.compile(r"完成率|覆盖率|占比|比例|比重|达成率|执行率")
# A percentage that is a policy rate or a rate of something else, not the change of the figure before it.
_POLICY = re.compile(r"(?:统一|按规定|按照|规定|要求|一律|均|不低于|不超过|控制在|原则上)[^，,。；;]{0,10}$|"
                     r"(?:原因|由于|因为|是因)[^。；;]*$")
# Budget words that do not say what is counted: with no line item they are department-level totals.
_GENERIC = re.compile(r"预算|决算|执行数?|安排|支出|收入|拨款|科目|年初|全年|调整|完成|总计|批复|数|额|当年|资金|经费")
_EXPLAINED = re.compile(r"原因|由于|因为|因(?=[\u4e00-\u9fff])|受.{0,12}影响|调整|改为|变更|延期|未能|尚未")
_REASON_SENTENCE = re.compile(r"原因|由于|因为|受[^。；;]{0,20}影响|因(?=[\u4e00-\u9fff]{2})")
_NO_REASON = re.compile(r"^\s*(?:无|/|—|-|－|－－|——|不适用|)\s*$")
_STATUS = re.compile(r"已?完成|建成|开通|上线|接入|办结|新增|累计|已")
_BARE_RATE = re.compile(r"完成率|执行率|达成率|覆盖率|占比|比例|比重|增长率|增幅|降幅|率")
_CUMULATIVE = re.compile(r"累计|总计|共计|总量|合计|累积")
_NEW = re.compile(r"新增|新建|本年|年度|当年|全年")


@dataclass
class Evidence:
    """Where a finding's figure is stated: a span of the report text, or a table cell."""

    start: int | None
    end: int | None
    text: str
    paragraph: str | None = None
    page: int | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None
    quantity: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "paragraph": self.paragraph,
                "page": self.page, "table": self.table, "row": self.row, "column": self.column,
                "quantity": self.quantity}


@dataclass
class Finding:
    """Something a reviewer should look at, with the spans that show it and the scope that made it comparable."""

    kind: str
    measure: str
    message: str
    values: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    explained: bool | None = None
    code: str = ""
    severity: str = "error"
    scope: dict[str, Any] | None = None
    explanation: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "code": self.code, "severity": self.severity, "measure": self.measure,
                "message": self.message, "values": list(self.values), "scope": self.scope,
                "explained": self.explained, "explanation": self.explanation,
                "evidence": [e.to_dict() for e in self.evidence]}


# --- figures in the report's own unit ---------------------------------------------------------

def _suffix(q: Quantity) -> str:
    """Return what follows the number in ``q``'s surface (万元, 万次, %), as written."""
    return re.sub(r"\s+", "", re.sub(r"^[^\d]*[\d,，.．\s]+", "", q.surface)) or q.unit


def show(value: Decimal, like: Quantity, places: int | None = None) -> str:
    """Return ``value`` (in base units) written in the unit ``like`` is stated in (万元 stays 万元).

    >>> from decimal import Decimal
    >>> q = Quantity("2.63万元", 0, 6, Decimal("2.63"), Decimal(10000), "元", "元", "money", precision=2)
    >>> show(Decimal(26345), q)
    '2.63万元'
    """
    places = like.precision if places is None else places
    scaled = value / like.multiplier if like.multiplier else value
    try:
        text = f"{scaled.quantize(Decimal(10) ** -places):f}"
    except InvalidOperation:
        text = f"{scaled:f}"
    return text + _suffix(like)


def _pct(value: Decimal, places: int) -> str:
    return f"{value.quantize(Decimal(10) ** -max(places, 2)):f}%"


def _fmt(q: Quantity) -> str:
    return re.sub(r"\s+", "", q.surface)


def _half(q: Quantity) -> Decimal:
    """Return half a unit of the last stated digit, in base units (0 is exact)."""
    if q.normalized == 0:
        return Decimal(0)
    return Decimal(5) * q.multiplier / (Decimal(10) ** (q.precision + 1))


def _evidence(m: Measured) -> Evidence:
    q = m.quantity
    if m.paragraph is None:
        table, row, column = m.cell or (None, None, None)
        return Evidence(None, None, _fmt(q), None, m.page, table, str(row) if row is not None else None,
                        str(column) if column is not None else None, q.to_dict())
    return Evidence(m.paragraph.start + q.start, m.paragraph.start + q.end, q.surface, m.paragraph.id,
                    m.paragraph.page, quantity=q.to_dict())


def _finding(kind: str, code: str, severity: str, measure: str, key: str, values: list[str],
             measured: list[Measured], scope: Scope | None, **params: Any) -> Finding:
    return Finding(kind, measure, t(key, measure=measure or "—", **params), values,
                   [_evidence(m) for m in measured], code=code, severity=severity,
                   scope=scope.to_dict() if scope else None)


class CheckStage:
    """Pipeline stage: conflict, arithmetic and unmet-target findings."""

    def __call__(self, report: Report) -> Report:
        year = report_year(report)
        measured = {p.id: measure_paragraph(p, year) for p in report.paragraphs}
        findings: list[Finding] = []
        findings += conflicts([m for ms in measured.values() for m in ms])
        findings += table_conflicts(report, measured, year)
        findings += narrative_vs_tables(report, measured, year)
        changes: list[tuple[Measured, Measured]] = []
        for paragraph in report.paragraphs:
            findings += change_checks(paragraph, measured[paragraph.id], changes, year)
            findings += total_checks(paragraph, measured[paragraph.id])
            findings += share_checks(paragraph, measured[paragraph.id])
        findings += change_conflicts(changes)
        findings += unmet(report)
        order = {s: i for i, s in enumerate(SEVERITIES)}
        findings.sort(key=lambda f: order.get(f.severity, 3))
        report.findings = findings
        report.stages["checks"] = "2"
        return report


# --- conflicts --------------------------------------------------------------------------------

_COMPARABLE_KINDS = ("count", "money", "percent", "area", "duration")


_SHORTFALL = re.compile(r"(?:较|比|与)(?:年度)?(?:目标|计划|预期)(?:值)?(?:相比)?(?:少|多|差|超出?|低|高)了?\s?$")


def _comparable(m: Measured) -> bool:
    q = m.quantity
    if _SHORTFALL.search(m.context):
        return False  # "较目标少80个": a gap to the target, not a value of the measure
    if q.kind == "percent" and re.search(r"占[^，,。；;]{0,12}$", m.context):
        return False  # a share of something: checked against its part and whole instead
    if m.paragraph is not None and q.unit in ("类", "款", "项") and \
            re.search(r"[（(]\s?$", m.paragraph.text[:q.start]) and re.match(r"\s?[）)]", m.paragraph.text[q.end:]):
        return False  # a 类/款/项 code in brackets, not a count
    return (q.role == "actual" and q.kind in _COMPARABLE_KINDS and q.comparator in ("=", ">=", ">", "~")
            and not _POLICY.search(m.context) and not re.search(r"[比较]\s?$|^\s*[（(]", m.context[-2:] or "x"))


def _generic(core: str) -> bool:
    return not _GENERIC.sub("", core)


def _digits(q: Quantity) -> str:
    return str(q.value).replace(".", "").lstrip("0")


def _shifted(a: Quantity, b: Quantity) -> bool:
    """Return whether two values share their leading three digits and sit a power of ten apart (6008万 / 600万)."""
    da, db = _digits(a), _digits(b)
    low, high = sorted((a.normalized, b.normalized))
    return (len(da) >= 3 and da[:3] == db[:3] and low > 0
            and any(abs(high - low * Decimal(10) ** k) <= high * Decimal("0.01") for k in (1, 2, 3)))


_SENTENCE_END = re.compile(r"[。；;！？\n]")


class _Sentences:
    """Tell whether two quantities of a paragraph stand in one sentence, in O(log n) a pair."""

    def __init__(self) -> None:
        self._ends: dict[int, list[int]] = {}

    def index(self, m: Measured) -> int:
        assert m.paragraph is not None
        ends = self._ends.get(id(m.paragraph))
        if ends is None:
            ends = self._ends[id(m.paragraph)] = [e.start() for e in _SENTENCE_END.finditer(m.paragraph.text)]
        return bisect.bisect_left(ends, m.quantity.start)

    def same(self, a: Measured, b: Measured) -> bool:
        if a.paragraph is None or a.paragraph is not b.paragraph:
            return False
        return self.index(a) == self.index(b)


def same_measure(a: Measured, b: Measured) -> float:
    """Return how surely two scoped quantities state the same measure (0: not the same)."""
    qa, qb, sa, sb = a.quantity, b.quantity, a.scope, b.scope
    if qa.base_unit != qb.base_unit or qa.kind != qb.kind or sa.year != sb.year or sa.fund != sb.fund:
        return 0.0
    if sa.item != sb.item:
        return 0.0
    if sa.stage != sb.stage and not (sa.item and (sa.stage is None or sb.stage is None)):
        return 0.0
    if bool(_CUMULATIVE.search(a.context + qa.metric)) != bool(_CUMULATIVE.search(b.context + qb.metric)):
        return 0.0
    ca, cb = a.core, b.core
    if sa.item:
        item = sa.item.replace("/", "")
        if not ca or not cb or _generic(ca) or _generic(cb) or ca in item or cb in item:
            return 0.8  # the item's own figure, restated under a budget word (“…（项）”350.35万元 / 预算安排352.67万元)
        score = _similar(ca, cb)
        return score if score >= 0.5 else 0.0
    if not ca or not cb:
        return 0.0
    if _STATUS.findall(ca) != _STATUS.findall(cb):
        return 0.0  # 便民服务站 (the whole) is not 便民服务站已完成 (the part done)
    if qa.kind == "percent":
        # A bare rate word (完成率, 占比) does not say of what.
        return 1.0 if ca == cb and len(_BARE_RATE.sub("", ca)) >= 2 else 0.0
    if _generic(ca) or _generic(cb):
        # Department-level totals named only by their budget words: the very same words.
        return 0.9 if ca == cb or (sa.stage and sa.stage == sb.stage and similarity(ca, cb) >= 0.5) else 0.0
    short, long_ = sorted((ca, cb), key=len)
    if short != long_ and short in long_ and not long_.endswith(short) and not (_last_digit_slip(qa, qb)
                                                                             or _shifted(qa, qb)):
        return 0.0  # 政府采购服务预算 is a part of 政府采购预算, not the same figure
    score = _similar(ca, cb)
    # A slip of the last digit (202.58 / 202.57) is itself evidence of one figure: a shared head word will do.
    return score if score >= (0.3 if _last_digit_slip(qa, qb) else 0.5) else 0.0


def _similar(a: str, b: str) -> float:
    """Return the overlap of two metric names without the budget words they all share (费, 支出, 预算 …)."""
    sa, sb = _GENERIC.sub("", a), _GENERIC.sub("", b)
    if not sa or not sb:
        return similarity(a, b)
    return similarity(sa, sb)


def _last_digit_slip(a: Quantity, b: Quantity) -> bool:
    """Return whether two values of four or more significant digits differ only in the last (two, from six on)."""
    da, db = _digits(a), _digits(b)
    keep = len(da) - (2 if len(da) >= 6 else 1)
    return (len(da) == len(db) >= 4 and a.precision == b.precision and a.multiplier == b.multiplier
            and da[:keep] == db[:keep])


def _gap_severity(a: Quantity, b: Quantity) -> tuple[str, str] | None:
    """Return (severity, code) for two values of one measure, or None when they agree."""
    diff = abs(a.normalized - b.normalized)
    if diff == 0:
        return None
    if diff <= _half(a) + _half(b) and a.precision != b.precision:
        return "info", "conflict.rounding"
    if _shifted(a, b):
        return "warning", "conflict.shifted_digit"
    if a.comparator != "=" or b.comparator != "=":
        return None  # a bound or an estimate (50万元以上, 约…) states no value to contradict
    return "error", "conflict.same_measure"


def conflicts(items: list[Measured], near: Decimal = Decimal("0.05")) -> list[Finding]:
    """Return findings for one measure, with one scope, stated with different values."""
    # Without a line item, a figure with no metric words measures nothing same_measure can match.
    pool = [m for m in items if _comparable(m) and m.quantity.normalized != 0 and (m.scope.item or m.core)]
    groups: dict[tuple[Any, ...], list[Measured]] = {}
    for m in pool:
        groups.setdefault((m.quantity.base_unit, m.scope.year, m.scope.fund, m.scope.item, m.scope.section),
                          []).append(m)
    findings: list[Finding] = []
    reported: set[tuple[str, ...]] = set()
    sentences = _Sentences()
    value = {id(m): m.quantity.normalized for m in pool}
    for members in _blocks(groups.values()):
        for a, b in itertools.combinations(members, 2):
            qa, qb = a.quantity, b.quantity
            if value[id(a)] == value[id(b)] or sentences.same(a, b):
                continue
            score = same_measure(a, b)
            if score == 0:
                continue
            high = max(qa.normalized, qb.normalized)
            close = abs(qa.normalized - qb.normalized) <= high * near
            if not a.scope.item and not close and not _shifted(qa, qb):
                continue
            graded = _gap_severity(qa, qb)
            if graded is None:
                continue
            severity, code = graded
            if code == "conflict.shifted_digit" and not a.scope.item and score < 0.5:
                continue
            measure = display_metric(a) or display_metric(b)
            key = (measure if a.scope.item else "", *sorted((_fmt(qa), _fmt(qb))))
            if key in reported or tuple(sorted((_fmt(qa), _fmt(qb)))) in reported:
                continue
            reported.add(key)
            reported.add(tuple(sorted((_fmt(qa), _fmt(qb)))))
            findings.append(_finding("conflict", code, severity, measure, f"finding.{code}",
                                     [_fmt(qa), _fmt(qb)], [a, b], a.scope, a=_fmt(qa), b=_fmt(qb),
                                     item=a.scope.item or "", year=a.scope.year or ""))
    return findings


#: Above this many figures of one unit, year, fund and item, pairs are only formed within a metric's
#: first two characters: comparing every pair of a run of thousands of numbers would take hours.
_BLOCK = 400


def _blocks(groups: Any) -> Iterator[list[Measured]]:
    for members in groups:
        if len(members) <= _BLOCK:
            yield members
            continue
        heads: dict[str, list[Measured]] = {}
        for m in members:
            heads.setdefault(m.core[:2], []).append(m)
        yield from heads.values()


def _row_measured(row: IndicatorRow, year: int | None) -> Measured | None:
    q = row.actual_quantity
    if q is None:
        return None
    scope = Scope(item=None, year=year, unit=q.base_unit, table=row.table)
    return Measured(q, None, scope, metric_core(row.name), row.name, cell=(row.table, row.id, "actual"))  # type: ignore[arg-type]


def table_conflicts(report: Report, measured: dict[str, list[Measured]], year: int | None) -> list[Finding]:
    """Return a finding per narrative figure that states an indicator row's actual with another value."""
    findings: list[Finding] = []
    pages = {t.id: t.page for t in report.tables}
    by_row = {row.id: row for row in report.indicators}
    seen: set[tuple[str, str]] = set()
    for link in report.links:
        if link.kind != "same_measure":
            continue
        row = by_row.get(link.indicator)
        if row is None or row.actual_quantity is None:
            continue
        m = measured.get(link.paragraph, [])[link.quantity] if link.quantity is not None else None
        if m is None or not _comparable(m) or m.scope.year not in (None, year):
            continue
        cell = _row_measured(row, year)
        if cell is None:
            continue
        cell.page = pages.get(row.table)
        q, r = m.quantity, row.actual_quantity
        if q.base_unit != r.base_unit or q.normalized == r.normalized:
            continue
        if row.target_quantity is not None and q.normalized == row.target_quantity.normalized:
            continue  # "812个…已完成790个": the whole the row's target counts, not its actual
        graded = _gap_severity(q, r)
        if graded is None:
            continue
        severity, code = graded
        if code == "conflict.same_measure":
            code = "conflict.narrative_vs_table"
        key = (row.id, _fmt(q))
        if key in seen:
            continue
        seen.add(key)
        findings.append(_finding("conflict", code, severity, row.name, f"finding.{code}", [_fmt(q), _fmt(r)],
                                 [m, cell], Scope(item=row.name, year=year, unit=q.base_unit, table=row.table),
                                 a=_fmt(q), b=_fmt(r), item=row.name, year=year or ""))
    return findings


_TOTAL_COLUMN = re.compile(r"合计|金额|预算数|决算数|小计|总计|本年支出|支出合计|收入合计")
_GENERIC_ROW = re.compile(r"^(?:合计|总计|小计|其中|项目|科目名称)$")
_STAGE_TAIL = re.compile(r"(?:预算数|决算数|预算安排|预算|决算|安排|数)+$")


def _in_reason(m: Measured) -> bool:
    """Return whether ``m`` stands in a sentence's reason clause (主要原因是…分流315万元)."""
    if m.paragraph is None:
        return False
    start = m.paragraph.text.rfind("。", 0, m.quantity.start) + 1
    return bool(re.search(r"原因|由于|因为|用于", m.paragraph.text[start:m.quantity.start]))


def _row_names(m: Measured) -> tuple[tuple[str, ...] | None, set[str]]:
    """Return the 类/款/项 chain and the row names a narrative figure may stand under in a table."""
    item = m.scope.item or ""
    if "/" in item and "›" not in item:
        return tuple(item.split("/")), set()
    name = row_label(m.quantity.metric)
    names = {name, _STAGE_TAIL.sub("", name)} - {""}
    return None, {n for n in names if len(n) >= 3 and not _GENERIC_ROW.match(n)}


def _cell_measured(cell: Cell, unit: str, quantity_like: Quantity) -> Measured:
    multiplier = Decimal(_MULTIPLIERS[unit])
    q = Quantity(cell.text, 0, len(cell.text), cell.value, multiplier, "元", "元", "money",
                 metric=f"{cell.item}／{cell.label}", precision=cell.decimals)
    return Measured(q, None, Scope(item=cell.item, unit="元", table=cell.table), cell.item, cell.label,
                    cell=(cell.table, cell.row, cell.label), page=cell.page)


_SPENDING_PART = re.compile(r"基本支出|项目支出|人员经费|公用经费")


def narrative_vs_tables(report: Report, measured: dict[str, list[Measured]], year: int | None) -> list[Finding]:
    """Return a finding per narrative money figure that no total cell of its row in the report's tables states.

    A figure is compared only when it is the report year's (no prior-year or
    execution figure), its line item or name is a row of a table (by the
    类/款/项 chain, else by the row's name), and the cell stands in a total
    column (合计, 金额, 预算数, 决算数 …). A table's unit is the one it states
    (单位：万元); else the one under which at least three narrative figures
    appear in it and none under the other. One matching cell in any table
    makes the figure consistent.
    """
    tables = [t for t in report.tables if t.kind != "indicator"]
    if not tables:
        return []
    pool = [m for ms in measured.values() for m in ms
            if m.quantity.kind == "money" and m.quantity.role == "actual" and m.quantity.comparator == "="
            and m.scope.year == year and m.scope.stage in (None, "预算", "决算") and not _marked_prior(m)
            and m.quantity.normalized > 0 and not _POLICY.search(m.context) and not _in_reason(m)]
    cells = {t.id: table_cells(t) for t in tables}
    units: dict[str, str] = {}
    for t in tables:
        unit = table_unit(t)
        if unit is None:
            values = {c.value for c in cells[t.id]}
            agree = {u: sum(1 for m in pool if (m.quantity.normalized / Decimal(k)).normalize() in
                            {v.normalize() for v in values}) for u, k in _MULTIPLIERS.items()}
            ranked = sorted(agree.items(), key=lambda kv: -kv[1])
            if ranked[0][1] >= 3 and ranked[1][1] == 0:
                unit = ranked[0][0]
        if unit is not None:
            units[t.id] = unit
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    captions = {t.id: t.caption or "" for t in tables}
    for m in pool:
        chain, names = _row_names(m)
        parts = set(_SPENDING_PART.findall(m.context + m.quantity.metric))
        candidates = []
        for table_id, unit in units.items():
            for cell in cells[table_id]:
                if not _TOTAL_COLUMN.search(cell.label):
                    continue
                # A column of one part of spending (基本支出合计) holds that part only: 三公经费's
                # 公务接待费 there is its basic part, not the whole the narrative states.
                cell_parts = set(_SPENDING_PART.findall(cell.label + captions[table_id]))
                if cell_parts and not cell_parts <= parts:
                    continue
                if chain is not None:
                    if len(chain) < 2 or not cell.chain or tuple(x for x in cell.chain if x)[-len(chain):] != chain:
                        continue
                elif cell.item not in names:
                    continue
                candidates.append(_cell_measured(cell, unit, m.quantity))
        if not candidates:
            continue
        q = m.quantity
        gaps = [(abs(c.quantity.normalized - q.normalized), c) for c in candidates]
        gap, nearest = min(gaps, key=lambda g: g[0])
        if gap <= _half(q) + _half(nearest.quantity):
            continue
        key = (m.paragraph.id if m.paragraph else "", _fmt(q))
        if key in seen:
            continue
        seen.add(key)
        # One unit of the last stated digit is how far two roundings of one figure may differ.
        severity = "info" if gap <= 2 * max(_half(q), _half(nearest.quantity)) else "error"
        shown = show(nearest.quantity.normalized, q, max(q.precision, 2))
        findings.append(_finding("conflict", "conflict.narrative_vs_table", severity, display_metric(m),
                                 "finding.conflict.table_cell", [_fmt(q), shown], [m, nearest], m.scope,
                                 a=_fmt(q), b=shown, table=nearest.cell[0] if nearest.cell else "",
                                 column=nearest.context))
    return findings


# --- arithmetic -------------------------------------------------------------------------------

def _sentences(paragraph: Paragraph, items: list[Measured]) -> list[list[Measured]]:
    groups: dict[int, list[Measured]] = {}
    for m in items:
        groups.setdefault(sentence_bounds(paragraph.text, m.quantity.start)[0], []).append(m)
    return [groups[k] for k in sorted(groups)]


_RATE_OF_CHANGE = re.compile(r"(?:降幅|增幅|减幅|幅度|增长率|下降率|降低率|增速)(?:为|达|是)?\s?$")


def change_conflicts(changes: list[tuple[Measured, Measured]]) -> list[Finding]:
    """Return a finding when one figure is said to have changed by two different amounts.

    "收入预算21,940.96万元，与上年相比增加3,959.28万元" and elsewhere "…支出预算21,940.96万元，
    与上年相比增加3,958.98万元": the same current value of four or more digits, the same
    year and direction, two change amounts within 5 % of each other.
    """
    findings: list[Finding] = []
    groups: dict[tuple[Any, ...], list[tuple[Measured, Measured]]] = {}
    for current, delta in changes:
        cq, dq = current.quantity, delta.quantity
        if len(_digits(cq)) < 4 or dq.kind == "percent":
            continue
        between = current.paragraph.text[cq.end:dq.start] if current.paragraph is not None else ""
        compared = re.search(r"(?:比|较|与)\s?([^，,。；;]{0,14}?)\s?(?:相比|增加|减少|增长|下降|持平|，|,)", between)
        base = compared.group(1) if compared else ""
        groups.setdefault((cq.normalized, cq.base_unit, current.scope.year, dq.direction, base),
                          []).append((current, delta))
    seen: set[tuple[Decimal, Decimal]] = set()
    for members in groups.values():
        for (ca, da), (cb, db) in itertools.combinations(members, 2):
            a, b = da.quantity, db.quantity
            low, high = sorted((a.normalized, b.normalized))
            if low == high or (high - low) > high * Decimal("0.05") or (low, high) in seen:
                continue
            seen.add((low, high))
            severity = "info" if high - low <= _half(a) + _half(b) else "error"
            measure = display_metric(ca) or display_metric(cb)
            findings.append(_finding("conflict", "conflict.change_values", severity, measure,
                                     "finding.conflict.change_values", [_fmt(a), _fmt(b)], [ca, da, cb, db],
                                     ca.scope, current=_fmt(ca.quantity), a=_fmt(a), b=_fmt(b)))
    return findings


_COMPARISON_WORDS = re.compile(r"[\d.,，]+\s?(?:万|亿)?(?:元|个|人|次|件|项)?|相比|比较|同比|环比|对比|[与较比]|上年|上一年度?|去年|"
                               r"预算|决算|执行数|增加了?|减少了?|增长了?|下降了?|降低了?|提高了?|上升了?|压减了?|节约了?|"
                               r"共|了|为|数|度|年|\s")


def _same_subject(delta: Measured, current: Measured) -> bool:
    """Return whether a change speaks of the figure before it: it names nothing else before its verb."""
    own = _COMPARISON_WORDS.sub("", delta.context).strip()
    if len(own) <= 1:
        return True
    return similarity(own, current.quantity.metric) >= 0.5 or own in current.quantity.metric


def _marked_prior(m: Measured) -> bool:
    """Return whether ``m`` is named as a prior-period value (上年175.98万元, 与上年决算数1.81万元相比)."""
    return m.quantity.role == "baseline" or bool(re.search(r"上年|上一年|去年", m.context + m.quantity.metric))


def _is_prior(m: Measured, current: Measured) -> bool:
    """Return whether ``m`` is the prior-period value of the figure ``current`` (上年175.98万元, 2022年…执行数)."""
    if _marked_prior(m):
        return True
    return m.scope.year is not None and current.scope.year is not None and m.scope.year < current.scope.year


def _percent_bounds(current: Decimal, hc: Decimal, base: Decimal, hb: Decimal) -> tuple[Decimal, Decimal]:
    """Return the lowest and highest percentage change the rounded figures allow."""
    values = []
    for c in (current - hc, current + hc):
        for b in (base - hb, base + hb):
            if b > 0:
                values.append((c - b) / b * 100)
    return min(values), max(values)


def _grade_percent(stated: Quantity, low: Decimal, high: Decimal) -> str | None:
    """Return None if ``stated`` (a percentage) lies within [low, high] at its precision, else a severity."""
    half = Decimal(5) / Decimal(10) ** (stated.precision + 1)
    value = stated.normalized
    if low - half <= value <= high + half:
        return None
    step = Decimal(10) ** -stated.precision
    if low - half - step <= value <= high + half + step:
        return "info"  # one unit of the last stated digit: truncated rather than rounded
    gap = min(abs(value - low), abs(value - high))
    return "warning" if gap < Decimal("0.1") else "error"


def change_checks(paragraph: Paragraph, items: list[Measured],
                  changes: list[tuple[Measured, Measured]] | None = None, year: int | None = None) -> list[Finding]:
    """Check stated changes against the base the sentence states, else against current − change.

    Each (current, change) pair checked is appended to ``changes``, for :func:`change_conflicts`.
    """
    findings: list[Finding] = []
    changes = [] if changes is None else changes
    for group in _sentences(paragraph, items):
        for k, m in enumerate(group):
            q = m.quantity
            if q.role != "change" or q.direction is None or _POLICY.search(m.context):
                continue
            if q.kind == "percent":
                # A percentage right after an amount change is checked with that change.
                if k and group[k - 1].quantity.role == "change" and group[k - 1].quantity.kind != "percent":
                    continue
                delta = None
            else:
                delta = m
            before = [x for x in group[:k] if x.quantity.role in ("actual", "baseline")
                      and x.quantity.kind != "percent" and x.quantity.comparator == "="]
            candidates = [x for x in before if x.quantity.role == "actual" and not _marked_prior(x)
                          and not re.search(r"[（(]\s?$", x.context)]
            current = candidates[-1] if candidates else None
            if current is not None and current.scope.year is not None:
                # "2023年预算安排…，2022年执行数…，增加…%": the latest year is the current figure.
                latest = max((x.scope.year or 0) for x in candidates)
                current = next(x for x in reversed(candidates) if (x.scope.year or 0) == latest)
            if current is None or (delta and delta.quantity.base_unit != current.quantity.base_unit):
                continue
            if delta is not None and not _same_subject(delta, current):
                continue  # "…专项经费23.3万元，信息化建设经费增加35万元": the change is of another item
            prior = [x for x in group if x is not current and x.quantity.base_unit == current.quantity.base_unit
                     and x.quantity.role in ("actual", "baseline") and x.quantity.kind != "percent"
                     and _is_prior(x, current) and x.scope.item == current.scope.item]
            base = prior[-1] if prior else None
            pct = None
            if delta is not None:
                after = group[k + 1:k + 3]
                pct = next((x for x in after if x.quantity.kind == "percent"
                            and (x.quantity.role == "change" or _RATE_OF_CHANGE.search(x.context))
                            and not _POLICY.search(x.context)), None)
            elif q.kind == "percent":
                pct = m
            if base is None and year is not None and current.scope.year is not None and current.scope.year < year:
                # "与2016年度相比（2016年度…为8,648.07万元），增加498.72万元，增长5.77%": the figure is the base.
                if delta is not None and pct is not None:
                    findings += _check_on_base(current, delta, pct)
                continue
            findings += _check_change(paragraph, current, base, delta, pct)
            if delta is not None and base is None:
                changes.append((current, delta))
    return findings


def _check_on_base(base: Measured, delta: Measured, pct: Measured) -> list[Finding]:
    """Check a percentage change against the change and the prior-year base the sentence states."""
    bq, dq = base.quantity, delta.quantity
    if bq.normalized <= 0:
        return []
    hb, hd = _half(bq), _half(dq)
    values = [d / b * 100 for d in (dq.normalized - hd, dq.normalized + hd) for b in (bq.normalized - hb, bq.normalized + hb)
              if b > 0]
    grade = _grade_percent(pct.quantity, min(values), max(values))
    if not grade:
        return []
    computed = dq.normalized / bq.normalized * 100
    return [_finding("arithmetic", "change.percent_mismatch", grade, display_metric(base), "finding.change.percent_on_base",
                     [_fmt(bq), _fmt(dq), _fmt(pct.quantity)], [base, delta, pct], base.scope, base=_fmt(bq),
                     change=_fmt(dq), computed=_pct(computed, pct.quantity.precision), stated=_fmt(pct.quantity))]


def _check_change(paragraph: Paragraph, current: Measured, base: Measured | None, delta: Measured | None,
                  pct: Measured | None) -> list[Finding]:
    cq = current.quantity
    measure = display_metric(current)
    findings: list[Finding] = []
    direction = (delta or pct).quantity.direction if (delta or pct) else None  # type: ignore[union-attr]
    sign = Decimal(1) if direction == "up" else Decimal(-1)
    hc = _half(cq)
    if base is not None:
        bq = base.quantity
        hb = _half(bq)
        diff = cq.normalized - bq.normalized
        if diff and (diff > 0) != (sign > 0) and abs(diff) > hc + hb:
            findings.append(_finding("arithmetic", "change.direction", "error", measure, "finding.change.direction",
                                     [_fmt(cq), _fmt(bq)], [current, base] + [x for x in (delta or pct,) if x is not None],
                                     current.scope, current=_fmt(cq), base=_fmt(bq),
                                     verb=t("word.up") if sign > 0 else t("word.down")))
            return findings
        if delta is not None:
            dq = delta.quantity
            gap = abs(abs(diff) - dq.normalized)
            slack = hc + hb + _half(dq)
            if gap > slack:
                severity = "info" if gap <= 2 * slack else "error"
                findings.append(_finding("arithmetic", "change.amount_mismatch", severity, measure,
                                         "finding.change.amount_mismatch", [_fmt(cq), _fmt(bq), _fmt(dq)],
                                         [current, base, delta], current.scope, current=_fmt(cq), base=_fmt(bq),
                                         change=_fmt(dq), computed=show(abs(diff), dq)))
        if pct is not None and bq.normalized > 0:
            low, high = _percent_bounds(cq.normalized, hc, bq.normalized, hb)
            low, high = sorted((abs(low), abs(high)))
            grade = _grade_percent(pct.quantity, low, high)
            if grade:
                computed = abs(diff) / bq.normalized * 100
                findings.append(_finding("arithmetic", "change.percent_mismatch", grade, measure,
                                         "finding.change.percent_base", [_fmt(cq), _fmt(bq), _fmt(pct.quantity)],
                                         [current, base, pct], current.scope, current=_fmt(cq), base=_fmt(bq),
                                         computed=_pct(computed, pct.quantity.precision), stated=_fmt(pct.quantity)))
        return findings
    if delta is None:
        return findings
    dq = delta.quantity
    before = cq.normalized - sign * dq.normalized
    if before < -(hc + _half(dq)):
        findings.append(_finding("arithmetic", "change.negative_base", "error", measure, "finding.change.negative_base",
                                 [_fmt(cq), _fmt(dq)], [current, delta], current.scope, current=_fmt(cq),
                                 change=_fmt(dq)))
        return findings
    if pct is not None and before > 0:
        hd = _half(dq)
        values = [d / b * 100 for d in (dq.normalized - hd, dq.normalized + hd)
                  for b in (before - hc - hd, before + hc + hd) if b > 0]
        if not values:
            return findings
        grade = _grade_percent(pct.quantity, min(values), max(values))
        if grade:
            computed = dq.normalized / before * 100
            findings.append(_finding("arithmetic", "change.percent_mismatch", grade, measure,
                                     "finding.change.percent_mismatch", [_fmt(cq), _fmt(dq), _fmt(pct.quantity)],
                                     [current, delta, pct], current.scope, current=_fmt(cq), change=_fmt(dq),
                                     base=show(before, cq), computed=_pct(computed, pct.quantity.precision),
                                     stated=_fmt(pct.quantity)))
    return findings


def total_checks(paragraph: Paragraph, items: list[Measured], near: Decimal = Decimal("0.05")) -> list[Finding]:
    """Check that the parts listed after 其中/包括 add up to the total stated before them."""
    findings: list[Finding] = []
    text = paragraph.text
    for i, total in enumerate(items):
        tq = total.quantity
        if tq.role != "actual" or tq.kind not in ("money", "count") or tq.normalized == 0 or tq.comparator != "=":
            continue
        rest_start = tq.end
        listing = re.match(r"[^。；;]{0,12}?(?:其中|包括|分别为|具体为)[：:，,]?", text[rest_start:])
        if not (listing or _TOTAL.search(tq.metric)):
            continue
        parts: list[Measured] = []
        for m in items[i + 1:]:
            q = m.quantity
            if q.role != "actual" or q.base_unit != tq.base_unit or q.comparator != "=" or q.kind == "percent":
                if q.kind == "percent" or q.role == "change":
                    continue
                break
            # Only the parts of this listing: a new total or a new sentence of another subject ends it.
            if re.search(r"[。]", text[tq.end:q.start]) and not listing:
                break
            if "其中" in text[parts[-1].quantity.end if parts else tq.end:q.start] and parts:
                break  # a nested listing: its parts belong to the part before it
            parts.append(m)
            if len(parts) >= 10:
                break
        if len(parts) < 2:
            continue
        finding = _parts_finding(total, parts)
        if finding is not None:
            findings.append(finding)
    return findings


def _parts_finding(total: Measured, parts: list[Measured], near: Decimal = Decimal("0.05")) -> Finding | None:
    """Return a finding when no selection of ``parts`` adds up to ``total`` within the rounding of the figures.

    All the listed parts missing the total by more than rounding is an error;
    when the listing nests (其中 within 其中), only a rounding-level miss of the
    closest selection is reported, as info.
    """
    tq = total.quantity

    def gap_of(combo: tuple[Measured, ...]) -> tuple[Decimal, Decimal]:
        summed = sum((m.quantity.normalized for m in combo), Decimal(0))
        slack = _half(tq) + sum((_half(m.quantity) for m in combo), Decimal(0))
        return abs(summed - tq.normalized), slack

    closest: tuple[Decimal, tuple[Measured, ...]] | None = None
    for size in range(2, len(parts) + 1):
        for combo in itertools.combinations(parts, size):
            gap, slack = gap_of(combo)
            if gap == 0:
                return None
            if gap <= slack and (closest is None or gap - slack < closest[0]):
                closest = (gap - slack, combo)
    whole = tuple(parts)
    gap, slack = gap_of(whole)
    if closest is not None:
        # Only rounding separates a selection of the parts from the total: info.
        combo, severity = closest[1], "info"
    elif gap <= tq.normalized * near:
        combo, severity = whole, "error"
    else:
        return None
    summed = sum((m.quantity.normalized for m in combo), Decimal(0))
    listed = " + ".join(_fmt(m.quantity) for m in combo)
    return _finding("arithmetic", "total.parts_sum", severity, display_metric(total), "finding.total.parts_sum",
                    [_fmt(tq), f"{listed} = {show(summed, tq)}"], [total, *combo], total.scope,
                    total=_fmt(tq), parts=listed, computed=show(summed, tq))


def share_checks(paragraph: Paragraph, items: list[Measured]) -> list[Finding]:
    """Check shares (占…%) and completion rates (完成…的%, 1337个…完成1316个，完成率98.4%) against part and whole."""
    findings: list[Finding] = []
    text = paragraph.text
    for group in _sentences(paragraph, items):
        for k, m in enumerate(group):
            q = m.quantity
            if q.kind != "percent" or q.role not in ("actual", "none"):
                continue
            lead = text[max(0, q.start - 20):q.start]
            whole: Measured | None = None
            part: Measured | None = None
            named = re.search(r"(?:完成|占)([^，,。；;%\d率达为]{0,12}?)的?\s?$", lead)
            amounts = [x for x in group[:k] if x.quantity.kind != "percent" and x.quantity.role == "actual"
                       and x.quantity.comparator == "="]
            if named and amounts:
                name = named.group(1).rstrip("的")
                part = amounts[-1]
                whole = next((x for x in reversed(amounts[:-1]) if name and (name in x.quantity.metric
                              or name in x.context) and x.quantity.base_unit == part.quantity.base_unit), None)
                if whole is None and named.group(0).startswith("占") and not name:
                    whole = _whole_of_listing(paragraph, items, part)
            elif _RATE.search(q.metric) and len(amounts) >= 2:
                a, b = amounts[-2:]
                if (a.quantity.base_unit == b.quantity.base_unit and b.quantity.start - a.quantity.end <= 30
                        and similarity(a.quantity.metric, b.quantity.metric) >= 0.4):
                    whole, part = (a, b) if a.quantity.normalized >= b.quantity.normalized else (b, a)
            if whole is None or part is None or whole.quantity.normalized <= 0:
                continue
            wq, pq = whole.quantity, part.quantity
            values = [(p / w) * 100 for p in (pq.normalized - _half(pq), pq.normalized + _half(pq))
                      for w in (wq.normalized - _half(wq), wq.normalized + _half(wq)) if w > 0]
            grade = _grade_percent(q, min(values), max(values))
            if grade:
                computed = pq.normalized / wq.normalized * 100
                findings.append(_finding("arithmetic", "share.mismatch", grade, display_metric(m) or display_metric(part),
                                         "finding.share.mismatch", [_fmt(q), _fmt(pq), _fmt(wq)], [m, part, whole],
                                         m.scope, part=_fmt(pq), whole=_fmt(wq),
                                         computed=_pct(computed, q.precision), stated=_fmt(q)))
    return findings


def _whole_of_listing(paragraph: Paragraph, items: list[Measured], part: Measured) -> Measured | None:
    """Return the total a 其中 listing opened with, when ``part`` is one of its parts."""
    for m in reversed([x for x in items if x.quantity.start < part.quantity.start]):
        q = m.quantity
        if q.base_unit == part.quantity.base_unit and q.kind != "percent" and q.role == "actual" and \
                re.match(r"[^。；;]{0,12}?(?:其中|包括)", paragraph.text[q.end:]):
            return m
    return None


# --- unmet targets ----------------------------------------------------------------------------

def explanation_of(row: IndicatorRow, report: Report) -> str | None:
    """Return the report's explanation of why ``row`` missed its target, quoted: its own cell, else a sentence."""
    cell = row.analysis.strip()
    if cell and not _NO_REASON.match(cell) and (_EXPLAINED.search(cell) or len(cell) >= 8):
        return cell
    name = row.name.strip()
    core = metric_core(name)
    for paragraph in report.paragraphs:
        text = paragraph.text
        if not (name and name in text) and not (len(core) >= 3 and core in text):
            continue
        for match in re.finditer(r"[^。；;！？\n]+[。；;！？]?", text):
            sentence = match.group(0)
            if (name in sentence or (len(core) >= 3 and core in sentence)) and _REASON_SENTENCE.search(sentence):
                return sentence.strip()
        # The reason may follow in the next sentence ("……未达到目标。主要原因是……").
        position = text.find(name) if name in text else text.find(core)
        follow = re.search(r"[^。；;]*(?:主要原因|原因是|由于|受[^。；;]{0,20}影响)[^。；;]*[。；;]?", text[position:])
        if follow:
            return follow.group(0).strip()
    return None


def unmet(report: Report) -> list[Finding]:
    """Return a finding per indicator row that misses its target, quoting the report's explanation if any."""
    findings = []
    pages = {tb.id: tb.page for tb in report.tables}
    for row in report.indicators:
        if row.status != "not_met":
            continue
        reason = explanation_of(row, report)
        key = "finding.target.unmet_explained" if reason else "finding.target.unmet"
        finding = Finding("unmet", row.name, t(key, measure=row.name, target=row.target, actual=row.actual,
                                                 reason=reason or ""),
                          [row.target, row.actual],
                          [Evidence(None, None, row.actual, None, pages.get(row.table), row.table, row.id, "actual",
                                    row.actual_quantity.to_dict() if row.actual_quantity else None)],
                          explained=reason is not None, code="target.unmet", severity="error",
                          scope={"item": row.name, "year": report_year(report), "fund": [], "stage": None,
                                 "unit": row.target_quantity.base_unit if row.target_quantity else "",
                                 "table": row.table},
                          explanation=reason)
        findings.append(finding)
    return findings
