"""`storfa code train`: retrain a codebook's classifier on the dev set's train
split plus this repository's decisions, and say by how much it changed.

Accepted extracts are positives with their code; rejected suggestions are
negatives (a person said "this is not an example"). The model is written to
the data directory ($STORFA_DATA/models/<codebook>.model.npz), never into the
package, and CodingService uses it for this repository from then on; without
it the built-in model stays the default. Before and after are the dev split's
figures (storfa.coding.evaluation, as bench/classifier_dev.py prints them)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storfa.coding.classifier import (
    PassageClassifier,
    Prediction,
    classifier_for,
    load_weights,
    model_path,
)
from storfa.coding.evaluation import Row, embed_cached, figures, load
from storfa.coding.training import Example, train
from storfa.domain.codebooks import Codebook
from storfa.domain.coding import ACCEPTED, REJECTED
from storfa.domain.errors import StorfaError
from storfa.search.embeddings import default_embedder

if TYPE_CHECKING:
    from storfa.coding.autocode import CodingService


@dataclass(frozen=True)
class TrainResult:
    codebook: str
    model: Path
    devset: int
    accepted: int
    rejected: int
    before: dict[str, float]
    after: dict[str, float]

    def as_json(self) -> dict[str, Any]:
        keys = ("f1", "precision", "recall", "theme_accuracy", "code_accuracy")
        return {"codebook": self.codebook, "model": str(self.model),
                "examples": {"devset_train": self.devset, "accepted": self.accepted,
                             "rejected": self.rejected},
                "before": {k: round(self.before[k], 4) for k in keys},
                "after": {k: round(self.after[k], 4) for k in keys},
                "change": {k: round(self.after[k] - self.before[k], 4) for k in keys}}


def without_retired(book: Codebook) -> Codebook:
    """The codebook's live codes only, the tree the new model is to code into."""
    data = book.to_dict()

    def keep(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**n, "children": keep(n.get("children", []))} for n in nodes
                if not n.get("retired")]

    return Codebook.from_dict({**data, "codes": keep(data["codes"])})


def _examples(book: Codebook, live: Codebook, rows: list[Row]) -> list[Example]:
    found = []
    for r in rows:
        code = book.current(r.code) if r.best_practice and r.code else None
        if r.best_practice and (code is None or code.name not in live
                                or not live.code(code.name).is_leaf):
            continue  # its code has gone from this codebook
        found.append(Example(r.text, r.best_practice, code.name if code else None))
    return found


def _gold(book: Codebook, row: Row) -> Row:
    code = book.current(row.code) if row.code else None
    return replace(row, code=code.name if code else row.code,
                   theme=code.theme if code else row.theme)


def _as_coded(book: Codebook, preds: list[Prediction]) -> list[Prediction]:
    """Predictions as auto-coding stores them: a merged code's successor."""
    found = []
    for p in preds:
        code = book.current(p.code) if p.code else None
        found.append(replace(p, code=code.name, theme=code.theme) if code else p)
    return found


def store_examples(service: CodingService, book: Codebook, live: Codebook
                   ) -> tuple[list[Example], int, int]:
    """Accepted extracts (with a live leaf code) and rejected ones, once per text."""
    seen: set[str] = set()
    found: list[Example] = []
    accepted = rejected = 0
    for e in service.extracts(codebook=book.name):
        if e.text in seen or e.status not in (ACCEPTED, REJECTED):
            continue
        if e.status == ACCEPTED:
            code = book.current(e.code)
            if code is None or code.name not in live or not live.code(code.name).is_leaf:
                continue
            found.append(Example(e.text, True, code.name))
            accepted += 1
        else:
            found.append(Example(e.text, False))
            rejected += 1
        seen.add(e.text)
    return found, accepted, rejected


def retrain(service: CodingService, codebook: str, models: Path,
            devset: Path | None = None) -> TrainResult:
    book = service.book(codebook)
    live = without_retired(book)
    if not live.leaves:
        raise StorfaError(f"The codebook '{book.name}' has no codes to train on.")
    cache = models / "cache"
    embedder = default_embedder()
    train_rows, dev_rows = load({"train"}, devset), load({"dev"}, devset)
    examples = _examples(book, live, train_rows)
    ours, accepted, rejected = store_examples(service, book, live)
    examples += ours
    if not any(e.best_practice for e in examples) or all(e.best_practice for e in examples):
        raise StorfaError("Training needs examples of best practice and of other text.")
    # Gold labels and predictions both in this codebook's terms (a merged
    # code counts as its successor), so before and after are comparable.
    dev_rows = [_gold(book, r) for r in dev_rows]
    dev_texts = [r.text for r in dev_rows]
    dev_emb = embed_cached(embedder, dev_texts, cache)
    before = figures(dev_rows, _as_coded(book, classifier_for(book, models)
                                         .classify(dev_texts, dev_emb)))
    emb = embed_cached(embedder, [e.text for e in examples], cache)
    weights = train(live, examples, embedder, embeddings=emb)
    detector = weights if book.name == "best-practice" else load_weights("best-practice")
    assert detector is not None  # the package ships it
    after = figures(dev_rows, _as_coded(book, PassageClassifier(book, embedder, weights,
                                                                detector)
                                        .classify(dev_texts, dev_emb)))
    target = model_path(models, book.name)
    models.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed, so a reader never sees half a model.
    fd, partial = tempfile.mkstemp(dir=models, suffix=".partial")
    with os.fdopen(fd, "wb") as fh:
        weights.save(fh)
    os.replace(partial, target)
    return TrainResult(book.name, target, len(train_rows), accepted, rejected, before, after)
