"""Render tagged reports as standalone review pages (HTML), and an index page for a batch.

The renderer reads a report's plain dict (``Report.to_dict()``, or a line of a batch's
``reports.jsonl``), builds a view of it (:func:`page_view`: paragraphs cut into text and
quantity segments, indicator rows, findings with the spans they point at), and fills the
Jinja2 templates in ``nlp/resources/templates``. Every piece of report text goes through
autoescaping, the page's own script is the only one allowed to run (a Content-Security-Policy
with its hash), and nothing is loaded from the network: the page opens from a file share.

>>> from nlp.tagging import Tagging
>>> page = render_report(Tagging(classify=False).tag_text("一、总体情况\\n全年办件量86.42万件。").to_dict())
>>> page.startswith("<!DOCTYPE html>") and "86.42万件" in page
True
"""

from __future__ import annotations

import base64
import csv
import functools
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

# Chinese names of the machine fields a reviewer sees; unknown values are shown as they are.
STATUS_NAMES = {"met": "已达成", "not_met": "未达成", "not_comparable": "无法比较"}
KIND_NAMES = {"conflict": "前后矛盾", "arithmetic": "计算不符", "unmet": "指标未达成"}
ROLE_NAMES = {"actual": "实际", "target": "目标", "baseline": "基数", "change": "变化"}
SEVERITY_NAMES = {"critical": "严重", "high": "高", "error": "错误", "medium": "中", "warning": "警告",
                  "low": "低", "info": "提示"}
#: Severities from most to least serious; findings without one come last as 未分级.
SEVERITY_ORDER = ("critical", "high", "error", "medium", "warning", "low", "info")
UNRATED = "未分级"
#: Colours of category chips, given out in the order categories first appear.
PALETTE = 12


@functools.cache
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    folder = Path(str(resources.files("nlp") / "resources" / "templates"))
    env = Environment(loader=FileSystemLoader(folder), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return env


@functools.cache
def _asset(name: str) -> str:
    return (resources.files("nlp") / "resources" / "templates" / name).read_text(encoding="utf-8")


def _csp(script: str) -> str:
    """Return the page's Content-Security-Policy: no network, and only the page's own script runs."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{digest}'; "
            "base-uri 'none'; form-action 'none'")


def _fill(template: str, script_name: str, **context: Any) -> str:
    from markupsafe import Markup

    script = _asset(script_name)
    return str(_environment().get_template(template).render(
        css=Markup(_asset("review.css")), script=Markup(script), csp=_csp(script), **context))


def render_report(report: dict[str, Any], index: str | None = None) -> str:
    """Return the standalone review page of one report (its ``to_dict()`` form); ``index`` links back to a batch index."""
    return _fill("report.html.j2", "review.js", page=page_view(report), index=index)


def render_index(rows: Iterable[dict[str, Any]], title: str = "报告审阅索引") -> str:
    """Return the index page: a sortable table of :func:`index_row` rows."""
    rows = list(rows)
    severities = _severity_columns(rows)
    return _fill("index.html.j2", "index.js", rows=rows, severities=severities, title=title)


# ---------------------------------------------------------------------------- the view of one report


def page_view(report: dict[str, Any]) -> dict[str, Any]:
    """Return what the report template shows, computed from the report dict alone."""
    paragraphs = report.get("paragraphs") or []
    findings = report.get("findings") or []
    indicators = report.get("indicators") or []
    colours = _category_colours(paragraphs)
    evidence_by_paragraph: dict[str, list[tuple[int, int]]] = {}
    for finding in findings:
        for ev in finding.get("evidence") or []:
            if ev.get("paragraph") is not None and ev.get("start") is not None:
                evidence_by_paragraph.setdefault(str(ev["paragraph"]), []).append((int(ev["start"]), int(ev["end"])))
    links = _links_by_quantity(report.get("links") or [], indicators)
    views = [_paragraph_view(p, colours, evidence_by_paragraph.get(str(p["id"]), []), links) for p in paragraphs]
    meta = report.get("metadata") or {}
    categories = Counter(label for view in views for label in view["label_names"])
    kinds = Counter(str(f.get("kind")) for f in findings)
    status = Counter(str(r.get("status")) for r in indicators)
    return {
        "source": str(report.get("source") or ""),
        "format": str(report.get("format") or ""),
        "page_count": report.get("page_count"),
        "title": meta.get("title") or "",
        "department": meta.get("department") or "",
        "year": meta.get("year"),
        "score": meta.get("score"),
        "stages": report.get("stages") or {},
        "warnings": [str(w) for w in report.get("warnings") or []],
        "blocks": _blocks(report.get("sections") or [], views),
        "outline": [{"anchor": f"sec-{s['id']}", "level": int(s.get("level") or 1),
                     "heading": f"{s.get('numbering') or ''}{s.get('heading') or ''}"}
                    for s in report.get("sections") or []],
        "paragraph_count": len(views),
        "quantity_count": sum(len(v["quantities"]) for v in views),
        "categories": [{"name": name, "count": n, "colour": colours.get(name, 0)}
                       for name, n in categories.most_common()],
        "indicators": [_indicator_view(r) for r in indicators],
        "indicator_status": {STATUS_NAMES.get(k, k): n for k, n in sorted(status.items())},
        "findings": [_finding_view(i, f, indicators) for i, f in enumerate(findings)],
        "kinds": [{"kind": k, "name": KIND_NAMES.get(k, k), "count": n} for k, n in kinds.most_common()],
        "tables": [t for t in report.get("tables") or [] if t.get("kind") != "indicator"],
    }


def _category_colours(paragraphs: list[dict[str, Any]]) -> dict[str, int]:
    colours: dict[str, int] = {}
    for p in paragraphs:
        for label in p.get("labels") or []:
            colours.setdefault(str(label["label"]), len(colours) % PALETTE)
    return colours


def _links_by_quantity(links: list[dict[str, Any]], indicators: list[dict[str, Any]]) -> dict[tuple[str, int], str]:
    names = {str(r.get("id")): str(r.get("name") or "") for r in indicators}
    return {(str(link["paragraph"]), int(link["quantity"])): names.get(str(link.get("indicator")), "")
            for link in links if link.get("paragraph") is not None and link.get("quantity") is not None}


def _paragraph_view(p: dict[str, Any], colours: dict[str, int], evidence: list[tuple[int, int]],
                    links: dict[tuple[str, int], str]) -> dict[str, Any]:
    start = int(p.get("start") or 0)
    text = str(p.get("text") or "")
    explanation = p.get("explanation") or {}
    labels = [{"name": str(x["label"]), "score": f"{float(x['score']):.2f}", "colour": colours.get(str(x["label"]), 0),
               "terms": "、".join(map(str, explanation.get(str(x["label"])) or []))}
              for x in p.get("labels") or []]
    quantities = [_quantity_view(q, start, links.get((str(p["id"]), i), "")) for i, q in enumerate(p.get("quantities") or [])]
    return {"id": str(p["id"]), "anchor": f"p-{p['id']}", "section": p.get("section"), "page": p.get("page"),
            "primary": p.get("primary") or "", "labels": labels, "label_names": [x["name"] for x in labels],
            "quantities": quantities, "segments": _segments(text, start, quantities, evidence)}


def _quantity_view(q: dict[str, Any], offset: int, indicator: str) -> dict[str, Any]:
    role = q.get("role") or ""
    parts = [f"数值 {q.get('value')}", f"单位 {q.get('unit') or '—'}", f"角色 {ROLE_NAMES.get(role, role) or '—'}",
             f"指标 {q.get('metric') or '—'}"]
    if indicator:
        parts.append(f"对应指标表 {indicator}")
    return {"start": offset + int(q["start"]), "end": offset + int(q["end"]), "role": role or "none",
            "tip": " · ".join(parts)}


def _segments(text: str, offset: int, quantities: list[dict[str, Any]],
              evidence: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """Cut ``text`` into plain runs, quantities, and evidence spans that are not quantities (no overlaps)."""
    spans: list[tuple[int, int, dict[str, Any] | None]] = [(q["start"] - offset, q["end"] - offset, q) for q in quantities]
    spans += [(s - offset, e - offset, None) for s, e in evidence]
    spans.sort(key=lambda x: (x[0], x[2] is None, -(x[1] - x[0])))
    out: list[dict[str, Any]] = []
    at = 0
    for s, e, quantity in spans:
        if s < at or e > len(text) or s >= e:
            continue  # overlaps what is already marked, or points outside the text
        if s > at:
            out.append(_plain(text[at:s]))
        out.append({"kind": "quantity" if quantity else "evidence", "text": text[s:e], "start": s + offset,
                    "end": e + offset, "quantity": quantity})
        at = e
    if at < len(text):
        out.append(_plain(text[at:]))
    return out


def _plain(text: str) -> dict[str, Any]:
    return {"kind": "plain", "text": text, "start": None, "end": None, "quantity": None}


def _blocks(sections: list[dict[str, Any]], views: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return headings and paragraphs in reading order (paragraphs before the first heading first)."""
    by_section: dict[Any, list[dict[str, Any]]] = {}
    for view in views:
        by_section.setdefault(view["section"], []).append(view)
    known = {s["id"] for s in sections}
    blocks: list[dict[str, Any]] = [{"paragraph": v} for key, vs in by_section.items() if key not in known for v in vs]
    for s in sections:
        blocks.append({"heading": f"{s.get('numbering') or ''}{s.get('heading') or ''}", "anchor": f"sec-{s['id']}",
                       "level": min(int(s.get("level") or 1) + 1, 6), "page": s.get("page")})
        blocks += [{"paragraph": v} for v in by_section.get(s["id"], [])]
    return blocks


def _indicator_view(row: dict[str, Any]) -> dict[str, Any]:
    status = str(row.get("status") or "")
    return {"id": str(row.get("id")), "anchor": f"ind-{row.get('id')}", "level1": row.get("level1") or "",
            "level2": row.get("level2") or "", "name": row.get("name") or "", "target": row.get("target") or "",
            "actual": row.get("actual") or "", "status": status, "status_name": STATUS_NAMES.get(status, status),
            "rule": row.get("rule") or "", "analysis": row.get("analysis") or ""}


def _finding_view(index: int, finding: dict[str, Any], indicators: list[dict[str, Any]]) -> dict[str, Any]:
    kind = str(finding.get("kind") or "")
    severity = finding.get("severity")
    evidence = [_evidence_view(e) for e in finding.get("evidence") or []]
    spans = [e for e in evidence if e["start"] is not None]
    measure = str(finding.get("measure") or "")
    # A finding about an indicator row (no text evidence) points at the row of that name.
    rows = [] if spans else [f"ind-{r.get('id')}" for r in indicators if measure and r.get("name") == measure]
    return {"anchor": f"f-{index}", "kind": kind, "kind_name": KIND_NAMES.get(kind, kind), "measure": measure,
            "code": str(finding.get("code") or kind),
            "message": str(finding.get("message") or ""), "figures": [str(v) for v in finding.get("values") or []],
            "severity": str(severity) if severity else "",
            "severity_name": SEVERITY_NAMES.get(str(severity), str(severity)) if severity else "",
            "explained": finding.get("explained"), "evidence": evidence,
            "spans": " ".join(f"{e['start']}-{e['end']}" for e in spans), "rows": " ".join(rows)}


def _evidence_view(e: dict[str, Any]) -> dict[str, Any]:
    """A piece of evidence: a span of the report text, or a table cell (table, row, column; no span)."""
    text = str(e.get("text") or "")
    if e.get("start") is None:
        where = "/".join(str(e[k]) for k in ("table", "row", "column") if e.get(k) is not None)
        return {"start": None, "end": None, "text": f"{text}（表 {where}）" if where else text, "page": e.get("page"),
                "paragraph": None}
    return {"start": int(e["start"]), "end": int(e["end"]), "text": text, "page": e.get("page"),
            "paragraph": e.get("paragraph")}


# ---------------------------------------------------------------------------- the index of a batch


def index_row(report: dict[str, Any] | None, page: str | None, source: str,
              error: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the index-table row of one file: its report's key figures, or its error."""
    report = report or {}
    meta = report.get("metadata") or {}
    categories = Counter(str(p.get("primary")) for p in report.get("paragraphs") or [] if p.get("primary"))
    status = Counter(str(r.get("status")) for r in report.get("indicators") or [])
    severities = Counter(_severity(f) for f in report.get("findings") or [])
    return {"source": source, "page": page, "department": meta.get("department") or "", "year": meta.get("year"),
            "score": meta.get("score"), "pages": report.get("page_count") if report else None,
            "paragraphs": len(report.get("paragraphs") or []),
            "categories": [f"{k} {n}" for k, n in categories.most_common(3)],
            "met": status.get("met", 0), "not_met": status.get("not_met", 0),
            "indicators": sum(status.values()), "findings": dict(severities),
            "finding_total": sum(severities.values()),
            "error": f"{error.get('class', '')}: {error.get('message', '')}" if error else ""}


def _severity(finding: dict[str, Any]) -> str:
    severity = finding.get("severity")
    return str(severity) if severity else UNRATED


def _severity_columns(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    seen: set[str] = {str(k) for row in rows for k in row["findings"]}
    ordered = [s for s in SEVERITY_ORDER if s in seen] + sorted(seen - set(SEVERITY_ORDER) - {UNRATED})
    if UNRATED in seen or not ordered:
        ordered.append(UNRATED)
    return [{"key": s, "name": SEVERITY_NAMES.get(s, s)} for s in ordered]


def page_name(source: str, taken: set[str]) -> str:
    """Return a file name for the page of ``source``, unique within ``taken`` (which it joins).

    >>> taken: set[str] = set()
    >>> page_name("县区0/report.txt", taken), page_name("县区0 report.txt", taken)
    ('县区0_report.txt.html', '县区0_report.txt-2.html')
    """
    stem = re.sub(r"[^\w.\-]+", "_", source).strip("._") or "report"
    name, n = f"{stem[:150]}.html", 1
    while name.lower() in taken:
        n += 1
        name = f"{stem[:150]}-{n}.html"
    taken.add(name.lower())
    return name


def write_pages(out_dir: Path, results: Iterable[tuple[str, dict[str, Any] | None, dict[str, Any] | None]]) -> Path:
    """Write a page per report and ``index.html`` into ``out_dir``; return the index's path.

    ``results`` yields (source, report dict or None, error or None), one file at a time, so
    memory holds one report and the small index rows only.
    """
    from nlp.export import write_atomic

    out_dir.mkdir(parents=True, exist_ok=True)
    taken: set[str] = {"index.html"}
    rows = []
    for source, report, error in results:
        page = None
        if report is not None:
            page = page_name(source, taken)
            write_atomic(out_dir / page, render_report(report, index="index.html"))
        rows.append(index_row(report, page, source, error))
    rows.sort(key=lambda row: row["source"])
    index = out_dir / "index.html"
    write_atomic(index, render_index(rows))
    return index


def batch_results(out_dir: Path) -> Iterator[tuple[str, dict[str, Any] | None, dict[str, Any] | None]]:
    """Yield (source, report, error) from a batch folder's ``reports.jsonl[.gz]`` and ``errors.csv``."""
    import gzip

    for reports in (out_dir / "reports.jsonl.gz", out_dir / "reports.jsonl"):
        if not reports.is_file():
            continue
        opener = gzip.open if reports.suffix == ".gz" else open
        with opener(reports, "rt", encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    report = json.loads(line)
                    yield str(report.get("source") or ""), report, None
        break
    errors = out_dir / "errors.csv"
    if errors.is_file():
        with errors.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                yield str(row.get("file") or ""), None, {"class": row.get("class") or "", "message": row.get("message") or ""}


def write_batch_html(out_dir: Path, folder: str = "html") -> Path:
    """Write the review pages of a finished batch into ``out_dir/html``; return the index's path."""
    return write_pages(out_dir / folder, batch_results(out_dir))
