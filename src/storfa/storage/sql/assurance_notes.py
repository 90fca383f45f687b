"""Edited strengths and areas for development of a triangulated theme
(migration 0023_assurance_drafts) in portable SQL. Append-only: the latest
row for an organisation and theme is the current text. Each save appends its
audit event in the same transaction (Store.audit_in); who may save is decided
in assurance/triangulation.py, not here."""

from __future__ import annotations

from typing import Any

from storfa.clock import utc_now
from storfa.domain.assurance import SavedNote
from storfa.storage.interface import Store

OBJECT = "assurance_triangulation"
_NOTE = ("SELECT id, organisation_id, theme, strengths, areas, actor, at "
         "FROM assurance_triangulation_notes")


class TriangulationNotes:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def latest(self, organisation_id: int, theme: str) -> SavedNote | None:
        with self.db.read() as conn:
            row = conn.one(f"{_NOTE} WHERE organisation_id = ? AND theme = ? "
                           "ORDER BY id DESC LIMIT 1", (organisation_id, theme))
        if row is None:
            return None
        return SavedNote(int(row["id"]), str(row["strengths"]), str(row["areas"]),
                         str(row["actor"]), str(row["at"]))

    def save(self, organisation_id: int, theme: str, strengths: str, areas: str, actor: str,
             audit: dict[str, Any]) -> int:
        with self.db.write() as conn:
            made = conn.insert(
                "INSERT INTO assurance_triangulation_notes (organisation_id, theme, strengths, "
                "areas, actor, at) VALUES (?, ?, ?, ?, ?, ?)",
                (organisation_id, theme, strengths, areas, actor, utc_now()))
            self.store.audit_in(conn, actor, "assurance.triangulation.save", OBJECT,
                                f"{organisation_id}:{theme}",
                                {**audit, "note_id": made, "organisation_id": organisation_id,
                                 "theme": theme, "strengths_chars": len(strengths),
                                 "areas_chars": len(areas)})
        return made
