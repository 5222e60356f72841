"""The View menu in the real window: zoom with the keys a browser uses, remembered between
runs, and full screen. Keys go through the X server (xdotool/XTEST), as a person's do;
the page is read over CDP: QtWebEngine's zoom shows as the page's window.devicePixelRatio
(the screen's ratio is 1 on Xvfb)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.support import cdp, x11
from tests.support.launch import Launches
from tests.support.window import (
    menu_bar_item,
    open_app,
    screenshot,
    wait_rendered,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

SALES = "Daily vs monthly sales, by product"
RATIO = "window.devicePixelRatio"
PAGE_SIZE = "[window.innerWidth, window.innerHeight]"
FULLSCREEN = "_NET_WM_STATE_FULLSCREEN"
SCREEN = (1400, 900)  # tests/support/display.SIZE


def geometry_file(home: Path) -> Path:
    return home / "config" / "fragment-demos" / "window.json"


def wait_ratio(page: cdp.Page, expected: float, timeout: float = 20) -> None:
    page.wait_for(RATIO, timeout, lambda ratio: ratio is not None and abs(ratio - expected) < 0.005)


def wait_full_screen(window: int, wanted: bool, timeout: float = 10) -> None:
    x11.wait_until(lambda: (FULLSCREEN in x11.net_wm_state(window)) == wanted, timeout,
                   "full screen" if wanted else "out of full screen")


def test_zoom_keys_zoom_every_page_and_the_zoom_is_remembered(
    home: Path, launched: Launches
) -> None:
    with open_app([], home, launched) as (app, window, page):
        wait_rendered(page, "Data feed")
        assert page.evaluate(RATIO) == 1
        x11.activate(window)

        x11.press("ctrl+equal")
        wait_ratio(page, 1.1)
        x11.press("ctrl+plus")  # Shift+= on this keyboard: Ctrl++ as browsers take it
        wait_ratio(page, 1.25)
        screenshot("view-zoom-125")
        x11.press("ctrl+minus", "ctrl+minus", "ctrl+minus")
        wait_ratio(page, 0.9)
        x11.press("ctrl+0")
        wait_ratio(page, 1)
        x11.press(*["ctrl+equal"] * 12)  # beyond the last step: it stays there
        wait_ratio(page, 2)
        x11.press("ctrl+0", "ctrl+equal", "ctrl+equal")
        wait_ratio(page, 1.25)

        # Kept on another page of the app and after a reload (a new document).
        x11.press("ctrl+2")
        wait_rendered(page, SALES)
        assert abs(page.evaluate(RATIO) - 1.25) < 0.005
        page.evaluate("window.__kept = true")
        x11.press("ctrl+r")
        page.wait_for("window.__kept === true", 30, lambda kept: kept is False)
        wait_rendered(page, SALES)
        assert abs(page.evaluate(RATIO) - 1.25) < 0.005
    assert json.loads(geometry_file(home).read_text())["zoom"] == 1.25
    log = app.log_file.read_text()
    for line in ("menu: zoom in", "menu: zoom out", "menu: actual size"):
        assert line in log

    # The next start shows the app at the zoom it was left at.
    with open_app([], home, launched) as (again, window, page):
        wait_rendered(page, "Data feed")
        assert abs(page.evaluate(RATIO) - 1.25) < 0.005
        screenshot("view-zoom-restored")
        x11.activate(window)
        x11.press("ctrl+0")
        wait_ratio(page, 1)
    assert json.loads(geometry_file(home).read_text())["zoom"] == 1


def test_an_old_geometry_file_without_zoom_opens_at_actual_size(
    home: Path, launched: Launches
) -> None:
    geometry_file(home).parent.mkdir(parents=True)
    geometry_file(home).write_text(json.dumps(
        {"x": 100, "y": 80, "width": 900, "height": 640, "frame_width": 2, "frame_height": 25,
         "maximized": False}
    ))
    with open_app([], home, launched) as (app, window, page):
        wait_rendered(page, "Data feed")
        assert page.evaluate(RATIO) == 1
        assert x11.geometry(window)[2:] == (898, 615)  # the rest of the file still counts


def test_full_screen_from_the_menu_and_f11_and_esc_leave_it(home: Path, launched: Launches) -> None:
    with open_app([], home, launched) as (app, window, page):
        wait_rendered(page, "Data feed")
        x11.xdotool("windowmove", "--sync", window, 180, 140)
        x11.xdotool("windowsize", "--sync", window, 900, 640)
        time.sleep(0.5)
        placed = x11.geometry(window)
        x11.activate(window)
        assert FULLSCREEN not in x11.net_wm_state(window)

        # View > Full Screen, from the menu (separators are skipped).
        x11.click(*menu_bar_item(window, 2))
        time.sleep(0.5)
        screenshot("view-menu")
        x11.press("Down", "Down", "Down", "Down", "Return")
        wait_full_screen(window, True)
        x11.wait_until(lambda: x11.geometry(window) == (0, 0, *SCREEN), 10, "covering the screen")
        # The page has all of it: no menu bar above it, as in a browser's full screen.
        page.wait_for(PAGE_SIZE, 20, lambda size: size == list(SCREEN))
        screenshot("view-full-screen")
        x11.press("Escape")
        wait_full_screen(window, False)
        x11.wait_until(lambda: x11.geometry(window) == placed, 10, "back in its place")
        page.wait_for(PAGE_SIZE, 20, lambda size: size[0] == placed[2] and size[1] < placed[3])

        x11.press("F11")
        wait_full_screen(window, True)
        x11.press("F11")  # the same key leaves it
        wait_full_screen(window, False)

        page.close()
        # Closed in full screen, it remembers the window it was, not the whole screen.
        x11.press("F11")
        wait_full_screen(window, True)
    saved = json.loads(geometry_file(home).read_text())
    assert (saved["width"], saved["height"]) != SCREEN and saved["maximized"] is False
    assert "menu: full screen" in app.log_file.read_text()
