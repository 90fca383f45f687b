"""Ingest throughput on generated text PDFs (everything but embeddings).

    .venv/bin/python bench/ingest_throughput.py [--reviews 2500] [--pages 40]
    .venv/bin/python bench/ingest_throughput.py --reviews 150 --pages 20 --phases 40

Prints pages/second, where the time goes (parse workers vs. this process),
index size relative to text size, and peak memory. With --phases N, instead
prints a parse worker's CPU time per page for each step, over the first N
files in one process (CPU time, so a busy machine moves it little)."""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, corpus, dir_size, peak_rss_mb
from storfa.app import Storfa
from storfa.config import Settings


def phases(source: Path, n: int) -> None:
    """A worker's steps one by one (as storfa.ingest.analyse.analyse runs them)."""
    from storfa.disclosure.check import warning_count
    from storfa.ingest.analyse import metadata_passages
    from storfa.ingest.clean import clean_document
    from storfa.ingest.extractors import extract_document
    from storfa.ingest.language import detect, label_passages
    from storfa.ingest.limits import ExtractLimits
    from storfa.ingest.metadata import extract_metadata
    from storfa.ingest.segment import segment, title_heading
    from storfa.search.index_tantivy import analysed

    spent: dict[str, float] = {}
    pages = 0

    @contextmanager
    def step(name: str) -> Iterator[None]:
        started = time.process_time()
        yield
        spent[name] = spent.get(name, 0.0) + time.process_time() - started

    # Load the language model first (a worker does once per process start).
    detect("Lorem ipsum dolor sit amet, consectetur adipiscing")
    for path in sorted(source.glob("*.pdf"))[:n]:
        with step("PDF text + layout"):
            doc = extract_document(path, ExtractLimits())
        with step("cleaning"):
            doc = clean_document(doc)
        with step("segmenting"):
            _text, passages = segment(doc)
        with step("language"):
            label_passages(passages)
        with step("metadata"):
            furniture = [line for page in doc.pages for line in page.furniture]
            extract_metadata(metadata_passages(passages, doc.page_count),
                             doc.title or title_heading(doc), furniture)
        with step("disclosure check"):
            warning_count(passages)
        with step("index tokens + stems (main process)"):
            for p in passages:
                analysed(p.text, p.language)
        pages += doc.page_count
    total = sum(spent.values())
    for name, seconds in spent.items():
        print(f"  {name:<38} {seconds * 1000 / pages:6.2f} ms/page  {100 * seconds / total:4.1f} %")
    print(f"  {'total':<38} {total * 1000 / pages:6.2f} ms/page over {pages} pages")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reviews", type=int, default=2500)
    ap.add_argument("--pages", type=int, default=40)
    ap.add_argument("--profile", action="store_true", help="cProfile the main process")
    ap.add_argument("--phases", type=int, default=0, metavar="N",
                    help="CPU per page of each worker step over N files, then stop")
    args = ap.parse_args()
    source = corpus(args.reviews, args.pages)
    if args.phases:
        phases(source, args.phases)
        return
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
