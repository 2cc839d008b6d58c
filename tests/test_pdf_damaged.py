"""Damaged PDFs give what they still hold: read in part, or refused with a named error.

Each damaged file is read in a worker process with a time limit (PDFium can
crash or hang where no Python timer reaches it). The damage is seeded: bit
flips, a cut, a zeroed block, a chunk written twice, a broken xref.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.errors import CorruptFileError, NoTextLayerError
from nlp.readers.pdf import read_pdf
from tests.conftest import EXAMPLES, SHARED
from tests.pdfmutate import KINDS, mutate, mutations, read_isolated

REAL = SHARED / "real-docs"
EXAMPLE_PDF = EXAMPLES / "jiangling-zsj-2024-self-evaluation.pdf"
# A spread of generators: Shanghai budgets and final accounts, Jiangsu budgets and tables, a Huai'an annual report.
REAL_SAMPLE = ("001-shpt-czj-2024-final.pdf", "013-shpt-wanli-2023-dept-budget.pdf", "025-js-swbgt-2017-budget-tables.pdf",
               "037-js-gy-2018-budget.pdf", "041-ha-city-2024-govinfo-annual.pdf")


def _check(outcomes: list) -> None:
    bad = [o for o in outcomes if o.status not in ("read", "partial", "refused")]
    assert not bad, f"damaged files not handled: {bad}"
    for o in outcomes:
        if o.status == "refused":
            assert o.error in ("CorruptFileError", "NoTextLayerError", "EncryptedFileError"), o


def test_generated_pdfs_damaged_are_read_in_part_or_refused_by_name(tmp_path):
    paths = mutations(EXAMPLE_PDF, 15, seed=11, folder=tmp_path)
    outcomes = read_isolated(paths, timeout=30)
    _check(outcomes)
    assert sum(o.status in ("read", "partial") for o in outcomes) >= len(outcomes) // 2


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-docs is not available")
def test_real_pdfs_damaged_are_read_in_part_or_refused_by_name(tmp_path):
    paths = [p for name in REAL_SAMPLE for p in mutations(REAL / name, len(KINDS), seed=3, folder=tmp_path)]
    outcomes = read_isolated(paths, timeout=60)
    _check(outcomes)
    # PDFium rebuilds broken indexes and reads past damaged pages: most damaged files still give pages.
    assert sum(o.status in ("read", "partial") for o in outcomes) >= 0.6 * len(outcomes)


def test_a_pdf_cut_short_gives_its_first_pages_with_a_warning(tmp_path):
    import random

    data = EXAMPLE_PDF.read_bytes()
    assert mutate(data, "truncate", random.Random(0))  # the mutation itself works
    cut = tmp_path / "cut.pdf"
    # Keep the first page's objects and lose the trailer.
    cut.write_bytes(data[: int(len(data) * 0.8)])
    try:
        doc = read_pdf(cut)
    except (CorruptFileError, NoTextLayerError):
        pytest.skip("this cut left no readable page")
    assert doc.lines
    assert doc.warnings, "a damaged file must say so"
    assert any(r.reader == "none" for r in doc.pages) or len(doc.pages) < 3


def test_garbage_after_the_header_is_refused_by_name(tmp_path):
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    with pytest.raises(CorruptFileError):
        read_pdf(path)
