"""The fixed words of a report in English and Welsh.

Reports are made by the CLI as well as the web, so their headings live here
rather than in the web's gettext catalogue (which would tie a PDF to the web
layer); the web shows the same headings by asking `word(key, lang)`."""

from __future__ import annotations

LANGS = ("en", "cy")

WORDS: dict[str, tuple[str, str]] = {
    "briefing": ("7-minute briefing", "Briffio 7 munud"),
    "theme_briefing": ("7-minute briefing on a theme", "Briffio 7 munud ar thema"),
    "what_happened": ("What happened", "Beth ddigwyddodd"),
    "why_it_matters": ("Why it matters", "Pam mae'n bwysig"),
    "what_we_learned": ("What we learned", "Beth a ddysgwyd"),
    "good_practice": ("Good practice seen", "Arfer da a welwyd"),
    "do_differently": ("What to do differently", "Beth i'w wneud yn wahanol"),
    "questions": ("Questions for reflection", "Cwestiynau i fyfyrio arnynt"),
    "further_reading": ("Further reading", "Darllen pellach"),
    "thematic_report": ("Thematic report", "Adroddiad thematig"),
    "selection": ("Reviews in this report", "Adolygiadau yn yr adroddiad hwn"),
    "themes": ("Themes and sub-themes", "Themâu ac is-themâu"),
    "extracts": ("Extracts", "Dyfyniadau"),
    "reviews": ("Reviews", "Adolygiadau"),
    "illustrative": ("Illustrative extracts", "Dyfyniadau enghreifftiol"),
    "recurrence": ("Recurring recommendations", "Argymhellion sy'n codi dro ar ôl tro"),
    "group": ("Recommendation", "Argymhelliad"),
    "years": ("Years", "Blynyddoedd"),
    "implemented": ("Implemented", "Wedi'u gweithredu"),
    "chart": ("Extracts by theme", "Dyfyniadau fesul thema"),
    "page": ("p.", "t."),
    "review": ("Review", "Adolygiad"),
    "made": ("Made with storfa", "Gwnaed gyda storfa"),
    "none": ("None recorded.", "Dim wedi'i gofnodi."),
    "theme": ("Theme", "Thema"),
    "codebook": ("Codebook", "Llyfr codau"),
    "open": ("Open", "Agored"),
    "in_progress": ("In progress", "Ar waith"),
    "not_accepted": ("Not accepted", "Heb ei dderbyn"),
    "code_count": ("{code}: {n} extracts in {reviews} reviews",
                   "{code}: {n} o ddyfyniadau mewn {reviews} o adolygiadau"),
    "sub_theme": ("Sub-theme", "Is-thema"),
    "extracts_note": ("Counts are of accepted extracts and open suggestions; rejected "
                      "suggestions are left out.",
                      "Mae'r cyfrif yn cynnwys dyfyniadau a dderbyniwyd ac awgrymiadau agored; "
                      "gadewir awgrymiadau a wrthodwyd allan."),
    "index_incident": ("Index incident", "Digwyddiad mynegai"),
    "published": ("Published", "Cyhoeddwyd"),
    "more_recommendations": ("The review made {n} recommendations in all; see the full review.",
                             "Gwnaeth yr adolygiad {n} o argymhellion i gyd; gweler yr "
                             "adolygiad llawn."),
    "why_intro": ("The learning here can help agencies protect children and "
                  "adults at risk. This briefing sets out the main points for practitioners "
                  "and managers to read and discuss in seven minutes.",
                  "Gall y dysgu hwn helpu asiantaethau i amddiffyn "
                  "plant ac oedolion sy'n wynebu risg. Mae'r briffio hwn yn nodi'r prif "
                  "bwyntiau i ymarferwyr a rheolwyr eu darllen a'u trafod mewn saith munud."),
    "learning_about": ("The review identified learning about: {themes}.",
                       "Nododd yr adolygiad ddysgu am: {themes}."),
    "recs_count": ("It made {n} recommendations.", "Gwnaeth {n} o argymhellion."),
    "full_review": ("The full review: {title} ({id}).", "Yr adolygiad llawn: {title} ({id})."),
    "guidance": ("Working Together to Safeguard People (Welsh Government): the statutory "
                 "guidance for practice reviews.",
                 "Gweithio gyda'n Gilydd i Ddiogelu Pobl (Llywodraeth Cymru): y canllawiau "
                 "statudol ar gyfer adolygiadau ymarfer."),
    "theme_reviews": ("{n} reviews ({span}) have extracts coded to the theme {theme}.",
                      "Mae gan {n} o adolygiadau ({span}) ddyfyniadau wedi'u codio i'r thema "
                      "{theme}."),
    "recurrence_note": ("Recommendations grouped by meaning across the reviews; a group is "
                        "counted once per review.",
                        "Argymhellion wedi'u grwpio yn ôl ystyr ar draws yr adolygiadau; "
                        "caiff grŵp ei gyfrif unwaith ar gyfer pob adolygiad."),
}

# The briefing's sections, in the order a briefing reads.
SECTIONS = ("what_happened", "why_it_matters", "what_we_learned", "good_practice",
            "do_differently", "questions", "further_reading")


def lang_of(lang: str | None) -> str:
    return lang if lang in LANGS else "en"


def word(key: str, lang: str | None = "en") -> str:
    en, cy = WORDS[key]
    return cy if lang_of(lang) == "cy" else en
