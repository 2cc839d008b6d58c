"""Units, multipliers and comparators as data; the extraction patterns are built from these tables."""

from __future__ import annotations

from decimal import Decimal

#: 万/亿 factors as written after a number.
MULTIPLIERS: dict[str, Decimal] = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4,
                                   "千": Decimal(1000), "百": Decimal(100)}

#: unit → (kind, base unit). Longest units are tried first.
UNITS: dict[str, tuple[str, str]] = {
    # money
    "元": ("money", "元"), "美元": ("money", "美元"), "港元": ("money", "港元"), "欧元": ("money", "欧元"),
    # percent
    "%": ("percent", "%"), "‰": ("percent", "‰"), "个百分点": ("percent", "个百分点"),
    # time
    "个工作日": ("duration", "工作日"), "工作日": ("duration", "工作日"), "小时": ("duration", "小时"),
    "分钟": ("duration", "分钟"), "秒": ("duration", "秒"), "天": ("duration", "天"), "个月": ("duration", "月"),
    "周": ("duration", "周"),
    # area and length
    "平方公里": ("area", "平方公里"), "平方米": ("area", "平方米"), "亩": ("area", "亩"), "公顷": ("area", "公顷"),
    "公里": ("length", "公里"), "千米": ("length", "公里"), "米": ("length", "米"),
    # score
    "分": ("score", "分"),
    # frequency-like count of periods
    "个季度": ("frequency", "季度"),
    # data volume
    "TB": ("other", "TB"), "PB": ("other", "PB"), "GB": ("other", "GB"), "G": ("other", "GB"), "T": ("other", "TB"),
    "Mbps": ("other", "Mbps"), "Gbps": ("other", "Gbps"), "M": ("other", "MB"),
    # computing power (算力): 200P = 200 PFLOPS
    "PFLOPS": ("other", "PFLOPS"), "PFlops": ("other", "PFLOPS"), "P": ("other", "PFLOPS"),
    # counts with their counter words
    **{word: ("count", word) for word in (
        "人次", "场次", "户次", "件次", "架次", "次", "个", "项", "宗", "件", "条", "路", "人", "户", "家", "台", "套", "份",
        "场", "批", "期", "名", "支", "类", "单", "所", "座", "处", "张", "辆", "间", "栋", "篇", "部", "款", "位",
        "本", "册", "棵", "株", "吨", "头", "只", "核", "级", "届", "节", "门", "班", "例", "笔", "份次", "台次", "倍")},
}

#: Units that are never read after a Chinese numeral (一分 = a little, 一名 is fine).
NOT_AFTER_CHINESE = {"分", "M", "G", "T", "P", "米", "周", "门", "节", "本", "部", "秒", "级", "届", "倍"}

#: Comparators written before a number, longest first, with their sign.
PREFIX_COMPARATORS: dict[str, str] = {
    "≥": ">=", "≤": "<=", ">": ">", "<": "<", "≧": ">=", "≦": "<=", "=": "=",
    "不低于": ">=", "不少于": ">=", "至少": ">=", "大于等于": ">=", "不小于": ">=",
    "不高于": "<=", "不超过": "<=", "最多": "<=", "小于等于": "<=", "不大于": "<=",
    "超过": ">", "超": ">", "逾": ">", "突破": ">", "大于": ">", "高于": ">", "多于": ">",
    "不到": "<", "不足": "<", "小于": "<", "低于": "<", "少于": "<",
    "约": "~", "近": "~", "大约": "~", "将近": "~", "接近": "~", "≈": "~", "~": "~",
}

#: Comparators written after a number (and its unit).
SUFFIX_COMPARATORS: dict[str, str] = {"以上": ">=", "以下": "<=", "以内": "<=", "左右": "~", "上下": "~"}

#: 余/多 between a number and its unit ("30余场次") mean "more than".
APPROX_MORE = ("余", "多")

#: Period words of frequencies ("每季度1次"), with periods per year.
PERIODS: dict[str, Decimal] = {"年": Decimal(1), "半年": Decimal(2), "季度": Decimal(4), "季": Decimal(4),
                               "月": Decimal(12), "周": Decimal(52), "日": Decimal(365), "天": Decimal(365)}
