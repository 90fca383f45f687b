"""Administration: organisations, users and roles, the audit log."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException
from fastapi.responses import RedirectResponse, Response

from storfa.accounts.policy import can_administer
from storfa.domain.accounts import ORG_KINDS, ROLES
from storfa.domain.errors import StorfaError
from storfa.web.context import Visitor, visitor
from storfa.web.params import RowId
from storfa.web.render import render

router = APIRouter(prefix="/admin")
V = Annotated[Visitor, Depends(visitor)]


def administrator(v: V) -> Visitor:
    if v.user is None:
        raise HTTPException(401, v._("Sign in first."))
    if not can_administer(v.user):
        v.storfa.accounts.audit(v.actor, "admin.view", "admin", v.request.url.path,
                                allowed=False)
        raise HTTPException(403, v._("Only administrators can open this page."))
    if v.needs_second_factor():
        raise HTTPException(403, v._("Administrators need a second factor: set one up on "
                                     "your account page."))
    return v


A = Annotated[Visitor, Depends(administrator)]


def _page(v: Visitor, message: str | None = None, error: str | None = None) -> Response:
    accounts = v.storfa.accounts.accounts
    return render(v, "admin/index.html", status=400 if error else 200,
                  orgs=accounts.organisations(), users=accounts.users(), roles=ROLES,
                  kinds=ORG_KINDS,
                  message=message, error=error)


@router.get("")
def admin_home(v: A) -> Response:
    return _page(v)


@router.post("/organisations")
def add_org(v: A, name: Annotated[str, Form(max_length=200)] = "",
            board: Annotated[str, Form(max_length=200)] = "",
            kind: Annotated[str, Form(max_length=20)] = "",
            csrf_token: Annotated[str, Form()] = "") -> Response:
    v.check_csrf(csrf_token)
    try:
        v.storfa.accounts.add_organisation(name, board.strip() or None, v.actor,
                                           kind or None)
    except StorfaError as exc:
        return _page(v, error=v.error(exc))
    return RedirectResponse("/admin", status_code=303)


@router.post("/organisations/{organisation_id}")
def set_org(v: A, organisation_id: RowId, kind: Annotated[str, Form(max_length=20)] = "",
            board: Annotated[str, Form(max_length=200)] = "",
            csrf_token: Annotated[str, Form()] = "") -> Response:
    v.check_csrf(csrf_token)
    org = v.storfa.accounts.accounts.organisation(organisation_id)
    if org is None:
        raise HTTPException(404, v._("No such organisation."))
    try:
        # The form always sends the region: an empty one removes it.
        v.storfa.accounts.set_organisation(org.name, kind or None, board, v.actor)
    except StorfaError as exc:
        return _page(v, error=v.error(exc))
    return RedirectResponse("/admin", status_code=303)


@router.post("/users")
def add_user(v: A, username: Annotated[str, Form(max_length=64)] = "",
             password: Annotated[str, Form(max_length=1000)] = "",
             role: Annotated[str, Form()] = "reader",
             organisation: Annotated[str, Form(max_length=200)] = "",
             csrf_token: Annotated[str, Form()] = "") -> Response:
    v.check_csrf(csrf_token)
    try:
        v.storfa.accounts.add_user(username, password, role, organisation or None, v.actor)
    except StorfaError as exc:
        return _page(v, error=v.error(exc))
    return RedirectResponse("/admin", status_code=303)


@router.post("/users/{username}")
def change_user(v: A, username: str, action: Annotated[str, Form()] = "",
                role: Annotated[str, Form()] = "",
                csrf_token: Annotated[str, Form()] = "") -> Response:
    v.check_csrf(csrf_token)
    service = v.storfa.accounts
    try:
        if action == "disable":
            if v.user is not None and v.user.username == username:
                return _page(v, error=v._("You cannot disable your own account."))
            service.set_disabled(username, True, v.actor)
        elif action == "enable":
            service.set_disabled(username, False, v.actor)
        elif action == "role":
            service.set_role(username, role, v.actor)
        else:
            return _page(v, error=v._("Unknown action."))
    except StorfaError as exc:
        return _page(v, error=v.error(exc))
    return RedirectResponse("/admin", status_code=303)


@router.get("/audit")
def audit_log(v: A, actor: str = "", action: str = "", object: str = "",
              denied: bool = False) -> Response:
    events = v.storfa.store.audit_events(limit=500, actor=actor, action=action,
                                         object_id=object, denied=denied)
    shown = [{**e, "detail": json.loads(e.get("detail") or "{}")} for e in events]
    broken = v.storfa.store.audit_chain_break()
    v.storfa.accounts.audit(v.actor, "audit.view", "audit_log", "-")
    return render(v, "admin/audit.html", events=shown, broken=broken,
                  filters={"actor": actor, "action": action, "object": object,
                           "denied": denied})
