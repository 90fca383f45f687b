"""The disclosure check on the web: the reader's panel for editors (escaped,
highlighted in the page text), the API endpoint with the same access rules as
every review endpoint, and the warning count on an upload job's result."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from webworld import World, build_world

PLANTED = ("\nThe health visitor, Ceri Morgan, saw Child Q at 12 Oak Tree Road, Llanelli, "
           "SA15 3AB. Her NHS number is 943 476 5919. Jane O'Brien <img src=x "
           "onerror=alert(1)> phoned.\n")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("disclosure-web")
    site = build_world(base / "data", base / "reviews",
                       extra={level: PLANTED for level in ("public", "restricted", "draft")})
    yield site
    site.close()


def _url(world: World, level: str) -> str:
    return f"/api/v1/reviews/{world.keys[level]}/disclosure"


def test_api_lists_findings_for_whoever_may_read_the_review(world: World) -> None:
    public = world.client("anonymous").get(_url(world, "public"))
    assert public.status_code == 200
    doc = public.json()
    assert doc["review_id"] == world.keys["public"] and doc["version"] == 1
    found = {f["type"]: f["text"] for f in doc["findings"]}
    assert found["nhs_number"] == "943 476 5919" and found["postcode"] == "SA15 3AB"
    assert found["practitioner_name"] == "Ceri Morgan"
    assert all(f["confidence"] >= 0.5 for f in doc["findings"])
    hints = world.client("anonymous").get(_url(world, "public") + "?min_confidence=0").json()
    assert hints["total"] >= doc["total"]
    # The registered review holds nothing planted: an empty list, not an error.
    registered = world.client("reader").get(_url(world, "registered"))
    assert registered.status_code == 200
    assert all(f["type"] == "identifying_date" for f in registered.json()["findings"])


def test_api_hides_restricted_and_draft_reviews_as_other_endpoints_do(world: World) -> None:
    url = _url(world, "restricted")
    assert world.client("reader").get(url).status_code == 200
    for who in ("other_reader", "other_editor", "anonymous"):
        refused = world.client(who).get(url)
        assert refused.status_code == 404, who
        assert "943 476 5919" not in refused.text
        # Exactly as the review itself answers them.
        assert world.client(who).get(f"/api/v1/reviews/{world.keys['restricted']}"
                                     ).status_code == 404
    assert world.client("other_reader").get(url, headers=world.bearer("other_reader")
                                            ).status_code == 404
    assert world.client("anonymous").get(url, headers=world.bearer("reader")).status_code == 200
    draft = _url(world, "draft")
    assert world.client("editor").get(draft).status_code == 200
    assert world.client("other_editor").get(draft).status_code == 404
    denied = [e for e in world.audit("review.view") if e["detail"].get("allowed") is False
              and e["object_id"] == world.keys["restricted"]
              and e["actor"] == "user:other_reader"]
    assert denied
    assert world.client("reader").get("/api/v1/reviews/CPR1999-W99/disclosure"
                                      ).status_code == 404


def test_reader_panel_for_editors_escaped_and_highlighted(world: World) -> None:
    key = world.keys["public"]
    page = world.client("editor").get(f"/reviews/{key}")
    assert page.status_code == 200
    html = page.text
    assert 'id="disclosure"' in html
    assert '<mark class="disclosure">943 476 5919</mark>' in html
    # In the page text too, not only in the panel.
    assert html.count('>943 476 5919</mark>') >= 2
    # Review text is escaped wherever it is shown: the finding, its context, the page.
    assert "<img src=x" not in html
    assert '<mark class="disclosure">Jane O&#39;Brien</mark>' in html
    assert "O'Brien" not in html
    # Readers read; deciding what to publish is for editors.
    assert 'id="disclosure"' not in world.client("reader").get(f"/reviews/{key}").text
    assert 'id="disclosure"' not in world.client("anonymous").get(f"/reviews/{key}").text


def test_reader_panel_in_welsh(world: World) -> None:
    client = world.client("editor")
    page = client.get(f"/reviews/{world.keys['public']}", headers={"Accept-Language": "cy"})
    assert page.status_code == 200 and "Gwiriad datgelu" in page.text
    assert "Rhif GIG" in page.text


def test_upload_results_carry_the_disclosure_warning(world: World) -> None:
    from storfa.ingest.pipeline import IngestOptions
    from storfa.storage.sql.jobs import JobQueue

    client = world.client("editor")
    body = (b"# Draft CPR2024-W05\n\n## Outline\n\nJane Evans lived at 12 Oak Tree Road, "
            b"Llanelli, SA15 3AB.\n")
    sent = client.post("/api/v1/uploads", files={"files": ("draft.md", body, "text/markdown")},
                       headers={"X-CSRF-Token": world.page_csrf("editor")})
    assert sent.status_code == 200, sent.text
    job_id = sent.json()["uploads"][0]["job_id"]
    # What `storfa worker` does with the job: claim, ingest, record the result.
    queue = JobQueue(world.storfa.store.db)
    job = queue.claim("test-worker")
    assert job is not None and job.id == job_id
    with world.storfa.ingest.session(sync_index=False) as session:
        result = session.ingest_file(world.storfa.settings.data_dir / job.path,
                                     IngestOptions())
    assert queue.finish(job, result.as_json())
    shown = client.get(f"/api/v1/jobs/{job_id}").json()
    assert shown["result"]["status"] == "ingested", shown
    assert shown["result"]["disclosure_findings"] >= 3
    assert "data-disclosure=" in client.get("/upload").text
