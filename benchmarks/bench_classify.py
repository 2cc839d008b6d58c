"""Benchmark the category model: load time, paragraphs/s on one core, and training time.

    python benchmarks/bench_classify.py [--model DIR] [--baseline DIR] [--train]

With ``--baseline`` another model directory (say, the model before a retraining) is timed in
turn with the model, run for run, so that both see the same load on a shared machine.
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
    texts = [p.text for p in read_example().paragraphs]
    for path in sorted((ROOT / "training_data").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts


def load_time(models: dict[str, str | None], runs: int = 5) -> None:
    times: dict[str, list[float]] = {name: [] for name in models}
    for _ in range(runs):
        for name, model in models.items():
            code = ("import time,sys; t=time.perf_counter(); from nlp.classification import load_model; "
                    f"m=load_model({model!r}); print(time.perf_counter()-t)")
            times[name].append(float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                                                    text=True, check=True).stdout))
    for name, values in times.items():
        print(f"{name}: model load (import included, fresh process): median {statistics.median(values):.2f} s "
              f"over {runs} runs")


def report_paragraphs() -> list[str]:
    """The paragraphs of the example report and of the corpus's whole-paragraph file (100+ characters)."""
    texts = [t for t in paragraphs() if len(t) >= 100]
    return texts


def throughput(models: dict[str, str | None], runs: int = 3) -> None:
    from nlp.classification import load_model

    os.environ["OMP_NUM_THREADS"] = "1"
    taggers = {name: load_model(model) for name, model in models.items()}
    for tagger in taggers.values():
        tagger.predict(paragraphs()[:50], explain=False)  # warm-up: jieba dictionary
    for texts in (paragraphs(), report_paragraphs()):
        while len(texts) < 2000:
            texts = texts * 2
        _throughput(taggers, texts, runs)
    report = read_example()
    texts = [p.text for p in report.paragraphs] * 20
    sections = [p.section_path for p in report.paragraphs] * 20
    _throughput(taggers, texts, runs, sections, explains=(False,))


def read_example() -> Any:
    from nlp.pipeline import read_report

    return read_report(ROOT / "examples" / "jiangling-zsj-2024-self-evaluation.txt")


def _throughput(taggers: dict[str, Any], texts: list[str], runs: int, sections: list[Any] | None = None,
                explains: tuple[bool, ...] = (False, True)) -> None:
    for explain in explains:
        times: dict[str, list[float]] = {name: [] for name in taggers}
        for _ in range(runs):
            for name, tagger in taggers.items():
                started = time.perf_counter()
                tagger.predict(texts, explain=explain, sections=sections)
                times[name].append(time.perf_counter() - started)
        chars = sum(map(len, texts)) / len(texts)
        what = (" with explanations" if explain else "") + (" with heading paths" if sections else "")
        for name, values in times.items():
            print(f"{name}: predict {len(texts)} paragraphs (mean {chars:.0f} chars){what}: "
                  f"median {len(texts) / statistics.median(values):,.0f} paragraphs/s on one core")


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
    parser.add_argument("--baseline", default=None, help="another model directory, timed in turn with the model")
    parser.add_argument("--train", action="store_true", help="also time a full training run")
    args = parser.parse_args()
    models = {"model": args.model, **({"baseline": args.baseline} if args.baseline else {})}
    load_time(models)
    throughput(models)
    if args.train:
        train_time()


if __name__ == "__main__":
    main()
