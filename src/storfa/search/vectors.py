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
    def __init__(self, store: Store, model: str) -> None:
        self.store = store
        self.model = model
        self.ids: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self.matrix: Vector = np.zeros((0, 0), dtype=np.float32)

    def load(self) -> int:
        rows = self.store.current_vectors(self.model)
        self.ids = np.array([pid for pid, _ in rows], dtype=np.int64)
        if rows:
            self.matrix = normalise(np.stack([from_bytes(vec) for _, vec in rows]))
        else:
            self.matrix = np.zeros((0, 0), dtype=np.float32)
        return len(rows)

    def nearest(self, query: Vector, k: int,
                allowed: Collection[int] | None = None) -> list[tuple[int, float]]:
        """(passage id, cosine similarity), best first; `allowed` restricts the ids."""
        if not len(self.ids):
            return []
        scores = self.matrix @ normalise(np.asarray(query, dtype=np.float32))
        if allowed is not None:
            mask = np.isin(self.ids, np.fromiter(allowed, dtype=np.int64))
            scores = np.where(mask, scores, -np.inf)
        k = min(k, int(np.isfinite(scores).sum()))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self.ids[i]), float(scores[i])) for i in top]
