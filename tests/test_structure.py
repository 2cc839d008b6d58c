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


# --- Layout on real pages, built from lines as a PDF reader returns them --------------------------------

def _page(*rows, page=1, size=12.0, left=72.0, right=516.0):
    """Lines from (text, x0, x1[, size]) rows, 18 pt apart, with the flags the PDF reader sets."""
    from nlp.readers.raw import Line

    lines = []
    for n, row in enumerate(rows):
        text, x0, x1 = row[:3]
        line_size = row[3] if len(row) > 3 else size
        lines.append(Line(text, page=page, indented=x0 - left > 1.2 * size, full=right - x1 < 1.5 * size,
                          box=(x0, x1, line_size), top=72.0 + 18 * n))
    return lines


def _recover(lines):
    from nlp.document import Report
    from nlp.readers.raw import RawDocument
    from nlp.structure import recover

    report = Report(source="lines.pdf", sha256="", format="pdf", page_count=3, text="")
    return recover(RawDocument(format="pdf", lines=lines), report)


def test_contents_page_stays_out_of_the_outline():
    lines = _page(("江临市数据局", 220, 370, 22), ("2024年度部门决算", 200, 390, 22), page=1)
    lines += _page(("目  录", 270, 320, 16), ("第一部分 部门概况", 72, 200), ("一、主要职能", 96, 170),
                   ("二、部门决算单位构成", 96, 220), ("第二部分 部门决算表", 72, 210), page=2)
    lines += _page(("第一部分 部门概况", 200, 390, 16), ("一、主要职能", 72, 150),
                   ("本局负责全市数据资源的统筹管理和开发利用，推进数字政府建设。", 96, 470), page=3)
    report = _recover(lines)
    assert [s.heading for s in report.sections] == ["部门概况", "主要职能"]
    assert all(s.page == 3 for s in report.sections)
    assert "二、部门决算单位构成" in report.text  # kept as text, not lost
    assert report.metadata.title == "江临市数据局2024年度部门决算"
    assert (report.metadata.department, report.metadata.year) == ("江临市数据局", 2024)


def test_numbered_list_items_stay_paragraphs():
    lines = _page(("一、主要职能", 72, 150),
                  ("本局的主要职能是：", 96, 210),
                  ("（一）贯彻执行国家和省有关数据工作的法律、法规和规章，拟订", 96, 516),
                  ("全市数据发展规划并组织实施；", 72, 300),
                  ("（二）领导或者主持全市数据资源普查；", 96, 330),
                  ("（三）承办市委、市政府交办的其他事项。", 96, 340),
                  ("二、机构设置", 72, 150),
                  ("本部门下属单位包括：", 96, 220),
                  ("1.江临市大数据中心", 96, 250),
                  ("2.江临市政务服务中心", 96, 260),
                  ("三、收入支出情况", 72, 170),
                  ("本年收入合计2946.25万元，支出合计2940.05万元。", 96, 400))
    report = _recover(lines)
    assert [s.heading for s in report.sections] == ["主要职能", "机构设置", "收入支出情况"]
    items = [p.text for p in report.paragraphs if p.numbering]
    assert items[:3] == ["（一）贯彻执行国家和省有关数据工作的法律、法规和规章，拟订全市数据发展规划并组织实施；",
                         "（二）领导或者主持全市数据资源普查；", "（三）承办市委、市政府交办的其他事项。"]
    assert "1.江临市大数据中心" in items
    assert all(p.section_path[-1] != "领导或者主持全市数据资源普查" for p in report.paragraphs)


def test_unnumbered_headings_found_by_layout():
    lines = _page(("本部门预算包括部门本级和所属单位的预算，纳入编制范围的单位有市数据中心等。", 96, 516),
                  ("名词解释", 270, 320, 16),
                  ("基本支出预算：是部门为保障其机构正常运转、完成日常工作任务而编制的年度", 72, 516),
                  ("支出计划。", 72, 130),
                  ("2025年部门预算编制说明", 220, 370),  # centred, body size
                  ("2025年，本部门收入预算18976.76万元，比上年增加3355.65万元，主要是项目调整。", 96, 516))
    report = _recover(lines)
    assert [(s.heading, s.level) for s in report.sections] == [("名词解释", 1), ("2025年部门预算编制说明", 1)]
    assert len(report.paragraphs) == 3


def test_paragraph_runs_on_over_a_page_break():
    lines = _page(("一、总体情况", 72, 150),
                  ("全年主动公开政府信息1136条，受理申请21件，均在法定期限内答复。", 96, 516), page=1)
    lines += _page(("同时加强平台建设，确保公开信息及时准确。", 72, 320),
                   ("二、主动公开情况", 72, 170),
                   ("本年制发规范性文件5件。", 96, 250), page=2)
    report = _recover(lines)
    assert report.paragraphs[0].text.endswith("同时加强平台建设，确保公开信息及时准确。")
    assert len(report.paragraphs) == 2


def test_department_and_year_from_the_title():
    from nlp.metadata import department_of_title

    assert department_of_title("江苏省人大常委会办公厅2018年度部门预算公开") == "江苏省人大常委会办公厅"
    assert department_of_title("2017年度江苏省高级人民法院部门预算公开") == "江苏省高级人民法院"
    assert department_of_title("洪泽区人民政府2023年政府信息公开工作年度报告") == "洪泽区人民政府"
