"""Assurance pages and API through the real app, on both backends: a board
editor fills and submits a 12 Cs return with a grade and an evidence file;
a refused grade keeps what was typed; another board never sees the return;
a national user compares boards and reopens (audited); a survey goes through
the mapping step to its results; the API is in the OpenAPI document."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient

from backends import PostgresRun
from storfa.app import Storfa
from storfa.assurance.twelve_cs import twelve_cs
from storfa.config import Settings
from storfa.web.app import create_app
from storfa.web.security import LANG_COOKIE
from webworld import PASSWORD, SYSTEM, backend_env, csrf_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
CSV = (b"Role,Aware of escalation protocol,Confidence (1-5),What would help\n"
       b"Health,Yes,4,More training\nPolice,No,2,\nEducation,Yes,5,\nHealth,Yes,4,\n"
       b"Social care,Yes,3,Feedback\nVoluntary,No,,\nHealth,Yes,4,\nEducation,No,1,\n")
PEOPLE = {"north_editor": ("editor", "North Board"), "north_reader": ("reader", "North Board"),
          "gwent_editor": ("editor", "Gwent Board"),
          "national_editor": ("editor", "National Team")}


@dataclass
class Site:
    storfa: Storfa
    client_for: dict[str, TestClient] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    orgs: dict[str, int] = field(default_factory=dict)

    def __call__(self, who: str) -> TestClient:
        if who not in self.client_for:
            client = TestClient(create_app(self.storfa), follow_redirects=False)
            if who != "anonymous":
                csrf = csrf_of(client.get("/login").text)
                done = client.post("/login", data={"username": who, "password": PASSWORD,
                                                   "csrf_token": csrf, "next": "/"})
                assert done.status_code == 303, done.text[:300]
            self.client_for[who] = client
        return self.client_for[who]

    def csrf(self, who: str, path: str = "/assurance") -> str:
        return csrf_of(self(who).get(path).text)

    def audit(self, action: str) -> list[dict[str, object]]:
        return [e for e in self.storfa.store.audit_events(limit=10_000)
                if e["action"] == action]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
         postgres_run: PostgresRun | None) -> Iterator[Site]:
    with backend_env(request.param, postgres_run):
        storfa = Storfa(Settings.from_env(data_dir=tmp_path_factory.mktemp("assure") / "d",
                                          workers=1))
        s = Site(storfa)
        for name, board in (("North Board", "North Wales"), ("Gwent Board", "Gwent"),
                            ("National Team", None)):
            s.orgs[name] = storfa.accounts.add_organisation(name, board, SYSTEM).id
        for who, (role, org) in PEOPLE.items():
            user = storfa.accounts.add_user(who, PASSWORD, role, org, SYSTEM)
            s.tokens[who] = storfa.accounts.create_token(user, "tests", SYSTEM)
        yield s
        for client in s.client_for.values():
            client.close()
        storfa.close()


def _open(site: Site, who: str = "north_editor", year: str = "2025") -> int:
    opened = site(who).post("/assurance/returns/open",
                            data={"csrf_token": site.csrf(who), "year": year})
    assert opened.status_code == 303, opened.text[:500]
    found = re.search(r"/assurance/returns/(\d+)$", opened.headers["location"])
    assert found
    return int(found.group(1))


def test_a_board_fills_submits_and_a_nation_compares_and_reopens(site: Site) -> None:
    editor = site("north_editor")
    index = editor.get("/assurance")
    assert index.status_code == 200 and 'id="cs-open"' in index.text
    rid = _open(site)
    page = editor.get(f"/assurance/returns/{rid}")
    assert page.status_code == 200
    assert all(c.description in page.text.replace("&#39;", "'") for c in twelve_cs())
    assert "embedded in everyday practice" in page.text  # the scale's meanings
    csrf = csrf_of(page.text)

    saved = editor.post(f"/assurance/returns/{rid}/c/clarity",
                        data={"csrf_token": csrf, "in_place": "Threshold document agreed",
                              "planned": "Review", "evidence": "Minutes", "grade": "good"},
                        files={"file": ("minutes.png", PNG, "image/png")})
    assert saved.status_code == 303
    refused = editor.post(f"/assurance/returns/{rid}/c/confidence",
                          data={"csrf_token": csrf, "in_place": "Typed with care",
                                "grade": "brilliant"})
    assert refused.status_code == 400
    assert "requires_improvement" in refused.text and "Typed with care" in refused.text
    bad_file = editor.post(f"/assurance/returns/{rid}/c/confidence",
                           data={"csrf_token": csrf, "in_place": "Kept"},
                           files={"file": ("x.exe", b"MZ\x00\x00" * 8, "application/x")})
    assert bad_file.status_code == 400 and "Kept" in bad_file.text
    half = editor.post(f"/assurance/returns/{rid}/submit", data={"csrf_token": csrf})
    assert half.status_code == 400 and "Confidence" in half.text
    forged = editor.post(f"/assurance/returns/{rid}/c/clarity",
                         data={"csrf_token": "forged", "grade": "good"})
    assert forged.status_code == 403

    # The other board, and visitors: nothing to see, nothing to change.
    other = site("gwent_editor")
    assert other.get(f"/assurance/returns/{rid}").status_code == 404
    assert other.post(f"/assurance/returns/{rid}/c/clarity",
                      data={"csrf_token": site.csrf("gwent_editor"),
                            "grade": "outstanding"}).status_code == 404
    assert site("anonymous").get(f"/assurance/returns/{rid}").status_code == 303  # to login
    reader = site("north_reader").get(f"/assurance/returns/{rid}")
    assert reader.status_code == 200 and "cs-form" not in reader.text

    # The rest through the API, as a script would (token, JSON).
    api = TestClient(create_app(site.storfa))
    auth = {"Authorization": f"Bearer {site.tokens['north_editor']}"}
    wrong = api.put(f"/api/v1/assurance/returns/{rid}/cs/capacity", json={"grade": "9"},
                    headers=auth)
    assert wrong.status_code == 400 and "outstanding" in wrong.json()["detail"]
    for c in twelve_cs()[1:]:
        ok = api.put(f"/api/v1/assurance/returns/{rid}/cs/{c.key}",
                     json={"grade": "requires_improvement", "in_place": f"{c.name} done"},
                     headers=auth)
        assert ok.status_code == 200, ok.text
    done = editor.post(f"/assurance/returns/{rid}/submit", data={"csrf_token": csrf})
    assert done.status_code == 303
    locked = editor.get(f"/assurance/returns/{rid}")
    assert 'data-status="submitted"' in locked.text and "cs-form" not in locked.text
    file_link = re.search(r'/assurance/returns/\d+/files/(\d+)', locked.text)
    assert file_link
    assert editor.get(file_link.group(0)).content == PNG
    assert other.get(file_link.group(0)).status_code == 404

    # National: compare C by C, export (audited), reopen with a reason (audited).
    national = site("national_editor")
    compared = national.get("/assurance/compare?year=2025")
    assert compared.status_code == 200 and "North Board" in compared.text
    assert editor.get("/assurance/compare?year=2025").status_code == 403
    assert national.get("/assurance/compare/export.csv?year=2025").status_code == 200
    assert site.audit("assurance.export")
    reopen = national.post(f"/assurance/returns/{rid}/reopen",
                           data={"csrf_token": site.csrf("national_editor"),
                                 "reason": "Board asked to correct"})
    assert reopen.status_code == 303
    assert 'data-status="draft"' in editor.get(f"/assurance/returns/{rid}").text
    event = site.audit("assurance.return.reopen")[0]
    assert event["actor"] == "user:national_editor" and "Board asked" in str(event["detail"])
    assert site.audit("assurance.return.submit") and site.audit("assurance.answer.save")
    assert any('"allowed": false' in str(e["detail"])
               for e in site.audit("assurance.answer.save"))


def test_next_year_page_shows_grades_over_the_years(site: Site) -> None:
    auth = {"Authorization": f"Bearer {site.tokens['gwent_editor']}"}
    api = TestClient(create_app(site.storfa))
    for year, grade in (("2023", "unsatisfactory"), ("2024", "good")):
        opened = api.post("/api/v1/assurance/returns", json={"year": int(year)}, headers=auth)
        assert opened.status_code == 200, opened.text
        rid = opened.json()["id"]
        api.put(f"/api/v1/assurance/returns/{rid}/cs/clarity", json={"grade": grade},
                headers=auth)
        for c in twelve_cs()[1:]:
            api.put(f"/api/v1/assurance/returns/{rid}/cs/{c.key}", json={"grade": "good"},
                    headers=auth)
        assert api.post(f"/api/v1/assurance/returns/{rid}/submit",
                        headers=auth).status_code == 200
    history = api.get(f"/api/v1/assurance/organisations/{site.orgs['Gwent Board']}/history",
                      headers=auth).json()
    assert history["cs"][0]["grades"] == {"2023": "unsatisfactory", "2024": "good"}
    page = site("gwent_editor").get(f"/assurance/returns/{rid}").text
    assert "<svg" in page and page.count('class="dot grade-') >= 24
    assert " style=" not in page and "<style" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page) and page.count("<h1") == 1


def test_survey_import_mapping_and_results(site: Site) -> None:
    editor = site("north_editor")
    uploaded = editor.post("/assurance/surveys", data={"csrf_token": site.csrf("north_editor"),
                                                       "title": "Practitioner survey"},
                           files={"file": ("survey.csv", CSV, "text/csv")})
    assert uploaded.status_code == 303
    mapping_url = uploaded.headers["location"]
    page = editor.get(mapping_url)
    assert page.status_code == 200 and "Aware of escalation protocol" in page.text
    csrf = csrf_of(page.text)
    form = {"csrf_token": csrf, "question_0": "Role", "kind_0": "choice",
            "question_1": "Aware", "kind_1": "choice", "question_2": "aware",
            "kind_2": "scale", "question_3": "Help", "kind_3": "text"}
    twice = editor.post(mapping_url, data=form)
    assert twice.status_code == 400
    assert "mapped twice: column 2" in twice.text.replace("&#39;", "'")
    form["question_2"] = "Confidence"
    assert editor.post(mapping_url, data=form).status_code == 303
    survey_url = mapping_url.rsplit("/", 1)[0]
    results = editor.get(survey_url)
    assert results.status_code == 200
    assert "62.5" in results.text and "37.5" in results.text  # 5/8 and 3/8 knew the protocol
    assert "42.9" in results.text  # 3 of the 7 who gave a confidence said 4
    assert "More training" in results.text
    assert site("gwent_editor").get(survey_url).status_code == 404
    assert site("national_editor").get(survey_url).status_code == 200
    bad = editor.post("/assurance/surveys", data={"csrf_token": csrf},
                      files={"file": ("bad.csv", CSV.replace(b"Police,No,2,", b"Police"),
                                      "text/csv")})
    assert bad.status_code == 400 and "Row 3, column 2" in bad.text.replace("&#39;", "'")

    api = TestClient(create_app(site.storfa))
    auth = {"Authorization": f"Bearer {site.tokens['north_editor']}"}
    sid = int(survey_url.rsplit("/", 1)[1])
    out = api.get(f"/api/v1/assurance/surveys/{sid}/results", headers=auth).json()
    aware = out["questions"][1]
    assert aware["base"] == 8 and aware["options"][0] == {"value": "Yes", "count": 5,
                                                           "percent": 62.5}
    xlsx = io.BytesIO()
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Team", "Score"])
    sheet.append(["A", 3])
    book.save(xlsx)
    imported = api.post("/api/v1/assurance/surveys", headers=auth,
                        files={"file": ("s.xlsx", xlsx.getvalue(), "application/octet-stream")})
    assert imported.status_code == 200 and imported.json()["columns"][1]["suggested_kind"] == \
        "scale"
    missing = api.put(f"/api/v1/assurance/surveys/{imported.json()['id']}/mapping",
                      headers=auth, json={"mapping": [{"column": "Agency", "kind": "choice"}]})
    assert missing.status_code == 400 and "'Agency' is not in the file" in missing.json()["detail"]


def test_api_is_documented_and_needs_sign_in(site: Site) -> None:
    api = TestClient(create_app(site.storfa))
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/assurance/twelve-cs", "/assurance/returns", "/assurance/returns/{return_id}",
                 "/assurance/returns/{return_id}/cs/{c}", "/assurance/compare",
                 "/assurance/surveys", "/assurance/surveys/{survey_id}/results"):
        assert path in paths, path
    assert len(api.get("/api/v1/assurance/twelve-cs").json()["cs"]) == 12
    assert api.get("/api/v1/assurance/returns").status_code == 401
    assert api.get("/api/v1/assurance/compare").status_code == 401


def test_assurance_pages_in_welsh(site: Site) -> None:
    editor = site("north_editor")
    editor.cookies.set(LANG_COOKIE, "cy")
    try:
        index = editor.get("/assurance").text
        assert "Arolygon ymarferwyr" in index and ">Sicrwydd<" in index
        rid = _open(site, year="2026")
        page = editor.get(f"/assurance/returns/{rid}").text.replace("&#39;", "'")
        assert "Beth sydd ar waith" in page and "Angen gwella" in page
    finally:
        editor.cookies.delete(LANG_COOKIE)
