"""Predict work categories for paragraphs with a trained model.

A :class:`Tagger` wraps the fitted linear model with the decision rule learned in
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

from nlp.classification.features import SECTION, WORD, LinearScorer, Section, readable_name
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

    def __init__(self, scorer: LinearScorer, labels: Sequence[str], rule: DecisionRule, taxonomy: Taxonomy,
                 manifest: dict[str, Any] | None = None) -> None:
        if scorer.n_labels != len(labels):
            raise ValueError(f"the model scores {scorer.n_labels} labels, the label list has {len(labels)}")
        self.scorer = scorer
        self.labels = list(labels)
        self.rule = rule
        self.taxonomy = taxonomy
        self.manifest = manifest or {}

    @property
    def version(self) -> str:
        """The model version and the first digits of the model file's hash."""
        digest = str(self.manifest.get("model_file", {}).get("sha256", ""))[:8]
        name = str(self.manifest.get("model_version", "unversioned"))
        return f"{name}+{digest}" if digest else name

    @property
    def uses_sections(self) -> bool:
        """Whether the model reads a paragraph's heading path as well as its text."""
        return self.scorer.spec.sections

    def scores(self, texts: Sequence[str], sections: Sequence[Section] | None = None) -> np.ndarray:
        """Return calibrated scores, one row per text, one column per label."""
        if not texts:
            return np.zeros((0, len(self.labels)))
        return self.scorer.scores(self.scorer.vectors(texts, sections))

    def predict(self, texts: Sequence[str], explain: bool = True, top_terms: int = 5,
                sections: Sequence[Section] | None = None) -> list[Prediction]:
        """Return the categories of each text (the fallback for texts too short to judge).

        ``sections`` gives each text's heading path (a list of headings, a string, or
        None); a model trained with sections reads it as evidence of what the paragraph is for.
        """
        texts = list(texts)
        if sections is not None and len(sections) != len(texts):
            raise ValueError(f"{len(sections)} sections for {len(texts)} texts")
        long_enough = [i for i, t in enumerate(texts) if len(t.strip()) >= MIN_CHARS]
        out: list[Prediction] = [Prediction(self.rule.fallback, [Label(self.rule.fallback, 1.0)], {}) for _ in texts]
        if not long_enough:
            return out
        vectors = self.scorer.vectors((texts[i] for i in long_enough),
                                      None if sections is None else [sections[i] for i in long_enough])
        matrix = self.scorer.scores(vectors)
        for vector, row, index in zip(vectors, matrix, long_enough):
            scores = {label: float(s) for label, s in zip(self.labels, row)}
            primary, secondary = self.rule.decide(scores)
            chosen = [primary, *secondary]
            labels = [Label(label, scores.get(label, 0.0)) for label in chosen]
            if primary == self.rule.fallback:
                labels[0] = Label(primary, max(scores.get(primary, 0.0), 1.0 - max(
                    v for key, v in scores.items() if key != primary)))
            explanation = self._explain(vector, chosen, top_terms) if explain else {}
            out[index] = Prediction(primary, labels, scores, explanation)
        return out

    def explain(self, text: str, labels: Sequence[str], top_terms: int = 5) -> dict[str, list[str]]:
        """Return, for each label, the terms of ``text`` that weigh most for it."""
        return self._explain(self.scorer.vectors([text])[0], labels, top_terms)

    def _explain(self, vector: tuple[np.ndarray, np.ndarray], labels: Sequence[str],
                 top_terms: int) -> dict[str, list[str]]:
        """Return the positive terms of each label, words (and word pairs) first, then character n-grams.

        Character n-grams often cut across words (务服, 据资); they only fill in when a
        paragraph has too few weighted words, and never overlap a term already chosen.
        """
        result: dict[str, list[str]] = {}
        for label in labels:
            if label not in self.labels:
                continue
            # Heading words are not words of the paragraph: they are left out of its explanation.
            positive = [(key, readable_name(key)) for value, key in
                        self.scorer.contributions(vector, self.labels.index(label))
                        if value > 0 and not key.startswith(SECTION)]
            terms: list[str] = []
            for words_only in (True, False):
                for key, name in positive:
                    if len(terms) >= top_terms:
                        break
                    if key.startswith(WORD) != words_only or not _readable(name):
                        continue
                    if not any(name in t or t in name for t in terms):
                        terms.append(name)
            result[label] = terms
        return result


def _readable(term: str) -> bool:
    # Single characters, n-grams with punctuation and numbers (all read as 0) explain nothing to a reader.
    return len(term) >= 2 and all(ch.isalnum() for ch in term) and "0" not in term


class ClassifyStage:
    """Pipeline stage: set ``primary``, ``labels`` and ``explanation`` on every paragraph."""

    def __init__(self, tagger: Tagger, batch_size: int = 256) -> None:
        self.tagger = tagger
        self.batch_size = batch_size

    def __call__(self, report: Report) -> Report:
        paragraphs = report.paragraphs
        for start in range(0, len(paragraphs), self.batch_size):
            chunk = paragraphs[start:start + self.batch_size]
            predictions = self.tagger.predict([p.text for p in chunk], sections=[p.section_path for p in chunk])
            for paragraph, prediction in zip(chunk, predictions):
                paragraph.primary = prediction.primary
                paragraph.labels = prediction.labels
                paragraph.explanation = prediction.explanation
        report.stages["classify"] = self.tagger.version
        return report
