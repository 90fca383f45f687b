"""Deciding disclosure findings on the web (issue 19 item 2): the reader
panel's forms (CSRF) and the API, the same access rules as every change to a
review (another organisation's restricted review is 404, a reader is 403),
and the publication gate on the access form and PUT .../access, with an
administrator's audited override. Both backends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from backends import PostgresRun
from webworld import HOME_ORG, World, backend_env, build_world

PLANTED = ("\nThe health visitor, Ceri Morgan, saw Child Q at 12 Oak Tree Road, Llanelli, "
           "SA15 3AB. Her NHS number is 943 476 5919.\n")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, postgres_run: PostgresRun | None,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with backend_env(request.param, postgres_run):
        base = tmp_path_factory.mktemp(f"decisions-{request.param}")
        site = build_world(base / "data", base / "reviews",
                           extra={level: PLANTED for level in ("public", "restricted", "draft")})
        yield site
        site.close()


def _findings(world: World, level: str) -> dict[str, dict[str, object]]:
    doc = world.client("anonymous").get(f"/api/v1/reviews/{world.keys[level]}/disclosure",
                                        headers=world.bearer("administrator")).json()
    return {str(f["type"]): f for f in doc["findings"]}


def test_editor_decides_in_the_reader_panel(world: World) -> None:
    key = world.keys["public"]
    nhs = _findings(world, "public")["nhs_number"]
    client = world.client("editor")
    form = {"finding": nhs["id"], "decision": "edited", "replacement": "[number]",
            "page": "1", "csrf_token": world.page_csrf("editor")}
    assert client.post(f"/reviews/{key}/disclosure/decide",
                       data={**form, "csrf_token": "wrong"}).status_code == 403
    done = client.post(f"/reviews/{key}/disclosure/decide", data=form)
    assert done.status_code == 303 and done.headers["location"].endswith("#disclosure")
    html = client.get(f"/reviews/{key}").text
    assert 'data-decision="edited"' in html and "[number]" in html
    assert "/disclosure/decide" in html and 'name="decision" value="accepted"' in html
    assert _findings(world, "public")["nhs_number"]["decision"]["replacement"] == "[number]"
    events = [e for e in world.audit("disclosure.decide") if e["object_id"] == key]
    assert events[-1]["actor"] == "user:editor"
    assert events[-1]["detail"]["organisation"] == HOME_ORG
    assert events[-1]["detail"]["finding"] == nhs["id"]

    added = client.post(f"/reviews/{key}/disclosure/terms",
                        data={"term": "Llanelli", "csrf_token": world.page_csrf("editor")})
    assert added.status_code == 303
    html = client.get(f"/reviews/{key}").text
    assert "own list" in html and ">Llanelli" in html
    unknown = client.post(f"/reviews/{key}/disclosure/decide",
                          data={**form, "finding": f"{key}@v1:nhs_number:1-2"})
    assert unknown.status_code == 404


def test_other_organisations_and_readers_cannot_decide(world: World) -> None:
    key = world.keys["restricted"]
    postcode = _findings(world, "restricted")["postcode"]
    url = f"/api/v1/reviews/{key}/disclosure/{postcode['id']}"
    body = {"decision": "rejected"}
    for who, status in (("other_editor", 404), ("other_reader", 404), ("reader", 403),
                        ("anonymous", 401)):
        refused = world.client("anonymous").post(url, json=body, headers=world.bearer(who))
        assert refused.status_code == status, (who, refused.text)
        assert "SA15" not in refused.text
        page = world.client(who).post(f"/reviews/{key}/disclosure/decide",
                                      data={"finding": postcode["id"], "decision": "rejected",
                                            "csrf_token": world.page_csrf(who)})
        assert page.status_code in ((404, 403) if who != "anonymous" else (403, 401, 404)), who
    assert _findings(world, "restricted")["postcode"]["decision"] is None
    denied = [e for e in world.audit("disclosure.decide") if e["detail"].get("allowed") is False]
    assert {e["actor"] for e in denied} >= {"user:reader"}
    assert any(e["actor"] == "user:other_editor" for e in world.audit("review.view")
               if e["detail"].get("allowed") is False and e["object_id"] == key)


def test_api_decides_and_keeps_terms(world: World) -> None:
    key = world.keys["restricted"]
    found = _findings(world, "restricted")
    editor = world.bearer("editor")
    client = world.client("anonymous")
    done = client.post(f"/api/v1/reviews/{key}/disclosure/{found['postcode']['id']}",
                       json={"decision": "accepted"}, headers=editor)
    assert done.status_code == 200, done.text
    assert done.json()["decision"]["decision"] == "accepted"
    assert done.json()["decision"]["by"] == "user:editor"
    assert client.post(f"/api/v1/reviews/{key}/disclosure/{found['postcode']['id']}",
                       json={"decision": "edited"}, headers=editor).status_code == 400
    assert client.post(f"/api/v1/reviews/{key}/disclosure/{key}@v1:postcode:0-1",
                       json={"decision": "accepted"}, headers=editor).status_code == 404
    term = client.post(f"/api/v1/reviews/{key}/disclosure/terms", json={"term": "Morgan"},
                       headers=editor)
    assert term.status_code == 200 and term.json()["terms"] == ["Morgan"]
    doc = _findings(world, "restricted")
    assert doc["postcode"]["decision"]["decision"] == "accepted"
    gone = client.delete(f"/api/v1/reviews/{key}/disclosure/terms/Morgan", headers=editor)
    assert gone.status_code == 200 and gone.json() == {"review_id": key, "changed": True,
                                                        "terms": []}


def test_publication_gate_on_the_form_and_the_api(world: World) -> None:
    key = world.keys["draft"]
    editor, admin = world.client("editor"), world.client("administrator")
    refused = editor.post(f"/reviews/{key}/access",
                          data={"level": "public", "csrf_token": world.page_csrf("editor")})
    assert refused.status_code == 400
    assert "findings of the disclosure check are undecided" in refused.text
    api = world.client("anonymous").put(f"/api/v1/reviews/{key}/access",
                                        json={"level": "registered"},
                                        headers=world.bearer("administrator"))
    assert api.status_code == 400 and "undecided" in api.json()["detail"]
    # An editor's override is not an override.
    assert world.client("anonymous").put(
        f"/api/v1/reviews/{key}/access", json={"level": "public", "override_disclosure": True},
        headers=world.bearer("editor")).status_code == 400
    assert world.storfa.accounts.accounts.review_access(world.rows["draft"]).level == "draft"
    # The form offers the override to administrators only.
    assert 'name="override_disclosure"' in admin.get(f"/reviews/{key}").text
    assert 'name="override_disclosure"' not in editor.get(f"/reviews/{key}").text
    assert 'id="publication-gate"' in editor.get(f"/reviews/{key}").text

    done = admin.post(f"/reviews/{key}/access",
                      data={"level": "registered", "override_disclosure": "yes",
                            "csrf_token": world.page_csrf("administrator")})
    assert done.status_code == 303, done.text
    assert world.storfa.accounts.accounts.review_access(world.rows["draft"]).level == \
        "registered"
    overrides = [e for e in world.audit("disclosure.override") if e["object_id"] == key]
    assert overrides and overrides[-1]["actor"] == "user:administrator"
    refusals = [e for e in world.audit("review.access") if e["object_id"] == key
                and e["detail"].get("allowed") is False]
    assert len(refusals) == 3
    world.set_access("draft", "draft", [HOME_ORG])  # as the module's other tests expect
