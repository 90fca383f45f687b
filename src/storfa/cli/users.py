"""`storfa users` and `storfa orgs`: accounts from the command line, for the
first administrator and for scripts."""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from storfa.cli.context import services
from storfa.cli.output import emit_json, fail, out
from storfa.domain.accounts import ROLES
from storfa.domain.errors import StorfaError

if TYPE_CHECKING:
    from storfa.accounts.service import Actor

users_app = typer.Typer(help="Add, list and disable users.", no_args_is_help=True)
orgs_app = typer.Typer(help="Add and list organisations.", no_args_is_help=True)


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


@orgs_app.command("add")
def add_org(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Organisation name.")],
            board: Annotated[str | None, typer.Option("--board", help="Its safeguarding board, if any.")] = None,
            as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False) -> None:
    """Add an organisation (a board, an agency, a research group)."""
    try:
        org = services(ctx).accounts.add_organisation(name, board, _cli())
    except StorfaError as exc:
        fail(str(exc), as_json)
    if as_json:
        emit_json({"organisation": {"id": org.id, "name": org.name, "board": org.board}})
    else:
        out.print(f"Added organisation {org.name}.")


@orgs_app.command("list")
def list_orgs(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False) -> None:
    """List organisations."""
    orgs = services(ctx).accounts.accounts.organisations()
    if as_json:
        emit_json({"organisations": [{"id": o.id, "name": o.name, "board": o.board} for o in orgs]})
        return
    for o in orgs:
        out.print(f"{o.name}{' · ' + o.board if o.board else ''}")
