"""Does fine-tuning the embedding model (all-MiniLM-L6-v2) on each fold's
training texts lift the whole-document figures of bench/wholedoc_eval.py?

    .venv/bin/python bench/finetune_wholedoc.py --variant base           # the base model, same path
    .venv/bin/python bench/finetune_wholedoc.py --variant mt --epochs 2  # multi-task heads
    .venv/bin/python bench/finetune_wholedoc.py --variant triplet --epochs 1
    .venv/bin/python bench/finetune_wholedoc.py --variant mt --time-only 20  # s/epoch, fold 1
    .venv/bin/python bench/finetune_wholedoc.py --compare base triplet-e1-lr2e-05-f0-L128

Variants: `base` scores the packaged model unchanged (torch fp32) through the
same path as the others; `mt` fine-tunes with two heads on the pooled vector
(BCE on practice, cross-entropy over the 13 codes for practice rows); `triplet`
is SetFit-style, BatchAllTripletLoss with "not practice" as a 14th class.

One report is held out at a time. The fine-tuning texts are exactly
wholedoc_eval.fold_classifier's (the dev set's rows whose source is not the
held-out report, and the other reports' non-heading paragraphs), so the
fine-tuned model never sees the held-out report. On the fine-tuned vectors the
classifier is trained with storfa's own train() and read as `classify` and
auto-coding read a passage (PassageClassifier.read, then the zone priors of
coding.document_model), exactly as wholedoc_eval.py does. Per run: recall at
the first threshold reaching precision 0.70 and 0.80 (as choose_threshold
picks), best F1 over thresholds, average precision of the suggestion
confidence over eligible paragraphs, theme and code accuracy over labelled
practice paragraphs, then wholedoc_eval's full report. `--eval-epochs` scores
after every epoch (over-training diagnostic; the primary number is the last).
`--compare A B` is a paired paragraph bootstrap (300 resamples) of two runs'
saved scores: B - A with 95% intervals. Everything goes to bench/out/finetune/
(<tag>.log, <tag>.json, <tag>.ep<N>.scores.json). Needs ../shared/corpus.

Found (pooled held-out, 4 reports, 1,602 paragraphs, 226 practice):

                         R@P0.70  R@P0.80  best F1   AP    theme  code
    base (torch fp32)     0.558    0.487    0.632   0.703  0.544  0.482
    mt, 2 epochs          0.571    0.504    0.635   0.731  0.544  0.456
    triplet, 1 epoch      0.597    0.513    0.647   0.734  0.535  0.456

Paired bootstrap against base (--compare): AP +0.03 with its interval just
above 0 (mt +0.028 [+0.001, +0.056], triplet +0.031 [+0.007, +0.056]); every
other difference's interval spans 0. Training took 70-90 s per epoch per fold
unloaded on 2 cores. Not shipped: the gains are within noise, code accuracy
went down, and a fine-tuned encoder would need a vector space of its own
(re-embedding every passage, or a second model) while search and the
classifier share one encoder today.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import numpy.typing as npt
import torch

import wholedoc_eval as W
from common import OUT, env_int
from devset import load
from storfa.coding.classifier import PassageClassifier
from storfa.coding.context import read
from storfa.coding.document_model import p_practice
from storfa.coding.training import Example, Settings, train
from storfa.coding.wholedoc import LabelledPassage
from storfa.coding.wholedoc import load as load_wholedoc
from storfa.search.embeddings import DIM, MAX_TOKENS, MODEL_NAME, Progress, clip

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

HERE = OUT / "finetune"
BOOK = W.BOOK
LEAVES = [c.name for c in BOOK.leaves]
SEED = 0
BOOTSTRAP = 300
STATS = ("AP(eligible)", "R@P0.70", "R@P0.80", "theme acc", "code acc")
# The default is 1 thread: measured while another process loaded this 2-core
# machine, a training step ran 10x slower on 2 threads than on 1 (3.3 s against
# 0.33 s). --threads (or FT_THREADS) to measure otherwise.
THREADS = env_int("FT_THREADS", 1)

Docs = dict[str, list[LabelledPassage]]
Log = Callable[[str], None]
OnEpoch = Callable[[int], None]
Vector = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]


class STEmbedder:
    """storfa's Embedder protocol over an in-memory SentenceTransformer."""

    name = MODEL_NAME  # train() and PassageClassifier check the model name
    dim = DIM

    def __init__(self, model: SentenceTransformer, variant: str) -> None:
        self.model, self.variant = model, variant
        self.model.max_seq_length = MAX_TOKENS  # inference as storfa: 256 pieces

    def embed(self, texts: Sequence[str], batch_size: int = 64,
              progress: Progress | None = None) -> npt.NDArray[np.float32]:
        if not len(texts):
            return np.zeros((0, self.dim), dtype=np.float32)
        self.model.eval()
        with torch.inference_mode():
            raw = self.model.encode([clip(t) for t in texts], batch_size=batch_size,
                                    convert_to_numpy=True, normalize_embeddings=True,
                                    show_progress_bar=False)
        out = np.asarray(raw, dtype=np.float32)
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        if progress:
            progress(len(texts))
        return out


def base_model() -> SentenceTransformer:
    """The packaged model on torch, loaded offline as storfa loads it."""
    from storfa.search.embeddings import ReferenceEmbedder

    return ReferenceEmbedder().model


def documents(corpus: Path) -> Docs:
    docs: Docs = defaultdict(list)
    for item in load_wholedoc(corpus):
        docs[item.document].append(item)
    return docs


def fold_examples(held: str, docs: Docs) -> list[Example]:
    """wholedoc_eval.fold_classifier's training texts for the fold without `held`."""
    rows = [r for r in load() if not r.source.endswith(held + ".md")]
    examples = [Example(r.text, r.best_practice, r.code) for r in rows]
    for name, items in docs.items():
        if name != held:
            examples += W.examples_of(items)
    return examples


def code_index(e: Example) -> int:
    return LEAVES.index(BOOK.code(str(e.code)).name) if e.best_practice else -1


# ---------------------------------------------------------------- fine-tuning

class Heads(torch.nn.Module):
    """Practice and code heads on the (normalised) sentence vector."""

    def __init__(self) -> None:
        super().__init__()
        self.scale = torch.nn.Parameter(torch.tensor(10.0))
        self.bp = torch.nn.Linear(DIM, 1)
        self.code = torch.nn.Linear(DIM, len(LEAVES))

    def forward(self, z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        z = z * self.scale
        return self.bp(z).squeeze(-1), self.code(z)


def features(model: SentenceTransformer, texts: list[str]) -> torch.Tensor:
    """Sentence vectors with gradients (mean pooled, then the Normalize module)."""
    out: torch.Tensor = model(model.tokenize(texts))["sentence_embedding"]
    return out


def freeze(model: SentenceTransformer, layers: int) -> None:
    """Freeze the word embeddings and the lowest `layers` transformer layers
    (backward then runs through the top layers only: ~2x cheaper on 2 shared cores)."""
    bert: Any = model[0].auto_model
    for p in bert.embeddings.parameters():
        p.requires_grad = False
    for layer in bert.encoder.layer[:layers]:
        for p in layer.parameters():
            p.requires_grad = False


def schedule(opt: torch.optim.Optimizer, steps: int) -> torch.optim.lr_scheduler.LambdaLR:
    """Linear warm-up over a tenth of the steps, then linear decay to 0."""
    warm = max(1, steps // 10)

    def factor(s: int) -> float:
        return min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / max(1, steps - warm))

    return torch.optim.lr_scheduler.LambdaLR(opt, factor)


def bucketed(texts: Sequence[str], idxs: Sequence[int], batch: int,
             rng: random.Random) -> list[list[int]]:
    """Batches of similar length (less padding), in random order."""
    order = list(idxs)
    rng.shuffle(order)
    chunks = [sorted(order[i:i + batch * 8], key=lambda j: len(texts[j]))
              for i in range(0, len(order), batch * 8)]
    out = [c[i:i + batch] for c in chunks for i in range(0, len(c), batch)]
    rng.shuffle(out)
    return out


def finetune_mt(model: SentenceTransformer, examples: Sequence[Example], epochs: int,
                lr: float, batch: int, log: Log, on_epoch: OnEpoch | None = None,
                code_weight: float = 1.0) -> list[float]:
    """Multi-task: BCE on practice + CE over the 13 codes for practice rows.
    Returns seconds per epoch."""
    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    heads = Heads()
    y_bp = torch.tensor([float(e.best_practice) for e in examples])
    y_code = torch.tensor([code_index(e) for e in examples])
    steps = epochs * ((len(examples) + batch - 1) // batch)
    trainable = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW([{"params": trainable, "lr": lr},
                             {"params": list(heads.parameters()), "lr": 1e-3}],
                            weight_decay=0.01)
    sched = schedule(opt, steps)
    bce, ce = torch.nn.BCEWithLogitsLoss(), torch.nn.CrossEntropyLoss(ignore_index=-1)
    clipped = list(model.parameters()) + list(heads.parameters())
    texts = [e.text for e in examples]
    times: list[float] = []
    for ep in range(epochs):
        model.train()
        heads.train()
        t0, total, n, correct = time.time(), 0.0, 0, 0
        for idx in bucketed(texts, range(len(texts)), batch, rng):
            logit_bp, logit_code = heads(features(model, [texts[j] for j in idx]))
            loss = bce(logit_bp, y_bp[idx])
            if (y_code[idx] >= 0).any():
                loss = loss + code_weight * ce(logit_code, y_code[idx])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(clipped, 1.0)
            opt.step()
            sched.step()
            total += float(loss.detach()) * len(idx)
            n += len(idx)
            correct += int(((logit_bp > 0).float() == y_bp[idx]).sum())
        times.append(time.time() - t0)
        log(f"  epoch {ep + 1}: loss {total / n:.4f} train-acc(bp) {correct / n:.3f} "
            f"{times[-1]:.0f}s")
        if on_epoch:
            on_epoch(ep + 1)
    return times


def finetune_triplet(model: SentenceTransformer, examples: Sequence[Example], epochs: int,
                     lr: float, batch: int, log: Log, on_epoch: OnEpoch | None = None,
                     code_weight: float = 1.0) -> list[float]:
    """SetFit-style: BatchAllTripletLoss with non-practice as a 14th class. Each
    batch is 4 classes x 4 examples (non-practice always one) so triplets exist;
    `batch` sets only the steps per epoch, `code_weight` is unused. Returns
    seconds per epoch."""
    from sentence_transformers.losses import BatchAllTripletLoss

    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    labels = [code_index(e) + 1 for e in examples]  # 0 = not practice
    loss_fn = BatchAllTripletLoss(model)
    texts = [e.text for e in examples]
    by: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        by[label].append(i)
    steps_per = (len(examples) + batch - 1) // batch
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr,
                            weight_decay=0.01)
    sched = schedule(opt, epochs * steps_per)
    times: list[float] = []
    for ep in range(epochs):
        model.train()
        t0, total = time.time(), 0.0
        for _ in range(steps_per):
            pool = [c for c in by if c != 0 and len(by[c]) >= 2]
            classes = [0, *rng.sample(pool, min(3, len(pool)))]  # 3 but in a small sample
            idx = [j for c in classes for j in rng.sample(by[c], min(4, len(by[c])))]
            idx.sort(key=lambda j: len(texts[j]))
            feats = model.tokenize([texts[j] for j in idx])
            loss = loss_fn([feats], torch.tensor([labels[j] for j in idx]))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(list(model.parameters()), 1.0)
            opt.step()
            sched.step()
            total += float(loss.detach())
        times.append(time.time() - t0)
        log(f"  epoch {ep + 1}: triplet loss {total / steps_per:.4f} {times[-1]:.0f}s")
        if on_epoch:
            on_epoch(ep + 1)
    return times


FINETUNE = {"mt": finetune_mt, "triplet": finetune_triplet}


# ---------------------------------------------------------------- evaluation

def evaluate_fold(model: SentenceTransformer, variant: str, held: str, docs: Docs,
                  examples: Sequence[Example]) -> tuple[W.Scored, float]:
    """wholedoc_eval's fold on `model`'s vectors: classifier trained on `examples`,
    then the held-out report scored. Returns the scores and seconds taken."""
    embedder = STEmbedder(model, variant)
    t0 = time.time()
    emb = embedder.embed([e.text for e in examples])
    weights = train(BOOK, examples, embedder, Settings(), emb)
    clf = PassageClassifier(BOOK, embedder, weights, weights)
    return W.score(held, docs[held], clf, embedder), time.time() - t0


def r_at(p: Vector, gold: Mask, eligible: Mask, aim: float) -> float:
    """Recall at the first threshold whose precision reaches `aim` (as choose_threshold)."""
    for t in np.arange(0.30, 0.96, 0.01):
        sug = eligible & (p >= t)
        tp = int((sug & gold).sum())
        if tp / max(1, int(sug.sum())) >= aim:
            return tp / max(1, int(gold.sum()))
    return 0.0


def average_precision(p: Vector, gold: Mask, eligible: Mask) -> float:
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(gold[eligible], p[eligible]))


def summarise(scored: Sequence[W.Scored]) -> dict[str, object]:
    """Pooled held-out figures of one run (sets each document's p_doc)."""
    for s in scored:
        s.p_doc = p_practice(s.p_text, s.readings)
    gold = np.concatenate([s.gold for s in scored])
    curve = []
    for t in np.arange(0.30, 0.96, 0.01):
        sug = np.concatenate([W.suggestions(s, float(t)) for s in scored])
        curve.append((round(float(t), 2), *W.prf(sug, gold)))
    out: dict[str, object] = {}
    for aim in (0.70, 0.80):
        first = next((c for c in curve if c[1] >= aim), None)  # as choose_threshold
        out[f"R@P{aim:.2f}"] = round(first[2], 3) if first else 0.0
        out[f"t@P{aim:.2f}"] = first[0] if first else None
        out[f"maxR@P{aim:.2f}"] = round(max([c[2] for c in curve if c[1] >= aim], default=0), 3)
    best = max(curve, key=lambda c: c[3])
    out["bestF1"], out["bestF1_t"] = round(best[3], 3), best[0]
    p_doc = np.concatenate([s.p_doc for s in scored if s.p_doc is not None])
    out["AP"] = round(average_precision(p_doc, gold, np.concatenate([s.eligible
                                                                      for s in scored])), 3)
    themes: list[bool] = []
    codes: list[bool] = []
    per: dict[str, float] = {}
    for s in scored:
        pos = [n for n, g in enumerate(s.gold) if g]
        theme_ok = [s.themes[n] == W._theme(s.items[n]) for n in pos]
        themes += theme_ok
        codes += [s.codes[n] == s.items[n].label.code for n in pos]
        per[s.name[:12]] = round(float(np.mean(theme_ok)), 3)
    out["theme"], out["code"] = round(float(np.mean(themes)), 3), round(float(np.mean(codes)), 3)
    out["theme_per_doc"] = per
    # text-only classify F1 at 0.5 (no zone priors)
    cls = np.concatenate([(s.p_text >= 0.5) & np.array([i.passage.kind != "heading"
                                                         for i in s.items]) for s in scored])
    out["classify_F1@0.5"] = round(W.prf(cls, gold)[2], 3)
    return out


def save_scores(path: Path, tag: str, epoch: int, scored: Sequence[W.Scored]) -> None:
    path.write_text(json.dumps({"tag": tag, "epoch": epoch, "documents": [
        {"name": s.name, "p_text": [float(x) for x in s.p_text], "codes": s.codes,
         "themes": s.themes} for s in scored]}))


# ---------------------------------------------------------------- paired comparison

def scores_file(name: str) -> Path:
    """A run's saved scores: a path, TAG.epN, or TAG (its last epoch)."""
    if Path(name).is_file():
        return Path(name)
    if (HERE / f"{name}.scores.json").is_file():
        return HERE / f"{name}.scores.json"
    found = sorted(HERE.glob(f"{name}.ep*.scores.json"),
                   key=lambda p: int(p.name[len(name) + 3:].split(".")[0]))
    if not found:
        sys.exit(f"no saved scores for {name!r} under {HERE}")
    return found[-1]


def arrays(path: Path, docs: Docs) -> tuple[list[str], list[npt.NDArray[Any]]]:
    """Document names and pooled p_doc, gold, eligible, theme-right, code-right."""
    rows = json.loads(path.read_text())["documents"]
    columns: list[list[npt.NDArray[Any]]] = [[], [], [], [], []]
    for row in rows:
        items = docs[row["name"]]
        p_text = np.array(row["p_text"], dtype=np.float64)
        assert len(p_text) == len(items), f"{path}: {row['name']} does not match the corpus"
        s = W.Scored(row["name"], items, read([i.passage for i in items]), p_text,
                     row["codes"], row["themes"])
        gold = s.gold
        for column, value in zip(columns, (
                p_practice(p_text, s.readings), gold, s.eligible,
                np.array([g and t == W._theme(i) for g, t, i in zip(gold, s.themes, items,
                                                                    strict=True)]),
                np.array([g and c == i.label.code for g, c, i in zip(gold, s.codes, items,
                                                                    strict=True)])),
                                 strict=True):
            column.append(value)
    return [r["name"] for r in rows], [np.concatenate(c) for c in columns]


def stats(p: Vector, gold: Mask, eligible: Mask, theme: Mask, code: Mask,
          ) -> npt.NDArray[np.float64]:
    return np.array([average_precision(p, gold, eligible), r_at(p, gold, eligible, 0.70),
                     r_at(p, gold, eligible, 0.80), theme[gold].mean(), code[gold].mean()])


def compare(a_name: str, b_name: str, corpus: Path) -> None:
    """Paired paragraph bootstrap of B - A over two runs' held-out scores."""
    docs = documents(corpus)
    a_path, b_path = scores_file(a_name), scores_file(b_name)
    a_docs, a = arrays(a_path, docs)
    b_docs, b = arrays(b_path, docs)
    if a_docs != b_docs:
        sys.exit(f"{a_path} and {b_path} hold different documents")
    sa, sb = stats(*a), stats(*b)
    rng = np.random.default_rng(SEED)
    n = len(a[0])
    deltas = []
    for _ in range(BOOTSTRAP):
        i = rng.integers(0, n, n)
        deltas.append(stats(*[x[i] for x in b]) - stats(*[x[i] for x in a]))
    lo, hi = np.percentile(np.array(deltas), [2.5, 97.5], axis=0)
    print(f"A = {a_path.name}\nB = {b_path.name}\n{n} paragraphs, {int(a[1].sum())} practice; "
          f"{BOOTSTRAP} paired paragraph resamples")
    print(f"{'':13} {'A':>6} {'B':>6} {'B - A':>7}  95% interval")
    for k, name in enumerate(STATS):
        print(f"{name:13} {sa[k]:6.3f} {sb[k]:6.3f} {sb[k] - sa[k]:+7.3f}  "
              f"[{lo[k]:+.3f}, {hi[k]:+.3f}]")


# ---------------------------------------------------------------- runs

def time_only(base: SentenceTransformer, args: argparse.Namespace, docs: Docs,
              log: Log) -> None:
    """Fine-tune `--time-only` batches on fold 1; extrapolate seconds per epoch."""
    examples = fold_examples(next(iter(docs)), docs)
    model = copy.deepcopy(base)
    model.max_seq_length = args.train_len
    if args.freeze:
        freeze(model, args.freeze)
    sub = random.Random(SEED).sample(examples, min(len(examples),
                                                   args.time_only * args.batch))
    seconds = FINETUNE[args.variant](model, sub, 1, args.lr, args.batch, log=log,
                                     code_weight=args.code_weight)[0]
    log(f"timing: {len(sub)} examples {seconds:.1f}s -> "
        f"{seconds / len(sub) * len(examples):.0f}s per epoch of {len(examples)} examples")


def run_fold(base: SentenceTransformer, args: argparse.Namespace, tag: str, held: str,
             docs: Docs, examples: list[Example], scored: dict[int, list[W.Scored]],
             log: Log) -> float:
    """Fine-tune a copy of `base` without `held` and score it; returns training seconds."""
    model = copy.deepcopy(base)
    model.max_seq_length = args.train_len
    if args.freeze:
        freeze(model, args.freeze)

    def on_epoch(epoch: int) -> None:
        if args.eval_epochs or epoch == args.epochs:
            s, seconds = evaluate_fold(model, f"{tag}-{held}", held, docs, examples)
            model.max_seq_length = args.train_len  # STEmbedder set it for inference
            scored[epoch].append(s)
            log(f"  eval after epoch {epoch}: {seconds:.0f}s")

    times = FINETUNE[args.variant](model, examples, args.epochs, args.lr, args.batch,
                                   log=log, on_epoch=on_epoch, code_weight=args.code_weight)
    return sum(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variant", choices=("base", *FINETUNE), default="mt")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--lr", type=float, default=2e-5, help="encoder learning rate")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--code-weight", type=float, default=1.0, help="mt: weight of the code loss")
    ap.add_argument("--train-len", type=int, default=128,
                    help="word pieces per text while training (inference uses 256)")
    ap.add_argument("--freeze", type=int, default=0,
                    help="freeze the word embeddings and the N lowest layers")
    ap.add_argument("--eval-epochs", action="store_true", help="score after every epoch")
    ap.add_argument("--time-only", type=int, default=0, metavar="BATCHES",
                    help="fine-tune this many batches on fold 1, report seconds per epoch")
    ap.add_argument("--threads", type=int, default=THREADS,
                    help="torch threads (default FT_THREADS or 1: see THREADS)")
    ap.add_argument("--tag", default=None, help="name of the run's outputs")
    ap.add_argument("--compare", nargs=2, metavar=("A", "B"),
                    help="paired bootstrap of two saved runs (TAG, TAG.epN or a path)")
    ap.add_argument("--corpus", type=Path, default=W.CORPUS)
    args = ap.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"no corpus at {args.corpus}")
    if args.compare:
        compare(args.compare[0], args.compare[1], args.corpus)
        return
    if args.variant == "base" and args.time_only:
        sys.exit("--time-only times fine-tuning: choose --variant mt or triplet")
    torch.set_num_threads(args.threads)
    tag = args.tag or (args.variant if args.variant == "base"
                       else f"{args.variant}-e{args.epochs}-lr{args.lr:g}-f{args.freeze}"
                            f"-L{args.train_len}")
    HERE.mkdir(parents=True, exist_ok=True)
    with open(HERE / f"{tag}.log", "a") as logf:
        def log(msg: str) -> None:
            print(msg, flush=True)
            logf.write(msg + "\n")
            logf.flush()

        run(args, tag, log)


def run(args: argparse.Namespace, tag: str, log: Log) -> None:
    docs = documents(args.corpus)
    base = base_model()
    log(f"== {tag} {vars(args)}")
    if args.time_only:
        time_only(base, args, docs, log)
        return

    scored: dict[int, list[W.Scored]] = defaultdict(list)
    fold_secs: list[float] = []
    for held in docs:
        examples = fold_examples(held, docs)
        held_texts = {" ".join(i.passage.text.split()) for i in docs[held]}
        overlap = sum(" ".join(e.text.split()) in held_texts for e in examples)
        log(f"fold: held {held}; {len(examples)} training texts, "
            f"{sum(e.best_practice for e in examples)} practice; "
            f"{overlap} identical to a held-out paragraph")
        if args.variant == "base":
            s, seconds = evaluate_fold(base, "base-torch", held, docs, examples)
            scored[0].append(s)
            log(f"  eval {seconds:.0f}s")
        else:
            fold_secs.append(run_fold(base, args, tag, held, docs, examples, scored, log))

    results = {}
    for epoch, runs in sorted(scored.items()):
        r = summarise(runs)
        r["train_s_per_fold"] = round(float(np.mean(fold_secs)), 1) if fold_secs else 0.0
        results[f"epoch{epoch}"] = r
        log(f"RESULT {tag} epoch {epoch}: {json.dumps(r)}")
        save_scores(HERE / f"{tag}.ep{epoch}.scores.json", tag, epoch, runs)
    (HERE / f"{tag}.json").write_text(json.dumps(results, indent=1))
    last = max(scored)
    print(f"\n--- full report ({tag}, epoch {last}) ---")
    for s in scored[last]:
        s.p_doc = p_practice(s.p_text, s.readings)
    W.report(scored[last], W.choose_threshold(scored[last]), 0.5)


if __name__ == "__main__":
    main()
