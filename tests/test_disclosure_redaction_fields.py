"""Redaction that holds beyond the passages' text (issue 19 item 3): a
review's title, metadata evidence, headings (section paths and the
section: filter), recommendations in the register and its exports, search
hits, autocomplete and the search CSV carry the editors' redactions for
anyone who may not edit the review; and the downloadable original of a Word
review is a redacted .docx whose text, read back, holds none of the
redacted words. Both backends."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from backends import PostgresRun
from storfa.disclosure.decisions import DisclosureDecisions
from storfa.disclosure.redact_docx import MEDIA_TYPE, redact_docx
from storfa.disclosure.redact_pdf import RedactionFailed
from storfa.disclosure.redaction import Redactions
from storfa.domain.acting import CommandLine
from storfa.ingest.after_store import after_store
from webworld import SYSTEM, World, backend_env, build_world

KEY = "CPR2024-W41"
WORD_KEY = "CPR2024-W42"
REVIEW = f"""# Child Practice Review {KEY}: the death of Jane Evans

Gwent Safeguarding Board

## Brief outline of circumstances resulting in the review

Jane Evans lived at 12 Oak Tree Road, Llanelli, SA15 3AB with her son. Her NHS
number is 943 476 5919.

## What happened at Oakfield Primary School

Child K attended Oakfield Primary School, where teachers showed marmosetine curiosity.

## Recommendations

1. Gwent Police should ensure that officers record what Jane Evans said about the
   family home at 12 Oak Tree Road.
2. The Board should audit escalation by Oakfield Primary School.
"""
# What a visitor must never meet, in any field.
PLANTED = ("Jane Evans", "Evans", "Oak Tree Road", "SA15 3AB", "943 476 5919", "Oakfield")


def _word_review(path: Path) -> None:
    """A Word review with the words where a text-only redaction would miss
    them: a name cut across runs, a header, a table, the document's title
    property, and a tracked deletion."""
    doc = Document()
    doc.core_properties.title = "Review into the death of Jane Evans"
    doc.sections[0].header.paragraphs[0].text = "Confidential: Jane Evans"
    doc.add_paragraph(f"Child Practice Review {WORD_KEY}", style="Title")
    doc.add_paragraph("Gwent Safeguarding Board")
    doc.add_heading("Brief outline of circumstances resulting in the review", level=1)
    para = doc.add_paragraph()
    for piece in ("Jane Ev", "ans lived at 12 Oak ", "Tree Road, Llanelli, SA15 3AB. ",
                  "Her NHS number is 943 476 5919."):
        para.add_run(piece).bold = piece.startswith("ans")
    deleted = OxmlElement("w:del")
    deleted.set(qn("w:id"), "1")
    deleted.set(qn("w:author"), "Reviewer")
    run = OxmlElement("w:r")
    gone = OxmlElement("w:delText")
    gone.text = " (Jane Evans, SA15 3AB)"
    run.append(gone)
    deleted.append(run)
    para._p.append(deleted)
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Mother"
    table.rows[0].cells[1].text = "Jane Evans"
    doc.add_paragraph("The school showed marmosetine curiosity about the family.")
    doc.save(str(path))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, postgres_run: PostgresRun | None,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with backend_env(request.param, postgres_run):
        base = tmp_path_factory.mktemp(f"redaction-fields-{request.param}")
        site = build_world(base / "data", base / "reviews")
        folder = base / "planted"
        folder.mkdir()
        (folder / "cpr-2024-w41.md").write_text(REVIEW, encoding="utf-8")
        _word_review(folder / "cpr-2024-w42.docx")
        storfa = site.storfa
        results = storfa.ingest.ingest(sorted(folder.iterdir()))
        assert [r.review_id for r in results] == [KEY, WORD_KEY], results
        assert not after_store(storfa, [KEY, WORD_KEY], SYSTEM.name).failures
        # The same text as a Word file: a rendition of the Markdown version.
        rendition = base / "cpr-2024-w41.docx"
        doc = Document()
        for line in REVIEW.splitlines():
            if line.strip():
                doc.add_paragraph(line.lstrip("# ").strip())
        doc.save(str(rendition))
        (added,) = storfa.ingest.ingest([rendition])
        assert added.review_id == KEY and added.rendition_of == 1, added
        decisions = DisclosureDecisions(storfa)
        for key in (KEY, WORD_KEY):
            record = storfa.reviews.get(key)
            for finding in decisions.report(record).undecided():
                decisions.decide(record, finding.id, "accepted", None, CommandLine("test"))
        storfa.catalogue.invalidate()
        yield site
        site.close()


def _clean(text: str, where: str) -> None:
    held = [w for w in PLANTED if w.casefold() in text.casefold()]
    assert not held, f"{where} still holds {held}"


def _get(world: World, who: str, url: str, **params: str) -> str:
    response = world.client("anonymous").get(url, params=params, headers=world.bearer(who))
    assert response.status_code == 200, (url, response.status_code, response.text[:200])
    return response.text


@pytest.mark.parametrize("who", ["anonymous", "reader", "coder"])
def test_titles_evidence_and_headings_are_redacted_for_readers(world: World, who: str) -> None:
    for url in (f"/api/v1/reviews/{KEY}", "/api/v1/reviews", f"/api/v1/reviews/{KEY}/text",
                f"/api/v1/reviews/{KEY}/pages/1", f"/api/v1/reviews/{KEY}/disclosure"):
        _clean(_get(world, who, url), url)
    review = world.client("anonymous").get(f"/api/v1/reviews/{KEY}",
                                           headers=world.bearer(who)).json()
    assert review["title"] == f"Child Practice Review {KEY}: the death of Person A"
    evidence = [m["evidence"]["text"] for m in review["metadata"] if m["evidence"]]
    assert any("Person A lived at [address]" in e for e in evidence), evidence
    page = world.client(who).get(f"/reviews/{KEY}")
    assert page.status_code == 200
    _clean(page.text, "the reader")
    assert "What happened at [school]" in page.text
    _clean(world.client(who).get("/reviews").text, "the list of reviews")


def test_the_reviews_editors_still_read_the_original(world: World) -> None:
    review = world.client("anonymous").get(f"/api/v1/reviews/{KEY}",
                                           headers=world.bearer("editor")).json()
    assert review["title"].endswith("the death of Jane Evans")
    assert "Jane Evans" in world.client("administrator").get(f"/reviews/{KEY}").text


def test_search_hits_sections_autocomplete_and_csv(world: World) -> None:
    for who in ("anonymous", "editor"):
        found = world.client("anonymous").get(
            "/api/v1/search", params={"q": "marmosetine"}, headers=world.bearer(who)).json()
        assert {h["review_id"] for h in found["hits"]} == {KEY, WORD_KEY}, found
        for hit in found["hits"]:
            # One index for everyone: its text, snippet and section are published;
            # the title is the original for the review's editors, as in the reader.
            _clean(f"{hit['section']} {hit['text']} {hit['snippet']}", "a hit")
            if who == "anonymous":
                _clean(hit["title"], "a hit's title")
        if who == "anonymous":
            hit = next(h for h in found["hits"] if h["review_id"] == KEY)
            assert hit["section"] == "What happened at [school]"
            assert hit["title"].endswith("the death of Person A")
    # Searching for the words finds nothing: not the text, not the heading (section:).
    for query in ("Evans", '"Oak Tree Road"', "Oakfield", "section:Oakfield",
                  'section:"What happened at Oakfield"'):
        found = world.client("anonymous").get("/api/v1/search", params={"q": query}).json()
        assert found["total"] == 0 and found["hits"] == [], (query, found)
    page = world.client("anonymous").get("/search", params={"q": "marmosetine"}).text
    _clean(page, "the search page")
    _clean(world.client("anonymous").get("/search.csv", params={"q": "marmosetine"}).text,
           "the search CSV")
    suggestions = world.client("anonymous").get("/api/v1/autocomplete",
                                                params={"q": "the death"}).json()
    labels = [s["label"] for s in suggestions["suggestions"]]
    assert any(label.endswith("Person A") for label in labels), labels
    _clean(" ".join(labels), "autocomplete")
    assert world.client("anonymous").get("/api/v1/autocomplete",
                                         params={"q": "Evans"}).json()["suggestions"] == []


def test_recommendations_carry_the_redactions(world: World) -> None:
    register = world.client("anonymous").get("/api/v1/recommendations",
                                             params={"review": KEY},
                                             headers=world.bearer("reader")).json()
    texts = [i["text"] for i in register["items"]]
    assert len(texts) == 2 and any("Person A" in t for t in texts), texts
    _clean(" ".join(texts), "the register")
    rec_id = register["items"][0]["id"]
    _clean(_get(world, "reader", f"/api/v1/recommendations/{rec_id}"), "a recommendation")
    _clean(world.client("reader").get(f"/recommendations/{rec_id}").text,
           "a recommendation's page")
    _clean(world.client("reader").get("/recommendations").text, "the register page")
    exported = world.client("anonymous").get("/api/v1/recommendations/export.csv",
                                             params={"review": KEY},
                                             headers=world.bearer("reader"))
    assert exported.status_code == 200
    _clean(exported.text, "the register export")
    # The review's editors track the recommendations as written.
    editor = world.client("anonymous").get("/api/v1/recommendations", params={"review": KEY},
                                           headers=world.bearer("editor")).json()
    assert any("Jane Evans" in i["text"] for i in editor["items"])


def _docx_text(data: bytes) -> str:
    """Everything a reader of the file could find: python-docx's text, the
    header, the table, the title property, and every XML part's text read
    whole (so a word cut across runs is seen)."""
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [p.text for s in doc.sections for p in s.header.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    parts.append(doc.core_properties.title or "")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                xml = z.read(name).decode("utf-8")
                parts.append(xml)
                parts.append("".join(re.findall(r">([^<]*)<", xml)))
    return "\n".join(parts)


def test_a_word_original_is_served_as_a_redacted_docx(world: World) -> None:
    for who in ("anonymous", "reader"):
        got = world.client(who).get(f"/reviews/{WORD_KEY}/original")
        assert got.status_code == 200, got.text
        assert got.headers["content-type"] == MEDIA_TYPE
        assert got.headers["x-storfa-redacted"] == "docx"
        assert 'filename="redacted-1.docx"' in got.headers["content-disposition"]
        text = _docx_text(got.content)
        _clean(text, "the redacted Word file")
        assert "Person A" in text and "[postcode]" in text and "marmosetine" in text
        # Still a Word document with its formatting: the bold run is still bold.
        doc = Document(io.BytesIO(got.content))
        assert any(r.bold for p in doc.paragraphs for r in p.runs)
    # Its editors download the original, and the redacted copy when they ask.
    original = world.client("editor").get(f"/reviews/{WORD_KEY}/original")
    assert "Jane Ev" in _docx_text(original.content)
    asked = world.client("editor").get(f"/reviews/{WORD_KEY}/original", params={"redacted": "1"})
    assert asked.headers["content-type"] == MEDIA_TYPE
    _clean(_docx_text(asked.content), "the editor's redacted copy")


def test_a_word_rendition_is_served_as_a_redacted_docx(world: World) -> None:
    review = world.client("anonymous").get(f"/api/v1/reviews/{KEY}").json()
    (word,) = [r for r in review["renditions"] if r["format"] == "docx"]
    got = world.client("anonymous").get(word["url"])
    assert got.status_code == 200 and got.headers["content-type"] == MEDIA_TYPE
    text = _docx_text(got.content)
    _clean(text, "the redacted Word rendition")
    assert "the death of Person A" in text
    assert "Jane Evans" in _docx_text(world.client("editor").get(word["url"]).content)


def test_a_copy_that_still_holds_a_word_is_refused(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.docx"
    _word_review(path)
    mask = Redactions.of((), [("Jane Evans", "Person A"), ("SA15 3AB", "[postcode]"),
                              ("Oakfield Primary School", "[school]"), ("school", "[school]")])
    text = _docx_text(redact_docx(path.read_bytes(), mask))
    assert "Jane Evans" not in text and "SA15 3AB" not in text
    assert "The [school] showed" in text  # a replacement that spells a word is what is shown
    # Whatever the rewrite missed, the check afterwards refuses the copy.
    monkeypatch.setattr("storfa.disclosure.redact_docx._redact_part", lambda data, _: data)
    with pytest.raises(RedactionFailed):
        redact_docx(path.read_bytes(), mask)


def test_loose_redaction_matches_whole_words_in_any_case_and_spacing() -> None:
    mask = Redactions.of((), [("Jane Evans", "Person A"), ("Evans", "Person A"),
                              ("12 Oak Tree Road", "[address]"), ("x", "[one letter]")])
    assert mask.loose("JANE  EVANS and\nJane\nEvans") == "Person A and\nPerson A"
    assert mask.loose("Evansville, Mr Evans.") == "Evansville, Mr Person A."
    assert mask.loose("at 12 oak tree road") == "at [address]"
    assert mask.loose("x marks") == "x marks"  # one letter is never a redacted word
    assert Redactions().loose("Jane Evans") == "Jane Evans"


def test_thematic_reports_and_recurring_groups_quote_the_published_words(world: World) -> None:
    from storfa.disclosure.published import PublishedView
    from storfa.recommendations.recurrence import Group, Item
    from storfa.reports.thematic import Selection, thematic

    storfa = world.storfa
    record = storfa.reviews.get(KEY)
    text = storfa.coding.sql.version_text(record.version_id)
    start = text.index("Jane Evans lived at")
    storfa.coding.code_span(KEY, start, text.index("with her son", start), "best-practice",
                            "Escalating concerns", "user:coder")
    # A thematic report leaves storfa: it quotes the published words for everyone.
    report = thematic(storfa, Selection(board="Gwent"), with_recurrence=False)
    quoted = [e.text for items in report.illustrations.values() for e in items]
    assert any(q.startswith("Person A lived at [address]") for q in quoted), quoted
    _clean(" ".join(quoted), "the report's quotations")
    _clean(" ".join(s.title or "" for s in report.reviews), "the report's review titles")
    # A group of recurring recommendations: texts, label and terms as published
    # for a reader, as written for the review's editors.
    rec = "Gwent Police should record what Jane Evans said at 12 Oak Tree Road."
    group = Group(1, "Record what Jane Evans said at 12 Oak Tree Road",
                  ["jane evans", "oak tree road", "police"],
                  [Item(1, KEY, record.id, 2024, "1", rec, "open", 3)])
    shown = PublishedView(storfa.store, lambda _row: False).group(group)
    _clean(" ".join([shown.label, *shown.terms, *(i.text for i in shown.items)]),
           "a recurring group")
    assert shown.items[0].text.startswith("Gwent Police should record what Person A said")
    assert shown.terms == ["police"]  # a redacted finding, or a piece of one, is left out
    assert PublishedView(storfa.store, lambda _row: True).group(group) is group
