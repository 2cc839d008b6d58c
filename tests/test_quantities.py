"""Quantity extraction, table-driven by pattern family; and scores on the shared gold set."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest

from nlp.quantities import extract_quantities


def one(text: str):
    found = extract_quantities(text)
    assert len(found) == 1, [q.surface for q in found]
    return found[0]


@pytest.mark.parametrize(("text", "surface", "normalized", "unit", "kind"), [
    # multipliers, exactly (floats get these wrong)
    pytest.param("交易额16.4亿", "16.4亿", "1640000000", "", "count", id="yi-no-unit"),
    pytest.param("项目预算3541.07万元", "3541.07万元", "35410700", "元", "money", id="wan-yuan"),
    pytest.param("累计投资47.264287亿元", "47.264287亿元", "4726428700", "元", "money", id="yi-yuan-6-decimals"),
    pytest.param("合同金额100000万美元", "100000万美元", "1000000000", "美元", "money", id="wan-usd"),
    pytest.param("机关运行经费1,272.04万元", "1,272.04万元", "12720400", "元", "money", id="thousands-separator"),
    pytest.param("预算297万", "297万", "2970000", "", "money", id="money-without-yuan"),
    pytest.param("受理诉求２０２．５８万宗", "２０２．５８万宗", "2025800", "宗", "count", id="full-width"),
    pytest.param("服务全市 77 个单位", "77 个", "77", "个", "count", id="spaced-digits"),
    # Chinese numerals
    pytest.param("两名党员获评优秀", "两名", "2", "名", "count", id="liang"),
    pytest.param("发布三份平台安全管理规范", "三份", "3", "份", "count", id="cn-small"),
    pytest.param("培训三千六百人次", "三千六百人次", "3600", "人次", "count", id="cn-compound"),
    pytest.param("新增一千零五个点位", "一千零五个", "1005", "个", "count", id="cn-zero"),
    pytest.param("接待群众两千三百人次", "两千三百人次", "2300", "人次", "count", id="cn-liang-thousands"),
    # percent and points
    pytest.param("接通率98.62%", "98.62%", "98.62", "%", "percent", id="percent"),
    pytest.param("满意率９６％", "９６％", "96", "%", "percent", id="full-width-percent"),
    pytest.param("提高2.3个百分点", "2.3个百分点", "2.3", "个百分点", "percent", id="points"),
    # area, time, frequency
    pytest.param("完成全市 11347 平方公里遥感影像采集", "11347 平方公里", "11347", "平方公里", "area", id="area"),
    pytest.param("新增智能算力200P", "200P", "200", "P", "other", id="computing-power"),
    pytest.param("平均办理时间压缩至3个工作日", "3个工作日", "3", "个工作日", "duration", id="working-days"),
    pytest.param("响应时间不超过2小时", "不超过2小时", "2", "小时", "duration", id="hours"),
    pytest.param("每季度1次开展巡检", "每季度1次", "1", "次", "frequency", id="frequency-quarter"),
    pytest.param("每年 4 次", "每年 4 次", "4", "次", "frequency", id="frequency-spaced"),
])
def test_values_and_units(text, surface, normalized, unit, kind):
    q = one(text)
    assert q.surface == surface
    assert q.normalized == Decimal(normalized)
    assert (q.unit, q.kind) == (unit, kind)
    assert text[q.start:q.end] == q.surface


@pytest.mark.parametrize(("text", "comparator"), [
    pytest.param("诉求量目标值 ≥ 120 万宗", ">=", id="geq-sign"),
    pytest.param("话务接通率目标值 $\\geq 90\\%$ ，", ">=", id="latex-geq"),
    pytest.param("接口调用超8.6亿次", ">", id="chao"),
    pytest.param("签章次数均突破100万次", ">", id="tupo"),
    pytest.param("闭环处置率达90%以上", ">=", id="yishang"),
    pytest.param("共组织集中学习30余场次", ">", id="yu"),
    pytest.param("累计交易额约2.84亿元", "~", id="yue"),
    pytest.param("成本不高于320万元", "<=", id="bugaoyu"),
    pytest.param("不足5%", "<", id="buzu"),
    pytest.param("覆盖3至5个乡镇", "range", id="range-zhi"),
    pytest.param("每户补贴200-300元", "range", id="range-dash"),
    pytest.param("开通217个账号", "=", id="plain"),
])
def test_comparators(text, comparator):
    assert one(text).comparator == comparator


@pytest.mark.parametrize(("text", "role"), [
    pytest.param("话务接通率目标值≥90%，", "target", id="target"),
    pytest.param("目标值≥90%，实际完成98.62%", "actual", id="actual-after-target"),
    pytest.param("比上年减少3672.85万元，", "change", id="change-money"),
    pytest.param("同比下降47.01%", "change", id="change-percent"),
    pytest.param("与上年决算数 1.81 万元相比", "baseline", id="baseline"),
    pytest.param("全年新增便民服务站35个", "actual", id="plain-actual"),
])
def test_roles(text, role):
    assert extract_quantities(text)[-1].role == role


@pytest.mark.parametrize("text", ["网上可办率由85%提高到98.5%", "办件量从12万件增加到18万件", "平均等待时长由25分钟缩短至12分钟"])
def test_from_and_to_values(text):
    first, second = extract_quantities(text)
    assert (first.role, second.role) == ("baseline", "actual")
    assert first.metric == second.metric and first.metric[:2] in text[:3] and "由" not in first.metric


@pytest.mark.parametrize(("text", "metric"), [("人均办事时间缩短到15分钟", "人均办事时间"),
                                              ("日均调用量超过330万次", "日均调用量"),
                                              ("审批时限平均压缩至3个工作日", "审批时限平均")])
def test_averages_keep_their_word(text, metric):
    assert extract_quantities(text)[-1].metric == metric


def test_budget_revenue_is_cost_and_trade_is_economic():
    budget, trade = extract_quantities("部门预算收入合计2,384.56万元；数据交易额达2.3亿元")
    assert (budget.dimension, trade.dimension) == ("成本", "经济效益")


def test_a_share_followed_by_its_change_is_not_a_baseline():
    share, change = extract_quantities("网上办件占比达到87.6%，同比提高4.2个百分点。")
    assert (share.role, change.role, change.direction) == ("actual", "change", "up")


def test_a_metric_after_the_counter_word_holds_no_number():
    assert not any(ch.isdigit() for q in extract_quantities("较上年同期的2.1万件增加了0.4万件") for ch in q.metric)


def test_a_comparison_is_not_the_metric():
    found = extract_quantities("培训费支出3.4万元，与上年决算数4.1万元相比，减少0.7万元。")
    assert [(q.role, q.metric) for q in found] == [("actual", "培训费支出"), ("baseline", "培训费支出"),
                                                   ("change", "培训费支出")]


def test_heading_numbers_in_brackets_still_end_the_phrase():
    [q] = extract_quantities("（二）完成4个专题库建设")
    assert not q.metric.startswith("（")


def test_change_direction_and_base():
    q = extract_quantities("“三公”经费8.82万元，比上年增加0.72万元")[1]
    assert (q.role, q.direction, q.change_base) == ("change", "up", "比上年")


@pytest.mark.parametrize(("text", "metric", "dimension"), [
    pytest.param("2024年共受理诉求202.58万宗", "受理诉求", "数量", id="before-number"),
    pytest.param("建成3个基础库", "基础库", "数量", id="after-counter"),
    pytest.param("话务接通率98.62%", "话务接通率", "质量", id="rate-quality"),
    pytest.param("工单转派及时率99.89%", "工单转派及时率", "时效", id="timeliness"),
    pytest.param("话务服务满意度99.66%", "话务服务满意度", "满意度", id="satisfaction"),
    pytest.param("公务接待费5.6万元", "公务接待费", "成本", id="cost"),
    pytest.param("累计交易额约2.84亿元", "交易额", "经济效益", id="economic"),
    pytest.param("防火墙成功拦截6008万次网络攻击", "拦截网络攻击", "社会效益", id="social"),
    pytest.param("新建2个县（市）级数据中心", "县（市）级数据中心", "数量", id="bracket-qualifier-after"),
    pytest.param("乡镇（街道）综合服务中心达到26个", "乡镇（街道）综合服务中心", "数量", id="bracket-qualifier-before"),
    pytest.param("其中：因公出国（境）费决算数：0万元", "因公出国（境）费决算数", "成本", id="between-colons"),
    pytest.param("协助市水利局（8次）开展巡河", "市水利局", "数量", id="number-in-brackets"),
    pytest.param("改造3个社区食堂和15个村级（社区）养老服务站", "村级（社区）养老服务站", "数量", id="after-conjunction"),
])
def test_metric_and_dimension(text, metric, dimension):
    q = extract_quantities(text)[-1]
    assert metric in q.metric
    assert q.dimension == dimension


@pytest.mark.parametrize("text", [
    pytest.param("2024年全市政务工作", id="year"),
    pytest.param("于2024年12月25日同步发布", id="date"),
    pytest.param("印发《实施方案》（惠府办〔2025〕5号）", id="document-number"),
    pytest.param("获第十二届实践创新项目三等奖", id="ordinal"),
    pytest.param("入选第一批公共数据授权运营应用场景", id="first-batch"),
    pytest.param("1.提高政治站位", id="heading-number"),
    pytest.param("（二）年度总体工作", id="heading-cn"),
    pytest.param("联系电话：2898732", id="phone"),
    pytest.param("做好12345热线运营服务", id="hotline-name"),
    pytest.param("结合“百千万工程”开展调研", id="name-bai-qian-wan"),
    pytest.param("推进一网通办和一网统管", id="name-yi-wang"),
    pytest.param("落实“三会一课”制度", id="name-san-hui"),
    pytest.param("提供“7×24小时”全天候人工服务", id="name-7x24"),
    pytest.param("学习党的二十届三中全会精神", id="party-congress"),
    pytest.param("高效办成一件事", id="yi-jian-shi"),
    pytest.param("完成“两张清单”编制", id="quoted-name"),
    pytest.param("局机关二支部获评先进", id="branch-name"),
    pytest.param("推动5G用户普及", id="5g"),
    pytest.param("PM2.5平均浓度持续下降", id="code-pm25"),
    pytest.param("完成P2P网贷风险处置", id="code-p2p"),
])
def test_not_quantities(text):
    assert extract_quantities(text) == []


def test_spans_index_original_text_with_latex():
    text = "话务接通率目标值 $\\geq 90\\%$ ，实际完成98.62%"
    first, second = extract_quantities(text)
    assert first.surface == "\\geq 90\\%" and text[first.start:first.end] == first.surface
    assert text[second.start:second.end] == "98.62%"


def test_extract_cli_scores_on_gold(gold_dir, tmp_path):
    gold = gold_dir / "quantities-seed.jsonl"
    rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n" for r in rows),
                      encoding="utf-8")
    out = tmp_path / "out.jsonl"
    subprocess.run([sys.executable, "cli.py", "extract", str(source), "--output", str(out)], check=True)
    score = gold_dir.parent / "tools" / "score.py"
    result = subprocess.run([sys.executable, str(score), "quantities", str(gold), str(out), "--json"],
                            check=True, capture_output=True, text=True)
    figures = json.loads(result.stdout[: result.stdout.rindex("}") + 1])
    assert figures["precision"] >= 0.97 and figures["recall"] >= 0.97
    assert figures["comparator_accuracy"] >= 0.95 and figures["role_accuracy"] >= 0.9
    assert figures["unit_accuracy"] >= 0.97 and figures["dimension_accuracy"] >= 0.8
    assert figures["metric_char_f1"] >= 0.80


def _numerals() -> list[str]:
    """Every numeral from 0 to 9999 in full (an2cn), with 两 for 二 before 百/千, and abbreviated (三千六)."""
    import cn2an

    forms = [cn2an.an2cn(n) for n in range(10_000)]
    forms += [cn2an.an2cn(a * unit) + cn2an.an2cn(b) for a in range(1, 10) for b in range(1, 10) for unit in (100, 1000)]
    forms += [f.replace("二千", "两千").replace("二百", "两百") for f in forms if "二千" in f or "二百" in f]
    return forms + ["二〇二四", "一二三", "〇", "两"]


def test_chinese_numerals_read_as_cn2an_reads_them():
    import cn2an

    from nlp.quantities.numerals import chinese_integer

    forms = _numerals()
    wrong = [(f, chinese_integer(f)) for f in forms if chinese_integer(f) != int(cn2an.cn2an(f.replace("两", "二"), "smart"))]
    assert len(forms) > 12_000 and not wrong, wrong[:10]


@pytest.mark.parametrize("text", ["五十六七", "三三百", "千", "百", "十百", "一千一千", "一百零", "零百一", "七十零"])
def test_malformed_chinese_numerals_are_refused(text):
    from nlp.quantities.numerals import chinese_integer

    with pytest.raises(ValueError, match="not a Chinese numeral"):
        chinese_integer(text)
