"""Structure on real published PDFs (../shared/real-docs; skipped where absent).

``tests/fixtures/real_pages.json`` holds what 29 pages of those files show,
counted by eye against page images: the length (non-space characters) of every
heading and paragraph that starts on the page, the length of a paragraph's tail
carried over from the previous page, and how many tables the page holds. No
text of the files is kept in the repository; the scorer below matches the
paragraphs the reader produced for a page against those lengths.

- a paragraph is *whole* when one of ours on its page has its length (within
  3 %, at least 2 characters) and no other expected paragraph took that one;
  a carried-over tail is whole when no paragraph of ours starts with it (it
  was joined to the paragraph of the previous page);
- *lost* characters are the expected characters of the page's paragraphs and
  headings that ours do not reach (page totals, never below 0);
- a *false heading* is a heading of ours on the page that matches no expected
  heading.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SHARED

REAL = SHARED / "real-docs"
PAGES = json.loads((FIXTURES / "real_pages.json").read_text(encoding="utf-8"))["pages"]

needs_real = pytest.mark.skipif(not (REAL / "INDEX.tsv").is_file(), reason="../shared/real-docs is not available")


def _n(text: str) -> int:
    return len(re.sub(r"\s", "", text))


def _close(ours: int, expected: int) -> bool:
    return abs(ours - expected) <= max(2, 0.03 * expected)


def _take(found: list[int], expected: int) -> bool:
    """Remove from ``found`` the length closest to ``expected`` if it is close enough."""
    best = min(found, key=lambda x: abs(x - expected), default=None)
    if best is None or not _close(best, expected):
        return False
    found.remove(best)
    return True


@dataclass
class PageScore:
    doc: str
    page: int
    paragraphs: int = 0
    whole: int = 0
    expected_chars: int = 0
    lost_chars: int = 0
    headings: int = 0
    headings_found: int = 0
    false_headings: int = 0
    extra_pieces: int = 0
    tables: int = 0
    tables_found: int = 0

    def row(self) -> str:
        return (f"{self.doc} p{self.page:<3} paragraphs {self.whole:>2}/{self.paragraphs:<2} whole, "
                f"lost {self.lost_chars:>4}/{self.expected_chars:<5} chars, headings {self.headings_found}/"
                f"{self.headings} false {self.false_headings}, extra pieces {self.extra_pieces}, "
                f"tables {self.tables_found}/{self.tables}")


def score_page(report, doc: str, page: int, spec: dict) -> PageScore:
    """Compare the report's paragraphs, headings and tables on ``page`` with the counted ``spec``."""
    score = PageScore(doc, page)
    ours_p = [_n(p.text) for p in report.paragraphs if p.page == page]
    ours_h = [_n(report.text[s.start:s.end]) for s in report.sections if s.page == page]
    if report.metadata.title and page == 1:
        ours_h.append(_n(report.metadata.title))  # the report's title, read from its first page
    expected_p = list(spec["paragraphs"])
    carried = spec.get("carried", 0)
    score.paragraphs = len(expected_p) + (1 if carried else 0)
    free = list(ours_p)
    score.whole = sum(_take(free, length) for length in expected_p)
    unjoined = 0
    if carried:
        unjoined = next((x for x in free if _close(x, carried)), 0)
        score.whole += not unjoined
    score.extra_pieces = len(free)
    free_h = list(ours_h)
    score.headings = len(spec["headings"])
    score.headings_found = sum(_take(free_h, length) for length in spec["headings"])
    score.false_headings = len(free_h)
    score.expected_chars = sum(expected_p) + sum(spec["headings"])
    # A tail left unjoined is the previous page's text, not this page's.
    reached = sum(ours_p) + sum(ours_h) - unjoined
    score.lost_chars = max(0, score.expected_chars - reached)
    score.tables = spec.get("tables", 0)
    score.tables_found = sum(1 for t in report.tables if page in (t.pages or [t.page]))
    return score


@pytest.fixture(scope="module")
def real_reports():
    from nlp.pipeline import read_report

    if not (REAL / "INDEX.tsv").is_file():
        pytest.skip("../shared/real-docs is not available")
    reports = {}
    for doc in PAGES:
        path = next(REAL.glob(f"{doc}-*.pdf"))
        reports[doc] = read_report(path)
    return reports


@pytest.fixture(scope="module")
def page_scores(real_reports) -> list[PageScore]:
    scores = [score_page(real_reports[doc], doc, int(page), spec)
              for doc, pages in PAGES.items() for page, spec in pages.items()]
    for score in scores:
        print(score.row())
    return scores


def test_fixture_covers_the_29_pages():
    assert sum(len(pages) for pages in PAGES.values()) == 29


def test_paragraphs_whole_on_real_pages(page_scores):
    whole = sum(s.whole for s in page_scores)
    total = sum(s.paragraphs for s in page_scores)
    print(f"paragraphs whole: {whole}/{total} = {whole / total:.1%}")
    assert whole / total >= 0.97


def test_nothing_lost_on_real_pages(page_scores):
    lost = sum(s.lost_chars for s in page_scores)
    total = sum(s.expected_chars for s in page_scores)
    print(f"characters lost: {lost}/{total} = {lost / total:.2%}")
    assert lost / total <= 0.01


def test_no_false_headings_on_real_pages(page_scores):
    false = [(s.doc, s.page, s.false_headings) for s in page_scores if s.false_headings]
    found = sum(s.headings_found for s in page_scores)
    print(f"headings found: {found}/{sum(s.headings for s in page_scores)}; false: {false}")
    assert false == []


# --- Metadata: department and year as INDEX.tsv names them ---------------------------------------------

def expected_metadata(title: str) -> tuple[str, int]:
    """Department and year from INDEX.tsv's title/department column ("上海市普陀区财政局 2024年度部门决算")."""
    match = re.search(r"(20\d{2})\s*年", title)
    assert match, title
    before = title[:match.start()]
    if "(" in before:  # "附件2 … (上海市 XX 局 2024年度…": the name is inside the brackets
        before = before.rsplit("(", 1)[1]
    return re.sub(r"\s", "", before), int(match.group(1))


def same_department(ours: str | None, expected: str) -> bool:
    """Equal, or the same body named with or without its higher level, in full or short form.

    A report may name itself without its city ("洪泽区人民政府" for 淮安市洪泽区人民政府)
    or with a level the index leaves out ("…区人民政府万里街道办事处" for "…区万里街道办事处").
    """
    if not ours:
        return False
    ours, expected = (re.sub(r"\s", "", x).replace("中国共产党", "中共").replace("委员会", "委") for x in (ours, expected))
    if ours == expected:
        return True
    if expected.endswith(ours) and len(ours) >= 5:
        return True
    chars = iter(ours)
    return all(c in chars for c in expected) and len(ours) - len(expected) <= 4 and ours[-2:] == expected[-2:]


def _index_rows() -> list[dict[str, str]]:
    with (REAL / "INDEX.tsv").open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t") if row["file"].endswith(".pdf")]


@pytest.mark.parametrize(("ours", "expected", "same"), [
    ("上海市普陀区财政局", "上海市普陀区财政局", True),
    ("江苏省人大常委", "江苏省人大常委会办公厅", False),
    ("2017年度江苏省高级人民法院", "江苏省高级人民法院", False),
    ("洪泽区人民政府", "淮安市洪泽区人民政府", True),
    ("上海市普陀区人民政府万里街道办事处", "上海市普陀区万里街道办事处", True),
    ("人民政府", "淮安市人民政府", False),
    ("中国共产党江苏省委员会办公厅", "中共江苏省委办公厅", True),
])
def test_same_department(ours, expected, same):
    assert same_department(ours, expected) is same


@needs_real
def test_department_and_year_of_real_pdfs():
    from nlp.errors import NlpError
    from nlp.pipeline import read_report

    rows = _index_rows()
    assert len(rows) == 41
    wrong = []
    for row in rows:
        department, year = expected_metadata(row["title/department"])
        try:
            meta = read_report(REAL / row["file"]).metadata
        except NlpError as exc:
            wrong.append(f"{row['file'][:3]}: {type(exc).__name__}")
            continue
        if not (same_department(meta.department, department) and meta.year == year):
            wrong.append(f"{row['file'][:3]}: {meta.department!r} {meta.year} (index: {department} {year})")
    right = len(rows) - len(wrong)
    print(f"department and year right: {right}/{len(rows)}", *wrong, sep="\n  ")
    assert right >= 0.95 * len(rows)


# --- A long report typed without first-line indents, converted by LibreOffice ----------------------------

def test_libreoffice_report_without_indents(sample_report, tmp_path):
    """The sample as a DOCX with no first-line indents and bold body-size headings, exported by LibreOffice."""
    import shutil
    import subprocess

    from nlp.pipeline import read_report
    from tests.docgen import blocks_from_report, write_docx

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    docx_path = write_docx(blocks_from_report(sample_report), tmp_path / "plain.docx", indent=False,
                           heading_styles=False)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(docx_path)], check=True, capture_output=True, timeout=180)
    pdf = read_report(tmp_path / "plain.pdf")
    assert pdf.page_count >= 5
    expected = [p.text for p in sample_report.paragraphs]
    found = {p.text for p in pdf.paragraphs}
    whole = sum(text in found for text in expected)
    headings = {s.heading for s in pdf.sections}
    print(f"LibreOffice, no indents: {whole}/{len(expected)} paragraphs whole, "
          f"{len(headings & {s.heading for s in sample_report.sections})}/{len(sample_report.sections)} headings")
    assert whole >= 0.95 * len(expected)
