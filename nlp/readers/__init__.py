"""Choose a reader by the file's content (and its name), and read it."""

from __future__ import annotations

import zipfile
from pathlib import Path

from nlp.errors import EmptyFileError, LimitExceededError, ReportError, UnsupportedFormatError
from nlp.readers.raw import Line, RawDocument, RawTable

__all__ = ["Line", "RawDocument", "RawTable", "sniff", "read_raw"]

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
SUFFIX_FORMAT = {".pdf": "pdf", ".docx": "docx", **{s: "text" for s in TEXT_SUFFIXES}}


def sniff(path: Path, head: bytes) -> str:
    """Return "pdf", "docx" or "text" for a file, judged by content first.

    >>> sniff(Path("report.bin"), b"%PDF-1.7")
    'pdf'
    """
    if head.lstrip(b"\x00\t\r\n ").startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile as exc:
            from nlp.errors import CorruptFileError

            raise CorruptFileError(path, "it is a damaged ZIP container (DOCX files are ZIP archives)") from exc
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            raise UnsupportedFormatError(path, "it is an Excel workbook, not a report")
        raise UnsupportedFormatError(path, "it is a ZIP archive, not a DOCX document")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise UnsupportedFormatError(path, "it is a legacy Word/Excel (.doc/.xls) file",
                                     "save it as DOCX (or PDF) and try again")
    suffix = path.suffix.lower()
    if suffix in (".pdf", ".docx"):
        kind = "PDF" if suffix == ".pdf" else "DOCX"
        from nlp.errors import CorruptFileError

        raise CorruptFileError(path, f"it is named {suffix} but its content is not a {kind}")
    if suffix in TEXT_SUFFIXES or not suffix or _mostly_text(head):
        return "text"
    raise UnsupportedFormatError(path, f"the format {suffix!r} is not supported")


def _mostly_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    binary = sum(1 for b in head if b < 9 or 13 < b < 32)
    return binary <= len(head) // 100


def read_raw(path: Path, max_bytes: int | None = None, max_pages: int | None = None) -> tuple[RawDocument, bytes]:
    """Read ``path`` with the reader its content calls for; return the raw document and the file's bytes."""
    if not path.exists():
        raise ReportError(path, "the file does not exist", "check the path")
    if path.is_dir():
        raise ReportError(path, "it is a folder, not a file", "use `batch` for folders")
    size = path.stat().st_size
    if size == 0:
        raise EmptyFileError(path, "the file is empty (0 bytes)")
    if max_bytes is not None and size > max_bytes:
        raise LimitExceededError(path, f"the file is {size:,} bytes, more than the limit of {max_bytes:,}",
                                 "raise --max-bytes if the file is genuine")
    data = path.read_bytes()
    kind = sniff(path, data[:2048])
    if kind == "pdf":
        from nlp.readers.pdf import read_pdf

        return read_pdf(path, max_pages=max_pages), data
    if kind == "docx":
        from nlp.readers.docx import read_docx

        return read_docx(path), data
    from nlp.readers.text import read_text

    return read_text(path, data), data
