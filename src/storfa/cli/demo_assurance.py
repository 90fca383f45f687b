"""The demo story's assurance chapter: the evidence a regional safeguarding
board gathers in a year, so that the 12 Cs, self-evaluation, case-file
audit, survey and triangulation pages all have something true to show.

Made only through the assurance services, each called as the CLI or the web
calls it, with a `Caller` of the user who would act (docs/assurance.md):

- the 12 Cs: North Wales' return for last year, every C graded, submitted;
  this year's opened from it as a draft with a few Cs moved on; a submitted
  return for Cwm Taf Morgannwg, so the national comparison has two boards;
- a self-evaluation from the built-in core template sent to four agencies,
  three of which fill it in and submit (one has not returned), the results
  published, and free-text answers coded with the best-practice codebook
  (auto-coding suggestions accepted, one answer coded by hand);
- a multi-agency case-file audit of six cases, by reference only, graded
  by three agencies on the four-point scale, where agencies disagree;
- a practitioner survey of 80 made-up respondents, imported and mapped, in
  which few practitioners know the 7-minute briefings that agencies say
  they disseminate: triangulating "training" (with "briefing") flags it.

Agencies are organisations of kind agency working with the North Wales
board (`storfa orgs add NAME --kind agency --board "North Wales"`), so they
see their own returns and never the other board's. Two have demo users (`health`, `police`) who fill in their
returns; the third agency's return and grades are typed in from the
command line naming the agency, as `storfa assurance selfeval answer
--agency` does. Each part is skipped when an earlier run made it."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass

from storfa.app import Storfa
from storfa.assurance.scope import Caller

NORTH = "North Wales Safeguarding Board"
CWM_TAF = "Cwm Taf Morgannwg Safeguarding Board"
HEALTH = "Betsi Cadwaladr University Health Board"
POLICE = "North Wales Police"
CHILDREN = "Conwy County Borough Council Children's Services"
EDUCATION = "Flintshire Education"
AGENCIES = (HEALTH, POLICE, CHILDREN, EDUCATION)
# The demo users (demo_accounts.DEMO_USERS) who act here; None: the command line.
EDITOR = "editor"
AGENCY_USERS: dict[str, str | None] = {HEALTH: "health", POLICE: "police", CHILDREN: None}
CODEBOOK = "best-practice"
DONE = "done before"
# What a person would type to see the evidence on one theme side by side.
THEME, ALSO = "training", ("briefing",)
SELFEVAL_TITLE = "Core safeguarding arrangements self-evaluation"
AUDIT_TITLE = "Multi-agency case-file audit: children at risk of neglect"
SURVEY_TITLE = "Practitioner survey"
SURVEY_ROWS, SURVEY_SEED = 80, 17
AUDIT_SEED = 11
# Of the suggestions for the answers, the board accepts this many of the most confident.
ACCEPTED_SUGGESTIONS = 3

# ------------------------------------------------------------------ the 12 Cs
# C → (in place, planned, evidence, grade): North Wales, last year.
NORTH_CS: dict[str, tuple[str, str, str, str]] = {
    "clarity": ("Regional thresholds document agreed by all six local authorities, the "
                "health board and the police.", "Plain-language summary for practitioners.",
                "Board minutes approving the thresholds document.", "good"),
    "confidence": ("Practitioner forums in each county twice a year.",
                   "A confidence question in the annual practitioner survey.",
                   "Forum attendance lists; survey results still to come.",
                   "requires_improvement"),
    "competence": ("Regional safeguarding training framework at four levels.",
                   "Training compliance reported to the Board by every agency.",
                   "Training framework; agencies' training figures.", "good"),
    "capacity": ("A business unit of three posts serving the Board and its sub-groups.",
                 "Bid for two further posts to manage reviews and audits.",
                 "Business unit workload report.", "requires_improvement"),
    "congruence": ("Strategic plan priorities carried into each sub-group's work plan.",
                   "Quarterly check that sub-group actions match the plan.",
                   "Strategic plan and sub-group work plans.", "good"),
    "co_location": ("Police, health and children's services co-located in the MASH in "
                    "each sub-region.", "Adult services to join the MASH in Wrexham.",
                    "MASH operating protocol.", "outstanding"),
    "culture": ("Escalation (resolving professional differences) procedure in place.",
                "Audit of how often the procedure is used and what follows.",
                "Procedure; few recorded uses so far.", "requires_improvement"),
    "cohesion": ("Joint commissioning of domestic abuse services across the region.",
                 "Shared outcomes framework with the Regional Partnership Board.",
                 "Commissioning agreement.", "good"),
    "consistency": ("Interim chairs for two sub-groups after staff changes.",
                    "Permanent chairs appointed and a stable membership.",
                    "Sub-group attendance shows gaps.", "unsatisfactory"),
    "data": ("Agencies report a core dataset each quarter.",
             "A shared dashboard and agreed definitions.",
             "Quarterly performance report; definitions differ between agencies.",
             "requires_improvement"),
    "forums": ("Practice review, training and audit sub-groups meet quarterly.",
               "A learning event each year for all partners.",
               "Sub-group terms of reference and minutes.", "good"),
    "commitment": ("Partner contributions to the Board's budget agreed for three years.",
                   "Review of the funding formula.", "Funding agreement.", "good"),
}
# What moved on this year, in this year's draft (started from last year's).
NORTH_THIS_YEAR: dict[str, tuple[str, str, str, str]] = {
    "capacity": ("Two further business unit posts funded from April.",
                 "Recruit to both posts by the autumn.", "Board decision and job adverts.",
                 "good"),
    "consistency": ("Permanent chairs appointed for every sub-group.",
                    "Induction pack for new members.", "Sub-group attendance improving.",
                    "requires_improvement"),
}
# Cwm Taf Morgannwg, last year: (in place, grade).
CWM_TAF_CS: dict[str, tuple[str, str]] = {
    "clarity": ("Thresholds guidance shared with all partners.", "good"),
    "confidence": ("Practitioner network meets each quarter.", "good"),
    "competence": ("Training offer reviewed; uptake uneven across agencies.",
                   "requires_improvement"),
    "capacity": ("Business unit vacancies for most of the year.", "unsatisfactory"),
    "congruence": ("Business plan agreed; links to operations still informal.",
                   "requires_improvement"),
    "co_location": ("Single point of contact with police and health partners.", "good"),
    "culture": ("Challenge log kept by the Board and reviewed each meeting.", "good"),
    "cohesion": ("Children's and adults' boards meet jointly twice a year.",
                 "requires_improvement"),
    "consistency": ("Stable Board membership; one sub-group without a chair.",
                    "requires_improvement"),
    "data": ("Shared dashboard in use by all statutory partners.", "good"),
    "forums": ("Annual conference and monthly practice learning sessions.", "outstanding"),
    "commitment": ("Partner funding agreed for the year.", "good"),
}

# ------------------------------------------------------------ self-evaluation
# The core template's questions (assurance/data/selfeval_templates.json) by
# key: s4 is Training (s4q3 the 7-minute briefings), s3q2 safer recruitment
# training. Answers by agency, then each section's self-score.
_H, _P, _C = HEALTH, POLICE, CHILDREN
ANSWERS: dict[str, dict[str, str]] = {
    _H: {"s1q1": "yes", "s1q2": "yes", "s1q3": "4",
         "s1q4": "The executive director of nursing holds quarterly listening events with "
                 "ward and community staff, and the named nurses bring themes from "
                 "supervision to the safeguarding group. Good practice from these sessions "
                 "is shared in the monthly safeguarding newsletter.",
         "s2q1": "yes", "s2q2": "yes", "s2q3": "Intranet",
         "s3q1": "yes", "s3q2": "yes",
         "s3q3": "References are requested by the recruitment team and verified by "
                 "telephone with the referee's employer before any offer; gaps in "
                 "employment history are explored at interview and recorded.",
         "s4q1": "yes", "s4q2": "75-90%", "s4q3": "yes",
         "s5q1": "yes", "s5q2": "Quarterly", "s5q3": "3",
         "s6q1": "yes", "s6q2": "no",
         "s6q3": "After a Child Practice Review about a baby who was not brought to "
                 "appointments, health visitors follow the 'was not brought' policy: two "
                 "missed contacts lead to a call to the family and a discussion with the "
                 "named nurse. Effective communication with GPs was commended in a later "
                 "audit."},
    _P: {"s1q1": "yes", "s1q2": "yes", "s1q3": "5",
         "s1q4": "The head of public protection meets frontline sergeants every month and "
                 "holds open sessions for all officers. Concerns raised there about "
                 "domestic abuse risk assessment led to a change in how DASH forms are "
                 "reviewed.",
         "s2q1": "yes", "s2q2": "yes", "s2q3": "Manager",
         "s3q1": "yes", "s3q2": "no",
         "s3q3": "Vetting is carried out by the force vetting unit to national standards; "
                 "references cover the previous three years of employment.",
         "s4q1": "yes", "s4q2": "Over 90%", "s4q3": "yes",
         "s5q1": "no", "s5q2": "Less often", "s5q3": "2",
         "s6q1": "yes", "s6q2": "yes",
         "s6q3": "Following a Domestic Homicide Review, officers attending a domestic "
                 "incident record what any child present said and share it with "
                 "children's services the next working day. It was good practice that "
                 "officers kept the child's voice at the centre of the MARAC referral."},
    _C: {"s1q1": "yes", "s1q2": "no", "s1q3": "3",
         "s1q4": "Team managers pass concerns up through the monthly service management "
                 "meeting. Social workers told us they rarely hear what happened next, so "
                 "this is an area we are developing.",
         "s2q1": "no", "s2q2": "yes", "s2q3": "They do not know it",
         "s3q1": "yes", "s3q2": "yes",
         "s3q3": "Human resources verify two references, one from the most recent "
                 "employer, and check registration with Social Care Wales before anyone "
                 "starts.",
         "s4q1": "yes", "s4q2": "50-74%", "s4q3": "no",
         "s5q1": "yes", "s5q2": "Monthly", "s5q3": "4",
         "s6q1": "yes", "s6q2": "no",
         "s6q3": "After a Child Practice Review on neglect every case held for more than "
                 "three months has a chronology, checked by the manager in supervision. "
                 "The social worker visited persistently and built a positive working "
                 "relationship with the family and the school."},
}
SCORES: dict[str, dict[str, str]] = {
    _H: {"s1": "good", "s2": "good", "s3": "outstanding", "s4": "good",
         "s5": "requires_improvement", "s6": "good"},
    _P: {"s1": "outstanding", "s2": "good", "s3": "good", "s4": "good",
         "s5": "requires_improvement", "s6": "good"},
    _C: {"s1": "requires_improvement", "s2": "requires_improvement", "s3": "good",
         "s4": "requires_improvement", "s5": "good", "s6": "requires_improvement"},
}
# The health board attaches its training record (s4q4, an evidence question).
TRAINING_RECORD = ("s4q4", "training-record-summary.txt",
                   b"Safeguarding training compliance, all staff groups\n"
                   b"Level 1: 94%\nLevel 2: 86%\nLevel 3: 78%\n")
# Answers the board codes by hand, the first of these the auto-coder left
# uncoded: (agency, question, code).
BY_HAND = ((HEALTH, "s3q3", "Adhering to policy and procedure"),
           (POLICE, "s1q4", "Effective communication"))

# ------------------------------------------------------------ case-file audit
AUDIT_QUESTIONS = (
    ("Was the risk to the child identified and assessed?", "risk assessment"),
    ("Was information shared with partner agencies when it should have been?",
     "information sharing"),
    ("Was the voice of the child heard and recorded?", "voice of the child"),
    ("Was the practitioner supervised, and did supervision challenge the plan?",
     "supervision"),
    ("Had the practitioners the safeguarding training their role needs, and did it "
     "show in their practice?", "training"),
    ("Did practice reflect learning from reviews and 7-minute briefings?",
     "learning from reviews"),
)
# Case → the agencies whose files were read; the quality of the case's
# work overall (points, 4 outstanding … 1 unsatisfactory).
CASES: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("001", (HEALTH, POLICE, CHILDREN), 3),
    ("002", (HEALTH, POLICE, CHILDREN), 2),
    ("003", (HEALTH, CHILDREN), 3),
    ("004", (POLICE, CHILDREN), 1),
    ("005", (HEALTH, POLICE), 2),
    ("006", (HEALTH, CHILDREN), 3),
)
# Questions practice tends to fall short on (points taken off).
HARDER = {"q3": 1, "q5": 1}
# An agency's grade differs from the case's quality by this, at random: the
# same question of the same case is sometimes graded differently.
NOISE = (-1, *(0,) * 8, 1)
# Conwy has not graded the last case yet: "not returned" shows.
UNGRADED = ("006", CHILDREN)
# question → (said of good work, said of work that fell short)
COMMENTS = {
    "q1": ("Risk assessed at the first contact and reviewed when circumstances changed.",
           "Risk assessed once; not revisited when the family's circumstances changed."),
    "q2": ("Information shared promptly; the referral was clear about the worry.",
           "Information held by the agency was not shared with the strategy meeting."),
    "q3": ("The child was seen alone and their words are recorded.",
           "The child was not seen alone; the record describes the parents' view only."),
    "q4": ("Supervision notes show the plan was challenged and changed.",
           "Supervision recorded as case updates; no challenge to the plan."),
    "q5": ("Training up to date and its learning visible in the assessment.",
           "Mandatory training out of date; neglect tool not used."),
    "q6": ("The practitioner referred to the region's 7-minute briefing on neglect.",
           "No sign that learning from recent reviews reached this practitioner."),
}
_GRADE_OF = {4: "outstanding", 3: "good", 2: "requires_improvement", 1: "unsatisfactory"}

# ------------------------------------------------------------ survey
ROLES = ("Social worker", "Health visitor", "School nurse", "Police officer",
         "Teacher", "Designated safeguarding lead", "GP", "Family support worker")
SECTORS = ("Local authority", "Health", "Police", "Education", "Third sector")
SUPERVISION = ("never", "rarely", "sometimes", "often", "always")
AGREE = ("strongly disagree", "disagree", "neither agree nor disagree", "agree",
         "strongly agree")
IMPROVE = ("More time for supervision that looks at the case, not just the caseload.",
           "Hearing what happened after I make a referral.",
           "Shorter, more local training on neglect.",
           "Knowing who to call in other agencies.",
           "Fewer changes of social worker for the families we share.",
           "Being told about the learning from reviews in our area.",
           "Time to read the briefings we are sent.",
           "A single chronology that every agency can add to.")
# Column → its kind in the mapping step (surveys.KINDS).
SURVEY_COLUMNS = (
    ("ID", "ignore"),
    ("Completion time", "ignore"),
    ("Which sector do you work in?", "choice"),
    ("What is your role?", "choice"),
    ("How useful was your last safeguarding training (1-5)?", "scale"),
    ("Do you know about 7-minute briefings?", "yesno"),
    ("How often do you receive safeguarding supervision?", "scale"),
    ("How confident are you in escalating a concern to a manager (1-5)?", "scale"),
    ("I know how to use the resolving professional differences procedure", "scale"),
    ("What one thing would most improve safeguarding practice in your team?", "text"),
)
# How many of the respondents know the briefings (a fifth).
KNOW_BRIEFINGS = 16


@dataclass(frozen=True)
class Actors:
    """The callers of the chapter: the board's editor, each agency's, the CLI."""

    editor: Caller
    agencies: dict[str, Caller]


def caller_for(app: Storfa, username: str | None) -> Caller:
    """A demo user as the web sees them (None: the command line's authority,
    naming the agency it acts for, as `storfa assurance … --agency` does)."""
    if username is None:
        return Caller("demo", None, {"via": "demo"})
    from storfa.accounts.service import Actor

    user = app.accounts.accounts.user_by_name(username)
    if user is None:
        raise LookupError(f"The demo has no user {username!r}.")
    return Caller(user.actor, user, Actor(user, "demo").detail())


def tell_assurance(app: Storfa, year: int) -> str:
    """Make the year's assurance evidence; say what was made ('done before'
    when an earlier run made it all)."""
    who = Actors(caller_for(app, EDITOR),
                 {agency: caller_for(app, user) for agency, user in AGENCY_USERS.items()})
    said = [part for part in (_twelve_cs(app, who, year), _self_evaluation(app, who, year),
                              _case_file_audit(app, who, year), _survey(app, who, year))
            if part != DONE]
    if not said:
        return DONE
    return "; ".join([*said, _triangulated(app, who)])


def _twelve_cs(app: Storfa, who: Actors, year: int) -> str:
    from storfa.assurance.service import TwelveCsService

    board = TwelveCsService.of(app, who.editor)
    north = board.organisation(NORTH)
    said = []
    if board.find(north.id, year - 1) is None:
        last = board.open(north.id, year - 1)
        for c, (in_place, planned, evidence, grade) in NORTH_CS.items():
            board.save(last.id, c, in_place, planned, evidence, grade)
        board.submit(last.id)
        this = board.open(north.id, year)  # starts from last year's answers
        for c, (in_place, planned, evidence, grade) in NORTH_THIS_YEAR.items():
            board.save(this.id, c, in_place, planned, evidence, grade)
        said.append(f"North Wales' {year - 1} return submitted, {year}'s a draft started "
                    f"from it")
    # Cwm Taf Morgannwg has no demo editor: its return is typed in from the command line.
    other = TwelveCsService.of(app, caller_for(app, None))
    cwm_taf = other.organisation(CWM_TAF)
    if other.find(cwm_taf.id, year - 1) is None:
        ret = other.open(cwm_taf.id, year - 1)
        for c, (in_place, grade) in CWM_TAF_CS.items():
            other.save(ret.id, c, in_place=in_place, grade=grade)
        other.submit(ret.id)
        said.append(f"Cwm Taf Morgannwg's {year - 1} return submitted")
    return "12 Cs: " + ", ".join(said) if said else DONE


def _self_evaluation(app: Storfa, who: Actors, year: int) -> str:
    from storfa.assurance.answer_coding import AnswerCodingService
    from storfa.assurance.selfeval_service import SelfEvalService

    board = SelfEvalService.of(app, who.editor)
    title = f"{SELFEVAL_TITLE} {year}"
    if any(se.title == title for se in board.listing()):
        return DONE
    north = board.organisation(NORTH)
    se_id = board.create(north.id, title, "core")
    board.send(se_id, AGENCIES)
    for agency, caller in who.agencies.items():
        service = SelfEvalService.of(app, caller)
        ret = service.find_return(se_id, agency if caller.user is None else None)
        files = [TRAINING_RECORD] if agency == HEALTH else []
        service.save(ret.id, ANSWERS[agency], SCORES[agency], files)
        service.submit(ret.id)
    board.publish(se_id)

    coding = AnswerCodingService.of(app, who.editor)
    suggestions = sorted(coding.suggest(se_id, CODEBOOK),
                         key=lambda s: -(s.confidence or 0.0))
    accepted = 0
    for s in suggestions[:ACCEPTED_SUGGESTIONS]:
        coding.code(se_id, s.answer.return_id, s.answer.question_key, CODEBOOK, s.code,
                    s.how, s.confidence)
        accepted += 1
    names = board.names()
    uncoded = {(names.get(a.organisation_id), a.question_key): a
               for a in coding.coded(se_id, CODEBOOK).uncoded}
    by_hand = 0
    for agency, question, code in BY_HAND:
        if (a := uncoded.get((agency, question))) is not None:
            coding.code(se_id, a.return_id, a.question_key, CODEBOOK, code)
            by_hand = 1
            break
    returned = len(who.agencies)
    return (f"a self-evaluation sent to {len(AGENCIES)} agencies, {returned} returned "
            f"and published; {accepted} of {len(suggestions)} coding suggestions accepted "
            f"and {by_hand} answer coded by hand")


def _grades(year: int) -> list[tuple[str, str, str, str, str]]:
    """(case reference, agency, question key, grade, comment): each agency's
    view of each case, seeded, so agencies sometimes disagree."""
    rng = random.Random(AUDIT_SEED)
    out = []
    for number, agencies, quality in CASES:
        reference = f"CFA-{year}-{number}"
        for agency in agencies:
            if (number, agency) == UNGRADED:
                continue
            for i in range(1, len(AUDIT_QUESTIONS) + 1):
                key = f"q{i}"
                points = quality - HARDER.get(key, 0) + rng.choice(NOISE)
                points = min(4, max(1, points))
                good, short = COMMENTS[key]
                out.append((reference, agency, key, _GRADE_OF[points],
                            good if points >= 3 else short))
    return out


def _case_file_audit(app: Storfa, who: Actors, year: int) -> str:
    from storfa.assurance.audit_service import CaseAuditService

    board = CaseAuditService.of(app, who.editor)
    title = f"{AUDIT_TITLE} {year}"
    if any(a.title == title for a in board.listing()):
        return DONE
    north = board.organisation(NORTH)
    audit_id = board.create(north.id, title, AUDIT_QUESTIONS)
    for number, agencies, _ in CASES:
        board.add_case(audit_id, f"CFA-{year}-{number}", agencies)
    services = {agency: CaseAuditService.of(app, caller)
                for agency, caller in who.agencies.items()}
    grades = _grades(year)
    for reference, agency, key, grade, comment in grades:
        service = services[agency]
        service.grade(audit_id, reference, key, grade, comment,
                      agency if service.caller.user is None else None)
    found = board.results(audit_id)
    return (f"a case-file audit of {len(CASES)} cases with {len(grades)} grades from "
            f"{len(services)} agencies, {len(found.disagreements)} disagreements")


def survey_csv(year: int, rows: int = SURVEY_ROWS, seed: int = SURVEY_SEED) -> bytes:
    """A practitioner survey as an online form tool exports it: made up,
    seeded, with a fifth of respondents knowing the 7-minute briefings."""
    rng = random.Random(seed)
    know = set(rng.sample(range(rows), min(KNOW_BRIEFINGS, rows)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([column for column, _ in SURVEY_COLUMNS])
    for n in range(rows):
        day = 1 + n % 28
        writer.writerow([
            str(n + 1), f"{year}-03-{day:02d} {9 + n % 8:02d}:{(7 * n) % 60:02d}",
            rng.choice(SECTORS), rng.choice(ROLES),
            str(rng.choices((1, 2, 3, 4, 5), weights=(2, 4, 6, 4, 2))[0]),
            "Yes" if n in know else "No",
            rng.choices(SUPERVISION, weights=(1, 3, 4, 3, 1))[0],
            str(rng.choices((1, 2, 3, 4, 5), weights=(1, 2, 4, 5, 3))[0]),
            rng.choices(AGREE, weights=(2, 5, 4, 4, 1))[0],
            # Not everyone answers the free-text question.
            rng.choice(IMPROVE) if rng.random() < 0.6 else "",
        ])
    return out.getvalue().encode("utf-8")


def survey_mapping(columns: Sequence[str]) -> list[dict[str, str]]:
    """The mapping step as the board completes it: each column is its own question."""
    kinds = dict(SURVEY_COLUMNS)
    return [{"column": c, "question": c, "kind": kinds.get(c, "ignore")} for c in columns]


def _survey(app: Storfa, who: Actors, year: int) -> str:
    from storfa.assurance.survey_service import SurveyService

    board = SurveyService.of(app, who.editor)
    north = board.organisation(NORTH)
    title = f"{SURVEY_TITLE} {year}"
    if any(s.title == title for s in board.listing(north.id)):
        return DONE
    data = survey_csv(year)
    survey_id = board.import_file(north.id, title, f"practitioner-survey-{year}.csv", data)
    survey = board.map(survey_id, survey_mapping(board.get(survey_id).columns))
    return f"a practitioner survey of {len(survey.rows)} respondents imported and mapped"


def _triangulated(app: Storfa, who: Actors) -> str:
    from storfa.assurance.triangulation import TriangulationService

    service = TriangulationService.of(app, who.editor)
    north = service.organisation(NORTH)
    found = service.build(north.id, THEME, ALSO)
    flags = " ".join(f.message for f in found.flags) or "no disagreement"
    return f"triangulating '{THEME}' ({', '.join(ALSO)}): {flags}"
