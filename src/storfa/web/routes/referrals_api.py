"""Referrals and indicators in the JSON API under /api/v1 (docs/referrals.md).

Only the referrer, the receiving organisation's staff and administrators see
a referral; anyone else gets the 404 a missing reference gets. Indicators
are aggregates with small numbers suppressed in every response and export."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, HTTPException, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from storfa.analysis.export import MEDIA_TYPES
from storfa.analysis.tables import table_bytes
from storfa.domain.referrals import QueueFilters, ReferralForm
from storfa.referrals.importer import template
from storfa.referrals.indicators import EXPORT_COLUMNS, export_rows
from storfa.referrals.present import event_json, summary_json, view_json
from storfa.web.params import file_responses
from storfa.web.referral_door import answers, caller, service, signed_in
from storfa.web.routes.api import PROBLEMS, V

router = APIRouter(responses=PROBLEMS)
SPREADSHEETS = file_responses(MEDIA_TYPES["csv"], MEDIA_TYPES["xlsx"])
MAX_IMPORT = 100 * 1024 * 1024
Level = Literal["local_authority", "region", "all"]
Period = Annotated[str, Query(max_length=20, description="2025, 2025-Q2 or 2025-26")]


class ReferralIn(BaseModel):
    local_authority: str = Field("", max_length=100)
    source: str = Field("", max_length=50)
    referrer_email: str = Field("", max_length=254)
    subject_type: Literal["child", "adult"] = "child"
    subject_name: str = Field("", max_length=200)
    subject_dob: str = Field("", max_length=10, description="YYYY-MM-DD, if known")
    household_address: str = Field("", max_length=500)
    household_members: str = Field("", max_length=1000)
    categories: list[str] = Field(default_factory=list, max_length=20)
    natures: list[str] = Field(default_factory=list, max_length=20)
    observed: str = Field("", max_length=10_000)
    actions_taken: str = Field("", max_length=5_000)
    submit: bool = Field(True, description="Send it now (false keeps a draft).")

    def form(self) -> ReferralForm:
        data = self.model_dump(exclude={"submit"})
        data["categories"], data["natures"] = tuple(self.categories), tuple(self.natures)
        return ReferralForm(**data)


class EventIn(BaseModel):
    kind: str = Field(max_length=40, description="A decision or a later step.")
    on_date: str = Field(max_length=10, description="YYYY-MM-DD")
    within_timescale: bool | None = None
    note: str = Field("", max_length=2000, description="Advice or signposting for the "
                      "referrer, with a decision.")


@router.post("/referrals", status_code=201)
def create_referral(v: V, body: ReferralIn) -> dict[str, Any]:
    """Refer a concern: with `submit` (the default) it is checked and sent and
    gets its reference number at once; otherwise a draft is kept."""
    signed_in(v)
    s, who = service(v), caller(v)
    with answers(v):
        made = s.refer(who, body.form()) if body.submit else s.save_draft(who, body.form())
    return {**summary_json(made), "reference": made.reference}


@router.get("/referrals")
def list_referrals(v: V, mine: bool = False,
                   status: Annotated[str, Query(max_length=20)] = "",
                   local_authority: Annotated[str, Query(max_length=100)] = "",
                   category: Annotated[str, Query(max_length=50)] = "",
                   received_from: Annotated[str, Query(max_length=10)] = "",
                   received_to: Annotated[str, Query(max_length=10)] = "",
                   limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> dict[str, Any]:
    """The caller's own referrals (`mine`), or the receiving team's queue."""
    signed_in(v)
    with answers(v):
        found = service(v).mine(caller(v)) if mine else service(v).queue(
            caller(v), QueueFilters(status=status, local_authority=local_authority,
                                    category=category, received_from=received_from,
                                    received_to=received_to, limit=limit))
    return {"referrals": [summary_json(r) for r in found]}


@router.get("/referrals/notices")
def referral_notices(v: V) -> dict[str, Any]:
    """Feedback on the caller's referrals, newest first."""
    signed_in(v)
    return {"notices": [{"reference": n.reference, "message": n.message,
                         "created_at": n.created_at, "read": n.read_at is not None}
                        for n in service(v).notices(caller(v))]}


@router.get("/referrals/template.{fmt}", response_class=Response, responses=SPREADSHEETS)
def referral_template(v: V, fmt: Literal["csv", "xlsx"]) -> Response:
    """An empty import file with the schema's columns."""
    return Response(template(fmt), media_type=MEDIA_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="storfa-referrals-template.{fmt}"'})


@router.post("/referrals/import")
async def import_referrals(v: V, file: Annotated[UploadFile, File()]) -> dict[str, Any]:
    """Import a referral-level CSV or XLSX: all rows, or none with every problem."""
    signed_in(v)
    data = await file.read(MAX_IMPORT + 1)
    if len(data) > MAX_IMPORT:
        raise HTTPException(413, "The file is larger than 100 MB.")
    with answers(v):
        result = service(v).import_file(caller(v), data, file.filename or "upload.csv")
    return {"batch": result.batch, "imported": result.imported}


@router.get("/referrals/{reference}")
def get_referral(v: V, reference: str) -> dict[str, Any]:
    """One referral, as much of it as the caller may see (audited)."""
    signed_in(v)
    with answers(v):
        return view_json(service(v).view(caller(v), reference))


@router.post("/referrals/{reference}/events", status_code=201)
def record_event(v: V, reference: str, body: EventIn) -> dict[str, Any]:
    """Record a decision or later step (the receiving team); decisions are fed back."""
    signed_in(v)
    with answers(v):
        event = service(v).record(caller(v), reference, body.kind, body.on_date,
                                  body.within_timescale, body.note)
    return {"reference": reference, "event": event_json(event)}


@router.get("/indicators")
def indicators(v: V, period: Period, level: Level = "local_authority") -> dict[str, Any]:
    """The NMSPF-C prototype indicators; counts under the threshold are null
    with `suppressed: true`."""
    signed_in(v)
    with answers(v):
        return service(v).indicators(caller(v), period, level).as_json()


@router.get("/indicators/export.{fmt}", response_class=Response, responses=SPREADSHEETS)
def indicators_export(v: V, fmt: Literal["csv", "xlsx"], period: Period,
                      level: Level = "local_authority") -> Response:
    signed_in(v)
    with answers(v):
        table = service(v).indicators(caller(v), period, level)
    data = table_bytes(fmt, "indicators", EXPORT_COLUMNS, export_rows(table))
    return Response(data, media_type=MEDIA_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="storfa-indicators-{table.period.label}'
                               f'.{fmt}"'})


@router.get("/indicators/trend")
def indicators_trend(v: V, period: Period,
                     count: Annotated[int, Query(ge=1, le=20, description=(
                         "How many periods, of the same kind, ending with `period`."))] = 4,
                     level: Level = "local_authority",
                     area: Annotated[str, Query(max_length=100, description=(
                         "The area whose indicators are followed (default: the first)."))] = "",
                     indicator: Annotated[str, Query(max_length=60, description=(
                         "The indicator compared across areas."))] = "referrals",
                     measure: Literal["number", "percent", "rate"] = "number"
                     ) -> dict[str, Any]:
    """Each indicator over the periods for one area (`series`), and one
    indicator for every area (`comparison`). Suppressed points are null with
    `suppressed: true`: gaps, not zeros. Areas count differently (`note`)."""
    signed_in(v)
    with answers(v):
        return service(v).trend(caller(v), period, count, level, area, indicator,
                                measure).as_json()
