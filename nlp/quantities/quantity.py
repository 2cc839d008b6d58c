"""The quantity value object: an exact number with what it counts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from nlp.quantities.numerals import exact, fraction_value


@dataclass
class Quantity:
    """A number stated in text, with its unit and what the sentence says about it.

    ``value`` is the number as written (``202.58``; signed: 负3.9% is -3.9), ``multiplier``
    the 万/亿 factor (0.1 for money in 角/毛: 五毛钱 = 5 × 0.1 元), ``normalized`` their exact
    product in the unit as written, a percent-like quantity in percent (``factor`` is what one
    unit is in percent: 三成 = 3 × 10).
    A fraction keeps ``numerator`` and ``denominator``; ``value`` is their quotient to
    20 significant digits. Money keeps its ``currency`` (ISO 4217); a measure its
    ``standard_value`` in ``standard_unit`` (m, m2, kg, m3, kWh, kW, ℃). Spans index the text
    the quantity was extracted from.
    """

    surface: str
    start: int
    end: int
    value: Decimal
    multiplier: Decimal
    unit: str
    base_unit: str
    kind: str
    comparator: str = "="
    role: str = "actual"
    metric: str = ""
    dimension: str | None = None
    upper: Decimal | None = None
    direction: str | None = None
    change_base: str | None = None
    precision: int = 0
    factor: Decimal = Decimal(1)
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    currency: str | None = None

    @property
    def normalized(self) -> Decimal:
        """Return value × multiplier (× factor for percent-like units), exactly.

        >>> Quantity("16.4亿元", 0, 6, Decimal("16.4"), Decimal("100000000"), "元", "元", "money").normalized
        Decimal('1640000000')
        >>> Quantity("三成", 0, 2, Decimal(3), Decimal(1), "成", "%", "percent", factor=Decimal(10)).normalized
        Decimal('30')
        """
        return exact(self.value * self.multiplier * self.factor)

    @property
    def upper_normalized(self) -> Decimal | None:
        """Return the upper bound of a range as :attr:`normalized` gives the lower one."""
        return None if self.upper is None else exact(self.upper * self.multiplier * self.factor)

    @property
    def standard_unit(self) -> str | None:
        """Return the standard unit of a measure (m, m2, kg, m3, kWh, kW, ℃), or None."""
        from nlp.quantities.units import MEASURES

        measure = MEASURES.get(self.unit)
        return measure[1] if measure else None

    @property
    def standard_value(self) -> Decimal | None:
        """Return :attr:`normalized` in :attr:`standard_unit` (3.5公里 → 3500 m), or None; to 20 significant digits.

        >>> Quantity("3.5公里", 0, 5, Decimal("3.5"), Decimal(1), "公里", "公里", "length").standard_value
        Decimal('3500')
        """
        from nlp.quantities.units import MEASURES

        measure = MEASURES.get(self.unit)
        if not measure:
            return None
        value = Fraction(self.normalized) * Fraction(measure[2])
        return fraction_value(Decimal(value.numerator), Decimal(value.denominator))

    @property
    def dimension_level1(self) -> str | None:
        from nlp.quantities.dimensions import LEVEL1

        return LEVEL1.get(self.dimension or "")

    def value_text(self) -> str:
        if self.comparator == "range" and self.upper is not None:
            return f"{self.value}-{self.upper}"
        return str(self.value)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON fields; the fields of fractions, currencies and measures only where they apply."""
        data = {
            "surface": self.surface, "start": self.start, "end": self.end, "value": self.value_text(),
            "multiplier": str(self.multiplier), "normalized": _text(self.normalized), "unit": self.unit,
            "base_unit": self.base_unit, "kind": self.kind, "comparator": self.comparator, "role": self.role,
            "metric": self.metric, "dimension": self.dimension, "dimension_level1": self.dimension_level1,
            "direction": self.direction, "change_base": self.change_base,
            "upper": None if self.upper is None else str(self.upper), "precision": self.precision,
        }
        optional = {"upper_normalized": _text(self.upper_normalized), "numerator": _text(self.numerator),
                    "denominator": _text(self.denominator), "currency": self.currency,
                    "standard_unit": self.standard_unit, "standard_value": _text(self.standard_value)}
        data.update((key, value) for key, value in optional.items() if value is not None)
        return data


def _text(value: Decimal | None) -> str | None:
    """Write a decimal without an exponent: 7E-8 as 0.00000007."""
    return None if value is None else format(value, "f")
