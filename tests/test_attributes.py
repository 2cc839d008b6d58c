"""Roles, metrics and indicator dimensions of quantities in sentences written for these tests."""

from __future__ import annotations

import pytest

from nlp.quantities import extract_quantities


def _roles(text: str) -> list[str]:
    return [q.role for q in extract_quantities(text)]


@pytest.mark.parametrize(("text", "roles"), [
    pytest.param("年度工作目标：举办培训班12期；走访企业300家；", ["target", "target"], id="target-list-heading"),
    pytest.param("预期达到以下目标:一、巡检覆盖率达到95%;二、故障修复40次。", ["target", "target"], id="following-targets"),
    pytest.param("二、年度绩效目标情况：1.维护社区服务站点42个。2.为15个书屋更新图书800册。3.开展送戏下乡9场。",
                 ["target"] * 4, id="numbered-targets-across-sentences"),
    pytest.param("年度绩效目标：维护站点42个。全年实际维护站点45个。", ["target", "actual"], id="a-plain-sentence-ends-the-list"),
    pytest.param("项目建设内容：修建拦水坝2座；硬化机耕道1.6公里。", ["target", "target"], id="works-to-build"),
    pytest.param("年度目标：新建站点8个。完成情况：新建站点9个。", ["target", "actual"], id="targets-then-results"),
    pytest.param("建成站点9个，较年度目标多1个", ["actual", "change"], id="gap-to-target-more"),
    pytest.param("建成站点7个，较目标少1个", ["actual", "change"], id="gap-to-target-less"),
    pytest.param("接通率比一季度的96.5%高出1.2个百分点", ["baseline", "change"], id="above-a-base"),
    pytest.param("省财政厅追减我县2023年农村公路养护资金56.8万元。", ["change"], id="budget-cut-after-its-item"),
    pytest.param("满意率为93%，高于去年的88%", ["actual", "baseline"], id="higher-than-last-year"),
    pytest.param("平均等候时间由建厅之初的40分钟缩短到现在的12分钟", ["baseline", "actual"], id="from-a-moment"),
    pytest.param("上门次数由平均3次降至1次", ["baseline", "actual"], id="from-average"),
    pytest.param("整合前办理时限20个工作日，整合后压缩至5个工作日", ["baseline", "actual"], id="before-and-after"),
    pytest.param("绩效目标设定本项目满分5分，得4分", ["target", "actual"], id="full-mark-and-score"),
    pytest.param("有4个单位按期办结率低于考核标准95%", ["actual", "target"], id="a-standard-is-a-target"),
    pytest.param("评估满分100分，其中优秀级为90分", ["target", "actual"], id="full-mark-only-in-its-clause"),
])
def test_roles_in_context(text, roles):
    assert _roles(text) == roles


def test_a_gap_to_the_target_names_its_base():
    gap = extract_quantities("建成站点7个，较目标少1个")[-1]
    assert (gap.direction, gap.change_base) == ("down", "较目标")


@pytest.mark.parametrize("text", ["平均等候时间由建厅之初的40分钟缩短到现在的12分钟", "上门次数由平均3次降至1次",
                                  "整合前办理时限20个工作日，整合后压缩至5个工作日"])
def test_from_and_to_share_the_metric(text):
    first, second = extract_quantities(text)
    assert first.metric == second.metric and first.metric
    assert not any(word in first.metric for word in ("由", "之初", "整合", "降", "缩短"))


@pytest.mark.parametrize(("text", "dimension"), [
    pytest.param("门户网站访问量达512万次，同比增长18.6%", "数量", id="volume-change-is-quantity"),
    pytest.param("共办理申请事项3200件，比上月增加12.5%", "数量", id="handled-change-is-quantity"),
    pytest.param("群众投诉诉求同比下降21.3%", "社会效益", id="fewer-complaints-is-outcome"),
    pytest.param("审批时限平均压缩62.5%", "时效", id="time-limit-change"),
    pytest.param("实际办理提速81.2%", "时效", id="speed-up"),
    pytest.param("按期办结率比上月提高0.8个百分点", "时效", id="rate-change-keeps-rate-dimension"),
    pytest.param("绩效自评项目决策得分18分", "质量", id="score"),
    pytest.param("服务对象满意度测评得分96分", "满意度", id="satisfaction-score"),
    pytest.param("全年收到办事群众评价15320条", "满意度", id="evaluation-count"),
    pytest.param("在各乡镇大厅安装好差评评价器42台", "数量", id="evaluation-devices"),
    pytest.param("窗口收到群众表扬信36件", "满意度", id="praise"),
    pytest.param("受理群众来电诉求8600件", "数量", id="handled-requests"),
    pytest.param("帮助群众解决实际困难260件", "社会效益", id="solved-for-people"),
    pytest.param("转办工单当日99.6%转办", "时效", id="same-day"),
    pytest.param("87%的受访企业表示满意", "满意度", id="satisfied-after"),
    pytest.param("事项纳入标准化平台管理共3100个", "数量", id="standardised-platform-is-a-name"),
    pytest.param("制定数据共享管理办法4项", "可持续影响", id="rules-made"),
    pytest.param("本月工单逾期回复12件", "时效", id="overdue"),
    pytest.param("超时办理3件", "时效", id="over-time"),
    pytest.param("梳理比对国家标准120余项", "数量", id="standards-studied"),
    pytest.param("建立健全长效机制3项", "可持续影响", id="mechanism"),
    pytest.param("（3）生态效益。项目区治理后年减少泥沙流失1.2万吨", "生态效益", id="outcome-title-over-prose"),
    pytest.param("年度目标下设9个指标，包括5个数量指标、1个时效指标", "数量", id="counted-indicators"),
    pytest.param("专项资金支付完成率96.4%", "成本", id="payment-rate"),
    pytest.param("二、社会效益：新增就业岗位45个", "社会效益", id="outcome-title-with-colon"),
    pytest.param("（1）经济效益。合作社年利润为3.5万元", "经济效益", id="money-under-an-economic-title"),
    pytest.param("上级补助资金到位率100%", "成本", id="funds-arrived"),
    pytest.param("基本支出占总支出的61.2%", "成本", id="share-of-spending"),
    pytest.param("完成村道硬化18公里，工程进度为65%", "时效", id="progress-of-works"),
    pytest.param("本年收入合计980万元，其中财政拨款收入960万元，经营收入20万元", "成本", id="agency-income-category"),
])
def test_dimensions(text, dimension):
    assert extract_quantities(text)[-1].dimension == dimension


def test_shares_and_parts_follow_their_total():
    found = extract_quantities("全年收到评价总量5200条，其中网上评价3100条，占比59.6%；现场评价2100条，占比40.4%。")
    assert [q.dimension for q in found] == ["满意度"] * 5
    found = extract_quantities("受理来电9000件，其中咨询类6000件，占66.7%。")
    assert [q.dimension for q in found] == ["数量"] * 3


def test_a_percent_restating_a_money_change_is_cost():
    found = extract_quantities("印刷费2.1万元，比上年减少0.3万元，下降12.5%。")
    assert [q.dimension for q in found] == ["成本"] * 3


@pytest.mark.parametrize(("text", "metric"), [
    pytest.param("区级政务服务中心共进驻28个审批部门", "进驻审批部门", id="who-before-gong"),
    pytest.param("该单位现有在职人员14人", "在职人员", id="who-before-xianyou"),
    pytest.param("热线平台累计受理群众来电诉求8.3万件", "受理群众来电诉求", id="who-before-leiji"),
    pytest.param("综合满意率稳定在98%以上", "综合满意率", id="how-it-stands"),
    pytest.param("实现网上办理率96%", "网上办理率", id="leading-verb"),
    pytest.param("主动评价率较一季度增长150%", "主动评价率", id="compared-with-a-quarter"),
    pytest.param("收到评价1200条，其中非常满意占97.5%", "非常满意", id="share-word-after"),
    pytest.param("依法公开的等级分别是优秀级（90分以上）", "优秀级", id="respectively-is"),
    pytest.param("该公众号今年新增关注人数2300余人", "新增关注人数", id="this-year-mid-phrase"),
    pytest.param("全省88.6%的县级政务事项实现全程网办，较上年提高", "县级政务事项实现全程网办", id="percent-of-what-follows"),
    pytest.param("我院2023年总支出3260万元", "总支出", id="speaker-and-year"),
    pytest.param("年度目标下设12个三级指标，包括8个数量指标", "数量指标", id="a-count-of-headings"),
    pytest.param("结余资金12.5万元2024年支出86万元", "支出", id="after-an-earlier-value"),
])
def test_metric_names(text, metric):
    assert extract_quantities(text)[-1].metric == metric


def test_a_counted_noun_ends_before_a_new_predicate():
    first, _ = extract_quantities("县大厅和12个乡镇便民服务大厅共计安装评价器80台")
    assert first.metric == "乡镇便民服务大厅"


def test_a_counted_noun_ends_before_a_comparison():
    first = extract_quantities("共有6个单位回复率低于考核标准90%")[0]
    assert first.metric.startswith("单位") and "低于" not in first.metric and first.dimension == "数量"


def test_a_bare_verb_keeps_its_subject():
    assert extract_quantities("政务外网防火墙共拦截超500万次")[-1].metric.startswith("政务外网防火墙")


def test_a_long_phrase_is_cut_at_a_word_start():
    [q] = extract_quantities("依托全市统一建设运行的数据共享交换平台日均调用数据接口服务量达到120万次")
    assert q.metric and len(q.metric) <= 16
    assert q.metric.startswith(("交换", "平台", "日均", "调用", "数据", "接口")), q.metric


@pytest.mark.parametrize("before", ["本单位2019年一般公共预算财政拨款支出决算数", "文件2019年一般公共预算财政拨款支出"])
def test_a_cut_never_leaves_part_of_a_year(before):
    from nlp.quantities.metrics import _last_words

    assert _last_words(before, 16).startswith("一般公共预算")


def test_a_cut_word_is_taken_whole_or_left_out():
    from nlp.quantities.metrics import _last_words

    assert _last_words("政务外网防火墙成功拦截", 6, whole=True) == "防火墙成功拦截"
    assert not _last_words("依托全市统一建设运行的数据共享交换平台日均调用", 16).startswith("台")


@pytest.mark.parametrize(("text", "roles"), [
    pytest.param("家长满意度≥90%，实际完成96%", ["target", "actual"], id="bound-then-achieved"),
    pytest.param("服务次数不少于3次，实际完成5次", ["target", "actual"], id="at-least-then-achieved"),
    pytest.param("故障率≤5%，实际为3%。", ["target", "actual"], id="at-most-then-actual"),
    # A bound written as a sign is a target on its own (reports state results as values).
    pytest.param("满意度≥90%，群众满意度96%", ["target", "actual"], id="no-achievement-word"),
    pytest.param("覆盖率≥90%。实际完成96%", ["target", "actual"], id="another-sentence"),
    pytest.param("覆盖率不低于90%。实际完成96%", ["actual", "actual"], id="bound-in-words-another-sentence"),
])
def test_a_bound_followed_by_what_was_achieved_is_the_target(text, roles):
    assert [q.role for q in extract_quantities(text)] == roles


# Indicator and budget tables read as text: cells joined by "|" (rows parted by empty cells) or by spaces.
def _read(text: str) -> list[tuple[str, str, str, str, str]]:
    return [(q.surface, q.role, q.dimension or "", q.metric, q.comparator) for q in extract_quantities(text)]


def test_a_row_of_cells_gives_target_then_actual_with_the_row_name():
    found = _read("| 产出指标 | 数量指标 | ★新建机耕道（≥**公里） | ≥6公里 | 6.4公里 | 15 | 15 | "
                  "| 质量指标 | 2、工程验收合格率 | 100% | 100% | 10 | 10 |")
    assert found == [("≥6公里", "target", "数量", "新建机耕道", ">="), ("6.4公里", "actual", "数量", "新建机耕道", "="),
                     ("100%", "target", "质量", "工程验收合格率", "="),
                     ("100%", "actual", "质量", "工程验收合格率", "=")]


def test_the_heading_cell_of_a_row_decides_its_dimension():
    found = _read("| 效益指标 | 社会效益指标 | 惠民政策群众知晓率 | ≥85% | 91% | 10 | 10 | "
                  "| 时效指标 | 补贴兑付及时率 | 100% | 100% | 10 | 10 |")
    assert [d for _, _, d, _, _ in found] == ["社会效益", "社会效益", "时效", "时效"]


def test_a_unit_and_a_comparator_in_cells_of_their_own():
    found = extract_quantities("| 数量指标 | 参训农民 | ≥ | 300 | 人次 | 316 | 10 | 10 | | 满意度指标 | 参训农民满意度 | ≥ | 90 | % | 96% | 10 | 9 |")
    assert [(q.surface, q.unit, q.comparator, q.role, q.metric, q.dimension) for q in found] == [
        ("300", "人次", ">=", "target", "参训农民", "数量"), ("316", "人次", "=", "actual", "参训农民", "数量"),
        ("90", "%", ">=", "target", "参训农民满意度", "满意度"), ("96%", "%", "=", "actual", "参训农民满意度", "满意度")]
    # The scores after the actual (| 10 | 10 |) have no unit: not quantities.
    assert len(found) == 4


def test_a_label_that_states_its_unit_in_brackets_gives_it_to_bare_values():
    found = extract_quantities("2、时效指标 1)项目完成及时率(%),目标值90,完成值100,分值8,得分8。")
    assert [(q.surface, q.unit, q.role, q.metric, q.dimension) for q in found] == [
        ("90", "%", "target", "项目完成及时率", "时效"), ("100", "%", "actual", "项目完成及时率", "时效")]
    found = extract_quantities("预算金额（万元）：120")
    assert [(str(q.normalized), q.unit, q.metric) for q in found] == [("1200000", "元", "预算金额")]
    found = extract_quantities("资金执行率（%）：目标值≥90，实际值96.35")
    assert [(q.surface, q.unit, q.comparator, q.role) for q in found] == [
        ("≥90", "%", ">=", "target"), ("96.35", "%", "=", "actual")]
    found = extract_quantities("单位：万元 | 全年预算数：460.5 | 全年执行数：452.3")
    assert [str(q.normalized) for q in found] == ["4605000", "4523000"]
    assert [(str(q.normalized), q.unit) for q in extract_quantities("项目覆盖人口（万人）：45.3")] == [("453000", "人")]
    found = extract_quantities("单位：万元 | 其他收入 | 预算 5.00 | 决算 1.80 | 差额 −3.20")
    assert [str(q.normalized) for q in found] == ["50000", "18000", "-32000"]
    assert extract_quantities("单位：万元 预算 2023") == []  # a year, perhaps
    # Without a colon or a value word the numbers may be a table's column heads (years): not read.
    assert extract_quantities("资金（万元） 2022 2023") == []
    assert extract_quantities("建设期限（年）：3") == []  # a value under (年) is as often a year


@pytest.mark.parametrize(("text", "readings"), [
    pytest.param("收、支总计各是4125.49,4143.91万元", [("41254900", "元"), ("41439100", "元")], id="ge-shi"),
    pytest.param("分别增长5.2、3.1和2.4个百分点", [("5.2", "个百分点"), ("3.1", "个百分点"), ("2.4", "个百分点")],
                 id="fenbie-three"),
    pytest.param("满意度分别为95、98%", [("95", "%"), ("98", "%")], id="fenbie-percent"),
    pytest.param("在3、5个乡镇开展", [("5", "个")], id="no-cue-no-shared-unit"),
    pytest.param("第1、2、3项", [], id="ordinal-list"),
])
def test_a_list_after_fenbie_shares_the_unit_of_its_last_value(text, readings):
    assert [(str(q.normalized), q.unit) for q in extract_quantities(text)] == readings


@pytest.mark.parametrize(("text", "kinds"), [
    pytest.param("投资1170万元，其中870万用于设备，300万用于培训", ["money", "money", "money"], id="parts-after-qizhong"),
    pytest.param("预算1170.00万，其中支持企业发展870.00万", ["money", "money"], id="bare-wan-money-throughout"),
    pytest.param("全市常住人口1200万，其中城镇人口800万", ["count", "count"], id="people-stay-counts"),
    pytest.param("经费5万元，服务群众3万", ["money", "count"], id="another-subject"),
])
def test_the_bare_wan_parts_of_a_sum_of_money_are_money(text, kinds):
    assert [q.kind for q in extract_quantities(text)] == kinds


def test_the_column_header_gives_the_role():
    found = _read("指标名称 | 年度指标值 | 实际完成值 | | 走访脱贫农户 | 120户 | 126户 |")
    assert [(s, r, m) for s, r, _, m, _ in found] == [("120户", "target", "走访脱贫农户"), ("126户", "actual", "走访脱贫农户")]


def test_a_budget_table_in_wan_yuan():
    found = extract_quantities("资金情况（万元） | 全年预算数 | 全年执行数 | 执行率 | | 项目资金总额 | 56.5 | 54.2 | 95.93% | "
                               "| 其中：市级资金 | 20 | 20 | 100% |")
    assert [(q.surface, str(q.normalized), q.role, q.dimension, q.metric) for q in found] == [
        ("56.5", "565000", "actual", "成本", "项目资金总额 全年预算数"),
        ("54.2", "542000", "actual", "成本", "项目资金总额 全年执行数"),
        ("95.93%", "95.93", "actual", "成本", "执行率"),
        ("20", "200000", "actual", "成本", "市级资金 全年预算数"),
        ("20", "200000", "actual", "成本", "市级资金 全年执行数"),
        ("100%", "100", "actual", "成本", "执行率")]


def test_bare_numbers_of_a_table_without_a_stated_unit_are_not_read():
    assert extract_quantities("项目 | 预算数 | 执行数 | | 培训经费 | 12.5 | 11.8 |") == []


def test_a_value_before_a_done_cell_is_the_target():
    found = _read("| 数量指标 | 入户宣讲场次 | 至少全年开展4场 | 已完成100% | | 成本指标 | 宣讲经费 | 3万元 | 已完成100% |")
    assert found == [("4场", "target", "数量", "入户宣讲场次", ">="), ("100%", "actual", "数量", "入户宣讲场次", "="),
                     ("3万元", "target", "成本", "宣讲经费", "="), ("100%", "actual", "成本", "宣讲经费", "=")]


def test_a_row_flattened_with_spaces():
    found = _read("产出指标 数量指标 改造农村危房 ≥45户 47户 10 10 质量指标 竣工验收合格率 =100% 20 "
                  "效益指标 生态效益指标 垃圾清运率(清运量/产生量)≥90% 10")
    assert found == [("≥45户", "target", "数量", "改造农村危房", ">="), ("47户", "actual", "数量", "改造农村危房", "="),
                     ("=100%", "target", "质量", "竣工验收合格率", "="),
                     ("≥90%", "target", "生态效益", "垃圾清运率", ">=")]


def test_a_metric_is_not_carried_from_the_row_before():
    found = extract_quantities("| 数量指标 | 发放手册 | 2000册 | 2000册 | | 其他 | | 3册 |")
    assert found[-1].metric != "发放手册"


@pytest.mark.parametrize(("text", "dimension"), [
    pytest.param("项目资金执行率达到97.5%", "成本", id="funds-execution-rate"),
    pytest.param("项目全年执行数为30万元，完成预算的98%", "成本", id="share-of-budget"),
    pytest.param("项目结余率控制在3%", "成本", id="balance-rate"),
    pytest.param("资金到位及时率100%", "时效", id="funds-on-time"),
    pytest.param("群众满意度调查经费2.4万元", "成本", id="money-is-never-satisfaction"),
    pytest.param("开展项目绩效评价报告3份", "数量", id="performance-evaluation-is-no-satisfaction"),
    pytest.param("（二）年度收支：全年实际收入856.3万元", "成本", id="agency-income"),
    pytest.param("带动乡村旅游收入1.2亿元", "经济效益", id="economic-income"),
    pytest.param("3.生态效益指标。新增造林面积120亩", "生态效益", id="heading-sentence"),
])
def test_table_and_funds_dimensions(text, dimension):
    assert extract_quantities(text)[-1].dimension == dimension


def test_a_heading_with_a_colon_heads_only_its_sentence():
    found = extract_quantities("（一）社会效益指标：受益群众1200人。全年举办培训班12期。")
    assert [q.dimension for q in found] == ["社会效益", "数量"]


def test_two_values_in_prose_are_no_pair():
    assert _roles("培训考核合格率100%，100%的学员取得证书") == ["actual", "actual"]
    assert _roles("数量指标：培训≥1000人次，实际培训1200人次。") == ["target", "actual"]


def test_counters_of_works():
    assert [(q.surface, q.unit) for q in extract_quantities("新建护岸 3 段，送书下乡 2400册次")] == [("3 段", "段"), ("2400册次", "册次")]


def test_a_table_with_a_row_a_line():
    text = ("资金投入（万元）\n| 项目 | 全年预算数 | 全年执行数 | 执行率 |\n|---|---|---|---|\n"
            "| 培训经费 | 30 | 28.5 | 95% |")
    found = extract_quantities(text)
    assert [(q.surface, str(q.normalized), q.metric, q.role) for q in found] == [
        ("30", "300000", "培训经费 全年预算数", "actual"), ("28.5", "285000", "培训经费 全年执行数", "actual"),
        ("95%", "95", "执行率", "actual")]
    text = "| 三级指标 | 年度指标值 | 实际完成值 | 得分 |\n|---|---|---|---|\n| 走访农户 | 40户 | 36户 | 9 |"
    assert [(q.surface, q.metric, q.role) for q in extract_quantities(text)] == [
        ("40户", "走访农户", "target"), ("36户", "走访农户", "actual")]


def test_values_of_two_rows_are_no_pair():
    assert _roles("| 培训 | 500人次 |\n| 考核 | 620人次 |") == ["actual", "actual"]


def test_a_pair_followed_by_its_score_is_target_then_actual():
    assert _roles("培训人次 | 500人次 | 620人次 | 10 | 10 |") == ["target", "actual"]
    assert _roles("年度资金总额 | 100万元 | 98万元 | 98% |") == ["actual", "actual", "actual"]


def test_headings_of_rows_flattened_with_spaces():
    found = extract_quantities("社会效益指标 农村劳动力转移就业率 ≥80% 86% 10 10 经济效益指标 项目资金结余率 ≤5% 2% 10 10 "
                               "数量指标 验收合格率 100% 100% 10 10")
    # An outcome heading decides a rate; a funds rate stays cost; an output heading leaves a rate its quality.
    assert [q.dimension for q in found] == ["社会效益"] * 2 + ["成本"] * 2 + ["质量"] * 2


def test_budget_columns_are_no_target_and_actual():
    found = extract_quantities("项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 | "
                               "| 年度资金总额 | 60 | 60 | 57.3 | 10 | 95.5% | 9.6 |")
    assert [(q.surface, q.role, q.metric) for q in found] == [
        ("60", "actual", "年度资金总额 年初预算数"), ("60", "actual", "年度资金总额 全年预算数"),
        ("57.3", "actual", "年度资金总额 全年执行数"), ("95.5%", "actual", "执行率")]


def test_header_words_count_by_column_not_as_the_last_word_before():
    found = extract_quantities("绩效指标 | 指标内容 | 指标值 | 完成情况 | | 数量指标 | 新建蓄水池 | 12座 | 13座 | "
                               "| 成本指标 | 单座造价 | ≤8万元 | 7.6万元 |")
    assert [(q.surface, q.role) for q in found] == [("12座", "target"), ("13座", "actual"), ("≤8万元", "target"),
                                                     ("7.6万元", "actual")]


def test_a_heading_after_a_value_is_not_what_it_counts():
    found = extract_quantities("数量指标 植树株数 ≥3000株 3260株 质量指标 苗木成活率 ≥85% 91%")
    assert [q.metric for q in found] == ["植树株数", "植树株数", "苗木成活率", "苗木成活率"]


def test_the_actual_cell_may_say_it_was_done():
    found = extract_quantities("| 数量指标 | 慰问困难党员 | 80人 | 完成83人 | 10 | 10 | | 质量指标 | 慰问金发放准确率 | 100% | 已完成，100% | 10 | 10 |")
    assert [q.role for q in found] == ["target", "actual", "target", "actual"]


def test_a_score_after_a_layout_space_is_no_tenth_of_a_metre():
    found = extract_quantities("产出指标 数量指标 新建排水沟 ≥600米 620米 10 10")
    assert [(q.surface, str(q.value)) for q in found] == [("≥600米", "600"), ("620米", "620")]
    assert [str(q.value) for q in extract_quantities("身高一米七五")] == ["1.75"]


@pytest.mark.parametrize(("text", "roles"), [
    pytest.param("计划新建村卫生室10个，实际新建12个", ["target", "actual"], id="plan-then-actual"),
    pytest.param("按计划完成培训12次", ["actual"], id="done-as-planned"),
    pytest.param("完成年度计划的98%", ["actual"], id="share-of-the-plan"),
    pytest.param("计划资金全部到位85万元，用于村道硬化", ["actual"], id="planned-money-arrived"),
    pytest.param("计划完成新建村卫生室10个，配置设备20台", ["target", "target"], id="planned-to-complete"),
    pytest.param("确保工作落实，共开展培训12场", ["actual"], id="ensure-then-a-fact"),
    pytest.param("镇政府计划对河东片区实施供水改造，铺设管网4.2公里，新建蓄水池2座。", ["target", "target"],
                 id="plan-at-the-head-of-the-sentence"),
    pytest.param("镇政府计划对河东片区实施供水改造，已铺设管网4.2公里。", ["actual"], id="plan-then-done"),
    pytest.param("拟按二级公路标准建设，设计时速60公里/小时，估算投资8200万元。", ["target", "target"],
                 id="proposed-works"),
    pytest.param("预定带动农户增收15万元，实际带动农户增收16.2万元。", ["target", "actual"], id="planned-then-achieved"),
    pytest.param("拨付资金40万元，实际完成投资38.5万元。", ["actual", "actual"], id="funds-paid-then-spent"),
    pytest.param("确保合作社每年分红不低于入股资金的8%。", ["target"], id="at-least-a-share"),
    pytest.param("发放及时率指标为100%，实际完成值为100%", ["target", "actual"], id="indicator-is-then-done"),
    pytest.param("监测数据获取率应大于或等于90%", ["target"], id="ought-to-be"),
    pytest.param("确保好路率达95%，优等路率达80%", ["target", "target"], id="ensure-covers-the-sentence"),
    pytest.param("确保诉求快速响应，2024年受理诉求8600件", ["actual"], id="a-dated-clause-is-a-fact"),
    pytest.param("会议提出建成示范村30个左右的具体目标", ["target"], id="called-a-goal"),
    pytest.param("全年完成100%的年度目标任务", ["actual"], id="share-of-the-goal-reached"),
    pytest.param("参保人数年初任务数2.1万人，全年完成值2.2万人", ["target", "actual"], id="task-then-done"),
    pytest.param("产出目标：新建文化广场3个，配置健身器材60套。", ["target", "target"], id="output-goal-heading"),
    pytest.param("项目绩效总目标：补助发放率100%，群众满意度达95%。", ["target", "target"], id="overall-goal-heading"),
    pytest.param("2023年保障目标任务为：改造老旧小区420户，新建公租房80套。", ["target", "target"], id="goal-tasks-are"),
    pytest.param("新建农村公路目标36公里，实际建成38公里", ["target", "actual"], id="called-a-goal-before-it"),
])
def test_plans(text, roles):
    assert _roles(text) == roles


def test_a_bare_length_is_the_length_of_what_was_counted_before():
    found = extract_quantities("新修排洪渠共 3 段，长 1.2km；二是新建文化广场5个。")
    assert [q.metric for q in found] == ["新修排洪渠", "新修排洪渠长", "新建文化广场"]


@pytest.mark.parametrize(("text", "metric"), [
    pytest.param("全年组织各类农技培训36期", "农技培训", id="after-gelei"),
    pytest.param("提供咨询等各类服务120余次", "提供咨询等各类服务", id="a-list-before-gelei-stays"),
    pytest.param("今年共收到省级下达农田建设补助资金650万元", "省级下达农田建设补助资金", id="received"),
    pytest.param("县图书馆年度借阅人次达5.2万人次", "年度借阅人次", id="library-is-who"),
])
def test_metric_words_before_the_noun(text, metric):
    assert extract_quantities(text)[-1].metric == metric


def test_indicators_written_as_prose_with_column_words():
    found = extract_quantities("1.数量指标 指标1:新建卫生厕所,年度指标值:≥150座,实际完成值:163座。"
                               "2.时效指标 指标1:补助资金兑付及时率,年度指标值:100%,实际完成值:96%。")
    assert [(q.surface, q.role, q.metric, q.dimension) for q in found] == [
        ("≥150座", "target", "新建卫生厕所", "数量"), ("163座", "actual", "新建卫生厕所", "数量"),
        ("100%", "target", "补助资金兑付及时率", "时效"), ("96%", "actual", "补助资金兑付及时率", "时效")]


def test_an_amount_under_an_outcome_heading():
    found = extract_quantities("| 效益指标 | 经济效益指标 | 带动脱贫户增收 | ≥1500元/户 | 1620元/户 | "
                               "| 社会效益指标 | 为群众挽回损失 | 20万元 | 26万元 | | 成本指标 | 项目总成本 | 30万元 | 28万元 |")
    assert [q.dimension for q in found] == ["经济效益"] * 2 + ["社会效益"] * 2 + ["成本"] * 2


def test_overall_targets_and_what_was_done():
    found = extract_quantities("年度总体目标 | 预期目标 | 实际完成情况 | | 目标1：完成果树嫁接800亩 | 完成果树嫁接860亩 | "
                               "| 目标2：建设育苗大棚4个 | 建成育苗大棚4个 |")
    assert [(q.surface, q.role, q.metric) for q in found] == [
        ("800亩", "target", "完成果树嫁接"), ("860亩", "actual", "完成果树嫁接"),
        ("4个", "target", "建设育苗大棚"), ("4个", "actual", "建成育苗大棚")]
    assert _roles("目标1：新建村道10公里。完成情况：新建村道12公里。") == ["target", "actual"]


def test_a_budget_item_named_before_its_level():
    found = extract_quantities("2．教育支出（类）普通教育（款）小学教育（项）316.5万元，与上年相比增加12.4万元，增长4.08%。")
    assert [(q.metric, q.dimension) for q in found] == [("小学教育", "成本")] * 3
    found = extract_quantities("3．培训、宣传、会议等综合管理支出（项）88万元")
    assert found[0].metric == "培训、宣传、会议等综合管理支出"


def test_bound_words_before_the_verb():
    [q] = extract_quantities("全年至少开展巡查3次")
    assert (q.comparator, q.metric) == (">=", "开展巡查")
    [q] = extract_quantities("单日最多的一次接待群众5000人次")
    assert q.comparator == "="


def test_a_value_after_a_comparator_cell_is_the_planned_value():
    # A 申报表 states the sign, the value and its unit in cells of their own, then a review of the value.
    found = _read("| 产出指标 | 数量指标 | 资助在校学生人数(人) | ≥ | 260 | 人 | 指标值设置合理 | "
                  "| 质量指标 | 资金发放准确率 | = | 100 | % | 指标值设置合理 |")
    assert [(surface, role) for surface, role, *_ in found] == [("260", "target"), ("100", "target")]
    # A 自评表 gives what was achieved beside it: a pair.
    assert _roles("| 数量指标 | 资助在校学生人数 | ≥ | 260 | 人 | 271 | 10 | 10 |") == ["target", "actual"]


def test_a_bound_pair_glued_together():
    # Text taken from a PDF joins the cells: the target's bound, then the achieved value written with a bound too.
    found = extract_quantities("满意度指标 服务对象满意度指标 受助家庭满意度≥90%≥93%10宣传不够深入")
    assert [(q.surface, q.role, q.metric) for q in found] == [("≥90%", "target", "受助家庭满意度"),
                                                             ("≥93%", "actual", "受助家庭满意度")]


def test_a_bare_amount_and_its_twin_are_one_measure():
    found = extract_quantities("成本指标 | 办公楼物业管理费 | 86万 | 86万 | 10 | 10 |")
    assert [(q.role, q.kind) for q in found] == [("target", "money"), ("actual", "money")]


def test_a_line_of_single_values_under_indicator_headings_is_a_table_of_targets():
    found = extract_quantities("产出指标 数量指标 新建村级文化广场 ≥12个 维修农家书屋 ≥30个 质量指标 工程验收合格率 100% "
                               "成本指标 每个广场补助 8万元 效益指标 社会效益指标 受益群众 ≥6000人")
    assert [(q.surface, q.role, q.metric) for q in found] == [
        ("≥12个", "target", "新建村级文化广场"), ("≥30个", "target", "维修农家书屋"), ("100%", "target", "工程验收合格率"),
        ("8万元", "target", "每个广场补助"), ("≥6000人", "target", "受益群众")]
    # With the achieved value beside each target, the plain values stay what was achieved.
    assert _roles("产出指标 数量指标 新建村级文化广场 ≥12个 13个 10 10 质量指标 工程验收合格率 100% 100% 10 10") == \
        ["target", "actual", "target", "actual"]


def test_an_amount_per_person_keeps_what_it_is_per():
    found = extract_quantities("困难学生资助标准为2500元/人，护理补贴标准180元/人*月，耕地地力补贴105元/亩。")
    assert [(q.surface, q.unit, q.base_unit) for q in found] == [
        ("2500元/人", "元/人", "元/人"), ("180元/人*月", "元/人*月", "元/人*月"), ("105元/亩", "元/亩", "元/亩")]
    assert extract_quantities("人均补助500元/人均")[0].unit == "元"


def test_two_rates_in_cells_are_target_then_actual():
    assert _roles("| 参训学员考核通过率 | 100% | 97.6% | | | 项目资金执行率 | 95.2% |") == ["target", "actual", "actual"]


def test_a_year_in_a_row_name_is_part_of_the_name():
    found = extract_quantities("产出指标 | 产出数量 | 完成2023年家政培训任务 | 800名 | 812名 |")
    assert {q.metric for q in found} == {"完成2023年家政培训任务"}


def test_the_word_indicator_before_its_value_is_no_part_of_the_name():
    found = extract_quantities("2.时效指标。救助金每季度首月发放指标为100%实际完成值为100%")
    assert [(q.metric, q.role) for q in found] == [("救助金每季度首月发放", "target"), ("救助金每季度首月发放", "actual")]
    assert [q.metric for q in extract_quantities("评价体系含一级指标3个、二级指标8个")][-1] == "二级指标"


def test_a_change_after_a_share_is_a_change_of_the_amount():
    found = extract_quantities("2023年项目支出512.6万元，占本年支出的38.5%，比上年减少6.2%。")
    assert [q.metric for q in found] == ["项目支出", "占本年支出", "项目支出"]
    found = extract_quantities("基本支出820万元，占本年支出的61.5%，比上年提高1.2个百分点。")
    assert found[-1].metric == "占本年支出"


def test_a_bound_written_as_a_sign_is_a_target():
    assert _roles("服务对象满意度指标：受助群众满意度≥95%；时效指标：补助发放及时率>=98%。") == ["target", "target"]
    assert _roles("群众满意度≥90%，实际达到96.3%") == ["target", "actual"]
    assert _roles("实际完成值≥95%") == ["actual"]


def test_the_template_note_of_a_bound_gives_the_unit():
    found = extract_quantities("数量指标：建设村级光伏电站数量(≥**座)>=12；成活率(≥**%)>=90；补助成本(≤**元/亩)≤300/亩。")
    assert [(q.surface, q.unit, q.kind, q.role) for q in found] == [
        (">=12", "座", "count", "target"), (">=90", "%", "percent", "target"), ("≤300/亩", "元/亩", "money", "target")]


def test_a_numbered_title_of_targets_heads_the_sentences_after_it():
    text = ("1.总体绩效目标。持续改善农村人居环境。到2025年，全县建成美丽乡村示范村30个。"
            "2.2024年度绩效目标。改造农村户厕1200户；实际改造完成的另行统计。")
    assert _roles(text) == ["target", "target"]
    assert _roles("1.项目绩效总目标。2023年计划发放补贴200户，实际发放236户。") == ["target", "actual"]
    assert _roles("项目总体绩效目标是：新增就业岗位40个，带动农户增收60万元。") == ["target", "target"]


def test_an_estimated_outturn_is_an_actual():
    found = extract_quantities("2024年全县一般公共预算收入预计完成12.6亿元，项目建成后预计年增收入30万元。")
    assert [(q.role, q.metric) for q in found] == [("actual", "一般公共预算收入"), ("target", "年增收入")]


def test_budget_revenues_are_cost_and_the_state_of_nature_an_ecological_result():
    found = extract_quantities("一般债券转贷收入3.2亿元，税收返还和转移支付资金5.1亿元；天然草原植被盖度61.2%，"
                               "新建空气质量自动监测站4个。")
    assert [q.dimension for q in found] == ["成本", "成本", "生态效益", "数量"]


def test_the_funds_block_of_a_self_evaluation_set_with_spaces():
    text = ("项目资金 (万元) 年初 预算数 全年 预算数 全年 执行数 分值 执行率 得分 年度资金总额 56.8 60 55.2 10 92% 9 "
            "其中:当年财政拨款 56.8 60 55.2")
    found = extract_quantities(text)
    assert [(q.surface, str(q.normalized), q.role, q.metric) for q in found] == [
        ("56.8", "568000", "actual", "年度资金总额 年初预算数"), ("60", "600000", "actual", "年度资金总额 全年预算数"),
        ("55.2", "552000", "actual", "年度资金总额 全年执行数"), ("92%", "92", "actual", "执行率"),
        ("56.8", "568000", "actual", "当年财政拨款 年初预算数"), ("60", "600000", "actual", "当年财政拨款 全年预算数"),
        ("55.2", "552000", "actual", "当年财政拨款 全年执行数")]
    # Without the header's unit the numbers are not read.
    assert extract_quantities("年度资金总额 56.8 60 55.2 10") == []


def test_rates_set_with_spaces_without_their_percent_sign():
    found = extract_quantities("质量指标 指标1道路验收合格率 100 96.5 10 9 指标2建成道路长度 12 12 10 10")
    assert [(q.surface, q.unit, q.role, q.metric) for q in found] == [
        ("100", "%", "target", "道路验收合格率"), ("96.5", "%", "actual", "道路验收合格率")]


def test_the_bands_of_a_grading_scale_are_neither_target_nor_result():
    found = extract_quantities("| 指标1:展馆物业管理面积 | 5000平方米 | 5000平方米以上 | 4000平方米-5000平方米 | "
                               "3000平方米-4000平方米 | 3000平方米以下 |")
    assert [q.role for q in found] == ["actual", "none", "none", "none", "none"]
    assert [q.role for q in extract_quantities("指标1:季度报告按时完成 全部完成 无 全部完成 80% 60% 60%以下")] == ["none"] * 3
    assert _roles("| 满意度 | ≥95% | 96% | ≤5% |") == ["target", "actual", "target"]


def test_a_phase_of_a_project_is_no_count_and_拟_plans():
    found = extract_quantities("文物库房二期改造工程项目420万元；拟新建标准厂房4栋")
    assert [(q.surface, q.role) for q in found] == [("420万元", "actual"), ("4栋", "target")]


def test_a_dash_after_a_value_and_an_unknown_unit_is_no_sign():
    found = extract_quantities("年用电量 50万度-60万度")
    assert [(str(q.normalized), str(q.upper_normalized), q.kind, q.standard_unit) for q in found] == [
        ("500000", "600000", "energy", "kWh")]
    assert [(str(q.normalized), str(q.upper_normalized)) for q in extract_quantities("百分之五-百分之十")] == [
        ("5", "10")]
    assert [str(q.normalized) for q in extract_quantities("一季度-5%，增长率为-2%")] == ["-5", "-2"]


def test_pinyin_glosses_of_web_copies_are_left_out():
    found = extract_quantities("物業(yè)管理面積6500平方米，補(bǔ)助2000元")
    assert [(q.surface, q.metric) for q in found] == [("6500平方米", "物業管理面積"), ("2000元", "補助")]


def test_names_without_who_states_them_and_money_named_by_its_purpose():
    assert extract_quantities("财政部门2023年预算数860.5万元")[0].metric == "预算数"
    assert extract_quantities("主要建设内容为硬化村道12600平方米")[0].metric == "硬化村道"
    found = extract_quantities("安排860万元支持老旧小区改造，下达资金120万元，用于村级活动场所建设。项目资金50万元")
    assert [q.metric for q in found] == ["支持老旧小区改造", "村级活动场所建设", "项目资金"]


def test_what_is_left_of_who_when_and_how_is_no_part_of_a_name():
    assert extract_quantities("县文化和旅游局2024年度财政拨款收入912.6万元")[0].metric == "财政拨款收入"
    assert extract_quantities("年终考核后及时将剩余的清算资金86万元拨付到位")[0].metric == "剩余的清算资金"
    assert extract_quantities("截至2023年12月31日眉山市中央资金完成528.3万元")[0].metric == "眉山市中央资金完成"


def test_a_change_of_a_budget_named_between_verb_and_amount():
    found = extract_quantities("这一因素较上年减少部门支出320万元。同时增加部门预算215.6万元。")
    assert [(q.role, q.direction) for q in found] == [("change", "down"), ("change", "up")]
    assert _roles("全年支出资金300万元") == ["actual"]


def test_a_percent_change_after_an_amount_measures_the_amount():
    found = extract_quantities("全县完成一般公共预算收入12.5亿元，同口径下降3.2%，其中增值税增长5%。访问量同比增长60%")
    assert [(q.metric, q.dimension) for q in found] == [
        ("完成一般公共预算收入", "成本"), ("完成一般公共预算收入", "成本"), ("增值税", "成本"), ("访问量", "数量")]


def test_a_revenue_report_goes_on_about_its_subject_after_the_budget_share():
    found = extract_quantities("全县财政收入累计完成52000万元，占预算48000万元的108.3%，较上年同期55000万元下降5.5%，"
                               "减收3000万元。其中，一般公共预算收入30100万元，完成预算30000万元的100.3%，超收100万元，增收1200万元。")
    assert [(q.role, q.metric) for q in found] == [
        ("actual", "财政收入"), ("actual", "预算"), ("actual", "占预算"), ("baseline", "财政收入"),
        ("change", "财政收入"), ("change", "财政收入"), ("actual", "一般公共预算收入"), ("actual", "预算"),
        ("actual", "完成预算"), ("change", "一般公共预算收入"), ("change", "一般公共预算收入")]
    assert {q.dimension for q in found} == {"成本"}
    assert _roles("预定带动农户增收15万元，实际带动农户增收16.2万元。") == ["target", "actual"]
    assert [q.surface for q in extract_quantities("节约用电3万度，室温30度，三度获评")] == ["3万度"]


def test_funds_rows_of_a_table_of_cells_and_a_heading_of_targets():
    found = extract_quantities("资金情况(万元) | 资金总额 | 80 | 其中:财政拨款 | 80 | 其他资金 | | 总 体 目 标 | 新建5个村级活动室 |")
    assert [(q.surface, str(q.normalized), q.role, q.metric) for q in found] == [
        ("80", "800000", "actual", "资金总额"), ("80", "800000", "actual", "财政拨款"), ("5个", "5", "target", "村级活动室")]
    found = extract_quantities("项目资金 年初预算数 全年预算数 全年执行数 分值 执行率 得分 (万元) 年度资金总额 120 120 96.5 10 80.4% 8")
    assert [q.metric for q in found] == ["年度资金总额 年初预算数", "年度资金总额 全年预算数", "年度资金总额 全年执行数", "执行率"]
    assert _roles("预算金额12.5万元，实际支出12.5万元。") == ["actual", "actual"]
    assert _roles("内设城乡规划建设服务中心等12个股室") == ["actual"]


def test_final_accounts_compare_this_year_with_the_last():
    found = extract_quantities("单位收入本年1520.6万元，上年1380.2万元，同比增减额140.4万元，同比增减率10.17%。")
    assert [(q.role, q.metric, q.dimension) for q in found] == [
        ("actual", "单位收入", "成本"), ("baseline", "单位收入", "成本"), ("change", "单位收入", "成本"),
        ("change", "单位收入", "成本")]
    found = extract_quantities("1.一般公共预算财政拨款收入382.17万元，为市本级财政当年拨付的资金。较上年决算数减少57.86万元。")
    assert found[-1].metric == "一般公共预算财政拨款收入"
    found = extract_quantities("收、支总计各是412.49,414.91万元")  # a comma after decimals parts a list
    assert [str(q.normalized) for q in found] == ["4124900", "4149100"]


def test_indicator_values_stated_in_quotes_and_an_indicator_number_in_a_row():
    found = extract_quantities("建设占地面积：指标值为“约1200平方米”，全年实际完成值约1350平方米；")
    assert [(q.role, q.metric) for q in found] == [("target", "建设占地面积"), ("actual", "建设占地面积")]
    assert _roles("数量指标 指标1:新建道路 524m 530m 指标2:硬化道路 5719m 5719m") == ["target", "actual"] * 2
    assert _roles("项目建成后能够带动当地20名群众务工") == ["target"]


def test_codes_and_fee_classes_are_no_quantities():
    found = extract_quantities("整县推进项目(12000022P10000210006W)，其中一类费2156.79万元，二类费143.21万元，本项目2020年下达直达资金2300万元")
    assert [(q.surface, q.metric) for q in found] == [("2156.79万元", "一类费"), ("143.21万元", "二类费"), ("2300万元", "直达资金")]


def test_a_table_whose_header_names_only_targets():
    found = extract_quantities("| 绩 效 指 标 | 一级指标 | 二级指标 | 三级指标 | 指标值 | | 产出指标 | 建设项目个数 | 3个 | "
                               "|| 竣工验收合格率 | 100% | |")
    assert [q.role for q in found] == ["target", "target"]
    assert _roles("| 指标 | 指标值 | 实际完成值 | | 培训 | 100人 | 120人 |") == ["target", "actual"]


def test_the_money_of_a_plan_is_an_amount_its_outcomes_targets():
    found = extract_quantities("总体绩效目标一是完成滨海公园建设，项目总投资额为2.6亿元，建成后占地面积约15万平方米；"
                               "二是带动周边商户增加收入300万元。")
    assert [(q.surface, q.role) for q in found] == [("2.6亿元", "actual"), ("约15万平方米", "target"), ("300万元", "target")]


def test_budget_outturn_reports_and_economic_plans():
    found = extract_quantities("财政总支出45043万元，较上年同期52649万元减支7606万元，下降14.4%。")
    assert [(q.role, q.metric) for q in found] == [("actual", "财政总支出"), ("baseline", "财政总支出"),
                                                   ("change", "财政总支出"), ("change", "财政总支出")]
    found = extract_quantities("一般公共预算地方收入完成82876万元，占年计划75000万元的110.5%，增长9.99%")
    assert [q.metric for q in found] == ["一般公共预算地方收入", "年计划", "占年计划", "一般公共预算地方收入"]
    found = extract_quantities("全市完成地区生产总值3008.61亿元，增长5.1%；固定资产投资增长19.6%；新增城镇就业6.25万人")
    assert [q.dimension for q in found] == ["经济效益", "经济效益", "经济效益", "社会效益"]
    assert [q.dimension for q in extract_quantities("评价结果等级为“优”的项目4个")] == ["数量"]


def test_headings_and_offices_before_a_name():
    assert [q.metric for q in extract_quantities("（一）部门整体收支情况 2023年收入1451077.73元")] == ["收入"]
    assert [q.metric for q in extract_quantities("一、收入支出决算说明 2022年度本年收入2371.75万元")] == ["本年收入"]
    assert [q.metric for q in extract_quantities("寻甸县委办公室在职实有32人")] == ["在职实有"]
    assert [q.surface for q in extract_quantities("1 天台县花前工业园区四期核心区 0.7亿元，城中村改造安置房三期")] == ["0.7亿元"]


def test_expected_indicators_and_numbered_goals_are_targets():
    assert _roles("3.预期各项效益指标 经济效益：节约群众出行成本110.37万元") == ["target"]
    assert _roles("年度目标任务，一是年底全市婚检率稳定在85%左右，婚检疾病检出率达到8%以上") == ["target", "target"]
    assert _roles("目标1：冷库仓储建设，投资400万元；目标2：配套设备购置及安装550万元。") == ["target", "target"]
    assert _roles("总体绩效目标一是完成海滨公园建设，该项目总投资额为3.8亿元") == ["actual"]


def test_what_an_office_has_and_a_bare_share():
    assert [q.metric for q in extract_quantities("（二）机构设置 本部门设5个内设机构（办公室、规划科）")] == ["内设机构"]
    assert [q.metric for q in extract_quantities("设施质量合格率100%，设备完好率98%")] == ["设施质量合格率", "设备完好率"]
    found = extract_quantities("其中：财政拨款收入4495.76万元，占100.00%；事业收入0万元，占0.00%")
    assert [q.metric for q in found] == ["财政拨款收入", "财政拨款收入占比", "事业收入", "事业收入占比"]
