"""A case-file audit lists cases by a reference only, never a name: the
board's case list must not become a list of the children and adults whose
files were read. A reference is short, has a digit, and nothing in it is a
given name, a postcode, an NHS or National Insurance number, a phone
number, an email address or a date (the disclosure recognisers decide)."""

from __future__ import annotations

import re

from storfa.domain.errors import N_, StorfaError

MAX_LENGTH = 40
_SHAPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./_#:-]*")
_WORD = re.compile(r"[A-Za-z]+")
# A date of birth typed as the reference (the recognisers want context words).
_DATE = re.compile(r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2})\b")


class NotAReference(StorfaError):
    """Something typed as a case reference that may identify a person."""


def check_reference(text: str) -> str:
    """The reference, tidied; NotAReference saying why when it is not one."""
    from storfa.disclosure.gazetteer import gazetteer
    from storfa.disclosure.recognisers import recognise

    ref = " ".join((text or "").split())
    if not ref:
        raise NotAReference(N_("Give the case's reference."))
    if len(ref) > MAX_LENGTH or not _SHAPE.fullmatch(ref):
        raise NotAReference(N_("A case reference is up to {most} letters, digits and "
                               ". / _ # : - (got {ref!r})."), most=MAX_LENGTH, ref=ref)
    if not any(ch.isdigit() for ch in ref):
        raise NotAReference(N_("{ref!r} looks like a name, not a case reference: a "
                               "reference has a number in it (e.g. CFA-2025-017). Never "
                               "enter names."), ref=ref)
    gaz = gazetteer()
    for word in _WORD.findall(ref):
        if gaz.given_name(word.capitalize(), False) or gaz.given_name(word.capitalize(), True):
            raise NotAReference(N_("{ref!r} contains {word!r}, which may be a name: list "
                                   "cases by their reference only."), ref=ref, word=word)
    kinds = {s.type.replace("_", " ") for s in recognise(ref, False)}
    if _DATE.search(ref):
        kinds.add("date")
    if kinds:
        kinds_text = ", ".join(sorted(kinds))
        raise NotAReference(f"{ref!r} looks like personal information ({kinds_text}), not a case "
                            "reference.")
    return ref
