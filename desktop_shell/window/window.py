"""The native window: loading screen at once, the app once healthy, an error screen if not."""

from __future__ import annotations

import gc
import logging
import os
import socket
import sys
import threading
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any

from desktop_shell import platforms
from desktop_shell.manifest import Manifest
from desktop_shell.process import heap_trim
from desktop_shell.process.stop_signals import StopSignals
from desktop_shell.qt import (
    chromium_flags, downloads, pyside_fixes, pywebview_fixes, scene_graph, splash,
)
from desktop_shell.screens import error_page, loading_page
from desktop_shell.server.protocol import Server
from desktop_shell.server.server import ServerError
from desktop_shell.settings import Mode, Settings
from desktop_shell.window import theme
from desktop_shell.window.actions import WindowActions
from desktop_shell.window.window_place import RememberedPlace

if TYPE_CHECKING:
    import webview

    from desktop_shell.qt.qt_window import QtWindow
    from desktop_shell.qt.wake_up import QtWakeUp

log = logging.getLogger(__name__)

# The splash goes once the window shows its loading screen, or after this many seconds.
SPLASH_LONGEST = 3.0


class WindowUnavailable(RuntimeError):
    """No native window can be shown here; the message says why.

    `browser_fallback`: the system browser can show the app instead (the toolkit is
    missing, but there is a desktop).
    """

    def __init__(self, message: str, *, browser_fallback: bool = False) -> None:
        super().__init__(message)
        self.browser_fallback = browser_fallback


def _check_qt_backend() -> None:
    """pywebview's Qt backend needs QtWebEngine through qtpy: fail early if it is missing."""
    try:
        from qtpy import QtWebEngineWidgets  # noqa: F401 - the import pywebview makes
    except Exception as exc:  # ImportError, or qtpy's PythonQtError when no binding is found
        raise WindowUnavailable(
            f"The native window needs Qt's web view (PySide6 with QtWebEngine): {exc}.",
            browser_fallback=True,
        ) from exc


def display_problem() -> str | None:
    """Why no window can open on this Linux desktop, or None if it looks fine.

    Qt aborts the whole process (qFatal, a core dump) when it cannot reach a display,
    so this is checked first to fail with a sentence instead.
    """
    if not sys.platform.startswith("linux") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    display = os.environ.get("DISPLAY", "")
    if not display:
        return "No display: DISPLAY is not set."
    host, _, number = display.rpartition(":")
    if host not in ("", "unix"):
        return None  # a remote X server: let Qt try
    number = number.split(".")[0]
    path = f"/tmp/.X11-unix/X{number}"
    for address in ("\0" + path, path):  # Xorg and Xvfb listen on both
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            try:
                sock.connect(address)
                return None
            except OSError:
                continue
    return f"Cannot reach the X display {display!r}."


# Qt's and Chromium's own lines that need no action from a person ("Sandboxing disabled
# by user", "Failed to load vulkan", "GLX: No DRI3 Extension", QWebChannel's "Registered
# new object after initialization", the page's console): --debug shows them. Critical
# messages still show. Rules given in QT_LOGGING_RULES win over these. They apply once Qt's
# platform has started: until then its warnings say why a start fails (platforms/).
QUIET_QT_RULES = "*.debug=false;*.info=false;*.warning=false;js=false"
QUIET_CHROMIUM_FLAGS = ("--log-level=3", "helper processes: fatal errors only")


def _prepare_qt_environment(debug: bool) -> None:
    """QtWebEngine's environment, read once as Qt starts (the built file runs this too)."""
    if sys.platform.startswith("linux") and hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium's sandbox refuses to run as root, and QtWebEngine then shows
        # nothing: https://doc.qt.io/qt-6/qtwebengine-platform-notes.html#sandboxing-support
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    scene_graph.choose()  # software where OpenGL would be (Xvfb, VMs): less CPU and memory
    # Memory and CPU flags (qt/chromium_flags.py), merged with the user's: theirs win.
    switches = chromium_flags.CHROMIUM_SWITCHES + (() if debug else (QUIET_CHROMIUM_FLAGS,))
    flags = chromium_flags.merged(os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", ""), switches)
    if flags:
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = flags


def _quiet_qt_logging(debug: bool) -> None:
    """Once Qt's platform is up: QUIET_QT_RULES for this process and QtWebEngine's helpers.

    This process read QT_LOGGING_RULES when its QApplication was made; rules given there
    win over setFilterRules' (https://doc.qt.io/qt-6/qloggingcategory.html#logging-rules).
    """
    if debug:
        return
    rules = os.environ.get("QT_LOGGING_RULES", "")
    os.environ["QT_LOGGING_RULES"] = ";".join(filter(None, [QUIET_QT_RULES, rules]))
    if sys.platform.startswith("linux"):
        try:
            from qtpy import QtCore
        except Exception:  # noqa: BLE001 - no Qt: import_toolkit says so in a sentence
            return
        QtCore.QLoggingCategory.setFilterRules(QUIET_QT_RULES.replace(";", "\n"))  # one a line here


def _menu(
    actions: WindowActions, manifest: Manifest
) -> tuple[list[Any], dict[str, tuple[str, ...]]]:
    """The menu bar and the shortcuts of each item (wired per system: platforms/)."""
    from desktop_shell.window import menu

    return menu.build(actions, manifest)


class WindowApp:
    """The window's life, one method a phase: `run` shows it until it closes.

    `after_load` (the self-test) runs once the app is loaded, with the window; the
    window is then closed and its result decides the exit code. `on_ready` (a second
    launch's requests: activation.py) gets the window once the app is loaded in it,
    on a thread other than the GUI's. A stop signal at any moment closes what is up
    (stop_signals.py): before the event loop runs it unwinds `run` with Interrupted.
    """

    def __init__(
        self,
        settings: Settings,
        server: Server,
        stop: StopSignals,
        *,
        after_load: Callable[[webview.Window], bool] | None = None,
        on_ready: Callable[[webview.Window], None] | None = None,
    ) -> None:
        self.settings = settings
        self.server = server
        self.stop = stop
        self.after_load = after_load
        self.on_ready = on_ready
        self.failed = threading.Event()
        self.scheme: theme.Scheme | None = None
        self.splash: splash.Splash | None = None
        self.window: webview.Window | None = None
        self.qt: QtWindow | None = None  # set on the GUI thread before the window shows
        self.wake_up: QtWakeUp | None = None
        # Once the window closes, its PySide wrappers become cyclic garbage. If the
        # collector runs on another thread (any allocation can trigger it; Streamlit's
        # runner.postScriptGC did after every script run, 5 crashes in 12 before this),
        # their C++ destructors run there and Qt aborts the process ("Cannot make
        # QOpenGLContext current in a different thread"). So the closing window is kept
        # reachable until the server and its script threads have stopped, then collected
        # on this thread.
        self.closed_qt_objects: list[object] = []
        self.native = platforms.current()  # what differs between Linux, Windows and macOS

    def run(self) -> int:
        """Show the window until it is closed; return the process exit code."""
        self.preflight()
        try:
            self.start_early()
            webview = self.import_toolkit()
            self.stop.check()
            self.create_window(webview)
            self.stop.check()
            self.run_event_loop(webview)
        finally:
            self.teardown()
        return 1 if self.failed.is_set() else 0

    # -- before the toolkit ------------------------------------------------------------

    def preflight(self) -> None:
        """Fail with a sentence where no window can open; set Qt's environment once."""
        problem = display_problem() or self.native.window_problem(self.settings.manifest.app)
        if problem:
            raise WindowUnavailable(problem)
        _prepare_qt_environment(self.settings.debug)
        pyside_fixes.keep_none_alive()
        self.scheme = theme.follow_system()  # before Qt starts: QtWebEngine reads its flags once

    def start_early(self) -> None:
        """The splash at once, then the server beside QtWebEngine's loading.

        The server's imports (Streamlit, pandas, Altair: ~1 s) then run while QtWebEngine
        loads: the chart is drawn ~0.2 s sooner than when the server started once the
        window showed (bench/, A/B), and the splash already says the app is starting.
        """
        self.stop.check()
        # Qt's fatal start-up errors become a sentence (platforms/).
        with self.native.starting(self.settings.manifest.app):
            self.splash = splash.show(self.scheme, self.settings.manifest.app)
        _quiet_qt_logging(self.settings.debug)
        self.stop.check()
        self.server.start()

    def import_toolkit(self) -> ModuleType:
        if sys.platform.startswith("linux"):
            _check_qt_backend()
        try:
            import webview
        except ImportError as exc:
            raise WindowUnavailable(
                f"pywebview is not installed: {exc}.", browser_fallback=True
            ) from exc
        return webview

    # -- the window --------------------------------------------------------------------

    def create_window(self, webview: ModuleType) -> None:
        """Make the window (shown by the event loop) and let each feature attach itself."""
        settings = self.settings
        place = RememberedPlace(settings.geometry_file, settings.window_min_size) \
            if settings.geometry_file else None
        actions = WindowActions(settings, self.server.base_url)
        menus, shortcuts = _menu(actions, settings.manifest)
        name = settings.manifest.app.name
        window = webview.create_window(
            name,
            html=loading_page(name),
            width=settings.window_size[0],
            height=settings.window_size[1],
            min_size=settings.window_min_size,
            background_color=theme.background(self.scheme),
            maximized=bool(place and place.maximized),
            menu=menus,
        )
        assert window is not None
        self.window = window
        window.events.before_show += lambda: self.before_show(actions, menus, shortcuts)
        theme.paint_until_the_page_does(window, self.scheme)
        downloads.attach(window)
        if place is not None:
            place.attach(window)
        pywebview_fixes.attach(window)
        pywebview_fixes.keep_signal_handler(window, self.stop)
        window.events.closing += self.on_closing

    def before_show(
        self, actions: WindowActions, menus: list[Any], shortcuts: dict[str, tuple[str, ...]]
    ) -> None:
        """Set-up on the GUI thread, once pywebview's window exists, before it shows."""
        assert self.window is not None
        if not sys.platform.startswith("linux"):
            self.native.wire_menu(self.window, actions, menus, shortcuts)
            return  # the Qt parts below are Linux's
        from desktop_shell.qt.qt_window import QtWindow

        assert self.window is not None
        qt = self.qt = QtWindow.of(self.window)
        self.stop.reinstall()
        from desktop_shell.qt.wake_up import QtWakeUp

        self.wake_up = QtWakeUp()
        actions.attach(self.window, qt)
        name = self.settings.manifest.app.name
        qt.follow_page_title(name, ignore=(name, "Streamlit"))  # index.html's title
        qt.show_first(loading_page(name), self.server.base_url)
        # pywebview builds the menu bar and shows the window after this event: once
        # the event loop runs, give the menu items their shortcuts. The splash, above
        # the window, closes once the window shows its loading screen.
        qt.call(lambda: qt.set_shortcuts(shortcuts))
        if self.splash is not None:
            qt.after_first_content(self.splash.close, longest=SPLASH_LONGEST)
        if self.stop.requested.is_set():  # a signal during QtWebEngine's start
            log.info("%s while the window was made: closing it unshown", self.stop.signal_name)
            self.window.maximized = False
            self.window.hidden = True  # never shown: closed as the event loop starts
            self.close_soon()

    def close_soon(self) -> None:
        """Close the window from the GUI thread's event loop (a stop signal's action)."""
        if self.qt is None:
            return  # not made yet: before_show closes it
        window = self.window
        assert window is not None

        def close() -> None:
            if not window.events.closing.is_set():  # closing twice raises in pywebview
                window.native.close()

        self.qt.call(close)

    def on_closing(self) -> None:
        """`closing` runs on the GUI thread as the window closes."""
        log.info("window closing")
        assert self.window is not None
        self.closed_qt_objects.append(self.window.native)

    # -- the event loop ------------------------------------------------------------------

    def run_event_loop(self, webview: ModuleType) -> None:
        """Run Qt's event loop until the window closes; a stop signal closes it."""
        settings = self.settings
        with self.stop.on_signal(self.close_soon):
            try:
                webview.start(
                    self.supervise,
                    gui="qt" if sys.platform.startswith("linux") else None,
                    # pywebview's debug mode opens a DevTools window, which crashes
                    # QtWebEngine 6.12 here (SIGTRAP). --debug means verbose logs; for the
                    # page inspector, set QTWEBENGINE_REMOTE_DEBUGGING=PORT and open
                    # http://127.0.0.1:PORT.
                    debug=False,
                    # A kept profile starts the page warm (QtWebEngine's HTTP and code
                    # caches: ~0.45 s sooner on the same origin). The secret's cookie is a
                    # session cookie, which QtWebEngine does not write to disk.
                    private_mode=settings.web_profile_dir is None,
                    storage_path=str(settings.web_profile_dir) if settings.web_profile_dir else None,
                    icon=str(settings.manifest.app.icon),  # also the splash's and the favicon
                )
            except Exception as exc:
                raise WindowUnavailable(f"The window could not open: {exc}") from exc

    def supervise(self) -> None:
        """pywebview runs this in a thread as the GUI loop starts: load the app, watch it."""
        window = self.window
        assert window is not None
        window.events.shown.wait(20)
        log.info("window shown")
        try:
            self.server.wait_ready(self.settings.startup_timeout)
        except ServerError as exc:
            if window.events.closed.is_set():
                return  # closed during start-up (by the user or a signal): not a failure
            self.show_failure(f"{self.settings.manifest.app.name} could not start", str(exc))
            if self.settings.mode is Mode.SELF_TEST:
                window.destroy()
            return
        if window.events.closing.is_set():
            return
        window.load_url(self.server.url())
        log.info("app loaded in the window: %s", self.server.base_url)  # never log the secret
        if self.on_ready is not None:
            self.on_ready(window)
        if self.after_load is not None:
            if not self.after_load(window):
                self.failed.set()
            window.destroy()
            return
        self.watch_server()

    def watch_server(self) -> None:
        """For as long as the window is open, a server that stops is shown, not hidden
        behind Streamlit's endless "Connecting" screen. (On close, the window closes
        before the server is stopped, so this loop ends first.)"""
        assert self.window is not None
        # The page load's freed heap back to the system (-6 MiB), once it is quiet.
        trim = heap_trim.TrimWhenQuiet("window")
        while not self.window.events.closed.wait(0.5):
            trim.poll()
            if not self.server.running:
                self.show_failure(f"{self.settings.manifest.app.name} stopped", self.server.failure_text())
                return

    def show_failure(self, title: str, message: str) -> None:
        assert self.window is not None
        self.failed.set()
        log.error("%s", message)
        self.window.load_html(error_page(title, message, self.settings.log_file))

    # -- teardown ------------------------------------------------------------------------

    def teardown(self) -> None:
        """Whatever came up, in any phase: close it, stop the server, collect Qt's objects here."""
        if self.splash is not None:
            self.splash.close()  # the window never showed
        if self.wake_up is not None:
            self.wake_up.close()
        if self.window is None:
            return  # no event loop ran: the server is cli.run's (a browser may take over)
        pywebview_fixes.release_pending_js(self.window)  # waits begun while it closed
        if self.window.events.closed.is_set() and self.server.serving:
            self.end_soon()
            return
        # Closed while the server starts: it is stopped, or its imports would go on
        # while Python shuts down (and fail there, loudly).
        self.server.stop()
        self.closed_qt_objects.clear()
        gc.collect()

    def end_soon(self) -> None:
        """The window has closed: the process ends next (cli.main ends it at once).

        Its place and zoom were saved as it closed, and the log is flushed on the way
        out: a graceful stop of the server (uvicorn's shutdown, Streamlit's runtime:
        0.19 s) and collecting the closed window's Qt objects (0.06 s) saved nothing
        and were most of the time from the close to every process gone (bench/).
        Until the end, no collection runs at all, so none can run on a server thread
        (see __init__).
        """
        gc.disable()
        self.server.abandon()
