"""Review round trip: suggest → Label Studio tasks → (recorded real export) → import-labels → train → classify."""

from __future__ import annotations

import hashlib
import json
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import cli
from nlp.errors import TrainingDataError
from nlp.labelstudio import label_config, read_export, tasks
from nlp.suggest import Candidate, Suggestion, closeness, select
from nlp.taxonomy import Category, Taxonomy, load_taxonomy
from tests.conftest import EXAMPLES, FIXTURES, ROOT

EXPORT = FIXTURES / "labelstudio-export.json"
TASKS = FIXTURES / "labelstudio-tasks.json"
EXAMPLE = EXAMPLES / "jiangling-zsj-2024-self-evaluation.txt"


def squeeze(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


# ---------------------------------------------------------------- label configuration and tasks


def test_label_config_primary_single_secondary_multiple():
    taxonomy = load_taxonomy()
    root = ET.fromstring(label_config(taxonomy))
    choices = {c.get("name"): c for c in root.iter("Choices")}
    assert choices["primary"].get("choice") == "single" and choices["primary"].get("required") == "true"
    assert choices["secondary"].get("choice") == "multiple"
    assert [c.get("value") for c in choices["primary"]] == taxonomy.labels
    assert [c.get("value") for c in choices["secondary"]] == taxonomy.topical
    assert {c.get("toName") for c in choices.values()} == {next(root.iter("Text")).get("name")}


def test_label_config_escapes_category_names():
    odd = Taxonomy("t", (Category('A&B "<x>"', "d<>&"), Category("其他")), fallback="其他")
    root = ET.fromstring(label_config(odd))
    assert [c.get("value") for c in root.iter("Choice")][0] == 'A&B "<x>"'


def test_tasks_carry_text_section_source_and_model_labels_as_predictions():
    s = Suggestion(Candidate("数据共享平台调用2万次。", "a.txt", "一、总体 > （一）", "p0003", 2), "数据要素", ["数字治理"],
                   {"数据要素": 0.61, "数字治理": 0.55, "其他": 0.1}, 0.06)
    [task] = tasks([s], "m-1")
    assert task["data"]["text"] == "数据共享平台调用2万次。"
    assert (task["data"]["section"], task["data"]["source"], task["data"]["paragraph"]) == ("一、总体 > （一）", "a.txt", "p0003")
    [prediction] = task["predictions"]
    assert prediction["model_version"] == "m-1" and prediction["score"] == 0.61
    assert [(r["from_name"], r["type"], r["value"]["choices"]) for r in prediction["result"]] == [
        ("primary", "choices", ["数据要素"]), ("secondary", "choices", ["数字治理"])]


# ---------------------------------------------------------------- selection


def test_closeness_is_small_for_a_close_call_and_near_the_abstention_threshold():
    scores = np.array([[0.95, 0.05, 0.02], [0.50, 0.47, 0.02], [0.36, 0.02, 0.30]])
    close = closeness(scores, ["甲", "乙", "其他"], fallback="其他", abstain=0.35)
    assert close[0] > 0.5 and close[1] == pytest.approx(0.03) and close[2] == pytest.approx(0.01)


def test_select_skips_near_duplicates_and_spreads_over_reports():
    texts = [f"全市政务服务中心办件量{n}万件，好评率99%。" for n in (10, 11, 12)] + ["网络安全攻防演练发现漏洞12个。",
                                                                                   "数据资源目录编制完成320项。"]
    close = np.array([0.01, 0.02, 0.03, 0.10, 0.12])
    picked = select(close, texts, groups=["a", "a", "a", "a", "b"], categories=["x", "x", "x", "y", "z"], n=3)
    assert picked[0] == 0 and 1 not in picked and 2 not in picked
    assert sorted(picked) == [0, 3, 4]


def test_suggest_cli_writes_tasks_and_config(tmp_path):
    runner = CliRunner()
    reports = tmp_path / "reports.jsonl"
    assert runner.invoke(cli.app, ["tag", str(EXAMPLE), "--format", "jsonl", "--out", str(reports)]).exit_code == 0
    out = tmp_path / "review" / "tasks.json"
    result = runner.invoke(cli.app, ["suggest", str(reports), "--n", "6", "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = json.loads(out.read_text(encoding="utf-8"))
    assert len(written) == 6 and len({t["data"]["text"] for t in written}) == 6
    assert ET.fromstring((out.parent / "label_config.xml").read_text(encoding="utf-8")).tag == "View"
    closeness_values = [t["data"]["closeness"] for t in written]
    report = json.loads(reports.read_text(encoding="utf-8"))
    assert len(report["paragraphs"]) > 6, "a real choice was made"
    assert min(closeness_values) <= 0.1


# ---------------------------------------------------------------- the recorded export


def test_fixture_holds_only_our_own_example_text():
    example = squeeze(EXAMPLE.read_text(encoding="utf-8"))
    for task in json.loads(EXPORT.read_text(encoding="utf-8")):
        assert squeeze(task["data"]["text"]) in example


def test_recorded_export_imports_with_provenance_and_skips():
    imported = read_export(EXPORT, load_taxonomy())
    assert dict(imported.skipped) == {"cancelled": 1, "unlabelled": 3}
    assert len(imported.rows) == 4
    known = set(load_taxonomy().labels)
    for row in imported.rows:
        assert row["primary"] in known and set(row["secondary"]) <= known - {row["primary"]}
        provenance = row["provenance"]
        assert provenance["tool"] == "label-studio" and provenance["annotator"] and provenance["time"]
        assert isinstance(provenance["task"], int) and provenance["model_primary"] in known
    assert any(row["secondary"] for row in imported.rows), "the recorded export has a secondary label"
    assert any(row["primary"] != row["provenance"]["model_primary"] for row in imported.rows), "and a correction"


def test_latest_annotation_of_a_task_counts(tmp_path):
    export = json.loads(EXPORT.read_text(encoding="utf-8"))
    task = next(t for t in export if t["annotations"] and not t["annotations"][0]["was_cancelled"])
    later = json.loads(json.dumps(task["annotations"][0]))
    later["updated_at"] = "2999-01-01T00:00:00Z"
    later["result"] = [{"from_name": "primary", "to_name": "text", "type": "choices", "value": {"choices": ["网络安全"]}}]
    task["annotations"].append(later)
    path = tmp_path / "export.json"
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    [row] = read_export(path, load_taxonomy()).rows
    assert row["primary"] == "网络安全"


def test_label_outside_the_taxonomy_is_refused_with_the_task_and_label(tmp_path):
    export = json.loads(EXPORT.read_text(encoding="utf-8"))
    task = next(t for t in export if t["annotations"] and not t["annotations"][0]["was_cancelled"])
    task["annotations"][0]["result"][0]["value"]["choices"] = ["智慧城市"]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(TrainingDataError, match=f"任务 {task['id']} 的标签“智慧城市”不在分类体系"):
        read_export(path, load_taxonomy())
    result = CliRunner().invoke(cli.app, ["import-labels", str(path), "--out", str(tmp_path / "rows.jsonl")])
    assert result.exit_code == 1 and "智慧城市" in result.output and not (tmp_path / "rows.jsonl").exists()


@pytest.mark.parametrize("content, problem", [
    ("{\"not\": \"a list\"}", "不是 Label Studio"),
    ("[{\"id\": 1}]", "data"),
    ("{\"text\": \"x\", \"label\": [[0, 3, \"政务服务\"]]}\n", "span"),
], ids=["object", "task-without-data", "doccano-spans"])
def test_what_is_not_an_export_is_refused(tmp_path, content, problem):
    path = tmp_path / "export.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TrainingDataError, match=problem):
        read_export(path, load_taxonomy())


def test_doccano_jsonl_first_label_is_primary(tmp_path):
    path = tmp_path / "doccano.jsonl"
    rows = [{"id": 7, "text": "热线接通率98%。", "label": ["政务热线", "政务服务"], "annotator": "王"},
            {"id": 8, "text": "无标注。", "label": []}]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    imported = read_export(path, load_taxonomy())
    [row] = imported.rows
    assert (row["primary"], row["secondary"], row["provenance"]["annotator"], row["provenance"]["task"]) == (
        "政务热线", ["政务服务"], "王", 7)
    assert imported.skipped == {"unlabelled": 1}


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.mark.slow
def test_round_trip_import_train_classify_leaves_the_shipped_model(tmp_path):
    """import-labels → train on corpus + imported rows into a new folder → classify --model uses it."""
    from nlp.classification.persistence import default_model_dir

    shipped = _digest(default_model_dir())
    runner = CliRunner()
    rows = tmp_path / "imported.jsonl"
    result = runner.invoke(cli.app, ["import-labels", str(EXPORT), "--out", str(rows)])
    assert result.exit_code == 0 and "4" in result.output, result.output
    model = tmp_path / "model"
    corpus = ROOT / "training_data" / "authored-core.jsonl"
    result = runner.invoke(cli.app, ["train", str(corpus), str(rows), "--model-out", str(model), "--folds", "2"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((model / "manifest.json").read_text(encoding="utf-8"))
    assert "imported.jsonl" in manifest["training_data"]["files"]
    first = json.loads(rows.read_text(encoding="utf-8").splitlines()[0])
    texts = tmp_path / "texts.jsonl"
    texts.write_text(json.dumps({"id": "1", "text": first["text"]}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "classified.jsonl"
    result = runner.invoke(cli.app, ["classify", str(texts), "--model", str(model), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["primary"] in load_taxonomy().labels
    assert _digest(default_model_dir()) == shipped


REPORT = {"source": "a.txt", "paragraphs": [{"id": "p1", "text": "全年办件量86万件。", "section_path": ["一、总体"]}]}


@pytest.mark.parametrize("name, content", [
    ("report.json", json.dumps(REPORT, ensure_ascii=False, indent=2)),
    ("reports.json", json.dumps([REPORT, REPORT], ensure_ascii=False, indent=2)),
    ("reports.jsonl", json.dumps(REPORT, ensure_ascii=False) + "\n\n" + json.dumps(REPORT, ensure_ascii=False) + "\n"),
    ("out/reports.jsonl.gz", json.dumps(REPORT, ensure_ascii=False) + "\n"),
], ids=["tag-json", "tag-json-several", "jsonl", "batch-folder-gzip"])
def test_suggest_reads_every_form_of_tagged_reports(tmp_path, name, content):
    import gzip

    from nlp.suggest import candidates, read_reports

    path = tmp_path / name
    path.parent.mkdir(exist_ok=True)
    if name.endswith(".gz"):
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(content)
        path = path.parent  # the batch folder
    else:
        path.write_text(content, encoding="utf-8")
    reports = list(read_reports(path))
    assert reports and all(r["source"] == "a.txt" for r in reports)
    [candidate] = candidates(reports)  # identical paragraphs count once
    assert (candidate.section, candidate.paragraph) == ("一、总体", "p1")
