"""Codebooks: hierarchical codes with descriptions, colours and search-term
rules, as every layer sees them; and the stored codebook's history entries
and code fields. Code names are matched ignoring case and spacing
(`code_key`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from storfa.domain.errors import N_, StorfaError


class UnknownCodebook(StorfaError, KeyError):
    def __init__(self, name: str, known: list[str]) -> None:
        self.name, self.known = name, known
        super().__init__(N_("There is no codebook '{name}'. Known codebooks: {known}."),
                         name=name, known=", ".join(known))

    def __str__(self) -> str:
        # KeyError would otherwise quote the message.
        return str(self.args[0])


class UnknownCode(StorfaError, KeyError):
    def __init__(self, codebook: str, name: str) -> None:
        super().__init__(N_("The codebook '{codebook}' has no code '{name}'."),
                         codebook=codebook, name=name)

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Code:
    """One code. `path` runs from the top-level code (the theme) to this one."""

    name: str
    description: str
    colour: str
    path: tuple[str, ...]
    terms: tuple[str, ...] = ()
    children: tuple[str, ...] = ()
    # Whether an extract coded here is itself an example of best practice.
    best_practice: bool = False
    # A retired code stays in its codebook with its extracts and history but is
    # not offered for new coding; merged_into names the code that replaced it.
    retired: bool = False
    merged_into: str | None = None

    @property
    def parent(self) -> str | None:
        return self.path[-2] if len(self.path) > 1 else None

    @property
    def theme(self) -> str:
        return self.path[0]

    @property
    def is_theme(self) -> bool:
        return len(self.path) == 1

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def seed_text(self) -> str:
        """What the code means, as one passage: used to embed the code itself."""
        return f"{self.name}. {self.description}"


@dataclass(frozen=True)
class Codebook:
    name: str
    title: str
    description: str
    codes: tuple[Code, ...]  # depth-first, themes before their sub-codes
    terms: tuple[str, ...] = ()
    best_practice: bool = False
    _by_key: Mapping[str, Code] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_key: dict[str, Code] = {}
        for code in self.codes:
            key = code_key(code.name)
            if key in by_key:
                raise ValueError(f"Codebook '{self.name}' names '{code.name}' twice.")
            by_key[key] = code
        object.__setattr__(self, "_by_key", by_key)

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and code_key(name) in self._by_key

    @property
    def themes(self) -> tuple[Code, ...]:
        return tuple(c for c in self.codes if c.is_theme)

    @property
    def leaves(self) -> tuple[Code, ...]:
        return tuple(c for c in self.codes if c.is_leaf)

    @property
    def codable(self) -> tuple[Code, ...]:
        """The codes offered for new coding: every code not retired."""
        return tuple(c for c in self.codes if not c.retired)

    def current(self, name: str) -> Code | None:
        """The code to use now for `name`: itself, or the code it was merged
        into; None when it is retired without a successor or unknown."""
        seen: set[str] = set()
        while name in self and code_key(name) not in seen:
            seen.add(code_key(name))
            code = self.code(name)
            if not code.retired:
                return code
            if code.merged_into is None:
                return None
            name = code.merged_into
        return None

    def to_dict(self) -> dict[str, Any]:
        """The nested form that from_dict reads (and the built-in JSON uses)."""
        def node(code: Code) -> dict[str, Any]:
            out: dict[str, Any] = {"name": code.name, "description": code.description,
                                   "colour": code.colour, "terms": list(code.terms),
                                   "best_practice": code.best_practice}
            if code.retired:
                out["retired"] = True
            if code.merged_into:
                out["merged_into"] = code.merged_into
            if code.children:
                out["children"] = [node(c) for c in self.children(code.name)]
            return out

        return {"name": self.name, "title": self.title, "description": self.description,
                "best_practice": self.best_practice, "terms": list(self.terms),
                "codes": [node(t) for t in self.themes]}

    def code(self, name: str) -> Code:
        """The code called `name`, ignoring case and surrounding spaces."""
        try:
            return self._by_key[code_key(name)]
        except KeyError:
            raise UnknownCode(self.name, name) from None

    def parent(self, name: str) -> Code | None:
        parent = self.code(name).parent
        return self.code(parent) if parent is not None else None

    def theme(self, name: str) -> Code:
        return self.code(self.code(name).theme)

    def children(self, name: str) -> tuple[Code, ...]:
        return tuple(self.code(child) for child in self.code(name).children)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Codebook:
        codes: list[Code] = []
        default_bp = bool(data.get("best_practice", False))
        for node in data["codes"]:
            _flatten(node, (), default_bp, codes)
        return cls(name=str(data["name"]), title=str(data.get("title", data["name"])),
                   description=str(data.get("description", "")), codes=tuple(codes),
                   terms=tuple(data.get("terms", ())), best_practice=default_bp)


def _flatten(node: Mapping[str, Any], above: tuple[str, ...], inherited_bp: bool,
             into: list[Code]) -> None:
    path = (*above, str(node["name"]))
    best_practice = bool(node.get("best_practice", inherited_bp))
    kids = node.get("children", ())
    into.append(Code(name=path[-1], description=str(node.get("description", "")),
                     colour=str(node.get("colour", "#777777")), path=path,
                     terms=tuple(node.get("terms", ())),
                     children=tuple(str(k["name"]) for k in kids),
                     best_practice=best_practice, retired=bool(node.get("retired", False)),
                     merged_into=node.get("merged_into") or None))
    for kid in kids:
        _flatten(kid, path, best_practice, into)


def code_key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of a codebook's history."""

    id: int
    codebook: str
    code: str | None
    action: str
    actor: str
    at: str
    detail: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "codebook": self.codebook, "code": self.code,
                "action": self.action, "actor": self.actor, "at": self.at,
                "detail": self.detail}


@dataclass(frozen=True, slots=True)
class StoredInfo:
    name: str
    title: str
    based_on: str | None
    created_by: str
    created_at: str


@dataclass(frozen=True, slots=True)
class CodeFields:
    """A code's own fields as stored (its place in the tree aside)."""

    name: str
    description: str = ""
    colour: str = "#777777"
    terms: tuple[str, ...] = ()
    best_practice: bool = False
    retired: bool = False
    merged_into: str | None = None


def fields_of(code: Code) -> CodeFields:
    return CodeFields(code.name, code.description, code.colour, code.terms,
                      code.best_practice, code.retired, code.merged_into)
