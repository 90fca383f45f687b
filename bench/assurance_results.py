"""Assurance results pages and exports at national scale (issue 17,
docs/assurance.md "Benchmarks"): p50/p95 per page through the real web app.

    .venv/bin/python bench/assurance_results.py [--las 22] [--agencies 40] [--years 5]
        [--survey-rows 5000] [--repeat 20] [--postgres URL] [--keep DIR] [--cold]

Generates, in a fresh store (SQLite in a temporary folder by default;
--postgres runs against that database, which must be empty):

- las × agencies organisations, each answering the 12 Cs every year for
  --years years, all submitted (22 × 40 × 12 × 5 = 52,800 graded answers in
  4,400 returns). The returns are written in bulk straight into the tables the
  store writes (one transaction), since only reading them is measured;
- a practitioner survey of --survey-rows rows (a role, a yes/no, a 1-5 scale,
  a multiple choice with several answers a cell, free text), imported and
  mapped through SurveyService as a user would;
- a core self-evaluation the first board sends to its agencies, every
  agency's return submitted through SelfEvalService.

Then, signed in through the real login form (Starlette's TestClient over the
whole app), each page and export is fetched --repeat times after one warm-up,
as a board editor and as a national user; prints p50/p95 per page and marks
those over the 300 ms target. Compare with the figures in docs/assurance.md.

--cold times only the downloads (CSV, XLSX, DOCX, PDF), each request made
with nothing held (assurance.paging.forget_held_bytes before it), so p50/p95
are what writing the file costs rather than handing back a held copy.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import percentile

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

TARGET_MS = 300.0
PAGE = 50  # the index's page of returns
PASSWORD = "correct horse battery staple"
GRADES = ("outstanding", "good", "requires_improvement", "unsatisfactory")
ROLES = ("Health", "Police", "Education", "Social care", "Housing", "Probation")
BRIEFINGS = ("Neglect", "Domestic abuse", "Exploitation", "Self-neglect", "Not brought")
COMMENTS = ("More training on thresholds please.", "Briefings are useful.", "",
            "I have not seen a 7-minute briefing.", "Supervision helps me reflect.", "")


def survey_csv(rows: int, rng: random.Random) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["Role", "Aware of 7-minute briefings", "Confidence in training (1-5)",
                "Briefings seen", "Comments"])
    for _ in range(rows):
        w.writerow([rng.choice(ROLES), rng.choice(("Yes", "No", "No")), rng.randint(1, 5),
                    ";".join(rng.sample(BRIEFINGS, rng.randint(0, 3))), rng.choice(COMMENTS)])
    return out.getvalue().encode()


def seed(app: object, las: int, agencies: int, years: int, survey_rows: int,
         first_year: int) -> dict[str, object]:
    from storfa.accounts.service import Actor
    from storfa.app import Storfa
    from storfa.assurance.scope import Caller
    from storfa.assurance.selfeval_service import SelfEvalService
    from storfa.assurance.survey_service import SurveyService
    from storfa.assurance.twelve_cs import c_keys
    from storfa.clock import utc_now

    assert isinstance(app, Storfa)
    system, cli = Actor(None, "bench"), Caller("cli:bench", None, {"via": "bench"})
    rng = random.Random(17)
    t0 = time.perf_counter()
    orgs = []
    for la in range(1, las + 1):
        for ag in range(1, agencies + 1):
            name = f"LA{la:02d} Agency {ag:02d}"
            # Every organisation answers the 12 Cs, so each needs a board region;
            # the first of each authority is its board.
            orgs.append(app.accounts.add_organisation(name, name, system))
    national = app.accounts.add_organisation("National Safeguarding Team", None, system)
    board = orgs[0]
    app.accounts.add_user("board", PASSWORD, "editor", board.name, system)
    app.accounts.add_user("national", PASSWORD, "editor", national.name, system)
    now = utc_now()
    keys = c_keys()
    with app.store.db.write() as conn:
        for org in orgs:
            for y in range(first_year, first_year + years):
                rid = conn.insert(
                    "INSERT INTO assurance_returns (organisation_id, year, status, version, "
                    "carried_from, created_at, updated_at, submitted_at, submitted_by) "
                    "VALUES (?, ?, 'submitted', 14, ?, ?, ?, ?, 'bench')",
                    (org.id, y, y - 1 if y > first_year else None, now, now, now))
                conn.executemany(
                    "INSERT INTO assurance_answers (return_id, version, c_key, in_place, "
                    "planned, evidence, grade, carried, actor, at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, 0, 'bench', ?)",
                    [(rid, i + 2, k, "Agreed procedure in place.", "Review next year.",
                      "Board minutes.", rng.choice(GRADES), now) for i, k in enumerate(keys)])
                conn.executemany(
                    "INSERT INTO assurance_events (return_id, version, action, c_key, note, "
                    "actor, at) VALUES (?, ?, ?, ?, NULL, 'bench', ?)",
                    [(rid, 1, "opened", None, now)]
                    + [(rid, i + 2, "saved", k, now) for i, k in enumerate(keys)]
                    + [(rid, 14, "submitted", None, now)])
    t_returns = time.perf_counter() - t0
    surveys = SurveyService.of(app, cli)
    sid = surveys.import_file(board.id, "Practitioners", "survey.csv",
                              survey_csv(survey_rows, rng))
    surveys.map(sid, [{"column": c, "kind": k, "question": c} for c, k in (
        ("Role", "choice"), ("Aware of 7-minute briefings", "choice"),
        ("Confidence in training (1-5)", "scale"), ("Briefings seen", "choice"),
        ("Comments", "text"))])
    se = SelfEvalService.of(app, cli)
    se_id = se.create(board.id, "Core arrangements", "core")
    agency_names = [o.name for o in orgs[1:agencies]]
    se.send(se_id, agency_names)
    sections = se.get(se_id).sections
    for name in agency_names:
        ret = se.find_return(se_id, name)
        answers = {}
        for s in sections:
            for q in s.questions:
                if q.kind == "yesno":
                    answers[q.key] = rng.choice(("yes", "yes", "no"))
                elif q.kind in ("scale", "choice") and q.options:
                    answers[q.key] = rng.choice(q.options)
                elif q.kind == "text":
                    answers[q.key] = rng.choice(COMMENTS[:2])
        se.save(ret.id, answers, {s.key: rng.choice(GRADES) for s in sections})
        se.submit(ret.id)
    last = app.store.assurance_find_return(board.id, first_year + years - 1)
    assert last is not None
    return {"board": board.id, "survey": sid, "selfeval": se_id, "return": last.id,
            "seed_s": time.perf_counter() - t0, "returns_s": t_returns}


def signed_in(app: object, username: str) -> TestClient:
    from fastapi.testclient import TestClient

    from storfa.web.app import create_app

    client = TestClient(create_app(app), follow_redirects=False)  # type: ignore[arg-type]
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token, "no login form"
    done = client.post("/login", data={"username": username, "password": PASSWORD,
                                       "csrf_token": token.group(1), "next": "/"})
    assert done.status_code == 303, done.text[:300]
    return client


def timed(get: Callable[[], object], repeat: int,
          before: Callable[[], None] | None = None) -> tuple[float, list[float]]:
    """(the first request's ms, the next `repeat` requests' ms). The first is
    the warm-up: templates compiled, and the held comparison, survey summary
    and export files made; it is printed apart as "first". `before` runs
    untimed before each request."""
    if before is not None:
        before()
    t = time.perf_counter()
    get()
    first = (time.perf_counter() - t) * 1000
    samples = []
    for _ in range(repeat):
        if before is not None:
            before()
        t = time.perf_counter()
        response = get()
        samples.append((time.perf_counter() - t) * 1000)
        status = response.status_code  # type: ignore[attr-defined]
        assert status == 200, (status, response.text[:300])  # type: ignore[attr-defined]
    return first, samples


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--las", type=int, default=22)
    ap.add_argument("--agencies", type=int, default=40)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--survey-rows", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--postgres", metavar="URL", help="an empty PostgreSQL database")
    ap.add_argument("--keep", type=Path, help="keep the data folder here")
    ap.add_argument("--cold", action="store_true",
                    help="time only the downloads, each written afresh (nothing held)")
    args = ap.parse_args()

    from storfa.app import Storfa
    from storfa.config import Settings

    data_dir = args.keep or Path(tempfile.mkdtemp(prefix="storfa-assurance-bench-"))
    env = {k: v for k, v in os.environ.items() if k.startswith("STORFA_")}
    for k in env:
        del os.environ[k]
    if args.postgres:
        os.environ["STORFA_DATABASE_URL"] = args.postgres
    app = Storfa(Settings.from_env(data_dir=data_dir / "data", workers=1))
    first_year = time.gmtime().tm_year - args.years + 1
    try:
        made = seed(app, args.las, args.agencies, args.years, args.survey_rows, first_year)
        year = first_year + args.years - 1
        print(f"{args.las * args.agencies} organisations × 12 Cs × {args.years} years "
              f"({args.las * args.agencies * args.years} returns, written in "
              f"{made['returns_s']:.1f} s); survey {args.survey_rows} rows; self-evaluation "
              f"to {args.agencies - 1} agencies; all seeded in {made['seed_s']:.1f} s "
              f"({'PostgreSQL' if args.postgres else 'SQLite'})")
        board, national = signed_in(app, "board"), signed_in(app, "national")
        pages = [
            ("board", "/assurance"),
            ("board", f"/assurance/returns/{made['return']}"),
            ("national", "/assurance"),
            ("national", "/assurance?page=50"),
            ("national", f"/api/v1/assurance/returns?page=50&per_page={PAGE}"),
            ("national", f"/assurance/compare?year={year}"),
            ("national", f"/assurance/compare/export.csv?year={year}"),
            ("national", f"/assurance/compare/export.xlsx?year={year}"),
            ("national", f"/api/v1/assurance/compare?year={year}"),
            ("board", f"/assurance/surveys/{made['survey']}"),
            ("board", f"/assurance/surveys/{made['survey']}/export.csv"),
            ("board", f"/assurance/surveys/{made['survey']}/export.xlsx"),
            ("board", f"/api/v1/assurance/surveys/{made['survey']}/results"),
            ("board", f"/assurance/self-evaluations/{made['selfeval']}"),
            ("board", f"/assurance/self-evaluations/{made['selfeval']}/export.xlsx"),
            ("board", "/assurance/triangulation?theme=training&also=briefing"),
            ("board", "/assurance/triangulation.docx?theme=training&also=briefing"),
            ("board", "/assurance/triangulation.pdf?theme=training&also=briefing"),
        ]
        clients = {"board": board, "national": national}
        before: Callable[[], None] | None = None
        if args.cold:
            from storfa.assurance.paging import forget_held_bytes

            pages = [(who, path) for who, path in pages
                     if re.search(r"(/export|/triangulation)\.(csv|xlsx|docx|pdf)", path)]
            before = forget_held_bytes
        over = 0
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
              f"on {os.cpu_count()} cores")
        print(f"{'who':9} {'page':64} {'first':>8} {'p50 ms':>8} {'p95 ms':>8}")
        for who, path in pages:
            client = clients[who]
            first, samples = timed(partial(client.get, path), args.repeat, before)
            p95 = percentile(samples, 95)
            mark = "" if p95 <= TARGET_MS else f"  over {TARGET_MS:.0f} ms"
            over += p95 > TARGET_MS
            print(f"{who:9} {path:64} {first:8.1f} {percentile(samples, 50):8.1f} "
                  f"{p95:8.1f}{mark}")
        print(f"{len(pages) - over} of {len(pages)} pages at p95 ≤ {TARGET_MS:.0f} ms; "
              f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        app.close()
        os.environ.update(env)


if __name__ == "__main__":
    main()
