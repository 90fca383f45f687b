"""The packaged lists (given names, place names, public names) and Welsh
initial mutations, so "Gaerdydd", "Nghaerdydd" and "Ddafydd" are known as
forms of "Caerdydd" and "Dafydd".

The lists live in data/*.txt (their licence is stated in each file's header).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

# Initial consonant changes after prepositions, possessives and numerals:
# soft (i Gaerdydd), nasal (yng Nghaerdydd, fy Nhad) and aspirate (a Thomos).
# Longer radicals first, so "Ll" is not read as "L" + "l".
_MUTATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Ll", ("L",)),
    ("Rh", ("R",)),
    ("P", ("B", "Mh", "Ph")),
    ("T", ("D", "Nh", "Th")),
    ("C", ("G", "Ngh", "Ch")),
    ("B", ("F", "M")),
    ("D", ("Dd", "N")),
    ("G", ("", "Ng")),
    ("M", ("F",)),
)
# Digraphs that are letters of their own and do not mutate as C, T, P, D do.
_UNMUTATED = ("Ch", "Th", "Ph", "Dd", "Ff", "Ng")


def mutations(word: str) -> list[str]:
    """The mutated forms of a Welsh word (not including the word itself)."""
    if word.startswith(_UNMUTATED):
        return []
    for radical, forms in _MUTATIONS:
        if word.startswith(radical):
            rest = word[len(radical):]
            out = []
            for form in forms:
                mutated = form + rest
                if not form:  # g- drops: "Gwen" -> "Wen"; the new first letter is a capital
                    mutated = rest[:1].upper() + rest[1:]
                if len(mutated) >= 3:
                    out.append(mutated)
            return out
    return []


def words(text: str) -> frozenset[str]:
    """A set of words written as one string, for long stop lists."""
    return frozenset(text.split())


def _lines(name: str) -> list[str]:
    text = resources.files("storfa.disclosure").joinpath("data", name).read_text("utf-8")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.startswith("#")]


@dataclass(frozen=True, slots=True)
class Gazetteer:
    given: frozenset[str]
    # A Welsh mutated form -> its radical; read only in Welsh text, since
    # "Fair" (Mair) or "Wen" (Gwen) are English words or fragments too.
    given_mutated: dict[str, str]
    places: frozenset[str]
    place_mutated: dict[str, str]
    public_names: frozenset[str]
    # Every spelling `given_name` answers in Welsh text: the radicals and their
    # mutated forms.
    given_welsh: frozenset[str] = frozenset()

    def given_forms(self, welsh: bool) -> frozenset[str]:
        """The words `given_name` finds a first name in: a set to test each word
        of a passage against without a call per word (most are not names)."""
        return self.given_welsh if welsh else self.given

    def given_name(self, word: str, welsh: bool) -> str | None:
        if word in self.given:
            return word
        return self.given_mutated.get(word) if welsh else None

    def place(self, words: str, welsh: bool) -> str | None:
        if words in self.places:
            return words
        return self.place_mutated.get(words) if welsh else None


# Mutated forms that are common words in either language are not names.
_NOT_MUTATED_NAMES = frozenset({
    "Fair", "Mary", "Dean", "Bill", "Mark", "Ward", "Wen", "Ran", "Rain", "Ride", "Mile",
    "Fan", "Dan", "Man", "Men", "Nan", "Fern", "Lead", "Thin", "Lose", "Line", "Ann",
})


@cache
def gazetteer() -> Gazetteer:
    given = frozenset(_lines("given_names.txt"))
    places = frozenset(_lines("places.txt"))
    given_mutated = {m: g for g in sorted(given) for m in mutations(g)
                     if m not in given and m not in _NOT_MUTATED_NAMES}
    place_mutated: dict[str, str] = {}
    for place in sorted(places):
        for m in mutations(place):
            if m not in places:
                place_mutated.setdefault(m, place)
    return Gazetteer(given, given_mutated, places, place_mutated,
                     frozenset(_lines("public_names.txt")), given | given_mutated.keys())
