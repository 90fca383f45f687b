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
from storfa.search.vectors import from_bytes, to_bytes
from storfa.storage.interface import Store

# Passages read, embedded and written per round: big enough that the store's
# write transaction is not the bottleneck, small enough that an interrupted
# run loses little work and memory stays flat.
ROUND = 512


class PassageScorer(Protocol):
    """Something computed from a passage's text and embedding and kept beside
    it (storfa.coding.practice_rank.PracticeScores)."""

    @property
    def model(self) -> str:
        """The name its rows are stored under in passage_vectors."""
        ...

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

    def unscored(self) -> int:
        """Embedded passages whose scores are missing (embedded before the
        scorer existed, or before its weights changed)."""
        if self.scorer is None:
            return 0
        return max(0, self.store.count_passages_missing_vectors(self.scorer.model)
                   - self.pending())

    def backfill(self, progress: Callable[[int], None] | None = None,
                 on_total: Callable[[int], None] | None = None,
                 batch_size: int = 64) -> int:
        """Embed every current passage that has no vector, then score the
        embedded passages that have no scores; returns how many were embedded.
        `on_total(n)` is called once with the number to do (both kinds),
        `progress(k)` as each batch of k passages is done."""
        total = self.pending()
        if on_total:
            on_total(total + self.unscored())
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
        self._score_embedded(progress)
        return done

    def _score_embedded(self, progress: Callable[[int], None] | None) -> None:
        if self.scorer is None:
            return
        while rows := self.store.passages_missing_vectors(self.scorer.model, ROUND):
            stored = self.store.vectors_of([pid for pid, _ in rows], self.model)
            rows = [(pid, text) for pid, text in rows if pid in stored]
            if not rows:
                break  # what is left has no vector yet (being embedded elsewhere)
            vectors = np.stack([from_bytes(stored[pid]) for pid, _ in rows])
            self.scorer.store(self.store, [pid for pid, _ in rows],
                              [text for _, text in rows], vectors)
            if progress:
                progress(len(rows))
