"""Assurance (docs/assurance.md) in a real browser, as issue 17 asks it be
checked: a board editor fills in and submits a 12 Cs return with a grade and
an evidence file; an agency fills in a self-evaluation (a draft, then
submitted) and a second agency can reach it neither by navigation nor by
its address; a board imports a survey CSV through the mapping step; the
triangulation page for one theme, its drafted strengths edited and saved,
exported as DOCX and PDF (opened and read). Every page is photographed into
a temporary folder, printed at the end, for a person to look at.

The organisations and users are added to the live site's database
beforehand, as an administrator would. Elements are found by id, class and
attribute, never by English words (the theme and typed text aside)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import pypdfium2
import pytest
from livesite import SignIn, Site
from playwright.sync_api import FilePayload, Page, expect

from storfa.app import Storfa
from storfa.assurance.scope import Caller
from storfa.assurance.selfeval_service import SelfEvalService
from storfa.assurance.survey_service import SurveyService
from storfa.assurance.twelve_cs import twelve_cs
from storfa.config import Settings
from webworld import PASSWORD, SYSTEM, backend_env

pytestmark = pytest.mark.browser

BOARD, POLICE, HEALTH = "Powys Assurance Board", "Powys Police Agency", "Powys Health Agency"
USERS = {"pa_board": BOARD, "pa_police": POLICE, "pa_health": HEALTH}
CLI = Caller("cli:browser-test", None, {"via": "browser test"})
# Typed by the police; the health agency must never see it.
POLICE_WORDS = "Leaders hear practitioners at the monthly marram forum."
SURVEY_CSV = (b"Role,Aware of 7-minute briefings,Confidence in training (1-5),Comments\n"
              b"Health,Yes,5,Good courses\nPolice,No,4,\nHealth,No,2,Too few places\n"
              b"Education,No,1,Never heard of them\nHealth,No,3,\n")


@dataclass(frozen=True)
class Assurance:
    selfeval: int
    shots: Path


@pytest.fixture(scope="module")
def assurance(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assurance]:
    """A board with two agencies; a core self-evaluation sent to both (the
    health agency's submitted, for the triangulation); a mapped survey."""
    with backend_env("sqlite", None):
        app = Storfa(Settings.from_env(data_dir=site.data_dir))
        try:
            board = app.accounts.add_organisation(BOARD, "Powys", SYSTEM)
            for org in (POLICE, HEALTH):
                app.accounts.add_organisation(org, None, SYSTEM)
            for username, org in USERS.items():
                app.accounts.add_user(username, PASSWORD, "editor", org, SYSTEM)
            se = SelfEvalService.of(app, CLI)
            se_id = se.create(board.id, "Core arrangements 2026", "core")
            se.send(se_id, [POLICE, HEALTH])
            ret = se.find_return(se_id, HEALTH)
            design = se.get(se_id).sections
            se.save(ret.id, {q.key: "yes" for s in design for q in s.questions
                             if q.kind == "yesno"},
                    {s.key: "good" for s in design})
            se.submit(ret.id)
            surveys = SurveyService.of(app, CLI)
            sid = surveys.import_file(board.id, "Practitioners 2026", "s.csv", SURVEY_CSV)
            surveys.map(sid, [{"column": c, "kind": k, "question": c} for c, k in (
                ("Role", "choice"), ("Aware of 7-minute briefings", "choice"),
                ("Confidence in training (1-5)", "scale"), ("Comments", "text"))])
        finally:
            app.store.close()
    shots = tmp_path_factory.mktemp("assurance-screens")
    yield Assurance(se_id, shots)
    print(f"assurance screenshots in {shots}")


def _shot(page: Page, a: Assurance, name: str) -> None:
    page.screenshot(path=str(a.shots / f"{name}.png"), full_page=True)


def test_board_fills_and_submits_a_12_cs_return(page: Page, sign_in: SignIn,
                                                assurance: Assurance) -> None:
    sign_in(page, "pa_board")
    page.goto("/assurance")
    page.locator("#cs-open button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/assurance/returns/\d+$"))
    expect(page.locator("#cs-status")).to_have_attribute("data-status", "draft")
    keys = [c.key for c in twelve_cs()]
    first = page.locator(f"#c-{keys[0]}")
    first.locator("textarea[name=in_place]").fill("Threshold document agreed by all partners.")
    first.locator("textarea[name=evidence]").fill("Board minutes, March.")
    first.locator("input[type=file]").set_input_files(files=FilePayload(
        name="minutes.txt", mimeType="text/plain",
        buffer=b"Board minutes: the threshold document was agreed.\n"))
    first.locator("select[name=grade]").select_option("good")
    first.locator("button[type=submit]").click()
    expect(page.locator(f"#c-{keys[0]} .cs-files a")).to_have_text("minutes.txt")
    expect(page.locator(f"#c-{keys[0]} select[name=grade]")).to_have_value("good")
    _shot(page, assurance, "12cs-draft")
    # Submitting with Cs ungraded is refused, naming them; nothing typed is lost.
    page.locator("#cs-submit button").click()
    expect(page.locator("#cs-return-error")).to_be_visible()
    expect(page.locator("#cs-status")).to_have_attribute("data-status", "draft")
    for key in keys[1:]:
        section = page.locator(f"#c-{key}")
        section.locator("select[name=grade]").select_option("requires_improvement")
        section.locator("button[type=submit]").click()
        expect(page.locator(f"#c-{key} select[name=grade]")).to_have_value(
            "requires_improvement")
    page.locator("#cs-submit button").click()
    expect(page.locator("#cs-status")).to_have_attribute("data-status", "submitted")
    expect(page.locator("form.cs-form")).to_have_count(0)  # locked for the year
    expect(page.locator(f"#c-{keys[0]} .cs-files a")).to_have_text("minutes.txt")
    expect(page.locator("#cs-events tr[data-action=submitted]")).to_have_count(1)
    with page.expect_download() as got:
        page.locator(f"#c-{keys[0]} .cs-files a").click()
    assert Path(got.value.path()).read_bytes().startswith(b"Board minutes")
    _shot(page, assurance, "12cs-submitted")


def test_agency_fills_a_self_evaluation_a_second_agency_cannot_see_it(
        page: Page, sign_in: SignIn, assurance: Assurance) -> None:
    sign_in(page, "pa_police")
    page.goto("/assurance/exercises")
    page.locator(f"#selfevals a[href='/assurance/self-evaluations/{assurance.selfeval}']").click()
    page.locator("#my-return").click()
    expect(page).to_have_url(re.compile(r"/assurance/self-evaluation-returns/\d+$"))
    own = page.url.split("/")[-1]
    form = page.locator("#return-form")
    selects = form.locator("select[id^=a_]")
    texts = form.locator("textarea[id^=a_]")
    texts.first.fill(POLICE_WORDS)
    # A half-filled form is kept as a draft.
    form.locator("button[name=save]").click()
    expect(texts.first).to_have_value(POLICE_WORDS)
    for i in range(selects.count()):
        options = selects.nth(i).locator("option").all()
        selects.nth(i).select_option(options[1].get_attribute("value") or options[1].inner_text())
    scores = form.locator("select[id^=s_]")
    for i in range(scores.count()):
        scores.nth(i).select_option("good")
    form.locator("button[name=submit]").click()
    expect(form.locator("fieldset[disabled]").first).to_be_visible()
    expect(texts.first).to_have_value(POLICE_WORDS)
    _shot(page, assurance, "selfeval-submitted")
    page.context.clear_cookies()

    sign_in(page, "pa_health")
    page.goto(f"/assurance/self-evaluations/{assurance.selfeval}")
    expect(page.locator("#my-return")).to_be_visible()
    assert page.locator("#my-return").get_attribute("href", timeout=1000) != \
        f"/assurance/self-evaluation-returns/{own}"
    for where in ("/assurance/exercises", f"/assurance/self-evaluations/{assurance.selfeval}",
                  "/assurance"):
        page.goto(where)
        expect(page.locator(f"a[href$='/self-evaluation-returns/{own}']")).to_have_count(0)
        expect(page.locator("main")).not_to_contain_text("marram")
    answer = page.goto(f"/assurance/self-evaluation-returns/{own}")
    assert answer is not None and answer.status == 404
    expect(page.locator("body")).not_to_contain_text("marram")
    _shot(page, assurance, "selfeval-refused")


def test_board_imports_a_survey_through_the_mapping_step(page: Page, sign_in: SignIn,
                                                         assurance: Assurance) -> None:
    sign_in(page, "pa_board")
    page.goto("/assurance")
    page.locator("#su-title").fill("Practitioners spring")
    page.locator("#su-file").set_input_files(files=FilePayload(
        name="survey.csv", mimeType="text/csv", buffer=SURVEY_CSV))
    page.locator("#survey-upload button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/assurance/surveys/\d+/mapping$"))
    expect(page.locator("#survey-mapping tbody tr")).to_have_count(4)
    _shot(page, assurance, "survey-mapping")
    # Two columns mapped to one question: refused, naming both, the mapping kept.
    page.locator("#q-1").fill("Role")
    page.locator("#survey-mapping button[type=submit]").click()
    expect(page.locator("#map-error")).to_contain_text("Role")
    expect(page.locator("#q-1")).to_have_value("Role")
    page.locator("#q-1").fill("Aware of 7-minute briefings")
    page.locator("#k-0").select_option("choice")
    page.locator("#k-1").select_option("choice")
    page.locator("#k-2").select_option("scale")
    page.locator("#k-3").select_option("text")
    page.locator("#survey-mapping button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/assurance/surveys/\d+$"))
    # Hand-worked: 1 of 5 aware (20%), 4 of 5 not (80%); 3 comments of 5.
    aware = page.locator("section.survey-q").nth(1)
    expect(aware.locator("table.survey-options tbody tr")).to_have_count(2)
    rows = {r.locator("td").nth(0).inner_text(): (r.locator("td").nth(1).inner_text(),
                                                  r.locator("td").nth(2).inner_text())
            for r in aware.locator("tbody tr").all()}
    assert rows == {"Yes": ("1", "20.0"), "No": ("4", "80.0")}
    expect(page.locator("section.survey-q").nth(3).locator(".survey-texts li")).to_have_count(3)
    _shot(page, assurance, "survey-results")


def test_triangulation_page_edited_and_exported(page: Page, sign_in: SignIn,
                                               assurance: Assurance) -> None:
    sign_in(page, "pa_board")
    page.goto("/assurance/exercises")
    page.locator("#tri-link").click()
    page.locator("#t-theme").fill("training")
    page.locator("#t-also").fill("briefing")
    page.locator("#tri-form button[type=submit]").click()
    expect(page.locator("#tri-sources tbody tr")).to_have_count(3)
    strengths = page.locator("#t-strengths")
    # Drafted from the evidence: the health agency said yes to every training
    # question; the survey's practitioners mostly did not know the briefings.
    expect(strengths).to_have_value(re.compile(r"\d+(\.\d+)?% .*training"))
    expect(page.locator("#t-areas")).to_have_value(re.compile(r"training"))
    _shot(page, assurance, "triangulation-drafted")
    strengths.fill("Every agency makes safeguarding training mandatory.")
    page.locator("#tri-notes-save").click()
    expect(page.locator("#tri-notes-saved")).to_be_visible()
    expect(strengths).to_have_value("Every agency makes safeguarding training mandatory.")
    _shot(page, assurance, "triangulation-saved")

    with page.expect_download() as got:
        page.locator("#tri-docx").click()
    document = docx.Document(io.BytesIO(Path(got.value.path()).read_bytes()))
    words = "\n".join(p.text for p in document.paragraphs)
    words += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "training" in words and "Every agency makes safeguarding training" in words
    with page.expect_download() as got:
        page.locator("#tri-pdf").click()
    data = Path(got.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    pdf = pypdfium2.PdfDocument(data)
    text = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "training" in text and "Every agency makes" in " ".join(text.split())
    pdf[0].render(scale=1.2).to_pil().save(assurance.shots / "triangulation-pdf-page1.png")
    pdf.close()
