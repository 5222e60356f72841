"""Run the app from its unpacked folder with this process's arguments, streams and signals.

POSIX: exec, so the app takes this process's place: its pid, its stdin/stdout/stderr,
and the signals that PyInstaller's bootloader parent (the process people started) passes
on to it; the parent exits with the app's exit code and removes the stage's own small
`_MEI*` folder. Windows (no exec): a child process whose exit code is passed on.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from .cache import Ready
from .splash import BootSplash

EXECUTABLE_VARIABLE = "DESKTOP_SHELL_EXECUTABLE"  # the single file people started


def app_environment(base: Mapping[str, str], single_file: Path) -> dict[str, str]:
    """The environment the app would get if started directly.

    Undoes what the stage's bootloader set for the stage itself: its library path
    (LD_LIBRARY_PATH pointing into its `_MEI*` folder, the original kept in
    LD_LIBRARY_PATH_ORIG) and its _PYI_* variables (the app's bootloader would reset
    them anyway, as the archive differs: bootloader/src/pyi_main.c).
    """
    env = {key: value for key, value in base.items() if not key.startswith("_PYI_")}
    original = env.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is not None:
        env["LD_LIBRARY_PATH"] = original
    else:
        env.pop("LD_LIBRARY_PATH", None)
    env[EXECUTABLE_VARIABLE] = str(single_file)
    return env


def run(ready: Ready, program: Path, args: Sequence[str], env: dict[str, str],
        splash: BootSplash, *, exec_allowed: bool) -> int:
    """Run `program` (inside ready.folder); returns its exit code unless it replaced us."""
    command = [str(program), *args]
    if exec_allowed and os.name == "posix":
        if ready.lock is not None:
            ready.lock.keep_across_exec()
        splash.hand_over(env)
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(program, command, env)  # does not return
    splash.close()
    process = subprocess.Popen(command, env=env)
    if os.name == "posix":
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, lambda number, _frame: process.send_signal(number))
    else:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the console sends it to the child too
    while True:
        try:
            return process.wait()
        except InterruptedError:
            continue
