"""Embedding throughput (passages/s) of each path, the memory each model holds,
and how closely each agrees with the reference (sentence-transformers on torch).

    .venv/bin/python bench/embed_throughput.py [--passages 600] [--words 60] [--runs 3]

Passages are ~60-word windows of generated reviews. Each path runs in its own
process so resident memory is the model's alone; with `--runs N` each path is
timed N times (one process each) and the median and range are printed, since
a shared machine's speed varies by ±10% from run to run. Quality: mean and minimum
cosine to the reference vectors, and the overlap of each passage's top-10
neighbours under the path and under the reference.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, peak_rss_mb

PATHS = ("torch", "onnx", "onnx-int8")


def passages(n: int, words: int) -> list[str]:
    from storfa.synthetic.api import generate_review

    out: list[str] = []
    seed = 0
    while len(out) < n:
        tokens = generate_review(seed, pages_hint=10).plain_text().split()
        out += [" ".join(tokens[i:i + words]) for i in range(0, len(tokens) - words, words)]
        seed += 1
    return out[:n]


def run_path(path: str, texts_file: Path, out_file: Path) -> dict[str, float]:
    """Child process: load one path, embed, save vectors, report rate and memory."""
    from storfa.search.embeddings import make_embedder

    texts = json.loads(texts_file.read_text())
    started = time.perf_counter()
    embedder = make_embedder(path)
    load = time.perf_counter() - started
    loaded_rss = peak_rss_mb()
    embedder.embed(texts[:32])  # warm up
    started, cpu = time.perf_counter(), time.process_time()
    vectors = embedder.embed(texts)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    np.save(out_file, vectors)
    return {"load_s": load, "per_s": len(texts) / wall, "per_cpu_s": len(texts) / cpu,
            "rss_after_load_mb": loaded_rss, "peak_rss_mb": peak_rss_mb()}


def top10(vectors: np.ndarray) -> np.ndarray:
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -np.inf)
    return np.argsort(-sims, axis=1)[:, :10]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--passages", type=int, default=600)
    ap.add_argument("--words", type=int, default=60)
    ap.add_argument("--runs", type=int, default=1, help="time each path this many times")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_path(args.child[0], Path(args.child[1]), Path(args.child[2]))))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    texts = passages(args.passages, args.words)
    texts_file = OUT / "embed-texts.json"
    texts_file.write_text(json.dumps(texts))
    print(f"{len(texts)} passages of {args.words} words")
    results, vectors, rates = {}, {}, {}
    for path in PATHS:
        out_file = OUT / f"embed-{path}.npy"
        runs = []
        for _ in range(max(1, args.runs)):
            child = subprocess.run([sys.executable, __file__, "--child", path,
                                    str(texts_file), str(out_file)],
                                   check=True, capture_output=True, text=True)
            runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
        rates[path] = sorted(r["per_s"] for r in runs)
        results[path] = runs[-1]
        vectors[path] = np.load(out_file)
    reference = vectors["torch"]
    ref_top = top10(reference)
    for path in PATHS:
        r = results[path]
        cos = (vectors[path] * reference).sum(axis=1)
        overlap = np.mean([len(set(a) & set(b)) / 10
                           for a, b in zip(top10(vectors[path]), ref_top, strict=True)])
        print(f"{path:>10}: {r['per_s']:6.1f} passages/s ({r['per_cpu_s']:5.1f} per CPU-s), "
              f"load {r['load_s']:4.1f} s, RSS {r['rss_after_load_mb']:4.0f} MB after load, "
              f"peak {r['peak_rss_mb']:4.0f} MB; cosine to reference mean {cos.mean():.4f} "
              f"min {cos.min():.4f}; top-10 overlap {overlap:.3f}")
        if len(rates[path]) > 1:
            low, high = rates[path][0], rates[path][-1]
            print(f"{'':>12}{len(rates[path])} runs: median "
                  f"{float(np.median(rates[path])):.1f} passages/s (range {low:.1f}–{high:.1f})")


if __name__ == "__main__":
    main()
