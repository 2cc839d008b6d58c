"""Choose the paragraphs most worth a reviewer's time: the model is unsure of them, and they differ.

Uncertainty is the *closeness* of a paragraph to a decision the model makes: the margin
between its two highest calibrated scores, or the distance of the best category's score to
the abstention threshold, whichever is smaller (0 = a coin toss). Selection is greedy on
closeness, with two kinds of diversity: a paragraph that is a near-duplicate of one already
chosen (same text once digits are ignored, or most of its character pairs shared) is never
chosen, and each earlier pick from the same report or of the same predicted category makes
the next one a little less attractive, so a few uncertain reports or one muddled category
do not fill the whole list.

>>> import numpy as np
>>> scores = np.array([[0.9, 0.1], [0.52, 0.48], [0.51, 0.49], [0.6, 0.3]])
>>> closeness(scores, ["甲", "乙"], fallback="乙", abstain=0.4).round(2).tolist()
[0.5, 0.04, 0.02, 0.2]
>>> texts = ["全市新建5G基站300个", "办件量86万件", "办件量87万件", "数据共享调用2万次"]
>>> select(closeness(scores, ["甲", "乙"], "乙", 0.4), texts, groups=["a", "a", "a", "b"], categories=["甲"] * 4, n=3)
[2, 3, 0]
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

#: Each earlier pick from the same report, and of the same predicted category, adds this to closeness.
SPREAD = 0.01
#: Character-pair overlap (Jaccard) from which two paragraphs count as near-duplicates.
DUPLICATE = 0.7

_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_SPACE = re.compile(r"\s+")


def closeness(scores: np.ndarray, labels: Sequence[str], fallback: str, abstain: float) -> np.ndarray:
    """Return, per row of calibrated scores, how close the model is to deciding otherwise (0 = undecided)."""
    if scores.shape[0] == 0:
        return np.zeros(0)
    ordered = np.sort(scores, axis=1)
    margin = ordered[:, -1] - ordered[:, -2]
    topical = [i for i, label in enumerate(labels) if label != fallback]
    near_abstain = np.abs(scores[:, topical].max(axis=1) - abstain) if topical else margin
    return np.minimum(margin, near_abstain)


def _shingles(text: str) -> frozenset[str]:
    plain = _SPACE.sub("", _DIGITS.sub("0", text))
    return frozenset(plain[i:i + 2] for i in range(max(1, len(plain) - 1)))


def near_duplicate(a: frozenset[str], b: frozenset[str], limit: float = DUPLICATE) -> bool:
    """Return True when two shingle sets overlap by ``limit`` or more (Jaccard)."""
    if a == b:
        return True
    union = len(a | b)
    return bool(union) and len(a & b) / union >= limit


def select(close: np.ndarray, texts: Sequence[str], groups: Sequence[str], categories: Sequence[str], n: int,
           spread: float = SPREAD, duplicate: float = DUPLICATE) -> list[int]:
    """Return the indices of up to ``n`` rows: least closeness first, spread out, no near-duplicates."""
    group_ids = _ids(groups)
    category_ids = _ids(categories)
    group_count = np.zeros(group_ids.max() + 1 if len(group_ids) else 1)
    category_count = np.zeros(category_ids.max() + 1 if len(category_ids) else 1)
    open_ = np.ones(len(texts), dtype=bool)
    chosen: list[int] = []
    kept: list[frozenset[str]] = []
    while len(chosen) < n and open_.any():
        adjusted = close + spread * (group_count[group_ids] + category_count[category_ids])
        adjusted[~open_] = np.inf
        index = int(np.argmin(adjusted))
        open_[index] = False
        shingles = _shingles(texts[index])
        if any(near_duplicate(shingles, other, duplicate) for other in kept):
            continue
        chosen.append(index)
        kept.append(shingles)
        group_count[group_ids[index]] += 1
        category_count[category_ids[index]] += 1
    return chosen


def _ids(values: Sequence[str]) -> np.ndarray:
    index: dict[str, int] = {}
    return np.asarray([index.setdefault(v, len(index)) for v in values], dtype=np.int64)


@dataclass
class Candidate:
    """A paragraph of a tagged report that could go to a reviewer."""

    text: str
    source: str
    section: str
    paragraph: str
    page: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def read_reports(path: Path) -> Iterator[dict[str, Any]]:
    """Yield tagged reports from a batch folder (its ``reports.jsonl.gz`` or ``reports.jsonl``), a JSONL file
    (gzipped or not), or one JSON document (a report or a list of reports, as ``tag --format json`` writes)."""
    import gzip

    if path.is_dir():
        path = next((p for p in (path / "reports.jsonl.gz", path / "reports.jsonl") if p.is_file()),
                    path / "reports.jsonl")
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig") as handle:
        first = True
        for line in handle:
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except ValueError:
                if not first:
                    raise
                data = json.loads(line + handle.read())  # a pretty-printed document
            yield from (data if isinstance(data, list) else [data])
            first = False


def candidates(reports: Iterable[dict[str, Any]], min_chars: int = 6) -> list[Candidate]:
    """Return every paragraph long enough to judge, once (the first of identical texts)."""
    out: list[Candidate] = []
    seen: set[str] = set()
    for report in reports:
        source = str(report.get("source") or "")
        for p in report.get("paragraphs") or []:
            text = str(p.get("text") or "").strip()
            if len(text) < min_chars or text in seen:
                continue
            seen.add(text)
            out.append(Candidate(text, source, " > ".join(map(str, p.get("section_path") or [])), str(p.get("id")),
                                 p.get("page")))
    return out


@dataclass
class Suggestion:
    """A chosen paragraph with the model's decision and how undecided it was."""

    candidate: Candidate
    primary: str
    secondary: list[str]
    scores: dict[str, float]
    closeness: float


def suggest(pool: Sequence[Candidate], tagger: Any, n: int) -> list[Suggestion]:
    """Return the ``n`` paragraphs of ``pool`` (see :func:`candidates`) most worth a reviewer's time under ``tagger``."""
    if not pool:
        return []
    scores = tagger.scores([c.text for c in pool])
    rule = tagger.rule
    close = closeness(scores, tagger.labels, rule.fallback, rule.abstain)
    decided = [rule.decide(dict(zip(tagger.labels, map(float, row)))) for row in scores]
    picked = select(close, [c.text for c in pool], [c.source for c in pool], [d[0] for d in decided], n)
    return [Suggestion(pool[i], decided[i][0], decided[i][1],
                       {label: round(float(s), 4) for label, s in zip(tagger.labels, scores[i])}, float(close[i]))
            for i in picked]
