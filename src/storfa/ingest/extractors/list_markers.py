"""List markers as storfa keeps them in a list item's text.

A bullet ("•", "-") is layout and is dropped; an ordinal ("2.", "(b)",
"iv)") is how the author numbered the item (a recommendation is cited as
"1b", and the register reads its number from it), so it stays, whether the
extractor read it from the page (PDF, Markdown, plain text) or counted it
as Word or a browser draws it (DOCX numbering, an HTML <ol>)."""

from __future__ import annotations

import re

_BULLET_MARK = re.compile(r"^[-–*+•▪◦‣●○■□]$")
# An ordinal marker as written in text: "2.", "(b)", "C)", "iv." (a PDF's
# layout, where "A." may open a name, reads lower-case letters only).
ORDINAL = r"\(?(?:\d{1,3}|[a-zA-Z]|[ivx]{2,4})[.)]"
OPENS_ON_ORDINAL = re.compile(rf"^{ORDINAL}\s+")
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def list_item_text(marker: str, body: str) -> str:
    """A list item's text: its body, after its marker unless that is a bullet."""
    return body if _BULLET_MARK.match(marker) else f"{marker} {body}"


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    # As Word and browsers letter: a..z, then aa..zz, aaa..
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_count(n: int, fmt: str) -> str:
    """An item's count written in a list format (Word's names: decimal,
    lowerLetter, upperLetter, lowerRoman, upperRoman)."""
    if fmt in ("lowerLetter", "upperLetter"):
        text = _letters(max(n, 1))
        return text.upper() if fmt == "upperLetter" else text
    if fmt in ("lowerRoman", "upperRoman"):
        text = _roman(max(n, 1))
        return text.upper() if fmt == "upperRoman" else text
    return str(n)
