"""Benchmark PDF reading: the PDFium reader, the earlier pdfplumber reader, and pdfplumber's bare extract_text.

Each path runs in its own process on one core over the same files; times are CPU
seconds of that process (so that other work on a shared machine does not count),
medians over the repeats. Prints pages/s of each path, the PDFium reader's pages/s
on pages without and with tables, the speed-up over extract_text, and the peak
memory of each worker. ``--damaged N`` also damages N copies of each sampled file
(seeded; tests/pdfmutate.py) and prints the share still read, in whole or in part.

    python benchmarks/bench_pdf.py [--dir ../shared/real-docs] [--repeats 3] [--every 1] [--damaged 5]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PATHS = ("pdfium", "pdfplumber", "extract_text")


def worker(mode: str, files: list[str], repeats: int) -> dict:
    """Read ``files`` ``repeats`` times one way; return CPU seconds per repeat and page counts."""
    os.environ["NLP_PDF_READER"] = "pdfplumber" if mode == "pdfplumber" else "pdfium"
    import pdfplumber  # noqa: F401  (imports are not part of the reading time)

    from nlp.readers.pdf import read_pdf

    totals, plain, tabled = [], [], []
    pages = plain_pages = tabled_pages = 0
    for _ in range(repeats):
        start = time.process_time()
        plain_s = tabled_s = 0.0
        pages = plain_pages = tabled_pages = 0
        for name in files:
            if mode == "extract_text":
                with pdfplumber.open(name) as pdf:
                    for page in pdf.pages:
                        page.extract_text()
                        page.close()
                        pages += 1
                continue
            doc = read_pdf(Path(name))
            pages += doc.page_count
            for record in doc.pages:
                if record.tables:
                    tabled_s += record.seconds
                    tabled_pages += 1
                else:
                    plain_s += record.seconds
                    plain_pages += 1
        totals.append(time.process_time() - start)
        plain.append(plain_s)
        tabled.append(tabled_s)
    return {"seconds": totals, "pages": pages, "plain_seconds": plain, "plain_pages": plain_pages,
            "tabled_seconds": tabled, "tabled_pages": tabled_pages,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run(mode: str, files: list[str], repeats: int) -> dict:
    cmd = [sys.executable, __file__, "--worker", mode, "--repeats", str(repeats), "--files", *files]
    if hasattr(os, "sched_setaffinity"):
        cmd = ["taskset", "-c", "0", *cmd] if Path("/usr/bin/taskset").exists() else cmd
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def damaged(files: list[str], count: int, reader: str) -> None:
    from tests.pdfmutate import mutations, read_isolated

    with tempfile.TemporaryDirectory() as tmp:
        paths = [p for name in files for p in mutations(Path(name), count, seed=7, folder=Path(tmp))]
        started = time.perf_counter()
        outcomes = read_isolated(paths, reader=reader, timeout=60)
        wall = time.perf_counter() - started
    status = collections.Counter(o.status for o in outcomes)
    errors = collections.Counter(o.error for o in outcomes if o.status == "refused")
    read = status["read"] + status["partial"]
    pages = sum(o.pages_read for o in outcomes if o.status in ("read", "partial"))
    print(f"damaged ({reader}): {len(outcomes)} files from {len(files)} PDFs, read in whole or in part "
          f"{read} ({read / max(len(outcomes), 1):.0%}; {pages} pages), refused {status['refused']} {dict(errors)}, "
          f"unnamed errors {status['unnamed']}, crashed {status['crashed']}, timed out {status['timeout']} "
          f"({wall:.0f} s wall)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, default=Path(os.environ.get("NLP_SHARED_DIR", ROOT.parent / "shared")) / "real-docs")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--every", type=int, default=1, help="take every n-th file")
    parser.add_argument("--paths", nargs="*", default=list(PATHS), choices=PATHS)
    parser.add_argument("--damaged", type=int, default=0, help="damaged copies per sampled file (0: none)")
    parser.add_argument("--damaged-old", action="store_true", help="also read the damaged files with pdfplumber")
    parser.add_argument("--worker", choices=PATHS)
    parser.add_argument("--files", nargs="*", default=[])
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.files, args.repeats)))
        return
    files = [str(p) for p in sorted(args.dir.glob("*.pdf"))][:: args.every]
    if not files:
        sys.exit(f"no PDFs in {args.dir}")
    results = {}
    for mode in args.paths:
        r = run(mode, files, args.repeats)
        results[mode] = r
        rate = r["pages"] / statistics.median(r["seconds"])
        line = f"{mode:13s} {r['pages']} pages of {len(files)} files: {rate:7.1f} pages/s (CPU, median of {args.repeats})"
        if r["plain_pages"] and sum(r["plain_seconds"]) > 0:
            plain = r["plain_pages"] / max(statistics.median(r["plain_seconds"]), 1e-9)
            tabled = r["tabled_pages"] / max(statistics.median(r["tabled_seconds"]), 1e-9) if r["tabled_pages"] else 0
            line += (f"; pages without tables {r['plain_pages']}: {plain:.1f} pages/s, with tables "
                     f"{r['tabled_pages']}: {tabled:.1f} pages/s")
        line += f"; peak memory {r['peak_mb']:.0f} MB"
        print(line, flush=True)
    if "extract_text" in results:
        base = results["extract_text"]["pages"] / statistics.median(results["extract_text"]["seconds"])
        for mode in ("pdfium", "pdfplumber"):
            if mode in results:
                rate = results[mode]["pages"] / statistics.median(results[mode]["seconds"])
                print(f"{mode} reader / bare extract_text: {rate / base:.2f}x")
    if args.damaged:
        sample = files[:: max(1, len(files) // 12)][:12]
        damaged(sample, args.damaged, "pdfium")
        if args.damaged_old:
            damaged(sample, args.damaged, "pdfplumber")


if __name__ == "__main__":
    main()
