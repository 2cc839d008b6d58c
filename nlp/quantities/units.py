"""Units, multipliers and comparators as data; the extraction patterns are built from these tables."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

#: 万/亿 factors as written after a number.
MULTIPLIERS: dict[str, Decimal] = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4,
                                   "千": Decimal(1000), "百": Decimal(100), "打": Decimal(12)}  # 十打 = 120

#: Currencies by name, symbol and code → (base unit, ISO 4217 code). 块/块钱/圆 are 元.
CURRENCIES: dict[str, tuple[str, str]] = {
    "元": ("元", "CNY"), "圆": ("元", "CNY"), "块钱": ("元", "CNY"), "元人民币": ("元", "CNY"), "人民币": ("元", "CNY"),
    "美元": ("美元", "USD"), "美金": ("美元", "USD"), "美圆": ("美元", "USD"), "港元": ("港元", "HKD"),
    "港币": ("港元", "HKD"), "澳门元": ("澳门元", "MOP"), "澳门币": ("澳门元", "MOP"), "日元": ("日元", "JPY"),
    "欧元": ("欧元", "EUR"), "英镑": ("英镑", "GBP"), "台币": ("新台币", "TWD"), "新台币": ("新台币", "TWD"),
    "澳元": ("澳元", "AUD"), "澳币": ("澳元", "AUD"), "加元": ("加元", "CAD"), "加币": ("加元", "CAD"),
    "韩元": ("韩元", "KRW"), "泰铢": ("泰铢", "THB"), "卢布": ("卢布", "RUB"), "卢比": ("卢比", "INR"),
    "新加坡元": ("新加坡元", "SGD"), "新西兰元": ("新西兰元", "NZD"), "瑞士法郎": ("瑞士法郎", "CHF"),
    "林吉特": ("林吉特", "MYR"), "奈拉": ("奈拉", "NGN"), "兰特": ("兰特", "ZAR"), "雷亚尔": ("雷亚尔", "BRL"),
    "比索": ("比索", "MXN"), "越南盾": ("越南盾", "VND"), "美分": ("美元", "USD"),
    "円": ("日元", "JPY"), "日圆": ("日元", "JPY"), "日币": ("日元", "JPY"), "英磅": ("英镑", "GBP"),
    "港圆": ("港元", "HKD"), "新台币元": ("新台币", "TWD"), "加拿大元": ("加元", "CAD"), "澳大利亚元": ("澳元", "AUD"),
    "新币": ("新加坡元", "SGD"), "印度卢比": ("卢比", "INR"), "马币": ("林吉特", "MYR"), "令吉": ("林吉特", "MYR"),
    "马来西亚林吉特": ("林吉特", "MYR"), "菲律宾比索": ("菲律宾比索", "PHP"), "墨西哥比索": ("比索", "MXN"),
    "印尼盾": ("印尼盾", "IDR"), "土耳其里拉": ("里拉", "TRY"), "里拉": ("里拉", "TRY"), "瑞典克朗": ("瑞典克朗", "SEK"),
    "挪威克朗": ("挪威克朗", "NOK"), "丹麦克朗": ("丹麦克朗", "DKK"), "法郎": ("瑞士法郎", "CHF"),
    "沙特里亚尔": ("沙特里亚尔", "SAR"), "迪拉姆": ("迪拉姆", "AED"), "阿联酋迪拉姆": ("迪拉姆", "AED"), "巴西雷亚尔": ("雷亚尔", "BRL"),
    "南非兰特": ("兰特", "ZAR"), "俄罗斯卢布": ("卢布", "RUB"), "韩币": ("韩元", "KRW"), "欧币": ("欧元", "EUR"),
    "美刀": ("美元", "USD"), "缅元": ("缅元", "MMK"), "缅币": ("缅元", "MMK"), "马克": ("马克", "DEM"),
    "克朗": ("克朗", ""),  # Swedish, Norwegian, Danish, Czech …: the currency is not said
}
#: Currency codes and symbols written before (or after) the amount: USD 100, ¥300, $20, 100 RMB.
CURRENCY_CODES: dict[str, tuple[str, str]] = {
    "USD": ("美元", "USD"), "US$": ("美元", "USD"), "$": ("美元", "USD"), "RMB": ("元", "CNY"), "CNY": ("元", "CNY"),
    "¥": ("元", "CNY"), "HKD": ("港元", "HKD"), "HK$": ("港元", "HKD"), "EUR": ("欧元", "EUR"), "€": ("欧元", "EUR"),
    "GBP": ("英镑", "GBP"), "£": ("英镑", "GBP"), "JPY": ("日元", "JPY"), "TWD": ("新台币", "TWD"),
    "NT$": ("新台币", "TWD"), "AUD": ("澳元", "AUD"), "A$": ("澳元", "AUD"), "CAD": ("加元", "CAD"),
    "C$": ("加元", "CAD"), "CHF": ("瑞士法郎", "CHF"), "KRW": ("韩元", "KRW"), "₩": ("韩元", "KRW"),
    "SGD": ("新加坡元", "SGD"), "S$": ("新加坡元", "SGD"), "MOP": ("澳门元", "MOP"), "MOP$": ("澳门元", "MOP"), "RUB": ("卢布", "RUB"),
    "₽": ("卢布", "RUB"), "INR": ("卢比", "INR"), "₹": ("卢比", "INR"), "THB": ("泰铢", "THB"),
    "NZD": ("新西兰元", "NZD"), "MYR": ("林吉特", "MYR"), "VND": ("越南盾", "VND"),
}
#: Codes also written after the amount (100 USD, 5000RMB), and the symbols other than $ (300€, 5600¥);
#: a $ after a number is too often the end of a formula.
CODES_AFTER = tuple(code for code in CURRENCY_CODES if code.isalpha() and code.isupper() or code in "€£¥₩₽₹")
#: Currency names also written before the amount (港币2000元, 美元100万): the amount's currency.
NAMES_BEFORE = tuple(name for name in CURRENCIES if name not in ("元", "圆", "块钱", "元人民币", "美分"))
#: A currency's fraction of its unit: 123元1角1分, 两美元又三美分.
SUBUNITS: dict[str, Decimal] = {"角": Decimal("0.1"), "毛": Decimal("0.1"), "分": Decimal("0.01"), "美分": Decimal("0.01"),
                              "銭": Decimal("0.01")}  # 銭 (sen): a hundredth of a yen

#: Money written in 角/毛 alone (五毛钱 = 0.5 元): what one of them is in 元.
MONEY_FRACTIONS: dict[str, Decimal] = {"毛钱": Decimal("0.1"), "角钱": Decimal("0.1"), "分钱": Decimal("0.01"),
                                       "毛": Decimal("0.1"), "角": Decimal("0.1")}
#: 毛/角 without 钱 are money only with 分 after them (三毛五, 3毛5分): alone they are names (三毛, 五角星).
MONEY_FRACTIONS_WITH_FEN = ("毛", "角")

#: Measures with a standard unit: unit → (kind, standard unit, factor to the standard unit).
# The factor to the standard unit is exact: a Fraction where the decimal would not end (1 亩 = 2000/3 m²).
MEASURES: dict[str, tuple[str, str, Decimal | Fraction]] = {
    # length
    "千米": ("length", "m", Decimal(1000)), "公里": ("length", "m", Decimal(1000)), "米": ("length", "m", Decimal(1)),
    "厘米": ("length", "m", Decimal("0.01")), "公分": ("length", "m", Decimal("0.01")),
    "毫米": ("length", "m", Decimal("0.001")), "英里": ("length", "m", Decimal("1609.344")),
    "海里": ("length", "m", Decimal(1852)), "延米": ("length", "m", Decimal(1)),
    "微米": ("length", "m", Decimal("0.000001")), "纳米": ("length", "m", Decimal("0.000000001")),
    "英寸": ("length", "m", Decimal("0.0254")), "英尺": ("length", "m", Decimal("0.3048")),
    "码": ("length", "m", Decimal("0.9144")), "km": ("length", "m", Decimal(1000)), "cm": ("length", "m", Decimal("0.01")),
    "mm": ("length", "m", Decimal("0.001")), "m": ("length", "m", Decimal(1)),
    "分米": ("length", "m", Decimal("0.1")), "光年": ("length", "m", Decimal("9460730472580800")),
    "公尺": ("length", "m", Decimal(1)), "nm": ("length", "m", Decimal("0.000000001")),
    "公厘": ("length", "m", Decimal("0.001")), "公釐": ("length", "m", Decimal("0.001")),
    "呎": ("length", "m", Decimal("0.3048")), "吋": ("length", "m", Decimal("0.0254")),
    "哩": ("length", "m", Decimal("1609.344")), "浬": ("length", "m", Decimal(1852)),
    "公克": ("weight", "kg", Decimal("0.001")),
    "dm": ("length", "m", Decimal("0.1")), "丈": ("length", "m", Fraction(10, 3)),
    "公寸": ("length", "m", Decimal("0.1")), "釐米": ("length", "m", Decimal("0.01")),
    "皮米": ("length", "m", Decimal("1E-12")), "市里": ("length", "m", Decimal(500)),
    "市尺": ("length", "m", Fraction(1, 3)), "市寸": ("length", "m", Fraction(1, 30)), "市亩": ("area", "m2", Fraction(2000, 3)),
    "尺": ("length", "m", Fraction(1, 3)), "寸": ("length", "m", Fraction(1, 30)),
    "英亩": ("area", "m2", Decimal("4046.8564224")), "平方分米": ("area", "m2", Decimal("0.01")),
    "平方毫米": ("area", "m2", Decimal("0.000001")), "平方英寸": ("area", "m2", Decimal("0.00064516")),
    "平方码": ("area", "m2", Decimal("0.83612736")),
    "立方分米": ("volume", "m3", Decimal("0.001")), "立方毫米": ("volume", "m3", Decimal("1E-9")),
    "立方英尺": ("volume", "m3", Decimal("0.028316846592")), "立方英寸": ("volume", "m3", Decimal("0.000016387064")),
    "分升": ("volume", "m3", Decimal("0.0001")), "厘升": ("volume", "m3", Decimal("0.00001")),
    "品脱": ("volume", "m3", Decimal("0.000473176473")), "夸脱": ("volume", "m3", Decimal("0.000946352946")),
    "微克": ("weight", "kg", Decimal("1E-9")), "公吨": ("weight", "kg", Decimal(1000)),
    # area
    "平方公里": ("area", "m2", Decimal(10) ** 6), "平方千米": ("area", "m2", Decimal(10) ** 6),
    "平方米": ("area", "m2", Decimal(1)), "平米": ("area", "m2", Decimal(1)), "平方厘米": ("area", "m2", Decimal("0.0001")),
    "亩": ("area", "m2", Fraction(2000, 3)), "公顷": ("area", "m2", Decimal(10000)),
    "平方英尺": ("area", "m2", Decimal("0.09290304")), "平方英里": ("area", "m2", Decimal("2589988.110336")),
    "m2": ("area", "m2", Decimal(1)), "km2": ("area", "m2", Decimal(10) ** 6), "平方": ("area", "m2", Decimal(1)),
    "cm2": ("area", "m2", Decimal("0.0001")), "mm2": ("area", "m2", Decimal("0.000001")),
    "平方公尺": ("area", "m2", Decimal(1)), "公亩": ("area", "m2", Decimal(100)),
    # weight
    "吨": ("weight", "kg", Decimal(1000)), "千克": ("weight", "kg", Decimal(1)), "公斤": ("weight", "kg", Decimal(1)),
    "克": ("weight", "kg", Decimal("0.001")), "毫克": ("weight", "kg", Decimal("0.000001")),
    "斤": ("weight", "kg", Decimal("0.5")), "两": ("weight", "kg", Decimal("0.05")),
    "磅": ("weight", "kg", Decimal("0.45359237")), "盎司": ("weight", "kg", Decimal("0.028349523125")),
    "克拉": ("weight", "kg", Decimal("0.0002")), "kg": ("weight", "kg", Decimal(1)), "t": ("weight", "kg", Decimal(1000)),
    "g": ("weight", "kg", Decimal("0.001")), "mg": ("weight", "kg", Decimal("0.000001")),
    "市斤": ("weight", "kg", Decimal("0.5")), "lb": ("weight", "kg", Decimal("0.45359237")),
    "lbs": ("weight", "kg", Decimal("0.45359237")), "oz": ("weight", "kg", Decimal("0.028349523125")),
    # volume
    "立方米": ("volume", "m3", Decimal(1)), "方": ("volume", "m3", Decimal(1)), "升": ("volume", "m3", Decimal("0.001")),
    "毫升": ("volume", "m3", Decimal("0.000001")), "公升": ("volume", "m3", Decimal("0.001")),
    "立方厘米": ("volume", "m3", Decimal("0.000001")), "m3": ("volume", "m3", Decimal(1)),
    "加仑": ("volume", "m3", Decimal("0.003785411784")), "L": ("volume", "m3", Decimal("0.001")),
    "立方": ("volume", "m3", Decimal(1)), "ml": ("volume", "m3", Decimal("0.000001")),
    "mL": ("volume", "m3", Decimal("0.000001")), "cc": ("volume", "m3", Decimal("0.000001")),
    "立方公里": ("volume", "m3", Decimal(10) ** 9), "立方千米": ("volume", "m3", Decimal(10) ** 9),
    # energy and power
    "千瓦时": ("energy", "kWh", Decimal(1)), "兆瓦时": ("energy", "kWh", Decimal(1000)),
    "千瓦": ("power", "kW", Decimal(1)), "兆瓦": ("power", "kW", Decimal(1000)),
    "瓦": ("power", "kW", Decimal("0.001")), "马力": ("power", "kW", Decimal("0.7354987")), "kW": ("power", "kW", Decimal(1)),
    "kWh": ("energy", "kWh", Decimal(1)), "度电": ("energy", "kWh", Decimal(1)), "度": ("energy", "kWh", Decimal(1)),
    "kW·h": ("energy", "kWh", Decimal(1)), "千瓦·时": ("energy", "kWh", Decimal(1)), "MWh": ("energy", "kWh", Decimal(1000)),
    "GWh": ("energy", "kWh", Decimal(10) ** 6), "吉瓦时": ("energy", "kWh", Decimal(10) ** 6),
    "MW": ("power", "kW", Decimal(1000)), "GW": ("power", "kW", Decimal(10) ** 6), "吉瓦": ("power", "kW", Decimal(10) ** 6),
    "焦耳": ("energy", "kWh", Fraction(1, 3600000)), "千焦": ("energy", "kWh", Fraction(1, 3600)),
    "兆焦": ("energy", "kWh", Fraction(5, 18)),
    # speed
    "千米每小时": ("speed", "m/s", Fraction(5, 18)), "公里每小时": ("speed", "m/s", Fraction(5, 18)),
    "公里/小时": ("speed", "m/s", Fraction(5, 18)), "km/h": ("speed", "m/s", Fraction(5, 18)),
    "英里每小时": ("speed", "m/s", Decimal("0.44704")), "千米/小时": ("speed", "m/s", Fraction(5, 18)),
    "英里/小时": ("speed", "m/s", Decimal("0.44704")),
    **{f"{km}{per}": ("speed", "m/s", Fraction(50, 3)) for km in ("公里", "千米") for per in ("每分钟", "/分钟")},
    **{f"{km}{per}": ("speed", "m/s", Decimal(1000)) for km in ("公里", "千米") for per in ("每秒", "/秒")},
    "km/min": ("speed", "m/s", Fraction(50, 3)), "km/s": ("speed", "m/s", Decimal(1000)),
    "码每秒": ("speed", "m/s", Decimal("0.9144")), "码/秒": ("speed", "m/s", Decimal("0.9144")),
    "码每分": ("speed", "m/s", Decimal("0.01524")), "码/分": ("speed", "m/s", Decimal("0.01524")),
    "米每秒": ("speed", "m/s", Decimal(1)), "米/秒": ("speed", "m/s", Decimal(1)), "m/s": ("speed", "m/s", Decimal(1)),
    # temperature
    "摄氏度": ("temperature", "℃", Decimal(1)), "℃": ("temperature", "℃", Decimal(1)),
    "°C": ("temperature", "℃", Decimal(1)),
}

#: Percent-like units → how many percent one of them is (三成 = 30 %, 千分之五 = 0.5 %).
PERCENT_SCALE: dict[str, Decimal] = {"%": Decimal(1), "‰": Decimal("0.1"), "‱": Decimal("0.01"), "成": Decimal(10),
                                     "折": Decimal(10), "个百分点": Decimal(1), "个基点": Decimal("0.01"), "基点": Decimal("0.01"),
                                     "個百分點": Decimal(1)}

#: Counter words (量词) of counts, the counters of 财预〔2021〕101号-style indicators included.
COUNTERS = (
    "人次", "场次", "户次", "件次", "架次", "批次", "项次", "个次", "家次", "车次", "班次", "例次", "份次", "台次",
    "期次", "册次", "课时", "学时", "台套", "次", "个", "项", "宗", "件", "条", "路", "人", "户", "家", "台", "套", "份",
    "场", "批", "期", "名", "支", "类", "单", "所", "座", "处", "张", "辆", "间", "栋", "层", "床", "顶", "篇", "部", "款", "位",
    "本", "册", "棵", "株", "头", "只", "核", "级", "届", "节", "门", "班", "例", "笔", "倍", "起", "双", "幅", "块",
    "组", "队", "轮", "片", "枚", "首", "集", "卷", "页", "字", "個", "雙", "段",
    "辆次", "头次", "只次", "架", "盏", "艘", "匹", "箱", "袋", "瓶")

#: unit → (kind, base unit). Longest units are tried first.
UNITS: dict[str, tuple[str, str]] = {
    # money
    **{name: ("money", base) for name, (base, _) in CURRENCIES.items() if name != "美分"},
    **{name: ("money", "元") for name in MONEY_FRACTIONS},
    # percent
    "%": ("percent", "%"), "個百分點": ("percent", "个百分点"), "‰": ("percent", "%"), "‱": ("percent", "%"), "个百分点": ("percent", "个百分点"),
    "成": ("percent", "%"), "折": ("percent", "%"), "个基点": ("percent", "基点"), "基点": ("percent", "基点"),  # 1 基点 = 0.01 %
    # time
    "个工作日": ("duration", "工作日"), "工作日": ("duration", "工作日"), "日历天": ("duration", "天"), "个小时": ("duration", "小时"),
    "小时": ("duration", "小时"), "分钟": ("duration", "分钟"), "秒": ("duration", "秒"), "天": ("duration", "天"), "日": ("duration", "天"),
    "个月": ("duration", "月"), "年": ("duration", "年"), "对": ("count", "对"), "周": ("duration", "周"), "个星期": ("duration", "周"),
    # age
    "周岁": ("age", "岁"), "岁": ("age", "岁"),
    # measures with a standard unit
    **{name: (kind, name) for name, (kind, _, _) in MEASURES.items()},
    "千米": ("length", "公里"),
    # score
    "分": ("score", "分"),
    # frequency-like count of periods
    "个季度": ("frequency", "季度"),
    # data volume
    "TB": ("other", "TB"), "PB": ("other", "PB"), "GB": ("other", "GB"), "G": ("other", "GB"), "T": ("other", "TB"),
    "Mbps": ("other", "Mbps"), "Gbps": ("other", "Gbps"), "M": ("other", "MB"), "MB": ("other", "MB"),
    "KB": ("other", "KB"), "字节": ("other", "B"), "千字节": ("other", "KB"), "兆字节": ("other", "MB"),
    "吉字节": ("other", "GB"), "太字节": ("other", "TB"), "拍字节": ("other", "PB"), "比特": ("other", "bit"),
    # frequency and pressure
    "赫兹": ("other", "Hz"), "赫": ("other", "Hz"), "千赫": ("other", "kHz"), "千赫兹": ("other", "kHz"),
    "兆赫": ("other", "MHz"), "兆赫兹": ("other", "MHz"), "吉赫": ("other", "GHz"), "吉赫兹": ("other", "GHz"),
    "Hz": ("other", "Hz"), "kHz": ("other", "kHz"), "MHz": ("other", "MHz"), "GHz": ("other", "GHz"),
    "帕": ("other", "Pa"), "千帕": ("other", "kPa"), "兆帕": ("other", "MPa"), "Pa": ("other", "Pa"),
    "kPa": ("other", "kPa"), "MPa": ("other", "MPa"), "兆比特": ("other", "Mbit"), "千比特": ("other", "kbit"),
    "吉比特": ("other", "Gbit"), "太比特": ("other", "Tbit"), "千兆字节": ("other", "GB"), "兆兆字节": ("other", "TB"),
    # voltage, apparent power, sound level (35千伏变电站, 2×50兆伏安, 噪声60分贝)
    "伏": ("other", "V"), "伏特": ("other", "V"), "千伏": ("other", "kV"), "kV": ("other", "kV"), "KV": ("other", "kV"),
    "千伏安": ("other", "kVA"), "兆伏安": ("other", "MVA"), "kVA": ("other", "kVA"), "MVA": ("other", "MVA"),
    "分贝": ("other", "dB"), "dB": ("other", "dB"), "千卡": ("other", "kcal"),
    # currency codes after the amount: 100 USD
    **{code: ("money", CURRENCY_CODES[code][0]) for code in CODES_AFTER},
    # computing power (算力): 200P = 200 PFLOPS
    "PFLOPS": ("other", "PFLOPS"), "PFlops": ("other", "PFLOPS"), "P": ("other", "PFLOPS"),
    # counts with their counter words
    **{word: ("count", word) for word in COUNTERS},
}

#: Units read only after a Chinese numeral (九年, 五十对): after Arabic digits they are years (2024年) or
#: the preposition 对 (对303家企业).
ONLY_AFTER_CHINESE = {"年", "对"}

#: Units that are never read after a Chinese numeral (一分 = a little, 一名 is fine).
NOT_AFTER_CHINESE = {"层", "分", "M", "G", "T", "P", "周", "门", "节", "本", "部", "秒", "级", "届", "倍", "方", "版", "字", "页",
                     "首", "集", "卷", "片", "轮", "组", "队", "幅", "枚", "码"}

#: Comparators written before a number, longest first, with their sign.
PREFIX_COMPARATORS: dict[str, str] = {
    "≥": ">=", "≤": "<=", ">=": ">=", "<=": "<=", ">": ">", "<": "<", "≧": ">=", "≦": "<=", "=": "=",
    "不低于": ">=", "不少于": ">=", "至少": ">=", "大于等于": ">=", "不小于": ">=",
    "不高于": "<=", "不超过": "<=", "最多": "<=", "小于等于": "<=", "不大于": "<=",
    "超过": ">", "超": ">", "逾": ">", "突破": ">", "大于": ">", "高于": ">", "多于": ">",
    "不到": "<", "不足": "<", "小于": "<", "低于": "<", "少于": "<",
    "约": "~", "近": "~", "大约": "~", "将近": "~", "接近": "~", "≈": "~", "~": "~",
    "约为": "~", "约合": "~", "差不多": "~", "大概": "~",
    "至多": "<=", "不多于": "<=", "最少": ">=", "不止": ">",
    "大于或等于": ">=", "小于或等于": "<=", "高于或等于": ">=", "低于或等于": "<=",
}

#: Comparators written after a number (and its unit).
SUFFIX_COMPARATORS: dict[str, str] = {"以上": ">=", "以下": "<=", "以内": "<=", "左右": "~", "上下": "~",
                                      "及以上": ">=", "及以下": "<="}

#: 余/多 between a number and its unit ("30余场次") mean "more than".
APPROX_MORE = ("余", "多")

#: 来 between a number and its unit ("十来个") means "about".
APPROX_ABOUT = ("来",)

#: Period words of frequencies ("每季度1次"), with periods per year.
PERIODS: dict[str, Decimal] = {"年": Decimal(1), "半年": Decimal(2), "季度": Decimal(4), "季": Decimal(4),
                               "月": Decimal(12), "周": Decimal(52), "日": Decimal(365), "天": Decimal(365)}
