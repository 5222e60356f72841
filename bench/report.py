"""The report, bench/results.md: declarative tables of rows, filled from the runs.

Each row names its figure, how it is measured (the Run field it reads), its format, and
any target in a unit. Issue 12's targets are ratios, declared once in GOALS: our figure
÷ the best peer's (the lowest median of the baseline and the peers, same run) or ÷
Chromium's (the baseline); the summary at the top and the tables' target column are made
from them.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import statistics
import subprocess
from dataclasses import dataclass, field
from typing import Literal

from bench import floor_report
from bench.launching import Run
from bench.peers import PEERS
from bench.settings import (
    FLOOR_FIRST_SESSION, FLOOR_PAGE, ONEDIR, ONEFILE, PLATEAU_SECONDS, ROOT, warm_of,
)

Results = dict[str, list[Run]]  # variant -> its runs
VARIANT_COLUMNS = ("launcher.py", "alt", "onedir", "onefile", "onefile-first")
GOAL_COLUMNS = ("launcher.py", "alt")  # the summary's: the source tree, and an A/B's copy
PEER_COLUMNS = ("baseline", *PEERS)  # the others, on this project's own app
PEER_NAMES = {"baseline": "Chromium", "streamlit-desktop-app": "streamlit-desktop-app"}


@dataclass(frozen=True)
class Target:
    limit: float
    unit: str = "×"  # "×": a ratio (BETWEEN: one build ÷ the other); else a value in this unit
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

    def median(self, results: Results, variant: str) -> float | None:
        return med(self.of(results, variant))


def t(figure: str, key: str, target: Target | None = None, **kw: object) -> Row:
    return Row(figure, "t", key, target, **kw)  # type: ignore[arg-type]


def v(figure: str, key: str, target: Target | None = None, **kw: object) -> Row:
    return Row(figure, "values", key, target, **kw)  # type: ignore[arg-type]


NO_RATIO = {"ratio": False}
MAIN = (
    t("launch → window mapped (s)", "window"),
    t("launch → window painted, non-black (s)", "painted"),
    t("launch → first visible content: something drawn on it (s)", "content"),
    t("launch → the app window (after the splash) shows its loading screen (s)", "app_window",
      **NO_RATIO),
    t("launch → loading screen in the DOM, CDP (s)", "loading_dom", **NO_RATIO),
    t("launch → \"Data feed\" h1 (s)", "title"),
    t("launch → chart drawn (s)", "chart"),
    v("the window's page request → chart drawn (s)", "page_to_chart"),
    v("close → every process gone (s)", "close"),
    v("close → gone, from the WM_DELETE_WINDOW that took effect (s)", "close_effective"),
    v("processes left after close", "left", Target(0, "", label="0"), fmt="{:.0f}",
      **NO_RATIO),
    v("WM_DELETE_WINDOW messages needed", "close_clicks", fmt="{:.0f}", **NO_RATIO),
    v("PSS of the tree, app open (MiB)", "pss", fmt="{:.0f}"),
    v("processes in the tree", "processes", fmt="{:.0f}", **NO_RATIO),
    v("second launch while the app runs → it has handed over and exited (s)", "second_click",
      Target(1.5, " s", ("onefile",), "single file ≤ 1.5 s"), **NO_RATIO),
    t("log: launch → \"starting\" (s)", "log_starting", **NO_RATIO),
    t("log: launch → \"window shown\" (s)", "log_shown", **NO_RATIO),
    t("log: launch → \"app loaded in the window\" (s)", "log_loaded", **NO_RATIO),
)
# A second launch with the first one's home: its web profile (QtWebEngine's HTTP and
# code caches; Chromium's --user-data-dir), settings and port.
WARM = (
    t("launch → window mapped (s)", "window"),
    t("launch → first visible content (s)", "content"),
    t("launch → \"Data feed\" h1 (s)", "title"),
    t("launch → chart drawn (s)", "chart"),
    v("the window's page request → chart drawn (s)", "page_to_chart"),
    v("PSS of the tree, app open (MiB)", "pss", fmt="{:.0f}"),
    v("close → every process gone (s)", "close"),
)
# The last round's launch of launcher.py (and alt) and the baseline, left open.
STREAMING = (
    v("CPU idle, page open (% of a core)", "idle_cpu", fmt="{:.1f}"),
    v("CPU streaming every 1 s (% of a core)", "stream_cpu_1s", fmt="{:.1f}"),
    v("PSS when streaming starts (MiB)", "stream_pss_start_1s", fmt="{:.0f}"),
    v("PSS plateau streaming every 1 s (MiB)", "stream_plateau_1s", fmt="{:.0f}"),
    v("PSS max streaming every 1 s (MiB)", "stream_pss_1s", fmt="{:.0f}"),
    v("chart redraws/s streaming every 1 s", "redraws_per_s_1s", **NO_RATIO),
    v("CPU streaming every 0.5 s (% of a core)", "stream_cpu_05s", fmt="{:.1f}"),
    v("PSS plateau streaming every 0.5 s (MiB)", "stream_plateau_05s", fmt="{:.0f}"),
    v("PSS max streaming every 0.5 s (MiB)", "stream_pss_05s", fmt="{:.0f}"),
    v("chart redraws/s streaming every 0.5 s", "redraws_per_s_05s", **NO_RATIO),
    v("  + Xvfb CPU streaming 0.5 s (%)", "stream_xvfb_cpu_05s", fmt="{:.1f}", **NO_RATIO),
)


@dataclass(frozen=True)
class Goal:
    """One of issue 12's targets: our median ÷ a reference's median ≤ `limit`."""

    figure: str
    row: Row
    limit: float
    against: Literal["best peer", "Chromium"]  # the best of the baseline and the peers
    warm: bool = False  # the warm launches, ours and the reference's

    @property
    def text(self) -> str:
        return f"≤ {self.limit:g}× {self.against}" + (" kept profile" if self.warm else "")

    def reference(self, results: Results) -> tuple[str, float] | None:
        """(who, median) the figure is held against; None if not measured."""
        if self.against == "Chromium":
            name = warm_of("baseline") if self.warm else "baseline"
            value = self.row.median(results, name)
            return None if value is None else ("Chromium", value)
        found = [(PEER_NAMES.get(p, p), value) for p in PEER_COLUMNS
                 if (value := self.row.median(results, p)) is not None]
        return min(found, key=lambda pair: pair[1]) if found else None

    def ratio(self, results: Results, variant: str) -> float | None:
        reference = self.reference(results)
        mine = self.row.median(results, warm_of(variant) if self.warm else variant)
        return divide(mine, reference[1] if reference else None)


GOALS = (
    Goal("chart drawn, cold (s)", t("", "chart"), 0.8, "best peer"),
    Goal("chart drawn, warm: kept profile (s)", t("", "chart"), 0.7, "Chromium",
         warm=True),
    Goal("PSS, page open (MiB)", v("", "pss", fmt="{:.0f}"), 0.9, "best peer"),
    Goal("PSS plateau streaming at 1 s (MiB)", v("", "stream_plateau_1s", fmt="{:.0f}"), 0.8,
         "Chromium"),
    Goal("CPU streaming at 1 s (% of a core)", v("", "stream_cpu_1s", fmt="{:.1f}"), 0.8,
         "Chromium"),
    Goal("close → every process gone (s)", v("", "close"), 0.5, "best peer"),
)

# The bare window on the app's page (bench/floor_report.py makes the floors of them).
FLOOR_PAGE_ROWS = (
    ("floor: bare window on the app's page, cold: launch → \"Data feed\" h1 (s)", FLOOR_PAGE,
     t("", "title")),
    ("floor: bare window on the app's page, cold: launch → chart drawn (s)", FLOOR_PAGE,
     t("", "chart")),
    ("floor: bare window on the app's page, cold: its page request → chart drawn (s)",
     FLOOR_PAGE, v("", "page_to_chart")),
    ("floor: bare window on the app's page, cold, the server's first session: launch → chart "
     "drawn (s)", FLOOR_FIRST_SESSION, t("", "chart")),
    ("floor: bare window on the app's page, cold, the server's first session: its page request "
     "→ chart drawn (s)", FLOOR_FIRST_SESSION, v("", "page_to_chart")),
    ("floor: bare window on the app's page, warm: launch → chart drawn (s)",
     warm_of(FLOOR_PAGE), t("", "chart")),
    ("floor: bare window on the app's page, warm: its page request → chart drawn (s)",
     warm_of(FLOOR_PAGE), v("", "page_to_chart")),
    ("floor: bare window on the app's page, PSS of its tree (MiB)", FLOOR_PAGE,
     v("", "pss", fmt="{:.0f}")),
    ("floor: its server's process, `launcher.py --headless`, PSS (MiB)", FLOOR_PAGE,
     v("", "server_pss", fmt="{:.0f}")),
    ("floor: an interpreter with the modules window and server both import, PSS (MiB)",
     FLOOR_PAGE, v("", "shared_interpreter_pss", fmt="{:.0f}")),
    ("floor: a bare `python`, PSS (MiB)", FLOOR_PAGE,
     v("", "bare_interpreter_pss", fmt="{:.0f}")),
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
    *FLOOR_PAGE_ROWS,
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
    fast_stream_seconds: float
    variants: list[str]  # those measured (the floor aside)
    warm_primes: int  # launches before each warm one, with its home
    missing: dict[str, str]  # variants that could not run here, and why
    started_at: dt.datetime
    elapsed: float
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    loads: list[float]
    display_name: str
    bytecode: str
    environment: dict[str, str] = field(default_factory=dict)  # --env: all variants of ours
    alt_environment: dict[str, str] = field(default_factory=dict)  # --alt-env: "alt" only


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


def targets(results: Results) -> floor_report.Targets:
    """Each goal's value this run: its limit × the median it is held against."""
    found: floor_report.Targets = {}
    for goal in GOALS:
        reference = goal.reference(results)
        if reference is not None:
            found[(goal.row.key, goal.warm)] = floor_report.Target(
                goal.text, goal.limit * reference[1], goal.limit)
    return found


def best_peer(row: Row, results: Results) -> tuple[str, float] | None:
    """(who, median): the lowest median of the baseline and the peers for this figure."""
    found = [(p, value) for p in PEER_COLUMNS if (value := row.median(results, p)) is not None]
    return min(found, key=lambda pair: pair[1]) if found else None


def goal_of(row: Row, warm: bool = False) -> Goal | None:
    return next((g for g in GOALS if g.row.key == row.key and g.warm == warm), None)


def table(rows: tuple[Row, ...], results: Results, columns: list[str], references: list[str],
          against: str, warm: bool = False) -> list[str]:
    """Rows of figures: our columns, the references' columns, our medians ÷ `against`
    ("best peer": each row's lowest reference median, named; else that column's), the
    target."""
    best_column = ["best peer"] if against == "best peer" else []
    header = ["figure", *columns, *references, *best_column,
              *[f"{c} ÷ {against}" for c in columns], "target"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        if not any(row.of(results, c) for c in [*columns, *references]):
            continue
        named = []
        if against == "best peer":
            best = best_peer(row, results) if row.ratio else None
            reference = best[1] if best else None
            named = [best[0] if best else ""]
        else:
            reference = row.median(results, against)
        cells = [cell(row.of(results, c), row.fmt) for c in [*columns, *references]]
        ratios = [ratio(row.median(results, c), reference) if row.ratio else "" for c in columns]
        goal = goal_of(row, warm)
        target = goal.text if goal else row.target.text if row.target else ""
        lines.append("| " + " | ".join([row.figure, *cells, *named, *ratios, target]) + " |")
    return lines


def summary(results: Results) -> list[str]:
    """Issue 12's targets, each with the figure it holds, from this run."""
    columns = [c for c in GOAL_COLUMNS if c in results]
    header = ["figure (issue 12)", *columns, "held against", *[f"{c} ratio" for c in columns],
              "target", *[f"{c}: met?" for c in columns]]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for goal in GOALS:
        reference = goal.reference(results)
        mine = [goal.row.median(results, warm_of(c) if goal.warm else c) for c in columns]
        quotients = [goal.ratio(results, c) for c in columns]
        ref = "-" if reference is None else f"{goal.row.fmt.format(reference[1])} ({reference[0]})"
        lines.append("| " + " | ".join([
            goal.figure, *["-" if m is None else goal.row.fmt.format(m) for m in mine], ref,
            *["-" if q is None else f"{q:.2f}×" for q in quotients], goal.text,
            *["not measured" if q is None else "met" if q <= goal.limit else "**not met**"
              for q in quotients],
        ]) + " |")
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
    """Targets from earlier issues that still hold: nothing left running, the single file."""
    out = []
    for row in MAIN:
        if row.target is None:
            continue
        figure = re.sub(r" \([^)]*\)$", "", row.figure)  # without its unit
        for variant in row.target.variants or tuple(columns):
            if variant in columns:
                out.append(verdict(f"{variant}: {figure}", row.median(results, variant),
                                   row.target.limit, row.target.unit))
    for b in BETWEEN:
        if b.target is not None and b.over in columns and b.under in columns:
            out.append(verdict(b.figure, divide(b.row.median(results, b.over),
                                                b.row.median(results, b.under)),
                               b.target.limit))
    if "onefile-first" in columns:
        for label, row, limit in FIRST_START:
            out.append(verdict(label, row.median(results, "onefile-first"), limit, " s"))
    return out


def notes(results: Results, columns: list[str]) -> list[str]:
    out = []
    clicks = [x for c in results for x in v("", "close_clicks").of(results, c)]
    if clicks:
        again = sum(1 for c in clicks if c > 1)
        out += ["", f"WM_DELETE_WINDOW re-sent (first one ignored) in {again} of {len(clicks)} "
                    "closes (all variants, floor included)."]
    shared = [x for c in results for key in ("outside_sharers", "outside_sharers_streaming")
              for x in v("", key).of(results, c)]
    if shared:
        out += ["", "PSS readings while processes outside the benchmark mapped the same "
                "site-packages files (uv hardlinks one copy into every venv, so PSS splits "
                "those pages with them: such readings are lower than on a quiet machine): "
                f"{sum(1 for x in shared if x)} of {len(shared)}."]
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


def conditions_text(c: Conditions) -> str:
    loads = f"{min(c.loads or [0]):.2f}–{max(c.loads or [0]):.2f}"
    return (
        f"Machine: {platform.node() or '?'}, {platform.machine()}, nproc {os.cpu_count()}, "
        f"Linux {platform.release()}; display {c.display_name} (Xvfb, software GL). "
        f"**Load average at start {c.load_before[0]:.2f}/{c.load_before[1]:.2f}/"
        f"{c.load_before[2]:.2f}, at end {c.load_after[0]:.2f}/{c.load_after[1]:.2f}/"
        f"{c.load_after[2]:.2f}; 1-min load at each launch {loads}.** Runs per variant: "
        f"{c.runs} of {', '.join(c.variants)} (interleaved, after one warm-up launch of "
        "each unless --quick/--no-warmup; "
        f"each warm run after {c.warm_primes} launch(es) of its own, not measured). Streaming "
        f"in the last run of launcher.py (and alt) and baseline: {c.stream_seconds:.0f} s at 1 s, then "
        f"{c.fast_stream_seconds:.0f} s at 0.5 s; PSS sampled every 5 s, plateau = median of "
        f"the samples in the last {min(PLATEAU_SECONDS, c.stream_seconds / 2):.0f} s. "
        f"Whole benchmark: {c.elapsed / 60:.1f} min. Tree: {git_state()}. "
        f"Python runs: {c.bytecode}."
        + "".join(f" Environment of {who}: {' '.join(f'{k}={v}' for k, v in env.items())}."
                  for who, env in (("every variant of ours (--env)", c.environment),
                                   ("alt (--alt-env)", c.alt_environment)) if env)
    )


def report(results: Results, floor_imports: dict[str, list[float]],
           profile: dict[str, list[tuple[str, float]]], conditions: Conditions) -> str:
    c = conditions
    columns = [variant for variant in VARIANT_COLUMNS if variant in results]
    peers = [p for p in PEER_COLUMNS if p in results]
    warm_columns = [warm_of(v) for v in columns if warm_of(v) in results]
    warm_peers = [warm_of(p) for p in peers if warm_of(p) in results]
    out = [f"# Benchmark results ({c.started_at:%Y-%m-%d %H:%M} machine time)", "",
           conditions_text(c), ""]
    out += ["Issue 12's targets, this run (medians; the best peer is the lowest median of "
            f"{', '.join(peers) or 'the peers'} for that figure; Chromium is the baseline, "
            "`streamlit run` + Chromium `--app`):", "", *summary(results), ""]
    for variant, why in c.missing.items():
        out.append(f"Not measured: {variant}: {why}")
    if results.get(FLOOR_PAGE):
        out += ["", "What stops each missed target, measured in this run (the floors: what this "
                "app cannot go below with Python and QtWebEngine, whatever its server or start "
                "path does; bench/floor_report.py says how each is made):", "",
                *floor_report.table(results, targets(results))]
    out += ["", "Cells: median (min–max), same invocation. Peers: baseline = `streamlit run` + "
            "Chromium `--app` with a fresh profile; streamlit-desktop-app = its "
            "start_desktop_app() on app/streamlit_app.py (bench/peers.py).", "",
            "Cold (a fresh home and profile at every launch), ratios ÷ the best peer:", "",
            *table(MAIN, results, columns, peers, "best peer"), ""]
    if warm_columns:
        out += ["Warm (a launch with the home, web profile and port that the launch before it "
                "left, see above), ratios ÷ Chromium with its kept profile:", "",
                *table(WARM, results, warm_columns, warm_peers, warm_of("baseline"),
                       warm=True), ""]
    streamed = [x for x in columns if v("", "stream_cpu_1s").of(results, x)]
    if streamed:
        out += ["Streaming (the last run, left open), ratios ÷ Chromium:", "",
                *table(STREAMING, results, streamed, ["baseline"], "baseline"), ""]
    out += ["Baseline on Chromium's own clock, floors, sizes:", "",
            *second_table(results, columns, floor_imports), ""]
    earlier = verdicts(results, columns)
    if earlier:
        out += ["Targets from earlier issues that still hold:", "", *earlier]
    out += notes(results, columns)
    out += by_process(results)
    out += ["", "Import profile (`python -X importtime`, self time summed per top-level package, ms):",
            ""]
    for name, items in profile.items():
        out.append(f"- {name}: " + ", ".join(f"{pkg} {ms:.0f}" for pkg, ms in items))
    out.append("")
    return "\n".join(out)
