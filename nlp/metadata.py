"""Read what a report says about itself: who wrote it, for which year, when, with what score.

Sources, most explicit first: field lines of the front matter ("预算主管部门：…",
"部门：… 单位：万元", "填报日期：…"), the title block (the cover's lines joined:
"上海市普陀区财政局" + "2024年度部门决算"), then the text itself, and as a last
resort a year in the file's name.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import PurePath

from nlp.document import Metadata, Report

SCORE = re.compile(r"自评(?:总?得分|总分|分数|结果|结论)?(?:为|是|[：:])?\s*(\d{1,3}(?:\.\d{1,2})?)\s*分")
YEAR_OF_REPORT = re.compile(r"(20\d{2})\s*年度")
_TITLE_YEAR = re.compile(r"(20\d{2})\s*年(?:度)?(?!\s*\d{1,2}\s*月)")
DATE = re.compile(r"(20\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
DEPARTMENT_KEYS = ("部门名称", "单位名称", "部门（单位）名称", "部门(单位)名称", "预算主管部门", "预算部门",
                   "预算单位", "项目单位", "主管部门", "部门", "单位")
YEAR_KEYS = ("评价年度", "所属年度", "年度", "自评年度")
DATE_KEYS = ("填报日期", "报告日期", "日期")
# What the name of a public body ends with.
_BODY_END = ("办公厅", "办公室", "办事处", "委员会", "人民政府", "政府", "检察院", "法院", "研究所", "中心", "局",
             "委", "厅", "院", "所", "站", "队", "部", "处", "会", "馆", "校")
_BODY = re.compile(r"^(.{2,40}?(?:" + "|".join(_BODY_END) + r"))")
# Words that follow the body's name in a title: what the document is.
_DOC_WORDS = re.compile(r"(?:区级|市级|省级|部门|单位|预算|决算|政府信息|信息公开|工作|绩效|自评|年度|报告|公开)")
_VALUE_TAIL = re.compile(r"\s*(?:单位\s*[：:].*|金额单位.*)$")


def read_metadata(report: Report, cover: list[str] | None = None) -> None:
    """Fill ``report.metadata`` from its fields, title, text and source name."""
    meta: Metadata = report.metadata
    fields = meta.fields
    meta.department = _department(fields, meta.title, cover or []) or _department_in_tables(report) \
        or _department_in_text(report.text)
    date_text = next((fields[k] for k in DATE_KEYS if fields.get(k)), None)
    if date_text is None:
        date_text = next((line for line in cover or [] if DATE.fullmatch(re.sub(r"\s|日$", "", line) + "")), None)
    match = DATE.search(date_text or "")
    if match:
        meta.filled_date = f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3)):02d}"
    meta.year = _year(report, fields, meta.title, meta.filled_date)
    for paragraph in report.paragraphs:
        found = SCORE.search(paragraph.text)
        if found:
            meta.score = Decimal(found.group(1))
            break


def department_of_title(title: str) -> str | None:
    """Return the public body a title names ("江苏省人大常委会办公厅2018年度部门预算公开" → "江苏省人大常委会办公厅").

    >>> department_of_title("2017年度江苏省高级人民法院部门预算公开")
    '江苏省高级人民法院'
    >>> department_of_title("中共上海市普陀区委社会工作部2024年度部门决算")
    '中共上海市普陀区委社会工作部'
    >>> department_of_title("上海市普陀区2025年区级部门预算") is None
    True
    """
    text = re.sub(r"\s+", "", title)
    year = _TITLE_YEAR.search(text)
    if year and year.start() > 0:
        name = text[:year.start()]
    else:
        rest = text[year.end():] if year else text
        stop = _DOC_WORDS.search(rest)
        name = rest[:stop.start()] if stop and stop.start() >= 2 else rest
    name = _DOC_WORDS.sub("", name) if name.endswith(("部门", "单位")) else name
    return name if _is_body(name) else _longest_body(name)


def _is_body(name: str) -> bool:
    return 4 <= len(name) <= 40 and name.endswith(_BODY_END)


def _longest_body(text: str) -> str | None:
    """The longest leading part of ``text`` that ends like a body's name."""
    best = None
    for end in range(len(text), 3, -1):
        if text[:end].endswith(_BODY_END):
            best = text[:end]
            break
    return best if best and len(best) >= 4 else None


def _department(fields: dict[str, str], title: str | None, cover: list[str]) -> str | None:
    for key in DEPARTMENT_KEYS:
        value = _VALUE_TAIL.sub("", fields.get(key) or "").strip()
        if value and _is_body(value):
            return value
    for text in [title or ""] + cover:
        if text:
            name = department_of_title(text)
            if name:
                return name
    return None


_TABLE_FIELD = re.compile(r"(?:部门|预算单位|单位名称|预算部门)\s*[：:]\s*([\u4e00-\u9fff（）()]{4,40}?)\s*"
                          r"(?:(?:金额)?单位\s*[：:]\s*(?:万元|元|千元)([\u4e00-\u9fff]{1,3})?|$)")
_NAMED = re.compile(r"(?:中共)?[\u4e00-\u9fff]{2,3}[省市][\u4e00-\u9fff]{1,14}?(?:" + "|".join(_BODY_END[:9]) + ")")


def _department_in_tables(report: Report) -> str | None:
    """A file of tables names its body over each table: "部门：江苏省政协办公厅 单位：万元".

    The name may wrap in its cell around the unit ("…委员会办 单位：万元 公厅"): its end is taken back.
    """
    texts = [cell or "" for table in report.tables[:5] for row in [table.header] + table.rows[:2] for cell in row]
    texts += report.text[:5000].splitlines()
    for text in texts:
        for found in _TABLE_FIELD.finditer(re.sub(r"\s+", "", text)):
            name, tail = found.group(1), found.group(2) or ""
            if not _is_body(name) and tail and _is_body(name + tail):
                name += tail
            if _is_body(name):
                return name
    return None


def _department_in_text(text: str) -> str | None:
    """The body the text names most often, when it names one at least three times."""
    names: Counter[str] = Counter()
    for name in _NAMED.findall(text[:20000]):
        # "公开表一江苏省…": the match may start one character early; count both readings.
        names.update({name} | ({name[1:]} if _NAMED.fullmatch(name[1:]) else set()))
    if names:
        name, count = names.most_common(1)[0]
        if count >= 3:
            return name
    return None


def _year(report: Report, fields: dict[str, str], title: str | None, filled: str | None) -> int | None:
    year_text = next((fields[k] for k in YEAR_KEYS if fields.get(k)), None)
    found = re.search(r"20\d{2}", year_text or "")
    if found:
        return int(found.group(0))
    found = _TITLE_YEAR.search(re.sub(r"\s+", "", title or ""))
    if found:
        return int(found.group(1))
    years = Counter(int(y) for y in YEAR_OF_REPORT.findall(report.text[:20000]))
    if years:
        return years.most_common(1)[0][0]
    if filled:
        return int(filled[:4]) - 1
    # A file of tables alone may say its year nowhere but in its name.
    named = re.findall(r"(?<!\d)(20\d{2})(?!\d)", PurePath(report.source).name)
    return int(named[0]) if len(set(named)) == 1 else None
