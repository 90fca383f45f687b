"""Finding a review's recommendations in its stored passages (docs/recommendations.md).

A recommendation is a list item, a table row, a labelled paragraph
("Recommendation 3: ...", "Argymhelliad 3: ...") or a paragraph that asks
for something, under a heading such as "Recommendations", "Improving systems
and practice", "Actions" or "Argymhellion" (which passages count under which
heading, and what never counts: rules.py). Lettered items ("a)",
"(ii)") are records of their own numbered "1a", "1.ii"; a lead-in ("The Board
should:") is completed by each of its items rather than kept on its own; a
label standing alone ("Recommendation 2") numbers the text after it.
Each record has its number (as written, else its place in the sequence), its
text, the agencies it names (a table's agency column, brackets, the
sentence's subject, else anywhere in it), its level (local / regional /
national where stated), its page, its passage and every passage it was read
from.

Items that run over several passages (a list item broken by a page, a
paragraph continuing an item) are joined: a passage that starts in lower case
after an item without a closing full stop continues that item. PDF layout
adds three cases: a table row wrapped over several rows (each cell goes on in
the next row, whose text cell starts in lower case or carries no number), a
section heading read as a short paragraph ("Improving systems and practice"),
and a continuation read as a heading because it is short ("a referral.").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from storfa.domain.ids import BOARD_ABBREVIATIONS
from storfa.domain.recommendations import FoundRecommendation, text_key
from storfa.domain.reviews import Passage, is_question
from storfa.recommendations.due import due_date
from storfa.recommendations.levels import WELSH_LEVELS, addressed_level, heading_level
from storfa.recommendations.rules import (
    SectionKind,
    action_owner,
    change_prompts,
    decimal_marker,
    improve_heading,
    is_directive,
    is_finding,
    is_furniture,
    is_introduction,
    is_lead_in,
    is_measure,
    is_roman,
    is_title,
    letter_cell,
    never_a_recommendation,
    not_own,
    reads_as_action,
    section_kind,
    sub_marker,
    under_prompt,
)

LEVELS = ("local", "regional", "national")

# "Recommendation 3:", "Rec 3." and "R3" (numbered as written, "R3"); the
# label may run straight into the sentence ("R3 The health board must ...").
_LABEL = re.compile(
    r"^\s*(?:(?:recommendation|argymhelliad|action|rec\.?)\s*(?=\d)|(?=r\d))"
    r"((?:r)?\d+[a-z]?(?:\.\d+)*)(?:\s*[:.)–—-]\s*|\s+(?=(?-i:[A-Z])))",
    re.I)
_NUMBERED = re.compile(r"^\s*\(?(\d{1,3}[a-z]?(?:\.\d+)*)[.)]\s+")
_LEVEL_SENTENCE = re.compile(
    r"\s*(?:This is an? (local|regional|national) recommendation\.?"
    r"|Mae hwn yn argymhelliad (lleol|rhanbarthol|cenedlaethol)\.?)\s*", re.I)
_LEVEL_WORD = re.compile(
    r"\b(?:level|lefel)\s*[:\-]\s*(local|regional|national)\b"
    r"|\((local|regional|national)\)|\b(local|regional|national)\s+level\b", re.I)
_DIRECTIVE = re.compile(
    r"\b(?:should|must|shall|needs? to|are asked to|is asked to|ought to|recommend\w*|"
    r"ensure|dylai|dylid|dylen\w*|rhaid)\b", re.I)
_RECOMMEND_PARAGRAPH = re.compile(
    r"^(?:we|the (?:review|reviewers?|panel|board)|it is)\s+(?:\w+\s+)?recommend\w*\s+that\b",
    re.I)
# A table's header row: its first cell names the column rather than holding text.
_HEADER_CELL = re.compile(r"^(?:recommendations?|argymhelliad|argymhellion|no\.?|number|#|"
                          r"ref\.?|rhif)$", re.I)
_MODAL = re.compile(r"\b(?:should|must|shall|will|are asked|is asked|needs? to|ought|"
                    r"to ensure)\b", re.I)

# Named Welsh public bodies: runs of capitalised words; a run joined by "and"
# splits into names after each part that ends in the kind of body, so
# "South Wales Police and Cardiff and Vale University Health Board" is two.
_ORG_SUFFIX = re.compile(
    r"(?:Police|Constabulary|Council|Health Board|Integrated Care Board|Safeguarding Board|"
    r"Children Board|Adults Board|Trust|Partnership|Government|Service|Services|Team|Wales|"
    r"Cymru|"
    r"Northern Ireland|Scotland|Authority|"
    r"Commissioning Group|City and County of [A-Z]\w+|"
    # Scotland's Health and Social Care Partnerships ("Lochmuir HSCP"); a
    # housing association ("Moorside Homes", "Coastal Housing").
    r"HSCP|Homes|Housing|Housing Association)$")
# Scotland's health boards put NHS first: "NHS Lochmuir", "NHS Greater Glasgow
# and Clyde".
_NHS_BOARD = re.compile(r"^NHS(?: [A-Z][\w'’-]*)+(?: and [A-Z][\w'’-]*)?$")
_CAPITAL_RUN = re.compile(
    r"[A-Z][\w'’-]*(?:(?:\s+(?:and|of|the|for)\s+|\s+)[A-Z][\w'’-]*)*")
_ORG_LEADING = re.compile(r"^(?:The|Since|That|All|Each|Both|Every|Recommendation|This|"
                          r"Where|When|In|For|And|Dylai|R\d+[a-z]?)\s+")
# Kinds of agency named in a sentence (lower case in running text) and the
# Welsh words for them; the label is what the register records.
_AGENCY_TERMS: tuple[tuple[str, str], ...] = (
    (r"local authority children'?s services|children'?s social (?:care|services)|"
     r"children'?s services", "children's services"),
    (r"adult social (?:care|services)|adult services", "adult social care"),
    (r"local authorit(?:y|ies)|councils?\b|cyngor", "local authority"),
    (r"police|heddlu", "police"),
    (r"camhs|child and adolescent mental health services?", "CAMHS"),
    (r"health boards?|bwrdd iechyd|byrddau iechyd", "health board"),
    (r"\bgps?\b|general practi(?:ce|tioners?)|primary care", "GP"),
    (r"education|schools?|ysgol(?:ion)?|addysg", "education"),
    (r"probation|prawf", "probation"),
    (r"housing|tai\b", "housing"),
    (r"safeguarding (?:children |adults )?boards?|bwrdd diogelu|rsbs?\b|sabs?\b|lscbs?\b|"
     r"(?:the|regional) board\b", "safeguarding board"),
    # England's boards since 2019: "The Partnership should ...", "the safeguarding partners".
    (r"safeguarding (?:children |adults )?partnerships?|safeguarding partners\b|"
     r"^\W*(?:(?:recommendation\s+)?\w{1,4}\W+)?the partnership\b", "safeguarding partnership"),
    (r"health visit(?:ing|ors?)", "health visiting"),
    (r"midwi(?:fery|ves|fe)", "midwifery"),
    (r"ambulance", "ambulance service"),
    (r"welsh government|llywodraeth cymru", "Welsh Government"),
    (r"home office", "Home Office"),
    (r"ministry of justice", "Ministry of Justice"),
    (r"department (?:of|for) health and social care", "Department of Health and Social Care"),
    # Northern Ireland's (England's was the Department of Health until 2018).
    (r"department of health\b(?! and)", "Department of Health"),
    (r"department for education", "Department for Education"),
    (r"mental health services?", "mental health services"),
    (r"substance misuse services?", "substance misuse services"),
    # Addressed to every agency ("All agencies should ensure ..."), whoever the
    # sentence goes on to name.
    (r"\ball (?:partner |relevant |member )?(?:agencies|organisations)\b|"
     r"\b(?:each|every) agency\b", "all agencies"),
)
_AGENCY_RE = [(re.compile(r"\b(?:" + pattern + r")", re.I), label)
              for pattern, label in _AGENCY_TERMS]


def in_recommendation_section(section: str) -> bool:
    return section_kind(section) is not SectionKind.NONE


def _level(text: str) -> tuple[str, str | None]:
    """(text without a level sentence, the level it states)."""
    level: str | None = None
    match = _LEVEL_SENTENCE.search(text)
    if match:
        word = (match.group(1) or match.group(2) or "").casefold()
        level = WELSH_LEVELS.get(word, word)
        text = (text[:match.start()] + " " + text[match.end():]).strip()
    else:
        word_match = _LEVEL_WORD.search(text)
        if word_match:
            level = next(g for g in word_match.groups() if g).casefold()
    return text, level


def _split_names(cell: str, as_written: bool = False) -> list[str]:
    """"A, B and C" → [A, B, C], keeping "and"/"of" inside a named body
    ("Cardiff and Vale University Health Board") whole. `as_written` (a
    table's lead-agency cell) keeps a service named after its body whole
    ("Northshire County Council Children's Social Care"), as the author set it."""
    names: list[str] = []
    for piece in re.split(r"\s*[;,/&]\s*", cell):
        bodies = named_bodies(piece)
        if as_written and len(bodies) == 1 and piece.strip().startswith(bodies[0]):
            bodies = [piece.strip()]
        parts = bodies or [
            p.strip() for p in re.split(r"\s+(?:and|a|ac)\s+", piece) if p.strip()]
        names.extend(p for p in parts if p not in names)
    return names


def named_bodies(text: str) -> list[str]:
    found: list[str] = []
    for run in _CAPITAL_RUN.finditer(text):
        if _NHS_BOARD.match(run.group(0)):  # "NHS Greater Glasgow and Clyde", whole
            if run.group(0) not in found:
                found.append(run.group(0))
            continue
        pending = ""
        for part in run.group(0).split(" and "):
            pending = f"{pending} and {part}" if pending else part
            while _ORG_LEADING.match(pending):
                pending = _ORG_LEADING.sub("", pending, count=1)
            body = _body_in(pending)
            if body is not None:
                if body not in found:
                    found.append(body)
                pending = ""
    return found


def _body_in(words: str) -> str | None:
    """The named body a run of capitalised words is, or opens with: "Rhondda
    Cynon Taf County Borough Council Adult Social Care" is the council (its
    service named after it)."""
    if _ORG_SUFFIX.search(words) or _NHS_BOARD.match(words):
        return words if " " in words else None
    parts = words.split()
    for end in range(len(parts) - 1, 1, -1):
        head = " ".join(parts[:end])
        if _ORG_SUFFIX.search(head) and head.endswith(("Council", "Board", "Trust", "Police",
                                                       "Constabulary")):
            return head
    return None


def agency_terms(text: str) -> list[str]:
    found: list[str] = []
    spans: list[tuple[str, int, int]] = []
    for pattern, label in _AGENCY_RE:
        for match in pattern.finditer(text):
            spans.append((label, match.start(), match.end()))
    for label, start, end in spans:
        # A kind inside a body's name ("education" in "Department for
        # Education") is that body, not a second addressee.
        inside = any(s <= start and end <= e and (s, e) != (start, end)
                     for other, s, e in spans if other != label)
        if not inside and label not in found:
            found.append(label)
    # "children's services" already says it is the local authority's.
    if "children's services" in found and "local authority" in found:
        found.remove("local authority")
    return found


def agencies_of(text: str, cell: str | None = None) -> list[str]:
    """The agencies a recommendation is addressed to: a table's agency cell;
    else names in brackets; else the bodies named in the sentence's subject
    (before "should", "must", "are asked to"...), else anywhere in it."""
    if cell and cell.strip():
        return _split_names(cell, as_written=True)
    for bracket in re.findall(r"\(([^()]{2,200})\)", text):
        if named_bodies(bracket) or agency_terms(bracket):
            return _split_names(bracket)
    welsh = _WELSH_SUBJECT.match(text)
    if welsh:
        return _welsh_names(welsh.group(1)) or agency_terms(text)
    modal = _MODAL.search(text)
    subject = text[:modal.start()] if modal else (action_owner(text) or "")
    subject = _APPOSITIVE.sub("", subject)
    for part in (subject, text):
        if part:
            found = named_bodies(part) or (part is subject and named_groups(part)) \
                or agency_terms(part)
            if found and part is subject:
                found += [t for t in _unnamed_terms(subject, found)
                          if not any(t in f for f in found)]
            if found:
                return found
        if part is subject:
            # A body by its initials alone ("NWSB should ...", "The BCUHB should").
            initials = _INITIALS_SUBJECT.match(subject)
            if initials:
                return [initials.group(1)]
    return []


# "... Council Public Health, as commissioner of Eastmoor Recovery Partnership,
# should ...": the body in the aside is not addressed.
_APPOSITIVE = re.compile(r",\s+as\s+[^,]{3,80},")


# Welsh puts the directive first and the subject after it, names first:
# "Dylai Cyngor Gwynedd a Chyngor Sir Ynys Môn, gyda'r ... adolygu ...",
# "Dylai'r Bwrdd ofyn ...". The subject is the run of capitalised words (and
# "a"/"ac", and) before the first lower-case word, the verb.
_WELSH_SUBJECT = re.compile(r"^\s*(?:Dylai|Dylid|Dylen\w*)(?:['’]r)?\s+"
                            r"((?:[A-Z][\w'’-]*)(?:\s+(?:[A-Z][\w'’-]*|a|ac))*)")
# Initial mutations after "a"/"ac" (and): "a Chyngor" is Cyngor.
_UNMUTATE = {"Ch": "C", "Ph": "P", "Th": "T"}


def _welsh_names(subject: str) -> list[str]:
    """The bodies a Welsh subject names, as written but for the mutation."""
    names: list[str] = []
    for k, piece in enumerate(re.split(r"\s+(?:a|ac)\s+", subject.strip())):
        piece = piece.strip()
        if piece.split()[-1] in {"a", "ac"}:
            piece = piece.rsplit(" ", 1)[0]
        if k and piece[:2] in _UNMUTATE:  # after "a", "and"
            piece = _UNMUTATE[piece[:2]] + piece[2:]
        if piece == "Bwrdd":  # "Dylai'r Bwrdd": the review's own board
            piece = "safeguarding board"
        if piece and piece not in names:
            names.append(piece)
    return names


def _unnamed_terms(subject: str, named: list[str]) -> list[str]:
    """Agencies a subject joins to the bodies it names by their kind alone
    ("Carmarthenshire County Council and the health board should agree")."""
    pieces = re.split(r"\s*,\s*|\s+and\s+", subject)
    return [t for piece in pieces if not any(n in piece for n in named)
            and not named_bodies(piece) for t in agency_terms(piece)]


_INITIALS_SUBJECT = re.compile(r"^\s*(?:\(?\w{1,4}[.)]\s*)?(?:[Tt]he\s+)?([A-Z]{3,8})\s*$")


# A group a recommendation may be addressed to by a name ending in a common
# noun ("The Cardiff MARAC steering group should ..."): the capitalised words
# before the noun name whose group it is.
_NAMED_GROUP = re.compile(
    r"\b((?:[A-Z][\w'’-]*\s+){1,5}(?i:steering |strategic |operational |task and finish )?"
    r"(?i:group|sub-group|panel|forum|committee))\b")


def named_groups(subject: str) -> list[str]:
    """Groups named in a recommendation's subject, before its "should"."""
    return [_ORG_LEADING.sub("", m.group(1), count=1) for m in _NAMED_GROUP.finditer(subject)]


# A column of progress ("Completion date and outcome", "Progress", "Status"):
# when the work was done, not when it is due.
_PROGRESS_COLUMN = re.compile(r"\bcompleted\b|completion date and|outcome|progress|status|"
                              r"cynnydd")


def _roles(header: list[str], width: int) -> list[str]:
    """What each of a row's first `width` columns holds, by the header:
    text, agency, level, number or "" (nothing kept)."""
    roles: list[str] = []
    for name in header[:width]:
        low = name.casefold()
        if _PROGRESS_COLUMN.search(low):
            roles.append("")  # what was done and when: no target
        elif "due" not in roles and re.search(
                r"timescale|target|date|deadline|by when|complet|amserlen", low):
            roles.append("due")  # kept out of the text: a dated cell is the due date
        elif re.search(r"agenc|lead|owner|responsib|asiantaeth", low):
            roles.append("agency")
        elif re.search(r"level|lefel", low):
            roles.append("level")
        elif re.fullmatch(r"no\.?|number|#|ref\.?|rhif", low):
            roles.append("number")
        elif re.search(r"recommend|argymh|action", low) and "text" not in roles:
            roles.append("text")
        else:
            roles.append("")
    return roles


def _table_cells(row: str, header: list[str] | None) -> tuple[str | None, dict[str, str]]:
    """A table row's (number, cells by role: text / agency / level)."""
    cells = _row_cells(row)
    roles: dict[str, str] = {}
    number: str | None = None
    if header and len(header) == len(cells):
        for role, cell in zip(_roles(header, len(cells)), cells, strict=True):
            if role == "number":
                number = cell.rstrip(".")
            elif role:
                roles[role] = cell
    if "text" not in roles:
        candidates = [c for c in cells if _DIRECTIVE.search(c)] or cells
        roles["text"] = max(candidates, key=len)
    if number is None:
        lead = cells[0] if cells else ""
        if re.fullmatch(r"\d{1,3}[a-z]?(?:\.\d+)*\.?", lead):
            number = lead.rstrip(".")
    return number, roles


# A heading the PDF reader took for a paragraph: short, no closing full stop,
# naming a recommendations section; or "Recommendations" run into the
# paragraph that follows it.
_PSEUDO_HEADING = re.compile(r"^(?:recommendations?|argymhellion)\b", re.I)
_PSEUDO_HEADING_WORDS = 6
# A header row's cells name columns: short, and one of them names the
# recommendation and another who or when ("Recommendation | Lead agency |
# Timescale", "Area for action | Owner | Target date").
_HEADER_TEXT = re.compile(r"recommend|argymh|action|learning", re.I)
_HEADER_OTHER = re.compile(r"agenc|lead|owner|responsib|timescale|target|date|level|lefel|"
                           r"asiantaeth|amserlen", re.I)
_HEADER_CELL_WORDS = 4
# A sub-item's text joins its lead-in's when it goes on the lead-in's
# sentence: it starts in lower case or with a verb ("The Board should: a)
# seek assurance that ...").
_STEM_END = re.compile(r"\b(?:should|must|shall|to|will|that|by|dylai)$", re.I)
_LAST_SENTENCE = re.compile(r"(?:^|(?<=[.!?])\s+)([^.!?]+)$")


def _pseudo_heading(text: str) -> str | None:
    """The section a paragraph opens when it is a heading in disguise: a
    short line without closing punctuation that starts with a capital
    ("Improving systems and practice", "Statement by reviewer(s)"), or
    "Recommendations" run into the paragraph after it. A note ("See: ...")
    or an address is not a heading."""
    if improve_heading(text):
        return text
    words = text.split()
    if len(words) <= _PSEUDO_HEADING_WORDS and text[0].isupper() and ":" not in text \
            and not re.search(r"[.,;:!?]$", text) and not _DIRECTIVE.search(text):
        return text
    return "Recommendations" if _PSEUDO_HEADING.match(text) and not _LABEL.match(text) else None


def _is_header_row(text: str) -> bool:
    cells = [c.strip() for c in text.strip("| ").split("|")]
    if _HEADER_CELL.match(cells[0]):
        return True
    short = all(len(c.split()) <= _HEADER_CELL_WORDS for c in cells)
    return short and len(cells) > 1 and any(_HEADER_TEXT.search(c) for c in cells) \
        and any(_HEADER_OTHER.search(c) for c in cells)


def _is_recommendation(text: str, kind: str, where: SectionKind) -> bool:
    """Whether a passage that is not a sub-item reads as a recommendation
    where it stands."""
    if kind == "list_item":
        text = _unnumbered(text)  # its number says nothing of what it asks
    if kind in ("list_item", "paragraph") and never_a_recommendation(text):
        return False
    if is_question(text):
        return False
    if _LABEL.match(text):
        return True
    strong = where is SectionKind.STRONG
    if kind == "table_row":
        # Under "Improving systems" alone a table is as likely a timeline as
        # a list of recommendations: a row must read as one.
        return strong or bool(_DIRECTIVE.search(text))
    if kind == "list_item":
        return not is_finding(text) if strong else reads_as_action(text)
    if kind == "paragraph":
        decimal = decimal_marker(text)
        body = decimal[1] if decimal else _NUMBERED.sub("", text, count=1)
        if body != text and reads_as_action(body) and not is_lead_in(body) \
                and not is_introduction(body):
            # A numbered paragraph that asks for something ("5.2 The Board
            # should …"); a numbered lead-in ("8.1 … identified the following
            # actions:") is judged as an unnumbered one would be.
            return True
        if _RECOMMEND_PARAGRAPH.match(text):
            return True
        # A paragraph under a recommendations heading that asks for something
        # (an appendix of detailed recommendations is written in prose).
        return is_directive(text) and not is_introduction(text)
    return False


@dataclass(slots=True)
class _Parent:
    """The last item read at the top level (or a lead-in), which lettered
    items below it belong to. `recommends`: whether it was a recommendation;
    a lead-in that was passes that on to its sub-items and is recorded only
    through them (each sub-item's text starts with the lead-in's)."""

    number: str
    recommends: bool
    lead_in: bool
    stem: str
    passage: Passage
    written: bool = False  # its number is in its text ("2.", "Recommendation 2:")
    # An agency's name standing as a lead-in ("South Wales Police:"): its
    # lettered items are that agency's, and it is never a record itself.
    agency: str | None = None
    subs: int = 0  # items read below it
    kept: int = 0  # of which recommendations
    last_marker: str = ""


class _Extraction:
    """The state of one pass over a review's passages (see `extract`)."""

    def __init__(self, prompts: frozenset[str] = frozenset(),
                 prose: frozenset[str] = frozenset()) -> None:
        # Question headings repeated under each theme ("What needs to
        # change?"): what is under them are learning statements.
        self.prompts = prompts
        # Sections whose unlabelled paragraphs are never records, whatever
        # they ask: a section's preamble before its recommendations' own
        # sub-heading (_preambles), and a chapter of findings and labelled
        # recommendations (_labelled_chapters).
        self.prose = prose
        self.found: list[FoundRecommendation] = []
        self.header: list[str] | None = None
        self.last_section: str | None = None
        self.pseudo: str | None = None  # a section opened by a heading read as a paragraph
        self.open_item: FoundRecommendation | None = None  # may still continue
        self.open_cells: dict[str, str] = {}  # the open item's table cells, when it is a row
        self.open_numbered = False  # whether the open item's number was written in the text
        self.unproven: set[int] = set()  # numbered rows kept before reading as recommendations
        self.timescales: dict[int, str] = {}  # a row's timescale cell, by id of its record
        # The target-date cell of an action plan's row for a record, by its id.
        self.plan_dates: dict[int, str] = {}
        self.seen: set[tuple[str, str]] = set()
        # Each record's text key, and (number, first words), with its section.
        self.texts: dict[str, str] = {}
        self.openings: dict[tuple[str, tuple[str, ...]], str] = {}
        # Each top-level number given (a record's, or a lead-in's over its
        # parts), with its section and language.
        self.numbers: dict[str, tuple[str, str]] = {}
        self.parent: _Parent | None = None
        self.tops = 0  # top-level recommendations so far, for numbering unnumbered items
        # The number a label standing alone gives what follows it
        # ("Recommendation 2" as a heading or a line of its own, then its text).
        self.pending: str | None = None
        # The recommendation that number went to: the paragraphs after it, up
        # to the next label, marker or heading, are more of it.
        self.labelled: FoundRecommendation | None = None
        # A section that lists measures or questions is an indicator set, not a
        # list of recommendations: its items count only when they ask for something.
        self.indicators = False

    def result(self) -> list[FoundRecommendation]:
        self._set_parent(None)
        kept = [f for f in self.found if id(f) not in self.unproven or _DIRECTIVE.search(f.text)]
        for seq, item in enumerate(kept, start=1):
            item.seq = seq
            item.due_date = due_date(item.text, self.timescales.get(id(item)),
                                     self.plan_dates.get(id(item)))
        return kept

    def feed(self, p: Passage) -> None:
        if p.section != self.last_section:
            self.header, self.last_section, self.pseudo = None, p.section, None
            self.pending, self.labelled = None, None
            self._set_parent(None)
            self.indicators = False
        text = " ".join(p.text.split())
        if not text or is_furniture(text):
            return  # a footnote rule or note between an item and its continuation
        if p.kind == "heading" and not (self.open_item is not None and text[0].islower()):
            self.open_item, self.labelled = None, None
            self._set_parent(None)
            self.pending = _label_number(text)
            agency = _agency_heading(text, p.section)
            if agency is not None and self.pending is None:
                # "South Wales Police" over that agency's own recommendations,
                # numbered from 1 again: its items, as under "South Wales Police:".
                self._open_agency(p, agency)
            return
        if self._lead_agency(p, text):
            return
        alone = _label_number(text) if p.kind == "paragraph" else None
        if alone is not None:
            # "Recommendation 2" on a line of its own: what follows is number
            # 2, under a recommendations heading even if the real one was lost.
            self.open_item, self.header, self.labelled = None, None, None
            self._set_parent(None)
            self.pending = alone
            if not in_recommendation_section(p.section):
                self.pseudo = "Recommendations"
            return
        if p.kind == "paragraph" and (found_section := _pseudo_heading(text)):
            self.pseudo, self.open_item, self.header = found_section, None, None
            self._set_parent(None)
            self.labelled = None
            text = _PSEUDO_HEADING.sub("", text, count=1).strip() \
                if found_section == "Recommendations" and found_section != text else ""
            if not text:
                return
        # A disguised heading stands for the whole section path: the real one
        # above it may be an earlier page's "Learning".
        where = SectionKind.NONE if not_own(p.section) or \
            under_prompt(p.section, self.prompts) or \
            (p.kind == "paragraph" and p.section in self.prose) \
            else section_kind(self.pseudo or p.section)
        if self.pseudo is not None and where is SectionKind.STRONG:
            where = SectionKind.IMPROVE  # without a real heading each item must read as one
        labelled = bool(_LABEL.match(text)) and bool(_DIRECTIVE.search(text))
        if where is SectionKind.NONE and p.kind == "table_row" and self.found:
            # A table after the recommendations in a section of its own ("Appendix:
            # the SAB's response"): no record, but perhaps their target dates.
            self._response_row(p, text)
        if where is SectionKind.NONE and not labelled and self.open_item is None:
            return
        if self._continues(p, text) or self._goes_on_labelled(p, text):
            return
        self.labelled = None
        if where is SectionKind.NONE and not labelled:
            self.open_item = None
            self._set_parent(None)
            return
        if p.kind != "table_row" and (is_measure(text) or is_question(text)):
            self.indicators = True
        if self.indicators:
            where = SectionKind.IMPROVE
        if p.kind == "table_row":
            self._row(p, text, where)
        elif self._sub_item(p, text, where):
            return
        else:
            self._top(p, text, where)

    def _lead_agency(self, p: Passage, text: str) -> bool:
        """A line after a recommendation that names who leads on it ("Lead
        agency: Eastmoor Borough Council Adult Social Care"): its addressees,
        as a table's agency column gives them."""
        match = _LEAD_LINE.match(text)
        last = self.found[-1] if self.found else None
        if match is None or p.kind == "table_row" or last is None or \
                last.passage_seqs[-1] != p.seq - 1:
            return False
        names = re.sub(r"\s*\([^()]*\)", "", match.group(1)).rstrip(" .")
        names = re.sub(r",?\s+(?:with|supported by|together with|and partners?)\s+", ", ", names)
        last.agencies = _split_names(names, as_written=True) or last.agencies
        last.passage_seqs.append(p.seq)
        self.open_item = None
        return True

    def _take_pending(self) -> str | None:
        """The number a label standing alone gave, once; later unnumbered
        items count on from it."""
        number, self.pending = self.pending, None
        if number is not None:
            self.tops = max(self.tops, int(number.rstrip("abcdefghijklmnopqrstuvwxyz")))
        return number

    def _open_agency(self, p: Passage, agency: str) -> None:
        """An agency's name over its own items ("South Wales Police:", or a
        heading): the next number, whose lettered items are that agency's."""
        self.tops += 1
        self._set_parent(_Parent(self._take_pending() or str(self.tops), True, True, "", p,
                                 agency=agency))

    def _set_parent(self, parent: _Parent | None) -> None:
        """Close the item lettered items would belong to. A lead-in that asks
        for something but was followed by no recommendation ("... needs to be
        strengthened:" before a heading) is a recommendation itself."""
        old, self.parent = self.parent, parent
        if old is not None and old is not parent and old.lead_in and old.recommends \
                and not old.kept and old.agency is None:
            text = re.sub(r"\s+", " ", old.passage.text).strip()
            self._add(old.passage, text, old.number, {}, sub=True)
            self.open_item = None

    def _continues(self, p: Passage, text: str) -> bool:
        """Join a passage to the open item it continues: a wrapped table row,
        or a passage starting in lower case (an item broken by a page)."""
        item = self.open_item
        if item is None:
            return False
        if p.kind == "table_row" and self.open_cells and \
                _continues_row(text, self.header, self.open_numbered):
            _extend_row(item, self.open_cells, text, self.header)
            if self.open_cells.get("due"):
                self.timescales[id(item)] = self.open_cells["due"]
        elif text[0].islower() and p.kind != "table_row" and sub_marker(text) is None \
                and not (self.parent and self.parent.lead_in and p.kind == "list_item"):
            item.text, level = _level(f"{item.text} {text}")
            item.level = item.level or level
            item.agencies = agencies_of(item.text)
        else:
            return False
        item.passage_seqs.append(p.seq)
        self.open_item = item if not re.search(r"[.!?]$", item.text) else None
        return True

    def _response_row(self, p: Passage, text: str) -> None:
        if _is_header_row(text):
            self.header = [c.strip() for c in text.strip("| ").split("|")]
        elif self.header and {"text", "due"} <= set(_roles(self.header, len(self.header))):
            self._plan_date(p, text)

    def _plan_date(self, p: Passage, text: str) -> None:
        """Keep the target date an action plan or a response table gives a
        recommendation made in another section ("1. Revise the protocol |
        Accepted | ... | 30 June 2026"): the report's date for it, though the
        row is no second record."""
        number, cells = _table_cells(text, self.header)
        label = _NUMBERED.match(cells.get("text", ""))
        number = number or (label.group(1) if label else None)
        given = self.numbers.get(number or "")
        if not cells.get("due") or given is None or given[0] == p.section:
            return
        own = re.compile(rf"{re.escape(number or '')}(?:[a-z]|\.[ivx]+)?")
        for item in self.found:
            if own.fullmatch(item.number):
                self.plan_dates.setdefault(id(item), cells["due"])

    def _goes_on_labelled(self, p: Passage, text: str) -> bool:
        """Join a paragraph to the recommendation a label standing alone
        opened ("Recommendation 4" / "The Board should publish …" / "The
        briefing should reach every GP."), unless it opens something of its
        own: a label, a number, a letter or a lead-in."""
        item = self.labelled
        if item is None or p.kind != "paragraph" or _LABEL.match(text) or _NUMBERED.match(text) \
                or sub_marker(text) or decimal_marker(text) or is_lead_in(text) \
                or never_a_recommendation(text):
            return False
        item.text = f"{item.text} {text}"
        item.passage_seqs.append(p.seq)
        return True

    def _row(self, p: Passage, text: str, where: SectionKind) -> None:
        if self._lettered_row(p, text):
            return
        self._set_parent(None)
        if _is_header_row(text):
            self.header = [c.strip() for c in text.strip("| ").split("|")]
            return
        if text[0].islower() and _row_letter(text, self.header) is None:
            return  # the rest of a row whose start was not kept
        self._plan_date(p, text)
        # Without a real heading, each row must read as a recommendation itself;
        # a numbered row is kept until its wrapped rest has been read, then judged.
        provisional = (where is not SectionKind.STRONG
                       and bool(_NUMBERED.match(_row_cells(text)[0]))
                       and not _is_recommendation(text, p.kind, where))
        if not provisional and not _is_recommendation(text, p.kind, where):
            self.open_item = None
            return
        number, cells = _table_cells(text, self.header)
        item = self._add(p, cells["text"], number, cells)
        if item is not None and provisional:
            self.unproven.add(id(item))
        if item is not None:  # lettered rows below it are its parts
            self.parent = _Parent(item.number, True, False, "", p, True)

    def _lettered_row(self, p: Passage, text: str) -> bool:
        """Read a lettered row ("a) Police should …", or "b" in a number
        column) under a recommendation's row as its part ("3a", "3b")."""
        parent = self.parent
        letter = _row_letter(text, self.header)
        if parent is None or not parent.recommends or letter is None:
            return False
        marker, body = letter
        roman = _is_roman_item(parent, marker)
        parent.subs += 1
        parent.last_marker = marker
        _, cells = _table_cells(text, self.header)
        if self._add(p, body, f"{parent.number}{'.' if roman else ''}{marker}",
                     {**cells, "text": body}, sub=True) is not None:
            parent.kept += 1
        return True

    def _top(self, p: Passage, text: str, where: SectionKind) -> None:
        self._set_parent(None)  # a lead-in left without items is recorded before this one
        decimal = decimal_marker(text) if p.kind != "table_row" else None
        recommends = _is_recommendation(text, p.kind, where)
        lead_in = is_lead_in(text)
        number = decimal[0] if decimal else None
        if (agency := _agency_label(text)) is not None:
            self._open_agency(p, agency)
            self.open_item = None
            return
        if not recommends or lead_in:
            # A lead-in is recorded through its sub-items; count its number now.
            if recommends:
                self.tops += 1
            label = _LABEL.match(text) or _NUMBERED.match(text)
            written = bool(number or label or self.pending)
            number = number or (label.group(1) if label else None) or self._take_pending() \
                or str(self.tops)
            if recommends:
                self.numbers.setdefault(number, (p.section, p.language))
            self._set_parent(_Parent(number, recommends, lead_in, _stem(text), p, written))
            self.open_item = None
            return
        item = self._add(p, decimal[1] if decimal else text, number, {})
        if item is not None:
            written = bool(decimal or _LABEL.match(text) or _NUMBERED.match(text))
            self._set_parent(_Parent(item.number, True, False, "", p, written))

    def _sub_item(self, p: Passage, text: str, where: SectionKind) -> bool:
        """Read a lettered item, or an item under a lead-in, as a sub-item of
        the item above it; False when the passage is not one."""
        marked = sub_marker(text)
        if self.parent is None and marked is not None and self.pending is not None:
            # "Recommendation 2" standing alone, then its lettered parts.
            self.tops += 1
            self.parent = _Parent(self._take_pending() or "", True, False, "", p, True)
        parent = self.parent
        if parent is None or (marked is None and not (parent.lead_in and p.kind == "list_item")):
            return False
        body = marked[1] if marked else text
        under_heading = parent.agency is not None and parent.passage.kind == "heading"
        if marked is None and not under_heading and (
                _starts_own_recommendation(_unnumbered(body)) or (
                parent.written and _unnumbered(body) != body)):
            # "2. The Board must ..." or "2. review ..." after "1. The Board
            # should: a) ... b) ...": the next of the parent's own sequence.
            return False
        marker = _sub_letter(parent, marked[0] if marked else None)
        roman = _is_roman_item(parent, marker)
        parent.subs += 1
        parent.last_marker = marker
        if not parent.recommends:
            # Under a lead-in that asks for nothing ("This review identified
            # the need for:") each item stands or falls on its own.
            if _is_recommendation(body, p.kind, SectionKind.IMPROVE) and not is_lead_in(body):
                self._add(p, body, None, {})
            return True
        if never_a_recommendation(body) or is_finding(body) or is_title(body):
            return True
        number = f"{parent.number}{'.' if roman else ''}{marker}"
        joined = _join_stem(parent.stem, body) if parent.lead_in else body
        if is_lead_in(body):  # a sub-item that introduces sub-sub-items
            self._set_parent(_Parent(number, True, True, _stem(joined), p))
            return True
        cells = {"agency": parent.agency} if parent.agency else {}
        item = self._add(p, joined, number, cells, sub=True)
        if item is not None:
            parent.kept += 1
            if parent.lead_in:
                item.passage_seqs.insert(0, parent.passage.seq)
            # The joined text gained the lead-in, not an ending: a sub-item
            # without one still continues on the next passage.
            self.open_item = item if not re.search(r"[.!?;]$", body) else None
        return True

    def _add(self, p: Passage, body: str, number: str | None, cells: dict[str, str],
             sub: bool = False) -> FoundRecommendation | None:
        label = _LABEL.match(body) or _NUMBERED.match(body)
        if label:
            number = number or label.group(1)
            body = body[label.end():]
        body, level = _level(body.strip())
        if cells.get("level"):
            level = next((lv for lv in LEVELS if lv in cells["level"].casefold()), level)
        level = level or heading_level(p.section)
        if not body:
            return None
        labelled = False
        if not sub:
            self.tops += 1
            labelled = number is None and self.pending is not None
            number = number or self._take_pending()
        item = FoundRecommendation(
            number=number or str(self.tops), text=body,
            agencies=agencies_of(body, cells.get("agency")), level=level, page=p.page,
            passage_id=p.id, start=p.start, seq=len(self.found) + 1, passage_seqs=[p.seq])
        key = (item.number, text_key(item.text))
        opening = (item.number, _opening(key[1]))
        earlier = self.texts.get(key[1]) or self.openings.get(opening)
        if not sub and earlier is None and p.kind == "table_row" and _ACTION_PLAN.search(
                p.section):
            # An action plan's row after the report's own recommendations
            # (under a number they gave, in short: "Audit of the handover
            # procedure"; or an action of its own: "Revise the protocol",
            # lead, timescale, progress) is the plan for them, not one more.
            earlier = next((section for section, _ in self.numbers.values()
                            if section != p.section), None)
        given = self.numbers.get(item.number)
        if not sub and earlier is None and given is not None and given[0] != p.section \
                and given[1] != p.language:
            # The same number in another section and the other language: a
            # bilingual report's summary restating them ("Argymhellion").
            earlier = given[0]
        if key in self.seen or (not sub and earlier is not None and earlier != p.section):
            # The same recommendation again in another section, whole or in
            # short under its own number: an action plan that repeats the
            # report's recommendations row by row is not a second set.
            return None
        if not sub:
            self.numbers.setdefault(item.number, (p.section, p.language))
        self.seen.add(key)
        self.texts.setdefault(key[1], p.section)
        self.openings.setdefault(opening, p.section)
        self.found.append(item)
        self.labelled = item if labelled else None
        self.open_item = item if not re.search(r"[.!?]$", body) else None
        self.open_cells = {**cells, "text": body} if p.kind == "table_row" else {}
        if cells.get("due"):
            self.timescales[id(item)] = cells["due"]
        self.open_numbered = number is not None
        return item


# "Lead agency: ...", "Lead: ...", "Responsible organisation: ..." on a line of its own.
_LEAD_LINE = re.compile(r"^\s*(?:lead|responsible|owner)(?:\s+(?:agency|agencies|organisations?|"
                        r"body|bodies|partners?))?\s*:\s*(\S.{1,200})$", re.I)
_LABEL_ALONE = re.compile(r"^\s*(?:recommendation|argymhelliad)\s+(\d{1,3}[a-z]?)\s*"
                          r"(?:[:.–—-]\s*(.*))?$", re.I)


def _label_number(text: str) -> str | None:
    """The number of a label that stands alone, asking nothing itself:
    "Recommendation 2", or with a title ("Recommendation 2: Information
    sharing"), as a heading or a line of its own."""
    match = _LABEL_ALONE.match(text)
    if match is None or (match.group(2) and not is_title(match.group(2))):
        return None
    return match.group(1)


def extract(passages: Sequence[Passage]) -> list[FoundRecommendation]:
    """The recommendations in a review's passages, in reading order, each once."""
    state = _Extraction(change_prompts(passages),
                        _preambles(passages) | _labelled_chapters(passages))
    for p in passages:
        state.feed(p)
    found = state.result()
    if found:
        _name_own_bodies(found, passages[:_FRONT_PASSAGES])
        for item in found:
            item.level = item.level or addressed_level(item.agencies)
    return found


_NAMES_RECOMMENDATIONS = re.compile(r"recommendation|argymhell", re.I)


def _preambles(passages: Sequence[Passage]) -> frozenset[str]:
    """Sections that ask for change ("3. Improving systems and practice")
    whose recommendations follow under a sub-heading of their own
    ("Recommendations"): a paragraph before it, whatever it asks ("The review
    panel notes that ... The Board should consider why ..."), is the
    section's preamble, not one of them."""
    out: set[str] = set()
    before: str | None = None  # the section of the heading before
    for p in passages:
        if p.kind != "heading":
            continue
        if _NAMES_RECOMMENDATIONS.search(p.text) and not not_own(p.section):
            # Its parent ("3. Improving ... > Recommendations"), or where a PDF's
            # headings have no depth, the section just before it. (Not an
            # "Action plan": the section's own paragraphs may be what it plans.)
            parent = p.section.rsplit(" > ", 1)[0] if " > " in p.section else before
            if parent is not None and section_kind(parent) is SectionKind.IMPROVE:
                out.add(parent)
        before = p.section
    return frozenset(out)


# A chapter heading that names findings as well as recommendations
# ("7. Findings and recommendations").
_MIXED = re.compile(r"\b(?:findings?|learning|analysis|conclusions?)\b.*\brecommendation|"
                    r"\brecommendations?\b.*\b(?:findings?|learning|analysis|conclusions?)\b",
                    re.I)


def _labelled_chapters(passages: Sequence[Passage]) -> frozenset[str]:
    """Sections of a chapter of findings and recommendations that labels its
    recommendations ("Recommendation 4: NHS Westmarsh ICB should ..." after
    each finding): there a paragraph without a label is the finding's prose,
    whatever it says an agency should or must do ("Under section 42 ... the
    local authority must make enquiries"; "Since the learning event, the ICB
    has issued guidance that patients ... should be seen")."""
    chapters: dict[str, set[str]] = {}
    labelled: set[str] = set()
    for p in passages:
        parts = p.section.split(" > ")
        mixed = next((i for i, part in enumerate(parts) if _MIXED.search(part)), None)
        if mixed is None:
            continue
        chapter = " > ".join(parts[:mixed + 1])
        chapters.setdefault(chapter, set()).add(p.section)
        if p.kind == "paragraph" and _LABEL.match(p.text) and _DIRECTIVE.search(p.text):
            labelled.add(chapter)
    return frozenset(section for chapter in labelled for section in chapters[chapter])


# The title page: the passages that name who commissioned the review.
_FRONT_PASSAGES = 12


def _name_own_bodies(found: list[FoundRecommendation], front: Sequence[Passage]) -> None:
    """A body named without its place ("The Community Safety Partnership
    should ...") is the review's own: the one body of that name with a place
    that the title page or the other records name ("Cardiff Community Safety
    Partnership"). "The Board" is the one board the records name ("North
    Wales Safeguarding Board"), else the title page's; "the health board",
    "the council" and "the police" are the one body of that kind named, so
    the register does not split one addressee in two. Where none or several
    are named, the name stays as written."""
    recorded = {a for f in found for a in f.agencies}
    titled = {b for p in front for b in named_bodies(p.text)}
    known = recorded | titled

    def named_boards(names: set[str]) -> set[str]:
        return {k for k in names if _OWN_BOARD.search(k) and not _GENERIC_BOARD.match(k)}

    boards = named_boards(recorded) or named_boards(titled)
    for f in found:
        named = []
        for agency in f.agencies:
            fuller = {k for k in known if _placed(k, agency)}
            if agency == "safeguarding board" or _GENERIC_BOARD.match(agency):
                fuller = boards
            elif agency == "safeguarding partnership":
                fuller = {k for k in known if k.endswith("Partnership")}
            elif agency in _BODY_OF_KIND:
                # "The health board must ..." in a review of one health board.
                fuller = {k for k in known if _BODY_OF_KIND[agency].search(k)}
            elif agency.isupper() and 3 <= len(agency) <= 8:
                # A board by its initials ("NWSB", "CTMSB"): the one whose they
                # are; by its brand ("CWMPAS", "CYSUR"): the review's board.
                fuller = {b for b in named_boards(known) if _initials(b) == agency} or (
                    boards if agency in BOARD_ABBREVIATIONS else set())
            named.append(next(iter(fuller)) if len(fuller) == 1 else agency)
        f.agencies = named


# A body's name of three words at least, with no place in it ("Community
# Safety Partnership"); shorter ones ("Health Board", "Police" in a table's
# agency cell) are left as the report writes them.
_UNPLACED_WORDS = 3
_PLACE = re.compile(r"[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,2}")


def _initials(name: str) -> str:
    """ "North Wales Safeguarding Board" -> "NWSB" (the small words left out)."""
    return "".join(w[0] for w in name.split() if w[0].isupper())


def _placed(name: str, agency: str) -> bool:
    """Whether `name` is `agency` with a place before it ("Cardiff " + ...)."""
    if len(agency.split()) < _UNPLACED_WORDS or not name.endswith(" " + agency):
        return False
    return bool(_PLACE.fullmatch(name[:-len(agency) - 1]))


_ACTION_PLAN = re.compile(r"action plan|cynllun gweithredu", re.I)
_AGENCY_LABEL_WORDS = 8
# A record under a number already given that opens on the same words repeats it.
_OPENING_WORDS = 6
_ARTICLE = frozenset({"the", "a", "an", "y", "yr"})


def _opening(key: str) -> tuple[str, ...]:
    """A record's first words, without a leading article: a table that
    repeats "The Community Safety Partnership should seek assurance ..." may
    print (or a PDF read of it move) its "The" in a cell of its own."""
    words = key.split()
    if words and words[0] in _ARTICLE:
        words = words[1:]
    return tuple(words[:_OPENING_WORDS])


_SINGLE_AGENCY = re.compile(r"single[\s-]agency|agency recommendations|by agency", re.I)


def _agency_heading(text: str, section: str) -> str | None:
    """The agency a heading in a recommendations section names, over its own
    recommendations: a body's name, or under "Single agency recommendations"
    any short name ("RISE")."""
    if not in_recommendation_section(section):
        return None
    agency = _agency_label(f"{text}:")
    above = section.rsplit(" > ", 1)[0] if " > " in section else ""
    if agency is None and _SINGLE_AGENCY.search(above) and \
            len(text.split()) <= _AGENCY_LABEL_WORDS and not _DIRECTIVE.search(text):
        agency = text
    return agency


def _agency_label(text: str) -> str | None:
    """The agency a line names when it is only that name and a colon
    ("South Wales Police:", "Cardiff and Vale University Health Board:"), as
    reports list single-agency recommendations under each agency."""
    if not text.endswith(":"):
        return None
    name = text[:-1].strip()
    if not name or len(name.split()) > _AGENCY_LABEL_WORDS or _DIRECTIVE.search(name):
        return None
    bodies = named_bodies(name)
    if len(bodies) == 1 and bodies[0] == name.removeprefix("The "):
        return bodies[0]
    # A name of capitalised words without a body's usual ending ("Cardiff
    # Women's Aid"), two words at least: one ("Actions:") is a heading.
    run = _CAPITAL_RUN.fullmatch(name)
    return name if run and len(name.split()) >= 2 else None


_OWN_BOARD = re.compile(r"(?:Safeguarding|Children|Adults) Board(?: for [A-Z][\w ]+)?$")
# A body named by its kind alone and the names of bodies of that kind: one
# such body named in the review is the one meant.
_BODY_OF_KIND = {
    "health board": re.compile(r"Health Board$"),
    "local authority": re.compile(r"Council$"),
    "police": re.compile(r"(?:Police|Constabulary)$|^Police Service of "),
}
# A board named by its kind alone ("The Regional Safeguarding Board should:",
# "the Safeguarding Adults Board"): the review's own, as "the Board" is.
_GENERIC_BOARD = re.compile(r"^(?:the\s+)?(?:regional\s+)?safeguarding\s+(?:children\s+|"
                            r"adults\s+)?board$", re.IGNORECASE)


def _stem(text: str) -> str:
    """The sentence of a lead-in that its sub-items complete, without its colon."""
    body = text.rstrip().rstrip(":").strip()
    label = _LABEL.match(body) or _NUMBERED.match(body)
    if label:
        body = body[label.end():]
    match = _LAST_SENTENCE.search(body)
    return match.group(1).strip() if match else body


def _join_stem(stem: str, body: str) -> str:
    """"The Board should" + "seek assurance that ...;" -> one sentence; a
    sub-item that is a sentence of its own keeps its own text."""
    ended = bool(re.search(r"[;,](?:\s*(?:and|or))?$", body.strip()))
    body = re.sub(r"\s*[;,]?\s*(?:and|or)?\s*$", "", body.strip()) + ("." if ended else "")
    if stem and (body[:1].islower() or _STEM_END.search(stem)) and \
            not _starts_own_recommendation(body):
        first = body[:1].lower() + body[1:] if not _acronym(body) else body
        body = f"{stem} {first}"
    return body


def _acronym(text: str) -> bool:
    word = text.split(" ", 1)[0]
    return len(word) > 1 and word[:2].isupper()


# The words before the directive are its subject: a noun phrase, which no
# clause word opens ("the plan sets out how practitioners will know ..." is
# the end of a lead-in's sentence, not a recommendation of its own).
_OWN_SUBJECT = re.compile(r"^(?:[A-Z][\w'’/-]*|the|all|each|every)"
                          r"(?:\s+(?!(?:how|whether|that|which|who|when|where|if|what)\b)"
                          r"[\w'’/()-]+){0,8}?\s+"
                          r"(?:should|must|shall|are asked to|is asked to|needs? to|will)\b"
                          # Welsh puts the directive first: "Dylai'r Bwrdd ...",
                          # "Dylai Cyngor Gwynedd ...", "Rhaid i'r ...".
                          r"|^(?:Dylai|Dylid|Dylen\w*|Rhaid i)\b")


def _starts_own_recommendation(text: str) -> bool:
    """Whether an item opens with its own addressee and directive ("The Board
    must ...", "Gwent Police should ...")."""
    return bool(_OWN_SUBJECT.match(text))


def _sub_letter(parent: _Parent, written: str | None) -> str:
    """The sub-item's marker: as written, else the next letter."""
    if written is not None:
        return written
    return chr(ord("a") + min(parent.subs, 25))


def _is_roman_item(parent: _Parent, marker: str) -> bool:
    """Whether a sub-item's marker is a roman numeral ("4.ii") rather than a
    letter ("4i"): "i", "v" and "x" are letters only straight after "h", "u"
    and "w", and "ii" after "i" goes on a roman sequence."""
    after_its_letter = len(marker) == 1 and parent.last_marker == chr(ord(marker) - 1)
    return is_roman(marker) and not after_its_letter


def _unnumbered(text: str) -> str:
    """An item's text without its own number ("2. ", "3.1 ")."""
    decimal = decimal_marker(text)
    return decimal[1] if decimal else _NUMBERED.sub("", text, count=1)


def _row_letter(row: str, header: list[str] | None) -> tuple[str, str] | None:
    """(marker, text) of a lettered row: a marker opening its text cell, or
    a number cell holding a letter."""
    number, cells = _table_cells(row, header)
    marked = sub_marker(cells["text"])
    if marked is not None:
        return marked
    letter = letter_cell(number or _row_cells(row)[0])
    return (letter, cells["text"]) if letter and cells["text"] else None


def _row_cells(row: str) -> list[str]:
    cells = [c.strip() for c in row.split("|")]
    return [c for c in cells if c != ""] if row.strip().startswith("|") else cells


def _continues_row(row: str, header: list[str] | None, numbered: bool) -> bool:
    """Whether a table row is the wrapped rest of the row before it (which
    did not end its sentence): its text cell starts in lower case, or it has
    no number of its own where the table numbers its rows."""
    cells = _row_cells(row)
    if not cells or not cells[0]:
        return True
    first = cells[0]
    if _row_letter(row, header) is not None:
        return False  # a lettered part of its own
    if first[0].islower():
        return True
    own_number = bool(_NUMBERED.match(first) or _LABEL.match(first)
                      or re.fullmatch(r"\d{1,3}[a-z]?(?:\.\d+)*\.?", first))
    return numbered and header is not None and not own_number


def _extend_row(item: FoundRecommendation, cells: dict[str, str], row: str,
                header: list[str] | None) -> None:
    """Add a wrapped row's cells to the item's, by column."""
    parts = _row_cells(row)
    roles = _roles(header, len(parts)) if header else ["text"] + [""] * (len(parts) - 1)
    for role, part in zip(roles, parts, strict=False):
        if role and part:
            cells[role] = f"{cells.get(role, '')} {part}".strip()
    item.text, level = _level(cells.get("text", item.text))
    if cells.get("level"):
        level = next((lv for lv in LEVELS if lv in cells["level"].casefold()), level)
    item.level = level or item.level
    item.agencies = agencies_of(item.text, cells.get("agency"))

