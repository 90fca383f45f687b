"""Coded extracts and memos, and what a coder's decision changes.

The types every layer shares about coding, and the rule for several coders
deciding the same suggestion, written as a pure function (`plan_decision`)
that storage applies in one transaction. Kept free of SQL so the rule reads
in one place and is tested without a database.

The rule: the first person to decide an open suggestion decides it in place;
anyone deciding it after them gets a row of their own pointing at it
(`origin_id`), so nobody's decision overwrites another's. A suggestion's code
is never changed: re-coding one makes the coder's own row with the new code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storfa.domain.errors import N_, StorfaError

SUGGESTED, ACCEPTED, REJECTED = "suggested", "accepted", "rejected"
STATUSES = (SUGGESTED, ACCEPTED, REJECTED)
MANUAL, TERM, MODEL = "manual", "term", "model"
HOWS = (MANUAL, TERM, MODEL)
# Starts the source_detail of a suggestion made for one purpose (a scope);
# the auto-coder's details (a term rule's query, "model") never do.
SCOPE_MARK = "@"


class UnknownExtract(StorfaError, KeyError):
    def __init__(self, extract_id: int) -> None:
        super().__init__(N_("There is no extract {extract}."), extract=extract_id)

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True, slots=True)
class NewExtract:
    """A span to store; `start`/`end` index the version's full text."""

    review_row: int
    version_id: int
    start: int
    end: int
    text: str
    codebook: str
    code: str
    theme: str
    coder: str
    how: str
    passage_id: int | None = None
    page: int | None = None
    confidence: float | None = None
    source_detail: str | None = None


@dataclass(frozen=True, slots=True)
class Extract:
    id: int
    review_row: int
    review_id: str  # the review's key, e.g. CPR2019-W03
    version_id: int
    passage_id: int | None
    start: int
    end: int
    page: int | None
    text: str
    codebook: str
    code: str
    theme: str
    coder: str
    how: str
    status: str
    confidence: float | None
    source_detail: str | None
    created_at: str
    decided_by: str | None
    decided_at: str | None
    superseded: bool
    origin_id: int | None = None  # the extract this coder's own decision is on

    @property
    def is_suggestion(self) -> bool:
        """Proposed by the auto-coder (not a person's own row or decision copy)."""
        return self.how != MANUAL and self.origin_id is None

    @property
    def source(self) -> str:
        """What the contract calls the suggestion's source: model, term or manual."""
        return self.how

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "review_id": self.review_id, "start": self.start,
                "end": self.end, "page": self.page, "text": self.text,
                "codebook": self.codebook, "code": self.code, "theme": self.theme,
                "coder": self.coder, "how": self.how, "status": self.status,
                "confidence": None if self.confidence is None else round(self.confidence, 4),
                "source_detail": self.source_detail, "created_at": self.created_at,
                "decided_by": self.decided_by, "decided_at": self.decided_at}


@dataclass(frozen=True, slots=True)
class Memo:
    id: int
    extract_id: int | None
    review_row: int | None
    author: str
    text: str
    created_at: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "extract_id": self.extract_id, "author": self.author,
                "text": self.text, "created_at": self.created_at}



@dataclass(frozen=True, slots=True)
class Undone:
    """One undone change: what it was and its extract as it is now."""

    change_id: int
    action: str
    extract: Extract




@dataclass(frozen=True, slots=True)
class DecisionPlan:
    """What deciding an extract changes. Exactly one of `update` (a row
    decided where it is) and `insert` (a new row of the coder's own, whose
    origin is `insert.origin`) is set; `reopen` is a row of the coder's that
    goes back to open suggestion first."""

    action: str  # accept | reject | recode: what the change log calls it
    status: str
    code: str
    theme: str
    update: int | None = None
    update_code: bool = False  # the in-place update also writes code and theme
    reopen: int | None = None
    insert_origin: int | None = None


def plan_decision(given: Extract, base: Extract, mine: Extract | None, status: str,
                  code: str | None = None, theme: str | None = None) -> DecisionPlan:
    """The change a decision makes. `given` is the extract the coder acted on,
    `base` the suggestion it stands for (given itself, or the origin of
    another coder's decision row), `mine` the coder's own current row for
    `base`, if any. Another coder's decision is never changed."""
    if status not in (ACCEPTED, REJECTED):
        raise StorfaError(N_("A decision is accepted or rejected, not {status!r}."),
                          status=status)
    if (code is None) != (theme is None):
        raise StorfaError(N_("A new code needs its theme."))
    recode = code is not None and code.casefold() != base.code.casefold()
    action = "recode" if recode else status.removesuffix("ed")
    new_code, new_theme = base.code, base.theme
    if recode and code is not None and theme is not None:
        new_code, new_theme = code, theme
    if mine is not None and (not recode or not mine.is_suggestion):
        # The coder's own row: their earlier decision, copy or manual extract.
        return DecisionPlan(action, status, new_code, new_theme, update=mine.id,
                            update_code=True)
    if mine is None and not recode and base.status == SUGGESTED:
        # An open suggestion nobody has decided yet: decided in place.
        return DecisionPlan(action, status, new_code, new_theme, update=base.id)
    # Decided by someone else, or a suggestion re-coded: a row of the coder's
    # own. A suggestion they had decided in place goes back to open.
    return DecisionPlan(action, status, new_code, new_theme,
                        reopen=None if mine is None else mine.id, insert_origin=base.id)


# An accepted code over a passage, as the coding matrix counts it: (review
# row, version id, start, end, code); plain tuples, 100,000 of them at a time.
CodedSpan = tuple[int, int, int, int, str]
