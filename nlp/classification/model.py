"""Predict work categories for paragraphs with a trained model.

A :class:`Tagger` wraps the fitted pipeline with the decision rule learned in
cross-validation: per-label thresholds for the label set, and an abstention
threshold below which the primary category is the taxonomy's fallback (其他).
Prediction is pure and batched; :class:`ClassifyStage` writes the results onto
a report's paragraphs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nlp.document import Label, Report
from nlp.taxonomy import Taxonomy

#: Paragraphs shorter than this are too short to classify (headings, "无。").
MIN_CHARS = 6


@dataclass
class Prediction:
    """The categories of one text: the primary, every asserted label, and why."""

    primary: str
    labels: list[Label]
    scores: dict[str, float]
    explanation: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class DecisionRule:
    """How calibrated scores become labels."""

    thresholds: dict[str, float]
    abstain: float
    fallback: str

    def decide(self, scores: dict[str, float]) -> tuple[str, list[str]]:
        """Return (primary, secondary labels) for one row of scores.

        >>> rule = DecisionRule({"甲": 0.5, "乙": 0.4, "其他": 0.5}, abstain=0.3, fallback="其他")
        >>> rule.decide({"甲": 0.8, "乙": 0.45, "其他": 0.1})
        ('甲', ['乙'])
        >>> rule.decide({"甲": 0.2, "乙": 0.1, "其他": 0.1})
        ('其他', [])
        """
        topical = {k: v for k, v in scores.items() if k != self.fallback}
        best = max(topical, key=topical.__getitem__)
        other = scores.get(self.fallback, 0.0)
        primary = best if topical[best] >= self.abstain and topical[best] >= other else self.fallback
        secondary = sorted((k for k, v in topical.items() if k != primary and v >= self.thresholds.get(k, 0.5)),
                           key=lambda k: -topical[k])
        return primary, secondary


class Tagger:
    """A loaded category model: ``predict(texts)`` returns one :class:`Prediction` per text."""

    def __init__(self, pipeline: Any, labels: Sequence[str], rule: DecisionRule, taxonomy: Taxonomy,
                 manifest: dict[str, Any] | None = None) -> None:
        self.pipeline = pipeline
        self.labels = list(labels)
        self.rule = rule
        self.taxonomy = taxonomy
        self.manifest = manifest or {}
        self._weights: np.ndarray | None = None

    @property
    def version(self) -> str:
        return str(self.manifest.get("model_version", "unversioned"))

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Return calibrated scores, one row per text, one column per label."""
        if not texts:
            return np.zeros((0, len(self.labels)))
        return np.asarray(self.pipeline.predict_proba(list(texts)))

    def predict(self, texts: Sequence[str], explain: bool = True, top_terms: int = 5) -> list[Prediction]:
        """Return the categories of each text (the fallback for texts too short to judge)."""
        texts = list(texts)
        long_enough = [i for i, t in enumerate(texts) if len(t.strip()) >= MIN_CHARS]
        out: list[Prediction] = [Prediction(self.rule.fallback, [Label(self.rule.fallback, 1.0)], {}) for _ in texts]
        if not long_enough:
            return out
        chosen_texts = [texts[i] for i in long_enough]
        features = self.pipeline[:-1].transform(chosen_texts).tocsr()
        matrix = np.asarray(self.pipeline[-1].predict_proba(features))
        names = self._names(chosen_texts) if explain else {}
        for k, (row, index) in enumerate(zip(matrix, long_enough)):
            scores = {label: float(s) for label, s in zip(self.labels, row)}
            primary, secondary = self.rule.decide(scores)
            chosen = [primary, *secondary]
            labels = [Label(label, scores.get(label, 0.0)) for label in chosen]
            if primary == self.rule.fallback:
                labels[0] = Label(primary, max(scores.get(primary, 0.0), 1.0 - max(
                    v for key, v in scores.items() if key != primary)))
            explanation = self._explain_row(features[k], names, chosen, top_terms) if explain else {}
            out[index] = Prediction(primary, labels, scores, explanation)
        return out

    def explain(self, text: str, labels: Sequence[str], top_terms: int = 5) -> dict[str, list[str]]:
        """Return, for each label, the terms of ``text`` that weigh most for it."""
        features = self.pipeline[:-1].transform([text]).tocsr()
        return self._explain_row(features[0], self._names([text]), labels, top_terms)

    def _names(self, texts: Sequence[str]) -> dict[int, str]:
        from nlp.classification.features import feature_names

        return feature_names(self.pipeline, texts)

    def _explain_row(self, x: Any, names: dict[int, str], labels: Sequence[str], top_terms: int) -> dict[str, list[str]]:
        weights = self._linear_weights()
        result: dict[str, list[str]] = {}
        for label in labels:
            if label not in self.labels:
                continue
            column = self.labels.index(label)
            contributions = sorted(((x.data[k] * weights[column, j], j) for k, j in enumerate(x.indices)),
                                   reverse=True)
            terms: list[str] = []
            for value, j in contributions:
                name = names.get(int(j))
                if value <= 0 or len(terms) >= top_terms:
                    break
                if name and _readable(name) and not any(name in t or t in name for t in terms):
                    terms.append(name)
            result[label] = terms
        return result

    def _linear_weights(self) -> np.ndarray:
        if self._weights is None:
            ovr = self.pipeline.named_steps["classifier"]
            rows = []
            for calibrated in ovr.estimators_:
                inner = [c.estimator for c in calibrated.calibrated_classifiers_]
                rows.append(np.mean([np.ravel(e.coef_) for e in inner], axis=0))
            self._weights = np.vstack(rows)
        return self._weights


def _readable(term: str) -> bool:
    # Single characters and n-grams with punctuation explain nothing to a reader.
    return len(term) >= 2 and all(ch.isalnum() for ch in term)


class ClassifyStage:
    """Pipeline stage: set ``primary``, ``labels`` and ``explanation`` on every paragraph."""

    def __init__(self, tagger: Tagger, batch_size: int = 256) -> None:
        self.tagger = tagger
        self.batch_size = batch_size

    def __call__(self, report: Report) -> Report:
        paragraphs = report.paragraphs
        for start in range(0, len(paragraphs), self.batch_size):
            chunk = paragraphs[start:start + self.batch_size]
            for paragraph, prediction in zip(chunk, self.tagger.predict([p.text for p in chunk])):
                paragraph.primary = prediction.primary
                paragraph.labels = prediction.labels
                paragraph.explanation = prediction.explanation
        report.stages["classify"] = self.tagger.version
        return report
