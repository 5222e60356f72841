"""The built file on the desktops people have: a Wayland-only session, and a machine that
lacks a system library the bundle takes from it (build/README.md lists them).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.build.conftest import BUILD_TIMEOUT
from tests.support import wayland
from tests.support.hide import hiding

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux executable"),
    pytest.mark.timeout(BUILD_TIMEOUT + 300),  # a test may be the one that waits for the build
]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A person's session: own XDG folders and an empty TMPDIR; nothing from the build."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "DISPLAY", "WAYLAND_DISPLAY")}
    for name in ("tmpdir", "runtime", "state", "config", "cache", "data"):
        (tmp_path / name).mkdir(mode=0o700, exist_ok=True)
    env.update(TMPDIR=str(tmp_path / "tmpdir"), XDG_RUNTIME_DIR=str(tmp_path / "runtime"),
               XDG_STATE_HOME=str(tmp_path / "state"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_CACHE_HOME=str(tmp_path / "cache"), XDG_DATA_HOME=str(tmp_path / "data"))
    env.update(extra)
    return env


def test_self_test_passes_in_a_wayland_only_session(executable: Path, tmp_path: Path) -> None:
    with wayland.weston(tmp_path) as socket_path:
        result = subprocess.run(
            [str(executable), "--self-test"], env=_env(tmp_path, WAYLAND_DISPLAY=str(socket_path)),
            cwd=tmp_path, capture_output=True, text=True, timeout=300,
        )
    report = f"exit {result.returncode}\n{result.stdout}\n{result.stderr[-3000:]}"
    assert result.returncode == 0, report
    assert re.search(r"^self-test: data-feed: ok \(", result.stdout, re.M), report
    assert re.search(r"^self-test: sales: ok \(", result.stdout, re.M), report
    log = next((tmp_path / "state").rglob("*.log")).read_text()
    assert "Qt platform: wayland" in log


def test_a_missing_system_library_is_named_with_its_package(executable: Path, tmp_path: Path) -> None:
    """libEGL (libglvnd) comes from the machine: hidden, the sentence names libegl1.

    Run as root in a private mount namespace where an empty file covers the library;
    PATH has no message-box program, so the sentence goes to the terminal (the box
    itself: tests/launcher/test_linux_libraries.py).
    """
    display = os.environ.get("DISPLAY")
    if not display:
        pytest.skip("needs an X display (tests/conftest.py starts one)")
    hide = hiding(Path("/lib/x86_64-linux-gnu/libEGL.so.1"), tmp_path)
    result = subprocess.run(
        [*hide, str(executable), "--self-test"],
        env=_env(tmp_path, DISPLAY=display, PATH=str(tmp_path)), cwd=tmp_path,
        capture_output=True, text=True, timeout=300,
    )
    report = f"exit {result.returncode} (-6 would be Qt's abort)\n{result.stderr[-3000:]}"
    assert result.returncode == 1, report
    assert ("Fragment Demos cannot open its window: the system library libEGL.so.1 is missing. "
            "Install the package libegl1") in result.stderr, report
    assert not list(tmp_path.glob("core*")), "a core dump was written"
