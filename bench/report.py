"""The report, bench/results.md: declarative tables of rows, filled from the runs.

Each row names its figure, how it is measured (the Run field it reads), its format, and
its target; a target is a ratio to the baseline (×) or a value in a unit, and the list
of verdicts under the tables is made from the same rows.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import statistics
import subprocess
from dataclasses import dataclass
from typing import Literal

from bench.launching import Run
from bench.settings import ONEDIR, ONEFILE, ROOT

Results = dict[str, list[Run]]  # variant -> its runs
VARIANT_COLUMNS = ("launcher.py", "alt", "onedir", "onefile", "onefile-first")


@dataclass(frozen=True)
class Target:
    limit: float
    unit: str = "×"  # "×": the variant's median ÷ the baseline's; else a value in this unit
    variants: tuple[str, ...] = ()  # whose figure is held to it; () for every column
    label: str = ""  # as the table shows it, if not "≤ limit unit"

    @property
    def text(self) -> str:
        return self.label or f"≤ {self.limit:g}{self.unit}"


@dataclass(frozen=True)
class Row:
    """One figure: `source` "t" is an event's time after launch (Run.t), "values" any
    other measured value (Run.values); `key` is its name there (bench/README.md says how
    each is measured)."""

    figure: str
    source: Literal["t", "values"]
    key: str
    target: Target | None = None
    fmt: str = "{:.2f}"
    ratio: bool = True  # show the ratio to the baseline

    def of(self, results: Results, variant: str) -> list[float]:
        return [getattr(run, self.source)[self.key] for run in results.get(variant, [])
                if self.key in getattr(run, self.source)]


def t(figure: str, key: str, target: Target | None = None, **kw: object) -> Row:
    return Row(figure, "t", key, target, **kw)  # type: ignore[arg-type]


def v(figure: str, key: str, target: Target | None = None, **kw: object) -> Row:
    return Row(figure, "values", key, target, **kw)  # type: ignore[arg-type]


NO_RATIO = {"ratio": False}
MAIN = (
    t("launch → window mapped (s)", "window"),
    t("launch → window painted, non-black (s)", "painted", Target(0.5)),
    t("launch → first visible content: something drawn on it (s)", "content", Target(0.5)),
    t("launch → the app window (after the splash) shows its loading screen (s)", "app_window",
      **NO_RATIO),
    t("launch → loading screen in the DOM, CDP (s)", "loading_dom", **NO_RATIO),
    t("launch → \"Data feed\" h1 (s)", "title"),
    t("launch → chart drawn (s)", "chart", Target(0.6)),
    v("close → every process gone (s)", "close", Target(0.5)),
    v("close → gone, from the WM_DELETE_WINDOW that took effect (s)", "close_effective",
      Target(0.5)),
    v("processes left after close", "left", Target(0, "", label="0"), fmt="{:.0f}",
      **NO_RATIO),
    v("WM_DELETE_WINDOW messages needed", "close_clicks", fmt="{:.0f}", **NO_RATIO),
    v("PSS of the tree, app open (MiB)", "pss", Target(0.8), fmt="{:.0f}"),
    v("processes in the tree", "processes", fmt="{:.0f}", **NO_RATIO),
    v("CPU idle, page open (% of a core)", "idle_cpu", fmt="{:.1f}"),
    v("CPU streaming every 1 s (% of a core)", "stream_cpu_1s",
      Target(5.0, " %", ("launcher.py",)), fmt="{:.1f}"),
    v("CPU streaming every 0.5 s (% of a core)", "stream_cpu_05s", fmt="{:.1f}"),
    v("chart redraws/s streaming every 1 s", "redraws_per_s_1s", **NO_RATIO),
    v("chart redraws/s streaming every 0.5 s", "redraws_per_s_05s", **NO_RATIO),
    v("PSS max streaming every 0.5 s (MiB)", "stream_pss_05s", fmt="{:.0f}"),
    v("  + Xvfb CPU streaming 0.5 s (%)", "stream_xvfb_cpu_05s", fmt="{:.1f}", **NO_RATIO),
    v("second launch while the app runs → it has handed over and exited (s)", "second_click",
      Target(1.5, " s", ("onefile",), "single file ≤ 1.5 s"), **NO_RATIO),
    t("log: launch → \"starting\" (s)", "log_starting", **NO_RATIO),
    t("log: launch → \"window shown\" (s)", "log_shown", **NO_RATIO),
    t("log: launch → \"app loaded in the window\" (s)", "log_loaded", **NO_RATIO),
)

# The second table: one variant's figure each.
BASELINE_OWN_CLOCK = (
    ("baseline: `streamlit run` → /_stcore/health answers, chromium started (s)",
     "baseline", v("", "t_browser")),
    *((f"baseline, from chromium's start: {label} (s)", "baseline", t("", f"{key}_from_browser"))
      for key, label in (("window", "window mapped"), ("painted", "window painted"),
                         ("content", "something drawn"), ("title", "\"Data feed\" h1"),
                         ("chart", "chart drawn"))),
    ("floor: bare pywebview window + static page → mapped (s)", "floor", t("", "window")),
    ("floor: bare pywebview window + static page → painted (s)", "floor", t("", "painted")),
    ("floor: bare pywebview window + static page → spinner drawn (s)", "floor", t("", "content")),
    ("floor: bare pywebview window → page in the DOM, CDP (s)", "floor", t("", "loading_dom")),
    ("floor: bare pywebview window, close → gone (s)", "floor", v("", "close")),
    ("floor: bare pywebview window, PSS (MiB)", "floor", v("", "pss", fmt="{:.0f}")),
)
FLOOR_IMPORTS = (
    ("floor: `python -c pass`, wall (s)", "python -c pass"),
    ("floor: import of the server side (uvicorn, streamlit.starlette, bootstrap, pandas, "
     "numpy, altair), in-process (s)", "server"),
    ("the same import without a bytecode cache (as this environment runs Python: "
     "PYTHONDONTWRITEBYTECODE=1, no .pyc in the venv) (s)", "server, without a bytecode cache"),
    ("floor: import of the GUI side (webview + its Qt backend, PySide6 QtWebEngine) (s)", "gui"),
    ("import desktop_shell.process.cli (what runs before the window is created) (s)",
     "launcher"),
)


@dataclass(frozen=True)
class Between:
    """One variant's median ÷ another's (the single file against the folder build)."""

    figure: str
    row: Row
    over: str
    under: str
    target: Target | None = None


BETWEEN = (
    Between("onefile ÷ onedir, first visible content", t("", "painted"), "onefile", "onedir",
            Target(1.5)),
    Between("onefile ÷ onedir, first visible content (spinner drawn)", t("", "content"),
            "onefile", "onedir"),
    Between("onefile ÷ onedir, chart drawn", t("", "chart"), "onefile", "onedir"),
    Between("single file, 2nd start ÷ onedir, chart drawn", t("", "chart"), "onefile", "onedir",
            Target(1.15)),
    Between("single file, 1st start (empty cache) ÷ onedir, chart drawn", t("", "chart"),
            "onefile-first", "onedir"),
    Between("second launch while running, single file ÷ onedir", v("", "second_click"),
            "onefile", "onedir"),
)
# Absolute targets of the single file's first start (today's onefile as the bar).
FIRST_START = (
    ("single file, 1st start: chart drawn (today's onefile: 7.4 s)", t("", "chart"), 7.4),
    ("single file, 1st start: app window (today's onefile: 4.8 s)", t("", "app_window"), 4.8),
)


@dataclass(frozen=True)
class Conditions:
    """When and how the benchmark ran: the report's first paragraph."""

    runs: int
    stream_seconds: float
    started_at: dt.datetime
    elapsed: float
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    loads: list[float]
    display_name: str
    bytecode: str


def stats(values: list[float]) -> tuple[float, float, float] | None:
    values = [x for x in values if x == x]  # drop NaN
    if not values:
        return None
    return statistics.median(values), min(values), max(values)


def cell(values: list[float], fmt: str = "{:.2f}") -> str:
    s = stats(values)
    if s is None:
        return "-"
    if len(values) == 1 or s[1] == s[2]:
        return fmt.format(s[0])
    return f"{fmt.format(s[0])} ({fmt.format(s[1])}–{fmt.format(s[2])})"


def med(values: list[float]) -> float | None:
    s = stats(values)
    return None if s is None else s[0]


def divide(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def ratio(a: float | None, b: float | None) -> str:
    quotient = divide(a, b)
    return "-" if quotient is None else f"{quotient:.2f}×"


def verdict(name: str, value: float | None, limit: float, unit: str = "×") -> str:
    if value is None:
        return f"- {name}: not measured"
    met = "met" if value <= limit else "MISSED"
    return f"- {name}: {value:.2f}{unit} (target ≤ {limit:g}{unit}) — {met}"


def git_state() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                              capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "desktop_shell", "app",
                                "launcher.py", "build"], cwd=ROOT, capture_output=True,
                               text=True, timeout=10).stdout.split("\n")
    except (OSError, subprocess.SubprocessError):
        return "git unavailable"
    changed = [line[3:] for line in dirty if line.strip()]
    return f"commit {head}" + (f", uncommitted changes in {', '.join(changed)}" if changed else "")


def main_table(results: Results, columns: list[str]) -> list[str]:
    header = ["figure", *columns, "baseline", *[f"{c} ÷ baseline" for c in columns], "target"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in MAIN:
        base = row.of(results, "baseline")
        cells = [cell(row.of(results, c), row.fmt) for c in columns]
        ratios = [ratio(med(row.of(results, c)), med(base)) if row.ratio else "" for c in columns]
        target = row.target.text if row.target else ""
        lines.append("| " + " | ".join([row.figure, *cells, cell(base, row.fmt), *ratios, target])
                     + " |")
    return lines


def sizes() -> list[str]:
    lines = []
    if ONEFILE.exists():
        lines.append(f"| size: single file `dist/fragment-demos` | "
                     f"{ONEFILE.stat().st_size / 2**20:.1f} MiB |")
    if ONEDIR.exists():
        paths = [p for p in ONEDIR.parent.rglob("*") if p.is_file() and not p.is_symlink()]
        mib = sum(p.stat().st_size for p in paths) / 2**20
        lines.append(f"| size: onedir `dist/fragment-demos-onedir/` | {mib:.1f} MiB, "
                     f"{len(paths)} files |")
    return lines


def second_table(results: Results, columns: list[str],
                 floor_imports: dict[str, list[float]]) -> list[str]:
    lines = ["| figure | value |", "|---|---|"]
    for label, variant, row in BASELINE_OWN_CLOCK:
        lines.append(f"| {label} | {cell(row.of(results, variant), row.fmt)} |")
    for label, key in FLOOR_IMPORTS:
        if key in floor_imports:
            lines.append(f"| {label} | {cell(floor_imports[key])} |")
    lines += sizes()
    for b in BETWEEN:
        shown = f"{b.figure} (target {b.target.text})" if b.target else b.figure
        lines.append(f"| {shown} | "
                     f"{ratio(med(b.row.of(results, b.over)), med(b.row.of(results, b.under)))} |")
    chart, window = FIRST_START[0][1], FIRST_START[1][1]
    lines.append(f"| single file, 1st start: launch → chart drawn, app window (s) | "
                 f"{cell(chart.of(results, 'onefile-first'))}, "
                 f"{cell(window.of(results, 'onefile-first'))} |")
    for label, key, fmt in (("second launch exit codes", "second_click_exit", "{}"),
                            ("launcher exit codes after close", "exit_code", "{}")):
        codes = sorted({int(x) for c in columns for x in v("", key).of(results, c)})
        if codes:
            lines.append(f"| {label} | {fmt.format(codes)} |")
    tmp_left = [x for c in columns for x in v("", "tmp_left").of(results, c)]
    if tmp_left:
        lines.append(f"| files left in TMPDIR after exit (all launcher runs) | {int(sum(tmp_left))} |")
    return lines


def verdicts(results: Results, columns: list[str]) -> list[str]:
    """Every row's target, for every variant it holds for."""
    out = []
    for row in MAIN:
        if row.target is None:
            continue
        figure = re.sub(r" \([^)]*\)$", "", row.figure)  # without its unit
        for variant in row.target.variants or tuple(columns):
            if variant not in columns:
                continue
            mine = med(row.of(results, variant))
            if row.target.unit == "×":
                value = divide(mine, med(row.of(results, "baseline")))
                name = f"{variant}: {figure} ÷ baseline"
            else:
                value = mine
                name = f"{variant}: {figure}"
            out.append(verdict(name, value, row.target.limit, row.target.unit))
    content = t("", "content")
    out.append(verdict(
        "launcher.py: first visible content ÷ baseline measured from chromium's start (stricter)",
        divide(med(content.of(results, "launcher.py")),
               med(t("", "content_from_browser").of(results, "baseline"))), 0.5))
    for b in BETWEEN:
        if b.target is not None:
            out.append(verdict(b.figure, divide(med(b.row.of(results, b.over)),
                                                med(b.row.of(results, b.under))),
                               b.target.limit))
    for label, row, limit in FIRST_START:
        out.append(verdict(label, med(row.of(results, "onefile-first")), limit, " s"))
    return out


def notes(results: Results, columns: list[str]) -> list[str]:
    out = []
    clicks = [x for c in [*columns, "baseline", "floor"] for x in v("", "close_clicks").of(results, c)]
    if clicks:
        again = sum(1 for c in clicks if c > 1)
        out += ["", f"WM_DELETE_WINDOW re-sent (first one ignored) in {again} of {len(clicks)} "
                    "closes (all variants, floor included)."]
    listed = [f"- {r.variant}: {n}" for runs in results.values() for r in runs for n in r.notes]
    slider = v("", "slider")
    read_back = slider.of(results, "launcher.py") + slider.of(results, "baseline")
    if read_back:
        listed.append(f"- slider read back after pressing Home: {read_back} "
                      "(0.5 = fastest interval)")
    if listed:
        out += ["", "Notes:", "", *listed]
    return out


def by_process(results: Results) -> list[str]:
    out = ["", "By process (the last run of each variant):", ""]
    for variant, runs in results.items():
        if runs and runs[-1].breakdown:
            for label, parts in runs[-1].breakdown.items():
                shown = ", ".join(f"{k} {x:.1f}" for k, x in sorted(parts.items(),
                                                                   key=lambda kv: -kv[1]))
                out.append(f"- {variant}, {label}: {shown}")
    return out


def report(results: Results, floor_imports: dict[str, list[float]],
           profile: dict[str, list[tuple[str, float]]], conditions: Conditions) -> str:
    c = conditions
    columns = [variant for variant in VARIANT_COLUMNS if variant in results]
    out = [f"# Benchmark results ({c.started_at:%Y-%m-%d %H:%M} machine time)", ""]
    out.append(
        f"Machine: {platform.node() or '?'}, {platform.machine()}, nproc {os.cpu_count()}, "
        f"Linux {platform.release()}; display {c.display_name} (Xvfb, software GL). "
        f"Load average at start {c.load_before[0]:.2f}/{c.load_before[1]:.2f}/"
        f"{c.load_before[2]:.2f}, at end {c.load_after[0]:.2f}/{c.load_after[1]:.2f}/"
        f"{c.load_after[2]:.2f}; 1-min load at each launch {min(c.loads or [0]):.2f}–"
        f"{max(c.loads or [0]):.2f}. Runs per variant: {c.runs} (interleaved, after one "
        f"warm-up launch of each unless --quick/--no-warmup); streaming {c.stream_seconds:.0f} s "
        f"at each interval, in the last run of launcher.py and baseline. Whole benchmark: "
        f"{c.elapsed / 60:.1f} min. Tree: {git_state()}. Python runs: {c.bytecode}."
    )
    out += ["", "Cells: median (min–max). Ratios: median ÷ baseline median, same invocation.",
            "", *main_table(results, columns), ""]
    out += ["Baseline on Chromium's own clock, floors, sizes:", "",
            *second_table(results, columns, floor_imports), ""]
    out += ["Targets (launcher.py unless named):", "", *verdicts(results, columns)]
    out += notes(results, columns)
    out += by_process(results)
    out += ["", "Import profile (`python -X importtime`, self time summed per top-level package, ms):",
            ""]
    for name, items in profile.items():
        out.append(f"- {name}: " + ", ".join(f"{pkg} {ms:.0f}" for pkg, ms in items))
    out.append("")
    return "\n".join(out)
