"""The real native window under Xvfb: both pages render, and closing leaves nothing behind."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from desktop_shell.qt import splash
from tests.support import procs, x11
from tests.support.launch import APP_TITLE, Launches, copy_of_the_app
from tests.support.probes import HEADINGS
from tests.support.window import close_and_wait, open_app, screenshot, wait_rendered

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]


def port_of(url: str) -> int:
    return int(url.split(":")[2].split("/")[0])


def test_window_shows_both_pages_and_closes_like_a_user(
    home: Path, launched: Launches
) -> None:
    with open_app([], home, launched) as (app, window, page):
        wait_rendered(page, "Data feed")
        screenshot("window-data-feed")
        url = page.evaluate("location.href")
        # Navigate as a user does, with the sidebar link.
        page.evaluate("document.querySelector('a[href$=\"/sales\"]').click()")
        wait_rendered(page, "Daily vs monthly sales, by product")
        screenshot("window-sales")
        tree = app.snapshot_tree()
        assert any("QtWebEngineProcess" in line for line in procs.still_running(tree))


    assert procs.wait_gone(tree, 10) == []
    assert procs.port_is_free(port_of(url))
    assert "Traceback" not in app.output()[1]


def test_closing_while_the_feed_streams_ends_everything_quietly(
    home: Path, launched: Launches
) -> None:
    """The window's close ends the process without stopping the server first
    (window.py's end_soon): mid-rerun at the fastest interval, it still exits 0, quietly,
    with its log flushed, every process gone and the port free."""
    with open_app([], home, launched) as (app, window, page):
        wait_rendered(page, "Data feed")
        url = page.evaluate("location.href")
        start = ("Array.from(document.querySelectorAll('button')).find((b) =>"
                 " b.innerText.trim() === 'Start streaming')")
        page.wait_for(f"!!{start}", 30)  # the sidebar may come after the chart
        page.evaluate(f"{start}.click()")
        page.wait_for(
            "Array.from(document.querySelectorAll('button'))"
            ".some((b) => b.innerText.trim() === 'Stop streaming' && !b.disabled)", 30
        )
        time.sleep(1.5)  # a few reruns: one is likely under way as the window closes
        tree = app.snapshot_tree()
        page.close()

        close_and_wait(app, window)

    assert procs.wait_gone(tree, 10) == []
    assert procs.port_is_free(port_of(url))
    out, err = app.output()
    assert "Traceback" not in err and "Error" not in err, err
    assert app.log_file.read_text().rstrip().endswith("desktop_shell.process.cli: stopped")


def test_the_chart_code_is_fetched_ahead_by_the_pages_preload_links(
    home: Path, launched: Launches
) -> None:
    """server/chart_preload.py: the window asks for the chart's module as it reads the page's
    <head>, before DOMContentLoaded; without the links it would ask once the first chart
    arrives over the WebSocket, well after it (bench/ CDP timeline: ~0.8 s after)."""
    with open_app([], home, launched) as (app, window, page):
        wait_rendered(page, "Data feed")
        started, content_loaded = page.evaluate(
            "[performance.getEntriesByType('resource')"
            ".filter((e) => /\\/ArrowVegaLiteChart\\.[^/]+\\.js$/.test(e.name))"
            ".map((e) => e.startTime),"
            " performance.getEntriesByType('navigation')[0].domContentLoadedEventStart]"
        )
        assert len(started) == 1 and started[0] < content_loaded, (started, content_loaded)


def test_page_option_opens_that_page(home: Path, launched: Launches) -> None:
    with open_app(["--page", "sales"], home, launched) as (app, window, page):
        wait_rendered(page, "Daily vs monthly sales, by product")
        assert page.evaluate("location.pathname") == "/sales"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_closes_the_window_and_exits_0(
    sig: signal.Signals, home: Path, launched: Launches
) -> None:
    with open_app([], home, launched) as (app, _, page):
        wait_rendered(page, "Data feed")
        url = page.evaluate("location.href")
        tree = app.snapshot_tree()
        page.close()

        app.signal(sig)

        assert app.wait(20) == 0
        assert procs.wait_gone(tree, 10) == []
        assert procs.port_is_free(port_of(url))


def test_download_from_the_page_lands_in_downloads(home: Path, launched: Launches) -> None:
    # HOME decides where Qt's Downloads folder is (QStandardPaths::DownloadLocation).
    with open_app([], home, launched, env={"HOME": str(home)}) as (app, window, page):
        wait_rendered(page, "Data feed")
        # What st.download_button does: a link to the file, with the download attribute.
        page.evaluate(
            "(() => { const a = document.createElement('a');"
            " a.href = URL.createObjectURL(new Blob(['A,B\\n1,2\\n'], {type: 'text/csv'}));"
            " a.download = 'data.csv'; document.body.appendChild(a); a.click(); })()"
        )
        target = home / "Downloads" / "data.csv"
        deadline = time.monotonic() + 20
        while not (target.exists() and target.read_text() == "A,B\n1,2\n"):
            assert time.monotonic() < deadline, f"nothing downloaded to {target}"
            time.sleep(0.1)


def test_dev_mode_reloads_a_page_when_its_file_changes(
    tmp_path: Path, home: Path, launched: Launches
) -> None:
    copy = copy_of_the_app(tmp_path)
    with open_app(["--dev"], home, launched, cwd=copy) as (app, window, page):
        wait_rendered(page, "Data feed")
        source = copy / "app" / "data_feed.py"
        source.write_text(source.read_text().replace('st.title("Data feed")', 'st.title("Data feed, edited")'))
        page.wait_for(HEADINGS, 30, lambda headings: "Data feed, edited" in (headings or []))


def test_a_splash_shows_first_and_gives_way_to_the_window(
    home: Path, launched: Launches
) -> None:
    # The splash is up while QtWebEngine loads (bench/: 0.43 s after the start, the
    # app window ~0.8 s later); timing is the benchmark's business, the order is ours.
    app = launched.start([], home)
    card = x11.wait_for_window(splash.title(APP_TITLE), 60, app.process.pid)
    screenshot("window-splash")
    window = x11.wait_for_window("Fragment Demos", 60, app.process.pid)
    deadline = time.monotonic() + 20
    while card in x11.find_windows(splash.title(APP_TITLE)):
        assert time.monotonic() < deadline, "the splash stayed after the window showed"
        time.sleep(0.05)
    log = app.log_file.read_text()
    assert log.index("splash shown") < log.index("window shown")
    close_and_wait(app, window)
