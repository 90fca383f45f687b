"""The disclosure check: what in a review would identify a person.

One rule for every caller (CLI `storfa check-disclosure`, the reader's panel,
`GET /api/v1/reviews/{id}/disclosure`, and the warning count on upload). It
reads passages, never the original file, so a scanned PDF is checked on its
OCR text (and the report says which pages were read by OCR).

A finding is stable for one version of a review: its id is built from the
review, the version, the type and the character offsets into the review's
full text, so a decision about it (accept, reject, edit) can be stored later
against the same id.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from storfa.disclosure.names import (
    OFFICE_SECTION,
    Conventions,
    capitalised,
    full_names,
    learn,
    names,
    office,
)
from storfa.disclosure.recognisers import Span, recognise
from storfa.domain.errors import N_, StorfaError
from storfa.domain.reviews import Passage

if TYPE_CHECKING:
    from storfa.app import Storfa

# Below this a finding is a hint (a board's mailbox, a name in a citation);
# what the CLI, the reader and the upload warning show by default.
MIN_CONFIDENCE = 0.5
CONTEXT_CHARS = 60
TYPES = ("person_name", "practitioner_name", "address", "postcode", "date_of_birth",
         "identifying_date", "nhs_number", "ni_number", "phone", "email", "school",
         "gp_practice", "service", "vehicle_registration")
# When two findings overlap, the more specific one stands: an NHS number is
# not also a phone number, a name inside "Ysgol Dafydd Jones" is the school's.
_RANK = {t: i for i, t in enumerate((
    "email", "nhs_number", "ni_number", "postcode", "vehicle_registration", "phone",
    "date_of_birth", "identifying_date", "school", "gp_practice", "service", "address",
    "practitioner_name", "person_name"))}


@dataclass(slots=True)
class Finding:
    id: str
    type: str
    start: int  # offsets into the review's full text (Passage.start based)
    end: int
    text: str
    confidence: float
    replacement: str
    page: int
    passage_id: int | None
    passage_seq: int
    before: str  # passage context either side, for a table or a highlighted line
    after: str
    why: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "start": self.start, "end": self.end,
                "text": self.text, "confidence": round(self.confidence, 2),
                "replacement": self.replacement, "page": self.page,
                "passage_id": self.passage_id, "context": {"before": self.before,
                                                           "after": self.after},
                "why": self.why}


@dataclass(slots=True)
class DisclosureReport:
    review_id: str
    version: int
    pages: int
    findings: list[Finding]
    ocr_pages: list[int] = field(default_factory=list)
    min_confidence: float = MIN_CONFIDENCE

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.findings:
            out[f.type] = out.get(f.type, 0) + 1
        return out

    def as_json(self) -> dict[str, Any]:
        return {"review_id": self.review_id, "version": self.version, "pages": self.pages,
                "min_confidence": self.min_confidence, "total": len(self.findings),
                "counts": self.counts(), "ocr_pages": self.ocr_pages,
                "findings": [f.as_json() for f in self.findings]}


def _welsh(p: Passage) -> bool:
    return p.language == "cy"


def _resolve(spans: list[Span]) -> list[Span]:
    """Overlapping spans: the higher-ranked type stands, then the longer span."""
    ordered = sorted(spans, key=lambda s: (_RANK.get(s.type, 99), -(s.end - s.start),
                                           -s.confidence))
    kept: list[Span] = []
    for s in ordered:
        if all(s.end <= k.start or s.start >= k.end for k in kept):
            kept.append(s)
    return sorted(kept, key=lambda s: s.start)


# The `why` of a finding made by a word on the review's own list (item 2's
# "add a term"): adding the term decided it, so the gate counts it as accepted.
ON_LIST = "on the review's list"

_CONTACT = re.compile(r"(?i)\b(?:for (?:further|more) information|correspondence(?: to)?:?|"
                      r"please contact|am ragor o wybodaeth|gohebiaeth)")
# Academic authors publish their addresses; a practitioner's NHS or council
# address in a draft is a slip.
_ACADEMIC = re.compile(r"(?i)\.(?:ac\.uk|edu)$")


class _Numbering:
    """Suggested replacements for names, consistent across the review: the same
    person is always "Person C", the same health visitor "Health Visitor 1";
    letters the report already uses ("Child K", "Adult B") are skipped."""

    def __init__(self, conv: Conventions) -> None:
        self.letters = [c for c in string.ascii_uppercase if c not in conv.letters] or ["X"]
        self.people: dict[str, str] = {}
        self.roles: dict[tuple[str, str], str] = {}
        self.conv = conv

    @staticmethod
    def key(text: str) -> str:
        # "Mrs Jane Evans", "Jane Evans" and "Evans" are one person: key by the last part.
        return text.split()[-1]

    def person(self, text: str) -> str:
        key = self.key(text)
        if key not in self.people:
            letter = self.letters[len(self.people) % len(self.letters)]
            self.people[key] = f"Person {letter}"
        return self.people[key]

    def practitioner(self, text: str, role: str) -> str:
        title = " ".join(w if w.isupper() else w.capitalize() for w in role.split())
        key = (title, self.key(text))
        if key not in self.roles:
            n = sum(1 for t, _ in self.roles if t == title) + 1
            self.roles[key] = f"{title} {n}"
        return self.roles[key]


def check_passages(passages: Sequence[Passage], review_id: str = "", version: int = 0,
                   min_confidence: float = MIN_CONFIDENCE,
                   terms: Iterable[str] = ()) -> list[Finding]:
    """Findings over a review's passages, in reading order.

    `terms` are a review's own words to catch everywhere (a surname an editor
    added); they are reported as person_name."""
    body = [p for p in passages if p.text]
    read = [(p.text, _welsh(p)) for p in body]
    words = [capitalised(text) for text, _ in read]
    full = [full_names(text, welsh, w) for (text, welsh), w in zip(read, words, strict=True)]
    conv = learn(read, full, words)
    extra = [t for t in (t.strip() for t in terms) if t]
    found: list[tuple[Passage, Span]] = []
    # A review has a few dozen sections over hundreds of passages.
    office_sections: dict[str, bool] = {}
    for p, (_, welsh), people, capitals in zip(body, read, full, words, strict=True):
        office_section = office_sections.get(p.section)
        if office_section is None:
            office_section = office_sections[p.section] = bool(OFFICE_SECTION.search(p.section))
        spans = recognise(p.text, welsh) + names(p.text, welsh, conv, office_section, people,
                                                 capitals)
        for s in spans:
            # A published report's contact line names its author's mailbox.
            if s.type in ("email", "phone") and (office_section or office(p.text, s.start, s.end)
                                                 or _CONTACT.search(p.text[:s.start][-150:])
                                                 or _ACADEMIC.search(p.text[s.start:s.end])):
                s.confidence = min(s.confidence, 0.3)
        spans += _terms(p.text, extra)
        found += [(p, s) for s in _resolve(spans)]
    # Names are numbered shown findings first, hints after, so "Person A" is
    # the same person whatever threshold a caller asks for.
    numbering = _Numbering(conv)
    # A person named once beside their role is that practitioner everywhere.
    roles = {numbering.key(p.text[s.start:s.end]): s.replacement
             for p, s in found if s.type == "practitioner_name"}
    for p, s in found:
        role = roles.get(numbering.key(p.text[s.start:s.end]))
        if s.type == "person_name" and role:
            s.type, s.replacement = "practitioner_name", role
    for strong in (True, False):
        for p, s in found:
            if (s.confidence >= MIN_CONFIDENCE) != strong:
                continue
            if s.type == "practitioner_name":
                s.replacement = numbering.practitioner(p.text[s.start:s.end], s.replacement)
            elif s.type == "person_name":
                s.replacement = numbering.person(p.text[s.start:s.end])
    findings: list[Finding] = []
    for p, s in found:
        if s.confidence < min_confidence:
            continue
        start, end = p.start + s.start, p.start + s.end
        findings.append(Finding(
            id=f"{review_id}@v{version}:{s.type}:{start}-{end}", type=s.type, start=start,
            end=end, text=p.text[s.start:s.end], confidence=s.confidence,
            replacement=s.replacement, page=p.page, passage_id=p.id, passage_seq=p.seq,
            before=p.text[max(0, s.start - CONTEXT_CHARS):s.start],
            after=p.text[s.end:s.end + CONTEXT_CHARS], why=s.why))
    return findings


def _terms(text: str, terms: list[str]) -> list[Span]:
    spans = []
    for term in terms:
        for m in re.finditer(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.I):
            spans.append(Span("person_name", m.start(), m.end(), 1.0, "", ON_LIST))
    return spans


def check_text(text: str, language: str = "en",
               min_confidence: float = MIN_CONFIDENCE) -> list[Finding]:
    """Findings in free text (one passage per paragraph): for tests and the bench."""
    passages, at = [], 0
    for seq, para in enumerate(text.split("\n\n")):
        passages.append(Passage(seq, 1, "", "paragraph", para, at, at + len(para), language))
        at += len(para) + 2
    return check_passages(passages, min_confidence=min_confidence)


def check_review(app: Storfa, key: str, min_confidence: float = MIN_CONFIDENCE
                 ) -> DisclosureReport:
    """The check over a stored review's current version. Access is the caller's
    to decide (web.guard.visible_review; the CLI is trusted like every command)."""
    from storfa.disclosure.cache import disclosure_report

    record = app.store.get_review(key)
    if record is None:
        raise StorfaError(N_("No review called {key!r}. `storfa reviews` lists them."),
                          key=key)
    return disclosure_report(app, record, min_confidence)


def ocr_pages(app: Storfa, version_id: int) -> list[int]:
    with app.store.db.read() as conn:
        return [int(r["number"]) for r in conn.execute(
            "SELECT number FROM pages WHERE version_id = ? AND ocr = 1 ORDER BY number",
            (version_id,))]


def warning_count(passages: Sequence[Passage]) -> int:
    """How many findings an upload carries: the warning on its result."""
    return len(check_passages(passages))
