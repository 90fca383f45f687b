"""Pages act, they do not instruct (issue 16 item 2): no page names a CLI
command (the API's own documentation aside), and an empty state offers the
action instead: here, suggesting case variables from the case analysis page
through the same service the CLI's `analyse suggest` uses."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterator

import pytest
import typer

from storfa.cli.main import app as cli_app
from webworld import World, build_world, csrf_of

PAGES = ("/", "/search?q=curiosity", "/search?q=curiosity&mode=semantic",
         "/search?q=curiosity&mode=hybrid", "/reviews", "/reviews/{key}", "/analysis",
         "/analysis/variables", "/analysis/quality", "/coding", "/coding/queue",
         "/coding/matrix", "/coding/agreement", "/codebooks", "/recommendations", "/reports",
         "/reports/thematic", "/reports/recurrence", "/reports/briefing?review={key}", "/upload",
         "/account", "/admin", "/assurance", "/referrals", "/no-such-page")


def _commands() -> set[str]:
    commands = getattr(typer.main.get_command(cli_app), "commands", {})
    assert len(commands) > 10
    return set(commands)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("no-commands")
    site = build_world(base / "data", base / "reviews")
    yield site
    site.close()


@pytest.mark.parametrize("who", ["administrator", "editor", "coder", "reader"])
def test_no_page_names_a_command(world: World, who: str) -> None:
    command = re.compile(rf"\bstorfa ({'|'.join(sorted(_commands()))})\b")
    client = world.client(who)
    for path in PAGES:
        response = client.get(path.format(key=world.keys["public"]))
        text = htmllib.unescape(response.text)
        found = command.search(text)
        assert found is None, (who, path, text[max(0, found.start() - 200):found.end() + 80])


def test_case_analysis_offers_to_suggest(world: World) -> None:
    reader = world.client("reader").get("/analysis")
    assert 'id="nothing-coded"' in reader.text
    assert 'id="suggest-variables"' not in reader.text  # a reader cannot code
    coder = world.client("coder")
    page = coder.get("/analysis")
    assert re.search(r"Suggest case variables for these \d+ reviews", page.text), page.text[-4000:]
    done = coder.post("/analysis/suggest", data={
        "csrf_token": csrf_of(page.text), "next": "/analysis/variables"},
        follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/analysis/variables"
    service = world.storfa.casevars
    rows = [(world.rows[level], world.storfa.store.get_review(key).summary)  # type: ignore[union-attr]
            for level, key in world.keys.items()]
    assert any(st.suggestions for c in service.cases(rows) for st in c.states.values())
