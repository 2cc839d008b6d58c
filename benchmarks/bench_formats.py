"""Benchmark the readers of Excel, web pages, OFD and legacy Word (.doc via LibreOffice).

Writes the test 自评表 as XLSX and XLS, the GB2312 portal page and an OFD report, reads each
--repeat times and prints the median read time (file → Report). With LibreOffice installed
it also converts the example DOCX to .doc, reads the .doc back, prints the conversion and
read times and whether its paragraphs and tables equal the DOCX's.

    python benchmarks/bench_formats.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import formatgen as gen  # noqa: E402

EXAMPLE = ROOT / "examples" / "jiangling-zsj-2024-self-evaluation.docx"


def timed(path: Path, repeat: int) -> tuple[float, object]:
    from nlp.pipeline import read_report

    seconds = []
    report = None
    for _ in range(repeat):
        started = time.perf_counter()
        report = read_report(path)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = [gen.write_selfeval_xlsx(folder / "自评表.xlsx"), gen.write_gb2312_page(folder / "page.htm")[0],
                 gen.write_ofd(folder / "report.ofd", gen.layout_ofd_pages([f"第{i + 1}项，{text}" for i, text in enumerate([gen.GOAL_PLAN, gen.GOAL_DONE, gen.DEVIATION, gen.PROBLEMS] * 10)], lines_per_page=11))]
        try:
            files.insert(1, gen.write_selfeval_xls(folder / "自评表.xls"))
        except ImportError:
            print("xlwt is not installed: no XLS")
        for path in files:
            seconds, report = timed(path, args.repeat)
            print(f"{path.suffix:6} {seconds * 1000:8.1f} ms median  pages {report.page_count}  "  # type: ignore[attr-defined]
                  f"paragraphs {len(report.paragraphs)}  tables {len(report.tables)}")  # type: ignore[attr-defined]
        if shutil.which("soffice") is None:
            print(".doc: LibreOffice (soffice) is not installed; skipped")
            return
        started = time.perf_counter()
        subprocess.run(["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                        "--convert-to", "doc:MS Word 97", "--outdir", str(folder), str(EXAMPLE)],
                       check=True, capture_output=True, timeout=300)
        made = time.perf_counter() - started
        doc = folder / (EXAMPLE.stem + ".doc")
        seconds, report = timed(doc, max(1, min(args.repeat, 3)))
        _, original = timed(EXAMPLE, 1)
        same_paragraphs = [p.text for p in report.paragraphs] == [p.text for p in original.paragraphs]  # type: ignore[attr-defined]
        same_tables = ([(t.header, t.rows) for t in report.tables]  # type: ignore[attr-defined]
                       == [(t.header, t.rows) for t in original.tables])  # type: ignore[attr-defined]
        print(f".doc   made by LibreOffice in {made:.2f} s; read (conversion + DOCX reader) {seconds:.2f} s median; "
              f"paragraphs equal to the DOCX's: {same_paragraphs} ({len(report.paragraphs)}), "  # type: ignore[attr-defined]
              f"tables equal: {same_tables} ({len(report.tables)})")  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
