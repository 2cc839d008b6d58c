"""A corpus of broken and hostile inputs, generated here, through one batch run.

Every file is either processed or listed in errors with its class; nothing hangs; no output
is truncated; a writer that fails (a full disk) stops the run with a clear error and leaves
the previous outputs whole.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cli
from nlp.batching import BatchOptions, run_batch
from tests.conftest import EXAMPLES
from tests.test_errors import _pdf

EXAMPLE = EXAMPLES / "jiangling-zsj-2024-self-evaluation"
TEXT = "一、部门概况\n\n单位主要职责是统筹全市政务服务和数据资源管理，全年受理诉求12.6万件。\n"


def build_corpus(root: Path) -> dict[str, str | None]:
    """Write the bad inputs; return file → expected error class (None: processed)."""
    root.mkdir(parents=True)
    expected: dict[str, str | None] = {}

    def put(name: str, data: bytes, error: str | None) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expected[name] = error

    good_pdf = EXAMPLE.with_suffix(".pdf").read_bytes()
    put("zero.pdf", b"", "EmptyFileError")
    put("zero.txt", b"", "EmptyFileError")
    # A PDF cut in half keeps its first pages: they are read, with a warning (see test_pdf_damaged.py).
    put("truncated.pdf", good_pdf[: len(good_pdf) // 2], None)
    flipped = bytearray(good_pdf)
    for i in range(200, len(flipped), 97):
        flipped[i] ^= 0x5A
    put("byte-flipped.pdf", bytes(flipped), "CorruptFileError")
    put("encrypted-user.pdf", _pdf(root / "tmp-user.pdf", encrypt="secret").read_bytes(), "EncryptedFileError")
    put("image-only.pdf", _pdf(root / "tmp-image.pdf", text=None).read_bytes(), "NoTextLayerError")
    for tmp in root.glob("tmp-*.pdf"):
        tmp.unlink()
    archive = root / "zip-as-docx.docx"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.txt", "hello")
    expected["zip-as-docx.docx"] = "UnsupportedFormatError"
    put("pdf-as-docx.docx", good_pdf, None)
    put("docx-as-pdf.pdf", EXAMPLE.with_suffix(".docx").read_bytes(), None)
    put("gb18030.txt", TEXT.encode("gb18030"), None)
    put("big5.txt", "一、部門概況\n\n單位主要職責是統籌全市政務服務和數據資源管理，全年受理訴求12.6萬件。\n".encode("big5"), None)
    put("utf16.txt", TEXT.encode("utf-16"), None)
    put("noise.txt", os.urandom(4096) + b"\x00", "EncodingError")
    put("带 空格 的 中文 目录/报告 2024.txt", TEXT.encode("utf-8"), None)
    put("huge-text.txt", ("全年受理诉求12.6万件。" * 40000).encode("utf-8"), "LimitExceededError")
    put("many-pages.pdf", _many_pages(root / "tmp-many.pdf", 60), "LimitExceededError")
    put("huge-page.pdf", _huge_page(root / "tmp-huge.pdf"), None)
    os.symlink("loop-b.txt", root / "loop-a.txt")
    os.symlink("loop-a.txt", root / "loop-b.txt")
    expected["loop-a.txt"] = "OSError"
    expected["loop-b.txt"] = "OSError"
    (root / "sub").mkdir()
    os.symlink("..", root / "sub" / "parent-loop")  # a folder loop: never followed
    return expected


def _many_pages(path: Path, pages: int) -> bytes:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for i in range(pages):
        c.drawString(72, 720, f"page {i + 1}")
        c.showPage()
    c.save()
    data = path.read_bytes()
    path.unlink()
    return data


def _huge_page(path: Path) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=(14000, 14000))
    c.setFont("STSong-Light", 12)
    c.drawString(72, 13000, "全年受理政务服务事项12.6万件。")
    c.showPage()
    c.save()
    data = path.read_bytes()
    path.unlink()
    return data


LIMITS = BatchOptions(classify=False, max_pages=50, max_chars=200_000, timeout=60)


def test_bad_input_corpus_through_batch(tmp_path, validate):
    root = tmp_path / "bad inputs 坏文件"
    expected = build_corpus(root)
    out = tmp_path / "out"
    started = time.perf_counter()
    times: dict[str, float] = {}

    def note(result, done, total):
        times[result.relpath] = result.seconds

    summary = run_batch(root, out, jobs=1, options=LIMITS, progress=note)
    elapsed = time.perf_counter() - started
    with (out / "errors.csv").open(encoding="utf-8-sig", newline="") as handle:
        errors = {row["file"]: row["class"] for row in csv.DictReader(handle)}
    reports = [json.loads(line) for line in gzip.decompress((out / "reports.jsonl.gz").read_bytes()).splitlines()]
    processed = {r["source"] for r in reports}
    for name, error in expected.items():
        if error is None:
            assert name in processed, f"{name} should have been processed ({errors.get(name)})"
        else:
            assert errors.get(name) == error or (error == "OSError" and errors.get(name, "").endswith("Error")), name
    truncated = next(r for r in reports if r["source"] == "truncated.pdf")
    assert truncated["warnings"] and truncated["paragraphs"]
    assert summary.files == len(expected)
    for report in reports:
        validate(report)
    assert max(times.values()) < 30 and elapsed < 120
    print(f"hostile corpus: {len(expected)} cases, {len(processed)} processed, {len(errors)} errors, "
          f"max {max(times.values()):.2f} s per case, {elapsed:.1f} s in all")


def test_read_only_or_full_output_keeps_previous_outputs(tmp_path, monkeypatch):
    archive = tmp_path / "archive"
    archive.mkdir()
    for i in range(3):
        shutil.copy(EXAMPLE.with_suffix(".txt"), archive / f"r{i}.txt")
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(cli.app, ["batch", str(archive), "--out", str(out), "--no-classify", "-j", "1"]).exit_code == 0
    before = (out / "reports.jsonl.gz").read_bytes()

    import nlp.batching.archive
    import nlp.export

    calls = {"n": 0}
    real = nlp.export.write_atomic

    def failing(path, text):
        calls["n"] += 1
        if calls["n"] > 1:
            raise OSError(28, "No space left on device")
        real(path, text)

    monkeypatch.setattr(nlp.batching.archive, "write_atomic", failing)
    monkeypatch.setattr(nlp.export, "write_atomic", failing)
    result = runner.invoke(cli.app, ["--lang", "en", "batch", str(archive), "--out", str(out), "--no-classify", "-j", "1",
                                     "--force"])
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr and "Traceback" not in result.output
    assert (out / "reports.jsonl.gz").read_bytes() == before
    assert not [p for p in out.rglob("*.tmp")]


@pytest.mark.parametrize("timeout", [0.5])
def test_per_file_timeout(tmp_path, monkeypatch, timeout):
    import nlp.batching.workers

    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(EXAMPLE.with_suffix(".txt"), archive / "slow.txt")
    shutil.copy(EXAMPLE.with_suffix(".txt"), archive / "fast.txt")

    class Slow:
        version = "slow"

        def tag_file(self, path):
            if "slow" in str(path):
                time.sleep(5)
            return real.tag_file(path)

    real = nlp.batching.workers._tagging(BatchOptions(classify=False))
    monkeypatch.setattr(nlp.batching.workers, "_tagging", lambda options, model=None: Slow())
    started = time.perf_counter()
    summary = run_batch(archive, tmp_path / "out", jobs=1, options=BatchOptions(classify=False, timeout=timeout))
    assert time.perf_counter() - started < 4
    assert (summary.done, summary.failed, dict(summary.errors)) == (1, 1, {"FileTimeoutError": 1})


def test_output_on_a_read_only_filesystem(tmp_path):
    # /proc is read-only even for root: a real read-only output location.
    target = Path("/proc/govreport-nlp-out")
    if not Path("/proc").is_dir():
        pytest.skip("no /proc on this system")
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(EXAMPLE.with_suffix(".txt"), archive / "r.txt")
    result = CliRunner().invoke(cli.app, ["--lang", "en", "batch", str(archive), "--out", str(target), "--no-classify",
                                          "-j", "1"])
    assert result.exit_code == 1
    assert "cannot write the outputs" in result.stderr and "Traceback" not in result.output
