"""What a document says about a passage beyond the passage's own words.

A sentence classifier reads "The Safeguarding Board should seek assurance
that agencies share information promptly" as good practice, and an author
list or a contents line as something. A reader never would: they know the
section they are in, whether the line is a heading, a caption or a
reference, whether it tells someone what to do, and whether it is a plain
chronology of events. This module reads those signals from a passage and
its place in the document: the zone its heading path puts it in, its form,
and its modality.

`furniture()` names the passages that are never coded at all (headings,
contents lines, author lists, references, captions); the zone moves the
classifier's reading in `coding.document_model`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from storfa.domain.reviews import TERMS_HEADING, Passage, form_box_label, is_question
from storfa.recommendations.rules import change_prompts, under_prompt


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Zones, matched against each heading of the path from the innermost out: the
# nearest heading that names one decides ("Recommendations" under "Clarity"
# under "Key findings" is a recommendations zone).
ZONES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # The Home Office's letter on a DHR, published before it: its praise is of
    # the report and its chair, never of practice.
    ("assurance", _rx(r"\bquality assurance panel\b|\bQA panel\b|"
                      r"\bletter from the home office\b")),
    ("front", _rx(r"\b(?:contents|acknowledg\w*|authors?|preface|foreword|glossary|"
                  r"abbreviations?|list of (?:figures|tables)|figures|cynnwys|diolch)\b")),
    # What the review was asked to consider, never what anyone did.
    ("terms", _rx(TERMS_HEADING)),
    ("references", _rx(r"\b(?:references|bibliography|appendix|appendices|annex\w*|"
                       r"sources|further reading|endnotes|footnotes|atodiad)\b")),
    ("cited", _rx(r"^\s*examples?\s*:|lessons from (?:published|other) (?:safeguarding )?reviews|"
                  r"findings of (?:other|previous) reviews")),
    # A review's themed findings ("Theme 5: The organisational context") are
    # learning, whatever the theme's own words name.
    ("learning", _rx(r"^\W*(?:[\d.]+\s*)?(?:learning |key )?themes?\s*\d+\b|"
                     # "Key learning point 2: Seeing the whole family" over
                     # its analysis, as a numbered theme.
                     r"^\W*(?:key )?learning points?\s*\d+\s*[:.–—-]\s*\w")),
    # A review's learning points say what was learnt, not what was done.
    ("lessons", _rx(r"\blearning points?\b|\bkey learning\b|\blessons? (?:learnt|learned)\b|"
                    r"^\W*(?:[\d.]+\s*)?summary of (?:the )?(?:key )?learning\W*$|"
                    r"pwyntiau dysgu")),
    # What agencies changed during the review, acting on its learning (the CPR
    # template's "actioned changes"): practice, of one kind.
    ("changes", _rx(r"actions? (?:already )?taken|actioned changes|"
                    r"changes (?:already )?made|what has (?:already )?changed|"
                    # "The partnership has already taken the following action:"
                    r"\b(?:has|have) already (?:taken|made|introduced|put in place)\b")),
    # "What could have been better" beside "What went well": what was missed,
    # in practice's own words.
    ("shortfalls", _rx(r"what could have been (?:better|done differently|improved)|"
                       r"what (?:did not|didn't|went less|was less) (?:go |work )?well|"
                       r"what (?:went|was) (?:wrong|less well)|missed opportunit|"
                       # Signs of Safety's three questions: "What were we worried about?"
                       r"what (?:were|are) (?:we|you|they) worried about|"
                       # A Scottish Learning Review's "Areas for improvement" beside
                       # its "Strengths in practice"; not a heading naming both
                       # ("4. Summary of strengths and areas for improvement").
                       r"^(?:[\d.]+\s+)?areas? for (?:improvement|development)")),
    ("practice", _rx(r"\b(?:good|effective|best|positive|notable|strong|promising)\s+"
                     r"(?:safeguarding\s+)?practice|\bstrengths?\b|"
                     r"what (?:worked|went|was done) well|"
                     r"what(?:'s|’s| was| is| were| are) working well|"
                     r"areas? of (?:good|strength)|arfer da|cryfderau")),
    # What the review concluded overall: 3 of 28 such paragraphs of the written
    # reviews are practice, each praising outright ("There was also practice to
    # commend ..."); the rest sum up what went wrong, in practice's words.
    ("conclusions", _rx(r"^\W*(?:[\d.]+\s*)?conclusions?\W*$")),
    # "Findings and recommendations", each finding's recommendation inline: the
    # findings' analysis is the body, and the register finds the recommendations.
    ("learning", _rx(r"\b(?:findings?|analysis|learning)\b.{0,20}\band recommendations?\b")),
    ("recommendations", _rx(r"recommendation|\bactions?\b|improving systems|what next|"
                            # What the partners commit to do next.
                            r"partnership(?:'s|’s)? response|\bcommitments?\b|"
                            r"what (?:needs|has) to change|what (?:must|should) change|"
                            r"next steps|argymhell|camau gweithredu|gwella systemau")),
    # ("Summary of agency involvement" tells the case; "Agency involvement"
    # alone may be each agency's analysis, praise and all.)
    ("chronology", _rx(r"chronolog|timeline|summary of (?:\w+ )?(?:events|involvement|the case)|"
                       r"^\W*what happened\W*$|"
                       r"case (?:history|summary)|circumstances|amlinelliad|cronoleg|"
                       r"llinell amser")),
    ("method", _rx(r"method|\bapproach\b|\bscope\b|review process|"
                   r"\bdata\b|\bcoding\b|ethic|\baims?\b|purpose|evaluation approach|"
                   r"\bphases?\b|work-stream|sample|cylch gorchwyl|methodoleg|"
                   # The furniture of a review's own template (the Welsh CPR/APR
                   # guidance, the Home Office DHR overview report).
                   # One-word headings only where the word alone would also name a
                   # finding ("Confidentiality and information sharing").
                   r"statement (?:by|of|from)|reviewers?'?’?s? statement|"
                   r"^\W*(?:[\d.]+\s*)?(?:timescales?|confidentiality|dissemination|independence|"
                   r"membership)\W*$|equality and diversity|contributors to|panel members|"
                   r"parallel (?:reviews?|processes)|(?:involvement of|engagement with|"
                   r"contribution (?:of|from)|views of) (?:the )?family|"
                   r"family(?:'s|’s)? (?:involvement|engagement|contribution|views|perspective|"
                   r"voice)|\bvoice of the family\b|"
                   # The family's and the child's own words ("What Child M's mother
                   # told the review"; not "Hearing the voice of the child", a finding).
                   r"\btold (?:the (?:review|panel|reviewers?|author)|us)\b|"
                   # "About this review": how the review was held.
                   r"^\W*(?:[\d.]+\s*)?about (?:this|the) review\W*$|"
                   r"\bin (?:his|her|their) own words\b|"
                   # "Child R's voice", "Mrs J's story", "The child's story": the
                   # subject's own words (an LCSPR's, partly in the mother's).
                   r"^\W*(?:[\d.]+\s*)?(?:(?:child|adult|young person|baby|mr|mrs|ms|miss)\s+"
                   r"[A-Z][\w-]*|the (?:child|adult|young person|baby))(?:'s|’s)\s+"
                   r"(?:voice|words|story|views?)\W*$|"
                   r"period under review|"
                   # "The SILP process", "The CLT methodology": the review's model.
                   r"^\W*(?:[\d.]+\s*)?(?:the\s+)?(?-i:[A-Z]{3,6})\s+(?:process|model|methodology)\W*$|"
                   r"datganiad")),
    # A review's own finding about its agencies ("Organisational context" among
    # the learning of a Welsh CPR), not the case's background.
    ("learning", _rx(r"organi[sz]ational (?:context|learning|factors|issues|culture)")),
    ("background", _rx(r"introduction|background|context|overview|legislat|arrangements|"
                       # "Child M and his family": the family as the review met them.
                       r"^\W*(?:[\d.]+\s*)?(?:[\w'’-]+\s+){1,3}and\s+(?:his|her|their)\s+"
                       r"family\W*$|"
                       r"pen picture|pen portrait|\btribute\b|agencies involved|"
                       r"family (?:composition|structure)|"
                       r"^\W*(?:[\d.]+\s*)?about (?:child|adult|young person|baby|mr|mrs|ms|"
                       r"miss)\b|"
                       r"cyflwyniad|cefndir")),
    ("learning", _rx(r"learning|lessons|finding|analysis|themes?|key issues|challenges?|"
                     r"barriers?|areas? for (?:improvement|development)|what needs to|"
                     r"conclusions?|summary|results|dysgu|canfyddiadau")),
)
ZONE_NAMES: tuple[str, ...] = tuple(name for name, _ in ZONES)
# What each zone is, as a reader would say where a passage sits.
ZONE_LABELS: dict[str, str] = {
    "front": "front matter", "references": "references or appendix",
    "assurance": "a quality assurance letter on the report",
    "cited": "examples cited from other reviews", "practice": "a good-practice section",
    "changes": "changes agencies made during the review",
    "recommendations": "recommendations", "chronology": "a chronology",
    "lessons": "learning points", "shortfalls": "what could have been better",
    "terms": "terms of reference",
    "method": "method or terms of reference", "background": "introduction or background",
    "learning": "findings or learning", "conclusions": "the conclusions",
}

_CONTENTS_LINE = _rx(r"\.{3,}\s*\d+\s*$|(?:[A-Za-z)’']+\s+\d{1,3}(?:\s+|$)){3,}")
_AUTHORS = _rx(r"^\s*(?:authors?|written by|prepared by|report author|awdur\w*)\b")
_NAME = re.compile(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?\s+[A-Z][a-z'’-]+\b")
_REFERENCE = _rx(r"\(\s*(?:19|20)\d\d[a-z]?\s*\)|\bet al\b|\bdoi\b|https?://|www\.|"
                 r"\bretrieved\b|\bisbn\b|\bpp?\.\s*\d|\bvol\.\s*\d|available at")
_CAPTION = _rx(r"^\s*(?:figure|fig\.|table|chart|graph|diagram|ffigur|tabl)\s*\d+")
_NUMBERED = _rx(r"^\s*(?:\(?\d{1,2}(?:\.\d+)*[a-z]?[.)]|\(?[a-h]\)|\(?(?:i|ii|iii|iv|v|vi)\)|"
                r"(?:recommendation|action|argymhelliad)\s*\d)")
# Directives: what a recommendation sounds like.
_MODAL = _rx(r"\b(?:should|must|shall|ought to|needs? to|need to|is asked to|are asked to|"
             r"is required to|are required to|will need to|recommend\w*|dylai|dylid|rhaid)\b")
# A leading label ("AMY:", "1a)") does not change who is told to act.
_LEAD = r"^\s*(?:\(?\w{1,4}[.)]\s*|[A-Z][A-Z &'’-]{1,30}:\s*)?"
_DIRECTIVE_SUBJECT = _rx(
    _LEAD + r"(?:that\s+)?(?:the|all|each|every|relevant|partner|local)?\s*"
    r"(?:[\w&’'-]+\s+){0,6}(?:board|partnership|agencies|agency|government|services?|"
    r"practitioners|professionals|managers|staff|commissioners|partners|authorit\w+|"
    r"organisations?|teams?|leads?)\s+(?:should|must|shall|needs? to|is asked|are asked|"
    r"will|to)\b")
_IMPERATIVE = _rx(_LEAD + r"(?:develop|review|consider|ensure|provide|"
                  r"establish|introduce|improve|strengthen|undertake|share|promote|embed|"
                  r"audit|update|create|agree|raise|seek|monitor|explore|implement|"
                  r"produce|commission|identify|clarify|continue to|sicrhau|datblygu)\b")
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|"
           "November|December")
_DATE = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:{_MONTHS})\b|\b(?:{_MONTHS}) (?:19|20)\d\d\b|"
                   r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:19|20)\d\d\b")
_PAST_EVENT = _rx(r"\b(?:was|were|had|attended|visited|referred|reported|called|"
                  r"contacted|disclosed|arrested|admitted|discharged|born|moved|died|"
                  r"prescribed|booked|saw|told|received)\b")
_QUOTE = re.compile(r"^\s*[\"“‘']|[\"“][^\"”]{25,}[\"”]")
_REVIEW_ID = re.compile(r"\b(?:CPR|APR|DHR|MHHR|SUSR|CSPR|SAR|SCR|OWHR)\s?\d{2,4}", re.I)
_PERCENT = re.compile(r"\d+(?:\.\d+)?\s?%|\bn\s?=\s?\d+|\(\d+(?:\.\d+)?%?\)")
_PRAISE_WORDS = _rx(r"\b(?:good|best|effective|positive|excellent|strong|notable|commend\w*|"
                    r"strength\w*|well|thorough|robust|proactive|timely|prompt\w*)\b")

FORM_NAMES: tuple[str, ...] = (
    "heading", "list_item", "table_row", "short", "contents_line", "author_list", "reference",
    "caption", "lead_in", "numbered", "modal", "directive", "imperative", "dated", "chronology",
    "quote", "cites_review", "statistics", "question", "praise_words", "front_of_document",
    "lesson", "aim", "signpost", "change_made", "criticism", "verdict", "review_process",
    "family_words", "suggested", "directive_item", "glossary", "practitioners_words",
    "checklist_row", "no_practice_cell", "timely", "promise",
)
# Never coded, whatever the classifier reads in them: a reader would not code
# a heading, a contents line, an author list, a reference, a caption, or a
# line that introduces a list ("The review identified the following examples
# of effective practice:"), which names what follows without being it.
FURNITURE: frozenset[str] = frozenset(
    {"heading", "contents_line", "author_list", "reference", "caption", "lead_in", "lesson",
     "aim", "signpost", "glossary", "checklist_row", "no_practice_cell"})
# A row of a checklist or a list of contributors ("RISE | Yes | Yes", the
# reviewers' statement's "... professional advice | Yes"): a cell that only
# ticks a box.
_CHECK_CELLS = frozenset({"yes", "no", "n/a", "✓", "✔", "✗", "x", "ie", "na"})
# "18.4 Lesson 4: Housing providers often hear …": a lesson says what was
# learnt, not what someone did (a review's learning points are not practice).
# "To establish what agencies knew of …": a term of reference, an aim of the
# review, however practice-like the words it names.
_AIM = _rx(r"^(?:[a-z\d]{1,3}[.)]\s+)?to (?:establish|identify|consider|examine|determine|"
           r"review|understand|assess|explore|ascertain|learn|analyse|evaluate|seek)\b|"
           # The Welsh CPR/APR template's own prompt, which reports often keep.
           r"^identify each individual learning point\b")
# "6.12 Learning 4: When a parent says ...", an executive summary's "Finding 2:
# when R was found ...": numbered, a learning statement or a finding's; or a
# chapter's boxed "Learning: A hospital attendance with a knife wound is ...".
_LESSON = _rx(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)?(?:(?:key\s+)?(?:lesson|learning point)s?"
              r"\s*\d*|(?:learning|finding)\s+\d{1,2})\s*[:.–—-]|^(?:learning|finding)\s*:")
# A sentence that says what the report sets out next ("The review identified
# a number of examples of effective practice, which are set out below"; "This
# section summarises each agency's involvement") signposts, and is no
# practice itself however it names practice; read in a passage's first
# sentence, when the passage is short enough to be only that.
_SIGNPOST = _rx(
    # "Each agency was asked, in its reflective report, to say what had worked
    # well ...": what the review asked for, above the table of what it gathered.
    r"^(?:[\d.]+\s+)?(?:each|every|all) (?:[\w-]+ ){0,3}(?:agenc(?:y|ies)|organisations?|"
    r"partners?) (?:was|were) asked\b|"
    r"^(?:[\d.]+\s+)?(?:this (?:section|chapter|part)\b|"
    r"the (?:following|next) (?:sections?|paragraphs?|chapters?)\b|"
    r"the (?:learning|findings|analysis|themes?|examples?)\b[^.]{0,60}\b(?:is|are) set out\b|"
    r"the (?:review|panel|reviewers?) (?:identified|found|noted|highlighted) "
    r"(?:a number of|several|some|many|the following|a few|\w+) "
    r"(?:examples?|areas?|themes?|instances?)\b|"
    # "5.1 The review identified the following good practice, which the Board
    # wishes to recognise and share."
    r"the (?:review|panel|reviewers?) (?:has |have )?(?:identified|found|noted|highlighted) "
    r"the following\b|"
    # "The analysis considers each agency's involvement in turn."
    # (Not "The review considers that good practice would have been ...", a view.)
    r"the (?:analysis|review|report|section|chapter) (?:considers(?! that)|looks at|sets out|"
    r"examines|describes|is set out)\b)")
_SIGNPOST_WORDS = 80
# An agency's change made since the review began, acting on its learning
# ("Since the learning event, South Wales Police has implemented ...", "The
# health board has also already introduced ..."): the codebook's Learning
# from past reviews, wherever the report puts it. The review may be named by
# its kind ("Since the rapid review, Harbridge City Council has changed ...").
_SINCE = (r"since (?:the|this|these|(?:[A-Z]\w* )?[A-Z]\w*(?:'s|’s)) (?:(?:rapid|initial|"
          r"local|practice) )?(?:review|learning event|"
          r"practitioner event|incident|events|death|homicide|killing|injur\w+)\b")
_CHANGED = (r"(?:introduced|implemented|changed|revised|updated|developed|established|"
            r"put in place|set up|launched)")
_HAS_CHANGED = _rx(rf"\b(?:has|have) (?:now |also |already )*(?:{_CHANGED}|added|agreed|"
                   r"created|begun|started|appointed|commissioned)\b")
_CHANGE_MADE = _rx(
    # (The subject may be two bodies named in full: "Since the review began, Betsi
    # Cadwaladr University Health Board and Wrexham County Borough Council have ...")
    rf"^(?:[\d.]+\s+)?{_SINCE}[^.]{{0,120}}\b(?:has|have)\b|"
    # "During the review, Adult Social Care changed its screening procedure"
    # (not "during the review period", a chronology's phrase).
    r"^(?:[\d.]+\s+)?(?:during|as a result of|in response to) (?:the|this) "
    r"(?:review|learning event)\b(?! period)[^.]{0,80}\b(?:changed|introduced|revised|"
    r"updated|implemented|amended)\b|"
    rf"\b(?:has|have) (?:also )?(?:already|since) (?:been )?(?:{_CHANGED}|begun|started)\b|"
    # "... told the review that since Adult C's death the home has introduced ..."
    rf"\b{_SINCE}[^.]{{0,60}}\b(?:has|have) (?:also )?{_CHANGED}\b")
# Work only promised ("The Board's Quality Assurance Sub-group will seek
# evidence over the coming year that these changes have made a difference"):
# under "Changes already made", no change made.
_PROMISE = _rx(r"\b(?:will|plans? to|intends? to|is due to|aims? to)\s+(?:\w+\s+){0,2}?"
               r"(?:seek|monitor|review|report|evaluate|consider|audit|check|test|look|"
               r"publish|develop|introduce|provide|ask|share|roll out)\b")
# A paragraph that says twice or more what was not done, with no word of
# praise ("Neither the health visitor nor the adviser was told ...; the GP did
# not notice ..."): criticism in the analysis, written in practice's words.
_NOT_DONE = _rx(
    r"\b(?:did not|was not|were not|had not|has not|have not|not been|failed to|no one|nobody|"
    r"neither|nor|never|without|unaware|could not|cannot|no (?:[\w-]+ ){0,4}(?:was|were|had)|"
    r"not (?:\w+ ){0,2}(?:seen|told|shared|considered|completed|held|recorded|known|"
    r"followed|tested|asked))\b")
# Praise that criticism does not hold: _PRAISE_WORDS without "timely",
# "prompt" and "strength", which criticism uses negated ("was not timely",
# "the strength of the relationship made it harder"); read with them, the
# written reviews' precision falls 0.88 -> 0.86 (bench/wholedoc_eval.py).
_PRAISE = _rx(r"\b(?:good|best|effective|excellent|positive|commend\w*|prais\w*|thorough|"
              r"robust|high standard|exemplary|proactive|persisten\w*|tenaci\w*|well)\b")
# The reviewers' own verdict on what a paragraph describes ("This was good
# practice.", "It is to the credit of ...", "... is to be commended"): in
# seven paragraphs of the written reviews, each labelled practice, and in no
# corpus paragraph that is not set aside as a recommendation.
_VERDICT = _rx(
    r"\b(?:this|which|that|it|these|both)\s+(?:was|were|is|are|represents?|represented|"
    r"demonstrated|showed|shows)\s+(?:an?\s+)?(?:(?:clear|good|excellent|notable|strong)\s+)?"
    r"(?:examples?\s+of\s+)?(?:good|best|effective|excellent|positive|notable|strong)\s+"
    r"(?:multi-agency\s+|safeguarding\s+)?practice\b|"
    r"\b(?:is|are|should be)\s+(?:to\s+be\s+)?commended\b|\bto\s+(?:the|their|her|his)\s+credit\b|"
    # "Her referral is a good example of what the guidance asks for".
    r"\b(?:is|was|are|were|provides?|provided)\s+(?:a|an)\s+(?:good|excellent|clear|strong|"
    r"notable|positive)\s+example\s+of\b|"
    r"\b(?:was|were)\s+good\s+practice\b")
# How the review itself was done, wherever the report says it ("The review
# was commissioned by ... and carried out using the Learning Together systems
# approach"; an executive summary's, not only the method section's): read in
# the passage's first sentence.
_REVIEW_PROCESS = _rx(
    r"^(?:[\d.]+\s+)?(?:this|the) (?:[\w-]+ ){0,3}(?:review|report) (?:was|has been|is) "
    r"(?:commissioned|carried out|conducted|undertaken|completed|led|written|prepared|"
    r"chaired)\b")
# The family's or the subject's own words, reported ("Ms A told the reviewer
# that ...", "She spoke warmly of the youth worker", "R told the reviewer",
# "Mrs J described her daughter as ..."): what they said of practitioners is
# their view, not practice the reviewers present. The subject is a relative, an
# anonymised adult or child (a title and a letter, or a letter alone; a
# practitioner is named by role), or "she"/"he" opening a paragraph; read in
# its first sentence. Twelve paragraphs of the written reviews, all labelled
# other; none in the four corpus reports.
_FAMILY_WORDS = re.compile(
    r"^(?:[\d.]+\s+)?(?:(?:[Hh]is|[Hh]er|[Tt]heir|the child's|(?:[A-Z]\w* )?[A-Z]\w*(?:'s|’s)) "
    r"(?:mother|father|parents?|sister|brother|daughter|son|family|partner|grandmother|"
    r"grandfather|aunt|uncle|carer)|(?:Ms|Mrs|Mr|Miss) [A-Z]\w*|[A-Z]|She|He|They)\s+"
    r"(?:also\s+)?(?:told|said|spoke|described|felt|explained|recalled|reflected|wanted|asked|"
    r"wrote|write|writes|"
    r"agreed to speak|met the)\b")
# The reviewers granting a point before they criticise ("The reviewer accepts
# that schools have few options ... But ..."): the criticism is the finding.
_CONCESSION = _rx(r"^(?:[\d.]+\s+)?(?:the |we )?(?:reviewers?|panel|review )?\s*"
                  r"(?:accepts?|recognises?|acknowledges?|understands?|appreciates?)\b"
                  r".*\b(?:but|however)\b")
# What practitioners told the review, at its learning event or to its
# author ("Practitioners at the learning event said they had seen ...", "At
# the learning event practitioners were shown ..."): their account, as the
# family's words are theirs; 15 of the 16 such paragraphs of the written
# reviews are labelled other.
_EVENT = r"(?:learning|practitioners?'?|reflective) (?:event|session|workshop)"
_STAFF = (r"(?:(?:several|some|many|most|all|the) )?"
          r"(?:practitioners|social workers|staff|carers|nurses|officers|managers)")
_PRACTITIONERS_WORDS = _rx(
    rf"^(?:[\d.]+\s+)?(?:at the {_EVENT},?\s+)?{_STAFF} (?:at (?:the|a) {_EVENT}s? )?"
    r"(?:also )?(?:said|told|described|reflected|felt|explained|"
    r"spoke|agreed|thought|were shown|recalled|acknowledged)\b|"
    # Opening on the event, whatever they did there ("At the learning event
    # practitioners were candid about why fathers were not seen").
    rf"^(?:[\d.]+\s+)?at the {_EVENT},?\s+{_STAFF}\b")
# What the reviewers say would have been good practice, opening the paragraph
# ("It would have been better if the MARM meeting had been reconvened ...",
# "It would have been good practice to ..."): the codebook's Suggested good
# practice; every such paragraph of the written reviews is labelled so.
_SUGGESTED = _rx(r"(?:^(?:[\d.]+\s+)?|(?<=[.;!?])\s+)(?:it|this|that) would (?:also )?have been "
                 r"(?:much |far |more )?(?:better|more helpful|helpful|beneficial|preferable|"
                 r"more effective|appropriate|good practice|best practice)\b|"
                 # "The review considers that good practice would have been to ..."
                 r"\b(?:good|best) practice would have been\b")
# The same verdict as the opening sentence's predicate ("5.2.1 Ms L's booking on
# 22 March 2022 was thorough.", "The GP's care ... was careful."): all 21 such
# opening sentences of the written reviews are practice.
_PLAIN_VERDICT = _rx(
    r"^(?:[\d.]+\s+)?[^.]{0,120}?\b(?:was|were|is|are)\s+(?:very\s+|particularly\s+|also\s+|"
    r"both\s+)?(?:thorough|careful|exemplary|timely|prompt|proportionate|sensitive|skilful|"
    r"skilled|diligent|meticulous|well[- ](?:managed|organised|judged|planned|coordinated))\b")
# Practice told as done in time ("The MARAC met on 15 September 2022, within nine
# working days of the referral."): 25 of the 27 such sentences of the written
# reviews that are not recommendations are practice; not where the sentence
# says it was not ("was not seen within ten days").
_WITHIN = _rx(r"\bwithin (?:the )?(?:\w+ ){0,2}(?:hours?|days?|working days?|weeks?|timescales?)\b"
              r"(?: of| required| set| expected| the procedures| as)")
_WITHIN_UNDONE = _rx(r"\b(?:not|no|never|failed|without)\b[^.]{0,60}\bwithin\b")
_VERDICT_UNDONE = _rx(r"\bnot\s+(?:\w+\s+){0,2}good practice|\bwould have been\b")
_FIRST_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
# Longer than this, a passage ending in a colon says something of its own.
_LEAD_IN_WORDS = 30
# Title-page lines ("North Wales Safeguarding Board — Child Practice Review")
# and list headings ("iii. Care and Support Needs") read as praise to the
# classifier; a practice worth coding takes a clause.
MIN_WORDS = 8


@dataclass(frozen=True)
class Reading:
    """What the document says about one passage."""

    zone: str | None
    forms: frozenset[str]
    # What to read for practice instead of the whole passage: a table row's
    # cell under a "Good practice" column, without the row's other cells.
    focus: str | None = None

    @property
    def furniture(self) -> bool:
        return bool(self.forms & FURNITURE)


# A question the analysis asks ("KLOE 5: ... understood in the context of the
# abuse?") is a finding's heading: its words name its subject, not the kind of
# section ("context" is no background there), so the heading above decides.
_SUBJECT_ZONES = frozenset({"background", "method", "front", "references"})


# An appendix of good practice ("Appendix 1: What worked well, agency by
# agency") is good practice before it is an appendix.
_PRACTICE_ZONE = dict(ZONES)["practice"]


def zone_of(section: str) -> str | None:
    for heading in reversed(section.split(" > ")):
        for name, pattern in ZONES:
            if heading and pattern.search(heading):
                if name in _SUBJECT_ZONES and heading.rstrip().endswith("?"):
                    break
                if name == "references" and _PRACTICE_ZONE.search(heading):
                    return "practice"
                return name
    return None


def _author_list(text: str) -> bool:
    if _AUTHORS.search(text):
        return True
    names = _NAME.findall(text)
    words = text.split()
    # Mostly capitalised names separated by commas or "and": a list of people.
    return len(names) >= 3 and len(names) * 2 >= 0.6 * len(words) and text.count(",") >= 2


def forms_of(passage: Passage, position: float) -> frozenset[str]:
    text = " ".join(passage.text.split())
    words = len(text.split())
    out: set[str] = set()
    first = _FIRST_SENTENCE.split(text, maxsplit=1)[0]
    directive = bool(_DIRECTIVE_SUBJECT.search(text))
    changed = bool(_CHANGE_MADE.search(text))
    flags = {
        "heading": passage.kind == "heading",
        "list_item": passage.kind == "list_item",
        "table_row": passage.kind == "table_row",
        "short": words < MIN_WORDS,
        "contents_line": bool(_CONTENTS_LINE.search(text)) and not _MODAL.search(text),
        "author_list": _author_list(text),
        "reference": bool(_REFERENCE.search(text)) and words < 80,
        "caption": bool(_CAPTION.search(text)) and words < 40,
        "lead_in": text.endswith(":") and words < _LEAD_IN_WORDS,
        "numbered": bool(_NUMBERED.search(text)),
        "modal": bool(_MODAL.search(text)),
        "directive": directive,
        "imperative": bool(_IMPERATIVE.search(text)),
        "dated": bool(_DATE.search(text)),
        "chronology": bool(_DATE.search(text)) and len(_PAST_EVENT.findall(text)) >= 2
        and not _PRAISE_WORDS.search(text) and not _SUGGESTED.search(text),
        "quote": bool(_QUOTE.search(text)),
        "cites_review": bool(_REVIEW_ID.search(text)),
        "statistics": len(_PERCENT.findall(text)) >= 2,
        "question": is_question(text),
        "praise_words": bool(_PRAISE_WORDS.search(text)),
        "front_of_document": position < 0.05,
        "lesson": bool(_LESSON.match(text)),
        "aim": bool(_AIM.match(text)),
        "signpost": words <= _SIGNPOST_WORDS and bool(_SIGNPOST.match(first)),
        "change_made": changed,
        "promise": bool(_PROMISE.search(text)) and not changed
        and not _HAS_CHANGED.search(text),
        # (Not a change made since, which tells the gap it closes.)
        "criticism": ((len(_NOT_DONE.findall(text)) >= 2 and not _PRAISE.search(text))
                      or bool(_CONCESSION.match(text))) and not changed,
        # (Not a chart's label: "... was timely, proportionate and well recorded 7% 66%".)
        "verdict": bool(_VERDICT.search(text) or (
            _PLAIN_VERDICT.match(first) and len(_PERCENT.findall(text)) < 2))
        and not _VERDICT_UNDONE.search(text),
        "review_process": bool(_REVIEW_PROCESS.match(first)),
        "family_words": bool(_FAMILY_WORDS.match(first)),
        "practitioners_words": bool(_PRACTITIONERS_WORDS.match(first)),
        "checklist_row": passage.kind == "table_row" and any(
            cell.strip().casefold() in _CHECK_CELLS for cell in text.split(" | ")),
        "suggested": bool(_SUGGESTED.search(text)),
        "timely": any(_WITHIN.search(sentence) and not _WITHIN_UNDONE.search(sentence)
                      for sentence in _FIRST_SENTENCE.split(text)),
        # "Practitioners need to consider whether ...": a learning bullet.
        "directive_item": passage.kind == "list_item" and directive,
    }
    out.update(name for name, on in flags.items() if on)
    return frozenset(out)


_PSEUDO_HEADING_WORDS = 10
_SENTENCE_END = re.compile(r"[.;,:!?”\"')]\s*$")
# A section number or letter before a heading's words ("4. Good Practice",
# "1.1. Assessing Needs and Risk", "Section 3", "(b)", "iv."): 83 of the 183
# headings of the four corpus reports start with one.
_HEADING_LABEL = _rx(r"^\s*(?:(?:section|part|chapter|rhan|adran)\s+)?"
                     r"(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|\(?[a-h]\)|[ivx]{1,4}\.|[A-H]\.)\s+")


def pseudo_heading(passage: Passage) -> bool:
    """A short line standing alone that a converted report lost the heading
    mark of ("Strengths", "What needs to improve", "KEY FINDINGS: TRAINING",
    "4. Good Practice")."""
    text = _HEADING_LABEL.sub("", " ".join(passage.text.split()), count=1)
    words = text.split()
    return (passage.kind == "paragraph" and 0 < len(words) <= _PSEUDO_HEADING_WORDS
            and text[0].isupper() and not _SENTENCE_END.search(text)
            and any(c.isalpha() for c in text) and not _CAPTION.search(text))


# A run-in label ("What happened: On 11 June ...", "Good practice: The health
# visitor ..."): a heading set in the paragraph's first words.
# "Good practice: ...", and a bold label ending on a full stop ("Strengths in
# practice. The officers who attended ...").
_RUN_IN = re.compile(r"^\s*([A-Z][\w'’-]*(?: [\w'’-]+){0,3})(?::|\.(?= [A-Z]))\s+\S")
# The zones a lead-in line or a run-in label may give what it introduces:
# those that say what kind of passage follows, whatever the section is about
# ("The partnership has already taken the following action:", "Good
# practice identified:", "What happened:"). Not "recommendations" or
# "learning": "The following actions were taken:" under a good-practice
# heading is still good practice.
_NAMED_ZONES = frozenset({"practice", "changes", "lessons", "chronology"})


def _named_zone(text: str) -> str | None:
    zone = zone_of(text)
    return zone if zone in _NAMED_ZONES else None


# A table's column of good practice ("Learning | What happened | Good practice
# identified | What needs to change"), and a cell in it that names none.
_PRACTICE_COLUMN = _rx(r"good practice|effective practice|notable practice|what went well|"
                       r"strengths?\b|arfer da")
_PRAISE_CELL = _rx(r"^\W*(?:good|effective|notable|positive) practice\b\s*[:.–—-]\s*\w")
_NO_PRACTICE = _rx(r"^(?:none(?: (?:identified|found|noted|seen))?|n/?a|nil|-|–|—)?\.?$")


def _opens_table(passages: Sequence[Passage], i: int) -> bool:
    """Whether passages[i], a table row, is its table's first (its header)."""
    before = passages[i - 1] if i else None
    return before is None or before.kind != "table_row" or before.section != passages[i].section


def _practice_column(header: str) -> int | None:
    return next((k for k, c in enumerate(header.split(" | ")) if _PRACTICE_COLUMN.search(c)),
                None)


def _practice_cell(cells: list[str], column: int | None) -> str | None:
    """The row's cell in its table's good-practice column, "" if it names none."""
    if column is None or column >= len(cells):
        return None
    cell = cells[column].strip()
    return "" if _NO_PRACTICE.match(cell) else cell


# A glossary's entries define terms ("DVPN - Domestic Violence Protection
# Notice, which can bar ..."): never an example of anything.
_GLOSSARY = _rx(r"\b(?:glossary|abbreviations|acronyms|definitions|terminology|geirfa)\b")


def read(passages: Sequence[Passage]) -> list[Reading]:
    """A Reading of each passage of one document, in order. A pseudo-heading
    opens a section of its own under the passage's real heading path, until
    the next heading of either kind; a lead-in line naming a zone puts the
    list that follows it there, and a run-in label its own paragraph."""
    n = max(1, len(passages) - 1)
    out: list[Reading] = []
    pseudo: str | None = None
    lead_zone: str | None = None
    practice_column: int | None = None
    prompts = change_prompts(passages)
    for i, p in enumerate(passages):
        forms = forms_of(p, i / n)
        focus: str | None = None
        if p.kind == "table_row":
            if _opens_table(passages, i):
                practice_column = _practice_column(p.text)
            else:
                cells = p.text.split(" | ")
                focus = _practice_cell(cells, practice_column)
                if focus is None:
                    # A chronology's comment column: "Good practice: crew
                    # reported before leaving the house".
                    focus = next((c.strip() for c in cells if _PRAISE_CELL.match(c)), None)
                if focus == "":
                    forms = forms | {"no_practice_cell"}
        if p.kind == "heading":
            pseudo = None
        elif pseudo_heading(p):
            pseudo = p.text
            forms = forms | {"heading"}
        section = f"{p.section} > {pseudo}" if pseudo and p.text != pseudo else p.section
        zone = zone_of(section)
        if zone == "recommendations" and under_prompt(p.section, prompts):
            zone = "lessons"  # "What needs to change?" under each theme: its learning
        if p.kind != "heading" and _GLOSSARY.search(section.rsplit(" > ", 1)[-1]):
            forms = forms | {"glossary"}
        if zone == "changes":
            # A change made tells the gap it closed ("so that a cancelled
            # package is no longer missed"): not criticism there; and under
            # "Actions already taken" an agency that "has changed its
            # allocation policy" needs no "since" to have made a change.
            forms = forms - {"criticism"}
            if _HAS_CHANGED.search(p.text):
                forms = forms | {"change_made"}
        label = _RUN_IN.match(p.text)
        if p.kind == "list_item" and lead_zone:
            zone = lead_zone
        elif label:
            zone = _named_zone(label.group(1)) or zone
        if p.kind != "list_item":
            lead_zone = _named_zone(p.text) if "lead_in" in forms else None
        if focus:
            zone = "practice"  # the praise is the cell's, under its column's heading
        elif (box := form_box_label(p)) is not None:
            zone = zone_of(box) or zone  # a template form's box, by its label
        out.append(Reading(zone, forms, focus or None))
    return out

