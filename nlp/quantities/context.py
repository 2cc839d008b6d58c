"""The text around a number: its clause and sentence before it, and its column header.

Clauses and sentences are read back from the number over a bounded window; short bracketed
qualifiers (村（社区）) are masked so that their brackets do not end a clause.
"""

from __future__ import annotations

import functools
import re

from nlp.quantities.tables import column_header

_CLAUSE_END = "，,。；;！？!?、\n（(）)|"
_SENTENCE_END = "。；;！？!?\n"
LEAD = re.compile(
    r"^(?:[一二三四五六七八九十]是|指标\d{1,2}[:：]?|加上|力争|确保|争取|拟|能够|可以|至少|不少于|不低于|不超过|截至目前|截至|截止|其中|此外|同时|另外|全年|全国|全省|全市|全县|全区|本年度|年度|累计|共计|合计|总计|共|已|均|分别是|分别为|分别|"
    r"本部门|本单位|我局|我市|市|\d{4}\s?年(?:度|末|底)?(?:\d{1,2}\s?月(?:底|末)?)?|\s|“|”)+")
TRAIL = re.compile(r"(?:累计|共计|合计|总数为|总计|共|已|(?<![平人日年月户])均|分别|达到了?|(?<![下送传抵])达|为|是|约|超过|超|突破|近|逾|:|：|\s|实际(?:完成值?)?|预计(?:完成|执行)?|本年|本期|上年同期|上年|去年|"
                    r"目标值|年度指标值|指标值|各|“|\"|(?<![量度本效益响标级])指标|完成值|的|(?<![实现拥具])有|至|到)+$")
# A short qualifier in brackets inside a name (村（社区）便民服务站, 因公出国（境）费) does not end
# the phrase; a heading number such as （一） does.
_QUALIFIER = re.compile(r"[（(](?![零〇一二三四五六七八九十]+[）)])[\u4e00-\u9fff]{1,4}[）)](?=[\u4e00-\u9fff])")
#: How far back a clause or sentence is looked for; bounds the work per number.
LOOK_BACK = 200


class _Prepared(str):
    """The normalised text, with its qualifier-masked twin (same length) for finding clause breaks."""

    masked: str


def prepare(norm: str) -> _Prepared:
    """Return ``norm`` with its qualifier-masked twin attached, for reading many numbers of one text."""
    text = _Prepared(norm)
    text.masked = _mask_qualifiers(norm)
    return text


def masked_slice(norm: str, low: int, high: int) -> str:
    """Return ``norm[low:high]`` with short bracketed qualifiers blanked out."""
    return norm.masked[low:high] if isinstance(norm, _Prepared) else _mask_qualifiers(norm[low:high])


def after_last(norm: str, start: int, delimiters: str) -> str:
    """Return the text before ``start`` from the last of ``delimiters`` on (qualifiers masked; ``LOOK_BACK`` at most)."""
    low = max(0, start - LOOK_BACK)
    masked = masked_slice(norm, low, start)
    last = _through_last(delimiters).match(masked)
    return norm[low + last.end():start] if last else norm[low:start]


@functools.lru_cache(maxsize=None)
def _through_last(delimiters: str) -> re.Pattern[str]:
    """Return the pattern that matches a text up to and through its last character of ``delimiters``."""
    return re.compile("(?s).*[" + re.escape(delimiters) + "]")


def _mask_qualifiers(text: str) -> str:
    """Return ``text`` with short bracketed qualifiers blanked out (same length), so brackets there are not breaks.

    >>> _mask_qualifiers("建成村（社区）便民服务站，（一）完成")
    '建成村____便民服务站，（一）完成'
    """
    if "(" not in text and "（" not in text:
        return text
    return _QUALIFIER.sub(lambda m: "_" * len(m.group()), text)


def clause_before(norm: str, start: int) -> str:
    """Return the part of the clause before ``start``."""
    return after_last(norm, start, _CLAUSE_END)


def sentence_before(norm: str, start: int) -> str:
    """Return the part of the sentence before ``start``."""
    return after_last(norm, start, _SENTENCE_END)


def plain_header(norm: str, start: int) -> str:
    """Return the column header of the cell at ``start``, without its notes ((A), (B/A×100%)), or ''."""
    header = column_header(norm, start) or ""
    return re.sub(r"[（(][^（()）]*[）)]", "", header).strip(" ：:")
