"""End to end with the shipped model: the CLI on the example, and the gold figures of the issue's targets."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from nlp.classification.persistence import MANIFEST_FILE, default_model_dir
from nlp.taxonomy import load_taxonomy
from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.skipif(not (default_model_dir() / MANIFEST_FILE).is_file(),
                                reason="no shipped model in models/default")


def test_tag_example_pdf_with_the_shipped_model(validate):
    result = subprocess.run([sys.executable, "cli.py", "tag", str(EXAMPLES / "jiangling-zsj-2024-self-evaluation.pdf"),
                             "--format", "json"], cwd=ROOT, capture_output=True, text=True, check=True)
    report = json.loads(result.stdout)
    validate(report)
    labels = set(load_taxonomy().labels)
    assert "classify" in report["stages"]
    for paragraph in report["paragraphs"]:
        assert paragraph["primary"] in labels
        assert paragraph["labels"][0]["label"] == paragraph["primary"]
    primaries = {p["primary"] for p in report["paragraphs"]}
    assert {"政务热线", "预算财务", "绩效管理"} <= primaries


def test_summary_lists_categories():
    result = subprocess.run([sys.executable, "cli.py", "tag", str(EXAMPLES / "jiangling-zsj-2024-self-evaluation.txt")],
                            cwd=ROOT, capture_output=True, text=True, check=True)
    assert "类别：" in result.stdout and "发现的问题：" in result.stdout


def _score(gold_dir, name, tmp_path) -> dict:
    gold = gold_dir / name
    rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n" for r in rows),
                      encoding="utf-8")
    out = tmp_path / "out.jsonl"
    subprocess.run([sys.executable, "cli.py", "classify", str(source), "--output", str(out)], cwd=ROOT, check=True)
    result = subprocess.run([sys.executable, str(gold_dir.parent / "tools" / "score.py"), "classify", str(gold), str(out),
                             "--json"], capture_output=True, text=True, check=True)
    return json.loads(result.stdout[: result.stdout.rindex("}") + 1])


def test_gold_seed_targets(gold_dir, tmp_path):
    figures = _score(gold_dir, "classify-seed.jsonl", tmp_path)
    assert figures["accuracy"] >= 0.85
    assert figures["macro_f1"] >= 0.80
    assert figures["multilabel_micro_f1"] >= 0.80
