"""Benchmark OCR of scanned pages: a text PDF's pages rendered to images, read back by OCR.

Renders each page of a text PDF (default: the example report; any PDF may be given) at
--dpi into an image-only PDF (a scan without the scanner's noise), reads it with the OCR
path of the PDF reader, and prints:

* the engine's start-up time and the OCR time per page (median, min, max) and pages/s;
* character similarity of the OCR'd text to the text layer, per page and over all pages
  (difflib ratio, white space removed);
* paragraphs re-joined: of the text PDF's paragraphs, how many have an OCR paragraph
  with ratio ≥ 0.9 (whole, not cut at line ends), and how many match exactly.

    python benchmarks/bench_ocr.py [--pdf FILE] [--dpi 200] [--pages 1-3]

Needs the ocr extra: pip install -e ".[ocr]".
"""

from __future__ import annotations

import argparse
import difflib
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EXAMPLE = ROOT / "examples" / "jiangling-zsj-2024-self-evaluation.pdf"


def page_list(spec: str | None, count: int) -> list[int]:
    if not spec:
        return list(range(1, count + 1))
    pages: list[int] = []
    for part in spec.split(","):
        first, _, last = part.partition("-")
        pages.extend(range(int(first), int(last or first) + 1))
    return [p for p in pages if 1 <= p <= count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", type=Path, default=EXAMPLE, help="a PDF with a text layer")
    parser.add_argument("--dpi", type=int, default=200, help="resolution of the scan (and of OCR rendering)")
    parser.add_argument("--pages", help="pages to scan, e.g. 1-3,5 (default: all)")
    args = parser.parse_args()

    import pdfplumber
    import pypdfium2 as pdfium

    from nlp.document import Report
    from nlp.pipeline import read_report
    from nlp.readers import ocr
    from nlp.readers.pdf import read_pdf
    from nlp.structure import recover

    if not ocr.available():
        sys.exit('the ocr extra is not installed: pip install -e ".[ocr]"')
    document = pdfium.PdfDocument(str(args.pdf))
    pages = page_list(args.pages, len(document))
    with tempfile.TemporaryDirectory() as tmp:
        scan = Path(tmp) / "scan.pdf"
        images = [document[p - 1].render(scale=args.dpi / 72, grayscale=True).to_pil() for p in pages]
        document.close()
        images[0].save(scan, save_all=True, append_images=images[1:], resolution=args.dpi)

        started = time.perf_counter()
        ocr.engine()
        startup = time.perf_counter() - started
        seconds: list[float] = []
        results = []
        for number in range(1, len(pages) + 1):
            started = time.perf_counter()
            results.extend(ocr.ocr_pdf_pages(scan, [number], dpi=args.dpi))
            seconds.append(time.perf_counter() - started)
        raw = read_pdf(scan)  # the whole path: OCR again, lines put in place, page records
    with pdfplumber.open(args.pdf) as pdf:
        layers = [re.sub(r"\s", "", pdf.pages[p - 1].extract_text() or "") for p in pages]
    ratios = []
    for layer, result in zip(layers, results):
        read = re.sub(r"\s", "", "".join(line.text for line in result.lines))
        ratios.append(difflib.SequenceMatcher(None, layer, read, autojunk=False).ratio())
    whole_layer = "".join(layers)
    whole_read = re.sub(r"\s", "", "".join(line.text for line in raw.lines))
    overall = difflib.SequenceMatcher(None, whole_layer, whole_read, autojunk=False).ratio()

    report = recover(raw, Report(source=str(args.pdf), sha256="", format="pdf", page_count=raw.page_count, text=""))
    original = [p.text for p in read_report(args.pdf).paragraphs if p.page in pages]
    got = [p.text for p in report.paragraphs]
    whole = sum(1 for p in original if got and max(difflib.SequenceMatcher(None, p, g).ratio() for g in got) >= 0.9)
    exact = sum(1 for p in original if p in got)

    print(f"file: {args.pdf.name}, pages {len(pages)}, {args.dpi} dpi")
    print(f"engine start-up: {startup:.2f} s")
    print(f"OCR per page: median {statistics.median(seconds):.2f} s (min {min(seconds):.2f}, max {max(seconds):.2f}); "
          f"{len(pages) / sum(seconds):.3f} pages/s")
    print("character similarity to the text layer per page: " + ", ".join(f"{r:.4f}" for r in ratios))
    print(f"character similarity over all pages: {overall:.4f}")
    print(f"mean confidence: {statistics.fmean(r.confidence for r in results):.4f}")
    print(f"paragraphs re-joined (ratio >= 0.9): {whole}/{len(original)}; exactly equal: {exact}/{len(original)}")


if __name__ == "__main__":
    main()
