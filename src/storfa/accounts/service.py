"""Account services: sign-in with rate limiting and TOTP, sessions with idle
and absolute timeouts, API tokens, and the audit trail of who did what."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any

import pyotp

from storfa.accounts.passwords import hash_password, password_problem, verify_password
from storfa.accounts.policy import hidden_reviews, locks_out
from storfa.domain.accounts import (
    ROLES,
    AccessLevel,
    Organisation,
    ReviewAccess,
    Role,
    SessionRecord,
    User,
    organisation_kind,
)
from storfa.domain.acting import Acting
from storfa.domain.errors import N_, LockOut, StorfaError
from storfa.storage.interface import Store
from storfa.storage.repositories import Accounts

IDLE_TIMEOUT = dt.timedelta(minutes=30)
ABSOLUTE_TIMEOUT = dt.timedelta(hours=12)
# Writing last_seen on every request would serialise reads behind writes.
TOUCH_EVERY = dt.timedelta(seconds=60)
FAILURE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_USERNAME = 5
MAX_FAILURES_PER_ADDRESS = 30
TOKEN_PREFIX = "stf_"
# One message for every failed sign-in, so it never tells which usernames exist.
LOGIN_FAILED = "The username or password is not right, or the account is disabled."
LOGIN_LIMITED = "Too many failed sign-ins. Wait 15 minutes and try again."


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _parse(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass(frozen=True)
class Actor:
    """Who is acting, as the audit log records them."""

    user: User | None
    address: str | None = None

    @property
    def name(self) -> str:
        return self.user.actor if self.user else "anonymous"

    def detail(self) -> dict[str, Any]:
        return {"role": self.user.role.value if self.user else None,
                "organisation": self.user.organisation_name if self.user else None,
                "address": self.address}


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    error: str | None = None
    needs_code: bool = False


class AccountService:
    def __init__(self, accounts: Accounts, store: Store, admin_totp_required: bool = True):
        self.accounts = accounts
        self.store = store
        self.admin_totp_required = admin_totp_required
        self._demo: bool = False
        self._demo_checked: float | None = None

    # ------------------------------------------------------------------ audit
    def audit(self, actor: Acting, action: str, object_type: str, object_id: str,
              allowed: bool = True, **detail: Any) -> None:
        self.store.audit(actor.name, action, object_type, object_id,
                         {**actor.detail(), "allowed": allowed, **detail})

    # ------------------------------------------------------------------- demo
    # A demo store is one `storfa demo` has marked, in the audit log rather than
    # a setting: it needs no migration, every backend and node reads it, and a
    # backup carries it with the store it describes.
    DEMO_ACTION = "store.demo"

    def mark_demo(self, actor: Actor) -> None:
        if not self.is_demo():
            self.audit(actor, self.DEMO_ACTION, "store", "-")
            self._demo, self._demo_checked = True, time.monotonic()

    def is_demo(self) -> bool:
        # Asked on every home page: a found mark is kept for good (it is never
        # removed), an absent one re-read at most once a minute (the audit log
        # can be long and this is a scan).
        now = time.monotonic()
        if self._demo_checked is None or (not self._demo and now - self._demo_checked > 60):
            self._demo = bool(self.store.audit_events(limit=1, action=self.DEMO_ACTION))
            self._demo_checked = now
        return self._demo

    # ---------------------------------------------------- organisations, users
    def add_organisation(self, name: str, board: str | None, actor: Actor,
                         kind: str | None = None) -> Organisation:
        """`kind` national, board or agency; none given, a board when a board
        region is, else national (domain.accounts.organisation_kind)."""
        checked, region = organisation_kind(kind, board)
        org = self.accounts.add_organisation(name, region, checked)
        self.audit(actor, "organisation.add", "organisation", str(org.id), name=org.name,
                   kind=org.kind.value, board=org.board)
        return org

    def set_organisation(self, name: str, kind: str | None, board: str | None,
                         actor: Actor) -> Organisation:
        """Say what an existing organisation is: its kind and board region.
        None keeps what it has (a national team's region aside: it has none),
        an empty region removes it."""
        org = self.accounts.organisation(name)
        if org is None:
            raise StorfaError(N_("No organisation called {organisation!r}; add it "
                                 "first with `storfa orgs add`."), organisation=name)
        kind = kind or org.kind.value
        if board is None and kind.strip().casefold() != "national":
            board = org.board
        checked, region = organisation_kind(kind, board)
        self.accounts.set_organisation(org.id, checked, region)
        self.audit(actor, "organisation.set", "organisation", str(org.id), name=org.name,
                   kind=checked.value, board=region, was={"kind": org.kind.value,
                                                          "board": org.board})
        changed = self.accounts.organisation(org.id)
        assert changed is not None
        return changed

    def add_user(self, username: str, password: str, role: str, organisation: str | None,
                 actor: Actor, display_name: str | None = None) -> User:
        username = username.strip()
        if not username or len(username) > 64 or any(c.isspace() for c in username):
            raise StorfaError(N_("A username needs 1–64 characters and no spaces."))
        if role not in ROLES:
            raise StorfaError(N_("Unknown role {role!r}; use one of {roles}."), role=role,
                              roles=", ".join(ROLES))
        if problem := password_problem(password):
            raise problem
        org_id = None
        if organisation:
            org = self.accounts.organisation(organisation)
            if org is None:
                raise StorfaError(N_("No organisation called {organisation!r}; add it "
                                     "first with `storfa orgs add`."),
                                  organisation=organisation)
            org_id = org.id
        user = self.accounts.add_user(username, display_name or username,
                                      hash_password(password), Role(role), org_id)
        self.audit(actor, "user.add", "user", str(user.id), username=username, new_role=role)
        return user

    def set_disabled(self, username: str, disabled: bool, actor: Actor) -> User:
        user = self._existing(username)
        self.accounts.update_user(user.id, disabled=int(disabled))
        self.audit(actor, "user.disable" if disabled else "user.enable", "user", str(user.id),
                   username=username)
        return self._existing(username)

    def set_role(self, username: str, role: str, actor: Actor) -> User:
        if role not in ROLES:
            raise StorfaError(N_("Unknown role {role!r}; use one of {roles}."), role=role,
                              roles=", ".join(ROLES))
        user = self._existing(username)
        self.accounts.update_user(user.id, role=role)
        self.audit(actor, "user.role", "user", str(user.id), username=username, new_role=role)
        return self._existing(username)

    def set_password(self, username: str, password: str, actor: Actor) -> None:
        if problem := password_problem(password):
            raise problem
        user = self._existing(username)
        self.accounts.update_user(user.id, password_hash=hash_password(password))
        self.audit(actor, "user.password", "user", str(user.id), username=username)

    def _existing(self, username: str) -> User:
        user = self.accounts.user_by_name(username)
        if user is None:
            raise StorfaError(N_("No user called {username!r}."), username=username)
        return user

    # ------------------------------------------------------------------ TOTP
    def new_totp_secret(self) -> str:
        return pyotp.random_base32()

    def enrol_totp(self, user: User, secret: str, code: str, actor: Actor) -> bool:
        if not pyotp.TOTP(secret).verify(code.strip(), valid_window=1):
            return False
        self.accounts.update_user(user.id, totp_secret=secret)
        self.audit(actor, "user.totp", "user", str(user.id), username=user.username)
        return True

    def needs_second_factor(self, user: User) -> bool:
        return user.totp_enabled or (self.admin_totp_required and user.role == Role.ADMINISTRATOR)

    # --------------------------------------------------------------- sign-in
    def login(self, username: str, password: str, code: str | None,
              address: str | None) -> LoginResult:
        keys = [f"user:{username.strip().casefold()}", f"address:{address or '-'}"]
        since = _stamp(dt.datetime.now(dt.UTC) - FAILURE_WINDOW)
        limited = (self.accounts.failures_since(keys[0], since) >= MAX_FAILURES_PER_USERNAME
                   or self.accounts.failures_since(keys[1], since) >= MAX_FAILURES_PER_ADDRESS)
        creds = self.accounts.credentials(username.strip())
        # Always verify a hash, even for unknown or limited users: equal timing.
        ok = verify_password(creds.password_hash if creds else None, password)
        who = Actor(creds.user if creds else None, address)
        if limited or not ok or creds is None or creds.user.disabled:
            self.accounts.record_failure(keys)
            self.audit(who, "login.failure", "user", username[:64], allowed=False,
                       limited=limited)
            return LoginResult(None, LOGIN_LIMITED if limited else LOGIN_FAILED)
        if creds.totp_secret:
            if not code:
                return LoginResult(None, None, needs_code=True)
            if not pyotp.TOTP(creds.totp_secret).verify(code.strip(), valid_window=1):
                self.accounts.record_failure(keys)
                self.audit(who, "login.failure", "user", username[:64], allowed=False,
                           second_factor=True)
                return LoginResult(None, "That code is not right. Try the current one.",
                                   needs_code=True)
        self.accounts.clear_failures(keys[0])
        self.audit(who, "login.success", "user", str(creds.user.id))
        return LoginResult(creds.user)

    # --------------------------------------------------------------- sessions
    def start_session(self, user: User, address: str | None) -> tuple[str, str]:
        """A fresh (session token, CSRF token) pair; only the hash is stored."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        self.accounts.add_session(digest(token), user.id, csrf, address,
                                  second_factor=user.totp_enabled)
        return token, csrf

    def resolve_session(self, token: str) -> SessionRecord | None:
        key = digest(token)
        record = self.accounts.session(key)
        if record is None:
            return None
        now = dt.datetime.now(dt.UTC)
        if (record.user.disabled or now - _parse(record.last_seen) > IDLE_TIMEOUT
                or now - _parse(record.created_at) > ABSOLUTE_TIMEOUT):
            self.accounts.end_session(key)
            return None
        if now - _parse(record.last_seen) > TOUCH_EVERY:
            self.accounts.touch_session(key)
        return record

    def mark_second_factor(self, token: str) -> None:
        self.accounts.touch_session(digest(token), second_factor=True)

    def end_session(self, token: str, actor: Actor) -> None:
        self.accounts.end_session(digest(token))
        self.audit(actor, "logout", "user", str(actor.user.id if actor.user else "-"))

    # ------------------------------------------------------------- API tokens
    def create_token(self, user: User, name: str, actor: Actor) -> str:
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.accounts.add_token(user.id, name or "token", digest(token))
        self.audit(actor, "token.create", "user", str(user.id), name=name)
        return token

    def user_for_token(self, token: str) -> User | None:
        if not token.startswith(TOKEN_PREFIX):
            return None
        user = self.accounts.token_user(digest(token))
        return None if user is None or user.disabled else user

    # ---------------------------------------------------------------- access
    def restricted(self) -> dict[int, ReviewAccess]:
        return self.accounts.restricted_reviews()

    def access(self, review_row: int) -> ReviewAccess:
        """One review's access level and organisations."""
        return self.accounts.review_access(review_row)

    def hidden_for(self, user: User | None) -> frozenset[int]:
        return hidden_reviews(user, self.accounts.restricted_reviews())

    def refuse_lock_out(self, actor: Acting, review_key: str, level: AccessLevel,
                        organisations: list[int]) -> None:
        """Raise LockOut (audited) when the change would shut the actor's own
        organisation out of the review (accounts.policy.locks_out)."""
        user = actor.user if isinstance(actor, Actor) else None
        if user is not None and locks_out(user, level, organisations):
            self.audit(actor, "review.access", "review", review_key, allowed=False,
                       level=level.value, organisations=sorted(organisations),
                       reason="would lock the editor's own organisation out")
            raise LockOut(user.organisation_name or str(user.organisation_id))

    def set_access(self, review_row: int, review_key: str, level: str,
                   organisations: list[int], actor: Acting) -> None:
        """Store a review's access level (the storage step of
        ReviewService.set_access, which adds the publication gate). The
        lock-out rule is checked here too, so no caller can skip it."""
        try:
            access_level = AccessLevel(level)
        except ValueError:
            raise StorfaError(N_("Unknown access level {level!r}."), level=level) from None
        if access_level in (AccessLevel.RESTRICTED, AccessLevel.DRAFT) and not organisations:
            raise StorfaError(N_("A restricted or draft review needs at least one "
                                 "organisation."))
        self.refuse_lock_out(actor, review_key, access_level, organisations)
        self.accounts.set_review_access(review_row, access_level, organisations, actor.name)
        self.audit(actor, "review.access", "review", review_key, level=access_level.value,
                   organisations=sorted(organisations))
