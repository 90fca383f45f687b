"""`storfa users` and `storfa orgs`: accounts from the command line, for the
first administrator and for scripts."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from storfa.cli.context import services
from storfa.cli.output import emit_json, fail, out
from storfa.domain.accounts import ROLES, Organisation
from storfa.domain.errors import StorfaError

if TYPE_CHECKING:
    from storfa.accounts.service import Actor

users_app = typer.Typer(help="Add, list and disable users.", no_args_is_help=True)
orgs_app = typer.Typer(help="Add, change and list organisations.", no_args_is_help=True)


def _cli() -> Actor:
    # accounts.service is imported here, not at the top: it loads argon2 (CLI start).
    from storfa.accounts.service import Actor

    return Actor(None, "cli")


def _password(given: str | None) -> str:
    if given:
        return given
    first = getpass.getpass("Password (10 characters or more): ")
    if getpass.getpass("Again: ") != first:
        raise StorfaError("The two passwords differ.")
    return first


@users_app.command("add")
def add_user(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Sign-in name, no spaces.")],
    role: Annotated[str, typer.Option("--role", help=f"One of: {', '.join(ROLES)}.")] = "reader",
    org: Annotated[str | None, typer.Option("--org", help="Organisation name (add it with `storfa orgs add`).")] = None,
    password: Annotated[str | None, typer.Option("--password", help="Password; prompted for when left out (safer: not in shell history). Or set STORFA_NEW_PASSWORD.", envvar="STORFA_NEW_PASSWORD")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Display name.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Add a user with a role in an organisation."""
    app = services(ctx)
    try:
        user = app.accounts.add_user(username, _password(password), role, org, _cli(), name)
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"user": user.as_json()})
    else:
        out.print(f"Added {user.username} ({user.role.value}"
                  f"{', ' + user.organisation_name if user.organisation_name else ''}).")


@users_app.command("list")
def list_users(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False) -> None:
    """List users with their role, organisation and status."""
    users = services(ctx).accounts.accounts.users()
    if as_json:
        emit_json({"users": [u.as_json() for u in users]})
        return
    table = Table("username", "role", "organisation", "second factor", "status")
    for u in users:
        table.add_row(u.username, u.role.value, u.organisation_name or "",
                      "on" if u.totp_enabled else "off", "disabled" if u.disabled else "active")
    out.print(table)


@users_app.command("disable")
def disable_user(ctx: typer.Context, username: Annotated[str, typer.Argument()],
                 as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False) -> None:
    """Disable a user: their sessions end and their API tokens stop working."""
    try:
        user = services(ctx).accounts.set_disabled(username, True, _cli())
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"user": user.as_json()})
    else:
        out.print(f"Disabled {user.username}; their sessions and tokens no longer work.")


@users_app.command("token")
def user_token(ctx: typer.Context, username: Annotated[str, typer.Argument()],
               name: Annotated[str, typer.Option("--name", help="What the token is for.")] = "script",
               as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False) -> None:
    """Create an API token for a user (shown once; send it as `Authorization: Bearer …`)."""
    app = services(ctx)
    user = app.accounts.accounts.user_by_name(username)
    if user is None:
        fail(f"No user called {username!r}.", as_json)
    token = app.accounts.create_token(user, name, _cli())
    if as_json:
        emit_json({"token": token, "user": username})
    else:
        out.print(token)


def _org_json(org: Organisation) -> dict[str, object]:
    return {"id": org.id, "name": org.name, "kind": org.kind.value, "board": org.board}


def _changed(change: Callable[[], Organisation], as_json: bool, line: str) -> None:
    """Add or change an organisation and say what it now is."""
    try:
        org = change()
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"organisation": _org_json(org)})
    else:
        out.print(line.format(name=org.name, kind=org.kind.value,
                              region=f" · {org.board}" if org.board else ""))


_KIND_HELP = ("national, board or agency (assurance access follows it; default: board "
              "with --board, else national).")


@orgs_app.command("add")
def add_org(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Organisation name.")],
            board: Annotated[str | None, typer.Option("--board", help="A board's region; for an agency, the region of the board it works with.")] = None,
            kind: Annotated[str | None, typer.Option("--kind", help=_KIND_HELP)] = None,
            as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False) -> None:
    """Add an organisation: a national team, a board, or an agency (health,
    police, a council's service, a school)."""
    _changed(lambda: services(ctx).accounts.add_organisation(name, board, _cli(), kind),
             as_json, "Added organisation {name} ({kind}).")


@orgs_app.command("set")
def set_org(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Organisation name.")],
            kind: Annotated[str | None, typer.Option("--kind", help="national, board or agency (default: as it is).")] = None,
            board: Annotated[str | None, typer.Option("--board", help="Its board region; \"\" for none (default: as it is).")] = None,
            as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False) -> None:
    """Change an organisation's kind or board region. An agency stored before
    kinds existed was read as national: make it `--kind agency --board REGION`."""
    _changed(lambda: services(ctx).accounts.set_organisation(name, kind, board, _cli()),
             as_json, "{name}: {kind}{region}.")


@orgs_app.command("list")
def list_orgs(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False) -> None:
    """List organisations with their kind and board region."""
    orgs = services(ctx).accounts.accounts.organisations()
    if as_json:
        emit_json({"organisations": [_org_json(o) for o in orgs]})
        return
    for o in orgs:
        out.print(f"{o.name} · {o.kind.value}{' · ' + o.board if o.board else ''}")
