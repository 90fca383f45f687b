"""The assurance part of the storage interface (Store, issue 17), mixed into
SQLStore: each write and its audit event in one transaction, so no answer,
submission, reopening or survey exists without the event that records it."""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from storfa.clock import utc_now
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
from storfa.domain.errors import StorfaError
from storfa.storage.sql import assurance as sql
from storfa.storage.sql.adapter import Conn, Database

RETURN = "assurance_return"


class ReturnLocked(StorfaError):
    """A submitted return cannot change until it is reopened."""


class AssuranceStore:
    db: Database

    if TYPE_CHECKING:
        def _audit(self, conn: Conn, actor: str, action: str, object_type: str,
                   object_id: str, detail: dict[str, Any] | None) -> None: ...

    def assurance_return(self, return_id: int) -> CsReturn | None:
        with self.db.read() as conn:
            return sql.get_return(conn, return_id)

    def assurance_find_return(self, organisation_id: int, year: int) -> CsReturn | None:
        with self.db.read() as conn:
            return sql.find_return(conn, organisation_id, year)

    def assurance_returns(self, organisation_id: int | None = None,
                          year: int | None = None) -> list[CsReturn]:
        with self.db.read() as conn:
            return sql.returns(conn, organisation_id, year)

    def assurance_return_page(self, offset: int, limit: int, organisation_id: int | None = None,
                              exclude_organisation_id: int | None = None,
                              own_organisation_id: int | None = None,
                              other_statuses: Sequence[str] | None = None
                              ) -> tuple[list[CsReturn], int]:
        with self.db.read() as conn:
            return sql.return_page(conn, offset, limit, organisation_id, exclude_organisation_id,
                                   own_organisation_id, other_statuses)

    def assurance_open_return(self, organisation_id: int, year: int, carried_from: int | None,
                              carried: Sequence[CsAnswer], actor: str,
                              audit: dict[str, Any]) -> CsReturn:
        with self.db.write() as conn:
            # Checked inside the write transaction: two people opening the
            # same year at once get the one return.
            found = sql.find_return(conn, organisation_id, year)
            if found is not None:
                return found
            made = sql.create_return(conn, organisation_id, year, carried_from, carried,
                                     actor, utc_now())
            self._audit(conn, actor, "assurance.return.open", RETURN, str(made.id),
                        {**audit, "organisation_id": organisation_id, "year": year,
                         "carried_from": carried_from})
            return made

    def _draft(self, conn: Conn, return_id: int) -> CsReturn:
        found = sql.get_return(conn, return_id)
        if found is None:
            raise StorfaError(f"No 12 Cs return with id {return_id}.")
        if found.status != DRAFT:
            raise ReturnLocked(f"The {found.year} return is submitted and locked; it must be "
                               "reopened before it can change.")
        return found

    def assurance_save_answer(self, return_id: int, answer: CsAnswer,
                              files: Sequence[EvidenceFile], audit: dict[str, Any]) -> CsReturn:
        now = utc_now()
        with self.db.write() as conn:
            self._draft(conn, return_id)
            version = sql.bump(conn, return_id, now)
            sql.add_answer(conn, return_id, version, answer, now)
            for f in files:
                sql.add_file(conn, return_id, version, f, now)
            sql.add_event(conn, return_id, version, "saved", answer.actor, now, answer.c_key)
            self._audit(conn, answer.actor, "assurance.answer.save", RETURN, str(return_id),
                        {**audit, "version": version, "c": answer.c_key, "grade": answer.grade,
                         "files": [{"name": f.filename, "sha256": f.sha256} for f in files]})
            saved = sql.get_return(conn, return_id)
        assert saved is not None
        return saved

    def assurance_set_status(self, return_id: int, status: str, actor: str, note: str | None,
                             audit: dict[str, Any]) -> CsReturn:
        """Submit (draft → submitted) or reopen (submitted → draft)."""
        now = utc_now()
        with self.db.write() as conn:
            current = sql.get_return(conn, return_id)
            if current is None:
                raise StorfaError(f"No 12 Cs return with id {return_id}.")
            want_from = DRAFT if status == SUBMITTED else SUBMITTED
            if current.status != want_from:
                raise StorfaError(f"The {current.year} return is {current.status} already.")
            version = sql.bump(conn, return_id, now, status, actor)
            submit = status == SUBMITTED
            sql.add_event(conn, return_id, version, "submitted" if submit else "reopened",
                          actor, now, note=note)
            self._audit(conn, actor, "assurance.return.submit" if submit
                        else "assurance.return.reopen", RETURN, str(return_id),
                        {**audit, "version": version, "note": note, "year": current.year,
                         "organisation_id": current.organisation_id})
            changed = sql.get_return(conn, return_id)
        assert changed is not None
        return changed

    def assurance_answers(self, return_id: int, version: int | None = None) -> list[CsAnswer]:
        with self.db.read() as conn:
            return sql.answers(conn, return_id, version)

    def assurance_events(self, return_id: int) -> list[ReturnEvent]:
        with self.db.read() as conn:
            return sql.events(conn, return_id)

    def assurance_files(self, return_id: int) -> list[EvidenceFile]:
        with self.db.read() as conn:
            return sql.files(conn, return_id)

    def assurance_file(self, file_id: int) -> EvidenceFile | None:
        with self.db.read() as conn:
            return sql.file(conn, file_id)

    def assurance_grades(self, organisation_id: int | None = None,
                         year: int | None = None) -> list[GradeRow]:
        with self.db.read() as conn:
            return sql.grades(conn, organisation_id, year)

    def assurance_submitted_grades(self, year: int) -> Sequence[GradeRow]:
        """The current grades of the year's submitted returns. Held in memory
        with the year's change version (the sum of its returns' versions, their
        count and largest id: every save, submission and reopening bumps a
        version), so a national comparison of a locked year reads one small
        row until something in that year changes. Per process; each process
        checks the version on every call, as referral indicator counts do."""
        with self.db.read() as conn:
            version = sql.year_version(conn, year)
            held = _GRADES.setdefault(self.db, {})
            if year in held and held[year][0] == version:
                return held[year][1]
            found = tuple(sql.grades(conn, None, year, SUBMITTED))
        if len(held) >= _HELD_YEARS and year not in held:
            held.pop(next(iter(held)))
        held[year] = (version, found)
        return found

    # ----------------------------------------------------------------- surveys
    def assurance_add_survey(self, organisation_id: int, title: str, filename: str,
                             sha256: str, columns: Sequence[str],
                             rows: Sequence[Sequence[str]], actor: str,
                             audit: dict[str, Any]) -> int:
        with self.db.write() as conn:
            survey_id = sql.add_survey(conn, organisation_id, title, filename, sha256, columns,
                                       rows, actor, utc_now())
            self._audit(conn, actor, "assurance.survey.import", "assurance_survey",
                        str(survey_id), {**audit, "organisation_id": organisation_id,
                                         "file": filename, "sha256": sha256,
                                         "rows": len(rows), "columns": len(columns)})
        return survey_id

    def assurance_survey(self, survey_id: int) -> Survey | None:
        with self.db.read() as conn:
            return sql.survey(conn, survey_id)

    def assurance_survey_head(self, survey_id: int) -> Survey | None:
        """The survey without its rows (listing fields, the file's SHA-256, the mapping)."""
        with self.db.read() as conn:
            return sql.survey_head(conn, survey_id)

    def assurance_surveys(self, organisation_id: int | None = None) -> list[Survey]:
        with self.db.read() as conn:
            return sql.surveys(conn, organisation_id)

    def assurance_set_survey_mapping(self, survey_id: int, mapping: Sequence[dict[str, str]],
                                     actor: str, audit: dict[str, Any]) -> None:
        with self.db.write() as conn:
            sql.set_mapping(conn, survey_id, mapping, utc_now())
            self._audit(conn, actor, "assurance.survey.map", "assurance_survey",
                        str(survey_id), {**audit, "mapping": list(mapping)})


# The year's submitted grades held per database with the change version they
# were read at (assurance_submitted_grades). GradeRow is frozen and the rows a
# tuple, so every caller can share them.
_Held = dict[int, tuple[tuple[int, int, int], tuple[GradeRow, ...]]]
_GRADES: weakref.WeakKeyDictionary[Database, _Held] = weakref.WeakKeyDictionary()
_HELD_YEARS = 16


def forget_held_grades() -> None:
    """Drop every held comparison (the bench can time cold reads)."""
    _GRADES.clear()
