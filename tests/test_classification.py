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
                                          str(tmp_path / "m"), "--folds", "3"], env={"NLP_LANG": "en"})
    assert result.exit_code == 0, result.output
    assert "3-fold cross-validation on 48 paragraphs" in result.stdout
    assert "医疗卫生" in result.stdout and (tmp_path / "m" / "model.npz").is_file()
    # The figures come before the model is written, and the table has the confusion with 其他 both ways.
    assert result.stdout.index("cross-validation") < result.stdout.index("written to")
    assert "→other" in result.stdout


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


# --- Retraining is safe: a new folder by default, --force to replace one, files or folders of JSONL.

def test_train_refuses_a_model_folder_without_force(tiny_model, tmp_path):
    model = _copy(tiny_model, tmp_path)
    before = (model / "model.npz").read_bytes()
    result = CliRunner().invoke(cli.app, ["train", str(CORPUS), "--taxonomy", str(TAXONOMY), "--model-out", str(model),
                                          "--folds", "3"], env={"NLP_LANG": "en"})
    assert result.exit_code == 1 and "--force" in result.output
    assert (model / "model.npz").read_bytes() == before


def test_train_with_force_replaces_the_folder_whole(tiny_model, tmp_path):
    model = _copy(tiny_model, tmp_path)
    (model / "stale.txt").write_text("left from before", encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["train", str(CORPUS), "--taxonomy", str(TAXONOMY), "--model-out", str(model),
                                          "--folds", "3", "--force"])
    assert result.exit_code == 0, result.output
    assert not (model / "stale.txt").exists() and load_model(model).predict(["开通城乡公交线路3条。"])[0].primary
    assert not list(tmp_path.glob(".copy.*")), "no staging folder is left behind"


def test_train_default_folder_is_named_after_taxonomy_and_date(tmp_path, monkeypatch):
    from datetime import datetime, timezone

    from nlp.classification.training import default_output_dir

    assert default_output_dir("govreport-default", datetime(2025, 3, 4, tzinfo=timezone.utc)) == \
        Path("models") / "govreport-default-20250304"
    monkeypatch.chdir(tmp_path)
    result = train([CORPUS], TAXONOMY, folds=3)
    assert result.directory.parent == Path("models") and (tmp_path / result.directory / "model.npz").is_file()


def test_train_reads_several_files_and_folders(tmp_path):
    rows = CORPUS.read_text(encoding="utf-8").splitlines()
    folder = tmp_path / "reviewed"
    (folder / "deeper").mkdir(parents=True)
    (tmp_path / "a.jsonl").write_text("\n".join(rows[:20]) + "\n", encoding="utf-8")
    (folder / "b.jsonl").write_text("\n".join(rows[20:35]) + "\n", encoding="utf-8")
    (folder / "deeper" / "c.jsonl").write_text("\n".join(rows[35:]) + "\n", encoding="utf-8")
    result = train([tmp_path / "a.jsonl", folder], TAXONOMY, tmp_path / "m", folds=3)
    assert result.cv["rows"] == 48 and result.manifest["training_data"]["files"] == ["a.jsonl", "b.jsonl", "c.jsonl"]


def test_train_refuses_an_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(TrainingDataError, match="no \\*.jsonl files"):
        train([tmp_path / "empty"], TAXONOMY, tmp_path / "m", folds=3)


# --- Sections: heading words as features of their own.

def _sectioned_corpus(tmp_path: Path) -> Path:
    """The fixture corpus with heading paths on half its rows (a heading that names each row's category)."""
    out = tmp_path / "sectioned.jsonl"
    lines = []
    for number, line in enumerate(CORPUS.read_text(encoding="utf-8").splitlines()):
        row = json.loads(line)
        if number % 2:
            row["section"] = ["三、主要工作", f"（一）{row['primary']}工作情况"]
        lines.append(json.dumps(row, ensure_ascii=False))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def test_exported_scorer_with_sections_scores_exactly_as_the_fitted_estimator(tmp_path):
    import numpy as np

    from nlp.classification.estimators import build_head, count_matrix, to_scorer
    from nlp.classification.features import SECTION, FeatureSpec

    taxonomy = load_taxonomy(TAXONOMY)
    corpus = load_corpus([_sectioned_corpus(tmp_path)], taxonomy)
    spec = FeatureSpec(sections=True)
    x, keys = count_matrix(corpus.texts, spec, corpus.sections)
    head = build_head(section_mask=np.array([k.startswith(SECTION) for k in keys])).fit(x, corpus.matrix(taxonomy.labels))
    scorer = to_scorer(head, keys, spec)
    texts = corpus.texts[:6] + ["开通定制公交线路，方便群众就医出行。"]
    sections = corpus.sections[:6] + [["二、绩效目标完成情况", "（一）交通工作情况"]]
    matrix, _ = count_matrix(texts, spec, sections)
    index = {key: i for i, key in enumerate(keys)}
    new_keys = count_matrix(texts, spec, sections)[1]
    from scipy import sparse

    coo = matrix.tocoo()
    keep = [k for k, c in enumerate(coo.col) if new_keys[c] in index]
    aligned = sparse.csr_matrix((coo.data[keep], (coo.row[keep], [index[new_keys[coo.col[k]]] for k in keep])),
                                shape=(len(texts), len(keys)))
    expected = head.predict_proba(aligned)
    assert np.abs(scorer.scores(scorer.vectors(texts, sections)) - expected).max() < 1e-9


def test_training_with_sections_reports_both_readings(tmp_path):
    result = train([_sectioned_corpus(tmp_path)], TAXONOMY, tmp_path / "m", folds=3)
    assert result.manifest["features"]["sections"] is True
    assert result.cv["sectioned_rows"]["rows"] == 24
    assert set(result.cv["paragraph_alone"]) == {"accuracy", "macro_f1"}
    tagger = load_model(tmp_path / "m")
    assert tagger.uses_sections
    [alone, framed] = [tagger.predict(["全年完成任务。"], sections=s)[0] for s in (None, [["（一）交通工作情况"]])]
    assert framed.scores["交通"] > alone.scores["交通"], "a heading naming the category raises its score"
    assert all("交通" not in term for term in framed.explanation.get("交通", [])), "headings are not explained as text"


def test_classify_reads_an_optional_section(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "县图书馆全年免费开放，接待读者23.5万人次。",
                                  "section": "四、绩效目标完成情况 › （一）产出指标"}, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["classify", str(source)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["primary"] == "绩效管理"


def test_sections_help_on_a_whole_report_of_our_own():
    """Through tag, the heading path moves paragraphs of another department's report to what they are for."""
    from nlp.tagging import Tagging

    expected = json.loads((FIXTURES / "section-report.labels.json").read_text(encoding="utf-8"))
    report = Tagging().tag_file(FIXTURES / "section-report.txt")
    scored = [(p, next(v for k, v in expected.items() if p.text.startswith(k))) for p in report.paragraphs
              if any(p.text.startswith(k) for k in expected)]
    assert len(scored) >= 8
    alone = load_model().predict([p.text for p, _ in scored], explain=False)
    with_sections = sum(p.primary == gold for p, gold in scored) / len(scored)
    text_only = sum(a.primary == gold for a, (_, gold) in zip(alone, scored)) / len(scored)
    assert with_sections >= 0.8 and with_sections > text_only


# --- Making the pattern visible: confusion with 其他, accuracy per kind of department.

def test_evaluate_gives_fallback_confusion_and_departments(tiny_model, tmp_path):
    gold = tmp_path / "gold.jsonl"
    rows = [{"id": "1", "text": "新建中小学校两所，新增学位1200个。", "primary": "教育", "department": "教育"},
            {"id": "2", "text": "完成植树造林1.8万亩，森林覆盖率提高。", "primary": "其他", "department": "林业"},
            {"id": "3", "text": "开通城乡公交线路3条，新改建农村公路40公里。", "primary": "交通", "department": "交通"}]
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["evaluate", str(gold), "--model", str(tiny_model), "--json"])
    figures = json.loads(result.stdout)
    assert set(figures["departments"]) == {"教育", "林业", "交通"}
    assert figures["departments"]["教育"]["rows"] == 1
    assert set(figures["fallback_confusion"]) == {"教育", "医疗卫生", "交通"}
    text = CliRunner().invoke(cli.app, ["evaluate", str(gold), "--model", str(tiny_model)], env={"NLP_LANG": "en"}).stdout
    assert "accuracy per kind of department" in text and "→other" in text


def test_check_labels_puts_a_planted_mislabel_first(tmp_path):
    """Out-of-fold margins find a row whose label was swapped on purpose."""
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    planted = next(i for i, row in enumerate(rows) if row["primary"] == "交通")
    rows[planted]["primary"] = "教育"
    data = tmp_path / "planted.jsonl"
    data.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["train", str(data), "--taxonomy", str(TAXONOMY), "--model-out",
                                          str(tmp_path / "m"), "--folds", "3", "--check-labels", "3"],
                                env={"NLP_LANG": "en"})
    assert result.exit_code == 0, result.output
    listed = result.stdout.split("doubts most")[1].strip().splitlines()[1:4]
    assert any(f"planted.jsonl:{planted + 1}" in line and "教育→交通" in line for line in listed), listed
