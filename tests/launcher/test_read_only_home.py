"""A read-only home (kiosk and lab machines, live systems) does not stop the app.

The home is made read-only for the app alone: a bind mount of it, remounted read-only,
in a mount namespace of the app's own (`unshare --mount`). Root ignores file modes
(chmod 0555 would stop nobody here), but not a read-only mount: every write fails with
EROFS, as on a read-only file system.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest

from tests.support import x11
from tests.support.launch import ROOT, Launched, Launches
from tests.support.window import open_app, wait_rendered

pytestmark = [
    pytest.mark.timeout(240),
    pytest.mark.skipif(
        not (sys.platform.startswith("linux") and shutil.which("unshare")),
        reason="needs Linux and unshare",
    ),
]

# $0 is the folder to make read-only; the rest is the command to run there.
READ_ONLY = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" && exec "$@"'
WARNING = "launcher.py: warning: cannot write to "  # the program as started, as argparse says


def read_only(home: Path) -> tuple[list[str], dict[str, str]]:
    """The command and environment that run the app with HOME and every XDG data folder
    inside home/ro, which the app cannot write (the runtime folder stays writable)."""
    ro = home / "ro"
    ro.mkdir()
    unshare = ["unshare", "--mount"] + ([] if os.geteuid() == 0 else ["--map-root-user"])
    command = [*unshare, "sh", "-c", READ_ONLY, str(ro), sys.executable, str(ROOT / "launcher.py")]
    env = {"HOME": str(ro), "XDG_STATE_HOME": str(ro / "state"),
           "XDG_CONFIG_HOME": str(ro / "config"), "XDG_CACHE_HOME": str(ro / "cache"),
           "XDG_DATA_HOME": str(ro / "data")}
    return command, env


def read_only_launch(args: list[str], home: Path, launched: Launches) -> Launched:
    command, env = read_only(home)
    app = launched.start(args, home, command=command, env=env)
    return app


def the_one_warning(err: str) -> Path:
    """The single warning line says what cannot be written and where the log is instead."""
    warnings = [line for line in err.splitlines() if ": warning:" in line]
    assert len(warnings) == 1, err
    assert warnings[0].startswith(WARNING) and "Read-only file system" in warnings[0]
    assert warnings[0].endswith(", and remembering nothing this run")
    log = Path(warnings[0].split("logging to ")[1].split(", and")[0])
    assert log.is_file() and "starting" in log.read_text()
    return log


def test_headless_with_a_read_only_home(home: Path, launched: Launches) -> None:
    app = read_only_launch(["--headless"], home, launched)
    assert app.first_line().startswith("http://127.0.0.1:")
    app.signal(signal.SIGTERM)
    assert app.wait(20) == 0
    _, err = app.output()
    assert "Traceback" not in err
    log = the_one_warning(err)
    assert "stopped" in log.read_text()
    assert list((home / "ro").iterdir()) == []  # nothing written (it could not be)


@pytest.mark.slow
def test_self_test_with_a_read_only_home(home: Path, launched: Launches) -> None:
    app = read_only_launch(["--self-test"], home, launched)
    assert app.wait(180) == 0, app.output()
    out, err = app.output()
    assert "self-test: data-feed: ok" in out and "self-test: sales: ok" in out
    assert "Traceback" not in err
    the_one_warning(err)
    assert list((home / "ro").iterdir()) == []


@pytest.mark.slow
def test_the_window_with_a_read_only_home(home: Path, launched: Launches) -> None:
    command, env = read_only(home)
    with open_app([], home, launched, command=command, env=env) as (app, window, page):
        wait_rendered(page, "Data feed")
        page.close()
        # The log is not where the helpers look (home/state is read-only): find it by the warning.
        stderr = app.stderr_path.read_text()
        log = the_one_warning(stderr)
        assert "app loaded in the window" in log.read_text()
        x11.close_window(window)
        deadline = time.monotonic() + 20
        while "window closing" not in log.read_text():
            assert time.monotonic() < deadline, "the window ignored the close request"
            time.sleep(0.05)
        assert app.wait(20) == 0  # and the geometry it could not save did not stop the close
        assert "Traceback" not in app.output()[1]
        assert list((home / "ro").iterdir()) == []
