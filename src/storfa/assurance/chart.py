"""Geometry for the grade-over-the-years sparklines: the page draws them as
inline SVG with classes only (the CSP forbids style attributes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from storfa.domain.assurance import GRADES

STEP, TOP, ROW = 48, 8, 10  # pixels between years, top margin, between grade points
HEIGHT = TOP * 2 + ROW * 3


@dataclass(frozen=True)
class Point:
    x: int
    y: int
    year: int
    grade: str


@dataclass(frozen=True)
class Sparkline:
    width: int
    height: int
    points: list[Point]
    path: str  # an SVG path through the graded years, broken where a year has no grade


def sparkline(grades: Mapping[int, str | None], years: Sequence[int]) -> Sparkline:
    points: list[Point] = []
    path: list[str] = []
    pen_down = False
    for i, year in enumerate(years):
        grade = grades.get(year)
        if grade not in GRADES:
            pen_down = False
            continue
        x, y = 12 + i * STEP, TOP + (4 - GRADES[grade].points) * ROW
        points.append(Point(x, y, year, grade))
        path.append(f"{'L' if pen_down else 'M'}{x} {y}")
        pen_down = True
    return Sparkline(24 + max(len(years) - 1, 0) * STEP, HEIGHT, points, " ".join(path))
