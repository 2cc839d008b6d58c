"""An archive's output folder: each file's result kept in ``parts/`` as soon as it is done, then
merged into ``reports.jsonl.gz`` and every table rebuilt for the whole archive."""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from nlp.batching.pages import PageProgressCallback
from nlp.batching.results import BatchOptions, BatchSummary, FileResult, SkippedFile
from nlp.batching.survey import DEFAULT_INCLUDE, survey
from nlp.batching.workers import batch, pipeline_version, result_key
from nlp.export import write_atomic
from nlp.pipeline import sha256_file

PARTS = "parts"


Progress = Callable[[FileResult, int, int], None]


def run_batch(input_dir: Path, out_dir: Path, jobs: int = 1, options: BatchOptions | None = None,
              include: Iterable[str] = DEFAULT_INCLUDE, exclude: Iterable[str] = (), force: bool = False,
              xlsx: bool = False, backend: str = "loky", progress: Progress | None = None,
              parquet: bool = False, compress: bool = True,
              page_progress: PageProgressCallback | None = None) -> BatchSummary:
    """Tag every report under ``input_dir`` into ``out_dir``; resume from finished results.

    Each file's result goes to ``parts/`` (gzip JSON) as soon as it is done, so a run stopped
    at any moment loses only the files in flight. At the end every output is rebuilt for the
    whole archive: the reports kept in ``reports.jsonl.gz`` by earlier runs, overlaid with this
    run's parts, less the files no longer in the input folder. A run over a subset (``include``)
    therefore updates those files and keeps the others' rows. Once merged into
    ``reports.jsonl.gz`` a report's part is removed, so each report is stored once; failures
    keep their part (they are retried on the next run). Reports stream through, never all
    held in memory.

    ``progress`` is told of each file as it is done; ``page_progress`` of each page OCR'd (see
    :func:`batch`).
    """
    options = options or BatchOptions()
    started = time.perf_counter()
    parts = out_dir / PARTS
    parts.mkdir(parents=True, exist_ok=True)
    _remove_legacy_parts(parts)
    files, not_reports = survey(input_dir, include, exclude, skip=out_dir)
    version = pipeline_version(options)
    summary = BatchSummary(files=len(files), skipped=len(not_reports))
    stored = _stored_parts(parts)
    index = _read_index(out_dir)
    pending: list[Path] = []
    count = 0

    def keep(result: FileResult) -> None:
        nonlocal count
        count += 1
        if result.error:
            summary.failed += 1
            summary.errors[result.error["class"]] += 1
        else:
            summary.done += 1
            if result.skipped:
                summary.reused += 1
            else:
                summary.tagged += 1
        if progress:
            progress(result, count, len(files))

    for path in files:
        rel = path.relative_to(input_dir).as_posix()
        previous = None if force else _finished(stored, index, path, rel, version)
        if previous is None:
            pending.append(path)
        else:
            keep(previous)
    for result in batch(pending, jobs=jobs, options=options, root=input_dir, backend=backend,
                        page_progress=page_progress):
        if result.key:
            _store(parts, result, stored)
        keep(result)
    _rebuild(input_dir, out_dir, parts, index, summary, not_reports, version, xlsx=xlsx, parquet=parquet,
             compress=compress, started=started)
    return summary


INDEX = "stored.json"


def _read_index(out_dir: Path) -> dict[str, str]:
    """Return relpath → key of the reports held by the archive's reports.jsonl(.gz), or {} when it cannot be trusted."""
    try:
        data = json.loads((out_dir / PARTS / INDEX).read_text(encoding="utf-8"))
        store = out_dir / str(data["file"])
        if store.parent != out_dir or store.stat().st_size != data["size"]:
            return {}  # the store was replaced or damaged: everything is redone
        return {str(k): str(v) for k, v in data["entries"].items()} | {"": str(data["file"])}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _store_reports(out_dir: Path, index: dict[str, str]) -> Iterator[dict[str, Any]]:
    """Yield the reports of the archive's store (reports.jsonl or .gz), in the order written (by relpath)."""
    import gzip

    name = index.get("")
    if not name:
        return
    path = out_dir / name
    try:
        opener: Any = gzip.open if name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)
    except (OSError, EOFError, ValueError):
        return  # what could not be read is redone on the next run (it is not in the new index)


def _rebuild(input_dir: Path, out_dir: Path, parts: Path, index: dict[str, str], summary: BatchSummary,
             not_reports: list[SkippedFile], version: str, xlsx: bool, parquet: bool, compress: bool,
             started: float) -> None:
    """Write every output for the whole archive: the stored reports overlaid with the parts, by relpath."""
    from nlp.export import BatchWriter

    from_parts: dict[str, str] = {}
    for names in _stored_parts(parts).values():
        newest = max(names, key=lambda n: (parts / n).stat().st_mtime_ns)
        relpath = _part_relpath(parts / newest)
        if relpath is not None:
            from_parts[relpath] = newest
    exists = {rel for rel in set(from_parts) | (set(index) - {""}) if rel and os.path.lexists(input_dir / rel)}
    old = _store_reports(out_dir, index)
    held: dict[str, Any] | None = next(old, None)
    writer = BatchWriter(out_dir, xlsx=xlsx, parquet=parquet, compress=compress)
    entries: dict[str, str] = {}
    merged: list[str] = []
    try:
        listing = []
        for relpath in sorted(exists):
            while held is not None and str(held.get("source")) < relpath:
                held = next(old, None)
            report: dict[str, Any] | None = None
            error: dict[str, str] | None = None
            sha256 = key = None
            if relpath in from_parts:
                data = _read_part(parts / from_parts[relpath])
                if data is None:  # damaged: left out now, redone on the next run
                    (parts / from_parts[relpath]).unlink(missing_ok=True)
                    continue
                report, error, sha256, key = data.get("report"), data.get("error"), data.get("sha256"), data.get("key")
                if not error:
                    merged.append(from_parts[relpath])
            elif held is not None and held.get("source") == relpath and relpath in index:
                report, key, sha256 = held, index[relpath], held.get("sha256")
            else:
                continue  # not in the store as the index said: redone on the next run
            if error:
                summary.reports_failed += 1
                report = None
            elif report is not None:
                report["source"] = relpath
                entries[relpath] = str(key)
                summary.reports += 1
                summary.pages += int(report.get("page_count") or 0)
                summary.paragraphs += len(report.get("paragraphs", []))
                summary.categories.update(p["primary"] for p in report.get("paragraphs", []) if p.get("primary"))
                summary.findings.update(f["kind"] for f in report.get("findings", []))
            else:
                continue
            writer.add(relpath, report, error)
            listing.append({"file": relpath, "sha256": sha256, "status": "failed" if error else "done"})
        for skipped in not_reports:
            writer.add_row("skipped", skipped.row())
        summary.seconds = time.perf_counter() - started
        writer.commit({**summary.to_dict(), "version": version, "files_list": listing})
    except BaseException:
        writer.discard()
        raise
    # The store now holds the merged reports: record which (and under which key), then drop their parts.
    write_atomic(parts / INDEX, json.dumps({"file": writer.store, "size": (out_dir / writer.store).stat().st_size,
                                            "entries": entries}, ensure_ascii=False))
    for name in merged:
        (parts / name).unlink(missing_ok=True)


PART_SUFFIX = ".json.gz"


def _relkey(relpath: str) -> str:
    return hashlib.sha256(relpath.encode()).hexdigest()[:16]


def part_name(result: FileResult) -> str:
    """Return the file name of a result in ``parts/``: its place, its key, and whether it failed."""
    return f"{_relkey(result.relpath)}-{result.key}{'-failed' if result.error else ''}{PART_SUFFIX}"


def _stored_parts(parts: Path) -> dict[str, list[str]]:
    """Return the part files in ``parts`` grouped by the place of their file (relpath key)."""
    stored: dict[str, list[str]] = {}
    with os.scandir(parts) as entries:
        for entry in entries:
            if entry.name.endswith(PART_SUFFIX) and not entry.name.startswith("."):
                stored.setdefault(entry.name.split("-", 1)[0], []).append(entry.name)
    return stored


def _store(parts: Path, result: FileResult, stored: dict[str, list[str]]) -> None:
    """Write ``result`` as its part (gzip JSON, atomically), then remove the parts it supersedes."""
    import gzip

    name = part_name(result)
    data = json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")
    write_atomic(parts / name, gzip.compress(data, compresslevel=6, mtime=0))
    relkey = name.split("-", 1)[0]
    for old in stored.get(relkey, []):
        if old != name:
            (parts / old).unlink(missing_ok=True)
    stored[relkey] = [name]


def _read_part(path: Path) -> dict[str, Any] | None:
    import gzip

    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return dict(json.load(handle))
    except (OSError, EOFError, ValueError):
        return None  # a damaged part is redone on the next run and left out of the tables meanwhile


_RELPATH = re.compile(r'"relpath": ("(?:[^"\\]|\\.)*")')


def _part_relpath(path: Path) -> str | None:
    """Return the relpath a part belongs to, reading only the head of the part."""
    import gzip

    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            head = handle.read(16384)
    except (OSError, EOFError, ValueError):
        return None
    match = _RELPATH.search(head)
    return json.loads(match.group(1)) if match else None


def _remove_legacy_parts(parts: Path) -> None:
    """Remove uncompressed parts written by earlier versions (their keys never match again)."""
    for old in parts.glob("*.json"):
        if len(old.stem) == 32 and all(c in "0123456789abcdef" for c in old.stem):
            old.unlink(missing_ok=True)


def _finished(stored: dict[str, list[str]], index: dict[str, str], path: Path, relpath: str,
              version: str) -> FileResult | None:
    """Return a reused result for ``path`` if its content and versions are unchanged and it succeeded before."""
    try:
        sha = sha256_file(path)
    except OSError:
        return None
    key = result_key(sha, version, relpath)
    name = f"{_relkey(relpath)}-{key}{PART_SUFFIX}"
    if name not in stored.get(_relkey(relpath), []) and index.get(relpath) != key:
        return None  # never done, changed, or failed (failures are retried)
    return FileResult(str(path), relpath, sha, key, None, None, 0.0, skipped=True)
