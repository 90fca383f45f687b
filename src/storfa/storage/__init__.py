"""Storage: one interface, chosen in one place (`open_store`)."""

from __future__ import annotations

from storfa.config import Settings
from storfa.domain.errors import StorfaError
from storfa.storage.interface import IndexDoc, NewVersion, ReviewRecord, Store


def open_store(settings: Settings) -> Store:
    if settings.database_url:
        raise StorfaError(
            "PostgreSQL storage is not available in this version; unset STORFA_DATABASE_URL "
            "to use the embedded SQLite store."
        )
    from storfa.storage.sqlite.store import SQLiteStore

    return SQLiteStore(settings.database_path)


__all__ = ["IndexDoc", "NewVersion", "ReviewRecord", "Store", "open_store"]
