"""first_content.drawn: what the splash waits for, on pictures made here (QImage only: no
QApplication in the test process, where QtWebEngine could not load after one).

The whole path (the splash above the window until the window shows something) is watched
in the real window by tests/launcher/test_first_paint.py.
"""

from __future__ import annotations

import pytest
from qtpy import QtGui

from desktop_shell.qt.first_content import drawn
from desktop_shell.window.theme import background

FORMAT = QtGui.QImage.Format.Format_ARGB32_Premultiplied  # what QWidget.grab gives here


def _picture(fill: QtGui.QColor, mark: str | None = None) -> QtGui.QImage:
    image = QtGui.QImage(1280, 770, FORMAT)
    image.fill(fill)
    if mark is not None:  # one pixel, far from the corner
        image.setPixelColor(1000, 700, QtGui.QColor(mark))
    return image


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_background_alone_is_nothing_and_one_pixel_more_is_something(scheme: str) -> None:
    plain = QtGui.QColor(background(scheme))  # type: ignore[arg-type]
    assert drawn(_picture(plain)) is False
    assert drawn(_picture(plain, mark="#c53948")) is True
    shade = QtGui.QColor(plain.red() ^ 1, plain.green(), plain.blue()).name()
    assert drawn(_picture(plain, mark=shade)) is True


def test_a_picture_that_cannot_say_lets_the_splash_go() -> None:
    assert drawn(QtGui.QImage()) is None
    assert drawn(_picture(QtGui.QColor(0, 0, 0, 0), mark="#c53948")) is None
