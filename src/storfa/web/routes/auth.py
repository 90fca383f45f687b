"""Sign in and out, the second factor, the language switch, the account page."""

from __future__ import annotations

from typing import Annotated

import pyotp
from fastapi import APIRouter, Depends, Form
from fastapi.responses import RedirectResponse, Response

from storfa.web.context import Visitor, visitor
from storfa.web.i18n import LANGUAGES
from storfa.web.params import RowId
from storfa.web.render import render
from storfa.web.security import LANG_COOKIE, SESSION_COOKIE

router = APIRouter()
V = Annotated[Visitor, Depends(visitor)]


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect would help phishing."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def _signed_in(v: Visitor, token: str, target: str) -> Response:
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, v.state.signer.sign(token), httponly=True,
                        samesite="lax", secure=v.state.secure_cookies, max_age=12 * 3600)
    return response


@router.get("/login")
def login_page(v: V, next: str = "/") -> Response:
    return render(v, "login.html", next=_safe_next(next), error=None, needs_code=False)


@router.post("/login")
def login(v: V, username: Annotated[str, Form(max_length=200)] = "",
          password: Annotated[str, Form(max_length=1000)] = "",
          code: Annotated[str, Form(max_length=20)] = "",
          csrf_token: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/") -> Response:
    v.check_csrf(csrf_token)
    result = v.storfa.accounts.login(username, password, code or None, v.address)
    if result.user is None:
        error = v._(result.error) if result.error else None
        return render(v, "login.html", status=401 if error else 200, next=_safe_next(next),
                      error=error, needs_code=result.needs_code, username=username)
    if v.session_token:  # a new session token at every sign-in: no fixation
        v.storfa.accounts.end_session(v.session_token, v.actor)
    token, _csrf = v.storfa.accounts.start_session(result.user, v.address)
    target = _safe_next(next)
    if v.storfa.accounts.needs_second_factor(result.user) and not result.user.totp_enabled:
        target = "/account/totp"
    return _signed_in(v, token, target)


@router.post("/logout")
def logout(v: V, csrf_token: Annotated[str, Form()] = "") -> Response:
    v.check_csrf(csrf_token)
    if v.session_token:
        v.storfa.accounts.end_session(v.session_token, v.actor)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/language")
def language(v: V, lang: Annotated[str, Form()] = "en",
             next: Annotated[str, Form()] = "/") -> Response:
    # No CSRF check: switching the interface language changes nothing stored.
    response = RedirectResponse(_safe_next(next), status_code=303)
    if lang in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, samesite="lax", max_age=365 * 86400)
    return response


@router.get("/account/totp")
def totp_page(v: V) -> Response:
    if v.user is None:
        return RedirectResponse("/login?next=/account/totp", status_code=303)
    secret = v.storfa.accounts.new_totp_secret()
    uri = pyotp.TOTP(secret).provisioning_uri(name=v.user.username, issuer_name="storfa")
    return render(v, "totp.html", secret=secret, uri=uri, error=None)


@router.post("/account/totp")
def totp_enrol(v: V, secret: Annotated[str, Form(max_length=64)] = "",
               code: Annotated[str, Form(max_length=20)] = "",
               csrf_token: Annotated[str, Form()] = "") -> Response:
    v.check_csrf(csrf_token)
    if v.user is None or v.session_token is None:
        return RedirectResponse("/login", status_code=303)
    if not v.storfa.accounts.enrol_totp(v.user, secret, code, v.actor):
        uri = pyotp.TOTP(secret).provisioning_uri(name=v.user.username, issuer_name="storfa")
        return render(v, "totp.html", status=400, secret=secret, uri=uri,
                      error=v._("That code is not right. Try the current one."))
    v.storfa.accounts.mark_second_factor(v.session_token)
    return RedirectResponse("/account", status_code=303)


@router.get("/account")
def account(v: V) -> Response:
    if v.user is None:
        return RedirectResponse("/login?next=/account", status_code=303)
    tokens = v.storfa.accounts.accounts.tokens(v.user.id)
    saved = v.storfa.accounts.accounts.saved_searches(v.user.id)
    return render(v, "account.html", tokens=tokens, saved=saved, new_token=None)


@router.post("/account/tokens")
def new_token(v: V, name: Annotated[str, Form(max_length=100)] = "",
              csrf_token: Annotated[str, Form()] = "") -> Response:
    v.check_csrf(csrf_token)
    if v.user is None:
        return RedirectResponse("/login", status_code=303)
    token = v.storfa.accounts.create_token(v.user, name.strip() or "script", v.actor)
    tokens = v.storfa.accounts.accounts.tokens(v.user.id)
    saved = v.storfa.accounts.accounts.saved_searches(v.user.id)
    return render(v, "account.html", tokens=tokens, saved=saved, new_token=token)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(v: V, token_id: RowId, csrf_token: Annotated[str, Form()] = "") -> Response:
    v.check_csrf(csrf_token)
    if v.user is not None:
        v.storfa.accounts.accounts.revoke_token(v.user.id, token_id)
        v.storfa.accounts.audit(v.actor, "token.revoke", "user", str(v.user.id), token=token_id)
    return RedirectResponse("/account", status_code=303)
