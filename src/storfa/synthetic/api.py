"""generate_review: seed in, GeneratedReview out."""

from __future__ import annotations

from storfa.synthetic.compose import compose_en
from storfa.synthetic.facts import make_facts
from storfa.synthetic.model import GeneratedReview


def generate_review(seed: int, review_type: str | None = None, language: str = "en",
                    pages_hint: int = 12, *, sequence: int | None = None) -> GeneratedReview:
    """Generate one review. Same arguments, same review, on any machine.

    `review_type` is one of CPR, APR, DHR, MHHR, SUSR (None: drawn from the seed).
    `language="cy"` gives the shorter Welsh version of the same case: same
    identifier, board, dates and recommendations, Welsh wording.
    `pages_hint` is the approximate page count of the rendered PDF.
    `sequence` overrides the identifier's sequence number (the corpus builder
    uses it to keep identifiers unique).
    """
    facts = make_facts(seed, review_type, pages_hint, sequence)
    if language == "en":
        return compose_en(facts, pages_hint)
    if language == "cy":
        from storfa.synthetic.welsh import compose_cy

        return compose_cy(facts, pages_hint)
    raise ValueError(f"language must be 'en' or 'cy', not {language!r}")
