"""Coded extracts and memos (migration 0009_extracts) in SQL.

Written once with `?` placeholders like the rest of the SQL store, so SQLite
and PostgreSQL run the same code and the same tests. Auto-coding never
deletes: a re-run marks the open suggestions it replaces `superseded`, and a
person's decision changes only the status and who decided, so the row and the
audit log together keep the history.

Several coders (migration 0011_extract_teamwork): the first person to decide
an open suggestion decides it in place; anyone deciding it after them gets a
row of their own pointing at it (`origin_id`), so nobody's decision
overwrites another's. A suggestion's code is never changed: re-coding one
makes the coder's own row with the new code. Every change is logged in
`extract_changes` with what undoing it means, and only its author undoes it.
Writes are serialised by the database layer, so a decision reads and writes
in one transaction and no lock is held between requests."""

from __future__ import annotations

import json
from collections.abc import Sequence

from storfa.clock import utc_now
from storfa.domain.coding import (
    ACCEPTED,
    HOWS,
    SCOPE_MARK,
    SUGGESTED,
    Extract,
    Memo,
    NewExtract,
    Undone,
    UnknownExtract,
    plan_decision,
)
from storfa.domain.errors import N_, StorfaError
from storfa.storage.sql.adapter import Conn, Database, Row

_SELECT = ("SELECT e.*, r.review_key FROM extracts e JOIN reviews r ON r.id = e.review_id ")


def _extract(row: Row) -> Extract:
    return Extract(
        id=int(row["id"]), review_row=int(row["review_id"]), review_id=str(row["review_key"]),
        version_id=int(row["version_id"]), passage_id=row["passage_id"],
        start=int(row["start_offset"]), end=int(row["end_offset"]), page=row["page"],
        text=str(row["text"]), codebook=str(row["codebook"]), code=str(row["code"]),
        theme=str(row["theme"]), coder=str(row["coder"]), how=str(row["how"]),
        status=str(row["status"]),
        confidence=None if row["confidence"] is None else float(row["confidence"]),
        source_detail=row["source_detail"], created_at=str(row["created_at"]),
        decided_by=row["decided_by"], decided_at=row["decided_at"],
        superseded=bool(row["superseded"]),
        origin_id=None if row["origin_id"] is None else int(row["origin_id"]))


# The columns a change may alter; their old values are what undo restores.
_RESTORED = ("status", "decided_by", "decided_at", "code", "theme", "superseded")


class SQLExtracts:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _insert(self, conn: Conn, new: NewExtract, status: str, now: str,
                decided_by: str | None = None, origin_id: int | None = None) -> int:
        if new.how not in HOWS:
            raise StorfaError(N_("An extract is coded manual, term or model, not {how!r}."),
                              how=new.how)
        if not 0 <= new.start < new.end:
            raise StorfaError(N_("An extract needs 0 <= start < end (got {start}, {end})."),
                              start=new.start, end=new.end)
        return conn.insert(
            "INSERT INTO extracts (review_id, version_id, passage_id, start_offset, end_offset, "
            "page, text, codebook, code, theme, coder, how, status, confidence, source_detail, "
            "created_at, decided_by, decided_at, origin_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (new.review_row, new.version_id, new.passage_id, new.start, new.end, new.page,
             new.text, new.codebook, new.code, new.theme, new.coder, new.how, status,
             new.confidence, new.source_detail, now, decided_by,
             now if decided_by else None, origin_id))

    @staticmethod
    def _log(conn: Conn, who: str, action: str, extract_id: int, now: str,
             restore: Sequence[Row] = (), withdraw: Sequence[int] = ()) -> None:
        """Record a change with what undoing it means: these rows back to
        their present values, these (new) rows withdrawn."""
        undo = {"restore": [{"id": int(r["id"]), **{c: r[c] for c in _RESTORED}}
                            for r in restore],
                "withdraw": list(withdraw)}
        conn.insert("INSERT INTO extract_changes (coder, action, extract_id, undo, created_at) "
                    "VALUES (?, ?, ?, ?, ?)", (who, action, extract_id, json.dumps(undo), now))

    def version_text(self, version_id: int) -> str:
        """The full text of a review version, which extract offsets index."""
        with self.db.read() as conn:
            row = conn.one("SELECT text FROM review_versions WHERE id = ?", (version_id,))
        if row is None:
            raise StorfaError(N_("There is no review version {version}."), version=version_id)
        return str(row["text"])

    def replace_suggestions(self, review_row: int, codebook: str,
                            suggestions: Sequence[NewExtract],
                            scope: str | None = None) -> list[NewExtract]:
        """The review's new open suggestions for this codebook; the previous
        open ones become history. A span already coded (decided, or still
        suggested: same version, offsets and code) is not suggested again;
        returns the suggestions stored.

        Suggestions made for one purpose carry a scope, the start of their
        source_detail, beginning with SCOPE_MARK (e.g. "@recommendation:" in
        "@recommendation:12"): a replacement with `scope` supersedes only the
        open suggestions of that scope, and one without (the auto-coder's)
        leaves every scoped one alone."""
        if scope is not None and not scope.startswith(SCOPE_MARK):
            raise StorfaError(N_("A suggestion scope starts with {mark!r} (got {scope!r})."),
                              mark=SCOPE_MARK, scope=scope)
        now = utc_now()
        mine, like = ("LIKE", f"{scope}%") if scope else ("NOT LIKE", f"{SCOPE_MARK}%")
        with self.db.write() as conn:
            # A suggestion some coder re-coded still waits for the others: kept.
            conn.execute(
                "UPDATE extracts SET superseded = 1 WHERE review_id = ? AND codebook = ? "
                f"AND status = ? AND superseded = 0 AND COALESCE(source_detail, '') {mine} ? "
                "AND id NOT IN (SELECT origin_id FROM extracts WHERE review_id = ? "
                "AND origin_id IS NOT NULL AND superseded = 0)",
                (review_row, codebook, SUGGESTED, like, review_row))
            coded = {(int(r["version_id"]), int(r["start_offset"]), int(r["end_offset"]),
                      str(r["code"]).casefold()) for r in conn.execute(
                "SELECT version_id, start_offset, end_offset, code FROM extracts "
                "WHERE review_id = ? AND codebook = ? AND superseded = 0",
                (review_row, codebook))}
            kept = [new for new in suggestions
                    if (new.version_id, new.start, new.end, new.code.casefold()) not in coded]
            for new in kept:
                self._insert(conn, new, SUGGESTED, now)
        return kept

    def add_manual(self, new: NewExtract) -> Extract:
        """A person's own coding: accepted from the start, decided by its coder."""
        now = utc_now()
        with self.db.write() as conn:
            new_id = self._insert(conn, new, ACCEPTED, now, decided_by=new.coder)
            self._log(conn, new.coder, "add", new_id, now, withdraw=[new_id])
            row = conn.one(_SELECT + "WHERE e.id = ?", (new_id,))
        assert row is not None  # just inserted in the same transaction
        return _extract(row)

    def get(self, extract_id: int) -> Extract:
        with self.db.read() as conn:
            row = conn.one(_SELECT + "WHERE e.id = ?", (extract_id,))
        if row is None:
            raise UnknownExtract(extract_id)
        return _extract(row)

    def decide(self, extract_id: int, status: str, who: str, code: str | None = None,
               theme: str | None = None) -> tuple[Extract, Extract]:
        """Accept or reject an extract as `who`, or re-code it (a new `code`
        and its `theme`, accepted); returns (the extract given, the row that
        now holds who's decision). Another coder's decision is never changed."""
        now = utc_now()
        with self.db.write() as conn:
            old = conn.one(_SELECT + "WHERE e.id = ?", (extract_id,))
            if old is None or old["superseded"]:
                raise UnknownExtract(extract_id)
            given = _extract(old)
            base = given
            if given.origin_id is not None and given.decided_by != who:
                base = _extract(_row(conn, given.origin_id))
            plan = plan_decision(given, base, self._mine(conn, base, who), status, code, theme)
            if plan.update is not None:
                target = plan.update
                self._log(conn, who, plan.action, target, now, restore=[_row(conn, target)])
                if plan.update_code:
                    conn.execute("UPDATE extracts SET status = ?, decided_by = ?, "
                                 "decided_at = ?, code = ?, theme = ? WHERE id = ?",
                                 (status, who, now, plan.code, plan.theme, target))
                else:
                    conn.execute("UPDATE extracts SET status = ?, decided_by = ?, "
                                 "decided_at = ? WHERE id = ?", (status, who, now, target))
            else:
                restore = []
                if plan.reopen is not None:
                    restore = [_row(conn, plan.reopen)]
                    conn.execute("UPDATE extracts SET status = ?, decided_by = NULL, "
                                 "decided_at = NULL WHERE id = ?", (SUGGESTED, plan.reopen))
                target = self._insert(conn, NewExtract(
                    review_row=base.review_row, version_id=base.version_id, start=base.start,
                    end=base.end, text=base.text, codebook=base.codebook, code=plan.code,
                    theme=plan.theme, coder=base.coder, how=base.how,
                    passage_id=base.passage_id, page=base.page, confidence=base.confidence,
                    source_detail=base.source_detail), status, now, decided_by=who,
                    origin_id=plan.insert_origin)
                self._log(conn, who, plan.action, target, now, restore=restore,
                          withdraw=[target])
            row = conn.one(_SELECT + "WHERE e.id = ?", (target,))
        assert row is not None
        return given, _extract(row)

    def recode(self, extract_id: int, code: str, theme: str, who: str
               ) -> tuple[Extract, Extract]:
        """Change the code of who's coding of this extract (accepting it)."""
        return self.decide(extract_id, ACCEPTED, who, code=code, theme=theme)

    @staticmethod
    def _mine(conn: Conn, base: Extract, who: str) -> Extract | None:
        """who's own current row for this extract: the extract itself when
        they decided or made it, or their decision row pointing at it."""
        if base.decided_by == who:
            return base
        row = conn.one(_SELECT + "WHERE e.origin_id = ? AND e.decided_by = ? "
                       "AND e.superseded = 0 ORDER BY e.id DESC", (base.id, who))
        return None if row is None else _extract(row)

    def undo_last(self, who: str) -> Undone | None:
        """Undo who's newest change not undone yet: a decided suggestion opens
        again, a row of their own is withdrawn (superseded, not deleted), an
        earlier decision of theirs comes back. None when there is nothing."""
        now = utc_now()
        with self.db.write() as conn:
            change = conn.one("SELECT * FROM extract_changes WHERE coder = ? AND undone_at "
                              "IS NULL ORDER BY id DESC LIMIT 1", (who,))
            if change is None:
                return None
            undo = json.loads(str(change["undo"]))
            for old in undo["restore"]:
                conn.execute("UPDATE extracts SET status = ?, decided_by = ?, decided_at = ?, "
                             "code = ?, theme = ?, superseded = ? WHERE id = ?",
                             (*(old[c] for c in _RESTORED), old["id"]))
            for withdrawn in undo["withdraw"]:
                conn.execute("UPDATE extracts SET superseded = 1 WHERE id = ?", (withdrawn,))
            conn.execute("UPDATE extract_changes SET undone_at = ? WHERE id = ?",
                         (now, change["id"]))
            extract = _extract(_row(conn, int(change["extract_id"])))
        return Undone(int(change["id"]), str(change["action"]), extract)

    def select(self, codebook: str | None = None, review_row: int | None = None,
             status: str | None = None, superseded: bool = False) -> list[Extract]:
        """Current extracts (or, with superseded=True, all of them), in review
        and text order."""
        sql, params = _SELECT + "WHERE 1 = 1", []
        if not superseded:
            sql += " AND e.superseded = 0"
        for column, value in (("e.codebook", codebook), ("e.review_id", review_row),
                              ("e.status", status)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        with self.db.read() as conn:
            return [_extract(r) for r in conn.execute(
                sql + " ORDER BY r.review_key, e.start_offset, e.end_offset, e.id", params)]

    def add_memo(self, author: str, text: str, extract_id: int | None = None,
                 review_row: int | None = None) -> Memo:
        if (extract_id is None) == (review_row is None):
            raise StorfaError(N_("A memo belongs to one extract or one review."))
        now = utc_now()
        with self.db.write() as conn:
            if extract_id is not None and conn.one(
                    "SELECT id FROM extracts WHERE id = ?", (extract_id,)) is None:
                raise UnknownExtract(extract_id)
            memo_id = conn.insert(
                "INSERT INTO memos (extract_id, review_id, author, text, created_at) "
                "VALUES (?, ?, ?, ?, ?)", (extract_id, review_row, author, text, now))
        return Memo(memo_id, extract_id, review_row, author, text, now)

    def memos(self, extract_ids: Sequence[int] = (), review_row: int | None = None
              ) -> list[Memo]:
        """Memos of these extracts and/or of this review, oldest first."""
        found: list[Memo] = []
        with self.db.read() as conn:
            for at in range(0, len(extract_ids), 500):
                chunk = list(extract_ids[at:at + 500])
                marks = ",".join("?" * len(chunk))
                found.extend(_memo(r) for r in conn.execute(
                    f"SELECT * FROM memos WHERE extract_id IN ({marks})", chunk))
            if review_row is not None:
                found.extend(_memo(r) for r in conn.execute(
                    "SELECT * FROM memos WHERE review_id = ?", (review_row,)))
        found.sort(key=lambda m: m.id)
        return found


def _row(conn: Conn, extract_id: int) -> Row:
    row = conn.one(_SELECT + "WHERE e.id = ?", (extract_id,))
    if row is None:
        raise UnknownExtract(extract_id)
    return row


def _memo(row: Row) -> Memo:
    return Memo(int(row["id"]), row["extract_id"], row["review_id"], str(row["author"]),
                str(row["text"]), str(row["created_at"]))
