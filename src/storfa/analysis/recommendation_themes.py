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

from storfa.clock import utc_now
from storfa.coding.codebooks import Codebook, load_codebook
from storfa.coding.terms import Analysed, TermRule
from storfa.domain.reviews import Passage
from storfa.storage.sql.adapter import Database
from storfa.storage.sql.extracts import SUGGESTED, TERM, NewExtract, SQLExtracts
from storfa.storage.sql.recommendations import StoredRecommendation

CODEBOOK = "cpr-learning"
CODER = "auto-coder"  # the name the auto-coder's suggestions carry (coding/autocode.py)
SOURCE = "recommendation:"


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


def replace_suggestions(db: Database, review_row: int, new: Sequence[NewExtract]) -> int:
    """Replace the review's open recommendation suggestions only.

    SQLExtracts.replace_suggestions supersedes every open suggestion of the
    codebook for the review, which would throw away the auto-coder's passage
    suggestions; this keeps to those whose source is a recommendation, and
    like it never suggests again a span and code already coded."""
    extracts = SQLExtracts(db)
    now = utc_now()
    with db.write() as conn:
        # As there: a suggestion some coder re-coded still waits for the others.
        conn.execute(
            "UPDATE extracts SET superseded = 1 WHERE review_id = ? AND codebook = ? "
            "AND status = ? AND superseded = 0 AND source_detail LIKE ? AND id NOT IN "
            "(SELECT origin_id FROM extracts WHERE review_id = ? AND origin_id IS NOT NULL "
            "AND superseded = 0)", (review_row, CODEBOOK, SUGGESTED, SOURCE + "%", review_row))
        # Any current extract of the span and code (decided, or suggested by
        # the auto-coder already) makes a second suggestion of it redundant.
        decided = {(int(r["version_id"]), int(r["start_offset"]), int(r["end_offset"]),
                    str(r["code"]).casefold()) for r in conn.execute(
            "SELECT version_id, start_offset, end_offset, code FROM extracts "
            "WHERE review_id = ? AND codebook = ? AND superseded = 0",
            (review_row, CODEBOOK))}
        kept = [e for e in new if (e.version_id, e.start, e.end, e.code.casefold()) not in decided]
        for e in kept:
            extracts._insert(conn, e, SUGGESTED, now)  # one INSERT for every extract
    return len(kept)
