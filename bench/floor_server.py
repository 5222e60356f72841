"""The server the floor's window opens the app in: started once, before the timed launches.

It is the launcher's own server, `launcher.py --headless` (desktop_shell/server/: the same
Streamlit options, secret gate, chart preload in index.html and first-page imports as the
window gets), not `streamlit run`: the floor is the engine's time on *our* page, and the
plain page (no preloaded chart modules) would take longer, overstating the floor. It runs
in a process of its own, with no Qt, in a home of its own (--headless takes no part in the
single-instance lock anyway); the URL it prints carries its secret, which the gate trades
for a cookie on the window's first request, at every launch.

It runs only while the floor's own launches do (main.py, once a round): alive beside the
other variants, it would share its libraries' pages (pandas, pyarrow, numpy...) with their
servers and so lower their PSS (seen: launcher.py's process 382 → 321 MiB, the baseline's
`streamlit run` 184 → 146).
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench import memory_floor
from bench.launching import Run
from bench.processes import pss_mib, tree_of
from bench.reaper import REAPER
from tests.support.launch import Launched, launch


@dataclass(frozen=True)
class FloorServer:
    url: str  # the app's page, with the server's secret
    pid: int

    def pss(self) -> float:
        """PSS of the server's process tree now (MiB)."""
        return pss_mib(list(tree_of([self.pid])))


@contextlib.contextmanager
def running(home: Path) -> Iterator[FloorServer]:
    """`launcher.py --headless`, up and answering (it prints its URL once it is), stopped
    (SIGINT, as Ctrl+C) at the end."""
    app: Launched = launch(["--headless"], home)
    REAPER.add(app.process)
    try:
        yield FloorServer(app.first_line(timeout=90).strip(), app.process.pid)
    finally:
        app.signal(signal.SIGINT)
        try:
            app.wait(15)
        except subprocess.TimeoutExpired:
            app.kill()


def measure_beside(server: FloorServer, shared_modules: tuple[str, ...], run: Run) -> None:
    """With the floor window's page open: the server's PSS, and what the sum of the two
    processes counts twice (memory_floor.py); a bare interpreter's PSS for comparison."""
    run.values["server_pss"] = server.pss()
    run.values["shared_interpreter_pss"] = memory_floor.interpreter_pss(shared_modules)
    run.values["bare_interpreter_pss"] = memory_floor.interpreter_pss(())
