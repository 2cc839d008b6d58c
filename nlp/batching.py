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
import re
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.errors import ReportError
from nlp.export import write_atomic
from nlp.messages import Message
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
    """The outcome for one file, as :func:`batch` yields it.

    ``report`` is the tagged report as JSON-ready data: exactly ``Report.to_dict()`` (the JSON
    of ``tag --format json``, described by ``nlp/resources/report.schema.json``), with
    ``source`` set to ``relpath``; ``None`` when the file failed, or (in :func:`run_batch`'s
    progress callbacks) when an unchanged file's earlier result was reused without reading it.
    ``error`` is ``{"class": ..., "message": ...}`` when the file failed, else ``None``.
    """

    path: str
    relpath: str
    sha256: str
    key: str
    report: dict[str, Any] | None = None
    error: dict[str, str] | None = None
    seconds: float = 0.0
    #: True when the file was unchanged since an earlier run and its stored result was reused.
    skipped: bool = False

    @property
    def ok(self) -> bool:
        """True when the file was read and tagged."""
        return self.error is None

    @property
    def reused(self) -> bool:
        """True when the result is an earlier run's, kept because the file did not change."""
        return self.skipped

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "relpath": self.relpath, "sha256": self.sha256, "key": self.key,
                "report": self.report, "error": self.error, "seconds": round(self.seconds, 3)}


@dataclass(frozen=True)
class SkippedFile:
    """A file under the input folder that is not a report (an image, an archive …), with why."""

    relpath: str
    reason: str

    def row(self) -> dict[str, str]:
        from nlp.messages import t

        return {"file": self.relpath, "reason": self.reason, "message": t(f"batch.skip.{self.reason}")}


@dataclass
class BatchSummary:
    """Counts of one run (``files`` = ``done`` + ``failed``) and of the whole archive's tables.

    ``done`` counts the files tagged now (``tagged``) and those unchanged since an earlier run
    whose result was reused (``reused``); ``skipped`` counts the files that are not reports
    (listed in ``skipped.csv``), which are not among ``files``. ``reports`` and
    ``reports_failed`` and the totals below them describe the tables as written: every report
    of the archive with a result in ``parts/``, from this run or an earlier one.
    """

    files: int = 0
    done: int = 0
    tagged: int = 0
    reused: int = 0
    failed: int = 0
    skipped: int = 0
    reports: int = 0
    reports_failed: int = 0
    pages: int = 0
    paragraphs: int = 0
    seconds: float = 0.0
    categories: Counter[str] = field(default_factory=Counter)
    findings: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return {"files": self.files, "done": self.done, "tagged": self.tagged, "reused": self.reused,
                "failed": self.failed, "skipped": self.skipped, "reports": self.reports,
                "reports_failed": self.reports_failed, "pages": self.pages, "paragraphs": self.paragraphs,
                "seconds": round(self.seconds, 2),
                "files_per_second": round(self.tagged / self.seconds, 3) if self.seconds else None,
                "categories": dict(self.categories.most_common()), "findings": dict(self.findings.most_common()),
                "errors": dict(self.errors.most_common())}


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


@dataclass(frozen=True)
class PageProgress:
    """A file's OCR moving on, as a batch's ``page_progress`` callback is told of it.

    ``done`` of ``total`` pages to OCR are read; ``page`` is the 1-based page just read. When
    a file's OCR starts the callback is told ``done=0, page=0``; it is then told of every page,
    in order.
    """

    relpath: str
    done: int
    total: int
    page: int


PageProgressCallback = Callable[[PageProgress], None]


@dataclass(frozen=True)
class PageChannel:
    """Where a worker process sends its files' page progress: the parent's listener (see :class:`_PageRelay`)."""

    address: Any
    authkey: bytes


def tag_one(path: str, relpath: str, sha256: str, key: str, options: BatchOptions,
            model: ModelFiles | None = None,
            pages: PageChannel | PageProgressCallback | None = None) -> FileResult:
    """Tag one file in a worker; every failure becomes an error record, never an exception.

    ``pages`` receives the file's OCR progress page by page: a :class:`PageChannel` to the
    parent process, or a callback when the file is tagged in the caller's process.
    """
    started = time.perf_counter()
    result = FileResult(path, relpath, sha256, key)
    try:
        with _time_limit(options.timeout, relpath), _reporting_pages(pages, relpath):
            report = _tagging(options, model).tag_file(path)
        data = report.to_dict()
        data["source"] = relpath
        result.report = data
    except Exception as exc:  # one bad file must not stop the batch
        from nlp.errors import NlpError

        if isinstance(exc, NlpError):
            message = str(exc)
        else:
            message = str(ReportError(relpath, Message("error.unexpected", detail=f"{type(exc).__name__}: {exc}"),
                                      Message("advice.report_bug")))
        result.error = {"class": type(exc).__name__, "message": message}
    result.seconds = time.perf_counter() - started
    return result


class FileTimeoutError(ReportError):
    """A file took longer than the per-file time limit."""

    advice = "advice.timeout"


@contextlib.contextmanager
def _reporting_pages(pages: PageChannel | PageProgressCallback | None, relpath: str) -> Iterator[None]:
    """Within the block, OCR's page progress for ``relpath`` goes to ``pages``; a failure to report
    only stops the reports (progress never fails a file)."""
    if pages is None:
        yield
        return
    from nlp.readers import ocr

    connection: Any = None
    broken = False

    def tell(done: int, total: int, page: int) -> None:
        nonlocal connection, broken
        if broken:
            return
        try:
            if isinstance(pages, PageChannel):
                if connection is None:
                    from multiprocessing.connection import Client

                    connection = Client(pages.address, authkey=pages.authkey)
                connection.send((relpath, done, total, page))
            else:
                pages(PageProgress(relpath, done, total, page))
        except FileTimeoutError:
            broken = True
            raise
        except Exception:
            broken = True

    try:
        with ocr.page_progress(tell):
            yield
    finally:
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.close()


class _PageRelay:
    """The parent's end of the workers' page progress: a local listener whose messages reach a callback.

    Each worker file that OCRs connects once (authenticated with a random key) and sends
    ``(relpath, done, total, page)`` tuples; a thread per connection reads them and one thread
    calls the callback, in the order each file sent them, in the caller's context. Listening
    costs no process: files that are never OCR'd never connect.
    """

    def __init__(self, callback: PageProgressCallback) -> None:
        import contextvars
        import queue
        from multiprocessing.connection import Listener

        self.callback = callback
        self.context = contextvars.copy_context()
        authkey = os.urandom(32)
        self.listener = Listener(authkey=authkey)
        self.channel = PageChannel(self.listener.address, authkey)
        self.events: queue.SimpleQueue[tuple[str, int, int, int] | None] = queue.SimpleQueue()
        self.readers: list[threading.Thread] = []
        self.stopping = False
        self.acceptor = threading.Thread(target=self._accept, name="batch-pages-accept", daemon=True)
        self.dispatcher = threading.Thread(target=self._dispatch, name="batch-pages", daemon=True)
        self.acceptor.start()
        self.dispatcher.start()

    def _accept(self) -> None:
        # A worker sends its first message as soon as it is connected; close() sends None instead.
        while True:
            try:
                connection = self.listener.accept()
            except Exception:
                # A failed handshake, or no descriptor to spare: wait for the next worker. Workers are
                # never left waiting on a listener nobody accepts from, until close() says so.
                if self.stopping:
                    return
                time.sleep(0.01)
                continue
            try:
                first = connection.recv()
                if first is None:
                    connection.close()
                    return
                self._put(first)
                reader = threading.Thread(target=self._read, args=(connection,), name="batch-pages-read", daemon=True)
                reader.start()
                self.readers.append(reader)
            except Exception:  # the worker went away, or no thread to read it: its next send fails, and it stops
                connection.close()

    def _put(self, message: Any) -> None:
        try:
            relpath, done, total, page = message
            self.events.put((str(relpath), int(done), int(total), int(page)))
        except (TypeError, ValueError):
            pass  # not a progress message: ignored

    def _read(self, connection: Any) -> None:
        with contextlib.closing(connection):
            while True:
                try:
                    message = connection.recv()
                except Exception:
                    return  # the worker finished the file (EOF), or its connection broke
                self._put(message)

    def _dispatch(self) -> None:
        while (event := self.events.get()) is not None:
            with contextlib.suppress(Exception):
                self.context.run(self.callback, PageProgress(*event))

    def _wake(self) -> None:
        from multiprocessing.connection import Client

        with contextlib.suppress(Exception), Client(self.channel.address, authkey=self.channel.authkey) as connection:
            connection.send(None)

    def close(self, deliver: bool = True) -> None:
        """Stop listening; with ``deliver``, first pass on everything the finished files sent."""
        # The accepting thread takes every connection made before this call, then the wake-up.
        self.stopping = True
        threading.Thread(target=self._wake, name="batch-pages-wake", daemon=True).start()
        self.acceptor.join(timeout=10)
        if deliver:
            # Every file that connected has finished and closed its connection: its messages are all readable.
            deadline = time.monotonic() + 10
            for reader in list(self.readers):
                reader.join(timeout=max(0.0, deadline - time.monotonic()))
        self.events.put(None)
        if deliver:
            self.dispatcher.join(timeout=10)
        with contextlib.suppress(Exception):
            self.listener.close()


@contextlib.contextmanager
def _time_limit(seconds: float | None, name: str) -> Iterator[None]:
    """Raise FileTimeoutError in this thread after ``seconds`` (main thread of a Unix process only)."""
    usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise FileTimeoutError(name, Message("error.timeout", seconds=seconds))

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, float(seconds))  # type: ignore[arg-type]
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def batch(paths: Iterable[str | Path], jobs: int = 1, options: BatchOptions | None = None,
          root: Path | None = None, backend: str = "loky",
          page_progress: PageProgressCallback | None = None) -> Iterator[FileResult]:
    """Tag files in parallel and yield each result as it finishes (in no fixed order with jobs > 1).

    Each :class:`FileResult` has ``report`` (the dict of ``Report.to_dict()``, the JSON ``tag``
    writes) or ``error`` (``{"class", "message"}``); nothing is written to disk.

    ``page_progress`` is told of each page OCR'd (a :class:`PageProgress`), a file's pages in
    order, all before :func:`batch` finishes; with worker processes it is called from a thread
    of this process, possibly just after its file's result was yielded. Its failures are
    ignored. The Dask backend reports files only.

    >>> for result in batch(["a.pdf", "b.docx"], jobs=2):  # doctest: +SKIP
    ...     print(result.relpath, result.report["metadata"]["score"] if result.ok else result.error["message"])
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
            message = str(ReportError(rel, Message("error.rows_input_unreadable", detail=exc), Message("advice.check_path")))
            yield FileResult(str(path), rel, "", result_key("", version, rel),
                             error={"class": type(exc).__name__, "message": message})
            continue
        key = result_key(sha, version, rel)
        tasks.append((str(path), rel, sha, key))
    if not tasks:
        return
    if jobs == 1 and backend == "loky":
        for task in tasks:
            yield tag_one(*task, options, None, page_progress)
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
    relay = None
    if page_progress is not None:
        try:
            relay = _PageRelay(page_progress)
        except Exception:  # no local sockets here: files are still reported, pages are not
            relay = None
    channel = relay.channel if relay is not None else None
    delivered = False
    try:
        runner = Parallel(n_jobs=jobs, backend=backend, return_as="generator_unordered", batch_size=1)
        yield from runner(delayed(tag_one)(*task, options, None, channel) for task in tasks)
        delivered = True
    finally:
        if relay is not None:
            relay.close(deliver=delivered)


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
    store = "reports.jsonl.gz" if compress else "reports.jsonl"
    write_atomic(parts / INDEX, json.dumps({"file": store, "size": (out_dir / store).stat().st_size,
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
