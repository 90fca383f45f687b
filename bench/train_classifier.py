"""Train the best-practice classifier and write its weights as package data.

    python bench/train_classifier.py            # train split -> coding/data/best-practice.model.npz
    python bench/train_classifier.py --grid     # tune C on the dev split, write nothing

The weights are plain NumPy arrays (no pickle), so `storfa classify` loads them
without scikit-learn and without training. Never tune on the test split:
`bench/classifier_dev.py --split test` reports it once."""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import numpy as np

from devset import embed_cached, load
from storfa.coding import load_codebook
from storfa.coding.classifier import PassageClassifier
from storfa.coding.training import Example, Settings, train
from storfa.search.embeddings import default_embedder

OUT = Path(__file__).resolve().parents[1] / "src" / "storfa" / "coding" / "data" / \
    "best-practice.model.npz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", default="train", help="comma-separated splits to train on")
    parser.add_argument("--grid", action="store_true", help="tune on dev; write nothing")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    book = load_codebook("best-practice")
    embedder = default_embedder()
    rows = load(set(args.splits.split(",")))
    examples = [Example(r.text, r.best_practice, r.code) for r in rows]
    emb = embed_cached(embedder, [r.text for r in rows])
    if args.grid:
        dev = load({"dev"})
        dev_emb = embed_cached(embedder, [r.text for r in dev])
        for c_detect, c_code in itertools.product((0.003, 0.01, 0.03, 0.1), (0.003, 0.01, 0.03)):
            weights = train(book, examples, embedder, Settings(c_detect, c_code), emb)
            clf = PassageClassifier(book, embedder, weights, weights)
            preds = clf.classify([r.text for r in dev], dev_emb)
            gold = np.array([r.best_practice for r in dev])
            got = np.array([p.best_practice for p in preds])
            tp = int((gold & got).sum())
            f1 = 2 * tp / max(1, int(gold.sum() + got.sum()))
            theme = np.mean([p.theme == r.theme for p, r in zip(preds, dev, strict=True)
                             if r.best_practice])
            code = np.mean([p.code == r.code for p, r in zip(preds, dev, strict=True)
                            if r.best_practice])
            print(f"C_detect={c_detect:<5} C_code={c_code:<4} F1={f1:.3f} "
                  f"theme={theme:.3f} code={code:.3f}")
        return
    weights = train(book, examples, embedder, Settings(), emb)
    weights.save(args.out)
    print(f"trained on {len(rows)} passages ({sum(e.best_practice for e in examples)} "
          f"best practice) -> {args.out} ({args.out.stat().st_size:,} bytes); "
          f"Platt a={weights.platt[0]:.3f} b={weights.platt[1]:.3f}, "
          f"temperature {weights.temperature:.3f}")


if __name__ == "__main__":
    main()
