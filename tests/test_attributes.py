"""Roles, metrics and indicator dimensions of quantities in sentences written for these tests."""

from __future__ import annotations

import pytest

from nlp.quantities import extract_quantities


def _roles(text: str) -> list[str]:
    return [q.role for q in extract_quantities(text)]


@pytest.mark.parametrize(("text", "roles"), [
    pytest.param("年度工作目标：举办培训班12期；走访企业300家；", ["target", "target"], id="target-list-heading"),
    pytest.param("预期达到以下目标:一、巡检覆盖率达到95%;二、故障修复40次。", ["target", "target"], id="following-targets"),
    pytest.param("年度目标：新建站点8个。完成情况：新建站点9个。", ["target", "actual"], id="targets-then-results"),
    pytest.param("建成站点9个，较年度目标多1个", ["actual", "change"], id="gap-to-target-more"),
    pytest.param("建成站点7个，较目标少1个", ["actual", "change"], id="gap-to-target-less"),
    pytest.param("接通率比一季度的96.5%高出1.2个百分点", ["baseline", "change"], id="above-a-base"),
    pytest.param("满意率为93%，高于去年的88%", ["actual", "baseline"], id="higher-than-last-year"),
    pytest.param("平均等候时间由建厅之初的40分钟缩短到现在的12分钟", ["baseline", "actual"], id="from-a-moment"),
    pytest.param("上门次数由平均3次降至1次", ["baseline", "actual"], id="from-average"),
    pytest.param("整合前办理时限20个工作日，整合后压缩至5个工作日", ["baseline", "actual"], id="before-and-after"),
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
