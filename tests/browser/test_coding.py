"""Qualitative coding in a real browser: a coder selects text in the coding
view of a review, chooses a code and saves it (the highlight appears, at the
exact offsets), then works the suggestion queue from the keyboard: `a`
accepts one suggestion, `r` rejects the next, and the counts change.

The suggestions are stored beforehand through SQLExtracts, as auto-coding
would store them, on a generated review no other browser test codes.
Elements are found by id, class and attribute, never by English words."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from livesite import SignIn, Site
from playwright.sync_api import Page, expect

from storfa.app import Storfa
from storfa.config import Settings
from storfa.domain.coding import NewExtract
from storfa.storage.sql.extracts import SQLExtracts
from webworld import REVIEWS, backend_env

pytestmark = pytest.mark.browser

BOOK = "best-practice"
SUGGESTIONS = 3
CODE = "Escalating concerns"


@dataclass(frozen=True)
class Prepared:
    review: str
    row: int


def _sql(app: Storfa) -> SQLExtracts:
    return SQLExtracts(app.store.db)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def prepared(site: Site) -> Iterator[Prepared]:
    world = {identifier for identifier, _, _ in REVIEWS.values()}
    with backend_env("sqlite", None):
        app = Storfa(Settings.from_env(data_dir=site.data_dir))
        try:
            review = next(s.review_id for s in sorted(app.store.list_reviews(),
                                                      key=lambda s: s.review_id)
                          if s.review_id not in world and s.review_id != site.paged_review)
            record = app.store.get_review(review)
            assert record is not None
            sql = _sql(app)
            text = sql.version_text(record.version_id)
            long = [p for p in app.store.passages(record.version_id)
                    if p.kind != "heading" and p.end - p.start > 80][:SUGGESTIONS]
            assert len(long) == SUGGESTIONS
            sql.replace_suggestions(record.id, BOOK, [NewExtract(
                review_row=record.id, version_id=record.version_id, start=p.start, end=p.end,
                text=text[p.start:p.end], codebook=BOOK, code=CODE,
                theme="Risk and Escalation", coder="auto-coder", how="model",
                passage_id=p.id, page=p.page, confidence=0.8, source_detail="browser-test")
                for p in long])
            row = record.id
        finally:
            app.store.close()
    yield Prepared(review, row)


def _count(page: Page, status: str) -> int:
    return int(page.locator(f"#count-{status}").get_attribute("data-count") or "-1")


def _select_in_page(page: Page) -> dict[str, object]:
    """Select characters 4..30 of the first plain text of a codable paragraph, as
    a person dragging the mouse would; returns what was selected and where."""
    return page.evaluate("""() => {
      for (const el of document.querySelectorAll("#codable-text p.codable")) {
        const node = el.firstChild;
        if (!node || node.nodeType !== Node.TEXT_NODE || node.data.length < 40) continue;
        const range = document.createRange();
        range.setStart(node, 4);
        range.setEnd(node, 30);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        el.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
        return { start: Number(el.dataset.start) + 4, text: range.toString() };
      }
      return null;
    }""")


def test_coder_codes_a_selection_and_works_the_queue(page: Page, sign_in: SignIn, site: Site,
                                                     prepared: Prepared) -> None:
    sign_in(page, "coder")
    page.goto(f"/coding/review/{prepared.review}?codebook={BOOK}")
    chosen = _select_in_page(page)
    assert chosen is not None, "no paragraph of plain text to select"
    start, selected = int(str(chosen["start"])), str(chosen["text"])
    expect(page.locator("#span-start")).to_have_value(str(start))
    expect(page.locator("#span-end")).to_have_value(str(start + len(selected)))
    expect(page.locator("#selection-preview")).to_have_text(selected)
    page.locator("#span-code").select_option(CODE)
    page.locator("#span-memo").fill("Chosen in the browser.")
    page.locator("#save-coding").click()
    highlight = page.locator("#codable-text mark.status-accepted")
    expect(highlight).to_have_count(1)
    expect(highlight).to_have_text(selected)
    with backend_env("sqlite", None):
        app = Storfa(Settings.from_env(data_dir=site.data_dir))
        try:
            sql = _sql(app)
            manual = [e for e in sql.select(codebook=BOOK, review_row=prepared.row)
                      if e.how == "manual"]
            assert [(e.start, e.end, e.text, e.decided_by) for e in manual] == [
                (start, start + len(selected), selected, "user:coder")]
            assert sql.version_text(manual[0].version_id)[start:start + len(selected)] == selected
        finally:
            app.store.close()

    page.goto(f"/coding/queue?codebook={BOOK}&review={prepared.review}")
    item = page.locator("#queue-item")
    expect(item).to_be_visible()
    open_, accepted, rejected = (_count(page, s) for s in ("suggested", "accepted", "rejected"))
    assert open_ == SUGGESTIONS
    first = item.get_attribute("data-extract")
    page.keyboard.press("a")
    expect(page.locator("#count-accepted")).to_have_attribute("data-count", str(accepted + 1))
    expect(item).not_to_have_attribute("data-extract", first or "")
    page.keyboard.press("r")
    expect(page.locator("#count-rejected")).to_have_attribute("data-count", str(rejected + 1))
    expect(page.locator("#count-suggested")).to_have_attribute("data-count",
                                                              str(open_ - 2))
    # u undoes the rejection: one more open suggestion again.
    page.keyboard.press("u")
    expect(page.locator("#count-rejected")).to_have_attribute("data-count", str(rejected))
    expect(page.locator("#count-suggested")).to_have_attribute("data-count", str(open_ - 1))
