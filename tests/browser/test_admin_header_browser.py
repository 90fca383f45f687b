"""/admin at 1280 px, the width of a common laptop: the header (every link an
administrator has, the language switch, the account and signing out) stays
on one line in English and in Welsh, and each organisation's kind shows once,
in the select that changes it, not also as text beside it."""

from __future__ import annotations

import pytest
from livesite import SECOND_ADMIN, SignIn
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 900}
# The header's parts (brand, each main link, the session links) and their
# vertical extent: on one line, every part's middle lies within the brand's.
PARTS = """() => [document.querySelector('header.top .brand'),
  ...document.querySelectorAll('header.top .main-nav li'),
  ...document.querySelectorAll('header.top .session > *')].map(el => {
    const r = el.getBoundingClientRect();
    return {what: el.textContent.trim(), top: r.top, bottom: r.bottom, right: r.right};
  })"""
# Each organisation's row without its name and fields: what is left is the
# button; a kind written beside the select would be left too.
ROW_TEXT = """() => [...document.querySelectorAll('ul.orgs > li')].map(li => {
    const copy = li.cloneNode(true);
    copy.querySelectorAll('.org-name, select, input, label, .visually-hidden')
      .forEach(el => el.remove());
    return {text: copy.textContent, kinds: li.querySelectorAll('select[name=kind]').length};
  })"""


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_admin_header_one_line_and_kind_once(page: Page, sign_in: SignIn, lang: str) -> None:
    page.set_viewport_size(LAPTOP)
    sign_in(page, SECOND_ADMIN)
    page.goto(f"/admin?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    parts = page.evaluate(PARTS)
    brand, rest = parts[0], parts[1:]
    assert len(rest) > 9  # every main link and the session's three
    for part in rest:
        middle = (part["top"] + part["bottom"]) / 2
        assert brand["top"] <= middle <= brand["bottom"], (part, brand)
        assert part["right"] <= LAPTOP["width"], part
    rows = page.evaluate(ROW_TEXT)
    assert rows and all(r["kinds"] == 1 for r in rows)
    save = {"en": "Save", "cy": "Cadw"}[lang]
    assert all(r["text"].split() == [save] for r in rows), rows
