"""Property-based tests (hypothesis, derandomised, fixed budget) on quantities and structure recovery."""

from __future__ import annotations

import time
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.normalize import MappedText, squeeze
from nlp.pipeline import read_text_report
from nlp.quantities import extract_quantities
from nlp.quantities.units import MULTIPLIERS

PROFILE = settings(max_examples=300, derandomize=True, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow])

# Text that looks like reports: CJK, digits, units, punctuation, residue, and any other character.
REPORT_ALPHABET = st.sampled_from(list("0123456789.,，。；：、%％万亿元个项次宗件超约≥≤<>-至以上下余多每年季度月第一二两三十百千"
                                       "受理诉求接通率比上年增加减少目标值实际完成（）()“”$\\ \n\t") +
                                  ["\\geq", "**", "\f", "１２", "〔2024〕", "12345热线"])
REPORTISH = st.lists(REPORT_ALPHABET, max_size=120).map("".join)
ANY_TEXT = st.text(max_size=200)


@PROFILE
@given(st.one_of(REPORTISH, ANY_TEXT))
def test_extraction_never_raises_and_spans_index_the_text(text):
    for q in extract_quantities(text):
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start:q.end] == q.surface


@PROFILE
@given(st.one_of(REPORTISH, ANY_TEXT))
def test_values_round_trip_from_their_surface(text):
    for q in extract_quantities(text):
        assert q.normalized == q.value * q.multiplier * q.factor
        # The value is written in the surface (after NFKC, without separators).
        digits = MappedText(q.surface).text.replace(",", "").replace(" ", "")
        if q.value_text()[0].isdigit() and str(q.value) in digits:
            assert Decimal(str(q.value)) == q.value
        assert q.multiplier in set(MULTIPLIERS.values()) | {Decimal(1)}


@PROFILE
@given(st.one_of(REPORTISH, ANY_TEXT))
def test_normalisation_is_idempotent(text):
    once = MappedText(text).text
    assert MappedText(once).text == once
    assert squeeze(squeeze(text)) == squeeze(text)


@PROFILE
@given(st.one_of(REPORTISH, ANY_TEXT))
def test_structure_recovery_never_raises_and_spans_hold(text):
    if not text.strip():
        return
    report = read_text_report(text)
    for paragraph in report.paragraphs:
        assert report.text[paragraph.start:paragraph.end] == paragraph.text
    for section in report.sections:
        assert 0 <= section.start <= section.end <= len(report.text)


def test_extraction_time_is_linear_in_length():
    unit = "全年受理诉求202.58万宗，接通率98.62%，比上年增加3.5万元。" + "9" * 50 + "万万亿亿%%，，"
    timings = []
    for copies in (100, 800):
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            extract_quantities(unit * copies)
            runs.append(time.perf_counter() - started)
        timings.append(min(runs))
    # Eight times the input: about 8x the time when linear, 64x when quadratic. The bound is
    # loose because this machine may be busy; benchmarks/bench_quantities.py prints the figures.
    assert timings[1] / timings[0] < 24
