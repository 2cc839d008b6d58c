"""Check stated changes (比上年增加/减少 X, Y%) against the figures they change.

A change is checked against the base the text states (the prior-year value,
in brackets or in the same sentence), else against the current value minus
the change (``change.amount_mismatch``, ``change.percent_mismatch``,
``change.direction``, ``change.negative_base``); one figure said to have
changed by two amounts is ``conflict.change_values``. Policy rates
(统一压减10%) are not changes; a gap that only rounding explains is ``info``.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal
from typing import Any

from nlp.checks.context import POLICY, by_sentence, marked_prior
from nlp.checks.finding import Finding, make_finding, percent_text, show, written
from nlp.checks.tolerance import digits, grade_percent, half, percent_bounds, ratio_bounds
from nlp.document import Paragraph
from nlp.indicators import similarity
from nlp.messages import t
from nlp.scope import Measured, display_metric

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
        if len(digits(cq)) < 4 or dq.kind == "percent":
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
            severity = "info" if high - low <= half(a) + half(b) else "error"
            measure = display_metric(ca) or display_metric(cb)
            findings.append(make_finding("conflict", "conflict.change_values", severity, measure,
                                         "finding.conflict.change_values", [written(a), written(b)], [ca, da, cb, db],
                                         ca.scope, current=written(ca.quantity), a=written(a), b=written(b)))
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


def _is_prior(m: Measured, current: Measured) -> bool:
    """Return whether ``m`` is the prior-period value of the figure ``current`` (上年175.98万元, 2022年…执行数)."""
    if marked_prior(m):
        return True
    return m.scope.year is not None and current.scope.year is not None and m.scope.year < current.scope.year


def change_checks(paragraph: Paragraph, items: list[Measured],
                  changes: list[tuple[Measured, Measured]] | None = None, year: int | None = None) -> list[Finding]:
    """Check stated changes against the base the sentence states, else against current − change.

    Each (current, change) pair checked is appended to ``changes``, for :func:`change_conflicts`.
    """
    findings: list[Finding] = []
    changes = [] if changes is None else changes
    for group in by_sentence(paragraph, items):
        for k, m in enumerate(group):
            q = m.quantity
            if q.role != "change" or q.direction is None or POLICY.search(m.context):
                continue
            prev = group[k - 1].quantity if k else None
            if q.kind == "percent" and prev is not None and prev.role == "change" and prev.kind != "percent":
                continue  # a percentage right after an amount change is checked with that change
            delta = None if q.kind == "percent" else m
            current = _current(group[:k])
            if current is None or (delta and delta.quantity.base_unit != current.quantity.base_unit):
                continue
            if delta is not None and not _same_subject(delta, current):
                continue  # "…专项经费23.3万元，信息化建设经费增加35万元": the change is of another item
            base = _prior(group, current)
            pct = m if delta is None else _percent_after(group[k + 1:k + 3])
            if base is None and year is not None and current.scope.year is not None and current.scope.year < year:
                # "与2016年度相比（2016年度…为8,648.07万元），增加498.72万元，增长5.77%": the figure is the base.
                if delta is not None and pct is not None:
                    findings += _check_on_base(current, delta, pct)
                continue
            findings += _check_change(current, base, delta, pct)
            if delta is not None and base is None:
                changes.append((current, delta))
    return findings


def _current(before: list[Measured]) -> Measured | None:
    """Return the figure a change that follows ``before`` in its sentence is the change of."""
    stated = [x for x in before if x.quantity.role in ("actual", "baseline")
              and x.quantity.kind != "percent" and x.quantity.comparator == "="]
    candidates = [x for x in stated if x.quantity.role == "actual" and not marked_prior(x)
                  and not re.search(r"[（(]\s?$", x.context)]
    current = candidates[-1] if candidates else None
    if current is not None and current.scope.year is not None:
        # "2023年预算安排…，2022年执行数…，增加…%": the latest year is the current figure.
        latest = max((x.scope.year or 0) for x in candidates)
        current = next(x for x in reversed(candidates) if (x.scope.year or 0) == latest)
    return current


def _prior(group: list[Measured], current: Measured) -> Measured | None:
    """Return the prior-period value of ``current`` its sentence states, the last if several."""
    prior = [x for x in group if x is not current and x.quantity.base_unit == current.quantity.base_unit
             and x.quantity.role in ("actual", "baseline") and x.quantity.kind != "percent"
             and _is_prior(x, current) and x.scope.item == current.scope.item]
    return prior[-1] if prior else None


def _percent_after(after: list[Measured]) -> Measured | None:
    """Return the percentage change that follows an amount change (增加35万元，增长5.77%), if any."""
    return next((x for x in after if x.quantity.kind == "percent"
                 and (x.quantity.role == "change" or _RATE_OF_CHANGE.search(x.context))
                 and not POLICY.search(x.context)), None)


def _check_on_base(base: Measured, delta: Measured, pct: Measured) -> list[Finding]:
    """Check a percentage change against the change and the prior-year base the sentence states."""
    bq, dq, pq = base.quantity, delta.quantity, pct.quantity
    if bq.normalized <= 0:
        return []
    bounds = ratio_bounds(dq.normalized, half(dq), bq.normalized, half(bq))
    grade = grade_percent(pq, *bounds) if bounds else None
    if not grade:
        return []
    computed = dq.normalized / bq.normalized * 100
    return [make_finding("arithmetic", "change.percent_mismatch", grade, display_metric(base),
                         "finding.change.percent_on_base", [written(bq), written(dq), written(pq)],
                         [base, delta, pct], base.scope, base=written(bq), change=written(dq),
                         computed=percent_text(computed, pq.precision), stated=written(pq))]


def _check_change(current: Measured, base: Measured | None, delta: Measured | None,
                  pct: Measured | None) -> list[Finding]:
    """Check a change against the prior-year value stated beside it, else against current − change."""
    moved = delta or pct
    sign = Decimal(1) if moved is not None and moved.quantity.direction == "up" else Decimal(-1)
    if base is not None:
        return _against_base(current, base, delta, pct, sign)
    if delta is None:
        return []
    return _against_change(current, delta, pct, sign)


def _against_base(current: Measured, base: Measured, delta: Measured | None, pct: Measured | None,
                  sign: Decimal) -> list[Finding]:
    """Check the direction, amount and percentage of a change against current and prior-year value."""
    cq, bq = current.quantity, base.quantity
    measure = display_metric(current)
    hc, hb = half(cq), half(bq)
    diff = cq.normalized - bq.normalized
    if diff and (diff > 0) != (sign > 0) and abs(diff) > hc + hb:
        shown = [current, base] + [x for x in (delta or pct,) if x is not None]
        return [make_finding("arithmetic", "change.direction", "error", measure, "finding.change.direction",
                             [written(cq), written(bq)], shown, current.scope, current=written(cq), base=written(bq),
                             verb=t("word.up") if sign > 0 else t("word.down"))]
    findings: list[Finding] = []
    if delta is not None:
        dq = delta.quantity
        gap = abs(abs(diff) - dq.normalized)
        slack = hc + hb + half(dq)
        if gap > slack:
            severity = "info" if gap <= 2 * slack else "error"
            findings.append(make_finding("arithmetic", "change.amount_mismatch", severity, measure,
                                         "finding.change.amount_mismatch", [written(cq), written(bq), written(dq)],
                                         [current, base, delta], current.scope, current=written(cq),
                                         base=written(bq), change=written(dq), computed=show(abs(diff), dq)))
    if pct is not None and bq.normalized > 0:
        pq = pct.quantity
        low, high = percent_bounds(cq.normalized, hc, bq.normalized, hb)
        low, high = sorted((abs(low), abs(high)))
        grade = grade_percent(pq, low, high)
        if grade:
            computed = abs(diff) / bq.normalized * 100
            findings.append(make_finding("arithmetic", "change.percent_mismatch", grade, measure,
                                         "finding.change.percent_base", [written(cq), written(bq), written(pq)],
                                         [current, base, pct], current.scope, current=written(cq),
                                         base=written(bq), computed=percent_text(computed, pq.precision),
                                         stated=written(pq)))
    return findings


def _against_change(current: Measured, delta: Measured, pct: Measured | None, sign: Decimal) -> list[Finding]:
    """Check a change with no stated base: the base it implies (current − change) and its percentage."""
    cq, dq = current.quantity, delta.quantity
    measure = display_metric(current)
    hc, hd = half(cq), half(dq)
    before = cq.normalized - sign * dq.normalized
    if before < -(hc + hd):
        return [make_finding("arithmetic", "change.negative_base", "error", measure, "finding.change.negative_base",
                             [written(cq), written(dq)], [current, delta], current.scope, current=written(cq),
                             change=written(dq))]
    if pct is None or before <= 0:
        return []
    pq = pct.quantity
    bounds = ratio_bounds(dq.normalized, hd, before, hc + hd)
    grade = grade_percent(pq, *bounds) if bounds else None
    if not grade:
        return []
    computed = dq.normalized / before * 100
    return [make_finding("arithmetic", "change.percent_mismatch", grade, measure, "finding.change.percent_mismatch",
                         [written(cq), written(dq), written(pq)], [current, delta, pct], current.scope,
                         current=written(cq), change=written(dq), base=show(before, cq),
                         computed=percent_text(computed, pq.precision), stated=written(pq))]
