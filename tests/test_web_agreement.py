"""The agreement page (/coding/agreement) through the real app: its figures
are the API's (same call) in English and in Welsh, it picks the two coders
with most reviews in common, lists the passages coded differently with a
link into the coding view's compare mode, narrows them to one code, keeps
to the reviews the visitor may code, escapes what coders typed, and answers
403 to readers and anonymous visitors."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest

from storfa.coding.agreement import kappa_band
from storfa.storage.sql.extracts import SQLExtracts
from webworld import World, build_world

API = "/api/v1"
BOOK = "best-practice"
PAGE = "/coding/agreement"
CODER, EDITOR, THIRD = "user:coder", "user:editor", "<i>ann</i>"
EXTRA = """
The school nurse shared information with the GP on the same day.

The social worker recorded every home visit in detail.

A multi-agency strategy meeting was held within a day of the referral.

The family support worker stayed in touch with the mother every week.
"""
# (review level, needle, code, coders who code it)
CODINGS = [
    ("public", "kept visiting", "Persistency in care and support", (CODER, EDITOR, THIRD)),
    ("public", "Escalation of concerns", "Escalating concerns", (CODER, EDITOR)),
    ("public", "recorded every home visit", "Record keeping", (CODER,)),
    ("public", "strategy meeting", "Multi-agency working", (CODER, EDITOR)),
    ("public", "stayed in touch", "Persistency in care and support", (EDITOR,)),
    ("restricted", "kept visiting", "Persistency in care and support", (CODER, EDITOR)),
    ("restricted", "shared information", "Effective communication", (CODER,)),
    ("restricted", "shared information", "Multi-agency working", (EDITOR,)),
]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("agreement-web")
    site = build_world(base / "data", base / "reviews", extra={"public": EXTRA,
                                                               "restricted": EXTRA})
    sql = SQLExtracts(site.storfa.store.db)  # type: ignore[attr-defined]
    for level, needle, code, coders in CODINGS:
        record = site.storfa.store.get_review(site.keys[level])
        assert record is not None
        at = sql.version_text(record.version_id).index(needle)
        for who in coders:
            site.storfa.coding.code_span(site.keys[level], at, at + len(needle), BOOK, code, who)
    yield site
    site.close()


def _figures(page: str) -> dict[str, dict[str, str]]:
    """Each code row of the page's table: its counts and kappa as shown."""
    found: dict[str, dict[str, str]] = {}
    for row in re.findall(r'<tr class="code-agreement" data-code="([^"]*)">(.*?)</tr>', page, re.S):
        code, cells = html.unescape(row[0]), row[1]
        found[code] = {}
        for name, attributes, text in re.findall(r'<td class="num ([\w-]+)"([^>]*)>([^<]*)',
                                                 cells):
            value = re.search(r'data-value="([^"]*)"', attributes)
            found[code][name] = value.group(1) if value else text
    return found


def _overall(page: str, name: str) -> str:
    found = re.search(rf'id="overall-{name}" data-value="([^"]*)"', page)
    assert found, f"no overall {name}"
    return found.group(1)


def test_the_page_shows_the_apis_figures_in_english_and_welsh(world: World) -> None:
    coder = world.client("coder")
    api = coder.get(f"{API}/coding/{BOOK}/agreement",
                    params={"coder_a": CODER, "coder_b": EDITOR}).json()
    # Named or not, the same pair: the two with most reviews in common.
    assert coder.get(f"{API}/coding/{BOOK}/agreement").json() == api
    assert api["reviews"] == sorted([world.keys["public"], world.keys["restricted"]])
    used = {c["code"]: c for c in api["codes"] if c["coded_a"] + c["coded_b"]}
    assert set(used) == {"Persistency in care and support", "Escalating concerns",
                         "Record keeping", "Multi-agency working", "Effective communication"}
    for lang, title, band in (("en", "Agreement between coders", "substantial"),
                              ("cy", "Cytundeb rhwng codwyr", "sylweddol")):
        page = coder.get(PAGE, params={"lang": lang})
        assert page.status_code == 200, page.text[:500]
        assert f"<h1>{title}</h1>" in page.text
        assert f'<option value="{CODER}" selected>' in page.text
        assert f'<option value="{EDITOR}" selected>' in page.text
        shown = _figures(page.text)
        assert set(shown) == set(used)
        for code, c in used.items():
            assert shown[code]["both"] == str(c["coded_both"])
            assert shown[code]["only-a"] == str(c["only_a"])
            assert shown[code]["only-b"] == str(c["only_b"])
            assert shown[code]["percent"] == f"{c['percent']:.1f}%"
            assert shown[code]["kappa"] == ("" if c["kappa"] is None else f"{c['kappa']:.4f}")
        overall = api["overall"]
        assert float(_overall(page.text, "kappa")) == pytest.approx(overall["kappa"], abs=1e-4)
        assert float(_overall(page.text, "percent")) == pytest.approx(overall["percent"],
                                                                      abs=1e-2)
        assert f"({band})" in page.text and overall["band"] == "substantial"
        assert 'id="kappa-bands"' in page.text
    welsh = coder.get(PAGE, params={"lang": "cy"}).text
    for english in ("Passages coded differently", "Over every code", "Compare in the text",
                    "Only user:coder", "Coder A", ">Both<", "Meaning"):
        assert english not in welsh, english


def test_figures_by_hand(world: World) -> None:
    """The pooled figures over the codes either used, counted from CODINGS."""
    api = world.client("coder").get(f"{API}/coding/{BOOK}/agreement").json()
    units = api["units"]
    persist = {c["code"]: c for c in api["codes"]}["Persistency in care and support"]
    assert (persist["coded_both"], persist["only_a"], persist["only_b"]) == (2, 0, 1)
    # Five codes used: 6 passages coded alike or not by one of them, 5 differ.
    differ = sum(c["only_a"] + c["only_b"] for c in api["codes"])
    assert differ == 4
    assert api["overall"]["units"] == 5 * units
    assert api["overall"]["percent"] == pytest.approx(100 * (5 * units - differ) / (5 * units),
                                                      abs=0.01)
    assert [d["review_id"] for d in api["disagreements"]] == sorted(
        d["review_id"] for d in api["disagreements"])
    assert len(api["disagreements"]) == 3  # one passage holds two of the four


def test_disagreements_link_into_the_compare_view(world: World) -> None:
    coder = world.client("coder")
    page = coder.get(PAGE).text
    links = re.findall(r'<a class="compare" href="([^"]+)"', page)
    assert len(links) == 3
    target = html.unescape(links[0])
    assert "compare=1" in target and "#x" in target
    opened = coder.get(target.split("#")[0])
    assert opened.status_code == 200
    assert f'id="{target.split("#")[1]}"' in opened.text
    # One code: only its passages, as the API lists them.
    narrow = coder.get(PAGE, params={"code": "Multi-agency working"}).text
    assert 'id="disagreements-code"' in narrow
    assert len(re.findall(r'<tr class="disagreement"', narrow)) == 1
    api = coder.get(f"{API}/coding/{BOOK}/agreement",
                    params={"code": "Multi-agency working"}).json()
    assert [(d["only_a"], d["only_b"]) for d in api["disagreements"]] == [
        (["Effective communication"], ["Multi-agency working"])]


def test_who_may_look_and_what_they_see(world: World) -> None:
    for who in ("reader", "anonymous"):
        assert world.client(who).get(PAGE).status_code == 403
        assert 'id="to-agreement"' not in world.client(who).get("/coding").text
    assert 'id="to-agreement"' in world.client("coder").get("/coding").text
    for who in ("editor", "administrator"):
        assert world.client(who).get(PAGE).status_code == 200
    # Another organisation's editor: the restricted review is not compared.
    other = world.client("other_editor").get(PAGE).text
    assert world.keys["restricted"] not in other and world.keys["public"] in other
    assert world.client("coder").get(PAGE, params={"codebook": "nonesuch"}).status_code == 404


def test_bad_choices_and_escaping(world: World) -> None:
    coder = world.client("coder")
    same = coder.get(PAGE, params={"coder_a": CODER, "coder_b": CODER, "lang": "cy"})
    assert same.status_code == 400
    assert "Enwch ddau godiwr gwahanol." in same.text and 'id="agreement-overall"' not in same.text
    one = coder.get(PAGE, params={"coder_a": CODER})
    assert one.status_code == 400 and 'id="agreement-error"' in one.text
    # What a coder typed is text, never markup, in the chooser, headings and table.
    page = coder.get(PAGE, params={"coder_a": CODER, "coder_b": THIRD})
    assert page.status_code == 200
    assert THIRD not in page.text and html.escape(THIRD) in page.text
    assert "Only &lt;i&gt;ann&lt;/i&gt;" in page.text
    nobody = coder.get(PAGE, params={"coder_a": CODER, "coder_b": "user:nobody"})
    assert nobody.status_code == 200 and 'id="agreement-empty"' in nobody.text


def test_kappa_bands() -> None:
    assert [kappa_band(k) for k in (None, -0.1, 0.0, 0.2, 0.204, 0.21, 0.4, 0.6, 0.8, 0.806,
                                    1.0)] == [
        None, "poor", "slight", "slight", "slight", "fair", "fair", "moderate", "substantial",
        "almost perfect", "almost perfect"]


def test_codebook_refusals_read_in_welsh(world: World) -> None:
    """Two refusals of the codebook pages (under Coding) that were English in
    the Welsh interface; run last, as the first change stores a copy of the
    built-in codebook."""
    editor = world.client("editor")
    csrf = world.page_csrf("editor")
    retire = editor.post("/codebooks/best-practice/retire?lang=cy", data={
        "code": "Care and Support", "csrf_token": csrf})
    assert retire.status_code == 400
    assert "Mae gan 'Care and Support' is-godau (Consistent care and support, " in html.unescape(
        retire.text)
    merge = editor.post("/codebooks/best-practice/merge?lang=cy", data={
        "source": "Communication", "target": "Record keeping", "csrf_token": csrf})
    assert merge.status_code == 400 and "cyn y gellir ei uno." in html.unescape(merge.text)
    term = editor.post("/codebooks/best-practice/edit?lang=cy", data={
        "code": "Record keeping", "terms": "type:CPR", "csrf_token": csrf})
    assert term.status_code == 400
    assert "Nid yw'r term chwilio 'type:CPR' yn rheol ddilys" in html.unescape(term.text)
