"""The document model every stage reads and enriches.

A :class:`Report` holds the text recovered from one file, its sections,
paragraphs and tables. Later stages add categories and quantities to
paragraphs, and indicator rows, links and findings to the report. Every
paragraph carries a character span into :attr:`Report.text`, so every output
row can be traced back to its file, page, paragraph and characters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

#: Bumped whenever the JSON produced by :meth:`Report.to_dict` changes shape.
SCHEMA_VERSION = "1.0"


@dataclass
class Metadata:
    """Facts about the report stated in its text."""

    title: str | None = None
    department: str | None = None
    year: int | None = None
    filled_date: str | None = None
    score: Decimal | None = None
    #: Every "名称：值" field line of the report's front matter, as written.
    fields: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "department": self.department,
            "year": self.year,
            "filled_date": self.filled_date,
            "score": None if self.score is None else str(self.score),
            "fields": dict(self.fields),
        }


@dataclass
class Section:
    """A heading and the level it opens."""

    id: str
    heading: str
    level: int
    numbering: str | None
    page: int | None
    start: int
    end: int
    parent: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "heading": self.heading, "level": self.level, "numbering": self.numbering,
                "page": self.page, "start": self.start, "end": self.end, "parent": self.parent}


@dataclass
class Label:
    """A category assigned to a paragraph, with its calibrated score."""

    label: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "score": round(self.score, 4)}


@dataclass
class Paragraph:
    """A narrative paragraph, re-joined across line wraps and page breaks."""

    id: str
    text: str
    section: str | None
    section_path: list[str]
    page: int | None
    start: int
    end: int
    numbering: str | None = None
    primary: str | None = None
    labels: list[Label] = field(default_factory=list)
    explanation: dict[str, list[str]] = field(default_factory=dict)
    quantities: list[Any] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "text": self.text, "section": self.section, "section_path": list(self.section_path),
            "page": self.page, "start": self.start, "end": self.end, "numbering": self.numbering,
            "primary": self.primary, "labels": [label.to_dict() for label in self.labels],
            "explanation": {k: list(v) for k, v in self.explanation.items()},
            "quantities": [q.to_dict() for q in self.quantities],
        }


@dataclass
class Table:
    """A table kept as cells; ``kind`` is "indicator" for a performance indicator table."""

    id: str
    kind: str
    header: list[str]
    rows: list[list[str]]
    caption: str | None
    section: str | None
    page: int | None
    pages: list[int]
    origin: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "caption": self.caption, "header": list(self.header),
                "rows": [list(r) for r in self.rows], "section": self.section, "page": self.page,
                "pages": list(self.pages), "origin": self.origin}


@dataclass
class Report:
    """One report file, read and enriched by the pipeline's stages."""

    source: str
    sha256: str
    format: str
    page_count: int
    text: str
    metadata: Metadata = field(default_factory=Metadata)
    sections: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    indicators: list[Any] = field(default_factory=list)
    links: list[Any] = field(default_factory=list)
    findings: list[Any] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Lines dropped from the text as page furniture (running headers, footers,
    #: page numbers): {"page": int | None, "text": str}, in reading order.
    furniture: list[dict[str, Any]] = field(default_factory=list)
    #: Which stages have run, with the version of what they used (model, rules).
    stages: dict[str, str] = field(default_factory=dict)
    #: Pages read by OCR: {"page": int, "ocr": True, "confidence": float} (the mean recognition confidence).
    ocr_pages: list[dict[str, Any]] = field(default_factory=list)

    def section_by_id(self, section_id: str | None) -> Section | None:
        """Return the section with ``section_id``, or None."""
        return next((s for s in self.sections if s.id == section_id), None)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data (Decimals as strings)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "sha256": self.sha256,
            "format": self.format,
            "page_count": self.page_count,
            "metadata": self.metadata.to_dict(),
            "stages": dict(self.stages),
            "warnings": list(self.warnings),
            "text": self.text,
            "furniture": [dict(f) for f in self.furniture],
            "sections": [s.to_dict() for s in self.sections],
            "paragraphs": [p.to_dict() for p in self.paragraphs],
            "tables": [t.to_dict() for t in self.tables],
            "indicators": [r.to_dict() for r in self.indicators],
            "links": [x.to_dict() for x in self.links],
            "findings": [f.to_dict() for f in self.findings],
            # Only a report with OCR'd pages says so (the key is absent otherwise).
            **({"ocr_pages": [dict(p) for p in self.ocr_pages]} if self.ocr_pages else {}),
        }
