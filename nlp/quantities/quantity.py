"""The quantity value object: an exact number with what it counts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass
class Quantity:
    """A number stated in text, with its unit and what the sentence says about it.

    ``value`` is the number as written (``202.58``), ``multiplier`` the 万/亿
    factor, ``normalized`` their exact product. Spans index the text the
    quantity was extracted from.
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

    @property
    def normalized(self) -> Decimal:
        """Return value × multiplier, exactly.

        >>> Quantity("16.4亿元", 0, 6, Decimal("16.4"), Decimal("100000000"), "元", "元", "money").normalized
        Decimal('1640000000')
        """
        return _plain(self.value * self.multiplier)

    @property
    def dimension_level1(self) -> str | None:
        from nlp.quantities.attributes import LEVEL1

        return LEVEL1.get(self.dimension or "")

    def value_text(self) -> str:
        if self.comparator == "range" and self.upper is not None:
            return f"{self.value}-{self.upper}"
        return str(self.value)

    def to_dict(self) -> dict[str, Any]:
        return {
            "surface": self.surface, "start": self.start, "end": self.end, "value": self.value_text(),
            "multiplier": str(self.multiplier), "normalized": str(self.normalized), "unit": self.unit,
            "base_unit": self.base_unit, "kind": self.kind, "comparator": self.comparator, "role": self.role,
            "metric": self.metric, "dimension": self.dimension, "dimension_level1": self.dimension_level1,
            "direction": self.direction, "change_base": self.change_base,
            "upper": None if self.upper is None else str(self.upper), "precision": self.precision,
        }


def _plain(value: Decimal) -> Decimal:
    """Return ``value`` without exponent notation or trailing zeros beyond its integer part."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
