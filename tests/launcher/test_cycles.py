"""20 launch/close cycles of the native window: nothing left behind, ever."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.support import procs, x11
from tests.support.launch import APP_TITLE, Launches
from tests.support.window import close_and_wait

pytestmark = pytest.mark.slow

CYCLES = 20
LOADED = re.compile(r"app loaded in the window: http://127\.0\.0\.1:(\d+)")


@pytest.mark.timeout(CYCLES * 45)
def test_launch_and_close_20_times(
    tmp_path: Path, launched: Launches, capsys: pytest.CaptureFixture[str]
) -> None:
    left_total, ports_held = 0, 0
    for cycle in range(CYCLES):
        app = launched.start([], tmp_path / f"run{cycle}")
        window = x11.wait_for_window(APP_TITLE, 60, app.process.pid)
        deadline = time.monotonic() + 60
        while not (match := LOADED.search(app.log_file.read_text())):
            assert app.process.poll() is None and time.monotonic() < deadline, app.output()
            time.sleep(0.05)
        tree = app.snapshot_tree()  # and close at once: the most demanding moment
        close_and_wait(app, window)
        # pywebview's "Main window failed to start", 20 s after a close during a load,
        # before pywebview_fixes released its waits (_release_page_waits).
        assert "Traceback" not in app.output()[1], f"cycle {cycle}"
        left = procs.wait_gone(tree, 10)
        left_total += len(left)
        ports_held += not procs.port_is_free(int(match.group(1)))
    with capsys.disabled():  # the figures belong in the CI log
        print(f"{CYCLES} cycles: processes left {left_total}, ports still held {ports_held}")
    assert (left_total, ports_held) == (0, 0)
