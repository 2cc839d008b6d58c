"""Check a report's numbers the way a reviewer would, and record findings with evidence.

- conflict: the same measure stated twice with values that differ slightly
  (a rounding or copying slip, ≤ 2 %) or by a power of ten (a shifted digit);
  values far apart usually measure different scopes and are not flagged.
- arithmetic: a change that does not match its before/after values or its
  percentage, or parts that do not add up to their stated total, each within
  the rounding of the precision the report states.
- unmet: an indicator row that misses its target, and whether the report
  explains why.
Stated figures that add up are never flagged.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from nlp.document import Paragraph, Report
from nlp.indicators import EXPLAINED, similarity
from nlp.quantities import Quantity

_TOTAL = re.compile(r"合计|总计|总额|共计|总数|总量|总和")
_RATE = re.compile(r"完成率|覆盖率|占比|比例|比重|达成率|执行率")
CONFLICT_CLOSE = Decimal("0.01")


@dataclass
class Evidence:
    start: int
    end: int
    text: str
    paragraph: str | None = None
    page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "paragraph": self.paragraph, "page": self.page}


@dataclass
class Finding:
    """Something a reviewer should look at, with the spans that show it."""

    kind: str
    measure: str
    message: str
    values: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    explained: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "measure": self.measure, "message": self.message, "values": list(self.values),
                "explained": self.explained, "evidence": [e.to_dict() for e in self.evidence]}


def _evidence(paragraph: Paragraph, quantity: Quantity) -> Evidence:
    return Evidence(paragraph.start + quantity.start, paragraph.start + quantity.end, quantity.surface,
                    paragraph.id, paragraph.page)


def _half(quantity: Quantity) -> Decimal:
    """Return half a unit of the last stated digit, in normalised units (0 is exact)."""
    if quantity.normalized == 0:
        return Decimal(0)
    return Decimal(5) * quantity.multiplier / (Decimal(10) ** (quantity.precision + 1))


def _slack(stated: Quantity, *used: Quantity) -> Decimal:
    """Return how far a value computed from ``used`` may be from ``stated`` through rounding alone.

    Figures are taken as exact at the precision they are stated in; a figure
    stated less precisely than ``stated`` adds its own rounding.
    """
    return _half(stated) + sum((_half(q) for q in used if q.precision < stated.precision), Decimal(0))


def _fmt(q: Quantity) -> str:
    return re.sub(r"\s+", "", q.surface)


class CheckStage:
    """Pipeline stage: conflict, arithmetic and unmet-target findings."""

    def __call__(self, report: Report) -> Report:
        findings: list[Finding] = []
        findings += conflicts(report)
        for paragraph in report.paragraphs:
            findings += change_checks(paragraph)
            findings += total_checks(paragraph)
            findings += rate_checks(paragraph)
        findings += unmet(report)
        report.findings = findings
        report.stages["checks"] = "1"
        return report


def _measure_text(paragraph: Paragraph, quantity: Quantity) -> str:
    clause = re.split(r"[，,。；;]", paragraph.text[:quantity.start])[-1]
    return quantity.metric + clause[-10:]


def conflicts(report: Report) -> list[Finding]:
    """Return findings for one measure given two close-but-different values."""
    items = [(p, q) for p in report.paragraphs for q in p.quantities
             if q.role == "actual" and q.kind in ("count", "money", "percent", "area") and q.normalized != 0]
    findings: list[Finding] = []
    reported: set[tuple[str, ...]] = set()
    for i, j in _candidate_pairs([q for _, q in items]):
        (pa, qa), (pb, qb) = items[i], items[j]
        if qa.base_unit != qb.base_unit or qa.normalized == qb.normalized or _same_sentence(pa, qa, pb, qb):
            continue
        metric = similarity(qa.metric, qb.metric)
        context = max(metric, similarity(_measure_text(pa, qa), _measure_text(pb, qb)))
        slip = _kind_of_slip(qa, qb)
        # Rates sit close together by nature: only the very same named rate counts.
        if qa.kind == "percent" and not (qa.metric == qb.metric and len(qa.metric) > 3):
            continue
        if not (slip == "digit" and context >= 0.25 or slip == "shift" and context >= 0.4
                or slip == "close" and metric >= 0.6):
            continue
        key = tuple(sorted((_fmt(qa), _fmt(qb))))
        if key in reported:
            continue
        reported.add(key)
        findings.append(Finding(
            "conflict", qa.metric or qb.metric,
            f"{qa.metric or qb.metric}: stated as {_fmt(qa)} and as {_fmt(qb)}"
            + {"digit": " (the last digits differ)", "shift": " (a shifted digit?)", "close": ""}[slip],
            [_fmt(qa), _fmt(qb)], [_evidence(pa, qa), _evidence(pb, qb)]))
    return findings


def _candidate_pairs(quantities: list[Quantity]) -> list[tuple[int, int]]:
    """Return the index pairs whose values could be one figure slipped: same unit, within 1 % or a power of ten.

    Sorting by value keeps this near-linear where comparing every pair would be quadratic.
    """
    by_unit: dict[str, list[tuple[Decimal, int]]] = {}
    for index, quantity in enumerate(quantities):
        by_unit.setdefault(quantity.base_unit, []).append((quantity.normalized, index))
    pairs: set[tuple[int, int]] = set()
    low_share, high_share = Decimal("0.99"), Decimal("1.01")
    for entries in by_unit.values():
        entries.sort()
        values = [value for value, _ in entries]
        for value, i in entries:
            for factor in (1, 10, 100, 1000):
                target = value * factor
                start = bisect.bisect_left(values, target * low_share)
                stop = bisect.bisect_right(values, target * high_share)
                pairs.update((min(i, j), max(i, j)) for _, j in entries[start:stop] if j != i)
    return sorted(pairs)


def _same_sentence(pa: Paragraph, qa: Quantity, pb: Paragraph, qb: Quantity) -> bool:
    # Two figures of one sentence are parts of one statement ("1337个站已完成1316个").
    if pa is not pb:
        return False
    low, high = sorted((qa.start, qb.start))
    return not re.search(r"[。；;！？]", pa.text[low:high])


def _digits(quantity: Quantity) -> str:
    return str(quantity.value).replace(".", "").lstrip("0")


def _kind_of_slip(a: Quantity, b: Quantity) -> str | None:
    """Return how two values of one measure differ: "digit", "shift", "close", or None (unrelated).

    - digit: four or more significant digits, equal but for the last (two, from six digits on): 202.58 / 202.57;
    - shift: the same leading three digits, a power of ten apart (6008万 / 600万);
    - close: within 1 % of each other.
    """
    da, db = _digits(a), _digits(b)
    low, high = sorted((a.normalized, b.normalized))
    keep = len(da) - (2 if len(da) >= 6 else 1)
    if len(da) == len(db) >= 4 and a.precision == b.precision and a.multiplier == b.multiplier and da[:keep] == db[:keep]:
        return "digit"
    if da[:3] == db[:3] and len(da) >= 3 and any(abs(high - low * Decimal(10) ** k) <= high * Decimal("0.01")
                                                 for k in (1, 2, 3)):
        return "shift"
    if high and (high - low) / high <= CONFLICT_CLOSE:
        return "close"
    return None


def _sentences(paragraph: Paragraph) -> list[list[Quantity]]:
    groups: list[list[Quantity]] = []
    bounds = [m.end() for m in re.finditer(r"[。；;！？]", paragraph.text)] + [len(paragraph.text) + 1]
    for bound in bounds:
        start = bounds[bounds.index(bound) - 1] if bounds.index(bound) else 0
        groups.append([q for q in paragraph.quantities if start <= q.start < bound])
    return groups


def change_checks(paragraph: Paragraph) -> list[Finding]:
    """Check stated changes against their current value, baseline and percentage."""
    findings: list[Finding] = []
    for group in _sentences(paragraph):
        actual = next((q for q in group if q.role == "actual" and q.kind != "percent"), None)
        if actual is None:
            continue
        delta = next((q for q in group if q.role == "change" and q.base_unit == actual.base_unit and q.start > actual.start), None)
        base = next((q for q in group if q.role == "baseline" and q.base_unit == actual.base_unit), None)
        pct = next((q for q in group if q.role == "change" and q.kind == "percent" and delta is not None and q.start > delta.start), None)
        if delta is None:
            continue
        sign = Decimal(1) if delta.direction == "up" else Decimal(-1)
        before = actual.normalized - sign * delta.normalized
        if base is not None and abs(base.normalized - before) > _slack(base, actual, delta):
            findings.append(Finding(
                "arithmetic", actual.metric,
                f"{actual.metric}: {_fmt(base)} {'+' if sign > 0 else '−'} {_fmt(delta)} ≠ {_fmt(actual)}",
                [_fmt(actual), _fmt(base), _fmt(delta)], [_evidence(paragraph, q) for q in (actual, base, delta)]))
        if pct is not None and before > 0:
            # Bounds of the true percentage given the rounding of each stated figure.
            computed = delta.normalized / before * 100
            step = Decimal(10) ** -pct.precision
            # Rounded or truncated to the stated precision, the percentage must be the one stated.
            if pct.normalized not in (computed.quantize(step), (computed - step / 2).quantize(step)):
                computed = (delta.normalized / before * 100).quantize(Decimal(10) ** -max(pct.precision, 2))
                findings.append(Finding(
                    "arithmetic", actual.metric,
                    f"{actual.metric}: a change of {_fmt(delta)} on {before.normalize():f} is {computed}%, not {_fmt(pct)}",
                    [_fmt(actual), _fmt(delta), _fmt(pct)], [_evidence(paragraph, q) for q in (actual, delta, pct)]))
    return findings


def total_checks(paragraph: Paragraph, near: Decimal = Decimal("0.05")) -> list[Finding]:
    """Check that parts listed after a stated total add up to it (some combination of them)."""
    findings: list[Finding] = []
    quantities = paragraph.quantities
    for i, total in enumerate(quantities):
        if total.role != "actual" or total.kind not in ("money", "count") or total.normalized == 0:
            continue
        parts = [q for q in quantities[i + 1:] if q.role == "actual" and q.base_unit == total.base_unit][:12]
        rest = paragraph.text[total.end:parts[0].start] if parts else ""
        if len(parts) < 2 or not (_TOTAL.search(total.metric) or "其中" in rest):
            continue
        closest: tuple[Decimal, tuple[Quantity, ...]] | None = None
        matched = False
        for size in range(2, len(parts) + 1):
            for combo in itertools.combinations(parts, size):
                gap = abs(sum((q.normalized for q in combo), Decimal(0)) - total.normalized)
                if gap <= _slack(total, *combo):
                    matched = True
                    break
                if closest is None or gap < closest[0]:
                    closest = (gap, combo)
            if matched:
                break
        if matched or closest is None or closest[0] > total.normalized * near:
            continue
        combo = closest[1]
        listed = " + ".join(_fmt(q) for q in combo)
        summed = sum((q.value * q.multiplier for q in combo), Decimal(0)) / total.multiplier
        findings.append(Finding(
            "arithmetic", total.metric,
            f"{total.metric}: stated {_fmt(total)}, but its parts {listed} add up to {summed.normalize():f}{total.unit and ''}",
            [_fmt(total), f"{listed} = {summed.normalize():f}"], [_evidence(paragraph, q) for q in (total, *combo)]))
    return findings


def rate_checks(paragraph: Paragraph) -> list[Finding]:
    """Check a stated completion rate against the part and whole stated before it."""
    findings: list[Finding] = []
    for group in _sentences(paragraph):
        for k, rate in enumerate(group):
            if rate.kind != "percent" or not _RATE.search(rate.metric):
                continue
            counts = [q for q in group[:k] if q.kind == "count" and q.role == "actual"][-2:]
            if len(counts) < 2 or counts[0].base_unit != counts[1].base_unit:
                continue
            # Part and whole are stated together about one thing: "1337个站已完成1316个".
            if counts[1].start - counts[0].end > 30 or similarity(counts[0].metric, counts[1].metric) < 0.4:
                continue
            whole, part = max(counts, key=lambda q: q.normalized), min(counts, key=lambda q: q.normalized)
            if whole.normalized == 0:
                continue
            computed = part.normalized / whole.normalized * 100
            step = Decimal(10) ** -rate.precision
            if rate.normalized not in (computed.quantize(step), (computed - step / 2).quantize(step)):
                findings.append(Finding(
                    "arithmetic", rate.metric,
                    f"{rate.metric}: {_fmt(part)} of {_fmt(whole)} is {computed.quantize(Decimal('0.01'))}%, not {_fmt(rate)}",
                    [_fmt(rate), _fmt(part), _fmt(whole)], [_evidence(paragraph, q) for q in (rate, part, whole)]))
    return findings


def unmet(report: Report) -> list[Finding]:
    """Return a finding per indicator row that misses its target, noting whether it is explained."""
    findings = []
    for row in report.indicators:
        if row.status != "not_met":
            continue
        explained = bool(EXPLAINED.search(row.analysis))
        findings.append(Finding(
            "unmet", row.name,
            f"{row.name}: target {row.target}, actual {row.actual}" + ("; the report explains why" if explained
                                                                       else "; no explanation given"),
            [row.target, row.actual], [], explained))
    return findings
