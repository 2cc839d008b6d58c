"""What a batch run is asked to do and what it gives back: options, one file's result, a skipped file, the summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class BatchOptions:
    """What a batch run does; workers receive a copy."""

    model_dir: str | None = None
    classify: bool = True
    max_bytes: int | None = 200 * 1024 * 1024
    max_pages: int | None = 2000
    max_chars: int | None = 5_000_000
    #: Seconds one file may take before it is abandoned and listed in errors (None: no limit).
    timeout: float | None = 300.0


@dataclass
class FileResult:
    """The outcome for one file, as :func:`batch` yields it.

    ``report`` is the tagged report as JSON-ready data: exactly ``Report.to_dict()`` (the JSON
    of ``tag --format json``, described by ``nlp/resources/report.schema.json``), with
    ``source`` set to ``relpath``; ``None`` when the file failed, or (in :func:`run_batch`'s
    progress callbacks) when an unchanged file's earlier result was reused without reading it.
    ``error`` is ``{"class": ..., "message": ...}`` when the file failed, else ``None``.
    """

    path: str
    relpath: str
    sha256: str
    key: str
    report: dict[str, Any] | None = None
    error: dict[str, str] | None = None
    seconds: float = 0.0
    #: True when the file was unchanged since an earlier run and its stored result was reused.
    skipped: bool = False

    @property
    def ok(self) -> bool:
        """True when the file was read and tagged."""
        return self.error is None

    @property
    def reused(self) -> bool:
        """True when the result is an earlier run's, kept because the file did not change."""
        return self.skipped

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "relpath": self.relpath, "sha256": self.sha256, "key": self.key,
                "report": self.report, "error": self.error, "seconds": round(self.seconds, 3)}


@dataclass(frozen=True)
class SkippedFile:
    """A file under the input folder that is not a report (an image, an archive …), with why."""

    relpath: str
    reason: str

    def row(self) -> dict[str, str]:
        from nlp.messages import t

        return {"file": self.relpath, "reason": self.reason, "message": t(f"batch.skip.{self.reason}")}


@dataclass
class BatchSummary:
    """Counts of one run (``files`` = ``done`` + ``failed``) and of the whole archive's tables.

    ``done`` counts the files tagged now (``tagged``) and those unchanged since an earlier run
    whose result was reused (``reused``); ``skipped`` counts the files that are not reports
    (listed in ``skipped.csv``), which are not among ``files``. ``reports`` and
    ``reports_failed`` and the totals below them describe the tables as written: every report
    of the archive with a result in ``parts/``, from this run or an earlier one.
    """

    files: int = 0
    done: int = 0
    tagged: int = 0
    reused: int = 0
    failed: int = 0
    skipped: int = 0
    reports: int = 0
    reports_failed: int = 0
    pages: int = 0
    paragraphs: int = 0
    seconds: float = 0.0
    categories: Counter[str] = field(default_factory=Counter)
    findings: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return {"files": self.files, "done": self.done, "tagged": self.tagged, "reused": self.reused,
                "failed": self.failed, "skipped": self.skipped, "reports": self.reports,
                "reports_failed": self.reports_failed, "pages": self.pages, "paragraphs": self.paragraphs,
                "seconds": round(self.seconds, 2),
                "files_per_second": round(self.tagged / self.seconds, 3) if self.seconds else None,
                "categories": dict(self.categories.most_common()), "findings": dict(self.findings.most_common()),
                "errors": dict(self.errors.most_common())}
