"""Command line of the report reader: tag, classify, extract, train, evaluate, batch.

Run ``python cli.py --help`` for the commands and ``python cli.py COMMAND --help``
for each one's options.
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


@app.callback()
def _root() -> None:
    """Read Chinese government performance reports (绩效自评报告): structure, categories, numbers, checks."""


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
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
            typer.echo(f"error: {exc}", err=True)
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
    text = "\n".join(chunks)
    if out is not None:
        from nlp.export import write_atomic

        write_atomic(out, (text + "\n") if text else "")
    elif text:
        typer.echo(text)
    if failed:
        raise typer.Exit(code=1)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
