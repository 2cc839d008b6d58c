"""Say what each quantity measures: its metric, role, change direction and indicator dimension.

Rules read the clause around the number: the noun phrase before it (接通率
98.62%) or after its counter word (建成3个基础库), role words (目标值, 实际完成,
比上年增加, 上年决算数), and cue words of the Ministry of Finance dimensions
(财预〔2021〕101号): 数量/质量/时效/成本/经济效益/社会效益/生态效益/可持续影响/满意度.
"""

from __future__ import annotations

import bisect
import re

from nlp.normalize import MappedText
from nlp.quantities.quantity import Quantity
from nlp.quantities.tables import AMOUNT_HEADER, column_header
from nlp.quantities.units import UNITS

LEVEL1 = {"数量": "产出", "质量": "产出", "时效": "产出", "成本": "成本", "经济效益": "效益", "社会效益": "效益",
          "生态效益": "效益", "可持续影响": "效益", "满意度": "满意度"}

_CLAUSE_END = "，,。；;！？!?、\n（(）)|"
_SENTENCE_END = "。；;！？!?\n"
_CHANGE = re.compile(r"(比上年|比去年|较上年|较去年|同比|环比|与上年相比|比\d{4}年|较\d{4}年[^，,。；;]{0,8})?\s?"
                     r"(?P<verb>增加了?|增长了?|提高了?|提升了?|上升了?|减少了?|下降了?|降低了?|压减了?|节约了?|精简了?|"
                     r"缩短了?|压缩了?|超计划|前进了?|后退了?|追加|追减|调增|调减|核增|核减|增|减)\s?$")
# "追减我县2021年…专项资金223.57万元": a budget adjusted by the amount after its item.
_ADJUST = re.compile(r"(?P<verb>追加|追减|调增|调减|核增|核减)(?:[^\d，,。；;]|\d{4}\s?年度?){0,30}$")
# "预定村集体收入60.3万元，实际完成…60.3万元": a value followed by what was achieved of it is the plan.
_ACHIEVED_NEXT = re.compile(r"^\s?[，,；;]\s?实际(?:完成|达到|实现|为)?")
# Money that came (下达资金56万元，实际完成投资54.6万元) is an actual whatever follows.
_FUNDS_CAME = re.compile(r"下达|到位|到账|拨付|支出|使用")
# "较目标少80个", "比上半年高出0.66个百分点": a gap to a named base is a change, not a value of the measure.
_GAP = re.compile(r"(?P<base>(?:较|比|与)[^，,。；;]{0,24}?)(?:相比)?\s?(?P<verb>高出了?|多出了?|低了?|高了?|少了?|多了?|差|超出了?)\s?$")
_UP = ("增", "提", "上升", "超", "高", "多", "前进")
_BASELINE = re.compile(r"(?:(?:较|与|(?<!占)比)\s?[^，,。；;]{0,18}|(?:上年|去年|上一年度?)(?:决算数|同期|实际|为)?[^，,。；;]{0,6})\s?$")
_BASELINE_AFTER = re.compile(r"^\s?[^，,。；;]{0,4}(相比|增加|减少|增长|下降|提高|降低|高出|低出|上升|提升)")
# "由成立之初的1400多件增长到…", "由平均4次降至1次": the starting value, after a short note of when.
_FROM = re.compile(r"(?:由|从)(?:[^\d，,。；;由从]{0,8}的|平均|原来的?|原先的?)?\s?$")
_FROM_TO = re.compile(r"^\s?(?:提高|提升|增加|增长|上升|下降|降低|减少|压缩|缩短|扩大|跃升|降|升|增|减)?\s?(?:到|至)")
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
_LIST_ROLE = re.compile(r"(?P<target>(?:绩效|年度|总体|工作|预期|以下|项目|投入|产出|数量|质量|时效|成本|效益|满意度)"
                        r"目标(?:情况|任务)?[:：]|"
                        r"(?<![\u4e00-\u9fff])目标\d{1,2}[:：]|(?:主要)?建设(?:内容|规模|任务)[:：])|"
                        r"(?P<actual>(?:完成|执行|实施)情况[:：]|实际完成[:：])")
# A numbered item ("2.", "（三）", "4、", "二是") goes on the list its heading opened in an earlier sentence.
_LIST_ITEM = re.compile(r"^\s?(?:\d{1,2}\s?[.．、]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,2}[、是])")
# Looser target words, only within the number's own clause.
# "计划新建村卫生室10个" plans what follows; "按计划完成", "完成年度计划的98%", "计划内" do not.
_TARGET = re.compile(r"目标为|(?<![按照])计划(?:完成|达到|为)|力争|确保|预计|预定|估算|要求(?:达到)?$|"
                     r"(?:满分|分值)(?:为|是)?\s?$|"
                     r"(?<![按照])计划(?!的|内|外|任务|生育|单列|执行|完成率|进度)[^\d，,。；;的]{0,10}$|"
                     r"(?<![按照])规划(?:新建|建设|实施|改造|修建|铺设|安装)[^\d，,。；;的]{0,10}$")
# "计划资金全部到位56万元": the plan's money arrived; what came or was done after the plan word is an actual.
_DONE_AFTER_PLAN = re.compile(r"计划[^\d，,。；;]*?(?:到位|到账|拨付|下达|完成|实施完毕|已)")
# A plan stated at the head of a sentence ("计划对…实施…工程，新建…1300m", "拟按…建设，设计速度…") covers
# its later clauses, unless one says what was done.
_PLAN_HEAD = re.compile(r"(?<![按照完成超年度原])(?:计划|拟|规划)(?:对|在|于|将|按|投资|新建|建设|实施|开展|完成|用)|"
                        r"确保|力争|争取")
# "建成市级特色小镇20个左右的具体目标", "…覆盖率达95%的目标": a number the sentence calls a goal.
_GOAL_AFTER = re.compile(r"^[^\d，,。；;]{0,8}?的(?:[\u4e00-\u9fff]{0,4})目标")
# "获取率应大于或等于90%", "应达到95%": what ought to be is a target.
_OUGHT = re.compile(r"应(?:当|该)?(?:(?:大于|小于|高于|低于|不低于|不少于|不高于|不超过|达到|达|为|在)[^\d，,。；;]{0,4})?$")
# "…，确保问题快速响应，2024年受理群众反映问题140953件": a clause opened by its time states a fact of its own.
_NEW_STATEMENT = re.compile(r"^\s?(?:\d{4}\s?年|全年|截至|截止|当年|本年)")
_DONE = re.compile(r"已|实际|完成了|建成了?|竣工|到位|拨付|支出|下达")
_LEAD = re.compile(
    r"^(?:[一二三四五六七八九十]是|至少|不少于|不低于|不超过|截至目前|截至|截止|其中|此外|同时|另外|全年|全国|全省|全市|全县|全区|本年度|年度|累计|共计|合计|总计|共|已|均|分别是|分别为|分别|"
    r"本部门|本单位|我局|我市|市|\d{4}\s?年(?:度|末|底)?(?:\d{1,2}\s?月(?:底|末)?)?|\s|“|”)+")
_TRAIL = re.compile(r"(?:累计|共计|合计|总数为|总计|共|已|(?<![平人日年月户])均|分别|达到了?|达|为|是|约|超过|超|突破|近|逾|:|：|\s|实际完成值?|"
                    r"目标值|年度指标值|完成值|的|有|至|到)+$")
_GENERIC_VERBS = re.compile(r"^(?:建成|完成|实现|开展|组织|提供|形成|构建了?|建设|部署|发布|深化|举办|培育|推动|打造|新增|"
                            r"新建|覆盖|涵盖|包括|涉及|支撑|服务|其中|剩余|全市|共|等)$")
_AFTER_STOP = re.compile(r"[，,。；;、（(）)：:和及与等\d|]|进行|正在|已|全部|入选|实现|提供|用于|为|增加|减少|增长|下降|提高|降低|"
                         r"共计|累计|共(?![享建同性治识青产])|低于|高于|"
                         r"的[^\u4e00-\u9fff]")
# A short qualifier in brackets inside a name (村（社区）便民服务站, 因公出国（境）费) does not end
# the phrase; a heading number such as （一） does.
_QUALIFIER = re.compile(r"[（(](?![零〇一二三四五六七八九十]+[）)])[\u4e00-\u9fff]{1,4}[）)](?=[\u4e00-\u9fff])")
_COUNTED = re.compile(r"^\d[\d.,]*\s?(?:个|项|家|所|条|台|套|名|人|次|件|宗|类|座|处)")
# Words after which the name of what was counted follows (…中心共进驻36个部门, 局下辖17个大队).
_WHO_THEN_WHAT = re.compile(r"共计|累计|总计|共有|现有|下辖|今年|全年|本年|分别是|分别为|(?<![公总])共(?![享建同性治识青产])")
# "与上年决算数1.81万元相比": a comparison names the base, not what is measured.
_COMPARISON = re.compile(r"^(?:与|较|比)[^，,。；;]*(?:相比|比较)?$")

_DIMENSION_RULES: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    # (kind filter, dimension, cue pattern): "*" any kind, cue on the metric; "*clause" any kind, and a kind
    # name that kind only, cue on the metric and its clause.
    # Evaluations by those served (好差评 counts, 评议率, praise received) measure their satisfaction.
    # Money is spent or earned: an amount is never a satisfaction (绩效评价资金). The income in an
    # agency's own accounts (年度财政收支：全年实际收入…, 上年结转) is the budget's, not an economic result.
    ("money", "经济效益", re.compile(r"^(?!.*(?:预算|决算|拨款|经费|收支|结转|结余|实际收入|本年收入|收入合计|总收入|"
                                  r"(?:经营|事业|其他|上级补助|附属单位上缴)收入))(?=.*(?:交易额|营收|"
                                  r"收入(?!支出)|增收|产值|带动投资|融资|贷款|税收|销售额|营业额))")),
    ("money", "成本", re.compile(r".")),
    ("*", "满意度", re.compile(r"满意|好评|投诉|(?<!好)差评|(?<!绩效)评价(?!器|指标|体系)|评议|表扬|锦旗|感谢")),
    ("*", "生态效益", re.compile(r"减排|节能|碳|能耗|植树|绿化")),
    ("*", "时效", re.compile(r"及时|时效|响应|时限|时长|时间|按时|按期|工作日|小时|分钟|耗时|提速|逾期|超时|超期")),
    ("percent", "时效", re.compile(r"当日|当天|即时")),
    # How much of a budget was spent or left (资金执行率, 预算执行率, 完成预算的100%, 结余率) measures cost;
    # so does a percent of a fund itself (| 年度资金总额 | … | 98% |).
    # Funds that arrived, were paid out or used (资金到位率, 预算资金拨款率, 补助资金发放率), and a share of spending
    # (基本支出占总支出的53.17%), measure cost too.
    ("percent", "成本", re.compile(r"执行率|结余率|完成预算|预算(?:完成|执行)|(?:支出|支付|资金)进度|"
                                 r"^\S*(?:资金|经费|预算|拨款)(?:总额|合计|小计)?\s|"
                                 r"(?:资金|经费|预算|补助|补贴)\S{0,6}(?:到位|使用|投入|拨付|拨款|发放|支付)率|支出")),
    # How far works have gone (工程进度为42.8%, 项目建设进展) measures time.
    ("percent", "时效", re.compile(r"进度|进展")),
    ("percent", "质量", re.compile(r"率|比例|达标|合格|可用|稳定|正常运行|完成|效能|覆盖")),
    # Handling a volume of requests (受理群众诉求) is output; solving them for people is an outcome.
    ("count", "数量", re.compile(r"^(?!.*(?:解决|惠及|受益|帮扶|挽回))(?=.*(?:受理|办理|处理|办结|接听|接到|转办|交办|登记|"
                               r"回访|答复))")),
    ("*", "社会效益", re.compile(r"拦截|解决|惠及|受益|帮扶|挽回|预防|救援|申报材料|减少材料|跑动|跑腿|往返|疑难|群众|企业办事")),
    # Lasting mechanisms, and rules made (发布三份规范); rules studied (分析900余项行业标准) are output.
    ("*", "可持续影响", re.compile(r"制度|机制|长效")),
    ("*clause", "可持续影响", re.compile(r"^(?=.*(?:规范|办法|标准(?!化)))(?=.*(?:发布|制定|出台|印发|建立|编制|修订|完善|健全))")),
)
# A percent change measures what changed: a volume (访问量同比增长60%) stays a quantity of output.
_CHANGE_DIMENSIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("成本", re.compile(r"费|经费|预算|支出|资金|资产|采购")),
    ("经济效益", re.compile(r"收入|交易|产值|投资|外资|税收|销售|营业|成本")),
    ("时效", re.compile(r"时限|时间|时长|耗时|工作日|提速")),
    ("数量", re.compile(r"计划|受理|办理|处理|办结|接听|转办|访问|点击|调用")),
    # Fewer problems raised (旅游诉求同比下降) is an outcome for people; handling more of them is output.
    ("社会效益", re.compile(r"诉求|投诉|举报|纠纷")),
    ("社会效益", re.compile(r"材料|跑动|跑腿|往返|环节")),
)
_RATE = re.compile(r"率|比例|比重|提速|效能|满意|好评|评价|评议")
_SHARE = re.compile(r"占(?:比|[^，,。；;\d]{0,12})?\s?(?:为|达|是)?\s?$")
_SATISFIED_AFTER = re.compile(r"^[^，,。；;\d]{0,16}?(?:表示|感到)(?:非常|比较|基本)?满意")

# Indicator tables (绩效自评表) read as text: the cells of a row joined by "|" (产出指标 | 数量指标 | 学生受资助人数 |
# ≧ | 735 | 人次 | 735 | 10 | 10 |) or by spaces (质量指标 保障贫困孤儿完成学业 100% 100%). The second-level
# indicator (数量指标 … 满意度指标, also 社会效益 指标 and 社会效益目标。 as a heading in prose) heads the rows after it.
_HEADING = re.compile(
    r"(?P<dim>数量|质量|时效|(?:经济|社会|生态环境)?成本|经济效益|社会效益|生态效益|可持续影响|满意度)\s?(?:效益\s?)?"
    r"(?:指标|目标(?=\s?[。：:|]))|(?:产出|效益)\s?指标")
# A heading written as a sentence or title of its own (6.可持续影响指标。…) heads the sentences after it.
_HEADING_ALONE = re.compile(r"\s?。")
# A numbered title naming an outcome alone ("(2)社会效益。…", "（三）生态效益：…") files the sentences after it
# under that outcome, as its heading in a table would.
_OUTCOME_TITLE = re.compile(r"(?:^|(?<=[\s。；;|]))(?:[（(][一二三四五六七八九十\d]{1,2}[）)]|\d{1,2}[.、．](?!\d)|"
                            r"[一二三四五六七八九十]{1,2}、)\s?(?P<dim>经济效益|社会效益|生态效益|可持续影响|满意度)\s?(?=[。：:])")
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


def _unit_starts() -> str:
    """Return the first characters of the Chinese units, and of 万/亿 and dates: a number before them is no cell."""
    return "".join(sorted({unit[0] for unit in UNITS if not unit.isascii()} | set("万亿年月日号度")))


# A value standing as a cell of its own: a number, and its percent or note, then a space and no unit or date.
_CELL_VALUE = re.compile(r"(?:^|\s)[≥≤≧≦<>=]?\s?\d[\d.,]*(?:\s?%|[^\s\d\W]{1,3})?(?:\([^()]{0,6}\))?"
                         r"(?=\s+(?:$|[^\s\d" + re.escape(_unit_starts()) + "]))")
# A cell that states a value (>=530元/人*月, 至少全年完成2次宣传) rather than names a row.
_VALUE_CELL = re.compile(r"^[≥≤≧≦<>=\d]|\d\s?[%" + re.escape(_unit_starts()) + "]")
#: How far a heading heads the rows or sentences after it (a group of rows under one heading is short).
_HEADING_REACH = 1000


def _headings(norm: str) -> list[tuple[int, int, str | None, bool, bool]]:
    """Return (start, end, dimension, heads what follows its sentence, an outcome's title) of the indicator
    headings in ``norm``, in order."""
    found = []
    if "指标" in norm or "目标" in norm:
        for match in _HEADING.finditer(norm):
            dim = match.group("dim")
            dimension = "成本" if dim and dim.endswith("成本") else dim
            found.append((match.start(), match.end(), dimension, bool(_HEADING_ALONE.match(norm, match.end())), False))
    if "效益" in norm or "满意度" in norm:
        found.extend((m.start(), m.end() + 1, m.group("dim"), True, True) for m in _OUTCOME_TITLE.finditer(norm))
        found.sort()
    return found


def _heading_at(headings: list[tuple[int, int, str | None, bool, bool]], norm: str,
                start: int) -> tuple[str | None, bool, bool, bool]:
    """Return (dimension, same row, in a row of cells, an outcome's title) of the heading that heads the number
    at ``start``.

    The heading heads the number when no sentence ends between them, or when it stands alone as a
    title (6.可持续影响指标。) not far before; a first-level heading (产出指标, 效益指标) names none.
    """
    index = bisect.bisect_right(headings, start, key=lambda heading: heading[1])
    if not index:
        return None, False, False, False
    last = headings[index - 1]
    if start - last[1] > _HEADING_REACH:
        return None, False, False, False
    between = norm[last[1]:start]
    # Its sentence: no sentence ends between. One row: without cells, no clause ends either (数量指标：培训≥1000人次
    # is prose, headed by 数量指标 only where no word says otherwise).
    sentence = not re.search(r"[。！？!?；;\n]", between)
    row = sentence and ("|" in between or not re.search(r"[，,、：:]", re.sub(r"[（(][^（()）]*[）)]", "", between)))
    if not sentence and not (last[3] and len(between) <= _LOOK_BACK and "\n" not in between):
        return None, False, False, False
    return last[2], row, row and "|" in between, last[4]


def _cells_before(norm: str, start: int) -> list[str] | None:
    """Return the cells of the row before the one the number at ``start`` stands in, nearest first, or None."""
    low = max(0, start - _LOOK_BACK, norm.rfind("\n", 0, start) + 1)
    window = norm[low:start]
    if "|" not in window or re.search(r"[。！？!?]", window[window.rfind("|"):]):
        return None
    return window.split("|")[-2::-1]


def _row_name(norm: str, start: int) -> str:
    """Return the name of the table row the number at ``start`` stands in (the nearest name cell before it)."""
    for cell in (_cells_before(norm, start) or [])[:8]:
        text = cell.strip()
        if not text or _HEADING_CELL.match(text) and _HEADING.search(text + "|"):
            # An empty cell parts two rows; a heading cell begins this one.
            return ""
        name = _NAME_DEBRIS.sub("", text)
        name = _NAME_DEBRIS.sub("", name).rpartition("：")[2].rpartition(":")[2].strip()
        if _NOT_NAME_CELL.match(name) or _VALUE_CELL.search(name) or name in UNITS or \
                len(re.findall(r"[\u4e00-\u9fff]", name)) < 2:
            continue
        return _balanced(name[-20:])
    return ""


def _next_cell(norm: str, end: int) -> str | None:
    """Return the text of the cell after the one the number ending at ``end`` stands in, or None."""
    rest = norm[end:end + 40]
    own = rest.find("|")
    if own < 0 or rest[:own].strip(" %") and not re.fullmatch(r"\s?[\u4e00-\u9fff]{1,2}\s?", rest[:own]):
        return None
    following = rest[own + 1:].split("|")
    return following[0] if len(following) > 1 else None


def _table_debris(clause: str) -> str:
    """Return ``clause`` without the cells of a table flattened with spaces before the name of its row.

    >>> _table_debris("≥95% 100% 资金执行率"), _table_debris("产出指标数量指标足额保障率")
    ('资金执行率', '足额保障率')
    """
    parts = _CELL_VALUE.split(clause) if " " in clause else [clause]
    if len(parts) > 1:
        named = len(re.findall(r"[\u4e00-\u9fff]", parts[-1]))
        # "新建村道 ≥12公里 12.6公里": right after another value, the name is that value's (see annotate).
        clause = "" if not named else parts[-1].lstrip() if named >= 2 else clause
    last = None
    for last in _HEADING.finditer(clause) if "指标" in clause or "目标" in clause else ():
        pass
    if last is not None and len(re.findall(r"[\u4e00-\u9fff]", clause[last.end():])) >= 2:
        clause = clause[last.end():]
    return clause


def annotate(quantities: list[Quantity], mapped: MappedText) -> list[Quantity]:
    """Set metric, role, direction and dimension on quantities extracted from ``mapped.original``."""
    norm = _prepare(mapped.text)
    headings = _headings(norm)
    previous: tuple[int, str] | None = None
    # (start, end, quantity, part of a list) of the numbers read so far.
    read: list[tuple[int, int, Quantity, bool]] = []
    # (start, end, quantity, headed by an indicator heading in its row) for pairing the cells of a row.
    rows: list[tuple[int, int, Quantity, bool]] = []
    for quantity in quantities:
        # Spans were mapped back to the original; find each quantity again in the normalised text.
        start = mapped.position(quantity.start)
        end = mapped.position(quantity.end - 1) + 1
        _role(quantity, norm, start, end)
        heading, in_row, in_cells, titled = _heading_at(headings, norm, start) if headings else (None, False, False, False)
        clause = _clause(norm, start)
        _table_role(quantity, norm, clause, start, end, in_row)
        quantity.metric = metric_of(norm, start, end, quantity)
        named = bool(quantity.metric.strip(" 的"))
        sentence_start = start - len(_sentence(norm, start))
        if _COLUMN_WORD.fullmatch(quantity.metric):
            # "指标1:资助困难学生人数,年度指标值:≥300人": a role word names the column, the clause before the measure.
            quantity.metric = "" if previous is not None and previous[0] >= sentence_start else \
                _name_before(norm, start - len(clause), sentence_start)
        if not quantity.metric and previous is not None and previous[0] >= sentence_start \
                and "|" not in norm[previous[0]:start]:
            # "目标值≥90%，实际完成98.62%": the second number measures the same thing.
            quantity.metric = previous[1]
        elif re.fullmatch(r"[长宽高深厚]度?", quantity.metric) and previous is not None and \
                previous[0] >= sentence_start and not re.search(r"[长宽高深厚]度?$", previous[1]):
            # "堤防工程 1 段，长 0.23km": the length of what was counted before.
            quantity.metric = previous[1] + quantity.metric
        if quantity.metric:
            previous = (start, quantity.metric)
        period = start - len(_after_last(norm, start, "。！？!?\n"))
        # The numbers read so far in this sentence (they are read in order: only the last ones are looked at).
        first = len(read)
        while first and read[first - 1][0] >= period:
            first -= 1
        earlier = read[first:]
        # The cue words are read in the value's own clause: not in the cells of the rows before it.
        dimension = _cued_dimension(quantity, _COLUMN_WORD.sub("", _table_debris(clause)), norm[end:end + 24])
        listing = False
        last = earlier[-1] if earlier else None
        if last and quantity.kind == "percent" and quantity.role == "actual" and _SHARE.search(clause):
            # "投诉类3539件，占4.96%": a share has the dimension of the part it is a share of.
            dimension, listing = last[2].dimension, last[3]
        elif last and quantity.kind == "percent" and quantity.role == last[2].role == "change" and \
                not named and start - last[1] < 12:
            # "比上年减少0.28万元，下降8%": the same change again, as a percent.
            dimension = last[2].dimension
        elif dimension is None and last and quantity.role == "baseline" and last[2].kind == quantity.kind:
            # "满意率84%，高于改革前的55%": what it is compared against measures the same thing.
            dimension = last[2].dimension
        elif dimension is None:
            same = [r for r in earlier if r[2].kind == quantity.kind]
            if same and ("其中" in norm[same[-1][1]:start] or same[-1][3]):
                # "评价总量24793条，其中移动服务端6358条…": the parts of a total measure what it measures.
                dimension, listing = same[-1][2].dimension, True
        quantity.dimension = _headed_dimension(dimension, heading, in_cells, in_row or titled, quantity.kind) or "数量"
        if last and _bound_then_actual(last[2], quantity, norm[last[1]:start]):
            last[2].role = "target"
        read.append((start, end, quantity, listing))
        rows.append((start, end, quantity, in_row))
    _pair_cells(rows, norm)
    return quantities


#: Headings of outcomes and of time: a rate under them (就业率 under 社会效益指标) measures that.
_OUTCOMES = ("时效", "经济效益", "社会效益", "生态效益", "可持续影响", "满意度")


def _headed_dimension(cued: str | None, heading: str | None, in_cells: bool, in_row: bool,
                      kind: str = "") -> str | None:
    """Return the dimension of a value from its cue words and the indicator heading over it.

    In a row of cells the heading cell decides (| 社会效益 指标 | 政策知晓率 | 100 | % |); in a row
    flattened with spaces, where a heading may run on from the row before, it decides for outcomes and
    time, and otherwise only when no word cues one; in prose it is the fallback. Some words leave no
    doubt whatever heading a table files them under: what people say of a service is satisfaction, a
    funds rate is cost (结余率 under 经济效益指标); an amount is cost unless an outcome heads it (带动农户增收
    ≥2000元/户 under 经济效益指标).

    >>> _headed_dimension("质量", "社会效益", False, True), _headed_dimension("质量", "数量", False, True)
    ('社会效益', '质量')
    """
    if heading is None or cued == "满意度" or cued == "成本" and (kind != "money" or heading not in _OUTCOMES):
        return cued or heading
    if in_cells or in_row and heading in _OUTCOMES:
        return heading
    return cued or heading


def _table_role(quantity: Quantity, norm: str, clause: str, start: int, end: int, in_row: bool) -> None:
    """Read the role and bound of a value in an indicator table row (see ``_HEADING``)."""
    bound = _BOUND_WORDS.search(clause)
    if bound and quantity.comparator == "=" and not re.search(r"\d", clause[bound.end():]) \
            and len(clause) - bound.end() <= 8:
        # "至少全年完成2次宣传": at least 2.
        quantity.comparator = ">=" if bound.group("ge") else "<="
    if quantity.role != "actual":
        return
    if "|" in norm[max(0, start - _LOOK_BACK):start]:
        column = _HEADER_ROLE.search(_header(norm, start))
        if column:
            # A value in the 年度指标值 column is a target; in the 实际完成值 column, an actual.
            quantity.role = "target" if column.group("target") else "actual"
            return
    if in_row and (norm[start:start + 1] in _SYMBOL_BOUND or bound):
        # "科目调整次数≤10次 22.5", "=100%": a bound in an indicator row is the indicator's target.
        quantity.role = "target"
        return
    following = _next_cell(norm, end)
    if following is not None and _DONE_CELL.match(following):
        # "| 成本 | 10万元 | 已完成100% |"
        quantity.role = "target"


def _pair_cells(rows: list[tuple[int, int, Quantity, bool]], norm: str) -> None:
    """Mark the first of two values side by side in one table row as the target, the second as the actual.

    Indicator tables give the year's target before what was achieved (≧20000亩 | 20000亩, 100% 100%); two
    values of one measure side by side are such a pair when the first is a bound, an indicator heading
    heads the row, or a weight or score follows them. Budget tables (全年预算数 | 全年执行数) give two
    actual values and none of these.
    """
    paired = False
    for (a_start, a_end, a, a_row), (b_start, b_end, b, _) in zip(rows, rows[1:]):
        if paired:
            paired = False
            continue
        if a.role == b.role == "actual" and a.kind == b.kind and a.base_unit == b.base_unit and \
                (a_row or a.comparator in (">=", "<=", ">", "<") or _SCORE_AFTER.match(norm, b_end)) and \
                _ROW_GAP.match(norm[a_end:b_start]) and not AMOUNT_HEADER.search(_header(norm, a_start)):
            a.role, paired = "target", True


#: Words after a bound that give what was achieved: the bound before them was the target.
_ACHIEVED = re.compile(r"实际(?:完成|达到|值|为)?|完成值|完成情况|已完成|达到了|实现了")


def _bound_then_actual(bound: Quantity, actual: Quantity, between: str) -> bool:
    """Return whether ``bound`` is a target: a bound (≥90%) then, in the same sentence, what was achieved.

    >>> from decimal import Decimal
    >>> b = Quantity("≥90%", 0, 4, Decimal(90), Decimal(1), "%", "%", "percent", comparator=">=", role="actual")
    >>> a = Quantity("96%", 10, 13, Decimal(96), Decimal(1), "%", "%", "percent", role="actual")
    >>> _bound_then_actual(b, a, "，实际完成")
    True
    """
    return (bound.role == "actual" == actual.role and bound.comparator in (">=", "<=", ">", "<")
            and actual.comparator in ("=", "~", ">", ">=") and bound.kind == actual.kind
            and bound.base_unit == actual.base_unit and len(between) <= 24
            and not re.search(r"[。！？!?\n；;]", between) and _ACHIEVED.search(between) is not None)


#: How far back a clause or sentence is looked for; bounds the work per number.
_LOOK_BACK = 200


class _Prepared(str):
    """The normalised text, with its qualifier-masked twin (same length) for finding clause breaks."""

    masked: str


def _prepare(norm: str) -> _Prepared:
    text = _Prepared(norm)
    text.masked = _mask_qualifiers(norm)
    return text


def _masked(norm: str, low: int, high: int) -> str:
    """Return ``norm[low:high]`` with short bracketed qualifiers blanked out."""
    return norm.masked[low:high] if isinstance(norm, _Prepared) else _mask_qualifiers(norm[low:high])


def _after_last(norm: str, start: int, delimiters: str) -> str:
    low = max(0, start - _LOOK_BACK)
    window = norm[low:start]
    masked = _masked(norm, low, start)
    return window[max(masked.rfind(d) for d in delimiters) + 1:]


def _mask_qualifiers(text: str) -> str:
    """Return ``text`` with short bracketed qualifiers blanked out (same length), so brackets there are not breaks.

    >>> _mask_qualifiers("建成村（社区）便民服务站，（一）完成")
    '建成村____便民服务站，（一）完成'
    """
    if "(" not in text and "（" not in text:
        return text
    return _QUALIFIER.sub(lambda m: "_" * len(m.group()), text)


def _clause(norm: str, start: int) -> str:
    return _after_last(norm, start, _CLAUSE_END)


def _sentence(norm: str, start: int) -> str:
    return _after_last(norm, start, _SENTENCE_END)


def _role(quantity: Quantity, norm: str, start: int, end: int) -> None:
    clause = _clause(norm, start)
    change = _CHANGE.search(clause) or _ADJUST.search(clause)
    gap = None if change else _GAP.search(clause)
    if change or gap:
        quantity.role = "change"
        verb = (change or gap).group("verb")  # type: ignore[union-attr]
        quantity.direction = "up" if verb.startswith(_UP) or verb in ("追加", "调增", "核增") else "down"
        if quantity.value < 0:
            # 同比增长-3.2% is a fall: the sign turns the verb round (the value keeps its sign).
            quantity.direction = "down" if quantity.direction == "up" else "up"
        if change:
            quantity.change_base = (change.group(1) or None) if change.re is _CHANGE else None
            if verb == "超计划":
                quantity.change_base = "计划"
        else:
            quantity.change_base = re.sub(r"[\d.,%]+\S*$", "", gap.group("base")).strip() or None  # type: ignore[union-attr]
        return
    after = norm[end:end + 10]
    if _BASELINE.search(clause) and _BASELINE_AFTER.match(after):
        quantity.role = "baseline"
        return
    if (_FROM.search(clause) or _BEFORE_STATE.match(clause)) and _FROM_TO.match(norm[end:end + 8]):
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
    sentence = _sentence(norm, start)
    # In a table row the words of other cells name other columns (see _table_role): only the value's own cell.
    for match in _EXPLICIT_ROLE.finditer(sentence[sentence.rfind("|") + 1:]):
        explicit = match
    if explicit is None:
        for match in _LIST_ROLE.finditer(_list_scope(norm, start)):
            explicit = match
    if explicit is not None:
        quantity.role = "target" if explicit.group("target") else "actual"
    elif _TARGET.search(clause) and not _DONE_AFTER_PLAN.search(clause) or _OUGHT.search(clause) or \
            _GOAL_AFTER.match(norm[end:end + 16]) or (
            _ACHIEVED_NEXT.match(norm[end:end + 8]) and not _FUNDS_CAME.search(clause)):
        quantity.role = "target"
    else:
        head = _PLAN_HEAD.search(sentence[:len(sentence) - len(clause)])
        planned = head is not None and not _DONE.search(sentence[head.end():]) and not _NEW_STATEMENT.match(clause)
        quantity.role = "target" if planned else "actual"


def _list_scope(norm: str, start: int) -> str:
    """Return the text whose list heading names the role of the number at ``start``: its sentence, and,
    while sentences open with an item number, the sentences before it up to the heading's (a table
    row's other cells name other columns: from the last cell on)."""
    paragraph = _after_last(norm, start, "\n")
    sentences = re.split(r"(?<=[。！？!?])", paragraph[paragraph.rfind("|") + 1:])
    scope = [sentences.pop()]
    while sentences and _LIST_ITEM.match(scope[0]):
        scope.insert(0, sentences.pop())
    return "".join(scope)


# "开展各类文化队伍培训", "收到中央下达…资金": what was done or received comes after 各类 and the verb (a list
# summed up by 等各类 stays).
_RECEIVED = re.compile(r"^(?:(?!等)[\u4e00-\u9fff]){0,4}?(?:各类|各项|各种)(?=[\u4e00-\u9fff]{2,})|"
                       r"^(?:共?收到|获得)(?=[\u4e00-\u9fff]{4,})")

# Words that name a column or the role of a value, not what it measures (年度指标值, 实际完成值).
_COLUMN_WORD = re.compile(r"(?:年度|全年)?(?:指标值|目标值|计划值|预期值|实际完成值?|完成值|实际值|实际完成情况|完成情况)")


def _name_before(norm: str, low: int, sentence_start: int) -> str:
    """Return the name stated in the clause before ``low`` in its sentence (指标1:资助困难学生人数,), or ''."""
    if low - 1 <= sentence_start:
        return ""
    before = _clause(norm, low - 1).replace(":", "：").rpartition("：")[2]
    name = _TRAIL.sub("", _LEAD.sub("", before))
    return name if len(re.findall(r"[\u4e00-\u9fff]", name)) >= 2 and not re.search(r"\d", name) else ""


#: What a cell says before a value that is not the value's name: the row's name is (| 已完成100% |,
#: | 至少全年完成2次宣传 |); a name with its verb (| 完成农民培训500人次 |) is one.
_CELL_NOT_NAME = re.compile(r"^\s?(?:已|实际|全部|均)?(?:完成|达到|实现)了?\s?$|至少|不少于|不低于|最多|不超过")


# An earlier value inside a phrase ("资金859.6万元2023年支出", "发放指标为100%实际完成值为"): the name begins after it.
_EARLIER_VALUE = re.compile(r"^.*\d(?:\s?(?:万|亿))?(?:元|%|个|人|次|项|户|件|名|家|所|条|处|亩|米|公里|吨|万|亿)"
                            r"(?:为|是|的)?(?=[\u4e00-\u9fff\d])")
# Who states it (我单位, 我院) and a column word left at the end (…发放指标为) are not the name.
_WHO = re.compile(r"^我(?:单位|局|院|校|中心|所|站|委|办|县|区|镇|乡|市|厅|部|处|科|队)")
_COLUMN_TAIL = re.compile(r"(?<=[\u4e00-\u9fff]{2})指标值?为$|(?<=[\u4e00-\u9fff]{2})指标值$")
_YEAR_HEAD = re.compile(r"^\s?\d{4}\s?年度?")


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
    if len(pieces) > 1 and any(re.search(r"\d|指标", piece) for piece in pieces[:-1]) and \
            len(re.findall(r"[\u4e00-\u9fff]", pieces[-1])) >= 2 and pieces[-1][:1] not in "万亿元%个人次项户件名":
        # "经济效 益指标 木材销售收入", "1093万元 6 5 林产品收入": cells of a row set with spaces; the last names it.
        phrase = pieces[-1]
    who = _WHO.match(phrase)
    tidy = _COLUMN_TAIL.sub("", _YEAR_HEAD.sub("", phrase[who.end():]) if who else phrase)
    return tidy if len(re.findall(r"[\u4e00-\u9fff]", tidy)) >= 2 else phrase


def metric_of(norm: str, start: int, end: int, quantity: Quantity) -> str:
    """Return the noun phrase the quantity measures; in a table row, the name of the row when its cell names none."""
    phrase = _tidy_metric(_phrase_metric(norm, start, end, quantity))
    if "|" not in norm[max(0, start - _LOOK_BACK):start]:
        return phrase
    clause = _clause(norm, start)
    if phrase and not _CELL_NOT_NAME.search(clause) and len(re.findall(r"[\u4e00-\u9fff]", phrase)) >= 2:
        return phrase
    row = _row_name(norm, start)
    header = _header(norm, start)
    if header and quantity.kind == "percent" and _RATE.search(header):
        # A rate column (预算执行率) names the measure itself.
        return header
    if header and quantity.kind == "money" and AMOUNT_HEADER.search(header):
        # | 年度资金总额 | 808.1 | under 全年预算数: the row's item as the column counts it.
        return f"{row} {header}" if row else header
    return row or phrase


def _header(norm: str, start: int) -> str:
    """Return the column header of the cell at ``start``, without its notes ((A), (B/A×100%)), or ''."""
    header = column_header(norm, start) or ""
    return re.sub(r"[（(][^（()）]*[）)]", "", header).strip(" ：:")


def _phrase_metric(norm: str, start: int, end: int, quantity: Quantity) -> str:
    """Return the noun phrase around the quantity that names what it measures."""
    clause = _clause(norm, start)
    if not clause.strip() and start > 0 and norm[start - 1] in "（(":
        # "支撑市交通运输局（12次）": the number in brackets counts what comes before them.
        clause = _clause(norm, start - 1)
    elif not clause.strip() and start > 0 and norm[start - 1] in "）)":
        # "结余率(计算方法为:结余数/预算数)≤5%": a note in brackets stands between the name and its value.
        opening = max(norm.rfind("(", 0, start - 1), norm.rfind("（", 0, start - 1))
        if opening > 0 and start - opening <= 40 and re.fullmatch(r"[（(][类款项][）)]", norm[opening:start]):
            # "住房改革支出（类）住房公积金（项）752.9万元": a budget item is named after its class and kind; a
            # list of names (公诉、审判、侦查、执行等检察监督支出（项）) is one name, after its list number.
            name = re.sub(r"^\s?\d{1,2}[.．、](?!\d)", "", _after_last(norm, opening, "，,。；;！？!?\n（(）)|"))
            name = _TRAIL.sub("", _LEAD.sub("", re.split(r"[（(][类款][）)]", name)[-1]))
            if 2 <= len(name) <= 30:
                return _balanced(name)
        if opening > 0 and start - opening <= 40:
            clause = _clause(norm, opening)
    clause = _table_debris(clause)
    head, colon, tail = clause.replace(":", "：").rpartition("：")
    if colon:
        # "申办办件量：51639宗" names the metric before the colon; "其中：出国费0万元" after it.
        clause = tail if _TRAIL.sub("", _LEAD.sub("", tail)) else head
        # "其中：因公出国（境）费决算数：0万元": the name sits between the two colons.
        clause = clause.rpartition("：")[2] or clause
    before = _TRAIL.sub("", _LEAD.sub("", clause))
    # "812个村（社区）便民服务站已完成790个": an earlier count is not part of the name.
    before = _COUNTED.sub("", before)
    # "市政数局年初预算总额": the organisation is who, not what.
    before = re.sub(r"^[\u4e00-\u9fff]{1,8}?(?:局|委员会|办公室)(?=[\u4e00-\u9fff]{2,})|"
                    r"^[\u4e00-\u9fff]{0,6}?(?:文化馆|图书馆|博物馆|纪念馆)(?=[\u4e00-\u9fff]{2,})", "", before)
    before = _RECEIVED.sub("", before)
    before = _CHANGE.sub("", before)
    before = re.sub(r"(比上年|较上年|同比|与上年决算数|上年决算数|与上年)$", "", before)
    before = _TRAIL.sub("", before)
    if _COMPARISON.match(before):
        before = ""
    # "可办率由85%提高到", "受理量由成立之初的1400多件增长到目前的": the metric ends where its starting value begins.
    before = re.sub(r"(?:目前|现在|当前)的?$", "", before)
    before = re.sub(r"(?<!理)(?:由|从)(?:[^\d，,。；;由从]{0,6}的?|平均|原来的?|原先的?)?(?:\s?[\d.,]+\S*?)?"
                    r"(?:增长|提高|提升|增加|上升|下降|降低|减少|压缩|缩短|降|升|增|减)?$", "", before)
    # "改革前审批时限…", "改革后下降至": the state named is when, not what.
    before = re.sub(r"^[^\d，,。；;]{0,8}?(?:改革|实施|优化|整合|改造|上线|建设)[前后](?:下降|降低|减少|缩短|提高|提升|增加)?$", "",
                    before)
    before = re.sub(r"^(?:改革|实施|优化|整合|改造|上线|建设)[前后]", "", before)
    # "综合满意率稳定在", "主动评价率较一季度": how the value stands or what it is compared with is not its name.
    before = re.sub(r"(?<=[\u4e00-\u9fff]{2})占$", "", before)
    before = re.sub(r"(?:稳定在|保持在?|维持在?|(?:较|比)(?:上|去|同|前|本|一|二|三|四)[^，,。；;\d]{0,6})$", "", before)
    before = re.sub(r"^(?:实现|按照|基于对?)(?=[\u4e00-\u9fff]{2})", "", before)
    after = ""
    if quantity.kind == "percent" and not before and re.match(r"\s?(?:以上|以下|左右)?的", norm[end:end + 4]):
        # "92.5%的省级行政许可事项实现网上受理": the phrase after 的 names what the percent counts.
        tail = norm[end:end + 24]
        tail = tail[tail.index("的") + 1:]
        stop = re.search(r"[，,。；;：:（(]", tail)
        return _balanced((tail[:stop.start()] if stop else tail)[:16])
    counted = quantity.kind in ("count", "other", "area", "length", "frequency") or not quantity.unit
    if counted and not _FROM_TO.match(norm[end:end + 8]):
        tail = norm[end:end + 16]
        stop = _AFTER_STOP.search(_masked(norm, end, end + 16))
        # Without a stop the phrase runs to the end of the text, or to ten characters at most.
        after = (tail[:stop.start()] if stop else tail if len(tail) < 16 else tail[:10]).strip().strip("“”\"")
        # "培训农民人数 ≥2000人次 2150人次 质量指标 …": a heading begins the next row, not the counted noun.
        after = _HEADING.split(after, maxsplit=1)[0].strip() if "指标" in after or "目标" in after else after
        after = re.sub(r"^的", "", after)
        after = after.replace("的", "")
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


def dimension_of(quantity: Quantity, clause: str, after: str = "") -> str:
    """Return the second-level indicator dimension of a quantity (数量 when nothing says otherwise).

    >>> from decimal import Decimal
    >>> q = Quantity("98.62%", 0, 6, Decimal("98.62"), Decimal(1), "%", "%", "percent", metric="接通率")
    >>> dimension_of(q, "话务接通率")
    '质量'
    """
    return _cued_dimension(quantity, clause, after) or "数量"


def _cued_dimension(quantity: Quantity, clause: str, after: str = "") -> str | None:
    """Return the dimension the words around a quantity name, or None when they name none."""
    text = f"{quantity.metric} {clause}"
    if quantity.kind == "duration":
        return "时效"
    if quantity.kind == "score":
        # 得分 and 满分 in an evaluation table say how well something was done.
        return "满意度" if "满意" in text else "质量"
    if quantity.kind == "percent" and quantity.role == "change" and not _RATE.search(quantity.metric):
        for dimension, cue in _CHANGE_DIMENSIONS:
            if cue.search(text):
                return dimension
        return "数量"
    if quantity.kind == "percent" and _SATISFIED_AFTER.match(after):
        # "84%的受访者表示满意"
        return "满意度"
    for kind, dimension, cue in _DIMENSION_RULES:
        if kind not in ("*", "*clause", quantity.kind):
            continue
        if cue.search(quantity.metric if kind == "*" else text):
            return dimension
    return None
