"""Everything the benchmark starts is killed at the end, whatever happens."""

from __future__ import annotations

import atexit
import contextlib
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.support import procs


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class Reaper:
    """Everything the benchmark starts (its display aside: see main), killed at the end."""

    def __init__(self) -> None:
        self.popens: list[subprocess.Popen[Any]] = []
        self.seen: dict[int, str] = {}  # pid -> start time (tells reused pids apart)
        self.dirs: list[Path] = []

    def add(self, popen: subprocess.Popen[Any]) -> subprocess.Popen[Any]:
        self.popens.append(popen)
        self.track(popen.pid)
        return popen

    def track(self, pid: int) -> dict[int, str]:
        tree = procs.descendants(pid)
        info = procs._stat(pid)  # noqa: SLF001 - (parent, start time) of a live process
        if info:
            tree[pid] = info[1]
        self.seen.update(tree)
        return tree

    def kill_all(self) -> None:
        for popen in self.popens:
            if popen.poll() is None:
                with contextlib.suppress(OSError):
                    self.seen.update(procs.descendants(popen.pid))
                    popen.kill()
        procs.kill(self.seen)
        for popen in self.popens:
            with contextlib.suppress(Exception):
                popen.wait(5)
            if popen.poll() is None:
                popen.kill()
        for path in self.dirs:
            shutil.rmtree(path, ignore_errors=True)


REAPER = Reaper()
atexit.register(REAPER.kill_all)


def _on_signal(sig: int, _frame: Any) -> None:
    raise SystemExit(128 + sig)  # unwinds through every finally, then atexit
