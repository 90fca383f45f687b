"""Referrals as the pages and API reach them: the caller built from the
visitor, and the service's refusals turned into HTTP answers. A referral the
visitor may not see is 404, word for word the same as one that does not exist."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import HTTPException

from storfa.domain.errors import StorfaError
from storfa.referrals.service import Caller, NoSuchReferral, NotAllowed, ReferralService
from storfa.web.context import Visitor


def caller(v: Visitor) -> Caller:
    return Caller(v.actor.name, v.user, detail=v.actor.detail())


def service(v: Visitor) -> ReferralService:
    return v.storfa.referrals


def signed_in(v: Visitor) -> None:
    if v.user is None:
        raise HTTPException(401, "Sign in or send an API token.",
                            headers={"WWW-Authenticate": "Bearer"})


@contextmanager
def answers(v: Visitor) -> Iterator[None]:
    """NoSuchReferral → 404, NotAllowed → 403, other StorfaError → 400."""
    try:
        yield
    except NoSuchReferral as exc:
        raise HTTPException(404, v._("There is no referral with that reference.")) from exc
    except NotAllowed as exc:
        raise HTTPException(403, v.error(exc)) from exc
    except StorfaError as exc:
        problems = getattr(exc, "problems", None)
        if problems is None:
            raise HTTPException(400, v.error(exc)) from exc
        listed = problems if isinstance(problems, dict) else [p.as_json() for p in problems]
        raise HTTPException(400, {"message": str(exc), "problems": listed}) from exc
