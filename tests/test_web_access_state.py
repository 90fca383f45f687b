"""A Hypothesis state machine adds organisations and people, changes roles,
disables accounts and grants and revokes access levels and organisations on
reviews at random, and after every step checks through the real API, with
each person's token, that they see a review (in the list, as a page, as a
search hit, in facet counts) exactly when the rules allow it.

The rules are written out here once more (`may_see`), independently of
storfa.accounts.policy, and the policy is checked to agree with them."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from storfa.accounts.policy import can_view
from storfa.domain.accounts import AccessLevel, ReviewAccess, Role, User
from webworld import (
    BOARD,
    COMMON,
    HOME_ORG,
    LEVELS,
    OTHER_ORG,
    PEOPLE,
    REVIEWS,
    SYSTEM,
    World,
    backend_env,
    build_world,
)

ROLES = ("administrator", "editor", "coder", "reader")
INITIAL = {"public": ("public", frozenset()), "registered": ("registered", frozenset()),
           "restricted": ("restricted", frozenset({HOME_ORG})),
           "draft": ("draft", frozenset({HOME_ORG}))}
names = itertools.count(1)


def may_see(role: str | None, org: str | None, level: str, orgs: frozenset[str]) -> bool:
    """The access rules as the issue states them, for an enabled person (None: anonymous)."""
    if level == "public":
        return True
    if role is None:
        return False
    if role == "administrator" or level == "registered":
        return True
    if org is None or org not in orgs:
        return False
    return level == "restricted" or role == "editor"


@dataclass
class Person:
    username: str | None       # None: anonymous
    role: str | None
    org: str | None
    token: str | None
    disabled: bool = False


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    # SQLite only: the access rules are the same code on both backends, and
    # test_web_access.py runs the full matrix on each.
    with backend_env("sqlite", None):
        base = tmp_path_factory.mktemp("state")
        site = build_world(base / "data", base / "reviews")
        yield site
        site.close()


class AccessMachine(RuleBasedStateMachine):
    world: World  # set by the test before it runs

    def __init__(self) -> None:
        super().__init__()
        self.client = TestClient(self.world.app)
        self.admin = self.world.bearer("administrator")
        self.orgs = [HOME_ORG, OTHER_ORG]
        self.access = dict(INITIAL)
        self.people = [Person(None, None, None, None)] + [
            Person(who, role, org, self.world.tokens[who]) for who, (role, org) in PEOPLE.items()]

    @initialize()
    def reset_access(self) -> None:
        """Every example starts from the site's initial levels (the store outlives it)."""
        for review, (level, orgs) in INITIAL.items():
            self.world.set_access(review, level, sorted(orgs))

    # ------------------------------------------------------------- rules
    @rule()
    def add_organisation(self) -> None:
        name = f"Org {next(names)}"
        self.world.storfa.accounts.add_organisation(name, None, SYSTEM)
        self.orgs.append(name)

    @rule(role=st.sampled_from(ROLES), data=st.data())
    def add_person(self, role: str, data: st.DataObject) -> None:
        org = data.draw(st.none() | st.sampled_from(self.orgs), label="organisation")
        user, token = self.world.new_user(f"person{next(names)}", role, org)
        self.people.append(Person(user.username, role, org, token))

    @precondition(lambda self: bool(self._created()))
    @rule(data=st.data(), role=st.sampled_from(ROLES))
    def change_role(self, data: st.DataObject, role: str) -> None:
        person = data.draw(st.sampled_from(self._created()), label="person")
        self.world.storfa.accounts.set_role(str(person.username), role, SYSTEM)
        person.role = role

    @precondition(lambda self: bool(self._created()))
    @rule(data=st.data())
    def disable(self, data: st.DataObject) -> None:
        person = data.draw(st.sampled_from(self._created()), label="person")
        self.world.storfa.accounts.set_disabled(str(person.username), True, SYSTEM)
        person.disabled = True

    @rule(review=st.sampled_from(LEVELS), level=st.sampled_from(LEVELS), data=st.data())
    def set_access(self, review: str, level: str, data: st.DataObject) -> None:
        orgs = data.draw(st.frozensets(st.sampled_from(self.orgs), max_size=3), label="orgs")
        response = self.client.put(f"/api/v1/reviews/{self.world.keys[review]}/access",
                                   headers=self.admin,
                                   # Each review has an undecided disclosure finding (its
                                   # incident date): the administrator overrides the
                                   # publication gate, which test_disclosure_decisions tests.
                                   json={"level": level, "organisations": sorted(orgs),
                                         "override_disclosure": True})
        if level in ("restricted", "draft") and not orgs:
            assert response.status_code == 400, response.text  # and nothing changes
            return
        assert response.status_code == 200, response.text
        self.access[review] = (level, orgs)

    @rule(data=st.data())
    def look_closely(self, data: st.DataObject) -> None:
        """One person's view review by review: pages and each review's own word."""
        person = data.draw(st.sampled_from(self._enabled()), label="person")
        for review in LEVELS:
            allowed = self._sees(person, review)
            key = self.world.keys[review]
            page = self.client.get(f"/api/v1/reviews/{key}/pages/1",
                                   headers=self._headers(person))
            assert page.status_code == (200 if allowed else 404), (person, review, page.text)
            found = self.client.get("/api/v1/search", headers=self._headers(person),
                                    params={"q": REVIEWS[review][2], "with_facets": "true"}
                                    ).json()
            assert found["total"] == int(allowed), (person, review, found)
            boards = {f["value"] for f in found["facets"]["board"]}
            assert boards == ({BOARD[review]} if allowed else set()), (person, review)

    # --------------------------------------------------------- invariant
    @invariant()
    def everyone_sees_exactly_what_the_rules_allow(self) -> None:
        seen: set[tuple[str | None, str | None]] = set()
        for person in self.people:
            headers = self._headers(person)
            if person.disabled:
                listed = self.client.get("/api/v1/reviews", headers=headers)
                assert listed.status_code == 401, person
                continue
            # People alike in role and organisation see alike: one of each keeps it quick.
            if (person.role, person.org) in seen:
                continue
            seen.add((person.role, person.org))
            expected = {self.world.keys[r] for r in LEVELS if self._sees(person, r)}
            listed = self.client.get("/api/v1/reviews", headers=headers).json()
            assert {r["review_id"] for r in listed["reviews"]} == expected, person
            found = self.client.get("/api/v1/search", headers=headers,
                                    params={"q": COMMON, "limit": 50, "with_facets": "true"}
                                    ).json()
            assert {h["review_id"] for h in found["hits"]} == expected, person
            assert found["total"] == len(expected), person
            type_counts = sum(f["reviews"] for f in found["facets"]["type"])
            assert type_counts == len(expected), (person, found["facets"])

    # ----------------------------------------------------------- helpers
    def _created(self) -> list[Person]:
        """People this machine added and has not disabled (the site's own stay as they are)."""
        return [p for p in self.people if p.username and p.username.startswith("person")
                and not p.disabled]

    def _enabled(self) -> list[Person]:
        return [p for p in self.people if not p.disabled]

    def _headers(self, person: Person) -> dict[str, str]:
        return {"Authorization": f"Bearer {person.token}"} if person.token else {}

    def _sees(self, person: Person, review: str) -> bool:
        level, orgs = self.access[review]
        expected = may_see(person.role, person.org, level, orgs)
        # The policy module must agree with the rules as written here.
        user = None if person.role is None else User(
            0, str(person.username), "", Role(person.role), self._org_id(person.org), person.org)
        access = ReviewAccess(AccessLevel(level), frozenset(self._org_id(o) for o in orgs))
        assert can_view(user, access) == expected, (person, level, orgs)
        return expected

    def _org_id(self, name: str | None) -> int | None:
        if name is None:
            return None
        org = self.world.storfa.accounts.accounts.organisation(name)
        assert org is not None
        return org.id


def test_users_see_reviews_only_when_the_policy_allows(world: World) -> None:
    AccessMachine.world = world
    run_state_machine_as_test(AccessMachine, settings=settings(
        max_examples=15, stateful_step_count=15, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]))
