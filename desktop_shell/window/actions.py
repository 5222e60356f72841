"""What the menu items and keyboard shortcuts do to the running window.

pywebview runs a menu item's function in a new thread; each action here hands its Qt
work to the GUI thread (QtWindow.call) and returns.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_shell import resources
from desktop_shell.manifest import App
from desktop_shell.settings import Settings
from desktop_shell.window import zoom

if TYPE_CHECKING:
    import webview

    from desktop_shell.qt.qt_window import QtWindow

log = logging.getLogger(__name__)

def _version_of(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "unknown"


def about_text(app: App) -> str:
    """Name, version, what it is, what it is built on, and the licence: the About box's text."""
    try:
        from qtpy import QtCore

        toolkit = f"Qt {QtCore.qVersion()}"
    except (ImportError, RuntimeError):  # Windows and macOS use the system's web view
        toolkit = ""
    parts = [
        f"Streamlit {_version_of('streamlit')}",
        f"pywebview {_version_of('pywebview')}",
        toolkit,
        f"Python {platform.python_version()}",
    ]
    return (
        f"{app.name} {resources.version()}\n\n"
        f"{app.description}\n\n"
        f"Built with {', '.join(filter(None, parts))}.\n\n"
        f"Licence: {app.licence}."
    )


def _child_environment() -> dict[str, str]:
    """The environment for programs we start, without the bundle's library path.

    A PyInstaller bundle on Linux points LD_LIBRARY_PATH at its own libraries; a file
    manager started with it loads our Qt and may crash. PyInstaller keeps the original:
    https://pyinstaller.org/en/stable/runtime-information.html#ld-library-path-libpath-considerations
    """
    env = dict(os.environ)
    if resources.is_frozen():
        original = env.pop("LD_LIBRARY_PATH_ORIG", None)
        if original is None:
            env.pop("LD_LIBRARY_PATH", None)
        else:
            env["LD_LIBRARY_PATH"] = original
    return env


def open_folder(folder: Path) -> None:
    """Show `folder` in the system's file manager. Raises OSError if none can be started."""
    folder.mkdir(parents=True, exist_ok=True)
    if sys.platform == "win32":
        os.startfile(folder)  # type: ignore[attr-defined]
        return
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    subprocess.Popen(
        [opener, str(folder)], env=_child_environment(), start_new_session=True,
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


class WindowActions:
    """The menu's and the shortcuts' actions on one window.

    Made before the window (pywebview takes the menu when it creates the window);
    `attach` gives it the window once its Qt side exists, before it is shown.
    """

    def __init__(self, settings: Settings, base_url: str) -> None:
        self._settings = settings
        self._base_url = base_url
        self._window: webview.Window | None = None
        self._qt_window: QtWindow | None = None

    def attach(self, window: webview.Window, qt: QtWindow) -> None:
        self._window, self._qt_window = window, qt

    @property
    def _qt(self) -> QtWindow:
        assert self._qt_window is not None, "the menu is only shown once attached"
        return self._qt_window

    def reload(self) -> None:
        log.info("menu: reload")
        self._qt.call(self._qt.reload)

    def show_page(self, page: str) -> None:
        """Switch pages as the sidebar link does, keeping the session (no full reload).

        Only while the app is shown: on the loading or error screen there is no page.
        """
        log.info("menu: page %s", page)
        path = self._settings.page_path(page)
        script = (
            "((origin, path) => {"
            " if (location.origin !== origin) return;"
            " const link = Array.from(document.querySelectorAll('a[data-testid=\"stSidebarNavLink\"]'))"
            "   .find((a) => new URL(a.href).pathname === path);"
            " if (link) link.click(); else location.assign(path);"
            f"}})({json.dumps(self._base_url)}, {json.dumps(path)})"
        )
        self._qt.call(lambda: self._qt.run_js(script))

    def zoom_in(self) -> None:
        log.info("menu: zoom in")
        self._qt.call(lambda: self._qt.set_zoom(zoom.larger(self._qt.zoom)))

    def zoom_out(self) -> None:
        log.info("menu: zoom out")
        self._qt.call(lambda: self._qt.set_zoom(zoom.smaller(self._qt.zoom)))

    def actual_size(self) -> None:
        log.info("menu: actual size")
        self._qt.call(lambda: self._qt.set_zoom(zoom.ACTUAL_SIZE))

    def full_screen(self) -> None:
        log.info("menu: full screen")
        self._qt.call(self._qt.toggle_full_screen)

    def open_log_folder(self) -> None:
        folder = self._settings.log_file.parent
        log.info("menu: open log folder %s", folder)
        try:
            open_folder(folder)
        except OSError as exc:
            log.error("could not open the log folder: %s", exc)
            message = f"The log folder could not be opened ({exc}).\n\nIt is:\n{folder}"
            name = self._settings.manifest.app.name
            self._qt.call(lambda: self._qt.about(f"{name}: log folder", message))

    def about(self) -> None:
        log.info("menu: about")
        app = self._settings.manifest.app
        text = about_text(app)
        self._qt.call(lambda: self._qt.about(f"About {app.name}", text))

    def quit(self) -> None:
        log.info("menu: quit")
        assert self._window is not None
        self._window.destroy()
