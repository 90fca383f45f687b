"""A redacted copy of a Word (.docx) review (issue 19 item 3, the downloadable
original): the same file, with every redacted word replaced in the XML
itself, so the copy holds none of them anywhere a reader or a tool could
find them.

A .docx is a zip of XML parts. Word splits a paragraph's text into runs at
will (a spelling mark, an edit, a change of font can cut "Jane Evans" into
"Ja", "ne Ev", "ans"), so each paragraph's text is read whole across its
runs (`w:t`, deleted text in tracked changes `w:delText`, field codes
`w:instrText`), the redacted words are found in it, and the runs are
rewritten: the replacement goes into the run where the words began, and the
other runs lose their part of them. Then every text and attribute of every
XML part (headers, footers, footnotes, comments, document properties such as
the title and author, hyperlink targets in the relationships) is redacted by
the same words. The formatting of the runs is kept.

The words are the version's redactions (`Redactions.loose`,
disclosure/redaction.py): what the editors accepted or edited, wherever it
occurs. Afterwards every part is read again and, if a redacted word is still
found (in a paragraph's runs read whole, a text or an attribute),
`RedactionFailed` is raised instead of handing out the copy. Parts that are
not XML (images, embedded files) are copied as they are: storfa read no text
from them.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from storfa.disclosure.redact_pdf import RedactionFailed
from storfa.disclosure.redaction import Redactions, for_record

if TYPE_CHECKING:
    from storfa.app import Storfa
    from storfa.domain.reviews import ReviewRecord

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P = f"{{{_W}}}p"
_TEXTS = (f"{{{_W}}}t", f"{{{_W}}}delText", f"{{{_W}}}instrText")
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# The parts storfa rewrites: XML, read without entities or network access.
_XML_SUFFIXES = (".xml", ".rels")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                          remove_blank_text=False)


def _runs(paragraph: etree._Element) -> list[etree._Element]:
    """The paragraph's own text elements in order (not those of a paragraph
    nested in it, such as a text box's)."""
    return [t for t in paragraph.iter(*_TEXTS)
            if next(t.iterancestors(_P), None) is paragraph]


def _redact_paragraph(paragraph: etree._Element, mask: Redactions) -> None:
    runs = _runs(paragraph)
    texts = [t.text or "" for t in runs]
    whole = "".join(texts)
    found = mask.matches(whole)
    if not found:
        return
    owner = [i for i, piece in enumerate(texts) for _ in piece]
    pieces: list[list[str]] = [[] for _ in runs]
    at = 0
    for start, end, replacement in found:
        for position in range(at, start):
            pieces[owner[position]].append(whole[position])
        pieces[owner[start]].append(replacement)
        at = end
    for position in range(at, len(whole)):
        pieces[owner[position]].append(whole[position])
    for element, old, new in zip(runs, texts, pieces, strict=True):
        text = "".join(new)
        if text != old:
            element.text = text
            if element.tag == _TEXTS[0] and text != text.strip():
                element.set(_SPACE, "preserve")


def _strings(root: etree._Element) -> Iterator[str]:
    """Every text, tail and attribute value in the part."""
    for element in root.iter():
        if isinstance(element.tag, str):
            yield from element.attrib.values()
        if element.text:
            yield element.text
        if element.tail:
            yield element.tail


def _redact_part(data: bytes, mask: Redactions) -> bytes:
    root = etree.fromstring(data, _PARSER)
    for paragraph in root.iter(_P):
        _redact_paragraph(paragraph, mask)
    for element in root.iter():
        if isinstance(element.tag, str):
            for name, value in element.attrib.items():
                redacted = mask.loose(value)
                if redacted != value:
                    element.set(name, redacted)
        # A paragraph's runs were redacted whole above: redacting them again
        # would redact a replacement that spells a word ("[school]").
        if element.text and not (element.tag in _TEXTS
                                 and next(element.iterancestors(_P), None) is not None):
            element.text = mask.loose(element.text)
        if element.tail:
            element.tail = mask.loose(element.tail)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _verify_part(name: str, data: bytes, mask: Redactions) -> None:
    root = etree.fromstring(data, _PARSER)
    # What the editors chose to show ("[school]", their own text) is not a
    # redacted word, even when it spells one.
    shown = sorted({r for _, r in mask.words if r}, key=len, reverse=True)

    def holds(text: str) -> bool:
        for replacement in shown:
            text = text.replace(replacement, " ")
        return mask.finds(text)

    held = any(holds("".join(t.text or "" for t in _runs(p))) for p in root.iter(_P)) \
        or any(holds(s) for s in _strings(root))
    if held:
        raise RedactionFailed(f"{name} still holds a redacted word after redaction; the "
                              "redacted Word file is not served")


def redact_docx(data: bytes, mask: Redactions) -> bytes:
    """A copy of the .docx `data` with every redacted word of `mask` replaced
    in every XML part; raises RedactionFailed if the check afterwards finds one."""
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source, \
                zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
            for info in source.infolist():
                body = source.read(info)
                if info.filename.endswith(_XML_SUFFIXES):
                    body = _redact_part(body, mask)
                    _verify_part(info.filename, body, mask)
                copy.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, ValueError) as exc:
        raise RedactionFailed(f"the Word file could not be redacted: {exc}") from exc
    return out.getvalue()


def redacted_docx(app: Storfa, record: ReviewRecord, path: Path) -> bytes | None:
    """The stored .docx at `path` (the version's own file or a rendition of
    it) redacted by the version's decisions, or None when nothing is redacted.
    Raises RedactionFailed rather than return a copy that holds a redacted word."""
    mask = for_record(app, record)
    if not mask:
        return None
    return redact_docx(path.read_bytes(), mask)
