"""Retrieval quality by meaning: thirteen plain-language questions, one per
sub-theme of the best-practice codebook, asked over the four real reports in
../shared/corpus with the dev-set's held-out positives (dev and test splits,
never train) mixed in, each as its own small Markdown review.

    .venv/bin/python bench/semantic_questions.py [--modes semantic hybrid keyword]
        [--negatives] [--show 0]

A question's relevant extracts are the dev-set positives coded to its
sub-theme. An extract counts as found when a top-10 hit contains its text:
its mixed-in copy or, for extracts taken from a corpus report, the report
passage it came from. Printed per question and overall:

- found@10: found extracts / relevant extracts (the share of all of them);
- capped@10: found / min(relevant, 10), since ten hits cannot hold more than
  ten extracts; this is the reading of the issue's "60% of the relevant
  passages in the top 10" that a perfect ranking can reach;
- P@10: the share of the ten hits holding at least one relevant extract.

`--negatives` also mixes in the dev and test negatives (real "needs to
improve" passages and missed opportunities) as distractors. The store is
built once per embedding variant in bench/out/semantic-questions[-neg]-<variant>
and reused.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT
from devset import Row, load

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
QUESTIONS = {
    "Consistent care and support":
        "the same worker stayed involved with the family and support carried on without gaps",
    "Persistency in care and support":
        "practitioners kept trying to help even when the family refused or did not answer",
    "Positive working relationships":
        "a professional built a trusting relationship with the child or parent",
    "Support and training for practitioners":
        "staff were well supervised and trained so they felt confident to act on abuse",
    "Effective communication":
        "the child's wishes were listened to and explained clearly to the family",
    "Consistent and persistent communication":
        "professionals kept in regular contact and followed up when nobody replied",
    "Multi-agency working":
        "police, health, schools and social services worked together and shared information",
    "Risk assessment":
        "risks to the child were carefully assessed with professional curiosity",
    "Escalating concerns":
        "a worker raised their concern with a manager or challenged a decision",
    "Adhering to policy and procedure":
        "safeguarding procedures were followed and visits happened within timescales",
    "Record keeping":
        "records and chronologies were clear, detailed and kept up to date",
    "Learning from past reviews":
        "the agency changed its practice because of lessons from earlier reviews",
    "Suggested good practice":
        "what would have been good practice in this case",
}

# Everyday questions that are not about good practice: the practice ranking
# must leave them in cosine order (its gate is printed for both lists).
PLAIN_QUESTIONS = (
    "the mother's mental health and alcohol use",
    "housing and financial problems",
    "no risk assessment was done",
    "the father's history of domestic violence",
    "children who were not brought to health appointments",
    "the baby's injuries and when they were found",
    "neglect of a disabled adult living alone",
    "what happened on the night of the incident",
    "the family moved between local authorities",
    "cuts to services and high caseloads",
    "the child went missing from care",
    "criminal exploitation and county lines",
    "delays in holding the child protection conference",
    "the perpetrator's coercive and controlling behaviour",
    "pressure ulcers in a care home",
    "the child had many different social workers",
    "the school's attendance records",
    "Covid-19 lockdown and remote contact with families",
    "information was not shared between agencies",
    "the review's terms of reference and methodology",
)


def squash(text: str) -> str:
    """Lower-case words only: passages and extracts compare despite line breaks,
    quotes and hyphenation differences introduced by ingest."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def gate(app: Any) -> None:
    """How many questions the practice ranking reads as about practice."""
    from storfa.coding.practice_rank import PracticeRanker
    from storfa.search.embeddings import default_embedder

    ranker = PracticeRanker(app.store)
    embed = default_embedder().embed
    read = [sum(ranker.weights(q, embed([q])[0]) is not None for q in questions)
            for questions in (list(QUESTIONS.values()), PLAIN_QUESTIONS)]
    print(f"gate: {read[0]}/{len(QUESTIONS)} practice questions and "
          f"{read[1]}/{len(PLAIN_QUESTIONS)} everyday questions read as about practice")


def build(rows: list[Row], folder: Path) -> Path:
    """Ingest the reports and one Markdown review per extract, then embed (once)."""
    from storfa.app import Storfa
    from storfa.config import Settings

    if (folder / "embedded").exists():
        return folder
    extracts = folder / "extracts"
    extracts.mkdir(parents=True, exist_ok=True)
    for row in rows:
        (extracts / f"devset-{row.id}.md").write_text(
            f"# Extract {row.id}\n\n{row.text}\n", encoding="utf-8")
    app = Storfa(Settings(data_dir=folder / "data"))
    started = time.perf_counter()
    app.ingest.ingest(sorted(SHARED.glob("*.md")) + sorted(extracts.glob("*.md")))
    n = app.embeddings.backfill()
    print(f"built {folder.name}: {n} passages embedded in "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    app.close()
    (folder / "embedded").touch()
    return folder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--modes", nargs="*", default=["semantic", "hybrid", "keyword"])
    ap.add_argument("--negatives", action="store_true")
    ap.add_argument("--show", type=int, default=0, help="print the top N hits per question")
    ap.add_argument("--split", choices=["dev", "test"],
                    help="count only this split's positives as relevant (all are mixed "
                         "in): tune on dev, read test")
    args = ap.parse_args()
    from storfa.app import Storfa
    from storfa.config import Settings
    from storfa.domain.errors import StorfaError
    from storfa.search.embeddings import default_embedder

    held_out = load({"dev", "test"})
    positives = [r for r in held_out if r.best_practice]
    mixed = held_out if args.negatives else positives
    name = "semantic-questions-neg" if args.negatives else "semantic-questions"
    folder = build(mixed, OUT / f"{name}-{default_embedder().variant}")
    by_code: dict[str, list[str]] = defaultdict(list)
    for row in positives:
        assert row.code in QUESTIONS, row.code
        if args.split and row.split != args.split:
            continue
        by_code[row.code].append(squash(row.text))
    app = Storfa(Settings(data_dir=folder / "data"))
    gate(app)
    passages = sum(app.store.passage_counts().values())
    print(f"store: 4 reports + {len(mixed)} extracts ({len(positives)} positives), "
          f"{passages} passages")
    totals: dict[str, list[float]] = defaultdict(list)
    for mode in args.modes:
        print(f"\n{mode}")
        print(f"{'sub-theme':<40} {'rel':>3} {'found':>5} {'found@10':>8} "
              f"{'capped@10':>9} {'P@10':>5}")
        found_all = relevant_all = capped_all = 0.0
        for code, question in QUESTIONS.items():
            try:
                hits = app.search.search(question, limit=10, mode=mode).hits
            except StorfaError:  # keyword: no passage has every word
                hits = []
            texts = [squash(h.text) for h in hits]
            wanted = by_code[code]
            found = sum(any(w in t for t in texts) for w in wanted)
            useful = sum(any(w in t for w in wanted) for t in texts)
            rel = len(wanted)
            row = (found / rel, found / min(rel, 10), useful / 10)
            found_all += found
            relevant_all += rel
            capped_all += min(rel, 10)
            totals[f"{mode}:macro"].append(row[1])
            totals[f"{mode}:p10"].append(row[2])
            print(f"{code:<40} {rel:>3} {found:>5} {row[0]:>8.2f} {row[1]:>9.2f} {row[2]:>5.2f}")
            for h in hits[:args.show]:
                mark = "*" if any(w in squash(h.text) for w in wanted) else " "
                print(f"      {mark} {h.score:.3f} {h.review_id}: {h.text[:110]!r}")
        n = len(QUESTIONS)
        print(f"{'overall (pooled)':<40} {int(relevant_all):>3} {int(found_all):>5} "
              f"{found_all / relevant_all:>8.2f} {found_all / capped_all:>9.2f} "
              f"{sum(totals[f'{mode}:p10']) / n:>5.2f}")
        print(f"{'overall (mean of questions)':<40} {'':>3} {'':>5} {'':>8} "
              f"{sum(totals[f'{mode}:macro']) / n:>9.2f} {sum(totals[f'{mode}:p10']) / n:>5.2f}")
    app.close()


if __name__ == "__main__":
    main()
