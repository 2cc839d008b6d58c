"""Read Chinese integer numerals below 万 (万 and 亿 are multipliers, read apart).

The extractor's numerals are runs of 零〇一二两三四五六七八九十百千; they are
read here rather than with cn2an, whose import compiles its patterns for
every mode and costs a third of a second, which a single ``tag`` run cannot
afford. ``tests/test_quantities.py`` checks this reader against cn2an on
every numeral from 0 to 9999, in full and abbreviated forms.
"""

from __future__ import annotations

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_integer(text: str) -> int:
    """Return the value of a Chinese numeral, or raise ValueError if it is not one.

    Positional (三千六百), abbreviated (三千六 = 3600, 二百五 = 250), with
    zeros (一千零五) and digit by digit (二〇二四):

    >>> [chinese_integer(s) for s in ("三千六百", "三千六", "一千零五", "十五", "两", "二〇二四")]
    [3600, 3600, 1005, 15, 2, 2024]
    >>> chinese_integer("五十六七")
    Traceback (most recent call last):
    ...
    ValueError: not a Chinese numeral: '五十六七'
    """
    if not text or any(ch not in DIGITS and ch not in UNITS for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if all(ch in DIGITS for ch in text):
        return int("".join(str(DIGITS[ch]) for ch in text))
    total, digit, smallest, zero = 0, -1, 10_000, False
    for position, ch in enumerate(text):
        if ch in UNITS:
            unit = UNITS[ch]
            if digit < 0 and position == 0 and unit == 10:
                digit = 1
            if digit < 0 or unit >= smallest:
                raise ValueError(f"not a Chinese numeral: {text!r}")
            total, digit, smallest, zero = total + digit * unit, -1, unit, False
        elif DIGITS[ch] == 0:
            # A zero stands for skipped places, between 百/千 and a digit (一千零五, 一百零五).
            if digit >= 0 or zero or position == 0 or smallest < 100 or position + 1 == len(text) or text[position + 1] not in DIGITS:
                raise ValueError(f"not a Chinese numeral: {text!r}")
            zero = True
        elif digit >= 0:
            raise ValueError(f"not a Chinese numeral: {text!r}")
        else:
            digit = DIGITS[ch]
    if digit >= 0:
        # A last digit straight after 百 or 千 is the next place down (三千六 = 3600).
        total += digit * (smallest // 10 if smallest > 10 and not zero and text[-2] in UNITS else 1)
    return total
