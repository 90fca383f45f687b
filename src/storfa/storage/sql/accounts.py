"""Accounts, sessions, API tokens, review access and saved searches in SQL.

Written once with `?` placeholders like the rest of the SQL store, so SQLite
and PostgreSQL run the same code and the same tests."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from storfa.clock import utc_now
from storfa.domain.accounts import (
    AccessLevel,
    Credentials,
    Organisation,
    OrgKind,
    ReviewAccess,
    Role,
    SavedSearch,
    SessionRecord,
    User,
    organisation_kind,
)
from storfa.domain.errors import N_, StorfaError
from storfa.storage.sql.adapter import Database, Row

_USER_COLUMNS = (
    "u.id, u.username, u.display_name, u.role, u.organisation_id, u.disabled, "
    "u.totp_secret, u.language, o.name AS organisation_name"
)
_USERS = (f"SELECT {_USER_COLUMNS} FROM users u "
          "LEFT JOIN organisations o ON o.id = u.organisation_id")


_ORG_COLUMNS = "id, name, board, kind"


def _organisation(row: Row) -> Organisation:
    return Organisation(int(row["id"]), str(row["name"]), row["board"], OrgKind(row["kind"]))


def _user(row: Row) -> User:
    return User(
        id=int(row["id"]), username=str(row["username"]),
        display_name=str(row["display_name"]), role=Role(row["role"]),
        organisation_id=row["organisation_id"], organisation_name=row["organisation_name"],
        disabled=bool(row["disabled"]), totp_enabled=bool(row["totp_secret"]),
        language=row["language"])


class SQLAccounts:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ----------------------------------------------------------- organisations
    # The kind and region come checked by domain.accounts.organisation_kind;
    # no kind: as that function defaults it.
    def add_organisation(self, name: str, board: str | None = None,
                         kind: OrgKind | None = None) -> Organisation:
        kind, board = organisation_kind(kind, board)
        name = name.strip()
        if not name:
            raise StorfaError(N_("An organisation needs a name."))
        with self.db.write() as conn:
            if conn.one("SELECT id FROM organisations WHERE name = ?", (name,)):
                raise StorfaError(N_("An organisation called {name!r} already exists."),
                                  name=name)
            oid = conn.insert("INSERT INTO organisations (name, board, kind, created_at) "
                              "VALUES (?, ?, ?, ?)", (name, board, kind.value, utc_now()))
        return Organisation(oid, name, board, kind)

    def set_organisation(self, organisation_id: int, kind: OrgKind,
                         board: str | None) -> None:
        with self.db.write() as conn:
            conn.execute("UPDATE organisations SET kind = ?, board = ? WHERE id = ?",
                         (kind.value, board, organisation_id))

    def organisations(self) -> list[Organisation]:
        with self.db.read() as conn:
            return [_organisation(r) for r in conn.execute(
                f"SELECT {_ORG_COLUMNS} FROM organisations ORDER BY name")]

    def organisation(self, name_or_id: str | int) -> Organisation | None:
        column = "id" if isinstance(name_or_id, int) else "name"
        with self.db.read() as conn:
            row = conn.one(f"SELECT {_ORG_COLUMNS} FROM organisations WHERE {column} = ?",
                           (name_or_id,))
        return _organisation(row) if row else None

    # ------------------------------------------------------------------- users
    def add_user(self, username: str, display_name: str, password_hash: str, role: Role,
                 organisation_id: int | None) -> User:
        with self.db.write() as conn:
            if conn.one("SELECT id FROM users WHERE username = ?", (username,)):
                raise StorfaError(N_("The username {username!r} is taken."),
                                  username=username)
            uid = conn.insert(
                "INSERT INTO users (username, display_name, password_hash, role, "
                "organisation_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (username, display_name, password_hash, role.value, organisation_id, utc_now()))
        user = self.user(uid)
        assert user is not None
        return user

    def users(self) -> list[User]:
        with self.db.read() as conn:
            return [_user(r) for r in conn.execute(f"{_USERS} ORDER BY u.username")]

    def user(self, user_id: int) -> User | None:
        with self.db.read() as conn:
            row = conn.one(f"{_USERS} WHERE u.id = ?", (user_id,))
        return _user(row) if row else None

    def user_by_name(self, username: str) -> User | None:
        with self.db.read() as conn:
            row = conn.one(f"{_USERS} WHERE u.username = ?", (username,))
        return _user(row) if row else None

    def credentials(self, username: str) -> Credentials | None:
        with self.db.read() as conn:
            row = conn.one(f"SELECT {_USER_COLUMNS}, u.password_hash FROM users u "
                           "LEFT JOIN organisations o ON o.id = u.organisation_id "
                           "WHERE u.username = ?", (username,))
        if row is None:
            return None
        return Credentials(_user(row), str(row["password_hash"]), row["totp_secret"])

    def update_user(self, user_id: int, **changes: Any) -> None:
        allowed = {"display_name", "password_hash", "role", "organisation_id", "disabled",
                   "totp_secret", "language"}
        if not changes or set(changes) - allowed:
            raise StorfaError(f"Cannot change {sorted(set(changes) - allowed)} on a user.")
        sets = ", ".join(f"{k} = ?" for k in changes)
        with self.db.write() as conn:
            conn.execute(f"UPDATE users SET {sets} WHERE id = ?", (*changes.values(), user_id))
            if changes.get("disabled") or "password_hash" in changes or "role" in changes:
                # A disabled account, a new password or a new role ends every session.
                conn.execute("DELETE FROM user_sessions WHERE user_id = ?", (user_id,))
            if changes.get("disabled"):
                conn.execute("UPDATE api_tokens SET revoked = 1 WHERE user_id = ?", (user_id,))

    # ---------------------------------------------------------------- sessions
    def add_session(self, token_hash: str, user_id: int, csrf_token: str,
                    address: str | None, second_factor: bool) -> None:
        now = utc_now()
        with self.db.write() as conn:
            conn.execute(
                "INSERT INTO user_sessions (token_hash, user_id, csrf_token, second_factor, "
                "address, created_at, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (token_hash, user_id, csrf_token, int(second_factor), address, now, now))

    def session(self, token_hash: str) -> SessionRecord | None:
        with self.db.read() as conn:
            row = conn.one(
                f"SELECT {_USER_COLUMNS}, s.csrf_token, s.second_factor, "
                "s.created_at AS s_created, s.last_seen FROM user_sessions s "
                "JOIN users u ON u.id = s.user_id "
                "LEFT JOIN organisations o ON o.id = u.organisation_id "
                "WHERE s.token_hash = ?", (token_hash,))
        if row is None:
            return None
        return SessionRecord(_user(row), str(row["csrf_token"]), bool(row["second_factor"]),
                             str(row["s_created"]), str(row["last_seen"]))

    def touch_session(self, token_hash: str, second_factor: bool | None = None) -> None:
        with self.db.write() as conn:
            conn.execute("UPDATE user_sessions SET last_seen = ? WHERE token_hash = ?",
                         (utc_now(), token_hash))
            if second_factor is not None:
                conn.execute("UPDATE user_sessions SET second_factor = ? WHERE token_hash = ?",
                             (int(second_factor), token_hash))

    def end_session(self, token_hash: str) -> None:
        with self.db.write() as conn:
            conn.execute("DELETE FROM user_sessions WHERE token_hash = ?", (token_hash,))

    # -------------------------------------------------------------- API tokens
    def add_token(self, user_id: int, name: str, token_hash: str) -> int:
        with self.db.write() as conn:
            return conn.insert("INSERT INTO api_tokens (user_id, name, token_hash, created_at) "
                               "VALUES (?, ?, ?, ?)", (user_id, name, token_hash, utc_now()))

    def token_user(self, token_hash: str) -> User | None:
        with self.db.read() as conn:
            row = conn.one(f"{_USERS} JOIN api_tokens t ON t.user_id = u.id "
                           "WHERE t.token_hash = ? AND t.revoked = 0", (token_hash,))
        return _user(row) if row else None

    def tokens(self, user_id: int) -> list[dict[str, Any]]:
        with self.db.read() as conn:
            return [dict(r) for r in conn.execute(
                "SELECT id, name, created_at, last_used, revoked FROM api_tokens "
                "WHERE user_id = ? ORDER BY id", (user_id,))]

    def revoke_token(self, user_id: int, token_id: int) -> bool:
        with self.db.write() as conn:
            found = conn.one("SELECT id FROM api_tokens WHERE id = ? AND user_id = ?",
                             (token_id, user_id))
            conn.execute("UPDATE api_tokens SET revoked = 1 WHERE id = ? AND user_id = ?",
                         (token_id, user_id))
        return found is not None

    # ------------------------------------------------------------ review access
    def restricted_reviews(self) -> dict[int, ReviewAccess]:
        """Every review that is not public, with its organisations."""
        with self.db.read() as conn:
            levels = {int(r["review_id"]): str(r["level"]) for r in conn.execute(
                "SELECT review_id, level FROM review_access WHERE level <> 'public'")}
            orgs: dict[int, set[int]] = {}
            for r in conn.execute("SELECT review_id, organisation_id FROM review_access_orgs"):
                orgs.setdefault(int(r["review_id"]), set()).add(int(r["organisation_id"]))
        return {row: ReviewAccess(AccessLevel(level), frozenset(orgs.get(row, ())))
                for row, level in levels.items()}

    def review_access(self, review_row: int) -> ReviewAccess:
        with self.db.read() as conn:
            row = conn.one("SELECT level FROM review_access WHERE review_id = ?", (review_row,))
            orgs = frozenset(int(r["organisation_id"]) for r in conn.execute(
                "SELECT organisation_id FROM review_access_orgs WHERE review_id = ?",
                (review_row,)))
        return ReviewAccess(AccessLevel(row["level"]) if row else AccessLevel.PUBLIC, orgs)

    def set_review_access(self, review_row: int, level: AccessLevel,
                          organisation_ids: Iterable[int], actor: str) -> None:
        with self.db.write() as conn:
            conn.execute("DELETE FROM review_access_orgs WHERE review_id = ?", (review_row,))
            conn.execute("DELETE FROM review_access WHERE review_id = ?", (review_row,))
            conn.execute("INSERT INTO review_access (review_id, level, updated_by, updated_at) "
                         "VALUES (?, ?, ?, ?)", (review_row, level.value, actor, utc_now()))
            conn.executemany(
                "INSERT INTO review_access_orgs (review_id, organisation_id) VALUES (?, ?)",
                [(review_row, o) for o in sorted(set(organisation_ids))])

    # ----------------------------------------------------------- saved searches
    def save_search(self, user_id: int, name: str, query: str, params: dict[str, Any]) -> int:
        with self.db.write() as conn:
            return conn.insert(
                "INSERT INTO saved_searches (user_id, name, query, params, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (user_id, name, query, json.dumps(params, sort_keys=True), utc_now()))

    def saved_searches(self, user_id: int) -> list[SavedSearch]:
        with self.db.read() as conn:
            return [SavedSearch(int(r["id"]), str(r["name"]), str(r["query"]),
                                json.loads(r["params"]), str(r["created_at"]))
                    for r in conn.execute("SELECT * FROM saved_searches WHERE user_id = ? "
                                          "ORDER BY id DESC", (user_id,))]

    def delete_saved_search(self, user_id: int, search_id: int) -> None:
        with self.db.write() as conn:
            conn.execute("DELETE FROM saved_searches WHERE id = ? AND user_id = ?",
                         (search_id, user_id))

    # ------------------------------------------------------------ login limits
    def record_failure(self, keys: Iterable[str]) -> None:
        now = utc_now()
        with self.db.write() as conn:
            conn.executemany("INSERT INTO login_failures (key, at) VALUES (?, ?)",
                             [(k, now) for k in keys])

    def failures_since(self, key: str, since: str) -> int:
        with self.db.read() as conn:
            row = conn.one("SELECT COUNT(*) AS n FROM login_failures WHERE key = ? AND at >= ?",
                           (key, since))
        return int(row["n"]) if row else 0

    def clear_failures(self, key: str) -> None:
        with self.db.write() as conn:
            conn.execute("DELETE FROM login_failures WHERE key = ?", (key,))
