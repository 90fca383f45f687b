"""Case analysis speed (issue 7): every analysis over 2,500 reviews × 40
binary case variables stored in a real SQLite store.

What is measured, step by step, in one process, after the data are in place:
  select        list the stored reviews and their rows (as the CLI and web do)
  load          read every current case-variable decision of those reviews
                (100,000 decisions) into columns (CaseVariableService.codes:
                one query per 500 reviews, four columns, no per-cell objects)
  frequencies   the coded table and SPSS-style frequency tables, ungrouped and
                split by board
  associations  the 0/1 table and phi / chi-square or Fisher / Bonferroni for
                every pair of the 40 variables (780 pairs)
  map           the co-occurrence map (associations again, Lance–Williams,
                metric SMACOF with 8 starts, stresses)
  timeliness    days, guidance flags and summaries overall, by board and type
  quality       the review quality checklist, which reads every passage of
                each review: worked out afresh (stored=False) over
                --quality-reviews reviews (default 100) and scaled to all of
                them, as the full run takes minutes; then the quality page's
                path twice over the same reviews: the first view computes and
                stores each result, the second reads the stored results
                (quality_page_stored, the aim: a page of 100 reviews <= 1 s)
Memory: the process's maximum resident set (ru_maxrss), which includes
loading the store and inserting the data, and the peak of Python allocations
(tracemalloc) during the analysis steps alone, measured in a second, untimed
pass over the same steps (tracemalloc slows what it traces).

The reviews are the ingested corpus in bench/out/data-web-2500x12 (2,500
generated reviews of about 12 pages, built by bench/web_load.py): its SQLite
file is copied to a temporary folder and the copy is used, never the
original. Case-variable values are not coded by hand: each review gets a
decision (present / not known) for each of the first 40 built-in binary
variables, drawn from four latent factors so that real associations exist,
and written in one transaction through SQLCaseVariables.decide_many.

    .venv/bin/python bench/analysis_speed.py [--quality-reviews 100] [--json]
                                             [--source FOLDER]

--source names another store folder (holding storfa.sqlite3) to copy instead.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

OUT = Path(__file__).resolve().parent / "out"
SOURCE = OUT / "data-web-2500x12"
VARIABLES = 40
AIM_SECONDS = 2.0
CPU = " cpu"
QUALITY_PAGE_AIM_SECONDS = 1.0  # a page of 100 reviews, from stored results
SEED = 7
T = TypeVar("T")


def planted_values(reviews: int, variables: int, seed: int = SEED) -> np.ndarray[Any, Any]:
    """reviews × variables booleans: each variable leans on one of four latent
    factors, so variables of the same factor co-occur."""
    rng = np.random.default_rng(seed)
    factors = rng.random((reviews, 4)) < 0.3
    owner = np.arange(variables) % 4
    base = rng.uniform(0.05, 0.25, variables)
    lift = rng.uniform(0.2, 0.6, variables)
    chance = base + lift * factors[:, owner]
    present: np.ndarray[Any, Any] = rng.random((reviews, variables)) < chance
    return present


def timed(steps: dict[str, float], name: str, run: Callable[[], T]) -> T:
    """Wall-clock seconds in steps[name], process CPU seconds (steadier on a
    loaded machine) in steps[name + CPU]."""
    started, cpu = time.perf_counter(), time.process_time()
    result = run()
    steps[name] = time.perf_counter() - started
    steps[name + CPU] = time.process_time() - cpu
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quality-reviews", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--source", type=Path, default=SOURCE)
    args = parser.parse_args()
    source: Path = args.source
    if not (source / "storfa.sqlite3").exists():
        print(f"{source} is missing: build it with bench/web_load.py first.", file=sys.stderr)
        return 2

    from storfa.analysis.associations import associations
    from storfa.analysis.casevars import (
        binary_table,
        coded_table,
        coded_variables,
        select_reviews,
    )
    from storfa.analysis.descriptive import table_frequencies
    from storfa.analysis.mds import co_occurrence_map
    from storfa.analysis.quality import quality
    from storfa.analysis.timeliness import timeliness
    from storfa.app import Storfa
    from storfa.config import Settings
    from storfa.domain.casevars import CONFIRMED, NewCaseValue

    with tempfile.TemporaryDirectory(prefix="storfa-analysis-bench-") as folder:
        data = Path(folder)
        shutil.copyfile(source / "storfa.sqlite3", data / "storfa.sqlite3")
        app = Storfa(Settings.from_env(data_dir=data))
        service = app.casevars
        names = [v.name for v in service.variables if v.type == "binary"][:VARIABLES]
        rows = service.with_rows(app.store.list_reviews())
        present = planted_values(len(rows), len(names))
        started = time.perf_counter()
        service.sql.decide_many(
            [(row, NewCaseValue(name, "present" if present[i, j] else "not_known"))
             for i, (row, _) in enumerate(rows) for j, name in enumerate(names)],
            CONFIRMED, "bench")
        setup = time.perf_counter() - started
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        def analyse(steps: dict[str, float]) -> dict[str, Any]:
            chosen = timed(steps, "select", lambda: service.with_rows(
                select_reviews(app.store.list_reviews())))
            cases = timed(steps, "load", lambda: service.codes(chosen))

            def frequencies() -> int:
                coded = coded_variables(cases)
                table = coded_table(cases, coded, labels=True, meta=True)
                return len(table_frequencies(table, coded)) + len(
                    table_frequencies(table, coded, "board"))

            tables = timed(steps, "frequencies", frequencies)
            binary = binary_table(cases)
            result = timed(steps, "associations",
                           lambda: associations(binary_table(cases)))
            comap = timed(steps, "map", lambda: co_occurrence_map(binary, found=result))
            timing = timed(steps, "timeliness",
                           lambda: timeliness(s for _, s in chosen)["summary"])
            return {"chosen": chosen, "tables": tables, "result": result, "comap": comap,
                    "timing": timing}

        steps: dict[str, float] = {}
        found = analyse(steps)
        chosen, result, comap = found["chosen"], found["result"], found["comap"]
        tables, timing = found["tables"], found["timing"]
        sample = [s.review_id for _, s in chosen[:args.quality_reviews]]
        checked = timed(steps, "quality_sample",
                        lambda: quality(app.store, sample, stored=False))
        scale = len(chosen) / max(1, len(sample))
        steps["quality_all_estimated"] = steps["quality_sample"] * scale
        steps["quality_all_estimated" + CPU] = steps["quality_sample" + CPU] * scale
        first = timed(steps, "quality_page_first", lambda: quality(app.store, sample))
        again = timed(steps, "quality_page_stored", lambda: quality(app.store, sample))
        assert first == again == checked, "stored quality results differ from computed ones"
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        analyse({})
        traced_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()

    cpu = {k.removesuffix(CPU): v for k, v in steps.items() if k.endswith(CPU)}
    steps = {k: v for k, v in steps.items() if not k.endswith(CPU)}
    without_quality = sum(v for k, v in steps.items() if not k.startswith("quality"))
    without_quality_cpu = sum(v for k, v in cpu.items() if not k.startswith("quality"))
    quality_aim = QUALITY_PAGE_AIM_SECONDS
    report = {
        "reviews": len(chosen), "variables": len(names), "decisions": len(chosen) * len(names),
        "setup_insert_seconds": round(setup, 2),
        "steps_seconds": {k: round(v, 4) for k, v in steps.items()},
        "steps_cpu_seconds": {k: round(v, 4) for k, v in cpu.items()},
        "total_without_quality_cpu_seconds": round(without_quality_cpu, 3),
        "total_without_quality_seconds": round(without_quality, 3),
        "total_with_quality_estimated_seconds": round(
            without_quality + steps["quality_all_estimated"], 1),
        "aim_seconds": AIM_SECONDS,
        "frequency_tables": tables, "pairs": len(result.pairs),
        "significant_pairs": sum(p.significant for p in result.pairs),
        "map_variables": len(comap.points), "map_stress": round(comap.stress, 4),
        "timeliness_reviews": timing["reviews"],
        "quality_reviews_measured": len(checked["reviews"]),
        "peak_rss_mb_after_setup": round(rss_before / 1024),
        "peak_rss_mb": round(rss_after / 1024),
        "analysis_traced_peak_mb": round(traced_peak / 2**20, 1),
        "quality_page_aim_seconds": quality_aim,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{report['reviews']} reviews × {report['variables']} binary variables "
          f"({report['decisions']} stored decisions; inserted in {setup:.1f} s, not timed)")
    print(f"  {'step':<24}{'wall':>9}   {'CPU':>9}")
    for name, seconds in steps.items():
        print(f"  {name:<24}{seconds:9.3f} s {cpu[name]:9.3f} s")
    print(f"  {'total (all but quality)':<24}{without_quality:9.3f} s {without_quality_cpu:9.3f} s"
          f"   aim < {AIM_SECONDS} s: "
          f"{'met' if without_quality < AIM_SECONDS else 'NOT met'}")
    print(f"  {'total with quality (est.)':<24}"
          f"{report['total_with_quality_estimated_seconds']:9.1f} s")
    print(f"{report['pairs']} pairs, {report['significant_pairs']} significant; map of "
          f"{report['map_variables']} variables, normalised raw stress {report['map_stress']}; "
          f"quality measured on {report['quality_reviews_measured']} reviews")
    print(f"  {'quality page, stored':<24}{steps['quality_page_stored']:9.3f} s   aim <= "
          f"{quality_aim} s for {len(sample)} reviews: "
          f"{'met' if steps['quality_page_stored'] <= quality_aim else 'NOT met'}")
    print(f"peak RSS {report['peak_rss_mb']} MB ({report['peak_rss_mb_after_setup']} MB "
          "after loading and inserting the data); the analysis steps' peak Python "
          f"allocations {report['analysis_traced_peak_mb']} MB (tracemalloc)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
