"""Assurance results at national scale (issue 17, bench/assurance_results.py),
on both backends: the national index and its API list every return exactly
once across their pages, in one order; the comparison pages its boards but
counts every board, and what it holds in memory follows every submission and
reopening; a survey's summary follows a new mapping and its free text is
paged. And two faults from review: the mapping step guesses yes/no for yes/no
columns in English and Welsh, and the triangulation page's disagreement flags
read in Welsh on a Welsh page."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from backends import PostgresRun
from storfa.app import Storfa
from storfa.assurance.scope import Caller
from storfa.assurance.selfeval_service import SelfEvalService
from storfa.assurance.service import TwelveCsService
from storfa.assurance.survey_service import SurveyService
from storfa.assurance.surveys import guess_kind, read_survey, summarise
from storfa.assurance.triangulation import TriangulationService, survey_positive
from storfa.assurance.twelve_cs import twelve_cs
from storfa.clock import utc_now
from storfa.config import Settings
from storfa.domain.accounts import User
from storfa.web.app import create_app
from storfa.web.security import LANG_COOKIE
from webworld import PASSWORD, SYSTEM, backend_env, csrf_of

CLI = Caller("cli", None, {"via": "test"})
GRADES = ("outstanding", "good", "requires_improvement", "unsatisfactory")


def _as(storfa: Storfa, user: User | None) -> TwelveCsService:
    return TwelveCsService.of(storfa, Caller(user.actor, user, {}) if user else CLI)


def _fill(service: TwelveCsService, return_id: int, grade: str) -> None:
    for c in twelve_cs():
        service.save(return_id, c.key, in_place=f"{c.name} in place", grade=grade)


# ------------------------------------------------------------ the service
@pytest.fixture
def people(storfa: Storfa) -> dict[str, User]:
    a = storfa.accounts
    for name, board in (("North Board", "North Wales"), ("Gwent Board", "Gwent"),
                        ("Powys Board", "Powys"), ("National Team", None)):
        a.add_organisation(name, board, SYSTEM)
    return {"north": a.add_user("ne", PASSWORD, "editor", "North Board", SYSTEM),
            "national": a.add_user("xr", PASSWORD, "reader", "National Team", SYSTEM),
            "national_editor": a.add_user("xe", PASSWORD, "editor", "National Team", SYSTEM)}


def _nine_returns(storfa: Storfa) -> dict[tuple[str, int], int]:
    """Three boards × three years, all submitted but North's and Powys's 2024."""
    cli = _as(storfa, None)
    made: dict[tuple[str, int], int] = {}
    for name in ("North Board", "Gwent Board", "Powys Board"):
        org = cli.organisation(name)
        for year in (2022, 2023, 2024):
            ret = cli.open(org.id, year)
            if year == 2022:
                _fill(cli, ret.id, GRADES[len(made) % 4])
            else:
                cli.save(ret.id, "clarity", grade=GRADES[len(made) % 4])
            if not (year == 2024 and name != "Gwent Board"):
                cli.submit(ret.id)
            made[(name, year)] = ret.id
    return made


def _all_pages(service: TwelveCsService, per_page: int, **kw: object) -> tuple[list[int], int]:
    ids: list[int] = []
    first = service.return_page(1, per_page, **kw)  # type: ignore[arg-type]
    for page in range(1, first.at.pages + 1):
        found = service.return_page(page, per_page, **kw)  # type: ignore[arg-type]
        assert found.at.total == first.at.total and len(found.returns) <= per_page
        ids.extend(r.id for r in found.returns)
    return ids, first.at.total


def test_the_paged_index_lists_every_return_exactly_once(storfa: Storfa,
                                                         people: dict[str, User]) -> None:
    made = _nine_returns(storfa)
    national = _as(storfa, people["national"])
    ids, total = _all_pages(national, 2)
    # Every submitted return (7 of 9), each once, exactly what `returns` allows.
    assert len(ids) == len(set(ids)) == total == 7
    assert set(ids) == {r.id for r in national.returns()}
    assert made[("North Board", 2024)] not in ids  # a draft stays the board's own
    # Newest year first, then by organisation name.
    by_id = {r.id: r for r in national.returns()}
    names = national.orgs
    keys = [(-by_id[i].year, names[by_id[i].organisation_id].name) for i in ids]
    assert keys == sorted(keys)
    assert _all_pages(national, 3, others_only=True)[0] == ids  # no own organisation
    # A board sees its own three, draft included, and no other board's.
    north = _as(storfa, people["north"])
    own, total = _all_pages(north, 2)
    assert total == 3 and set(own) == {made[("North Board", y)] for y in (2022, 2023, 2024)}
    assert north.return_page(1, 50, others_only=True).at.total == 0
    # The CLI sees all nine; one organisation's only, when asked.
    everything, total = _all_pages(_as(storfa, None), 4)
    assert total == 9 and sorted(everything) == sorted(made.values())
    gwent = national.organisation("Gwent Board").id
    assert _all_pages(national, 2, organisation_id=gwent)[1] == 3
    # Past the end: the last page (the pages), or nothing (the API).
    assert [r.id for r in national.return_page(99, 2).returns] == ids[6:]
    past = national.return_page(99, 2, past_end="empty")
    assert past.returns == [] and past.at.total == 7


def test_the_comparison_pages_boards_and_follows_each_change(storfa: Storfa,
                                                             people: dict[str, User]) -> None:
    made = _nine_returns(storfa)
    national = _as(storfa, people["national_editor"])
    whole = national.compare(2022)
    assert [o.name for o in whole.organisations] == ["Gwent Board", "North Board",
                                                     "Powys Board"]
    seen: list[str] = []
    for page in (1, 2, 3):
        found, at = national.compare_page(2022, page, per_page=1)
        assert at.pages == 3 and at.total == 3 and found.counts == whole.counts
        seen.extend(o.name for o in found.organisations)
    assert seen == [o.name for o in whole.organisations]
    assert sum(whole.counts["clarity"].values()) == 3

    # 2024: only Gwent submitted. What the comparison holds follows every
    # submission and reopening.
    assert [o.name for o in national.compare(2024).organisations] == ["Gwent Board"]
    gwent_2024 = made[("Gwent Board", 2024)]
    assert national.compare(2024).grades["clarity"] == {
        national.organisation("Gwent Board").id: GRADES[5 % 4]}  # the sixth made
    national.reopen(gwent_2024, "Correct Clarity")
    assert national.compare(2024).organisations == []
    cli = _as(storfa, None)
    cli.save(gwent_2024, "clarity", grade="outstanding")
    cli.submit(gwent_2024)
    north_2024 = made[("North Board", 2024)]
    _fill(cli, north_2024, "good")
    cli.submit(north_2024)
    again = national.compare(2024)
    north, gwent = (national.organisation(n).id for n in ("North Board", "Gwent Board"))
    assert again.grades["clarity"] == {gwent: "outstanding", north: "good"}
    assert again.counts["clarity"] == {"outstanding": 1, "good": 1,
                                       "requires_improvement": 0, "unsatisfactory": 0}
    # The export is made from the same figures, so it changed too.
    data = national.export_comparison(2024, "csv").decode("utf-8-sig")
    assert "North Board" in data and "Outstanding" in data


# ------------------------------------------------------------ surveys
WELSH_CSV = ("Rôl,Aware of 7-minute briefings,Ydych chi wedi cael hyfforddiant?,"
             "Do you supervise?,Ever escalated?,Sylwadau\n"
             "Iechyd,Oes,Do,Yes,Ie,Da\n"
             "Heddlu,Nac oes,Naddo,No,Na,\n"
             "Iechyd,Nac oes,Do,yes,ie,\n"
             "Addysg,Nac oes,Naddo,No,Na,Mwy o hyfforddiant\n"
             "Iechyd,Ddim yn gwybod,Do,Yes,Ie,\n"
             "Tai,,Do,No,Na,\n").encode()


def test_yes_no_columns_are_guessed_yes_no_in_english_and_welsh() -> None:
    for values in (["Yes", "No", "yes"], ["Ie", "Na"], ["Oes", "Nac oes", "oes"],
                   ["Do", "Naddo"], ["Y", "N"], ["Yes", "", "No"], ["Nac  oes", "Oes"]):
        assert guess_kind(values) == "yesno", values
    assert guess_kind(["Yes", "No", "Don't know"]) == "choice"
    assert guess_kind(["1", "2", "5"]) == "scale"
    assert guess_kind(["agree", "disagree"]) == "scale"
    table = read_survey(WELSH_CSV)
    guesses = [guess_kind([r[i] for r in table.rows]) for i in range(len(table.columns))]
    assert guesses[:5] == ["choice", "choice", "yesno", "yesno", "yesno"]


def test_yes_no_results_agree_with_the_hand_worked_example() -> None:
    table = read_survey(WELSH_CSV)
    mapping = [{"column": "Aware of 7-minute briefings", "question": "Aware of briefings",
                "kind": "yesno"},
               {"column": "Ydych chi wedi cael hyfforddiant?", "question": "Trained",
                "kind": "yesno"}]
    aware, trained = summarise(table.columns, table.rows, mapping)
    # 6 respondents, 5 answered: 1 yes, 3 no, 1 don't know; yes first, then no.
    assert (aware.respondents, aware.base) == (6, 5)
    assert [(o.value, o.count, o.percent) for o in aware.options] == [
        ("Oes", 1, 20.0), ("Nac oes", 3, 60.0), ("Ddim yn gwybod", 1, 20.0)]
    assert aware.mean is None and survey_positive(aware) == 1
    # 4 of 6 said "Do" (yes, they were trained): 66.7%.
    assert [(o.value, o.count, o.percent) for o in trained.options] == [
        ("Do", 4, 66.7), ("Naddo", 2, 33.3)]
    assert survey_positive(trained) == 4


def test_a_survey_summary_follows_a_new_mapping(storfa: Storfa,
                                                people: dict[str, User]) -> None:
    surveys = SurveyService.of(storfa, CLI)
    north = surveys.organisation("North Board")
    sid = surveys.import_file(north.id, "Arolwg", "arolwg.csv", WELSH_CSV)
    kinds = {c.column: c.kind for c in surveys.choices(surveys.get(sid))}
    assert kinds["Aware of 7-minute briefings"] == "choice"  # "Ddim yn gwybod" is neither
    assert kinds["Ever escalated?"] == "yesno" and kinds["Do you supervise?"] == "yesno"
    surveys.map(sid, [{"column": "Do you supervise?", "kind": "yesno", "question": "Supervise"}])
    first = surveys.summary(sid)
    assert first.respondents == 6 and [q.question for q in first.questions] == ["Supervise"]
    assert [(o.value, o.count) for o in first.questions[0].options] == [
        ("Yes", 2), ("yes", 1), ("No", 3)]
    assert surveys.results(sid)[1] == first.questions
    surveys.map(sid, [{"column": "Do you supervise?", "kind": "choice", "question": "Sup"},
                      {"column": "Sylwadau", "kind": "text", "question": "Comments"}])
    second = surveys.summary(sid)
    assert [q.question for q in second.questions] == ["Sup", "Comments"]
    assert second.questions[1].texts == ["Da", "Mwy o hyfforddiant"]
    national = SurveyService.of(storfa, Caller("x", people["national"], {}))
    assert national.summary(sid).questions == second.questions


# ------------------------------------------------------------ the web
class Site:
    def __init__(self, storfa: Storfa) -> None:
        self.storfa = storfa
        self.clients: dict[str, TestClient] = {}
        self.tokens: dict[str, str] = {}

    def __call__(self, who: str) -> TestClient:
        if who not in self.clients:
            client = TestClient(create_app(self.storfa), follow_redirects=False)
            csrf = csrf_of(client.get("/login").text)
            done = client.post("/login", data={"username": who, "password": PASSWORD,
                                               "csrf_token": csrf, "next": "/"})
            assert done.status_code == 303, done.text[:300]
            self.clients[who] = client
        return self.clients[who]


BOARDS = 60


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
         postgres_run: PostgresRun | None) -> Iterator[Site]:
    """60 boards with a submitted 2023 return each (written straight into the
    tables, as the bench does: only reading is tested here), a national
    reader, and one board's editor."""
    with backend_env(request.param, postgres_run):
        storfa = Storfa(Settings.from_env(data_dir=tmp_path_factory.mktemp("paged") / "d",
                                          workers=1))
        site = Site(storfa)
        a = storfa.accounts
        orgs = [a.add_organisation(f"Board {n:02d}", f"Region {n:02d}", SYSTEM)
                for n in range(BOARDS)]
        a.add_organisation("National Team", None, SYSTEM)
        a.add_organisation("Agency A", None, SYSTEM)
        a.add_organisation("Agency B", None, SYSTEM)
        a.add_organisation("Agency C", None, SYSTEM)
        for who, role, org_name in (("nat", "reader", "National Team"),
                                    ("b00", "editor", "Board 00")):
            user = a.add_user(who, PASSWORD, role, org_name, SYSTEM)
            site.tokens[who] = a.create_token(user, "tests", SYSTEM)
        now = utc_now()
        keys = [c.key for c in twelve_cs()]
        with storfa.store.db.write() as conn:
            for n, org in enumerate(orgs):
                rid = conn.insert(
                    "INSERT INTO assurance_returns (organisation_id, year, status, version, "
                    "created_at, updated_at, submitted_at, submitted_by) "
                    "VALUES (?, 2023, 'submitted', 14, ?, ?, ?, 'test')", (org.id, now, now, now))
                conn.executemany(
                    "INSERT INTO assurance_answers (return_id, version, c_key, in_place, "
                    "planned, evidence, grade, carried, actor, at) "
                    "VALUES (?, ?, ?, '', '', '', ?, 0, 'test', ?)",
                    [(rid, i + 2, k, GRADES[(n + i) % 4], now) for i, k in enumerate(keys)])
        yield site
        for client in site.clients.values():
            client.close()
        storfa.close()


def _return_ids(html: str, list_id: str) -> list[int]:
    found = re.search(rf'<ul id="{list_id}">(.*?)</ul>', html, re.S)
    return [int(i) for i in re.findall(r"/assurance/returns/(\d+)", found.group(1))] \
        if found else []


def test_the_national_index_and_its_api_page_every_return_once(site: Site) -> None:
    nat = site("nat")
    first = nat.get("/assurance")
    assert first.status_code == 200 and "Page 1 of 2" in first.text
    page_one = _return_ids(first.text, "cs-others")
    second = nat.get("/assurance?page=2")
    page_two = _return_ids(second.text, "cs-others")
    assert len(page_one) == 50 and len(page_two) == BOARDS - 50
    assert len(set(page_one + page_two)) == BOARDS
    assert 'rel="next" href="/assurance?page=2"' in first.text
    assert 'rel="prev" href="/assurance?page=1"' in second.text
    assert _return_ids(nat.get("/assurance?page=9").text, "cs-others") == page_two
    # The API: the same order, any page size, a page past the end empty.
    auth = {"Authorization": f"Bearer {site.tokens['nat']}"}
    api = TestClient(create_app(site.storfa))
    ids: list[int] = []
    page = 1
    while True:
        got = api.get(f"/api/v1/assurance/returns?page={page}&per_page=7", headers=auth)
        assert got.status_code == 200, got.text
        body = got.json()
        assert body["total"] == BOARDS and body["pages"] == 9 and body["per_page"] == 7
        if not body["returns"]:
            break
        ids.extend(r["id"] for r in body["returns"])
        page += 1
    assert page == 10 and ids == page_one + page_two
    default = api.get("/api/v1/assurance/returns", headers=auth).json()
    assert [r["id"] for r in default["returns"]] == page_one and default["pages"] == 2
    assert api.get("/api/v1/assurance/returns?per_page=501", headers=auth).status_code == 422
    # A board lists its own return and no other board's.
    board = site("b00").get("/assurance").text
    assert 'id="cs-others"' not in board and len(_return_ids(board, "cs-mine")) == 1


def test_the_comparison_page_pages_its_boards_and_counts_them_all(site: Site) -> None:
    nat = site("nat")
    one = nat.get("/assurance/compare?year=2023")
    two = nat.get("/assurance/compare?year=2023&page=2")
    assert one.status_code == two.status_code == 200
    rows = [re.findall(r'<tr data-org="(\d+)">', r.text) for r in (one, two)]
    assert [len(r) for r in rows] == [50, BOARDS - 50] and len(set(rows[0] + rows[1])) == BOARDS
    assert f"Submitted returns only: {BOARDS}." in one.text and "Page 2 of 2" in two.text
    counts = re.search(r'<tr data-c="clarity">(.*?)</tr>', one.text)
    assert counts and [int(n) for n in re.findall(r"<td>(\d+)</td>", counts.group(1))] == \
        [15, 15, 15, 15]
    assert "&amp;page=2" in one.text
    data = nat.get("/api/v1/assurance/compare?year=2023").json()
    assert len(data["organisations"]) == BOARDS


def test_free_text_answers_are_paged(site: Site) -> None:
    board = site("b00")
    rows = "".join(f"Health,Comment number {n:03d}\n" for n in range(1, 121))
    csv = f"Role,Comments\n{rows}".encode()
    csrf = csrf_of(board.get("/assurance").text)
    up = board.post("/assurance/surveys", data={"csrf_token": csrf, "title": "Many"},
                    files={"file": ("many.csv", csv, "text/csv")})
    assert up.status_code == 303
    mapping = up.headers["location"]
    form = {"csrf_token": csrf, "question_0": "Role", "kind_0": "choice",
            "question_1": "Comments", "kind_1": "text"}
    assert board.post(mapping, data=form).status_code == 303
    url = mapping.rsplit("/", 1)[0]
    first = board.get(url).text
    assert "120 respondents" in first and "Page 1 of 3" in first
    assert first.count("Comment number") == 50 and "Comment number 051" not in first
    last = board.get(f"{url}?text=2&page=3").text
    assert last.count("Comment number") == 20 and "Comment number 120" in last
    # Another question's number leaves this one at its first page.
    assert "Comment number 001" in board.get(f"{url}?text=1&page=3").text


def test_the_triangulation_flags_read_in_welsh(site: Site) -> None:
    storfa = site.storfa
    se = SelfEvalService.of(storfa, CLI)
    board = se.organisation("Board 00")
    agencies = ["Agency A", "Agency B", "Agency C"]
    se_id = se.create(board.id, "Training 2025", design=[
        {"title": "Training", "theme": "training",
         "questions": [{"text": "Are 7-minute briefings disseminated?", "kind": "yesno"}]}])
    se.send(se_id, agencies)
    for agency, yes, score in zip(agencies, ("yes", "yes", "no"),
                                  ("good", "outstanding", "requires_improvement"), strict=True):
        rid = se.find_return(se_id, agency).id
        se.save(rid, {"s1q1": yes}, {"s1": score})
        se.submit(rid)
    # The survey's yes/no column in Welsh, mapped as the mapping step guessed.
    api = TestClient(create_app(storfa))
    auth = {"Authorization": f"Bearer {site.tokens['b00']}"}
    csv = b"Aware of 7-minute briefings\nOes\nNac oes\nNac oes\nNac oes\nNac oes\n"
    imported = api.post("/api/v1/assurance/surveys", headers=auth, data={"title": "Arolwg"},
                        files={"file": ("arolwg.csv", csv, "text/csv")}).json()
    kind = imported["columns"][0]["suggested_kind"]
    assert kind == "yesno"
    mapped = api.put(f"/api/v1/assurance/surveys/{imported['id']}/mapping", headers=auth,
                     json={"mapping": [{"column": "Aware of 7-minute briefings",
                                        "kind": kind}]})
    assert mapped.status_code == 200, mapped.text
    found = TriangulationService.of(storfa, CLI).build(board.id, "training", ["briefing"])
    # Self-evaluations 4 of 6 positive (66.7%), practitioners 1 of 5 (20%).
    assert [(f.first_share, f.second_share) for f in found.flags] == [(66.7, 20.0)]
    assert found.flags[0].message == ("Self-evaluations: 66.7% positive, but Practitioner "
                                      "survey: 20%.")

    client = site("b00")
    path = "/assurance/triangulation?theme=training&also=briefing"
    english = htmllib.unescape(client.get(path).text)
    assert "Self-evaluations: 66.7% positive, but Practitioner survey: 20%." in english
    client.cookies.set(LANG_COOKIE, "cy")
    try:
        welsh = htmllib.unescape(client.get(path).text)
    finally:
        client.cookies.delete(LANG_COOKIE)
    flags = re.findall(r'<p class="error tri-flag" role="status">(.*?)</p>', welsh, re.S)
    assert flags == ["Mae'r ffynonellau'n anghytuno: Hunanwerthusiadau: 66.7% yn "
                     "gadarnhaol, ond Arolwg ymarferwyr: 20%."]
    assert "positive, but" not in welsh
    # The JSON keeps the English message.
    data = api.get("/api/v1/assurance/triangulation?theme=training&also=briefing",
                   headers=auth).json()
    assert data["disagreements"][0]["message"].endswith("Practitioner survey: 20%.")
