"""Precision and recall of recommendation extraction on generated reviews
(whose recommendations the generator's manifest records), per format, with
agency and level agreement; then paragraph-level precision and recall on the
real reports of ../shared/corpus against their whole-document labels
(bench/recommendations_real.py; docs/recommendations.md).

    .venv/bin/python bench/recommendations_accuracy.py [--reviews 30] [--formats md,docx,pdf]
        [--show-misses] [--list-real]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, corpus, manifest
from recommendations_real import report, score_corpus
from storfa.app import Storfa
from storfa.config import Settings
from storfa.domain.recommendations import text_key
from storfa.recommendations.extract import extract

REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus"
LABELS = Path(__file__).resolve().parents[1] / "data" / "wholedoc"


def _score(app: Storfa, entries: list[dict], show: bool) -> Counter[str]:
    counts: Counter[str] = Counter()
    by_source = {s.source_name: s for s in (app.store.get_review(r.review_id)
                                             for r in app.store.list_reviews()) if s}
    for entry in entries:
        record = by_source.get(entry["path"])
        truth = entry["expected"]["recommendations"]
        counts["true"] += len(truth)
        if record is None:
            counts["missing_reviews"] += 1
            continue
        found = extract(app.store.passages(record.version_id))
        counts["found"] += len(found)
        want = {(str(t["number"]), text_key(t["text"])): t for t in truth}
        for rec in found:
            t = want.pop((rec.number, text_key(rec.text)), None)
            if t is None:
                if show:
                    print(f"  extra {entry['path']} {rec.number}: {rec.text[:100]}")
                continue
            counts["matched"] += 1
            counts["agencies_right"] += rec.agencies == t["agencies"]
            counts["level_stated"] += rec.level is not None
            counts["level_right"] += rec.level is not None and rec.level == t["level"]
        if show:
            for key in want:
                print(f"  missed {entry['path']} {key[0]}: {key[1][:100]}")
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reviews", type=int, default=30)
    ap.add_argument("--pages", type=int, default=8)
    ap.add_argument("--formats", default="md,docx")
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--list-real", action="store_true",
                    help="also list what is extracted from each real report")
    args = ap.parse_args()
    os.environ.setdefault("STORFA_EMBED", "off")
    formats = tuple(args.formats.split(","))
    folder = corpus(args.reviews, args.pages, seed=7, formats=formats)
    entries = manifest(folder)
    for fmt in formats:
        data = Path(tempfile.mkdtemp(dir=OUT))
        app = Storfa(Settings.from_env(data_dir=data, workers=1))
        try:
            picked = [e for e in entries if e["format"] == fmt]
            app.ingest.ingest([folder / e["path"] for e in picked])
            c = _score(app, picked, args.show_misses)
        finally:
            app.close()
            shutil.rmtree(data, ignore_errors=True)
        precision = c["matched"] / c["found"] if c["found"] else 0.0
        recall = c["matched"] / c["true"] if c["true"] else 0.0
        print(f"{fmt}: {len(picked)} reviews, {c['true']} true, {c['found']} found, "
              f"{c['matched']} matched: precision {precision:.3f}, recall {recall:.3f}; "
              f"agencies exact {c['agencies_right'] / max(1, c['matched']):.3f}, "
              f"level right where given {c['level_right'] / max(1, c['level_stated']):.3f} "
              f"(given on {c['level_stated']} of {c['matched']}: stated, or read from a "
              "sub-heading or the addressees)")
    if REAL.is_dir() and any(LABELS.glob("*.tsv")):
        print("\nreal reports, by labelled passage:")
        report(score_corpus(REAL, LABELS), args.show_misses)
    if REAL.is_dir() and args.list_real:
        _list_real()


def _list_real() -> None:
    data = Path(tempfile.mkdtemp(dir=OUT))
    app = Storfa(Settings.from_env(data_dir=data, workers=1))
    try:
        app.ingest.ingest(sorted(REAL.glob("*.md")))
        for s in app.store.list_reviews():
            record = app.store.get_review(s.review_id)
            assert record is not None
            found = extract(app.store.passages(record.version_id))
            print(f"\n{record.source_name}: {len(found)} recommendations")
            for rec in found:
                print(f"  [{rec.number}] p.{rec.page} {', '.join(rec.agencies) or '-'} "
                      f"| {rec.level or '-'} | {rec.text[:150]}")
    finally:
        app.close()
        shutil.rmtree(data, ignore_errors=True)

if __name__ == "__main__":
    main()
