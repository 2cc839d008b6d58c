"""Extract quantified achievements: numbers with units, comparators, roles, metrics and dimensions."""

from __future__ import annotations

from nlp.document import Report
from nlp.normalize import MappedText
from nlp.quantities.attributes import annotate
from nlp.quantities.extract import extract
from nlp.quantities.quantity import Quantity

__all__ = ["Quantity", "QuantityStage", "extract_quantities"]

#: Bumped whenever extraction rules change what they return.
RULES_VERSION = "1"


def extract_quantities(text: str) -> list[Quantity]:
    """Return the quantities of ``text`` with every attribute set.

    >>> [(q.surface, q.role, q.metric) for q in extract_quantities("话务接通率目标值≥90%，实际完成98.62%")]
    [('≥90%', 'target', '话务接通率'), ('98.62%', 'actual', '话务接通率')]
    """
    mapped = MappedText(text)
    return annotate(extract(text, mapped), mapped)


class QuantityStage:
    """Pipeline stage: extract the quantities of every paragraph."""

    def __call__(self, report: Report) -> Report:
        for paragraph in report.paragraphs:
            paragraph.quantities = extract_quantities(paragraph.text)
        report.stages["quantities"] = RULES_VERSION
        return report
