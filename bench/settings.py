"""What the benchmark measures and where: the programs, the limits, the variants' settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.floor_server import FloorServer

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
ONEFILE = ROOT / "dist" / "fragment-demos"  # the single file (build/stage/)
# A second launch while the app runs, measured in these variants: it should bring the
# window forward and exit 0 (single_instance.py).
SECOND_CLICK_VARIANTS = ("onedir", "onefile")
ONEDIR = ROOT / "dist" / "fragment-demos-onedir" / "fragment-demos"
RESULTS = Path(__file__).resolve().parent / "results.md"
TITLE = "Data feed"
TIMEOUT = 90.0  # seconds for one launch to reach the drawn chart
# Streaming (issue 12): the default 1 s interval for STREAM_SECONDS, PSS sampled every
# PSS_EVERY seconds; the plateau is the median of the samples in the last
# PLATEAU_SECONDS (the last half, if the run is shorter than twice that).
STREAM_SECONDS = 300.0
FAST_STREAM_SECONDS = 60.0  # then at the slider's fastest, 0.5 s
PSS_EVERY = 5.0
PLATEAU_SECONDS = 120.0
# The engine's own floor: the bare window (bench/floor_window.py) on the app's page, served
# by a server started once, before the timed launches (bench/floor_server.py).
FLOOR_PAGE = "floor-page"
FLOOR_FIRST_SESSION = "floor-page, the server's first session"  # its launch that warms it
# Variants also measured warm: a second launch with the home (web profile, port) of a
# first launch that is not measured.
WARM_VARIANTS = ("launcher.py", "alt", "baseline", "streamlit-desktop-app", FLOOR_PAGE)


def warm_of(variant: str) -> str:
    """The name a variant's warm launches are reported under."""
    return f"{variant} warm"


@dataclass(frozen=True)
class Settings:
    """One benchmark's choices, passed down to every launch."""

    alt_launcher: Path = ROOT / "launcher.py"  # --alt: a modified copy, measured as "alt"
    alt_env: dict[str, str] = field(default_factory=dict)  # --alt-env KEY=VALUE, for "alt"
    # --env KEY=VALUE: for every variant of ours (launcher.py, alt, the builds), e.g. an
    # A/B of a change with the server's child process on in both arms.
    env: dict[str, str] = field(default_factory=dict)
    # Variant "onefile" is the single file's second and later starts: it runs with this
    # cache, filled once before the measured runs; "onefile-first" gets an empty cache
    # (its home's own) at every launch: the first start after a download.
    warm_cache: Path | None = None
    xvfb_pid: int | None = None  # our own display's server, measured while streaming
    # Launches before the measured warm one, with the same home: 1 makes it the second
    # launch (issue 12's "warm"); Chromium's code cache is written at a script's second
    # sight, so 2 shows what a third launch gains.
    warm_primes: int = 1
    floor_server: FloorServer | None = None  # the server FLOOR_PAGE's window opens
    shared_modules: tuple[str, ...] = ()  # imported by both the window's and the server's side
