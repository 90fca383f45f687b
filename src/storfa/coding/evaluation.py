"""The best-practice dev set and the figures the classifier is judged by,
shared by bench/classifier_dev.py, bench/train_classifier.py and
`storfa code train` so that all three report the same numbers.

The dev set (data/devset/best-practice.jsonl in a storfa checkout) is split
into train, dev and test; tune on dev, report test once."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from storfa.coding.classifier import Prediction
from storfa.domain.errors import StorfaError
from storfa.search.embeddings import Embedder

DEVSET = Path(__file__).resolve().parents[3] / "data" / "devset" / "best-practice.jsonl"


@dataclass(frozen=True)
class Row:
    id: str
    text: str
    best_practice: bool
    theme: str | None
    code: str | None
    source: str
    split: str

    @property
    def origin(self) -> str:
        return self.source.split(":", 1)[0]


def devset_path(path: Path | None = None) -> Path:
    """The dev set file: `path`, $STORFA_DEVSET, or the checkout's own."""
    chosen = path or Path(os.environ.get("STORFA_DEVSET", "") or DEVSET)
    if not chosen.is_file():
        raise StorfaError(f"The dev set is not at {chosen}; give its path with --devset "
                          "(data/devset/best-practice.jsonl in a storfa checkout).")
    return chosen


def load(splits: set[str] | None = None, path: Path | None = None) -> list[Row]:
    source = devset_path(path)
    rows = [Row(**json.loads(line)) for line in source.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return [r for r in rows if splits is None or r.split in splits]


def embed_cached(embedder: Embedder, texts: list[str], cache: Path) -> npt.NDArray[np.float32]:
    """Embeddings of `texts`, kept in `cache` so the same passages are embedded once."""
    key = hashlib.sha1("\n".join([embedder.variant, *texts]).encode()).hexdigest()[:16]
    path = cache / f"{key}.npy"
    if path.exists():
        cached: npt.NDArray[np.float32] = np.load(path, allow_pickle=False)
        return cached
    vectors = embedder.embed(texts)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def figures(rows: Sequence[Row], preds: Sequence[Prediction]) -> dict[str, float]:
    """Detection precision/recall/F1, theme and code accuracy (over every gold
    positive, a missed one counting as wrong, and over the detected ones) and
    calibration (Brier score, expected calibration error)."""
    gold = np.array([r.best_practice for r in rows])
    got = np.array([p.best_practice for p in preds])
    tp, fp, fn = int((gold & got).sum()), int((~gold & got).sum()), int((gold & ~got).sum())
    precision = tp / max(1, tp + fp)
    recall = tp / max(1, tp + fn)
    pos = [(r, p) for r, p in zip(rows, preds, strict=True) if r.best_practice]
    det = [(r, p) for r, p in pos if p.best_practice]
    p_bp = np.array([p.p_best_practice for p in preds])
    return {
        "n": len(rows), "positives": int(gold.sum()),
        "precision": precision, "recall": recall,
        "f1": 2 * precision * recall / max(1e-9, precision + recall),
        "theme_accuracy": float(np.mean([p.theme == r.theme for r, p in pos])) if pos else 0.0,
        "code_accuracy": float(np.mean([p.code == r.code for r, p in pos])) if pos else 0.0,
        "theme_accuracy_detected":
            float(np.mean([p.theme == r.theme for r, p in det])) if det else 0.0,
        "code_accuracy_detected":
            float(np.mean([p.code == r.code for r, p in det])) if det else 0.0,
        "brier": float(np.mean((p_bp - gold) ** 2)),
        "ece": expected_calibration_error(p_bp, gold),
    }


def expected_calibration_error(p: npt.NDArray[np.float64], y: npt.NDArray[np.bool_],
                               bins: int = 10) -> float:
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in itertools.pairwise(edges):
        inside = (p >= lo) & ((p < hi) if hi < 1 else (p <= hi))
        if inside.any():
            total += inside.mean() * abs(p[inside].mean() - y[inside].mean())
    return float(total)
