"""Render the sample's review page: page size, render time, and a screenshot in a real browser.

    python benchmarks/bench_render.py [REPORT] [--repeat 20]

Prints the page size, the median time to render the page from a tagged report (and to tag
it), and, where Chromium is installed (/usr/bin/chromium, or $CHROMIUM), what the browser
shows: paragraphs and indicator rows visible, console errors, and the time to load the page.
Screenshots go to benchmarks/output/ (not committed): the top of the page, the whole page,
and the page after a click on the first finding.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLE = Path(os.environ.get("NLP_SHARED_DIR", ROOT.parent / "shared")) / "samples" / "huizhou-zsj-2024-self-evaluation.txt"
OUTPUT = ROOT / "benchmarks" / "output"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("report", nargs="?", type=Path, default=SAMPLE)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if not args.report.is_file():
        sys.exit(f"{args.report} not found")

    from nlp.render import render_report
    from nlp.tagging import Tagging

    tagging = Tagging()
    tagging.tag_file(args.report)  # load the model and dictionary once, outside the timings
    tag_times, render_times = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        data = tagging.tag_file(args.report).to_dict()
        tag_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        page = render_report(data)
        render_times.append(time.perf_counter() - started)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    target = OUTPUT / f"{args.report.stem}.html"
    target.write_text(page, encoding="utf-8")
    size = len(page.encode("utf-8"))
    print(f"report: {args.report.name}: {len(data['paragraphs'])} paragraphs, {len(data['indicators'])} indicator rows, "
          f"{sum(len(p['quantities']) for p in data['paragraphs'])} quantities, {len(data['findings'])} findings")
    print(f"page size: {size:,} bytes ({size / 1024:.1f} KiB) -> {target.relative_to(ROOT)}")
    print(f"render (dict -> HTML): median {statistics.median(render_times) * 1000:.1f} ms over {args.repeat} runs "
          f"(tag: median {statistics.median(tag_times) * 1000:.0f} ms)")
    browse(target, len(data["paragraphs"]), len(data["indicators"]))


def browse(page_path: Path, paragraphs: int, indicators: int) -> None:
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        print(f"no Chromium at {chromium}: no screenshot")
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        loads = []
        for _ in range(5):
            started = time.perf_counter()
            page.goto(page_path.as_uri(), wait_until="load")
            loads.append(time.perf_counter() - started)
        shown_paragraphs = page.locator("article.para:visible").count()
        shown_rows = page.locator("tr.indicator:visible").count()
        print(f"browser: load median {statistics.median(loads) * 1000:.0f} ms; {shown_paragraphs}/{paragraphs} paragraphs "
              f"and {shown_rows}/{indicators} indicator rows visible; console errors: {len(errors)}")
        for error in errors:
            print(f"  console: {error}")
        page.screenshot(path=str(OUTPUT / f"{page_path.stem}-top.png"))
        page.screenshot(path=str(OUTPUT / f"{page_path.stem}-full.png"), full_page=True)
        if page.locator("li.finding").count():
            page.locator("li.finding").first.click()
            page.wait_for_timeout(300)
            print(f"first finding clicked: {page.locator('.hit').count()} elements highlighted")
            page.screenshot(path=str(OUTPUT / f"{page_path.stem}-finding.png"))
        browser.close()
    print(f"screenshots in {OUTPUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
