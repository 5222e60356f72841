"""From its first screen to the chart, the window never goes blank (server/loading_overlay.py).

The splash stays until the window shows its loading screen, then the app's page; until
Streamlit's frontend has drawn something of the app (~0.3-1 s after the page loads) that
page would be empty. The test watches the real window as a person would, every ~20 ms from
the moment the splash goes until the chart is drawn (and on to another page, where it must not come back), light and dark,
with the server in a thread and in a forked child.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_shell.qt import splash
from desktop_shell.server import server_process
from tests.support import cdp, procs, x11
from tests.support.desktop import DARK, LIGHT, desktop_setting
from tests.support.launch import APP_TITLE, Launches
from tests.support.paint import PaintWatch, blank_after_something
from tests.support.probes import CHARTS_DRAWN
from tests.support.window import SCREENSHOTS, close_and_wait, wait_rendered

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

SPLASH_TITLE = splash.title(APP_TITLE)
OVERLAY_SHOWN = "!!document.getElementById('desktop-shell-loading')"


@pytest.mark.parametrize("server", ["thread", "child"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_window_shows_something_at_every_moment_until_the_chart(
    scheme: str, server: str, tmp_path: Path, home: Path, launched: Launches
) -> None:
    env = {server_process.VARIABLE: "1" if server == "child" else "0"}
    with desktop_setting(tmp_path, DARK if scheme == "dark" else LIGHT) as (bus, _):
        app = launched.start([], home, debug_port=procs.free_port(), env={**bus, **env})
        window = x11.wait_for_window(APP_TITLE, 60, app.process.pid)
        # Watched from when the splash has gone: until then, a grab of the window's area
        # shows the splash above it (Xvfb has no compositor), not the window's content.
        # From that moment on, the window shows something (qt/first_content.py).
        x11.wait_until(lambda: not x11.find_windows(SPLASH_TITLE, app.process.pid), 60,
                       "the splash to close")
        watch = PaintWatch(window, keep_every=0.1).start()
        try:
            assert app.debug_port is not None
            page = cdp.connect(app.debug_port, "http://127.0.0.1:", 90)
            page.wait_for(CHARTS_DRAWN, 60, lambda drawn: (drawn or 0) >= 1)
            overlay_left = page.evaluate(OVERLAY_SHOWN)
            drawn = len(watch.frames)
            # Another page, and a rerun: the loading screen does not come back.
            page.evaluate("document.querySelector('a[href$=\"/sales\"]').click()")
            wait_rendered(page, "Daily vs monthly sales, by product")
            overlay_back = page.evaluate(OVERLAY_SHOWN)
            page.close()
        finally:
            frames = watch.stop()
        shots = watch.save(SCREENSHOTS / "first-paint", f"{scheme}-{server}")
        close_and_wait(app, window)

    # The loading screen, or (the first look coming late) the app's page drawn already.
    first = frames[0]
    assert not first.blank, (
        f"the window was blank as the splash went ({first.t:.2f} s after): see {shots[0].parent}"
    )
    blank = blank_after_something(frames)
    assert not blank, (
        f"blank from {blank[0].t:.2f} s to {blank[-1].t:.2f} s after the splash went "
        f"({len(blank)} of {len(frames)} frames): see {shots[0].parent}"
    )
    assert overlay_left is False, "the loading screen still covers the drawn chart"
    assert not frames[-1].blank
    shown_again = [f.t for f in frames[drawn:] if f.spinner]
    assert overlay_back is False and not shown_again, shown_again
