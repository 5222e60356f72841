"""The start-up's freed heap given back once each process is quiet (process/heap_trim.py)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from desktop_shell.process.heap_trim import TrimWhenQuiet, malloc_trim
from desktop_shell.server import server_process
from tests.support.launch import Launches
from tests.support.window import open_app, wait_rendered

SERVER_TRIMMED = "app server process: freed heap given back to the system"
WINDOW_TRIMMED = "window process: freed heap given back to the system"


def busy(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


class Calls:
    """Stands in for malloc_trim: the scheduling is what these tests check."""

    def __init__(self) -> None:
        self.pads: list[int] = []

    def __call__(self, pad: int) -> int:
        self.pads.append(pad)
        return 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's")
def test_glibc_has_malloc_trim_and_it_runs() -> None:
    trim = malloc_trim()
    assert trim is not None
    assert trim(0) in (0, 1)


def test_once_after_a_quiet_interval_not_while_busy() -> None:
    calls = Calls()
    trim = TrimWhenQuiet("test", trim=calls, quiet_seconds=0.1)
    trim.poll()  # ready from now on
    busy(0.15)
    trim.poll()
    assert calls.pads == []  # the interval used a whole core
    time.sleep(0.15)
    trim.poll()
    assert calls.pads == [0] and trim.done
    time.sleep(0.15)
    trim.poll()
    assert calls.pads == [0]  # once only


def test_not_before_ready() -> None:
    calls = Calls()
    ready = False
    trim = TrimWhenQuiet("test", ready=lambda: ready, trim=calls, quiet_seconds=0.1)
    for _ in range(2):
        time.sleep(0.1)
        trim.poll()
    assert calls.pads == []
    ready = True
    trim.poll()  # the quiet interval starts here, not before
    assert calls.pads == []
    time.sleep(0.1)
    trim.poll()
    assert calls.pads == [0]


@pytest.mark.slow
def test_the_server_process_and_the_window_trim_once_the_page_has_run(
    home: Path, launched: Launches
) -> None:
    with open_app([], home, launched, env={server_process.VARIABLE: "1"}) as (app, _, page):
        wait_rendered(page, "Data feed")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            log = app.log_file.read_text()
            if SERVER_TRIMMED in log and WINDOW_TRIMMED in log:
                break
            time.sleep(0.5)
    log = app.log_file.read_text()
    assert log.count(SERVER_TRIMMED) == 1, log[-3000:]
    assert log.count(WINDOW_TRIMMED) == 1, log[-3000:]
    # The server's trim comes after its first page run: after the page asked for it.
    assert log.index(SERVER_TRIMMED) > log.index("app loaded in the window")
