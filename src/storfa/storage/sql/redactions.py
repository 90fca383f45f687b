"""A version's redaction spans and redacted passages (migration 0018_redactions)
in portable SQL, for SQLStore. The rule that computes them is
storfa.disclosure.redaction; this only stores them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from storfa.storage.sql.adapter import Conn

Span = tuple[int, int, str]


def spans(conn: Conn, version_id: int) -> list[Span]:
    return [(int(r["start"]), int(r["end"]), str(r["replacement"])) for r in conn.execute(
        'SELECT start, "end", replacement FROM redaction_spans WHERE version_id = ? '
        "ORDER BY start", (version_id,))]


def replace(conn: Conn, dialect: str, version_id: int, new_spans: Sequence[Span],
            texts: Mapping[int, str]) -> list[int]:
    """Store the version's spans and redacted passage texts in place of the old
    ones; returns the passages whose searchable text changed (redacted, no
    longer redacted, or redacted differently)."""
    old = {int(r["passage_id"]): str(r["text"]) for r in conn.execute(
        "SELECT passage_id, text FROM redacted_passages WHERE version_id = ?", (version_id,))}
    changed = sorted(pid for pid in set(old) | set(texts) if old.get(pid) != texts.get(pid))
    conn.execute("DELETE FROM redaction_spans WHERE version_id = ?", (version_id,))
    conn.executemany('INSERT INTO redaction_spans (version_id, start, "end", replacement) '
                     "VALUES (?, ?, ?, ?)", [(version_id, a, b, r) for a, b, r in new_spans])
    conn.execute("DELETE FROM redacted_passages WHERE version_id = ?", (version_id,))
    conn.executemany("INSERT INTO redacted_passages (passage_id, version_id, text) "
                     "VALUES (?, ?, ?)", [(pid, version_id, t) for pid, t in texts.items()])
    if changed:
        marks = ",".join("?" * len(changed))
        # A vector of the unredacted words would still find the passage by
        # meaning: drop it, and the embedder re-embeds the redacted text.
        conn.execute(f"DELETE FROM passage_vectors WHERE passage_id IN ({marks})", changed)
        if dialect == "postgresql":
            # PostgreSQL full-text search re-analyses NULL lexemes on its next sync.
            conn.execute(f"UPDATE passages SET lexemes = NULL WHERE id IN ({marks})", changed)
    return changed
