"""Follow the system's light or dark preference, from the window's first frame.

Streamlit (no theme.base configured) and our loading and error pages follow the page's
`prefers-color-scheme`. On Windows and macOS, pywebview's WebView2 and WKWebView give the
page the system's setting themselves; only the window's background is set from here.

On Linux, QtWebEngine 6.12 gives the page Qt's QStyleHints.colorScheme() as it stands at
each navigation (Dark -> dark; Light or Unknown -> light). The cross-desktop setting is the
XDG Settings portal's `org.freedesktop.appearance color-scheme` (GNOME's "Dark style", KDE
Plasma and others set it), and Qt 6.12 goes by it at start only in its xdgdesktopportal
theme (Flatpak, Snap). Measured: on GNOME its gtk3 theme goes by the GTK theme (Adwaita:
light) and ignores the portal's value at start, though it follows later changes of it
(https://bugreports.qt.io/browse/QTBUG-116197 added the portal there); on desktops Qt has no
theme for (or none) its generic theme has no scheme at all, and QStyleHints.setColorScheme()
does nothing there. So the portal is read here, before Qt starts, and when it states a
preference QtWebEngine's Blink is given it (`--blink-settings=preferredColorScheme`, which
takes precedence over Qt's scheme). With no stated preference nothing is forced: Qt's own
reading (a dark GTK theme, KDE's colours) decides.

QtWebEngine also paints the page's background colour, white unless set
(https://doc.qt.io/qt-6/qwebenginepage.html#backgroundColor-prop), wherever no document has
painted yet: at start and at every navigation (the loading screen -> the app). It is set to
the scheme's background, so a dark desktop gets no white flash.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import webview
    from qtpy.QtGui import QPalette

log = logging.getLogger(__name__)

Scheme = Literal["dark", "light"]

# The page background of Streamlit 1.67's light and dark themes (and of loading.html, error.html).
BACKGROUND: dict[Scheme | None, str] = {"dark": "#171614", "light": "#FFFFFF", None: "#FFFFFF"}

# https://flatpak.github.io/xdg-desktop-portal/docs/doc-org.freedesktop.portal.Settings.html
PORTAL = ("org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop")
PORTAL_SCHEMES: dict[int, Scheme] = {1: "dark", 2: "light"}  # 0: no preference
PORTAL_TIMEOUT_MS = 500  # it answers in ~2 ms; a portal being started may take longer

# Blink's PreferredColorScheme (kDark = 0, kLight = 1), as a Chromium --blink-settings entry:
# https://chromium.googlesource.com/chromium/src/+/main/third_party/blink/renderer/core/frame/settings.json5
BLINK_SCHEMES: dict[Scheme, int] = {"dark": 0, "light": 1}


def follow_system() -> Scheme | None:
    """Read the system's scheme and pass it on to QtWebEngine (Linux); return it.

    Call before the window is created: QtWebEngine reads its flags once, as Qt starts.
    """
    scheme = system_scheme()
    log.info("system colour scheme: %s", scheme or "no preference")
    if sys.platform.startswith("linux") and scheme is not None:
        _tell_qtwebengine(scheme)
    return scheme


def background(scheme: Scheme | None) -> str:
    """The window's colour before the page paints (pywebview's background_color)."""
    return BACKGROUND[scheme]


def system_scheme() -> Scheme | None:
    """The system's preference, "dark" or "light"; None if it states none."""
    if sys.platform.startswith("linux"):
        return _portal_scheme()
    if sys.platform == "win32":
        return _windows_scheme()
    if sys.platform == "darwin":
        return _macos_scheme()
    return None


def _portal_scheme() -> Scheme | None:
    """The XDG Settings portal's color-scheme, over the session bus."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS") and not (
        # os.path.exists: False, not PermissionError, for a folder out of reach
        runtime and os.path.exists(Path(runtime, "bus"))
    ):
        # No session bus. (Connecting anyway would make libdbus "autolaunch" one, a
        # process that outlives the app.)
        return None
    try:
        from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage
    except ImportError as exc:
        log.warning("cannot read the desktop's colour scheme: %s", exc)
        return None
    # A private connection, closed again: Qt's own session-bus connection is left alone.
    name = "desktop-theme"
    bus = QDBusConnection.connectToBus(QDBusConnection.BusType.SessionBus, name)
    try:
        if not bus.isConnected():
            log.info("no session bus: %s", bus.lastError().message())
            return None
        # Read (version 1 of the interface) rather than ReadOne (version 2), so that
        # older portals answer too; it wraps the value in one more variant.
        call = QDBusMessage.createMethodCall(*PORTAL, "org.freedesktop.portal.Settings", "Read")
        call.setArguments(["org.freedesktop.appearance", "color-scheme"])
        reply = bus.call(call, QDBus.CallMode.Block, PORTAL_TIMEOUT_MS)
        if reply.type() != QDBusMessage.MessageType.ReplyMessage or not reply.arguments():
            log.info("the settings portal did not answer: %s", reply.errorName() or "no value")
            return None
        value = reply.arguments()[0]
        while hasattr(value, "variant"):  # QDBusVariant, possibly nested
            value = value.variant()
        return PORTAL_SCHEMES.get(value) if isinstance(value, int) else None
    finally:
        QDBusConnection.disconnectFromBus(name)


def _windows_scheme() -> Scheme | None:
    """Settings > Personalisation > Colours > "Choose your app mode" (not run by the tests)."""
    import winreg

    try:
        with winreg.OpenKey(
            winreg.HKEY_CURRENT_USER,
            r"Software\Microsoft\Windows\CurrentVersion\Themes\Personalize",
        ) as key:
            light, _ = winreg.QueryValueEx(key, "AppsUseLightTheme")
    except OSError:
        return None
    return "light" if light else "dark"


def _macos_scheme() -> Scheme | None:
    """System Settings > Appearance (not run by the tests). The key exists only when dark."""
    try:
        from Foundation import NSUserDefaults  # pyobjc, which pywebview uses on macOS
    except ImportError:
        return None
    style = NSUserDefaults.standardUserDefaults().stringForKey_("AppleInterfaceStyle")
    return "dark" if style == "Dark" else "light"


def _tell_qtwebengine(scheme: Scheme) -> None:
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if "--blink-settings" in flags:
        log.info("QTWEBENGINE_CHROMIUM_FLAGS has --blink-settings already: left as it is")
        return
    setting = f"--blink-settings=preferredColorScheme={BLINK_SCHEMES[scheme]}"
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} {setting}".strip()


def paint_until_the_page_does(window: webview.Window, scheme: Scheme | None) -> None:
    """Have QtWebEngine fill what no document has painted yet with the scheme's background."""
    if not sys.platform.startswith("linux"):
        return  # WebView2 and WKWebView use pywebview's background_color for this

    def on_before_show() -> None:  # GUI thread; Qt's application and the page exist
        from qtpy.QtCore import Qt
        from qtpy.QtGui import QColor
        from qtpy.QtWidgets import QApplication

        page_scheme = scheme
        if page_scheme is None:  # the page goes by Qt's own reading
            dark = QApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
            page_scheme = "dark" if dark else "light"
        _qt_widgets_follow(page_scheme)
        background = QColor(BACKGROUND[page_scheme])
        window.native.webview.page().setBackgroundColor(background)
        # pywebview gave its window (and so the menu bar) background_color, chosen before
        # Qt could say what it reads itself: the same colour as the page's.
        palette = window.native.palette()
        palette.setColor(window.native.backgroundRole(), background)
        window.native.setPalette(palette)

    window.events.before_show += on_before_show


def _qt_widgets_follow(scheme: Scheme) -> None:
    """The menu bar and dialogs (Qt widgets, not the page) in the page's scheme too.

    On the GUI thread. Qt's own dark rendering is not dependable: its gtk3 theme with a
    dark GTK theme reports a dark palette and paints the menu bar white, with white
    titles (seen on screen); its generic theme (openbox, no desktop set) has no dark
    scheme at all. So a dark page gets the Fusion style with a palette of Streamlit's
    dark colours; a light page gets the same in light only where Qt's palette is dark.
    """
    from qtpy.QtGui import QPalette
    from qtpy.QtWidgets import QApplication

    qt_dark = QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
    if scheme == "light" and not qt_dark:
        return  # Qt's own light rendering
    QApplication.setStyle("Fusion")
    QApplication.setPalette(qt_palette(scheme))


def qt_palette(scheme: Scheme) -> QPalette:
    """Qt widgets' colours for a scheme: Streamlit's, as the page has them."""
    from qtpy.QtGui import QColor, QPalette

    dark = scheme == "dark"
    text = "#FAFAFA" if dark else "#31333F"
    colours = {
        QPalette.ColorRole.Window: BACKGROUND[scheme],
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: "#262730" if dark else "#FFFFFF",
        QPalette.ColorRole.AlternateBase: "#1F1E1C" if dark else "#F0F2F6",
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: "#262730" if dark else "#F0F2F6",
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.Highlight: "#FF4B4B",
        QPalette.ColorRole.HighlightedText: "#FFFFFF",
        QPalette.ColorRole.ToolTipBase: "#262730" if dark else "#FFFFFF",
        QPalette.ColorRole.ToolTipText: text,
    }
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    return palette
