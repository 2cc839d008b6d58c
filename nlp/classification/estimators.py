"""The scikit-learn side of the classifier: count matrices, the estimator, and its export to arrays.

Training builds a count matrix over every gram of the corpus, fits
``select → TF-IDF → one-vs-rest sigmoid-calibrated LinearSVC`` on it (the
column selection is part of the fitted head, so cross-validation folds choose
their own columns), and :func:`to_scorer` turns the fitted head into a
:class:`~nlp.classification.features.LinearScorer`, which is what is saved and
what predicts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from nlp.classification.features import FeatureSpec, LinearScorer, Section


class DocumentFrequencyFilter(TransformerMixin, BaseEstimator):
    """Keep the columns that are non-zero in at least ``min_df`` training rows."""

    def __init__(self, min_df: int = 2) -> None:
        self.min_df = min_df

    def fit(self, X: Any, y: Any = None) -> DocumentFrequencyFilter:
        counts = np.asarray((X > 0).sum(axis=0)).ravel()
        self.columns_ = np.flatnonzero(counts >= self.min_df).astype(np.int64)
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X: Any) -> Any:
        return X[:, self.columns_]


def count_matrix(texts: Sequence[str], spec: FeatureSpec,
                 sections: Sequence[Section] | None = None) -> tuple[sparse.csr_matrix, list[str]]:
    """Return the gram counts of ``texts`` (a row each, with its heading path when given) and the key of each column."""
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    columns: list[int] = []
    values: list[int] = []
    for row, text in enumerate(texts):
        for key, count in Counter(spec.grams(text, sections[row] if sections else None)).items():
            rows.append(row)
            columns.append(vocabulary.setdefault(key, len(vocabulary)))
            values.append(count)
    matrix = sparse.csr_matrix((np.asarray(values, dtype=np.float64), (rows, columns)),
                               shape=(len(texts), len(vocabulary)))
    return matrix, list(vocabulary)


def build_head(C: float = 0.5, min_df: int = 2, seed: int = 0) -> Pipeline:
    """Return the untrained estimator over a count matrix: column selection → TF-IDF → calibrated SVMs."""
    svm = LinearSVC(C=C, class_weight="balanced", random_state=seed, max_iter=5000)
    return Pipeline([
        ("select", DocumentFrequencyFilter(min_df=min_df)),
        ("tfidf", TfidfTransformer(sublinear_tf=True)),
        ("classifier", OneVsRestClassifier(CalibratedClassifierCV(svm, method="sigmoid", cv=3, ensemble=False))),
    ])


def to_scorer(head: Pipeline, keys: Sequence[str], spec: FeatureSpec) -> LinearScorer:
    """Return the arrays of a fitted head as a :class:`LinearScorer` that scores exactly as the head does."""
    select: DocumentFrequencyFilter = head.named_steps["select"]
    tfidf: TfidfTransformer = head.named_steps["tfidf"]
    ovr: OneVsRestClassifier = head.named_steps["classifier"]
    coef, intercept, a, b = [], [], [], []
    for label, calibrated in enumerate(ovr.estimators_):
        if not isinstance(calibrated, CalibratedClassifierCV) or len(calibrated.calibrated_classifiers_) != 1:
            raise ValueError(f"label {label}: no fitted classifier (every label needs positive and negative rows)")
        [inner] = calibrated.calibrated_classifiers_
        [sigmoid] = inner.calibrators
        coef.append(np.ravel(inner.estimator.coef_))
        intercept.append(float(np.ravel(inner.estimator.intercept_)[0]))
        a.append(float(sigmoid.a_))
        b.append(float(sigmoid.b_))
    return LinearScorer(spec=spec, vocabulary=[keys[int(c)] for c in select.columns_],
                        idf=np.asarray(tfidf.idf_, dtype=np.float64), coef=np.vstack(coef).astype(np.float64),
                        intercept=np.asarray(intercept), a=np.asarray(a), b=np.asarray(b))
