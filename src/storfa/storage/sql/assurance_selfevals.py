"""Self-evaluations (migration 0019_assurance_exercises) in portable SQL.

Each write appends its audit event in the same transaction (Store.audit_in).
A return's answers and files are append-only rows tagged with the return's
version, like the 12 Cs returns, so every earlier state is kept. Access is
decided in assurance/selfeval_service.py, not here."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from storfa.clock import utc_now
from storfa.domain.assurance import (
    SE_DESIGN,
    SE_OBJECT,
    SE_RETURN,
    SelfEval,
    SFile,
    SQuestion,
    SReturn,
    SSection,
    design_json,
)
from storfa.domain.errors import StorfaError
from storfa.storage.interface import Store
from storfa.storage.sql.adapter import Row

OBJECT, RETURN = SE_OBJECT, SE_RETURN
_SE = ("SELECT id, organisation_id, title, design, status, actor, created_at, updated_at "
       "FROM assurance_selfevals")
_RET = ("SELECT id, selfeval_id, organisation_id, status, version, created_at, updated_at, "
        "submitted_at, submitted_by FROM assurance_selfeval_returns")
_FILE = ("SELECT id, return_id, question_key, filename, media_type, size, sha256, actor, at "
         "FROM assurance_selfeval_files")


def _se(r: Row) -> SelfEval:
    sections = tuple(SSection(s["key"], s["title"], s["theme"],
                              tuple(SQuestion(q["key"], q["text"], q["kind"],
                                              tuple(q["options"])) for q in s["questions"]))
                     for s in json.loads(r["design"]))
    return SelfEval(int(r["id"]), int(r["organisation_id"]), str(r["title"]), sections,
                    str(r["status"]), str(r["actor"]), str(r["created_at"]),
                    str(r["updated_at"]))


def _ret(r: Row) -> SReturn:
    return SReturn(int(r["id"]), int(r["selfeval_id"]), int(r["organisation_id"]),
                   str(r["status"]), int(r["version"]), str(r["created_at"]),
                   str(r["updated_at"]), r["submitted_at"], r["submitted_by"])


def _file(r: Row) -> SFile:
    return SFile(int(r["id"]), int(r["return_id"]), str(r["question_key"]), str(r["filename"]),
                 str(r["media_type"]), int(r["size"]), str(r["sha256"]), str(r["actor"]),
                 str(r["at"]))


class SelfEvalStore:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def create(self, organisation_id: int, title: str, sections: Sequence[SSection],
               actor: str, audit: dict[str, Any]) -> int:
        now = utc_now()
        with self.db.write() as conn:
            made = conn.insert(
                "INSERT INTO assurance_selfevals (organisation_id, title, design, status, actor,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (organisation_id, title, json.dumps(design_json(sections), ensure_ascii=False),
                 SE_DESIGN, actor, now, now))
            self.store.audit_in(conn, actor, "assurance.selfeval.create", OBJECT, str(made),
                                {**audit, "organisation_id": organisation_id, "title": title})
        return made

    def set_design(self, selfeval_id: int, sections: Sequence[SSection], actor: str,
                   audit: dict[str, Any]) -> None:
        with self.db.write() as conn:
            row = conn.one("SELECT status FROM assurance_selfevals WHERE id = ?",
                           (selfeval_id,))
            if row is None or row["status"] != SE_DESIGN:  # checked again inside the write
                raise StorfaError("The self-evaluation has been sent; its design is fixed.")
            conn.execute("UPDATE assurance_selfevals SET design = ?, updated_at = ? WHERE id = ?",
                         (json.dumps(design_json(sections), ensure_ascii=False), utc_now(),
                          selfeval_id))
            self.store.audit_in(conn, actor, "assurance.selfeval.design", OBJECT,
                                str(selfeval_id), {**audit, "sections": len(sections)})

    def get(self, selfeval_id: int) -> SelfEval | None:
        with self.db.read() as conn:
            row = conn.one(f"{_SE} WHERE id = ?", (selfeval_id,))
        return _se(row) if row else None

    def listing(self) -> list[SelfEval]:
        with self.db.read() as conn:
            return [_se(r) for r in conn.execute(f"{_SE} ORDER BY id")]

    def send(self, selfeval_id: int, agencies: Sequence[int], actor: str,
             audit: dict[str, Any]) -> list[int]:
        """A draft return for each agency not sent it yet; the ids added."""
        now = utc_now()
        with self.db.write() as conn:
            have = {int(r["organisation_id"]) for r in conn.execute(
                "SELECT organisation_id FROM assurance_selfeval_returns WHERE selfeval_id = ?",
                (selfeval_id,))}
            added = [o for o in dict.fromkeys(agencies) if o not in have]
            conn.executemany(
                "INSERT INTO assurance_selfeval_returns (selfeval_id, organisation_id, status, "
                "version, created_at, updated_at) VALUES (?, ?, 'draft', 1, ?, ?)",
                [(selfeval_id, o, now, now) for o in added])
            conn.execute("UPDATE assurance_selfevals SET status = CASE WHEN status = 'design' "
                         "THEN 'sent' ELSE status END, updated_at = ? WHERE id = ?",
                         (now, selfeval_id))
            self.store.audit_in(conn, actor, "assurance.selfeval.send", OBJECT,
                                str(selfeval_id), {**audit, "agencies": added})
        return added

    def set_status(self, selfeval_id: int, status: str, actor: str,
                   audit: dict[str, Any]) -> None:
        with self.db.write() as conn:
            conn.execute("UPDATE assurance_selfevals SET status = ?, updated_at = ? WHERE id = ?",
                         (status, utc_now(), selfeval_id))
            self.store.audit_in(conn, actor, f"assurance.selfeval.{status}", OBJECT,
                                str(selfeval_id), audit)

    # ------------------------------------------------------------ returns
    def returns(self, selfeval_id: int | None = None,
                organisation_id: int | None = None) -> list[SReturn]:
        sql, params = f"{_RET} WHERE 1 = 1", []
        for column, value in (("selfeval_id", selfeval_id),
                              ("organisation_id", organisation_id)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        with self.db.read() as conn:
            return [_ret(r) for r in conn.execute(sql + " ORDER BY id", params)]

    def get_return(self, return_id: int) -> SReturn | None:
        with self.db.read() as conn:
            row = conn.one(f"{_RET} WHERE id = ?", (return_id,))
        return _ret(row) if row else None

    def save(self, return_id: int, values: dict[str, str], files: Sequence[SFile],
             actor: str, audit: dict[str, Any]) -> SReturn:
        """A new version with these answers and files; refused when submitted."""
        now = utc_now()
        with self.db.write() as conn:
            row = conn.one(f"{_RET} WHERE id = ?", (return_id,))
            if row is None:
                raise StorfaError(f"No self-evaluation return with id {return_id}.")
            if row["status"] != "draft":
                raise StorfaError("The return is submitted and locked.")
            version = int(row["version"]) + 1
            conn.execute("UPDATE assurance_selfeval_returns SET version = ?, updated_at = ? "
                         "WHERE id = ?", (version, now, return_id))
            conn.executemany(
                "INSERT INTO assurance_selfeval_answers (return_id, version, question_key, "
                "value, actor, at) VALUES (?, ?, ?, ?, ?, ?)",
                [(return_id, version, k, v, actor, now) for k, v in values.items()])
            conn.executemany(
                "INSERT INTO assurance_selfeval_files (return_id, version, question_key, "
                "filename, media_type, size, sha256, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                "?)", [(return_id, version, f.question_key, f.filename, f.media_type, f.size,
                        f.sha256, actor, now) for f in files])
            self.store.audit_in(conn, actor, "assurance.selfeval.save", RETURN, str(return_id),
                                {**audit, "version": version, "answers": sorted(values),
                                 "files": [{"name": f.filename, "sha256": f.sha256}
                                           for f in files]})
            saved = conn.one(f"{_RET} WHERE id = ?", (return_id,))
        assert saved is not None
        return _ret(saved)

    def set_return_status(self, return_id: int, status: str, actor: str, note: str | None,
                          audit: dict[str, Any]) -> SReturn:
        now = utc_now()
        with self.db.write() as conn:
            row = conn.one(f"{_RET} WHERE id = ?", (return_id,))
            if row is None:
                raise StorfaError(f"No self-evaluation return with id {return_id}.")
            if row["status"] == status:
                raise StorfaError(f"The return is {status} already.")
            version = int(row["version"]) + 1
            if status == "submitted":
                conn.execute("UPDATE assurance_selfeval_returns SET status = ?, version = ?, "
                             "updated_at = ?, submitted_at = ?, submitted_by = ? WHERE id = ?",
                             (status, version, now, now, actor, return_id))
            else:
                conn.execute("UPDATE assurance_selfeval_returns SET status = ?, version = ?, "
                             "updated_at = ? WHERE id = ?", (status, version, now, return_id))
            action = "submit" if status == "submitted" else "reopen"
            self.store.audit_in(conn, actor, f"assurance.selfeval.{action}", RETURN,
                                str(return_id), {**audit, "version": version, "note": note})
            changed = conn.one(f"{_RET} WHERE id = ?", (return_id,))
        assert changed is not None
        return _ret(changed)

    def answers(self, return_ids: Sequence[int]) -> dict[int, dict[str, str]]:
        """Each return's current answer per question (latest row wins)."""
        out: dict[int, dict[str, str]] = {i: {} for i in return_ids}
        if not return_ids:
            return out
        marks = ", ".join("?" for _ in return_ids)
        with self.db.read() as conn:
            for r in conn.execute("SELECT return_id, question_key, value FROM "
                                  f"assurance_selfeval_answers WHERE return_id IN ({marks}) "
                                  "ORDER BY id", list(return_ids)):
                out[int(r["return_id"])][str(r["question_key"])] = str(r["value"])
        return out

    def files(self, return_ids: Sequence[int]) -> list[SFile]:
        if not return_ids:
            return []
        marks = ", ".join("?" for _ in return_ids)
        with self.db.read() as conn:
            return [_file(r) for r in conn.execute(
                f"{_FILE} WHERE return_id IN ({marks}) ORDER BY id", list(return_ids))]

    def file(self, file_id: int) -> SFile | None:
        with self.db.read() as conn:
            row = conn.one(f"{_FILE} WHERE id = ?", (file_id,))
        return _file(row) if row else None


