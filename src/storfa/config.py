"""Settings, declared once as data: name, default, environment variable, help.

The CLI's global options and the docs read this table, so a setting is
documented in exactly one place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any


def _setting(default: Any, env: str, help: str) -> Any:
    return field(default=default, metadata={"env": env, "help": help})


# Settings whose environment value is a path.
_PATHS = frozenset({"data_dir", "shared_dir"})


@dataclass(frozen=True)
class Settings:
    data_dir: Path = _setting(
        Path("storfa-data"), "STORFA_DATA", "Directory holding the database and original files."
    )
    database_url: str | None = _setting(
        None, "STORFA_DATABASE_URL", "postgresql://… selects PostgreSQL; unset means SQLite."
    )
    # Several nodes on one PostgreSQL (docs/deploy.md): a review's original file
    # and an upload waiting for whichever node's worker claims its job must be
    # readable by every node, so they live apart from the per-node data.
    shared_dir: Path | None = _setting(
        None, "STORFA_SHARED_DIR",
        "Directory every node shares: original files (originals/), uploads waiting for an "
        "ingest worker (incoming/), retrained models (models/) and the session key; unset "
        "means the data directory.",
    )
    search_engine: str = _setting(
        "tantivy", "STORFA_SEARCH_ENGINE",
        "Search engine: tantivy (an index beside the database) or postgres "
        "(PostgreSQL full-text search; needs STORFA_DATABASE_URL).",
    )
    max_file_mb: int = _setting(200, "STORFA_MAX_FILE_MB", "Largest file accepted, in MB.")
    max_pages: int = _setting(5000, "STORFA_MAX_PAGES", "Most pages accepted in one document.")
    workers: int = _setting(
        0, "STORFA_WORKERS", "Parser worker processes; 0 means one per CPU core."
    )
    request_threads: int = _setting(
        4, "STORFA_REQUEST_THREADS",
        "Requests one web worker works on at once; the rest wait their turn. Pages are "
        "CPU-bound, so a few keep latency low; raise it if slow exports are common.",
    )
    parse_cpu_seconds: int = _setting(
        60, "STORFA_PARSE_CPU_SECONDS", "CPU seconds one file's parser may use."
    )
    parse_memory_mb: int = _setting(
        1024, "STORFA_PARSE_MEMORY_MB", "Memory one parser worker may use, in MB."
    )
    admin_totp: str = _setting(
        "required", "STORFA_ADMIN_TOTP",
        "Second factor for administrators: required (they enrol at first sign-in) or optional.",
    )
    secret_key: str | None = _setting(
        None, "STORFA_SECRET_KEY",
        "Key that signs session cookies; unset means one kept in the data directory.",
    )
    embed: str = _setting(
        "on", "STORFA_EMBED",
        "Embed new passages for search by meaning after ingest (on) or leave it to "
        "`storfa reindex --embeddings` (off).",
    )
    upload_mb: int = _setting(50, "STORFA_UPLOAD_MB", "Largest file accepted by web upload, in MB.")
    metrics_token: str | None = _setting(
        None, "STORFA_METRICS_TOKEN",
        "Bearer token that opens /metrics to other machines; unset means loopback only.",
    )
    ready_index_lag: int = _setting(
        120, "STORFA_READY_INDEX_LAG",
        "Seconds the search index may trail the database before /readyz reports unready.",
    )
    log_format: str = _setting(
        "json", "STORFA_LOG_FORMAT",
        "Log lines of `storfa serve` and `storfa worker`: json (one object a line) or text.",
    )
    # referrals (issue 18; docs/referrals.md)
    referral_retention_days: int = _setting(
        2557, "STORFA_REFERRAL_RETENTION_DAYS",
        "Days a referral is kept after its last change; `storfa referrals expire` deletes "
        "older ones.",
    )
    mail_sender: str = _setting(
        "file", "STORFA_MAIL_SENDER",
        "How referrers are e-mailed: file (an outbox folder in the data directory), console, "
        "or module:Class.",
    )
    population_file: str | None = _setting(
        None, "STORFA_POPULATION_FILE",
        "CSV of local authorities, regions and child populations for the indicators; unset "
        "means the shipped, illustrative figures.",
    )
    suppress_below: int = _setting(
        5, "STORFA_SUPPRESS_BELOW",
        "Indicator counts from 1 up to this number less one are suppressed in every output.",
    )

    @property
    def database_path(self) -> Path:
        return self.data_dir / "storfa.sqlite3"

    @property
    def shared_root(self) -> Path:
        """Where what every node must see lives (STORFA_SHARED_DIR)."""
        return self.shared_dir if self.shared_dir is not None else self.data_dir

    @property
    def originals_dir(self) -> Path:
        return self.shared_root / "originals"

    @property
    def models_dir(self) -> Path:
        """Retrained classifiers: shared, so every node auto-codes with the same one."""
        return self.shared_root / "models"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def worker_count(self) -> int:
        return self.workers or max(1, os.cpu_count() or 1)

    @classmethod
    def from_env(cls, data_dir: Path | None = None, **overrides: Any) -> Settings:
        """Values from STORFA_* variables, then explicit overrides win."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = os.environ.get(f.metadata["env"])
            if raw is None or raw == "":
                continue
            values[f.name] = Path(raw) if f.name in _PATHS else (
                int(raw) if isinstance(f.default, int) else raw
            )
        if data_dir is not None:
            values["data_dir"] = data_dir
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def cache_dir() -> Path:
    """Where storfa keeps files it derives from what is installed (exported
    model graphs, an unpacked language model): $STORFA_CACHE, else the
    user's cache. Anything here can be deleted; it is made again."""
    root = os.environ.get("STORFA_CACHE") or os.environ.get("XDG_CACHE_HOME")
    base = Path(root) if root else Path.home() / ".cache"
    return base if os.environ.get("STORFA_CACHE") else base / "storfa"


def describe_settings() -> list[tuple[str, str, str]]:
    """(environment variable, default, help) for docs and --help."""
    return [(f.metadata["env"], str(f.default), f.metadata["help"]) for f in fields(Settings)]
