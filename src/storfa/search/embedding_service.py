"""Embedding stored passages: back-fills every current passage without a vector.

Runs after text ingest (so a document is searchable by keyword at once and by
meaning once its vectors land), from `storfa reindex --embeddings` for older
stores, and in the queue worker after each job. Idempotent: it only ever asks
the store which passages still lack a vector, so an interrupted run resumes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from storfa.search.embeddings import MODEL_NAME, Embedder, default_embedder
from storfa.search.vectors import to_bytes
from storfa.storage.interface import Store

# Passages read, embedded and written per round: big enough that the store's
# write transaction is not the bottleneck, small enough that an interrupted
# run loses little work and memory stays flat.
ROUND = 512


class PassageScorer(Protocol):
    """Something computed from a passage's text and embedding and kept beside
    it (storfa.coding.practice_rank.PracticeScores)."""

    def store(self, store: Store, ids: Sequence[int], texts: Sequence[str],
              embeddings: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]: ...


class EmbeddingService:
    def __init__(self, store: Store,
                 embedder: Callable[[], Embedder] = default_embedder,
                 model: str = MODEL_NAME, scorer: PassageScorer | None = None) -> None:
        self.store = store
        self.scorer = scorer
        # A factory, so a run with nothing to embed never loads the model.
        self.embedder = embedder
        self.model = model

    def pending(self) -> int:
        return self.store.count_passages_missing_vectors(self.model)

    def backfill(self, progress: Callable[[int], None] | None = None,
                 on_total: Callable[[int], None] | None = None,
                 batch_size: int = 64) -> int:
        """Embed every current passage that has no vector; returns how many.
        `on_total(n)` is called once with the number to do, `progress(k)` as
        each batch of k passages is embedded."""
        total = self.pending()
        if on_total:
            on_total(total)
        done = 0
        while done < total:
            rows = self.store.passages_missing_vectors(self.model, ROUND)
            if not rows:
                break
            embedder = self.embedder()
            vectors = embedder.embed([text for _, text in rows], batch_size, progress)
            self.store.put_vectors(embedder.name, embedder.dim,
                                   [(pid, to_bytes(v)) for (pid, _), v in zip(rows, vectors,
                                                                             strict=True)])
            if self.scorer is not None:
                self.scorer.store(self.store, [pid for pid, _ in rows],
                                  [text for _, text in rows], vectors)
            done += len(rows)
        return done
