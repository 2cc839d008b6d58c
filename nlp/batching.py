"""Tag whole archives of reports: parallel, resumable, one bad file never stops the rest.

Each file's result (the tagged report, or its error) is written to
``OUT/parts/<key>.json`` as soon as it is done, atomically; the key is the
file's sha256 with the pipeline and model versions, so a re-run skips what is
finished, redoes what changed, and a run killed at any moment loses at most
the files in flight. The tables (``reports.jsonl``, CSVs, the workbook and
``summary.json``) are then assembled from the parts and replaced atomically.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import json
import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.export import write_atomic
from nlp.pipeline import sha256_file

DEFAULT_INCLUDE = ("*.pdf", "*.docx", "*.txt", "*.md", "*.markdown", "*.xlsx", "*.xls", "*.html", "*.htm", "*.mhtml", "*.mht", "*.doc", "*.wps", "*.ofd")
PARTS = "parts"


@dataclass(frozen=True)
class BatchOptions:
    """What a batch run does; workers receive a copy."""

    model_dir: str | None = None
    classify: bool = True
    max_bytes: int | None = 200 * 1024 * 1024
    max_pages: int | None = 2000
    max_chars: int | None = 5_000_000
    #: Seconds one file may take before it is abandoned and listed in errors (None: no limit).
    timeout: float | None = 300.0


@dataclass
class FileResult:
    """The outcome for one file: a report dict, or an error class and message."""

    path: str
    relpath: str
    sha256: str
    key: str
    report: dict[str, Any] | None = None
    error: dict[str, str] | None = None
    seconds: float = 0.0
    skipped: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "relpath": self.relpath, "sha256": self.sha256, "key": self.key,
                "report": self.report, "error": self.error, "seconds": round(self.seconds, 3)}


@dataclass
class BatchSummary:
    files: int = 0
    done: int = 0
    failed: int = 0
    skipped: int = 0
    pages: int = 0
    paragraphs: int = 0
    seconds: float = 0.0
    categories: Counter[str] = field(default_factory=Counter)
    findings: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return {"files": self.files, "done": self.done, "failed": self.failed, "skipped": self.skipped,
                "pages": self.pages, "paragraphs": self.paragraphs, "seconds": round(self.seconds, 2),
                "files_per_second": round(self.done / self.seconds, 3) if self.seconds else None,
                "categories": dict(self.categories.most_common()), "findings": dict(self.findings.most_common()),
                "errors": dict(self.errors.most_common())}


def discover(root: Path, include: Iterable[str] = DEFAULT_INCLUDE, exclude: Iterable[str] = (),
             skip: Path | None = None) -> list[Path]:
    """Return the report files under ``root`` (sorted), following no symlinked folders."""
    include, exclude = tuple(include), tuple(exclude)
    found = []
    skip_resolved = skip.resolve() if skip is not None and skip.exists() else None
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and
                         (skip_resolved is None or Path(folder, d).resolve() != skip_resolved))
        for name in sorted(files):
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            if name.startswith(".") or not any(fnmatch.fnmatch(name.lower(), p) or fnmatch.fnmatch(rel, p) for p in include):
                continue
            if any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in exclude):
                continue
            found.append(path)
    return found


def result_key(sha256: str, version: str, relpath: str) -> str:
    """Return the key of a file's result: its content, everything that decides the output, and its place.

    The place is part of the key because two copies of one file may fare differently (a time limit).
    """
    return hashlib.sha256(f"{sha256}|{version}|{relpath}".encode()).hexdigest()[:32]


@dataclass(eq=False)
class ModelFiles:
    """The files of a model directory, sent once to each Dask worker so that workers need no copy of the model."""

    files: dict[str, bytes]
    digest: str

    @classmethod
    def read(cls, directory: Path) -> ModelFiles:
        """Read the manifest, the model file it names and the taxonomy of ``directory``."""
        from nlp.classification.persistence import MANIFEST_FILE, TAXONOMY_FILE, read_manifest
        from nlp.errors import ModelError

        try:
            _, model_path = read_manifest(directory)
            files = {name: (directory / name).read_bytes() for name in (MANIFEST_FILE, TAXONOMY_FILE, model_path.name)}
        except (OSError, ModelError) as exc:
            raise ModelError(f"{directory}: cannot read the model to send to the workers ({exc})") from exc
        digest = hashlib.sha256()
        for name, data in files.items():
            digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
        return cls(files, digest.hexdigest())

    def materialise(self) -> Path:
        """Write the files into this machine's cache (once) and return that model directory."""
        import tempfile

        from nlp.segmentation import cache_dir

        try:
            return self._write(cache_dir() / "models")
        except OSError:
            # An unwritable cache only costs a copy per worker process.
            return self._write(Path(tempfile.mkdtemp(prefix="govreport-nlp-model-")))

    def _write(self, folder: Path) -> Path:
        import shutil
        import tempfile

        from nlp.classification.persistence import MANIFEST_FILE

        target = folder / self.digest[:24]
        if not (target / MANIFEST_FILE).is_file():
            folder.mkdir(parents=True, exist_ok=True)
            incoming = Path(tempfile.mkdtemp(dir=folder, prefix=".incoming-"))
            for name, data in self.files.items():
                (incoming / name).write_bytes(data)
            try:
                os.replace(incoming, target)
            except OSError:  # another worker on this machine wrote it first
                shutil.rmtree(incoming, ignore_errors=True)
        return target


_WORKER: dict[tuple[Any, ...], Any] = {}


def _tagging(options: BatchOptions, model: ModelFiles | None = None) -> Any:
    """Return this process's Tagging for ``options``: model and segmenter load once per worker.

    With ``model`` (the files sent by the client), the model is read from those files, not
    from ``options.model_dir``; load_model checks them as it checks any model directory.
    """
    source = model.digest if model is not None else options.model_dir
    key = (source, options.classify, options.max_bytes, options.max_pages, options.max_chars)
    if key not in _WORKER:
        from nlp.pipeline import Limits
        from nlp.tagging import Tagging

        model_dir = str(model.materialise()) if model is not None else options.model_dir
        _WORKER[key] = Tagging(model_dir=model_dir, classify=options.classify,
                               limits=Limits(options.max_bytes, options.max_pages, options.max_chars))
    return _WORKER[key]


def pipeline_version(options: BatchOptions) -> str:
    """Return the version string that keys results: package, rules and model."""
    return _tagging(options).version


def tag_one(path: str, relpath: str, sha256: str, key: str, options: BatchOptions,
            model: ModelFiles | None = None) -> FileResult:
    """Tag one file in a worker; every failure becomes an error record, never an exception."""
    started = time.perf_counter()
    result = FileResult(path, relpath, sha256, key)
    try:
        with _time_limit(options.timeout, relpath):
            report = _tagging(options, model).tag_file(path)
        data = report.to_dict()
        data["source"] = relpath
        result.report = data
    except Exception as exc:  # one bad file must not stop the batch
        from nlp.errors import NlpError

        known = isinstance(exc, (NlpError, FileTimeoutError))
        message = str(exc) if known else f"{relpath}: unexpected {type(exc).__name__}: {exc}"
        result.error = {"class": type(exc).__name__, "message": message}
    result.seconds = time.perf_counter() - started
    return result


class FileTimeoutError(Exception):
    """A file took longer than the per-file time limit."""


@contextlib.contextmanager
def _time_limit(seconds: float | None, name: str) -> Iterator[None]:
    """Raise FileTimeoutError in this thread after ``seconds`` (main thread of a Unix process only)."""
    usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise FileTimeoutError(f"{name}: took longer than {seconds:g} s; raise --timeout if the file is genuine")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, float(seconds))  # type: ignore[arg-type]
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def batch(paths: Iterable[str | Path], jobs: int = 1, options: BatchOptions | None = None,
          root: Path | None = None, backend: str = "loky") -> Iterator[FileResult]:
    """Tag files in parallel and yield each result as it finishes.

    >>> for result in batch(["a.pdf", "b.docx"], jobs=2):  # doctest: +SKIP
    ...     print(result.relpath, result.error or "ok")
    """
    from joblib import Parallel, delayed

    options = options or BatchOptions()
    version = pipeline_version(options)
    tasks = []
    for path in map(Path, paths):
        rel = path.relative_to(root).as_posix() if root is not None else path.name
        try:
            sha = sha256_file(path)
        except OSError as exc:
            yield FileResult(str(path), rel, "", "", error={"class": type(exc).__name__,
                                                             "message": f"{rel}: cannot be read ({exc})"})
            continue
        key = result_key(sha, version, rel)
        tasks.append((str(path), rel, sha, key))
    if not tasks:
        return
    if jobs == 1 and backend == "loky":
        for task in tasks:
            yield tag_one(*task, options)
        return
    if backend == "dask":
        from joblib import parallel_config

        # Needs a distributed Client in this process (dask_client). The backend is
        # chosen through parallel_config: naming it on Parallel fails in joblib 1.6.
        # The model's files are scattered to every worker once, before the tasks.
        model = _model_files(options)
        with parallel_config(backend="dask", scatter=[model] if model is not None else None):
            yield from Parallel(n_jobs=-1, return_as="generator")(
                delayed(tag_one)(*task, options, model) for task in tasks)
        return
    runner = Parallel(n_jobs=jobs, backend=backend, return_as="generator_unordered", batch_size=1)
    yield from runner(delayed(tag_one)(*task, options) for task in tasks)


def _model_files(options: BatchOptions) -> ModelFiles | None:
    """Return the files of the model the batch uses, or None when it uses none."""
    from nlp.classification.persistence import MANIFEST_FILE, default_model_dir

    directory = Path(options.model_dir) if options.model_dir else default_model_dir()
    if not options.classify or not (directory / MANIFEST_FILE).is_file():
        return None
    return ModelFiles.read(directory)


def dask_client(scheduler: str | None, workers: int) -> Any:
    """Return a Dask client: connected to ``scheduler``, or to a local cluster of worker processes."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
    return Client(cluster)


Progress = Callable[[FileResult, int, int], None]


def run_batch(input_dir: Path, out_dir: Path, jobs: int = 1, options: BatchOptions | None = None,
              include: Iterable[str] = DEFAULT_INCLUDE, exclude: Iterable[str] = (), force: bool = False,
              xlsx: bool = False, backend: str = "loky", progress: Progress | None = None) -> BatchSummary:
    """Tag every report under ``input_dir`` into ``out_dir``; resume from finished parts.

    Reports are kept on disk (``parts/``), not in memory: the outputs are assembled by
    streaming the parts once every file is done.
    """
    from nlp.export import BatchWriter

    options = options or BatchOptions()
    started = time.perf_counter()
    parts = out_dir / PARTS
    parts.mkdir(parents=True, exist_ok=True)
    files = discover(input_dir, include, exclude, skip=out_dir)
    version = pipeline_version(options)
    summary = BatchSummary(files=len(files))
    finished: dict[str, FileResult] = {}
    pending: list[Path] = []

    def keep(result: FileResult) -> None:
        _count(summary, result)
        finished[result.relpath] = FileResult(result.path, result.relpath, result.sha256, result.key,
                                              None, result.error, result.seconds, result.skipped)
        if progress:
            progress(result, len(finished), len(files))

    for path in files:
        rel = path.relative_to(input_dir).as_posix()
        previous = None if force else _finished(parts, path, rel, version)
        if previous is None:
            pending.append(path)
            continue
        previous.skipped, previous.relpath, previous.path = True, rel, str(path)
        summary.skipped += 1
        keep(previous)
    for result in batch(pending, jobs=jobs, options=options, root=input_dir, backend=backend):
        if result.key:
            write_atomic(parts / f"{result.key}.json", json.dumps(result.to_dict(), ensure_ascii=False))
        keep(result)
    summary.seconds = time.perf_counter() - started
    writer = BatchWriter(out_dir, xlsx=xlsx)
    try:
        for rel in sorted(finished):
            entry = finished[rel]
            report = None if entry.error else _load_part(parts, entry.key)
            if report is not None:
                report["source"] = rel
            writer.add(rel, report, entry.error)
        data = {**summary.to_dict(), "version": version,
                "files_list": [{"file": r.relpath, "sha256": r.sha256, "status": "failed" if r.error else "done"}
                               for r in (finished[k] for k in sorted(finished))]}
        writer.commit(data)
    except BaseException:
        writer.discard()
        raise
    return summary


def _count(summary: BatchSummary, result: FileResult) -> None:
    if result.error:
        summary.failed += 1
        summary.errors[result.error["class"]] += 1
        return
    summary.done += 1
    report = result.report or {}
    summary.pages += int(report.get("page_count") or 0)
    summary.paragraphs += len(report.get("paragraphs", []))
    summary.categories.update(p["primary"] for p in report.get("paragraphs", []) if p.get("primary"))
    summary.findings.update(f["kind"] for f in report.get("findings", []))


def _load_part(parts: Path, key: str) -> dict[str, Any]:
    data = json.loads((parts / f"{key}.json").read_text(encoding="utf-8"))
    return dict(data["report"])


def _finished(parts: Path, path: Path, relpath: str, version: str) -> FileResult | None:
    """Return the stored result for ``path`` if its content and versions are unchanged and it succeeded."""
    try:
        sha = sha256_file(path)
    except OSError:
        return None
    key = result_key(sha, version, relpath)
    part = parts / f"{key}.json"
    if not part.is_file():
        return None
    try:
        data = json.loads(part.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return None  # a damaged part is simply redone
    if data.get("error"):
        return None  # failures are retried
    return FileResult(data["path"], data["relpath"], data["sha256"], data["key"], data["report"], None,
                      data.get("seconds", 0.0))
