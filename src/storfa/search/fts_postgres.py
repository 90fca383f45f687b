"""PostgreSQL full-text search over storfa's own lexemes (STORFA_SEARCH_ENGINE=postgres).

Parity with the Tantivy engine comes from indexing the same analysis
(storfa.search.tokens), not from PostgreSQL's parsers and dictionaries:
each passage's `lexemes` tsvector is built in Python, token i (1-based) giving
lexemes at position i:

    every passage     the folded word            'escalating'  (phrases, prefixes, NEAR)
    English passage   's|' + its Snowball stem   's|escal'     (words)
    Welsh passage     'c|' + the word            'c|gofal'     (words: Welsh is not stemmed)
    Welsh passage     'e|' + its English stem    'e|gofal'     (NEAR only, see below)
    the section path  'h|' + word, positions 1…  'h|practic'   (section: filters)

`|` never occurs in a token, so a marked lexeme cannot collide with a word,
and a query prefix (`escalat*`, at least 2 letters) cannot reach into the
marked ones. The query tree compiles to a tsquery literal (cast with
`::tsquery`, never parsed by a text-search configuration):

    word        's|<stem>' | 's|<word>' | 'c|<stem>' | 'c|<word>'
                (= Tantivy's `stem` field: stems in English passages, words in Welsh)
    phrase      'was' <-> 'not' <-> 'brought'
    prefix      'escalat':*
    AND/OR/NOT  & | !
    a NEAR/n b  OR over exact distances: a <k> b | b <k> a for k = 1…n+1
                (tsquery <k> means exactly k positions apart; with a phrase the
                distance runs from its last word, or to its first word), plus
                a <0> b when both sides are single words or prefixes and n >= 1
                (Tantivy's sloppy phrase lets one word satisfy both sides).
                A word in NEAR stands for every word sharing its English stem
                ('s|<stem>' | 'e|<stem>' | '<word>'), as Tantivy's expansion of
                the word over its `raw` field does, in Welsh passages too.
                A chain a NEAR b NEAR c is (a NEAR b) & (b NEAR c).

Filters are SQL on the review's current columns (type, board, year, review
key) and the passage language; `section:` is a phrase of 'h|' lexemes. Only
passages of each review's current version are searched (the join on
`reviews.current_version_id`).

Ranking is `ts_rank_cd` (cover density), not Tantivy's BM25, so hits may come
in a different order; the set of hits is the same (tests/test_search_postgres_fts.py).

Limits (PostgreSQL's, documented rather than hidden): positions above 16383
are stored as 16383 and a lexeme keeps at most its first 256 positions in a
passage. Passages are at most 2,000 characters (ingest/segment.py), so the
first cannot happen; the second only in a passage repeating one word more
than 256 times, where phrases and NEAR could miss the later repeats.

`ts_headline` is not offered: it re-parses the passage with a text-search
configuration, whose tokens are PostgreSQL's (no accent folding, no 's|'
stems), so it would not find our lexemes and would mark different words
from the Tantivy engine. Snippets come from highlight.py for both engines.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from storfa.domain.errors import N_, StorfaError
from storfa.ingest.metadata.boards import normalise_board
from storfa.search.engine import Order
from storfa.search.query import And, Filter, Near, Node, Not, Or, ParsedQuery, Phrase, Prefix, Term
from storfa.search.tokens import stem, stems, tokens
from storfa.storage.interface import Store

MAX_POSITION = 16383  # PostgreSQL stores larger positions as 16383
MAX_POSITIONS_PER_LEXEME = 256  # PostgreSQL keeps only the first 256
MAX_TSQUERY_CHARS = 400_000  # a bound on NEAR expansion; far above any real query
SYNC_BATCH = 1000

STEM, WELSH, WELSH_STEM, SECTION = "s|", "c|", "e|", "h|"


def quote(lexeme: str) -> str:
    """A lexeme as a quoted tsvector/tsquery literal."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def passage_lexemes(text: str, language: str, section: str) -> str:
    """The tsvector literal for one passage (see the module docstring)."""
    words = tokens(text)
    positions: dict[str, list[int]] = {}

    def add(lexeme: str, position: int) -> None:
        found = positions.setdefault(lexeme, [])
        if len(found) < MAX_POSITIONS_PER_LEXEME and (not found or found[-1] != position):
            found.append(position)

    welsh = language == "cy"
    for i, (word, stemmed) in enumerate(zip(words, stems(words), strict=True), 1):
        pos = min(i, MAX_POSITION)
        add(word, pos)
        if welsh:
            add(WELSH + word, pos)
            add(WELSH_STEM + stemmed, pos)
        else:
            add(STEM + stemmed, pos)
    for i, word in enumerate(tokens(section), 1):
        add(SECTION + word, min(i, MAX_POSITION))
    return " ".join(f"{quote(lex)}:{','.join(map(str, pos))}" for lex, pos in positions.items())


# ------------------------------------------------------------------ compiling
def _any(lexemes: Iterable[str]) -> str:
    found = [quote(x) for x in dict.fromkeys(lexemes)]
    return found[0] if len(found) == 1 else "(" + " | ".join(found) + ")"


def term(token: str) -> str:
    stemmed = stem(token)
    return _any([STEM + stemmed, STEM + token, WELSH + stemmed, WELSH + token])


def _near_side(item: Node) -> tuple[str, bool]:
    """(tsquery operand, whether it occupies one position)."""
    if isinstance(item, Term):
        stemmed = stem(item.token)
        return _any([STEM + stemmed, WELSH_STEM + stemmed, item.token]), True
    if isinstance(item, Prefix):
        return quote(item.token) + ":*", True
    if isinstance(item, Phrase):
        return "(" + " <-> ".join(quote(t) for t in item.tokens) + ")", False
    raise StorfaError(N_("NEAR joins words, prefixes (word*) or phrases."))


def near_pair(a: Node, b: Node, distance: int) -> str:
    left, left_single = _near_side(a)
    right, right_single = _near_side(b)
    alternatives = []
    if left_single and right_single and distance >= 1:
        alternatives.append(f"{left} <0> {right}")
    for k in range(1, distance + 2):
        alternatives.append(f"{left} <{k}> {right}")
        alternatives.append(f"{right} <{k}> {left}")
    return "(" + " | ".join(alternatives) + ")"


def node_tsquery(node: Node) -> str:
    if isinstance(node, Term):
        return term(node.token)
    if isinstance(node, Prefix):
        return quote(node.token) + ":*"
    if isinstance(node, Phrase):
        return "(" + " <-> ".join(quote(t) for t in node.tokens) + ")"
    if isinstance(node, And):
        return "(" + " & ".join(node_tsquery(i) for i in node.items) + ")"
    if isinstance(node, Or):
        return "(" + " | ".join(node_tsquery(i) for i in node.items) + ")"
    if isinstance(node, Not):
        return "!" + node_tsquery(node.item)
    if isinstance(node, Near):
        pairs = [near_pair(a, b, node.distance) for a, b in itertools.pairwise(node.items)]
        return pairs[0] if len(pairs) == 1 else "(" + " & ".join(pairs) + ")"
    raise StorfaError(N_("Unsupported query part: {node!r}"), node=node)


@dataclass
class CompiledQuery:
    tsquery: str | None  # None: every passage (filters only)
    where: list[str] = field(default_factory=list)  # SQL on `p` (passages) and `r` (reviews)
    params: list[Any] = field(default_factory=list)


def compile_query(parsed: ParsedQuery) -> CompiledQuery:
    parts = [] if parsed.node is None else [node_tsquery(parsed.node)]
    out = CompiledQuery(None)
    for flt in parsed.filters:
        section = _filter(flt, out)
        if section:
            parts.append(section)
    if parts:
        out.tsquery = parts[0] if len(parts) == 1 else " & ".join(f"({p})" for p in parts)
        if len(out.tsquery) > MAX_TSQUERY_CHARS:
            raise StorfaError(N_(
                "This query is too large for PostgreSQL full-text search; "
                "use smaller NEAR distances or fewer NEAR terms."))
    return out


def _filter(flt: Filter, out: CompiledQuery) -> str | None:
    """Add `flt` to `out` as SQL; return a tsquery part for section: filters."""
    name = flt.field
    if name == "year":
        first, last = flt.year_bounds()
        if first is not None:
            out.where.append("r.year >= ?")
            out.params.append(first)
        if last is not None:
            out.where.append("r.year <= ?")
            out.params.append(last)
    elif name == "board":
        out.where.append("lower(r.board) = ?")
        out.params.append((normalise_board(flt.value) or flt.value).casefold())
    elif name in ("type", "review"):
        out.where.append(f"lower(r.{'type' if name == 'type' else 'review_key'}) = ?")
        out.params.append(flt.value.casefold())
    elif name == "lang":
        out.where.append("p.language = ?")
        out.params.append(flt.value.casefold())
    elif name == "section":
        words = tokens(flt.value)
        if words:
            return " <-> ".join(quote(SECTION + w) for w in words)
    elif name == "theme":
        raise StorfaError(N_(
            "theme: filters need coded extracts, which arrive with qualitative coding; "
            "search the theme's words instead for now."))
    else:
        raise StorfaError(N_("Unknown filter {name}:"), name=name)
    return None


# --------------------------------------------------------------------- engine
_CURRENT = "FROM passages p JOIN reviews r ON r.current_version_id = p.version_id"


def _postgres_db(store: Store) -> Any:
    db = store.db
    if store.dialect != "postgresql" or not hasattr(db, "pool"):
        raise StorfaError(
            "STORFA_SEARCH_ENGINE=postgres needs a PostgreSQL database "
            "(set STORFA_DATABASE_URL=postgresql://…), or use the default tantivy engine.")
    return db


class PostgresSearch:
    """The PostgreSQL full-text engine (storfa.search.engine.SearchEngine)."""

    name = "postgres"

    def __init__(self, store: Store) -> None:
        self.db: Any = _postgres_db(store)

    # ------------------------------------------------------------ writing
    def sync(self, store: Store, progress: Callable[[int], None] | None = None) -> int:
        """Analyse every current-version passage that has no lexemes yet.

        Idempotent: passages never change once written (a new file is a new
        version with new passages), so a filled row stays right; a changed
        redaction sets its passages' lexemes back to NULL. Returns the
        number of reviews whose passages were analysed."""
        db = _postgres_db(store)
        reviews: set[int] = set()
        done = 0
        while True:
            with db.read() as conn:
                rows = list(conn.execute(
                    # The published rendition (disclosure/redaction.py).
                    "SELECT p.id, COALESCE(x.text, p.text) AS text, p.language, "
                    "COALESCE(x.section, p.section) AS section, "
                    f"r.id AS rid {_CURRENT} LEFT JOIN redacted_passages x "
                    "ON x.passage_id = p.id WHERE p.lexemes IS NULL ORDER BY p.id LIMIT ?",
                    (SYNC_BATCH,)))
            if not rows:
                return len(reviews)
            values = [(passage_lexemes(r["text"], r["language"], r["section"]), r["id"])
                      for r in rows]
            with db.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
                cur.executemany(
                    "UPDATE passages SET lexemes = %s::tsvector WHERE id = %s", values)
            reviews.update(int(r["rid"]) for r in rows)
            done += len(rows)
            if progress:
                progress(done)

    def rebuild(self, store: Store) -> int:
        with _postgres_db(store).pool.connection() as conn:
            conn.execute("UPDATE passages SET lexemes = NULL WHERE lexemes IS NOT NULL")
        return self.sync(store)

    # ------------------------------------------------------------ reading
    def passage_counts(self) -> dict[int, int]:
        with self.db.read() as conn:
            return {int(r["id"]): int(r["n"]) for r in conn.execute(
                f"SELECT r.id, COUNT(*) AS n {_CURRENT} WHERE p.lexemes IS NOT NULL "
                "GROUP BY r.id")}

    def _where(self, compiled: CompiledQuery,
               exclude: Collection[int] = ()) -> tuple[str, list[Any]]:
        where = ["p.lexemes IS NOT NULL", *compiled.where]
        params = list(compiled.params)
        if exclude:
            where.append("r.id <> ALL(?)")
            params.append(sorted(exclude))
        if compiled.tsquery is not None:
            where.insert(0, "p.lexemes @@ ?::tsquery")
            params.insert(0, compiled.tsquery)
        return " AND ".join(where), params

    def search(self, parsed: ParsedQuery, limit: int, offset: int = 0,
               exclude: Collection[int] = (),
               order: Order = "relevance") -> tuple[int, list[tuple[int, float]]]:
        total, rows = self._top(parsed, limit, offset, exclude, order)
        return total, [(int(r["id"]), float(r["score"])) for r in rows]

    def search_reviews(self, parsed: ParsedQuery, limit: int, exclude: Collection[int] = (),
                       order: Order = "relevance") -> tuple[int, list[tuple[int, float, int]]]:
        total, rows = self._top(parsed, limit, 0, exclude, order)
        return total, [(int(r["id"]), float(r["score"]), int(r["review_row"])) for r in rows]

    def _top(self, parsed: ParsedQuery, limit: int, offset: int, exclude: Collection[int],
             order: Order) -> tuple[int, list[Any]]:
        compiled = compile_query(parsed)
        where, params = self._where(compiled, exclude)
        if compiled.tsquery is None:
            score, by, rank_params = "0.0", "p.id", []
        else:
            score, by = "ts_rank_cd(p.lexemes, ?::tsquery)", "score DESC, p.id"
            rank_params = [compiled.tsquery]
        if order != "relevance":
            by = f"r.year {'DESC' if order == 'newest' else 'ASC'} NULLS LAST, {by}"
        with self.db.read() as conn:
            rows = list(conn.execute(
                f"SELECT p.id, {score} AS score, r.id AS review_row, COUNT(*) OVER () AS total "
                f"{_CURRENT} WHERE {where} ORDER BY {by} LIMIT ? OFFSET ?",
                [*rank_params, *params, limit, max(0, offset)]))
            if rows:
                total = int(rows[0]["total"])
            else:
                row = conn.one(f"SELECT COUNT(*) AS n {_CURRENT} WHERE {where}", params)
                total = int(row["n"]) if row else 0
        return total, rows

    def count_by_review(self, parsed: ParsedQuery,
                        exclude: Collection[int] = ()) -> dict[int, int]:
        where, params = self._where(compile_query(parsed), exclude)
        with self.db.read() as conn:
            return {int(r["id"]): int(r["n"]) for r in conn.execute(
                f"SELECT r.id, COUNT(*) AS n {_CURRENT} WHERE {where} GROUP BY r.id", params)}
