"""Disclosure decisions and a review's own terms (migration
0015_disclosure_decisions) in portable SQL, for SQLStore.

Functions over an open transaction, so the store writes each change and its
audit event together."""

from __future__ import annotations

from storfa.domain.disclosure import DisclosureDecision, DisclosureTerm
from storfa.storage.sql.adapter import Conn


def decisions(conn: Conn, version_id: int) -> list[DisclosureDecision]:
    return [DisclosureDecision(str(r["finding_id"]), str(r["decision"]), r["replacement"],
                               str(r["actor"]), str(r["at"])) for r in conn.execute(
        "SELECT finding_id, decision, replacement, actor, at FROM disclosure_decisions "
        "WHERE version_id = ? ORDER BY id", (version_id,))]


def decide(conn: Conn, version_id: int, d: DisclosureDecision) -> None:
    # Delete then insert rather than an upsert: the same SQL on both dialects.
    conn.execute("DELETE FROM disclosure_decisions WHERE version_id = ? AND finding_id = ?",
                 (version_id, d.finding_id))
    conn.execute("INSERT INTO disclosure_decisions (version_id, finding_id, decision, "
                 "replacement, actor, at) VALUES (?, ?, ?, ?, ?, ?)",
                 (version_id, d.finding_id, d.decision, d.replacement, d.actor, d.at))


def terms(conn: Conn, review_row: int) -> list[DisclosureTerm]:
    return [DisclosureTerm(str(r["term"]), str(r["actor"]), str(r["at"])) for r in conn.execute(
        "SELECT term, actor, at FROM disclosure_terms WHERE review_id = ? ORDER BY id",
        (review_row,))]


def set_term(conn: Conn, review_row: int, term: DisclosureTerm, present: bool) -> bool:
    key = term.term.casefold()
    there = conn.one("SELECT id FROM disclosure_terms WHERE review_id = ? AND term_key = ?",
                     (review_row, key))
    if present == (there is not None):
        return False
    if present:
        conn.execute("INSERT INTO disclosure_terms (review_id, term, term_key, actor, at) "
                     "VALUES (?, ?, ?, ?, ?)", (review_row, term.term, key, term.actor, term.at))
    else:
        conn.execute("DELETE FROM disclosure_terms WHERE review_id = ? AND term_key = ?",
                     (review_row, key))
    return True
