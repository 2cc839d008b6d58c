"""Turn reports into JSON, Markdown and the terminal summary."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

from nlp.document import Report
from nlp.messages import CATALOGUE, t


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


def _status_name(status: str) -> str:
    key = f"status.{status}"
    return t(key) if key in CATALOGUE else status


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
        lines.append(t("summary.indicators", list=", ".join(f"{_status_name(k)} {v}" for k, v in sorted(status.items()))))
    if report.findings:
        lines.append(t("summary.findings_label") + _findings_line(report))
        lines += [f"    - [{t('severity.' + f.severity)}] {f.message}" for f in report.findings]
    for warning in report.warnings:
        lines.append(f"  {t('warning.prefix')}{warning}")
    return "\n".join(lines)


def file_mode() -> int:
    """Return the permissions a new file gets under this process's umask (0644 under umask 022).

    Temporary files are created 0600; outputs are set to this mode before they are renamed into
    place, so others on a shared drive can read them exactly when the umask says they may.
    """
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, so no reader sees half a file.

    The file gets the permissions of :func:`file_mode` (the umask), not the 0600 of a temporary file.
    """
    import tempfile
    from pathlib import Path

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, file_mode())
        if isinstance(data, bytes):
            with os.fdopen(fd, "wb") as binary:
                binary.write(data)
                binary.flush()
                os.fsync(binary.fileno())
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


# The flat tables: columns and their types ("str", "int", "float", "bool"). The types decide
# how a value is written where types exist: numbers as numbers in the workbook and in Parquet.
TABLES: dict[str, list[tuple[str, str]]] = {
    "reports": [("file", "str"), ("status", "str"), ("department", "str"), ("year", "int"), ("filled_date", "str"),
                ("score", "float"), ("title", "str"), ("format", "str"), ("pages", "int"), ("paragraphs", "int"),
                ("top_categories", "str"), ("indicators", "int"), ("indicators_met", "int"),
                ("indicators_not_met", "int"), ("indicators_not_comparable", "int"), ("findings", "int"),
                ("findings_error", "int"), ("findings_warning", "int"), ("findings_info", "int"),
                ("findings_no_severity", "int"), ("error", "str")],
    "paragraphs": [("file", "str"), ("paragraph", "str"), ("page", "int"), ("start", "int"), ("end", "int"),
                   ("section_path", "str"), ("numbering", "str"), ("primary", "str"), ("labels", "str"),
                   ("text", "str")],
    "quantities": [("file", "str"), ("paragraph", "str"), ("page", "int"), ("start", "int"), ("end", "int"),
                   ("surface", "str"), ("value", "float"), ("multiplier", "float"), ("normalized", "float"),
                   ("unit", "str"), ("kind", "str"), ("comparator", "str"), ("role", "str"), ("metric", "str"),
                   ("dimension", "str"), ("dimension_level1", "str"), ("direction", "str")],
    "indicators": [("file", "str"), ("indicator", "str"), ("level1", "str"), ("level2", "str"), ("name", "str"),
                   ("target", "str"), ("actual", "str"), ("status", "str"), ("rule", "str"), ("dimension", "str"),
                   ("analysis", "str")],
    "links": [("file", "str"), ("paragraph", "str"), ("quantity", "str"), ("surface", "str"), ("start", "int"),
              ("end", "int"), ("indicator", "str"), ("score", "float"), ("kind", "str")],
    "findings": [("file", "str"), ("kind", "str"), ("code", "str"), ("severity", "str"), ("measure", "str"),
                 ("message", "str"), ("values", "str"), ("scope", "str"), ("explained", "bool"), ("explanation", "str"),
                 ("evidence", "str")],
    "errors": [("file", "str"), ("class", "str"), ("message", "str")],
    "skipped": [("file", "str"), ("reason", "str"), ("message", "str")],
}
#: Tables with a row per paragraph or per quantity: the bulk of an archive, and the only ones
#: that carry the reports' text. Their CSVs are gzip-compressed unless a run asks for them plain.
BULK_TABLES = ("paragraphs", "quantities")
#: Column names of every table (the CSV headers).
TABLE_COLUMNS: dict[str, list[str]] = {name: [c for c, _ in columns] for name, columns in TABLES.items()}
#: Severities of findings counted in their own column of the reports table.
SEVERITIES = ("error", "warning", "info")
#: Column widths in the workbook (characters); other columns get 12.
WIDTHS = {"file": 36, "text": 80, "message": 60, "rule": 40, "evidence": 50, "analysis": 40, "section_path": 40,
          "department": 30, "title": 40, "top_categories": 36, "name": 30, "labels": 30, "metric": 20,
          "surface": 16, "values": 24, "error": 60, "target": 16, "actual": 16, "filled_date": 14}


def csv_name(table: str, compress: bool = True) -> str:
    """Return the file name of ``table``'s CSV: ``<table>.csv.gz`` for a bulk table when compressed.

    >>> csv_name("quantities"), csv_name("quantities", compress=False), csv_name("findings")
    ('quantities.csv.gz', 'quantities.csv', 'findings.csv')
    """
    return f"{table}.csv.gz" if compress and table in BULK_TABLES else f"{table}.csv"


def column_title(table: str, column: str) -> str:
    """Return the header a person reads for ``column`` of ``table`` (Chinese by default; the identifier in English)."""
    from nlp.messages import CATALOGUE, t

    for key in (f"column.{table}.{column}", f"column.{column}"):
        if key in CATALOGUE:
            return t(key)
    return column


def report_row(name: str, report: dict[str, Any] | None, error: dict[str, str] | None) -> dict[str, Any]:
    """Return the one-row summary of a file's result: metadata, counts, indicators, findings by severity."""
    if error is not None or report is None:
        return {"file": name, "status": "failed", "error": (error or {}).get("message")}
    meta = report.get("metadata") or {}
    paragraphs = report.get("paragraphs", [])
    categories = Counter(p["primary"] for p in paragraphs if p.get("primary"))
    status = Counter(r.get("status") for r in report.get("indicators", []))
    findings = report.get("findings", [])
    severity = Counter(f.get("severity") for f in findings)
    row: dict[str, Any] = {
        "file": name, "status": "done", "department": meta.get("department"), "year": meta.get("year"),
        "filled_date": meta.get("filled_date"), "score": meta.get("score"), "title": meta.get("title"),
        "format": report.get("format"), "pages": report.get("page_count"), "paragraphs": len(paragraphs),
        "top_categories": "; ".join(f"{k} {v}" for k, v in categories.most_common(3)),
        "indicators": sum(status.values()), "indicators_met": status["met"], "indicators_not_met": status["not_met"],
        "indicators_not_comparable": status["not_comparable"], "findings": len(findings),
        "findings_no_severity": sum(v for k, v in severity.items() if k not in SEVERITIES),
    }
    row.update({f"findings_{s}": severity[s] for s in SEVERITIES})
    return row


def table_rows(name: str, report: dict[str, Any] | None, error: dict[str, str] | None
               ) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (table, row) for every flat-table row of one file's result, its ``reports`` row first."""
    yield "reports", report_row(name, report, error)
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


def typed(value: Any, kind: str) -> Any:
    """Return ``value`` as the column type says: numbers (exact Decimals) from their JSON strings, None when empty.

    >>> typed("86.42", "float"), typed("3", "int"), typed("", "float"), typed("≥95%", "float")
    (Decimal('86.42'), 3, None, None)
    """
    from decimal import Decimal, InvalidOperation

    if value is None or value == "":
        return None
    if kind == "int":
        try:
            return int(value)
        except (TypeError, ValueError):
            return None
    if kind == "float":
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return Decimal(str(value)) if isinstance(value, float) else value
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            return None
        return number if number.is_finite() else None
    if kind == "bool":
        return bool(value)
    return str(value)


class BatchWriter:
    """Write every output of a batch run into temporary files, then rename them all into place.

    ``reports.jsonl.gz``, one CSV per table (UTF-8 with BOM so Excel shows Chinese; the bulk
    tables ``paragraphs`` and ``quantities`` gzip-compressed; everything plain with
    ``compress=False``), ``reports.xlsx`` (``xlsx=True``, openpyxl's
    write-only mode: a sheet per table, ``reports`` first, typed numbers, frozen header,
    filters, widths) and ``<table>.parquet`` (``parquet=True``). Rows stream through; memory
    stays flat however many reports pass. Nothing replaces the previous outputs until
    :meth:`commit`; outputs of a kind this run does not write (a workbook from an earlier
    ``--xlsx`` run) are removed then, so no table is ever left stale.
    """

    #: Every output name a writer may produce (the rest of OUT is left alone).
    OUTPUTS = ("reports.jsonl", "reports.jsonl.gz", "reports.xlsx", *(f"{name}.csv" for name in TABLES),
               *(f"{name}.csv.gz" for name in BULK_TABLES), *(f"{name}.parquet" for name in TABLES))
    PARQUET_BATCH = 20_000

    def __init__(self, out_dir: str | os.PathLike[str], xlsx: bool = False, parquet: bool = False,
                 compress: bool = True) -> None:
        import csv
        from pathlib import Path

        self.out = Path(out_dir)
        self.out.mkdir(parents=True, exist_ok=True)
        self._temps: dict[Path, Path] = {}
        self._handles: list[Any] = []
        self._layers: list[Any] = []
        self._mode = file_mode()
        #: The file the reports are written to (the archive's store): reports.jsonl.gz, or reports.jsonl plain.
        self.store = "reports.jsonl.gz" if compress else "reports.jsonl"
        self._reports: Any = self._open_text(self.store)
        self._writers = {}
        for name, columns in TABLE_COLUMNS.items():
            handle = self._open_text(csv_name(name, compress))
            handle.write("\ufeff")  # a BOM makes Excel read the file as UTF-8, so Chinese shows correctly
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
            writer.writeheader()
            self._writers[name] = writer
        self._book: Any = None
        self._sheets: dict[str, Any] = {}
        self._rows_written: Counter[str] = Counter()
        if xlsx:
            self._open_book()
        self._parquet: dict[str, Any] = {}
        self._pending: dict[str, list[dict[str, Any]]] = {}
        if parquet:
            self._open_parquet()

    def _open_temp(self, name: str, binary: bool = False) -> Any:
        import tempfile
        from pathlib import Path

        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.out)
        os.fchmod(fd, self._mode)
        self._temps[self.out / name] = Path(tmp)
        handle = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        self._handles.append(handle)
        return handle

    def _open_text(self, name: str) -> Any:
        """Open a temporary text file for ``name``, through gzip when the name ends in ``.gz``."""
        if not name.endswith(".gz"):
            return self._open_temp(name)
        import gzip

        raw = self._open_temp(name, binary=True)
        layer = gzip.open(raw, "wt", encoding="utf-8", newline="", compresslevel=6)
        self._layers.append(layer)  # closed (its gzip trailer written) before the file under it
        return layer

    def _temp_path(self, name: str) -> Any:
        import tempfile
        from pathlib import Path

        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.out)
        os.close(fd)
        self._temps[self.out / name] = Path(tmp)
        return Path(tmp)

    def _open_book(self) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        self._book = Workbook(write_only=True)
        bold = Font(bold=True)
        for name, columns in TABLES.items():
            sheet = self._book.create_sheet(title=name)
            sheet.freeze_panes = "A2"
            for index, (column, kind) in enumerate(columns, start=1):
                width = WIDTHS.get(column, 12 if kind != "str" else 16)
                sheet.column_dimensions[get_column_letter(index)].width = width
            header = []
            for column, _ in columns:
                cell = WriteOnlyCell(sheet, value=column_title(name, column))
                cell.font = bold
                header.append(cell)
            sheet.append(header)
            self._sheets[name] = sheet

    def _open_parquet(self) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError as exc:
            from nlp.errors import NlpError
            from nlp.messages import t

            raise NlpError(t("batch.no_pyarrow")) from exc
        types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
        for name, columns in TABLES.items():
            schema = pa.schema([(column, types[kind]) for column, kind in columns])
            path = self._temp_path(f"{name}.parquet")
            os.chmod(path, self._mode)
            self._parquet[name] = (pq.ParquetWriter(str(path), schema, compression="zstd"), schema)
            self._pending[name] = []

    def add(self, name: str, report: dict[str, Any] | None, error: dict[str, str] | None) -> None:
        """Append one file's result to every output."""
        if report is not None:
            self._reports.write(json.dumps(report, ensure_ascii=False) + "\n")
        for table, row in table_rows(name, report, error):
            self.add_row(table, row)

    def add_row(self, table: str, row: dict[str, Any]) -> None:
        """Append one row to ``table`` in every format."""
        self._writers[table].writerow({k: ("" if row.get(k) is None else row.get(k)) for k in TABLE_COLUMNS[table]})
        self._rows_written[table] += 1
        if self._book is not None:
            from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

            values = [typed(row.get(column), kind) for column, kind in TABLES[table]]
            self._sheets[table].append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
        if self._parquet:
            pending = self._pending[table]
            pending.append({column: _plain(typed(row.get(column), kind)) for column, kind in TABLES[table]})
            if len(pending) >= self.PARQUET_BATCH:
                self._flush_parquet(table)

    def _flush_parquet(self, table: str) -> None:
        import pyarrow as pa

        pending = self._pending[table]
        if pending:
            writer, schema = self._parquet[table]
            writer.write_table(pa.Table.from_pylist(pending, schema=schema))
            pending.clear()

    def commit(self, summary: dict[str, Any]) -> None:
        """Close every temporary file, then rename all of them into place, summary.json last."""
        for layer in self._layers:
            layer.close()
        for handle in self._handles:
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
        if self._book is not None:
            from openpyxl.utils import get_column_letter

            for name, sheet in self._sheets.items():
                last = get_column_letter(len(TABLES[name]))
                sheet.auto_filter.ref = f"A1:{last}{self._rows_written[name] + 1}"
            book = self._temp_path("reports.xlsx")
            self._book.save(book)
            os.chmod(book, self._mode)
        for table in list(self._parquet):
            self._flush_parquet(table)
            self._parquet.pop(table)[0].close()
        for target, temporary in self._temps.items():
            os.replace(temporary, target)
        for name in self.OUTPUTS:
            if self.out / name not in self._temps:
                (self.out / name).unlink(missing_ok=True)
        self._temps.clear()
        write_atomic(self.out / "summary.json", json.dumps(summary, ensure_ascii=False, indent=2) + "\n")

    def discard(self) -> None:
        """Remove the temporary files after a failure; the previous outputs stay as they were."""
        for handle in [*self._layers, *self._handles]:
            if not handle.closed:
                try:
                    handle.close()
                except OSError:
                    pass
        for writer, _ in self._parquet.values():
            try:
                writer.close()
            except Exception:  # the file is removed below anyway
                pass
        self._parquet.clear()
        for tmp in self._temps.values():
            tmp.unlink(missing_ok=True)


def _plain(value: Any) -> Any:
    """Return Decimals as floats (Parquet columns of type float64)."""
    from decimal import Decimal

    return float(value) if isinstance(value, Decimal) else value
