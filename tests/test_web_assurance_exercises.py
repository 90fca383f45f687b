"""Case-file audits, self-evaluations and triangulation through the real app
on both backends: a board starts an audit (a name refused as a case), agencies
grade, a disagreement shows; a board designs a self-evaluation from a
template, an agency fills and submits it in the browser and a second agency
cannot see that return; free-text answers coded with a codebook (a
self-evaluation's, and an anonymous survey's); the triangulation page, its
JSON and DOCX; the API in the OpenAPI document; the pages in Welsh."""

from __future__ import annotations

import html as htmllib
import io
import re
import zipfile
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


# Each exercise is built once per world by a fixture (the flow asserted as it
# goes), and every test that reads it asks for it: xdist may run this
# module's tests on two workers, each with a world of its own.
@pytest.fixture(scope="module")
def audit(site: Site) -> int:
    """The board's case-file audit "Neglect 2025", graded by two agencies."""
    return _run_audit(site)


@pytest.fixture(scope="module")
def selfeval(site: Site) -> int:
    """The board's self-evaluation "Core 2025", the police's return submitted."""
    return _run_selfeval(site)


def _run_audit(site: Site) -> int:
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
    return audit


def test_case_file_audit_in_the_browser(site: Site, audit: int) -> None:
    # The flow (a name refused as a case, two agencies' grades) is asserted as
    # the fixture runs it; here, what the board sees after.
    page = site("board").get(f"/assurance/audits/{audit}").text
    assert "Disagreements between agencies" in page and "CFA-2025-001</strong>" in page


def _run_selfeval(site: Site) -> int:
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
    return se


def test_self_evaluation_second_agency_cannot_see_the_first(site: Site, selfeval: int) -> None:
    # The flow (a draft, a refused submission, the second agency refused) is
    # asserted as the fixture runs it; here, what the board sees after.
    page = site("board").get(f"/assurance/self-evaluations/{selfeval}").text
    assert "1 of 2 returned" in page and "North Health" in page


def test_free_text_answers_coded_with_a_codebook(site: Site, selfeval: int) -> None:
    """The police's submitted return answers s1q4 in free text ("Quarterly
    forum")."""
    board = site("board")
    se = selfeval
    page = f"/assurance/self-evaluations/{se}/coding"
    api = f"/api/v1/assurance/self-evaluations/{se}"
    assert "Code the free-text answers" in board.get(f"/assurance/self-evaluations/{se}").text
    view = board.get(f"{page}?codebook=cpr-learning")
    assert view.status_code == 200 and "Quarterly forum" in view.text
    ret = re.search(r'name="return_id" value="(\d+)"', view.text)
    assert ret
    done = board.post(f"/assurance/self-evaluations/{se}/codings", data={
        "csrf_token": csrf_of(view.text), "codebook": "cpr-learning", "return_id": ret.group(1),
        "question": "s1q4", "code": "Coordination of safeguarding responsibility"})
    assert done.status_code == 303, done.text[:300]
    suggested = board.post(f"/assurance/self-evaluations/{se}/coding/suggest", data={
        "csrf_token": csrf_of(view.text), "codebook": "cpr-learning"})
    assert suggested.status_code == 200 and "Suggestions" in suggested.text
    coded = board.get(f"{api}/coding?codebook=cpr-learning", headers=site.api("board")).json()
    assert [(c["code"], c["count"]) for c in coded["codes"]] == [
        ("Coordination of safeguarding responsibility", 1)]
    assert coded["codes"][0]["answers"][0]["organisation"] == "North Police"
    # Through the API: code, then withdraw (both audited by the service).
    made = board.post(f"{api}/codings", headers=site.api("board"), json={
        "return_id": int(ret.group(1)), "question": "s1q4", "codebook": "cpr-learning",
        "code": "Workforce"})
    assert made.status_code == 200 and made.json()["source"] == "manual"
    assert board.delete(f"{api}/codings/{made.json()['id']}",
                        headers=site.api("board")).status_code == 200
    assert board.post(f"{api}/coding/suggestions", headers=site.api("board"),
                      json={"codebook": "cpr-learning"}).status_code == 200
    # The agency sees its own answer's coding and may not code; the other
    # agency sees none of the police's answers; another board sees nothing.
    police = site("police").get(f"{api}/coding?codebook=cpr-learning",
                                headers=site.api("police")).json()
    assert police["answers"] == 1 and police["codes"][0]["count"] == 1
    assert site("police").post(f"{api}/codings", headers=site.api("police"), json={
        "return_id": int(ret.group(1)), "question": "s1q4", "codebook": "cpr-learning",
        "code": "Workforce"}).status_code == 403
    health = site("health").get(f"{api}/coding?codebook=cpr-learning",
                                headers=site.api("health")).json()
    assert health["answers"] == 0 and health["codes"] == []
    assert site("outsider").get(f"{page}?codebook=cpr-learning").status_code == 404
    assert site("outsider").get(f"{api}/coding?codebook=cpr-learning",
                                headers=site.api("outsider")).status_code == 404
    client = site("board")
    client.cookies.set(LANG_COOKIE, "cy")
    try:
        assert "Codio atebion testun rhydd" in client.get(f"{page}?codebook=cpr-learning").text
    finally:
        client.cookies.delete(LANG_COOKIE)


def test_triangulation_page_json_and_docx(site: Site, audit: int, selfeval: int) -> None:
    board = site("board")
    page = board.get("/assurance/triangulation?theme=training&also=briefing")
    assert page.status_code == 200 and "Case-file audits" in page.text
    data = board.get("/api/v1/assurance/triangulation?theme=training",
                     headers=site.api("board")).json()
    assert {s["source"] for s in data["sources"]} == {"selfeval", "audit", "survey"}
    docx = board.get("/assurance/triangulation.docx?theme=training")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_api_documented_and_welsh(site: Site, audit: int) -> None:
    spec = site("board").get("/api/v1/openapi.json").json()
    for path in ("/assurance/audits", "/assurance/self-evaluations/{selfeval_id}/results",
                 "/assurance/triangulation"):
        assert path in spec["paths"]
    client = site("board")
    client.cookies.set(LANG_COOKIE, "cy")
    try:
        assert "Archwiliadau" in client.get("/assurance/exercises").text
        # The audit's training question as a finding: the board's words as
        # typed, storfa's own words around them in Welsh, on the page and in
        # the report.
        page = client.get("/assurance/triangulation?theme=training").text
        docx = client.get("/assurance/triangulation.docx?theme=training")
        words = zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()
        for text in (htmllib.unescape(page), words):
            assert ("gradd ar gyfer ‘Was the practitioner trained?’ yn dda neu'n "
                    "rhagorol (Neglect 2025)") in text
            assert "good or outstanding" not in text
        assert "Tystiolaeth wedi'i thriongli" in words
    finally:
        client.cookies.delete(LANG_COOKIE)


# A practitioner survey with an identifying column (mapped `ignore`).
SURVEY_CSV = (b"Email,Aware,What would help\n"
              b"ann@example.org,Yes,Staff escalate concerns to the named lead but are unsure "
              b"whether to use the escalation protocol when a referral threshold is "
              b"disputed.\n"
              b"bob@example.org,No,Caseloads are high and staff turnover means the workforce "
              b"is stretched across the service.\n"
              b"cat@example.org,Yes,\n")


def test_survey_free_text_coded_with_a_codebook(site: Site) -> None:
    """A survey's free-text answers coded on the page and through the API;
    anonymous: no other cell of a respondent's row is ever shown."""
    help_, book = "What would help", "cpr-learning"
    board, auth = site("board"), site.api("board")
    made = board.post("/api/v1/assurance/surveys", headers=auth, data={"title": "P 2025"},
                      files={"file": ("survey.csv", SURVEY_CSV, "text/csv")})
    assert made.status_code == 200, made.text[:300]
    sid = made.json()["id"]
    assert board.put(f"/api/v1/assurance/surveys/{sid}/mapping", headers=auth, json={
        "mapping": [{"column": "Email", "kind": "ignore"}, {"column": "Aware", "kind": "yesno"},
                    {"column": help_, "kind": "text"}]}).status_code == 200
    assert "Code the free-text answers" in board.get(f"/assurance/surveys/{sid}").text
    page = f"/assurance/surveys/{sid}/coding"
    view = board.get(f"{page}?codebook={book}")
    assert view.status_code == 200 and "Row 2" in view.text and "Caseloads are high" in view.text
    assert "example.org" not in view.text  # anonymous: the e-mail column never shows
    form = {"csrf_token": csrf_of(view.text), "codebook": book, "column": help_}

    # By hand in the browser: row 2 is Workforce.
    done = board.post(f"/assurance/surveys/{sid}/codings",
                      data={**form, "row": "2", "code": "Workforce"})
    assert done.status_code == 303, done.text[:300]
    # Suggestions: row 1 reads as escalation; accept it from the page.
    suggested = board.post(f"{page}/suggest", data=form)
    assert suggested.status_code == 200 and "Suggestions" in suggested.text
    offer = re.search(r'name="row" value="1">\s*<input type="hidden" name="column" '
                      r'value="[^"]+">\s*<input type="hidden" name="code" value="([^"]+)">\s*'
                      r'<input type="hidden" name="source" value="(\w+)">', suggested.text)
    assert offer, suggested.text[:2000]
    assert offer.group(1) == "Escalation and referral ambiguity"
    accepted = board.post(f"/assurance/surveys/{sid}/codings", data={
        **form, "row": "1", "code": offer.group(1), "source": offer.group(2),
        "confidence": "0.9"})
    assert accepted.status_code == 303

    # The same counts through the API, one answer each: 2 of 2 coded.
    api = f"/api/v1/assurance/surveys/{sid}"
    coded = board.get(f"{api}/coding?codebook={book}", headers=auth).json()
    assert (coded["answers"], coded["coded"]) == (2, 2)
    assert sorted((c["code"], c["count"]) for c in coded["codes"]) == [
        ("Escalation and referral ambiguity", 1), ("Workforce", 1)]
    assert "example.org" not in str(coded)
    by_code = board.get(f"{page}?codebook={book}&show=Workforce")
    assert "Caseloads are high" in by_code.text and "Staff escalate" not in by_code.text
    body = {"column": help_, "codebook": book, "code": "Workforce"}
    made_api = board.post(f"{api}/codings", headers=auth,
                          json={**body, "row": 2, "code": "Assessing needs and risk"})
    assert made_api.status_code == 200 and made_api.json()["row"] == 2
    assert made_api.json()["source"] == "manual"
    assert board.delete(f"{api}/codings/{made_api.json()['id']}",
                        headers=auth).status_code == 200
    assert board.post(f"{api}/codings", headers=auth,
                      json={**body, "row": 3}).status_code == 404  # row 3 left it empty
    found = board.post(f"{api}/coding/suggestions", headers=auth, json={"codebook": book})
    assert found.status_code == 200 and found.json()["suggestions"] == []  # all coded

    # A national user (the police: an organisation without a board region)
    # sees the survey and its coding but codes only its own board's surveys;
    # another board sees nothing.
    police = site("police")
    assert police.get(f"{api}/coding?codebook={book}",
                      headers=site.api("police")).json()["coded"] == 2
    assert "Code the answer" not in police.get(f"{page}?codebook={book}").text
    assert police.post(f"{api}/codings", headers=site.api("police"),
                       json={**body, "row": 2}).status_code == 403
    outsider = site("outsider")
    assert outsider.get(f"{page}?codebook={book}").status_code == 404
    assert outsider.get(f"{api}/coding?codebook={book}",
                        headers=site.api("outsider")).status_code == 404
    assert outsider.delete(f"{api}/codings/1", headers=site.api("outsider")).status_code == 404

    paths = board.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/assurance/surveys/{survey_id}/coding",
                 "/assurance/surveys/{survey_id}/codings",
                 "/assurance/surveys/{survey_id}/coding/suggestions"):
        assert path in paths
    board.cookies.set(LANG_COOKIE, "cy")
    try:
        welsh = board.get(f"{page}?codebook={book}").text
        assert "Codio atebion testun rhydd" in welsh and "Rhes 2" in welsh
    finally:
        board.cookies.delete(LANG_COOKIE)
