"""Tag reports end to end: read, then every enriching stage, with models loaded once.

>>> from nlp.tagging import Tagging
>>> tagging = Tagging()                     # doctest: +SKIP
>>> report = tagging.tag_file("report.pdf")  # doctest: +SKIP
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from nlp.document import Report
from nlp.pipeline import Limits, Pipeline, read_report, read_text_report


class Tagging:
    """Hold the loaded model and the stage list; tag files or texts with them."""

    def __init__(self, model_dir: str | Path | None = None, classify: bool = True,
                 limits: Limits | None = None) -> None:
        self.model_dir = model_dir
        self.classify = classify
        self.limits = limits or Limits()
        self._pipeline: Pipeline | None = None
        self.notes: list[str] = []

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = Pipeline(self._stages())
        return self._pipeline

    def _stages(self) -> list[Any]:
        from nlp.checks import CheckStage
        from nlp.indicators import IndicatorStage
        from nlp.quantities import QuantityStage

        stages: list[Any] = []
        if self.classify:
            from nlp.classification import ClassifyStage, load_model
            from nlp.classification.persistence import MANIFEST_FILE, default_model_dir

            if self.model_dir is None and not (default_model_dir() / MANIFEST_FILE).is_file():
                from nlp.messages import t

                self.notes.append(t("warning.no_model", path=default_model_dir()))
            else:
                stages.append(ClassifyStage(load_model(self.model_dir)))
        return stages + [QuantityStage(), IndicatorStage(), CheckStage()]

    @property
    def version(self) -> str:
        """Return what decides the output: pipeline version and model version."""
        from nlp import __version__

        model = next((s.tagger.version for s in self.pipeline.stages if hasattr(s, "tagger")), "none")
        return f"pipeline {__version__}+{code_fingerprint()}; model {model}"

    def tag_report(self, report: Report) -> Report:
        """Run every stage over an already read report."""
        report = self.pipeline(report)
        report.warnings.extend(note for note in self.notes if note not in report.warnings)
        return report

    def tag_file(self, path: str | Path) -> Report:
        """Read and tag one report file."""
        return self.tag_report(read_report(path, self.limits))

    def tag_text(self, text: str, source: str = "<text>") -> Report:
        """Read and tag report text given as a string."""
        return self.tag_report(read_text_report(text, source))


@functools.cache
def code_fingerprint() -> str:
    """Return a short hash of the package's code and resources, so that any change of rules shows.

    Computed once per process: the code a process runs does not change under it.
    """
    import hashlib
    from importlib import resources

    digest = hashlib.sha256()
    root = Path(str(resources.files("nlp")))
    for path in sorted(p for p in root.rglob("*") if p.suffix in {".py", ".toml", ".txt", ".json"}):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


_DEFAULT: Tagging | None = None


def _default() -> Tagging:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Tagging()
    return _DEFAULT


def tag_file(path: str | Path) -> Report:
    """Read and tag one report file with the shipped model."""
    return _default().tag_file(path)


def tag_text(text: str, source: str = "<text>") -> Report:
    """Read and tag report text with the shipped model."""
    return _default().tag_text(text, source)


def tag_report(report: Report) -> Report:
    """Tag a report already read with :func:`nlp.read_report`."""
    return _default().tag_report(report)
