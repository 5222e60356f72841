"""Logging to the per-user log folder, and to the console when there is one."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import platformdirs

_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"

# `extra=` for a record the caller already printed for the person at the terminal.
FILE_ONLY = {"file_only": True}


def _not_file_only(record: logging.LogRecord) -> bool:
    return not getattr(record, "file_only", False)


def default_log_file(app_id: str) -> Path:
    # Windows: %LOCALAPPDATA%\<app id>\Logs, macOS: ~/Library/Logs/<app id>,
    # Linux: ~/.local/state/<app id>/log
    return Path(platformdirs.user_log_dir(app_id, appauthor=False)) / f"{app_id}.log"


def setup(log_file: Path, *, debug: bool) -> None:
    """Log to `log_file` (overwritten each run) and to stderr if it exists.

    Windowed builds (PyInstaller --windowed, pythonw) have sys.stdout and sys.stderr set
    to None; Streamlit, uvicorn and print() would then fail or write nowhere, so both
    are pointed at the log file first.
    """
    log_file.parent.mkdir(parents=True, exist_ok=True)
    level = logging.DEBUG if debug else logging.INFO
    file_handler = logging.FileHandler(log_file, mode="w", encoding="utf-8")
    handlers: list[logging.Handler] = [file_handler]
    if sys.stderr is None or sys.stdout is None:
        stream = open(log_file, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - lives for the process
        sys.stderr = sys.stderr or stream
        sys.stdout = sys.stdout or stream
    else:
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(level if debug else logging.WARNING)
        console.addFilter(_not_file_only)
        handlers.append(console)
    for handler in handlers:
        handler.setFormatter(logging.Formatter(_FORMAT))
    logging.basicConfig(level=level, handlers=handlers, force=True)
    # Chatty third-party loggers stay quiet unless --debug.
    for name in ("pywebview", "uvicorn", "uvicorn.error", "watchdog", "asyncio"):
        logging.getLogger(name).setLevel(level if debug else logging.WARNING)
    logging.getLogger(__name__).debug("log file: %s (pid %d)", log_file, os.getpid())
