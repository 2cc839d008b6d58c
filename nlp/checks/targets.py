"""Report indicator rows that miss their target (``target.unmet``), with the report's explanation.

The explanation is the row's own 偏差原因 cell, else a narrative sentence
naming the indicator with 原因/由于/因/受…影响, quoted.
"""

from __future__ import annotations

import re

from nlp.checks.finding import Evidence, Finding
from nlp.document import Report
from nlp.indicators import IndicatorRow
from nlp.messages import t
from nlp.scope import metric_core, report_year

# Words that say why a row missed its target, as its 偏差原因 cell states it.
EXPLAINED = re.compile(r"原因|由于|因为|因(?=[\u4e00-\u9fff])|受.{0,12}影响|调整|改为|变更|延期|未能|尚未")
_REASON_SENTENCE = re.compile(r"原因|由于|因为|受[^。；;]{0,20}影响|因(?=[\u4e00-\u9fff]{2})")
_NO_REASON = re.compile(r"^\s*(?:无|/|—|-|－|－－|——|不适用|)\s*$")


def explanation_of(row: IndicatorRow, report: Report) -> str | None:
    """Return the report's explanation of why ``row`` missed its target, quoted: its own cell, else a sentence."""
    cell = row.analysis.strip()
    if cell and not _NO_REASON.match(cell) and (EXPLAINED.search(cell) or len(cell) >= 8):
        return cell
    name = row.name.strip()
    core = metric_core(name)
    for paragraph in report.paragraphs:
        text = paragraph.text
        if not (name and name in text) and not (len(core) >= 3 and core in text):
            continue
        for match in re.finditer(r"[^。；;！？\n]+[。；;！？]?", text):
            sentence = match.group(0)
            if (name in sentence or (len(core) >= 3 and core in sentence)) and _REASON_SENTENCE.search(sentence):
                return sentence.strip()
        # The reason may follow in the next sentence ("……未达到目标。主要原因是……").
        position = text.find(name) if name in text else text.find(core)
        follow = re.search(r"[^。；;]*(?:主要原因|原因是|由于|受[^。；;]{0,20}影响)[^。；;]*[。；;]?", text[position:])
        if follow:
            return follow.group(0).strip()
    return None


def unmet(report: Report) -> list[Finding]:
    """Return a finding per indicator row that misses its target, quoting the report's explanation if any."""
    findings = []
    pages = {tb.id: tb.page for tb in report.tables}
    for row in report.indicators:
        if row.status != "not_met":
            continue
        reason = explanation_of(row, report)
        key = "finding.target.unmet_explained" if reason else "finding.target.unmet"
        finding = Finding("unmet", row.name, t(key, measure=row.name, target=row.target, actual=row.actual,
                                                 reason=reason or ""),
                          [row.target, row.actual],
                          [Evidence(None, None, row.actual, None, pages.get(row.table), row.table, row.id, "actual",
                                    row.actual_quantity.to_dict() if row.actual_quantity else None)],
                          explained=reason is not None, code="target.unmet", severity="error",
                          scope={"item": row.name, "year": report_year(report), "fund": [], "stage": None,
                                 "unit": row.target_quantity.base_unit if row.target_quantity else "",
                                 "table": row.table},
                          explanation=reason)
        findings.append(finding)
    return findings
