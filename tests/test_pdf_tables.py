"""Ruled tables from PDFium's geometry: pages of tables, boxes round text, tables stitched over a page break."""

from __future__ import annotations

from pathlib import Path

from nlp.readers.pdf import read_pdf
from nlp.readers.raw import RawTable
from nlp.tables import stitch


def _table_pdf(path: Path, rows: list[list[str]], boxed_text: str | None = None) -> Path:
    """Write a PDF page holding only a ruled table (and, if given, text in a white box and a black frame)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
    from reportlab.lib.styles import ParagraphStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("c", fontName="STSong-Light", fontSize=10, leading=14, wordWrap="CJK")
    story: list[object] = []
    if boxed_text:
        box = Table([[Paragraph(boxed_text, style)]], colWidths=[400])
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.black)]))
        story.append(box)
    grid = Table([[Paragraph(c, style) for c in row] for row in rows], colWidths=[120, 90, 90])
    grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story.append(grid)
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(story)
    return path


def test_a_page_of_tables_only_is_tables_not_a_scan(tmp_path):
    rows = [["项目", "预算数", "决算数"], ["基本支出", "2,336.91", "2,300.00"], ["项目支出", "603.14", "600.00"]]
    doc = read_pdf(_table_pdf(tmp_path / "tables.pdf", rows))
    assert [t.rows for t in doc.tables] == [rows]
    assert not doc.lines and not doc.warnings


def test_a_box_drawn_round_text_is_text(tmp_path):
    text = "本报告由区人民政府办公室根据条例要求编制。报告中所列数据统计期限自2023年1月1日起至2023年12月31日止。"
    rows = [["项目", "预算数", "决算数"], ["基本支出", "2,336.91", "2,300.00"]]
    doc = read_pdf(_table_pdf(tmp_path / "boxed.pdf", rows, boxed_text=text))
    assert [t.rows for t in doc.tables] == [rows]
    assert "".join(line.text for line in doc.lines) == text



def _part(rows, page, columns, position=5):
    return RawTable(rows=rows, page=page, pages=[page], position=position, origin="pdf", columns=columns)


def test_a_table_continued_on_the_next_page_is_stitched():
    header = ["项目", "预算数", "决算数"]
    first = _part([header, ["基本支出", "2,336.91", "2,300.00"], ["项目支出（含信息化", "603.14", "600.00"]], 6,
                  [40, 160, 250, 340])
    # The next page repeats the header; its first row finishes the cell the break split.
    second = _part([header, ["项目）", "", ""], ["其他支出", "1.00", "1.00"]], 7, [40.5, 160, 250.2, 340])
    (table,) = stitch([first, second])
    assert table.pages == [6, 7]
    assert table.rows == [header, ["基本支出", "2,336.91", "2,300.00"], ["项目支出（含信息化项目）", "603.14", "600.00"],
                          ["其他支出", "1.00", "1.00"]]


def test_a_continuation_with_merged_columns_is_mapped_onto_the_columns_before():
    first = _part([["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "0", "0", "0"]], 2,
                  [76, 231, 338, 422, 517])
    second = _part([["信息内容", "本年处理决定数量"], ["行政处罚", "4119"]], 3, [76, 231, 517])
    (table,) = stitch([first, second])
    assert table.rows[-1] == ["行政处罚", "4119", "", ""]


def test_tables_apart_are_not_stitched():
    a = _part([["a", "b"], ["1", "2"]], 2, [0, 50, 100])
    b = _part([["c", "d"], ["3", "4"]], 3, [0, 50, 100], position=9)  # text stands between them
    c = _part([["e", "f", "g"], ["5", "6", "7"]], 4, [0, 30, 60, 100], position=9)  # other columns
    assert len(stitch([a, b, c])) == 3
