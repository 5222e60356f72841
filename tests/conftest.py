"""Shared by all tests. pytest-xvfb gives the session a virtual X display."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.launch import Launched


@pytest.fixture
def launched() -> Iterator[list[Launched]]:
    """Apps a test started; whatever still runs at the end is killed (and the test says why)."""
    started: list[Launched] = []
    yield started
    for app in started:
        app.kill()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture(scope="session", autouse=True)
def window_manager(xvfb: Any) -> Iterator[None]:
    """A window manager on the virtual screen, as every desktop has (openbox).

    Windows then get frames and focus as for a person.
    """
    if xvfb is None or not shutil.which("openbox"):
        yield
        return
    from Xlib import display

    wm = subprocess.Popen(
        ["openbox", "--sm-disable"], env={**os.environ, "DISPLAY": f":{xvfb.display}"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    screen = display.Display(f":{xvfb.display}")
    check = screen.intern_atom("_NET_SUPPORTING_WM_CHECK")
    deadline = time.monotonic() + 10
    while screen.screen().root.get_full_property(check, 0) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    screen.close()
    yield
    wm.terminate()
    wm.wait(10)
