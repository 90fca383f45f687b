"""Refusals raised by the core read in Welsh on Welsh pages, with what the
user sent filled in: the error carries its English template and values
(storfa.domain.errors.StorfaError), the page looks the template up in its
catalogue and formats it. The CLI and str() keep the English.

That every placeholder of a msgid is kept in its msgstr is checked over the
whole catalogue by tests/test_web_i18n.py::test_placeholders_match; here the
Welsh templates of core errors are also formatted with the values the core
gives them, which catches a placeholder mistyped in a way the names hide
(a lost `!r` or `:,`)."""

from __future__ import annotations

import html as htmllib
from collections.abc import Iterator

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from storfa.accounts.passwords import MIN_LENGTH
from storfa.domain.errors import StorfaError
from storfa.search.query import parse_query
from storfa.web.i18n import LOCALE_DIR, translations
from storfa.web.security import LANG_COOKIE
from webworld import World, build_world

# The public review gets a recommendation to track (extracted after ingest).
RECOMMENDATION = ("\n## Recommendations\n\n1. The Health Board should ensure that "
                  "practitioners escalate concerns about neglect.\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("web-i18n-errors")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("STORFA_DATABASE_URL", raising=False)
        mp.delenv("STORFA_SEARCH_ENGINE", raising=False)
        world = build_world(base / "data", base / "reviews", extra={"public": RECOMMENDATION})
        yield world
        world.close()


def welsh(world: World, who: str) -> tuple[TestClient, str]:
    """The person's client asking for Welsh, and the CSRF token of their forms."""
    client = world.client(who)
    client.cookies.set(LANG_COOKIE, "cy")
    return client, world.page_csrf(who)


def said(response: object) -> str:
    return htmllib.unescape(response.text)  # type: ignore[attr-defined]


def test_a_case_variable_refusal_names_the_variable_and_the_value(site: World) -> None:
    client, csrf = welsh(site, "coder")
    key = site.keys["public"]
    refused = client.post(f"/analysis/variables/{key}", data={
        "variable": "index_incident_type", "value": "perhaps", "csrf_token": csrf})
    assert refused.status_code == 400
    text = said(refused)
    assert "Mae index_incident_type yn un o: suicide, SUDI," in text
    assert "neu not_known (cafwyd 'perhaps')." in text
    assert "is one of" not in text


def test_a_recommendation_refusal_quotes_the_date_given(site: World) -> None:
    client, csrf = welsh(site, "editor")
    recs = site.storfa.register().listing(site.keys["public"])
    assert recs, "the public review has no recommendations to track"
    rec = recs[0][1]
    refused = client.post(f"/recommendations/{rec.id}/track",
                          data={"due": "next spring", "csrf_token": csrf})
    assert refused.status_code == 400
    text = said(refused)
    assert "Mae'r dyddiad erbyn ar ffurf BBBB-MM-DD (cafwyd 'next spring')." in text
    assert "Due date is" not in text


def test_a_codebook_refusal_quotes_the_colour(site: World) -> None:
    client, csrf = welsh(site, "editor")
    refused = client.post("/codebooks/best-practice/add", data={
        "code": "Teulu cyfan", "colour": "red", "csrf_token": csrf})
    assert refused.status_code == 400
    assert "Ysgrifennir lliw ar ffurf #RRGGBB (cafwyd 'red')." in said(refused)


def test_a_disclosure_refusal_lists_the_decisions(site: World) -> None:
    client, csrf = welsh(site, "editor")
    key = site.keys["public"]
    refused = client.post(f"/reviews/{key}/disclosure/decide", data={
        "finding": "f1", "decision": "maybe", "csrf_token": csrf})
    assert refused.status_code == 400
    text = said(refused)
    assert "Mae penderfyniad yn un o " in text and "(cafwyd 'maybe')." in text
    short = client.post(f"/reviews/{key}/disclosure/terms",
                        data={"term": "x", "csrf_token": csrf})
    assert short.status_code == 400
    assert "Mae angen o leiaf ddau nod ar derm." in said(short)


def test_an_account_refusal_gives_the_shortest_password(site: World) -> None:
    client, csrf = welsh(site, "administrator")
    refused = client.post("/admin/users", data={
        "username": "newcomer", "password": "short", "role": "reader", "csrf_token": csrf})
    assert refused.status_code == 400
    assert f"Mae angen o leiaf {MIN_LENGTH} nod ar gyfrineiriau." in said(refused)
    taken = client.post("/admin/users", data={
        "username": "coder", "password": "long enough password", "role": "reader",
        "csrf_token": csrf})
    assert "Mae'r enw defnyddiwr 'coder' wedi'i gymryd." in said(taken)


def test_a_search_refusal_says_which_operator_and_why(site: World) -> None:
    client, _ = welsh(site, "reader")
    page = said(client.get("/search", params={"q": "neglect NOT type:CPR"}))
    assert "Ni ellir negyddu hidlydd â NOT." in page
    assert "Mae hidlyddion yn dewis pa adolygiadau i chwilio ynddynt" in page
    long = said(client.get("/search", params={"q": "neglect NEAR type:CPR"}))
    assert "Mae angen gair, rhagddodiad neu ymadrodd ar bob ochr i NEAR, nid hidlydd." in long


def test_english_stays_for_the_cli() -> None:
    """str() of the same refusals is the English the CLI prints."""
    with pytest.raises(StorfaError) as raised:
        parse_query("neglect NOT type:CPR")
    assert str(raised.value).startswith("A filter cannot be negated with NOT.")
    welsh_text = raised.value.translated(translations("cy").gettext)
    assert welsh_text.startswith("Ni ellir negyddu hidlydd â NOT.")


# ------------------------------------------------------------ the catalogue
@pytest.fixture(scope="module")
def catalogue() -> Catalog:
    with (LOCALE_DIR / "cy" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh)


class _Any:
    """A value every format spec a core message uses accepts (!r, :, and plain)."""

    def __format__(self, spec: str) -> str:
        return format(1234, spec) if spec else "x"

    def __repr__(self) -> str:
        return "'x'"


class _Values(dict[str, object]):
    def __missing__(self, key: str) -> object:
        return _Any()


def test_every_welsh_template_formats_like_its_english(catalogue: Catalog) -> None:
    """A msgstr that keeps a placeholder's name but breaks its field (an
    unbalanced brace, `{n!}`, a spec the value cannot take) would raise when a
    page formats a core error: format each pair with the same values."""
    broken = []
    for message in catalogue:
        if not message.id or "{" not in str(message.id):
            continue
        try:
            str(message.id).format_map(_Values())
        except (ValueError, IndexError, KeyError):
            continue  # not a format template (e.g. literal braces in page text)
        try:
            str(message.string).format_map(_Values())
        except (ValueError, IndexError, KeyError) as exc:
            broken.append((message.id, str(exc)))
    assert not broken, broken
