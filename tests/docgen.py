"""Build real DOCX and PDF reports for tests, examples and benchmarks.

A report is given as simple source text (the format of ``examples/*.txt``):
front-matter lines, numbered headings, one paragraph per line, and tables as
``| a | b |`` rows after a caption line. :func:`write_docx` renders it with
python-docx; :func:`docx_to_pdf` reads that DOCX back and typesets it with
reportlab (CJK font ``STSong-Light``, first-line indents, ruled tables, a
running header and page numbers), as an office suite's PDF export would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d{1,2}[.．](?!\d)|（\d{1,2}）)")


@dataclass
class Block:
    kind: str  # title | field | heading | para | table
    text: str = ""
    level: int = 0
    rows: list[list[str]] = field(default_factory=list)


def parse_source(text: str) -> list[Block]:
    """Split report source text into blocks."""
    blocks: list[Block] = []
    lines = [line.rstrip() for line in text.splitlines()]
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("|"):
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            if blocks and blocks[-1].kind == "table":
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Block("table", rows=[cells]))
            continue
        if not blocks:
            blocks.append(Block("title", stripped))
        elif re.match(r"^[\u4e00-\u9fff（）]{2,14}[：:]\S", stripped) and len(stripped) <= 40 and \
                all(b.kind in ("title", "field") for b in blocks):
            blocks.append(Block("field", stripped))
        elif _HEADING.match(stripped) and len(stripped) <= 42 and not re.search(r"[。；].", stripped):
            level = 1 if re.match(r"^[一二三四五六七八九十]+、", stripped) else 2 if stripped.startswith("（") and \
                not re.match(r"^（\d", stripped) else 3 if re.match(r"^\d", stripped) else 4
            blocks.append(Block("heading", stripped, level=level))
        else:
            blocks.append(Block("para", stripped))
    return blocks


def write_docx(blocks: list[Block], path: Path, indent: bool = True, heading_styles: bool = True) -> Path:
    """Write the blocks as a DOCX document (headings as Heading styles, tables as Word tables).

    ``indent=False`` leaves paragraphs without a first-line indent; ``heading_styles=False``
    sets headings as bold body paragraphs, as many offices type them.
    """
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    for block in blocks:
        if block.kind == "title":
            paragraph = document.add_paragraph(block.text)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.kind == "heading" and heading_styles:
            document.add_heading(block.text, level=min(block.level, 4))
        elif block.kind == "heading":
            document.add_paragraph().add_run(block.text).bold = True
        elif block.kind == "table":
            width = max(len(r) for r in block.rows)
            table = document.add_table(rows=len(block.rows), cols=width)
            table.style = "Table Grid"
            for i, row in enumerate(block.rows):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell
        else:
            paragraph = document.add_paragraph(block.text)
            if block.kind == "para" and indent:
                paragraph.paragraph_format.first_line_indent = Pt(24)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def docx_to_pdf(docx_path: Path, pdf_path: Path, running_header: str | None = None) -> Path:
    """Typeset a DOCX (paragraphs, headings, tables) as a PDF with reportlab."""
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=18, firstLineIndent=22,
                          wordWrap="CJK", alignment=4, spaceAfter=4)
    plain = ParagraphStyle("plain", parent=body, firstLineIndent=0)
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=24, alignment=1, firstLineIndent=0, spaceAfter=10)
    heading = ParagraphStyle("heading", parent=body, fontSize=12, leading=20, firstLineIndent=0, spaceBefore=6)
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=8, leading=11, wordWrap="CJK")

    document = docx.Document(str(docx_path))
    story: list[object] = []
    first = True
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = DocxParagraph(child, document)
            text = _escape(paragraph.text.strip())
            if not text:
                continue
            style_name = paragraph.style.name if paragraph.style is not None else ""
            indent = paragraph.paragraph_format.first_line_indent
            style = title if first else heading if style_name.startswith("Heading") else body if indent else plain
            story.append(Paragraph(text, style))
            first = False
        elif tag == "tbl":
            table = DocxTable(child, document)
            data = [[Paragraph(_escape(c.text), cell) for c in row.cells] for row in table.rows]
            width = len(data[0])
            widths = _column_widths(width, 170 * mm)
            grid = Table(data, colWidths=widths, repeatRows=1)
            grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                      ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story += [grid, Spacer(1, 6)]

    def decorate(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont("STSong-Light", 9)  # type: ignore[attr-defined]
        if running_header:
            canvas.drawCentredString(A4[0] / 2, A4[1] - 12 * mm, running_header)  # type: ignore[attr-defined]
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"- {doc.page} -")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    SimpleDocTemplate(str(pdf_path), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=22 * mm,
                      bottomMargin=20 * mm, title=docx_path.stem, author="govreport-nlp",
                      invariant=1).build(story, onFirstPage=decorate, onLaterPages=decorate)
    return pdf_path


def _column_widths(count: int, total: float) -> list[float]:
    if count == 6:  # 一级, 二级, 三级, 目标, 实际, 分析
        shares = [0.11, 0.13, 0.18, 0.12, 0.12, 0.34]
        return [total * s for s in shares]
    return [total / count] * count


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build_report_files(source: Path, out_dir: Path, stem: str | None = None,
                       running_header: str | None = None) -> tuple[Path, Path]:
    """Write ``stem.docx`` and ``stem.pdf`` for a report source file; return their paths."""
    stem = stem or source.stem
    blocks = parse_source(source.read_text(encoding="utf-8"))
    docx_path = write_docx(blocks, out_dir / f"{stem}.docx")
    pdf_path = docx_to_pdf(docx_path, out_dir / f"{stem}.pdf", running_header=running_header)
    return docx_path, pdf_path


def blocks_from_report(report: object) -> list[Block]:
    """Return the blocks of a :class:`nlp.Report` (front matter, headings, paragraphs, tables) in order."""
    items: list[tuple[int, int, Block]] = []
    meta = report.metadata  # type: ignore[attr-defined]
    blocks: list[Block] = []
    if meta.title:
        blocks.append(Block("title", meta.title))
    blocks += [Block("field", f"{k}：{v}") for k, v in meta.fields.items()]
    for section in report.sections:  # type: ignore[attr-defined]
        items.append((section.start, 0, Block("heading", f"{section.numbering or ''}{section.heading}",
                                              level=section.level)))
    for paragraph in report.paragraphs:  # type: ignore[attr-defined]
        items.append((paragraph.start, 0, Block("para", paragraph.text)))
    for table in report.tables:  # type: ignore[attr-defined]
        section = next((s for s in report.sections if s.id == table.section), None)  # type: ignore[attr-defined]
        anchor = max([p.end for p in report.paragraphs if p.section == table.section] +  # type: ignore[attr-defined]
                     [section.end if section else 0])
        if table.caption:
            items.append((anchor, 1, Block("para-plain", table.caption)))
        items.append((anchor, 2, Block("table", rows=[table.header] + [list(r) for r in table.rows])))
    items.sort(key=lambda item: (item[0], item[1]))
    return blocks + [block for _, _, block in items]
