"""The home page's "Try this" panel: only in a store `storfa demo` has marked
(through the accounts service), with six links that lead to real pages."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser

import pytest

from storfa.accounts.service import Actor
from webworld import World, build_world


class _Panel(HTMLParser):
    """The links inside <section class="try-this">."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section" and "try-this" in (found.get("class") or ""):
            self.inside = True
        elif tag == "a" and self.inside:
            self.links.append(found.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self.inside = False


def _links(html: str) -> list[str]:
    panel = _Panel()
    panel.feed(html)
    return panel.links


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("demo-panel")
    site = build_world(base / "data", base / "reviews")
    yield site
    site.close()


def test_the_panel_shows_only_in_a_demo_store(world: World) -> None:
    editor = world.client("editor")
    home = editor.get("/")
    assert home.status_code == 200 and "try-this" not in home.text and not _links(home.text)
    assert not world.storfa.accounts.is_demo()

    world.storfa.accounts.mark_demo(Actor(None, "demo"))
    world.storfa.accounts.mark_demo(Actor(None, "demo"))  # once is enough
    assert len(world.audit("store.demo")) == 1
    links = _links(editor.get("/").text)
    assert len(links) == 6, links
    assert links[0] == "/coding/queue" and "/analysis" in links
    assert "/recommendations?overdue=1" in links and "/assurance" in links
    assert any(link.startswith("/search?") and "mode=semantic" in link for link in links)
    # The draft review's disclosure panel, for an editor who may see the draft.
    draft = world.keys["draft"]
    assert f"/reviews/{draft}#disclosure" in links
    for link in links:
        if "mode=semantic" in link:
            continue  # this store has no embeddings (the demo's has): tested elsewhere
        assert editor.get(link.split("#")[0]).status_code == 200, link

    welsh = editor.get("/", params={"lang": "cy"}).text
    assert "Rhowch gynnig ar hyn" in welsh
    assert "Try this" in world.client("reader").get("/").text  # every visitor sees it
