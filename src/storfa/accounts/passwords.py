"""Argon2id password hashing (argon2-cffi's defaults follow RFC 9106).

argon2 is imported, and the dummy hash computed, on first use rather than at
import: hashing costs ~0.2 s, and every `storfa` command imports this module
through the CLI, though few of them check a password."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from storfa.domain.errors import N_, StorfaError

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MIN_LENGTH = 10


@cache
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()


@cache
def _dummy() -> str:
    # Verified against when a username does not exist, so a wrong username costs
    # the same time as a wrong password and response times reveal nothing.
    return _hasher().hash("storfa-no-such-user")


def warm() -> None:
    """Computes the dummy hash now (e.g. when a web worker starts), so that
    the first unknown username is not slower than the others."""
    _dummy()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(stored or _dummy(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _hasher().check_needs_rehash(stored)


def password_problem(password: str) -> StorfaError | None:
    """What is wrong with a new password, as the error to raise (its
    template is looked up in the page's language), or None."""
    if len(password) < MIN_LENGTH:
        return StorfaError(N_("Passwords need at least {n} characters."), n=MIN_LENGTH)
    return None
