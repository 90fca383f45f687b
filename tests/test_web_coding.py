"""The coding pages through the real app: who may code (anonymous, readers
and other organisations may not, hidden reviews stay 404), the suggestion
queue's accept / reject / re-code / undo, coding a selection by exact
character offsets, blind coding until one compares, auto-coding in the
background, and CSRF on every change."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest

from harness import run_queued_jobs
from reviewtext import fixed_classifier
from storfa.coding.autocode import RUNNER_UP, CodingService, Suggested
from storfa.coding.runs import autocode_task
from storfa.domain.coding import Extract, NewExtract
from storfa.domain.reviews import ReviewRecord
from storfa.storage.sql.extracts import SQLExtracts
from webworld import World, build_world, csrf_of

BOOK = "best-practice"
ESCALATION = "Escalation of concerns to the team manager was timely."
VISITING = "the health visitor kept visiting"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("coding-web")
    site = build_world(base / "data", base / "reviews")
    sql = _sql(site)
    for level in site.keys:
        record = site.storfa.store.get_review(site.keys[level])
        assert record is not None
        sql.replace_suggestions(record.id, BOOK, [
            _new(sql, record, VISITING, "Persistency in care and support", "Care and Support"),
            _new(sql, record, ESCALATION, "Escalating concerns", "Risk and Escalation")])
    yield site
    site.close()


def _new(sql: SQLExtracts, record: ReviewRecord, needle: str, code: str, theme: str
         ) -> NewExtract:
    """A suggestion of the auto-coder over `needle` in the review's text."""
    at = sql.version_text(record.version_id).index(needle)
    return NewExtract(review_row=record.id, version_id=record.version_id, start=at,
                      end=at + len(needle), text=needle, codebook=BOOK, code=code, theme=theme,
                      coder="auto-coder", how="model", confidence=0.91,
                      source_detail=f"model{RUNNER_UP}Multi-agency working")


def _sql(world: World) -> SQLExtracts:
    return SQLExtracts(world.storfa.store.db)  # type: ignore[attr-defined]


def _extracts(world: World, level: str) -> list[Extract]:
    return _sql(world).select(codebook=BOOK, review_row=world.rows[level])


def _suggestion(world: World, level: str, needle: str) -> Extract:
    return next(e for e in _extracts(world, level) if e.text == needle and e.origin_id is None
                and e.how == "model")


def _count(page: str, status: str) -> int:
    found = re.search(rf'id="count-{status}" data-count="(\d+)"', page)
    assert found, f"no {status} count on the page"
    return int(found.group(1))


def test_only_coders_code_and_hidden_reviews_stay_hidden(world: World) -> None:
    public, restricted = world.keys["public"], world.keys["restricted"]
    for who in ("anonymous", "reader"):
        client = world.client(who)
        page = client.get("/coding")
        assert page.status_code == 200 and 'id="coding-not-allowed"' in page.text
        assert client.get("/coding/queue").status_code == 403
        assert client.get(f"/coding/review/{public}").status_code == 403
        assert 'id="code-review"' not in client.get(f"/reviews/{public}").text
        denied = client.post(f"/coding/decide/{_suggestion(world, 'public', VISITING).id}",
                             data={"action": "accept", "csrf_token": world.page_csrf(who)})
        assert denied.status_code == 403
    coder = world.client("coder")
    assert 'id="code-review"' in coder.get(f"/reviews/{public}").text
    assert 'id="open-queue"' in coder.get("/coding").text
    # Another organisation's editor may code, but never sees the restricted review.
    other = world.client("other_editor")
    assert other.get(f"/coding/review/{restricted}").status_code == 404
    assert restricted not in other.get("/coding").text
    queue = other.get("/coding/queue", params={"codebook": BOOK, "show": "all"})
    assert queue.status_code == 200 and restricted not in queue.text
    assert "xylocarpus" not in queue.text  # the restricted review's own word
    hidden = _suggestion(world, "restricted", VISITING)
    assert other.post(f"/coding/decide/{hidden.id}", data={
        "action": "accept", "csrf_token": world.page_csrf("other_editor")}).status_code == 404
    assert _suggestion(world, "restricted", VISITING).status == "suggested"
    assert other.get("/coding/queue", params={"review": restricted}).status_code == 404


def test_changes_need_the_csrf_token(world: World) -> None:
    coder = world.client("coder")
    target = _suggestion(world, "public", ESCALATION)
    key = world.keys["public"]
    assert coder.post(f"/coding/decide/{target.id}", data={
        "action": "accept", "csrf_token": "forged"}).status_code == 403
    assert coder.post("/coding/undo", data={"csrf_token": "forged"}).status_code == 403
    assert coder.post(f"/coding/review/{key}", data={
        "codebook": BOOK, "code": "Escalating concerns", "start": 0, "end": 5,
        "csrf_token": "forged"}).status_code == 403
    assert coder.post("/coding/auto", data={"codebook": BOOK, "csrf_token": "forged"}
                      ).status_code == 403
    assert _suggestion(world, "public", ESCALATION).status == "suggested"


def test_queue_accept_reject_recode_and_undo(world: World) -> None:
    coder = world.client("coder")
    key = world.keys["public"]
    params = {"codebook": BOOK, "review": key}
    page = coder.get("/coding/queue", params=params)
    assert page.status_code == 200
    assert (_count(page.text, "suggested"), _count(page.text, "accepted")) == (2, 0)
    first = _suggestion(world, "public", VISITING)  # text order
    assert f'data-extract="{first.id}"' in page.text and "Persistency" in page.text
    # The runner-up code is named, and is what "Re-code" offers first.
    assert 'id="runner-up">runner-up: Multi-agency working<' in page.text
    assert '<option value="Multi-agency working" selected>' in page.text
    back = re.search(r'name="back" value="([^"]+)"', page.text)
    assert back
    response = coder.post(f"/coding/decide/{first.id}", data={
        "action": "accept", "back": html.unescape(back.group(1)),
        "csrf_token": csrf_of(page.text)})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/coding/queue?")
    assert _suggestion(world, "public", VISITING).decided_by == "user:coder"

    page = coder.get(response.headers["location"])
    second = _suggestion(world, "public", ESCALATION)
    assert f'data-extract="{second.id}"' in page.text
    assert (_count(page.text, "suggested"), _count(page.text, "accepted")) == (1, 1)
    assert coder.post(f"/coding/decide/{second.id}", data={
        "action": "reject", "csrf_token": csrf_of(page.text)}).status_code == 303
    page = coder.get("/coding/queue", params=params)
    assert 'id="queue-empty"' in page.text and _count(page.text, "rejected") == 1

    # Re-code the rejected one: the suggestion keeps its code, the coder's row has the new one.
    recoded = coder.post(f"/coding/decide/{second.id}", data={
        "action": "recode", "code": "Multi-agency working", "csrf_token": csrf_of(page.text)})
    assert recoded.status_code == 303
    mine = [e for e in _extracts(world, "public") if e.origin_id == second.id]
    assert [(e.code, e.status, e.decided_by) for e in mine] == [
        ("Multi-agency working", "accepted", "user:coder")]
    assert _suggestion(world, "public", ESCALATION).code == "Escalating concerns"
    audit = world.audit("code.recode")[-1]
    assert audit["actor"] == "user:coder"
    assert audit["detail"]["previous_code"] == "Escalating concerns"
    assert audit["detail"]["code"] == "Multi-agency working"
    assert coder.post(f"/coding/decide/{second.id}", data={
        "action": "recode", "code": "No such code", "csrf_token": csrf_of(page.text)}
    ).status_code == 400

    # Undo: the re-coding is withdrawn and the earlier rejection is back.
    undone = coder.post("/coding/undo", data={
        "back": f"/coding/queue?codebook={BOOK}&review={key}&show=all",
        "csrf_token": csrf_of(page.text)})
    assert undone.status_code == 303 and f"at={second.id}" in undone.headers["location"]
    assert all(e.superseded for e in _sql(world).select(codebook=BOOK, superseded=True)
               if e.origin_id == second.id)
    assert _suggestion(world, "public", ESCALATION).status == "rejected"
    assert world.audit("code.undo")[-1]["detail"]["undone"] == "recode"
    for _ in range(2):  # the rejection, then the acceptance
        assert coder.post("/coding/undo", data={"csrf_token": csrf_of(page.text)}
                          ).status_code == 303
    page = coder.get("/coding/queue", params=params)
    assert (_count(page.text, "suggested"), _count(page.text, "accepted")) == (2, 0)
    changes = sorted((int(str(a["id"])), a["action"]) for a in world.audit()
                     if a["actor"] == "user:coder" and str(a["action"]).startswith("code."))
    assert [action for _, action in changes][-6:] == [
        "code.accept", "code.reject", "code.recode", "code.undo", "code.undo", "code.undo"]
    # Nothing of the coder's own left to undo.
    assert coder.post("/coding/undo", data={"csrf_token": csrf_of(page.text)}
                      ).status_code == 400


def _codable_blocks(page: str) -> list[tuple[int, int, str]]:
    """(data-start, data-end, text) of each codable element, text as a browser reads it."""
    found = []
    for m in re.finditer(r'<(p|h3) class="codable" data-start="(\d+)" data-end="(\d+)"'
                         r'[^>]*>(.*?)</\1>', page, re.S):
        text = html.unescape(re.sub(r"<[^>]+>", "", m.group(4)))
        found.append((int(m.group(2)), int(m.group(3)), text))
    return found


def test_a_selection_is_coded_at_its_exact_offsets(world: World) -> None:
    coder = world.client("coder")
    key = world.keys["registered"]
    record = world.storfa.store.get_review(key)
    assert record is not None
    full = _sql(world).version_text(record.version_id)
    page = coder.get(f"/coding/review/{key}", params={"codebook": BOOK})
    assert page.status_code == 200
    blocks = _codable_blocks(page.text)
    assert blocks and all(full[s:e] == text for s, e, text in blocks)
    # What the page's script does: the element's data-start plus the offset in it.
    start, _, text = next(b for b in blocks if "kept visiting" in b[2])
    at = start + text.index("kept visiting")
    saved = coder.post(f"/coding/review/{key}", data={
        "codebook": BOOK, "code": "Persistency in care and support", "start": at,
        "end": at + len("kept visiting"), "memo": "They kept going.",
        "csrf_token": csrf_of(page.text)})
    assert saved.status_code == 303
    extract = next(e for e in _extracts(world, "registered") if e.how == "manual")
    assert (extract.start, extract.end, extract.text) == (at, at + 13, "kept visiting")
    assert full[extract.start:extract.end] == "kept visiting"
    assert extract.decided_by == "user:coder"
    assert [m.text for m in _sql(world).memos([extract.id])] == ["They kept going."]
    page = coder.get(saved.headers["location"])
    assert re.search(rf'<mark class="code-\d+ status-accepted" data-extracts="[^"]*\b'
                     rf'{extract.id}\b[^"]*"[^>]*>', page.text)
    assert all(full[s:e] == text for s, e, text in _codable_blocks(page.text))
    assert coder.post(f"/coding/review/{key}", data={
        "codebook": BOOK, "code": "Persistency in care and support", "start": 5,
        "end": len(full) + 10, "csrf_token": csrf_of(page.text)}).status_code == 400
    # The coder's own extract is withdrawn by undo, not deleted.
    assert coder.post("/coding/undo", data={"csrf_token": csrf_of(page.text)}
                      ).status_code == 303
    assert _sql(world).get(extract.id).superseded


def test_blind_coding_until_compare(world: World) -> None:
    key = world.keys["restricted"]  # the home organisation's editor and coder both see it
    editor, coder = world.client("editor"), world.client("coder")
    target = _suggestion(world, "restricted", ESCALATION)
    page = editor.get(f"/coding/review/{key}", params={"codebook": BOOK})
    assert editor.post(f"/coding/decide/{target.id}", data={
        "action": "reject", "csrf_token": csrf_of(page.text)}).status_code == 303
    start = _sql(world).version_text(target.version_id).index(VISITING)
    assert editor.post(f"/coding/review/{key}", data={
        "codebook": BOOK, "code": "Positive working relationships", "start": start,
        "end": start + len(VISITING), "csrf_token": csrf_of(page.text)}).status_code == 303
    manual = next(e for e in _extracts(world, "restricted") if e.how == "manual")

    params = {"codebook": BOOK, "review": key, "show": "all"}
    blind = coder.get("/coding/queue", params=params).text
    assert _count(blind, "suggested") == 2 and _count(blind, "rejected") == 0
    assert "user:editor" not in blind
    view = coder.get(f"/coding/review/{key}", params={"codebook": BOOK}).text
    assert f'id="x{manual.id}"' not in view and "Positive working relationships</mark>" \
        not in view
    compared = coder.get("/coding/queue", params={**params, "compare": "1"}).text
    assert _count(compared, "rejected") == 1 and "user:editor" in compared
    view = coder.get(f"/coding/review/{key}", params={"codebook": BOOK, "compare": "1"}).text
    assert f'id="x{manual.id}"' in view

    # The coder decides the same suggestion: a row of their own; the editor's stays.
    assert coder.post(f"/coding/decide/{target.id}", data={
        "action": "accept", "csrf_token": csrf_of(blind)}).status_code == 303
    assert _sql(world).get(target.id).status == "rejected"
    mine = next(e for e in _extracts(world, "restricted") if e.origin_id == target.id)
    assert (mine.status, mine.decided_by) == ("accepted", "user:coder")
    service = world.storfa.coding
    reviews, figures = service.agreement(BOOK, "user:coder", "user:editor")
    assert key in reviews
    assert next(f for f in figures if f.code == "Escalating concerns").coded_a >= 1
    # The editor cannot undo the coder's decision: only their own manual extract.
    assert editor.post("/coding/undo", data={"csrf_token": csrf_of(page.text)}
                       ).status_code == 303
    assert _sql(world).get(manual.id).superseded
    assert _sql(world).get(mine.id).status == "accepted"


def test_auto_coding_runs_as_a_job_on_the_queue(world: World) -> None:
    service = CodingService(world.storfa.store, _sql(world),
                            classifier=lambda _book: fixed_classifier(
                                "Escalating concerns", "scalat"))
    coder = world.client("coder")
    page = coder.get("/coding", params={"codebook": BOOK, "year_from": "2017",
                                        "year_to": "2017"})
    assert 'id="auto-code"' in page.text
    started = coder.post("/coding/auto?year_from=2017&year_to=2017", data={
        "codebook": BOOK, "csrf_token": csrf_of(page.text)})
    assert started.status_code == 303
    job = re.search(r"job=(\d+)", started.headers["location"])
    assert job
    waiting = coder.get(f"/coding/auto/{job.group(1)}").json()
    assert (waiting["state"], waiting["done"], waiting["total"]) == ("waiting", 0, 1)
    page = coder.get(started.headers["location"])
    assert "waiting for a worker" in page.text and 'id="auto-code" disabled' in page.text
    # Any worker process runs it: here one as `storfa worker --once` does.
    counts = run_queued_jobs(world.storfa, {"autocode": autocode_task(lambda: service)})
    assert counts["done"] == 1
    progress = coder.get(f"/coding/auto/{job.group(1)}").json()
    assert progress["state"] == "done", progress
    assert (progress["done"], progress["total"]) == (1, 1)
    page = coder.get(started.headers["location"])
    assert 'id="auto-progress"' in page.text
    audit = world.audit("code.auto")[-1]
    assert audit["actor"] == "user:coder" and audit["object_id"] == world.keys["public"]
    assert world.client("reader").get(f"/coding/auto/{job.group(1)}").status_code == 403


class _WelshOnly:
    """A service whose run could read none of its review: Welsh throughout."""

    def auto(self, *_args: object, **_kwargs: object) -> Suggested:
        return Suggested([], 0, 0.69, 0.49, unread=7)


def test_the_page_says_what_auto_coding_could_not_read(world: World) -> None:
    coder = world.client("coder")
    run = world.storfa.autocoding.start(BOOK, [world.keys["public"]], "user:coder")
    run_queued_jobs(world.storfa, {"autocode": autocode_task(
        lambda: _WelshOnly())})  # type: ignore[arg-type, return-value]
    assert coder.get(f"/coding/auto/{run.id}").json()["unread"] == 7
    page = coder.get("/coding", params={"codebook": BOOK, "job": run.id})
    assert "7 paragraphs in Welsh could not be searched for practice" in html.unescape(page.text)
    welsh = coder.get("/coding", params={"codebook": BOOK, "job": run.id, "lang": "cy"})
    assert ("Ni allai'r dosbarthydd chwilio am arfer da yn 7 paragraff yn Gymraeg"
            in html.unescape(welsh.text))
