"""Keyword search latency over an ingested generated corpus, with snippets,
beside a ripgrep scan of the same extracted text (the no-index baseline).

    .venv/bin/python bench/ingest_throughput.py --reviews 2500 --pages 40   # first
    .venv/bin/python bench/search_latency.py [--data bench/out/data-ingest-2500x40]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, peak_rss_mb, summary_ms
from storfa.app import Storfa
from storfa.config import Settings

QUERIES: dict[str, list[str]] = {
    "single common word": ["child", "practitioners", "concerns", "health", "family", "school"],
    "AND": ["neglect AND school", "mother AND police", "health visitor AND concerns",
            "escalation AND manager"],
    "phrase": ['"professional curiosity"', '"was not brought"', '"multi-agency"',
               '"information sharing"', '"child protection"'],
    "NEAR": ["escalat* NEAR/5 concerns", "health NEAR/3 visitor", "voice NEAR/5 child",
             "domestic NEAR/2 abuse"],
    "prefix": ["safeguard*", "escalat*", "curios*"],
    "filtered": ["neglect type:CPR year:2019..2024", 'concerns board:"North Wales"'],
}
RG_PATTERNS = {"single common word": r"\bconcerns\b", "phrase": "professional curiosity",
               "NEAR": r"escalat\w*(\W+\w+){0,5}?\W+concerns"}


def export_text(app: Storfa, folder: Path) -> None:
    if folder.exists():
        return
    folder.mkdir(parents=True)
    for summary in app.store.list_reviews():
        rec = app.store.get_review(summary.review_id)
        if rec:
            text = "\n".join(p.text for p in app.store.passages(rec.version_id))
            (folder / f"{summary.review_id.replace('/', '_')}.txt").write_text(text)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=OUT / "data-ingest-2500x40")
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    app = Storfa(Settings(data_dir=args.data))
    passages = sum(app.store.passage_counts().values())
    reviews = len(app.store.list_reviews())
    print(f"corpus: {reviews} reviews, {passages} passages ({args.data})")
    for query in (q for qs in QUERIES.values() for q in qs):  # warm caches once
        app.search.search(query, limit=10)
    for kind, queries in QUERIES.items():
        samples, totals = [], []
        for _ in range(args.repeat):
            for query in queries:
                t = time.perf_counter()
                result = app.search.search(query, limit=10)
                samples.append(time.perf_counter() - t)
                totals.append(result.total)
        print(f"{kind:>20}: {summary_ms(samples)}  (hits per query "
              f"{min(totals)}–{max(totals)})")
    print(f"peak memory of this search process: {peak_rss_mb():.0f} MB")
    rg = shutil.which("rg")
    if not rg:
        print("ripgrep not installed; skipping the baseline")
        return
    text_dir = args.data / "text-export"
    export_text(app, text_dir)
    for kind, pattern in RG_PATTERNS.items():
        samples = []
        for _ in range(5):
            t = time.perf_counter()
            subprocess.run([rg, "-i", "-c", pattern, str(text_dir)], capture_output=True)
            samples.append(time.perf_counter() - t)
        print(f"{'ripgrep ' + kind:>28}: {summary_ms(samples)}")


if __name__ == "__main__":
    main()
