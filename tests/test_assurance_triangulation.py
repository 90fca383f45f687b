"""Triangulation of one theme on both backends, against a hand-worked
example: agencies' self-evaluations (4 of 6 positive), a case-file audit
(1 of 2 good or better) and a practitioner survey (3 of 10 positive) side by
side, the self-evaluations and survey flagged as disagreeing, and the DOCX
export."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import pytest

from storfa.accounts.service import Actor
from storfa.app import Storfa
from storfa.assurance.audit_service import CaseAuditService
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

SYSTEM = Actor(None, "test")
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
                         "(4 of 6). Strongest: Training 2025: Training self-score good or "
                         "better (2 of 3)."]
    assert areas == ["Practitioner survey: only 30% of answers on training were positive "
                     "(3 of 10). Weakest: Practitioners: Aware of 7-minute briefings (1 of 5).",
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
    assert strengths == ["Hunanwerthusiadau: roedd 66.7% o'r atebion ar training yn gadarnhaol "
                         "(4 o 6). Cryfaf: Training 2025: Training: hunan-sgôr da neu well "
                         "(2 o 3)."]
    assert areas == ["Arolwg ymarferwyr: dim ond 30% o'r atebion ar training oedd yn "
                     "gadarnhaol (3 o 10). Gwannaf: Practitioners: Aware of 7-minute "
                     "briefings (1 o 5).",
                     "Mae'r ffynonellau'n anghytuno ar training: Hunanwerthusiadau 66.7% yn "
                     "gadarnhaol, ond Arolwg ymarferwyr 30%. Darganfyddwch pa ddarlun sy'n "
                     "gywir."]
    audit = next(s for s in found.sources if s.key == "audit").findings[0]
    assert audit.text == "Audit: Were staff trained for this case? (graded good or outstanding)"
    assert audit.translated(str) == audit.text  # English: the API's and the CLI's words
    doc = triangulation_document(found, "cy")
    docx = zipfile.ZipFile(io.BytesIO(render(doc, "docx")[0])).read(
        "word/document.xml").decode()
    pdf = pdfium.PdfDocument(render(doc, "pdf")[0])
    pdf_text = " ".join(" ".join(page.get_textpage().get_text_range().split())
                        for page in pdf)
    for text in (docx, pdf_text):
        assert "Tystiolaeth wedi'i thriongli" in text and "Cryfderau" in text
        assert "hunan-sgôr da neu well" in text
        assert "wedi'i raddio'n dda neu'n rhagorol" in text
        assert "Darganfyddwch pa ddarlun" in text
        for english in ("self-score good or better", "graded good or outstanding",
                        "of answers on", "Find out which picture", "Strengths",
                        "Drafted by storfa"):
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
