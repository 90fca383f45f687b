"""The last places a redacted word could still reach someone who may not edit
the review (issue 19 item 3): the coding pages and the coding API (the text
a coder codes, its marks and offsets, the queue's context, extracts, memos,
the matrix's drill-down and frequent words, the passages two coders coded
differently), a recommendation's evidence files and their names, and a PDF
page's own XMP metadata stream. Both backends."""

from __future__ import annotations

import html
import io
import json
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pytest
from reportlab.pdfgen import canvas

from backends import PostgresRun
from redactedworld import redacted_world
from storfa.disclosure.redact_pdf import Redaction, RedactionFailed, _verify, redact_pdf
from storfa.disclosure.redaction import Redactions, for_record
from storfa.domain.coding import NewExtract
from storfa.recommendations.register import RegisterFilters
from storfa.storage.sql.extracts import SQLExtracts
from webworld import World, backend_env, csrf_of

KEY = "CPR2024-W52"
BOOK = "best-practice"
BORN = "Jane Smith was born on 3 March 2014 and lived with her mother in a flat."
REVIEW = f"""# Child Practice Review {KEY}

Gwent Safeguarding Board

## Brief outline of circumstances resulting in the review

{BORN}
Practitioners showed quinquennial curiosity about the family.

## Recommendations

1. The Board should audit escalation by every agency.
"""
MEMO = "Smith said Jane was born 03/03/2014"
PLANTED = ("Smith", "Jane", "2014-03-03", "03/03/2014", "3 March 2014")
CODER, EDITOR = "user:coder", "user:editor"


def _clean(text: str, where: str) -> None:
    held = [w for w in PLANTED if w.casefold() in html.unescape(text).casefold()]
    assert not held, f"{where} still holds {held}"


def _word_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Audit of the plan agreed with Jane Smith's mother.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _letter_pdf(path: Path) -> bytes:
    c = canvas.Canvas(str(path))
    c.setAuthor("Jane Smith")
    c.drawString(72, 760, "Letter about the plan for Jane Smith, DOB 03/03/2014.")
    c.drawString(72, 740, "Escalation was audited by every agency.")
    c.showPage()
    c.save()
    return path.read_bytes()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FILES = {"jane_smith_audit.txt": b"Audit: Jane Smith was seen on 2014-03-03.",
         "plan.docx": b"", "Smith-letter.pdf": b"", "photo.png": PNG}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, postgres_run: PostgresRun | None,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, int]]:
    with backend_env(request.param, postgres_run):
        base = tmp_path_factory.mktemp(f"redaction-leaks-{request.param}")
        site, record = redacted_world(base, KEY, REVIEW)
        storfa = site.storfa
        assert for_record(storfa, record)  # something is redacted
        coding = storfa.coding
        text = coding.sql.version_text(record.version_id)
        at = text.index(BORN)
        # A suggestion over the sentence (the queue), the coder's and an
        # editor's codings of it with different codes (agreement), a memo.
        sql = SQLExtracts(storfa.store.db)  # type: ignore[attr-defined]
        sql.replace_suggestions(record.id, BOOK, [NewExtract(
            review_row=record.id, version_id=record.version_id, start=at,
            end=at + len(BORN), text=BORN, codebook=BOOK, code="Escalating concerns",
            theme="Risk and Escalation", coder="auto-coder", how="model", confidence=0.9,
            source_detail="model")])
        mine = coding.code_span(KEY, at, at + len(BORN), BOOK, "Escalating concerns", CODER)
        coding.memo(CODER, MEMO, extract_id=mine.id)
        coding.code_span(KEY, at, at + len(BORN), BOOK, "Persistency in care and support",
                         EDITOR)
        register = storfa.register()
        (item,) = register.register(RegisterFilters(review=KEY)).items
        files = dict(FILES, **{"plan.docx": _word_docx(),
                               "Smith-letter.pdf": _letter_pdf(base / "letter.pdf")})
        register.note(item.rec.id, EDITOR, "Evidence attached.", storfa.blobs,
                      list(files.items()))
        storfa.catalogue.invalidate()
        yield site, item.rec.id
        site.close()


# ------------------------------------------------------------------ coding
def test_the_coding_page_shows_a_coder_the_published_text(world: tuple[World, int]) -> None:
    site, _ = world
    page = site.client("coder").get(f"/coding/review/{KEY}", params={"codebook": BOOK})
    assert page.status_code == 200, page.text[:300]
    _clean(page.text, "the coding page")
    assert "Person A was born on [date of birth]" in page.text
    # The coder's coding and memo are listed, redacted too.
    assert "Person A said Person A was born [date of birth]" in html.unescape(page.text)
    # Editors of the review code the text as written.
    assert BORN in site.client("editor").get(f"/coding/review/{KEY}",
                                             params={"codebook": BOOK}).text


def _blocks(page: str) -> list[tuple[int, int, str]]:
    """Each codable block's data-start, data-end and its text (marks taken out)."""
    found = re.findall(r'class="codable" data-start="(\d+)" data-end="(\d+)"[^>]*>(.*?)</(?:p|h3)>',
                       page, re.S)
    return [(int(a), int(b), html.unescape(re.sub(r"<[^>]+>", "", body)))
            for a, b, body in found]


def test_a_coders_selection_in_the_published_text_codes_the_stored_words(
        world: tuple[World, int]) -> None:
    site, _ = world
    client = site.client("coder")
    page = client.get(f"/coding/review/{KEY}", params={"codebook": BOOK}).text
    blocks = _blocks(page)
    # Offsets count the text shown: each block holds exactly what its offsets say.
    for start, end, body in blocks:
        assert end - start == len(body), (start, end, body)
    # The marked coding sits over the redacted sentence, where the stored one is.
    assert re.search(r"<mark [^>]*>Person A was born on \[date of birth\]", page)
    start, _, body = next(b for b in blocks if "Person A was born" in b[2])
    phrase = "Person A was born on [date of birth]"
    at = start + body.index(phrase)
    response = client.post(f"/coding/review/{KEY}", data={
        "codebook": BOOK, "code": "Escalating concerns", "start": str(at),
        "end": str(at + len(phrase)), "csrf_token": csrf_of(page)})
    assert response.status_code == 303, response.text[:300]
    made = int(response.headers["location"].rsplit("#x", 1)[1])
    assert site.storfa.coding.sql.get(made).text == "Jane Smith was born on 3 March 2014"


def test_the_queue_and_the_coding_api_show_a_coder_the_published_text(
        world: tuple[World, int]) -> None:
    site, _ = world
    queue = site.client("coder").get("/coding/queue", params={
        "codebook": BOOK, "review": KEY, "show": "all"})
    assert queue.status_code == 200
    assert "Person A was born" in queue.text
    _clean(queue.text, "the suggestion queue")
    api = site.client("anonymous").get(f"/api/v1/coding/{BOOK}/suggestions", params={
        "review": KEY, "status": "all"}, headers=site.bearer("coder"))
    assert api.status_code == 200 and api.json()["items"], api.text[:300]
    _clean(api.text, "the coding API's suggestions")
    editor = site.client("anonymous").get(f"/api/v1/coding/{BOOK}/suggestions", params={
        "review": KEY, "status": "all"}, headers=site.bearer("editor"))
    assert BORN in [e["text"] for e in editor.json()["items"]]


def test_the_matrix_and_agreement_show_readers_the_published_text(
        world: tuple[World, int]) -> None:
    site, _ = world
    reader = site.client("reader")
    cell = reader.get("/coding/matrix/cell", params={
        "codebook": BOOK, "code": "Escalating concerns", "column": "CPR", "by": "type"})
    assert cell.status_code == 200 and "Person A was born" in cell.text, cell.text[:500]
    _clean(cell.text, "the matrix's drill-down")
    words = reader.get("/coding/matrix", params={"codebook": BOOK,
                                                  "code": "Escalating concerns"})
    assert words.status_code == 200
    grams = re.findall(r"<tr><td>([^<]*)</td><td class=\"num\">", words.text)
    assert "born" in grams and not {"jane", "smith", "march"} & set(grams), grams
    assert "smith" in re.findall(r"<tr><td>([^<]*)</td><td class=\"num\">", site.client(
        "editor").get("/coding/matrix", params={"codebook": BOOK,
                                                 "code": "Escalating concerns"}).text)
    agreement = site.client("anonymous").get(f"/api/v1/coding/{BOOK}/agreement", params={
        "coder_a": CODER, "coder_b": EDITOR}, headers=site.bearer("coder"))
    assert agreement.status_code == 200, agreement.text[:300]
    passages = [d["text"] for d in agreement.json()["disagreements"]]
    assert any("Person A was born" in p for p in passages), passages
    _clean(json.dumps(agreement.json()), "the agreement's passages")
    _clean(site.client("coder").get("/coding/agreement", params={
        "codebook": BOOK, "coder_a": CODER, "coder_b": EDITOR}).text, "the agreement page")


# ----------------------------------------------------------- evidence files
def test_evidence_files_and_their_names_are_redacted_for_readers(
        world: tuple[World, int]) -> None:
    site, rec_id = world
    got = site.client("anonymous").get(f"/api/v1/recommendations/{rec_id}",
                                       headers=site.bearer("reader"))
    attachments = {a["media_type"]: a for a in got.json()["attachments"]}
    names = [a["filename"] for a in attachments.values()]
    assert "Person A audit.txt" in names and "Person A letter.pdf" in names, names
    assert "plan.docx" in names and "photo.png" in names  # nothing to redact: as uploaded
    _clean(json.dumps(names), "the evidence files' names")
    _clean(site.client("reader").get(f"/recommendations/{rec_id}").text,
           "the recommendation's page")

    def download(kind: str, who: str = "reader") -> bytes:
        response = site.client("anonymous").get(attachments[kind]["href"],
                                                 headers=site.bearer(who))
        assert response.status_code == 200, (kind, response.status_code)
        if who == "reader":
            _clean(response.headers["content-disposition"], f"the {kind} file's name")
        return response.content

    text = download("text/plain").decode("utf-8")
    assert text == "Audit: Person A was seen on [date of birth]."
    word = docx.Document(io.BytesIO(download(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")))
    _clean(" ".join(p.text for p in word.paragraphs), "the Word evidence")
    assert "Person A's mother" in word.paragraphs[0].text
    pdf_bytes = download("application/pdf")
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        layer = " ".join(page.get_textpage().get_text_range() for page in pdf)
        assert pdf.get_metadata_dict(skip_empty=True).get("Author") is None
    finally:
        pdf.close()
    _clean(layer, "the PDF evidence's text layer")
    assert "Escalation was audited by every agency." in layer
    assert b"Smith" not in pdf_bytes
    # An image cannot be redacted: withheld from readers, with a reason.
    image = site.client("anonymous").get(attachments["image/png"]["href"],
                                         headers=site.bearer("reader"))
    assert image.status_code == 409 and "image" in image.json()["detail"], image.text
    # The review's editors get every file, and its name, as uploaded.
    editor = site.client("anonymous").get(f"/api/v1/recommendations/{rec_id}",
                                          headers=site.bearer("editor")).json()
    assert {a["filename"] for a in editor["attachments"]} == set(FILES)
    assert download("text/plain", "editor") == FILES["jane_smith_audit.txt"]
    assert download("image/png", "editor") == PNG


# ------------------------------------------------------------- PDF XMP
def _page_xmp_pdf(flate: bool) -> bytes:
    """A one-page PDF, written by hand, whose page carries an XMP stream of
    its own naming the person its text names."""
    xmp = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta '
           b'xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
           b'syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
           b"<dc:creator>Jane Evans</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
           b'<?xpacket end="w"?>')
    content = b"BT /F1 12 Tf 72 700 Td (The child lived with Jane Evans in the town.) Tj ET"
    body = zlib.compress(xmp) if flate else xmp
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font "
        b"<< /F1 4 0 R >> >> /Contents 5 0 R /Metadata 6 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Metadata /Subtype /XML /Length %d%s >>\nstream\n"
        % (len(body), b" /Filter /FlateDecode" if flate else b"") + body + b"\nendstream"]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


@pytest.mark.parametrize("flate", [False, True])
def test_a_pages_own_xmp_is_not_copied_and_a_copy_holding_it_is_refused(flate: bool) -> None:
    data = _page_xmp_pdf(flate)
    source = pdfium.PdfDocument(data)
    try:  # the name is in the page's XMP (compressed or not) and its text
        assert "Jane Evans" in source[0].get_textpage().get_text_range()
    finally:
        source.close()
    assert (b"<dc:creator>Jane Evans" in data) != flate and b"/Metadata 6 0 R" in data
    out = redact_pdf(data, [Redaction(1, "Jane Evans", "Person A")])
    assert b"/Metadata" not in out and b"xmpmeta" not in out and b"Evans" not in out
    copy = pdfium.PdfDocument(out)
    try:
        (page,) = copy
        assert "The child lived with Person A in the town." in page.get_textpage().get_text_range()
        assert page.get_size() == (612, 792)
    finally:
        copy.close()
    # A copy whose text is clean but whose XMP still names the person is refused.
    clean_text = data.replace(b"with Jane Evans in", b"with xxxx yyyyy in")
    with pytest.raises(RedactionFailed, match="XMP"):
        _verify(clean_text, [Redaction(1, "Jane Evans", "Person A")])
    _verify(clean_text, [Redaction(1, "Mary Jones", "Person B")])  # another name: fine


def test_offsets_map_both_ways() -> None:
    text = "Jane Smith was born on 3 March 2014."
    mask = Redactions.of([(0, 10, "Person A"), (23, 35, "[date of birth]")])
    shown = mask.apply(text)
    assert shown == "Person A was born on [date of birth]."
    for position in (0, 10, 11, 23, 35, 36):  # outside a span: there and back
        assert mask.unmap(mask.map(position)) == position, position
    assert (mask.map(3), mask.map(3, after=True)) == (0, 8)
    at = shown.index("[date")
    assert (mask.unmap(at + 2), mask.unmap(at + 2, after=True)) == (23, 35)
