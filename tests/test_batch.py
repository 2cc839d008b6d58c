"""Batch runs: outputs, a corrupt file in the middle, resume after kill -9, identical results in parallel and on Dask."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cli
from nlp.batching import BatchOptions, run_batch
from tests.conftest import EXAMPLES, ROOT

EXAMPLE = EXAMPLES / "jiangling-zsj-2024-self-evaluation"
OPTIONS = BatchOptions(classify=False)


def make_archive(root: Path, copies: int = 3) -> Path:
    assert copies >= 2
    """A nested archive: the example as TXT, DOCX and PDF, text variants, and one corrupt PDF in the middle."""
    text = EXAMPLE.with_suffix(".txt").read_text(encoding="utf-8")
    for i in range(copies):
        folder = root / f"县区{i}"
        folder.mkdir(parents=True)
        variant = text.replace("江临市", f"江临市第{i}").replace("86.42万件", f"{86 + i}.42万件")
        (folder / f"report-{i}.txt").write_text(variant, encoding="utf-8")
    shutil.copy(EXAMPLE.with_suffix(".pdf"), root / "县区0" / "report.pdf")
    shutil.copy(EXAMPLE.with_suffix(".docx"), root / "县区1" / "report.docx")
    (root / "县区1" / "broken.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(300))
    (root / "notes.numbers").write_bytes(b"ignored by the default globs")
    return root


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def outputs(out: Path) -> dict[str, str]:
    names = ["reports.jsonl", "paragraphs.csv", "quantities.csv", "indicators.csv", "links.csv", "findings.csv",
             "errors.csv"]
    return {name: (out / name).read_text(encoding="utf-8-sig") for name in names}


def test_batch_outputs_and_bad_file(tmp_path, validate):
    archive = make_archive(tmp_path / "archive")
    out = tmp_path / "out"
    summary = run_batch(archive, out, jobs=1, options=OPTIONS, xlsx=True)
    assert (summary.files, summary.done, summary.failed) == (6, 5, 1)
    reports = [json.loads(line) for line in (out / "reports.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(reports) == 5
    for report in reports:
        validate(report)
    errors = read_csv(out / "errors.csv")
    assert [(e["file"], e["class"]) for e in errors] == [("县区1/broken.pdf", "CorruptFileError")]
    assert (out / "paragraphs.csv").read_bytes().startswith("\ufeff".encode("utf-8"))
    findings = read_csv(out / "findings.csv")
    assert {f["kind"] for f in findings} == {"conflict", "arithmetic", "unmet"}
    from openpyxl import load_workbook

    workbook = load_workbook(out / "reports.xlsx", read_only=True)
    assert workbook.sheetnames == ["paragraphs", "quantities", "indicators", "links", "findings", "errors"]
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert data["failed"] == 1 and data["findings"]["unmet"] == 10


def test_cli_exit_code_and_rerun_skips(tmp_path):
    archive = make_archive(tmp_path / "archive", copies=2)
    out = tmp_path / "out"
    runner = CliRunner()
    first = runner.invoke(cli.app, ["batch", str(archive), "--out", str(out), "--jobs", "1", "--no-classify"])
    assert first.exit_code == 1, first.output
    assert "1 failed" in first.stdout
    second = runner.invoke(cli.app, ["batch", str(archive), "--out", str(out), "--jobs", "1", "--no-classify"])
    assert "4 skipped" in second.stdout
    forced = runner.invoke(cli.app, ["batch", str(archive), "--out", str(out), "--jobs", "1", "--no-classify", "--force"])
    assert "0 skipped" in forced.stdout


def test_changed_file_is_redone(tmp_path):
    archive = make_archive(tmp_path / "archive", copies=2)
    out = tmp_path / "out"
    run_batch(archive, out, options=OPTIONS)
    changed = archive / "县区0" / "report-0.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("自评得分96.85分", "自评得分90.5分"), encoding="utf-8")
    summary = run_batch(archive, out, options=OPTIONS)
    assert summary.skipped == 3  # the changed file and the failure are redone
    reports = {json.loads(line)["source"]: json.loads(line)
               for line in (out / "reports.jsonl").read_text(encoding="utf-8").splitlines()}
    assert reports["县区0/report-0.txt"]["metadata"]["score"] == "90.5"


def test_resume_after_kill_9(tmp_path):
    archive = make_archive(tmp_path / "archive", copies=8)
    out = tmp_path / "out"
    command = [sys.executable, str(ROOT / "cli.py"), "batch", str(archive), "--out", str(out), "--jobs", "1",
               "--no-classify", "--quiet"]
    process = subprocess.Popen(command, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list((out / "parts").glob("*.json")) if (out / "parts").exists() else []) < 2:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    done_before = len(list((out / "parts").glob("*.json")))
    assert done_before >= 2
    assert not list(out.glob("*.tmp")) or all(p.name.startswith(".") for p in out.glob("*.tmp"))
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1  # the corrupt file
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["files"] == 11 and summary["done"] == 10 and summary["skipped"] >= done_before - 1
    assert len((out / "reports.jsonl").read_text(encoding="utf-8").splitlines()) == 10


def test_jobs_1_and_2_give_identical_outputs(tmp_path):
    archive = make_archive(tmp_path / "archive", copies=3)
    run_batch(archive, tmp_path / "one", jobs=1, options=OPTIONS)
    run_batch(archive, tmp_path / "two", jobs=2, options=OPTIONS)
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")


@pytest.mark.slow
def test_dask_local_cluster_gives_identical_outputs_with_the_model_sent_to_workers(tmp_path):
    pytest.importorskip("distributed")
    from nlp.batching import dask_client
    from nlp.classification.persistence import default_model_dir

    archive = make_archive(tmp_path / "archive", copies=2)
    model = tmp_path / "model"
    shutil.copytree(default_model_dir(), model)
    options = BatchOptions(model_dir=str(model))
    run_batch(archive, tmp_path / "local", jobs=1, options=options)
    client = dask_client(None, 2)
    try:
        assert len(client.scheduler_info()["workers"]) == 2
        run_batch(archive, tmp_path / "dask", options=options, backend="dask")
        loaded = [d for dirs in client.run(_worker_models).values() for d in dirs]
    finally:
        client.close()
    local, dask = outputs(tmp_path / "local"), outputs(tmp_path / "dask")
    assert local == dask
    assert "政务热线" in local["paragraphs.csv"], "the model ran"
    # Workers read the model from the files the client sent, not from the client's directory.
    assert loaded and all(Path(d).parent.name == "models" and Path(d) != model for d in loaded)


def _worker_models() -> list[str]:
    """On a Dask worker: the model directories its cached Taggings were built from."""
    from nlp.batching import _WORKER

    return [str(tagging.model_dir) for tagging in _WORKER.values()]


def test_model_files_sent_to_workers_load_as_the_original(tmp_path, monkeypatch):
    from nlp.batching import ModelFiles
    from nlp.classification import load_model
    from nlp.classification.persistence import default_model_dir

    monkeypatch.setenv("NLP_CACHE_DIR", str(tmp_path / "cache"))
    bundle = ModelFiles.read(default_model_dir())
    assert sorted(bundle.files) == ["manifest.json", "model.npz", "taxonomy.toml"]
    directory = bundle.materialise()
    assert directory.parent == tmp_path / "cache" / "models"
    assert bundle.materialise() == directory and not list(directory.parent.glob(".incoming-*"))
    texts = ["全年12345热线受理诉求86.4万件，按时办结率99.1%。", "新建中小学校3所，新增学位2700个。"]
    original, shipped = load_model(), load_model(directory)
    assert shipped.version == original.version
    assert (abs(shipped.scores(texts) - original.scores(texts)) < 1e-12).all()


def test_model_files_read_no_path_named_by_the_manifest(tmp_path):
    from nlp.batching import ModelFiles
    from nlp.classification.persistence import default_model_dir
    from nlp.errors import ModelError

    model = tmp_path / "model"
    shutil.copytree(default_model_dir(), model)
    manifest = json.loads((model / "manifest.json").read_text(encoding="utf-8"))
    manifest["model_file"]["name"] = "../../secret.npz"
    (model / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (tmp_path / "secret.npz").write_bytes(b"not for the workers")
    with pytest.raises(ModelError, match="cannot read the model"):
        ModelFiles.read(model)
