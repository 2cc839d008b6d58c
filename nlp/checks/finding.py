"""Record what a check found: a finding, the evidence that shows it, its figures as the report writes them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from nlp.messages import t
from nlp.quantities import Quantity
from nlp.scope import Measured, Scope

SEVERITIES = ("error", "warning", "info")


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


def percent_text(value: Decimal, places: int) -> str:
    """Return a computed percentage with as many places as the stated one has, at least two."""
    return f"{value.quantize(Decimal(10) ** -max(places, 2)):f}%"


def written(q: Quantity) -> str:
    """Return ``q`` as the report writes it, without the spaces inside (2.63 万元 → 2.63万元)."""
    return re.sub(r"\s+", "", q.surface)


def evidence_of(m: Measured) -> Evidence:
    """Return where ``m`` is stated: its span in a paragraph, else its table cell."""
    q = m.quantity
    if m.paragraph is None:
        table, row, column = m.cell or (None, None, None)
        return Evidence(None, None, written(q), None, m.page, table, str(row) if row is not None else None,
                        str(column) if column is not None else None, q.to_dict())
    return Evidence(m.paragraph.start + q.start, m.paragraph.start + q.end, q.surface, m.paragraph.id,
                    m.paragraph.page, quantity=q.to_dict())


def make_finding(kind: str, code: str, severity: str, measure: str, key: str, values: list[str],
                 measured: list[Measured], scope: Scope | None, **params: Any) -> Finding:
    """Return a finding whose message is the catalogue's ``key`` filled in, with evidence for each figure."""
    return Finding(kind, measure, t(key, measure=measure or "—", **params), values,
                   [evidence_of(m) for m in measured], code=code, severity=severity,
                   scope=scope.to_dict() if scope else None)
