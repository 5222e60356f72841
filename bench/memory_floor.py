"""What the floor's two processes count twice: one interpreter with the modules both import.

The memory floor adds the bare window's tree and the server's process; our app runs both
in one interpreter, so that sum holds a second Python: its own heap, and every module the
window and the server both import (the standard library's, mostly), loaded twice. This
measures that: a fresh Python that imports exactly the modules both sides import (as
`floors.py` imports them) and waits, its PSS read while the floor's window and server run
(so shared pages are split as they are in the sum). Subtracting it gives the lower floor
(a safe one: a bare `python` is smaller still).
"""

from __future__ import annotations

import subprocess

from bench.floors import GUI_IMPORTS, SERVER_IMPORTS
from bench.processes import pss_mib
from bench.reaper import REAPER
from bench.settings import PYTHON, ROOT

# What the floor's window and the headless server import beyond floors.py's statements.
WINDOW_SIDE = f"{GUI_IMPORTS}; import desktop_shell.qt.chromium_flags, desktop_shell.qt.scene_graph"
SERVER_SIDE = f"{SERVER_IMPORTS}; import streamlit.runtime, desktop_shell.server.server"
LIST_MODULES = "; import sys; print(' '.join(sorted(sys.modules)))"
# Imports each module named on stdin's first line, says "ready", waits for stdin to close.
HOLD = (
    "import importlib, sys\n"
    "for name in sys.stdin.readline().split():\n"
    "    try:\n"
    "        importlib.import_module(name)\n"
    "    except Exception:\n"
    "        pass\n"
    "print('ready', flush=True)\n"
    "sys.stdin.read()\n"
)


def loaded_by(statement: str) -> set[str]:
    """sys.modules after `statement`, in a fresh Python."""
    out = subprocess.run([PYTHON, "-c", statement + LIST_MODULES], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=True)
    return set(out.stdout.split())


def shared_modules() -> tuple[str, ...]:
    """The modules both the window's side and the server's side import."""
    return tuple(sorted(loaded_by(WINDOW_SIDE) & loaded_by(SERVER_SIDE)))


def interpreter_pss(modules: tuple[str, ...]) -> float:
    """PSS (MiB) of a fresh Python holding `modules`; () for a bare interpreter."""
    probe = REAPER.add(subprocess.Popen([PYTHON, "-c", HOLD], cwd=ROOT, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True))
    assert probe.stdin is not None and probe.stdout is not None
    try:
        probe.stdin.write(" ".join(modules) + "\n")
        probe.stdin.flush()
        if probe.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the interpreter probe exited {probe.poll()}")
        return pss_mib([probe.pid])
    finally:
        probe.stdin.close()
        probe.wait(30)
