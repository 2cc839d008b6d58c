"""Turn paragraphs into the classifier's features and score them with the fitted linear model.

A paragraph's features are its words (jieba with the domain dictionary), its
adjacent word pairs and its character 1–3-grams, looked up in the model's
vocabulary (the grams seen in at least ``min_df`` training paragraphs) and
weighted by sublinear TF-IDF with unit length. :class:`LinearScorer` holds the
fitted model as plain arrays, one linear function and one sigmoid per label,
so that scoring needs numpy only: no estimator is unpickled and scikit-learn is
not imported to predict (it is imported to train).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nlp.segmentation import Segmenter, normalise_for_features

_SPACES = re.compile(r"\s+")
WORD, CHAR = "w:", "c:"


@dataclass(frozen=True)
class FeatureSpec:
    """Which grams make a paragraph's features.

    >>> FeatureSpec(char_max=1).grams("接通率达98%")
    ['w:接通率', 'w:达', 'w:0', 'w:接通率 达', 'w:达 0', 'c:接', 'c:通', 'c:率', 'c:达', 'c:0', 'c:%']
    """

    word_pairs: bool = True
    char_min: int = 1
    char_max: int = 3
    hmm: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"word_pairs": self.word_pairs, "char_ngrams": [self.char_min, self.char_max], "hmm": self.hmm}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeatureSpec:
        low, high = data.get("char_ngrams", [1, 3])
        return cls(bool(data.get("word_pairs", True)), int(low), int(high), bool(data.get("hmm", False)))

    def grams(self, text: str) -> list[str]:
        """Return the keys of ``text``'s grams, words prefixed ``w:`` and characters ``c:``."""
        words = Segmenter(bigrams=self.word_pairs, hmm=self.hmm)(text)
        chars = _SPACES.sub(" ", normalise_for_features(text))
        keys = [WORD + w for w in words]
        for n in range(self.char_min, self.char_max + 1):
            keys += [CHAR + chars[i:i + n] for i in range(len(chars) - n + 1)]
        return keys


def readable_name(key: str) -> str:
    """Return a gram key as a reader sees it (no prefix, word pairs joined).

    >>> readable_name("w:接通 率"), readable_name("c:热线")
    ('接通率', '热线')
    """
    return key[2:].replace(" ", "")


@dataclass
class LinearScorer:
    """The fitted model as arrays: vocabulary, IDF weights, and per label a linear function and a sigmoid.

    The score of label ``l`` for a paragraph with TF-IDF vector ``x`` is
    ``1 / (1 + exp(a[l] * (coef[l] · x + intercept[l]) + b[l]))``, which is
    what scikit-learn's one-vs-rest sigmoid-calibrated LinearSVC computes.
    """

    spec: FeatureSpec
    vocabulary: list[str]
    idf: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    a: np.ndarray
    b: np.ndarray
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    ARRAYS = ("vocabulary", "idf", "coef", "intercept", "a", "b")

    def __post_init__(self) -> None:
        n, labels = len(self.vocabulary), len(self.intercept)
        shapes = {"idf": (n,), "coef": (labels, n), "intercept": (labels,), "a": (labels,), "b": (labels,)}
        for name, shape in shapes.items():
            array = getattr(self, name)
            if array.shape != shape or array.dtype.kind != "f":
                raise ValueError(f"array {name!r} has shape {array.shape} and type {array.dtype}, expected {shape} floats")
            if not np.isfinite(array).all():
                raise ValueError(f"array {name!r} holds values that are not finite")
        self._index = {key: i for i, key in enumerate(self.vocabulary)}
        if len(self._index) != n:
            raise ValueError("the vocabulary repeats a key")

    @property
    def n_labels(self) -> int:
        return len(self.intercept)

    def vectors(self, texts: Iterable[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Return each text's TF-IDF vector as (vocabulary columns, unit-length weights)."""
        out = []
        index = self._index
        for text in texts:
            counts = Counter(index[k] for k in self.spec.grams(text) if k in index)
            columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            weights = (1.0 + np.log(tf)) * self.idf[columns]
            norm = float(np.sqrt(weights @ weights))
            out.append((columns, weights / norm if norm else weights))
        return out

    def decision(self, vectors: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        """Return the linear decision values, a row per vector and a column per label."""
        result = np.tile(self.intercept, (len(vectors), 1))
        for row, (columns, weights) in enumerate(vectors):
            result[row] += self.coef[:, columns] @ weights
        return result

    def scores(self, vectors: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        """Return calibrated scores in [0, 1], a row per vector and a column per label."""
        z = self.a * self.decision(vectors) + self.b
        return np.asarray(1.0 / (1.0 + np.exp(np.clip(z, -500, 500))))

    def contributions(self, vector: tuple[np.ndarray, np.ndarray], label: int) -> list[tuple[float, str]]:
        """Return (weight × value, gram key) for the grams of one vector, largest first."""
        columns, weights = vector
        values = self.coef[label, columns] * weights
        order = np.argsort(-values, kind="stable")
        return [(float(values[i]), self.vocabulary[int(columns[i])]) for i in order]
