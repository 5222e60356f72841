"""When the window has drawn its first screen: the moment the splash can go.

Closed as the window showed, the splash left the window plain for 0.1-0.3 s: its
background, before QtWebEngine's first frame of the loading screen
(tests/launcher/test_first_paint.py). Qt says when a page has loaded, not when it has
been drawn, so once it has loaded, the middle of the view (where the loading screen
draws its spinner and the app's name: assets/loading.html) is looked at every frame or
so, a few milliseconds a look, until it is no longer plain.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from qtpy import QtCore, QtGui

log = logging.getLogger(__name__)

FRAME_MS = 20  # a look every frame or so
DIFFERS = 24  # a channel this far from the plain background: something is drawn there
SEEN = 8  # sampled pixels (every 4th, both ways) that differ: the screen shows something


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
        if has_content(self._view.grab(middle(self._view.rect()))):
            self._looks.stop()
            # Grabbed from what the view will paint: let it reach the screen first.
            QtCore.QTimer.singleShot(FRAME_MS, self._view, self._run)

    def _give_up(self) -> None:
        if self._action is not None:
            log.info("the window has shown nothing after %.1f s: closing the splash", self._longest)
            self._run()

    def _run(self) -> None:
        self._looks.stop()
        action, self._action = self._action, None
        if action is not None:
            log.info("window drawn %.2f s after it was made", time.monotonic() - self._started)
            action()


def middle(area: QtCore.QRect) -> QtCore.QRect:
    """The middle of the view: the loading screen's spinner and the app's name."""
    centre = area.center()
    return QtCore.QRect(centre.x() - 120, centre.y() - 80, 240, 140).intersected(area)


def has_content(picture: QtGui.QPixmap) -> bool:
    """Whether enough of the picture differs from its corner's colour."""
    image = picture.toImage()
    if image.isNull():
        return False
    plain = QtGui.QColor(image.pixel(0, 0))
    seen = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            colour = QtGui.QColor(image.pixel(x, y))
            if max(abs(colour.red() - plain.red()), abs(colour.green() - plain.green()),
                   abs(colour.blue() - plain.blue())) > DIFFERS:
                seen += 1
                if seen >= SEEN:
                    return True
    return False
