"""The window follows the desktop's light or dark setting, as the desktop publishes it.

Each test runs the app on a private session bus whose XDG Settings portal states the
user's choice (tests/support/desktop.py), as GNOME, KDE Plasma and others do, and reads
the real window's page over CDP. Which Qt platform theme the app gets (and so what Qt
would say on its own) follows XDG_CURRENT_DESKTOP, as on a real desktop.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.desktop import DARK, LIGHT, NO_PREFERENCE, desktop_setting
from tests.support.launch import Launches, copy_of_the_app
from tests.support.probes import ERROR_SCREEN
from tests.support.window import open_app, screenshot, wait_rendered

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

PREFERS_DARK = "matchMedia('(prefers-color-scheme: dark)').matches"
APP_BACKGROUND = (
    "getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).backgroundColor"
)
BODY_BACKGROUND = "getComputedStyle(document.body).backgroundColor"
# A green page, then no document to paint: what shows then is QtWebEngine's own background,
# as at start and during each navigation before a document has painted.
GREEN = "rgb(0, 255, 0)"
COVER_GREEN = (
    "(() => { const d = document.createElement('div');"
    f" d.style.cssText = 'position: fixed; inset: 0; z-index: 2147483647; background: {GREEN}';"
    " document.body.appendChild(d); })()"
)
NO_DOCUMENT = "document.documentElement.remove()"
# Streamlit 1.67's dark and light backgrounds (and those of loading.html, error.html).
BACKGROUND = {True: "rgb(23, 22, 20)", False: "rgb(255, 255, 255)"}
# What the developer's own desktop session may set; each test sets its own.
DESKTOP_VARIABLES = (
    "XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "KDE_SESSION_VERSION", "GTK_THEME",
    "QT_QPA_PLATFORMTHEME", "QT_STYLE_OVERRIDE", "QTWEBENGINE_CHROMIUM_FLAGS",
)


def window_pixel(window: int, grab: Path, x: int, y: int) -> tuple[int, int, int]:
    """The colour at (x, y) of the window as on screen."""
    subprocess.run(["import", "-window", str(window), str(grab)], check=True, timeout=30)
    text = subprocess.run(
        ["convert", str(grab), "-crop", f"1x1+{x}+{y}", "-format",
         "%[fx:round(255*r)],%[fx:round(255*g)],%[fx:round(255*b)]", "info:"],
        check=True, capture_output=True, text=True, timeout=30,
    ).stdout
    red, green, blue = (int(part) for part in text.split(","))
    return red, green, blue


def window_centre(window: int, grab: Path, accept: Callable[[str], bool]) -> str:
    """The colour in the middle of the window as on screen, "rgb(r, g, b)", once `accept`ed."""
    deadline = time.monotonic() + 20
    while True:
        subprocess.run(["import", "-window", str(window), str(grab)], check=True, timeout=30)
        colour = subprocess.run(
            ["convert", str(grab), "-gravity", "center", "-crop", "1x1+0+0", "-format",
             "rgb(%[fx:round(255*r)], %[fx:round(255*g)], %[fx:round(255*b)])", "info:"],
            check=True, capture_output=True, text=True, timeout=30,
        ).stdout
        if accept(colour) or time.monotonic() > deadline:
            return colour
        time.sleep(0.1)


@pytest.fixture(autouse=True)
def no_desktop_of_our_own(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in DESKTOP_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("desktop", "color_scheme", "dark", "shot"),
    [
        # A desktop Qt has no theme for (openbox, as here): Qt's scheme is Unknown.
        pytest.param({}, DARK, True, "theme-dark-data-feed", id="openbox-dark"),
        # GNOME's "Dark style" sets only the portal's color-scheme; the GTK 3 theme stays
        # Adwaita, which Qt's gtk3 theme goes by (so Qt says light).
        pytest.param({"XDG_CURRENT_DESKTOP": "GNOME"}, DARK, True, None, id="gnome-dark"),
        # The portal says light while the GTK theme is dark (Qt says dark): the user's
        # stated preference wins.
        pytest.param(
            {"XDG_CURRENT_DESKTOP": "GNOME", "GTK_THEME": "Adwaita:dark"}, LIGHT, False,
            "theme-light-data-feed", id="gnome-light",
        ),
        # No stated preference: what Qt reads itself (the dark GTK theme) is left alone.
        pytest.param(
            {"XDG_CURRENT_DESKTOP": "GNOME", "GTK_THEME": "Adwaita:dark"}, NO_PREFERENCE, True,
            None, id="gnome-no-preference",
        ),
    ],
)
def test_page_follows_the_desktop_setting(
    desktop: dict[str, str], color_scheme: int, dark: bool, shot: str | None,
    tmp_path: Path, home: Path, launched: Launches,
) -> None:
    with desktop_setting(tmp_path, color_scheme) as (bus, portal):
        with open_app([], home, launched, env={**bus, **desktop}) as (app, window, page):
            wait_rendered(page, "Data feed")
            if shot:
                screenshot(shot)
            assert page.evaluate(PREFERS_DARK) is dark
            assert page.evaluate(APP_BACKGROUND) == BACKGROUND[dark]
            assert any(".Settings.Read(" in call for call in portal.calls), portal.calls
            grab = tmp_path / "window.png"
            # The menu bar (Qt's own widgets), right of its last menu: dark on a dark desktop.
            bar = window_pixel(window, grab, 400, 10)
            assert (max(bar) < 96) if dark else (min(bar) > 160), bar
            page.evaluate(COVER_GREEN)
            assert window_centre(window, grab, lambda colour: colour == GREEN) == GREEN
            page.evaluate(NO_DOCUMENT)
            assert window_centre(window, grab, lambda colour: colour != GREEN) == BACKGROUND[dark]


def test_error_screen_follows_the_desktop_setting(
    tmp_path: Path, home: Path, launched: Launches
) -> None:
    copy = copy_of_the_app(tmp_path)
    (copy / "app" / "streamlit_app.py").unlink()  # the server cannot start
    with desktop_setting(tmp_path, DARK) as (bus, _):
        with open_app(
            [], home, launched, cwd=copy, page_prefix="", env=bus, exit_code=1
        ) as (app, window, page):
            page.wait_for(ERROR_SCREEN, 60, bool)
            screenshot("theme-dark-startup-error")
            assert page.evaluate(PREFERS_DARK) is True
            assert page.evaluate(BODY_BACKGROUND) == BACKGROUND[True]
