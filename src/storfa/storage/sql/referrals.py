"""Referral records (migration 0017_referrals) in portable SQL: SQLite and
PostgreSQL run the same code.

Every write takes an `audit` event and appends it in the same transaction
(Store.audit_in), so no change exists without its audit event and no event
without its change. Access is not decided here: referrals/service.py asks
referrals/access.py before and after each call."""

from __future__ import annotations

import datetime as dt
import json
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from storfa.clock import utc_now
from storfa.domain.periods import months_before
from storfa.domain.referral_numbers import new_reference
from storfa.domain.referrals import DECISIONS, Event, Notice, QueueFilters, Referral, ReferralForm
from storfa.storage.sql.adapter import Conn, Database, Row

# (conn, actor, action, object_type, object_id, detail): Store.audit_in
AuditIn = Callable[[Conn, str, str, str, str, dict[str, Any]], None]
Audit = tuple[str, str, dict[str, Any]]  # actor, action, detail

_FORM_COLUMNS = ("local_authority", "source", "referrer_email", "subject_type", "subject_name",
                 "subject_dob", "household_address", "household_members", "observed",
                 "actions_taken")


def _form(row: Row) -> ReferralForm:
    values = {c: row[c] or "" for c in _FORM_COLUMNS}
    return ReferralForm(**values, categories=tuple(json.loads(row["categories"])),
                        natures=tuple(json.loads(row["natures"])))


def _form_columns(form: ReferralForm) -> dict[str, Any]:
    columns: dict[str, Any] = {c: getattr(form, c) or None for c in _FORM_COLUMNS}
    columns["subject_type"] = form.subject_type or "child"
    columns["categories"] = json.dumps(list(form.categories))
    columns["natures"] = json.dumps(list(form.natures))
    return columns


def _free_reference(conn: Conn) -> str:
    """A reference no referral has. Random, so a clash (about one in 10^15 per
    pair) is rare and drawn again; writers are serialised (SQLite's single
    writer, PostgreSQL's write lock), so nothing can take it between this
    check and the caller's write, and UNIQUE is the backstop."""
    while True:
        reference = new_reference()
        if conn.one("SELECT 1 AS x FROM referrals WHERE reference = ?", (reference,)) is None:
            return reference


def _touch(conn: Conn, days: Iterable[str | None]) -> None:
    """Raise the version of each month these receipt dates fall in
    (referral_changes, migration 0022): counts held for it are stale."""
    for month in sorted({d[:7] for d in days if d}):
        conn.execute("INSERT INTO referral_changes (month, version) VALUES (?, 1) "
                     "ON CONFLICT (month) DO UPDATE SET version = referral_changes.version + 1",
                     (month,))


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
        columns = _form_columns(form)
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
        """Issue a reference (`_free_reference`) and send the draft to the
        receiving organisation."""
        with self.db.write() as conn:
            reference = _free_reference(conn)
            conn.execute("UPDATE referrals SET reference = ?, status = 'submitted', "
                         "receiving_org_id = ?, received_on = ?, updated_at = ? "
                         "WHERE id = ? AND status = 'draft'",
                         (reference, receiving_org_id, received_on, utc_now(), referral_id))
            _touch(conn, [received_on])
            self._audit(conn, audit, reference, referral=referral_id)
        return reference

    def create_submitted(self, form: ReferralForm, user_id: int, org_id: int | None,
                         keys: tuple[str | None, str | None], receiving_org_id: int,
                         received_on: str, audit: Audit) -> Referral:
        """A referral made and sent in one go (the API, the CLI): one
        transaction and one audit event, and the record returned as written
        rather than read back. The reference is drawn as in `submit`."""
        now = utc_now()
        columns: dict[str, Any] = _form_columns(form)
        columns["child_key"], columns["household_key"] = keys
        with self.db.write() as conn:
            columns.update(reference=_free_reference(conn), status="submitted", origin="form",
                           referrer_user_id=user_id, referrer_org_id=org_id,
                           receiving_org_id=receiving_org_id, received_on=received_on,
                           created_at=now, updated_at=now)
            names = ", ".join(columns)
            marks = ", ".join("?" * len(columns))
            rid = conn.insert(f"INSERT INTO referrals ({names}) VALUES ({marks})",
                              list(columns.values()))
            _touch(conn, [received_on])
            self._audit(conn, audit, columns["reference"], referral=rid)
        return _referral({**columns, "id": rid, "external_id": None, "import_batch": None})

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
            ref = conn.one("SELECT reference, received_on FROM referrals WHERE id = ?",
                           (referral_id,))
            _touch(conn, [ref["received_on"] if ref else None])
            self._audit(conn, audit, str(ref["reference"] if ref else referral_id),
                        kind=event.kind, on_date=event.on_date,
                        within_timescale=event.within_timescale, notified=notice is not None)
        return Event(event.kind, event.on_date, event.within_timescale, event.note,
                     event.actor, now, event_id)

    def insert_imported(self, rows: Iterable[tuple[dict[str, Any], list[Event]]],
                        audit: Audit, object_id: str) -> list[str]:
        """Add imported referrals, all in one transaction: every row or none."""
        references: list[str] = []
        days: set[str | None] = set()
        with self.db.write() as conn:
            for columns, events in rows:
                reference = _free_reference(conn)
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
                days.add(columns.get("received_on"))
            _touch(conn, days)
            self._audit(conn, audit, object_id, referrals=len(references))
        return references

    def delete_updated_before(self, cutoff: str, audit: Audit) -> list[str]:
        """Delete referrals last changed before `cutoff`, and say which."""
        with self.db.write() as conn:
            rows = list(conn.execute(
                "SELECT id, reference, received_on FROM referrals WHERE updated_at < ? "
                "ORDER BY id", (cutoff,)))
            _touch(conn, [r["received_on"] for r in rows])
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

    # --------------------------------------------------------- indicators
    def indicator_counts(self, received_from: str, received_to: str
                         ) -> dict[str, dict[str, int]]:
        """Each local authority's indicator counts ("" for none recorded) for
        the referrals received in the window, counted by the database: the
        record-level definition is referrals/indicators.py `count_area`, and
        tests hold the two equal. Suppression is not applied here.

        Repeats look back 12 months from each referral to any submitted one
        about the same child (referrals_child_received, migration 0022); the
        outcome is the first decision by (on_date, id), as the records have it."""
        window = (received_from, received_to)
        first = months_before(dt.date.fromisoformat(received_from), 12).isoformat()[:7]
        with self.db.read() as conn:
            row = conn.one("SELECT COALESCE(SUM(version), 0) AS v, COUNT(*) AS n FROM "
                           "referral_changes WHERE month >= ? AND month <= ?",
                           (first, received_to[:7]))
        version = (int(row["v"]), int(row["n"])) if row else (0, 0)
        held = _COUNTS.setdefault(self.db, {})
        if window in held and held[window][0] == version:
            return _copy(held[window][1])
        found = self._count(*window)
        if len(held) >= _HELD:  # the oldest out: a page asks for a handful of periods
            held.pop(next(iter(held)))
        held[window] = (version, _copy(found))
        return found

    def _count(self, received_from: str, received_to: str) -> dict[str, dict[str, int]]:
        floor, key = _DIALECT[self.db.dialect]
        decisions = ", ".join(f"'{k}'" for k in DECISIONS)
        flags = ", ".join(
            f"MAX(CASE WHEN e.kind = '{kind}'{' AND e.within_timescale = 1' if within else ''} "
            f"THEN 1 ELSE 0 END) AS {name}" for name, kind, within in _FLAGS)
        cohort = ("SELECT id, local_authority, source, child_key, received_on FROM referrals "
                  "WHERE status <> 'draft' AND received_on >= ? AND received_on <= ?")
        sql = f"""
            WITH cohort AS ({cohort}),
            ev AS (
                SELECT e.referral_id, {flags},
                       MIN(CASE WHEN e.kind IN ({decisions}) THEN {key} END) AS first_decision
                FROM referral_events e JOIN cohort c ON c.id = e.referral_id
                GROUP BY e.referral_id)
            SELECT c.local_authority, c.source,
                   CASE WHEN c.child_key IS NOT NULL AND EXISTS (
                       SELECT 1 FROM referrals p WHERE p.child_key = c.child_key
                       AND p.status <> 'draft' AND p.received_on < c.received_on
                       AND p.received_on >= {floor}) THEN 1 ELSE 0 END AS is_repeat,
                   substr(ev.first_decision, 31) AS decision, COUNT(*) AS n,
                   SUM(ev.held) AS strategy_held, SUM(ev.held * ev.held_in) AS strategy_within,
                   SUM(ev.s47) AS s47, SUM(ev.s47 * ev.done) AS s47_completed,
                   SUM(ev.s47 * ev.done * ev.done_in) AS s47_within,
                   {", ".join(f"SUM(ev.s47 * ev.{k}) AS s47_to_{k}" for k in _ONWARD)},
                   SUM(ev.step_down) AS step_down
            FROM cohort c LEFT JOIN ev ON ev.referral_id = c.id
            GROUP BY 1, 2, 3, 4"""
        lists = ("SELECT local_authority, categories, natures, COUNT(*) AS n FROM referrals "
                 "WHERE status <> 'draft' AND received_on >= ? AND received_on <= ? "
                 "GROUP BY local_authority, categories, natures")
        found: dict[str, dict[str, int]] = {}
        window = (received_from, received_to)
        with self._counting() as conn:
            for row in conn.execute(sql, window):
                counts = found.setdefault(row["local_authority"] or "", {})
                n = int(row["n"])
                tag = "repeat" if row["is_repeat"] else "new"
                for key, value in (("referrals", n), (tag, n),
                                   (f"outcome_{tag}.{row['decision'] or 'awaiting'}", n),
                                   (f"source.{row['source'] or ''}", n),
                                   *((k, int(row[k] or 0)) for k in _SUMS)):
                    counts[key] = counts.get(key, 0) + value
            # Lists are JSON arrays: the database groups the few distinct
            # arrays, and each is split here, a code counted once a referral.
            for row in conn.execute(lists, window):
                counts = found.setdefault(row["local_authority"] or "", {})
                for kind in ("categories", "natures"):
                    for code in set(json.loads(row[kind])):
                        key = f"{_LIST_KEY[kind]}.{code}"
                        counts[key] = counts.get(key, 0) + int(row["n"])
        return found


    @contextmanager
    def _counting(self) -> Iterator[Conn]:
        """A read for the counting queries. On PostgreSQL without JIT: the
        planner's cost for the per-referral repeat probe is far above
        jit_above_cost, and compiling the plan took longer (seconds) than
        running it (milliseconds to a second); SET LOCAL needs a transaction."""
        if self.db.dialect != "postgresql":
            with self.db.read() as conn:
                yield conn
            return
        with self.db.transaction() as conn:
            conn.execute("SET LOCAL jit = off")
            yield conn


# Counts held in memory per database and window with the version they were
# counted at (indicator_counts): a page asks for five years' tables, and a
# past year's counts change only when referrals received in or a year before
# it change. Per process; each process checks the version on every call.
_Held = dict[tuple[str, str], tuple[tuple[int, int], dict[str, dict[str, int]]]]
_COUNTS: weakref.WeakKeyDictionary[Database, _Held] = weakref.WeakKeyDictionary()
_HELD = 64


def _copy(counts: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    return {la: dict(c) for la, c in counts.items()}


def forget_held_counts() -> None:
    """Drop every count held in memory (the bench times cold counting)."""
    _COUNTS.clear()


_LIST_KEY = {"categories": "category", "natures": "nature"}
_ONWARD = ("icpc", "registration", "care_support_plan", "looked_after")
# (column, event kind, within timescale only) for the per-referral event flags
_FLAGS = (("held", "strategy_held", False), ("held_in", "strategy_held", True),
          ("s47", "s47", False), ("done", "s47_completed", False),
          ("done_in", "s47_completed", True), *((k, k, False) for k in _ONWARD),
          ("step_down", "step_down", False))
_SUMS = ("strategy_held", "strategy_within", "s47", "s47_completed", "s47_within",
         *(f"s47_to_{k}" for k in _ONWARD), "step_down")
# Per database: (the same day twelve months before c.received_on, as the
# rule has it: 29 February falls back to the 28th; a key that sorts events
# by (on_date, id) and ends, from character 31, with the kind).
_DIALECT = {
    "postgresql": ("to_char(c.received_on::date - interval '12 months', 'YYYY-MM-DD')",
                   "(e.on_date || lpad(e.id::text, 20, '0') || e.kind) COLLATE \"C\""),
    "sqlite": ("CASE WHEN substr(c.received_on, 6, 5) = '02-29' "
               "THEN printf('%04d-02-28', substr(c.received_on, 1, 4) - 1) "
               "ELSE printf('%04d', substr(c.received_on, 1, 4) - 1) "
               "|| substr(c.received_on, 5) END",
               "e.on_date || printf('%020d', e.id) || e.kind"),
}
