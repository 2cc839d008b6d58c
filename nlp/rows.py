"""Turn what a user gives ``classify`` and ``extract`` into rows of text.

Three kinds of input:

- **rows**: a ``.jsonl``/``.ndjson`` file or standard input, always: one JSON object
  ``{"id", "text"}`` per line, or one paragraph of plain text per line (the two may mix);
  any encoding the report reader knows (UTF-8, GB18030, UTF-16 with BOM …);
- **a report**: any other file (PDF, DOCX, TXT, Markdown …), read with the same readers as
  ``tag``: one row per paragraph, with the report and the paragraph's id and page.

Every input that cannot be read raises a :class:`nlp.errors.ReportError` that names the
file (and the line) and says what to do; nothing else escapes.

>>> [row["text"] for row in rows_from_text('{"id": "a", "text": "受理诉求12.6万件"}\\n新建学校3所\\n', "<stdin>")]
['受理诉求12.6万件', '新建学校3所']
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, BinaryIO

from nlp.errors import ReportError
from nlp.messages import Message

#: Suffixes that always mean rows, never a report.
ROW_SUFFIXES = (".jsonl", ".ndjson")
#: The fields of a row that say which text it is (copied to every output row).
ID_FIELDS = ("id", "report", "paragraph", "page")


def read_rows(source: str | Path | None, stdin: BinaryIO | None = None) -> list[dict[str, Any]]:
    """Return the rows of ``source``: a file, or standard input for ``None`` or ``-``.

    Each row has ``id`` and ``text``; rows of a report also have ``report``, ``paragraph``
    and ``page``.
    """
    if source is None or str(source) == "-":
        try:
            data = (stdin if stdin is not None else sys.stdin.buffer).read()
        except (OSError, ValueError) as exc:
            raise ReportError("<stdin>", Message("error.rows_input_unreadable", detail=exc)) from None
        return rows_from_bytes(data, "<stdin>")
    path = Path(source)
    if not path.exists():
        raise ReportError(path, Message("error.missing_file"), Message("advice.check_path"))
    if path.is_dir():
        raise ReportError(path, Message("error.is_folder"), Message("advice.use_batch"))
    if path.suffix.lower() in ROW_SUFFIXES:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ReportError(path, Message("error.rows_input_unreadable", detail=exc.strerror or exc),
                              Message("advice.check_path")) from None
        return rows_from_bytes(data, str(path))
    return report_rows(path)


def rows_from_bytes(data: bytes, name: str) -> list[dict[str, Any]]:
    """Return the rows of JSONL or plain-line input given as bytes (decoded as the text reader does)."""
    from nlp.readers.text import decode

    if not data.strip():
        return []
    return rows_from_text(decode(data, name), name)


def rows_from_text(text: str, name: str) -> list[dict[str, Any]]:
    """Return rows from JSONL or plain lines; blank lines are skipped, line numbers are the default ids."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            try:
                row = json.loads(line)
                text_value = row["text"]
                if not isinstance(text_value, str):
                    raise TypeError(f'"text" is {type(text_value).__name__}, not a string')
            except (ValueError, KeyError, TypeError) as exc:
                detail = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
                raise ReportError(f"{name}:{number}", Message("error.rows_bad_json", detail=detail),
                                  Message("advice.rows_format")) from None
            rows.append({"id": str(row.get("id", number)), "text": text_value, "section": row.get("section")})
            continue
        rows.append({"id": str(number), "text": line.strip()})
    return rows


def report_rows(path: str | Path) -> list[dict[str, Any]]:
    """Read a report file and return one row per paragraph, with the report and paragraph ids."""
    from nlp.pipeline import read_report

    path = Path(path)
    report = read_report(path)
    return [{"id": f"{path.name}#{p.id}", "report": str(path), "paragraph": p.id, "page": p.page, "text": p.text,
             "section": list(p.section_path)} for p in report.paragraphs]


def row_ids(row: dict[str, Any]) -> dict[str, Any]:
    """Return the fields of ``row`` that identify it, for an output row."""
    return {key: row[key] for key in ID_FIELDS if key in row}
