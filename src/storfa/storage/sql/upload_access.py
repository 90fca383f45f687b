"""An upload's access, written in the transaction that stores its version
(domain/uploads.py holds the rule; this only reads and writes review_access)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from storfa.domain.accounts import AccessLevel, ReviewAccess
from storfa.domain.uploads import UploadAccess
from storfa.storage.sql.adapter import Conn

if TYPE_CHECKING:
    from storfa.storage.sql.adapter import Database


def _access(conn: Conn, review_row: int) -> ReviewAccess:
    row = conn.one("SELECT level FROM review_access WHERE review_id = ?", (review_row,))
    orgs = frozenset(int(r["organisation_id"]) for r in conn.execute(
        "SELECT organisation_id FROM review_access_orgs WHERE review_id = ?", (review_row,)))
    return ReviewAccess(AccessLevel(row["level"]) if row else AccessLevel.PUBLIC, orgs)


def apply(conn: Conn, review_row: int, new_review: bool, access: UploadAccess,
          actor: str, now: str) -> ReviewAccess | None:
    """Set the review's access as the upload's rule says; the access set, or
    None when it was left as it was."""
    changed = access.applied(None if new_review else _access(conn, review_row))
    if changed is None:
        return None
    conn.execute("DELETE FROM review_access_orgs WHERE review_id = ?", (review_row,))
    conn.execute("DELETE FROM review_access WHERE review_id = ?", (review_row,))
    conn.execute("INSERT INTO review_access (review_id, level, updated_by, updated_at) "
                 "VALUES (?, ?, ?, ?)", (review_row, changed.level.value, actor, now))
    conn.executemany("INSERT INTO review_access_orgs (review_id, organisation_id) "
                     "VALUES (?, ?)", [(review_row, o) for o in sorted(changed.organisations)])
    return changed


def access_of(db: Database, review_key: str) -> ReviewAccess | None:
    """A stored review's access (public when no row says otherwise); None
    when there is no such review."""
    with db.read() as conn:
        row = conn.one("SELECT id FROM reviews WHERE review_key = ?", (review_key,))
        return None if row is None else _access(conn, int(row["id"]))
