"""Print the links from narrative to indicator rows on the sample and the example, for checking by hand.

Each link is printed with its kind (same_measure, candidate, paragraph), the
narrative text around it and the row it points to. With ``--judged FILE`` (a
JSON object mapping "file|paragraph|quantity|indicator" to true/false, written
by a person reading the output), precision per kind is printed; unjudged links
are counted apart.

    python benchmarks/bench_links.py [--judged judged.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=os.environ.get("NLP_SHARED_DIR", str(ROOT.parent / "shared")))
    parser.add_argument("--judged", help="JSON file of hand judgements")
    args = parser.parse_args()
    from nlp.indicators import IndicatorStage
    from nlp.pipeline import read_report
    from nlp.quantities import QuantityStage

    files = [Path(args.shared) / "samples" / "huizhou-zsj-2024-self-evaluation.txt",
             ROOT / "examples" / "jiangling-zsj-2024-self-evaluation.docx"]
    judged = json.loads(Path(args.judged).read_text(encoding="utf-8")) if args.judged else {}
    tally: dict[str, list[int]] = {}
    for path in files:
        if not path.exists():
            print(f"missing: {path}")
            continue
        report = IndicatorStage()(QuantityStage()(read_report(path)))
        rows = {r.id: r for r in report.indicators}
        paragraphs = {p.id: p for p in report.paragraphs}
        print(f"== {path.name}: {len(report.indicators)} rows, {len(report.links)} links")
        for link in report.links:
            row, paragraph = rows[link.indicator], paragraphs[link.paragraph]
            local = link.start - paragraph.start
            around = paragraph.text[max(0, local - 25):local + len(link.surface) + 10].replace("\n", " ")
            key = f"{path.name}|{link.paragraph}|{link.quantity}|{link.indicator}"
            verdict = judged.get(key)
            counts = tally.setdefault(link.kind, [0, 0, 0])
            counts[0 if verdict is True else 1 if verdict is False else 2] += 1
            mark = {True: "ok ", False: "BAD", None: "?  "}[verdict]
            print(f"  {mark} {link.kind:<12} {link.score:.2f} {key}\n      …{around}…\n      → {row.name} "
                  f"(target {row.target}, actual {row.actual})")
    for kind, (good, bad, unknown) in sorted(tally.items()):
        precision = good / (good + bad) if good + bad else float("nan")
        print(f"{kind:<12} links {good + bad + unknown}: judged {good + bad}, correct {good}, "
              f"precision {precision:.3f}, unjudged {unknown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
