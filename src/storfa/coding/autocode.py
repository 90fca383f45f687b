"""Auto-coding and the coding actions around it: suggestions from the passage
classifier and the codebook's term rules, a person's accept/reject and own
codings, memos; each change audited through the store.

Auto-coding reads every passage of a review's current version. For a
best-practice codebook (every code is an example of best practice) a passage
is only suggested when the classifier says it is best practice: with the
classifier's code (source "model"), and with any other code whose term rules
the passage matches (source "term"), because a term hit on a passage that is
not good practice ("curiosity was lacking") is not an example of the code.
For other codebooks a term hit is a suggestion by itself: "code all hits of
this search as X"."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storfa.coding.codebook_store import CodebookService
from storfa.coding.codebooks import Codebook
from storfa.coding.terms import Analysed, TermRule
from storfa.domain.errors import StorfaError
from storfa.domain.reviews import Passage, is_question
from storfa.storage.interface import Store
from storfa.storage.sql.extracts import (
    MANUAL,
    MODEL,
    TERM,
    Extract,
    Memo,
    NewExtract,
    SQLExtracts,
    Undone,
)

if TYPE_CHECKING:
    from storfa.app import Storfa
    from storfa.coding.agreement import CodeAgreement
    from storfa.coding.classifier import PassageClassifier

SUGGESTER = "auto-coder"
# Passages that are only a heading, or too short to say anything, are not coded.
MIN_CHARS = 20
# Title-page lines ("North Wales Safeguarding Board — Child Practice Review")
# read as praise to the classifier; a practice worth coding takes a clause.
MIN_WORDS = 8


def codable(passage: Passage, text_length: int) -> bool:
    """Whether auto-coding reads this passage: not a heading, long enough to
    say something, and not a question (an evaluation's survey items — "Any
    changes resulting from feedback?" — ask about practice, they do not show it)."""
    return (passage.kind != "heading" and passage.end - passage.start >= MIN_CHARS
            and len(passage.text.split()) >= MIN_WORDS and passage.end <= text_length
            and not is_question(passage.text))


class UnknownReview(StorfaError, KeyError):
    def __init__(self, key: str) -> None:
        super().__init__(f"There is no review {key!r}.")

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Suggestion:
    review_id: str
    extract: NewExtract

    def as_json(self) -> dict[str, Any]:
        e = self.extract
        return {"review_id": self.review_id, "start": e.start, "end": e.end, "text": e.text,
                "code": e.code, "theme": e.theme,
                "confidence": None if e.confidence is None else round(e.confidence, 4),
                "source": e.how}


def _rules(book: Codebook) -> list[tuple[str, tuple[TermRule, ...]]]:
    return [(c.name, tuple(TermRule.parse(t) for t in c.terms)) for c in book.leaves
            if c.terms and not c.retired]


class CodingService:
    def __init__(self, store: Store, sql: SQLExtracts,
                 classifier: Callable[[str], PassageClassifier] | None = None,
                 models: Path | None = None) -> None:
        """`classifier` loads a codebook's classifier (default: the package's
        load_classifier, cached per process)."""
        self.store, self.sql = store, sql
        self._classifier = classifier
        # Codebooks resolve through the store (a stored copy overrides a
        # built-in); `models` holds classifiers retrained by `storfa code train`.
        self.codebooks = CodebookService(store)
        self._models = models

    @classmethod
    def of(cls, app: Storfa) -> CodingService:
        return cls(app.store, SQLExtracts(app.store.db),
                   models=app.settings.data_dir / "models")

    def book(self, codebook: str) -> Codebook:
        return self.codebooks.load(codebook)

    def classifier(self, codebook: str) -> PassageClassifier:
        if self._classifier is not None:
            return self._classifier(codebook)
        from storfa.coding.classifier import classifier_for

        return classifier_for(self.book(codebook), self._models)

    def review_keys(self, keys: Iterable[str] | None = None) -> list[str]:
        """The stored reviews' keys; the given ones checked and spelt as stored."""
        stored = [s.review_id for s in self.store.list_reviews()]
        if keys is None:
            return stored
        by_fold = {k.casefold(): k for k in stored}
        chosen = []
        for key in keys:
            if key.casefold() not in by_fold:
                raise UnknownReview(key)
            chosen.append(by_fold[key.casefold()])
        return chosen

    # ------------------------------------------------------------ auto-coding
    def suggest(self, book: Codebook, review_key: str, version_id: int, review_row: int,
                passages: Sequence[Passage], full_text: str) -> list[Suggestion]:
        """Suggestions for one review's passages, without storing them."""
        usable = [p for p in passages if codable(p, len(full_text))]
        if not usable:
            return []
        # The stored span is the version's own text, which offsets index.
        spans = [full_text[p.start:p.end] for p in usable]
        predictions = self.classifier(book.name).classify(spans)
        rules = _rules(book)
        found: list[Suggestion] = []

        def add(p: Passage, text: str, code: str, how: str, confidence: float | None,
                detail: str) -> None:
            current = book.current(code)  # a merged code's successor; None if retired
            if current is None:
                return
            found.append(Suggestion(review_key, NewExtract(
                review_row=review_row, version_id=version_id, start=p.start, end=p.end,
                text=text, codebook=book.name, code=current.name,
                theme=current.theme, coder=SUGGESTER, how=how, passage_id=p.id,
                page=p.page, confidence=confidence, source_detail=detail)))

        for p, text, pred in zip(usable, spans, predictions, strict=True):
            suggested: set[str] = set()
            if pred.best_practice and pred.code is not None:
                add(p, text, pred.code, MODEL, pred.confidence, pred.method)
                # As stored: a merged code's successor is not suggested twice.
                current = book.current(pred.code)
                suggested.add((current.name if current else pred.code).casefold())
            if book.best_practice and not pred.best_practice:
                continue
            analysed = Analysed.of(text)
            for code, code_rules in rules:
                hit = next((r for r in code_rules if r.matches(analysed)), None)
                if hit is None or code.casefold() in suggested:
                    continue
                suggested.add(code.casefold())
                add(p, text, code, TERM, pred.p_best_practice if book.best_practice else None,
                    hit.query)
        return found

    def auto(self, codebook: str, review_keys: Iterable[str] | None = None,
             actor: str = SUGGESTER,
             progress: Callable[[str, int], None] | None = None,
             on_total: Callable[[int], None] | None = None) -> list[Suggestion]:
        """Auto-code these reviews (default: all), replacing each review's
        earlier open suggestions for this codebook; returns what was stored.
        `progress(review_id, passages)` is called after each review."""
        book = self.book(codebook)
        keys = self.review_keys(review_keys)
        if on_total is not None:
            on_total(len(keys))
        stored: list[Suggestion] = []
        for key in keys:
            record = self.store.get_review(key)
            if record is None:  # deleted since listing
                continue
            passages = self.store.passages(record.version_id)
            found = self.suggest(book, key, record.version_id, record.id, passages,
                                 self.sql.version_text(record.version_id))
            # The store returns the very objects it kept (decided spans are dropped).
            kept = {id(e) for e in self.sql.replace_suggestions(
                record.id, book.name, [s.extract for s in found])}
            new = [s for s in found if id(s.extract) in kept]
            stored.extend(new)
            self.store.audit(actor, "code.auto", "review", key,
                             {"codebook": book.name, "suggestions": len(new),
                              "passages": len(passages)})
            if progress is not None:
                progress(key, len(passages))
        return stored

    # ---------------------------------------------------------- by a person
    def decide(self, extract_id: int, status: str, actor: str,
               code: str | None = None) -> Extract:
        """Accept or reject an extract as `actor`, or with `code` re-code it
        (accepted with that code). Returns the row holding actor's decision:
        the extract itself, or actor's own row when someone else had decided
        it (storage/sql/extracts.py)."""
        theme = None
        if code is not None:
            chosen = self.book(self.sql.get(extract_id).codebook).code(code)
            if chosen.retired:
                raise StorfaError(f"The code '{chosen.name}' is retired.")
            code, theme = chosen.name, chosen.theme
        before, after = self.sql.decide(extract_id, status, actor, code, theme)
        recoded = after.code != before.code
        action = "recode" if recoded else ("accept" if status == "accepted" else "reject")
        detail: dict[str, Any] = {"review": after.review_id, "codebook": after.codebook,
                                  "code": after.code, "previous_status": before.status,
                                  "decision": after.id}
        if recoded:
            detail["previous_code"] = before.code
        self.store.audit(actor, f"code.{action}", "extract", str(extract_id), detail)
        return after

    def undo(self, actor: str) -> Undone:
        """Undo actor's own newest coding change (decision, re-coding or
        extract of their own); nobody else's."""
        done = self.sql.undo_last(actor)
        if done is None:
            raise StorfaError("There is no coding change of yours to undo.")
        e = done.extract
        self.store.audit(actor, "code.undo", "extract", str(e.id),
                         {"review": e.review_id, "codebook": e.codebook, "code": e.code,
                          "undone": done.action, "change": done.change_id,
                          "status": e.status, "withdrawn": e.superseded})
        return done

    def code_span(self, review_key: str, start: int, end: int, codebook: str, code: str,
                  actor: str) -> Extract:
        """A person codes characters start..end of a review's current text."""
        book = self.book(codebook)
        chosen = book.code(code)
        if chosen.retired:
            raise StorfaError(f"The code '{chosen.name}' is retired"
                              + (f"; use '{chosen.merged_into}'." if chosen.merged_into
                                 else "."))
        record = self.store.get_review(self.review_keys([review_key])[0])
        assert record is not None  # review_keys checked it exists
        text = self.sql.version_text(record.version_id)
        if not 0 <= start < end <= len(text):
            raise StorfaError(f"The span {start}..{end} is outside the review's text "
                              f"(0..{len(text)}).")
        passage = next((p for p in self.store.passages(record.version_id)
                        if p.start <= start < p.end), None)
        extract = self.sql.add_manual(NewExtract(
            review_row=record.id, version_id=record.version_id, start=start, end=end,
            text=text[start:end], codebook=book.name, code=chosen.name, theme=chosen.theme,
            coder=actor, how=MANUAL, passage_id=passage.id if passage else None,
            page=passage.page if passage else None))
        self.store.audit(actor, "code.add", "extract", str(extract.id),
                         {"review": extract.review_id, "codebook": book.name,
                          "code": chosen.name, "start": start, "end": end})
        return extract

    def extracts(self, codebook: str | None = None, review_key: str | None = None,
                 status: str | None = None) -> list[Extract]:
        row = None
        if review_key is not None:
            record = self.store.get_review(self.review_keys([review_key])[0])
            assert record is not None
            row = record.id
        return self.sql.select(codebook=self.book(codebook).name if codebook else None,
                             review_row=row, status=status)

    def agreement(self, codebook: str, coder_a: str, coder_b: str
                  ) -> tuple[list[str], list[CodeAgreement]]:
        """Per-code agreement of two coders over the passages of the reviews
        both have coded in this codebook; returns (those reviews, the figures)."""
        from storfa.coding.agreement import Unit, by_coder, passage_agreement

        book = self.book(codebook)
        current = self.sql.select(codebook=book.name, status="accepted")
        a, b = by_coder(current, coder_a), by_coder(current, coder_b)
        both = sorted({e.review_id for e in a} & {e.review_id for e in b})
        units: list[Unit] = []
        for key in both:
            record = self.store.get_review(key)
            assert record is not None  # it has extracts
            units.extend(Unit(record.id, record.version_id, p.start, p.end)
                         for p in self.store.passages(record.version_id)
                         if p.kind != "heading")
        return both, passage_agreement(book, units, a, b)

    def memo(self, author: str, text: str, extract_id: int | None = None,
             review_key: str | None = None) -> Memo:
        if not text.strip():
            raise StorfaError("A memo needs some text.")
        row = None
        if review_key is not None:
            record = self.store.get_review(self.review_keys([review_key])[0])
            assert record is not None
            row = record.id
        memo = self.sql.add_memo(author, text, extract_id=extract_id, review_row=row)
        self.store.audit(author, "code.memo", "extract" if extract_id else "review",
                         str(extract_id) if extract_id else str(review_key),
                         {"memo": memo.id})
        return memo
