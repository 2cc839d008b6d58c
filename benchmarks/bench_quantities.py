"""Time quantity extraction on adversarial, ordinary, table and dense-form text; it must stay linear in the input.

    python benchmarks/bench_quantities.py [--mb 1]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp.quantities import extract_quantities  # noqa: E402

PIECES = [
    "9" * 400, "1,2,3,4,5,6,7,8,9," * 20, "万万万亿亿元元元" * 30, "%%%％％" * 40, "。，；：" * 50,
    "超过超过约约≥≥≤" * 20, "1.2.3.4.5.6.7.8." * 30, "一二三四五六七八九十百千万" * 20, "每年每季度每月" * 20,
    "12345热线" * 20, "（1）（2）（3）" * 20, "——" * 100, "$\\geq$" * 40, "3-5至7~9" * 40,
]
# The forms of the numeral grammar, repeated without end: fractions, percent-like words, ranges, signs.
FORMS = [
    "分之" * 100, "三分之一又" * 40, "百分之百分之" * 30, "两到三万到" * 40, "1/2/3/4/" * 40, "负-负-−" * 40,
    "$¥€£USDRMB" * 30, "一米七五块五成六折" * 20, "七成半折八五折" * 30, "壹贰叁肆伍陆柒捌玖拾佰仟萬億" * 20,
    "十几几十数十数百" * 30, "http://a.cn/?q=30%25%20" * 10, "3万4000亿5千" * 30,
]
ORDINARY = ("2024年共受理诉求202.58万宗，接通率98.62%，办件效能提升27.51%；全年预算支出7952.87万元，比上年减少3672.85万元，"
            "减少31.59%。建成3个基础库、7个县区子库和12个专题库，累计完成数据共享订单超4900个，接口调用超8.6亿次。")

# Tables read as text: indicator rows (heading cells, units and comparators in cells of their own) and a
# budget table stated in 万元, the rows of one table run on in one line.
TABLES = ("资金投入（万元） | 全年预算数 | 全年执行数 | 执行率 | | 年度资金总额 | 808.1 | 692.98 | 86% | "
          "| 产出指标 | 数量指标 | 学生受资助人数 | ≧ | 735 | 人次 | 735 | 10 | 10 | | 质量指标 | 营养改善计划覆盖率 | "
          "≥95% | 100% | 10 | 10 | 数量指标 培训人次 ≥500人次 620人次 10 10 ")


def adversarial(size: int, seed: int = 0, pieces: list[str] = PIECES) -> str:
    rng = random.Random(seed)
    parts, total = [], 0
    while total < size:
        piece = rng.choice(pieces)
        parts.append(piece)
        total += len(piece.encode("utf-8"))
    return "".join(parts)


def ordinary(size: int) -> str:
    return ORDINARY * (size // len(ORDINARY.encode("utf-8")) + 1)


def timed(text: str, chunk: int) -> float:
    # Paragraph-sized chunks, as the pipeline feeds them.
    started = time.perf_counter()
    for i in range(0, len(text), chunk):
        extract_quantities(text[i:i + chunk])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    size = int(args.mb * 1024 * 1024)
    texts = (("adversarial", adversarial(size)), ("forms", adversarial(size, pieces=FORMS)), ("ordinary", ordinary(size)),
             ("tables", TABLES * (size // len(TABLES.encode("utf-8")) + 1)))
    for name, text in texts:
        for chunk in (2_000, 50_000):
            times = [timed(text, chunk) for _ in range(args.runs)]
            median = statistics.median(times)
            print(f"{name:12s} {len(text.encode('utf-8')) / 1e6:.2f} MB in chunks of {chunk:>6} chars: "
                  f"median {median:.2f} s ({median / args.mb:.2f} s/MB) over {args.runs} runs")
    for name, pieces in (("adversarial", PIECES), ("forms", FORMS)):
        half = timed(adversarial(size // 2, pieces=pieces), 50_000)
        full = timed(adversarial(size, pieces=pieces), 50_000)
        print(f"linearity ({name}): time(1x) / time(0.5x) = {full / half:.2f} (2.0 is linear)")


if __name__ == "__main__":
    main()
