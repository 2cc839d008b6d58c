"""Links need the same measure; paragraphs are tagged with the indicator rows they speak of (text of our own)."""

from __future__ import annotations

import pytest

from nlp.document import Table
from nlp.indicators import IndicatorRow, IndicatorStage, judge, parse_cell
from nlp.pipeline import read_text_report
from nlp.quantities import QuantityStage

HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "偏差原因分析及改进措施"]


def _links(text: str, rows: list[list[str]]):
    report = QuantityStage()(read_text_report(text))
    report.tables = [Table("t01", "indicator", HEADER, rows, None, None, 2, [2], "docx")]
    return IndicatorStage()(report).links


def _quantity_links(text: str, rows: list[list[str]]) -> list[tuple[str, str]]:
    return [(link.surface, link.kind) for link in _links(text, rows) if link.kind != "paragraph"]


def test_cumulative_count_is_not_the_rows_new_count():
    rows = [["产出指标", "数量指标", "新增编目数据资源数", "≥500类", "620类", ""]]
    found = _quantity_links("截至年底，全区累计编目数据资源7,310类。", rows)
    assert all(kind == "candidate" for _, kind in found)


def test_a_larger_total_of_the_same_object_is_at_most_a_candidate():
    rows = [["产出指标", "数量指标", "主题库建设", "4个", "4个", ""]]
    found = _quantity_links("累计建成2个基础库和15个主题库。", rows)
    assert ("15个", "same_measure") not in found


def test_a_rate_of_another_object_is_a_candidate():
    rows = [["产出指标", "质量指标", "档案扫描质检合格率", "≥95%", "100%", ""]]
    found = _quantity_links("监控视频合格率100%，运行平稳。", rows)
    assert ("100%", "same_measure") not in found


def test_the_rows_own_figure_is_a_same_measure_link():
    rows = [["产出指标", "数量指标", "上架数据产品数", "≥8个", "11个", ""]]
    found = _quantity_links("在省数据交易平台上架数据产品11个。", rows)
    assert ("11个", "same_measure") in found


def test_every_paragraph_is_tagged_with_the_rows_it_speaks_of():
    rows = [["产出指标", "质量指标", "平台发生重大安全事故次数", "0次", "0次", ""],
            ["产出指标", "数量指标", "上架数据产品数", "≥8个", "11个", ""]]
    text = "加强日常巡检，全年未发生重大安全事故。\n\n推进数据要素流通，上架数据产品11个。\n\n开展干部作风建设。"
    tags = {(link.paragraph, link.indicator) for link in _links(text, rows) if link.kind == "paragraph"}
    assert tags == {("p0001", "t01.r01"), ("p0002", "t01.r02")}


@pytest.mark.parametrize(("target", "actual", "status"), [
    ("0起", "0起", "met"), ("≥3批次", "3批次", "met"), ("12场次", "9场次", "not_met"), ("≥2期", "2期", "met"),
])
def test_counter_units_of_indicator_tables(target, actual, status):
    row = IndicatorRow("r", "t", "产出指标", "数量指标", "指标", target, actual,
                       target_quantity=parse_cell(target), actual_quantity=parse_cell(actual))
    assert judge(row)[0] == status
