"""Stored codebooks (migration 0012_codebooks) in SQL, and the extract and
memo queries that codebook changes and REFI-QDA import need.

A stored codebook is a whole copy: its codes in `codebook_codes` (parent by
id, order by seq) and its history in `codebook_changes`. Code names are
unique per codebook ignoring case and spacing (`name_key`). Extracts name
their code and theme by name, so a rename or a merge rewrites them in the
same transaction as the codebook change."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from storfa.clock import utc_now
from storfa.domain.codebooks import (
    Change,
    Code,
    Codebook,
    CodeFields,
    StoredInfo,
    code_key,
    fields_of,
)
from storfa.domain.coding import ACCEPTED, MANUAL, REJECTED, NewExtract
from storfa.storage.sql.adapter import Conn, Database, Row


class SQLCodebooks:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ------------------------------------------------------------- reading
    def infos(self) -> list[StoredInfo]:
        with self.db.read() as conn:
            return [StoredInfo(str(r["name"]), str(r["title"]), r["based_on"],
                               str(r["created_by"]), str(r["created_at"]))
                    for r in conn.execute("SELECT * FROM codebooks ORDER BY name")]

    def load(self, name: str) -> Codebook | None:
        with self.db.read() as conn:
            book = conn.one("SELECT * FROM codebooks WHERE name = ?", (name,))
            if book is None:
                return None
            rows = list(conn.execute("SELECT * FROM codebook_codes WHERE codebook_id = ? "
                                     "ORDER BY seq, id", (book["id"],)))
        kids: dict[int | None, list[Row]] = {}
        for row in rows:
            kids.setdefault(row["parent_id"], []).append(row)

        def node(row: Row) -> dict[str, Any]:
            return {"name": row["name"], "description": row["description"],
                    "colour": row["colour"], "terms": json.loads(row["terms"]),
                    "best_practice": bool(row["best_practice"]),
                    "retired": bool(row["retired"]), "merged_into": row["merged_into"],
                    "children": [node(k) for k in kids.get(int(row["id"]), [])]}

        return Codebook.from_dict({
            "name": book["name"], "title": book["title"], "description": book["description"],
            "terms": json.loads(book["terms"]), "best_practice": bool(book["best_practice"]),
            "codes": [node(r) for r in kids.get(None, [])]})

    def history(self, name: str, limit: int = 500) -> list[Change]:
        with self.db.read() as conn:
            return [Change(int(r["id"]), name, r["code"], str(r["action"]), str(r["actor"]),
                           str(r["at"]), json.loads(r["detail"]))
                    for r in conn.execute(
                        "SELECT c.* FROM codebook_changes c JOIN codebooks b "
                        "ON b.id = c.codebook_id WHERE b.name = ? ORDER BY c.id DESC LIMIT ?",
                        (name, limit))]

    # ------------------------------------------------------------- writing
    def create(self, book: Codebook, based_on: str | None, actor: str,
               detail: dict[str, Any]) -> None:
        """Store a whole codebook (a new one, a copy of a built-in or an import)."""
        now = utc_now()
        with self.db.write() as conn:
            book_id = conn.insert(
                "INSERT INTO codebooks (name, title, description, terms, best_practice, "
                "based_on, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (book.name, book.title, book.description, json.dumps(list(book.terms)),
                 int(book.best_practice), based_on, actor, now))
            ids: dict[str, int] = {}
            for seq, code in enumerate(book.codes):
                parent = ids[code_key(code.parent)] if code.parent else None
                ids[code_key(code.name)] = self._insert_code(conn, book_id, parent, seq,
                                                         fields_of(code))
            self._log(conn, book_id, None, "create", actor, now, detail)

    def add_code(self, codebook: str, parent: str | None, fields: CodeFields,
                 actor: str) -> None:
        now = utc_now()
        with self.db.write() as conn:
            book_id = self._book_id(conn, codebook)
            parent_id = None if parent is None else self._code_id(conn, book_id, parent)
            row = conn.one("SELECT MAX(seq) AS top FROM codebook_codes WHERE codebook_id = ?",
                           (book_id,))
            seq = 0 if row is None or row["top"] is None else int(row["top"]) + 1
            self._insert_code(conn, book_id, parent_id, seq, fields)
            self._log(conn, book_id, fields.name, "add-code", actor, now,
                      {"parent": parent, "description": fields.description,
                       "colour": fields.colour, "terms": list(fields.terms)})

    def update_code(self, codebook: str, code: Code, new: CodeFields, theme_of: dict[str, str],
                    action: str, actor: str, detail: dict[str, Any]) -> int:
        """Write a code's new fields. A rename renames it in the extracts, and
        in the theme of its sub-codes' extracts (`theme_of` maps each code of
        the codebook after the change to its theme). Returns extracts touched."""
        now = utc_now()
        touched = 0
        with self.db.write() as conn:
            book_id = self._book_id(conn, codebook)
            code_id = self._code_id(conn, book_id, code.name)
            conn.execute(
                "UPDATE codebook_codes SET name = ?, name_key = ?, description = ?, colour = ?, "
                "terms = ?, best_practice = ?, retired = ?, merged_into = ? WHERE id = ?",
                (new.name, code_key(new.name), new.description, new.colour,
                 json.dumps(list(new.terms)), int(new.best_practice), int(new.retired),
                 new.merged_into, code_id))
            if new.name != code.name:
                conn.execute("UPDATE codebook_codes SET merged_into = ? WHERE codebook_id = ? "
                             "AND merged_into = ?", (new.name, book_id, code.name))
                touched = self._rename_in_extracts(conn, codebook, code.name, new.name,
                                                   theme_of)
            self._log(conn, book_id, code.name, action, actor, now, detail)
        return touched

    def merge(self, codebook: str, source: Code, target: Code, actor: str) -> int:
        """Re-point `source`'s extracts to `target` and retire `source` with
        merged_into; returns how many extracts moved."""
        now = utc_now()
        with self.db.write() as conn:
            book_id = self._book_id(conn, codebook)
            moved = _count(conn, "SELECT COUNT(*) AS n FROM extracts WHERE codebook = ? "
                                 "AND code = ?", (codebook, source.name))
            conn.execute("UPDATE extracts SET code = ?, theme = ? WHERE codebook = ? "
                         "AND code = ?", (target.name, target.theme, codebook, source.name))
            conn.execute("UPDATE codebook_codes SET retired = 1, merged_into = ? WHERE id = ?",
                         (target.name, self._code_id(conn, book_id, source.name)))
            # Codes merged earlier into the source now lead to the target.
            conn.execute("UPDATE codebook_codes SET merged_into = ? WHERE codebook_id = ? "
                         "AND merged_into = ?", (target.name, book_id, source.name))
            self._log(conn, book_id, source.name, "merge", actor, now,
                      {"into": target.name, "extracts": moved})
        return moved

    def _rename_in_extracts(self, conn: Conn, codebook: str, old: str, new: str,
                            theme_of: dict[str, str]) -> int:
        touched = _count(conn, "SELECT COUNT(*) AS n FROM extracts WHERE codebook = ? AND "
                               "(code = ? OR theme = ?)", (codebook, old, old))
        conn.execute("UPDATE extracts SET code = ?, theme = ? WHERE codebook = ? AND code = ?",
                     (new, theme_of.get(new, new), codebook, old))
        conn.execute("UPDATE extracts SET theme = ? WHERE codebook = ? AND theme = ?",
                     (new, codebook, old))
        return touched

    def _insert_code(self, conn: Conn, book_id: int, parent_id: int | None, seq: int,
                     f: CodeFields) -> int:
        return conn.insert(
            "INSERT INTO codebook_codes (codebook_id, parent_id, seq, name, name_key, "
            "description, colour, terms, best_practice, retired, merged_into) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (book_id, parent_id, seq, f.name, code_key(f.name), f.description, f.colour,
             json.dumps(list(f.terms)), int(f.best_practice), int(f.retired), f.merged_into))

    def _book_id(self, conn: Conn, name: str) -> int:
        row = conn.one("SELECT id FROM codebooks WHERE name = ?", (name,))
        if row is None:  # the service stores a codebook before changing it
            raise LookupError(f"codebook {name!r} is not stored")
        return int(row["id"])

    def _code_id(self, conn: Conn, book_id: int, name: str) -> int:
        row = conn.one("SELECT id FROM codebook_codes WHERE codebook_id = ? AND name_key = ?",
                       (book_id, code_key(name)))
        if row is None:
            raise LookupError(f"code {name!r} is not stored")
        return int(row["id"])

    def _log(self, conn: Conn, book_id: int, code: str | None, action: str, actor: str,
             at: str, detail: dict[str, Any]) -> None:
        conn.insert("INSERT INTO codebook_changes (codebook_id, code, action, actor, at, detail)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (book_id, code, action, actor, at, json.dumps(detail, ensure_ascii=False)))

    # ------------------------------------------- extracts and memos (import)
    def versions(self, review_row: int) -> list[tuple[int, str]]:
        """(version id, full text) of every version of a review, newest first."""
        with self.db.read() as conn:
            return [(int(r["id"]), str(r["text"])) for r in conn.execute(
                "SELECT id, text FROM review_versions WHERE review_id = ? "
                "ORDER BY version DESC", (review_row,))]

    def import_extract(self, new: NewExtract, created_at: str) -> tuple[int, bool]:
        """An accepted manual extract from another tool, unless the same coder
        already has the same span with the same code: returns (id, added)."""
        with self.db.write() as conn:
            # The same coding: whoever made or accepted it (as the export names
            # the coder), not a suggestion that person rejected.
            old = conn.one(
                "SELECT id FROM extracts WHERE version_id = ? AND start_offset = ? AND "
                "end_offset = ? AND codebook = ? AND code = ? AND superseded = 0 AND "
                "COALESCE(decided_by, coder) = ? AND status <> ?",
                (new.version_id, new.start, new.end, new.codebook, new.code, new.coder,
                 REJECTED))
            if old is not None:
                return int(old["id"]), False
            new_id = conn.insert(
                "INSERT INTO extracts (review_id, version_id, passage_id, start_offset, "
                "end_offset, page, text, codebook, code, theme, coder, how, status, "
                "created_at, decided_by, decided_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (new.review_row, new.version_id, new.passage_id, new.start, new.end, new.page,
                 new.text, new.codebook, new.code, new.theme, new.coder, MANUAL, ACCEPTED,
                 created_at, new.coder, created_at))
        return new_id, True

    def import_memo(self, author: str, text: str, created_at: str,
                    extract_id: int | None = None, review_row: int | None = None) -> bool:
        """A memo from another tool, unless the same author's same text is
        already there; returns whether it was added."""
        column, target = ("extract_id", extract_id) if extract_id is not None \
            else ("review_id", review_row)
        with self.db.write() as conn:
            same = conn.one(f"SELECT id FROM memos WHERE {column} = ? AND author = ? "
                            "AND text = ?", (target, author, text))
            if same is not None:
                return False
            conn.insert("INSERT INTO memos (extract_id, review_id, author, text, created_at) "
                        "VALUES (?, ?, ?, ?, ?)", (extract_id, review_row, author, text,
                                                   created_at))
        return True


def _count(conn: Conn, sql: str, params: Sequence[Any]) -> int:
    row = conn.one(sql, params)
    return 0 if row is None else int(row["n"])
