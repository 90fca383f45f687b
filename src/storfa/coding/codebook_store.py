"""CodebookService: the built-in codebooks and the ones stored in the
repository, and the changes researchers make to them.

A stored codebook of the same name as a built-in one replaces it: the first
change to a built-in codebook stores a copy of it and changes the copy. Codes
are never deleted; retiring keeps a code (and its extracts and history) but
stops it being offered for new coding, and merging A into B re-points A's
extracts to B and retires A. Every change is in the codebook's history and in
the audit log."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from storfa.coding.codebooks import builtin_codebooks, load_codebook
from storfa.coding.terms import TermRule
from storfa.domain.codebooks import Change, Code, Codebook, CodeFields, UnknownCodebook
from storfa.domain.codebooks import fields_of as _fields
from storfa.domain.errors import N_, StorfaError
from storfa.storage import repositories
from storfa.storage.interface import Store

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
MAX_CODE_NAME = 200
DEFAULT_COLOUR = "#777777"


@dataclass(frozen=True)
class CodebookInfo:
    name: str
    title: str
    builtin: bool  # ships with storfa
    stored: bool  # a stored copy or codebook of the repository's own
    codes: int
    retired: int

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "builtin": self.builtin,
                "stored": self.stored, "codes": self.codes, "retired": self.retired}


def codebook_name(name: str) -> str:
    """A codebook's name as stored: lower case letters, digits and hyphens."""
    wanted = name.strip().casefold()
    if not _NAME.match(wanted):
        raise StorfaError(N_("A codebook name is 1-63 lower-case letters, digits and "
                             "hyphens (got {name!r})."), name=name)
    return wanted


def check_code_fields(fields: CodeFields) -> CodeFields:
    """The fields tidied, or a StorfaError saying what is wrong."""
    name = " ".join(fields.name.split())
    if not name or len(name) > MAX_CODE_NAME:
        raise StorfaError(N_("A code needs a name of 1-{most} characters."),
                          most=MAX_CODE_NAME)
    colour = fields.colour.strip() or DEFAULT_COLOUR
    if not _COLOUR.match(colour):
        raise StorfaError(N_("A colour is written #RRGGBB (got {colour!r})."),
                          colour=fields.colour)
    terms = tuple(t.strip() for t in fields.terms if t.strip())
    for term in terms:
        try:
            TermRule.parse(term)
        except ValueError as exc:
            raise StorfaError(N_("The search term {term!r} is not a valid rule: {reason}"),
                              term=term, reason=str(exc)) from None
    return replace(fields, name=name, colour=colour.upper(), terms=terms,
                   description=fields.description.strip())


# Refusals to merge or retire a code whose sub-codes are still in use.
HAS_SUB_CODES_MERGE = N_("'{code}' has sub-codes ({children}); merge or retire them before "
                         "it can be merged.")
HAS_SUB_CODES_RETIRE = N_("'{code}' has sub-codes ({children}); merge or retire them before "
                          "it can be retired.")


class CodebookService:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.sql = repositories.codebooks(store)

    # ------------------------------------------------------------- reading
    def infos(self) -> list[CodebookInfo]:
        stored = {i.name for i in self.sql.infos()}
        found = []
        for name in sorted(set(builtin_codebooks()) | stored):
            book = self.load(name)
            found.append(CodebookInfo(book.name, book.title, name in builtin_codebooks(),
                                      name in stored, len(book),
                                      sum(c.retired for c in book)))
        return found

    def load(self, name: str) -> Codebook:
        """The stored codebook of this name, else the built-in one."""
        wanted = name.strip().casefold()
        stored = self.sql.load(wanted) if _NAME.match(wanted) else None
        if stored is not None:
            return stored
        try:
            return load_codebook(wanted)
        except UnknownCodebook:
            known = sorted(set(builtin_codebooks()) | {i.name for i in self.sql.infos()})
            raise UnknownCodebook(name, known) from None

    def history(self, name: str) -> list[Change]:
        return self.sql.history(self.load(name).name)

    # ------------------------------------------------------------- changing
    def create(self, name: str, title: str, actor: str, description: str = "",
               best_practice: bool = False) -> Codebook:
        wanted = codebook_name(name)
        if wanted in {i.name for i in self.infos()}:
            raise StorfaError(N_("There is already a codebook '{name}'."), name=wanted)
        book = Codebook(wanted, title.strip() or wanted, description.strip(), (),
                        best_practice=best_practice)
        return self._store_new(book, None, actor, "codebook.create")

    def store_import(self, book: Codebook, actor: str, source: str) -> Codebook:
        """Store a codebook read from a .qdc file under its (new) name."""
        wanted = codebook_name(book.name)
        if wanted in {i.name for i in self.infos()}:
            raise StorfaError(N_("There is already a codebook '{name}'; import it under "
                                 "another name."), name=wanted)
        for code in book:
            check_code_fields(_fields(code))
        return self._store_new(replace(book, name=wanted), None, actor, "codebook.import",
                               {"file": source})

    def add_code(self, codebook: str, name: str, actor: str, parent: str | None = None,
                 description: str = "", colour: str = DEFAULT_COLOUR,
                 terms: tuple[str, ...] = ()) -> Code:
        book = self._editable(codebook, actor)
        above = self._live(book, parent) if parent else None
        fields = check_code_fields(CodeFields(
            name, description, colour, terms,
            above.best_practice if above else book.best_practice))
        if fields.name in book:
            raise StorfaError(N_("The codebook '{codebook}' already has a code '{code}'."),
                              codebook=book.name, code=book.code(fields.name).name)
        self.sql.add_code(book.name, above.name if above else None, fields, actor)
        self.store.audit(actor, "codebook.add-code", "codebook", book.name,
                         {"code": fields.name, "parent": above.name if above else None})
        return self.load(book.name).code(fields.name)

    def edit_code(self, codebook: str, code: str, actor: str, name: str | None = None,
                  description: str | None = None, colour: str | None = None,
                  terms: tuple[str, ...] | None = None) -> Code:
        book = self._editable(codebook, actor)
        old = book.code(code)
        new = check_code_fields(CodeFields(
            name if name is not None else old.name,
            description if description is not None else old.description,
            colour if colour is not None else old.colour,
            terms if terms is not None else old.terms, old.best_practice, old.retired,
            old.merged_into))
        if new.name in book and book.code(new.name).name != old.name:
            raise StorfaError(N_("The codebook '{codebook}' already has a code '{code}'."),
                              codebook=book.name, code=book.code(new.name).name)
        changed = {k: {"from": getattr(_fields(old), k), "to": getattr(new, k)}
                   for k in ("name", "description", "colour", "terms")
                   if getattr(_fields(old), k) != getattr(new, k)}
        if not changed:
            return old
        changed = {k: {"from": list(v["from"]), "to": list(v["to"])} if k == "terms" else v
                   for k, v in changed.items()}
        themes = {c.name: c.theme for c in book}
        themes[new.name] = new.name if old.is_theme else old.theme
        touched = self.sql.update_code(book.name, old, new, themes, "edit-code", actor,
                                       changed)
        self.store.audit(actor, "codebook.edit-code", "codebook", book.name,
                         {"code": old.name, "changed": changed, "extracts_renamed": touched})
        return self.load(book.name).code(new.name)

    def merge(self, codebook: str, source: str, target: str, actor: str) -> int:
        """Merge code `source` into `target`; returns the extracts re-pointed."""
        book = self._editable(codebook, actor)
        a, b = self._live(book, source), self._live(book, target)
        if a.name == b.name:
            raise StorfaError(N_("A code cannot be merged into itself."))
        self._no_live_children(book, a, HAS_SUB_CODES_MERGE)
        moved = self.sql.merge(book.name, a, b, actor)
        self.store.audit(actor, "codebook.merge", "codebook", book.name,
                         {"code": a.name, "into": b.name, "extracts": moved})
        return moved

    def retire(self, codebook: str, code: str, actor: str) -> Code:
        book = self._editable(codebook, actor)
        old = self._live(book, code)
        self._no_live_children(book, old, HAS_SUB_CODES_RETIRE)
        self.sql.update_code(book.name, old, replace(_fields(old), retired=True),
                             {}, "retire", actor, {})
        self.store.audit(actor, "codebook.retire", "codebook", book.name, {"code": old.name})
        return self.load(book.name).code(old.name)

    # ------------------------------------------------------------- helpers
    def _editable(self, name: str, actor: str) -> Codebook:
        """The stored codebook, storing a copy of the built-in one first."""
        book = self.load(name)
        if self.sql.load(book.name) is None:
            book = self._store_new(book, book.name, actor, "codebook.copy")
        return book

    def _store_new(self, book: Codebook, based_on: str | None, actor: str, action: str,
                   detail: dict[str, Any] | None = None) -> Codebook:
        info = {"title": book.title, "codes": len(book), "based_on": based_on, **(detail or {})}
        self.sql.create(book, based_on, actor, info)
        self.store.audit(actor, action, "codebook", book.name, info)
        return self.load(book.name)

    @staticmethod
    def _live(book: Codebook, name: str) -> Code:
        code = book.code(name)
        if code.retired:
            raise StorfaError(N_("The code '{code}' is retired."), code=code.name)
        return code

    @staticmethod
    def _no_live_children(book: Codebook, code: Code, message: str) -> None:
        live = [c.name for c in book.children(code.name) if not c.retired]
        if live:
            raise StorfaError(message, code=code.name, children=", ".join(live))

