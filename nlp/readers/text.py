"""Read TXT and Markdown reports: detect the encoding, undo converter residue.

Text reaches us from PDF-to-text tools, Word's "save as text" and Markdown
converters, in UTF-8 (with or without BOM), UTF-16 or GB18030/GBK, with
LaTeX and Markdown residue such as ``$\\geq 90\\%$`` and ``**bold**``.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from nlp.errors import EmptyFileError, EncodingError
from nlp.messages import Message
from nlp.readers.raw import Line, RawDocument

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# LaTeX commands that converters leave around comparison signs and percents.
_LATEX_SYMBOLS = {
    r"\geq": "≥", r"\geqslant": "≥", r"\ge": "≥",
    r"\leq": "≤", r"\leqslant": "≤", r"\le": "≤",
    r"\times": "×", r"\pm": "±", r"\%": "%", r"\sim": "~", r"\approx": "≈",
}
_LATEX_COMMAND = re.compile(
    "|".join(re.escape(k) for k in sorted(_LATEX_SYMBOLS, key=len, reverse=True)) + r"(?![A-Za-z])"
)
# $ … $ around a short formula; only when the inside looks like maths residue.
_INLINE_MATH = re.compile(r"\$\s*([^$\n]{1,40}?)\s*\$")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def decode(data: bytes, path: str | Path) -> str:
    """Return the text of ``data``, trying BOMs, UTF-8, GB18030, then detection.

    >>> decode("政务".encode("gb18030"), "a.txt")
    '政务'
    """
    if not data.strip():
        raise EmptyFileError(path, Message("error.whitespace_only"))
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise EncodingError(path, Message("error.bom_mismatch", encoding=encoding, reason=exc.reason)) from exc
    if b"\x00" in data[:4096]:
        raise EncodingError(path, Message("error.nul_bytes"))
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    return _detect(data, path)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _detect(data: bytes, path: str | Path) -> str:
    # charset-normalizer knows Big5, Shift-JIS and the single-byte code pages
    # that Windows tools still write; we only accept its answer when it is text.
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        text = str(best)
        # Bytes that only decode as accented Latin letters are not a Chinese report.
        non_ascii = sum(1 for ch in text if ord(ch) > 127)
        if _looks_like_text(text) and (_CJK.search(text) or non_ascii < 0.3 * len(text)):
            return text
    raise EncodingError(path, Message("error.unknown_encoding"))


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0xE000 <= ord(ch) <= 0xF8FF or ch == "\ufffd")
    return bad / len(text) < 0.01


def clean_markup(line: str) -> str:
    """Undo Markdown and LaTeX residue on one line.

    >>> clean_markup(r"话务接通率目标值 $\\geq 90\\%$ ，实际完成**98.62%**")
    '话务接通率目标值 ≥90% ，实际完成98.62%'
    """
    line = _MD_HEADING.sub("", line)
    line = _INLINE_MATH.sub(lambda m: _latex(m.group(1)), line)
    line = _LATEX_COMMAND.sub(lambda m: _LATEX_SYMBOLS[m.group(0)], line)
    line = _MD_EMPHASIS.sub(r"\2", line)
    return line


def _latex(inner: str) -> str:
    inner = _LATEX_COMMAND.sub(lambda m: _LATEX_SYMBOLS[m.group(0)], inner)
    return re.sub(r"\s+", "", inner.replace("{", "").replace("}", ""))


def read_text(path: Path, data: bytes) -> RawDocument:
    """Return the lines of a text or Markdown file; a form feed starts a page."""
    return parse_text(decode(data, path), path)


def parse_text(text: str, path: Path) -> RawDocument:
    """Return the lines of report text already decoded."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[Line] = []
    page = 1
    blank = False
    for raw in text.split("\n"):
        if "\f" in raw:
            page += raw.count("\f")
            raw = raw.replace("\f", "")
            blank = True
        if _MD_TABLE_RULE.match(raw) and "-" in raw:
            continue
        stripped = raw.strip()
        if not stripped:
            blank = True
            continue
        cleaned = clean_markup(raw.rstrip())
        indented = raw.startswith(("\u3000", "  ")) and not raw.startswith("\t")
        lines.append(Line(cleaned, page=page, indented=indented, blank_before=blank))
        blank = False
    if not lines:
        raise EmptyFileError(path, Message("error.whitespace_only"))
    return RawDocument(format="markdown" if path.suffix.lower() in {".md", ".markdown"} else "text",
                       lines=lines, page_count=page)
