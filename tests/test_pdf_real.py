"""Real PDFs as their publishers made them (../shared/real-docs; skipped when absent).

Every PDF is read (none refused), pages of tables give their tables, tables
continued over a page break are stitched, lines keep their digits, and what
pdfplumber's ``extract_text`` sees on a sample of files reaches the report JSON.
"""

from __future__ import annotations

import collections
import json
import re
import pytest

from nlp.readers.pdf import read_pdf
from tests.conftest import EXAMPLES, SHARED

REAL = SHARED / "real-docs"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-docs is not available")
NUMBER = re.compile(r"\d+\.\d+")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def docs():
    return {path.name: read_pdf(path) for path in sorted(REAL.glob("*.pdf"))}


@pytest.fixture(scope="module")
def reports():
    from nlp.tagging import Tagging

    tagging = Tagging(classify=False)
    names = ("001-shpt-czj-2024-final.pdf", "020-js-rdbgt-2019-budget-tables.pdf", "039-ha-hongze-2023-govinfo-annual.pdf",
             "024-js-swbgt-2017-budget.pdf")
    return {name: tagging.tag_file(REAL / name).to_dict() for name in names}


def test_every_real_pdf_is_read(docs):
    assert len(docs) >= 41
    for name, doc in docs.items():
        assert doc.lines or doc.tables, name
        assert all(r.reader == "pdfium" for r in doc.pages), (name, [r for r in doc.pages if r.reader != "pdfium"])


def test_every_character_ends_up_in_one_place(docs):
    """A line or a table cell: the characters of each page's text layer are all there, none twice."""
    for name, doc in docs.items():
        placed: collections.Counter[int | None] = collections.Counter()
        for line in doc.lines:
            placed[line.page] += len("".join(line.text.split()))
        for table in doc.tables:
            placed[table.page] += sum(len("".join(c.split())) for row in table.rows for c in row if c)
        for record in doc.pages:
            if not record.no_text:
                assert placed[record.page] == record.chars, (name, record)


@pytest.mark.parametrize("name", ["020-js-rdbgt-2019-budget-tables.pdf", "025-js-swbgt-2017-budget-tables.pdf"])
def test_pages_of_tables_give_their_tables(docs, name):
    doc = docs[name]
    pages_with_tables = {t.page for t in doc.tables}
    assert len(pages_with_tables) >= doc.page_count - 1, (name, sorted(pages_with_tables))
    cells = [c for t in doc.tables for row in t.rows for c in row if c]
    assert sum(1 for c in cells if NUMBER.fullmatch(c.replace(",", ""))) >= 50


def test_digits_in_another_font_stay_in_their_line(docs):
    text = "".join(line.text for line in docs["001-shpt-czj-2024-final.pdf"].lines if line.page == 21)
    assert "财政局2024年度收入支出总计2995.39万元。与2023年度相比" in text


def test_no_spaces_made_up_between_cjk_and_digits(docs):
    """PDFium's own text has a space at most CJK/digit boundaries; the lines keep only the source's spaces."""
    import pypdfium2 as pdfium

    boundary = re.compile(r"[\u4e00-\u9fff] \d|\d [\u4e00-\u9fff]")
    names = ("001-shpt-czj-2024-final.pdf", "021-js-jcy-2017-budget.pdf", "037-js-gy-2018-budget.pdf")
    made_up = kept = 0
    for name in names:
        pdf = pdfium.PdfDocument(REAL / name)
        made_up += sum(len(boundary.findall(pdf[i].get_textpage().get_text_range())) for i in range(len(pdf)))
        pdf.close()
        kept += sum(len(boundary.findall(line.text)) for line in docs[name].lines)
    assert made_up > 500 and kept < 0.05 * made_up, (made_up, kept)


def test_white_boxes_behind_text_are_not_tables(reports):
    report = reports["039-ha-hongze-2023-govinfo-annual.pdf"]
    assert len(report["paragraphs"]) >= 8
    assert not any(len(t["header"]) == 1 for t in report["tables"])


@pytest.mark.parametrize("name, pages", [("001-shpt-czj-2024-final.pdf", [6, 7]),
                                         ("039-ha-hongze-2023-govinfo-annual.pdf", [2, 3])])
def test_tables_continued_over_a_page_break_are_stitched(reports, name, pages):
    tables = reports[name]["tables"]
    stitched = [t for t in tables if t["pages"][:2] == pages]
    assert stitched, [t["pages"] for t in tables]
    # The continuation's rows follow the first page's, its header not repeated.
    assert stitched[0]["header"] not in stitched[0]["rows"]


def test_what_the_pages_say_reaches_the_report(reports):
    """Decimal numbers (each space-separated token of pdfplumber's text) and CJK characters are kept."""
    import pdfplumber

    totals = collections.Counter()
    for name, report in reports.items():
        with pdfplumber.open(REAL / name) as pdf:
            ref = "\n".join(p.extract_text() or "" for p in pdf.pages)
        got = json.dumps({k: v for k, v in report.items() if k not in ("source", "sha256")}, ensure_ascii=False)
        got = re.sub(r"(?<=\d),(?=\d{3})", "", got.replace(" ", ""))
        have_numbers = collections.Counter(NUMBER.findall(got))
        want_numbers = collections.Counter(n for tok in ref.split() for n in NUMBER.findall(tok.replace(",", "")))
        have_cjk, want_cjk = collections.Counter(CJK.findall(got)), collections.Counter(CJK.findall(ref))
        totals["numbers"] += sum(want_numbers.values())
        totals["numbers kept"] += sum(min(n, have_numbers[k]) for k, n in want_numbers.items())
        totals["cjk"] += sum(want_cjk.values())
        totals["cjk kept"] += sum(min(n, have_cjk[k]) for k, n in want_cjk.items())
    assert totals["numbers kept"] >= 0.99 * totals["numbers"], totals
    assert totals["cjk kept"] >= 0.99 * totals["cjk"], totals


def test_running_headers_and_page_numbers_are_recorded_not_lost(reports):
    furniture = reports["039-ha-hongze-2023-govinfo-annual.pdf"]["furniture"]
    assert [f["page"] for f in furniture] == [1, 2, 3, 4, 5]


def test_lines_carry_layout(docs):
    doc = docs["039-ha-hongze-2023-govinfo-annual.pdf"]
    title = next(line for line in doc.lines if "政府信息公开工作年度报告" in line.text)
    assert title.centred is True and title.top is not None
    heading = next(line for line in doc.lines if line.text == "一、总体情况")
    assert heading.bold is True
    body = next(line for line in doc.lines if line.text.startswith("2023年，洪泽区人民政府坚持"))
    assert body.bold is False and body.indented is True


def test_the_earlier_reader_stays_behind_a_flag(monkeypatch):
    monkeypatch.setenv("NLP_PDF_READER", "pdfplumber")
    doc = read_pdf(EXAMPLES / "jiangling-zsj-2024-self-evaluation.pdf")
    assert doc.pages and all(r.reader == "pdfplumber" for r in doc.pages)
    monkeypatch.delenv("NLP_PDF_READER")
    # PDFium by default; a page whose unembedded font this machine cannot draw goes to pdfminer, quietly.
    records = read_pdf(EXAMPLES / "jiangling-zsj-2024-self-evaluation.pdf").pages
    assert all(r.reader == "pdfium" or (r.reader == "pdfplumber" and r.quiet) for r in records)


def test_pages_whose_glyphs_pdfium_lacks_are_read_whole_by_pdfminer(monkeypatch):
    """The example names STSong-Light without embedding it: on a machine without a CJK font PDFium
    drops a cell's one wrapped character (运行|率). Such pages go to pdfminer, which reads the codes."""
    import nlp.readers.pdfium as pdfium_reader

    monkeypatch.setattr(pdfium_reader, "glyphs_missing", lambda *args: True)
    doc = read_pdf(EXAMPLES / "jiangling-zsj-2024-self-evaluation.pdf")
    assert doc.pages and all(r.reader == "pdfplumber" and r.quiet for r in doc.pages)
    assert not doc.warnings
    cells = [cell for table in doc.tables for row in table.rows for cell in row]
    assert any(cell.replace("\n", "") == "政务云平台正常运行率" for cell in cells)
    monkeypatch.undo()
    default = read_pdf(EXAMPLES / "jiangling-zsj-2024-self-evaluation.pdf")
    assert [line.text for line in default.lines] == [line.text for line in doc.lines]
    assert [t.rows for t in default.tables] == [t.rows for t in doc.tables]
