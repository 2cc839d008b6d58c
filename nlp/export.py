"""Turn reports into JSON, Markdown and the terminal summary."""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any

from nlp.document import Report


def to_json(report: Report, indent: int | None = 2) -> str:
    """Return the report as JSON text (the shape of ``report.schema.json``)."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=indent)


def to_markdown(report: Report) -> str:
    """Return a readable Markdown rendering: metadata, outline with paragraphs, tables."""
    meta = report.metadata
    out = [f"# {meta.title or report.source}", ""]
    for key, value in (("部门", meta.department), ("年度", meta.year), ("填报日期", meta.filled_date),
                       ("自评得分", meta.score), ("文件", report.source), ("页数", report.page_count)):
        if value is not None:
            out.append(f"- **{key}**: {value}")
    out.append("")
    by_section: dict[str | None, list[Any]] = {}
    for paragraph in report.paragraphs:
        by_section.setdefault(paragraph.section, []).append(paragraph)
    for paragraph in by_section.get(None, []):
        out += [_paragraph_md(paragraph), ""]
    for section in report.sections:
        out += [f"{'#' * min(section.level + 1, 6)} {section.numbering or ''}{section.heading}", ""]
        for paragraph in by_section.get(section.id, []):
            out += [_paragraph_md(paragraph), ""]
    for table in report.tables:
        out += [f"**{table.caption or table.id}** ({table.kind})", "",
                "| " + " | ".join(table.header) + " |", "|" + "---|" * len(table.header)]
        out += ["| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in table.rows]
        out.append("")
    if report.findings:
        out += ["## 发现的问题", ""] + [f"- {f.kind}: {f.message}" for f in report.findings] + [""]
    return "\n".join(out)


def _paragraph_md(paragraph: Any) -> str:
    tags = " ".join(f"`{label.label} {label.score:.2f}`" for label in paragraph.labels)
    return f"{paragraph.text}{'  ' + tags if tags else ''}"


def summary(report: Report) -> str:
    """Return the few lines a reviewer wants first about one report."""
    meta = report.metadata
    lines = [
        f"{report.source}  [{report.format}, {report.page_count} page(s)]",
        f"  部门: {meta.department or '—'}   年度: {meta.year or '—'}   自评得分: {meta.score if meta.score is not None else '—'}",
        f"  sections: {len(report.sections)}   paragraphs: {len(report.paragraphs)}   tables: "
        + (", ".join(f"{t.id} {t.kind} ({len(t.rows)} rows)" for t in report.tables) or "none"),
    ]
    outline = [f"    {'  ' * (s.level - 1)}{s.numbering or ''}{s.heading}" for s in report.sections]
    if outline:
        lines.append("  outline:")
        lines += outline[:40] + (["    …"] if len(outline) > 40 else [])
    categories = Counter(p.primary for p in report.paragraphs if p.primary)
    if categories:
        lines.append("  categories: " + ", ".join(f"{k} {v}" for k, v in categories.most_common()))
    quantities = sum(len(p.quantities) for p in report.paragraphs)
    if "quantities" in report.stages:
        lines.append(f"  quantities: {quantities}   indicator rows: {len(report.indicators)}   links: {len(report.links)}")
    if report.indicators:
        status = Counter(r.status for r in report.indicators)
        lines.append("  indicators: " + ", ".join(f"{k} {v}" for k, v in sorted(status.items())))
    if report.findings:
        lines.append("  findings:")
        lines += [f"    - [{f.kind}] {f.message}" for f in report.findings]
    for warning in report.warnings:
        lines.append(f"  warning: {warning}")
    return "\n".join(lines)


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename, so no reader sees half a file."""
    import tempfile
    from pathlib import Path

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
