"""The window as actions.py drives it, where pywebview's own API is enough (Windows, macOS).

The same methods as qt_window.QtWindow (call, run_js, reload, about), with pywebview's
calls, which are safe from any thread (each backend hands them to its GUI thread).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop_shell.process import message_box

if TYPE_CHECKING:
    import webview

log = logging.getLogger(__name__)


class WebviewWindow:
    def __init__(self, window: webview.Window) -> None:
        self._window = window

    def call(self, function: Callable[[], object]) -> None:
        """Run `function` soon, off the GUI thread (pywebview's calls wait on it)."""

        def logged() -> None:
            try:
                function()
            except Exception:  # a failed menu action must not go unnoticed
                log.exception("menu action failed")

        threading.Thread(target=logged, daemon=True).start()

    def run_js(self, script: str) -> None:
        self._window.run_js(script)

    def reload(self) -> None:
        self._window.run_js("location.reload()")

    def about(self, title: str, text: str) -> None:
        message_box.show(title, text, kind="info")
