"""The build, defined once: the command `scripts/dev.py build` runs and the build tests
start, where it puts the executables, and whether they are newer than what they are made of.

Standard library only: scripts/dev.py imports this before any dependency is installed.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "build" / "work"
EXE = ROOT / "dist" / "fragment-demos"
ONEDIR_EXE = ROOT / "dist" / "fragment-demos-onedir" / "fragment-demos"
LOG = WORK / "build.log"
TIMEOUT = 1800  # seconds; a build takes 3 to 5 minutes on 2 cores
# What the executable is made from: a change to any of these rebuilds it. All of build/
# (the spec and whatever modules it is split into) but its work folder and the notes.
INPUTS = ["build", "launcher.py", "desktop_shell", "app", "pyproject.toml", "uv.lock"]
NOT_INPUTS = {ROOT / "build" / "work", ROOT / "build" / "README.md"}
STAGE_INPUTS = ROOT / "build" / "stage"  # the first stage: the single file, not the folder


def command(python: str, *, onedir: bool = False) -> list[str]:
    """The folder build, the first stage, and the two put together (build/README.md);
    with `onedir`, the folder build only."""
    return [python, "build/stage/build.py", *(["--onedir"] if onedir else [])]


def _newest_input(leave_out: frozenset[Path] = frozenset()) -> float:
    """The latest change to the inputs (folders too: a deleted file counts)."""
    skip = NOT_INPUTS | leave_out
    newest = 0.0
    for name in INPUTS:
        path = ROOT / name
        for entry in [path, *path.rglob("*")] if path.is_dir() else [path]:
            if "__pycache__" in entry.parts or any(entry == s or s in entry.parents for s in skip):
                continue
            if entry.exists():
                newest = max(newest, entry.stat().st_mtime)
    return newest


def is_fresh() -> bool:
    """Both executables exist and are newer than everything they are built from."""
    # The folder is not made from the first stage's files; the single file from all.
    return (ONEDIR_EXE.is_file()
            and ONEDIR_EXE.stat().st_mtime > _newest_input(frozenset({STAGE_INPUTS}))
            and EXE.is_file() and EXE.stat().st_mtime > _newest_input()
            # ... and carries that folder (not one built before it, e.g. by --onedir).
            and EXE.stat().st_mtime > ONEDIR_EXE.stat().st_mtime)


def run(python: str) -> int:
    """Build both executables, the output in LOG; the build's exit code.
    subprocess.TimeoutExpired after TIMEOUT seconds."""
    WORK.mkdir(parents=True, exist_ok=True)
    with open(LOG, "w") as log:
        return subprocess.run(
            command(python), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, timeout=TIMEOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
        ).returncode
