"""Failures end in a clear message and a non-zero exit: never a hang or a traceback wall."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from tests.support import procs, x11
from tests.support.http import Browser
from tests.support.launch import FakeSystemBrowser, Launches, copy_of_the_app
from tests.support.probes import ERROR_SCREEN
from tests.support.window import close_and_wait, open_app, screenshot

pytestmark = pytest.mark.timeout(180)


@pytest.mark.parametrize(
    ("display", "message"),
    [("", "No display: DISPLAY is not set."), (":987", "Cannot reach the X display ':987'.")],
)
def test_no_display(display: str, message: str, home: Path, launched: Launches) -> None:
    app = launched.start([], home, env={"DISPLAY": display, "WAYLAND_DISPLAY": ""})
    out, err = app.output(timeout=30)
    assert app.process.returncode == 1
    assert message in err and "--browser or --headless" in err
    assert "Traceback" not in err


@pytest.mark.slow
def test_page_raising_fails_the_self_test(
    tmp_path: Path, home: Path, launched: Launches
) -> None:
    copy = copy_of_the_app(tmp_path)
    page = copy / "app" / "data_feed.py"
    page.write_text('raise RuntimeError("broken on purpose")\n' + page.read_text())
    app = launched.start(["--self-test"], home, cwd=copy)
    out, err = app.output(timeout=120)
    assert app.process.returncode == 1
    assert (
        "self-test: data-feed: FAILED (the page shows an error: "
        "RuntimeError: broken on purpose)" in out.splitlines()
    )
    assert "Traceback" not in out
    # Streamlit logs the page's own traceback (as under `streamlit run`); ours adds none.
    assert "desktop_shell" not in err


@pytest.mark.slow
def test_a_page_that_never_answers_fails_the_self_test_in_time(
    tmp_path: Path, home: Path, launched: Launches
) -> None:
    """A page whose JavaScript never yields the browser: the self-test's probe gets no
    answer. pywebview waits for one without a timeout, which held the self-test (and a
    CI run) for ever; it now fails within its --self-test-timeout, with a sentence."""
    copy = copy_of_the_app(tmp_path)
    page = copy / "app" / "data_feed.py"
    stuck = (
        "import time\n"
        'st.html("<script>for (;;) {}</script>", unsafe_allow_javascript=True)\n'
        "time.sleep(3)  # still running when the page's script takes the browser\n"
    )
    first = "import streamlit as st\n"
    page.write_text(page.read_text().replace(first, first + stuck, 1))
    app = launched.start(["--self-test", "--self-test-timeout", "15"], home, cwd=copy)
    out, err = app.output(timeout=90)  # before the fix: never
    assert app.process.returncode == 1, out + err
    (line,) = [line for line in out.splitlines() if line.startswith("self-test: ")]
    assert line.startswith("self-test: data-feed: FAILED (the page has not answered for "), line
    assert line.endswith(" s: its script may be stuck)"), line
    assert "Traceback" not in out + err


@pytest.mark.slow
def test_server_failure_shows_the_error_screen(
    tmp_path: Path, home: Path, launched: Launches
) -> None:
    copy = copy_of_the_app(tmp_path)
    (copy / "app" / "streamlit_app.py").unlink()
    # It failed, and says so in its exit code.
    with open_app(
        [], home, launched, cwd=copy, page_prefix="", exit_code=1
    ) as (app, window, page):
        text = page.wait_for(ERROR_SCREEN, 60, bool)
        screenshot("window-startup-error")
        assert "could not start" in text
        assert "The app's entry script is missing" in text
        assert str(app.log_file) in text  # where to look next
        tree = app.snapshot_tree()
    assert procs.wait_gone(tree, 10) == []


def test_window_closed_during_start_up(home: Path, launched: Launches) -> None:
    app = launched.start([], home)
    window = x11.wait_for_window("Fragment Demos", 60, app.process.pid)
    # Close while the loading screen shows: the window is up, the server is starting.
    deadline = time.monotonic() + 30
    while "window shown" not in app.log_file.read_text() and time.monotonic() < deadline:
        time.sleep(0.02)
    tree = app.snapshot_tree()
    close_and_wait(app, window, timeout=30)
    assert procs.wait_gone(tree, 10) == []
    # (Whether the app had loaded by then depends on how fast the close got through.)
    assert "Traceback" not in app.output()[1]


BLOCK_QT = '''
import sys

class _NoQt:
    """As on a machine where no Qt binding is installed."""
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "PyQt6", "PyQt5", "PySide2"):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return None

sys.meta_path.insert(0, _NoQt())
'''


def test_qt_missing_falls_back_to_the_system_browser(
    home: Path, launched: Launches
) -> None:
    site = home / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(BLOCK_QT)
    browser = FakeSystemBrowser(home)
    app = launched.start([], home, env={"PYTHONPATH": str(site), **browser.env})
    assert Browser().get(browser.wait_opened(app))[0] == 200
    app.signal(signal.SIGINT)
    assert app.wait(20) == 0
    _, err = app.output()
    assert "needs Qt's web view" in err and "system browser instead" in err
    assert "Traceback" not in err


@pytest.mark.slow
def test_killed_app_leaves_no_helper_processes(home: Path, launched: Launches) -> None:
    with open_app([], home, launched) as (app, _, page):
        page.wait_for("document.querySelectorAll('h1').length", 60)
        url = page.evaluate("location.href")
        tree = app.snapshot_tree()
        assert any("QtWebEngineProcess" in line for line in procs.still_running(tree))
        page.close()
        app.signal(signal.SIGKILL)  # no clean-up code runs: the kernel and Chromium must cope
        assert app.wait(10) == -signal.SIGKILL
        assert procs.wait_gone(tree, 15) == [], "QtWebEngine helpers outlived the killed app"
        assert procs.port_is_free(int(url.split(":")[2].split("/")[0]))


STOP_THE_SERVER = """
import gc
import uvicorn
gc.unfreeze()  # preimport.py freezes what the start made: gc.get_objects() would miss it
for _server in [o for o in gc.get_objects() if isinstance(o, uvicorn.Server)]:
    _server.should_exit = True  # as if the server had died under the page
"""


@pytest.mark.slow
def test_server_stopping_under_the_window_shows_the_error_screen(
    tmp_path: Path, home: Path, launched: Launches
) -> None:
    copy = copy_of_the_app(tmp_path)
    page_file = copy / "app" / "data_feed.py"
    page_file.write_text(STOP_THE_SERVER + page_file.read_text())
    with open_app(
        [], home, launched, cwd=copy, page_prefix="", exit_code=1
    ) as (app, window, page):
        text = page.wait_for(ERROR_SCREEN, 60, bool)
        screenshot("window-server-stopped")
        assert "Fragment Demos stopped" in text and "stopped unexpectedly" in text
        assert str(app.log_file) in text
        tree = app.snapshot_tree()
    assert procs.wait_gone(tree, 10) == []
