"""Run the named stages over a report: read, structure, then the enrichers.

``read_report`` is the reading half (file → :class:`Report`); ``Pipeline``
adds the stages that enrich a report (categories, quantities, indicators,
links, checks), each a callable that takes a report and returns it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from nlp.document import Report
from nlp.errors import LimitExceededError
from nlp.messages import Message

Stage = Callable[[Report], Report]


@dataclass(frozen=True)
class Limits:
    """Resource limits applied to one input file (None = no limit)."""

    max_bytes: int | None = 200 * 1024 * 1024
    max_pages: int | None = 2000
    max_chars: int | None = 5_000_000


def read_report(path: str | Path, limits: Limits | None = None) -> Report:
    """Read one report file (PDF, DOCX, TXT or Markdown) into a :class:`Report`.

    >>> report = read_report("examples/jiangling-zsj-2024-self-evaluation.docx")  # doctest: +SKIP
    >>> report.metadata.department  # doctest: +SKIP
    '江临市政务服务和数据管理局'
    """
    from nlp.readers import read_raw
    from nlp.structure import recover

    limits = limits or Limits()
    path = Path(path)
    raw, data = read_raw(path, max_bytes=limits.max_bytes, max_pages=limits.max_pages)
    chars = sum(len(line.text) for line in raw.lines)
    if limits.max_chars is not None and chars > limits.max_chars:
        raise LimitExceededError(path, Message("error.too_many_chars", chars=chars, limit=limits.max_chars),
                                 Message("advice.max_chars"))
    report = Report(source=str(path), sha256=hashlib.sha256(data).hexdigest(), format=raw.format,
                    page_count=raw.page_count, text="", warnings=list(raw.warnings))
    return recover(raw, report)


def read_text_report(text: str, source: str = "<text>") -> Report:
    """Read report text given as a string (as a TXT file would be read)."""
    from nlp.readers.text import parse_text
    from nlp.structure import recover

    data = text.encode("utf-8", "surrogatepass")
    raw = parse_text(text, Path(source))
    report = Report(source=source, sha256=hashlib.sha256(data).hexdigest(), format=raw.format,
                    page_count=raw.page_count, text="")
    return recover(raw, report)


def sha256_file(path: str | Path) -> str:
    """Return the sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Pipeline:
    """Apply stages to reports in order: ``Pipeline([stage_a, stage_b])(report)``."""

    def __init__(self, stages: Iterable[Stage]) -> None:
        self.stages = list(stages)

    def __call__(self, report: Report) -> Report:
        for stage in self.stages:
            report = stage(report)
        return report
