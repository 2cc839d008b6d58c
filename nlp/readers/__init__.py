"""Choose a reader by the file's content (and its name), and read it."""

from __future__ import annotations

import zipfile
from pathlib import Path

from nlp.errors import EmptyFileError, LimitExceededError, ReportError, UnsupportedFormatError
from nlp.messages import Message
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

            raise CorruptFileError(path, Message("error.damaged_zip")) from exc
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            raise UnsupportedFormatError(path, Message("error.excel_not_report"))
        raise UnsupportedFormatError(path, Message("error.zip_not_docx"))
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise UnsupportedFormatError(path, Message("error.legacy_office"), Message("advice.legacy_office"))
    suffix = path.suffix.lower()
    if suffix in (".pdf", ".docx"):
        kind = "PDF" if suffix == ".pdf" else "DOCX"
        from nlp.errors import CorruptFileError

        raise CorruptFileError(path, Message("error.content_mismatch", suffix=suffix, kind=kind))
    if suffix in TEXT_SUFFIXES or not suffix or _mostly_text(head):
        return "text"
    raise UnsupportedFormatError(path, Message("error.unsupported_format", suffix=suffix))


def _mostly_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    binary = sum(1 for b in head if b < 9 or 13 < b < 32)
    return binary <= len(head) // 100


def read_raw(path: Path, max_bytes: int | None = None, max_pages: int | None = None) -> tuple[RawDocument, bytes]:
    """Read ``path`` with the reader its content calls for; return the raw document and the file's bytes."""
    if not path.exists():
        raise ReportError(path, Message("error.missing_file"), Message("advice.check_path"))
    if path.is_dir():
        raise ReportError(path, Message("error.is_folder"), Message("advice.use_batch"))
    size = path.stat().st_size
    if size == 0:
        raise EmptyFileError(path, Message("error.zero_bytes"))
    if max_bytes is not None and size > max_bytes:
        raise LimitExceededError(path, Message("error.too_large", size=size, limit=max_bytes),
                                 Message("advice.max_bytes"))
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
