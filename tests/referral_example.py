"""Thirty referral records, worked by hand in tests/test_referral_indicators.py.

Three are from 2024 (looked back at for repeats), twenty-seven from 2025 in
Cardiff (C1–C20) and Newport (N1–N7), and one from 2026 outside the period.
Each: (id, area, received, child, source, categories, natures, events) with
events as (kind, date, within timescale or None)."""

from __future__ import annotations

from typing import Any

from storfa.domain.referrals import Event, Referral, ReferralForm

T, F, N = True, False, None
SM, SH, S47, S47C = "strategy_meeting", "strategy_held", "s47", "s47_completed"
Spec = tuple[str, str, str, str, str, tuple[str, ...], tuple[str, ...],
             tuple[tuple[str, str, bool | None], ...]]

RECORDS: list[Spec] = [
    ("L1", "Cardiff", "2024-03-01", "A", "police", ("physical",), (), (("nfa", "2024-03-02", N),)),
    ("L2", "Cardiff", "2024-01-10", "B", "education", ("neglect",), (),
     (("nfa", "2024-01-11", N),)),
    ("L3", "Newport", "2024-06-30", "C", "police", ("physical",), (),
     (("nfa", "2024-07-01", N),)),
    ("C1", "Cardiff", "2025-02-15", "A", "police", ("physical",), ("domestic_abuse",),
     ((SM, "2025-02-15", N), (SH, "2025-02-16", T), (S47, "2025-02-17", N),
      (S47C, "2025-03-01", T), ("icpc", "2025-03-10", N), ("registration", "2025-03-10", N))),
    ("C2", "Cardiff", "2025-01-20", "B", "education", ("neglect",), (),
     (("nfa", "2025-01-21", N),)),
    ("C3", "Cardiff", "2025-03-05", "D", "health", ("neglect",), ("drugs_alcohol",),
     (("early_help", "2025-03-06", N),)),
    ("C4", "Cardiff", "2025-03-20", "D", "health", ("neglect",), ("drugs_alcohol",),
     (("early_help", "2025-03-21", N),)),
    ("C5", "Cardiff", "2025-04-01", "E", "police", ("physical", "emotional"),
     ("domestic_abuse",),
     ((SM, "2025-04-01", N), (SH, "2025-04-03", F), (S47, "2025-04-04", N),
      (S47C, "2025-05-20", F), ("care_support_plan", "2025-06-01", N))),
    ("C6", "Cardiff", "2025-04-01", "F", "education", ("emotional",), ("educational_welfare",),
     (("nfa", "2025-04-02", N),)),
    ("C7", "Cardiff", "2025-05-10", "G", "police", ("sexual",), ("extra_familial_harm",),
     ((SM, "2025-05-10", N), (SH, "2025-05-11", T), (S47, "2025-05-12", N),
      (S47C, "2025-06-01", T), ("icpc", "2025-06-10", N), ("registration", "2025-06-10", N),
      ("looked_after", "2025-06-20", N))),
    ("C8", "Cardiff", "2025-05-11", "H", "health", ("neglect",), (),
     (("care_support", "2025-05-12", N),)),
    ("C9", "Cardiff", "2025-06-01", "I", "third_sector", (), ("young_carer",),
     (("early_help", "2025-06-02", N), ("step_down", "2025-08-01", N))),
    ("C10", "Cardiff", "2025-06-02", "J", "police", ("physical",), ("domestic_abuse",),
     ((SM, "2025-06-02", N), (SH, "2025-06-03", T))),
    ("C11", "Cardiff", "2025-06-03", "K", "education", ("neglect",), ("homelessness",),
     (("nfa", "2025-06-04", N),)),
    ("C12", "Cardiff", "2025-07-01", "E", "police", ("physical",), ("domestic_abuse",),
     ((S47, "2025-07-01", N), (S47C, "2025-07-20", T))),
    ("C13", "Cardiff", "2025-07-15", "L", "family", ("emotional",), (), ()),
    ("C14", "Cardiff", "2025-08-01", "M", "education", ("neglect",), (),
     (("nfa", "2025-08-02", N),)),
    ("C15", "Cardiff", "2025-08-01", "M", "health", ("neglect",), (),
     (("nfa", "2025-08-02", N),)),
    ("C16", "Cardiff", "2025-09-09", "N", "police", ("physical",), ("drugs_alcohol",),
     ((SM, "2025-09-09", N), (SH, "2025-09-15", F))),
    ("C17", "Cardiff", "2025-10-10", "O", "health", (), ("health",),
     (("care_support", "2025-10-11", N), ("care_support_plan", "2025-11-01", N))),
    ("C18", "Cardiff", "2025-11-11", "P", "education", ("neglect", "emotional"),
     ("domestic_abuse",),
     ((S47, "2025-11-11", N), (S47C, "2025-12-20", F), ("icpc", "2025-12-28", N))),
    ("C19", "Cardiff", "2025-12-31", "Q", "police", ("physical",), (),
     (("nfa", "2025-12-31", N),)),
    ("C20", "Cardiff", "2025-12-01", "G", "police", ("sexual",), ("extra_familial_harm",),
     (("early_help", "2025-12-02", N), ("step_down", "2025-12-20", N))),
    ("N1", "Newport", "2025-06-30", "C", "police", ("physical",), ("domestic_abuse",),
     ((SM, "2025-06-30", N), (SH, "2025-07-01", T), (S47, "2025-07-02", N))),
    ("N2", "Newport", "2025-02-01", "R", "education", ("neglect",), (),
     (("nfa", "2025-02-02", N),)),
    ("N3", "Newport", "2025-03-01", "S", "health", ("neglect",), (),
     (("early_help", "2025-03-02", N),)),
    ("N4", "Newport", "2025-04-01", "T", "police", ("sexual",), (),
     ((S47, "2025-04-01", N), (S47C, "2025-04-20", T), ("looked_after", "2025-05-01", N))),
    ("N5", "Newport", "2025-05-01", "U", "education", ("emotional",), ("bereavement",),
     (("nfa", "2025-05-02", N),)),
    ("N6", "Newport", "2025-09-01", "V", "third_sector", (), ("homelessness",),
     (("care_support", "2025-09-02", N),)),
    ("N7", "Newport", "2025-10-01", "R", "education", ("neglect",), (),
     (("early_help", "2025-10-02", N),)),
    ("X1", "Cardiff", "2026-01-05", "Q", "police", ("physical",), (),
     (("nfa", "2026-01-06", N),)),
]


def referrals() -> list[Referral]:
    out = []
    for n, (_, area, day, child, source, cats, nats, events) in enumerate(RECORDS, start=1):
        out.append(Referral(
            id=n, reference=None, status="decided" if events else "submitted", origin="import",
            form=ReferralForm(local_authority=area, source=source, categories=cats,
                              natures=nats),
            referrer_user_id=None, referrer_org_id=None, receiving_org_id=None,
            child_key=f"child-{child}", household_key=None, received_on=day,
            created_at=day, updated_at=day,
            events=tuple(Event(k, d, w) for k, d, w in events)))
    return out


_STEP_COLUMNS = {"strategy_held": "strategy_held_date", "s47_completed": "s47_completed_date",
                 "icpc": "icpc_date", "registration": "registration_date",
                 "care_support_plan": "care_support_plan_date",
                 "looked_after": "looked_after_date", "step_down": "step_down_date"}


def csv_rows() -> list[dict[str, Any]]:
    """The same records as rows of the import schema (docs/referrals.md)."""
    rows = []
    for ident, area, day, child, source, cats, nats, events in RECORDS:
        row: dict[str, Any] = {"external_id": ident, "local_authority": area,
                               "received_date": day, "child_id": child, "household_id": "",
                               "source": source, "categories": "; ".join(cats),
                               "natures": "; ".join(nats)}
        decisions = [(k, d) for k, d, _ in events if k in ("nfa", "early_help", "care_support",
                                                            SM, S47)]
        if decisions:
            row["decision"], row["decision_date"] = decisions[0]
        for kind, d in decisions[1:]:
            assert kind == S47, ident
            row["s47_date"] = d
        for kind, d, within in events:
            if kind in _STEP_COLUMNS:
                row[_STEP_COLUMNS[kind]] = d
                if within is not None:
                    row[kind.replace("_held", "").replace("_completed", "") + "_within"] = (
                        "yes" if within else "no")
        rows.append(row)
    return rows
