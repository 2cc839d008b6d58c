"""Say which indicator dimension a value measures, from its cue words and the headings over it.

The second-level indicators of the Ministry of Finance (财预〔2021〕101号): 数量/质量/时效/成本/经济效益/
社会效益/生态效益/可持续影响/满意度, named by cue words around the value or by an indicator heading
(数量指标, 社会效益 指标, (2)社会效益。) over its row or sentence.
"""

from __future__ import annotations

import bisect
import re

from nlp.quantities.context import LOOK_BACK
from nlp.quantities.quantity import Quantity

LEVEL1 = {"数量": "产出", "质量": "产出", "时效": "产出", "成本": "成本", "经济效益": "效益", "社会效益": "效益",
          "生态效益": "效益", "可持续影响": "效益", "满意度": "满意度"}
# A macro-economic measure (地区生产总值, 规上工业增加值, 固定资产投资, 社会消费品零售总额) is an economic result.
_MACRO = r"生产总值|GDP|工业增加值|固定资产投资|消费品零售|进出口总额|外贸"
# The revenues of a budget report (税收收入, 非税收入, 政府性基金) are the budget's, not an economic result.
_FISCAL = r"财政|预算|决算|税收收入|非税|政府性基金"
_DIMENSION_RULES: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    # (kind filter, dimension, cue pattern): "*" any kind, cue on the metric; "*clause" any kind, and a kind
    # name that kind only, cue on the metric and its clause.
    # Evaluations by those served (好差评 counts, 评议率, praise received) measure their satisfaction.
    # Money is spent or earned: an amount is never a satisfaction (绩效评价资金). The income in an
    # agency's own accounts (年度财政收支：全年实际收入…, 上年结转) is the budget's, not an economic result.
    # So are the revenues of a budget report (一般债券转贷收入, 税收返还和转移支付, 财政专户管理资金收入).
    ("money", "经济效益", re.compile(r"^(?!.*(?:预算|决算|拨款|经费|收支|结转|结余|实际收入|本年收入|收入合计|总收入|"
                                  r"财政|专户|债券|转贷|转移支付|税收返还|收入总计|税收收入|非税收入|政府性基金|单位收入|收入决算|收入预算|"
                                  r"(?:经营|事业|其他|上级补助|附属单位上缴)收入))(?=.*(?:交易额|营收|"
                                  r"收入(?!支出)|增收|产值|带动投资|融资|贷款|税收|销售额|营业额|生产总值|GDP|增加值|消费品零售|进出口))")),
    ("money", "成本", re.compile(r".")),
    # A count of indicators (23个数量指标, 2个服务对象满意度指标) is a count, whatever the indicators measure.
    ("count", "数量", re.compile(r"^\S*指标\s")),
    # Macro-economic measures are economic results; jobs created are social ones.
    ("*", "经济效益", re.compile(_MACRO)),
    ("*", "社会效益", re.compile(r"城镇就业|就业人数|新增就业|失业率")),
    ("*", "满意度", re.compile(r"满意|好评|投诉|(?<!好)差评|(?<!绩效)(?<!自)评价(?!器|指标|体系|结果|等级|等次|项目|单位|报告|得分)|"
                            r"评议|表扬|锦旗|感谢")),
    ("*", "生态效益", re.compile(r"减排|节能|碳|能耗|植树|绿化")),
    # A state of the environment measured (植被盖度63.58%, 鲜草产量4040.75千克/公顷); stations counted are output.
    ("percent", "生态效益", re.compile(r"植被|盖度|森林覆盖|水土流失|空气质量|优良天数|水质|污染|沙化|退化")),
    ("weight", "生态效益", re.compile(r"植被|鲜草|产草量|排放|污染")),
    ("*", "时效", re.compile(r"及时|时效|响应|时限|时长|时间|按时|按期|工作日|小时|分钟|耗时|提速|逾期|超时|超期")),
    ("percent", "时效", re.compile(r"当日|当天|即时")),
    # How much of a budget was spent or left (资金执行率, 预算执行率, 完成预算的100%, 结余率) measures cost;
    # so does a percent of a fund itself (| 年度资金总额 | … | 98% |).
    # Funds that arrived, were paid out or used (资金到位率, 预算资金拨款率, 补助资金发放率), and a share of spending
    # (基本支出占总支出的53.17%), measure cost too.
    ("percent", "成本", re.compile(r"执行率|结余率|完成预算|预算(?:完成|执行)|(?:支出|支付|资金)进度|"
                                 r"^\S*(?:资金|经费|预算|拨款)(?:总额|合计|小计)?\s|"
                                 r"(?:资金|经费|预算|补助|补贴)\S{0,6}(?:到位|使用|投入|拨付|拨款|发放|支付)(?:完成)?率|支出|"
                                 r"支付(?:完成)?率|(?:资金|补助|补贴)\S{0,4}完成率")),
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
    ("经济效益", re.compile(_MACRO)),
    ("成本", re.compile(r"费|经费|预算|支出|资金|资产|采购|" + _FISCAL)),
    ("经济效益", re.compile(r"收入|交易|产值|投资|外资|税收|销售|营业|成本")),
    ("时效", re.compile(r"时限|时间|时长|耗时|工作日|提速")),
    ("数量", re.compile(r"计划|受理|办理|处理|办结|接听|转办|访问|点击|调用")),
    # Fewer problems raised (旅游诉求同比下降) is an outcome for people; handling more of them is output.
    ("社会效益", re.compile(r"诉求|投诉|举报|纠纷")),
    ("社会效益", re.compile(r"材料|跑动|跑腿|往返|环节")),
)
RATE = re.compile(r"率|比例|比重|提速|效能|满意|好评|评价|评议")
SHARE = re.compile(r"占(?:比|[^，,。；;\d]{0,12})?\s?(?:为|达|是)?\s?$")
_SATISFIED_AFTER = re.compile(r"^[^，,。；;\d]{0,16}?(?:表示|感到)(?:非常|比较|基本)?满意")
# Indicator tables (绩效自评表) read as text: the cells of a row joined by "|" (产出指标 | 数量指标 | 学生受资助人数 |
# ≧ | 735 | 人次 | 735 | 10 | 10 |) or by spaces (质量指标 保障贫困孤儿完成学业 100% 100%). The second-level
# indicator (数量指标 … 满意度指标, also 社会效益 指标 and 社会效益目标。 as a heading in prose) heads the rows after it.
HEADING = re.compile(
    r"(?P<dim>数量|质量|时效|(?:经济|社会|生态环境)?成本|经济效益|社会效益|生态效益|可持续影响|满意度)\s?(?:效益\s?)?"
    r"(?:指标|目标(?=\s?[。：:|]))|(?:产出|效益)\s?指标")
# A heading written as a sentence or title of its own (6.可持续影响指标。…) heads the sentences after it.
_HEADING_ALONE = re.compile(r"\s?。")
# A numbered title naming an outcome alone ("(2)社会效益。…", "（三）生态效益：…") files the sentences after it
# under that outcome, as its heading in a table would.
_OUTCOME_TITLE = re.compile(r"(?:^|(?<=[\s。；;|]))(?:[（(][一二三四五六七八九十\d]{1,2}[）)]|\d{1,2}[.、．](?!\d)|"
                            r"[一二三四五六七八九十]{1,2}、)\s?(?P<dim>经济效益|社会效益|生态效益|可持续影响|满意度)\s?(?=[。：:])")
#: How far a heading heads the rows or sentences after it (a group of rows under one heading is short).
_HEADING_REACH = 1000


_COUNTED_HEADING = re.compile(r"(?:\d|[一二三四五六七八九十两])\s?个$")


def find_headings(norm: str) -> list[tuple[int, int, str | None, bool, bool]]:
    """Return (start, end, dimension, heads what follows its sentence, an outcome's title) of the indicator
    headings in ``norm``, in order."""
    found = []
    if "指标" in norm or "目标" in norm:
        for match in HEADING.finditer(norm):
            if _COUNTED_HEADING.search(norm, max(0, match.start() - 6), match.start()):
                continue  # "包括23个数量指标": indicators counted, not a heading over what follows
            dim = match.group("dim")
            dimension = "成本" if dim and dim.endswith("成本") else dim
            found.append((match.start(), match.end(), dimension, bool(_HEADING_ALONE.match(norm, match.end())), False))
    if "效益" in norm or "满意度" in norm:
        found.extend((m.start(), m.end() + 1, m.group("dim"), True, True) for m in _OUTCOME_TITLE.finditer(norm))
        found.sort()
    return found


def heading_at(headings: list[tuple[int, int, str | None, bool, bool]], norm: str,
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
    # "数量指标 指标1:新建道路 524m 524m": the number of the indicator before its name does not part the row.
    row = sentence and ("|" in between or not re.search(r"[，,、：:]", re.sub(r"[（(][^（()）]*[）)]|指标\d{1,2}[:：]", "", between)))
    if not sentence and not (last[3] and len(between) <= LOOK_BACK and "\n" not in between):
        return None, False, False, False
    return last[2], row, row and "|" in between, last[4]


#: Headings of outcomes and of time: a rate under them (就业率 under 社会效益指标) measures that.
_OUTCOMES = ("时效", "经济效益", "社会效益", "生态效益", "可持续影响", "满意度")


def headed_dimension(cued: str | None, heading: str | None, in_cells: bool, in_row: bool,
                      kind: str = "") -> str | None:
    """Return the dimension of a value from its cue words and the indicator heading over it.

    In a row of cells the heading cell decides (| 社会效益 指标 | 政策知晓率 | 100 | % |); in a row
    flattened with spaces, where a heading may run on from the row before, it decides for outcomes and
    time, and otherwise only when no word cues one; in prose it is the fallback. Some words leave no
    doubt whatever heading a table files them under: what people say of a service is satisfaction, a
    funds rate is cost (结余率 under 经济效益指标); an amount is cost unless an outcome heads it (带动农户增收
    ≥2000元/户 under 经济效益指标).

    >>> headed_dimension("质量", "社会效益", False, True), headed_dimension("质量", "数量", False, True)
    ('社会效益', '质量')
    """
    if heading is None or cued == "满意度" or cued == "成本" and (kind != "money" or heading not in _OUTCOMES):
        return cued or heading
    if in_cells or in_row and heading in _OUTCOMES or kind == "money" and heading in _OUTCOMES:
        # (经济效益：节约出行成本110.37万元: money under an outcome is that outcome, in prose too.)
        return heading
    return cued or heading


def dimension_of(quantity: Quantity, clause: str, after: str = "") -> str:
    """Return the second-level indicator dimension of a quantity (数量 when nothing says otherwise).

    >>> from decimal import Decimal
    >>> q = Quantity("98.62%", 0, 6, Decimal("98.62"), Decimal(1), "%", "%", "percent", metric="接通率")
    >>> dimension_of(q, "话务接通率")
    '质量'
    """
    return cued_dimension(quantity, clause, after) or "数量"


def cued_dimension(quantity: Quantity, clause: str, after: str = "") -> str | None:
    """Return the dimension the words around a quantity name, or None when they name none."""
    text = f"{quantity.metric} {clause}"
    if quantity.kind == "duration":
        return "时效"
    if quantity.kind == "score":
        # 得分 and 满分 in an evaluation table say how well something was done.
        return "满意度" if "满意" in text else "质量"
    if quantity.kind == "percent" and quantity.role == "change" and not RATE.search(quantity.metric):
        for dimension, cue in _CHANGE_DIMENSIONS:
            if cue.search(text):
                return dimension
        return None  # a change of what came before it, or a quantity of output
    if quantity.kind == "percent" and _SATISFIED_AFTER.match(after):
        # "84%的受访者表示满意"
        return "满意度"
    for kind, dimension, cue in _DIMENSION_RULES:
        if kind not in ("*", "*clause", quantity.kind):
            continue
        if cue.search(quantity.metric if kind == "*" else text):
            return dimension
    return None
