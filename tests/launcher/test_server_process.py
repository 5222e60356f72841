"""The window's server in a forked child (server_process.py; the default on Linux)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from desktop_shell.process import single_instance
from desktop_shell.qt import splash
from desktop_shell.server import server_process
from desktop_shell.settings import Mode, Settings
from tests.support import procs
from tests.support.launch import ROOT, Launches, demo_app
from tests.support.probes import ERROR_SCREEN
from tests.support.window import open_app, screenshot, wait_rendered

CHILD = {server_process.VARIABLE: "1"}  # also where it is not the default


def settings(tmp_path: Path, mode: Mode = Mode.WINDOW) -> Settings:
    return Settings(
        app_script=ROOT / "app" / "streamlit_app.py", manifest=demo_app(),
        log_file=tmp_path / "log", mode=mode,
    )


def test_not_wanted_outside_a_window_mode_or_when_turned_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(server_process.VARIABLE, "1")
    assert not server_process.wanted(settings(tmp_path, Mode.HEADLESS))
    assert not server_process.wanted(settings(tmp_path, Mode.BROWSER))
    monkeypatch.setenv(server_process.VARIABLE, "0")
    assert not server_process.wanted(settings(tmp_path))
    assert not server_process.wanted(settings(tmp_path, Mode.SELF_TEST))


def test_not_wanted_once_a_thread_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(server_process.VARIABLE, "1")
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert not server_process.wanted(settings(tmp_path))  # a fork now could copy its locks
    finally:
        release.set()
        thread.join()


def wanted_in_a_fresh_process(variable: str | None, before: str = "") -> str:
    """`wanted` where cli.run asks: a fresh interpreter, no thread, no Qt application."""
    code = (
        f"{before}\n"
        "from pathlib import Path\n"
        "from desktop_shell.server import server_process\n"
        "from desktop_shell.settings import Settings\n"
        "from tests.support.launch import demo_app\n"
        "s = Settings(app_script=Path('x'), manifest=demo_app(), log_file=Path('log'))\n"
        "print(server_process.wanted(s))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != server_process.VARIABLE}
    if variable is not None:
        env[server_process.VARIABLE] = variable
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60, check=True).stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the default on Linux only")
def test_wanted_by_default_on_linux_and_not_when_turned_off() -> None:
    assert wanted_in_a_fresh_process(None) == "True"
    assert wanted_in_a_fresh_process("0") == "False"


def test_wanted_after_pyinstallers_qtcore_import() -> None:
    """PyInstaller's PySide6 runtime hook imports QtCore before our code: no thread, no
    application, so the fork stays safe; a QCoreApplication makes it unsafe."""
    assert wanted_in_a_fresh_process("1", "import PySide6.QtCore") == "True"
    made = "import PySide6.QtCore as q; app = q.QCoreApplication([])"
    assert wanted_in_a_fresh_process("1", made) == "False"


@pytest.mark.slow
def test_closing_the_window_ends_the_server_process(home: Path, launched: Launches) -> None:
    with open_app([], home, launched, env=CHILD) as (app, _, page):
        wait_rendered(page, "Data feed")
        assert len(procs.server_children(app.process.pid)) == 1
        tree = app.snapshot_tree()
    assert procs.wait_gone(tree, 5) == []


@pytest.mark.slow
def test_the_server_process_dies_with_a_killed_app(home: Path, launched: Launches) -> None:
    with open_app([], home, launched, env=CHILD) as (app, _, page):
        wait_rendered(page, "Data feed")
        port = int(page.evaluate("location.port"))
        [child] = procs.server_children(app.process.pid)
        assert port in procs.listening_ports(child)
        tree = app.snapshot_tree()
        page.close()
        app.signal(signal.SIGKILL)  # nothing of ours runs: PR_SET_PDEATHSIG must end it
        assert app.wait(10) == -signal.SIGKILL
        assert procs.wait_gone(tree, 15) == [], "the server process outlived the killed app"
        assert procs.port_is_free(port)


@pytest.mark.slow
def test_a_server_process_that_dies_shows_the_error_screen(
    home: Path, launched: Launches
) -> None:
    with open_app([], home, launched, env=CHILD, exit_code=1) as (app, _, page):
        wait_rendered(page, "Data feed")
        [child] = procs.server_children(app.process.pid)
        os.kill(child, signal.SIGKILL)
        text = page.wait_for(ERROR_SCREEN, 30, bool)
        screenshot("window-server-process-killed")
        assert "Fragment Demos stopped" in text and "stopped unexpectedly" in text
        tree = app.snapshot_tree()
    assert procs.wait_gone(tree, 10) == []


@pytest.mark.slow
def test_the_server_process_keeps_none_of_the_windows_own_files(
    home: Path, launched: Launches
) -> None:
    """The single-instance lock and channel, and the start-up picture's connection that
    the single file's first stage hands over (qt/splash.py), stay the window's: the
    picture is told to close and its connection ends as the window shows, and the lock
    and channel end with the window, not with a server child that outlives it."""
    picture, handed_over = socket.socketpair()
    env = {splash.HANDOVER_VARIABLE: str(handed_over.fileno())}
    with picture, handed_over, open_app(
        [], home, launched, env=env, pass_fds=[handed_over.fileno()]
    ) as (app, _, page):
        handed_over.close()  # the app holds it now
        picture.settimeout(30)
        said = b""
        while chunk := picture.recv(64):  # until the connection's last holder lets go
            said += chunk
        assert said == b"\x04", said  # pyi_splash's CLOSE_CONNECTION
        wait_rendered(page, "Data feed")
        port = int(page.evaluate("location.port"))
        [child] = procs.server_children(app.process.pid)
        opened = {os.readlink(fd) for fd in Path(f"/proc/{child}/fd").iterdir()}
        runtime = str(home / "runtime")
        assert not [path for path in opened if path.startswith(runtime)], opened
        channel = json.loads(next((home / "runtime").rglob(single_instance.INFO_NAME)).read_text())
        assert {port, channel["port"]} <= procs.listening_ports(app.process.pid)
        assert procs.listening_ports(child) == {port}  # not the single-instance channel
