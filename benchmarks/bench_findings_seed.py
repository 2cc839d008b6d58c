"""Measure the number checks on the sample report against ../shared/gold/findings-seed.json.

Prints, per gold finding, whether it is raised and at which severity; per
consistent check, whether any finding touches its figures; and every finding
raised beyond the gold list. Measuring only: the gold is never used to tune
rules.

    python benchmarks/bench_findings_seed.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _norm(text: str) -> str:
    return re.sub(r"\s+|,", "", text)


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?", _norm(text))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=os.environ.get("NLP_SHARED_DIR", str(ROOT.parent / "shared")))
    args = parser.parse_args()
    shared = Path(args.shared)
    gold = json.loads((shared / "gold" / "findings-seed.json").read_text(encoding="utf-8"))

    from nlp.checks import CheckStage
    from nlp.indicators import IndicatorStage
    from nlp.pipeline import read_report
    from nlp.quantities import QuantityStage

    report = CheckStage()(IndicatorStage()(QuantityStage()(read_report(shared / gold["source"]))))
    used: set[int] = set()
    raised = at_severity = 0
    print("gold findings:")
    for expected in gold["findings"]:
        wanted = [n for v in expected["values"] for n in _numbers(v.split("=")[-1])][:2]
        match = next((i for i, f in enumerate(report.findings) if i not in used and f.kind == expected["kind"]
                      and all(n in _numbers(" ".join(f.values)) for n in wanted)), None)
        if match is None:
            print(f"  MISSED   {expected['kind']:<10} {expected['severity']:<7} {expected['measure']} {expected['values']}")
            continue
        used.add(match)
        finding = report.findings[match]
        raised += 1
        same = finding.severity == expected["severity"]
        at_severity += same
        print(f"  {'RAISED' if same else 'SEVERITY'} {expected['kind']:<10} gold {expected['severity']:<7} "
              f"got {finding.severity:<7} {finding.code:<28} {finding.message}")
    flagged = 0
    print("consistent checks:")
    for check in gold["consistent_checks"]:
        numbers = set(_numbers(check)) - {"2024", "2023"}
        hits = [f for f in report.findings if f.kind == "arithmetic"
                and len(numbers & set(_numbers(" ".join(f.values)))) >= 2]
        flagged += bool(hits)
        print(f"  {'FLAGGED' if hits else 'ok':<8} {check}" + (f"  <- {hits[0].message}" if hits else ""))
    extra = [f for i, f in enumerate(report.findings) if i not in used]
    print("findings beyond the gold list:")
    for finding in extra:
        print(f"  {finding.severity:<7} {finding.code:<28} {finding.message}")
    total = len(gold["findings"])
    print(f"\nraised {raised}/{total}, at the gold severity {at_severity}/{total}; consistent checks flagged "
          f"{flagged}/{len(gold['consistent_checks'])}; extra findings {len(extra)} "
          f"(error/warning {sum(f.severity != 'info' for f in extra)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
