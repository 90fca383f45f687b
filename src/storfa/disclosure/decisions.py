"""Deciding the disclosure check's findings (issue 19 item 2).

An editor accepts a finding (its suggested replacement will stand in for
it), rejects it (not identifying: leave the words as they are) or edits it
(their own replacement text), and can add words to the review's own list so
a surname is caught everywhere it occurs. The rules live here, once: the
CLI (`storfa check-disclosure --accept …`), the reader's panel and the API
all call `DisclosureDecisions`; who may decide is the caller's to check
(web.guard.editable_review; the CLI is trusted like every command).

Decisions are kept per version, because a finding's id
(REVIEW@vN:TYPE:START-END) is stable only for that version's text; a new
version is checked afresh. Terms belong to the review and carry over.
Every decision and term change is written with its audit event in one
transaction. The audit names the finding, its type and the decision, never
the words found: the audit log is append-only and hash-chained, so an
identifying word written there could never be redacted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from storfa.clock import utc_now
from storfa.disclosure.cache import disclosure_report
from storfa.disclosure.check import MIN_CONFIDENCE, DisclosureReport, Finding
from storfa.disclosure.redaction import refresh
from storfa.domain.acting import Acting
from storfa.domain.acting import CommandLine as CommandLine  # its home before domain/acting.py
from storfa.domain.disclosure import DisclosureDecision, DisclosureTerm
from storfa.domain.errors import N_, StorfaError
from storfa.domain.reviews import ReviewRecord

if TYPE_CHECKING:
    from storfa.app import Storfa

DECISIONS = ("accepted", "rejected", "edited")
MAX_REPLACEMENT = 200
MAX_TERM = 100


class UnknownFinding(StorfaError):
    """The id names no finding of the review's current version."""


@dataclass(slots=True)
class DecidedReport:
    """The check's findings with their decisions, and the review's own list."""

    report: DisclosureReport
    decisions: dict[str, DisclosureDecision]
    terms: list[DisclosureTerm]
    # Findings made by a listed term are decided by adding it: "accepted" by
    # whoever added the term, unless decided one by one.
    by_term: dict[str, DisclosureDecision] = field(default_factory=dict)

    def decision(self, f: Finding) -> DisclosureDecision | None:
        return self.decisions.get(f.id) or self.by_term.get(f.id)

    def undecided(self, min_confidence: float = MIN_CONFIDENCE) -> list[Finding]:
        return [f for f in self.report.findings
                if f.confidence >= min_confidence and self.decision(f) is None]

    def redactions(self) -> list[tuple[Finding, str]]:
        """Accepted and edited findings with the text that replaces each: what
        a published copy must not hold (at any confidence: a decided hint counts)."""
        out = []
        for f in self.report.findings:
            d = self.decision(f)
            if d is not None and d.decision != "rejected":
                out.append((f, d.replacement if d.decision == "edited" and d.replacement
                            else f.replacement))
        return out

    def as_json(self) -> dict[str, Any]:
        doc = self.report.as_json()
        for entry, f in zip(doc["findings"], self.report.findings, strict=True):
            d = self.decision(f)
            entry["decision"] = None if d is None else {
                "decision": d.decision, "replacement": d.replacement, "by": d.actor,
                "at": d.at, "by_term": f.id not in self.decisions}
        doc["undecided"] = len(self.undecided(self.report.min_confidence))
        doc["terms"] = [{"term": t.term, "by": t.actor, "at": t.at} for t in self.terms]
        return doc


def _holds(text: str, term: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.I) is not None


class DisclosureDecisions:
    def __init__(self, app: Storfa) -> None:
        self.app = app

    def report(self, record: ReviewRecord,
               min_confidence: float = MIN_CONFIDENCE) -> DecidedReport:
        terms = self.app.store.disclosure_terms(record.id)
        report = disclosure_report(self.app, record, min_confidence, [t.term for t in terms])
        decided = {d.finding_id: d for d in self.app.store.disclosure_decisions(
            record.version_id)}
        by_term: dict[str, DisclosureDecision] = {}
        for f in report.findings:
            # Made by a term, or a longer finding that holds one ("Jane Evans"
            # when "Evans" is listed: the longer span wins the overlap).
            term = next((t for t in terms if _holds(f.text, t.term)), None)
            if term is not None:
                by_term[f.id] = DisclosureDecision(f.id, "accepted", None, term.actor, term.at)
        return DecidedReport(report, decided, terms, by_term)

    def decide(self, record: ReviewRecord, finding_id: str, decision: str,
               replacement: str | None, actor: Acting) -> tuple[Finding, DisclosureDecision]:
        """Store one decision about a finding of the record's current version."""
        if decision not in DECISIONS:
            raise StorfaError(N_("A decision is one of {decisions} (got {decision!r})."),
                              decisions=", ".join(DECISIONS), decision=decision)
        text = " ".join((replacement or "").split())
        if decision == "edited" and not text:
            raise StorfaError(N_("An edited finding needs the text that replaces it."))
        if len(text) > MAX_REPLACEMENT:
            raise StorfaError(N_("A replacement is at most {most} characters."),
                              most=MAX_REPLACEMENT)
        # Any finding of the version may be decided, hints (below the shown
        # confidence) included: an editor may want to accept one.
        found = {f.id: f for f in self.report(record, 0.0).report.findings}
        finding = found.get(finding_id.strip())
        if finding is None:
            raise UnknownFinding(
                N_("No finding {finding!r} in version {version} of {review}; the disclosure "
                   "check lists the findings of the current version."), finding=finding_id,
                version=record.summary.version, review=record.summary.review_id)
        stored = DisclosureDecision(finding.id, decision,
                                    text if decision == "edited" else None,
                                    actor.name, utc_now())
        self.app.store.decide_finding(record.version_id, record.summary.review_id, stored, {
            **actor.detail(), "allowed": True, "version": record.summary.version,
            "finding": finding.id, "type": finding.type, "decision": decision,
            "replacement": stored.replacement})
        # What readers get follows the decision at once (search index included).
        refresh(self.app, record)
        return finding, stored

    def set_term(self, record: ReviewRecord, term: str, actor: Acting,
                 present: bool = True) -> bool:
        """Add a word to the review's own list (or take it off); False when the
        list already was that way."""
        word = " ".join(term.split())
        if not word:
            raise StorfaError(N_("A term needs at least one letter."))
        if len(word) > MAX_TERM:
            raise StorfaError(N_("A term is at most {most} characters."), most=MAX_TERM)
        if len(word) < 2:
            # One letter would be caught in every "A" and "I" of the review.
            raise StorfaError(N_("A term needs at least two characters."))
        stored = DisclosureTerm(word, actor.name, utc_now())
        # The audit names who changed the list and when; the word itself stays
        # in the list's own table, which can be corrected (see module docstring).
        changed = self.app.store.set_disclosure_term(
            record.id, record.summary.review_id, stored, present,
            {**actor.detail(), "allowed": True})
        if changed:
            refresh(self.app, record)
        return changed
