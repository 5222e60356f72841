"""A Wayland-only session (weston, headless): `launcher.py --self-test` opens its window there.

WAYLAND_DISPLAY is set and DISPLAY is not, so no X server can be used: Qt 6 picks its
wayland platform by itself when WAYLAND_DISPLAY is set, and the app logs which it got.
"""

from __future__ import annotations

import re
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import cdp, procs, wayland
from tests.support.hide import hiding
from tests.support.launch import Launches
from tests.support.window import SCREENSHOTS, wait_rendered


@pytest.fixture
def compositor(tmp_path: Path) -> Iterator[Path]:
    with wayland.weston(tmp_path) as socket_path:
        yield socket_path


@pytest.mark.slow
def test_self_test_passes_in_a_wayland_only_session(
    compositor: Path, home: Path, launched: Launches
) -> None:
    app = launched.start(["--self-test"], home, env={"WAYLAND_DISPLAY": str(compositor)},
                         unset=["DISPLAY"])
    code = app.wait(180)
    stdout, stderr = app.output()
    report = f"exit {code}\n{stdout}\n{stderr[-3000:]}"
    assert code == 0, report
    assert re.search(r"^self-test: data-feed: ok \(", stdout, re.M), report
    assert re.search(r"^self-test: sales: ok \(", stdout, re.M), report
    assert "Qt platform: wayland" in app.log_file.read_text(), "Qt did not use Wayland"


@pytest.mark.slow
def test_the_window_shows_the_page_and_its_menu_and_closes_on_sigterm(
    compositor: Path, home: Path, launched: Launches
) -> None:
    app = launched.start(["--new-instance"], home, env={"WAYLAND_DISPLAY": str(compositor)},
                         unset=["DISPLAY"], debug_port=procs.free_port())
    assert app.debug_port is not None
    page = cdp.connect(app.debug_port, "http://127.0.0.1:", 90)
    wait_rendered(page, "Data feed")
    time.sleep(2)  # drawn in the page; give Qt and the compositor a few frames to show it
    shot = wayland.screenshot(compositor, SCREENSHOTS / "wayland-window.png")
    print(f"\nscreenshot: {shot}")  # the page, its menu bar (App, Pages, Help), Qt's title bar
    app.signal(signal.SIGTERM)
    assert app.wait(30) == 0
    assert "Qt platform: wayland" in app.log_file.read_text()


def test_an_unreachable_wayland_display_is_a_sentence_and_exit_1(
    tmp_path: Path, home: Path, launched: Launches
) -> None:
    """No compositor behind WAYLAND_DISPLAY, no X: Qt's abort becomes a sentence."""
    app = launched.start(["--self-test"], home, env={"WAYLAND_DISPLAY": str(tmp_path / "nothing-here"),
                                                     "PATH": str(tmp_path)},  # no message-box program
                         unset=["DISPLAY"])
    code = app.wait(60)
    _stdout, stderr = app.output()
    assert code == 1, f"exit {code} (-6 is Qt's abort)\n{stderr}"
    assert "Fragment Demos cannot open its window: Qt could not start its display connection" in stderr
    assert "Failed to create wl_display" in stderr


def test_a_missing_wayland_library_is_named_with_its_package(
    compositor: Path, tmp_path: Path, home: Path, launched: Launches
) -> None:
    hide = hiding(Path("/lib/x86_64-linux-gnu/libwayland-cursor.so.0"), tmp_path)
    app = launched.start(["--self-test"], home, command=[*hide, sys.executable, "launcher.py"],
                         env={"WAYLAND_DISPLAY": str(compositor), "PATH": str(tmp_path)},  # no box
                         unset=["DISPLAY"])
    code = app.wait(60)
    _stdout, stderr = app.output()
    assert code == 1, f"exit {code} (-6 is Qt's abort)\n{stderr}"
    assert ("the system library libwayland-cursor.so.0 is missing. Install the package "
            "libwayland-cursor0") in stderr
