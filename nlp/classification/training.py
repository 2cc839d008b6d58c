"""Train a category model on labelled paragraphs, with k-fold cross-validation.

Labelled data is JSONL: ``{"text", "primary", "secondary", "source"}``, with
an optional ``section`` (the paragraph's heading path: a list of headings or
one string) and ``department`` (the kind of department that wrote it). The
estimator is cross-validated (stratified by primary label); the out-of-fold
scores choose each label's threshold and the abstention threshold, and give
the figures ``train`` reports before anything is written. The final model is
then fitted on all rows.

A row with a section is learnt twice, with its heading words and without
them, so that the text alone stays as telling as before and the heading only
adds evidence; cross-validation scores such rows both ways (``paragraph_alone``).
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
    sections: list[list[str] | None] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def with_section(self) -> list[int]:
        """Return the indices of the rows that carry a heading path."""
        return [i for i, s in enumerate(self.sections) if s]

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


def expand_data_paths(paths: Iterable[Path]) -> list[Path]:
    """Return the JSONL files named: files as given, folders as every ``*.jsonl`` under them (sorted)."""
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.jsonl") if p.is_file())
            if not found:
                raise TrainingDataError(f"{path}: no *.jsonl files in this folder")
            out += found
        else:
            out.append(path)
    return out


def _section(value: Any) -> list[str] | None:
    """Return a row's heading path as a list of headings (None when it has none)."""
    from nlp.classification.features import split_headings

    if not value:
        return None
    if isinstance(value, str) or (isinstance(value, list) and all(isinstance(h, str) for h in value)):
        return split_headings(value) or None
    raise TypeError(f"section must be a string or a list of headings, not {value!r}")


def load_corpus(paths: Iterable[Path], taxonomy: Taxonomy) -> Corpus:
    """Read labelled JSONL files; refuse unknown labels, drop exact duplicate texts."""
    texts: list[str] = []
    primary: list[str] = []
    secondary: list[list[str]] = []
    sections: list[list[str] | None] = []
    sources: list[str] = []
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
                section = _section(row.get("section"))
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
            sections.append(section)
            sources.append(f"{path.name}:{number}")
    if not texts:
        raise TrainingDataError("no labelled rows found; pass JSONL files of labelled paragraphs")
    counts = Counter(primary)
    if len(counts) < 2:
        raise TrainingDataError("the data has a single primary label; a classifier needs at least two")
    return Corpus(texts, primary, secondary, digest.hexdigest(), files, dropped, sections, sources)


@dataclass
class TrainingResult:
    manifest: dict[str, Any]
    cv: dict[str, Any]
    directory: Path
    suspects: list[dict[str, Any]] = field(default_factory=list)


def default_output_dir(taxonomy_name: str, when: datetime | None = None) -> Path:
    """Return where ``train`` writes a model when no directory is given: ``models/<taxonomy>-<date>``."""
    when = when or datetime.now(timezone.utc)
    return Path("models") / f"{taxonomy_name}-{when:%Y%m%d}"


def check_output_dir(directory: Path, force: bool) -> None:
    """Refuse to write over a model directory (or any non-empty folder) unless ``force`` is set."""
    if directory.exists() and not directory.is_dir():
        raise TrainingDataError(f"{directory}: exists and is not a folder; choose another --model-out")
    if directory.is_dir() and any(directory.iterdir()) and not force:
        raise TrainingDataError(f"{directory}: already holds files (a model?); it is only replaced with --force, "
                                "or choose another --model-out")


def train(data: list[Path] | None = None, taxonomy_path: Path | None = None, model_out: Path | None = None,
          folds: int = 5, seed: int = 0, progress: Progress | None = None, force: bool = False,
          on_cv: Callable[[dict[str, Any]], None] | None = None, check_labels: int = 0) -> TrainingResult:
    """Cross-validate, choose thresholds, report the figures (``on_cv``), then fit on everything and save.

    ``data`` are JSONL files or folders of them (default: ``training_data/``). The
    model goes to ``model_out`` (default :func:`default_output_dir`); a folder that
    already holds files is refused before any work unless ``force`` is set, and is
    replaced in one step once the new model is complete. ``check_labels`` > 0 lists
    that many rows whose labels the cross-validation doubts most (:func:`suspect_labels`).
    """
    from sklearn.base import clone

    from nlp.classification.estimators import build_head, count_matrix, to_scorer
    from nlp.classification.features import SECTION, FeatureSpec

    taxonomy_path = Path(taxonomy_path) if taxonomy_path else default_taxonomy_path()
    taxonomy = load_taxonomy(taxonomy_path)
    directory = Path(model_out) if model_out else default_output_dir(taxonomy.name)
    check_output_dir(directory, force)
    corpus = load_corpus(expand_data_paths(data) if data else default_data_paths(), taxonomy)
    labels = taxonomy.labels
    y = corpus.matrix(labels)
    present = [label for label, n in zip(labels, y.sum(axis=0)) if n]
    if len(present) < len(labels):
        missing = sorted(set(labels) - set(present))
        raise TrainingDataError(f"no training rows for {missing}; every category needs examples")
    sectioned = corpus.with_section
    spec = FeatureSpec(sections=bool(sectioned))
    report = progress or (lambda stage, done, total: None)
    report("features", 0, 1)
    x, keys = count_matrix(corpus.texts + [corpus.texts[i] for i in sectioned], spec,
                           corpus.sections + [None] * len(sectioned))
    x_plain = x[len(corpus.texts):]  # the sectioned rows again, text alone
    x = x[:len(corpus.texts)]
    report("features", 1, 1)
    head = build_head(seed=seed, section_mask=np.array([k.startswith(SECTION) for k in keys]),
                      section_weight=spec.section_weight)
    oof, oof_plain = _out_of_fold(head, x, x_plain, sectioned, y, corpus.primary, folds, seed, report)
    both = np.vstack([oof, oof_plain])
    golds = corpus.primary + [corpus.primary[i] for i in sectioned]
    rule = choose_rule(both, np.vstack([y, y[sectioned]]), labels, taxonomy.fallback, golds)
    cv = cv_metrics(oof, corpus, labels, rule, folds)
    if sectioned:
        alone = oof.copy()
        alone[sectioned] = oof_plain
        with_section = cv_metrics(oof[sectioned], _subset(corpus, sectioned), labels, rule, folds)
        without = cv_metrics(oof_plain, _subset(corpus, sectioned), labels, rule, folds)
        cv["paragraph_alone"] = {k: cv_metrics(alone, corpus, labels, rule, folds)[k] for k in ("accuracy", "macro_f1")}
        cv["sectioned_rows"] = {"rows": len(sectioned), "with_section": with_section["accuracy"],
                                "text_alone": without["accuracy"]}
    if on_cv is not None:
        on_cv(cv)
    suspects = suspect_labels(oof, corpus, labels, check_labels) if check_labels else []
    report("final fit", 0, 1)
    scorer = to_scorer(_fit(head, x, y, x_plain, y[sectioned], list(range(len(corpus.texts))),
                            list(range(len(sectioned)))), keys, spec)
    report("final fit", 1, 1)
    created = datetime.now(timezone.utc)
    manifest = {
        "model_version": f"{taxonomy.name}-{created:%Y%m%d}-{corpus.sha256[:8]}",
        "created": created.isoformat(timespec="seconds"),
        "taxonomy": {"name": taxonomy.name, "sha256": taxonomy.sha256, "labels": labels,
                     "fallback": taxonomy.fallback},
        "training_data": {"sha256": corpus.sha256, "rows": len(corpus.texts), "files": [Path(f).name for f in corpus.files],
                          "dropped_duplicates": corpus.dropped_duplicates, "rows_with_section": len(sectioned)},
        "seed": seed,
        "cv": cv,
    }
    saved = _save_replacing(directory, scorer, labels, rule, taxonomy_path, manifest)
    return TrainingResult(saved, cv, directory, suspects)


def _save_replacing(directory: Path, scorer: Any, labels: list[str], rule: DecisionRule, taxonomy_path: Path,
                    manifest: dict[str, Any]) -> dict[str, Any]:
    """Write the model beside ``directory`` and swap it in, so a failed run leaves the old model whole."""
    import os
    import shutil

    from nlp.classification.persistence import save_model

    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = directory.parent / f".{directory.name}.new-{os.getpid()}"
    old = directory.parent / f".{directory.name}.old-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        saved = save_model(staging, scorer, labels, rule, taxonomy_path, manifest)
        if directory.exists():
            directory.replace(old)
        staging.replace(directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
    return saved


def _subset(corpus: Corpus, rows: list[int]) -> Corpus:
    return Corpus([corpus.texts[i] for i in rows], [corpus.primary[i] for i in rows],
                  [corpus.secondary[i] for i in rows], corpus.sha256, corpus.files)


def _fit(head: Any, x: Any, y: np.ndarray, x_plain: Any, y_plain: np.ndarray, rows: list[int], plain: list[int]) -> Any:
    """Fit a copy of ``head`` on ``rows`` and, again without their heading, on ``plain`` rows (counted once)."""
    from scipy import sparse
    from sklearn.base import clone

    fit_x = sparse.vstack([x[rows], x_plain[plain]]).tocsr() if plain else x[rows]
    fit_y = np.vstack([y[rows], y_plain[plain]]) if plain else y[rows]
    return clone(head).fit(fit_x, fit_y, select__counted=[True] * len(rows) + [False] * len(plain))


def suspect_labels(scores: np.ndarray, corpus: Corpus, labels: list[str], top: int) -> list[dict[str, Any]]:
    """Return the ``top`` rows whose given primary the out-of-fold scores doubt most, to be read again.

    A row's margin is the score of its given label minus the best score of any other
    label; the most negative margins come first.
    """
    index = {label: j for j, label in enumerate(labels)}
    margins: list[tuple[float, int, str]] = []
    for i, (given, row) in enumerate(zip(corpus.primary, scores)):
        best, instead = max((float(v), label) for label, v in zip(labels, row) if label != given)
        margins.append((float(row[index[given]]) - best, i, instead))
    return [{"margin": round(margin, 3), "source": corpus.sources[i], "given": corpus.primary[i], "predicted": instead,
             "text": corpus.texts[i]} for margin, i, instead in sorted(margins)[:top]]


def _out_of_fold(head: Any, x: Any, x_plain: Any, sectioned: list[int], y: np.ndarray, strata: list[str],
                 folds: int, seed: int, report: Progress) -> tuple[np.ndarray, np.ndarray]:
    """Return out-of-fold scores of every row, and of the sectioned rows read without their section."""
    from sklearn.model_selection import StratifiedKFold

    smallest = min(Counter(strata).values())
    folds = max(2, min(folds, smallest))
    oof = np.zeros(y.shape, dtype=float)
    oof_plain = np.zeros((len(sectioned), y.shape[1]), dtype=float)
    position = {row: k for k, row in enumerate(sectioned)}
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for k, (train_idx, test_idx) in enumerate(splitter.split(np.zeros(len(strata)), strata)):
        report("cross-validation", k, folds)
        again = [position[i] for i in train_idx if i in position]
        model = _fit(head, x, y, x_plain, y[sectioned], list(train_idx), again)
        oof[test_idx] = model.predict_proba(x[test_idx])
        tested = [position[i] for i in test_idx if i in position]
        if tested:
            oof_plain[tested] = model.predict_proba(x_plain[tested])
    report("cross-validation", folds, folds)
    return oof, oof_plain


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
            "multilabel_micro_f1": round(micro, 3), "labels": per,
            "fallback_confusion": fallback_confusion([p for p, _ in predicted], corpus.primary, labels, rule.fallback)}


def fallback_confusion(predicted: list[str], gold: list[str], labels: list[str], fallback: str) -> dict[str, dict[str, int]]:
    """Return, per label, how many of its rows went to the fallback (其他) and how many fallback rows came to it.

    >>> fallback_confusion(["其他", "甲", "甲"], ["甲", "其他", "甲"], ["甲", "乙", "其他"], "其他")
    {'甲': {'to_fallback': 1, 'from_fallback': 1}, '乙': {'to_fallback': 0, 'from_fallback': 0}}
    """
    out = {}
    for label in labels:
        if label == fallback:
            continue
        out[label] = {"to_fallback": sum(g == label and p == fallback for p, g in zip(predicted, gold)),
                      "from_fallback": sum(g == fallback and p == label for p, g in zip(predicted, gold))}
    return out
