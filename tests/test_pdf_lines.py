"""Lines of text from PDFium's characters: whatever order the content stream draws them in."""

from __future__ import annotations

from pathlib import Path

from nlp.readers.pdfium import Char, group_lines, line_text


def _chars(text: str, x: float, top: float, size: float = 11.0, width: float | None = None,
           start: int = 0) -> list[Char]:
    """Characters of ``text`` set one after another from ``x`` on the line at ``top``."""
    out = []
    for i, ch in enumerate(text):
        w = size if width is None else width
        out.append(Char(ch, x, x + w, top, top + size, size, -1, start + i))
        x += w
    return out


def _texts(chars: list[Char]) -> list[str]:
    return [line_text(line) for line in group_lines(chars)]


def _line_with_quotes_drawn_last(top: float, start: int = 0) -> list[Char]:
    """发挥“领学促干”作用 with the quotes (another font, a little lower, narrower) drawn after the line."""
    left = _chars("发挥", 90, top, start=start)
    inner = _chars("领学促干", 90 + 22 + 5.6, top, start=start + 10)
    right = _chars("作用", 90 + 22 + 5.6 + 44 + 5.6, top, start=start + 20)
    quotes = [Char("“", 112, 117.6, top + 1, top + 11, 10.0, -1, start + 30),
              Char("”", 161.6, 167.2, top + 1, top + 11, 10.0, -1, start + 31)]
    return left + inner + right + quotes


def test_quotes_drawn_after_their_line_join_it_where_they_stand():
    assert _texts(_line_with_quotes_drawn_last(100)) == ["发挥“领学促干”作用"]


def test_quotes_drawn_after_the_next_line_still_join_their_own():
    first = _line_with_quotes_drawn_last(100)
    second = _chars("抓好落实", 90, 115, start=100)
    # The first line's text, the second line, then the first line's quotes.
    assert _texts(first[:-2] + second + first[-2:]) == ["发挥“领学促干”作用", "抓好落实"]


def test_a_run_that_covers_the_glyphs_of_a_line_is_not_woven_into_it():
    line = _chars("收入支出总计", 90, 100)
    stamp = _chars("印章", 95, 101, start=50)  # drawn over the text, on its baseline
    assert _texts(line + stamp) == ["收入支出总计", "印章"]


def test_digits_in_another_font_a_little_lower_keep_their_place():
    chars = (_chars("总计", 90, 100) + _chars("2995.39", 112, 101.5, size=10, width=5.5, start=2)
             + _chars("万元", 150.5, 100, start=9))
    assert _texts(chars) == ["总计2995.39万元"]


def test_runs_apart_on_one_baseline_stay_in_left_to_right_order():
    value = _chars("2,336.91", 300, 100, size=10, width=5.5)
    label = _chars("基本支出", 90, 100, start=20)
    assert _texts(value + label) == ["基本支出 2,336.91"]


def test_a_pdf_whose_quotes_are_drawn_after_their_line(tmp_path: Path):
    """A page drawn as LibreOffice draws it: the text in a CJK font, then its quotes in another font."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from nlp.readers.pdf import read_pdf

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "quotes.pdf"
    c = canvas.Canvas(str(path), invariant=1)
    quote = pdfmetrics.stringWidth("“", "Times-Roman", 11)
    marks = []
    for y, parts in ((760, ("局党组成员发挥", "领学促干", "作用，结合")), (745, ("开展", "深调研", "活动。"))):
        x = 72.0
        for i, part in enumerate(parts):
            c.setFont("STSong-Light", 11)
            c.drawString(x, y, part)
            x += pdfmetrics.stringWidth(part, "STSong-Light", 11)
            if i < 2:
                marks.append((x, y, "“”"[i]))
                x += quote
    c.setFont("Times-Roman", 11)
    for x, y, mark in marks:  # every quote after all the text, a little lower
        c.drawString(x, y - 0.5, mark)
    c.save()
    doc = read_pdf(path)
    assert [line.text for line in doc.lines] == ["局党组成员发挥“领学促干”作用，结合", "开展“深调研”活动。"]
