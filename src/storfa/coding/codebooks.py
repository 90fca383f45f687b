"""Codebooks: hierarchical codes with descriptions, colours and search-term
rules. The built-in ones ship as JSON package data so that researchers can read
and diff them, and so an imported codebook (.qdc) can become the same objects."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from storfa.domain.codebooks import Codebook, UnknownCodebook

_DATA = "storfa.coding"


def builtin_codebooks() -> list[str]:
    """Names of the codebooks that ship with storfa."""
    folder = resources.files(_DATA) / "data"
    return sorted(p.name.removesuffix(".json") for p in folder.iterdir()
                  if p.name.endswith(".json"))


@cache
def load_codebook(name: str) -> Codebook:
    """A built-in codebook by name (case-insensitive)."""
    known = builtin_codebooks()
    wanted = name.strip().casefold()
    if wanted not in known:
        raise UnknownCodebook(name, known)
    text = (resources.files(_DATA) / "data" / f"{wanted}.json").read_text(encoding="utf-8")
    return Codebook.from_dict(json.loads(text))
