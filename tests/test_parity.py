"""One use case, three adapters: the CLI, the page and the API run the same
application method (reviews/service.py, CodingService.decide_suggestion), so
the same request stores the same result whichever way it comes in.

Each use case runs through all three on the real site (tests/webworld.py),
on SQLite and on PostgreSQL, and the stored results are compared."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from backends import PostgresRun
from harness import Cli
from storfa.accounts.service import Actor
from storfa.cli.output import EXIT_USAGE
from storfa.domain.coding import NewExtract
from storfa.domain.errors import LockOut
from storfa.domain.reviews import DATE_FIELDS, TEXT_FIELDS
from storfa.ingest.metadata.corrections import EDITABLE
from storfa.storage.sql.extracts import SQLExtracts
from webworld import HOME_ORG, OTHER_ORG, World, backend_env, build_world

ADAPTERS = ("cli", "page", "api")
# Each adapter works on its own review, so their results sit side by side.
REVIEW_OF = {"cli": "public", "page": "registered", "api": "restricted"}
BOOK = "best-practice"
VISITING = "the health visitor kept visiting"
LOCKED_OUT = "never locks their own organisation out"


@pytest.fixture(params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, postgres_run: PostgresRun | None,
          tmp_path: Path) -> Iterator[World]:
    with backend_env(request.param, postgres_run):
        site = build_world(tmp_path / "data", tmp_path / "reviews")
        yield site
        site.close()


def cli(world: World) -> Cli:
    return Cli(world.storfa.settings.data_dir)


def _org_id(world: World, name: str) -> int:
    org = world.storfa.accounts.accounts.organisation(name)
    assert org is not None
    return org.id


def _ok(response: httpx.Response) -> None:
    assert response.status_code in (200, 303), (response.status_code, response.text[:300])


# ------------------------------------------------------------------ metadata
def correct(world: World, adapter: str, key: str, field: str, value: str) -> None:
    if adapter == "cli":
        cli(world).json("reviews", "set", key, field, value)
    elif adapter == "page":
        _ok(world.client("editor").post(f"/reviews/{key}/metadata", data={
            "field": field, "value": value, "csrf_token": world.page_csrf("editor")}))
    else:
        _ok(world.client("anonymous").patch(f"/api/v1/reviews/{key}/metadata",
                                            headers=world.bearer("editor"),
                                            json={"field": field, "value": value}))


def stored(world: World, key: str) -> dict[str, tuple[str, str]]:
    record = world.storfa.store.get_review(key)
    assert record is not None
    return {m.field: (m.value, m.source) for m in record.metadata}


def year_hits(world: World, year: int) -> set[str]:
    found = world.client("anonymous").get(
        "/api/v1/search", params={"q": f"curiosity year:{year}"},
        headers=world.bearer("administrator"))
    assert found.status_code == 200, found.text
    return {h["review_id"] for h in found.json()["hits"]}


def test_the_editable_fields_are_every_field_a_review_carries() -> None:
    assert sorted(EDITABLE) == sorted(TEXT_FIELDS + DATE_FIELDS)


def test_a_metadata_correction_is_stored_alike_and_searchable_at_once(world: World) -> None:
    for n, adapter in enumerate(ADAPTERS):
        key = world.keys[REVIEW_OF[adapter]]
        # No year in the identifier: the year now comes from the sign-off date.
        correct(world, adapter, key, "identifier", "Child Q")
        correct(world, adapter, key, "sign_off", f"3rd March {2031 + n}")
        correct(world, adapter, key, "board", "  western   bay ")
        correct(world, adapter, key, "type", "cpr")
        # Normalised as the parser stores it, whichever way it came in…
        values = stored(world, key)
        assert values["sign_off"] == (f"{2031 + n}-03-03", "editor"), adapter
        assert values["board"] == ("West Glamorgan", "editor"), adapter
        assert values["type"] == ("CPR", "editor"), adapter
        # … and found by year at once: the search index was brought up to date.
        assert key in year_hits(world, 2031 + n), adapter
        assert key not in year_hits(world, int(REVIEWS_YEAR[REVIEW_OF[adapter]])), adapter
    # Audited alike: the use case's event, with the value as stored.
    for adapter in ADAPTERS:
        key = world.keys[REVIEW_OF[adapter]]
        events = [e["detail"] for e in world.audit("review.metadata")
                  if e["object_id"] == key and e["detail"]["field"] == "board"]
        assert events and events[-1]["value"] == "West Glamorgan", (adapter, events)


REVIEWS_YEAR = {"public": "2017", "registered": "2018", "restricted": "2019"}


def test_a_bad_correction_is_refused_alike_and_changes_nothing(world: World) -> None:
    key = world.keys["public"]
    before = stored(world, key)
    assert cli(world).json("reviews", "set", key, "sign_off", "someday",
                           expect_exit=EXIT_USAGE)["error"]
    page = world.client("editor").post(f"/reviews/{key}/metadata", data={
        "field": "sign_off", "value": "someday", "csrf_token": world.page_csrf("editor")})
    api = world.client("anonymous").patch(f"/api/v1/reviews/{key}/metadata",
                                          headers=world.bearer("editor"),
                                          json={"field": "sign_off", "value": "someday"})
    assert page.status_code == api.status_code == 400
    assert "YYYY-MM-DD" in api.json()["detail"]
    for field in ("year", "no_such_field"):
        assert world.client("anonymous").patch(
            f"/api/v1/reviews/{key}/metadata", headers=world.bearer("editor"),
            json={"field": field, "value": "x"}).status_code == 400
    assert stored(world, key) == before


# -------------------------------------------------------------------- access
def set_access(world: World, adapter: str, key: str, level: str, orgs: list[str],
               who: str = "editor") -> httpx.Response | None:
    if adapter == "cli":
        options = [a for name in orgs for a in ("--organisation", name)]
        cli(world).json("reviews", "access", key, level, *options)
        return None
    if adapter == "page":
        return world.client(who).post(f"/reviews/{key}/access", data={
            "level": level, "organisations": [str(_org_id(world, o)) for o in orgs],
            "csrf_token": world.page_csrf(who)})
    return world.client("anonymous").put(f"/api/v1/reviews/{key}/access",
                                         headers=world.bearer(who),
                                         json={"level": level, "organisations": orgs})


def test_an_access_change_is_stored_alike(world: World) -> None:
    both = [HOME_ORG, OTHER_ORG]
    for adapter in ADAPTERS:
        key = world.keys[REVIEW_OF[adapter]]
        response = set_access(world, adapter, key, "restricted", both)
        if response is not None:
            _ok(response)
    accesses = {world.storfa.accounts.accounts.review_access(world.rows[REVIEW_OF[a]])
                for a in ADAPTERS}
    assert len(accesses) == 1, accesses
    (access,) = accesses
    assert access.level == "restricted"
    assert access.organisations == {_org_id(world, o) for o in both}
    for adapter in ADAPTERS:
        events = [e for e in world.audit("review.access")
                  if e["object_id"] == world.keys[REVIEW_OF[adapter]]]
        assert any(e["detail"]["allowed"] is True and e["detail"]["level"] == "restricted"
                   for e in events), adapter


def test_an_editor_cannot_lock_their_own_organisation_out(world: World) -> None:
    key = world.keys["restricted"]  # restricted to the editor's own organisation
    before = world.storfa.accounts.accounts.review_access(world.rows["restricted"])
    for adapter in ("page", "api"):
        refused = set_access(world, adapter, key, "restricted", [OTHER_ORG])
        assert refused is not None
        assert refused.status_code == 403, (adapter, refused.text[:300])
        assert LOCKED_OUT in refused.text, adapter
    api = set_access(world, "api", key, "draft", [OTHER_ORG])
    assert api is not None and api.status_code == 403
    assert api.headers["content-type"].startswith("application/problem+json")
    assert HOME_ORG in api.json()["detail"] and LOCKED_OUT in api.json()["detail"]
    assert world.storfa.accounts.accounts.review_access(world.rows["restricted"]) == before
    refusals = [e for e in world.audit("review.access")
                if e["object_id"] == key and e["detail"]["allowed"] is False]
    assert len(refusals) == 3 and {e["actor"] for e in refusals} == {"user:editor"}
    # No path skips the rule: not the account service's own step either.
    with pytest.raises(LockOut):
        world.storfa.accounts.set_access(world.rows["restricted"], key, "restricted",
                                         [_org_id(world, OTHER_ORG)],
                                         Actor(world.users["editor"], "test"))
    # Administrators see every review, and the command line belongs to no
    # organisation: the rule does not bind them.
    _ok(set_access(world, "api", key, "restricted", [OTHER_ORG], who="administrator"))
    set_access(world, "cli", key, "draft", [OTHER_ORG])
    assert world.storfa.accounts.accounts.review_access(world.rows["restricted"]).level \
        == "draft"


# ------------------------------------------------------------------- coding
def _suggest(world: World) -> dict[str, int]:
    """One model suggestion on each adapter's review; their extract ids."""
    sql = SQLExtracts(world.storfa.store.db)
    ids = {}
    for adapter, level in REVIEW_OF.items():
        record = world.storfa.store.get_review(world.keys[level])
        assert record is not None
        text = sql.version_text(record.version_id)
        start = text.index(VISITING)
        sql.replace_suggestions(record.id, BOOK, [NewExtract(
            review_row=record.id, version_id=record.version_id, start=start,
            end=start + len(VISITING), text=VISITING, codebook=BOOK,
            code="Persistency in care and support", theme="Care and Support",
            coder="auto-coder", how="model", confidence=0.8, source_detail="model")])
        (made,) = [e for e in sql.select(codebook=BOOK, review_row=record.id)
                   if e.text == VISITING]
        ids[adapter] = made.id
    return ids


def decide(world: World, adapter: str, extract_id: int, action: str,
           code: str | None = None) -> None:
    if adapter == "cli":
        cli(world).json("code", action, str(extract_id), *([code] if code else []),
                        "--coder", "user:coder")
    elif adapter == "page":
        _ok(world.client("coder").post(f"/coding/decide/{extract_id}", data={
            "action": action, "code": code or "", "csrf_token": world.page_csrf("coder")}))
    else:
        _ok(world.client("anonymous").post(
            f"/api/v1/coding/extracts/{extract_id}/decision", headers=world.bearer("coder"),
            json={"action": action, "code": code}))


def undo(world: World, adapter: str) -> None:
    if adapter == "cli":
        cli(world).json("code", "undo", "--coder", "user:coder")
    elif adapter == "page":
        _ok(world.client("coder").post("/coding/undo",
                                       data={"csrf_token": world.page_csrf("coder")}))
    else:
        _ok(world.client("anonymous").post("/api/v1/coding/undo",
                                           headers=world.bearer("coder")))


def _state(world: World, extract_id: int) -> tuple[tuple[object, ...], ...]:
    """Every row of the suggestion's review, current and superseded (the
    decision history), without ids: what two adapters must both have stored."""
    sql = SQLExtracts(world.storfa.store.db)
    row = sql.get(extract_id).review_row
    return tuple(sorted((e.status, e.code, e.theme, e.decided_by, e.superseded,
                         e.origin_id is None) for e in sql.select(
                             codebook=BOOK, review_row=row, superseded=True)))


def _decision(world: World, extract_id: int) -> tuple[str, str]:
    """(status, code) of user:coder's current decision on the suggestion."""
    state = _state(world, extract_id)
    mine = [r for r in state if r[3] == "user:coder" and not r[4]]
    return (str(mine[0][0]), str(mine[0][1])) if mine else ("suggested", str(state[0][1]))


def test_deciding_a_suggestion_is_stored_alike(world: World) -> None:
    ids = _suggest(world)
    for action, code, want in (
            ("reject", None, ("rejected", "Persistency in care and support")),
            ("accept", None, ("accepted", "Persistency in care and support")),
            ("recode", "Multi-agency working", ("accepted", "Multi-agency working"))):
        for adapter in ADAPTERS:
            decide(world, adapter, ids[adapter], action, code)
        states = {_state(world, ids[a]) for a in ADAPTERS}
        assert len(states) == 1, (action, states)
        assert {_decision(world, ids[a]) for a in ADAPTERS} == {want}, action
    # The history is kept: each undo, whichever adapter asks, steps back
    # user:coder's newest change (the API's recode first, then the page's…).
    for n, adapter in enumerate(ADAPTERS):
        undo(world, adapter)
        newest = ADAPTERS[len(ADAPTERS) - 1 - n]
        assert _decision(world, ids[newest]) == ("accepted",
                                                 "Persistency in care and support"), adapter
    assert len({_state(world, ids[a]) for a in ADAPTERS}) == 1
    assert len(world.audit("code.undo")) == 3
    assert len(world.audit("code.recode")) == 3


def test_a_recode_without_a_code_is_refused_everywhere(world: World) -> None:
    ids = _suggest(world)
    assert cli(world).json("code", "recode", str(ids["cli"]), " ", "--coder", "user:coder",
                           expect_exit=EXIT_USAGE)["error"]
    page = world.client("coder").post(f"/coding/decide/{ids['page']}", data={
        "action": "recode", "code": "", "csrf_token": world.page_csrf("coder")})
    assert page.status_code == 400
    api = world.client("anonymous").post(f"/api/v1/coding/extracts/{ids['api']}/decision",
                                         headers=world.bearer("coder"),
                                         json={"action": "recode"})
    assert api.status_code == 422 and "code to use instead" in api.json()["detail"]
    assert {_decision(world, i) for i in ids.values()} == {
        ("suggested", "Persistency in care and support")}
    assert world.storfa.coding.sql.get(ids["api"]).decided_by is None
