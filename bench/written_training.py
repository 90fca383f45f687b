"""Would training on the written single-case reviews lift what a user sees on
a review nobody trained on? One written review held out at a time.

    .venv/bin/python bench/written_training.py            # all variants
    .venv/bin/python bench/written_training.py --only coder
    .venv/bin/python bench/written_training.py --only coder --hold pcpr nicmr cvapr ssar

For each written review W (tests/data/written-*), three classifiers read W:

- `base`: trained on the extract dev set and the four labelled corpus
  reports, as the shipped one is (the same for every W);
- `coder`: the same detector and general coder, and a coder for
  single-case reviews also trained on the practice paragraphs of the other
  written reviews (as the shipped weights are, wholedoc_eval.train_all);
- `both`: detector and coder trained on the other written reviews too.

W is read as auto-coding reads it (zone priors of coding.document_model).
Printed, pooled over every W: P/R at 0.49 (the shipped single-case
threshold) and at the threshold chosen on the other reviews' held-out
scores, theme and sub-theme accuracy over the labelled practice paragraphs,
theme accuracy over the correctly suggested ones (what the tests' judged bar
counts), and per review the theme accuracy of each variant. Embeddings are
cached under bench/out; set STORFA_INT8 to compare with the tests (u8)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from devset import embed_cached, load
from storfa.coding.classifier import PassageClassifier
from storfa.coding.document_model import p_practice
from storfa.coding.model import ClassifierWeights
from storfa.coding.training import Example, Settings, train
from storfa.coding.wholedoc import LabelledPassage
from storfa.coding.wholedoc import load as load_wholedoc
from storfa.search.embeddings import Embedder, default_embedder
from wholedoc_eval import (
    BOOK,
    CORPUS,
    Scored,
    _theme,
    choose_threshold,
    examples_of,
    prf,
    score,
    single_case_reviews,
    suggestions,
)

SHIPPED_THRESHOLD = 0.49
VARIANTS = ("base", "coder", "both")


def fit(embedder: Embedder, examples: list[Example],
        coding: list[Example] | None = None) -> ClassifierWeights:
    emb = embed_cached(embedder, [e.text for e in examples])
    coding = coding or []
    coding_emb = embed_cached(embedder, [e.text for e in coding]) if coding else None
    return train(BOOK, examples, embedder, Settings(), emb, coding, coding_emb)


def read_with(weights: ClassifierWeights, name: str, items: list[LabelledPassage],
              embedder: Embedder) -> Scored:
    clf = PassageClassifier(BOOK, embedder, weights, weights)
    s = score(name, items, clf, embedder, single_case=True)
    s.p_doc = p_practice(s.p_text, s.readings, single_case=True)
    return s


def summary(label: str, scored: Sequence[Scored]) -> dict[str, float]:
    gold = np.concatenate([s.gold for s in scored])
    at = np.concatenate([suggestions(s, SHIPPED_THRESHOLD) for s in scored])
    picked = []
    for held in scored:
        t = choose_threshold([s for s in scored if s is not held], quiet=True)
        picked.append(suggestions(held, t))
    loo = np.concatenate(picked)
    theme, code, theme_s = [], [], []
    for s in scored:
        sug = suggestions(s, SHIPPED_THRESHOLD)
        for n, item in enumerate(s.items):
            if item.label.practice:
                theme.append(s.themes[n] == _theme(item))
                code.append(s.codes[n] == item.label.code)
                if sug[n]:
                    theme_s.append(s.themes[n] == _theme(item))
    p, r, _ = prf(at, gold)
    lp, lr, _ = prf(loo, gold)
    out = {"P": p, "R": r, "P_loo": lp, "R_loo": lr, "theme": float(np.mean(theme)),
           "code": float(np.mean(code)), "theme_sugg": float(np.mean(theme_s))}
    print(f"{label:6} at {SHIPPED_THRESHOLD}: P {p:.3f} R {r:.3f} | threshold held out: "
          f"P {lp:.3f} R {lr:.3f} | theme {out['theme']:.3f} sub-theme {out['code']:.3f} "
          f"theme of correct suggestions {out['theme_sugg']:.3f}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=VARIANTS[1:], default=None)
    ap.add_argument("--hold", nargs="+", metavar="NAME", default=None,
                    help="hold these reviews out together (a part of each name, e.g. "
                         "pcpr nicmr), trained once on the others, instead of one at a time")
    args = ap.parse_args()
    variants = [v for v in VARIANTS if args.only in (None, v) or v == "base"]
    embedder = default_embedder()
    base = [Example(r.text, r.best_practice, r.code) for r in load()]
    for item in load_wholedoc(CORPUS):
        if item.passage.kind != "heading":
            base.append(Example(item.passage.text, item.label.practice, item.label.code))
    written = single_case_reviews()
    if args.hold:
        folds = [[n for n in written if any(h in n for h in args.hold)]]
    else:
        folds = [[n] for n in written]
    base_weights = fit(embedder, base)
    scored: dict[str, list[Scored]] = {v: [] for v in variants}
    for k, held in enumerate(folds, 1):
        print(f"[{k}/{len(folds)}] holding out {', '.join(held)}", file=sys.stderr)
        others = [e for other, its in written.items() if other not in held
                  for e in examples_of(its)]
        weights = {"base": base_weights}
        if "both" in variants:
            weights["both"] = fit(embedder, base + others)
        if "coder" in variants:
            # The other reviews' practice paragraphs teach the coder only, as
            # wholedoc_eval.train_all ships it.
            weights["coder"] = fit(embedder, base, [e for e in others if e.best_practice])
        for name in held:
            for v in variants:
                scored[v].append(read_with(weights[v], name, written[name], embedder))
    print(f"\n{len(scored['base'])} written reviews held out "
          f"({sum(int(s.gold.sum()) for s in scored['base'])} practice paragraphs)")
    for v in variants:
        summary(v, scored[v])
    print(f"\n{'review':40} " + " ".join(f"{v:>7}" for v in variants) + "   (theme accuracy)")
    for i, s in enumerate(scored["base"]):
        cells = []
        for v in variants:
            t = scored[v][i]
            ok = [t.themes[n] == _theme(it) for n, it in enumerate(t.items) if it.label.practice]
            cells.append(f"{np.mean(ok):7.2f}")
        print(f"{s.name:40} " + " ".join(cells))


if __name__ == "__main__":
    main()
