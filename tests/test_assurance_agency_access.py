"""Agencies are not national users (issue 17: "access follows organisations").
An organisation's kind — national, board or agency — decides what its users
see of the assurance evidence, on both backends through the real app: an
agency sees its own returns, never another board's 12 Cs return, survey or
survey codings, the comparison of boards, nor another agency's
self-evaluation return; a national team still sees submitted returns and the
comparison. Kinds through the accounts service, the CLI and the admin page,
and a store made before kinds (migration 0031) keeps its national teams
national and its boards boards."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backends import PostgresRun
from harness import Cli
from storfa.app import Storfa
from storfa.assurance.scope import Caller
from storfa.assurance.selfeval_service import SelfEvalService
from storfa.assurance.service import TwelveCsService
from storfa.assurance.survey_coding import SurveyCodingService
from storfa.assurance.survey_service import SurveyService
from storfa.assurance.twelve_cs import twelve_cs
from storfa.config import Settings
from storfa.domain.accounts import OrgKind, organisation_kind
from storfa.domain.errors import StorfaError
from storfa.web.app import create_app
from webworld import PASSWORD, SYSTEM, backend_env, csrf_of

CLI = Caller("cli", None, {"via": "test"})
YEAR = 2025
# (name, kind, board region)
ORGS = (("National Team", "national", None),
        ("North Board", "board", "North Wales"),
        ("Gwent Board", "board", "Gwent"),
        ("North Police", "agency", "North Wales"),
        # An agency with no board region: before kinds, that read as national.
        ("North Health", "agency", None),
        ("Gwent Police", "agency", "Gwent"))
PEOPLE = {"national": "National Team", "north": "North Board", "gwent": "Gwent Board",
          "police": "North Police", "health": "North Health", "gpolice": "Gwent Police"}
DESIGN = [{"title": "Training", "theme": "training", "questions": [
    {"text": "Are 7-minute briefings disseminated?", "kind": "yesno"},
    {"text": "What works?", "kind": "text"}]}]
SURVEY = (b"Aware,What would help\n"
          b"Yes,Staff escalate concerns to the named lead\n"
          b"No,More staff\n")


@dataclass
class Site:
    storfa: Storfa
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    client: TestClient | None = None

    def storfa_app(self) -> Any:
        assert self.client is not None
        return self.client.app

    def get(self, who: str, path: str, **params: str) -> tuple[int, dict[str, object]]:
        assert self.client is not None
        found = self.client.get(f"/api/v1/assurance/{path}", params=params,
                                headers={"Authorization": f"Bearer {self.tokens[who]}"})
        return found.status_code, found.json()


def _twelve_cs(storfa: Storfa, org_id: int) -> int:
    service = TwelveCsService.of(storfa, CLI)
    ret = service.open(org_id, YEAR)
    for c in twelve_cs():
        service.save(ret.id, c.key, in_place="In place", grade="good")
    return service.submit(ret.id).id


def _selfeval(storfa: Storfa, board_id: int, agencies: list[str]) -> tuple[int, dict[str, int]]:
    service = SelfEvalService.of(storfa, CLI)
    se = service.create(board_id, "Training", design=DESIGN)
    service.send(se, agencies)
    returns = {}
    for agency in agencies:
        ret = service.find_return(se, agency).id
        service.save(ret, {"s1q1": "yes", "s1q2": f"Briefings at {agency}"}, {"s1": "good"})
        service.submit(ret)
        returns[agency] = ret
    return se, returns


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
         postgres_run: PostgresRun | None) -> Iterator[Site]:
    with backend_env(request.param, postgres_run):
        storfa = Storfa(Settings.from_env(data_dir=tmp_path_factory.mktemp("ag") / "d",
                                          workers=1))
        s = Site(storfa)
        for name, kind, board in ORGS:
            s.ids[name] = storfa.accounts.add_organisation(name, board, SYSTEM, kind).id
        for who, org in PEOPLE.items():
            user = storfa.accounts.add_user(who, PASSWORD, "editor", org, SYSTEM)
            s.tokens[who] = storfa.accounts.create_token(user, "tests", SYSTEM)
        s.ids["north return"] = _twelve_cs(storfa, s.ids["North Board"])
        s.ids["gwent return"] = _twelve_cs(storfa, s.ids["Gwent Board"])
        surveys = SurveyService.of(storfa, CLI)
        survey = surveys.import_file(s.ids["Gwent Board"], "Gwent practitioners", "s.csv",
                                     SURVEY)
        surveys.map(survey, [{"column": "Aware", "question": "Aware", "kind": "yesno"},
                             {"column": "What would help", "question": "What would help",
                              "kind": "text"}])
        SurveyCodingService.of(storfa, CLI).code(survey, 2, "What would help",
                                                 "cpr-learning", "Workforce")
        s.ids["gwent survey"] = survey
        se, returns = _selfeval(storfa, s.ids["North Board"], ["North Police", "North Health"])
        s.ids["north se"], s.ids["health se return"] = se, returns["North Health"]
        s.ids["police se return"] = returns["North Police"]
        gse, _ = _selfeval(storfa, s.ids["Gwent Board"], ["Gwent Police"])
        s.ids["gwent se"] = gse
        with TestClient(create_app(storfa), follow_redirects=False) as client:
            s.client = client
            yield s
        storfa.close()


@pytest.mark.parametrize("who", ["police", "health"])
def test_an_agency_sees_nothing_of_another_board(site: Site, who: str) -> None:
    gwent, survey = site.ids["gwent return"], site.ids["gwent survey"]
    assert site.get(who, f"returns/{gwent}")[0] == 404
    # Nor its own board's 12 Cs return: that is the board's, not the agency's.
    assert site.get(who, f"returns/{site.ids['north return']}")[0] == 404
    status, listed = site.get(who, "returns")
    assert status == 200 and listed["returns"] == [] and listed["total"] == 0
    status, history = site.get(who, f"organisations/{site.ids['Gwent Board']}/history")
    assert status == 200 and history["years"] == []
    assert site.get(who, "compare", year=str(YEAR))[0] == 403
    assert site.get(who, f"surveys/{survey}/results")[0] == 404
    assert site.get(who, f"surveys/{survey}/coding", codebook="cpr-learning")[0] == 404
    assert site.get(who, "surveys") == (200, {"surveys": []})
    assert site.get(who, f"self-evaluations/{site.ids['gwent se']}")[0] == 404
    assert site.get(who, "triangulation", theme="training",
                    organisation_id=str(site.ids["Gwent Board"]))[0] == 403
    # Nor its own: triangulation weighs a board's evidence, of which its returns are part.
    home = PEOPLE[who]
    status, refused = site.get(who, "triangulation", theme="training",
                               organisation_id=str(site.ids[home]))
    assert status == 403 and "board's evidence" in str(refused)
    denied = site.storfa.store.audit_events(limit=500, actor=f"user:{who}", denied=True)
    assert {"assurance.return.view", "assurance.compare", "assurance.survey.view",
            "assurance.triangulate"} <= {str(e["action"]) for e in denied}


def test_agencies_do_not_see_each_others_returns(site: Site) -> None:
    mine, theirs = site.ids["police se return"], site.ids["health se return"]
    status, own = site.get("police", f"self-evaluation-returns/{mine}")
    assert status == 200 and own["organisation_id"] == site.ids["North Police"]
    assert site.get("police", f"self-evaluation-returns/{theirs}")[0] == 404
    assert site.get("gpolice", f"self-evaluation-returns/{mine}")[0] == 404
    assert site.get("gpolice", f"self-evaluations/{site.ids['north se']}")[0] == 404
    # Before the board publishes, an agency's results are its own return only.
    status, results = site.get("police", f"self-evaluations/{site.ids['north se']}/results")
    assert status == 200 and results["submitted"] == 1
    # The board sees both of its agencies' submitted returns.
    assert site.get("north", f"self-evaluation-returns/{theirs}")[0] == 200
    status, results = site.get("north", f"self-evaluations/{site.ids['north se']}/results")
    assert results["submitted"] == 2


def test_a_national_team_still_sees_the_aggregates(site: Site) -> None:
    gwent = site.ids["gwent return"]
    status, seen = site.get("national", f"returns/{gwent}")
    assert status == 200 and seen["status"] == "submitted"
    status, compared = site.get("national", "compare", year=str(YEAR))
    assert status == 200 and {o["name"] for o in compared["organisations"]} == {
        "North Board", "Gwent Board"}
    assert site.get("national", f"surveys/{site.ids['gwent survey']}/results")[0] == 200
    status, coded = site.get("national", f"surveys/{site.ids['gwent survey']}/coding",
                             codebook="cpr-learning")
    assert status == 200 and coded["codes"]
    # A board is not national: another board's return and the comparison are closed.
    assert site.get("north", f"returns/{gwent}")[0] == 404
    assert site.get("north", "compare", year=str(YEAR))[0] == 403


def test_an_agency_gets_403_on_the_comparison_page(site: Site) -> None:
    with TestClient(create_app(site.storfa), follow_redirects=False) as client:
        done = client.post("/login", data={"username": "police", "password": PASSWORD,
                                           "csrf_token": csrf_of(client.get("/login").text),
                                           "next": "/"})
        assert done.status_code == 303
        assert client.get(f"/assurance/compare?year={YEAR}").status_code == 403
        assert client.get(f"/assurance/returns/{site.ids['gwent return']}").status_code == 404
        assert client.get(f"/assurance/surveys/{site.ids['gwent survey']}").status_code == 404
        # The exercises page offers no "start an audit" to an agency.
        page = client.get("/assurance/exercises").text
        assert 'action="/assurance/audits"' not in page


def test_the_kind_defaults_and_refusals() -> None:
    assert organisation_kind(None, "Gwent") == (OrgKind.BOARD, "Gwent")
    assert organisation_kind(None, "  ") == (OrgKind.NATIONAL, None)
    assert organisation_kind("Agency", None) == (OrgKind.AGENCY, None)
    assert organisation_kind("agency", " Gwent ") == (OrgKind.AGENCY, "Gwent")
    with pytest.raises(StorfaError, match="national, board, agency"):
        organisation_kind("school", None)
    with pytest.raises(StorfaError, match="board region"):
        organisation_kind("board", None)
    with pytest.raises(StorfaError, match="no board region"):
        organisation_kind("national", "Gwent")


def test_kinds_from_the_command_line(cli: Cli, storfa: Storfa) -> None:
    assert cli.json("orgs", "add", "Gwent Board", "--board", "Gwent")["organisation"][
        "kind"] == "board"
    made = cli.json("orgs", "add", "Gwent Police", "--kind", "agency", "--board", "Gwent")
    assert made["organisation"] == {"id": made["organisation"]["id"], "name": "Gwent Police",
                                    "kind": "agency", "board": "Gwent"}
    assert cli.json("orgs", "add", "Old Agency")["organisation"]["kind"] == "national"
    # An agency stored as national before kinds existed is said to be one.
    assert cli.json("orgs", "set", "Old Agency", "--kind", "agency")["organisation"][
        "kind"] == "agency"
    moved = cli.json("orgs", "set", "Gwent Police", "--board", "")["organisation"]
    assert (moved["kind"], moved["board"]) == ("agency", None)
    refused = cli.json("orgs", "set", "Old Agency", "--kind", "board", expect_exit=2)
    assert "needs its board region" in refused["error"]
    refused = cli.json("orgs", "set", "Gwent Board", "--kind", "national", "--board", "Gwent",
                       expect_exit=2)
    assert "no board region" in refused["error"]
    kinds = {o["name"]: o["kind"] for o in cli.json("orgs", "list")["organisations"]}
    assert kinds == {"Gwent Board": "board", "Gwent Police": "agency", "Old Agency": "agency"}
    actions = [e for e in storfa.store.audit_events(limit=50, action="organisation.set")]
    assert len(actions) == 2


def test_the_admin_page_adds_and_changes_a_kind(data_dir: Path) -> None:
    storfa = Storfa(Settings.from_env(data_dir=data_dir, workers=1, admin_totp="optional"))
    storfa.accounts.add_user("root", PASSWORD, "administrator", None, SYSTEM)
    with closing(storfa), TestClient(create_app(storfa), follow_redirects=False) as client:
        client.post("/login", data={"username": "root", "password": PASSWORD,
                                    "csrf_token": csrf_of(client.get("/login").text),
                                    "next": "/"})
        page = client.get("/admin")
        assert page.status_code == 200, page.text[:300]
        added = client.post("/admin/organisations", data={
            "csrf_token": csrf_of(page.text), "name": "North Police", "kind": "agency",
            "board": "North Wales"})
        assert added.status_code == 303
        org = storfa.accounts.accounts.organisation("North Police")
        assert org is not None and (org.kind, org.board) == (OrgKind.AGENCY, "North Wales")
        page = client.get("/admin")
        # The kind and region once each: in the fields that change them, the
        # kind's select labelled for screen readers, not also as text beside them.
        row = re.search(r'<li><span class="org-name">North Police</span>(.*?)</li>',
                        page.text, re.S)
        assert row is not None
        kinds = re.search(rf'<label class="visually-hidden" for="kind-{org.id}">Kind of '
                          rf'North Police</label>\s*<select id="kind-{org.id}" name="kind">'
                          r'(.*?)</select>', row.group(1), re.S)
        assert kinds is not None and '<option value="agency" selected>' in kinds.group(1)
        outside = row.group(1).replace(kinds.group(0), "")
        assert "agency" not in outside and "· North Wales" not in outside
        assert f'id="board-{org.id}" name="board" value="North Wales"' in outside
        client.cookies.set("storfa_lang", "cy")
        welsh = client.get("/admin").text
        client.cookies.delete("storfa_lang")
        cy_row = re.search(r'<li><span class="org-name">North Police</span>(.*?)</li>', welsh,
                           re.S)
        assert cy_row is not None
        assert re.sub(r"<select.*?</select>", "", cy_row.group(1), flags=re.S).count(
            "asiantaeth") == 0
        assert '<option value="agency" selected>asiantaeth</option>' in cy_row.group(1)
        changed = client.post(f"/admin/organisations/{org.id}", data={
            "csrf_token": csrf_of(page.text), "kind": "national", "board": ""})
        assert changed.status_code == 303
        org = storfa.accounts.accounts.organisation(org.id)
        assert org is not None and (org.kind, org.board) == (OrgKind.NATIONAL, None)
        refused = client.post(f"/admin/organisations/{org.id}", data={
            "csrf_token": csrf_of(page.text), "kind": "board", "board": ""})
        assert refused.status_code == 400 and "board region" in refused.text
        assert client.post("/admin/organisations/999999", data={
            "csrf_token": csrf_of(page.text), "kind": "agency"}).status_code == 404


def test_an_upgraded_store_keeps_national_teams_national(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store at 0030 (before kinds) with a national team, a board and an
    organisation stored with an empty region, upgraded: the team stays
    national (its users still compare boards), the board a board."""
    from storfa.storage.migrations.runner import load_migrations

    with monkeypatch.context() as mp:
        mp.setattr("storfa.storage.sql.store.load_migrations",
                   lambda dialect: [m for m in load_migrations(dialect) if m.version < 31])
        old = Storfa(Settings.from_env(data_dir=data_dir, workers=1))
        with old.store.db.write() as conn:
            for name, board in (("National Team", None), ("Gwent Board", "Gwent"),
                                ("Blank", "")):
                conn.execute("INSERT INTO organisations (name, board, created_at) "
                             "VALUES (?, ?, ?)", (name, board, "2025-01-01T00:00:00.000Z"))
        old.close()
    app = Storfa(Settings.from_env(data_dir=data_dir, workers=1))
    try:
        kinds = {o.name: o.kind for o in app.accounts.accounts.organisations()}
        assert kinds == {"National Team": OrgKind.NATIONAL, "Gwent Board": OrgKind.BOARD,
                         "Blank": OrgKind.NATIONAL}
        user = app.accounts.add_user("nat", PASSWORD, "reader", "National Team", SYSTEM)
        assert TwelveCsService.of(app, Caller(user.actor, user)).national
        board = app.accounts.add_user("gw", PASSWORD, "editor", "Gwent Board", SYSTEM)
        assert not TwelveCsService.of(app, Caller(board.actor, board)).national
    finally:
        app.close()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_demo_makes_its_agencies_agencies_on_a_store_from_before(
        storfa: Storfa, monkeypatch: pytest.MonkeyPatch) -> None:
    from storfa.cli.demo_accounts import DEMO_ORGS, create_demo_accounts

    monkeypatch.setattr("storfa.accounts.service.hash_password", lambda password: password)
    monkeypatch.setattr("storfa.accounts.service.verify_password", lambda h, p: h == p)
    # As a demo store made before kinds was upgraded: its agencies national.
    storfa.accounts.add_organisation("North Wales Police", None, SYSTEM)
    create_demo_accounts(storfa)
    kinds = {o.name: (o.kind.value, o.board) for o in storfa.accounts.accounts.organisations()}
    assert kinds == {name: (kind, board) for name, kind, board in DEMO_ORGS}


def test_an_agency_cannot_start_a_self_evaluation_or_an_audit(site: Site) -> None:
    """The rule lives in the services, so the API refuses what the exercises
    page does not offer an agency."""
    assert site.client is not None
    headers = {"Authorization": f"Bearer {site.tokens['police']}"}
    for path, body in (("self-evaluations", {"title": "Ours", "template": "core"}),
                       ("audits", {"title": "Ours"})):
        refused = site.client.post(f"/api/v1/assurance/{path}", json=body, headers=headers)
        assert refused.status_code == 403, refused.text
        assert "its board runs them" in refused.text
    board = {"Authorization": f"Bearer {site.tokens['north']}"}
    made = site.client.post("/api/v1/assurance/audits", json={"title": "Board's own"},
                            headers=board)
    assert made.status_code == 200, made.text


def test_a_page_says_a_services_refusal_in_welsh(site: Site) -> None:
    """A refusal raised where no visitor is at hand (routes/assurance.run) is
    said in the page's language; the API says it in English."""
    client = TestClient(site.storfa_app(), follow_redirects=False)
    csrf = csrf_of(client.get("/login").text)
    signed = client.post("/login", data={"username": "police", "password": PASSWORD,
                                         "csrf_token": csrf, "next": "/"})
    assert signed.status_code == 303
    client.cookies.set("storfa_lang", "cy")
    page = client.get("/assurance/triangulation", params={"theme": "training"})
    assert page.status_code == 403
    said = html.unescape(page.text)
    assert "Mae triongli'n pwyso tystiolaeth bwrdd" in said
    assert "weighs a board's evidence" not in said
