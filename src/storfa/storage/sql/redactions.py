"""A version's redaction spans and redacted passages (migration 0018_redactions)
in portable SQL, for SQLStore. The rule that computes them is
storfa.disclosure.redaction; this only stores them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from storfa.storage.sql.adapter import Conn

Span = tuple[int, int, str]
# (the original words, their replacement, the finding's type; "" when unknown)
Word = tuple[str, str, str]


def spans(conn: Conn, version_id: int) -> list[Span]:
    return [(int(r["start"]), int(r["end"]), str(r["replacement"])) for r in conn.execute(
        'SELECT start, "end", replacement FROM redaction_spans WHERE version_id = ? '
        "ORDER BY start", (version_id,))]


def replace(conn: Conn, dialect: str, version_id: int, new_spans: Sequence[Span],
            texts: Mapping[int, str],
            sections: Mapping[int, tuple[str, str]] | None = None,
            types: Mapping[int, str] | None = None) -> list[int]:
    """Store the version's spans and redacted passage texts in place of the old
    ones; returns the passages whose searchable text changed (redacted, no
    longer redacted, or redacted differently). `sections` holds, for passages
    under a redacted heading, (their text as published, their section as
    published) (migration 0027): the section is searchable too. `types` holds
    each span's finding type by its start (migration 0028)."""
    rows: dict[int, tuple[str, str | None]] = {pid: (t, None) for pid, t in texts.items()}
    for pid, (text, section) in (sections or {}).items():
        rows[pid] = (texts.get(pid, text), section)
    old = {int(r["passage_id"]): (str(r["text"]), r["section"]) for r in conn.execute(
        "SELECT passage_id, text, section FROM redacted_passages WHERE version_id = ?",
        (version_id,))}
    changed = sorted(pid for pid in set(old) | set(rows) if old.get(pid) != rows.get(pid))
    conn.execute("DELETE FROM redaction_spans WHERE version_id = ?", (version_id,))
    kinds = types or {}
    conn.executemany('INSERT INTO redaction_spans (version_id, start, "end", replacement, '
                     "finding_type) VALUES (?, ?, ?, ?, ?)",
                     [(version_id, a, b, r, kinds.get(a, "")) for a, b, r in new_spans])
    conn.execute("DELETE FROM redacted_passages WHERE version_id = ?", (version_id,))
    conn.executemany("INSERT INTO redacted_passages (passage_id, version_id, text, section) "
                     "VALUES (?, ?, ?, ?)",
                     [(pid, version_id, t, sec) for pid, (t, sec) in rows.items()])
    reworded = changed
    if changed and (sections or any(sec is not None for _, sec in old.values())):
        # Only a changed text needs a new vector, not a changed section.
        marks = ",".join("?" * len(changed))
        original = {int(r["id"]): str(r["text"]) for r in conn.execute(
            f"SELECT id, text FROM passages WHERE id IN ({marks})", changed)}
        reworded = [pid for pid in changed if (old[pid][0] if pid in old else original.get(pid))
                    != (rows[pid][0] if pid in rows else original.get(pid))]
    if reworded:
        # A vector of the unredacted words would still find the passage by
        # meaning: drop it, and the embedder re-embeds the redacted text.
        marks = ",".join("?" * len(reworded))
        conn.execute(f"DELETE FROM passage_vectors WHERE passage_id IN ({marks})", reworded)
    if changed:
        marks = ",".join("?" * len(changed))
        if dialect == "postgresql":
            # PostgreSQL full-text search re-analyses NULL lexemes on its next sync.
            conn.execute(f"UPDATE passages SET lexemes = NULL WHERE id IN ({marks})", changed)
    return changed


def words(conn: Conn, version_ids: Sequence[int]) -> dict[int, list[Word]]:
    """Each version's redacted words as (the original words, their
    replacement, the finding's type), in text order: what a title, a
    recommendation or a Word file, which carry no offsets into the text, must
    not hold."""
    out: dict[int, list[Word]] = {}
    for at in range(0, len(version_ids), 500):
        chunk = list(version_ids[at:at + 500])
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(
                'SELECT s.version_id, substr(v.text, s.start + 1, s."end" - s.start) AS original, '
                "s.replacement, s.finding_type FROM redaction_spans s JOIN review_versions v "
                f"ON v.id = s.version_id WHERE s.version_id IN ({marks}) "
                "ORDER BY s.version_id, s.start", chunk):
            out.setdefault(int(r["version_id"]), []).append(
                (str(r["original"] or ""), str(r["replacement"]), str(r["finding_type"] or "")))
    return out


def current_words(conn: Conn) -> dict[int, tuple[int, list[Word]]]:
    """For every review whose current version has redactions: its row ->
    (the version, its redacted words as `words` gives them)."""
    # From the redacted versions to their reviews: the other way round probed
    # every review on every search page (0.17 ms at 2,500 reviews, against
    # 0.008 ms, when nothing is redacted; growing with the repository).
    current = {int(r["version_id"]): int(r["id"]) for r in conn.execute(
        "SELECT r.id, r.current_version_id AS version_id FROM reviews r "
        "WHERE r.current_version_id IN (SELECT version_id FROM redaction_spans)")}
    found = words(conn, sorted(current))
    return {current[v]: (v, pairs) for v, pairs in found.items()}
