"""The benchmark's command line and its runs: warm-up, interleaved rounds, floors."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import signal
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bench import floor_server, floors, memory_floor, peers
from bench.launching import (
    Run, Started, log_times, second_click, start_app, start_baseline, start_peer,
    warm_single_file_cache,
)
from bench.observe import close, observe
from bench.processes import by_kind, outside_sharers, pss_each, pss_mib
from bench.reaper import REAPER, _on_signal, log
from bench.report import Conditions, report
from bench.settings import (
    FAST_STREAM_SECONDS, FLOOR_FIRST_SESSION, FLOOR_PAGE, ONEDIR, ONEFILE, RESULTS, ROOT,
    SECOND_CLICK_VARIANTS, STREAM_SECONDS, WARM_VARIANTS, Settings, warm_of,
)
from bench.streaming import stream
from tests.support import cdp, display, procs, x11

VARIANTS = f"launcher.py,onedir,onefile,onefile-first,baseline,streamlit-desktop-app,{FLOOR_PAGE}"
STREAMING = ("launcher.py", "alt", "baseline")  # the 5-minute run, in the last round


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description="Benchmark: the desktop launcher against `streamlit run` + Chromium.",
    )
    parser.add_argument("--runs", type=int, default=3, help="launches per variant (default 3)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: 1 run, 20 s + 5 s streaming, no warm-up")
    parser.add_argument("--stream-seconds", type=float, default=None,
                        help="seconds of streaming at the default 1 s interval "
                        f"(default {STREAM_SECONDS:g}; the memory plateau is read in its end)")
    parser.add_argument("--fast-stream-seconds", type=float, default=None,
                        help="then seconds of streaming at 0.5 s "
                        f"(default {FAST_STREAM_SECONDS:g}; 0: not measured)")
    parser.add_argument("--display", help="use this X display instead of starting an Xvfb")
    parser.add_argument("--variants", default=VARIANTS,
                        help="comma-separated subset (baseline is needed for ratios)")
    parser.add_argument("--no-warmup", action="store_true")
    parser.add_argument("--warm-primes", type=int, default=1, metavar="N",
                        help="launches with the same home before each measured warm launch "
                        "(default 1: the warm launch is the second)")
    parser.add_argument("--alt", type=Path, metavar="LAUNCHER_PY",
                        help="also measure this launcher.py (a modified copy) as variant 'alt'")
    parser.add_argument("--alt-env", action="append", default=[], metavar="KEY=VALUE",
                        help="environment for variant 'alt' (implies --alt launcher.py if not given)")
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="environment for every variant of ours (launcher.py, alt, the "
                        "builds), not the peers': both arms of an A/B")
    parser.add_argument(
        "--no-bytecode-cache", action="store_true",
        help="keep the environment's PYTHONDONTWRITEBYTECODE: every `python` start then "
        "compiles Streamlit, pandas... from source (this venv has no .pyc files)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    return parser.parse_args(argv)


def chosen_variants(args: argparse.Namespace) -> tuple[list[str], dict[str, str]]:
    """The variants asked for, less those that cannot run here: {variant: why}."""
    variants = [v for v in args.variants.split(",") if v]
    if args.alt or args.alt_env:
        variants.insert(1, "alt")
    missing: dict[str, str] = {}
    for variant, exe in (("onedir", ONEDIR), ("onefile", ONEFILE), ("onefile-first", ONEFILE)):
        if variant in variants and not exe.exists():
            missing[variant] = f"{exe} is missing (build it, see bench/README.md)"
    for variant in variants:
        if variant in peers.PEERS and (why := peers.ensure(peers.PEERS[variant])):
            missing[variant] = why
    for variant, why in missing.items():
        log(f"skipping {variant}: {why}")
        variants.remove(variant)
    return variants, missing


def bytecode_cache(keep_environment: bool) -> str:
    """Give the Python runs a bytecode cache of their own unless told not to; say which.

    A normal Python writes __pycache__ on the first import and reuses it; here the
    environment may forbid it (PYTHONDONTWRITEBYTECODE) with no .pyc in the venv, so each
    start would compile every module again. The cache lives outside the venv; the warm-up
    fills it.
    """
    if os.environ.get("PYTHONDONTWRITEBYTECODE") and not keep_environment:
        os.environ.pop("PYTHONDONTWRITEBYTECODE")
        os.environ["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "fd-bench-pycache")
        return f"bytecode cache in {os.environ['PYTHONPYCACHEPREFIX']}"
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return "no bytecode cache (PYTHONDONTWRITEBYTECODE=1, no .pyc in the venv)"
    return "as the environment has it"


@contextlib.contextmanager
def x_display(requested: str | None) -> Iterator[tuple[str, int | None]]:
    """The display to measure on, as DISPLAY: the one asked for, else an Xvfb of our own
    (black root: a window that has not drawn yet reads back black)."""
    if requested:
        os.environ["DISPLAY"] = requested
        yield requested, None
        return
    with display.xvfb(black_root=True) as (name, pid):
        os.environ["DISPLAY"] = name
        yield name, pid


def start(variant: str, home: Path, settings: Settings) -> Started:
    if variant == "baseline":
        return start_baseline(home)
    if variant in peers.PEERS:
        return start_peer(variant, home)
    return start_app(variant, home, settings)


def one_run(variant: str, screen: x11.Screen, home: Path, settings: Settings, *,
            want_chart: bool = True, stream_seconds: tuple[float, float] = (0, 0),
            idle_seconds: float = 0) -> Run:
    """One launch of `variant`, measured from its start to every process gone; streaming
    for (seconds at 1 s, seconds at 0.5 s) if asked."""
    run = Run(variant)
    started = start(variant, home, settings)
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
        sharers = outside_sharers(pids, set(REAPER.seen))
        run.values["outside_sharers"] = len(sharers)
        if sharers:
            run.notes.append(f"PSS read while processes outside the benchmark mapped the same "
                             f"site-packages files: {'; '.join(sharers[:3])}")
        run.breakdown["PSS MiB, app open"] = by_kind(pss_each(pids))
        run.values["processes"] = len(started.pids())
        if variant == FLOOR_PAGE and settings.floor_server is not None:
            floor_server.measure_beside(settings.floor_server, settings.shared_modules, run)
        if variant in SECOND_CLICK_VARIANTS:
            second_click(variant, started, run, settings)
        if any(seconds > 0 for seconds in stream_seconds):
            stream(started, page, run, *stream_seconds, idle_seconds, settings.xvfb_pid)
            run.values["outside_sharers_streaming"] = len(
                outside_sharers(list(started.pids()), set(REAPER.seen)))
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
        procs.kill(started.seen)
    return run


@dataclass
class Rounds:
    """The launches of one benchmark, and the load the machine had at each."""

    screen: x11.Screen
    work: Path
    settings: Settings
    results: dict[str, list[Run]]
    loads: list[float] = field(default_factory=list)

    def go(self, variant: str, label: str, *, warm: bool = False, keep_as: str = "",
           **kwargs: Any) -> None:
        """One run, logged; a failed run is reported, not fatal; a warm-up is not kept.

        `warm`: the launch is the second one with its home (web profile, settings, port),
        after a first launch, to the chart and closed, that is not measured (or the
        N+1th, after --warm-primes N). `keep_as`: the name its results are kept under.
        """
        self.loads.append(os.getloadavg()[0])
        name = keep_as or (warm_of(variant) if warm else variant)
        home = self.work / f"{name}-{label}".replace(" ", "-")
        try:
            for _ in range(self.settings.warm_primes if warm else 0):
                one_run(variant, self.screen, home, self.settings)
            run = one_run(variant, self.screen, home, self.settings, **kwargs)
        except Exception as exc:  # noqa: BLE001 - a failed run is reported, not fatal
            log(f"{name} {label}: FAILED: {type(exc).__name__}: {exc}")
            failed = Run(name)
            failed.notes.append(f"run {label} failed: {type(exc).__name__}: {exc}")
            self.results.setdefault(name, []).append(failed)
            return
        run.variant = name
        if not label.startswith("warm"):
            self.results.setdefault(name, []).append(run)
        shown = ", ".join(f"{k} {v:.2f}" for k, v in run.t.items())
        more = ", ".join(f"{k} {v:.3g}" if isinstance(v, (int, float)) else f"{k} {v}"
                         for k, v in run.values.items())
        notes = f"; {'; '.join(run.notes)}" if run.notes else ""
        log(f"{name} {label}: {shown}; {more}{notes}")

    def floor_page(self, label: str) -> None:
        """The bare window on the app's page, cold and warm (not kept if `label` is a
        warm-up), on a server started for them and stopped after (floor_server.py),
        warmed by one launch: its first session has run the first page. That launch is
        kept apart (FLOOR_FIRST_SESSION): what a server's first session costs."""
        base = self.settings
        home = self.work / f"floor-server-{label}".replace(" ", "-")
        with floor_server.running(home) as server:
            self.settings = replace(base, floor_server=server)
            try:
                self.go(FLOOR_PAGE, label, keep_as=FLOOR_FIRST_SESSION)
                self.go(FLOOR_PAGE, label)
                if not label.startswith("warm"):
                    self.go(FLOOR_PAGE, label, warm=True)
            finally:
                self.settings = base


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    runs = 1 if args.quick else args.runs
    stream_seconds = args.stream_seconds if args.stream_seconds is not None else (
        20.0 if args.quick else STREAM_SECONDS)
    fast_stream_seconds = args.fast_stream_seconds if args.fast_stream_seconds is not None else (
        5.0 if args.quick else FAST_STREAM_SECONDS)
    idle_seconds = 5.0 if args.quick else 10.0
    variants, missing = chosen_variants(args)
    settings = Settings(warm_primes=args.warm_primes,
                        env=dict(item.split("=", 1) for item in args.env))
    if args.alt or args.alt_env:
        settings = replace(settings, alt_launcher=(args.alt or ROOT / "launcher.py").resolve(),
                           alt_env=dict(item.split("=", 1) for item in args.alt_env))
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _on_signal)
    bytecode = bytecode_cache(args.no_bytecode_cache)
    work = Path(tempfile.mkdtemp(prefix="fd-bench-"))
    REAPER.dirs.append(work)
    load_before = os.getloadavg()
    started_at = dt.datetime.now()
    clock = time.monotonic()
    with x_display(args.display) as (name, xvfb_pid):
        try:
            log(f"display {name}, load {load_before[0]:.2f}, {runs} run(s) of {variants}")
            if "onefile" in variants:
                settings = replace(settings, warm_cache=warm_single_file_cache(work))
            settings = replace(settings, xvfb_pid=xvfb_pid)
            screen = x11.Screen()
            if "PYTHONPYCACHEPREFIX" in os.environ:
                floors.fill_bytecode_cache()  # so no variant pays for compiling
            if FLOOR_PAGE in variants:
                settings = replace(settings, shared_modules=memory_floor.shared_modules())
            rounds = Rounds(screen, work, settings, {v: [] for v in [*variants, "floor"]})
            rounds.results.update({warm_of(v): [] for v in variants if v in WARM_VARIANTS})
            if not (args.quick or args.no_warmup):
                for variant in variants:  # page cache, Python bytecode, fontconfig caches
                    if variant == FLOOR_PAGE:
                        rounds.floor_page("warm-up")
                    else:
                        rounds.go(variant, "warm-up")
            # Interleaved rounds: load that comes and goes hits every variant alike.
            for n in range(1, runs + 1):
                for variant in variants:
                    if variant == FLOOR_PAGE:
                        rounds.floor_page(f"run {n}")
                        continue
                    streaming = n == runs and variant in STREAMING
                    rounds.go(variant, f"run {n}",
                              stream_seconds=(stream_seconds, fast_stream_seconds) if streaming
                              else (0, 0),
                              idle_seconds=idle_seconds if streaming else 0)
                    if variant in WARM_VARIANTS:
                        rounds.go(variant, f"run {n}", warm=True)
                rounds.go("floor", f"run {n}", want_chart=False)
            log("floors: imports")
            floor_imports, profile = floors.measure(runs)
            screen.close()
        finally:
            REAPER.kill_all()
    conditions = Conditions(
        runs=runs, stream_seconds=stream_seconds, fast_stream_seconds=fast_stream_seconds,
        variants=variants, warm_primes=settings.warm_primes, missing=missing,
        started_at=started_at,
        elapsed=time.monotonic() - clock, load_before=load_before, load_after=os.getloadavg(),
        loads=rounds.loads, display_name=name, bytecode=bytecode,
        environment=settings.env, alt_environment=settings.alt_env,
    )
    text = report(rounds.results, floor_imports, profile, conditions)
    print()
    print(text)
    args.output.write_text(text)
    log(f"written to {args.output}")
    return 0
