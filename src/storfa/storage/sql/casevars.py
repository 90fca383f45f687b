"""Case-variable values per review (migration 0006_case_variables) in SQL.

Written once with `?` placeholders like the rest of the SQL store, so SQLite
and PostgreSQL run the same code and the same tests. Rows are only ever
added; an older suggestion or decision is kept with `superseded = 1`, so the
history of every value (who said what, from which passage) stays readable."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from storfa.clock import utc_now
from storfa.domain.casevars import (
    DECISIONS,
    SUGGESTED,
    CaseEvidence,
    CaseValue,
    NewCaseValue,
)
from storfa.domain.errors import N_, StorfaError
from storfa.storage.sql.adapter import Conn, Database, Row

_CHUNK = 500  # review rows per IN (...) list: well under both databases' limits
NOT_A_DECISION = N_("A decision is confirmed or rejected, not {status!r}.")


def _value(row: Row) -> CaseValue:
    evidence = None
    if row["evidence_text"] is not None:
        evidence = CaseEvidence(row["evidence_passage_id"], row["evidence_page"],
                                str(row["evidence_text"]), row["evidence_start"],
                                row["evidence_end"])
    return CaseValue(
        id=int(row["id"]), review_row=int(row["review_id"]), variable=str(row["variable"]),
        value=str(row["value"]), status=str(row["status"]), source=str(row["source"]),
        term=row["term"], hits=row["hits"], evidence=evidence, coder=str(row["coder"]),
        created_at=str(row["created_at"]), superseded=bool(row["superseded"]),
        confidence=None if row["confidence"] is None else float(row["confidence"]))


def _chunks(rows: Sequence[int]) -> Iterator[Sequence[int]]:
    for at in range(0, len(rows), _CHUNK):
        yield rows[at:at + _CHUNK]


class SQLCaseVariables:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _insert(self, conn: Conn, review_row: int, new: NewCaseValue, status: str,
                source: str, coder: str, now: str) -> int:
        ev = new.evidence
        return conn.insert(
            "INSERT INTO case_variable_values (review_id, variable, value, status, source, "
            "term, hits, evidence_passage_id, evidence_page, evidence_text, evidence_start, "
            "evidence_end, coder, created_at, confidence) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (review_row, new.variable, new.value, status, source, new.term, new.hits,
             ev.passage_id if ev else None, ev.page if ev else None, ev.text if ev else None,
             ev.start if ev else None, ev.end if ev else None, coder, now, new.confidence))

    def replace_suggestions(self, review_row: int, suggestions: Sequence[NewCaseValue],
                            coder: str) -> int:
        """The review's new suggestions; the previous ones become history.
        Decisions are untouched: a suggestion never confirms anything."""
        now = utc_now()
        with self.db.write() as conn:
            conn.execute("UPDATE case_variable_values SET superseded = 1 WHERE review_id = ? "
                         "AND status = ? AND superseded = 0", (review_row, SUGGESTED))
            for new in suggestions:
                self._insert(conn, review_row, new, SUGGESTED, new.source or "lexicon", coder,
                             now)
        return len(suggestions)

    def decide(self, review_row: int, new: NewCaseValue, status: str, coder: str
               ) -> tuple[CaseValue | None, CaseValue]:
        """Record a person's decision; returns (the decision it replaces, the new one)."""
        if status not in DECISIONS:
            raise StorfaError(NOT_A_DECISION, status=status)
        now = utc_now()
        with self.db.write() as conn:
            old_row = conn.one(
                "SELECT * FROM case_variable_values WHERE review_id = ? AND variable = ? "
                "AND status IN (?, ?) AND superseded = 0 ORDER BY id DESC LIMIT 1",
                (review_row, new.variable, *DECISIONS))
            conn.execute(
                "UPDATE case_variable_values SET superseded = 1 WHERE review_id = ? "
                "AND variable = ? AND status IN (?, ?) AND superseded = 0",
                (review_row, new.variable, *DECISIONS))
            new_id = self._insert(conn, review_row, new, status, "coder", coder, now)
            row = conn.one("SELECT * FROM case_variable_values WHERE id = ?", (new_id,))
        assert row is not None  # just inserted in the same transaction
        return (_value(old_row) if old_row else None), _value(row)

    def current(self, review_rows: Sequence[int]) -> list[CaseValue]:
        """Every current suggestion and decision of these reviews, oldest first."""
        found: list[CaseValue] = []
        with self.db.read() as conn:
            for chunk in _chunks(list(review_rows)):
                marks = ",".join("?" * len(chunk))
                found.extend(_value(r) for r in conn.execute(
                    "SELECT * FROM case_variable_values WHERE superseded = 0 "
                    f"AND review_id IN ({marks}) ORDER BY id", list(chunk)))
        found.sort(key=lambda v: v.id)
        return found

    def current_decisions(self, review_rows: Sequence[int]) -> list[tuple[int, str, str, str]]:
        """(review row, variable, value, status) of every current decision of
        these reviews, oldest first within each review: only the four columns the statistics read,
        as plain tuples, so 100,000 decisions load without building a
        CaseValue (and its evidence) for each (issue 20)."""
        found: list[tuple[int, str, str, str]] = []
        with self.db.read() as conn:
            for chunk in _chunks(list(review_rows)):
                marks = ",".join("?" * len(chunk))
                found.extend(
                    (int(r["review_id"]), str(r["variable"]), str(r["value"]), str(r["status"]))
                    for r in conn.execute(
                        "SELECT review_id, variable, value, status FROM case_variable_values "
                        f"WHERE superseded = 0 AND status IN (?, ?) AND review_id IN ({marks}) "
                        "ORDER BY id", [*DECISIONS, *chunk]))
        return found

    def history(self, review_row: int, variable: str | None = None) -> list[CaseValue]:
        """All values ever given, superseded ones included, oldest first."""
        sql = "SELECT * FROM case_variable_values WHERE review_id = ?"
        params: list[Any] = [review_row]
        if variable is not None:
            sql += " AND variable = ?"
            params.append(variable)
        with self.db.read() as conn:
            return [_value(r) for r in conn.execute(sql + " ORDER BY id", params)]

    def decide_many(self, decisions: Sequence[tuple[int, NewCaseValue]], status: str,
                    coder: str) -> int:
        """Record many decisions in one transaction (an import of a coded
        table, or a benchmark's data): like `decide` for each (review row,
        value), each superseding the current decision of the same variable."""
        if status not in DECISIONS:
            raise StorfaError(NOT_A_DECISION, status=status)
        now = utc_now()
        with self.db.write() as conn:
            conn.executemany(
                "UPDATE case_variable_values SET superseded = 1 WHERE review_id = ? "
                "AND variable = ? AND status IN (?, ?) AND superseded = 0",
                [(row, new.variable, *DECISIONS) for row, new in decisions])
            for row, new in decisions:
                self._insert(conn, row, new, status, "coder", coder, now)
        return len(decisions)
