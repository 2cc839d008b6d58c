"""Findings a reviewer can trust: one test per cause of a false or missed finding, on text written for the tests."""

from __future__ import annotations

import re

import pytest

from nlp.checks import CheckStage
from nlp.document import Table
from nlp.indicators import IndicatorStage
from nlp.messages import t
from nlp.pipeline import read_text_report
from nlp.quantities import QuantityStage


def _findings(text: str, tables: list[Table] | None = None) -> list:
    report = QuantityStage()(read_text_report(text))
    if tables:
        report.tables = tables
    return CheckStage()(IndicatorStage()(report)).findings


def _codes(text: str, severity: tuple[str, ...] = ("error", "warning", "info")) -> list[str]:
    return sorted(f.code for f in _findings(text) if f.severity in severity)


# --- values of different line items under one generic label never conflict --------------------

def test_generic_label_of_different_items_is_not_a_conflict():
    text = ("1.教育支出（类）普通教育（款）小学教育（项）。年初预算为320.50万元，支出决算为315.20万元，完成年初预算的98.35%。\n\n"
            "2.教育支出（类）普通教育（款）初中教育（项）。年初预算为410.00万元，支出决算为408.36万元，完成年初预算的99.60%。")
    assert _codes(text) == []


def test_same_item_stated_with_two_values_is_a_conflict():
    text = ("5.“住房保障支出（类）住房改革支出（款）提租补贴（项）”412.36万元，主要用于提租补贴。"
            "2025年当年预算执行数为405.10万元，2026年预算安排418.52万元，比2025年预算执行数增加1.79%。")
    findings = _findings(text)
    conflict = [f for f in findings if f.code == "conflict.same_measure"]
    assert len(conflict) == 1 and conflict[0].severity == "error"
    assert conflict[0].scope["item"] == "住房保障支出/住房改革支出/提租补贴" and conflict[0].scope["year"] == 2026


def test_prior_year_figure_of_the_item_is_not_a_conflict():
    text = ("3.“农林水支出（类）水利（款）防汛（项）”86.40万元，主要用于防汛。"
            "2025年当年预算执行数为80.00万元，2026年预算安排86.40万元，比2025年预算执行数增加8.00%。")
    assert _codes(text) == []


# --- different fund scope --------------------------------------------------------------------

def test_total_including_other_funds_is_not_the_appropriation_subtotal():
    text = ("某局2025年收入、支出预算总计9630.25万元，与上年相比增加120.00万元。\n\n"
            "某局2025年一般公共预算财政拨款支出预算9615.25万元，与上年相比增加118.00万元。")
    assert [f for f in _findings(text) if f.kind == "conflict"] == []


# --- policy rates are not changes ------------------------------------------------------------

def test_policy_rate_is_not_a_change():
    text = "2025年会议费预算支出86.20万元，比上年预算增加6.20万元，主要原因是新增专项会议，其余会议费按规定统一压减10%。"
    assert _codes(text) == []


# --- changes against the stated base ---------------------------------------------------------

def test_percent_checked_against_the_stated_prior_year_value():
    text = "2025年当年预算执行数为1250.00万元，2026年预算安排1100.00万元，比2025年预算执行数减少1.20%。"
    findings = _findings(text)
    assert [f.code for f in findings] == ["change.percent_mismatch"]
    assert findings[0].severity == "error"
    assert "12.00%" in findings[0].message


def test_base_in_brackets_is_used():
    text = "培训费42.60万元，比上年减少5.40万元（上年48.00万元），下降11.25%。"
    assert _codes(text) == []
    wrong = "培训费42.60万元，比上年减少5.40万元（上年49.00万元），下降11.25%。"
    assert "change.amount_mismatch" in _codes(wrong)


def test_increase_where_the_values_fall_is_a_direction_error():
    text = "2025年当年预算执行数为300.00万元，2026年预算安排260.00万元，比2025年预算执行数增加15.38%。"
    assert _codes(text) == ["change.direction"]


def test_change_leaving_a_negative_base_is_flagged():
    text = "政府性基金拨款支出预算0万元，比上年预算增加350.00万元。"
    assert _codes(text) == ["change.negative_base"]


def test_percent_of_a_change_beyond_rounding():
    text = "一般行政管理事务（项）支出2150万元，与上年相比增加30.5万元，增长0.14%。"
    findings = _findings(text)
    assert [(f.code, f.severity) for f in findings] == [("change.percent_mismatch", "error")]


def test_percent_off_by_one_last_digit_is_info():
    # 80 / 1170 = 6.8376…%: stated as 6.83 % (truncated), a rounding-level difference.
    text = "办公费1250.00万元，比上年增加80.00万元，增长6.83%。"
    assert [(f.code, f.severity) for f in _findings(text)] == [("change.percent_mismatch", "info")]


def test_change_of_another_item_is_not_checked_against_the_figure_before_it():
    text = "主要原因是增加档案数字化专项经费18.6万元，信息化运维经费增加25万元。"
    assert _codes(text) == []


# --- totals, shares and rounding -------------------------------------------------------------

def test_parts_within_rounding_are_info():
    text = "本年支出合计512.47万元，其中：基本支出300.25万元，项目支出212.21万元。"
    assert [(f.code, f.severity) for f in _findings(text)] == [("total.parts_sum", "info")]


def test_parts_beyond_rounding_are_an_error():
    text = "本年支出合计512.47万元，其中：基本支出300.25万元，项目支出202.21万元。"
    assert [(f.code, f.severity) for f in _findings(text)] == [("total.parts_sum", "error")]


def test_shares_are_checked_against_the_whole():
    ok = "本年支出合计400.00万元，其中：基本支出100.00万元，占25.00%；项目支出300.00万元，占75.00%。"
    assert _codes(ok) == []
    wrong = "本年支出合计400.00万元，其中：基本支出100.00万元，占52.00%；项目支出300.00万元，占75.00%。"
    assert _codes(wrong) == ["share.mismatch"]


def test_shares_of_one_whole_are_not_a_conflict():
    text = "本年支出合计400.00万元，其中：基本支出180.00万元，占45.00%；项目支出220.00万元，占55.00%。"
    assert [f for f in _findings(text) if f.kind == "conflict"] == []


def test_completion_rate_against_budget_and_actual():
    text = "4.某支出（类）某事务（款）某项目（项）。年初预算为200.00万元，支出决算为150.00万元，完成年初预算的75.00%。"
    assert _codes(text) == []
    wrong = "4.某支出（类）某事务（款）某项目（项）。年初预算为200.00万元，支出决算为150.00万元，完成年初预算的57.00%。"
    assert _codes(wrong) == ["share.mismatch"]


# --- shifted digits, bounds and the same figure in two places --------------------------------

def test_unrelated_figures_a_power_of_ten_apart_are_not_paired():
    text = ("本单位会议费预算支出158.44万元。\n\n"
            "本单位基本支出预算15844.04万元。")
    assert _codes(text) == []


def test_tenfold_gap_of_one_measure_is_a_warning():
    text = ("全年平台共受理网上咨询3120万次。\n\n"
            "平台全年受理网上咨询超312万次。")
    findings = _findings(text)
    assert [(f.code, f.severity) for f in findings] == [("conflict.shifted_digit", "warning")]


def test_one_measure_in_two_sections_is_a_conflict():
    text = ("一、收支预算总体情况\n\n某局2025年基本支出预算数为4120.36万元。\n\n"
            "二、支出预算情况\n\n某局2025年基本支出预算数为4120.66万元。")
    findings = [f for f in _findings(text) if f.kind == "conflict"]
    assert [(f.code, f.severity) for f in findings] == [("conflict.same_measure", "error")]


# --- narrative against the indicator table, and unmet targets with their reasons -------------

def _indicator_table(rows: list[list[str]]) -> Table:
    header = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "偏差原因分析及改进措施"]
    return Table("t01", "indicator", header, rows, None, None, 3, [3], "docx")


def test_narrative_against_indicator_table_at_any_distance():
    text = "全年共办理群众来信来访，按时办结率98.7%，群众满意度较高。"
    table = _indicator_table([["产出指标", "时效指标", "按时办结率", "≥95%", "98.2%", ""]])
    findings = _findings(text, [table])
    found = [f for f in findings if f.code == "conflict.narrative_vs_table"]
    assert len(found) == 1 and found[0].severity == "error"
    assert {e.table for e in found[0].evidence} == {None, "t01"}


def test_unmet_target_quotes_the_rows_own_reason():
    table = _indicator_table([["产出指标", "数量指标", "培训场次", "12场次", "9场次", "受疫情防控要求影响，3场培训改为线上辅导"]])
    [finding] = _findings("本年度开展业务培训。", [table])
    assert finding.code == "target.unmet" and finding.explained
    assert "改为线上辅导" in finding.explanation and "改为线上辅导" in finding.message


def test_unmet_target_quotes_a_narrative_reason():
    text = "五、存在问题\n\n档案数字化数量未达到年度目标，主要原因是扫描设备采购延迟。"
    table = _indicator_table([["产出指标", "数量指标", "档案数字化数量", "50000件", "42000件", ""]])
    [finding] = _findings(text, [table])
    assert finding.explained and "扫描设备采购延迟" in finding.explanation


def test_unmet_target_without_any_reason_says_so():
    table = _indicator_table([["产出指标", "数量指标", "巡查次数", "24次", "20次", "无"]])
    [finding] = _findings("本年度开展巡查工作。", [table])
    assert finding.explained is False and finding.explanation is None
    assert finding.message == t("finding.target.unmet", measure="巡查次数", target="24次", actual="20次", reason="")


# --- every finding carries what a reviewer needs ---------------------------------------------

def test_every_finding_has_code_severity_scope_and_evidence():
    text = ("2025年当年预算执行数为300.00万元，2026年预算安排260.00万元，比2025年预算执行数增加15.38%。\n\n"
            "本年支出合计512.47万元，其中：基本支出300.25万元，项目支出212.21万元。")
    findings = _findings(text)
    assert findings
    for finding in findings:
        assert finding.severity in ("error", "warning", "info") and "." in finding.code
        assert finding.scope is not None and finding.evidence
        assert all(e.quantity is not None for e in finding.evidence)


def test_figures_are_shown_in_the_unit_of_the_report(monkeypatch):
    monkeypatch.setenv("NLP_LANG", "en")
    text = "全年预算支出500.00万元，比上年减少100.00万元，减少25.00%。"
    [finding] = _findings(text)
    assert "600.00万元" in finding.message and "6000000" not in finding.message


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_finding_messages_in_both_languages(monkeypatch, lang):
    monkeypatch.setenv("NLP_LANG", lang)
    [finding] = _findings("政府性基金拨款支出预算0万元，比上年预算增加350.00万元。")
    assert ("倒推" in finding.message) == (lang == "zh")


def test_one_figure_changed_by_two_amounts_is_a_conflict():
    text = ("（1）一般公共预算收入预算18,420.50万元，与上年相比增加2,305.16万元，增长14.30%。\n\n"
            "某院2026年一般公共预算财政拨款支出预算18,420.50万元，与上年相比增加2,305.46万元，增长14.31%。")
    found = [f for f in _findings(text) if f.code == "conflict.change_values"]
    assert len(found) == 1 and found[0].severity == "error"


def test_changes_against_different_bases_are_not_a_conflict():
    text = ("某委员会收入预算5,210.40万元，其中：财政拨款收入5,210.40万元，比2025年预算执行数增加1,120.30万元。\n\n"
            "支出预算5,210.40万元，其中：财政拨款支出预算5,210.40万元，比2025年预算增加1,098.70万元。")
    assert [f for f in _findings(text) if f.code == "conflict.change_values"] == []


def _budget_table(rows: list[list[str]], caption: str | None = "单位：万元") -> Table:
    header = ["功能分类科目编码", "", "", "功能分类科目名称", "合计", "基本支出", "项目支出"]
    return Table("t02", "other", header, [["类", "款", "项", "", "", "", ""], *rows], caption, None, 11, [11], "pdf")


_TABLE_ROWS = [["221", "", "", "住房保障支出", "512.30", "512.30", ""],
               ["221", "02", "", "住房改革支出", "512.30", "512.30", ""],
               ["221", "02", "01", "住房公积金", "312.30", "312.30", ""],
               ["221", "02", "03", "购房补贴", "200.00", "200.00", ""]]


def test_narrative_against_a_budget_table_row():
    text = ("某局2026年部门预算\n\n一、财政拨款支出预算主要内容\n\n"
            "1.“住房保障支出（类）住房改革支出（款）住房公积金（项）”312.30万元，主要用于住房公积金。"
            "2025年当年预算执行数为300.00万元，2026年预算安排321.30万元，比2025年预算执行数增加7.10%。")
    found = [f for f in _findings(text, [_budget_table(_TABLE_ROWS)]) if f.code == "conflict.narrative_vs_table"]
    assert len(found) == 1 and found[0].severity == "error" and found[0].values == ["321.30万元", "312.30万元"]
    assert [e.table for e in found[0].evidence] == [None, "t02"]


def test_narrative_matching_a_budget_table_row_is_consistent():
    text = "2.“住房保障支出（类）住房改革支出（款）购房补贴（项）”200.00万元，2026年预算安排200.00万元。"
    assert [f for f in _findings(text, [_budget_table(_TABLE_ROWS)]) if f.kind == "conflict"] == []


def test_table_in_yuan_is_read_in_its_unit():
    rows = [[c if not re.fullmatch(r"\d+\.\d\d", c) else f"{int(float(c) * 10000):,}" for c in row] for row in _TABLE_ROWS]
    text = "2.“住房保障支出（类）住房改革支出（款）购房补贴（项）”200.00万元，2026年预算安排200.00万元。"
    assert [f for f in _findings(text, [_budget_table(rows, "单位：元")]) if f.kind == "conflict"] == []
    wrong = text.replace("预算安排200.00", "预算安排208.00")
    assert [f.code for f in _findings(wrong, [_budget_table(rows, "单位：元")]) if f.kind == "conflict"] == [
        "conflict.narrative_vs_table"]


def test_a_column_of_basic_spending_holds_only_that_part():
    # 三公经费 are stated whole in the narrative; the economic-classification table of basic spending
    # holds only their basic part, so the two are not the same measure.
    header = ["经济分类科目编码", "", "经济分类科目名称", "一般公共预算基本支出合计", "人员经费", "公用经费"]
    rows = [["类", "款", "", "", "", ""], ["302", "", "商品和服务支出", "96.00", "", "96.00"],
            ["302", "17", "公务接待费", "12.50", "", "12.50"]]
    table = Table("t08", "other", header, rows, "单位：万元", None, 18, [18], "pdf")
    text = ("某局2026年部门预算\n\n二、“三公”经费预算情况说明\n\n2026年“三公”经费预算数为60.00万元，其中：\n\n"
            "（三）公务接待费20.50万元，与2025年预算持平。")
    assert [f for f in _findings(text, [table]) if f.code == "conflict.narrative_vs_table"] == []
    whole = Table("t08", "other", [*header[:3], "合计", *header[4:]], rows, "单位：万元", None, 18, [18], "pdf")
    assert [f.code for f in _findings(text, [whole]) if f.kind == "conflict"] == ["conflict.narrative_vs_table"]


def test_prior_year_value_in_brackets_is_the_base():
    text = ("某局2026年部门预算\n\n2026年度部门支出预算安排与2025年度相比（2025年度部门支出预算安排为4,000.00万元），"
            "增加200.00万元，增长5.00%。")
    assert _codes(text) == []
    assert _codes(text.replace("增长5.00%", "增长4.76%")) == ["change.percent_mismatch"]


def test_narrative_stating_the_rows_target_is_not_a_conflict():
    text = "全市436个社区服务站已完成421个标准化改造，完成率96.6%。"
    table = _indicator_table([["产出指标", "数量指标", "社区服务站标准化改造数", "≥436个", "421个", "部分站点用房调整"]])
    assert [f.code for f in _findings(text, [table]) if f.kind == "conflict"] == []


def test_a_shortfall_against_the_target_is_not_a_value():
    text = "全年老旧小区改造数420个，较目标少80个，主要原因是部分小区居民意见未统一。"
    table = _indicator_table([["产出指标", "数量指标", "老旧小区改造数", "500个", "420个", ""]])
    findings = _findings(text, [table])
    assert [f.code for f in findings] == ["target.unmet"]
    assert "居民意见未统一" in findings[0].explanation


def test_a_long_run_of_bare_numbers_is_checked_in_linear_time():
    """Regression: every pair of 3,000 bare figures was compared, a regex over the text between them each time."""
    import time

    from nlp.tagging import Tagging

    text = "\n".join("，".join(f"{(i * 37 + j * 11) % 9000 + 100}.{j % 90 + 10}万元" for j in range(40)) for i in range(40))
    started = time.process_time()
    report = Tagging(classify=False).tag_text(text)
    assert sum(len(p.quantities) for p in report.paragraphs) >= 1500
    assert time.process_time() - started < 60  # hours before; a few seconds now
