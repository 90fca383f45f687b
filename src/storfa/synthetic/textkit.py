"""A tiny template language for sentence banks.

`{a|b|c}` picks one alternative; `[slot]` is filled from a slot table, where a
slot may hold one string or a tuple to pick from per use. Templates are parsed
once and cached, so expanding the ~2,000 sentences of a 40-page review costs a
few milliseconds.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

Slots = Mapping[str, str | Sequence[str]]
_TOKEN = re.compile(r"\{([^{}]*)\}|\[([A-Za-z_0-9]+)\]")

# A parsed part: literal text, a tuple of alternatives, or ("", slot-name) marker.
_Part = str | tuple[str, ...]


@lru_cache(maxsize=8192)
def _parse(template: str) -> tuple[tuple[int, _Part], ...]:
    parts: list[tuple[int, _Part]] = []
    pos = 0
    for m in _TOKEN.finditer(template):
        if m.start() > pos:
            parts.append((0, template[pos:m.start()]))
        if m.group(1) is not None:
            parts.append((1, tuple(m.group(1).split("|"))))
        else:
            parts.append((2, m.group(2)))
        pos = m.end()
    if pos < len(template):
        parts.append((0, template[pos:]))
    return tuple(parts)


def _slot(name: str, slots: Slots, rng: random.Random) -> str:
    cap = name[:1].isupper()
    key = name[:1].lower() + name[1:] if cap else name
    value = slots[key] if key in slots else slots[name]
    text = value if isinstance(value, str) else rng.choice(value)
    return text[:1].upper() + text[1:] if cap else text


def expand(template: str, slots: Slots, rng: random.Random) -> str:
    """Fill one template; alternatives may themselves contain [slots]."""
    out: list[str] = []
    for kind, part in _parse(template):
        if kind == 0:
            out.append(part)  # type: ignore[arg-type]
        elif kind == 1:
            choice = rng.choice(part)
            out.append(expand(choice, slots, rng) if "[" in choice else choice)
        else:
            out.append(_slot(part, slots, rng))  # type: ignore[arg-type]
    return "".join(out)


def sentence(template: str, slots: Slots, rng: random.Random) -> str:
    text = expand(template, slots, rng).strip()
    if "  " in text:  # an empty alternative leaves a double space
        text = re.sub(r"\s{2,}", " ", text)
    return text[:1].upper() + text[1:]


class Deck:
    """Draw templates without replacement, reshuffling when spent, so a long review
    repeats itself as little as its bank allows."""

    def __init__(self, items: Sequence[str], rng: random.Random) -> None:
        self._items = list(items)
        self._rng = rng
        self._pile: list[str] = []
        self._passes = 0

    @property
    def fresh(self) -> bool:
        """True until the first full pass through the items is spent."""
        return self._passes == 0 or (self._passes == 1 and bool(self._pile))

    def draw(self) -> str:
        if not self._pile:
            self._passes += 1
            self._pile = self._items[:]
            self._rng.shuffle(self._pile)
        return self._pile.pop()


def paragraph(decks: Sequence[Deck], count: int, slots: Slots, rng: random.Random) -> str:
    """`count` sentences, cycling through the given decks in order."""
    return " ".join(sentence(decks[i % len(decks)].draw(), slots, rng) for i in range(count))


def join_names(names: Sequence[str], conj: str = "and") -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {conj} " + names[-1]
