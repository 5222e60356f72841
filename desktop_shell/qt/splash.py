"""A small native window that shows at once, while QtWebEngine and the app window load.

pywebview's window can only appear once QtWebEngine is loaded and its web view made,
about a second after the start here (bench/: a bare pywebview window is painted at
0.96 s). A plain Qt widget is painted within a few hundred milliseconds of the start,
so a person sees the app respond at once; it closes when the app window shows.

Linux only, where the window is Qt: pywebview then reuses this QApplication.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
from typing import Any

from desktop_shell.manifest import App
from desktop_shell.window import theme
from desktop_shell.window.theme import Scheme

log = logging.getLogger(__name__)

PAINT_WAIT = 0.5  # seconds to let the splash paint before the GUI thread is busy loading


class Splash:
    """The splash window; `close` it from the GUI thread."""

    def __init__(self, widget: Any) -> None:
        self._widget = widget

    def close(self) -> None:
        if self._widget is not None:
            self._widget.close()
            self._widget.deleteLater()
            self._widget = None


HANDOVER_VARIABLE = "DESKTOP_SHELL_SPLASH_FD"


def title(app_name: str) -> str:
    """The splash window's title: not the app window's, so the two can be told apart."""
    return f"{app_name}: starting"


def handed_over_fd() -> int | None:
    """The start-up picture's connection handed over by the single file's first stage,
    if it is still open: a forked server child must not keep it, or the picture would
    stay up until that child ends."""
    handed_over = os.environ.get(HANDOVER_VARIABLE, "")
    return int(handed_over) if handed_over.isdigit() else None


def close_bootloader_splash() -> None:
    """Close the picture the single-file executable shows while it unpacks, if it is up.

    PyInstaller's bootloader shows build/splash.png (Tcl/Tk) and says so in
    _PYI_SPLASH_IPC: https://pyinstaller.org/en/stable/advanced-topics.html#splash-screen
    The single file's first stage (build/stage/) hands over its open connection to the
    picture in DESKTOP_SHELL_SPLASH_FD instead; closing that connection closes it.
    """
    handed_over = handed_over_fd()
    os.environ.pop(HANDOVER_VARIABLE, None)  # closed once; not passed to what the app starts
    if handed_over is not None:
        try:
            with socket.socket(fileno=handed_over) as connection:
                connection.sendall(b"\x04")  # pyi_splash.CLOSE_CONNECTION
        except OSError as exc:
            log.warning("could not close the start-up picture: %s", exc)
    if "_PYI_SPLASH_IPC" not in os.environ:
        return
    try:
        import pyi_splash  # type: ignore[import-not-found]  # only inside the bundle

        pyi_splash.close()
    except Exception as exc:  # noqa: BLE001 - a picture that stays is no reason to fail
        log.warning("could not close the start-up picture: %s", exc)


def show(scheme: Scheme | None, app: App) -> Splash | None:
    """Show the splash (the app's icon and name); None where there is no Qt to show it with.

    In the system's light or dark colours when it states one (theme.py), as the window.
    """
    if not sys.platform.startswith("linux"):
        close_bootloader_splash()
        return None
    try:
        from qtpy import QtCore, QtGui, QtWidgets
    except Exception as exc:  # noqa: BLE001 - no Qt: window.py reports it in a sentence
        log.debug("no splash: %s", exc)
        close_bootloader_splash()
        return None

    # What pywebview's Qt backend sets before it makes the QApplication, which it reuses:
    # QtWebEngine needs shared OpenGL contexts set before the application exists
    # (https://doc.qt.io/qt-6/qtwebengine-overview.html, "Qt WebEngine seems to be
    # initialized from a plugin" otherwise), and pywebview clears QT_STYLE_OVERRIDE.
    QtCore.QCoreApplication.setAttribute(QtCore.Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    os.environ["QT_STYLE_OVERRIDE"] = ""
    # WM_CLASS, for docks to match the window to its menu entry (desktop_entry.py's
    # StartupWMClass): "-name" sets its instance part (Qt's xcb plugin would take
    # argv[0]'s name, "launcher.py" or "python3"), the application name its class part.
    # (Not the display name: Qt would append it to every window title, which window.py
    # sets itself.)
    qt_app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(
        [sys.argv[0], "-name", app.id, *sys.argv[1:]]
    )
    icon = QtGui.QIcon(str(app.icon))
    qt_app.setWindowIcon(icon)
    qt_app.setApplicationName(app.id)
    qt_app.setDesktopFileName(app.id)  # Wayland's app_id, KDE's window-to-entry match
    painted = _show_painted(_card(icon, scheme, app.name), qt_app)
    close_bootloader_splash()  # ours is up: the unpacking picture can go
    if painted.painted:
        log.info("splash shown")
    else:
        log.info("splash not painted within %.1f s", PAINT_WAIT)
    return Splash(painted)


def _card(icon: Any, scheme: Scheme | None, app_name: str) -> Any:
    """The splash's frameless card: the icon, the app's name, "Starting…"."""
    from qtpy import QtCore, QtWidgets

    class Card(QtWidgets.QFrame):
        """Says when it has painted (`painted`), and ends `wait` then."""

        painted = False
        wait: Any = None

        def paintEvent(self, event: Any) -> None:
            super().paintEvent(event)
            self.painted = True
            if self.wait is not None:
                self.wait.quit()

    # Above the app window, which maps over it before it has drawn its first screen.
    card = Card(
        None, QtCore.Qt.WindowType.SplashScreen | QtCore.Qt.WindowType.FramelessWindowHint
        | QtCore.Qt.WindowType.WindowStaysOnTopHint,
    )
    card.setWindowTitle(title(app_name))
    card.setFrameShape(QtWidgets.QFrame.Shape.Box)
    if scheme is not None:
        card.setPalette(theme.qt_palette(scheme))
        card.setAutoFillBackground(True)
    layout = QtWidgets.QVBoxLayout(card)
    layout.setContentsMargins(40, 28, 40, 28)
    picture = QtWidgets.QLabel()
    picture.setPixmap(icon.pixmap(96, 96))
    name = QtWidgets.QLabel(app_name)
    font = name.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    name.setFont(font)
    status = QtWidgets.QLabel("Starting…")
    for label in (picture, name, status):
        label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(label)
    card.setMinimumSize(360, 240)
    card.adjustSize()
    return card


def _show_painted(card: Any, app: Any) -> Any:
    """Centre and show the card, and give it up to PAINT_WAIT to paint.

    The GUI thread is about to load QtWebEngine (busy, no painting): paint first.
    """
    from qtpy import QtCore

    screen = app.primaryScreen()
    if screen is not None:
        centre = screen.availableGeometry().center()
        card.move(centre.x() - card.width() // 2, centre.y() - card.height() // 2)
    card.wait = QtCore.QEventLoop()
    card.show()
    QtCore.QTimer.singleShot(int(PAINT_WAIT * 1000), card.wait.quit)
    if not card.painted:
        card.wait.exec()
    card.wait = None
    app.processEvents()  # what the paint queued: the frame reaches the X server
    return card
