"""Benchmark batch tagging: an archive of generated PDF and DOCX reports, --jobs 1 vs --jobs 2.

Prints reports/s, pages/s, paragraphs/s, peak RSS per worker, the speed-up, the split of time
between reading and our own stages, the size of the output folder against the reports' text,
and the whole-process wall time of `tag` on a text report.

    python benchmarks/bench_batch.py [--reports 200] [--no-classify] [--tag-only] [--size-only] [--sample N [--plain]]

`--sample N` runs N copies of ../shared's sample report (35 KB of text; $NLP_SHARED_DIR, else ../shared),
under long Chinese file names as archives have them, with the default options and prints the
output size against their text.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.docgen import Block, docx_to_pdf, parse_source, write_docx  # noqa: E402

EXAMPLE = ROOT / "examples" / "jiangling-zsj-2024-self-evaluation.txt"
CITIES = ["江临", "云州", "白沙", "青川", "临海", "安平", "鹤山", "泽阳"]


def make_report(index: int, rng: random.Random) -> list[Block]:
    """Return a report of roughly 5–20 pages: the example, with its work sections repeated and varied."""
    text = EXAMPLE.read_text(encoding="utf-8").replace("江临", rng.choice(CITIES))
    blocks = parse_source(text)
    body = [b for b in blocks if b.kind == "para" and len(b.text) > 60]
    extra: list[Block] = []
    for k in range(rng.randint(3, 25)):
        extra.append(Block("heading", f"{k + 1}.第{k + 1}项重点工作进展情况", level=3))
        for block in rng.sample(body, k=min(4, len(body))):
            number = str(rng.randint(2, 9800))
            extra.append(Block("para", block.text.replace("1", number[0]).replace("6", number[-1])))
    cut = next(i for i, b in enumerate(blocks) if b.kind == "heading" and b.text.startswith("二、"))
    return blocks[:cut] + extra + blocks[cut:]


def make_archive(folder: Path, count: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    for i in range(count):
        blocks = make_report(i, rng)
        docx = write_docx(blocks, folder / f"d{i // 50:02d}" / f"report-{i:04d}.docx")
        if i % 2 == 0:  # half PDF, half DOCX
            docx_to_pdf(docx, docx.with_suffix(".pdf"))
            docx.unlink()


def watch_rss(pid: int, stop: threading.Event, peaks: dict[int, int]) -> None:
    import psutil

    parent = psutil.Process(pid)
    while not stop.is_set():
        try:
            for proc in [parent, *parent.children(recursive=True)]:
                try:
                    peaks[proc.pid] = max(peaks.get(proc.pid, 0), proc.memory_info().rss)
                except psutil.Error:
                    pass
        except psutil.Error:
            break
        time.sleep(0.2)


def run(archive: Path, out: Path, jobs: int, classify: bool, *extra: str) -> tuple[float, dict, dict[int, int]]:
    import json

    command = [sys.executable, str(ROOT / "cli.py"), "batch", str(archive), "--out", str(out), "--jobs", str(jobs),
               "--quiet", "--force", *extra] + ([] if classify else ["--no-classify"])
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT)
    stop, peaks = threading.Event(), {}
    watcher = threading.Thread(target=watch_rss, args=(process.pid, stop, peaks))
    watcher.start()
    process.wait()
    stop.set()
    watcher.join()
    seconds = time.perf_counter() - started
    return seconds, json.loads((out / "summary.json").read_text(encoding="utf-8")), peaks


def output_size(out: Path) -> None:
    """Print the output folder's size (default options) against the UTF-8 bytes of the reports' text."""
    import gzip
    import json

    text = 0
    store = out / "reports.jsonl.gz"
    with (gzip.open(store, "rt", encoding="utf-8") if store.exists() else open(out / "reports.jsonl", encoding="utf-8")) as handle:
        for line in handle:
            text += len(json.loads(line)["text"].encode("utf-8"))
    sizes = {p.relative_to(out).as_posix(): p.stat().st_size for p in out.rglob("*") if p.is_file()}
    total = sum(sizes.values())
    parts = sum(v for k, v in sizes.items() if k.startswith("parts/"))
    print(f"output folder: {total / 2**20:.1f} MB for {text / 2**20:.1f} MB of report text: {total / text:.2f}x "
          f"(target <= 3x); parts/ {parts / 2**20:.2f} MB")
    for name, size in sorted(sizes.items(), key=lambda item: -item[1])[:6]:
        print(f"  {name}: {size / 2**20:.2f} MB ({size / text:.2f}x)")


def sample_size(copies: int, classify: bool, *extra: str) -> None:
    """Batch N copies of the shared sample (each a little different) and print the output size."""
    import os

    shared = Path(os.environ.get("NLP_SHARED_DIR", ROOT.parent / "shared"))
    sample = shared / "samples" / "huizhou-zsj-2024-self-evaluation.txt"
    if not sample.is_file():
        print(f"{sample} is not available; nothing measured")
        return
    text = sample.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "archive"
        for i in range(copies):
            folder = archive / f"d{i // 100:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            year = str(1900 + i % 125)
            # named as archives name them: folder per department, long Chinese names (about 90 bytes a path)
            name = f"{CITIES[i % len(CITIES)]}市政务服务和数据管理局{year}年度部门整体支出绩效自评报告-{i:04d}.txt"
            (folder / name).write_text(text.replace("2024", year), encoding="utf-8")
        seconds, summary, peaks = run(archive, Path(tmp) / "out", 2, classify, *extra)
        source = sum(p.stat().st_size for p in archive.rglob("*.txt"))
        print(f"{copies} copies of {sample.name} ({source / copies / 1024:.1f} KB each), --jobs 2: {seconds:.1f} s, "
              f"peak RSS per process (MB): " + ", ".join(f"{r / 2**20:.0f}" for r in sorted(peaks.values())[-3:]))
        output_size(Path(tmp) / "out")


def split(archive: Path, classify: bool, sample: int = 12) -> None:
    """Time reading against our own stages on a few files, per page."""
    from nlp.pipeline import read_report
    from nlp.tagging import Tagging

    tagging = Tagging(classify=classify)
    tagging.tag_text("预热：2024年受理诉求1万件。")
    files = sorted(archive.rglob("*.*"))[:sample]
    pages = reading = stages = 0.0
    for path in files:
        started = time.perf_counter()
        report = read_report(path)
        middle = time.perf_counter()
        tagging.tag_report(report)
        stages += time.perf_counter() - middle
        reading += middle - started
        pages += report.page_count or 1
    for kind in ("pdf", "docx"):
        subset = [p for p in files if p.suffix == f".{kind}"]
        if subset:
            t0 = time.perf_counter()
            n = sum(read_report(p).page_count or 1 for p in subset)
            print(f"  reading {kind}: {(time.perf_counter() - t0) / n * 1000:.0f} ms/page")
    print(f"time per page: reading {reading / pages * 1000:.0f} ms, our stages {stages / pages * 1000:.0f} ms "
          f"({reading / (reading + stages):.0%} reading)")


def tag_wall_time(runs: int = 7) -> None:
    """Print the whole-process wall time of ``tag`` on the example text report, with and without the model."""
    for extra in ([], ["--no-classify"]):
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([sys.executable, str(ROOT / "cli.py"), "tag", *extra, str(EXAMPLE)], cwd=ROOT, check=True,
                           capture_output=True)
            times.append(time.perf_counter() - started)
        print(f"`python cli.py tag {' '.join(extra)}{' ' if extra else ''}{EXAMPLE.name}`: median "
              f"{statistics.median(times):.2f} s over {runs} runs (min {min(times):.2f} s, max {max(times):.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--no-classify", action="store_true")
    parser.add_argument("--tag-only", action="store_true", help="only time `tag` on one text report")
    parser.add_argument("--size-only", action="store_true", help="one --jobs 2 run: speed and output size only")
    parser.add_argument("--sample", type=int, default=0, help="N copies of ../shared's sample report instead")
    parser.add_argument("--plain", action="store_true", help="with --sample: batch --plain (nothing compressed but parts)")
    args = parser.parse_args()
    if args.tag_only:
        tag_wall_time()
        return
    classify = not args.no_classify
    if args.sample:
        sample_size(args.sample, classify, *(["--plain"] if args.plain else []))
        return
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "archive"
        started = time.perf_counter()
        make_archive(archive, args.reports)
        print(f"generated {args.reports} reports in {time.perf_counter() - started:.0f} s")
        if not args.size_only:
            split(archive, classify)
        results = {}
        for jobs in ((2,) if args.size_only else (1, 2)):
            seconds, summary, peaks = run(archive, Path(tmp) / f"out{jobs}", jobs, classify)
            results[jobs] = seconds
            workers = sorted(peaks.values(), reverse=True)
            print(f"--jobs {jobs}: {seconds:.1f} s, {summary['done'] / seconds:.2f} reports/s, "
                  f"{summary['pages'] / seconds:.1f} pages/s, {summary['paragraphs'] / seconds:.0f} paragraphs/s; "
                  f"{summary['pages']} pages; peak RSS per process (MB): "
                  + ", ".join(f"{r / 2**20:.0f}" for r in workers[:jobs + 1]))
        output_size(Path(tmp) / "out2")
        if args.size_only:
            return
        print(f"speed-up --jobs 2 / --jobs 1: {results[1] / results[2]:.2f}x")
    tag_wall_time()


if __name__ == "__main__":
    main()
