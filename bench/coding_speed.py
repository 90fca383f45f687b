"""Coding speed (issue 6): auto-coding throughput, and the analysis of coding
(matrix, drill-down, co-occurrence, words) at 100,000 extracts, on SQLite.

    .venv/bin/python bench/coding_speed.py [--reviews 50] [--pages 4]
        [--matrix-reviews 2500] [--extracts 100000] [--runs 30] [--json]

1. Auto-coding: a generated corpus of --reviews Markdown reviews of about
   --pages pages (bench/common.corpus, cached in bench/out) is ingested
   (keyword search only) into a temporary store, and CodingService.auto codes
   every review with the best-practice codebook (passage classifier and term
   rules) — timed, reported as passages and reviews per second.
2. Analysis: synthetic reviews are added through SQL until the store holds
   --matrix-reviews reviews (types, boards and years as the generator spreads
   them), then --extracts extracts are inserted in one transaction straight
   through SQL (the fast path; auto-coding 2,500 reviews would take hours):
   codes drawn from the codebook with skewed weights, 60 % accepted, 30 %
   suggested, 10 % rejected, spans clustered so codes overlap, texts taken
   from the corpus's passages. A case variable is decided for every review so
   the matrix can be split by it. Then, --runs times each (after one warm-up):
     matrix       the coding matrix by type, year, board and var:child_neglect
                  (accepted) and by type (accepted + suggested)
     cell         the first page (100) of the largest cell's extracts
     cooccurrence review and overlap co-occurrence of every code pair
     words        top 30 words and 2-grams of the largest theme
   p50 / p95 latency, and the process's peak resident memory (ru_maxrss,
   which includes ingesting and auto-coding).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import corpus, peak_rss_mb, percentile

AIM_MATRIX_P95_MS = 200.0
BOOK = "best-practice"
SEED = 6


def timings(run: Callable[[], object], runs: int) -> dict[str, float]:
    run()  # warm-up: caches, the catalogue, SQLite's page cache
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(percentile(samples, 50), 2),
            "p95_ms": round(percentile(samples, 95), 2), "runs": runs}


def auto_code(app: Any) -> dict[str, Any]:

    service = app.coding
    passages = 0

    def tick(_key: str, n: int) -> None:
        nonlocal passages
        passages += n

    service.classifier(BOOK)  # load the model before the clock starts
    started = time.perf_counter()
    found = service.auto(BOOK, progress=tick)
    seconds = time.perf_counter() - started
    reviews = len(service.review_keys())
    return {"reviews": reviews, "passages": passages, "suggestions": len(found),
            "seconds": round(seconds, 2),
            "passages_per_second": round(passages / seconds, 1),
            "reviews_per_second": round(reviews / seconds, 3)}


def add_reviews(app: Any, wanted: int, rng: random.Random) -> None:
    """Synthetic reviews (a row, a version) until the store holds `wanted`."""
    from storfa.clock import utc_now

    existing = app.store.list_reviews()
    kinds = sorted({(s.type, s.board) for s in existing if s.type and s.board}) or [
        ("CPR", "North Wales")]
    now = utc_now()
    with app.store.db.write() as conn:
        source = conn.insert(
            "INSERT INTO source_files (sha256, original_name, format, size, stored_path, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            ("bench-" + "0" * 58, "synthetic.md", "md", 0, "-", now))
        for i in range(len(existing), wanted):
            kind, board = rng.choice(kinds)
            row = conn.insert(
                "INSERT INTO reviews (review_key, type, board, year, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (f"BENCH{i:05d}", kind, board, rng.randint(2012, 2025), now, now))
            version = conn.insert(
                "INSERT INTO review_versions (review_id, version, source_file_id, page_count, "
                "text, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (row, 1, source, 1, "synthetic", now))
            conn.execute("UPDATE reviews SET current_version_id = ? WHERE id = ?",
                         (version, row))


def add_extracts(app: Any, total: int, rng: random.Random) -> int:
    """`total` extracts straight through SQL, in one transaction."""
    from storfa.clock import utc_now
    from storfa.coding.codebooks import load_codebook

    book = load_codebook(BOOK)
    codes = list(book.codes)
    weights = [1 / (k + 1) ** 0.7 for k in range(len(codes))]
    with app.store.db.read() as conn:
        reviews = [(int(r["id"]), int(r["current_version_id"])) for r in conn.execute(
            "SELECT id, current_version_id FROM reviews")]
        texts = [str(r["text"]) for r in conn.execute(
            "SELECT text FROM passages WHERE kind <> 'heading' LIMIT 5000")] or ["synthetic"]
    now = utc_now()
    rows = []
    for n in range(total):
        review, version = reviews[n % len(reviews)]
        code = rng.choices(codes, weights)[0]
        start = rng.randrange(0, 40) * 400 + rng.randrange(0, 200)  # clustered: overlaps
        status = rng.choices(("accepted", "suggested", "rejected"), (6, 3, 1))[0]
        rows.append((review, version, start, start + rng.randint(80, 600), 1,
                     rng.choice(texts)[:600], BOOK, code.name, code.theme,
                     "auto-coder", "model", status, 0.8, now,
                     "bench" if status != "suggested" else None))
    with app.store.db.write() as conn:
        conn.executemany(
            "INSERT INTO extracts (review_id, version_id, start_offset, end_offset, page, text, "
            "codebook, code, theme, coder, how, status, confidence, created_at, decided_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def decide_variable(app: Any, rng: random.Random) -> None:
    from storfa.domain.casevars import CONFIRMED, NewCaseValue
    from storfa.storage.sql.casevars import SQLCaseVariables

    rows = list(app.store.review_keys())
    SQLCaseVariables(app.store.db).decide_many(
        [(row, NewCaseValue("child_neglect", rng.choice(("present", "not_known"))))
         for row in rows if rng.random() < 0.8], CONFIRMED, "bench")


def analysis(app: Any, runs: int) -> dict[str, Any]:
    from storfa.coding.matrix import CodingAnalysis

    service = CodingAnalysis.of(app)
    found: dict[str, Any] = {}
    for by in ("type", "year", "board", "var:child_neglect"):
        found[f"matrix_by_{by}"] = timings(lambda by=by: service.matrix(BOOK, by), runs)
    found["matrix_by_type_with_suggested"] = timings(
        lambda: service.matrix(BOOK, "type", "suggested"), runs)
    m = service.matrix(BOOK, "type")
    row = max(m.rows, key=lambda r: max(r.extracts))
    column = m.columns[row.extracts.index(max(row.extracts))]
    found["cell"] = {**timings(lambda: service.cell(BOOK, row.code, column, "type"), runs),
                     "code": row.code, "column": column, "extracts": max(row.extracts)}
    found["cooccurrence"] = timings(lambda: service.cooccurrence(BOOK), max(3, runs // 3))
    theme = max((r for r in m.rows if r.depth == 0), key=lambda r: r.total_extracts)
    found["words"] = {**timings(lambda: service.words(BOOK, theme.code, 1), max(3, runs // 3)),
                      "code": theme.code, "extracts": theme.total_extracts}
    found["words_2grams"] = timings(lambda: service.words(BOOK, theme.code, 2),
                                    max(3, runs // 3))
    found["counted"] = {"reviews": sum(m.selected), "accepted_extracts": m.total_extracts}
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reviews", type=int, default=50, help="reviews to auto-code")
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--matrix-reviews", type=int, default=2500)
    parser.add_argument("--extracts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    import os

    os.environ["STORFA_EMBED"] = "off"
    from storfa.app import Storfa
    from storfa.config import Settings

    folder = corpus(args.reviews, args.pages, seed=SEED, formats=("md",))
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory(prefix="storfa-coding-bench-") as data:
        app = Storfa(Settings.from_env(data_dir=Path(data), workers=1))
        try:
            paths = sorted(folder.glob("*.md"))
            results = app.ingest.ingest(paths)
            ingested = sum(r.status == "ingested" for r in results)
            auto = auto_code(app)
            started = time.perf_counter()
            add_reviews(app, args.matrix_reviews, rng)
            inserted = add_extracts(app, args.extracts, rng)
            decide_variable(app, rng)
            setup = time.perf_counter() - started
            found = analysis(app, args.runs)
        finally:
            app.close()
    report = {"corpus": {"reviews": ingested, "pages_hint": args.pages},
              "auto_coding": auto,
              "analysis_store": {"reviews": args.matrix_reviews, "extracts": inserted,
                                 "setup_seconds": round(setup, 1)},
              "latency": found, "aim_matrix_p95_ms": AIM_MATRIX_P95_MS,
              "peak_rss_mb": round(peak_rss_mb())}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    a = auto
    print(f"Auto-coding ({BOOK}): {a['reviews']} generated reviews of about {args.pages} "
          f"pages, {a['passages']} passages in {a['seconds']} s = "
          f"{a['passages_per_second']} passages/s ({a['reviews_per_second']} reviews/s), "
          f"{a['suggestions']} suggestions")
    print(f"Analysis over {args.matrix_reviews} reviews and {inserted} extracts "
          f"(inserted in {setup:.1f} s, not timed); {args.runs} runs:")
    for name, t in found.items():
        if "p50_ms" in t:
            print(f"  {name:<32} p50 {t['p50_ms']:8.2f} ms   p95 {t['p95_ms']:8.2f} ms")
    print(f"  (cell: {found['cell']['code']} × {found['cell']['column']}, "
          f"{found['cell']['extracts']} extracts; words: {found['words']['code']}, "
          f"{found['words']['extracts']} accepted extracts)")
    worst = max(t["p95_ms"] for k, t in found.items() if k.startswith("matrix"))
    print(f"  matrix p95 aim ≤ {AIM_MATRIX_P95_MS:.0f} ms: "
          f"{'met' if worst <= AIM_MATRIX_P95_MS else 'NOT met'} (worst {worst:.1f} ms)")
    print(f"peak RSS {report['peak_rss_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
