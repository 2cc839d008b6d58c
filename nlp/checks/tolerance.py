"""Tell how far stated figures may be apart and still agree: half a unit of each one's last digit."""

from __future__ import annotations

from decimal import Decimal

from nlp.quantities import Quantity


def half(q: Quantity) -> Decimal:
    """Return half a unit of the last stated digit, in base units (0 is exact)."""
    if q.normalized == 0:
        return Decimal(0)
    return Decimal(5) * q.multiplier / (Decimal(10) ** (q.precision + 1))


def digits(q: Quantity) -> str:
    """Return the significant digits of ``q``'s value as written (20.50 → 2050)."""
    return str(q.value).replace(".", "").lstrip("0")


def percent_bounds(current: Decimal, hc: Decimal, base: Decimal, hb: Decimal) -> tuple[Decimal, Decimal]:
    """Return the lowest and highest percentage change the rounded figures allow."""
    values = []
    for c in (current - hc, current + hc):
        for b in (base - hb, base + hb):
            if b > 0:
                values.append((c - b) / b * 100)
    return min(values), max(values)


def ratio_bounds(part: Decimal, hp: Decimal, whole: Decimal, hw: Decimal) -> tuple[Decimal, Decimal] | None:
    """Return the lowest and highest percentage ``part`` of ``whole`` the rounded figures allow (None: no whole > 0)."""
    values = [p / w * 100 for p in (part - hp, part + hp) for w in (whole - hw, whole + hw) if w > 0]
    return (min(values), max(values)) if values else None


def grade_percent(stated: Quantity, low: Decimal, high: Decimal) -> str | None:
    """Return None if ``stated`` (a percentage) lies within [low, high] at its precision, else a severity."""
    rounding = Decimal(5) / Decimal(10) ** (stated.precision + 1)
    value = stated.normalized
    if low - rounding <= value <= high + rounding:
        return None
    step = Decimal(10) ** -stated.precision
    if low - rounding - step <= value <= high + rounding + step:
        return "info"  # one unit of the last stated digit: truncated rather than rounded
    gap = min(abs(value - low), abs(value - high))
    return "warning" if gap < Decimal("0.1") else "error"
