"""Referral records (migration 0017_referrals) in portable SQL: SQLite and
PostgreSQL run the same code.

Every write takes an `audit` event and appends it in the same transaction
(Store.audit_in), so no change exists without its audit event and no event
without its change. Access is not decided here: referrals/service.py asks
referrals/access.py before and after each call."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from storfa.clock import utc_now
from storfa.referrals.model import Event, Referral, ReferralForm
from storfa.referrals.reference import new_reference
from storfa.storage.sql.adapter import Conn, Database, Row

# (conn, actor, action, object_type, object_id, detail): Store.audit_in
AuditIn = Callable[[Conn, str, str, str, str, dict[str, Any]], None]
Audit = tuple[str, str, dict[str, Any]]  # actor, action, detail

_FORM_COLUMNS = ("local_authority", "source", "referrer_email", "subject_type", "subject_name",
                 "subject_dob", "household_address", "household_members", "observed",
                 "actions_taken")


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


def _form(row: Row) -> ReferralForm:
    values = {c: row[c] or "" for c in _FORM_COLUMNS}
    return ReferralForm(**values, categories=tuple(json.loads(row["categories"])),
                        natures=tuple(json.loads(row["natures"])))


def _event(row: Row) -> Event:
    within = row["within_timescale"]
    return Event(str(row["kind"]), str(row["on_date"]),
                 None if within is None else bool(within), row["note"], str(row["actor"]),
                 str(row["at"]), int(row["id"]))


def _referral(row: Row, events: Sequence[Event] = ()) -> Referral:
    return Referral(
        id=int(row["id"]), reference=row["reference"], status=str(row["status"]),
        origin=str(row["origin"]), form=_form(row), referrer_user_id=row["referrer_user_id"],
        referrer_org_id=row["referrer_org_id"], receiving_org_id=row["receiving_org_id"],
        child_key=row["child_key"], household_key=row["household_key"],
        received_on=row["received_on"], created_at=str(row["created_at"]),
        updated_at=str(row["updated_at"]), external_id=row["external_id"],
        import_batch=row["import_batch"], events=tuple(events))


def _events(conn: Conn, ids: Sequence[int]) -> dict[int, list[Event]]:
    found: dict[int, list[Event]] = {}
    for at in range(0, len(ids), 500):
        chunk = list(ids[at:at + 500])
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(f"SELECT * FROM referral_events WHERE referral_id IN ({marks}) "
                                "ORDER BY on_date, id", chunk):
            found.setdefault(int(row["referral_id"]), []).append(_event(row))
    return found


class SQLReferrals:
    def __init__(self, db: Database, audit_in: AuditIn) -> None:
        self.db = db
        self._audit_in = audit_in

    def _audit(self, conn: Conn, audit: Audit, object_id: str, **more: Any) -> None:
        actor, action, detail = audit
        self._audit_in(conn, actor, action, "referral", object_id, {**detail, **more})

    def audit(self, actor: str, action: str, object_id: str, detail: dict[str, Any]) -> None:
        """A read or a refusal: an event with no change beside it."""
        with self.db.write() as conn:
            self._audit_in(conn, actor, action, "referral", object_id, detail)

    # ---------------------------------------------------------- receivers
    def set_receiver(self, local_authority: str, organisation_id: int, audit: Audit) -> None:
        with self.db.write() as conn:
            conn.execute("DELETE FROM referral_receivers WHERE local_authority = ?",
                         (local_authority,))
            conn.execute("INSERT INTO referral_receivers (local_authority, organisation_id, "
                         "updated_at) VALUES (?, ?, ?)",
                         (local_authority, organisation_id, utc_now()))
            self._audit(conn, audit, local_authority, organisation_id=organisation_id)

    def receivers(self) -> dict[str, int]:
        with self.db.read() as conn:
            return {str(r["local_authority"]): int(r["organisation_id"]) for r in conn.execute(
                "SELECT local_authority, organisation_id FROM referral_receivers")}

    # ------------------------------------------------------------ writing
    def save(self, referral_id: int | None, form: ReferralForm, user_id: int | None,
             org_id: int | None, keys: tuple[str | None, str | None], audit: Audit) -> int:
        """Create or update a draft (the caller checked it is one)."""
        now = utc_now()
        columns = {c: getattr(form, c) or None for c in _FORM_COLUMNS}
        columns["subject_type"] = form.subject_type or "child"
        columns["categories"] = json.dumps(list(form.categories))
        columns["natures"] = json.dumps(list(form.natures))
        columns["child_key"], columns["household_key"] = keys
        columns["updated_at"] = now
        with self.db.write() as conn:
            if referral_id is None:
                columns.update(status="draft", origin="form", referrer_user_id=user_id,
                               referrer_org_id=org_id, created_at=now)
                names = ", ".join(columns)
                marks = ", ".join("?" * len(columns))
                referral_id = conn.insert(f"INSERT INTO referrals ({names}) VALUES ({marks})",
                                          list(columns.values()))
            else:
                sets = ", ".join(f"{c} = ?" for c in columns)
                conn.execute(f"UPDATE referrals SET {sets} WHERE id = ? AND status = 'draft'",
                             [*columns.values(), referral_id])
            self._audit(conn, audit, str(referral_id))
        return referral_id

    def submit(self, referral_id: int, receiving_org_id: int, received_on: str,
               audit: Audit) -> str:
        """Issue a reference and send the draft to the receiving organisation.

        References are random; a clash with an existing one (about one in 10^15
        per pair) is drawn again. Writers are serialised (SQLite's single
        writer, PostgreSQL's write lock), so the check and the insert cannot
        interleave with another submission, and UNIQUE is the backstop."""
        with self.db.write() as conn:
            while True:
                reference = new_reference()
                if conn.one("SELECT 1 AS x FROM referrals WHERE reference = ?",
                            (reference,)) is None:
                    break
            conn.execute("UPDATE referrals SET reference = ?, status = 'submitted', "
                         "receiving_org_id = ?, received_on = ?, updated_at = ? "
                         "WHERE id = ? AND status = 'draft'",
                         (reference, receiving_org_id, received_on, utc_now(), referral_id))
            self._audit(conn, audit, reference, referral=referral_id)
        return reference

    def add_event(self, referral_id: int, event: Event, notice: tuple[int, str] | None,
                  audit: Audit) -> Event:
        """Record a decision or step; `notice` (user id, message) tells the referrer."""
        now = utc_now()
        with self.db.write() as conn:
            event_id = conn.insert(
                "INSERT INTO referral_events (referral_id, kind, on_date, within_timescale, "
                "note, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (referral_id, event.kind, event.on_date,
                 None if event.within_timescale is None else int(event.within_timescale),
                 event.note, event.actor, now))
            conn.execute("UPDATE referrals SET status = CASE WHEN ? = 1 THEN 'decided' "
                         "ELSE status END, updated_at = ? WHERE id = ?",
                         (int(event.is_decision), now, referral_id))
            if notice is not None:
                conn.execute("INSERT INTO referral_notices (user_id, referral_id, message, "
                             "created_at) VALUES (?, ?, ?, ?)",
                             (notice[0], referral_id, notice[1], now))
            ref = conn.one("SELECT reference FROM referrals WHERE id = ?", (referral_id,))
            self._audit(conn, audit, str(ref["reference"] if ref else referral_id),
                        kind=event.kind, on_date=event.on_date,
                        within_timescale=event.within_timescale, notified=notice is not None)
        return Event(event.kind, event.on_date, event.within_timescale, event.note,
                     event.actor, now, event_id)

    def insert_imported(self, rows: Iterable[tuple[dict[str, Any], list[Event]]],
                        audit: Audit, object_id: str) -> list[str]:
        """Add imported referrals, all in one transaction: every row or none."""
        references: list[str] = []
        with self.db.write() as conn:
            for columns, events in rows:
                while True:
                    reference = new_reference()
                    if conn.one("SELECT 1 AS x FROM referrals WHERE reference = ?",
                                (reference,)) is None:
                        break
                columns = {**columns, "reference": reference}
                names = ", ".join(columns)
                marks = ", ".join("?" * len(columns))
                rid = conn.insert(f"INSERT INTO referrals ({names}) VALUES ({marks})",
                                  list(columns.values()))
                conn.executemany(
                    "INSERT INTO referral_events (referral_id, kind, on_date, "
                    "within_timescale, note, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(rid, e.kind, e.on_date, None if e.within_timescale is None
                      else int(e.within_timescale), e.note, e.actor, e.at) for e in events])
                references.append(reference)
            self._audit(conn, audit, object_id, referrals=len(references))
        return references

    def delete_updated_before(self, cutoff: str, audit: Audit) -> list[str]:
        """Delete referrals last changed before `cutoff`, and say which."""
        with self.db.write() as conn:
            rows = list(conn.execute(
                "SELECT id, reference FROM referrals WHERE updated_at < ? ORDER BY id",
                (cutoff,)))
            ids = [int(r["id"]) for r in rows]
            for at in range(0, len(ids), 500):
                chunk = ids[at:at + 500]
                marks = ",".join("?" * len(chunk))
                # Children first: SQLite enforces ON DELETE CASCADE only with
                # foreign keys switched on, so nothing is left to chance.
                for table in ("referral_events", "referral_notices"):
                    conn.execute(f"DELETE FROM {table} WHERE referral_id IN ({marks})", chunk)
                conn.execute(f"DELETE FROM referrals WHERE id IN ({marks})", chunk)
            labels = [str(r["reference"] or f"draft {r['id']}") for r in rows]
            self._audit(conn, audit, "-", cutoff=cutoff, deleted=len(labels),
                        references=labels)
        return labels

    def mark_read(self, user_id: int, referral_id: int) -> None:
        with self.db.write() as conn:
            conn.execute("UPDATE referral_notices SET read_at = ? WHERE user_id = ? "
                         "AND referral_id = ? AND read_at IS NULL",
                         (utc_now(), user_id, referral_id))

    # ------------------------------------------------------------ reading
    def get(self, referral_id: int) -> Referral | None:
        with self.db.read() as conn:
            row = conn.one("SELECT * FROM referrals WHERE id = ?", (referral_id,))
            return _referral(row, _events(conn, [referral_id]).get(referral_id, [])) \
                if row else None

    def by_reference(self, reference: str) -> Referral | None:
        with self.db.read() as conn:
            row = conn.one("SELECT * FROM referrals WHERE reference = ?", (reference,))
            if row is None:
                return None
            return _referral(row, _events(conn, [int(row["id"])]).get(int(row["id"]), []))

    def listing(self, f: QueueFilters) -> list[Referral]:
        where, params = ["1 = 1"], []
        if not f.include_drafts:
            where.append("status <> 'draft'")
        for column, value in (("receiving_org_id", f.receiving_org_id),
                              ("referrer_user_id", f.referrer_user_id),
                              ("status", f.status or None),
                              ("local_authority", f.local_authority or None)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if f.received_from:
            where.append("received_on >= ?")
            params.append(f.received_from)
        if f.received_to:
            where.append("received_on <= ?")
            params.append(f.received_to)
        if f.category:  # JSON arrays of codes: the quoted code is unambiguous
            where.append("(categories LIKE ? OR natures LIKE ?)")
            params += [f'%"{f.category}"%'] * 2
        sql = (f"SELECT * FROM referrals WHERE {' AND '.join(where)} "
               "ORDER BY COALESCE(received_on, created_at) DESC, id DESC LIMIT ?")
        with self.db.read() as conn:
            rows = list(conn.execute(sql, [*params, f.limit]))
            events = _events(conn, [int(r["id"]) for r in rows])
        return [_referral(r, events.get(int(r["id"]), [])) for r in rows]

    def related(self, referral: Referral, limit: int = 50) -> list[Referral]:
        """Other referrals about the same child or household, newest first."""
        keys = [(c, k) for c, k in (("child_key", referral.child_key),
                                    ("household_key", referral.household_key)) if k]
        if not keys:
            return []
        clause = " OR ".join(f"{c} = ?" for c, _ in keys)
        with self.db.read() as conn:
            rows = list(conn.execute(
                f"SELECT * FROM referrals WHERE ({clause}) AND id <> ? AND status <> 'draft' "
                "ORDER BY received_on DESC, id DESC LIMIT ?",
                [*(k for _, k in keys), referral.id, limit]))
            events = _events(conn, [int(r["id"]) for r in rows])
        return [_referral(r, events.get(int(r["id"]), [])) for r in rows]

    def notices(self, user_id: int, limit: int = 100) -> list[Notice]:
        with self.db.read() as conn:
            return [Notice(int(r["id"]), int(r["referral_id"]), r["reference"], str(r["message"]),
                           str(r["created_at"]), r["read_at"]) for r in conn.execute(
                "SELECT n.*, r.reference FROM referral_notices n JOIN referrals r "
                "ON r.id = n.referral_id WHERE n.user_id = ? ORDER BY n.id DESC LIMIT ?",
                (user_id, limit))]

    def for_indicators(self, received_from: str, received_to: str) -> list[Referral]:
        """Submitted referrals received in the window, with their events and
        without their personal details (the indicators never need them)."""
        with self.db.read() as conn:
            rows = list(conn.execute(
                "SELECT id, reference, status, origin, source, local_authority, child_key, "
                "household_key, categories, natures, received_on, created_at, updated_at, "
                "receiving_org_id, referrer_user_id, referrer_org_id, external_id, "
                "import_batch FROM referrals WHERE status <> 'draft' AND received_on >= ? "
                "AND received_on <= ?", (received_from, received_to)))
            events = _events(conn, [int(r["id"]) for r in rows])
        blank = dict.fromkeys(_FORM_COLUMNS)
        return [_referral({**blank, **r}, events.get(int(r["id"]), [])) for r in rows]
