"""The numeral grammar (nlp/quantities/numerals.py): every way a report writes a number, read exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nlp.quantities.numerals import chinese_integer, fraction_value, read_numeral


@pytest.mark.parametrize(("text", "value", "multiplier"), [
    # Arabic
    pytest.param("2384.56", "2384.56", "1", id="arabic-decimal"),
    pytest.param("12,720,400", "12720400", "1", id="arabic-thousands"),
    pytest.param(".75", "0.75", "1", id="arabic-leading-point"),
    pytest.param("26k", "26", "1000", id="arabic-k"),
    pytest.param("6.8K", "6.8", "1000", id="arabic-capital-k"),
    # trailing multipliers stay apart from the value as written
    pytest.param("7952.87万", "7952.87", "10000", id="wan"),
    pytest.param("2.6万亿", "2.6", "1000000000000", id="wan-yi"),
    pytest.param("八千亿", "8000", "100000000", id="chinese-yi"),
    pytest.param("六万万", "6", "100000000", id="wan-wan"),
    # positional Chinese with sections anywhere
    pytest.param("三万六千八百零二", "36802", "1", id="sections-wan"),
    pytest.param("五千三百二十一万七千", "53217000", "1", id="wan-in-the-middle"),
    pytest.param("三亿零七百万", "307000000", "1", id="yi-zero-wan"),
    pytest.param("十二亿零三万零九", "1200030009", "1", id="zeros-between-sections"),
    pytest.param("两万三千亿", "2300000000000", "1", id="wan-before-yi"),
    pytest.param("八十七万亿三千万", "87000030000000", "1", id="wan-yi-then-wan"),
    pytest.param("三兆零五亿", "3000500000000", "1", id="zhao"),
    pytest.param("六万零二亿零五十万", "6000200500000", "1", id="wan-zero-yi"),
    pytest.param("一万亿零四亿", "1000400000000", "1", id="wan-yi-zero-yi"),
    pytest.param("六万三", "63000", "1", id="abbreviated-after-wan"),
    pytest.param("四十一万七", "417000", "1", id="abbreviated-after-wan-tens"),
    pytest.param("一百零十", "110", "1", id="zero-before-ten"),
    pytest.param("二〇二五", "2025", "1", id="digit-by-digit"),
    # 点 decimals
    pytest.param("三十八点零六", "38.06", "1", id="point"),
    pytest.param("七点五万", "7.5", "10000", id="point-then-wan"),
    pytest.param("九千万点二五", "90000000.25", "1", id="point-after-sections"),
    # financial and traditional numerals
    pytest.param("叁仟柒佰零伍", "3705", "1", id="financial"),
    pytest.param("贰拾萬零肆佰", "200400", "1", id="financial-traditional-wan"),
    pytest.param("陸億", "6", "100000000", id="traditional-yi"),
    pytest.param("兩千零八", "2008", "1", id="traditional-liang"),
    # mixed Arabic and Chinese
    pytest.param("6万2000", "62000", "1", id="mixed-wan-arabic"),
    pytest.param("3亿2万5千", "300025000", "1", id="mixed-places"),
    pytest.param("2千零50", "2050", "1", id="mixed-zero"),
    pytest.param("3千5", "3500", "1", id="mixed-abbreviated-tail"),
    pytest.param("2百5", "250", "1", id="mixed-abbreviated-hundreds"),
    pytest.param("3千50", "3050", "1", id="mixed-two-digit-tail"),
    pytest.param("1万2", "12000", "1", id="mixed-digit-after-wan"),
    pytest.param("１２．５万", "12.5", "10000", id="full-width-after-nfkc"),
    pytest.param("25千", "25", "1000", id="arabic-then-qian"),
    pytest.param("1,200千", "1200", "1000", id="thousands-then-qian"),
    pytest.param("1.5千", "1.5", "1000", id="decimal-then-qian"),
    pytest.param("3千", "3", "1000", id="digit-then-qian"),
    pytest.param("25千万", "25", "10000000", id="qian-then-wan"),
])
def test_numerals(text, value, multiplier):
    import unicodedata

    reading = read_numeral(unicodedata.normalize("NFKC", text))
    assert reading is not None
    assert (reading.value, reading.multiplier) == (Decimal(value), Decimal(multiplier))
    assert reading.upper is None and not reading.approximate


@pytest.mark.parametrize(("text", "least", "total"), [
    pytest.param("三十几万", True, "300000", id="ji-in-tens"),
    pytest.param("几百", True, "100", id="ji-leading"),
    pytest.param("两千零几", True, "2000", id="ji-after-zero"),
    pytest.param("数百万", True, "1000000", id="shu"),
])
def test_approximate_digits_read_as_their_least_value(text, least, total):
    reading = read_numeral(text)
    assert reading is not None and reading.approximate is least and reading.total == Decimal(total)


@pytest.mark.parametrize(("text", "low", "high"), [
    pytest.param("六七万", "6", "7", id="neighbours-before-wan"),
    pytest.param("二三百", "200", "300", id="neighbours-before-hundred"),
    pytest.param("三五千", "3000", "5000", id="three-or-five"),
    pytest.param("三十八九", "38", "39", id="last-place-twice"),
    pytest.param("四千五六", "4500", "4600", id="abbreviated-last-place-twice"),
])
def test_neighbouring_digits_are_ranges(text, low, high):
    reading = read_numeral(text)
    assert reading is not None and (reading.value, reading.upper) == (Decimal(low), Decimal(high))


@pytest.mark.parametrize("text", [
    pytest.param("十三五", id="plan-name"), pytest.param("七六", id="descending-pair"),
    pytest.param("三三百", id="double-digit"), pytest.param("千", id="bare-place"),
    pytest.param("五十七六", id="descending-last-place"), pytest.param("万三", id="starts-with-wan"),
    pytest.param("3千5千", id="repeated-place"), pytest.param("负五", id="sign-is-not-the-numeral's"),
    pytest.param("九" * 70, id="too-long"),
    pytest.param("五七千", id="two-apart"), pytest.param("一三亿", id="two-apart-before-yi"),
    pytest.param("一万两四千", id="two-apart-inside"), pytest.param("一万零四万", id="wan-zero-wan"),
])
def test_malformed_numerals_are_refused(text):
    assert read_numeral(text) is None


def test_financial_numerals_read_as_plain_ones():
    for plain, financial in (("一万二千三百四十五", "壹万贰仟叁佰肆拾伍"), ("九百零七", "玖佰零柒")):
        assert read_numeral(plain) == read_numeral(financial)


def test_chinese_integer_still_refuses_zero_at_the_end():
    with pytest.raises(ValueError):
        chinese_integer("一百零")


@pytest.mark.parametrize(("numerator", "denominator", "value"), [
    pytest.param(2, 3, "0.66666666666666666667", id="repeating-rounded-to-20-digits"),
    pytest.param(7, 8, "0.875", id="terminating-exact"),
    pytest.param(9, 3, "3", id="whole"),
])
def test_fraction_values(numerator, denominator, value):
    assert fraction_value(Decimal(numerator), Decimal(denominator)) == Decimal(value)


@pytest.mark.parametrize("text", ["一万二万", "一万五亿", "1万2万"])
def test_a_lone_digit_between_two_section_words_is_refused(text):
    assert read_numeral(text) is None
