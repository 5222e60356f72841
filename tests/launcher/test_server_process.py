"""The server in a forked child (DESKTOP_SHELL_SERVER_PROCESS=1, a prototype: server_process.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from desktop_shell.server import server_process
from desktop_shell.settings import Mode, Settings
from tests.support import procs
from tests.support.launch import ROOT, Launched, Launches, demo_app
from tests.support.probes import ERROR_SCREEN
from tests.support.window import open_app, screenshot, wait_rendered

CHILD = {server_process.VARIABLE: "1"}


def settings(tmp_path: Path, mode: Mode = Mode.WINDOW) -> Settings:
    return Settings(
        app_script=ROOT / "app" / "streamlit_app.py", manifest=demo_app(),
        log_file=tmp_path / "log", mode=mode,
    )


def server_children(app: Launched) -> list[int]:
    """The app's direct children that are its server process (named by prctl)."""
    found = []
    for pid in procs.descendants(app.process.pid):
        try:
            comm = Path(f"/proc/{pid}/comm").read_text().strip()
            parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue
        if comm == "app-server" and parent == app.process.pid:
            found.append(pid)
    return found


def test_wanted_only_when_asked_in_a_window_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(server_process.VARIABLE, raising=False)
    assert not server_process.wanted(settings(tmp_path))
    monkeypatch.setenv(server_process.VARIABLE, "1")
    assert not server_process.wanted(settings(tmp_path, Mode.HEADLESS))
    assert not server_process.wanted(settings(tmp_path, Mode.BROWSER))


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


def test_wanted_in_a_fresh_process() -> None:
    """Where cli.run asks: a fresh interpreter, no thread, no Qt yet."""
    code = (
        "from pathlib import Path\n"
        "from desktop_shell.server import server_process\n"
        "from desktop_shell.settings import Settings\n"
        "from tests.support.launch import demo_app\n"
        "s = Settings(app_script=Path('x'), manifest=demo_app(), log_file=Path('log'))\n"
        "print(server_process.wanted(s))\n"
    )
    env = {**os.environ, **CHILD}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=60, check=True).stdout
    assert out.strip() == "True"


@pytest.mark.slow
def test_closing_the_window_ends_the_server_process(home: Path, launched: Launches) -> None:
    with open_app([], home, launched, env=CHILD) as (app, _, page):
        wait_rendered(page, "Data feed")
        assert len(server_children(app)) == 1
        tree = app.snapshot_tree()
    assert procs.wait_gone(tree, 5) == []


@pytest.mark.slow
def test_the_server_process_dies_with_a_killed_app(home: Path, launched: Launches) -> None:
    with open_app([], home, launched, env=CHILD) as (app, _, page):
        wait_rendered(page, "Data feed")
        port = int(page.evaluate("location.port"))
        [child] = server_children(app)
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
        [child] = server_children(app)
        os.kill(child, signal.SIGKILL)
        text = page.wait_for(ERROR_SCREEN, 30, bool)
        screenshot("window-server-process-killed")
        assert "Fragment Demos stopped" in text and "stopped unexpectedly" in text
        tree = app.snapshot_tree()
    assert procs.wait_gone(tree, 10) == []
