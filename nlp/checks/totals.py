"""Check parts against their whole: listed parts against their total, shares against part and whole.

Parts listed after 其中/包括 against their total (``total.parts_sum``);
shares (占…%) and completion rates (完成…的%) against their whole
(``share.mismatch``). Tolerance comes from the precision the figures are
stated in; a gap that only rounding explains is ``info``.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

from nlp.checks.context import by_sentence
from nlp.checks.finding import Finding, make_finding, percent_text, show, written
from nlp.checks.tolerance import grade_percent, half, ratio_bounds
from nlp.document import Paragraph
from nlp.indicators import similarity
from nlp.scope import Measured, display_metric

_TOTAL = re.compile(r"合计|总计|总额|共计|总数|总量|总和")
_RATE = re.compile(r"完成率|覆盖率|占比|比例|比重|达成率|执行率")


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
        slack = half(tq) + sum((half(m.quantity) for m in combo), Decimal(0))
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
    listed = " + ".join(written(m.quantity) for m in combo)
    return make_finding("arithmetic", "total.parts_sum", severity, display_metric(total), "finding.total.parts_sum",
                        [written(tq), f"{listed} = {show(summed, tq)}"], [total, *combo], total.scope,
                        total=written(tq), parts=listed, computed=show(summed, tq))


def share_checks(paragraph: Paragraph, items: list[Measured]) -> list[Finding]:
    """Check shares (占…%) and completion rates (完成…的%, 1337个…完成1316个，完成率98.4%) against part and whole."""
    findings: list[Finding] = []
    for group in by_sentence(paragraph, items):
        for k, m in enumerate(group):
            q = m.quantity
            if q.kind != "percent" or q.role not in ("actual", "none"):
                continue
            pair = _part_and_whole(paragraph, items, group[:k], m)
            if pair is None:
                continue
            part, whole = pair
            wq, pq = whole.quantity, part.quantity
            bounds = ratio_bounds(pq.normalized, half(pq), wq.normalized, half(wq))
            grade = grade_percent(q, *bounds) if bounds else None
            if grade:
                computed = pq.normalized / wq.normalized * 100
                findings.append(make_finding("arithmetic", "share.mismatch", grade,
                                             display_metric(m) or display_metric(part), "finding.share.mismatch",
                                             [written(q), written(pq), written(wq)], [m, part, whole], m.scope,
                                             part=written(pq), whole=written(wq),
                                             computed=percent_text(computed, q.precision), stated=written(q)))
    return findings


def _part_and_whole(paragraph: Paragraph, items: list[Measured], before: list[Measured],
                    rate: Measured) -> tuple[Measured, Measured] | None:
    """Return the part and the whole the percentage ``rate`` is stated of, from the figures ``before`` it."""
    q = rate.quantity
    lead = paragraph.text[max(0, q.start - 20):q.start]
    whole: Measured | None = None
    part: Measured | None = None
    named = re.search(r"(?:完成|占)([^，,。；;%\d率达为]{0,12}?)的?\s?$", lead)
    amounts = [x for x in before if x.quantity.kind != "percent" and x.quantity.role == "actual"
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
        return None
    return part, whole


def _whole_of_listing(paragraph: Paragraph, items: list[Measured], part: Measured) -> Measured | None:
    """Return the total a 其中 listing opened with, when ``part`` is one of its parts."""
    for m in reversed([x for x in items if x.quantity.start < part.quantity.start]):
        q = m.quantity
        if q.base_unit == part.quantity.base_unit and q.kind != "percent" and q.role == "actual" and \
                re.match(r"[^。；;]{0,12}?(?:其中|包括)", paragraph.text[q.end:]):
            return m
    return None
