"""Evaluate the shipped best-practice classifier on the dev set.

    python bench/classifier_dev.py               # the dev split (tune on this)
    python bench/classifier_dev.py --split test  # the held-out split: report once

Prints precision, recall and F1 of best-practice detection, theme and code
accuracy (over every gold positive, a missed one counting as wrong, and over
the detected ones), a theme confusion matrix, calibration of the confidence
(Brier score, expected calibration error, reliability bins) and the same
figures for real text (../shared/corpus passages) alone."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Sequence

import numpy as np

from devset import Row, embed_cached, load
from storfa.coding import load_codebook
from storfa.coding.classifier import Prediction, load_classifier
from storfa.coding.evaluation import figures

SHORT = {"Care and Support": "Care", "Communication": "Comm", "Risk and Escalation": "Risk",
         "Policy, Procedures and Recording": "Policy", "Learning and Reflections": "Learn",
         None: "(none)"}


def reliability(rows: Sequence[Row], preds: Sequence[Prediction]) -> None:
    p = np.array([x.p_best_practice for x in preds])
    y = np.array([r.best_practice for r in rows])
    print("\nReliability of P(best practice) (bin: n, mean predicted, observed rate)")
    for lo in np.arange(0, 1, 0.2):
        inside = (p >= lo) & (p < lo + 0.2 if lo < 0.8 else p <= 1)
        if inside.any():
            print(f"  {lo:.1f}-{lo + 0.2:.1f}: {int(inside.sum()):3d}  "
                  f"{p[inside].mean():.2f}  {y[inside].mean():.2f}")


def confusion(rows: Sequence[Row], preds: Sequence[Prediction]) -> None:
    themes = [t.name for t in load_codebook("best-practice").themes]
    labels: list[str | None] = [*themes, None]
    counts = Counter((r.theme, p.theme) for r, p in zip(rows, preds, strict=True))
    print("\nTheme confusion (rows: gold, columns: predicted)")
    print(" " * 8 + "".join(f"{SHORT[c]:>8}" for c in labels))
    for g in labels:
        print(f"{SHORT[g]:>8}" + "".join(f"{counts[(g, c)]:>8}" for c in labels))


def show(title: str, f: dict[str, float]) -> None:
    print(f"\n{title}: {f['n']} passages, {f['positives']} best practice")
    print(f"  detection  precision {f['precision']:.3f}  recall {f['recall']:.3f}  "
          f"F1 {f['f1']:.3f}")
    print(f"  theme accuracy {f['theme_accuracy']:.3f} (detected only "
          f"{f['theme_accuracy_detected']:.3f})   code accuracy {f['code_accuracy']:.3f} "
          f"(detected only {f['code_accuracy_detected']:.3f})")
    print(f"  calibration  Brier {f['brier']:.3f}  ECE {f['ece']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("train", "dev", "test"))
    parser.add_argument("--errors", action="store_true", help="list the wrong answers")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    rows = load({args.split})
    clf = load_classifier("best-practice")
    preds = clf.classify([r.text for r in rows], embed_cached(clf.embedder,
                                                              [r.text for r in rows]))
    real = [i for i, r in enumerate(rows) if r.origin == "corpus"]
    result = {"split": args.split, "all": figures(rows, preds),
              "real_text": figures([rows[i] for i in real], [preds[i] for i in real])}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    show(f"{args.split} split", result["all"])
    show(f"{args.split} split, real text only (../shared/corpus)", result["real_text"])
    confusion(rows, preds)
    reliability(rows, preds)
    if args.errors:
        print("\nErrors")
        for r, p in zip(rows, preds, strict=True):
            if (r.best_practice, r.code) != (p.best_practice, p.code):
                print(f"  gold {r.code or '-'} | got {p.code or '-'} "
                      f"({p.p_best_practice:.2f}) | {r.text[:110]}")


if __name__ == "__main__":
    main()
