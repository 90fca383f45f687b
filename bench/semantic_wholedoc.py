"""Search by meaning over whole real reports (issue 14 item 6): do practice
questions put real examples of that practice first, among every other
paragraph of the reports?

    .venv/bin/python bench/semantic_wholedoc.py [--show 0] [--judge 5]

The store holds the four reports of ../shared/corpus and nothing else (1,602
paragraphs, 226 labelled practice in data/wholedoc). The thirteen questions
are bench/semantic_questions.py's, one per sub-theme; a question's relevant
paragraphs are those labelled practice with its sub-theme.

Nothing the ranking uses has seen the report a paragraph comes from: each
paragraph is scored by the classifier `bench/wholedoc_eval.py` trains without
its report (the dev set's other extracts and the other reports' labelled
paragraphs, as the shipped classifier is trained on all of them), and the
scores are kept under a name of their own. Rankings, in the same run:

- cosine: semantic search with no practice ranking;
- written only (zones): the practice ranking with a classifier trained on
  the dev set's written passages alone (no real report text at all);
- held out (text): the practice ranking, P(best practice) from the words;
- held out (zones): the same with the zone priors auto-coding uses
  (`coding.document_model`), which is what storfa ships.

Per ranking: found@10 capped (found / min(relevant, 10)), pooled and the mean
of questions; P@10 strict (hits labelled practice of the question's
sub-theme) and lenient (hits labelled practice of any sub-theme). `--judge N`
prints the top ten of N questions with each hit's label, to read by eye.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np

from common import OUT
from devset import embed_cached, load
from semantic_questions import QUESTIONS, SHARED
from storfa.coding.practice_rank import READING, PracticeRanker, PracticeScores

Matrix = np.ndarray


def squash(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


class HeldOutScores(PracticeScores):
    """PracticeScores of a classifier trained here, kept under its own name;
    `zones=False` scores the words alone."""

    def __init__(self, classifier: object, zones: bool) -> None:
        super().__init__(classifier)  # type: ignore[arg-type]
        self.zones = zones

    @cached_property
    def model(self) -> str:
        return f"practice:bench-written-only:{'zones' if self.zones else 'text'}:{READING}"

    def compute(self, texts: Sequence[str], sections: Sequence[str],
                embeddings: Matrix) -> Matrix:
        return super().compute(texts, sections if self.zones else [""] * len(texts), embeddings)


class FoldScores(PracticeScores):
    """Each passage scored by the classifier trained without its report."""

    def __init__(self, folds: dict[str, object], document_of: dict[str, str],
                 zones: bool) -> None:
        super().__init__(next(iter(folds.values())))  # type: ignore[arg-type]
        self.folds = {d: HeldOutScores(c, zones) for d, c in folds.items()}
        self.document_of = document_of
        self.zones = zones

    @cached_property
    def model(self) -> str:
        return f"practice:bench-lodo:{'zones' if self.zones else 'text'}:{READING}"

    def compute(self, texts: Sequence[str], sections: Sequence[str],
                embeddings: Matrix) -> Matrix:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        groups: dict[str, list[int]] = defaultdict(list)
        for n, text in enumerate(texts):
            groups[self.document_of.get(squash(text), "")].append(n)
        for document, at in groups.items():
            if document in self.folds:  # a paragraph of no labelled report keeps no lift
                out[at] = self.folds[document].compute(
                    [texts[i] for i in at], [sections[i] for i in at], embeddings[at])
        return out


def fold_classifiers() -> dict[str, object]:
    from storfa.coding.wholedoc import load as load_wholedoc
    from storfa.search.embeddings import default_embedder
    from wholedoc_eval import BOOK, fold_classifier

    docs: dict[str, list] = defaultdict(list)  # type: ignore[type-arg]
    for item in load_wholedoc(SHARED):
        docs[item.document].append(item)
    embedder = default_embedder()
    return {name: fold_classifier(BOOK, embedder, name, docs) for name in docs}


def written_only_classifier() -> object:
    from storfa.coding import load_codebook
    from storfa.coding.classifier import PassageClassifier
    from storfa.coding.training import Example, Settings, train
    from storfa.search.embeddings import default_embedder

    book = load_codebook("best-practice")
    embedder = default_embedder()
    rows = [r for r in load() if r.origin == "written"]
    examples = [Example(r.text, r.best_practice, r.code) for r in rows]
    weights = train(book, examples, embedder, Settings(),
                    embed_cached(embedder, [e.text for e in examples]))
    print(f"classifier trained on {len(examples)} written passages "
          f"({sum(e.best_practice for e in examples)} practice)", file=sys.stderr)
    return PassageClassifier(book, embedder, weights, weights)


def build(folder: Path) -> Path:
    from storfa.app import Storfa
    from storfa.config import Settings

    if not (folder / "embedded").exists():
        app = Storfa(Settings(data_dir=folder / "data"))
        started = time.perf_counter()
        app.ingest.ingest(sorted(SHARED.glob("*.md")))
        n = app.embeddings.backfill()
        app.close()
        (folder / "embedded").touch()
        print(f"built {folder.name}: {n} passages in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
    return folder


def judgements() -> tuple[dict[str, Any], dict[str, str], dict[str, set[str]]]:
    """The labelled reports' paragraphs (by squashed text): each one's label,
    the report it is from, and each sub-theme's relevant paragraphs."""
    from storfa.coding.wholedoc import load as load_wholedoc

    labelled = load_wholedoc(SHARED)
    labels = {squash(i.passage.text): i.label for i in labelled}
    document_of = {squash(i.passage.text): i.document for i in labelled}
    relevant: dict[str, set[str]] = defaultdict(set)
    for text, label in labels.items():
        if label.practice and label.code:
            relevant[label.code].add(text)
    return labels, document_of, relevant


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show", type=int, default=0, help="print the top N hits per question")
    ap.add_argument("--judge", type=int, default=5,
                    help="print the labelled top ten of this many questions")
    args = ap.parse_args()
    from storfa.app import Storfa
    from storfa.config import Settings
    from storfa.search.embeddings import default_embedder
    from storfa.search.service import SearchService

    labels, document_of, relevant = judgements()
    folder = build(OUT / f"semantic-wholedoc-{default_embedder().variant}")
    app = Storfa(Settings(data_dir=folder / "data"))
    folds = fold_classifiers()
    rankings: dict[str, SearchService] = {
        "cosine": SearchService(app.store, app.index),
        "written only (zones)": SearchService(app.store, app.index, reranker=PracticeRanker(
            app.store, HeldOutScores(written_only_classifier(), zones=True))),
        "held out (text)": SearchService(app.store, app.index, reranker=PracticeRanker(
            app.store, FoldScores(folds, document_of, zones=False))),
        "held out (zones)": SearchService(app.store, app.index, reranker=PracticeRanker(
            app.store, FoldScores(folds, document_of, zones=True))),
    }
    asked = [(code, q) for code, q in QUESTIONS.items() if relevant[code]]
    print(f"store: {sum(app.store.passage_counts().values())} passages; "
          f"{len(asked)} of {len(QUESTIONS)} questions have labelled paragraphs "
          f"({sum(len(relevant[c]) for c, _ in asked)} relevant)")
    for name, search in rankings.items():
        print(f"\n{name}")
        print(f"{'sub-theme':<40} {'rel':>3} {'found':>5} {'capped@10':>9} "
              f"{'P@10':>5} {'any':>5}")
        found_all = capped_all = 0
        macro, strict, lenient = [], [], []
        for n, (code, question) in enumerate(asked):
            hits = search.search(question, limit=10, mode="semantic").hits
            keys = [squash(h.text) for h in hits]
            wanted = relevant[code]
            found = sum(k in wanted for k in keys)
            practice = sum(bool(labels.get(k)) and labels[k].practice for k in keys)
            cap = min(len(wanted), 10)
            found_all += found
            capped_all += cap
            macro.append(found / cap)
            strict.append(found / 10)
            lenient.append(practice / 10)
            print(f"{code:<40} {len(wanted):>3} {found:>5} {found / cap:>9.2f} "
                  f"{found / 10:>5.2f} {practice / 10:>5.2f}")
            shown = args.show or (10 if name == "held out (zones)" and n < args.judge else 0)
            for h, k in list(zip(hits, keys, strict=True))[:shown]:
                label = labels.get(k)
                mark = ("*" if k in wanted else "p" if label and label.practice
                        else "r" if label and label.label == "recommendation" else " ")
                print(f"      {mark} {h.review_id[:28]:<28} {h.text[:100]!r}")
        print(f"{'overall (pooled)':<40} {'':>3} {found_all:>5} {found_all / capped_all:>9.2f} "
              f"{np.mean(strict):>5.2f} {np.mean(lenient):>5.2f}")
        print(f"{'overall (mean of questions)':<40} {'':>3} {'':>5} {np.mean(macro):>9.2f}")
    app.close()


if __name__ == "__main__":
    main()
