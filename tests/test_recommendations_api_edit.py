"""Editors' corrections to the recommendations register (edit, split, merge)
in /api/v1, and the same corrections through the CLI, the page and the API
storing the same thing (RecommendationRegister.edit / .split / .merge hold
every rule: tidying, the semicolon-separated agencies, what may be split or
merged). The API keeps the page's access policy: a reader or coder is 403
(audited), a hidden review's recommendation 404, no token 401; errors are
problem documents."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backends import PostgresRun
from storfa.cli.output import EXIT_USAGE
from storfa.domain.errors import StorfaError
from test_parity import ADAPTERS, REVIEW_OF, _ok, cli
from test_web_api_product import _api, _problem
from webworld import REVIEWS, World, backend_env, build_world

API = "/api/v1/recommendations"
EXTRA = ("\n## Recommendations\n\n1. The police should record the child's voice in every "
         "assessment.\n2. The health board must follow up missed appointments with the GP.\n")
SECOND = "The health board must follow up missed appointments with the GP."
# One correction as people type it: spaces to tidy, agencies in any order and twice.
TEXT = "  The police   should record the child's voice in every assessment and review. "
AGENCIES = ["South Wales Police", "  GP ", "GP"]


def _world(base: Path) -> World:
    return build_world(base / "data", base / "reviews", extra={level: EXTRA for level in REVIEWS})


@pytest.fixture(params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, postgres_run: PostgresRun | None,
          tmp_path: Path) -> Iterator[World]:
    with backend_env(request.param, postgres_run):
        site = _world(tmp_path)
        yield site
        site.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """SQLite only, shared by the API's access and error checks."""
    with backend_env("sqlite", None):
        built = _world(tmp_path_factory.mktemp("recommendations-api-edit"))
        yield built
        built.close()


def _recs(world: World, level: str) -> list[int]:
    return [r.id for _, r in world.storfa.register().listing(world.keys[level])]


# ------------------------------------------------------------------ parity
def edit(world: World, adapter: str, rec: int) -> None:
    if adapter == "cli":
        cli(world).json("recommendations", "edit", str(rec), "--text", TEXT, "--number", " 1a ",
                        "--agencies", "; ".join(AGENCIES), "--level", " Regional ",
                        "--note", " typo ")
    elif adapter == "page":
        _ok(world.client("editor").post(f"/recommendations/{rec}/edit", data={
            "text": TEXT, "number": " 1a ", "agencies": "; ".join(AGENCIES),
            "level": " Regional ", "note": " typo ", "csrf_token": world.page_csrf("editor")}))
    else:
        _ok(_api(world, "editor").patch(f"{API}/{rec}", json={
            "text": TEXT, "number": " 1a ", "agencies": AGENCIES, "level": " Regional ",
            "note": " typo "}))


def split(world: World, adapter: str, rec: int, at: int) -> None:
    if adapter == "cli":
        cli(world).json("recommendations", "split", str(rec), "--at", str(at))
    elif adapter == "page":
        _ok(world.client("editor").post(f"/recommendations/{rec}/split", data={
            "at": str(at), "first": "", "second": "", "csrf_token": world.page_csrf("editor")}))
    else:
        _ok(_api(world, "editor").post(f"{API}/{rec}/split", json={"at": at}))


def merge(world: World, adapter: str, keep: int, other: int) -> None:
    if adapter == "cli":
        cli(world).json("recommendations", "merge", str(keep), str(other))
    elif adapter == "page":
        _ok(world.client("editor").post(f"/recommendations/{keep}/merge", data={
            "other": str(other), "csrf_token": world.page_csrf("editor")}))
    else:
        _ok(_api(world, "editor").post(f"{API}/{keep}/merge", json={"other": other}))


def state(world: World, ids: list[int]) -> tuple[Any, ...]:
    """The recommendations (current or not) and their history, without ids,
    times or who: what every adapter must have stored alike."""
    register = world.storfa.register()
    out = []
    for rec_id in ids:
        r = register.get(rec_id)
        out.append((r.number, r.text, tuple(r.agencies), r.level, r.status, r.corrected,
                    r.superseded, r.merged_into is not None, r.themes,
                    tuple((h.field, h.old, h.new, (h.note or "").split("#")[0])
                          for h in register.history(rec_id))))
    return tuple(out)


def test_a_correction_is_stored_alike(world: World) -> None:
    ids = {a: _recs(world, REVIEW_OF[a]) for a in ADAPTERS}
    for adapter in ADAPTERS:
        edit(world, adapter, ids[adapter][0])
    edited = {a: state(world, ids[a][:1]) for a in ADAPTERS}
    assert len(set(edited.values())) == 1, edited
    ((number, text, agencies, level, _, corrected, *_),) = edited["api"]
    assert (number, text, agencies, level, corrected) == (
        "1a", " ".join(TEXT.split()), ("South Wales Police", "GP"), "regional", True)
    fields = [h[0] for h in edited["api"][0][-1]]
    assert fields == ["text", "number", "agencies", "level"]
    assert {h[3] for h in edited["api"][0][-1]} == {"typo"}
    # Audited alike, with the values as stored.
    for adapter in ADAPTERS:
        (event,) = [e for e in world.audit("recommendations.edit")
                    if e["object_id"] == str(ids[adapter][0])]
        assert (event["detail"]["level"], event["detail"]["note"]) == ("regional", "typo")
        assert event["detail"]["review_id"] == world.keys[REVIEW_OF[adapter]]

    # Split the second at the same place, then merge the parts back.
    at = SECOND.index(" with the GP")
    for adapter in ADAPTERS:
        split(world, adapter, ids[adapter][1], at)
    parts = {a: _recs(world, REVIEW_OF[a])[1:] for a in ADAPTERS}
    assert all(len(p) == 2 for p in parts.values()), parts
    assert len({state(world, parts[a]) for a in ADAPTERS}) == 1
    for adapter in ADAPTERS:
        merge(world, adapter, *parts[adapter])
    merged = {a: state(world, parts[a]) for a in ADAPTERS}
    assert len(set(merged.values())) == 1, merged
    kept, gone = merged["api"]
    assert kept[1] == SECOND and not kept[6]
    assert gone[6] and gone[7]  # superseded, merged into the first
    for action in ("recommendations.split", "recommendations.merge"):
        assert {e["object_id"] for e in world.audit(action)} == {
            str(parts[a][0]) for a in ADAPTERS}, action


def test_a_bad_correction_is_refused_alike_and_changes_nothing(world: World) -> None:
    ids = {a: _recs(world, REVIEW_OF[a])[0] for a in ADAPTERS}
    before = {a: state(world, [ids[a]]) for a in ADAPTERS}
    with pytest.raises(StorfaError) as refused:
        world.storfa.register().edit(ids["api"], "test", level="global")
    said = cli(world).json("recommendations", "edit", str(ids["cli"]), "--level", "global",
                           expect_exit=EXIT_USAGE)["error"]
    page = world.client("editor").post(f"/recommendations/{ids['page']}/edit", data={
        "text": "x", "number": "1", "level": "global", "csrf_token": world.page_csrf("editor")})
    api = _api(world, "editor").patch(f"{API}/{ids['api']}", json={"level": "global"})
    assert page.status_code == 400
    assert said == _problem(api, 400)["detail"] == str(refused.value)
    assert {a: state(world, [ids[a]]) for a in ADAPTERS} == before


# --------------------------------------------------------------------- API
def test_only_those_who_track_may_correct(site: World) -> None:
    rec = _recs(site, "public")[0]
    for who, action, path, body in (
            ("reader", "recommendations.edit", "", {"text": "x"}),
            ("coder", "recommendations.split", "/split", {"at": 3}),
            ("reader", "recommendations.merge", "/merge", {"other": rec})):
        send = _api(site, who).patch if not path else _api(site, who).post
        assert _problem(send(f"{API}/{rec}{path}", json=body), 403)
        assert any(e["actor"] == f"user:{who}" and e["detail"].get("allowed") is False
                   and e["object_id"] == str(rec) for e in site.audit(action)), action
        assert _problem(_api(site, "anonymous").post(f"{API}/{rec}/split", json={"at": 3}), 401)
    hidden = _recs(site, "restricted")[0]
    assert _problem(_api(site, "other_editor").patch(f"{API}/{hidden}", json={"text": "x"}), 404)
    assert _problem(_api(site, "editor").patch(f"{API}/999999", json={"text": "x"}), 404)
    assert not site.storfa.register().get(rec).corrected
    assert not site.storfa.register().get(hidden).corrected


def test_edit_split_and_merge_through_the_api(site: World) -> None:
    first, second = _recs(site, "registered")
    editor = _api(site, "editor")
    done = editor.patch(f"{API}/{first}", json={"agencies": [], "level": "", "note": "none"})
    assert done.status_code == 200, done.text
    body = done.json()
    assert (body["agencies"], body["level"], body["corrected"]) == ([], None, True)
    assert [h["field"] for h in body["history"]] == ["agencies"]  # level was not stated
    assert _problem(editor.patch(f"{API}/{first}", json={}), 400)["detail"].startswith(
        "Nothing to change")
    assert _problem(editor.patch(f"{API}/{first}", json={"text": "   "}), 400)
    assert _problem(editor.patch(f"{API}/{first}", json={"agencies": ["x"] * 101}), 422)

    # Split: at an offset or into two texts, never both or neither.
    assert _problem(editor.post(f"{API}/{second}/split", json={}), 400)
    assert _problem(editor.post(f"{API}/{second}/split",
                                json={"at": 5, "first": "a", "second": "b"}), 400)
    assert _problem(editor.post(f"{API}/{second}/split", json={"first": "Only one"}), 400)
    assert _problem(editor.post(f"{API}/{second}/split", json={"at": 10_000}), 400)
    assert _problem(editor.post(f"{API}/{second}/split", json={"at": 0}), 422)
    parts = editor.post(f"{API}/{second}/split", json={
        "first": "The health board must follow up missed appointments.",
        "second": "  The GP   should be told. "})
    assert parts.status_code == 200, parts.text
    a, b = parts.json()["recommendations"]
    assert (a["id"], b["text"], b["number"]) == (second, "The GP should be told.", "2b")

    # Merge: another current recommendation of the same review, that you see.
    public = _recs(site, "public")[0]
    hidden = _recs(site, "restricted")[0]
    assert _problem(editor.post(f"{API}/{second}/merge", json={"other": second}), 400)
    assert "same review" in _problem(
        editor.post(f"{API}/{second}/merge", json={"other": public}), 400)["detail"]
    assert _problem(editor.post(f"{API}/{second}/merge", json={"other": 999999}), 404)
    assert _problem(_api(site, "other_editor").post(
        f"{API}/{public}/merge", json={"other": hidden}), 404)
    assert _problem(editor.post(f"{API}/{second}/merge", json={"other": 2**63}), 422)
    merged = editor.post(f"{API}/{second}/merge", json={"other": b["id"],
                                                        "text": "Follow up; tell the GP."})
    assert merged.status_code == 200, merged.text
    assert merged.json()["text"] == "Follow up; tell the GP."
    assert merged.json()["history"][-1]["field"] == "merge"
    gone = editor.get(f"{API}/{b['id']}").json()
    assert gone["superseded"] and gone["merged_into"] == second
    # A merged-away recommendation is no longer current: not split, merged or edited.
    for path, send, body in (("/split", editor.post, {"at": 3}),
                             ("/merge", editor.post, {"other": first}),
                             ("", editor.patch, {"text": "Revived"})):
        assert "current" in _problem(send(f"{API}/{b['id']}{path}", json=body),
                                     400)["detail"], path
    assert _recs(site, "registered") == [first, second]
    assert {e["actor"] for e in site.audit("recommendations.merge")
            if e["detail"].get("allowed") is not False} == {"user:editor"}


def test_the_operations_are_documented(site: World) -> None:
    paths = TestClient(site.app).get("/api/v1/openapi.json").json()["paths"]
    for path, method in (("/recommendations/{rec_id}", "patch"),
                         ("/recommendations/{rec_id}/split", "post"),
                         ("/recommendations/{rec_id}/merge", "post")):
        operation = paths[path][method]
        for status in ("200", "400", "401", "403", "404", "422"):
            assert status in operation["responses"], (path, status)
