"""The review page in a real browser (Debian's Chromium through Playwright): loads cleanly, shows everything, reacts.

Skipped only where no Chromium is installed (``.ci/run`` installs it with apt-get); set
``CHROMIUM`` to use another binary.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from nlp.render import render_index, render_report
from nlp.render.html import index_row
from nlp.tagging import Tagging
from tests.conftest import EXAMPLES

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
EXAMPLE = EXAMPLES / "jiangling-zsj-2024-self-evaluation.txt"
HOSTILE = """一、总体情况
<script>window.__pwned = 1; console.error("injected")</script>全年办件量86.42万件。
<img src=x onerror="window.__pwned = 2">办结率99.5%。
"""

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    example = Tagging().tag_file(EXAMPLE).to_dict()
    hostile = Tagging(classify=False).tag_text(HOSTILE, source="<script>alert(1)</script>.txt").to_dict()
    paths = {"example": folder / "example.html", "hostile": folder / "hostile.html", "index": folder / "index.html"}
    paths["example"].write_text(render_report(example), encoding="utf-8")
    paths["hostile"].write_text(render_report(hostile), encoding="utf-8")
    rows = [index_row(example, "example.html", "b/example.txt"), index_row(hostile, "hostile.html", "a/hostile.txt"),
            index_row(None, None, "c/broken.pdf", {"class": "CorruptFileError", "message": "damaged"})]
    rows[0]["score"], rows[1]["score"] = "88.5", "91"
    paths["index"].write_text(render_index(rows), encoding="utf-8")
    return paths


@pytest.fixture()
def open_page(browser):
    opened = []

    def open_(path: Path):
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("request", lambda request: errors.append(f"request {request.url}")
                if not request.url.startswith(("file:", "data:", "about:")) else None)
        page.goto(path.as_uri(), wait_until="load")
        opened.append(page)
        return page, errors

    yield open_
    for page in opened:
        page.close()


def test_page_loads_without_console_errors_and_shows_every_paragraph_and_indicator(open_page, pages):
    page, errors = open_page(pages["example"])
    paragraphs = page.locator("article.para")
    rows = page.locator("tr.indicator")
    assert paragraphs.count() > 10 and rows.count() > 0
    assert page.locator("article.para:visible").count() == paragraphs.count()
    assert page.locator("tr.indicator:visible").count() == rows.count()
    assert page.locator("mark.q:visible").count() > 0
    assert errors == []


def test_clicking_a_finding_highlights_and_scrolls_to_its_evidence(open_page, pages):
    page, errors = open_page(pages["example"])
    finding = page.locator("li.finding[data-spans]:not([data-spans=''])").first
    expected = finding.locator("ul.evidence li").all_inner_texts()
    assert page.locator(".hit").count() == 0
    finding.click()
    hits = page.locator(".hit")
    assert hits.count() >= 1
    texts = hits.all_inner_texts()
    assert all(any(t in e for e in expected) for t in texts), (texts, expected)
    in_view = hits.first.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }")
    assert in_view
    assert errors == []


def test_unmet_finding_highlights_its_indicator_row(open_page, pages):
    page, _ = open_page(pages["example"])
    finding = page.locator("li.finding[data-rows]:not([data-rows=''])")
    if finding.count() == 0:
        pytest.skip("the example has no unmet indicator finding")
    finding.first.click()
    assert page.locator("tr.indicator.hit").count() == 1


def test_category_filter_hides_the_other_categories(open_page, pages):
    page, errors = open_page(pages["example"])
    options = page.locator("#filter-category option").all()
    chosen = options[1].get_attribute("value")
    page.select_option("#filter-category", chosen)
    visible = page.locator("article.para:visible")
    hidden = page.locator("article.para.hidden")
    assert visible.count() >= 1 and hidden.count() >= 1
    assert all(chosen in (v or "").split("|") for v in
               visible.evaluate_all("els => els.map(e => e.getAttribute('data-labels'))"))
    assert all(chosen not in (v or "").split("|") for v in
               hidden.evaluate_all("els => els.map(e => e.getAttribute('data-labels'))"))
    page.select_option("#filter-category", "")
    assert page.locator("article.para.hidden").count() == 0
    assert errors == []


def test_finding_kind_filter_hides_the_other_kinds(open_page, pages):
    page, _ = open_page(pages["example"])
    kinds = [o.get_attribute("value") for o in page.locator("#filter-kind option").all()][1:]
    if len(kinds) < 2:
        pytest.skip("the example has findings of one kind only")
    page.select_option("#filter-kind", kinds[0])
    shown = page.locator("li.finding:visible").evaluate_all("els => els.map(e => e.getAttribute('data-kind'))")
    assert shown and set(shown) == {kinds[0]}


def test_script_in_a_report_is_shown_as_text_and_never_runs(open_page, pages):
    page, errors = open_page(pages["hostile"])
    assert page.evaluate("() => window.__pwned") is None
    text = page.locator("article.para").first.inner_text()
    assert '<script>window.__pwned' in text and 'console.error("injected")</script>' in text
    assert "<img src=x" in page.locator("main").inner_text()
    assert page.locator("main img, main script").count() == 0
    assert page.title().startswith("<script>alert(1)</script>.txt")
    assert errors == []


def test_index_sorts_by_a_column(open_page, pages):
    page, errors = open_page(pages["index"])
    assert page.locator("#reports tbody tr").count() == 3
    header = page.locator("#reports th", has_text="得分")
    header.click()
    assert page.locator("#reports tbody tr td:nth-child(4)").all_inner_texts() == ["88.5", "91", "—"]
    header.click()
    assert page.locator("#reports tbody tr td:nth-child(4)").all_inner_texts() == ["91", "88.5", "—"]
    page.locator("#reports th", has_text="文件").click()
    assert page.locator("#reports tbody tr td:first-child").all_inner_texts() == ["a/hostile.txt", "b/example.txt",
                                                                               "c/broken.pdf"]
    assert errors == []


def test_sample_page_shows_all_paragraphs_and_14_indicators(open_page, sample_path, tmp_path):
    report = Tagging().tag_file(sample_path).to_dict()
    path = tmp_path / "sample.html"
    path.write_text(render_report(report), encoding="utf-8")
    page, errors = open_page(path)
    assert page.locator("article.para:visible").count() == len(report["paragraphs"])
    assert page.locator("tr.indicator:visible").count() == 14
    assert errors == []


def test_side_panels_stay_below_a_tall_header(open_page, tmp_path):
    """Regression: with warnings the sticky header grew over the top of the outline and findings panels."""
    report = Tagging().tag_file(EXAMPLE).to_dict()
    report["warnings"] = [f"第 {i} 页没有可用文字（扫描页，或字体缺少 Unicode 映射）；需对这些页做 OCR 才能纳入" for i in range(3)]
    path = tmp_path / "warned.html"
    path.write_text(render_report(report), encoding="utf-8")
    page, errors = open_page(path)
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(200)
    header_bottom = page.locator("header.top").evaluate("e => e.getBoundingClientRect().bottom")
    for panel in ("nav.outline h2", "aside.findings h2"):
        assert page.locator(panel).evaluate("e => e.getBoundingClientRect().top") >= header_bottom, panel
    assert errors == []
