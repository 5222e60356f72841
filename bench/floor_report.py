"""What stops issue 12's chart and memory targets, from the floors measured in the same run.

Each floor is what this app cannot go below with Python and QtWebEngine, whatever its
server or start path does:

- chart drawn, cold and warm: the bare window (bench/floor_window.py) launched on the
  app's page, on our server already running and warmed (bench/floor_server.py);
- PSS page open: that window's tree + the server's process − what the sum counts twice
  (bench/memory_floor.py: one interpreter with the modules both import);
- PSS plateau streaming at 1 s: the same, with the window's renderer replaced by the
  smallest renderer plateau measured for this page (QtWebEngine's in launcher.py,
  Chromium's in the baseline): uncapped, as V8 sizes its heap itself (a capped heap is
  smaller, at a CPU cost: qt/chromium_flags.py).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import NamedTuple

from bench.launching import Run
from bench.settings import FLOOR_PAGE, warm_of

Results = dict[str, list[Run]]


class Target(NamedTuple):
    """One of issue 12's targets in this run (report.py makes them from its GOALS)."""

    text: str  # "≤ 0.8× best peer"
    value: float  # the limit × the median it is held against, this run
    limit: float  # 0.8

    def ratio(self, floor: float) -> float:
        """The floor as the target counts: ÷ the same reference."""
        return floor / self.value * self.limit


Targets = dict[tuple[str, bool], Target]  # (Run key, warm) -> the target
RENDERERS = ("renderer", "renderer (zygote child)")  # Chromium's; QtWebEngine's (processes.kind)
OPEN = "PSS MiB, app open"
PLATEAU = "PSS MiB plateau streaming every 1 s"
STREAMED = {"launcher.py": "QtWebEngine, launcher.py", "baseline": "Chromium"}


@dataclass(frozen=True)
class Floor:
    figure: str
    target: Target | None
    value: float | None
    unit: str
    profile: str  # the components, with their values


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def value_of(results: Results, variant: str, key: str, source: str = "values") -> float | None:
    return median([getattr(r, source)[key] for r in results.get(variant, [])
                   if key in getattr(r, source)])


def part_of(results: Results, variant: str, label: str) -> float | None:
    """The median over the runs of the renderer's share in the breakdown `label`."""
    return median([sum(r.breakdown[label].get(kind, 0.0) for kind in RENDERERS)
                   for r in results.get(variant, []) if label in r.breakdown])


def chart_floor(results: Results, targets: Targets, warm: bool) -> Floor:
    variant = warm_of(FLOOR_PAGE) if warm else FLOOR_PAGE
    chart = value_of(results, variant, "chart", "t")
    page = value_of(results, variant, "page_to_chart")
    profile = (f"bare pywebview window (Qt, 1280x800, {'kept' if warm else 'fresh'} profile), "
               "launched → chart drawn, on our server already running and warmed"
               + ("" if page is None else f"; of which its page request → chart {page:.2f} s"))
    return Floor(f"chart drawn, {'warm: kept profile' if warm else 'cold'}",
                 targets.get(("chart", warm)), chart, "s", profile)


def memory_floors(results: Results, targets: Targets) -> list[Floor]:
    window = value_of(results, FLOOR_PAGE, "pss")
    renderer = part_of(results, FLOOR_PAGE, OPEN)
    server = value_of(results, FLOOR_PAGE, "server_pss")
    twice = value_of(results, FLOOR_PAGE, "shared_interpreter_pss")
    if None in (window, renderer, server, twice):
        return [Floor(figure, targets.get((key, False)), None, "MiB", "not measured")
                for figure, key in (("PSS, page open", "pss"),
                                    ("PSS plateau streaming at 1 s", "stream_plateau_1s"))]
    assert window is not None and renderer is not None and server is not None and twice is not None
    shared = (f"our server process {server:.0f} − one interpreter with the modules both "
              f"import {twice:.0f} (counted twice in the sum)")
    page_open = Floor("PSS, page open", targets.get(("pss", False)), window + server - twice,
                      "MiB", f"bare window's tree {window:.0f} (its renderer {renderer:.0f}) + "
                      + shared)
    plateaus = {name: part for variant, name in STREAMED.items()
                if (part := part_of(results, variant, PLATEAU)) is not None}
    if not plateaus:
        plateau = Floor("PSS plateau streaming at 1 s", targets.get(("stream_plateau_1s", False)),
                        None, "MiB", "not measured: needs the streaming run")
    else:
        who, smallest = min(plateaus.items(), key=lambda pair: pair[1])
        plateau = Floor(
            "PSS plateau streaming at 1 s", targets.get(("stream_plateau_1s", False)),
            window - renderer + smallest + server - twice, "MiB",
            f"bare window's tree less its renderer {window - renderer:.0f} + the smallest "
            f"renderer plateau for this page, {who}'s {smallest:.0f} (of "
            + ", ".join(f"{name} {part:.0f}" for name, part in plateaus.items())
            + "; V8's heap uncapped) + " + shared)
    return [page_open, plateau]


def floors(results: Results, targets: Targets) -> list[Floor]:
    return [chart_floor(results, targets, False), chart_floor(results, targets, True),
            *memory_floors(results, targets)]


FORMATS = {"s": "{:.2f} s", "MiB": "{:.0f} MiB"}


def verdict(floor: Floor) -> str:
    if floor.value is None or floor.target is None:
        return "-"
    gap = floor.value - floor.target.value
    if gap > 0:
        return (f"**yes**, by {FORMATS[floor.unit].format(gap)}: the target is below what "
                "the engine and the server need")
    return f"no: {FORMATS[floor.unit].format(-gap)} of headroom"


def table(results: Results, targets: Targets) -> list[str]:
    """The report's section: each target this run, its floor, and what makes the floor."""
    fmt = FORMATS
    lines = ["| figure | target, this run | floor, this run | floor as a ratio | floor > target? "
             "| profile (components) |", "|---|---|---|---|---|---|"]
    for floor in floors(results, targets):
        target = (f"{fmt[floor.unit].format(floor.target.value)} ({floor.target.text})"
                  if floor.target else "-")
        value = "-" if floor.value is None else fmt[floor.unit].format(floor.value)
        ratio = ("-" if floor.value is None or floor.target is None
                 else f"{floor.target.ratio(floor.value):.2f}×")
        lines.append(f"| {floor.figure} | {target} | {value} | {ratio} | {verdict(floor)} "
                     f"| {floor.profile} |")
    return lines
