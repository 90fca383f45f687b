"""Referral use cases, one home for each rule: draft, submit, look up, queue,
decide, feed back, export and expire (docs/referrals.md).

The CLI, the pages and the API parse their input, call these, and render.
Access goes through referrals/access.py; a referral the caller may not see is
answered exactly like a missing one (NoSuchReferral), and that denial is
audited. Every read, change and export is audited."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from storfa.domain.accounts import User
from storfa.domain.errors import N_, StorfaError
from storfa.domain.periods import Period, parse_period, preceding
from storfa.domain.referral_numbers import parse_reference
from storfa.domain.referrals import (
    EVENTS,
    TIMED,
    Event,
    Notice,
    QueueFilters,
    Referral,
    ReferralAudit,
    ReferralForm,
    child_key,
    household_key,
    problems,
    valid_date,
)
from storfa.referrals import access
from storfa.referrals.feedback import feedback_message, feedback_subject, referrer_events
from storfa.referrals.indicators import LEVELS, IndicatorTable, tabulate
from storfa.referrals.mail import MailSender
from storfa.referrals.population import Population
from storfa.referrals.trend import Trend, build

if TYPE_CHECKING:
    from storfa.storage.repositories import Accounts, Referrals

log = logging.getLogger(__name__)


class NoSuchReferral(StorfaError):
    """Missing, or not the caller's to see: the same answer for both."""

    def __init__(self) -> None:
        super().__init__("There is no referral with that reference.")


class NotAllowed(StorfaError):
    """Seen, but not the caller's to change."""


class FormProblems(StorfaError):
    def __init__(self, found: dict[str, str]) -> None:
        super().__init__("The referral cannot be sent yet: " + " ".join(found.values()))
        self.problems = found


@dataclass(frozen=True)
class Caller:
    """Who is acting. `operator` is the command line without --as: it holds the
    database itself, so it sees every referral (still audited)."""

    name: str
    user: User | None = None
    operator: bool = False
    detail: dict[str, Any] = field(default_factory=dict)

    def audit(self, action: str, **more: Any) -> ReferralAudit:
        return self.name, action, {**self.detail, "allowed": True, **more}


@dataclass(frozen=True)
class ReferralView:
    referral: Referral
    events: tuple[Event, ...]        # what this caller is entitled to see
    related: list[Referral]          # earlier referrals: receiving staff only
    staff: bool
    may_decide: bool
    may_edit: bool


@dataclass(frozen=True)
class ImportResult:
    batch: str
    imported: int


class ReferralService:
    def __init__(self, sql: Referrals, accounts: Accounts, population: Population,
                 sender: MailSender, retention_days: int, threshold: int = 5) -> None:
        self.sql = sql
        self.accounts = accounts
        self.population = population
        self.sender = sender
        self.retention_days = retention_days
        self.threshold = threshold

    # ------------------------------------------------------------ helpers
    def _audit_plain(self, actor: str, action: str, object_id: str,
                     detail: dict[str, Any]) -> None:
        self.sql.audit(actor, action, object_id, detail)

    def _refused(self, caller: Caller, action: str, object_id: str) -> None:
        name, act, detail = caller.audit(action)
        self._audit_plain(name, act, object_id, {**detail, "allowed": False})

    def _sees(self, caller: Caller, referral: Referral) -> bool:
        return caller.operator or access.can_see(caller.user, referral)

    def areas(self) -> list[str]:
        return sorted(self.population.areas)

    def open_areas(self) -> list[str]:
        """Areas a referral can be sent to: those with a receiving organisation."""
        receivers = self.sql.receivers()
        return [a for a in self.areas() if a in receivers]

    # ---------------------------------------------------------- receivers
    def set_receiver(self, caller: Caller, local_authority: str, organisation: str) -> int:
        if not (caller.operator or access.can_administer_referrals(caller.user)):
            raise NotAllowed(N_("Only administrators say who receives an area's referrals."))
        if local_authority not in self.population.areas:
            raise StorfaError(N_("No local authority called {area!r} in the population "
                                 "file."), area=local_authority)
        org = self.accounts.organisation(organisation)
        if org is None:
            raise StorfaError(N_("No organisation called {name!r}."), name=organisation)
        self.sql.set_receiver(local_authority, org.id, caller.audit("referral.receiver"))
        return org.id

    def receivers(self) -> dict[str, str]:
        names = {o.id: o.name for o in self.accounts.organisations()}
        return {la: names.get(org, str(org)) for la, org in sorted(self.sql.receivers().items())}

    # ------------------------------------------------------------ drafting
    def save_draft(self, caller: Caller, form: ReferralForm,
                   reference: str | int | None = None) -> Referral:
        user = caller.user
        if not access.can_refer(user) or user is None:
            raise NotAllowed(N_("Sign in to make a referral."))
        existing = None
        if reference is not None:
            existing = self.get(caller, reference, action="referral.view")
            if not access.can_edit_draft(user, existing):
                raise NotAllowed(N_("Only a draft can be changed, by the person who made it."))
        household = household_key(form.household_address)
        keys = (child_key(form.subject_name, form.subject_dob, household), household)
        rid = self.sql.save(existing.id if existing else None, form, user.id,
                            user.organisation_id, keys, caller.audit("referral.draft"))
        found = self.sql.get(rid)
        assert found is not None
        return found

    def submit(self, caller: Caller, reference: str | int, today: dt.date | None = None
               ) -> Referral:
        draft = self.get(caller, reference, action="referral.view")
        if not access.can_edit_draft(caller.user, draft):
            raise NotAllowed(N_("This referral has already been sent."))
        today = today or dt.date.today()
        receivers = self.sql.receivers()
        found = problems(draft.form, set(receivers), today)
        if found:
            if "local_authority" in found and draft.form.local_authority in self.population.areas:
                found["local_authority"] = ("Nobody receives referrals for that area in storfa "
                                            "yet; refer by telephone and tell an administrator.")
            raise FormProblems(found)
        ref = self.sql.submit(draft.id, receivers[draft.form.local_authority],
                              today.isoformat(), caller.audit("referral.submit"))
        done = self.sql.by_reference(ref)
        assert done is not None
        return done

    def refer(self, caller: Caller, form: ReferralForm, today: dt.date | None = None
              ) -> Referral:
        """Made and sent in one go (the API and CLI): checked before anything
        is saved, then written in one transaction with one audit event
        (`referral.submit`): no draft is left behind to read back, so a
        submission costs one serialised write (docs/referrals.md, "Figures")."""
        user = caller.user
        if not access.can_refer(user) or user is None:
            raise NotAllowed(N_("Sign in to make a referral."))
        today = today or dt.date.today()
        receivers = self.sql.receivers()
        found = problems(form, set(receivers), today)
        if found:
            raise FormProblems(found)
        household = household_key(form.household_address)
        keys = (child_key(form.subject_name, form.subject_dob, household), household)
        return self.sql.create_submitted(form, user.id, user.organisation_id, keys,
                                         receivers[form.local_authority], today.isoformat(),
                                         caller.audit("referral.submit", created=True))

    # ------------------------------------------------------------- reading
    def get(self, caller: Caller, reference: str | int, action: str = "referral.view"
            ) -> Referral:
        """The referral, audited; NoSuchReferral when missing or not the caller's."""
        if isinstance(reference, int):
            referral = self.sql.get(reference)
            label = str(reference)
        else:
            label = parse_reference(reference)  # BadReference: mistyped, caught before lookup
            referral = self.sql.by_reference(label)
        if referral is None or not self._sees(caller, referral):
            self._refused(caller, action, label)
            raise NoSuchReferral()
        name, act, detail = caller.audit(action)
        self._audit_plain(name, act, referral.reference or f"draft {referral.id}", detail)
        return referral

    def view(self, caller: Caller, reference: str | int) -> ReferralView:
        referral = self.get(caller, reference)
        staff = caller.operator or access.is_receiving_staff(caller.user, referral)
        events = referral.events if staff else referrer_events(referral)
        related = self.sql.related(referral) if staff else []
        if related:
            name, act, detail = caller.audit("referral.related")
            self._audit_plain(name, act, referral.reference or "-",
                              {**detail, "shown": [r.reference for r in related]})
        if caller.user is not None and referral.referrer_user_id == caller.user.id:
            self.sql.mark_read(caller.user.id, referral.id)
        return ReferralView(referral, events, related, staff,
                            caller.operator or access.can_decide(caller.user, referral),
                            access.can_edit_draft(caller.user, referral))

    def mine(self, caller: Caller) -> list[Referral]:
        if caller.user is None:
            raise NotAllowed(N_("Sign in to see your referrals."))
        found = self.sql.listing(QueueFilters(referrer_user_id=caller.user.id,
                                              include_drafts=True))
        self._audit_list(caller, "referral.list.mine", found)
        return found

    def queue(self, caller: Caller, filters: QueueFilters) -> list[Referral]:
        """Referrals received by the caller's organisation (administrators and
        the command line: every organisation's, or one chosen)."""
        user = caller.user
        if caller.operator or (user is not None and access.can_administer_referrals(user)):
            chosen = filters
        elif user is not None and not user.disabled and user.organisation_id is not None:
            chosen = replace(filters, receiving_org_id=user.organisation_id)
        else:
            raise NotAllowed(N_("Only a receiving team sees a referral queue."))
        found = self.sql.listing(replace(chosen, include_drafts=False, referrer_user_id=None))
        self._audit_list(caller, "referral.list.queue", found)
        return found

    def _audit_list(self, caller: Caller, action: str, found: Sequence[Referral]) -> None:
        name, act, detail = caller.audit(action)
        self._audit_plain(name, act, "-", {**detail, "count": len(found),
                                           "shown": [r.reference or f"draft {r.id}"
                                                     for r in found]})

    def notices(self, caller: Caller) -> list[Notice]:
        return self.sql.notices(caller.user.id) if caller.user else []

    # ------------------------------------------------------------ deciding
    def record(self, caller: Caller, reference: str | int, kind: str, on_date: str,
               within_timescale: bool | None = None, note: str = "",
               today: dt.date | None = None) -> Event:
        referral = self.get(caller, reference, action="referral.view")
        if not (caller.operator or access.can_decide(caller.user, referral)):
            self._refused(caller, "referral.record", referral.reference or "-")
            raise NotAllowed(N_("Only the receiving team records decisions on a referral."))
        if kind not in EVENTS:
            raise StorfaError(N_("Choose what happened from: {events} (got {kind!r})."),
                              events=", ".join(EVENTS), kind=kind)
        if not valid_date(on_date, today or dt.date.today()):
            raise StorfaError(N_("Give the date it happened as YYYY-MM-DD, not in the future."))
        if referral.received_on and on_date < referral.received_on:
            raise StorfaError(N_("That date is before the referral was received."))
        if kind in TIMED and within_timescale is None:
            raise StorfaError(N_("Say whether it was within timescale."))
        if kind not in TIMED:
            within_timescale = None
        event = Event(kind, on_date, within_timescale, note.strip()[:2000] or None, caller.name)
        message = feedback_message(referral, event)
        notice = (referral.referrer_user_id, message) \
            if message and referral.referrer_user_id is not None else None
        stored = self.sql.add_event(referral.id, event, notice, caller.audit("referral.record"))
        if message and referral.form.referrer_email:
            self._mail(referral, message)
        return stored

    def _mail(self, referral: Referral, message: str) -> None:
        # The decision is stored and the in-app notice is there whatever happens
        # to the mail; a sender failure is logged, not shown to the team.
        try:
            self.sender.send(referral.form.referrer_email, feedback_subject(referral), message)
        except Exception:
            log.exception("could not e-mail feedback on %s", referral.reference)

    # ------------------------------------------------------------ expiry
    def expire(self, caller: Caller, today: dt.date | None = None) -> list[str]:
        if not (caller.operator or access.can_administer_referrals(caller.user)):
            raise NotAllowed(N_("Only administrators expire referrals."))
        cutoff = (today or dt.date.today()) - dt.timedelta(days=self.retention_days)
        return self.sql.delete_updated_before(
            cutoff.isoformat(), caller.audit("referral.expire",
                                             retention_days=self.retention_days))

    # ---------------------------------------------------------- indicators
    def indicators(self, caller: Caller, period: str, level: str = "local_authority",
                   threshold: int | None = None) -> IndicatorTable:
        """The indicator table for a period (aggregates, small numbers suppressed)."""
        if not (caller.operator or access.can_see_indicators(caller.user)):
            raise NotAllowed(N_("Sign in to see the indicators."))
        if level not in LEVELS:
            raise StorfaError(N_("Level is one of {levels} (got {level!r})."),
                              levels=", ".join(LEVELS), level=level)
        cut = max(1, self.threshold if threshold is None else threshold)
        return self._table(parse_period(period), level, cut)

    def _table(self, period: Period, level: str, threshold: int) -> IndicatorTable:
        """Counted by the database, tabulated and suppressed in indicators.py."""
        counts = self.sql.indicator_counts(period.start.isoformat(), period.end.isoformat())
        return tabulate(counts, period, level, self.population, threshold)

    def trend(self, caller: Caller, period: str, count: int = 4,
              level: str = "local_authority", area: str = "", indicator: str = "referrals",
              measure: str = "number", threshold: int | None = None) -> Trend:
        """Each indicator over `count` periods ending with `period` (of the
        same kind) for one area, and `indicator` across every area: one
        database count per period."""
        if not (caller.operator or access.can_see_indicators(caller.user)):
            raise NotAllowed(N_("Sign in to see the indicators."))
        if level not in LEVELS:
            raise StorfaError(N_("Level is one of {levels} (got {level!r})."),
                              levels=", ".join(LEVELS), level=level)
        if not 1 <= count <= MAX_TREND:
            raise StorfaError(N_("A trend covers 1 to {most} periods (got {count})."),
                              most=MAX_TREND, count=count)
        periods = preceding(parse_period(period), count)
        cut = max(1, self.threshold if threshold is None else threshold)
        tables = [self._table(p, level, cut) for p in periods]
        return build(tables, area, indicator, measure)

    # ------------------------------------------------------------ imports
    def import_file(self, caller: Caller, data: bytes, filename: str,
                    organisation: str | None = None, today: dt.date | None = None
                    ) -> ImportResult:
        """Check every row; add them all in one transaction, or none with
        every problem by row and column (ImportRejected)."""
        from storfa.referrals import importer

        if caller.operator and organisation:
            org = self.accounts.organisation(organisation)
            if org is None:
                raise StorfaError(N_("No organisation called {name!r}."), name=organisation)
            org_id = org.id
        elif access.can_import(caller.user) and caller.user is not None \
                and caller.user.organisation_id is not None:
            org_id = caller.user.organisation_id
        elif caller.operator:
            raise StorfaError("Say which organisation received these referrals (--org).")
        else:
            raise NotAllowed("Only administrators and editors of an organisation import "
                             "referrals.")
        checked, found = importer.check_file(data, filename, set(self.population.areas),
                                             today or dt.date.today())
        if found:
            self.sql.audit(*caller.audit("referral.import")[:2], filename,
                           {**caller.audit("referral.import")[2], "imported": 0,
                            "problems": len(found)})
            raise importer.ImportRejected(found)
        batch = importer.new_batch()
        refs = self.sql.insert_imported(
            importer.database_rows(checked, org_id, batch, caller.name),
            caller.audit("referral.import", file=filename, batch=batch), batch)
        return ImportResult(batch, len(refs))

    # ------------------------------------------------------------ exports
    def export_rows(self, caller: Caller, filters: QueueFilters, fmt: str
                    ) -> tuple[list[str], list[list[Any]]]:
        found = self.queue(caller, filters)
        name, act, detail = caller.audit("referral.export")
        self._audit_plain(name, act, "-", {**detail, "format": fmt, "count": len(found),
                                           "shown": [r.reference for r in found]})
        return EXPORT_COLUMNS, [export_row(r) for r in found]


MAX_TREND = 20  # five years of quarters; more is unreadable as a chart

EXPORT_COLUMNS = ["reference", "status", "local_authority", "received_on", "source",
                  "subject_type", "categories", "natures", "decision", "decision_date"]


def export_row(r: Referral) -> list[Any]:
    """No names, dates of birth or addresses: an export is for counting and
    follow-up by reference, and the record itself stays in storfa."""
    d = r.decision
    return [r.reference, r.status, r.form.local_authority, r.received_on, r.form.source,
            r.form.subject_type, "; ".join(r.form.categories), "; ".join(r.form.natures),
            d.kind if d else None, d.on_date if d else None]

