"""Read what the words around a figure say of it: a policy rate, a prior-year value, its sentence."""

from __future__ import annotations

import re

from nlp.document import Paragraph
from nlp.scope import Measured, sentence_bounds

# A percentage that is a policy rate or a rate of something else, not the change of the figure before it.
POLICY = re.compile(r"(?:统一|按规定|按照|规定|要求|一律|均|不低于|不超过|控制在|原则上)[^，,。；;]{0,10}$|"
                    r"(?:原因|由于|因为|是因)[^。；;]*$")


def by_sentence(paragraph: Paragraph, items: list[Measured]) -> list[list[Measured]]:
    """Return the figures of a paragraph grouped by the sentence they stand in, in reading order."""
    groups: dict[int, list[Measured]] = {}
    for m in items:
        groups.setdefault(sentence_bounds(paragraph.text, m.quantity.start)[0], []).append(m)
    return [groups[k] for k in sorted(groups)]


def marked_prior(m: Measured) -> bool:
    """Return whether ``m`` is named as a prior-period value (上年175.98万元, 与上年决算数1.81万元相比)."""
    return m.quantity.role == "baseline" or bool(re.search(r"上年|上一年|去年", m.context + m.quantity.metric))
