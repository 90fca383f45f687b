"""Auto-coding from the coding page, in a real browser against `storfa serve`:
the coder keeps the default threshold, presses the button, sees the run
waiting for or taken by the server's background worker, and the page
reloads with the new suggestions once the worker has run the real
classifier. Nothing is stubbed: the run is a job on the queue, which the
worker process of `storfa serve` claims.

The reviews coded are those of one type, board and year that only one review
has, chosen so that no other browser test's suggestions are replaced.
Elements are found by id and attribute, never by English words."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from livesite import SignIn, Site
from playwright.sync_api import Page, expect

from storfa.app import Storfa
from storfa.config import Settings
from storfa.domain.reviews import ReviewSummary
from webworld import REVIEWS, backend_env

pytestmark = pytest.mark.browser

BOOK = "best-practice"
# A real classifier reading a generated review in a worker that may have to
# load its model first: generous, since the machine may be busy.
RUN_SECONDS = 180


@pytest.fixture(scope="module")
def alone(site: Site) -> Iterator[ReviewSummary]:
    """A review that is the only one of its type, board and year, and that no
    other browser test codes (not the web-test world's, not a paged one, not
    the first generated one, which tests/browser/test_coding.py takes)."""
    world = {identifier for identifier, _, _ in REVIEWS.values()}
    with backend_env("sqlite", None):
        app = Storfa(Settings.from_env(data_dir=site.data_dir))
        try:
            reviews = sorted(app.store.list_reviews(), key=lambda s: s.review_id)
        finally:
            app.store.close()
    generated = [s for s in reviews if s.review_id not in world
                 and s.review_id != site.paged_review]
    taken = {generated[0].review_id}
    groups = Counter((s.type, s.board, s.year) for s in reviews)
    unique = [s for s in generated[1:] if groups[(s.type, s.board, s.year)] == 1
              and s.review_id not in taken and s.board and s.year and s.type]
    if not unique:
        pytest.skip("no review is alone in its type, board and year in this corpus")
    yield unique[-1]


def test_auto_coding_runs_in_the_servers_worker(page: Page, sign_in: SignIn,
                                                alone: ReviewSummary) -> None:
    sign_in(page, "coder")
    page.goto(f"/coding?codebook={BOOK}&type={alone.type}&board={alone.board}"
              f"&year_from={alone.year}&year_to={alone.year}")
    rows = page.locator("table.coding-reviews tbody tr")
    expect(rows).to_have_count(1)
    # Left empty, the field means each kind of review's default threshold,
    # which the help beside it names, and the form accepts it as it is.
    threshold = page.locator("#threshold")
    expect(threshold).to_have_value("")
    expect(page.locator("#threshold-help")).to_contain_text("single-case reviews")
    assert page.evaluate("el => el.checkValidity()", threshold.element_handle())
    page.locator("#auto-code").click()
    box = page.locator("#auto-job")
    expect(box).to_be_visible()
    assert box.get_attribute("data-state") in ("waiting", "running", "done")
    expect(page.locator("#auto-code")).to_be_disabled()
    # The progress script polls the run and reloads the page when it is done.
    expect(page.locator("#auto-job[data-state=done]")).to_be_visible(
        timeout=RUN_SECONDS * 1000)
    expect(page.locator("#auto-progress")).to_have_attribute("value", "1")
    expect(page.locator("#auto-code")).to_be_enabled()
