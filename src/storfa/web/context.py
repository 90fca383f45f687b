"""Who is asking, in which language: resolved once per request.

Routes receive a `Visitor` from `visitor()`; it carries the signed-in user
(or None), the CSRF token their forms must echo, the interface language and
the audit identity. Access decisions are never made here: they go through
storfa.accounts.policy."""

from __future__ import annotations

import gettext
import secrets
from dataclasses import dataclass, field
from typing import Any

from fastapi import HTTPException, Request

from storfa.accounts.policy import access_of, can_view
from storfa.accounts.service import Actor
from storfa.app import Storfa
from storfa.domain.accounts import ReviewAccess, User
from storfa.domain.errors import StorfaError
from storfa.web.i18n import negotiate, translations
from storfa.web.security import (
    CSRF_COOKIE,
    LANG_COOKIE,
    SESSION_COOKIE,
    CookieSigner,
    tokens_match,
)

# Reviews whose access a request looks up one by one before it reads them all.
_SINGLE_LOOKUPS = 3


@dataclass
class WebState:
    storfa: Storfa
    signer: CookieSigner
    secure_cookies: bool = False


@dataclass
class Visitor:
    state: WebState
    request: Request
    user: User | None
    lang: str
    csrf_token: str
    session_token: str | None = None
    second_factor: bool = False
    new_csrf_cookie: bool = False
    via_token: bool = False
    _restricted: dict[int, ReviewAccess] | None = field(default=None, repr=False)
    _hidden: frozenset[int] | None = field(default=None, repr=False)
    _access: dict[int, ReviewAccess] = field(default_factory=dict, repr=False)

    @property
    def storfa(self) -> Storfa:
        return self.state.storfa

    @property
    def address(self) -> str | None:
        return self.request.client.host if self.request.client else None

    @property
    def actor(self) -> Actor:
        return Actor(self.user, self.address)

    @property
    def gettext(self) -> gettext.NullTranslations:
        return translations(self.lang)  # cached per language by i18n.translations

    def _(self, message: str, **values: Any) -> str:
        text = self.gettext.gettext(message)
        return text.format(**values) if values else text

    def error(self, exc: BaseException) -> str:
        """A core error in the visitor's language: the message is looked up by
        its English template (one home: where it is raised), then filled in."""
        if isinstance(exc, StorfaError):
            return exc.translated(self.gettext.gettext)
        return self.gettext.gettext(str(exc))

    # ---------------------------------------------------------------- access
    @property
    def restricted(self) -> dict[int, ReviewAccess]:
        if self._restricted is None:
            self._restricted = self.storfa.accounts.restricted()
        return self._restricted

    @property
    def hidden(self) -> frozenset[int]:
        # Plain lazy attributes, not functools.cached_property: in Python 3.11
        # that holds one class-wide lock while computing, which serialised
        # every request's database lookup behind each other.
        if self._hidden is None:
            self._hidden = frozenset(row for row, access in self.restricted.items()
                                     if not can_view(self.user, access))
        return self._hidden

    def access(self, row: int) -> ReviewAccess:
        # A page about one review asks for one or two reviews' access: an
        # indexed lookup each, where loading every restricted review's (as a
        # search must, to hide them) cost it a read that grows with the
        # repository. A page that asks about many gets the one bulk read.
        if row in self._access:
            return self._access[row]
        if self._restricted is None and len(self._access) < _SINGLE_LOOKUPS:
            self._access[row] = self.storfa.accounts.access(row)
            return self._access[row]
        return access_of(row, self.restricted)

    def needs_second_factor(self) -> bool:
        """Signed in but still owing a TOTP enrolment or code (administrators)."""
        return (self.user is not None and not self.via_token and not self.second_factor
                and self.storfa.accounts.needs_second_factor(self.user))

    def check_csrf(self, given: str | None) -> None:
        if not tokens_match(self.csrf_token, given):
            raise HTTPException(403, self._("The form had expired. Reload the page and try again."))


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def resolve_visitor(request: Request) -> Visitor:
    state: WebState = request.app.state.web
    storfa = state.storfa
    lang = negotiate(request.query_params.get("lang") or request.cookies.get(LANG_COOKIE),
                     request.headers.get("accept-language"))
    if (token := _bearer(request)) is not None:
        user = storfa.accounts.user_for_token(token)
        if user is None:
            raise HTTPException(401, "The API token is not valid.",
                                headers={"WWW-Authenticate": "Bearer"})
        return Visitor(state, request, user, lang, csrf_token="", via_token=True,
                       second_factor=True)
    session = state.signer.unsign(request.cookies.get(SESSION_COOKIE))
    record = storfa.accounts.resolve_session(session) if session else None
    if record is not None:
        return Visitor(state, request, record.user, lang,
                       record.csrf_token, session_token=session,
                       second_factor=record.second_factor)
    csrf = state.signer.unsign(request.cookies.get(CSRF_COOKIE))
    fresh = csrf is None
    return Visitor(state, request, None, lang, csrf or secrets.token_urlsafe(32),
                   new_csrf_cookie=fresh)


def visitor(request: Request) -> Visitor:
    """FastAPI dependency; cached on the request so middleware and routes share it."""
    cached: Visitor | None = getattr(request.state, "visitor", None)
    if cached is None:
        cached = resolve_visitor(request)
        request.state.visitor = cached
    return cached
