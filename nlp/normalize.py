"""Normalise white space and character forms the way every stage expects.

PDF extraction puts spaces between Chinese characters and digits ("完成 1 万路")
and inside words broken by cell wrapping ("产出指 标"); they carry no meaning
in Chinese text and are removed. Spaces between two Latin words are kept.
"""

from __future__ import annotations

import re
import unicodedata

# A CJK ideograph or full-width punctuation mark.
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60\u2014-\u201f\u2026"
# Layout spaces: beside a Chinese character or a sign, and between two lone digits before 折 (7 2 折 is
# one discount, 72 %, as 七 二 折 is).
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}≥≤><=~±×%])[ \t\u00a0\u3000]+|[ \t\u00a0\u3000]+(?=[{_CJK}%])"
                             r"|(?<=(?<![\d.])\d)[ \t\u00a0\u3000]+(?=\d(?![\d.])[ \t\u00a0\u3000]*折)")
_RUNS = re.compile(r"[ \t\u00a0\u3000]+")


def squeeze(text: str) -> str:
    """Return ``text`` with layout spaces removed and other runs of spaces folded.

    >>> squeeze("完成 1 万路视频， 接通率 ≥ 90 %")
    '完成1万路视频，接通率≥90%'
    >>> squeeze("惠帮办 2.0 AI model")
    '惠帮办2.0 AI model'
    """
    text = _SPACE_NEAR_CJK.sub("", text.strip())
    return _RUNS.sub(" ", text)


def join_lines(left: str, right: str) -> str:
    """Join two wrapped lines: a space only between two Latin letters or digits.

    >>> join_lines("服务类采购预算1916.29", "万元等。")
    '服务类采购预算1916.29万元等。'
    >>> join_lines("open", "data")
    'open data'
    """
    if left and right and left[-1].isascii() and left[-1].isalpha() and right[0].isascii() and right[0].isalpha():
        return f"{left} {right}"
    return left + right


def nfkc(text: str) -> str:
    """Return the NFKC form, which maps full-width digits and signs to ASCII.

    >>> nfkc("１２３４５％")
    '12345%'
    """
    return unicodedata.normalize("NFKC", text)


# LaTeX and Markdown residue of converters, mapped to the characters they stand for.
_RESIDUE = [
    ("\\geqslant", "≥"), ("\\leqslant", "≤"), ("\\geq", "≥"), ("\\leq", "≤"), ("\\ge", "≥"), ("\\le", "≤"),
    ("\\times", "×"), ("\\%", "%"), ("\\approx", "≈"), ("\\sim", "~"), ("$", ""), ("**", ""),
]


# A pinyin gloss in brackets after a character: letters with at least one tone mark.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN = re.compile(rf"(?<=[\u4e00-\u9fff])[(（](?=[a-zü]{{0,6}}[{_TONED}])[a-zü{_TONED}]{{1,7}}[)）]")
_RESIDUE_START = re.compile(r"[\\$]|\*\*")
# A pair of dollar signs around LaTeX (\\geq, ^, _, braces) or around nothing but a number ($100$, $ 90 $):
# converter residue. Between them no Chinese, and the closing sign is not the next amount's ($5 $10).
_MATH_PAIR = re.compile(rf"\$\$|\$(?:[^$\n{_CJK}]{{0,80}}?[\\^_{{}}][^$\n{_CJK}]{{0,80}}?|[\d\s.,%]{{1,40}})\$(?!\s?\d)")
# A dollar sign that is a currency: before an amount (US$ 1,200, $500), outside such a pair.
_DOLLAR_AMOUNT = re.compile(r"\$(?=\s?\.?\d)")


def _currency_dollars(text: str) -> set[int]:
    """Return the positions of the dollar signs in ``text`` that are currencies, not LaTeX residue.

    >>> sorted(_currency_dollars("捐款$500和$300，HK$ 150"))
    [2, 7, 14]
    >>> sorted(_currency_dollars("目标值 $\\\\geq 90\\\\%$，完成$100$，另付$5"))
    [26]
    """
    math = {i for pair in _MATH_PAIR.finditer(text) for i in (pair.start(), pair.end() - 1)}
    return {sign.start() for sign in _DOLLAR_AMOUNT.finditer(text) if sign.start() not in math}


class MappedText:
    """Text normalised for matching (NFKC, converter residue undone), with a map back to the original.

    With ``drop_spaces``, layout spaces next to Chinese characters are dropped as :func:`squeeze`
    drops them (for matching numerals written 三千 八百). A dollar sign before a number with no
    closing ``$`` after it is a currency, not residue.

    >>> m = MappedText("目标值 $\\\\geq 90\\\\%$ ，完成１２个")
    >>> m.text
    '目标值 ≥ 90% ，完成12个'
    >>> m.original_span(m.text.index("≥"), m.text.index("%") + 1)
    (5, 14)
    >>> MappedText("报价$20，折合一 百 元", drop_spaces=True).text
    '报价$20，折合一百元'
    """

    def __init__(self, original: str, drop_spaces: bool = False) -> None:
        self.original = original
        if unicodedata.is_normalized("NFKC", original) and not _RESIDUE_START.search(original) and not (
                drop_spaces and _SPACE_NEAR_CJK.search(original)) and not _PINYIN.search(original):
            # The common case: nothing to change, positions map to themselves.
            self.text = original
            self._origin: list[int] | None = None
            return
        chars: list[str] = []
        origin: list[int] = []
        dollars = _currency_dollars(original) if "$" in original else set()
        i = 0
        while i < len(original):
            ch = original[i]
            token = None
            if ch == "$" and i in dollars:
                token = None  # $20, US$ 1,200: a currency sign
            elif ch in "\\$*":
                # Residue is matched on the folded text (\％ is \%), char for char as written.
                ahead = "".join(unicodedata.normalize("NFKC", c)[:1] or c for c in original[i:i + 12])
                token = next((p for p, _ in _RESIDUE if ahead.startswith(p) and (
                    not p[-1].isalpha() or not ahead[len(p):len(p) + 1].isalpha())), None)
            if token is not None:
                replacement = dict(_RESIDUE)[token]
                chars.extend(replacement)
                origin.extend([i] * len(replacement))
                i += len(token)
                continue
            # NFKC expansions (㎡ → m2) keep their first character's position.
            # A Chinese comma after ASCII digits is a list (20，300 is two numbers); between
            # full-width digits (１１１，１１１) it separates thousands.
            folded = ch if ch == "，" and not "０" <= original[i - 1:i] <= "９" else unicodedata.normalize("NFKC", ch) or ch
            chars.extend(folded)
            origin.extend([i] * len(folded))
            i += 1
        text = "".join(chars)
        drop = {i for space in _SPACE_NEAR_CJK.finditer(text) for i in range(space.start(), space.end())} \
            if drop_spaces else set()
        # Web copies gloss characters with their pinyin inside a word (物業(yè)管理, 60萬(wàn)度): not the text.
        drop.update(i for gloss in _PINYIN.finditer(text) for i in range(gloss.start(), gloss.end()))
        if drop:
            chars = [ch for i, ch in enumerate(chars) if i not in drop]
            origin = [o for i, o in enumerate(origin) if i not in drop]
            text = "".join(chars)
        if text != original and _RESIDUE_START.search(text):
            # Removing residue can bring residue together (\$% → \%): fold again until nothing changes.
            again = MappedText(text, drop_spaces)
            if again._origin is not None:
                text, origin = again.text, [origin[j] for j in again._origin]
        self.text = text
        self._origin = origin

    def position(self, original_index: int) -> int:
        """Return the index in :attr:`text` of the first character that came from ``original_index``."""
        if self._origin is None:
            return original_index
        import bisect

        return bisect.bisect_left(self._origin, original_index)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Return the span of the original text that ``text[start:end]`` came from."""
        if self._origin is None:
            return start, end
        if start >= len(self._origin):
            return len(self.original), len(self.original)
        first = self._origin[start]
        last = self._origin[end - 1] if end > start else first
        # The last character may stand for a longer source token (\\% for %).
        token = next((p for p, _ in _RESIDUE if p not in ("$", "**") and self.original.startswith(p, last)), None) \
            if self.original[last] == "\\" else None
        return first, last + (len(token) if token else 1)
