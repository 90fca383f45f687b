"""Redaction by the words beyond the exact words of a finding (issue 19 item 3):
a decided person's name is caught by its parts alone ("Smith", "Jane's")
but not inside another word ("Smithfield"); a decided date is caught however
a metadata value writes it (2014-03-03, 03/03/2014); and a recommendation's
history and the memos exported with extracts carry the redactions like the
register and the extracts. Both backends."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator

import pytest

from backends import PostgresRun
from redactedworld import redacted_world
from storfa.disclosure.decisions import DisclosureDecisions
from storfa.disclosure.redaction import Redactions
from storfa.domain.acting import CommandLine
from storfa.recommendations.register import RegisterFilters
from webworld import World, backend_env

KEY = "CPR2024-W51"
REVIEW = f"""# Child Practice Review {KEY}

Gwent Safeguarding Board

## Brief outline of circumstances resulting in the review

Jane Smith was born on 3 March 2014 and lived with her mother in a flat.
Practitioners showed quinquennial curiosity about the family.

## Recommendations

1. The Board should audit escalation by every agency.
"""
# Where the words go that the text does not hold: a corrected title, a date
# field, a recommendation's edit and notes, a memo on an extract.
TITLE = "Smith's family and the Smithfield estate: Jane's review"
REC_TEXT = "The Board should ask Smith's school what Jane told them."
EDIT_NOTE = "Jane Smith's mother agreed, DOB 03/03/2014"
PROGRESS = "Spoke to SMITH about the plan on 2014-03-03"
MEMO = "Smith said Jane was born 03/03/2014; see the Smithfield notes"
PLANTED = ("Smith", "Jane", "2014-03-03", "03/03/2014", "3 March 2014")


def _clean(text: str, where: str) -> None:
    # "Smithfield" is another word: it stays, and is not "Smith".
    held = [w for w in PLANTED if w.casefold() in text.replace("Smithfield", "").casefold()]
    assert not held, f"{where} still holds {held}"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, postgres_run: PostgresRun | None,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, int, int]]:
    with backend_env(request.param, postgres_run):
        base = tmp_path_factory.mktemp(f"redaction-words-{request.param}")
        site, record = redacted_world(base, KEY, REVIEW)
        storfa = site.storfa
        found = [f for f, _ in DisclosureDecisions(storfa).report(record).redactions()]
        assert {"person_name", "date_of_birth"} <= {f.type for f in found}, found
        editor = CommandLine("cli:editor")
        storfa.reviews.correct_metadata(record, "title", TITLE, editor)
        storfa.reviews.correct_metadata(storfa.reviews.get(KEY), "index_incident", "03/03/2014",
                                        editor)
        register = storfa.register()
        (item,) = register.register(RegisterFilters(review=KEY)).items
        rec = item.rec
        register.edit(rec.id, "cli:editor", text=REC_TEXT, note=EDIT_NOTE)
        register.note(rec.id, "cli:editor", PROGRESS)
        text = storfa.coding.sql.version_text(record.version_id)
        start = text.index("Practitioners showed")
        extract = storfa.coding.code_span(KEY, start, text.index(" about the family", start),
                                          "best-practice", "Escalating concerns", "user:coder")
        storfa.coding.memo("user:coder", MEMO, extract_id=extract.id)
        storfa.catalogue.invalidate()
        yield site, rec.id, record.id
        site.close()


def test_a_names_parts_and_possessives_are_redacted_not_other_words() -> None:
    mask = Redactions.decided([], [("Jane Smith", "Person A", "person_name"),
                                   ("Dr Ceri Hope", "Doctor 1", "practitioner_name"),
                                   ("12 Oak Tree Road", "[address]", "address")])
    assert (mask.loose("Smith's family and Jane's school")
            == "Person A's family and Person A's school")
    assert mask.loose("SMITH, Jane") == "Person A, Person A"
    assert mask.loose("Smithfield and Blacksmith") == "Smithfield and Blacksmith"
    # A name's part is a name as it is written; in lower case it is a word.
    assert mask.loose("Hope said there was hope") == "Doctor 1 said there was hope"
    assert mask.loose("Ceri Hope") == "Doctor 1"
    # Only names are cut into parts: an address's words stay words.
    assert mask.loose("Oak Tree Road") == "Oak Tree Road"
    assert mask.finds("Smith's") and not mask.finds("Smithfield")


def test_a_redacted_date_is_caught_however_it_is_written() -> None:
    mask = Redactions.decided([], [("3 March 2014", "[date of birth]", "date_of_birth")])
    for written in ("2014-03-03", "03/03/2014", "3/3/2014", "3.3.2014", "3rd March 2014",
                    "March 3rd, 2014", "3 Mawrth 2014"):
        assert mask.loose(f"born {written}.") == "born [date of birth].", written
    # Another day, a month alone and a file's revision time are left as they are.
    assert mask.loose("2014-03-04, March 2014") == "2014-03-04, March 2014"
    assert mask.loose("2014-03-03T10:00:00Z") == "2014-03-03T10:00:00Z"


def _api(world: World, who: str, url: str, **params: str) -> dict:  # type: ignore[type-arg]
    response = world.client("anonymous").get(url, params=params, headers=world.bearer(who))
    assert response.status_code == 200, (url, response.status_code, response.text[:200])
    return response.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("who", ["anonymous", "reader", "coder"])
def test_title_and_date_fields_are_redacted_for_readers(world: tuple[World, int, int],
                                                        who: str) -> None:
    site, _, _ = world
    review = _api(site, who, f"/api/v1/reviews/{KEY}")
    field = {m["field"]: m["value"] for m in review["metadata"]}
    assert field["index_incident"] == "[date of birth]", field
    assert review["dates"]["index_incident"] == "[date of birth]", review["dates"]
    assert review["title"] == ("Person A's family and the Smithfield estate: "
                               "Person A's review"), review["title"]
    _clean(json.dumps(review), "the review")
    listed = [r for r in _api(site, who, "/api/v1/reviews")["reviews"]
              if r["review_id"] == KEY]
    _clean(json.dumps(listed), "the list of reviews")
    _clean(site.client(who).get(f"/reviews/{KEY}").text, "the reader")


def test_the_editor_reads_the_fields_as_written(world: tuple[World, int, int]) -> None:
    site, _, _ = world
    review = _api(site, "editor", f"/api/v1/reviews/{KEY}")
    assert review["title"] == TITLE
    assert {m["field"]: m["value"] for m in review["metadata"]}["index_incident"] == "2014-03-03"


def test_a_recommendations_history_is_redacted_for_readers(world: tuple[World, int, int]
                                                           ) -> None:
    site, rec_id, _ = world
    shown = _api(site, "reader", f"/api/v1/recommendations/{rec_id}")
    history = json.dumps(shown["history"])
    assert "Person A's mother agreed, DOB [date of birth]" in history
    assert "Spoke to Person A about the plan on [date of birth]" in history
    _clean(history, "the history")
    assert shown["text"] == "The Board should ask Person A's school what Person A told them."
    _clean(site.client("reader").get(f"/recommendations/{rec_id}").text,
           "a recommendation's page")
    # Its editors track it as written.
    editor = json.dumps(_api(site, "editor", f"/api/v1/recommendations/{rec_id}")["history"])
    assert EDIT_NOTE in editor and PROGRESS in editor and REC_TEXT in editor
    assert "Jane Smith" in site.client("editor").get(f"/recommendations/{rec_id}").text


@pytest.mark.parametrize("fmt", ["json", "qdpx"])
def test_memos_in_exports_carry_the_redactions(world: tuple[World, int, int], fmt: str) -> None:
    site, _, _ = world
    for who in ("reader", "editor"):  # an export leaves storfa: redacted for everyone
        got = site.client("anonymous").get("/api/v1/extracts/export", params={
            "format": fmt, "codebook": "best-practice"}, headers=site.bearer(who))
        assert got.status_code == 200, got.text[:200]
        if fmt == "json":
            memos = [m["text"] for e in got.json()["extracts"] for m in e["memos"]]
            assert "Person A said Person A was born [date of birth]; see the Smithfield notes" \
                in memos, memos
            text = got.text
        else:
            with zipfile.ZipFile(io.BytesIO(got.content)) as z:
                text = z.read("project.qde").decode("utf-8")
            assert "see the Smithfield notes" in text
        _clean(text, f"the {fmt} export for {who}")
    # Pseudonymised, the memo names the person as the export's extracts do.
    got = site.client("anonymous").get("/api/v1/extracts/export", params={
        "format": fmt, "codebook": "best-practice", "pseudonymise": "true"},
        headers=site.bearer("reader"))
    assert got.status_code == 200
    body = got.text if fmt == "json" else zipfile.ZipFile(
        io.BytesIO(got.content)).read("project.qde").decode("utf-8")
    _clean(body, "the pseudonymised export")
    assert "Person 1 said Person 1 was born" in body
    # Inside storfa the memo is kept as written.
    coding = site.storfa.coding
    stored = coding.sql.memos([e.id for e in coding.extracts(codebook="best-practice")])
    assert MEMO in [m.text for m in stored]


def test_migration_0028_reads_the_type_of_spans_stored_before_it(
        world: tuple[World, int, int]) -> None:
    """Spans stored before the type was: the migration's back-fill finds a
    decided name's type from its decision's id (or its "Person X")."""
    from importlib import resources

    site, _, row = world
    store = site.storfa.store
    version = site.storfa.reviews.get(KEY).version_id
    words = store.redaction_words([version])[version]
    assert ("Jane Smith", "Person A", "person_name") in words, words
    sql = resources.files("storfa.storage.migrations").joinpath(
        store.dialect, "0028_redaction_types.sql").read_text("utf-8")
    statements = [s for s in sql.split(";\n") if "UPDATE" in s]
    assert len(statements) == 3
    with store.db.write() as conn:
        conn.execute("UPDATE redaction_spans SET finding_type = '' WHERE version_id = ?",
                     (version,))
        for statement in statements:
            conn.execute("\n".join(line for line in statement.splitlines()
                                   if not line.startswith("--")))
    # Names, which are all the type is read for, get theirs back; the rest
    # get theirs at the version's next refresh.
    names = [(w, r, t if t == "person_name" else "") for w, r, t in words]
    assert store.redaction_words([version])[version] == names
    assert store.current_redaction_words()[row] == names
