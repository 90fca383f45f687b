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
from storfa.domain.referrals import (
    CATEGORIES,
    DECISIONS,
    NATURES,
    SOURCES,
    Event,
    Notice,
    QueueFilters,
    Referral,
    ReferralAudit,
    ReferralForm,
)
from storfa.storage.sql.adapter import Conn, Database, Row

# (conn, actor, action, object_type, object_id, detail): Store.audit_in
AuditIn = Callable[[Conn, str, str, str, str, dict[str, Any]], None]
Audit = ReferralAudit

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
            with _recounted(conn, self.db.dialect, "id = ? OR child_key = (SELECT "
                            "child_key FROM referrals WHERE id = ?)", (referral_id, referral_id)):
                conn.execute("UPDATE referrals SET reference = ?, status = 'submitted', "
                             "receiving_org_id = ?, received_on = ?, updated_at = ? "
                             "WHERE id = ? AND status = 'draft'",
                             (reference, receiving_org_id, received_on, utc_now(),
                              referral_id))
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
            dialect, child = self.db.dialect, columns["child_key"]
            # The new row's id is not known until it is in; before, there is
            # no row with it, so "id = ? OR child_key = ?" is the child's rows.
            _month_counts(conn, dialect, "child_key = ?", (child,), -1)
            rid = conn.insert(f"INSERT INTO referrals ({names}) VALUES ({marks})",
                              list(columns.values()))
            _touch(conn, [received_on])
            _derive(conn, dialect, "id = ? OR child_key = ?", (rid, child))
            _month_counts(conn, dialect, "id = ? OR child_key = ?", (rid, child), 1)
            self._audit(conn, audit, columns["reference"], referral=rid)
        return _referral({**columns, "id": rid, "external_id": None, "import_batch": None})

    def add_event(self, referral_id: int, event: Event, notice: tuple[int, str] | None,
                  audit: Audit) -> Event:
        """Record a decision or step; `notice` (user id, message) tells the referrer."""
        now = utc_now()
        with self.db.write() as conn:
            with _recounted(conn, self.db.dialect, "id = ?", (referral_id,)):
                event_id = conn.insert(
                    "INSERT INTO referral_events (referral_id, kind, on_date, "
                    "within_timescale, note, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
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
        keyless: list[int] = []  # rows no child key links (the import requires one)
        rows = list(rows)
        children = {c["child_key"] for c, _ in rows if c.get("child_key")}
        with self.db.write() as conn:
            # The children's stored referrals leave their months' counts
            # before any of the file's rows can join them (`_recounted`).
            for where, params in _selections([], children):
                _month_counts(conn, self.db.dialect, where, params, -1)
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
                if not columns.get("child_key"):
                    keyless.append(rid)
            _touch(conn, days)
            # Derived once all rows are in: a row may make an earlier-inserted
            # one (received later) a repeat, and children already stored too.
            for where, params in _selections(keyless, children):
                _derive(conn, self.db.dialect, where, params)
                _month_counts(conn, self.db.dialect, where, params, 1)
            self._audit(conn, audit, object_id, referrals=len(references))
        return references

    def delete_updated_before(self, cutoff: str, audit: Audit) -> list[str]:
        """Delete referrals last changed before `cutoff`, and say which."""
        with self.db.write() as conn:
            rows = list(conn.execute(
                "SELECT id, reference, received_on, child_key FROM referrals "
                "WHERE updated_at < ? ORDER BY id", (cutoff,)))
            _touch(conn, [r["received_on"] for r in rows])
            ids = [int(r["id"]) for r in rows]
            for at in range(0, len(ids), 500):
                chunk = ids[at:at + 500]
                marks = ",".join("?" * len(chunk))
                _month_counts(conn, self.db.dialect, f"id IN ({marks})", chunk, -1)
                # Children first: SQLite enforces ON DELETE CASCADE only with
                # foreign keys switched on, so nothing is left to chance.
                for table in ("referral_events", "referral_notices"):
                    conn.execute(f"DELETE FROM {table} WHERE referral_id IN ({marks})", chunk)
                conn.execute(f"DELETE FROM referrals WHERE id IN ({marks})", chunk)
            # A later referral about the same child may no longer be a repeat.
            for where, params in _selections([], {r["child_key"] for r in rows
                                                  if r["child_key"]}):
                with _recounted(conn, self.db.dialect, where, params):
                    pass  # nothing else changes: derived again, counted again
            labels = [str(r["reference"] or f"draft {r['id']}") for r in rows]
            self._audit(conn, audit, "-", cutoff=cutoff, deleted=len(labels),
                        references=labels)
        return labels

    def mark_read(self, user_id: int, referral_id: int) -> None:
        with self.db.write() as conn:
            conn.execute("UPDATE referral_notices SET read_at = ? WHERE user_id = ? "
                         "AND referral_id = ? AND read_at IS NULL",
                         (utc_now(), user_id, referral_id))

    def derive_all(self) -> int:
        """Derive every submitted referral's facts again and count the months
        afresh (what migrations 0026 and 0029 did): for rows written around
        the store, such as the bench's COPY. Returns how many rows were derived."""
        with self.db.write() as conn:
            row = conn.one("SELECT COUNT(*) AS n FROM referrals WHERE status <> 'draft'")
            _derive(conn, self.db.dialect, "status <> 'draft'", ())
            conn.execute("DELETE FROM referral_month_counts")
            _month_counts(conn, self.db.dialect, "1 = 1", (), 1)
            conn.execute("INSERT INTO referral_changes (month, version) SELECT DISTINCT "
                         "substr(received_on, 1, 7), 1 FROM referrals WHERE received_on "
                         "IS NOT NULL ON CONFLICT (month) DO UPDATE SET "
                         "version = referral_changes.version + 1")
        return int(row["n"]) if row else 0

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

        Each referral's repeat flag, first decision and event flags are read
        from its row, where every write keeps them (`_derive`, migration 0026)."""
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
        found = self.count(*window)
        if len(held) >= _HELD:  # the oldest out: a page asks for a handful of periods
            held.pop(next(iter(held)))
        held[window] = (version, _copy(found))
        return found

    def count(self, received_from: str, received_to: str) -> dict[str, dict[str, int]]:
        """Counted afresh by the database: from the monthly counts when the
        window is whole months (every period is: years, quarters, financial
        years), otherwise from the rows."""
        if _whole_months(received_from, received_to):
            return self.count_months(received_from, received_to)
        return self.count_rows(received_from, received_to)

    def count_rows(self, received_from: str, received_to: str) -> dict[str, dict[str, int]]:
        """One GROUP BY over the cohort's rows: each referral's repeat flag,
        first decision and event flags are kept on it (migration 0026,
        `_derive`), so nothing is joined or probed, and every column read is
        in referrals_counting (an index-only scan of the period's range)."""
        sums = ", ".join(f"SUM({sql}) AS {column}"
                         for column, _, sql in measures(self.db.dialect))
        sql = f"""
            SELECT {", ".join(DIMENSIONS)}, {sums} FROM referrals
            WHERE status <> 'draft' AND received_on >= ? AND received_on <= ?
            GROUP BY {", ".join(DIMENSIONS)}"""
        with self._counting() as conn:
            return _fold(conn.execute(sql, (received_from, received_to)))

    def count_months(self, received_from: str, received_to: str
                     ) -> dict[str, dict[str, int]]:
        """The same counts summed from referral_month_counts (migration 0029)
        for the months from `received_from`'s to `received_to`'s: a period
        reads at most (months × areas × sources × 2 × 6) rows, however many
        referrals it holds. Exact for whole months only (`count`)."""
        sums = ", ".join(f"SUM({column}) AS {column}"
                         for column, _, _ in measures(self.db.dialect))
        sql = f"""
            SELECT {", ".join(DIMENSIONS)}, {sums} FROM referral_month_counts
            WHERE month >= ? AND month <= ? GROUP BY {", ".join(DIMENSIONS)}"""
        with self._counting() as conn:
            return _fold(conn.execute(sql, (received_from[:7], received_to[:7])))

    @contextmanager
    def _counting(self) -> Iterator[Conn]:
        """A read for the counting query. On PostgreSQL without JIT: a year's
        scan costs more than jit_above_cost, and compiling the plan took longer
        than running it; SET LOCAL needs a transaction."""
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
_FIND = {"postgresql": "strpos", "sqlite": "instr"}
# A referral's place in the counting: grouped by these, every measure summed.
# The source is a measure, not a group: a month of an area is then at most
# 2 × 6 groups, not 8 × 2 × 6, and a period's sum reads that many fewer rows.
DIMENSIONS = ("local_authority", "is_repeat", "first_decision")


def measures(dialect: str) -> list[tuple[str, str | None, str]]:
    """The counting rule in SQL, in one place: (column, count key, what one
    referral row adds), summed over a cohort grouped by DIMENSIONS. Both the
    row counting and the monthly counts (migration 0029) sum these, and
    `_fold` turns the groups into `count_area`'s keys. `n` (key None) is the
    number of referrals, which `_fold` files under referrals, new or repeat,
    and outcome by the group's dimensions. A code is counted once a
    referral when its quoted form ("neglect": a whole element of the JSON
    array, since a JSON string holds no bare quote) is in the list."""
    find = _FIND[dialect]
    steps = [("strategy_held", "has_strategy_held"),
             ("strategy_within", "has_strategy_held * has_strategy_within"),
             ("s47", "has_s47"), ("s47_completed", "has_s47 * has_s47_completed"),
             ("s47_within", "has_s47 * has_s47_completed * has_s47_within"),
             *((f"s47_to_{k}", f"has_s47 * has_{k}") for k in _ONWARD),
             ("step_down", "has_step_down")]
    found: list[tuple[str, str | None, str]] = [("n", None, "1")]
    found += [(f"source_{code}", f"source.{code}",  # codes are [a-z_], as below
               f"CASE WHEN source = '{code}' THEN 1 ELSE 0 END") for code in SOURCES]
    found += [(key, key, sql) for key, sql in steps]
    for column, codes in (("categories", CATEGORIES), ("natures", NATURES)):
        for code in codes:  # codes are [a-z_]: safe in a literal and a column name
            found.append((f"{_LIST_KEY[column]}_{code}", f"{_LIST_KEY[column]}.{code}",
                          f"CASE WHEN {find}({column}, '{json.dumps(code)}') > 0 "
                          "THEN 1 ELSE 0 END"))
    return found


def _fold(rows: Iterable[Row]) -> dict[str, dict[str, int]]:
    """Each local authority's counts ("" for none recorded) from groups by
    DIMENSIONS carrying the `measures` columns."""
    keyed = [(column, key) for column, key, _ in measures("sqlite") if key]
    found: dict[str, dict[str, int]] = {}
    for row in rows:
        n = int(row["n"] or 0)
        if not n:  # a monthly group its referrals have all left
            continue
        counts = found.setdefault(row["local_authority"] or "", {})
        tag = "repeat" if row["is_repeat"] else "new"
        for key, value in (("referrals", n), (tag, n),
                           (f"outcome_{tag}.{row['first_decision'] or 'awaiting'}", n),
                           *((k, int(row[c] or 0)) for c, k in keyed)):
            if value:
                counts[key] = counts.get(key, 0) + value
    return found


def _whole_months(received_from: str, received_to: str) -> bool:
    last = dt.date.fromisoformat(received_to)
    return received_from.endswith("-01") and (last + dt.timedelta(days=1)).day == 1


# ------------------------------------------------------------------ monthly counts
# referral_month_counts (migration 0029): the `measures` of the submitted
# referrals received in each month, grouped by DIMENSIONS ("" for a missing
# value), so a period's counts are a sum over its months. They are the
# database's counts before suppression: small cells are suppressed in the
# period's table (indicators.tabulate), never in a month.
#
# Every write that changes what a referral counts (its facts, its status, its
# existence) takes the rows it touches out of their months' counts before
# the change and puts them back after it, in the same transaction: the
# counts stay the sum of the rows, and a write costs a few rows of upsert,
# not a month's recount. Writes are serialised, so no two interleave. A group
# whose referrals have all gone stays, with zeros; it counts nothing.
MONTH_KEY = ("month", *DIMENSIONS)


def month_counts_sql(dialect: str, where: str, sign: int = 1) -> str:
    """Add (sign 1) or take out (sign -1) the counts of the submitted
    referrals `where` selects (migration 0029 back-fills with sign 1)."""
    columns = [column for column, _, _ in measures(dialect)]
    minus = "-" if sign < 0 else ""
    groups = ("substr(received_on, 1, 7), COALESCE(local_authority, ''), is_repeat, "
              "COALESCE(first_decision, '')")
    return (f"INSERT INTO referral_month_counts ({', '.join((*MONTH_KEY, *columns))}) "
            f"SELECT {groups}, "
            + ", ".join(f"{minus}SUM({sql})" for _, _, sql in measures(dialect))
            + f" FROM referrals WHERE status <> 'draft' AND received_on IS NOT NULL "
            f"AND ({where}) GROUP BY {groups} "
            f"ON CONFLICT ({', '.join(MONTH_KEY)}) DO UPDATE SET "
            + ", ".join(f"{c} = referral_month_counts.{c} + excluded.{c}" for c in columns))


def _month_counts(conn: Conn, dialect: str, where: str, params: Sequence[Any],
                  sign: int) -> None:
    conn.execute(month_counts_sql(dialect, where, sign), params)


@contextmanager
def _recounted(conn: Conn, dialect: str, where: str, params: Sequence[Any]) -> Iterator[None]:
    """Around a change to the referrals `where` selects (the same rows before
    and after it): out of the monthly counts, changed, derived again
    (`_derive`), back in."""
    _month_counts(conn, dialect, where, params, -1)
    yield
    _derive(conn, dialect, where, params)
    _month_counts(conn, dialect, where, params, 1)


# ------------------------------------------------------------------ derived facts
# Each referral's facts the indicators count (migration 0026), kept on its
# row and derived again, in the same transaction, by every write that can
# change them: a submission (the referral and every other about the same
# child), a decision or step (the referral), an import (its rows and every
# referral about their children), an expiry (the deleted rows' children).
#
# - is_repeat: another submitted referral about the same child received from
#   the same day twelve months before up to the day before (the rule in
#   referrals/indicators.py); 0 for a draft. It depends on the other
#   referrals, so a referral received earlier but stored later (an import out
#   of order) changes it: hence all of the child's referrals are derived.
# - first_decision, first_decision_on: the decision event first by
#   (on_date, id), as Referral.decision; NULL while awaiting one.
# - has_<flag>: 1 if an event of that kind exists (has_strategy_within: a
#   strategy meeting held within timescale; has_s47_within: a Section 47
#   completed within timescale).
#
# The writes are serialised (SQLite's one writer; PostgreSQL's write lock),
# so two submissions about one child cannot each miss the other.
FLAGS: tuple[tuple[str, str, bool], ...] = (
    ("has_strategy_held", "strategy_held", False),
    ("has_strategy_within", "strategy_held", True),
    ("has_s47", "s47", False),
    ("has_s47_completed", "s47_completed", False),
    ("has_s47_within", "s47_completed", True),
    *((f"has_{k}", k, False) for k in _ONWARD),
    ("has_step_down", "step_down", False))
DERIVED = ("is_repeat", "first_decision", "first_decision_on", *(f for f, _, _ in FLAGS))


def _year_before(dialect: str, day: str) -> str:
    """SQL for the same day twelve months before the date `day` (a column),
    as the rule has it: 29 February falls back to the 28th."""
    if dialect == "postgresql":
        return f"to_char({day}::date - interval '12 months', 'YYYY-MM-DD')"
    return (f"CASE WHEN substr({day}, 6, 5) = '02-29' "
            f"THEN printf('%04d-02-28', substr({day}, 1, 4) - 1) "
            f"ELSE printf('%04d', substr({day}, 1, 4) - 1) || substr({day}, 5) END")


def derive_sql(dialect: str, where: str) -> str:
    """The one statement that derives every fact of the referrals `where`
    selects (migration 0026 back-fills with it, where = "status <> 'draft'")."""
    decisions = ", ".join(f"'{k}'" for k in DECISIONS)
    flags = ", ".join(
        f"COALESCE(MAX(CASE WHEN e.kind = '{kind}'"
        f"{' AND e.within_timescale = 1' if within else ''} THEN 1 ELSE 0 END), 0)"
        for _, kind, within in FLAGS)
    return f"""UPDATE referrals SET
    is_repeat = CASE WHEN referrals.status <> 'draft' AND EXISTS (
        SELECT 1 FROM referrals p WHERE p.child_key = referrals.child_key
        AND p.status <> 'draft' AND p.received_on < referrals.received_on
        AND p.received_on >= {_year_before(dialect, "referrals.received_on")})
        THEN 1 ELSE 0 END,
    (first_decision, first_decision_on) = (
        SELECT e.kind, e.on_date FROM referral_events e
        WHERE e.referral_id = referrals.id AND e.kind IN ({decisions})
        ORDER BY e.on_date, e.id LIMIT 1),
    ({", ".join(f for f, _, _ in FLAGS)}) = (
        SELECT {flags}
        FROM referral_events e WHERE e.referral_id = referrals.id)
WHERE {where}"""


def _derive(conn: Conn, dialect: str, where: str, params: Sequence[Any]) -> None:
    if dialect == "postgresql":
        # Rows written earlier in this transaction have no statistics yet, so
        # the planner may cost the per-row subqueries above jit_above_cost;
        # compiling then took a second where deriving 500 children took 0.1 s.
        conn.execute("SET LOCAL jit = off")
    conn.execute(derive_sql(dialect, where), params)


def _selections(ids: Sequence[int], children: Iterable[str]
                ) -> Iterator[tuple[str, list[Any]]]:
    """WHERE clauses, 500 values at a time, selecting the referrals `ids`
    and every referral about `children`: no row twice, if no id in `ids` is
    about one of `children`."""
    keys = sorted(children)
    for column, values in (("id", list(ids)), ("child_key", keys)):
        for at in range(0, len(values), 500):
            chunk: list[Any] = list(values[at:at + 500])
            yield f"{column} IN ({','.join('?' * len(chunk))})", chunk
