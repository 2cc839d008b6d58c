"""Check a report's numbers the way an auditor would, and record findings with severity and evidence.

One module per family of checks: :mod:`~nlp.checks.conflicts` (one measure,
two values), :mod:`~nlp.checks.tables` (narrative against the report's
tables), :mod:`~nlp.checks.changes`, :mod:`~nlp.checks.totals` (parts and
wholes), :mod:`~nlp.checks.targets` (unmet indicator targets);
:mod:`~nlp.checks.stage` runs them all.
"""

from nlp.checks.stage import CheckStage

__all__ = ["CheckStage"]
