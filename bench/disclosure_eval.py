"""Disclosure check: recall and precision by type on generated drafts with
planted identifiers (English and Welsh; Markdown, DOCX and PDF), false
findings per 10 pages on the real published reports in ../shared/corpus, and
throughput in pages per second on generated 40-page drafts (issue 19).

    .venv/bin/python bench/disclosure_eval.py [--reviews 8] [--pages 12]

Drafts come from the review generator; each gets planted paragraphs holding
one identifier of every type (values drawn per seed), and is then rendered,
extracted and segmented exactly as ingest does, so the check reads what a
stored review would hold. A planted value is recalled when a finding of its
type family overlaps it; a finding is right when it overlaps a planted value
of its family or the generator's own exact incident date. Corpus reports are
already anonymised, so every finding there at the default confidence counts
as false; their pages are counted at the generated PDFs' characters per page
(Markdown has no pages).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from storfa.disclosure.check import MIN_CONFIDENCE, Finding, check_passages
from storfa.disclosure.names import OFFICE_SECTION
from storfa.disclosure.recognisers import nhs_check_digit
from storfa.domain.documents import Block, BlockKind
from storfa.domain.reviews import Passage
from storfa.ingest.analyse import analyse
from storfa.ingest.clean import clean_document
from storfa.ingest.extractors import extract_document
from storfa.synthetic import (
    GeneratedReview,
    generate_review,
    render_docx,
    render_markdown,
    render_pdf,
)

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
FAMILY = {"person_name": "name", "practitioner_name": "name"}
AIMS = {"name": 0.95, "address": 0.95, "postcode": 0.95, "date_of_birth": 0.95,
        "nhs_number": 0.95}

FIRST_EN = ("Jane", "Gareth", "Kelly", "Darren", "Natalie", "Stephen", "Leanne", "Craig")
FIRST_CY = ("Siân", "Dafydd", "Catrin", "Gethin", "Bethan", "Tomos", "Gwenllian", "Rhodri")
# First names outside the packaged list: only a title or a known surname finds these.
FIRST_OTHER = ("Zainab", "Olamide", "Piotr", "Agnieszka", "Tariq", "Shona")
SURNAMES = ("Evans", "Pritchard", "Huws", "Pugh", "Bowen", "Griffiths", "Llewellyn",
            "Protheroe", "Wynne", "Kowalski", "Hussain", "Adeyemi")
STREET_WORDS = ("Oak Tree", "Bryn Celyn", "Alexandra", "Windsor", "Glanymor", "Heather")
STREET_CY = ("y Bont", "Fawr", "Las", "yr Eglwys", "Ddu", "Maesglas")
TOWNS = ("Caerdydd", "Bangor", "Llanelli", "Pontypridd", "Wrexham", "Aberystwyth",
         "Casnewydd", "Caerffili")
# Town -> its nasal-mutated form after "yng"/"ym" (what a Welsh draft writes).
NASAL = {"Caerdydd": "Nghaerdydd", "Bangor": "Mangor", "Casnewydd": "Nghasnewydd",
         "Caerffili": "Nghaerffili", "Pontypridd": "Mhontypridd", "Tregaron": "Nhregaron"}
SCHOOL_NAMES = ("Oakfield", "Pen y Bryn", "Glan Taf", "Bryn Hafod", "Rhos Helyg", "Tremains")
MONTHS_CY = ("Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf",
             "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
UNIT = "ABDEFGHJLNPQRSTUWXYZ"
AREAS = ("CF", "SA", "LL", "NP", "LD", "SY")


@dataclass
class Planted:
    type: str
    text: str
    note: str = ""


def _nhs(rng: random.Random) -> str:
    while True:
        nine = str(rng.randint(400_000_000, 799_999_999))
        check = nhs_check_digit(nine)
        if check is not None:
            digits = nine + str(check)
            return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if rng.random() < 0.7 else digits


def _postcode(rng: random.Random) -> str:
    return (f"{rng.choice(AREAS)}{rng.randint(1, 48)} {rng.randint(1, 9)}"
            f"{rng.choice(UNIT)}{rng.choice(UNIT)}")


def _date(rng: random.Random, welsh: bool) -> str:
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2005, 2022)
    style = rng.random()
    if style < 0.4:
        return f"{day:02d}/{month:02d}/{year}"
    months = MONTHS_CY if welsh else MONTHS_EN
    return f"{day} {months[month - 1]} {year}"


def _name(rng: random.Random, welsh: bool) -> Planted:
    pick = rng.random()
    surname = rng.choice(SURNAMES)
    if pick < 0.2:
        return Planted("person_name", f"{rng.choice(('Mrs', 'Mr', 'Ms'))} {surname}")
    if pick < 0.3:
        return Planted("person_name", f"{rng.choice(FIRST_OTHER)} {surname}", "outside list")
    first = rng.choice(FIRST_CY if welsh else FIRST_EN)
    return Planted("person_name", f"{first} {surname}")


def plant(review: GeneratedReview, rng: random.Random) -> list[Planted]:
    """Add paragraphs holding one identifier of each type; return what was planted."""
    welsh = review.language == "cy"
    sub = "Plentyn K" if welsh else "Child K"
    paragraphs: list[tuple[str, list[Planted]]] = []
    for _ in range(3):
        n1, n2 = _name(rng, welsh), _name(rng, welsh)
        worker = Planted("practitioner_name",
                         f"{rng.choice(FIRST_CY if welsh else FIRST_EN)} {rng.choice(SURNAMES)}")
        town = rng.choice(TOWNS)
        if welsh:
            address = Planted("address", f"{rng.randint(1, 90)} "
                              f"{rng.choice(('Heol', 'Stryd', 'Ffordd'))} "
                              f"{rng.choice(STREET_CY)}, {town}")
            school = Planted("school", f"Ysgol Gynradd {rng.choice(SCHOOL_NAMES)}")
            gp = Planted("gp_practice", f"Meddygfa {rng.choice(SCHOOL_NAMES)}")
            service = Planted("service", f"Canolfan Deulu {rng.choice(SCHOOL_NAMES)}")
        else:
            address = Planted("address", f"{rng.randint(1, 90)} {rng.choice(STREET_WORDS)} "
                              f"{rng.choice(('Road', 'Street', 'Close', 'Avenue'))}, {town}")
            school = Planted("school", f"{rng.choice(SCHOOL_NAMES)} Primary School")
            gp = Planted("gp_practice", f"{rng.choice(SCHOOL_NAMES)} Surgery")
            service = Planted("service", f"{rng.choice(SCHOOL_NAMES)} Family Centre")
        postcode = Planted("postcode", _postcode(rng))
        dob = Planted("date_of_birth", _date(rng, welsh))
        nhs = Planted("nhs_number", _nhs(rng))
        ni = Planted("ni_number", f"{rng.choice(('AB', 'JK', 'SN', 'WP'))} {rng.randint(10, 99)} "
                     f"{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.choice('ABCD')}")
        phone = Planted("phone", rng.choice((f"07700 900{rng.randint(100, 999)}",
                                             f"029 2087 {rng.randint(1000, 9999)}",
                                             f"01248 {rng.randint(100000, 999999)}")))
        email = Planted("email", f"{n1.text.split()[-1].lower()}{rng.randint(1, 99)}@example.org")
        letters = "".join(rng.choice("BCDFGHKLMNPRSTVWXY") for _ in range(3))
        vrn = Planted("vehicle_registration",
                      f"{rng.choice(('CA', 'CU', 'CN', 'WX'))}{rng.randint(10, 23)} {letters}")
        if welsh:
            place = rng.choice(sorted(NASAL))
            lived = Planted("address", NASAL[place], "mutated place")
            mutated = Planted("person_name", f"Ddafydd {rng.choice(SURNAMES)}", "mutated name")
            text = [
                (f"Ar ôl yr ymweliad, siaradodd yr ymwelydd iechyd, {worker.text}, â {sub} yn "
                 f"{address.text}, {postcode.text}.", [worker, address, postcode]),
                (f"Dyddiad geni {sub} yw {dob.text}; rhif GIG {nhs.text}.", [dob, nhs]),
                (f"Gellir cysylltu â {n1.text} (rhif Yswiriant Gwladol {ni.text}) ar "
                 f"{phone.text} neu {email.text}.", [n1, ni, phone, email]),
                (f"Roedd {sub} yn mynd i {school.text} ac wedi cofrestru â {gp.text}; roedd y "
                 f"teulu'n byw {'ym' if lived.text[0] == 'M' else 'yng'} {lived.text}.",
                 [school, gp, lived]),
                (f"Defnyddiodd y teulu {service.text}. Stopiodd yr heddlu gar, rhif cofrestru "
                 f"{vrn.text}, a yrrwyd gan {n2.text}. Siaradodd yr athrawes â {mutated.text}.",
                 [service, vrn, n2, mutated]),
            ]
        else:
            text = [
                (f"After the visit the health visitor, {worker.text}, saw {sub} at "
                 f"{address.text}, {postcode.text}.", [worker, address, postcode]),
                (f"{sub}'s date of birth is {dob.text}; NHS number {nhs.text}.", [dob, nhs]),
                (f"{n1.text} (National Insurance number {ni.text}) can be contacted on "
                 f"{phone.text} or {email.text}.", [n1, ni, phone, email]),
                (f"{sub} attended {school.text} and was registered at {gp.text}.", [school, gp]),
                (f"The family used {service.text}. Police stopped a car, registration "
                 f"{vrn.text}, driven by {n2.text}.", [service, vrn, n2]),
            ]
        paragraphs += text
    planted: list[Planted] = []
    # Slips are planted in the narrative: names in the reviewers' statement, terms of
    # reference and the like are published by convention and weighed down (names.py).
    sections = [s for s in review.sections if s.blocks and not OFFICE_SECTION.search(s.heading)
                and not re.search(r"(?i)terms of reference|cylch gorchwyl", s.heading)]
    for body, items in paragraphs:
        rng.choice(sections).blocks.append(Block(BlockKind.PARAGRAPH, body))
        planted += items
    return planted


@dataclass
class Tally:
    planted: Counter[str]
    recalled: Counter[str]
    lost: Counter[str]  # planted values the extracted text no longer held verbatim
    right: Counter[str]
    wrong: Counter[str]
    examples: dict[str, list[str]]


def _family(kind: str) -> str:
    return FAMILY.get(kind, kind)


def _occurrences(passages: list[Passage], text: str) -> list[tuple[int, int]]:
    """Where a planted value is in the extracted text (line breaks may stand for spaces)."""
    pattern = re.compile(r"\s+".join(re.escape(w) for w in text.split()))
    return [(p.start + m.start(), p.start + m.end())
            for p in passages for m in pattern.finditer(p.text)]


def score(passages: list[Passage], findings: list[Finding], planted: list[Planted],
          truth_dates: list[str], tally: Tally) -> None:
    spans: list[tuple[int, int, str]] = []  # planted occurrences in full-text offsets
    for d in truth_dates:
        spans += [(s, e, "identifying_date") for s, e in _occurrences(passages, d)]
    for item in planted:
        fam = _family(item.type)
        label = fam + (f" ({item.note})" if item.note else "")
        tally.planted[label] += 1
        where = _occurrences(passages, item.text)
        spans += [(s, e, fam) for s, e in where]
        if not where:
            tally.lost[label] += 1
        elif any(_family(f.type) == fam and f.start < e and s < f.end
                 for s, e in where for f in findings):
            tally.recalled[label] += 1
        else:
            tally.examples.setdefault(label, []).append(item.text)
    for f in findings:
        ok = any(k == _family(f.type) and f.start < e and s < f.end for s, e, k in spans)
        (tally.right if ok else tally.wrong)[_family(f.type)] += 1
        if not ok:
            tally.examples.setdefault("wrong " + _family(f.type), []).append(f.text)


def extract(path: Path) -> tuple[list[Passage], int]:
    doc = analyse(clean_document(extract_document(path)))
    return doc.passages, doc.page_count


def drafts(args: argparse.Namespace, tmp: Path) -> tuple[Tally, float]:
    tally = Tally(Counter(), Counter(), Counter(), Counter(), Counter(), {})
    chars = pages = 0
    renderers = {"md": render_markdown, "docx": render_docx, "pdf": render_pdf}
    for lang in ("en", "cy"):
        for seed in range(args.reviews):
            for fmt, render in renderers.items():
                review = generate_review(seed, language=lang, pages_hint=args.pages)
                planted = plant(review, random.Random(f"{seed}-{lang}-{fmt}"))
                path = tmp / f"{lang}-{seed}.{fmt}"
                render(review, path)
                passages, page_count = extract(path)
                if fmt == "pdf":
                    chars += sum(len(p.text) for p in passages)
                    pages += page_count
                truth = [review.date_text["index_incident"]] if "index_incident" in \
                    review.date_text else []
                score(passages, check_passages(passages), planted, truth, tally)
    return tally, chars / max(pages, 1)


def corpus(chars_per_page: float) -> tuple[int, float, list[Finding]]:
    found: list[Finding] = []
    chars = 0
    for path in sorted(CORPUS.glob("*.md")):
        passages, _ = extract(path)
        chars += sum(len(p.text) for p in passages)
        found += check_passages(passages, path.stem)
    return len(found), chars / chars_per_page, found


def throughput(tmp: Path, n: int = 4) -> float:
    pages = 0
    seconds = 0.0
    for seed in range(n):
        review = generate_review(100 + seed, pages_hint=40)
        plant(review, random.Random(seed))
        path = tmp / f"long-{seed}.pdf"
        render_pdf(review, path)
        passages, page_count = extract(path)
        started = time.perf_counter()
        check_passages(passages)
        seconds += time.perf_counter() - started
        pages += page_count
    return pages / seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reviews", type=int, default=8, help="drafts per language and format")
    ap.add_argument("--pages", type=int, default=12)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        tally, per_page = drafts(args, tmp)
        rate = throughput(tmp)
    print(f"generated drafts: {args.reviews} per language (en, cy) x format (md, docx, pdf); "
          f"default confidence {MIN_CONFIDENCE}")
    print(f"{'type':<34}{'planted':>8}{'recall':>8}{'precision':>10}   aim")
    families = sorted(set(tally.planted) | {k for k in tally.right | tally.wrong})
    for fam in families:
        n = tally.planted[fam] - tally.lost[fam]
        recall = f"{tally.recalled[fam] / n:.3f}" if n else "—"
        base = fam.split(" (")[0]
        judged = tally.right[fam] + tally.wrong[fam] if fam == base else 0
        precision = f"{tally.right[fam] / judged:.3f}" if judged else "—"
        aim = f">= {AIMS[base]}" if base in AIMS and fam == base else ""
        lost = f"  ({tally.lost[fam]} lost in extraction)" if tally.lost[fam] else ""
        print(f"{fam:<34}{n:>8}{recall:>8}{precision:>10}   {aim}{lost}")
    total_planted = sum(tally.planted.values()) - sum(tally.lost.values())
    print(f"{'all':<34}{total_planted:>8}{sum(tally.recalled.values()) / total_planted:>8.3f}"
          f"{sum(tally.right.values()) / max(1, sum((tally.right + tally.wrong).values())):>10.3f}")
    for key, items in sorted(tally.examples.items()):
        print(f"  missed or wrong, {key}: {Counter(items).most_common(6)}", file=sys.stderr)
    false, pages, found = corpus(per_page)
    print(f"real corpus ({CORPUS.name}/, {len(list(CORPUS.glob('*.md')))} reports, "
          f"{pages:.0f} pages at {per_page:.0f} characters a page): {false} findings = "
          f"{10 * false / pages:.2f} per 10 pages (aim <= 1)")
    for f in found:
        print(f"  {f.id}: {f.type} {f.text!r} ({f.confidence:.2f})")
    print(f"throughput on generated 40-page drafts: {rate:.0f} pages/s on one core (aim >= 50)")


if __name__ == "__main__":
    main()
