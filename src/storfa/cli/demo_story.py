"""The demo's story: what a safeguarding team would have done with the demo
reviews after a few weeks, so that every page has something true to show.

Everything is made through storfa's own services, as the demo users would
make it from the CLI or the web (and audited as theirs), never by writing rows:
auto-coding with the best-practice codebook and the coder's decisions on
some suggestions; a second coder's blind decisions on a few of the same
reviews, so that agreement (kappa) and disagreements show; owners, due dates, statuses and progress notes on the
recommendations, some overdue; case variables suggested on every review and
confirmed on most; a saved search for each demo user; referral records; and
a year's assurance evidence (demo_assurance.py). Each step is skipped
when an earlier run did it, so running the demo again keeps the decisions."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from storfa.app import Storfa
from storfa.cli.demo_accounts import DEMO_ORGS, DEMO_USERS

if TYPE_CHECKING:
    from storfa.domain.coding import Extract

# Demo users of demo_accounts.DEMO_USERS who act in the story.
CODER, SECOND_CODER, EDITOR = "coder", "coder2", "editor"
CODEBOOK = "best-practice"
# The coder has worked through this share of the reviews; the rest wait in the queue.
DECIDED_SHARE = 2 / 3
# Of a review's suggestions, the coder accepts this many of the most confident
# and rejects the least confident when there are at least REJECT_FROM.
ACCEPT_PER_REVIEW, REJECT_FROM = 2, 4
# The second coder decides every suggestion on this many of the reviews the
# coder decided, without looking at the coder's decisions (see _second_coder).
BLIND_REVIEWS = 3
# Case variables are confirmed on this share of the reviews: enough for the
# frequencies, phi coefficients and map, with some reviews left to code.
CONFIRMED_SHARE = 3 / 4
OWNERS = ("Health board safeguarding lead", "Children's services",
          "Police public protection unit", "Education safeguarding lead",
          "Regional Safeguarding Board business unit")
SAVED_SEARCH = ("Professional curiosity", '"professional curiosity"')

# Referrals a year per local authority: enough that few indicator cells fall
# under the small-number threshold, few enough to import in seconds.
REFERRALS_PER_YEAR = 60


@dataclass(frozen=True)
class Chapter:
    name: str
    summary: str
    seconds: float


def tell(app: Storfa, report: Callable[[Chapter], None] = lambda _c: None,
         today: dt.date | None = None,
         on_start: Callable[[str], None] = lambda _n: None) -> list[Chapter]:
    """Run each step of the story, reporting each with how long it took."""
    day = today or dt.date.today()
    visible = _visible_keys(app)
    coder, second, editor = actor(app, CODER), actor(app, SECOND_CODER), actor(app, EDITOR)
    steps: Sequence[tuple[str, Callable[[], str]]] = (
        ("Auto-coding and the coder's decisions", lambda: _code(app, visible, coder)),
        ("A second coder's blind coding", lambda: _second_coder(app, visible, coder, second)),
        ("Recommendations tracked", lambda: _track(app, visible, day, editor)),
        ("Case variables", lambda: _case_variables(app, visible, coder)),
        ("Saved searches", lambda: _saved_searches(app)),
        ("Referral records", lambda: _referrals(app, day)),
        ("Assurance evidence", lambda: _assurance(app, day)),
    )
    chapters = []
    for name, step in steps:
        on_start(name)
        started = time.monotonic()
        chapter = Chapter(name, step(), time.monotonic() - started)
        report(chapter)
        chapters.append(chapter)
    return chapters


def actor(app: Storfa, username: str) -> str:
    """The name a demo user's actions carry, as the web records them (and
    shows a coder their own decisions by)."""
    user = app.accounts.accounts.user_by_name(username)
    return user.actor if user is not None else username


def _visible_keys(app: Storfa) -> list[str]:
    """The reviews the coder and the editor may both see: the story leaves the
    restricted and draft reviews alone, as their users would."""
    hidden: set[int] = set()
    for username in (CODER, EDITOR):
        hidden |= app.accounts.hidden_for(app.accounts.accounts.user_by_name(username))
    rows = app.store.review_keys()
    return sorted(key for row, key in rows.items() if row not in hidden)


def _code(app: Storfa, keys: list[str], coder: str) -> str:
    from storfa.domain.coding import SUGGESTED

    service = app.coding
    if any(e.decided_by == coder for e in service.extracts(codebook=CODEBOOK)):
        return "done before"
    found = service.auto(CODEBOOK, keys, actor=coder)
    open_ = service.extracts(codebook=CODEBOOK, status=SUGGESTED)
    accepted = rejected = 0
    for key in keys[:round(len(keys) * DECIDED_SHARE)]:
        mine = _ranked(open_, key)
        for e in mine[:ACCEPT_PER_REVIEW]:
            service.decide(e.id, "accepted", coder)
            accepted += 1
        if len(mine) >= REJECT_FROM:
            service.decide(mine[-1].id, "rejected", coder)
            rejected += 1
    pending = len(open_) - accepted - rejected
    # The Welsh versions' paragraphs, which the classifier cannot read, are
    # said, as `storfa code auto` says them.
    unread = (f"; {found.unread} paragraphs in Welsh could not be searched for practice"
              if found.unread else "")
    return (f"{len(open_)} suggestions on {len(keys)} reviews; the coder accepted "
            f"{accepted}, rejected {rejected}, {pending} wait in the queue{unread}")


def _ranked(suggestions: list[Extract], key: str) -> list[Extract]:
    """A review's suggestions, most confident first: the order both coders
    work down, as the coding queue shows them."""
    return sorted((e for e in suggestions if e.review_id == key),
                  key=lambda e: (-(e.confidence or 0.0), e.start))


def _second_coder(app: Storfa, keys: list[str], coder: str, second: str) -> str:
    """The second coder decides every auto-coder suggestion on a few of the
    reviews the coder decided, blind: storage keeps each coder's decision
    apart (storage/sql/extracts.py), so agreement compares them. They agree
    on the most confident suggestion, are stricter on the runner-up in every
    other review, accept a third the coder left open and reject the rest."""

    service = app.coding
    if any(e.decided_by == second for e in service.extracts(codebook=CODEBOOK)):
        return "done before"
    suggestions = [e for e in service.extracts(codebook=CODEBOOK) if e.is_suggestion]
    # Reviews the coder decided that have suggestions to decide: a review
    # the auto-coder found nothing in has no coding to agree about.
    sample = [key for key in keys[:round(len(keys) * DECIDED_SHARE)]
              if any(e.review_id == key for e in suggestions)][:BLIND_REVIEWS]
    decided = 0
    for n, key in enumerate(sample):
        for rank, e in enumerate(_ranked(suggestions, key)):
            accept = rank == 0 or rank == 2 or (rank == 1 and n % 2 == 0)
            service.decide(e.id, "accepted" if accept else "rejected", second)
            decided += 1
    reviews, figures = service.agreement(CODEBOOK, coder, second)
    kappas = [f for f in figures if f.kappa is not None]
    differ = sum(f.coded_a + f.coded_b - 2 * f.coded_both for f in figures)
    return (f"{decided} decisions on {len(sample)} of the coder's reviews; kappa for "
            f"{len(kappas)} codes over {len(reviews)} reviews, {differ} coded passages "
            f"differ")


def _track(app: Storfa, keys: list[str], today: dt.date, editor: str) -> str:
    """Owners and due dates on five in six recommendations; statuses and
    notes that make a history; about one in four overdue."""
    from storfa.recommendations.register import is_overdue

    register = app.register()
    wanted = set(keys)
    recs = sorted(((k, r) for k, r in register.listing(None) if k in wanted),
                  key=lambda item: (item[0], item[1].id))
    if any(r.owner for _, r in recs):
        return "done before"

    def due(days: int) -> str:
        return (today + dt.timedelta(days=days)).isoformat()

    for i, (_, rec) in enumerate(recs):
        kind = i % 6
        if kind == 4:  # left as extracted: open, nobody owns it yet
            continue
        owner = rec.agencies[0] if rec.agencies else OWNERS[i % len(OWNERS)]
        if kind == 0:
            register.set(rec.id, editor, owner=owner, due_date=due(-120))
            register.set(rec.id, editor, status="in_progress",
                         note="Action plan agreed with the agencies.")
            register.set(rec.id, editor, status="implemented",
                         note="Audit completed; findings reported to the Board.")
        elif kind == 1:  # overdue although work has started
            register.set(rec.id, editor, owner=owner, due_date=due(-45))
            register.set(rec.id, editor, status="in_progress",
                         note="Training planned; the first sessions were postponed.")
        elif kind == 2:
            register.set(rec.id, editor, owner=owner, due_date=due(30))
        elif kind == 3:
            register.set(rec.id, editor, owner=owner, due_date=due(90),
                         status="in_progress", note="Working group meets monthly.")
        elif i % 12 == 5:
            register.set(rec.id, editor, owner=owner, status="not_accepted",
                         note="The Board found that current guidance already covers this.")
        else:  # overdue and not started
            register.set(rec.id, editor, owner=owner, due_date=due(-20))
    after = [register.get(r.id) for _, r in recs]
    overdue = sum(1 for r in after if is_overdue(r, today))
    owned = sum(1 for r in after if r.owner)
    return f"{owned} of {len(recs)} recommendations have owners; {overdue} are overdue"


def _case_variables(app: Storfa, keys: list[str], coder: str) -> str:
    from storfa.domain.errors import StorfaError

    service = app.casevars
    wanted = set(keys)
    rows = service.with_rows(s for s in app.store.list_reviews() if s.review_id in wanted)
    if any(c.coded for c in service.cases(rows)):
        return "done before"
    # The model suggester reads stored passage vectors; without embeddings
    # it would embed every review on the fly, which the demo cannot wait for.
    found = service.suggest(keys, coder, model=app.settings.embed != "off")
    confirmed = rejected = 0
    chosen = keys[:round(len(keys) * CONFIRMED_SHARE)]
    for n, key in enumerate(chosen):
        mine: dict[str, dict[str, Any]] = {}  # the first suggestion of each variable
        for s in found:
            if s["review_id"] == key:
                mine.setdefault(s["variable"], s)
        for i, s in enumerate(mine.values()):
            try:
                # One suggestion in every review of three turned down, so
                # the history shows that suggestions are checked.
                if n % 3 == 2 and i == len(mine) - 1:
                    service.reject(key, s["variable"], coder, s["value"])
                    rejected += 1
                else:
                    service.confirm(key, s["variable"], coder, s["value"])
                    confirmed += 1
            except StorfaError:  # a value the variable no longer takes: leave it open
                continue
    return (f"{len(found)} suggestions on {len(keys)} reviews; the coder confirmed "
            f"{confirmed} on {len(chosen)} reviews and rejected {rejected}")


def _saved_searches(app: Storfa) -> str:
    name, query = SAVED_SEARCH
    saved = 0
    for username, _role, _org in DEMO_USERS:
        user = app.accounts.accounts.user_by_name(username)
        if user is None or app.accounts.accounts.saved_searches(user.id):
            continue
        # Stored as the web stores it: the search page's query string.
        app.accounts.accounts.save_search(user.id, name, urlencode({"q": query}), {})
        saved += 1
    return f"'{name}' saved for {saved} demo users" if saved else "done before"


def _referrals(app: Storfa, today: dt.date) -> str:
    """Three years of made-up referral records for every local authority,
    imported as an area keeping its own case system would, so that the
    indicators, their trends and the comparison have something to count."""
    import io

    from storfa.referrals.sample import write_sample
    from storfa.referrals.service import Caller

    service = app.referrals
    operator = Caller("demo", operator=True)
    last = today.year - 1
    referrals = service.indicators(operator, str(last), "all").as_json()["areas"][0][
        "indicators"][0]
    if referrals["number"] or referrals["suppressed"]:
        return "done before"
    out = io.StringIO()
    records = write_sample(out, service.areas(), [last - 2, last - 1, last],
                           REFERRALS_PER_YEAR, seed=7)
    result = service.import_file(operator, out.getvalue().encode("utf-8"),
                                 "demo-referrals.csv", organisation=DEMO_ORGS[0][0])
    return f"{result.imported} of {records} records imported for {len(service.areas())} " \
           f"local authorities, {last - 2}-{last}"


def _assurance(app: Storfa, today: dt.date) -> str:
    from storfa.cli.demo_assurance import tell_assurance

    return tell_assurance(app, today.year)
