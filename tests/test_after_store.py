"""The steps after a file is stored (ingest/after_store.py), on both backends:
`storfa ingest` and the queue worker (`storfa ingest --queue` + `storfa
worker`, the path of web uploads) leave the same state (recommendations
extracted, passages embedded, recurrence grouped); a failing step leaves the
review stored and searchable by keyword, says so with the command that redoes
it, and that command catches up; reading the register and the recurrence page
writes nothing, and offers the action instead."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from backends import PostgresRun
from harness import Cli, run_queued_jobs
from storfa.app import Storfa
from storfa.config import Settings
from storfa.recommendations.recurrence import is_current, recurrence
from storfa.recommendations.register import RecommendationRegister
from storfa.search.embedding_service import EmbeddingService
from webworld import World, backend_env, build_world, csrf_of

ASK = "should make sure that every strategy discussion hears from the school nurse."


def _review(identifier: str, board: str, word: str) -> str:
    return f"""# Child Practice Review {identifier}

{board} Safeguarding Board — Child Practice Review re: Child T

## Practice and organisational learning

Practitioners did not always share information about {word} with one another.

## Recommendations

1. The Health Board {ASK}
2. The local authority should record the child's voice in every assessment.
"""


def _app(cli: Cli) -> Storfa:
    return Storfa(Settings.from_env(data_dir=cli.data_dir, workers=1))


def _state(app: Storfa, key: str) -> tuple[list[tuple[str, str]], int, int]:
    """(number, text) of the review's recommendations, its passages, and how
    many of them still lack a vector."""
    record = app.store.get_review(key)
    assert record is not None
    recs = [(r.number, r.text) for k, r in app.register().listing(key)]
    passages = app.store.passages(record.version_id)
    missing = app.store.count_passages_missing_vectors(EmbeddingService(app.store).model)
    return recs, len(passages), missing


def test_cli_ingest_and_the_queue_worker_leave_the_same_state(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORFA_EMBED", "on")
    here, queued = tmp_path / "here", tmp_path / "queued"
    here.mkdir()
    queued.mkdir()
    (here / "a.md").write_text(_review("CPR2016-W01", "Gwent", "bruising"), encoding="utf-8")
    (queued / "b.md").write_text(_review("CPR2019-W02", "Powys", "neglect"), encoding="utf-8")
    made = cli.json("ingest", str(here))
    assert made["after_store"]["failed"] == [] and made["embedded"] > 0
    cli.json("ingest", "--queue", str(queued))
    assert cli.json("worker", "--once")["counts"]["done"] == 1
    app = _app(cli)
    try:
        (recs_a, passages_a, missing), (recs_b, passages_b, _) = (
            _state(app, "CPR2016-W01"), _state(app, "CPR2019-W02"))
        assert recs_a == recs_b and [n for n, _ in recs_a] == ["1", "2"]
        assert passages_a == passages_b and missing == 0  # both embedded
        assert app.register().unextracted() == []
        assert is_current(app)
        groups = [g for g in recurrence(app) if len(g.reviews) > 1]
        assert [g.reviews for g in groups] == [["CPR2016-W01", "CPR2019-W02"]] * 2
        # Themes are coded by the same step, whichever way the file came in.
        themed = {k: [r.themes for _, r in app.register().listing(k)]
                  for k in ("CPR2016-W01", "CPR2019-W02")}
        assert themed["CPR2016-W01"] == themed["CPR2019-W02"]
    finally:
        app.close()


def test_a_failing_step_is_reported_and_redone(cli: Cli, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(_review("CPR2016-W01", "Gwent", "zorbleflax"),
                                 encoding="utf-8")

    def broken(*_: object, **__: object) -> dict[str, int]:
        raise RuntimeError("extractor broke")

    with monkeypatch.context() as patch:
        patch.setattr(RecommendationRegister, "extract", broken)
        result = cli.run("ingest", str(folder))
        assert result.exit_code == 0, result.output
        said = " ".join(result.stderr.split())  # the console wraps long lines
        assert "extractor broke" in said and "storfa recommendations extract --pending" in said
    # Stored and searchable by keyword all the same.
    hits = cli.json("search", "zorbleflax")
    assert {h["review_id"] for h in hits["hits"]} == {"CPR2016-W01"}
    app = _app(cli)
    try:
        assert app.register().unextracted() == ["CPR2016-W01"]
        assert app.register().listing(None) == []
    finally:
        app.close()
    assert "1 review(s) not extracted yet" in " ".join(cli.run("recommendations").stderr.split())
    redone = cli.json("recommendations", "extract", "--pending")
    assert redone["reviews"] == [{"review_id": "CPR2016-W01", "found": 2}]
    assert redone["after_store"]["failed"] == []
    app = _app(cli)
    try:
        assert app.register().unextracted() == [] and is_current(app)
    finally:
        app.close()


def test_a_batch_extracts_each_review_once_as_it_is_stored(cli: Cli, tmp_path: Path) -> None:
    """`storfa ingest` extracts each review's recommendations while the parse
    workers read the rest of the batch (AsStored); the step after the batch
    counts them and does not extract them again."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name, key, board in (("a", "CPR2016-W01", "Gwent"), ("b", "CPR2019-W02", "Powys"),
                             ("c", "CPR2020-W03", "Cardiff")):
        (folder / f"{name}.md").write_text(_review(key, board, "bruising"), encoding="utf-8")
    made = cli.json("ingest", "--no-embed", str(folder))
    steps = {s["step"]: s for s in made["after_store"]["steps"]}
    assert made["after_store"]["failed"] == [] and steps["recommendations"]["done"] == 6
    app = _app(cli)
    try:
        events = app.store.audit_events(action="recommendations.extract")
        assert sorted(e["object_id"] for e in events) == [
            "CPR2016-W01", "CPR2019-W02", "CPR2020-W03"]
        assert app.register().unextracted() == [] and is_current(app)
    finally:
        app.close()


def test_what_fails_as_stored_is_done_after_the_batch(cli: Cli, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(_review("CPR2016-W01", "Gwent", "bruising"), encoding="utf-8")
    real = RecommendationRegister.extract
    calls: list[str | None] = []

    def first_fails(self: RecommendationRegister, review: str | None, actor: str,
                    only_stale: bool = False) -> dict[str, int]:
        calls.append(review)
        if len(calls) == 1:
            raise RuntimeError("busy")
        return real(self, review, actor, only_stale)

    with monkeypatch.context() as patch:
        patch.setattr(RecommendationRegister, "extract", first_fails)
        made = cli.json("ingest", "--no-embed", str(folder))
    steps = {s["step"]: s for s in made["after_store"]["steps"]}
    assert calls == ["CPR2016-W01", "CPR2016-W01"]
    assert made["after_store"]["failed"] == [] and steps["recommendations"]["done"] == 2
    app = _app(cli)
    try:
        assert app.register().unextracted() == []
    finally:
        app.close()


def test_a_failing_embedding_leaves_keyword_search(cli: Cli, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORFA_EMBED", "on")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(_review("CPR2016-W01", "Gwent", "zorbleflax"),
                                 encoding="utf-8")

    def broken(*_: object, **__: object) -> int:
        raise RuntimeError("no model here")

    with monkeypatch.context() as patch:
        patch.setattr(EmbeddingService, "backfill", broken)
        made = cli.json("ingest", str(folder))
    assert made["counts"]["ingested"] == 1 and made["after_store"]["failed"] == ["embeddings"]
    steps = {s["step"]: s for s in made["after_store"]["steps"]}
    assert steps["embeddings"]["redo"] == "storfa reindex --embeddings"
    assert steps["recommendations"]["done"] == 2 and steps["recurrence"]["error"] is None
    hits = cli.json("search", "zorbleflax")
    assert {h["review_id"] for h in hits["hits"]} == {"CPR2016-W01"}
    assert cli.json("reindex", "--embeddings")["embedded"] > 0


# ------------------------------------------------------------ reads write nothing
@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
          postgres_run: PostgresRun | None) -> Iterator[World]:
    if request.param == "postgresql" and postgres_run is None:
        pytest.skip("PostgreSQL is not available")
    base = tmp_path_factory.mktemp("after-store")
    extra = "\n## Recommendations\n\n1. The Health Board " + ASK + "\n"
    with backend_env(request.param, postgres_run):
        site = build_world(base / "data", base / "reviews",
                           extra={level: extra for level in ("public", "registered")})
        # One more review stored without the after-store steps: an older store.
        late = base / "late.md"
        late.write_text(_review("CPR2021-W05", "Powys", "neglect"), encoding="utf-8")
        assert site.storfa.ingest.ingest([late])[0].status == "ingested"
        yield site
        site.close()


TABLES = ("recommendations", "recommendation_extractions", "recommendation_history",
          "recurrence_groups", "recommendation_topic_vectors", "extracts")


def _snapshot(world: World) -> tuple[object, ...]:
    store = world.storfa.store
    with store.db.read() as conn:
        counts = tuple(conn.one(f"SELECT COUNT(*) AS n FROM {t}")["n"]  # type: ignore[index]
                       for t in TABLES)
    return (store.data_stamp(), len(store.audit_events(limit=100_000)), counts)


def test_reading_writes_nothing_and_offers_the_action(world: World) -> None:
    editor, reader = world.client("editor"), world.client("reader")
    before = _snapshot(world)
    register = editor.get("/recommendations")
    assert register.status_code == 200 and 'id="catch-up"' in register.text
    assert "CPR2021-W05" not in register.text  # not extracted, so not listed
    assert 'action="/recommendations/catch-up"' in register.text
    recurring = editor.get("/reports/recurrence")
    assert recurring.status_code == 200 and 'id="catch-up"' in recurring.text
    assert 'class="recurrence-group"' in recurring.text  # what is stored is shown
    only_read = reader.get("/recommendations")
    assert 'id="catch-up"' in only_read.text
    assert 'action="/recommendations/catch-up"' not in only_read.text  # not theirs to do
    api = editor.get("/api/v1/recommendations", headers=world.bearer("editor"))
    assert api.status_code in (200, 404)  # the register's API, where it exists
    assert _snapshot(world) == before
    # A reader may not run it; an editor may, and then the pages show it.
    refused = reader.post("/recommendations/catch-up", data={
        "csrf_token": world.page_csrf("reader"), "back": "/reports/recurrence"})
    assert refused.status_code == 403
    done = editor.post("/recommendations/catch-up", data={
        "csrf_token": csrf_of(recurring.text), "back": "/reports/recurrence"})
    assert done.status_code == 303 and done.headers["location"] == "/reports/recurrence"
    # The request only queued it: a worker does the work, and the pages say so.
    assert world.storfa.register().unextracted() == ["CPR2021-W05"]
    waiting = editor.get("/reports/recurrence")
    assert 'id="catching-up"' in waiting.text and "waiting for a worker" in waiting.text
    api = editor.get("/api/v1/recommendations", headers=world.bearer("editor")).json()
    assert api["unextracted"] == 1 and api["catching_up"]["status"] == "queued"
    again = editor.post("/api/v1/recommendations/catch-up", headers=world.bearer("editor"))
    assert again.status_code == 202  # the same job, not a second one
    assert again.json()["job_id"] == api["catching_up"]["job_id"]
    assert reader.post("/api/v1/recommendations/catch-up",
                       headers=world.bearer("reader")).status_code == 403
    assert run_queued_jobs(world.storfa)["done"] == 1
    assert world.storfa.register().unextracted() == []
    job = world.storfa.jobs.get(api["catching_up"]["job_id"])
    assert job is not None and job.result is not None
    assert (job.result["done"], job.result["total"], job.result["failed"]) == (1, 1, [])
    after = editor.get("/reports/recurrence")
    assert 'id="catch-up"' not in after.text and "CPR2021-W05" in after.text
    settled = _snapshot(world)
    editor.get("/recommendations")
    editor.get("/reports/recurrence")
    assert _snapshot(world) == settled


def test_a_correction_regroups(world: World) -> None:
    app = world.storfa
    app.register().extract(None, "test", only_stale=True)
    from storfa.recommendations.recurrence import regroup

    regroup(app)
    register = app.register()
    key, rec = next((k, r) for k, r in register.listing(None) if k == "CPR2021-W05"
                    and r.number == "2")
    register.edit(rec.id, "test", text="The Health Board " + ASK)
    assert is_current(app)
    (group,) = [g for g in recurrence(app) if key in g.reviews and len(g.items) > 2]
    assert rec.id in {i.id for i in group.items}
