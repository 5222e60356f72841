"""A quiet terminal: a plain start prints nothing a person need not act on; --debug shows all.

Qt and Chromium print 6-8 lines at every start otherwise ("Sandboxing disabled by user",
"Failed to load vulkan", "GLX: No DRI3 Extension", "Registered new object after
initialization", ...). The app's own lines go through Python logging, stamped with the
date; anything else on stderr came from Qt or Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support import x11
from tests.support.launch import APP_TITLE, Launches

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

STAMPED = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def _start_show_and_close(args: list[str], home: Path, launched: Launches) -> tuple[str, str]:
    """Start, wait until the app's first page has loaded in the window, close it; (stdout, stderr)."""
    app = launched.start(args, home)
    # The window takes the page's title once the app's page has loaded in it.
    window = x11.wait_for_window(f"Data feed — {APP_TITLE}", 90, app.process.pid)
    x11.wait_until(lambda: "app loaded in the window" in app.log_file.read_text(), 30, "loaded")
    x11.close_window(window)
    assert app.wait(20) == 0
    return app.output()


def test_a_plain_start_and_close_print_nothing(home: Path, launched: Launches) -> None:
    out, err = _start_show_and_close([], home, launched)
    assert out == ""
    assert err == ""


def test_debug_shows_what_qt_and_chromium_say(home: Path, launched: Launches) -> None:
    out, err = _start_show_and_close(["--debug"], home, launched)
    assert out == ""
    foreign = [line for line in err.splitlines() if line.strip() and not STAMPED.match(line)]
    assert foreign, err[-2000:]
