"""The scikit-learn side of the classifier: count matrices, the estimator, and its export to arrays.

Training builds a count matrix over every gram of the corpus, fits
``select + TF-IDF → one-vs-rest sigmoid-calibrated LinearSVC`` on it (the
column selection is part of the fitted head, so cross-validation folds choose
their own columns; heading words, when there are any, are weighted and
normalised apart from the text so that a long paragraph does not drown its
heading), and :func:`to_scorer` turns the fitted head into a
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
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from nlp.classification.features import FeatureSpec, LinearScorer, Section


class SelectTfidf(TransformerMixin, BaseEstimator):
    """Keep the columns seen in at least ``min_df`` rows; weight them by sublinear TF-IDF.

    The text columns are scaled to unit length; the columns flagged in ``section_mask``
    (heading words) are scaled to unit length apart and then to ``section_weight``.
    Without heading columns this is scikit-learn's ``TfidfTransformer(sublinear_tf=True)``.
    """

    def __init__(self, min_df: int = 3, section_mask: Any = None, section_weight: float = 0.6) -> None:
        self.min_df = min_df
        self.section_mask = section_mask
        self.section_weight = section_weight

    def fit(self, X: Any, y: Any = None, counted: Any = None) -> SelectTfidf:
        """Learn the columns and their IDF; ``counted`` marks the rows that count (a row learnt twice counts once)."""
        rows = X if counted is None else X[np.flatnonzero(np.asarray(counted, dtype=bool))]
        df = np.asarray((rows > 0).sum(axis=0)).ravel()
        self.columns_ = np.flatnonzero(df >= self.min_df).astype(np.int64)
        n = rows.shape[0]
        self.idf_ = np.log((1.0 + n) / (1.0 + df[self.columns_])) + 1.0
        mask = np.zeros(X.shape[1], dtype=bool) if self.section_mask is None else np.asarray(self.section_mask, dtype=bool)
        self.sections_ = mask[self.columns_]
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X: Any) -> Any:
        X = sparse.csr_matrix(X[:, self.columns_], dtype=np.float64, copy=True)
        X.data = 1.0 + np.log(X.data)
        X = X @ sparse.diags(self.idf_)
        text = X @ sparse.diags((~self.sections_).astype(np.float64))
        heading = X @ sparse.diags(self.sections_.astype(np.float64))
        return sparse.csr_matrix(_unit_rows(text) + self.section_weight * _unit_rows(heading))


def _unit_rows(matrix: Any) -> Any:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ matrix


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


def build_head(C: float = 0.5, min_df: int = 3, seed: int = 0, section_mask: Any = None,
               section_weight: float = 0.6) -> Pipeline:
    """Return the untrained estimator over a count matrix: column selection and TF-IDF → calibrated SVMs."""
    svm = LinearSVC(C=C, class_weight="balanced", random_state=seed, max_iter=5000)
    return Pipeline([
        ("select", SelectTfidf(min_df=min_df, section_mask=section_mask, section_weight=section_weight)),
        ("classifier", OneVsRestClassifier(CalibratedClassifierCV(svm, method="sigmoid", cv=3, ensemble=False))),
    ])


def to_scorer(head: Pipeline, keys: Sequence[str], spec: FeatureSpec) -> LinearScorer:
    """Return the arrays of a fitted head as a :class:`LinearScorer` that scores exactly as the head does."""
    select: SelectTfidf = head.named_steps["select"]
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
                        idf=np.asarray(select.idf_, dtype=np.float64), coef=np.vstack(coef).astype(np.float64),
                        intercept=np.asarray(intercept), a=np.asarray(a), b=np.asarray(b))
