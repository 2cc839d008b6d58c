"""Category model: training on a fixture corpus, persistence and its safety checks, the CLI commands."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cli
from nlp.classification import load_model
from nlp.classification.training import load_corpus, train
from nlp.errors import ModelError, TaxonomyError, TrainingDataError
from nlp.taxonomy import load_taxonomy
from tests.conftest import FIXTURES

CORPUS = FIXTURES / "tiny-corpus.jsonl"
TAXONOMY = FIXTURES / "custom-taxonomy.toml"


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("model")
    train([CORPUS], TAXONOMY, out, folds=3)
    return out


def test_custom_taxonomy_trains_end_to_end(tiny_model):
    manifest = json.loads((tiny_model / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["labels"] == ["教育", "医疗卫生", "交通", "其他"]
    assert manifest["taxonomy"]["name"] == "test-livelihood"
    assert set(manifest["cv"]["labels"]) == set(manifest["labels"])
    assert manifest["cv"]["rows"] == 48
    tagger = load_model(tiny_model)
    predictions = tagger.predict(["新建中小学校两所，新增学位1200个，教师队伍持续壮大。",
                                  "开通城乡公交线路3条，新改建农村公路40公里。"])
    assert [p.primary for p in predictions] == ["教育", "交通"]
    assert all(p.labels[0].label == p.primary and 0 <= p.labels[0].score <= 1 for p in predictions)
    assert predictions[0].explanation["教育"], "an assigned label comes with its terms"


def test_training_is_deterministic(tiny_model, tmp_path):
    again = tmp_path / "again"
    train([CORPUS], TAXONOMY, again, folds=3)
    first = json.loads((tiny_model / "manifest.json").read_text(encoding="utf-8"))
    second = json.loads((again / "manifest.json").read_text(encoding="utf-8"))
    assert first["cv"] == second["cv"] and first["thresholds"] == second["thresholds"]
    texts = ["推进分级诊疗，县域就诊率达到90%。", "完成植树造林1.8万亩。"]
    a, b = load_model(tiny_model).scores(texts), load_model(again).scores(texts)
    assert (abs(a - b) < 1e-9).all()


def test_short_text_falls_back(tiny_model):
    [prediction] = load_model(tiny_model).predict(["无。"])
    assert prediction.primary == "其他"


def _copy(model: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(model, target)
    return target


def test_tampered_model_is_refused(tiny_model, tmp_path):
    model = _copy(tiny_model, tmp_path)
    data = bytearray((model / "model.skops").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (model / "model.skops").write_bytes(bytes(data))
    with pytest.raises(ModelError, match="does not match the manifest"):
        load_model(model)


def test_version_mismatch_is_refused(tiny_model, tmp_path):
    model = _copy(tiny_model, tmp_path)
    manifest = json.loads((model / "manifest.json").read_text(encoding="utf-8"))
    manifest["libraries"]["scikit-learn"] = "0.24.2"
    (model / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ModelError, match="scikit-learn 0.24.2"):
        load_model(model)


def test_changed_taxonomy_is_refused(tiny_model, tmp_path):
    model = _copy(tiny_model, tmp_path)
    (model / "taxonomy.toml").write_text((model / "taxonomy.toml").read_text(encoding="utf-8") + "\n# edited\n",
                                         encoding="utf-8")
    with pytest.raises(ModelError, match="taxonomy differs"):
        load_model(model)


def test_missing_model_directory(tmp_path):
    with pytest.raises(ModelError, match="not a model directory"):
        load_model(tmp_path)


def test_corpus_with_unknown_label_is_refused(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": "某段文字", "primary": "不存在的类别"}, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(TrainingDataError, match="not in the taxonomy"):
        load_corpus([bad], load_taxonomy(TAXONOMY))


def test_taxonomy_needs_one_fallback(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text('[[category]]\nname = "甲"\n[[category]]\nname = "乙"\n', encoding="utf-8")
    with pytest.raises(TaxonomyError, match="fallback"):
        load_taxonomy(path)


def test_default_taxonomy_has_the_twelve_categories():
    taxonomy = load_taxonomy()
    assert len(taxonomy.labels) == 12 and taxonomy.fallback == "其他"


def test_classify_and_evaluate_cli(tiny_model, tmp_path):
    runner = CliRunner()
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "开通城乡公交线路9条，行政村通客车率100%。"}, ensure_ascii=False) + "\n"
                      + "家庭医生签约服务覆盖重点人群12万人。\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli.app, ["classify", str(source), "--output", str(out), "--model", str(tiny_model)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", "2"]
    assert rows[0]["primary"] == "交通" and rows[0]["labels"][0]["label"] == "交通"
    result = runner.invoke(cli.app, ["evaluate", str(CORPUS), "--model", str(tiny_model), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["rows"] == 48 and figures["accuracy"] > 0.9
    assert sum(figures["confusion"]["交通"].values()) == 12


def test_train_cli_prints_cross_validation(tmp_path):
    result = CliRunner().invoke(cli.app, ["train", str(CORPUS), "--taxonomy", str(TAXONOMY), "--model-out",
                                          str(tmp_path / "m"), "--folds", "3"])
    assert result.exit_code == 0, result.output
    assert "3-fold cross-validation on 48 paragraphs" in result.stdout
    assert "医疗卫生" in result.stdout and (tmp_path / "m" / "model.skops").is_file()


def _plant(model: Path, payload: object) -> None:
    """Replace the model file with ``payload`` and make the manifest's hash match it."""
    import hashlib

    import skops.io as sio

    sio.dump(payload, model / "model.skops")
    manifest = json.loads((model / "manifest.json").read_text(encoding="utf-8"))
    manifest["model_file"]["sha256"] = hashlib.sha256((model / "model.skops").read_bytes()).hexdigest()
    (model / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_untrusted_types_are_refused_without_running(tiny_model, tmp_path):
    import os

    model = _copy(tiny_model, tmp_path)
    _plant(model, {"step": os.system, "arg": "touch /tmp/pwned-by-model"})
    with pytest.raises(ModelError, match="not trusted"):
        load_model(model)
    assert not Path("/tmp/pwned-by-model").exists()


def test_pickle_disguised_as_skops_is_refused(tiny_model, tmp_path):
    import hashlib
    import pickle

    model = _copy(tiny_model, tmp_path)
    (model / "model.skops").write_bytes(pickle.dumps({"a": 1}))
    manifest = json.loads((model / "manifest.json").read_text(encoding="utf-8"))
    manifest["model_file"]["sha256"] = hashlib.sha256((model / "model.skops").read_bytes()).hexdigest()
    (model / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ModelError, match="not a readable skops file"):
        load_model(model)
