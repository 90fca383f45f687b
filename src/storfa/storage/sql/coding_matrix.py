"""The SQL behind the analysis of coding (coding/matrix.py): counts of current
extracts per review and code, their spans, texts and the extracts of one
matrix cell.

Aggregation happens here (GROUP BY over the extracts) so that the coding
matrix reads one row per review and code, never one object per extract; the
index `extracts_matrix` (migration 0013) covers the count. Written once with
`?` placeholders, like the rest of the SQL store, for SQLite and PostgreSQL.

What counts as an extract: a current (not superseded) row of the codebook
with one of the chosen statuses. A second coder's own decision on an extract
another coder had decided is a row of its own pointing at that extract
(`origin_id`, migration 0011); when it gives the same code and status as the
extract it points at, it is the same coding seen twice and is not counted
again."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from storfa.domain.casevars import CONFIRMED, REJECTED, CaseValue
from storfa.domain.coding import CodedSpan, Extract
from storfa.storage.sql.adapter import Database
from storfa.storage.sql.casevars import _value
from storfa.storage.sql.extracts import _SELECT, _extract

_CHUNK = 500  # review rows per IN (...) list: well under both databases' limits


def _current(statuses: Sequence[str], alias: str = "e") -> tuple[str, list[object]]:
    """The WHERE clause (after the codebook) for the extracts that count."""
    marks = ",".join("?" * len(statuses))
    sql = (f" AND {alias}.superseded = 0 AND {alias}.status IN ({marks})"
           f" AND ({alias}.origin_id IS NULL OR NOT EXISTS (SELECT 1 FROM extracts o"
           f" WHERE o.id = {alias}.origin_id AND o.code = {alias}.code"
           f" AND o.status = {alias}.status AND o.superseded = 0))")
    return sql, list(statuses)


def _chunks(rows: Sequence[int]) -> Iterator[list[int]]:
    for at in range(0, len(rows), _CHUNK):
        yield list(rows[at:at + _CHUNK])


class SQLCodingMatrix:
    def __init__(self, db: Database) -> None:
        self.db = db

    def counts(self, codebook: str, statuses: Sequence[str]) -> list[tuple[int, str, int]]:
        """(review row, code, extracts) for every review and code with extracts."""
        where, params = _current(statuses)
        with self.db.read() as conn:
            return [(int(r["review_id"]), str(r["code"]), int(r["n"])) for r in conn.execute(
                "SELECT e.review_id, e.code, COUNT(*) AS n FROM extracts e "
                "WHERE e.codebook = ?" + where + " GROUP BY e.review_id, e.code",
                [codebook, *params])]

    def spans(self, codebook: str, statuses: Sequence[str]) -> list[CodedSpan]:
        """Every counted extract's span as (review row, version, start, end,
        code), by version and start (for overlaps)."""
        where, params = _current(statuses)
        with self.db.read() as conn:
            return [(int(r["review_id"]), int(r["version_id"]), int(r["start_offset"]),
                     int(r["end_offset"]), str(r["code"])) for r in conn.execute(
                "SELECT e.review_id, e.version_id, e.start_offset, e.end_offset, e.code "
                "FROM extracts e WHERE e.codebook = ?" + where +
                " ORDER BY e.version_id, e.start_offset, e.end_offset", [codebook, *params])]

    def codes(self, codebook: str) -> set[str]:
        """Every code stored for this codebook, as spelt in the extracts."""
        with self.db.read() as conn:
            return {str(r["code"]) for r in conn.execute(
                "SELECT DISTINCT code FROM extracts WHERE codebook = ?", (codebook,))}

    def count(self, codebook: str, statuses: Sequence[str], codes: Sequence[str],
              review_rows: Sequence[int]) -> int:
        """How many counted extracts with these codes these reviews have."""
        where, params = _current(statuses)
        code_marks = ",".join("?" * len(codes))
        total = 0
        with self.db.read() as conn:
            for chunk in _chunks(review_rows):
                marks = ",".join("?" * len(chunk))
                row = conn.one(f"SELECT COUNT(*) AS n FROM extracts e WHERE e.codebook = ?"
                               f"{where} AND e.code IN ({code_marks}) "
                               f"AND e.review_id IN ({marks})",
                               [codebook, *params, *codes, *chunk])
                total += int(row["n"]) if row else 0
        return total

    def texts(self, codebook: str, statuses: Sequence[str], codes: Sequence[str],
              review_rows: Sequence[int]) -> list[str]:
        """The texts of the counted extracts with these codes in these reviews."""
        where, params = _current(statuses)
        found: list[str] = []
        code_marks = ",".join("?" * len(codes))
        with self.db.read() as conn:
            for chunk in _chunks(review_rows):
                marks = ",".join("?" * len(chunk))
                found.extend(str(r["text"]) for r in conn.execute(
                    f"SELECT e.text FROM extracts e WHERE e.codebook = ?{where} "
                    f"AND e.code IN ({code_marks}) AND e.review_id IN ({marks})",
                    [codebook, *params, *codes, *chunk]))
        return found

    def extracts(self, codebook: str, statuses: Sequence[str], codes: Sequence[str],
                 review_rows: Sequence[int], limit: int, offset: int = 0) -> list[Extract]:
        """One page of the counted extracts with these codes in these reviews,
        in review and text order."""
        where, params = _current(statuses)
        code_marks = ",".join("?" * len(codes))
        found: list[tuple[tuple[str, int, int, int], Extract]] = []
        with self.db.read() as conn:
            for chunk in _chunks(review_rows):
                marks = ",".join("?" * len(chunk))
                for row in conn.execute(
                        _SELECT + f"WHERE e.codebook = ?{where} AND e.code IN ({code_marks}) "
                        f"AND e.review_id IN ({marks}) ORDER BY r.review_key, e.start_offset, "
                        "e.end_offset, e.id LIMIT ?",
                        [codebook, *params, *codes, *chunk, limit + offset]):
                    e = _extract(row)
                    found.append(((e.review_id, e.start, e.end, e.id), e))
        found.sort(key=lambda pair: pair[0])
        return [e for _, e in found[offset:offset + limit]]

    def decisions(self, variable: str) -> list[CaseValue]:
        """Each review's current decision on one case variable (the rows
        storage/sql/casevars.py keeps), oldest first."""
        with self.db.read() as conn:
            return [_value(r) for r in conn.execute(
                "SELECT * FROM case_variable_values WHERE variable = ? AND superseded = 0 "
                "AND status IN (?, ?) ORDER BY id", (variable, CONFIRMED, REJECTED))]
