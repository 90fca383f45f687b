"""Geometry of the indicator trend charts (templates/referrals/_trend.html):
coordinates only, so the template draws inline SVG without JavaScript and the
CSP's ban on style attributes holds (colours come from storfa.css).

A suppressed or missing value breaks the line: each run of known values is
its own path, so a gap is drawn as a gap and never as a fall to zero."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 150, 12, 36  # room for the y labels and the legend


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    period: str
    value: float


@dataclass(frozen=True)
class Line:
    name: str
    paths: tuple[str, ...]   # SVG path data, one per run without a gap
    dots: tuple[Dot, ...]
    css: str                 # series-N: a colour from storfa.css, and a dash pattern
    gaps: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    bottom: float
    right_edge: float
    xs: tuple[tuple[float, str], ...]        # x of each period, and its label
    ticks: tuple[tuple[float, str], ...]     # y of each tick, and its value
    lines: tuple[Line, ...]


def _nice_top(high: float) -> float:
    """A round top for the y axis whose quarters are round too (four ticks)."""
    if high <= 0:
        return 1.0
    step = 10 ** (len(str(int(high))) - 1)
    for factor in (1, 2, 4, 8, 10):
        if high <= factor * step:
            return float(factor * step)
    return float(10 * step)


def _label(value: float) -> str:
    return f"{value:g}"


def chart(periods: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
          width: int = WIDTH, height: int = HEIGHT, legend: bool = True) -> Chart:
    right = RIGHT if legend else 12
    plot_w, plot_h = width - LEFT - right, height - TOP - BOTTOM
    known = [v for _, values in series for v in values if v is not None]
    top = _nice_top(max(known, default=0.0))
    step = plot_w / max(1, len(periods) - 1)
    xs = [LEFT + (i * step if len(periods) > 1 else plot_w / 2) for i in range(len(periods))]

    def y(v: float) -> float:
        return round(TOP + plot_h * (1 - v / top), 1)

    lines = []
    for n, (name, values) in enumerate(series):
        runs: list[list[str]] = []
        dots = []
        previous = None
        for i, v in enumerate(values):
            if v is None:
                previous = None
                continue
            point = f"{round(xs[i], 1)} {y(v)}"
            if previous is None:
                runs.append([f"M{point}"])
            else:
                runs[-1].append(f"L{point}")
            previous = v
            dots.append(Dot(round(xs[i], 1), y(v), periods[i], v))
        lines.append(Line(name, tuple(" ".join(r) for r in runs if len(r) > 1), tuple(dots),
                          f"series-{n % 8}", sum(v is None for v in values)))
    ticks = tuple((y(top * k / 4), _label(top * k / 4)) for k in range(5))
    xlabels = tuple((round(x, 1), p) for x, p in zip(xs, periods, strict=True))
    return Chart(width, height, LEFT, TOP + plot_h, width - right, xlabels, ticks, tuple(lines))
