"""What the referrer is told about their referral, and no more.

A referrer is entitled to know that their referral was received and what was
decided (with any advice or signposting meant for them), so they can act on
it; later steps in a child's or adult's care (conference, register, looked
after) are not theirs to know. Every message says so (model.FEEDBACK_LIMIT)."""

from __future__ import annotations

from storfa.referrals.model import DECISIONS, FEEDBACK_LIMIT, REFERRER_SEES, Event, Referral


def referrer_events(referral: Referral) -> tuple[Event, ...]:
    """The events a referrer sees: decisions, with their notes (advice for them)."""
    return tuple(e for e in referral.events if e.kind in REFERRER_SEES)


def feedback_message(referral: Referral, event: Event) -> str | None:
    """The notice and e-mail for a newly recorded event; None when the
    referrer is not told about this kind of event."""
    if event.kind not in REFERRER_SEES:
        return None
    lines = [f"Referral {referral.reference}, received {referral.received_on}.",
             f"Decision on {event.on_date}: {DECISIONS[event.kind]}."]
    if event.note:
        lines.append(f"Advice or signposting for you: {event.note}")
    lines.append(FEEDBACK_LIMIT)
    return "\n".join(lines)
