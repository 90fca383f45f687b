"""A live storfa site driven by Debian's Chromium through Playwright.

One site per session: the web-test world (tests/webworld.py: a review per
access level, two organisations, a user for every role, the administrator with
TOTP enrolled) plus a small generated corpus so searches have facets and more
than one page of hits. `storfa serve` runs it as a subprocess, exactly as a
user starts it, with its background ingest worker for uploads."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Generator, Iterator
from pathlib import Path

import pyotp
import pytest
from livesite import SECOND_ADMIN, SignIn, Site
from playwright.sync_api import Browser, Page, expect, sync_playwright

from storfa.ingest.after_store import after_store
from storfa.synthetic.corpus import generate_corpus
from webworld import HOME_ORG, PASSWORD, REVIEWS, SYSTEM, backend_env, build_world

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking"]
# Long enough for a loaded two-core machine; expect() returns as soon as it holds.
EXPECT_TIMEOUT_MS = 15_000
STARTUP_SECONDS = 60
# Generated reviews ingested besides the web-test world, and how many of them are PDFs.
CORPUS_SIZE = 12
PAGED_REVIEWS = 2
# Outside pytest's numbered temp folders, which other pytest runs prune.
FAILURES = Path(tempfile.gettempdir()) / "storfa-browser-failures"


def pytest_configure(config: pytest.Config) -> None:
    # Also listed in pyproject.toml; registered here so --strict-markers accepts
    # the marker whichever way the folder is run.
    config.addinivalue_line("markers", "browser: drives a real browser against a live server")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the item, so the page fixture knows a test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session", autouse=True)
def _needs_chromium() -> None:
    """Skip the folder without a browser, except on CI, where that is a failure."""
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is not installed (apt-get install chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run on CI: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_healthy(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"storfa serve exited with {server.returncode}:\n"
                               f"{log.read_text(errors='replace')[-3000:]}")
        with (contextlib.suppress(urllib.error.URLError, OSError),
              urllib.request.urlopen(f"{url}/healthz", timeout=2) as response):
            if response.status == 200:
                return
        time.sleep(0.2)  # polling a socket: there is no event to wait on
    raise RuntimeError(f"storfa serve did not answer /healthz in {STARTUP_SECONDS} s:\n"
                       f"{log.read_text(errors='replace')[-3000:]}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM lets `storfa serve` stop its ingest worker; SIGKILL the group if it hangs."""
    if server.poll() is None:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=20)
    with contextlib.suppress(ProcessLookupError):
        # The server was started in its own session: this group is only it and its worker.
        os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, _needs_chromium: None) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("browser-site")
    data_dir = root / "data"
    corpus, upload_dir = root / "corpus", root / "upload"
    corpus.mkdir()
    upload_dir.mkdir()
    # One corpus so identifiers stay unique: mostly Markdown (fast to parse, one
    # page each), two PDFs with real pages, and one PDF kept back for uploading.
    written = generate_corpus(root / "generated", CORPUS_SIZE + 1, seed=3,
                              formats=("md", "pdf"), pages_hint=4)
    for path in written:
        number = int(path.name.split("-")[1])  # review-00007-CPR2016-W01.md
        wanted = ".pdf" if number >= CORPUS_SIZE - PAGED_REVIEWS else ".md"
        if path.suffix == wanted:
            path.rename((upload_dir if number == CORPUS_SIZE else corpus) / path.name)
    (upload_pdf,) = upload_dir.iterdir()
    with backend_env("sqlite", None):
        world = build_world(data_dir, root / "world")
        try:
            results = world.storfa.ingest.ingest(sorted(corpus.iterdir()))
            assert [r.status for r in results] == ["ingested"] * CORPUS_SIZE, results
            # As `storfa ingest` does: recommendations into the register, then the rest.
            after = after_store(world.storfa, [r.review_id for r in results if r.review_id],
                                SYSTEM.name)
            assert not after.failures, after
            paged = [r.review_id for r in results if r.path.endswith(".pdf")]
            # A second administrator, so no two tests sign in with the same TOTP code
            # (a server may rightly refuse a code used once already).
            admin = world.storfa.accounts.add_user(SECOND_ADMIN, PASSWORD, "administrator",
                                                   HOME_ORG, SYSTEM)
            secret = world.storfa.accounts.new_totp_secret()
            assert world.storfa.accounts.enrol_totp(admin, secret, pyotp.TOTP(secret).now(),
                                                    SYSTEM)
            totp = {**world.totp, SECOND_ADMIN: secret}
        finally:
            world.close()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("STORFA_") or k == "STORFA_REQUIRE_POSTGRES"}
    env.update(STORFA_SEARCH_ENGINE="tantivy", STORFA_WORKERS="1")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = root / "server.log"
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "storfa.cli", "--data", str(data_dir), "serve",
             "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_healthy(url, server, log)
        restricted_id, _board, word = REVIEWS["restricted"]
        yield Site(url, data_dir, totp, restricted_id, word, paged[0], upload_pdf, log)
    finally:
        _stop(server)


@pytest.fixture(scope="session")
def browser(site: Site) -> Iterator[Browser]:
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, site: Site, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser context (no cookies) per test; a screenshot when it fails."""
    context = browser.new_context(base_url=site.url, locale="en-GB")
    context.set_default_timeout(EXPECT_TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        FAILURES.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        with contextlib.suppress(Exception):  # a screenshot must not hide the failure
            shutil.copyfile(site.log, FAILURES / "server.log")
            tab.screenshot(path=str(FAILURES / f"{name}.png"), full_page=True)
            print(f"screenshot and server log in {FAILURES}")
    context.close()


@pytest.fixture
def sign_in(site: Site) -> SignIn:
    def go(page: Page, username: str, password: str = PASSWORD) -> None:
        page.goto("/login")
        page.locator("#username").fill(username)
        page.locator("#password").fill(password)
        page.locator("form[action='/login'] button[type=submit]").click()
        if username in site.totp:
            code = page.locator("#code")
            expect(code).to_be_visible()
            page.locator("#password").fill(password)
            code.fill(site.code(username))
            page.locator("form[action='/login'] button[type=submit]").click()
        expect(page.locator("form[action='/logout']")).to_be_visible()

    return go
