"""The access matrix: every page and endpoint × every person × every access
level, each cell checked against a table written out here by hand (never
computed from storfa.accounts.policy, which would make a test that cannot
fail). Search obeys the same rules in hits, totals, snippets, facet counts
and CSV exports, and denials, restricted reads and downloads are audited.

Runs once on SQLite and once on PostgreSQL (one site per backend per module:
building it ingests four reviews and hashes six passwords)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from backends import PostgresRun
from webworld import (
    BOARD,
    COMMON,
    HOME_ORG,
    LEVELS,
    REVIEWS,
    WHO,
    YEAR,
    World,
    backend_env,
    build_world,
)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, postgres_run: PostgresRun | None,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with backend_env(request.param, postgres_run):
        base = tmp_path_factory.mktemp(f"access-{request.param}")
        site = build_world(base / "data", base / "reviews")
        yield site
        site.close()


def table(text: str) -> dict[str, dict[str, str]]:
    """A grid written as text: first row the people, first column the levels."""
    lines = [line.split() for line in text.strip().splitlines()]
    people = lines[0]
    assert tuple(people) == WHO, people
    grid = {row[0]: dict(zip(people, row[1:], strict=True)) for row in lines[1:]}
    assert tuple(grid) in (LEVELS, ("any",)), grid
    return grid


# Who sees a review at each level: Y or N.
VIEW = table("""
             administrator editor coder reader other_reader other_editor anonymous
public       Y             Y      Y     Y      Y            Y            Y
registered   Y             Y      Y     Y      Y            Y            N
restricted   Y             Y      Y     Y      N            N            N
draft        Y             Y      N     N      N            N            N
""")

# Reading one review (pages, API, download): the status code.
READ = table("""
             administrator editor coder reader other_reader other_editor anonymous
public       200           200    200   200    200          200          200
registered   200           200    200   200    200          200          404
restricted   200           200    200   200    404          404          404
draft        200           200    404   404    404          404          404
""")

# Changing a review through a form: a redirect back to it when allowed; a
# review one may not see answers 404 as though it did not exist.
EDIT_PAGE = table("""
             administrator editor coder reader other_reader other_editor anonymous
public       303           303    403   403    403          303          403
registered   303           303    403   403    403          303          404
restricted   303           303    403   403    404          404          404
draft        303           303    404   404    404          404          404
""")

# The same through the API: anonymous callers are told to authenticate first.
EDIT_API = table("""
             administrator editor coder reader other_reader other_editor anonymous
public       200           200    403   403    403          200          401
registered   200           200    403   403    403          200          401
restricted   200           200    403   403    404          404          401
draft        200           200    404   404    404          404          401
""")

# Pages and endpoints that do not depend on a review's level.
UPLOAD_PAGE = table("""
             administrator editor coder reader other_reader other_editor anonymous
any          200           200    403   403    403          200          303
""")
UPLOAD_API = table("""
             administrator editor coder reader other_reader other_editor anonymous
any          200           200    403   403    403          200          401
""")
ADMIN_PAGE = table("""
             administrator editor coder reader other_reader other_editor anonymous
any          200           403    403   403    403          403          303
""")
EVERYONE = table("""
             administrator editor coder reader other_reader other_editor anonymous
any          200           200    200   200    200          200          200
""")


def visible(who: str) -> list[str]:
    return [level for level in LEVELS if VIEW[level][who] == "Y"]


def hidden(who: str) -> list[str]:
    return [level for level in LEVELS if VIEW[level][who] == "N"]


Call = Callable[[World, str, str], httpx.Response]


def page(method: str, path: str) -> Call:
    def call(w: World, who: str, level: str) -> httpx.Response:
        return w.client(who).request(method, path.format(key=w.keys[level]))
    return call


def api(method: str, path: str, **kwargs: object) -> Call:
    def call(w: World, who: str, level: str) -> httpx.Response:
        # A fresh client: an API call by token carries no session cookie.
        return w.client("anonymous").request(method, "/api/v1" + path.format(key=w.keys[level]),
                                             headers=w.bearer(who), **kwargs)  # type: ignore[arg-type]
    return call


def post_metadata(w: World, who: str, level: str) -> httpx.Response:
    return w.client(who).post(f"/reviews/{w.keys[level]}/metadata",
                              data={"field": "age_band", "value": "unknown",
                                    "csrf_token": w.page_csrf(who)})


def post_access(w: World, who: str, level: str) -> httpx.Response:
    # The level the review already has, so allowed cells change nothing.
    home = w.storfa.accounts.accounts.organisation(HOME_ORG)
    assert home is not None
    orgs = [str(home.id)] if level in ("restricted", "draft") else []
    return w.client(who).post(f"/reviews/{w.keys[level]}/access",
                              data={"level": level, "organisations": orgs,
                                    "csrf_token": w.page_csrf(who)})


def put_access(w: World, who: str, level: str) -> httpx.Response:
    orgs = [HOME_ORG] if level in ("restricted", "draft") else []
    return api("PUT", "/reviews/{key}/access", json={"level": level, "organisations": orgs})(
        w, who, level)


def upload(w: World, who: str, level: str) -> httpx.Response:
    body = f"# Child Practice Review CPR2021-W0{len(who) % 9 + 1}\n\nUploaded by {who}.\n"
    return api("POST", "/uploads", files=[("files", ("upload.md", body.encode(),
                                                      "text/markdown"))])(w, who, level)


# (name, call, expected statuses)
CELLS: list[tuple[str, Call, dict[str, dict[str, str]]]] = [
    ("GET /", page("GET", "/"), EVERYONE),
    ("GET /search", page("GET", f"/search?q={COMMON}"), EVERYONE),
    ("GET /search.csv", page("GET", f"/search.csv?q={COMMON}"), EVERYONE),
    ("GET /reviews", page("GET", "/reviews"), EVERYONE),
    ("GET /reviews/{key}", page("GET", "/reviews/{key}"), READ),
    ("GET /reviews/{key}/original", page("GET", "/reviews/{key}/original"), READ),
    ("POST /reviews/{key}/metadata", post_metadata, EDIT_PAGE),
    ("POST /reviews/{key}/access", post_access, EDIT_PAGE),
    ("GET /upload", page("GET", "/upload"), UPLOAD_PAGE),
    ("GET /admin", page("GET", "/admin"), ADMIN_PAGE),
    ("GET /admin/audit", page("GET", "/admin/audit"), ADMIN_PAGE),
    ("GET /api/v1/search", api("GET", f"/search?q={COMMON}"), EVERYONE),
    ("GET /api/v1/reviews", api("GET", "/reviews"), EVERYONE),
    ("GET /api/v1/reviews/{key}", api("GET", "/reviews/{key}"), READ),
    ("GET /api/v1/reviews/{key}/pages/1", api("GET", "/reviews/{key}/pages/1"), READ),
    ("GET /api/v1/reviews/{key}/text", api("GET", "/reviews/{key}/text"), READ),
    ("PATCH /api/v1/reviews/{key}/metadata",
     api("PATCH", "/reviews/{key}/metadata", json={"field": "age_band", "value": "unknown"}),
     EDIT_API),
    ("PUT /api/v1/reviews/{key}/access", put_access, EDIT_API),
    ("POST /api/v1/uploads", upload, UPLOAD_API),
]


@pytest.mark.parametrize(("name", "call", "expected"), CELLS, ids=[c[0] for c in CELLS])
def test_access_matrix(world: World, name: str, call: Call,
                       expected: dict[str, dict[str, str]]) -> None:
    wrong = []
    for level in LEVELS:
        want_row = expected.get(level) or expected["any"]
        for who in WHO:
            response = call(world, who, level)
            if str(response.status_code) != want_row[who]:
                wrong.append(f"{who:>13} × {level:<10}: {response.status_code} "
                             f"(expected {want_row[who]}) {response.text[:120]!r}")
            assert response.status_code < 500, response.text
    assert not wrong, f"{name}:\n" + "\n".join(wrong)


def test_api_by_cookie_session_matches_tokens(world: World) -> None:
    for who in WHO:
        by_token = world.client("anonymous").get("/api/v1/reviews", headers=world.bearer(who))
        by_cookie = world.client(who).get("/api/v1/reviews")
        assert by_token.json() == by_cookie.json(), who
        assert [r["review_id"] for r in by_cookie.json()["reviews"]] == \
            [world.keys[level] for level in visible(who)], who


# ------------------------------------------------------------------- lists
@pytest.mark.parametrize("path", ["/", "/reviews"])
@pytest.mark.parametrize("who", WHO)
def test_lists_show_only_visible_reviews(world: World, who: str, path: str) -> None:
    html = world.client(who).get(path).text
    for level in visible(who):
        assert world.keys[level] in html, (level, path)
    for level in hidden(who):
        assert world.keys[level] not in html, (level, path)
        assert BOARD[level] not in html, (level, path)  # the home page charts boards


# ------------------------------------------------------------------- search
def _api_search(w: World, who: str, q: str) -> dict[str, object]:
    response = w.client("anonymous").get("/api/v1/search", headers=w.bearer(who),
                                         params={"q": q, "limit": 100, "with_facets": "true"})
    assert response.status_code == 200, response.text
    out: dict[str, object] = response.json()
    return out


def _facet(found: dict[str, object], name: str) -> dict[str, int]:
    facets = found["facets"]
    assert isinstance(facets, dict)
    return {f["value"]: f["reviews"] for f in facets[name]}


@pytest.mark.parametrize("who", WHO)
def test_api_search_hits_totals_snippets_facets(world: World, who: str) -> None:
    found = _api_search(world, who, COMMON)
    hits = found["hits"]
    assert isinstance(hits, list)
    assert sorted({h["review_id"] for h in hits}) == sorted(world.keys[lv] for lv in visible(who))
    assert found["total"] == len(visible(who))  # one passage per review has the word
    assert _facet(found, "board") == {BOARD[lv]: 1 for lv in visible(who)}
    assert _facet(found, "year") == {YEAR[lv]: 1 for lv in visible(who)}
    assert _facet(found, "type") == {"CPR": len(visible(who))}
    for level in hidden(who):
        word = REVIEWS[level][2]
        assert not any(word in h["snippet"] or word in h["text"] for h in hits), level
        # The planted word alone: nothing at all, not even a facet count.
        alone = _api_search(world, who, word)
        assert alone["total"] == 0 and alone["hits"] == [], (level, alone)
        assert all(values == [] for values in alone["facets"].values()), alone  # type: ignore[union-attr]
    for level in visible(who):
        alone = _api_search(world, who, REVIEWS[level][2])
        assert alone["total"] == 1
        assert _facet(alone, "board") == {BOARD[level]: 1}


@pytest.mark.parametrize("who", WHO)
def test_search_page_hits_snippets_facets(world: World, who: str) -> None:
    html = world.client(who).get("/search", params={"q": COMMON}).text
    for level in visible(who):
        assert world.keys[level] in html and REVIEWS[level][2] in html, level
        assert BOARD[level] in html, level
    for level in hidden(who):
        assert world.keys[level] not in html, level
        assert REVIEWS[level][2] not in html, level     # snippet
        assert BOARD[level] not in html, level          # facet list
        assert f">{YEAR[level]}<" not in html, level     # facet list
    for level in hidden(who):
        word = REVIEWS[level][2]
        alone = world.client(who).get("/search", params={"q": word}).text
        assert world.keys[level] not in alone and BOARD[level] not in alone, level


@pytest.mark.parametrize("who", WHO)
def test_csv_export_obeys_access(world: World, who: str) -> None:
    response = world.client(who).get("/search.csv", params={"q": COMMON})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted(r["review_id"] for r in rows) == sorted(world.keys[lv] for lv in visible(who))
    for level in hidden(who):
        assert REVIEWS[level][2] not in response.text
        alone = world.client(who).get("/search.csv", params={"q": REVIEWS[level][2]})
        assert list(csv.DictReader(io.StringIO(alone.text))) == []


@pytest.mark.parametrize("who", WHO)
def test_search_by_review_id_does_not_find_hidden(world: World, who: str) -> None:
    """A filter naming the hidden review's board or year finds nothing either."""
    for level in hidden(who):
        for params in ({"board": BOARD[level]}, {"year": YEAR[level]}):
            found = world.client("anonymous").get(
                "/api/v1/search", headers=world.bearer(who),
                params={**params, "with_facets": "true"}).json()
            assert found["total"] == 0 and found["hits"] == [], (level, params, found)


@pytest.mark.parametrize("who", WHO)
def test_autocomplete_suggests_only_visible_reviews(world: World, who: str) -> None:
    found = world.client("anonymous").get(
        "/api/v1/autocomplete", headers=world.bearer(who), params={"q": "CPR20"}).json()
    suggested = {s.get("review_id") for s in found["suggestions"]}
    assert suggested == {world.keys[lv] for lv in visible(who)}
    for level in hidden(who):
        board = world.client("anonymous").get(
            "/api/v1/autocomplete", headers=world.bearer(who),
            params={"q": BOARD[level]}).json()
        assert board["suggestions"] == [], (level, board)


# -------------------------------------------------------------------- audit
def test_denials_are_audited(world: World) -> None:
    key = world.keys["restricted"]
    before = len(world.audit())
    world.client("anonymous").get(f"/api/v1/reviews/{key}", headers=world.bearer("other_reader"))
    world.client("other_editor").get(f"/reviews/{key}/original")
    world.client("reader").post(f"/reviews/{key}/metadata",
                                data={"field": "title", "value": "x",
                                      "csrf_token": world.page_csrf("reader")})
    world.client("coder").get("/admin")
    world.client("anonymous").post("/api/v1/uploads", headers=world.bearer("reader"),
                                   files=[("files", ("a.md", b"# A\n", "text/markdown"))])
    new = world.audit()[: len(world.audit()) - before]

    def denied(actor: str, action: str, object_id: str | None = None) -> dict[str, object]:
        for event in new:
            if (event["actor"] == actor and event["action"] == action
                    and (object_id is None or event["object_id"] == object_id)):
                detail = event["detail"]
                assert isinstance(detail, dict)
                assert detail["allowed"] is False, event
                return detail
        raise AssertionError(f"no denied {action} by {actor} in {new}")

    detail = denied("user:other_reader", "review.view", key)
    assert detail["role"] == "reader" and detail["organisation"] == "Other Safeguarding Board"
    denied("user:other_editor", "review.download", key)
    denied("user:reader", "review.metadata", key)
    denied("user:coder", "admin.view")
    denied("user:reader", "review.upload")


@pytest.mark.parametrize("level", ["restricted", "draft"])
def test_restricted_reads_are_audited_with_who_and_where(world: World, level: str) -> None:
    key = world.keys[level]
    for who, how in (("editor", "page"), ("administrator", "api")):
        before = len(world.audit("review.view"))
        if how == "page":
            assert world.client(who).get(f"/reviews/{key}").status_code == 200
        else:
            assert world.client("anonymous").get(f"/api/v1/reviews/{key}/text",
                                                 headers=world.bearer(who)).status_code == 200
        events = world.audit("review.view")
        assert len(events) == before + 1, (who, how)
        event = events[0]
        assert event["actor"] == f"user:{who}" and event["object_id"] == key
        detail = event["detail"]
        assert isinstance(detail, dict)
        assert detail["allowed"] is True
        assert detail["role"] == world.users[who].role.value
        assert detail["organisation"] == HOME_ORG
        assert detail["address"] == "testclient"
        assert detail["level"] == level and detail["version"] == 1


def test_public_reads_are_not_audited_but_downloads_are(world: World) -> None:
    key = world.keys["public"]
    views, downloads = len(world.audit("review.view")), len(world.audit("review.download"))
    assert world.client("reader").get(f"/reviews/{key}").status_code == 200
    assert len(world.audit("review.view")) == views
    response = world.client("reader").get(f"/reviews/{key}/original")
    assert response.status_code == 200 and COMMON.encode() in response.content
    events = world.audit("review.download")
    assert len(events) == downloads + 1
    detail = events[0]["detail"]
    assert isinstance(detail, dict)
    assert (detail["role"], detail["organisation"], detail["address"], detail["allowed"]) == \
        ("reader", HOME_ORG, "testclient", True)


def test_csv_exports_are_audited(world: World) -> None:
    before = len(world.audit("search.export"))
    world.client("coder").get("/search.csv", params={"q": COMMON})
    events = world.audit("search.export")
    assert len(events) == before + 1
    assert events[0]["actor"] == "user:coder"


def test_reader_cannot_edit_even_with_the_right_csrf_and_nothing_changes(world: World) -> None:
    key = world.keys["public"]
    before = world.client("anonymous").get(f"/api/v1/reviews/{key}").json()
    response = world.client("reader").post(f"/reviews/{key}/metadata", data={
        "field": "title", "value": "Changed by a reader", "csrf_token": world.page_csrf("reader")})
    assert response.status_code == 403
    api_response = world.client("anonymous").patch(
        f"/api/v1/reviews/{key}/metadata", headers=world.bearer("reader"),
        json={"field": "title", "value": "Changed by a reader"})
    assert api_response.status_code == 403
    assert api_response.headers["content-type"].startswith("application/problem+json")
    assert world.client("anonymous").get(f"/api/v1/reviews/{key}").json() == before


def test_setup_is_as_the_tables_assume(world: World, tmp_path: Path) -> None:
    """Guards the fixture: the levels really are what the tables are written for."""
    restricted = world.storfa.accounts.restricted()
    assert {lv: restricted[world.rows[lv]].level.value for lv in LEVELS[1:]} == \
        {lv: lv for lv in LEVELS[1:]}
    assert world.rows["public"] not in restricted
