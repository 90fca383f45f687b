"""The 12 Cs of collective safeguarding responsibility, as packaged data
paraphrased from the MAOSA national evaluation (data/twelve_cs.json names
the report), in the report's order."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from storfa.domain.errors import StorfaError


@dataclass(frozen=True, slots=True)
class TwelveC:
    key: str
    name: str
    group: str  # "Practitioners and agencies" or "Structures and processes"
    description: str


@cache
def _data() -> dict[str, object]:
    text = resources.files("storfa.assurance").joinpath("data/twelve_cs.json").read_text("utf-8")
    data: dict[str, object] = json.loads(text)
    return data


def source() -> str:
    """The report the descriptions are paraphrased from."""
    return str(_data()["source"])


@cache
def twelve_cs() -> tuple[TwelveC, ...]:
    data = _data()
    groups = data["groups"]
    assert isinstance(groups, dict) and isinstance(data["cs"], list)
    return tuple(TwelveC(c["key"], c["name"], groups[c["group"]], c["description"])
                 for c in data["cs"])


def c_keys() -> tuple[str, ...]:
    return tuple(c.key for c in twelve_cs())


def find_c(text: str) -> TwelveC:
    """A C by its key, its name, or its number 1–12; refused with the choices."""
    wanted = text.strip().casefold().replace("-", "_").replace(" ", "_")
    cs = twelve_cs()
    if wanted.isdigit() and 1 <= int(wanted) <= len(cs):
        return cs[int(wanted) - 1]
    for c in cs:
        if wanted in (c.key, c.name.casefold().replace(" ", "_").replace("-", "_")):
            return c
    raise StorfaError(f"No C called {text!r}; the 12 Cs are {', '.join(c_keys())} "
                      "(or their numbers 1–12).")
