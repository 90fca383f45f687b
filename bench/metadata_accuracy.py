"""How often metadata comes out right, per field and per format, on generated
reviews whose true values the generator's manifest records.

    .venv/bin/python bench/metadata_accuracy.py [--reviews 60]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, corpus, manifest
from storfa.app import Storfa
from storfa.config import Settings

FIELDS = ("type", "identifier", "board", "variant", "index_incident", "referral",
          "learning_event", "sign_off", "publication", "period_start", "period_end",
          "age_band", "gender")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reviews", type=int, default=60)
    ap.add_argument("--pages", type=int, default=12)
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()
    source = corpus(args.reviews, args.pages, seed=3, formats=("md", "pdf", "docx"))
    entries = manifest(source)
    for fmt in ("md", "pdf", "docx"):
        data = OUT / f"data-metadata-{fmt}"
        shutil.rmtree(data, ignore_errors=True)
        app = Storfa(Settings(data_dir=data))
        files = [source / str(e["path"]) for e in entries if e["format"] == fmt]
        app.ingest.ingest(files)
        right: Counter[str] = Counter()
        known: Counter[str] = Counter()
        for entry in (e for e in entries if e["format"] == fmt):
            expected = dict(entry["expected"])  # type: ignore[call-overload]
            key = str(expected["identifier"])
            if expected.get("language", "en") != "en":
                key += "-" + str(expected["language"])
            record = app.store.get_review(key)
            values: dict[str, str | None] = {}
            if record:
                values = {m.field: m.value for m in record.metadata}
            for name in FIELDS:
                want = expected.get(name)
                if want is None:
                    continue
                known[name] += 1
                if values.get(name) == want:
                    right[name] += 1
                elif args.show_misses:
                    print(f"  {fmt} {key} {name}: want {want!r}, got {values.get(name)!r}")
        app.close()
        row = "  ".join(f"{n} {right[n] / known[n]:.0%}" for n in FIELDS if known[n])
        print(f"{fmt:>4} ({len(files)} files): {row}")


if __name__ == "__main__":
    main()
