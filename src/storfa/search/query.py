"""The query language: text → a small syntax tree every engine compiles.

One language for the CLI, the API and the web (see docs/query-language.md):

    neglect school                  both words (implicit AND)
    "professional curiosity"        an exact phrase (straight or curly quotes)
    a AND b, a OR b, NOT a, -a      precedence NOT > AND > OR; parentheses group
    escalat* NEAR/5 concerns        at most 5 words between, either order
    escalat*                        a prefix (not stemmed)
    type:CPR year:2019..2024 board:"North Wales" theme:"Risk and Escalation"
    lang:cy review:CPR2019-W03 section:"Practice and organisational learning"

Words go through the shared tokenizer (`storfa.search.tokens`), so the tree
holds folded tokens: `Gŵyl` becomes Term("gwyl"), `multi-agency` becomes
Phrase(("multi", "agency")). Stemming is left to the engines. Filters are
lifted out of the tree into `ParsedQuery.filters` and always AND-ed.

`parse_query` raises `QuerySyntaxError` (message, 0-based character position,
hint) for anything it cannot read; it never raises anything else.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeAlias

from storfa.domain.errors import N_, StorfaError
from storfa.domain.reviews import ReviewType
from storfa.search.tokens import MAX_TOKEN_CHARS, tokens

__all__ = [
    "DEFAULT_NEAR",
    "FILTER_FIELDS",
    "MAX_DEPTH",
    "MAX_NEAR",
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "And",
    "Filter",
    "Leaf",
    "Near",
    "Node",
    "Not",
    "Or",
    "ParsedQuery",
    "Phrase",
    "Prefix",
    "QuerySyntaxError",
    "Term",
    "iter_leaves",
    "parse_query",
    "to_string",
]

MAX_QUERY_CHARS = 1000
MAX_DEPTH = 32  # nested parentheses
MAX_TERMS = 64  # words, prefixes and phrases
DEFAULT_NEAR = 10
MAX_NEAR = 100
MIN_PREFIX = 2
FILTER_FIELDS = ("type", "year", "board", "theme", "lang", "review", "section")
_FIELD_ALIASES = {"language": "lang"}
_LANGS = {
    "en": "en", "eng": "en", "english": "en", "saesneg": "en",
    "cy": "cy", "cym": "cy", "wel": "cy", "welsh": "cy", "cymraeg": "cy",
}  # fmt: skip
_TYPES = {t.value.casefold(): t.value for t in ReviewType}


# --------------------------------------------------------------------- tree
@dataclass(frozen=True, slots=True)
class Term:
    """One folded token; engines stem it."""

    token: str


@dataclass(frozen=True, slots=True)
class Prefix:
    """Words starting with `token` (folded, without the '*'); not stemmed."""

    token: str


@dataclass(frozen=True, slots=True)
class Phrase:
    """Two or more folded tokens, adjacent and in order."""

    tokens: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


@dataclass(frozen=True, slots=True)
class Near:
    """Each adjacent pair of `items` at most `distance` tokens apart, either order."""

    items: tuple[Leaf, ...]
    distance: int


Leaf: TypeAlias = Term | Prefix | Phrase
Node: TypeAlias = Term | Prefix | Phrase | And | Or | Not | Near


@dataclass(frozen=True, slots=True)
class Filter:
    """A metadata filter; always AND-ed with the rest of the query.

    Values are normalised: `type` to the ReviewType value (`CPR`, `thematic`),
    `lang` to `en`/`cy`, other fields keep their text (whitespace collapsed).
    `year` is always a range: `value` is the first year, `value_to` the last,
    `""` for an open end (`year:2019` → ("2019", "2019"); `year:..2020` →
    ("", "2020"); `year:2019..` → ("2019", "")). `value_to` is None for
    every other field. Use `year_bounds()` rather than reading the strings.
    """

    field: str
    value: str
    value_to: str | None = None

    @property
    def is_range(self) -> bool:
        return self.value_to is not None

    def year_bounds(self) -> tuple[int | None, int | None]:
        """(first, last) year, None for an open end; only for `year` filters."""
        last = self.value if self.value_to is None else self.value_to
        return (int(self.value) if self.value else None, int(last) if last else None)


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    node: Node | None
    filters: tuple[Filter, ...]
    text: str

    def positive_terms(self) -> tuple[Leaf, ...]:
        """Terms, prefixes and phrases not under any NOT, first-seen order, no repeats.

        What a highlighter should mark in a hit.
        """
        if self.node is None:
            return ()
        return tuple(dict.fromkeys(iter_leaves(self.node, skip_negated=True)))

    def canonical(self) -> str:
        """Canonical text for the whole query, filters included."""
        return to_string(self)


def iter_leaves(node: Node, *, skip_negated: bool = False) -> Iterator[Leaf]:
    """Every Term, Prefix and Phrase in `node`, left to right."""
    if isinstance(node, Term | Prefix | Phrase):
        yield node
    elif isinstance(node, Not):
        if not skip_negated:
            yield from iter_leaves(node.item)
    else:
        for item in node.items:
            yield from iter_leaves(item, skip_negated=skip_negated)


class QuerySyntaxError(StorfaError, ValueError):
    """A query the parser cannot read, with where and (often) how to fix it.

    `position` is a 0-based character offset into `text`.
    """

    def __init__(
        self, message: str, position: int, hint: str | None = None, text: str = "",
        **values: Any,
    ) -> None:
        super().__init__(message, **values)
        self.message = str(self.args[0])
        self.position = position
        self.hint = hint
        self.text = text

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message

    def translated(self, gettext: Callable[[str], str]) -> str:
        # The hint is looked up whole: fixed hints read in the page's language,
        # ones that quote the query stay as written.
        message = super().translated(gettext)
        return f"{message} {gettext(self.hint)}" if self.hint else message

    def to_dict(self) -> dict[str, str | int | None]:
        return {"message": self.message, "position": self.position, "hint": self.hint}

    def caret(self) -> str:
        """The query with a ^ under the offending character (for terminals)."""
        line = self.text.replace("\n", " ").replace("\t", " ")
        return f"{line}\n{' ' * min(self.position, len(line))}^"


# ----------------------------------------------------------------- to_string
def to_string(obj: Node | Filter | ParsedQuery) -> str:
    """Canonical query text; `parse_query(to_string(n)).node == n` for parser output."""
    if isinstance(obj, ParsedQuery):
        parts = [] if obj.node is None else [_node_str(obj.node, bare_or=not obj.filters)]
        parts.extend(_filter_str(f) for f in obj.filters)
        return " ".join(parts)
    if isinstance(obj, Filter):
        return _filter_str(obj)
    return _node_str(obj, bare_or=True)


def _node_str(node: Node, *, bare_or: bool = False) -> str:
    if isinstance(node, Term):
        return node.token
    if isinstance(node, Prefix):
        return node.token + "*"
    if isinstance(node, Phrase):
        return '"' + " ".join(node.tokens) + '"'
    if isinstance(node, Near):
        return f" NEAR/{node.distance} ".join(_node_str(i) for i in node.items)
    if isinstance(node, Not):
        return "NOT " + _group(node.item)
    if isinstance(node, And):
        return " AND ".join(_group(i) for i in node.items)
    text = " OR ".join(_group(i) for i in node.items)
    return text if bare_or else f"({text})"


def _group(node: Node) -> str:
    text = _node_str(node, bare_or=True)
    return f"({text})" if isinstance(node, And | Or) else text


def _filter_str(flt: Filter) -> str:
    if flt.field == "year" and flt.value_to is not None:
        value = flt.value if flt.value == flt.value_to else f"{flt.value}..{flt.value_to}"
    else:
        value = flt.value
    if not value or re.search(r'[\s()"“”„]', value):
        value = f'"{value}"'
    return f"{flt.field}:{value}"


# -------------------------------------------------------------------- lexer
_OPEN_QUOTES = '"“”„'
_CLOSE_QUOTES = '"“”'
_FIELD_RE = re.compile(r"([A-Za-z]+):")
_NEAR_RE = re.compile(r"NEAR/(\d+)")
_YEAR_RE = re.compile(r"(\d{4})?\s*(?:\.\.|-|–|—)\s*(\d{4})?")


@dataclass(slots=True)
class _Tok:
    kind: str  # WORD PHRASE FILTER AND OR NOT NEAR LP RP END
    text: str  # as typed (for messages)
    start: int
    end: int
    value: str = ""  # phrase content, filter value
    field: str = ""  # filter field
    distance: int = 0  # NEAR


def _lex(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == "(":
            out.append(_Tok("LP", c, i, i + 1))
            i += 1
        elif c == ")":
            out.append(_Tok("RP", c, i, i + 1))
            i += 1
        elif c in _OPEN_QUOTES:
            close = _close_quote(text, i, i)
            out.append(_Tok("PHRASE", text[i : close + 1], i, close + 1, value=text[i + 1 : close]))
            i = close + 1
        elif c == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in ")-":
            out.append(_Tok("NOT", c, i, i + 1))
            i += 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in "()" + _OPEN_QUOTES:
                j += 1
            out.append(_word_token(text, i, j))
            i = out[-1].end
    out.append(_Tok("END", "", n, n))
    return out


def _close_quote(text: str, opening: int, start: int) -> int:
    for j in range(opening + 1, len(text)):
        if text[j] in _CLOSE_QUOTES:
            return j
    inner = " ".join(text[opening + 1 :].split())
    before = text[start:opening]
    raise QuerySyntaxError(
        N_("This quote is never closed."),
        opening,
        f'Did you mean {before}"{inner}"?' if inner else N_("Remove it or add a closing quote."),
        text,
    )


def _word_token(text: str, i: int, j: int) -> _Tok:
    word = text[i:j]
    if word in ("AND", "OR", "NOT"):
        return _Tok(word, word, i, j)
    if word == "NEAR":
        return _Tok("NEAR", word, i, j, distance=DEFAULT_NEAR)
    if word.startswith("NEAR/"):
        m = _NEAR_RE.fullmatch(word)
        if not m:
            raise QuerySyntaxError(
                N_("NEAR/ must be followed by a number of words, like NEAR/5."),
                i,
                N_("Write NEAR/5 for at most 5 words apart, or NEAR alone for 10."),
                text,
            )
        distance = int(m.group(1))
        if distance > MAX_NEAR:
            raise QuerySyntaxError(
                N_("NEAR/{distance} is too far apart (the most is NEAR/{most})."),
                i,
                N_("For words anywhere in the same passage, use AND."),
                text,
                distance=distance, most=MAX_NEAR,
            )
        return _Tok("NEAR", word, i, j, distance=distance)
    m = _FIELD_RE.match(word)
    if m:
        name = m.group(1).casefold()
        name = _FIELD_ALIASES.get(name, name)
        if name in FILTER_FIELDS:
            value = word[m.end() :]
            if not value and j < len(text) and text[j] in _OPEN_QUOTES:
                close = _close_quote(text, j, i)
                return _Tok("FILTER", text[i : close + 1], i, close + 1,
                            value=text[j + 1 : close], field=name)  # fmt: skip
            return _Tok("FILTER", word, i, j, value=value, field=name)
    return _Tok("WORD", word, i, j)


# ------------------------------------------------------------------- values
def _filter(tok: _Tok, text: str) -> Filter:
    name, value = tok.field, " ".join(tok.value.split())
    pos = tok.start + tok.text.index(":") + 1
    example = {
        "type": "type:CPR", "year": "year:2019..2024", "board": 'board:"North Wales"',
        "theme": 'theme:"Risk and Escalation"', "lang": "lang:cy",
        "review": "review:CPR2019-W03", "section": 'section:"Practice and organisational learning"',
    }[name]  # fmt: skip
    if not value:
        raise QuerySyntaxError(
            N_("{name}: needs a value right after the colon."),
            tok.start,
            f"For example {example}.",
            text,
            name=tok.text.split(":")[0],
        )
    if name == "type":
        found = _TYPES.get(value.casefold())
        if found is None:
            close = difflib.get_close_matches(value.upper(), [t.upper() for t in _TYPES], n=1)
            hint = (
                f"Did you mean type:{_TYPES[close[0].casefold()]}?"
                if close
                else "Review types are " + ", ".join(t.value for t in ReviewType) + "."
            )
            raise QuerySyntaxError(N_("There is no review type {value!r}."), pos, hint, text,
                                   value=value)
        return Filter("type", found)
    if name == "lang":
        lang = _LANGS.get(value.casefold())
        if lang is None:
            raise QuerySyntaxError(
                N_("There is no language {value!r}."), pos, N_("Use lang:en or lang:cy."),
                text, value=value,
            )
        return Filter("lang", lang)
    if name == "year":
        return _year(value, pos, text)
    return Filter(name, value)


def _year(value: str, pos: int, text: str) -> Filter:
    hint = N_("Write a year or a range: year:2019, year:2019..2024, year:..2020, year:2019..")
    if re.fullmatch(r"\d{4}", value):
        year = f"{int(value):04d}"
        return Filter("year", year, year)
    m = _YEAR_RE.fullmatch(value)
    if not m or not (m.group(1) or m.group(2)):
        raise QuerySyntaxError(N_("{value!r} is not a year or a range of years."), pos, hint,
                               text, value=value)
    first = f"{int(m.group(1)):04d}" if m.group(1) else ""
    last = f"{int(m.group(2)):04d}" if m.group(2) else ""
    if first and last and int(first) > int(last):
        raise QuerySyntaxError(
            N_("The range {value} ends before it starts."),
            pos,
            f"Did you mean year:{last}..{first}?",
            text,
            value=value,
        )
    return Filter("year", first, last)


def _word_node(tok: _Tok, text: str) -> Node | None:
    raw = tok.text
    if "*" not in raw:
        return _leaf(tokens(raw))
    stem = raw.rstrip("*")
    if "*" in stem:
        raise QuerySyntaxError(
            N_("* works only at the end of a word."),
            tok.start + raw.index("*"),
            N_("For example escalat* finds escalate, escalated and escalation."),
            text,
        )
    toks = tokens(stem)
    if len(toks) > 1:
        raise QuerySyntaxError(
            N_("A * prefix must follow a single word."),
            tok.start,
            f"Did you mean {' '.join(toks[:-1])} NEAR/0 {toks[-1]}*?",
            text,
        )
    if not toks and re.search(r"[^\W_]", stem):
        raise QuerySyntaxError(
            N_("This word is too long to search for (over {most} characters)."),
            tok.start,
            None,
            text,
            most=MAX_TOKEN_CHARS,
        )
    if not toks or len(toks[0]) < MIN_PREFIX:
        raise QuerySyntaxError(
            N_("Put at least {n} letters before *."),
            tok.start + len(stem),
            N_("For example escalat* finds escalate, escalated and escalation."),
            text,
            n=MIN_PREFIX,
        )
    return Prefix(toks[0])


def _phrase_node(tok: _Tok, text: str) -> Node | None:
    m = re.search(r"[^\W_]\*", tok.value)
    if m:
        raise QuerySyntaxError(
            N_("* does not work inside quotes."),
            tok.start + 1 + m.end() - 1,
            f"To use a prefix, leave out the quotes: {' '.join(tok.value.split())}",
            text,
        )
    return _leaf(tokens(tok.value))


def _leaf(toks: list[str]) -> Node | None:
    if not toks:
        return None
    return Term(toks[0]) if len(toks) == 1 else Phrase(tuple(toks))


def _and(nodes: list[Node | None]) -> Node | None:
    flat: list[Node] = []
    for node in nodes:
        if isinstance(node, And):
            flat.extend(node.items)
        elif node is not None:
            flat.append(node)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def _or(nodes: list[Node | None]) -> Node | None:
    flat: list[Node] = []
    for node in nodes:
        if isinstance(node, Or):
            flat.extend(node.items)
        elif node is not None:
            flat.append(node)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


def _negate(node: Node | None) -> Node | None:
    if node is None:
        return None
    return node.item if isinstance(node, Not) else Not(node)


# ------------------------------------------------------------------- parser
@dataclass(slots=True)
class _Res:
    node: Node | None
    start: int
    end: int
    filters: list[tuple[Filter, int]] = field(default_factory=list)


_OPERAND_START = {"WORD", "PHRASE", "FILTER", "LP", "NOT"}


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _lex(text)
        self.i = 0
        self.depth = 0
        self.terms = 0

    def error(self, message: str, position: int, hint: str | None = None,
              **values: Any) -> QuerySyntaxError:
        return QuerySyntaxError(message, position, hint, self.text, **values)

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def without(self, tok: _Tok) -> str:
        return " ".join((self.text[: tok.start] + " " + self.text[tok.end :]).split())

    def parse(self) -> ParsedQuery:
        res = self.parse_or()
        tok = self.peek()
        if tok.kind == "RP":
            raise self.error(
                N_("This ) has no matching (."), tok.start, f"Did you mean {self.without(tok)}?"
            )
        if res.node is None and not res.filters:
            raise self.error(
                N_("There are no words to search for."),
                0,
                N_("Punctuation and symbols on their own are not searched."),
            )
        filters = tuple(dict.fromkeys(f for f, _ in res.filters))
        return ParsedQuery(res.node, filters, self.text)

    def parse_or(self) -> _Res:
        parts = [self.parse_and(None)]
        while self.peek().kind == "OR":
            parts.append(self.parse_and(self.take()))
        if len(parts) == 1:
            return parts[0]
        for part in parts:
            if part.filters:
                _, pos = part.filters[0]
                raise self.error(
                    N_("A filter cannot be one side of OR."),
                    pos,
                    "Filters apply to the whole query; put them outside the OR, "
                    "e.g. (neglect OR abuse) type:CPR.",
                )
        return _Res(_or([p.node for p in parts]), parts[0].start, parts[-1].end)

    def parse_and(self, after: _Tok | None) -> _Res:
        parts = [self.parse_unary(after)]
        while True:
            kind = self.peek().kind
            if kind == "AND":
                parts.append(self.parse_unary(self.take()))
            elif kind in _OPERAND_START:
                parts.append(self.parse_unary(None))
            else:
                break
        if len(parts) == 1:
            return parts[0]
        filters = [f for p in parts for f in p.filters]
        return _Res(_and([p.node for p in parts]), parts[0].start, parts[-1].end, filters)

    def parse_unary(self, after: _Tok | None) -> _Res:
        negations: list[_Tok] = []
        while self.peek().kind == "NOT":
            negations.append(self.take())
        res = self.parse_near(negations[-1] if negations else after)
        if not negations:
            return res
        if res.filters:
            op = negations[-1].text
            raise self.error(
                N_("A filter cannot be negated with {op}."),
                res.filters[0][1],
                N_("Filters choose which reviews to search; use a different filter value "
                   "or negate words instead."),
                op=op,
            )
        node = res.node
        for _ in negations:
            node = _negate(node)
        return _Res(node, negations[0].start, res.end)

    def parse_near(self, after: _Tok | None) -> _Res:
        first = self.parse_primary(after)
        if self.peek().kind != "NEAR":
            return first
        operands = [first]
        ops: list[_Tok] = []
        while self.peek().kind == "NEAR":
            ops.append(self.take())
            operands.append(self.parse_primary(ops[-1]))
        leaves: list[Leaf] = []
        for k, res in enumerate(operands):
            op = ops[max(k - 1, 0)]
            if not isinstance(res.node, Term | Prefix | Phrase) or res.filters:
                # Whole sentences, not a phrase dropped into one: each is translated.
                if res.filters:
                    said = N_("{op} needs a word, prefix or phrase on each side, not a filter.")
                elif res.node is None:
                    said = N_("{op} needs a word, prefix or phrase on each side, not nothing "
                              "to search.")
                else:
                    said = N_("{op} needs a word, prefix or phrase on each side, not a group.")
                raise self.error(
                    said,
                    res.start,
                    N_('For example escalat* NEAR/5 concerns or "was not brought" NEAR school.'),
                    op=op.text,
                )
            leaves.append(res.node)
        # Runs of the same distance make one Near; mixed distances are AND-ed.
        nodes: list[Node | None] = []
        run = [leaves[0]]
        for k, op in enumerate(ops):
            if k and op.distance != ops[k - 1].distance:
                nodes.append(Near(tuple(run), ops[k - 1].distance))
                run = [leaves[k]]
            run.append(leaves[k + 1])
        nodes.append(Near(tuple(run), ops[-1].distance))
        return _Res(_and(nodes), first.start, operands[-1].end)

    def parse_primary(self, after: _Tok | None) -> _Res:
        tok = self.peek()
        if tok.kind in ("WORD", "PHRASE"):
            self.take()
            node = (
                _word_node(tok, self.text) if tok.kind == "WORD" else _phrase_node(tok, self.text)
            )
            if node is not None:
                self.terms += 1
                if self.terms > MAX_TERMS:
                    raise self.error(
                        N_("This query has too many search terms (the most is {most})."),
                        tok.start,
                        N_("Split it into several searches, or use a saved term list."),
                        most=MAX_TERMS,
                    )
            return _Res(node, tok.start, tok.end)
        if tok.kind == "FILTER":
            self.take()
            return _Res(None, tok.start, tok.end, [(_filter(tok, self.text), tok.start)])
        if tok.kind == "LP":
            self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error(
                    N_("Too many nested parentheses (the most is {most})."), tok.start,
                    most=MAX_DEPTH,
                )
            nxt = self.peek()
            if nxt.kind == "END":
                raise self.error(
                    N_("This parenthesis is never closed."),
                    tok.start,
                    f"Did you mean {self.text.strip()})?" if self.text.strip() != "(" else None,
                )
            if nxt.kind == "RP":
                raise self.error(
                    N_("There is nothing between these parentheses."),
                    tok.start,
                    N_("Put words inside them, e.g. (school OR education)."),
                )
            inner = self.parse_or()
            close = self.peek()
            if close.kind != "RP":
                raise self.error(
                    N_("This parenthesis is never closed."),
                    tok.start,
                    f"Did you mean {self.text.rstrip()})?",
                )
            self.take()
            self.depth -= 1
            return _Res(inner.node, tok.start, close.end, inner.filters)
        raise self.missing(tok, after)

    def missing(self, tok: _Tok, after: _Tok | None) -> QuerySyntaxError:
        if after is not None:
            name = "-" if after.text == "-" else after.text.split("/")[0]
            rest = self.without(after)
            return self.error(
                f"{name} needs a word or phrase after it.",
                after.start,
                f"Did you mean {rest}?" if rest else N_("Type some words to search for."),
            )
        if tok.kind == "RP":
            return self.error(
                N_("This ) has no matching (."), tok.start, f"Did you mean {self.without(tok)}?"
            )
        if tok.kind == "END":
            return self.error(N_("Type some words to search for."), tok.start)
        name = tok.text.split("/")[0]
        rest = self.without(tok)
        return self.error(
            f"{name} needs a word or phrase before it.",
            tok.start,
            f"Did you mean {rest}?" if rest else N_("Type some words to search for."),
        )


def parse_query(text: str) -> ParsedQuery:
    """Parse `text`; raise QuerySyntaxError (never anything else) when it can't be read."""
    if not isinstance(text, str):
        raise QuerySyntaxError(N_("A query must be text."), 0, None, "")
    if not text.strip():
        raise QuerySyntaxError(N_("Type some words to search for."), 0, None, text)
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(
            N_("This query is too long ({length:,} characters; the most is {most:,})."),
            MAX_QUERY_CHARS,
            N_("Shorten it, or split it into several searches."),
            text,
            length=len(text),
            most=MAX_QUERY_CHARS,
        )
    return _parse(text)


@lru_cache(maxsize=1024)
def _parse(text: str) -> ParsedQuery:
    # A parse is immutable (frozen dataclasses and tuples), so one per text is
    # shared: a search page parses its query for the search and again for its
    # facets, and users page through and refine the same queries.
    return _Parser(text).parse()
