"""One app per user: a second launch brings the running window forward and exits 0.

The channel itself first (real locks, real loopback sockets, in this process and a
child), then the real app: windows under Xvfb and openbox, read through X11 (what the
window manager shows as active, stacked on top, minimized) and CDP (the page).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop_shell.process.single_instance import (
    INFO_NAME,
    Answer,
    Primary,
    Request,
    Unavailable,
    claim,
)
from tests.support import procs, x11
from tests.support.launch import APP_TITLE, ROOT, Launches, launch
from tests.support.probes import HEADINGS
from tests.support.window import close_and_wait, open_app, screenshot, wait_rendered

ALREADY_RUNNING = "Fragment Demos is already running: brought its window to the front."


def answering(answer: Answer, into: list[Request]) -> Callable[[Request], Answer]:
    """The window's side of the channel, recording what it was asked."""

    def on_request(request: Request) -> Answer:
        into.append(request)
        return answer

    return on_request


# --- the lock and the channel -------------------------------------------------------


def test_the_first_claim_listens_and_a_second_hands_its_request_over(tmp_path: Path) -> None:
    first = claim(tmp_path, Request())
    assert isinstance(first, Primary)
    info = tmp_path / INFO_NAME
    assert stat.S_IMODE(info.stat().st_mode) == 0o600
    assert json.loads(info.read_text())["port"] == first.port
    received: list[Request] = []
    first.listen(answering("ok", received), pages=("data-feed", "sales"))

    assert claim(tmp_path, Request("sales")) is None  # handed over: this launch would exit
    assert claim(tmp_path, Request("no-such-page")) is None
    assert received == [Request("sales"), Request(None)]  # unknown pages are dropped

    first.close()
    assert not info.exists()
    again = claim(tmp_path, Request())  # the lock is free again
    assert isinstance(again, Primary)
    again.close()


def test_requests_without_the_token_are_ignored(tmp_path: Path) -> None:
    first = claim(tmp_path, Request())
    assert isinstance(first, Primary)
    received: list[Request] = []
    first.listen(answering("ok", received), pages=("sales",))
    port = json.loads((tmp_path / INFO_NAME).read_text())["port"]
    for attempt in (
        b'{"token": "guessed", "page": "sales"}\n',
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",  # what a web page in a browser can send
        b"\xff" * 10000,
    ):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            try:
                sock.sendall(attempt)
                answer = sock.recv(100)
            except ConnectionResetError:  # closed with part of a long request unread
                answer = b""
            assert answer == b""  # closed without an answer
    assert received == []
    assert claim(tmp_path, Request()) is None  # the channel still works for the owner
    assert received == [Request()]
    first.close()


def test_a_stale_info_file_is_replaced(tmp_path: Path) -> None:
    stale = {"port": procs.free_port(), "pid": 999999, "token": "left-by-a-killed-instance"}
    (tmp_path / INFO_NAME).write_text(json.dumps(stale))
    first = claim(tmp_path, Request())
    assert isinstance(first, Primary)
    info = json.loads((tmp_path / INFO_NAME).read_text())
    assert info["pid"] == os.getpid() and info["token"] != stale["token"]
    first.close()


@pytest.mark.slow
def test_an_instance_that_does_not_take_the_request_is_reported(tmp_path: Path) -> None:
    first = claim(tmp_path, Request())
    assert isinstance(first, Primary)
    # Still starting: the lock is held, nobody answers yet.
    with pytest.raises(Unavailable, match="did not answer within 1 s"):
        claim(tmp_path, Request(), wait=1)
    # Closing: it answers, but cannot bring a window forward any more.
    first.listen(answering("closing", []), pages=())
    with pytest.raises(Unavailable, match="it is closing"):
        claim(tmp_path, Request(), wait=1)
    first.close()


HOLD_THE_LOCK = """
import sys, time
from pathlib import Path
from desktop_shell.process.single_instance import Request, claim
instance = claim(Path(sys.argv[1]), Request())
print("holding" if instance else "forwarded", flush=True)
time.sleep(60)
"""


def test_the_system_drops_the_lock_of_a_killed_instance(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"holding\n"
        holder.kill()
        holder.wait(10)
    finally:
        holder.kill()
    assert (tmp_path / INFO_NAME).exists()  # left behind: the kill ran no clean-up
    instance = claim(tmp_path, Request(), wait=5)
    assert isinstance(instance, Primary)
    instance.close()


# --- the app ----------------------------------------------------------------------


def second_launch(args: list[str], home: Path, launched: Launches) -> tuple[int, str, str]:
    second = launched.start(args, home)
    out, err = second.output(timeout=60)
    return second.process.returncode, out, err


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_a_second_launch_brings_the_first_to_the_front_and_exits_0(
    home: Path, launched: Launches
) -> None:
    with open_app([], home, launched) as (app, window, page):
        wait_rendered(page, "Data feed")

        # Covered by another application's window, which is active.
        other = x11.OtherWindow()
        try:
            x11.wait_until(lambda: x11.active_window() == other.id, 20, "the other window active")
            code, out, err = second_launch([], home, launched)
            assert (code, out, err) == (0, ALREADY_RUNNING + "\n", "")
            x11.wait_until(lambda: x11.active_window() == window, 20, "the app's window active")
            stack = x11.stacking()
            assert stack.index(window) > stack.index(other.id), "the window was not raised"
            screenshot("single-instance-brought-forward")
        finally:
            other.close()

        # Minimized, and the second launch asks for another page.
        x11.minimize(window)
        code, out, err = second_launch(["--page", "sales"], home, launched)
        assert code == 0 and err == ""
        assert out == ("Fragment Demos is already running: brought its window to the front "
                       "and opened the sales page.\n")
        x11.wait_until(lambda: not x11.is_iconified(window), 20, "restored")
        x11.wait_until(lambda: x11.active_window() == window, 20, "the app's window active")
        wait_rendered(page, "Daily vs monthly sales, by product")
        assert page.evaluate("location.pathname") == "/sales"

        # No second window, and the first one (its page just rendered) closes cleanly.
        assert x11.find_windows(APP_TITLE) == [window]
        tree = app.snapshot_tree()
    assert procs.wait_gone(tree, 10) == []
    log = app.log_file.read_text()  # the second launches left the first one's log alone
    assert log.count("second launch: window brought to the front") == 2
    assert "Traceback" not in app.output()[1]


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_new_instance_and_headless_run_beside_the_window(
    home: Path, launched: Launches
) -> None:
    # The same runtime folder, so the same lock, and the same log folder: each run
    # writes a log file of its own there.
    same_lock = {"XDG_RUNTIME_DIR": str(home / "runtime"), "XDG_STATE_HOME": str(home / "state")}
    with (
        open_app([], home, launched) as (first, first_window, first_page),
        open_app(["--new-instance"], home / "second", launched, env=same_lock)
        as (second, second_window, second_page),
    ):
        assert first_window != second_window
        # Two windows, two servers, two secrets: each shows the app, neither disturbs the other.
        for page in (first_page, second_page):
            page.wait_for(HEADINGS, 60, lambda headings: "Data feed" in (headings or []))
        assert first_page.evaluate("location.origin") != second_page.evaluate("location.origin")
        # --headless serves beside them too: it neither takes the lock nor hands over.
        headless = launched.start(["--headless"], home / "headless", env=same_lock)
        assert headless.first_line().startswith("http://127.0.0.1:")
        headless.signal(signal.SIGTERM)
        assert headless.wait(20) == 0
    # Both windows closed by the user (the second first), both apps exited 0.
    first_log = first.log_file.read_text()
    assert "second launch" not in first_log
    assert first_log.count("starting (window)") == 1 and "window closing" in first_log
    assert len(list(first.log_folder.glob("fragment-demos-*.log"))) == 3  # one per run


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_a_killed_instance_does_not_block_the_next_launch(
    home: Path, launched: Launches
) -> None:
    with open_app([], home, launched) as (first, _, page):
        page.wait_for(HEADINGS, 60)
        tree = first.snapshot_tree()
        page.close()
        first.signal(signal.SIGKILL)
        assert first.wait(10) == -signal.SIGKILL
        assert procs.wait_gone(tree, 15) == []
        info = next((home / "runtime").rglob(INFO_NAME))
        assert json.loads(info.read_text())["pid"] == first.process.pid  # stale, left behind

    with open_app([], home, launched) as (second, window, page):
        wait_rendered(page, "Data feed")
        assert json.loads(info.read_text())["pid"] == second.process.pid
    assert not info.exists()


@pytest.mark.timeout(240)
def test_two_launches_at_once_make_one_window(home: Path, launched: Launches) -> None:
    both = [launch([], home), launch([], home)]
    launched.extend(both)
    deadline = time.monotonic() + 60
    while all(app.process.poll() is None for app in both):
        assert time.monotonic() < deadline, "neither launch handed over to the other"
        time.sleep(0.05)
    handed_over = next(app for app in both if app.process.poll() is not None)
    running = next(app for app in both if app is not handed_over)
    assert handed_over.output() == (ALREADY_RUNNING + "\n", "")
    assert handed_over.process.returncode == 0
    window = x11.wait_for_window(APP_TITLE, 60, running.process.pid)
    x11.wait_until(lambda: "app loaded in the window" in running.log_file.read_text(), 60, "loaded")
    assert x11.find_windows(APP_TITLE) == [window]
    close_and_wait(running, window)
