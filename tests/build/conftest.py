"""The built single file, shared by the tests in tests/build/.

`executable` builds it with the documented command (`python build/stage/build.py`, which
`scripts/dev.py build` runs: the onedir folder, the first stage, and the two put together;
3 to 5 minutes on 2 cores) unless dist/fragment-demos is newer than everything it is
built from, and returns its path.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "build" / "work"
EXE = ROOT / "dist" / "fragment-demos"
ONEDIR_EXE = ROOT / "dist" / "fragment-demos-onedir" / "fragment-demos"
BUILD_LOG = WORK / "build.log"
BUILD_COMMAND = [sys.executable, "build/stage/build.py"]
# What the executable is made from: a change to any of these rebuilds it. All of build/
# (the spec and whatever modules it is split into) but its work folder and the notes.
BUILD_INPUTS = ["build", "launcher.py", "desktop_shell", "app", "pyproject.toml", "uv.lock"]
NOT_INPUTS = {ROOT / "build" / "work", ROOT / "build" / "README.md"}
STAGE_INPUTS = ROOT / "build" / "stage"  # the first stage: the single file, not the folder
BUILD_TIMEOUT = 1800  # seconds; a build takes 3 to 5 minutes on 2 cores


def _newest_input(leave_out: frozenset[Path] = frozenset()) -> float:
    """The latest change to the inputs (folders too: a deleted file counts)."""
    skip = NOT_INPUTS | leave_out
    newest = 0.0
    for name in BUILD_INPUTS:
        path = ROOT / name
        for entry in [path, *path.rglob("*")] if path.is_dir() else [path]:
            if "__pycache__" in entry.parts or any(entry == s or s in entry.parents for s in skip):
                continue
            if entry.exists():
                newest = max(newest, entry.stat().st_mtime)
    return newest


def _is_fresh() -> bool:
    # The folder is not made from the first stage's files; the single file from all.
    return (ONEDIR_EXE.is_file()
            and ONEDIR_EXE.stat().st_mtime > _newest_input(frozenset({STAGE_INPUTS}))
            and EXE.is_file() and EXE.stat().st_mtime > _newest_input()
            # ... and carries that folder (not one built before it, e.g. by --onedir).
            and EXE.stat().st_mtime > ONEDIR_EXE.stat().st_mtime)


@pytest.fixture(scope="session")
def executable() -> Path:
    """dist/fragment-demos, built now unless it is newer than all its inputs."""
    if not sys.platform.startswith("linux"):
        pytest.skip("builds the Linux executable")
    WORK.mkdir(parents=True, exist_ok=True)
    # One build at a time in this tree, should two test sessions start together.
    with open(WORK / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _is_fresh():
            started = time.monotonic()
            with open(BUILD_LOG, "w") as log:
                try:
                    result = subprocess.run(
                        BUILD_COMMAND, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                        stdin=subprocess.DEVNULL, timeout=BUILD_TIMEOUT,
                        env={**os.environ, "PYTHONUNBUFFERED": "1"},
                    )
                except subprocess.TimeoutExpired:
                    pytest.fail(f"the build took over {BUILD_TIMEOUT} s; log: {BUILD_LOG}")
            tail = "\n".join(BUILD_LOG.read_text(errors="replace").splitlines()[-30:])
            if result.returncode != 0 or not EXE.is_file():
                pytest.fail(f"the build failed (exit {result.returncode}); log: {BUILD_LOG}\n{tail}")
            print(f"\nbuilt {EXE} in {time.monotonic() - started:.0f} s "
                  f"({EXE.stat().st_size / 2**20:.0f} MiB); log: {BUILD_LOG}")
    return EXE


@pytest.fixture(scope="session")
def onedir_folder(executable: Path) -> Path:
    """dist/fragment-demos-onedir/, built with the single file (it is its payload)."""
    return ONEDIR_EXE.parent
