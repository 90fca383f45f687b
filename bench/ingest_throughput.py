"""Ingest throughput on generated text PDFs (everything but embeddings).

    .venv/bin/python bench/ingest_throughput.py [--reviews 2500] [--pages 40]

Prints pages/second, where the time goes (parse workers vs. this process),
index size relative to text size, and peak memory."""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, corpus, dir_size, peak_rss_mb
from storfa.app import Storfa
from storfa.config import Settings


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reviews", type=int, default=2500)
    ap.add_argument("--pages", type=int, default=40)
    ap.add_argument("--profile", action="store_true", help="cProfile the main process")
    args = ap.parse_args()
    source = corpus(args.reviews, args.pages)
    data = OUT / f"data-ingest-{args.reviews}x{args.pages}"
    shutil.rmtree(data, ignore_errors=True)
    app = Storfa(Settings(data_dir=data))
    pages = files = 0
    started = time.perf_counter()
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()

    def on_result(result: object) -> None:
        nonlocal pages, files
        files += 1
        pages += getattr(result, "pages", 0) or 0
        if files % 250 == 0:
            rate = pages / (time.perf_counter() - started)
            print(f"  {files} files, {pages} pages, {rate:.0f} pages/s", file=sys.stderr)

    results = app.ingest.ingest([source], on_result=on_result)
    elapsed = time.perf_counter() - started
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    rejected = [r for r in results if r.status == "rejected"]
    text_chars = sum(len(p.text) for r in app.store.list_reviews()
                     for rec in [app.store.get_review(r.review_id)] if rec
                     for p in app.store.passages(rec.version_id))
    passages = sum(app.store.passage_counts().values())
    print(f"corpus: {args.reviews} generated text PDFs, ~{args.pages} pages each, "
          f"{app.settings.worker_count} parse workers")
    print(f"ingested {files - len(rejected)} files ({len(rejected)} rejected), {pages} pages, "
          f"{passages} passages in {elapsed:.1f} s -> {pages / elapsed:.0f} pages/s, "
          f"{files / elapsed:.1f} files/s")
    print(f"text {text_chars / 1e6:.1f} M chars; index {dir_size(data / 'index') / 1e6:.1f} MB "
          f"({dir_size(data / 'index') / max(text_chars, 1):.2f}x text); database "
          f"{(data / 'storfa.sqlite3').stat().st_size / 1e6:.1f} MB")
    print(f"peak memory: this process {peak_rss_mb():.0f} MB, largest worker "
          f"{peak_rss_mb(children=True):.0f} MB")


if __name__ == "__main__":
    main()
