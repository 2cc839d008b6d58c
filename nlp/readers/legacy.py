"""Read legacy Word and WPS documents (.doc, .wps) by converting them to DOCX with LibreOffice.

The binary Word format is not worth a reader of our own: LibreOffice reads it
(and Kingsoft WPS's .wps, which shares it) faithfully. When ``soffice`` is on
the PATH the file is copied into a private temporary folder and converted
there, headless, with a throw-away user profile (so parallel conversions do
not fight over one profile's lock) and a time limit; the DOCX is then read by
:mod:`nlp.readers.docx`. Without LibreOffice the error says what to do.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from nlp.errors import CorruptFileError, LimitExceededError, UnsupportedFormatError
from nlp.messages import Message
from nlp.readers.raw import RawDocument

#: Seconds one conversion may take (a first start of LibreOffice builds its profile: a few seconds).
TIMEOUT = float(os.environ.get("NLP_SOFFICE_TIMEOUT", "180"))


def converter() -> str | None:
    """Return the LibreOffice command, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(path: Path, data: bytes, folder: Path, timeout: float = TIMEOUT) -> Path:
    """Convert a legacy document to DOCX inside ``folder``; return the DOCX's path."""
    command = converter()
    if command is None:
        raise UnsupportedFormatError(path, Message("error.legacy_no_converter", suffix=path.suffix.lower() or ".doc"),
                                     Message("advice.legacy_converter"))
    suffix = path.suffix.lower() if path.suffix.lower() in (".doc", ".wps", ".dot", ".wpt") else ".doc"
    source = folder / f"input{suffix}"
    source.write_bytes(data)
    out = folder / "out"
    out.mkdir()
    profile = (folder / "profile").as_uri()
    args = [command, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nologo", "--nodefault",
            "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source)]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                               start_new_session=True, env={**os.environ, "HOME": str(folder)})
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        os.killpg(process.pid, signal.SIGKILL)  # soffice.bin runs as a child of the soffice script
        process.communicate()
        raise LimitExceededError(path, Message("error.legacy_timeout", seconds=timeout),
                                 Message("advice.timeout")) from exc
    result = out / "input.docx"
    if process.returncode != 0 or not result.exists() or result.stat().st_size == 0:
        detail = (err or b"").decode("utf-8", "replace").strip().splitlines()
        raise CorruptFileError(path, Message("error.legacy_convert_failed",
                                             detail=(detail[-1] if detail else f"exit {process.returncode}")[:200]))
    return result


def read_legacy(path: Path, data: bytes) -> RawDocument:
    """Return the paragraphs and tables of a .doc/.wps document (converted by LibreOffice)."""
    from nlp.readers.docx import read_docx

    with tempfile.TemporaryDirectory(prefix="govreport-doc-") as tmp:
        docx = convert_to_docx(path, data, Path(tmp))
        doc = read_docx(docx)
    doc.format = "wps" if path.suffix.lower() == ".wps" else "doc"
    return doc
