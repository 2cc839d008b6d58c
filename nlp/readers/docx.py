"""Read DOCX reports with python-docx: paragraphs and tables in document order."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from nlp.errors import CorruptFileError, EmptyFileError
from nlp.messages import Message
from nlp.readers.raw import Line, RawDocument, RawTable

_HEADING_STYLE = re.compile(r"(?:heading|标题)\s*(\d)", re.IGNORECASE)


def read_docx(path: Path) -> RawDocument:
    """Return the paragraphs (as hard-broken lines) and tables of a DOCX file."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CorruptFileError(path, Message("error.docx_unopenable", detail=f"{type(exc).__name__}: {exc}")) from exc
    except Exception as exc:  # lxml errors on damaged XML parts
        raise CorruptFileError(path, Message("error.docx_damaged", detail=f"{type(exc).__name__}: {exc}")) from exc
    doc = RawDocument(format="docx", lines=[])
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = paragraph.text.strip()
            if not text:
                continue
            doc.lines.append(Line(text, page=None, hard_break=True, heading_level=_heading_level(paragraph)))
        elif tag == "tbl":
            rows = _table_rows(Table(child, document))
            if rows:
                doc.tables.append(RawTable(rows=rows, position=len(doc.lines), origin="docx"))
    if not doc.lines and not doc.tables:
        raise EmptyFileError(path, Message("error.docx_no_text"))
    return doc


def _heading_level(paragraph: object) -> int | None:
    style = getattr(paragraph, "style", None)
    name = getattr(style, "name", "") or ""
    match = _HEADING_STYLE.search(name)
    return int(match.group(1)) if match else None


def _table_rows(table: object) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.rows:  # type: ignore[attr-defined]
        # Merged cells come back once per grid column they span, which is the
        # forward fill a reader of the table expects.
        rows.append([re.sub(r"\s*\n\s*", "", cell.text).strip() for cell in row.cells])
    return [r for r in rows if any(r)]
