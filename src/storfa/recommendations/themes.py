"""Coding each recommendation to the `cpr-learning` codebook (docs/recommendations.md).

A recommendation is coded by the codebook's search-term rules (coding/terms.py),
the same rules the auto-coder applies to passages: cheap, offline and
deterministic, so it runs at ingest time and after every correction. The codes
are kept on the recommendation (the register's theme filter) and stored as
open suggestions in the coding machinery (storage/sql/extracts.py, source
detail `recommendation:<id>`, over the recommendation's passage), so the
coding matrix counts recurring learning and a coder can accept or reject them.

The recommendation categories in MISSION.md (whole-family approach,
professional curiosity, child's voice, health information sharing, missed
health appointments) are codes or term rules of `cpr-learning` already
(Whole-family focus; Assessing needs and risk; The child's voice;
Coordination of safeguarding responsibility; Health organisational
complexity), so no second codebook is made for them."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from storfa.coding.codebooks import load_codebook
from storfa.coding.terms import Analysed, TermRule
from storfa.domain.codebooks import Codebook
from storfa.domain.coding import SCOPE_MARK, TERM, NewExtract
from storfa.domain.recommendations import StoredRecommendation
from storfa.domain.reviews import Passage

CODEBOOK = "cpr-learning"
CODER = "auto-coder"  # the name the auto-coder's suggestions carry (coding/autocode.py)
# The scope of these suggestions (storage/sql/extracts.py): a re-run of the
# auto-coder leaves them alone, and a re-extraction replaces only them.
SOURCE = f"{SCOPE_MARK}recommendation:"


@cache
def _rules() -> tuple[Codebook, tuple[tuple[str, tuple[TermRule, ...]], ...]]:
    book = load_codebook(CODEBOOK)
    return book, tuple((c.name, tuple(TermRule.parse(t) for t in c.terms))
                       for c in book.leaves if c.terms)


def codes_of(text: str) -> list[str]:
    """The codebook's codes whose term rules the text matches, in codebook order."""
    _, rules = _rules()
    analysed = Analysed.of(text)
    return [code for code, code_rules in rules if any(r.matches(analysed) for r in code_rules)]


def theme_of(code: str) -> str:
    return _rules()[0].theme(code).name


def matches_theme(codes: Sequence[str], wanted: str) -> bool:
    """A filter value names a code or its theme (case aside)."""
    folded = wanted.strip().casefold()
    return any(folded in (c.casefold(), theme_of(c).casefold()) for c in codes)


def suggestions(recs: Sequence[StoredRecommendation], passages: dict[int, Passage],
                full_text: dict[int, str], review_row: int) -> list[NewExtract]:
    """One open suggestion per (recommendation, code), over its passage's span."""
    found = []
    for rec in recs:
        passage = passages.get(rec.passage_id or -1)
        text = full_text.get(rec.version_id, "")
        if passage is None or not 0 <= passage.start < passage.end <= len(text):
            continue
        for code in rec.themes:
            found.append(NewExtract(
                review_row=review_row, version_id=rec.version_id, start=passage.start,
                end=passage.end, text=text[passage.start:passage.end], codebook=CODEBOOK,
                code=code, theme=theme_of(code), coder=CODER, how=TERM,
                passage_id=passage.id, page=passage.page, source_detail=f"{SOURCE}{rec.id}"))
    return found
