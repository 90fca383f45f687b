"""The storage interface in portable SQL: one implementation, two databases."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from storfa.clock import utc_now
from storfa.domain.accounts import ReviewAccess
from storfa.domain.audit import GENESIS, event_hash, first_broken_link
from storfa.domain.disclosure import DisclosureDecision, DisclosureTerm
from storfa.domain.documents import HEADING_LIKE_CHARS, reads_as_heading
from storfa.domain.errors import N_, StorfaError
from storfa.domain.ids import parse_review_id
from storfa.domain.reviews import (
    DATE_FIELDS,
    Evidence,
    IndexDoc,
    MetadataValue,
    NewVersion,
    Passage,
    PassageHit,
    ReviewRecord,
    ReviewSummary,
)
from storfa.storage.migrations.runner import apply_migrations, load_migrations
from storfa.storage.sql import disclosure as disclosure_sql
from storfa.storage.sql import redactions as redactions_sql
from storfa.storage.sql import renditions as renditions_sql
from storfa.storage.sql import upload_access as upload_access_sql
from storfa.storage.sql.adapter import Conn, Database, Row
from storfa.storage.sql.assurance_store import AssuranceStore

if TYPE_CHECKING:
    from storfa.storage.transfer import Reporter

# Columns of `reviews` that mirror the current metadata value of the same name.
_REVIEW_COLUMNS = ("type", "identifier", "title", "board", "variant", "language")
# An editor's correction beats an option given at ingest, which beats the parser.
_SOURCE_RANK = {"editor": 3, "option": 2, "parsed": 1}
# Search, snippets and embeddings read a passage's published rendition: its
# redacted text where disclosure decisions redact it (disclosure/redaction.py).
_REDACTED = "LEFT JOIN redacted_passages x ON x.passage_id = p.id"


def _year(values: dict[str, str]) -> int | None:
    ident = values.get("identifier")
    if ident and (year := parse_review_id(ident).year):
        return year
    for name in ("publication", "sign_off"):
        if values.get(name):
            return int(values[name][:4])
    return None


class DuplicateFile(Exception):
    """The same bytes were stored by another process while this one parsed them."""

    def __init__(self, review_key: str) -> None:
        super().__init__(review_key)
        self.review_key = review_key


class SQLStore(AssuranceStore):  # assurance methods: storage/sql/assurance_store.py
    def __init__(self, db: Database) -> None:
        self.db = db
        self.dialect = db.dialect
        self.migrate()

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------ schema
    def migrate(self, reporter: Reporter | None = None) -> list[str]:
        """Apply pending migrations (storage/migrations/runner.py: a batched
        back-fill reports its progress to `reporter`)."""
        return apply_migrations(self.db, load_migrations(self.dialect), reporter)

    def schema_version(self) -> int:
        with self.db.read() as conn:
            row = conn.one("SELECT MAX(version) AS v FROM schema_migrations")
        return int(row["v"] or 0) if row else 0

    # ------------------------------------------------------------------ ingest
    def _find_by_sha256(self, conn: Conn, sha256: str) -> str | None:
        row = conn.one(
            "SELECT r.review_key FROM source_files s "
            "JOIN review_versions v ON v.source_file_id = s.id "
            "JOIN reviews r ON r.id = v.review_id WHERE s.sha256 = ? UNION ALL "
            "SELECT r.review_key FROM source_files s "  # a rendition's file (0020)
            "JOIN renditions n ON n.source_file_id = s.id "
            "JOIN review_versions v ON v.id = n.version_id "
            "JOIN reviews r ON r.id = v.review_id WHERE s.sha256 = ? LIMIT 1", (sha256, sha256))
        return str(row["review_key"]) if row else None

    def find_by_sha256(self, sha256: str) -> str | None:
        with self.db.read() as conn:
            return self._find_by_sha256(conn, sha256)

    def review_language(self, review_key: str) -> str | None:
        with self.db.read() as conn:
            row = conn.one("SELECT language FROM reviews WHERE review_key = ?", (review_key,))
        return str(row["language"]) if row else None

    def add_version(self, new: NewVersion) -> tuple[str, int]:
        now = utc_now()
        with self.db.write() as conn:
            # A second process may have stored the same bytes while we parsed.
            existing = self._find_by_sha256(conn, new.sha256)
            if existing:
                raise DuplicateFile(existing)
            source_id = conn.insert(
                "INSERT INTO source_files (sha256, original_name, format, size, stored_path, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (new.sha256, new.original_name, new.format, new.size, new.stored_path, now))
            row = conn.one("SELECT id FROM reviews WHERE review_key = ?", (new.review_key,))
            review_id = int(row["id"]) if row else conn.insert(
                "INSERT INTO reviews (review_key, language, created_at, updated_at) "
                "VALUES (?, ?, ?, ?)", (new.review_key, new.language, now, now))
            # A web or API upload's access, before anything can read the review.
            access = None if new.access is None else upload_access_sql.apply(
                conn, review_id, row is None, new.access, new.actor, now)
            last = conn.one("SELECT COALESCE(MAX(version), 0) AS v FROM review_versions "
                            "WHERE review_id = ?", (review_id,))
            version = int(last["v"] if last else 0) + 1
            version_id = conn.insert(
                "INSERT INTO review_versions (review_id, version, source_file_id, page_count, "
                "text, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (review_id, version, source_id, new.page_count, new.text, now))
            self._insert_pages(conn, version_id, new)
            self._insert_passages(conn, version_id, new.passages)
            if new.renditions_from is not None:
                renditions_sql.carry(conn, new.renditions_from, version_id, now)
            conn.execute("UPDATE metadata_values SET superseded = 1 "
                         "WHERE review_id = ? AND source <> 'editor'", (review_id,))
            for value in new.metadata:
                self._insert_metadata(conn, review_id, version_id, value, new.actor, now)
            self._refresh_review_columns(conn, review_id, version_id, now)
            if new.link_key:
                self._link(conn, review_id, new.link_key)
            self._log_for_index(conn, [review_id], now)
            detail: dict[str, Any] = {"version": version, "sha256": new.sha256,
                                      "file": new.original_name}
            if access is not None:
                detail["access"] = {"level": access.level.value,
                                    "organisations": sorted(access.organisations)}
            self._audit(conn, new.actor, "ingest", "review", new.review_key, detail)
        return new.review_key, version

    def _insert_pages(self, conn: Conn, version_id: int, new: NewVersion) -> None:
        ocr = set(new.ocr_pages)
        conn.executemany(
            "INSERT INTO pages (version_id, number, ocr, furniture) VALUES (?, ?, ?, ?)",
            [(version_id, n, int(n in ocr), json.dumps(new.furniture.get(n, [])))
             for n in range(1, new.page_count + 1)])

    def _insert_passages(self, conn: Conn, version_id: int, passages: Sequence[Passage]) -> None:
        conn.executemany(
            'INSERT INTO passages (version_id, seq, page, section, kind, text, start, "end", '
            "language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(version_id, p.seq, p.page, p.section, p.kind, p.text, p.start, p.end, p.language)
             for p in passages])
        conn.executemany(
            "INSERT INTO sections (version_id, seq, heading, level, path, page, start) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(version_id, p.seq, p.text, p.section.count(" > ") + 1, p.section, p.page, p.start)
             for p in passages if p.kind == "heading"])

    def _insert_metadata(self, conn: Conn, review_id: int, version_id: int | None,
                         value: MetadataValue, actor: str, now: str) -> None:
        ev = value.evidence
        conn.execute(
            "INSERT INTO metadata_values (review_id, version_id, field, value, source, "
            "confidence, evidence_start, evidence_end, evidence_text, evidence_page, created_by, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (review_id, version_id, value.field, value.value, value.source, value.confidence,
             ev.start if ev else None, ev.end if ev else None, ev.text if ev else None,
             ev.page if ev else None, actor, now))

    def _current_values(self, conn: Conn, review_id: int) -> dict[str, str]:
        best: dict[str, tuple[int, int, str]] = {}
        for row in conn.execute(
                "SELECT id, field, value, source FROM metadata_values "
                "WHERE review_id = ? AND superseded = 0", (review_id,)):
            key = (_SOURCE_RANK.get(row["source"], 0), int(row["id"]), str(row["value"]))
            if row["field"] not in best or key > best[row["field"]]:
                best[row["field"]] = key
        return {name: v[2] for name, v in best.items()}

    def _refresh_review_columns(self, conn: Conn, review_id: int, version_id: int | None,
                                now: str) -> None:
        values = self._current_values(conn, review_id)
        columns: dict[str, Any] = {c: values.get(c) for c in _REVIEW_COLUMNS}
        columns["language"] = values.get("language") or "en"
        columns["year"] = _year(values)
        columns["updated_at"] = now
        if version_id is not None:
            columns["current_version_id"] = version_id
        sets = ", ".join(f"{c} = ?" for c in columns)
        conn.execute(f"UPDATE reviews SET {sets} WHERE id = ?", [*columns.values(), review_id])

    def _link(self, conn: Conn, review_id: int, other_key: str) -> None:
        other = conn.one("SELECT id FROM reviews WHERE review_key = ?", (other_key,))
        if other:
            conn.execute("UPDATE reviews SET linked_review_id = ? WHERE id = ?",
                         (other["id"], review_id))
            conn.execute("UPDATE reviews SET linked_review_id = ? WHERE id = ?",
                         (review_id, other["id"]))

    # ----------------------------------------------------------------- reading
    _SUMMARY_SQL = (
        "SELECT r.*, v.page_count, v.version, l.review_key AS linked_key FROM reviews r "
        "LEFT JOIN review_versions v ON v.id = r.current_version_id "
        "LEFT JOIN reviews l ON l.id = r.linked_review_id ")

    def _summary(self, conn: Conn, row: Row) -> ReviewSummary:
        values = self._current_values(conn, int(row["id"]))
        return ReviewSummary(
            review_id=row["review_key"], type=row["type"], title=row["title"],
            board=row["board"], year=row["year"], language=row["language"],
            pages=int(row["page_count"] or 0),
            dates={name: values.get(name) for name in DATE_FIELDS},
            identifier=row["identifier"], variant=row["variant"],
            version=int(row["version"] or 1), linked=row["linked_key"])

    def list_reviews(self, type: str | None = None) -> list[ReviewSummary]:
        sql, params = self._SUMMARY_SQL, []
        if type:
            sql += "WHERE lower(r.type) = lower(?) "
            params.append(type)
        sql += "ORDER BY r.year IS NULL, r.year, r.review_key"
        with self.db.read() as conn:
            return [self._summary(conn, row) for row in list(conn.execute(sql, params))]

    def get_review(self, review_key: str) -> ReviewRecord | None:
        with self.db.read() as conn:
            row = conn.one(self._SUMMARY_SQL + "WHERE lower(r.review_key) = lower(?)",
                           (review_key,))
            if row is None:
                return None
            src = conn.one(
                "SELECT s.* FROM source_files s JOIN review_versions v "
                "ON v.source_file_id = s.id WHERE v.id = ?", (row["current_version_id"],))
            assert src is not None  # every review has a current version
            metadata = [
                MetadataValue(
                    field=m["field"], value=m["value"], source=m["source"],
                    confidence=m["confidence"],
                    evidence=Evidence(m["evidence_start"], m["evidence_end"],
                                      m["evidence_text"], m["evidence_page"])
                    if m["evidence_text"] is not None else None)
                for m in conn.execute(
                    "SELECT * FROM metadata_values WHERE review_id = ? AND superseded = 0 "
                    "ORDER BY field, id", (row["id"],))]
            return ReviewRecord(
                id=int(row["id"]), summary=self._summary(conn, row),
                version_id=int(row["current_version_id"]), metadata=metadata,
                source_name=src["original_name"], source_sha256=src["sha256"],
                source_path=src["stored_path"], format=src["format"])

    def passages(self, version_id: int, page: int | None = None) -> list[Passage]:
        sql, params = "SELECT * FROM passages WHERE version_id = ?", [version_id]
        if page is not None:
            sql += " AND page = ?"
            params.append(page)
        with self.db.read() as conn:
            return [Passage(seq=r["seq"], page=r["page"], section=r["section"], kind=r["kind"],
                            text=r["text"], start=r["start"], end=r["end"],
                            language=r["language"], id=r["id"])
                    for r in conn.execute(sql + " ORDER BY seq", params)]

    def passage_hits(self, passage_ids: Sequence[int]) -> dict[int, PassageHit]:
        if not passage_ids:
            return {}
        marks = ",".join("?" * len(passage_ids))
        with self.db.read() as conn:
            rows = list(conn.execute(
                "SELECT p.id, p.page, COALESCE(x.section, p.section) AS section, "
                "COALESCE(x.text, p.text) AS text, p.start, "
                "r.review_key, r.type, r.board, r.year, r.title FROM passages p JOIN reviews r "
                f"ON r.current_version_id = p.version_id {_REDACTED} WHERE p.id IN ({marks})",
                list(passage_ids)))
        return {int(r["id"]): PassageHit(
            passage_id=int(r["id"]), review_key=r["review_key"], page=r["page"],
            section=r["section"], text=r["text"], type=r["type"], board=r["board"],
            year=r["year"], title=r["title"], start=r["start"]) for r in rows}

    def headings(self, passage_ids: Sequence[int]) -> set[int]:
        if not passage_ids:
            return set()
        marks = ",".join("?" * len(passage_ids))
        with self.db.read() as conn:
            # Only headings and short paragraphs can read as one: the rest of
            # the passages' text is not fetched.
            rows = conn.execute(
                "SELECT id, kind, text FROM passages WHERE (kind = 'heading' OR "
                f"(kind = 'paragraph' AND length(text) <= ?)) AND id IN ({marks})",
                [HEADING_LIKE_CHARS, *passage_ids])
            return {int(r["id"]) for r in rows if reads_as_heading(r["kind"], r["text"])}

    # ----------------------------------------------------------------- editing
    def set_metadata(self, review_key: str, field: str, value: str, actor: str) -> None:
        now = utc_now()
        with self.db.write() as conn:
            row = conn.one("SELECT id FROM reviews WHERE lower(review_key) = lower(?)",
                           (review_key,))
            if row is None:
                raise StorfaError(N_("No review called {key!r}."), key=review_key)
            review_id = int(row["id"])
            old = self._current_values(conn, review_id).get(field)
            conn.execute("UPDATE metadata_values SET superseded = 1 "
                         "WHERE review_id = ? AND field = ? AND source = 'editor'",
                         (review_id, field))
            self._insert_metadata(conn, review_id, None,
                                  MetadataValue(field, value, source="editor"), actor, now)
            self._refresh_review_columns(conn, review_id, None, now)
            self._log_for_index(conn, [review_id], now)
            self._audit(conn, actor, "set_metadata", "review", review_key,
                        {"field": field, "old": old, "new": value})

    # ---------------------------------------------------- disclosure decisions
    def disclosure_decisions(self, version_id: int) -> list[DisclosureDecision]:
        with self.db.read() as conn:
            return disclosure_sql.decisions(conn, version_id)

    def decide_finding(self, version_id: int, review_key: str, decision: DisclosureDecision,
                       audit: dict[str, Any]) -> None:
        with self.db.write() as conn:
            disclosure_sql.decide(conn, version_id, decision)
            self._audit(conn, decision.actor, "disclosure.decide", "review", review_key, audit)

    def disclosure_terms(self, review_row: int) -> list[DisclosureTerm]:
        with self.db.read() as conn:
            return disclosure_sql.terms(conn, review_row)

    def set_disclosure_term(self, review_row: int, review_key: str, term: DisclosureTerm,
                            present: bool, audit: dict[str, Any]) -> bool:
        with self.db.write() as conn:
            changed = disclosure_sql.set_term(conn, review_row, term, present)
            if changed:
                self._audit(conn, term.actor, "disclosure.term.add" if present
                            else "disclosure.term.remove", "review", review_key, audit)
        return changed

    # ------------------------------------------ redaction (issue 19 item 3)
    def redaction_spans(self, version_id: int) -> list[tuple[int, int, str]]:
        with self.db.read() as conn:
            return redactions_sql.spans(conn, version_id)

    def set_redactions(self, version_id: int, review_row: int,
                       spans: Sequence[tuple[int, int, str]],
                       texts: dict[int, str],
                       sections: dict[int, tuple[str, str]] | None = None,
                       types: dict[int, str] | None = None) -> list[int]:
        with self.db.write() as conn:
            changed = redactions_sql.replace(conn, self.dialect, version_id, spans, texts,
                                             sections, types)
            if changed:  # the search index rebuilds the review's documents
                self._log_for_index(conn, [review_row], utc_now())
        return changed

    def redaction_words(self, version_ids: Sequence[int]
                        ) -> dict[int, list[tuple[str, str, str]]]:
        with self.db.read() as conn:
            return redactions_sql.words(conn, list(version_ids))

    def current_redaction_words(self) -> dict[int, list[tuple[str, str, str]]]:
        with self.db.read() as conn:
            return {row: words for row, (_, words) in redactions_sql.current_words(conn).items()}

    def review_access_of(self, review_key: str) -> ReviewAccess | None:
        return upload_access_sql.access_of(self.db, review_key)

    # --------------------------------------------------------------- index log
    def _log_for_index(self, conn: Conn, review_rows: Sequence[int], now: str) -> None:
        conn.executemany("INSERT INTO index_log (review_id, created_at) VALUES (?, ?)",
                         [(r, now) for r in review_rows])

    def index_work_after(self, log_id: int) -> list[tuple[int, int]]:
        with self.db.read() as conn:
            return [(int(r["id"]), int(r["review_id"])) for r in conn.execute(
                "SELECT id, review_id FROM index_log WHERE id > ? ORDER BY id", (log_id,))]

    def index_docs(self, review_rows: Sequence[int]) -> Iterator[IndexDoc]:
        for review_row in review_rows:
            with self.db.read() as conn:
                rows = list(conn.execute(
                    "SELECT p.id, COALESCE(x.section, p.section) AS section, "
                    "COALESCE(x.text, p.text) AS text, p.language, "
                    "r.id AS rid, r.review_key, r.type, r.board, r.year FROM reviews r "
                    f"JOIN passages p ON p.version_id = r.current_version_id {_REDACTED} "
                    "WHERE r.id = ? ORDER BY p.seq",
                    (review_row,)))
            for r in rows:
                yield IndexDoc(
                    passage_id=int(r["id"]), review_row=int(r["rid"]),
                    review_key=r["review_key"], type=r["type"] or "", board=r["board"] or "",
                    year=r["year"], language=r["language"], section=r["section"],
                    text=r["text"])

    def review_keys(self) -> dict[int, str]:
        with self.db.read() as conn:
            return {int(r["id"]): str(r["review_key"])
                    for r in conn.execute("SELECT id, review_key FROM reviews")}

    def passage_counts(self) -> dict[int, int]:
        with self.db.read() as conn:
            return {int(r["id"]): int(r["n"]) for r in conn.execute(
                "SELECT r.id, COUNT(p.id) AS n FROM reviews r LEFT JOIN passages p "
                "ON p.version_id = r.current_version_id GROUP BY r.id")}

    # ----------------------------------------------------------------- vectors
    def put_vectors(self, model: str, dim: int, items: Sequence[tuple[int, bytes]]) -> None:
        with self.db.write() as conn:
            conn.executemany(
                "INSERT INTO passage_vectors (passage_id, model, dim, vector) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (passage_id, model) DO UPDATE SET dim = excluded.dim, "
                "vector = excluded.vector",
                [(pid, model, dim, vec) for pid, vec in items])

    def current_vectors(self, model: str) -> list[tuple[int, bytes]]:
        """Vectors of the passages of every review's current version."""
        with self.db.read() as conn:
            return [(int(r["passage_id"]), bytes(r["vector"])) for r in conn.execute(
                "SELECT v.passage_id, v.vector FROM passage_vectors v "
                "JOIN passages p ON p.id = v.passage_id "
                "JOIN reviews r ON r.current_version_id = p.version_id "
                "WHERE v.model = ? ORDER BY v.passage_id", (model,))]

    def vectors_of(self, passage_ids: Sequence[int], model: str) -> dict[int, bytes]:
        """Stored vectors of these passages, by passage id: a few rows at a time,
        where current_vectors loads every current passage at once."""
        found: dict[int, bytes] = {}
        ids = list(passage_ids)
        with self.db.read() as conn:
            for at in range(0, len(ids), 500):
                chunk = ids[at:at + 500]
                marks = ",".join("?" * len(chunk))
                found.update((int(r["passage_id"]), bytes(r["vector"])) for r in conn.execute(
                    "SELECT passage_id, vector FROM passage_vectors WHERE model = ? "
                    f"AND passage_id IN ({marks})", [model, *chunk]))
        return found

    def passages_missing_vectors(self, model: str, limit: int) -> list[tuple[int, str]]:
        with self.db.read() as conn:
            return [(int(r["id"]), str(r["text"])) for r in conn.execute(
                "SELECT p.id, COALESCE(x.text, p.text) AS text FROM passages p "
                f"JOIN reviews r ON r.current_version_id = p.version_id {_REDACTED} "
                "WHERE NOT EXISTS (SELECT 1 FROM passage_vectors v "
                "WHERE v.passage_id = p.id AND v.model = ?) ORDER BY p.id LIMIT ?",
                (model, limit))]

    def count_passages_missing_vectors(self, model: str) -> int:
        with self.db.read() as conn:
            row = conn.one(
                "SELECT COUNT(*) AS n FROM passages p "
                "JOIN reviews r ON r.current_version_id = p.version_id "
                "WHERE NOT EXISTS (SELECT 1 FROM passage_vectors v "
                "WHERE v.passage_id = p.id AND v.model = ?)", (model,))
        return int(row["n"]) if row else 0

    def current_vectors_by_review(self, model: str) -> list[tuple[int, int, bytes]]:
        with self.db.read() as conn:
            return [(int(r["passage_id"]), int(r["review_id"]), bytes(r["vector"]))
                    for r in conn.execute(
                "SELECT v.passage_id, r.id AS review_id, v.vector FROM passage_vectors v "
                "JOIN passages p ON p.id = v.passage_id "
                "JOIN reviews r ON r.current_version_id = p.version_id "
                "WHERE v.model = ? ORDER BY r.id, v.passage_id", (model,))]

    def data_stamp(self) -> int:
        """Grows whenever reviews, versions or metadata change (the index log)."""
        with self.db.read() as conn:
            log = conn.one("SELECT MAX(id) AS n FROM index_log")
        return int(log["n"] or 0) if log else 0

    def vectors_stamp(self, model: str) -> tuple[int, int]:
        with self.db.read() as conn:
            log = conn.one("SELECT MAX(id) AS n FROM index_log")
            vec = conn.one("SELECT MAX(passage_id) AS n FROM passage_vectors WHERE model = ?",
                           (model,))
        return (int(log["n"] or 0) if log else 0, int(vec["n"] or 0) if vec else 0)

    # ------------------------------------------------------------ health, audit
    def integrity_problems(self) -> list[str]:
        problems = self.db.integrity_problems()
        with self.db.read() as conn:
            row = conn.one(
                "SELECT COUNT(*) AS n FROM reviews WHERE current_version_id IS NULL OR "
                "current_version_id NOT IN (SELECT id FROM review_versions)")
            if row and row["n"]:
                problems.append(f"{row['n']} review(s) without a current version")
        broken = self.audit_chain_break()
        if broken is not None:
            problems.append(f"audit log hash chain broken at event {broken}")
        return problems

    def _audit(self, conn: Conn, actor: str, action: str, object_type: str, object_id: str,
               detail: dict[str, Any] | None) -> None:
        row = conn.one("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
        prev = str(row["hash"]) if row else GENESIS
        at = utc_now()
        body = json.dumps(detail or {}, sort_keys=True)
        conn.execute(
            "INSERT INTO audit_log (at, actor, action, object_type, object_id, detail, "
            "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (at, actor, action, object_type, object_id, body, prev,
             event_hash(prev, at, actor, action, object_type, object_id, body)))

    def audit(self, actor: str, action: str, object_type: str, object_id: str,
              detail: dict[str, Any] | None = None) -> None:
        with self.db.write() as conn:
            self._audit(conn, actor, action, object_type, object_id, detail)

    def audit_in(self, conn: Conn, actor: str, action: str, object_type: str, object_id: str,
                 detail: dict[str, Any]) -> None:
        self._audit(conn, actor, action, object_type, object_id, detail)

    def audit_events(self, limit: int = 100, actor: str = "", action: str = "",
                     object_id: str = "", denied: bool = False) -> list[dict[str, Any]]:
        """Newest first. `actor` and `object_id` match anywhere (any case),
        `action` as a prefix (e.g. "review."), `denied` only refusals."""
        where, params = ["1 = 1"], []
        if actor:
            where.append("lower(actor) LIKE ?")
            params.append(f"%{actor.casefold()}%")
        if action:
            where.append("action LIKE ?")
            params.append(f"{action}%")
        if object_id:
            where.append("lower(object_id) LIKE ?")
            params.append(f"%{object_id.casefold()}%")
        if denied:  # details are written with json.dumps(sort_keys=True)
            where.append("detail LIKE ?")
            params.append('%"allowed": false%')
        with self.db.read() as conn:
            return [dict(r) for r in conn.execute(
                f"SELECT * FROM audit_log WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?",
                (*params, limit))]

    def audit_chain_break(self) -> int | None:
        """The id of the first event whose hash does not follow, or None."""
        with self.db.read() as conn:
            return first_broken_link(dict(r) for r in conn.execute(
                "SELECT * FROM audit_log ORDER BY id"))
