"""People and organisations for the referral tests: a school whose teacher
refers, the Cardiff hub that receives, another local authority's team, and an
administrator. Built straight through the services (no reviews needed)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from storfa.accounts.service import Actor
from storfa.app import Storfa
from storfa.config import Settings
from storfa.domain.accounts import User
from storfa.domain.referrals import ReferralForm
from storfa.referrals.service import Caller, ReferralService

SYSTEM = Actor(None, "test")
PASSWORD = "correct horse battery staple"
SCHOOL, HUB, OTHER = "Ysgol Example Primary", "Cardiff Safeguarding Hub", "Newport Duty Team"
# name → (role, organisation)
PEOPLE = {
    "teacher": ("reader", SCHOOL),
    "head": ("editor", SCHOOL),
    "hub_worker": ("reader", HUB),
    "hub_manager": ("editor", HUB),
    "newport_worker": ("editor", OTHER),
    "admin": ("administrator", OTHER),
}
TODAY = dt.date(2026, 3, 10)
_CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@dataclass
class People:
    storfa: Storfa
    service: ReferralService
    users: dict[str, User]

    def caller(self, who: str) -> Caller:
        user = self.users[who]
        return Caller(user.actor, user, detail={"role": user.role.value,
                                                "organisation": user.organisation_name})


def add_people(storfa: Storfa, monkeypatch: pytest.MonkeyPatch) -> People:
    monkeypatch.setattr("storfa.accounts.service.hash_password", _CHEAP.hash)
    accounts = storfa.accounts
    for org in (SCHOOL, HUB, OTHER):
        accounts.add_organisation(org, None, SYSTEM)
    users = {who: accounts.add_user(who, PASSWORD, role, org, SYSTEM)
             for who, (role, org) in PEOPLE.items()}
    service = storfa.referrals
    operator = Caller("test", operator=True)
    service.set_receiver(operator, "Cardiff", HUB)
    service.set_receiver(operator, "Newport", OTHER)
    return People(storfa, service, users)


def a_form(**changes: object) -> ReferralForm:
    values: dict[str, object] = dict(
        local_authority="Cardiff", source="education", referrer_email="teacher@school.example",
        subject_name="Child Q", subject_dob="2017-05-02", household_address="1 Example Street",
        categories=("neglect",), natures=("domestic_abuse",),
        observed="Came to school hungry and with bruises.", actions_taken="Spoke to the head.")
    values.update(changes)
    return ReferralForm(**values)  # type: ignore[arg-type]


def store_before(data_dir: Path, monkeypatch: pytest.MonkeyPatch, version: int,
                 seed: int = 5, per_year: int = 80) -> None:
    """A database at the migration before `version`, holding referrals
    imported from a generated sample (Cardiff and Powys, 2024 and 2025) and
    written as the import wrote them then: rows and events, no derived facts."""
    from storfa.domain.referral_numbers import new_reference
    from storfa.referrals import importer
    from storfa.referrals.sample import write_sample
    from storfa.storage.migrations.runner import load_migrations

    monkeypatch.setattr("storfa.storage.sql.store.load_migrations",
                        lambda dialect: [m for m in load_migrations(dialect)
                                         if m.version < version])
    old = Storfa(Settings.from_env(data_dir=data_dir, workers=1))
    with old.store.db.write() as conn:  # as that schema holds it: no kind (0031)
        org_id = conn.insert("INSERT INTO organisations (name, board, created_at) "
                             "VALUES (?, ?, ?)", [HUB, None, TODAY.isoformat()])
    out = io.StringIO()
    write_sample(out, ["Cardiff", "Powys"], [2024, 2025], per_year, seed=seed)
    checked, found = importer.check_file(out.getvalue().encode(), "old.csv",
                                         set(old.referrals.areas()), TODAY)
    assert not found
    with old.store.db.write() as conn:
        for columns, events in importer.database_rows(checked, org_id, "old", "test"):
            columns = {**columns, "reference": new_reference()}
            rid = conn.insert(f"INSERT INTO referrals ({', '.join(columns)}) VALUES "
                              f"({', '.join('?' * len(columns))})", list(columns.values()))
            conn.executemany(
                "INSERT INTO referral_events (referral_id, kind, on_date, within_timescale, "
                "actor, at) VALUES (?, ?, ?, ?, ?, ?)",
                [(rid, e.kind, e.on_date, None if e.within_timescale is None
                  else int(e.within_timescale), e.actor, e.at) for e in events])
    old.close()
    monkeypatch.setattr("storfa.storage.sql.store.load_migrations", load_migrations)
