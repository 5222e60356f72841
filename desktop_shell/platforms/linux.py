"""Linux: Qt's window (pywebview's qt backend). Menu and shortcuts: window.py with qt_window.py."""

from __future__ import annotations

from desktop_shell.qt.linux_libraries import qt_fatal_as_sentence as starting
from desktop_shell.qt.linux_libraries import window_problem

__all__ = ["starting", "window_problem"]
