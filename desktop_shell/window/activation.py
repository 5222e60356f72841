"""Bring the window to the front, and to a page, when a second launch asks for it.

Requests come from single_instance.py's thread at any moment: before the app has
loaded in the window, while it shows, while it closes. Before it has loaded, the
request waits (the latest page asked for wins) and is carried out once the window has
loaded the app; once the window is closing, the answer is "closing", so the second
launch waits for this process to exit and then starts a window of its own.

Qt objects may only be touched on the GUI thread (elsewhere they deadlock or crash
the process, see window.py), so the raise is posted there with
`QTimer.singleShot(0, window.native, fn)`: with a context object, Qt runs `fn` in that
object's thread, and not at all once it is deleted. It un-minimizes the window (keeping
it maximized if it was), raises it and activates it; on X11, Qt's activateWindow() is
the EWMH _NET_ACTIVE_WINDOW request to the window manager, which decides (focus-stealing
prevention may turn it into an "attention" hint instead; openbox grants it). Under
Wayland, activation needs a token from the launching process (xdg-activation), which
this does not forward yet: the compositor may only mark the window as wanting attention.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop_shell.process.single_instance import Answer, Request

if TYPE_CHECKING:
    import webview

log = logging.getLogger(__name__)


def _raise_qt(native: object) -> None:
    """On the GUI thread: un-minimize, raise, activate."""
    from qtpy.QtCore import Qt

    state = native.windowState()  # type: ignore[attr-defined]
    if state & Qt.WindowState.WindowMinimized:
        native.setWindowState(state & ~Qt.WindowState.WindowMinimized)  # type: ignore[attr-defined]
    native.show()  # type: ignore[attr-defined]
    native.raise_()  # type: ignore[attr-defined]
    native.activateWindow()  # type: ignore[attr-defined]


class Activator:
    """Carries out second launches' requests on the window; `window_ready` is WindowApp's on_ready hook."""

    def __init__(self, url_for: Callable[[str], str]) -> None:
        self._url_for = url_for  # page name -> URL with this launch's secret
        self._lock = threading.Lock()
        self._window: webview.Window | None = None
        self._pending: Request | None = None
        self._minimized = threading.Event()  # tracked where pywebview is not Qt

    def window_ready(self, window: webview.Window) -> None:
        """The app has loaded in `window`: from now on requests act at once."""
        if not sys.platform.startswith("linux"):
            window.events.minimized += self._minimized.set
            window.events.restored += self._minimized.clear
            window.events.maximized += self._minimized.clear
        with self._lock:
            self._window = window
            pending, self._pending = self._pending, None
        if pending is not None:
            self._carry_out(window, pending)

    def request(self, request: Request) -> Answer:
        """Called on the channel's thread; never blocks."""
        with self._lock:
            window = self._window
            if window is None:
                earlier = self._pending.page if self._pending else None
                self._pending = Request(request.page or earlier)
                log.info("second launch: will come forward once the app has loaded")
                return "ok"
        if window.events.closing.is_set() or window.events.closed.is_set():
            return "closing"
        self._carry_out(window, request)
        return "ok"

    def _carry_out(self, window: webview.Window, request: Request) -> None:
        if request.page is not None:
            window.load_url(self._url_for(request.page))  # the URL has the secret: not logged
        self._bring_to_front(window)
        log.info("second launch: window brought to the front (page: %s)", request.page or "unchanged")

    def _bring_to_front(self, window: webview.Window) -> None:
        if sys.platform.startswith("linux"):  # pywebview's Qt backend (see window.py)
            from qtpy.QtCore import QTimer

            native = window.native
            QTimer.singleShot(0, native, lambda: _raise_qt(native))
            return
        # WinForms and Cocoa (not tested here): pywebview's restore() un-minimizes (and on
        # Windows would also un-maximize, hence only when minimized); show() activates.
        if self._minimized.is_set():
            window.restore()
        window.show()
