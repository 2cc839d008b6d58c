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
    data = bytearray((model / "model.npz").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (model / "model.npz").write_bytes(bytes(data))
    with pytest.raises(ModelError, match="does not match the manifest"):
        load_model(model)


def test_other_manifest_format_is_refused(tiny_model, tmp_path):
    model = _copy(tiny_model, tmp_path)
    manifest = json.loads((model / "manifest.json").read_text(encoding="utf-8"))
    manifest["format"] = 1
    (model / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ModelError, match="format 1 is not 2; retrain"):
        load_model(model)


def test_exported_scorer_scores_exactly_as_the_fitted_estimator():
    import numpy as np

    from nlp.classification.estimators import build_head, count_matrix, to_scorer
    from nlp.classification.features import FeatureSpec

    taxonomy = load_taxonomy(TAXONOMY)
    corpus = load_corpus([CORPUS], taxonomy)
    spec = FeatureSpec()
    x, keys = count_matrix(corpus.texts, spec)
    head = build_head().fit(x, corpus.matrix(taxonomy.labels))
    scorer = to_scorer(head, keys, spec)
    unseen = ["全年完成中小学校舍改造3所，新增学位800个。", "开通定制公交线路，方便群众就医出行。", "无关文字"]
    expected = head.predict_proba(count_matrix_like(corpus.texts + unseen, keys, spec))
    assert np.abs(scorer.scores(scorer.vectors(corpus.texts + unseen)) - expected).max() < 1e-9


def count_matrix_like(texts, keys, spec):
    """Count matrix of ``texts`` over the columns ``keys`` (grams outside them dropped)."""
    from collections import Counter

    from scipy import sparse

    index = {key: i for i, key in enumerate(keys)}
    rows, columns, values = [], [], []
    for row, text in enumerate(texts):
        for key, count in Counter(spec.grams(text)).items():
            if key in index:
                rows.append(row)
                columns.append(index[key])
                values.append(float(count))
    return sparse.csr_matrix((values, (rows, columns)), shape=(len(texts), len(keys)))


def test_predicting_imports_no_estimator_library():
    import subprocess
    import sys

    code = ("import sys, nlp; tagger = nlp.load_model(); "
            "print(tagger.predict(['全年12345热线接通率达到98.6%，群众满意度持续提升。'])[0].primary); "
            "print(sorted(m for m in ('sklearn', 'scipy', 'skops', 'cn2an', 'pkg_resources') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parent.parent)
    assert result.stdout.split("\n")[:2] == ["政务热线", "[]"]


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
    assert "医疗卫生" in result.stdout and (tmp_path / "m" / "model.npz").is_file()


def _plant(model: Path, data: bytes) -> None:
    """Replace the model file with ``data`` and make the manifest's hash match it."""
    import hashlib

    (model / "model.npz").write_bytes(data)
    manifest = json.loads((model / "manifest.json").read_text(encoding="utf-8"))
    manifest["model_file"]["sha256"] = hashlib.sha256(data).hexdigest()
    (model / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


class _Payload:
    def __reduce__(self):
        import os

        return os.system, ("touch /tmp/pwned-by-model",)


def _npz(**arrays) -> bytes:
    import io

    import numpy as np

    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def test_object_arrays_are_refused_without_running(tiny_model, tmp_path):
    import numpy as np

    model = _copy(tiny_model, tmp_path)
    with np.load(model / "model.npz") as data:
        arrays = {name: data[name] for name in data.files}
    arrays["idf"] = np.array([_Payload()], dtype=object)
    _plant(model, _npz(**arrays))
    with pytest.raises(ModelError, match="not a readable model file"):
        load_model(model)
    assert not Path("/tmp/pwned-by-model").exists()


def test_pickle_disguised_as_a_model_is_refused_without_running(tiny_model, tmp_path):
    import pickle

    model = _copy(tiny_model, tmp_path)
    _plant(model, pickle.dumps({"a": _Payload()}))
    with pytest.raises(ModelError, match="not a readable model file"):
        load_model(model)
    assert not Path("/tmp/pwned-by-model").exists()


@pytest.mark.parametrize("change", ["drop", "extra", "shape", "strings", "nan"])
def test_malformed_arrays_are_refused(tiny_model, tmp_path, change):
    import numpy as np

    model = _copy(tiny_model, tmp_path)
    with np.load(model / "model.npz") as data:
        arrays = {name: data[name] for name in data.files}
    if change == "drop":
        del arrays["a"]
    elif change == "extra":
        arrays["more"] = np.zeros(3)
    elif change == "shape":
        arrays["coef"] = arrays["coef"][:, :-1]
    elif change == "strings":
        arrays["vocabulary"] = np.arange(len(arrays["vocabulary"]))
    else:
        arrays["intercept"][0] = np.nan
    _plant(model, _npz(**arrays))
    with pytest.raises(ModelError, match="refusing to load it|not a readable model file"):
        load_model(model)


def test_manifest_cannot_point_outside_the_model_directory(tiny_model, tmp_path):
    model = _copy(tiny_model, tmp_path)
    manifest = json.loads((model / "manifest.json").read_text(encoding="utf-8"))
    manifest["model_file"]["name"] = "../elsewhere/model.npz"
    (model / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ModelError, match="not a file name inside the model directory"):
        load_model(model)


def test_explanations_name_whole_words():
    from nlp.segmentation import Segmenter

    text = "全年12345热线共受理群众诉求86.4万件，工单按时办结率99.2%，回访满意率95.1%。"
    [prediction] = load_model().predict([text])
    terms = prediction.explanation[prediction.primary]
    words = {w.replace(" ", "") for w in Segmenter()(text)}
    assert prediction.primary == "政务热线" and len(terms) == 5
    assert all(term in words and "0" not in term for term in terms), terms


def test_a_model_that_unpacks_to_gigabytes_is_refused_before_unpacking(tiny_model, tmp_path, monkeypatch):
    import numpy as np

    import nlp.classification.persistence as persistence

    model = _copy(tiny_model, tmp_path)
    with np.load(model / "model.npz") as data:
        arrays = {name: data[name] for name in data.files}
    arrays["idf"] = np.zeros(3 * 2**20)  # 24 MB of zeros: compresses to almost nothing
    import io

    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    assert len(buffer.getvalue()) < 2**20
    _plant(model, buffer.getvalue())
    monkeypatch.setattr(persistence, "MAX_UNPACKED_BYTES", 16 * 2**20)
    with pytest.raises(ModelError, match="more than the 16 MB a model may take"):
        load_model(model)
