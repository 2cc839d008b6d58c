"""Golden files pin the JSON of the example (text and PDF) and a digest of the sample's JSON.

The rule-based stages are pinned (``--no-classify``): categories change with every
retrained model and are tested on their own. Regenerate after an intended change with
``UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from nlp.tagging import Tagging
from tests.conftest import EXAMPLES, GOLDEN

UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _tagged(path: Path) -> dict:
    data = Tagging(classify=False).tag_file(path).to_dict()
    data["source"] = path.name
    return data


def _compare(data: dict, golden: Path) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if UPDATE or not golden.exists():
        golden.write_text(text, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"{golden.name} did not exist and was written; check it in")
    assert json.loads(golden.read_text(encoding="utf-8")) == json.loads(text)


@pytest.mark.parametrize("name", ["jiangling-zsj-2024-self-evaluation.txt", "jiangling-zsj-2024-self-evaluation.pdf",
                                  "jiangling-zsj-2024-self-evaluation.docx"])
def test_example_matches_golden(name, validate):
    data = _tagged(EXAMPLES / name)
    validate(data)
    _compare(data, GOLDEN / f"{name}.json")


def test_sample_matches_golden_digest(sample_path, validate):
    # The sample is not ours to copy: pin a digest of its JSON and a few counts, not its text.
    data = _tagged(sample_path)
    validate(data)
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    digest = {
        "sha256_of_json": hashlib.sha256(canonical).hexdigest(),
        "sections": len(data["sections"]),
        "paragraphs": len(data["paragraphs"]),
        "quantities": sum(len(p["quantities"]) for p in data["paragraphs"]),
        "indicators": len(data["indicators"]),
        "findings": [f["kind"] for f in data["findings"]],
    }
    _compare(digest, GOLDEN / "huizhou-sample.digest.json")


def test_example_formats_agree():
    text, pdf, docx = (_tagged(EXAMPLES / f"jiangling-zsj-2024-self-evaluation.{ext}") for ext in ("txt", "pdf", "docx"))
    for other in (pdf, docx):
        assert [p["text"] for p in other["paragraphs"]] == [p["text"] for p in text["paragraphs"]]
        assert other["indicators"] == text["indicators"]
        assert [f["message"] for f in other["findings"]] == [f["message"] for f in text["findings"]]
