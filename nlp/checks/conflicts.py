"""Find one measure stated with two values in the narrative.

Two figures conflict when they state the same measure with the same scope
(metric, line item, year, fund, budget stage, unit) and different values
(``conflict.same_measure``); a tenfold gap (``conflict.shifted_digit``) is
worth a question (warning); a gap within the rounding of the less precise
figure is ``info``; a value given as "超…"/"约…" states nothing to contradict.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from nlp.checks.context import POLICY
from nlp.checks.finding import Finding, make_finding, written
from nlp.checks.tolerance import digits, half
from nlp.indicators import similarity
from nlp.quantities import Quantity
from nlp.scope import Measured, display_metric

# Budget words that do not say what is counted: with no line item they are department-level totals.
_GENERIC = re.compile(r"预算|决算|执行数?|安排|支出|收入|拨款|科目|年初|全年|调整|完成|总计|批复|数|额|当年|资金|经费")
_STATUS = re.compile(r"已?完成|建成|开通|上线|接入|办结|新增|累计|已")
_BARE_RATE = re.compile(r"完成率|执行率|达成率|覆盖率|占比|比例|比重|增长率|增幅|降幅|率")
_CUMULATIVE = re.compile(r"累计|总计|共计|总量|合计|累积")


_COMPARABLE_KINDS = ("count", "money", "percent", "area", "duration")


_SHORTFALL = re.compile(r"(?:较|比|与)(?:年度)?(?:目标|计划|预期)(?:值)?(?:相比)?(?:少|多|差|超出?|低|高)了?\s?$")


def comparable(m: Measured) -> bool:
    """Return whether ``m`` states a value of its measure that another figure could contradict."""
    q = m.quantity
    if _SHORTFALL.search(m.context):
        return False  # "较目标少80个": a gap to the target, not a value of the measure
    if q.kind == "percent" and re.search(r"占[^，,。；;]{0,12}$", m.context):
        return False  # a share of something: checked against its part and whole instead
    if m.paragraph is not None and q.unit in ("类", "款", "项") and \
            re.search(r"[（(]\s?$", m.paragraph.text[:q.start]) and re.match(r"\s?[）)]", m.paragraph.text[q.end:]):
        return False  # a 类/款/项 code in brackets, not a count
    return (q.role == "actual" and q.kind in _COMPARABLE_KINDS and q.comparator in ("=", ">=", ">", "~")
            and not POLICY.search(m.context) and not re.search(r"[比较]\s?$|^\s*[（(]", m.context[-2:] or "x"))


def _generic(core: str) -> bool:
    return not _GENERIC.sub("", core)


def _shifted(a: Quantity, b: Quantity) -> bool:
    """Return whether two values share their leading three digits and sit a power of ten apart (6008万 / 600万)."""
    da, db = digits(a), digits(b)
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
    da, db = digits(a), digits(b)
    keep = len(da) - (2 if len(da) >= 6 else 1)
    return (len(da) == len(db) >= 4 and a.precision == b.precision and a.multiplier == b.multiplier
            and da[:keep] == db[:keep])


def gap_severity(a: Quantity, b: Quantity) -> tuple[str, str] | None:
    """Return (severity, code) for two values of one measure, or None when they agree."""
    diff = abs(a.normalized - b.normalized)
    if diff == 0:
        return None
    if diff <= half(a) + half(b) and a.precision != b.precision:
        return "info", "conflict.rounding"
    if _shifted(a, b):
        return "warning", "conflict.shifted_digit"
    if a.comparator != "=" or b.comparator != "=":
        return None  # a bound or an estimate (50万元以上, 约…) states no value to contradict
    return "error", "conflict.same_measure"


def conflicts(items: list[Measured], near: Decimal = Decimal("0.05")) -> list[Finding]:
    """Return findings for one measure, with one scope, stated with different values."""
    # Without a line item, a figure with no metric words measures nothing same_measure can match.
    pool = [m for m in items if comparable(m) and m.quantity.normalized != 0 and (m.scope.item or m.core)]
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
            graded = gap_severity(qa, qb)
            if graded is None:
                continue
            severity, code = graded
            if code == "conflict.shifted_digit" and not a.scope.item and score < 0.5:
                continue
            measure = display_metric(a) or display_metric(b)
            pair = tuple(sorted((written(qa), written(qb))))
            key = (measure if a.scope.item else "", *pair)
            if key in reported or pair in reported:
                continue
            reported.update((key, pair))
            findings.append(make_finding("conflict", code, severity, measure, f"finding.{code}",
                                         [written(qa), written(qb)], [a, b], a.scope, a=written(qa), b=written(qb),
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
