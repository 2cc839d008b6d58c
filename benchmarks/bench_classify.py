"""Benchmark the category model: load time, paragraphs/s on one core, and training time.

    python benchmarks/bench_classify.py [--model DIR] [--train]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def paragraphs() -> list[str]:
    """Paragraphs of the example report and the training data (what the model will meet)."""
    from nlp.pipeline import read_report

    texts = [p.text for p in read_report(ROOT / "examples" / "jiangling-zsj-2024-self-evaluation.txt").paragraphs]
    for path in sorted((ROOT / "training_data").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts


def load_time(model: str | None, runs: int = 5) -> None:
    code = ("import time,sys; t=time.perf_counter(); from nlp.classification import load_model; "
            f"m=load_model({model!r}); print(time.perf_counter()-t)")
    times = [float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                                  check=True).stdout) for _ in range(runs)]
    print(f"model load (import included, fresh process): median {statistics.median(times):.2f} s over {runs} runs")


def report_paragraphs() -> list[str]:
    """The paragraphs of the example report and of the corpus's whole-paragraph file (100+ characters)."""
    texts = [t for t in paragraphs() if len(t) >= 100]
    return texts


def throughput(model: str | None, runs: int = 3) -> None:
    from nlp.classification import load_model

    os.environ["OMP_NUM_THREADS"] = "1"
    tagger = load_model(model)
    tagger.predict(paragraphs()[:50], explain=False)  # warm-up: jieba dictionary
    for texts in (paragraphs(), report_paragraphs()):
        while len(texts) < 2000:
            texts = texts * 2
        _throughput(tagger, texts, runs)


def _throughput(tagger: Any, texts: list[str], runs: int) -> None:
    for explain in (False, True):
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            tagger.predict(texts, explain=explain)
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        chars = sum(map(len, texts)) / len(texts)
        print(f"predict {len(texts)} paragraphs (mean {chars:.0f} chars){' with explanations' if explain else ''}: "
              f"median {len(texts) / median:,.0f} paragraphs/s on one core")


def train_time() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        subprocess.run([sys.executable, "cli.py", "train", "--model-out", tmp], cwd=ROOT, check=True,
                       capture_output=True)
        print(f"train on training_data/ (5-fold CV + final fit): {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=None)
    parser.add_argument("--train", action="store_true", help="also time a full training run")
    args = parser.parse_args()
    load_time(args.model)
    throughput(args.model)
    if args.train:
        train_time()


if __name__ == "__main__":
    main()
