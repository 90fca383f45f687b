"""The web interface in English and Welsh: the catalogue is complete, and a
visitor who asks for Welsh gets it on every route into the site."""

from __future__ import annotations

import html as htmllib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from tests.reviewtext import write_reviews

from storfa.accounts.service import LOGIN_FAILED, LOGIN_LIMITED
from storfa.app import Storfa
from storfa.config import Settings
from storfa.domain.accounts import LEVELS, ROLES
from storfa.domain.errors import N_, StorfaError
from storfa.domain.reviews import DATE_FIELDS, ReviewType
from storfa.search.query import parse_query
from storfa.web.app import create_app
from storfa.web.i18n import LOCALE_DIR, translations
from storfa.web.routes.pages import EDITABLE_FIELDS
from storfa.web.security import LANG_COOKIE
from webworld import World, build_world, csrf_of

ROOT = Path(__file__).resolve().parent.parent
WELSH_PO = LOCALE_DIR / "cy" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


@pytest.fixture(scope="module")
def welsh() -> Catalog:
    return read_catalog(WELSH_PO)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """What scripts/i18n.sh would extract from the code and templates right now."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    pybabel = [sys.executable, "-m", "babel.messages.frontend"]
    subprocess.run([*pybabel, "extract", "-F", "babel.cfg", "-k", "_", "-k", "N_",
                    "--no-default-keywords",
                    "--omit-header", "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True, timeout=120)
    return read_catalog(pot)


def test_every_extracted_message_is_in_the_welsh_catalogue(extracted: Catalog,
                                                           welsh: Catalog) -> None:
    missing = sorted(m.id for m in extracted if m.id and m.id not in welsh)
    assert len([m for m in extracted if m.id]) > 150, "extraction found too little"
    assert not missing, f"run scripts/i18n.sh and translate: {missing}"


def test_the_welsh_catalogue_is_complete(welsh: Catalog) -> None:
    untranslated = [m.id for m in welsh if m.id and not m.string]
    fuzzy = [m.id for m in welsh if m.id and m.fuzzy]
    same = [m.id for m in welsh
            if m.id and m.string == m.id and not re.fullmatch(r"[\W\d{}]*", str(m.id))]
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy
    assert not welsh.obsolete, "obsolete entries left behind"
    # A string left in English is usually a slip, not a translation.
    assert not same, same


def test_placeholders_match(welsh: Catalog) -> None:
    for message in welsh:
        if message.id:
            assert (sorted(PLACEHOLDER.findall(str(message.id)))
                    == sorted(PLACEHOLDER.findall(str(message.string)))), message.id


def test_labels_for_data_values_are_translated() -> None:
    """Roles, access levels, fields, review types and login errors reach the
    page as data; labels.html (and auth.py) must find each in the catalogue."""
    welsh = translations("cy")
    names = [*ROLES, *LEVELS, "parsed", "option", LOGIN_FAILED, LOGIN_LIMITED]
    for name in names:
        assert welsh.gettext(name) != name, name
    templates = (ROOT / "src/storfa/web/templates/labels.html").read_text()
    for field in {*EDITABLE_FIELDS, *DATE_FIELDS}:
        assert f'"{field}":' in templates, f"labels.field lacks {field}"
    for review_type in ReviewType:
        assert f'"{review_type.value}":' in templates, f"labels.review_type lacks {review_type}"


# ------------------------------------------------------------------ pages
@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    base = tmp_path_factory.mktemp("web-i18n")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("STORFA_DATABASE_URL", raising=False)
        mp.delenv("STORFA_SEARCH_ENGINE", raising=False)
        storfa = Storfa(Settings.from_env(data_dir=base / "data", workers=1))
        storfa.ingest.ingest(write_reviews(base / "in"))
        with TestClient(create_app(storfa)) as test_client:
            yield test_client
        storfa.close()


def page(client: TestClient, path: str, **kwargs: object) -> str:
    """The page's text with entities decoded (Welsh is full of apostrophes)."""
    return htmllib.unescape(client.get(path, **kwargs).text)  # type: ignore[arg-type]


def is_welsh(html: str) -> bool:
    html = htmllib.unescape(html)
    return ('<html lang="cy">' in html and ">Chwilio<" in html
            and "Chwilio'r adolygiadau" in html and ">Search<" not in html)


def test_english_by_default(client: TestClient) -> None:
    html = client.get("/").text
    assert '<html lang="en">' in html
    assert "Search the reviews" in html and ">Cymraeg<" in html


@pytest.mark.parametrize("how", ["cookie", "query", "header"])
def test_welsh_on_request(client: TestClient, how: str) -> None:
    client.cookies.clear()
    # The home page: on /search, "lang" is also the review-language facet.
    if how == "cookie":
        client.cookies.set(LANG_COOKIE, "cy")
        response = client.get("/")
    elif how == "query":
        response = client.get("/", params={"lang": "cy"})
    else:
        response = client.get("/", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"})
    client.cookies.clear()
    assert response.status_code == 200
    assert is_welsh(response.text), response.text[:2000]
    assert ">English<" in response.text  # the switch back


def test_welsh_pages_show_welsh_labels(client: TestClient) -> None:
    client.cookies.clear()
    client.cookies.set(LANG_COOKIE, "cy")
    try:
        home = page(client, "/")
        assert "Adolygiadau yn ôl math" in home and "Adolygiad Ymarfer Plant" in home
        results = page(client, "/search", params={"q": "neglect"})
        assert "Cyfyngu ar y canlyniadau" in results and "Math o adolygiad" in results
        review = page(client, "/reviews/CPR2019-W03")
        assert "Am yr adolygiad hwn" in review and "Digwyddiad mynegai" in review
        assert "Lawrlwytho'r gwreiddiol" in review
        login = page(client, "/login")
        assert "Enw defnyddiwr" in login and "Cyfrinair" in login
        missing = client.get("/no-such-page")
        assert missing.status_code == 404 and "Heb ei ganfod" in missing.text
    finally:
        client.cookies.clear()


def test_language_switch_sets_the_cookie_and_goes_back(client: TestClient) -> None:
    client.cookies.clear()
    response = client.post("/language", data={"lang": "cy", "next": "/search?q=neglect"},
                           follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/search?q=neglect"
    assert f"{LANG_COOKIE}=cy" in response.headers["set-cookie"]
    assert is_welsh(client.get("/search").text)
    back = client.post("/language", data={"lang": "en", "next": "//evil.example/"},
                       follow_redirects=False)
    assert back.headers["location"] == "/"  # never an open redirect
    assert '<html lang="en">' in client.get("/").text
    client.cookies.clear()


def test_pages_carry_no_inline_script_or_style(client: TestClient) -> None:
    """The CSP forbids both; a page that used them would break silently."""
    client.cookies.clear()
    for path in ("/", "/search?q=neglect", "/search?q=neglect&kwic=1", "/reviews",
                 "/reviews/CPR2019-W03", "/login", "/nowhere"):
        html = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        assert "<style" not in html and " style=" not in html, path
        assert not re.search(r"\son[a-z]+=", html), path
        assert html.count("<h1") == 1, path
        assert "<main" in html and "<nav" in html and "<footer" in html, path


# ------------------------------------------- what the core and its data say
def test_checklist_rationales_and_category_values_are_translated() -> None:
    """The quality checklist and the case variables reach pages as data from
    analysis/data/*.json; the templates pass them through _()."""
    welsh = translations("cy")
    data = ROOT / "src/storfa/analysis/data"
    checklist = json.loads((data / "quality_checklist.json").read_text())["items"]
    variables = json.loads((data / "case_variables.json").read_text())["variables"]
    words = [*(i["label"] for i in checklist), *(i["rationale"] for i in checklist),
             *(c["value"] for v in variables for c in v.get("categories", ()))]
    # "1-5" or "16+" read the same in Welsh; anything with a letter must not.
    untranslated = [w for w in words if re.search(r"[A-Za-z]", w) and welsh.gettext(w) == w]
    assert not untranslated, untranslated


def test_core_errors_are_looked_up_by_their_template() -> None:
    welsh = translations("cy")
    with pytest.raises(StorfaError) as raised:
        parse_query('"never closed')
    assert str(raised.value).startswith("This quote is never closed.")
    assert raised.value.translated(welsh.gettext).startswith("Nid yw'r dyfynnod hwn byth yn cau.")
    # Values are filled in after the lookup, in English and in Welsh alike.
    error = StorfaError(N_("No review called {key!r}."), key="X1")
    assert str(error) == "No review called 'X1'."
    assert error.translated(welsh.gettext) == "Does dim adolygiad o'r enw 'X1'."
    # A message given already formatted is looked up whole, and read as it is.
    assert StorfaError("Not in any catalogue.").translated(welsh.gettext) == (
        "Not in any catalogue.")


@pytest.fixture(scope="module")
def analyst(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("web-i18n-analyst")
    site = build_world(base / "data", base / "reviews")
    yield site
    site.close()


def test_a_welsh_page_shows_rationale_category_and_core_error(analyst: World) -> None:
    coder = analyst.client("coder")
    coder.cookies.set(LANG_COOKIE, "cy")
    key = analyst.keys["public"]
    quality = htmllib.unescape(coder.get("/analysis/quality").text)
    assert "Y digwyddiad a arweiniodd at yr adolygiad yw angor y llinell amser" in quality
    grid = coder.get("/analysis/variables", params={"review": key})
    text = htmllib.unescape(grid.text)
    assert grid.status_code == 200 and "esgeulustod angheuol" in text  # fatal neglect
    assert ">fatal neglect<" not in text
    refused = coder.post(f"/analysis/variables/{key}", data={
        "variable": "child_neglect", "value": "perhaps", "csrf_token": csrf_of(grid.text)})
    assert refused.status_code == 400
    assert ("Mae child_neglect naill ai'n bresennol neu'n not_known (cafwyd 'perhaps')."
            in htmllib.unescape(refused.text))
    search = htmllib.unescape(coder.get("/search", params={"q": '"never closed'}).text)
    assert "Nid yw'r dyfynnod hwn byth yn cau." in search
    assert "This quote is never closed." not in search
