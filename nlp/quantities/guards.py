"""Decide whether a match of the quantity pattern is a quantity.

Years, dates, document numbers, ordinals, codes, list markers, numbers split by layout spaces
and numbers inside names (12345热线, 百千万工程, 一网通办) are not.
"""

from __future__ import annotations

import re
from typing import Any

from nlp.quantities.grammar import ROUND_WORDS, SHANG, alternation
from nlp.quantities.numerals import DIGITS
from nlp.quantities.units import COUNTERS, CURRENCIES, MEASURES, MONEY_FRACTIONS, NOT_AFTER_CHINESE, ONLY_AFTER_CHINESE, UNITS
from nlp.quantities.values import ROUND_PLACES, fold_numeral, has_section, only_places

# Numbers that are part of a name, not a measurement.
# 一 and a counter after the noun they count, before its amount (变压器一套18.8万元) or, for things built or
# bought, before a pause (海滨公园一座，); 发现一户，改造一户 and 公益一类 are no counts.
_AFTER_THE_NOUN = re.compile(r"(?:$|[，。；,;])")
_OBJECTS = ("座", "台", "套", "辆", "艘", "架", "栋", "间")  # (公诉一处 is an office)
# 一 and a unit of time before a pause or 内/以上/后: a span (有效期一年，, 一个月内), not 一年一度 or 一年四季.
_AFTER_A_SPAN = re.compile(r"(?:$|[，。；,;：:）)]|内|以内|之内|以上|以后|后|期满)")
_BEFORE_A_SPAN = re.compile(r"(?:^|期|为期|用|历时|经过|满|近|耗时|达|约|超过|不超过|需要|需|在|于|[，,：:（(])\s?$")  # (重要一年)
_CJK_BEFORE = re.compile(r"[\u4e00-\u9fff]$")
_SUBJECT_CODE = re.compile(r"[（(]\d{2,3}[类款][）)]")
# What stands around a month and day written as a fraction (截至6/30, 12/31前, 于3/15召开).
_DATE_BEFORE = re.compile(r"(?:于|截至|截止|截止到|截止至|每年|自)$")
_DATE_AFTER = re.compile(r"\s?(?:前|之前|以前|起|止|到期|日|号|当天)")
# After Arabic digits 年 is a year (2024年, 24年底), except a short span: 项目期限3年, 经过3-5年, 1.5年.
_SPAN_OF_YEARS = re.compile(r"(?:[1-9]|10)(?:\.5)?")
_YEAR_AFTER = re.compile(r"[月度底初末中级]")
# After a comparator, up to a hundred years are a span (设计使用年限 ≥20年, 服务年限不少于15年): no year is bounded so.
_BOUND_YEARS = re.compile(r"(?:[1-9]\d?|100)(?:\.5)?")
_NAME_AFTER = re.compile(r"^\s?(?:热线|政务服务便民热线|平台|工程|行动|战略|计划|系统|号|年|月|日|届|周年|版)")
_NAME_NUMERALS = re.compile(
    r"一件事|一本账|一张网|一张图|一网|一体|一批|一系列|一些|一线|一把手|两山|两张清单|两委|三化|三会一课|"
    r"四下基层|百千万|十四五|十五五|十三五|双授权|一站式|一窗|一次性|一号|一码|十万火急|一成不变|七折八扣|一波三折|"
    # slogans that name a policy (中央八项规定, 增强四个意识), not a count
    r"八项规定|四个意识|四个自信|四个全面|四个不摘|四个最严|四个伟大|两个维护|两个确立|两个责任|两个一百|两个毫不|"
    r"三个代表|三个务必|五个一批|五位一体|三个一批")
# A counter word that is really the first character of a word (二支部, 三个人).
_WORD_AFTER_UNIT = re.compile(
    r"^(?:支部|期间|项目|个人|条例|条件|部门|家庭|名单|台账|份额|场所|类型|级别|处理|间隙|本级|门户|套餐|所属|处室|届次|人员|"
    r"人才|人民(?!币)|户籍|户外|位置|张贴|单位|家长|起来|起草|方面|方案|方式|方法|方向|米粒|年级|年度|年代|年底|年初|年末|年中|"
    r"年份|年限|年报|年薪|年会|年检|年货|对接|对象|对比|对于|对标|对口|对话|对外|对应|对照|对策|对待|成本|成员|成果|成功|"
    r"成效|成绩|成熟|成立|成为|折合|折旧|折算|折扣|单元|类费|"
    # 元 that begins a word: 二元结构, 三元里, 2024元旦, 3元件, 一元复始, 四元数
    r"元(?:旦|素|件|器件|宵|年|首|老|气|化|论|组(?!合)|里|悖论|催化|复始|及第|数|帅|勋|音|代|朝|月|宝|凶|结构|[一二]次|函数|方程|对立))")
# A value, and up to two characters of its unit, just before a dash (百分之五-百分之十, 50万度-60万度): the dash
# parts a range, it is no sign; after a period (一季度-5%) it may be one.
DASH_AFTER_VALUE = re.compile(r"(?:\d|[零〇一二三四五六七八九十百千万亿两])[\u4e00-\u9fff%]{0,2}(?<!季度)(?<!年度)(?<![月年日号周])$")
# A project's phase (二期项目, 三期工程): the counter 期 before the name of what is built.
_PHASE = re.compile(r"^[\u4e00-\u9fff]{0,6}?(?:项目|工程|核心区)")
# What is built in phases (安置房三期, 工业园区四期): the counter 期 after it names a phase.
_PHASED = re.compile(r"(?:房|区|园|路|场|馆|厂|站|中心|工程|项目)$")
# A Chinese numeral and counter before a place-name character (五台山, 三门峡) are a name.
_PLACE_NAME = re.compile(r"^[山岭峰湖江河寺庙塔桥街巷村镇关沟峡岛]")
# Units that end the word only before punctuation or a few words (三成, 八折, 二两).
_ALONE = {"成": re.compile(r"^(?:$|[\s\d,.;:!?，。；：、）)”]|[以左上下多的和或至到优是来用在被将已]"
                         # 三成农户, 九成企业: a share of what follows, unless 成 begins a word (成本, 成员, 成都)
                         r"|(?![本员果功效绩熟立为交品人都年长型片套批规网线就分份色像形群事语文考全名家亲婚药衣材活才器"
                         r"行败真千百倍天日])[\u4e00-\u9fff])"),
          "折": re.compile(r"^(?!合|旧|算|叠|射|线|返|腾|损|服|中|痕|页|扣|价|现|成|抵|子|戏|扇|纸|尺|弯|断|磨|桂|光|角)"),
          "两": re.compile(r"^(?:$|[\s\d,.;:!?，。；：、）)”]|[的重左])"),
          # 日 is a span of days only before 内 (十日内, 30日以内); elsewhere a day of the month
          "日": re.compile(r"^(?:内|以内|之内)"),
          "马克": re.compile(r"^(?![思杯笔斯])")}
#: Units after which 一 is the number one (一公里, 一美元), not the word "a" (一个, 一批); a word that
#: begins with the unit's characters (一元化, 一米阳光) is not one.
_MEASURED = re.compile(
    "(?!元化|元论|元素|元首|元旦|元宵|元年|元气|元老|升级|升高|升温|升至|米阳光|米线|两个|克服|吨位)"
    + alternation([u for u in [*MEASURES, *CURRENCIES, *MONEY_FRACTIONS, "成", "折"] if not u.isascii() and u not in ("方", "码", "两", "寸", "尺", "丈")]
                   + ["%", "‰", "‱", "个百分点", "個百分點"]))
# 第1、2、3项, 第三、四批, 第1-3名: the numbers after the first of a list of ordinals are ordinals too.
_ORDINAL = r"[零〇一二两三四五六七八九十\d]+"
_ORDINAL_LIST = re.compile(rf"第\s?{_ORDINAL}(?:\s?[、,，]\s?{_ORDINAL})*\s?(?:[、,，和及]|至|到|-)\s?$")
# A run of ASCII that is an address or code: a number in it is not a quantity (…?q=30%25%2020%).
_CODE_RUN = re.compile(r"://|www\.|[?&][A-Za-z_]+=")
_ASCII_RUN = re.compile(r"[!-~]+")
_ONE_DIGIT = re.compile(r"\d")
# What stands before the last piece of a number spaced out: a lone digit (1 5 %) or a decimal point (15. 5%).
_SPACED_PIECE = re.compile(r"(?:(?<![\d.,])\d\s|\d\s?\.\s?)$")
# The last pieces of a number split by a space: 12 345元, 2 500 万元 (a group of three), 1. 5亿元, 1 .5亿元.
_SPLIT_GROUP = re.compile(r"(?<![\d.,])\d{1,3}[ \u00a0]$")  # a leading group has three digits at most
_SPLIT_POINT = re.compile(r"\d\s?\.\s?$")
_THREE_DIGITS = re.compile(r"\.|\d{3}(?![\d])")
# 点 alone before the number (点五%), and a decimal tail or digit spaced off after it (百分之 45 .5, 百分之1 5).
_LONE_POINT = re.compile(r"(?:^|[^\u4e00-\u9fff])[点點]$")
_SPLIT_TAIL = re.compile(r"\s?[.．点點]\s?[\d零〇一二三四五六七八九]|\s[.．\d]")
_SPLIT_TAIL_START = (" ", "\t", "\u00a0", "\u3000", ".", "．", "点", "點")
# A bound and the next cell of its row (抽验品种 ≥3 4 指标2, 人均培训学时 ≥90 96): one or two digits are no
# thousands group, so the bound is whole.
_NEXT_CELL = re.compile(r"\s\d{1,2}(?![\d.,，])")
# A list number before the amount: "1. 500万元用于…" at the start of a line or after a stop.
_LIST_MARKER = re.compile(r"(?:^|[\n。；;：:，,、）)])\s*\d{1,2}\.\s?$")
# A digit and a comma right before an Arabic number: the number is a piece of a longer one.
_AFTER_DIGIT_COMMA = re.compile(r"\d[,，]$")
# "4125.49,4143.91万元": after a number with decimals a comma parts a list; it groups no thousands.
_DECIMAL_BEFORE_COMMA = re.compile(r"\d\.\d+[,，]$")
# An ASCII comma with a space beside it between digits: 1, 111 or 15 ,123 (a group or a list, not told).
_SPACED_COMMA_BEFORE = re.compile(r"(?<![\d.])\d{1,3}(?: +,|, +| +, +)$")
_SPACED_COMMA_AFTER = re.compile(r"(?: +,|, +| +, +)\d{3}(?![\d.])")
_YEAR = re.compile(r"(19|20)\d\d")
# A funding round after the amount: US$1.2亿B轮融资 (a Latin letter that names the round, not a unit).
_FUNDING_ROUND = re.compile(r"(?:Pre-)?[A-F]\+?轮")


def acceptable(match: re.Match[str], g: dict[str, Any], before: str, after: str, codes: list[tuple[int, int]]) -> bool:
    """Return False for numbers that are names, ordinals, dates, years, codes or list markers."""
    num = g["num"] or g["den"] or g["anum"] or ""
    unit = g["unit"] or ""
    kind = UNITS.get(unit, ("", ""))[0]
    chinese = not num[:1].isdigit() and num[:1] != "."
    lead = before.rstrip()
    if lead.endswith(("第", "×", "*", "x", "X", "〔", "[", "【")) or (lead.endswith("(") and not unit and not g["code"]) or \
            _ORDINAL_LIST.search(lead):
        return False  # 第3项, 第1、2、3项
    if (not unit or unit == "年") and not (g["anum"] or g["den"]) and _NAME_AFTER.match(after):
        return False  # 12345热线; 三年行动: a name (三分之一工程量 is a share)
    if not (g["freq"] or g["prefix"] or g["code"] or g["sign"]
            or g["whole"] or g["awhole"]) and before[-1:].isascii() and before[-1:].isalpha():
        return False  # a number right after a Latin letter is part of a code or name: PM2.5, P2P, A3P
    if g["anum"] and not g["awhole"] and 1 <= int(g["anum"]) <= 12 and 1 <= int(g["aden"]) <= 31 and (
            _DATE_BEFORE.search(lead) or _DATE_AFTER.match(after)):
        return False  # 截至12/31, 6/30前: a month and a day
    if num.isdigit() and len(num) >= 6 and re.match(r"[A-Za-z]*\d", unit[-1:] + after if unit.isascii() else after):
        return False  # 12000022P10000210006W: a project's code
    if not unit and after[:1].isascii() and after[:1].isalpha() and not _FUNDING_ROUND.match(after):
        return False  # $3.5bn, 5A级: Latin letters the table does not know run on from the number
    if num[-1:] in ("k", "K") and _ONE_DIGIT.fullmatch(num[:-1]) and not g["code"] and \
            kind not in ("money", "percent") and unit != "块":
        return False  # 4K电视, 8K超高清: a resolution (or 5K跑, a distance), not thousands
    if (g["numer"] or "")[-1:] == "G" and _ONE_DIGIT.fullmatch(g["numer"][:-1].rstrip()):
        return False  # 百分之5G覆盖: the technology, not billions
    if unit in ("G", "T", "M", "g") and _ONE_DIGIT.fullmatch(num) and not g["code"]:
        return False  # 5G, 4G: a technology, not a volume
    if unit == "天" and after[:1] and after[:1] in "台津河水门山长峨":
        return False  # 1 天台县: a list number before a place (天台, 天津, 天水)
    if unit in ("类", "款", "项") and num.isdigit() and lead.endswith(("（", "(")) and after[:1] in ("）", ")") and (
            num.startswith("0") or len(num) == 3 or len(num) >= 5 or _SUBJECT_CODE.search(match.string, max(0, match.start() - 40),
                                                                         match.start())):
        return False  # 公共安全支出（204类）司法（06款）行政运行（01项）: the codes of a budget subject
    if unit == "次" and after.startswith("会议") and re.search(r"届[^，。；,;]{0,8}$", lead):
        return False  # 十二届全国人大五次会议: the fifth session, not five meetings
    if lead.endswith("每") and only_places(num) and (unit in ("人", "户", "名", "家") or after.startswith("人口")):
        return False  # 每百万人口报告数, 每万人拥有: the base of a rate, not a count
    if unit == "周" and after[:1] == "年":
        return False  # 成立70周年: an anniversary, not 70 weeks
    if num[-1:] == "兆" and not unit and not g["code"]:
        return False  # 1000兆宽带, 100兆光纤: megabits, not 10¹⁵ (3兆元 with its unit is 3×10¹²)
    if unit == "度" and not (g["mult"] or num[-1:] in ("万", "亿", "萬", "億")):
        return False  # 30度, 三度获评: degrees or times; 60万度 is electricity
    if g["sign"] and kind == "other":
        return False  # -2.5 M: no data volume or frequency is negative (a million, perhaps: not read)
    if unit in ("G", "T", "M", "P") and after[:1] in ("元", "美", "港", "欧"):
        return False  # 2.5M元: a million (not read), not a data volume
    if unit[-1:].isascii() and unit[-1:].isalpha() and after[:1].isascii() and after[:1].isalpha():
        return False  # 5min, 3mg: a Latin unit runs on into a word the table does not know
    if (before[-1:] in ("点", "點") and _LONE_POINT.search(before)) or (not g.get("spaced_cells") and
            after[:1] in _SPLIT_TAIL_START and _ends_with_digits(match) and _SPLIT_TAIL.match(after)
            and not (g["prefix"] and _NEXT_CELL.match(after))):
        return False  # 点五%, 百分之 45 .5: a decimal point apart from its number, which cannot be read safely
    if num[:1].isdigit() or num[:1] == ".":
        # A percent is not grouped in thousands: "96 100.00%" are two cells of a table.
        grouped = kind != "percent" and _SPLIT_GROUP.search(before) and _THREE_DIGITS.match(num)
        if before[-1:] in (" ", "\u00a0", ".") and not g.get("spaced_cells") and (grouped or (
                _SPLIT_POINT.search(before) and not _LIST_MARKER.search(before))):
            return False  # 12 345元, 1. 5亿元: the end of a number split by a space, which cannot be read safely
    if kind == "percent" and (num[:1].isdigit() or num[:1] == ".") and _SPACED_PIECE.search(before):
        return False  # 1 5 %, 15. 5%, 9 .5折: digits spaced out, which cannot be read safely
    if unit in _ALONE and not (_ALONE[unit].match(after) or g["suffix"] and _ALONE[unit].match(g["suffix"])):
        return False  # (15日以内: the comparator read with the number is what follows its unit)
    if unit == "日" and re.search(r"(?:月|月份|号)\s?$", lead):
        return False  # 5月30日内: a date
    if unit in ("方", "成", "折", "起", "米", "两", "元", "单") and _WORD_AFTER_UNIT.match(unit + after):
        return False
    if codes and any(low <= match.start() < high for low, high in codes):
        return False
    if unit in ONLY_AFTER_CHINESE and (not chinese or g["mult"] or has_section(num)) and not (
            unit == "年" and not chinese and (_SPAN_OF_YEARS.fullmatch(num) or g["prefix"] and _BOUND_YEARS.fullmatch(num)) and (
                not g["num2"] or _SPAN_OF_YEARS.fullmatch(g["num2"])) and not _YEAR_AFTER.match(after)):
        return False
    if _SPACED_COMMA_BEFORE.search(before) and re.match(r"\d{3}(?!\d)", num) or \
            _ends_with_digits(match) and _SPACED_COMMA_AFTER.match(after):
        return False  # 百分之1, 111 or 15 ,123个百分点: a thousands group spaced off, not read safely
    if chinese:
        if not (unit or g["den"] or g["mult"] or has_section(num + (g["num2"] or ""))) \
                or unit in NOT_AFTER_CHINESE or (fold_numeral(g["num"] or "") in ("一", "百", "千") and not (g["num2"] or g["tenth"] or g["half"] or g["jiao"] or g["fen"] or g["ge"] or (
                    fold_numeral(g["num"] or "") != "一" and g["more"]) or (
                    fold_numeral(g["num"] or "") != "一" and unit and g["num"] and _round_word_before(match)) or (
                    fold_numeral(g["num"] or "") == "一" and (_MEASURED.match(unit + after) or (
                        _CJK_BEFORE.search(lead) and (unit in COUNTERS and after[:1].isdigit() or
                                                      unit in _OBJECTS and _AFTER_THE_NOUN.match(after))) or (
                        kind == "duration" and _AFTER_A_SPAN.match(after) and _BEFORE_A_SPAN.search(lead)))))):
            return False
        if only_places(num) and lead.endswith("上") and not SHANG.search(lead):
            return False  # 以上万元, 线上千人: 上 ends another word
        if (fold_numeral(num)[:1] in ("百", "千") or fold_numeral(num) in ROUND_PLACES) and not (unit or g["den"]):
            return False  # 千万不要, 百万: a place alone is a number only before a unit (百亿元, 千万元)
        if lead.endswith(("“", "\"", "《", "「")):
            return False  # a quoted name: “两张清单”
        if unit and (_WORD_AFTER_UNIT.match(unit + after) or _PLACE_NAME.match(after)):
            return False
        if unit == "期" and (_PHASE.match(after) or _PHASED.search(lead)):
            return False  # 二期结构检测工程项目, 编目二期项目: a phase of a project, not a count
        lead3 = before[-3:]
        window = lead3 + match.group(0) + after[:3]
        if any(name.start() < len(lead3) + len(match.group(0)) and name.end() > len(lead3)
               for name in _NAME_NUMERALS.finditer(window)):
            return False  # a name that takes in the numeral (十四五, 一网通办), not one next to it
        if g["num"] in ("拾", "佰", "仟") and kind not in ("money", "percent") or \
                (unit == "两" and fold_numeral(num) == "两") or (unit == "折" and fold_numeral(num) == "十"):
            return False  # 拾起, 两两, 十折: words, not numbers (拾元, 拾成 are amounts)
        if len(fold_numeral(num)) >= 3 and all(ch in DIGITS for ch in fold_numeral(num)):
            return False  # 二〇二四: a year or a code, read digit by digit
    elif _YEAR.fullmatch(num) and not unit and not g["mult"]:
        return False
    elif before[-1:] in (",", "，") and _AFTER_DIGIT_COMMA.search(before) and match.start("num") == match.start() and (
            before.endswith(",") or num.startswith("0")) and not _DECIMAL_BEFORE_COMMA.search(before):
        return False  # 1，000% or 5,5%: a group or a decimal comma cut off, not a number of its own
    return True


def _ends_with_digits(match: re.Match[str]) -> bool:
    """Return whether the match ends with the digits of its number (no unit, no sign after them)."""
    text = match.group(0).rstrip()
    return bool(text) and (text[-1].isdigit() or text[-1] in DIGITS)


def _round_word_before(match: re.Match[str]) -> bool:
    """Return whether 上/近/逾/超/过/破 stand right before the numeral (上千元, 近千家), 上 as a word of its own."""
    before = match.string[:match.start("num")]
    return before[-1:] in ROUND_WORDS[1:] or bool(SHANG.search(before))


def code_runs(norm: str) -> list[tuple[int, int]]:
    """Return the spans of the runs of ASCII in ``norm`` that are addresses or code."""
    if not _CODE_RUN.search(norm):
        return []
    return [run.span() for run in _ASCII_RUN.finditer(norm) if _CODE_RUN.search(run.group())]
