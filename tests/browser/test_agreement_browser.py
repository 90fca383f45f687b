"""The agreement page in a real browser: a coder goes from the coding page's
sub-navigation to /coding/agreement, chooses two coders, sees the figures the
service computes (overall kappa and agreement, and per code both / only A /
only B / kappa), and follows a passage coded differently into the coding
view's compare mode. Two coders with names no other browser test uses code
passages of two generated reviews beforehand, through CodingService.code_span
as a person coding a selection would. Elements are found by id, class and
attribute, never by English words. A screenshot at 1366 × 900 is kept in
the temp folder (storfa-screenshots/agreement-1366x900.png; a phone's,
390 × 844, beside it) to look at."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from livesite import SignIn, Site
from playwright.sync_api import Page, expect

from storfa.app import Storfa
from storfa.coding.agreement import AgreementReport
from storfa.config import Settings
from webworld import REVIEWS, backend_env

pytestmark = pytest.mark.browser

BOOK = "best-practice"
ANN, BEN = "browser-ann", "browser-ben"
SCREENSHOTS = Path(tempfile.gettempdir()) / "storfa-screenshots"
# Per review, the passage (by position among the long ones) each coder codes with which code.
PLAN = [
    (0, "Escalating concerns", (ANN, BEN)),
    (1, "Multi-agency working", (ANN, BEN)),
    (2, "Record keeping", (ANN, BEN)),
    (3, "Effective communication", (ANN,)),
    (3, "Multi-agency working", (BEN,)),
    (4, "Persistency in care and support", (ANN,)),
    (5, "Risk assessment", (BEN,)),
    (6, "Positive working relationships", (ANN, BEN)),
    (7, "Escalating concerns", (ANN, BEN)),
]


@pytest.fixture(scope="module")
def expected(site: Site) -> Iterator[AgreementReport]:
    world = {identifier for identifier, _, _ in REVIEWS.values()}
    with backend_env("sqlite", None):
        app = Storfa(Settings.from_env(data_dir=site.data_dir))
        try:
            service = app.coding
            generated = sorted(s.review_id for s in app.store.list_reviews()
                               if s.review_id not in world and s.review_id != site.paged_review)
            for n, key in enumerate(generated[-2:]):
                record = app.store.get_review(key)
                assert record is not None
                long = [p for p in sorted(app.store.passages(record.version_id),
                                          key=lambda p: p.start)
                        if p.kind != "heading" and p.end - p.start > 80]
                assert len(long) > len(PLAN)
                for at, code, coders in PLAN:
                    passage = long[at + n]  # the second review: the plan one passage on
                    for who in coders:
                        service.code_span(key, passage.start, passage.end, BOOK, code, who)
            report = service.agreement_report(BOOK, ANN, BEN)
        finally:
            app.store.close()
    yield report


def test_coder_reads_agreement_and_opens_a_disagreement(page: Page, sign_in: SignIn,
                                                       expected: AgreementReport) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, "coder")
    page.goto("/coding")
    page.locator("#to-agreement").click()
    expect(page).to_have_url(re.compile(r"/coding/agreement$"))
    expect(page.locator("#to-agreement")).to_have_attribute("aria-current", "page")
    page.locator("#f-coder_a").select_option(ANN)
    page.locator("#f-coder_b").select_option(BEN)
    page.locator("form.agreement-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"coder_a=browser-ann&coder_b=browser-ben"))

    overall = expected.overall
    assert overall.kappa is not None and overall.percent is not None
    expect(page.locator("#overall-kappa")).to_contain_text(f"{overall.kappa:.2f}")
    expect(page.locator("#overall-percent")).to_have_text(f"{overall.percent:.1f}%")
    expect(page.locator("#overall-codes")).to_have_text(str(overall.codes))
    expect(page.locator("#kappa-bands")).to_be_visible()
    used = [f for f in expected.codes if f.used]
    rows = page.locator("#agreement-codes tbody tr.code-agreement")
    expect(rows).to_have_count(len(used))
    for f in used:
        row = page.locator(f'#agreement-codes tr[data-code="{f.code}"]')
        expect(row.locator("td.both")).to_have_text(str(f.coded_both))
        expect(row.locator("td.only-a")).to_have_text(str(f.only_a))
        expect(row.locator("td.only-b")).to_have_text(str(f.only_b))
        kappa = "–" if f.kappa is None else f"{f.kappa:.2f}"
        expect(row.locator("td.kappa")).to_have_text(kappa)
    passages = page.locator("#agreement-passages tr.disagreement")
    expect(passages).to_have_count(len(expected.disagreements))

    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "agreement-1366x900.png"))
    page.screenshot(path=str(SCREENSHOTS / "agreement-1366x900-full.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SCREENSHOTS / "agreement-390x844-full.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})

    first = expected.disagreements[0]
    passages.first.locator("a.compare").click()
    expect(page).to_have_url(re.compile(rf"/coding/review/{re.escape(first.review_id)}\?.*"
                                        rf"compare=1#x{first.extract_id}$"))
    expect(page.locator(f"#x{first.extract_id}")).to_be_attached()
    expect(page.locator("#blind-on")).to_be_visible()  # the compare view, every coder shown
    page.screenshot(path=str(SCREENSHOTS / "agreement-compare-1366x900.png"))
