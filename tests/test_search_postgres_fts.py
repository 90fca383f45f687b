"""PostgreSQL full-text search (STORFA_SEARCH_ENGINE=postgres) finds exactly the
passages the Tantivy index finds, on the same database: the test documents,
Welsh text, NEAR edge cases and the real reports in ../shared/corpus.

Ranking may differ (ts_rank_cd vs BM25); the sets of hits may not."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewtext import write_reviews
from storfa.app import Storfa
from storfa.config import Settings
from storfa.domain.errors import StorfaError
from storfa.search.engine import SearchEngine
from storfa.search.fts_postgres import PostgresSearch, compile_query, passage_lexemes
from storfa.search.index_tantivy import SearchIndex
from storfa.search.query import parse_query

# PostgreSQL only (skipped cleanly when no server is reachable).
ON_POSTGRES = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)

WELSH = """# Adolygiad Ymarfer Plant CPR2021-W09

Bwrdd Diogelu Gogledd Cymru

## Dysgu ymarfer a sefydliadol

Dangosodd yr ymarferwyr chwilfrydedd proffesiynol pan oedd yr ymwelydd iechyd yn dal
i ymweld â'r teulu. Roedd y gwaith amlasiantaethol yn dda ac fe rannwyd gwybodaeth yn brydlon.

Roedd y plant yn mynd i'r ysgol bob dydd, ond ni chafodd y pryderon eu huwchgyfeirio
at y rheolwr tîm. Mae diogelu plant yn gyfrifoldeb i bawb yn y gwasanaethau.

Cynhaliwyd digwyddiad dysgu adeg Gŵyl Dewi gyda'r ymarferwyr a'r rheolwyr.

Siaradodd y safeguarding leads gyda phennaeth yr ysgol am y cynllun.
"""

# Paragraphs become passages; each line pins one edge of NEAR and phrases.
NEAR_DOC = """# Child Practice Review CPR2021-W07

Gwent Safeguarding Board

## Findings on proximity

alpha beta gamma delta epsilon.

beta one two alpha.

alpha one two three four beta.

The appointment was not brought forward by the clinic.

The child was not brought to the appointment again.

The child was not quite brought to any appointment.

Appointment one two three four was not brought.

Escalation of the case happened late.

Escalated concerns were recorded; concerns escalated again later.
"""

# (query, must it find something on the small documents?)
QUERIES: list[tuple[str, bool]] = [
    ("neglect", True),
    ("escalation", True),                      # stems: escalated, escalating
    ("escalated", True),
    ("concerns", True),
    ("practitioners", True),
    ('"professional curiosity"', True),
    ('"was not brought"', True),
    ('"domestic abuse"', True),
    ("escalat*", True),
    ("curios*", True),
    ("escalat* NEAR/5 concerns", True),
    ("concerns NEAR/5 escalat*", True),
    ("escalat* NEAR/1 manager", False),
    ("escalation NEAR/2 concerns", True),
    ("health NEAR/0 visitor", True),
    ("visitor NEAR/0 health", True),
    ("alpha NEAR/0 beta", True),
    ("alpha NEAR/1 beta", True),
    ("alpha NEAR/2 beta", True),
    ("alpha NEAR/4 beta", True),
    ("beta NEAR/3 alpha", True),
    ("alpha NEAR/1 beta NEAR/1 gamma", True),
    ("alpha NEAR/3 beta NEAR/1 gamma", True),
    ('"was not brought" NEAR/2 appointment', True),
    ('"was not brought" NEAR/0 appointment*', True),
    ('appointment NEAR/4 "was not brought"', True),
    ('"alpha beta" NEAR/1 "delta epsilon"', True),
    ("escalat* NEAR/3 escalation", True),       # one word may satisfy both sides
    ("escalat* NEAR/0 escalation", False),
    ("concerns NEAR/3 concerns", True),
    ("neglect AND school", True),
    ("neglect school", True),
    ("neglect OR coercive", True),
    ('neglect NOT "domestic abuse"', True),
    ("neglect -school", False),             # every neglect passage mentions school
    ("NOT neglect", True),
    ("(school OR police) AND neglect", True),
    ("-concerns -neglect", True),
    ("multi-agency", False),
    ("child's", False),
    ("type:CPR", True),
    ("neglect type:DHR", True),
    ("concerns year:2019..2020", True),
    ("concerns year:..2019", True),
    ("concerns year:2021..", True),
    ('neglect board:"North Wales"', True),
    ("neglect board:gwent", True),
    ("review:CPR2019-W03", True),
    ("concerns review:dhr2020-w01", True),
    ('section:"Practice and organisational learning"', True),
    ('concerns section:"organisational learning"', True),
    ("section:findings alpha", True),
    # Welsh: not stemmed, accents folded, lang: filter
    ("plant lang:cy", True),
    ("plant", True),
    ("plants lang:cy", True),                  # the query is stemmed: plant, as written in Welsh
    ("plantau lang:cy", False),                # Welsh text is not stemmed
    ("chwilfrydedd", True),
    ('"chwilfrydedd proffesiynol"', True),
    ("gwyl", True),
    ("Gŵyl lang:cy", True),
    ("ymarferwyr NEAR/3 chwilfrydedd", True),
    ("plant NEAR/5 ysgol", True),
    ("plants NEAR/5 ysgol", True),             # NEAR words stand for their stem's words
    ("lead NEAR/4 ysgol lang:cy", True),       # ... in Welsh passages too ("leads")
    ("leading NEAR/4 ysgol lang:cy", True),
    ("lead NEAR/2 ysgol lang:cy", False),
    ("ymarfer* lang:cy", True),
    ("curiosity lang:cy", False),
    ("lang:cy", True),
    ("concerns lang:en", True),
    ("type:CPR lang:cy", True),
]


def hit_set(engine: SearchEngine, query: str) -> set[int]:
    total, hits = engine.search(parse_query(query), 100_000)
    ids = {pid for pid, _ in hits}
    assert total == len(ids), (query, total, len(ids))
    return ids


def ingest_all(app: Storfa, folder: Path, extra: list[Path] | None = None) -> None:
    paths = write_reviews(folder)
    for name, text in (("cy.md", WELSH), ("near.md", NEAR_DOC)):
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    results = app.ingest.ingest([*paths, *(extra or [])])
    assert {r.status for r in results} == {"ingested"}, [(r.status, r) for r in results]


@pytest.fixture
def engines(storfa: Storfa, tmp_path: Path) -> tuple[SearchIndex, PostgresSearch]:
    ingest_all(storfa, tmp_path / "in")
    assert isinstance(storfa.index, SearchIndex)
    pg = PostgresSearch(storfa.store)
    pg.sync(storfa.store)
    return storfa.index, pg


@ON_POSTGRES
def test_same_hits_as_tantivy_for_every_query(engines: tuple[SearchIndex, PostgresSearch],
                                               storfa: Storfa) -> None:
    tantivy, pg = engines
    languages = {r.review_id: r.language for r in storfa.store.list_reviews()}
    assert "cy" in languages.values(), languages
    assert len(QUERIES) >= 25
    differ, surprising = [], []
    for query, found in QUERIES:
        expected = hit_set(tantivy, query)
        parsed = parse_query(query)
        if (hit_set(pg, query) != expected
                or pg.count_by_review(parsed) != tantivy.count_by_review(parsed)):
            differ.append(query)
        if bool(expected) != found:
            surprising.append(query)
    assert differ == []
    assert surprising == []


@ON_POSTGRES
def test_near_and_phrase_semantics_are_pinned(engines: tuple[SearchIndex, PostgresSearch],
                                              storfa: Storfa) -> None:
    tantivy, pg = engines

    def texts(engine: SearchEngine, query: str) -> set[str]:
        hits = storfa.store.passage_hits(sorted(hit_set(engine, query)))
        return {" ".join(h.text.split()) for h in hits.values()}

    for engine in (tantivy, pg):
        assert texts(engine, "alpha NEAR/0 beta") == {"alpha beta gamma delta epsilon."}
        assert texts(engine, "alpha NEAR/1 beta") == {"alpha beta gamma delta epsilon."}
        assert texts(engine, "alpha NEAR/2 beta") == {
            "alpha beta gamma delta epsilon.", "beta one two alpha."}
        assert "alpha one two three four beta." in texts(engine, "beta NEAR/4 alpha")
        # A phrase stays together inside NEAR; the distance counts from its ends.
        assert texts(engine, '"was not brought" NEAR/2 appointment') == {
            "The appointment was not brought forward by the clinic.",
            "The child was not brought to the appointment again."}
        assert "Appointment one two three four was not brought." in texts(
            engine, 'appointment NEAR/4 "was not brought"')
        assert not texts(engine, '"was not brought" NEAR/3 appointment') & {
            "The child was not quite brought to any appointment.",
            "Appointment one two three four was not brought."}
        # A chain is each neighbouring pair.
        assert texts(engine, "alpha NEAR/3 beta NEAR/0 gamma") == {
            "alpha beta gamma delta epsilon."}


@ON_POSTGRES
def test_same_hits_on_the_shared_corpus(storfa: Storfa, tmp_path: Path, corpus: Path) -> None:
    ingest_all(storfa, tmp_path / "in", sorted(corpus.glob("*.md")))
    assert isinstance(storfa.index, SearchIndex)
    tantivy, pg = storfa.index, PostgresSearch(storfa.store)
    pg.sync(storfa.store)
    assert pg.passage_counts() == tantivy.passage_counts()
    corpus_queries = [
        "safeguarding", "safeguard*", '"multi-agency"', "multi-agency", '"professional curiosity"',
        '"was not brought"', "escalat* NEAR/5 concerns", "voice NEAR/5 child",
        "domestic NEAR/2 abuse", "health NEAR/3 visitor", '"child protection" NEAR/10 plan*',
        "neglect AND school", "(school OR education) AND attendance",
        "neglect NOT \"domestic abuse\"",
        "information NEAR/1 sharing NEAR/3 agencies", "practition* NEAR/0 curios*",
        "exploitation -criminal", "thematic type:thematic", "wales NEAR/20 review*",
        "diogelu", "plant", "coercive control", "\"coercive control\" NEAR/15 abuse",
    ]
    empty = 0
    for query in [*(q for q, _ in QUERIES), *corpus_queries]:
        expected = hit_set(tantivy, query)
        empty += not expected
        assert hit_set(pg, query) == expected, query
    assert empty < 15


def test_lexemes_and_tsquery_shapes() -> None:
    lexemes = passage_lexemes("Escalating concerns, Gŵyl's", "en", "Findings")
    assert "'escalating':1" in lexemes and "'s|escal':1" in lexemes
    assert "'gwyl':3" in lexemes and "'h|findings':1" in lexemes
    welsh = passage_lexemes("plant yn yr ysgol", "cy", "")
    assert "'c|plant':1" in welsh and "'e|plant':1" in welsh and "'s|" not in welsh
    compiled = compile_query(parse_query('"was not brought" NEAR/1 appoint* type:CPR'))
    assert compiled.tsquery is not None and "<->" in compiled.tsquery
    assert "<2>" in compiled.tsquery and "<3>" not in compiled.tsquery
    assert compiled.where == ["lower(r.type) = ?"] and compiled.params == ["cpr"]
    with pytest.raises(StorfaError, match="theme"):
        compile_query(parse_query('theme:"Risk and Escalation"'))


@ON_POSTGRES
def test_postgres_engine_is_selected_and_stays_in_sync(data_dir: Path, tmp_path: Path) -> None:
    app = Storfa(Settings.from_env(data_dir=data_dir, workers=1, search_engine="postgres"))
    try:
        assert isinstance(app.index, PostgresSearch)
        ingest_all(app, tmp_path / "in")
        assert app.check() == []
        found = app.search.search("escalat* NEAR/5 concerns", limit=50)
        assert found.total >= 3 and all("<mark>" in h.snippet for h in found.hits)
        assert app.index.rebuild(app.store) == len(app.store.list_reviews())
        assert app.check() == []
    finally:
        app.close()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_postgres_engine_needs_postgresql(data_dir: Path) -> None:
    app = Storfa(Settings(data_dir=data_dir, search_engine="postgres"))
    try:
        with pytest.raises(StorfaError, match="needs a PostgreSQL database"):
            _ = app.index
    finally:
        app.close()
    app = Storfa(Settings(data_dir=data_dir, search_engine="elastic"))
    with pytest.raises(StorfaError, match="must be one of tantivy, postgres"):
        _ = app.index
