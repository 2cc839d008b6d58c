"""Turn paragraphs into the classifier's features and score them with the fitted linear model.

A paragraph's features are its words (jieba with the domain dictionary), its
adjacent word pairs and its character 1–3-grams, and, when the model uses
them and the paragraph has one, the words of its heading path (prefixed
``s:``, so that 绩效目标 in a heading is a different feature from 绩效目标 in
the text), looked up in the model's
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
from functools import lru_cache
from typing import Any, Union

import numpy as np

from nlp.segmentation import Segmenter, normalise_for_features

_SPACES = re.compile(r"\s+")
WORD, CHAR, SECTION = "w:", "c:", "s:"
#: Heading numbering in front of a heading: 一、 （二） 1. (3) 第一部分 附件1：
_NUMBERING = re.compile(r"^\s*(?:第[一二三四五六七八九十百0-9]+[部分章节条]|附件?\s*[0-9一二三四五六七八九十]*|"
                        r"[（(]?[一二三四五六七八九十0-9]+[)）]?)\s*[、.．:：]?\s*")
#: Heading words that say nothing about what a section is for.
_SECTION_STOP = frozenset({"的", "和", "与", "及", "情况", "有关", "相关", "年度", "年", "工作", "主要", "其他"})

Section = Union[str, Sequence[str], None]


def section_words(section: Section) -> list[str]:
    """Return the words of a heading path (a list of headings, or one string with › or > between them).

    Numbering, digits and filler words are left out: what counts is what the section is for.

    >>> section_words(["二、绩效目标完成情况", "（一）产出指标"])
    ['绩效目标', '完成', '产出', '指标']
    """
    if not section:
        return []
    return list(_heading_words(tuple(split_headings(section))))


def split_headings(section: str | Sequence[str]) -> list[str]:
    """Return a heading path as a list of headings: a list as it is, a string cut at › or >.

    >>> split_headings("二、绩效目标完成情况 › （一）产出指标")
    ['二、绩效目标完成情况', '（一）产出指标']
    """
    headings = re.split(r"\s*[›>»]\s*", section) if isinstance(section, str) else list(section)
    return [str(h).strip() for h in headings if str(h).strip()]


@lru_cache(maxsize=4096)
def _heading_words(headings: tuple[str, ...]) -> tuple[str, ...]:
    # A report repeats each heading path over all its paragraphs: segment each path once.
    words: list[str] = []
    segment = Segmenter(bigrams=False)
    for heading in headings:
        heading = _NUMBERING.sub("", heading.strip())
        for word in segment(heading):
            if len(word) >= 2 and word not in _SECTION_STOP and not any(ch.isdigit() for ch in word) and word not in words:
                words.append(word)
    return tuple(words)


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
    sections: bool = False
    section_weight: float = 0.6

    def to_dict(self) -> dict[str, Any]:
        return {"word_pairs": self.word_pairs, "char_ngrams": [self.char_min, self.char_max], "hmm": self.hmm,
                "sections": self.sections, "section_weight": self.section_weight}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeatureSpec:
        low, high = data.get("char_ngrams", [1, 3])
        return cls(bool(data.get("word_pairs", True)), int(low), int(high), bool(data.get("hmm", False)),
                   bool(data.get("sections", False)), float(data.get("section_weight", 0.6)))

    def parts(self, text: str) -> tuple[list[str], list[str]]:
        """Return the words (and word pairs) and the character n-grams of ``text``."""
        words = Segmenter(bigrams=self.word_pairs, hmm=self.hmm)(text)
        chars = _SPACES.sub(" ", normalise_for_features(text))
        ngrams: list[str] = []
        for n in range(self.char_min, self.char_max + 1):
            ngrams += [chars[i:i + n] for i in range(len(chars) - n + 1)]
        return words, ngrams

    def grams(self, text: str, section: Section = None) -> list[str]:
        """Return the keys of ``text``'s grams, words prefixed ``w:``, characters ``c:``, heading words ``s:``."""
        words, chars = self.parts(text)
        heading = [SECTION + w for w in section_words(section)] if self.sections else []
        return [WORD + w for w in words] + [CHAR + c for c in chars] + heading


def _unit(weights: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Return the weights flagged in ``keep`` scaled to unit length (the others as zero)."""
    part = np.where(keep, weights, 0.0)
    norm = float(np.sqrt(part @ part))
    return part / norm if norm else part


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
    _words: dict[str, int] = field(default_factory=dict, repr=False)
    _chars: dict[str, int] = field(default_factory=dict, repr=False)
    _sections: dict[str, int] = field(default_factory=dict, repr=False)
    _coef_by_column: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)), repr=False)

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
        self._coef_by_column = np.ascontiguousarray(self.coef.T)
        # One pass over the vocabulary: loading time grows with it.
        tables: dict[str, dict[str, int]] = {WORD: {}, CHAR: {}, SECTION: {}}
        unknown: dict[str, int] = {}
        for i, key in enumerate(self.vocabulary):
            tables.get(key[:2], unknown)[key[2:]] = i
        self._words, self._chars, self._sections = tables[WORD], tables[CHAR], tables[SECTION]
        if unknown or len(self._words) + len(self._chars) + len(self._sections) != n:
            raise ValueError(f"the vocabulary repeats a key or has keys that do not start with {WORD!r}, {CHAR!r} "
                             f"or {SECTION!r}")

    @property
    def n_labels(self) -> int:
        return len(self.intercept)

    def vectors(self, texts: Iterable[str], sections: Iterable[Section] | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
        """Return each text's TF-IDF vector as (vocabulary columns, unit-length weights).

        ``sections`` gives each text's heading path (or None); a model trained without
        sections ignores them.
        """
        columns: list[int] = []
        counts: list[int] = []
        lengths: list[int] = []
        is_heading: list[bool] = []
        headings = iter(sections) if sections is not None and self.spec.sections else None
        for text in texts:
            words, chars = self.spec.parts(text)
            found: Counter[Any] = Counter(map(self._words.get, words))
            found.update(map(self._chars.get, chars))
            found.pop(None, None)  # grams outside the vocabulary
            heading: Counter[Any] = Counter()
            if headings is not None:
                heading.update(map(self._sections.get, section_words(next(headings, None))))
                heading.pop(None, None)
            columns += [*found.keys(), *heading.keys()]
            counts += [*found.values(), *heading.values()]
            is_heading += [False] * len(found) + [True] * len(heading)
            lengths.append(len(found) + len(heading))
        if not lengths:
            return []
        cols = np.asarray(columns, dtype=np.int64)
        weights = (1.0 + np.log(np.asarray(counts, dtype=np.float64))) * self.idf[cols]
        flags = np.asarray(is_heading, dtype=bool)
        bounds = np.cumsum(lengths)[:-1]
        out = []
        for c, w, h in zip(np.split(cols, bounds), np.split(weights, bounds), np.split(flags, bounds)):
            if h.any():
                out.append((c, _unit(w, ~h) + self.spec.section_weight * _unit(w, h)))
            else:
                norm = float(np.sqrt(w @ w))
                out.append((c, w / norm if norm else w))
        return out

    def decision(self, vectors: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        """Return the linear decision values, a row per vector and a column per label."""
        result = np.zeros((len(vectors), self.n_labels))
        lengths = np.array([len(c) for c, _ in vectors], dtype=np.int64)
        if lengths.sum():
            columns = np.concatenate([c for c, _ in vectors])
            weights = np.concatenate([w for _, w in vectors])
            products = self._coef_by_column[columns] * weights[:, None]
            starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
            filled = lengths > 0
            result[filled] = np.add.reduceat(products, starts[filled], axis=0)
        return result + self.intercept

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
