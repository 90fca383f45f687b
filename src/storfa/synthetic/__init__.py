"""A seeded, deterministic generator of realistic Welsh safeguarding reviews.

Used by the demo, the tests and the benchmarks. Every review is written from
sentence banks authored for this project (no text from real reports) in the
Welsh Child Practice Review template's structure, with its ground truth kept:
`GeneratedReview.expected_metadata()` and `GeneratedReview.plain_text()`.
"""

from __future__ import annotations

from storfa.synthetic.api import generate_review
from storfa.synthetic.corpus import generate_corpus
from storfa.synthetic.model import GeneratedReview, Recommendation, Section
from storfa.synthetic.office import render_docx, render_html, render_markdown
from storfa.synthetic.pdf import header_text, render_pdf
from storfa.synthetic.vocab import BOARDS, REVIEW_TYPES, age_band

__all__ = [
    "BOARDS",
    "REVIEW_TYPES",
    "GeneratedReview",
    "Recommendation",
    "Section",
    "age_band",
    "generate_corpus",
    "generate_review",
    "header_text",
    "render_docx",
    "render_html",
    "render_markdown",
    "render_pdf",
]
