"""Choosing the recurrence threshold (docs/reports.md): generated reviews
whose recommendations' themes are known (the generator's facts), grouped by
meaning at several cosine-distance thresholds, scored against two truths:
the theme a recommendation was written for, and the exact phrasing (theme and
template) it came from. Adjusted Rand index and the number of groups.

    .venv/bin/python bench/recurrence_threshold.py [--reviews 60]
"""

from __future__ import annotations

import argparse

from sklearn.metrics import adjusted_rand_score

from storfa.recommendations.recurrence import EmbeddingCache, clusters, topic
from storfa.synthetic.api import generate_review
from storfa.synthetic.bank_learning import theme_by_key
from storfa.synthetic.facts import make_facts

THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
PAGES = 8


def corpus(n: int) -> tuple[list[str], list[str], list[str]]:
    texts, themes, phrasings = [], [], []
    for seed in range(n):
        facts = make_facts(seed, None, PAGES)
        review = generate_review(seed, pages_hint=PAGES)
        for spec, rec in zip(facts.recs, review.recommendations, strict=True):
            texts.append(rec.text)
            themes.append(spec.theme)
            phrasings.append(f"{spec.theme}/{spec.pick % len(theme_by_key(spec.theme).recs)}")
    return texts, themes, phrasings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reviews", type=int, default=60)
    args = parser.parse_args()
    texts, themes, phrasings = corpus(args.reviews)
    embed = EmbeddingCache()
    for name, inputs in (("topic", [topic(t) for t in texts]), ("full text", texts)):
        vectors = embed(inputs)
        print(f"\n{name}: {len(texts)} recommendations, {len(set(themes))} themes, "
              f"{len(set(phrasings))} phrasings")
        print("threshold  groups  ARI(theme)  ARI(phrasing)")
        for t in THRESHOLDS:
            labels = clusters(vectors, t)
            print(f"{t:9.2f}  {len(set(labels)):6d}  {adjusted_rand_score(themes, labels):10.3f}"
                  f"  {adjusted_rand_score(phrasings, labels):13.3f}")


if __name__ == "__main__":
    main()
