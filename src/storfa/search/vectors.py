"""Exact nearest-neighbour search over passage vectors, in the application.

Vectors are stored as float32 bytes in the database (both backends); this
keeps a normalised matrix in memory and answers cosine top-k with one
matrix-vector product. Exact search over 500,000 × 384 floats is tens of
milliseconds on two cores, so no approximate index is needed at this size."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import numpy.typing as npt

from storfa.storage.interface import Store

Vector = npt.NDArray[np.float32]


def to_bytes(vector: Vector) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> Vector:
    return np.frombuffer(data, dtype="<f4").astype(np.float32)


def normalise(matrix: Vector) -> Vector:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    result: Vector = (matrix / norms).astype(np.float32)
    return result


class VectorIndex:
    """Current passage vectors as one normalised matrix, ordered by review row,
    so a review's passages are one contiguous block and filters by review are a
    boolean mask built with one `np.repeat`."""

    def __init__(self, store: Store, model: str) -> None:
        self.store = store
        self.model = model
        self.ids: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self.reviews: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self.matrix: Vector = np.zeros((0, 0), dtype=np.float32)
        # Distinct review rows (ascending) and how many vectors each has.
        self._review_keys: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self._review_sizes: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)

    def load(self) -> int:
        rows = self.store.current_vectors_by_review(self.model)
        self.ids = np.fromiter((pid for pid, _, _ in rows), dtype=np.int64, count=len(rows))
        self.reviews = np.fromiter((rid for _, rid, _ in rows), dtype=np.int64, count=len(rows))
        if rows:
            flat = np.frombuffer(b"".join(vec for _, _, vec in rows), dtype="<f4")
            self.matrix = normalise(flat.reshape(len(rows), -1))
        else:
            self.matrix = np.zeros((0, 0), dtype=np.float32)
        self._review_keys, self._review_sizes = np.unique(self.reviews, return_counts=True)
        return len(rows)

    @property
    def nbytes(self) -> int:
        return int(self.matrix.nbytes + self.ids.nbytes + self.reviews.nbytes)

    def review_mask(self, allowed: Collection[int] | None,
                    excluded: Collection[int] = ()) -> npt.NDArray[np.bool_] | None:
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

    def scores(self, query: Vector, mask: npt.NDArray[np.bool_] | None = None) -> Vector:
        """Cosine of every row with `query`; -inf where `mask` is False."""
        scores: Vector = self.matrix @ normalise(np.asarray(query, dtype=np.float32))
        if mask is not None:
            scores[~mask] = -np.inf
        return scores

    def top(self, scores: Vector, k: int) -> list[tuple[int, float]]:
        """The k best finite scores as (passage id, score), best first."""
        k = min(k, len(scores))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self.ids[i]), float(scores[i])) for i in top if np.isfinite(scores[i])]

    def nearest(self, query: Vector, k: int,
                allowed: Collection[int] | None = None) -> list[tuple[int, float]]:
        """(passage id, cosine similarity), best first; `allowed` restricts the ids."""
        if not len(self.ids):
            return []
        mask = None
        if allowed is not None:
            mask = np.isin(self.ids, np.fromiter(allowed, dtype=np.int64))
        return self.top(self.scores(query, mask), k)
