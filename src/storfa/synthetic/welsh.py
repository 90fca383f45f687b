"""The Welsh-language version of a review: shorter, same case facts and identifier.

Sentences are written for this project in plain standard Welsh. Letters outside
WinAnsi (ŵ, ŷ) are avoided so the PDF text layer stays exact with Helvetica.
"""

# ruff: noqa: E501  (sentence banks: one sentence per line reads and diffs better)

from __future__ import annotations

import random

from storfa.domain.documents import Block, BlockKind
from storfa.synthetic import vocab
from storfa.synthetic.dates import MONTHS_CY, STYLES_CY, choose_styles, spell_date_cy
from storfa.synthetic.facts import CaseFacts, spell_identifier
from storfa.synthetic.model import GeneratedReview, Recommendation, Section
from storfa.synthetic.textkit import Deck, sentence

HEADINGS = {
    "outline": "Amlinelliad byr o'r amgylchiadau a arweiniodd at yr adolygiad",
    "learning": "Dysgu ymarfer a sefydliadol",
    "family": "Safbwyntiau aelodau'r teulu",
    "improving": "Gwella systemau ac ymarfer",
    "recs": "Argymhellion",
    "statement": "Datganiad gan yr adolygydd/adolygwyr",
    "tor": "Cylch gorchwyl",
    "timeline": "Llinell amser gryno",
    "event": "Digwyddiad dysgu ac ymgysylltu â'r teulu",
}

# theme key -> (title, findings, recommendation clause after "Dylai <asiantaethau>")
THEMES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "professional_curiosity": ("Chwilfrydedd proffesiynol", (
        "Derbyniodd ymarferwyr esboniadau [carer] heb eu herio.",
        "Nid oedd digon o chwilfrydedd proffesiynol ynghylch pwy arall oedd yn byw yn y cartref.",
        "Ni phrofwyd yr hyn a ddywedwyd yn erbyn yr hyn yr oedd asiantaethau eraill yn ei wybod."),
        "sicrhau bod hyfforddiant ar chwilfrydedd proffesiynol yn orfodol i bob ymarferydd rheng flaen"),
    "voice": ("Llais [sub]", (
        "Ni chofnodwyd llais [sub] yn gyson yng nghofnodion yr asiantaethau.",
        "Ni welwyd [sub] heb oedolyn yn bresennol yn ddigon aml.",
        "Canolbwyntiodd y cofnodion ar anghenion yr oedolion yn hytrach na phrofiad bob dydd [sub]."),
        "sicrhau bod asesiadau'n cofnodi dymuniadau a theimladau'r unigolyn"),
    "escalation": ("Uwchgyfeirio pryderon", (
        "Ni ddefnyddiwyd y protocol uwchgyfeirio rhanbarthol.",
        "Aseswyd risg fesul digwyddiad yn hytrach nag yn gronnus.",
        "Rhannwyd pryderon rhwng ymarferwyr ond ni chawsant eu huwchgyfeirio at reolwyr."),
        "adolygu'r protocol uwchgyfeirio a sicrhau bod ymarferwyr ym mhob asiantaeth yn ei ddeall"),
    "information_sharing": ("Rhannu gwybodaeth", (
        "Nid oedd gan unrhyw asiantaeth y darlun cyfan.",
        "Roedd ymarferwyr yn ansicr pa wybodaeth y gellid ei rhannu heb ganiatâd.",
        "Ni rannwyd gwybodaeth bwysig cyn y drafodaeth strategaeth."),
        "gwella'r broses o rannu gwybodaeth rhwng gwasanaethau iechyd a gwasanaethau cymdeithasol"),
    "was_not_brought": ("Apwyntiadau iechyd a gollwyd", (
        "Ni ddaethpwyd â [sub] i sawl apwyntiad iechyd.",
        "Cofnodwyd yr apwyntiadau a gollwyd fel 'heb fynychu', sy'n rhoi'r cyfrifoldeb ar y plentyn.",
        "Ni adnabuwyd patrwm yr apwyntiadau a gollwyd."),
        "sicrhau bod y polisi 'ni ddaethpwyd â'r plentyn' yn cael ei gymhwyso'n gyson"),
    "whole_family": ("Dull teulu cyfan", (
        "Gweithiodd asiantaethau gydag aelodau unigol o'r teulu yn hytrach na'r teulu cyfan.",
        "Ni chafodd tadau a gofalwyr gwrywaidd eu cynnwys yn yr asesiadau."),
        "ymgorffori dull teulu cyfan ar draws gwasanaethau oedolion a phlant"),
    "domestic_abuse": ("Cam-drin domestig", (
        "Bu sawl galwad i'r heddlu i'r cyfeiriad yn ystod y cyfnod.",
        "Ni adnabuwyd natur reolaethol a gorfodol y berthynas.",
        "Ni wnaed atgyfeiriad i MARAC er bod y digwyddiadau'n cynyddu."),
        "sicrhau bod asesiad risg DASH yn cael ei gwblhau ar gyfer pob digwyddiad o gam-drin domestig"),
    "neglect": ("Adnabod esgeulustod", (
        "Codwyd pryderon am gyflwr y cartref gan sawl asiantaeth dros fisoedd lawer.",
        "Ni enwyd esgeulustod fel y cyfryw.",
        "Derbyniwyd gwelliannau byr fel tystiolaeth o newid parhaol."),
        "sicrhau bod offeryn asesu esgeulustod yn cael ei ddefnyddio'n gyson"),
    "mental_health": ("Iechyd meddwl", (
        "Roedd gan [carer] hanes hir o iselder a gorbryder.",
        "Canolbwyntiodd asesiadau iechyd meddwl ar yr oedolyn yn unig."),
        "sicrhau bod asesiadau iechyd meddwl oedolion yn gofyn am gyfrifoldebau gofalu"),
    "substance_misuse": ("Camddefnyddio sylweddau", (
        "Ni aseswyd effaith defnydd [carer] o alcohol a chyffuriau.",
        "Derbyniwyd adroddiadau am leihau yfed heb eu cadarnhau."),
        "sicrhau bod gwasanaethau camddefnyddio sylweddau yn holi am blant a phobl eraill yn y cartref"),
    "coordination": ("Cydlynu cyfrifoldeb diogelu", (
        "Nid oedd yn glir pa asiantaeth oedd yn arwain.",
        "Caewyd yr achos heb drafodaeth amlasiantaethol."),
        "sicrhau bod penderfyniadau i gau achos yn cael eu rhannu ag asiantaethau partner"),
    "workforce": ("Y gweithlu a chapasiti", (
        "Disgrifiodd ymarferwyr lwythi achosion uchel yn ystod y cyfnod.",
        "Roedd goruchwyliaeth yn afreolaidd ac nid oedd yn rhoi lle i fyfyrio."),
        "sicrhau bod goruchwyliaeth fyfyriol ar gael i bob ymarferydd rheng flaen"),
    "self_neglect": ("Hunan-esgeulustod", (
        "Gwrthododd [sub] gymorth ar sawl achlysur.",
        "Ni aseswyd galluedd meddyliol yn ffurfiol."),
        "datblygu protocol hunan-esgeulustod amlasiantaethol"),
    "carers": ("Gofalwyr a'r teulu", (
        "Ni chynigiwyd asesiad gofalwr i [carer].",
        "Ni chofnodwyd y pryderon a godwyd gan aelodau o'r teulu."),
        "sicrhau bod gofalwyr yn cael cynnig asesiad o'u hanghenion eu hunain"),
}

GOOD = (
    "Gwelwyd arfer da pan wnaeth yr ymwelydd iechyd atgyfeiriad amserol.",
    "Mae ymdrechion parhaus yr ymarferwyr i weld [sub] yn cael eu canmol.",
    "Roedd y gweithio amlasiantaethol yn effeithiol yn ystod y drafodaeth strategaeth.",
    "Roedd cofnodion yr ysgol yn glir ac yn fanwl, ac roeddent o werth mawr i'r adolygiad.",
)
ANALYSIS = (
    "Wrth edrych yn ôl, mae arwyddocâd y wybodaeth hon yn gliriach nag y gallai fod ar y pryd.",
    "Nid methiant un ymarferydd oedd hyn; mae'n adlewyrchu sut roedd y system yn gweithio.",
    "Dywedodd ymarferwyr fod pwysau gwaith yn ei gwneud yn anodd ystyried y darlun ehangach.",
    "Mae'r thema hon yn debyg i ganfyddiadau adolygiadau blaenorol yng Nghymru.",
    "Roedd y cofnodion yn aml yn fyr ac nid oeddent yn esbonio'r rhesymau dros benderfyniadau.",
)
EVENTS = {
    "health": ("Ymweliad cartref gan yr ymwelydd iechyd", "Apwyntiad gyda'r meddyg teulu",
               "Ymweliad â'r adran achosion brys"),
    "police": ("Galwyd yr heddlu i'r cyfeiriad; cwblhawyd asesiad DASH",
               "Anfonwyd hysbysiad diogelu'r cyhoedd"),
    "council": ("Atgyfeiriad wedi'i dderbyn; dim camau pellach", "Cynhaliwyd trafodaeth strategaeth",
                "Caewyd yr achos"),
    "national": ("Galwyd ambiwlans i'r cyfeiriad",),
    "board": ("Trafodwyd yr achos yn y panel amlasiantaethol",),
}


def _join_cy(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    last = names[-1]
    conj = "ac" if last[:1].lower() in "aeiouwyâ" else "a"
    return ", ".join(names[:-1]) + f" {conj} {last}"


def _subject(f: CaseFacts) -> str:
    if f.review_type == "DHR":
        return f.pseudonym or f"Oedolyn {f.letter}"
    if f.review_type == "MHHR":
        return {"female": "Ms X", "male": "Mr X"}.get(f.gender or "", "Oedolyn X")
    return f"{'Plentyn' if f.child else 'Oedolyn'} {f.letter}"


def _age(f: CaseFacts) -> str:
    if f.age_years is None:
        return "Nid yw'r adroddiad yn nodi oedran na rhywedd [sub]."
    female = f.gender == "female"
    if f.age_months is not None:
        return f"Roedd [sub] yn fabi {f.age_months} mis oed ar adeg y digwyddiad."
    nouns = ("ferch", "fachgen") if f.child else ("fenyw", "ddyn")
    noun = nouns[0] if female else nouns[1]
    return f"Roedd [sub] yn {noun} {f.age_years} oed ar adeg y digwyddiad."


def compose_cy(f: CaseFacts, pages_hint: int) -> GeneratedReview:
    rng = random.Random(f"storfa-text-cy:{f.seed}")
    sub = _subject(f)
    styles = choose_styles(rng, STYLES_CY)
    date_text = {k: spell_date_cy(d, styles[k]) for k, d in f.dates.items()}
    board = f.board.board_cy
    slots: dict[str, str | tuple[str, ...]] = {
        "sub": sub, "carer": "Mam" if f.child else f"Oedolyn {'C' if f.letter != 'C' else 'D'}",
        "board": board, **{"d_" + k: v for k, v in date_text.items()},
    }

    def s(template: str) -> str:
        return sentence(template, slots, rng)

    def para(*templates: str) -> Block:
        return Block(BlockKind.PARAGRAPH, " ".join(s(t) for t in templates))

    law = ("o dan adran 9 o Ddeddf Trais Domestig, Troseddau a Dioddefwyr 2004"
           if f.review_type == "DHR" else
           "yn unol â Gweithio Gyda'n Gilydd i Ddiogelu Pobl, a gyhoeddwyd o dan Ddeddf "
           "Gwasanaethau Cymdeithasol a Llesiant (Cymru) 2014")
    incident = {"DHR": "pan laddwyd [sub] yn y cartref", "MHHR": "pan laddwyd Mr Y gan [sub]"}.get(
        f.review_type, "pan dderbyniwyd [sub] i'r ysbyty ag anafiadau difrifol")
    outline = [
        para(f"Comisiynwyd yr adolygiad hwn gan [board] {law}."),
        para(f"Digwyddodd y digwyddiad mynegai ar [d_index_incident], {incident}.", _age(f),
             "Cyfeiriwyd yr achos at Is-bwyllgor Adolygu Achosion y Bwrdd ar [d_referral]."),
        para("Mae'r adolygiad yn ymdrin â'r cyfnod rhwng [d_period_start] a [d_period_end]."),
    ]
    sections = [Section(HEADINGS["outline"], 2, outline),
                Section(HEADINGS["learning"], 2, [para(
                    "Mae'r adran hon yn nodi'r prif wersi a ddaeth i'r amlwg o'r adolygiad.")])]
    analysis, good = Deck(ANALYSIS, rng), Deck(GOOD, rng)
    per_theme = max(1, pages_hint // (2 * len(f.themes)) + 1)
    for key in f.themes:
        title, findings, _rec = THEMES[key]
        blocks = [para(*findings, analysis.draw())]
        for _ in range(per_theme):
            when, agency = rng.choice(f.timeline)
            event = rng.choice(EVENTS[agency.kind])
            month = f"{MONTHS_CY[when.month - 1]} {when.year}"
            blocks.append(para(f"Er enghraifft, ym mis {month} cofnododd {agency.cy}: {event}.",
                               analysis.draw(), good.draw()))
        sections.append(Section(s(title), 3, blocks))
    sections.append(Section(HEADINGS["family"], 2, [para(
        "Cyfarfu'r adolygwyr ag aelodau o'r teulu ac maent yn ddiolchgar am eu cyfraniad.",
        "Dywedodd y teulu nad oeddent bob amser yn deall pam roedd ymarferwyr yn gysylltiedig.")]))
    sections.append(Section(HEADINGS["improving"], 2, [para(
        "Ers y digwyddiad, mae asiantaethau wedi adolygu eu hyfforddiant diogelu.",
        "Mae briff dysgu saith munud wedi'i rannu ag ymarferwyr ar draws y rhanbarth.")]))
    recs: list[Recommendation] = []
    rec_blocks: list[Block] = []
    for spec in f.recs:
        names = [a.cy for a in spec.agencies]
        text = f"Dylai {_join_cy(names)} {s(THEMES[spec.theme][2])}."
        recs.append(Recommendation(spec.number, text, names, spec.level))
        rec_blocks.append(Block(BlockKind.PARAGRAPH,
                                f"Argymhelliad {spec.number}: {text} "
                                f"Mae hwn yn argymhelliad {vocab.LEVELS_CY[spec.level]}."))
    sections.append(Section(HEADINGS["recs"], 3, rec_blocks))
    statement = [para("Nid oedd gan yr adolygwyr unrhyw ran uniongyrchol yn yr achos nac unrhyw "
                      "gyfrifoldeb rheoli llinell dros yr ymarferwyr dan sylw.")]
    statement += [Block(BlockKind.PARAGRAPH, f"Adolygydd: {name}") for name in f.reviewers]
    statement.append(para("Cymeradwywyd yr adroddiad gan y Bwrdd ar [d_sign_off].",
                          "Cyhoeddwyd yr adroddiad ar [d_publication]."))
    sections.append(Section(HEADINGS["statement"], 2, statement))
    tor = [Block(BlockKind.PARAGRAPH, "Cytunodd y panel ar y cylch gorchwyl a'r tasgau craidd canlynol.")]
    tor += [Block(BlockKind.LIST_ITEM, s(t)) for t in (
        "Sefydlu pa wybodaeth am [sub] a'r teulu oedd yn hysbys i'r asiantaethau.",
        "Ystyried a gafodd y risgiau i [sub] eu hadnabod a'u hasesu.",
        "Archwilio sut y rhannodd asiantaethau wybodaeth.",
        "Nodi arfer effeithiol a'r dysgu y dylid ei rannu.",
        "Gwneud argymhellion i wella systemau ac ymarfer.")]
    sections.append(Section(HEADINGS["tor"], 2, tor))
    rows = [Block(BlockKind.TABLE_ROW, "Dyddiad | Asiantaeth | Digwyddiad")]
    for when, agency in f.timeline[: max(6, len(f.timeline) // 2)]:
        rows.append(Block(BlockKind.TABLE_ROW, f"{when.day:02d}/{when.month:02d}/{when.year} | "
                          f"{agency.cy} | {rng.choice(EVENTS[agency.kind])}"))
    sections.append(Section(HEADINGS["timeline"], 2, rows))
    sections.append(Section(HEADINGS["event"], 2, [para(
        "Cynhaliwyd digwyddiad dysgu ar [d_learning_event].",
        "Mynychodd ymarferwyr a rheolwyr o'r holl asiantaethau dan sylw.")]))

    ident = spell_identifier(f.identifier, f.identifier_spelling)
    name = vocab.TYPE_NAMES_CY[f.review_type]
    variant = {"concise": " Cryno", "extended": " Estynedig"}.get(f.variant or "", "")
    title = f"{name} {ident} — {board} — {name}{variant} ynghylch {sub}"
    return GeneratedReview(
        review_type=f.review_type, identifier=f.identifier, board=f.board.name,
        variant=f.variant, title=title, language="cy",
        age_band=vocab.age_band(f.age_years) if f.age_years is not None else None,
        gender=f.gender, dates=dict(f.dates), sections=sections, recommendations=recs,
        date_text=date_text, board_name=board, identifier_text=ident, age_years=f.age_years,
        subject=sub, seed=f.seed, themes=list(f.themes))
