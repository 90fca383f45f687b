"""Nearest-neighbour search over passage vectors, in the application.

Vectors are stored as float32 bytes in the database (both backends); this
keeps a normalised matrix in memory and answers cosine top-k.

Two paths, chosen by the number of vectors (docs/semantic-search.md has the
measurements):

- exact: one matrix-vector product over every row. Below `EXACT_BELOW` rows
  it is already a few milliseconds, and nothing else is held in memory.
- prefiltered: the scan is memory-bandwidth bound (500,000 × 384 float32 is
  740 MB read per query), so a PCA projection to `PREFILTER_DIMS` dimensions,
  fitted at load on a sample of the stored vectors, is scanned instead (a
  sixth of the bytes); the best `CANDIDATES` rows by that approximate
  cosine are re-scored exactly with the full vectors. Returned scores are
  therefore exact cosines; only the choice of candidates is approximate, and
  measured recall@10 against the exact scan is ≥ 0.99 on real embeddings.

Filters and exclusions are a boolean mask applied before candidates are
chosen, so a hidden review can never take a candidate's place or be scored.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from storfa.storage.interface import Store

Vector = npt.NDArray[np.float32]
Mask = npt.NDArray[np.bool_]
Ranked = list[tuple[int, float]]

# Measured with bench/semantic_latency.py: at 50,000 vectors the exact scan
# is ~9 ms p50 / 12 ms p95 (the prefilter 3 ms), well inside the 30 ms aim,
# and below this size holding no second matrix is worth more than 6 ms.
EXACT_BELOW = 50_000
# PCA dimensions scanned by the prefilter, and rows re-scored exactly. On
# real embeddings at 500,000 rows, 64 × 2,000 kept recall@10 at 1.00 (0.995
# with 48 dims even on the noisy-copies worst case); 1,000 candidates fell to
# 0.98, and more dimensions cost scan time for no recall.
PREFILTER_DIMS = 64
CANDIDATES = 2000
# Rows sampled to fit the projection: the 384 × 384 covariance is well
# estimated from far fewer rows than a national corpus holds.
PCA_SAMPLE = 20_000


def to_bytes(vector: Vector) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> Vector:
    return np.frombuffer(data, dtype="<f4").astype(np.float32)


def normalise(matrix: Vector, in_place: bool = False) -> Vector:
    """Rows scaled to unit length (a zero row stays zero); `in_place` for a
    writable float32 matrix too large to copy."""
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    if in_place:
        matrix /= norms
        return matrix
    result: Vector = (matrix / norms).astype(np.float32)
    return result


@dataclass(frozen=True)
class Neighbours:
    """`hits`: (passage id, exact cosine), best first, at least the minimum score.
    `related`: how many unmasked rows reach the minimum score; counted exactly
    on the exact path, estimated from the projected cosines on the prefiltered
    path (a display total, like "about N results")."""

    hits: Ranked
    related: int
    exact: bool


class Prefilter:
    """A PCA projection of the normalised rows: approximate cosine for every
    row at a sixth of the memory traffic of the full matrix.

    For a unit query q and row x, x·q = (x − μ)·q + μ·q ≈ ((x − μ)B)·(Bᵀq) + μ·q,
    where μ is the mean row and B the top principal directions; the error is
    the part of x − μ outside B, which the exact re-score removes."""

    def __init__(self, matrix: Vector, dims: int = PREFILTER_DIMS,
                 sample: int = PCA_SAMPLE, seed: int = 0) -> None:
        rows = len(matrix)
        dims = min(dims, matrix.shape[1])
        rng = np.random.default_rng(seed)  # seeded: the same store gives the same index
        picked = np.sort(rng.choice(rows, size=min(rows, sample), replace=False))
        fit = matrix[picked].astype(np.float64)
        self.mean: Vector = fit.mean(axis=0).astype(np.float32)
        centred = fit - fit.mean(axis=0)
        _, vectors = np.linalg.eigh(centred.T @ centred)  # ascending eigenvalues
        self.basis: Vector = np.ascontiguousarray(vectors[:, ::-1][:, :dims], dtype=np.float32)
        # (X − μ)B computed as XB − μB: no centred copy of the full matrix.
        # Held transposed (dims × rows): the scan is then a vector-matrix
        # product streaming long contiguous rows, measured faster and steadier
        # than the row-major product with short 64-float rows.
        reduced = matrix @ self.basis
        reduced -= self.mean @ self.basis
        self.reduced_t: Vector = np.ascontiguousarray(reduced.T)

    @property
    def nbytes(self) -> int:
        return int(self.reduced_t.nbytes + self.basis.nbytes + self.mean.nbytes)

    def scores(self, query: Vector) -> Vector:
        """Approximate cosine of every row with the unit `query`."""
        approx = ((query @ self.basis) @ self.reduced_t).astype(np.float32, copy=False)
        approx += np.float32(query @ self.mean)
        return approx


class VectorIndex:
    """Current passage vectors as one normalised matrix, ordered by review row,
    so a review's passages are one contiguous block and filters by review are a
    boolean mask built with one `np.repeat`."""

    def __init__(self, store: Store | None, model: str, exact_below: int = EXACT_BELOW,
                 candidates: int = CANDIDATES, dims: int = PREFILTER_DIMS) -> None:
        self.store = store
        self.model = model
        self.exact_below = exact_below
        self.candidates = candidates
        self.dims = dims
        self.ids: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self.reviews: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self.matrix: Vector = np.zeros((0, 0), dtype=np.float32)
        self.prefilter: Prefilter | None = None
        # Distinct review rows (ascending) and how many vectors each has.
        self._review_keys: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self._review_sizes: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)

    def load(self) -> int:
        if self.store is None:
            raise ValueError("this index has no store to load from")
        rows = self.store.current_vectors_by_review(self.model)
        count = len(rows)
        ids = np.fromiter((pid for pid, _, _ in rows), dtype=np.int64, count=count)
        reviews = np.fromiter((rid for _, rid, _ in rows), dtype=np.int64, count=count)
        # One buffer, normalised in place: a web worker reloads this
        # after every change, and joining the rows' bytes, then dividing into a
        # new array and casting it, held about four copies of the matrix at
        # once, which the allocator keeps as the worker's high-water mark.
        if not count:
            self._hold(ids, reviews, np.zeros((0, 0), dtype=np.float32))
            return 0
        # A bytearray, so the matrix is writable where it lies.
        buffer = bytearray().join(vec for _, _, vec in rows)
        del rows
        matrix: Vector = np.frombuffer(buffer, dtype="<f4").reshape(count, -1)
        self._hold(ids, reviews, normalise(matrix, in_place=True))
        return count

    def set(self, ids: npt.NDArray[np.int64], reviews: npt.NDArray[np.int64],
            matrix: Vector) -> None:
        """Hold these rows (ordered by review), normalised, with the prefilter
        fitted when there are enough of them to need it."""
        self._hold(ids, reviews,
                   normalise(matrix) if len(matrix) else np.zeros((0, 0), dtype=np.float32))

    def _hold(self, ids: npt.NDArray[np.int64], reviews: npt.NDArray[np.int64],
              matrix: Vector) -> None:
        self.ids, self.reviews = ids, reviews
        self.matrix = matrix
        self._review_keys, self._review_sizes = np.unique(self.reviews, return_counts=True)
        self.prefilter = None
        if len(self.matrix) >= max(self.exact_below, self.candidates + 1):
            self.prefilter = Prefilter(self.matrix, self.dims)

    @property
    def nbytes(self) -> int:
        extra = self.prefilter.nbytes if self.prefilter else 0
        return int(self.matrix.nbytes + self.ids.nbytes + self.reviews.nbytes + extra)

    def review_mask(self, allowed: Collection[int] | None,
                    excluded: Collection[int] = ()) -> Mask | None:
        """Which rows belong to reviews in `allowed` (None: all) and not in `excluded`;
        None when every row qualifies."""
        if allowed is None and not excluded:
            return None
        keep = np.ones(len(self._review_keys), dtype=bool)
        if allowed is not None:
            keep &= np.isin(self._review_keys, np.fromiter(allowed, dtype=np.int64))
        if excluded:
            keep &= ~np.isin(self._review_keys, np.fromiter(excluded, dtype=np.int64))
        return np.repeat(keep, self._review_sizes)

    def scores(self, query: Vector, mask: Mask | None = None) -> Vector:
        """Exact cosine of every row with `query`; -inf where `mask` is False."""
        scores: Vector = self.matrix @ normalise(np.asarray(query, dtype=np.float32))
        if mask is not None:
            np.putmask(scores, ~mask, -np.inf)
        return scores

    def top(self, scores: Vector, k: int) -> Ranked:
        """The k best finite scores as (passage id, score), best first."""
        rows = _best(scores, k)
        return [(int(self.ids[i]), float(scores[i])) for i in rows]

    def search(self, query: Vector, k: int, mask: Mask | None = None,
               min_score: float = -np.inf, exact: bool | None = None,
               bias: Vector | None = None) -> Neighbours:
        """The k best unmasked rows with cosine ≥ `min_score`. `exact` forces a
        path; by default the prefilter serves large stores. `bias` (one value a
        row) is added to each row's cosine before ranking, and the hits' scores
        are then cosine + bias; `related` still counts by cosine alone."""
        # One context for the whole search: changing BLAS's thread count and
        # back between products woke its workers again, 8 ms a query.
        with one_blas_thread():
            return self._search(query, k, mask, min_score, exact, bias)

    def _search(self, query: Vector, k: int, mask: Mask | None, min_score: float,
                exact: bool | None, bias: Vector | None) -> Neighbours:
        if k <= 0 or not len(self.ids):
            return Neighbours([], 0, True)
        q = normalise(np.asarray(query, dtype=np.float32))
        # Only unmasked rows are ever ranked. Selecting among them, rather than
        # setting masked scores to -inf, also keeps argpartition fast: hundreds
        # of thousands of equal -inf values measured 40 ms a query.
        allowed = None if mask is None else np.flatnonzero(mask)
        wanted = max(self.candidates, 2 * k)  # deep pages widen the candidate list
        count = len(self.ids) if allowed is None else len(allowed)
        if exact or self.prefilter is None or wanted >= count:
            every: Vector = self.matrix @ q
            rows, scores = _pick(_biased(every, bias, min_score), allowed, k)
            hits = [(int(self.ids[r]), float(v)) for r, v in zip(rows, scores, strict=True)
                    if every[r] >= min_score]
            return Neighbours(hits, _count_at_least(every, allowed, min_score), True)
        approx = self.prefilter.scores(q)
        related = _count_at_least(approx, allowed, min_score)
        rows, _ = _pick(approx if bias is None else approx + bias, allowed, wanted)
        exact_scores: Vector = self.matrix[rows] @ q
        final = _biased(exact_scores, None if bias is None else bias[rows], min_score)
        order = _best(final, k)
        hits = [(int(self.ids[rows[i]]), float(final[i])) for i in order
                if exact_scores[i] >= min_score]
        # The estimate must not undercount what is shown.
        return Neighbours(hits, max(related, len(hits)), False)

    def nearest(self, query: Vector, k: int,
                allowed: Collection[int] | None = None) -> Ranked:
        """(passage id, cosine similarity), best first; `allowed` restricts the ids."""
        mask = None
        if allowed is not None and len(self.ids):
            mask = np.isin(self.ids, np.fromiter(allowed, dtype=np.int64))
        return self.search(query, k, mask).hits


def one_blas_thread() -> Any:
    """A context in which NumPy's BLAS runs on the calling thread only.

    The scans are memory-bound matrix-vector products. The web app answers
    queries on several threads and workers over few cores, and BLAS threads
    then wait on cores held by others: measured on 2 shared cores, one thread
    halved the prefilter scan's p95 at 500,000 rows. The limit is process-wide;
    searches that overlap only change how many threads BLAS uses, never what
    it computes."""
    return _blas().limit(limits=1, user_api="blas")


@cache
def _blas() -> Any:
    from threadpoolctl import ThreadpoolController  # ships with scikit-learn

    return ThreadpoolController()


def _pick(scores: Vector, allowed: npt.NDArray[np.intp] | None,
          k: int) -> tuple[npt.NDArray[np.intp], Vector]:
    """Rows of the k best scores among `allowed` (None: all), best first, and
    their scores."""
    if allowed is None:
        rows = _best(scores, k)
        return rows, scores[rows]
    subset = scores[allowed]
    best = _best(subset, k)
    return allowed[best], subset[best]


def _biased(cosines: Vector, bias: Vector | None, min_score: float) -> Vector:
    """Cosine plus bias, -inf below the minimum cosine (so never ranked); the
    cosines themselves when there is no bias."""
    if bias is None:
        return cosines
    out: Vector = (cosines + bias).astype(np.float32, copy=False)
    out[cosines < min_score] = -np.inf
    return out


def _count_at_least(scores: Vector, allowed: npt.NDArray[np.intp] | None,
                    floor: float) -> int:
    return int(np.count_nonzero((scores if allowed is None else scores[allowed]) >= floor))


def _best(scores: Vector, k: int) -> npt.NDArray[np.intp]:
    """Positions of the k highest finite scores, best first (ties by position)."""
    n = len(scores)
    k = min(k, n)
    if k <= 0:
        return np.zeros(0, dtype=np.intp)
    # Partition for the k largest in place of negating: no copy of the scores.
    top = np.argpartition(scores, n - k)[n - k:]
    top = top[np.lexsort((top, -scores[top]))]
    result: npt.NDArray[np.intp] = top[np.isfinite(scores[top])]
    return result
