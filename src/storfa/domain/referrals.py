"""Referral records and the prototype's lists: pure data, no SQL, no web.

The lists follow the children's performance-indicator prototype of the
national multi-agency safeguarding performance framework (NMSPF-C); codes
are stored, labels shown (the web translates them)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

# Who made the referral: the prototype's referral-source groups.
SOURCES: dict[str, str] = {
    "police": "Police",
    "health": "Health",
    "education": "Education",
    "local_authority": "Local authority (social care, housing)",
    "third_sector": "Third sector",
    "probation": "Probation or youth justice",
    "family": "Family, friend or the person themselves",
    "other": "Other",
}
# Categories of harm.
CATEGORIES: dict[str, str] = {
    "neglect": "Neglect",
    "physical": "Physical abuse",
    "sexual": "Sexual abuse",
    "emotional": "Emotional or psychological abuse",
    "financial": "Financial abuse",
}
# Nature of the concern, as the referrer describes it; more than one may apply.
NATURES: dict[str, str] = {
    "domestic_abuse": "Domestic abuse",
    "extra_familial_harm": "Extra-familial harm",
    "young_carer": "Young carer",
    "health": "Health of child or parent",
    "drugs_alcohol": "Drug and alcohol use",
    "disabilities": "Disabilities",
    "bereavement": "Bereavement",
    "parental_imprisonment": "Parental imprisonment",
    "educational_welfare": "Educational welfare",
    "homelessness": "Homelessness",
    "fgm": "Female genital mutilation",
    "honour_based_violence": "Honour-based violence",
    "radicalisation": "Radicalisation",
    "other": "Other",
}
# What the receiving team decides on a referral.
DECISIONS: dict[str, str] = {
    "nfa": "No further action, with advice or signposting",
    "early_help": "Referral to prevention or early help",
    "care_support": "Care and support needs",
    "strategy_meeting": "Strategy meeting",
    "s47": "Section 47 enquiry",
}
# Steps recorded later, as they happen.
STEPS: dict[str, str] = {
    "strategy_held": "Strategy meeting held",
    "s47_completed": "Section 47 enquiry completed",
    "icpc": "Initial child protection conference",
    "registration": "Placed on the child protection register",
    "care_support_plan": "Care and support plan",
    "looked_after": "Became looked after",
    "step_down": "Stepped down",
    "deregistration": "Removed from the child protection register",
}
EVENTS: dict[str, str] = {**DECISIONS, **STEPS}
# Steps that are recorded as within timescale or not.
TIMED = ("strategy_held", "s47_completed")
SUBJECT_TYPES = ("child", "adult")
STATUSES = ("draft", "submitted", "decided")

# What the referrer is told, and the limit the feedback states. Decisions
# are the referrer's business (they shape what the referrer does next); later
# steps (conference, register, looked after) are about the family's private
# life and stay with the receiving team.
REFERRER_SEES = frozenset(DECISIONS)
FEEDBACK_LIMIT = ("This tells you the decision made on your referral and any advice for "
                  "you. It does not tell you about later steps in the child's or adult's "
                  "care, which stay with the receiving team.")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Event:
    kind: str
    on_date: str
    within_timescale: bool | None = None
    note: str | None = None
    actor: str = ""
    at: str = ""
    id: int = 0

    @property
    def is_decision(self) -> bool:
        return self.kind in DECISIONS


@dataclass(frozen=True, slots=True)
class ReferralForm:
    """What a referrer types: every field may be blank in a draft."""

    local_authority: str = ""
    source: str = ""
    referrer_email: str = ""
    subject_type: str = "child"
    subject_name: str = ""
    subject_dob: str = ""
    household_address: str = ""
    household_members: str = ""
    categories: tuple[str, ...] = ()
    natures: tuple[str, ...] = ()
    observed: str = ""
    actions_taken: str = ""


@dataclass(frozen=True, slots=True)
class Referral:
    id: int
    reference: str | None
    status: str
    origin: str
    form: ReferralForm
    referrer_user_id: int | None
    referrer_org_id: int | None
    receiving_org_id: int | None
    child_key: str | None
    household_key: str | None
    received_on: str | None
    created_at: str
    updated_at: str
    external_id: str | None = None
    import_batch: str | None = None
    events: tuple[Event, ...] = field(default_factory=tuple)

    @property
    def decision(self) -> Event | None:
        """The first decision: the referral's outcome for the indicators."""
        return next((e for e in self.events if e.is_decision), None)


LIMITS = {"subject_name": 200, "household_address": 500, "household_members": 1000,
          "observed": 10_000, "actions_taken": 5_000, "referrer_email": 254}


def problems(form: ReferralForm, areas: set[str], today: dt.date) -> dict[str, str]:
    """What stops this form being submitted, by field; empty when it may be.

    Name and address are asked for because the receiving team cannot find the
    family without them; a date of birth only when known (an unborn child, or
    one whose age the referrer does not know, is still referred)."""
    found: dict[str, str] = {}
    if form.local_authority not in areas:
        found["local_authority"] = "Choose the local authority where the person lives."
    if form.source not in SOURCES:
        found["source"] = "Choose the agency you are referring from."
    if form.subject_type not in SUBJECT_TYPES:
        found["subject_type"] = "Say whether the concern is about a child or an adult."
    if not form.subject_name.strip():
        found["subject_name"] = "Give the name of the child or adult."
    if form.subject_dob and not valid_date(form.subject_dob, today):
        found["subject_dob"] = "Give the date of birth as YYYY-MM-DD, not in the future."
    if not form.household_address.strip():
        found["household_address"] = "Give the household's address."
    if not form.categories and not form.natures:
        found["categories"] = "Choose at least one category of harm or nature of concern."
    if any(c not in CATEGORIES for c in form.categories):
        found["categories"] = "Choose categories of harm from the list."
    if any(n not in NATURES for n in form.natures):
        found["natures"] = "Choose the nature of the concern from the list."
    if not form.observed.strip():
        found["observed"] = "Say what you saw or were told."
    if not form.actions_taken.strip():
        found["actions_taken"] = "Say what you have done so far."
    if form.referrer_email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+",
                                                form.referrer_email):
        found["referrer_email"] = "Give an e-mail address like name@example.org, or none."
    for name, limit in LIMITS.items():
        if len(getattr(form, name)) > limit:
            found[name] = f"Keep this under {limit} characters."
    return found


def valid_date(text: str, today: dt.date | None = None) -> bool:
    if not _DATE.match(text):
        return False
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return False
    return today is None or day <= today


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def household_key(address: str) -> str | None:
    """Links referrals about one household. A hash of the normalised address:
    for matching, not anonymity (a known address hashes the same), and
    deleted with the referral."""
    norm = _norm(address)
    return hashlib.sha256(f"household|{norm}".encode()).hexdigest()[:32] if norm else None


def child_key(name: str, dob: str, household: str | None) -> str | None:
    """Links referrals about one person: name and date of birth, or name and
    household when the date of birth is not known."""
    norm = _norm(name)
    if not norm:
        return None
    anchor = dob or household or ""
    return hashlib.sha256(f"person|{norm}|{anchor}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class QueueFilters:
    receiving_org_id: int | None = None   # None: every organisation (administrators)
    referrer_user_id: int | None = None
    status: str = ""
    local_authority: str = ""
    category: str = ""
    received_from: str = ""
    received_to: str = ""
    include_drafts: bool = False
    limit: int = 200


@dataclass(frozen=True, slots=True)
class Notice:
    id: int
    referral_id: int
    reference: str | None
    message: str
    created_at: str
    read_at: str | None


# What a referral write records in the audit log: (actor, action, detail).
ReferralAudit = tuple[str, str, dict[str, Any]]
