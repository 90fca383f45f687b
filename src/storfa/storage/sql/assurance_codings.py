"""Free-text answers coded with a codebook (migration
0030_assurance_answer_codings) in portable SQL: a self-evaluation return's
question, or a survey respondent's cell (survey, row, column). A coding is
withdrawn, never deleted; each change appends its audit event in the same
transaction (Store.audit_in). Who may code is decided in
assurance/answer_coding.py and assurance/survey_coding.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storfa.clock import utc_now
from storfa.domain.assurance import SE_CODING, SELFEVAL, SURVEY, AnswerCoding
from storfa.domain.errors import N_, StorfaError
from storfa.storage.interface import Store
from storfa.storage.sql.adapter import Conn, Row

_CODING = ("SELECT id, source, return_id, survey_id, respondent_row, question_key, codebook, "
           "code, theme, how, confidence, answer, actor, at FROM assurance_answer_codings")
# The audit action's prefix per source.
_ACTION = {SELFEVAL: "assurance.selfeval", SURVEY: "assurance.survey"}


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _coding(r: Row) -> AnswerCoding:
    return AnswerCoding(int(r["id"]), _int(r["return_id"]), str(r["question_key"]),
                        str(r["codebook"]), str(r["code"]), str(r["theme"]), str(r["how"]),
                        None if r["confidence"] is None else float(r["confidence"]),
                        str(r["answer"]), str(r["actor"]), str(r["at"]),
                        _int(r["survey_id"]), _int(r["respondent_row"]))


def _where(c: AnswerCoding | Row) -> dict[str, Any]:
    """Which answer a coding is of, for its audit event."""
    if isinstance(c, AnswerCoding):
        if c.survey_id is not None:
            return {"survey_id": c.survey_id, "row": c.row, "column": c.question_key}
        return {"return_id": c.return_id, "question": c.question_key}
    return _where(_coding(c))


class AnswerCodingStore:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def _add(self, conn: Conn, source: str, answer: dict[str, Any], codebook: str, code: str,
             theme: str, how: str, confidence: float | None, text: str, actor: str,
             audit: dict[str, Any]) -> AnswerCoding:
        """Code the answer (`answer`: the columns naming it); an answer already
        coded with the code keeps that coding."""
        names = list(answer)
        match = " AND ".join(f"{n} = ?" for n in names)
        row = conn.one(f"{_CODING} WHERE source = ? AND {match} AND codebook = ? AND code = ? "
                       "AND removed_at IS NULL", (source, *answer.values(), codebook, code))
        if row is not None:
            return _coding(row)
        made = conn.insert(
            f"INSERT INTO assurance_answer_codings (source, {', '.join(names)}, codebook, code, "
            "theme, how, confidence, answer, actor, at) "
            f"VALUES (?, {', '.join('?' for _ in names)}, ?, ?, ?, ?, ?, ?, ?, ?)",
            (source, *answer.values(), codebook, code, theme, how, confidence, text, actor,
             utc_now()))
        found = conn.one(f"{_CODING} WHERE id = ?", (made,))
        assert found is not None  # inserted in this transaction
        coding = _coding(found)
        self.store.audit_in(conn, actor, f"{_ACTION[source]}.code", SE_CODING, str(made),
                            {**audit, **_where(coding), "codebook": codebook, "code": code,
                             "source": how})
        return coding

    def add(self, return_id: int, question_key: str, codebook: str, code: str, theme: str,
            how: str, confidence: float | None, answer: str, actor: str,
            audit: dict[str, Any]) -> AnswerCoding:
        """Code a self-evaluation return's answer to a question."""
        with self.db.write() as conn:
            return self._add(conn, SELFEVAL,
                             {"return_id": return_id, "question_key": question_key},
                             codebook, code, theme, how, confidence, answer, actor, audit)

    def add_survey_many(self, survey_id: int, cells: Sequence[tuple[int, str, str]],
                        codebook: str, code: str, theme: str, how: str,
                        confidence: float | None, actor: str,
                        audit: dict[str, Any]) -> list[AnswerCoding]:
        """Code survey respondents' (rows') answers (row, column, text) with
        one code in one transaction, all or none, each coding audited on its own."""
        with self.db.write() as conn:
            return [self._add(conn, SURVEY, {"survey_id": survey_id, "respondent_row": row,
                                             "question_key": column},
                              codebook, code, theme, how, confidence, text, actor, audit)
                    for row, column, text in cells]

    def get(self, coding_id: int) -> AnswerCoding | None:
        with self.db.read() as conn:
            row = conn.one(f"{_CODING} WHERE id = ? AND removed_at IS NULL", (coding_id,))
        return _coding(row) if row else None

    def remove(self, coding_id: int, actor: str, audit: dict[str, Any]) -> None:
        with self.db.write() as conn:
            row = conn.one(f"{_CODING} WHERE id = ? AND removed_at IS NULL", (coding_id,))
            if row is None:
                raise StorfaError(N_("There is no coding {id} to remove."), id=coding_id)
            conn.execute("UPDATE assurance_answer_codings SET removed_by = ?, removed_at = ? "
                         "WHERE id = ?", (actor, utc_now(), coding_id))
            self.store.audit_in(conn, actor, f"{_ACTION[str(row['source'])]}.uncode",
                                SE_CODING, str(coding_id),
                                {**audit, **_where(row), "codebook": str(row["codebook"]),
                                 "code": str(row["code"])})

    def current(self, return_ids: Sequence[int],
                codebook: str | None = None) -> list[AnswerCoding]:
        """The current codings of these self-evaluation returns' answers."""
        if not return_ids:
            return []
        marks = ", ".join("?" for _ in return_ids)
        return self._select(f"return_id IN ({marks})", list(return_ids), codebook)

    def current_survey(self, survey_id: int,
                       codebook: str | None = None) -> list[AnswerCoding]:
        """The current codings of a survey's answers."""
        return self._select("survey_id = ?", [survey_id], codebook)

    def _select(self, where: str, params: list[Any],
                codebook: str | None) -> list[AnswerCoding]:
        where += " AND removed_at IS NULL"
        if codebook is not None:
            where += " AND codebook = ?"
            params.append(codebook)
        with self.db.read() as conn:
            return [_coding(r) for r in conn.execute(f"{_CODING} WHERE {where} ORDER BY id",
                                                     params)]
