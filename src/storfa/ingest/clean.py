"""Post-extraction cleaning: page furniture, whitespace, ligatures, hyphenation."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from storfa.domain.documents import Block, BlockKind, ExtractedDocument, ExtractedPage, closed

_LIGATURES = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st",
}
_REPLACEMENTS = {
    **_LIGATURES,
    "\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "", "\ufffe": "",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ",
    "\t": " ", "\r": " ", "\n": " ", "\f": " ", "\v": " ", "\x02": "-",
}
_REPLACED = re.compile("[" + re.escape("".join(_REPLACEMENTS)) + "]")
# Other control characters, surrogates and non-characters: PostgreSQL refuses
# NUL in text, JSON cannot carry lone surrogates, and none of them is prose.
# (Not \x01: that is SOFT_BREAK, read and removed by resolve_breaks.)
_UNPRINTABLE = re.compile("[\x00\x02-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\uffff]")
_SPACES = re.compile(r" {2,}")
# A hyphen at a line's end: ASCII, PDFium's mark for one, U+2010 (WeasyPrint's
# and Chromium's automatic hyphenation) and a soft hyphen shown at the break.
_LINE_END_HYPHENS = ("-", "\x02", "\u2010", "\u00ad")
_HYPHEN_BREAK = re.compile(r"(\w)[-\u2010\u00ad]\s*\n\s*(\w)")
# What every _HYPHEN_BREAK holds: most blocks hold none, and the engine skips
# to the hyphens, where _HYPHEN_BREAK is tried at every word character.
_HYPHEN_AT_BREAK = re.compile(r"[-\u2010\u00ad]\s*\n")

# Prefixes that keep their hyphen when split at a line end: "multi-\nagency".
HYPHEN_PREFIXES = frozenset({
    "multi", "non", "self", "cross", "well", "co", "ex", "anti", "semi", "mid", "long",
    "short", "low", "high", "full", "part", "half", "step", "face", "follow", "one", "two",
    "three", "four", "five", "six", "twenty", "thirty", "forty", "fifty",
})
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?\d{1,5}(?:\s*(?:of|/)\s*\d{1,5})?$|^[-–—]\s*\d{1,5}\s*[-–—]$"
    r"|^\[?\d{1,5}\]?$|^[ivx]{1,6}$",
    re.IGNORECASE,
)
_BANNER = re.compile(
    r"^[\W_]*(?:(?:official|offical)[\s-]*sensitive|official|confidential|strictly confidential"
    r"|restricted|not protectively marked|protect|draft|secret)(?:[\s:–—-]+"
    r"(?:personal|policy|commercial|draft|not for circulation))?[\W_]*$",
    re.IGNORECASE,
)
ZONE = 2  # blocks at each end of a page that may be running headers/footers


def normalize_text(text: str) -> str:
    """Ligatures → letters; soft hyphens, zero-width and control characters dropped;
    spaces collapsed."""
    text = _UNPRINTABLE.sub("", _replace_chars(text))
    # Most blocks have no double space: the test costs a fraction of the scan.
    return (_SPACES.sub(" ", text) if "  " in text else text).strip()


def _replace_chars(text: str) -> str:
    """`text` with each of _REPLACEMENTS' characters replaced. As str.translate
    would, but in a fraction of its time: translating raises and catches a
    KeyError inside for every character missing from the table, for each
    occurrence in text that is not ASCII (45 µs for a paragraph holding one
    curly apostrophe). No replacement holds a replaced character, so one
    character after another is the same as all at once."""
    for ch in set(_REPLACED.findall(text)):
        text = text.replace(ch, _REPLACEMENTS[ch])
    return text


def join_lines(lines: Iterable[str], *, pending: bool = False) -> str:
    """Join wrapped lines of one paragraph, undoing end-of-line hyphenation.

    With `pending`, a hyphen that may be either a word broken at the line end
    ("safe-" / "guarding") or a compound's ("life-" / "threatening") is left as
    `SOFT_BREAK` for `resolve_breaks` to decide from the whole document."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith(_LINE_END_HYPHENS) and len(out) > 1 and out[-2].isalpha():
            out = out[:-1] + _break(out[:-1], line, pending) + line
        elif out.endswith(("-", "\u2010")) and len(out) > 1 and out[-2].isdigit() \
                and line[0].isalnum():
            # A reference or a range broken at its hyphen ("APR2019-" / "W02",
            # "2019-" / "20"): one token again.
            out = out[:-1] + "-" + line
        elif out.endswith("/") and line[0].isalnum():
            out += line  # "Yes/" / "No", a web address broken after a slash
        else:
            out = out + " " + line
    return out


def _break(left: str, right: str, pending: bool) -> str:
    """What stands between the two halves of a line-end hyphen."""
    if not right[0].isalpha() or not right[0].islower() or left.endswith("--"):
        return "-"
    if pending:
        return SOFT_BREAK
    return "-" if _prefix(left) else ""


# The little words inside a compound ("out-of-hours", "mother-in-law",
# "day-to-day", "step-by-step"): no hyphenation breaks a word this short, so a
# line ending "out-of-" broke at the compound's own hyphen. (Typesetters do
# break longer words inside compounds: "co-loc-" / "ating", "non-oc-" / "currences".)
_COMPOUND_LINKS = frozenset({"of", "in", "to", "the", "and", "by", "on", "up", "at", "for",
                             "or", "a", "an", "off", "per"})


def _prefix(left: str) -> bool:
    """Whether the word before a line-end hyphen is a prefix that keeps it, or
    a compound's little linking word ("out-of-" / "hours")."""
    word = left.rsplit(None, 1)[-1] if left.strip() else ""
    last = re.split(r"[\W_]", left)[-1].lower()
    return last in HYPHEN_PREFIXES or (last in _COMPOUND_LINKS and "-" in word.strip("-"))


def dehyphenate(text: str) -> str:
    """Mark hyphenation across newlines inside one block's text (`SOFT_BREAK`,
    read by `resolve_breaks`)."""
    def repl(m: re.Match[str]) -> str:
        left = text[: m.start(1) + 1]
        return m.group(1) + _break(left, m.group(2), True) + m.group(2)

    if not _HYPHEN_AT_BREAK.search(text):
        return text
    return _HYPHEN_BREAK.sub(repl, text)


# A line-end hyphen not yet read as a broken word or a compound's hyphen: a
# control character no prose is made of, and one byte wide, so text holding
# it stays in Python's compact one-byte form (a private-use character made
# every later regex and translation over it half again as slow).
SOFT_BREAK = "\x01"
_PENDING = re.compile(rf"(\w+){SOFT_BREAK}(\w+)")


def _spellings(texts: Sequence[str], forms: set[str]) -> Counter[str]:
    """How often each of these spellings occurs in the texts, case aside (as
    text, not only as a word: "practice" in "practices" is the same spelling;
    one plain scan per spelling is cheaper than matching words)."""
    if not forms:
        return Counter()
    text = "\n".join(texts).lower()
    return Counter({form: text.count(form) for form in {f.lower() for f in forms}})


def resolve_breaks(texts: Sequence[str]) -> Callable[[str], str]:
    """How the document spells the words its lines broke at a hyphen.

    A word broken at a line end is spelt as the document spells it elsewhere:
    "life-" / "threatening" stays "life-threatening" when the report writes it
    so, and "prac-" / "tice" becomes "practice" (and "ex-" / "ercise"
    "exercise"). A word the document never spells otherwise keeps the hyphen
    after a prefix ("multi-", "self-") and otherwise follows the document's
    habit: a report typeset with hyphenation (most broken words are found
    whole elsewhere) has the hyphen dropped; one written in Word without it
    (most are compounds) keeps it."""
    pending = [pair for text in texts if SOFT_BREAK in text for pair in _PENDING.findall(text)]
    seen = _spellings(texts, {form for left, right in pending
                              for form in (left + right, f"{left}-{right}")})

    def evidence(left: str, right: str) -> int:
        """Times the document spells the word hyphenated, less times whole."""
        return seen[f"{left}-{right}".lower()] - seen[(left + right).lower()]

    votes = [evidence(left, right) for left, right in pending]
    default = "-" if sum(v > 0 for v in votes) > sum(v < 0 for v in votes) else ""

    def spell(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        lean = evidence(left, right)
        if lean:
            return left + ("-" if lean > 0 else "") + right
        # The words before the break, to see a compound going on ("out-of-").
        before = m.string[max(0, m.start(1) - 40): m.start(1)] + left
        return left + ("-" if _prefix(before) else default) + right

    def resolve(text: str) -> str:
        if SOFT_BREAK not in text:
            return text
        return _PENDING.sub(spell, text).replace(SOFT_BREAK, "")

    return resolve


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


_YEAR = re.compile(r"^\s*(?:19|20)\d\d\s*$")


def _year_heading(block: Block) -> bool:
    """A year set as a heading ("2024" over that year's events), which at the
    top of a page looks like a page number; no report runs to 1,900 pages."""
    return block.kind is BlockKind.HEADING and bool(_YEAR.match(block.text))


def is_banner(text: str) -> bool:
    return len(text) <= 60 and bool(_BANNER.match(text.strip()))


_WHITESPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")


def _key(text: str) -> str:
    return _DIGITS.sub("#", _WHITESPACE.sub(" ", text.lower())).strip()


def _running_keys(pages: list[ExtractedPage]) -> set[str]:
    """Keys of blocks repeated near the top or bottom of at least half the pages."""
    if len(pages) < 3:
        return set()
    top: Counter[str] = Counter()
    bottom: Counter[str] = Counter()
    for page in pages:
        texts = [b.text for b in page.blocks if b.kind is not BlockKind.TABLE_ROW]
        top.update({_key(t) for t in texts[:ZONE]})
        bottom.update({_key(t) for t in texts[-ZONE:]})
    need = max(2, (len(pages) + 1) // 2)
    keys = {k for k, n in top.items() if n >= need} | {k for k, n in bottom.items() if n >= need}
    return {k for k in keys if k and len(k) <= 200}


def _clean_page(page: ExtractedPage, normalized: ExtractedPage,
                running: set[str]) -> ExtractedPage:
    """`normalized`: `page` with each block's text normalised, which is what a
    block with no hyphen at a line break (most) cleans to."""
    blocks = []
    for block, plain in zip(page.blocks, normalized.blocks, strict=True):
        text = dehyphenate(block.text)
        blocks.append(plain if text == block.text else block.with_text(normalize_text(text)))
    blocks = [b for b in blocks if b.text]
    furniture = list(page.furniture)
    keep: list[Block] = []
    n = len(blocks)
    for i, block in enumerate(blocks):
        in_zone = i < ZONE or i >= n - ZONE
        text = block.text
        if is_banner(text) or (in_zone and ((is_page_number(text) and not _year_heading(block))
                                            or _key(text) in running)):
            furniture.append(text)
        else:
            keep.append(block)
    return ExtractedPage(number=page.number, blocks=keep, furniture=furniture, ocr=page.ocr)


# A paragraph still open at the foot of a page: no closing stop, and the next
# page goes on in lower case or this one stops on a word no sentence ends on
# ("… the", "… and", "prac-"; not a lone letter: "Child A" ends a label).
_OPEN_WORD = re.compile(
    r"(?:\b(?:the|an|of|and|or|to|in|on|at|by|for|from|with|that|which|who|was|were|is|are"
    r"|be|been|had|has|have|his|her|their|its|as|but|not|yr|ac|ar|yn)|\w-)$",
    re.IGNORECASE)


def cut_by_break(before: str, after: str, room: float | None = None) -> bool:
    """Whether `after`, first on a page or in a column, is the rest of the
    paragraph `before` that the page or column before ends with: `before` has
    no closing stop, and `after` goes on in lower case, or `before` stops on
    a word no sentence ends on, or `after`'s first word would not have fitted
    in the `room` (in characters) left on `before`'s last line ("… Healthcare
    Inspectorate" / "Wales …", "… (Figure" / "11 – see page 35)")."""
    if closed(before):
        return False
    if after[:1].islower() or _OPEN_WORD.search(before):
        return True
    return room is not None and room < len(after.split(" ", 1)[0]) + 1


def _continues(previous: Block, block: Block) -> bool:
    """Whether `block`, first on its page, is the rest of `previous`, last on
    the page before: a paragraph a page break cut in two."""
    return (previous.kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM)
            and block.kind is BlockKind.PARAGRAPH
            and cut_by_break(previous.text, block.text, previous.room))


def join_page_breaks(pages: list[ExtractedPage]) -> list[ExtractedPage]:
    """Rejoin paragraphs cut by a page break (after the running headers and
    footers between them are gone): the whole paragraph stays on the page it
    starts on, before that page's footnotes. Otherwise a sentence, a phrase
    ("Good prac-" / "tice") or a recommendation would be two passages, found
    by neither half."""
    out: list[ExtractedPage] = []
    for page in pages:
        blocks = list(page.blocks)
        last = next((p for p in reversed(out) if any(not b.note for b in p.blocks)), None)
        if last is not None and blocks and not blocks[0].note:
            at = max(n for n, b in enumerate(last.blocks) if not b.note)
            tail = last.blocks[at]
            if _continues(tail, blocks[0]):
                last.blocks[at] = tail.with_text(join_lines([tail.text, blocks[0].text],
                                                                pending=True))
                blocks = blocks[1:]
        out.append(ExtractedPage(number=page.number, blocks=blocks,
                                 furniture=page.furniture, ocr=page.ocr))
    return out


def clean_document(doc: ExtractedDocument) -> ExtractedDocument:
    """Remove running headers/footers, page numbers and banners; normalise text;
    rejoin paragraphs cut by a page break."""
    normalized = [
        ExtractedPage(
            number=p.number,
            blocks=[b.with_text(normalize_text(b.text)) for b in p.blocks],
            furniture=p.furniture,
            ocr=p.ocr,
        )
        for p in doc.pages
    ]
    running = _running_keys(normalized)
    pages = join_page_breaks([_clean_page(p, n, running)
                              for p, n in zip(doc.pages, normalized, strict=True)])
    title = normalize_text(doc.title) if doc.title else None
    if title and (is_banner(title) or _key(title) in running):
        title = None
    if not title:
        title = next((b.text for p in pages for b in p.blocks
                      if b.kind is BlockKind.HEADING), None)
    resolve = resolve_breaks([b.text for p in pages for b in p.blocks])
    for page in pages:
        page.blocks = [b.with_text(resolve(b.text)) if SOFT_BREAK in b.text else b
                       for b in page.blocks]
    return ExtractedDocument(format=doc.format, pages=pages,
                             title=resolve(title) if title else None,
                             warnings=list(doc.warnings))
