"""Each run logs to a file of its own; the last 10 are kept; no run touches another's log."""

from __future__ import annotations

import os
import re
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_shell.process import logs
from tests.support.launch import Launched, Launches

pytestmark = pytest.mark.timeout(240)

NAME = re.compile(r"fragment-demos-\d{8}-\d{6}-(\d+)\.log")


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


def short_run(home: Path, launched: Launches, port: int) -> Launched:
    """A real run that logs its start, then fails at once: its --port is taken."""
    app = launched.start(["--headless", "--port", str(port)], home)
    assert app.wait(60) == 1
    assert f"Port {port} on 127.0.0.1 is already in use" in app.output()[1]
    return app


def test_two_runs_leave_two_logs(home: Path, launched: Launches, taken_port: int) -> None:
    first = short_run(home, launched, taken_port)
    second = short_run(home, launched, taken_port)
    found = sorted(first.log_folder.iterdir())
    assert found == sorted([first.log_file, second.log_file]) and len(set(found)) == 2
    for app in (first, second):
        match = NAME.fullmatch(app.log_file.name)
        assert match and int(match[1]) == app.process.pid
        text = app.log_file.read_text()
        assert text.count("starting (headless)") == 1 and "already in use" in text


def test_twelve_runs_keep_the_last_ten(
    home: Path, launched: Launches, taken_port: int
) -> None:
    runs = [short_run(home, launched, taken_port) for _ in range(12)]
    kept = sorted(runs[0].log_folder.iterdir())
    assert len(kept) == logs.KEEP == 10
    assert kept == sorted(app.log_file for app in runs[2:])  # the two oldest went


def test_a_headless_run_beside_a_running_one_leaves_its_log_intact(
    home: Path, launched: Launches
) -> None:
    first = launched.start(["--headless"], home)
    assert first.first_line().startswith("http://127.0.0.1:")
    before = first.log_file.read_text()
    beside = launched.start(["--headless"], home)  # the same log folder
    assert beside.first_line().startswith("http://127.0.0.1:")
    beside.signal(signal.SIGTERM)
    assert beside.wait(20) == 0
    assert beside.log_file != first.log_file
    assert first.log_file.read_text().startswith(before)  # not truncated, not written into
    first.signal(signal.SIGTERM)
    assert first.wait(20) == 0
    text = first.log_file.read_text()
    assert text.count("starting (headless)") == 1 and "desktop_shell.process.cli: stopped" in text
    assert f"pid {beside.process.pid}" not in text and str(beside.log_file) not in text


def test_prune_keeps_the_newest_and_leaves_other_files(tmp_path: Path) -> None:
    made = [tmp_path / f"fragment-demos-20260101-0000{i:02}-{100 + i}.log" for i in range(13)]
    for age, path in enumerate(made):
        path.write_text("")
        stamp = 1_700_000_000 + age
        os.utime(path, (stamp, stamp))
    others = [tmp_path / "fragment-demos.log", tmp_path / "notes.txt",
              tmp_path / "other-app-20260101-000000-1.log"]
    for path in others:
        path.write_text("")
    removed = logs.prune(tmp_path, "fragment-demos", keep=10)
    assert removed == made[:3]
    assert sorted(tmp_path.iterdir()) == sorted(made[3:] + others)


def test_prune_leaves_a_log_still_in_use(tmp_path: Path) -> None:
    made = [tmp_path / f"fragment-demos-20260101-0000{i:02}-{100 + i}.log" for i in range(12)]
    for age, path in enumerate(made):
        path.write_text("")
        os.utime(path, (1_700_000_000 + age, 1_700_000_000 + age))
    with open(made[0], "a", encoding="utf-8") as still_writing:
        logs.hold(still_writing)  # as a run's setup() does
        removed = logs.prune(tmp_path, "fragment-demos", keep=10)
    assert removed == made[1:2]
    assert logs.prune(tmp_path, "fragment-demos", keep=10) == made[:1]  # once it has ended


def test_a_run_still_going_through_ten_newer_runs_keeps_its_log(
    home: Path, launched: Launches, taken_port: int
) -> None:
    """The oldest log, a run still going, is not pruned by the runs after it."""
    first = launched.start(["--headless"], home)
    assert first.first_line().startswith("http://127.0.0.1:")
    time.sleep(3)  # its start-up lines (the early imports' comes last) are written
    os.utime(first.log_file, (1_700_000_000, 1_700_000_000))  # quiet for a long time since
    runs = [short_run(home, launched, taken_port) for _ in range(11)]
    kept = set(first.log_folder.iterdir())
    own = NAME.fullmatch(first.log_file.name)
    assert own and int(own[1]) == first.process.pid, "the running app's log was removed"
    assert first.log_file in kept and runs[-1].log_file in kept
    assert len(kept) <= logs.KEEP + 1  # the last ten, and the one still in use
    first.signal(signal.SIGTERM)
    assert first.wait(20) == 0
    assert "desktop_shell.process.cli: stopped" in first.log_file.read_text()
