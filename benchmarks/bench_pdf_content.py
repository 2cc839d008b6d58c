"""How much of what real PDF pages say reaches the report JSON: decimal numbers and CJK characters.

The reference is pdfplumber's ``extract_text`` of every page. Two counts of decimal numbers:

- *glued*: as ``../shared/tools/content_kept.py`` counts them, after removing every space from
  the reference, which joins the numbers of neighbouring table cells ("264.87 264.87" becomes
  "264.87264.87", counted as the number 264.87264): such numbers are on no page;
- *tokens*: the decimal numbers of each space-separated token of the reference.

The reports are made here (``--no-classify`` stages) unless ``--reports REPORTS.jsonl`` names a
batch output. ``NLP_PDF_READER=pdfplumber`` measures the earlier reader.

    python benchmarks/bench_pdf_content.py [--dir ../shared/real-docs] [--reports out/reports.jsonl] [-v]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NUMBER = re.compile(r"\d+\.\d+")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _norm(text: str) -> str:
    return re.sub(r"(?<=\d),(?=\d{3})", "", text.replace(" ", ""))


def _strings(value: Any, out: list[str]) -> list[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in ("sha256", "source"):
                _strings(item, out)
    elif isinstance(value, list):
        for item in value:
            _strings(item, out)
    elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
        out.append(str(value))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path,
                        default=Path(os.environ.get("NLP_SHARED_DIR", ROOT.parent / "shared")) / "real-docs")
    parser.add_argument("--reports", type=Path)
    parser.add_argument("-v", action="store_true", help="per file, with the numbers not found")
    args = parser.parse_args()
    import pdfplumber

    files = sorted(args.dir.glob("*.pdf"))
    reports: dict[str, dict] = {}
    if args.reports:
        for line in args.reports.read_text(encoding="utf-8").splitlines():
            if line.strip():
                data = json.loads(line)
                data = data.get("report", data)
                if data and data.get("source"):
                    reports[Path(data["source"]).name] = data
    else:
        from nlp.errors import ReportError
        from nlp.tagging import Tagging

        tagging = Tagging(classify=False)
        for path in files:
            try:
                reports[path.name] = tagging.tag_file(path).to_dict()
            except ReportError as exc:
                print(f"{path.name}: refused ({type(exc).__name__})")
    totals = collections.Counter()
    for path in files:
        with pdfplumber.open(path) as pdf:
            ref = "\n".join(page.extract_text() or "" for page in pdf.pages)
        got = collections.Counter(NUMBER.findall(_norm("\n".join(_strings(reports.get(path.name, {}), [])))))
        got_cjk = collections.Counter(CJK.findall("\n".join(_strings(reports.get(path.name, {}), []))))
        glued = collections.Counter(NUMBER.findall(_norm(ref)))
        tokens = collections.Counter(n for tok in ref.split() for n in NUMBER.findall(_norm(tok)))
        cjk = collections.Counter(CJK.findall(ref))
        row = {
            "glued": sum(glued.values()), "glued kept": sum(min(n, got[k]) for k, n in glued.items()),
            "tokens": sum(tokens.values()), "tokens kept": sum(min(n, got[k]) for k, n in tokens.items()),
            "cjk": sum(cjk.values()), "cjk kept": sum(min(n, got_cjk[k]) for k, n in cjk.items()),
        }
        totals.update(row)
        if args.v:
            missing = [k for k, n in tokens.items() if got[k] < n]
            print(f"{path.name}: numbers (tokens) {row['tokens kept']}/{row['tokens']}, glued {row['glued kept']}/"
                  f"{row['glued']}, CJK {row['cjk kept']}/{row['cjk']}" + (f"; not found {missing[:8]}" if missing else ""))
    print(f"{len(reports)} of {len(files)} PDFs read; decimal numbers kept: {totals['tokens kept'] / max(totals['tokens'], 1):.4f} "
          f"of {totals['tokens']} (tokens), {totals['glued kept'] / max(totals['glued'], 1):.4f} of {totals['glued']} "
          f"(glued, as content_kept.py counts); CJK characters kept {totals['cjk kept'] / max(totals['cjk'], 1):.4f} "
          f"of {totals['cjk']}")


if __name__ == "__main__":
    main()
