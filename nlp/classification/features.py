"""Build the classifier's feature pipeline and the estimator behind it.

Words (jieba with the domain dictionary, plus adjacent pairs) and character
1–3-grams are hashed, so the saved model holds no vocabulary dictionary (a
vocabulary of 10^5 strings makes skops files slow to load), then weighted by
TF-IDF and cut down to the columns seen in at least ``min_df`` training
paragraphs, which keeps the model small.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from nlp.segmentation import Segmenter, normalise_for_features

N_FEATURES = 2**18


class DocumentFrequencyFilter(TransformerMixin, BaseEstimator):
    """Keep the columns that are non-zero in at least ``min_df`` training rows."""

    def __init__(self, min_df: int = 2) -> None:
        self.min_df = min_df

    def fit(self, X: Any, y: Any = None) -> DocumentFrequencyFilter:
        counts = np.asarray((X > 0).sum(axis=0)).ravel()
        self.columns_ = np.flatnonzero(counts >= self.min_df).astype(np.int32)
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X: Any) -> Any:
        return X[:, self.columns_]


def build_pipeline(C: float = 0.5, min_df: int = 2, seed: int = 0) -> Pipeline:
    """Return the untrained pipeline: hashed word and char n-grams → TF-IDF → one-vs-rest calibrated SVMs."""
    words = HashingVectorizer(analyzer=Segmenter(), n_features=N_FEATURES, alternate_sign=False, norm=None)
    chars = HashingVectorizer(analyzer="char", ngram_range=(1, 3), preprocessor=normalise_for_features,
                              n_features=N_FEATURES, alternate_sign=False, norm=None)
    svm = LinearSVC(C=C, class_weight="balanced", random_state=seed, max_iter=5000)
    return Pipeline([
        ("features", FeatureUnion([("words", words), ("chars", chars)])),
        ("select", DocumentFrequencyFilter(min_df=min_df)),
        ("tfidf", TfidfTransformer(sublinear_tf=True)),
        ("classifier", OneVsRestClassifier(CalibratedClassifierCV(svm, method="sigmoid", cv=3, ensemble=False))),
    ])


def feature_names(pipeline: Pipeline, texts: Sequence[str]) -> dict[int, str]:
    """Return, for the n-grams of ``texts``, each model column they activate and the n-gram behind it."""
    union: FeatureUnion = pipeline.named_steps["features"]
    select: DocumentFrequencyFilter = pipeline.named_steps["select"]
    position = {int(c): i for i, c in enumerate(select.columns_)}
    names: dict[int, str] = {}
    offset = 0
    for _, vectorizer in union.transformer_list:
        analyzer = vectorizer.build_analyzer()
        grams = sorted({g for text in texts for g in analyzer(text)}, key=len)
        if grams:
            # HashingVectorizer hashes each n-gram with FeatureHasher; hashing
            # one n-gram per row gives each n-gram's column.
            hasher = FeatureHasher(n_features=vectorizer.n_features, input_type="string", alternate_sign=False)
            matrix = hasher.transform([[g] for g in grams]).tocsr()
            for gram, column in zip(grams, matrix.indices):
                kept = position.get(offset + int(column))
                if kept is not None and kept not in names:
                    names[kept] = gram.replace(" ", "")
        offset += vectorizer.n_features
    return names
