"""axe-core on every page a person reaches (issue 16 item 3): anonymous, reader,
coder, editor and administrator, in English, and a handful of pages in Welsh.
No violation of impact `serious` or `critical` is allowed; the failure lists
each one with its rule, impact, target selector, role and page.

Each role has one browser context. It starts from a few pages (the home page,
searches in each mode, the sign-in and error pages) and follows every link on
the site it is shown, visiting one page of each shape: a path with its ids and
review keys replaced by `{n}`, plus the query parameters that change what the
page is (search mode, keyword in context, the review a briefing is about …),
not those that only filter it. A page whose elements (tags, classes, roles,
ARIA and form attributes) are the same as a page of the same shape already
checked for another role is not checked again. Downloads are not pages.

A few reviews of the web-test world are coded beforehand through the coding
service by two coders of this test's own, so the suggestion queue, the
coding view and the agreement page have something to show. axe-core comes
inside the axe-playwright-python wheel (docs/dependencies.md)."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe
from livesite import Site
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError

from storfa.app import Storfa
from storfa.coding.codebooks import load_codebook
from storfa.config import Settings
from storfa.domain.coding import NewExtract
from storfa.storage.sql.extracts import SQLExtracts
from webworld import HOME_ORG, PASSWORD, REVIEWS, SYSTEM, backend_env

pytestmark = pytest.mark.browser

ROLES = ("anonymous", "reader", "coder", "editor", "administrator")
FAILING_IMPACTS = frozenset({"serious", "critical"})
# Where each role starts; everything else is found by following links.
SEEDS = ("/", "/search?q=curiosity", "/search?q=curiosity&kwic=1",
         "/search?q=curiosity&mode=semantic", "/search?q=curiosity&mode=hybrid",
         "/search?q=zzzqqqnothing", "/reviews", "/login", "/no-such-page",
         "/coding/agreement", "/reports", "/reports/briefing")
# Checked in Welsh as well (as the reader), {public} being the public review's key.
WELSH = ("/", "/search?q=curiosity", "/reviews/{public}", "/coding", "/analysis",
         "/recommendations", "/account", "/no-such-page")
# Checked on a phone as well (as the coder): rules such as scrollable regions and
# target sizes depend on the width.
PHONE = (390, 844)
ON_PHONE = ("/", "/search?q=curiosity", "/search?q=curiosity&kwic=1", "/reviews",
            "/reviews/{public}", "/coding", "/coding/queue", "/coding/matrix",
            "/coding/agreement", "/analysis", "/analysis/variables", "/recommendations",
            "/reports")
# Query parameters that choose another view rather than narrowing the same one.
VIEW_KEYS = frozenset({"mode", "kwic", "review", "compare", "by", "show", "group", "theme"})
# … of which these choose among a few fixed views, each its own shape.
CHOICE_KEYS = frozenset({"mode", "show", "by"})
# Not pages: the API, static files, downloads, files and exports.
NOT_PAGES = re.compile(
    r"^/(api|static|metrics|healthz|readyz)(/|$)|/original$|/renditions/|/files/|/evidence/"
    r"|/export|/colours/|\.(csv|xlsx|pdf|docx|sav|svg|png|qdc|qdpx|json|css|js|zip|txt)$")
# A guard against a crawl that never ends (a shape with ever new view parameters).
MAX_PAGES_PER_ROLE = 150
CODERS = ("a11y-coder-1", "a11y-coder-2")
# An administrator of this test's own: no other test signs in with its TOTP codes.
ADMIN = "a11y_admin"
BOOK = "best-practice"
SUGGESTED = "Multi-agency working"

# Every distinct element description on the page: what axe's rules look at.
STRUCTURE = """() => {
  const seen = new Set();
  const attributes = ['role', 'type', 'for', 'name', 'lang', 'tabindex', 'disabled', 'href',
    'aria-label', 'aria-labelledby', 'aria-describedby', 'aria-current', 'aria-hidden',
    'aria-expanded', 'aria-live', 'title', 'alt', 'open', 'hidden'];
  for (const el of document.querySelectorAll('*')) {
    let d = el.tagName;
    const cls = el.getAttribute('class');
    if (cls) d += '.' + cls.trim().split(/\\s+/).sort().join('.');
    for (const a of attributes) if (el.hasAttribute(a)) d += '[' + a + ']';
    seen.add(d);
  }
  return [...seen].sort().join('\\n');
}"""


@dataclass
class Found:
    role: str
    view: str
    url: str
    rule: str
    impact: str
    target: str
    help: str

    def __str__(self) -> str:
        return (f"{self.rule} ({self.impact}) at {self.target} on {self.url} "
                f"[{self.role}, {self.view}]: {self.help}")


@dataclass
class Audit:
    axe: Axe
    checked: dict[tuple[str, str, str], str] = field(default_factory=dict)  # → first url
    found: list[Found] = field(default_factory=list)
    pages: int = 0
    runs: int = 0
    skipped: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)  # pages answering 5xx
    lesser: Counter[str] = field(default_factory=Counter)  # moderate and minor: reported only

    def run(self, page: Page, role: str, view: str, shape: str) -> None:
        """axe over the page as it is now, unless a page of this shape and structure
        was checked already in this view (English, Welsh, English on a phone)."""
        self.pages += 1
        key = (view, shape, page.evaluate(STRUCTURE))
        if key in self.checked:
            return
        self.checked[key] = page.url
        self.runs += 1
        results = self.axe.run(page)
        for violation in results.response["violations"]:
            for node in violation["nodes"]:
                target = " ".join(str(t) for t in node["target"])
                if violation.get("impact") not in FAILING_IMPACTS:
                    self.lesser[f"{violation['id']} ({violation.get('impact')}) at {target} "
                                f"on {shape}"] += 1
                    continue
                self.found.append(Found(
                    role, view, urlsplit(page.url)._replace(scheme="", netloc="").geturl(),
                    violation["id"], str(node.get("impact") or violation["impact"]),
                    target, violation["help"]))


def shape(url: str) -> str:
    parts = urlsplit(url)
    path = "/".join("{n}" if re.search(r"\d", s) else s for s in parts.path.split("/"))
    view = sorted(f"{k}={v}" if k in CHOICE_KEYS else k
                  for k, v in parse_qsl(parts.query, keep_blank_values=True) if k in VIEW_KEYS)
    return path + ("?" + "&".join(view) if view else "")


def _links(page: Page, origin: str) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin or NOT_PAGES.search(parts.path):
            continue
        found.append(parts._replace(fragment="").geturl())
    return found


def _crawl(page: Page, audit: Audit, role: str, origin: str) -> None:
    queue = [origin + seed for seed in SEEDS]
    shapes: set[str] = set()
    visited = 0
    while queue and visited < MAX_PAGES_PER_ROLE:
        url = queue.pop(0)
        if shape(url) in shapes:
            continue
        shapes.add(shape(url))
        try:
            response = page.goto(url)
        except PlaywrightError as error:  # a link that downloads a file
            audit.skipped.append(f"{role} {url}: {str(error).splitlines()[0]}")
            continue
        if response is None or "text/html" not in (response.header_value("content-type")
                                                   or ""):
            continue
        visited += 1
        if response.status >= 500:
            audit.broken.append(f"{url} ({response.status}, {role})")
        audit.run(page, role, "en", shape(page.url))
        queue += [u for u in _links(page, origin) if shape(u) not in shapes]
    assert visited < MAX_PAGES_PER_ROLE, f"{role}: more than {MAX_PAGES_PER_ROLE} page shapes"


@dataclass(frozen=True)
class Prepared:
    public: str  # the public review's key
    totp: dict[str, str]  # username → TOTP secret, this test's administrator included


def _sign_in(page: Page, audit: Audit, prepared: Prepared, username: str) -> None:
    """The real sign-in form, checked as it is shown: after a wrong password, and
    with its TOTP step."""
    page.goto("/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill("not the password")
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page.locator(".error[role=alert]")).to_be_visible()
    audit.run(page, username, "en", "/login#refused")
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    if username in prepared.totp:
        code = page.locator("#code")
        expect(code).to_be_visible()
        audit.run(page, username, "en", "/login#totp")
        page.locator("#password").fill(PASSWORD)
        code.fill(pyotp.TOTP(prepared.totp[username]).now())
        page.locator("form[action='/login'] button[type=submit]").click()
    expect(page.locator("form[action='/logout']")).to_be_visible()


@pytest.fixture(scope="module")
def prepared(site: Site) -> Iterator[Prepared]:
    """Two coders code passages of the public world review (one agreeing, one
    not), and auto-coding suggestions wait on the registered one. Only world
    reviews are touched, which the other browser tests leave to themselves.
    An administrator of this test's own, with TOTP enrolled."""
    with backend_env("sqlite", None):
        app = Storfa(Settings.from_env(data_dir=site.data_dir))
        try:
            public, registered = REVIEWS["public"][0], REVIEWS["registered"][0]
            record = app.store.get_review(public)
            assert record is not None
            passages = [p for p in sorted(app.store.passages(record.version_id),
                                          key=lambda p: p.start) if p.kind != "heading"]
            first, second = passages[0], passages[-1]
            for coder in CODERS:
                app.coding.code_span(public, first.start, first.end, BOOK,
                                     "Escalating concerns", coder)
            app.coding.code_span(public, second.start, second.end, BOOK,
                                 "Record keeping", CODERS[0])
            other = app.store.get_review(registered)
            assert other is not None
            sql = SQLExtracts(app.store.db)  # type: ignore[attr-defined]
            text = sql.version_text(other.version_id)
            theme = load_codebook(BOOK).theme(SUGGESTED).name
            sql.replace_suggestions(other.id, BOOK, [NewExtract(
                review_row=other.id, version_id=other.version_id, start=p.start, end=p.end,
                text=text[p.start:p.end], codebook=BOOK, code=SUGGESTED,
                theme=theme, coder="auto-coder", how="model", passage_id=p.id, page=p.page,
                confidence=0.7, source_detail="accessibility-test")
                for p in app.store.passages(other.version_id) if p.kind != "heading"][:2])
            admin = app.accounts.add_user(ADMIN, PASSWORD, "administrator", HOME_ORG, SYSTEM)
            secret = app.accounts.new_totp_secret()
            assert app.accounts.enrol_totp(admin, secret, pyotp.TOTP(secret).now(), SYSTEM)
        finally:
            app.store.close()
    yield Prepared(public, {**site.totp, ADMIN: secret})


def _context(browser: Browser, site: Site) -> BrowserContext:
    context = browser.new_context(base_url=site.url, locale="en-GB",
                                  viewport={"width": 1366, "height": 900})
    context.set_default_timeout(30_000)
    return context


def test_no_serious_or_critical_accessibility_violation(
        browser: Browser, site: Site, prepared: Prepared) -> None:
    audit = Audit(Axe())
    started = time.monotonic()
    for role in ROLES:
        context = _context(browser, site)
        try:
            page = context.new_page()
            if role != "anonymous":
                _sign_in(page, audit, prepared, ADMIN if role == "administrator" else role)
            _crawl(page, audit, role, site.url)
            if role == "reader":
                page.goto("/")
                page.locator("button[name=lang][value=cy]").click()
                expect(page.locator("html")).to_have_attribute("lang", "cy")
                for path in WELSH:
                    page.goto(path.format(public=prepared.public))
                    audit.run(page, role, "cy", shape(page.url))
            if role == "coder":
                page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
                for path in ON_PHONE:
                    page.goto(path.format(public=prepared.public))
                    audit.run(page, role, "en, phone", shape(page.url))
        finally:
            context.close()
    elapsed = time.monotonic() - started
    print(f"axe: {audit.pages} pages visited, {audit.runs} checked, "
          f"{len({k[1] for k in audit.checked})} shapes, {elapsed:.0f} s")
    for what, times in sorted(audit.lesser.items()):
        print(f"axe: not failing: {what} ({times}×)")
    for line in audit.skipped:
        print(f"axe: skipped {line}")
    assert audit.runs > 40, sorted({k[1] for k in audit.checked})
    assert not audit.broken, f"pages answering a server error: {audit.broken}"
    assert not audit.found, (f"{len(audit.found)} serious or critical violations:\n"
                             + "\n".join(sorted({str(f) for f in audit.found})))
