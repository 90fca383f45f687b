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
import string
from collections.abc import Callable, Iterator

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from storfa.accounts.passwords import MIN_LENGTH
from storfa.analysis.tables import Table
from storfa.domain.errors import StorfaError, Words
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


def test_a_metadata_correction_refusal_quotes_the_value(site: World) -> None:
    client, csrf = welsh(site, "editor")
    key = site.keys["public"]
    board = client.post(f"/reviews/{key}/metadata", data={
        "field": "board", "value": "Atlantis", "csrf_token": csrf})
    assert board.status_code == 400
    assert "Nid yw 'Atlantis' yn fwrdd diogelu yng Nghymru." in said(board)
    date = client.post(f"/reviews/{key}/metadata", data={
        "field": "referral", "value": "soon", "csrf_token": csrf})
    assert date.status_code == 400
    assert ("Methwyd darllen 'soon' fel dyddiad; ysgrifennwch ef ar ffurf BBBB-MM-DD."
            in said(date))
    kind = client.post(f"/reviews/{key}/metadata", data={
        "field": "type", "value": "XYZ", "csrf_token": csrf})
    assert "Math anhysbys o adolygiad 'XYZ'; defnyddiwch un o CPR, APR," in said(kind)
    assert "as a date" not in said(date) and "safeguarding board" not in said(board)


def test_a_briefing_and_a_thematic_refusal_name_what_was_asked(site: World) -> None:
    client, _ = welsh(site, "reader")
    theme = client.get("/reports/briefing", params={"theme": "Moonlight"})
    assert theme.status_code == 404
    assert ("Nid oes gan unrhyw lyfr codau god na thema o'r enw 'Moonlight'."
            in said(theme))
    nothing = said(client.get("/reports/thematic",
                              params={"year_from": "1901", "year_to": "1902"}))
    assert "Nid oes unrhyw adolygiad gweladwy yn cyfateb i'r dewis hwnnw." in nothing
    assert "No visible review" not in nothing


def test_a_codebook_file_refusal_names_the_file_in_welsh(site: World) -> None:
    """The file is named by words the page translates too ("The .qdc file")."""
    client, csrf = welsh(site, "editor")

    def upload(data: bytes) -> str:
        answer = client.post("/codebooks/import", data={"kind": "qdc", "csrf_token": csrf},
                             files={"file": ("c.qdc", data, "application/octet-stream")})
        assert answer.status_code == 400
        return said(answer)

    hostile = upload(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>')
    assert "Y ffeil .qdc: mae'n datgan DOCTYPE, nad oes ar ffeiliau REFI-QDA" in hostile
    assert "The .qdc file" not in hostile
    wrong = upload(b'<?xml version="1.0"?><Other xmlns="urn:x"/>')
    assert ("Nid yw'r ffeil .qdc yn llyfr codau REFI-QDA: ei helfen wraidd yw 'Other' "
            "yn 'urn:x'") in wrong


def test_a_search_by_meaning_refusal_without_words(site: World) -> None:
    client, _ = welsh(site, "reader")
    page = said(client.get("/search", params={"type": "CPR", "mode": "semantic"}))
    assert ("Mae angen geiriau ar chwiliad yn ôl ystyr i'w cymharu, nid hidlyddion yn unig."
            in page)
    both = said(client.get("/search", params={"type": "CPR", "mode": "hybrid"}))
    assert "Mae angen geiriau ar chwiliad yn ôl geiriau ac ystyr" in both


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


# ------------------------------------------ core refusals with their values
_TABLE = Table(columns=("type",), review_ids=("CPR-1",), rows=(("CPR",),))


def _refusals(world: World) -> dict[str, Callable[[], object]]:
    """A refusal of each kind the core raises with values, raised for real."""
    from storfa.analysis.descriptive import table_frequencies
    from storfa.analysis.export import case_table_bytes
    from storfa.analysis.tables import table_bytes
    from storfa.coding.autocode import UnknownReview
    from storfa.coding.matrix import parse_statuses
    from storfa.coding.qdc import read_qdc
    from storfa.coding.refi import Archive
    from storfa.disclosure.check import check_review
    from storfa.disclosure.publication import PublicationBlocked
    from storfa.domain.codebooks import UnknownCode, UnknownCodebook
    from storfa.domain.coding import UnknownExtract
    from storfa.ingest.metadata.corrections import normalise_field
    from storfa.reports.briefing import find_code, review_briefing
    from storfa.reports.render import format_of

    def raise_(exc: Exception) -> Callable[[], object]:
        def go() -> object:
            raise exc
        return go

    app = world.storfa
    return {
        "field": lambda: normalise_field("colour", "red"),
        "date": lambda: normalise_field("referral", "soon"),
        "board": lambda: normalise_field("board", "Atlantis"),
        "type": lambda: normalise_field("type", "XYZ"),
        "language": lambda: normalise_field("language", "fr"),
        "no review (store)": lambda: app.store.set_metadata("NOPE-1", "board", "x", "test"),
        "no review (briefing)": lambda: review_briefing(app, "NOPE-1"),
        "no review (disclosure)": lambda: check_review(app, "NOPE-1"),
        "no theme": lambda: find_code("Moonlight"),
        "report format": lambda: format_of("notes.odt"),
        "matrix status": lambda: parse_statuses("maybe"),
        "search mode": lambda: app.search.search("neglect", mode="fuzzy"),
        "codebook": raise_(UnknownCodebook("nope", ["best-practice", "cpr-learning"])),
        "code": raise_(UnknownCode("best-practice", "Nope")),
        "extract": raise_(UnknownExtract(12345)),
        "autocode review": raise_(UnknownReview("NOPE-1")),
        "publication": raise_(PublicationBlocked("CPR2017-W01", 3, "public")),
        "qdc doctype": lambda: read_qdc(b'<!DOCTYPE x [<!ENTITY a "b">]><x/>', "n"),
        "qdc root": lambda: read_qdc(b'<Other xmlns="urn:x"/>', "n"),
        "qdc xml": lambda: read_qdc(b"<CodeBook", "n"),
        "qdpx": lambda: Archive(b"not a zip"),
        "column": lambda: _TABLE.column("board"),
        "group by": lambda: table_frequencies(_TABLE, by="board"),
        "table format": lambda: table_bytes("ods", "t", ["a"], []),
        "case table format": lambda: case_table_bytes("ods", _TABLE, []),
    }


def test_core_refusals_read_in_welsh_with_the_values_they_were_given(site: World) -> None:
    """Each refusal, raised by the core with real values, is found in the
    catalogue by its template and the Welsh holds every value as the English
    formats it (so a `!r` or `:,` kept in the msgstr is kept where it shows)."""
    gettext = translations("cy").gettext
    formatter = string.Formatter()
    for name, trigger in _refusals(site).items():
        with pytest.raises(StorfaError) as raised:
            trigger()
        exc = raised.value
        english, cymraeg = str(exc), exc.translated(gettext)
        assert cymraeg != english, (name, english)
        assert gettext(exc.template) != exc.template, (name, exc.template)
        for _, field, spec, conversion in formatter.parse(exc.template):
            if field is None or isinstance(exc.values[field], Words):
                continue
            shown = formatter.format_field(
                formatter.convert_field(exc.values[field], conversion), spec or "")
            assert shown in english and shown in cymraeg, (name, field, cymraeg)


def test_words_in_a_refusal_are_translated_too(site: World) -> None:
    """A value that is words, not data (Words), is looked up as well."""
    from storfa.disclosure.publication import PublicationBlocked

    exc = PublicationBlocked("CPR2017-W01", 3, "public")
    assert str(exc).startswith("CPR2017-W01 cannot be made public: 3 finding(s)")
    cymraeg = exc.translated(translations("cy").gettext)
    assert "'cyhoeddus'" in cymraeg and "(hyder >= 0.50)" in cymraeg and "public" not in cymraeg
