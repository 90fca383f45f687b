"""Referral pages: refer a concern (a draft kept, required fields checked),
my referrals with status and feedback, the receiving team's queue with
filters, one referral with earlier referrals about the same child or
household, and the indicators with CSV export (docs/referrals.md).

Thin over referrals.service: a referral the visitor may not see is the 404
page a missing reference gets (web.referral_door.answers)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException
from fastapi.responses import RedirectResponse, Response

from storfa.analysis.export import MEDIA_TYPES
from storfa.analysis.tables import table_bytes
from storfa.domain.errors import StorfaError
from storfa.domain.referrals import (
    CATEGORIES,
    DECISIONS,
    NATURES,
    SOURCES,
    STEPS,
    TIMED,
    QueueFilters,
    ReferralForm,
)
from storfa.referrals import access
from storfa.referrals.indicators import EXPORT_COLUMNS, LEVELS, export_rows
from storfa.referrals.service import FormProblems
from storfa.referrals.trend import DIFFERENT_COUNTING, MEASURES, Trend
from storfa.web.context import Visitor, visitor
from storfa.web.params import RowId
from storfa.web.referral_door import answers, caller, service
from storfa.web.render import render
from storfa.web.trend_chart import chart

router = APIRouter()
V = Annotated[Visitor, Depends(visitor)]
Short = Annotated[str, Form(max_length=500)]
Long = Annotated[str, Form(max_length=10_000)]
Many = Annotated[list[str] | None, Form()]


def _signed_in(v: Visitor) -> None:
    if v.user is None:
        raise HTTPException(401)


def _choices(v: Visitor) -> dict[str, Any]:
    return {"areas": service(v).open_areas(), "sources": SOURCES, "categories": CATEGORIES,
            "natures": NATURES, "decisions": DECISIONS, "steps": STEPS, "timed": TIMED}


@router.get("/referrals")
def my_referrals(v: V) -> Response:
    _signed_in(v)
    s, who = service(v), caller(v)
    with answers(v):
        mine = s.mine(who)
    # A link to the queue for those who have one: receiving teams and administrators.
    receivers = set(s.sql.receivers().values())
    receiving = v.user is not None and (v.user.role.value == "administrator"
                                        or v.user.organisation_id in receivers)
    return render(v, "referrals/index.html", referrals=mine, notices=s.notices(who),
                  receiving=receiving)


@router.get("/referrals/new")
def new_form(v: V) -> Response:
    _signed_in(v)
    return render(v, "referrals/form.html", form=ReferralForm(), draft_id=None, problems={},
                  **_choices(v))


@router.get("/referrals/draft/{draft_id}")
def edit_draft(v: V, draft_id: RowId) -> Response:
    _signed_in(v)
    with answers(v):
        draft = service(v).get(caller(v), draft_id)
    if not access.can_edit_draft(v.user, draft):
        return RedirectResponse(f"/referrals/r/{draft.reference}", status_code=303)
    return render(v, "referrals/form.html", form=draft.form, draft_id=draft.id, problems={},
                  **_choices(v))


@router.post("/referrals/new")
def save_form(v: V, csrf_token: Annotated[str, Form()] = "", action: Short = "save",
              draft_id: Short = "", local_authority: Short = "", source: Short = "",
              referrer_email: Short = "", subject_type: Short = "child",
              subject_name: Short = "", subject_dob: Short = "", household_address: Short = "",
              household_members: Long = "", categories: Many = None, natures: Many = None,
              observed: Long = "", actions_taken: Long = "") -> Response:
    _signed_in(v)
    v.check_csrf(csrf_token)
    form = ReferralForm(local_authority=local_authority, source=source,
                        referrer_email=referrer_email.strip(), subject_type=subject_type,
                        subject_name=subject_name.strip(), subject_dob=subject_dob.strip(),
                        household_address=household_address.strip(),
                        household_members=household_members.strip(),
                        categories=tuple(categories or ()), natures=tuple(natures or ()),
                        observed=observed.strip(), actions_taken=actions_taken.strip())
    s, who = service(v), caller(v)
    with answers(v):
        draft = s.save_draft(who, form, int(draft_id) if draft_id.isdigit() else None)
        if action != "submit":
            return render(v, "referrals/form.html", form=draft.form, draft_id=draft.id,
                          problems={}, saved=True, **_choices(v))
        try:
            sent = s.submit(who, draft.id)
        except FormProblems as exc:
            return render(v, "referrals/form.html", status=400, form=draft.form,
                          draft_id=draft.id, problems=exc.problems, **_choices(v))
    return RedirectResponse(f"/referrals/r/{sent.reference}?sent=1", status_code=303)


@router.get("/referrals/queue")
def queue(v: V) -> Response:
    _signed_in(v)
    q = v.request.query_params
    filters = QueueFilters(status=q.get("status", ""), local_authority=q.get("area", ""),
                           category=q.get("category", ""), received_from=q.get("from", ""),
                           received_to=q.get("to", ""))
    with answers(v):
        found = service(v).queue(caller(v), filters)
    return render(v, "referrals/queue.html", referrals=found, filters=filters,
                  **_choices(v))


@router.get("/referrals/r/{reference}")
def detail(v: V, reference: str) -> Response:
    _signed_in(v)
    with answers(v):
        view = service(v).view(caller(v), reference)
    return render(v, "referrals/detail.html", view=view, r=view.referral,
                  sent=v.request.query_params.get("sent") == "1", **_choices(v))


@router.post("/referrals/r/{reference}/events")
def record(v: V, reference: str, csrf_token: Annotated[str, Form()] = "", kind: Short = "",
           on_date: Short = "", within: Short = "", note: Long = "") -> Response:
    _signed_in(v)
    v.check_csrf(csrf_token)
    answer = {"yes": True, "no": False}.get(within)
    with answers(v):
        service(v).record(caller(v), reference, kind, on_date.strip(), answer, note)
    return RedirectResponse(f"/referrals/r/{reference}", status_code=303)


def _table(v: Visitor) -> tuple[Any, str, str]:
    q = v.request.query_params
    period, level = q.get("period", "").strip(), q.get("level", "local_authority")
    if not period:
        return None, period, level
    with answers(v):
        return service(v).indicators(caller(v), period, level), period, level


def _trend(v: Visitor, period: str, level: str) -> Trend | None:
    """The trend below the table: same period and level, and the area,
    indicator, measure and number of periods chosen (defaults otherwise)."""
    if not period:
        return None
    q = v.request.query_params
    count = q.get("count", "4")
    if not count.isdigit():
        raise StorfaError(v._("Give the number of periods as a whole number."))
    with answers(v):
        return service(v).trend(caller(v), period, int(count), level, q.get("area", ""),
                                q.get("indicator", "referrals") or "referrals",
                                q.get("measure", "number") or "number")


def _charts(trend: Trend) -> dict[str, Any]:
    """Chart geometry for the page: a small line per indicator, and the
    comparison across areas (at most COMPARED lines; the table has them all)."""
    periods = list(trend.periods)
    sparks = {s.key: chart(periods, [(s.label, s.values(trend.measure))], 160, 48,
                           legend=False) for s in trend.series}
    shown = sorted(trend.comparison, key=lambda s: s.area != trend.area)[:COMPARED]
    return {"sparks": sparks, "shown": len(shown),
            "main": chart(periods, [(trend.area, trend.chosen().values(trend.measure))]),
            "compare": chart(periods, [(s.area, s.values(trend.measure)) for s in shown])}


COMPARED = 8  # more lines than this cannot be told apart


@router.get("/indicators")
def indicators_page(v: V) -> Response:
    _signed_in(v)
    try:
        table, period, level = _table(v)
        trend = _trend(v, period, level)
    except (HTTPException, StorfaError) as exc:
        if isinstance(exc, HTTPException) and exc.status_code != 400:
            raise
        message = str(exc.detail) if isinstance(exc, HTTPException) else v.error(exc)
        return render(v, "referrals/indicators.html", status=400, table=None, period="",
                      level="local_authority", levels=LEVELS, error=message, trend=None,
                      measures=MEASURES, note=DIFFERENT_COUNTING)
    return render(v, "referrals/indicators.html", table=table, period=period, level=level,
                  levels=LEVELS, error=None, trend=trend, measures=MEASURES,
                  note=DIFFERENT_COUNTING, **(_charts(trend) if trend else {}))


@router.get("/indicators/export.{fmt}")
def indicators_export(v: V, fmt: str) -> Response:
    _signed_in(v)
    if fmt not in ("csv", "xlsx"):
        raise HTTPException(404)
    table, _, _ = _table(v)
    if table is None:
        raise StorfaError(v._("Choose a period."))
    data = table_bytes(fmt, "indicators", EXPORT_COLUMNS, export_rows(table))
    return Response(data, media_type=MEDIA_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="storfa-indicators.{fmt}"'})
