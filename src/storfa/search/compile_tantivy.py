"""Compile the query syntax tree into a Tantivy query.

Words match on stems (so `escalation` finds `escalated`); phrases and
prefixes match the words as written; NEAR matches either order, each word
standing for all the indexed words that share its stem.

NEAR/n means at most n words between two sides, in either order. A chain
`a NEAR/n b NEAR/n c` is each neighbouring pair (`a NEAR/n b AND b NEAR/n c`).
Two single-position sides (words, prefixes) use a sloppy phrase in each order
(Tantivy's slop n admits exactly the gaps 0..n in the written order and
0..n-2 reversed, so both orders together give "at most n between"; a word
that both sides match counts once, when n >= 1). A side that is a phrase
uses exact offsets instead (one query per gap and order), because slop would
also let the phrase's own words drift apart. The PostgreSQL engine
(fts_postgres.py) compiles to the same semantics.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import tantivy

from storfa.domain.errors import N_, StorfaError
from storfa.search.query import (
    And,
    Filter,
    Near,
    Node,
    Not,
    Or,
    ParsedQuery,
    Phrase,
    Prefix,
    Term,
)
from storfa.search.tokens import stem, tokens


def facet_value(value: str | None) -> str:
    return (value or "").casefold()


Q = tantivy.Query
Occur = tantivy.Occur
# Two words' other spellings searched as plain phrases (in Welsh passages) up to
# this many pairs; beyond it, one regular-expression phrase.
MAX_SPELLING_PHRASES = 16
# A prefix or a word's variants expand to at most this many indexed words in a NEAR.
MAX_EXPANSION = 200


def alternation(words: Sequence[str]) -> str:
    """A regular expression matching any of the words as a whole term."""
    return "(" + "|".join(re.escape(w) for w in words) + ")"


class QueryCompiler:
    def __init__(self, schema: tantivy.Schema, searcher: tantivy.Searcher) -> None:
        self.schema = schema
        self.searcher = searcher

    def compile(self, parsed: ParsedQuery) -> tantivy.Query:
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        if parsed.node is not None:
            if isinstance(parsed.node, Not):
                clauses.append((Occur.Must, Q.all_query()))
                clauses.append((Occur.MustNot, self.node(parsed.node.item)))
            else:
                clauses.append((Occur.Must, self.node(parsed.node)))
        for flt in parsed.filters:
            clauses.append((Occur.Must, self.filter(flt)))
        if not clauses:
            return Q.all_query()
        if len(clauses) == 1 and clauses[0][0] == Occur.Must:
            return clauses[0][1]
        return Q.boolean_query(clauses)

    # ----------------------------------------------------------------- nodes
    def node(self, node: Node) -> tantivy.Query:
        if isinstance(node, Term):
            return self.term(node.token)
        if isinstance(node, Prefix):
            return Q.regex_query(self.schema, "raw", re.escape(node.token) + ".*")
        if isinstance(node, Phrase):
            return Q.phrase_query(self.schema, "raw", list[str | tuple[int, str]](node.tokens))
        if isinstance(node, And):
            return self.boolean(node.items)
        if isinstance(node, Or):
            return Q.boolean_query([(Occur.Should, self.node(i)) for i in node.items])
        if isinstance(node, Not):
            return Q.boolean_query([(Occur.Must, Q.all_query()),
                                    (Occur.MustNot, self.node(node.item))])
        if isinstance(node, Near):
            return self.near(node)
        raise StorfaError(N_("Unsupported query part: {node!r}"), node=node)

    def boolean(self, items: Sequence[Node]) -> tantivy.Query:
        clauses = []
        for item in items:
            if isinstance(item, Not):
                clauses.append((Occur.MustNot, self.node(item.item)))
            else:
                clauses.append((Occur.Must, self.node(item)))
        if all(occur == Occur.MustNot for occur, _ in clauses):
            clauses.append((Occur.Must, Q.all_query()))
        return Q.boolean_query(clauses)

    def term(self, token: str) -> tantivy.Query:
        stemmed = stem(token)
        # English passages hold stems; Welsh passages hold the words unstemmed.
        queries = [Q.term_query(self.schema, "stem", stemmed)]
        if stemmed != token:
            queries.append(Q.term_query(self.schema, "stem", token))
        if len(queries) == 1:
            return queries[0]
        return Q.boolean_query([(Occur.Should, q) for q in queries])

    def variants(self, token: str) -> list[str]:
        """Indexed words that share `token`'s stem (or the word itself)."""
        target = stem(token)
        common = 0
        while common < min(len(token), len(target)) and token[common] == target[common]:
            common += 1
        prefix = token[: max(common, 2)] if common >= 2 else token
        found = {token}
        for word, _ in self.searcher.terms_with_prefix("raw", prefix, limit=5000):
            if stem(word) == target:
                found.add(word)
                if len(found) >= MAX_EXPANSION:
                    break
        return sorted(found)

    def pattern(self, item: Node) -> list[str]:
        if isinstance(item, Term):
            return [alternation(self.variants(item.token))]
        if isinstance(item, Prefix):
            return [re.escape(item.token) + ".*"]
        if isinstance(item, Phrase):
            return [re.escape(t) for t in item.tokens]
        raise StorfaError(N_("NEAR joins words, prefixes (word*) or phrases."))

    def near(self, node: Near) -> tantivy.Query:
        pairs = [self.near_pair(a, b, node.distance)
                 for a, b in itertools.pairwise(node.items)]
        if len(pairs) == 1:
            return pairs[0]
        return Q.boolean_query([(Occur.Must, q) for q in pairs])

    def near_pair(self, a: Node, b: Node, distance: int) -> tantivy.Query:
        if isinstance(a, Term) and isinstance(b, Term):
            return self.near_words(a.token, b.token, distance)
        left, right = self.pattern(a), self.pattern(b)
        if len(left) == 1 and len(right) == 1:
            return self.sloppy_pattern(left, right, distance)
        alternatives = []
        for first, second in ((left, right), (right, left)):
            for gap in range(distance + 1):
                words: list[str | tuple[int, str]] = list(enumerate(first))
                words += [(len(first) + gap + k, w) for k, w in enumerate(second)]
                alternatives.append(Q.regex_phrase_query(self.schema, "raw", words))
        return Q.boolean_query([(Occur.Should, q) for q in alternatives])

    def near_words(self, a: str, b: str, distance: int) -> tantivy.Query:
        """Two words, each standing for every word sharing its stem. Passages
        stored stemmed (all but Welsh) hold exactly that in `stem`, so a
        sloppy phrase of the two stems there finds them; Welsh passages hold
        their words as written in `stem`, so the same phrase finds the stems
        themselves there, and phrases over `raw` add the other spellings,
        for Welsh passages only. On 1.5 M passages this takes half the time
        of one regular-expression phrase over every spelling in `raw`
        (docs/performance.md, "Search at 2,500 and 1.5 M passages")."""
        stems = (stem(a), stem(b))
        queries = [self.sloppy("stem", stems, distance)]
        left, right = self.variants(a), self.variants(b)
        spellings = [(x, y) for x in left for y in right if (x, y) != stems]
        if spellings:
            if len(spellings) > MAX_SPELLING_PHRASES:
                others = [self.sloppy_pattern([alternation(left)], [alternation(right)],
                                              distance)]
            else:
                others = [self.sloppy("raw", pair, distance) for pair in spellings]
            welsh = Q.term_query(self.schema, "lang", "cy")
            queries.append(Q.boolean_query([
                (Occur.Must, Q.boolean_query([(Occur.Should, q) for q in others])),
                (Occur.Must, welsh)]))
        return Q.boolean_query([(Occur.Should, q) for q in queries])

    def sloppy(self, field: str, pair: tuple[str, str], distance: int) -> tantivy.Query:
        """Two words at most `distance` apart, in either order (see the top)."""
        first, second = pair
        return Q.boolean_query([
            (Occur.Should, Q.phrase_query(self.schema, field, words, slop=distance))
            for words in (list[str | tuple[int, str]]([first, second]),
                          list[str | tuple[int, str]]([second, first]))])

    def sloppy_pattern(self, left: list[str], right: list[str], distance: int
                       ) -> tantivy.Query:
        return Q.boolean_query([
            (Occur.Should, Q.regex_phrase_query(self.schema, "raw", [*first, *second],
                                                slop=distance))
            for first, second in ((left, right), (right, left))])

    # --------------------------------------------------------------- filters
    def filter(self, flt: Filter) -> tantivy.Query:
        name = flt.field
        if name == "year":
            lo = int(flt.value) if flt.value else None
            hi = int(flt.value_to) if flt.value_to else None
            if lo is None and hi is None:
                return Q.all_query()
            return Q.range_query(self.schema, "year", tantivy.FieldType.Integer, lo, hi)
        if name == "board":
            # Imported here: storfa.ingest.metadata loads every metadata extractor,
            # which a search without board: should not wait for (CLI start).
            from storfa.ingest.metadata.boards import normalise_board

            board = normalise_board(flt.value) or flt.value
            return Q.term_query(self.schema, "board", facet_value(board))
        if name in ("type", "review"):
            return Q.term_query(self.schema, name, facet_value(flt.value))
        if name == "lang":
            return Q.term_query(self.schema, "lang", flt.value.casefold())
        if name == "section":
            words = tokens(flt.value)
            if not words:
                return Q.all_query()
            if len(words) == 1:
                return Q.term_query(self.schema, "section", words[0])
            return Q.phrase_query(self.schema, "section", list[str | tuple[int, str]](words))
        if name == "theme":
            raise StorfaError(N_(
                "theme: filters need coded extracts, which arrive with qualitative coding; "
                "search the theme's words instead for now."))
        raise StorfaError(N_("Unknown filter {name}:"), name=name)

