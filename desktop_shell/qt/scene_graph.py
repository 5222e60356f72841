"""Linux/X11: Qt's software scene graph where OpenGL would be software anyway.

QtWebEngine draws the page through Qt Quick's scene graph, by default with OpenGL. On an X
server without direct rendering (no DRI3 nor DRI2: Xvfb, Xvnc, many VMs and remote
sessions) Mesa's OpenGL is llvmpipe, a rasterizer running on the CPU, and QtWebEngine's
in-process GPU thread composites through it as well. There, Qt's software scene graph
(QT_QUICK_BACKEND=software, https://doc.qt.io/qt-6/qtquick-visualcanvas-adaptations.html),
with which QtWebEngine composites in software too, does the same on less. Measured under
Xvfb with the data feed streaming every 1 s (bench/, one launch each, A/B in one run):
the app process 7.3 % of a core instead of 11.2 % (0.5 s: 14.6 % instead of 22.2 %), and
357 MiB instead of 437 with the page open (no LLVM JIT code or llvmpipe buffers); alone,
in another run: 7.7 % instead of 10.8 %, 360 instead of 421-452 MiB.
WebGL is unavailable either way there (llvmpipe is on Chromium's block list).
With direct rendering (a GPU driver), OpenGL stays. A QT_QUICK_BACKEND or
QSG_RHI_BACKEND the user set is left alone.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys

log = logging.getLogger(__name__)

BACKEND = "QT_QUICK_BACKEND"
USER_CHOICES = (BACKEND, "QSG_RHI_BACKEND", "QMLSCENE_DEVICE")


def x_server_has_direct_rendering(display: str | None = None) -> bool | None:
    """Whether the X server offers DRI3 or DRI2 (a GPU driver); None if it cannot be asked."""
    try:
        xlib = ctypes.CDLL("libX11.so.6")
    except OSError:
        return None
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    xlib.XQueryExtension.argtypes = [ctypes.c_void_p, ctypes.c_char_p] + [
        ctypes.POINTER(ctypes.c_int)] * 3
    xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    connection = xlib.XOpenDisplay(display.encode() if display else None)
    if not connection:
        return None
    try:
        codes = [ctypes.c_int() for _ in range(3)]
        return any(
            xlib.XQueryExtension(connection, name, *(ctypes.byref(code) for code in codes))
            for name in (b"DRI3", b"DRI2")
        )
    finally:
        xlib.XCloseDisplay(connection)


def choose() -> None:
    """Set QT_QUICK_BACKEND=software where OpenGL would be software (call before Qt starts)."""
    if not sys.platform.startswith("linux") or os.environ.get("WAYLAND_DISPLAY"):
        return
    if any(os.environ.get(name) for name in USER_CHOICES):
        return
    if x_server_has_direct_rendering() is False:
        log.info("no direct rendering on this X server: Qt's software scene graph")
        os.environ[BACKEND] = "software"
