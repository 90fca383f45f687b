"""Search-term rules matched against one passage in memory.

A code's terms are written in storfa's query language so that the same rule
finds passages in the index and marks a single passage during classification;
this evaluates a parsed query over the passage's tokens, with the same folding
and stemming the engines use."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from storfa.search.query import And, Leaf, Near, Node, Not, Or, Phrase, Prefix, Term, parse_query
from storfa.search.tokens import stems, tokens


@dataclass(frozen=True)
class Analysed:
    words: tuple[str, ...]
    stems: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Analysed:
        words = tokens(text)
        return cls(tuple(words), tuple(stems(words)))


@dataclass(frozen=True)
class TermRule:
    query: str
    node: Node

    @classmethod
    def parse(cls, query: str) -> TermRule:
        parsed = parse_query(query)
        if parsed.node is None or parsed.filters:
            raise ValueError(f"A term rule must be words without filters: {query!r}")
        return cls(query, parsed.node)

    def matches(self, passage: Analysed) -> bool:
        return _match(self.node, passage)


def _positions(leaf: Leaf, p: Analysed) -> list[int]:
    if isinstance(leaf, Term):
        target = stems([leaf.token])[0]
        return [i for i, s in enumerate(p.stems) if s == target]
    if isinstance(leaf, Prefix):
        return [i for i, w in enumerate(p.words) if w.startswith(leaf.token)]
    n = len(leaf.tokens)
    return [i for i in range(len(p.words) - n + 1) if p.words[i:i + n] == leaf.tokens]


def _near(items: Sequence[Leaf], distance: int, p: Analysed) -> bool:
    spots = [_positions(item, p) for item in items]
    for left, right in itertools.pairwise(spots):
        if not any(abs(a - b) - 1 <= distance for a in left for b in right):
            return False
    return all(spots)


def _match(node: Node, p: Analysed) -> bool:
    if isinstance(node, Term | Prefix | Phrase):
        return bool(_positions(node, p))
    if isinstance(node, And):
        return all(_match(item, p) for item in node.items)
    if isinstance(node, Or):
        return any(_match(item, p) for item in node.items)
    if isinstance(node, Not):
        return not _match(node.item, p)
    if isinstance(node, Near):
        return _near(node.items, node.distance, p)
    raise TypeError(f"unknown query node {node!r}")  # pragma: no cover
