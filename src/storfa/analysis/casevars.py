"""Stored case variables: suggestions from each review's text, a person's
decisions (present / not known, or a category), and the review × variable
tables the statistics read.

Rules (docs/analysis.md):
- suggestions come from the lexicon suggester (`variables.suggest`) and,
  for what the lexicon missed, the embedding model (`variables.model_suggest`,
  source "model", with its confidence); they are stored as `suggested` with
  the sentence or passage they rest on; they are never confirmed
  automatically — only `confirm`, `reject` or `set_value`, called for a
  named person, make a decision, and each is audited;
- a review's coded value for a variable is its current decision: a binary
  variable confirmed present is 1, confirmed not known (or a rejected
  suggestion) is 0, and with no decision the cell is empty (not coded yet);
- the associations and the map read binary variables with at least one
  decision, over the reviews with at least one decision, counting 0 and empty
  as absent, as the CSV contract does.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from storfa.analysis.tables import BinaryTable, Table
from storfa.analysis.variables import (
    PRESENT,
    Suggestion,
    TextEmbedder,
    VariableDef,
    builtin_variables,
    model_suggest,
    suggest,
)
from storfa.domain.errors import N_, StorfaError
from storfa.domain.reviews import Passage, ReviewSummary
from storfa.storage.interface import Store
from storfa.storage.sql.casevars import (
    CONFIRMED,
    REJECTED,
    CaseEvidence,
    CaseValue,
    NewCaseValue,
    SQLCaseVariables,
)

if TYPE_CHECKING:
    from storfa.app import Storfa

NOT_KNOWN = "not_known"
SUGGESTER = "storfa:lexicon"
# Passages of one review the model may embed on the spot when their stored
# vectors are missing (about a second on two cores); beyond that the model is
# skipped for the review, with a note, until `storfa reindex --embeddings` runs.
EMBED_ON_THE_FLY = 64
# What a person may type for a binary variable, and what it is stored as.
_BINARY_INPUT = {"present": PRESENT, "1": PRESENT, "yes": PRESENT, "y": PRESENT,
                 "not_known": NOT_KNOWN, "not known": NOT_KNOWN, "not-known": NOT_KNOWN,
                 "0": NOT_KNOWN, "no": NOT_KNOWN, "n": NOT_KNOWN, "unknown": NOT_KNOWN}
# "Not known" for variables that are not binary ("0" may be a number there).
_NOT_KNOWN_WORDS = {"not_known", "not known", "not-known", "unknown"}
# Labels of the binary codes in exports (SPSS value labels) and frequency tables.
BINARY_LABELS = {1: "present", 0: "not known"}
META_COLUMNS = ("type", "board", "year", "variant")


@dataclass(slots=True)
class VariableState:
    """One variable of one review: its current decision and suggestions."""

    definition: VariableDef
    decision: CaseValue | None = None
    suggestions: list[CaseValue] = field(default_factory=list)

    @property
    def code(self) -> str | None:
        """The table cell: "1"/"0" for binary variables, the category or text
        for the others; None where nobody has decided yet."""
        d = self.decision
        if d is None:
            return None
        if self.definition.type == "binary":
            return "1" if d.status == CONFIRMED and d.value == PRESENT else "0"
        if d.status == REJECTED or d.value == NOT_KNOWN:
            return None
        return d.value

    @property
    def label(self) -> str | None:
        """The cell as words, for frequency tables and pages."""
        code = self.code
        if code is None or self.definition.type != "binary":
            return code
        return BINARY_LABELS[int(code)]

    def suggestion_state(self, suggestion: CaseValue) -> str:
        """"confirmed", "rejected" or "open": what the coder made of it."""
        d = self.decision
        if d is None:
            return "open"
        if d.value == suggestion.value:
            return "confirmed" if d.status == CONFIRMED else "rejected"
        return "rejected" if d.status == CONFIRMED else "open"


@dataclass(slots=True)
class ReviewCase:
    row: int
    summary: ReviewSummary
    states: dict[str, VariableState]

    @property
    def coded(self) -> bool:
        return any(s.decision is not None for s in self.states.values())


def select_reviews(summaries: Iterable[ReviewSummary], type: str | None = None,
                   board: str | None = None, year_from: int | None = None,
                   year_to: int | None = None) -> list[ReviewSummary]:
    """The reviews an analysis runs over; a year range leaves out reviews
    whose year is unknown."""
    chosen = []
    for s in summaries:
        if type and (s.type or "").casefold() != type.casefold():
            continue
        if board and (s.board or "").casefold() != board.casefold():
            continue
        if (year_from is not None or year_to is not None) and s.year is None:
            continue
        if year_from is not None and s.year is not None and s.year < year_from:
            continue
        if year_to is not None and s.year is not None and s.year > year_to:
            continue
        chosen.append(s)
    return chosen


def _passage_at(passages: Sequence[Passage], starts: Sequence[int], offset: int
                ) -> Passage | None:
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and passages[i].start <= offset < max(passages[i].end, passages[i].start + 1):
        return passages[i]
    return None


class CaseVariableService:
    def __init__(self, store: Store, sql: SQLCaseVariables,
                 variables: Sequence[VariableDef] | None = None,
                 embedder: Callable[[], TextEmbedder] | None = None) -> None:
        """`embedder` loads the model for the second suggester (default:
        storfa.search.embeddings.default_embedder); it is only called when a
        review has vectors to compare, so lexicon-only runs never load it."""
        self.store = store
        self.sql = sql
        self.variables = tuple(builtin_variables() if variables is None else variables)
        self._by_name = {v.name: v for v in self.variables}
        self._load_embedder = embedder or _default_embedder
        self._embedder: TextEmbedder | None = None
        self._embedder_error: str | None = None

    @classmethod
    def of(cls, app: Storfa) -> CaseVariableService:
        return cls(app.store, SQLCaseVariables(app.store.db))

    # ------------------------------------------------------------- definitions
    def definition(self, name: str) -> VariableDef:
        found = self._by_name.get(name.strip())
        if found is None:
            raise StorfaError(f"No case variable called {name!r}. Variables: "
                              f"{', '.join(self._by_name)}.")
        return found

    def groups(self) -> list[str]:
        return list(dict.fromkeys(v.group for v in self.variables))

    def normalise(self, definition: VariableDef, value: str) -> str:
        """The stored form of a value a person gave, or a StorfaError saying
        what this variable accepts."""
        text = value.strip()
        if definition.type == "binary":
            stored = _BINARY_INPUT.get(text.casefold())
            if stored is None:
                raise StorfaError(N_("{name} is present or not_known (got {value!r})."),
                                  name=definition.name, value=value)
            return stored
        if text.casefold() in _NOT_KNOWN_WORDS:
            return NOT_KNOWN
        if definition.type == "categorical":
            for category in definition.categories:
                if category.value.casefold() == text.casefold():
                    return category.value
            raise StorfaError(f"{definition.name} is one of: "
                              f"{', '.join(c.value for c in definition.categories)}, or "
                              f"not_known (got {value!r}).")
        if definition.type == "number":
            try:
                float(text)
            except ValueError:
                raise StorfaError(N_("{name} is a number (got {value!r})."), name=definition.name,
                                  value=value) from None
            return text
        if definition.type == "date":
            try:
                return dt.date.fromisoformat(text).isoformat()
            except ValueError:
                raise StorfaError(f"{definition.name} is a date as YYYY-MM-DD "
                                  f"(got {value!r}).") from None
        if not text:
            raise StorfaError(N_("Give a value for {name}."), name=definition.name)
        return text

    # ------------------------------------------------------------------ rows
    def _review(self, key: str) -> tuple[int, str, int]:
        record = self.store.get_review(key)
        if record is None:
            raise StorfaError(N_("No review called {key!r}."), key=key)
        return record.id, record.summary.review_id, record.version_id

    def with_rows(self, summaries: Iterable[ReviewSummary]) -> list[tuple[int, ReviewSummary]]:
        rows = {key: row for row, key in self.store.review_keys().items()}
        return [(rows[s.review_id], s) for s in summaries if s.review_id in rows]

    # ------------------------------------------------------------ suggestions
    def suggest(self, keys: Iterable[str], actor: str = SUGGESTER,
                detail: dict[str, Any] | None = None, model: bool = True,
                embed_limit: int = EMBED_ON_THE_FLY) -> list[dict[str, Any]]:
        """Suggest values for each review from its text and store them as
        suggestions (the previous suggestions become history)."""
        return self.suggest_with_notes(keys, actor, detail, model, embed_limit)[0]

    def suggest_with_notes(self, keys: Iterable[str], actor: str = SUGGESTER,
                           detail: dict[str, Any] | None = None, model: bool = True,
                           embed_limit: int = EMBED_ON_THE_FLY
                           ) -> tuple[list[dict[str, Any]], list[str]]:
        """`suggest`, and notes saying where the model suggester could not run
        (no model, or too many passages without stored vectors)."""
        found: list[dict[str, Any]] = []
        notes: list[str] = []
        for key in keys:
            row, review_id, version_id = self._review(key)
            passages = self.store.passages(version_id)
            starts = [p.start for p in passages]
            lexical = suggest(passages, self.variables)
            from_model: list[Suggestion] = []
            if model:
                from_model = self._model_suggestions(review_id, passages, lexical,
                                                     embed_limit, notes)
            new: list[NewCaseValue] = []
            for s in [*lexical, *from_model]:
                passage = _passage_at(passages, starts, s.start)
                pid = passage.id if passage else None
                new.append(NewCaseValue(s.variable, s.value,
                                        CaseEvidence(pid, s.page, s.evidence, s.start, s.end),
                                        term=s.term, hits=s.hits, source=s.source,
                                        confidence=s.confidence))
                found.append({"review_id": review_id, **s.as_json(), "passage_id": pid})
            self.sql.replace_suggestions(row, new, SUGGESTER)
            self.store.audit(actor, "casevars.suggest", "review", review_id,
                             {**(detail or {}), "suggestions": len(new),
                              "model_suggestions": len(from_model)})
        return found, notes

    def embedder(self) -> TextEmbedder | None:
        """The model, loaded once; None (and the reason kept) if it cannot load,
        so lexicon suggestions go on without it."""
        if self._embedder is None and self._embedder_error is None:
            try:
                self._embedder = self._load_embedder()
            except Exception as exc:  # a missing or broken model must not stop the lexicon
                self._embedder_error = f"{type(exc).__name__}: {exc}"
        return self._embedder

    def _model_suggestions(self, review_id: str, passages: Sequence[Passage],
                           lexical: Sequence[Suggestion], embed_limit: int,
                           notes: list[str]) -> list[Suggestion]:
        from storfa.search.embeddings import MODEL_NAME
        from storfa.search.vectors import from_bytes

        wanted = {p.id: p for p in passages
                  if p.id is not None and p.kind != "heading" and p.text.strip()}
        if not wanted:
            return []
        vectors = {pid: from_bytes(raw)
                   for pid, raw in self.store.vectors_of(list(wanted), MODEL_NAME).items()}
        missing = [pid for pid in wanted if pid not in vectors]
        if len(missing) > embed_limit:
            notes.append(f"{review_id}: model suggestions skipped: {len(missing)} passages "
                         f"have no stored vectors (more than {embed_limit} to embed now); "
                         "run storfa reindex --embeddings.")
            return []
        embedder = self.embedder()
        if embedder is None:
            notes.append(f"{review_id}: model suggestions skipped: the embedding model is "
                         f"unavailable ({self._embedder_error}); lexicon suggestions only.")
            return []
        if missing:
            vectors.update(zip(missing, embedder.embed([wanted[pid].text for pid in missing]),
                               strict=True))
        return model_suggest(passages, embedder, vectors, self.variables,
                             skip={s.variable for s in lexical})

    # -------------------------------------------------------------- decisions
    def _current(self, row: int, variable: str) -> VariableState:
        state = VariableState(self.definition(variable))
        for value in self.sql.current([row]):
            if value.variable != variable:
                continue
            if value.status == "suggested":
                state.suggestions.append(value)
            else:
                state.decision = value
        return state

    def _evidence(self, review_id: str, passage_id: int) -> CaseEvidence:
        hit = self.store.passage_hits([passage_id]).get(passage_id)
        if hit is None or hit.review_key != review_id:
            raise StorfaError(f"Passage {passage_id} is not in the current version of "
                              f"{review_id}.")
        return CaseEvidence(passage_id, hit.page, hit.text, hit.start, hit.start + len(hit.text))

    def _decide(self, key: str, variable: str, value: str, status: str, actor: str,
                evidence: CaseEvidence | None, term: str | None,
                detail: dict[str, Any] | None, action: str, row: int, review_id: str
                ) -> CaseValue:
        old, new = self.sql.decide(row, NewCaseValue(variable, value, evidence, term=term),
                                   status, actor)
        self.store.audit(actor, action, "review", review_id, {
            **(detail or {}), "variable": variable, "value": value, "status": status,
            "previous": None if old is None else {"value": old.value, "status": old.status},
            "passage_id": evidence.passage_id if evidence else None})
        return new

    def set_value(self, key: str, variable: str, value: str, actor: str,
                  passage_id: int | None = None, detail: dict[str, Any] | None = None
                  ) -> CaseValue:
        """A person's value for a variable (confirmed). Evidence: the passage
        given, else the suggestion of the same value when there is one."""
        definition = self.definition(variable)
        stored = self.normalise(definition, value)
        row, review_id, _ = self._review(key)
        state = self._current(row, definition.name)
        evidence: CaseEvidence | None = None
        term = None
        if passage_id is not None:
            evidence = self._evidence(review_id, passage_id)
        else:
            match = next((s for s in state.suggestions if s.value == stored), None)
            if match is not None:
                evidence, term = match.evidence, match.term
        return self._decide(key, definition.name, stored, CONFIRMED, actor, evidence, term,
                            detail, "casevars.set", row, review_id)

    def _suggestion(self, state: VariableState, value: str | None) -> CaseValue:
        name = state.definition.name
        if not state.suggestions:
            raise StorfaError(N_("There is no suggestion for {name}; give a value instead."),
                              name=name)
        if value is None:
            if len(state.suggestions) > 1:
                raise StorfaError(f"{name} has several suggestions ("
                                  f"{', '.join(s.value for s in state.suggestions)}): name one.")
            return state.suggestions[0]
        stored = self.normalise(state.definition, value)
        for s in state.suggestions:
            if s.value == stored:
                return s
        raise StorfaError(f"{stored!r} is not a suggestion for {name}.")

    def confirm(self, key: str, variable: str, actor: str, value: str | None = None,
                detail: dict[str, Any] | None = None) -> CaseValue:
        """Accept a suggestion as it stands, with its evidence."""
        row, review_id, _ = self._review(key)
        state = self._current(row, self.definition(variable).name)
        chosen = self._suggestion(state, value)
        return self._decide(key, chosen.variable, chosen.value, CONFIRMED, actor,
                            chosen.evidence, chosen.term, detail, "casevars.confirm", row,
                            review_id)

    def reject(self, key: str, variable: str, actor: str, value: str | None = None,
               detail: dict[str, Any] | None = None) -> CaseValue:
        """Turn a suggestion down: the text does not support it."""
        row, review_id, _ = self._review(key)
        state = self._current(row, self.definition(variable).name)
        chosen = self._suggestion(state, value)
        return self._decide(key, chosen.variable, chosen.value, REJECTED, actor,
                            chosen.evidence, chosen.term, detail, "casevars.reject", row,
                            review_id)

    def history(self, key: str, variable: str | None = None) -> list[CaseValue]:
        row, _, _ = self._review(key)
        return self.sql.history(row, variable)

    # ----------------------------------------------------------------- tables
    def cases(self, reviews: Sequence[tuple[int, ReviewSummary]]) -> list[ReviewCase]:
        """Each review's variables with their current decision and suggestions."""
        result = [ReviewCase(row, s, {v.name: VariableState(v) for v in self.variables})
                  for row, s in reviews]
        by_row = {c.row: c for c in result}
        for value in self.sql.current([row for row, _ in reviews]):
            case = by_row.get(value.review_row)
            state = case.states.get(value.variable) if case else None
            if state is None:
                continue  # a variable no longer defined stays in history only
            if value.status == "suggested":
                state.suggestions.append(value)
            else:
                state.decision = value
        return result


def coded_variables(cases: Sequence[ReviewCase], binary_only: bool = False) -> list[str]:
    """Variables with a coded value (not only rejections) among these reviews,
    in definition order."""
    if not cases:
        return []
    names = []
    for name, state in cases[0].states.items():
        if binary_only and state.definition.type != "binary":
            continue
        if any(c.states[name].code is not None for c in cases):
            names.append(name)
    return names


def coded_table(cases: Sequence[ReviewCase], variables: Sequence[str] | None = None,
                labels: bool = False, meta: bool = False) -> Table:
    """review_id, (type, board, year, variant,) then one column per variable:
    "1"/"0"/empty for binary variables (or their labels), the value for others."""
    names = list(variables) if variables is not None else (
        list(cases[0].states) if cases else [])
    rows: list[tuple[str | None, ...]] = []
    for c in cases:
        s = c.summary
        head: tuple[str | None, ...] = ((s.type, s.board, str(s.year) if s.year else None,
                                         s.variant) if meta else ())
        cells = tuple(c.states[n].label if labels else c.states[n].code for n in names)
        rows.append(head + cells)
    return Table(columns=(*(META_COLUMNS if meta else ()), *names),
                 review_ids=tuple(c.summary.review_id for c in cases), rows=tuple(rows))


class NothingCoded(StorfaError):
    """No selected review has a confirmed case variable. The message says only
    that: each front end offers its own way on (a button, a command)."""

    def __init__(self, selected: int) -> None:
        super().__init__(N_("None of the {selected} selected reviews has a confirmed case "
                            "variable yet."), selected=selected)
        self.selected = selected


def binary_table(cases: Sequence[ReviewCase]) -> BinaryTable:
    """The associations' input: coded reviews × binary variables with a decision."""
    coded = [c for c in cases if c.coded]
    if not coded:
        raise NothingCoded(len(cases))
    names = coded_variables(coded, binary_only=True)
    if not names:
        raise StorfaError(N_("No binary case variable has been coded in the selected reviews."))
    codes = [[c.states[n].code for n in names] for c in coded]
    present = np.array([[cell == "1" for cell in row] for row in codes], dtype=bool)
    known = np.array([[cell is not None for cell in row] for row in codes], dtype=bool)
    return BinaryTable(review_ids=tuple(c.summary.review_id for c in coded),
                       variables=tuple(names), present=present, known=known)


def _default_embedder() -> TextEmbedder:
    from storfa.search.embeddings import default_embedder

    return default_embedder()
