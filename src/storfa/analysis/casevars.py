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
from storfa.domain.casevars import CONFIRMED, REJECTED, CaseEvidence, CaseValue, NewCaseValue
from storfa.domain.errors import N_, StorfaError
from storfa.domain.reviews import Passage, ReviewSummary
from storfa.storage.interface import Store
from storfa.storage.repositories import CaseVariables

if TYPE_CHECKING:
    pass

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


def _code(definition: VariableDef, status: str, value: str) -> str | None:
    """A decision's table cell: "1"/"0" for binary variables, the category or
    text for the others; None where a person rejected it or does not know."""
    if definition.type == "binary":
        return "1" if status == CONFIRMED and value == PRESENT else "0"
    if status == REJECTED or value == NOT_KNOWN:
        return None
    return value


def _label(definition: VariableDef, code: str | None) -> str | None:
    """A cell as words, for frequency tables and pages."""
    if code is None or definition.type != "binary":
        return code
    return BINARY_LABELS[int(code)]


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
        return None if d is None else _code(self.definition, d.status, d.value)

    @property
    def label(self) -> str | None:
        """The cell as words, for frequency tables and pages."""
        return _label(self.definition, self.code)

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


@dataclass(frozen=True, slots=True)
class CaseCodes:
    """The coded cells of selected reviews, column by column: what the
    statistics, the frequency tables and the downloads read (issue 20).
    Unlike a list of ReviewCase it holds no suggestions, evidence or
    per-cell objects, so 2,500 reviews × 40 variables load in one query per
    500 reviews and the tables are built from columns."""

    rows: tuple[int, ...]
    summaries: tuple[ReviewSummary, ...]
    definitions: tuple[VariableDef, ...]
    codes: dict[str, list[str | None]]  # variable -> one cell per review, in review order
    decided: tuple[bool, ...]  # the review has a decision (ReviewCase.coded)

    @property
    def coded_reviews(self) -> int:
        return sum(self.decided)

    @classmethod
    def of_cases(cls, cases: Sequence[ReviewCase]) -> CaseCodes:
        """The same cells from ReviewCase objects (the grid's, and tests')."""
        definitions = tuple(s.definition for s in cases[0].states.values()) if cases else ()
        return cls(rows=tuple(c.row for c in cases),
                   summaries=tuple(c.summary for c in cases), definitions=definitions,
                   codes={d.name: [c.states[d.name].code for c in cases] for d in definitions},
                   decided=tuple(c.coded for c in cases))


# What the tables below read: the columns, or the grid's per-review objects.
Cases = CaseCodes | Sequence[ReviewCase]


def _columns(cases: Cases) -> CaseCodes:
    return cases if isinstance(cases, CaseCodes) else CaseCodes.of_cases(cases)


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
    def __init__(self, store: Store, sql: CaseVariables,
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

    # ------------------------------------------------------------- definitions
    def definition(self, name: str) -> VariableDef:
        found = self._by_name.get(name.strip())
        if found is None:
            raise StorfaError(N_("No case variable called {name!r}. Variables: {names}."),
                              name=name, names=", ".join(self._by_name))
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
            raise StorfaError(N_("{name} is one of: {values}, or not_known (got {value!r})."),
                              name=definition.name, value=value,
                              values=", ".join(c.value for c in definition.categories))
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
                raise StorfaError(N_("{name} is a date as YYYY-MM-DD (got {value!r})."),
                                  name=definition.name, value=value) from None
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
            raise StorfaError(N_("Passage {passage} is not in the current version of "
                                 "{review}."), passage=passage_id, review=review_id)
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
                raise StorfaError(N_("{name} has several suggestions ({values}): name one."),
                                  name=name,
                                  values=", ".join(s.value for s in state.suggestions))
            return state.suggestions[0]
        stored = self.normalise(state.definition, value)
        for s in state.suggestions:
            if s.value == stored:
                return s
        raise StorfaError(N_("{value!r} is not a suggestion for {name}."), value=stored,
                          name=name)

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

    def decide(self, key: str, variable: str, action: str, value: str, actor: str,
               detail: dict[str, Any] | None = None) -> CaseValue:
        """One decision from the grid or the API: "confirm" or "reject" a
        suggestion (the one of `value` when there are several), or set `value`
        ("set", and anything else the grid may post)."""
        if action == "confirm":
            return self.confirm(key, variable, actor, value or None, detail)
        if action == "reject":
            return self.reject(key, variable, actor, value or None, detail)
        return self.set_value(key, variable, value, actor, detail=detail)

    def history(self, key: str, variable: str | None = None) -> list[CaseValue]:
        row, _, _ = self._review(key)
        return self.sql.history(row, variable)

    # ----------------------------------------------------------------- tables
    def codes(self, reviews: Sequence[tuple[int, ReviewSummary]]) -> CaseCodes:
        """The reviews' coded cells for the statistics: their current
        decisions only (suggestions are not read), as columns."""
        rows = tuple(row for row, _ in reviews)
        at = {row: i for i, row in enumerate(rows)}
        codes: dict[str, list[str | None]] = {v.name: [None] * len(rows)
                                              for v in self.variables}
        decided = [False] * len(rows)
        for row, variable, value, status in self.sql.current_decisions(rows):
            column = codes.get(variable)
            if column is None:
                continue  # a variable no longer defined stays in history only
            i = at[row]
            column[i] = _code(self._by_name[variable], status, value)
            decided[i] = True
        return CaseCodes(rows=rows, summaries=tuple(s for _, s in reviews),
                         definitions=self.variables, codes=codes, decided=tuple(decided))

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


def coded_variables(cases: Cases, binary_only: bool = False) -> list[str]:
    """Variables with a coded value (not only rejections) among these reviews,
    in definition order."""
    codes = _columns(cases)
    return [d.name for d in codes.definitions
            if not (binary_only and d.type != "binary")
            and any(cell is not None for cell in codes.codes[d.name])]


def coded_table(cases: Cases, variables: Sequence[str] | None = None,
                labels: bool = False, meta: bool = False) -> Table:
    """review_id, (type, board, year, variant,) then one column per variable:
    "1"/"0"/empty for binary variables (or their labels), the value for others."""
    codes = _columns(cases)
    names = list(variables) if variables is not None else [d.name for d in codes.definitions]
    by_name = {d.name: d for d in codes.definitions}
    columns: list[Sequence[str | None]] = []
    if meta:
        s = codes.summaries
        columns += [[x.type for x in s], [x.board for x in s],
                    [str(x.year) if x.year else None for x in s], [x.variant for x in s]]
    for name in names:
        cells = codes.codes[name]
        if labels and by_name[name].type == "binary":
            cells = [_label(by_name[name], cell) for cell in cells]
        columns.append(cells)
    return Table(columns=(*(META_COLUMNS if meta else ()), *names),
                 review_ids=tuple(s.review_id for s in codes.summaries),
                 rows=tuple(zip(*columns, strict=True)) if columns
                 else tuple(() for _ in codes.summaries))


class NothingCoded(StorfaError):
    """No selected review has a confirmed case variable. The message says only
    that: each front end offers its own way on (a button, a command)."""

    def __init__(self, selected: int) -> None:
        super().__init__(N_("None of the {selected} selected reviews has a confirmed case "
                            "variable yet."), selected=selected)
        self.selected = selected


def binary_table(cases: Cases) -> BinaryTable:
    """The associations' input: coded reviews × binary variables with a decision."""
    codes = _columns(cases)
    coded = [i for i, decided in enumerate(codes.decided) if decided]
    if not coded:
        raise NothingCoded(len(codes.rows))
    names = coded_variables(codes, binary_only=True)
    if not names:
        raise StorfaError(N_("No binary case variable has been coded in the selected reviews."))
    shape = (len(coded), len(names))
    present = np.zeros(shape, dtype=bool)
    known = np.zeros(shape, dtype=bool)
    for j, name in enumerate(names):
        column = codes.codes[name]
        cells = [column[i] for i in coded]
        present[:, j] = [cell == "1" for cell in cells]
        known[:, j] = [cell is not None for cell in cells]
    return BinaryTable(review_ids=tuple(codes.summaries[i].review_id for i in coded),
                       variables=tuple(names), present=present, known=known)


def _default_embedder() -> TextEmbedder:
    from storfa.search.embeddings import default_embedder

    return default_embedder()
