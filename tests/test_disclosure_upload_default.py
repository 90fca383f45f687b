"""A web or API upload is not public before anyone has checked it (issue 19):
it lands as a draft to the uploader's organisation unless they choose
otherwise; registered or public is kept only when the disclosure check finds
nothing to decide; a new version closes a public review while its text is
unchecked; `storfa ingest` keeps its own default. The access is written in
the transaction that stores the version. Both backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backends import PostgresRun
from storfa.disclosure.uploads import upload_access
from storfa.domain.accounts import AccessLevel, ReviewAccess, Role, User
from storfa.domain.errors import StorfaError
from storfa.domain.uploads import UploadAccess
from storfa.ingest.jobs import JobWorker
from storfa.storage.sql.jobs import JobQueue
from webworld import HOME_ORG, World, backend_env, build_world

DRAFT = """# Child Practice Review {identifier}

Gwent Safeguarding Board

## Brief outline of circumstances resulting in the review

Jane Evans lived at 12 Oak Tree Road, Llanelli, SA15 3AB with her son. Her NHS
number is 943 476 5919. The {word} concerns were raised by the school.
"""

CLEAN = """# Child Practice Review {identifier}

Gwent Safeguarding Board

## Practice and organisational learning

The health visitor showed {word} persistence and professional curiosity when
the family moved between local authorities.
"""


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, postgres_run: PostgresRun | None,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with backend_env(request.param, postgres_run):
        base = tmp_path_factory.mktemp(f"upload-default-{request.param}")
        site = build_world(base / "data", base / "reviews")
        yield site
        site.close()


def _upload(world: World, who: str, name: str, body: str,
            access: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """POST /api/v1/uploads, then what `storfa worker` does with the job;
    (the upload's item, the job as GET /api/v1/jobs/{id} shows it)."""
    data = {"access": access} if access else None
    sent = world.client("anonymous").post(
        "/api/v1/uploads", headers=world.bearer(who), data=data,
        files=[("files", (name, body.encode(), "text/markdown"))])
    assert sent.status_code == 200, sent.text
    (item,) = sent.json()["uploads"]
    assert item["status"] == "queued", item
    storfa = world.storfa
    worker = JobWorker(JobQueue(storfa.store.db), storfa.ingest,
                       storfa.settings.data_dir, poll_seconds=0.1, log=lambda _: None)
    worker.run(once=True)
    storfa.catalogue.invalidate()
    job = world.client("anonymous").get(f"/api/v1/jobs/{item['job_id']}",
                                        headers=world.bearer(who)).json()
    assert job["status"] == "done" and job["result"]["status"] == "ingested", job
    return item, job


def _seen(world: World, who: str, key: str) -> int:
    return world.client("anonymous").get(f"/api/v1/reviews/{key}",
                                         headers=world.bearer(who)).status_code


def _hits(world: World, who: str, word: str) -> list[str]:
    found = world.client("anonymous").get("/api/v1/search", params={"q": word},
                                          headers=world.bearer(who)).json()
    return [h["review_id"] for h in found["hits"]]


def test_an_upload_is_a_draft_of_the_uploaders_organisation(world: World) -> None:
    item, job = _upload(world, "editor", "draft-a.md",
                        DRAFT.format(identifier="CPR2024-W31", word="pangolinish"))
    assert item["access"] == "draft"
    result = job["result"]
    key = result["review_id"]
    assert key == "CPR2024-W31"
    # The results say it is a draft and how many findings wait.
    assert result["access"] == "draft" and result["disclosure_findings"] >= 4, result
    for who, status in (("editor", 200), ("administrator", 200), ("reader", 404),
                        ("other_editor", 404), ("anonymous", 404)):
        assert _seen(world, who, key) == status, who
    assert _hits(world, "anonymous", "pangolinish") == []
    assert _hits(world, "editor", "pangolinish") == [key]
    detail = world.client("anonymous").get(f"/api/v1/reviews/{key}",
                                           headers=world.bearer("editor")).json()
    assert detail["access"] == "draft"
    home = world.storfa.accounts.accounts.organisation(HOME_ORG)
    assert home is not None
    stored = world.storfa.accounts.accounts.review_access(world.storfa.reviews.get(key).id)
    assert stored == ReviewAccess(AccessLevel.DRAFT, frozenset({home.id}))
    # Written with the version, in its audit event; the upload's event names the choice.
    ingest = [e["detail"] for e in world.audit("ingest") if e["object_id"] == key]
    assert isinstance(ingest[-1], dict)
    assert ingest[-1]["access"] == {"level": "draft", "organisations": [home.id]}
    uploads = [e["detail"] for e in world.audit("review.upload")
               if e["object_id"] == str(item["job_id"])]
    assert isinstance(uploads[-1], dict) and uploads[-1]["access"] == "draft"


def test_public_is_kept_only_when_nothing_is_found(world: World) -> None:
    _, job = _upload(world, "editor", "draft-b.md",
                     DRAFT.format(identifier="CPR2024-W32", word="okapiform"), "public")
    assert job["result"]["access"] == "draft", job
    assert _seen(world, "anonymous", "CPR2024-W32") == 404
    assert _hits(world, "anonymous", "okapiform") == []

    _, job = _upload(world, "editor", "clean.md",
                     CLEAN.format(identifier="CPR2024-W33", word="tapirine"), "public")
    assert job["result"]["disclosure_findings"] == 0, job
    assert job["result"]["access"] == "public"
    assert _seen(world, "anonymous", "CPR2024-W33") == 200
    assert _hits(world, "anonymous", "tapirine") == ["CPR2024-W33"]


def test_restricted_names_the_uploaders_organisation(world: World) -> None:
    _, job = _upload(world, "editor", "draft-c.md",
                     DRAFT.format(identifier="CPR2024-W34", word="numbatoid"), "restricted")
    assert job["result"]["access"] == "restricted"
    for who, status in (("reader", 200), ("coder", 200), ("other_reader", 404),
                        ("anonymous", 404)):
        assert _seen(world, who, "CPR2024-W34") == status, who


def test_the_command_line_keeps_its_default_and_a_new_version_closes_it(
        world: World, tmp_path: Path) -> None:
    # `storfa ingest`: a bulk load of reports already published stays public.
    path = tmp_path / "cpr-2016-w05.md"
    path.write_text(CLEAN.format(identifier="CPR2016-W05", word="quollish"), encoding="utf-8")
    (result,) = world.storfa.ingest.ingest([path])
    assert result.status == "ingested" and result.access is None
    assert result.as_json()["access"] is None
    world.storfa.catalogue.invalidate()
    assert _seen(world, "anonymous", "CPR2016-W05") == 200
    # A corrected file for it uploaded through the API: its text is unchecked,
    # so the review is closed to the upload's level until it is published again.
    _, job = _upload(world, "editor", "cpr-2016-w05-v2.md",
                     DRAFT.format(identifier="CPR2016-W05", word="quollish"))
    assert job["result"]["version"] == 2 and job["result"]["access"] == "draft", job
    assert _seen(world, "anonymous", "CPR2016-W05") == 404
    assert _seen(world, "editor", "CPR2016-W05") == 200


def test_an_unknown_level_is_422_and_the_form_offers_draft_first(world: World) -> None:
    sent = world.client("anonymous").post(
        "/api/v1/uploads", headers=world.bearer("editor"), data={"access": "everyone"},
        files=[("files", ("x.md", b"# X\n\ntext\n", "text/markdown"))])
    assert sent.status_code == 422, sent.text
    page = world.client("editor").get("/upload").text
    assert 'id="upload-access"' in page
    assert 'name="access" value="draft" checked' in page
    assert 'name="access" value="public">' in page
    welsh = world.client("editor").get("/upload", headers={"Accept-Language": "cy"}).text
    assert "Pwy all weld yr hyn" in welsh


# ------------------------------------------------------------ the rule alone
HOME = frozenset({7})


@pytest.mark.parametrize(("level", "findings", "current", "expected"), [
    # a new review
    ("draft", 3, None, ReviewAccess(AccessLevel.DRAFT, HOME)),
    ("restricted", 3, None, ReviewAccess(AccessLevel.RESTRICTED, HOME)),
    ("public", 3, None, ReviewAccess(AccessLevel.DRAFT, HOME)),
    ("registered", None, None, ReviewAccess(AccessLevel.DRAFT, HOME)),
    ("public", 0, None, ReviewAccess(AccessLevel.PUBLIC, HOME)),
    # a new version: closes a registered or public review, never opens one
    ("draft", 2, ReviewAccess(), ReviewAccess(AccessLevel.DRAFT, HOME)),
    ("restricted", 2, ReviewAccess(AccessLevel.REGISTERED),
     ReviewAccess(AccessLevel.RESTRICTED, HOME)),
    ("public", 0, ReviewAccess(), None),
    ("public", 0, ReviewAccess(AccessLevel.DRAFT, frozenset({9})), None),
    ("draft", 2, ReviewAccess(AccessLevel.RESTRICTED, frozenset({9})), None),
])
def test_the_rule(level: str, findings: int | None, current: ReviewAccess | None,
                  expected: ReviewAccess | None) -> None:
    assert UploadAccess(AccessLevel(level), HOME, findings).applied(current) == expected


def test_the_default_and_the_option_round_trip() -> None:
    editor = User(1, "e", "E", Role.EDITOR, 7)
    assert upload_access(editor) == UploadAccess(AccessLevel.DRAFT, HOME)
    assert upload_access(editor, "public").level is AccessLevel.PUBLIC
    assert upload_access(User(2, "a", "A", Role.ADMINISTRATOR, None)).organisations == frozenset()
    with pytest.raises(StorfaError):
        upload_access(editor, "everyone")
    wanted = upload_access(editor, "restricted")
    assert UploadAccess.from_option(wanted.as_option()) == wanted
    assert UploadAccess.from_option(None) is None
