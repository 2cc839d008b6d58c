"""Train a category model on labelled paragraphs, with k-fold cross-validation.

Labelled data is JSONL: ``{"text", "primary", "secondary", "source"}``. The
estimator is cross-validated (stratified by primary label); the out-of-fold
scores choose each label's threshold and the abstention threshold, and give
the figures ``train`` prints. The final model is then fitted on all rows.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from nlp.classification.model import DecisionRule
from nlp.errors import TrainingDataError
from nlp.taxonomy import Taxonomy, default_taxonomy_path, load_taxonomy

Progress = Callable[[str, int, int], None]


@dataclass
class Corpus:
    """Labelled paragraphs, checked against a taxonomy."""

    texts: list[str]
    primary: list[str]
    secondary: list[list[str]]
    sha256: str
    files: list[str]
    dropped_duplicates: int = 0

    def matrix(self, labels: list[str]) -> np.ndarray:
        """Return the label matrix: a row per text, 1 for its primary and secondary labels."""
        index = {label: i for i, label in enumerate(labels)}
        y = np.zeros((len(self.texts), len(labels)), dtype=np.int8)
        for row, (primary, secondary) in enumerate(zip(self.primary, self.secondary)):
            for label in (primary, *secondary):
                y[row, index[label]] = 1
        return y


def default_data_paths() -> list[Path]:
    """Return the JSONL files of ``training_data/`` beside the package."""
    from importlib import resources

    root = Path(str(resources.files("nlp"))).resolve().parent / "training_data"
    return sorted(root.glob("*.jsonl"))


def load_corpus(paths: Iterable[Path], taxonomy: Taxonomy) -> Corpus:
    """Read labelled JSONL files; refuse unknown labels, drop exact duplicate texts."""
    texts: list[str] = []
    primary: list[str] = []
    secondary: list[list[str]] = []
    digest = hashlib.sha256()
    seen: set[str] = set()
    dropped = 0
    known = set(taxonomy.labels)
    files = []
    for path in paths:
        path = Path(path)
        files.append(str(path))
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise TrainingDataError(f"{path}: cannot read it ({exc})") from exc
        digest.update(data)
        from nlp.readers.text import decode

        for number, line in enumerate(decode(data, path).splitlines() if data.strip() else [], start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                text, label = str(row["text"]).strip(), str(row["primary"])
                extra = [str(s) for s in row.get("secondary") or [] if s != label]
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise TrainingDataError(f"{path}:{number}: not a labelled row ({exc}); "
                                        'expected {"text": …, "primary": …, "secondary": […]}') from exc
            bad = [x for x in (label, *extra) if x not in known]
            if bad:
                raise TrainingDataError(f"{path}:{number}: label(s) {bad} are not in the taxonomy {taxonomy.name!r}")
            if extra and taxonomy.fallback in extra:
                extra = [x for x in extra if x != taxonomy.fallback]
            if not text or text in seen:
                dropped += 1
                continue
            seen.add(text)
            texts.append(text)
            primary.append(label)
            secondary.append(sorted(set(extra)))
    if not texts:
        raise TrainingDataError("no labelled rows found; pass JSONL files of labelled paragraphs")
    counts = Counter(primary)
    if len(counts) < 2:
        raise TrainingDataError("the data has a single primary label; a classifier needs at least two")
    return Corpus(texts, primary, secondary, digest.hexdigest(), files, dropped)


@dataclass
class TrainingResult:
    manifest: dict[str, Any]
    cv: dict[str, Any]
    directory: Path
    notes: list[str] = field(default_factory=list)


def train(data: list[Path] | None = None, taxonomy_path: Path | None = None, model_out: Path | None = None,
          folds: int = 5, seed: int = 0, progress: Progress | None = None) -> TrainingResult:
    """Cross-validate, choose thresholds, fit on everything and save the model."""
    from sklearn.base import clone

    from nlp.classification.estimators import build_head, count_matrix, to_scorer
    from nlp.classification.features import FeatureSpec
    from nlp.classification.persistence import default_model_dir, save_model

    taxonomy_path = Path(taxonomy_path) if taxonomy_path else default_taxonomy_path()
    taxonomy = load_taxonomy(taxonomy_path)
    corpus = load_corpus(data or default_data_paths(), taxonomy)
    labels = taxonomy.labels
    y = corpus.matrix(labels)
    present = [label for label, n in zip(labels, y.sum(axis=0)) if n]
    if len(present) < len(labels):
        missing = sorted(set(labels) - set(present))
        raise TrainingDataError(f"no training rows for {missing}; every category needs examples")
    spec = FeatureSpec()
    report = progress or (lambda stage, done, total: None)
    report("features", 0, 1)
    x, keys = count_matrix(corpus.texts, spec)
    report("features", 1, 1)
    head = build_head(seed=seed)
    oof = _out_of_fold(head, x, y, corpus.primary, folds, seed, report)
    rule = choose_rule(oof, y, labels, taxonomy.fallback, corpus.primary)
    cv = cv_metrics(oof, corpus, labels, rule, folds)
    report("final fit", 0, 1)
    scorer = to_scorer(clone(head).fit(x, y), keys, spec)
    report("final fit", 1, 1)
    directory = Path(model_out) if model_out else default_model_dir()
    created = datetime.now(timezone.utc)
    manifest = {
        "model_version": f"{taxonomy.name}-{created:%Y%m%d}-{corpus.sha256[:8]}",
        "created": created.isoformat(timespec="seconds"),
        "taxonomy": {"name": taxonomy.name, "sha256": taxonomy.sha256, "labels": labels,
                     "fallback": taxonomy.fallback},
        "training_data": {"sha256": corpus.sha256, "rows": len(corpus.texts), "files": [Path(f).name for f in corpus.files],
                          "dropped_duplicates": corpus.dropped_duplicates},
        "seed": seed,
        "cv": cv,
    }
    saved = save_model(directory, scorer, labels, rule, taxonomy_path, manifest)
    return TrainingResult(saved, cv, directory)


def _out_of_fold(head: Any, x: Any, y: np.ndarray, strata: list[str], folds: int, seed: int,
                 report: Progress) -> np.ndarray:
    from sklearn.base import clone
    from sklearn.model_selection import StratifiedKFold

    smallest = min(Counter(strata).values())
    folds = max(2, min(folds, smallest))
    oof = np.zeros(y.shape, dtype=float)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for k, (train_idx, test_idx) in enumerate(splitter.split(np.zeros(len(strata)), strata)):
        report("cross-validation", k, folds)
        model = clone(head).fit(x[train_idx], y[train_idx])
        oof[test_idx] = model.predict_proba(x[test_idx])
    report("cross-validation", folds, folds)
    return oof


def choose_rule(scores: np.ndarray, y: np.ndarray, labels: list[str], fallback: str,
                primaries: list[str]) -> DecisionRule:
    """Choose per-label thresholds (best F1 of label membership) and the abstention threshold (best accuracy)."""
    grid = np.round(np.arange(0.15, 0.86, 0.025), 3)
    thresholds: dict[str, float] = {}
    for j, label in enumerate(labels):
        best = max(grid, key=lambda t: (_f1(scores[:, j] >= t, y[:, j] == 1), -abs(t - 0.5)))
        thresholds[label] = float(best)
    rule = DecisionRule(thresholds, 0.5, fallback)

    def accuracy(t: float) -> float:
        rule.abstain = float(t)
        return sum(rule.decide(dict(zip(labels, row)))[0] == gold for row, gold in zip(scores, primaries)) / len(primaries)

    rule.abstain = float(max(grid, key=lambda t: (accuracy(t), -abs(t - 0.4))))
    return rule


def _f1(predicted: np.ndarray, actual: np.ndarray) -> float:
    tp = float(np.sum(predicted & actual))
    fp = float(np.sum(predicted & ~actual))
    fn = float(np.sum(~predicted & actual))
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def cv_metrics(scores: np.ndarray, corpus: Corpus, labels: list[str], rule: DecisionRule,
               folds: int) -> dict[str, Any]:
    """Return accuracy, macro-F1 and per-label P/R/F1 of the primary, and multi-label micro-F1."""
    predicted = [rule.decide(dict(zip(labels, row))) for row in scores]
    per: dict[str, dict[str, float]] = {}
    for label in labels:
        tp = sum(p == label == g for (p, _), g in zip(predicted, corpus.primary))
        fp = sum(p == label != g for (p, _), g in zip(predicted, corpus.primary))
        fn = sum(g == label != p for (p, _), g in zip(predicted, corpus.primary))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[label] = {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
                      "support": tp + fn}
    tp = fp = fn = 0
    for (p, secondary), gold, gold_secondary in zip(predicted, corpus.primary, corpus.secondary):
        got, want = {p, *secondary}, {gold, *gold_secondary}
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
    micro = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    accuracy = sum(p == g for (p, _), g in zip(predicted, corpus.primary)) / len(predicted)
    macro = sum(v["f1"] for v in per.values()) / len(per)
    return {"folds": folds, "rows": len(predicted), "accuracy": round(accuracy, 3), "macro_f1": round(macro, 3),
            "multilabel_micro_f1": round(micro, 3), "labels": per}
