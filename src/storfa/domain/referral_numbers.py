"""Referral reference numbers: `RF-7K3QD-M9X2P-Z`.

Ten random Crockford base32 characters (50 bits from `secrets`, so a
reference says nothing about the child, the area or the order of referrals
and cannot be guessed from another one) and a check symbol: the value of the
ten characters modulo 37, written with Crockford's check alphabet. Because 37
is prime and larger than the alphabet, every single mistyped character and
every swap of two neighbouring characters changes the check symbol, so such
a reference is caught before any lookup is made.

Reading is tolerant the way Crockford intends: any case, spaces and hyphens
ignored, O read as 0 and I or L as 1, the RF prefix optional.
"""

from __future__ import annotations

import secrets

from storfa.domain.errors import StorfaError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_ALPHABET = ALPHABET + "*~$=U"
PREFIX = "RF"
LENGTH = 10  # random characters; 32**10 ≈ 1.1e15 references
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_READ_AS = {"O": "0", "I": "1", "L": "1"}


class BadReference(StorfaError):
    """Text that is not a well-formed reference, or whose check symbol is wrong."""


def check_symbol(body: str) -> str:
    value = 0
    for char in body:
        value = value * 32 + _VALUE[char]
    return CHECK_ALPHABET[value % 37]


def new_reference() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return format_reference(body + check_symbol(body))


def format_reference(compact: str) -> str:
    """`7K3QDM9X2PZ` → `RF-7K3QD-M9X2P-Z`."""
    return f"{PREFIX}-{compact[:5]}-{compact[5:10]}-{compact[10:]}"


def parse_reference(text: str) -> str:
    """The canonical form of a typed reference, or BadReference saying what is wrong."""
    compact = "".join(ch for ch in text.upper() if ch not in " -\t")
    if compact.startswith(PREFIX) and len(compact) == len(PREFIX) + LENGTH + 1:
        compact = compact[len(PREFIX):]
    if len(compact) != LENGTH + 1:
        raise BadReference("A referral reference looks like RF-7K3QD-M9X2P-Z "
                           "(ten characters and a check character).")
    body = "".join(_READ_AS.get(ch, ch) for ch in compact[:LENGTH])
    check = _READ_AS.get(compact[-1], compact[-1])
    if any(ch not in _VALUE for ch in body) or check not in CHECK_ALPHABET:
        raise BadReference("That reference has a character references never use.")
    if check_symbol(body) != check:
        raise BadReference("That reference has been mistyped: its check character does not "
                           "match. Look at it again.")
    return format_reference(body + check)
