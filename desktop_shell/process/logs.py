"""Logging: one file per run in the per-user log folder, and the console when there is one.

Each run writes its own file, `APP_ID-YYYYmmdd-HHMMSS-PID.log`, so a second instance
(--new-instance, --headless, --self-test beside a window) never writes into another's
log, and the log of a crash is still there after the next start. At each start the
oldest are removed so that the last `KEEP` remain, except those of runs still going: a
window left open while ten newer runs (--self-test, --headless...) came and went keeps
writing to a file that is still there. Each run holds a shared lock on its own file for
that (POSIX; on Windows an open file cannot be deleted anyway).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
import time
from pathlib import Path
from typing import IO

# The process too: the window's and its forked server's lines share the file
# (O_APPEND: whole lines, never interleaved).
_FORMAT = "%(asctime)s %(levelname)-7s %(process)d %(threadName)s %(name)s: %(message)s"
KEEP = 10  # log files kept in the log folder, this run's included

# `extra=` for a record the caller already printed for the person at the terminal.
FILE_ONLY = {"file_only": True}

def _not_file_only(record: logging.LogRecord) -> bool:
    return not getattr(record, "file_only", False)


def run_log_file(folder: Path, app_id: str, *, pid: int | None = None,
                 now: float | None = None) -> Path:
    """This run's log file in `folder`: the start time, then the pid, so names sort by age."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    return folder / f"{app_id}-{stamp}-{os.getpid() if pid is None else pid}.log"


def run_logs(folder: Path, app_id: str) -> list[Path]:
    """The app's per-run logs in `folder`, oldest first."""
    name = re.compile(re.escape(app_id) + r"-\d{8}-\d{6}-\d+\.log")
    found = [path for path in folder.glob(f"{app_id}-*.log") if name.fullmatch(path.name)]
    return sorted(found, key=lambda path: (path.stat().st_mtime, path.name))


def hold(stream: IO[str]) -> None:
    """Mark this run's open log file as in use, for as long as the process lives (a forked
    server shares the lock): `prune` in other runs leaves it."""
    if sys.platform != "win32":
        import fcntl

        with contextlib.suppress(OSError):
            fcntl.flock(stream.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)


def _in_use(path: Path) -> bool:
    """Whether a running process holds `path` (see `hold`)."""
    if sys.platform == "win32":
        return False  # deleting it fails while it is open: prune skips it
    import fcntl

    try:
        with open(path, "rb") as probe:
            fcntl.flock(probe.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False


def prune(folder: Path, app_id: str, keep: int = KEEP) -> list[Path]:
    """Remove all but the newest `keep` per-run logs, except those still in use; return
    those removed."""
    removed = []
    with contextlib.suppress(OSError):  # a folder we cannot list has nothing to prune
        for path in run_logs(folder, app_id)[:-keep]:
            if _in_use(path):
                continue
            with contextlib.suppress(OSError):  # removed by another instance meanwhile
                path.unlink()
                removed.append(path)
    return removed


def setup(log_file: Path, *, app_id: str, debug: bool, keep: int = KEEP) -> str:
    """Log to `log_file` (new for this run) and to stderr if it exists; prune old logs.

    Returns "" or, if the file cannot be written, why (then the log goes to stderr only).

    Windowed builds (PyInstaller --windowed, pythonw) have sys.stdout and sys.stderr set
    to None; Streamlit, uvicorn and print() would then fail or write nowhere, so both
    are pointed at the log file first.
    """
    level = logging.DEBUG if debug else logging.INFO
    handlers: list[logging.Handler] = []
    problem = ""
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        file_handler = logging.FileHandler(log_file, mode="a", encoding="utf-8")
        hold(file_handler.stream)
        handlers.append(file_handler)
    except OSError as exc:
        problem = f"cannot write the log file {log_file}: {exc.strerror or exc}"
    if handlers and (sys.stderr is None or sys.stdout is None):
        stream = open(log_file, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - lives for the process
        sys.stderr = sys.stderr or stream
        sys.stdout = sys.stdout or stream
    elif sys.stderr is not None:
        console = logging.StreamHandler(sys.stderr)
        # Without a file, the console is the log: everything goes there.
        console.setLevel(level if debug or not handlers else logging.WARNING)
        console.addFilter(_not_file_only)
        handlers.append(console)
    for handler in handlers:
        handler.setFormatter(logging.Formatter(_FORMAT))
    logging.basicConfig(level=level, handlers=handlers, force=True)
    # Chatty third-party loggers stay quiet unless --debug.
    for name in ("pywebview", "uvicorn", "uvicorn.error", "watchdog", "asyncio"):
        logging.getLogger(name).setLevel(level if debug else logging.WARNING)
    if not problem:
        removed = prune(log_file.parent, app_id, keep)
        logging.getLogger(__name__).debug(
            "log file: %s (pid %d); removed %d old log(s)", log_file, os.getpid(), len(removed)
        )
    return problem
