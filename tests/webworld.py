"""A small storfa site for the web tests: four reviews, one per access level,
two organisations and a user for every role, signed in through the real login
form (cookie sessions) or holding an API token.

The restricted review carries a word found nowhere else, so a leak through a
hit, a snippet, a total or a facet count shows up as that word or that board."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyotp
import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backends import PostgresRun, postgres_schema
from storfa.accounts.service import Actor
from storfa.app import Storfa
from storfa.config import Settings
from storfa.domain.accounts import User
from storfa.ingest.after_store import after_store
from storfa.web.app import create_app

HOME_ORG = "Home Safeguarding Board"
OTHER_ORG = "Other Safeguarding Board"
PASSWORD = "correct horse battery staple"
SYSTEM = Actor(None, "test")
# A word every review shares, and one word per review found nowhere else.
COMMON = "curiosity"
LEVELS = ("public", "registered", "restricted", "draft")
# name → (identifier, board, unique word)
REVIEWS = {
    "public": ("CPR2017-W01", "Cwm Taf Morgannwg Safeguarding Board", "zephyrine"),
    "registered": ("CPR2018-W02", "West Glamorgan Safeguarding Board", "quokkaline"),
    "restricted": ("CPR2019-W07", "North Wales Safeguarding Board", "xylocarpus"),
    "draft": ("CPR2020-W09", "Gwent Safeguarding Board", "wombatine"),
}
# What the store makes of those boards and identifiers: facet values.
BOARD = {"public": "Cwm Taf Morgannwg", "registered": "West Glamorgan",
         "restricted": "North Wales", "draft": "Gwent"}
YEAR = {"public": "2017", "registered": "2018", "restricted": "2019", "draft": "2020"}
# Role name in the tests → (storfa role, organisation); None is anonymous.
PEOPLE: dict[str, tuple[str, str]] = {
    "administrator": ("administrator", HOME_ORG),
    "editor": ("editor", HOME_ORG),
    "coder": ("coder", HOME_ORG),
    "reader": ("reader", HOME_ORG),
    "other_reader": ("reader", OTHER_ORG),
    "other_editor": ("editor", OTHER_ORG),
}
WHO = (*PEOPLE, "anonymous")


def review_markdown(identifier: str, board: str, word: str, extra: str = "") -> str:
    return f"""# Child Practice Review {identifier}

{board} — Child Practice Review re: Child Q

## Brief outline of circumstances resulting in the review

The index incident occurred on 14th March 2019. The case was referred to the
Case Review Sub-Group on 2 May 2019.

## Practice and organisational learning

Practitioners showed professional {COMMON} about {word} when the health visitor
kept visiting. Escalation of concerns to the team manager was timely.
{extra}
## Statement by reviewer(s)

The review was signed off by the Board on 11/01/2021.
"""


# Still Argon2id, but cheap: at full cost (0.1–0.7 s a hash on a busy machine)
# creating people would dominate these tests. Verifying reads the cost from the hash.
_CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@contextmanager
def backend_env(name: str, postgres_run: PostgresRun | None) -> Iterator[None]:
    """STORFA_* variables for one backend, for fixtures wider than one test
    (conftest's `backend` fixture is per test), and cheap password hashing."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("storfa.accounts.service.hash_password", _CHEAP.hash)
        mp.delenv("STORFA_DATABASE_URL", raising=False)
        mp.setenv("STORFA_SEARCH_ENGINE", "tantivy")
        if name == "sqlite":
            yield
            return
        schema, url = postgres_schema(postgres_run)
        mp.setenv("STORFA_DATABASE_URL", url)
        try:
            yield
        finally:
            postgres_run.drop_schema(schema)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no csrf_token field on the page"
    return found.group(1)


@dataclass
class World:
    storfa: Storfa
    app: FastAPI
    keys: dict[str, str]                     # access level → review id
    rows: dict[str, int]                     # access level → review row
    users: dict[str, User]
    tokens: dict[str, str]
    totp: dict[str, str] = field(default_factory=dict)
    _clients: dict[str, TestClient] = field(default_factory=dict)

    def bearer(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"} if who in self.tokens else {}

    def login(self, username: str, password: str = PASSWORD,
              client: TestClient | None = None) -> TestClient:
        """A client signed in through the real form (TOTP code when enrolled)."""
        client = client or TestClient(self.app, follow_redirects=False)
        csrf = csrf_of(client.get("/login").text)
        form = {"username": username, "password": password, "csrf_token": csrf, "next": "/"}
        if username in self.totp:
            form["code"] = pyotp.TOTP(self.totp[username]).now()
        response = client.post("/login", data=form)
        assert response.status_code == 303, (response.status_code, response.text[:500])
        return client

    def client(self, who: str) -> TestClient:
        """One cookie-session client per person, reused; anonymous has no session."""
        if who not in self._clients:
            self._clients[who] = (TestClient(self.app, follow_redirects=False)
                                  if who == "anonymous" else self.login(who))
        return self._clients[who]

    def page_csrf(self, who: str) -> str:
        """The CSRF token this person's forms carry (per session, or per cookie)."""
        return csrf_of(self.client(who).get("/login").text)

    def audit(self, action: str | None = None) -> list[dict[str, object]]:
        import json

        events = self.storfa.store.audit_events(limit=100_000)
        out = [{**e, "detail": json.loads(e.get("detail") or "{}")} for e in events]
        return [e for e in out if action is None or e["action"] == action]

    def set_access(self, level_name: str, level: str, orgs: list[str]) -> None:
        ids = []
        for name in orgs:
            org = self.storfa.accounts.accounts.organisation(name)
            assert org is not None
            ids.append(org.id)
        self.storfa.accounts.set_access(self.rows[level_name], self.keys[level_name], level,
                                        ids, SYSTEM)

    def new_user(self, username: str, role: str = "reader",
                 org: str | None = HOME_ORG) -> tuple[User, str]:
        """A further person for a test that changes them (disables, locks out)."""
        user = self.storfa.accounts.add_user(username, PASSWORD, role, org, SYSTEM)
        return user, self.storfa.accounts.create_token(user, "tests", SYSTEM)

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self.storfa.close()


def build_world(data_dir: Path, reviews_dir: Path, extra: dict[str, str] | None = None,
                **settings: object) -> World:
    """Ingest the four reviews, set their access levels and create the people."""
    storfa = Storfa(Settings.from_env(data_dir=data_dir, workers=1, **settings))
    paths = []
    reviews_dir.mkdir(parents=True, exist_ok=True)
    for level, (identifier, board, word) in REVIEWS.items():
        path = reviews_dir / f"{identifier.lower()}.md"
        path.write_text(review_markdown(identifier, board, word, (extra or {}).get(level, "")),
                        encoding="utf-8")
        paths.append(path)
    results = storfa.ingest.ingest(paths)
    assert [r.status for r in results] == ["ingested"] * 4, results
    # What `storfa ingest` and the worker run next (recommendations, recurrence).
    after = after_store(storfa, [r.review_id for r in results if r.review_id], SYSTEM.name)
    assert not after.failures, after
    keys_by_row = storfa.store.review_keys()
    rows = {key: row for row, key in keys_by_row.items()}
    keys = {level: REVIEWS[level][0] for level in LEVELS}
    assert set(keys.values()) <= set(rows), (keys, rows)
    accounts = storfa.accounts
    for org in (HOME_ORG, OTHER_ORG):
        accounts.add_organisation(org, None, SYSTEM)
    users, tokens, totp = {}, {}, {}
    for who, (role, org) in PEOPLE.items():
        user = accounts.add_user(who, PASSWORD, role, org, SYSTEM)
        if role == "administrator":
            secret = accounts.new_totp_secret()
            assert accounts.enrol_totp(user, secret, pyotp.TOTP(secret).now(), SYSTEM)
            totp[who] = secret
        users[who] = user
        tokens[who] = accounts.create_token(user, "tests", SYSTEM)
    world = World(storfa, create_app(storfa), keys, {lv: rows[k] for lv, k in keys.items()},
                  users, tokens, totp)
    world.set_access("registered", "registered", [])
    world.set_access("restricted", "restricted", [HOME_ORG])
    world.set_access("draft", "draft", [HOME_ORG])
    return world
