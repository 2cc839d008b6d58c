"""Command line of the report reader: tag, classify, extract, train, evaluate, batch.

Installed as the ``govreport`` command (also ``python -m nlp`` and, in a checkout,
``python cli.py``); ``govreport --help`` lists the commands and ``govreport COMMAND
--help`` each one's options.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Read Chinese government performance reports (绩效自评报告): structure, categories, numbers, checks.",
    pretty_exceptions_enable=False,
)


class TagFormat(str, Enum):
    summary = "summary"
    json = "json"
    jsonl = "jsonl"
    md = "md"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


@app.callback()
def _root(
    lang: Annotated[Optional[Lang], typer.Option("--lang", help="Language of messages: zh (default) or en; also NLP_LANG.",
                                                 show_default=False)] = None,
) -> None:
    """Read Chinese government performance reports (绩效自评报告): structure, categories, numbers, checks."""
    if lang is not None:
        from nlp.messages import set_language

        set_language(lang.value)


def _error_line(message: object) -> str:
    from nlp.messages import t

    return f"{t('error.prefix')}{message}"


def _fail(message: str) -> typer.Exit:
    typer.echo(_error_line(message), err=True)
    return typer.Exit(code=1)


@app.command()
def tag(
    files: Annotated[list[Path], typer.Argument(help="Report files (PDF, DOCX, TXT, Markdown).", show_default=False)],
    format: Annotated[TagFormat, typer.Option("--format", "-f", help="summary (terminal), json, jsonl or md.")] = TagFormat.summary,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write to this file instead of the terminal.")] = None,
    model: Annotated[Optional[Path], typer.Option("--model", help="Model directory (default: the shipped model).")] = None,
    no_classify: Annotated[bool, typer.Option("--no-classify", help="Skip paragraph categories.")] = False,
) -> None:
    """Read reports and tag them: structure, categories, quantities, indicators, findings."""
    from nlp import export
    from nlp.errors import NlpError
    from nlp.tagging import Tagging

    tagging = Tagging(model_dir=model, classify=not no_classify)
    chunks: list[str] = []
    failed = 0
    for path in files:
        try:
            report = tagging.tag_file(path)
        except NlpError as exc:
            typer.echo(_error_line(exc), err=True)
            failed += 1
            continue
        if format is TagFormat.json:
            chunks.append(export.to_json(report))
        elif format is TagFormat.jsonl:
            chunks.append(export.to_json(report, indent=None))
        elif format is TagFormat.md:
            chunks.append(export.to_markdown(report))
        else:
            chunks.append(export.summary(report))
    if format is TagFormat.json and len(chunks) > 1:
        text = "[\n" + ",\n".join(chunks) + "\n]"  # several reports: one JSON array
    else:
        text = "\n".join(chunks)
    if out is not None:
        from nlp.export import write_atomic

        write_atomic(out, (text + "\n") if text else "")
    elif text:
        typer.echo(text)
    if failed:
        raise typer.Exit(code=1)


def _read_input(source: Optional[Path]) -> list[dict]:
    """Return rows {"id", "text"} from JSONL or plain lines (a file, or standard input for - / nothing)."""
    import json

    if source is None or str(source) == "-":
        text = sys.stdin.read()
        name = "<stdin>"
    else:
        if not source.is_file():
            raise _fail(f"{source}: the input file does not exist")
        text = source.read_text(encoding="utf-8-sig")
        name = str(source)
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            try:
                row = json.loads(line)
                rows.append({"id": str(row.get("id", number)), "text": str(row["text"]), "section": row.get("section")})
                continue
            except (ValueError, KeyError) as exc:
                raise _fail(f"{name}:{number}: not a JSON object with a \"text\" field ({exc})") from None
        rows.append({"id": str(number), "text": line.strip(), "section": None})
    return rows


def _write_jsonl(rows: list[dict], output: Optional[Path]) -> None:
    import json

    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    if output is None:
        sys.stdout.write(text)
    else:
        from nlp.export import write_atomic

        write_atomic(output, text)


@app.command()
def classify(
    input: Annotated[Optional[Path], typer.Argument(help="JSONL of {\"id\", \"text\", optional \"section\" (heading path)} or one paragraph per line; - for stdin.")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write JSONL here (default: stdout).")] = None,
    model: Annotated[Optional[Path], typer.Option("--model", help="Model directory (default: the shipped model).")] = None,
) -> None:
    """Classify paragraphs: JSONL out with id, primary, labels (label, score) and explanation.

    A row's optional "section" (its heading path: a list of headings, or one string with › between them)
    is read as evidence of what the paragraph is for.
    """
    from nlp.classification import load_model
    from nlp.errors import NlpError

    rows = _read_input(input)
    try:
        tagger = load_model(model)
    except NlpError as exc:
        raise _fail(str(exc)) from None
    out = []
    sections = [r.get("section") for r in rows]
    predictions = tagger.predict([r["text"] for r in rows], sections=sections if any(sections) else None)
    for row, prediction in zip(rows, predictions):
        out.append({"id": row["id"], "primary": prediction.primary,
                    "labels": [label.to_dict() for label in prediction.labels],
                    "explanation": prediction.explanation})
    _write_jsonl(out, output)


@app.command()
def extract(
    input: Annotated[Optional[Path], typer.Argument(help="JSONL of {\"id\", \"text\"} or one paragraph per line; - for stdin.")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write JSONL here (default: stdout).")] = None,
) -> None:
    """Extract quantities: JSONL out with surface, span, value, multiplier, unit, comparator, role, metric, dimension."""
    from nlp.quantities import extract_quantities

    rows = _read_input(input)
    _write_jsonl([{"id": row["id"], "quantities": [q.to_dict() for q in extract_quantities(row["text"])]}
                  for row in rows], output)


@app.command()
def train(
    data: Annotated[Optional[list[Path]], typer.Argument(help="Labelled JSONL files or folders of them (default: training_data/).", show_default=False)] = None,
    taxonomy: Annotated[Optional[Path], typer.Option("--taxonomy", help="Taxonomy TOML (default: the shipped taxonomy).")] = None,
    model_out: Annotated[Optional[Path], typer.Option("--model-out", help="Where to write the model (default: models/<taxonomy>-<date>).", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the model folder if it already holds one (needed for models/default).")] = False,
    folds: Annotated[int, typer.Option(help="Cross-validation folds.", min=2, max=20)] = 5,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    check_labels: Annotated[int, typer.Option("--check-labels", help="Also list the N rows whose labels cross-validation doubts most.", min=0)] = 0,
) -> None:
    """Train a category model: k-fold cross-validation per label is printed first, then the model is written.

    The model goes to a new folder; an existing one (the shipped models/default included) is only
    replaced with --force: python cli.py train --model-out models/default --force
    """
    from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    from nlp.classification.training import train as run_training
    from nlp.errors import NlpError

    with Progress(TextColumn("{task.description:<18}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), transient=True, disable=not sys.stderr.isatty()) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done)
            if not sys.stderr.isatty():
                typer.echo(f"{stage}: {done}/{total}", err=True)

        def show(cv: dict) -> None:
            bar.stop()
            _print_cv(cv)

        try:
            result = run_training(data, taxonomy, model_out, folds=folds, seed=seed, progress=progress, force=force,
                                  on_cv=show, check_labels=check_labels)
        except NlpError as exc:
            raise _fail(str(exc)) from None
    from nlp.messages import t

    if result.suspects:
        typer.echo(t("classify.suspects", n=len(result.suspects)))
        for row in result.suspects:
            typer.echo(f"{row['margin']:+.2f}  {row['given']}→{row['predicted']}  {row['source']}  {row['text'][:60]}")

    typer.echo(t("classify.model_written", version=result.manifest["model_version"], directory=result.directory))


def _print_cv(cv: dict) -> None:
    """Print the cross-validation figures: overall, per label with the confusion with 其他, and sections' gain."""
    from nlp.classification.evaluation import format_labels
    from nlp.messages import t

    typer.echo(t("classify.cv_summary", folds=cv["folds"], rows=cv["rows"], accuracy=cv["accuracy"],
                 macro_f1=cv["macro_f1"], micro=cv["multilabel_micro_f1"]))
    for line in format_labels(cv["labels"], cv.get("fallback_confusion", {})):
        typer.echo(line)
    if cv.get("sectioned_rows"):
        typer.echo(t("classify.cv_sections", **cv["sectioned_rows"], **cv["paragraph_alone"]))


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Labelled JSONL ({id, text, primary, secondary, skip}).", exists=True, dir_okay=False)],
    model: Annotated[Optional[Path], typer.Option("--model", help="Model directory (default: the shipped model).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    no_sections: Annotated[bool, typer.Option("--no-sections", help="Ignore the rows' section field (paragraphs alone).")] = False,
) -> None:
    """Evaluate a model on labelled paragraphs: per-label report with the confusion with 其他, accuracy per kind of
    department (rows with "department"), and the confusion matrix."""
    import json

    from nlp.classification import load_model
    from nlp.classification.evaluation import evaluate as run_evaluation, format_report, read_gold
    from nlp.errors import NlpError

    try:
        result = run_evaluation(load_model(model), read_gold(gold), use_sections=not no_sections)
    except NlpError as exc:
        raise _fail(str(exc)) from None
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2) if json_out else format_report(result))


@app.command("batch")
def batch_command(
    input_dir: Annotated[Path, typer.Argument(help="Folder of reports (searched recursively).", exists=True, file_okay=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")],
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", help="Worker processes (default: all cores).", min=1)] = None,
    include: Annotated[Optional[list[str]], typer.Option("--include", help="Glob of files to take (repeatable).")] = None,
    exclude: Annotated[Optional[list[str]], typer.Option("--exclude", help="Glob of files to leave out (repeatable).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Redo every file, finished or not.")] = False,
    xlsx: Annotated[bool, typer.Option("--xlsx", help="Also write reports.xlsx with a sheet per table.")] = False,
    model: Annotated[Optional[Path], typer.Option("--model", help="Model directory (default: the shipped model).")] = None,
    no_classify: Annotated[bool, typer.Option("--no-classify", help="Skip paragraph categories.")] = False,
    backend: Annotated[str, typer.Option(help="loky (processes on this machine) or dask.")] = "loky",
    scheduler: Annotated[Optional[str], typer.Option(help="Dask scheduler address, e.g. tcp://10.0.0.5:8786.")] = None,
    max_pages: Annotated[int, typer.Option(help="Refuse PDFs with more pages.")] = 2000,
    max_mb: Annotated[int, typer.Option(help="Refuse files larger than this many MB.")] = 200,
    max_chars: Annotated[int, typer.Option(help="Refuse reports with more characters of text.")] = 5_000_000,
    timeout: Annotated[float, typer.Option(help="Seconds one file may take (0: no limit).")] = 300.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
) -> None:
    """Tag every report under a folder: reports.jsonl, CSV tables, summary; parallel and resumable."""
    import os

    from nlp.batching import DEFAULT_INCLUDE, BatchOptions, dask_client, run_batch
    from nlp.errors import NlpError

    if backend not in ("loky", "dask"):
        raise typer.BadParameter("use loky or dask", param_hint="--backend")
    jobs = jobs or os.cpu_count() or 1
    options = BatchOptions(model_dir=str(model) if model else None, classify=not no_classify,
                           max_bytes=max_mb * 1024 * 1024, max_pages=max_pages, max_chars=max_chars,
                           timeout=timeout or None)
    use_dask = backend == "dask" or scheduler is not None
    progress, close = _batch_progress(quiet)
    client = dask_client(scheduler, jobs) if use_dask else None
    try:
        summary = run_batch(input_dir, out, jobs, options, include or DEFAULT_INCLUDE, exclude or (), force, xlsx,
                            backend="dask" if use_dask else "loky", progress=progress)
    except OSError as exc:
        raise _fail(f"cannot write the outputs to {out} ({exc}); free space or choose another --out. "
                    "Files finished so far are kept; run again to complete the rest") from None
    except NlpError as exc:
        raise _fail(str(exc)) from None
    finally:
        close()
        if client is not None:
            client.close()
    if not quiet:
        data = summary.to_dict()
        typer.echo(f"{data['files']} files: {data['done']} done, {data['failed']} failed, {data['skipped']} skipped "
                   f"(already finished); {data['pages']} pages, {data['paragraphs']} paragraphs in {data['seconds']} s")
        if data["categories"]:
            typer.echo("categories: " + ", ".join(f"{k} {v}" for k, v in data["categories"].items()))
        if data["findings"]:
            typer.echo("findings: " + ", ".join(f"{k} {v}" for k, v in data["findings"].items()))
        if data["errors"]:
            typer.echo("errors: " + ", ".join(f"{k} {v}" for k, v in data["errors"].items()) + f" (see {out / 'errors.csv'})")
        typer.echo(f"outputs in {out}")
    if summary.failed:
        raise typer.Exit(code=1)


def _batch_progress(quiet: bool):
    """Return (callback, close): a live bar on a terminal, plain lines otherwise, nothing when quiet."""
    if quiet:
        return None, lambda: None
    if sys.stderr.isatty():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        bar = Progress(TextColumn("tagging"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[pages]} pages"),
                       TimeRemainingColumn(), transient=True)
        bar.start()
        task = bar.add_task("tagging", total=None, pages=0)
        pages = [0]

        def update(result, done: int, total: int) -> None:
            pages[0] += int((result.report or {}).get("page_count") or 0)
            bar.update(task, completed=done, total=total, pages=pages[0])

        return update, bar.stop

    def log(result, done: int, total: int) -> None:
        state = "skipped" if result.skipped else ("failed: " + result.error["message"] if result.error else "done")
        typer.echo(f"[{done}/{total}] {result.relpath}: {state}", err=True)

    return log, lambda: None


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
