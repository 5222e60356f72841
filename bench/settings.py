"""What the benchmark measures and where: the programs, the limits, the variants' settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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


@dataclass(frozen=True)
class Settings:
    """One benchmark's choices, passed down to every launch."""

    alt_launcher: Path = ROOT / "launcher.py"  # --alt: a modified copy, measured as "alt"
    alt_env: dict[str, str] = field(default_factory=dict)  # --alt-env KEY=VALUE, for "alt"
    # Variant "onefile" is the single file's second and later starts: it runs with this
    # cache, filled once before the measured runs; "onefile-first" gets an empty cache
    # (its home's own) at every launch: the first start after a download.
    warm_cache: Path | None = None
    xvfb_pid: int | None = None  # our own display's server, measured while streaming
