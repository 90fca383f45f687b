"""Other rankings on bench/semantic_wholedoc.py's protocol (issue 14 item 6):
can anything storfa could ship beat the shipped practice ranking on whole
reports?

    .venv/bin/python bench/semantic_wholedoc_variants.py [--boot 10000] [--top 3]

Same store (the four reports of ../shared/corpus, 1,602 paragraphs), the same
thirteen questions and labels, and every paragraph's practice scores from the
classifier trained without its report (semantic_wholedoc.FoldScores, zone
priors), so every figure is held out in the same way as the shipped row's.
Each ranking scores every paragraph and, like the search, never shows one
below MIN_COSINE (0.15). The shipped semantic and hybrid rows come from the
real SearchService over the bench store (the keyword half is the real engine's
BM25 over the loosened question); the in-memory reproduction of both is
checked against it hit for hit before anything else is scored.

Notation: cos = cosine of question and paragraph; P = P(practice) with zone
priors; P(c|x) = the classifier's code probabilities; c* = the codebook code
whose definition is nearest the question (cosine to the classifier's seeds,
as PracticeRanker.weights reads it); match = Σ_c w_c P(c|x) with the shipped
softmax weights w; maxsim = the best cosine of the question with one of the
paragraph's sentences (sentences as classifier.sentences_of splits them; a
paragraph with none keeps its cosine); "read" = scores from
PassageClassifier.read (P from the paragraph's two most practice-like
sentences, codes from its mean sentence embedding), as auto-coding reads
paragraphs, instead of PassageClassifier.probabilities on the paragraph
embedding that PracticeScores.compute uses.

Rows marked "oracle" use the question's true sub-theme and cannot ship; they
bound what the query-side mapping loses. The paired bootstrap resamples the
thirteen questions (with replacement) and compares pooled capped@10 of a
ranking with the shipped one on the same resample.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import numpy.typing as npt

from common import OUT
from devset import embed_cached
from semantic_questions import QUESTIONS
from semantic_wholedoc import FoldScores, build, fold_classifiers, judgements, squash
from storfa.coding.classifier import PassageClassifier, sentences_of
from storfa.coding.context import MIN_WORDS, zone_of
from storfa.coding.document_model import p_in_zones
from storfa.coding.practice_rank import CODE_WEIGHT, EXAMPLE_WEIGHT, PracticeRanker
from storfa.search.embeddings import Embedder
from storfa.search.semantic import (
    HYBRID_DEPTH,
    MIN_COSINE,
    loosened,
    reciprocal_rank_fusion,
)
from storfa.search.vectors import normalise

Matrix = npt.NDArray[np.float32]
Vector = npt.NDArray[np.float64]
K = 10


class LookupEmbedder:
    """The real embedder behind a table of vectors already computed, so that
    PassageClassifier.read reuses the sentence embeddings of this run."""

    def __init__(self, inner: Embedder, table: dict[str, Matrix]) -> None:
        self.inner, self.table = inner, table
        self.name, self.dim, self.variant = inner.name, inner.dim, inner.variant

    def embed(self, texts: Sequence[str], batch_size: int = 64,
              progress: Callable[[int], None] | None = None) -> Matrix:
        missing = [t for t in dict.fromkeys(texts) if t not in self.table]
        if missing:
            self.table.update(zip(missing, self.inner.embed(missing, batch_size, progress),
                                  strict=True))
        return np.array([self.table[t] for t in texts], dtype=np.float32).reshape(
            len(texts), self.dim)


@dataclass
class Question:
    code: str
    text: str
    cos: Vector  # per index row
    maxsim: Vector
    w: Vector | None  # the shipped softmax weights over codes (None: not about practice)
    nearest: int  # c*, position in the classifier's leaves
    keyword: list[int]  # the real engine's BM25 ranking (passage ids), HYBRID_DEPTH deep


def top(ids: npt.NDArray[np.int64], score: Vector, cos: Vector, k: int) -> list[int]:
    """Passage ids of the k best scores, ties by row (as vectors._best), with
    rows below MIN_COSINE never ranked (as the search)."""
    s = np.where(cos >= MIN_COSINE, score, -np.inf)
    order = np.lexsort((np.arange(len(s)), -s))[:k]
    return [int(ids[i]) for i in order if np.isfinite(s[i])]


def read_rows(folds: dict[str, PassageClassifier], document: Sequence[str],
              texts: Sequence[str], sections: Sequence[str], matrix: Matrix) -> Matrix:
    """As FoldScores (zones) but with PassageClassifier.read, fold by fold."""
    out = np.zeros((len(texts), 1 + len(next(iter(folds.values())).leaves)), dtype=np.float32)
    groups: dict[str, list[int]] = defaultdict(list)
    for n, d in enumerate(document):
        groups[d].append(n)
    for d, at in groups.items():
        if d not in folds:
            continue
        p_text, p_codes = folds[d].read([texts[i] for i in at], matrix[at])
        p = p_in_zones(p_text, [zone_of(sections[i]) for i in at])
        out[at] = np.hstack([p[:, None], p_codes]).astype(np.float32)
    out[[len(t.split()) < MIN_WORDS for t in texts]] = 0.0
    return out


def bootstrap(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64], cap: npt.NDArray[np.int64],
              n: int, seed: int = 14) -> tuple[float, float, float, float]:
    """Pooled capped@10 of a minus b: observed, 95% interval over resampled
    questions, and the share of resamples where a is not better. (Once a
    ranking has been picked as best of many on these questions, its interval
    is optimistic.)"""
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(a), size=(n, len(a)))
    diff = (a[pick].sum(1) - b[pick].sum(1)) / cap[pick].sum(1)
    lo, hi = np.percentile(diff, [2.5, 97.5])
    return float((a.sum() - b.sum()) / cap.sum()), float(lo), float(hi), float((diff <= 0).mean())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--boot", type=int, default=10_000, help="bootstrap resamples")
    ap.add_argument("--top", type=int, default=4,
                    help="bootstrap and per-question figures for this many best rankings")
    args = ap.parse_args()
    from storfa.app import Storfa
    from storfa.config import Settings
    from storfa.search.embeddings import default_embedder
    from storfa.search.service import SearchService

    labels, document_of, relevant = judgements()
    embedder = default_embedder()
    folder = build(OUT / f"semantic-wholedoc-{embedder.variant}")
    app = Storfa(Settings(data_dir=folder / "data"))
    folds = fold_classifiers()
    classifiers = cast(dict[str, PassageClassifier], folds)
    ranker = PracticeRanker(app.store, FoldScores(folds, document_of, zones=True))
    shipped = SearchService(app.store, app.index, reranker=ranker)
    plain = SearchService(app.store, app.index)
    index = shipped.semantic.index()
    ids = index.ids
    hits = app.store.passage_hits([int(i) for i in ids])
    texts = [hits[int(i)].text for i in ids]
    sections = [hits[int(i)].section for i in ids]
    keys = [squash(t) for t in texts]
    gold = np.array([bool(labels.get(k)) and labels[k].practice for k in keys], dtype=np.float64)
    document = [document_of.get(k, "") for k in keys]
    row_of = {int(pid): n for n, pid in enumerate(ids)}
    rows = ranker.rows(index).astype(np.float64)
    clf = ranker.scores.classifier
    leaves = [c.name for c in clf.leaves]
    same_seeds = all(np.allclose(c.seeds, clf.seeds) for c in classifiers.values())

    # Sentences: embedded once (cached in bench/out), shared by maxsim and read.
    split = [sentences_of(t) for t in texts]
    flat = list(dict.fromkeys(s for parts in split for s in parts))
    table = dict(zip(flat, embed_cached(embedder, flat), strict=True))
    lookup = LookupEmbedder(embedder, table)
    for c in classifiers.values():
        c.embedder = lookup
    read = read_rows(classifiers, document, texts, sections, index.matrix).astype(np.float64)
    spans, at = [], 0
    sentence_matrix = normalise(np.array([table[s] for parts in split for s in parts],
                                         dtype=np.float32))
    for parts in split:
        spans.append((at, at + len(parts)))
        at += len(parts)
    print(f"store: {len(ids)} passages, {len(flat)} sentences; fold seeds identical: "
          f"{same_seeds}", file=sys.stderr)

    asked = [(c, q) for c, q in QUESTIONS.items() if relevant[c]]
    questions: list[Question] = []
    for code, text in asked:
        q = embedder.embed([text])[0]
        cos = (index.matrix @ normalise(q)).astype(np.float64)
        sent = (sentence_matrix @ normalise(q)).astype(np.float64)
        maxsim = np.array([sent[a:b].max() if b > a else cos[n]
                           for n, (a, b) in enumerate(spans)])
        w = ranker.weights(text, q)
        nearest = int(np.argmax(clf.seeds @ q))
        parsed = shipped.parse(text)
        keyword = [pid for pid, _ in app.index.search(loosened(parsed), HYBRID_DEPTH, 0, ())[1]]
        questions.append(Question(code, text, cos, maxsim, w, nearest, keyword))
    print("question → nearest code (c*): " + ", ".join(
        f"{q.code[:18]}→{'=' if leaves[q.nearest] == q.code else leaves[q.nearest][:18]}"
        for q in questions), file=sys.stderr)

    def match(r: Vector, q: Question) -> Vector:
        assert q.w is not None
        out: Vector = r[:, 1:] @ q.w
        return out

    def p_code(r: Vector, q: Question, code: int | None = None) -> Vector:
        out: Vector = r[:, 1 + (q.nearest if code is None else code)]
        return out

    def shipped_formula(cos: Vector, m: Vector, r: Vector) -> Vector:
        out: Vector = cos + (EXAMPLE_WEIGHT * r[:, 0] + CODE_WEIGHT) * m
        return out

    def rank_of(score: Vector, cos: Vector) -> list[int]:
        return top(ids, score, cos, HYBRID_DEPTH)

    def rrf(*rankings: list[int]) -> list[int]:
        return [pid for pid, _ in reciprocal_rank_fusion(rankings)][:K]

    def expanded(q: Question) -> Vector:
        v = normalise(clf.seeds[q.nearest].astype(np.float32))
        qv = normalise((embedder.embed([q.text])[0] + v).astype(np.float32))
        out: Vector = (index.matrix @ qv).astype(np.float64)
        return out

    Rank = Callable[[Question], list[int]]

    def blend(lam: float) -> Rank:
        return lambda q: top(ids, lam * q.cos + rows[:, 0] * p_code(rows, q), q.cos, K)

    S = "semantic: "
    variants: list[tuple[str, Rank]] = [
        ("cosine only", lambda q: top(ids, q.cos, q.cos, K)),
        (S + "shipped (cos + (2P+0.3)·match)",
         lambda q: top(ids, shipped_formula(q.cos, match(rows, q), rows), q.cos, K)),
        ("keyword only (BM25, loosened question)", lambda q: q.keyword[:K]),
        ("hybrid, no practice ranking (real engine)",
         lambda q: [h.passage_id for h in plain.search(q.text, K, mode="hybrid").hits]),
        ("hybrid as shipped (real engine)",
         lambda q: [h.passage_id for h in shipped.search(q.text, K, mode="hybrid").hits]),
        (S + "P·P(c*|x), no cosine",
         lambda q: top(ids, rows[:, 0] * p_code(rows, q), q.cos, K)),
        (S + "P·match, no cosine", lambda q: top(ids, rows[:, 0] * match(rows, q), q.cos, K)),
        (S + "(2P+0.3)·match, no cosine",
         lambda q: top(ids, shipped_formula(0 * q.cos, match(rows, q), rows), q.cos, K)),
        *[(S + f"{lam}·cos + P·P(c*|x)", blend(lam)) for lam in (0.1, 0.25, 0.5)],
        (S + "cos + (2P+0.3)·P(c*|x) (shipped, top code)",
         lambda q: top(ids, shipped_formula(q.cos, p_code(rows, q), rows), q.cos, K)),
        (S + "RRF(cosine, P·P(c*|x))",
         lambda q: rrf(rank_of(q.cos, q.cos), rank_of(rows[:, 0] * p_code(rows, q), q.cos))),
        (S + "shipped, query + c* definition embedded",
         lambda q: (lambda c: top(ids, shipped_formula(c, match(rows, q), rows), c, K))(
             expanded(q))),
        (S + "maxsim only", lambda q: top(ids, q.maxsim, q.cos, K)),
        (S + "shipped with maxsim for cos",
         lambda q: top(ids, shipped_formula(q.maxsim, match(rows, q), rows), q.cos, K)),
        (S + "shipped with read scores",
         lambda q: top(ids, shipped_formula(q.cos, match(read, q), read), q.cos, K)),
        (S + "P·P(c*|x), read scores",
         lambda q: top(ids, read[:, 0] * p_code(read, q), q.cos, K)),
        (S + "0.25·maxsim + P·P(c*|x), read scores",
         lambda q: top(ids, 0.25 * q.maxsim + read[:, 0] * p_code(read, q), q.cos, K)),
        (S + "0.25·cos + P·P(c*|x), read scores",
         lambda q: top(ids, 0.25 * q.cos + read[:, 0] * p_code(read, q), q.cos, K)),
        (S + "cos + 4P·match (weights 4 and 0)",
         lambda q: top(ids, q.cos + 4 * rows[:, 0] * match(rows, q), q.cos, K)),
        (S + "cos + 4P·match (weights 4 and 0), read scores",
         lambda q: top(ids, q.cos + 4 * read[:, 0] * match(read, q), q.cos, K)),
        (S + "P(read)·P(c*|x), paragraph codes",
         lambda q: top(ids, read[:, 0] * p_code(rows, q), q.cos, K)),
        (S + "P·P(c*|x, read), paragraph P",
         lambda q: top(ids, rows[:, 0] * p_code(read, q), q.cos, K)),
        ("hybrid: RRF(BM25, P·P(c*|x)), read scores",
         lambda q: rrf(q.keyword, rank_of(read[:, 0] * p_code(read, q), q.cos))),
        ("hybrid: RRF(BM25, P·P(c*|x))",
         lambda q: rrf(q.keyword, rank_of(rows[:, 0] * p_code(rows, q), q.cos))),
        ("hybrid: RRF(BM25, 0.25·cos + P·P(c*|x))",
         lambda q: rrf(q.keyword, rank_of(0.25 * q.cos + rows[:, 0] * p_code(rows, q), q.cos))),
        ("oracle: P·P(true code|x)",
         lambda q: top(ids, rows[:, 0] * p_code(rows, q, leaves.index(q.code)), q.cos, K)),
        ("oracle: P·P(true code|x), read scores",
         lambda q: top(ids, read[:, 0] * p_code(read, q, leaves.index(q.code)), q.cos, K)),
        ("oracle: labelled practice · P(c*|x), read codes",
         lambda q: top(ids, gold * p_code(read, q), q.cos, K)),
    ]

    # The reproduction must match the real search hit for hit.
    for q in questions:
        real = [h.passage_id for h in shipped.search(q.text, K, mode="semantic").hits]
        mine = top(ids, shipped_formula(q.cos, match(rows, q), rows), q.cos, K)
        real_h = [h.passage_id for h in shipped.search(q.text, K, mode="hybrid").hits]
        mine_h = rrf(q.keyword, rank_of(shipped_formula(q.cos, match(rows, q), rows), q.cos))
        assert real == mine, (q.code, real, mine)
        assert real_h == mine_h, (q.code, real_h, mine_h)
    print("in-memory semantic and hybrid rankings equal the real search's, hit for hit",
          file=sys.stderr)

    cap = np.array([min(len(relevant[q.code]), K) for q in questions], dtype=np.int64)
    found: dict[str, npt.NDArray[np.int64]] = {}
    practice: dict[str, npt.NDArray[np.int64]] = {}
    for name, rank in variants:
        f: list[int] = []
        p: list[int] = []
        for q in questions:
            got = [keys[row_of[pid]] for pid in rank(q)[:K]]
            f.append(sum(k in relevant[q.code] for k in got))
            p.append(sum(bool(labels.get(k)) and labels[k].practice for k in got))
        found[name], practice[name] = np.array(f), np.array(p)

    print(f"\n{len(questions)} questions, {int(cap.sum())} capped relevant "
          f"({sum(len(relevant[q.code]) for q in questions)} relevant)")
    print(f"{'ranking':<58} {'capped':>6} {'mean':>5} {'P@10':>5} {'any':>5}")
    for name, _ in variants:
        hit = found[name]
        print(f"{name:<58} {hit.sum() / cap.sum():>6.2f} {np.mean(hit / cap):>5.2f} "
              f"{np.mean(hit / K):>5.2f} {np.mean(practice[name] / K):>5.2f}")

    base = S + "shipped (cos + (2P+0.3)·match)"
    best = sorted((n for n, _ in variants if not n.startswith("oracle") and n != base),
                  key=lambda n: -int(found[n].sum()))[:args.top]
    # Always: the smallest change that could ship, and hybrid as it ships.
    best += [n for n in (S + "shipped with read scores", "hybrid as shipped (real engine)")
             if n not in best]
    print(f"\npaired bootstrap over questions ({args.boot} resamples), pooled capped@10 "
          "minus the shipped semantic row's")
    for name in best:
        d, lo, hi, worse = bootstrap(found[name], found[base], cap, args.boot)
        a, b = found[name], found[base]
        print(f"{name:<58} {d:+.2f} [{lo:+.2f}, {hi:+.2f}]  P(not better) {worse:.3f}  "
              f"questions better/same/worse {(a > b).sum()}/{(a == b).sum()}/{(a < b).sum()}")
    print(f"\nper question, found (capped at {K}): shipped | " + " | ".join(
        f"{n + 1}" for n in range(len(best))) + "   (" + "; ".join(
        f"{n + 1} = {name}" for n, name in enumerate(best)) + ")")
    for i, q in enumerate(questions):
        print(f"{q.code:<40} {cap[i]:>3} {found[base][i]:>3} | " + " | ".join(
            f"{found[n][i]:>2}" for n in best))
    app.close()


if __name__ == "__main__":
    main()
