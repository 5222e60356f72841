"""Start one variant: the launcher (from source or built), the floor window, or the
baseline (`streamlit run` and Chromium); a second launch while it runs."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.peers import PEERS
from bench.processes import tree_of
from bench.reaper import REAPER
from bench.settings import FLOOR_PAGE, ONEDIR, ONEFILE, PYTHON, ROOT, TIMEOUT, Settings
from tests.support import procs, streamlit
from tests.support.launch import Launched, launch

FLOOR_WINDOW = ROOT / "bench" / "floor_window.py"


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
    splash: bool = False  # its first window is a splash (the launcher's variants)

    seen: dict[int, str] = field(default_factory=dict)  # every process of this launch

    def pids(self) -> dict[int, str]:
        tree = tree_of([p.pid for p in self.roots])
        self.seen.update(tree)
        return tree


def floor_page_command(home: Path, settings: Settings) -> list[str]:
    """The bare window on the app's page, its web profile in `home` (a new home: cold)."""
    assert settings.floor_server is not None, "the floor's server is started first (main.py)"
    return [PYTHON, str(FLOOR_WINDOW), "--url", settings.floor_server.url,
            "--profile", str(home / "web")]


def start_app(variant: str, home: Path, settings: Settings) -> Started:
    port = procs.free_port()
    command = floor_page_command(home, settings) if variant == FLOOR_PAGE else {
        "launcher.py": None,  # tests.support.launch: the venv's python launcher.py
        "onedir": [str(ONEDIR)],
        "onefile": [str(ONEFILE)],
        "onefile-first": [str(ONEFILE)],
        "floor": [PYTHON, str(FLOOR_WINDOW)],
        "alt": [PYTHON, str(settings.alt_launcher)],
    }[variant]
    tmp = Path(tempfile.mkdtemp(prefix="bench-tmp-"))
    REAPER.dirs.append(tmp)
    t0_wall = time.time()
    t0 = time.monotonic()
    cwd = settings.alt_launcher.parent if variant == "alt" else ROOT
    env = {"TMPDIR": str(tmp), **settings.env, **(settings.alt_env if variant == "alt" else {})}
    if variant == "onefile" and settings.warm_cache is not None:
        env["XDG_CACHE_HOME"] = str(settings.warm_cache)
    app = launch([], home, command=command, debug_port=port, env=env, cwd=cwd)
    REAPER.add(app.process)
    return Started([app.process], port, t0, t0_wall, app=app, tmp=tmp,
                   splash=variant not in ("floor", FLOOR_PAGE))


def start_peer(variant: str, home: Path) -> Started:
    """A peer (bench/peers.py) on app/streamlit_app.py, from the checkout's root, with its
    page on a DevTools port (QtWebEngine reads QTWEBENGINE_REMOTE_DEBUGGING itself)."""
    peer = PEERS[variant]
    port = procs.free_port()
    tmp = Path(tempfile.mkdtemp(prefix="bench-tmp-"))
    REAPER.dirs.append(tmp)
    env = {"TMPDIR": str(tmp), "HOME": str(home), **dict(peer.env)}
    t0_wall = time.time()
    t0 = time.monotonic()
    app = launch([], home, command=[str(peer.python), "-c", peer.code], debug_port=port,
                 env=env)
    REAPER.add(app.process)
    return Started([app.process], port, t0, t0_wall, app=app, tmp=tmp)


def kept_port(home: Path) -> int:
    """The port this home's server used last time, else a free one (kept in the home): a
    developer's `streamlit run` serves on the same port (8501) every time, and Chromium's
    caches are keyed by origin, port included."""
    path = home / "port"
    if path.exists():
        return int(path.read_text())
    port = procs.free_port()
    path.write_text(str(port))
    return port


def start_baseline(home: Path) -> Started:
    """`streamlit run` with a fresh Chromium in --app mode, opened once the server answers.

    Chromium is started as soon as /_stcore/health answers (a Chromium started earlier
    shows "connection refused" and does not retry); all times count from the moment
    `streamlit run` was started, and chromium's own start time is kept too. A second
    launch with the same home is "warm": same profile (`--user-data-dir`), same port.
    """
    home.mkdir(parents=True, exist_ok=True)
    port, debug_port = kept_port(home), procs.free_port()
    env = {"HOME": str(home)}
    t0_wall = time.time()
    t0 = time.monotonic()
    server = REAPER.add(streamlit.start(port, home / "streamlit.log", python=PYTHON, env=env))
    started = Started([server], debug_port, t0, t0_wall, server=server)
    try:
        streamlit.wait_healthy(port, server, TIMEOUT)
        started.t_browser = time.monotonic() - t0
        profile = home / "chromium-profile"
        chrome_out = open(home / "chromium.log", "w")  # noqa: SIM115
        browser = REAPER.add(subprocess.Popen(
            [streamlit.CHROMIUM, f"--app=http://127.0.0.1:{port}/", f"--user-data-dir={profile}",
             *streamlit.CHROMIUM_ARGS, "--no-sandbox", f"--remote-debugging-port={debug_port}",
             "--window-size=1280,800"],
            cwd=home, env={**os.environ, **env}, stdin=subprocess.DEVNULL, stdout=chrome_out,
            stderr=subprocess.STDOUT,
        ))
        chrome_out.close()
    except BaseException:
        started.roots = [server]
        raise
    started.browser = browser
    started.roots = [server, browser]
    return started


def second_click(variant: str, started: Started, run: Run, settings: Settings) -> None:
    """Launch the same program again (same home, cache, runtime dir) while it runs: the
    time until that launch has handed over to the running app and exited, its exit code."""
    assert started.app is not None
    command = {"onedir": [str(ONEDIR)], "onefile": [str(ONEFILE)]}[variant]
    env = {"TMPDIR": str(started.tmp)}
    if variant == "onefile" and settings.warm_cache is not None:
        env["XDG_CACHE_HOME"] = str(settings.warm_cache)
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
