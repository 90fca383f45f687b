"""Who may see and change a referral: the only place these rules are written.

A referral is personal data about a child or adult. Only the person who made
it, the staff of the organisation that receives it, and administrators see
it; a draft is the referrer's alone. Decisions and steps are recorded by the
receiving organisation's staff. Indicators are aggregates with small numbers
suppressed, so anyone signed in may see them."""

from __future__ import annotations

from storfa.domain.accounts import Role, User
from storfa.domain.referrals import Referral


def _active(user: User | None) -> bool:
    return user is not None and not user.disabled


def can_see(user: User | None, referral: Referral) -> bool:
    if user is None or not _active(user):
        return False
    if referral.referrer_user_id == user.id:
        return True
    if referral.status == "draft":
        return False
    if user.role == Role.ADMINISTRATOR:
        return True
    return user.organisation_id is not None and user.organisation_id == referral.receiving_org_id


def can_edit_draft(user: User | None, referral: Referral) -> bool:
    return (user is not None and _active(user) and referral.status == "draft"
            and referral.referrer_user_id == user.id)


def can_decide(user: User | None, referral: Referral) -> bool:
    """Record decisions and steps: the receiving organisation's staff."""
    return (user is not None and _active(user) and referral.status != "draft"
            and user.organisation_id is not None
            and user.organisation_id == referral.receiving_org_id)


def is_receiving_staff(user: User | None, referral: Referral) -> bool:
    """Sees the full record and earlier referrals about the same child or
    household; the referrer sees their own referral and the feedback only."""
    if user is None or not _active(user) or referral.status == "draft":
        return False
    return user.role == Role.ADMINISTRATOR or (
        user.organisation_id is not None and user.organisation_id == referral.receiving_org_id)


def can_refer(user: User | None) -> bool:
    return _active(user)


def can_see_indicators(user: User | None) -> bool:
    return _active(user)


def can_import(user: User | None) -> bool:
    """Imports add referral-level records received by the importer's organisation."""
    return (user is not None and _active(user) and user.organisation_id is not None
            and user.role in (Role.ADMINISTRATOR, Role.EDITOR))


def can_administer_referrals(user: User | None) -> bool:
    """Say which organisation receives an area's referrals."""
    return user is not None and _active(user) and user.role == Role.ADMINISTRATOR
