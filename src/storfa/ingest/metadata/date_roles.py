"""What a date in a review is: incident, referral, learning event, period, sign-off, publication.

A date's role comes from cue phrases in its own clause. Cues before the date
("was signed off by the Board on 11/01/2021") count more than cues after it
("On 14th March 2019, Child T was taken to hospital"), and nearer cues more
than distant ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from storfa.domain.ids import find_review_ids
from storfa.domain.reviews import TERMS_HEADING
from storfa.ingest.metadata.dates import FoundDate

# A body's approval or sign-off ("Report approved by the Board", "Date of
# sign-off by the Board"): under the 1.8 of a date in the reviewers' statement.
_BOARDS_APPROVAL = 1.6

# (role, weight, pattern, pieces). Weights: 3 names the event itself, 2 is a
# strong hint, 1 a weak one. Every match of a pattern holds one of its pieces
# (lower case, like the patterns): a window holding none is not scanned for it.
_CUES: tuple[tuple[str, float, str, tuple[str, ...]], ...] = (
    (
        "index_incident",
        3.0,
        r"index (?:incident|event)|critical incident|digwyddiad mynegai",
        ("index ", "critical incident", "mynegai"),
    ),
    (
        # A death outranks the admission before it ("was admitted to hospital
        # on 21 January ... died on 4 February"): the review is about the death.
        "index_incident",
        2.3,
        r"\bdied\b|\bdeath\b|pronounced (?:dead|life extinct)|was found dead"
        # "was killed", and "killed his father on ..." (the perpetrator the subject).
        r"|\bkilled\b|\bmurdered\b|fatal(?:ly)?|bu farw|marwolaeth"
        # Serious harm, as a review names the incident it is about ("was stabbed
        # twice", "was seriously injured in a knife attack").
        r"|(?:was|were) (?:\w+ )?(?:stabbed|shot)\b|seriously (?:injured|harmed)"
        r"|was found\b",
        ("died", "death", "pronounced", "was found", "killed", "murdered", "fatal", "bu farw",
         "marwolaeth", "stabbed", "shot", "seriously "),
    ),
    (
        "index_incident",
        2.0,
        r"(?:taken|brought|conveyed|rushed|admitted|presented|attended)(?: by ambulance)?"
        r" (?:to|at) (?:the )?(?:[\w'’]+ ){0,3}(?:hospital|emergency department|a&e|"
        r"accident and emergency|"
        r"ed\b|paediatric)",
        ("taken ", "brought ", "conveyed ", "rushed ", "admitted ", "presented ", "attended "),
    ),
    (
        "index_incident",
        1.5,
        r"admitted to hospital|was admitted|serious(?:ly)? injur|sustained"
        r"|non-accidental|suffered|collapsed|unresponsive|overdose|assault|stabbed|ysbyty"
        # "On the evening of 19 August 2024 O's father called 999 to say ..."
        r"|(?:called|rang|dialled|phoned) (?:999|for an ambulance|an ambulance)"
        # Welsh: scalded, burnt, injured ("cafodd T ei sgaldio").
        r"|sgaldi\w*|[lh]?losg\w*|anafwyd|anafiadau difrifol",
        ("admitted", "serious", "sustained", "non-accidental", "suffered", "collapsed",
         "unresponsive", "overdose", "assault", "stabbed", "ysbyty", "sgaldi", "losg",
         "anafwyd", "anafiadau difrifol", "999", "ambulance"),
    ),
    (
        "referral",
        3.0,
        # "Police Scotland referred Mr D's case to the APC ..." (Not the group
        # considering the referral, later: "the referral" there is a plain cue.)
        # (Not a person referred for care: "the GP referred her to the ... panel".)
        r"referred (?!(?:him|her|them|the (?:family|child|children|mother|father|parents?))\b)"
        r"(?:[\w'’]+ ){0,3}to the|referral (?:was )?(?:made|received)"
        r"|received (?:a|the) (?:referral|notification)"
        r"|case review (?:group|sub-?group|panel)|review sub-?group"
        r"|sub-?group|is-?grŵp|atgyfeiri\w*",
        ("referr", "received ", "case review ", "group", "grŵp", "atgyfeiri"),
    ),
    (
        "referral",
        2.0,
        r"\breferr(?:al|ed)\b|notification|notified|met the criteria"
        r"|criteria (?:for|were met)|decided to (?:undertake|commission)|commissioned",
        ("referr", "notification", "notified", "criteria", "decided to ", "commissioned"),
    ),
    (
        "learning_event",
        3.0,
        r"learning event"
        r"|practitioner(?:s'?)? (?:learning )?(?:event|workshop|session)"
        r"|learning and reflection|reflective (?:session|event|workshop)|digwyddiad dysgu",
        ("learning", "practitioner", "reflective ", "dysgu"),
    ),
    (
        "learning_event",
        1.5,
        r"practitioners (?:attended|met|came together)|with practitioners"
        r"|\bworkshop\b|ymarferwyr",
        ("practitioners", "workshop", "ymarferwyr"),
    ),
    (
        "sign_off",
        3.0,
        r"signed[\s-]off|sign[\s-]off|llofnod\w*",
        ("sign", "llofnod"),
    ),
    (
        # The board's approval: the sign-off where the reviewers date nothing
        # of their own, but a date under the reviewers' statement (1.8 there)
        # outranks it ("Report approved by the Board: 22 January 2025" on the
        # cover, "Date: 14/11/2024" under the reviewers' statement).
        "sign_off",
        _BOARDS_APPROVAL,
        # Not a decision to hold the review ("the chair endorsed that decision").
        r"endorsed(?! (?:that|the|this) decision)|approved by the (?:\w+ ){0,3}(?:board|sab)\b"
        r"|ratified|accepted by the (?:\w+ )?board|cymeradwy\w*"
        # "Final report agreed by the safeguarding partners: 9 September 2025"
        r"|agreed by the (?:\w+ ){0,3}(?:board|partners|partnership|sab|lscb|scp)\b",
        ("endorsed", "approved by the ", "ratified", "accepted by the ", "cymeradwy",
         "agreed by the "),
    ),
    (
        "sign_off",
        2.0,
        # Not approval "for publication", which is the publication's.
        r"\bapproved\b(?! (?:\w+ ){0,2}for publication)|\bsigned\b|completed (?:the|this) review"
        r"|review was completed"
        r"|date of (?:sign|completion)|reviewer'?s? statement|report completed"
        # "It agreed the overview report on 24 June 2024"; a cover's "Final report: 12
        # January 2024".
        # The panel's agreement is the reviewers' ("agreed by the review panel on
        # 23 April 2025"), over a body's sign-off told beside it.
        r"|agreed the (?:\w+ ){0,2}report(?! for publication)|agreed by the (?:\w+ ){0,3}panel\b"
        r"|report was finali[sz]ed"
        r"|(?<!of )final report\s*:",
        ("approved", "signed", "completed", "date of ", "statement", "agreed the ", "finali",
         "final report"),
    ),
    (
        "publication",
        3.0,
        r"\bpublished\b|date of publication|publication date|cyhoeddwyd|cyhoeddi",
        ("published", "publication", "cyhoedd"),
    ),
    (
        "publication",
        1.5,
        r"\bpublication\b|made public|placed on the (?:board'?s? )?website",
        ("publication", "made public", "website"),
    ),
    (
        "period",
        3.0,
        r"period (?:under review|reviewed|of (?:the )?review|covered)|review period"
        r"|(?:covers?|covering|considers?|scope (?:of the review )?(?:is|was)) the period|timeline"
        r"|time ?frame|cyfnod",
        ("period", "timeline", "frame", "cyfnod"),
    ),
    (
        "period",
        1.5,
        r"\bperiod\b|\bscope\b|terms of reference"
        # "The review looked at agencies' contact with Mrs F from ... to ..."
        r"|(?:looked at|considered|examined|covered) (?:the )?(?:agencies'?’? )?"
        r"(?:contact|involvement)"
        r"|\bagency (?:contact|involvement) from\b"
        # "We looked at what agencies did from 1 November 2023 to ..."
        r"|(?:looked at|considered|examined) what (?:the )?(?:agencies|services|professionals) "
        r"(?:did|knew)",
        ("period", "scope", "terms of reference", "contact", "involvement", "what "),
    ),
)
_CUE_RES = tuple(
    (role, weight, re.compile(pattern, re.IGNORECASE)) for role, weight, pattern, _ in _CUES
)
# All the cues as one alternation: it matches somewhere in a window iff one of
# them does, so a window without any cue (most of them; ingest profile,
# docs/performance.md) costs one scan instead of fourteen.
_ANY_CUE = re.compile("|".join(f"(?:{pattern})" for _, _, pattern, _ in _CUES), re.IGNORECASE)
# The cues are written in lower case, so on ASCII text (where lowering moves no
# offset) a case-sensitive scan of the lowered window finds what a case-blind
# one does, at half the cost; and there a cue none of whose pieces the window
# holds is not scanned for (the pieces cost a fraction of one scan).
_CUE_LOWER = tuple(
    (role, weight, re.compile(pattern), pieces) for role, weight, pattern, pieces in _CUES
)
assert all(text == text.lower() for _, _, pattern, pieces in _CUES for text in (pattern, *pieces))
_CUE_PIECES = tuple(sorted({piece for *_, pieces in _CUES for piece in pieces}))


def _cues_in(window: str) -> tuple[str, Sequence[tuple[str, float, re.Pattern[str]]]]:
    """The text to scan for cues (the window, or the window lowered) and the cues
    that may match in it."""
    if not window.isascii():
        return window, (_CUE_RES if _ANY_CUE.search(window) else ())
    lowered = window.lower()
    if not any(map(lowered.__contains__, _CUE_PIECES)):
        return lowered, ()
    return lowered, [(role, weight, pattern) for role, weight, pattern, pieces in _CUE_LOWER
                     if any(map(lowered.__contains__, pieces))]


# "from X to Y", "between X and Y", "X - Y", Welsh "rhwng X a Y", "o X i Y".
_RANGE_OPEN = re.compile(r"(?:\bfrom|\bbetween|\brhwng|\bo)\s+(?:the\s+)?$", re.IGNORECASE)
_RANGE_JOIN = re.compile(
    r"^\s*(?:,[^,.;]{0,160},\s*)?(?:to|and|until|till|up to|through|[-–—]|a|i|hyd at)\s+"
    # "from 1 March 2021 to her death on 14 October 2023", "... to Claire's death on ..."
    r"(?:the\s+)?(?:(?:his|her|their|\w+['’]s)\s+(?:death|admission|injury)\s+(?:on\s+)?)?$",
    re.IGNORECASE,
)

# The reviewers' or the chair's statement, which the reviewers sign and date.
_STATEMENT = r"statement (?:by|of|from)|reviewer'?s? statement|sign[\s-]?off|datganiad"
# Sections whose dates carry extra weight for a role.
_SECTION_BONUS: tuple[tuple[str, frozenset[str], float], ...] = (
    (
        r"brief outline|introduction|circumstances|background|summary of|overview|amlinelliad"
        r"|cyflwyniad|cefndir",
        frozenset({"index_incident", "referral", "period_start", "period_end"}),
        0.6,
    ),
    (_STATEMENT, frozenset({"sign_off"}), 0.8),
    (
        r"learning event|family engagement|methodology|process|digwyddiad dysgu|methodoleg",
        frozenset({"learning_event"}),
        0.6,
    ),
    (
        TERMS_HEADING + r"|scope|period|timeline",
        frozenset({"period_start", "period_end"}),
        0.6,
    ),
)
_SECTION_RES = tuple(
    (re.compile(p, re.IGNORECASE), roles, bonus) for p, roles, bonus in _SECTION_BONUS
)
_TIMELINE_SECTION = re.compile(r"timeline|chronology|llinell amser", re.IGNORECASE)
# A recommendations section's dates are targets ("… | December 2025"), none of
# the review's own.
_TARGETS_SECTION = re.compile(r"recommendation|action plan|improvement plan|argymhell",
                              re.IGNORECASE)
# "South Wales Police notified the Board of Ms R's death on 12 November
# 2024": the date is the news's, not the death's.
_NEWS_OF = re.compile(r"\b(?:notified|informed|told)\b[^.;]{0,80}\bof\b[^.;]{0,60}"
                      r"\b(?:death|killing|murder|homicide|injur\w+)\s+(?:on|in)\s+$",
                      re.IGNORECASE)
# The court's day, not the harm's: "..., and in October 2023 he pleaded
# guilty to both", "was convicted on 5 May 2024", "was charged on 4 March";
# not "was killed on 3 March 2023 by her partner, who was later convicted".
_COURT_BEFORE = re.compile(r"\b(?:(?:pleaded|convicted|sentenced|acquitted)\b[^.;]{0,40}|"
                           r"charged\b[^.;]{0,15})$", re.IGNORECASE)
_COURT_AFTER = re.compile(r"^\W*(?:(?:he|she|they)\s+)?(?:pleaded|(?:was|were) (?:convicted|"
                          r"sentenced|acquitted))\b", re.IGNORECASE)
# Where a stated range is the review's period with no cue in its sentence:
# "2.1 The review considered agencies' contact … from 1 September 2023 to …".
# A list of sources (references, footnotes, further reading): the dates there
# are the works' it cites ("APR2019-W02, published 14 August 2019"), none the
# review's own.
# (Not "Sources of information", a method's list of what the review read.)
_SOURCES_SECTION = re.compile(r"\b(?:references|bibliography|endnotes|footnotes|further reading|"
                              r"cyfeiriadau|llyfryddiaeth)\b", re.IGNORECASE)
_PERIOD_SECTION = re.compile(TERMS_HEADING + r"|scope", re.IGNORECASE)
# The referral that starts a review is to a review group or board; a sentence
# about a referral that names neither ("Children's Services received the MARAC
# referral in March 2024") is about a family's care, not the review.
# A referral's sentence speaks of the review or who holds it: a GP practice's
# "MARAC notification" is a practitioner's, not the review's.
_REVIEW_CONTEXT = re.compile(r"review|sub-?group|panel|board|criteria|commission|partnership|"
                             r"safeguarding partners|home office|is-?grŵp|adolygiad|bwrdd",
                             re.IGNORECASE)
# "The Initial Case Review was completed by the ... Sub-group on 19 April
# 2023": a review group's work done, not the case referred to it.
_WORK_DONE = re.compile(r"\b(?:was|were) (?:completed|concluded|finished)\b", re.IGNORECASE)
# A review group's own meeting ("The Case Review Group met on 28 November 2024
# and recommended a review"): after the referral it considered.
_GROUP_MET = re.compile(r"\b(?:group|sub-?group|panel|committee|is-?grŵp)\s+(?:met|considered|"
                        r"discussed|decided|agreed|recommended|reviewed)\b\W*(?:\w+\W+){0,3}$",
                        re.IGNORECASE)
# The review before the review ("The Initial Case Review was completed ...",
# "The rapid review was completed ..."): its completion is no sign-off.
_PRELIMINARY = re.compile(r"\b(?:initial case|rapid|scoping) review\b|\bICR\b", re.IGNORECASE)
# A sentence that opens on its date: "On 7 March 2023 ...", "On the night of ...".
# (After a paragraph's number: "2.3 On 14 November 2024 ...".)
_OPENING_DATE = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,3}){0,3}\.?\s+)?(?:on|by)\s+"
                           r"(?:the\s+(?:night|morning|evening)\s+of\s+)?$",
                           re.IGNORECASE)
# "On X ..., and on the same day the case was referred": what follows is X's.
_SAME_DAY = re.compile(r"\bthe\s+same\s+day\b", re.IGNORECASE)

# A sign-off by a body rather than the reviewers ("Date of sign-off by the
# Board: 14 March 2024", "Report approved by the Gwent Safeguarding Board"):
# the board's approval, which a date under the reviewers' own statement
# outranks (MISSION.md: "sign-off by the reviewers"). Not the panel's, whose
# agreement is the reviewers'.
_BY_A_BODY = re.compile(r"\b(?:by|gan)\s+(?:the\s+|y\s+|'r\s+)?(?:[\w'’-]+\s+){0,4}?"
                        r"(?:board|sab|partners|partnership|lscb|scp|committee|bwrdd)\b",
                        re.IGNORECASE)
_WINDOW = 120  # characters a cue may stand from its date
_CITED_REACH = 80  # characters a cited review's identifier may stand before its date
_OUTRIGHT = 2.3  # the least weight of a cue that names its event outright
_AFTER = 0.6  # a cue after its date counts for less than one before it


@dataclass(frozen=True, slots=True)
class _SectionTraits:
    targets: bool  # a recommendations section: no date there is the review's own
    sources: bool  # references or footnotes: the dates are the cited works'
    scope: bool  # the terms of reference, where a stated range is the period
    bonuses: tuple[tuple[frozenset[str], float], ...]  # roles the section favours
    timeline: bool
    statement: bool  # a statement the reviewers sign: a date with no cue is its sign-off


@lru_cache(maxsize=1024)
def _section_traits(section: str) -> _SectionTraits:
    """What a section heading says about its dates: a review has a few dozen
    sections over thousands of sentences, each matched once."""
    return _SectionTraits(
        targets=bool(_TARGETS_SECTION.search(section)),
        sources=bool(_SOURCES_SECTION.search(section)),
        scope=bool(_PERIOD_SECTION.search(section)),
        bonuses=tuple((roles, bonus) for pattern, roles, bonus in _SECTION_RES
                      if pattern.search(section)),
        timeline=bool(_TIMELINE_SECTION.search(section)),
        statement=bool(re.search(_STATEMENT, section, re.IGNORECASE)),
    )


@dataclass(frozen=True, slots=True)
class RoleScore:
    role: str
    score: float


def _cue_score(window: str, date_at: int, after: bool, least: float = 0.0) -> dict[str, float]:
    """Each role's best cue in `window`, by weight and distance from the date
    (`least`: only cues of at least this weight)."""
    scores: dict[str, float] = {}
    if not window:  # before a sentence's first date, the earlier clauses' window
        return scores
    subject, cues = _cues_in(window)
    for role, weight, pattern in cues:
        if weight < least:
            continue
        for match in pattern.finditer(subject):
            distance = (match.start() - date_at) if after else (date_at - match.end())
            distance = max(distance, 0)
            if distance > _WINDOW:
                continue
            value = weight * (_AFTER if after else 1.0) * (1.0 - 0.5 * distance / _WINDOW)
            scores[role] = max(scores.get(role, 0.0), value)
    return scores


def date_roles(sentence: str, dates: list[FoundDate], section: str = "") -> list[list[RoleScore]]:
    """For each date of `sentence` (offsets local to it), its candidate roles, best first."""
    results: list[list[RoleScore]] = []
    traits = _section_traits(section)
    if traits.targets or traits.sources:
        return [[] for _ in dates]
    pair_roles = _range_roles(sentence, dates, traits.scope)
    about_review: bool | None = None  # searched for when a referral cue is met
    bonuses, timeline = traits.bonuses, traits.timeline
    for index, found in enumerate(dates):
        left = dates[index - 1].end if index else 0
        right = dates[index + 1].start if index + 1 < len(dates) else len(sentence)
        scores = _cue_score(sentence[left : found.start], found.start - left, after=False)
        following = sentence[found.end : right]
        same_day = _SAME_DAY.search(following)
        for role, value in _cue_score(following, 0, after=True).items():
            scores[role] = max(scores.get(role, 0.0), value)
        if index == 0 and _OPENING_DATE.match(sentence[:found.start]):
            # "On 7 March 2023 the fire service referred Mr H's death to the
            # Case Review Group": a sentence opening on its date tells of it,
            # where it names the event outright (not "On 15 November the chair
            # decided that the criteria were met", after the notification).
            for role, value in _cue_score(following, 0, after=True, least=_OUTRIGHT).items():
                scores[role] = max(scores.get(role, 0.0), value / _AFTER)
        if same_day:
            # What follows "on the same day" is told of this date, as if before it.
            for role, value in _cue_score(following[same_day.end():], 0, after=True).items():
                scores[role] = max(scores.get(role, 0.0), value / _AFTER)
        # Cues earlier in the sentence still count (but less), for the second of two dates
        # that share a subject: "The review was endorsed on X and published on Y".
        for role, value in _cue_score(sentence[:left], left, after=False).items():
            scores[role] = max(scores.get(role, 0.0), value * 0.3)
        if "index_incident" in scores and (
                _NEWS_OF.search(sentence[left:found.start])
                or _COURT_BEFORE.search(sentence[left:found.start])
                or _COURT_AFTER.search(sentence[found.end:right])):
            del scores["index_incident"]
        if "referral" in scores and _GROUP_MET.search(sentence[left:found.start]) and \
                "referr" not in sentence[left:found.start].lower():
            # "The Case Review Group met on 28 November 2024 and recommended a
            # review": the group's meeting, after the referral it considered.
            del scores["referral"]
        if "sign_off" in scores and _PRELIMINARY.search(sentence[left:found.start]):
            del scores["sign_off"]
        if scores and find_review_ids(sentence[max(left, found.start - _CITED_REACH):found.start]):
            # "Adult Practice Review APR2019-W02, published 14 August 2019: the
            # death of ...": the cited review's dates, not this one's.
            scores.clear()
        if scores.get("sign_off", 0.0) > _BOARDS_APPROVAL and _BY_A_BODY.search(
                sentence[left:found.start]):
            scores["sign_off"] = _BOARDS_APPROVAL
        if "referral" in scores:
            if about_review is None:
                about_review = bool(_REVIEW_CONTEXT.search(sentence)) and not (
                    _WORK_DONE.search(sentence) and "referr" not in sentence.lower())
            if not about_review:
                del scores["referral"]
        period = scores.pop("period", 0.0)
        if index in pair_roles:
            scores[pair_roles[index]] = max(period, 1.0) + 1.0
        elif period:
            # A lone date beside "period": the start if "from/since", else the end.
            before = sentence[left : found.start].lower()
            role = (
                "period_end"
                if re.search(r"\b(?:to|until|up to|end)\W*$", before)
                else ("period_start")
            )
            scores[role] = period * 0.7
        if not scores and traits.statement:
            # "Date: 19/11/2025" under the reviewers' signature.
            # (Weaker than any cue, but under the statement it outranks the
            # board's approval.)
            scores["sign_off"] = 1.0
        for roles, bonus in bonuses:
            for role in roles:
                if role in scores:
                    scores[role] += bonus
        if timeline:
            for role in ("index_incident", "referral", "learning_event", "sign_off", "publication"):
                if role in scores:
                    scores[role] -= 0.5
        ranked = sorted(
            (RoleScore(role, score) for role, score in scores.items() if score > 0),
            key=lambda item: -item.score,
        )
        results.append(ranked)
    return results


def _range_roles(sentence: str, dates: list[FoundDate], scope: bool = False) -> dict[int, str]:
    """Dates that open and close a stated period: "from X to Y", "between X and Y",
    in a sentence that names a period, or anywhere in the terms of reference
    (`scope`)."""
    roles: dict[int, str] = {}
    if len(dates) < 2:
        return roles
    has_cue = scope or any(p.search(sentence) for role, _, p in _CUE_RES if role == "period")
    for index in range(len(dates) - 1):
        first, second = dates[index], dates[index + 1]
        opened = _RANGE_OPEN.search(sentence[max(0, first.start - 12) : first.start])
        joined = _RANGE_JOIN.search(sentence[first.end : second.start])
        if joined and has_cue and (opened or index == 0):
            roles[index] = "period_start"
            roles[index + 1] = "period_end"
    return roles
