"""Local authority areas, their regions and child populations, from a CSV
file the user can replace (STORFA_POPULATION_FILE).

The shipped file holds illustrative figures, labelled so in every row's
`source` column and in docs/referrals.md: rates computed from it show the
method, not real rates. The area list also fixes which local authorities a
referral may be made to."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from storfa.domain.errors import StorfaError

SHIPPED = "population.csv"


@dataclass(frozen=True, slots=True)
class Area:
    local_authority: str
    region: str
    children: int
    source: str


@dataclass(frozen=True)
class Population:
    areas: dict[str, Area]

    @property
    def regions(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for area in self.areas.values():
            out.setdefault(area.region, []).append(area.local_authority)
        return out

    @property
    def illustrative(self) -> bool:
        return any("illustrative" in a.source.casefold() for a in self.areas.values())

    def children(self, level: str, name: str) -> int | None:
        """Children in a local authority, a region, or Wales (level "all")."""
        if level == "local_authority":
            area = self.areas.get(name)
            return area.children if area else None
        chosen = [a for a in self.areas.values() if level == "all" or a.region == name]
        return sum(a.children for a in chosen) or None

    def sources(self) -> list[str]:
        return sorted({a.source for a in self.areas.values()})


def load_population(path: Path | None = None) -> Population:
    """The replaceable file when given, else the shipped one."""
    if path is not None:
        if not path.is_file():
            raise StorfaError(f"No population file at {path}.")
        text = path.read_text("utf-8-sig")
    else:
        text = resources.files("storfa.referrals").joinpath("data", SHIPPED).read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    areas: dict[str, Area] = {}
    for number, row in enumerate(csv.DictReader(io.StringIO("\n".join(lines))), start=2):
        try:
            name = row["local_authority"].strip()
            children = int(row["children"])
            areas[name] = Area(name, row["region"].strip(), children,
                               (row.get("source") or "").strip())
        except (KeyError, ValueError, AttributeError) as exc:
            raise StorfaError(f"Population file row {number}: needs local_authority, region "
                              f"and a whole number of children ({exc}).") from exc
        if children <= 0:
            raise StorfaError(f"Population file row {number}: children must be above 0.")
    if not areas:
        raise StorfaError("The population file lists no areas.")
    return Population(areas)
