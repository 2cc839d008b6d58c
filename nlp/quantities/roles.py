"""Say what part a value plays: a target, an actual, a baseline or a change (with its direction).

Role words (目标值, 实际完成, 比上年增加, 上年决算数) are read in the value's clause and sentence, list
headings over numbered items, and, in indicator tables, the column header and the cells beside it.
"""

from __future__ import annotations

import re

from nlp.quantities.cells import CELL_COMPARATOR, funds_cell
from nlp.quantities.context import LOOK_BACK, after_last, clause_before, plain_header, sentence_before
from nlp.quantities.quantity import Quantity
from nlp.quantities.tables import AMOUNT_HEADER
from nlp.quantities.units import UNITS

CHANGE = re.compile(r"(比上年|比去年|较上年|较去年|同比|环比|与上年相比|比\d{4}年|较\d{4}年[^，,。；;]{0,8})?\s?"
                     r"(?P<verb>增加了?|增长了?|提高了?|提升了?|上升了?|减少了?|下降了?|降低了?|压减了?|节约了?|精简了?|"
                     r"缩短了?|压缩了?|超计划|前进了?|后退了?|追加|追减|调增|调减|核增|核减|超收|短收|超支|节支|减支|增支|增减额|增减率|增减幅度?|变动额|变动率|增|减)\s?$")
# "，增收3003万元", "同比减收11469万元": revenue up or down on the year; 带动农户增收15万元 is the income gained.
_REVENUE_CHANGE = re.compile(r"^\s?(同比|比上年|较上年|与上年相比)?\s?(?P<verb>增收|减收|增支|减支)了?\s?$")
# "追减我县2021年…专项资金223.57万元": a budget adjusted by the amount after its item.
_ADJUST = re.compile(r"(?P<verb>追加|追减|调增|调减|核增|核减)(?:[^\d，,。；;]|\d{4}\s?年度?){0,30}$")
# "这一因素较上年减少部门支出1,653万元", "增加部门预算1,464.3万元": a change of a budget named between verb and amount.
_BUDGET_NOUNS = ("支出", "预算", "经费", "资金", "费用", "开支")
_CHANGE_OF = re.compile(r"(比上年|比去年|较上年|较去年|同比|与上年相比)?[^，,。；;]{0,12}?(?P<verb>增加了?|减少了?|压减了?|核减|核增|调增|调减)\s?"
                        rf"(?:部门|单位|本级|财政|当年)?(?:{'|'.join(_BUDGET_NOUNS)})\s?$")
# "预定村集体收入60.3万元，实际完成…60.3万元": a value followed by what was achieved of it is the plan.
_ACHIEVED_NEXT = re.compile(r"^\s?[，,；;]\s?实际(?:完成|达到|实现|为)?")
# Money that came (下达资金56万元，实际完成投资54.6万元), or a budget stated beside its spending, is an actual whatever
# follows.
_FUNDS_CAME = re.compile(r"下达|到位|到账|拨付|支出|使用|预算")
# The money of a budget or an investment (总投资额, 预算资金), not of an outcome (产值, 增加收入).
_FUNDS_WORD = re.compile(r"^(?!.*(?:收入|产值|增收|效益|销售))(?=.*(?:投资|预算|资金|经费|拨款|补助|补贴))")
# "较目标少80个", "比上半年高出0.66个百分点": a gap to a named base is a change, not a value of the measure.
_GAP = re.compile(r"(?P<base>(?:较|比|与)[^，,。；;]{0,24}?)(?:相比)?\s?(?P<verb>高出了?|多出了?|低了?|高了?|少了?|多了?|差|超出了?)\s?$")
_UP = ("增", "提", "上升", "超", "高", "多", "前进")
_BASELINE = re.compile(r"(?:(?:较|与|(?<!占)比)\s?[^，,。；;]{0,18}|(?:上年|去年|上一年度?)(?:决算数|同期|实际|为)?[^，,。；;]{0,6})\s?$")
# "单位收入本年28521.28万元，上年24634.58万元": the prior year's value beside this year's.
_PRIOR_YEAR = re.compile(r"^\s?(?:上年|去年|上年度|上年同期)(?:数|为|是)?\s?$")
_BASELINE_AFTER = re.compile(r"^\s?[^，,。；;]{0,4}(相比|增加|减少|增长|下降|提高|降低|高出|低出|上升|提升|减支|增支|减收|增收|"
                             r"短收|超收)")
# "由成立之初的1400多件增长到…", "由平均4次降至1次": the starting value, after a short note of when.
_FROM = re.compile(r"(?:由|从)(?:[^\d，,。；;由从]{0,8}的|平均|原来的?|原先的?)?\s?$")
FROM_TO = re.compile(r"^\s?(?:提高|提升|增加|增长|上升|下降|降低|减少|压缩|缩短|扩大|跃升|降|升|增|减)?\s?(?:到|至)")
# "明显高于改革前的55%": the number after 高于/低于 is what is compared against.
_ABOVE = re.compile(r"(?<!不)(?:高于|低于)[^\d，,。；;]{0,10}$")  # 不低于 is a bound, not a base
_STANDARD = re.compile(r"(?:最低|最高|考核|规定|要求的?)标准(?:为|是)?\s?$")
# "改革前审批时限45个工作日，改革后下降至8个工作日": the value before the change of state.
_BEFORE_STATE = re.compile(r"^\s?(?:[^\d，,。；;]{0,6}?)(?P<event>[\u4e00-\u9fff]{2})前")
# Words that name the column a number stands in: the last one before the number decides.
# In an evaluation table the score is 得3分; the full mark it is measured against (满分3分) is read in its clause.
_EXPLICIT_ROLE = re.compile(r"(?P<target>目标值|年度指标值|指标值|计划值|预期值|预期目标|指标为|(?:年初)?任务数|"
                            r"应(?:执行|完成|发放)数)|"
                            r"(?P<actual>实际完成值?|完成值|实际值|得分|得(?=\s?\d|\s?$))")
# A heading that names the items after it as targets ("年度绩效目标：…；…", "实现以下目标：一、…"), until a
# heading of results ("完成情况：") or the end of the paragraph's sentence.
# A project's 建设内容/建设规模 states what it is to build, as planned.
# A numbered title of targets ("2.2021年度绩效目标。") heads the sentences after it up to the next numbered one.
_TARGET_TITLE = (r"(?:^|(?<=[。！？\s]))(?:\d{1,2}\s?[.．、](?:(?!\d)|(?=\d{4}\s?年))|[（(][一二三四五六七八九十\d]{1,3}[）)]|"
                 r"[一二三四五六七八九十]{1,2}、)\s?(?:\d{4}\s?年度?)?[\u4e00-\u9fff]{0,6}目标\s?。")
_TITLE_OF_TARGETS = re.compile(_TARGET_TITLE)
_LIST_ROLE = re.compile(r"(?P<target>(?:绩效|年度|总体|工作|预期|以下|项目|投入|产出|数量|质量|时效|成本|效益|满意度)"
                        r"(?:总|绩效)?目标(?:情况|任务)?(?:是|为)?(?:[:：]|(?=\s?一是))|目标任务(?:为?[:：]|[，,](?=\s?一是))|"
                        + _TARGET_TITLE + "|预期(?:各项)?[\u4e00-\u9fff]{0,4}指标|"
                        r"(?P<goal>(?<![\u4e00-\u9fff])目标\d{1,2}[:：])|(?:主要)?建设(?:内容|规模|任务)[:：])|"
                        r"(?P<actual>(?:完成|执行|实施)情况[:：]|实际完成[:：])")
# A numbered item ("2.", "（三）", "4、", "二是") goes on the list its heading opened in an earlier sentence.
_LIST_ITEM = re.compile(r"^\s?(?:\d{1,2}\s?[.．、]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,2}[、是])")
# Looser target words, only within the number's own clause. A budget report's 预计完成/预计执行 is the year's
# estimated outturn, an actual.
# "计划新建村卫生室10个" plans what follows; "按计划完成", "完成年度计划的98%", "计划内" do not.
# "新增公共租赁住房目标（包括建设和筹建）300套": a measure called a goal just before its value.
_TARGET = re.compile(r"目标为|目标(?:[（(][^（()）]{0,16}[）)])?\s?$|(?<![按照])计划(?:完成|达到|为)|力争|确保|预计(?!完成|执行)|预定|估算|"
                     r"要求(?:达到)?$|"
                     r"(?:满分|分值)(?:为|是)?\s?$|"
                     r"(?<![按照])计划(?!的|内|外|任务|生育|单列|执行|完成率|进度)[^\d，,。；;的]{0,10}$|"
                     r"(?<![按照乡市土区县])规划(?:新建|建设|实施|改造|修建|铺设|安装)[^\d，,。；;的]{0,10}$|"
                     r"(?:建成|实施|完成|投产|运营|投入使用)后(?:能够|可以?|将|预计|可望)|"
                     r"(?<![模虚比草])拟(?:新建|建设|实施|改造|修建|铺设|安装|投资|采购|招聘|购置|建)[^\d，,。；;的]{0,10}$")
# "计划资金全部到位56万元": the plan's money arrived; what came or was done after the plan word is an actual.
_DONE_AFTER_PLAN = re.compile(r"计划(?!完成|达到)[^\d，,。；;]*?(?:到位|到账|拨付|下达|完成|实施完毕|已)")
# A plan stated at the head of a sentence ("计划对…实施…工程，新建…1300m", "拟按…建设，设计速度…") covers
# its later clauses, unless one says what was done.
_PLAN_HEAD = re.compile(r"(?<![按照完成超年度原])(?:计划|拟|(?<![乡市土区县])规划)(?:对|在|于|将|按|投资|新建|建设|实施|开展|完成|用)|"
                        r"确保|力争|争取|预计(?!完成|执行)")
# "建成市级特色小镇20个左右的具体目标", "…覆盖率达95%的目标": a number the sentence calls a goal.
_GOAL_AFTER = re.compile(r"^[^\d，,。；;]{0,8}?的(?:[\u4e00-\u9fff]{0,4})目标")
# "完成100%的年度目标任务", "实现了95%的预期目标": how much of the goal was reached is an actual.
_ACHIEVED_BEFORE = re.compile(r"完成|实现|达到|达成|已")
# "获取率应大于或等于90%", "应达到95%": what ought to be is a target.
_OUGHT = re.compile(r"应(?:当|该)?(?:(?:大于|小于|高于|低于|不低于|不少于|不高于|不超过|达到|达|为|在)[^\d，,。；;]{0,4})?$")
# "…，确保问题快速响应，2024年受理群众反映问题140953件": a clause opened by its time states a fact of its own.
_NEW_STATEMENT = re.compile(r"^\s?(?:\d{4}\s?年|全年|截至|截止|当年|本年)")
# What was done (已, 实际, 共开展, 累计) in a later clause: the plan at the sentence's head does not cover it.
_DONE = re.compile(r"已|实际|完成|建成了?|竣工|到位|拨付|支出|下达|共|累计")
# Column headers that name a role: a plan or target (年度指标值, 目标值, 计划数), or what was done (实际完成值,
# 完成情况, 完成值); a header begun with a plan word is a plan (计划完成数).
_HEADER_ROLE = re.compile(r"^(?P<target>(?:年度|全年)?(?:计划|目标|预期|指标)(?:值|数)?$|[^实完]*(?:目标值|指标值|计划值|计划数))|"
                          r"(?P<actual>实际|完成值|完成情况|完成数)")
# A value cell followed by a cell that says it was done (| 10万元 | 已完成100% |) states what was to be done.
_DONE_CELL = re.compile(r"^\s?(?:已|全部|均)?完成(?:\s?[\d.]+\s?%)?\s?$")
# Bounds written as symbols in a table (≥95%, =100%, ≤10次); prose bounds (超过, 不低于) state results too.
_SYMBOL_BOUND = "≥≤≧≦<>="
_UNIT_WORDS = "|".join(sorted((re.escape(unit) for unit in UNITS if not unit.isascii()), key=len, reverse=True))
# Between two values of one row: separators, a unit or comparator cell, a short note in brackets ((百分比)),
# the per-unit tail of the first value's unit (元/人*月), and the actual's cell may begin by saying it was
# done (| 100% | 已完成，100% |, | ≥500人 | 完成562人 |); a line break never stands between.
_ROW_GAP = re.compile(r"^(?:[ \t|≥≤≧≦<>=═]|[（(][^（()）\n]{0,6}[）)]|%|(?:" + _UNIT_WORDS + r")(?=[ \t]?\|)|"
                      r"/[^\s|/]{1,5}(?=[ \t]?\|)|(?<=[|\s])(?:已|实际|全部)?(?:完成|达到)了?[，,：:]?(?=[ \t]?$))*$")
# After the target and the actual of an indicator row: its weight or score, a bare number (| 10.0 |, 5 ).
_SCORE_AFTER = re.compile(r"\s*\|?\s*\d{1,3}(?:\.\d{1,2})?\s*(?:\||\s|$)")
# "至少全年完成2次宣传": the bound words of the cell or clause, not next to the number.
_BOUND_WORDS = re.compile(r"(?:(?P<ge>至少|不少于|不低于)|(?P<le>至多|最多|不超过|不高于))(?!的)")


# The cell after a heading of targets (| 总 体 目 标 | 开展7个小型水利工程建设 |).
_TARGET_CELL = re.compile(r"(?:年\s?度|总\s?体|绩\s?效|预\s?期)\s?(?:绩\s?效\s?)?目\s?标\s?\|[^|\d]{0,40}$")
# After a number and its unit cell, the next cell's number (the actual beside the target).
_VALUE_AFTER_UNIT = re.compile(r"\s*\|(?:[^|\d\n]{1,4}\|)?\s*[≥≤≧≦<>=]?\s*\d")


# Header cells of a table of targets (| 指标值 |, | 年度目标 |, | 中期滚动目标 |) and of results (| 实际完成值 |).
_TARGET_HEADER_CELL = re.compile(r"\|\s?(?:[\u4e00-\u9fff（）()\-—\d\s]{0,16}目\s?标|指\s?标\s?值|目\s?标\s?值)\s?(?=\|)")
_ACTUAL_HEADER_CELL = re.compile(r"\|\s?[^|]{0,8}(?:实际|完成值|完成情况|完成数|得分)[^|]{0,4}\|")


def _targets_only_table(norm: str, start: int) -> bool:
    """Return whether the number at ``start`` stands in a table read as one line whose header names targets
    (| 指标值 |, | 年度目标 |) and no results: a 申报表 or 绩效目标表."""
    line = after_last(norm, start, "\n")[-600:]
    if "|" not in line[-200:] or "标" not in line:
        return False
    header = _TARGET_HEADER_CELL.search(line)
    return header is not None and not _ACTUAL_HEADER_CELL.search(line) and \
        not _ACTUAL_HEADER_CELL.search(norm, start, start + 200)


def _next_cell(norm: str, end: int) -> str | None:
    """Return the text of the cell after the one the number ending at ``end`` stands in, or None."""
    rest = norm[end:end + 40]
    own = rest.find("|")
    if own < 0 or rest[:own].strip(" %") and not re.fullmatch(r"\s?[\u4e00-\u9fff]{1,2}\s?", rest[:own]):
        return None
    following = rest[own + 1:].split("|")
    return following[0] if len(following) > 1 else None


def read_table_role(quantity: Quantity, norm: str, clause: str, start: int, end: int, in_row: bool) -> None:
    """Read the role and bound of a value in an indicator table row (see ``HEADING``)."""
    bound = _BOUND_WORDS.search(clause)
    if bound and quantity.comparator == "=" and not re.search(r"\d", clause[bound.end():]) \
            and len(clause) - bound.end() <= 8:
        # "至少全年完成2次宣传": at least 2.
        quantity.comparator = ">=" if bound.group("ge") else "<="
    if quantity.role != "actual":
        return
    if "|" in norm[max(0, start - LOOK_BACK):start]:
        column = _HEADER_ROLE.search(plain_header(norm, start))
        if column:
            # A value in the 年度指标值 column is a target; in the 实际完成值 column, an actual.
            quantity.role = "target" if column.group("target") else "actual"
            return
    if in_row and (norm[start:start + 1] in _SYMBOL_BOUND or bound):
        # "科目调整次数≤10次 22.5", "=100%": a bound in an indicator row is the indicator's target.
        quantity.role = "target"
        return
    if norm[start:start + 1] in _SYMBOL_BOUND[:-1] and not _ACHIEVED.search(clause) and \
            not any(m.group("actual") for m in _EXPLICIT_ROLE.finditer(clause)):
        # "种植数量(≥**株)>=17600株", "满意度≥95%": a bound written as a sign is how targets are written;
        # what was achieved is stated as a value (达到96%), or after words that say so.
        quantity.role = "target"
        return
    if "标" in norm[max(0, start - 80):start] and _TARGET_CELL.search(norm, max(0, start - 80), start):
        # "| 总 体 目 标 | 开展7个小型水利工程建设 |": the cell after a heading of targets.
        quantity.role = "target"
        return
    if _targets_only_table(norm, start):
        quantity.role = "target"
        return
    if CELL_COMPARATOR.search(norm, max(0, start - 12), start) and not _VALUE_AFTER_UNIT.match(norm, end):
        # "| 保障在职职工人数(人) | = | 116 | 人 | 该指标值数据合理 |": the value of a 申报表's 指标值 column, whose
        # sign stands in the cell before; a 自评表 gives the achieved value in a cell after it.
        quantity.role = "target"
        return
    following = _next_cell(norm, end)
    if following is not None and _DONE_CELL.match(following):
        # "| 成本 | 10万元 | 已完成100% |"
        quantity.role = "target"


def pair_cells(rows: list[tuple[int, int, Quantity, bool]], norm: str) -> None:
    """Mark the first of two values side by side in one table row as the target, the second as the actual.

    Indicator tables give the year's target before what was achieved (≧20000亩 | 20000亩, 100% 100%); two
    values of one measure side by side are such a pair when the first is a bound, an indicator heading
    heads the row, or a weight or score follows them. Budget tables (全年预算数 | 全年执行数) give two
    actual values and none of these.
    """
    paired = False
    for (a_start, a_end, a, a_row), (b_start, b_end, b, b_row) in zip(rows, rows[1:]):
        if paired:
            paired = False
            continue
        if not (_same_measure(a, b) and _ROW_GAP.match(norm[a_end:b_start])):
            continue
        if a.role == b.role == "actual" and (a_row or a.comparator in (">=", "<=", ">", "<") or
                                              _SCORE_AFTER.match(norm, b_end) or _rates_in_cells(a, norm, a_start, b_end)) and \
                not AMOUNT_HEADER.search(plain_header(norm, a_start)) and funds_cell(norm, a_start) is None:
            a.role, paired = "target", True
        elif a.role == b.role == "target" and a_row and b_row and norm[a_start] in _SYMBOL_BOUND and \
                norm[b_start] in _SYMBOL_BOUND:
            # "小区居民满意度>80%>70%": a bound target, then the achieved value written with its sign too.
            b.role, paired = "actual", True
        if paired:
            b.kind, b.base_unit = a.kind, a.base_unit
            if a.metric and a.metric in b.metric:
                b.metric = a.metric  # "小区居民满意度>80%" before the second value: the first's debris


def single_values(rows: list[tuple[int, int, Quantity, bool]], norm: str) -> None:
    """Make the plain values of a line of indicator rows targets when each row gives one value, some as bounds.

    A table of targets (申报表, 绩效目标表) gives one value an indicator (≥100公里, 100%, 1600元/亩); a table of
    results gives a target and an actual side by side, and a budget table no bounds.
    """
    lines: dict[int, list[tuple[int, int, Quantity, bool]]] = {}
    for row in rows:
        if row[3]:
            # The line a value stands on, named by where it begins (rows come in order).
            lines.setdefault(norm.rfind("\n", 0, row[0]), []).append(row)
    for line in lines.values():
        if len(line) < 3 or not any(q.role == "target" and norm[start] in _SYMBOL_BOUND for start, _, q, _ in line):
            continue
        if any(_same_measure(a[2], b[2]) and _ROW_GAP.match(norm[a[1]:b[0]]) or _SCORE_AFTER.match(norm, a[1])
               for a, b in zip(line, line[1:])):
            continue
        for start, _, quantity, _ in line:
            if quantity.role == "actual" and not _ACHIEVED.search(clause_before(norm, start)) and \
                    not AMOUNT_HEADER.search(plain_header(norm, start)):
                quantity.role = "target"


def grading_scales(rows: list[tuple[int, int, Quantity, bool]], norm: str) -> None:
    """Give role none to the bands of a grading scale: a run of three or more values of one measure, falling,
    side by side, that ends below a bound (优 6500平方米以上 | 良 5500-6500 | 中 4500-5500 | 差 4500平方米以下;
    全部完成 80% 60% 60%以下). They say how a result will be graded, not what was aimed at or done."""
    for index, (_, _, last, _) in enumerate(rows):
        if last.comparator not in ("<=", "<"):
            continue
        first = index
        while first > 0:
            a_start, a_end, a, _ = rows[first - 1]
            b = rows[first][2]
            if not _same_measure(a, b) or re.search(r"[\u4e00-\u9fff]", norm[a_end:rows[first][0]]) or \
                    (a.upper if a.upper is not None else a.value) < (b.upper if b.upper is not None else b.value):
                break
            first -= 1
            if a.comparator in (">=", ">"):
                break
        if index - first >= 2:
            for _, _, quantity, _ in rows[first:index + 1]:
                quantity.role = "none"


def _rates_in_cells(a: Quantity, norm: str, start: int, end: int) -> bool:
    """Return whether two rates stand in cells of their own (| 100% | 98.79% |): a rate's target and its result
    (a budget table gives one 执行率 a row)."""
    return a.kind == "percent" and norm[max(0, start - 4):start].rstrip(" \t").endswith("|") and \
        norm[end:end + 4].lstrip(" \t").startswith("|")


def _same_measure(a: Quantity, b: Quantity) -> bool:
    """Return whether two values of one row may be the target and actual of one measure: the same kind and
    unit, or a bare 万 read as money beside one read as a count (| 运行维护费 | 150万 | 150万 |)."""
    if a.kind == b.kind:
        return a.base_unit == b.base_unit
    return not a.unit and not b.unit and {a.kind, b.kind} == {"money", "count"}


#: Words after a bound that give what was achieved: the bound before them was the target.
_ACHIEVED = re.compile(r"实际(?:完成|达到|值|为)?|完成值|完成情况|已完成|达到了|实现了")


def bound_then_actual(bound: Quantity, actual: Quantity, between: str) -> bool:
    """Return whether ``bound`` is a target: a bound (≥90%) then, in the same sentence, what was achieved.

    >>> from decimal import Decimal
    >>> b = Quantity("≥90%", 0, 4, Decimal(90), Decimal(1), "%", "%", "percent", comparator=">=", role="actual")
    >>> a = Quantity("96%", 10, 13, Decimal(96), Decimal(1), "%", "%", "percent", role="actual")
    >>> bound_then_actual(b, a, "，实际完成")
    True
    """
    return (bound.role == "actual" == actual.role and bound.comparator in (">=", "<=", ">", "<")
            and actual.comparator in ("=", "~", ">", ">=") and bound.kind == actual.kind
            and bound.base_unit == actual.base_unit and len(between) <= 24
            and not re.search(r"[。！？!?\n；;]", between) and _ACHIEVED.search(between) is not None)


def read_role(quantity: Quantity, norm: str, start: int, end: int) -> None:
    clause = clause_before(norm, start)
    change = CHANGE.search(clause) or _ADJUST.search(clause) or _REVENUE_CHANGE.match(clause) or \
        (_CHANGE_OF.search(clause) if clause.rstrip().endswith(_BUDGET_NOUNS) else None)
    gap = None if change else _GAP.search(clause)
    if change or gap:
        quantity.role = "change"
        verb = (change or gap).group("verb")  # type: ignore[union-attr]
        quantity.direction = "up" if verb.startswith(_UP) or verb in ("追加", "调增", "核增") else "down"
        if quantity.value < 0:
            # 同比增长-3.2% is a fall: the sign turns the verb round (the value keeps its sign).
            quantity.direction = "down" if quantity.direction == "up" else "up"
        if change:
            based = change.re in (CHANGE, _CHANGE_OF, _REVENUE_CHANGE)
            quantity.change_base = (change.group(1) or None) if based else None
            if verb == "超计划":
                quantity.change_base = "计划"
        else:
            quantity.change_base = re.sub(r"[\d.,%]+\S*$", "", gap.group("base")).strip() or None  # type: ignore[union-attr]
        return
    after = norm[end:end + 10]
    if _BASELINE.search(clause) and _BASELINE_AFTER.match(after) or _PRIOR_YEAR.match(clause):
        quantity.role = "baseline"
        return
    if (_FROM.search(clause) or _BEFORE_STATE.match(clause)) and FROM_TO.match(norm[end:end + 8]):
        # "可办率由85%提高到98.5%": the first number is where it started.
        quantity.role = "baseline"
        return
    if _STANDARD.search(clause):
        # "满意率低于市上要求的最低标准85%": the standard is what is aimed at.
        quantity.role = "target"
        return
    if _ABOVE.search(clause):
        quantity.role = "baseline"
        return
    state = _BEFORE_STATE.match(clause)
    if state and state.group("event") + "后" in norm[end:end + 30]:
        # "改革前…45个工作日，改革后下降至8个工作日"
        quantity.role = "baseline"
        return
    explicit = None
    sentence = sentence_before(norm, start)
    # In a table row the words of other cells name other columns (see read_table_role): only the value's own cell.
    for match in _EXPLICIT_ROLE.finditer(sentence[sentence.rfind("|") + 1:]):
        explicit = match
    if explicit is None and not _ACHIEVED.search(clause):
        # Under a heading of targets, "实际发放366户" still says what was done; and the money of a plan (总投资额为3.8亿元)
        # is stated as an amount, as budgets are, unless an item names itself a goal (目标1:…投资400万元).
        for match in _LIST_ROLE.finditer(_list_scope(norm, start)):
            explicit = match
        if explicit is not None and explicit.group("target") and not explicit.group("goal") and \
                quantity.kind == "money" and _FUNDS_WORD.search(clause):
            explicit = None
    if explicit is not None:
        quantity.role = "target" if explicit.group("target") else "actual"
    elif _TARGET.search(clause) and not _DONE_AFTER_PLAN.search(clause) or _OUGHT.search(clause) or \
            _GOAL_AFTER.match(norm[end:end + 16]) and not _ACHIEVED_BEFORE.search(clause) or (
            _ACHIEVED_NEXT.match(norm[end:end + 8]) and not _FUNDS_CAME.search(clause)):
        quantity.role = "target"
    else:
        head = _PLAN_HEAD.search(sentence[:len(sentence) - len(clause)])
        planned = head is not None and not _DONE.search(sentence[head.end():]) and not _NEW_STATEMENT.match(clause)
        quantity.role = "target" if planned else "actual"


_SENTENCE_END = re.compile(r"[。！？!?]")


def _list_scope(norm: str, start: int) -> str:
    """Return the text whose list heading names the role of the number at ``start``: its sentence, and,
    while sentences open with an item number, the sentences before it up to the heading's (a table
    row's other cells name other columns: from the last cell on)."""
    paragraph = after_last(norm, start, "\n")
    paragraph = paragraph[paragraph.rfind("|") + 1:]
    ends = [m.end() for m in _SENTENCE_END.finditer(paragraph)]
    begin = ends.pop() if ends else 0
    while ends and _LIST_ITEM.match(paragraph[begin:begin + 8]):
        begin = ends.pop()
    if begin and _LIST_ITEM.match(paragraph[begin:begin + 8]):
        begin = 0  # the first sentence of the paragraph opens the list
    cursor = begin if "目标" in paragraph[max(0, begin - 160):begin] else 0
    for _ in range(3):
        # "1.总体绩效目标。深入实施…。到2022年，全省建成6500万亩…": a numbered title of targets a few sentences
        # back heads this one, unless another numbered item comes between.
        if not cursor:
            break
        previous = ends.pop() if ends else 0
        sentence = paragraph[previous:cursor].lstrip()
        if _TITLE_OF_TARGETS.match(sentence):
            return paragraph[previous:]
        if _LIST_ITEM.match(sentence[:8]):
            break
        cursor = previous
    return paragraph[begin:]
