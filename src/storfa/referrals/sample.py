"""Made-up referral-level records in the import schema (referrals/importer.py),
for the demo and the indicators bench: a child pool per area a little smaller
than its referrals gives repeats, and some steps break their timescale. No
real child is in it; child ids are opaque."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Sequence
from typing import TextIO

CATEGORIES = ("neglect", "physical", "sexual", "emotional", "financial")
NATURES = ("domestic_abuse", "extra_familial_harm", "young_carer", "health", "drugs_alcohol")
SOURCES = ("police", "health", "education", "local_authority", "third_sector", "family")
DECISIONS = ("nfa", "early_help", "care_support", "strategy_meeting", "s47")
COLUMNS = ("local_authority", "received_date", "child_id", "source", "categories", "natures",
           "decision", "decision_date", "strategy_held_date", "strategy_within",
           "s47_completed_date", "s47_within", "icpc_date", "step_down_date")


def write_sample(out: TextIO, areas: Sequence[str], years: Sequence[int],
                 per_year: int, seed: int) -> int:
    """Write the CSV to `out`; returns the number of records."""
    rng = random.Random(seed)
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    n = 0
    for area_no, area in enumerate(areas):
        pool = int(per_year * len(years) * 0.8)
        for year in years:
            for _ in range(per_year):
                day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
                decision = rng.choice(DECISIONS) if rng.random() < 0.95 else ""
                later = (day + dt.timedelta(days=rng.randrange(1, 20))).isoformat()
                row = [area, day.isoformat(), f"a{area_no}-c{rng.randrange(pool)}",
                       rng.choice(SOURCES), rng.choice(CATEGORIES),
                       rng.choice(NATURES) if rng.random() < 0.6 else "",
                       decision, day.isoformat() if decision else "", "", "", "", "", "", ""]
                if decision in ("strategy_meeting", "s47"):
                    row[8], row[9] = later, rng.choice(("yes", "yes", "no"))
                if decision == "s47":
                    row[10], row[11] = later, rng.choice(("yes", "no"))
                    row[12] = later if rng.random() < 0.3 else ""
                if decision == "early_help" and rng.random() < 0.2:
                    row[13] = later
                writer.writerow(row)
                n += 1
    return n
