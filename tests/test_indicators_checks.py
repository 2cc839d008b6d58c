"""Indicator rows, status rules, links and findings; the sample's indicator table and findings."""

from __future__ import annotations

import json

import pytest

from nlp.checks import CheckStage
from nlp.document import Table
from nlp.indicators import IndicatorRow, IndicatorStage, judge, parse_cell, rows_of
from nlp.pipeline import read_text_report
from nlp.quantities import QuantityStage


def _row(target: str, actual: str, name: str = "指标") -> IndicatorRow:
    row = IndicatorRow("r", "t", "产出指标", "数量指标", name, target, actual,
                       target_quantity=parse_cell(target), actual_quantity=parse_cell(actual))
    if row.actual_quantity and row.target_quantity and not row.actual_quantity.unit:
        row.actual_quantity.unit = row.target_quantity.unit
        row.actual_quantity.base_unit = row.target_quantity.base_unit
    return row


@pytest.mark.parametrize(("target", "actual", "name", "status"), [
    pytest.param("13套", "11套", "运维系统数", "not_met", id="count-short"),
    pytest.param("每季度1次", "每年4次", "更新次数", "met", id="frequency-per-year"),
    pytest.param("每季度1次", "每年2次", "更新次数", "not_met", id="frequency-short"),
    pytest.param("≤0次", "0次", "重大安全事故次数", "met", id="ceiling-zero"),
    pytest.param(">10000路", "37897", "视频质量治理", "met", id="floor-unitless-actual"),
    pytest.param("≥99%", "98.5%", "系统正常运行率", "not_met", id="rate-short"),
    pytest.param("≤1小时", "≤1小时", "故障修复响应时间", "met", id="ceiling-equal"),
    pytest.param("2小时", "3小时", "平均响应时间", "not_met", id="lower-is-better-plain"),
    pytest.param("≤680万元", "702.5万元", "项目成本", "not_met", id="cost-over"),
    pytest.param("90%", "100%", "合格率", "met", id="plain-floor"),
    pytest.param("按时完成", "按时完成", "完成时限", "met", id="qualitative"),
    pytest.param("有效提升", "明显", "服务水平", "not_comparable", id="qualitative-unknown"),
    pytest.param("20个", "95%", "覆盖", "not_comparable", id="units-differ"),
    pytest.param("六至八成", "70%", "覆盖率", "met", id="range-of-shares"),
    pytest.param("六至八成", "85%", "覆盖率", "not_met", id="range-of-shares-over"),
    pytest.param("3-5万元", "4万元", "补助标准", "met", id="range-in-wan"),
])
def test_status(target, actual, name, status):
    assert judge(_row(target, actual, name))[0] == status


def test_header_unit_applies_to_bare_numbers():
    table = Table("t01", "indicator", ["一级指标", "二级指标", "三级指标", "年度指标值（万元）", "实际完成值（万元）"],
                  [["成本指标", "经济成本指标", "项目总成本", "320", "298.6"]], None, None, None, [], "docx")
    [row] = rows_of(table)
    assert row.target_quantity.normalized == 3200000
    assert row.status == "met"


def test_sample_indicator_rows_match_gold(sample_report, gold_dir):
    gold = json.loads((gold_dir / "indicators-seed.json").read_text(encoding="utf-8"))["rows"]
    report = IndicatorStage()(QuantityStage()(sample_report))
    got = [{"level1": r.level1, "level2": r.level2, "name": r.name, "target": r.target, "actual": r.actual,
            "status": r.status} for r in report.indicators]
    assert got == gold


def _tagged_sample(sample_path):
    from nlp.pipeline import read_report

    return CheckStage()(IndicatorStage()(QuantityStage()(read_report(sample_path))))


def test_sample_findings(sample_path, gold_dir):
    gold = json.loads((gold_dir / "findings-seed.json").read_text(encoding="utf-8"))
    report = _tagged_sample(sample_path)
    for expected in gold["findings"]:
        matches = [f for f in report.findings if f.kind == expected["kind"] and
                   all(any(v.split("=")[-1].replace(" ", "") in " ".join(f.values).replace(" ", "") for v in [value])
                       for value in expected["values"][:1])]
        assert matches, f"not raised: {expected}"
    assert len(report.findings) == len(gold["findings"]), [f.message for f in report.findings]


def test_findings_carry_evidence_spans(sample_path):
    report = _tagged_sample(sample_path)
    for finding in report.findings:
        for evidence in finding.evidence:
            if evidence.table is not None:  # a table cell: the table, row and column say where
                assert evidence.start is None and evidence.row
                continue
            assert report.text[evidence.start:evidence.end] == evidence.text


@pytest.mark.parametrize("text", [
    pytest.param("2024年本部门全年预算收入7952.87万元，比上年减少3672.85万元，减少31.59%。", id="change-and-percent"),
    pytest.param("2024年本部门会议费0.54万元，与上年决算数1.81万元相比减少了1.27万元。", id="baseline-change"),
    pytest.param("安排经费8.82万元，其中：出国费0万元，用车费3.22万元，接待费5.6万元。", id="total-adds-up"),
    pytest.param("1337个便民服务站已完成1316个，完成率达98.4%。", id="rate-adds-up"),
    pytest.param("资产总原值13625.99万元较2023年底资产原值13585.52万元增加40.47万元。", id="asset-change"),
])
def test_consistent_figures_are_not_flagged(text):
    report = CheckStage()(IndicatorStage()(QuantityStage()(read_text_report(text))))
    assert report.findings == []


@pytest.mark.parametrize(("text", "kind"), [
    pytest.param("全年预算支出500万元，比上年减少100万元，减少25%。", "arithmetic", id="wrong-percent"),
    pytest.param("会议费0.54万元，与上年决算数1.81万元相比减少了1.37万元。", "arithmetic", id="wrong-change"),
    pytest.param("经费合计8.92万元，其中：用车费3.22万元，接待费5.6万元。", "arithmetic", id="wrong-total"),
    pytest.param("100个站点已完成90个，完成率达95%。", "arithmetic", id="wrong-rate"),
    pytest.param("全年受理工单86.42万件。\n\n热线全年受理工单86.24万件。", "conflict", id="conflict-digits"),
])
def test_inconsistent_figures_are_flagged(text, kind):
    report = CheckStage()(IndicatorStage()(QuantityStage()(read_text_report(text))))
    assert [f.kind for f in report.findings] == [kind]
