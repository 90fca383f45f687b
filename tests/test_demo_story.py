"""`storfa demo` builds a store in which the product has been used: best-practice
suggestions decided by the demo coder with some still pending, recommendations
with owners and due dates (some overdue) and history, confirmed case
variables, a saved search, a second coder's blind coding of a few of the
same reviews so that agreement shows, and a year's assurance evidence (12 Cs
returns, a self-evaluation returned by agencies and coded, a case-file audit,
a practitioner survey) that triangulates with a disagreement; all made
through storfa's services and audited, and a second run leaves them as they are."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sklearn.metrics import cohen_kappa_score

from harness import Cli
from storfa.accounts.service import Actor
from storfa.app import Storfa
from storfa.cli.demo_assurance import AGENCIES, CASES, EDUCATION, HEALTH, POLICE
from storfa.cli.demo_story import BLIND_REVIEWS, CODEBOOK, CODER, SECOND_CODER, actor, tell
from storfa.coding.agreement import cohen_kappa, krippendorff_alpha
from storfa.config import Settings
from storfa.recommendations.recurrence import is_current
from storfa.recommendations.register import is_overdue
from storfa.web.app import create_app
from webworld import csrf_of

# Two of the reviews are made restricted and draft; the story uses the rest.
REVIEWS = 6


@pytest.fixture
def ran(cli: Cli) -> Any:
    result = cli.run("demo", "--no-serve", "--count", str(REVIEWS))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def demo(cli: Cli, ran: Any) -> Iterator[Storfa]:
    for step in ("Auto-coding", "A second coder's blind coding", "Recommendations tracked",
                 "Case variables", "Saved searches", "Assurance evidence"):
        assert step in ran.stderr
    app = Storfa(Settings.from_env(data_dir=cli.data_dir))
    yield app
    app.close()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_demo_has_been_used(demo: Storfa, ran: Any) -> None:
    extracts = demo.coding.extracts(codebook=CODEBOOK)
    status = Counter(e.status for e in extracts)
    assert status["suggested"] > 0 and status["accepted"] > 0 and status["rejected"] > 0
    # Under the coder's own name as the web knows it, so the coding page counts them.
    assert {e.decided_by for e in extracts if e.status != "suggested"} == {
        actor(demo, CODER), actor(demo, SECOND_CODER)}
    _agreement_shows(demo, ran)

    register = demo.register()
    # Extracted and grouped by the after-store steps, as any ingest: reading
    # the register extracts nothing (ingest/after_store.py).
    assert register.unextracted() == [] and is_current(demo)
    recs = [r for _, r in register.listing(None)]
    today = dt.date.today()
    overdue = [r for r in recs if is_overdue(r, today)]
    assert overdue and all(r.owner for r in overdue)
    assert {r.status for r in recs} >= {"open", "in_progress", "implemented"}
    implemented = next(r for r in recs if r.status == "implemented")
    assert len(register.history(implemented.id)) >= 3

    service = demo.casevars
    cases = service.cases(service.with_rows(demo.store.list_reviews()))
    assert sum(c.coded for c in cases) >= 3
    assert any(state.suggestions for c in cases for state in c.states.values())

    coder = demo.accounts.accounts.user_by_name(CODER)
    assert coder is not None and demo.accounts.accounts.saved_searches(coder.id)
    # The indicators page has referral records to count, in every local authority.
    from storfa.referrals.service import Caller

    referrals = demo.referrals
    last = str(dt.date.today().year - 1)
    table = referrals.indicators(Caller("test", operator=True), last).as_json()
    counts = [a["indicators"][0]["number"] for a in table["areas"]]
    assert len(counts) == len(referrals.areas()) and all(n and n >= 5 for n in counts)
    for action in ("code.accept", "code.reject", "recommendations.set", "casevars.confirm",
                   "assurance.selfeval.code", "assurance.audit.grade"):
        assert demo.store.audit_events(limit=1, action=action), action
    with TestClient(create_app(demo)) as client:
        assurance = _assurance_shows(demo, client, ran)

        # A second run keeps what the demo users did, and makes nothing twice.
        assert {c.summary for c in tell(demo)} == {"done before"}
        assert Counter(e.status for e in demo.coding.extracts(codebook=CODEBOOK)) == status
        assert _assurance_made(demo, client) == assurance


def _api(app: Storfa, client: TestClient, who: str, path: str, **params: Any) -> Any:
    """GET /api/v1/assurance/PATH as the demo user `who`, with a token of theirs."""
    user = app.accounts.accounts.user_by_name(who)
    assert user is not None, who
    token = app.accounts.create_token(user, "test", Actor(None, "test"))
    response = client.get(f"/api/v1/assurance/{path}", params=params,
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, (path, response.text)
    return response.json()


def _assurance_made(app: Storfa, client: TestClient) -> dict[str, Any]:
    """What the assurance chapter made, as the board's editor sees it."""
    api = partial(_api, app, client, "editor")
    made: dict[str, Any] = {"returns": api("returns")["returns"],
                            "surveys": api("surveys")["surveys"]}
    for se in api("self-evaluations")["self_evaluations"]:
        coded = api(f"self-evaluations/{se['id']}/coding", codebook=CODEBOOK)
        made[f"selfeval {se['id']}"] = (api(f"self-evaluations/{se['id']}/results"),
                                        coded["codes"])
    for audit in api("audits")["audits"]:
        made[f"audit {audit['id']}"] = api(f"audits/{audit['id']}")
    return made


def _assurance_shows(app: Storfa, client: TestClient, ran: Any) -> dict[str, Any]:
    """The pages of the assurance chapter have something to show, read through
    the API as the demo users would see them: two years of 12 Cs for North
    Wales (a chart over years) and two boards to compare; a self-evaluation
    three of four agencies returned, published and coded; a case-file audit
    where agencies disagree; a survey; and a triangulation that flags the
    gap between agencies and practitioners on 7-minute briefings."""
    year = dt.date.today().year
    orgs = {o.name: o.id for o in app.accounts.accounts.organisations()}
    for who in ("health", "police"):  # the agencies' demo users are listed
        assert re.search(rf"\b{who} / \S+", ran.stdout), ran.stdout
    api = partial(_api, app, client)

    returns = api("editor", "returns")["returns"]
    assert {(r["year"], r["status"]) for r in returns} == {(year - 1, "submitted"),
                                                           (year, "draft")}
    by_year = {r["year"]: api("editor", f"returns/{r['id']}") for r in returns}
    assert all(c["grade"] and c["in_place"] and c["evidence"] for c in by_year[year - 1]["cs"])
    assert by_year[year]["carried_from"] == year - 1 and not by_year[year]["missing"]
    north = returns[0]["organisation_id"]
    history = api("editor", f"organisations/{north}/history")
    assert history["years"] == [year - 1, year]
    assert all(None not in c["grades"].values() for c in history["cs"])
    assert any(len(set(c["grades"].values())) > 1 for c in history["cs"])  # moved on
    compared = api("admin", "compare", year=year - 1)
    assert len(compared["organisations"]) == 2
    # The agencies are agencies of North Wales, not national: the comparison
    # and the boards' 12 Cs returns are not theirs to see.
    kinds = {o.name: (o.kind.value, o.board) for o in app.accounts.accounts.organisations()}
    assert all(kinds[a] == ("agency", "North Wales") for a in AGENCIES)
    police = app.accounts.accounts.user_by_name("police")
    assert police is not None
    token = app.accounts.create_token(police, "test", Actor(None, "test"))
    for path in ("compare", f"returns/{returns[0]['id']}"):
        refused = client.get(f"/api/v1/assurance/{path}",
                             headers={"Authorization": f"Bearer {token}"})
        assert refused.status_code in (403, 404), (path, refused.status_code)
    assert _api(app, client, "police", "returns")["returns"] == []

    selfevals = api("editor", "self-evaluations")["self_evaluations"]
    assert len(selfevals) == 1
    se = selfevals[0]["id"]
    results = api("editor", f"self-evaluations/{se}/results")
    assert results["status"] == "published" and results["sent_to"] == len(AGENCIES)
    assert results["submitted"] == 3 and results["not_returned"] == [EDUCATION]
    briefings = next(q for q in results["questions"] if "7-minute" in q["question"])
    assert [(o["value"], o["count"], o["percent"]) for o in briefings["options"]] == [
        ("yes", 2, 66.7), ("no", 1, 33.3)]
    scores = [sorted(s["scores"].values()) for s in results["sections"]]
    assert all(len(s) == 3 for s in scores) and any(len(set(s)) > 1 for s in scores)
    texts = [t["text"] for q in results["questions"] for t in q["texts"]]
    assert len(texts) == 9 and len(set(texts)) == 9
    mine = api("health", f"self-evaluations/{se}/return")  # an agency's own return
    assert mine["organisation_id"] == orgs[HEALTH] and mine["status"] == "submitted"
    coded = api("editor", f"self-evaluations/{se}/coding", codebook=CODEBOOK)
    how = Counter(a["coding"]["source"] for c in coded["codes"] for a in c["answers"])
    assert how["manual"] == 1 and how["model"] + how["term"] >= 2, how
    assert coded["uncoded"]  # some answers are left for the board to code

    audits = api("editor", "audits")["audits"]
    assert len(audits) == 1
    audit = audits[0]["id"]
    shown = api("editor", f"audits/{audit}")
    assert len(shown["cases"]) == len(CASES)
    assert all(re.fullmatch(r"CFA-\d{4}-\d{3}", c["reference"]) for c in shown["cases"])
    assert {g["organisation_id"] for g in shown["grades"]} == {
        orgs[HEALTH], orgs[POLICE], orgs["Conwy County Borough Council Children's Services"]}
    assert all(g["comment"] for g in shown["grades"])
    found = api("editor", f"audits/{audit}/results")
    assert found["disagreements"] and all(len(d["grades"]) >= 2 for d in found["disagreements"])
    assert found["not_returned"]  # one agency has a case still to grade
    # Before the board publishes, an agency sees its own grades only.
    police = api("police", f"audits/{audit}")
    assert {g["organisation_id"] for g in police["grades"]} == {orgs[POLICE]}

    surveys = api("editor", "surveys")["surveys"]
    assert len(surveys) == 1 and surveys[0]["mapped"]
    survey = api("editor", f"surveys/{surveys[0]['id']}/results")
    assert survey["respondents"] == 80
    know = next(q for q in survey["questions"] if "7-minute" in q["question"])
    assert know["kind"] == "yesno" and know["base"] == 80
    assert [(o["value"], o["percent"]) for o in know["options"]] == [("Yes", 20.0), ("No", 80.0)]

    tri = api("editor", "triangulation", theme="training", also="briefing")
    bases = {s["source"]: s["base"] for s in tri["sources"]}
    assert bases.keys() == {"selfeval", "audit", "survey"} and all(bases.values()), bases
    assert tri["reviews"]["extract_total"] + tri["reviews"]["recommendation_total"] > 0
    assert any(d["higher"] == "Self-evaluations" and d["lower"] == "Practitioner survey"
               for d in tri["disagreements"]), tri["disagreements"]
    return _assurance_made(app, client)


def _pairs(app: Storfa, coder: str) -> dict[tuple[str, int, str], int]:
    """(review, passage start, code) -> 1 if the coder's accepted coding
    overlaps the passage, worked out here from the extracts and passages
    without storfa.coding.agreement, for every unit agreement counts."""
    service = app.coding
    accepted = [e for e in service.extracts(codebook=CODEBOOK, status="accepted")
                if (e.decided_by or e.coder) == coder]
    values = {}
    for key in sorted({e.review_id for e in accepted}):
        record = app.store.get_review(key)
        assert record is not None
        for p in app.store.passages(record.version_id):
            if p.kind == "heading":
                continue
            for code in service.book(CODEBOOK):
                values[(key, p.start, code.name)] = int(any(
                    e.review_id == key and e.code == code.name and e.start < p.end
                    and p.start < e.end for e in accepted))
    return values


def _agreement_shows(app: Storfa, ran: Any) -> None:
    """Agreement between the two demo coders, as the coding agreement route
    (GET /api/v1/coding/{codebook}/agreement) gives it to a signed-in coder,
    has kappa and disagreements, and its figures are what
    storfa.coding.agreement and scikit-learn make of the same 0/1 pairs."""
    a, b = actor(app, CODER), actor(app, SECOND_CODER)
    password = re.search(rf"\b{CODER} / (\S+)", ran.stdout)
    assert password, ran.stdout
    with TestClient(create_app(app), follow_redirects=False) as client:
        form = {"username": CODER, "password": password.group(1), "next": "/",
                "csrf_token": csrf_of(client.get("/login").text)}
        assert client.post("/login", data=form).status_code == 303
        response = client.get(f"/api/v1/coding/{CODEBOOK}/agreement",
                              params={"coder_a": a, "coder_b": b})
    assert response.status_code == 200, response.text
    shown = response.json()
    assert 2 <= len(shown["reviews"]) <= BLIND_REVIEWS
    with_kappa = [c for c in shown["codes"] if c["kappa"] is not None]
    differ = sum(c["coded_a"] + c["coded_b"] - 2 * c["coded_both"] for c in shown["codes"])
    assert with_kappa and differ > 0
    assert any(c["kappa"] < 1 for c in with_kappa)  # they disagree somewhere

    pa, pb = _pairs(app, a), _pairs(app, b)
    both = sorted(set(shown["reviews"]))
    units = sorted(k for k in pa.keys() | pb.keys() if k[0] in both)
    for c in shown["codes"]:
        xa = [pa.get(u, 0) for u in units if u[2] == c["code"]]
        xb = [pb.get(u, 0) for u in units if u[2] == c["code"]]
        assert (c["units"], c["coded_a"], c["coded_b"], c["coded_both"]) == (
            len(xa), sum(xa), sum(xb), sum(x & y for x, y in zip(xa, xb, strict=True)))
        kappa, alpha = cohen_kappa(xa, xb), krippendorff_alpha([xa, xb])
        assert c["kappa"] == (None if kappa is None else round(kappa, 4)), c
        assert c["alpha"] == (None if alpha is None else round(alpha, 4)), c
        if kappa is not None:
            assert kappa == pytest.approx(cohen_kappa_score(xa, xb)), c
    # The demo's own account of it (rich may wrap the line).
    assert (f"kappa for {len(with_kappa)} codes over {len(shown['reviews'])} reviews, {differ} "
            in " ".join(ran.stderr.split()))
