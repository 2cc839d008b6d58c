"""The exceptions the library raises for bad input, and what to do about each.

Every error names the file it concerns and says what the user can do. The CLI
prints ``str(error)`` on one line and exits 1; library callers catch
:class:`ReportError` (input problems) or :class:`ModelError` (model problems).
"""

from __future__ import annotations

from pathlib import Path

from nlp.messages import Message, render, t


class NlpError(Exception):
    """Base class of every error the library raises on purpose."""


class ReportError(NlpError):
    """A report file cannot be read; the message says why and what to do.

    *problem* and *advice* are catalogue messages (:class:`nlp.messages.Message`)
    or plain text; the line is rendered in the language in force when it is shown.

    >>> str(EmptyFileError("a.pdf", Message("error.zero_bytes")))  # doctest: +SKIP
    'a.pdf：文件为空（0 字节）；文件没有内容，请确认复制或下载完整'
    """

    advice = "advice.check_file"

    def __init__(self, path: str | Path | None, problem: str | Message, advice: str | Message | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.problem = problem
        self.advice_message: str | Message = advice if advice is not None else Message(self.advice)
        super().__init__(self.path, problem)

    @property
    def advice_text(self) -> str:
        return render(self.advice_message)

    def __str__(self) -> str:
        where = t("error.where", path=self.path) if self.path else ""
        return t("error.line", where=where, problem=render(self.problem), advice=self.advice_text)

    def __reduce__(self) -> tuple:  # errors cross process boundaries in batch
        return (type(self), (self.path, self.problem, self.advice_message))


class UnsupportedFormatError(ReportError):
    advice = "advice.unsupported"


class EmptyFileError(ReportError):
    advice = "advice.empty"


class CorruptFileError(ReportError):
    advice = "advice.corrupt"


class EncryptedFileError(ReportError):
    advice = "advice.encrypted"


class NoTextLayerError(ReportError):
    advice = "advice.scan"


class EncodingError(ReportError):
    advice = "advice.encoding"


class LimitExceededError(ReportError):
    advice = "advice.limit"


class ModelError(NlpError):
    """A model directory is missing, incomplete, tampered with or incompatible."""


class TaxonomyError(NlpError):
    """A taxonomy file is malformed."""


class TrainingDataError(NlpError):
    """Labelled training data is malformed or inconsistent with the taxonomy."""
