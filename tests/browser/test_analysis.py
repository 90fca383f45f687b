"""The case-analysis pages in a real browser: a coder chooses a set of
reviews, confirms a suggested case variable for one of them, and the
frequency table, the phi coefficients and the co-occurrence map change.

The other reviews of the set are coded beforehand through the service (as
`storfa analyse set` would), so the statistics have enough coded reviews to
compute; the one review the coder works on has suggestions but no decision.
Elements are found by id, class, role and attribute, never by English words."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from livesite import SignIn, Site
from playwright.sync_api import Locator, Page, expect

from storfa.app import Storfa
from storfa.config import Settings
from webworld import REVIEWS, backend_env

pytestmark = pytest.mark.browser

# Coded beforehand; each present in about two thirds of the other reviews.
CODED_VARIABLES = 4


@dataclass(frozen=True)
class Coding:
    type: str
    review: str  # the review the coder codes in the browser
    variable: str  # a suggestion of that review, among the coded variables


@pytest.fixture(scope="module")
def coding(site: Site) -> Iterator[Coding]:
    world = {identifier for identifier, _, _ in REVIEWS.values()}
    with backend_env("sqlite", None):
        app = Storfa(Settings.from_env(data_dir=site.data_dir))
        try:
            service = app.casevars
            generated = [s for s in app.store.list_reviews() if s.review_id not in world]
            kind = Counter(s.type for s in generated).most_common(1)[0][0]
            reviews = sorted(s.review_id for s in generated if s.type == kind)
            assert len(reviews) >= 5, reviews
            found = service.suggest(reviews, "browser-test", model=False)
            binary = {v.name for v in service.variables if v.type == "binary"}
            common = [name for name, _ in Counter(
                s["variable"] for s in found if s["variable"] in binary).most_common()]
            variables = common[:CODED_VARIABLES]
            assert len(variables) == CODED_VARIABLES, common
            target = next(s for s in found if s["variable"] == variables[0])
            others = [r for r in reviews if r != target["review_id"]]
            for i, review in enumerate(others):
                for k, name in enumerate(variables):
                    value = "not_known" if (i + k) % 3 == 0 else "present"
                    service.set_value(review, name, value, "browser-test")
        finally:
            app.store.close()
    yield Coding(kind, target["review_id"], variables[0])


def _text(locator: Locator) -> str:
    return re.sub(r"\s+", " ", locator.inner_text()).strip()


def test_coder_confirms_a_suggestion_and_the_statistics_change(
        page: Page, sign_in: SignIn, coding: Coding) -> None:
    sign_in(page, "coder")
    page.goto("/analysis")
    # Choose the set of reviews with the page's own form.
    page.locator("#f-type").select_option(coding.type)
    page.locator("form[action='/analysis'] button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(rf"[?&]type={re.escape(coding.type)}"))
    frequencies = page.locator("table.frequencies")
    phi = page.locator("section[aria-labelledby=phi-h]")
    comap = page.locator("section[aria-labelledby=map-h] svg.comap")
    expect(frequencies).to_be_visible()
    expect(page.locator("table.phi")).to_be_visible()
    expect(comap).to_be_visible()
    before = (_text(frequencies), _text(phi), comap.inner_html())

    # The review's own page of variables, reached from the grid of the same set.
    page.locator("nav a[href^='/analysis/variables']").first.click()
    expect(page).to_have_url(re.compile(rf"/analysis/variables\?.*type={coding.type}"))
    page.locator(f"table.casevars th[scope=row] a[href*='review={coding.review}']").click()
    expect(page).to_have_url(re.compile(rf"review={re.escape(coding.review)}"))
    form = page.locator(f"form[action='/analysis/variables/{coding.review}']").filter(
        has=page.locator(f"input[name=variable][value='{coding.variable}']"))
    row = page.locator("tr").filter(has=form)
    expect(row.locator(".suggestion.source-lexicon")).to_be_visible()
    expect(row.locator(".suggestion a[href*='passage=']")).to_be_visible()  # the evidence
    row.locator("button[name=value][value=present]").click()
    expect(row.locator("td").first.locator("strong")).to_be_visible()  # now a decision

    page.goto(f"/analysis?type={coding.type}")
    expect(frequencies).not_to_have_text(before[0])
    after = (_text(frequencies), _text(phi), comap.inner_html())
    assert after[0] != before[0], "the frequency table did not change"
    assert after[1] != before[1], "the phi section did not change"
    assert after[2] != before[2], "the co-occurrence map did not change"
