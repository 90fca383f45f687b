"""Triangulation of one theme on both backends, against a hand-worked
example: agencies' self-evaluations (4 of 6 positive), a case-file audit
(1 of 2 good or better) and a practitioner survey (3 of 10 positive) side by
side, the self-evaluations and survey flagged as disagreeing, and the DOCX
export."""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from storfa.accounts.service import Actor
from storfa.app import Storfa
from storfa.assurance.audit_service import CaseAuditService
from storfa.assurance.drafting import gettext_for, theme_name
from storfa.assurance.scope import Caller, Forbidden
from storfa.assurance.selfeval_service import SelfEvalService
from storfa.assurance.survey_service import SurveyService
from storfa.assurance.triangulation import (
    ReviewEvidence,
    TriangulationService,
    matches,
    terms_of,
)
from storfa.assurance.triangulation_report import triangulation_document
from storfa.domain.accounts import Organisation, User
from storfa.reports.render import render
from storfa.web.app import create_app
from storfa.web.security import LANG_COOKIE
from webworld import PASSWORD, csrf_of

SYSTEM = Actor(None, "test")
# A count glued to a question ("disseminated?: 2/3"), as the findings once read.
GLUED = re.compile(r"[?:]\s*:?\s*\d+\s*/\s*\d+")
CLI = Caller("cli", None, {"via": "test"})
DESIGN = [{"title": "Training", "theme": "training", "questions": [
    {"text": "Are 7-minute briefings disseminated?", "kind": "yesno"}]},
    {"title": "Leadership", "theme": "leadership", "questions": [
        {"text": "Named lead?", "kind": "yesno"}]}]
CSV = (b"Aware of 7-minute briefings,Confidence in training (1-5),Role\n"
       b"Yes,5,Health\nNo,4,Police\nNo,2,Health\nNo,1,Education\nNo,3,Health\n")


def test_terms_match_whole_word_starts() -> None:
    terms = terms_of("Training", ["briefing"])
    assert terms == ("training", "briefing")
    assert matches(terms, "7-minute briefings") and not matches(terms, "retraining")


def _example(storfa: Storfa) -> tuple[Organisation, User]:
    """The hand-worked example; returns the board and another board's editor."""
    a = storfa.accounts
    board = a.add_organisation("North Board", "North Wales", SYSTEM)
    agencies = [a.add_organisation(f"Agency {i}", None, SYSTEM).name for i in (1, 2, 3)]
    other = a.add_organisation("Gwent Board", "Gwent", SYSTEM)
    outsider = a.add_user("ge", "correct horse battery staple", "editor", other.name, SYSTEM)
    se = SelfEvalService.of(storfa, CLI)
    se_id = se.create(board.id, "Training 2025", design=DESIGN)
    se.send(se_id, agencies)
    for agency, yes, score in zip(agencies, ("yes", "yes", "no"),
                                  ("good", "outstanding", "requires_improvement"), strict=True):
        rid = se.find_return(se_id, agency).id
        se.save(rid, {"s1q1": yes, "s2q1": "yes"}, {"s1": score, "s2": "good"})
        se.submit(rid)
    audits = CaseAuditService.of(storfa, CLI)
    audit_id = audits.create(board.id, "Audit", [("Were staff trained for this case?",
                                                  "training"), ("Other?", "other")])
    audits.add_case(audit_id, "CFA-1", agencies[:2])
    audits.grade(audit_id, "CFA-1", "q1", "good", agency=agencies[0])
    audits.grade(audit_id, "CFA-1", "q1", "unsatisfactory", agency=agencies[1])
    audits.grade(audit_id, "CFA-1", "q2", "unsatisfactory", agency=agencies[1])
    surveys = SurveyService.of(storfa, CLI)
    sid = surveys.import_file(board.id, "Practitioners", "s.csv", CSV)
    surveys.map(sid, [{"column": "Aware of 7-minute briefings", "kind": "choice",
                       "question": "Aware of 7-minute briefings"},
                      {"column": "Confidence in training (1-5)", "kind": "scale",
                       "question": "Confidence in training (1-5)"},
                      {"column": "Role", "kind": "choice", "question": "Role"}])
    return board, outsider


def test_theme_side_by_side_with_a_flag(storfa: Storfa) -> None:
    board, outsider = _example(storfa)
    found = TriangulationService.of(storfa, CLI).build(board.id, "training", ["briefing"])
    by = {s.key: s for s in found.sources}
    # Self-evaluations: briefings 2 of 3 yes, section self-score 2 of 3 good+ → 4/6
    assert [(f.positive, f.base) for f in by["selfeval"].findings] == [(2, 3), (2, 3)]
    assert by["selfeval"].share == 66.7
    # Audit: the training question graded good and unsatisfactory → 1/2
    assert by["audit"].share == 50.0 and by["audit"].base == 2
    # Survey: 1 of 5 aware; confidence 4 or 5 for 2 of 5 → 3/10
    assert [(f.positive, f.base) for f in by["survey"].findings] == [(1, 5), (2, 5)]
    assert by["survey"].share == 30.0
    assert [(f.first, f.second) for f in found.flags] == [("Self-evaluations",
                                                           "Practitioner survey")]
    data = found.as_json()
    assert data["disagreements"][0]["higher_percent"] == 66.7
    assert data["reviews"]["extract_total"] == 0
    docx, media = render(triangulation_document(found, "cy"), "docx")
    assert media.endswith("document")
    text = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert "Arolwg ymarferwyr" in text and "anghytuno" in text
    with pytest.raises(Forbidden):
        TriangulationService.of(storfa, Caller(outsider.actor, outsider, {})).build(
            board.id, "training")


def test_strengths_and_areas_drafted_then_edited(storfa: Storfa) -> None:
    board, outsider = _example(storfa)
    editor = storfa.accounts.add_user("ne", "correct horse battery staple", "editor",
                                      board.name, SYSTEM)
    service = TriangulationService.of(storfa, Caller(editor.actor, editor, {"via": "test"}))
    found = service.build(board.id, "training", ["briefing"])
    strengths, areas = found.drafted()
    # Self-evaluations 4/6 = 66.7% ≥ 60: a strength; its two findings tie at 2/3,
    # the later (the section self-score) is cited. Audits: 2 answers < 5, nothing.
    # Survey 3/10 = 30% < 50: an area, citing its weakest finding (1 of 5);
    # and the 36.7-point disagreement is an area too.
    assert strengths == ["Self-evaluations: 66.7% of answers on training were positive "
                         "(4 of 6). Strongest: 2 of 3 agencies scored themselves good or "
                         "better on ‘Training’ (Training 2025)."]
    assert areas == ["Practitioner survey: only 30% of answers on training were positive "
                     "(3 of 10). Weakest: 1 of 5 respondents gave a positive answer to "
                     "‘Aware of 7-minute briefings’ (Practitioners).",
                     "The sources disagree on training: Self-evaluations 66.7% positive, but "
                     "Practitioner survey 30%. Find out which picture is right."]
    assert found.notes() == (strengths, areas) and found.saved is None
    assert found.drafted("cy")[0][0].startswith("Hunanwerthusiadau: roedd 66.7%")
    assert found.as_json()["drafted"] == {"strengths": strengths, "areas": areas}

    service.save_notes(board.id, " Training ", "Briefings reach agencies.\n\n- Leads named",
                       "Practitioners do not know the briefings.")
    again = service.build(board.id, "training")
    assert again.notes() == (["Briefings reach agencies.", "Leads named"],
                             ["Practitioners do not know the briefings."])
    assert again.saved is not None and again.saved.actor == editor.actor
    saved = storfa.store.audit_events(action="assurance.triangulation.save")
    assert len(saved) == 1 and saved[0]["actor"] == editor.actor
    docx, _ = render(triangulation_document(again), "docx")
    text = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert "Leads named" in text and "Areas for development" in text
    assert "Strongest:" not in text  # the edited text replaces the draft

    with pytest.raises(Forbidden):  # another board's editor may not word this board's
        TriangulationService.of(storfa, Caller(outsider.actor, outsider, {})).save_notes(
            board.id, "training", "x", "y")
    refused = storfa.store.audit_events(action="assurance.triangulation.save", denied=True)
    assert [e["actor"] for e in refused] == [outsider.actor]  # the refusal is audited
    assert service.build(board.id, "training").notes()[0][1] == "Leads named"


def test_drafted_texts_and_the_report_in_welsh(storfa: Storfa) -> None:
    """The drafted sentences, the findings' fixed words and the report's
    headings come from the Welsh catalogue; only the board's own words (the
    titles and questions) stay as they were typed."""
    import pypdfium2 as pdfium

    board, _ = _example(storfa)
    found = TriangulationService.of(storfa, CLI).build(board.id, "training", ["briefing"])
    strengths, areas = found.drafted("cy")
    # The theme by its Welsh name (a built-in template's theme); the board's
    # question and titles quoted as typed.
    assert strengths == ["Hunanwerthusiadau: roedd 66.7% o'r atebion ar y thema hyfforddiant "
                         "yn gadarnhaol (4 o 6). Cryfaf: Rhoddodd 2 o'r 3 asiantaeth hunan-sgôr "
                         "da neu well ar ‘Training’ (Training 2025)."]
    assert areas == ["Arolwg ymarferwyr: dim ond 30% o'r atebion ar y thema hyfforddiant oedd "
                     "yn gadarnhaol (3 o 10). Gwannaf: Rhoddodd 1 o'r 5 ymatebydd ateb "
                     "cadarnhaol i ‘Aware of 7-minute briefings’ (Practitioners).",
                     "Mae'r ffynonellau'n anghytuno ar y thema hyfforddiant: Hunanwerthusiadau "
                     "66.7% yn gadarnhaol, ond Arolwg ymarferwyr 30%. Darganfyddwch pa ddarlun "
                     "sy'n gywir."]
    assert not any("training" in line for line in strengths + areas)
    audit = next(s for s in found.sources if s.key == "audit").findings[0]
    assert audit.text == ("1 of 2 grades for ‘Were staff trained for this case?’ were good or "
                          "outstanding (Audit)")
    assert audit.translated(str) == audit.text  # English: the API's and the CLI's words
    doc = triangulation_document(found, "cy")
    docx = zipfile.ZipFile(io.BytesIO(render(doc, "docx")[0])).read(
        "word/document.xml").decode()
    pdf = pdfium.PdfDocument(render(doc, "pdf")[0])
    pdf_text = " ".join(" ".join(page.get_textpage().get_text_range().split())
                        for page in pdf)
    for text in (docx, pdf_text):
        assert "Tystiolaeth wedi'i thriongli: hyfforddiant" in text and "Cryfderau" in text
        assert "Thema: hyfforddiant (training, briefing)" in text
        assert "hunan-sgôr da neu well" in text
        assert ("Roedd 1 o'r 2 gradd ar gyfer ‘Were staff trained for this case?’ yn dda "
                "neu'n rhagorol (Audit)") in text
        assert "10 o atebion gan 5 o ymatebwyr i 2 o gwestiynau" in text
        assert "Darganfyddwch pa ddarlun" in text
        for english in ("good or better", "good or outstanding", "of answers on",
                        "Find out which picture", "Strengths", "Drafted by storfa",
                        "respondents", "questions", "?:"):
            assert english not in text, english


def test_a_recommendations_status_is_named_not_keyed(storfa: Storfa) -> None:
    """The register's status ("in_progress") is shown by its name, in the
    report's language, and kept as the key in the JSON."""
    board, _ = _example(storfa)
    found = TriangulationService.of(storfa, CLI).build(board.id, "training", ["briefing"])
    rec = ReviewEvidence("recommendation", "CPR2020-W01", "Train staff.", "3",
                         "/recommendations/1", "in_progress")
    found = replace(found, recommendations=[rec], recommendation_total=1)
    assert rec.as_json()["status"] == "in_progress" and rec.as_json()["where"] == "3"
    for lang, name in (("en", "In progress"), ("cy", "Ar y gweill")):
        docx = zipfile.ZipFile(io.BytesIO(render(triangulation_document(found, lang),
                                                 "docx")[0])).read("word/document.xml")
        assert f"CPR2020-W01 3 ({name}): Train staff.".encode() in docx
        assert b"in_progress" not in docx


def test_findings_are_sentences_saying_what_they_count(storfa: Storfa) -> None:
    """Each finding reads as a sentence around the board's quoted words, in
    English (the JSON) and in Welsh, with its count spelt out; the JSON also
    keeps the question, the exercise and what the base counts apart."""
    board, _ = _example(storfa)
    found = TriangulationService.of(storfa, CLI).build(board.id, "training", ["briefing"])
    cy = gettext_for("cy")
    by = {s.key: s for s in found.sources}
    expected = {
        "selfeval": [("2 of 3 agencies answered yes to ‘Are 7-minute briefings disseminated?’ "
                      "(Training 2025)",
                      "Atebodd 2 o'r 3 asiantaeth ‘ie’ i ‘Are 7-minute briefings "
                      "disseminated?’ (Training 2025)"),
                     ("2 of 3 agencies scored themselves good or better on ‘Training’ "
                      "(Training 2025)",
                      "Rhoddodd 2 o'r 3 asiantaeth hunan-sgôr da neu well ar ‘Training’ "
                      "(Training 2025)")],
        "audit": [("1 of 2 grades for ‘Were staff trained for this case?’ were good or "
                   "outstanding (Audit)",
                   "Roedd 1 o'r 2 gradd ar gyfer ‘Were staff trained for this case?’ yn dda "
                   "neu'n rhagorol (Audit)")],
        "survey": [("1 of 5 respondents gave a positive answer to ‘Aware of 7-minute "
                    "briefings’ (Practitioners)",
                    "Rhoddodd 1 o'r 5 ymatebydd ateb cadarnhaol i ‘Aware of 7-minute "
                    "briefings’ (Practitioners)"),
                   ("2 of 5 respondents gave a positive answer to ‘Confidence in training "
                    "(1-5)’ (Practitioners)",
                    "Rhoddodd 2 o'r 5 ymatebydd ateb cadarnhaol i ‘Confidence in training "
                    "(1-5)’ (Practitioners)")]}
    for key, sentences in expected.items():
        assert [(f.text, f.translated(cy)) for f in by[key].findings] == sentences
    data = found.as_json()
    survey = next(s for s in data["sources"] if s["source"] == "survey")
    assert survey["findings"][0] | {"text": ""} == {
        "text": "", "question": "Aware of 7-minute briefings", "asked_in": "Practitioners",
        "positive": 1, "base": 5, "base_counts": "respondents", "percent": 20.0, "spread": []}
    assert not any(GLUED.search(f["text"]) for s in data["sources"] for f in s["findings"])
    # A question whose answers are not yes/no-like is listed with its answers, not counted.
    role = TriangulationService.of(storfa, CLI).build(board.id, "role")
    listed = next(s for s in role.sources if s.key == "survey").findings
    assert [(f.text, f.translated(cy), f.positive) for f in listed] == [
        ("Answers to ‘Role’ (Practitioners): Health: 3; Police: 1; Education: 1",
         "Atebion i ‘Role’ (Practitioners): Health: 3; Police: 1; Education: 1", None)]
    assert listed[0].as_json()["spread"][0] == {"value": "Health", "count": 3}


def test_a_base_says_what_it_counts(storfa: Storfa) -> None:
    """Two survey questions put to 5 respondents make a base of 10 answers:
    said so, in both languages, and as separate fields in the JSON (the
    old `base` kept)."""
    board, _ = _example(storfa)
    found = TriangulationService.of(storfa, CLI).build(board.id, "training", ["briefing"])
    cy = gettext_for("cy")
    assert [(s.key, s.base_text(), s.base_text(cy)) for s in found.sources] == [
        ("selfeval", "6 answers from 3 agencies to 2 questions",
         "6 o atebion gan 3 o asiantaethau i 2 o gwestiynau"),
        ("audit", "2 grades for 1 question", "2 o raddau ar gyfer 1 cwestiwn"),
        ("survey", "10 answers from 5 respondents to 2 questions",
         "10 o atebion gan 5 o ymatebwyr i 2 o gwestiynau")]
    survey = next(s for s in found.as_json()["sources"] if s["source"] == "survey")
    assert {k: survey[k] for k in ("base", "answers", "positive_answers", "questions",
                                   "respondents", "base_text")} == {
        "base": 10, "answers": 10, "positive_answers": 3, "questions": 2, "respondents": 5,
        "base_text": "10 answers from 5 respondents to 2 questions"}
    # One question on the theme: one respondent's answer each, singular where it is one.
    aware = TriangulationService.of(storfa, CLI).build(board.id, "aware")
    assert next(s for s in aware.sources if s.key == "survey").base_text() == (
        "5 answers from 5 respondents to 1 question")
    nothing = TriangulationService.of(storfa, CLI).build(board.id, "unheard-of")
    assert [s.base_text() for s in nothing.sources] == ["", "", ""]
    doc = triangulation_document(found, "en")
    text = zipfile.ZipFile(io.BytesIO(render(doc, "docx")[0])).read(
        "word/document.xml").decode()
    assert "10 answers from 5 respondents to 2 questions" in text
    assert "Base: 6 answers from 3 agencies to 2 questions." in text


def test_the_theme_is_named_in_the_drafts_language_or_quoted(storfa: Storfa) -> None:
    """A built-in template's theme is said by its Welsh name on a Welsh page;
    a theme a person typed that the catalogue does not name is quoted as
    typed, never left bare inside a Welsh sentence."""
    assert theme_name(" Training ", "cy") == "hyfforddiant"
    assert theme_name("Safer  recruitment", "cy") == "recriwtio mwy diogel"
    assert theme_name("training") == "training"
    assert theme_name("briefings", "cy") == "‘briefings’" == theme_name("briefings")
    board, _ = _example(storfa)
    found = TriangulationService.of(storfa, CLI).build(board.id, "briefing")
    assert found.drafted()[1][0] == ("Practitioner survey: only 20% of answers on ‘briefing’ "
                                     "were positive (1 of 5).")
    assert found.drafted("cy")[1][0] == ("Arolwg ymarferwyr: dim ond 20% o'r atebion ar y "
                                         "thema ‘briefing’ oedd yn gadarnhaol (1 o 5).")


def test_the_page_and_the_api_in_english_and_welsh(storfa: Storfa) -> None:
    """The page shows the same sentences and bases as the service, in the
    page's language; the API the English ones with their fields."""
    board, _ = _example(storfa)
    editor = storfa.accounts.add_user("ne", PASSWORD, "editor", board.name, SYSTEM)
    bearer = {"Authorization": f"Bearer {storfa.accounts.create_token(editor, 't', SYSTEM)}"}
    with TestClient(create_app(storfa), follow_redirects=False) as client:
        signed = client.post("/login", data={"username": "ne", "password": PASSWORD,
                                             "csrf_token": csrf_of(client.get("/login").text),
                                             "next": "/"})
        assert signed.status_code == 303
        path = "/assurance/triangulation?theme=training&also=briefing"
        english = html.unescape(client.get(path).text)
        client.cookies.set(LANG_COOKIE, "cy")
        welsh = html.unescape(client.get(path).text)
        client.cookies.delete(LANG_COOKIE)
        api = client.get("/api/v1/assurance/triangulation", headers=bearer,
                         params={"theme": "training", "also": "briefing"})
    survey_row = re.search(r'<tr id="tri-survey">(.*?)</tr>', english, re.S)
    assert survey_row is not None
    assert '<td class="tri-base">10 answers from 5 respondents to 2 questions</td>' in (
        survey_row.group(1))
    assert ("<li>1 of 5 respondents gave a positive answer to ‘Aware of 7-minute briefings’ "
            "(Practitioners)</li>") in survey_row.group(1)
    assert not GLUED.search(english) and not GLUED.search(welsh)
    assert '<td class="tri-base">10 o atebion gan 5 o ymatebwyr i 2 o gwestiynau</td>' in welsh
    assert ("<li>Atebodd 2 o'r 3 asiantaeth ‘ie’ i ‘Are 7-minute briefings disseminated?’ "
            "(Training 2025)</li>") in welsh
    assert "ar y thema hyfforddiant" in welsh and "atebion ar training" not in welsh
    assert '<h2 id="tri-heading">hyfforddiant · North Board</h2>' in welsh
    assert '<h2 id="tri-heading">training · North Board</h2>' in english
    assert "respondents" not in welsh and "agencies answered" not in welsh
    assert api.status_code == 200, api.text
    survey = next(s for s in api.json()["sources"] if s["source"] == "survey")
    assert survey["base_text"] == "10 answers from 5 respondents to 2 questions"
    assert (survey["respondents"], survey["questions"], survey["base"]) == (5, 2, 10)
    assert survey["findings"][0]["text"].startswith("1 of 5 respondents gave a positive")
