"""Desktop polish in the real window: menu, shortcuts, About, log folder, title, favicon,
remembered geometry. Input goes through the X server (xdotool/XTEST), as a person's does."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from tests.support import procs, x11
from tests.support.launch import APP_TITLE, ROOT, Launches, demo_app
from tests.support.window import (
    menu_bar_item,
    open_app,
    screenshot,
    wait_rendered,
)

pytestmark = pytest.mark.timeout(240)

SALES = "Daily vs monthly sales, by product"
PATHNAME = "location.pathname"
# Set in the page; a full reload forgets it, a switch of page inside the app keeps it.
MARK, MARKED = "window.__kept = true", "window.__kept === true"


def geometry_file(home: Path) -> Path:
    return home / "config" / "fragment-demos" / "window.json"


def wait_title(window: int, title: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while window not in x11.find_windows(title):
        assert time.monotonic() < deadline, f"the window is not titled {title!r}"
        time.sleep(0.1)


@pytest.mark.slow
def test_shortcuts_switch_pages_reload_and_quit(home: Path, launched: Launches) -> None:
    with open_app([], home, launched) as (app, window, page):
        wait_rendered(page, "Data feed")
        wait_title(window, f"Data feed — {APP_TITLE}")
        tree = app.snapshot_tree()
        x11.activate(window)
        page.evaluate(MARK)

        x11.press("ctrl+2")
        page.wait_for(PATHNAME, 30, lambda path: path == "/sales")
        wait_rendered(page, SALES)
        wait_title(window, f"Daily vs monthly sales — {APP_TITLE}")
        assert page.evaluate(MARKED), "Ctrl+2 reloaded the app instead of switching pages"
        screenshot("desktop-ctrl-2-sales")

        x11.press("ctrl+1")
        page.wait_for(PATHNAME, 30, lambda path: path == "/")
        wait_rendered(page, "Data feed")
        assert page.evaluate(MARKED)

        x11.press("ctrl+r")
        page.wait_for(MARKED, 30, lambda kept: kept is False)  # a new document
        wait_rendered(page, "Data feed")
        page.close()

        x11.press("ctrl+q")
        assert app.wait(20) == 0
        assert procs.wait_gone(tree, 10) == []
        assert geometry_file(home).is_file(), "closing did not save the window geometry"
        log = app.log_file.read_text()
        for line in ("menu: page sales", "menu: page data-feed", "menu: reload", "menu: quit"):
            assert line in log


@pytest.mark.slow
def test_about_box_and_log_folder_from_the_menu(home: Path, launched: Launches) -> None:
    # What xdg-open would start (the desktop's file manager) is replaced by a recorder.
    bin_dir = home / "bin"
    bin_dir.mkdir()
    opened = home / "opened.txt"
    (bin_dir / "xdg-open").write_text(f'#!/bin/sh\necho "$1" >> {opened}\n')
    (bin_dir / "xdg-open").chmod(0o755)
    env = {"PATH": f"{bin_dir}:{os.environ['PATH']}"}
    with open_app([], home, launched, env=env) as (app, window, page):
        wait_rendered(page, "Data feed")
        page.close()
        x11.activate(window)

        # Help > About: a dialog over the window with name, version and versions.
        x11.click(*menu_bar_item(window, 3))
        time.sleep(0.5)
        screenshot("desktop-help-menu")
        x11.press("Down", "Return")
        about = x11.wait_for_window(f"About {APP_TITLE}", 20, app.process.pid)
        screenshot("desktop-about")
        x11.press("Return")  # OK
        deadline = time.monotonic() + 10
        while about in x11.find_windows(f"About {APP_TITLE}"):
            assert time.monotonic() < deadline, "the About box did not close"
            time.sleep(0.1)

        # App > Open log folder (Down: Reload, Down: Open log folder; separators are skipped).
        x11.click(*menu_bar_item(window, 0))
        time.sleep(0.5)
        screenshot("desktop-app-menu")
        x11.press("Down", "Down", "Return")
        deadline = time.monotonic() + 20
        while not (opened.exists() and opened.read_text().strip()):
            assert time.monotonic() < deadline, "Open log folder started no file manager"
            time.sleep(0.1)
        assert Path(opened.read_text().strip()) == app.log_file.parent

    log = app.log_file.read_text()
    assert "menu: about" in log and "menu: open log folder" in log


def test_about_text_names_the_versions_and_licence() -> None:
    from desktop_shell import resources
    from desktop_shell.window import actions

    text = actions.about_text(demo_app().app)
    assert f"{APP_TITLE} {resources.version()}" in text
    assert "Two Streamlit fragment tutorials as an offline desktop app." in text  # app.toml
    for name in ("Streamlit 1.", "pywebview ", "Qt 6.", "Licence: Apache-2.0"):
        assert name in text


@pytest.mark.slow
def test_favicon_is_the_app_icon(home: Path, launched: Launches) -> None:
    with open_app([], home, launched) as (app, window, page):
        wait_rendered(page, "Data feed")
        # Fetched in the page, with its cookie, as the window (or a browser tab) fetches it:
        # the HTTP status, the PNG signature, and the picture's width and height.
        status, signature, width, height = page.wait_for(
            "(() => { const link = document.querySelector('link[rel~=\"icon\"]');"
            " if (!link || !link.href.startsWith('http')) return null;"
            " const x = new XMLHttpRequest(); x.open('GET', link.href, false);"
            " x.overrideMimeType('text/plain; charset=x-user-defined'); x.send();"
            " const b = (i) => x.responseText.charCodeAt(i) & 0xff;"
            " const u32 = (i) => ((b(i) << 24) | (b(i + 1) << 16) | (b(i + 2) << 8) | b(i + 3)) >>> 0;"
            " return [x.status, [1, 2, 3].map(b), u32(16), u32(20)]; })()",
            30, lambda value: value is not None,
        )
        page.close()
        window_icon = x11.icon_sizes(window)
    assert status == 200
    assert signature == list(b"PNG")
    # app.toml's [app] icon, app/icon.png (drawn by scripts/make_icons.py), for both.
    assert (width, height) == (256, 256)
    assert (256, 256) in window_icon, window_icon


def test_the_icon_comes_in_every_size_the_platforms_need() -> None:
    from PIL import Image

    icons = ROOT / "build" / "icons"
    with Image.open(icons / "icon.ico") as ico:
        assert {16, 24, 32, 48, 64, 128, 256} <= {w for w, _ in ico.info["sizes"]}
    with Image.open(icons / "icon.icns") as icns:
        assert {16, 32, 128, 256, 512} <= {w for w, _, _ in icns.info["sizes"]}
    for n in (16, 24, 32, 48, 64, 128, 256, 512):
        with Image.open(icons / "hicolor" / f"{n}x{n}" / "apps" / "fragment-demos.png") as png:
            assert png.size == (n, n)


@pytest.mark.slow
def test_window_geometry_is_remembered(home: Path, launched: Launches) -> None:
    with open_app([], home, launched) as (app, window, page):
        wait_rendered(page, "Data feed")
        page.close()
        # As a person dragging and resizing: requests that the window manager carries out.
        x11.xdotool("windowmove", "--sync", window, 180, 140)
        x11.xdotool("windowsize", "--sync", window, 900, 640)
        time.sleep(0.5)
        placed = x11.geometry(window)
        assert placed[2:] == (900, 640)
    saved = json.loads(geometry_file(home).read_text())
    assert saved["maximized"] is False

    with open_app([], home, launched) as (again, window, page):
        wait_rendered(page, "Data feed")
        page.close()
        assert x11.geometry(window) == placed  # same place and size, no creeping by the title bar
        screenshot("desktop-geometry-restored")


@pytest.mark.parametrize(
    "saved",
    [
        {"x": 5000, "y": 4000, "width": 900, "height": 600},  # a monitor that is gone
        {"x": -200, "y": 300, "width": 3000, "height": 2000},  # larger than this screen
    ],
)
@pytest.mark.slow
def test_saved_geometry_off_this_screen_is_fitted_to_it(
    saved: dict[str, int], home: Path, launched: Launches
) -> None:
    geometry_file(home).parent.mkdir(parents=True)
    geometry_file(home).write_text(json.dumps({**saved, "frame_width": 2, "frame_height": 25}))
    with open_app([], home, launched) as (app, window, page):
        wait_rendered(page, "Data feed")
        page.close()
        x, y, width, height = x11.geometry(window)
        screen_width, screen_height = 1400, 900  # tests/support/display.SIZE
        assert 0 <= x and x + width <= screen_width, (x, width)
        assert 0 < y and y + height <= screen_height, (y, height)  # the title bar above y too
