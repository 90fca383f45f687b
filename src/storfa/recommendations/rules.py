"""What reads as a recommendation in a real report's layout: the kind of
section a passage sits in, list markers kept in the text ("a.", "(ii)",
"1.1"), lead-ins that introduce sub-items ("The Board should:"), and the
passages under a recommendations heading that are not recommendations
(findings, performance measures, the levels a report sorts its
recommendations into, learning points). Used by analysis.recommendations;
see docs/recommendations.md for the measured effect of each rule."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from enum import Enum
from functools import lru_cache

from storfa.domain.reviews import Passage, is_question


class SectionKind(Enum):
    """How much a heading says about the passages under it."""

    NONE = 0  # nothing here is this report's own recommendation
    IMPROVE = 1  # "Improving systems and practice", "What needs to improve": directives only
    STRONG = 2  # "Recommendations", "Argymhellion", "Actions": list items and rows are kept


# Headings whose lists, table rows and directive paragraphs are recommendations.
# "Actions" only as the heading's subject ("Actions", "Key actions", "Action
# plan"), not "... Decision-making and Action".
_STRONG = re.compile(r"recommendation|argymhell|^(?:[\d.]+\s*)?(?:key |recommended |agreed )?"
                     r"actions?\b|\baction plan", re.I)
_IMPROVE = re.compile(r"improving systems|gwella systemau|\bcamau\b|what needs to improve|"
                      # A plain-English SUSR's "What needs to change".
                      r"what (?:needs|has) to (?:change|happen)|what (?:must|should) change|"
                      r"areas? for (?:improvement|development)|^what next|^next steps", re.I)
# A plain-language question heading that asks what must change: on its own
# (a plain-English SUSR's "What needs to change") it holds the
# recommendations; repeated under each theme of the learning ("Theme 1: ... >
# What went well? > What could have been better? > What needs to change?", or a
# thematic review's "Theme 1 > What we found > Good practice we saw > What needs to
# improve") it holds learning statements, and the recommendations come later.
_CHANGE_QUESTION = re.compile(r"^\W*what (?:needs|has) to (?:change|happen|improve)|"
                              r"^\W*what (?:must|should) change", re.I)


def change_prompts(passages: Sequence[Passage]) -> frozenset[str]:
    """The headings asking what must change that recur in one document."""
    asked = Counter(_heading_key(p.text) for p in passages
                    if p.kind == "heading" and _CHANGE_QUESTION.match(p.text))
    return frozenset(h for h, n in asked.items() if n > 1)


def under_prompt(section: str, prompts: frozenset[str]) -> bool:
    """Whether a passage's own heading is one of `change_prompts`."""
    return bool(prompts) and _heading_key(section.rsplit(" > ", 1)[-1]) in prompts


def _heading_key(text: str) -> str:
    return " ".join(text.split()).casefold()
# Sections that hold recommendations which are not the report's own: those a
# thematic report quotes from the reviews it read ("Key recommendations noted
# within CPRs"), a report template's headings, worked examples, and actions
# already taken ("Actioned changes", "Actions taken").
_NOT_OWN = re.compile(
    r"noted (?:with)?in|made (?:in|by|within)|(?:from|of|in) (?:the )?(?:other|previous|earlier)\b|"
    r"\bexamples?\b|actions? (?:already )?(?:taken|completed|undertaken)|\bactioned\b",
    re.I)


# A review's passages repeat a few section paths hundreds of times: each is
# judged once (half the register's extraction time went on these regexes).
@lru_cache(maxsize=4096)
def section_kind(section: str) -> SectionKind:
    """The strongest kind any heading on the path gives, unless a heading on
    the path says the recommendations there are not the report's own."""
    parts = section.split(" > ")
    if not_own(section):
        return SectionKind.NONE
    if any(_STRONG.search(part) for part in parts):
        return SectionKind.STRONG
    if any(_IMPROVE.search(part) for part in parts):
        return SectionKind.IMPROVE
    return SectionKind.NONE


# A directive in the present: "should", "must", "needs to", "are asked to",
# "we recommend"... "Should have" and "must have" look back (what a learning
# point says went wrong), and "it should be noted" only hedges. The noun
# "recommendations" is not a directive: every introduction says it.
DIRECTIVE = re.compile(
    r"\b(?:should(?! have\b| be noted\b)|must(?! have\b| be noted\b)|shall|needs? to|"
    r"are asked to|is asked to|are requested to|is requested to|ought to|"
    r"(?:is|are) encouraged to|recommend(?:s|ed)?|we expect|call(?:s)? (?:up)?on|"
    r"(?:is|are) (?:urgently )?required\b|requires? (?:urgent|immediate|further)|"
    r"dylai|dylid|dylen\w*|rhaid)\b", re.I)
# Looser, for an item already in a list of recommendations.
_ACTION_WORD = re.compile(r"\b(?:ensure|recommend\w*)\b", re.I)
IMPERATIVE = re.compile(
    r"^(?:develop|review|consider|ensure|provide|establish|introduce|improve|strengthen|"
    r"undertake|share|promote|embed|audit|update|create|agree|raise|seek|monitor|implement|"
    r"involve|understand|recognise|record|commit|represent|prioritise|design|use|adopt|"
    r"publish|disseminate|produce|deliver|commission|identify|clarify|explore|evaluate|"
    r"sicrhau|datblygu|adolygu|gwella)\b", re.I)
# The subjunctive of an older review's recommendations: "That the Board seeks
# assurance that ...", "That South Wales Police reviews ...".
_SUBJUNCTIVE = re.compile(
    r"^\s*[Tt]hat\s+(?:[Tt]he\s+)?[A-Z][\w'’&/-]*(?:\s+[\w'’&/-]+){0,6}?\s+"
    r"(?:seeks?|ensures?|reviews?|considers?|develops?|provides?|establishes|introduces|"
    r"undertakes?|agrees?|monitors?|audits?|publishes|commissions?|receives?)\b")
# A finding reported under a recommendations heading ("... was seen as the
# most effective way"): what practitioners said, not what anyone should do.
_FINDING = re.compile(
    r"(?<!which )(?<!that )(?<!who )\b(?:was|were) (?:not )?(?:seen|noted|reported|found|"
    r"mentioned|identified|regarded|viewed|considered|being)\b|\b(?:mentioned|expressed)\b|"
    r"\bthere (?:was|were)\b", re.I)
# A performance measure of an evaluation's indicator set ("Number and
# percentage of referrals ...", "How many Section 47 enquiries").
_MEASURE = re.compile(r"^(?:how many|number and percentage|number of|total number|"
                      r"percentage of|average (?:level|number)|'?rate'?\b)", re.I)
# "Recommendations that can be adopted at a local level": the levels a report
# sorts its recommendations into, and "Recommendations for Policy Makers":
# the groups that follow. Neither is a recommendation.
_ABOUT_RECOMMENDATIONS = re.compile(
    r"^(?:\d+[.)]\s*)?(?:recommendations? (?:that|which)\b|recommendations? (?:for|to)\b[^.]*$)",
    re.I)
# "Learning point 2: ..." says what was learnt, under any heading.
_LEARNING_POINT = re.compile(r"^(?:key\s+)?learning(?:\s+points?)?\s*\d*\s*[:.–—-]", re.I)
# A recommendation another review made, quoted: "AMY: The Board should ...",
# "CPR 12: ...", "It recommended the Welsh Government should ...".
_QUOTED = re.compile(r"^(?:[A-Z][A-Z&' ]{1,40}:\s|CPR\s*\d+:|[\"“‘']|"
                     r"(?:it|the (?:\d{4} )?(?:rapid )?review) recommended\b)")
# Page furniture between an item and its continuation: a footnote rule, a
# "See: ..." note, a bare address.
_FOOTNOTE = re.compile(r"^(?:-{3,}|_{3,}|see:|https?://|www\.)", re.I)

# A list marker the extractor left in the text: "a.", "(b)", "iii)", "1.1",
# "2a.". Letters and roman numerals mark sub-items; "1.1" a numbered item.
_SUB = r"\(?([a-z]|i{1,3}|iv|vi{0,3}|ix|x)"
_SUB_MARKER = re.compile(rf"^\s*{_SUB}[.)]\s+")
_SUB_CELL = re.compile(rf"{_SUB}[.)]?")
_DECIMAL_MARKER = re.compile(r"^\s*\(?(\d{1,3}\.\d{1,2}(?:\.\d{1,2})?[a-z]?)[.)]?\s+(?=\S)")
_ROMAN = re.compile(r"i{1,3}|iv|vi{0,3}|ix|x")
_FRAGMENT_WORDS = 4
_TITLE_WORDS = 14


def sub_marker(text: str) -> tuple[str, str] | None:
    """(marker, text after it) when the text starts with a letter or roman
    numeral marker. "i." after "h." is the letter i; the caller decides."""
    match = _SUB_MARKER.match(text)
    if match is None:
        return None
    return match.group(1), text[match.end():]


def letter_cell(cell: str) -> str | None:
    """The letter of a table cell that holds only one ("a", "(b)", "iv.")."""
    match = _SUB_CELL.fullmatch(cell)
    return match.group(1) if match else None


def decimal_marker(text: str) -> tuple[str, str] | None:
    """("1.1", text after it) for a decimal-numbered item."""
    match = _DECIMAL_MARKER.match(text)
    if match is None:
        return None
    return match.group(1), text[match.end():]


def is_roman(marker: str) -> bool:
    return bool(_ROMAN.fullmatch(marker))


def is_lead_in(text: str) -> bool:
    """A passage that introduces the items below it ("The Board should:")."""
    return text.rstrip().endswith(":")


def is_directive(text: str) -> bool:
    return bool(DIRECTIVE.search(text))


# "Health Board to review the antenatal pathway": an action plan's shorthand.
_OWNER_TO = re.compile(r"^(?:the )?[A-Z][\w'’&/-]*(?:\s+[\w'’&/-]+){0,6}?\s+to\s+(?=\w)")


def action_owner(text: str) -> str | None:
    """Who an action plan's shorthand or an older review's subjunctive names
    ("CVRSB to publish ...", "That the Board seeks assurance ..."): the words
    before the verb, or None."""
    owner = _OWNER_TO.match(text)
    if owner is not None and IMPERATIVE.match(text[owner.end():]):
        return text[:owner.end()].rsplit(" to", 1)[0]
    subjunctive = _SUBJUNCTIVE.match(text)
    if subjunctive is not None:
        return re.sub(r"^\s*[Tt]hat\s+", "", text[:subjunctive.end()].rsplit(None, 1)[0])
    return None


def reads_as_action(text: str) -> bool:
    """A directive, or an imperative verb first ("Review the pathway"), or an
    owner and a verb ("Police to review ...", "That the Board seeks ...")."""
    return bool(is_directive(text) or _ACTION_WORD.search(text) or IMPERATIVE.match(text)
                or action_owner(text) is not None)


# "The reviewers make the following recommendations.": an introduction.
_INTRODUCTION = re.compile(r"\b(?:the following|as follows|below)\b|"
                           r"\brecommendations (?:that|which)\b|"
                           # "The reviewer makes five recommendations."
                           r"\bmakes? (?:\w+ ){0,2}recommendations\s*[.:]", re.I)
_INTRODUCTION_WORDS = 25
# The Welsh CPR/APR template's own lead-in, however long: "In order to promote
# the learning from this case the review identified the following actions for
# the SAB and its member agencies and anticipated improvement outcomes:".
_TEMPLATE_LEAD_IN = re.compile(r"^\W*(?:[\d.]+\s+)?(?:in order to promote the learning|"
                               r"er mwyn hybu['’]r dysgu)\b", re.I)


# "The Board is asked to accept the following recommendations.": asks only
# that the recommendations be accepted.
_ACCEPTS = re.compile(r"\b(?:asked|invited|requested) to (?:accept|endorse|agree|note|approve)\b"
                      r"[^.]{0,40}\brecommendations\b", re.I)


def is_introduction(text: str) -> bool:
    """A passage that introduces the recommendations rather than making one:
    short and saying "the following", or opening on such a sentence that
    asks nothing ("The panel makes the following recommendations. They are
    made to the Board, which will monitor …")."""
    if _TEMPLATE_LEAD_IN.search(text):
        return True
    if len(text.split()) <= _INTRODUCTION_WORDS:
        return bool(_INTRODUCTION.search(text))
    first = re.split(r"(?<=[.!?])\s+", text, maxsplit=1)[0]
    if _ACCEPTS.search(first) and len(first.split()) <= _INTRODUCTION_WORDS:
        return True
    return len(first.split()) <= _INTRODUCTION_WORDS and bool(_INTRODUCTION.search(first)) \
        and not is_directive(first)


def never_a_recommendation(text: str) -> bool:
    """Passages that no heading makes a recommendation: questions, learning
    points, quoted recommendations of other reviews, performance measures,
    the report's description of its own recommendations, and fragments."""
    if is_question(text) or _LEARNING_POINT.match(text) or _QUOTED.match(text):
        return True
    if _MEASURE.match(text) or _ABOUT_RECOMMENDATIONS.match(text):
        return True
    return len(text.split()) < _FRAGMENT_WORDS and not reads_as_action(text)


@lru_cache(maxsize=4096)
def not_own(section: str) -> bool:
    return any(_NOT_OWN.search(part) for part in section.split(" > "))


def is_finding(text: str) -> bool:
    """What was found or said, with nothing asked of anyone: the first
    sentence reports, and no sentence asks."""
    first = re.split(r"(?<=[.!?])\s+", text, maxsplit=1)[0]
    return bool(_FINDING.search(first)) and not is_directive(text)


def is_title(text: str) -> bool:
    """A short line without closing punctuation or verb of action: a label
    ("Identification: Safeguarding Referrals"), not an item."""
    return len(text.split()) <= _TITLE_WORDS and not re.search(r"[.;!?]$", text) \
        and not reads_as_action(text)


_IMPROVE_LINE = re.compile(r"^(?:what needs to improve|what (?:needs|has) to change|"
                           r"what (?:must|should) change|areas? for (?:improvement|development)|"
                           r"what next|next steps|improving systems)\b", re.I)


def improve_heading(text: str) -> bool:
    """A line that is a heading of its own even though it says "needs to"
    ("What needs to improve"); a caption naming one is not."""
    return bool(_IMPROVE_LINE.match(text)) and len(text.split()) <= _TITLE_WORDS \
        and not re.search(r"[.;:!?]$", text)


def is_furniture(text: str) -> bool:
    return bool(_FOOTNOTE.match(text))


def is_measure(text: str) -> bool:
    """A performance measure, marker and all ("a. Number and percentage of ...")."""
    marked = sub_marker(text) or decimal_marker(text)
    body = marked[1] if marked else re.sub(r"^\(?\d{1,3}[.)]\s+", "", text)
    return bool(_MEASURE.match(body))
