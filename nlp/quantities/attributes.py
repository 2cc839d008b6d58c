"""Say what each quantity measures: its metric, role, change direction and indicator dimension.

Rules read the clause around the number: the noun phrase before it (接通率
98.62%) or after its counter word (建成3个基础库), role words (目标值, 实际完成,
比上年增加, 上年决算数), and cue words of the Ministry of Finance dimensions
(财预〔2021〕101号): 数量/质量/时效/成本/经济效益/社会效益/生态效益/可持续影响/满意度.
The rules live by what they decide: :mod:`.roles`, :mod:`.metrics`, :mod:`.dimensions`;
this module reads every quantity of a text with them, in order.
"""

from __future__ import annotations

import re

from nlp.normalize import MappedText
from nlp.quantities.context import after_last, clause_before, prepare, sentence_before
from nlp.quantities.dimensions import LEVEL1, SHARE, cued_dimension, dimension_of, find_headings, headed_dimension, \
    heading_at
from nlp.quantities.metrics import COLUMN_WORD, metric_of, name_before, table_debris
from nlp.quantities.quantity import Quantity
from nlp.quantities.roles import bound_then_actual, grading_scales, pair_cells, read_role, read_table_role, \
    single_values

__all__ = ["LEVEL1", "annotate", "dimension_of", "metric_of"]


def annotate(quantities: list[Quantity], mapped: MappedText) -> list[Quantity]:
    """Set metric, role, direction and dimension on quantities extracted from ``mapped.original``."""
    norm = prepare(mapped.text)
    headings = find_headings(norm)
    previous: tuple[int, str] | None = None
    # The metric before a share (占…的48.92%, 完成预算…的100.8%) that the share's sentence goes on about.
    shared: tuple[int, str] | None = None
    # (start, end, quantity, part of a list) of the numbers read so far.
    read: list[tuple[int, int, Quantity, bool]] = []
    # (start, end, quantity, headed by an indicator heading in its row) for pairing the cells of a row.
    rows: list[tuple[int, int, Quantity, bool]] = []
    for quantity in quantities:
        # Spans were mapped back to the original; find each quantity again in the normalised text.
        start = mapped.position(quantity.start)
        end = mapped.position(quantity.end)  # the end of an expansion (㎞ → km) too
        read_role(quantity, norm, start, end)
        heading, in_row, in_cells, titled = heading_at(headings, norm, start) if headings else (None, False, False, False)
        clause = clause_before(norm, start)
        read_table_role(quantity, norm, clause, start, end, in_row)
        quantity.metric = metric_of(norm, start, end, quantity)
        named = bool(quantity.metric.strip(" 的"))
        sentence_start = start - len(sentence_before(norm, start))
        if COLUMN_WORD.fullmatch(quantity.metric) or not quantity.metric and COLUMN_WORD.search(clause):
            # "指标1:资助困难学生人数,年度指标值:≥300人": a role word names the column, the clause before the measure.
            quantity.metric = "" if previous is not None and previous[0] >= sentence_start else \
                name_before(norm, start - len(clause), sentence_start)
        if read and read[-1][0] >= sentence_start and quantity.metric:
            _after_last_value(quantity, norm[read[-1][0]:read[-1][1]], read[-1][2])
        if not quantity.metric and previous is not None and "|" not in norm[previous[0]:start] and (
                previous[0] >= sentence_start or start - previous[0] < 160 and "\n" not in norm[previous[0]:start]
                and _COMPARED.match(norm, sentence_start)):
            # "目标值≥90%，实际完成98.62%": the second number measures the same thing; so does a sentence
            # that goes on with a comparison ("…382.17万元。较2020年度决算数减少157.86万元").
            quantity.metric = previous[1]
            if shared is not None and quantity.role in ("change", "baseline") and quantity.unit != "个百分点":
                # "支出668.3万元，占本年支出的48.92%，比上年下降10.06%": the amount fell, not its share.
                quantity.metric = shared[1]
        elif quantity.kind == "percent" and re.fullmatch(r"占比?", quantity.metric) and previous is not None and \
                previous[0] >= sentence_start:
            # "财政拨款收入4495.76万元，占100.00%": the share of what came before.
            quantity.metric = previous[1] + "占比"
        elif re.fullmatch(r"[长宽高深厚]度?", quantity.metric) and previous is not None and \
                previous[0] >= sentence_start and not re.search(r"[长宽高深厚]度?$", previous[1]):
            # "堤防工程 1 段，长 0.23km": the length of what was counted before.
            quantity.metric = previous[1] + quantity.metric
        if quantity.metric:
            ratio = _BUDGET_RATIO.search(clause)
            if ratio and quantity.kind == "money":
                # "完成预算46508万元的100.8%": the amount is the budget (or plan) itself, the percent how much of it
                # was done.
                quantity.metric = re.sub(r"^(?:完成|占|为)(?=\S{2})", "", quantity.metric)
            elif ratio and quantity.kind == "percent":
                quantity.metric = re.sub(r"[\d.,]+\s?[万亿]?元|的?\s?$", "", ratio.group())
            if quantity.kind == "percent" and SHARE.search(clause) or ratio:
                # A share, or the budget and the share of it done (完成预算46508万元的100.8%): the sentence goes
                # on about what came before them.
                if shared is None and previous is not None and previous[0] >= sentence_start:
                    shared = previous
            elif named:
                shared = None
            previous = (start, quantity.metric)
        period = start - len(after_last(norm, start, "。！？!?\n"))
        # The numbers read so far in this sentence (they are read in order: only the last ones are looked at).
        first = len(read)
        while first and read[first - 1][0] >= period:
            first -= 1
        earlier = read[first:]
        # The cue words are read in the value's own clause: not in the cells of the rows before it.
        dimension = cued_dimension(quantity, COLUMN_WORD.sub("", table_debris(clause)), norm[end:end + 24])
        listing = False
        last = earlier[-1] if earlier else None
        if last and quantity.kind == "percent" and quantity.role == "actual" and SHARE.search(clause):
            # "投诉类3539件，占4.96%": a share has the dimension of the part it is a share of.
            dimension, listing = last[2].dimension, last[3]
        elif last and quantity.kind == "percent" and quantity.role == last[2].role == "change" and \
                not named and start - last[1] < 12:
            # "比上年减少0.28万元，下降8%": the same change again, as a percent.
            dimension = last[2].dimension
        elif dimension is None and last and quantity.kind == "percent" and quantity.role == "change" and \
                last[2].kind == "money" and start - last[1] < 16:
            # "完成一般公共预算收入250.9亿元，同口径下降8.9%": how much the amount changed.
            dimension = last[2].dimension
            if _CHANGE_QUALIFIER.fullmatch(quantity.metric):
                quantity.metric = last[2].metric
        elif dimension is None and last and quantity.role == "baseline" and last[2].kind == quantity.kind:
            # "满意率84%，高于改革前的55%": what it is compared against measures the same thing.
            dimension = last[2].dimension
        elif dimension is None:
            same = [r for r in earlier if r[2].kind == quantity.kind]
            if same and ("其中" in norm[same[-1][1]:start] or same[-1][3]):
                # "评价总量24793条，其中移动服务端6358条…": the parts of a total measure what it measures.
                dimension, listing = same[-1][2].dimension, True
        quantity.dimension = headed_dimension(dimension, heading, in_cells, in_row or titled, quantity.kind) or "数量"
        if last and bound_then_actual(last[2], quantity, norm[last[1]:start]):
            last[2].role = "target"
        read.append((start, end, quantity, listing))
        rows.append((start, end, quantity, in_row))
    pair_cells(rows, norm)
    single_values(rows, norm)
    grading_scales(rows, norm)
    return quantities


_COMPARED = re.compile(r"\s?(?:较|比|与|同比)")
# The budget a value is the done share of, and that share: "完成预算46508万元的100.8%", "占预算92390万元的108.1%".
_BUDGET_RATIO = re.compile(r"(?:完成|占|为)(?:年初|全年|年度|调整后?的?|年)?(?:预算|计划)(?:数)?(?:[\d.,]+\s?[万亿]?元)?的?\s?$")
# What a percent change says of the basis it is reckoned on (同口径, 直比, 剔除留抵退税后同口径), not what changed.
_CHANGE_QUALIFIER = re.compile(r"[^，,。；;]{0,10}?(?:同口径|直比|同比|环比)?(?:增幅|降幅|增长|下降|增收|减收)?")


def _after_last_value(quantity: Quantity, last_text: str, last: Quantity) -> None:
    """Keep of a metric only what follows the value before it ("发放指标为100%实际完成值为" measures what that
    value measured; "较2023年底资产原值13585.52万元增加" what was named before it)."""
    cut = quantity.metric.rfind(last_text)
    if cut < 0:
        return
    rest, before = (_JOINING.sub("", COLUMN_WORD.sub("", part).strip(" ，,的为：:"))
                    for part in (quantity.metric[cut + len(last_text):], quantity.metric[:cut]))
    quantity.metric = next((name for name in (rest, last.metric, before)
                            if len(re.findall(r"[\u4e00-\u9fff]", name)) >= 2), "")


# "…超9500类和数据超80亿条": a joining word, or the time of a base (较2023年底), is no part of a name.
_JOINING = re.compile(r"^(?:[和及与、]|(?:较|比)\s?(?:\d{4}\s?年(?:底|末|初)?|上年|去年)?)\s?")
