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


# Columns of the flat tables analysts open in Excel.
TABLE_COLUMNS: dict[str, list[str]] = {
    "paragraphs": ["file", "paragraph", "page", "start", "end", "section_path", "numbering", "primary", "labels", "text"],
    "quantities": ["file", "paragraph", "page", "start", "end", "surface", "value", "multiplier", "normalized", "unit",
                   "kind", "comparator", "role", "metric", "dimension", "dimension_level1", "direction"],
    "indicators": ["file", "indicator", "level1", "level2", "name", "target", "actual", "status", "rule", "dimension",
                   "analysis"],
    "links": ["file", "paragraph", "quantity", "surface", "start", "end", "indicator", "score"],
    "findings": ["file", "kind", "measure", "message", "values", "explained", "evidence"],
    "errors": ["file", "class", "message"],
}


def flat_rows(results: Any) -> dict[str, list[dict[str, Any]]]:
    """Return the rows of every flat table for a list of batch results."""
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_COLUMNS}
    for result in results:
        name = result.relpath
        if result.error:
            tables["errors"].append({"file": name, **result.error})
            continue
        report = result.report or {}
        for p in report.get("paragraphs", []):
            tables["paragraphs"].append({
                "file": name, "paragraph": p["id"], "page": p["page"], "start": p["start"], "end": p["end"],
                "section_path": " > ".join(p["section_path"]), "numbering": p["numbering"], "primary": p["primary"],
                "labels": "; ".join(f"{x['label']}:{x['score']:.2f}" for x in p["labels"]), "text": p["text"]})
            for q in p["quantities"]:
                tables["quantities"].append({"file": name, "paragraph": p["id"], "page": p["page"],
                                             **{k: q.get(k) for k in TABLE_COLUMNS["quantities"][3:]},
                                             "start": p["start"] + q["start"], "end": p["start"] + q["end"]})
        for r in report.get("indicators", []):
            tables["indicators"].append({"file": name, "indicator": r["id"],
                                         **{k: r.get(k) for k in TABLE_COLUMNS["indicators"][2:]}})
        for link in report.get("links", []):
            tables["links"].append({"file": name, **{k: link.get(k) for k in TABLE_COLUMNS["links"][1:]}})
        for f in report.get("findings", []):
            tables["findings"].append({
                "file": name, "kind": f["kind"], "measure": f["measure"], "message": f["message"],
                "values": " | ".join(f.get("values", [])), "explained": f.get("explained"),
                "evidence": "; ".join(f"{e['start']}-{e['end']} {e['text']}" for e in f.get("evidence", []))})
    return tables


def _csv_text(columns: list[str], rows: list[dict[str, Any]]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    # A BOM makes Excel read the file as UTF-8, so Chinese shows correctly.
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in columns})
    return buffer.getvalue()


def write_outputs(out_dir: Any, results: list[Any], summary: Any, version: str, xlsx: bool = False) -> None:
    """Write reports.jsonl, the CSV tables, summary.json (and reports.xlsx) atomically."""
    from pathlib import Path

    out = Path(out_dir)
    lines = [json.dumps(r.report, ensure_ascii=False) for r in results if r.report is not None]
    write_atomic(out / "reports.jsonl", "".join(line + "\n" for line in lines))
    tables = flat_rows(results)
    for name, columns in TABLE_COLUMNS.items():
        write_atomic(out / f"{name}.csv", _csv_text(columns, tables[name]))
    if xlsx:
        _write_xlsx(out / "reports.xlsx", tables)
    data = {**summary.to_dict(), "version": version,
            "files_list": [{"file": r.relpath, "sha256": r.sha256, "status": "failed" if r.error else "done"}
                           for r in results]}
    write_atomic(out / "summary.json", json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _write_xlsx(path: Any, tables: dict[str, list[dict[str, Any]]]) -> None:
    import tempfile
    from pathlib import Path

    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    for name, columns in TABLE_COLUMNS.items():
        sheet = workbook.create_sheet(title=name)
        sheet.append(columns)
        for row in tables[name]:
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
                          for v in (row.get(k) for k in columns)])
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        workbook.save(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
