"""The coding part of /api/v1 through the real app, beside the pages it
mirrors (tests/test_web_coding.py): the same queue in the same order with the
runner-up, the same decisions, the same access rules, auto-coding with its
progress and held-back count, and classify as the CLI gives it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness import run_queued_jobs
from reviewtext import fixed_classifier
from storfa.coding.autocode import RUNNER_UP, CodingService
from storfa.coding.runs import autocode_task
from storfa.domain.coding import NewExtract
from storfa.storage.sql.extracts import SQLExtracts
from webworld import World, build_world

BOOK = "best-practice"
ESCALATION = "Escalation of concerns to the team manager was timely."
VISITING = "the health visitor kept visiting"
API = "/api/v1/coding"


def _sql(world: World) -> SQLExtracts:
    return SQLExtracts(world.storfa.store.db)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("coding-api")
    site = build_world(base / "data", base / "reviews")
    sql = _sql(site)
    for level in site.keys:
        record = site.storfa.store.get_review(site.keys[level])
        assert record is not None
        text = sql.version_text(record.version_id)
        sql.replace_suggestions(record.id, BOOK, [NewExtract(
            review_row=record.id, version_id=record.version_id, start=text.index(needle),
            end=text.index(needle) + len(needle), text=needle, codebook=BOOK, code=code,
            theme=theme, coder="auto-coder", how="model", confidence=confidence,
            source_detail=f"model{RUNNER_UP}Multi-agency working")
            for needle, code, theme, confidence in (
                (VISITING, "Persistency in care and support", "Care and Support", 0.81),
                (ESCALATION, "Escalating concerns", "Risk and Escalation", 0.93))])
    yield site
    site.close()


def test_codebooks_carry_their_default_threshold(world: World) -> None:
    found = world.client("coder").get(f"{API}/codebooks")
    assert found.status_code == 200
    books = {b["name"]: b for b in found.json()["codebooks"]}
    book = world.storfa.coding.book(BOOK)
    assert books[BOOK]["threshold"] == pytest.approx(world.storfa.coding.threshold(book))
    # Single-case reviews have their own default (coding.document_model).
    assert books[BOOK]["review_threshold"] == pytest.approx(
        world.storfa.coding.threshold(book, "CPR"))
    assert books[BOOK]["review_threshold"] < books[BOOK]["threshold"]


def test_the_queue_is_the_pages_most_confident_first_with_the_runner_up(world: World) -> None:
    key = world.keys["public"]
    found = world.client("coder").get(f"{API}/{BOOK}/suggestions", params={"review": key})
    assert found.status_code == 200
    body = found.json()
    assert [i["text"] for i in body["items"]] == [ESCALATION, VISITING]
    assert body["items"][0]["runner_up"] == "Multi-agency working"
    assert body["items"][0]["source_detail"] == "model"
    assert body["counts"]["suggested"] == 2


def test_who_may_see_and_decide(world: World) -> None:
    restricted = world.keys["restricted"]
    for who in ("anonymous", "reader"):
        answer = world.client(who).get(f"{API}/{BOOK}/suggestions")
        assert answer.status_code in (401, 403)
    other = world.client("other_editor")
    queue = other.get(f"{API}/{BOOK}/suggestions", params={"status": "all"}).json()
    assert restricted not in {i["review_id"] for i in queue["items"]}
    assert other.get(f"{API}/{BOOK}/suggestions",
                     params={"review": restricted}).status_code == 404
    hidden = next(e for e in _sql(world).select(codebook=BOOK,
                                                review_row=world.rows["restricted"]))
    refused = other.post(f"{API}/extracts/{hidden.id}/decision", json={"action": "accept"},
                         headers=world.bearer("other_editor"))
    assert refused.status_code == 404


def test_decisions_by_token_and_by_session(world: World) -> None:
    key = world.keys["public"]
    coder = world.client("coder")
    items = coder.get(f"{API}/{BOOK}/suggestions", params={"review": key}).json()["items"]
    first, second = items[0]["id"], items[1]["id"]
    # A cookie session must echo the CSRF token on writes, as the pages do.
    assert coder.post(f"{API}/extracts/{first}/decision",
                      json={"action": "accept"}).status_code == 403
    token = world.bearer("coder")
    assert coder.post(f"{API}/extracts/{first}/decision", json={"action": "recode"},
                      headers=token).status_code == 422
    done = coder.post(f"{API}/extracts/{first}/decision",
                      json={"action": "recode", "code": "Multi-agency working"},
                      headers=token)
    assert done.status_code == 200 and done.json()["code"] == "Multi-agency working"
    assert done.json()["status"] == "accepted"
    rejected = coder.post(f"{API}/extracts/{second}/decision", json={"action": "reject"},
                          headers=token)
    assert rejected.json()["status"] == "rejected"
    left = coder.get(f"{API}/{BOOK}/suggestions", params={"review": key}).json()
    assert left["items"] == [] and left["counts"]["accepted"] == 1
    assert world.audit("code.recode") and world.audit("code.reject")


def test_auto_coding_runs_and_reports_what_it_held_back(world: World) -> None:
    service = CodingService(world.storfa.store, _sql(world),
                            classifier=lambda _book: fixed_classifier("Escalating concerns",
                                                                      "scalat"))
    coder = world.client("coder")
    token = world.bearer("coder")
    started = coder.post(f"{API}/{BOOK}/auto", json={"reviews": [world.keys["public"]],
                                                     "threshold": 0.99}, headers=token)
    assert started.status_code == 202, started.text
    job = started.json()
    assert job["state"] == "waiting"
    again = coder.post(f"{API}/{BOOK}/auto", json={}, headers=token).json()
    assert again["id"] == job["id"]  # one run at a time
    run_queued_jobs(world.storfa, {"autocode": autocode_task(lambda: service)})
    progress = coder.get(f"{API}/auto/{job['id']}").json()
    assert progress["state"] == "done" and progress["threshold"] == 0.99
    assert (progress["done"], progress["total"]) == (1, 1)
    assert set(progress) >= {"suggestions", "held_back", "unread"}
    assert world.client("editor").get(f"{API}/auto/{job['id']}").status_code == 404
    nobody = coder.post(f"{API}/{BOOK}/auto", json={"reviews": ["NO-SUCH-REVIEW"]},
                        headers=token)
    assert nobody.status_code == 404


def test_classify_as_the_cli_does(world: World) -> None:
    answer = world.client("reader").post(f"{API}/classify", headers=world.bearer("reader"),
                                         json={"passages": [
                                             {"id": "a", "text": ESCALATION}]})
    assert answer.status_code == 200, answer.text
    result = answer.json()["results"][0]
    assert result["id"] == "a" and {"best_practice", "confidence"} <= set(result)
    document = [{"id": "h", "text": "Recommendations"},
                {"id": "r", "text": "The Safeguarding Board should seek assurance that "
                                    "escalation of concerns to managers is timely."}]
    as_lines = world.client("reader").post(f"{API}/classify", headers=world.bearer("reader"),
                                           json={"passages": document}).json()["results"]
    assert [r["set_aside"] for r in as_lines] == ["heading", "recommendation"]
    alone = world.client("reader").post(f"{API}/classify", headers=world.bearer("reader"),
                                        json={"passages": document, "as_document": False})
    assert [r["set_aside"] for r in alone.json()["results"]] == [None, None]
    unknown = world.client("reader").post(f"{API}/classify", headers=world.bearer("reader"),
                                          json={"codebook": "nonesuch",
                                                "passages": [{"id": "a", "text": "x"}]})
    assert unknown.status_code == 404
