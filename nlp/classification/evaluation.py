"""Evaluate a category model on a labelled (gold) JSONL file.

Rows may carry a ``section`` (heading path, read when the model uses sections)
and a ``department`` (kind of department); with departments, accuracy is given
per kind, and for every label the confusion with the fallback (其他) both ways.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nlp.classification.model import Tagger
from nlp.classification.training import fallback_confusion
from nlp.errors import TrainingDataError
from nlp.messages import t


def read_gold(path: Path) -> list[dict[str, Any]]:
    """Return the scored rows of a gold file (``skip: true`` rows left out)."""
    from nlp.readers.text import decode

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TrainingDataError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    rows = []
    for number, line in enumerate(decode(data, path).splitlines() if data.strip() else [], start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if row.get("skip"):
                continue
            rows.append({"id": row.get("id", str(number)), "text": str(row["text"]), "primary": str(row["primary"]),
                         "secondary": list(row.get("secondary") or []), "section": row.get("section") or None,
                         "department": str(row["department"]) if row.get("department") else None})
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise TrainingDataError(f"{path}:{number}: not a labelled row ({exc})") from exc
    if not rows:
        raise TrainingDataError(f"{path}: no labelled rows")
    return rows


def evaluate(tagger: Tagger, rows: list[dict[str, Any]], use_sections: bool = True) -> dict[str, Any]:
    """Return accuracy, macro-F1, multi-label micro-F1, per-label figures, the confusion matrix and, where rows
    say so, accuracy per kind of department."""
    sections = [r.get("section") for r in rows] if use_sections else None
    predictions = tagger.predict([r["text"] for r in rows], explain=False, sections=sections)
    labels = tagger.taxonomy.labels
    per: dict[str, dict[str, Any]] = {}
    for label in labels:
        tp = sum(p.primary == label == r["primary"] for p, r in zip(predictions, rows))
        fp = sum(p.primary == label != r["primary"] for p, r in zip(predictions, rows))
        fn = sum(r["primary"] == label != p.primary for p, r in zip(predictions, rows))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[label] = {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
                      "support": tp + fn, "predicted": tp + fp}
    tp = fp = fn = 0
    for p, r in zip(predictions, rows):
        got, want = {label.label for label in p.labels}, {r["primary"], *r["secondary"]}
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
    scored = [v["f1"] for v in per.values() if v["support"] or v["predicted"]]
    confusion = {gold: {pred: 0 for pred in labels} for gold in labels}
    for p, r in zip(predictions, rows):
        if r["primary"] in confusion and p.primary in confusion[r["primary"]]:
            confusion[r["primary"]][p.primary] += 1
    departments: dict[str, list[int]] = {}
    for p, r in zip(predictions, rows):
        if r.get("department"):
            departments.setdefault(r["department"], []).append(int(p.primary == r["primary"]))
    return {
        "rows": len(rows),
        "accuracy": round(sum(p.primary == r["primary"] for p, r in zip(predictions, rows)) / len(rows), 3),
        "macro_f1": round(sum(scored) / len(scored), 3) if scored else 0.0,
        "multilabel_micro_f1": round(2 * tp / (2 * tp + fp + fn), 3) if tp else 0.0,
        "labels": per,
        "confusion": confusion,
        "fallback_confusion": fallback_confusion([p.primary for p in predictions], [r["primary"] for r in rows],
                                                 labels, tagger.rule.fallback),
        "departments": {kind: {"rows": len(hits), "accuracy": round(sum(hits) / len(hits), 3)}
                        for kind, hits in sorted(departments.items(), key=lambda kv: -len(kv[1]))},
        "model_version": tagger.version,
    }


def format_labels(per: dict[str, dict[str, Any]], fallback: dict[str, dict[str, int]]) -> list[str]:
    """Return the per-label table: precision, recall, F1, support and the confusion with the fallback both ways."""
    lines = [t("classify.table_head", label=_pad(t("classify.col_label"), 12))]
    for label, v in per.items():
        row = fallback.get(label)
        both = f"{row['to_fallback']:>8}{row['from_fallback']:>8}" if row else f"{'':>8}{'':>8}"
        lines.append(f"{_pad(label, 12)}{v['precision']:>10.3f}{v['recall']:>8.3f}{v['f1']:>8.3f}{v['support']:>9}{both}")
    return lines


def format_report(result: dict[str, Any]) -> str:
    """Return the evaluation as a text table, the accuracy per kind of department and a confusion matrix."""
    lines = [t("classify.eval_summary", rows=result["rows"], accuracy=result["accuracy"], macro_f1=result["macro_f1"],
               micro=result["multilabel_micro_f1"], model=result["model_version"]), ""]
    lines += format_labels(result["labels"], result.get("fallback_confusion", {}))
    if result.get("departments"):
        lines += ["", t("classify.by_department")]
        lines += [f"  {_pad(kind, 14)}{v['accuracy']:>7.3f}{v['rows']:>6}" for kind, v in result["departments"].items()]
    labels = list(result["confusion"])
    lines += ["", t("classify.confusion"),
              " " * 12 + "".join(f"{i:>4}" for i in range(len(labels)))]
    for i, gold in enumerate(labels):
        lines.append(f"{i:>2} {_pad(gold, 9)}" + "".join(f"{result['confusion'][gold][p]:>4}" for p in labels))
    return "\n".join(lines)


def _pad(text: str, width: int) -> str:
    # Chinese characters take two columns in a terminal.
    used = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return text + " " * max(1, width - used)
