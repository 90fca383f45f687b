"""What the browser tests know about the live site the conftest starts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyotp
from playwright.sync_api import Page

# An administrator besides the web-test world's, with TOTP enrolled too.
SECOND_ADMIN = "browser_admin"


class SignIn(Protocol):
    """The conftest's sign_in fixture: the real form, with the TOTP code when enrolled."""

    def __call__(self, page: Page, username: str, password: str = ...) -> None: ...


@dataclass(frozen=True)
class Site:
    url: str
    data_dir: Path
    totp: dict[str, str]           # username → TOTP secret
    restricted_id: str             # a review only the home organisation may see
    restricted_word: str           # found in that review and nowhere else
    paged_review: str              # a review of several pages (ingested from a PDF)
    upload_pdf: Path               # a real review PDF not yet in the corpus
    log: Path                      # the server's stderr

    def code(self, username: str) -> str:
        return pyotp.TOTP(self.totp[username]).now()
