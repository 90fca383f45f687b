"""What a person does on the site, in a real browser: sign in, search and narrow,
open a hit at its page, upload, switch to Welsh, administer; and what a person
of another organisation cannot do.

Elements are found by id, role, class and attribute rather than English words,
so wording and translations can change without breaking these tests."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from livesite import SECOND_ADMIN, SignIn, Site
from playwright.sync_api import Browser, Locator, Page, expect

from webworld import PASSWORD

pytestmark = pytest.mark.browser

# Found in many passages of the generated corpus, across review types.
BROAD_QUERY = "practitioners OR concerns OR safeguarding"
# The worker parses the PDF in a separate process on a shared, busy machine.
INGEST_TIMEOUT_MS = 90_000
# A PDF header, then the file stops: it passes the upload check, the parser rejects it.
TRUNCATED_PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n\x00\xff\x13"
# Data, not a document: refused when it arrives.
DATA_JSON = b'{"review_id": "CPR2020-W01", "note": "data, not a document"}'


def _number(locator: Locator) -> int:
    found = re.search(r"\d+", locator.inner_text())
    assert found, locator.inner_text()
    return int(found.group())


def _search_from_home(page: Page, query: str) -> None:
    page.goto("/")
    page.locator("#q").fill(query)
    page.locator("#q").press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?"))
    expect(page.locator("#results-h")).to_be_visible()


def test_sign_in_wrong_then_right_and_sign_out(page: Page) -> None:
    page.goto("/")
    page.locator("header a[href^='/login']").click()
    expect(page).to_have_url(re.compile(r"/login"))
    page.locator("#username").fill("reader")
    page.locator("#password").fill("not the password at all")
    with page.expect_response(lambda r: r.url.endswith("/login")
                              and r.request.method == "POST") as answer:
        page.locator("form[action='/login'] button[type=submit]").click()
    assert answer.value.status == 401
    expect(page.locator(".error[role=alert]")).to_be_visible()
    expect(page.locator("form[action='/logout']")).to_have_count(0)

    page.locator("#password").fill(PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page.locator("form[action='/logout']")).to_be_visible()
    expect(page.locator("header a[href='/account']")).to_contain_text("reader")
    expect(page.locator("header a[href^='/login']")).to_have_count(0)

    page.locator("form[action='/logout'] button").click()
    expect(page.locator("header a[href^='/login']")).to_be_visible()
    expect(page.locator("form[action='/logout']")).to_have_count(0)


def test_administrator_needs_the_totp_code(page: Page, site: Site) -> None:
    page.goto("/login")
    page.locator("#username").fill("administrator")
    page.locator("#password").fill(PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page.locator("#code")).to_be_visible()
    expect(page.locator("form[action='/logout']")).to_have_count(0)
    page.locator("#password").fill(PASSWORD)
    page.locator("#code").fill(site.code("administrator"))
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page.locator("form[action='/logout']")).to_be_visible()
    expect(page.locator("header a[href='/admin']")).to_be_visible()


def test_search_highlights_facets_kwic_pages_and_sort(page: Page) -> None:
    _search_from_home(page, BROAD_QUERY)
    hits = page.locator(".hit")
    expect(hits.first).to_be_visible()
    expect(page.locator(".hit .snippet mark").first).to_be_visible()
    heading = page.locator("#results-h")
    total = _number(heading)
    assert total > 20, f"the corpus should give more than one page of hits, not {total}"

    # A review-type facet narrows the results and is shown as the current one.
    facet = page.locator(".facets a[href*='type=']:not(.remove)").first
    expect(facet).to_be_visible()
    facet.click()
    expect(page).to_have_url(re.compile(r"[?&]type="))
    expect(heading).not_to_have_text(re.compile(rf"(^|\D){total}(\D|$)"))
    assert 0 < _number(heading) < total
    current = page.locator(".facets [aria-current='true']")
    expect(current).to_have_count(1)
    expect(current).to_have_attribute("href", re.compile(r"type="))
    expect(page.locator(".facets a.remove")).to_have_count(1)
    page.locator(".facets a.remove").click()
    expect(page).not_to_have_url(re.compile(r"[?&]type="))
    expect(heading).to_have_text(re.compile(rf"(^|\D){total}(\D|$)"))

    # Keyword in context: a table of marked keywords instead of the hit list; and back.
    kwic = page.locator("input[name=kwic]")
    kwic.check()
    expect(page).to_have_url(re.compile(r"[?&]kwic=1"))
    expect(page.locator("table.kwic td.kw mark").first).to_be_visible()
    expect(page.locator(".hit")).to_have_count(0)
    page.locator("input[name=kwic]").uncheck()
    expect(page).not_to_have_url(re.compile(r"[?&]kwic=1"))
    expect(page.locator(".hit").first).to_be_visible()

    # The next page starts where the first ended.
    first_page = page.locator(".hit h3 a").all_inner_texts()
    page.locator("a[rel=next]").click()
    expect(page).to_have_url(re.compile(r"[?&]page=2"))
    expect(page.locator("ol.hits")).to_have_attribute("start", "21")
    expect(page.locator("a[rel=prev]")).to_be_visible()
    expect(page.locator(".hit").first).to_be_visible()
    assert page.locator(".hit h3 a").all_inner_texts() != first_page

    # Newest first: by the review's year, which its identifier carries.
    page.locator("select[name=sort]").select_option("newest")
    expect(page).to_have_url(re.compile(r"[?&]sort=newest"))
    expect(page.locator("select[name=sort]")).to_have_value("newest")
    years = [int(m.group()) for text in page.locator(".hit h3 a").all_inner_texts()
             if (m := re.search(r"(19|20)\d\d", text))]
    assert years and years == sorted(years, reverse=True), years


def test_open_a_hit_at_its_page_with_the_passage_in_view(page: Page, site: Site) -> None:
    _search_from_home(page, f"({BROAD_QUERY}) review:{site.paged_review}")
    expect(page.locator(".hit").first).to_be_visible()
    # A hit past the first page of its review shows that the reader opens the right page.
    hits = page.locator(".hit").all()
    later = [(hit, n) for hit in hits if (n := _number(hit.locator(".meta"))) > 1]
    assert later, f"no hit past page 1 of {site.paged_review}"
    hit, hit_page = later[0]
    link = hit.locator("h3 a")
    passage = re.search(r"passage=(\d+)", link.get_attribute("href") or "")
    assert passage, link.get_attribute("href")
    link.click()

    expect(page).to_have_url(re.compile(rf"/reviews/.+passage={passage.group(1)}"))
    expect(page.locator("#page-h")).to_have_text(re.compile(rf"(^|\D){hit_page}(\D|$)"))
    target = page.locator(".target")
    expect(target).to_have_count(1)
    expect(target).to_have_attribute("id", f"p{passage.group(1)}")
    expect(target.locator("mark").first).to_be_visible()
    expect(target).to_be_in_viewport()
    expect(target).to_be_focused()


def test_editor_uploads_a_pdf_and_broken_files(page: Page, site: Site, sign_in: SignIn,
                                               tmp_path: Path) -> None:
    truncated_pdf, data_json = tmp_path / "truncated.pdf", tmp_path / "records.json"
    truncated_pdf.write_bytes(TRUNCATED_PDF)
    data_json.write_bytes(DATA_JSON)
    sign_in(page, "editor")
    page.locator("header a[href='/upload']").click()
    expect(page).to_have_url(re.compile(r"/upload$"))
    page.locator("#files").set_input_files([site.upload_pdf, truncated_pdf, data_json])
    page.locator("#upload-form button[type=submit]").click()

    rows = page.locator("#upload-results tbody tr")
    expect(rows).to_have_count(3)
    good = rows.filter(has_text=site.upload_pdf.name)
    truncated = rows.filter(has_text="truncated.pdf")
    data = rows.filter(has_text="records.json")
    for row in (good, truncated, data):  # one progress bar per file, filled when sent
        expect(row.locator("progress")).to_have_js_property("value", 100)

    expect(data.locator("td").nth(2)).to_have_class(re.compile(r"status-rejected"))
    expect(data.locator(".reason")).to_have_text(re.compile(r"\w{3}"))
    expect(good.locator("td").nth(2)).to_have_class(re.compile(r"status-ingested"),
                                                   timeout=INGEST_TIMEOUT_MS)
    expect(truncated.locator("td").nth(2)).to_have_class(re.compile(r"status-rejected"),
                                                        timeout=INGEST_TIMEOUT_MS)
    expect(truncated.locator(".reason")).to_have_text(re.compile(r"\w{3}"))
    expect(truncated.locator("a")).to_have_count(0)

    # The review's link (not the one to decide its disclosure findings).
    link = good.locator("a[href^='/reviews/']:not(.decide-findings)")
    expect(link).to_have_count(1)
    review_id = link.inner_text().strip()
    link.click()
    expect(page.locator(".reader-head h1")).to_be_visible()
    expect(page.locator(".reader-head .meta")).to_contain_text(review_id)


def test_welsh_interface_switch(page: Page) -> None:
    page.goto("/")
    html = page.locator("html")
    nav = page.locator("header nav")
    expect(html).to_have_attribute("lang", "en")
    english = nav.inner_text()
    page.locator("button[name=lang][value=cy]").click()
    expect(html).to_have_attribute("lang", "cy")
    expect(nav).not_to_have_text(english)
    expect(page.locator("#q")).to_be_visible()  # still the home page, now in Welsh
    page.locator("button[name=lang][value=en]").click()
    expect(html).to_have_attribute("lang", "en")
    expect(nav).to_have_text(english)


def test_another_organisation_cannot_find_or_open_a_restricted_review(
        page: Page, browser: Browser, site: Site, sign_in: SignIn) -> None:
    # Someone of the review's own organisation finds it: the word is searchable.
    home = browser.new_context(base_url=site.url, locale="en-GB")
    try:
        insider = home.new_page()
        sign_in(insider, "reader")
        _search_from_home(insider, site.restricted_word)
        expect(insider.locator(".hit")).to_have_count(1)
        expect(insider.locator(".hit")).to_contain_text(site.restricted_id)
    finally:
        home.close()

    sign_in(page, "other_reader")
    _search_from_home(page, site.restricted_word)
    expect(page.locator("#results-h")).to_have_text(re.compile(r"(^|\D)0(\D|$)"))
    expect(page.locator(".hit")).to_have_count(0)
    expect(page.locator(".facets a")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(site.restricted_id)

    response = page.goto(f"/reviews/{site.restricted_id}")
    assert response is not None and response.status == 404
    expect(page.locator("main")).not_to_contain_text(site.restricted_word)
    missing = page.goto("/reviews/CPR1999-W99")
    assert missing is not None and missing.status == 404


def test_administrator_adds_organisation_and_user_and_reads_the_audit_log(
        page: Page, browser: Browser, site: Site, sign_in: SignIn) -> None:
    # A denied read to find in the log.
    other = browser.new_context(base_url=site.url, locale="en-GB")
    try:
        outsider = other.new_page()
        sign_in(outsider, "other_reader")
        denied = outsider.goto(f"/reviews/{site.restricted_id}")
        assert denied is not None and denied.status == 404
    finally:
        other.close()

    sign_in(page, SECOND_ADMIN)
    page.locator("header a[href='/admin']").click()
    expect(page).to_have_url(re.compile(r"/admin$"))

    org = f"Browser Test Board {uuid.uuid4().hex[:6]}"
    page.locator("#org-name").fill(org)
    page.locator("form[action='/admin/organisations'] button[type=submit]").click()
    expect(page.locator("section:has(#orgs-h) li", has_text=org)).to_have_count(1)

    username = f"newcoder{uuid.uuid4().hex[:6]}"
    page.locator("#new-username").fill(username)
    page.locator("#new-password").fill("a long enough password")
    page.locator("#new-role").select_option("coder")
    page.locator("#new-org").select_option(label=org)
    page.locator("form[action='/admin/users'] button[type=submit]").click()
    row = page.locator("table tr", has_text=username)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(org)
    expect(row.locator("select[name=role]")).to_have_value("coder")

    page.locator("a[href='/admin/audit']").click()
    page.locator("#f-object").fill(site.restricted_id)
    page.locator("input[name=denied]").check()
    page.locator("form[action='/admin/audit'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"denied=true"))
    denial = page.locator("tr.denied", has_text="other_reader")
    expect(denial.first).to_be_visible()
    expect(denial.first).to_contain_text(site.restricted_id)


def test_keyboard_skip_link_first_and_slash_focuses_search(page: Page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    expect(skip).to_be_focused()
    expect(skip).to_have_attribute("href", "#main")
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()

    expect(page.locator("#q")).not_to_be_focused()
    page.keyboard.press("/")
    expect(page.locator("#q")).to_be_focused()
    expect(page.locator("#q")).to_have_value("")  # the "/" itself is not typed
