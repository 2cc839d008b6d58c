"""Batch runs: outputs, a corrupt file in the middle, resume after kill -9, identical results in parallel and on Dask."""

from __future__ import annotations

import csv
import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import cli
from nlp.batching import BatchOptions, run_batch
from nlp.export import TABLE_COLUMNS
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
    (root / "notes.ods").write_bytes(b"not a report: listed in skipped.csv")
    return root


def read_reports(out: Path) -> list[dict]:
    with gzip.open(out / "reports.jsonl.gz", "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def read_csv(path: Path) -> list[dict[str, str]]:
    """Read a batch table's CSV; ``paragraphs.csv`` means ``paragraphs.csv.gz`` where that is what was written."""
    if not path.exists() and path.with_name(path.name + ".gz").exists():
        path = path.with_name(path.name + ".gz")
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def outputs(out: Path) -> dict[str, str]:
    names = ["reports.csv", "indicators.csv", "links.csv", "findings.csv", "errors.csv", "skipped.csv"]
    texts = {name: (out / name).read_text(encoding="utf-8-sig") for name in names}
    for name in ("paragraphs.csv.gz", "quantities.csv.gz"):
        texts[name] = gzip.decompress((out / name).read_bytes()).decode("utf-8-sig")
    texts["reports.jsonl.gz"] = gzip.decompress((out / "reports.jsonl.gz").read_bytes()).decode("utf-8")
    return texts


def test_batch_outputs_and_bad_file(tmp_path, validate):
    archive = make_archive(tmp_path / "archive")
    out = tmp_path / "out"
    summary = run_batch(archive, out, jobs=1, options=OPTIONS, xlsx=True)
    assert (summary.files, summary.done, summary.failed) == (6, 5, 1)
    reports = read_reports(out)
    assert len(reports) == 5
    for report in reports:
        validate(report)
    errors = read_csv(out / "errors.csv")
    assert [(e["file"], e["class"]) for e in errors] == [("县区1/broken.pdf", "CorruptFileError")]
    assert gzip.decompress((out / "paragraphs.csv.gz").read_bytes()).startswith("\ufeff".encode("utf-8"))
    assert not (out / "paragraphs.csv").exists() and (out / "indicators.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    findings = read_csv(out / "findings.csv")
    assert {f["kind"] for f in findings} == {"conflict", "arithmetic", "unmet"}
    from openpyxl import load_workbook

    workbook = load_workbook(out / "reports.xlsx", read_only=True)
    assert workbook.sheetnames == ["reports", "paragraphs", "quantities", "indicators", "links", "findings", "errors",
                                   "skipped"]
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert data["failed"] == 1 and data["findings"]["unmet"] == 10


def test_cli_exit_code_and_rerun_skips(tmp_path):
    archive = make_archive(tmp_path / "archive", copies=2)
    out = tmp_path / "out"
    runner = CliRunner()
    command = ["--lang", "en", "batch", str(archive), "--out", str(out), "--jobs", "1", "--no-classify"]
    first = runner.invoke(cli.app, command)
    assert first.exit_code == 1, first.output
    assert "5 report files: 4 tagged, 0 unchanged (earlier result kept), 1 failed" in first.stdout
    assert "1 other files are not reports" in first.stdout
    second = runner.invoke(cli.app, command)
    assert "5 report files: 0 tagged, 4 unchanged (earlier result kept), 1 failed" in second.stdout
    assert "the tables now hold 4 reports and 1 failures" in second.stdout
    forced = runner.invoke(cli.app, command + ["--force"])
    assert "4 tagged, 0 unchanged" in forced.stdout
    chinese = runner.invoke(cli.app, ["--lang", "zh", *command[2:]])
    assert "本次 5 个报告文件：0 个新处理，4 个未变沿用上次结果，1 个失败" in chinese.stdout
    assert "Traceback" not in first.output + second.output + forced.output + chinese.output


def test_changed_file_is_redone(tmp_path):
    archive = make_archive(tmp_path / "archive", copies=2)
    out = tmp_path / "out"
    run_batch(archive, out, options=OPTIONS)
    changed = archive / "县区0" / "report-0.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("自评得分96.85分", "自评得分90.5分"), encoding="utf-8")
    summary = run_batch(archive, out, options=OPTIONS)
    assert (summary.reused, summary.tagged, summary.failed) == (3, 1, 1)  # the changed file and the failure are redone
    reports = {report["source"]: report for report in read_reports(out)}
    assert reports["县区0/report-0.txt"]["metadata"]["score"] == "90.5"
    # Each report is stored once, in reports.jsonl.gz; only the failure keeps its part (it is retried).
    parts = [p.name for p in (out / "parts").iterdir() if p.name != "stored.json"]
    assert len(parts) == 1 and parts[0].endswith("-failed.json.gz")


def test_resume_after_kill_9(tmp_path):
    archive = make_archive(tmp_path / "archive", copies=8)
    out = tmp_path / "out"
    command = [sys.executable, str(ROOT / "cli.py"), "batch", str(archive), "--out", str(out), "--jobs", "1",
               "--no-classify", "--quiet"]
    process = subprocess.Popen(command, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list((out / "parts").glob("*.json.gz")) if (out / "parts").exists() else []) < 2:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    done_before = len(list((out / "parts").glob("*.json.gz")))
    assert done_before >= 2
    assert not list(out.glob("*.tmp")) or all(p.name.startswith(".") for p in out.glob("*.tmp"))
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1  # the corrupt file
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["files"] == 11 and summary["done"] == 10 and summary["reused"] >= done_before - 1
    assert len(read_reports(out)) == 10


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
    assert "政务热线" in local["paragraphs.csv.gz"], "the model ran"
    # Workers read the model from the files the client sent, not from the client's directory.
    assert loaded and all(Path(d).parent.name == "models" and Path(d) != model for d in loaded)


def _worker_models() -> list[str]:
    """On a Dask worker: the model directories its cached Taggings were built from."""
    from nlp.batching.workers import _WORKER

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


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def small_archive(root: Path) -> Path:
    """The example as TXT, DOCX and PDF, plus an image and an archive that are not reports."""
    root.mkdir(parents=True)
    for suffix in (".txt", ".docx", ".pdf"):
        shutil.copy(EXAMPLE.with_suffix(suffix), root / f"report{suffix}")
    (root / "扫描件.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    (root / "附件.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    return root


def test_reports_table_workbook_and_parquet_read_back_typed(tmp_path):
    archive = small_archive(tmp_path / "archive")
    out = tmp_path / "out"
    run_batch(archive, out, options=OPTIONS, xlsx=True, parquet=True)
    rows = read_csv(out / "reports.csv")
    assert [r["file"] for r in rows] == ["report.docx", "report.pdf", "report.txt"]
    first = rows[0]
    assert (first["department"], first["year"], first["score"], first["status"]) == \
        ("江临市政务服务和数据管理局", "2024", "96.85", "done")
    for row in rows:
        assert int(row["indicators"]) == sum(int(row[f"indicators_{s}"]) for s in ("met", "not_met", "not_comparable"))
        assert int(row["findings"]) == sum(int(row[f"findings_{s}"]) for s in ("error", "warning", "info", "no_severity"))
        assert int(row["pages"]) >= 1 and int(row["paragraphs"]) > 10

    from openpyxl import load_workbook

    book = load_workbook(out / "reports.xlsx")  # not read-only: the sheet views and filters are read too
    assert book.sheetnames[0] == "reports"
    sheet = book["reports"]
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["文件", "状态", "部门", "年度", "填报日期", "自评得分"]  # headers people read
    values = dict(zip(TABLE_COLUMNS["reports"], [c.value for c in sheet[2]]))
    assert values["department"] == "江临市政务服务和数据管理局"
    assert values["year"] == 2024 and isinstance(values["year"], int)
    assert values["score"] == pytest.approx(96.85) and isinstance(values["score"], float)
    assert isinstance(values["pages"], int) and isinstance(values["indicators_met"], int)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}4"
    assert sheet.column_dimensions["A"].width >= 30
    quantities = book["quantities"]
    value_column = TABLE_COLUMNS["quantities"].index("value")
    numbers = [row[value_column].value for row in quantities.iter_rows(min_row=2) if row[value_column].value is not None]
    assert numbers and all(isinstance(v, (int, float)) for v in numbers)
    paragraphs = book["paragraphs"]
    assert any("政务" in (row[-1].value or "") for row in paragraphs.iter_rows(min_row=2))

    import pyarrow.parquet as pq

    table = pq.read_table(out / "reports.parquet")
    assert str(table.schema.field("year").type) == "int64" and str(table.schema.field("score").type) == "double"
    data = table.to_pylist()
    assert [r["file"] for r in data] == [r["file"] for r in rows]
    assert data[0]["department"] == "江临市政务服务和数据管理局" and data[0]["score"] == pytest.approx(96.85)
    for name in ("paragraphs", "quantities", "indicators", "findings", "skipped"):
        assert pq.read_table(out / f"{name}.parquet").num_rows == len(read_csv(out / f"{name}.csv")), name
    assert str(pq.read_table(out / "quantities.parquet").schema.field("value").type) == "double"


def test_rerun_with_include_keeps_the_whole_archive_and_no_stale_table(tmp_path):
    archive = small_archive(tmp_path / "archive")
    out = tmp_path / "out"
    run_batch(archive, out, options=OPTIONS, xlsx=True, parquet=True)
    everything = outputs(out)
    summary = run_batch(archive, out, options=OPTIONS, include=["*.pdf"], xlsx=True)
    assert (summary.files, summary.reused, summary.reports) == (1, 1, 3)
    assert outputs(out) == everything  # the PDF-only run keeps the DOCX and TXT rows
    from openpyxl import load_workbook

    assert len(list(load_workbook(out / "reports.xlsx", read_only=True)["reports"].iter_rows())) == 4
    assert not list(out.glob("*.parquet")), "tables of a kind this run did not write are removed, not left stale"
    # A changed file replaces its rows; a file removed from the archive leaves the tables.
    (archive / "report.docx").unlink()
    text = archive / "report.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("自评得分96.85分", "自评得分90.5分"), encoding="utf-8")
    run_batch(archive, out, options=OPTIONS, include=["*.txt"])
    rows = {r["file"]: r for r in read_csv(out / "reports.csv")}
    assert sorted(rows) == ["report.pdf", "report.txt"] and rows["report.txt"]["score"] == "90.5"
    assert not (out / "reports.xlsx").exists()


def test_outputs_are_readable_per_the_umask(tmp_path, umask_022):
    archive = small_archive(tmp_path / "archive")
    (archive / "broken.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(300))  # its part stays in parts/
    out = tmp_path / "out"
    run_batch(archive, out, options=OPTIONS, xlsx=True, parquet=True)
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) == 21 and len(list((out / "parts").iterdir())) == 2
    assert {p.relative_to(out).as_posix(): oct(p.stat().st_mode & 0o777) for p in files
            if p.stat().st_mode & 0o777 != 0o644} == {}


def test_files_that_are_not_reports_are_listed_with_why(tmp_path):
    archive = small_archive(tmp_path / "archive")
    (archive / "slides.pptx").write_bytes(b"PK\x03\x04")
    (archive / ".hidden.png").write_bytes(b"x")
    out = tmp_path / "out"
    summary = run_batch(archive, out, options=OPTIONS, exclude=["附件.*"])
    skipped = {r["file"]: r for r in read_csv(out / "skipped.csv")}
    assert sorted(skipped) == ["slides.pptx", "扫描件.png"]  # excluded on purpose and hidden files are not listed
    assert skipped["扫描件.png"]["reason"] == "image" and "图片" in skipped["扫描件.png"]["message"]
    assert skipped["slides.pptx"]["reason"] == "presentation"
    assert summary.skipped == 2 and summary.files == 3


def test_summary_counts_add_up(tmp_path):
    archive = make_archive(tmp_path / "archive", copies=2)
    out = tmp_path / "out"
    for force in (False, False, True):
        summary = run_batch(archive, out, options=OPTIONS, force=force)
        data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        assert data["files"] == data["done"] + data["failed"] == 5
        assert data["done"] == data["tagged"] + data["reused"] == 4
        assert data["skipped"] == 1  # notes.ods, counted once and not among the files
        assert data["reports"] + data["reports_failed"] == len(read_csv(out / "reports.csv")) == 5
        assert data["failed"] == len(read_csv(out / "errors.csv")) == 1
        assert sum(data["categories"].values()) <= data["paragraphs"]
        assert summary.to_dict()["files"] == data["files"]


def test_parts_are_compressed_and_each_report_stored_once(tmp_path):
    archive = small_archive(tmp_path / "archive")
    out = tmp_path / "out"
    seen: dict[str, bytes] = {}

    def look(result, done, total):
        seen.update((p.name, p.read_bytes()[:2]) for p in (out / "parts").glob("*.gz"))

    run_batch(archive, out, options=OPTIONS, progress=look)
    assert len(seen) == 3 and set(seen.values()) == {b"\x1f\x8b"}  # gzip
    assert [p.name for p in (out / "parts").iterdir()] == ["stored.json"]  # merged into reports.jsonl.gz
    assert not (out / "reports.jsonl").exists()
    text = sum(len(r["text"].encode("utf-8")) for r in read_reports(out))
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    assert size < 6 * text, (size, text)  # the batch benchmark measures the 3x target on long reports
    everything = outputs(out)
    summary = run_batch(archive, out, options=OPTIONS, compress=False)
    assert summary.reused == 3 and (out / "reports.jsonl").is_file() and not (out / "reports.jsonl.gz").exists()
    for name in ("paragraphs", "quantities"):  # the bulk tables plain too, the same rows, no stale .gz left
        assert not (out / f"{name}.csv.gz").exists()
        assert (out / f"{name}.csv").read_bytes().decode("utf-8-sig") == everything[f"{name}.csv.gz"]
    assert [json.loads(line) for line in (out / "reports.jsonl").read_text(encoding="utf-8").splitlines()] == \
        [json.loads(line) for line in everything["reports.jsonl.gz"].splitlines()]
    summary = run_batch(archive, out, options=OPTIONS)
    assert summary.reused == 3 and outputs(out) == everything


def test_a_damaged_store_is_redone(tmp_path):
    archive = small_archive(tmp_path / "archive")
    out = tmp_path / "out"
    run_batch(archive, out, options=OPTIONS)
    everything = outputs(out)
    store = out / "reports.jsonl.gz"
    store.write_bytes(store.read_bytes()[:500])
    summary = run_batch(archive, out, options=OPTIONS)
    assert (summary.tagged, summary.reused) == (3, 0) and outputs(out) == everything
    (out / "parts" / "stored.json").write_text("{not json", encoding="utf-8")
    summary = run_batch(archive, out, options=OPTIONS)
    assert (summary.tagged, summary.reused) == (3, 0) and outputs(out) == everything
