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

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from storfa.coding.codebooks import load_codebook
from storfa.coding.terms import Analysed, TermRule
from storfa.domain.codebooks import Codebook
from storfa.domain.coding import SCOPE_MARK, TERM, NewExtract
from storfa.domain.recommendations import StoredRecommendation
from storfa.domain.reviews import Passage
from storfa.search.query import And, Leaf, Near, Node, Or, Phrase, Prefix, Term
from storfa.search.tokens import stems

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


@cache
def _screened() -> tuple[tuple[str, tuple[tuple[TermRule, Node], ...]], ...]:
    """Each code's rules, each with its node for `_may`, whose terms are
    stemmed here once rather than per text."""
    return tuple((code, tuple((r, _stemmed(r.node)) for r in rules))
                 for code, rules in _rules()[1])


def _stemmed(node: Node) -> Node:
    """The node with each Term's token replaced by its stem (what `_may` looks up)."""
    if isinstance(node, Term):
        return Term(stems([node.token])[0])
    if isinstance(node, And | Or):
        return type(node)(tuple(_stemmed(i) for i in node.items))
    if isinstance(node, Near):
        return Near(tuple(_stemmed_leaf(i) for i in node.items), node.distance)
    return node  # Prefix and Phrase are not stemmed; `_may` never looks inside a Not


def _stemmed_leaf(leaf: Leaf) -> Leaf:
    return Term(stems([leaf.token])[0]) if isinstance(leaf, Term) else leaf


@dataclass(frozen=True)
class _Words:
    """A text's words as `_may` looks them up."""

    words: frozenset[str]
    stems: frozenset[str]
    ordered: tuple[str, ...]  # the words sorted: a prefix is a bisection away

    @classmethod
    def of(cls, analysed: Analysed) -> _Words:
        words = frozenset(analysed.words)
        return cls(words, frozenset(analysed.stems), tuple(sorted(words)))

    def has_prefix(self, prefix: str) -> bool:
        at = bisect.bisect_left(self.ordered, prefix)
        return at < len(self.ordered) and self.ordered[at].startswith(prefix)


def _may(node: Node, text: _Words) -> bool:
    """False only when the rule cannot match the text: a word it needs is
    absent (a term's stem, a word with the prefix, a phrase's every word).
    Most rules fail here, on look-ups; the rest go to TermRule.matches,
    which decides, so the codes are those the matcher alone gives."""
    if isinstance(node, Term):
        return node.token in text.stems
    if isinstance(node, Prefix):
        return text.has_prefix(node.token)
    if isinstance(node, Phrase):
        return all(t in text.words for t in node.tokens)
    if isinstance(node, And | Near):  # Near matches only when every item is found
        return all(_may(i, text) for i in node.items)
    if isinstance(node, Or):
        return any(_may(i, text) for i in node.items)
    return True  # Not: an absent word rules nothing out


def codes_of(text: str) -> list[str]:
    """The codebook's codes whose term rules the text matches, in codebook order."""
    analysed = Analysed.of(text)
    words = _Words.of(analysed)
    return [code for code, rules in _screened()
            if any(_may(node, words) and rule.matches(analysed) for rule, node in rules)]


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
