"""Referrals as JSON: the one shape the CLI and the API print."""

from __future__ import annotations

from typing import Any

from storfa.domain.referrals import EVENTS, FEEDBACK_LIMIT, Event, Referral
from storfa.referrals.service import ReferralView


def event_json(e: Event) -> dict[str, Any]:
    return {"kind": e.kind, "label": EVENTS.get(e.kind, e.kind), "on_date": e.on_date,
            "within_timescale": e.within_timescale, "note": e.note}


def summary_json(r: Referral) -> dict[str, Any]:
    """A line of a list: no names, dates of birth or addresses."""
    d = r.decision
    return {"reference": r.reference, "id": r.id, "status": r.status, "origin": r.origin,
            "local_authority": r.form.local_authority or None, "source": r.form.source or None,
            "received_on": r.received_on, "subject_type": r.form.subject_type,
            "categories": list(r.form.categories), "natures": list(r.form.natures),
            "decision": d.kind if d else None, "decision_date": d.on_date if d else None}


def view_json(view: ReferralView) -> dict[str, Any]:
    r, f = view.referral, view.referral.form
    out = {**summary_json(r), "subject_name": f.subject_name or None,
           "subject_dob": f.subject_dob or None,
           "household_address": f.household_address or None,
           "household_members": f.household_members or None, "observed": f.observed or None,
           "actions_taken": f.actions_taken or None, "referrer_email": f.referrer_email or None,
           "events": [event_json(e) for e in view.events]}
    if view.staff:
        out["earlier"] = [{**summary_json(o),
                           "same": "child" if o.child_key and o.child_key == r.child_key
                           else "household"} for o in view.related]
    else:
        out["feedback_limit"] = FEEDBACK_LIMIT
    return out
