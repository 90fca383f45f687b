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

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from storfa.coding.codebook_store import CodebookService
from storfa.coding.document_model import DocumentModel, load_document_model
from storfa.coding.document_reading import READS, read_document
from storfa.coding.terms import Analysed, TermRule
from storfa.domain.codebooks import Codebook
from storfa.domain.coding import (
    ACCEPTED,
    MANUAL,
    MODEL,
    REJECTED,
    TERM,
    Extract,
    Memo,
    NewExtract,
    Undone,
)
from storfa.domain.errors import N_, StorfaError
from storfa.domain.reviews import Passage, ReviewType, is_single_case
from storfa.storage.interface import Store
from storfa.storage.repositories import Extracts

if TYPE_CHECKING:
    from storfa.coding.agreement import AgreementReport, CodeAgreement
    from storfa.coding.classifier import PassageClassifier, Prediction

SUGGESTER = "auto-coder"
# Held-back passages counted for the user are those at least this likely to
# be practice: lowering the threshold that far would show them.
HELD_BACK_FLOOR = 0.3
# How a suggestion's detail names its runner-up code ("model; runner-up: X").
RUNNER_UP = "; runner-up: "
# What a person may do with a suggestion (CodingService.decide_suggestion).
DECISIONS = ("accept", "reject", "recode")


class MissingCode(StorfaError):
    """A re-coding that names no code to use instead."""


def split_runner_up(detail: str | None) -> tuple[str | None, str | None]:
    """(what the suggestion came from, its runner-up code or None)."""
    if detail is None or RUNNER_UP not in detail:
        return detail, None
    head, _, code = detail.partition(RUNNER_UP)
    return head or None, code or None


DETECTOR = "best-practice"  # whose detection every codebook borrows (coding.classifier)


class UnknownReview(StorfaError, KeyError):
    def __init__(self, key: str) -> None:
        super().__init__(N_("There is no review {key!r}."), key=key)

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Suggested:
    """What auto-coding suggested, how many passages it held back (read as
    practice with a confidence between HELD_BACK_FLOOR and the threshold) and
    how many it could not read (`unread`: paragraphs in a language the
    classifier does not read, READS, that it did not suggest). The threshold
    is the one given, or by default `threshold` for thematic and other
    reports and `review_threshold` for single-case reviews."""

    suggestions: list[Suggestion]
    held_back: int
    threshold: float
    review_threshold: float
    unread: int = 0

    def thresholds(self) -> dict[str, float]:
        return {"threshold": self.threshold, "review_threshold": self.review_threshold}

    def counts(self) -> dict[str, int]:
        """What was held back and left unread, as the CLI, the runs and the API report it."""
        return {"held_back": self.held_back, "unread": self.unread}

    def __iter__(self) -> Iterator[Suggestion]:
        return iter(self.suggestions)

    def __len__(self) -> int:
        return len(self.suggestions)


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
    def __init__(self, store: Store, sql: Extracts,
                 classifier: Callable[[str], PassageClassifier] | None = None,
                 models: Path | None = None, codebooks: CodebookService | None = None) -> None:
        """`classifier` loads a codebook's classifier (default: the package's
        load_classifier, cached per process)."""
        self.store, self.sql = store, sql
        self._classifier = classifier
        # Codebooks resolve through the store (a stored copy overrides a
        # built-in); `models` holds classifiers retrained by `storfa code train`.
        self.codebooks = codebooks or CodebookService(store)
        self._models = models

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
                passages: Sequence[Passage], full_text: str,
                threshold: float | None = None, review_type: str | None = None) -> Suggested:
        """Suggestions for one review's passages, without storing them: at most
        one per passage, its best code with the runner-up named in the detail.

        The passages are read as parts of their document (`coding.context`):
        headings, contents lines, author lists, references and captions are
        never suggested, nor, for a best-practice codebook, recommendations;
        and the confidence is the classifier's moved by the passage's zone
        (coding.document_model). The default threshold is the one for a
        review of `review_type`."""
        cut = self.threshold(book, review_type) if threshold is None else threshold
        # The stored span is the version's own text, which offsets index.
        spans = [full_text[p.start:p.end] for p in passages]
        classifier = self.classifier(book.name)
        reading = read_document(classifier, passages, spans, len(full_text),
                                single_case=is_single_case(review_type))
        if not reading.usable:
            return Suggested([], 0, cut, cut)
        usable = [passages[i] for i in reading.usable]
        texts = [spans[i] for i in reading.usable]
        rules = _rules(book)
        found: list[Suggestion] = []
        held_back = 0
        for p, text, p_doc, row in zip(usable, texts, reading.p_practice, reading.p_codes,
                                       strict=True):
            # Below the threshold a best-practice passage is still coded, so
            # that it can be counted as held back (and a lower threshold shows it).
            pred = classifier.decision(float(p_doc), row,
                                       min(cut, HELD_BACK_FLOOR) if book.best_practice else None)
            ranked = self._ranked_codes(book, classifier, pred, row, text, rules)
            if not ranked:
                continue
            if book.best_practice and float(p_doc) < cut:
                held_back += float(p_doc) >= HELD_BACK_FLOOR
                continue
            (code, how, detail), runner_up = ranked[0], ranked[1:2]
            if runner_up:
                detail = f"{detail}{RUNNER_UP}{runner_up[0][0]}"
            current = book.current(code)
            assert current is not None  # _ranked_codes keeps current codes only
            found.append(Suggestion(review_key, NewExtract(
                review_row=review_row, version_id=version_id, start=p.start, end=p.end,
                text=text, codebook=book.name, code=current.name, theme=current.theme,
                coder=SUGGESTER, how=how, passage_id=p.id, page=p.page,
                confidence=float(p_doc) if book.best_practice
                else (pred.confidence if how == MODEL else None),
                source_detail=detail)))
        return Suggested(found, held_back, cut, cut, self._unread(book, usable, found))

    @staticmethod
    def _unread(book: Codebook, usable: Sequence[Passage], found: Sequence[Suggestion]) -> int:
        """The paragraphs in a language the classifier does not read that it did
        not suggest (READS): for a best-practice codebook only, whose every
        suggestion is the classifier's reading. Counted so that a user is told,
        not left to take the silence for an answer."""
        if not book.best_practice:
            return 0
        suggested = {s.extract.start for s in found}
        return sum(p.language not in READS and p.start not in suggested for p in usable)

    @staticmethod
    def _ranked_codes(book: Codebook, classifier: PassageClassifier, pred: Prediction,
                      p_codes: Any, text: str,
                      rules: list[tuple[str, tuple[TermRule, ...]]]
                      ) -> list[tuple[str, str, str]]:
        """(code, source, detail) for a passage, best first: the classifier's
        code when it reads the passage as one, then its next most probable
        code, then codes whose term rules the passage matches. For a
        best-practice codebook a term hit on a passage that is not practice is
        no example of the code ("curiosity was lacking")."""
        out: list[tuple[str, str, str]] = []
        seen: set[str] = set()

        def add(code: str, how: str, detail: str) -> None:
            current = book.current(code)  # a merged code's successor; None if retired
            if current is not None and current.name.casefold() not in seen:
                seen.add(current.name.casefold())
                out.append((current.name, how, detail))

        if pred.code is not None and (pred.best_practice or not book.best_practice):
            add(pred.code, MODEL, pred.method)
            chosen = book.code(pred.code)
            runner_up = next((leaf for i in np.argsort(-np.asarray(p_codes), kind="stable")
                              if (leaf := classifier.leaves[int(i)]).name != chosen.name
                              and leaf.best_practice == chosen.best_practice), None)
            if runner_up is not None:
                add(runner_up.name, MODEL, pred.method)
        if book.best_practice and not pred.best_practice:
            return out
        analysed = Analysed.of(text)
        for code, code_rules in rules:
            hit = next((r for r in code_rules if r.matches(analysed)), None)
            if hit is not None:
                add(code, TERM, hit.query)
        return out

    def _document_model(self, book: Codebook) -> DocumentModel | None:
        # Detection is the best-practice detector's for every codebook, so its
        # document model serves them all.
        return load_document_model(DETECTOR)

    def threshold(self, book: Codebook, review_type: str | None = None) -> float:
        """The default suggestion threshold for a review of this type: the
        document model's, chosen on held-out real reports for thematic and
        other reports, on single-case reviews for those (coding.document_model)."""
        model = self._document_model(book)
        return model.threshold_for(review_type) if model is not None else 0.5

    def thresholds(self, book: Codebook) -> dict[str, float]:
        """The default thresholds by kind of report, as Suggested.thresholds names them."""
        return {"threshold": self.threshold(book),
                "review_threshold": self.threshold(book, ReviewType.CPR)}

    def auto(self, codebook: str, review_keys: Iterable[str] | None = None,
             actor: str = SUGGESTER,
             progress: Callable[[str, int], None] | None = None,
             on_total: Callable[[int], None] | None = None,
             threshold: float | None = None) -> Suggested:
        """Auto-code these reviews (default: all), replacing each review's
        earlier open suggestions for this codebook; returns what was stored
        and how many passages were held back below the threshold.
        `progress(review_id, passages)` is called after each review."""
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise StorfaError(N_("The threshold must be between 0 and 1 (got {threshold})."),
                              threshold=threshold)
        book = self.book(codebook)
        keys = self.review_keys(review_keys)
        if on_total is not None:
            on_total(len(keys))
        stored: list[Suggestion] = []
        held_back = unread = 0
        for key in keys:
            record = self.store.get_review(key)
            if record is None:  # deleted since listing
                continue
            passages = self.store.passages(record.version_id)
            found = self.suggest(book, key, record.version_id, record.id, passages,
                                 self.sql.version_text(record.version_id), threshold,
                                 record.summary.type)
            held_back += found.held_back
            unread += found.unread
            # The store returns the very objects it kept (decided spans are dropped).
            kept = {id(e) for e in self.sql.replace_suggestions(
                record.id, book.name, [s.extract for s in found.suggestions])}
            new = [s for s in found.suggestions if id(s.extract) in kept]
            stored.extend(new)
            self.store.audit(actor, "code.auto", "review", key,
                             {"codebook": book.name, "suggestions": len(new),
                              **found.counts(), "threshold": found.threshold,
                              "passages": len(passages)})
            if progress is not None:
                progress(key, len(passages))
        if threshold is not None:
            return Suggested(stored, held_back, threshold, threshold, unread)
        defaults = self.thresholds(book)
        return Suggested(stored, held_back, defaults["threshold"], defaults["review_threshold"],
                         unread)

    # ---------------------------------------------------------- by a person
    def decide_suggestion(self, extract_id: int, action: str, actor: str,
                          code: str | None = None) -> Extract:
        """What a person does with a suggestion (DECISIONS): the one use case
        behind the queue's buttons, `POST /api/v1/coding/extracts/{id}/decision`
        and `storfa code accept|reject|recode`. A re-coding needs the code to
        use instead; the decision joins the extract's history (storage keeps
        every coder's decision, and undo steps back through them)."""
        if action not in DECISIONS:
            raise StorfaError(N_("Choose accept, reject or re-code."))
        code = (code or "").strip()
        if action == "recode" and not code:
            raise MissingCode(N_("Choose the code to use instead."))
        return self.decide(extract_id, REJECTED if action == "reject" else ACCEPTED, actor,
                           code=code if action == "recode" else None)

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
                raise StorfaError(N_("The code '{code}' is retired."), code=chosen.name)
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
            raise StorfaError(N_("There is no coding change of yours to undo."))
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
            if chosen.merged_into:
                raise StorfaError(N_("The code '{code}' is retired; use '{instead}'."),
                                  code=chosen.name, instead=chosen.merged_into)
            raise StorfaError(N_("The code '{code}' is retired."), code=chosen.name)
        record = self.store.get_review(self.review_keys([review_key])[0])
        assert record is not None  # review_keys checked it exists
        text = self.sql.version_text(record.version_id)
        if not 0 <= start < end <= len(text):
            raise StorfaError(N_("The span {start}..{end} is outside the review's text "
                                 "(0..{length})."), start=start, end=end, length=len(text))
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

    def agreement(self, codebook: str, coder_a: str, coder_b: str,
                  rows: Collection[int] | None = None
                  ) -> tuple[list[str], list[CodeAgreement]]:
        """Per-code agreement of two coders over the passages of the reviews
        both have coded in this codebook (of those review `rows` only, when
        given: the ones the asker may see); returns (those reviews, the figures)."""
        report = self.agreement_report(codebook, coder_a, coder_b, rows)
        return report.reviews, report.codes

    def agreement_report(self, codebook: str, coder_a: str | None = None,
                         coder_b: str | None = None, rows: Collection[int] | None = None,
                         code: str = "") -> AgreementReport:
        """Agreement of two coders (or, naming neither, of the two who coded
        most reviews in common) as the page, the API and the CLI show it:
        per code, pooled over the codes used, and the passages coded
        differently, only those involving `code` when one is named
        (coding.agreement.compare_coders)."""
        from storfa.coding.agreement import compare_coders

        book = self.book(codebook)
        current = [e for e in self.sql.select(codebook=book.name, status="accepted")
                   if rows is None or e.review_row in rows]
        return compare_coders(self.store, book, current, coder_a, coder_b, code)

    def memo(self, author: str, text: str, extract_id: int | None = None,
             review_key: str | None = None) -> Memo:
        if not text.strip():
            raise StorfaError(N_("A memo needs some text."))
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
