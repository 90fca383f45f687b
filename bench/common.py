"""Shared by the benchmarks: a generated corpus of a stated size, cached on disk,
and small statistics helpers."""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def corpus(n: int, pages: int, seed: int = 1, formats: Sequence[str] = ("pdf",),
           two_column: float = 0.2) -> Path:
    """Generate (once) n reviews of about `pages` pages each; return the folder."""
    from storfa.synthetic import generate_corpus

    folder = OUT / f"corpus-{n}x{pages}-{'-'.join(formats)}-s{seed}"
    if (folder / "manifest.json").exists():
        return folder
    started = time.perf_counter()
    done = 0

    def tick(*_: object) -> None:
        nonlocal done
        done += 1
        if done % 100 == 0:
            print(f"  generated {done}/{n}", file=sys.stderr)

    generate_corpus(folder, n, seed=seed, formats=tuple(formats), two_column_share=two_column,
                    image_page_share=0.0, pages_hint=pages, progress=tick)
    print(f"generated {n} reviews in {time.perf_counter() - started:.0f} s -> {folder}",
          file=sys.stderr)
    return folder


def manifest(folder: Path) -> list[dict[str, object]]:
    data = json.loads((folder / "manifest.json").read_text())
    return list(data if isinstance(data, list) else data["documents"])


def percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary_ms(samples: Sequence[float]) -> str:
    ms = [s * 1000 for s in samples]
    return (f"p50 {percentile(ms, 50):7.2f} ms  p95 {percentile(ms, 95):7.2f} ms  "
            f"mean {statistics.fmean(ms):7.2f} ms  n={len(ms)}")


def peak_rss_mb(children: bool = False) -> float:
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))
