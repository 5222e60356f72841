"""What the desktop features need from Qt that pywebview's API does not give.

pywebview's Qt backend (Linux) gives no keyboard shortcuts for menu items ("TODO:
support platform-agnostic shortcut" in webview/menu.py), reports the client area's
position while `move` sets the frame's (webview/platforms/qt.py get_position vs
on_window_move: a remembered position would creep down by the title bar each run),
never mirrors the page's title, and has no About box. These few things are done here
on pywebview's QMainWindow (`window.native`).

Qt objects may only be touched on the GUI thread (touched from another thread, they
deadlocked against the GIL here). `QtWindow` is created in pywebview's `before_show`
event, which runs on the GUI thread, and `call` runs anything else there.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from qtpy import QtCore, QtGui, QtWidgets

from desktop_shell.window.geometry import Geometry, Rect
from desktop_shell.window.zoom import ACTUAL_SIZE

if TYPE_CHECKING:
    import webview

log = logging.getLogger(__name__)


class QtWindow:
    """pywebview's Qt window (a QMainWindow), for the parts its API does not cover.

    One per window (`of`): the zoom and the place before full screen live here, and the
    menu's actions and the remembered place must see the same.
    """

    _of: weakref.WeakKeyDictionary[webview.Window, QtWindow] = weakref.WeakKeyDictionary()

    @classmethod
    def of(cls, window: webview.Window) -> QtWindow:
        """The window's QtWindow, made on first use (on the GUI thread)."""
        if window not in cls._of:
            cls._of[window] = cls(window)
        return cls._of[window]

    def __init__(self, window: webview.Window) -> None:
        self._browser: QtWidgets.QMainWindow = window.native
        self._zoom = ACTUAL_SIZE
        # Where the window was before full screen, to save and to return to.
        self._before_full_screen: Geometry | None = None
        self._leave_full_screen = QtGui.QAction(self._browser)
        self._leave_full_screen.setShortcut(QtGui.QKeySequence("Esc"))
        self._leave_full_screen.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
        self._leave_full_screen.setEnabled(False)  # Esc is the page's unless full screen
        self._leave_full_screen.triggered.connect(self.toggle_full_screen)
        self._browser.addAction(self._leave_full_screen)
        self._first_content: object | None = None  # after_first_content's watch, kept alive

    @property
    def _view(self) -> Any:  # pywebview's QWebEngineView subclass
        return self._browser.webview

    def call(self, function: Callable[[], object]) -> None:
        """Run `function` on the GUI thread, soon; returns at once, from any thread.

        With a context object, Qt runs the functor in that object's thread, and not at
        all once the object is deleted (activation.py raises the window the same way).
        """

        def logged() -> None:
            try:
                function()
            except Exception:  # a failed menu action must not take the event loop down
                log.exception("GUI action failed")

        QtCore.QTimer.singleShot(0, self._browser, logged)

    # -- on the GUI thread only, from here on --------------------------------------

    def run_js(self, script: str) -> None:
        """Run a script in the page without waiting for a result.

        (pywebview's run_js waits for one, which a navigating page never sends.)
        """
        self._view.page().runJavaScript(script)

    def reload(self) -> None:
        self._view.reload()

    def set_shortcuts(self, shortcuts: Mapping[str, Sequence[str]]) -> None:
        """Give the menu items titled like the keys these shortcuts ("Ctrl+R"), the first shown.

        Qt maps Ctrl to Cmd on macOS; pywebview uses Cocoa there, not this code.
        """
        for menu in self._browser.menuBar().findChildren(QtWidgets.QMenu):
            for action in menu.actions():
                sequences = shortcuts.get(action.text())
                if sequences:
                    action.setShortcuts([QtGui.QKeySequence(s) for s in sequences])
                    # The web view has the keyboard focus: the shortcut must be
                    # window-wide, not only while the menu bar has focus.
                    action.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
                    self._browser.addAction(action)

    def follow_page_title(self, app_name: str, ignore: Sequence[str]) -> None:
        """Title the window "<page title> — <app name>", as the page changes.

        Until a page sets its title, QtWebEngine reports its address ("127.0.0.1:PORT"):
        that, and the titles in `ignore`, leave the window titled `app_name`.
        """

        def update(title: str) -> None:
            title = title.strip()
            url = self._view.url()
            placeholder = not title or title in ignore or title in (url.authority(), url.toString())
            self._browser.setWindowTitle(app_name if placeholder else f"{title} — {app_name}")

        self._view.titleChanged.connect(update)

    def show_first(self, html: str, origin: str) -> None:
        """Show `html` as the view's first page, as a page of `origin` (the app's server).

        Going from a page to another of its own origin, Chromium keeps showing the first
        until the next has painted ("paint holding",
        https://developer.chrome.com/blog/paint-holding); from pywebview's `html=` page (a data:
        URL, another origin) it shows an empty page meanwhile: ~0.2 s blank between the
        loading screen and the app's page (tests/launcher/test_first_paint.py). Nothing is
        asked of the server: the page is given here.
        """
        self._view.setHtml(html, QtCore.QUrl(origin + "/"))

    def after_first_content(self, action: Callable[[], None], longest: float) -> None:
        """Run `action` once the view shows its page, or after `longest` seconds
        (first_content.py: for the splash)."""
        from desktop_shell.qt.first_content import FirstContentWatch

        # Kept here: PySide does not keep an object alive for its connected methods.
        watch = self._first_content = FirstContentWatch(self._view, action, longest)
        watch.start()

    def screens(self) -> list[Rect]:
        """Each screen's area left for windows (panels excluded), the primary first."""
        primary = QtGui.QGuiApplication.primaryScreen()
        ordered = [primary, *(s for s in QtGui.QGuiApplication.screens() if s is not primary)]
        return [
            Rect(g.x(), g.y(), g.width(), g.height())
            for g in (screen.availableGeometry() for screen in ordered if screen is not None)
        ]

    @property
    def zoom(self) -> float:
        return self._zoom

    def set_zoom(self, factor: float) -> None:
        """Zoom the page, and every page loaded in the view after it.

        QtWebEngine keeps a view's zoom across loads, other origins included (set before
        the loading screen, it holds for the app after load_url: tests/launcher/test_view.py).
        """
        self._zoom = factor
        self._view.setZoomFactor(factor)

    def toggle_full_screen(self) -> None:
        """Full screen, or back to the window as it was (maximized or not); Esc leaves it."""
        browser = self._browser
        if browser.isFullScreen():
            was_maximized = bool(self._before_full_screen and self._before_full_screen.maximized)
            self._before_full_screen = None
            self._leave_full_screen.setEnabled(False)
            browser.menuBar().setVisible(True)
            if was_maximized:
                browser.showMaximized()
            else:
                browser.showNormal()
            return
        self._before_full_screen = self.geometry()
        self._leave_full_screen.setEnabled(True)
        # All of the screen for the page, as browsers do; the shortcuts still work (the
        # window holds the menu's actions: set_shortcuts).
        browser.menuBar().setVisible(False)
        browser.showFullScreen()

    def geometry(self) -> Geometry:
        """Where the window is now (or was before full screen), and the page's zoom."""
        browser = self._browser
        if self._before_full_screen is not None and browser.isFullScreen():
            return replace(self._before_full_screen, zoom=self._zoom)
        outer, inner = browser.frameGeometry(), browser.geometry()
        extra = (outer.width() - inner.width(), outer.height() - inner.height())
        if not browser.isMaximized():
            return Geometry(Rect(outer.x(), outer.y(), outer.width(), outer.height()), extra,
                            zoom=self._zoom)
        # Maximized: remember the place to return to when un-maximized (Qt keeps it as a
        # client rectangle), and that it was maximized.
        normal = browser.normalGeometry()
        left, top = inner.x() - outer.x(), inner.y() - outer.y()
        rect = Rect(normal.x() - left, normal.y() - top,
                    normal.width() + extra[0], normal.height() + extra[1])
        return Geometry(rect, extra, maximized=True, zoom=self._zoom)

    def set_geometry(self, geometry: Geometry) -> None:
        """Before the window shows: its frame at the saved place, its client at the size."""
        self._browser.resize(*geometry.client_size)
        self._browser.move(geometry.rect.x, geometry.rect.y)  # QWidget.move places the frame
        if geometry.maximized:
            self._browser.setWindowState(QtCore.Qt.WindowState.WindowMaximized)

    def about(self, title: str, text: str) -> None:
        QtWidgets.QMessageBox.about(self._browser, title, text)
