"""The rest of the product in /api/v1, through the real app with API tokens:
analysis (frequencies, associations, map, timeliness, quality, downloads,
the case-variable grid with suggest and decide, agreement between coders),
the recommendations register (list, filter, detail, set status, notes with
evidence, export) and reports (briefing and thematic as JSON, PDF and DOCX,
recurrence). Each answers with what its page shows, stores what its page
stores, and keeps to the same access rules: another organisation never sees
a restricted review's data, a reader cannot change a recommendation, and
errors are problem documents."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storfa.domain.coding import NewExtract
from storfa.domain.errors import StorfaError
from storfa.reports.words import SECTIONS
from storfa.storage.sql.extracts import SQLExtracts
from webworld import World, build_world

API = "/api/v1"
BOOK = "best-practice"
ESCALATION = "Escalation of concerns to the team manager was timely."
EXTRA = ("Neglect of the child was noted by the police and the school.\n"
         "\n## Recommendations\n\n1. The police should record the child's voice in every "
         "assessment.\n2. The health board must follow up missed appointments with the GP.\n")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("api-product")
    site = build_world(base / "data", base / "reviews",
                       extra={level: EXTRA for level in ("public", "registered", "restricted",
                                                         "draft")})
    yield site
    site.close()


def _api(world: World, who: str) -> TestClient:
    """A client with no cookie: the person's API token only."""
    client = TestClient(world.app, follow_redirects=False)
    client.headers.update(world.bearer(who))
    return client


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


def _recs(world: World, level: str) -> list[int]:
    items = world.storfa.register().listing(world.keys[level])
    return [r.id for _, r in items]


# ------------------------------------------------------------------ analysis
def test_coding_a_case_variable_is_the_grids_decision(world: World) -> None:
    public, hidden = world.keys["public"], world.keys["restricted"]
    coder = _api(world, "coder")
    found = coder.post(f"{API}/analysis/suggest", params={"year_from": 2017, "year_to": 2017},
                       json={})
    assert found.status_code == 200, found.text
    assert found.json()["reviews"] == [public]
    assert any(s["variable"] == "child_neglect" for s in found.json()["suggestions"])
    grid = coder.get(f"{API}/analysis/variables", params={"review": public}).json()
    state = grid["reviews"][0]["variables"]["child_neglect"]
    assert grid["reviews"][0]["may_code"] and state["code"] is None
    assert state["suggestions"][0]["state"] == "open" and state["suggestions"][0]["evidence"]

    done = coder.post(f"{API}/analysis/variables/{public}",
                      json={"variable": "child_neglect", "action": "confirm"})
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "confirmed" and done.json()["value"] == "present"
    record = world.storfa.store.get_review(public)
    assert record is not None
    case = world.storfa.casevars.cases([(record.id, record.summary)])[0]
    assert case.states["child_neglect"].code == "1"
    assert case.states["child_neglect"].decision.coder == "user:coder"  # type: ignore[union-attr]
    assert any(e["actor"] == "user:coder" and e["detail"].get("role") == "coder"
               for e in world.audit("casevars.confirm"))

    assert _problem(coder.post(f"{API}/analysis/variables/{public}", json={
        "variable": "child_neglect", "value": "perhaps"}), 400)
    assert _problem(_api(world, "reader").post(f"{API}/analysis/variables/{public}", json={
        "variable": "child_neglect", "value": "present"}), 403)
    assert _problem(_api(world, "anonymous").post(f"{API}/analysis/suggest", json={}), 401)
    assert _problem(_api(world, "other_editor").post(f"{API}/analysis/variables/{hidden}", json={
        "variable": "child_neglect", "value": "present"}), 404)
    assert _problem(_api(world, "other_editor").post(f"{API}/analysis/suggest", json={
        "reviews": [hidden]}), 404)


def test_statistics_cover_only_what_the_caller_may_see(world: World) -> None:
    hidden = world.keys["restricted"]
    home, other = _api(world, "reader"), _api(world, "other_reader")
    # Both coded here, so the test does not lean on another test having run first
    # (the world is shared by the module, and xdist may split the module).
    for key in (world.keys["public"], hidden):
        world.storfa.casevars.set_value(key, "child_neglect", "present", "test")
    for path in ("frequencies", "associations", "timeliness", "quality"):
        mine, theirs = home.get(f"{API}/analysis/{path}"), other.get(f"{API}/analysis/{path}")
        assert mine.status_code == theirs.status_code == 200, (path, theirs.text)
        assert hidden not in theirs.text, path
    assert hidden in home.get(f"{API}/analysis/timeliness").text
    assert hidden in home.get(f"{API}/analysis/quality").text
    mine = home.get(f"{API}/analysis/frequencies").json()
    theirs = other.get(f"{API}/analysis/frequencies").json()
    assert (mine["reviews"], theirs["reviews"]) == (3, 2)
    neglect = {t["variable"]: t for t in mine["frequencies"]}["child_neglect"]
    assert {r["value"]: r["frequency"] for r in neglect["rows"]} == {"present": 2}
    assert home.get(f"{API}/analysis/frequencies", params={"by": "board"}).json()["by"] == "board"
    # Two coded reviews are too few for a map: 404 says why, as a problem.
    assert _problem(home.get(f"{API}/analysis/map"), 404)["detail"]
    assert _problem(home.get(f"{API}/analysis/map.svg"), 404)
    assert _problem(other.get(f"{API}/analysis/quality", params={"review": hidden}), 404)
    assert _problem(home.get(f"{API}/analysis/frequencies", params={"year_from": "x"}), 422)

    theirs_csv = other.get(f"{API}/analysis/export/variables.csv")
    assert theirs_csv.status_code == 200 and hidden not in theirs_csv.text
    rows = list(csv.reader(io.StringIO(home.get(f"{API}/analysis/export/variables.csv").text)))
    assert hidden in {r[0] for r in rows}
    assert home.get(f"{API}/analysis/export/variables.sav").content
    assert _problem(home.get(f"{API}/analysis/export/quality.sav"), 404)
    assert any(e["actor"] == "user:other_reader" for e in world.audit("analysis.export"))


def test_agreement_between_coders_leaves_hidden_reviews_out(world: World) -> None:
    sql = SQLExtracts(world.storfa.store.db)
    for level in ("public", "restricted"):
        record = world.storfa.store.get_review(world.keys[level])
        assert record is not None
        text = sql.version_text(record.version_id)
        sql.replace_suggestions(record.id, BOOK, [NewExtract(
            review_row=record.id, version_id=record.version_id, start=text.index(ESCALATION),
            end=text.index(ESCALATION) + len(ESCALATION), text=ESCALATION, codebook=BOOK,
            code="Escalating concerns", theme="Risk and Escalation", coder="auto-coder",
            how="model", confidence=0.9)])
        for who in ("coder", "editor"):
            queue = _api(world, who).get(f"{API}/coding/{BOOK}/suggestions",
                                         params={"review": world.keys[level]}).json()
            decided = _api(world, who).post(
                f"{API}/coding/extracts/{queue['items'][0]['id']}/decision",
                json={"action": "accept"})
            assert decided.status_code == 200, decided.text
    params = {"coder_a": "user:coder", "coder_b": "user:editor"}
    home = _api(world, "coder").get(f"{API}/coding/{BOOK}/agreement", params=params)
    assert home.status_code == 200, home.text
    assert home.json()["reviews"] == sorted([world.keys["public"], world.keys["restricted"]])
    both = {c["code"]: c for c in home.json()["codes"]}["Escalating concerns"]
    assert both["coded_both"] == both["coded_a"] == both["coded_b"] >= 1
    other = _api(world, "other_editor").get(f"{API}/coding/{BOOK}/agreement", params=params)
    assert other.json()["reviews"] == [world.keys["public"]]
    assert _problem(_api(world, "reader").get(f"{API}/coding/{BOOK}/agreement",
                                              params=params), 403)
    assert _problem(_api(world, "coder").get(f"{API}/coding/{BOOK}/agreement", params={
        "coder_a": "user:coder", "coder_b": "user:coder"}), 400)
    assert _problem(_api(world, "coder").get(f"{API}/coding/nonesuch/agreement",
                                             params=params), 404)


# ----------------------------------------------------------- recommendations
def test_register_keeps_to_what_the_caller_may_see(world: World) -> None:
    hidden, secret = world.keys["restricted"], _recs(world, "restricted")[0]
    mine = _api(world, "reader").get(f"{API}/recommendations").json()
    theirs = _api(world, "other_reader").get(f"{API}/recommendations").json()
    assert (mine["total"], theirs["total"]) == (6, 4)
    assert sum(theirs["counts"].values()) == 4
    assert secret in {i["id"] for i in mine["items"]}
    assert secret not in {i["id"] for i in theirs["items"]}
    only = _api(world, "reader").get(f"{API}/recommendations", params={"review": hidden})
    assert {i["review_id"] for i in only.json()["items"]} == {hidden}
    assert _problem(_api(world, "other_reader").get(f"{API}/recommendations/{secret}"), 404)
    assert _problem(_api(world, "other_reader").get(
        f"{API}/recommendations/{secret}/follow-through"), 404)
    assert _problem(_api(world, "reader").get(f"{API}/recommendations/999999"), 404)
    detail = _api(world, "reader").get(f"{API}/recommendations/{secret}").json()
    assert detail["review"]["review_id"] == hidden and detail["may_track"] is False
    exported = _api(world, "other_reader").get(f"{API}/recommendations/export.csv")
    assert exported.status_code == 200 and hidden not in exported.text
    assert hidden in _api(world, "reader").get(f"{API}/recommendations/export.csv").text
    assert _problem(_api(world, "reader").get(f"{API}/recommendations",
                                              params={"status": "done"}), 422)


def test_status_changes_go_through_the_register_with_its_rules(world: World) -> None:
    rec = _recs(world, "public")[0]
    assert _problem(_api(world, "reader").post(f"{API}/recommendations/{rec}/tracking",
                                               json={"status": "implemented"}), 403)
    assert any(e["actor"] == "user:reader" and e["detail"].get("allowed") is False
               for e in world.audit("recommendations.set"))
    assert _problem(_api(world, "anonymous").post(f"{API}/recommendations/{rec}/tracking",
                                                  json={"status": "implemented"}), 401)
    hidden = _recs(world, "restricted")[0]
    assert _problem(_api(world, "other_editor").post(
        f"{API}/recommendations/{hidden}/tracking", json={"status": "implemented"}), 404)

    editor = _api(world, "editor")
    # The register's own validation, word for word (as the page and the CLI).
    with pytest.raises(StorfaError) as refused:
        world.storfa.register().set(rec, "test", status="done")
    bad = editor.post(f"{API}/recommendations/{rec}/tracking", json={"status": "done"})
    assert _problem(bad, 400)["detail"] == str(refused.value)
    assert _problem(editor.post(f"{API}/recommendations/{rec}/tracking", json={}), 400)
    done = editor.post(f"{API}/recommendations/{rec}/tracking", json={
        "status": "In progress", "owner": "Cwm Taf Morgannwg", "due_date": "2001-02-03",
        "note": "Started"})
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["due_date"]) == ("in_progress", "2001-02-03")
    assert any(h["note"] == "Started" for h in done.json()["history"])
    stored = world.storfa.register().get(rec)
    assert (stored.status, stored.owner) == ("in_progress", "Cwm Taf Morgannwg")
    assert any(e["actor"] == "user:editor" and e["detail"]["role"] == "editor"
               and e["detail"]["status"] == "in_progress"
               for e in world.audit("recommendations.set"))
    overdue = editor.get(f"{API}/recommendations", params={"overdue": True}).json()
    assert rec in {i["id"] for i in overdue["items"] if i["overdue"]}


def test_notes_with_evidence_files(world: World) -> None:
    rec = _recs(world, "restricted")[1]
    editor = _api(world, "editor")
    added = editor.post(f"{API}/recommendations/{rec}/notes", data={"text": "Audit done"},
                        files=[("evidence", ("audit.png", PNG, "image/png"))])
    assert added.status_code == 200, added.text
    [attached] = added.json()["attachments"]
    assert attached["media_type"] == "image/png"
    got = editor.get(attached["href"])
    assert got.status_code == 200 and got.content == PNG
    assert _problem(_api(world, "other_editor").get(attached["href"]), 404)
    assert _problem(editor.post(f"{API}/recommendations/{rec}/notes", data={"text": "x"},
                                files=[("evidence", ("x.bin", b"\x00\x01", "a/b"))]), 400)
    assert _problem(_api(world, "reader").post(f"{API}/recommendations/{rec}/notes",
                                               data={"text": "x"}), 403)
    detail = editor.get(f"{API}/recommendations/{rec}").json()
    assert [a["id"] for a in detail["attachments"]] == [attached["id"]]
    assert any(h["note"] == "Audit done" for h in detail["history"])


# ------------------------------------------------------------------- reports
def test_briefing_as_json_pdf_and_docx(world: World) -> None:
    public, hidden = world.keys["public"], world.keys["restricted"]
    reader = _api(world, "reader")
    briefing = reader.get(f"{API}/reports/briefing", params={"review": public})
    assert briefing.status_code == 200, briefing.text
    assert [s["key"] for s in briefing.json()["sections"]] == list(SECTIONS)
    assert _problem(_api(world, "other_reader").get(f"{API}/reports/briefing",
                                                    params={"review": hidden}), 404)
    assert _problem(reader.get(f"{API}/reports/briefing"), 400)
    assert _problem(reader.get(f"{API}/reports/briefing", params={"theme": "nonesuch"}), 404)
    pdf = reader.post(f"{API}/reports/briefing.pdf", json={
        "review": public, "sections": {SECTIONS[0]: "Edited by the API."}})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    docx = reader.post(f"{API}/reports/briefing.docx", json={"review": public})
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    events = [e for e in world.audit("report.briefing") if e["actor"] == "user:reader"]
    assert {e["detail"]["format"] for e in events} == {"pdf", "docx"}
    assert any(e["detail"]["edited"] == [SECTIONS[0]] for e in events)
    assert _problem(_api(world, "other_reader").post(f"{API}/reports/briefing.pdf",
                                                     json={"review": hidden}), 404)
    assert _api(world, "reader").get(f"{API}/reports/themes").json()["codebooks"]


def test_thematic_and_recurrence_leave_hidden_reviews_out(world: World) -> None:
    hidden = world.keys["restricted"]
    other, home = _api(world, "other_reader"), _api(world, "reader")
    theirs = other.get(f"{API}/reports/thematic")
    assert theirs.status_code == 200 and hidden not in theirs.json()["reviews"]
    assert hidden in home.get(f"{API}/reports/thematic").json()["reviews"]
    assert _problem(other.get(f"{API}/reports/thematic", params={"board": "Nowhere"}), 404)
    docx = other.post(f"{API}/reports/thematic.docx", json={"year_to": 2019})
    assert docx.status_code == 200 and docx.content.startswith(b"PK"), docx.text[:300]
    assert any(e["actor"] == "user:other_reader" for e in world.audit("report.thematic"))
    groups = other.get(f"{API}/reports/recurrence")
    assert groups.status_code == 200
    assert all(hidden not in g["review_ids"] for g in groups.json()["groups"])


def test_every_new_operation_is_documented_with_its_errors(world: World) -> None:
    spec = TestClient(world.app).get(f"{API}/openapi.json").json()
    paths = spec["paths"]
    for path in ("/analysis/frequencies", "/analysis/associations", "/analysis/map",
                 "/analysis/map.svg", "/analysis/map.png", "/analysis/timeliness",
                 "/analysis/quality", "/analysis/export/{name}.{fmt}", "/analysis/variables",
                 "/analysis/variables/{key}", "/analysis/suggest",
                 "/coding/{codebook}/agreement", "/recommendations",
                 "/recommendations/export.{fmt}", "/recommendations/{rec_id}",
                 "/recommendations/{rec_id}/tracking", "/recommendations/{rec_id}/notes",
                 "/recommendations/{rec_id}/evidence/{attachment_id}",
                 "/recommendations/{rec_id}/follow-through", "/reports/themes",
                 "/reports/briefing", "/reports/briefing.{fmt}", "/reports/thematic",
                 "/reports/thematic.{fmt}", "/reports/recurrence"):
        assert path in paths, path
        for operation in paths[path].values():
            for status in ("401", "403", "404", "422"):
                assert "application/problem+json" in operation["responses"][status]["content"]
    assert "image/png" in paths["/analysis/map.png"]["get"]["responses"]["200"]["content"]
