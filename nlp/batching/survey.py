"""Which files under a folder are reports, and why the others are not."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from pathlib import Path

from nlp.batching.results import SkippedFile

DEFAULT_INCLUDE = ("*.pdf", "*.docx", "*.txt", "*.md", "*.markdown", "*.xlsx", "*.xls", "*.html", "*.htm", "*.mhtml", "*.mht", "*.doc", "*.wps", "*.ofd")


#: Why a file that is not a report is skipped, by its extension.
SKIP_REASONS = {
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic", ".svg"), "image"),
    **dict.fromkeys((".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz"), "archive"),
    **dict.fromkeys((".xlsm", ".csv", ".et", ".ods"), "spreadsheet"),
    **dict.fromkeys((".ppt", ".pptx", ".dps"), "presentation"),
}


def survey(root: Path, include: Iterable[str] = DEFAULT_INCLUDE, exclude: Iterable[str] = (),
           skip: Path | None = None) -> tuple[list[Path], list[SkippedFile]]:
    """Return the report files under ``root`` (sorted) and the files that are not reports, with why.

    A file is taken when ``include`` matches its name or path and ``exclude`` does not. A file
    left out only because ``--include``/``--exclude`` chose so is not "skipped"; one that no
    reader takes (an image, an archive, a spreadsheet) is. Symlinked folders are not followed.
    """
    include, exclude = tuple(include), tuple(exclude)
    found: list[Path] = []
    skipped: list[SkippedFile] = []
    skip_resolved = skip.resolve() if skip is not None and skip.exists() else None
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and
                         (skip_resolved is None or Path(folder, d).resolve() != skip_resolved))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            if any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in exclude):
                continue
            if any(fnmatch.fnmatch(name.lower(), p) or fnmatch.fnmatch(rel, p) for p in include):
                found.append(path)
            elif not any(fnmatch.fnmatch(name.lower(), p) for p in DEFAULT_INCLUDE):
                skipped.append(SkippedFile(rel, SKIP_REASONS.get(path.suffix.lower(), "other")))
    return found, skipped


def discover(root: Path, include: Iterable[str] = DEFAULT_INCLUDE, exclude: Iterable[str] = (),
             skip: Path | None = None) -> list[Path]:
    """Return the report files under ``root`` (sorted), following no symlinked folders."""
    return survey(root, include, exclude, skip)[0]
