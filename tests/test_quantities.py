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


@pytest.mark.parametrize(("text", "surface", "normalized", "unit", "kind"), [
    # whole Chinese numerals, sections anywhere
    pytest.param("全年节约资金一千二百三十四万元", "一千二百三十四万元", "12340000", "元", "money", id="cn-wan-yuan"),
    pytest.param("设备购置费三万七千六百元", "三万七千六百元", "37600", "元", "money", id="cn-wan-inside"),
    pytest.param("带动社会投资两亿零五百万元", "两亿零五百万元", "205000000", "元", "money", id="cn-yi-zero-wan"),
    pytest.param("支付款项贰拾叁万肆仟伍佰元整", "贰拾叁万肆仟伍佰元整", "234500", "元", "money", id="financial"),
    pytest.param("合同价款壹仟贰佰叁拾肆元伍角", "壹仟贰佰叁拾肆元伍角", "1234.5", "元", "money", id="financial-jiao"),
    pytest.param("办公耗材支出四百零六元二角八分", "四百零六元二角八分", "406.28", "元", "money", id="yuan-jiao-fen"),
    pytest.param("完成培训二十二点五学时", "二十二点五学时", "22.5", "学时", "count", id="cn-point"),
    pytest.param("安装终端6万2000台", "6万2000台", "62000", "台", "count", id="mixed-numeral"),
    pytest.param("政府债务余额1.5万亿元", "1.5万亿元", "1500000000000", "元", "money", id="wan-yi"),
    # percent-like forms, in percent
    pytest.param("同比下降百分之三点五", "百分之三点五", "3.5", "%", "percent", id="bai-fen-zhi"),
    pytest.param("不良率控制在千分之二以内", "千分之二以内", "0.2", "千分之", "percent", id="qian-fen-zhi"),
    pytest.param("差错率低于万分之五", "低于万分之五", "0.05", "万分之", "percent", id="wan-fen-zhi"),
    pytest.param("覆盖率达九成以上", "九成以上", "90", "成", "percent", id="cheng"),
    pytest.param("约六成半的企业完成改造", "约六成半", "65", "成", "percent", id="cheng-half"),
    pytest.param("耗材按七五折采购", "七五折", "75", "折", "percent", id="zhe-two-digits"),
    pytest.param("门票八折优惠", "八折", "80", "折", "percent", id="zhe"),
    pytest.param("占比提高一点二个百分点", "一点二个百分点", "1.2", "个百分点", "percent", id="cn-points"),
    pytest.param("发生率为3‰", "3‰", "0.3", "‰", "percent", id="per-mille-sign"),
    # signs
    pytest.param("增速为负1.8%", "负1.8%", "-1.8", "%", "percent", id="sign-fu"),
    pytest.param("利润总额-36.5万元", "-36.5万元", "-365000", "元", "money", id="sign-minus"),
    # fractions
    pytest.param("审批时间缩减至原来的四分之一", "四分之一", "0.25", "", "fraction", id="fraction-cn"),
    pytest.param("占全年任务的12分之7", "12分之7", "0.58333333333333333333", "", "fraction", id="fraction-arabic-fen-zhi"),
    pytest.param("约有2/5的站点完成改造", "2/5", "0.4", "", "fraction", id="fraction-slash"),
    pytest.param("已完成1/3工程量", "1/3", "0.33333333333333333333", "", "fraction", id="fraction-before-a-name-word"),
    pytest.param("占比提高到1/3", "1/3", "0.33333333333333333333", "", "fraction", id="fraction-after-dao"),
    pytest.param("累计完成一又四分之三批", "一又四分之三批", "1.75", "批", "count", id="fraction-mixed"),
    # currencies
    pytest.param("吸引外资8500万美元", "8500万美元", "85000000", "美元", "money", id="usd"),
    pytest.param("采购境外软件折合3.2万欧元", "3.2万欧元", "32000", "欧元", "money", id="eur"),
    pytest.param("在港发行债券20亿港币", "20亿港币", "2000000000", "港币", "money", id="hkd"),
    pytest.param("日本合作项目投入300万日元", "300万日元", "3000000", "日元", "money", id="jpy-not-a-date"),
    pytest.param("报价USD 4500", "USD 4500", "4500", "USD", "money", id="code-before"),
    # measures
    pytest.param("新建绿道12.6千米", "12.6千米", "12.6", "千米", "length", id="km"),
    pytest.param("完成造林3200亩", "3200亩", "3200", "亩", "area", id="mu"),
    pytest.param("清运垃圾1.2万吨", "1.2万吨", "12000", "吨", "weight", id="tonnes"),
    pytest.param("节约用电45万千瓦时", "45万千瓦时", "450000", "千瓦时", "energy", id="kwh"),
    pytest.param("蓄水1800立方米", "1800立方米", "1800", "立方米", "volume", id="cubic-metres"),
    pytest.param("用五年时间建成", "五年", "5", "年", "duration", id="years-after-chinese"),
    pytest.param("服务合同有效期一年，期满续签", "一年", "1", "年", "duration", id="one-year-span"),
    pytest.param("新建海滨公园一座，配套设施完善", "一座", "1", "座", "count", id="one-after-the-noun"),
    pytest.param("购置电锅炉一台。", "一台", "1", "台", "count", id="one-thing-bought"),
    pytest.param("标准厂房高4层", "4层", "4", "层", "count", id="floors"),
    pytest.param("储备棉被2000床", "2000床", "2000", "床", "count", id="chuang"),
    pytest.param("到期后半个月内完成验收", "半个月", "0.5", "个月", "duration", id="half-a-month"),
    pytest.param("收到投诉后十日内完成整改", "十日", "10", "日", "duration", id="days-before-nei"),
    pytest.param("工程设计使用年限 ≥20年", "≥20年", "20", "年", "duration", id="bounded-years"),
    pytest.param("药品抽验品种 ≥3 4 指标2", "≥3", "3", "", "other", id="bound-before-the-next-cell"),
    pytest.param("自受理之日起15日以内作出决定", "15日以内", "15", "日", "duration", id="days-before-yinei"),
    pytest.param("项目期限 3年", "3年", "3", "年", "duration", id="short-span-of-years-in-digits"),
    pytest.param("质保期1.5年", "1.5年", "1.5", "年", "duration", id="half-years-in-digits"),
    pytest.param("结成二十对帮扶对子", "二十对", "20", "对", "count", id="pairs-after-chinese"),
    pytest.param("投资两个亿", "两个亿", "200000000", "", "money", id="ge-yi"),
    pytest.param("每斤售价十二块五", "十二块五", "12.5", "块", "money", id="kuai-tenths"),
    pytest.param("平均身高一米七二", "一米七二", "1.72", "米", "length", id="metre-decimals"),
])
def test_every_written_form(text, surface, normalized, unit, kind):
    q = one(text)
    assert (q.surface, q.normalized, q.unit, q.kind) == (surface, Decimal(normalized), unit, kind)
    assert text[q.start:q.end] == q.surface


@pytest.mark.parametrize(("text", "low", "high"), [
    pytest.param("每户补贴两到三万元", "20000", "30000", id="lower-takes-wan"),
    pytest.param("单价五到六千元", "5000", "6000", id="lower-takes-place"),
    pytest.param("总投资一百八十到二百万元", "1800000", "2000000", id="both-chinese"),
    pytest.param("预计4-6亿元", "400000000", "600000000", id="dash-yi"),
    pytest.param("补助标准从6000到1.2万元", "6000", "12000", id="lower-keeps-its-own"),
    pytest.param("奖励1万元--3万元", "10000", "30000", id="unit-on-both"),
    pytest.param("投入七八百万元", "7000000", "8000000", id="neighbouring-digits"),
])
def test_ranges_put_the_multiplier_on_both_bounds(text, low, high):
    q = one(text)
    assert q.comparator == "range"
    assert (q.normalized, q.upper_normalized) == (Decimal(low), Decimal(high))


@pytest.mark.parametrize(("text", "comparator", "low", "high"), [
    pytest.param("清理十五六万条记录", "range", "150000", "160000", id="last-place-twice"),
    pytest.param("来访二十来人", "~", "20", None, id="lai-about"),
    pytest.param("受益群众数十万人", ">", "100000", None, id="shu-least"),
    pytest.param("花了几万元", ">", "10000", None, id="ji-wan"),
    pytest.param("损失数亿元", ">", "100000000", None, id="shu-yi"),
    pytest.param("投资两个多亿", ">", "200000000", None, id="ge-duo-yi"),
    pytest.param("投资一个亿", "=", "100000000", None, id="yi-ge-yi"),
    pytest.param("投资半个亿", "=", "50000000", None, id="ban-ge-yi"),
    pytest.param("惠及上万人", ">=", "10000", None, id="shang-wan"),
    pytest.param("服务近千家企业", "~", "1000", None, id="jin-qian"),
    pytest.param("接待逾万人次", ">", "10000", None, id="yu-wan"),
    pytest.param("按7 2 折结算", "=", "72", None, id="digits-spaced-by-layout"),
    pytest.param("覆盖率为3 成 5", "=", "35", None, id="share-spaced-out"),
    pytest.param("融资3千多万元", ">", "30000000", None, id="arabic-place-more-section"),
    pytest.param("补贴玖成伍", "=", "95", None, id="financial-tenth"),
    pytest.param("他们仨成交了仨单", "=", "3", None, id="sa-three"),
])
def test_loose_numerals(text, comparator, low, high):
    q = one(text)
    assert (q.comparator, q.normalized) == (comparator, Decimal(low))
    assert q.upper_normalized == (Decimal(high) if high else None)


def test_fractions_keep_numerator_and_denominator():
    q = one("约占总量的三分之一")
    assert (q.numerator, q.denominator) == (Decimal(1), Decimal(3))
    assert q.to_dict()["numerator"] == "1" and q.to_dict()["denominator"] == "3"


@pytest.mark.parametrize(("text", "currency"), [
    pytest.param("预算500万元", "CNY", id="yuan"), pytest.param("预算500万", "CNY", id="yuan-from-context"),
    pytest.param("融资2亿美元", "USD", id="usd"), pytest.param("引资300万英镑", "GBP", id="gbp"),
    pytest.param("报价¥800", "CNY", id="yen-sign"), pytest.param("出口额$5000", "USD", id="dollar-sign"),
    pytest.param("售价五百美刀", "USD", id="meidao"), pytest.param("当年投资300万马克", "DEM", id="mark"),
    pytest.param("援助2亿缅元", "MMK", id="kyat"), pytest.param("人民币拾元整", "CNY", id="lone-shi"),
])
def test_money_keeps_its_currency(text, currency):
    assert one(text).currency == currency


@pytest.mark.parametrize(("text", "unit", "value"), [
    pytest.param("修建道路3.5公里", "m", "3500", id="km-to-m"),
    pytest.param("流转土地150亩", "m2", "100000", id="mu-to-m2"),
    pytest.param("流转土地2.5万亩", "m2", "16666666.666666666667", id="mu-to-m2-repeating"),
    pytest.param("限速120km/h", "m/s", "33.333333333333333333", id="kmh-to-ms"),
    pytest.param("采购大米500斤", "kg", "250", id="jin-to-kg"),
    pytest.param("平均身高168公分", "m", "1.68", id="gongfen"),
])
def test_measures_have_a_standard_unit_apart(text, unit, value):
    q = one(text)
    assert q.standard_unit == unit and q.standard_value == Decimal(value)
    assert q.to_dict()["standard_unit"] == unit


# Dimensions: the unit as written, with 万/亿 applied; the standard value apart. A numeral never
# takes the 千/兆 of a unit (三千克 is 3 kg, not 3000 g), so value × multiplier stays right.
@pytest.mark.parametrize(("text", "surface", "normalized", "unit", "standard"), [
    pytest.param("全长75公里", "75公里", "75", "公里", "75000", id="gongli"),
    pytest.param("跑了12千米", "12千米", "12", "千米", "12000", id="qianmi-arabic"),
    pytest.param("跑了两千米", "两千米", "2", "千米", "2000", id="qianmi-chinese-digit"),
    pytest.param("一千米长跑", "一千米", "1", "千米", "1000", id="qianmi-one"),
    pytest.param("重三千克", "三千克", "3", "千克", "3", id="qianke-chinese-digit"),
    pytest.param("重2.3千克", "2.3千克", "2.3", "千克", "2.3", id="qianke-decimal"),
    pytest.param("重一万三千克", "一万三千克", "13000", "克", "13", id="qianke-inside-numeral"),
    pytest.param("线路全长四百五十二千米", "四百五十二千米", "452", "千米", "452000", id="qianmi-after-shi-bai"),
    pytest.param("新建一百零五千克级", "一百零五千克", "105", "千克", "105", id="qianke-after-ling"),
    pytest.param("储量3万千克", "3万千克", "30000", "千克", "30000", id="wan-qianke"),
    pytest.param("装机200兆瓦", "200兆瓦", "200", "兆瓦", "200000", id="zhaowa-not-trillion"),
    pytest.param("容量1兆字节", "1兆字节", "1", "兆字节", None, id="zhaozijie-not-trillion"),
    pytest.param("压力5兆帕", "5兆帕", "5", "兆帕", None, id="zhaopa"),
    pytest.param("频率2.4吉赫兹", "2.4吉赫兹", "2.4", "吉赫兹", None, id="jihezi"),
    pytest.param("装机容量2.5万千瓦", "2.5万千瓦", "25000", "千瓦", "25000", id="wan-qianwa"),
    pytest.param("发电120千瓦时", "120千瓦时", "120", "千瓦时", "120", id="qianwashi"),
    pytest.param("发电100kW·h", "100kW·h", "100", "kW·h", "100", id="kwh-dot"),
    pytest.param("光伏10MW", "10MW", "10", "MW", "10000", id="mw"),
    pytest.param("面积12.2平方公里", "12.2平方公里", "12.2", "平方公里", "12200000", id="pingfanggongli"),
    pytest.param("新建100㎡", "100㎡", "100", "m2", "100", id="square-metre-sign"),
    pytest.param("新建100m²", "100m²", "100", "m2", "100", id="m-superscript-2"),
    pytest.param("住房90平方", "90平方", "90", "平方", "90", id="pingfang-alone"),
    pytest.param("土石方20m³", "20m³", "20", "m3", "20", id="m-superscript-3"),
    pytest.param("蓄水30立方", "30立方", "30", "立方", "30", id="lifang-alone"),
    pytest.param("湿地3公顷", "3公顷", "3", "公顷", "30000", id="gongqing"),
    pytest.param("种植387万亩", "387万亩", "3870000", "亩", "2580000000", id="wan-mu"),
    pytest.param("饮用500毫升", "500毫升", "500", "毫升", "0.0005", id="haosheng"),
    pytest.param("每瓶30ml", "30ml", "30", "ml", "0.00003", id="ml"),
    pytest.param("每袋20g", "20g", "20", "g", "0.02", id="gram-latin"),
    pytest.param("每片500mg", "500mg", "500", "mg", "0.0005", id="mg"),
    pytest.param("四十克", "四十克", "40", "克", "0.04", id="chinese-ke"),
    pytest.param("十五斤半", "十五斤半", "15.5", "斤", "7.75", id="jin-and-half"),
    pytest.param("半公斤", "半公斤", "0.5", "公斤", "0.5", id="half-alone"),
    pytest.param("一公斤半", "一公斤半", "1.5", "公斤", "1.5", id="one-and-half"),
    pytest.param("一立方米", "一立方米", "1", "立方米", "1", id="one-lifangmi"),
    pytest.param("二两", "二两", "2", "两", "0.1", id="liang"),
    pytest.param("采购茶叶三斤二两", "三斤二两", "3.2", "斤", "1.6", id="jin-and-liang-compound"),
    pytest.param("称了5斤零3两", "5斤零3两", "5.3", "斤", "2.65", id="jin-ling-liang"),
    pytest.param("身高一米七五", "一米七五", "1.75", "米", "1.75", id="mi-and-digits"),
    pytest.param("面积5公亩", "5公亩", "5", "公亩", "500", id="gongmu"),
    pytest.param("时速60英里每小时", "60英里每小时", "60", "英里每小时", "26.8224", id="mph"),
    pytest.param("打了一成", "一成", "10", "成", None, id="one-cheng"),
    pytest.param("航行3海里", "3海里", "3", "海里", "5556", id="haili"),
    pytest.param("长10英里", "10英里", "10", "英里", "16093.44", id="yingli"),
    pytest.param("高3.5英尺", "3.5英尺", "3.5", "英尺", "1.0668", id="yingchi"),
    pytest.param("净重5磅", "5磅", "5", "磅", "2.26796185", id="bang"),
    pytest.param("共100盎司", "100盎司", "100", "盎司", "2.8349523125", id="angsi"),
    pytest.param("油箱5加仑", "5加仑", "5", "加仑", "0.01892705892", id="jialun"),
    pytest.param("负13.5千米", "负13.5千米", "-13.5", "千米", "-13500", id="negative-qianmi"),
    pytest.param("一光年", "一光年", "1", "光年", "9460730472580800", id="guangnian"),
    pytest.param("屏幕12吋", "12吋", "12", "吋", "0.3048", id="inch-hk"),
    pytest.param("存储1千兆字节", "1千兆字节", "1", "千兆字节", None, id="qianzhao-zijie"),
    pytest.param("新建35千伏变电站", "35千伏", "35", "千伏", None, id="qianfu-not-35000"),
    pytest.param("新建三十五千伏变电站", "三十五千伏", "35", "千伏", None, id="qianfu-chinese-numeral"),
    pytest.param("时速5公里每分钟", "5公里每分钟", "5", "公里每分钟", "83.333333333333333333", id="km-per-minute"),
    pytest.param("速度3km/s", "3km/s", "3", "km/s", "3000", id="km-per-second"),
    pytest.param("时速30英里/小时", "30英里/小时", "30", "英里/小时", "13.4112", id="mph-slash"),
    pytest.param("存储5兆兆字节", "5兆兆字节", "5", "兆兆字节", None, id="zhaozhao-zijie"),
    pytest.param("耕地30市亩", "30市亩", "30", "市亩", "20000", id="shimu"),
    pytest.param("宽5公寸", "5公寸", "5", "公寸", "0.5", id="gongcun"),
    pytest.param("冷库温度保持在零下18摄氏度", "零下18摄氏度", "-18", "摄氏度", "-18", id="below-zero"),
    pytest.param("噪声值60分贝", "60分贝", "60", "分贝", None, id="fenbei-not-a-score"),
    pytest.param("热量36千焦", "36千焦", "36", "千焦", "0.01", id="qianjiao"),
])
def test_dimensions(text, surface, normalized, unit, standard):
    q = one(text)
    assert (q.surface, str(q.normalized), q.unit) == (surface, normalized, unit)
    assert q.standard_value == (None if standard is None else Decimal(standard))


# Currencies by name, code and symbol, before or after the amount; 元 takes the currency named before it.
@pytest.mark.parametrize(("text", "surface", "normalized", "currency"), [
    pytest.param("这台电脑一美元", "一美元", "1", "USD", id="one-usd"),
    pytest.param("报价500円", "500円", "500", "JPY", id="yen-kanji"),
    pytest.param("贷款1000亿日圆", "1000亿日圆", "100000000000", "JPY", id="riyuan-variant"),
    pytest.param("兑换200克朗", "200克朗", "200", None, id="krone-not-gram"),
    pytest.param("兑换100加拿大元", "100加拿大元", "100", "CAD", id="canadian-dollar"),
    pytest.param("兑换5000印度卢比", "5000印度卢比", "5000", "INR", id="indian-rupee"),
    pytest.param("兑换30马币", "30马币", "30", "MYR", id="ringgit"),
    pytest.param("售价100 USD", "100 USD", "100", "USD", id="code-after"),
    pytest.param("售价5000RMB", "5000RMB", "5000", "CNY", id="rmb-after"),
    pytest.param("售价NT$300", "NT$300", "300", "TWD", id="nt-dollar"),
    pytest.param("港币两千九百六十元", "港币两千九百六十元", "2960", "HKD", id="name-before-yuan"),
    pytest.param("新台币 177.1 亿元", "新台币 177.1 亿元", "17710000000", "TWD", id="name-before-yi-yuan"),
    pytest.param("美元1000万", "美元1000万", "10000000", "USD", id="name-before-wan"),
    pytest.param("人民币伍仟元", "人民币伍仟元", "5000", "CNY", id="renminbi-financial"),
    pytest.param("需要1.2w元", "1.2w元", "12000", "CNY", id="w-for-wan"),
    pytest.param("投入百亿元", "百亿元", "10000000000", "CNY", id="place-alone-before-yi"),
    pytest.param("花了1万2元", "1万2元", "12000", "CNY", id="arabic-digit-after-wan"),
    pytest.param("共计82，225.00元", "82，225.00元", "82225", "CNY", id="full-width-thousands-with-decimals"),
    pytest.param("233,333，333,434.34元", "233,333，333,434.34元", "233333333434.34", "CNY", id="mixed-commas"),
    pytest.param("一百二十万零八百人民币", "一百二十万零八百人民币", "1200800", "CNY", id="renminbi-after"),
    pytest.param("合同额2.5M元", "2.5M元", "2500000", "CNY", id="m-for-million-before-yuan"),
    pytest.param("融资US$1.5 billion", "US$1.5 billion", "1500000000", "USD", id="english-scale-word"),
])
def test_currencies(text, surface, normalized, currency):
    q = one(text)
    assert (q.surface, str(q.normalized), q.kind, q.currency) == (surface, normalized, "money", currency)


# 角/毛/分 after 元/块 (零 allowed, 分 may be left out after 毛), and 角/毛 alone in 元.
@pytest.mark.parametrize(("text", "normalized"), [
    pytest.param("五元零五分", "5.05", id="ling-fen"),
    pytest.param("5块零5分", "5.05", id="kuai-ling-fen"),
    pytest.param("十块八毛五", "10.85", id="mao-then-bare-fen"),
    pytest.param("一块五毛", "1.5", id="one-kuai-mao"),
    pytest.param("每份五毛钱", "0.5", id="mao-alone"),
    pytest.param("1角钱", "0.1", id="jiao-alone"),
    pytest.param("5分钱", "0.05", id="fen-qian-not-a-score"),
    pytest.param("3毛5分", "0.35", id="mao-fen"),
    pytest.param("一毛五", "0.15", id="mao-bare-fen"),
    pytest.param("五块钱零五分", "5.05", id="kuai-qian-ling-fen"),
])
def test_money_subunits(text, normalized):
    assert str(one(text).normalized) == normalized


@pytest.mark.parametrize(("text", "normalized", "upper"), [
    pytest.param("百分之五至十", "5", "10", id="bai-fen-zhi-range"),
    pytest.param("千分之三至五", "0.3", "0.5", id="qian-fen-zhi-range"),
])
def test_percent_ranges_share_their_fraction_word(text, normalized, upper):
    q = one(text)
    assert (str(q.normalized), str(q.upper_normalized), q.comparator) == (normalized, upper, "range")


@pytest.mark.parametrize(("text", "low", "high"), [
    pytest.param("投资1~2亿", "100000000", "200000000", id="arabic-range-yi"),
    pytest.param("补贴3-5万", "30000", "50000", id="arabic-range-wan"),
    pytest.param("1.5万元至2万元人民币", "15000", "20000", id="units-of-one-base"),
])
def test_a_range_with_a_multiplier_needs_no_unit(text, low, high):
    q = one(text)
    assert (str(q.normalized), str(q.upper_normalized)) == (low, high)


# Two neighbouring digits are a range wherever they stand, never a two-digit number (一两万 is not 12万).
@pytest.mark.parametrize(("text", "low", "high"), [
    pytest.param("需要一两万元", "10000", "20000", id="yi-liang-wan"),
    pytest.param("需要两三万元", "20000", "30000", id="liang-san-wan"),
    pytest.param("单价三千五六百元", "3500", "3600", id="range-in-the-hundreds"),
    pytest.param("投入一百二三十万元", "1200000", "1300000", id="range-in-the-tens-before-wan"),
    pytest.param("花了一万两三千元", "12000", "13000", id="range-after-wan"),
    pytest.param("约三万五六元", "35000", "36000", id="bare-digits-after-wan"),
    pytest.param("一亿三四千万元", "130000000", "140000000", id="range-between-sections"),
])
def test_neighbouring_digits_are_a_range(text, low, high):
    q = one(text)
    assert (str(q.normalized), str(q.upper_normalized)) == (low, high)


def test_full_width_comma_between_two_numbers_keeps_them_apart():
    assert [str(q.normalized) for q in extract_quantities("分别为82，225元")] == ["82", "225"]  # 分别: one unit for both


def test_a_percent_with_a_fraction_stays_exact():
    q = one("占百分之三十三又三分之一")
    assert (q.numerator, q.denominator, q.unit) == (Decimal(100), Decimal(300), "%")
    assert q.normalized == Decimal("33.333333333333333333")


def test_a_name_next_to_a_numeral_does_not_hide_it():
    assert [q.surface for q in extract_quantities("每人补贴三百元，一网通办事项")] == ["三百元"]


@pytest.mark.parametrize(("text", "readings"), [
    pytest.param("增长百分之五到百分之十", [("5", "10")], id="percent-range-written-twice"),
    pytest.param("差错率千分之三至千分之五", [("0.3", "0.5")], id="permille-range-written-twice"),
    pytest.param("由百分之五十到百分之五", [("50", None), ("5", None)], id="descending-is-two"),
    pytest.param("从百分之五提高到百分之八", [("5", None), ("8", None)], id="a-verb-between-is-two"),
    pytest.param("百分之五、百分之八", [("5", None), ("8", None)], id="a-list-is-two"),
])
def test_a_share_range_written_twice_is_one_range(text, readings):
    got = [(str(q.normalized), q.upper_normalized and str(q.upper_normalized)) for q in extract_quantities(text)]
    assert got == readings


@pytest.mark.parametrize("text", [
    pytest.param("千万不要忘记", id="qianwan-adverb"),
    pytest.param("百万", id="place-alone-without-unit"),
    pytest.param("推进一元化管理", id="yiyuanhua"),
    pytest.param("覆盖5g网络", id="5g-lowercase"),
    pytest.param("一两天内", id="one-or-two-days"),
    pytest.param("系统一升级就好", id="sheng-ji"),
    pytest.param("画一颗五角星", id="wu-jiao-xing"),
    pytest.param("作家三毛", id="san-mao"),
    pytest.param("参与长三角三省一市工作", id="chang-san-jiao"),
    pytest.param("补助以上千元以下", id="yishang-qian"),
    pytest.param("线上万人", id="xianshang-wan"),
    pytest.param("影响上万", id="shang-wan-without-unit"),
    pytest.param("编号12，345", id="full-width-comma-without-decimals"),
    pytest.param("变化-2.5 M", id="negative-data-volume"),
    pytest.param("打 9 . 5 折", id="spaced-decimal-point"),
    pytest.param("增长15. 5%", id="space-after-decimal-point"),
    pytest.param("增长 1 5 %", id="spaced-percent-digits"),
])
def test_unit_words_that_are_no_quantities(text):
    assert extract_quantities(text) == []


@pytest.mark.parametrize(("text", "surfaces"), [
    pytest.param("其中：财政拨款 85 85 85 - 100% -", ["100%"], id="dash-after-a-row-of-numbers"),
    pytest.param("执行率 12.5 - 98% - 10", ["98%"], id="dash-before-another-empty-cell"),
    pytest.param("合格率保持在 80 - 90%", ["80 - 90%"], id="spaced-range-in-prose"),
    pytest.param("补助 12 5%-8%", ["5%-8%"], id="unspaced-range-after-a-cell"),
])
def test_a_dash_that_is_an_empty_cell_makes_no_range(text, surfaces):
    assert [q.surface for q in extract_quantities(text)] == surfaces


@pytest.mark.parametrize(("text", "direction", "sign"), [
    pytest.param("财政收入减少2.3亿元", "down", 1, id="verb-down"),
    pytest.param("营业收入同比增长-4.6%", "down", -1, id="negative-growth-is-down"),
    pytest.param("亏损额下降-2万元", "up", -1, id="negative-fall-is-up"),
    pytest.param("营业收入同比增长–4.6%", "down", -1, id="en-dash-as-minus"),
    pytest.param("营业收入同比增长‐4.6%", "down", -1, id="hyphen-as-minus"),
])
def test_sign_and_direction_never_disagree_silently(text, direction, sign):
    q = extract_quantities(text)[-1]
    assert q.role == "change" and q.direction == direction
    assert (q.value > 0) == (sign > 0)


def test_one_and_a_counter_before_its_amount_count_the_thing_bought():
    assert [q.surface for q in extract_quantities("购买变压器一套18.8万元；建设一个平台")] == ["一套", "18.8万元"]


def test_a_minus_spaced_off_after_wei_is_the_sign():
    assert [str(q.normalized) for q in extract_quantities("利息收入同比变动率为 - 4.2%")] == ["-4.2"]


@pytest.mark.parametrize("text", [
    pytest.param("详见https://example.gov.cn/list?page=2&rate=15%20", id="percent-in-url"),
    pytest.param("游览五台山景区", id="mountain-name"),
    pytest.param("这项工作一成不变", id="idiom-cheng"),
    pytest.param("从3方面推进", id="fang-mian"),
    pytest.param("十万火急", id="idiom-wan"),
    pytest.param("拾起地上的纸屑", id="shi-qi"),
    pytest.param("开展5min快速响应", id="latin-unit-runs-on"),
    pytest.param("对比2023年", id="arabic-year-is-no-duration"),
    pytest.param("计划于24年底完工", id="two-digit-year"),
    pytest.param("截至6/30已拨付", id="month-day-after-jiezhi"), pytest.param("接入1000兆宽带", id="zhao-is-mega-here"),
    pytest.param("庆祝新中国成立70周年", id="anniversary"), pytest.param("严格落实中央八项规定", id="eight-point-rules"),
    pytest.param("认真贯彻十二届全国人大五次会议精神", id="session-of-a-congress"),
    pytest.param("增强四个意识、坚定四个自信、做到两个维护", id="slogans"),
    pytest.param("公共安全支出（204类）司法（06款）行政运行（01项）", id="budget-subject-codes"),
    pytest.param("行政单位离退休(2080501项)支出", id="budget-subject-code-in-full"),
    pytest.param("发现一户，改造一户", id="one-by-one"), pytest.param("事业单位（公益一类）", id="class-of-institution"),
    pytest.param("所属二层单位", id="second-tier"), pytest.param("一年一度", id="once-a-year"),
    pytest.param("今年是实施规划的重要一年，", id="an-important-year"), pytest.param("下半个月", id="second-half-of-a-month"), pytest.param("4.公诉一处", id="an-office"), pytest.param("建校六十周年", id="anniversary-chinese"), pytest.param("须于12/31前报送", id="month-day-before-qian"), pytest.param("第3年起", id="ordinal-year"),
    pytest.param("3年级学生", id="school-grade-in-digits"), pytest.param("3年度", id="year-of-accounts"),
    pytest.param("三年级学生", id="school-grade"),
    pytest.param("每百万人口报告数", id="base-of-a-rate"), pytest.param("每万人拥有量", id="base-of-a-rate-ren"),
    pytest.param("药品监管企业数 ≥124 253", id="bound-before-a-possible-thousands-group"),
    pytest.param("须于2024年5月30日内完成", id="a-date-before-nei"), pytest.param("每月10日前报送", id="day-of-the-month"),
    pytest.param("九十年代以来", id="decade"),
    pytest.param("实施攻坚三年行动", id="three-year-programme"),
    pytest.param("推动自贸区3.0版谈判", id="version"),
])
def test_more_names_and_codes_are_not_quantities(text):
    assert extract_quantities(text) == []


def test_counters_of_indicator_tables():
    found = extract_quantities("开展培训3批次，检查45项次，服务1200人次，处理事故2起，采购设备6台套")
    assert [(q.value, q.unit) for q in found] == [(Decimal(3), "批次"), (Decimal(45), "项次"), (Decimal(1200), "人次"),
                                                  (Decimal(2), "起"), (Decimal(6), "台套")]


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


def test_amounts_up_to_ten_trillion_read_back_as_cn2an_writes_them():
    """Random amounts with zeros inside, in lower-case numerals, financial numerals and the 元角分 form."""
    import random

    import cn2an

    rng = random.Random(20261201)
    wrong = []
    for _ in range(500):
        digits = [str(rng.randrange(1, 10))] + [
            "0" if rng.random() < 0.35 else str(rng.randrange(10)) for _ in range(rng.randrange(1, 13))]
        whole = int("".join(digits))
        amount = Decimal(whole) + Decimal(rng.choice([0, rng.randrange(1, 100)])) / 100
        for text, want in ((f"本项目共支出{cn2an.an2cn(str(whole), 'low')}元。", Decimal(whole)),
                           (f"合同金额人民币{cn2an.an2cn(str(whole), 'up')}元整。", Decimal(whole)),
                           (f"大写：{cn2an.an2cn(str(amount), 'rmb')}", amount)):
            got = [q.normalized for q in extract_quantities(text) if q.kind == "money"]
            if got != [want]:
                wrong.append((text, want, got))
    assert not wrong, wrong[:5]


@pytest.mark.parametrize("text", ["五十六七", "三三百", "千", "百", "十百", "一千一千", "一百零", "零百一", "七十零"])
def test_malformed_chinese_numerals_are_refused(text):
    from nlp.quantities.numerals import chinese_integer

    with pytest.raises(ValueError, match="not a Chinese numeral"):
        chinese_integer(text)


@pytest.mark.parametrize(("text", "surface", "comparator"), [
    pytest.param("受益人数>=21933人", ">=21933人", ">=", id="ascii-at-least"),
    pytest.param("投诉率<=5%", "<=5%", "<=", id="ascii-at-most"),
    pytest.param("目标值≧20000亩", "≧20000亩", ">=", id="full-width-at-least"),
])
def test_comparators_written_in_ascii_keep_their_sign(text, surface, comparator):
    """Regression: `>=21933人` was read as `=21933人`, an exact value, losing the bound."""
    [q] = extract_quantities(text)
    assert (q.surface, q.comparator) == (surface, comparator)
