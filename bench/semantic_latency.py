"""Semantic search latency, memory and recall of the two paths of
search/vectors.py (exact scan; PCA prefilter + exact re-score), and hybrid
latency end to end.

    .venv/bin/python bench/semantic_latency.py [--sizes 20000 50000 100000 500000]
        [--repeat 60] [--noise 0.01] [--synth mix|tile] [--dims 64] [--candidates 2000]
        [--no-hybrid]

Vectors are REAL embeddings: the four shared-corpus reports and 20 generated
reviews are ingested once into bench/out/semantic-store and embedded with the
packaged model (a few minutes, cached), then grown to each size (`tiled`:
mixtures of real neighbours, or noisy copies) with small Gaussian noise (σ
per dimension, renormalised) so the store has the shape of real text.
Queries are real too: plain-language questions embedded by the model, and
real passages with fresh noise. Recall@10 is the share of the exact
top 10 that the prefiltered path returns, averaged over queries, with and
without a filter mask. Hybrid runs on the real store with the 500,000-row
index swapped in, so its semantic half scans the full-size matrix.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, corpus, summary_ms
from storfa.search.vectors import CANDIDATES, PREFILTER_DIMS, VectorIndex, normalise

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
STORE = OUT / "semantic-store"
QUERIES = [
    "practitioners kept trying to engage the family",
    "concerns were escalated to a manager",
    "information was shared between agencies promptly",
    "the child's voice was not heard",
    "records were clear and detailed",
    "missed health appointments were not followed up",
    "the health visitor kept going back although nobody answered the door",
    "staff had good supervision and safeguarding training",
    "a strategy meeting was held quickly with police and social care",
    "the school noticed the child was hungry and tired",
    "domestic abuse risk assessment was completed",
    "the mother refused to let professionals into the house",
]
Arrays = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float32]]


def real_store() -> Path:
    """The shared corpus and 20 generated reviews, ingested and embedded once."""
    from storfa.app import Storfa
    from storfa.config import Settings

    done = STORE / "embedded"
    if done.exists():
        return STORE
    app = Storfa(Settings(data_dir=STORE))
    generated = corpus(20, 12, formats=("md",))
    paths = sorted(SHARED.glob("*.md")) + sorted(p for p in generated.iterdir()
                                                  if p.suffix == ".md")
    app.ingest.ingest(paths)
    started = time.perf_counter()
    n = app.embeddings.backfill()
    print(f"embedded {n} real passages in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    app.close()
    done.touch()
    return STORE


def real_vectors() -> Arrays:
    """(passage ids, review rows, vectors) of the real store, cached as .npz."""
    cache = OUT / "semantic-real-vectors.npz"
    if not cache.exists():
        from storfa.app import Storfa
        from storfa.config import Settings
        from storfa.search.embeddings import MODEL_NAME

        app = Storfa(Settings(data_dir=real_store()))
        index = VectorIndex(app.store, MODEL_NAME)
        index.load()
        np.savez(cache, ids=index.ids, reviews=index.reviews, vectors=index.matrix)
        app.close()
    data = np.load(cache)
    return data["ids"], data["reviews"], data["vectors"]


def query_vectors(real: npt.NDArray[np.float32], noise: float, n_passages: int) -> npt.NDArray[
        np.float32]:
    """Embedded questions plus real passages with fresh noise (not rows of the index)."""
    from storfa.search.embeddings import default_embedder

    cache = OUT / "semantic-queries.npy"
    if not cache.exists():
        np.save(cache, default_embedder().embed(QUERIES))
    asked: npt.NDArray[np.float32] = np.load(cache)
    rng = np.random.default_rng(7)
    picked = real[rng.choice(len(real), n_passages, replace=False)]
    return np.vstack([asked, _noisy(picked, noise, rng)])


def _noisy(rows: npt.NDArray[np.float32], noise: float,
           rng: np.random.Generator) -> npt.NDArray[np.float32]:
    return normalise(rows + rng.normal(0, noise, rows.shape).astype(np.float32))


def tiled(real: Arrays, n: int, noise: float, how: str = "mix",
          **options: int) -> tuple[VectorIndex, npt.NDArray[np.int64]]:
    """An index of `n` rows made from the real vectors, ordered by review, with
    row numbers as ids (so recall is judged row by row), and the real passage
    id of each row (to swap in for hybrid, so hits still hydrate).

    "tile": copies of the real vectors with Gaussian noise σ per dimension.
    Copies of one passage then differ only by isotropic noise, which no
    projection can see: a pessimistic case. "mix": each new row lies between
    a real passage and one of its 20 nearest real neighbours (weight 0.5–1)
    plus the same noise, so rows spread along the directions real text
    varies in, as a larger corpus would."""
    ids, reviews, vectors = real
    rng = np.random.default_rng(1)
    source = np.tile(np.arange(len(vectors)), -(-n // len(vectors)))[:n]
    partner = source
    if how == "mix":
        sims = vectors @ vectors.T
        np.fill_diagonal(sims, -np.inf)
        near = np.argpartition(-sims, 20, axis=1)[:, :20]
        partner = near[source, rng.integers(0, 20, n)]
        partner[:len(vectors)] = source[:len(vectors)]  # the real rows themselves
    # A row stays in its passage's review, so the keyword engine's filters
    # (review rows) mean the same in the synthetic index.
    order = np.argsort(reviews[source], kind="stable")
    source, partner = source[order], partner[order]
    matrix = np.empty((n, vectors.shape[1]), dtype=np.float32)
    for start in range(0, n, 50_000):  # in chunks: no second full-size temporary
        a, b = source[start:start + 50_000], partner[start:start + 50_000]
        weight = rng.uniform(0.5, 1.0, (len(a), 1)).astype(np.float32)
        mixed = weight * vectors[a] + (1 - weight) * vectors[b]
        matrix[start:start + len(a)] = _noisy(mixed, noise, rng)
    index = VectorIndex(None, how, **options)
    index.set(np.arange(n, dtype=np.int64), reviews[source].astype(np.int64), matrix)
    return index, ids[source]


def recall(index: VectorIndex, queries: npt.NDArray[np.float32],
           mask: npt.NDArray[np.bool_] | None) -> float:
    shares = []
    for q in queries:
        exact = {p for p, _ in index.search(q, 10, mask, exact=True).hits}
        fast = {p for p, _ in index.search(q, 10, mask).hits}
        shares.append(len(exact & fast) / max(1, len(exact)))
    return float(np.mean(shares))


def timed(index: VectorIndex, queries: npt.NDArray[np.float32], repeat: int,
          mask: npt.NDArray[np.bool_] | None, exact: bool) -> list[float]:
    samples = []
    for i in range(repeat):
        q = queries[i % len(queries)]
        t = time.perf_counter()
        index.search(q, 10, mask, 0.15, exact=exact)
        samples.append(time.perf_counter() - t)
    return samples


def latency(real: Arrays, queries: npt.NDArray[np.float32], n: int, args: argparse.Namespace,
            ) -> tuple[VectorIndex, npt.NDArray[np.int64]]:
    started = time.perf_counter()
    index, real_ids = tiled(real, n, args.noise, args.synth, exact_below=0, dims=args.dims,
                            candidates=args.candidates)
    built = time.perf_counter() - started
    assert index.prefilter is not None
    keys = np.unique(index.reviews)
    mask = index.review_mask(set(keys[::3].tolist()), {int(keys[1])})
    full, extra = index.matrix.nbytes / 2**20, index.prefilter.nbytes / 2**20
    print(f"{n:>8} vectors ({args.synth}): matrix {full:4.0f} MB, prefilter +{extra:3.0f} MB "
          f"({args.dims} dims, {args.candidates} candidates; built + PCA fit in {built:.1f} s)")
    for label, m in (("", None), (" filter+exclude", mask)):
        for exact in (True, False):
            path = "exact" if exact else "fast"
            samples = timed(index, queries, args.repeat, m, exact)
            print(f"   {path:>5}{label:<16}: {summary_ms(samples)}")
    print(f"   recall@10 fast vs exact: {recall(index, queries, None):.4f} "
          f"(filter+exclude {recall(index, queries, mask):.4f}; {len(queries)} queries)")
    return index, real_ids


def hybrid(index: VectorIndex | None, repeat: int) -> None:
    from storfa.app import Storfa
    from storfa.config import Settings

    app = Storfa(Settings(data_dir=real_store()))
    semantic = app.search.semantic
    sizes = [("real store", None)] + ([(f"{len(index.ids):,} rows", index)] if index else [])
    for label, swapped in sizes:
        if swapped is not None:
            semantic._index, semantic._stamp = swapped, app.store.vectors_stamp(semantic.model)
        for mode in ("semantic", "hybrid"):
            app.search.search(QUERIES[0], mode=mode)  # load model and matrix
            for suffix in ("", " type:CPR"):
                samples = []
                for i in range(repeat):
                    t = time.perf_counter()
                    app.search.search(QUERIES[i % len(QUERIES)] + suffix, mode=mode, limit=10)
                    samples.append(time.perf_counter() - t)
                print(f"   {label:>12} {mode:>8}{suffix or ' (no filter)':<12} end to end: "
                      f"{summary_ms(samples)}")
    app.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="*", default=[20_000, 50_000, 100_000, 500_000])
    ap.add_argument("--repeat", type=int, default=60)
    ap.add_argument("--noise", type=float, default=0.01)
    ap.add_argument("--dims", type=int, default=PREFILTER_DIMS)
    ap.add_argument("--candidates", type=int, default=CANDIDATES)
    ap.add_argument("--synth", choices=("mix", "tile"), default="mix")
    ap.add_argument("--queries", type=int, default=100, help="noisy real passages as queries")
    ap.add_argument("--no-hybrid", action="store_true")
    args = ap.parse_args()
    real = real_vectors()
    queries = query_vectors(real[2], args.noise, args.queries)
    print(f"{len(real[0])} real passage vectors; noise σ {args.noise} per dimension")
    built = None
    for n in args.sizes:
        built = latency(real, queries, n, args)
    if not args.no_hybrid:
        swap = None
        if built is not None and len(built[0].ids) >= 100_000:
            swap, swap.ids = built[0], built[1]  # real passage ids, so hits hydrate
        hybrid(swap, args.repeat)


if __name__ == "__main__":
    main()
