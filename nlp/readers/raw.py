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
    #: The line's font is bold (by weight, or a bold or heiti face), if the format says.
    bold: bool | None = None
    #: The line stands centred in the text column (PDF), if known.
    centred: bool | None = None
    #: Distance of the line's top from the top of its page (PDF points), if known.
    top: float | None = None


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
    #: Box on its first page (PDF): x0, top, x1, bottom.
    bbox: tuple[float, float, float, float] | None = None
    #: x of the column boundaries (PDF), left to right, to match a table continued on the next page.
    columns: list[float] | None = None
    #: Box on its last page (PDF), set when a continuation is stitched on.
    last_bbox: tuple[float, float, float, float] | None = None


@dataclass
class PageRecord:
    """How one PDF page was read."""

    page: int
    #: "pdfium", "pdfplumber" (the fallback), or "none" when the page could not be read.
    reader: str
    lines: int = 0
    tables: int = 0
    #: Characters of the text layer on the page (after removing doubled fake-bold ones).
    chars: int = 0
    #: The page has text but it is unusable (no Unicode map), or none at all (a scan).
    no_text: bool = False
    #: Why the page fell back or could not be read.
    detail: str | None = None
    #: The fallback read the whole page, by choice rather than after an error: no warning is due.
    quiet: bool = False
    #: Mean recognition confidence of a page read by OCR (reader "ocr").
    confidence: float | None = None
    #: CPU seconds spent reading the page (for benchmarks).
    seconds: float = 0.0


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
    #: One record per page (PDF): which reader read it and what it gave.
    pages: list[PageRecord] = field(default_factory=list)


def page_ranges(numbers: list[int]) -> str:
    """Return page numbers as runs, for warnings.

    >>> page_ranges([1, 2, 3, 7, 9, 10])
    '1-3, 7, 9-10'
    """
    out, start, prev = [], numbers[0], numbers[0]
    for n in numbers[1:] + [0]:
        if n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = n
    return ", ".join(out)
