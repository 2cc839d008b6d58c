"""Name what a value measures: the noun phrase around it, or the name of its table row.

The phrase before the number (接通率98.62%) or after its counter word (建成3个基础库), cut free of
role and comparison words, the speaker and earlier values; in a table, the row's name cell and,
for rates and amounts, the column header.
"""

from __future__ import annotations

import re

from nlp.quantities.cells import funds_cell, label_start
from nlp.quantities.context import LEAD, LOOK_BACK, TRAIL, after_last, clause_before, masked_slice, plain_header
from nlp.quantities.dimensions import HEADING, RATE
from nlp.quantities.quantity import Quantity
from nlp.quantities.roles import CHANGE, FROM_TO
from nlp.quantities.tables import AMOUNT_HEADER
from nlp.quantities.units import UNITS

_GENERIC_VERBS = re.compile(r"^(?:建成|完成|实现|开展|组织|提供|形成|构建了?|建设|部署|发布|深化|举办|培育|推动|打造|新增|"
                            r"新建|覆盖|涵盖|包括|涉及|支撑|服务|其中|剩余|全市|共|等)$")
_AFTER_STOP = re.compile(r"[，,。；;、（(）)：:和及与等\d|]|进行|正在|已|全部|入选|实现|提供|用于|为|增加|减少|增长|下降|提高|降低|"
                         r"共计|累计|共(?![享建同性治识青产])|低于|高于|"
                         r"的[^\u4e00-\u9fff]")
_NEXT_ROW = re.compile(r"[ \t]+[\u4e00-\u9fff（）()]{2,20}[ \t]?[≥≤≧≦<>=]?[ \t]?\d")
# A verb that gives money without naming it (安排, 下达), and what the money is for after it.
_MONEY_VERB = re.compile(r"(?:共|再|另|又)?(?:安排|下达|拨付|投入|筹集|争取|落实|使用|统筹)(?:资金)?")
_FUNDS_NOUN = re.compile(r"(?P<what>[\u4e00-\u9fff]{0,6}(?:资金|经费|补助|补贴|专款))(?=用于|[，,。；;]|$)")
_PURPOSE = re.compile(r"[，,]?\s?(?:专项|全部|主要)?(?:用于|用作)?(?P<what>(?:支持|补助|保障|奖励|开展|建设|实施|购置)?"
                      r"[^，,。；;：:（()）\d]{2,16})")
_COUNTED = re.compile(r"^\d[\d.,]*\s?(?:个|项|家|所|条|台|套|名|人|次|件|宗|类|座|处)")
# Words after which the name of what was counted follows (…中心共进驻36个部门, 局下辖17个大队).
_WHO_THEN_WHAT = re.compile(r"共计|累计|总计|共有|现有|下辖|今年|全年|本年|分别是|分别为|(?<![公总])共(?![享建同性治识青产])")
# "与上年决算数1.81万元相比": a comparison names the base, not what is measured.
_COMPARISON = re.compile(r"^(?:与|较|比)[^，,。；;]*(?:相比|比较)?$")
# A cell that is only a heading (产出指标, 社会效益 指标, 服务对象满意度指标等): the row's name comes after it.
_HEADING_CELL = re.compile(r"^[\u4e00-\u9fff\s]{0,6}(?:指标|目标)等?$")
# Cells that are not the name of a row: empty, a unit or comparator of their own, a status (已完成, 按质按量完成),
# or a value (a digit outside brackets).
_NOT_NAME_CELL = re.compile(r"^(?:[≥≤≧≦<>=═~\s%‰]*|[^\u4e00-\u9fff]*|.*完成|是|否|达标|良好|优|合格|无)$")
# What a name cell carries besides the name: stars and list numbers before it, a note of the bound in
# brackets ((≥**人), (<**元/户·年)), an explanation after a dash, a colon after it.
_NAME_DEBRIS = re.compile(
    r"^[★☆*#\s]+|^(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．](?!\d)|[（(][一二三四五六七八九十\d]{1,2}[）)])\s?|"
    r"[（(][^（()）]*[≥≤<>=*\d/][^（()）]*[）)]|(?:——|--).*$|[:：\s]+$")


def _unit_starts() -> str:
    """Return the first characters of the Chinese units, and of 万/亿 and dates: a number before them is no cell."""
    return "".join(sorted({unit[0] for unit in UNITS if not unit.isascii()} | set("万亿年月日号度")))


# A value standing as a cell of its own: a number, and its percent or note, then a space and no unit or date.
_CELL_VALUE = re.compile(r"(?:^|\s)[≥≤≧≦<>=]?\s?\d[\d.,]*(?:\s?%|[^\s\d\W]{1,3})?(?:\([^()]{0,6}\))?"
                         r"(?=\s+(?:$|[^\s\d" + re.escape(_unit_starts()) + "]))")
# A cell that states a value (>=530元/人*月, 至少全年完成2次宣传) rather than names a row.
_VALUE_CELL = re.compile(r"^[≥≤≧≦<>=\d]|\d\s?[%" + re.escape(_unit_starts()) + "]")


def _cells_before(norm: str, start: int) -> list[str] | None:
    """Return the cells of the row before the one the number at ``start`` stands in, nearest first, or None."""
    low = max(0, start - LOOK_BACK, norm.rfind("\n", 0, start) + 1)
    window = norm[low:start]
    if "|" not in window or re.search(r"[。！？!?]", window[window.rfind("|"):]):
        return None
    return window.split("|")[-2::-1]


def _row_name(norm: str, start: int) -> str:
    """Return the name of the table row the number at ``start`` stands in (the nearest name cell before it)."""
    for cell in (_cells_before(norm, start) or [])[:8]:
        text = cell.strip()
        if not text or _HEADING_CELL.match(text) and HEADING.search(text + "|"):
            # An empty cell parts two rows; a heading cell begins this one.
            return ""
        name = _NAME_DEBRIS.sub("", text)
        name = _NAME_DEBRIS.sub("", name).rpartition("：")[2].rpartition(":")[2].strip()
        # "完成2021年护工培训任务": a year in a name is no value; "寨山石坪村新建水泥路1条" is a name that counts.
        valued = _VALUE_CELL.search(re.sub(r"(?:19|20)\d\d\s?年", "", name))
        if valued and re.match(r"[\u4e00-\u9fff（）()]{6,}\d", name):
            valued = None
        if _NOT_NAME_CELL.match(name) or valued or name in UNITS or \
                len(re.findall(r"[\u4e00-\u9fff]", name)) < 2:
            continue
        return _balanced(name[-20:])
    return ""


def table_debris(clause: str) -> str:
    """Return ``clause`` without the cells of a table flattened with spaces before the name of its row.

    >>> table_debris("≥95% 100% 资金执行率"), table_debris("产出指标数量指标足额保障率")
    ('资金执行率', '足额保障率')
    """
    parts = _CELL_VALUE.split(clause) if " " in clause else [clause]
    if len(parts) > 1:
        named = len(re.findall(r"[\u4e00-\u9fff]", parts[-1]))
        # "新建村道 ≥12公里 12.6公里": right after another value, the name is that value's (see annotate).
        clause = "" if not named else parts[-1].lstrip() if named >= 2 else clause
    last = None
    for last in HEADING.finditer(clause) if "指标" in clause or "目标" in clause else ():
        pass
    if last is not None and len(re.findall(r"[\u4e00-\u9fff]", clause[last.end():])) >= 2:
        clause = clause[last.end():]
    return clause


# "开展各类文化队伍培训", "收到中央下达…资金": what was done or received comes after 各类 and the verb (a list
# summed up by 等各类 stays).
_RECEIVED = re.compile(r"^(?:(?!等)[\u4e00-\u9fff]){0,4}?(?:各类|各项|各种)(?=[\u4e00-\u9fff]{2,})|"
                       r"^(?:共?收到|获得)(?=[\u4e00-\u9fff]{4,})")

# Words that name a column or the role of a value, not what it measures (年度指标值, 实际完成值).
COLUMN_WORD = re.compile(r"(?:年度|全年)?(?:指标值|目标值|计划值|预期值|实际完成值?|完成值|实际值|实际完成情况|完成情况)")


def name_before(norm: str, low: int, sentence_start: int) -> str:
    """Return the name stated in the clause before ``low`` in its sentence (指标1:资助困难学生人数,), or ''."""
    if low - 1 <= sentence_start:
        return ""
    before = clause_before(norm, low - 1).replace(":", "：").rpartition("：")[2]
    name = TRAIL.sub("", LEAD.sub("", before))
    return name if len(re.findall(r"[\u4e00-\u9fff]", name)) >= 2 and not re.search(r"\d", name) else ""


#: What a cell says before a value that is not the value's name: the row's name is (| 已完成100% |,
#: | 至少全年完成2次宣传 |); a name with its verb (| 完成农民培训500人次 |) is one.
_CELL_NOT_NAME = re.compile(r"^\s?(?:已|实际|全部|均)?(?:完成|达到|实现)了?\s?$|至少|不少于|不低于|最多|不超过")


# An earlier value inside a phrase ("资金859.6万元2023年支出", "发放指标为100%实际完成值为"): the name begins after it.
_EARLIER_VALUE = re.compile(r"^.*\d(?:\s?(?:万|亿))?(?:元|%|个|人|次|项|户|件|名|家|所|条|处|亩|米|公里|吨|万|亿)"
                            r"(?:为|是|的)?(?=[\u4e00-\u9fff\d])")
# Who states it (我单位, 我院) and a column word left at the end (…发放指标为) are not the name.
_WHO = re.compile(r"^(?:我(?:单位|局|院|校|中心|所|站|委|办|县|区|镇|乡|市|厅|部|处|科|队)|"
                  r"[\u4e00-\u9fff]{0,8}(?:部门|单位|局|委员会|办公室|中心|院|区|县|市|省|镇|乡|项目)(?=\s?\d{4}\s?年))|"
                  r"^(?:主要)?建设内容(?:为|是|包括)")
_COLUMN_TAIL = re.compile(r"(?<=[\u4e00-\u9fff]{2})指标值?为$|(?<=[\u4e00-\u9fff]{2})指标值$|"
                          r"(?<=收入)(?:累计)?完成$|(?<=支出)(?:累计)?完成$")  # "一般公共预算收入完成82876万元"
_YEAR_HEAD = re.compile(r"^\s?\d{4}\s?年度?")
_REVENUE_VERB = re.compile(r"^(?:同比|比上年|较上年)?(?:增收|减收|增支|减支)了?$")
_BASE_WORDS = re.compile(r"(比上年|较上年|同比|与上年决算数|上年决算数|与上年)$")
_NOT_NAME_ENDS = tuple(re.compile(pattern) for pattern in (
    r"(?:目前|现在|当前)的?$",
    r"(?<!理)(?:由|从)(?:[^\d，,。；;由从]{0,6}的?|平均|原来的?|原先的?)?(?:\s?[\d.,]+\S*?)?"
    r"(?:增长|提高|提升|增加|上升|下降|降低|减少|压缩|缩短|降|升|增|减)?$",
    r"^[^\d，,。；;]{0,8}?(?:改革|实施|优化|整合|改造|上线|建设)[前后](?:下降|降低|减少|缩短|提高|提升|增加)?$",
    r"^(?:改革|实施|优化|整合|改造|上线|建设)[前后]",
    r"(?<=[\u4e00-\u9fff]{2})占$",
    r"(?:稳定在|保持在?|维持在?|(?:较|比)(?:上|去|同|前|本|一|二|三|四)[^，,。；;\d]{0,6})$",
    r"^(?:实现|按照|基于对?)(?=[\u4e00-\u9fff]{2})"))
_NOT_NAME_HEADS = tuple(re.compile(pattern) for pattern in (
    r"^(?:年底|年末)(?=[\u4e00-\u9fff]{2})",
    r"^.{0,12}?[将把](?=[\u4e00-\u9fff]{2})|^\d{1,2}[.、]\s?(?:对|向|在|按)?(?=[\u4e00-\u9fff]{2})",
    r"^(?=\d)(?:\d{4}年度?)?(?:\d{1,2}月)?(?:\d{1,2}[日号])?(?<![\d])(?:前|底|末)?(?=[\u4e00-\u9fff]{2})",
    r"^[\u4e00-\u9fff]{0,8}?后?预计(?=[\u4e00-\u9fff]{2})",
    # "本部门设5个内设机构", "融媒体中心下设3个科室": who has them and the verb are no part of what is counted.
    r"^(?:本部门|本单位|[\u4e00-\u9fff]{0,10}?(?:中心|部门|单位|局|委|院|办))?(?:下设|设置了?|设有|共设|设(?![施备计立想定防]))(?=[\u4e00-\u9fff]{2})"))
# "下达直达资金2300万元": the verb that gave the funds is no part of their name.
_FUNDS_VERB_HEAD = re.compile(r"^(?:下达|安排|拨付|落实|争取|投入|筹集)(?=[\u4e00-\u9fff]{2,}(?:资金|经费|补助|预算|款))")


def _tidy_metric(phrase: str) -> str:
    """Return ``phrase`` without what other values, the speaker and column words left in it.

    >>> _tidy_metric("资金859.6万元2023年支出"), _tidy_metric("我单位2019年总支出"), _tidy_metric("每月发放指标为")
    ('支出', '总支出', '每月发放')
    """
    cut = _EARLIER_VALUE.sub("", phrase)
    if cut != phrase:
        cut = _YEAR_HEAD.sub("", cut)
        if len(re.findall(r"[\u4e00-\u9fff]", cut)) >= 2:
            phrase = cut
    pieces = phrase.split()
    if len(pieces) > 1 and any(re.search(r"\d|指标|(?:情况|说明|概况|简介|设置)$", piece) for piece in pieces[:-1]) and \
            len(re.findall(r"[\u4e00-\u9fff]", pieces[-1])) >= 2 and pieces[-1][:1] not in "万亿元%个人次项户件名":
        # "经济效 益指标 木材销售收入", "1093万元 6 5 林产品收入": cells of a row set with spaces; the last names it.
        phrase = pieces[-1]
    # "较2023年底资产原值": the end of a year is when the value stood, not what it measures (年初预算数 is a name);
    # "年终考核后及时将剩余的清算资金": what 将 takes is what is measured; "4.对乡镇": a list number and 对 are not;
    # a date left by a cut ("年12月31日眉山市…") is when, not what; "项目实施后预计年收入租金": when the value is
    # expected is no part of what it measures.
    for pattern in _NOT_NAME_HEADS:
        phrase = pattern.sub("", phrase)
    who = _WHO.match(phrase)
    tidy = _FUNDS_VERB_HEAD.sub("", _COLUMN_TAIL.sub("", _YEAR_HEAD.sub("", phrase[who.end():]) if who else phrase))
    return tidy if len(re.findall(r"[\u4e00-\u9fff]", tidy)) >= 2 else phrase


def metric_of(norm: str, start: int, end: int, quantity: Quantity) -> str:
    """Return the noun phrase the quantity measures; in a table row, the name of the row when its cell names none."""
    funds = funds_cell(norm, start) if quantity.kind in ("money", "percent") else None
    if funds:
        # "年度资金总额 43.2 43.2 37.24 10 86%": the row and the column the value stands in (a rate names itself).
        return f"{funds[0]} {funds[1]}".strip() if quantity.kind == "money" else funds[1] or funds[0]
    label = label_start(norm, start, quantity.unit)
    if label is not None:
        # "国家标准的项目数量(项),目标值2,完成值2", "金额（元）：1,234.50": the label names what its values measure.
        name = TRAIL.sub("", LEAD.sub("", after_last(norm, label, "，,。；;：:|\n")))
        name = re.split(r"\d{1,2}[.．、)）](?!\d)|[（(]\d{1,2}[）)]", name)[-1].strip()  # after its list number
        if len(re.findall(r"[\u4e00-\u9fff]", name)) >= 2:
            return _balanced(name)
    phrase = _tidy_metric(_phrase_metric(norm, start, end, quantity))
    if "|" not in norm[max(0, start - LOOK_BACK):start]:
        return phrase
    clause = clause_before(norm, start)
    header = plain_header(norm, start)
    if header and quantity.kind == "percent" and RATE.search(header) and \
            not re.search(r"[\u4e00-\u9fff]", clause[clause.rfind("|") + 1:]):
        # | 总额 | 238.93 | 251.89 | 100.00% | under 预算执行率: a rate alone in its cell is what its column names.
        return header
    if phrase and not _CELL_NOT_NAME.search(clause) and len(re.findall(r"[\u4e00-\u9fff]", phrase)) >= 2:
        return phrase
    row = _row_name(norm, start)
    if header and quantity.kind == "percent" and RATE.search(header):
        # A rate column (预算执行率) names the measure itself.
        return header
    if header and quantity.kind == "money" and AMOUNT_HEADER.search(header):
        # | 年度资金总额 | 808.1 | under 全年预算数: the row's item as the column counts it.
        return f"{row} {header}" if row else header
    return row or phrase


def _phrase_metric(norm: str, start: int, end: int, quantity: Quantity) -> str:
    """Return the noun phrase around the quantity that names what it measures."""
    clause = clause_before(norm, start)
    if not clause.strip() and start > 0 and norm[start - 1] in "（(":
        # "支撑市交通运输局（12次）": the number in brackets counts what comes before them.
        clause = clause_before(norm, start - 1)
    elif not clause.strip() and start > 0 and norm[start - 1] in "）)":
        # "结余率(计算方法为:结余数/预算数)≤5%": a note in brackets stands between the name and its value.
        opening = max(norm.rfind("(", 0, start - 1), norm.rfind("（", 0, start - 1))
        if opening > 0 and start - opening <= 40 and re.fullmatch(r"[（(][类款项][）)]", norm[opening:start]):
            # "住房改革支出（类）住房公积金（项）752.9万元": a budget item is named after its class and kind; a
            # list of names (公诉、审判、侦查、执行等检察监督支出（项）) is one name, after its list number.
            name = re.sub(r"^\s?\d{1,2}[.．、](?!\d)", "", after_last(norm, opening, "，,。；;！？!?\n（(）)|"))
            name = TRAIL.sub("", LEAD.sub("", re.split(r"[（(][类款][）)]", name)[-1]))
            if 2 <= len(name) <= 30:
                return _balanced(name)
        if opening > 0 and start - opening <= 40:
            clause = clause_before(norm, opening)
    clause = table_debris(clause)
    head, colon, tail = clause.replace(":", "：").rpartition("：")
    if colon:
        # "申办办件量：51639宗" names the metric before the colon; "其中：出国费0万元" after it.
        clause = tail if TRAIL.sub("", LEAD.sub("", tail)) else head
        # "其中：因公出国（境）费决算数：0万元": the name sits between the two colons.
        clause = clause.rpartition("：")[2] or clause
    before = TRAIL.sub("", LEAD.sub("", clause))
    # "812个村（社区）便民服务站已完成790个": an earlier count is not part of the name.
    before = _COUNTED.sub("", before)
    # "市政数局年初预算总额": the organisation is who, not what.
    before = re.sub(r"^[\u4e00-\u9fff]{1,14}?(?:局|委员会|办公室)(?=[\u4e00-\u9fff]{2,})|"
                    r"^[\u4e00-\u9fff]{0,6}?(?:文化馆|图书馆|博物馆|纪念馆)(?=[\u4e00-\u9fff]{2,})", "", before)
    before = _RECEIVED.sub("", before)
    before = CHANGE.sub("", before)
    before = _REVENUE_VERB.sub("", before)  # "，增收3003万元": the revenue's change
    before = _BASE_WORDS.sub("", before)
    before = TRAIL.sub("", before)
    if _COMPARISON.match(before):
        before = ""
    # Where the starting value begins (可办率由85%提高到, 受理量由成立之初的1400多件增长到目前的), the state named as
    # when (改革前审批时限, 改革后下降至), how the value stands or what it is compared with (稳定在, 较一季度).
    for pattern in _NOT_NAME_ENDS:
        before = pattern.sub("", before)
    after = ""
    if quantity.kind == "percent" and not before and re.match(r"\s?(?:以上|以下|左右)?的", norm[end:end + 4]):
        # "92.5%的省级行政许可事项实现网上受理": the phrase after 的 names what the percent counts.
        tail = norm[end:end + 24]
        tail = tail[tail.index("的") + 1:]
        stop = re.search(r"[，,。；;：:（(]", tail)
        return _balanced((tail[:stop.start()] if stop else tail)[:16])
    if quantity.kind == "money" and _MONEY_VERB.fullmatch(before):
        # "安排5440万元支持配售型保障性住房项目": what the money was for names it.
        purpose = _FUNDS_NOUN.match(norm, end) or _PURPOSE.match(norm, end)
        if purpose:
            return _balanced(purpose.group("what"))
    counted = quantity.kind in ("count", "other", "area", "length", "frequency") or not quantity.unit
    if counted and not FROM_TO.match(norm[end:end + 8]):
        tail = norm[end:end + 16]
        stop = _AFTER_STOP.search(masked_slice(norm, end, end + 16))
        # Without a stop the phrase runs to the end of the text, or to ten characters at most.
        after = (tail[:stop.start()] if stop else tail if len(tail) < 16 else tail[:10]).strip().strip("“”\"")
        # "培训农民人数 ≥2000人次 2150人次 质量指标 …": a heading begins the next row, not the counted noun.
        # "包括23个数量指标、2个质量指标": the count of the headings themselves names them.
        heading = HEADING.search(after) if "指标" in after or "目标" in after else None
        after = after[:heading.start()].strip() if heading and (heading.start() > 0 or tail[:1].isspace()) else after
        after = re.sub(r"^的", "", after)
        after = after.replace("的", "")
        if _NEXT_ROW.match(norm, end):
            # "道路硬化里程 ≥100公里 供水设施数量 ≥20座": set apart by a space, a name then a value is the next row's.
            after = ""
    # "政务服务中心共进驻36个部门", "单位现有在职人员6人": who did it comes before 共/累计/现有, what was
    # counted after (so after 分别是 and 今年); a bare verb left (防火墙共拦截600万次) keeps its subject.
    parts = _WHO_THEN_WHAT.split(before)
    if len(parts) > 1 and len(parts[-1]) >= (1 if after else 3):
        before = _RECEIVED.sub("", parts[-1])
    if after:
        before = _last_words(before, 6, whole=True)
        # "…中心和64个镇（街）便民服务中心": what precedes 和 is another item.
        if _GENERIC_VERBS.match(before) or before.endswith(("和", "及", "与", "、")):
            before = ""
        return _balanced((before + after)[:20])
    return _balanced(_last_words(before, 16))


def _last_words(text: str, size: int, whole: bool = False) -> str:
    """Return about the last ``size`` characters of ``text``, begun at a word's start, never inside a word (火墙…).

    The words are those of our segmenter; a Chinese word cut at the edge is taken whole when ``whole``
    (防火墙成功拦截…) and left out otherwise (a long name keeps its last words).
    """
    if len(text) <= size:
        return text
    # A character that ends a word (省级, 洱源县, 期内) is left at the start by a cut between two of our words.
    return _ORPHAN.sub("", _cut_words(text, size, whole))


_ORPHAN = re.compile(r"^[级类县区市省局期内](?=[\u4e00-\u9fff]{4})")


def _cut_words(text: str, size: int, whole: bool) -> str:
    from nlp.segmentation import _tokenizer

    cut = len(text) - size
    position = max(0, cut - 8)
    for word in _tokenizer().lcut(text[position:], HMM=False):
        if position <= cut < position + len(word):
            if position == cut:
                # "…2019|年一般公共预算": a date word whose number is cut off goes with it.
                dateless = re.sub(r"^[年月日度底末]+", "", text[cut:]) if text[cut - 1].isdigit() else ""
                return dateless or text[cut:]
            if not re.fullmatch(r"[\u4e00-\u9fff]+", word):
                # "…2019年一般公共预算": part of a number or code is left out, and the date word after it.
                return re.sub(r"^[年月日度底末]+", "", text[position + len(word):]) or text[cut:]
            if whole:
                return text[position:]
            return text[position + len(word):] if position + len(word) < len(text) else text[cut:]
        position += len(word)
    return text[cut:]


def _balanced(metric: str) -> str:
    """Drop quotation marks left unpaired by cutting the phrase out of its sentence; brackets as written in Chinese.

    >>> _balanced("三公”经费支出合计决算数"), _balanced("因公出国(境)费")
    ('三公经费支出合计决算数', '因公出国（境）费')
    """
    metric = metric.replace("(", "（").replace(")", "）")
    for left, right in (("“", "”"), ("《", "》"), ("（", "）")):
        if metric.count(left) != metric.count(right):
            metric = metric.replace(left, "").replace(right, "")
    # A stop left at the start by a cut (".一般行政管理事务") is no part of a name.
    return re.sub(r"^[.．、，,；;：:]+", "", metric.strip()).strip()
