"""Drive the app's real window: find it, read its page over CDP, screenshot it."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from . import cdp, procs, x11
from .launch import APP_TITLE, ROOT, Launched, Launches
from .probes import CHARTS_DRAWN, ERRORS, HEADINGS, STALE

SCREENSHOTS = ROOT / "artifacts" / "screenshots"


@contextmanager
def open_app(
    args: list[str], home: Path, launched: Launches, *, command: list[str] | None = None,
    cwd: Path = ROOT, page_prefix: str = "http://127.0.0.1:", env: dict[str, str] | None = None,
    title: str = APP_TITLE, exit_code: int = 0, exit_timeout: float = 20,
    pass_fds: Sequence[int] = (),
) -> Iterator[tuple[Launched, int, cdp.Page]]:
    """Launch, wait for the window (titled after the app) to map and for its page to be the
    app; give both to the test. On the way out, close the window as a person does and
    check the exit code (`exit_code`).

    If the test already ended the app (a signal, Ctrl+Q), it has checked the exit itself:
    only the page connection is closed. On a failure inside, the app is left to the
    `launched` fixture, which kills it.
    """
    app = launched.start(args, home, command=command, debug_port=procs.free_port(), cwd=cwd,
                         env=env, pass_fds=pass_fds)
    window = x11.wait_for_window(title, 60, app.process.pid)
    assert app.debug_port is not None
    page = cdp.connect(app.debug_port, page_prefix, 90)
    yield app, window, page
    page.close()
    if app.process.poll() is None:
        close_and_wait(app, window, exit_code, exit_timeout)


def close_and_wait(app: Launched, window: int, exit_code: int = 0, timeout: float = 20) -> None:
    """Close the window as a person does; the app then exits with `exit_code`."""
    close_like_a_user(app, window)
    code = app.wait(timeout)
    assert code == exit_code, f"exited {code}, not {exit_code}: {app.output()}"


# Charts each page draws once it has rendered completely.
PAGE_CHARTS = {"Data feed": 1, "Daily vs monthly sales, by product": 3}


def wait_rendered(page: cdp.Page, title: str, timeout: float = 60) -> None:
    """The page shows its title and all its charts, nothing is stale, and no error box."""
    page.wait_for(HEADINGS, timeout, lambda headings: title in (headings or []))
    page.wait_for(
        f"({STALE}) === 0 && ({CHARTS_DRAWN}) >= {PAGE_CHARTS[title]}", timeout
    )
    assert page.evaluate(ERRORS) == 0


def screenshot(name: str) -> Path:
    """The whole virtual screen, as a person would see it (look at these PNGs)."""
    time.sleep(0.5)  # the page is drawn; give the compositor a frame or two to show it
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    subprocess.run(["import", "-window", "root", str(path)], check=True, timeout=30)
    return path


def menu_bar_item(window: int, index: int) -> tuple[int, int]:
    """Where to click the menu bar's `index`-th menu (0: App, 1: Pages, 2: View, 3: Help).

    The titles are short and laid out from the left; the point is inside each
    title at Qt's default font (checked on the screenshots).
    """
    x, y, _, _ = x11.geometry(window)
    return x + 21 + 45 * index, y + 12


def close_like_a_user(app: Launched, window: int, timeout: float = 20) -> None:
    """Click the close button once (WM_DELETE_WINDOW), as a window manager sends it.

    The first request must close the window: the app logs "window closing" when Qt
    hands it the close. (Requests that looked ignored were lost by this helper's X
    connection, not by the app: see x11.close_window.)
    """
    x11.close_window(window)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if "window closing" in app.log_file.read_text():
            return
        if app.process.poll() is not None:
            raise AssertionError(f"exited {app.process.returncode} without closing its window")
        time.sleep(0.05)
    raise AssertionError("the window ignored the close request")
