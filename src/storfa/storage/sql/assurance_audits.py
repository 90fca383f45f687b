"""Case-file audits (migration 0019_assurance_exercises) in portable SQL.

Every write appends its audit event in the same transaction (Store.audit_in),
so no case, assignment, grade or publication exists without its event.
Grades are append-only: an agency's current grade for a question of a case
is its latest row, and every earlier one stays. Access is decided in
assurance/audit_service.py, not here."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from storfa.clock import utc_now
from storfa.domain.assurance import AUDIT_OBJECT, AUDIT_OPEN, Audit, AuditCase, AuditGrade, Question
from storfa.storage.interface import Store
from storfa.storage.sql.adapter import Conn, Row

OBJECT = AUDIT_OBJECT
_AUDIT = ("SELECT id, organisation_id, title, questions, status, actor, created_at, updated_at "
          "FROM assurance_audits")


def _audit(r: Row) -> Audit:
    return Audit(int(r["id"]), int(r["organisation_id"]), str(r["title"]),
                 [Question(**q) for q in json.loads(r["questions"])], str(r["status"]),
                 str(r["actor"]), str(r["created_at"]), str(r["updated_at"]))


def _cases(conn: Conn, where: str, params: Sequence[Any]) -> list[AuditCase]:
    agencies: dict[int, list[int]] = {}
    rows = list(conn.execute(f"SELECT c.id, c.audit_id, c.reference FROM assurance_audit_cases c"
                             f" WHERE {where} ORDER BY c.id", params))
    for r in conn.execute("SELECT a.case_id, a.organisation_id FROM assurance_audit_assignments a"
                          " JOIN assurance_audit_cases c ON c.id = a.case_id"
                          f" WHERE {where} ORDER BY a.id", params):
        agencies.setdefault(int(r["case_id"]), []).append(int(r["organisation_id"]))
    return [AuditCase(int(r["id"]), int(r["audit_id"]), str(r["reference"]),
                      tuple(agencies.get(int(r["id"]), []))) for r in rows]


class AuditStore:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def _event(self, conn: Conn, actor: str, action: str, audit_id: int,
               detail: dict[str, Any]) -> None:
        self.store.audit_in(conn, actor, action, OBJECT, str(audit_id), detail)

    def create(self, organisation_id: int, title: str, questions: Sequence[Question],
               actor: str, audit: dict[str, Any]) -> int:
        now = utc_now()
        with self.db.write() as conn:
            audit_id = conn.insert(
                "INSERT INTO assurance_audits (organisation_id, title, questions, status, actor,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (organisation_id, title,
                 json.dumps([q.as_json() for q in questions], ensure_ascii=False), AUDIT_OPEN,
                 actor, now, now))
            self._event(conn, actor, "assurance.audit.create", audit_id,
                        {**audit, "organisation_id": organisation_id, "title": title,
                         "questions": len(questions)})
        return audit_id

    def get(self, audit_id: int) -> Audit | None:
        with self.db.read() as conn:
            row = conn.one(f"{_AUDIT} WHERE id = ?", (audit_id,))
        return _audit(row) if row else None

    def listing(self) -> list[Audit]:
        with self.db.read() as conn:
            return [_audit(r) for r in conn.execute(f"{_AUDIT} ORDER BY id")]

    def assigned_audits(self, organisation_id: int) -> set[int]:
        """Audits with a case assigned to the organisation."""
        with self.db.read() as conn:
            return {int(r["audit_id"]) for r in conn.execute(
                "SELECT DISTINCT c.audit_id FROM assurance_audit_cases c JOIN "
                "assurance_audit_assignments a ON a.case_id = c.id WHERE a.organisation_id = ?",
                (organisation_id,))}

    def cases(self, audit_id: int) -> list[AuditCase]:
        with self.db.read() as conn:
            return _cases(conn, "c.audit_id = ?", (audit_id,))

    def add_case(self, audit_id: int, reference: str, agencies: Sequence[int], actor: str,
                 audit: dict[str, Any]) -> AuditCase:
        """The case (made when new) with these agencies added to it."""
        now = utc_now()
        with self.db.write() as conn:
            row = conn.one("SELECT id FROM assurance_audit_cases WHERE audit_id = ? AND "
                           "reference = ?", (audit_id, reference))
            case_id = int(row["id"]) if row else conn.insert(
                "INSERT INTO assurance_audit_cases (audit_id, reference, created_at) "
                "VALUES (?, ?, ?)", (audit_id, reference, now))
            have = {int(r["organisation_id"]) for r in conn.execute(
                "SELECT organisation_id FROM assurance_audit_assignments WHERE case_id = ?",
                (case_id,))}
            added = [o for o in dict.fromkeys(agencies) if o not in have]
            conn.executemany("INSERT INTO assurance_audit_assignments (case_id, organisation_id)"
                             " VALUES (?, ?)", [(case_id, o) for o in added])
            conn.execute("UPDATE assurance_audits SET updated_at = ? WHERE id = ?",
                         (now, audit_id))
            self._event(conn, actor, "assurance.audit.case", audit_id,
                        {**audit, "case_id": case_id, "reference": reference,
                         "assigned": added})
            return _cases(conn, "c.id = ?", (case_id,))[0]

    def grade(self, audit_id: int, grade: AuditGrade, audit: dict[str, Any]) -> None:
        now = utc_now()
        with self.db.write() as conn:
            conn.execute(
                "INSERT INTO assurance_audit_grades (case_id, organisation_id, question_key, "
                "grade, comment, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (grade.case_id, grade.organisation_id, grade.question_key, grade.grade,
                 grade.comment, grade.actor, now))
            self._event(conn, grade.actor, "assurance.audit.grade", audit_id,
                        {**audit, "case_id": grade.case_id,
                         "organisation_id": grade.organisation_id,
                         "question": grade.question_key, "grade": grade.grade})

    def grades(self, audit_id: int, organisation_id: int | None = None) -> list[AuditGrade]:
        """Current grades (each agency's latest per case and question)."""
        sql = ("SELECT g.case_id, g.organisation_id, g.question_key, g.grade, g.comment, "
               "g.actor, g.at FROM assurance_audit_grades g JOIN assurance_audit_cases c "
               "ON c.id = g.case_id WHERE c.audit_id = ?")
        params: list[Any] = [audit_id]
        if organisation_id is not None:
            sql += " AND g.organisation_id = ?"
            params.append(organisation_id)
        latest: dict[tuple[int, int, str], AuditGrade] = {}
        with self.db.read() as conn:
            for r in conn.execute(sql + " ORDER BY g.id", params):
                g = AuditGrade(int(r["case_id"]), int(r["organisation_id"]),
                               str(r["question_key"]), str(r["grade"]), str(r["comment"]),
                               str(r["actor"]), str(r["at"]))
                latest[(g.case_id, g.organisation_id, g.question_key)] = g
        return list(latest.values())

    def set_status(self, audit_id: int, status: str, actor: str, audit: dict[str, Any]) -> None:
        with self.db.write() as conn:
            conn.execute("UPDATE assurance_audits SET status = ?, updated_at = ? WHERE id = ?",
                         (status, utc_now(), audit_id))
            self._event(conn, actor, f"assurance.audit.{status}", audit_id, audit)
