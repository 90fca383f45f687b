"""Crafting helpers for extraction tests: small valid fixtures and hostile files."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

_LOREM_TEXT = ("Practitioners described a sense that something was not right but did not act "
               "on it and the review found limited evidence of professional curiosity about "
               "who else was living in the household during the period under review")
LOREM = _LOREM_TEXT.split(" ")


# ---------------------------------------------------------------- valid fixtures

def _column_lines(c: canvas.Canvas, x: float, y: float, width_chars: int, words: list[str],
                  n_lines: int) -> float:
    line: list[str] = []
    out = 0
    i = 0
    while out < n_lines:
        w = words[i % len(words)]
        i += 1
        if len(" ".join([*line, w])) > width_chars:
            c.drawString(x, y, " ".join(line))
            y -= 12
            out += 1
            line = [w]
        else:
            line.append(w)
    return y


def make_report_pdf(path: Path) -> Path:
    """3 pages: running header/footer, headings, hyphenation, a table, a two-column page."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle("Child Practice Review: Child T")
    w, h = A4
    for n in (1, 2, 3):
        c.setFont("Helvetica", 8)
        c.drawString(72, h - 40, "Child Practice Review - Child T - CONFIDENTIAL DRAFT")
        c.drawString(w / 2 - 20, 30, f"Page {n} of 3")
        if n == 1:
            c.setFont("Helvetica-Bold", 20)
            c.drawString(72, h - 100, "Child Practice Review")
            c.setFont("Helvetica-Bold", 14)
            c.drawString(72, h - 140, "1. Introduction")
            c.setFont("Helvetica", 10)
            c.drawString(72, h - 165, "The board commissioned this review of the safe-")
            c.drawString(72, h - 177, "guarding arrangements with a multi-")
            c.drawString(72, h - 189, "Agency panel and an independent reviewer.")
            c.setFont("Helvetica-Bold", 14)
            c.drawString(72, h - 230, "2. Agencies involved")
            c.setFont("Helvetica", 10)
            rows = [("Agency", "Role", "Contact"), ("Police", "Investigation", "Weekly"),
                    ("Health Board", "Health visiting", "Monthly"),
                    ("School", "Education", "Daily")]
            y = h - 260
            for row in rows:
                for x, cell in zip((72, 220, 380), row, strict=True):
                    c.drawString(x, y, cell)
                y -= 18
            c.drawString(72, y - 20, "The table above lists every agency that took part.")
        elif n == 2:
            c.setFont("Helvetica-Bold", 14)
            c.drawString(72, h - 100, "3. Findings")
            c.setFont("Helvetica", 10)
            _column_lines(c, 72, h - 130, 40, ["LEFTCOL", *LOREM], 12)
            _column_lines(c, 320, h - 130, 40, ["RIGHTCOL", *LOREM], 12)
        else:
            c.setFont("Helvetica-Bold", 14)
            c.drawString(72, h - 100, "4. Recommendations")
            c.setFont("Helvetica", 10)
            _column_lines(c, 72, h - 130, 90, LOREM, 5)
        c.showPage()
    c.save()
    return path


def make_image_pdf(path: Path, text: str = "Safeguarding review findings") -> Path:
    """One page whose only content is a picture of text (no text layer)."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (1600, 400), 255)
    draw = ImageDraw.Draw(img)
    try:
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.load_default(size=72)
    except TypeError:
        font = ImageFont.load_default()
    draw.text((60, 150), text, fill=0, font=font)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    from reportlab.lib.utils import ImageReader

    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(buf), 40, 500, width=520, height=130)
    c.showPage()
    c.save()
    return path


def make_docx(path: Path) -> Path:
    from docx import Document
    from docx.enum.text import WD_BREAK

    doc = Document()
    doc.core_properties.title = "Adult Practice Review"
    doc.add_heading("Adult Practice Review", level=1)
    doc.add_paragraph("This review considers the support offered to Adult B.")
    doc.add_heading("Terms of reference", level=2)
    doc.add_paragraph("Information sharing between agencies", style="List Bullet")
    doc.add_paragraph("The voice of the adult", style="List Bullet")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Agency", "Role"
    table.cell(1, 0).text, table.cell(1, 1).text = "Police", "Investigation"
    p = doc.add_paragraph("Last words on page one.")
    p.add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading("Findings", level=2)
    doc.add_paragraph("Page two text.")
    doc.save(str(path))
    return path


# ---------------------------------------------------------------- PDF hostiles

def _pdf(objects: list[bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, trailer_extra, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _page_pdf(content: bytes) -> bytes:
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        content,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def deflate_repeat(prefix: bytes, chunk: bytes, repeats: int) -> bytes:
    """A zlib stream of prefix + chunk * repeats, built without compressing it all.

    Each chunk is a fully flushed deflate block, so its compressed bytes can be repeated.
    """
    head = zlib.compressobj(9)
    start = head.compress(prefix) + head.flush(zlib.Z_FULL_FLUSH)
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = raw.compress(chunk) + raw.flush(zlib.Z_FULL_FLUSH)
    adler = zlib.adler32(prefix)
    for _ in range(repeats):
        adler = zlib.adler32(chunk, adler)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    return start + block * repeats + end + struct.pack(">I", adler)


def flate_bomb_pdf(expanded: int = 2 * 1024**3) -> bytes:
    """A content stream that inflates to `expanded` bytes of spaces (~1000:1)."""
    chunk = b" " * (1 << 20)
    data = deflate_repeat(b"BT /F1 12 Tf 72 700 Td (bomb) Tj ET\n", chunk,
                          expanded // len(chunk))
    return _page_pdf(_stream(data, b"/Filter /FlateDecode "))


def lzw_bomb_pdf(codes: int = 200_000) -> bytes:
    """An LZW stream whose codes keep referring to the longest string so far."""
    # 9-bit codes: 'A', then 258, 259, 260... each extends the previous entry by one char.
    bits = []
    bits.append(65)
    nxt = 258
    for _ in range(min(codes, 3800)):
        bits.append(nxt - 0 if nxt < 4095 else 65)
        nxt += 1
    width = 9
    acc = 0
    nbits = 0
    out = bytearray()
    table = 258
    for code in bits:
        acc = (acc << width) | code
        nbits += width
        while nbits >= 8:
            out.append((acc >> (nbits - 8)) & 0xFF)
            nbits -= 8
        table += 1
        if table + 1 >= (1 << width) and width < 12:
            width += 1
    if nbits:
        out.append((acc << (8 - nbits)) & 0xFF)
    data = bytes(out) * 50
    return _page_pdf(_stream(data, b"/Filter /LZWDecode "))


def circular_pdf() -> bytes:
    """A Pages tree whose kids point back at themselves, plus a self-referencing /Prev."""
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [3 0 R 2 0 R] /Count 5 >>",
    ], trailer_extra=b"/Prev 9 ")


def encrypted_pdf(path: Path) -> Path:
    from reportlab.lib import pdfencrypt

    enc = pdfencrypt.StandardEncryption("secret-user", "secret-owner", strength=128)
    c = canvas.Canvas(str(path), encrypt=enc)
    c.drawString(72, 700, "Encrypted safeguarding review")
    c.showPage()
    c.save()
    return path


def truncated_pdf(valid: bytes) -> bytes:
    return valid[: len(valid) // 3]


# ---------------------------------------------------------------- zip / DOCX hostiles

_CT = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
       b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
       b"</Types>")


def zip_bytes(entries: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return buf.getvalue()


def docx_bomb(size: int = 40 * 1024**2) -> bytes:
    """A DOCX whose document.xml inflates ~1000:1 (streamed so the test stays light)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0"?><w:document xmlns:w="x"><w:body>')
            block = b"<w:p/>" * (1 << 17)
            for _ in range(size // len(block)):
                fh.write(block)
            fh.write(b"</w:body></w:document>")
    return buf.getvalue()


def docx_with_document(xml: bytes) -> bytes:
    return zip_bytes([("[Content_Types].xml", _CT), ("word/document.xml", xml)])


BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
                  + b"".join(b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1
                                                               else b"&lol;") * 10)
                             for i in range(1, 10))
                  + b']>\n<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r>'
                    b"</w:p></w:body></w:document>")

EXTERNAL_ENTITY = (b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM '
                   b'"file:///etc/passwd">]>\n<w:document xmlns:w="x"><w:body><w:p><w:r>'
                   b"<w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>")


def zip_slip_docx() -> bytes:
    return zip_bytes([("[Content_Types].xml", _CT), ("word/document.xml", b"<x/>"),
                      ("../../evil.sh", b"echo pwned")])


def overlapping_zip() -> bytes:
    """Two central-directory entries that share one local file (overlapping data)."""
    data = zip_bytes([("[Content_Types].xml", _CT), ("word/document.xml", b"<x/>" * 100)])
    eocd = data.rfind(b"PK\x05\x06")
    cd_size, cd_off = struct.unpack_from("<II", data, eocd + 12)
    cd = data[cd_off: cd_off + cd_size]
    second = cd.find(b"PK\x01\x02", 4)
    entry = bytearray(cd[second:])
    entry_name_len = struct.unpack_from("<H", entry, 28)[0]
    # a third entry named word/styles.xml pointing at document.xml's local header
    new = bytearray(entry[:46]) + b"word/styles.xml"
    struct.pack_into("<H", new, 28, len(b"word/styles.xml"))
    struct.pack_into("<HH", new, 30, 0, 0)
    new += b""
    _ = entry_name_len
    new_cd = cd + bytes(new)
    eocd_rec = bytearray(data[eocd:])
    count = struct.unpack_from("<H", eocd_rec, 10)[0] + 1
    struct.pack_into("<HHII", eocd_rec, 8, count, count, len(new_cd), cd_off)
    return data[:cd_off] + new_cd + bytes(eocd_rec)


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00"
       b"\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05"
       b"\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
