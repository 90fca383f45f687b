"""Normalising a value an editor types, so a correction is stored in the same
form the parser would have produced."""

from __future__ import annotations

from storfa.domain.errors import N_, StorfaError
from storfa.domain.ids import parse_review_id
from storfa.domain.reviews import DATE_FIELDS, ReviewType
from storfa.ingest.metadata.boards import normalise_board
from storfa.ingest.metadata.dates import parse_date

# The one list of fields an editor may correct, in the order the reader's form
# shows them: every field a review carries (domain.reviews).
EDITABLE = ("type", "identifier", "title", "board", "variant", "language", "gender",
            "age_band", *DATE_FIELDS)


def normalise_field(field: str, value: str) -> str:
    value = " ".join(value.split())
    if field not in EDITABLE:
        raise StorfaError(N_("Unknown field {field!r}; choose from {fields}."), field=field,
                          fields=", ".join(EDITABLE))
    if field in DATE_FIELDS:
        parsed = parse_date(value)
        if parsed is None:
            raise StorfaError(N_("Could not read {value!r} as a date; write it as "
                                 "YYYY-MM-DD."), value=value)
        return parsed.isoformat()
    if field == "board":
        board = normalise_board(value)
        if board is None:
            raise StorfaError(N_("{value!r} is not a Welsh safeguarding board."), value=value)
        return board
    if field == "type":
        by_folded = {t.value.casefold(): t.value for t in ReviewType}
        if value.casefold() not in by_folded:
            raise StorfaError(N_("Unknown review type {value!r}; use one of {types}."),
                              value=value, types=", ".join(t.value for t in ReviewType))
        return by_folded[value.casefold()]
    if field == "identifier":
        return parse_review_id(value).canonical() or value
    if field == "language" and value not in ("en", "cy"):
        raise StorfaError(N_("Language must be en or cy."))
    if field == "variant" and value not in ("concise", "extended"):
        raise StorfaError(N_("Variant must be concise or extended."))
    return value
