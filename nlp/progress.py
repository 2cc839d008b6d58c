"""What a batch run shows while it works and when it ends: progress bars or lines, and the summary."""

from __future__ import annotations

import sys
from pathlib import Path

import typer


def batch_summary_lines(data: dict, out: Path) -> list[str]:
    """Return the lines printed after a batch run: this run's counts, then the tables' totals."""
    from nlp.messages import t

    def items(counts: dict) -> str:
        return t("list.separator").join(f"{k} {v}" for k, v in counts.items())

    lines = [t("batch.summary.run", files=data["files"], tagged=data["tagged"], reused=data["reused"],
               failed=data["failed"])]
    if data["skipped"]:
        lines.append(t("batch.summary.skipped", skipped=data["skipped"], path=out / "skipped.csv"))
    lines.append(t("batch.summary.tables", reports=data["reports"], failed=data["reports_failed"], pages=data["pages"],
                   paragraphs=data["paragraphs"], seconds=data["seconds"]))
    if data["categories"]:
        lines.append(t("batch.summary.categories", items=items(data["categories"])))
    if data["findings"]:
        lines.append(t("batch.summary.findings", items=items(data["findings"])))
    if data["errors"]:
        lines.append(t("batch.summary.errors", items=items(data["errors"]), path=out / "errors.csv"))
    lines.append(t("batch.summary.outputs", path=out))
    return lines


def batch_progress(quiet: bool, console=None):
    """Return (files, pages, close): callbacks for files done and pages OCR'd, and what ends the display.

    On a terminal (or on ``console``, a rich Console) a live bar counts files, with a bar per file
    being OCR'd ("文字识别 12/60 页：…") until that file is done; otherwise a line per file and a
    line per page OCR'd; nothing when quiet. The page callback may be called from another thread.
    """
    import threading

    from nlp.messages import t

    if quiet:
        return None, None, lambda: None
    if console is not None or sys.stderr.isatty():
        from rich.markup import escape
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                       TextColumn("{task.fields[detail]}"), TimeRemainingColumn(), transient=True, console=console)
        bar.start()
        task = bar.add_task(t("batch.progress"), total=None, detail=t("batch.progress_pages", pages=0))
        pages = [0]
        lock = threading.Lock()
        ocr_tasks: dict = {}
        finished: set[str] = set()

        def update(result, done: int, total: int) -> None:
            pages[0] += int((result.report or {}).get("page_count") or 0)
            with lock:
                finished.add(result.relpath)
                ocr_task = ocr_tasks.pop(result.relpath, None)
                if ocr_task is not None:
                    bar.remove_task(ocr_task)
            bar.update(task, completed=done, total=total, detail=t("batch.progress_pages", pages=pages[0]))

        def page(event) -> None:
            with lock:
                if event.relpath in finished:  # a late message of a file already counted
                    return
                ocr_task = ocr_tasks.get(event.relpath)
                if ocr_task is None:
                    ocr_tasks[event.relpath] = bar.add_task(t("batch.ocr.bar"), total=event.total, completed=event.done,
                                                            detail=t("batch.ocr.bar_file", file=escape(event.relpath)))
                else:
                    bar.update(ocr_task, completed=event.done, total=event.total)

        return update, page, bar.stop

    def log(result, done: int, total: int) -> None:
        if result.error:
            state = t("batch.state.failed", message=result.error["message"])
        else:
            state = t("batch.state.reused" if result.skipped else "batch.state.done")
        typer.echo(f"[{done}/{total}] {result.relpath}: {state}", err=True)

    def log_page(event) -> None:
        if event.done:
            typer.echo(t("batch.ocr.progress", done=event.done, total=event.total, file=event.relpath), err=True)

    return log, log_page, lambda: None
