"""The exceptions the library raises for bad input, and what to do about each.

Every error names the file it concerns and says what the user can do. The CLI
prints ``str(error)`` on one line and exits 1; library callers catch
:class:`ReportError` (input problems) or :class:`ModelError` (model problems).
"""

from __future__ import annotations

from pathlib import Path


class NlpError(Exception):
    """Base class of every error the library raises on purpose."""


class ReportError(NlpError):
    """A report file cannot be read; the message says why and what to do."""

    advice = "check the file"

    def __init__(self, path: str | Path | None, problem: str, advice: str | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.problem = problem
        self.advice_text = advice or self.advice
        where = f"{self.path}: " if self.path else ""
        super().__init__(f"{where}{problem}; {self.advice_text}")


class UnsupportedFormatError(ReportError):
    advice = "convert it to PDF, DOCX, TXT or Markdown first"


class EmptyFileError(ReportError):
    advice = "the file has no content; check that it was copied or downloaded completely"


class CorruptFileError(ReportError):
    advice = "the file is damaged or truncated; obtain a fresh copy"


class EncryptedFileError(ReportError):
    advice = "remove the password protection (or export an unprotected copy) and try again"


class NoTextLayerError(ReportError):
    advice = "this PDF is a scan; run OCR on it first"


class EncodingError(ReportError):
    advice = "save the file as UTF-8 (or GB18030) text and try again"


class LimitExceededError(ReportError):
    advice = "raise the limit if the file is genuine"


class ModelError(NlpError):
    """A model directory is missing, incomplete, tampered with or incompatible."""


class TaxonomyError(NlpError):
    """A taxonomy file is malformed."""


class TrainingDataError(NlpError):
    """Labelled training data is malformed or inconsistent with the taxonomy."""
