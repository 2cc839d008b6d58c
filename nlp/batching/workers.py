"""Tagging files in worker processes (loky or Dask): the model each worker loads once, one file's
tagging under its time limit, and the parallel loop."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.batching.pages import PageChannel, PageProgress, PageProgressCallback, _PageRelay
from nlp.batching.results import BatchOptions, FileResult
from nlp.errors import ReportError
from nlp.messages import Message
from nlp.pipeline import sha256_file


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
