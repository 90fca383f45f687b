"""`storfa referrals ...` and `storfa indicators ...`: referrals with reference
numbers and feedback, and the children's performance indicators
(docs/referrals.md). Thin: each command calls referrals.service.

The command line holds the database, so without --as it acts as the
operator and sees every referral; --as USER acts as that person, with their
rights (audited under their name, noting the command line)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich import box
from rich.markup import escape
from rich.table import Table as RichTable

from storfa.cli.context import services
from storfa.cli.options import JsonOpt
from storfa.cli.output import emit_json, fail, out
from storfa.domain.errors import StorfaError

if TYPE_CHECKING:
    from storfa.referrals.service import Caller, ReferralService

referrals_app = typer.Typer(
    help="Referrals: submit, list, show, decide, import, export, expire; who receives them.",
    no_args_is_help=True)
indicators_app = typer.Typer(
    help="Children's performance indicators (NMSPF-C prototype) from referral records.",
    no_args_is_help=True)

AsOpt = Annotated[str | None, typer.Option(
    "--as", help="Act as this user, with their rights (default: the operator, who sees all).",
    show_default=False)]
RefArg = Annotated[str, typer.Argument(metavar="REFERENCE", help="e.g. RF-7K3QD-M9X2P-Z.")]
Many = Annotated[list[str] | None, typer.Option(show_default=False)]
PeriodOpt = Annotated[str, typer.Option(
    "--period", help="A year (2025), quarter (2025-Q2) or financial year (2025-26).")]
LevelOpt = Annotated[str, typer.Option(
    "--level", help="local_authority, region or all.")]
ThresholdOpt = Annotated[int | None, typer.Option(
    "--threshold", help="Suppress counts below this (default $STORFA_SUPPRESS_BELOW, 5).",
    show_default=False)]


def _service(ctx: typer.Context) -> ReferralService:

    return services(ctx).referrals


def _caller(ctx: typer.Context, username: str | None) -> Caller:
    from storfa.ingest.pipeline import cli_actor
    from storfa.referrals.service import Caller

    if username is None:
        return Caller(cli_actor(), operator=True, detail={"via": "cli"})
    user = services(ctx).accounts.accounts.user_by_name(username)
    if user is None:
        raise StorfaError(f"No user called {username!r}.")
    return Caller(user.actor, user, detail={"role": user.role.value,
                                            "organisation": user.organisation_name,
                                            "via": "cli", "operator": cli_actor()})


def _fail(exc: StorfaError, as_json: bool) -> NoReturn:
    problems = getattr(exc, "problems", None)
    if as_json and problems is not None:
        listed = (problems if isinstance(problems, dict)
                  else [p.as_json() for p in problems])
        emit_json({"error": str(exc), "problems": listed})
        raise typer.Exit(1)
    fail(str(exc), as_json)


@referrals_app.command("receiver")
def receiver_cmd(ctx: typer.Context,
                 area: Annotated[str, typer.Argument(help="Local authority area.")],
                 org: Annotated[str, typer.Option("--org", help="Receiving organisation.")],
                 as_user: AsOpt = None, as_json: JsonOpt = False) -> None:
    """Say which organisation (duty team, hub or MASH) receives an area's referrals."""
    try:
        _service(ctx).set_receiver(_caller(ctx, as_user), area, org)
        receivers = _service(ctx).receivers()
    except StorfaError as exc:
        _fail(exc, as_json)
    if as_json:
        emit_json({"receivers": receivers})
        return
    for la, name in receivers.items():
        out.print(f"{la}: {name}")


@referrals_app.command("submit")
def submit_cmd(
    ctx: typer.Context,
    as_user: Annotated[str, typer.Option("--as", help="The referrer's username.")],
    area: Annotated[str, typer.Option("--area", help="Local authority where they live.")],
    source: Annotated[str, typer.Option("--source", help="Your agency: police, health, "
                                        "education, local_authority, third_sector, probation, "
                                        "family, other.")],
    name: Annotated[str, typer.Option("--name", help="The child's or adult's name.")],
    address: Annotated[str, typer.Option("--address", help="The household's address.")],
    observed: Annotated[str, typer.Option("--observed", help="What you saw or were told.")],
    actions: Annotated[str, typer.Option("--actions", help="What you have done so far.")],
    dob: Annotated[str, typer.Option("--dob", help="Date of birth, if known.")] = "",
    adult: Annotated[bool, typer.Option("--adult", help="The concern is about an adult.")]
    = False,
    category: Many = None, nature: Many = None,
    email: Annotated[str, typer.Option("--email", help="Where to e-mail feedback.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Refer a concern; prints its reference number (--category/--nature may repeat)."""
    from storfa.domain.referrals import ReferralForm

    form = ReferralForm(local_authority=area, source=source, referrer_email=email,
                        subject_type="adult" if adult else "child", subject_name=name,
                        subject_dob=dob, household_address=address,
                        categories=tuple(category or ()), natures=tuple(nature or ()),
                        observed=observed, actions_taken=actions)
    try:
        sent = _service(ctx).refer(_caller(ctx, as_user), form)
    except StorfaError as exc:
        _fail(exc, as_json)
    if as_json:
        emit_json({"reference": sent.reference, "status": sent.status,
                   "received_on": sent.received_on})
        return
    out.print(f"Referral sent. Reference: [bold]{sent.reference}[/]")


@referrals_app.command("list")
def list_cmd(
    ctx: typer.Context, as_user: AsOpt = None,
    mine: Annotated[bool, typer.Option("--mine", help="Referrals I made (with --as).")] = False,
    area: Annotated[str, typer.Option("--area", help="Only this local authority.")] = "",
    status: Annotated[str, typer.Option("--status", help="submitted or decided.")] = "",
    category: Annotated[str, typer.Option("--category", help="A category or nature.")] = "",
    since: Annotated[str, typer.Option("--from", help="Received on or after, YYYY-MM-DD.")]
    = "",
    until: Annotated[str, typer.Option("--to", help="Received on or before, YYYY-MM-DD.")]
    = "",
    limit: Annotated[int, typer.Option("--limit", help="At most this many.")] = 200,
    as_json: JsonOpt = False,
) -> None:
    """The receiving team's queue (or, with --mine, the referrer's own referrals)."""
    from storfa.domain.referrals import QueueFilters
    from storfa.referrals.present import summary_json

    try:
        caller = _caller(ctx, as_user)
        found = (_service(ctx).mine(caller) if mine else _service(ctx).queue(
            caller, QueueFilters(status=status, local_authority=area, category=category,
                                 received_from=since, received_to=until, limit=limit)))
    except StorfaError as exc:
        _fail(exc, as_json)
    rows = [summary_json(r) for r in found]
    if as_json:
        emit_json({"referrals": rows})
        return
    table = RichTable(box=box.SIMPLE, title=f"{len(rows)} referrals")
    for col in ("reference", "received", "area", "source", "status", "decision"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["reference"] or f"draft {r['id']}", r["received_on"] or "",
                      escape(r["local_authority"] or ""), r["source"] or "", r["status"],
                      r["decision"] or "")
    out.print(table)


@referrals_app.command("show")
def show_cmd(ctx: typer.Context, reference: RefArg, as_user: AsOpt = None,
             as_json: JsonOpt = False) -> None:
    """One referral: what the caller may see of it, with its decisions and steps."""
    from storfa.referrals.present import view_json

    try:
        data = view_json(_service(ctx).view(_caller(ctx, as_user), reference))
    except StorfaError as exc:
        _fail(exc, as_json)
    if as_json:
        emit_json(data)
        return
    for key, value in data.items():
        if key not in ("events", "earlier") and value not in (None, [], ""):
            out.print(f"[bold]{key}[/]: {escape(str(value))}")
    for e in data["events"]:
        within = {True: " (within timescale)", False: " (outside timescale)"}.get(
            e["within_timescale"], "")
        out.print(f"  {e['on_date']}  {e['label']}{within}")
    for o in data.get("earlier", []):
        out.print(f"  earlier ({o['same']}): {o['reference']} {o['received_on']}")


@referrals_app.command("decide")
def decide_cmd(
    ctx: typer.Context, reference: RefArg,
    kind: Annotated[str, typer.Argument(help="nfa, early_help, care_support, strategy_meeting, "
                                        "s47, strategy_held, s47_completed, icpc, "
                                        "registration, care_support_plan, looked_after, "
                                        "step_down, deregistration.")],
    on: Annotated[str, typer.Option("--date", help="When it happened, YYYY-MM-DD "
                                    "(default today).")] = "",
    within: Annotated[bool | None, typer.Option(
        "--within/--outside", help="Within timescale (strategy_held, s47_completed).",
        show_default=False)] = None,
    note: Annotated[str, typer.Option("--note", help="Advice or signposting for the "
                                      "referrer (decisions).")] = "",
    as_user: AsOpt = None, as_json: JsonOpt = False,
) -> None:
    """Record a decision or a later step; the referrer is told of decisions."""
    from storfa.referrals.present import event_json

    try:
        event = _service(ctx).record(_caller(ctx, as_user), reference, kind,
                                     on or dt.date.today().isoformat(), within, note)
    except StorfaError as exc:
        _fail(exc, as_json)
    if as_json:
        emit_json({"reference": reference, "event": event_json(event)})
        return
    out.print(f"Recorded: {event.kind} on {event.on_date}")


@referrals_app.command("import")
def import_cmd(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A CSV or XLSX file (see `referrals template`).",
                                         exists=True, dir_okay=False)],
    org: Annotated[str | None, typer.Option("--org", help="The organisation that received "
                                            "them (operator).", show_default=False)] = None,
    as_user: AsOpt = None, as_json: JsonOpt = False,
) -> None:
    """Import referral-level records: every row is checked; all are added, or none."""
    try:
        result = _service(ctx).import_file(_caller(ctx, as_user), path.read_bytes(),
                                           path.name, organisation=org)
    except StorfaError as exc:
        _fail(exc, as_json)
    if as_json:
        emit_json({"batch": result.batch, "imported": result.imported})
        return
    out.print(f"Imported {result.imported} referrals (batch {result.batch}).")


@referrals_app.command("template")
def template_cmd(
    out_path: Annotated[Path, typer.Option("--out", help="File to write (.csv or .xlsx).")],
) -> None:
    """Write an empty import file with the schema's columns."""
    from storfa.referrals.importer import template

    out_path.write_bytes(template(out_path.suffix.lstrip(".").casefold()))
    out.print(f"Wrote {out_path}")


@referrals_app.command("export")
def export_cmd(
    ctx: typer.Context,
    out_path: Annotated[Path, typer.Option("--out", help="File to write (.csv or .xlsx).")],
    as_user: AsOpt = None,
    area: Annotated[str, typer.Option("--area", help="Only this local authority.")] = "",
) -> None:
    """Export the queue without names, dates of birth or addresses (audited)."""
    from storfa.analysis.tables import table_bytes
    from storfa.domain.referrals import QueueFilters

    fmt = out_path.suffix.lstrip(".").casefold()
    try:
        headers, rows = _service(ctx).export_rows(
            _caller(ctx, as_user), QueueFilters(local_authority=area, limit=1_000_000), fmt)
        out_path.write_bytes(table_bytes(fmt, "referrals", headers, rows))
    except StorfaError as exc:
        _fail(exc, False)
    out.print(f"Wrote {len(rows)} referrals to {out_path}")


@referrals_app.command("expire")
def expire_cmd(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Delete referrals unchanged for longer than STORFA_REFERRAL_RETENTION_DAYS (audited)."""
    try:
        service = _service(ctx)
        deleted = service.expire(_caller(ctx, None))
    except StorfaError as exc:
        _fail(exc, as_json)
    if as_json:
        emit_json({"deleted": deleted, "retention_days": service.retention_days})
        return
    out.print(f"Deleted {len(deleted)} referrals older than {service.retention_days} days.")


def _table(ctx: typer.Context, period: str, level: str, threshold: int | None) -> Any:
    return _service(ctx).indicators(_caller(ctx, None), period, level, threshold)


@indicators_app.command("show")
def indicators_show(ctx: typer.Context, period: PeriodOpt, level: LevelOpt = "local_authority",
                    threshold: ThresholdOpt = None, as_json: JsonOpt = False) -> None:
    """The indicators for a period: number, percentage of its base, rate per 10,000."""
    try:
        table = _table(ctx, period, level, threshold)
    except StorfaError as exc:
        _fail(exc, as_json)
    if as_json:
        emit_json(table.as_json())
        return
    if table.illustrative:
        out.print("[yellow]Rates use illustrative population figures (docs/referrals.md).[/]")
    for area in table.areas:
        grid = RichTable(box=box.SIMPLE, title=f"{area.area} · {table.period.label}")
        for col in ("indicator", "number", "%", "of", "per 10,000"):
            grid.add_column(col)
        for f in area.figures:
            grid.add_row(f"{f.group}: {f.label}", "*" if f.suppressed else str(f.number),
                         "" if f.percent is None else str(f.percent), f.base_label or "",
                         "" if f.rate is None else str(f.rate))
        out.print(grid)


@indicators_app.command("trend")
def indicators_trend(
    ctx: typer.Context, period: PeriodOpt, level: LevelOpt = "local_authority",
    count: Annotated[int, typer.Option(
        "--count", help="How many periods of the same kind, ending with --period.")] = 4,
    area: Annotated[str, typer.Option(
        "--area", help="The area to follow (default: the first at this level).")] = "",
    indicator: Annotated[str, typer.Option(
        "--indicator", help="The indicator compared across areas, e.g. referrals, repeat.")
    ] = "referrals",
    measure: Annotated[str, typer.Option(
        "--measure", help="number, percent or rate (per 10,000 children).")] = "number",
    threshold: ThresholdOpt = None, as_json: JsonOpt = False,
) -> None:
    """Each indicator over several periods for one area, and one indicator across areas."""
    try:
        trend = _service(ctx).trend(_caller(ctx, None), period, count, level, area, indicator,
                                    measure, threshold)
    except StorfaError as exc:
        _fail(exc, as_json)
    if as_json:
        emit_json(trend.as_json())
        return

    def cells(values: list[Any]) -> list[str]:
        return ["*" if p.suppressed else "" if p.value(trend.measure) is None
                else str(p.value(trend.measure)) for p in values]

    if trend.illustrative and trend.measure == "rate":
        out.print("[yellow]Rates use illustrative population figures (docs/referrals.md).[/]")
    grid = RichTable(box=box.SIMPLE, title=f"{trend.area} · {trend.measure}")
    for col in ("indicator", *trend.periods):
        grid.add_column(col)
    for s in trend.series:
        grid.add_row(escape(f"{s.group}: {s.label}"), *cells(list(s.points)))
    out.print(grid)
    chosen = trend.chosen()
    grid = RichTable(box=box.SIMPLE, title=f"{chosen.label} · {trend.measure} · by area")
    for col in ("area", *trend.periods):
        grid.add_column(col)
    for s in trend.comparison:
        grid.add_row(escape(s.area), *cells(list(s.points)))
    out.print(grid)
    out.print(f"[dim]{escape(trend.as_json()['note'])}[/]")


@indicators_app.command("export")
def indicators_export(
    ctx: typer.Context, period: PeriodOpt,
    out_path: Annotated[Path, typer.Option("--out", help="File to write (.csv or .xlsx).")],
    level: LevelOpt = "local_authority", threshold: ThresholdOpt = None,
) -> None:
    """Write the indicators as CSV or XLSX, suppressed cells as `*`."""
    from storfa.analysis.tables import table_bytes
    from storfa.referrals.indicators import EXPORT_COLUMNS, export_rows

    try:
        table = _table(ctx, period, level, threshold)
        out_path.write_bytes(table_bytes(out_path.suffix.lstrip(".").casefold(), "indicators",
                                         EXPORT_COLUMNS, export_rows(table)))
    except StorfaError as exc:
        _fail(exc, False)
    out.print(f"Wrote {out_path}")
