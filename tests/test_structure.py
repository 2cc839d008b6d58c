"""Structure recovery: the sample report, and the same content as DOCX and PDF."""

from __future__ import annotations

import json
import re

import pytest

from nlp.pipeline import read_report, read_text_report
from nlp.structure import heading_of, numbering_of


def test_sample_metadata(sample_report):
    meta = sample_report.metadata
    assert meta.department == "惠州市政务服务和数据管理局"
    assert str(meta.score) == "99.41"
    assert meta.year == 2024
    assert meta.filled_date == "2025-05-20"


def test_sample_sections_nest(sample_report):
    by_id = {s.id: s for s in sample_report.sections}
    top = [s for s in sample_report.sections if s.level == 1]
    assert [s.numbering for s in top] == ["一、", "二、", "三、"]
    for section in sample_report.sections:
        if section.parent is not None:
            assert by_id[section.parent].level == section.level - 1
    # （1）… under 1. under （二） under 二、
    deep = next(s for s in sample_report.sections if s.level == 4)
    chain = [deep.numbering]
    parent = deep.parent
    while parent:
        chain.append(by_id[parent].numbering)
        parent = by_id[parent].parent
    assert [re.sub(r"[\d一二三四五六七八九十]", "N", c or "") for c in chain] == ["（N）", "N.", "（N）", "N、"]


def test_sample_paragraphs_rejoined_across_page_breaks(sample_report):
    ends_mid_sentence = [p.text[-12:] for p in sample_report.paragraphs
                         if not re.search(r"[。！？；：:…”）)]$", p.text)]
    assert ends_mid_sentence == []
    # A paragraph continued after a page break starts with a lower-case continuation, never on its own.
    assert not any(p.text.startswith(("万元等", "典型案例、", "共性需求", "序，提供")) for p in sample_report.paragraphs)


def test_sample_indicator_table(sample_report, gold_dir):
    gold = json.loads((gold_dir / "indicators-seed.json").read_text(encoding="utf-8"))["rows"]
    tables = [t for t in sample_report.tables if t.kind == "indicator"]
    assert len(tables) == 1
    table = tables[0]
    assert len(table.rows) == len(gold) == 14
    names = [row[table.header.index("三级指标")] for row in table.rows]
    assert names == [g["name"] for g in gold]
    # The table's cells never leak into the narrative.
    assert not any("运维系统数" in p.text and "13套" in p.text for p in sample_report.paragraphs)


def test_spans_index_the_report_text(sample_report):
    for paragraph in sample_report.paragraphs:
        assert sample_report.text[paragraph.start:paragraph.end] == paragraph.text
    for section in sample_report.sections:
        assert section.heading in sample_report.text[section.start:section.end]


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_same_paragraphs_from_docx_and_pdf(sample_report, sample_files, kind):
    other = read_report(sample_files[kind])
    assert [p.text for p in other.paragraphs] == [p.text for p in sample_report.paragraphs]
    assert [(s.level, s.heading) for s in other.sections] == [(s.level, s.heading) for s in sample_report.sections]
    assert other.metadata.department == sample_report.metadata.department
    assert other.metadata.score == sample_report.metadata.score


def test_pdf_table_split_over_pages_is_stitched(sample_report, sample_files):
    pdf = read_report(sample_files["pdf"])
    [table] = [t for t in pdf.tables if t.kind == "indicator"]
    assert len(table.pages) == 2, "the generated PDF should split the table over two pages"
    assert table.rows == sample_report.tables[0].rows


def test_pdf_running_header_and_page_numbers_dropped(sample_files, sample_report):
    pdf = read_report(sample_files["pdf"])
    assert pdf.page_count > 3
    assert not any(re.fullmatch(r"-\s*\d+\s*-", p.text) for p in pdf.paragraphs)
    assert sum(p.text == sample_report.metadata.department for p in pdf.paragraphs) == 0


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("一、部门基本情况", ("cn", "一、", "部门基本情况"), id="cn"),
    pytest.param("（三）部门整体支出绩效目标。", ("cn-paren", "（三）", "部门整体支出绩效目标"), id="cn-paren-with-stop"),
    pytest.param("1.预算编制情况", ("arabic", "1.", "预算编制情况"), id="arabic"),
    pytest.param("(2) 重点工作完成情况", ("arabic-paren", "(2)", "重点工作完成情况"), id="ascii-paren"),
    pytest.param("（2）会议费支出情况：", ("arabic-paren", "（2）", "会议费支出情况"), id="trailing-colon"),
    pytest.param("第二部分 绩效自评", ("part", "第二部分", "绩效自评"), id="part"),
    pytest.param("一是加强理论武装。局党组坚持用…", None, id="item-is-paragraph"),
    pytest.param("（3）数字资源梳理服务：完成了两个部门的职能清单及数字资源清单服务；", None, id="numbered-with-content"),
    pytest.param("2.84亿元的交易额", None, id="decimal-not-number"),
    pytest.param("4.继续着力抓好数字化保障能力，赋能网络安全运行。统筹完善政务云、政务外网。", None, id="two-sentences"),
])
def test_heading_of(text, expected):
    assert heading_of(text) == expected


def test_numbering_does_not_take_decimals():
    assert numbering_of("3.5万元") is None
    assert numbering_of("3.12345热线运营服务") == ("arabic", "3.")


def test_hard_wrapped_text_is_rejoined():
    text = ("一、基本情况\n\n"
            "本年度我局共受理政务服务事项12.6万件，办结率达到\n99.8%，群众满意度持续提升。\n"
            "全年新增便民服务站35个。\n")
    report = read_text_report(text)
    assert [p.text for p in report.paragraphs] == [
        "本年度我局共受理政务服务事项12.6万件，办结率达到99.8%，群众满意度持续提升。",
        "全年新增便民服务站35个。",
    ]


def test_markdown_and_latex_residue(tmp_path):
    path = tmp_path / "report.md"
    path.write_text("# 一、绩效目标完成情况\n\n话务接通率目标值 $\\geq 90\\%$ ，实际完成**98.62%**。\n", encoding="utf-8")
    report = read_report(path)
    assert report.sections[0].heading == "绩效目标完成情况"
    assert report.paragraphs[0].text == "话务接通率目标值≥90%，实际完成98.62%。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_text_encodings(tmp_path, encoding):
    path = tmp_path / f"report-{encoding}.txt"
    path.write_bytes("一、部门概况\n\n单位主要职责是统筹全市政务服务和数据资源管理。\n".encode(encoding))
    report = read_report(path)
    assert report.paragraphs[0].text == "单位主要职责是统筹全市政务服务和数据资源管理。"


def test_fake_bold_pdf_is_deduplicated(tmp_path):
    # Fake bold prints every character twice, slightly shifted; the text must come out once.
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "bold.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 12)
    for dx in (0, 0.3):
        c.drawString(72 + dx, 720, "全年受理政务服务事项12.6万件。")
    c.showPage()
    c.save()
    assert [p.text for p in read_report(path).paragraphs] == ["全年受理政务服务事项12.6万件。"]


def _pdftotext_like(text: str, width: int, lines_per_page: int = 30) -> str:
    """Render report source as a text converter does: hard-wrapped lines, page numbers, a running header."""
    out, count, page = [], 0, 1
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.startswith("|"):
            out.append(line)
            continue
        for start in range(0, len(line), width):
            out.append(line[start:start + width])
            count += 1
            if count % lines_per_page == 0:
                out += [f"- {page} -", "\f江临市政务服务和数据管理局2024年度部门整体支出绩效自评报告"]
                page += 1
    return "\n".join(out)


@pytest.mark.parametrize("width", [29, 36])
def test_hard_wrapped_converter_output_with_page_furniture(width):
    from tests.conftest import EXAMPLES

    source = EXAMPLES / "jiangling-zsj-2024-self-evaluation.txt"
    clean = read_report(source)
    wrapped = read_text_report(_pdftotext_like(source.read_text(encoding="utf-8"), width))
    assert [p.text for p in wrapped.paragraphs] == [p.text for p in clean.paragraphs]
    assert [(s.level, s.heading) for s in wrapped.sections] == [(s.level, s.heading) for s in clean.sections]
    assert wrapped.tables[0].rows == clean.tables[0].rows
