"""12 Cs returns and practitioner surveys (migration 0016_assurance) in
portable SQL, for SQLStore.

Functions over an open transaction, so the store writes each change and its
audit event together. Answers, events and files are append-only rows tagged
with the return's version; nothing is updated in place but the return's own
status and version."""

from __future__ import annotations

import json
from collections.abc import Sequence

from storfa.domain.assurance import (
    DRAFT,
    SUBMITTED,
    CsAnswer,
    CsReturn,
    EvidenceFile,
    GradeRow,
    ReturnEvent,
    Survey,
)
from storfa.storage.sql.adapter import Conn, Row

_RETURN = ("SELECT id, organisation_id, year, status, version, carried_from, created_at, "
           "updated_at, submitted_at, submitted_by FROM assurance_returns")
_ANSWER = "c_key, in_place, planned, evidence, grade, actor, at, version, carried"


def _return(row: Row) -> CsReturn:
    return CsReturn(int(row["id"]), int(row["organisation_id"]), int(row["year"]),
                    str(row["status"]), int(row["version"]),
                    int(row["carried_from"]) if row["carried_from"] is not None else None,
                    str(row["created_at"]), str(row["updated_at"]), row["submitted_at"],
                    row["submitted_by"])


def _answer(row: Row) -> CsAnswer:
    return CsAnswer(str(row["c_key"]), str(row["in_place"]), str(row["planned"]),
                    str(row["evidence"]), row["grade"], str(row["actor"]), str(row["at"]),
                    int(row["version"]), bool(row["carried"]))


def get_return(conn: Conn, return_id: int) -> CsReturn | None:
    row = conn.one(f"{_RETURN} WHERE id = ?", (return_id,))
    return _return(row) if row else None


def find_return(conn: Conn, organisation_id: int, year: int) -> CsReturn | None:
    row = conn.one(f"{_RETURN} WHERE organisation_id = ? AND year = ?", (organisation_id, year))
    return _return(row) if row else None


def returns(conn: Conn, organisation_id: int | None, year: int | None) -> list[CsReturn]:
    where, params = _where(organisation_id, year)
    return [_return(r) for r in conn.execute(
        f"{_RETURN}{where} ORDER BY year, organisation_id", params)]


def _where(organisation_id: int | None, year: int | None,
           prefix: str = "") -> tuple[str, list[int]]:
    clauses, params = [], []
    if organisation_id is not None:
        clauses.append(f"{prefix}organisation_id = ?")
        params.append(organisation_id)
    if year is not None:
        clauses.append(f"{prefix}year = ?")
        params.append(year)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def create_return(conn: Conn, organisation_id: int, year: int, carried_from: int | None,
                  carried: Sequence[CsAnswer], actor: str, now: str) -> CsReturn:
    return_id = conn.insert(
        "INSERT INTO assurance_returns (organisation_id, year, status, version, carried_from, "
        "created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)",
        (organisation_id, year, DRAFT, carried_from, now, now))
    conn.executemany(
        "INSERT INTO assurance_answers (return_id, version, c_key, in_place, planned, evidence, "
        "grade, carried, actor, at) VALUES (?, 1, ?, ?, ?, ?, ?, 1, ?, ?)",
        [(return_id, a.c_key, a.in_place, a.planned, a.evidence, a.grade, actor, now)
         for a in carried])
    add_event(conn, return_id, 1, "opened", actor, now,
              note=f"carried from {carried_from}" if carried_from else None)
    found = get_return(conn, return_id)
    assert found is not None
    return found


def bump(conn: Conn, return_id: int, now: str, status: str | None = None,
         actor: str | None = None) -> int:
    """Next version of the return (and its new status); returns the version."""
    row = conn.one("SELECT version FROM assurance_returns WHERE id = ?", (return_id,))
    assert row is not None
    version = int(row["version"]) + 1
    if status == SUBMITTED:
        conn.execute("UPDATE assurance_returns SET version = ?, status = ?, updated_at = ?, "
                     "submitted_at = ?, submitted_by = ? WHERE id = ?",
                     (version, status, now, now, actor, return_id))
    elif status is not None:
        conn.execute("UPDATE assurance_returns SET version = ?, status = ?, updated_at = ? "
                     "WHERE id = ?", (version, status, now, return_id))
    else:
        conn.execute("UPDATE assurance_returns SET version = ?, updated_at = ? WHERE id = ?",
                     (version, now, return_id))
    return version


def add_answer(conn: Conn, return_id: int, version: int, a: CsAnswer, now: str) -> None:
    conn.execute(
        "INSERT INTO assurance_answers (return_id, version, c_key, in_place, planned, evidence, "
        "grade, carried, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
        (return_id, version, a.c_key, a.in_place, a.planned, a.evidence, a.grade, a.actor, now))


def add_file(conn: Conn, return_id: int, version: int, f: EvidenceFile, now: str) -> None:
    conn.execute(
        "INSERT INTO assurance_files (return_id, version, c_key, filename, media_type, size, "
        "sha256, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (return_id, version, f.c_key, f.filename, f.media_type, f.size, f.sha256, f.actor, now))


def add_event(conn: Conn, return_id: int, version: int, action: str, actor: str, now: str,
              c_key: str | None = None, note: str | None = None) -> None:
    conn.execute("INSERT INTO assurance_events (return_id, version, action, c_key, note, actor, "
                 "at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                 (return_id, version, action, c_key, note, actor, now))


def answers(conn: Conn, return_id: int, version: int | None = None) -> list[CsAnswer]:
    """Each C's latest answer at `version` (default: now)."""
    rows = conn.execute(f"SELECT {_ANSWER} FROM assurance_answers WHERE return_id = ? "
                        "AND version <= ? ORDER BY version, id",
                        (return_id, version if version is not None else 2**62))
    latest: dict[str, CsAnswer] = {}
    for row in rows:
        latest[str(row["c_key"])] = _answer(row)
    return list(latest.values())


def events(conn: Conn, return_id: int) -> list[ReturnEvent]:
    return [ReturnEvent(int(r["version"]), str(r["action"]), str(r["actor"]), str(r["at"]),
                        r["c_key"], r["note"]) for r in conn.execute(
        "SELECT version, action, c_key, note, actor, at FROM assurance_events "
        "WHERE return_id = ? ORDER BY id", (return_id,))]


def files(conn: Conn, return_id: int) -> list[EvidenceFile]:
    return [_file(r) for r in conn.execute(
        "SELECT id, return_id, c_key, filename, media_type, size, sha256, actor, at, version "
        "FROM assurance_files WHERE return_id = ? ORDER BY id", (return_id,))]


def file(conn: Conn, file_id: int) -> EvidenceFile | None:
    row = conn.one("SELECT id, return_id, c_key, filename, media_type, size, sha256, actor, at, "
                   "version FROM assurance_files WHERE id = ?", (file_id,))
    return _file(row) if row else None


def _file(r: Row) -> EvidenceFile:
    return EvidenceFile(int(r["id"]), int(r["return_id"]), str(r["c_key"]), str(r["filename"]),
                        str(r["media_type"]), int(r["size"]), str(r["sha256"]), str(r["actor"]),
                        str(r["at"]), int(r["version"]))


def grades(conn: Conn, organisation_id: int | None, year: int | None,
           status: str | None = None) -> list[GradeRow]:
    """Every return's current grade per C in one query (the comparison of
    880 organisations × 12 Cs is one query, not 880). The current answer is the
    C's latest row (answers are append-only), chosen in SQL so earlier
    versions never reach Python; `status` keeps only returns in that status."""
    where, found = _where(organisation_id, year, "r.")
    clauses = [where[len(" WHERE "):]] if where else []
    params: list[object] = list(found)
    if status is not None:
        clauses.append("r.status = ?")
        params.append(status)
    clauses.append("a.id = (SELECT MAX(b.id) FROM assurance_answers b "
                   "WHERE b.return_id = a.return_id AND b.c_key = a.c_key)")
    rows = conn.execute(
        "SELECT r.organisation_id, r.year, r.status, a.c_key, a.grade "
        "FROM assurance_returns r JOIN assurance_answers a ON a.return_id = r.id "
        f"WHERE {' AND '.join(clauses)} ORDER BY r.id, a.c_key", params)
    return [GradeRow(int(row["organisation_id"]), int(row["year"]), str(row["status"]),
                     str(row["c_key"]), row["grade"]) for row in rows]


def year_version(conn: Conn, year: int) -> tuple[int, int, int]:
    """What changes whenever anything in the year's returns does: every change
    bumps a return's version (answers are only ever added with a bump), and a
    new return raises the count and the largest id."""
    row = conn.one("SELECT COALESCE(SUM(version), 0) AS v, COUNT(*) AS n, "
                   "COALESCE(MAX(id), 0) AS m FROM assurance_returns WHERE year = ?", (year,))
    return (int(row["v"]), int(row["n"]), int(row["m"])) if row else (0, 0, 0)


def return_page(conn: Conn, offset: int, limit: int, organisation_id: int | None,
                exclude_organisation_id: int | None, own_organisation_id: int | None,
                other_statuses: Sequence[str] | None) -> tuple[list[CsReturn], int]:
    """One page of returns, newest year first, then by organisation name, and
    how many there are in all. `own_organisation_id`'s returns all count; of
    the other organisations' returns only those in `other_statuses` (None: all)."""
    clauses: list[str] = []
    params: list[object] = []
    if organisation_id is not None:
        clauses.append("r.organisation_id = ?")
        params.append(organisation_id)
    if exclude_organisation_id is not None:
        clauses.append("r.organisation_id <> ?")
        params.append(exclude_organisation_id)
    if other_statuses is not None:
        seen = [f"r.status IN ({', '.join('?' for _ in other_statuses)})"] if other_statuses \
            else []
        params.extend(other_statuses)
        if own_organisation_id is not None:
            seen.append("r.organisation_id = ?")
            params.append(own_organisation_id)
        clauses.append(f"({' OR '.join(seen)})" if seen else "1 = 0")
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    total = conn.one(f"SELECT COUNT(*) AS n FROM assurance_returns r{where}", params)
    rows = conn.execute(
        "SELECT r.id, r.organisation_id, r.year, r.status, r.version, r.carried_from, "
        "r.created_at, r.updated_at, r.submitted_at, r.submitted_by "
        "FROM assurance_returns r JOIN organisations o ON o.id = r.organisation_id"
        f"{where} ORDER BY r.year DESC, o.name, r.id LIMIT ? OFFSET ?",
        [*params, limit, offset])
    return [_return(r) for r in rows], int(total["n"]) if total else 0


def survey_head(conn: Conn, survey_id: int) -> Survey | None:
    """A survey without its rows (what its results depend on: the file's
    SHA-256, which never changes, and the mapping)."""
    cols = _SURVEY.replace("row_data", "'[]' AS row_data")
    row = conn.one(f"{cols} WHERE id = ?", (survey_id,))
    return _survey(row) if row else None


# ------------------------------------------------------------------ surveys
_SURVEY = ("SELECT id, organisation_id, title, filename, sha256, column_names, row_data, "
           "mapping, actor, created_at, updated_at FROM assurance_surveys")


def _survey(r: Row) -> Survey:
    return Survey(int(r["id"]), int(r["organisation_id"]), str(r["title"]), str(r["filename"]),
                  str(r["sha256"]), json.loads(r["column_names"]),
                  json.loads(r["row_data"]), json.loads(r["mapping"]),
                  str(r["actor"]), str(r["created_at"]), str(r["updated_at"]))


def add_survey(conn: Conn, organisation_id: int, title: str, filename: str, sha256: str,
               columns: Sequence[str], rows: Sequence[Sequence[str]], actor: str,
               now: str) -> int:
    return conn.insert(
        "INSERT INTO assurance_surveys (organisation_id, title, filename, sha256, column_names, "
        "row_data, mapping, actor, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, '[]', ?, "
        "?, ?)", (organisation_id, title, filename, sha256, json.dumps(list(columns)),
                  json.dumps([list(r) for r in rows], ensure_ascii=False), actor, now, now))


def survey(conn: Conn, survey_id: int) -> Survey | None:
    row = conn.one(f"{_SURVEY} WHERE id = ?", (survey_id,))
    return _survey(row) if row else None


def surveys(conn: Conn, organisation_id: int | None) -> list[Survey]:
    """Listing only: rows are left out (a 5,000-row survey is read when opened)."""
    cols = _SURVEY.replace("row_data", "'[]' AS row_data")
    where, params = _where(organisation_id, None)
    return [_survey(r) for r in conn.execute(f"{cols}{where} ORDER BY id", params)]


def set_mapping(conn: Conn, survey_id: int, mapping: Sequence[dict[str, str]],
                now: str) -> None:
    conn.execute("UPDATE assurance_surveys SET mapping = ?, updated_at = ? WHERE id = ?",
                 (json.dumps(list(mapping), ensure_ascii=False), now, survey_id))
