"""Damage PDFs on purpose (seeded) and read them in a worker process with a time limit.

PDFium can crash or hang on a broken file where no Python timer reaches it, so
every damaged file is read in a separate process that is killed when it runs
over its time; a worker that dies is replaced. Used by tests/test_pdf_damaged.py
and benchmarks/bench_pdf.py.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

KINDS = ("bitflip", "truncate", "zeroed", "duplicate", "xref")


def mutate(data: bytes, kind: str, rng: random.Random) -> bytes:
    """Return ``data`` damaged in one way: bit flips, a cut, a zeroed block, a chunk twice, a broken xref."""
    n = len(data)
    if kind == "bitflip":
        out = bytearray(data)
        for _ in range(rng.randint(3, 40)):
            i = rng.randrange(n)
            out[i] ^= 1 << rng.randrange(8)
        return bytes(out)
    if kind == "truncate":
        return data[: max(16, int(n * rng.uniform(0.15, 0.95)))]
    if kind == "zeroed":
        size = min(n // 4, rng.choice((512, 4096, 16384)))
        start = rng.randrange(max(1, n - size))
        return data[:start] + b"\x00" * size + data[start + size:]
    if kind == "duplicate":
        size = min(n // 4, rng.choice((256, 2048, 8192)))
        start = rng.randrange(max(1, n - size))
        at = rng.randrange(n)
        return data[:at] + data[start:start + size] + data[at:]
    if kind == "xref":
        out = bytearray(data)
        # Point startxref somewhere wrong and spoil the offsets of the xref table, if any.
        for match in re.finditer(rb"startxref\s+(\d+)", data):
            digits = str(rng.randrange(10 ** len(match.group(1)))).zfill(len(match.group(1))).encode()
            out[match.start(1):match.end(1)] = digits
        for match in list(re.finditer(rb"\n(\d{10}) (\d{5}) n", data))[: 200]:
            if rng.random() < 0.5:
                out[match.start(1):match.end(1)] = str(rng.randrange(10 ** 10)).zfill(10).encode()
        return bytes(out)
    raise ValueError(kind)


def mutations(source: Path, count: int, seed: int, folder: Path) -> list[Path]:
    """Write ``count`` damaged copies of ``source`` into ``folder`` (kinds in turn) and return their paths."""
    data = source.read_bytes()
    rng = random.Random(f"{seed}:{source.name}")
    out = []
    for i in range(count):
        kind = KINDS[i % len(KINDS)]
        path = folder / f"{source.stem}.{i:02d}-{kind}.pdf"
        path.write_bytes(mutate(data, kind, rng))
        out.append(path)
    return out


@dataclass
class Outcome:
    """What reading one damaged file gave."""

    path: str
    #: "read" (all pages), "partial" (some pages), "refused" (a named error), "unnamed" (any other
    #: exception), "timeout" or "crashed".
    status: str
    error: str | None = None
    pages: int = 0
    pages_read: int = 0
    warnings: int = 0


def _read_one(path: str, reader: str) -> dict[str, Any]:
    from nlp.errors import NlpError
    from nlp.readers.pdf import read_pdf

    try:
        doc = read_pdf(Path(path), reader=reader)
    except NlpError as exc:
        return {"status": "refused", "error": type(exc).__name__}
    except Exception as exc:  # what the test must never see
        return {"status": "unnamed", "error": f"{type(exc).__module__}.{type(exc).__name__}: {exc}"[:300]}
    read = sum(1 for r in doc.pages if r.reader != "none") if doc.pages else doc.page_count
    status = "read" if read >= doc.page_count and not doc.warnings else "partial"
    return {"status": status, "pages": doc.page_count, "pages_read": read, "warnings": len(doc.warnings)}


def _worker(conn: Any, reader: str) -> None:
    os.environ.setdefault("NLP_LANG", "en")
    while True:
        path = conn.recv()
        if path is None:
            return
        conn.send(_read_one(path, reader))


def read_isolated(paths: Iterable[Path], reader: str = "pdfium", timeout: float = 30.0) -> list[Outcome]:
    """Read every path in a worker process, killing and replacing it on a hang or a crash."""
    ctx = mp.get_context("fork")  # a fresh worker costs a fork, not an interpreter start
    proc: Any = None
    conn: Any = None
    out: list[Outcome] = []

    def start() -> None:
        nonlocal proc, conn
        conn, child = ctx.Pipe()
        proc = ctx.Process(target=_worker, args=(child, reader), daemon=True)
        proc.start()
        child.close()

    try:
        for path in paths:
            if proc is None or not proc.is_alive():
                start()
            conn.send(str(path))
            try:
                ready = conn.poll(timeout)
                result = conn.recv() if ready else None
            except (EOFError, OSError):
                ready, result = True, None
            if result is not None:
                out.append(Outcome(path=str(path), **result))
                continue
            status = "timeout" if not ready else "crashed"
            out.append(Outcome(path=str(path), status=status, error=f"exit code {proc.exitcode}"))
            proc.kill()
            proc.join()
            proc = None
    finally:
        if proc is not None and proc.is_alive():
            conn.send(None)
            proc.join(5)
            if proc.is_alive():
                proc.kill()
    return out
