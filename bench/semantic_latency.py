"""Semantic search latency at 100,000 and 500,000 synthetic normalised vectors
(the exact NumPy scan of search/vectors.py, with and without a review filter
mask), the memory the matrix holds, and hybrid latency end to end on an
ingested generated corpus.

    .venv/bin/python bench/semantic_latency.py [--sizes 100000 500000]
        [--reviews 20] [--repeat 50]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import corpus, summary_ms
from storfa.search.vectors import VectorIndex, normalise

QUERIES = [
    "practitioners kept trying to engage the family",
    "concerns were escalated to a manager",
    "information was shared between agencies promptly",
    "the child's voice was not heard",
    "records were clear and detailed",
    "missed health appointments were not followed up",
]


def synthetic(n: int, repeat: int) -> None:
    rng = np.random.default_rng(1)
    index = VectorIndex(store=None, model="synthetic")  # type: ignore[arg-type]
    index.matrix = normalise(rng.standard_normal((n, 384), dtype=np.float32))
    index.ids = np.arange(n, dtype=np.int64)
    index.reviews = np.arange(n, dtype=np.int64) // 40  # ~40 passages a review
    index._review_keys, index._review_sizes = np.unique(index.reviews, return_counts=True)
    queries = normalise(rng.standard_normal((repeat, 384), dtype=np.float32))
    plain, masked = [], []
    allowed = set(range(0, n // 40, 3))
    for q in queries:
        t = time.perf_counter()
        index.top(index.scores(q), 10)
        plain.append(time.perf_counter() - t)
        t = time.perf_counter()
        index.top(index.scores(q, index.review_mask(allowed, {1, 2})), 10)
        masked.append(time.perf_counter() - t)
    print(f"{n:>8} vectors, matrix {index.nbytes / 2**20:6.0f} MB")
    print(f"   semantic top-10          : {summary_ms(plain)}")
    print(f"   with filter + exclude    : {summary_ms(masked)}")


def hybrid(reviews: int, repeat: int) -> None:
    from storfa.app import Storfa
    from storfa.config import Settings

    folder = corpus(reviews, 12, formats=("md",))
    with tempfile.TemporaryDirectory() as tmp:
        app = Storfa(Settings(data_dir=Path(tmp)))
        app.ingest.ingest([p for p in folder.iterdir() if p.suffix == ".md"])
        started = time.perf_counter()
        n = app.embeddings.backfill()
        print(f"hybrid corpus: {reviews} reviews, {n} passages embedded in "
              f"{time.perf_counter() - started:.0f} s")
        for mode in ("semantic", "hybrid"):
            app.search.search(QUERIES[0], mode=mode)  # load model and matrix
            samples = []
            for _ in range(max(1, repeat // len(QUERIES))):
                for query in QUERIES:
                    t = time.perf_counter()
                    app.search.search(query + " type:CPR", mode=mode, limit=10)
                    samples.append(time.perf_counter() - t)
            print(f"   {mode:>8} (with snippets): {summary_ms(samples)}")
        app.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="*", default=[100_000, 500_000])
    ap.add_argument("--reviews", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()
    for n in args.sizes:
        synthetic(n, args.repeat)
    if args.reviews:
        hybrid(args.reviews, args.repeat)


if __name__ == "__main__":
    main()
