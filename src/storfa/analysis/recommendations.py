"""Finding a review's recommendations in its stored passages (docs/recommendations.md).

A recommendation is a list item, a table row or a labelled paragraph
("Recommendation 3: ...", "Argymhelliad 3: ...") under a heading such as
"Recommendations", "Improving systems and practice", "Actions", "Learning"
or "Argymhellion". Each becomes one record with its number (as written, else
its place in the sequence), its text, the agencies it names (a table's agency
column, brackets, the sentence's subject, else anywhere in it), its level
(local / regional / national where stated), its page and its passage.

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
from typing import Any

from storfa.domain.reviews import Passage, is_question

LEVELS = ("local", "regional", "national")
_LEVEL_CY = {"lleol": "local", "rhanbarthol": "regional", "cenedlaethol": "national"}

# Headings whose lists, table rows and labelled paragraphs are recommendations.
_HEADING = re.compile(
    r"recommendation|improving systems|actions?\b|learning|argymhell|gwella systemau|camau",
    re.I)
# "Learning" alone is a heading of every review's analysis; there a list item
# must also read as a recommendation (a directive or an imperative verb).
_STRONG_HEADING = re.compile(r"recommendation|argymhell|actions?\b", re.I)

_LABEL = re.compile(
    r"^\s*(?:recommendation|argymhelliad|action|rec\.?|r)\s*(\d+[a-z]?(?:\.\d+)*)\s*[:.)–—-]\s*",
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
_IMPERATIVE = re.compile(
    r"^(?:develop|review|consider|ensure|provide|establish|introduce|improve|strengthen|"
    r"undertake|share|promote|embed|audit|update|create|agree|raise|seek|monitor|"
    r"sicrhau|datblygu|adolygu|gwella)\b", re.I)
_RECOMMEND_PARAGRAPH = re.compile(
    r"^(?:we|the (?:review|reviewers?|panel|board)|it is)\s+(?:\w+\s+)?recommend\w*\s+that\b",
    re.I)
# A list of the kinds of recommendation that follow ("Recommendations for
# Policy Makers") names sub-sections, it is not a recommendation.
_SUBHEADING = re.compile(r"^(?:\d+[.)]\s*)?recommendations? (?:for|to)\b[^.]*$", re.I)
# A table's header row: its first cell names the column rather than holding text.
_HEADER_CELL = re.compile(r"^(?:recommendations?|argymhelliad|argymhellion|no\.?|number|#|"
                          r"ref\.?|rhif)$", re.I)
_MODAL = re.compile(r"\b(?:should|must|shall|will|are asked|is asked|needs? to|ought|"
                    r"to ensure)\b", re.I)

# Named Welsh public bodies: runs of capitalised words; a run joined by "and"
# splits into names after each part that ends in the kind of body, so
# "South Wales Police and Cardiff and Vale University Health Board" is two.
_ORG_SUFFIX = re.compile(
    r"(?:Police|Council|Health Board|Safeguarding Board|Children Board|Adults Board|Trust|"
    r"Partnership|Government|Service|Services|Wales|Cymru|City and County of [A-Z]\w+)$")
_CAPITAL_RUN = re.compile(
    r"[A-Z][\w'’-]*(?:(?:\s+(?:and|of|the)\s+|\s+)[A-Z][\w'’-]*)*")
_ORG_LEADING = re.compile(r"^(?:The|Since|That|All|Each|Both|Every|Recommendation|This|"
                          r"Where|When|In|For|And|Dylai)\s+")
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
    (r"safeguarding (?:children |adults )?boards?|bwrdd diogelu|rsbs?\b", "safeguarding board"),
    (r"health visit(?:ing|ors?)", "health visiting"),
    (r"midwi(?:fery|ves|fe)", "midwifery"),
    (r"ambulance", "ambulance service"),
    (r"welsh government|llywodraeth cymru", "Welsh Government"),
    (r"mental health services?", "mental health services"),
    (r"substance misuse services?", "substance misuse services"),
)
_AGENCY_RE = [(re.compile(r"\b(?:" + pattern + r")", re.I), label)
              for pattern, label in _AGENCY_TERMS]


@dataclass(slots=True)
class FoundRecommendation:
    """One recommendation as found: `number` as written (or its place in the
    sequence), text without its number, label or level sentence."""

    number: str
    text: str
    agencies: list[str]
    level: str | None
    page: int | None
    passage_id: int | None
    start: int | None = None
    seq: int = 0

    def as_json(self) -> dict[str, Any]:
        return {"number": self.number, "text": self.text, "agencies": list(self.agencies),
                "level": self.level, "page": self.page, "passage_id": self.passage_id}


def text_key(text: str) -> str:
    """The form two texts are compared in: case, spacing and punctuation spacing
    do not matter (a re-extraction or the ground truth spelling it slightly
    differently is still the same recommendation)."""
    folded = re.sub(r"\s+([.,;:!?])", r"\1", text.casefold())
    return re.sub(r"\s+", " ", folded).strip(" .")


def in_recommendation_section(section: str) -> bool:
    return any(_HEADING.search(part) for part in section.split(" > "))


def _strong(section: str) -> bool:
    return any(_STRONG_HEADING.search(part) for part in section.split(" > "))


def _level(text: str) -> tuple[str, str | None]:
    """(text without a level sentence, the level it states)."""
    level: str | None = None
    match = _LEVEL_SENTENCE.search(text)
    if match:
        word = (match.group(1) or match.group(2) or "").casefold()
        level = _LEVEL_CY.get(word, word)
        text = (text[:match.start()] + " " + text[match.end():]).strip()
    else:
        word_match = _LEVEL_WORD.search(text)
        if word_match:
            level = next(g for g in word_match.groups() if g).casefold()
    return text, level


def _split_names(cell: str) -> list[str]:
    """"A, B and C" → [A, B, C], keeping "and"/"of" inside a named body
    ("Cardiff and Vale University Health Board") whole."""
    names: list[str] = []
    for piece in re.split(r"\s*[;,/&]\s*", cell):
        parts = named_bodies(piece) or [
            p.strip() for p in re.split(r"\s+(?:and|a|ac)\s+", piece) if p.strip()]
        names.extend(p for p in parts if p not in names)
    return names


def named_bodies(text: str) -> list[str]:
    found: list[str] = []
    for run in _CAPITAL_RUN.finditer(text):
        pending = ""
        for part in run.group(0).split(" and "):
            pending = f"{pending} and {part}" if pending else part
            while _ORG_LEADING.match(pending):
                pending = _ORG_LEADING.sub("", pending, count=1)
            if _ORG_SUFFIX.search(pending) and " " in pending:
                if pending not in found:
                    found.append(pending)
                pending = ""
    return found


def agency_terms(text: str) -> list[str]:
    found: list[str] = []
    for pattern, label in _AGENCY_RE:
        if pattern.search(text) and label not in found:
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
        return _split_names(cell)
    for bracket in re.findall(r"\(([^()]{2,200})\)", text):
        if named_bodies(bracket) or agency_terms(bracket):
            return _split_names(bracket)
    modal = _MODAL.search(text)
    subject = text[:modal.start()] if modal else ""
    welsh = re.match(r"^\s*Dylai\s+(.*)", text)
    if welsh:
        subject = welsh.group(1)
    for part in (subject, text):
        if part:
            found = named_bodies(part) or agency_terms(part)
            if found:
                return found
    return []


def _roles(header: list[str], width: int) -> list[str]:
    """What each of a row's first `width` columns holds, by the header:
    text, agency, level, number or "" (nothing kept)."""
    roles: list[str] = []
    for name in header[:width]:
        low = name.casefold()
        if re.search(r"agenc|lead|owner|responsib|asiantaeth", low):
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


def _pseudo_heading(text: str) -> str | None:
    """The section a paragraph opens when it is a heading in disguise: a
    short line without closing punctuation that starts with a capital
    ("Improving systems and practice", "Statement by reviewer(s)"), or
    "Recommendations" run into the paragraph after it."""
    words = text.split()
    if len(words) <= _PSEUDO_HEADING_WORDS and text[0].isupper() \
            and not re.search(r"[.,;:!?]$", text) and not _DIRECTIVE.search(text):
        return text
    return "Recommendations" if _PSEUDO_HEADING.match(text) and not _LABEL.match(text) else None


def _is_recommendation(text: str, kind: str, strong: bool) -> bool:
    if _SUBHEADING.match(text) or is_question(text):
        return False
    if _LABEL.match(text):
        return True
    if kind == "table_row":
        # Under "Learning" alone a table is as likely a timeline as a list of
        # recommendations: a row must read as one.
        return strong or bool(_DIRECTIVE.search(text))
    if kind == "list_item":
        return strong or bool(_DIRECTIVE.search(text) or _IMPERATIVE.match(text))
    if kind == "paragraph":
        body = _NUMBERED.sub("", text, count=1)
        numbered = body != text
        if strong and numbered and (_DIRECTIVE.search(body) or _IMPERATIVE.match(body)):
            return True
        return strong and bool(_RECOMMEND_PARAGRAPH.match(text))
    return False


def extract(passages: Sequence[Passage]) -> list[FoundRecommendation]:
    """The recommendations in a review's passages, in reading order, each once."""
    found: list[FoundRecommendation] = []
    header: list[str] | None = None
    last_section: str | None = None
    pseudo: str | None = None  # a section opened by a heading read as a paragraph
    open_item: FoundRecommendation | None = None  # may still continue on the next passage
    open_cells: dict[str, str] = {}  # the open item's table cells, when it is a row
    open_numbered = False  # whether the open item's number was written in the text
    unproven: set[int] = set()  # numbered rows kept before reading as recommendations
    seen: set[tuple[str, str]] = set()
    for p in passages:
        if p.section != last_section:
            header, last_section, pseudo = None, p.section, None
        text = re.sub(r"\s+", " ", p.text).strip()
        if not text:
            continue
        if p.kind == "heading" and not (open_item is not None and text[0].islower()):
            open_item = None
            continue
        if p.kind == "paragraph" and (found_section := _pseudo_heading(text)):
            pseudo, open_item, header = found_section, None, None
            text = _PSEUDO_HEADING.sub("", text, count=1).strip() \
                if found_section == "Recommendations" and found_section != text else ""
            if not text:
                continue
        # A disguised heading stands for the whole section path: the real one
        # above it may be an earlier page's "Learning".
        section = pseudo or p.section
        labelled = bool(_LABEL.match(text)) and bool(_DIRECTIVE.search(text))
        if not in_recommendation_section(section) and not labelled and open_item is None:
            continue
        if p.kind == "table_row" and open_item is not None and open_cells and \
                _continues_row(text, header, open_numbered):
            _extend_row(open_item, open_cells, text, header)
            open_item = open_item if not re.search(r"[.!?]$", open_item.text) else None
            continue
        if open_item is not None and text[0].islower() and p.kind != "table_row":
            open_item.text = f"{open_item.text} {text}"
            open_item.text, level = _level(open_item.text)
            open_item.level = open_item.level or level
            open_item.agencies = agencies_of(open_item.text)
            open_item = open_item if not re.search(r"[.!?]$", open_item.text) else None
            continue
        if not in_recommendation_section(section) and not labelled:
            open_item = None
            continue
        if p.kind == "table_row":
            first = text.strip("| ").split("|")[0].strip()
            if _HEADER_CELL.match(first):
                header = [c.strip() for c in text.strip("| ").split("|")]
                continue
            if text[0].islower():  # the rest of a row whose start was not kept
                continue
        # Without a real heading, each item must read as a recommendation itself;
        # a numbered row is kept until its wrapped rest has been read, then judged.
        strong = _strong(section) and pseudo is None
        provisional = (p.kind == "table_row" and not strong
                       and bool(_NUMBERED.match(_row_cells(text)[0]))
                       and not _is_recommendation(text, p.kind, strong))
        if not provisional and not _is_recommendation(text, p.kind, strong):
            open_item = None
            continue
        number: str | None = None
        cells: dict[str, str] = {}
        body = text
        if p.kind == "table_row":
            number, cells = _table_cells(text, header)
            body = cells["text"]
        label = _LABEL.match(body) or _NUMBERED.match(body)
        if label:
            number = number or label.group(1)
            body = body[label.end():]
        body, level = _level(body.strip())
        if cells.get("level"):
            level = next((lv for lv in LEVELS if lv in cells["level"].casefold()), level)
        if not body:
            continue
        item = FoundRecommendation(
            number=number or str(len(found) + 1), text=body,
            agencies=agencies_of(body, cells.get("agency")), level=level, page=p.page,
            passage_id=p.id, start=p.start, seq=len(found) + 1)
        key = (item.number, text_key(item.text))
        if key in seen:
            continue
        seen.add(key)
        found.append(item)
        if provisional:
            unproven.add(id(item))
        open_item = item if not re.search(r"[.!?]$", body) else None
        open_cells = {**cells, "text": body} if p.kind == "table_row" else {}
        open_numbered = number is not None
    kept = [f for f in found if id(f) not in unproven or _DIRECTIVE.search(f.text)]
    for seq, item in enumerate(kept, start=1):
        item.seq = seq
    return kept


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

