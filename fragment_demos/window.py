"""The native window: loading screen at once, the app once healthy, an error screen if not."""

from __future__ import annotations

import gc
import html
import logging
import os
import signal
import socket
import string
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import downloads, geometry, platforms, pyside_fixes, resources, splash, theme
from .actions import WindowActions
from .server import AppServer, ServerError
from .settings import APP_NAME, Settings

if TYPE_CHECKING:
    import webview

    from .qt_window import QtWindow

log = logging.getLogger(__name__)


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


def _prepare_qt_environment(debug: bool) -> None:
    if sys.platform.startswith("linux") and hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium's sandbox refuses to run as root, and QtWebEngine then shows
        # nothing: https://doc.qt.io/qt-6/qtwebengine-platform-notes.html#sandboxing-support
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    if not debug:
        # The page's console messages (Vega's warnings) and Chromium's own log lines
        # are for developers: --debug shows them.
        rules = os.environ.get("QT_LOGGING_RULES", "")
        os.environ["QT_LOGGING_RULES"] = ";".join(filter(None, [rules, "js=false"]))
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} --log-level=3".strip()


def _release_pending_js(window: webview.Window) -> None:
    """Wake threads still waiting for a JavaScript result from the closing page.

    pywebview's Qt backend waits for evaluate_js results without a timeout (its
    JS-bridge thread calls it at every page load); a page that closes first never
    answers, and that non-daemon thread then keeps the process from exiting. pywebview
    releases these waits on close for WinForms and GTK, not Qt:
    https://github.com/r0x0r/pywebview/pull/987
    """
    for pending in list(getattr(window.native, "_js_results", {}).values()):
        pending["semaphore"].release()


def _menu(actions: WindowActions) -> tuple[list[Any], dict[str, str]]:
    """The menu bar and the shortcut of each item (wired per system: platforms/)."""
    from . import menu

    return menu.build(actions)


def _release_page_waits(window: webview.Window) -> None:
    """Once the window is gone, let pywebview's calls that wait for a page return.

    `load_url` clears pywebview's page events, and its calls wait up to 20 s for them;
    so does its own non-daemon thread that injects the JS bridge into the page before
    (util.generate_js_object). Closed before the app's page loaded, the events never
    came: the process outlived its window by 20 s and logged "Main window failed to
    start" (3 closes in 90 right after the load). Run from `closed`, when the window's
    instance is gone, so the released calls do nothing. The same 20 s wait, after a
    load that never completes: https://github.com/r0x0r/pywebview/pull/1808
    """
    window.events.before_load.set()  # pywebview registers no handlers on these two
    window.events._pywebviewready.set()


def error_page(title: str, message: str, log_file: Path) -> str:
    template = string.Template(resources.asset("error.html").read_text(encoding="utf-8"))
    return template.safe_substitute(
        title=html.escape(title), message=html.escape(message), log_file=html.escape(str(log_file))
    )


def run_window(
    settings: Settings,
    server: AppServer,
    after_load: Callable[[webview.Window], bool] | None = None,
    on_ready: Callable[[webview.Window], None] | None = None,
) -> int:
    """Show the window until it is closed; return the process exit code.

    `after_load` (the self-test) runs once the app is loaded, with the window; the
    window is then closed and its result decides the exit code. `on_ready` (a second
    launch's requests: activation.py) gets the window once the app is loaded in it,
    on a thread other than the GUI's.
    """
    native = platforms.current()
    problem = display_problem() or native.window_problem()
    if problem:
        raise WindowUnavailable(problem)
    _prepare_qt_environment(settings.debug)
    pyside_fixes.keep_none_alive()
    scheme = theme.follow_system()  # before Qt starts: QtWebEngine reads its flags once
    with native.starting():
        shown_at_once = splash.show(scheme)  # within a few hundred ms; QtWebEngine takes longer
    # The server's imports (Streamlit, pandas, Altair: ~1 s) now run beside QtWebEngine's
    # loading: the chart is drawn ~0.2 s sooner than when the server started once the
    # window showed (bench/, A/B), and the splash already tells the person it is starting.
    server.start()
    try:
        if sys.platform.startswith("linux"):
            _check_qt_backend()
        try:
            import webview
        except ImportError as exc:
            raise WindowUnavailable(
                f"pywebview is not installed: {exc}.", browser_fallback=True
            ) from exc
    except WindowUnavailable:
        if shown_at_once is not None:
            shown_at_once.close()
        raise

    saved = geometry.load(settings.geometry_file) if settings.geometry_file else None
    actions = WindowActions(settings, server.base_url)
    menus, shortcuts = _menu(actions)
    window = webview.create_window(
        APP_NAME,
        html=resources.asset("loading.html").read_text(encoding="utf-8"),
        width=settings.window_size[0],
        height=settings.window_size[1],
        min_size=settings.window_min_size,
        background_color=theme.background(scheme),
        maximized=bool(saved and saved.maximized),
        menu=menus,
    )
    assert window is not None
    theme.paint_until_the_page_does(window, scheme)
    downloads.attach(window)
    qt_window: list[QtWindow] = []  # set on the GUI thread before the window shows

    def before_show() -> None:
        if not sys.platform.startswith("linux"):
            native.wire_menu(window, actions, menus, shortcuts)
            return  # the Qt parts below are Linux's
        from .qt_window import QtWindow

        qt = QtWindow(window)
        qt_window.append(qt)
        actions.attach(window, qt)
        qt.follow_page_title(APP_NAME, ignore=(APP_NAME, "Streamlit"))  # index.html's title
        if saved is not None:
            qt.set_geometry(geometry.fit(saved, qt.screens(), settings.window_min_size))
        # pywebview builds the menu bar and shows the window after this event: once
        # the event loop runs, give the menu items their shortcuts, close the splash.
        qt.call(lambda: qt.set_shortcuts(shortcuts))
        if shown_at_once is not None:
            qt.call(shown_at_once.close)

    window.events.before_show += before_show
    # Once the window closes, its PySide wrappers become cyclic garbage. If the
    # collector runs on another thread (any allocation can trigger it; Streamlit's
    # runner.postScriptGC did after every script run, 5 crashes in 12 before this), their
    # C++ destructors run there and Qt aborts the process ("Cannot make QOpenGLContext
    # current in a different thread"). So the closing window (`closing` runs
    # synchronously on the GUI thread) is kept reachable until the server and its script
    # threads have stopped, then collected on this thread.
    closed_qt_objects: list[object] = []

    def on_closing() -> None:
        log.info("window closing")
        if settings.geometry_file is not None and qt_window:
            geometry.save(settings.geometry_file, qt_window[0].geometry())
        closed_qt_objects.append(window.native)
        _release_pending_js(window)

    window.events.closing += on_closing
    window.events.closed += _release_page_waits
    failed = threading.Event()

    def on_gui_started() -> None:
        # pywebview runs this in a thread as the GUI loop starts.
        window.events.shown.wait(20)
        log.info("window shown")
        try:
            server.wait_ready(settings.startup_timeout)
        except ServerError as exc:
            if window.events.closed.is_set():
                return  # the user closed the window during start-up: not a failure
            failed.set()
            log.error("%s", exc)
            window.load_html(error_page(f"{APP_NAME} could not start", str(exc), settings.log_file))
            if settings.self_test:
                window.destroy()
            return
        window.load_url(server.url())
        log.info("app loaded in the window: %s", server.base_url)  # never log the secret
        if on_ready is not None:
            on_ready(window)
        if after_load is not None:
            if not after_load(window):
                failed.set()
            window.destroy()
            return
        # For as long as the window is open, a server that stops is shown, not hidden
        # behind Streamlit's endless "Connecting" screen. (On close, the window closes
        # before the server is stopped, so this loop ends first.)
        while not window.events.closed.wait(0.5):
            if not server.running:
                failed.set()
                message = server.failure_text()
                log.error("%s", message)
                window.load_html(error_page(f"{APP_NAME} stopped", message, settings.log_file))
                return

    # Closing by SIGTERM is closing the window; SIGINT pywebview handles the same way.
    previous = signal.signal(signal.SIGTERM, lambda _sig, _frame: window.destroy())
    try:
        webview.start(
            on_gui_started,
            gui="qt" if sys.platform.startswith("linux") else None,
            # pywebview's debug mode opens a DevTools window, which crashes QtWebEngine
            # 6.12 here (SIGTRAP). --debug means verbose logs; for the page inspector,
            # set QTWEBENGINE_REMOTE_DEBUGGING=PORT and open http://127.0.0.1:PORT.
            debug=False,
            # A kept profile starts the page warm (QtWebEngine's HTTP and code caches:
            # ~0.45 s sooner on the same origin). The secret's cookie is a session
            # cookie, which QtWebEngine does not write to disk.
            private_mode=settings.web_profile_dir is None,
            storage_path=str(settings.web_profile_dir) if settings.web_profile_dir else None,
            icon=str(resources.asset("icon.png")),
        )
    except Exception as exc:
        raise WindowUnavailable(f"The window could not open: {exc}") from exc
    finally:
        if shown_at_once is not None:
            shown_at_once.close()  # the window never showed
        signal.signal(signal.SIGTERM, previous)
        if window.native is not None:
            _release_pending_js(window)  # any wait that started while the window closed
        server.stop()
        closed_qt_objects.clear()
        gc.collect()
    return 1 if failed.is_set() else 0
