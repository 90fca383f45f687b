"""Redaction that holds (issue 19 item 3): plant identifiers in a draft,
decide them, make the review public, and as an anonymous visitor find none
of them in search hits or snippets, the reader, the API's text, pages and
disclosure report, the downloaded original or an export of extracts; the
review's editors still read the original. On both backends."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from backends import PostgresRun
from storfa.disclosure.redaction import Redactions
from webworld import World, backend_env, build_world

PLANTED = ("\nThe health visitor, Ceri Morgan, saw Child Q at 12 Oak Tree Road, Llanelli, "
           "SA15 3AB. Her NHS number is 943 476 5919. Jane O'Brien phoned Ceri Morgan "
           "again.\n")
IDENTIFIERS = ("Ceri", "Morgan", "Oak Tree Road", "SA15 3AB", "943 476 5919", "O'Brien")


def _clean(text: str) -> bool:
    return not any(word.casefold() in text.casefold() for word in IDENTIFIERS)


def test_redactions_apply_and_map() -> None:
    r = Redactions.of([(2, 5, "X"), (8, 10, "YY"), (9, 12, "Z")])
    assert r.spans == ((2, 5, "X"), (8, 12, "YY"))  # overlaps merged
    assert r.apply("0123456789abcdef") == "01X567YYcdef"
    # A piece cut inside a span loses the part inside, not only the whole.
    assert r.apply("456789ab", 4) == "X567YY"
    assert r.apply("cdef", 12) == "cdef"
    assert (r.map(0), r.map(3), r.map(6), r.map(13)) == (0, 2, 4, 9)
    assert not Redactions() and Redactions().apply("abc", 7) == "abc"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, postgres_run: PostgresRun | None,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    if request.param == "postgresql" and postgres_run is None:
        pytest.skip("PostgreSQL not reachable")
    with backend_env(request.param, postgres_run):
        base = tmp_path_factory.mktemp(f"redaction-{request.param}")
        site = build_world(base / "data", base / "reviews",
                           extra={"draft": PLANTED, "restricted": PLANTED})
        _decide_and_publish(site)
        _code_restricted(site)
        yield site
        site.close()


def _decide_and_publish(world: World) -> None:
    key, store = world.keys["draft"], world.storfa.store
    record = store.get_review(key)
    assert record is not None
    # A stale vector of the unredacted words must not survive the decisions.
    store.put_vectors("test-model", 2, [(p.id, b"\0" * 8) for p in
                                        store.passages(record.version_id) if p.id])
    editor = world.bearer("editor")
    client = world.client("anonymous")
    doc = client.get(f"/api/v1/reviews/{key}/disclosure", headers=editor).json()
    for f in doc["findings"]:
        done = client.post(f"/api/v1/reviews/{key}/disclosure/{f['id']}",
                           json={"decision": "accepted"}, headers=editor)
        assert done.status_code == 200, done.text
    opened = client.put(f"/api/v1/reviews/{key}/access", json={"level": "public"},
                        headers=world.bearer("administrator"))
    assert opened.status_code == 200, opened.text


def _code_restricted(world: World) -> None:
    """Two extracts over the restricted review's planted words (nothing decided there)."""

    key = world.keys["restricted"]
    record = world.storfa.store.get_review(key)
    assert record is not None
    service = world.storfa.coding
    text = service.sql.version_text(record.version_id)
    code = next(c.name for c in service.book("best-practice").codes if c.parent)
    first = text.index("The health visitor, Ceri")
    service.code_span(key, first, first + len("The health visitor, Ceri Morgan, saw"),
                      "best-practice", code, "cli:test")
    second = text.index("Jane O'Brien")
    service.code_span(key, second, text.index("again.") + 6, "best-practice", code, "cli:test")


def test_anonymous_search_finds_no_planted_word(world: World) -> None:
    client, key = world.client("anonymous"), world.keys["draft"]
    for query in ("Morgan", '"Oak Tree Road"', "O'Brien", '"943 476 5919"', "Ceri"):
        found = client.get("/api/v1/search", params={"q": query}).json()
        assert all(h["review_id"] != key for h in found["hits"]), query
    # The passage is still found by its other words, redacted in text and snippet.
    hits = client.get("/api/v1/search", params={"q": "phoned", "limit": 50}).json()["hits"]
    mine = [h for h in hits if h["review_id"] == key]
    assert mine and all(_clean(h["text"]) and _clean(h["snippet"]) for h in mine)
    assert "Health Visitor 1" in mine[0]["text"] and "[NHS number]" in mine[0]["text"]
    page = client.get("/search", params={"q": "phoned"}).text
    assert "phoned" in page and _clean(page)


def test_reader_api_and_download_carry_the_redactions(world: World) -> None:
    client, key = world.client("anonymous"), world.keys["draft"]
    page = client.get(f"/reviews/{key}")
    assert page.status_code == 200 and "Health Visitor 1" in page.text and _clean(page.text)
    text = client.get(f"/api/v1/reviews/{key}/text").json()["text"]
    assert "[postcode]" in text and _clean(text)
    pages = client.get(f"/api/v1/reviews/{key}/pages/1").text
    assert _clean(pages)
    report = client.get(f"/api/v1/reviews/{key}/disclosure?min_confidence=0").text
    assert _clean(report)
    original = client.get(f"/reviews/{key}/original")
    assert original.status_code == 200
    assert original.headers["content-type"].startswith("text/plain")
    assert "redacted" in original.headers["content-disposition"]
    assert "[address]" in original.text and _clean(original.text)


def test_editors_still_read_the_original(world: World) -> None:
    key = world.keys["draft"]
    editor = world.client("editor")
    assert "Ceri Morgan" in editor.get(f"/reviews/{key}").text
    api = world.client("anonymous").get(f"/api/v1/reviews/{key}/text",
                                        headers=world.bearer("editor")).json()["text"]
    assert "943 476 5919" in api
    download = editor.get(f"/reviews/{key}/original")
    assert "Oak Tree Road" in download.text
    assert "Oak Tree Road" not in editor.get(f"/reviews/{key}/original?redacted=1").text


def test_embeddings_are_dropped_and_redone_from_the_redacted_text(world: World) -> None:
    store = world.storfa.store
    record = store.get_review(world.keys["draft"])
    assert record is not None
    planted = [p for p in store.passages(record.version_id) if "Ceri" in p.text]
    assert planted
    missing = dict(store.passages_missing_vectors("test-model", 1000))
    assert all(p.id in missing for p in planted)  # the stale vectors are gone
    assert all(_clean(missing[p.id]) for p in planted if p.id)


def test_exports_of_extracts_carry_the_redactions(world: World, tmp_path: Path) -> None:
    from storfa.coding.exports import export_extracts

    service = world.storfa.coding
    record = world.storfa.store.get_review(world.keys["draft"])
    assert record is not None
    text = service.sql.version_text(record.version_id)
    start = text.index("The health visitor, Ceri")
    end = text.index("again.") + len("again.")
    book = service.book("best-practice")
    code = next(c.name for c in book.codes if c.parent)
    service.code_span(record.summary.review_id, start, end, "best-practice", code, "cli:test")
    out = tmp_path / "extracts.csv"
    others = {world.rows["restricted"]}  # its planted words are undecided, so not redacted
    export_extracts(service, out, "csv", "best-practice", exclude=others)
    exported = out.read_text(encoding="utf-8")
    assert "Health Visitor 1" in exported and _clean(exported)
    qdpx = tmp_path / "project.qdpx"
    export_extracts(service, qdpx, "qdpx", "best-practice", exclude=others)
    with zipfile.ZipFile(qdpx) as archive:
        for name in archive.namelist():
            assert _clean(archive.read(name).decode("utf-8")), name


def test_pseudonymised_export_and_its_mapping(world: World, tmp_path: Path) -> None:
    """Item 4 on a review with nothing decided (the restricted one holds the
    same planted words): names are replaced consistently across the export,
    and the mapping goes to its own file, audited without the words."""
    from harness import Cli

    key = world.keys["restricted"]
    plain = tmp_path / "plain.json"
    Cli(world.storfa.settings.data_dir).json(
        "export", "extracts", "--format", "json", "--codebook", "best-practice",
        "--out", str(plain))
    assert "Ceri Morgan" in plain.read_text(encoding="utf-8")  # nothing decided here

    out, mapping = tmp_path / "p.json", tmp_path / "mapping.csv"
    doc = Cli(world.storfa.settings.data_dir).json(
        "export", "extracts", "--format", "json", "--codebook", "best-practice",
        "--out", str(out), "--pseudonymise", "--mapping", str(mapping))
    assert doc["pseudonymised"] is True and doc["pseudonyms"] >= 2
    exported = json.loads(out.read_text(encoding="utf-8"))["extracts"]
    texts = [e["text"] for e in exported if e["review_id"] == key]
    assert texts and all(_clean(t) for t in texts)
    # The same health visitor in two extracts is one pseudonym.
    assert all("Health Visitor 1" in t for t in texts if "health visitor" in t.lower()
               or "phoned" in t)
    rows = list(csv.DictReader(io.StringIO(mapping.read_text(encoding="utf-8"))))
    assert set(rows[0]) == {"pseudonym", "type", "original", "reviews"}
    assert {"pseudonym": "Health Visitor 1", "original": "Ceri Morgan"}.items() <= next(
        r for r in rows if r["pseudonym"] == "Health Visitor 1").items()
    events = world.audit("export.pseudonymise")
    assert events and events[-1]["detail"]["mapping"] is True
    assert _clean(json.dumps(events[-1]))

    qdpx = tmp_path / "p.qdpx"
    Cli(world.storfa.settings.data_dir).json(
        "export", "extracts", "--format", "qdpx", "--codebook", "best-practice",
        "--out", str(qdpx), "--pseudonymise")
    with zipfile.ZipFile(qdpx) as archive:
        project = archive.read("project.qde").decode("utf-8")
        sources = {n: archive.read(n).decode("utf-8") for n in archive.namelist()
                   if n.startswith("sources/")}
    assert all(_clean(t) for t in sources.values()) and _clean(project)
    # Selections point at the pseudonymised source's words.
    selections = re.findall(r'name="([^"]*)" startPosition="(\d+)" endPosition="(\d+)"',
                            project)
    assert any("Health Visitor 1" in name for name, _, _ in selections)
    for name, a, b in selections:
        assert any(t[int(a):int(b)].startswith(name[:20]) for t in sources.values()), name


def test_api_export_pseudonymises_and_guards_the_mapping(world: World) -> None:
    """The web/API door to item 4."""
    client, url = world.client("anonymous"), "/api/v1/extracts/export"
    params = {"format": "json", "codebook": "best-practice"}
    assert client.get(url, params=params).status_code == 401
    plain = client.get(url, params=params, headers=world.bearer("reader"))
    assert plain.status_code == 200 and "Ceri Morgan" in plain.text  # restricted: undecided
    # Another organisation's reader sees neither restricted extracts nor draft ones.
    other = client.get(url, params=params, headers=world.bearer("other_reader"))
    assert other.status_code == 200
    assert world.keys["restricted"] not in other.text and "Ceri" not in other.text
    pseudo = client.get(url, params={**params, "pseudonymise": "true"},
                        headers=world.bearer("reader"))
    assert pseudo.status_code == 200 and _clean(pseudo.text)
    assert "Health Visitor 1" in pseudo.text
    mapping = {**params, "pseudonymise": "true", "mapping": "true"}
    refused = client.get(url, params=mapping, headers=world.bearer("reader"))
    assert refused.status_code == 403 and "Ceri" not in refused.text
    allowed = client.get(url, params=mapping, headers=world.bearer("editor"))
    assert allowed.status_code == 200 and "Ceri Morgan" in allowed.text
    events = world.audit("export.pseudonymise")
    assert any(e["detail"].get("allowed") is False for e in events)
    assert all(_clean(json.dumps(e)) for e in events)
