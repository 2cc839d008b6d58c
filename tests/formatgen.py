"""Write the test files of the formats beyond PDF/DOCX/text: a 自评表 workbook, a saved web page, an OFD.

Everything here is our own invented content, built by the formats' own
structure (openpyxl/xlwt for workbooks, GB/T 33190's zipped XML for OFD).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

PROJECT = "政务服务热线运维项目"
DEPARTMENT = "江临市政务服务和数据管理局"
GOAL_PLAN = "保障12345政务服务热线全年稳定运行，话务接通率不低于90%，群众诉求按期办结率不低于95%，提升群众满意度。"
GOAL_DONE = "全年热线运行平稳，共接听来电112万次，话务接通率98.62%，诉求按期办结率96.5%，群众满意度92.3%。"
DEVIATION = "受夏季极端天气影响，来电高峰时段接通延迟，满意度指标略有偏差；下一步将增加高峰坐席并优化排班。"
PROBLEMS = "一是知识库更新不够及时，部分政策解答口径滞后；二是工单分派规则仍需细化，跨部门协同效率有待提高。"
#: (一级, 二级, 三级, 年度指标值, 实际完成值 as a number or text, its number format, 分值, 得分, 偏差原因)
INDICATORS: list[tuple[str, str, str, str, object, str | None, int, float, str]] = [
    ("产出指标", "数量指标", "话务接听量", "≥100万次", "112万次", None, 10, 10, ""),
    ("产出指标", "质量指标", "话务接通率", "≥90%", 0.98624, "0.00%", 10, 10, ""),
    ("产出指标", "时效指标", "工单按期办结率", "≥95%", 0.965, "0.0%", 10, 10, ""),
    ("产出指标", "成本指标", "年度运维成本", "≤4300万元", "4210.35万元", None, 10, 10, ""),
    ("效益指标", "社会效益指标", "群众诉求解决率", "≥90%", 0.931, "0.0%", 20, 20, ""),
    ("满意度指标", "服务对象满意度指标", "群众满意度", "≥95%", 0.923, "0.0%", 10, 8.5, "受极端天气影响，高峰时段接通延迟，下一步增加坐席。"),
]
#: The cells of 年度资金总额: 年初预算数, 全年预算数, 全年执行数 (as stored) with the format 0.00.
FUNDS = (4300.0, 4300.0, 4210.349999999)
EXPECTED_FUNDS = ("4300.00", "4300.00", "4210.35")


def expected_actual(value: object, fmt: str | None) -> str:
    """The actual value as the sheet shows it."""
    if isinstance(value, float) and fmt:
        places = fmt.split(".")[1].count("0") if "." in fmt else 0
        return f"{value * 100:.{places}f}%"
    return str(value)


def _layout() -> list[tuple[int, int, int, int, object, str | None]]:
    """The 自评表 as cells: (row, col, last row, last col, value, number format), 0-based, inclusive ranges."""
    cells: list[tuple[int, int, int, int, object, str | None]] = []

    def put(r: int, c: int, value: object, r1: int | None = None, c1: int | None = None, fmt: str | None = None) -> None:
        cells.append((r, c, r if r1 is None else r1, c if c1 is None else c1, value, fmt))

    put(0, 0, "项目支出绩效自评表", c1=8)
    put(1, 0, "（2024年度）", c1=8)
    put(2, 0, "项目名称")
    put(2, 1, PROJECT, c1=3)
    put(2, 4, "主管部门")
    put(2, 5, DEPARTMENT, c1=8)
    put(3, 0, "实施单位")
    put(3, 1, "江临市12345政务服务热线中心", c1=3)
    put(3, 4, "项目负责人")
    put(3, 5, "王立新", c1=8)
    put(4, 0, "项目资金（万元）", r1=6)
    put(4, 2, "年初预算数")
    put(4, 3, "全年预算数")
    put(4, 4, "全年执行数")
    put(4, 5, "分值")
    put(4, 6, "执行率")
    put(4, 7, "得分")
    put(5, 1, "年度资金总额")
    for i, value in enumerate(FUNDS):
        put(5, 2 + i, value, fmt="0.00")
    put(5, 5, 10)
    put(5, 6, FUNDS[2] / FUNDS[1], fmt="0.00%")
    put(5, 7, 9.79, fmt="0.00")
    put(6, 1, "其中：当年财政拨款")
    for i, value in enumerate(FUNDS):
        put(6, 2 + i, value, fmt="0.00")
    put(7, 0, "年度总体目标", r1=8)
    put(7, 1, "预期目标", c1=4)
    put(7, 5, "实际完成情况", c1=8)
    put(8, 1, GOAL_PLAN, c1=4)
    put(8, 5, GOAL_DONE, c1=8)
    top = 9
    put(top, 0, "绩效指标", r1=top + len(INDICATORS))
    for c, name in enumerate(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                              "偏差原因分析及改进措施"], start=1):
        put(top, c, name)
    r = top + 1
    groups: dict[str, list[int]] = {}
    for i, row in enumerate(INDICATORS):
        groups.setdefault(row[0], []).append(r + i)
    for level1, rows in groups.items():
        put(rows[0], 1, level1, r1=rows[-1])
    for i, (_, level2, name, target, actual, fmt, weight, score, why) in enumerate(INDICATORS):
        put(r + i, 2, level2)
        put(r + i, 3, name)
        put(r + i, 4, target)
        put(r + i, 5, actual, fmt=fmt)
        put(r + i, 6, weight)
        put(r + i, 7, score, fmt="0.0")
        if why:
            put(r + i, 8, why)
    total = r + len(INDICATORS)
    put(total, 0, "总分", c1=5)
    put(total, 6, 100)
    put(total, 7, 97.29, fmt="0.00")
    put(total + 2, 0, "偏差原因分析")
    put(total + 2, 1, DEVIATION, c1=8)
    put(total + 3, 0, "存在问题及改进措施")
    put(total + 3, 1, PROBLEMS, c1=8)
    put(total + 4, 0, "填报人：李晓梅", c1=2)
    put(total + 4, 3, "联系电话：0791-86001234", c1=5)
    put(total + 4, 6, "填报日期：2025年3月10日", c1=8)
    return cells


def write_selfeval_xlsx(path: Path) -> Path:
    """Write the 自评表 as an XLSX workbook (plus a second sheet with a plain list)."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "自评表"
    for r, c, r1, c1, value, fmt in _layout():
        cell = ws.cell(row=r + 1, column=c + 1, value=value)  # type: ignore[arg-type]
        if fmt:
            cell.number_format = fmt
        if (r1, c1) != (r, c):
            ws.merge_cells(start_row=r + 1, start_column=c + 1, end_row=r1 + 1, end_column=c1 + 1)
    other = book.create_sheet("资金明细")
    other.append(["支出项目", "金额（万元）"])
    other.append(["坐席服务费", 3120.5])
    other.append(["系统运维费", 1089.85])
    hidden = book.create_sheet("下拉选项")
    hidden.append(["不应读出的隐藏工作表"])
    hidden.sheet_state = "hidden"
    book.save(path)
    return path


def write_selfeval_xls(path: Path) -> Path:
    """Write the 自评表 as an Excel 97-2003 workbook with xlwt."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("自评表")
    styles: dict[str | None, object] = {}
    for r, c, r1, c1, value, fmt in _layout():
        style = styles.setdefault(fmt, xlwt.easyxf(num_format_str=fmt) if fmt else xlwt.Style.default_style)
        if (r1, c1) != (r, c):
            ws.write_merge(r, r1, c, c1, value, style)
        else:
            ws.write(r, c, value, style)
    book.save(str(path))
    return path


def write_gb2312_page(path: Path) -> tuple[Path, list[str]]:
    """Write a portal page in GB2312 with site chrome around a report; return it and the report's paragraphs."""
    paragraphs = [
        "根据市财政局关于开展2024年度项目支出绩效自评工作的通知要求，我局对政务服务热线运维项目开展了绩效自评，现将有关情况报告如下。",
        "项目年初预算4300.00万元，全年执行4210.35万元，预算执行率97.91%。资金主要用于坐席服务、系统运维和知识库建设。",
        GOAL_DONE,
        DEVIATION,
    ]
    rows = "".join(
        f"<tr><td>{l1}</td><td>{l2}</td><td>{name}</td><td>{target}</td><td>{expected_actual(actual, fmt)}</td>"
        f"<td>{why}</td></tr>" for l1, l2, name, target, actual, fmt, _, _, why in INDICATORS)
    html = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>2024年度政务服务热线运维项目绩效自评报告_江临市政务服务和数据管理局</title>
<script>var _hmt = _hmt || []; document.write("统计代码");</script>
<style>.nav {{ color: red }}</style></head>
<body>
<div class="top-bar"><a href="/">网站首页</a> | <a href="/en">English</a> | 无障碍浏览</div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/bsfw">办事服务</a></li>
<li><a href="/hdjl">互动交流</a></li><li><a href="/zjjl">走进江临</a></li></ul></div>
<div class="main">
 <div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 财政资金</div>
 <div class="article">
  <h1>2024年度政务服务热线运维项目绩效自评报告</h1>
  <div class="info">发布时间：2025-03-20　来源：江临市政务服务和数据管理局　【字体：大 中 小】</div>
  <div class="TRS_Editor">
   <p style="text-indent:2em">{paragraphs[0][:30]}
{paragraphs[0][30:]}</p>
   <p><strong>一、项目基本情况</strong></p>
   <p>　　{paragraphs[1]}</p>
   <p><strong>二、绩效目标完成情况</strong></p>
   <p>　　{paragraphs[2]}</p>
   <table border="1" cellspacing="0">
    <tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>年度指标值</th><th>实际完成值</th><th>偏差原因分析</th></tr>
    {rows}
   </table>
   <p><strong>三、偏差原因分析</strong></p>
   <p>　　{paragraphs[3]}</p>
  </div>
  <div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div>
  <div class="print"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
 </div>
</div>
<div class="footer"><p>主办单位：江临市人民政府办公室　承办单位：江临市大数据中心</p>
<p>网站标识码：3601000001　赣ICP备05000001号　地址：江临市政务中心大道1号</p></div>
</body></html>"""
    path.write_bytes(html.encode("gb2312"))
    return path, paragraphs


OFD_NS = "http://www.ofdspec.org/2016"


def write_ofd(path: Path, pages: list[list[tuple[float, float, float, str]]], *, per_char: bool = False) -> Path:
    """Write an OFD by GB/T 33190's structure: OFD.xml → Doc_0/Document.xml → Pages/Page_N/Content.xml.

    Each page is a list of (x, y, font size, text) runs in millimetres, y the baseline.
    ``per_char`` writes each character with its own DeltaX step, as many producers do.
    """
    page_refs = "".join(f'<ofd:Page ID="{10 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
    files = {
        "OFD.xml": f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.1" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>test</ofd:DocID>
<ofd:Title>绩效自评报告</ofd:Title></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>""",
        "Doc_0/Document.xml": f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData><ofd:MaxUnitID>999</ofd:MaxUnitID>
<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>
<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>""",
        "Doc_0/PublicRes.xml": f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res"><ofd:Fonts><ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>""",
    }
    unit = 100
    for i, runs in enumerate(pages):
        objects = []
        for x, y, size, text in runs:
            unit += 1
            width = size * len(text)
            if per_char and len(text) > 1:
                code = f'<ofd:TextCode X="0" Y="{size}" DeltaX="g {len(text) - 1} {size}">{text}</ofd:TextCode>'
            else:
                code = f'<ofd:TextCode X="0" Y="{size}">{text}</ofd:TextCode>'
            objects.append(f'<ofd:TextObject ID="{unit}" Boundary="{x} {y - size} {width} {size * 1.2}" Font="2" '
                           f'Size="{size}">{code}</ofd:TextObject>')
        files[f"Doc_0/Pages/Page_{i}/Content.xml"] = f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content><ofd:Layer ID="{5 + i}">{''.join(objects)}</ofd:Layer></ofd:Content></ofd:Page>"""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"))
    return path


def layout_ofd_pages(paragraphs: list[str], *, per_line: int = 38, lines_per_page: int = 12,
                     size: float = 4.0) -> list[list[tuple[float, float, float, str]]]:
    """Lay paragraphs out as a typesetter would: a title, then lines of ``per_line`` characters with a
    two-character first-line indent, ``lines_per_page`` lines a page. Returns the runs :func:`write_ofd` takes."""
    pages: list[list[tuple[float, float, float, str]]] = [[(60.0, 30.0, 6.0, "绩效自评报告")]]
    y = 45.0
    count = 0
    for text in paragraphs:
        rest = text
        first = True
        while rest:
            width = per_line - (2 if first else 0)
            line, rest = rest[:width], rest[width:]
            if count == lines_per_page:
                pages.append([])
                y, count = 30.0, 0
            pages[-1].append((25.0 + (2 * size if first else 0), y, size, line))
            y += size * 1.8
            count += 1
            first = False
    return pages
