"""`storfa users` and `storfa orgs`: the first administrator from the command line."""

from __future__ import annotations

from harness import Cli
from storfa.app import Storfa


def test_orgs_and_users_round_trip(cli: Cli, storfa: Storfa) -> None:
    org = cli.json("orgs", "add", "Gwent Safeguarding Board", "--board", "Gwent")
    assert org["organisation"]["name"] == "Gwent Safeguarding Board"
    added = cli.json("users", "add", "ceri", "--role", "administrator",
                     "--org", "Gwent Safeguarding Board", "--password", "a long passphrase")
    assert added["user"] == {"id": added["user"]["id"], "username": "ceri",
                             "display_name": "ceri", "role": "administrator",
                             "organisation": "Gwent Safeguarding Board", "disabled": False,
                             "totp": False}
    listed = cli.json("users", "list")["users"]
    assert [u["username"] for u in listed] == ["ceri"]
    assert cli.json("orgs", "list")["organisations"][0]["board"] == "Gwent"
    # The password is stored as an Argon2id hash, never as given.
    creds = storfa.accounts.accounts.credentials("ceri")
    assert creds is not None and creds.password_hash.startswith("$argon2id$")


def test_user_errors_are_clear(cli: Cli) -> None:
    short = cli.json("users", "add", "dai", "--password", "short", expect_exit=2)
    assert "at least 10 characters" in short["error"]
    no_org = cli.json("users", "add", "dai", "--org", "Nowhere", "--password", "long enough pw",
                      expect_exit=2)
    assert "storfa orgs add" in no_org["error"]
    role = cli.json("users", "add", "dai", "--role", "boss", "--password", "long enough pw",
                    expect_exit=2)
    assert "administrator, editor, coder, reader" in role["error"]
    cli.json("users", "add", "dai", "--password", "long enough pw")
    taken = cli.json("users", "add", "dai", "--password", "long enough pw", expect_exit=2)
    assert "taken" in taken["error"]
    assert "No user" in cli.json("users", "disable", "nobody", expect_exit=2)["error"]


def test_disable_ends_sessions_and_tokens(cli: Cli, storfa: Storfa) -> None:
    cli.json("users", "add", "eira", "--role", "reader", "--password", "long enough pw")
    token = cli.json("users", "token", "eira", "--name", "nightly")["token"]
    user = storfa.accounts.user_for_token(token)
    assert user is not None and user.username == "eira"
    session, _csrf = storfa.accounts.start_session(user, "127.0.0.1")
    assert storfa.accounts.resolve_session(session) is not None
    assert cli.json("users", "disable", "eira")["user"]["disabled"] is True
    assert storfa.accounts.user_for_token(token) is None
    assert storfa.accounts.resolve_session(session) is None
    events = [e["action"] for e in storfa.store.audit_events()]
    assert {"user.add", "token.create", "user.disable"} <= set(events)
