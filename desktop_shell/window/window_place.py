"""The window opens where it was closed: geometry.py decides, this hooks it to the window."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_shell.window import geometry

if TYPE_CHECKING:
    import webview


class RememberedPlace:
    """Read the saved place at start; restore it before the window shows; save it on close."""

    def __init__(self, file: Path, min_size: tuple[int, int]) -> None:
        self._file = file
        self._min_size = min_size
        self._saved = geometry.load(file)

    @property
    def maximized(self) -> bool:
        """pywebview takes "maximized" when the window is created."""
        return bool(self._saved and self._saved.maximized)

    def attach(self, window: webview.Window) -> None:
        if not sys.platform.startswith("linux"):
            return  # Qt's geometry below; Windows and macOS are not wired yet
        window.events.before_show += self._restore
        window.events.closing += self._save

    def _restore(self, window: webview.Window) -> None:  # GUI thread
        from desktop_shell.qt.qt_window import QtWindow

        if self._saved is not None:
            qt = QtWindow.of(window)
            qt.set_geometry(geometry.fit(self._saved, qt.screens(), self._min_size))
            qt.set_zoom(self._saved.zoom)

    def _save(self, window: webview.Window) -> None:  # GUI thread, as the window closes
        from desktop_shell.qt.qt_window import QtWindow

        geometry.save(self._file, QtWindow.of(window).geometry())
