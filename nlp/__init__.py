"""Read, tag and check Chinese government performance reports.

Importing ``nlp`` loads nothing heavy; the names below are resolved on first use.

>>> import nlp
>>> report = nlp.read_report("examples/jiangling-zsj-2024-self-evaluation.txt")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "read_report": "nlp.pipeline",
    "read_text_report": "nlp.pipeline",
    "Limits": "nlp.pipeline",
    "Pipeline": "nlp.pipeline",
    "Report": "nlp.document",
    "Section": "nlp.document",
    "Paragraph": "nlp.document",
    "Table": "nlp.document",
    "SCHEMA_VERSION": "nlp.document",
    "NlpError": "nlp.errors",
    "ReportError": "nlp.errors",
    "ModelError": "nlp.errors",
    "load_model": "nlp.classification",
    "Tagger": "nlp.classification",
    "extract_quantities": "nlp.quantities",
    "tag_file": "nlp.tagging",
    "tag_text": "nlp.tagging",
    "tag_report": "nlp.tagging",
    "batch": "nlp.batching",
    "BatchOptions": "nlp.batching",
    "FileResult": "nlp.batching",
    "PageProgress": "nlp.batching",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'nlp' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
