"""Referrals through the real app, on both backends: every person × every
referral endpoint against a table written out by hand; the teacher → hub →
teacher story through the pages; another agency cannot see or guess a
referral (the same 404 as a missing reference); the API is in the OpenAPI
document; the indicators page and its CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from backends import PostgresRun
from referralworld import PASSWORD, PEOPLE, SYSTEM, People, a_form, add_people
from storfa.app import Storfa
from storfa.config import Settings
from storfa.domain.referral_numbers import new_reference
from storfa.web.app import create_app
from webworld import backend_env, csrf_of

WHO = (*PEOPLE, "anonymous")
TODAY = dt.date.today().isoformat()
YEAR = TODAY[:4]


@dataclass
class Site:
    people: People
    app: TestClient
    tokens: dict[str, str]

    def api(self, who: str, method: str, path: str, **kw: object):  # type: ignore[no-untyped-def]
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who in self.tokens else {}
        return self.app.request(method, f"/api/v1{path}", headers=headers, **kw)  # type: ignore[arg-type]

    def login(self, who: str) -> TestClient:
        client = TestClient(self.app.app, follow_redirects=False)
        csrf = csrf_of(client.get("/login").text)
        response = client.post("/login", data={"username": who, "password": PASSWORD,
                                               "csrf_token": csrf, "next": "/"})
        assert response.status_code == 303, response.text[:300]
        return client


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request: pytest.FixtureRequest, postgres_run: PostgresRun | None,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with backend_env(request.param, postgres_run), pytest.MonkeyPatch.context() as mp:
        base = tmp_path_factory.mktemp(f"referrals-{request.param}")
        storfa = Storfa(Settings.from_env(data_dir=base / "data", workers=1,
                                          admin_totp="optional"))
        people = add_people(storfa, mp)
        tokens = {who: storfa.accounts.create_token(u, "tests", SYSTEM)
                  for who, u in people.users.items()}
        with TestClient(create_app(storfa), follow_redirects=False) as client:
            yield Site(people, client, tokens)
        storfa.close()


def grid(text: str) -> dict[str, dict[str, str]]:
    lines = [line.split() for line in text.strip().splitlines()]
    assert tuple(lines[0]) == WHO, lines[0]
    return {row[0]: dict(zip(lines[0], row[1:], strict=True)) for row in lines[1:]}


# Status codes per person for a referral the teacher (Ysgol Example) sent to
# the Cardiff hub. list: is it in that person's queue (Y/N, or 401).
EXPECTED = grid("""
          teacher head hub_worker hub_manager newport_worker admin anonymous
view      200     404  200        200         404            200   401
record    403     404  201        201         404            403   401
queue     N       N    Y          Y           N              Y     401
mine      Y       N    N          N           N              N     401
""")


def test_access_matrix(site: Site) -> None:
    sent = site.people.service.refer(site.people.caller("teacher"), a_form())
    ref = sent.reference
    for who in WHO:
        want = EXPECTED["view"][who]
        got = site.api(who, "GET", f"/referrals/{ref}")
        assert str(got.status_code) == want, (who, got.text)
        if want == "404":  # exactly the answer a missing reference gets
            assert got.json() == site.api(who, "GET", f"/referrals/{new_reference()}").json()
        body = {"kind": "care_support", "on_date": TODAY}
        got = site.api(who, "POST", f"/referrals/{ref}/events", json=body)
        assert str(got.status_code) == EXPECTED["record"][who], (who, got.text)
        for what, query in (("queue", ""), ("mine", "?mine=true")):
            got = site.api(who, "GET", f"/referrals{query}")
            if EXPECTED[what][who] == "401":
                assert got.status_code == 401
                continue
            refs = [r["reference"] for r in got.json()["referrals"]]
            assert (ref in refs) == (EXPECTED[what][who] == "Y"), (what, who, refs)
    denied = [e for e in site.people.storfa.store.audit_events(limit=5000,
                                                               action="referral.view")
              if '"allowed": false' in e["detail"]]
    assert {e["actor"] for e in denied} >= {"user:head", "user:newport_worker"}


def test_teacher_hub_teacher_through_the_pages(site: Site) -> None:
    teacher = site.login("teacher")
    page = teacher.get("/referrals/new")
    assert page.status_code == 200 and "Cardiff" in page.text
    form = {"csrf_token": csrf_of(page.text), "action": "save", "subject_type": "child",
            "subject_name": "Child P", "household_address": "2 Example Road",
            "local_authority": "Cardiff", "source": "education",
            "referrer_email": "teacher@school.example"}
    saved = teacher.post("/referrals/new", data=form)
    assert saved.status_code == 200 and "draft is saved" in saved.text
    draft_id = saved.text.split('name="draft_id" value="')[1].split('"')[0]
    missing = teacher.post("/referrals/new", data={**form, "draft_id": draft_id,
                                                   "action": "submit"})
    assert missing.status_code == 400 and 'id="observed-error"' in missing.text
    sent = teacher.post("/referrals/new", data={
        **form, "draft_id": draft_id, "action": "submit", "categories": ["neglect"],
        "observed": "Hungry every morning.", "actions_taken": "Told the head."})
    assert sent.status_code == 303
    location = sent.headers["location"]
    ref = location.split("/referrals/r/")[1].split("?")[0]
    assert "Keep its reference" in teacher.get(location).text

    hub = site.login("hub_worker")
    queue = hub.get("/referrals/queue?category=neglect")
    assert ref in queue.text
    detail = hub.get(f"/referrals/r/{ref}")
    csrf = csrf_of(detail.text)
    for kind, within in (("strategy_meeting", ""), ("strategy_held", "yes"), ("s47", "")):
        done = hub.post(f"/referrals/r/{ref}/events", data={
            "csrf_token": csrf, "kind": kind, "on_date": TODAY, "within": within,
            "note": "Speak to the school nurse." if kind == "s47" else ""})
        assert done.status_code == 303, done.text[:500]
    staff_view = hub.get(f"/referrals/r/{ref}").text
    assert "within timescale" in staff_view and "Strategy meeting held" in staff_view

    mine = teacher.get("/referrals").text
    assert ref in mine and "Section 47 enquiry" in mine and "school nurse" in mine
    own = teacher.get(f"/referrals/r/{ref}").text
    assert 'id="feedback-limit"' in own and "Strategy meeting held" not in own

    other = site.login("newport_worker")
    seen, guessed = other.get(f"/referrals/r/{ref}"), other.get(
        f"/referrals/r/{new_reference()}")
    assert seen.status_code == guessed.status_code == 404
    assert "Child P" not in seen.text
    assert other.get("/referrals/queue").status_code == 200
    assert ref not in other.get("/referrals/queue").text


def test_openapi_lists_the_endpoints(site: Site) -> None:
    paths = site.app.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/referrals", "/referrals/{reference}", "/referrals/{reference}/events",
                 "/referrals/import", "/indicators", "/indicators/export.{fmt}"):
        assert path in paths, path


def _some_referrals(site: Site) -> None:
    """At least one referral to count, whichever tests ran before in this
    process (pytest-xdist gives each worker its own module fixture)."""
    service, teacher = site.people.service, site.people.caller("teacher")
    if not service.mine(teacher):
        service.refer(teacher, a_form())


def test_indicators_page_and_export(site: Site) -> None:
    _some_referrals(site)
    reader = site.login("head")
    page = reader.get(f"/indicators?period={YEAR}&level=region")
    assert page.status_code == 200 and "Cardiff and Vale" in page.text
    assert 'id="illustrative"' in page.text
    assert reader.get("/indicators?period=nonsense").status_code == 400
    data = reader.get(f"/indicators/export.csv?period={YEAR}&level=region")
    rows = list(csv.DictReader(io.StringIO(data.content.decode("utf-8-sig"))))
    cardiff = {r["indicator"]: r for r in rows if r["area"] == "Cardiff and Vale"}
    # Fewer than 5 referrals in this site: every non-zero count is suppressed.
    assert cardiff["referrals"]["number"] == "*"
    assert TestClient(site.app.app).get(f"/api/v1/indicators?period={YEAR}").status_code == 401
    api = site.api("head", "GET", f"/indicators?period={YEAR}")
    assert api.status_code == 200 and api.json()["threshold"] == 5


def test_indicator_trend_page_and_api(site: Site) -> None:
    _some_referrals(site)
    reader = site.login("head")
    page = reader.get(f"/indicators?period={YEAR}&level=region&count=3&indicator=repeat"
                      "&measure=rate")
    assert page.status_code == 200, page.text[:500]
    text = page.text
    assert 'id="trend-main"' in text and 'role="img"' in text and 'id="trend-table"' in text
    assert 'id="compare-table"' in text and "Areas record referrals differently" in text
    assert "<script" not in text.split('id="trend"')[1].split("</section>")[0]
    assert reader.get(f"/indicators?period={YEAR}&count=x").status_code == 400
    assert reader.get(f"/indicators?period={YEAR}&area=Atlantis").status_code == 400
    welsh = reader.get(f"/indicators?period={YEAR}&level=region",
                       headers={"Accept-Language": "cy"})
    assert "Atgyfeiriadau" in welsh.text
    api = site.api("head", "GET", f"/indicators/trend?period={YEAR}&count=2&level=all")
    assert api.status_code == 200, api.text
    body = api.json()
    assert body["periods"] == [str(int(YEAR) - 1), YEAR] and body["area"] == "All areas"
    first = body["series"][0]
    assert first["key"] == "referrals" and len(first["points"]) == 2
    # Fewer than 5 referrals in this site: a suppressed point is null, flagged.
    assert any(p["suppressed"] and p["number"] is None for p in first["points"])
    assert site.api("head", "GET", f"/indicators/trend?period={YEAR}&count=99").status_code \
        == 422
    assert TestClient(site.app.app).get(
        f"/api/v1/indicators/trend?period={YEAR}").status_code == 401
