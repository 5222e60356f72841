"""Benchmark: the desktop launcher against `streamlit run` + Chromium, on this machine.

    .venv/bin/python bench/run.py [--runs N] [--quick] [--stream-seconds S] [--display :N]

Not a pass/fail test: it prints one markdown table (median, min-max over the runs,
and each figure as a ratio to the baseline measured in the same invocation) and writes
it to bench/results.md. A full run takes about 8-10 minutes; --quick (1 run, 10 s of
streaming, no warm-up) is a smoke test of the script itself. Details: bench/README.md.
"""

from __future__ import annotations

import argparse
import atexit
import collections
import contextlib
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from Xlib import X, display  # noqa: E402  (python-xlib, a test dependency)
from Xlib.error import XError  # noqa: E402
from Xlib.ext import res  # noqa: E402

from tests.support import cdp, procs, x11  # noqa: E402
from tests.support.launch import Launched, launch  # noqa: E402
from tests.support.window import CHARTS_DRAWN, ERRORS, HEADINGS  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python")
ONEFILE = ROOT / "dist" / "fragment-demos"  # the single file (build/stage/)
# Variant "onefile" is the single file's second and later starts: it runs with this
# cache, filled once before the measured runs; "onefile-first" gets an empty cache
# (its home's own) at every launch: the first start after a download.
WARM_CACHE: dict[str, Path] = {}
# A second launch while the app runs, measured in these variants: it should bring the
# window forward and exit 0 (single_instance.py).
SECOND_CLICK_VARIANTS = ("onedir", "onefile")
ONEDIR = ROOT / "dist" / "fragment-demos-onedir" / "fragment-demos"
CHROMIUM = "/usr/bin/chromium"
RESULTS = Path(__file__).resolve().parent / "results.md"
ALT_LAUNCHER = ROOT / "launcher.py"  # --alt: a modified copy, measured as variant "alt"
ALT_ENV: dict[str, str] = {}  # --alt-env KEY=VALUE: extra environment of variant "alt"
TITLE = "Data feed"
TIMEOUT = 90.0  # seconds for one launch to reach the drawn chart
CLK_TCK = os.sysconf("SC_CLK_TCK")

# One expression per poll: where the page is and what it shows.
PAGE_STATE = (
    "({href: location.href, loading: !!document.getElementById('loading'), "
    f"h1: {HEADINGS}, charts: {CHARTS_DRAWN}, errors: {ERRORS}}})"
)
START_BUTTON = "Start streaming"
STOP_BUTTON = "Stop streaming"
SLIDER_INPUT = '[data-testid="stSlider"] input[type="range"]'


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --------------------------------------------------------------------------- cleanup
class Reaper:
    """Everything this script starts, killed at the end whatever happens."""

    def __init__(self) -> None:
        self.popens: list[subprocess.Popen[Any]] = []
        self.seen: dict[int, str] = {}  # pid -> start time (tells reused pids apart)
        self.dirs: list[Path] = []

    def add(self, popen: subprocess.Popen[Any]) -> subprocess.Popen[Any]:
        self.popens.append(popen)
        self.track(popen.pid)
        return popen

    def track(self, pid: int) -> dict[int, str]:
        tree = procs.descendants(pid)
        info = procs._stat(pid)  # noqa: SLF001 - (parent, start time) of a live process
        if info:
            tree[pid] = info[1]
        self.seen.update(tree)
        return tree

    def kill_all(self) -> None:
        xvfb = [p for p in self.popens if p.args and p.args[0] == "Xvfb"]
        for popen in self.popens:
            if popen.poll() is None and popen not in xvfb:
                with contextlib.suppress(OSError):
                    self.seen.update(procs.descendants(popen.pid))
                    popen.kill()
        xvfb_pids = {p.pid for p in xvfb}
        for line in procs.still_running(self.seen):
            pid = int(line.split(":")[0])
            if pid not in xvfb_pids:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
        for popen in xvfb:  # last, and gently: it removes its socket and lock file
            if popen.poll() is None:
                popen.terminate()
        for popen in self.popens:
            with contextlib.suppress(Exception):
                popen.wait(5)
            if popen.poll() is None:
                popen.kill()
        for path in self.dirs:
            shutil.rmtree(path, ignore_errors=True)


REAPER = Reaper()
atexit.register(REAPER.kill_all)


def _on_signal(sig: int, _frame: Any) -> None:
    raise SystemExit(128 + sig)  # unwinds through every finally, then atexit


# --------------------------------------------------------------------------- /proc
def tree_of(roots: list[int]) -> dict[int, str]:
    tree: dict[int, str] = {}
    for root in roots:
        tree.update(REAPER.track(root))
    return tree


def pss_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        match = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
        if match:
            total += int(match.group(1))
    return total / 1024


def cpu_ticks(pids: list[int]) -> dict[int, int]:
    ticks = {}
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        ticks[pid] = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").replace("\0", " ")
    except OSError:
        return ""


def kind(pid: int) -> str:
    """What a process of the tree is: Chromium's --type, else the program.

    QtWebEngine forks its renderers from its zygote without changing their command
    line: a "zygote" whose parent has the same command line is a renderer.
    """
    joined = _cmdline(pid)  # Chromium rewrites its argv into one string: split on spaces
    parts = joined.split(" ")
    if not joined:
        return "?"
    match = re.search(r"--type=(\S+)", joined)
    if match:
        info = procs._stat(pid)  # noqa: SLF001
        if match.group(1) == "zygote" and info and _cmdline(info[0]) == joined:
            return "renderer (zygote child)"
        return match.group(1)
    if "streamlit" in joined:
        return "streamlit (python)"
    if "launcher.py" in joined or "fragment-demos" in joined or "floor_window" in joined:
        return "app (python: server + Qt/WebEngine browser and GPU threads)"
    return Path(parts[0]).name or "?"


def by_kind(values: dict[int, float]) -> dict[str, float]:
    grouped: dict[str, float] = {}
    for pid, value in values.items():
        grouped[kind(pid)] = grouped.get(kind(pid), 0.0) + value
    return grouped


def pss_each(pids: list[int]) -> dict[int, float]:
    return {pid: pss_mib([pid]) for pid in pids}


def cpu_percent(before: dict[int, int], after: dict[int, int], seconds: float) -> float:
    """% of one core used by the tree between two samples (new processes count whole)."""
    used = sum(t - before.get(pid, 0) for pid, t in after.items())
    return 100.0 * used / CLK_TCK / seconds


# --------------------------------------------------------------------------- X11
class Screen:
    """Our own connection to the display: find a process tree's window, read its pixels."""

    def __init__(self) -> None:
        self.d = display.Display()
        self.root = self.d.screen().root
        self.net_wm_pid = self.d.intern_atom("_NET_WM_PID")

    def window_of(
        self, pids: set[int], exclude: frozenset[int] = frozenset(), smallest: int = 200
    ) -> int | None:
        """A mapped top-level window (at least `smallest` px wide and high) of one of `pids`."""
        for win in self.root.query_tree().children:
            if win.id in exclude:
                continue
            try:
                if win.get_attributes().map_state != X.IsViewable:
                    continue
                prop = win.get_full_property(self.net_wm_pid, X.AnyPropertyType)
                owner = prop.value[0] if prop else self.client_pid(int(win.id))
                if owner not in pids:
                    continue
                geometry = win.get_geometry()
                if geometry.width >= smallest and geometry.height >= smallest:
                    return int(win.id)
            except XError:
                continue
        return None

    def client_pid(self, window: int) -> int | None:
        """The pid of the X client that made `window`, from the X server (X-Resource).

        For windows without _NET_WM_PID: the onefile bootloader's splash (Tcl/Tk) sets none.
        """
        try:
            reply = self.d.res_query_client_ids([{"client": window, "mask": res.LocalClientPIDMask}])
        except XError:
            return None
        pids = [int(i.value[0]) for i in reply.ids if i.spec.mask == res.LocalClientPIDMask and i.value]
        return pids[0] if pids else None

    def mapped(self, window: int) -> bool:
        try:
            win = self.d.create_resource_object("window", window)
            return win.get_attributes().map_state == X.IsViewable
        except XError:
            return False

    def look(self, window: int) -> tuple[bool, bool]:
        """(painted, content): what the window's middle row and middle column show.

        painted: >= 90 % of those pixels are not black. Xvfb runs with -br (black root)
        and no compositor, so a window that has not drawn yet reads back black.
        content: painted, and at least 4 pixels differ from the most common colour: a
        plain white surface (Qt's background, Chromium's empty page) is not content;
        the loading screen's spinner and text, or Streamlit's sidebar, are.
        """
        try:
            win = self.d.create_resource_object("window", window)
            geometry = win.get_geometry()
            w, h = geometry.width, geometry.height
            row = win.get_image(0, h // 2, w, 1, X.ZPixmap, 0xFFFFFFFF).data
            col = win.get_image(w // 2, 0, 1, h, X.ZPixmap, 0xFFFFFFFF).data
        except XError:
            return False, False
        data = bytes(row) + bytes(col)
        pixels = [data[i : i + 3] for i in range(0, len(data) - 3, 4)]
        if not pixels:
            return False, False
        lit = sum(1 for p in pixels if max(p) > 16)
        painted = lit / len(pixels) >= 0.9
        mode = collections.Counter(pixels).most_common(1)[0][0]
        differ = sum(1 for p in pixels if max(abs(a - b) for a, b in zip(p, mode)) > 24)
        return painted, painted and differ >= 4

    def close(self) -> None:
        self.d.close()


# --------------------------------------------------------------------------- one launch
@dataclass
class Run:
    variant: str
    t: dict[str, float] = field(default_factory=dict)  # event -> seconds after launch
    values: dict[str, float] = field(default_factory=dict)  # other figures
    breakdown: dict[str, dict[str, float]] = field(default_factory=dict)  # per process kind
    notes: list[str] = field(default_factory=list)


@dataclass
class Started:
    """What one launch started: the process roots, the debug port, a way to stop."""

    roots: list[subprocess.Popen[Any]]
    debug_port: int
    t0: float  # time.monotonic() at launch
    t0_wall: float
    app: Launched | None = None  # the launcher variants
    browser: subprocess.Popen[Any] | None = None  # the baseline's chromium
    server: subprocess.Popen[Any] | None = None  # the baseline's streamlit
    t_browser: float | None = None  # baseline: when chromium was started
    tmp: Path | None = None

    seen: dict[int, str] = field(default_factory=dict)  # every process of this launch

    def pids(self) -> dict[int, str]:
        tree = tree_of([p.pid for p in self.roots])
        self.seen.update(tree)
        return tree


def wait_health(port: int, proc: subprocess.Popen[Any], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited {proc.returncode}")
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/_stcore/health", timeout=1
            ) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.02)
    raise TimeoutError("streamlit did not become healthy")


def start_app(variant: str, home: Path) -> Started:
    port = procs.free_port()
    command = {
        "launcher.py": None,  # tests.support.launch: the venv's python launcher.py
        "onedir": [str(ONEDIR)],
        "onefile": [str(ONEFILE)],
        "onefile-first": [str(ONEFILE)],
        "floor": [PYTHON, str(ROOT / "bench" / "floor_window.py")],
        "alt": [PYTHON, str(ALT_LAUNCHER)],
    }[variant]
    tmp = Path(tempfile.mkdtemp(prefix="bench-tmp-"))
    REAPER.dirs.append(tmp)
    t0_wall = time.time()
    t0 = time.monotonic()
    cwd = ALT_LAUNCHER.parent if variant == "alt" else ROOT
    env = {"TMPDIR": str(tmp), **(ALT_ENV if variant == "alt" else {})}
    if variant == "onefile":
        env["XDG_CACHE_HOME"] = str(WARM_CACHE["path"])
    app = launch([], home, command=command, debug_port=port, env=env, cwd=cwd)
    REAPER.add(app.process)
    return Started([app.process], port, t0, t0_wall, app=app, tmp=tmp)


def start_baseline(home: Path) -> Started:
    """`streamlit run` with a fresh Chromium in --app mode, opened once the server answers.

    Chromium is started as soon as /_stcore/health answers (a Chromium started earlier
    shows "connection refused" and does not retry); all times count from the moment
    `streamlit run` was started, and chromium's own start time is kept too.
    """
    port, debug_port = procs.free_port(), procs.free_port()
    home.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, HOME=str(home), PYTHONUNBUFFERED="1")
    out = open(home / "streamlit.log", "w")  # noqa: SIM115 - closed with the run
    t0_wall = time.time()
    t0 = time.monotonic()
    server = REAPER.add(subprocess.Popen(
        [PYTHON, "-m", "streamlit", "run", "app/streamlit_app.py", "--server.headless", "true",
         "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
    ))
    out.close()
    started = Started([server], debug_port, t0, t0_wall, server=server)
    try:
        wait_health(port, server, TIMEOUT)
        started.t_browser = time.monotonic() - t0
        profile = home / "chromium-profile"
        chrome_out = open(home / "chromium.log", "w")  # noqa: SIM115
        browser = REAPER.add(subprocess.Popen(
            [CHROMIUM, f"--app=http://127.0.0.1:{port}/", f"--user-data-dir={profile}",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-sandbox", f"--remote-debugging-port={debug_port}",
             "--window-size=1280,800"],
            cwd=home, env=env, stdin=subprocess.DEVNULL, stdout=chrome_out,
            stderr=subprocess.STDOUT,
        ))
        chrome_out.close()
    except BaseException:
        started.roots = [server]
        raise
    started.browser = browser
    started.roots = [server, browser]
    return started


def observe(started: Started, screen: Screen, run: Run, want_chart: bool) -> tuple[int, cdp.Page]:
    """Poll the window (X, in a thread) and the page (CDP) until the chart is drawn.

    Two loops, so that a slow DevTools answer never delays seeing the window, and the
    other way round; each records the time of what it saw, in seconds after launch.
    """
    t = run.t
    deadline = started.t0 + TIMEOUT
    window_roots = [started.browser] if started.browser else started.roots
    found: dict[str, Any] = {}
    stop = threading.Event()
    # Only the launcher's (and the alt's) first window is a splash.
    first_only = started.app is None or run.variant == "floor"

    def watch_window() -> None:
        try:
            window = None
            pids: set[int] = set()
            last_tree = 0.0
            while not stop.is_set() and time.monotonic() < deadline:
                now = time.monotonic()
                if now - last_tree > 0.2:  # the onefile's app process comes later
                    tree = tree_of([p.pid for p in window_roots])
                    started.seen.update(tree)
                    pids = set(tree)
                    last_tree = now
                if window is None:
                    window = screen.window_of(pids)
                    if window is not None:
                        t["window"] = time.monotonic() - started.t0
                        found["window"] = window
                if window is not None:
                    stamp = time.monotonic() - started.t0
                    painted, content = screen.look(window)
                    if painted and "painted" not in t:
                        t["painted"] = stamp
                    if content and "content" not in t:
                        t["content"] = stamp
                    if "content" in t and not first_only:
                        # The launcher's first window is a splash (the onefile's is the
                        # bootloader's, then the app's): see when the app window itself
                        # has painted content (its loading screen).
                        # (Larger than the splashes, 360x240: the window is 1280x800.)
                        app_window = screen.window_of(
                            pids, exclude=frozenset({window}), smallest=500
                        )
                        if app_window is not None and screen.look(app_window)[1]:
                            t["app_window"] = time.monotonic() - started.t0
                            return
                    if content and first_only:
                        return
                time.sleep(0.01)
        except BaseException as exc:  # noqa: BLE001 - re-raised by the main thread
            found["error"] = exc

    watcher = threading.Thread(target=watch_window, name="bench-x11", daemon=True)
    watcher.start()
    page: cdp.Page | None = None
    try:
        while time.monotonic() < deadline:
            if "error" in found:
                raise found["error"]
            for root in started.roots:
                if root.poll() is not None:
                    raise RuntimeError(f"{run.variant}: exited {root.returncode} during start")
            if page is None:
                try:
                    targets = cdp.page_targets(started.debug_port)
                    if targets:
                        page = cdp.Page(targets[0]["webSocketDebuggerUrl"])
                except OSError:
                    pass
            if page is not None:
                sent = time.monotonic()
                try:
                    state = page.evaluate(PAGE_STATE) or {}
                except (cdp.CDPError, OSError):
                    state = {}
                stamp = (sent + time.monotonic()) / 2 - started.t0
                if state.get("loading") and "loading_dom" not in t:
                    t["loading_dom"] = stamp
                if TITLE in (state.get("h1") or []) and "title" not in t:
                    t["title"] = stamp
                if state.get("errors"):
                    raise RuntimeError(f"{run.variant}: the page shows an error")
                if "title" in t and (state.get("charts") or 0) >= 1 and "chart" not in t:
                    t["chart"] = stamp
            done = ("chart" in t) if want_chart else ("loading_dom" in t)
            seen_all = "content" in t and (first_only or "app_window" in t)
            if done and seen_all and page is not None:
                return found["window"], page
            time.sleep(0.03)
        raise TimeoutError(f"{run.variant}: not rendered after {TIMEOUT} s (seen: {t})")
    except BaseException:
        if page is not None:
            with contextlib.suppress(Exception):
                page.close()
        raise
    finally:
        stop.set()
        watcher.join(5)


def log_times(started: Started, run: Run) -> None:
    """The launcher's own log lines, as seconds after launch (wall clock, ms resolution)."""
    if started.app is None or not started.app.log_file.exists():
        return
    marks = {"starting (window)": "log_starting", "window shown": "log_shown",
             "app loaded in the window": "log_loaded"}
    for line in started.app.log_file.read_text().splitlines():
        for text, key in marks.items():
            if text in line and key not in run.t:
                stamp = dt.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp()
                run.t[key] = stamp - started.t0_wall


def set_slider(page: cdp.Page) -> float | None:
    """Move the interval slider to its minimum (0.5 s) as a keyboard user would: Home.

    Streamlit 1.67's slider is a native <input type=range> (react-aria); a real key
    event (CDP Input.dispatchKeyEvent) moves it and commits the value to the server.
    """
    focused = page.evaluate(
        f"(() => {{ const t = document.querySelector('{SLIDER_INPUT}'); if (!t) return null;"
        " t.focus(); return Number(t.value); })()"
    )
    if focused is None:
        return None
    keys = {"key": "Home", "code": "Home", "windowsVirtualKeyCode": 36}
    page.call("Input.dispatchKeyEvent", type="rawKeyDown", **keys)
    page.call("Input.dispatchKeyEvent", type="keyUp", **keys)
    time.sleep(1.5)  # the value goes to the server, which reruns the page
    return page.evaluate(f"Number(document.querySelector('{SLIDER_INPUT}').value)")


# Counts, in the page, how often the line chart's path changes (sampled at 10 Hz):
# proof that the fragment streams, and at which rate.
COUNT_REDRAWS = """(() => {
  if (window.__benchTimer) clearInterval(window.__benchTimer);
  window.__benchRedraws = 0; let last = null;
  window.__benchTimer = setInterval(() => {
    const p = document.querySelector('[data-testid="stVegaLiteChart"] .mark-line path');
    const d = p ? p.getAttribute('d') : null;
    if (d !== null && last !== null && d !== last) window.__benchRedraws += 1;
    last = d;
  }, 100);
  return true; })()"""
STOP_COUNTING = "(() => { clearInterval(window.__benchTimer); return window.__benchRedraws; })()"


def click_button(page: cdp.Page, label: str) -> bool:
    return bool(page.evaluate(
        "(() => { const b = Array.from(document.querySelectorAll('button'))"
        f".find((b) => b.innerText.trim() === {json.dumps(label)} && !b.disabled);"
        " if (!b) return false; b.click(); return true; })()"
    ))


def button_enabled(page: cdp.Page, label: str) -> bool:
    return bool(page.evaluate(
        "Array.from(document.querySelectorAll('button'))"
        f".some((b) => b.innerText.trim() === {json.dumps(label)} && !b.disabled)"
    ))


def measure_cpu(started: Started, seconds: float, xvfb_pid: int | None) -> dict[str, float]:
    """CPU (% of one core) and PSS of the tree (and of our Xvfb) over `seconds`."""
    pids = list(started.pids())
    before, t_before = cpu_ticks(pids), time.monotonic()
    x_before = cpu_ticks([xvfb_pid]) if xvfb_pid else {}
    pss_max = pss_mib(pids)
    end = t_before + seconds
    while time.monotonic() < end:
        time.sleep(min(5.0, max(0.0, end - time.monotonic())))
        pss_max = max(pss_max, pss_mib(list(started.pids())))
    pids = list(started.pids())
    after, elapsed = cpu_ticks(pids), time.monotonic() - t_before
    result: dict[str, Any] = {"cpu": cpu_percent(before, after, elapsed), "pss_max": pss_max,
                              "pss_end": pss_mib(pids)}
    result["by_kind"] = by_kind({pid: 100.0 * (t - before.get(pid, 0)) / CLK_TCK / elapsed
                                 for pid, t in after.items()})
    result["pss_by_kind"] = by_kind(pss_each(pids))
    if xvfb_pid:
        result["xvfb_cpu"] = cpu_percent(x_before, cpu_ticks([xvfb_pid]), elapsed)
    return result


def stream(started: Started, page: cdp.Page, run: Run, seconds: float, idle: float,
           xvfb_pid: int | None) -> None:
    """Idle, then streaming at the default 1 s, then at 0.5 s (slider at its minimum)."""
    if idle > 0:
        idle_figures = measure_cpu(started, idle, xvfb_pid)
        run.values["idle_cpu"] = idle_figures["cpu"]
        run.breakdown["CPU % idle, page open"] = idle_figures["by_kind"]
    if not click_button(page, START_BUTTON):
        run.notes.append("no Start streaming button")
        return
    time.sleep(2)
    if not button_enabled(page, STOP_BUTTON):
        run.notes.append("streaming did not start")
        return
    time.sleep(2)  # let the first fragment runs settle
    for interval in (1.0, 0.5):
        if interval == 0.5:
            value = set_slider(page)
            run.values["slider"] = value if value is not None else float("nan")
            if value is None or abs(value - 0.5) > 1e-6:
                run.notes.append(f"slider not at 0.5 (reads {value}): measured at that value")
            time.sleep(2)
        page.evaluate(COUNT_REDRAWS)
        figures = measure_cpu(started, seconds, xvfb_pid)
        key = "1s" if interval == 1.0 else "05s"
        run.values[f"redraws_per_s_{key}"] = (page.evaluate(STOP_COUNTING) or 0) / seconds
        run.values[f"stream_cpu_{key}"] = figures["cpu"]
        run.values[f"stream_pss_{key}"] = figures["pss_max"]
        run.breakdown[f"CPU % streaming every {interval:g} s"] = figures["by_kind"]
        run.breakdown[f"PSS MiB at the end of streaming every {interval:g} s"] = (
            figures["pss_by_kind"])
        if "xvfb_cpu" in figures:
            run.values[f"stream_xvfb_cpu_{key}"] = figures["xvfb_cpu"]
    # Still streaming? (the page kept its fragment running all along)
    if not button_enabled(page, STOP_BUTTON):
        run.notes.append("streaming had stopped by the end")
    click_button(page, STOP_BUTTON)
    time.sleep(1.5)


def close(started: Started, screen: Screen, window: int, run: Run) -> None:
    """WM_DELETE_WINDOW as a user would (again every 2 s if ignored); time until all gone."""
    tree = started.pids()
    owner = started.browser or started.roots[0]
    log_file = started.app.log_file if started.app is not None else None

    def closing_seen() -> bool:
        """The close was taken: the app logs it, unmaps its window, or exits."""
        if owner.poll() is not None or not screen.mapped(window):
            return True
        return bool(log_file and log_file.exists() and "window closing" in log_file.read_text())

    # The window there now: the launcher's first window was its splash, gone by now.
    window = screen.window_of(set(tree)) or window
    t_close = time.monotonic()
    clicks = 0
    while clicks < 5:
        if clicks:
            # Qt may have replaced its X window meanwhile: send to the one there now.
            again = screen.window_of(set(tree))
            window = again if again is not None else window
        x11.close_window(window)
        t_last = time.monotonic()
        clicks += 1
        if started.server is not None and clicks == 1:
            # The baseline's server is stopped at once, in parallel with the browser's
            # close: the quickest a person (or a wrapper script) could do it.
            started.server.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline and not closing_seen():
            time.sleep(0.02)
        if closing_seen():
            break
    left = procs.wait_gone(tree, 30)
    gone = time.monotonic() - t_close
    run.values["close_clicks"] = clicks
    run.values["left"] = len(left)
    if left:
        run.notes.append(f"left after 30 s: {left}")
    else:
        run.values["close"] = gone
        # From the message that took effect: without the 2 s a re-send costs.
        run.values["close_effective"] = t_close + gone - t_last
    for root in started.roots:
        with contextlib.suppress(Exception):
            root.wait(5)
    if started.app is not None and started.app.process.returncode is not None:
        run.values["exit_code"] = started.app.process.returncode
    if started.tmp is not None and started.tmp.exists():
        run.values["tmp_left"] = len(list(started.tmp.iterdir()))


def one_run(variant: str, screen: Screen, home: Path, *, want_chart: bool = True,
            stream_seconds: float = 0, idle_seconds: float = 0,
            xvfb_pid: int | None = None) -> Run:
    run = Run(variant)
    started = (start_baseline(home) if variant == "baseline" else start_app(variant, home))
    page: cdp.Page | None = None
    try:
        window, page = observe(started, screen, run, want_chart)
        if started.t_browser is not None:
            run.values["t_browser"] = started.t_browser
            for key in ("window", "painted", "content", "title", "chart"):
                if key in run.t:
                    run.t[f"{key}_from_browser"] = run.t[key] - started.t_browser
        time.sleep(2)  # settle, then memory with the page open
        pids = list(started.pids())
        run.values["pss"] = pss_mib(pids)
        run.breakdown["PSS MiB, app open"] = by_kind(pss_each(pids))
        run.values["processes"] = len(started.pids())
        if variant in SECOND_CLICK_VARIANTS:
            second_click(variant, started, run)
        if stream_seconds > 0:
            stream(started, page, run, stream_seconds, idle_seconds, xvfb_pid)
        log_times(started, run)
        page.close()
        page = None
        close(started, screen, window, run)
    finally:
        with contextlib.suppress(Exception):
            started.pids()
        if page is not None:
            with contextlib.suppress(Exception):
                page.close()
        for root in started.roots:
            if root.poll() is None:
                root.kill()
        for line in procs.still_running(started.seen):
            with contextlib.suppress(OSError):
                os.kill(int(line.split(":")[0]), signal.SIGKILL)
    return run


def second_click(variant: str, started: Started, run: Run) -> None:
    """Launch the same program again (same home, cache, runtime dir) while it runs: the
    time until that launch has handed over to the running app and exited, its exit code."""
    assert started.app is not None
    command = {"onedir": [str(ONEDIR)], "onefile": [str(ONEFILE)]}[variant]
    env = {"TMPDIR": str(started.tmp)}
    if variant == "onefile":
        env["XDG_CACHE_HOME"] = str(WARM_CACHE["path"])
    t0 = time.monotonic()
    again = launch([], started.app.home, command=command, env=env)
    REAPER.add(again.process)
    try:
        code = again.process.wait(30)
    except subprocess.TimeoutExpired:
        run.notes.append("second launch still running after 30 s")
        again.process.kill()
        again.process.wait(10)
        return
    run.values["second_click"] = time.monotonic() - t0
    run.values["second_click_exit"] = code


def warm_single_file_cache(work: Path) -> Path:
    """A cache the single file has unpacked into once (its first start, not measured)."""
    cache = work / "single-file-cache"
    home = work / "single-file-warming"
    app = launch(["--version"], home, command=[str(ONEFILE)], env={"XDG_CACHE_HOME": str(cache)})
    REAPER.add(app.process)
    code = app.process.wait(600)
    if code != 0:
        raise RuntimeError(f"{ONEFILE} --version exited {code}: {app.output()}")
    return cache


# --------------------------------------------------------------------------- floors
SERVER_IMPORTS = (
    "import uvicorn; from streamlit import config; from streamlit.starlette import App; "
    "from streamlit.web import bootstrap; "
    "from streamlit.web.server.starlette import starlette_server; "
    "import pandas, numpy, altair"
)
GUI_IMPORTS = "import webview; from webview.platforms import qt"
LAUNCHER_IMPORTS = "import desktop_shell.process.cli"


def timed_import(statement: str) -> tuple[float, float]:
    """(seconds inside the import, wall seconds of the whole `python -c`) in a fresh process."""
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    start = time.monotonic()
    out = subprocess.run([PYTHON, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, check=True)
    return float(out.stdout.strip().splitlines()[-1]), time.monotonic() - start


def importtime_profile(statement: str, top: int = 10) -> list[tuple[str, float]]:
    """Self time per top-level package (ms), from `python -X importtime`."""
    out = subprocess.run([PYTHON, "-X", "importtime", "-c", statement], cwd=ROOT,
                         capture_output=True, text=True, timeout=120, check=True)
    per_package: dict[str, float] = {}
    for line in out.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)", line)
        if match:
            package = match.group(4).split(".")[0]
            per_package[package] = per_package.get(package, 0) + int(match.group(1)) / 1000
    return sorted(per_package.items(), key=lambda kv: -kv[1])[:top]


# --------------------------------------------------------------------------- report
def stats(values: list[float]) -> tuple[float, float, float] | None:
    values = [v for v in values if v == v]  # drop NaN
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


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "-"
    return f"{a / b:.2f}×"


def start_xvfb(requested: str | None) -> tuple[str, subprocess.Popen[Any] | None]:
    if requested:
        return requested, None
    for number in range(61, 99):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            break
    else:
        raise RuntimeError("no free X display number between :61 and :98")
    name = f":{number}"
    xvfb = REAPER.add(subprocess.Popen(
        ["Xvfb", name, "-screen", "0", "1400x900x24", "-nolisten", "tcp", "-br"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    ))
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        if xvfb.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"Xvfb {name} did not start")
        time.sleep(0.05)
    time.sleep(0.3)
    return name, xvfb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="launches per variant (default 3)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: 1 run, 10 s streaming, no warm-up")
    parser.add_argument("--stream-seconds", type=float, default=None,
                        help="seconds of streaming measured at each interval (default 60)")
    parser.add_argument("--display", help="use this X display instead of starting an Xvfb")
    parser.add_argument("--variants", default="launcher.py,onedir,onefile,onefile-first,baseline",
                        help="comma-separated subset (baseline is needed for ratios)")
    parser.add_argument("--no-warmup", action="store_true")
    parser.add_argument("--alt", type=Path, metavar="LAUNCHER_PY",
                        help="also measure this launcher.py (a modified copy) as variant 'alt'")
    parser.add_argument("--alt-env", action="append", default=[], metavar="KEY=VALUE",
                        help="environment for variant 'alt' (implies --alt launcher.py if not given)")
    parser.add_argument(
        "--no-bytecode-cache", action="store_true",
        help="keep the environment's PYTHONDONTWRITEBYTECODE: every `python` start then "
        "compiles Streamlit, pandas... from source (this venv has no .pyc files)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    stream_seconds = args.stream_seconds if args.stream_seconds is not None else (
        10.0 if args.quick else 60.0)
    idle_seconds = 5.0 if args.quick else 10.0
    variants = [v for v in args.variants.split(",") if v]
    if args.alt or args.alt_env:
        global ALT_LAUNCHER
        ALT_LAUNCHER = (args.alt or ROOT / "launcher.py").resolve()
        ALT_ENV.update(item.split("=", 1) for item in args.alt_env)
        variants.insert(1, "alt")
    for variant, exe in (("onedir", ONEDIR), ("onefile", ONEFILE), ("onefile-first", ONEFILE)):
        if variant in variants and not exe.exists():
            log(f"{exe} is missing: skipping {variant} (build it, see bench/README.md)")
            variants.remove(variant)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _on_signal)
    bytecode = "as the environment has it"
    if os.environ.get("PYTHONDONTWRITEBYTECODE") and not args.no_bytecode_cache:
        # A normal Python writes __pycache__ on the first import and reuses it; here the
        # environment forbids it and the venv holds no .pyc, so each start would compile
        # every module again. Give the Python runs (launcher.py, streamlit run, floors)
        # a bytecode cache of their own, outside the venv; the warm-up fills it.
        os.environ.pop("PYTHONDONTWRITEBYTECODE")
        os.environ["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "fd-bench-pycache")
        bytecode = f"bytecode cache in {os.environ['PYTHONPYCACHEPREFIX']}"
    elif os.environ.get("PYTHONDONTWRITEBYTECODE"):
        bytecode = "no bytecode cache (PYTHONDONTWRITEBYTECODE=1, no .pyc in the venv)"
    work = Path(tempfile.mkdtemp(prefix="fd-bench-"))
    REAPER.dirs.append(work)
    load_before = os.getloadavg()
    started_at = dt.datetime.now()
    clock = time.monotonic()
    try:
        name, xvfb = start_xvfb(args.display)
        os.environ["DISPLAY"] = name
        xvfb_pid = xvfb.pid if xvfb else None
        log(f"display {name}, load {load_before[0]:.2f}, {runs} run(s) of {variants}")
        screen = Screen()
        if "onefile" in variants:
            WARM_CACHE["path"] = warm_single_file_cache(work)
        results: dict[str, list[Run]] = {v: [] for v in [*variants, "floor"]}
        loads: list[float] = []

        def go(variant: str, label: str, **kwargs: Any) -> None:
            loads.append(os.getloadavg()[0])
            home = work / f"{variant}-{label}"
            try:
                run = one_run(variant, screen, home, **kwargs)
            except Exception as exc:  # noqa: BLE001 - a failed run is reported, not fatal
                log(f"{variant} {label}: FAILED: {type(exc).__name__}: {exc}")
                failed = Run(variant)
                failed.notes.append(f"run {label} failed: {type(exc).__name__}: {exc}")
                results[variant].append(failed)
                return
            if not label.startswith("warm"):
                results[variant].append(run)
            shown = ", ".join(f"{k} {v:.2f}" for k, v in run.t.items())
            more = ", ".join(f"{k} {v:.3g}" if isinstance(v, (int, float)) else f"{k} {v}"
                             for k, v in run.values.items())
            log(f"{variant} {label}: {shown}; {more}{'; ' if run.notes else ''}{'; '.join(run.notes)}")

        if "PYTHONPYCACHEPREFIX" in os.environ:
            # Fill the bytecode cache first, so no variant pays for compiling.
            timed_import(f"{SERVER_IMPORTS}; {GUI_IMPORTS}; {LAUNCHER_IMPORTS}; "
                         "import desktop_shell.window.window, desktop_shell.server.server, "
                         "desktop_shell.window.selftest, streamlit.web.cli, streamlit.runtime")
        if not (args.quick or args.no_warmup):
            for variant in variants:  # page cache, Python bytecode, fontconfig caches
                go(variant, "warm-up")
        # Interleaved rounds: load that comes and goes hits every variant alike.
        for n in range(1, runs + 1):
            for variant in variants:
                streaming = n == runs and variant in ("launcher.py", "alt", "baseline")
                go(variant, f"run {n}", stream_seconds=stream_seconds if streaming else 0,
                   idle_seconds=idle_seconds if streaming else 0, xvfb_pid=xvfb_pid)
            go("floor", f"run {n}", want_chart=False)

        log("floors: imports")
        floor_imports: dict[str, list[float]] = {"python -c pass": [], "server": [],
                                                 "gui": [], "launcher": []}
        if "PYTHONPYCACHEPREFIX" in os.environ:
            prefix = os.environ.pop("PYTHONPYCACHEPREFIX")
            os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
            floor_imports["server, without a bytecode cache"] = [timed_import(SERVER_IMPORTS)[0]]
            os.environ.pop("PYTHONDONTWRITEBYTECODE")
            os.environ["PYTHONPYCACHEPREFIX"] = prefix
            timed_import(SERVER_IMPORTS)  # the cache is warm for the timed runs
            timed_import(GUI_IMPORTS)
        for _ in range(max(1, runs)):
            floor_imports["python -c pass"].append(timed_import("pass")[1])
            floor_imports["server"].append(timed_import(SERVER_IMPORTS)[0])
            floor_imports["gui"].append(timed_import(GUI_IMPORTS)[0])
            floor_imports["launcher"].append(timed_import(LAUNCHER_IMPORTS)[0])
        profile = {"server": importtime_profile(SERVER_IMPORTS),
                   "gui": importtime_profile(GUI_IMPORTS)}
        screen.close()
    finally:
        REAPER.kill_all()
    load_after = os.getloadavg()
    elapsed = time.monotonic() - clock

    text = report(results, floor_imports, profile, runs=runs, stream_seconds=stream_seconds,
                  started_at=started_at, elapsed=elapsed, load_before=load_before,
                  load_after=load_after, loads=loads, display_name=name, bytecode=bytecode)
    print()
    print(text)
    args.output.write_text(text)
    log(f"written to {args.output}")
    return 0


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


def report(results: dict[str, list[Run]], floor_imports: dict[str, list[float]],
           profile: dict[str, list[tuple[str, float]]], *, runs: int, stream_seconds: float,
           started_at: dt.datetime, elapsed: float, load_before: tuple[float, float, float],
           load_after: tuple[float, float, float], loads: list[float],
           display_name: str, bytecode: str) -> str:
    columns = [v for v in ("launcher.py", "alt", "onedir", "onefile", "onefile-first")
               if v in results]
    base = results.get("baseline", [])

    def times(variant: str, key: str) -> list[float]:
        return [r.t[key] for r in results.get(variant, []) if key in r.t]

    def values(variant: str, key: str) -> list[float]:
        return [r.values[key] for r in results.get(variant, []) if key in r.values]

    def sizes() -> tuple[float | None, float | None, int | None]:
        onefile = ONEFILE.stat().st_size / 2**20 if ONEFILE.exists() else None
        onedir = None
        files = None
        if ONEDIR.exists():
            paths = [p for p in ONEDIR.parent.rglob("*") if p.is_file() and not p.is_symlink()]
            onedir = sum(p.stat().st_size for p in paths) / 2**20
            files = len(paths)
        return onefile, onedir, files

    header = ["figure", *columns, "baseline", *[f"{c} ÷ baseline" for c in columns], "target"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]

    def row(label: str, getter: Callable[[str], list[float]], target: str = "",
            fmt: str = "{:.2f}", with_ratio: bool = True) -> None:
        cells = [cell(getter(c), fmt) for c in columns]
        base_values = getter("baseline")
        ratios = [ratio(med(getter(c)), med(base_values)) if with_ratio else "" for c in columns]
        lines.append("| " + " | ".join([label, *cells, cell(base_values, fmt), *ratios, target])
                     + " |")

    row("launch → window mapped (s)", lambda v: times(v, "window"))
    row("launch → window painted, non-black (s)", lambda v: times(v, "painted"), "≤ 0.5×")
    row("launch → first visible content: something drawn on it (s)",
        lambda v: times(v, "content"), "≤ 0.5×")
    row("launch → the app window (after the splash) shows its loading screen (s)",
        lambda v: times(v, "app_window"), with_ratio=False)
    row("launch → loading screen in the DOM, CDP (s)", lambda v: times(v, "loading_dom"),
        with_ratio=False)
    row("launch → \"Data feed\" h1 (s)", lambda v: times(v, "title"))
    row("launch → chart drawn (s)", lambda v: times(v, "chart"), "≤ 0.6×")
    row("close → every process gone (s)", lambda v: values(v, "close"), "≤ 0.5×")
    row("close → gone, from the WM_DELETE_WINDOW that took effect (s)",
        lambda v: values(v, "close_effective"))
    row("processes left after close", lambda v: values(v, "left"), "0", fmt="{:.0f}",
        with_ratio=False)
    row("WM_DELETE_WINDOW messages needed", lambda v: values(v, "close_clicks"), fmt="{:.0f}",
        with_ratio=False)
    row("PSS of the tree, app open (MiB)", lambda v: values(v, "pss"), "≤ 0.8×", fmt="{:.0f}")
    row("processes in the tree", lambda v: values(v, "processes"), fmt="{:.0f}",
        with_ratio=False)
    row("CPU idle, page open (% of a core)", lambda v: values(v, "idle_cpu"), fmt="{:.1f}")
    row("CPU streaming every 1 s (% of a core)", lambda v: values(v, "stream_cpu_1s"),
        "≤ 5 %", fmt="{:.1f}")
    row("CPU streaming every 0.5 s (% of a core)", lambda v: values(v, "stream_cpu_05s"),
        fmt="{:.1f}")
    row("chart redraws/s streaming every 1 s", lambda v: values(v, "redraws_per_s_1s"),
        fmt="{:.2f}", with_ratio=False)
    row("chart redraws/s streaming every 0.5 s", lambda v: values(v, "redraws_per_s_05s"),
        fmt="{:.2f}", with_ratio=False)
    row("PSS max streaming every 0.5 s (MiB)", lambda v: values(v, "stream_pss_05s"),
        fmt="{:.0f}")
    row("  + Xvfb CPU streaming 0.5 s (%)", lambda v: values(v, "stream_xvfb_cpu_05s"),
        fmt="{:.1f}", with_ratio=False)
    row("second launch while the app runs → it has handed over and exited (s)",
        lambda v: values(v, "second_click"), "single file ≤ 1.5 s", with_ratio=False)
    row("log: launch → \"starting\" (s)", lambda v: times(v, "log_starting"), with_ratio=False)
    row("log: launch → \"window shown\" (s)", lambda v: times(v, "log_shown"), with_ratio=False)
    row("log: launch → \"app loaded in the window\" (s)", lambda v: times(v, "log_loaded"),
        with_ratio=False)
    onefile_mib, onedir_mib, files = sizes()

    out = [f"# Benchmark results ({started_at:%Y-%m-%d %H:%M} machine time)", ""]
    out.append(
        f"Machine: {platform.node() or '?'}, {platform.machine()}, nproc {os.cpu_count()}, "
        f"Linux {platform.release()}; display {display_name} (Xvfb, software GL). "
        f"Load average at start {load_before[0]:.2f}/{load_before[1]:.2f}/{load_before[2]:.2f}, "
        f"at end {load_after[0]:.2f}/{load_after[1]:.2f}/{load_after[2]:.2f}; 1-min load at "
        f"each launch {min(loads or [0]):.2f}–{max(loads or [0]):.2f}. Runs per variant: {runs} "
        f"(interleaved, after one warm-up launch of each unless --quick/--no-warmup); streaming "
        f"{stream_seconds:.0f} s at each interval, in the last run of launcher.py and baseline. "
        f"Whole benchmark: {elapsed / 60:.1f} min. Tree: {git_state()}. Python runs: "
        f"{bytecode}."
    )
    out += ["", "Cells: median (min–max). Ratios: median ÷ baseline median, same invocation.",
            "", *lines, ""]
    # Baseline on chromium's own clock, and the floors.
    extra = ["| figure | value |", "|---|---|"]

    def add(label: str, vals: list[float], fmt: str = "{:.2f}") -> None:
        extra.append(f"| {label} | {cell(vals, fmt)} |")

    add("baseline: `streamlit run` → /_stcore/health answers, chromium started (s)",
        values("baseline", "t_browser"))
    for key, label in (("window", "window mapped"), ("painted", "window painted"),
                       ("content", "something drawn"),
                       ("title", "\"Data feed\" h1"), ("chart", "chart drawn")):
        add(f"baseline, from chromium's start: {label} (s)",
            times("baseline", f"{key}_from_browser"))
    add("floor: bare pywebview window + static page → mapped (s)", times("floor", "window"))
    add("floor: bare pywebview window + static page → painted (s)", times("floor", "painted"))
    add("floor: bare pywebview window + static page → spinner drawn (s)",
        times("floor", "content"))
    add("floor: bare pywebview window → page in the DOM, CDP (s)", times("floor", "loading_dom"))
    add("floor: bare pywebview window, close → gone (s)", values("floor", "close"))
    add("floor: bare pywebview window, PSS (MiB)", values("floor", "pss"), "{:.0f}")
    add("floor: `python -c pass`, wall (s)", floor_imports["python -c pass"])
    add("floor: import of the server side (uvicorn, streamlit.starlette, bootstrap, pandas, "
        "numpy, altair), in-process (s)", floor_imports["server"])
    if "server, without a bytecode cache" in floor_imports:
        add("the same import without a bytecode cache (as this environment runs Python: "
            "PYTHONDONTWRITEBYTECODE=1, no .pyc in the venv) (s)",
            floor_imports["server, without a bytecode cache"])
    add("floor: import of the GUI side (webview + its Qt backend, PySide6 QtWebEngine) (s)",
        floor_imports["gui"])
    add("import desktop_shell.process.cli (what runs before the window is created) (s)",
        floor_imports["launcher"])
    if onefile_mib is not None:
        extra.append(f"| size: single file `dist/fragment-demos` | {onefile_mib:.1f} MiB |")
    if onedir_mib is not None:
        extra.append(f"| size: onedir `dist/fragment-demos-onedir/` | {onedir_mib:.1f} MiB, "
                     f"{files} files |")
    p_onefile, p_onedir = med(times("onefile", "painted")), med(times("onedir", "painted"))
    c_onefile, c_onedir = med(times("onefile", "chart")), med(times("onedir", "chart"))
    extra.append(f"| onefile ÷ onedir, first visible content (target ≤ 1.5×) | "
                 f"{ratio(p_onefile, p_onedir)} |")
    extra.append(f"| onefile ÷ onedir, first visible content (spinner drawn) | "
                 f"{ratio(med(times('onefile', 'content')), med(times('onedir', 'content')))} |")
    extra.append(f"| onefile ÷ onedir, chart drawn | {ratio(c_onefile, c_onedir)} |")
    # The single file (build/stage/): second start (warm cache), first start (empty
    # cache), and a second double-click while it runs, each against the folder build.
    c_first = med(times("onefile-first", "chart"))
    w_first = med(times("onefile-first", "app_window"))
    extra.append(f"| single file, 2nd start ÷ onedir, chart drawn (target ≤ 1.15×) | "
                 f"{ratio(c_onefile, c_onedir)} |")
    extra.append(f"| single file, 1st start (empty cache) ÷ onedir, chart drawn | "
                 f"{ratio(c_first, c_onedir)} |")
    extra.append(f"| single file, 1st start: launch → chart drawn, app window (s) | "
                 f"{cell(times('onefile-first', 'chart'))}, {cell(times('onefile-first', 'app_window'))} |")
    s_onefile, s_onedir = med(values("onefile", "second_click")), med(values("onedir", "second_click"))
    extra.append(f"| second launch while running, single file ÷ onedir | {ratio(s_onefile, s_onedir)} |")
    second_exits = sorted({int(v) for c in columns for v in values(c, "second_click_exit")})
    if second_exits:
        extra.append(f"| second launch exit codes | {second_exits} |")
    tmp_left = [v for c in columns for v in values(c, "tmp_left")]
    if tmp_left:
        extra.append(f"| files left in TMPDIR after exit (all launcher runs) | {int(sum(tmp_left))} |")
    exits = sorted({int(v) for c in columns for v in values(c, "exit_code")})
    if exits:
        extra.append(f"| launcher exit codes after close | {exits} |")
    out += ["Baseline on Chromium's own clock, floors, sizes:", "", *extra, ""]

    # Targets.
    def verdict(name: str, value: float | None, limit: float, unit: str = "×") -> str:
        if value is None:
            return f"- {name}: not measured"
        ok = value <= limit
        return f"- {name}: {value:.2f}{unit} (target ≤ {limit}{unit}) — {'met' if ok else 'MISSED'}"

    def rel(variant: str, getter: Callable[[str], list[float]]) -> float | None:
        a, b = med(getter(variant)), med(getter("baseline"))
        return None if a is None or b is None or b == 0 else a / b

    out.append("Targets (launcher.py unless named):")
    out.append("")
    for variant in columns:
        out.append(verdict(f"{variant}: chart drawn ÷ baseline",
                           rel(variant, lambda v: times(v, "chart")), 0.6))
        out.append(verdict(f"{variant}: window painted ÷ baseline",
                           rel(variant, lambda v: times(v, "painted")), 0.5))
        out.append(verdict(f"{variant}: first visible content (spinner/page drawn) ÷ baseline",
                           rel(variant, lambda v: times(v, "content")), 0.5))
    out.append(verdict("launcher.py: first visible content ÷ baseline measured from chromium's "
                       "start (stricter)",
                       None if med(times("launcher.py", "content")) is None
                       or not med(times("baseline", "content_from_browser")) else
                       med(times("launcher.py", "content"))
                       / med(times("baseline", "content_from_browser")), 0.5))
    for variant in columns:
        out.append(verdict(f"{variant}: close → all gone ÷ baseline",
                           rel(variant, lambda v: values(v, "close")), 0.5))
        out.append(verdict(f"{variant}: close → all gone, from the message that took effect, "
                           "÷ baseline", rel(variant, lambda v: values(v, "close_effective")), 0.5))
        left = values(variant, "left")
        out.append(f"- {variant}: processes left after close: {int(sum(left)) if left else '-'} "
                   f"(target 0) — {'met' if left and sum(left) == 0 else 'MISSED' if left else '?'}")
    for variant in columns:
        out.append(verdict(f"{variant}: PSS ÷ baseline", rel(variant, lambda v: values(v, "pss")),
                           0.8))
    out.append(verdict("launcher.py: CPU streaming every 1 s",
                       med(values("launcher.py", "stream_cpu_1s")), 5.0, " %"))
    out.append(verdict("onefile ÷ onedir start (first visible content)",
                       None if not p_onedir or p_onefile is None else p_onefile / p_onedir, 1.5))
    out.append(verdict("single file, 2nd start ÷ onedir, chart drawn",
                       None if not c_onedir or c_onefile is None else c_onefile / c_onedir, 1.15))
    out.append(verdict("single file, 1st start: chart drawn (today's onefile: 7.4 s)", c_first,
                       7.4, " s"))
    out.append(verdict("single file, 1st start: app window (today's onefile: 4.8 s)", w_first,
                       4.8, " s"))
    out.append(verdict("single file: second launch while running → exited", s_onefile, 1.5, " s"))
    clicks = [v for c in [*columns, "baseline", "floor"] for v in values(c, "close_clicks")]
    if clicks:
        again = sum(1 for c in clicks if c > 1)
        out += ["", f"WM_DELETE_WINDOW re-sent (first one ignored) in {again} of {len(clicks)} "
                    "closes (all variants, floor included)."]
    notes = [f"- {r.variant}: {n}" for runs_ in results.values() for r in runs_ for n in r.notes]
    slider = values("launcher.py", "slider") + values("baseline", "slider")
    if slider:
        notes.append(f"- slider read back after pressing Home: {slider} (0.5 = fastest interval)")
    if notes:
        out += ["", "Notes:", "", *notes]
    out += ["", "By process (the last run of each variant):", ""]
    for variant, runs_ in results.items():
        if runs_ and runs_[-1].breakdown:
            for label, parts in runs_[-1].breakdown.items():
                shown = ", ".join(f"{k} {v:.1f}" for k, v in sorted(parts.items(),
                                                                  key=lambda kv: -kv[1]))
                out.append(f"- {variant}, {label}: {shown}")
    out += ["", "Import profile (`python -X importtime`, self time summed per top-level package, ms):",
            ""]
    for name, items in profile.items():
        out.append(f"- {name}: " + ", ".join(f"{pkg} {ms:.0f}" for pkg, ms in items))
    out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
