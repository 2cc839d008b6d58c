"""OCR progress page by page: from the reader in a worker process to the batch's caller and display."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from nlp.batching import BatchOptions, PageChannel, PageProgress, run_batch
from nlp.batching.pages import _PageRelay
from nlp.batching.workers import _reporting_pages
from nlp.readers import ocr
from tests.conftest import EXAMPLES
from tests.test_formats import scan_of

EXAMPLE = EXAMPLES / "jiangling-zsj-2024-self-evaluation"


def _small_scan(tmp_path: Path, pages: int) -> Path:
    """An image-only PDF of ``pages`` small pages with a line of text each (quick to OCR)."""
    from reportlab.pdfgen import canvas

    source = tmp_path / "text.pdf"
    drawing = canvas.Canvas(str(source), pagesize=(320, 120))
    for number in range(1, pages + 1):
        drawing.setFont("Helvetica", 18)
        drawing.drawString(20, 60, f"Page {number}: budget 4210.35 done")
        drawing.showPage()
    drawing.save()
    return scan_of(source, tmp_path / "scan.pdf", list(range(1, pages + 1)))


@pytest.mark.parametrize("jobs", [2, 1])
def test_batch_workers_report_ocr_pages_to_the_parent(tmp_path, monkeypatch, jobs):
    if not ocr.available():
        pytest.skip("the ocr extra (rapidocr, onnxruntime, pypdfium2) is not installed")
    monkeypatch.delenv("NLP_OCR", raising=False)
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.move(_small_scan(tmp_path, 2), archive / "扫描件.pdf")
    shutil.copy(EXAMPLE.with_suffix(".txt"), archive / "report.txt")
    events: list[tuple[PageProgress, bool]] = []
    files: list[str] = []

    def page(event: PageProgress) -> None:
        events.append((event, threading.current_thread() is threading.main_thread()))

    summary = run_batch(archive, tmp_path / "out", jobs=jobs, options=BatchOptions(classify=False),
                        progress=lambda result, done, total: files.append(result.relpath), page_progress=page)
    assert summary.tagged == 2 and summary.failed == 0
    assert sorted(files) == ["report.txt", "扫描件.pdf"]
    # Every page of the scan, in order, counted against the pages to OCR; the text file has none.
    assert [(e.relpath, e.done, e.total, e.page) for e, _ in events] == [
        ("扫描件.pdf", 0, 2, 0), ("扫描件.pdf", 1, 2, 1), ("扫描件.pdf", 2, 2, 2)]
    # With workers they came from a worker process through the parent's listener (its thread); with one
    # job, from this process's own reading.
    assert all(on_main == (jobs == 1) for _, on_main in events)


def test_a_time_limit_during_ocr_stays_a_time_limit(tmp_path, monkeypatch):
    from nlp.batching import FileTimeoutError
    from nlp.messages import Message

    def expire(*args, **kwargs):
        raise FileTimeoutError("scan.pdf", Message("error.timeout", seconds=1))

    monkeypatch.setattr(ocr, "recognise", expire)
    with pytest.raises(FileTimeoutError):
        ocr.ocr_pdf_pages(_small_scan(tmp_path, 1), [1])


def test_pages_reach_the_callback_in_order_through_the_relay():
    got: list[PageProgress] = []
    relay = _PageRelay(got.append)

    def file(name: str) -> None:
        with _reporting_pages(relay.channel, name):
            for done in range(4):
                ocr._tell(ocr._page_callback.get(), done, 3, done)

    threads = [threading.Thread(target=file, args=(f"{i}.pdf",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    relay.close()
    for i in range(3):
        assert [(e.done, e.total, e.page) for e in got if e.relpath == f"{i}.pdf"] == [(d, 3, d) for d in range(4)]
    assert len(got) == 12


def test_progress_failures_never_fail_a_file():
    def broken(event: PageProgress) -> None:
        raise RuntimeError("display gone")

    with _reporting_pages(broken, "a.pdf"):
        ocr._tell(ocr._page_callback.get(), 1, 2, 1)
    with _reporting_pages(PageChannel("/nonexistent/socket", b"key"), "a.pdf"):
        ocr._tell(ocr._page_callback.get(), 1, 2, 1)
        ocr._tell(ocr._page_callback.get(), 2, 2, 2)
    # A callback that fails in the relay's thread is skipped; later pages still arrive.
    seen: list[int] = []

    def flaky(event: PageProgress) -> None:
        seen.append(event.done)
        if event.done == 1:
            raise RuntimeError("display gone")

    relay = _PageRelay(flaky)
    with _reporting_pages(relay.channel, "b.pdf"):
        for done in range(3):
            ocr._tell(ocr._page_callback.get(), done, 2, done)
    relay.close()
    assert seen == [0, 1, 2]
    assert ocr._page_callback.get() is None  # the block's callback is gone after it


def test_plain_display_prints_a_line_per_page(capsys):
    from nlp.progress import batch_progress
    from nlp.messages import t

    files, pages, close = batch_progress(quiet=False)  # stderr is not a terminal here: plain lines
    pages(PageProgress("扫描件.pdf", 0, 2, 0))
    pages(PageProgress("扫描件.pdf", 1, 2, 1))
    pages(PageProgress("扫描件.pdf", 2, 2, 2))
    close()
    lines = capsys.readouterr().err.splitlines()
    assert lines == [t("batch.ocr.progress", done=1, total=2, file="扫描件.pdf"),
                     t("batch.ocr.progress", done=2, total=2, file="扫描件.pdf")]
    assert t("batch.ocr.progress", lang="zh", done=12, total=60, file="扫描件.pdf") == "文字识别 12/60 页：扫描件.pdf"
    assert batch_progress(quiet=True)[:2] == (None, None)


def test_terminal_bar_shows_a_file_while_it_is_ocrd():
    import io

    from rich.console import Console

    from nlp.batching import FileResult
    from nlp.progress import batch_progress
    from nlp.messages import t

    screen = io.StringIO()
    files, pages, close = batch_progress(quiet=False, console=Console(file=screen, force_terminal=True, width=120))
    pages(PageProgress("扫描[草稿].pdf", 0, 60, 0))  # a new bar is drawn at once
    pages(PageProgress("扫描[草稿].pdf", 12, 60, 12))
    drawn = screen.getvalue()
    assert t("batch.ocr.bar") in drawn and t("batch.ocr.bar_file", file="扫描[草稿].pdf") in drawn
    files(FileResult("扫描[草稿].pdf", "扫描[草稿].pdf", "", "k"), 1, 1)
    mark = len(screen.getvalue())
    pages(PageProgress("扫描[草稿].pdf", 60, 60, 60))  # late: the file is done, no bar comes back
    close()
    assert t("batch.ocr.bar") not in screen.getvalue()[mark:]
