"""The built single file, shared by the tests in tests/build/.

`executable` builds it with the command `scripts/dev.py build` runs (tests/support/build.py:
the onedir folder, the first stage, and the two put together; 3 to 5 minutes on 2 cores)
unless dist/fragment-demos is newer than everything it is built from, and returns its path.
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import build

ROOT = build.ROOT
EXE, ONEDIR_EXE, BUILD_LOG, BUILD_TIMEOUT = build.EXE, build.ONEDIR_EXE, build.LOG, build.TIMEOUT


@pytest.fixture(scope="session")
def executable() -> Path:
    """dist/fragment-demos, built now unless it is newer than all its inputs."""
    if not sys.platform.startswith("linux"):
        pytest.skip("builds the Linux executable")
    build.WORK.mkdir(parents=True, exist_ok=True)
    # One build at a time in this tree, should two test sessions start together.
    with open(build.WORK / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not build.is_fresh():
            started = time.monotonic()
            try:
                code = build.run(sys.executable)
            except subprocess.TimeoutExpired:
                pytest.fail(f"the build took over {BUILD_TIMEOUT} s; log: {BUILD_LOG}")
            tail = "\n".join(BUILD_LOG.read_text(errors="replace").splitlines()[-30:])
            if code != 0 or not EXE.is_file():
                pytest.fail(f"the build failed (exit {code}); log: {BUILD_LOG}\n{tail}")
            print(f"\nbuilt {EXE} in {time.monotonic() - started:.0f} s "
                  f"({EXE.stat().st_size / 2**20:.0f} MiB); log: {BUILD_LOG}")
    return EXE


@pytest.fixture(scope="session")
def onedir_folder(executable: Path) -> Path:
    """dist/fragment-demos-onedir/, built with the single file (it is its payload)."""
    return ONEDIR_EXE.parent
