"""Linux: the system libraries Qt's window needs, as one sentence naming the package.

When a library Qt's platform plugin links is missing, or the plugin cannot start, Qt
aborts the whole process (qFatal: a core dump, and a splash that vanishes) after a
message on a terminal the person who double-clicked does not have. So, before Qt loads,
`missing_library` loads the platform plugin Qt will pick and QtWebEngine's library the
way Qt would (dlopen), and names the first library the system lacks with its Debian
package; and `qt_fatal_as_sentence` turns a fatal error of Qt's start-up into a
sentence and exit code 1, without the abort.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from desktop_shell.manifest import App
from desktop_shell.process import logs, message_box

log = logging.getLogger(__name__)

EXIT_FAILURE = 1

# Every library Qt's xcb and Wayland platforms and QtWebEngine load from outside PySide6,
# with its Debian 12 / Ubuntu package (checked with dpkg -S here; tests/launcher/
# test_linux_libraries.py checks that ldd finds no other). The built file carries most of them; build/README.md lists the few it
# takes from the system.
PACKAGES: dict[str, str] = {
    # glibc's own (libc, libm, libdl, libpthread, librt) are left out: without them
    # nothing starts at all.
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
    # libglvnd, Mesa's GBM and the kernel's DRM interface
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libOpenGL.so.0": "libopengl0",
    "libGLdispatch.so.0": "libglvnd0",
    "libgbm.so.1": "libgbm1",
    "libdrm.so.2": "libdrm2",
    # X11 and xcb
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-dri3.so.0": "libxcb-dri3-0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbfile.so.1": "libxkbfile1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libXcomposite.so.1": "libxcomposite1",
    "libXdamage.so.1": "libxdamage1",
    "libXext.so.6": "libxext6",
    "libXfixes.so.3": "libxfixes3",
    "libXrandr.so.2": "libxrandr2",
    "libXrender.so.1": "libxrender1",
    "libXtst.so.6": "libxtst6",
    "libxshmfence.so.1": "libxshmfence1",
    # Wayland
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libwayland-server.so.0": "libwayland-server0",
    # fonts, D-Bus, GLib, sound, NSS (QtWebEngine)
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libpng16.so.16": "libpng16-16",
    "libexpat.so.1": "libexpat1",
    "libz.so.1": "zlib1g",
    "libbrotlicommon.so.1": "libbrotli1",
    "libbrotlidec.so.1": "libbrotli1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libsystemd.so.0": "libsystemd0",
    "libudev.so.1": "libudev1",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libasound.so.2": "libasound2",
    "libnss3.so": "libnss3",
    "libnssutil3.so": "libnss3",
    "libsmime3.so": "libnss3",
    "libnspr4.so": "libnspr4",
    "libplc4.so": "libnspr4",
    "libplds4.so": "libnspr4",
    # what those link in turn (ldd's closure)
    "libbsd.so.0": "libbsd0",
    "libcap.so.2": "libcap2",
    "libcom_err.so.2": "libcom-err2",
    "libffi.so.8": "libffi8",
    "libgcrypt.so.20": "libgcrypt20",
    "libgpg-error.so.0": "libgpg-error0",
    "libgssapi_krb5.so.2": "libgssapi-krb5-2",
    "libk5crypto.so.3": "libk5crypto3",
    "libkeyutils.so.1": "libkeyutils1",
    "libkrb5.so.3": "libkrb5-3",
    "libkrb5support.so.0": "libkrb5support0",
    "liblz4.so.1": "liblz4-1",
    "liblzma.so.5": "liblzma5",
    "libmd.so.0": "libmd0",
    "libpcre2-8.so.0": "libpcre2-8-0",
    "libzstd.so.1": "libzstd1",
}


def qt_dir() -> Path | None:
    """PySide6's Qt folder (lib/, plugins/), found without loading any Qt library."""
    try:
        spec = importlib.util.find_spec("PySide6")
    except ImportError:  # an import hook that refuses it: as missing
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "Qt"


def platform_candidates(environ: dict[str, str] | os._Environ[str]) -> list[str]:
    """The platform plugins Qt 6 tries, in its order (QGuiApplication's platform choice)."""
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return [name.split(":")[0] for name in chosen.split(";") if name]
    if environ.get("WAYLAND_DISPLAY") or environ.get("XDG_SESSION_TYPE") == "wayland":
        # Qt falls back to xcb, which can only help where there is an X display (XWayland).
        return ["wayland", "xcb"] if environ.get("DISPLAY") else ["wayland"]
    return ["xcb"]


def load_error(library: Path) -> str | None:
    """Why the dynamic loader cannot load `library` (and all it links), or None if it can."""
    try:
        ctypes.CDLL(str(library))
    except OSError as exc:
        # In the built file, PyInstaller's ctypes replaces the loader's message with its
        # own ("Failed to load dynlib/dll ...") and keeps it as the cause:
        # https://github.com/pyinstaller/pyinstaller/blob/develop/PyInstaller/loader/pyimod03_ctypes.py
        return str(exc.__cause__ if isinstance(exc.__cause__, OSError) else exc)
    return None


def missing_soname(error: str) -> str:
    """The library a dlopen error names: "libX.so.1: cannot open shared object file: ..."."""
    return Path(error.split(": ", 1)[0]).name


def sentence(error: str, app_name: str) -> str:
    soname = missing_soname(error)
    package = PACKAGES.get(soname)
    if package is None:
        return f"{app_name} cannot open its window: a system library failed to load ({error})."
    return (f"{app_name} cannot open its window: the system library {soname} is missing. "
            f"Install the package {package} (Debian, Ubuntu: sudo apt install {package}).")


def missing_library(
    qt: Path | None, candidates: Sequence[str], app_name: str
) -> str | None:
    """A sentence naming the package of the first library the window cannot load, or None.

    Checks the first platform plugin that loads among `candidates` (as Qt falls back
    from wayland to xcb), then QtWebEngine's library. A plugin Qt does not have is left
    to Qt, which says so (and `qt_fatal_as_sentence` catches).
    """
    if qt is None:
        return None  # no PySide6: window.py says the toolkit is missing
    first_error = None
    for name in candidates:
        plugin = qt / "plugins" / "platforms" / f"libq{name}.so"
        if not plugin.exists():
            continue
        error = load_error(plugin)
        if error is None:
            first_error = None
            break
        log.info("platform plugin %s cannot load: %s", name, error)
        first_error = first_error or error
    if first_error is not None:
        return sentence(first_error, app_name)
    web_engine = qt / "lib" / "libQt6WebEngineCore.so.6"
    error = load_error(web_engine) if web_engine.exists() else None
    return sentence(error, app_name) if error else None


def window_problem(app: App) -> str | None:
    """On Linux, before Qt loads: the missing library's sentence, also shown in a box; or None."""
    if not sys.platform.startswith("linux"):
        return None
    problem = missing_library(qt_dir(), platform_candidates(os.environ), app.name)
    if problem:
        tell(problem, app.name)
    return problem


def tell(message: str, title: str) -> None:
    """The sentence in a message box, where one can show (the caller logs it)."""
    from desktop_shell.qt.splash import close_bootloader_splash

    close_bootloader_splash()  # the box is the answer to the double-click now
    message_box.show(title, message)


# Qt says these whenever a platform fails, whatever the cause (a missing library is
# found before Qt starts): they would only hide the reason.
_GENERIC = ("Could not load the Qt platform plugin", "From 6.5.0, xcb-cursor0",
            "Reinstalling the application may fix this problem")


def fatal_sentence(warnings: Sequence[str], fatal: str, app_name: str) -> str:
    """What Qt's warnings before its fatal error say went wrong, as one sentence."""
    reasons = [w.strip() for w in warnings if w.strip() and not any(g in w for g in _GENERIC)]
    because = "; ".join(reasons) or fatal.strip().splitlines()[0]
    return f"{app_name} cannot open its window: Qt could not start its display connection ({because})."


@contextlib.contextmanager
def qt_fatal_as_sentence(app: App) -> Iterator[None]:
    """While Qt starts its platform: a fatal error becomes a sentence and exit 1, not an abort.

    Qt calls the message handler before it aborts; this one says what failed (with the
    warnings that led to it), shows it, and ends the process itself. Only for the start:
    afterwards Qt's own handler is back (this one would run Python on Chromium's threads).
    """
    try:
        from qtpy import QtCore
    except Exception:  # noqa: BLE001 - no Qt: window.py says so
        yield
        return
    warnings: list[str] = []

    def handler(kind: QtCore.QtMsgType, context: QtCore.QMessageLogContext, message: str) -> None:
        category = context.category if context.category not in (None, "default") else None
        # Not printed: the terminal stays quiet (window.py), and a fatal start says them.
        log.debug("Qt: %s", f"{category}: {message}" if category else message)
        if kind != QtCore.QtMsgType.QtFatalMsg:
            warnings.append(message)
            return
        text = fatal_sentence(warnings, message, app.name)
        if sys.stderr is not None:
            print(f"{app.id}: error: {text}", file=sys.stderr, flush=True)
        log.critical("%s", text, extra=logs.FILE_ONLY)
        tell(text, app.name)
        logging.shutdown()
        os._exit(EXIT_FAILURE)

    previous = QtCore.qInstallMessageHandler(handler)
    try:
        yield
    finally:
        QtCore.qInstallMessageHandler(previous)
    from qtpy import QtGui

    if QtGui.QGuiApplication.instance() is not None:
        log.info("Qt platform: %s", QtGui.QGuiApplication.platformName())  # xcb, wayland
