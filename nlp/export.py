"""Turn reports into JSON, Markdown and the terminal summary."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

from nlp.document import Report
from nlp.messages import t


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
        out += [f"## {t('summary.findings_heading')}", "", _findings_line(report), ""]
        for f in report.findings:
            pages = sorted({e.page for e in f.evidence if e.page is not None})
            where = f" (p. {', '.join(map(str, pages))})" if pages else ""
            out.append(f"- **{t('severity.' + f.severity)}** `{f.code}`: {f.message}{where}")
        out.append("")
    evidence = _indicator_evidence(report)
    if evidence:
        out += [f"## {t('summary.indicator_evidence')}", ""]
        for name, paragraphs in evidence:
            out.append(f"- **{name}**: " + "; ".join(paragraphs))
        out.append("")
    return "\n".join(out)


def _findings_line(report: Report) -> str:
    counts = Counter(f.severity for f in report.findings)
    return t("summary.findings", error=counts.get("error", 0), warning=counts.get("warning", 0),
             info=counts.get("info", 0))


def _indicator_evidence(report: Report) -> list[tuple[str, list[str]]]:
    """Return, per indicator row, the paragraphs the narrative gives as evidence for it."""
    by_row: dict[str, list[str]] = {}
    for link in report.links:
        if getattr(link, "kind", "") == "paragraph":
            by_row.setdefault(link.indicator, []).append(link.paragraph)
    return [(row.name, by_row[row.id]) for row in report.indicators if row.id in by_row]


def _paragraph_md(paragraph: Any) -> str:
    tags = " ".join(f"`{label.label} {label.score:.2f}`" for label in paragraph.labels)
    return f"{paragraph.text}{'  ' + tags if tags else ''}"


def summary(report: Report) -> str:
    """Return the few lines a reviewer wants first about one report."""
    meta = report.metadata
    dash = "—"
    tables = ", ".join(t("summary.table", id=tb.id, kind=tb.kind, rows=len(tb.rows)) for tb in report.tables)
    lines = [
        t("summary.head", source=report.source, format=report.format, pages=report.page_count),
        t("summary.metadata", department=meta.department or dash, year=meta.year or dash,
          score=meta.score if meta.score is not None else dash),
        t("summary.counts", sections=len(report.sections), paragraphs=len(report.paragraphs),
          tables=tables or t("summary.none")),
    ]
    outline = [f"    {'  ' * (s.level - 1)}{s.numbering or ''}{s.heading}" for s in report.sections]
    if outline:
        lines.append(t("summary.outline"))
        lines += outline[:40] + (["    …"] if len(outline) > 40 else [])
    categories = Counter(p.primary for p in report.paragraphs if p.primary)
    if categories:
        lines.append(t("summary.categories", list=", ".join(f"{k} {v}" for k, v in categories.most_common())))
    quantities = sum(len(p.quantities) for p in report.paragraphs)
    if "quantities" in report.stages:
        lines.append(t("summary.quantities", quantities=quantities, indicators=len(report.indicators),
                       links=len(report.links)))
    if report.indicators:
        status = Counter(r.status for r in report.indicators)
        lines.append(t("summary.indicators", list=", ".join(f"{k} {v}" for k, v in sorted(status.items()))))
    if report.findings:
        lines.append("  " + _findings_line(report))
        lines += [f"    - [{t('severity.' + f.severity)}] {f.message}" for f in report.findings]
    for warning in report.warnings:
        lines.append(f"  {t('warning.prefix')}{warning}")
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
    "links": ["file", "paragraph", "quantity", "surface", "start", "end", "indicator", "score", "kind"],
    "findings": ["file", "kind", "code", "severity", "measure", "message", "values", "scope", "explained",
                 "explanation", "evidence"],
    "errors": ["file", "class", "message"],
}


def table_rows(name: str, report: dict[str, Any] | None, error: dict[str, str] | None
               ) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (table, row) for every flat-table row of one file's result."""
    if error is not None:
        yield "errors", {"file": name, **error}
        return
    report = report or {}
    for p in report.get("paragraphs", []):
        yield "paragraphs", {
            "file": name, "paragraph": p["id"], "page": p["page"], "start": p["start"], "end": p["end"],
            "section_path": " > ".join(p["section_path"]), "numbering": p["numbering"], "primary": p["primary"],
            "labels": "; ".join(f"{x['label']}:{x['score']:.2f}" for x in p["labels"]), "text": p["text"]}
        for q in p["quantities"]:
            yield "quantities", {"file": name, "paragraph": p["id"], "page": p["page"],
                                 **{k: q.get(k) for k in TABLE_COLUMNS["quantities"][3:]},
                                 "start": p["start"] + q["start"], "end": p["start"] + q["end"]}
    for r in report.get("indicators", []):
        yield "indicators", {"file": name, "indicator": r["id"], **{k: r.get(k) for k in TABLE_COLUMNS["indicators"][2:]}}
    for link in report.get("links", []):
        yield "links", {"file": name, **{k: link.get(k) for k in TABLE_COLUMNS["links"][1:]}}
    for f in report.get("findings", []):
        yield "findings", {
            "file": name, "kind": f["kind"], "code": f.get("code"), "severity": f.get("severity"),
            "measure": f["measure"], "message": f["message"], "values": " | ".join(f.get("values", [])),
            "scope": json.dumps(f.get("scope"), ensure_ascii=False) if f.get("scope") else None,
            "explained": f.get("explained"), "explanation": f.get("explanation"),
            "evidence": "; ".join(_evidence_text(e) for e in f.get("evidence", []))}


def _evidence_text(e: dict[str, Any]) -> str:
    page = f"p{e['page']} " if e.get("page") is not None else ""
    if e.get("table"):
        return f"{page}{e['table']}/{e.get('row')}/{e.get('column')} {e['text']}"
    return f"{page}{e['start']}-{e['end']} {e['text']}"


class BatchWriter:
    """Write reports.jsonl, the CSV tables (and reports.xlsx) row by row into temporary files.

    Nothing replaces the previous outputs until :meth:`commit`, which renames every file into
    place; memory stays flat however many reports pass through.
    """

    def __init__(self, out_dir: str | os.PathLike[str], xlsx: bool = False) -> None:
        import csv
        import tempfile
        from pathlib import Path

        self.out = Path(out_dir)
        self.out.mkdir(parents=True, exist_ok=True)
        self._temps: dict[Path, Path] = {}
        self._handles: list[Any] = []

        def open_temp(name: str) -> Any:
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.out)
            self._temps[self.out / name] = Path(tmp)
            handle = os.fdopen(fd, "w", encoding="utf-8", newline="")
            self._handles.append(handle)
            return handle

        self._reports = open_temp("reports.jsonl")
        self._writers = {}
        for name, columns in TABLE_COLUMNS.items():
            handle = open_temp(f"{name}.csv")
            handle.write("\ufeff")  # a BOM makes Excel read the file as UTF-8, so Chinese shows correctly
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
            writer.writeheader()
            self._writers[name] = writer
        self._book = None
        if xlsx:
            from openpyxl import Workbook

            self._book = Workbook(write_only=True)
            self._sheets = {name: self._book.create_sheet(title=name) for name in TABLE_COLUMNS}
            for name, columns in TABLE_COLUMNS.items():
                self._sheets[name].append(columns)

    def add(self, name: str, report: dict[str, Any] | None, error: dict[str, str] | None) -> None:
        """Append one file's result to every output."""
        if report is not None:
            self._reports.write(json.dumps(report, ensure_ascii=False) + "\n")
        for table, row in table_rows(name, report, error):
            clean = {k: ("" if row.get(k) is None else row.get(k)) for k in TABLE_COLUMNS[table]}
            self._writers[table].writerow(clean)
            if self._book is not None:
                from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

                self._sheets[table].append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
                                            for v in (row.get(k) for k in TABLE_COLUMNS[table])])

    def commit(self, summary: dict[str, Any]) -> None:
        """Close every temporary file, then rename all of them into place, summary.json last."""
        import tempfile
        from pathlib import Path

        for handle in self._handles:
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
        if self._book is not None:
            fd, book = tempfile.mkstemp(prefix=".reports.xlsx.", suffix=".tmp", dir=self.out)
            os.close(fd)
            self._temps[self.out / "reports.xlsx"] = Path(book)
            self._book.save(book)
        for target, temporary in self._temps.items():
            os.replace(temporary, target)
        self._temps.clear()
        write_atomic(self.out / "summary.json", json.dumps(summary, ensure_ascii=False, indent=2) + "\n")

    def discard(self) -> None:
        """Remove the temporary files after a failure; the previous outputs stay as they were."""
        for handle in self._handles:
            if not handle.closed:
                handle.close()
        for tmp in self._temps.values():
            tmp.unlink(missing_ok=True)
