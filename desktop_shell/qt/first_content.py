"""When the window has drawn its first screen: the moment the splash can go.

Closed as the window showed, the splash left the window empty for 0.1-1.1 s (the thread
server, the forked one): its background colour, before QtWebEngine's first frame
(tests/launcher/test_first_paint.py).
Qt says when a page has loaded, not when it has been drawn, so from the first load on, the
view is looked at every frame or so (a grab and a comparison: ~6 ms a look here) until it
shows anything but its background. The first thing it draws is the loading screen, or the
same screen laid over the app's page (server/loading_overlay.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from qtpy import QtCore, QtGui

log = logging.getLogger(__name__)

FRAME_MS = 20  # a look every frame or so


class FirstContentWatch:
    """Run `action` once, on the GUI thread, when `view` shows something of its page or
    after `longest` seconds, whichever comes first. Made and started on the GUI thread."""

    def __init__(self, view: Any, action: Callable[[], None], longest: float) -> None:
        self._view = view
        self._action: Callable[[], None] | None = action
        self._longest = longest
        self._started = time.monotonic()
        self._looks = QtCore.QTimer(view)
        self._looks.setInterval(FRAME_MS)
        self._looks.timeout.connect(self._look)

    def start(self) -> None:
        self._view.loadFinished.connect(self._loaded)
        QtCore.QTimer.singleShot(int(self._longest * 1000), self._view, self._give_up)

    def _loaded(self, _ok: bool) -> None:
        if self._action is not None and not self._looks.isActive():
            self._looks.start()

    def _look(self) -> None:
        if drawn(self._view.grab().toImage()) is not False:
            self._looks.stop()
            # Grabbed from what the view will paint: let it reach the screen first.
            QtCore.QTimer.singleShot(FRAME_MS, self._view, self._run)

    def _give_up(self) -> None:
        if self._action is not None:
            log.info("the window showed nothing in %.1f s: the splash goes", self._longest)
            self._run()

    def _run(self) -> None:
        self._looks.stop()
        action, self._action = self._action, None
        if action is not None:
            log.info("window drawn %.2f s after it was made", time.monotonic() - self._started)
            action()


def drawn(image: QtGui.QImage) -> bool | None:
    """Whether the picture shows anything but its corner's colour; None if it cannot say:
    empty, or see-through where the view paints an opaque background (a grab that does
    not work on this system: then the splash goes at once, as it did before)."""
    if image.isNull():
        return None
    corner = image.pixel(0, 0)
    if QtGui.QColor.fromRgba(corner).alpha() < 255:
        return None
    plain = QtGui.QImage(image.size(), image.format())
    plain.fill(corner)
    return image != plain
