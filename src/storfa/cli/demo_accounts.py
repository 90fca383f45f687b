"""Demo organisations, users and access levels, so every role can be tried."""

from __future__ import annotations

import secrets

from storfa.accounts.service import Actor
from storfa.app import Storfa
from storfa.domain.accounts import AccessLevel

# (name, kind, board region): a board's own region, an agency's board's.
DEMO_ORGS = (("National Safeguarding Team", "national", None),
             ("North Wales Safeguarding Board", "board", "North Wales"),
             ("Cwm Taf Morgannwg Safeguarding Board", "board", "Cwm Taf Morgannwg"),
             # North Wales sends its agencies its self-evaluation and audit.
             ("Betsi Cadwaladr University Health Board", "agency", "North Wales"),
             ("North Wales Police", "agency", "North Wales"),
             ("Conwy County Borough Council Children's Services", "agency", "North Wales"),
             ("Flintshire Education", "agency", "North Wales"))
DEMO_USERS = (("admin", "administrator", "National Safeguarding Team"),
              ("editor", "editor", "North Wales Safeguarding Board"),
              ("coder", "coder", "National Safeguarding Team"),
              # Codes a sample of the coder's reviews blind, so agreement shows.
              ("coder2", "coder", "National Safeguarding Team"),
              ("reader", "reader", "Cwm Taf Morgannwg Safeguarding Board"),
              # Fill in their agency's self-evaluation and grade its audit cases.
              ("health", "editor", "Betsi Cadwaladr University Health Board"),
              ("police", "editor", "North Wales Police"))
ACTOR = Actor(None, "demo")


def create_demo_accounts(app: Storfa) -> list[tuple[str, str, str, str]]:
    """(username, role, organisation, password) for each demo user."""
    service = app.accounts
    for name, kind, board in DEMO_ORGS:
        found = service.accounts.organisation(name)
        if found is None:
            service.add_organisation(name, board, ACTOR, kind)
        elif (found.kind.value, found.board) != (kind, board):
            # A demo store made before kinds existed read its agencies as national.
            service.set_organisation(name, kind, board or "", ACTOR)
    made = []
    for username, role, org in DEMO_USERS:
        password = secrets.token_urlsafe(9)
        if service.accounts.user_by_name(username) is None:
            service.add_user(username, password, role, org, ACTOR)
        else:
            service.set_password(username, password, ACTOR)
        made.append((username, role, org, password))
    _restrict_some(app)
    return made


def _restrict_some(app: Storfa) -> None:
    """One review restricted to its board and one draft, to show access levels."""
    if app.accounts.restricted():
        return
    north = app.accounts.accounts.organisation("North Wales Safeguarding Board")
    reviews = sorted(app.store.list_reviews(), key=lambda s: s.review_id)
    rows = {key: row for row, key in app.store.review_keys().items()}
    if north is None or len(reviews) < 2:
        return
    for summary, level in zip(reviews[:2], (AccessLevel.RESTRICTED, AccessLevel.DRAFT),
                              strict=False):
        app.accounts.set_access(rows[summary.review_id], summary.review_id, level.value,
                                [north.id], ACTOR)
