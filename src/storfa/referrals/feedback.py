"""What the referrer is told about their referral, and no more.

A referrer is entitled to know that their referral was received and what was
decided (with any advice or signposting meant for them), so they can act on
it; later steps in a child's or adult's care (conference, register, looked
after) are not theirs to know. Every message says so (model.FEEDBACK_LIMIT).

The message is in English and then Welsh. The language a referrer reads is
not known when a decision is recorded (the e-mail may go to a shared
address), and Welsh public bodies write bilingually; the Welsh comes from
the web catalogue (web/locale/cy), so there is one place to correct it."""

from __future__ import annotations

from collections.abc import Callable

from storfa.domain.referrals import DECISIONS, FEEDBACK_LIMIT, REFERRER_SEES, Event, Referral

SUBJECT = "Your referral {reference}: a decision"
RECEIVED = "Referral {reference}, received {received}."
DECIDED = "Decision on {date}: {decision}."
ADVICE = "Advice or signposting for you: {note}"
WELSH_FOLLOWS = "Cymraeg"


def referrer_events(referral: Referral) -> tuple[Event, ...]:
    """The events a referrer sees: decisions, with their notes (advice for them)."""
    return tuple(e for e in referral.events if e.kind in REFERRER_SEES)


def _welsh() -> Callable[[str], str]:
    from storfa.web.i18n import translations  # the catalogue: read once, cached

    return translations("cy").gettext


def _lines(referral: Referral, event: Event, _: Callable[[str], str]) -> list[str]:
    lines = [_(RECEIVED).format(reference=referral.reference, received=referral.received_on),
             _(DECIDED).format(date=event.on_date, decision=_(DECISIONS[event.kind]))]
    if event.note:  # the team's own words: passed on as written
        lines.append(_(ADVICE).format(note=event.note))
    lines.append(_(FEEDBACK_LIMIT))
    return lines


def feedback_message(referral: Referral, event: Event) -> str | None:
    """The notice and e-mail for a newly recorded event, English then Welsh;
    None when the referrer is not told about this kind of event."""
    if event.kind not in REFERRER_SEES:
        return None
    return "\n".join([*_lines(referral, event, str), "", f"--- {WELSH_FOLLOWS} ---",
                      *_lines(referral, event, _welsh())])


def feedback_subject(referral: Referral) -> str:
    return (f"{SUBJECT.format(reference=referral.reference)} / "
            f"{_welsh()(SUBJECT).format(reference=referral.reference)}")
