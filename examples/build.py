"""Build the example report's DOCX (python-docx) and PDF (reportlab) from its source text.

    python examples/build.py
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.docgen import build_report_files  # noqa: E402

if __name__ == "__main__":
    source = HERE / "jiangling-zsj-2024-self-evaluation.txt"
    for path in build_report_files(source, HERE, running_header="江临市政务服务和数据管理局"):
        print(f"wrote {path.relative_to(HERE.parent)}")
