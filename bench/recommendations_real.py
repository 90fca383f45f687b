"""Recommendations found in real reports, scored paragraph by paragraph against
the whole-document labels (data/wholedoc/<report>.tsv, docs/recommendations.md).

Each report in the corpus folder that has labels is segmented as `storfa
ingest` segments it and given to the extractor. A passage counts as found when
some extracted recommendation covers it (the passages it was read from: its
own, a lead-in it joins, continuations, wrapped table rows). Precision is the
share of covered labelled passages labelled `recommendation`; recall the share
of `recommendation` passages covered. Per report and overall (micro).

    .venv/bin/python bench/recommendations_real.py [--corpus ../shared/corpus]
                                                   [--labels data/wholedoc] [--show]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from storfa.coding.wholedoc import (
    LABELS,
    RECOMMENDATION,
    LabelledPassage,
    join,
    read_document,
    read_labels,
)
from storfa.domain.recommendations import FoundRecommendation
from storfa.domain.reviews import Passage
from storfa.recommendations.extract import extract, in_recommendation_section

REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@dataclass
class Score:
    """Passage counts of one report (or all of them)."""

    name: str
    labelled: int = 0
    true: int = 0
    covered: int = 0
    hit: int = 0
    extracted: int = 0
    true_headed: int = 0  # recommendation passages under a recommendations-type heading
    hit_headed: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.hit / self.covered if self.covered else (1.0 if not self.true else 0.0)

    @property
    def recall(self) -> float:
        return self.hit / self.true if self.true else 1.0

    def add(self, other: Score) -> None:
        for name in ("labelled", "true", "covered", "hit", "extracted", "true_headed",
                     "hit_headed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def line(self) -> str:
        precision = f"{self.precision:.3f}" if self.covered else "  -  "
        headed = f"{self.hit_headed / self.true_headed:.3f}" if self.true_headed else "  -  "
        return (f"{self.name:46} {self.labelled:5} passages {self.true:4} recommendation, "
                f"{self.extracted:4} extracted covering {self.covered:4}: "
                f"precision {precision}, recall {self.recall:.3f} "
                f"(under a recommendations heading: {self.hit_headed}/{self.true_headed} {headed})")


def covered_seqs(found: Sequence[FoundRecommendation]) -> set[int]:
    return {seq for rec in found for seq in rec.passage_seqs}


def score_document(name: str, passages: Sequence[Passage],
                   labelled: Sequence[LabelledPassage]) -> Score:
    found = extract(passages)
    covered = covered_seqs(found)
    score = Score(name, labelled=len(labelled), extracted=len(found))
    for lp in labelled:
        is_true = lp.label.label == RECOMMENDATION
        is_covered = lp.passage.seq in covered
        score.true += is_true
        score.covered += is_covered
        score.hit += is_true and is_covered
        if is_true and in_recommendation_section(lp.passage.section):
            score.true_headed += 1
            score.hit_headed += is_covered
        opening = f"{lp.passage.seq:4} {' '.join(lp.passage.text.split())[:140]}"
        if is_true and not is_covered:
            score.misses.append(opening)
        elif is_covered and not is_true:
            score.extras.append(opening)
    return score


def score_corpus(corpus: Path, labels_dir: Path) -> list[Score]:
    """A score per labelled report found in `corpus`, in name order."""
    scores = []
    for labels_file in sorted(labels_dir.glob("*.tsv")):
        source = next(iter(sorted(corpus.glob(labels_file.stem + ".*"))), None)
        if source is None:
            continue
        passages = read_document(source)
        labelled = join(labels_file.stem, passages, read_labels(labels_file))
        scores.append(score_document(labels_file.stem, passages, labelled))
    return scores


def report(scores: Sequence[Score], show: bool) -> Score:
    total = Score("overall")
    for s in scores:
        print(s.line())
        if show:
            for text in s.misses:
                print(f"    missed {text}")
            for text in s.extras:
                print(f"    extra  {text}")
        total.add(s)
    print(total.line())
    return total


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=REAL)
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--show", action="store_true", help="list missed and extra passages")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir() or not any(args.labels.glob("*.tsv")):
        sys.exit(f"no labelled reports: need {args.corpus} and {args.labels}/*.tsv")
    report(score_corpus(args.corpus, args.labels), args.show)


if __name__ == "__main__":
    main()
