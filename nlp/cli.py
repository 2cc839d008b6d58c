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
import typer.core

class _FlagsWithoutType:
    """Help in the language in force, without a type after on/off flags: ``--force``, not ``--force <bool>``.

    typer's rich help prints every option's type, a flag's too; a flag takes no value, so its
    type column is left empty (the help of options that take a value is unchanged). Help texts
    are written in English below and shown through the catalogue (:func:`nlp.messages.help_text`)
    when the help is printed, after ``--lang`` has been read.
    """

    def format_help(self, ctx, formatter) -> None:
        from nlp.messages import help_text

        commands = getattr(self, "commands", {}).values()  # a group lists its commands' help too
        for item in [self, *commands, *self.get_params(ctx)]:  # type: ignore[attr-defined]
            if getattr(item, "is_flag", False) and item.metavar is None:
                item.metavar = ""
            english = item.__dict__.setdefault("_help_en", getattr(item, "help", None))
            if english:
                first = english.partition("\n")[0].strip()  # a docstring's first line is its key
                shown = help_text(first)
                item.help = english if shown == first else shown
        super().format_help(ctx, formatter)  # type: ignore[misc]


class _Command(_FlagsWithoutType, typer.core.TyperCommand):
    pass


class _Group(_FlagsWithoutType, typer.core.TyperGroup):
    pass


class _App(typer.Typer):
    def command(self, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        kwargs.setdefault("cls", _Command)
        return super().command(*args, **kwargs)


app = _App(
    cls=_Group,
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
    html = "html"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


def _set_lang(lang: Optional[Lang]) -> Optional[Lang]:
    """Take --lang before anything else is read, so help and messages follow it."""
    if lang is not None:
        from nlp.messages import set_language

        set_language(lang.value)
    return lang


@app.callback()
def _root(
    lang: Annotated[Optional[Lang], typer.Option("--lang", help="Language of messages: zh (default) or en; also NLP_LANG.",
                                                 show_default=False, is_eager=True, callback=_set_lang)] = None,
) -> None:
    """Read Chinese government performance reports (绩效自评报告): structure, categories, numbers, checks."""


def _error_line(message: object) -> str:
    from nlp.messages import t

    return f"{t('error.prefix')}{message}"


def _fail(message: str) -> typer.Exit:
    typer.echo(_error_line(message), err=True)
    return typer.Exit(code=1)


class OcrMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


_OCR_HELP = ("OCR of scanned PDF pages (needs the ocr extra): auto (pages without a text layer), always, never; "
             "default from NLP_OCR.")


def _set_ocr(mode: OcrMode) -> None:
    """Pass the OCR mode to the readers, in this process and the worker processes it starts."""
    import os

    os.environ["NLP_OCR"] = mode.value


@app.command()
def tag(
    files: Annotated[list[Path], typer.Argument(help="Report files (PDF, DOCX, DOC/WPS, XLSX/XLS, HTML, OFD, TXT, Markdown).",
                                                show_default=False)],
    format: Annotated[TagFormat, typer.Option("--format", "-f", help="summary (terminal), json, jsonl, md or html (a review page).")] = TagFormat.summary,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write to this file instead of the terminal.")] = None,
    model: Annotated[Optional[Path], typer.Option("--model", help="Model directory (default: the shipped model).")] = None,
    no_classify: Annotated[bool, typer.Option("--no-classify", help="Skip paragraph categories.")] = False,
    ocr: Annotated[OcrMode, typer.Option("--ocr", help=_OCR_HELP, envvar="NLP_OCR")] = OcrMode.auto,
) -> None:
    """Read reports and tag them: structure, categories, quantities, indicators, findings."""
    _set_ocr(ocr)
    from nlp import export
    from nlp.errors import NlpError
    from nlp.tagging import Tagging

    if format is TagFormat.html and len(files) > 1:
        from nlp.messages import t

        raise _fail(t("render.one_page"))
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
        elif format is TagFormat.html:
            from nlp.render import render_report

            chunks.append(render_report(report.to_dict()))
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


def _read_rows(source: Optional[Path]) -> list[dict]:
    """Return the rows of a report file, JSONL or plain lines; exit 1 with one line if it cannot be read."""
    from nlp.errors import NlpError
    from nlp.rows import read_rows

    try:
        return read_rows(source)
    except NlpError as exc:
        raise _fail(str(exc)) from None


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
    input: Annotated[Optional[Path], typer.Argument(help="A report (PDF, DOCX, TXT …: a row per paragraph), or .jsonl of {\"id\", \"text\", optional \"section\"} / one paragraph per line; - or nothing for stdin (always rows).")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write JSONL here (default: stdout).")] = None,
    model: Annotated[Optional[Path], typer.Option("--model", help="Model directory (default: the shipped model).")] = None,
) -> None:
    """Classify paragraphs: JSONL out with id, primary, labels (label, score) and explanation.

    A row's optional "section" (its heading path: a list of headings, or one string with › between them)
    is read as evidence of what the paragraph is for.
    """
    from nlp.classification import load_model
    from nlp.errors import NlpError

    from nlp.rows import row_ids

    rows = _read_rows(input)
    try:
        tagger = load_model(model)
    except NlpError as exc:
        raise _fail(str(exc)) from None
    out = []
    sections = [r.get("section") for r in rows]
    predictions = tagger.predict([r["text"] for r in rows], sections=sections if any(sections) else None)
    for row, prediction in zip(rows, predictions):
        out.append({**row_ids(row), "primary": prediction.primary,
                    "labels": [label.to_dict() for label in prediction.labels],
                    "explanation": prediction.explanation})
    _write_jsonl(out, output)


@app.command()
def extract(
    input: Annotated[Optional[Path], typer.Argument(help="A report (PDF, DOCX, TXT …: a row per paragraph), or .jsonl of {\"id\", \"text\"} / one paragraph per line; - or nothing for stdin (always rows).")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write JSONL here (default: stdout).")] = None,
) -> None:
    """Extract quantities: JSONL out with surface, span, value, multiplier, unit, comparator, role, metric, dimension."""
    from nlp.quantities import extract_quantities
    from nlp.rows import row_ids

    rows = _read_rows(input)
    _write_jsonl([{**row_ids(row), "quantities": [q.to_dict() for q in extract_quantities(row["text"])]}
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
    gold: Annotated[Path, typer.Argument(help="Labelled JSONL ({id, text, primary, secondary, skip}).")],
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
    input_dir: Annotated[Path, typer.Argument(help="Folder of reports (searched recursively).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")],
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", help="Worker processes (default: all cores).", min=1)] = None,
    include: Annotated[Optional[list[str]], typer.Option("--include", metavar="GLOB", help="Glob of files to take (repeatable).")] = None,
    exclude: Annotated[Optional[list[str]], typer.Option("--exclude", metavar="GLOB", help="Glob of files to leave out (repeatable).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Redo every file, finished or not.")] = False,
    xlsx: Annotated[bool, typer.Option("--xlsx", help="Also write reports.xlsx with a sheet per table.")] = False,
    html: Annotated[bool, typer.Option("--html", help="Also write review pages: html/index.html and a page per report.")] = False,
    parquet: Annotated[bool, typer.Option("--parquet", help="Also write each table as TABLE.parquet (needs pyarrow).")] = False,
    plain: Annotated[bool, typer.Option("--plain", help="Write reports.jsonl, paragraphs.csv and quantities.csv uncompressed, not gzip.")] = False,
    model: Annotated[Optional[Path], typer.Option("--model", help="Model directory (default: the shipped model).")] = None,
    no_classify: Annotated[bool, typer.Option("--no-classify", help="Skip paragraph categories.")] = False,
    backend: Annotated[str, typer.Option(help="loky (processes on this machine) or dask.")] = "loky",
    scheduler: Annotated[Optional[str], typer.Option(help="Dask scheduler address, e.g. tcp://10.0.0.5:8786.")] = None,
    max_pages: Annotated[int, typer.Option(help="Refuse PDFs with more pages.")] = 2000,
    max_mb: Annotated[int, typer.Option(help="Refuse files larger than this many MB.")] = 200,
    max_chars: Annotated[int, typer.Option(help="Refuse reports with more characters of text.")] = 5_000_000,
    timeout: Annotated[float, typer.Option(help="Seconds one file may take (0: no limit).")] = 300.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
    ocr: Annotated[OcrMode, typer.Option("--ocr", help=_OCR_HELP, envvar="NLP_OCR")] = OcrMode.auto,
) -> None:
    """Tag every report under a folder: reports.jsonl.gz, reports.csv and the other tables, summary; parallel and resumable."""
    _set_ocr(ocr)
    import os

    from nlp.batching import DEFAULT_INCLUDE, BatchOptions, dask_client, run_batch
    from nlp.progress import batch_progress, batch_summary_lines
    from nlp.errors import NlpError
    from nlp.messages import t

    if backend not in ("loky", "dask"):
        raise typer.BadParameter(t("batch.bad_backend"), param_hint="--backend")
    if not input_dir.is_dir():
        from nlp.errors import ReportError
        from nlp.messages import Message

        problem = Message("error.not_a_folder" if input_dir.exists() else "error.missing_folder")
        raise _fail(str(ReportError(input_dir, problem, Message("advice.check_path"))))
    jobs = jobs or os.cpu_count() or 1
    options = BatchOptions(model_dir=str(model) if model else None, classify=not no_classify,
                           max_bytes=max_mb * 1024 * 1024, max_pages=max_pages, max_chars=max_chars,
                           timeout=timeout or None)
    use_dask = backend == "dask" or scheduler is not None
    progress, page_progress, close = batch_progress(quiet)
    client = None
    try:
        client = dask_client(scheduler, jobs) if use_dask else None
        summary = run_batch(input_dir, out, jobs, options, include or DEFAULT_INCLUDE, exclude or (), force, xlsx,
                            backend="dask" if use_dask else "loky", progress=progress, parquet=parquet,
                            compress=not plain, page_progress=page_progress)
    except OSError as exc:
        raise _fail(t("batch.cannot_write", path=out, detail=exc)) from None
    except NlpError as exc:
        raise _fail(str(exc)) from None
    finally:
        close()
        if client is not None:
            client.close()
    if html:
        from nlp.render import write_batch_html

        index = write_batch_html(out)
    if not quiet:
        for line in batch_summary_lines(summary.to_dict(), out):
            typer.echo(line)
        if html:
            from nlp.messages import t

            typer.echo(t("render.index_written", path=index))
    if summary.failed:
        raise _fail(t("batch.failed_files", failed=summary.failed, path=out / "errors.csv"))


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        from nlp.messages import t

        typer.echo(t("cli.interrupted"), err=True)
        sys.exit(130)


@app.command()
def suggest(
    source: Annotated[Path, typer.Argument(help="A batch output folder (its reports.jsonl) or a JSONL file of tagged reports.",
                                           exists=True, show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Label Studio tasks (JSON); label_config.xml is written beside it.")],
    n: Annotated[int, typer.Option("--n", help="How many paragraphs to choose.", min=1)] = 50,
    model: Annotated[Optional[Path], typer.Option("--model", help="Model directory (default: the shipped model).")] = None,
) -> None:
    """Choose the paragraphs most worth reviewing (uncertain, varied) as Label Studio tasks with the model's labels."""
    import json

    from nlp.classification import load_model
    from nlp.errors import NlpError
    from nlp.export import write_atomic
    from nlp.labelstudio import label_config, tasks
    from nlp.messages import t
    from nlp.suggest import candidates, read_reports, suggest as choose

    try:
        tagger = load_model(model)
        pool = candidates(read_reports(source))
    except NlpError as exc:
        raise _fail(str(exc)) from None
    except (OSError, ValueError, AttributeError) as exc:
        raise _fail(f"{t('suggest.no_reports', path=source)} ({exc})") from None
    if not pool:
        raise _fail(t("suggest.no_reports", path=source))
    picked = choose(pool, tagger, n)
    write_atomic(out, json.dumps(tasks(picked, tagger.version), ensure_ascii=False, indent=1) + "\n")
    config = out.with_name("label_config.xml")
    write_atomic(config, label_config(tagger.taxonomy))
    typer.echo(t("suggest.written", n=len(picked), pool=len(pool), tasks=out, config=config))


@app.command("import-labels")
def import_labels(
    export: Annotated[Path, typer.Argument(help="Label Studio JSON export, or doccano JSONL export.", exists=True,
                                           dir_okay=False, show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Training rows (JSONL) for `train`.")],
    taxonomy: Annotated[Optional[Path], typer.Option("--taxonomy", help="Taxonomy TOML (default: the shipped taxonomy).")] = None,
) -> None:
    """Read reviewers' labels into training rows with provenance; cancelled and unlabelled tasks are skipped."""
    from nlp.errors import NlpError
    from nlp.labelstudio import read_export
    from nlp.messages import t
    from nlp.taxonomy import load_taxonomy

    try:
        imported = read_export(export, load_taxonomy(taxonomy))
    except NlpError as exc:
        raise _fail(str(exc)) from None
    _write_jsonl(imported.rows, out)
    typer.echo(t("labels.imported", rows=len(imported.rows), path=out))
    if imported.skipped:
        detail = "，".join(t(f"labels.skip_reason.{k}", n=v) for k, v in sorted(imported.skipped.items()))
        typer.echo(t("labels.skipped", detail=detail))


if __name__ == "__main__":
    main()
