"""Coding a case variable, three adapters: `storfa analyse set`, the
case-variables grid's form and `POST /api/v1/analysis/variables/{key}` all
call CaseVariableService (set_value / confirm / reject, or .decide), so the
same decision stores the same rows, normalised alike, whichever way it came.

The world, the adapters' reviews and the helpers are test_parity.py's: each
adapter codes its own review, on SQLite and on PostgreSQL, and the stored
decisions are compared."""

from __future__ import annotations

from typing import Any

import test_parity
from storfa.cli.output import EXIT_USAGE
from storfa.domain.errors import StorfaError
from test_parity import ADAPTERS, REVIEW_OF, _ok, cli
from webworld import World

# test_parity's fixture: the site on SQLite and on PostgreSQL.
world = test_parity.world

# The lexicon suggests both in every review of the world ("health visitor",
# "professional curiosity").
SUGGESTED = ("agency_health_visiting", "rec_professional_curiosity")


def _key(world: World, adapter: str) -> str:
    return world.keys[REVIEW_OF[adapter]]


def code(world: World, adapter: str, variable: str, value: str = "",
         action: str = "set") -> None:
    """One decision through one adapter. The command line has no "confirm":
    setting the suggested value confirms it (with the suggestion's evidence)."""
    key = _key(world, adapter)
    if adapter == "cli":
        if action == "reject":
            value = "reject"  # the command's word for turning the suggestion down
        elif action == "confirm":
            (suggested,) = {s.value for s in world.storfa.casevars.history(key, variable)
                            if s.status == "suggested"}
            value = suggested
        cli(world).json("analyse", "set", key, variable, value)
    elif adapter == "page":
        _ok(world.client("coder").post(f"/analysis/variables/{key}", data={
            "variable": variable, "value": value, "action": action,
            "next": "/analysis/variables", "csrf_token": world.page_csrf("coder")}))
    else:
        _ok(world.client("anonymous").post(
            f"/api/v1/analysis/variables/{key}", headers=world.bearer("coder"),
            json={"variable": variable, "value": value, "action": action}))


def decisions(world: World, adapter: str) -> tuple[tuple[Any, ...], ...]:
    """Every decision on the adapter's review, current and superseded, without
    ids, times, coder or passage ids (each review has its own passages)."""
    return tuple(sorted(
        (v.variable, v.value, v.status, v.source, v.term, v.superseded,
         v.evidence is not None, v.evidence.page if v.evidence else None)
        for v in world.storfa.casevars.history(_key(world, adapter))
        if v.status != "suggested"))


def coders(world: World, adapter: str) -> set[str]:
    return {v.coder for v in world.storfa.casevars.history(_key(world, adapter))
            if v.status != "suggested"}


def codes(world: World, adapter: str) -> dict[str, str | None]:
    """The cells the statistics read for the adapter's review."""
    service = world.storfa.casevars
    record = world.storfa.store.get_review(_key(world, adapter))
    assert record is not None
    (case,) = service.cases([(record.id, record.summary)])
    return {name: state.code for name, state in case.states.items()}


def test_coding_a_case_variable_is_stored_alike(world: World) -> None:
    keys = [_key(world, a) for a in ADAPTERS]
    world.storfa.casevars.suggest(keys, "test", model=False)
    for adapter in ADAPTERS:
        code(world, adapter, "child_neglect", " Yes ")        # a person's word for present
        code(world, adapter, "index_incident_type", "sudi")   # a category, any case
        code(world, adapter, SUGGESTED[0], action="confirm")  # the suggestion, its evidence
        code(world, adapter, SUGGESTED[1], action="reject")   # the suggestion turned down
        code(world, adapter, "child_neglect", "not known")    # changed: the first kept as history
    stored = {a: decisions(world, a) for a in ADAPTERS}
    assert len(set(stored.values())) == 1, stored
    mine = stored["api"]
    # Normalised as the service stores it, whichever way it came in…
    assert ("child_neglect", "present", "confirmed", "coder", None, True, False, None) in mine
    assert ("child_neglect", "not_known", "confirmed", "coder", None, False, False,
            None) in mine
    assert ("index_incident_type", "SUDI", "confirmed", "coder", None, False, False,
            None) in mine
    # … a confirmed suggestion keeps its evidence and term, a rejected one too.
    assert ("agency_health_visiting", "present", "confirmed", "coder", "health visitor*",
            False, True, 1) in mine
    assert any(d[:3] == ("rec_professional_curiosity", "present", "rejected") and d[6]
               for d in mine)
    assert len({frozenset(codes(world, a).items()) for a in ADAPTERS}) == 1
    assert codes(world, "page")["child_neglect"] == "0"
    assert codes(world, "page")["agency_health_visiting"] == "1"
    # Recorded under the person's name (the command line's user on the CLI)…
    assert coders(world, "page") == coders(world, "api") == {"user:coder"}
    (on_cli,) = coders(world, "cli")
    assert on_cli.startswith("cli:")
    # … and each decision audited, with the value as stored.
    for adapter in ADAPTERS:
        events = [(e["detail"]["variable"], e["detail"]["value"], e["detail"]["status"])
                  for e in world.audit() if str(e["action"]).startswith("casevars.")
                  and e["action"] != "casevars.suggest"
                  and e["object_id"] == _key(world, adapter)]
        assert sorted(events) == sorted(d[:3] for d in stored[adapter]), adapter


def test_a_bad_value_is_refused_alike_and_stores_nothing(world: World) -> None:
    with_message = world.storfa.casevars
    try:
        with_message.set_value(_key(world, "api"), "child_neglect", "perhaps", "test")
    except StorfaError as exc:
        message = str(exc)
    else:
        raise AssertionError("the service took 'perhaps' for a binary variable")
    said = cli(world).json("analyse", "set", _key(world, "cli"), "child_neglect", "perhaps",
                           expect_exit=EXIT_USAGE)["error"]
    page = world.client("coder").post(f"/analysis/variables/{_key(world, 'page')}", data={
        "variable": "child_neglect", "value": "perhaps",
        "csrf_token": world.page_csrf("coder")})
    api = world.client("anonymous").post(
        f"/api/v1/analysis/variables/{_key(world, 'api')}", headers=world.bearer("coder"),
        json={"variable": "child_neglect", "value": "perhaps"})
    assert page.status_code == api.status_code == 400
    assert said == api.json()["detail"] == message
    assert "child_neglect is present or not_known" in page.text
    # A variable that does not exist, and a rejection with nothing to reject.
    for variable, action in (("no_such_variable", "set"), ("child_neglect", "reject")):
        assert world.client("anonymous").post(
            f"/api/v1/analysis/variables/{_key(world, 'api')}", headers=world.bearer("coder"),
            json={"variable": variable, "value": "present", "action": action}
        ).status_code == 400, variable
    assert cli(world).json("analyse", "set", _key(world, "cli"), "child_neglect", "reject",
                           expect_exit=EXIT_USAGE)["error"]
    assert all(decisions(world, a) == () for a in ADAPTERS)
