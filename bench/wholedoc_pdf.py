"""Whole-document figures through the PDF path, beside the Markdown ones.

The held-back review documents storfa is judged on will most likely come as
PDFs, while the four labelled corpus reports are Markdown, so the figures of
bench/wholedoc_eval.py and bench/recommendations_real.py say what a user
pasting Markdown meets, not one uploading a PDF. This bench lays each
labelled report's own passages out as a published PDF
(storfa.synthetic.publish), reads it back through storfa's PDF path and
carries the labels over by word alignment (bench/real_as_pdf.py's):

- a PDF passage holding words of a labelled practice passage is practice,
  with that passage's code (the one it holds most words of, if several);
- else recommendation if it holds words of a recommendation passage;
- else other (a PDF passage holding no source words, a leaked running
  header say, is other too).

Then the same held-out classifiers (one per report, trained without it on the
Markdown labels and the extract dev set, as bench/wholedoc_eval.py trains
them) read the Markdown and every PDF, and it prints side by side, per report
and pooled: auto-coding P/R at the shipped default threshold, classify
P/R/F1 with the paragraphs given as lines, theme and sub-theme (code)
accuracy over the practice paragraphs, and recommendation P/R; then the
source paragraphs whose outcome differs most between Markdown and PDF, with
what changed on the way (split, merged, heading lost, zone changed).

    .venv/bin/python bench/wholedoc_pdf.py [--layout word two-column ...]
                                           [--keep DIR] [--show N]

With --keep, DIR/<layout>/corpus/<report>.pdf and DIR/<layout>/labels/<report>.tsv
stay behind, for e.g. `bench/recommendations_real.py --corpus DIR/word/corpus
--labels DIR/word/labels`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from real_as_pdf import place, words
from recommendations_real import Score, covered_seqs, score_document
from storfa.coding.context import Reading
from storfa.coding.document_model import load_document_model, p_practice
from storfa.coding.document_reading import set_aside
from storfa.coding.wholedoc import (
    LABELS,
    OTHER,
    PRACTICE,
    RECOMMENDATION,
    Label,
    LabelledPassage,
    join,
    passage_key,
    read_document,
    read_labels,
    write_labels,
)
from storfa.domain.reviews import Passage
from storfa.recommendations.extract import extract
from storfa.search.embeddings import default_embedder
from storfa.synthetic.publish import MARKER, STYLES, render_report_pdf
from wholedoc_eval import BOOK, CORPUS, Scored, _mean, _theme, fold_classifier, prf, score

MARKDOWN = "markdown"
# Large enough that no passage is set aside for ending past the text, as
# bench/wholedoc_eval.py reads its eligible passages.
NO_LIMIT = 10**9


@dataclass
class Document:
    """One report as one source (the Markdown or a PDF layout) gives it."""

    name: str
    source: str  # MARKDOWN or a layout
    passages: list[Passage]
    items: list[LabelledPassage]
    scored: Scored | None = None
    reasons: list[str | None] = field(default_factory=list)  # why set aside, per item
    rec_covered: set[int] = field(default_factory=set)  # passage seqs extract covers
    rec: Score | None = None


@dataclass
class Alignment:
    """Where each source passage's words went in the read-back passages."""

    # Per source passage: read-back passage index -> how many of its words it holds.
    holders: list[Counter[int]]
    lost: list[int]  # source passages with words, placed nowhere
    overlapped: set[int]  # source passages placed by word overlap (`_fill_gaps`)

    def sources_of(self, n_back: int) -> list[Counter[int]]:
        """Per read-back passage: source passage index -> words of it held."""
        out: list[Counter[int]] = [Counter() for _ in range(n_back)]
        for s, held in enumerate(self.holders):
            for b, n in held.items():
                out[b][s] += n
        return out


def align(source: Sequence[Passage], back: Sequence[Passage], numbered: bool) -> Alignment:
    """Where each source passage went (real_as_pdf.place, whose counts
    real_as_pdf.compare prints), with the passages it could not place as one
    run given the read-back passages made mostly of their words."""
    placed = place(source, back, numbered)
    overlapped = _fill_gaps(source, placed.back_texts, placed.holders, placed.lost)
    return Alignment(placed.holders, [s for s in placed.lost if s not in overlapped],
                     overlapped)


# The share of a read-back passage's words that must be a lost source
# passage's for it to be counted that passage's (a gap's fill).
GAP_OVERLAP = 0.6


def _fill_gaps(source: Sequence[Passage], back_texts: Sequence[str],
               holders: list[Counter[int]], lost: Sequence[int]) -> set[int]:
    """Source passages `_find` could not place as one run (a table whose
    wrapped cells the PDF interleaves line by line, a word read differently)
    still went somewhere: the read-back passages holding no placed words,
    lying between the placed passages on either side, are given to the lost
    passage there whose words they are mostly made of. Without this a
    practice table cell read back as twenty row fragments would carry `other`
    to all of them. Returns the source passages so placed."""
    owner: dict[int, int] = {}
    for s, held in enumerate(holders):
        for b in held:
            owner.setdefault(b, s)
    placed = sorted(owner)
    lost_words = {s: Counter(words(source[s].text)) for s in lost}
    found: set[int] = set()
    for b, text in enumerate(back_texts):
        w = words(text)
        if b in owner or not w:
            continue
        before = max((owner[x] for x in placed if x < b), default=-1)
        after = min((owner[x] for x in placed if x > b), default=len(source))
        best, share = None, 0.0
        for s in lost:
            if before < s < after:
                got = sum((Counter(w) & lost_words[s]).values()) / len(w)
                if got > share:
                    best, share = s, got
        if best is not None and share >= GAP_OVERLAP:
            holders[best][b] += len(w)
            found.add(best)
    return found


@dataclass
class Carried:
    """A PDF's passages with the labels carried over, and how they were."""

    back: list[Passage]
    labels: list[Label]
    alignment: Alignment
    routes: Counter[str]
    # Per source label kind: passages, split, merged, lost.
    fates: dict[str, Counter[str]]


def carry(source_items: Sequence[LabelledPassage], back: Sequence[Passage],
          alignment: Alignment) -> Carried:
    source_labels = [i.label for i in source_items]
    sources_of = alignment.sources_of(len(back))
    labels: list[Label] = []
    routes: Counter[str] = Counter()
    for b, held in enumerate(sources_of):
        practice = [(n, s) for s, n in held.items() if source_labels[s].label == PRACTICE]
        if practice:
            s = max(practice)[1]
            label, code = PRACTICE, source_labels[s].code
            kinds = [PRACTICE]
        elif any(source_labels[s].label == RECOMMENDATION for s in held):
            label, code = RECOMMENDATION, None
            kinds = [RECOMMENDATION]
        else:
            label, code = OTHER, None
            kinds = [OTHER]
        if not held:
            how = "no source words"
        elif any(s in alignment.overlapped for s in held):
            how = "placed by word overlap"
        elif len(held) > 1:
            mixed = {source_labels[s].label for s in held} - set(kinds)
            how = "merged" + (f" (with {'/'.join(sorted(mixed))})" if mixed else "")
        elif len(alignment.holders[next(iter(held))]) > 1:
            how = "part of a split"
        else:
            how = "one source passage"
        routes[f"{label}: {how}"] += 1
        labels.append(Label(back[b].seq, passage_key(back[b].text), label, code))
    fates: dict[str, Counter[str]] = {k: Counter() for k in (PRACTICE, RECOMMENDATION)}
    lost = set(alignment.lost)
    for s, lab in enumerate(source_labels):
        if lab.label not in fates:
            continue
        fate = fates[lab.label]
        fate["passages"] += 1
        held_by = alignment.holders[s]
        fate["lost"] += s in lost
        fate["overlap"] += s in alignment.overlapped
        fate["split"] += len(held_by) > 1
        fate["merged"] += any(len(sources_of[b]) > 1 for b in held_by)
    return Carried(list(back), labels, alignment, routes, fates)


def read_markdown(path: Path, labels_dir: Path) -> Document:
    passages = read_document(path)
    items = join(path.stem, passages, read_labels(labels_dir / f"{path.stem}.tsv"))
    # The alignment indexes passages and their labels alike, so every passage
    # must be labelled, in order (as data/wholedoc's are).
    if [i.passage.seq for i in items] != [p.seq for p in passages]:
        sys.exit(f"{path.stem}: the labels do not cover every passage in order")
    return Document(path.stem, MARKDOWN, passages, items)


LEVELS = "+levels"  # headings sized by depth (storfa.synthetic.publish.LEVELS_CSS)


def as_pdf(md: Document, source: str, out: Path) -> tuple[Document, Carried]:
    """Render, read back, carry labels, write them; the document as the
    benches would load it from `out/<source>/{corpus,labels}`."""
    corpus, labels_dir = out / source / "corpus", out / source / "labels"
    corpus.mkdir(parents=True, exist_ok=True)
    labels_dir.mkdir(parents=True, exist_ok=True)
    layout = source.removesuffix(LEVELS)
    pdf = render_report_pdf(md.passages, layout, corpus / f"{md.name}.pdf",
                            levels=source.endswith(LEVELS))
    back = read_document(pdf)
    carried = carry(md.items, back, align(md.passages, back, layout.startswith("numbered")))
    tsv = labels_dir / f"{md.name}.tsv"
    write_labels(tsv, back, carried.labels)
    # Through the file and the benches' own join, as they would read it.
    items = join(md.name, back, read_labels(tsv))
    return Document(md.name, source, back, items), carried


def evaluate(doc: Document, scored: Scored) -> None:
    scored.p_doc = p_practice(scored.p_text, scored.readings)
    doc.scored = scored
    doc.reasons = set_aside([i.passage for i in doc.items], scored.readings, NO_LIMIT,
                            best_practice=True)
    doc.rec_covered = covered_seqs(extract(doc.passages))
    doc.rec = score_document(doc.name, doc.passages, doc.items)


@dataclass
class Figures:
    """Per-paragraph outcomes of one document, pooled by concatenation."""

    gold: npt.NDArray[np.bool_]
    sug: npt.NDArray[np.bool_]
    lines: npt.NDArray[np.bool_]
    theme_ok: npt.NDArray[np.bool_]
    code_ok: npt.NDArray[np.bool_]
    rec: Score
    # Per labelled practice paragraph of the Markdown: suggested in this
    # source (from a PDF, any passage holding its words suggested). A PDF
    # passage count inflates when a paragraph comes back in pieces, each
    # piece a practice passage to find; this counts the reader's paragraphs.
    src_found: npt.NDArray[np.bool_]

    @staticmethod
    def pool(parts: Sequence[Figures]) -> Figures:
        rec = Score("overall")
        for p in parts:
            rec.add(p.rec)
        return Figures(np.concatenate([p.gold for p in parts]),
                       np.concatenate([p.sug for p in parts]),
                       np.concatenate([p.lines for p in parts]),
                       np.concatenate([p.theme_ok for p in parts]),
                       np.concatenate([p.code_ok for p in parts]), rec,
                       np.concatenate([p.src_found for p in parts]))


def suggested(doc: Document, threshold: float) -> npt.NDArray[np.bool_]:
    """wholedoc_eval.suggestions: eligible passages at or above the threshold."""
    s = doc.scored
    assert s is not None and s.p_doc is not None
    out: npt.NDArray[np.bool_] = np.array([r is None for r in doc.reasons]) & (
        s.p_doc >= threshold)
    return out


def figures(doc: Document, threshold: float, md: Document,
            carried: Carried | None) -> Figures:
    """As wholedoc_eval.report figures a document: theme and code over every
    labelled practice passage (the classifier's code for it, suggested or
    not). `md` and `carried` (None for the Markdown itself) map the
    suggestions back to the Markdown's practice paragraphs."""
    s = doc.scored
    assert s is not None and s.stream is not None and doc.rec
    gold = s.gold
    sug = suggested(doc, threshold)
    positives = [n for n, g in enumerate(gold) if g]
    practice = [n for n, i in enumerate(md.items) if i.label.practice]
    if carried is None:
        src_found = sug[practice]
    else:
        src_found = np.array([any(sug[b] for b in carried.alignment.holders[n])
                              for n in practice], dtype=bool)
    return Figures(gold, sug, s.stream,
                   np.array([s.themes[n] == _theme(s.items[n]) for n in positives]),
                   np.array([s.codes[n] == s.items[n].label.code for n in positives]),
                   doc.rec, src_found)


def line(name: str, source: str, f: Figures) -> str:
    ap, ar, _ = prf(f.sug, f.gold)
    lp, lr, lf = prf(f.lines, f.gold)
    return (f"{name[:34]:34} {source:17} {len(f.gold):5} {int(f.gold.sum()):5} | "
            f"{ap:.2f}/{ar:.2f} {int(f.sug.sum()):4} {_mean(f.src_found):5.2f} | "
            f"{lp:.2f}/{lr:.2f}/{lf:.2f} | "
            f"{_mean(f.theme_ok):5.2f} {_mean(f.code_ok):5.2f} | "
            f"{f.rec.true:4} {f.rec.precision:.2f}/{f.rec.recall:.2f}")


def table(docs: dict[str, dict[str, Document]], carried: dict[tuple[str, str], Carried],
          sources: Sequence[str], threshold: float) -> None:
    print(f"\nheld out per report; auto-coding at the shipped default threshold "
          f"{threshold:.2f}; 'lines' is `storfa classify` given the paragraphs in order;\n"
          "'R md' the share of the Markdown's practice paragraphs suggested (any piece)")
    head = (f"{'report':34} {'source':17} {'paras':>5} {'pract':>5} | {'auto P/R':9} "
            f"{'sugg':>4} {'R md':>5} | {'lines P/R/F1':14} | {'theme':>5} {'code':>5} | "
            f"{'recs':>4} {'rec P/R':9}")
    print(head)
    print("-" * len(head))
    pooled: dict[str, list[Figures]] = {src: [] for src in sources}
    for name, by_source in docs.items():
        for src in sources:
            md = by_source[MARKDOWN]
            f = figures(by_source[src], threshold, md,
                        None if src == MARKDOWN else carried[name, src])
            pooled[src].append(f)
            print(line(name if src == MARKDOWN else "", src, f))
    print("-" * len(head))
    for src in sources:
        print(line("ALL (pooled)" if src == MARKDOWN else "", src, Figures.pool(pooled[src])))


@dataclass
class Difference:
    weight: float
    text: str


def _yn(flag: bool) -> str:
    return "Y" if flag else "n"


def differences(md: Document, pdf: Document, carried: Carried,
                threshold: float) -> list[Difference]:
    """Each labelled source paragraph's outcomes from Markdown against those of
    the PDF passages its words went to (any of them suggested/classified/covered
    counts; the probability, theme, zone and section are the holder of most of
    its words), weighted by what changed."""
    ms, ps = md.scored, pdf.scored
    assert ms is not None and ms.p_doc is not None and ms.stream is not None
    assert ps is not None and ps.p_doc is not None and ps.stream is not None
    m_sug, p_sug = suggested(md, threshold), suggested(pdf, threshold)
    # carry() wrote one label per read-back passage, in order, and join keeps
    # that order; the scored items are the same list.
    sources_of = carried.alignment.sources_of(len(carried.back))
    out: list[Difference] = []
    for s, item in enumerate(md.items):
        held = carried.alignment.holders[s]
        if item.passage.kind == "heading" and not held:
            continue
        main = held.most_common(1)[0][0] if held else None
        label = item.label.label
        m = (bool(m_sug[s]), bool(ms.stream[s]), item.passage.seq in md.rec_covered)
        if main is None:
            p: tuple[bool, bool, bool] = (False, False, False)
        else:
            p = (any(p_sug[b] for b in held), any(ps.stream[b] for b in held),
                 any(pdf.items[b].passage.seq in pdf.rec_covered for b in held))
        p_md = float(ms.p_doc[s])
        p_pdf = float(ps.p_doc[main]) if main is not None else 0.0
        theme_md = ms.themes[s]
        theme_pdf = ps.themes[main] if main is not None else None
        # What a wrong outcome costs: a practice paragraph's suggestion is the
        # headline figure, a recommendation's coverage the register's.
        weight = (2.0 * (m[0] != p[0]) + (m[1] != p[1])
                  + (2.0 if label == RECOMMENDATION else 1.0) * (m[2] != p[2])
                  + 0.5 * (label == PRACTICE and theme_md != theme_pdf)
                  + abs(p_md - p_pdf))
        if weight < 0.05:
            continue
        changed = [f"auto {_yn(m[0])}>{_yn(p[0])} p {p_md:.2f}>{p_pdf:.2f}"]
        if m[1] != p[1]:
            changed.append(f"lines {_yn(m[1])}>{_yn(p[1])}")
        if m[2] != p[2]:
            changed.append(f"rec {_yn(m[2])}>{_yn(p[2])}")
        if label == PRACTICE and theme_md != theme_pdf:
            changed.append(f"theme {theme_md}>{theme_pdf}")
        why = _why(s, md, pdf, carried, sources_of, main)
        out.append(Difference(weight, (
            f"[{label[:5]}] {md.name[:20]} seq {item.passage.seq}: {'; '.join(changed)}\n"
            f"      why: {why}\n"
            f"      {' '.join(item.passage.text.split())[:110]}")))
    return out


def _why(s: int, md: Document, pdf: Document, carried: Carried,
         sources_of: Sequence[Counter[int]], main: int | None) -> str:
    """What changed about the paragraph between the two readings, as facts."""
    if main is None:
        return "lost: its words were not found in the PDF"
    src, back = md.items[s].passage, pdf.items[main].passage
    held = carried.alignment.holders[s]
    facts = []
    if len(held) > 1:
        facts.append(f"split in {len(held)}")
    mates = [t for t in sources_of[main] if t != s]
    if mates:
        kinds = Counter(md.items[t].passage.kind for t in mates)
        facts.append("merged with " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
    if src.kind != back.kind:
        facts.append(f"kind {src.kind}>{back.kind}")
    ms, ps = md.scored, pdf.scored
    assert ms is not None and ps is not None
    zone_md, zone_pdf = _zone(ms.readings[s]), _zone(ps.readings[main])
    if src.section != back.section:
        if _last(src.section) == _last(back.section):
            outer = src.section.split(" > ")[0][:30]
            facts.append(f"outer heading lost ('{outer}' > …, {src.section.count(' > ') + 1} "
                         f"levels > {back.section.count(' > ') + 1})")
        else:
            facts.append(f"heading '{_last(src.section)}'>'{_last(back.section)}'")
    if zone_md != zone_pdf:
        facts.append(f"zone {zone_md}>{zone_pdf}")
    if md.reasons[s] != pdf.reasons[main]:
        facts.append(f"set aside {md.reasons[s]}>{pdf.reasons[main]}")
    if not facts:
        if words(src.text) == words(back.text):
            facts.append("same passage, zone and heading; neighbours differ (as lines)")
        elif words(MARKER.sub("", src.text)) == words(back.text):
            facts.append(f"list marker '{src.text.split()[0]}' read as the list's, "
                         "left out of the text")
        else:
            facts.append("text changed in reading")
    return "; ".join(facts)


def _zone(r: Reading) -> str:
    return r.zone or "-"


def _last(section: str) -> str:
    return section.split(" > ")[-1][:40] if section else ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--layout", nargs="+", choices=sorted(STYLES),
                    default=["word", "two-column"])
    ap.add_argument("--levels", action="store_true",
                    help=f"also each layout with headings sized by level ('<layout>{LEVELS}')")
    ap.add_argument("--keep", type=Path, help="write the PDFs and their labels here")
    ap.add_argument("--show", type=int, default=10, metavar="N",
                    help="the N paragraphs that differ most (per layout)")
    args = ap.parse_args()
    reports = [p for p in sorted(args.corpus.glob("*.md"))
               if (args.labels / f"{p.stem}.tsv").exists()]
    if not reports:
        sys.exit(f"no labelled reports: need {args.corpus}/*.md and {args.labels}/*.tsv")
    model = load_document_model(BOOK.name)
    threshold = model.threshold if model else 0.5
    layouts = [*args.layout, *(f"{lay}{LEVELS}" for lay in args.layout if args.levels)]
    sources = [MARKDOWN, *layouts]
    with tempfile.TemporaryDirectory() as td:
        out = args.keep or Path(td)
        docs: dict[str, dict[str, Document]] = {}
        carried: dict[tuple[str, str], Carried] = {}
        t0 = time.perf_counter()
        for path in reports:
            md = read_markdown(path, args.labels)
            docs[md.name] = {MARKDOWN: md}
            for layout in layouts:
                docs[md.name][layout], carried[md.name, layout] = as_pdf(md, layout, out)
        print(f"rendered and read back {len(reports)} reports x {len(layouts)} layouts "
              f"in {time.perf_counter() - t0:.0f} s (in {out})", file=sys.stderr)
        print_carry(docs, carried, layouts)

        embedder = default_embedder()
        md_docs = {name: d[MARKDOWN].items for name, d in docs.items()}
        for name, by_source in docs.items():
            print(f"training without {name} …", file=sys.stderr)
            # Trained on the Markdown labels of the other reports, as the
            # shipped classifier is; the same classifier reads every source.
            clf = fold_classifier(BOOK, embedder, name, md_docs)
            for doc in by_source.values():
                evaluate(doc, score(name, doc.items, clf, embedder))
    table(docs, carried, sources, threshold)
    for layout in layouts:
        diffs = [d for name, by_source in docs.items()
                 for d in differences(by_source[MARKDOWN], by_source[layout],
                                      carried[name, layout], threshold)]
        diffs.sort(key=lambda d: -d.weight)
        print(f"\n{layout}: the {args.show} paragraphs whose outcome differs most "
              f"(Markdown>PDF; of {len(diffs)} that differ at all)")
        for d in diffs[:args.show]:
            print(f"  {d.weight:4.2f} {d.text}")


def print_carry(docs: dict[str, dict[str, Document]], carried: dict[tuple[str, str], Carried],
                layouts: Sequence[str]) -> None:
    """How the labels came over: the PDF passages by route, and what became of
    the labelled practice and recommendation passages."""
    for layout in layouts:
        routes: Counter[str] = Counter()
        print(f"\nlabels carried to the {layout} PDFs")
        print(f"{'report':44} {'passages md>pdf':>15} | "
              f"{'practice n split merged overlap lost':>36} | "
              f"{'recommendation n split merged overlap lost':>42}")
        for name in docs:
            c = carried[name, layout]
            routes.update(c.routes)
            fp, fr = c.fates[PRACTICE], c.fates[RECOMMENDATION]
            print(f"{name:44} {len(docs[name][MARKDOWN].items):7}>{len(c.back):<7} | "
                  f"{fp['passages']:13} {fp['split']:5} {fp['merged']:6} {fp['overlap']:7} "
                  f"{fp['lost']:4} | {fr['passages']:19} {fr['split']:5} {fr['merged']:6} "
                  f"{fr['overlap']:7} {fr['lost']:4}")
        print("  PDF passages by route (all reports):")
        for route, n in sorted(routes.items()):
            print(f"    {n:5}  {route}")


if __name__ == "__main__":
    main()
