"""Send paragraphs to reviewers in Label Studio and read their corrections back as training rows.

:func:`label_config` writes the labelling interface for a taxonomy (a single-choice primary
category and multi-choice secondary categories); :func:`tasks` turns suggestions into import
tasks that carry the model's labels as ``predictions``, so reviewers correct rather than start
from nothing; :func:`read_export` reads a Label Studio JSON export (or a doccano JSONL export)
into rows ``train`` accepts, each with its provenance: annotator, task and time.

>>> from nlp.taxonomy import load_taxonomy
>>> print(label_config(load_taxonomy()).splitlines()[4])
  <Choices name="primary" toName="text" choice="single" showInline="true" required="true">
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from nlp.errors import TrainingDataError
from nlp.messages import t
from nlp.taxonomy import Taxonomy

PRIMARY = "primary"
SECONDARY = "secondary"
TEXT = "text"
#: The ``source`` of every imported row: how it was made (the document it came from is in provenance).
ROW_SOURCE = "reviewed:{tool}"


def label_config(taxonomy: Taxonomy) -> str:
    """Return Label Studio's labelling configuration (XML) for ``taxonomy``."""
    def choices(name: str, kind: str, extra: str) -> list[str]:
        lines = [f'  <Choices name="{name}" toName="{TEXT}" choice="{kind}" showInline="true"{extra}>']
        lines += [f"    <Choice value={quoteattr(label)} hint={quoteattr(_hint(taxonomy, label))}/>"
                  for label in taxonomy.labels if name == PRIMARY or label != taxonomy.fallback]
        return lines + ["  </Choices>"]

    return "\n".join([
        "<View>",
        '  <Header value="$source · $section"/>',
        f'  <Text name="{TEXT}" value="$text"/>',
        '  <Header value="主类别（单选）"/>',
        *choices(PRIMARY, "single", ' required="true"'),
        '  <Header value="次类别（可多选，可不选）"/>',
        *choices(SECONDARY, "multiple", ""),
        "</View>",
    ]) + "\n"


def _hint(taxonomy: Taxonomy, label: str) -> str:
    return next((c.description for c in taxonomy.categories if c.name == label), "")


def _choice(name: str, values: list[str]) -> dict[str, Any]:
    return {"from_name": name, "to_name": TEXT, "type": "choices", "value": {"choices": list(values)}}


def tasks(suggestions: Iterable[Any], model_version: str) -> list[dict[str, Any]]:
    """Return Label Studio import tasks for :class:`nlp.suggest.Suggestion` objects, the model's labels as predictions."""
    out = []
    for s in suggestions:
        c = s.candidate
        result = [_choice(PRIMARY, [s.primary])] + ([_choice(SECONDARY, s.secondary)] if s.secondary else [])
        top = sorted(s.scores.items(), key=lambda kv: -kv[1])[:3]
        out.append({
            "data": {"text": c.text, "section": c.section, "source": c.source, "paragraph": c.paragraph,
                     "page": c.page, "model_scores": "、".join(f"{k} {v:.2f}" for k, v in top),
                     "closeness": round(s.closeness, 4)},
            "predictions": [{"model_version": model_version, "score": round(s.scores.get(s.primary, 0.0), 4),
                             "result": result}],
        })
    return out


@dataclass
class Imported:
    """Rows read from an export, and how many tasks were skipped and why."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)


def read_export(path: Path, taxonomy: Taxonomy) -> Imported:
    """Read a Label Studio JSON export or a doccano JSONL export into labelled rows.

    Cancelled and unlabelled tasks are skipped (and counted); a label that is not in
    ``taxonomy`` stops the import with a message naming the task and the label.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TrainingDataError(t("labels.unreadable", path=path, detail=exc)) from exc
    if text.lstrip().startswith("["):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise TrainingDataError(t("labels.not_export", path=path, detail=exc)) from exc
        return _label_studio(data, taxonomy, path)
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except ValueError as exc:
                raise TrainingDataError(t("labels.not_export", path=f"{path}:{number}", detail=exc)) from exc
    return _doccano(rows, taxonomy, path)


def _check(labels: list[str], taxonomy: Taxonomy, path: Path, task: Any) -> None:
    known = set(taxonomy.labels)
    bad = [label for label in labels if label not in known]
    if bad:
        raise TrainingDataError(t("labels.outside_taxonomy", path=path, task=task, labels="、".join(bad),
                                  taxonomy=taxonomy.name, known="、".join(taxonomy.labels)))


def _row(text: str, primary: str, secondary: list[str], taxonomy: Taxonomy, provenance: dict[str, Any]) -> dict[str, Any]:
    secondary = [s for s in dict.fromkeys(secondary) if s != primary and s != taxonomy.fallback]
    return {"text": text, "primary": primary, "secondary": secondary,
            "source": ROW_SOURCE.format(tool=provenance["tool"]), "provenance": provenance}


def _label_studio(data: Any, taxonomy: Taxonomy, path: Path) -> Imported:
    if not isinstance(data, list):
        raise TrainingDataError(t("labels.not_export", path=path, detail="not a list of tasks"))
    out = Imported()
    for task in data:
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise TrainingDataError(t("labels.not_export", path=path, detail="a task without `data`"))
        task_id = task.get("id")
        text = str(task["data"].get(TEXT) or "").strip()
        annotations = [a for a in task.get("annotations") or [] if isinstance(a, dict)]
        done = [a for a in annotations if not a.get("was_cancelled")]
        if not done:
            out.skipped["cancelled" if annotations else "unlabelled"] += 1
            continue
        # The latest annotation of a task is the one that counts (a review may follow a first pass).
        latest = max(done, key=lambda a: str(a.get("updated_at") or a.get("created_at") or ""))
        primary, secondary = _choices(latest.get("result") or [])
        _check(primary + secondary, taxonomy, path, task_id)
        if not primary or not text:
            out.skipped["unlabelled"] += 1
            continue
        out.rows.append(_row(text, primary[0], secondary, taxonomy, {
            "tool": "label-studio", "task": task_id, "annotation": latest.get("id"),
            "annotator": _annotator(latest.get("completed_by")),
            "time": latest.get("updated_at") or latest.get("created_at"),
            "document": task["data"].get("source"), "paragraph": task["data"].get("paragraph"),
            "model_primary": _predicted(task)}))
    return out


def _choices(result: list[Any]) -> tuple[list[str], list[str]]:
    primary: list[str] = []
    secondary: list[str] = []
    for item in result:
        if not isinstance(item, dict) or item.get("type") != "choices":
            continue
        values = [str(v) for v in (item.get("value") or {}).get("choices") or []]
        if item.get("from_name") == PRIMARY:
            primary += values
        elif item.get("from_name") == SECONDARY:
            secondary += values
    return primary, secondary


def _annotator(who: Any) -> str | None:
    if isinstance(who, dict):
        return str(who.get("email") or who.get("username") or who.get("id") or "") or None
    return None if who is None else str(who)


def _predicted(task: dict[str, Any]) -> str | None:
    """Return the primary the model proposed for a task, where the export keeps it."""
    predictions = task.get("predictions") or []
    for annotation in task.get("annotations") or []:
        if isinstance(annotation, dict) and isinstance(annotation.get("prediction"), dict):
            predictions = [annotation["prediction"], *predictions]
    for prediction in predictions:
        if isinstance(prediction, dict):
            primary, _ = _choices(prediction.get("result") or [])
            if primary:
                return primary[0]
    return None


def _doccano(rows: list[Any], taxonomy: Taxonomy, path: Path) -> Imported:
    """Read doccano's text-classification JSONL: the first label is the primary, the others secondary."""
    out = Imported()
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or TEXT not in row:
            raise TrainingDataError(t("labels.not_export", path=f"{path}:{number}", detail="no `text` field"))
        labels = row.get("label", row.get("labels")) or []
        if isinstance(labels, str):
            labels = [labels]
        if any(isinstance(x, (list, dict)) for x in labels):
            raise TrainingDataError(t("labels.not_export", path=f"{path}:{number}",
                                      detail="span labels; export the text-classification project instead"))
        labels = [str(x) for x in labels]
        task = row.get("id", number)
        _check(labels, taxonomy, path, task)
        text = str(row[TEXT]).strip()
        if not labels or not text:
            out.skipped["unlabelled"] += 1
            continue
        out.rows.append(_row(text, labels[0], labels[1:], taxonomy, {
            "tool": "doccano", "task": task, "annotation": None,
            "annotator": _annotator(row.get("annotator", row.get("user"))),
            "time": row.get("updated_at") or row.get("created_at"), "document": row.get("source"),
            "paragraph": row.get("paragraph"), "model_primary": None}))
    return out
