"""Classify latency for one passage (issue 14: stays interactive, p95 <= 100 ms).

    .venv/bin/python bench/classify_latency.py [--passages 300] [--codebook best-practice]

Times `classify_passages(classifier, [text])`, what `storfa classify` and
the API run per request (the document reading, the language check and the
embedding included), one passage at a time over
paragraphs of the real reports in ../shared/corpus (or generated text when the
corpus is absent), after loading the model and one warm-up call. Prints p50,
p95, p99 and the slowest, in milliseconds, with the passages' mean length.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def passages(limit: int) -> list[str]:
    from storfa.coding.wholedoc import read_document

    texts: list[str] = []
    for path in sorted(CORPUS.glob("*.md")):
        texts += [p.text for p in read_document(path) if len(p.text) >= 40]
    if not texts:
        from storfa.synthetic import generate_review

        texts = [p for p in generate_review(1).plain_text().split("\n\n") if len(p) >= 40]
    step = max(1, len(texts) // limit)
    return texts[::step][:limit]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--passages", type=int, default=300)
    ap.add_argument("--codebook", default="best-practice")
    args = ap.parse_args()
    from storfa.coding.classifier import load_classifier
    from storfa.coding.document_reading import classify_passages

    started = time.perf_counter()
    classifier = load_classifier(args.codebook)
    texts = passages(args.passages)
    classify_passages(classifier, texts[:1])
    loaded = time.perf_counter() - started
    times = []
    for text in texts:
        t0 = time.perf_counter()
        classify_passages(classifier, [text])
        times.append((time.perf_counter() - t0) * 1000)
    ms = np.array(times)
    print(f"classify, one passage at a time: {len(texts)} passages "
          f"(mean {statistics.mean(len(t) for t in texts):.0f} characters), "
          f"model load + warm-up {loaded:.1f} s", file=sys.stderr)
    print(f"p50 {np.percentile(ms, 50):.1f} ms  p95 {np.percentile(ms, 95):.1f} ms  "
          f"p99 {np.percentile(ms, 99):.1f} ms  max {ms.max():.1f} ms")


if __name__ == "__main__":
    main()
