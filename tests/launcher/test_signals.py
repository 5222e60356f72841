"""SIGINT and SIGTERM at any moment of the start give a clean exit.

Exit 0 (README), within seconds, no traceback, no process and no port left: right after
the handlers are installed (launcher.py's first lines), while the splash shows, while
QtWebEngine starts, once the app window is up, and once the app loads in it (after the
page has rendered: test_window.py). The moments are read from the process, its windows
and its log, not from sleeps.

Not covered, and not coverable from Python: the ~30 ms of the interpreter's own start,
before launcher.py runs, where the system's default action applies (SIGTERM ends the
process with nothing started yet).
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop_shell.qt import splash
from tests.support import procs, x11
from tests.support.launch import APP_TITLE, FakeSystemBrowser, Launched, Launches

pytestmark = pytest.mark.timeout(180)

SIGNALS = [signal.SIGINT, signal.SIGTERM]


def _handlers_installed(app: Launched) -> bool:
    return procs.catches(app.process.pid, signal.SIGTERM)


def _splash_shows(app: Launched) -> bool:
    return bool(x11.find_windows(splash.title(APP_TITLE), app.process.pid))


def _qtwebengine_starts(app: Launched) -> bool:
    """Its helper processes run, the app's page is not asked for yet. (The window may
    map before or after the helpers start: "not up yet" was a moment that some starts
    never had.)"""
    helpers = procs.still_running(procs.descendants(app.process.pid))
    return any("QtWebEngineProcess" in line for line in helpers) and not _app_loading(app)


def _window_is_up(app: Launched) -> bool:
    return bool(x11.find_windows(APP_TITLE, app.process.pid))


def _app_loading(app: Launched) -> bool:
    return app.log_file.exists() and "app loaded in the window" in app.log_file.read_text()


def _listening(app: Launched) -> bool:
    return bool(procs.listening_ports(app.process.pid))


def _interrupt_at(
    app: Launched, moment: Callable[[Launched], bool], what: str, sig: signal.Signals,
    to_group: bool = False,
) -> None:
    """Signal the app (or its whole process group: `to_group`) at `moment`, then check
    the exit: 0, quick, quiet, nothing left."""
    x11.wait_until(lambda: moment(app) or app.process.poll() is not None, 60, what)
    assert app.process.poll() is None, f"exited before {what}: {app.output()}"
    ports = procs.listening_ports(app.process.pid)
    tree = app.snapshot_tree()

    if to_group:
        app.signal_group(sig)
    else:
        app.signal(sig)

    assert app.wait(10) == 0, app.output()
    out, err = app.output()
    assert "Traceback" not in err and "Error" not in err, err
    assert procs.wait_gone(tree, 10) == []
    assert not any(procs.is_listened_on(port) for port in ports), ports


WINDOW_MOMENTS = {
    "handlers-installed": _handlers_installed,
    "splash": _splash_shows,
    "qtwebengine-starting": _qtwebengine_starts,
    "window-up": _window_is_up,
    "app-loading": _app_loading,
}


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
@pytest.mark.parametrize("moment", list(WINDOW_MOMENTS))
def test_a_signal_during_the_window_start_exits_0(
    moment: str, sig: signal.Signals, home: Path, launched: Launches
) -> None:
    app = launched.start([], home)
    _interrupt_at(app, WINDOW_MOMENTS[moment], moment, sig)
    if moment in ("splash", "qtwebengine-starting", "window-up"):
        # Whatever was up is gone with the process; nothing of ours stays mapped.
        assert not x11.find_windows(splash.title(APP_TITLE))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the forked server: Linux")
@pytest.mark.parametrize("moment", ["splash", "window-up", "app-loading"])
def test_ctrl_c_in_a_terminal_ends_the_window_and_its_server_process_with_0(
    moment: str, home: Path, launched: Launches
) -> None:
    """Ctrl+C in a terminal sends SIGINT to the whole process group: the window's process
    and its forked server (server_process.py) both get it. One clean exit, no traceback
    from either, nothing left."""
    app = launched.start([], home, new_session=True)
    x11.wait_until(lambda: bool(procs.server_children(app.process.pid))
                   or app.process.poll() is not None, 60, "the server process")
    _interrupt_at(app, WINDOW_MOMENTS[moment], moment, signal.SIGINT, to_group=True)


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
@pytest.mark.parametrize("moment", ["handlers-installed", "serving"])
def test_a_signal_during_a_headless_start_exits_0(
    moment: str, sig: signal.Signals, home: Path, launched: Launches
) -> None:
    app = launched.start(["--headless"], home)
    when = _handlers_installed if moment == "handlers-installed" else _listening
    _interrupt_at(app, when, moment, sig)


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_a_signal_during_a_browser_start_exits_0(
    sig: signal.Signals, home: Path, launched: Launches
) -> None:
    browser = FakeSystemBrowser(home)
    app = launched.start(["--browser"], home, env=browser.env)
    _interrupt_at(app, _listening, "serving", sig)
    assert not browser.record.exists()  # stopped before the browser was asked


def test_a_second_signal_while_closing_changes_nothing(home: Path, launched: Launches) -> None:
    """Ctrl+C pressed again (or SIGTERM after it) while the window closes: still a clean exit."""
    app = launched.start([], home)
    x11.wait_until(lambda: _window_is_up(app), 60, "window up")
    tree = app.snapshot_tree()
    app.signal(signal.SIGINT)
    x11.wait_until(lambda: "window closing" in app.log_file.read_text(), 10, "closing")
    app.signal(signal.SIGTERM)
    app.signal(signal.SIGINT)

    assert app.wait(10) == 0, app.output()
    out, err = app.output()
    assert "Traceback" not in err and "Error" not in err, err
    assert procs.wait_gone(tree, 10) == []


def test_an_interrupted_self_test_fails_in_a_sentence(home: Path, launched: Launches) -> None:
    """A self-test stopped by a signal checked nothing: exit 1, said, not a traceback."""
    app = launched.start(["--self-test"], home)
    x11.wait_until(lambda: _window_is_up(app), 60, "window up")
    tree = app.snapshot_tree()
    app.signal(signal.SIGTERM)

    assert app.wait(10) == 1, app.output()
    out, err = app.output()
    assert "self-test: stopped by SIGTERM" in err and "Traceback" not in err, err
    assert procs.wait_gone(tree, 10) == []
