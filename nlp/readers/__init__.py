"""Choose a reader by the file's content (and its name), and read it."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from nlp.errors import (CorruptFileError, EmptyFileError, EncryptedFileError, LimitExceededError, ReportError,
                        UnsupportedFormatError)
from nlp.messages import Message
from nlp.readers.raw import Line, RawDocument, RawTable

__all__ = ["Line", "RawDocument", "RawTable", "SUFFIXES", "sniff", "read_raw"]

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".mhtml", ".mht"}
SUFFIX_FORMAT = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ofd": "ofd",
                 ".doc": "legacy", ".wps": "legacy", **{s: "text" for s in TEXT_SUFFIXES},
                 **{s: "html" for s in HTML_SUFFIXES}}
#: Every suffix a reader exists for (batch looks for these).
SUFFIXES = tuple(sorted(SUFFIX_FORMAT))

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title)[\s>]",
                         re.IGNORECASE | re.DOTALL)


def sniff(path: Path, head: bytes) -> str:
    """Return the reader a file calls for, judged by content first and its name second.

    One of "pdf", "docx", "xlsx", "xls", "ofd", "legacy" (.doc/.wps), "html" or "text".

    >>> sniff(Path("report.bin"), b"%PDF-1.7")
    'pdf'
    >>> sniff(Path("page.txt"), b"<!DOCTYPE html><html><body>")
    'html'
    """
    if head.lstrip(b"\x00\t\r\n ").startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile as exc:
            raise CorruptFileError(path, Message("error.damaged_zip")) from exc
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "OFD.xml" in names or "ofd.xml" in {n.lower() for n in names}:
            return "ofd"
        raise UnsupportedFormatError(path, Message("error.zip_not_docx"))
    if head.startswith(_CFB):
        return _sniff_cfb(path)
    suffix = path.suffix.lower()
    if suffix in (".pdf", ".docx", ".xlsx", ".xls", ".ofd", ".doc", ".wps"):
        kind = {".pdf": "PDF", ".docx": "DOCX", ".xlsx": "XLSX", ".xls": "XLS", ".ofd": "OFD"}.get(suffix, "Word/WPS")
        raise CorruptFileError(path, Message("error.content_mismatch", suffix=suffix, kind=kind))
    if _HTML_START.match(head[:1024]) or _is_mhtml(head):
        return "html"
    if suffix in HTML_SUFFIXES and _mostly_text(head):
        return "html"
    if suffix in TEXT_SUFFIXES or not suffix or _mostly_text(head):
        return "text"
    raise UnsupportedFormatError(path, Message("error.unsupported_format", suffix=suffix))


def _is_mhtml(head: bytes) -> bool:
    lowered = head[:4096].lower()
    return b"mime-version:" in lowered and b"multipart/related" in lowered


def _sniff_cfb(path: Path) -> str:
    """Tell apart the OLE compound files: Word/WPS document, Excel workbook, encrypted OOXML."""
    with path.open("rb") as handle:
        data = handle.read(8 * 1024 * 1024)
    names = {name: name.encode("utf-16-le") in data for name in
             ("EncryptedPackage", "WordDocument", "Workbook", "Book", "PowerPoint Document")}
    if names["EncryptedPackage"]:
        raise EncryptedFileError(path, Message("error.office_encrypted"))
    if names["WordDocument"]:
        return "legacy"
    if names["Workbook"] or names["Book"]:
        return "xls"
    # An OLE container without a document stream: a damaged file, or another program's (.msg, .msi …).
    suffix = path.suffix.lower()
    if suffix in (".doc", ".wps", ".xls"):
        raise CorruptFileError(path, Message("error.ole_no_document", suffix=suffix))
    raise UnsupportedFormatError(path, Message("error.unsupported_format", suffix=suffix or "OLE"))


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
    if kind == "xlsx":
        from nlp.readers.excel import read_xlsx

        return _pages(path, read_xlsx(path), max_pages), data
    if kind == "xls":
        from nlp.readers.excel import read_xls

        return _pages(path, read_xls(path, data), max_pages), data
    if kind == "ofd":
        from nlp.readers.ofd import read_ofd

        return read_ofd(path, max_pages=max_pages), data
    if kind == "legacy":
        from nlp.readers.legacy import read_legacy

        return read_legacy(path, data), data
    if kind == "html":
        from nlp.readers.html import read_html

        return read_html(path, data), data
    from nlp.readers.text import read_text

    return read_text(path, data), data


def _pages(path: Path, doc: RawDocument, max_pages: int | None) -> RawDocument:
    if max_pages is not None and doc.page_count > max_pages:
        raise LimitExceededError(path, Message("error.sheet_count_limit", sheets=doc.page_count, limit=max_pages),
                                 Message("advice.max_pages"))
    return doc
