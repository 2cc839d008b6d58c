"""Shared fixtures: paths to the shared sample (skipped where absent) and generated files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NLP_SHARED_DIR", ROOT.parent / "shared"))
SAMPLE = SHARED / "samples" / "huizhou-zsj-2024-self-evaluation.txt"
GOLD = SHARED / "gold"
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    if not SAMPLE.is_file():
        pytest.skip("../shared/samples is not available")
    return SAMPLE


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    if not GOLD.is_dir():
        pytest.skip("../shared/gold is not available")
    return GOLD


@pytest.fixture(scope="session")
def sample_report(sample_path: Path):
    from nlp.pipeline import read_report

    return read_report(sample_path)


@pytest.fixture(scope="session")
def sample_files(sample_report, tmp_path_factory) -> dict[str, Path]:
    """The sample's content as a DOCX (python-docx) and a PDF (reportlab), built for this test run."""
    from tests.docgen import blocks_from_report, docx_to_pdf, write_docx

    out = tmp_path_factory.mktemp("sample-files")
    docx_path = write_docx(blocks_from_report(sample_report), out / "sample.docx")
    pdf_path = docx_to_pdf(docx_path, out / "sample.pdf", running_header=sample_report.metadata.department)
    return {"docx": docx_path, "pdf": pdf_path}


@pytest.fixture(scope="session")
def schema() -> dict:
    import json
    from importlib import resources

    return json.loads((resources.files("nlp") / "resources" / "report.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def validate(schema):
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)

    def check(data: dict) -> None:
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
        assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])

    return check


@pytest.fixture(autouse=True)
def _language_per_test(monkeypatch):
    """Start every test in the default language; a test's --lang or NLP_LANG does not leak into the next."""
    from nlp import messages

    monkeypatch.delenv(messages.ENV_VAR, raising=False)
    token = messages._chosen.set(None)
    yield
    messages._chosen.reset(token)
