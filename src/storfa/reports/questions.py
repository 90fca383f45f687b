"""Questions for reflection, chosen by the themes a briefing covers.

Each question belongs to a pattern over theme names, learning headings and
recommendation text; a briefing asks the questions whose pattern its topics
match, then the two general ones every briefing ends with."""

from __future__ import annotations

import re
from collections.abc import Iterable

from storfa.reports.words import lang_of

MAX_QUESTIONS = 6

# (pattern over the topics, English, Welsh)
QUESTIONS: tuple[tuple[str, str, str], ...] = (
    (r"curiosity|assessing needs|self-report|uncertainty|presenting concern",
     "How do we test what parents and carers tell us against what other agencies know?",
     "Sut ydyn ni'n profi'r hyn y mae rhieni a gofalwyr yn ei ddweud wrthym yn erbyn yr hyn "
     "y mae asiantaethau eraill yn ei wybod?"),
    (r"voice|lived experience|seen alone|wishes and feelings",
     "How do we see the child or adult alone and record what they say in their own words?",
     "Sut ydyn ni'n gweld y plentyn neu'r oedolyn ar ei ben ei hun ac yn cofnodi'r hyn y mae'n "
     "ei ddweud yn ei eiriau ei hun?"),
    (r"escalat|challenge|threshold",
     "When did you last escalate a concern, and what helped or stopped you?",
     "Pryd wnaethoch chi uwchgyfeirio pryder ddiwethaf, a beth a'ch helpodd neu a'ch "
     "rhwystrodd?"),
    (r"information shar|communication|multi-agency|coordination|sharing",
     "What do we know that another agency needs, and how do we check that it reached them?",
     "Beth ydyn ni'n ei wybod y mae ar asiantaeth arall ei angen, a sut ydyn ni'n gwirio ei "
     "fod wedi eu cyrraedd?"),
    (r"whole.family|household|fathers?|male|partner",
     "Who else lives in or visits the household, and have we assessed them?",
     "Pwy arall sy'n byw yn y cartref neu'n ymweld ag ef, ac a ydyn ni wedi'u hasesu?"),
    (r"was not brought|missed (?:health )?appointments?|non-attendance|did not attend",
     "What do we do when a child is not brought to an appointment?",
     "Beth ydyn ni'n ei wneud pan nad yw plentyn yn cael ei ddwyn i apwyntiad?"),
    (r"covid|workforce|supervision|staff|caseload",
     "How does supervision give practitioners time to reflect on risk, not only manage cases?",
     "Sut mae goruchwyliaeth yn rhoi amser i ymarferwyr fyfyrio ar risg, nid dim ond rheoli "
     "achosion?"),
    (r"domestic abuse|coercive|marac|violence",
     "How do we ask about domestic abuse safely, and act on the answer?",
     "Sut ydyn ni'n holi am gam-drin domestig yn ddiogel, ac yn gweithredu ar yr ateb?"),
    (r"history|cumulative|co-occurring|previous|accumulat",
     "How do we weigh earlier concerns and history when a new referral arrives?",
     "Sut ydyn ni'n pwyso a mesur pryderon a hanes blaenorol pan ddaw atgyfeiriad newydd?"),
    (r"record|policy|procedure",
     "Would someone reading our records understand why each decision was made?",
     "A fyddai rhywun sy'n darllen ein cofnodion yn deall pam y gwnaed pob penderfyniad?"),
    (r"care and support|persisten|relationship|engage",
     "How do we keep support going when a family finds it hard to engage?",
     "Sut ydyn ni'n parhau i gefnogi pan fydd teulu'n ei chael hi'n anodd ymgysylltu?"),
    (r"mental health|substance|alcohol|drug",
     "How do adult services think about the children and adults who depend on the person "
     "they support?",
     "Sut mae gwasanaethau oedolion yn ystyried y plant a'r oedolion sy'n dibynnu ar yr "
     "unigolyn y maen nhw'n ei gefnogi?"),
)

GENERAL: tuple[tuple[str, str], ...] = (
    ("Which of these recommendations apply to your own agency, and who is taking them forward?",
     "Pa rai o'r argymhellion hyn sy'n berthnasol i'ch asiantaeth chi, a phwy sy'n eu "
     "datblygu?"),
    ("What is one thing you will do differently after reading this briefing?",
     "Beth yw un peth y byddwch chi'n ei wneud yn wahanol ar ôl darllen y briffio hwn?"),
)

_COMPILED = [(re.compile(pattern, re.I), en, cy) for pattern, en, cy in QUESTIONS]


def questions_for(topics: Iterable[str], lang: str = "en") -> list[str]:
    """Up to MAX_QUESTIONS questions: those the topics call for, then the general ones."""
    welsh = lang_of(lang) == "cy"
    text = " \n ".join(topics)
    chosen = [cy if welsh else en for pattern, en, cy in _COMPILED if pattern.search(text)]
    room = max(0, MAX_QUESTIONS - len(GENERAL))
    return chosen[:room] + [cy if welsh else en for en, cy in GENERAL]
