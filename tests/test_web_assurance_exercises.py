"""Case-file audits, self-evaluations and triangulation through the real app
on both backends: a board starts an audit (a name refused as a case), agencies
grade, a disagreement shows; a board designs a self-evaluation from a
template, an agency fills and submits it in the browser and a second agency
cannot see that return; the triangulation page, its JSON and DOCX; the API
in the OpenAPI document; the pages in Welsh."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient

from backends import PostgresRun
from storfa.app import Storfa
from storfa.config import Settings
from storfa.web.app import create_app
from storfa.web.security import LANG_COOKIE
from webworld import PASSWORD, SYSTEM, backend_env, csrf_of

PEOPLE = {"board": ("editor", "North Board"), "police": ("editor", "North Police"),
          "health": ("editor", "North Health"), "outsider": ("editor", "Gwent Board")}


@dataclass
class Site:
    storfa: Storfa
    client_for: dict[str, TestClient] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def __call__(self, who: str) -> TestClient:
        if who not in self.client_for:
            client = TestClient(create_app(self.storfa), follow_redirects=False)
            csrf = csrf_of(client.get("/login").text)
            done = client.post("/login", data={"username": who, "password": PASSWORD,
                                               "csrf_token": csrf, "next": "/"})
            assert done.status_code == 303, done.text[:300]
            self.client_for[who] = client
        return self.client_for[who]

    def csrf(self, who: str, path: str = "/assurance/exercises") -> str:
        return csrf_of(self(who).get(path).text)

    def api(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
         postgres_run: PostgresRun | None) -> Iterator[Site]:
    with backend_env(request.param, postgres_run):
        storfa = Storfa(Settings.from_env(data_dir=tmp_path_factory.mktemp("ex") / "d",
                                          workers=1))
        s = Site(storfa)
        for name, board in (("North Board", "North Wales"), ("North Police", None),
                            ("North Health", None), ("Gwent Board", "Gwent")):
            storfa.accounts.add_organisation(name, board, SYSTEM)
        for who, (role, org) in PEOPLE.items():
            user = storfa.accounts.add_user(who, PASSWORD, role, org, SYSTEM)
            s.tokens[who] = storfa.accounts.create_token(user, "tests", SYSTEM)
        yield s
        for client in s.client_for.values():
            client.close()
        storfa.close()


def _id(response: object, pattern: str) -> int:
    location = response.headers["location"]  # type: ignore[attr-defined]
    found = re.search(pattern, location)
    assert found, location
    return int(found.group(1))


def test_case_file_audit_in_the_browser(site: Site) -> None:
    board = site("board")
    made = board.post("/assurance/audits", data={
        "csrf_token": site.csrf("board"), "title": "Neglect 2025",
        "questions": "training | Was the practitioner trained?\nrisk | Was risk assessed?"})
    assert made.status_code == 303
    audit = _id(made, r"/assurance/audits/(\d+)$")
    page = f"/assurance/audits/{audit}"
    refused = board.post(f"{page}/cases", data={"csrf_token": site.csrf("board", page),
                                                "reference": "Jane Smith",
                                                "agencies": "North Police"})
    assert refused.status_code == 400 and "never enter names" in refused.text.casefold()
    assert board.post(f"{page}/cases", data={
        "csrf_token": site.csrf("board", page), "reference": "CFA-2025-001",
        "agencies": "North Police, North Health"}).status_code == 303
    for who, grade in (("police", "good"), ("health", "unsatisfactory")):
        client = site(who)
        view = client.get(page)
        assert view.status_code == 200 and "CFA-2025-001" in view.text
        case_id = re.search(r'name="case" value="(\d+)"', view.text)
        assert case_id
        done = client.post(f"{page}/grades", data={
            "csrf_token": csrf_of(view.text), "case": case_id.group(1), "question": "q1",
            "grade": grade, "comment": "From the file"})
        assert done.status_code == 303, done.text[:300]
    # Before publication the police see only their own grade: no disagreement yet.
    assert "None." in site("police").get(page).text.split("Disagreements")[1]
    seen = board.get(page)
    assert "Disagreements between agencies" in seen.text and "CFA-2025-001</strong>" in seen.text
    assert site("outsider").get(page).status_code == 404
    results = site("board").get(f"/api/v1/assurance/audits/{audit}/results",
                                headers=site.api("board")).json()
    assert results["questions"][0]["percents"] == {"outstanding": 0.0, "good": 50.0,
                                                   "requires_improvement": 0.0,
                                                   "unsatisfactory": 50.0}
    assert board.get(f"{page}/export.xlsx").status_code == 200


def test_self_evaluation_second_agency_cannot_see_the_first(site: Site) -> None:
    board = site("board")
    made = board.post("/assurance/self-evaluations", data={
        "csrf_token": site.csrf("board"), "title": "Core 2025", "template": "core"})
    se = _id(made, r"/assurance/self-evaluations/(\d+)$")
    page = f"/assurance/self-evaluations/{se}"
    assert board.post(f"{page}/send", data={"csrf_token": site.csrf("board", page),
                                            "agencies": "North Police, North Health"}
                      ).status_code == 303
    police = site("police")
    mine = police.get(page)
    found = re.search(r'/assurance/self-evaluation-returns/(\d+)', mine.text)
    assert found
    ret = f"/assurance/self-evaluation-returns/{found.group(1)}"
    form = police.get(ret)
    assert form.status_code == 200 and "Safer recruitment" in form.text
    # A half-filled form is saved as a draft; submitting without scores keeps it.
    saved = police.post(ret, data={"csrf_token": csrf_of(form.text), "a_s4q3": "yes",
                                   "a_s1q4": "Quarterly forum"})
    assert saved.status_code == 303
    refused = police.post(ret, data={"csrf_token": csrf_of(form.text), "submit": "1"})
    assert refused.status_code == 400 and "self-score" in refused.text
    assert site("health").get(ret).status_code == 404  # the second agency
    assert board.get(ret).status_code == 404  # a draft stays the agency's own
    scores = {f"s_s{i}": "good" for i in range(1, 7)}
    done = police.post(ret, data={"csrf_token": csrf_of(form.text), **scores, "submit": "1"})
    assert done.status_code == 303
    assert site("health").get(ret).status_code == 404
    assert board.get(ret).status_code == 200
    results = board.get(page)
    assert "1 of 2 returned" in results.text and "North Health" in results.text
    api = board.get(f"/api/v1/assurance/self-evaluations/{se}/results",
                    headers=site.api("board")).json()
    assert api["not_returned"] == ["North Health"]
    briefings = next(q for q in api["questions"] if q["key"] == "s4q3")
    assert briefings["options"][0] == {"value": "yes", "count": 1, "percent": 100.0}


def test_triangulation_page_json_and_docx(site: Site) -> None:
    board = site("board")
    page = board.get("/assurance/triangulation?theme=training&also=briefing")
    assert page.status_code == 200 and "Case-file audits" in page.text
    data = board.get("/api/v1/assurance/triangulation?theme=training",
                     headers=site.api("board")).json()
    assert {s["source"] for s in data["sources"]} == {"selfeval", "audit", "survey"}
    docx = board.get("/assurance/triangulation.docx?theme=training")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_api_documented_and_welsh(site: Site) -> None:
    spec = site("board").get("/api/v1/openapi.json").json()
    for path in ("/assurance/audits", "/assurance/self-evaluations/{selfeval_id}/results",
                 "/assurance/triangulation"):
        assert path in spec["paths"]
    client = site("board")
    client.cookies.set(LANG_COOKIE, "cy")
    try:
        assert "Archwiliadau" in client.get("/assurance/exercises").text
    finally:
        client.cookies.delete(LANG_COOKIE)
