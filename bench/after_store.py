"""What the after-store steps of `storfa ingest` cost (ingest/after_store.py),
step by step, on generated text PDFs (embeddings off, as `--no-embed`).

    .venv/bin/python bench/after_store.py [--reviews 150] [--pages 20] [--repeat 3]
    .venv/bin/python bench/after_store.py --profile recommendations
    .venv/bin/python bench/after_store.py --save-reference      # before a change
    .venv/bin/python bench/after_store.py --ingest 3             # + end-to-end wall clock

The corpus is ingested once into bench/out/after-store-NxP/stored with
`app.ingest.ingest` (what `storfa ingest` does before its after-store steps),
so that store holds reviews stored and indexed, never extracted. Each run
copies it to a work folder and times, in one fresh app:

  recommendations  the step as ingest runs it (extract, code themes, audit)
                   on every review, the first time;
  themes           coding every review's recommendations to themes again
                   (a part of the step above, timed alone);
  embedder load    loading the sentence model (once per process);
  recurrence       regrouping with no vectors and no grouping stored, as
                   after a first ingest;
  recommendations again / recurrence again: the idempotent re-runs
                   (`storfa recommendations extract --pending` and a
                   correction's regroup) on the extracted store.

Every run dumps what the steps leave (the register's rows with numbers, text,
themes; the theme suggestions; the grouping; the stored topic vectors) and
compares it with the reference that --save-reference wrote (to
bench/out/after-store-NxP/reference.json),
so a change that makes a step cheaper is checked to leave the same register.
--repeat N runs the timed part N times, each in a fresh process on a fresh
copy, and prints the best of each step (the machine is shared; CPU seconds
are printed beside wall seconds).
With --ingest N, also times `storfa ingest --no-embed` of the corpus N times
from a fresh process into an empty store: wall clock (the figure
bench/peers.py gives) and the part of it its after-store steps took."""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import os
import pstats
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, corpus
from storfa.app import Storfa
from storfa.config import Settings

STEPS = ("recommendations", "themes", "embedder load", "recurrence",
         "recommendations again", "recurrence again")
ACTOR = "bench"


@dataclass
class Timing:
    wall: float
    cpu: float


def stored(source: Path, folder: Path) -> Path:
    """The corpus stored and indexed, never extracted (built once)."""
    data = folder / "stored"
    if (data / "done").exists():
        return data
    shutil.rmtree(data, ignore_errors=True)
    app = Storfa(Settings(data_dir=data))
    try:
        results = app.ingest.ingest([source])
    finally:
        app.close()
    ingested = sum(1 for r in results if r.status == "ingested")
    (data / "done").write_text(f"{ingested}\n")
    print(f"stored {ingested} reviews -> {data}", file=sys.stderr)
    return data


def fresh_copy(data: Path, folder: Path) -> Path:
    work = folder / "work"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(data, work)
    return work


# ------------------------------------------------------------------ the steps
def step_functions(app: Storfa) -> dict[str, Callable[[], object]]:
    from storfa.ingest.after_store import STEPS as AFTER
    from storfa.ingest.after_store import StepRun
    from storfa.recommendations import recurrence
    from storfa.search.embeddings import default_embedder

    keys = tuple(s.review_id for s in app.store.list_reviews())
    rows = sorted(app.store.review_keys())
    by_name = {s.name: s for s in AFTER}

    def run(name: str) -> Callable[[], object]:
        return lambda: by_name[name].run(StepRun(app, keys, ACTOR))

    def themes() -> None:
        register = app.register()
        for row in rows:
            register.code_themes(row)

    return {
        "recommendations": run("recommendations"),
        "themes": themes,
        "embedder load": default_embedder,
        "recurrence": run("recurrence"),
        "recommendations again": run("recommendations"),
        "recurrence again": lambda: recurrence.regroup(app),
    }


def timed(fn: Callable[[], object], profile: bool) -> Timing:
    profiler = cProfile.Profile() if profile else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    fn()
    if profiler:
        profiler.disable()
    timing = Timing(time.perf_counter() - wall, time.process_time() - cpu)
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return timing


def one_run(work: Path, profile: str | None) -> tuple[dict[str, Timing], dict[str, Any], int]:
    app = Storfa(Settings(data_dir=work))
    try:
        reviews = len(app.store.review_keys())
        found = {name: timed(fn, name == profile)
                 for name, fn in step_functions(app).items()}
        return found, dump(app), reviews
    finally:
        app.close()


# ------------------------------------------------------------------ the check
def dump(app: Storfa) -> dict[str, Any]:
    """What the steps leave, without ids or times that change per run."""
    from storfa.recommendations.recurrence import _every_item
    from storfa.recommendations.themes import CODEBOOK
    from storfa.search.embeddings import MODEL_NAME
    from storfa.storage import repositories

    keys = app.store.review_keys()
    recs = repositories.recommendations(app.store).current()
    register = [[keys.get(r.review_row), r.id, r.version_id, r.number, r.text, list(r.agencies),
                 r.level, r.page, r.passage_id, list(r.themes), r.status] for r in recs]
    by_id = {r.id: r for r in recs}
    suggestions = [[e.review_id, e.version_id, e.passage_id, e.start, e.end, e.page, e.code,
                    e.theme, e.coder, e.how, e.status, e.source_detail, e.text]
                   for e in repositories.extracts(app.store).select(codebook=CODEBOOK)]
    grouping = repositories.groupings(app.store).grouping()
    assert grouping is not None, "the recurrence step stored no grouping"
    groups: dict[int, list[list[Any]]] = {}
    for rec_id, (label, centrality) in sorted(grouping.assignments.items()):
        groups.setdefault(label, []).append([by_id[rec_id].number, rec_id, centrality])
    vectors = repositories.groupings(app.store).vectors(MODEL_NAME)
    return {"register": register, "suggestions": suggestions,
            "grouping": {"fingerprint": grouping.fingerprint, "threshold": grouping.threshold,
                         "groups": [groups[k] for k in sorted(groups)]},
            "items": len(_every_item(app)),
            "vectors": hashlib.sha256(b"".join(
                k.encode() + v for k, v in sorted(vectors.items()))).hexdigest()}


def compare(found: dict[str, Any], reference: Path) -> str:
    if not reference.exists():
        return "no reference (run with --save-reference first)"
    wanted = json.loads(reference.read_text())
    now = json.loads(json.dumps(found))  # the same JSON round trip as the reference
    if now == wanted:
        return (f"identical to the reference ({len(now['register'])} recommendations, "
                f"{len(now['suggestions'])} suggestions, "
                f"{len(now['grouping']['groups'])} groups)")
    differ = [k for k in wanted if wanted.get(k) != now.get(k)]
    return f"DIFFERENT from the reference in {', '.join(differ)}"


# ------------------------------------------------------------------ end to end
@dataclass
class Ingest:
    wall: float
    after_store: float  # wall seconds of the after-store steps inside it
    pages: int


def cli_timed(out: Path, argv: list[str]) -> None:
    """`storfa ARGV` in this process, writing to `out` how long its
    after-store steps took (the rest of an ingest is parsing and storing)."""
    import storfa.cli.ingest as ingest
    from storfa.cli.main import main as storfa_main

    steps = ingest.run_after_store

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return steps(*args, **kwargs)
        finally:
            out.write_text(str(time.perf_counter() - started))

    ingest.run_after_store = timed
    sys.argv = ["storfa", *argv]
    storfa_main()


def ingest_wall(source: Path, folder: Path) -> Ingest:
    """`storfa ingest --no-embed` into an empty store from a fresh process."""
    data = folder / "cli"
    shutil.rmtree(data, ignore_errors=True)
    steps = folder / "cli-after-store.txt"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--cli-timed", str(steps), "--data",
                           str(data), "ingest", "--no-embed", "--json", str(source)],
                          capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1: some file rejected (the manifest)
        raise SystemExit(f"storfa ingest failed ({done.returncode}):\n{done.stderr[-2000:]}")
    said = json.loads(done.stdout)
    if said["after_store"]["failed"]:
        raise SystemExit(f"after-store steps failed: {said['after_store']['failed']}")
    return Ingest(elapsed, float(steps.read_text()), sum(r["pages"] or 0 for r in said["results"]))


def child(work: Path, profile: str | None, out: Path) -> None:
    """One timed run, in a process of its own (a fresh ingest's imports and
    model load are part of what it costs); results to `out` as JSON."""
    timings, found, reviews = one_run(work, profile)
    out.write_text(json.dumps({"timings": {k: [t.wall, t.cpu] for k, t in timings.items()},
                               "dump": found, "reviews": reviews}, ensure_ascii=False))


def run_fresh(work: Path, profile: str | None) -> tuple[dict[str, Timing], dict[str, Any], int]:
    out = work.parent / "run.json"
    cmd = [sys.executable, __file__, "--child", str(work), "--child-out", str(out)]
    subprocess.run(cmd + (["--profile", profile] if profile else []), check=True)
    got = json.loads(out.read_text())
    return ({k: Timing(*v) for k, v in got["timings"].items()}, got["dump"],
            int(got["reviews"]))


def main() -> None:
    if sys.argv[1:2] == ["--cli-timed"]:  # ingest_wall's child: storfa itself, timed
        cli_timed(Path(sys.argv[2]), sys.argv[3:])
        return
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reviews", type=int, default=150)
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=1, help="runs; the best of each is printed")
    ap.add_argument("--profile", choices=STEPS, metavar="STEP",
                    help=f"cProfile one step (top 25 cumulative): {', '.join(STEPS)}")
    ap.add_argument("--save-reference", action="store_true",
                    help="keep this run's register as the reference later runs compare with")
    ap.add_argument("--ingest", type=int, default=0, metavar="N",
                    help="also time `storfa ingest --no-embed` from a fresh process N times")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.profile, args.child_out)
        return
    source = corpus(args.reviews, args.pages)
    folder = OUT / f"after-store-{args.reviews}x{args.pages}"
    data = stored(source, folder)
    best: dict[str, Timing] = {}
    found: dict[str, Any] = {}
    reviews = 0
    for n in range(max(args.repeat, 1)):
        timings, found, reviews = run_fresh(fresh_copy(data, folder),
                                            args.profile if n == 0 else None)
        for name, t in timings.items():
            if name not in best or t.wall < best[name].wall:
                best[name] = t
    print(f"after-store steps on {reviews} stored reviews (~{args.pages} pages each), "
          f"best of {max(args.repeat, 1)} fresh processes:")
    for name, t in best.items():
        print(f"  {name:<22} {t.wall:7.3f} s  (cpu {t.cpu:7.3f} s)  "
              f"{t.wall * 1000 / max(reviews, 1):7.2f} ms/review")
    reference = folder / "reference.json"
    if args.save_reference:
        reference.write_text(json.dumps(found, ensure_ascii=False))
        print(f"register saved as the reference: {reference}")
    else:
        print(f"register: {compare(found, reference)}")
    if args.ingest:
        report_ingest(source, folder, args.ingest)


def report_ingest(source: Path, folder: Path, times: int) -> None:
    runs = sorted((ingest_wall(source, folder) for _ in range(times)), key=lambda r: r.wall)
    print(f"storfa ingest --no-embed of {source.name}, fresh process and store, fastest first:")
    for run in runs:
        print(f"  {run.wall:5.1f} s  (after-store steps {run.after_store:5.2f} s)  "
              f"{run.pages} pages, {run.pages / run.wall:.0f} pages/s")


if __name__ == "__main__":
    main()
