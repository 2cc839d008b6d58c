"""Define what every reader returns: visual lines and tables, in reading order.

Readers do not decide what is a paragraph or a heading; they report what the
file shows (a line, where it starts, whether it fills the line, whether the
format itself marks a paragraph end) and :mod:`nlp.structure` recovers the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Line:
    """One visual line (PDF, text) or one paragraph (DOCX) of the source."""

    text: str
    page: int | None = None
    #: The line starts further right than the page's text column (a first-line indent).
    indented: bool | None = None
    #: The line reaches the right edge of the text column (so its paragraph may go on).
    full: bool | None = None
    #: The format itself says a paragraph ends here (a DOCX paragraph).
    hard_break: bool = False
    #: A heading level the format states (a DOCX "Heading N" style), if any.
    heading_level: int | None = None
    #: Lines on either side of a blank line (text) are separated by one.
    blank_before: bool = False
    #: Position on the page (PDF): left and right edge, font size.
    box: tuple[float, float, float] | None = None


@dataclass
class RawTable:
    """A table as cells, rows top to bottom, ``None`` or ``""`` for empty cells."""

    rows: list[list[str]]
    page: int | None = None
    pages: list[int] = field(default_factory=list)
    #: Index in the line list before which the table stands.
    position: int = 0
    #: Where the grid came from: "pdf", "docx", "text", "xlsx", "xls", "html", "ofd" or "ocr".
    origin: str = "text"


@dataclass
class RawDocument:
    """What a reader extracted from one file."""

    format: str
    lines: list[Line]
    tables: list[RawTable] = field(default_factory=list)
    page_count: int = 1
    warnings: list[str] = field(default_factory=list)
    #: Label/value facts the format states outside the text (a spreadsheet's 项目名称 | X cells).
    fields: dict[str, str] = field(default_factory=dict)
    #: Pages read by OCR, with the mean confidence of their recognised text.
    ocr_pages: dict[int, float] = field(default_factory=dict)
