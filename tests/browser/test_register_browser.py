"""The recommendations register in a real browser: an editor opens the
register, opens an open recommendation, sets it in progress with a progress
note, sees the change in its history, and sees the register's status counts
move by one. Elements are found by id, class and attribute, never by English
words."""

from __future__ import annotations

import re

import pytest
from livesite import SignIn
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

NOTE = "Audit of strategy meetings started by the business unit quillwort."


def _count(page: Page, status: str) -> int:
    text = page.locator(f"#rec-counts [data-status={status}] .rec-count-n").inner_text()
    return int(text.strip())


def test_editor_sets_a_status_with_a_note_and_the_counts_change(page: Page,
                                                                sign_in: SignIn) -> None:
    sign_in(page, "editor")
    page.goto("/recommendations")
    expect(page.locator("#rec-register")).to_be_visible()
    opened, in_progress = _count(page, "open"), _count(page, "in_progress")
    assert opened > 0
    # The count links filter the register to that status.
    page.locator("#rec-counts [data-status=open] a").click()
    expect(page).to_have_url(re.compile(r"[?&]status=open"))
    rows = page.locator("#rec-register tr.rec-row")
    expect(rows.first).to_be_visible()
    assert rows.count() == opened
    rec_id = rows.first.get_attribute("data-id")
    rows.first.locator("a.rec-link").click()
    expect(page).to_have_url(re.compile(rf"/recommendations/{rec_id}$"))
    expect(page.locator("#rec-status")).to_have_class(re.compile(r"\brec-open\b"))

    page.locator("#rt-status").select_option("in_progress")
    page.locator("#rt-note").fill(NOTE)
    page.locator("#rt-save").click()
    expect(page).to_have_url(re.compile(rf"/recommendations/{rec_id}$"))
    expect(page.locator("#rec-status")).to_have_class(re.compile(r"\brec-in_progress\b"))
    change = page.locator("#rec-history tr.rec-history-row[data-field=status]")
    expect(change).to_have_count(1)
    expect(change).to_contain_text(NOTE)
    expect(change).to_contain_text("in_progress")

    page.goto("/recommendations")
    assert _count(page, "open") == opened - 1
    assert _count(page, "in_progress") == in_progress + 1
    row = page.locator(f"#rec-register tr.rec-row[data-id='{rec_id}'] .rec-status")
    expect(row).to_have_class(re.compile(r"\brec-in_progress\b"))
