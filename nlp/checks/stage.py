"""Run every number check over a report and keep the findings, errors first.

Every number is first given its measure (:mod:`nlp.scope`): metric, line
item, year, fund scope, budget stage and unit; then each family of checks
reads the measured figures. Figures that add up are never flagged.
"""

from __future__ import annotations

from nlp.checks.changes import change_checks, change_conflicts
from nlp.checks.conflicts import conflicts
from nlp.checks.finding import SEVERITIES, Finding
from nlp.checks.tables import narrative_vs_tables, table_conflicts
from nlp.checks.targets import unmet
from nlp.checks.totals import share_checks, total_checks
from nlp.document import Report
from nlp.scope import Measured, measure_paragraph, report_year


class CheckStage:
    """Pipeline stage: conflict, arithmetic and unmet-target findings."""

    def __call__(self, report: Report) -> Report:
        year = report_year(report)
        measured = {p.id: measure_paragraph(p, year) for p in report.paragraphs}
        findings: list[Finding] = []
        findings += conflicts([m for ms in measured.values() for m in ms])
        findings += table_conflicts(report, measured, year)
        findings += narrative_vs_tables(report, measured, year)
        changes: list[tuple[Measured, Measured]] = []
        for paragraph in report.paragraphs:
            findings += change_checks(paragraph, measured[paragraph.id], changes, year)
            findings += total_checks(paragraph, measured[paragraph.id])
            findings += share_checks(paragraph, measured[paragraph.id])
        findings += change_conflicts(changes)
        findings += unmet(report)
        order = {s: i for i, s in enumerate(SEVERITIES)}
        findings.sort(key=lambda f: order.get(f.severity, 3))
        report.findings = findings
        report.stages["checks"] = "2"
        return report
