"""Storage: one interface, chosen in one place (`open_store`)."""

from __future__ import annotations

from storfa.config import Settings
from storfa.storage.interface import Store
from storfa.storage.sql.store import DuplicateFile, SQLStore


def open_store(settings: Settings) -> Store:
    """SQLite in the data directory, unless STORFA_DATABASE_URL names PostgreSQL."""
    url = settings.database_url
    if url and url.split(":", 1)[0] in ("postgresql", "postgres"):
        from storfa.storage.postgres.database import PostgresDatabase

        return SQLStore(PostgresDatabase(url))
    if url:
        from storfa.domain.errors import StorfaError

        raise StorfaError(f"STORFA_DATABASE_URL must start with postgresql:// (got {url!r}).")
    from storfa.storage.sqlite.database import SQLiteDatabase

    return SQLStore(SQLiteDatabase(settings.database_path))


__all__ = ["DuplicateFile", "Store", "open_store"]
